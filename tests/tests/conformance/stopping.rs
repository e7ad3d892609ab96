//! `RTCRtpTransceiver-stopping.https.html` (stop-semantics §5.1).

use super::*;

// #1: after stop() mid non-null, direction "stopped", currentDirection not "stopped"; after a
// full renegotiation mid null, both "stopped".
// spec: 1.2a, 1.2c, 1.6c
#[test]
fn locally_stopped_transceiver_goes_from_stopping_to_stopped() {
    for kind in KINDS {
        let (mut pair, t1, _) = negotiated(kind);
        pair.session(Who::A)
            .transceiver_mut(t1)
            .and_then(|mut t| t.stop())
            .unwrap();
        let t = pair.a.session.transceiver(t1).unwrap();
        assert!(t.mid().is_some());
        assert_eq!(t.direction(), TransceiverDirection::Stopped);
        assert_ne!(t.current_direction(), Some(TransceiverDirection::Stopped));
        pair.negotiate(Who::A).unwrap();
        let t = pair.a.session.transceiver(t1).unwrap();
        assert!(t.mid().is_none());
        assert_eq!(
            stopped(&pair.a.session, t1),
            (
                TransceiverDirection::Stopped,
                Some(TransceiverDirection::Stopped)
            )
        );
    }
}

// #2: stopping ends the local receiver track, and the `ended` event fires.
// spec: 1.3c
#[test]
fn locally_stopping_a_transceiver_ends_the_track() {
    for kind in KINDS {
        let (mut pair, t1, _) = negotiated(kind);
        pair.session(Who::A)
            .transceiver_mut(t1)
            .and_then(|mut t| t.stop())
            .unwrap();
        let events = pair.a.take_events();
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::TrackEnded { transceiver, .. } if *transceiver == t1))
        );
        let track = pair.a.session.transceiver(t1).unwrap().receiver().track();
        assert_eq!(track.ready_state(), ReadyState::Ended);
    }
}

// #3: pc2's track is live before SRD(offer with port 0) and ended right after it.
// spec: 1.6b
#[test]
fn remotely_stopping_a_transceiver_ends_the_track() {
    for kind in KINDS {
        let (mut pair, t1, t2) = negotiated(kind);
        pair.session(Who::A)
            .transceiver_mut(t1)
            .and_then(|mut t| t.stop())
            .unwrap();
        let offer = pair.session(Who::A).create_offer().unwrap();
        pair.session(Who::A)
            .set_local_description(offer.clone())
            .unwrap();
        let track = |p: &Pair| {
            p.b.session
                .transceiver(t2)
                .unwrap()
                .receiver()
                .track()
                .ready_state()
        };
        assert_eq!(track(&pair), ReadyState::Live);
        pair.session(Who::B).set_remote_description(offer).unwrap();
        assert_eq!(track(&pair), ReadyState::Ended);
    }
}

// #4: after SRD(offer with port 0): 1 transceiver, mid set, both directions "stopped"; after
// SLD(answer): none in the set, mid null.
// spec: 1.2c, 1.6b, 1.6c, 6.4
#[test]
fn remotely_stopped_transceiver_goes_directly_to_stopped() {
    for kind in KINDS {
        let (mut pair, t1, t2) = negotiated(kind);
        pair.session(Who::A)
            .transceiver_mut(t1)
            .and_then(|mut t| t.stop())
            .unwrap();
        pair.send_offer(Who::A).unwrap();
        pair.flush().unwrap();
        let b = &pair.b.session;
        assert_eq!(b.transceivers().count(), 1);
        assert!(b.transceiver(t2).unwrap().mid().is_some());
        let both = (
            TransceiverDirection::Stopped,
            Some(TransceiverDirection::Stopped),
        );
        assert_eq!(stopped(b, t2), both);
        pair.send_answer(Who::B).unwrap();
        let b = &pair.b.session;
        assert_eq!(b.transceivers().count(), 0);
        assert!(b.transceiver(t2).unwrap().mid().is_none());
        assert_eq!(stopped(b, t2), both);
    }
}

// #5: addTransceiver, SLD(offer), SLD(rollback): the receiver track stays live.
// spec: 1.6f
#[test]
fn rollback_when_transceiver_is_not_removed_does_not_end_track() {
    for kind in KINDS {
        let mut pair = Pair::new();
        let t = pair
            .session(Who::A)
            .add_transceiver(kind, TransceiverInit::default())
            .unwrap();
        let offer = pair.session(Who::A).create_offer().unwrap();
        pair.session(Who::A).set_local_description(offer).unwrap();
        pair.session(Who::A)
            .set_local_description(SessionDescription::rollback())
            .unwrap();
        let track = pair.a.session.transceiver(t).unwrap().receiver().track();
        assert_eq!(track.ready_state(), ReadyState::Live);
    }
}

/// pc2 applies pc1's offer (creating a transceiver) and rolls it back.
fn remote_offer_rolled_back(kind: TrackKind) -> (Pair, TransceiverId) {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(kind, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let created = pair.b.session.transceivers().next().unwrap().id();
    pair.session(Who::B)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    (pair, created)
}

// #6: SRD(offer) created a transceiver; SLD(rollback) removes it and ends its track.
// spec: 1.6f, 3.4d
#[test]
fn rollback_when_removing_transceiver_does_end_the_track() {
    for kind in KINDS {
        let (pair, created) = remote_offer_rolled_back(kind);
        assert_eq!(pair.b.session.transceivers().count(), 0);
        let track = pair
            .b
            .session
            .transceiver(created)
            .unwrap()
            .receiver()
            .track();
        assert_eq!(track.ready_state(), ReadyState::Ended);
    }
}

// #7: the removed transceiver reads "stopped" both ways and mid null.
// spec: 1.6f, 3.4d
#[test]
fn rollback_when_removing_transceiver_makes_it_stopped() {
    for kind in KINDS {
        let (pair, created) = remote_offer_rolled_back(kind);
        assert_eq!(
            stopped(&pair.b.session, created),
            (
                TransceiverDirection::Stopped,
                Some(TransceiverDirection::Stopped)
            )
        );
        assert!(pair.b.session.transceiver(created).unwrap().mid().is_none());
    }
}

// #8: both sides have set an offer with an addTrack transceiver; pc2's setRemoteDescription of
// pc1's offer rolls pc2's offer back implicitly (webrtc-pc setRemoteDescription; RFC 9429
// §4.1.8.2), the addTrack transceiver is repurposed for pc1's m-line, its track stays live and
// `track` delivers it.
// spec: 3.4a
#[test]
fn glare_when_transceiver_is_not_removed_does_not_end_track() {
    for kind in KINDS {
        let mut pair = Pair::new();
        pair.session(Who::A)
            .add_track(kind, TrackId::from("a"), vec!["sa".into()])
            .unwrap();
        let t2 = pair
            .session(Who::B)
            .add_track(kind, TrackId::from("b"), vec!["sb".into()])
            .unwrap();
        let offer1 = pair.session(Who::A).create_offer().unwrap();
        pair.session(Who::A)
            .set_local_description(offer1.clone())
            .unwrap();
        let offer2 = pair.session(Who::B).create_offer().unwrap();
        pair.session(Who::B).set_local_description(offer2).unwrap();
        pair.b.take_events();

        pair.session(Who::B)
            .set_remote_description(offer1.clone())
            .unwrap();
        let b = &pair.b.session;
        assert_eq!(b.signaling_state(), SignalingState::HaveRemoteOffer);
        assert_eq!(b.transceivers().count(), 1, "repurposed, not a new one");
        let t = b.transceiver(t2).unwrap();
        assert_eq!(
            t.mid().map(|m| m.as_str()),
            offer1.media[0].mid().map(|m| m.as_str())
        );
        assert_eq!(t.receiver().track().ready_state(), ReadyState::Live);
        assert_eq!(t.sender().track(), Some(&TrackId::from("b")));
        let events = pair.b.take_events();
        assert!(events.contains(&Event::SignalingStateChange(SignalingState::Stable)));
        assert!(events.iter().any(|e| matches!(
            e,
            Event::Track { transceiver, streams } if *transceiver == t2 && streams == &["sa"]
        )));
        assert!(!events.iter().any(|e| matches!(e, Event::TrackEnded { .. })));
        pair.send_answer(Who::B).unwrap();
        pair.flush().unwrap();
        assert_eq!(pair.a.session.signaling_state(), SignalingState::Stable);
    }
}
