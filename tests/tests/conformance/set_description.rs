//! `RTCPeerConnection-setDescription-transceiver.html`.

use super::*;

// #41: mid is null after createOffer and set after SLD.
#[test]
fn set_local_description_offer_with_m_section_should_assign_mid_to_corresponding_transceiver() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().mid().is_none());
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    let mid = pair.a.session.transceiver(t).unwrap().mid().cloned();
    assert_eq!(
        mid.as_ref().map(|m| m.as_str()),
        offer.media[0].mid().map(|m| m.as_str())
    );
}

// #42: SRD(offer) creates the transceiver, with the same mid on both ends.
// spec: 3.4a
#[test]
fn set_remote_description_offer_with_m_section_and_no_existing_transceiver_should_create_corresponding_transceiver()
 {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 0);
    pair.flush().unwrap();
    let created = pair.b.session.transceivers().next().unwrap();
    assert_eq!(created.mid(), pair.a.session.transceiver(t).unwrap().mid());
    assert_eq!(created.direction(), TransceiverDirection::RecvOnly);
}

// #46 (current spec): pc2 stops after SRD(offer); its answer has a=inactive (stopping does not
// affect createAnswer), and pc1's transceiver gets currentDirection "inactive".
// spec: 1.3f, 3.3d, 6.3
#[test]
fn set_remote_description_should_set_transceiver_inactive_if_its_corresponding_m_section_is_rejected()
 {
    let mut pair = Pair::new();
    let t1 = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let t2 = pair.b.session.transceivers().next().unwrap().id();
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.stop())
        .unwrap();
    let answer = pair.send_answer(Who::B).unwrap();
    assert_eq!(answer.media[0].direction(), tacet_sdp::Direction::Inactive);
    assert!(!answer.media[0].is_rejected());
    pair.flush().unwrap();
    assert_eq!(
        pair.a.session.transceiver(t1).unwrap().current_direction(),
        Some(TransceiverDirection::Inactive)
    );
}
