//! Rollback in full (stop-semantics §1.6; RFC 9429 §4.1.8.2; webrtc-pc rollback steps), beyond
//! the WPT cases of the conformance suite: transports, negotiated codecs and remote streams
//! come back to the last stable state; explicit and implicit (glare) rollbacks do the same;
//! a stop is never undone.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{Effect, Event, SignalingState, TransceiverInit};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::TransceiverDirection;

fn released(effects: &[Effect]) -> Vec<tacet_session::TransportId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::TransportReleased { transport } => Some(*transport),
            _ => None,
        })
        .collect()
}

fn live_transports(pair: &Pair, who: Who) -> usize {
    let peer = if who == Who::A { &pair.a } else { &pair.b };
    tacet_tests::find::live_transports(&peer.session).len()
}

// The initial offer's transport exists only for the rolled-back round: the rollback closes it,
// and the next offer gathers on a new one.
// spec: 1.6f
#[test]
fn rolling_back_the_initial_offer_closes_its_transport() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.lose_in_flight();
    let created = pair.a.session.transports()[0].id();
    pair.a.take_effects();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(released(&pair.a.take_effects()), [created]);
    assert_eq!(live_transports(&pair, Who::A), 0);

    pair.negotiate(Who::A).unwrap();
    assert_eq!(live_transports(&pair, Who::A), 1);
    assert_ne!(pair.a.session.transports()[1].id(), created);
}

// A renegotiation's rollback keeps the stable transport (tag, members, remote side) as it was,
// even when the rolled-back offer moved the BUNDLE tag away from a stopped section.
// spec: 1.6f, 6.7
#[test]
fn rolling_back_a_renegotiation_keeps_the_stable_transport_as_it_was() {
    let mut pair = Pair::new();
    let tag = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("v"), vec![])
        .unwrap();
    pair.session(Who::A).create_data_channel("dc").unwrap();
    pair.negotiate(Who::A).unwrap();
    let before = pair.a.session.transports().to_vec();

    pair.session(Who::A)
        .transceiver_mut(tag)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.send_offer(Who::A).unwrap();
    pair.lose_in_flight();
    assert_ne!(
        offer.bundle_groups().next().unwrap().mids().next(),
        Some("0"),
        "the offer moves the tag off the stopped section"
    );
    pair.a.take_effects();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    let effects = pair.a.take_effects();
    assert!(released(&effects).is_empty(), "{effects:?}");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::TransportRetagged { .. }))
    );
    assert_eq!(pair.a.session.transports(), before.as_slice());
    // The stop stays; the next round rejects the section and keeps the data channel's
    // transport.
    assert_eq!(
        pair.a.session.transceiver(tag).unwrap().direction(),
        TransceiverDirection::Stopped
    );
    pair.negotiate(Who::A).unwrap();
    assert_eq!(live_transports(&pair, Who::A), 1);
    assert!(pair.a.session.transceiver(tag).unwrap().is_stopped());
}

// The answerer's transports made by createAnswer for a rolled-back remote offer are closed;
// negotiated codecs are those of the last answer, untouched by the rolled-back offer.
// spec: 1.6f
#[test]
fn rolling_back_a_remote_offer_restores_codecs_and_closes_answer_transports() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec!["s".into()])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let t = pair.b.session.transceivers().next().unwrap().id();
    let codecs = pair.b.session.transceiver(t).unwrap().codecs().to_vec();
    assert!(!codecs.is_empty());

    // A re-offer that keeps only the first codec; B applies it and makes its answer, then
    // rolls back instead of setting it.
    let mut offer = pair.session(Who::A).create_offer().unwrap();
    let first = offer.media[0].formats().next().unwrap().to_owned();
    offer.media[0].formats = first;
    pair.session(Who::B).set_remote_description(offer).unwrap();
    pair.session(Who::B).create_answer().unwrap();
    pair.b.take_effects();
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(pair.b.session.transceiver(t).unwrap().codecs(), codecs);
    assert_eq!(pair.b.session.signaling_state(), SignalingState::Stable);
    assert_eq!(live_transports(&pair, Who::B), 1);
    assert!(released(&pair.b.take_effects()).is_empty());
}

// Glare: B's own offer is rolled back implicitly by A's offer. B's offer-only transceiver
// (addTransceiver) loses its mid, B's transport for that offer closes, A's media arrives on
// the transport B's answer creates, and B offers its own transceiver once stable.
// spec: 1.6f, 1.7d
#[test]
fn implicit_rollback_on_glare_restores_then_renegotiates() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec!["sa".into()])
        .unwrap();
    let b_own = pair
        .session(Who::B)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let offer_a = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A)
        .set_local_description(offer_a.clone())
        .unwrap();
    let offer_b = pair.session(Who::B).create_offer().unwrap();
    pair.session(Who::B).set_local_description(offer_b).unwrap();
    let b_offer_transport = pair.b.session.transports()[0].id();
    pair.b.take_effects();
    pair.b.take_events();

    pair.session(Who::B)
        .set_remote_description(offer_a)
        .unwrap();
    let effects = pair.b.take_effects();
    assert_eq!(released(&effects), [b_offer_transport]);
    let events = pair.b.take_events();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::SignalingStateChange(_)))
            .collect::<Vec<_>>(),
        [
            &Event::SignalingStateChange(SignalingState::Stable),
            &Event::SignalingStateChange(SignalingState::HaveRemoteOffer)
        ]
    );
    let own = pair.b.session.transceiver(b_own).unwrap();
    assert!(
        own.mid().is_none(),
        "associated only by the rolled-back offer"
    );
    assert_eq!(own.receiver().track().ready_state(), ReadyState::Live);
    assert_eq!(pair.b.session.transceivers().count(), 2);

    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    assert!(pair.b.session.is_negotiation_needed());
    pair.negotiate(Who::B).unwrap();
    assert!(pair.b.session.transceiver(b_own).unwrap().mid().is_some());
    assert_eq!(pair.a.session.transceivers().count(), 2);
    assert!(!pair.a.session.is_negotiation_needed());
    assert!(!pair.b.session.is_negotiation_needed());
}

// A rolled-back remote offer that stopped a transceiver (port 0) does not restart it, and a
// rollback of the pranswer states is refused with the session unchanged.
// spec: 1.6f, 1.6g, 6.7
#[test]
fn rollback_never_unstops_and_is_refused_in_pranswer_states() {
    let mut pair = Pair::new();
    let t_a = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let t_b = pair.b.session.transceivers().next().unwrap().id();
    pair.session(Who::A)
        .transceiver_mut(t_a)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    assert!(pair.b.session.transceiver(t_b).unwrap().is_stopped());
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    let t = pair.b.session.transceiver(t_b).unwrap();
    assert!(t.is_stopped());
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);

    // have-local-pranswer: rollback refused.
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let mut pranswer = pair.session(Who::B).create_answer().unwrap();
    pranswer.sdp_type = SdpType::Pranswer;
    pair.session(Who::B)
        .set_local_description(pranswer)
        .unwrap();
    let before = pair.b.session.clone();
    assert!(
        pair.session(Who::B)
            .set_local_description(SessionDescription::rollback())
            .is_err()
    );
    assert_eq!(pair.b.session, before);
}
