//! What the session tells the application (events) and the I/O layer (effects).

use std::sync::Arc;

use tacet_sdp::{Candidate, Fingerprint, Setup, Warning};
use tacet_track::EndReason;
use tacet_transceiver_fsm::Mid;

use crate::TransceiverId;
use crate::codecs::NegotiatedCodec;
use crate::mode::Mode;
use crate::signaling::SignalingState;

/// An application-facing event, drained with
/// [`Session::poll_event`](crate::Session::poll_event), in the order the spec fires them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// `negotiationneeded`: fired only in stable, once per rise of the flag.
    NegotiationNeeded,
    /// `signalingstatechange`.
    SignalingStateChange(SignalingState),
    /// `track`: the transceiver's receiver track is now fed by the remote peer.
    Track {
        /// The transceiver.
        transceiver: TransceiverId,
        /// The remote streams the track belongs to.
        streams: Vec<String>,
    },
    /// `removetrack` on a remote stream: the receiver track left `stream`.
    StreamTrackRemoved {
        /// The transceiver.
        transceiver: TransceiverId,
        /// The remote stream id.
        stream: String,
    },
    /// `addtrack` on a remote stream: the receiver track joined `stream`.
    StreamTrackAdded {
        /// The transceiver.
        transceiver: TransceiverId,
        /// The remote stream id.
        stream: String,
    },
    /// The receiver track's `mute`.
    TrackMuted {
        /// The transceiver.
        transceiver: TransceiverId,
    },
    /// The receiver track's `unmute`.
    TrackUnmuted {
        /// The transceiver.
        transceiver: TransceiverId,
    },
    /// The receiver track's `ended` (at most once per track).
    TrackEnded {
        /// The transceiver.
        transceiver: TransceiverId,
        /// Why.
        reason: EndReason,
    },
    /// The transceiver left the set of transceivers.
    TransceiverRemoved {
        /// The transceiver.
        transceiver: TransceiverId,
    },
    /// The peer's description was accepted with something odd in it, or read tolerantly under
    /// [`PeerPolicy::Tolerant`](crate::PeerPolicy::Tolerant): what, where, and the rule it
    /// bent (`warning.kind.rule()`).
    PeerWarning(Warning),
    /// The session's mode (what is negotiated and live) changed.
    ModeChanged {
        /// Before.
        from: Mode,
        /// After.
        to: Mode,
    },
}

/// Identifies one ICE+DTLS transport in the session's model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransportId(u32);

impl TransportId {
    /// The id of the transport at `index` of the session's list (opaque to the application).
    pub(crate) fn at(index: usize) -> Self {
        // Fewer than 2^32 transports per session.
        Self(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// What the remote peer's description says about a transport.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RemoteTransport {
    /// ICE username fragment.
    pub ufrag: String,
    /// ICE password.
    pub pwd: String,
    /// DTLS fingerprints.
    pub fingerprints: Vec<Fingerprint>,
    /// The peer's `a=setup`.
    pub setup: Option<Setup>,
    /// Candidates listed in the tag section.
    pub candidates: Vec<Candidate>,
    /// The port of the tag section's m-line.
    pub port: u16,
}

/// The DTLS role of this endpoint on a transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DtlsRole {
    /// DTLS client (`a=setup:active` on this side).
    Client,
    /// DTLS server (`a=setup:passive` on this side).
    Server,
}

/// An instruction for the I/O layer, drained with
/// [`Session::poll_effect`](crate::Session::poll_effect). The session decides; the I/O layer
/// executes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Stop sending on this transceiver now; nothing is sent for it any more.
    StopSending {
        /// The transceiver.
        transceiver: TransceiverId,
    },
    /// Send an RTCP BYE for these SSRCs (the streams the sender was sending; RFC 3550 §6.6).
    SendRtcpBye {
        /// The transceiver.
        transceiver: TransceiverId,
        /// Its SSRCs (never reused afterwards).
        ssrcs: Vec<u32>,
    },
    /// Stop receiving on this transceiver now.
    StopReceiving {
        /// The transceiver.
        transceiver: TransceiverId,
    },
    /// An answer was applied: what this transceiver now sends and receives.
    MediaNegotiated {
        /// The transceiver.
        transceiver: TransceiverId,
        /// Its mid.
        mid: Mid,
        /// The transport it runs on.
        transport: TransportId,
        /// Whether it sends.
        send: bool,
        /// Whether it receives.
        receive: bool,
        /// The negotiated codecs (payload types as on the wire), shared with the transceiver.
        codecs: Arc<[NegotiatedCodec]>,
        /// Our SSRCs (media, then RTX).
        ssrcs: Vec<u32>,
    },
    /// A new transport: gather candidates for it and report them with
    /// [`Session::add_local_candidate`](crate::Session::add_local_candidate).
    TransportCreated {
        /// The transport.
        transport: TransportId,
        /// The m-section that carries it.
        tag: Mid,
    },
    /// The BUNDLE tag of a transport moved to another m-section; the transport is kept
    /// (RFC 9429 §5.11: a non-rejected bundled section keeps the ICE components alive).
    TransportRetagged {
        /// The transport.
        transport: TransportId,
        /// The old tag.
        from: Mid,
        /// The new tag.
        to: Mid,
    },
    /// The peer replaced its transport for a BUNDLE group (Chromium does on a tag move: new
    /// candidates and port, same ICE credentials and fingerprint, a new DTLS handshake). Run
    /// ICE and DTLS on `new` and move the running SCTP association onto it; `old` ends.
    TransportReplaced {
        /// The transport being replaced.
        old: TransportId,
        /// The replacement.
        new: TransportId,
        /// The group's tag on the replacement.
        tag: Mid,
        /// The peer's side of the replacement.
        remote: RemoteTransport,
        /// This endpoint's DTLS role on it.
        role: DtlsRole,
    },
    /// The peer trickled a candidate for this transport (`None`: end of candidates). Hand it
    /// to the transport's ICE agent.
    RemoteCandidate {
        /// The transport.
        transport: TransportId,
        /// The candidate, or `None` for end-of-candidates.
        candidate: Option<Candidate>,
    },
    /// No live m-section uses this transport any more: close its ICE and DTLS.
    TransportReleased {
        /// The transport.
        transport: TransportId,
    },
    /// `close()`: abort the SCTP association and close every data channel without the
    /// closing procedure (webrtc-pc "close the connection").
    AbortSctp,
}
