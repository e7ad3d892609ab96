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
use tacet_tests::find::{bundled_mids, live_transports};
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

// RFC 9429 §4.1.1 balanced: the first m-section of each kind gets its own transport, the
// others are offered bundle-only (port 0, not rejected); the answer bundles everything on the
// offerer's tag and the extra transports are released.
// spec: 1.6d, 3.2g, 3.5d
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
    assert_eq!(bundled_mids(&offer), ["0", "1", "2"]);
    assert_eq!(bundled_mids(&answer), ["0", "1", "2"]);
    let live: Vec<_> = live_transports(&pair.a.session);
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
// spec: 1.3g
#[test]
fn stop_between_create_offer_and_set_local_description() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.set_direction(tacet_transceiver_fsm::Direction::SendOnly))
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.stop())
        .unwrap();
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
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair
}

// decisions.md §2 (webrtc-pc#2838): a transceiver stopped before it was ever associated gets no
// m-line and, by default, is dropped when the next local offer is applied, so
// negotiation-needed returns to false.
// spec: 1.7g
#[test]
fn unassociated_stop_is_dropped_at_the_next_offer_by_default() {
    let mut pair = stopped_before_association(UnassociatedStopPolicy::Drop);
    assert_eq!(pair.a.session.transceivers().count(), 0);
    assert!(!pair.a.session.is_negotiation_needed());
    assert!(
        pair.a
            .take_events()
            .iter()
            .any(|e| matches!(e, Event::TransceiverRemoved { .. }))
    );
}

// The answerer's side of the same policy (found by the model-based test): B's offer creates a
// transceiver on A, A's addTrack takes it, B's next offer rejects the m-line (A's transceiver
// stops) and A rolls that offer back (the stop stays, the mid goes). A never needs to offer
// again, so the drop happens when the next exchange completes, here B's next offer and A's
// answer.
// spec: 1.7g
#[test]
fn an_unassociated_stop_on_the_answerer_is_dropped_when_the_exchange_completes() {
    let mut pair = Pair::new();
    pair.session(Who::B)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let first = pair.send_offer(Who::B).unwrap();
    let b_video = pair.b.session.transceivers().next().unwrap().id();
    pair.session(Who::B)
        .transceiver_mut(b_video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.flush().unwrap();
    assert_eq!(first.media.len(), 1);
    let second = pair.send_offer(Who::B).unwrap();
    assert!(second.media[0].is_rejected());
    let a_video = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    pair.flush().unwrap();
    assert!(pair.a.session.transceiver(a_video).unwrap().is_stopped());
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    // Stopped, no mid, still in the set: the spec would keep it for ever.
    let kept = pair.a.session.transceiver(a_video).unwrap();
    assert!(kept.is_stopped() && kept.mid().is_none());
    assert!(pair.a.session.transceivers().any(|t| t.id() == a_video));
    assert!(!pair.a.session.is_negotiation_needed());

    // B starts again (its offer was never answered); A answers.
    pair.session(Who::B)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    pair.session(Who::B).create_data_channel("chat").unwrap();
    pair.negotiate(Who::B).unwrap();
    assert!(!pair.a.session.transceivers().any(|t| t.id() == a_video));
    assert!(pair.a.take_events().iter().any(
        |e| matches!(e, Event::TransceiverRemoved { transceiver } if *transceiver == a_video)
    ));
    assert!(!pair.a.session.is_negotiation_needed());
}

// The spec's letter, available as a policy: it stays in the set and negotiation is needed for
// ever.
// spec: 1.7g, 6.1
#[test]
fn unassociated_stop_is_kept_for_ever_under_the_spec_policy() {
    let pair = stopped_before_association(UnassociatedStopPolicy::Keep);
    assert_eq!(pair.a.session.transceivers().count(), 1);
    assert!(pair.a.session.is_negotiation_needed());
}

// Found by the model test: an offer with no m-section at all (a peer with nothing to negotiate
// yet) is answered, not a panic.
// spec: 3.2a
#[test]
fn an_offer_without_m_sections_is_answered() {
    let mut pair = Pair::new();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert!(offer.media.is_empty());
    assert!(answer.media.is_empty());
}

// Found by the model test: A sends and receives on m-line 0 but B only sends there, so A's
// answer is recvonly. The answer still carries A's a=msid (RFC 9429 §5.3.1: it follows the
// transceiver's sendrecv direction), so webrtc-pc's negotiation-needed check is satisfied and
// the two sides do not renegotiate for ever.
// spec: 1.7e, 3.3c
#[test]
fn a_recvonly_answer_of_a_sending_transceiver_ends_negotiation() {
    let mut pair = Pair::new();
    let b_send = pair
        .session(Who::B)
        .add_transceiver(
            TrackKind::Audio,
            TransceiverInit {
                direction: tacet_transceiver_fsm::Direction::SendOnly,
                streams: vec!["sb".into()],
            },
        )
        .unwrap();
    pair.session(Who::B)
        .transceiver_mut(b_send)
        .and_then(|mut t| t.replace_track(Some(TrackId::from("b"))))
        .unwrap();
    pair.negotiate(Who::B).unwrap();
    let a_t = pair.a.session.transceivers().next().unwrap().id();
    // A attaches a track: its transceiver becomes sendrecv with a stream.
    let reused = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec!["sa".into()])
        .unwrap();
    assert_eq!(reused, a_t);
    // B offers sendonly again; A's answer can only receive.
    pair.session(Who::B).restart_ice().unwrap();
    let (_, answer) = pair.negotiate(Who::B).unwrap();
    let section = &answer.media[0];
    assert_eq!(section.direction(), tacet_sdp::Direction::RecvOnly);
    assert_eq!(
        section
            .attributes
            .msids()
            .map(|m| m.stream_id())
            .collect::<Vec<_>>(),
        ["sa"]
    );
    assert!(
        section.attributes.ssrcs().next().is_none(),
        "nothing is sent"
    );
    // Nothing is left to negotiate on either side (webrtc-pc: the answer's recvonly is
    // [[Direction]] sendrecv intersected with the offered sendonly, and the msid is there).
    assert!(!pair.a.session.is_negotiation_needed());
    assert!(!pair.b.session.is_negotiation_needed());
    // A's own offer makes it send; still nothing is left afterwards.
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert_eq!(offer.media[0].direction(), tacet_sdp::Direction::SendRecv);
    assert!(!pair.a.session.is_negotiation_needed());
    assert!(!pair.b.session.is_negotiation_needed());
}

// Found by the model test: a second remote offer replacing a pending one is validated as if
// the first had been answered (webrtc-pc); changing the media type under a mid is refused.
// spec: 1.6h
#[test]
fn a_back_to_back_offer_may_not_change_a_mids_media_type() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let first = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B)
        .set_remote_description(first.clone())
        .unwrap();
    let mut second = first;
    second.media[0].kind = tacet_sdp::MediaKind::Audio;
    let before = pair.b.session.clone();
    let err = pair
        .session(Who::B)
        .set_remote_description(second)
        .unwrap_err();
    assert!(err.to_string().contains("video"), "{err}");
    assert!(err.rule().starts_with("RFC 9429 §5"), "{err}");
    assert_eq!(pair.b.session, before);
}

// webrtc-pc RTCRtpSender.setStreams (WPT "Calling setStreams should cause negotiationneeded to
// fire"): new stream ids make the msid differ from the current description, so
// negotiationneeded fires and the next offer announces them; the same ids again (duplicates
// dropped) change nothing; after close() it throws InvalidStateError.
#[test]
fn set_streams_fires_negotiationneeded_and_the_next_offer_announces_them() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.a.take_events();
    assert!(!pair.session(Who::A).is_negotiation_needed());

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_streams(vec!["s1".into(), "s2".into(), "s1".into()]))
        .unwrap();
    pair.a.drain();
    assert_eq!(
        pair.a
            .take_events()
            .iter()
            .filter(|e| matches!(e, Event::NegotiationNeeded))
            .count(),
        1
    );
    let sender = pair.a.session.transceiver(audio).unwrap().sender();
    assert_eq!(sender.streams(), ["s1", "s2"], "duplicates dropped");
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    let streams: Vec<&str> = offer.media[0]
        .attributes
        .msids()
        .map(|m| m.stream_id())
        .collect();
    assert_eq!(streams, ["s1", "s2"]);
    assert!(!pair.session(Who::A).is_negotiation_needed());

    // The same streams again: nothing to negotiate.
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_streams(vec!["s1".into(), "s2".into()]))
        .unwrap();
    assert!(!pair.session(Who::A).is_negotiation_needed());

    pair.session(Who::A).close();
    let err = pair
        .session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_streams(vec![]))
        .unwrap_err();
    assert_eq!(
        err.dom_exception(),
        tacet_session::DomException::InvalidStateError
    );
}

// webrtc-pc "set the session description": a description type invalid for the signaling state
// is an InvalidStateError before anything about its content. A stale answer delivered in
// stable — whose session version is also lower than the current remote one — is refused for
// the state, and the session is unchanged.
#[test]
fn an_answer_in_the_wrong_state_is_an_invalid_state_error_before_its_version_is_read() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    let (_, old_answer) = pair.negotiate(Who::A).unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    let (_, newer) = pair.negotiate(Who::A).unwrap();
    assert!(old_answer.origin.session_version < newer.origin.session_version);
    let a = pair.session(Who::A);
    let before = a.clone();
    let err = a.set_remote_description(old_answer).unwrap_err();
    assert_eq!(
        err.dom_exception(),
        tacet_session::DomException::InvalidStateError,
        "{err}"
    );
    assert_eq!(*a, before);
}
