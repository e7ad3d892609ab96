//! The transition table: what each input does in each state. All of the machine's decisions
//! about *whether* an input is refused, ignored or run live here, in [`rule`]; what a step does
//! to the data is in `transceiver.rs`.
//!
//! The table is also rendered into `docs/stop-semantics.md` ([`markdown`]); a test keeps the
//! two identical, and the exhaustive snapshot test records every concrete outcome.

use std::fmt::{self, Write as _};

use crate::error::{Blocker, Error, rule as cite};
use crate::{Input, InputKind};

/// The life-cycle phase. Ordered: a transceiver only ever moves forward
/// (the `[[Stopping]]` and `[[Stopped]]` bits are never cleared).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Neither stopping nor stopped.
    Active,
    /// `[[Stopping]]`: media stopped locally, the stop not yet negotiated.
    Stopping,
    /// `[[Stopped]]` (implies stopping): a rejected m-section was applied, or the connection
    /// closed, or a rollback removed it.
    Stopped,
    /// Removed from the set of transceivers. Terminal.
    Removed,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Self; 4] = [Self::Active, Self::Stopping, Self::Stopped, Self::Removed];
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Active => "Active",
            Self::Stopping => "Stopping",
            Self::Stopped => "Stopped",
            Self::Removed => "Removed",
        })
    }
}

/// The owning peer connection's `[[IsClosed]]`, as far as this transceiver knows. Monotonic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Connection {
    /// The connection is open.
    Open,
    /// `close()` ran. Only `Stopped` and `Removed` transceivers exist in a closed connection.
    Closed,
}

/// A named algorithm the machine runs for an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// webrtc-pc "stop sending and receiving": -> Stopping.
    StopSendingAndReceiving,
    /// Set `[[Direction]]` (no-op when unchanged).
    SetDirection,
    /// `addTrack` reuse: `[[Direction]]` gains *send* (refused if it has sent before).
    AttachTrack,
    /// `removeTrack`: `[[Direction]]` loses *send*.
    DetachTrack,
    /// A guard that passes; the session performs the operation.
    Allow,
    /// The local branch of "set the session description" for one m-section.
    ApplyLocal,
    /// The remote branch; -> Stopped when the section is rejected.
    ApplyRemote,
    /// Only record the association (a stopped transceiver: "abort these sub steps").
    AssociateOnly,
    /// `[[Mid]]` becomes null (the m-section was recycled).
    Disassociate,
    /// The rollback branch for this transceiver; -> Removed for [`RollbackAction::Remove`](crate::RollbackAction::Remove).
    Rollback,
    /// After an answer: -> Removed if associated and rejected in a current description.
    RemoveIfRejected,
    /// decisions.md §2: a stopping or stopped transceiver without a mid -> Removed.
    DropIfUnassociated,
    /// "close the connection" for a transceiver not yet stopped: stop the RTCRtpTransceiver
    /// (with `disappear`); the connection is closed from now on.
    CloseAndStop,
    /// "close the connection" for a stopped or removed transceiver: it only learns that the
    /// connection is closed.
    Close,
    /// RTP arrived: unmute the receiver track if `[[Receptive]]`.
    Unmute,
    /// RTCP BYE arrived: mute the receiver track.
    Mute,
}

impl Step {
    /// One line for the rendered table.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::StopSendingAndReceiving => {
                "**→ Stopping**: stop sending (BYE) and receiving, end receiver track (event), update NN"
            }
            Self::SetDirection => "set [[Direction]], update NN (same value: no-op)",
            Self::AttachTrack => "direction gains send, update NN (refused if it ever sent)",
            Self::DetachTrack => "direction loses send, update NN",
            Self::Allow => "allowed",
            Self::ApplyLocal => {
                "associate; set [[Receptive]]; answer: set current/fired direction; final answer rejected: **→ Stopped** (webrtc-pc#2927)"
            }
            Self::ApplyRemote => {
                "associate; process remote tracks; answer: set current direction; rejected: **→ Stopped**"
            }
            Self::AssociateOnly => "associate only (stopped: abort the sub-steps)",
            Self::Disassociate => "mid := null",
            Self::Rollback => "restore; remove action: **→ Removed**",
            Self::RemoveIfRejected => "rejected and associated: **→ Removed**, mid := null",
            Self::DropIfUnassociated => "no mid: **→ Removed** (deviation, decisions.md §2)",
            Self::CloseAndStop => "**→ Stopped** (ends receiver track unless disappear), closed",
            Self::Close => "closed",
            Self::Unmute => "unmute receiver track if receptive",
            Self::Mute => "mute receiver track",
        }
    }
}

/// Why an input is refused: the error it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Refusal {
    /// What blocked it.
    pub blocker: Blocker,
    /// The rule cited.
    pub rule: &'static str,
}

impl Refusal {
    pub(crate) fn to_error(self, input: &Input) -> Error {
        Error::InvalidState {
            operation: input.kind(),
            blocker: self.blocker,
            rule: self.rule,
        }
    }
}

/// What [`Transceiver::handle`](crate::Transceiver::handle) did with an accepted input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Handled {
    /// The table ran a step ([`Rule::Run`]).
    Ran,
    /// The spec says "abort these steps" ([`Rule::Ignore`]): nothing changed.
    Ignored,
}

/// One cell of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Refused with an error; nothing changes.
    Refuse(Refusal),
    /// The spec says "abort these steps": accepted, nothing changes.
    Ignore,
    /// Run this step.
    Run(Step),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refuse(_) => f.write_str("InvalidStateError"),
            Self::Ignore => f.write_str("no-op"),
            Self::Run(step) => f.write_str(step.describe()),
        }
    }
}

/// The transition table.
pub fn rule(phase: Phase, connection: Connection, input: InputKind) -> Rule {
    use InputKind as I;
    use Phase as P;
    use Step as S;

    let refuse = |blocker, rule| Rule::Refuse(Refusal { blocker, rule });

    if connection == Connection::Closed {
        // spec: webrtc-pc "close the connection"; stop() step 2 (rules 1.3a, 1.8a, 6.14).
        // webrtc-pc "close the connection" stopped every transceiver; every API entry point
        // then throws InvalidStateError, stop() included even when already stopped (stop()
        // checks [[IsClosed]] before [[Stopping]]). A second close() returns early.
        return match input {
            I::Close | I::RtpReceived | I::RtcpByeReceived => Rule::Ignore,
            _ => refuse(Blocker::ConnectionClosed, cite::CONNECTION_CLOSED),
        };
    }
    // The blocker of a stopping-or-later transceiver, for InvalidStateError.
    let blocker = match phase {
        P::Active | P::Stopping => Blocker::Stopping,
        P::Stopped => Blocker::Stopped,
        P::Removed => Blocker::Removed,
    };

    match (phase, input) {
        // spec: webrtc-pc stop() step 3 and "stop sending and receiving" (rules 1.3b, 1.3c).
        // stop(): "If [[Stopping]] is true, abort these steps" — idempotent.
        (P::Active, I::Stop) => Rule::Run(S::StopSendingAndReceiving),
        (_, I::Stop) => Rule::Ignore,

        // spec: webrtc-pc direction setter step 1 (rules 1.2b, 6.15).
        // The direction setter, step 1: [[Stopping]] -> InvalidStateError.
        (P::Active, I::SetDirection) => Rule::Run(S::SetDirection),
        (_, I::SetDirection) => refuse(blocker, cite::DIRECTION_SETTER_STOPPING),

        // spec: webrtc-pc addTrack, reusable sender (rules 1.4b, 6.11).
        // addTrack never reuses a stopping transceiver.
        (P::Active, I::AddTrack) => Rule::Run(S::AttachTrack),
        (_, I::AddTrack) => refuse(blocker, cite::ADD_TRACK_REUSE),

        // spec: webrtc-pc removeTrack (rule 1.4c).
        // removeTrack: "If transceiver.[[Stopping]] is true, abort these steps".
        (P::Active, I::RemoveTrack) => Rule::Run(S::DetachTrack),
        (_, I::RemoveTrack) => Rule::Ignore,

        // spec: webrtc-pc replaceTrack, setParameters, insertDTMF (rule 1.4c).
        // replaceTrack / setParameters / insertDTMF reject once stopping.
        (P::Active, I::ReplaceTrack | I::SetParameters | I::InsertDtmf) => Rule::Run(S::Allow),
        (_, I::ReplaceTrack) => refuse(blocker, cite::REPLACE_TRACK_STOPPING),
        (_, I::SetParameters) => refuse(blocker, cite::SET_PARAMETERS_STOPPING),
        (_, I::InsertDtmf) => refuse(blocker, cite::INSERT_DTMF_STOPPING),

        // spec: webrtc-pc "set the session description", local and remote branches; RFC 9429
        // §5.9, §5.10 (rules 1.6a, 1.6b, 6.4, 6.5).
        // Set the session description: the local branch aborts for a stopped transceiver after
        // recording the association; a stopping one is processed like an active one.
        (P::Active | P::Stopping, I::LocalDescription) => Rule::Run(S::ApplyLocal),
        (P::Active | P::Stopping, I::RemoteDescription) => Rule::Run(S::ApplyRemote),
        (P::Stopped, I::LocalDescription | I::RemoteDescription) => Rule::Run(S::AssociateOnly),
        (P::Removed, I::LocalDescription | I::RemoteDescription | I::Rollback) => {
            refuse(Blocker::Removed, cite::REMOVED_FROM_SET)
        }

        // spec: RFC 9429 §5.10 (rule 3.4b): a recycled m-section disassociates its old
        // transceiver.
        (P::Active | P::Stopping | P::Stopped, I::Recycled) => Rule::Run(S::Disassociate),
        (P::Removed, I::Recycled) => Rule::Ignore,

        // spec: webrtc-pc "set the session description", rollback; RFC 9429 §5.7 (rule 1.6f).
        (P::Active | P::Stopping | P::Stopped, I::Rollback) => Rule::Run(S::Rollback),

        // spec: webrtc-pc "set the session description", after applying an answer (rule 1.6c).
        // After an answer, only stopped transceivers with a rejected m-section are removed.
        (P::Stopped, I::AnswerApplied) => Rule::Run(S::RemoveIfRejected),
        (_, I::AnswerApplied) => Rule::Ignore,

        // spec: webrtc-pc#2838 (open) — tacet's UnassociatedStopPolicy (rules 1.7g, 6.1).
        // decisions.md §2: only a stop that can never be negotiated is dropped.
        (P::Stopping | P::Stopped, I::DropUnassociated) => Rule::Run(S::DropIfUnassociated),
        (P::Active | P::Removed, I::DropUnassociated) => Rule::Ignore,

        // spec: webrtc-pc "close the connection" step 2 (rule 1.8a).
        // close(): every transceiver not yet stopped is stopped.
        (P::Active | P::Stopping, I::Close) => Rule::Run(S::CloseAndStop),
        (P::Stopped | P::Removed, I::Close) => Rule::Run(S::Close),

        // spec: webrtc-pc RTCRtpReceiver — unmute on RTP while receptive, mute on RTCP BYE
        // (rules 1.9a, 1.9b).
        // Media facts: only an active receiver is receiving.
        (P::Active, I::RtpReceived) => Rule::Run(S::Unmute),
        (P::Active, I::RtcpByeReceived) => Rule::Run(S::Mute),
        (_, I::RtpReceived | I::RtcpByeReceived) => Rule::Ignore,
    }
}

/// The rows of the rendered table: every reachable (phase, connection) pair.
pub const ROWS: [(Phase, Connection); 6] = [
    (Phase::Active, Connection::Open),
    (Phase::Stopping, Connection::Open),
    (Phase::Stopped, Connection::Open),
    (Phase::Removed, Connection::Open),
    (Phase::Stopped, Connection::Closed),
    (Phase::Removed, Connection::Closed),
];

/// The table as Markdown, one row per input and one column per state (inputs are the long
/// axis, so the table stays readable).
pub fn markdown() -> String {
    let mut out = String::from("| input |");
    for (phase, connection) in ROWS {
        match connection {
            Connection::Open => {
                let _ = write!(out, " {phase} |");
            }
            Connection::Closed => {
                let _ = write!(out, " {phase} (closed) |");
            }
        }
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(ROWS.len()));
    out.push('\n');
    for input in InputKind::ALL {
        let _ = write!(out, "| `{input}` |");
        for (phase, connection) in ROWS {
            let _ = write!(out, " {} |", rule(phase, connection, input));
        }
        out.push('\n');
    }
    out
}
