//! What goes into the connection's step and what comes out of it.

use std::net::SocketAddr;

use bytes::Bytes;
use tacet_session::{RemoteCandidate, TransportId};

#[cfg(doc)]
use super::Connection;
use crate::data::{ChannelId, Message};
use crate::error::{SctpLoss, TransportError};
use crate::frames::Frame;
use crate::media::RtpPacket;
use crate::state::{ConnectionPhase, IceState};

/// One input to the pure step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A datagram arrived on `local` (one of the transports' addresses) from `remote`.
    Datagram {
        /// The local address it arrived on.
        local: SocketAddr,
        /// The sender.
        remote: SocketAddr,
        /// The bytes.
        data: Bytes,
    },
    /// The deadline of [`Connection::poll_timeout`] was reached.
    Timeout,
    /// The application asks for something.
    Command(Command),
}

/// What the application asks the connection for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// The local address for a transport, after [`Event::AddressNeeded`]: its host candidate
    /// (RFC 8445 §5.1.1.1), reported to the session (`add_local_candidate`).
    SetLocalAddress {
        /// The transport.
        transport: TransportId,
        /// The address (the shell binds a socket on it; tests use 127.0.0.1 ports).
        addr: SocketAddr,
    },
    /// webrtc-pc `RTCDataChannel.close()`: the channel's outgoing stream is reset (RFC 8831
    /// §6.7); [`Event::DataChannelClosed`] follows on both sides.
    CloseChannel {
        /// The channel.
        channel: ChannelId,
    },
    /// webrtc-pc `RTCDataChannel.send()`.
    Send {
        /// The channel.
        channel: ChannelId,
        /// The message.
        message: Message,
    },
}

/// What the connection tells the application.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The session created a transport: give it a local address
    /// ([`Command::SetLocalAddress`]).
    AddressNeeded {
        /// The transport.
        transport: TransportId,
    },
    /// webrtc-pc `icecandidate`: a transport gathered its host candidate (it is also in the
    /// local description from now on). Give it to the peer's `addIceCandidate` (trickle), or
    /// send the local description read after this event (non-trickle).
    LocalCandidate(RemoteCandidate),
    /// A transport's ICE state changed (webrtc-pc `RTCIceTransport` statechange).
    IceStateChange {
        /// The transport.
        transport: TransportId,
        /// Its new state.
        state: IceState,
    },
    /// The connection's state changed (webrtc-pc `connectionstatechange`; `state.rs` has the
    /// table it follows).
    ConnectionStateChange(ConnectionPhase),
    /// The transport's DTLS handshake completed (the peer's certificate matched).
    TransportConnected {
        /// The transport.
        transport: TransportId,
    },
    /// The transport failed; nothing more is fed to it.
    TransportFailed {
        /// The transport.
        transport: TransportId,
        /// Why.
        error: TransportError,
    },
    /// The peer closed the transport's DTLS (close_notify).
    TransportClosed {
        /// The transport.
        transport: TransportId,
    },
    /// A replacement is done (make-before-break, `docs/transport.md`): the SCTP association
    /// runs on `new`, and `old` was closed (close_notify).
    TransportHandedOver {
        /// The replaced transport, now closed.
        old: TransportId,
        /// The transport that carries the connection now.
        new: TransportId,
    },
    /// The SCTP association is established.
    SctpConnected,
    /// The peer aborted the SCTP association; its data channels stay open and wait (up to
    /// ten seconds) for a new association to take them over — Chromium's way of moving them
    /// to a replaced transport (`docs/transport.md`, "Association restart"). Sends are kept.
    SctpRestarting,
    /// A new association took the data channels over; `resent` messages went again on it
    /// (those the aborted one had not delivered, then those sent while restarting).
    SctpRestarted {
        /// Messages written to the new association from the kept ones.
        resent: usize,
    },
    /// The SCTP association ended; reported once.
    SctpLost {
        /// Why.
        reason: SctpLoss,
    },
    /// A data channel is open: a local one acknowledged, or one the peer opened.
    DataChannelOpen {
        /// The channel.
        channel: ChannelId,
        /// Its label.
        label: String,
    },
    /// A whole encoded frame a receiver assembled from RTP (Opus, VP8; after the
    /// [`Event::Rtp`] of its last packet).
    Frame(Frame),
    /// A message on a data channel.
    DataChannelMessage {
        /// The channel.
        channel: ChannelId,
        /// The message.
        message: Message,
    },
    /// A data channel closed: by either side's `close()`, or with the association.
    DataChannelClosed {
        /// The channel.
        channel: ChannelId,
    },
    /// An RTP packet for a transceiver's receiver (unprotected, routed by RFC 9143 §9.2).
    Rtp(RtpPacket),
    /// An event of the session (negotiation-needed, track, ended, mode, ...).
    Session(tacet_session::Event),
}
