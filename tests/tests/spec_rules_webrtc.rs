//! Focused tests for the webrtc-pc rules of the stop-semantics reference (§1) that no scenario
//! or WPT-mirroring test verified on its own: one behaviour per test, named after it, citing
//! the rule ids it checks (`cargo xtask spec` lists them in docs/spec.md).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{
    DomException, Effect, Error, Event, Session, SignalingState, TransceiverId, TransceiverInit,
};
use tacet_tests::find::transceiver_by_mid;
use tacet_tests::pair::{Pair, Peer, Who};
use tacet_track::{EndCause, EndReason, ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::table::Phase;
use tacet_transceiver_fsm::{
    Blocker, Direction, Error as FsmError, Input, Transceiver, TransceiverDirection,
};

/// A: audio (mid 0), video (mid 1) with tracks in stream "s", and a data channel; negotiated
/// once, queues drained. Returns A's audio and video and B's audio and video.
fn connected() -> (Pair, [TransceiverId; 2], [TransceiverId; 2]) {
    let mut pair = Pair::new();
    let (audio, video) = pair.add_audio_video_data(Who::A);
    pair.negotiate(Who::A).unwrap();
    let b_audio = transceiver_by_mid(&pair.b.session, "0");
    let b_video = transceiver_by_mid(&pair.b.session, "1");
    for peer in [&mut pair.a, &mut pair.b] {
        peer.take_events();
        peer.take_effects();
    }
    (pair, [audio, video], [b_audio, b_video])
}

fn ended_events(events: &[Event], id: TransceiverId) -> Vec<EndReason> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::TrackEnded {
                transceiver,
                reason,
            } if *transceiver == id => Some(*reason),
            _ => None,
        })
        .collect()
}

fn is_invalid_state(err: &Error) -> bool {
    err.to_string().starts_with("InvalidStateError")
        || matches!(
            err,
            Error::Transceiver {
                source: FsmError::InvalidState { .. },
                ..
            }
        )
}

// "Create an RTCRtpTransceiver": every direction given to addTransceiver is [[Direction]] as
// is; the transceiver is neither stopping nor stopped, has no mid and no currentDirection, and
// is not receptive (RTP arriving now does not unmute its track).
// spec: 1.1a
#[test]
fn a_new_transceiver_is_active_unassociated_and_not_receptive() {
    let mut pair = Pair::new();
    for direction in Direction::ALL {
        let id = pair
            .session(Who::A)
            .add_transceiver(
                TrackKind::Audio,
                TransceiverInit {
                    direction,
                    streams: Vec::new(),
                },
            )
            .unwrap();
        pair.session(Who::A)
            .transceiver_mut(id)
            .and_then(|mut t| t.rtp_received())
            .unwrap();
        let t = pair.a.session.transceiver(id).unwrap();
        assert_eq!(t.phase(), Phase::Active);
        assert!(!t.is_stopping() && !t.is_stopped());
        assert_eq!(t.desired_direction(), direction);
        assert_eq!(t.direction(), TransceiverDirection::from(direction));
        assert_eq!(t.current_direction(), None);
        assert_eq!(t.mid(), None);
        assert!(!t.internals().receptive);
        assert!(
            t.receiver().track().muted(),
            "not receptive: RTP cannot unmute"
        );
    }
    // addTrack's new transceiver likewise, sendrecv.
    let id = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    let t = pair.a.session.transceiver(id).unwrap();
    assert_eq!(t.desired_direction(), Direction::SendRecv);
    assert!(t.mid().is_none() && t.current_direction().is_none() && !t.is_stopping());
}

// The direction setter, step by step: the same value changes nothing (no event, not even a
// negotiation-needed update); a new value is set and raises negotiation-needed; "stopped" is
// not a direction (the setter's type cannot carry it, and the text does not parse: JavaScript's
// TypeError); once stopping every value — the current `inactive` included, since the stopping
// check comes first — is an InvalidStateError that changes nothing.
// spec: 1.2b, 6.15
#[test]
fn the_direction_setter_ignores_the_same_value_and_refuses_once_stopping() {
    let (mut pair, [audio, _], _) = connected();
    let before = pair.a.session.clone();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_direction(Direction::SendRecv))
        .unwrap();
    assert_eq!(pair.a.session, before, "the same value is a no-op");

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_direction(Direction::RecvOnly))
        .unwrap();
    let t = pair.a.session.transceiver(audio).unwrap();
    assert_eq!(t.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(pair.a.take_events(), [Event::NegotiationNeeded]);
    assert!("stopped".parse::<Direction>().is_err());

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.a.take_events();
    pair.a.take_effects();
    for direction in Direction::ALL {
        let before = pair.a.session.clone();
        let err = pair
            .session(Who::A)
            .transceiver_mut(audio)
            .and_then(|mut t| t.set_direction(direction))
            .unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Transceiver {
                    source: FsmError::InvalidState {
                        blocker: Blocker::Stopping,
                        ..
                    },
                    ..
                }
            ),
            "{direction}: {err}"
        );
        assert_eq!(
            err.dom_exception(),
            DomException::InvalidStateError,
            "{err}"
        );
        assert_eq!(
            pair.a.session, before,
            "{direction}: a refusal changes nothing"
        );
    }
}

// stop() on a transceiver that is already stopping, or already stopped by the peer, does
// nothing at all: no effect, no event, the session as it was.
// spec: 1.3b
#[test]
fn stop_on_a_stopping_or_stopped_transceiver_does_nothing() {
    let (mut pair, [_, video], [_, b_video]) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.a.take_events();
    pair.a.take_effects();
    let before = pair.a.session.clone();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    assert_eq!(pair.a.session, before);
    assert!(pair.a.take_events().is_empty());
    assert!(pair.a.take_effects().is_empty());

    // B's transceiver is stopped by A's port-0 offer; B's own stop() afterwards is a no-op.
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    assert!(pair.b.session.transceiver(b_video).unwrap().is_stopped());
    pair.b.take_events();
    pair.b.take_effects();
    let before = pair.b.session.clone();
    pair.session(Who::B)
        .transceiver_mut(b_video)
        .and_then(|mut t| t.stop())
        .unwrap();
    assert_eq!(pair.b.session, before);
    assert!(pair.b.take_events().is_empty() && pair.b.take_effects().is_empty());
}

// "Stop sending and receiving", inside the call: stop sending, a BYE for the SSRCs that were
// sent, stop receiving, the receiver track ended with its event; [[Direction]] is inactive
// and [[Stopping]] true, while the stop itself is not negotiated yet (not stopped).
// spec: 1.3c
#[test]
fn stop_stops_sending_and_receiving_at_once() {
    let (mut pair, [audio, _], _) = connected();
    let ssrcs = pair.a.session.transceiver(audio).unwrap().sender().ssrcs();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let media: Vec<Effect> = pair
        .a
        .take_effects()
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                Effect::StopSending { .. }
                    | Effect::SendRtcpBye { .. }
                    | Effect::StopReceiving { .. }
            )
        })
        .collect();
    assert_eq!(
        media,
        [
            Effect::StopSending { transceiver: audio },
            Effect::SendRtcpBye {
                transceiver: audio,
                ssrcs
            },
            Effect::StopReceiving { transceiver: audio },
        ]
    );
    let events = pair.a.take_events();
    assert_eq!(
        ended_events(&events, audio),
        [EndReason::Ended(EndCause::TransceiverStopped)]
    );
    let t = pair.a.session.transceiver(audio).unwrap();
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    assert_eq!(t.desired_direction(), Direction::Inactive);
    assert!(t.is_stopping() && !t.is_stopped());
    assert!(!t.may_send() && !t.may_receive());
}

// "Stop the RTCRtpTransceiver" when the answer rejects a section A already stopped: [[Stopped]],
// not receptive, [[CurrentDirection]] null (the getter reads "stopped"), removed — and the
// receiver track, ended by stop(), does not fire `ended` again. On B, whose transceiver the
// port-0 offer stops, the remote streams are emptied.
// spec: 1.3d, 6.5
#[test]
fn an_answer_rejecting_a_stopping_transceiver_stops_it_without_a_second_ended() {
    let (mut pair, [_, video], [_, b_video]) = connected();
    assert_eq!(
        pair.b
            .session
            .transceiver(b_video)
            .unwrap()
            .receiver()
            .remote_streams(),
        ["s"]
    );
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    assert_eq!(ended_events(&pair.a.take_events(), video).len(), 1);

    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let b = pair.b.session.transceiver(b_video).unwrap();
    assert!(b.is_stopped());
    assert!(
        b.receiver().remote_streams().is_empty(),
        "remote streams cleared"
    );
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();

    let t = pair.a.session.transceiver(video).unwrap();
    assert!(t.is_stopped() && t.is_removed());
    assert!(!t.internals().receptive);
    assert_eq!(t.internals().negotiated_direction, None);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
    let events = pair.a.take_events();
    assert!(ended_events(&events, video).is_empty(), "{events:?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == Event::TransceiverRemoved { transceiver: video })
            .count(),
        1
    );
}

// The sender's track belongs to the application: neither stop(), nor the negotiation that
// removes the transceiver, nor close() detaches it; only the receiver track ends.
// spec: 1.3h, 6.16
#[test]
fn a_stop_never_touches_the_senders_track() {
    let (mut pair, [audio, video], _) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let sender_track = |pair: &Pair, id| {
        pair.a
            .session
            .transceiver(id)
            .unwrap()
            .sender()
            .track()
            .cloned()
    };
    assert_eq!(sender_track(&pair, video), Some(TrackId::from("cam")));
    pair.negotiate(Who::A).unwrap();
    assert!(pair.a.removed(video));
    assert_eq!(sender_track(&pair, video), Some(TrackId::from("cam")));
    let receiver = pair
        .a
        .session
        .transceiver(video)
        .unwrap()
        .receiver()
        .track();
    assert_eq!(receiver.ready_state(), ReadyState::Ended);
    assert_ne!(receiver.id(), &TrackId::from("cam"));

    pair.session(Who::A).close();
    assert_eq!(sender_track(&pair, audio), Some(TrackId::from("mic")));
    assert_eq!(sender_track(&pair, video), Some(TrackId::from("cam")));
}

// CollectSenders/CollectReceivers skip stopped transceivers, getTransceivers keeps them until
// they are removed: B's transceiver stopped by a port-0 offer is in the set but has neither
// sender nor receiver listed; after B's answer it has left the set too.
// spec: 1.4a
#[test]
fn stopped_transceivers_leave_senders_and_receivers_before_the_set() {
    let (mut pair, [_, video], [_, b_video]) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let b = &pair.b.session;
    let ids = |it: &mut dyn Iterator<Item = &tacet_session::RtpTransceiver>| -> Vec<_> {
        it.map(|t| t.id()).collect()
    };
    assert!(b.transceiver(b_video).unwrap().is_stopped());
    assert!(ids(&mut b.transceivers()).contains(&b_video));
    assert!(!b.senders().any(|s| s.transceiver() == b_video));
    assert!(!b.receivers().any(|r| r.transceiver() == b_video));
    assert_eq!(b.senders().count(), 1, "the audio sender is still listed");
    pair.send_answer(Who::B).unwrap();
    assert!(!ids(&mut pair.b.session.transceivers()).contains(&b_video));
}

// addTrack reuses a transceiver of the kind without a track that never sent — but never a
// stopping one, not even one stopped before it was ever associated: addTrack after stop()
// makes a new transceiver. (The control: the same transceiver unstopped is reused.)
// spec: 1.4b, 6.1, 6.11
#[test]
fn add_track_never_reuses_a_stopping_transceiver() {
    let recvonly = TransceiverInit {
        direction: Direction::RecvOnly,
        streams: Vec::new(),
    };
    let mut pair = Pair::new();
    let idle = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, recvonly.clone())
        .unwrap();
    let reused = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    assert_eq!(reused, idle, "control: an idle transceiver is reused");

    // Never associated, then stopped.
    let mut pair = Pair::new();
    let idle = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, recvonly.clone())
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(idle)
        .and_then(|mut t| t.stop())
        .unwrap();
    let added = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    assert_ne!(added, idle);
    assert_eq!(pair.a.session.transceivers().count(), 2);

    // Negotiated recvonly (it never sent), then stopped.
    let mut pair = Pair::new();
    let idle = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, recvonly)
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A)
        .transceiver_mut(idle)
        .and_then(|mut t| t.stop())
        .unwrap();
    let added = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("v"), vec![])
        .unwrap();
    assert_ne!(added, idle);
    assert!(
        pair.a
            .session
            .transceiver(idle)
            .unwrap()
            .sender()
            .track()
            .is_none()
    );
}

// addTrack refuses a track that a sender in CollectSenders already has — a stopping
// transceiver's sender is still there — and accepts it once the transceiver is [[Stopped]]
// (CollectSenders skips it), even before the stopped transceiver is removed: here B's, stopped
// by A's offer rejecting its m-section, while B has not answered yet.
// spec: 1.4a, 1.4b
#[test]
fn add_track_refuses_a_track_only_while_its_sender_is_collected() {
    let (mut pair, [audio, _], [b_audio, _]) = connected();
    pair.session(Who::B)
        .transceiver_mut(b_audio)
        .and_then(|mut t| t.replace_track(Some(TrackId::from("b-mic"))))
        .unwrap();
    // Stopping on A: A's own track cannot be added again yet.
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let before = pair.a.session.clone();
    let e = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s".into()])
        .unwrap_err();
    assert!(matches!(e, Error::InvalidAccess { .. }), "{e}");
    assert_eq!(e.dom_exception(), DomException::InvalidAccessError);
    assert_eq!(pair.a.session, before, "a refused addTrack changes nothing");

    // B applies the offer that rejects the section: its transceiver is stopped, not removed.
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let stopped = pair.b.session.transceiver(b_audio).unwrap();
    assert!(stopped.is_stopped());
    assert!(pair.b.session.transceivers().any(|t| t.id() == b_audio));
    let again = pair
        .session(Who::B)
        .add_track(TrackKind::Audio, TrackId::from("b-mic"), vec![])
        .unwrap();
    assert_ne!(again, b_audio);
    assert_eq!(
        pair.b.session.transceiver(again).unwrap().sender().track(),
        Some(&TrackId::from("b-mic"))
    );
}

// Once stopping: removeTrack returns without doing anything, replaceTrack is an
// InvalidStateError (session unchanged); on the machine, setParameters and insertDTMF are
// refused the same way.
// spec: 1.4c
#[test]
fn sender_calls_on_a_stopping_transceiver_are_refused_or_ignored() {
    let (mut pair, [audio, _], _) = connected();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.a.take_events();
    pair.a.take_effects();
    let before = pair.a.session.clone();
    let err = pair
        .session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.replace_track(Some(TrackId::from("other"))))
        .unwrap_err();
    assert!(is_invalid_state(&err), "{err}");
    assert_eq!(pair.a.session, before);
    pair.session(Who::A).remove_track(audio.sender()).unwrap();
    assert_eq!(pair.a.session, before, "removeTrack is a no-op");

    let mut t = Transceiver::new(Direction::SendRecv);
    t.handle(Input::Stop).unwrap();
    while t.poll_effect().is_some() {}
    for input in [Input::SetParameters, Input::InsertDtmf, Input::ReplaceTrack] {
        let before = t.clone();
        let err = t.handle(input.clone()).unwrap_err();
        assert!(
            matches!(
                err,
                FsmError::InvalidState {
                    blocker: Blocker::Stopping,
                    ..
                }
            ),
            "{input:?}: {err}"
        );
        assert_eq!(t, before);
    }
    t.handle(Input::RemoveTrack).unwrap();
    assert_eq!(t.poll_effect(), None);
}

/// A pair whose answerer B supports no video codec: its answers reject every video section.
fn answerer_without_video() -> Pair {
    let mut pair = Pair::new();
    pair.b = Peer::with_config(2, 0xB2, |c| c.codecs.video.clear());
    pair
}

// An answer rejects a video section for lack of a common codec. On the offerer the remote
// answer stops the transceiver there and then (track ended, remote rejection) and, the
// rejection being in a current description, removes it. On the answerer, applying its own
// answer stops the transceiver too (tacet's reading of webrtc-pc#2927, as Chromium does;
// docs/stop-semantics.md §4.2: the letter of the local branch never stops, which left it active
// on a rejected m-line, needing negotiation for ever) and removes it: neither side has anything
// left to negotiate, and neither side's next offer carries a video m-line without codecs.
// spec: 1.6b, 1.6c, 3.3a
#[test]
fn a_rejection_in_an_applied_answer_stops_the_transceiver_on_both_sides() {
    let mut pair = answerer_without_video();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    let video = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    let b_video = {
        pair.send_offer(Who::A).unwrap();
        pair.flush().unwrap();
        transceiver_by_mid(&pair.b.session, "1")
    };
    let answer = pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    assert!(answer.media[1].is_rejected(), "no common video codec");
    assert!(!answer.media[0].is_rejected());

    let b = pair.b.session.transceiver(b_video).unwrap();
    assert!(b.is_stopped() && b.is_removed());
    assert_eq!(b.receiver().track().ready_state(), ReadyState::Ended);
    assert_eq!(
        ended_events(&pair.b.take_events(), b_video),
        [EndReason::Ended(EndCause::LocallyRejected)]
    );

    let a = pair.a.session.transceiver(video).unwrap();
    assert!(a.is_stopped());
    assert!(a.is_removed());
    assert_eq!(
        ended_events(&pair.a.take_events(), video),
        [EndReason::Ended(EndCause::RemoteRejected)]
    );
    for who in [Who::A, Who::B] {
        assert!(!pair.session(who).is_negotiation_needed(), "{who:?}");
    }
    // B's next offer keeps the rejected m-line rejected (a valid placeholder with a format).
    let (reoffer, _) = pair.negotiate(Who::B).unwrap();
    assert!(reoffer.media[1].is_rejected());
    assert!(reoffer.media[1].formats().next().is_some());
}

// The final task fires, in this order: signalingstatechange, mute, removetrack, addtrack,
// track. One remote offer makes B lose the audio it received (A went inactive: mute and
// removetrack on stream "s1") and gain a video (addtrack on "s2", then track).
// spec: 1.6e
#[test]
fn the_final_task_fires_its_events_in_the_spec_order() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s1".into()])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let b_audio = transceiver_by_mid(&pair.b.session, "0");
    pair.session(Who::B)
        .transceiver_mut(b_audio)
        .and_then(|mut t| t.rtp_received())
        .unwrap();
    pair.b.take_events();

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_direction(Direction::Inactive))
        .unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec!["s2".into()])
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let b_video = pair
        .b
        .session
        .transceivers()
        .find(|t| t.kind() == TrackKind::Video)
        .unwrap()
        .id();
    let events = pair.b.take_events();
    let at = |wanted: &Event| {
        events
            .iter()
            .position(|e| e == wanted)
            .unwrap_or_else(|| panic!("no {wanted:?} in {events:?}"))
    };
    let order = [
        at(&Event::SignalingStateChange(
            SignalingState::HaveRemoteOffer,
        )),
        at(&Event::TrackMuted {
            transceiver: b_audio,
        }),
        at(&Event::StreamTrackRemoved {
            transceiver: b_audio,
            stream: "s1".into(),
        }),
        at(&Event::StreamTrackAdded {
            transceiver: b_video,
            stream: "s2".into(),
        }),
        at(&Event::Track {
            transceiver: b_video,
            streams: vec!["s2".into()],
        }),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{events:?}");
}

// Rollback is an InvalidStateError in stable and in both pranswer states, from either side,
// and changes nothing.
// spec: 1.6g
#[test]
fn rollback_is_refused_in_stable_and_in_the_pranswer_states() {
    let refuses = |session: &mut Session| {
        for local in [true, false] {
            let before = session.clone();
            let result = if local {
                session.set_local_description(SessionDescription::rollback())
            } else {
                session.set_remote_description(SessionDescription::rollback())
            };
            let err = result.unwrap_err();
            assert!(is_invalid_state(&err), "{err}");
            assert_eq!(*session, before);
        }
    };
    let (mut pair, _, _) = connected();
    assert_eq!(pair.a.session.signaling_state(), SignalingState::Stable);
    refuses(&mut pair.a.session);

    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let mut pranswer = pair.session(Who::B).create_answer().unwrap();
    pranswer.sdp_type = SdpType::Pranswer;
    pair.session(Who::B)
        .set_local_description(pranswer.clone())
        .unwrap();
    pair.session(Who::A)
        .set_remote_description(pranswer)
        .unwrap();
    assert_eq!(
        pair.a.session.signaling_state(),
        SignalingState::HaveRemotePranswer
    );
    assert_eq!(
        pair.b.session.signaling_state(),
        SignalingState::HaveLocalPranswer
    );
    refuses(&mut pair.a.session);
    refuses(&mut pair.b.session);
}

// restartIce() makes negotiation needed (the event fires in stable) until an offer carries
// new credentials; offers made without it keep the ICE ufrag and password.
// spec: 1.7b, 3.2f
#[test]
fn an_ice_restart_is_needed_until_offered_and_only_it_changes_credentials() {
    let (mut pair, _, _) = connected();
    let credentials = |d: &SessionDescription| {
        (
            d.ice_ufrag_for(0).cloned().unwrap(),
            d.ice_pwd_for(0).cloned().unwrap(),
        )
    };
    let first = credentials(pair.a.session.local_description().unwrap());
    let (again, _) = pair.negotiate(Who::A).unwrap();
    assert_eq!(credentials(&again), first, "no restart, same credentials");
    assert!(!pair.a.session.is_negotiation_needed());

    pair.a.take_events();
    pair.session(Who::A).restart_ice().unwrap();
    assert!(pair.a.session.is_negotiation_needed());
    assert_eq!(pair.a.take_events(), [Event::NegotiationNeeded]);
    let (restarted, _) = pair.negotiate(Who::A).unwrap();
    let (ufrag, pwd) = credentials(&restarted);
    assert_ne!(ufrag, first.0);
    assert_ne!(pwd, first.1);
    assert!(
        !pair.a.session.is_negotiation_needed(),
        "offered: no longer needed"
    );
}

// A transceiver stopped (by a remote port-0 offer) and still associated needs negotiation
// while no current description rejects its section: B applies A's port-0 offer and rolls it
// back, so B's transceiver is stopped but its section is live in both current descriptions.
// B's own offer then rejects it; once that is current nothing is needed any more.
// spec: 1.7f
#[test]
fn a_stopped_transceiver_needs_negotiation_until_its_rejection_is_current() {
    let (mut pair, [_, video], [_, b_video]) = connected();
    assert!(!pair.b.session.is_negotiation_needed());
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    let t = pair.b.session.transceiver(b_video).unwrap();
    assert!(t.is_stopped());
    assert_eq!(t.mid().map(|m| m.as_str()), Some("1"), "still associated");
    assert!(pair.b.session.is_negotiation_needed());

    let (offer, _) = pair.negotiate(Who::B).unwrap();
    assert!(offer.media[1].is_rejected());
    assert!(!pair.b.session.is_negotiation_needed());
    assert!(pair.b.removed(b_video));
}

// close(): signaling closed without a signalingstatechange event; every transceiver stopped
// (currentDirection "stopped"), the receiver tracks that were still live end with `ended`
// (one stopped before does not end again); data channels closed, SCTP aborted, transports
// released. Afterwards every call is an InvalidStateError — stop() too, although the
// transceiver is already stopped — and a second close() changes nothing.
// spec: 1.3a, 1.8a, 6.14
#[test]
fn close_stops_everything_silently_and_refuses_every_later_call() {
    let (mut pair, [audio, video], _) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.a.take_events();
    pair.a.take_effects();
    pair.session(Who::A).close();
    let events = pair.a.take_events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::SignalingStateChange(_))),
        "{events:?}"
    );
    assert_eq!(
        ended_events(&events, audio),
        [EndReason::Ended(EndCause::PeerConnectionClosed)]
    );
    assert!(ended_events(&events, video).is_empty());
    let effects = pair.a.take_effects();
    assert!(effects.contains(&Effect::AbortSctp));
    let a = &mut pair.a.session;
    assert_eq!(a.signaling_state(), SignalingState::Closed);
    for t in a.transceivers() {
        assert!(t.is_stopped());
        assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
    }
    assert!(a.data_channels().iter().all(|c| c.is_closed()));
    assert!(a.transports().iter().all(|t| t.is_released()));
    for t in a.transports() {
        assert!(effects.contains(&Effect::TransportReleased { transport: t.id() }));
    }

    let before = a.clone();
    let errors = [
        a.transceiver_mut(audio)
            .and_then(|mut t| t.stop())
            .unwrap_err(),
        a.transceiver_mut(video)
            .and_then(|mut t| t.stop())
            .unwrap_err(),
        a.transceiver_mut(audio)
            .and_then(|mut t| t.set_direction(Direction::RecvOnly))
            .unwrap_err(),
        a.add_transceiver(TrackKind::Audio, TransceiverInit::default())
            .unwrap_err(),
        a.add_track(TrackKind::Audio, TrackId::from("x"), vec![])
            .unwrap_err(),
        a.create_data_channel("late").unwrap_err(),
        a.create_offer().unwrap_err(),
        a.restart_ice().unwrap_err(),
        a.set_remote_description(SessionDescription::rollback())
            .unwrap_err(),
    ];
    for err in &errors {
        assert!(is_invalid_state(err), "{err}");
    }
    a.close();
    assert_eq!(*a, before);
}
