//! One `RTCRtpTransceiver`: its slots, its W3C getters, and the steps the table runs.

use std::collections::VecDeque;

use crate::error::{Error, rule as cite};
use crate::stop_table::{self, Association, StopRules};
use crate::table::{self, Connection, Handled, Phase, Rule, Step};
use crate::{
    DescriptionKind, Direction, Effect, Input, Mid, RollbackAction, Section, StopCause,
    TransceiverDirection,
};

/// The slots that negotiation writes, kept while the transceiver is not stopped.
/// "Stop the RTCRtpTransceiver" clears them (`[[Receptive]]` false, `[[CurrentDirection]]`
/// null), so a stopped transceiver simply has none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct Negotiated {
    /// `[[CurrentDirection]]`: from the last applied answer, this side's point of view.
    current: Option<Direction>,
    /// `[[FiredDirection]]`: the direction the remote-track events last reflected.
    fired: Option<Direction>,
    /// `[[Receptive]]`: prepared to receive, so RTP arriving unmutes the receiver track.
    receptive: bool,
}

/// The life cycle. Each state owns only what is valid in it: `[[Direction]]` is the
/// application's only while active ("stop sending and receiving" forces it to `inactive` and
/// the setter refuses from then on), and the negotiated slots end with the stop.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Lifecycle {
    Active {
        direction: Direction,
        negotiated: Negotiated,
    },
    Stopping {
        negotiated: Negotiated,
        cause: StopCause,
    },
    /// Entered with the cause of the first stop (a stopping transceiver keeps its own).
    Stopped {
        cause: StopCause,
    },
    Removed {
        cause: StopCause,
    },
}

impl Lifecycle {
    #[inline]
    fn phase(&self) -> Phase {
        match self {
            Self::Active { .. } => Phase::Active,
            Self::Stopping { .. } => Phase::Stopping,
            Self::Stopped { .. } => Phase::Stopped,
            Self::Removed { .. } => Phase::Removed,
        }
    }

    /// Why it stopped: the cause of the first stop, kept for good.
    fn stop_cause(&self) -> Option<StopCause> {
        match self {
            Self::Active { .. } => None,
            Self::Stopping { cause, .. } | Self::Stopped { cause } | Self::Removed { cause } => {
                Some(*cause)
            }
        }
    }

    fn negotiated(&self) -> Option<&Negotiated> {
        match self {
            Self::Active { negotiated, .. } | Self::Stopping { negotiated, .. } => Some(negotiated),
            Self::Stopped { .. } | Self::Removed { .. } => None,
        }
    }

    fn negotiated_mut(&mut self) -> Option<&mut Negotiated> {
        match self {
            Self::Active { negotiated, .. } | Self::Stopping { negotiated, .. } => Some(negotiated),
            Self::Stopped { .. } | Self::Removed { .. } => None,
        }
    }
}

/// One `RTCRtpTransceiver` as a pure state machine.
///
/// Drive it with [`handle`](Self::handle); drain what it asks for with
/// [`poll_effect`](Self::poll_effect). A refused input returns an [`Error`] and changes
/// nothing, the effect queue included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transceiver {
    lifecycle: Lifecycle,
    /// `[[Mid]]` (which tacet keeps equal to `[[JsepMid]]`): set by association, cleared by
    /// recycling, rollback and removal.
    mid: Option<Mid>,
    connection: Connection,
    /// `[[CurrentDirection]]` has been sendrecv or sendonly at some point: such a sender is
    /// never reused by `addTrack`. Monotonic.
    has_sent: bool,
    effects: VecDeque<Effect>,
}

impl Transceiver {
    /// A new transceiver with `[[Direction]]` = `direction` ("create an RTCRtpTransceiver":
    /// not stopping, not stopped, not receptive, no current or fired direction, no mid).
    pub fn new(direction: Direction) -> Self {
        Self {
            lifecycle: Lifecycle::Active {
                direction,
                negotiated: Negotiated::default(),
            },
            mid: None,
            connection: Connection::Open,
            has_sent: false,
            effects: VecDeque::new(),
        }
    }

    /// Applies one input: whether the table ran a step or ignored it. On `Err` nothing
    /// changed.
    pub fn handle(&mut self, input: Input) -> Result<Handled, Error> {
        match table::rule(self.phase(), self.connection, input.kind()) {
            Rule::Refuse(refusal) => Err(refusal.to_error(&input)),
            Rule::Ignore => Ok(Handled::Ignored),
            Rule::Run(step) => self.run(step, input).map(|()| Handled::Ran),
        }
    }

    /// The next effect, oldest first.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    // ---- W3C getters -------------------------------------------------------------------

    /// `transceiver.direction`: `"stopped"` once stopping, else `[[Direction]]`
    /// (webrtc-pc RTCRtpTransceiver attributes, direction getter).
    pub fn direction(&self) -> TransceiverDirection {
        match self.lifecycle {
            Lifecycle::Active { direction, .. } => direction.into(),
            Lifecycle::Stopping { .. } | Lifecycle::Stopped { .. } | Lifecycle::Removed { .. } => {
                TransceiverDirection::Stopped
            }
        }
    }

    /// `transceiver.currentDirection`: `"stopped"` once stopped, else `[[CurrentDirection]]`
    /// (`None` = null: never negotiated).
    pub fn current_direction(&self) -> Option<TransceiverDirection> {
        match &self.lifecycle {
            Lifecycle::Stopped { .. } | Lifecycle::Removed { .. } => {
                Some(TransceiverDirection::Stopped)
            }
            lifecycle => lifecycle
                .negotiated()
                .and_then(|n| n.current)
                .map(Into::into),
        }
    }

    /// `transceiver.mid`.
    pub fn mid(&self) -> Option<&Mid> {
        self.mid.as_ref()
    }

    // ---- Internal slots, for the session -----------------------------------------------

    /// `[[Direction]]`: what the application wants; `inactive` once stopping ("stop sending
    /// and receiving" sets it). This is what a stopped m-section carries in an offer
    /// (WPT "A stopped sendonly transceiver should generate an inactive m-section").
    pub fn desired_direction(&self) -> Direction {
        match self.lifecycle {
            Lifecycle::Active { direction, .. } => direction,
            Lifecycle::Stopping { .. } | Lifecycle::Stopped { .. } | Lifecycle::Removed { .. } => {
                Direction::Inactive
            }
        }
    }

    /// `[[CurrentDirection]]` without the `"stopped"` mapping.
    pub fn negotiated_direction(&self) -> Option<Direction> {
        self.lifecycle.negotiated().and_then(|n| n.current)
    }

    /// `[[FiredDirection]]`.
    pub fn fired_direction(&self) -> Option<Direction> {
        self.lifecycle.negotiated().and_then(|n| n.fired)
    }

    /// `[[Receptive]]`.
    pub fn receptive(&self) -> bool {
        self.lifecycle.negotiated().is_some_and(|n| n.receptive)
    }

    /// The life-cycle phase.
    #[inline]
    pub fn phase(&self) -> Phase {
        self.lifecycle.phase()
    }

    /// `[[Stopping]]` (true from `stop()` on, and for every stopped transceiver).
    pub fn is_stopping(&self) -> bool {
        self.phase() >= Phase::Stopping
    }

    /// `[[Stopped]]`.
    pub fn is_stopped(&self) -> bool {
        self.phase() >= Phase::Stopped
    }

    /// Removed from the set of transceivers.
    pub fn is_removed(&self) -> bool {
        self.phase() == Phase::Removed
    }

    /// The connection's `[[IsClosed]]` as this transceiver saw it.
    pub fn connection(&self) -> Connection {
        self.connection
    }

    /// Whether the sender may put RTP on the wire: active and negotiated to send. False for
    /// ever once stopping.
    pub fn may_send(&self) -> bool {
        matches!(&self.lifecycle, Lifecycle::Active { negotiated, .. }
            if negotiated.current.is_some_and(Direction::has_send))
    }

    /// Whether the receiver accepts RTP: active and receptive. False for ever once stopping.
    pub fn may_receive(&self) -> bool {
        matches!(&self.lifecycle, Lifecycle::Active { negotiated, .. } if negotiated.receptive)
    }

    /// Whether `addTrack` may reuse this transceiver's sender (the session also checks that
    /// the kind matches and the sender has no track): not stopping, and `[[CurrentDirection]]`
    /// never sendrecv or sendonly.
    pub fn reusable_by_add_track(&self) -> bool {
        self.phase() == Phase::Active && !self.has_sent
    }

    /// Why it stopped (the cause of the first stop; `None` while active). The receiver track
    /// ended with this cause.
    pub fn stop_cause(&self) -> Option<StopCause> {
        self.lifecycle.stop_cause()
    }

    /// What its standing means for offers, answers, negotiation-needed, removal, its receiver
    /// track and the W3C lists: the stop table's row for its phase and association.
    #[inline]
    pub fn rules(&self) -> StopRules {
        let association = if self.mid.is_some() {
            Association::Associated
        } else {
            Association::Unassociated
        };
        stop_table::rules(self.phase(), association)
    }

    // ---- Steps -------------------------------------------------------------------------

    fn run(&mut self, step: Step, input: Input) -> Result<(), Error> {
        match (step, input) {
            (Step::StopSendingAndReceiving, Input::Stop) => {
                // webrtc-pc RTCRtpTransceiver.stop(): stop sending and receiving, then update
                // the negotiation-needed flag.
                self.stop_sending_and_receiving(StopCause::TransceiverStopped, false);
                self.effects.push_back(Effect::UpdateNegotiationNeeded);
            }
            (Step::SetDirection, Input::SetDirection(new)) => {
                // Setter step 2: the same value returns without updating the flag.
                if self.change_direction(|_| new) {
                    self.effects.push_back(Effect::UpdateNegotiationNeeded);
                }
            }
            (Step::AttachTrack, Input::AddTrack) => {
                if self.has_sent {
                    return Err(Error::NotReusable {
                        rule: cite::ADD_TRACK_REUSE,
                    });
                }
                // webrtc-pc addTrack: recvonly -> sendrecv, inactive -> sendonly.
                let _ = self.change_direction(|d| d.with_send(true));
                self.effects.push_back(Effect::UpdateNegotiationNeeded);
            }
            (Step::DetachTrack, Input::RemoveTrack) => {
                // webrtc-pc removeTrack: sendrecv -> recvonly, sendonly -> inactive, then
                // update the negotiation-needed flag (whether or not the direction changed:
                // the msid changes too).
                let _ = self.change_direction(|d| d.with_send(false));
                self.effects.push_back(Effect::UpdateNegotiationNeeded);
            }
            (Step::Allow, Input::ReplaceTrack | Input::SetParameters | Input::InsertDtmf) => {}
            (Step::ApplyLocal, Input::LocalDescription { kind, section }) => {
                self.associate(&section)?;
                self.apply_local(kind, &section);
            }
            (Step::ApplyRemote, Input::RemoteDescription { kind, section }) => {
                self.associate(&section)?;
                self.apply_remote(kind, &section);
            }
            (
                Step::AssociateOnly,
                Input::LocalDescription { section, .. } | Input::RemoteDescription { section, .. },
            ) => {
                self.associate(&section)?;
            }
            (Step::Disassociate, Input::Recycled) => self.mid = None,
            (
                Step::Rollback,
                Input::Rollback {
                    action,
                    remote_offer,
                },
            ) => self.rollback(action, remote_offer),
            (Step::RemoveIfRejected, Input::AnswerApplied { rejected }) => {
                // webrtc-pc: "If transceiver is stopped, associated with an m= section and the
                // associated m= section is rejected in [[CurrentLocalDescription]] or
                // [[CurrentRemoteDescription]], remove the transceiver".
                if rejected && self.mid.is_some() {
                    self.remove();
                }
            }
            (Step::DropIfUnassociated, Input::DropUnassociated) => {
                // Media stopped already (stop() ran "stop sending and receiving"); without a
                // mid there is nothing to negotiate, so the stop is complete.
                if self.mid.is_none() {
                    self.remove();
                }
            }
            (Step::CloseAndStop, Input::Close { disappear }) => {
                // webrtc-pc "close the connection", step: for every transceiver that is not
                // stopped, stop the RTCRtpTransceiver with disappear.
                self.stop_the_transceiver(StopCause::PeerConnectionClosed, disappear);
                self.connection = Connection::Closed;
            }
            (Step::Close, Input::Close { .. }) => self.connection = Connection::Closed,
            (Step::Unmute, Input::RtpReceived) => {
                if self.receptive() {
                    self.effects.push_back(Effect::UnmuteReceiverTrack);
                }
            }
            (Step::Mute, Input::RtcpByeReceived) => {
                // webrtc-pc: on RTCP BYE, set the receiver track's muted state to true; a BYE
                // never ends the track (aiortc ends it; tacet follows the spec).
                self.effects.push_back(Effect::MuteReceiverTrack);
            }
            (step, input) => unreachable!(
                "invariant: table::rule maps {:?} only to {step:?}'s own input kinds",
                input.kind()
            ),
        }
        Ok(())
    }

    /// Changes `[[Direction]]` of an active transceiver; true if the value changed.
    fn change_direction(&mut self, change: impl FnOnce(Direction) -> Direction) -> bool {
        let Lifecycle::Active { direction, .. } = &mut self.lifecycle else {
            return false;
        };
        let new = change(*direction);
        let changed = new != *direction;
        *direction = new;
        changed
    }

    /// Associates with the section's mid. Checked before anything is written, so a mismatch
    /// leaves the transceiver untouched.
    fn associate(&mut self, section: &Section) -> Result<(), Error> {
        match &self.mid {
            Some(mid) if *mid != section.mid => Err(Error::MidMismatch {
                associated: mid.clone(),
                section: section.mid.clone(),
                rule: cite::MID_STABLE,
            }),
            Some(_) => Ok(()),
            None => {
                self.mid = Some(section.mid.clone());
                Ok(())
            }
        }
    }

    /// webrtc-pc "set the session description", local branch, for a transceiver that is not
    /// stopped. The letter of the local branch never stops a transceiver; tacet stops one whose
    /// m-section its own final answer rejects (see below).
    fn apply_local(&mut self, kind: DescriptionKind, section: &Section) {
        // A rejected section carries no media whatever its attribute says.
        let direction = if section.rejected {
            Direction::Inactive
        } else {
            section.direction
        };
        let mut removed = false;
        if let Some(n) = self.lifecycle.negotiated_mut() {
            n.receptive = direction.has_recv();
            if kind.is_answer() {
                // "If direction is sendonly or inactive, and [[FiredDirection]] is either
                // sendrecv or recvonly": process the removal of a remote track.
                removed = !direction.has_recv() && n.fired.is_some_and(Direction::has_recv);
                n.current = Some(direction);
                n.fired = Some(direction);
            }
        }
        if removed {
            self.effects.push_back(Effect::RemoteTrackRemoved);
        }
        if kind.is_answer() {
            self.has_sent |= direction.has_send();
        }
        // tacet (webrtc-pc#2927, open; Chromium does the same): an applied answer of our own
        // that rejects the m-section stops the transceiver, as a remote rejection does. The
        // letter of the local branch never stops, which leaves an active transceiver tied to a
        // rejected m-line: negotiation stays needed for ever and the next offer would carry an
        // m-line with no codec the peer must refuse (docs/stop-semantics.md §4.2). Only a final
        // answer: a provisional one may still be replaced, and a stop is for good.
        if kind == DescriptionKind::Answer && section.rejected {
            self.stop_the_transceiver(StopCause::LocallyRejected, false);
        }
    }

    /// webrtc-pc "set the session description", remote branch.
    fn apply_remote(&mut self, kind: DescriptionKind, section: &Section) {
        // "the direction from the media description, but with the send and receive
        // directions reversed ... If the media description is rejected, set direction to
        // inactive."
        let direction = if section.rejected {
            Direction::Inactive
        } else {
            section.direction.reverse()
        };
        self.process_remote_tracks(Some(direction));
        if kind.is_answer() {
            if let Some(n) = self.lifecycle.negotiated_mut() {
                n.current = Some(direction);
            }
            self.has_sent |= direction.has_send();
        }
        // "If the media description is rejected, and transceiver.[[Stopped]] is false, then
        // stop the RTCRtpTransceiver" — for remote offers and answers alike.
        if section.rejected {
            self.stop_the_transceiver(StopCause::RemoteRejected, false);
        }
    }

    /// webrtc-pc "process remote tracks" (the stream bookkeeping is the session's).
    /// `None` (a rollback to a null `[[CurrentDirection]]`) counts as not receiving, so a track
    /// that was announced only by the rolled-back offer is removed and muted (WPT
    /// RollbackEvents "Track without stream: removal due to disassociation in rollback").
    fn process_remote_tracks(&mut self, direction: Option<Direction>) {
        let Some(n) = self.lifecycle.negotiated_mut() else {
            return;
        };
        let receiving = direction.is_some_and(Direction::has_recv);
        let fired_receiving = n.fired.is_some_and(Direction::has_recv);
        if !receiving {
            n.receptive = false;
        }
        n.fired = direction;
        if receiving && !fired_receiving {
            self.effects.push_back(Effect::RemoteTrackAdded);
        }
        if !receiving && fired_receiving {
            self.effects.push_back(Effect::RemoteTrackRemoved);
        }
    }

    /// The rollback branch of "set the session description" for one transceiver.
    fn rollback(&mut self, action: RollbackAction, remote_offer: bool) {
        if action != RollbackAction::Keep {
            self.mid = None;
        }
        if remote_offer {
            let current = self.negotiated_direction();
            self.process_remote_tracks(current);
        }
        if action == RollbackAction::Remove {
            // "stop the RTCRtpTransceiver transceiver, and remove it from connection's set of
            // transceivers"; a removed transceiver reads currentDirection "stopped" and mid
            // null (WPT "Rollback when removing transceiver makes it stopped").
            if !self.is_stopped() {
                self.stop_the_transceiver(StopCause::RollbackRemoved, false);
            }
            self.remove();
        }
    }

    /// webrtc-pc "stop sending and receiving": Active -> Stopping.
    fn stop_sending_and_receiving(&mut self, cause: StopCause, disappear: bool) {
        let Lifecycle::Active { negotiated, .. } = self.lifecycle else {
            return;
        };
        // Step 1: stop sending, and an RTCP BYE for each RTP stream that was being sent.
        self.effects.push_back(Effect::StopSending);
        self.effects.push_back(Effect::SendRtcpBye);
        // Step 2: stop receiving.
        self.effects.push_back(Effect::StopReceiving);
        // Step 3: "If disappear is false, run the steps for receiver.[[ReceiverTrack]] to be
        // ended" (which fires `ended`). With disappear the track ends unobserved.
        self.effects.push_back(Effect::EndReceiverTrack {
            cause,
            fire_event: !disappear,
        });
        // Steps 4-5: [[Direction]] := inactive, [[Stopping]] := true.
        self.set_lifecycle(Lifecycle::Stopping { negotiated, cause });
    }

    /// webrtc-pc "stop the RTCRtpTransceiver": -> Stopped. A transceiver that was already
    /// stopping does not stop (or end its track) a second time.
    fn stop_the_transceiver(&mut self, cause: StopCause, disappear: bool) {
        if self.phase() == Phase::Active {
            self.stop_sending_and_receiving(cause, disappear);
        }
        // [[Stopped]] := true, [[Receptive]] := false, [[CurrentDirection]] := null. The cause
        // is the first stop's: a stopping transceiver stopped because of stop().
        let cause = self.lifecycle.stop_cause().unwrap_or(cause);
        self.set_lifecycle(Lifecycle::Stopped { cause });
    }

    /// Leaves the set. Only a stopping or stopped transceiver is removed (the table's
    /// `RemoveIfRejected`, `DropIfUnassociated` and rollback's remove, which stops first).
    fn remove(&mut self) {
        debug_assert!(
            self.is_stopping(),
            "only a stopping or stopped transceiver is removed"
        );
        // An active one has no cause and is never removed: the table runs no removal for it.
        let Some(cause) = self.lifecycle.stop_cause() else {
            return;
        };
        self.mid = None;
        self.set_lifecycle(Lifecycle::Removed { cause });
        self.effects.push_back(Effect::Removed);
    }

    /// The one place the life cycle changes. It never moves backwards: the stop bits are
    /// monotonic.
    fn set_lifecycle(&mut self, next: Lifecycle) {
        debug_assert!(
            next.phase() >= self.phase(),
            "the life cycle never moves backwards: {:?} -> {:?}",
            self.phase(),
            next.phase()
        );
        self.lifecycle = next;
    }
}

#[cfg(test)]
mod tests;
