//! Codecs and header extensions: the configured list, the negotiation of an answer against an
//! offer, and the registry that keeps payload types and extension ids stable for the whole
//! session.
//!
//! Stability matters: once a payload type or an extmap id is negotiated it is reused in every
//! later offer and answer, also when the original answerer makes the next offer. Chromium
//! refuses a re-offer that changes them ("RTP extension ID reassignment"), and RFC 8843 §9.1 /
//! RFC 3264 §8.3.2 ask for it.
//!
//! | file | what |
//! |---|---|
//! | `codecs.rs` | the configuration, reading and writing sections, the answer's codecs |
//! | `codecs/registry.rs` | the registry and the numbering of offers (one space for audio and video) |
//! | `codecs/extensions.rs` | the answer's extension ids |
//! | `codecs/h264.rs` | H264 profiles and levels (RFC 6184) |
//! | `codecs/remote.rs` | numbering a remote description must not break |
//!
//! Why each rule: `docs/decisions/0009-codec-negotiation.md`.

use tacet_sdp::{Attribute, ExtMap, Fmtp, MediaSection, RtcpFb, RtpMap, SessionDescription};

use tacet_track::TrackKind;

use crate::error::Error;
use crate::vocab;

mod extensions;
mod h264;
mod memo;
mod registry;
mod remote;
mod written;

pub(crate) use extensions::{AnswerIds, answer_extensions};
pub(crate) use memo::Reader;
pub(crate) use registry::Registry;
pub(crate) use remote::check_remote;
pub(crate) use written::Writer;

/// The placeholder for the primary codec's payload type in a RED fmtp (RFC 2198 §5).
const PRIMARY: &str = "{primary}";

/// One codec tacet can offer or accept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Codec {
    /// Encoding name as written in `a=rtpmap` (compared case-insensitively).
    pub name: String,
    /// RTP clock rate.
    pub clock_rate: u32,
    /// Channels (audio).
    pub channels: Option<u16>,
    /// `a=fmtp` parameters, in order. For RED, `{primary}` in a parameter name is replaced by
    /// the primary codec's payload type (`{primary}/{primary}` is written `111/111`): in an
    /// answer the primary the offer named, in an offer the codec [`primary`](Self::primary)
    /// names.
    pub fmtp: Vec<(String, Option<String>)>,
    /// `a=rtcp-fb` lines: (type, parameter).
    pub rtcp_fbs: Vec<(String, Option<String>)>,
    /// The payload type offered when nothing else was negotiated yet.
    pub preferred_pt: u8,
    /// The payload type of this codec's RTX stream (RFC 4588), when it has one.
    pub rtx_pt: Option<u8>,
    /// For RED (RFC 2198): the position, in the same list, of the codec it carries, whose
    /// payload type `{primary}` stands for in an offer. `None`: the first codec of the list
    /// that is neither RED nor RTX. Read only where the fmtp has `{primary}`.
    pub primary: Option<usize>,
}

impl Codec {
    /// The `a=fmtp` parameters as written: an empty value written bare (no `=`).
    pub(crate) fn written_fmtp(&self) -> Vec<(String, Option<String>)> {
        self.fmtp
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().filter(|v| !v.is_empty())))
            .collect()
    }

    fn new(name: &str, clock_rate: u32, channels: Option<u16>, preferred_pt: u8) -> Self {
        Self {
            name: name.to_owned(),
            clock_rate,
            channels,
            fmtp: Vec::new(),
            rtcp_fbs: Vec::new(),
            preferred_pt,
            rtx_pt: None,
            primary: None,
        }
    }

    fn fmtp(mut self, params: &[(&str, &str)]) -> Self {
        self.fmtp = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
            .collect();
        self
    }

    fn feedback(mut self, fbs: &[(&str, Option<&str>)]) -> Self {
        self.rtcp_fbs = fbs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.map(str::to_owned)))
            .collect();
        self
    }

    fn rtx(mut self, pt: u8) -> Self {
        self.rtx_pt = Some(pt);
        self
    }

    /// What makes two codecs "the same" for negotiation: name, clock rate, channels, and for
    /// H264 the profile (profile_idc and profile-iop, RFC 6184 §8.1 Table 5) and packetization
    /// mode (RFC 6184 §8.1), for VP9 the profile (draft-ietf-payload-vp9 §6). Not the H264
    /// level: it is negotiated (RFC 6184 §8.2.2, [`answer`]).
    pub(crate) fn key(&self) -> CodecKey {
        key_of(&self.name, self.clock_rate, self.channels, |k| {
            self.fmtp
                .iter()
                .find(|(name, _)| name == k)
                .and_then(|(_, v)| v.as_deref())
        })
    }

    fn is_red(&self) -> bool {
        self.name.eq_ignore_ascii_case("red")
    }

    fn is_rtx(&self) -> bool {
        self.name.eq_ignore_ascii_case("rtx")
    }

    fn is_h264(&self) -> bool {
        self.name.eq_ignore_ascii_case("h264")
    }
}

/// The identity of a codec for matching and for the payload-type registry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CodecKey {
    name: String,
    clock_rate: u32,
    channels: Option<u16>,
    profile: Option<String>,
}

fn key_of<'a>(
    name: &str,
    clock_rate: u32,
    channels: Option<u16>,
    param: impl Fn(&str) -> Option<&'a str>,
) -> CodecKey {
    let name = name.to_ascii_lowercase();
    let profile = match name.as_str() {
        "h264" => Some(h264::identity(
            param("profile-level-id"),
            param("packetization-mode"),
        )),
        "vp9" => Some(param("profile-id").unwrap_or("0").to_owned()),
        _ => None,
    };
    CodecKey {
        name,
        clock_rate,
        // Opus is always written /2; a missing channel count means one channel elsewhere.
        channels: channels.filter(|c| *c != 1),
        profile,
    }
}

/// The codecs and header extensions a session offers and accepts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CodecConfig {
    /// Audio codecs in preference order.
    pub audio: Vec<Codec>,
    /// Video codecs in preference order.
    pub video: Vec<Codec>,
    /// Audio header extensions: (URI, preferred id).
    pub audio_extensions: Vec<(String, u16)>,
    /// Video header extensions: (URI, preferred id).
    pub video_extensions: Vec<(String, u16)>,
}

const TWCC: &str = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
const MID_EXT: &str = "urn:ietf:params:rtp-hdrext:sdes:mid";
const ABS_SEND_TIME: &str = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

impl Default for CodecConfig {
    /// Chromium 156's list: Opus (with RED and telephone-event), VP8, VP9 and three H264
    /// profiles, each video codec with RTX; the header extensions Chromium offers first.
    fn default() -> Self {
        let video_fb: &[(&str, Option<&str>)] = &[
            ("goog-remb", None),
            ("transport-cc", None),
            ("ccm", Some("fir")),
            ("nack", None),
            ("nack", Some("pli")),
        ];
        let h264 = |pt, rtx, profile: &str| {
            Codec::new("H264", 90000, None, pt)
                .fmtp(&[
                    ("level-asymmetry-allowed", "1"),
                    ("packetization-mode", "1"),
                    ("profile-level-id", profile),
                ])
                .feedback(video_fb)
                .rtx(rtx)
        };
        Self {
            audio: vec![
                Codec::new("opus", 48000, Some(2), 111)
                    .fmtp(&[("minptime", "10"), ("useinbandfec", "1")])
                    .feedback(&[("transport-cc", None)]),
                Codec::new("red", 48000, Some(2), 63).fmtp(&[("{primary}/{primary}", "")]),
                Codec::new("telephone-event", 48000, None, 110),
                Codec::new("telephone-event", 8000, None, 126),
            ],
            video: vec![
                Codec::new("VP8", 90000, None, 96)
                    .feedback(video_fb)
                    .rtx(97),
                Codec::new("VP9", 90000, None, 98)
                    .fmtp(&[("profile-id", "0")])
                    .feedback(video_fb)
                    .rtx(99),
                h264(102, 103, "42001f"),
                h264(108, 109, "42e01f"),
                h264(116, 117, "4d001f"),
            ],
            audio_extensions: vec![
                ("urn:ietf:params:rtp-hdrext:ssrc-audio-level".into(), 1),
                (ABS_SEND_TIME.into(), 2),
                (TWCC.into(), 3),
                (MID_EXT.into(), 4),
            ],
            video_extensions: vec![
                (ABS_SEND_TIME.into(), 2),
                (TWCC.into(), 3),
                (MID_EXT.into(), 4),
                ("urn:3gpp:video-orientation".into(), 13),
                ("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id".into(), 10),
                (
                    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id".into(),
                    11,
                ),
            ],
        }
    }
}

impl CodecConfig {
    /// Opus, and VP8 with RTX, with the mid and transport-cc extensions: the shared workload of
    /// the peer benchmarks.
    pub fn minimal() -> Self {
        let full = Self::default();
        Self {
            audio: full.audio.into_iter().take(1).collect(),
            video: full.video.into_iter().take(1).collect(),
            audio_extensions: vec![(MID_EXT.into(), 4), (TWCC.into(), 3)],
            video_extensions: vec![(MID_EXT.into(), 4), (TWCC.into(), 3)],
        }
    }

    /// The codecs and header extensions `description` lists — its first audio and first video
    /// m-section, in order, each codec keeping its payload type and RTX payload type as the
    /// preferred ones. An endpoint configured with it offers what that peer offers, with the
    /// same payload types (to mirror a browser's offer, e.g. in interop tests). A kind the
    /// description does not have keeps the default list.
    pub fn from_description(description: &SessionDescription) -> Self {
        let mut config = Self::default();
        for media in [TrackKind::Audio, TrackKind::Video] {
            let kind = vocab::media_kind(media);
            let Some(section) = description.media.iter().find(|m| m.kind == kind) else {
                continue;
            };
            let read = read_section(section);
            let pts: Vec<u8> = read.iter().map(|n| n.pt).collect();
            let mut codecs: Vec<Codec> = read
                .into_iter()
                .map(|n| Codec {
                    rtx_pt: n.rtx_pt,
                    ..n.codec
                })
                .collect();
            name_red_primaries(&mut codecs, &pts);
            let extensions = read_extensions(section);
            match media {
                TrackKind::Audio => {
                    config.audio = codecs;
                    config.audio_extensions = extensions;
                }
                TrackKind::Video => {
                    config.video = codecs;
                    config.video_extensions = extensions;
                }
            }
        }
        config
    }

    pub(crate) fn codecs(&self, media: TrackKind) -> &[Codec] {
        match media {
            TrackKind::Audio => &self.audio,
            TrackKind::Video => &self.video,
        }
    }

    pub(crate) fn extensions(&self, media: TrackKind) -> &[(String, u16)] {
        match media {
            TrackKind::Audio => &self.audio_extensions,
            TrackKind::Video => &self.video_extensions,
        }
    }
}

/// RED read from a description names its primary by payload type (`111/111`); in a
/// configuration it names it by position, so that the offer follows the primary wherever the
/// registry numbers it: `{primary}/{primary}` and [`Codec::primary`].
fn name_red_primaries(codecs: &mut [Codec], pts: &[u8]) {
    for i in 0..codecs.len() {
        if !codecs[i].is_red() {
            continue;
        }
        let Some(first) = codecs[i].fmtp.first().map(|(k, _)| k.clone()) else {
            continue;
        };
        let named = first.split('/').next().and_then(|p| p.parse::<u8>().ok());
        let index = named.and_then(|pt| pts.iter().position(|p| *p == pt));
        let (Some(pt), Some(index)) = (named, index) else {
            continue;
        };
        if codecs[index].is_red() {
            continue;
        }
        let pt = pt.to_string();
        let key: Vec<&str> = first
            .split('/')
            .map(|p| if p == pt { PRIMARY } else { p })
            .collect();
        if let Some((k, _)) = codecs[i].fmtp.first_mut() {
            *k = key.join("/");
        }
        codecs[i].primary = Some(index);
    }
}

/// One codec as negotiated in an m-section.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NegotiatedCodec {
    /// The payload type used on the wire.
    pub pt: u8,
    /// The codec.
    pub codec: Codec,
    /// The RTX payload type, when RTX was negotiated.
    pub rtx_pt: Option<u8>,
}

/// The codecs of an m-section as written, one entry per primary payload type.
pub(crate) fn read_section(section: &MediaSection) -> Vec<NegotiatedCodec> {
    let rtx_for = |pt: u8| {
        section.payload_types().find(|rtx| {
            section
                .rtpmap(*rtx)
                .is_some_and(|m| m.encoding_name().eq_ignore_ascii_case("rtx"))
                && section.fmtp(*rtx).and_then(|f| f.param("apt")) == Some(&pt.to_string())
        })
    };
    section
        .payload_types()
        .filter_map(|pt| {
            let map = section.rtpmap(pt)?;
            if map.encoding_name().eq_ignore_ascii_case("rtx") {
                return None;
            }
            let fmtp: Vec<(String, Option<String>)> = section
                .fmtp(pt)
                .map(|f| {
                    f.params()
                        .map(|(k, v)| (k.to_owned(), v.map(str::to_owned)))
                        .collect()
                })
                .unwrap_or_default();
            let rtcp_fbs = section
                .rtcp_fbs_for(pt)
                .map(|fb| (fb.kind().to_owned(), fb.param().map(str::to_owned)))
                .collect();
            Some(NegotiatedCodec {
                pt,
                codec: Codec {
                    name: map.encoding_name().to_owned(),
                    clock_rate: map.clock_rate(),
                    channels: map.channels(),
                    fmtp,
                    rtcp_fbs,
                    preferred_pt: pt,
                    rtx_pt: None,
                    primary: None,
                },
                rtx_pt: rtx_for(pt),
            })
        })
        .collect()
}

/// The extensions of an m-section as written.
pub(crate) fn read_extensions(section: &MediaSection) -> Vec<(String, u16)> {
    section
        .attributes
        .extmaps()
        .map(|e| (e.uri().to_owned(), e.id()))
        .collect()
}

/// The answer's codecs for an offered section (RFC 9429 §5.3.1): the offered codecs tacet
/// supports, in the offer's order and with the offer's payload types; our own fmtp (for H264
/// at the level RFC 6184 §8.2.2 gives the answer); rtcp-fb the intersection; RTX only for
/// accepted codecs both sides offer it for; RED only when its primary is accepted.
pub(crate) fn answer(
    config: &CodecConfig,
    media: TrackKind,
    offered: &[NegotiatedCodec],
) -> Vec<NegotiatedCodec> {
    let local = config.codecs(media);
    // Each key once: a key allocates, and comparing keys built per comparison cost
    // offered × local keys per section (issue 16).
    let local_keys: Vec<CodecKey> = local.iter().map(Codec::key).collect();
    let offered_keys: Vec<CodecKey> = offered.iter().map(|o| o.codec.key()).collect();
    let supported = |key: &CodecKey| {
        local_keys
            .iter()
            .position(|l| l == key)
            .and_then(|i| local.get(i))
    };
    let mut accepted: Vec<NegotiatedCodec> = Vec::new();
    for (o, key) in offered.iter().zip(&offered_keys) {
        let Some(mine) = supported(key) else {
            continue;
        };
        let mut fmtp = if mine.is_h264() {
            h264::answer_fmtp(&mine.fmtp, &o.codec.fmtp)
        } else {
            mine.fmtp.clone()
        };
        if mine.is_red() {
            // RED carries a primary codec (RFC 2198 §5, `a=fmtp:63 111/111`): accept it only
            // when the primary is accepted. The primary may be listed after RED (an offerer
            // that prefers RED puts it first), so the whole offer is searched.
            let primary =
                o.codec
                    .fmtp
                    .first()
                    .and_then(|(k, _)| k.split('/').next())
                    .and_then(|pt| pt.parse::<u8>().ok())
                    .filter(|p| {
                        offered.iter().zip(&offered_keys).any(|(c, key)| {
                            c.pt == *p && !c.codec.is_red() && supported(key).is_some()
                        })
                    });
            let Some(primary) = primary else {
                continue;
            };
            // Name the offer's primary payload type (RFC 2198 §5), whatever comes first.
            let primary = primary.to_string();
            for (k, _) in &mut fmtp {
                *k = k.replace(PRIMARY, &primary);
            }
        }
        let rtcp_fbs = mine
            .rtcp_fbs
            .iter()
            .filter(|fb| o.codec.rtcp_fbs.contains(fb))
            .cloned()
            .collect();
        accepted.push(NegotiatedCodec {
            pt: o.pt,
            codec: Codec {
                fmtp,
                rtcp_fbs,
                preferred_pt: o.pt,
                ..mine.clone()
            },
            rtx_pt: o.rtx_pt.filter(|_| mine.rtx_pt.is_some()),
        });
    }
    accepted
}

/// Writes the codec attributes (rtpmap, rtcp-fb, fmtp, then RTX) in Chromium's order, and
/// returns the payload types for the m-line.
pub(crate) fn write_codecs(
    section: &mut MediaSection,
    codecs: &[NegotiatedCodec],
) -> Result<Vec<u8>, Error> {
    let mut pts = Vec::new();
    let sdp = |e: tacet_sdp::Error| Error::InvalidState {
        what: format!("codec configuration cannot be written: {e}"),
        rule: "tacet: CodecConfig values must be SDP tokens",
    };
    for c in codecs {
        pts.push(c.pt);
        let a = &mut section.attributes;
        a.push(Attribute::RtpMap(
            RtpMap::new(c.pt, &c.codec.name, c.codec.clock_rate, c.codec.channels).map_err(sdp)?,
        ));
        for (kind, param) in &c.codec.rtcp_fbs {
            a.push(Attribute::RtcpFb(
                RtcpFb::new(Some(c.pt), kind, param.as_deref()).map_err(sdp)?,
            ));
        }
        if !c.codec.fmtp.is_empty() {
            let params = c.codec.written_fmtp();
            a.push(Attribute::Fmtp(
                Fmtp::new(c.pt, params.iter().map(|(k, v)| (k.as_str(), v.as_deref())))
                    .map_err(sdp)?,
            ));
        }
        if let Some(rtx) = c.rtx_pt {
            pts.push(rtx);
            a.push(Attribute::RtpMap(
                RtpMap::new(rtx, "rtx", c.codec.clock_rate, None).map_err(sdp)?,
            ));
            a.push(Attribute::Fmtp(
                Fmtp::new(rtx, [("apt", Some(c.pt.to_string().as_str()))]).map_err(sdp)?,
            ));
        }
    }
    Ok(pts)
}

/// Writes `a=extmap` lines.
pub(crate) fn write_extensions(
    section: &mut MediaSection,
    extensions: &[(String, u16)],
) -> Result<(), Error> {
    for (uri, id) in extensions {
        section
            .attributes
            .push(Attribute::ExtMap(ExtMap::new(*id, None, uri).map_err(
                |e| Error::InvalidState {
                    what: format!("header extension cannot be written: {e}"),
                    rule: "tacet: extension URIs contain no spaces",
                },
            )?));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
