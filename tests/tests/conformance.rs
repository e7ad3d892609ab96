//! The WPT cases of stop-semantics.md §5, mirrored on the pure session. Each test is named
//! after its WPT title (`cargo xtask conformance` checks the table in `docs/conformance.md`
//! against these names). `[kind]` cases run for audio and video. Where a WPT file still uses the
//! legacy `stopped` attribute, the test checks the current spec's outcome and says so.
//!
//! JavaScript timing note: in a browser, `stop()` ends the receiver track in a queued task; in
//! tacet the state changes inside the call and the `ended` event waits in the event queue
//! (docs/conformance.md, case 2).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{MediaKind, SdpType, SessionDescription};
use tacet_session::{Error, Event, Session, SignalingState, TransceiverId, TransceiverInit};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, TransceiverDirection};

const KINDS: [TrackKind; 2] = [TrackKind::Audio, TrackKind::Video];

fn init(direction: Direction) -> TransceiverInit {
    TransceiverInit {
        direction,
        streams: Vec::new(),
    }
}

/// pc1 adds a transceiver of `kind` (sendrecv, with a track) and negotiates with pc2.
fn negotiated(kind: TrackKind) -> (Pair, TransceiverId, TransceiverId) {
    let mut pair = Pair::new();
    let t1 = pair
        .session(Who::A)
        .add_track(kind, TrackId::from("track"), vec!["stream".into()])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let t2 = pair.b.session.transceivers().next().unwrap().id();
    pair.a.take_events();
    pair.b.take_events();
    (pair, t1, t2)
}

fn offer_kinds(offer: &SessionDescription) -> Vec<(MediaKind, bool)> {
    offer
        .media
        .iter()
        .map(|m| (m.kind.clone(), m.is_rejected()))
        .collect()
}

fn count(events: &[Event], wanted: &Event) -> usize {
    events.iter().filter(|e| *e == wanted).count()
}

fn stopped(s: &Session, id: TransceiverId) -> (TransceiverDirection, Option<TransceiverDirection>) {
    let t = s.transceiver(id).unwrap();
    (t.direction(), t.current_direction())
}

// ---- RTCRtpTransceiver-stopping.https.html ------------------------------------------------

// #1: after stop() mid non-null, direction "stopped", currentDirection not "stopped"; after a
// full renegotiation mid null, both "stopped".
#[test]
fn locally_stopped_transceiver_goes_from_stopping_to_stopped() {
    for kind in KINDS {
        let (mut pair, t1, _) = negotiated(kind);
        pair.session(Who::A).stop_transceiver(t1).unwrap();
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
#[test]
fn locally_stopping_a_transceiver_ends_the_track() {
    for kind in KINDS {
        let (mut pair, t1, _) = negotiated(kind);
        pair.session(Who::A).stop_transceiver(t1).unwrap();
        let events = pair.a.take_events();
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::TrackEnded { transceiver, .. } if *transceiver == t1))
        );
        let track = pair.a.session.transceiver(t1).unwrap().receiver_track();
        assert_eq!(track.ready_state(), ReadyState::Ended);
    }
}

// #3: pc2's track is live before SRD(offer with port 0) and ended right after it.
#[test]
fn remotely_stopping_a_transceiver_ends_the_track() {
    for kind in KINDS {
        let (mut pair, t1, t2) = negotiated(kind);
        pair.session(Who::A).stop_transceiver(t1).unwrap();
        let offer = pair.session(Who::A).create_offer().unwrap();
        pair.session(Who::A)
            .set_local_description(offer.clone())
            .unwrap();
        let track = |p: &Pair| {
            p.b.session
                .transceiver(t2)
                .unwrap()
                .receiver_track()
                .ready_state()
        };
        assert_eq!(track(&pair), ReadyState::Live);
        pair.session(Who::B).set_remote_description(offer).unwrap();
        assert_eq!(track(&pair), ReadyState::Ended);
    }
}

// #4: after SRD(offer with port 0): 1 transceiver, mid set, both directions "stopped"; after
// SLD(answer): none in the set, mid null.
#[test]
fn remotely_stopped_transceiver_goes_directly_to_stopped() {
    for kind in KINDS {
        let (mut pair, t1, t2) = negotiated(kind);
        pair.session(Who::A).stop_transceiver(t1).unwrap();
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
        let track = pair.a.session.transceiver(t).unwrap().receiver_track();
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
            .receiver_track();
        assert_eq!(track.ready_state(), ReadyState::Ended);
    }
}

// #7: the removed transceiver reads "stopped" both ways and mid null.
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

// ---- RTCRtpTransceiver-stop.html --------------------------------------------------------

// #9
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
    pair.session(Who::A).stop_transceiver(audio).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer_kinds(&offer), [(MediaKind::Video, false)]);
}

// #11: the negotiated audio gives `m=audio 0`; the new, stopped video gives no m-line.
#[test]
fn during_renegotiation_adding_and_stopping_a_transceiver_should_not_trigger_a_renegotiated_offer_m_section_generation()
 {
    let (mut pair, audio, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).stop_transceiver(audio).unwrap();
    let video = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A).stop_transceiver(video).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer_kinds(&offer), [(MediaKind::Audio, true)]);
}

fn stopped_reoffer_direction(direction: Direction) -> Direction {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(direction))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A).stop_transceiver(t).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert!(offer.media[0].is_rejected());
    offer.media[0].direction()
}

// #12
#[test]
fn a_stopped_sendonly_transceiver_should_generate_an_inactive_m_section_in_the_offer() {
    assert_eq!(
        stopped_reoffer_direction(Direction::SendOnly),
        Direction::Inactive
    );
}

// #13
#[test]
fn a_stopped_inactive_transceiver_should_generate_an_inactive_m_section_in_the_offer() {
    assert_eq!(
        stopped_reoffer_direction(Direction::Inactive),
        Direction::Inactive
    );
}

// #14: stop, O/A, then SLD(createOffer()) resolves.
#[test]
fn if_a_transceiver_is_stopped_locally_setting_a_locally_generated_answer_should_still_work() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).stop_transceiver(t1).unwrap();
    pair.negotiate(Who::A).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
}

// #15: pc2 stops, pc2 -> pc1 O/A, then pc1 SLD(createOffer()) resolves.
#[test]
fn if_a_transceiver_is_stopped_remotely_setting_a_locally_generated_answer_should_still_work() {
    let (mut pair, _, t2) = negotiated(TrackKind::Audio);
    pair.session(Who::B).stop_transceiver(t2).unwrap();
    pair.negotiate(Who::B).unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
}

// #16: after stop plus O/A, no transceivers, senders or receivers on either side.
#[test]
fn if_a_transceiver_is_stopped_transceivers_senders_and_receivers_should_disappear_after_offer_answer()
 {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).stop_transceiver(t1).unwrap();
    pair.negotiate(Who::A).unwrap();
    for s in [&pair.a.session, &pair.b.session] {
        assert_eq!(s.transceivers().count(), 0);
        assert_eq!(s.senders().count(), 0);
        assert_eq!(s.receivers().count(), 0);
    }
}

// #17: both the local and the remote transceiver read direction "stopped".
#[test]
fn if_a_transceiver_is_stopped_transceivers_should_end_up_in_state_stopped() {
    let (mut pair, t1, t2) = negotiated(TrackKind::Audio);
    pair.session(Who::A).stop_transceiver(t1).unwrap();
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

// ---- RTCRtpTransceiver.https.html (the cases the current spec keeps) ---------------------

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

// ---- RTCPeerConnection-transceivers.https.html -------------------------------------------

// #38: going inactive and back to sendrecv re-fires ontrack on the remote side.
#[test]
fn changing_transceiver_direction_to_sendrecv_makes_ontrack_fire() {
    let (mut pair, t1, t2) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .set_direction(t1, Direction::Inactive)
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.b.take_events();
    pair.session(Who::A)
        .set_direction(t1, Direction::SendRecv)
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert!(
        pair.b
            .take_events()
            .iter()
            .any(|e| matches!(e, Event::Track { transceiver, .. } if *transceiver == t2))
    );
}

// #39: addTrack reuses a reusable transceiver; addTransceiver never does.
#[test]
fn add_track_reuses_reusable_transceivers() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let t = s
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let reused = s
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    assert_eq!(reused, t);
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(s.transceivers().count(), 2, "addTransceiver does not reuse");
}

// #40: currentDirection is set only when an answer is applied: recvonly / sendonly.
#[test]
fn set_local_description_answer_transceiver_current_direction_is_recvonly() {
    for (offered, answered) in [
        (Direction::SendOnly, TransceiverDirection::RecvOnly),
        (Direction::RecvOnly, TransceiverDirection::SendOnly),
    ] {
        let mut pair = Pair::new();
        pair.session(Who::A)
            .add_transceiver(TrackKind::Audio, init(offered))
            .unwrap();
        if offered == Direction::RecvOnly {
            pair.session(Who::B)
                .add_track(TrackKind::Audio, TrackId::from("b"), vec![])
                .unwrap();
        }
        pair.send_offer(Who::A).unwrap();
        pair.flush().unwrap();
        let t2 = pair.b.session.transceivers().next().unwrap().id();
        assert_eq!(
            pair.b.session.transceiver(t2).unwrap().current_direction(),
            None
        );
        pair.send_answer(Who::B).unwrap();
        assert_eq!(
            pair.b.session.transceiver(t2).unwrap().current_direction(),
            Some(answered)
        );
    }
}

// ---- RTCPeerConnection-setDescription-transceiver.html -----------------------------------

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
    assert_eq!(mid.as_ref(), offer.media[0].mid());
}

// #42: SRD(offer) creates the transceiver, with the same mid on both ends.
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
    pair.session(Who::B).stop_transceiver(t2).unwrap();
    let answer = pair.send_answer(Who::B).unwrap();
    assert_eq!(answer.media[0].direction(), Direction::Inactive);
    assert!(!answer.media[0].is_rejected());
    pair.flush().unwrap();
    assert_eq!(
        pair.a.session.transceiver(t1).unwrap().current_direction(),
        Some(TransceiverDirection::Inactive)
    );
}

// ---- RTCPeerConnection-removeTrack.https.html --------------------------------------------

fn remove_track_with_current(
    direction: Direction,
) -> (TransceiverDirection, Option<TransceiverDirection>) {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(direction))
        .unwrap();
    pair.session(Who::A)
        .replace_track(t, Some(TrackId::from("x")))
        .unwrap();
    if direction.has_recv() {
        pair.session(Who::B)
            .add_track(TrackKind::Audio, TrackId::from("b"), vec![])
            .unwrap();
    }
    pair.negotiate(Who::A).unwrap();
    let current = pair.a.session.transceiver(t).unwrap().current_direction();
    pair.session(Who::A).remove_track(t).unwrap();
    let after = pair.a.session.transceiver(t).unwrap();
    assert_eq!(
        after.current_direction(),
        current,
        "currentDirection unchanged"
    );
    (after.direction(), current)
}

// #47
#[test]
fn calling_remove_track_with_current_direction_sendrecv_should_set_direction_to_recvonly() {
    let (direction, current) = remove_track_with_current(Direction::SendRecv);
    assert_eq!(current, Some(TransceiverDirection::SendRecv));
    assert_eq!(direction, TransceiverDirection::RecvOnly);
}

// #48
#[test]
fn calling_remove_track_with_current_direction_sendonly_should_set_direction_to_inactive() {
    let (direction, current) = remove_track_with_current(Direction::SendOnly);
    assert_eq!(current, Some(TransceiverDirection::SendOnly));
    assert_eq!(direction, TransceiverDirection::Inactive);
}

// #49
#[test]
fn calling_remove_track_with_current_direction_recvonly_should_not_change_direction() {
    let (direction, current) = remove_track_with_current(Direction::RecvOnly);
    assert_eq!(current, Some(TransceiverDirection::RecvOnly));
    assert_eq!(direction, TransceiverDirection::RecvOnly);
}

// #50
#[test]
fn calling_remove_track_with_current_direction_inactive_should_not_change_direction() {
    let (direction, current) = remove_track_with_current(Direction::Inactive);
    assert_eq!(current, Some(TransceiverDirection::Inactive));
    assert_eq!(direction, TransceiverDirection::Inactive);
}

// #51: removeTrack on a stopped transceiver is a no-op (sender.track unchanged).
#[test]
fn calling_remove_track_on_a_stopped_transceiver_should_be_a_no_op() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).stop_transceiver(t1).unwrap();
    let before = pair.a.session.clone();
    pair.session(Who::A).remove_track(t1).unwrap();
    assert_eq!(pair.a.session, before);
    assert!(
        pair.a
            .session
            .transceiver(t1)
            .unwrap()
            .sender()
            .track()
            .is_some()
    );
}

// #52: removeTrack on a closed connection throws InvalidStateError (addTrack and
// addTransceiver variants). A sender of another connection: tacet addresses senders by the
// transceiver id of its own session, so the "another connection" case is an unknown id.
#[test]
fn calling_remove_track_when_connection_is_closed_should_throw_invalid_state_error() {
    let mut pair = Pair::new();
    let s = pair.session(Who::A);
    let via_track = s
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    let via_transceiver = s
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    s.close();
    for id in [via_track, via_transceiver] {
        let err = s.remove_track(id).unwrap_err();
        assert!(err.to_string().contains("InvalidStateError"), "{err}");
    }
    let err = pair.session(Who::B).remove_track(via_track).unwrap_err();
    assert!(matches!(err, Error::UnknownTransceiver(_)), "{err}");
}

// ---- RTCPeerConnection-onnegotiationneeded.html ------------------------------------------

fn nn(events: &[Event]) -> usize {
    count(events, &Event::NegotiationNeeded)
}

// #53
#[test]
fn creating_first_data_channel_should_fire_negotiationneeded_event() {
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #54
#[test]
fn calling_create_data_channel_twice_should_fire_negotiationneeded_event_once() {
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    pair.session(Who::A).create_data_channel("b").unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #55: addTransceiver fires once; twice fires once; with createDataChannel fires once.
#[test]
fn add_transceiver_should_fire_negotiationneeded_event() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A).create_data_channel("a").unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// #56
#[test]
fn negotiationneeded_event_should_not_fire_if_signaling_state_is_not_stable() {
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.a.take_events();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(
        pair.a.session.signaling_state(),
        SignalingState::HaveLocalOffer
    );
    assert_eq!(nn(&pair.a.take_events()), 0);
}

// #57: fires only once the state is back to stable, after SRD(answer) or SLD(answer).
#[test]
fn negotiationneeded_event_should_fire_only_after_signaling_state_go_back_to_stable_after_set_remote_description()
 {
    // After setRemoteDescription(answer) (we offered).
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.a.take_events();
    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    assert_eq!(
        nn(&pair.a.take_events()),
        0,
        "in flight: still have-local-offer"
    );
    pair.flush().unwrap();
    let events = pair.a.take_events();
    let stable = events
        .iter()
        .position(|e| *e == Event::SignalingStateChange(SignalingState::Stable))
        .unwrap();
    let fired = events
        .iter()
        .position(|e| *e == Event::NegotiationNeeded)
        .unwrap();
    assert!(
        fired > stable,
        "fired after the state went back to stable: {events:?}"
    );
    // After setLocalDescription(answer) (we answered).
    let mut pair = Pair::new();
    pair.session(Who::A).create_data_channel("a").unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    pair.session(Who::B)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(nn(&pair.b.take_events()), 0, "have-remote-offer");
    pair.send_answer(Who::B).unwrap();
    assert_eq!(nn(&pair.b.take_events()), 1);
}

// #58: removeTrack fires negotiationneeded on the caller, and on the callee (which answered).
#[test]
fn remove_track_should_cause_negotiationneeded_to_fire_on_the_caller() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A).remove_track(t1).unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let t2 = pair
        .session(Who::B)
        .add_track(TrackKind::Audio, TrackId::from("b"), vec![])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.b.take_events();
    pair.session(Who::B).remove_track(t2).unwrap();
    assert_eq!(nn(&pair.b.take_events()), 1);
}

// #59: a direction change fires negotiationneeded. (setStreams: tacet sets streams at
// addTrack/addTransceiver; a streams change after that is not part of the session API yet.)
#[test]
fn updating_the_direction_of_the_transceiver_should_cause_negotiationneeded_to_fire() {
    let (mut pair, t1, _) = negotiated(TrackKind::Audio);
    pair.session(Who::A)
        .set_direction(t1, Direction::RecvOnly)
        .unwrap();
    assert_eq!(nn(&pair.a.take_events()), 1);
}

// ---- RTCRtpTransceiver-direction.html -----------------------------------------------------

// #60
#[test]
fn setting_direction_should_change_transceiver_direction() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::SendRecv
    );
    pair.session(Who::A)
        .set_direction(t, Direction::RecvOnly)
        .unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::RecvOnly
    );
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().current_direction(),
        None
    );
}

// #61
#[test]
fn setting_direction_with_same_direction_should_have_no_effect() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(Direction::SendOnly))
        .unwrap();
    pair.a.take_events();
    let before = pair.a.session.clone();
    pair.session(Who::A)
        .set_direction(t, Direction::SendOnly)
        .unwrap();
    assert_eq!(pair.a.session, before);
}

// #62
#[test]
fn setting_direction_should_change_transceiver_direction_independent_of_transceiver_current_direction()
 {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, init(Direction::RecvOnly))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().current_direction(),
        Some(TransceiverDirection::Inactive),
        "pc2 has nothing to send"
    );
    pair.session(Who::A)
        .set_direction(t, Direction::SendRecv)
        .unwrap();
    let t = pair.a.session.transceiver(t).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::SendRecv);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Inactive));
}

// ---- protocol/bundle.https.html ------------------------------------------------------------

// #74: a bundle-only m-section without transport attributes is accepted.
#[test]
fn s_rd_offer_works_with_no_transport_attributes_in_a_bundle_only_m_section() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let mut offer = pair.session(Who::A).create_offer().unwrap();
    // RFC 8843-style: the second section bundle-only, port 0, no ICE/DTLS lines.
    let video = &mut offer.media[1];
    video.port = 0;
    video.attributes.retain(|a| {
        !matches!(
            a,
            tacet_sdp::Attribute::IceUfrag(_)
                | tacet_sdp::Attribute::IcePwd(_)
                | tacet_sdp::Attribute::IceOptions(_)
                | tacet_sdp::Attribute::Fingerprint(_)
                | tacet_sdp::Attribute::Setup(_)
                | tacet_sdp::Attribute::Candidate(_)
        )
    });
    video.attributes.push(tacet_sdp::Attribute::BundleOnly);
    let text = offer.write();
    pair.deliver_text(Who::B, SdpType::Offer, &text).unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 2);
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert!(
        !answer.media[1].is_rejected(),
        "bundle-only is not a rejection"
    );
}

// ---- rollback cases the explicit rollback of this engine covers ---------------------------

// #30: rollback reverts neither a direction change, nor replaceTrack, nor stop().
#[test]
fn check_local_rollback() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A)
        .set_direction(t, Direction::RecvOnly)
        .unwrap();
    pair.session(Who::A)
        .replace_track(t, Some(TrackId::from("b")))
        .unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    let tr = pair.a.session.transceiver(t).unwrap();
    assert_eq!(tr.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(tr.sender().track(), Some(&TrackId::from("b")));
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A).stop_transceiver(t).unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::Stopped
    );
    assert!(pair.a.session.transceiver(t).unwrap().is_stopping());
}

// #31: SLD(offer) + rollback; an incoming video offer then creates a new recvonly transceiver
// and the audio one stays unassociated.
#[test]
fn check_rollback_and_set_remote_offer_with_different_type() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    pair.session(Who::B)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::B).unwrap();
    pair.flush().unwrap();
    let a = &pair.a.session;
    assert_eq!(a.transceivers().count(), 2);
    assert!(a.transceiver(audio).unwrap().mid().is_none());
    let video = a
        .transceivers()
        .find(|t| t.kind() == TrackKind::Video)
        .unwrap();
    assert_eq!(video.direction(), TransceiverDirection::RecvOnly);
    assert!(video.mid().is_some());
}

// #43: SLD(rollback) unsets the mid SLD(offer) set.
#[test]
fn set_local_description_rollback_should_unset_transceiver_mid() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().mid().is_some());
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().mid().is_none());
}

// #44: only the mids associated in the rolled-back round are unset.
#[test]
fn set_local_description_rollback_should_only_unset_transceiver_mids_associated_with_current_round()
{
    let mut pair = Pair::new();
    let first = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let second = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    assert!(pair.a.session.transceiver(second).unwrap().mid().is_some());
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert!(pair.a.session.transceiver(first).unwrap().mid().is_some());
    assert!(pair.a.session.transceiver(second).unwrap().mid().is_none());
}

// #45: SRD(rollback) removes the transceiver the rolled-back remote offer created.
#[test]
fn set_remote_description_rollback_should_remove_newly_created_transceiver_from_transceiver_list() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 1);
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 0);
    assert_eq!(pair.b.session.signaling_state(), SignalingState::Stable);
}
