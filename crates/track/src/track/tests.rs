//! Hand-written expectations, each citing its rule, plus a property test over random inputs.

use proptest::prelude::*;

use super::*;

fn drain(track: &mut Track) -> Vec<TrackEvent> {
    std::iter::from_fn(|| track.poll_event()).collect()
}

// GUM §MediaStreamTrack › stop, steps 1-3: "set [[ReadyState]] to ended"; no event is fired.
#[test]
fn stop_ends_the_track_without_an_ended_event() {
    let mut track = Track::new(TrackKind::Audio, "a");
    assert_eq!(track.stop(), Outcome::Applied);
    assert_eq!(track.ready_state(), ReadyState::Ended);
    assert_eq!(track.end_reason(), Some(EndReason::StopCalled));
    assert_eq!(drain(&mut track), []);
}

// GUM §MediaStreamTrack › stop, step 1: "If [[ReadyState]] is ended, abort these steps".
#[test]
fn stop_is_idempotent() {
    let mut track = Track::new(TrackKind::Video, "v");
    let _ = track.stop();
    let before = track.clone();
    assert_eq!(track.stop(), Outcome::Unchanged);
    assert_eq!(track, before);
}

// Deviation policy (decisions.md §2): aiortc `MediaStreamTrack.stop` emits "ended".
#[test]
fn emit_on_stop_policy_fires_ended_once() {
    let mut track = Track::new(TrackKind::Audio, "a").with_ended_policy(EndedPolicy::EmitOnStop);
    let _ = track.stop();
    let _ = track.stop();
    assert_eq!(
        drain(&mut track),
        [TrackEvent::Ended(EndReason::StopCalled)]
    );
}

// GUM "track ended by the User agent" (ends-nostop): set ended, then fire `ended`.
#[test]
fn every_end_cause_fires_ended_exactly_once_with_its_reason() {
    for cause in [
        EndCause::SourceEnded,
        EndCause::RemoteRejected,
        EndCause::TransceiverStopped,
        EndCause::PeerConnectionClosed,
        EndCause::RollbackRemoved,
        EndCause::LocallyRejected,
    ] {
        let mut track = Track::new_receiver(TrackKind::Video, "r");
        assert_eq!(track.end(cause), Outcome::Applied);
        assert_eq!(track.end(EndCause::SourceEnded), Outcome::Unchanged);
        assert_eq!(track.end_reason(), Some(EndReason::Ended(cause)));
        assert_eq!(
            drain(&mut track),
            [TrackEvent::Ended(EndReason::Ended(cause))]
        );
    }
}

// GUM ends-nostop step 1: "If the track's [[ReadyState]] is ended, abort" — a track stopped
// locally and then ended by the user agent fires nothing and keeps its first reason.
#[test]
fn end_after_stop_fires_nothing() {
    let mut track = Track::new(TrackKind::Audio, "a");
    let _ = track.stop();
    assert_eq!(track.end(EndCause::RemoteRejected), Outcome::Unchanged);
    assert_eq!(track.end_reason(), Some(EndReason::StopCalled));
    assert_eq!(drain(&mut track), []);
}

// webrtc-pc "stop sending and receiving" with disappear=true does not run the ended steps.
#[test]
fn end_without_event_is_silent_and_terminal() {
    let mut track = Track::new_receiver(TrackKind::Audio, "r");
    assert_eq!(
        track.end_without_event(EndCause::PeerConnectionClosed),
        Outcome::Applied
    );
    assert_eq!(track.ready_state(), ReadyState::Ended);
    assert_eq!(track.end(EndCause::SourceEnded), Outcome::Unchanged);
    assert_eq!(drain(&mut track), []);
}

// webrtc-pc "create an RTCRtpReceiver": the receiver track starts muted.
#[test]
fn receiver_tracks_start_muted_and_local_tracks_do_not() {
    assert!(Track::new_receiver(TrackKind::Video, "r").muted());
    assert!(!Track::new(TrackKind::Video, "l").muted());
}

// GUM "set a track's muted state": an event only when the value changes.
#[test]
fn mute_and_unmute_fire_on_change_only() {
    let mut track = Track::new_receiver(TrackKind::Video, "r");
    assert_eq!(track.set_muted(true), Outcome::Unchanged);
    assert_eq!(track.set_muted(false), Outcome::Applied);
    assert_eq!(track.set_muted(false), Outcome::Unchanged);
    assert_eq!(track.set_muted(true), Outcome::Applied);
    assert_eq!(drain(&mut track), [TrackEvent::Unmuted, TrackEvent::Muted]);
}

// stop-semantics §6 item 17 / §1.9: once ended, a late `mute` (queued by the same
// setRemoteDescription that ended the track) is ignored: no events after `ended`.
#[test]
fn mute_after_ended_is_ignored_and_value_is_frozen() {
    let mut track = Track::new_receiver(TrackKind::Audio, "r");
    let _ = track.set_muted(false);
    let _ = track.end(EndCause::RemoteRejected);
    assert_eq!(track.set_muted(true), Outcome::Unchanged);
    assert!(!track.muted());
    assert_eq!(
        drain(&mut track),
        [
            TrackEvent::Unmuted,
            TrackEvent::Ended(EndReason::Ended(EndCause::RemoteRejected))
        ]
    );
}

// GUM: `enabled` remains settable after the track ended; it has no effect and fires nothing.
#[test]
fn enabled_stays_settable_after_ended() {
    let mut track = Track::new(TrackKind::Video, "v");
    let _ = track.stop();
    assert_eq!(track.set_enabled(false), Outcome::Applied);
    assert!(!track.enabled());
    assert_eq!(drain(&mut track), []);
}

// GUM §Life-cycle: "a clone of an ended track is ended"; clone copies muted and enabled.
#[test]
fn clone_of_an_ended_track_is_ended() {
    let mut track = Track::new_receiver(TrackKind::Video, "r");
    let _ = track.set_enabled(false);
    let _ = track.end(EndCause::TransceiverStopped);
    let mut clone = track.clone_track("r2");
    assert_eq!(clone.id().as_str(), "r2");
    assert_eq!(clone.ready_state(), ReadyState::Ended);
    assert_eq!(clone.end_reason(), track.end_reason());
    assert!(clone.muted());
    assert!(!clone.enabled());
    // The clone never fires: it was born ended.
    assert_eq!(clone.end(EndCause::SourceEnded), Outcome::Unchanged);
    assert_eq!(drain(&mut clone), []);
}

#[test]
fn clone_of_a_live_track_is_live_and_independent() {
    let track = Track::new(TrackKind::Audio, "a");
    let mut clone = track.clone_track("b");
    let _ = clone.stop();
    assert_eq!(track.ready_state(), ReadyState::Live);
    assert_eq!(clone.ready_state(), ReadyState::Ended);
}

#[derive(Clone, Debug)]
enum Op {
    Stop,
    End(EndCause),
    EndSilently(EndCause),
    Mute(bool),
    Enable(bool),
    Poll,
}

fn op() -> impl Strategy<Value = Op> {
    let cause = prop_oneof![
        Just(EndCause::SourceEnded),
        Just(EndCause::RemoteRejected),
        Just(EndCause::TransceiverStopped),
        Just(EndCause::PeerConnectionClosed),
        Just(EndCause::RollbackRemoved),
    ];
    prop_oneof![
        Just(Op::Stop),
        cause.clone().prop_map(Op::End),
        cause.prop_map(Op::EndSilently),
        any::<bool>().prop_map(Op::Mute),
        any::<bool>().prop_map(Op::Enable),
        Just(Op::Poll),
    ]
}

proptest! {
    // Invariants over any input sequence: `ended` is the last event and fires at most once;
    // ended is terminal; the reason never changes once set; under the spec policy `stop()`
    // alone never produces `ended`.
    #[test]
    fn ended_is_terminal_and_fires_at_most_once(
        ops in proptest::collection::vec(op(), 0..40),
        policy in prop_oneof![Just(EndedPolicy::Spec), Just(EndedPolicy::EmitOnStop)],
    ) {
        let mut track = Track::new_receiver(TrackKind::Video, "t").with_ended_policy(policy);
        let mut fired = Vec::new();
        let mut first_reason = None;
        for op in ops {
            let was_ended = track.ready_state() == ReadyState::Ended;
            match op {
                Op::Stop => { let _ = track.stop(); }
                Op::End(c) => { let _ = track.end(c); }
                Op::EndSilently(c) => { let _ = track.end_without_event(c); }
                Op::Mute(m) => { let _ = track.set_muted(m); }
                Op::Enable(e) => { let _ = track.set_enabled(e); }
                Op::Poll => fired.extend(track.poll_event()),
            }
            if was_ended {
                prop_assert_eq!(track.ready_state(), ReadyState::Ended);
                prop_assert_eq!(track.end_reason(), first_reason);
            }
            if first_reason.is_none() {
                first_reason = track.end_reason();
            }
        }
        fired.extend(std::iter::from_fn(|| track.poll_event()));
        let ended: Vec<_> = fired.iter().filter(|e| matches!(e, TrackEvent::Ended(_))).collect();
        prop_assert!(ended.len() <= 1);
        if let Some(pos) = fired.iter().position(|e| matches!(e, TrackEvent::Ended(_))) {
            prop_assert_eq!(pos, fired.len() - 1, "no event after ended: {:?}", fired);
        }
        if policy == EndedPolicy::Spec {
            prop_assert!(!fired.contains(&TrackEvent::Ended(EndReason::StopCalled)));
        }
    }
}
