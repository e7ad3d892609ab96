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

#[test]
fn the_ice_roles_of_the_first_offer_answer_hold_for_a_transport_made_later() {
    // B answered first, then stops the BUNDLE tag and offers, building a new transport
    // (Chromium's and Firefox's way). Its new transport stays controlled, as browsers keep a
    // connection's role: the later offer does not make B controlling.
    let mut b = net::config();
    b.tag_move = tacet_session::TagMovePolicy::NewTransport;
    let mut net = Net::with(net::config(), b);
    net.session(Side::A, |s| {
        s.add_transceiver(
            tacet_track::TrackKind::Audio,
            tacet_session::TransceiverInit::default(),
        )
    })
    .expect("an audio transceiver");
    open_chat(&mut net);
    assert_eq!(net.a.ice_controlling(), Some(true));
    assert_eq!(net.b.ice_controlling(), Some(false));
    net::stop_audio_tag(&mut net, Side::B);
    net.negotiate(Side::B)
        .expect("the round that moves the tag");
    net::trickle_new_candidates(&mut net);
    let handed_over = net.run_until(Duration::from_secs(10), |n| {
        [Side::A, Side::B].iter().all(|&side| {
            n.events(side)
                .iter()
                .any(|e| matches!(e, Event::TransportHandedOver { .. }))
        })
    });
    assert!(handed_over, "the new transport connected and took over");
    assert_eq!(net.a.ice_controlling(), Some(true));
    assert_eq!(net.b.ice_controlling(), Some(false));
}
