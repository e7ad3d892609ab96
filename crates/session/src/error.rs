//! The session's errors: who is at fault, which rule, which W3C exception, and always
//! "nothing changed".
//!
//! Every public call that fails leaves the **whole** session exactly as it was (see
//! `Session::call`).

use std::fmt;

use tacet_transceiver_fsm::Fault;

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
    /// W3C `InvalidModificationError`: the description does not fit (e.g. a local
    /// description that is not the one this session created).
    #[error("InvalidModificationError: {what} ({rule})")]
    InvalidModification {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
    },
    /// W3C `InvalidAccessError`: the call names something that cannot be used that way (e.g.
    /// `addTrack` with a track that already has a sender).
    #[error("InvalidAccessError: {what} ({rule})")]
    InvalidAccess {
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
    /// The id names a transceiver of another session (W3C: an object "not created by
    /// connection").
    #[error("{0:?} belongs to another session")]
    ForeignTransceiver(TransceiverId),
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
    /// A remote description breaks an offer/answer rule tacet-sdp does not check alone, or
    /// (strict [`PeerPolicy`](crate::PeerPolicy)) bends one that the tolerant policy would
    /// read leniently. The first violation found decides `what` and `rule`; every other one
    /// found in the same description is in `also`, so the peer's author learns all of them.
    #[error("remote description: {what} ({rule}){}", also_text(also))]
    PeerViolation {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
        /// The other violations found in the same description, each with where and which rule
        /// (`warning.kind.rule()`).
        also: Vec<tacet_sdp::Warning>,
    },
    /// The session's [`CodecConfig`](crate::CodecConfig) cannot be offered: it needs more
    /// payload types (or header-extension ids) than RTP has, or a RED codec names no primary.
    /// The caller's fault; the description cannot be generated (W3C `OperationError`).
    #[error("OperationError: codec configuration: {what} ({rule})")]
    InvalidCodecConfig {
        /// What.
        what: String,
        /// The rule.
        rule: &'static str,
    },
}

/// `; also: …` for the violations after the first.
fn also_text(also: &[tacet_sdp::Warning]) -> String {
    if also.is_empty() {
        return String::new();
    }
    let mut text = String::from("; also: ");
    for (i, warning) in also.iter().enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        text.push_str(&format!("{warning} ({})", warning.kind.rule()));
    }
    text
}

/// The W3C exception a call would throw (or reject its promise with) in a browser
/// (WebIDL `DOMException` names, plus the two ECMAScript errors webrtc-pc uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomException {
    /// `InvalidStateError`: not allowed in this state (closed, stopping, signaling state).
    InvalidStateError,
    /// `InvalidModificationError`: a local description that is not the one created.
    InvalidModificationError,
    /// `InvalidAccessError`: an object that cannot be used that way.
    InvalidAccessError,
    /// `OperationError` (and `RTCError`, whose name it is): the operation failed, e.g. a
    /// remote description that breaks SDP or JSEP rules (`sdp-syntax-error`).
    OperationError,
    /// `SyntaxError`: a malformed string argument.
    SyntaxError,
    /// ECMAScript `TypeError`: malformed arguments.
    TypeError,
    /// ECMAScript `RangeError`: an argument out of its range.
    RangeError,
}

impl DomException {
    /// The exception's `name`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::InvalidStateError => "InvalidStateError",
            Self::InvalidModificationError => "InvalidModificationError",
            Self::InvalidAccessError => "InvalidAccessError",
            Self::OperationError => "OperationError",
            Self::SyntaxError => "SyntaxError",
            Self::TypeError => "TypeError",
            Self::RangeError => "RangeError",
        }
    }
}

impl fmt::Display for DomException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Error {
    /// The W3C exception a browser would raise for this refusal.
    pub fn dom_exception(&self) -> DomException {
        match self {
            Self::InvalidState { .. } | Self::WrongSignalingState { .. } => {
                DomException::InvalidStateError
            }
            Self::InvalidModification { .. } => DomException::InvalidModificationError,
            // webrtc-pc removeTrack: "If sender was not created by connection, throw an
            // InvalidAccessError" — an id this session never made.
            Self::InvalidAccess { .. }
            | Self::UnknownTransceiver(_)
            | Self::ForeignTransceiver(_) => DomException::InvalidAccessError,
            Self::Transceiver { source, .. } => match source {
                tacet_transceiver_fsm::Error::MidMismatch { .. } => {
                    DomException::InvalidAccessError
                }
                // InvalidState, and NotReusable (addTrack's reuse rule, a state check).
                _ => DomException::InvalidStateError,
            },
            // webrtc-pc: a description that cannot be applied rejects with an RTCError, whose
            // name is OperationError (`sdp-syntax-error` for text that is not valid SDP).
            Self::Sdp { .. } | Self::PeerViolation { .. } | Self::Operation { .. } => {
                DomException::OperationError
            }
            // webrtc-pc createOffer: when inspecting the system state for the offer fails,
            // "reject p with a newly created OperationError".
            Self::InvalidCodecConfig { .. } => DomException::OperationError,
            Self::Type { .. } => DomException::TypeError,
        }
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        match self {
            Self::Sdp { fault, .. } => *fault,
            Self::PeerViolation { .. } | Self::Operation { .. } => Fault::Peer,
            Self::Transceiver { source, .. } => source.fault(),
            Self::InvalidState { .. }
            | Self::InvalidModification { .. }
            | Self::InvalidAccess { .. }
            | Self::WrongSignalingState { .. }
            | Self::Type { .. }
            | Self::UnknownTransceiver(_)
            | Self::ForeignTransceiver(_) => Fault::Caller,
            Self::InvalidCodecConfig { .. } => Fault::Caller,
        }
    }

    /// The rule broken.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::InvalidState { rule, .. }
            | Self::InvalidModification { rule, .. }
            | Self::InvalidAccess { rule, .. }
            | Self::WrongSignalingState { rule, .. }
            | Self::PeerViolation { rule, .. }
            | Self::Operation { rule, .. }
            | Self::Type { rule, .. } => rule,
            Self::UnknownTransceiver(_) => "webrtc-pc: the set of transceivers",
            Self::ForeignTransceiver(_) => {
                "webrtc-pc removeTrack: a sender not created by connection -> InvalidAccessError"
            }
            Self::Transceiver { source, .. } => source.rule(),
            Self::Sdp { source, .. } => source.rule(),
            Self::InvalidCodecConfig { rule, .. } => rule,
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
            also: Vec::new(),
        }
    }
}
