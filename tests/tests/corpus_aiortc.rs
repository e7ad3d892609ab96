//! aiortc 1.16's real SDPs (tests/data/sdp, OBSERVATIONS.md §14-§16) applied to tacet, under
//! both peer policies (decisions.md §2). aiortc never rejects an m-line when it stops, never
//! raises its session version, and answers a port-0 section with a live port while keeping the
//! mid in BUNDLE — the answer Chromium refuses. Tolerant tacet applies what is safe (the
//! section stays stopped and is removed, the data section stays up) and says so with typed
//! warnings; strict tacet refuses with a typed error naming the rule, and nothing changes.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{SdpType, WarningKind};
use tacet_session::Fault;
use tacet_session::{BundlePolicy, CodecConfig, Effect, Error, PeerPolicy, SignalingState};
use tacet_tests::corpus::{answer, deliver, offer, parsed, sdp, warnings};
use tacet_tests::pair::Peer;
use tacet_track::{TrackId, TrackKind};

fn peer(policy: PeerPolicy) -> Peer {
    Peer::with_config(5, 0x5A, |c| c.peer_policy = policy)
}

/// A tacet offerer mirroring the Chromium offer aiortc answered in the cross test (same
/// codecs and payload types, audio + video + data, max-bundle), after round 1 with aiortc's
/// first answer applied; returns the peer and its video transceiver.
fn after_round_one(policy: PeerPolicy) -> (Peer, tacet_session::TransceiverId) {
    let mirrored = parsed("chromium-xaiortc-stopvideo-1-offer", SdpType::Offer);
    let mut a = Peer::with_config(9, 0x9A, |c| {
        c.codecs = CodecConfig::from_description(&mirrored);
        c.bundle_policy = BundlePolicy::MaxBundle;
        c.peer_policy = policy;
    });
    a.session
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s".into()])
        .unwrap();
    let video = a
        .session
        .add_track(TrackKind::Video, TrackId::from("cam"), vec!["s".into()])
        .unwrap();
    a.session.create_data_channel("chat").unwrap();
    offer(&mut a).unwrap();
    deliver(
        &mut a,
        "aiortc-xchromium-stopvideo-1-answer",
        SdpType::Answer,
    )
    .unwrap();
    assert_eq!(a.session.signaling_state(), SignalingState::Stable);
    a.take_events();
    a.take_effects();
    a.session
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer2 = offer(&mut a).unwrap();
    assert!(offer2.media[1].is_rejected());
    (a, video)
}

// Tolerant: aiortc's answer to the port-0 offer is applied as a rejection. Two warnings name
// what aiortc bent; the video transceiver is stopped and removed, it is not offered again, and
// the data section keeps its transport.
// spec: 6.18
#[test]
fn tolerant_tacet_applies_aiortcs_answer_to_a_stop_as_a_rejection() {
    let (mut a, video) = after_round_one(PeerPolicy::Tolerant);
    deliver(
        &mut a,
        "aiortc-xchromium-stopvideo-2-answer",
        SdpType::Answer,
    )
    .unwrap();
    let events = a.take_events();
    let bends: Vec<_> = warnings(&events)
        .into_iter()
        .filter(|k| {
            matches!(
                k,
                WarningKind::LivePortForRejectedSection { .. }
                    | WarningKind::RejectedMidInBundle { .. }
            )
        })
        .collect();
    assert!(
        warnings(&events)
            .iter()
            .any(|k| matches!(k, WarningKind::OriginChanged { .. }))
    );
    assert_eq!(
        bends,
        [
            WarningKind::LivePortForRejectedSection { mid: "1".into() },
            WarningKind::RejectedMidInBundle { mid: "1".into() },
        ]
    );
    assert_eq!(a.session.signaling_state(), SignalingState::Stable);
    assert!(!a.session.transceivers().any(|t| t.id() == video));
    assert!(a.session.transceiver(video).unwrap().is_stopped());
    let effects = a.take_effects();
    assert!(!effects.iter().any(|e| matches!(
        e,
        Effect::AbortSctp | Effect::TransportReleased { .. } | Effect::TransportReplaced { .. }
    )));
    let remote = a.session.remote_description().unwrap();
    assert!(remote.media[1].is_rejected(), "read as rejected");
    // Not offered again: nothing left to negotiate, and a later offer keeps m-line 1 at port 0.
    assert!(!a.session.is_negotiation_needed());
    let offer3 = offer(&mut a).unwrap();
    assert!(offer3.media[1].is_rejected());
    let bundle: Vec<&str> = offer3.bundle_groups().flat_map(|g| g.mids()).collect();
    assert_eq!(bundle, ["0", "2"]);
}

// Strict: the same answer is refused; the session is unchanged (still waiting for an answer,
// the video transceiver still stopping). As captured, the answer's clock-derived origin is
// refused first (RFC 3264 §8), and the refusal also lists the answer's other bends (a live port
// for the rejected video, its mid still in BUNDLE); with the origin made continuous, the
// refusal names the live port (RFC 3264 §8.2) and lists the BUNDLE bend.
// spec: 6.18
#[test]
fn strict_tacet_refuses_aiortcs_answer_to_a_stop() {
    let (mut a, video) = after_round_one(PeerPolicy::Strict);
    let before = a.session.clone();
    let err = deliver(
        &mut a,
        "aiortc-xchromium-stopvideo-2-answer",
        SdpType::Answer,
    )
    .unwrap_err();
    assert_eq!(err.fault(), Fault::Peer);
    assert!(err.rule().starts_with("RFC 3264 §8"), "{err}");
    assert_eq!(a.session, before);
    // The changed o= line decides the error; the answer's other bends are reported with it.
    let also = |err: &Error| -> Vec<WarningKind> {
        match err {
            Error::PeerViolation { also, .. } => also.iter().map(|w| w.kind.clone()).collect(),
            other => panic!("expected a peer violation, got {other}"),
        }
    };
    let live_port = WarningKind::LivePortForRejectedSection { mid: "1".into() };
    let found = also(&err);
    assert!(found.contains(&live_port), "{err}");
    assert!(
        found
            .iter()
            .any(|k| matches!(k, WarningKind::RejectedMidInBundle { .. })),
        "{err}"
    );

    let continuous = sdp("aiortc-xchromium-stopvideo-2-answer")
        .replace("o=- 4004451200 4004451200", "o=- 4004451198 4004451200");
    let err = a
        .session
        .set_remote_description_text(SdpType::Answer, &continuous)
        .unwrap_err();
    assert_eq!(err.fault(), Fault::Peer);
    assert!(err.rule().starts_with("RFC 3264 §8.2"), "{err}");
    assert!(
        also(&err)
            .iter()
            .any(|k| matches!(k, WarningKind::RejectedMidInBundle { .. })),
        "{err}"
    );
    assert_eq!(a.session, before);
    assert_eq!(a.session.signaling_state(), SignalingState::HaveLocalOffer);
    assert!(!a.session.transceiver(video).unwrap().is_stopped());
}

// aiortc as the offerer: its "stopped" video stays sendrecv (aiortc never emits port 0), and
// the re-offer changes content without raising the session version. Tolerant: a warning, the
// offer applied, nothing stopped. Strict: refused under RFC 3264 §8, unchanged.
#[test]
fn aiortc_reoffers_without_a_new_session_version() {
    for policy in [PeerPolicy::Tolerant, PeerPolicy::Strict] {
        let mut b = peer(policy);
        deliver(&mut b, "aiortc-stopvideo-1-offer", SdpType::Offer).unwrap();
        answer(&mut b).unwrap();
        b.take_events();
        let before = b.session.clone();
        let result = deliver(&mut b, "aiortc-stopvideo-2-offer", SdpType::Offer);
        match policy {
            PeerPolicy::Tolerant => {
                result.unwrap();
                assert!(warnings(&b.take_events()).contains(
                    &WarningKind::SessionVersionNotIncreased {
                        version: 4_004_451_186
                    }
                ));
                answer(&mut b).unwrap();
                assert_eq!(b.session.transceivers().count(), 2);
                assert!(b.session.transceivers().all(|t| !t.is_stopped()));
            }
            PeerPolicy::Strict => {
                let err = result.unwrap_err();
                assert!(matches!(err, Error::PeerViolation { .. }), "{err}");
                assert!(err.rule().starts_with("RFC 3264 §8"), "{err}");
                assert_eq!(b.session, before);
            }
        }
    }
}

// A data-only aiortc offer is answered with one data section; aiortc's byte-identical
// round-2 answer (same version, same content) is no bend at all, even under the strict policy.
#[test]
fn aiortc_data_only_and_repeated_answers_apply_cleanly() {
    let mut b = peer(PeerPolicy::Strict);
    deliver(&mut b, "aiortc-dconly-1-offer", SdpType::Offer).unwrap();
    let answer1 = answer(&mut b).unwrap();
    assert_eq!(answer1.media.len(), 1);
    assert!(answer1.media[0].is_data());

    let one = parsed("aiortc-stopvideo-1-answer", SdpType::Answer);
    let two = parsed("aiortc-stopvideo-2-answer", SdpType::Answer);
    assert_eq!(one, two, "OBSERVATIONS §14: byte-identical");
    assert_eq!(two.check_follows(&one), Ok(vec![]));
}
