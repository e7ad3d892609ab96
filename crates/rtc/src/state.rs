//! The states an application watches: per transport its ICE state, and for the whole
//! connection webrtc-pc's `RTCPeerConnectionState`, derived from every live transport.
//!
//! `connectionState` (webrtc-pc §4.3.3, RTCPeerConnectionState enum), checked top to bottom
//! over the transports that are not closed (a transport the session released, or one a BUNDLE
//! move left behind, no longer counts):
//!
//! | connection | when |
//! |---|---|
//! | `Closed` | `close()` was called |
//! | `Failed` | any transport's ICE or DTLS failed |
//! | `Disconnected` | any transport's ICE is disconnected |
//! | `New` | no transport, or every one is new or closed (no checks yet) |
//! | `Connecting` | any transport is checking or its DTLS is handshaking |
//! | `Connected` | every transport's ICE is connected or completed and its DTLS is connected |

use rtc_ice::state::ConnectionState;

/// A transport's ICE state (webrtc-pc `RTCIceTransportState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IceState {
    /// Gathering, or waiting for the remote side.
    New,
    /// Connectivity checks are running.
    Checking,
    /// A pair works (checks may go on).
    Connected,
    /// Checks are done and a pair works.
    Completed,
    /// Consent was lost on the selected pair (RFC 7675); it may come back.
    Disconnected,
    /// No pair works.
    Failed,
    /// Closed; it handles nothing more.
    Closed,
}

impl IceState {
    /// rtc-ice's state in webrtc-pc's words ("unspecified" is before anything began: new).
    pub(crate) fn from_ice(state: ConnectionState) -> Self {
        match state {
            ConnectionState::New => Self::New,
            ConnectionState::Checking => Self::Checking,
            ConnectionState::Connected => Self::Connected,
            ConnectionState::Completed => Self::Completed,
            ConnectionState::Disconnected => Self::Disconnected,
            ConnectionState::Failed => Self::Failed,
            ConnectionState::Closed => Self::Closed,
            // Unspecified, and any state a later rtc-ice adds: nothing began that we know of.
            _ => Self::New,
        }
    }
}

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
    /// `"failed"`: the handshake or ICE failed (`Connection::transport_error` says why).
    Failed,
}

/// webrtc-pc `RTCPeerConnectionState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnectionPhase {
    /// Nothing started.
    New,
    /// ICE checks or DTLS handshakes are running.
    Connecting,
    /// Every live transport is connected.
    Connected,
    /// A transport lost consent; it may come back.
    Disconnected,
    /// A transport failed.
    Failed,
    /// `close()` was called.
    Closed,
}

/// The connection's state from its transports' (ICE, DTLS) states, by the table above.
pub(crate) fn connection_phase(
    closed: bool,
    transports: impl Iterator<Item = (IceState, DtlsTransportState)> + Clone,
) -> ConnectionPhase {
    let live = transports
        .filter(|(ice, dtls)| *ice != IceState::Closed && *dtls != DtlsTransportState::Closed);
    if closed {
        return ConnectionPhase::Closed;
    }
    if live
        .clone()
        .any(|(ice, dtls)| ice == IceState::Failed || dtls == DtlsTransportState::Failed)
    {
        return ConnectionPhase::Failed;
    }
    if live.clone().any(|(ice, _)| ice == IceState::Disconnected) {
        return ConnectionPhase::Disconnected;
    }
    if live
        .clone()
        .all(|(ice, dtls)| ice == IceState::New && dtls == DtlsTransportState::New)
    {
        return ConnectionPhase::New;
    }
    let connected = |(ice, dtls): (IceState, DtlsTransportState)| {
        matches!(ice, IceState::Connected | IceState::Completed)
            && dtls == DtlsTransportState::Connected
    };
    if live.clone().all(connected) {
        ConnectionPhase::Connected
    } else {
        ConnectionPhase::Connecting
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConnectionPhase as P;
    use DtlsTransportState as D;
    use IceState as I;

    fn phase(closed: bool, transports: &[(I, D)]) -> P {
        connection_phase(closed, transports.iter().copied())
    }

    #[test]
    fn each_row_of_the_table() {
        let up = (I::Connected, D::Connected);
        assert_eq!(phase(true, &[up]), P::Closed);
        assert_eq!(phase(false, &[up, (I::Failed, D::Connected)]), P::Failed);
        assert_eq!(phase(false, &[up, (I::Connected, D::Failed)]), P::Failed);
        assert_eq!(
            phase(false, &[up, (I::Disconnected, D::Connected)]),
            P::Disconnected
        );
        assert_eq!(phase(false, &[]), P::New);
        assert_eq!(phase(false, &[(I::New, D::New)]), P::New);
        assert_eq!(phase(false, &[(I::Checking, D::New)]), P::Connecting);
        assert_eq!(
            phase(false, &[(I::Connected, D::Connecting)]),
            P::Connecting
        );
        assert_eq!(
            phase(false, &[up, (I::Completed, D::Connected)]),
            P::Connected
        );
    }

    #[test]
    fn a_closed_transport_no_longer_counts() {
        // The old transport of a BUNDLE move failed or closed: the live one decides.
        let up = (I::Connected, D::Connected);
        assert_eq!(phase(false, &[(I::Closed, D::Failed), up]), P::Connected);
        assert_eq!(phase(false, &[(I::Connected, D::Closed), up]), P::Connected);
    }
}
