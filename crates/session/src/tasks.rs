//! From a transceiver machine's effects to what the session tells the world, and the W3C
//! "final task" that ends each call.
//!
//! [`Session::drive`] hands one input to one transceiver machine and turns the effects it asks
//! for into I/O effects (stop sending, a BYE with the SSRCs only the session knows), receiver
//! track changes and their events. Mutes, `track` events and the negotiation-needed update are
//! gathered in [`Tasks`] while the call runs and delivered by [`Session::after_call`] at its
//! end, in the spec's order.

use tacet_track::TrackEvent;
use tacet_transceiver_fsm::table::{self, Rule};
use tacet_transceiver_fsm::{Effect as FsmEffect, Handled, Input};

use crate::error::Error;
use crate::event::{Effect, Event};
use crate::session::Session;
use crate::signaling::SignalingState;
use crate::transceiver::TransceiverId;
use crate::vocab;

/// What a call gathers for its final task.
#[derive(Debug, Default)]
pub(crate) struct Tasks {
    pub(crate) mute: Vec<TransceiverId>,
    /// removeList: (transceiver, stream) pairs whose stream lost the track (`removetrack`).
    pub(crate) removed: Vec<(TransceiverId, String)>,
    /// addList: (transceiver, stream) pairs whose stream gained the track (`addtrack`).
    pub(crate) added: Vec<(TransceiverId, String)>,
    pub(crate) track: Vec<TransceiverId>,
    pub(crate) update_negotiation_needed: bool,
    /// The transceivers the call changed in a way that may need negotiation: the check looks
    /// at them first.
    pub(crate) changed: Vec<TransceiverId>,
}

impl Tasks {
    /// Tasks that end with "update the negotiation-needed flag".
    pub(crate) fn negotiation(changed: Option<TransceiverId>) -> Self {
        Self {
            update_negotiation_needed: true,
            changed: changed.into_iter().collect(),
            ..Self::default()
        }
    }
}

impl Session {
    /// Hands `input` to a transceiver machine and turns its effects into events, I/O effects
    /// and receiver-track changes. On `Err` nothing changed (the machine refuses without
    /// changing).
    pub(crate) fn drive(
        &mut self,
        id: TransceiverId,
        input: Input,
        tasks: &mut Tasks,
    ) -> Result<Handled, Error> {
        // An input the table ignores changes nothing: answered without writing (a write saves
        // the transceiver for the call's rollback, a copy per transceiver per scan).
        let fsm = &self.transceivers.get(id)?.fsm;
        if table::rule(fsm.phase(), fsm.connection(), input.kind()) == Rule::Ignore {
            return Ok(Handled::Ignored);
        }
        let entry = self.transceivers.get_mut(id)?;
        let handled = entry
            .fsm
            .handle(input)
            .map_err(|source| Error::Transceiver {
                transceiver: id,
                source,
            })?;
        while let Some(effect) = entry.fsm.poll_effect() {
            match effect {
                FsmEffect::StopSending => {
                    self.queues.effect(Effect::StopSending { transceiver: id });
                }
                FsmEffect::SendRtcpBye => {
                    // A sender that never sent has no stream to say goodbye to.
                    if entry.sender.sent {
                        self.queues.effect(Effect::SendRtcpBye {
                            transceiver: id,
                            ssrcs: entry.sender.ssrcs(),
                        });
                    }
                }
                FsmEffect::StopReceiving => {
                    self.queues
                        .effect(Effect::StopReceiving { transceiver: id });
                }
                FsmEffect::EndReceiverTrack { cause, fire_event } => {
                    let track = &mut entry.receiver.track;
                    let cause = vocab::end_cause(cause);
                    let _ = if fire_event {
                        track.end(cause)
                    } else {
                        track.end_without_event(cause)
                    };
                }
                FsmEffect::RemoteTrackAdded => tasks.track.push(id),
                FsmEffect::RemoteTrackRemoved => {
                    // "process the removal of a remote track": mute, and the track leaves its
                    // remote streams.
                    tasks.mute.push(id);
                    for old in entry.receiver.remote_streams.drain(..) {
                        tasks.removed.push((id, old));
                    }
                }
                FsmEffect::MuteReceiverTrack => {
                    let _ = entry.receiver.track.set_muted(true);
                }
                FsmEffect::UnmuteReceiverTrack => {
                    let _ = entry.receiver.track.set_muted(false);
                }
                FsmEffect::UpdateNegotiationNeeded => {
                    tasks.update_negotiation_needed = true;
                    tasks.changed.push(id);
                }
                FsmEffect::Removed => {
                    self.queues
                        .event(Event::TransceiverRemoved { transceiver: id });
                }
            }
            drain_track(&mut self.queues, id, &mut entry.receiver.track);
        }
        if !entry.fsm.rules().keeps_remote_streams {
            // "Stop the RTCRtpTransceiver": both stream lists are emptied (no events; the
            // track has ended).
            entry.receiver.remote_streams.clear();
            entry.receiver.stable_remote_streams.clear();
        }
        Ok(handled)
    }

    /// webrtc-pc "set the associated remote streams": the streams the receiver track leaves go
    /// to removeList, the ones it joins to addList (each fires in the final task).
    pub(crate) fn set_remote_streams(
        &mut self,
        id: TransceiverId,
        streams: Vec<String>,
        tasks: &mut Tasks,
    ) -> Result<(), Error> {
        let receiver = &mut self.transceivers.get_mut(id)?.receiver;
        for old in &receiver.remote_streams {
            if !streams.contains(old) {
                tasks.removed.push((id, old.clone()));
            }
        }
        for new in &streams {
            if !receiver.remote_streams.contains(new) {
                tasks.added.push((id, new.clone()));
            }
        }
        receiver.remote_streams = streams;
        Ok(())
    }

    /// The end of a call — webrtc-pc's final task, in its order: `mute` (muteTracks), then
    /// `removetrack` (removeList), `addtrack` (addList), and `track` events; then "update the
    /// negotiation-needed flag".
    /// spec: webrtc-pc "set the session description", final task (rule 1.6e).
    pub(crate) fn after_call(&mut self, mut tasks: Tasks) -> Result<(), Error> {
        for id in tasks.mute {
            let track = &mut self.transceivers.get_mut(id)?.receiver.track;
            let _ = track.set_muted(true);
            drain_track(&mut self.queues, id, track);
        }
        for (transceiver, stream) in tasks.removed {
            self.queues.event(Event::StreamTrackRemoved {
                transceiver,
                stream,
            });
        }
        for (transceiver, stream) in tasks.added {
            // "or the previous step increased the length of addList": a new stream for the
            // track is processed as an addition of a remote track.
            if !tasks.track.contains(&transceiver) {
                tasks.track.push(transceiver);
            }
            self.queues.event(Event::StreamTrackAdded {
                transceiver,
                stream,
            });
        }
        for id in tasks.track {
            let t = self.transceivers.get(id)?;
            if t.fsm.rules().fires_track {
                let streams = t.receiver.remote_streams.clone();
                self.queues.event(Event::Track {
                    transceiver: id,
                    streams,
                });
            }
        }
        if tasks.update_negotiation_needed {
            self.update_negotiation_needed(&tasks.changed);
        }
        Ok(())
    }

    /// webrtc-pc "update the negotiation-needed flag": nothing while closed or not stable;
    /// clear the flag when nothing is needed; fire `negotiationneeded` only when it rises.
    /// spec: webrtc-pc "update the negotiation-needed flag" (rule 1.7a).
    pub(crate) fn update_negotiation_needed(&mut self, changed: &[TransceiverId]) {
        if self.signaling != SignalingState::Stable {
            // Closed is not stable either.
            return;
        }
        if !self.check_negotiation_needed(changed) {
            self.negotiation_needed = false;
            return;
        }
        if !self.negotiation_needed {
            self.negotiation_needed = true;
            self.queues.event(Event::NegotiationNeeded);
        }
    }
}

/// Moves a receiver track's events into the session's queue.
fn drain_track(
    queues: &mut crate::queues::Queues,
    id: TransceiverId,
    track: &mut tacet_track::Track,
) {
    while let Some(event) = track.poll_event() {
        queues.event(match event {
            TrackEvent::Muted => Event::TrackMuted { transceiver: id },
            TrackEvent::Unmuted => Event::TrackUnmuted { transceiver: id },
            TrackEvent::Ended(reason) => Event::TrackEnded {
                transceiver: id,
                reason,
            },
        });
    }
}
