//! The builders the session uses produce descriptions that re-parse to themselves, and the
//! answer checks catch each rule they name.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{
    Attribute, Candidate, Direction, Error, ExtMap, Fingerprint, Fmtp, IcePwd, IceUfrag, MediaKind,
    MediaSection, Msid, Origin, RtcpFb, RtpMap, SdpType, SessionDescription, Setup, Ssrc,
};

fn transport(section: &mut MediaSection) {
    let a = &mut section.attributes;
    a.push(Attribute::IceUfrag(IceUfrag::new("abcd").unwrap()));
    a.push(Attribute::IcePwd(
        IcePwd::new("0123456789012345678901").unwrap(),
    ));
    a.push(Attribute::Fingerprint(
        Fingerprint::new("sha-256", &[1, 2, 0xff]).unwrap(),
    ));
    a.push(Attribute::Setup(Setup::ActPass));
}

fn audio(mid: &str) -> MediaSection {
    let mut m = MediaSection::rtp(MediaKind::Audio, &[111, 63]).unwrap();
    transport(&mut m);
    m.set_mid(mid).unwrap();
    m.attributes.push(Attribute::ExtMap(
        ExtMap::new(1, None, "urn:ietf:params:rtp-hdrext:ssrc-audio-level").unwrap(),
    ));
    m.set_direction(Direction::SendRecv);
    m.attributes
        .push(Attribute::Msid(Msid::new("stream", Some("track")).unwrap()));
    m.attributes.push(Attribute::RtcpMux);
    m.attributes.push(Attribute::RtpMap(
        RtpMap::new(111, "opus", 48000, Some(2)).unwrap(),
    ));
    m.attributes.push(Attribute::RtcpFb(
        RtcpFb::new(Some(111), "transport-cc", None).unwrap(),
    ));
    m.attributes.push(Attribute::Fmtp(
        Fmtp::new(111, [("minptime", Some("10")), ("useinbandfec", Some("1"))]).unwrap(),
    ));
    m.attributes.push(Attribute::RtpMap(
        RtpMap::new(63, "red", 48000, Some(2)).unwrap(),
    ));
    m.attributes
        .push(Attribute::Fmtp(Fmtp::new(63, [("111/111", None)]).unwrap()));
    m.attributes
        .push(Attribute::Ssrc(Ssrc::new(42, "cname", Some("c")).unwrap()));
    m
}

fn offer() -> SessionDescription {
    let mut sdp = SessionDescription::new(SdpType::Offer, Origin::new(7, 2));
    sdp.media.push(audio("0"));
    sdp.media.push(audio("1"));
    let mut data = MediaSection::data("2", 5000, 262_144).unwrap();
    transport(&mut data);
    data.attributes.push(Attribute::Candidate(
        Candidate::new("1 1 udp 2122194687 127.0.0.1 5000 typ host generation 0").unwrap(),
    ));
    sdp.media.push(data);
    sdp.set_bundle_group(["0", "1", "2"]).unwrap();
    sdp
}

fn round_trip(sdp: &SessionDescription) -> SessionDescription {
    let parsed = SessionDescription::parse(sdp.sdp_type, &sdp.write()).expect("re-parses");
    assert_eq!(parsed.warnings, [], "{}", sdp.write());
    parsed.description
}

#[test]
fn a_built_offer_reparses_to_itself() {
    let sdp = offer();
    assert_eq!(round_trip(&sdp), sdp);
    let text = sdp.write();
    assert!(text.starts_with(
        "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"
    ));
    assert!(text.contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"));
    assert!(text.contains("a=fmtp:111 minptime=10;useinbandfec=1\r\n"));
}

// RFC 9429 §5.2.2: a stopped transceiver's section: port 0, msid removed, mid kept, same index.
#[test]
fn to_rejected_keeps_the_mid_and_drops_msid_and_sources() {
    let mut sdp = offer();
    sdp.media[1] = sdp.media[1].to_rejected();
    sdp.media[1].set_direction(Direction::Inactive);
    sdp.set_bundle_group(["0", "2"]).unwrap();
    let back = round_trip(&sdp);
    let video = &back.media[1];
    assert!(video.is_rejected());
    assert_eq!(video.mid().map(|m| m.as_str()), Some("1"));
    assert_eq!(video.direction(), Direction::Inactive);
    assert_eq!(
        (
            video.attributes.msids().count(),
            video.attributes.ssrcs().count()
        ),
        (0, 0)
    );
    assert!(video.rtpmap(111).is_some(), "codecs kept, as Chromium does");

    let stub = MediaSection::rejected_stub(MediaKind::Video, "UDP/TLS/RTP/SAVPF", "5").unwrap();
    assert!(stub.is_rejected());
    let mut s = SessionDescription::new(SdpType::Answer, Origin::new(1, 1));
    s.media.push(stub);
    assert_eq!(round_trip(&s), s);
}

#[test]
fn set_bundle_group_replaces_in_place() {
    let mut sdp = offer();
    sdp.attributes.push(Attribute::ExtmapAllowMixed);
    sdp.set_bundle_group(["2"]).unwrap();
    assert!(matches!(sdp.attributes[0], Attribute::Group(_)));
    assert_eq!(
        sdp.bundle_groups()
            .flat_map(|g| g.mids())
            .collect::<Vec<_>>(),
        ["2"]
    );
    sdp.set_bundle_group([]).unwrap();
    assert_eq!(sdp.bundle_groups().count(), 0);
}

fn answer_to(offer: &SessionDescription) -> SessionDescription {
    let mut answer = offer.clone();
    answer.sdp_type = SdpType::Answer;
    answer
}

// spec: 3.5a, 3.5b
#[test]
fn check_answer_rules() {
    let offer = offer();
    assert_eq!(answer_to(&offer).check_answer(&offer), Ok(()));

    let mut fewer = answer_to(&offer);
    fewer.media.pop();
    fewer.set_bundle_group(["0", "1"]).unwrap();
    assert!(matches!(
        fewer.check_answer(&offer),
        Err(Error::AnswerMismatch { .. })
    ));

    let mut other_kind = answer_to(&offer);
    other_kind.media[0].kind = MediaKind::Video;
    assert!(
        other_kind
            .check_answer(&offer)
            .unwrap_err()
            .rule()
            .contains("media type")
    );

    let mut other_mid = answer_to(&offer);
    other_mid.media[0].set_mid("9").unwrap();
    other_mid.set_bundle_group(["9", "1", "2"]).unwrap();
    assert!(
        other_mid
            .check_answer(&offer)
            .unwrap_err()
            .rule()
            .contains("a=mid")
    );

    // A rejected section must leave the answer's BUNDLE group.
    let mut in_group = answer_to(&offer);
    in_group.media[1].port = 0;
    assert!(
        in_group
            .check_answer(&offer)
            .unwrap_err()
            .rule()
            .contains("§7.3.3")
    );

    // Rejecting the offerer-tagged section alone is not allowed.
    let mut tag = answer_to(&offer);
    tag.media[0].port = 0;
    tag.set_bundle_group(["1", "2"]).unwrap();
    let e = tag.check_answer(&offer).unwrap_err();
    assert!(e.to_string().contains("offerer-tagged"), "{e}");

    // A section the offer rejected stays rejected.
    let mut stopped = offer.clone();
    stopped.media[1] = stopped.media[1].to_rejected();
    stopped.set_bundle_group(["0", "2"]).unwrap();
    let mut live = answer_to(&stopped);
    live.media[1].port = 9;
    assert!(
        live.check_answer(&stopped)
            .unwrap_err()
            .rule()
            .contains("§8.2")
    );
}

// aiortc 1.16's answer to Chromium's re-offer with a stopped video (corpus): the answer keeps
// port 50653 and mid 1 in BUNDLE. check_answer refuses it as Chromium does; the tolerant
// reading rejects the section, leaves mid 1 out of the group, says so twice, and the result
// passes every answer rule.
#[test]
fn tolerant_reading_of_aiortcs_answer_to_a_stop() {
    let offer = SessionDescription::parse(
        SdpType::Offer,
        include_str!("../../../tests/data/sdp/chromium-xaiortc-stopvideo-2-offer.sdp"),
    )
    .unwrap()
    .description;
    let mut answer = SessionDescription::parse(
        SdpType::Answer,
        include_str!("../../../tests/data/sdp/aiortc-xchromium-stopvideo-2-answer.sdp"),
    )
    .unwrap()
    .description;
    let refused = answer.check_answer(&offer).unwrap_err();
    assert!(refused.rule().starts_with("RFC 9143 §7.3.1"), "{refused}");

    let warnings = answer.reject_what_the_offer_rejected(&offer);
    let kinds: Vec<_> = warnings.iter().map(|w| w.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            tacet_sdp::WarningKind::LivePortForRejectedSection { mid: "1".into() },
            tacet_sdp::WarningKind::RejectedMidInBundle { mid: "1".into() },
        ]
    );
    assert!(warnings[0].kind.rule().starts_with("RFC 3264 §8.2"));
    assert_eq!(answer.media[1].port, 0);
    assert!(answer.media[1].is_rejected());
    let bundle: Vec<&str> = answer.bundle_groups().flat_map(|g| g.mids()).collect();
    assert_eq!(bundle, ["0", "2"]);
    assert_eq!(answer.check_answer(&offer), Ok(()));
    // Idempotent, and a conforming answer gets no warning.
    assert!(answer.reject_what_the_offer_rejected(&offer).is_empty());
}

// Only what the offer rejected is repaired: a live mid the offer did not bundle stays an error.
#[test]
fn tolerant_reading_keeps_other_bundle_errors() {
    let mut offer = SessionDescription::parse(
        SdpType::Offer,
        include_str!("../../../tests/data/sdp/chromium-xaiortc-stopvideo-2-offer.sdp"),
    )
    .unwrap()
    .description;
    // The video is live in the offer but outside its BUNDLE group (its own transport).
    offer.media[1].port = 9;
    let mut answer = SessionDescription::parse(
        SdpType::Answer,
        include_str!("../../../tests/data/sdp/aiortc-xchromium-stopvideo-2-answer.sdp"),
    )
    .unwrap()
    .description;
    let before = answer.clone();
    assert!(answer.reject_what_the_offer_rejected(&offer).is_empty());
    assert_eq!(answer, before);
    let e = answer.check_answer(&offer).unwrap_err();
    assert!(e.rule().starts_with("RFC 9143 §7.3.1"), "{e}");
}
