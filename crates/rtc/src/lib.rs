//! `tacet-rtc`: tacet's transports — ICE, DTLS, SCTP data channels and SRTP media under a
//! [`tacet_session::Session`], built on the sans-IO `rtc-*` machines.
//!
//! # The application's API
//!
//! [`PeerConnection`] runs one connection in its own tokio task with a W3C-shaped async API
//! (its docs map each webrtc-pc member to a method): offer/answer, candidates, tracks
//! ([`TrackSender`] writes encoded Opus/VP8 frames or RTP payloads; [`TrackReceiver`] yields RTP,
//! frames and the track's end), transceivers, `stop()`, `stop_media()`, data channels, stats and
//! events. [`PeerConnection::with_signaling`] attaches a [`Signaling`] hook ([`channel_pair`] in
//! process, [`TcpSignaling`] as aiortc's `TcpSocketSignaling`) and then negotiates by itself:
//! `stop()` and its kin return once both sides applied the change. The `tacet-peer` binary is a
//! scriptable command-line peer on top of it. `docs/transport.md` explains the whole crate.
//!
//! # The pure step
//!
//! A [`Connection`] owns one peer connection's machines: the session; per transport (the
//! session's [`TransportId`](tacet_session::TransportId)s) an rtc-ice agent with one host
//! candidate and an rtc-dtls endpoint; **one** rtc-sctp association for the whole connection;
//! the data channels. It reads no clock and owns no socket:
//!
//! - [`Connection::handle_input`]`(now, input)` takes one [`Input`]: a datagram (with its
//!   local and remote addresses), a timeout, or a [`Command`] of the application;
//! - [`Connection::poll_transmit`] gives the datagrams to send, [`Connection::poll_event`] the
//!   application's [`Event`]s, [`Connection::poll_timeout`] the earliest deadline;
//! - [`Connection::with_session`] runs offer/answer and transceiver calls on the session, then
//!   carries out the effects they queued.
//! - [`Connection::write_rtp`] sends a [`MediaPayload`] on a transceiver's sender (SRTP, keyed
//!   from the transport's DTLS, RFC 5764); a write that cannot be sent is a typed [`Error`].
//!   Received RTP reaches the application as [`Event::Rtp`]; an RTCP BYE mutes, RTP unmutes,
//!   through the session.
//!
//! Datagrams are demultiplexed by their first byte (RFC 7983: STUN, DTLS, RTP/RTCP); a
//! malformed or unroutable one is dropped and counted in [`Stats`], never a panic; every
//! drain loop is bounded. The connection decides nothing about stops: it carries out the
//! session's effects. `docs/transport.md` explains the step and the traps it handles.
//!
//! ```
//! use std::time::Instant;
//! use tacet_rtc::{Connection, Event};
//! use tacet_sdp::Fingerprint;
//! use tacet_session::SessionConfig;
//!
//! // The session's fingerprint is replaced by the connection's own certificate's.
//! let placeholder = Fingerprint::new("sha-256", &[0; 32])?;
//! let mut alice = Connection::new(SessionConfig::new(placeholder), 1)?;
//! let now = Instant::now();
//! alice.create_data_channel(now, "chat")?;
//! let offer = alice.with_session(now, |s| {
//!     let offer = s.create_offer()?;
//!     s.set_local_description(offer)
//! });
//! offer?;
//! // The offer created a transport: it needs a local address for its host candidate.
//! let events: Vec<Event> = std::iter::from_fn(|| alice.poll_event()).collect();
//! assert!(events.iter().any(|e| matches!(e, Event::AddressNeeded { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod certificate;
mod connection;
mod data;
pub mod demux;
mod error;
mod flight;
mod frames;
mod handover;
mod media;
mod negotiator;
mod peer;
mod shell;
pub mod signaling;
mod srtp;
mod state;
mod tracks;
mod transport;

pub use connection::{Command, Connection, Event, Input, Stats};
pub use data::{ChannelId, ChannelOptions, ChannelStats, Message, SctpOnReplacement};
pub use error::{Error, FingerprintFailure, SctpLoss, TransportError};
pub use frames::Frame;
pub use media::{MediaPayload, RtpPacket, TrackStats};
pub use peer::{Events, PeerConfig, PeerConnection};
pub use signaling::{
    ChannelSignaling, SignalMessage, Signaling, SignalingError, TcpSignaling, channel_pair,
};
pub use state::{ConnectionPhase, DtlsTransportState, IceState};
pub use tacet_session::perfect::Role;
pub use tracks::{Received, TrackReceiver, TrackSender};
pub use transport::Transmit;
