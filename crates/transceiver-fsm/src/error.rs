//! Typed errors: who is at fault, and which rule was broken.
//!
//! Every error leaves the transceiver exactly as it was, its effect queue included.

use std::fmt;

use crate::{InputKind, Mid};

/// Who caused an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The caller: the application, or the session driving this machine.
    Caller,
    /// The remote peer (its description broke a rule).
    Peer,
    /// The transport (ICE, DTLS, SCTP, packets).
    Transport,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Caller => "caller",
            Self::Peer => "peer",
            Self::Transport => "transport",
        })
    }
}

/// The citations the errors carry. One constant per rule, so a search finds every user.
pub mod rule {
    /// `RTCRtpTransceiver.stop()` step 2 and every other API entry point: a closed
    /// connection throws `InvalidStateError` (webrtc-pc "close the connection" sets
    /// `[[IsClosed]]`; stop() checks it before `[[Stopping]]`).
    pub const CONNECTION_CLOSED: &str =
        "webrtc-pc: RTCRtpTransceiver.stop() step 2 / [[IsClosed]] -> InvalidStateError";
    /// The `direction` setter, step 1.
    pub const DIRECTION_SETTER_STOPPING: &str =
        "webrtc-pc: direction setter step 1: [[Stopping]] -> InvalidStateError";
    /// `replaceTrack`.
    pub const REPLACE_TRACK_STOPPING: &str =
        "webrtc-pc: RTCRtpSender.replaceTrack: [[Stopping]] -> InvalidStateError";
    /// `setParameters`.
    pub const SET_PARAMETERS_STOPPING: &str =
        "webrtc-pc: RTCRtpSender.setParameters: [[Stopping]] -> InvalidStateError";
    /// `insertDTMF` (canInsertDTMF is false once stopping).
    pub const INSERT_DTMF_STOPPING: &str = "webrtc-pc: RTCDTMFSender.insertDTMF: canInsertDTMF false when [[Stopping]] -> InvalidStateError";
    /// `addTrack` reuses a sender only when its transceiver is not stopping and its current
    /// direction was never sendrecv or sendonly.
    pub const ADD_TRACK_REUSE: &str =
        "webrtc-pc: addTrack: reuse only if ![[Stopping]] and [[CurrentDirection]] never sent";
    /// Descriptions and rollbacks concern the set of transceivers; a removed one is not in it.
    pub const REMOVED_FROM_SET: &str = "webrtc-pc: set the session description: removed transceivers are not in the set of transceivers";
    /// An associated m-section keeps its mid.
    pub const MID_STABLE: &str =
        "RFC 9429 §5.2.2 / §5.10: an associated m= section keeps its a=mid";
}

/// What blocked an operation that threw `InvalidStateError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Blocker {
    /// `[[Stopping]]` is true (and `[[Stopped]]` is not).
    Stopping,
    /// `[[Stopped]]` is true.
    Stopped,
    /// The transceiver was removed from the set of transceivers.
    Removed,
    /// The peer connection is closed.
    ConnectionClosed,
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Stopping => "the transceiver is stopping",
            Self::Stopped => "the transceiver is stopped",
            Self::Removed => "the transceiver was removed",
            Self::ConnectionClosed => "the peer connection is closed",
        })
    }
}

/// An input the machine refused. The state is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The W3C `InvalidStateError`.
    #[error("InvalidStateError: {operation} refused because {blocker} ({rule})")]
    InvalidState {
        /// The refused operation.
        operation: InputKind,
        /// What blocked it.
        blocker: Blocker,
        /// The rule.
        rule: &'static str,
    },
    /// `addTrack` asked to reuse a sender whose current direction has already sent media.
    #[error(
        "addTrack cannot reuse this transceiver: its current direction has sent media ({rule})"
    )]
    NotReusable {
        /// The rule.
        rule: &'static str,
    },
    /// A description gave an associated transceiver a different mid.
    #[error("m-section mid {section} differs from the associated mid {associated} ({rule})")]
    MidMismatch {
        /// The transceiver's mid.
        associated: Mid,
        /// The mid in the description.
        section: Mid,
        /// The rule.
        rule: &'static str,
    },
}

impl Error {
    /// Who is at fault. Every error of this machine is the caller's: the session validates a
    /// peer's description before it reaches a transceiver.
    pub fn fault(&self) -> Fault {
        match self {
            Self::InvalidState { .. } | Self::NotReusable { .. } | Self::MidMismatch { .. } => {
                Fault::Caller
            }
        }
    }

    /// The rule that was broken.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::InvalidState { rule, .. }
            | Self::NotReusable { rule }
            | Self::MidMismatch { rule, .. } => rule,
        }
    }
}
