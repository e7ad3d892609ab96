//! `RTCRtpTransceiver.https.html`: the cases the current spec keeps (stop-semantics §5.3).

use super::*;

// #18: removeTrack then addTrack creates a second transceiver; the old one is recvonly, the new
// one sendrecv. The remote (with nothing to send) then sees the old m-section inactive and the
// new one recvonly.
#[test]
fn check_remove_and_readd() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).remove_track(t1).unwrap();
    let t3 = pair
        .session(Who::A)
        .add_track(
            TrackKind::Audio,
            TrackId::from("track"),
            vec!["stream".into()],
        )
        .unwrap();
    assert_ne!(t1, t3, "a second transceiver: the first one has sent");
    assert_eq!(
        pair.a.session.transceiver(t1).unwrap().direction(),
        TransceiverDirection::RecvOnly
    );
    assert_eq!(
        pair.a.session.transceiver(t3).unwrap().direction(),
        TransceiverDirection::SendRecv
    );
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert_eq!(offer.media.len(), 2);
    assert_eq!(
        pair.a.session.transceiver(t1).unwrap().current_direction(),
        Some(TransceiverDirection::Inactive)
    );
    let remote: Vec<_> = pair
        .b
        .session
        .transceivers()
        .map(|t| t.current_direction())
        .collect();
    assert_eq!(
        remote,
        [
            Some(TransceiverDirection::Inactive),
            Some(TransceiverDirection::RecvOnly)
        ]
    );
}

// #19: addTrack reuses an associated recvonly transceiver that never sent; removeTrack then
// works on it.
#[test]
fn check_add_track_existing_transceiver_then_remove() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(Direction::RecvOnly))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let reused = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("track"), vec![])
        .unwrap();
    assert_eq!(reused, t);
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::SendRecv
    );
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A).remove_track(t).unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::RecvOnly
    );
    assert!(
        pair.a
            .session
            .transceiver(t)
            .unwrap()
            .sender()
            .track()
            .is_none()
    );
    pair.negotiate(Who::A).unwrap();
}

// #28: stop in stable fires negotiationneeded; after the next O/A both sides are stopped with
// mid null.
#[test]
fn check_stop_after_set_local_answer() {
    let (mut pair, t1, t2) = negotiated(TrackKind::Video);
    pair.session(Who::A).stop_transceiver(t1).unwrap();
    assert!(pair.a.take_events().contains(&Event::NegotiationNeeded));
    pair.negotiate(Who::A).unwrap();
    for (s, id) in [(&pair.a.session, t1), (&pair.b.session, t2)] {
        let t = s.transceiver(id).unwrap();
        assert!(t.is_stopped() && t.mid().is_none());
    }
}

// #29: stop() after close() throws InvalidStateError.
#[test]
fn check_stop_after_close() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).close();
    let err = pair.session(Who::A).stop_transceiver(t1).unwrap_err();
    assert!(err.to_string().contains("InvalidStateError"), "{err}");
}

// #34: a video m-section negotiated as disabled is reused by a new video transceiver's offer;
// the transceiver is stopped between createOffer and SLD; the O/A still succeeds.
#[test]
fn check_stop_after_create_offer_with_reused_msection() {
    let (mut pair, t1, _) = negotiated(TrackKind::Video);
    pair.session(Who::A).stop_transceiver(t1).unwrap();
    pair.negotiate(Who::A).unwrap();
    let t3 = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer.media.len(), 1, "the disabled m-section is reused");
    pair.session(Who::A).stop_transceiver(t3).unwrap();
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert!(pair.a.session.transceiver(t3).unwrap().is_stopping());
}

// #36: after replaceTrack(null) an addTrack transceiver is still paired with the incoming
// m-section.
#[test]
fn check_replace_track_null_doesnt_prevent_pairing() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let t2 = pair
        .session(Who::B)
        .add_track(TrackKind::Audio, TrackId::from("b-track"), vec![])
        .unwrap();
    pair.session(Who::B).replace_track(t2, None).unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 1);
    assert!(pair.b.session.transceiver(t2).unwrap().mid().is_some());
}

// #35: pc1 sets an offer, stops transceiver[1] and rolls back (the stop stays); pc2's offer is
// applied; a candidate for pc2's second mid is accepted.
#[test]
fn check_add_ice_candidate_to_stopped_transceiver() {
    let mut pair = Pair::new();
    for who in [Who::A, Who::B] {
        for (kind, id) in [(TrackKind::Audio, "audio"), (TrackKind::Video, "video")] {
            pair.session(who)
                .add_track(kind, TrackId::from(id), vec!["stream".into()])
                .unwrap();
        }
    }
    let offer1 = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer1).unwrap();
    let stopped_id = pair.a.session.transceivers().nth(1).unwrap().id();
    pair.session(Who::A).stop_transceiver(stopped_id).unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    let offer2 = pair.session(Who::B).create_offer().unwrap();
    pair.session(Who::B)
        .set_local_description(offer2.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(offer2).unwrap();

    let mid = pair
        .b
        .session
        .transceivers()
        .nth(1)
        .unwrap()
        .mid()
        .unwrap()
        .to_string();
    let candidate = RemoteCandidate {
        candidate: Some(Candidate::new("0 1 UDP 2122252543 192.168.1.112 64261 typ host").unwrap()),
        mid: Some(mid),
        ..RemoteCandidate::default()
    };
    assert!(matches!(
        pair.session(Who::A).add_remote_candidate(candidate),
        Ok(RemoteCandidateOutcome::Stored)
    ));
    // The stopping transceiver was not repurposed (webrtc-pc: [[Stopping]] transceivers do not
    // match a remote m-section); a new one carries the mid.
    let stopping = pair.a.session.transceiver(stopped_id).unwrap();
    assert_eq!(stopping.direction(), TransceiverDirection::Stopped);
    assert!(stopping.mid().is_none());
    assert_eq!(pair.a.session.transceivers().count(), 3);
}
