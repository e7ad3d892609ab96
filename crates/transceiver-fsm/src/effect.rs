//! What the machine asks its owner to do. Effects are values, not I/O: the session attaches
//! what only it knows (the SSRCs for a BYE, the receiver track) and the I/O crate executes.

use std::fmt;

/// Why a transceiver stopped. Carried by [`Effect::EndReceiverTrack`] so the owner can tell
/// the receiver track why it ended, and kept by the machine
/// ([`Transceiver::stop_cause`](crate::Transceiver::stop_cause)).
///
/// The variants are named as `tacet-track`'s `EndCause` names the same causes (the session maps
/// one onto the other in one place); the track has one more, a source that ended by itself,
/// which no transceiver stop causes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StopCause {
    /// `RTCRtpTransceiver.stop()` on this side.
    TransceiverStopped,
    /// A remote offer or answer rejected the m-section (port 0).
    RemoteRejected,
    /// A rollback removed a transceiver created by the rolled-back remote offer.
    RollbackRemoved,
    /// This side's own answer (or pranswer) rejected the m-section, and it was applied.
    LocallyRejected,
    /// The peer connection was closed.
    PeerConnectionClosed,
}

impl fmt::Display for StopCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            // The short forms the state x input snapshot records.
            Self::TransceiverStopped => "local stop",
            Self::RemoteRejected => "remote rejected",
            Self::RollbackRemoved => "rollback removed",
            Self::LocallyRejected => "locally rejected",
            Self::PeerConnectionClosed => "connection closed",
        })
    }
}

/// One effect, drained with [`Transceiver::poll_effect`](crate::Transceiver::poll_effect).
///
/// Effects come in the order the spec algorithms run. The stop effects
/// ([`StopSending`](Self::StopSending), [`SendRtcpBye`](Self::SendRtcpBye),
/// [`StopReceiving`](Self::StopReceiving), [`EndReceiverTrack`](Self::EndReceiverTrack)) and
/// [`Removed`](Self::Removed) are emitted at most once in a transceiver's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Stop sending media with the sender, now (webrtc-pc "stop sending and receiving",
    /// step 1). Nothing is sent from here on.
    StopSending,
    /// Send an RTCP BYE for each RTP stream the sender was sending (same step, RFC 3550).
    /// The session attaches the SSRCs; a sender that never sent has none, and no BYE goes out.
    SendRtcpBye,
    /// Stop receiving media with the receiver (step 2).
    StopReceiving,
    /// End the receiver track (step 3). `fire_event` is false on the `disappear` path.
    EndReceiverTrack {
        /// Why the transceiver stopped.
        cause: StopCause,
        /// Whether `ended` fires.
        fire_event: bool,
    },
    /// "Process the addition of a remote track": the owner fires `track`.
    RemoteTrackAdded,
    /// "Process the removal of a remote track": the owner mutes the receiver track and
    /// removes it from its remote streams (`removetrack`). Not an end.
    RemoteTrackRemoved,
    /// Set the receiver track's muted state to true (an RTCP BYE arrived).
    MuteReceiverTrack,
    /// Set the receiver track's muted state to false (RTP arrived while receptive).
    UnmuteReceiverTrack,
    /// Something that "check if negotiation is needed" reads changed: the owner runs
    /// "update the negotiation-needed flag".
    UpdateNegotiationNeeded,
    /// The transceiver left the set of transceivers. Terminal.
    Removed,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StopSending => f.write_str("stop sending"),
            Self::SendRtcpBye => f.write_str("send RTCP BYE"),
            Self::StopReceiving => f.write_str("stop receiving"),
            Self::EndReceiverTrack {
                cause,
                fire_event: true,
            } => write!(f, "end receiver track ({cause})"),
            Self::EndReceiverTrack {
                cause,
                fire_event: false,
            } => write!(f, "end receiver track silently ({cause})"),
            Self::RemoteTrackAdded => f.write_str("remote track added"),
            Self::RemoteTrackRemoved => f.write_str("remote track removed"),
            Self::MuteReceiverTrack => f.write_str("mute receiver track"),
            Self::UnmuteReceiverTrack => f.write_str("unmute receiver track"),
            Self::UpdateNegotiationNeeded => f.write_str("update negotiation-needed"),
            Self::Removed => f.write_str("removed"),
        }
    }
}
