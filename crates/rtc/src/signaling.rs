//! The signaling hook: how a [`PeerConnection`](crate::PeerConnection) that negotiates by
//! itself reaches its peer.
//!
//! WebRTC leaves signaling to the application (webrtc-pc §1, RFC 9429 §3.1). With a hook
//! attached, the connection runs perfect negotiation (webrtc-pc §10.7) over it, so `stop()`,
//! `stop_media()` and `add_track()` complete their renegotiation without application code — the
//! pattern aiortc's users expect when they stop every transceiver in a loop. The hook is a
//! small trait: send a message to the peer, receive the peer's next one. [`channel_pair`] is an
//! in-process implementation (two connections in one program: tests, the demo);
//! [`TcpSignaling`] speaks aiortc's `TcpSocketSignaling` (JSON lines over TCP); any other
//! channel (a WebSocket, a server) implements the trait.

mod tcp;

pub use tcp::{TcpSignaling, decode_line, encode_line};

use std::future::Future;

use tacet_sdp::SessionDescription;
use tacet_session::RemoteCandidate;
use tokio::sync::mpsc;

/// One message between two negotiating peers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignalMessage {
    /// An offer or an answer, with the candidates gathered when it was sent (boxed: a
    /// description is large next to the other variants).
    Description(Box<SessionDescription>),
    /// A trickled candidate (webrtc-pc `icecandidate`; the receiver calls `addIceCandidate`).
    Candidate(RemoteCandidate),
    /// The peer could not apply our last description: its `setRemoteDescription` (or the
    /// answer it would make) failed with this error. The receiver rolls its offer back.
    Refused {
        /// The peer's error, as text (which rule, whose fault).
        reason: String,
    },
}

/// The signaling channel failed: the connection cannot negotiate any more.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignalingError {
    /// The peer's end of the channel is gone.
    #[error("signaling: the peer's end of the channel is closed")]
    Closed,
    /// The channel's own failure, as its implementation words it.
    #[error("signaling: {0}")]
    Channel(String),
}

/// The hook a [`PeerConnection`](crate::PeerConnection) negotiates through. Messages of each
/// direction must arrive in order (perfect negotiation assumes it); they may be delayed.
pub trait Signaling: Send + 'static {
    /// Sends one message to the peer.
    fn send(
        &mut self,
        message: SignalMessage,
    ) -> impl Future<Output = Result<(), SignalingError>> + Send;

    /// The peer's next message; `None` once the peer's end is gone. Must be cancel-safe: the
    /// connection's task drops this future whenever another input wins, and no message may be
    /// lost when it does.
    fn recv(&mut self) -> impl Future<Output = Option<SignalMessage>> + Send;
}

/// One end of an in-process signaling channel (tokio unbounded channels, in order).
#[derive(Debug)]
pub struct ChannelSignaling {
    to_peer: mpsc::UnboundedSender<SignalMessage>,
    from_peer: mpsc::UnboundedReceiver<SignalMessage>,
}

/// Two connected ends: what one sends, the other receives.
pub fn channel_pair() -> (ChannelSignaling, ChannelSignaling) {
    let (a_tx, b_rx) = mpsc::unbounded_channel();
    let (b_tx, a_rx) = mpsc::unbounded_channel();
    (
        ChannelSignaling {
            to_peer: a_tx,
            from_peer: a_rx,
        },
        ChannelSignaling {
            to_peer: b_tx,
            from_peer: b_rx,
        },
    )
}

impl Signaling for ChannelSignaling {
    async fn send(&mut self, message: SignalMessage) -> Result<(), SignalingError> {
        self.to_peer
            .send(message)
            .map_err(|_| SignalingError::Closed)
    }

    async fn recv(&mut self) -> Option<SignalMessage> {
        // `UnboundedReceiver::recv` is cancel-safe.
        self.from_peer.recv().await
    }
}

/// The hook of a connection without one: never sends (it is never asked to), never receives.
#[derive(Debug)]
pub(crate) enum NoSignaling {}

impl Signaling for NoSignaling {
    async fn send(&mut self, _: SignalMessage) -> Result<(), SignalingError> {
        match *self {}
    }

    async fn recv(&mut self) -> Option<SignalMessage> {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[tokio::test]
    async fn a_pair_delivers_in_order_and_reports_a_closed_end() {
        let (mut a, mut b) = channel_pair();
        for i in 0..3 {
            let reason = format!("r{i}");
            a.send(SignalMessage::Refused { reason }).await.unwrap();
        }
        for i in 0..3 {
            let reason = format!("r{i}");
            assert_eq!(b.recv().await, Some(SignalMessage::Refused { reason }));
        }
        drop(b);
        let refused = SignalMessage::Refused { reason: "x".into() };
        assert_eq!(a.send(refused).await, Err(SignalingError::Closed));
        assert_eq!(a.recv().await, None);
    }
}
