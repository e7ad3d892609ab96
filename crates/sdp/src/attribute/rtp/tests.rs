//! The RTP attributes: parsing Chromium's lines, and the builders (direct and through the
//! parser) against the parser.

use super::*;

#[test]
fn rtpmap_reads_chromium_lines() {
    let m = RtpMap::parse("111 opus/48000/2".into()).unwrap();
    assert_eq!(
        (
            m.payload_type(),
            m.encoding_name(),
            m.clock_rate(),
            m.channels()
        ),
        (111, "opus", 48000, Some(2))
    );
    let v = RtpMap::parse("96 VP8/90000".into()).unwrap();
    assert_eq!((v.encoding_name(), v.channels()), ("VP8", None));
    for bad in ["111", "200 x/1", "1 x", "1 x/y", "1 x/1/2/3", "1 a b/1"] {
        assert!(RtpMap::parse(bad.into()).is_err(), "{bad}");
    }
    assert_eq!(
        RtpMap::new(111, "opus", 48000, Some(2)).unwrap().value(),
        "111 opus/48000/2"
    );
}

#[test]
fn fmtp_params() {
    let f = Fmtp::parse(
        "102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f".into(),
    )
    .unwrap();
    assert_eq!(f.payload_type(), Some(102));
    assert_eq!(f.param("packetization-mode"), Some("1"));
    let red = Fmtp::parse("63 111/111".into()).unwrap();
    assert_eq!(red.params().collect::<Vec<_>>(), [("111/111", None)]);
    assert_eq!(
        Fmtp::new(97, [("apt", Some("96"))]).unwrap().value(),
        "97 apt=96"
    );
    assert!(Fmtp::parse("97".into()).is_err());
}

#[test]
fn rtcp_fb_and_extmap() {
    let fb = RtcpFb::parse("96 nack pli".into()).unwrap();
    assert_eq!(
        (fb.payload_type(), fb.kind(), fb.param()),
        (Some(96), "nack", Some("pli"))
    );
    assert_eq!(
        RtcpFb::parse("* ccm fir".into()).unwrap().payload_type(),
        None
    );
    let e = ExtMap::parse("2/sendonly urn:x extra".into()).unwrap();
    assert_eq!(
        (e.id(), e.direction(), e.uri(), e.attributes()),
        (2, Some(Direction::SendOnly), "urn:x", Some("extra"))
    );
    assert!(ExtMap::parse("0 urn:x".into()).is_err());
    assert!(ExtMap::parse("300 urn:x".into()).is_err());
}

#[test]
fn sources_and_streams() {
    let s = Ssrc::parse("3277849789 msid:a b".into()).unwrap();
    assert_eq!(
        (s.ssrc(), s.attribute(), s.attribute_value()),
        (3277849789, "msid", Some("a b"))
    );
    let g = SsrcGroup::parse("FID 1 2".into()).unwrap();
    assert_eq!(g.ssrcs().collect::<Vec<_>>(), [1, 2]);
    assert!(SsrcGroup::parse("FID".into()).is_err());
    let m = Msid::parse("- track".into()).unwrap();
    assert_eq!((m.stream_id(), m.track_id()), ("-", Some("track")));
}

#[test]
fn simulcast_and_rid() {
    let s = Simulcast::parse("send q;h;f".into()).unwrap();
    assert_eq!(
        s.streams(RidDirection::Send),
        [vec!["q"], vec!["h"], vec!["f"]]
    );
    assert!(s.streams(RidDirection::Recv).is_empty());
    assert!(Simulcast::parse("send a recv ~b,c".into()).is_ok());
    assert!(Simulcast::parse("send a send b".into()).is_err());
    let r = Rid::parse("q send".into()).unwrap();
    assert_eq!(
        (r.id(), r.direction(), r.restrictions()),
        ("q", RidDirection::Send, None)
    );
    assert!(Rid::parse("q both".into()).is_err());
}

// -------------------------------------------------------------------------------------------
// The builders against the parser: whatever the input, a builder gives what formatting the
// value and parsing it gives (the same attribute, or the same error), and what it builds
// re-parses to itself.
// -------------------------------------------------------------------------------------------

use proptest::prelude::*;

use crate::attribute::built;

/// Text mostly made of token characters, with the bytes the grammar cares about mixed in.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9-]{0,6}",
        "[ -~]{0,6}",
        prop::collection::vec(
            prop::sample::select(vec!['a', ' ', '/', ':', '\r', '\n', '\0', '*', 'é']),
            0..5
        )
        .prop_map(|c| c.into_iter().collect()),
    ]
}

fn payload_type() -> impl Strategy<Value = u8> {
    prop_oneof![0u8..=127, any::<u8>()]
}

proptest! {
    #[test]
    fn rtpmap_builds_what_it_parses(
        pt in payload_type(),
        name in text(),
        clock_rate in any::<u32>(),
        channels in any::<Option<u16>>(),
    ) {
        let built_value = RtpMap::new(pt, &name, clock_rate, channels);
        let reference = built(
            "RtpMap",
            RtpMap::parse,
            match channels {
                Some(c) => format!("{pt} {name}/{clock_rate}/{c}"),
                None => format!("{pt} {name}/{clock_rate}"),
            },
        );
        prop_assert_eq!(&built_value, &reference);
        if let Ok(map) = built_value {
            prop_assert_eq!(RtpMap::parse(map.value().to_owned()), Ok(map));
        }
    }

    #[test]
    fn rtcp_fb_builds_what_it_parses(
        pt in prop::option::of(payload_type()),
        kind in text(),
        param in prop::option::of(text()),
    ) {
        let built_value = RtcpFb::new(pt, &kind, param.as_deref());
        let pt_text = pt.map_or_else(|| "*".to_owned(), |pt| pt.to_string());
        let reference = built(
            "RtcpFb",
            RtcpFb::parse,
            match &param {
                Some(param) => format!("{pt_text} {kind} {param}"),
                None => format!("{pt_text} {kind}"),
            },
        );
        prop_assert_eq!(&built_value, &reference);
        if let Ok(fb) = built_value {
            prop_assert_eq!(RtcpFb::parse(fb.value().to_owned()), Ok(fb));
        }
    }

    #[test]
    fn extmap_builds_what_it_parses(
        id in prop_oneof![1u16..=20, 4090u16..=4360, any::<u16>()],
        direction in prop::option::of(prop::sample::select(vec![
            Direction::SendRecv,
            Direction::SendOnly,
            Direction::RecvOnly,
            Direction::Inactive,
        ])),
        uri in text(),
    ) {
        let built_value = ExtMap::new(id, direction, &uri);
        let reference = if uri.contains(' ') {
            Err(Error::value("ExtMap")("URI contains a space"))
        } else {
            built(
                "ExtMap",
                ExtMap::parse,
                match direction {
                    Some(d) => format!("{id}/{d} {uri}"),
                    None => format!("{id} {uri}"),
                },
            )
        };
        prop_assert_eq!(&built_value, &reference);
        if let Ok(map) = built_value {
            prop_assert_eq!(ExtMap::parse(map.value().to_owned()), Ok(map));
        }
    }

    #[test]
    fn ssrc_builds_what_it_parses(
        ssrc in any::<u32>(),
        attribute in text(),
        value in prop::option::of(text()),
    ) {
        let built_value = Ssrc::new(ssrc, &attribute, value.as_deref());
        let reference = built(
            "Ssrc",
            Ssrc::parse,
            match &value {
                Some(v) => format!("{ssrc} {attribute}:{v}"),
                None => format!("{ssrc} {attribute}"),
            },
        );
        prop_assert_eq!(&built_value, &reference);
        if let Ok(source) = built_value {
            prop_assert_eq!(Ssrc::parse(source.value().to_owned()), Ok(source));
        }
    }
}
