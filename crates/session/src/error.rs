//! The session's errors: who is at fault, which rule, and always "nothing changed".
//!
//! Every public call that fails leaves the **whole** session exactly as it was (the call
//! works on the session and restores a snapshot on error; see `Session::atomically`).

use tacet_sdp::Fault;

use crate::TransceiverId;
use crate::signaling::SignalingState;

/// A refused call. The session is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// W3C `InvalidStateError`: the call is not allowed in this state.
    #[error("InvalidStateError: {what} ({rule})")]
    InvalidState {
        /// What was refused and why.
        what: String,
        /// The rule.
        rule: &'static str,
    },
    /// W3C `InvalidAccessError` / `InvalidModificationError`: the description does not fit
    /// (e.g. a local description that is not the one this session created).
    #[error("InvalidModificationError: {what} ({rule})")]
    InvalidModification {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
    },
    /// The description's type is not allowed in the current signaling state.
    #[error("InvalidStateError: a {sdp_type} description cannot be set {side} in {state} ({rule})")]
    WrongSignalingState {
        /// "locally" or "remotely".
        side: &'static str,
        /// The description type.
        sdp_type: tacet_sdp::SdpType,
        /// The state.
        state: SignalingState,
        /// The rule.
        rule: &'static str,
    },
    /// No transceiver with this id (never created, or removed and asked for something only a
    /// member of the set of transceivers can do).
    #[error("no transceiver {0:?} in the set of transceivers")]
    UnknownTransceiver(TransceiverId),
    /// The transceiver machine refused (e.g. the direction setter on a stopping transceiver).
    #[error("{transceiver:?}: {source}")]
    Transceiver {
        /// Which transceiver.
        transceiver: TransceiverId,
        /// What it said.
        source: tacet_transceiver_fsm::Error,
    },
    /// A description could not be parsed or broke an SDP rule.
    #[error("{fault} description: {source}")]
    Sdp {
        /// Who wrote it: the peer for a remote description, the caller for a local one.
        fault: Fault,
        /// The SDP error.
        source: tacet_sdp::Error,
    },
    /// W3C `OperationError`: the peer's input names something that does not exist (e.g. a
    /// trickled candidate for an unknown mid).
    #[error("OperationError: {what} ({rule})")]
    Operation {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
    },
    /// W3C `TypeError`: the call's arguments are malformed.
    #[error("TypeError: {what} ({rule})")]
    Type {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
    },
    /// A remote description breaks an offer/answer rule tacet-sdp does not check alone.
    #[error("remote description: {what} ({rule})")]
    PeerViolation {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
    },
}

impl Error {
    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::Sdp { fault, .. } => *fault,
            Self::PeerViolation { .. } | Self::Operation { .. } => Fault::Peer,
            Self::Transceiver { source, .. } => source.fault(),
            Self::InvalidState { .. }
            | Self::InvalidModification { .. }
            | Self::WrongSignalingState { .. }
            | Self::Type { .. }
            | Self::UnknownTransceiver(_) => Fault::Caller,
        }
    }

    /// The rule broken.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::InvalidState { rule, .. }
            | Self::InvalidModification { rule, .. }
            | Self::WrongSignalingState { rule, .. }
            | Self::PeerViolation { rule, .. }
            | Self::Operation { rule, .. }
            | Self::Type { rule, .. } => rule,
            Self::UnknownTransceiver(_) => "webrtc-pc: the set of transceivers",
            Self::Transceiver { source, .. } => source.rule(),
            Self::Sdp { source, .. } => source.rule(),
        }
    }

    pub(crate) fn closed(what: &str) -> Self {
        Self::InvalidState {
            what: format!("{what} on a closed RTCPeerConnection"),
            rule: "webrtc-pc: [[IsClosed]] -> InvalidStateError",
        }
    }

    pub(crate) fn local_sdp(source: tacet_sdp::Error) -> Self {
        Self::Sdp {
            fault: Fault::Caller,
            source,
        }
    }

    pub(crate) fn remote_sdp(source: tacet_sdp::Error) -> Self {
        Self::Sdp {
            fault: Fault::Peer,
            source,
        }
    }

    pub(crate) fn peer(what: impl Into<String>, rule: &'static str) -> Self {
        Self::PeerViolation {
            what: what.into(),
            rule,
        }
    }
}
