//! `RTCPeerConnection-onnegotiationneeded.html`.

use super::*;

fn nn(events: &[Event]) -> usize {
    count(events, &Event::NegotiationNeeded)
}

// #53
// spec: 1.7c
#[test]
fn creating_first_data_channel_should_fire_negotiationneeded_event() {
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #54
// spec: 1.7a, 1.7c
#[test]
fn calling_create_data_channel_twice_should_fire_negotiationneeded_event_once() {
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    pair.session(Who::A).create_data_channel("b").unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #55: addTransceiver fires once; twice fires once; with createDataChannel fires once.
// spec: 1.7a, 1.7d
#[test]
fn add_transceiver_should_fire_negotiationneeded_event() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A).create_data_channel("a").unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #56
// spec: 1.7a
#[test]
fn negotiationneeded_event_should_not_fire_if_signaling_state_is_not_stable() {
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.a.take_events();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(
        pair.a.session.signaling_state(),
        SignalingState::HaveLocalOffer
    );
    assert_eq!(nn(&pair.a.take_events()), 0);
}

// #57: fires only once the state is back to stable, after SRD(answer) or SLD(answer).
// spec: 1.7a
#[test]
fn negotiationneeded_event_should_fire_only_after_signaling_state_go_back_to_stable_after_set_remote_description()
 {
    // After setRemoteDescription(answer) (we offered).
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.a.take_events();
    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    assert_eq!(
        nn(&pair.a.take_events()),
        0,
        "in flight: still have-local-offer"
    );
    pair.flush().unwrap();
    let events = pair.a.take_events();
    let stable = events
        .iter()
        .position(|e| *e == Event::SignalingStateChange(SignalingState::Stable))
        .unwrap();
    let fired = events
        .iter()
        .position(|e| *e == Event::NegotiationNeeded)
        .unwrap();
    assert!(
        fired > stable,
        "fired after the state went back to stable: {events:?}"
    );
    // After setLocalDescription(answer) (we answered).
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    pair.session(Who::B)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(nn(&pair.b.take_events()), 0, "have-remote-offer");
    pair.send_answer(Who::B).unwrap();
    assert_eq!(nn(&pair.b.take_events()), 1);
}

// #58: removeTrack fires negotiationneeded on the caller, and on the callee (which answered).
// spec: 1.7e
#[test]
fn remove_track_should_cause_negotiationneeded_to_fire_on_the_caller() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).remove_track(t1.sender()).unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let t2 = pair
        .session(Who::B)
        .add_track(TrackKind::Audio, TrackId::from("b"), vec![])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.b.take_events();
    pair.session(Who::B).remove_track(t2.sender()).unwrap();
    assert_eq!(nn(&pair.b.take_events()), 1);
}

// #59: a direction change fires negotiationneeded.
// spec: 1.2b, 1.7e
#[test]
fn updating_the_direction_of_the_transceiver_should_cause_negotiationneeded_to_fire() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.set_direction(Direction::RecvOnly))
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #59: setStreams on a negotiated sender fires negotiationneeded (its a=msid no longer matches
// the current local description, webrtc-pc "check if negotiation is needed" 4c).
// spec: 1.7e
#[test]
fn calling_set_streams_should_cause_negotiationneeded_to_fire() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.set_streams(vec!["another-stream".into()]))
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}
