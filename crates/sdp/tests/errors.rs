//! Bad input gets a typed error naming the place, the rule and the fault; odd but harmless
//! input gets a warning and is kept.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Error, Fault, LimitKind, Limits, Msid, SdpType, SessionDescription, WarningKind};

const HEAD: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

fn audio(mid: &str) -> String {
    format!(
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:{mid}\r\na=rtpmap:111 opus/48000/2\r\n"
    )
}

fn parse(text: &str) -> Result<tacet_sdp::Parsed, Error> {
    SessionDescription::parse(SdpType::Offer, text)
}

fn err(text: &str) -> Error {
    let e = parse(text).expect_err("must be refused");
    assert_eq!(e.fault(), Fault::Peer, "{e}");
    assert!(!e.rule().is_empty());
    e
}

fn line_of(e: &Error) -> Option<usize> {
    e.location().and_then(|l| l.line)
}

#[test]
fn limits_refuse_before_building() {
    let two = format!("{HEAD}{}{}", audio("0"), audio("1"));
    let cases = [
        (
            Limits {
                max_bytes: 50,
                ..Limits::default()
            },
            LimitKind::Bytes,
        ),
        (
            Limits {
                max_line_length: 20,
                ..Limits::default()
            },
            LimitKind::LineLength,
        ),
        (
            Limits {
                max_media_sections: 1,
                ..Limits::default()
            },
            LimitKind::MediaSections,
        ),
        (
            Limits {
                max_attributes_per_section: 1,
                ..Limits::default()
            },
            LimitKind::AttributesPerSection,
        ),
        (
            Limits {
                max_attributes: 3,
                ..Limits::default()
            },
            LimitKind::Attributes,
        ),
    ];
    for (limits, kind) in cases {
        let e = SessionDescription::parse_with(SdpType::Offer, &two, &limits).unwrap_err();
        assert!(
            matches!(e, Error::Limit { what, .. } if what == kind),
            "{kind}: {e}"
        );
    }
    // The line length limit names the first long line.
    let e = SessionDescription::parse_with(
        SdpType::Offer,
        &two,
        &Limits {
            max_line_length: 30,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert_eq!(line_of(&e), Some(5), "{e}");
    assert!(parse(&two).is_ok());
}

#[test]
fn huge_hostile_input_is_refused_cheaply() {
    let huge = format!("{HEAD}{}", "a=x\r\n".repeat(5_000_000));
    assert!(matches!(
        err(&huge),
        Error::Limit {
            what: LimitKind::Bytes,
            ..
        }
    ));
    let long = format!("{HEAD}a={}\r\n", "x".repeat(100_000));
    assert!(matches!(
        err(&long),
        Error::Limit {
            what: LimitKind::LineLength,
            ..
        }
    ));
}

#[test]
fn unknown_line_types_and_missing_lines() {
    let e = err(&format!("{HEAD}x=what\r\n"));
    assert!(matches!(e, Error::UnknownLineType { letter: 'x', .. }));
    assert_eq!(line_of(&e), Some(5));
    let e = err("v=0\r\ns=-\r\nt=0 0\r\n");
    assert!(matches!(e, Error::MissingLine { letter: 'o', .. }), "{e}");
    let e = err(&format!("{HEAD}{}t=0 0\r\n", audio("0")));
    assert!(
        matches!(e, Error::Syntax { .. }),
        "session line inside a section: {e}"
    );
}

#[test]
fn grammar_errors_come_from_sdp_types_with_their_line() {
    let e = err("v=1\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    assert!(matches!(e, Error::Syntax { .. }));
    assert_eq!(line_of(&e), Some(1));
    let e = err(&format!("{HEAD}m=audio notaport RTP/AVP 0\r\n"));
    assert!(matches!(e, Error::Syntax { .. }));
    assert_eq!(line_of(&e), Some(5));
    assert!(matches!(err(""), Error::Syntax { .. }));
}

#[test]
fn malformed_modelled_attributes_name_line_section_and_rule() {
    let text = format!("{HEAD}{}{}a=rtpmap:111 opus\r\n", audio("0"), audio("1"));
    let e = err(&text);
    match &e {
        Error::InvalidAttribute { at, name, rule, .. } => {
            assert_eq!(name, "rtpmap");
            assert_eq!(at.line, Some(13));
            assert_eq!(at.section, Some(1));
            assert_eq!(at.mid.as_ref().map(|m| m.as_str()), Some("1"));
            assert!(rule.contains("rtpmap"));
        }
        other => panic!("{other}"),
    }
    for bad in [
        "a=candidate:1 1 udp 1 host",
        "a=ice-ufrag:ab",
        "a=fingerprint:sha-256 zz",
        "a=setup:sometimes",
        "a=extmap:0 urn:x",
        "a=ssrc:notanumber cname:x",
        "a=sctp-port:70000",
        "a=mid:has space",
        "a=mid",
        "a=simulcast:both a",
    ] {
        let e = err(&format!("{HEAD}{}{bad}\r\n", audio("0")));
        assert!(matches!(e, Error::InvalidAttribute { .. }), "{bad}: {e}");
    }
}

#[test]
fn at_most_once_attributes() {
    for twice in [
        "a=mid:9",
        "a=sendonly\r\na=recvonly",
        "a=setup:active\r\na=setup:passive",
    ] {
        let e = err(&format!("{HEAD}{}{twice}\r\n", audio("0")));
        assert!(matches!(e, Error::Conflicting { .. }), "{twice}: {e}");
    }
}

#[test]
fn mids_and_bundle_groups() {
    let e = err(&format!("{HEAD}{}{}", audio("0"), audio("0")));
    match &e {
        Error::DuplicateMid { at, mid } => {
            assert_eq!((at.section, at.line, mid.as_str()), (Some(1), Some(9), "0"));
        }
        other => panic!("{other}"),
    }
    // The first section, in order, that repeats an earlier mid.
    let e = err(&format!(
        "{HEAD}{}{}{}{}",
        audio("b"),
        audio("a"),
        audio("a"),
        audio("b")
    ));
    match &e {
        Error::DuplicateMid { at, mid } => {
            assert_eq!((at.section, mid.as_str()), (Some(2), "a"));
        }
        other => panic!("{other}"),
    }
    let head = HEAD.replace("t=0 0\r\n", "t=0 0\r\na=group:BUNDLE 0 7\r\n");
    assert!(matches!(
        err(&format!("{head}{}", audio("0"))),
        Error::BundleUnknownMid { .. }
    ));
    let head = HEAD.replace("t=0 0\r\n", "t=0 0\r\na=group:BUNDLE 0 0\r\n");
    assert!(matches!(
        err(&format!("{head}{}", audio("0"))),
        Error::BundleDuplicateMid { .. }
    ));
    let head = HEAD.replace("t=0 0\r\n", "t=0 0\r\na=group:BUNDLE 0\r\n");
    let no_mid = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n";
    let e = err(&format!("{head}{}{no_mid}", audio("0")));
    assert!(matches!(e, Error::MissingMidInBundle { .. }), "{e}");
    // Without BUNDLE a missing mid is only a warning.
    let ok = parse(&format!("{HEAD}{no_mid}")).expect("no bundle");
    assert!(
        ok.warnings
            .iter()
            .any(|w| w.kind == WarningKind::MissingMid)
    );
}

#[test]
fn harmless_oddities_are_warnings_and_kept_verbatim() {
    let text = format!(
        "{HEAD}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\
         a=mid:0\r\na=sendrecv\r\na=x-odd:1\r\na=x-odd:2\r\na=rtcp-mux:yes\r\n{}",
        audio("1").replace(
            "a=rtpmap:111 opus/48000/2",
            "a=rtpmap:111 opus/48000/2\r\na=fmtp:100 x=1"
        )
    );
    let parsed = parse(&text).expect("accepted");
    let kinds: Vec<&WarningKind> = parsed.warnings.iter().map(|w| &w.kind).collect();
    assert!(kinds.contains(&&WarningKind::DirectionOnData));
    assert_eq!(
        kinds
            .iter()
            .filter(|k| matches!(k, WarningKind::UnknownAttribute { name } if name == "x-odd"))
            .count(),
        1,
        "one warning per unknown name"
    );
    assert!(kinds.contains(&&WarningKind::ValueOnProperty {
        name: "rtcp-mux".into()
    }));
    assert!(kinds.contains(&&WarningKind::UnlistedPayloadType {
        attribute: "fmtp",
        payload_type: 100
    }));
    assert_eq!(parsed.description.write(), text, "kept verbatim");
    assert!(
        !parsed.description.media[0].attributes.rtcp_mux(),
        "not interpreted"
    );
}

#[test]
fn line_ending_normalisation_is_reported() {
    let lf = format!("{HEAD}{}", audio("0")).replace("\r\n", "\n");
    let parsed = parse(&lf).expect("LF accepted");
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::LfLineEndings)
    );
    assert_eq!(parsed.description.write(), lf.replace('\n', "\r\n"));
    let no_final = format!("{HEAD}{}", audio("0"));
    let no_final = no_final.trim_end();
    let parsed = parse(no_final).expect("accepted");
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::NoFinalLineEnding)
    );
    let blank = format!("{HEAD}\r\n{}", audio("0"));
    let parsed = parse(&blank).expect("accepted");
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::EmptyLines)
    );
    let reordered = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=ice-lite\r\nt=0 0\r\n";
    let parsed = parse(reordered).expect("accepted");
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::LinesOutOfOrder)
    );
}

// docs/sdp.md "Kept verbatim": what sdp-types normalises without a warning.
#[test]
fn silent_normalisations_are_the_documented_ones() {
    let text = format!("{HEAD}{}", audio("0"))
        .replace("IN IP4 127.0.0.1", "in  ip4 127.0.0.1")
        .replace("c=IN IP4 0.0.0.0", "c=In Ip6 ::");
    let parsed = parse(&text).expect("accepted");
    assert_eq!(parsed.warnings, []);
    let written = parsed.description.write();
    assert!(
        written.contains("o=- 1 2 IN IP4 127.0.0.1\r\n"),
        "{written}"
    );
    assert!(written.contains("c=IN IP6 ::\r\n"), "{written}");
}

// RFC 9143 §7.3.5 / decisions.md §3: port 0 with bundle-only is not a rejection.
// spec: 3.5d
#[test]
fn port_zero_with_bundle_only_is_not_rejected() {
    let text = format!("{HEAD}{}", audio("0").replace("m=audio 9", "m=audio 0"));
    assert!(parse(&text).unwrap().description.media[0].is_rejected());
    let bundle_only = text.replace("a=mid:0\r\n", "a=mid:0\r\na=bundle-only\r\n");
    assert!(!parse(&bundle_only).unwrap().description.media[0].is_rejected());
}

#[test]
fn rollback_with_empty_text() {
    let parsed = SessionDescription::parse(SdpType::Rollback, "").expect("rollback");
    assert_eq!(parsed.description.sdp_type, SdpType::Rollback);
    assert!(parsed.description.media.is_empty());
    assert!(SessionDescription::parse(SdpType::Offer, "").is_err());
}

#[test]
fn builder_misuse_is_the_callers_fault() {
    let e = Msid::new("stream\r\na=injected", None).unwrap_err();
    assert_eq!(e.fault(), Fault::Caller);
    assert!(tacet_sdp::Attribute::other("x", Some("a\nb")).is_err());
    assert!(tacet_sdp::check_text("session name", "a\rb").is_err());
}

// A description edited in code gets the same cross-section checks as parsed text, without a
// line number.
#[test]
fn validate_checks_a_description_built_in_code() {
    let mut description = parse(&format!("{HEAD}{}{}", audio("0"), audio("1")))
        .unwrap()
        .description;
    assert_eq!(description.validate(), Ok(()));
    let copy = description.media[0].clone();
    description.media.push(copy);
    let e = description.validate().unwrap_err();
    assert!(matches!(e, Error::DuplicateMid { .. }), "{e}");
    assert_eq!(e.rule(), "RFC 5888 §4");
    assert_eq!(line_of(&e), None);
}

// The m= line grammar holds for a description edited in code too: otherwise a remote offer
// built that way would be accepted and then wedge createAnswer, whose builder refuses it.
#[test]
fn validate_checks_the_m_line_grammar_of_a_description_built_in_code() {
    let parsed = parse(&format!("{HEAD}{}", audio("0"))).unwrap().description;
    for edit in [
        |m: &mut tacet_sdp::MediaSection| m.formats = "\u{d2}".into(),
        |m: &mut tacet_sdp::MediaSection| m.formats = String::new(),
        |m: &mut tacet_sdp::MediaSection| m.proto = "UDP//RTP".into(),
    ] {
        let mut description = parsed.clone();
        edit(&mut description.media[0]);
        let e = description.validate().unwrap_err();
        assert!(matches!(e, Error::Syntax { .. }), "{e}");
        assert_eq!(e.rule(), "RFC 8866 §9");
        assert_eq!(e.fault(), Fault::Peer);
    }
}

// Found by fuzzing (fuzz/regressions): an m= line with an empty media type, with no format
// (a trailing space), or with a format or protocol that is not made of tokens, is refused — neither could be written back as SDP (RFC 8866 §9).
#[test]
fn m_lines_need_a_media_token_and_a_format() {
    for bad in [
        "m= 9 UDP/TLS/RTP/SAVPF 0\r\n",
        "m=audio 9 UDP/TLS/RTP/SAVPF \r\n",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111  0\r\n",
        // A format or a protocol part outside token-char (the first one once wedged
        // createAnswer: the builder refuses what the parser let through).
        "m=audio 9 UDP/TLS/RTP/SAVPF \u{d2}\r\n",
        "m=audio 9 UDP//RTP/SAVPF 111\r\n",
        "m=audio 9 UDP/TLS/RTP/SA@VPF 111\r\n",
    ] {
        let e = err(&format!("{HEAD}{bad}c=IN IP4 0.0.0.0\r\n"));
        assert!(matches!(e, Error::Syntax { .. }), "{bad:?}: {e}");
        assert_eq!(line_of(&e), Some(5), "{bad:?}");
    }
}

// webrtc-pc: a rollback's SDP is ignored, whatever it says.
#[test]
fn a_rollback_ignores_its_text() {
    let parsed = SessionDescription::parse(SdpType::Rollback, "not sdp at all").unwrap();
    assert_eq!(parsed.description, SessionDescription::rollback());
}
