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

// #37 (legacy, rewritten): addTransceiver(track), offer/answer: currentDirection "sendonly",
// not stopped. After pc1.close() the transceiver is stopped and both direction and
// currentDirection read "stopped" (WPT's legacy reading: `stopped == true`, currentDirection
// null): close stops every transceiver with disappear = false (webrtc-pc close the connection,
// L4822-4937), so the receiver track ends with an `ended` event.
// spec: 1.2a, 1.2c, 1.8a, 6.14
#[test]
fn closing_the_pc_stops_the_transceivers() {
    let mut pair = Pair::new();
    let t = add_transceiver_with_track(pair.session(Who::A), "track");
    pair.negotiate(Who::A).unwrap();
    let tr = pair.a.session.transceiver(t).unwrap();
    assert_eq!(tr.current_direction(), Some(TransceiverDirection::SendOnly));
    assert!(!tr.is_stopping());
    pair.a.take_events();
    pair.session(Who::A).close();
    assert!(ended(&pair.a.take_events(), t));
    let tr = pair.a.session.transceiver(t).unwrap();
    assert!(tr.is_stopped());
    assert_eq!(
        stopped(&pair.a.session, t),
        (
            TransceiverDirection::Stopped,
            Some(TransceiverDirection::Stopped)
        )
    );
    assert_eq!(tr.receiver().track().ready_state(), ReadyState::Ended);
}

// #39, first title: addTransceiver('audio'), then addTrack returns that transceiver's sender,
// now with the track.
// spec: 1.4b
#[test]
fn add_track_reuses_reusable_transceivers() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let t = s
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let sender = s
        .add_track(TrackKind::Audio, TrackId::from("a"), vec!["stream".into()])
        .unwrap()
        .sender();
    assert_eq!(sender, t.sender(), "sender == transceiver.sender");
    assert_eq!(
        s.transceiver(t).unwrap().sender().track(),
        Some(&TrackId::from("a"))
    );
    assert_eq!(s.transceivers().count(), 1);
}

// #39, second title: addTransceiver('audio'), then addTransceiver(track) makes a second
// transceiver (addTransceiver never reuses) whose sender has the track.
// spec: 1.4b
#[test]
fn add_transceiver_does_not_reuse_reusable_transceivers() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let t1 = s
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let t2 = add_transceiver_with_track(s, "a");
    assert_ne!(t2, t1);
    assert_eq!(
        s.transceiver(t2).unwrap().sender().track(),
        Some(&TrackId::from("a"))
    );
    assert!(s.transceiver(t1).unwrap().sender().track().is_none());
    assert_eq!(s.transceivers().count(), 2);
}

/// The transceiver pc2's `track` event names, after pc1 (with an addTrack transceiver) set its
/// offer and pc2 applied it (`exchangeOfferAndListenToOntrack`).
fn offered_to_b(pair: &mut Pair) -> (TransceiverId, TransceiverId) {
    let t1 = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec!["stream".into()])
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    assert_eq!(current(&pair.a.session, t1), None, "SLD(offer): still null");
    pair.flush().unwrap();
    let tracks = track_events(&pair.b.take_events());
    assert_eq!(tracks.len(), 1);
    (t1, tracks[0].0)
}

// #40, first title: pc2's transceiver from the `track` event has currentDirection null after
// SRD(offer) and "recvonly" after SLD(answer) (it has nothing to send).
// spec: 1.2c, 3.1b
#[test]
fn set_local_description_answer_transceiver_current_direction_is_recvonly() {
    let mut pair = Pair::new();
    let (_, t2) = offered_to_b(&mut pair);
    assert_eq!(current(&pair.b.session, t2), None);
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B).set_local_description(answer).unwrap();
    assert_eq!(
        current(&pair.b.session, t2),
        Some(TransceiverDirection::RecvOnly)
    );
}

// #40, second title: pc1's addTrack transceiver has currentDirection null after SLD(offer) and
// "sendonly" once pc2's answer (pc2 sends nothing) is applied.
// spec: 1.2c, 3.1b
#[test]
fn set_local_description_answer_transceiver_current_direction_is_sendonly() {
    let mut pair = Pair::new();
    let (t1, _) = offered_to_b(&mut pair);
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    assert_eq!(
        current(&pair.a.session, t1),
        Some(TransceiverDirection::SendOnly)
    );
}
