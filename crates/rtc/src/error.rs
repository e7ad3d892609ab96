//! Errors: what a caller did wrong ([`Error`]), why a transport stopped working
//! ([`TransportError`]) and why the SCTP association ended ([`SctpLoss`]). Both say who is at fault and which rule applies.

use tacet_session::{TransceiverId, TransportId};
use tacet_transceiver_fsm::TransceiverDirection;

use crate::data::ChannelId;

/// A refused call: the connection is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The session refused the call it was asked to make.
    #[error("session: {0}")]
    Session(#[from] tacet_session::Error),
    /// The caller named a transport the session never created, or one that is gone.
    #[error("caller: no live transport {0:?}")]
    NoSuchTransport(TransportId),
    /// The caller gave a transport a second local address (one host candidate per transport).
    #[error("caller: transport {0:?} already has its local address")]
    AddressAlreadySet(TransportId),
    /// The caller named a data channel this connection does not have.
    #[error("caller: no data channel {0:?}")]
    NoSuchChannel(ChannelId),
    /// webrtc-pc `send()`: a channel whose readyState is not "open" throws InvalidStateError.
    #[error("caller: data channel {0:?} is not open (webrtc-pc send(): InvalidStateError)")]
    ChannelNotOpen(ChannelId),
    /// webrtc-pc `send()`: a message larger than the peer's maxMessageSize throws TypeError
    /// (RFC 8841 §6).
    #[error(
        "caller: a {size}-byte message exceeds max-message-size {max} (RFC 8841 §6; webrtc-pc send(): TypeError)"
    )]
    MessageTooLarge {
        /// The message size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// webrtc-pc `createDataChannel()`: `maxRetransmits` and `maxPacketLifeTime` both set is a
    /// TypeError (RFC 8831 §6.1: a channel has one reliability limit).
    #[error(
        "caller: maxRetransmits and maxPacketLifeTime both set (webrtc-pc createDataChannel(): TypeError)"
    )]
    BothReliabilityLimits,
    /// The SCTP stack refused a write (its text, as the rtc-sctp crate gives it).
    #[error("transport: SCTP write failed: {0}")]
    Sctp(String),
    /// The peer could not apply the description this side sent (its `setRemoteDescription`
    /// failed, and it said so over the signaling hook); this side's offer was rolled back.
    #[error("peer: refused our description: {reason}")]
    Refused {
        /// The peer's error, as it worded it.
        reason: String,
    },
    /// The signaling hook failed: automatic negotiation has ended.
    #[error("{0}")]
    Signaling(#[from] crate::signaling::SignalingError),
    /// `write_rtp` on a sender that is stopping or stopped: from the moment `stop()` returns
    /// it sends nothing more (webrtc-pc RTCRtpTransceiver.stop(): "stop sending media with
    /// sender"; its SSRCs were said goodbye to with an RTCP BYE, RFC 3550 §6.6).
    #[error(
        "caller: the sender of {0:?} is stopped (webrtc-pc stop(): a stopped sender sends nothing; RFC 3550 §6.6 BYE was sent)"
    )]
    SenderStopped(TransceiverId),
    /// `write_rtp` before an answer negotiated the transceiver's m-section: no payload type,
    /// no transport yet (RFC 9429 §5.10: media is sent as the applied answer says).
    #[error(
        "caller: {0:?} is not negotiated yet (RFC 9429 §5.10: media follows an applied answer)"
    )]
    NotNegotiated(TransceiverId),
    /// `write_rtp` on a transceiver whose negotiated direction does not send (RFC 3264 §6.1:
    /// a recvonly or inactive stream carries no media from this side; webrtc-pc
    /// currentDirection).
    #[error(
        "caller: {transceiver:?} does not send (currentDirection {direction:?}; RFC 3264 §6.1)"
    )]
    NotSending {
        /// The transceiver.
        transceiver: TransceiverId,
        /// Its `currentDirection`.
        direction: Option<TransceiverDirection>,
    },
    /// `write_rtp` before the transport carrying the transceiver's m-section has connected:
    /// SRTP keys come from its finished DTLS handshake (RFC 5764 §4.2); or keying failed
    /// (`reason`).
    #[error(
        "transport: {transport:?} of {transceiver:?} has no SRTP keys (RFC 5764 §4.2: keys come from the finished DTLS handshake){}",
        reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
    )]
    MediaTransportNotConnected {
        /// The transceiver.
        transceiver: TransceiverId,
        /// Its transport.
        transport: TransportId,
        /// Why keying failed, when DTLS is up.
        reason: Option<String>,
    },
    /// `write_frame` with an empty frame: there is nothing to packetize (an encoder that has
    /// nothing to send sends nothing).
    #[error("caller: an empty frame for {0:?}")]
    EmptyFrame(TransceiverId),
    /// `write_frame` for a codec whose frames tacet does not split into packets (Opus and VP8
    /// it does): send its RTP payloads with `write_rtp`.
    #[error(
        "caller: tacet packetizes Opus and VP8 frames, not {codec} ({transceiver:?}): use write_rtp"
    )]
    NoPacketizer {
        /// The transceiver.
        transceiver: TransceiverId,
        /// Its negotiated codec.
        codec: String,
    },
    /// rtc-rtp or rtc-srtp could not build or protect the packet (their text), e.g. a payload
    /// too large for one packet.
    #[error("local: RTP packet not built: {0}")]
    Rtp(String),
    /// The connection's task has ended (its handle was dropped or the runtime shut down).
    #[error("local: the connection's task has ended")]
    ShellGone,
    /// The crypto provider could not make a certificate or a DTLS configuration.
    #[error("local: crypto: {0}")]
    Crypto(String),
}

/// Why a transport failed. A failed transport is fed nothing more: its datagrams are dropped
/// and counted (transport reference traps 1 and 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The peer's DTLS certificate matches none of the fingerprints its description carries
    /// (RFC 8122 §5, RFC 8827 §6.5): the peer, or whoever changed the signaling, is at fault.
    #[error("peer: DTLS certificate does not match its a=fingerprint: {0}")]
    Fingerprint(FingerprintFailure),
    /// The DTLS handshake or a record failed (a fatal alert sent or received, or the
    /// retransmissions ran out; RFC 6347 §4.2.4). The text is rtc-dtls's.
    #[error("transport: DTLS failed: {0}")]
    Dtls(String),
    /// ICE found no working candidate pair, or lost the one it had (RFC 8445 §8.1.2 failed
    /// state; RFC 7675 consent expired).
    #[error("transport: ICE failed (RFC 8445 §8.1.2)")]
    IceFailed,
    /// The local ICE agent or DTLS endpoint could not be built for this transport.
    #[error("local: cannot start the transport: {0}")]
    Start(String),
}

/// Why the SCTP association ended ([`Event::SctpLost`](crate::Event::SctpLost)); its data
/// channels carry nothing more. Retransmissions never end it (`docs/transport.md`, "SCTP
/// retransmission limits"): the path is dead when no transport can carry it any more.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SctpLoss {
    /// The last transport that could carry the association failed (an ICE failure — consent
    /// expired, RFC 7675 §5.1 — or a DTLS error): RFC 8261 §6, SCTP runs on its DTLS transport.
    #[error("transport: the association's last transport {transport:?} failed: {error}")]
    TransportFailed {
        /// The transport.
        transport: TransportId,
        /// Why it failed.
        error: TransportError,
    },
    /// The peer closed the last transport that could carry the association (close_notify).
    #[error("peer: closed the association's last transport {transport:?} (close_notify)")]
    TransportClosed {
        /// The transport.
        transport: TransportId,
    },
    /// The peer aborted the association (RFC 9260 §9.1; its `close()` does).
    #[error("peer: aborted the association (RFC 9260 §9.1)")]
    PeerAborted,
    /// This side's `close()` aborted it (webrtc-pc "close the connection").
    #[error("local: close() aborted the association")]
    LocallyClosed,
    /// The handshake failed (rtc-sctp's text).
    #[error("transport: SCTP handshake failed: {0}")]
    HandshakeFailed(String),
    /// rtc-sctp ended the association for another reason (its text: a protocol violation by
    /// the peer, a restart).
    #[error("transport: SCTP association ended: {0}")]
    Sctp(String),
}

/// How a peer certificate failed the fingerprint check.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FingerprintFailure {
    /// Every supported fingerprint line was checked and none matched.
    #[error("no match among the {checked:?} lines (skipped unsupported: {skipped:?})")]
    Mismatch {
        /// The hash functions of the lines checked.
        checked: Vec<String>,
        /// The hash functions of the lines skipped as unsupported.
        skipped: Vec<String>,
    },
    /// The description has no fingerprint line with a supported hash function.
    #[error(
        "no line with a supported hash function (sha-256, sha-384, sha-512); skipped {skipped:?}"
    )]
    NoSupportedFingerprint {
        /// The hash functions of the lines skipped.
        skipped: Vec<String>,
    },
    /// The peer presented no certificate.
    #[error("the peer presented no certificate")]
    NoCertificate,
}
