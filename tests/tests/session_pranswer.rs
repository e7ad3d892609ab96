//! Provisional answers both ways (webrtc-pc "set the session description"; RFC 9429 §4.1.8.1,
//! stop-semantics §1.6): a pranswer moves the signaling state to have-*-pranswer and sets the
//! current direction; a remote pranswer that rejects a section stops its transceiver at once,
//! but removal waits for the final answer (the "after applying an answer" step); the local
//! branch never stops anything; rollback is refused in the pranswer states.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{Event, SignalingState};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::TransceiverDirection;

/// A offers audio + video + data; B has applied the offer.
fn offered() -> Pair {
    let mut pair = Pair::new();
    for (kind, id) in [(TrackKind::Audio, "mic"), (TrackKind::Video, "cam")] {
        pair.session(Who::A)
            .add_track(kind, TrackId::from(id), vec!["s".into()])
            .unwrap();
    }
    pair.session(Who::A).create_data_channel("chat").unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    pair
}

fn as_pranswer(mut d: SessionDescription) -> SessionDescription {
    d.sdp_type = SdpType::Pranswer;
    d
}

// B answers provisionally, then finally: have-local-pranswer on B, have-remote-pranswer on A,
// current directions set by the pranswer, stable after the answer on both.
// spec: 3.1b
#[test]
fn provisional_then_final_answer_both_ways() {
    let mut pair = offered();
    let pranswer = as_pranswer(pair.session(Who::B).create_answer().unwrap());
    pair.session(Who::B)
        .set_local_description(pranswer.clone())
        .unwrap();
    assert_eq!(
        pair.b.session.signaling_state(),
        SignalingState::HaveLocalPranswer
    );
    pair.session(Who::A)
        .set_remote_description(pranswer)
        .unwrap();
    assert_eq!(
        pair.a.session.signaling_state(),
        SignalingState::HaveRemotePranswer
    );
    for t in pair.a.session.transceivers() {
        assert_eq!(t.current_direction(), Some(TransceiverDirection::SendOnly));
    }
    // A waits for the final answer: no new offer (tacet refuses createOffer outside stable
    // and have-local-offer, as Firefox does); B may create its final answer.
    assert!(pair.session(Who::A).create_offer().is_err());
    assert!(
        pair.session(Who::B).create_answer().is_ok(),
        "have-local-pranswer answers"
    );

    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    for who in [Who::A, Who::B] {
        assert_eq!(pair.session(who).signaling_state(), SignalingState::Stable);
        assert!(pair.session(who).current_remote_description().is_some());
        assert!(pair.session(who).pending_remote_description().is_none());
    }
}

// A remote pranswer that rejects the video section stops A's video transceiver there and then
// (remote branch, L2646-2650: its receiver track ends), but it stays in the set of transceivers
// until the final answer, which removes it.
// spec: 1.6b, 1.6c
#[test]
fn a_remote_pranswer_rejection_stops_and_the_final_answer_removes() {
    let mut pair = offered();
    let video = pair.a.session.transceivers().nth(1).unwrap().id();
    let mut pranswer = as_pranswer(pair.session(Who::B).create_answer().unwrap());
    pranswer.media[1].port = 0;
    pranswer.set_bundle_group(["0", "2"]).unwrap();
    pair.a.take_events();

    pair.session(Who::A)
        .set_remote_description(pranswer.clone())
        .unwrap();
    let t = pair.a.session.transceiver(video).unwrap();
    assert!(t.is_stopped());
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    assert!(
        pair.a.session.transceivers().any(|t| t.id() == video),
        "not removed yet"
    );
    assert!(
        !pair
            .a
            .take_events()
            .contains(&Event::TransceiverRemoved { transceiver: video })
    );

    // The final answer (the peer's, rejecting the same section) removes it.
    let mut answer = pranswer;
    answer.sdp_type = SdpType::Answer;
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert!(!pair.a.session.transceivers().any(|t| t.id() == video));
    assert!(
        pair.a
            .take_events()
            .contains(&Event::TransceiverRemoved { transceiver: video })
    );
    assert_eq!(pair.a.session.signaling_state(), SignalingState::Stable);
    assert!(!pair.a.session.is_negotiation_needed());
}

// A stop while the pranswer is pending: the transceiver is stopping through the final answer,
// and once stable negotiation is needed (rule 4a); the next offer rejects it.
// spec: 1.3g
#[test]
fn stop_in_have_remote_pranswer_waits_for_the_next_offer() {
    let mut pair = offered();
    let video = pair.a.session.transceivers().nth(1).unwrap().id();
    let pranswer = as_pranswer(pair.session(Who::B).create_answer().unwrap());
    pair.session(Who::B)
        .set_local_description(pranswer.clone())
        .unwrap();
    pair.session(Who::A)
        .set_remote_description(pranswer)
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    assert!(!pair.a.session.transceiver(video).unwrap().is_stopped());

    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    let t = pair.a.session.transceiver(video).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert!(
        !t.is_stopped(),
        "stopping: the final answer did not reject it"
    );
    assert!(pair.a.session.is_negotiation_needed());
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert!(offer.media[1].is_rejected());
    assert!(!pair.a.session.transceivers().any(|t| t.id() == video));
}

// The local branch never stops: B's own pranswer that rejects nothing leaves B's transceivers
// as they were, and a local pranswer cannot be rolled back.
// spec: 1.6g
#[test]
fn local_pranswer_sets_directions_and_cannot_be_rolled_back() {
    let mut pair = offered();
    let pranswer = as_pranswer(pair.session(Who::B).create_answer().unwrap());
    pair.session(Who::B)
        .set_local_description(pranswer)
        .unwrap();
    for t in pair.b.session.transceivers() {
        assert_eq!(t.current_direction(), Some(TransceiverDirection::RecvOnly));
        assert!(!t.is_stopped());
    }
    let before = pair.b.session.clone();
    assert!(
        pair.session(Who::B)
            .set_local_description(SessionDescription::rollback())
            .is_err()
    );
    assert!(
        pair.session(Who::B)
            .set_remote_description(SessionDescription::rollback())
            .is_err()
    );
    assert_eq!(pair.b.session, before);
}
