//! `answer()`: which offered codecs an answer keeps.

use super::*;

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
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &offer);
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
        (TrackKind::Audio, MediaKind::Audio),
        (TrackKind::Video, MediaKind::Video),
    ] {
        let offer = offered(&Registry::default(), &config, media);
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
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &[vp8]);
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
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &offer);
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
        TrackKind::Video,
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
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &offer);
    assert_eq!(pts_and_rtx(&answer), [(98, None), (100, Some(101))]);
    let written = section(MediaKind::Video, &answer, &[]);
    assert_eq!(written.formats, "98 100 101");
    // RFC 4588 §8.6: the answered RTX points at its codec.
    assert_eq!(written.fmtp(101).and_then(|f| f.param("apt")), Some("100"));

    let mut opus_rtx = opus(111);
    opus_rtx.rtx_pt = Some(112);
    let audio = super::answer(&CodecConfig::default(), TrackKind::Audio, &[opus_rtx]);
    assert_eq!(pts_and_rtx(&audio), [(111, None)]);
}

/// RFC 2198 §5: RED is accepted when its primary (Opus) is accepted, and its fmtp names the
/// offered primary.
#[test]
fn answer_accepts_red_with_its_primary() {
    let offer = through_sdp(MediaKind::Audio, &[opus(109), red(63, 109)]);
    let answer = answer(&CodecConfig::default(), TrackKind::Audio, &offer);
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
    assert!(answer(&config, TrackKind::Audio, &no_primary).is_empty());

    let other_primary = through_sdp(MediaKind::Audio, &[opus(111), red(63, 109)]);
    assert_eq!(
        pts(&answer(&config, TrackKind::Audio, &other_primary)),
        [111]
    );

    let mono = remote(111, "opus", 48000, None, &[], None);
    let unsupported = through_sdp(MediaKind::Audio, &[mono, red(63, 111)]);
    assert!(answer(&config, TrackKind::Audio, &unsupported).is_empty());

    let bare = remote(63, "red", 48000, Some(2), &[], None);
    let unnamed = through_sdp(MediaKind::Audio, &[opus(111), bare]);
    assert_eq!(pts(&answer(&config, TrackKind::Audio, &unnamed)), [111]);
}

/// RFC 2198 §5, RFC 9429 §5.3.1: an offerer that prefers RED lists it before Opus; RED is still
/// accepted (its primary is accepted), in the offer's order.
#[test]
fn answer_accepts_red_listed_before_its_primary() {
    let offer = through_sdp(MediaKind::Audio, &[red(63, 111), opus(111)]);
    let answer = answer(&CodecConfig::default(), TrackKind::Audio, &offer);
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
    let answer = answer(&CodecConfig::default(), TrackKind::Audio, &offer);
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
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &offer);
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
    assert!(answer(&CodecConfig::default(), TrackKind::Video, &offer).is_empty());
}

/// RFC 6184 §8.1: profile-level-id is hexadecimal; `42E01F` is `42e01f`.
#[test]
fn answer_matches_h264_profile_case_insensitively() {
    let offer = [remote_h264(100, "42E01F", "1", None)];
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &offer);
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
    let answer = answer(&CodecConfig::default(), TrackKind::Video, &offer);
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
        TrackKind::Video,
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
        TrackKind::Audio,
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
    let answer = answer(&CodecConfig::default(), TrackKind::Audio, &offer);
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
    assert!(answer(&config, TrackKind::Video, &video).is_empty());
    let audio = [
        remote(0, "PCMU", 8000, None, &[], None),
        remote(8, "PCMA", 8000, None, &[], None),
    ];
    assert!(answer(&config, TrackKind::Audio, &audio).is_empty());
    assert!(answer(&config, TrackKind::Audio, &[]).is_empty());
    // A video codec offered in an audio section is not an audio codec.
    let vp8 = [remote_video(96, "VP8", &[], None)];
    assert!(answer(&config, TrackKind::Audio, &vp8).is_empty());
}
