//! `RTCPeerConnection-removeTrack.https.html`.

use super::*;

fn remove_track_with_current(
    direction: Direction,
) -> (TransceiverDirection, Option<TransceiverDirection>) {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(direction))
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.replace_track(Some(TrackId::from("x"))))
        .unwrap();
    if direction.has_recv() {
        pair.session(Who::B)
            .add_track(TrackKind::Audio, TrackId::from("b"), vec![])
            .unwrap();
    }
    pair.negotiate(Who::A).unwrap();
    let current = pair.a.session.transceiver(t).unwrap().current_direction();
    pair.session(Who::A).remove_track(t.sender()).unwrap();
    let after = pair.a.session.transceiver(t).unwrap();
    assert_eq!(
        after.current_direction(),
        current,
        "currentDirection unchanged"
    );
    (after.direction(), current)
}

// #47
#[test]
fn calling_remove_track_with_current_direction_sendrecv_should_set_direction_to_recvonly() {
    let (direction, current) = remove_track_with_current(Direction::SendRecv);
    assert_eq!(current, Some(TransceiverDirection::SendRecv));
    assert_eq!(direction, TransceiverDirection::RecvOnly);
}

// #48
#[test]
fn calling_remove_track_with_current_direction_sendonly_should_set_direction_to_inactive() {
    let (direction, current) = remove_track_with_current(Direction::SendOnly);
    assert_eq!(current, Some(TransceiverDirection::SendOnly));
    assert_eq!(direction, TransceiverDirection::Inactive);
}

// #49
#[test]
fn calling_remove_track_with_current_direction_recvonly_should_not_change_direction() {
    let (direction, current) = remove_track_with_current(Direction::RecvOnly);
    assert_eq!(current, Some(TransceiverDirection::RecvOnly));
    assert_eq!(direction, TransceiverDirection::RecvOnly);
}

// #50
#[test]
fn calling_remove_track_with_current_direction_inactive_should_not_change_direction() {
    let (direction, current) = remove_track_with_current(Direction::Inactive);
    assert_eq!(current, Some(TransceiverDirection::Inactive));
    assert_eq!(direction, TransceiverDirection::Inactive);
}

// #51: removeTrack on a stopped transceiver is a no-op (sender.track unchanged).
// spec: 1.4c
#[test]
fn calling_remove_track_on_a_stopped_transceiver_should_be_a_no_op() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.stop())
        .unwrap();
    let before = pair.a.session.clone();
    pair.session(Who::A).remove_track(t1.sender()).unwrap();
    assert_eq!(pair.a.session, before);
    assert!(
        pair.a
            .session
            .transceiver(t1)
            .unwrap()
            .sender()
            .track()
            .is_some()
    );
}

/// The sender of each variant of #52 on `s`: `addTransceiver(track)` and `addTrack(track,
/// stream)`.
fn senders_of_both_variants(s: &mut Session) -> [TransceiverId; 2] {
    let via_transceiver = add_transceiver_with_track(s, "t1");
    let via_track = s
        .add_track(TrackKind::Audio, TrackId::from("t2"), vec!["stream".into()])
        .unwrap();
    [via_transceiver, via_track]
}

fn assert_dom(err: &Error, expected: tacet_session::DomException) {
    assert_eq!(err.dom_exception(), expected, "{err}");
}

// #52, "addTransceiver - …" and "addTrack - Calling removeTrack when connection is closed
// should throw InvalidStateError".
// spec: 1.8a
#[test]
fn calling_remove_track_when_connection_is_closed_should_throw_invalid_state_error() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let senders = senders_of_both_variants(s);
    s.close();
    for id in senders {
        let before = s.clone();
        let err = s.remove_track(id.sender()).unwrap_err();
        assert_dom(&err, tacet_session::DomException::InvalidStateError);
        assert_eq!(*s, before);
    }
}

// #52, "addTransceiver - …" and "addTrack - Calling removeTrack on different connection that is
// closed should throw InvalidStateError": the closed check comes before the check that the
// connection made the sender (webrtc-pc removeTrack steps 3 and 4).
// spec: 1.8a
#[test]
fn calling_remove_track_on_different_connection_that_is_closed_should_throw_invalid_state_error() {
    let mut pair = Pair::new();
    let senders = senders_of_both_variants(pair.session(Who::A));
    pair.session(Who::B).close();
    for id in senders {
        let err = pair.session(Who::B).remove_track(id.sender()).unwrap_err();
        assert_dom(&err, tacet_session::DomException::InvalidStateError);
    }
}

// #52, "addTransceiver - …" and "addTrack - Calling removeTrack on different connection should
// throw InvalidAccessError": ids carry the session that made them; another session refuses
// them with `Error::ForeignTransceiver` (webrtc-pc removeTrack: "If sender was not created by
// connection, throw an InvalidAccessError") and changes nothing.
#[test]
fn calling_remove_track_on_different_connection_should_throw_invalid_access_error() {
    let mut pair = Pair::new();
    let senders = senders_of_both_variants(pair.session(Who::A));
    for id in senders {
        let before = pair.b.session.clone();
        let err = pair.session(Who::B).remove_track(id.sender()).unwrap_err();
        assert!(matches!(err, Error::ForeignTransceiver(_)), "{err}");
        assert_dom(&err, tacet_session::DomException::InvalidAccessError);
        assert_eq!(pair.b.session, before);
        assert!(
            pair.a
                .session
                .transceiver(id)
                .unwrap()
                .sender()
                .track()
                .is_some(),
            "the owner's sender is untouched"
        );
    }
}
