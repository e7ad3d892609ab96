//! The states an application watches: each transport's ICE state and the connection's
//! `connectionState` (webrtc-pc §4.3.3) through a handshake, a peer's failure and `close()`.
//! In memory, virtual time.

mod net;

use std::time::Duration;

use net::{Net, Side, open_chat};
use tacet_rtc::{ConnectionPhase, Event, IceState};

fn phases(net: &Net, side: Side) -> Vec<ConnectionPhase> {
    net.events(side)
        .iter()
        .filter_map(|e| match e {
            Event::ConnectionStateChange(phase) => Some(*phase),
            _ => None,
        })
        .collect()
}

#[test]
fn connection_state_goes_connecting_connected_then_closed() {
    let mut net = Net::new();
    open_chat(&mut net);
    for side in [Side::A, Side::B] {
        assert_eq!(
            phases(&net, side),
            vec![ConnectionPhase::Connecting, ConnectionPhase::Connected],
            "{side:?}"
        );
        let ice: Vec<IceState> = net
            .events(side)
            .iter()
            .filter_map(|e| match e {
                Event::IceStateChange { state, .. } => Some(*state),
                _ => None,
            })
            .collect();
        assert_eq!(
            ice.first(),
            Some(&IceState::Checking),
            "{side:?}: checks begin: {ice:?}"
        );
        assert!(ice.contains(&IceState::Connected), "{side:?}: {ice:?}");
        assert_eq!(
            net.conn(side).connection_state(),
            ConnectionPhase::Connected
        );
    }
    let now = net.now;
    net.a.with_session(now, |s| s.close());
    net.collect();
    net.run_for(Duration::from_secs(1));
    assert_eq!(phases(&net, Side::A).last(), Some(&ConnectionPhase::Closed));
    // The peer's transport was closed by A's close_notify: every transport there is closed, so
    // the peer's state is "new" (webrtc-pc RTCPeerConnectionState: all transports "new" or
    // "closed"); only its own close() makes it "closed".
    assert_eq!(
        net.b.connection_state(),
        ConnectionPhase::New,
        "{:?}",
        net.b_events
    );
}
