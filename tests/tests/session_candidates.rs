//! Trickled remote candidates (webrtc-pc `addIceCandidate`): which transport a candidate goes
//! to, when it waits in the remote description, when it is ignored, and the typed errors that
//! leave the session unchanged.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Attribute, Candidate};
use tacet_session::Fault;
use tacet_session::{Effect, Error, RemoteCandidate, RemoteCandidateOutcome};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{TrackId, TrackKind};

fn host(port: u16) -> Candidate {
    Candidate::new(&format!("7 1 udp 2122194687 127.0.0.1 {port} typ host")).unwrap()
}

fn for_mid(mid: &str, candidate: Option<Candidate>) -> RemoteCandidate {
    RemoteCandidate {
        candidate,
        mid: Some(mid.into()),
        ..RemoteCandidate::default()
    }
}

/// A negotiated pair with audio and a data channel (A offered).
fn negotiated() -> Pair {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s".into()])
        .unwrap();
    pair.session(Who::A).create_data_channel("chat").unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.a.take_effects();
    pair.b.take_effects();
    pair
}

fn remote_candidates(pair: &Pair, who: Who, index: usize) -> Vec<Attribute> {
    let peer = if who == Who::A { &pair.a } else { &pair.b };
    peer.session.remote_description().unwrap().media[index]
        .attributes
        .0
        .iter()
        .filter(|a| matches!(a, Attribute::Candidate(_) | Attribute::EndOfCandidates))
        .cloned()
        .collect()
}

#[test]
fn a_candidate_for_a_negotiated_transport_is_delivered_once_and_recorded() {
    let mut pair = negotiated();
    let before = remote_candidates(&pair, Who::A, 0).len();
    let outcome = pair
        .session(Who::A)
        .add_remote_candidate(for_mid("0", Some(host(50_000))))
        .unwrap();
    let transport = pair.a.session.transports()[0].id();
    assert_eq!(outcome, RemoteCandidateOutcome::Delivered(transport));
    assert_eq!(
        pair.a.take_effects(),
        [Effect::RemoteCandidate {
            transport,
            candidate: Some(host(50_000))
        }]
    );
    assert_eq!(remote_candidates(&pair, Who::A, 0).len(), before + 1);
    assert!(
        pair.a.session.transports()[0]
            .remote()
            .unwrap()
            .candidates
            .contains(&host(50_000))
    );

    // The same candidate again: no second effect, no second line.
    pair.session(Who::A)
        .add_remote_candidate(for_mid("0", Some(host(50_000))))
        .unwrap();
    assert!(pair.a.take_effects().is_empty());
    assert_eq!(remote_candidates(&pair, Who::A, 0).len(), before + 1);
}

#[test]
fn end_of_candidates_is_delivered_and_written() {
    let mut pair = negotiated();
    let by_index = RemoteCandidate {
        m_line_index: Some(0),
        ..RemoteCandidate::default()
    };
    pair.session(Who::A).add_remote_candidate(by_index).unwrap();
    assert!(matches!(
        pair.a.take_effects().as_slice(),
        [Effect::RemoteCandidate {
            candidate: None,
            ..
        }]
    ));
    assert!(remote_candidates(&pair, Who::A, 0).contains(&Attribute::EndOfCandidates));
}

// A candidate trickled between setRemoteDescription(offer) and the answer waits in the remote
// description and reaches the transport with the peer's credentials.
#[test]
fn a_candidate_before_the_answer_is_stored_then_carried_by_the_transport() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let outcome = pair
        .session(Who::B)
        .add_remote_candidate(for_mid("0", Some(host(50_001))))
        .unwrap();
    assert_eq!(outcome, RemoteCandidateOutcome::Stored);
    assert!(pair.b.take_effects().is_empty());
    pair.send_answer(Who::B).unwrap();
    let remote = pair.b.session.transports()[0].remote().unwrap();
    assert!(remote.candidates.contains(&host(50_001)));
}

#[test]
fn a_candidate_for_a_stopped_transceiver_is_ignored() {
    let mut pair = negotiated();
    let audio = pair.a.session.transceivers().next().unwrap().id();
    pair.send_offer(Who::B).unwrap();
    // B's offer is in flight; A stops its audio before it arrives, then the candidate for
    // the audio mid comes in after the offer.
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.flush().unwrap();
    pair.a.take_effects();
    let outcome = pair
        .session(Who::A)
        .add_remote_candidate(for_mid("0", Some(host(50_002))));
    // Stopping is not stopped: the candidate still goes to the (shared) transport.
    assert!(matches!(outcome, Ok(RemoteCandidateOutcome::Delivered(_))));

    // Once the peer's offer rejects the section, the transceiver is stopped and a candidate
    // for it is ignored.
    let mut pair = negotiated();
    let b_audio = pair.b.session.transceivers().next().unwrap().id();
    pair.session(Who::B)
        .transceiver_mut(b_audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.send_offer(Who::B).unwrap();
    pair.flush().unwrap();
    let audio = pair.a.session.transceivers().next().unwrap();
    assert!(audio.is_stopped());
    pair.a.take_effects();
    let outcome = pair
        .session(Who::A)
        .add_remote_candidate(for_mid("0", Some(host(50_003))))
        .unwrap();
    assert_eq!(outcome, RemoteCandidateOutcome::Ignored);
    assert!(pair.a.take_effects().is_empty());
}

#[test]
fn bad_candidates_are_typed_errors_and_change_nothing() {
    let mut pair = Pair::new();
    // No remote description yet.
    let err = pair
        .session(Who::A)
        .add_remote_candidate(for_mid("0", Some(host(1))))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidState { .. }), "{err}");

    let mut pair = negotiated();
    let before = pair.a.session.clone();
    let cases = [
        (
            RemoteCandidate {
                candidate: Some(host(2)),
                ..RemoteCandidate::default()
            },
            Fault::Caller,
        ),
        (for_mid("nope", Some(host(3))), Fault::Peer),
        (
            RemoteCandidate {
                candidate: Some(host(4)),
                m_line_index: Some(9),
                ..RemoteCandidate::default()
            },
            Fault::Peer,
        ),
        (
            RemoteCandidate {
                ufrag: Some("not-the-ufrag".into()),
                ..for_mid("0", Some(host(5)))
            },
            Fault::Peer,
        ),
    ];
    for (candidate, fault) in cases {
        let err = pair
            .session(Who::A)
            .add_remote_candidate(candidate.clone())
            .unwrap_err();
        assert_eq!(err.fault(), fault, "{candidate:?}: {err}");
        assert!(err.rule().contains("addIceCandidate"), "{err}");
        assert_eq!(pair.a.session, before, "{candidate:?} changed the session");
    }

    pair.session(Who::A).close();
    let err = pair
        .session(Who::A)
        .add_remote_candidate(for_mid("0", Some(host(6))))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidState { .. }));
}

// webrtc-pc "When the ICE Agent indicates that a new ICE candidate is available", steps 4-5: a
// candidate gathered after setLocalDescription is added to the pending local description (the
// tag section), and so is in the current one once the answer is applied — the same lines the
// peer's remote description gets from addIceCandidate, so the two stay mirrored.
#[test]
fn a_gathered_candidate_is_added_to_the_local_description() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    let transport = pair
        .session(Who::A)
        .transports()
        .first()
        .map(|t| t.id())
        .unwrap();
    let candidate = host(50_123);
    pair.session(Who::A)
        .add_local_candidate(transport, candidate.clone())
        .unwrap();
    let has = |d: Option<&tacet_sdp::SessionDescription>| {
        d.unwrap().media[0]
            .attributes
            .candidates()
            .any(|c| *c == candidate)
    };
    assert!(has(pair.a.session.pending_local_description()));
    // Once only, also when the I/O layer reports it twice.
    pair.session(Who::A)
        .add_local_candidate(transport, candidate.clone())
        .unwrap();
    let lines = pair.a.session.pending_local_description().unwrap().media[0]
        .attributes
        .candidates()
        .filter(|c| **c == candidate)
        .count();
    assert_eq!(lines, 1);
    let offer = pair.a.session.pending_local_description().unwrap().clone();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert!(has(pair.a.session.current_local_description()));
    assert_eq!(
        pair.a.session.current_local_description(),
        pair.b.session.current_remote_description()
    );
}
