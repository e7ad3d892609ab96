//! Chromium 156's real SDPs (tests/data/sdp, OBSERVATIONS.md §1-§5) applied to tacet in the
//! role they were produced for: Chromium's offers to a tacet answerer, and Chromium's answers to
//! tacet offers built to match them (same mids, m-line order and payload types). Each checks
//! what the observations describe: port-0 sections reject and stop, stopped transceivers are
//! removed after the answer, recycled m-lines (a new mid, a kind change at index 0, the new
//! mid becoming the BUNDLE tag) are accepted, and the data section never goes down.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::SdpType;
use tacet_session::{BundlePolicy, CodecConfig, Effect, Event, TransceiverId};
use tacet_tests::corpus::{answer, deliver, offer, parsed};
use tacet_tests::find::{bundled_mids, transceiver_by_mid};
use tacet_tests::pair::Peer;
use tacet_track::{EndCause, EndReason, ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::TransceiverDirection;

fn tacet() -> Peer {
    Peer::with_config(7, 0x7A, |_| {})
}

/// (kind, mid, rejected) per m-line.
fn layout(d: &tacet_sdp::SessionDescription) -> Vec<(String, String, bool)> {
    d.media
        .iter()
        .map(|m| {
            (
                m.kind.to_string(),
                m.mid().map(|m| m.to_string()).unwrap_or_default(),
                m.is_rejected(),
            )
        })
        .collect()
}

/// The data channel's transport carries on: SCTP is never aborted and a live transport serves
/// the data mid.
fn assert_data_up(peer: &Peer, data_mid: &str) {
    assert!(
        !peer.effects.iter().any(|e| matches!(e, Effect::AbortSctp)),
        "SCTP aborted"
    );
    let serving = peer.session.transports().iter().find(|t| {
        !t.is_released()
            && (t.tag().as_str() == data_mid || t.members().iter().any(|m| m.as_str() == data_mid))
    });
    assert!(serving.is_some(), "no live transport serves the data mid");
}

fn ended_by_remote(events: &[Event], id: TransceiverId) -> bool {
    events.iter().any(|e| {
        matches!(
            e,
            Event::TrackEnded { transceiver, reason } if *transceiver == id
                && *reason == EndReason::Ended(EndCause::RemoteRejected)
        )
    })
}

// Chromium stops its video; tacet answers each round (OBSERVATIONS §1-§3): the port-0 offer
// stops tacet's video transceiver (track ended) and the answer rejects it; after the answer it
// is gone; round 3 recycles m-line 1 with mid 3.
// spec: 1.6b, 1.9d, 3.3b, 6.4
#[test]
fn chromium_stopvideo_offers_on_a_tacet_answerer() {
    for policy in ["balanced", "maxbundle"] {
        let name = |round: u32| format!("chromium-stopvideo-{policy}-{round}-offer");
        let mut b = tacet();
        deliver(&mut b, &name(1), SdpType::Offer).unwrap();
        let answer1 = answer(&mut b).unwrap();
        assert_eq!(
            layout(&answer1),
            [
                ("audio".into(), "0".into(), false),
                ("video".into(), "1".into(), false),
                ("application".into(), "2".into(), false)
            ],
            "{policy}"
        );
        assert_eq!(bundled_mids(&answer1), ["0", "1", "2"]);
        let video = transceiver_by_mid(&b.session, "1");
        b.take_events();

        deliver(&mut b, &name(2), SdpType::Offer).unwrap();
        let t = b.session.transceiver(video).unwrap();
        assert!(t.is_stopped(), "{policy}: the port-0 offer stops it");
        assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
        assert!(ended_by_remote(&b.take_events(), video));
        let answer2 = answer(&mut b).unwrap();
        assert!(answer2.media[1].is_rejected(), "{policy}");
        assert_eq!(bundled_mids(&answer2), ["0", "2"]);
        assert!(b.session.transceiver(video).unwrap().mid().is_none());
        assert!(!b.session.transceivers().any(|t| t.id() == video));
        assert!(
            b.take_events()
                .contains(&Event::TransceiverRemoved { transceiver: video })
        );

        deliver(&mut b, &name(3), SdpType::Offer).unwrap();
        let recycled = transceiver_by_mid(&b.session, "3");
        assert!(b.take_events().iter().any(|e| matches!(
            e,
            Event::Track { transceiver, .. } if *transceiver == recycled
        )));
        let answer3 = answer(&mut b).unwrap();
        assert_eq!(
            layout(&answer3)[1],
            ("video".into(), "3".into(), false),
            "{policy}: m-line 1 recycled with a new mid"
        );
        assert_eq!(bundled_mids(&answer3), ["0", "3", "2"]);
        assert_eq!(b.session.transceivers().count(), 2);
        assert_data_up(&b, "2");
        assert!(!b.session.is_negotiation_needed());
    }
}

// Chromium stops all media, the BUNDLE tag included, then adds a video: round 2 moves the tag to
// the data section (Chromium replaces the transport, interop-findings §5), round 3 recycles
// m-line 0 — audio mid 0 — as video mid 3 and makes mid 3 the tag.
// spec: 3.5e, 6.9
#[test]
fn chromium_stopmedia_offers_on_a_tacet_answerer() {
    for policy in ["balanced", "maxbundle"] {
        let name = |round: u32| format!("chromium-stopmedia-{policy}-{round}-offer");
        let mut b = tacet();
        deliver(&mut b, &name(1), SdpType::Offer).unwrap();
        answer(&mut b).unwrap();
        let (audio, video) = (
            transceiver_by_mid(&b.session, "0"),
            transceiver_by_mid(&b.session, "1"),
        );
        b.take_events();
        b.take_effects();

        deliver(&mut b, &name(2), SdpType::Offer).unwrap();
        for id in [audio, video] {
            assert!(b.session.transceiver(id).unwrap().is_stopped(), "{policy}");
        }
        let answer2 = answer(&mut b).unwrap();
        assert_eq!(
            layout(&answer2),
            [
                ("audio".into(), "0".into(), true),
                ("video".into(), "1".into(), true),
                ("application".into(), "2".into(), false)
            ],
            "{policy}"
        );
        assert_eq!(bundled_mids(&answer2), ["2"]);
        assert_eq!(b.session.transceivers().count(), 0);
        let effects = b.take_effects();
        // Chromium built a new transport for the new tag (new UDP ports; its repeated
        // `tcptype active` port-9 lines identify no transport, decision 0006).
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::TransportReplaced { tag, .. } if tag.as_str() == "2"
            )),
            "{policy}: the data section carries a replacement transport: {effects:?}"
        );
        assert_data_up(&b, "2");

        deliver(&mut b, &name(3), SdpType::Offer).unwrap();
        let answer3 = answer(&mut b).unwrap();
        assert_eq!(
            layout(&answer3),
            [
                ("video".into(), "3".into(), false),
                ("video".into(), "1".into(), true),
                ("application".into(), "2".into(), false)
            ],
            "{policy}: a kind change at index 0"
        );
        assert_eq!(bundled_mids(&answer3), ["3", "2"], "the new mid is the tag");
        let recycled = transceiver_by_mid(&b.session, "3");
        assert_eq!(
            b.session.transceiver(recycled).unwrap().current_direction(),
            Some(TransceiverDirection::RecvOnly)
        );
        assert_data_up(&b, "2");
        assert!(!b.session.is_negotiation_needed());
    }
}

// The other Chromium offers (initial offers of each bundle policy, ICE restarts, direction
// changes, recvonly, reverse, simulcast, data-only) are answered without error, and every
// answer passes the answer rules against its offer.
#[test]
fn every_chromium_offer_sequence_is_answered() {
    let sequences: &[&[&str]] = &[
        &["chromium-initial-balanced-1-offer"],
        &["chromium-initial-maxbundle-1-offer"],
        &["chromium-initial-maxcompat-1-offer"],
        &["chromium-initial-balanced-pregather-1-offer"],
        &[
            "chromium-icerestart-1-offer",
            "chromium-icerestart-2-offer",
            "chromium-icerestart-3-offer",
        ],
        &[
            "chromium-inactive-balanced-1-offer",
            "chromium-inactive-balanced-2-offer",
            "chromium-inactive-balanced-3-offer",
        ],
        &["chromium-recvonly-1-offer"],
        &["chromium-simulcast-1-offer"],
        &["chromium-dconly-1-offer", "chromium-dconly-2-offer"],
        &[
            "chromium-stoptag-balanced-1-offer",
            "chromium-stoptag-balanced-2-offer",
        ],
        &[
            "chromium-stoptag-maxbundle-1-offer",
            "chromium-stoptag-maxbundle-2-offer",
        ],
    ];
    for sequence in sequences {
        let mut b = tacet();
        for name in *sequence {
            deliver(&mut b, name, SdpType::Offer).unwrap_or_else(|e| panic!("{name}: {e}"));
            let answer = answer(&mut b).unwrap_or_else(|e| panic!("{name}: {e}"));
            answer
                .check_answer(&parsed(name, SdpType::Offer))
                .unwrap_or_else(|e| panic!("{name}: our answer breaks a rule: {e}"));
        }
        assert!(
            !b.effects.iter().any(|e| matches!(e, Effect::AbortSctp)),
            "{sequence:?}"
        );
    }
}

/// A tacet offerer that mirrors a Chromium offer: its codecs and payload types, max-bundle,
/// audio and video tracks then a data channel (mids 0, 1, 2).
fn mirroring(chromium_offer: &str) -> (Peer, TransceiverId, TransceiverId) {
    let config = CodecConfig::from_description(&parsed(chromium_offer, SdpType::Offer));
    let mut a = Peer::with_config(11, 0x1A, |c| {
        c.codecs = config;
        c.bundle_policy = BundlePolicy::MaxBundle;
    });
    let audio = a
        .session
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s".into()])
        .unwrap();
    let video = a
        .session
        .add_track(TrackKind::Video, TrackId::from("cam"), vec!["s".into()])
        .unwrap();
    a.session.create_data_channel("chat").unwrap();
    (a, audio, video)
}

// Chromium's answers applied to tacet's own offers for the same three rounds: tacet stops its
// video (port 0 in its offer; Chromium's answer rejects it), the transceiver is removed after
// the answer, and a new video track recycles m-line 1 with mid 3, which Chromium's round-3
// answer accepts.
// spec: 1.6c, 3.1b, 3.2b
#[test]
fn chromium_stopvideo_answers_to_tacet_offers() {
    for policy in ["balanced", "maxbundle"] {
        let name = |round: u32, what: &str| format!("chromium-stopvideo-{policy}-{round}-{what}");
        let (mut a, audio, video) = mirroring(&name(1, "offer"));
        let offer1 = offer(&mut a).unwrap();
        assert_eq!(
            layout(&offer1),
            layout(&parsed(&name(1, "offer"), SdpType::Offer))
        );
        deliver(&mut a, &name(1, "answer"), SdpType::Answer).unwrap();
        // The capturing Chromium answerer had no tracks: it answers recvonly.
        let t = a.session.transceiver(video).unwrap();
        assert_eq!(t.current_direction(), Some(TransceiverDirection::SendOnly));
        // The payload types negotiated are Chromium's.
        let answered: Vec<u8> = parsed(&name(1, "answer"), SdpType::Answer).media[1]
            .payload_types()
            .collect();
        assert!(t.codecs().iter().all(|c| answered.contains(&c.pt)));
        assert!(!t.codecs().is_empty());

        a.session
            .transceiver_mut(video)
            .and_then(|mut t| t.stop())
            .unwrap();
        let offer2 = offer(&mut a).unwrap();
        assert!(offer2.media[1].is_rejected());
        deliver(&mut a, &name(2, "answer"), SdpType::Answer).unwrap();
        assert!(!a.session.transceivers().any(|t| t.id() == video));
        assert!(a.session.transceiver(audio).unwrap().mid().is_some());

        let new_video = a
            .session
            .add_track(TrackKind::Video, TrackId::from("cam2"), vec!["s".into()])
            .unwrap();
        let offer3 = offer(&mut a).unwrap();
        assert_eq!(
            layout(&offer3),
            layout(&parsed(&name(3, "answer"), SdpType::Answer)),
            "{policy}: m-line 1 recycled with mid 3, as Chromium did"
        );
        deliver(&mut a, &name(3, "answer"), SdpType::Answer).unwrap();
        assert_eq!(
            a.session
                .transceiver(new_video)
                .unwrap()
                .current_direction(),
            Some(TransceiverDirection::SendOnly)
        );
        assert_data_up(&a, "2");
        assert!(!a.session.is_negotiation_needed(), "{policy}");
    }
}
