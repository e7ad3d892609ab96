//! Look-ups the scenario tests share.

use tacet_sdp::SessionDescription;
use tacet_session::{Session, TransceiverId, TransportState};

/// The transceiver whose mid is `mid`; panics (a failed test) when there is none.
pub fn transceiver_by_mid(session: &Session, mid: &str) -> TransceiverId {
    session
        .transceivers()
        .find(|t| t.mid().is_some_and(|m| m.as_str() == mid))
        .map(|t| t.id())
        .unwrap_or_else(|| panic!("no transceiver with mid {mid}"))
}

/// Every mid the description's BUNDLE groups name, in order.
pub fn bundled_mids(sdp: &SessionDescription) -> Vec<&str> {
    sdp.bundle_groups().flat_map(|g| g.mids()).collect()
}

/// The session's transports that are not released, in order.
pub fn live_transports(session: &Session) -> Vec<&TransportState> {
    session
        .transports()
        .iter()
        .filter(|t| !t.is_released())
        .collect()
}
