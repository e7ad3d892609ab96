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

// #52: removeTrack on a closed connection throws InvalidStateError (addTrack and
// addTransceiver variants); a sender of another connection is refused with InvalidAccessError
// (ids carry the session that made them).
#[test]
fn calling_remove_track_when_connection_is_closed_should_throw_invalid_state_error() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let via_track = s
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    let via_transceiver = s
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    s.close();
    for id in [via_track, via_transceiver] {
        let err = s.remove_track(id.sender()).unwrap_err();
        assert_eq!(
            err.dom_exception(),
            tacet_session::DomException::InvalidStateError,
            "{err}"
        );
    }
    let err = pair
        .session(Who::B)
        .remove_track(via_track.sender())
        .unwrap_err();
    assert!(matches!(err, Error::ForeignTransceiver(_)), "{err}");
    assert_eq!(
        err.dom_exception(),
        tacet_session::DomException::InvalidAccessError
    );
}
