//! The registry of negotiated payload types and extension ids, and the numbering of offers.
//!
//! **One space for audio and video.** tacet bundles every live section of its offers, and in a
//! BUNDLE group a payload type names one codec configuration in every section (RFC 9143
//! §9.1.1: same media type, encoding name, clock rate and parameters) and an extension id one
//! extension (RFC 9143 §12). So a payload type registered or offered for an audio codec is
//! never given to a video codec (aiortc numbers Opus 96, where tacet's VP8 prefers to be), and
//! an id registered for one URI is never given to another, whichever media type it came from.

use std::collections::{BTreeMap, BTreeSet};

use tacet_track::TrackKind;

use super::{Codec, CodecConfig, CodecKey, NegotiatedCodec, PRIMARY};
use crate::error::Error;

/// Payload types and extension ids fixed by negotiation. Append-only: an entry is never changed
/// once written, except that a codec registered without RTX gets the RTX payload type
/// negotiated for it later.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Registry {
    pts: BTreeMap<(TrackKind, CodecKey), (u8, Option<u8>)>,
    extensions: BTreeMap<(TrackKind, String), u16>,
}

/// What an offer lists for audio and for video.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Offered {
    audio: (Vec<NegotiatedCodec>, Vec<(String, u16)>),
    video: (Vec<NegotiatedCodec>, Vec<(String, u16)>),
}

impl Offered {
    /// The codecs offered for `media`.
    pub(crate) fn codecs(&self, media: TrackKind) -> &[NegotiatedCodec] {
        &self.of(media).0
    }

    /// The header extensions offered for `media`.
    pub(crate) fn extensions(&self, media: TrackKind) -> &[(String, u16)] {
        &self.of(media).1
    }

    fn of(&self, media: TrackKind) -> &(Vec<NegotiatedCodec>, Vec<(String, u16)>) {
        match media {
            TrackKind::Audio => &self.audio,
            TrackKind::Video => &self.video,
        }
    }
}

impl Registry {
    /// Records what an applied answer negotiated (first write wins).
    ///
    /// A payload type already registered for another codec, of either media type, is not
    /// recorded again, nor an extension id registered for another URI: sections without
    /// BUNDLE may number independently (VP8 at 96 in one, H264 or Opus at 96 in another), and
    /// registering both would make an offer write one payload type for two codecs (RFC 3264
    /// §6.1 in a section, RFC 9143 §9.1.1 across the BUNDLE group) or one extmap id twice
    /// (RFC 8285 §5, RFC 9143 §12). Such a codec keeps what `offer` gives it: its preferred
    /// payload type if free, else a free one. Ids outside 1-255 are not usable on the wire
    /// (RFC 8285 §5) and are not recorded.
    ///
    /// Returns whether the registry changed: when it did not, recording the same lists again
    /// cannot change it either (the result depends only on the registry and the lists).
    pub(crate) fn record(
        &mut self,
        media: TrackKind,
        codecs: &[NegotiatedCodec],
        ext: &[(String, u16)],
    ) -> bool {
        let mut changed = false;
        for c in codecs {
            let key = (media, c.codec.key());
            match self.pts.get(&key).copied() {
                // RFC 4588 / RFC 3264 §8.3.2: RTX negotiated after its codec (first offered
                // without it) is as fixed as the codec's own payload type.
                Some((pt, None)) => {
                    let rtx = c.rtx_pt.filter(|r| !self.pt_taken(*r));
                    changed |= rtx.is_some();
                    self.pts.insert(key, (pt, rtx));
                }
                Some(_) => {}
                None if self.pt_taken(c.pt) => {}
                None => {
                    let rtx = c.rtx_pt.filter(|r| *r != c.pt && !self.pt_taken(*r));
                    self.pts.insert(key, (c.pt, rtx));
                    changed = true;
                }
            }
        }
        for (uri, id) in ext {
            let key = (media, uri.clone());
            let usable = (1..=255).contains(id);
            if usable && !self.extensions.contains_key(&key) && self.id_owner(*id, uri).is_none() {
                self.extensions.insert(key, *id);
                changed = true;
            }
        }
        changed
    }

    /// Whether `pt` is registered (primary or RTX) for any codec of any media type.
    fn pt_taken(&self, pt: u8) -> bool {
        self.pts
            .values()
            .any(|(p, rtx)| *p == pt || *rtx == Some(pt))
    }

    /// The URI other than `uri` that `id` is registered for, of any media type.
    fn id_owner(&self, id: u16, uri: &str) -> Option<&str> {
        self.extensions
            .iter()
            .find(|((_, u), i)| **i == id && u != uri)
            .map(|((_, u), _)| u.as_str())
    }

    /// Every registered extension: URI and id, of any media type.
    pub(crate) fn extension_ids(&self) -> impl Iterator<Item = (&str, u16)> {
        self.extensions
            .iter()
            .map(|((_, uri), id)| (uri.as_str(), *id))
    }

    /// What an offer lists: every configured codec and extension of both media types. A codec
    /// keeps its registered payload type, else takes its preferred one if no codec of either
    /// media type has it, else a free dynamic one; extensions alike. Audio is numbered first.
    ///
    /// Refused ([`Error::InvalidCodecConfig`], the caller's fault) when the configuration
    /// needs more payload types or ids than there are, or names a RED primary that is not a
    /// codec of its list.
    pub(crate) fn offer(&self, config: &CodecConfig) -> Result<Offered, Error> {
        let mut pts = PayloadTypes {
            used: self
                .pts
                .values()
                .flat_map(|(pt, rtx)| std::iter::once(*pt).chain(*rtx))
                .collect(),
            preferred: self.still_preferred(config),
        };
        let mut ids = Ids {
            holder: self
                .extensions
                .iter()
                .map(|((_, uri), id)| (*id, uri.clone()))
                .collect(),
            // As for payload types: the ids configured for URIs that have none yet.
            preferred: config
                .audio_extensions
                .iter()
                .chain(&config.video_extensions)
                .filter(|(uri, _)| !self.extension_ids().any(|(u, _)| u == uri))
                .map(|(_, id)| *id)
                .collect(),
        };
        let mut side = |media| -> Result<_, Error> {
            Ok((
                self.offer_codecs(config, media, &mut pts)?,
                self.offer_extensions(config, media, &mut ids)?,
            ))
        };
        Ok(Offered {
            audio: side(TrackKind::Audio)?,
            video: side(TrackKind::Video)?,
        })
    }

    /// The preferred payload types configured codecs may still take: a registered codec has
    /// its number (and its RTX's, once negotiated) already.
    fn still_preferred(&self, config: &CodecConfig) -> BTreeSet<u8> {
        let mut preferred = BTreeSet::new();
        for media in [TrackKind::Audio, TrackKind::Video] {
            for codec in config.codecs(media) {
                match self.pts.get(&(media, codec.key())) {
                    Some((_, Some(_))) => {}
                    Some((_, None)) => preferred.extend(codec.rtx_pt),
                    None => {
                        preferred.extend(std::iter::once(codec.preferred_pt).chain(codec.rtx_pt))
                    }
                }
            }
        }
        preferred
    }

    fn offer_codecs(
        &self,
        config: &CodecConfig,
        media: TrackKind,
        pts: &mut PayloadTypes,
    ) -> Result<Vec<NegotiatedCodec>, Error> {
        let mut offered: Vec<NegotiatedCodec> = Vec::new();
        let mut keys: BTreeSet<CodecKey> = BTreeSet::new();
        for codec in config.codecs(media) {
            let key = codec.key();
            // A second configured codec with the same identity (H264 at two levels) cannot
            // share the first one's registered payload type: it is numbered as new.
            let registered = self
                .pts
                .get(&(media, key.clone()))
                .filter(|_| !keys.contains(&key));
            let (pt, rtx_pt) = match registered {
                Some(&(pt, Some(rtx))) => (pt, Some(rtx)),
                Some(&(pt, None)) => (pt, codec.rtx_pt.map(|p| pts.take(p)).transpose()?),
                None => {
                    let pt = pts.take(codec.preferred_pt)?;
                    (pt, codec.rtx_pt.map(|p| pts.take(p)).transpose()?)
                }
            };
            keys.insert(key);
            offered.push(NegotiatedCodec {
                pt,
                codec: codec.clone(),
                rtx_pt,
            });
        }
        name_primaries(config.codecs(media), &mut offered)?;
        Ok(offered)
    }

    /// The header extensions to offer for `media`: a URI keeps its registered id, else the id
    /// it has for the other media type, else its preferred one if free, else a free one.
    fn offer_extensions(
        &self,
        config: &CodecConfig,
        media: TrackKind,
        ids: &mut Ids,
    ) -> Result<Vec<(String, u16)>, Error> {
        let mut offered = Vec::new();
        for (uri, preferred) in config.extensions(media) {
            let free = |id: &u16| ids.holder.get(id).is_none_or(|u| u == uri);
            let same_uri = ids
                .holder
                .iter()
                .find(|(_, u)| *u == uri)
                .map(|(id, _)| *id);
            // RFC 8285 §5: one-byte ids first, avoiding the configured ones while it can (as
            // payload types do); 15-255 need the two-byte form our offers allow
            // (`a=extmap-allow-mixed`); 4096-4351 are for offers only and leave the id to the
            // answerer (RFC 8285 §7).
            let fallback = || {
                (1..=14)
                    .filter(|id| !ids.preferred.contains(id))
                    .chain(1..=255)
                    .chain(4096..=4351)
                    .find(free)
            };
            let id = self
                .extensions
                .get(&(media, uri.clone()))
                .copied()
                .or(same_uri)
                .or_else(|| Some(*preferred).filter(free))
                .or_else(fallback)
                .ok_or_else(|| Error::InvalidCodecConfig {
                    what: format!(
                        "no header extension id is left for {uri}: 1-255 and 4096-4351 are taken"
                    ),
                    rule: "RFC 8285 §5: one id per extension; RFC 9143 §12: across the BUNDLE group",
                })?;
            ids.holder.insert(id, uri.clone());
            offered.push((uri.clone(), id));
        }
        Ok(offered)
    }
}

/// The extension ids of one offer: `holder` maps each id taken so far (registered, or given
/// in this offer) to its URI; `preferred` are the configured ones still to be taken.
struct Ids {
    holder: BTreeMap<u16, String>,
    preferred: BTreeSet<u16>,
}

/// The payload types of one offer: `used` are taken (registered, or given to a codec of this
/// offer); `preferred` are the ones configured codecs may still take, which a codec that must
/// move avoids while it can, so that it does not push the codecs after it off theirs.
struct PayloadTypes {
    used: BTreeSet<u8>,
    preferred: BTreeSet<u8>,
}

impl PayloadTypes {
    /// `preferred` if free, else a free dynamic payload type.
    fn take(&mut self, preferred: u8) -> Result<u8, Error> {
        let pt = if self.used.contains(&preferred) {
            free_dynamic(&self.used, &self.preferred).ok_or_else(|| Error::InvalidCodecConfig {
                what: format!(
                    "the codecs and their RTX need more payload types than there are: all {} \
                     dynamic ones are taken",
                    dynamic().count()
                ),
                rule: "RFC 3551 §6, RFC 5761 §4: dynamic payload types 96-127 and 35-63; \
                       RFC 9143 §9.1.1: one per codec across the BUNDLE group",
            })?
        } else {
            preferred
        };
        self.used.insert(pt);
        Ok(pt)
    }
}

/// The dynamic payload types, in the order they are handed out: 96-127 (RFC 3551 §6), then
/// 35-63 (unassigned, and clear of 64-95, which rtcp-mux keeps away from RTCP's packet types,
/// RFC 5761 §4).
fn dynamic() -> impl Iterator<Item = u8> {
    (96..=127).chain(35..=63)
}

/// The first dynamic payload type neither `used` nor `preferred`, else the first not `used`;
/// `None` when every one is used.
pub(super) fn free_dynamic(used: &BTreeSet<u8>, preferred: &BTreeSet<u8>) -> Option<u8> {
    dynamic()
        .find(|pt| !used.contains(pt) && !preferred.contains(pt))
        .or_else(|| dynamic().find(|pt| !used.contains(pt)))
}

/// RFC 2198 §5: RED's fmtp names the payload type of the codec it carries. In an offer that is
/// the codec the configuration names ([`Codec::primary`], by default the first codec of the
/// list that is neither RED nor RTX) at the payload type this offer gives it — not whichever
/// codec comes first.
fn name_primaries(configured: &[Codec], offered: &mut [NegotiatedCodec]) -> Result<(), Error> {
    let carried = |c: &Codec| !c.is_red() && !c.is_rtx();
    let first = configured.iter().position(carried);
    let mut named: Vec<(usize, String)> = Vec::new();
    for (i, codec) in configured.iter().enumerate() {
        if !codec.fmtp.iter().any(|(k, _)| k.contains(PRIMARY)) {
            continue;
        }
        // `offered` lists the configured codecs in their order: index j is codec j.
        let pt = codec
            .primary
            .or(first)
            .and_then(|j| offered.get(j))
            .filter(|p| carried(&p.codec))
            .map(|p| p.pt.to_string());
        let Some(pt) = pt else {
            return Err(Error::InvalidCodecConfig {
                what: format!(
                    "{} names no primary codec: primary {:?} is not a codec of its list that is \
                     neither RED nor RTX",
                    codec.name, codec.primary
                ),
                rule: "RFC 2198 §5: RED's fmtp names the payload type of the codec it carries",
            });
        };
        named.push((i, pt));
    }
    for (i, pt) in named {
        if let Some(red) = offered.get_mut(i) {
            for (k, _) in &mut red.codec.fmtp {
                *k = k.replace(PRIMARY, &pt);
            }
        }
    }
    Ok(())
}
