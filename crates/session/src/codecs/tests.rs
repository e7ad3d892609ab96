//! Codec negotiation tests: the default configuration, answers (RFC 9429 §5.3.1), payload-type
//! and extension-id stability (RFC 3264 §6.1 / §8.3.2, RFC 8285), RTX (RFC 4588), RED
//! (RFC 2198), H264 profiles (RFC 6184 §8.2.2), and the round trip through SDP.

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

// ---------------------------------------------------------------------------------------------
// 1. The default configuration
// ---------------------------------------------------------------------------------------------

/// RFC 3264 §6.1 / RFC 4588 §8.6: with nothing negotiated, every codec is offered at its
/// preferred payload type, each video codec with its RTX payload type, no number twice.
#[test]
fn default_offer_uses_each_preferred_pt_and_rtx_pt() {
    let config = CodecConfig::default();
    for media in [MediaType::Audio, MediaType::Video] {
        let offer = Registry::default().offer(&config, media);
        assert_eq!(offer.len(), config.codecs(media).len());
        for (offered, configured) in offer.iter().zip(config.codecs(media)) {
            assert_eq!(&offered.codec, configured);
            assert_eq!(offered.pt, configured.preferred_pt, "{}", configured.name);
            assert_eq!(offered.rtx_pt, configured.rtx_pt, "{}", configured.name);
        }
        assert_no_duplicate_pts(&offer);
    }
}

/// RFC 3264 §6.1: the default video list is VP8, VP9 and three H264 profiles, each followed by
/// its RTX (RFC 4588), at Chromium's numbers.
#[test]
fn default_video_offer_is_chromium_numbering() {
    let offer = Registry::default().offer(&CodecConfig::default(), MediaType::Video);
    assert_eq!(
        pts_and_rtx(&offer),
        [
            (96, Some(97)),
            (98, Some(99)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    let names: Vec<&str> = offer.iter().map(|c| c.codec.name.as_str()).collect();
    assert_eq!(names, ["VP8", "VP9", "H264", "H264", "H264"]);
    let profiles: Vec<Option<&str>> = offer.iter().map(|c| param(c, "profile-level-id")).collect();
    assert_eq!(
        profiles,
        [None, None, Some("42001f"), Some("42e01f"), Some("4d001f")]
    );
}

/// RFC 3264 §6.1, RFC 2198: the default audio list is Opus, RED and two telephone-events, no
/// RTX; every payload type is distinct.
#[test]
fn default_audio_offer_has_no_rtx_and_distinct_pts() {
    let offer = Registry::default().offer(&CodecConfig::default(), MediaType::Audio);
    assert_eq!(
        pts_and_rtx(&offer),
        [(111, None), (63, None), (110, None), (126, None)]
    );
    assert_eq!(
        offer[0].codec.channels,
        Some(2),
        "RFC 7587 §7: opus/48000/2"
    );
}

/// RFC 3264 §6.1: no two codecs of a media type share a preferred payload type, across audio
/// and video either (RFC 8843 §9.1: bundled sections share one payload-type space).
#[test]
fn default_config_pts_are_distinct_across_media_types() {
    let config = CodecConfig::default();
    let mut all: Vec<u8> = config
        .audio
        .iter()
        .chain(&config.video)
        .flat_map(|c| std::iter::once(c.preferred_pt).chain(c.rtx_pt))
        .collect();
    let len = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), len);
}

/// RFC 8285 §5: the default extension ids are distinct per media type and fit the one-byte
/// header (1-14).
#[test]
fn default_extension_offer_uses_preferred_ids_without_duplicates() {
    let config = CodecConfig::default();
    for media in [MediaType::Audio, MediaType::Video] {
        let offer = Registry::default().offer_extensions(&config, media);
        assert_eq!(offer, config.extensions(media));
        let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
        assert_eq!(ids.len(), offer.len());
        assert!(ids.iter().all(|id| (1..=14).contains(id)), "{ids:?}");
    }
}

/// The minimal configuration: Opus, VP8 with RTX (RFC 4588), mid and transport-cc.
#[test]
fn minimal_config_offers_opus_and_vp8_with_rtx() {
    let config = CodecConfig::minimal();
    let audio = Registry::default().offer(&config, MediaType::Audio);
    let video = Registry::default().offer(&config, MediaType::Video);
    assert_eq!(pts_and_rtx(&audio), [(111, None)]);
    assert_eq!(pts_and_rtx(&video), [(96, Some(97))]);
    assert_eq!(video[0].codec.name, "VP8");
    for media in [MediaType::Audio, MediaType::Video] {
        let uris: Vec<String> = Registry::default()
            .offer_extensions(&config, media)
            .into_iter()
            .map(|(uri, _)| uri)
            .collect();
        assert_eq!(uris, [MID_EXT, TWCC]);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. answer()
// ---------------------------------------------------------------------------------------------

/// RFC 9429 §5.3.1: the answer lists the offered codecs the answerer supports, in the offer's
/// order, at the offer's payload types (RFC 3264 §6.1), with its own fmtp.
#[test]
fn answer_keeps_supported_codecs_in_offer_order_with_offer_pts() {
    let offer = [
        remote_video(45, "AV1", &[], Some(46)),
        remote_h264(125, "42e01f", "1", Some(107)),
        remote_video(120, "VP8", &[], Some(121)),
        remote_video(100, "VP9", &[("profile-id", "0")], Some(101)),
    ];
    let answer = answer(&CodecConfig::default(), MediaType::Video, &offer);
    assert_eq!(
        pts_and_rtx(&answer),
        [(125, Some(107)), (120, Some(121)), (100, Some(101))]
    );
    let names: Vec<&str> = answer.iter().map(|c| c.codec.name.as_str()).collect();
    assert_eq!(names, ["H264", "VP8", "VP9"]);
    // The answerer's own codec description, renumbered to the offer.
    let h264 = &answer[0];
    assert_eq!(h264.codec.preferred_pt, 125);
    assert_eq!(h264.codec.fmtp, CodecConfig::default().video[3].fmtp);
}

/// RFC 9429 §5.3.1 (and RFC 3264 §6.1): the answerer may not renumber; answering our own
/// default offer gives back exactly its payload types.
#[test]
fn answer_to_our_own_default_offer_keeps_every_codec() {
    let config = CodecConfig::default();
    for (media, kind) in [
        (MediaType::Audio, MediaKind::Audio),
        (MediaType::Video, MediaKind::Video),
    ] {
        let offer = Registry::default().offer(&config, media);
        let answer = answer(&config, media, &through_sdp(kind, &offer));
        assert_eq!(pts_and_rtx(&answer), pts_and_rtx(&offer), "{media:?}");
        for (a, o) in answer.iter().zip(&offer) {
            assert_eq!(a.codec.rtcp_fbs, o.codec.rtcp_fbs);
        }
    }
}

/// RFC 9429 §5.3.1 (RFC 4585 §4.2): the answer's rtcp-fb is the intersection of both sides,
/// in the answerer's order; `nack` and `nack pli` are different feedback.
#[test]
fn answer_rtcp_feedback_is_the_intersection() {
    let mut vp8 = remote_video(100, "VP8", &[], None);
    vp8.codec.rtcp_fbs = vec![
        ("nack".into(), Some("pli".into())),
        ("x-unknown".into(), None),
        ("transport-cc".into(), None),
        ("ccm".into(), Some("tmmbr".into())),
    ];
    let answer = answer(&CodecConfig::default(), MediaType::Video, &[vp8]);
    assert_eq!(
        answer[0].codec.rtcp_fbs,
        [
            ("transport-cc".to_owned(), None),
            ("nack".to_owned(), Some("pli".to_owned())),
        ]
    );
}

/// RFC 9429 §5.3.1: an offer without feedback gets none back.
#[test]
fn answer_without_offered_feedback_has_none() {
    let offer = [remote(100, "VP8", 90000, None, &[], None)];
    let answer = answer(&CodecConfig::default(), MediaType::Video, &offer);
    assert_eq!(pts(&answer), [100]);
    assert!(answer[0].codec.rtcp_fbs.is_empty());
}

/// RFC 4585 §4.2: `a=rtcp-fb:*` applies to every payload type, so it counts as offered for
/// each codec.
#[test]
fn answer_counts_wildcard_feedback_for_every_codec() {
    let mut offer = section(
        MediaKind::Video,
        &[remote(100, "VP8", 90000, None, &[], Some(101))],
        &[],
    );
    offer
        .attributes
        .push(Attribute::RtcpFb(RtcpFb::new(None, "nack", None).unwrap()));
    let offer = reparse(&offer);
    let answer = answer(
        &CodecConfig::default(),
        MediaType::Video,
        &read_section(&offer),
    );
    assert_eq!(answer[0].codec.rtcp_fbs, [("nack".to_owned(), None)]);
}

/// RFC 4588 §8.6 / RFC 9429 §5.3.1: RTX is answered only for an accepted codec the offer gave
/// RTX for; an unsupported codec's RTX goes with it; a codec we keep no RTX for (Opus) gets
/// none even when offered.
#[test]
fn answer_keeps_rtx_only_for_accepted_codecs() {
    let offer = through_sdp(
        MediaKind::Video,
        &[
            remote_video(96, "AV1", &[], Some(97)),
            remote_video(98, "VP8", &[], None),
            remote_video(100, "VP9", &[], Some(101)),
        ],
    );
    let answer = answer(&CodecConfig::default(), MediaType::Video, &offer);
    assert_eq!(pts_and_rtx(&answer), [(98, None), (100, Some(101))]);
    let written = section(MediaKind::Video, &answer, &[]);
    assert_eq!(written.formats, "98 100 101");
    // RFC 4588 §8.6: the answered RTX points at its codec.
    assert_eq!(written.fmtp(101).and_then(|f| f.param("apt")), Some("100"));

    let mut opus_rtx = opus(111);
    opus_rtx.rtx_pt = Some(112);
    let audio = super::answer(&CodecConfig::default(), MediaType::Audio, &[opus_rtx]);
    assert_eq!(pts_and_rtx(&audio), [(111, None)]);
}

/// RFC 2198 §5: RED is accepted when its primary (Opus) is accepted, and its fmtp names the
/// offered primary.
#[test]
fn answer_accepts_red_with_its_primary() {
    let offer = through_sdp(MediaKind::Audio, &[opus(109), red(63, 109)]);
    let answer = answer(&CodecConfig::default(), MediaType::Audio, &offer);
    assert_eq!(pts(&answer), [109, 63]);
    let written = reparse(&section(MediaKind::Audio, &answer, &[]));
    assert_eq!(written.fmtp(63).map(|f| f.parameters()), Some("109/109"));
}

/// RFC 2198 §5: RED without its primary carries nothing we can decode: dropped when the
/// primary is missing, unsupported (mono `opus/48000`), or not named at all.
#[test]
fn answer_drops_red_without_an_accepted_primary() {
    let config = CodecConfig::default();
    let no_primary = through_sdp(MediaKind::Audio, &[red(63, 111)]);
    assert!(answer(&config, MediaType::Audio, &no_primary).is_empty());

    let other_primary = through_sdp(MediaKind::Audio, &[opus(111), red(63, 109)]);
    assert_eq!(
        pts(&answer(&config, MediaType::Audio, &other_primary)),
        [111]
    );

    let mono = remote(111, "opus", 48000, None, &[], None);
    let unsupported = through_sdp(MediaKind::Audio, &[mono, red(63, 111)]);
    assert!(answer(&config, MediaType::Audio, &unsupported).is_empty());

    let bare = remote(63, "red", 48000, Some(2), &[], None);
    let unnamed = through_sdp(MediaKind::Audio, &[opus(111), bare]);
    assert_eq!(pts(&answer(&config, MediaType::Audio, &unnamed)), [111]);
}

/// RFC 2198 §5, RFC 9429 §5.3.1: an offerer that prefers RED lists it before Opus; RED is still
/// accepted (its primary is accepted), in the offer's order.
#[test]
fn answer_accepts_red_listed_before_its_primary() {
    let offer = through_sdp(MediaKind::Audio, &[red(63, 111), opus(111)]);
    let answer = answer(&CodecConfig::default(), MediaType::Audio, &offer);
    assert_eq!(pts(&answer), [63, 111]);
    let written = reparse(&section(MediaKind::Audio, &answer, &[]));
    assert_eq!(written.formats, "63 111");
    assert_eq!(written.fmtp(63).map(|f| f.parameters()), Some("111/111"));
}

/// RFC 2198 §5: the answered RED names the offer's primary even when another codec comes
/// first in the answer.
#[test]
fn answer_red_names_the_offered_primary_not_the_first_codec() {
    let dtmf = remote(110, "telephone-event", 48000, None, &[], None);
    let offer = through_sdp(MediaKind::Audio, &[dtmf, opus(109), red(63, 109)]);
    let answer = answer(&CodecConfig::default(), MediaType::Audio, &offer);
    assert_eq!(pts(&answer), [110, 109, 63]);
    let written = reparse(&section(MediaKind::Audio, &answer, &[]));
    assert_eq!(written.fmtp(63).map(|f| f.parameters()), Some("109/109"));
    assert_eq!(
        read_section(&written)[2].codec.fmtp,
        [("109/109".to_owned(), None)]
    );
}

/// RFC 6184 §8.2.2: H264 matches on profile (profile_idc and profile-iop: `42e0` constrained
/// baseline, `4200` baseline, `4d00` main) and packetization mode; the level does not matter
/// (level-asymmetry-allowed). An unsupported profile (`6400` high) or mode is dropped.
#[test]
fn answer_matches_h264_by_profile_and_packetization_mode() {
    let offer = [
        remote_h264(100, "42e01f", "1", Some(101)),
        remote_h264(102, "42e01f", "0", Some(103)),
        remote_h264(104, "42001f", "1", Some(105)),
        remote_h264(106, "640032", "1", Some(107)),
        remote_h264(108, "4d0034", "1", Some(109)),
    ];
    let answer = answer(&CodecConfig::default(), MediaType::Video, &offer);
    assert_eq!(
        pts_and_rtx(&answer),
        [(100, Some(101)), (104, Some(105)), (108, Some(109))]
    );
    let profiles: Vec<Option<&str>> = answer
        .iter()
        .map(|c| param(c, "profile-level-id"))
        .collect();
    assert_eq!(
        profiles,
        [Some("42e01f"), Some("42001f"), Some("4d001f")],
        "the answer describes our own profile-level-id"
    );
    assert!(
        answer
            .iter()
            .all(|c| param(c, "packetization-mode") == Some("1"))
    );
}

/// RFC 6184 §8.1: packetization-mode absent means mode 0, which tacet does not configure.
#[test]
fn answer_drops_h264_without_packetization_mode() {
    let offer = [remote_video(
        100,
        "H264",
        &[("profile-level-id", "42e01f")],
        None,
    )];
    assert!(answer(&CodecConfig::default(), MediaType::Video, &offer).is_empty());
}

/// RFC 6184 §8.1: profile-level-id is hexadecimal; `42E01F` is `42e01f`.
#[test]
fn answer_matches_h264_profile_case_insensitively() {
    let offer = [remote_h264(100, "42E01F", "1", None)];
    let answer = answer(&CodecConfig::default(), MediaType::Video, &offer);
    assert_eq!(pts(&answer), [100]);
    assert_eq!(param(&answer[0], "profile-level-id"), Some("42e01f"));
}

/// draft-ietf-payload-vp9 §6: VP9 matches on profile-id, absent meaning 0.
#[test]
fn answer_matches_vp9_by_profile_id() {
    let offer = [
        remote_video(100, "VP9", &[("profile-id", "2")], None),
        remote_video(101, "VP9", &[], None),
    ];
    let answer = answer(&CodecConfig::default(), MediaType::Video, &offer);
    assert_eq!(pts(&answer), [101]);
    assert_eq!(param(&answer[0], "profile-id"), Some("0"));
}

/// RFC 8866 §6.6: encoding names compare case-insensitively (also `RTX` and `RED`); the answer
/// writes the answerer's spelling.
#[test]
fn answer_matches_codec_names_case_insensitively() {
    let video = through_sdp(
        MediaKind::Video,
        &[
            remote_video(100, "vp8", &[], Some(101)),
            remote_h264(102, "42e01f", "1", None),
        ],
    );
    // The RTX mapping written in upper case is still RTX (RFC 4588 §8.6).
    let mut section = section(
        MediaKind::Video,
        &[remote_video(100, "vp8", &[], None)],
        &[],
    );
    section.formats.push_str(" 101");
    section.attributes.push(Attribute::RtpMap(
        RtpMap::new(101, "RTX", 90000, None).unwrap(),
    ));
    section.attributes.push(Attribute::Fmtp(
        Fmtp::new(101, [("apt", Some("100"))]).unwrap(),
    ));
    let upper_rtx = read_section(&reparse(&section));
    assert_eq!(pts_and_rtx(&upper_rtx), [(100, Some(101))]);
    let mut h264 = video[1].clone();
    h264.codec.name = "h264".into();
    let answer_v = answer(
        &CodecConfig::default(),
        MediaType::Video,
        &[video[0].clone(), h264],
    );
    assert_eq!(pts_and_rtx(&answer_v), [(100, Some(101)), (102, None)]);
    assert_eq!(answer_v[0].codec.name, "VP8");
    assert_eq!(answer_v[1].codec.name, "H264");

    let mut loud = opus(111);
    loud.codec.name = "OPUS".into();
    let mut red = red(63, 111);
    red.codec.name = "RED".into();
    let audio = answer(
        &CodecConfig::default(),
        MediaType::Audio,
        &through_sdp(MediaKind::Audio, &[loud, red]),
    );
    assert_eq!(pts(&audio), [111, 63]);
    assert_eq!(audio[0].codec.name, "opus");
}

/// RFC 8866 §6.6 / RFC 7587 §7: clock rate and channels are part of a codec's identity:
/// telephone-event/8000 and /48000 are two codecs, `opus/48000` (no `/2`) is not Opus.
#[test]
fn answer_matches_clock_rate_and_channels() {
    let offer = [
        remote(101, "telephone-event", 8000, None, &[], None),
        remote(102, "telephone-event", 16000, None, &[], None),
        remote(103, "telephone-event", 48000, Some(1), &[], None),
        remote(104, "opus", 48000, None, &[], None),
    ];
    let answer = answer(&CodecConfig::default(), MediaType::Audio, &offer);
    assert_eq!(pts(&answer), [101, 103]);
    assert_eq!(answer[0].codec.clock_rate, 8000);
    assert_eq!(answer[1].codec.clock_rate, 48000);
}

/// RFC 9429 §5.3.1 / RFC 3264 §6: nothing in common gives an empty codec list (the session
/// then rejects the m-section).
#[test]
fn answer_to_offer_without_supported_codec_is_empty() {
    let config = CodecConfig::default();
    let video = [
        remote_video(96, "AV1", &[], Some(97)),
        remote_h264(98, "640032", "1", None),
        remote_video(100, "ulpfec", &[], None),
    ];
    assert!(answer(&config, MediaType::Video, &video).is_empty());
    let audio = [
        remote(0, "PCMU", 8000, None, &[], None),
        remote(8, "PCMA", 8000, None, &[], None),
    ];
    assert!(answer(&config, MediaType::Audio, &audio).is_empty());
    assert!(answer(&config, MediaType::Audio, &[]).is_empty());
    // A video codec offered in an audio section is not an audio codec.
    let vp8 = [remote_video(96, "VP8", &[], None)];
    assert!(answer(&config, MediaType::Audio, &vp8).is_empty());
}

// ---------------------------------------------------------------------------------------------
// 3. Payload-type stability
// ---------------------------------------------------------------------------------------------

/// RFC 3264 §8.3.2: the remote offered VP8 at 120/121 and VP9 at 122/123; once the answer is
/// applied, our own next offer keeps that numbering, and the rest of the list its preferred.
#[test]
fn registry_keeps_remote_numbering_in_our_next_offer() {
    let config = CodecConfig::default();
    let remote_offer = through_sdp(
        MediaKind::Video,
        &[
            remote_video(120, "VP8", &[], Some(121)),
            remote_video(122, "VP9", &[("profile-id", "0")], Some(123)),
        ],
    );
    let our_answer = answer(&config, MediaType::Video, &remote_offer);
    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &negotiated(MediaKind::Video, &our_answer),
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_eq!(
        pts_and_rtx(&offer),
        [
            (120, Some(121)),
            (122, Some(123)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    assert_no_duplicate_pts(&offer);
    // ... and every later one.
    registry.record(MediaType::Video, &negotiated(MediaKind::Video, &offer), &[]);
    assert_eq!(registry.offer(&config, MediaType::Video), offer);
}

/// RFC 3264 §8.3.2: what we negotiated in our own offer stays the same in re-offers.
#[test]
fn registry_keeps_our_numbering_after_our_offer() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    let first = registry.offer(&config, MediaType::Video);
    let remote_answer = answer(
        &config,
        MediaType::Video,
        &through_sdp(MediaKind::Video, &first),
    );
    registry.record(
        MediaType::Video,
        &negotiated(MediaKind::Video, &remote_answer),
        &[],
    );
    assert_eq!(registry.offer(&config, MediaType::Video), first);
}

/// RFC 3264 §6.1 / §8.3.2: a codec whose preferred payload type is registered for another
/// codec gets a free dynamic payload type (96-127 first), never a duplicate.
#[test]
fn registry_moves_a_colliding_preferred_pt_to_a_free_dynamic_one() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    // The remote numbered VP8 where we put VP9.
    registry.record(
        MediaType::Video,
        &[remote_video(98, "VP8", &[], Some(99))],
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_eq!(
        pts_and_rtx(&offer),
        [
            (98, Some(99)),
            (96, Some(97)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    assert_eq!(offer[1].codec.name, "VP9");
    assert_no_duplicate_pts(&offer);
}

/// RFC 4588 §8.6 / RFC 3264 §6.1: a preferred RTX payload type taken by a registered codec
/// moves too.
#[test]
fn registry_moves_a_colliding_rtx_pt() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &[remote_h264(97, "42e01f", "1", None)],
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_eq!(offer[0].pt, 96);
    assert_ne!(offer[0].rtx_pt, Some(97));
    assert_eq!(
        offer[3].pt, 97,
        "H264 42e01f keeps its negotiated payload type"
    );
    assert_no_duplicate_pts(&offer);
}

/// RFC 4588: a codec negotiated without RTX gets an RTX payload type offered later (its
/// preferred one when free); the codec's own payload type does not move.
#[test]
fn registry_adds_rtx_to_a_codec_negotiated_without_it() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &[remote_video(120, "VP8", &[], None)],
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_eq!(offer[0].pt, 120);
    assert_eq!(offer[0].rtx_pt, Some(97));
    assert_no_duplicate_pts(&offer);
}

/// RFC 4588 / RFC 3264 §8.3.2: RTX negotiated after its codec (the codec was first negotiated
/// without it) is kept as well, even when a later section numbers its preferred RTX for another
/// codec.
#[test]
fn registry_keeps_rtx_negotiated_after_its_codec() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &[remote_video(120, "VP8", &[], None)],
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_eq!((offer[0].pt, offer[0].rtx_pt), (120, Some(97)));
    // The remote accepts VP8 with our RTX; then another (unbundled) section numbers H264
    // 42e01f at 97.
    registry.record(
        MediaType::Video,
        &negotiated(MediaKind::Video, &offer[..1]),
        &[],
    );
    registry.record(
        MediaType::Video,
        &[remote_h264(97, "42e01f", "1", None)],
        &[],
    );
    let next = registry.offer(&config, MediaType::Video);
    assert_eq!((next[0].pt, next[0].rtx_pt), (120, Some(97)));
    assert_eq!((next[3].pt, next[3].rtx_pt), (108, Some(109)));
    assert_no_duplicate_pts(&next);
}

/// RFC 3264 §8.3.2: the first negotiation wins; a later, differently numbered record of the
/// same codec is ignored.
#[test]
fn registry_first_record_wins() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &[remote_video(120, "VP8", &[], Some(121))],
        &[],
    );
    registry.record(
        MediaType::Video,
        &[remote_video(100, "vp8", &[], Some(101))],
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_eq!((offer[0].pt, offer[0].rtx_pt), (120, Some(121)));
}

/// RFC 3264 §6.1: sections without BUNDLE may number independently; a payload type registered
/// for one codec is not registered again for another, so no offer repeats a payload type.
#[test]
fn registry_never_registers_one_pt_for_two_codecs() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &[remote_video(96, "VP8", &[], Some(97))],
        &[],
    );
    // Another section numbered H264 42e01f at 96 and VP9 with its RTX at 97.
    registry.record(
        MediaType::Video,
        &[
            remote_h264(96, "42e01f", "1", Some(120)),
            remote_video(121, "VP9", &[], Some(97)),
        ],
        &[],
    );
    let offer = registry.offer(&config, MediaType::Video);
    assert_no_duplicate_pts(&offer);
    assert_eq!((offer[0].pt, offer[0].rtx_pt), (96, Some(97)));
    assert_eq!(offer[1].pt, 121, "VP9's own payload type was free");
    assert_ne!(offer[1].rtx_pt, Some(97));
}

/// RFC 3264 §6.1: each media type numbers on its own; Opus registered at 96 does not move VP8.
#[test]
fn registry_is_per_media_type() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(MediaType::Audio, &[opus(96)], &[ext(MID_EXT, 2)]);
    let video = registry.offer(&config, MediaType::Video);
    assert_eq!(video, Registry::default().offer(&config, MediaType::Video));
    let audio = registry.offer(&config, MediaType::Audio);
    assert_eq!(pts(&audio), [96, 63, 110, 126]);
    assert_eq!(
        registry.offer_extensions(&config, MediaType::Video),
        config.video_extensions
    );
}

/// The last resort: dynamic payload types are taken from 96-127, then 35-63 (RFC 3551 §6).
#[test]
fn free_dynamic_prefers_96_to_127_then_35_to_63() {
    assert_eq!(free_dynamic(&[]), 96);
    assert_eq!(free_dynamic(&[96, 97, 99]), 98);
    let upper: Vec<u8> = (96..=127).collect();
    assert_eq!(free_dynamic(&upper), 35);
}

// ---------------------------------------------------------------------------------------------
// 4. Extension ids
// ---------------------------------------------------------------------------------------------

/// RFC 8285 §6 / RFC 8843 §9.1: negotiated extension ids are kept in every later offer.
#[test]
fn extension_ids_stay_stable_after_record() {
    let config = CodecConfig::default();
    let offered = [ext(TWCC, 5), ext(MID_EXT, 9), ext(VIDEO_ORIENTATION, 14)];
    let answered = answer_extensions(&config, MediaType::Video, &offered);
    let vp8 = [remote_video(96, "VP8", &[], None)];
    let written = reparse(&section(MediaKind::Video, &vp8, &answered));
    let mut registry = Registry::default();
    registry.record(MediaType::Video, &[], &read_extensions(&written));
    let offer = registry.offer_extensions(&config, MediaType::Video);
    assert_eq!(
        offer,
        [
            ext(ABS_SEND_TIME, 2),
            ext(TWCC, 5),
            ext(MID_EXT, 9),
            ext(VIDEO_ORIENTATION, 14),
            ext("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", 10),
            ext("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", 11),
        ]
    );
    registry.record(MediaType::Video, &[], &offer);
    assert_eq!(registry.offer_extensions(&config, MediaType::Video), offer);
}

/// RFC 8285 §5: an extension whose preferred id is taken gets the first free one-byte id.
#[test]
fn extension_with_colliding_preferred_id_gets_a_free_id() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    // The remote put mid where we put abs-send-time, and TWCC at 1.
    registry.record(MediaType::Video, &[], &[ext(MID_EXT, 2), ext(TWCC, 1)]);
    let offer = registry.offer_extensions(&config, MediaType::Video);
    assert_eq!(offer[0], ext(ABS_SEND_TIME, 3));
    assert_eq!(offer[1], ext(TWCC, 1));
    assert_eq!(offer[2], ext(MID_EXT, 2));
    let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), offer.len());
}

/// RFC 8285 §5: one id names one extension in a section; a record that reuses a registered id
/// for another URI (a section numbered independently) is not registered.
#[test]
fn extension_id_is_never_registered_for_two_uris() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(MediaType::Video, &[], &[ext(TWCC, 3)]);
    registry.record(MediaType::Video, &[], &[ext(MID_EXT, 3)]);
    let offer = registry.offer_extensions(&config, MediaType::Video);
    let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), offer.len(), "{offer:?}");
    assert!(offer.contains(&ext(TWCC, 3)));
}

/// RFC 8285 §6 / RFC 9429 §5.3.1: the answer keeps the offer's ids and order and drops the
/// URIs the answerer does not support.
#[test]
fn answer_extensions_keeps_offer_ids_and_drops_unsupported_uris() {
    let config = CodecConfig::default();
    let offered = [
        ext("urn:example:unknown", 1),
        ext(MID_EXT, 12),
        ext(AUDIO_LEVEL, 4),
        ext(TWCC, 7),
    ];
    assert_eq!(
        answer_extensions(&config, MediaType::Video, &offered),
        [ext(MID_EXT, 12), ext(TWCC, 7)],
        "audio-level is an audio extension"
    );
    assert_eq!(
        answer_extensions(&config, MediaType::Audio, &offered),
        [ext(MID_EXT, 12), ext(AUDIO_LEVEL, 4), ext(TWCC, 7)]
    );
    assert!(answer_extensions(&config, MediaType::Video, &[]).is_empty());
}

// ---------------------------------------------------------------------------------------------
// 5. Round trip through SDP
// ---------------------------------------------------------------------------------------------

/// What `read_section` must give back for a codec we wrote: the same codec, its `{primary}`
/// resolved to `primary`, parameters with an empty value written bare.
fn as_written(c: &NegotiatedCodec, primary: u8) -> NegotiatedCodec {
    let primary = primary.to_string();
    NegotiatedCodec {
        pt: c.pt,
        codec: Codec {
            fmtp: c
                .codec
                .fmtp
                .iter()
                .map(|(k, v)| {
                    (
                        k.replace("{primary}", &primary),
                        v.clone().filter(|v| !v.is_empty()),
                    )
                })
                .collect(),
            preferred_pt: c.pt,
            rtx_pt: None,
            ..c.codec.clone()
        },
        rtx_pt: c.rtx_pt,
    }
}

/// RFC 8866 §6.6 / §6.15, RFC 4585 §4.2, RFC 4588 §8.6, RFC 8285 §8: the default offer written
/// to a section reads back as the same codecs (payload type, name, clock, channels, RTX,
/// fmtp, rtcp-fb) and extensions, and the section survives a write and a parse.
#[test]
fn sdp_round_trip_gives_back_the_default_codecs_and_extensions() {
    let config = CodecConfig::default();
    for (media, kind) in [
        (MediaType::Audio, MediaKind::Audio),
        (MediaType::Video, MediaKind::Video),
    ] {
        let codecs = Registry::default().offer(&config, media);
        let extensions = Registry::default().offer_extensions(&config, media);
        let written = section(kind.clone(), &codecs, &extensions);
        let expected_formats: Vec<String> = all_pts(&codecs).iter().map(u8::to_string).collect();
        assert_eq!(written.formats, expected_formats.join(" "));

        let primary = codecs[0].pt;
        let expected: Vec<NegotiatedCodec> =
            codecs.iter().map(|c| as_written(c, primary)).collect();
        assert_eq!(read_section(&written), expected, "{media:?}");
        assert_eq!(read_extensions(&written), extensions);

        let parsed = reparse(&written);
        assert_eq!(read_section(&parsed), expected, "{media:?} after a parse");
        assert_eq!(read_extensions(&parsed), extensions);
    }
}

/// RFC 2198 §5: in our offer RED's fmtp names Opus, the first audio codec (`a=fmtp:63 111/111`).
#[test]
fn sdp_offer_writes_red_with_the_opus_pt() {
    let codecs = Registry::default().offer(&CodecConfig::default(), MediaType::Audio);
    let written = section(MediaKind::Audio, &codecs, &[]);
    assert_eq!(written.fmtp(63).map(|f| f.parameters()), Some("111/111"));
    assert_eq!(
        written.fmtp(111).map(|f| f.parameters()),
        Some("minptime=10;useinbandfec=1")
    );
}

/// RFC 4588 §8.6: each RTX mapping is written right after its codec as `rtx/<clock>` with
/// `apt=<codec pt>`, and is not read back as a codec of its own.
#[test]
fn sdp_writes_rtx_with_apt_after_its_codec() {
    let codecs = Registry::default().offer(&CodecConfig::default(), MediaType::Video);
    let written = reparse(&section(MediaKind::Video, &codecs, &[]));
    for c in &codecs {
        let rtx = c.rtx_pt.unwrap();
        let map = written.rtpmap(rtx).unwrap();
        assert_eq!(map.encoding_name(), "rtx");
        assert_eq!(map.clock_rate(), c.codec.clock_rate);
        let apt = c.pt.to_string();
        assert_eq!(
            written.fmtp(rtx).and_then(|f| f.param("apt")),
            Some(apt.as_str())
        );
    }
    assert_eq!(read_section(&written).len(), codecs.len());
}

/// A remote's section with another numbering, wildcard feedback and extra codecs reads back
/// faithfully, and answering it and recording the answer keeps the remote's numbering through
/// two SDP round trips (RFC 3264 §8.3.2).
#[test]
fn sdp_remote_numbering_survives_answer_and_record() {
    let config = CodecConfig::default();
    let remote_codecs = [
        remote_h264(126, "42e01f", "1", Some(127)),
        remote_video(120, "VP8", &[], Some(124)),
        remote_video(99, "AV1", &[], Some(100)),
    ];
    let remote_exts = [ext(MID_EXT, 3), ext(TWCC, 7), ext("urn:example:x", 9)];
    let offer = reparse(&section(MediaKind::Video, &remote_codecs, &remote_exts));
    assert_eq!(read_section(&offer), remote_codecs);
    assert_eq!(read_extensions(&offer), remote_exts);

    let codecs = answer(&config, MediaType::Video, &read_section(&offer));
    let exts = answer_extensions(&config, MediaType::Video, &read_extensions(&offer));
    let answer_section = reparse(&section(MediaKind::Video, &codecs, &exts));
    assert_eq!(answer_section.formats, "126 127 120 124");

    let mut registry = Registry::default();
    registry.record(
        MediaType::Video,
        &read_section(&answer_section),
        &read_extensions(&answer_section),
    );
    let next = registry.offer(&config, MediaType::Video);
    assert_eq!(find(&next, 120).codec.name, "VP8");
    assert_eq!(find(&next, 120).rtx_pt, Some(124));
    assert_eq!(param(find(&next, 126), "profile-level-id"), Some("42e01f"));
    assert_eq!(find(&next, 126).rtx_pt, Some(127));
    assert_no_duplicate_pts(&next);
    let next_exts = registry.offer_extensions(&config, MediaType::Video);
    assert!(next_exts.contains(&ext(MID_EXT, 3)));
    assert!(next_exts.contains(&ext(TWCC, 7)));
}

/// tacet: a codec name that is not an SDP token cannot be written; the error says so instead
/// of producing a broken line.
#[test]
fn write_codecs_refuses_a_name_that_is_not_a_token() {
    let mut section = MediaSection::rtp(MediaKind::Video, &[]).unwrap();
    let bad = remote(96, "V P8", 90000, None, &[], None);
    let err = write_codecs(&mut section, &[bad]).unwrap_err();
    assert!(matches!(err, Error::InvalidState { .. }), "{err}");
    let err = write_extensions(&mut section, &[ext("urn:a b", 1)]).unwrap_err();
    assert!(matches!(err, Error::InvalidState { .. }), "{err}");
}

// ---------------------------------------------------------------------------------------------
// 6. Properties
// ---------------------------------------------------------------------------------------------

/// Every dynamic payload type (RFC 3551 §6).
fn dynamic_pts() -> Vec<u8> {
    (96..=127).chain(35..=63).collect()
}

/// The default video codecs and a few we do not support (AV1, H264 high, H264 mode 0, VP9
/// profile 2).
fn video_pool() -> Vec<Codec> {
    let mut pool = CodecConfig::default().video;
    pool.push(Codec::new("AV1", 90000, None, 0).feedback(VIDEO_FB));
    pool.push(remote_h264(0, "640032", "1", None).codec);
    pool.push(remote_h264(0, "42e01f", "0", None).codec);
    pool.push(remote_video(0, "VP9", &[("profile-id", "2")], None).codec);
    pool
}

prop_compose! {
    /// An offer: an arbitrary subset of the pool in arbitrary order, at arbitrary distinct
    /// dynamic payload types, each with or without RTX, an arbitrary subset of feedback and
    /// arbitrary name casing.
    fn arbitrary_offer()(
        picks in proptest::sample::subsequence(
            (0..video_pool().len()).collect::<Vec<_>>(), 0..=video_pool().len()
        ).prop_shuffle(),
        numbers in proptest::sample::subsequence(dynamic_pts(), 2 * video_pool().len())
            .prop_shuffle(),
        with_rtx in proptest::collection::vec(any::<bool>(), video_pool().len()),
        feedback in proptest::collection::vec(
            proptest::sample::subsequence(VIDEO_FB.to_vec(), 0..=VIDEO_FB.len()),
            video_pool().len(),
        ),
        upper in proptest::collection::vec(any::<bool>(), video_pool().len()),
    ) -> Vec<NegotiatedCodec> {
        let pool = video_pool();
        picks
            .iter()
            .enumerate()
            .map(|(i, &pick)| {
                let pt = numbers[2 * i];
                let mut codec = pool[pick].clone().feedback(&feedback[i]);
                codec.preferred_pt = pt;
                codec.rtx_pt = None;
                if upper[i] {
                    codec.name = codec.name.to_uppercase();
                } else {
                    codec.name = codec.name.to_lowercase();
                }
                NegotiatedCodec {
                    pt,
                    codec,
                    rtx_pt: with_rtx[i].then(|| numbers[2 * i + 1]),
                }
            })
            .collect()
    }
}

proptest! {
    /// RFC 9429 §5.3.1 / RFC 3264 §6.1: for any offer of video codecs, the answer uses only
    /// offered payload types (RTX: the one offered for that codec, RFC 4588), only codecs the
    /// configuration has, every supported offered codec, in the offer's order, with
    /// rtcp-fb in both sides' lists; and reading the offer from SDP changes nothing.
    #[test]
    fn answer_never_invents_pts_or_codecs_and_keeps_offer_order(offer in arbitrary_offer()) {
        let config = CodecConfig::default();
        let read = through_sdp(MediaKind::Video, &offer);
        prop_assert_eq!(&read, &offer);
        let answer = answer(&config, MediaType::Video, &read);

        let mut last = None;
        for a in &answer {
            let index = offer.iter().position(|o| o.pt == a.pt);
            prop_assert!(index.is_some(), "payload type {} was not offered", a.pt);
            let Some(index) = index else { continue };
            prop_assert!(last < Some(index), "offer order lost: {:?}", pts(&answer));
            last = Some(index);
            let o = &offer[index];
            prop_assert_eq!(a.rtx_pt, o.rtx_pt);
            prop_assert!(o.codec.name.eq_ignore_ascii_case(&a.codec.name));
            let configured = config.video.iter().any(|c| {
                Codec {
                    rtcp_fbs: a.codec.rtcp_fbs.clone(),
                    preferred_pt: a.pt,
                    ..c.clone()
                } == a.codec
            });
            prop_assert!(configured, "{:?} is not a configured codec", a.codec);
            prop_assert!(a.codec.rtcp_fbs.iter().all(|fb| o.codec.rtcp_fbs.contains(fb)));
        }
        let supported = offer
            .iter()
            .filter(|o| config.video.iter().any(|c| c.key() == o.codec.key()))
            .count();
        prop_assert_eq!(answer.len(), supported);
        let written = section(MediaKind::Video, &answer, &[]);
        prop_assert_eq!(all_pts(&read_section(&written)), all_pts(&answer));
    }

    /// RFC 3264 §6.1 / §8.3.2: after any sequence of records (even ones numbering differently),
    /// an offer never repeats a payload type, and a codec keeps the first payload type recorded
    /// for it.
    #[test]
    fn offer_never_repeats_a_pt_after_any_records(
        records in proptest::collection::vec(
            proptest::collection::vec(
                (0..5usize, proptest::sample::select(dynamic_pts()),
                 proptest::option::of(proptest::sample::select(dynamic_pts()))),
                0..5,
            ),
            0..4,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            let codecs: Vec<NegotiatedCodec> = record
                .iter()
                .map(|&(i, pt, rtx_pt)| NegotiatedCodec {
                    pt,
                    codec: config.video[i].clone(),
                    rtx_pt,
                })
                .collect();
            registry.record(MediaType::Video, &codecs, &[]);
        }
        let offer = registry.offer(&config, MediaType::Video);
        let all = all_pts(&offer);
        let distinct: BTreeSet<u8> = all.iter().copied().collect();
        prop_assert_eq!(distinct.len(), all.len(), "{:?}", all);
        prop_assert!(offer.iter().all(|c| c.rtx_pt.is_some()));
        // Recording the offer (as its answer would) and offering again changes nothing.
        let mut again = registry.clone();
        again.record(MediaType::Video, &offer, &[]);
        prop_assert_eq!(again.offer(&config, MediaType::Video), offer);
    }

    /// RFC 8285 §5: after any records, offered extension ids are distinct.
    #[test]
    fn offer_extensions_never_repeat_an_id_after_any_records(
        records in proptest::collection::vec(
            proptest::collection::vec((0..6usize, 1..=14u16), 0..6),
            0..4,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            let exts: Vec<(String, u16)> = record
                .iter()
                .map(|&(i, id)| (config.video_extensions[i].0.clone(), id))
                .collect();
            registry.record(MediaType::Video, &[], &exts);
        }
        let offer = registry.offer_extensions(&config, MediaType::Video);
        let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
        prop_assert_eq!(ids.len(), offer.len(), "{:?}", offer);
    }
}
