//! The real SDPs of `tests/data/sdp/` (Chromium 156, aiortc 1.16): every file parses, writes
//! back byte for byte, and the model shows what `OBSERVATIONS.md` says the file shows.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs;
use std::path::{Path, PathBuf};

use tacet_sdp::{
    Direction, Error, MediaKind, RidDirection, SdpType, SessionDescription, WarningKind,
};
use tacet_tests::find::bundled_mids;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sdp")
}

fn sdp_type(name: &str) -> SdpType {
    if name.ends_with("-offer.sdp") {
        SdpType::Offer
    } else {
        assert!(name.ends_with("-answer.sdp"), "{name}");
        SdpType::Answer
    }
}

fn load(name: &str) -> SessionDescription {
    let text = fs::read_to_string(corpus_dir().join(name)).expect("corpus file");
    SessionDescription::parse(sdp_type(name), &text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .description
}

fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sdp"))
        .map(|p| {
            let name = p.file_name().expect("file").to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).expect("utf-8 corpus file"))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 80, "the corpus has 80 SDP files");
    files
}

#[test]
fn every_corpus_file_parses_and_writes_back_byte_for_byte() {
    for (name, text) in corpus() {
        let parsed = SessionDescription::parse(sdp_type(&name), &text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            parsed.description.write(),
            text,
            "{name}: not byte-identical"
        );
        // Real browsers write nothing tacet needs to warn about.
        assert_eq!(parsed.warnings, [], "{name}");
        // And the written text re-parses to the same model.
        let again = SessionDescription::parse(sdp_type(&name), &parsed.description.write())
            .expect("re-parse");
        assert_eq!(again.description, parsed.description, "{name}");
    }
}

// OBSERVATIONS.md 1-2: a stopped non-tag transceiver is offered with port 0, a=inactive, its mid
// kept, no msid/ssrc, and it leaves the BUNDLE group.
#[test]
fn chromium_stop_renegotiation_offer_has_a_rejected_video_section() {
    let sdp = load("chromium-stopvideo-balanced-2-offer.sdp");
    let video = &sdp.media[1];
    assert_eq!(video.kind, MediaKind::Video);
    assert_eq!(video.port, 0);
    assert!(video.is_rejected());
    assert_eq!(video.mid().map(|m| m.as_str()), Some("1"));
    assert_eq!(video.direction(), Direction::Inactive);
    assert_eq!(video.attributes.msids().count(), 0);
    assert_eq!(video.attributes.ssrcs().count(), 0);
    // Chromium keeps codecs, ICE and stale candidates in the rejected section.
    assert_eq!(video.attributes.candidates().count(), 4);
    assert!(video.rtpmap(96).is_some_and(|m| m.encoding_name() == "VP8"));
    assert_eq!(
        bundled_mids(&sdp),
        ["0", "2"],
        "BUNDLE lists only live mids"
    );
    assert!(!sdp.media[0].is_rejected());
    assert_eq!(sdp.media[0].attributes.msids().count(), 1);
    assert!(sdp.media[2].is_data());
    assert_eq!(sdp.media[2].attributes.sctp_port(), Some(&5000));
}

// OBSERVATIONS.md 2: stopping the tag (mid 0) makes the next mid the tag.
#[test]
fn chromium_stopping_the_bundle_tag_moves_the_tag() {
    let before = load("chromium-stoptag-maxbundle-1-offer.sdp");
    assert_eq!(bundled_mids(&before), ["0", "1", "2"]);
    let after = load("chromium-stoptag-maxbundle-2-offer.sdp");
    assert!(after.media[0].is_rejected());
    assert_eq!(bundled_mids(&after), ["1", "2"]);
    // The new tag carries the transport: candidates only on the tag in max-bundle.
    let answer = load("chromium-stoptag-maxbundle-2-answer.sdp");
    assert!(answer.media[0].is_rejected());
    assert_eq!(answer.check_answer(&after), Ok(()));
}

// OBSERVATIONS.md 2-3: all media stopped -> BUNDLE lists only the data mid; then an m-line is
// recycled with a new mid and another kind, and the new mid becomes the tag.
#[test]
fn chromium_stop_all_media_then_recycle_with_a_kind_change() {
    let data_only = load("chromium-stopmedia-maxbundle-2-offer.sdp");
    assert!(data_only.media[0].is_rejected() && data_only.media[1].is_rejected());
    assert!(!data_only.media[2].is_rejected());
    assert_eq!(bundled_mids(&data_only), ["2"]);
    let recycled = load("chromium-stopmedia-maxbundle-3-offer.sdp");
    assert_eq!(recycled.media.len(), 3, "m-line count stays");
    assert_eq!(recycled.media[0].kind, MediaKind::Video, "was audio");
    assert_eq!(recycled.media[0].mid().map(|m| m.as_str()), Some("3"));
    assert!(!recycled.media[0].is_rejected());
    assert!(recycled.media[1].is_rejected());
    assert_eq!(bundled_mids(&recycled), ["3", "2"]);
}

// OBSERVATIONS.md 16: aiortc answers a port-0 offer with a live port and keeps mid 1 in BUNDLE;
// checked against its offer this is a BUNDLE violation (Chromium refuses it the same way).
#[test]
fn aiortc_cross_answer_violates_the_offered_bundle_group() {
    let offer = load("chromium-xaiortc-stopvideo-2-offer.sdp");
    assert_eq!(bundled_mids(&offer), ["0", "2"]);
    assert!(offer.media[1].is_rejected());
    let answer = load("aiortc-xchromium-stopvideo-2-answer.sdp");
    assert!(
        !answer.media[1].is_rejected(),
        "aiortc answers with a live port"
    );
    let err = answer.check_answer(&offer).unwrap_err();
    assert!(
        matches!(&err, Error::AnswerMismatch { reason, .. } if reason.contains("mid 1") && reason.contains("BUNDLE")),
        "{err}"
    );
    assert!(err.rule().starts_with("RFC 9143 §7.3.1"));
    // The round-1 answer was fine.
    let first = load("aiortc-xchromium-stopvideo-1-answer.sdp");
    assert_eq!(
        first.check_answer(&load("chromium-xaiortc-stopvideo-1-offer.sdp")),
        Ok(())
    );
}

// Every Chromium answer is valid against its offer.
#[test]
fn every_chromium_answer_matches_its_offer() {
    for (name, _) in corpus() {
        let Some(stem) = name.strip_suffix("-answer.sdp") else {
            continue;
        };
        if !name.starts_with("chromium-") {
            continue;
        }
        let answer = load(&name);
        let offer = load(&format!("{stem}-offer.sdp"));
        assert_eq!(answer.check_answer(&offer), Ok(()), "{name}");
    }
}

// OBSERVATIONS.md 7 and 14: Chromium increases the session version; aiortc never does.
#[test]
fn session_versions_chromium_increases_aiortc_does_not() {
    let r1 = load("chromium-stopvideo-balanced-1-offer.sdp");
    let r2 = load("chromium-stopvideo-balanced-2-offer.sdp");
    assert_eq!(r2.origin.session_version, r1.origin.session_version + 1);
    assert_eq!(r2.check_follows(&r1), Ok(vec![]));
    let a1 = load("aiortc-stopvideo-1-offer.sdp");
    let a2 = load("aiortc-stopvideo-2-offer.sdp");
    let warnings = a2.check_follows(&a1).expect("same origin");
    assert!(matches!(
        warnings.as_slice(),
        [w] if matches!(w.kind, WarningKind::SessionVersionNotIncreased { .. })
    ));
    assert!(
        r1.check_follows(&r2).is_err(),
        "a version going down is an error"
    );
    // aiortc's origin is the clock: two answers two seconds apart differ in session id too.
    let x1 = load("aiortc-xchromium-stopvideo-1-answer.sdp");
    let x2 = load("aiortc-xchromium-stopvideo-2-answer.sdp");
    let warnings = x2.check_follows(&x1).expect("a warning, not an error");
    assert!(matches!(
        warnings.as_slice(),
        [w] if matches!(&w.kind, WarningKind::OriginChanged { from, to }
            if from == "4004451198" && to == "4004451200")
    ));
}

// OBSERVATIONS.md 7, 15: both msid-semantic spellings parse.
#[test]
fn msid_semantic_with_and_without_the_space() {
    let chromium = load("chromium-initial-balanced-1-answer.sdp");
    let semantic = chromium.attributes.msid_semantic().expect("present");
    assert_eq!((semantic.value(), semantic.semantic()), (" WMS", "WMS"));
    let aiortc = load("aiortc-stopvideo-1-offer.sdp");
    let semantic = aiortc.attributes.msid_semantic().expect("present");
    assert_eq!(semantic.ids().collect::<Vec<_>>(), ["*"]);
    assert!(!aiortc.attributes.extmap_allow_mixed());
    assert!(chromium.attributes.extmap_allow_mixed());
}

// OBSERVATIONS.md 8: simulcast offer with three rids.
#[test]
fn chromium_simulcast_offer() {
    let sdp = load("chromium-simulcast-1-offer.sdp");
    let video = &sdp.media[1];
    let rids: Vec<&str> = video.attributes.rids().map(|r| r.id()).collect();
    assert_eq!(rids, ["q", "h", "f"]);
    let simulcast = video.attributes.simulcast().expect("a=simulcast");
    assert_eq!(simulcast.streams(RidDirection::Send).len(), 3);
    let answer = load("chromium-simulcast-1-answer.sdp");
    assert!(
        answer.media[1].attributes.simulcast().is_none(),
        "the answerer drops it"
    );
}

// OBSERVATIONS.md 5, 15: candidates and transport attributes.
#[test]
fn transport_attributes_and_candidates() {
    let sdp = load("chromium-initial-balanced-1-offer.sdp");
    let audio = &sdp.media[0];
    assert_eq!(audio.attributes.candidates().count(), 4);
    let c = audio.attributes.candidates().next().expect("candidate");
    assert_eq!((c.component(), c.transport(), c.kind()), (1, "udp", "host"));
    assert_eq!(c.port(), audio.port);
    assert!(sdp.ice_ufrag_for(0).is_some() && sdp.ice_pwd_for(0).is_some());
    assert_eq!(sdp.fingerprints_for(0)[0].hash_function(), "sha-256");
    assert_eq!(sdp.setup_for(0), Some(tacet_sdp::Setup::ActPass));
    assert!(audio.attributes.rtcp_mux() && audio.attributes.rtcp_rsize());
    let aiortc = load("aiortc-stopvideo-1-offer.sdp");
    assert!(aiortc.media[0].attributes.end_of_candidates());
    assert!(
        aiortc.fingerprints_for(0).len() >= 3,
        "aiortc offers sha-256/384/512"
    );
}

// OBSERVATIONS.md 12: recvonly transceivers without tracks offer more payload types.
#[test]
fn codecs_by_payload_type() {
    let sdp = load("chromium-initial-balanced-1-offer.sdp");
    let audio = &sdp.media[0];
    let opus = audio.rtpmap(111).expect("opus");
    assert_eq!(
        (opus.encoding_name(), opus.clock_rate(), opus.channels()),
        ("opus", 48000, Some(2))
    );
    assert_eq!(
        audio.fmtp(111).and_then(|f| f.param("useinbandfec")),
        Some("1")
    );
    assert!(
        audio
            .rtcp_fbs_for(111)
            .any(|fb| fb.kind() == "transport-cc")
    );
    let video = &sdp.media[1];
    assert_eq!(video.fmtp(97).and_then(|f| f.param("apt")), Some("96"));
    assert!(
        video
            .attributes
            .extmaps()
            .any(|e| e.uri() == "urn:ietf:params:rtp-hdrext:sdes:mid")
    );
    let recvonly = load("chromium-recvonly-1-offer.sdp");
    assert_eq!(recvonly.media[1].payload_types().count(), 34);
}
