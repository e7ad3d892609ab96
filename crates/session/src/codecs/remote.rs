//! Numbering a remote description must not break: such a description cannot be used, whatever
//! else it says, and is refused as the peer's fault.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use tacet_sdp::{Attribute, MediaKind, MediaSection, SdpType, SessionDescription};

use crate::error::Error;

/// What a payload type stands for in one section: what RFC 9143 §9.1.1 asks to be identical
/// wherever a BUNDLE group reuses it — media type, encoding name, clock rate, and the
/// parameters (compared as a set, names case-insensitively). A payload type without
/// `a=rtpmap` is a static one (RFC 3551 §6) and stands for its number.
#[derive(Debug, PartialEq, Eq)]
struct Format {
    kind: MediaKind,
    /// `name/clock[/channels]` as `a=rtpmap` writes it (name in lower case), or empty.
    encoding: String,
    parameters: BTreeSet<(String, Option<String>)>,
}

impl Format {
    fn of(section: &MediaSection, pt: u8) -> Self {
        let encoding = section.rtpmap(pt).map_or_else(String::new, |m| {
            let name = m.encoding_name().to_ascii_lowercase();
            // A missing channel count means one channel (RFC 8866 §6.6).
            match m.channels().filter(|c| *c != 1) {
                Some(channels) => format!("{name}/{}/{channels}", m.clock_rate()),
                None => format!("{name}/{}", m.clock_rate()),
            }
        });
        let parameters = section
            .fmtp(pt)
            .map(|f| {
                f.params()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.map(str::to_owned)))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            kind: section.kind.clone(),
            encoding,
            parameters,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let encoding = if self.encoding.is_empty() {
            "static"
        } else {
            &self.encoding
        };
        write!(f, "{} {encoding}", self.kind.as_str())?;
        for (k, v) in &self.parameters {
            match v {
                Some(v) => write!(f, " {k}={v}")?,
                None => write!(f, " {k}")?,
            }
        }
        Ok(())
    }
}

/// The same payload types, with the same `a=rtpmap` and `a=fmtp` lines in the same order.
fn same_codec_lines(a: &MediaSection, b: &MediaSection) -> bool {
    a.formats == b.formats && codec_lines(a).eq(codec_lines(b))
}

/// A section's `a=rtpmap` and `a=fmtp` lines, in order.
fn codec_lines(section: &MediaSection) -> impl Iterator<Item = &Attribute> {
    section
        .attributes
        .iter()
        .filter(|a| matches!(a, Attribute::RtpMap(_) | Attribute::Fmtp(_)))
}

/// Refuses (the peer's fault, [`Error::PeerViolation`]) a remote description that
/// - gives one payload type two different meanings in one BUNDLE group, e.g. Opus in the audio
///   section and VP8 in the video section: bundled sections are one RTP session, where a
///   payload type names one codec configuration (RFC 9143 §9.1.1); a receiver could not tell
///   which codec a packet carries. Chromium refuses such a description as well ("A BUNDLE
///   group contains a codec collision");
/// - is an answer (or pranswer) mapping an extension to an id in 4096-4351: those ids are for
///   offers, to let the answerer choose, and are not usable on the wire (RFC 8285 §5, §7).
pub(crate) fn check_remote(description: &SessionDescription) -> Result<(), Error> {
    let by_mid = description.mid_index();
    for group in description.bundle_groups() {
        // The first section of the group using each payload type.
        let mut first_use: BTreeMap<u8, (&str, &MediaSection)> = BTreeMap::new();
        // The last section checked, per media type: a section with the same payload types
        // and the same rtpmap and fmtp lines means what it means (a group usually repeats one
        // codec list in every section of a kind; this runs on every remote description).
        let mut checked: Vec<&MediaSection> = Vec::new();
        for mid in group.mids() {
            let Some((_, section)) = by_mid.get(mid) else {
                continue;
            };
            if section.is_rejected() || !section.is_rtp() {
                continue;
            }
            if checked
                .iter()
                .any(|c| c.kind == section.kind && same_codec_lines(c, section))
            {
                continue;
            }
            for pt in section.payload_types() {
                match first_use.get(&pt) {
                    Some((first, known)) if Format::of(known, pt) != Format::of(section, pt) => {
                        let (known, format) = (Format::of(known, pt), Format::of(section, pt));
                        return Err(Error::peer(
                            format!(
                                "payload type {pt} is {known} in mid {first} but {format} in mid \
                                 {mid}, of the same BUNDLE group"
                            ),
                            "RFC 9143 §9.1.1: a payload type names one codec configuration \
                             across a BUNDLE group",
                        ));
                    }
                    Some(_) => {}
                    None => {
                        first_use.insert(pt, (mid, section));
                    }
                }
            }
            checked.retain(|c| c.kind != section.kind);
            checked.push(section);
        }
    }
    if matches!(description.sdp_type, SdpType::Answer | SdpType::Pranswer) {
        let answerer_chooses = description
            .media
            .iter()
            .flat_map(|m| m.attributes.extmaps())
            .find(|e| (4096..=4351).contains(&e.id()));
        if let Some(ext) = answerer_chooses {
            return Err(Error::peer(
                format!(
                    "the answer maps {} to id {}, which only an offer may use",
                    ext.uri(),
                    ext.id()
                ),
                "RFC 8285 §5, §7: an answer maps extensions to ids 1-255; 4096-4351 let the \
                 answerer choose",
            ));
        }
    }
    Ok(())
}
