//! The `checkStop*` cases of `RTCRtpTransceiver.https.html` (stop-semantics §5.3, #23-#29),
//! each following the upstream call sequence in full. The file reads the removed `stopped`
//! attribute; where it does, or where the current spec gives another outcome, the test checks
//! the current webrtc-pc text and says so (docs/conformance.md gives the reason per case).
//! `await iceConnected(...)` and `trickle(...)` need a real transport and are left out.

use tacet_session::DomException;

use super::*;

/// WPT's opening: `offer = pc1.createOffer(); pc2.SRD(offer); pc1.SLD(offer)`.
fn offer_applied(pair: &mut Pair) {
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
}

/// `pc1.setRemoteDescription(answer)`: the events it fires on pc1.
fn answer_applied_by_a(pair: &mut Pair, answer: &SessionDescription) -> Vec<Event> {
    pair.a.take_events();
    pair.session(Who::A)
        .set_remote_description(answer.clone())
        .unwrap();
    pair.a.take_events()
}

fn stop(pair: &mut Pair, who: Who, id: TransceiverId) {
    pair.session(who)
        .transceiver_mut(id)
        .and_then(|mut t| t.stop())
        .unwrap();
}

/// After the stop was negotiated: WPT's `{stopped: true, mid: null}`, read through the current
/// attributes (direction and currentDirection "stopped"), and out of the set.
fn assert_stopped_and_removed(s: &Session, id: TransceiverId) {
    let t = s.transceiver(id).unwrap();
    assert!(t.is_stopped(), "{id:?}");
    assert!(t.mid().is_none(), "{id:?}");
    assert_eq!(
        stopped(s, id),
        (
            TransceiverDirection::Stopped,
            Some(TransceiverDirection::Stopped)
        )
    );
    assert!(t.is_removed());
}

/// WPT's `hasPropsAndUniqueMids(..., [{stopped: true}])` right after a local stop(), read
/// through the current attributes: stopping (direction "stopped"), not yet stopped, mid kept.
fn assert_stopping(s: &Session, id: TransceiverId) {
    let t = s.transceiver(id).unwrap();
    assert!(t.is_stopping() && !t.is_stopped());
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert!(t.mid().is_some());
}

/// The stopping side stopped in stable after its answer was applied; the *other* side
/// re-offers (as WPT does). A stopping transceiver does not affect createAnswer (webrtc-pc
/// stop(), L11264-11273): the answer keeps the m-line live with `a=inactive`, so nothing is
/// stopped or removed yet and the stopping side needs negotiation again. Its own offer then
/// carries port 0 and both sides remove the transceiver: WPT's end state, one round later.
fn reoffer_by_the_other_side_then_stopping_side_offers(
    pair: &mut Pair,
    stopping: (Who, TransceiverId),
    other: TransceiverId,
) {
    let (who, id) = stopping;
    pair.peer(who).take_events();
    let (_, answer) = pair.negotiate(who.other()).unwrap();
    assert!(!answer.media[0].is_rejected());
    assert_eq!(answer.media[0].direction(), tacet_sdp::Direction::Inactive);
    let o = pair.peer(who.other()).session.transceiver(other).unwrap();
    assert!(!o.is_stopping() && o.mid().is_some());
    assert_eq!(o.current_direction(), Some(TransceiverDirection::Inactive));
    let s = &pair.peer(who).session;
    assert_stopping(s, id);
    assert_eq!(current(s, id), Some(TransceiverDirection::Inactive));
    assert!(
        pair.peer(who)
            .take_events()
            .contains(&Event::NegotiationNeeded),
        "still stopping once stable: negotiation needed again (L5949-5952)"
    );

    let (offer, _) = pair.negotiate(who).unwrap();
    assert!(offer.media[0].is_rejected());
    assert_stopped_and_removed(&pair.peer(who).session, id);
    assert_stopped_and_removed(&pair.peer(who.other()).session, other);
}

// #23 (legacy props rewritten): after stop() the receiver track ends (once), replaceTrack and
// the direction setter throw InvalidStateError, a second stop() does nothing; the remote
// SRD(offer) ends the remote track; stop() after close() throws InvalidStateError. The current
// spec instead of WPT's legacy reads: direction "stopped" at once (not "sendrecv"),
// currentDirection kept until stopped (not null), getSenders/getReceivers still list a
// stopping transceiver (CollectSenders skips only [[Stopped]]), and the remote transceiver,
// stopped by the port-0 offer, reads currentDirection "stopped" and keeps its mid until its
// answer. tacet-session has no setParameters or DTMF sender.
// spec: 1.2a, 1.2b, 1.3a, 1.3b, 1.3c, 1.4a, 1.4c, 1.6b, 6.4, 6.16
#[test]
fn check_stop() {
    let mut pair = Pair::new();
    let t1 = add_audio(&mut pair, Who::A, "track", "stream");
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let t2 = add_audio(&mut pair, Who::B, "track", "stream");
    assert_eq!(
        pair.b.session.transceivers().count(),
        1,
        "addTrack took the transceiver SRD made"
    );
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    pair.a.take_events();

    stop(&mut pair, Who::A, t1);
    let a = &pair.a.session;
    assert_eq!(
        a.senders().count(),
        1,
        "stopping, not stopped: still listed"
    );
    assert_eq!(a.receivers().count(), 1);
    assert!(ended(&pair.a.take_events(), t1));
    let t = pair.a.session.transceiver(t1).unwrap();
    assert_eq!(t.sender().track(), Some(&TrackId::from("track")));
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    assert_eq!(
        stopped(&pair.a.session, t1),
        (
            TransceiverDirection::Stopped,
            Some(TransceiverDirection::SendRecv)
        )
    );
    let invalid_state = |result: Result<(), Error>| {
        let err = result.unwrap_err();
        assert_eq!(
            err.dom_exception(),
            DomException::InvalidStateError,
            "{err}"
        );
    };
    invalid_state(
        pair.session(Who::A)
            .transceiver_mut(t1)
            .and_then(|mut t| t.replace_track(Some(TrackId::from("track2")))),
    );
    invalid_state(
        pair.session(Who::A)
            .transceiver_mut(t1)
            .and_then(|mut t| t.set_direction(Direction::SendRecv)),
    );
    stop(&mut pair, Who::A, t1);
    assert!(
        !ended(&pair.a.take_events(), t1),
        "a second stop() does nothing"
    );

    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.b.take_events();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    assert!(ended(&pair.b.take_events(), t2));
    let t = pair.b.session.transceiver(t2).unwrap();
    assert_eq!(t.sender().track(), Some(&TrackId::from("track")));
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    assert!(t.is_stopped());
    assert!(t.mid().is_some(), "removed (mid null) only by its answer");
    assert_eq!(
        stopped(&pair.b.session, t2),
        (
            TransceiverDirection::Stopped,
            Some(TransceiverDirection::Stopped)
        )
    );
    stop(&mut pair, Who::B, t2);

    pair.session(Who::A).close();
    pair.session(Who::B).close();
    invalid_state(
        pair.session(Who::B)
            .transceiver_mut(t2)
            .and_then(|mut t| t.stop()),
    );
}

// #24 (legacy props rewritten): stop() between createOffer and SLD. The offer created before
// the stop is applied with a live port; the answer still fires `track` on pc1; pc1 reads
// direction "stopped" with its mid; negotiationneeded fires when pc1 is stable again; the next
// offer/answer removes the transceiver on both sides (mid null, "stopped" both ways).
// spec: 1.3e, 1.3g, 1.6b, 1.6c, 6.2
#[test]
fn check_stop_after_create_offer() {
    let (mut pair, t1, t2) = both_with_audio();
    let offer = pair.session(Who::A).create_offer().unwrap();
    stop(&mut pair, Who::A, t1);
    pair.session(Who::B)
        .set_remote_description(offer.clone())
        .unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    let events = answer_applied_by_a(&mut pair, &answer);
    assert_eq!(track_events(&events), [(t1, streams(&["stream"]))]);
    assert_stopping(&pair.a.session, t1);
    pair.session(Who::B).set_local_description(answer).unwrap();
    assert!(events.contains(&Event::NegotiationNeeded));

    pair.negotiate(Who::A).unwrap();
    assert_stopped_and_removed(&pair.a.session, t1);
    assert_stopped_and_removed(&pair.b.session, t2);
}

// #25 (legacy props rewritten): stop() between SLD(offer) and SRD(answer): the same outcome as
// #24 — `track` still fires on the answer, pc1 reads direction "stopped", negotiationneeded
// fires once pc1 is stable, and the next offer/answer removes the transceiver on both sides.
// spec: 1.3e, 1.3g, 1.6b, 1.6c, 6.2
#[test]
fn check_stop_after_set_local_offer() {
    let (mut pair, t1, t2) = both_with_audio();
    offer_applied(&mut pair);
    stop(&mut pair, Who::A, t1);
    let answer = pair.session(Who::B).create_answer().unwrap();
    let events = answer_applied_by_a(&mut pair, &answer);
    assert_eq!(track_events(&events), [(t1, streams(&["stream"]))]);
    assert_stopping(&pair.a.session, t1);
    assert!(events.contains(&Event::NegotiationNeeded));
    pair.session(Who::B).set_local_description(answer).unwrap();

    pair.negotiate(Who::A).unwrap();
    assert_stopped_and_removed(&pair.a.session, t1);
    assert_stopped_and_removed(&pair.b.session, t2);
}

// #26 (legacy, rewritten): the answerer stops after SRD(offer). WPT expects the stop in the
// answer (pc1's transceiver stopped, mid null); under the current spec a stopping transceiver
// does not affect createAnswer, so the answer says `a=inactive` with a live port: no `track`
// on pc1 (as WPT expects), pc1's transceiver inactive, not stopped, mid kept. pc2 then needs
// negotiation and its port-0 offer removes the transceiver on both sides.
// spec: 1.3f, 1.3g, 3.3d, 6.3
#[test]
fn check_stop_after_set_remote_offer() {
    let (mut pair, t1, t2) = both_with_audio();
    offer_applied(&mut pair);
    stop(&mut pair, Who::B, t2);
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert!(!answer.media[0].is_rejected());
    assert_eq!(answer.media[0].direction(), tacet_sdp::Direction::Inactive);
    assert!(track_events(&answer_applied_by_a(&mut pair, &answer)).is_empty());
    let t = pair.a.session.transceiver(t1).unwrap();
    assert!(!t.is_stopping() && t.mid().is_some());
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Inactive));
    pair.b.take_events();
    pair.session(Who::B).set_local_description(answer).unwrap();

    assert!(pair.b.take_events().contains(&Event::NegotiationNeeded));
    let (offer, _) = pair.negotiate(Who::B).unwrap();
    assert!(offer.media[0].is_rejected());
    assert_stopped_and_removed(&pair.a.session, t1);
    assert_stopped_and_removed(&pair.b.session, t2);
}

// #27 (legacy, rewritten): the answerer stops after createAnswer ("too late for the answer"):
// pc1 gets `track`, pc2 reads direction "stopped", negotiationneeded fires on pc2 once stable.
// WPT then has pc1 re-offer and expects both sides stopped with mid null; under the current
// spec pc2's stopping transceiver does not affect its answer (a=inactive, live port), so only
// pc2's own port-0 offer, one round later, removes the transceiver on both sides.
// spec: 1.3f, 1.3g, 3.3d, 6.3
#[test]
fn check_stop_after_create_answer() {
    let (mut pair, t1, t2) = both_with_audio();
    offer_applied(&mut pair);
    let answer = pair.session(Who::B).create_answer().unwrap();
    stop(&mut pair, Who::B, t2);
    assert_eq!(
        track_events(&answer_applied_by_a(&mut pair, &answer)),
        [(t1, streams(&["stream"]))]
    );
    assert_stopping(&pair.b.session, t2);
    pair.b.take_events();
    pair.session(Who::B).set_local_description(answer).unwrap();
    assert!(pair.b.take_events().contains(&Event::NegotiationNeeded));

    reoffer_by_the_other_side_then_stopping_side_offers(&mut pair, (Who::B, t2), t1);
}

// #28 (legacy, rewritten): the answerer (pc2) stops in stable, after it set its answer;
// negotiationneeded fires on pc2. WPT then has pc1 re-offer and expects both sides stopped
// with mid null; under the current spec pc2's stopping transceiver does not affect its answer
// (a=inactive, live port), so only pc2's own port-0 offer, one round later, removes the
// transceiver on both sides.
// spec: 1.3f, 1.3g, 1.6c, 3.3d
#[test]
fn check_stop_after_set_local_answer() {
    let (mut pair, t1, t2) = both_with_audio();
    offer_applied(&mut pair);
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert_eq!(
        track_events(&answer_applied_by_a(&mut pair, &answer)),
        [(t1, streams(&["stream"]))]
    );
    pair.session(Who::B).set_local_description(answer).unwrap();
    pair.b.take_events();

    stop(&mut pair, Who::B, t2);
    assert_stopping(&pair.b.session, t2);
    assert!(pair.b.take_events().contains(&Event::NegotiationNeeded));

    reoffer_by_the_other_side_then_stopping_side_offers(&mut pair, (Who::B, t2), t1);
}

// #29: after a full offer/answer, pc1.close(); stop() then throws InvalidStateError.
// spec: 1.3a, 6.14
#[test]
fn check_stop_after_close() {
    let (mut pair, t1, _) = both_with_audio();
    offer_applied(&mut pair);
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    pair.session(Who::A).close();
    let err = pair
        .session(Who::A)
        .transceiver_mut(t1)
        .and_then(|mut t| t.stop())
        .unwrap_err();
    assert_eq!(
        err.dom_exception(),
        DomException::InvalidStateError,
        "{err}"
    );
}
