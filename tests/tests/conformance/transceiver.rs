//! `RTCRtpTransceiver.https.html`: the cases the current spec keeps (stop-semantics §5.3).

use super::*;

/// (sender track, direction) of each transceiver of `s`, in order.
fn senders_and_directions(s: &Session) -> Vec<(Option<TrackId>, TransceiverDirection)> {
    s.transceivers()
        .map(|t| (t.sender().track().cloned(), t.direction()))
        .collect()
}

/// currentDirection of each transceiver of `s`, in order.
fn current_directions(s: &Session) -> Vec<Option<TransceiverDirection>> {
    s.transceivers().map(|t| t.current_direction()).collect()
}

// #18, both halves. pc1 offers: removeTrack then addTrack creates a second transceiver (the
// first has sent, so addTrack cannot reuse it): [recvonly without track, sendrecv with it]; pc2,
// with nothing to send, ends [inactive, recvonly]. Again, with pc1 answering: pc1 has
// [recvonly, recvonly, sendrecv]; pc2 adds a transceiver for the re-added track to attach to
// and offers; pc2 ends [inactive, inactive, sendrecv].
// spec: 1.4b, 3.4a
#[test]
fn check_remove_and_readd() {
    use TransceiverDirection::{Inactive, RecvOnly, SendRecv};
    let track = || TrackId::from("track");
    let mut pair = Pair::new();
    let add = |pair: &mut Pair| add_audio(pair, Who::A, "track", "stream");
    let t1 = add(&mut pair);
    offer_answer(&mut pair, Who::A);

    pair.session(Who::A).remove_track(t1.sender()).unwrap();
    let t2 = add(&mut pair);
    assert_ne!(t1, t2, "a second transceiver: the first one has sent");
    assert_eq!(
        senders_and_directions(&pair.a.session),
        [(None, RecvOnly), (Some(track()), SendRecv)]
    );
    offer_answer(&mut pair, Who::A);
    assert_eq!(
        current_directions(&pair.b.session),
        [Some(Inactive), Some(RecvOnly)]
    );

    // getSenders()[1]: the sender of the second transceiver.
    let second = pair.a.session.senders().nth(1).unwrap().id();
    assert_eq!(second, t2.sender());
    pair.session(Who::A).remove_track(second).unwrap();
    let t3 = add(&mut pair);
    assert_ne!(t3, t2);
    assert_eq!(
        senders_and_directions(&pair.a.session),
        [
            (None, RecvOnly),
            (None, RecvOnly),
            (Some(track()), SendRecv)
        ]
    );
    // pc1 answers: pc2 needs a transceiver for the re-added track to attach to.
    pair.session(Who::B)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    offer_answer(&mut pair, Who::B);
    assert_eq!(
        current_directions(&pair.b.session),
        [Some(Inactive), Some(Inactive), Some(SendRecv)]
    );
    assert_eq!(
        current(&pair.a.session, t3),
        Some(SendRecv),
        "the re-added track's transceiver took pc2's new m-section"
    );
}

// #19: addTransceiver, then addTrack reuses it (no track, never sent) and removeTrack detaches
// the track; after SLD(offer) associates the transceiver, addTrack still reuses it (it never
// sent) and removeTrack still works.
// spec: 1.4b
#[test]
fn check_add_track_existing_transceiver_then_remove() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let t = s
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let add_then_remove = |s: &mut Session| {
        let sender = s
            .add_track(
                TrackKind::Audio,
                TrackId::from("audio"),
                vec!["stream".into()],
            )
            .unwrap();
        assert_eq!(sender, t, "addTrack reuses the transceiver");
        assert_eq!(
            s.transceiver(t).unwrap().direction(),
            TransceiverDirection::SendRecv
        );
        s.remove_track(sender.sender()).unwrap();
        let tr = s.transceiver(t).unwrap();
        assert!(tr.sender().track().is_none());
        assert_eq!(tr.direction(), TransceiverDirection::RecvOnly);
    };
    add_then_remove(s);
    let offer = s.create_offer().unwrap();
    s.set_local_description(offer).unwrap();
    assert!(s.transceiver(t).unwrap().mid().is_some(), "associated");
    add_then_remove(s);
    assert_eq!(s.transceivers().count(), 1);
}

// #36: after replaceTrack(null) an addTrack transceiver is still paired with the incoming
// m-section.
// spec: 3.4a
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
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.replace_track(None))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 1);
    assert!(pair.b.session.transceiver(t2).unwrap().mid().is_some());
}

// #35: pc1 sets an offer, stops transceiver[1] and rolls back (the stop stays); pc2's offer is
// applied; a candidate for pc2's second mid is accepted.
// spec: 3.4a, 6.7
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
    pair.session(Who::A)
        .transceiver_mut(stopped_id)
        .and_then(|mut t| t.stop())
        .unwrap();
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

/// (transceiver, stream) pairs.
type Memberships = Vec<(TransceiverId, String)>;

/// The stream events of `events` (removed, added), sorted.
fn stream_changes(events: &[Event]) -> (Memberships, Memberships) {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for e in events {
        match e {
            Event::StreamTrackRemoved {
                transceiver,
                stream,
            } => removed.push((*transceiver, stream.clone())),
            Event::StreamTrackAdded {
                transceiver,
                stream,
            } => added.push((*transceiver, stream.clone())),
            _ => {}
        }
    }
    removed.sort();
    added.sort();
    (removed, added)
}

fn track_transceivers(events: &[Event]) -> Vec<TransceiverId> {
    track_events(events).into_iter().map(|(t, _)| t).collect()
}

// #20: rollback of a remote offer fires `removetrack` for the tracks it added; re-applying an
// offer adds them back; removeTrack turns sendrecv into recvonly and sendonly into inactive and
// fires negotiationneeded; the remote's SRD(offer) removes both tracks from the stream and its
// rollback re-adds them; after the reverse O/A both of pc2's transceivers are inactive.
// spec: 1.6f, 1.9c
#[test]
fn check_remove_track_negotiation() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_track(
            TrackKind::Audio,
            TrackId::from("audio"),
            vec!["stream".into()],
        )
        .unwrap();
    let video = pair
        .session(Who::A)
        .add_track(
            TrackKind::Video,
            TrackId::from("video"),
            vec!["stream".into()],
        )
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.set_direction(Direction::SendOnly))
        .unwrap();

    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let events = pair.b.take_events();
    let received = track_transceivers(&events);
    assert_eq!(received.len(), 2);
    assert!(events.iter().all(|e| match e {
        Event::Track { streams, .. } => streams == &["stream"],
        _ => true,
    }));

    // Rollback removes both tracks from the stream (and removes the transceivers).
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    let stream = |ids: &[TransceiverId]| -> Memberships {
        let mut v: Vec<_> = ids.iter().map(|id| (*id, "stream".to_owned())).collect();
        v.sort();
        v
    };
    assert_eq!(
        stream_changes(&pair.b.take_events()),
        (stream(&received), vec![])
    );

    // A new offer adds two tracks to the stream again, each with a `track` event.
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    let events = pair.b.take_events();
    let received = track_transceivers(&events);
    assert_eq!(stream_changes(&events), (vec![], stream(&received)));
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    pair.a.take_events();

    pair.session(Who::A).remove_track(audio.sender()).unwrap();
    let t = pair.a.session.transceiver(audio).unwrap();
    assert_eq!(t.sender().track(), None);
    assert_eq!(t.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(
        pair.a.session.transceiver(video).unwrap().direction(),
        TransceiverDirection::SendOnly
    );
    assert!(pair.a.take_events().contains(&Event::NegotiationNeeded));
    pair.session(Who::A).remove_track(video.sender()).unwrap();
    assert_eq!(
        pair.a.session.transceiver(video).unwrap().direction(),
        TransceiverDirection::Inactive
    );

    // pc1 offers: both tracks leave the stream; pc2's rollback puts them back.
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    assert_eq!(
        stream_changes(&pair.b.take_events()),
        (stream(&received), vec![])
    );
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(
        stream_changes(&pair.b.take_events()),
        (vec![], stream(&received))
    );

    // pc2 offers; pc1's answer sends nothing: both tracks leave the stream and pc2's
    // transceivers end up inactive.
    let offer = pair.session(Who::B).create_offer().unwrap();
    pair.session(Who::B)
        .set_local_description(offer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(offer).unwrap();
    let answer = pair.session(Who::A).create_answer().unwrap();
    pair.session(Who::A)
        .set_local_description(answer.clone())
        .unwrap();
    pair.b.take_events();
    pair.session(Who::B).set_remote_description(answer).unwrap();
    assert_eq!(
        stream_changes(&pair.b.take_events()),
        (stream(&received), vec![])
    );
    for t in pair.b.session.transceivers() {
        assert_eq!(t.current_direction(), Some(TransceiverDirection::Inactive));
    }
}

// #32 (legacy props rewritten): rolling back SRD(offer) removes the transceiver it created
// (stopped, mid null, track ended); the same offer recreates it; replaceTrack or a direction
// change does not prevent removal on rollback, addTrack does; rolling back a remote direction
// change fires `track` again; and stop() is never rolled back. Where WPT reads the removed
// `stopped` attribute or expects currentDirection null, the current spec's values are checked:
// direction and currentDirection "stopped" (webrtc-pc "stop the RTCRtpTransceiver").
// spec: 1.6f, 3.4d, 6.7
#[test]
fn check_remote_rollback() {
    let mut pair = Pair::new();
    let t1 = pair
        .session(Who::A)
        .add_track(
            TrackKind::Audio,
            TrackId::from("track"),
            vec!["stream".into()],
        )
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();

    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    let removed = pair.b.session.transceivers().next().unwrap().id();
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 0);
    let t = pair.b.session.transceiver(removed).unwrap();
    assert!(t.mid().is_none());
    assert!(t.is_stopped());
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);

    // The same offer again creates a transceiver again.
    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    let t2 = pair.b.session.transceivers().next().unwrap();
    assert_eq!(t2.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(t2.current_direction(), None);
    let (t2, mid0) = (t2.id(), t2.mid().unwrap().clone());

    // replaceTrack and a direction change do not keep it.
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.replace_track(Some(TrackId::from("track2"))))
        .unwrap();
    pair.session(Who::B)
        .transceiver_mut(t2)
        .and_then(|mut t| t.set_direction(Direction::SendRecv))
        .unwrap();
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 0);

    // A third time; addTrack touches it, so the rollback keeps it (mid null).
    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    let t3 = pair.b.session.transceivers().next().unwrap();
    assert_eq!(t3.mid(), Some(&mid0));
    let t3 = t3.id();
    let added = pair
        .session(Who::B)
        .add_track(
            TrackKind::Audio,
            TrackId::from("track2"),
            vec!["stream2".into()],
        )
        .unwrap();
    assert_eq!(
        added, t3,
        "addTrack reuses the transceiver the offer created"
    );
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    let kept = pair.b.session.transceiver(t3).unwrap();
    assert!(pair.b.session.transceivers().any(|t| t.id() == t3));
    assert!(kept.mid().is_none());
    assert_eq!(kept.direction(), TransceiverDirection::SendRecv);
    assert!(!kept.is_stopped());

    // Complete the negotiation: still the `track` event after all this.
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.b.take_events();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    assert_eq!(track_transceivers(&pair.b.take_events()), [t3]);
    pair.a.take_events();
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    assert!(pair.a.take_events().iter().any(|e| matches!(
        e,
        Event::Track { transceiver, streams } if *transceiver == t1 && streams == &["stream2"]
    )));
    let a = pair.a.session.transceiver(t1).unwrap();
    assert_eq!(a.mid(), Some(&mid0));
    assert_eq!(a.current_direction(), Some(TransceiverDirection::SendRecv));

    // Rolling back a remote track removal fires `track` again.
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.set_direction(Direction::RecvOnly))
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    assert!(track_transceivers(&pair.b.take_events()).is_empty());
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert!(pair.b.take_events().iter().any(|e| matches!(
        e,
        Event::Track { transceiver, streams } if *transceiver == t3 && streams == &["stream"]
    )));

    // stop() cannot be rolled back: pc1 stops, pc2 applies the port-0 offer (stopped) and
    // rolls it back: still stopped.
    pair.session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let stopped_now = |pair: &Pair| {
        let t = pair.b.session.transceiver(t3).unwrap();
        assert!(t.is_stopped());
        assert_eq!(t.direction(), TransceiverDirection::Stopped);
        assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
        assert_eq!(t.sender().track(), Some(&TrackId::from("track2")));
    };
    stopped_now(&pair);
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    stopped_now(&pair);
}

// #22 (legacy, rewritten at the end only): currentDirection stays null until an answer is
// applied and then follows each answer (pc2 goes sendonly, then back to sendrecv, with `track`
// events exactly where WPT has them). After pc2.close() it reads "stopped", not null: close
// stops every transceiver and the getter returns "stopped" once [[Stopped]] (webrtc-pc
// L11229-11231; newer upstream WPT expects "stopped" too).
// spec: 1.2c, 3.1b, 6.14
#[test]
fn check_current_direction() {
    use TransceiverDirection::{RecvOnly, SendOnly, SendRecv, Stopped};
    let (mut pair, t1, t2) = both_with_audio();
    let stream = || streams(&["stream"]);
    assert_eq!(current(&pair.a.session, t1), None);

    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(current(&pair.a.session, t1), None);
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    assert_eq!(current(&pair.a.session, t1), None);
    pair.session(Who::B).set_remote_description(offer).unwrap();
    assert_eq!(track_events(&pair.b.take_events()), [(t2, stream())]);
    assert_eq!(current(&pair.b.session, t2), None);
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert_eq!(current(&pair.b.session, t2), None);
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    assert_eq!(current(&pair.b.session, t2), Some(SendRecv));
    pair.a.take_events();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert_eq!(track_events(&pair.a.take_events()), [(t1, stream())]);
    assert_eq!(current(&pair.a.session, t1), Some(SendRecv));

    // pc2 offers sendonly, then sendrecv again; pc1 answers. (before, after) per step.
    for (direction, b_before, a_before, a_after, b_after, b_track) in [
        (
            Direction::SendOnly,
            SendRecv,
            SendRecv,
            RecvOnly,
            SendOnly,
            false,
        ),
        (
            Direction::SendRecv,
            SendOnly,
            RecvOnly,
            SendRecv,
            SendRecv,
            true,
        ),
    ] {
        pair.session(Who::B)
            .transceiver_mut(t2)
            .and_then(|mut t| t.set_direction(direction))
            .unwrap();
        let offer = pair.session(Who::B).create_offer().unwrap();
        assert_eq!(current(&pair.b.session, t2), Some(b_before));
        pair.session(Who::B)
            .set_local_description(offer.clone())
            .unwrap();
        assert_eq!(current(&pair.b.session, t2), Some(b_before));
        pair.a.take_events();
        pair.session(Who::A).set_remote_description(offer).unwrap();
        assert!(track_events(&pair.a.take_events()).is_empty());
        assert_eq!(current(&pair.a.session, t1), Some(a_before));
        let answer = pair.session(Who::A).create_answer().unwrap();
        assert_eq!(current(&pair.a.session, t1), Some(a_before));
        pair.session(Who::A)
            .set_local_description(answer.clone())
            .unwrap();
        assert_eq!(current(&pair.a.session, t1), Some(a_after));
        pair.b.take_events();
        pair.session(Who::B).set_remote_description(answer).unwrap();
        let expected = if b_track {
            vec![(t2, stream())]
        } else {
            vec![]
        };
        assert_eq!(track_events(&pair.b.take_events()), expected);
        assert_eq!(current(&pair.b.session, t2), Some(b_after));
    }

    pair.session(Who::B).close();
    assert_eq!(current(&pair.b.session, t2), Some(Stopped));
}

/// pc1 offers, pc2 applies it before pc1 does, pc2 answers, pc1 applies the answer before
/// pc2 does (the order of `checkMute`); `after_remote_offer` checks the state once pc2 has
/// applied the offer.
fn exchange_crossed(net: &mut net::Net, after_remote_offer: impl FnOnce(&net::Net)) {
    use net::Side;
    let offer = net.session(Side::A, |s| s.create_offer()).unwrap();
    net.session(Side::B, |s| s.set_remote_description(offer.clone()))
        .unwrap();
    after_remote_offer(net);
    net.session(Side::A, |s| s.set_local_description(offer))
        .unwrap();
    let answer = net.session(Side::B, |s| s.create_answer()).unwrap();
    net.session(Side::A, |s| s.set_remote_description(answer.clone()))
        .unwrap();
    net.session(Side::B, |s| s.set_local_description(answer))
        .unwrap();
}

// #21, over two tacet-rtc connections on crates/rtc's in-memory link; the noise streams are
// the applications writing a frame every 20 ms on each sender.
// spec: 1.9a, 1.9c
#[test]
fn check_mute() {
    use net::Side;
    use net::media::pump_all;
    use std::time::Duration;
    let mut net = net::Net::new();
    let mut add = |side, kind, id: &str, stream: &str| {
        net.session(side, |s| {
            s.add_track(kind, TrackId::from(id), vec![stream.into()])
        })
        .unwrap()
    };
    let audio1 = add(Side::A, TrackKind::Audio, "audio1", "stream1");
    let video1 = add(Side::A, TrackKind::Video, "video1", "stream1");
    let audio2 = add(Side::B, TrackKind::Audio, "audio2", "stream2");
    let video2 = add(Side::B, TrackKind::Video, "video2", "stream2");
    let tracks = [
        (Side::A, audio1),
        (Side::A, video1),
        (Side::B, audio2),
        (Side::B, video2),
    ];
    let muted = |net: &net::Net, (side, id): (Side, TransceiverId)| {
        let conn = if side == Side::A { &net.a } else { &net.b };
        conn.session()
            .transceiver(id)
            .unwrap()
            .receiver()
            .track()
            .muted()
    };
    // Receive tracks start muted.
    for t in tracks {
        assert!(muted(&net, t), "{t:?} starts muted");
    }
    exchange_crossed(&mut net, |_| {});
    // The WPT's `trickle`: each side's gathered host candidates to the other.
    net::trickle_new_candidates(&mut net);
    // pc2's addTrack transceivers took pc1's m-sections.
    assert_eq!(net.b.session().transceivers().count(), 2);
    let mut next = pump_all(&mut net, &tracks, "noise", 0, Duration::from_secs(2));
    for t in tracks {
        assert!(!muted(&net, t), "{t:?} unmuted by RTP");
    }

    // Disabling receive locally mutes pc1's receive tracks when the answer is applied.
    for t in [audio1, video1] {
        net.session(Side::A, |s| {
            s.transceiver_mut(t)?.set_direction(Direction::SendOnly)
        })
        .unwrap();
    }
    exchange_crossed(&mut net, |_| {});
    next = pump_all(&mut net, &tracks, "noise", next, Duration::from_secs(1));
    assert!(muted(&net, (Side::A, audio1)) && muted(&net, (Side::A, video1)));

    // Disabling on the remote side mutes pc2's receive tracks at setRemoteDescription(offer).
    for t in [audio1, video1] {
        net.session(Side::A, |s| {
            s.transceiver_mut(t)?.set_direction(Direction::Inactive)
        })
        .unwrap();
    }
    exchange_crossed(&mut net, |net| {
        assert!(muted(net, (Side::B, audio2)) && muted(net, (Side::B, video2)));
    });
    next = pump_all(&mut net, &tracks, "noise", next, Duration::from_secs(1));

    // Everything on again: every track unmutes when RTP flows.
    for t in [audio1, video1] {
        net.session(Side::A, |s| {
            s.transceiver_mut(t)?.set_direction(Direction::SendRecv)
        })
        .unwrap();
    }
    exchange_crossed(&mut net, |_| {});
    pump_all(&mut net, &tracks, "noise", next, Duration::from_secs(2));
    // A little longer, in case a stray event fires.
    net.run_for(Duration::from_millis(100));
    for (side, id) in tracks {
        let count = |wanted: &Event| {
            net.events(side)
                .iter()
                .filter(|e| matches!(e, tacet_rtc::Event::Session(e) if e == wanted))
                .count()
        };
        assert_eq!(
            count(&Event::TrackMuted { transceiver: id }),
            1,
            "{side:?} {id:?} mute"
        );
        assert_eq!(
            count(&Event::TrackUnmuted { transceiver: id }),
            2,
            "{side:?} {id:?} unmute"
        );
    }
}
