//! Negotiation details around stops: bundle policies, payload-type stability across
//! directions, a stop between createOffer and setLocalDescription, and the decisions.md §2
//! deviation for transceivers stopped before they were ever negotiated.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Fingerprint, MediaSection, SessionDescription};
use tacet_session::{
    BundlePolicy, Event, Session, SessionConfig, TransceiverInit, UnassociatedStopPolicy,
};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{TrackId, TrackKind};

fn pts(section: &MediaSection) -> Vec<u8> {
    section.payload_types().collect()
}

fn extmaps(section: &MediaSection) -> Vec<(String, u16)> {
    section
        .attributes
        .extmaps()
        .map(|e| (e.uri().to_owned(), e.id()))
        .collect()
}

fn bundle(sdp: &SessionDescription) -> Vec<&str> {
    sdp.bundle_groups().flat_map(|g| g.mids()).collect()
}

// RFC 9429 §4.1.1 balanced: the first m-section of each kind gets its own transport, the
// others are offered bundle-only (port 0, not rejected); the answer bundles everything on the
// offerer's tag and the extra transports are released.
#[test]
fn balanced_policy_offers_one_transport_per_kind_then_bundles() {
    let mut pair = Pair::new();
    let fingerprint = Fingerprint::new("sha-256", &[0xC3; 32]).unwrap();
    let mut config = SessionConfig::new(fingerprint);
    config.bundle_policy = BundlePolicy::Balanced;
    pair.a.session = Session::new(config, 9);
    let a = &mut pair.a.session;
    a.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    a.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    a.add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    let ports: Vec<(bool, bool)> = offer
        .media
        .iter()
        .map(|m| (m.port == 0, m.attributes.bundle_only()))
        .collect();
    assert_eq!(ports, [(false, false), (true, true), (false, false)]);
    assert!(
        offer.media.iter().all(|m| !m.is_rejected()),
        "bundle-only is not rejected"
    );
    assert_eq!(bundle(&offer), ["0", "1", "2"]);
    assert_eq!(bundle(&answer), ["0", "1", "2"]);
    let live: Vec<_> = pair
        .a
        .session
        .transports()
        .iter()
        .filter(|t| !t.is_released())
        .collect();
    assert_eq!(
        live.len(),
        1,
        "after BUNDLE one transport carries everything"
    );
    assert_eq!(live[0].tag().as_str(), "0");
    // The next offer is plain max-bundle style: no bundle-only any more (RFC 9429 §5.2.2).
    let (reoffer, _) = pair.negotiate(Who::A).unwrap();
    assert!(reoffer.media.iter().all(|m| !m.attributes.bundle_only()));
}

// RFC 3264 §8.3.2, RFC 8285: payload types and extension ids negotiated once stay the same in
// every later offer — also when the original answerer offers (Chromium refuses an "RTP
// extension ID reassignment").
#[test]
fn payload_types_and_extension_ids_are_stable_when_the_answerer_offers() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    let (first, answer) = pair.negotiate(Who::A).unwrap();
    let (reverse, _) = pair.negotiate(Who::B).unwrap();
    for i in 0..2 {
        assert_eq!(pts(&reverse.media[i]), pts(&answer.media[i]), "section {i}");
        assert_eq!(
            extmaps(&reverse.media[i]),
            extmaps(&first.media[i]),
            "section {i}"
        );
    }
    let (again, _) = pair.negotiate(Who::A).unwrap();
    for i in 0..2 {
        assert_eq!(pts(&again.media[i]), pts(&first.media[i]));
        assert_eq!(extmaps(&again.media[i]), extmaps(&first.media[i]));
    }
}

// WPT checkStopAfterCreateOffer (current spec outcome): the offer created before the stop is
// still applied and answered; the transceiver stays stopping, negotiation is needed, and the
// next round disassociates it on both sides.
#[test]
fn stop_between_create_offer_and_set_local_description() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A)
        .set_direction(t, tacet_transceiver_fsm::Direction::SendOnly)
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).stop_transceiver(t).unwrap();
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    assert!(!offer.media[0].is_rejected(), "the offer predates the stop");
    pair.send(Who::B, offer);
    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().is_stopping());
    assert!(pair.a.session.is_negotiation_needed());
    pair.negotiate(Who::A).unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().mid().is_none());
    assert_eq!(pair.b.session.transceivers().count(), 0);
}

fn stopped_before_association(policy: UnassociatedStopPolicy) -> Pair {
    let mut pair = Pair::new();
    let fingerprint = Fingerprint::new("sha-256", &[0xC4; 32]).unwrap();
    let mut config = SessionConfig::new(fingerprint);
    config.unassociated_stop = policy;
    pair.a.session = Session::new(config, 11);
    pair.session(Who::A).create_data_channel("chat").unwrap();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A).stop_transceiver(t).unwrap();
    pair.negotiate(Who::A).unwrap();
    pair
}

// decisions.md §2 (webrtc-pc#2838): a transceiver stopped before it was ever associated gets no
// m-line and, by default, is dropped when the next local offer is applied, so
// negotiation-needed returns to false.
#[test]
fn unassociated_stop_is_dropped_at_the_next_offer_by_default() {
    let mut pair = stopped_before_association(UnassociatedStopPolicy::DropAtNextOffer);
    assert_eq!(pair.a.session.transceivers().count(), 0);
    assert!(!pair.a.session.is_negotiation_needed());
    assert!(
        pair.a
            .take_events()
            .iter()
            .any(|e| matches!(e, Event::TransceiverRemoved { .. }))
    );
}

// The spec's letter, available as a policy: it stays in the set and negotiation is needed for
// ever.
#[test]
fn unassociated_stop_is_kept_for_ever_under_the_spec_policy() {
    let pair = stopped_before_association(UnassociatedStopPolicy::Keep);
    assert_eq!(pair.a.session.transceivers().count(), 1);
    assert!(pair.a.session.is_negotiation_needed());
}
