//! Codec negotiation tests: the default configuration, answers (RFC 9429 §5.3.1), payload-type
//! and extension-id stability (RFC 3264 §6.1 / §8.3.2, RFC 8285), one numbering for audio and
//! video (RFC 9143 §9.1.1, §12), RTX (RFC 4588), RED (RFC 2198), H264 profiles and levels
//! (RFC 6184 §8.1, §8.2.2), running out of numbers, remote numbering, and the round trip
//! through SDP.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tacet_sdp::{MediaKind, MediaSection, Origin, SdpType, SessionDescription};

use super::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The feedback tacet offers for every video codec, in its order.
const VIDEO_FB: &[(&str, Option<&str>)] = &[
    ("goog-remb", None),
    ("transport-cc", None),
    ("ccm", Some("fir")),
    ("nack", None),
    ("nack", Some("pli")),
];

const AUDIO_LEVEL: &str = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
const VIDEO_ORIENTATION: &str = "urn:3gpp:video-orientation";

/// A codec as a remote peer would offer it: `preferred_pt` is the payload type, which is also
/// what `read_section` reports, so remote codecs compare equal after an SDP round trip.
fn remote(
    pt: u8,
    name: &str,
    clock_rate: u32,
    channels: Option<u16>,
    fmtp: &[(&str, &str)],
    rtx: Option<u8>,
) -> NegotiatedCodec {
    NegotiatedCodec {
        pt,
        codec: Codec::new(name, clock_rate, channels, pt).fmtp(fmtp),
        rtx_pt: rtx,
    }
}

/// A remote video codec with tacet's own five feedback lines.
fn remote_video(pt: u8, name: &str, fmtp: &[(&str, &str)], rtx: Option<u8>) -> NegotiatedCodec {
    let mut c = remote(pt, name, 90000, None, fmtp, rtx);
    c.codec = c.codec.feedback(VIDEO_FB);
    c
}

/// A remote H264 offer with this profile-level-id and packetization mode.
fn remote_h264(pt: u8, profile: &str, mode: &str, rtx: Option<u8>) -> NegotiatedCodec {
    remote_video(
        pt,
        "H264",
        &[
            ("level-asymmetry-allowed", "1"),
            ("packetization-mode", mode),
            ("profile-level-id", profile),
        ],
        rtx,
    )
}

fn opus(pt: u8) -> NegotiatedCodec {
    let mut c = remote(
        pt,
        "opus",
        48000,
        Some(2),
        &[("minptime", "10"), ("useinbandfec", "1")],
        None,
    );
    c.codec = c.codec.feedback(&[("transport-cc", None)]);
    c
}

/// RED whose fmtp names `primary` as the redundant encodings (RFC 2198 §5).
fn red(pt: u8, primary: u8) -> NegotiatedCodec {
    let param = format!("{primary}/{primary}");
    remote(pt, "red", 48000, Some(2), &[(param.as_str(), "")], None)
}

fn pts(codecs: &[NegotiatedCodec]) -> Vec<u8> {
    codecs.iter().map(|c| c.pt).collect()
}

fn pts_and_rtx(codecs: &[NegotiatedCodec]) -> Vec<(u8, Option<u8>)> {
    codecs.iter().map(|c| (c.pt, c.rtx_pt)).collect()
}

/// Every payload type of a section's codec list, primary and RTX, in order.
fn all_pts(codecs: &[NegotiatedCodec]) -> Vec<u8> {
    codecs
        .iter()
        .flat_map(|c| std::iter::once(c.pt).chain(c.rtx_pt))
        .collect()
}

fn assert_no_duplicate_pts(codecs: &[NegotiatedCodec]) {
    let all = all_pts(codecs);
    let distinct: BTreeSet<u8> = all.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        all.len(),
        "duplicate payload type in {all:?}"
    );
}

/// The offered codec with payload type `pt`.
fn find(codecs: &[NegotiatedCodec], pt: u8) -> &NegotiatedCodec {
    codecs
        .iter()
        .find(|c| c.pt == pt)
        .unwrap_or_else(|| panic!("no codec at {pt} in {:?}", pts(codecs)))
}

/// The fmtp value of `param` on the codec.
fn param<'a>(c: &'a NegotiatedCodec, name: &str) -> Option<&'a str> {
    c.codec
        .fmtp
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.as_deref())
}

fn ext(uri: &str, id: u16) -> (String, u16) {
    (uri.to_owned(), id)
}

/// The codecs `registry` offers for `media`.
fn offered(registry: &Registry, config: &CodecConfig, media: TrackKind) -> Vec<NegotiatedCodec> {
    let offer = registry.offer(config).unwrap();
    offer.codecs(media).to_vec()
}

/// The header extensions `registry` offers for `media`.
fn offered_extensions(
    registry: &Registry,
    config: &CodecConfig,
    media: TrackKind,
) -> Vec<(String, u16)> {
    let offer = registry.offer(config).unwrap();
    offer.extensions(media).to_vec()
}

/// A fresh RTP section carrying these codecs and extensions, written the way the session
/// writes its own: extensions, then codecs, then the m-line's format list.
fn section(
    kind: MediaKind,
    codecs: &[NegotiatedCodec],
    extensions: &[(String, u16)],
) -> MediaSection {
    let mut section = MediaSection::rtp(kind, &[]).unwrap();
    write_extensions(&mut section, extensions).unwrap();
    let pts = write_codecs(&mut section, codecs).unwrap();
    section.formats = pts.iter().map(u8::to_string).collect::<Vec<_>>().join(" ");
    section
}

/// `section` written in a description and parsed back; the whole description must survive.
fn reparse(section: &MediaSection) -> MediaSection {
    let mut sdp = SessionDescription::new(SdpType::Offer, Origin::new(1, 1));
    let mut section = section.clone();
    section.set_mid("0").unwrap();
    sdp.media.push(section);
    let text = sdp.write();
    let parsed =
        SessionDescription::parse(SdpType::Offer, &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.description, sdp, "{text}");
    assert_eq!(parsed.description.write(), text);
    parsed.description.media[0].clone()
}

/// The offer's codecs as the answerer reads them from SDP. (An m-line needs a format, RFC 8866
/// §5.14, so an empty list is read without the parse.)
fn through_sdp(kind: MediaKind, codecs: &[NegotiatedCodec]) -> Vec<NegotiatedCodec> {
    let written = section(kind, codecs, &[]);
    if codecs.is_empty() {
        return read_section(&written);
    }
    read_section(&reparse(&written))
}

/// What an answer negotiated, as `apply` reads it back from the answer's SDP.
fn negotiated(kind: MediaKind, answer: &[NegotiatedCodec]) -> Vec<NegotiatedCodec> {
    through_sdp(kind, answer)
}

mod answer;
mod defaults;
mod extensions;
mod h264;
mod limits;
mod properties;
mod red;
mod remote;
mod roundtrip;
mod stability;
