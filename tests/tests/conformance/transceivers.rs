//! `RTCPeerConnection-transceivers.https.html` (stop-semantics §5.4).

use super::*;

// #38: going inactive and back to sendrecv re-fires ontrack on the remote side.
// spec: 3.6a
#[test]
fn changing_transceiver_direction_to_sendrecv_makes_ontrack_fire() {
    let (mut pair, t1, t2) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.set_direction(Direction::Inactive))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.b.take_events();
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.set_direction(Direction::SendRecv))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert!(
        pair.b
            .take_events()
            .iter()
            .any(|e| matches!(e, Event::Track { transceiver, .. } if *transceiver == t2))
    );
}

// #39: addTrack reuses a reusable transceiver; addTransceiver never does.
// spec: 1.4b
#[test]
fn add_track_reuses_reusable_transceivers() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let t = s
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let reused = s
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    assert_eq!(reused, t);
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(s.transceivers().count(), 2, "addTransceiver does not reuse");
}

// #40: currentDirection is set only when an answer is applied: recvonly / sendonly.
// spec: 1.2c, 3.1b
#[test]
fn set_local_description_answer_transceiver_current_direction_is_recvonly() {
    for (offered, answered) in [
        (Direction::SendOnly, TransceiverDirection::RecvOnly),
        (Direction::RecvOnly, TransceiverDirection::SendOnly),
    ] {
        let mut pair = Pair::new();
        pair.session(Who::A)
            .add_transceiver(TrackKind::Audio, init(offered))
            .unwrap();
        if offered == Direction::RecvOnly {
            pair.session(Who::B)
                .add_track(TrackKind::Audio, TrackId::from("b"), vec![])
                .unwrap();
        }
        pair.send_offer(Who::A).unwrap();
        pair.flush().unwrap();
        let t2 = pair.b.session.transceivers().next().unwrap().id();
        assert_eq!(
            pair.b.session.transceiver(t2).unwrap().current_direction(),
            None
        );
        pair.send_answer(Who::B).unwrap();
        assert_eq!(
            pair.b.session.transceiver(t2).unwrap().current_direction(),
            Some(answered)
        );
    }
}
