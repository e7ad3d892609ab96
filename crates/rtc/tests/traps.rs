//! The traps of the rtc-* crates the transport reference lists (§3), each shown in memory:
//! what the connection does instead of what the crate would do on its own.

mod net;

use std::net::SocketAddr;
use std::time::Duration;

use net::{Net, Side, all_arrive, exchange, open_chat};
use tacet_rtc::{Event, Input};

/// Trap 3: rtc-dtls keys its connection by the remote address. A DTLS server that saw the
/// datagram's address would take a new source for a stranger and start over; the connection
/// gives DTLS one fixed pseudo-address, so a change of the peer's source address (a NAT
/// rebinding, or ICE switching pairs) leaves the DTLS session and the association running.
#[test]
fn dtls_keeps_its_session_when_the_peers_source_address_changes() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 50);
    net.run_for(Duration::from_millis(100));
    // From now on A's DTLS records reach B from another port.
    net.a_dtls_source = Some("127.0.0.1:45999".parse::<SocketAddr>().expect("an address"));
    exchange(&mut net, chat, 50, 100);
    all_arrive(&mut net, chat, 150);
    let connected = net
        .b_events
        .iter()
        .filter(|e| matches!(e, Event::TransportConnected { .. }))
        .count();
    assert_eq!(connected, 1, "one DTLS session: {:?}", net.b_events);
    assert_eq!(net.b.stats().dropped_malformed, 0);
}

/// Trap 2: after `stop()` a DTLS client answers late datagrams with an error and a server
/// would start a new handshake. `close()` releases the transport; whatever the peer still
/// sends is dropped and counted, and nothing goes back after the close_notify.
#[test]
fn late_datagrams_for_a_closed_transport_are_dropped() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 20);
    all_arrive(&mut net, chat, 20);

    net.session(Side::A, |s| s.close());
    let a_sent = net.a_sent;
    // B does not know yet (its close_notify is in flight): it keeps sending.
    let now = net.now;
    for i in 0..10 {
        let _ = net.b.handle_input(
            now,
            Input::Command(tacet_rtc::Command::Send {
                channel: chat.1,
                message: tacet_rtc::Message::Text(format!("late{i}")),
            }),
        );
    }
    net.run_for(Duration::from_secs(5));

    assert!(
        net.a.stats().dropped_closed > 0,
        "A dropped B's late datagrams: {:?}",
        net.a.stats()
    );
    assert!(
        net.a_sent - a_sent <= 1,
        "only the close_notify left A: {}",
        net.a_sent - a_sent
    );
    assert!(
        net.b_events
            .iter()
            .any(|e| matches!(e, Event::TransportClosed { .. })),
        "B heard the close_notify: {:?}",
        net.b_events
    );
    let connected = net
        .a_events
        .iter()
        .filter(|e| matches!(e, Event::TransportConnected { .. }))
        .count();
    assert_eq!(connected, 1, "no second handshake on A");
}

/// Trap 4 (the choice: SCTP DATA retransmissions unlimited; path death is ICE's call): a 20 s
/// outage — ICE disconnected but not failed, SCTP backing off — and every numbered message
/// still arrives once the link is back, in order, none twice.
#[test]
fn numbered_messages_survive_a_20_s_outage() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 50);
    net.down = true;
    exchange(&mut net, chat, 50, 50);
    net.run_for(Duration::from_secs(20));
    net.down = false;
    exchange(&mut net, chat, 100, 50);
    net.run_until(Duration::from_secs(120), |n| {
        n.received(Side::A, chat.0).len() >= 150 && n.received(Side::B, chat.1).len() >= 150
    });
    all_arrive(&mut net, chat, 150);
    for side in [Side::A, Side::B] {
        let events = net.events(side);
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::TransportFailed { .. } | Event::SctpLost { .. })),
            "{side:?}: {events:?}"
        );
    }
}
