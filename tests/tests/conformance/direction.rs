//! `RTCRtpTransceiver-direction.html`.

use super::*;

// #60
// spec: 1.2b, 1.2c
#[test]
fn setting_direction_should_change_transceiver_direction() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::SendRecv
    );
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.set_direction(Direction::RecvOnly))
        .unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::RecvOnly
    );
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().current_direction(),
        None
    );
}

// #61
// spec: 1.2b, 6.15
#[test]
fn setting_direction_with_same_direction_should_have_no_effect() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(Direction::SendOnly))
        .unwrap();
    pair.a.take_events();
    let before = pair.a.session.clone();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.set_direction(Direction::SendOnly))
        .unwrap();
    assert_eq!(pair.a.session, before);
}

// #62
#[test]
fn setting_direction_should_change_transceiver_direction_independent_of_transceiver_current_direction()
 {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(Direction::RecvOnly))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().current_direction(),
        Some(TransceiverDirection::Inactive),
        "pc2 has nothing to send"
    );
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.set_direction(Direction::SendRecv))
        .unwrap();
    let t = pair.a.session.transceiver(t).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::SendRecv);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Inactive));
}
