//! A transport's state as W3C `RTCDtlsTransport.state` names it.

use tacet_session::TransportId;

use super::Connection;

/// `RTCDtlsTransportState` (webrtc-pc §5.5) of one of the connection's transports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DtlsTransportState {
    /// `"new"`: DTLS has not started (no address yet, or waiting for the remote description).
    New,
    /// `"connecting"`: ICE checks and the DTLS handshake are running.
    Connecting,
    /// `"connected"`: the handshake completed and the peer's certificate matched.
    Connected,
    /// `"closed"`: released by the session (no live m-section uses it, e.g. bundled away)
    /// or closed by the peer's close_notify.
    Closed,
    /// `"failed"`: the handshake or ICE failed ([`Connection::transport_error`] says why).
    Failed,
}

impl Connection {
    /// The state of `transport` (`None` for a transport the session never created).
    pub fn dtls_transport_state(&self, transport: TransportId) -> Option<DtlsTransportState> {
        let t = self.transports.iter().find(|t| t.id == transport)?;
        Some(t.states().1)
    }
}
