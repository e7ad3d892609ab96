//! Hand-written expectations from the spec, each citing its rule (stop-semantics.md §1.2-§1.8,
//! §6). The exhaustive snapshot (`tests/table_snapshot.rs`) records everything; these say what
//! the important rows must be and why.

use super::*;
use crate::stop_table::Negotiation;
use crate::{Blocker, Fault, InputKind};

use DescriptionKind::{Answer, Offer, Pranswer};
use Direction::{Inactive, RecvOnly, SendOnly, SendRecv};

fn drain(t: &mut Transceiver) -> Vec<Effect> {
    std::iter::from_fn(|| t.poll_effect()).collect()
}

fn local(kind: DescriptionKind, section: Section) -> Input {
    Input::LocalDescription { kind, section }
}

fn remote(kind: DescriptionKind, section: Section) -> Input {
    Input::RemoteDescription { kind, section }
}

/// A transceiver negotiated as offerer: local offer `ours`, remote answer `theirs`, mid "0".
fn negotiated(ours: Direction, theirs: Direction) -> Transceiver {
    let mut t = Transceiver::new(ours);
    t.handle(local(Offer, Section::live("0", ours))).unwrap();
    t.handle(remote(Answer, Section::live("0", theirs)))
        .unwrap();
    drain(&mut t);
    t
}

fn stop_effects(cause: StopCause, fire_event: bool) -> [Effect; 4] {
    [
        Effect::StopSending,
        Effect::SendRtcpBye,
        Effect::StopReceiving,
        Effect::EndReceiverTrack { cause, fire_event },
    ]
}

/// Asserts `input` is refused with InvalidStateError and changes nothing.
fn assert_invalid_state(t: &mut Transceiver, input: Input, blocker: Blocker) {
    let before = t.clone();
    let kind = input.kind();
    let err = t.handle(input).unwrap_err();
    assert!(
        matches!(err, Error::InvalidState { operation, blocker: b, .. } if operation == kind && b == blocker),
        "{err:?}"
    );
    assert_eq!(err.fault(), Fault::Caller);
    assert_eq!(*t, before, "a refused input changes nothing");
}

// ---- §1.1 initial slots -------------------------------------------------------------------

// webrtc-pc "create an RTCRtpTransceiver": [[Stopping]] = [[Stopped]] = false,
// [[Receptive]] = false, [[CurrentDirection]] = [[FiredDirection]] = null, [[Mid]] = null.
#[test]
fn a_new_transceiver_has_the_initial_slots() {
    let t = Transceiver::new(SendOnly);
    assert_eq!(t.direction(), TransceiverDirection::SendOnly);
    assert_eq!(t.current_direction(), None);
    assert_eq!(t.fired_direction(), None);
    assert!(!t.receptive() && !t.is_stopping() && !t.is_stopped());
    assert_eq!(t.mid(), None);
    assert!(t.reusable_by_add_track());
}

// ---- §1.2 getters and the direction setter ------------------------------------------------

// Direction getter: "stopped" if [[Stopping]]; currentDirection: "stopped" only if [[Stopped]].
#[test]
fn direction_reads_stopped_while_stopping_and_current_direction_once_stopped() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Stop).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::SendRecv));
    t.handle(remote(Offer, Section::rejected("0", SendRecv)))
        .unwrap();
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
}

// Direction setter step 1: [[Stopping]] -> InvalidStateError, checked before "same value".
#[test]
fn direction_setter_on_a_stopping_transceiver_throws_even_for_inactive() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    // [[Direction]] is now inactive, yet setting inactive still throws: step 1 comes first.
    assert_invalid_state(&mut t, Input::SetDirection(Inactive), Blocker::Stopping);
    assert_invalid_state(&mut t, Input::SetDirection(SendRecv), Blocker::Stopping);
}

// Direction setter step 2: same value -> return (no negotiation-needed update).
// WPT RTCRtpTransceiver-direction "setting direction with same direction should have no effect".
#[test]
fn setting_the_same_direction_is_a_no_op() {
    let mut t = Transceiver::new(SendRecv);
    let before = t.clone();
    t.handle(Input::SetDirection(SendRecv)).unwrap();
    assert_eq!(t, before);
}

// Direction setter steps 4-5; currentDirection unchanged (WPT "setting direction should change
// transceiver.direction independent of transceiver.currentDirection").
#[test]
fn setting_a_new_direction_updates_negotiation_needed_only() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::SetDirection(RecvOnly)).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::SendRecv));
    assert_eq!(drain(&mut t), [Effect::UpdateNegotiationNeeded]);
}

// Setter step 3 (newDirection "stopped" -> TypeError) cannot be reached: the setter takes a
// `Direction`, which has no "stopped" value. Documented, not tested (issue 2, guards).

// ---- §1.3 stop() --------------------------------------------------------------------------

// stop(): stop sending and receiving (BYE, stop receiving, end the receiver track with an
// event, [[Direction]] := inactive, [[Stopping]] := true), then update negotiation-needed.
#[test]
fn stop_stops_media_at_once_and_needs_negotiation() {
    let mut t = negotiated(SendRecv, SendRecv);
    assert!(t.may_send() && t.may_receive());
    t.handle(Input::Stop).unwrap();
    let mut expected = stop_effects(StopCause::TransceiverStopped, true).to_vec();
    expected.push(Effect::UpdateNegotiationNeeded);
    assert_eq!(drain(&mut t), expected);
    assert!(!t.may_send() && !t.may_receive());
    assert_eq!(t.desired_direction(), Inactive);
    assert!(t.is_stopping() && !t.is_stopped());
    // Negotiation-needed step 4a: stopping but not stopped always needs negotiation.
    assert_eq!(t.rules().negotiation, Negotiation::Needed);
    assert_eq!(
        t.mid(),
        Some(&Mid::from("0")),
        "the mid stays until removal"
    );
}

// stop() step 3: "If [[Stopping]] is true, abort these steps."
#[test]
fn stop_is_idempotent() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    let before = t.clone();
    t.handle(Input::Stop).unwrap();
    assert_eq!(t, before);
    // Also once stopped and once removed.
    t.handle(remote(Answer, Section::rejected("0", Inactive)))
        .unwrap();
    t.handle(Input::Stop).unwrap();
    t.handle(Input::AnswerApplied { rejected: true }).unwrap();
    drain(&mut t);
    t.handle(Input::Stop).unwrap();
    assert_eq!(drain(&mut t), []);
}

// stop() on a never-negotiated transceiver: same effects; the session decides the offer
// (stop-semantics §6 item 1). The BYE effect carries no SSRC there, so nothing goes out.
#[test]
fn stopping_a_never_negotiated_transceiver_stops_it_without_a_mid() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(Input::Stop).unwrap();
    assert_eq!(t.mid(), None);
    assert_eq!(t.rules().negotiation, Negotiation::Needed);
    assert!(
        !t.reusable_by_add_track(),
        "addTrack never reuses a stopping transceiver"
    );
}

// "Stop the RTCRtpTransceiver": a transceiver already stopping does not stop sending and
// receiving again, so its receiver track is not ended a second time (§1.3 consequence).
#[test]
fn a_stopping_transceiver_becomes_stopped_without_a_second_ended() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    t.handle(local(Offer, Section::rejected("0", Inactive)))
        .unwrap();
    t.handle(remote(Answer, Section::rejected("0", Inactive)))
        .unwrap();
    assert!(t.is_stopped());
    // "Process remote tracks" still runs (stream bookkeeping: removetrack); the mute it
    // implies lands on an already ended track and fires nothing. No stop effect repeats.
    assert_eq!(
        drain(&mut t),
        [Effect::RemoteTrackRemoved],
        "no second stop, no second ended"
    );
    assert!(!t.receptive());
    assert_eq!(
        t.negotiated_direction(),
        None,
        "[[CurrentDirection]] := null"
    );
}

// §1.3: the transceiver stays stopping "unless it becomes stopped by setRemoteDescription
// processing a rejected m-line"; a live answer (the offer predates the stop, §6 item 2) keeps
// it stopping, and it still needs negotiation.
#[test]
fn stop_in_have_local_offer_stays_stopping_when_the_answer_is_live() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(local(Offer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    t.handle(remote(Answer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(Input::AnswerApplied { rejected: false }).unwrap();
    assert_eq!(t.phase(), Phase::Stopping);
    assert_eq!(t.rules().negotiation, Negotiation::Needed);
    assert!(
        !t.may_send(),
        "nothing is sent after stop, whatever the answer says"
    );
    assert_eq!(drain(&mut t), [Effect::RemoteTrackAdded]);
}

// decisions.md §2 (webrtc-pc#2838): a transceiver stopped without a mid is dropped by the
// session (at the next local offer or the end of the next exchange); an associated one, or an
// active one, is not.
#[test]
fn drop_unassociated_removes_only_a_stopped_transceiver_without_a_mid() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(Input::DropUnassociated).unwrap();
    assert_eq!(t.phase(), Phase::Active, "active: kept");
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    t.handle(Input::DropUnassociated).unwrap();
    assert!(t.is_removed());
    assert_eq!(
        drain(&mut t),
        [Effect::Removed],
        "no second stop, no second ended"
    );

    let mut associated = negotiated(SendRecv, SendRecv);
    associated.handle(Input::Stop).unwrap();
    associated.handle(Input::DropUnassociated).unwrap();
    assert_eq!(
        associated.phase(),
        Phase::Stopping,
        "it has an m-line to negotiate"
    );
}

// ---- §1.4 what stopping blocks ------------------------------------------------------------

// replaceTrack / setParameters reject with InvalidStateError; insertDTMF throws.
#[test]
fn sender_operations_on_a_stopping_transceiver_throw_invalid_state() {
    let mut t = negotiated(SendRecv, SendRecv);
    for input in [Input::ReplaceTrack, Input::SetParameters, Input::InsertDtmf] {
        t.handle(input).unwrap();
    }
    t.handle(Input::Stop).unwrap();
    for input in [Input::ReplaceTrack, Input::SetParameters, Input::InsertDtmf] {
        assert_invalid_state(&mut t, input, Blocker::Stopping);
    }
    t.handle(remote(Offer, Section::rejected("0", Inactive)))
        .unwrap();
    assert_invalid_state(&mut t, Input::ReplaceTrack, Blocker::Stopped);
}

// removeTrack: "If transceiver.[[Stopping]] is true, abort these steps" (WPT "Calling
// removeTrack on a stopped transceiver should be a no-op").
#[test]
fn remove_track_on_a_stopping_transceiver_is_a_no_op() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    let before = t.clone();
    t.handle(Input::RemoveTrack).unwrap();
    assert_eq!(t, before);
}

// addTrack reuse: only if not stopping and [[CurrentDirection]] was never sendrecv/sendonly.
#[test]
fn add_track_reuse_follows_the_sender_reuse_rule() {
    // A remote-offer-created recvonly transceiver that never sent: reusable, gains send.
    let mut t = Transceiver::new(RecvOnly);
    t.handle(remote(Offer, Section::live("0", SendOnly)))
        .unwrap();
    t.handle(local(Answer, Section::live("0", RecvOnly)))
        .unwrap();
    drain(&mut t);
    t.handle(Input::AddTrack).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::SendRecv);
    assert_eq!(drain(&mut t), [Effect::UpdateNegotiationNeeded]);
    // Inactive -> sendonly.
    let mut t = Transceiver::new(Inactive);
    t.handle(Input::AddTrack).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::SendOnly);

    // Once it has sent, never again — even after the direction went back to recvonly.
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::RemoveTrack).unwrap();
    let before = t.clone();
    let err = t.handle(Input::AddTrack).unwrap_err();
    assert!(matches!(err, Error::NotReusable { .. }));
    assert_eq!(t, before);
    // Stopping: refused as InvalidState.
    t.handle(Input::Stop).unwrap();
    assert_invalid_state(&mut t, Input::AddTrack, Blocker::Stopping);
}

// ---- §1.5 removeTrack vs direction vs stop ------------------------------------------------

// removeTrack: sendrecv -> recvonly, sendonly -> inactive, others unchanged; negotiation
// needed either way (WPT removeTrack tests 47-50).
#[test]
fn remove_track_drops_the_send_bit() {
    for (from, to) in [
        (SendRecv, RecvOnly),
        (SendOnly, Inactive),
        (RecvOnly, RecvOnly),
        (Inactive, Inactive),
    ] {
        let mut t = negotiated(from, from.reverse());
        t.handle(Input::RemoveTrack).unwrap();
        assert_eq!(t.direction(), to.into());
        assert_eq!(
            t.current_direction(),
            Some(from.into()),
            "currentDirection unchanged"
        );
        assert_eq!(drain(&mut t), [Effect::UpdateNegotiationNeeded]);
    }
}

// The remote peer going inactive mutes (removal of a remote track), never ends; it is
// reversible (WPT remote-track-mute "Changing transceiver direction to 'inactive' mutes the
// remote track" / "... to 'sendrecv' unmutes").
#[test]
fn a_remote_direction_without_send_mutes_and_is_reversible() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(remote(Offer, Section::live("0", Inactive)))
        .unwrap();
    t.handle(local(Answer, Section::live("0", Inactive)))
        .unwrap();
    assert_eq!(drain(&mut t), [Effect::RemoteTrackRemoved]);
    assert!(!t.receptive());
    assert_eq!(t.phase(), Phase::Active);
    t.handle(remote(Offer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(local(Answer, Section::live("0", SendRecv)))
        .unwrap();
    assert_eq!(drain(&mut t), [Effect::RemoteTrackAdded]);
    assert!(t.receptive());
    t.handle(Input::RtpReceived).unwrap();
    assert_eq!(drain(&mut t), [Effect::UnmuteReceiverTrack]);
}

// ---- §1.6 set the session description ----------------------------------------------------

// Remote branch step 6: a rejected m-section in a remote **offer** stops the transceiver at
// once — the receiver track ends before any answer (WPT "Remotely stopping a transceiver ends
// the track", "Remotely stopped transceiver goes directly to stopped").
#[test]
fn a_remote_offer_with_port_zero_stops_directly_and_ends_the_track() {
    let mut t = Transceiver::new(RecvOnly);
    t.handle(remote(Offer, Section::live("0", SendOnly)))
        .unwrap();
    t.handle(local(Answer, Section::live("0", RecvOnly)))
        .unwrap();
    drain(&mut t);
    t.handle(remote(Offer, Section::rejected("0", SendOnly)))
        .unwrap();
    let mut expected = vec![Effect::RemoteTrackRemoved];
    expected.extend(stop_effects(StopCause::RemoteRejected, true));
    assert_eq!(drain(&mut t), expected);
    assert_eq!(t.phase(), Phase::Stopped);
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
    assert_eq!(t.mid(), Some(&Mid::from("0")), "mid stays until the answer");
    // Our answer rejects it (the session writes port 0); then it is removed.
    t.handle(local(Answer, Section::rejected("0", Inactive)))
        .unwrap();
    t.handle(Input::AnswerApplied { rejected: true }).unwrap();
    assert_eq!(drain(&mut t), [Effect::Removed]);
    assert_eq!(t.mid(), None);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
}

// Remote branch step 6 applies to answers too (§6 item 5).
#[test]
fn a_remote_answer_with_port_zero_stops_and_removes() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(local(Offer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(remote(Answer, Section::rejected("0", Inactive)))
        .unwrap();
    assert_eq!(drain(&mut t), stop_effects(StopCause::RemoteRejected, true));
    t.handle(Input::AnswerApplied { rejected: true }).unwrap();
    assert!(t.is_removed());
}

// tacet (webrtc-pc#2927; Chromium does the same): an applied local *answer* that rejects the
// m-section (e.g. no codec in common) stops the transceiver like a remote rejection, so it is
// removed once the answer is applied instead of staying active on a rejected m-line.
#[test]
fn an_applied_local_answer_that_rejects_the_section_stops_it() {
    let mut t = Transceiver::new(RecvOnly);
    t.handle(remote(Offer, Section::live("0", SendRecv)))
        .unwrap();
    let _ = drain(&mut t);
    t.handle(local(Answer, Section::rejected("0", Inactive)))
        .unwrap();
    assert_eq!(t.phase(), Phase::Stopped);
    assert_eq!(t.stop_cause(), Some(StopCause::LocallyRejected));
    assert_eq!(
        drain(&mut t),
        [
            Effect::RemoteTrackRemoved,
            Effect::StopSending,
            Effect::SendRtcpBye,
            Effect::StopReceiving,
            Effect::EndReceiverTrack {
                cause: StopCause::LocallyRejected,
                fire_event: true,
            },
        ]
    );
    t.handle(Input::AnswerApplied { rejected: true }).unwrap();
    assert!(t.is_removed());
}

// A local *offer* never stops: the only sections an offer rejects belong to transceivers that
// are stopping already (or to none). (A local *answer* that rejects does stop: tacet's reading of
// webrtc-pc#2927, docs/stop-semantics.md §4.2.)
// spec: 1.6a
#[test]
fn a_local_offer_with_a_rejected_section_does_not_stop() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(local(Offer, Section::rejected("0", Inactive)))
        .unwrap();
    assert_eq!(t.phase(), Phase::Active);
    assert_eq!(t.stop_cause(), None);
}

// Removal after an answer needs stopped + associated + rejected; a pranswer removes nothing
// (only "answer" runs the removal step) and a pranswer sets currentDirection.
#[test]
fn pranswer_sets_current_direction_and_removes_nothing() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(local(Offer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(remote(Pranswer, Section::live("0", RecvOnly)))
        .unwrap();
    assert_eq!(t.current_direction(), Some(TransceiverDirection::SendOnly));
    // A stopped transceiver that was never associated is not removed by an answer.
    let mut never = Transceiver::new(SendRecv);
    never.handle(Input::Close { disappear: true }).unwrap();
    let mut stopped = Transceiver::new(SendRecv);
    stopped
        .handle(remote(Offer, Section::rejected("1", SendRecv)))
        .unwrap();
    stopped.handle(Input::Recycled).unwrap();
    stopped
        .handle(Input::AnswerApplied { rejected: true })
        .unwrap();
    assert_eq!(
        stopped.phase(),
        Phase::Stopped,
        "disassociated: not removed"
    );
}

// A description cannot move an associated transceiver to another mid.
#[test]
fn a_different_mid_for_an_associated_transceiver_is_refused_unchanged() {
    let mut t = negotiated(SendRecv, SendRecv);
    let before = t.clone();
    let err = t
        .handle(remote(Offer, Section::rejected("7", SendRecv)))
        .unwrap_err();
    assert!(matches!(err, Error::MidMismatch { .. }));
    assert_eq!(err.rule(), crate::rule::MID_STABLE);
    assert_eq!(t, before, "not stopped: the refusal came before any change");
}

// Rollback: a transceiver created by the rolled-back remote offer is stopped (track ended)
// and removed; it reads direction and currentDirection "stopped" and mid null (WPT
// "Rollback when removing transceiver does end the track" / "... makes it stopped").
#[test]
fn rollback_remove_stops_ends_the_track_and_removes() {
    let mut t = Transceiver::new(RecvOnly);
    t.handle(remote(Offer, Section::live("0", SendRecv)))
        .unwrap();
    assert_eq!(drain(&mut t), [Effect::RemoteTrackAdded]);
    t.handle(Input::Rollback {
        action: RollbackAction::Remove,
        remote_offer: true,
    })
    .unwrap();
    let mut expected = vec![Effect::RemoteTrackRemoved];
    expected.extend(stop_effects(StopCause::RollbackRemoved, true));
    expected.push(Effect::Removed);
    assert_eq!(drain(&mut t), expected);
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
    assert_eq!(t.mid(), None);
}

// Rollback never un-stops (WPT checkLocalRollback: "stop() is not rolled back"; §6 item 6),
// and a rollback that keeps the transceiver does not end its track (WPT "Rollback when
// transceiver is not removed does not end track").
#[test]
fn rollback_disassociates_but_never_undoes_a_stop() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(local(Offer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(Input::Rollback {
        action: RollbackAction::Disassociate,
        remote_offer: false,
    })
    .unwrap();
    assert_eq!(t.mid(), None);
    assert_eq!(drain(&mut t), [], "the receiver track is not ended");

    t.handle(local(Offer, Section::live("0", SendRecv)))
        .unwrap();
    t.handle(Input::Stop).unwrap();
    t.handle(Input::Rollback {
        action: RollbackAction::Disassociate,
        remote_offer: false,
    })
    .unwrap();
    assert_eq!(t.phase(), Phase::Stopping);
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
}

// RFC 9429 §5.10: recycling disassociates the old transceiver.
#[test]
fn recycling_disassociates_the_old_transceiver() {
    let mut t = Transceiver::new(SendRecv);
    t.handle(remote(Offer, Section::rejected("0", SendRecv)))
        .unwrap();
    t.handle(Input::Recycled).unwrap();
    assert_eq!(t.mid(), None);
    assert!(t.is_stopped());
}

// ---- §1.8 close() -------------------------------------------------------------------------

// close the connection: every transceiver not stopped is stopped with disappear=false (its
// receiver track ends with an event); currentDirection reads "stopped"; then stop() throws
// InvalidStateError even though the transceiver is already stopped (stop() step 2 comes
// before step 3; WPT checkStopAfterClose).
#[test]
fn close_stops_everything_and_then_stop_throws() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Close { disappear: false }).unwrap();
    assert_eq!(
        drain(&mut t),
        stop_effects(StopCause::PeerConnectionClosed, true)
    );
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
    assert_invalid_state(&mut t, Input::Stop, Blocker::ConnectionClosed);
    assert_invalid_state(&mut t, Input::RemoveTrack, Blocker::ConnectionClosed);
    // A second close is a no-op.
    let before = t.clone();
    t.handle(Input::Close { disappear: false }).unwrap();
    assert_eq!(t, before);
}

// A stopping transceiver is stopped by close without a second ended; a stopped one only
// learns the connection closed.
#[test]
fn close_of_stopping_and_stopped_transceivers_ends_nothing_twice() {
    let mut stopping = negotiated(SendRecv, SendRecv);
    stopping.handle(Input::Stop).unwrap();
    drain(&mut stopping);
    stopping.handle(Input::Close { disappear: false }).unwrap();
    assert_eq!(drain(&mut stopping), []);
    assert!(stopping.is_stopped());
    assert_eq!(stopping.connection(), Connection::Closed);
    assert_invalid_state(&mut stopping, Input::Stop, Blocker::ConnectionClosed);
}

// disappear=true: "If disappear is false, run the steps for the track to be ended" — so no
// `ended` event on the garbage-collection path.
#[test]
fn close_with_disappear_ends_the_receiver_track_silently() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::Close { disappear: true }).unwrap();
    assert_eq!(
        drain(&mut t),
        stop_effects(StopCause::PeerConnectionClosed, false)
    );
}

// ---- §1.9 remote media facts --------------------------------------------------------------

// RTCP BYE -> mute, not ended; RTP unmutes only while receptive.
#[test]
fn bye_mutes_and_rtp_unmutes_only_when_receptive() {
    let mut t = negotiated(SendRecv, SendRecv);
    t.handle(Input::RtcpByeReceived).unwrap();
    assert_eq!(drain(&mut t), [Effect::MuteReceiverTrack]);
    assert_eq!(t.phase(), Phase::Active);
    let mut sendonly = negotiated(SendOnly, RecvOnly);
    sendonly.handle(Input::RtpReceived).unwrap();
    assert_eq!(drain(&mut sendonly), [], "not receptive");
    t.handle(Input::Stop).unwrap();
    drain(&mut t);
    t.handle(Input::RtpReceived).unwrap();
    t.handle(Input::RtcpByeReceived).unwrap();
    assert_eq!(drain(&mut t), [], "a stopped receiver receives nothing");
}

// The table covers every (phase, input) pair and refuses only with InvalidStateError.
#[test]
fn closed_connection_refuses_every_api_call() {
    for input in InputKind::ALL {
        let rule = table::rule(Phase::Stopped, Connection::Closed, input);
        match input {
            InputKind::Close | InputKind::RtpReceived | InputKind::RtcpByeReceived => {
                assert_eq!(rule, Rule::Ignore);
            }
            _ => assert!(matches!(rule, Rule::Refuse(_)), "{input}: {rule}"),
        }
    }
}
