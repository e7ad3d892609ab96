//! Errors: what a caller did wrong ([`Error`]), why a transport stopped working
//! ([`TransportError`]) and why the SCTP association ended ([`SctpLoss`]). Both say who is at fault and which rule applies.

use tacet_session::TransportId;

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
    /// The SCTP stack refused a write (its text, as the rtc-sctp crate gives it).
    #[error("transport: SCTP write failed: {0}")]
    Sctp(String),
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
