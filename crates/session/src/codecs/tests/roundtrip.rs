//! Round trips through SDP.

use super::*;

// ---------------------------------------------------------------------------------------------
// 5. Round trip through SDP
// ---------------------------------------------------------------------------------------------

/// What `read_section` must give back for a codec we wrote: the same codec, parameters with an
/// empty value written bare.
fn as_written(c: &NegotiatedCodec) -> NegotiatedCodec {
    NegotiatedCodec {
        pt: c.pt,
        codec: Codec {
            fmtp: c.codec.written_fmtp(),
            preferred_pt: c.pt,
            rtx_pt: None,
            primary: None,
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
        (TrackKind::Audio, MediaKind::Audio),
        (TrackKind::Video, MediaKind::Video),
    ] {
        let codecs = offered(&Registry::default(), &config, media);
        let extensions = offered_extensions(&Registry::default(), &config, media);
        let written = section(kind.clone(), &codecs, &extensions);
        let expected_formats: Vec<String> = all_pts(&codecs).iter().map(u8::to_string).collect();
        assert_eq!(written.formats, expected_formats.join(" "));

        let expected: Vec<NegotiatedCodec> = codecs.iter().map(as_written).collect();
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
    let codecs = offered(
        &Registry::default(),
        &CodecConfig::default(),
        TrackKind::Audio,
    );
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
    let codecs = offered(
        &Registry::default(),
        &CodecConfig::default(),
        TrackKind::Video,
    );
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

    let codecs = answer(&config, TrackKind::Video, &read_section(&offer));
    let exts = answer_extensions(
        &config,
        TrackKind::Video,
        &read_extensions(&offer),
        &AnswerIds::default(),
    );
    let answer_section = reparse(&section(MediaKind::Video, &codecs, &exts));
    assert_eq!(answer_section.formats, "126 127 120 124");

    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &read_section(&answer_section),
        &read_extensions(&answer_section),
    );
    let next = offered(&registry, &config, TrackKind::Video);
    assert_eq!(find(&next, 120).codec.name, "VP8");
    assert_eq!(find(&next, 120).rtx_pt, Some(124));
    assert_eq!(param(find(&next, 126), "profile-level-id"), Some("42e01f"));
    assert_eq!(find(&next, 126).rtx_pt, Some(127));
    assert_no_duplicate_pts(&next);
    let next_exts = offered_extensions(&registry, &config, TrackKind::Video);
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
