//! `RTCRtpTransceiver-stop.html` (stop-semantics §5.2).

use super::*;

// #9
// spec: 3.2a, 3.2c, 6.1
#[test]
fn a_transceiver_added_and_stopped_before_the_initial_offer_generation_should_not_trigger_an_offer_m_section_generation()
 {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer_kinds(&offer), [(MediaKind::Video, false)]);
}

// #10: receiver.transport is null before and after stop (and reading it does not fail).
#[test]
fn a_transceiver_added_and_stopped_should_not_crash_when_getting_receiver_s_transport() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(pair.session(Who::A).transport_of(audio), None);
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    assert_eq!(pair.session(Who::A).transport_of(audio), None);
}

// #11: the negotiated audio gives `m=audio 0`; the new, stopped video gives no m-line.
// spec: 1.3e, 3.2c
#[test]
fn during_renegotiation_adding_and_stopping_a_transceiver_should_not_trigger_a_renegotiated_offer_m_section_generation()
 {
    let (mut pair, audio, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let video = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer_kinds(&offer), [(MediaKind::Audio, true)]);
}

fn stopped_reoffer_direction(direction: Direction) -> tacet_sdp::Direction {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(direction))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert!(offer.media[0].is_rejected());
    offer.media[0].direction()
}

// #12
// spec: 1.3e
#[test]
fn a_stopped_sendonly_transceiver_should_generate_an_inactive_m_section_in_the_offer() {
    assert_eq!(
        stopped_reoffer_direction(Direction::SendOnly),
        tacet_sdp::Direction::Inactive
    );
}

// #13
// spec: 1.3e
#[test]
fn a_stopped_inactive_transceiver_should_generate_an_inactive_m_section_in_the_offer() {
    assert_eq!(
        stopped_reoffer_direction(Direction::Inactive),
        tacet_sdp::Direction::Inactive
    );
}

// #14: stop, O/A, then SLD(createOffer()) resolves.
#[test]
fn if_a_transceiver_is_stopped_locally_setting_a_locally_generated_answer_should_still_work() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
}

// #15: pc2 stops, pc2 -> pc1 O/A, then pc1 SLD(createOffer()) resolves.
#[test]
fn if_a_transceiver_is_stopped_remotely_setting_a_locally_generated_answer_should_still_work() {
    let (mut pair, _, t2) = negotiated(TrackKind::Audio);
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::B).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
}

// #16: after stop plus O/A, no transceivers, senders or receivers on either side.
// spec: 1.4a, 1.6c
#[test]
fn if_a_transceiver_is_stopped_transceivers_senders_and_receivers_should_disappear_after_offer_answer()
 {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    for s in [&pair.a.session, &pair.b.session] {
        assert_eq!(s.transceivers().count(), 0);
        assert_eq!(s.senders().count(), 0);
        assert_eq!(s.receivers().count(), 0);
    }
}

// #17: both the local and the remote transceiver read direction "stopped".
// spec: 1.2a
#[test]
fn if_a_transceiver_is_stopped_transceivers_should_end_up_in_state_stopped() {
    let (mut pair, t1, t2) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(
        stopped(&pair.a.session, t1).0,
        TransceiverDirection::Stopped
    );
    assert_eq!(
        stopped(&pair.b.session, t2).0,
        TransceiverDirection::Stopped
    );
}
