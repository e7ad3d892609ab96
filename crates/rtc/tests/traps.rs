//! The traps of the rtc-* crates the transport reference lists (§3), each shown in memory:
//! what the connection does instead of what the crate would do on its own.

mod net;

use std::net::SocketAddr;
use std::time::Duration;

use net::{Net, Side, all_arrive, all_arrive_within, exchange, open_chat};
use tacet_rtc::{Event, Input, SctpLoss, TransportError};

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
    all_arrive_within(&mut net, chat, 150, Duration::from_secs(120));
    net.assert_nothing_failed();
}

/// Trap 4, the reason for the choice: two minutes in which every DTLS record is lost but STUN
/// gets through (ICE stays connected, consent fresh). SCTP's T3-rtx timer expires at about 1,
/// 3, 7, 15, 31, 63 and 123 s — past rtc-sctp's default of 5, after which it would stop
/// retransmitting and the messages would never arrive. With no limit, everything arrives once
/// the records get through again, and nothing failed.
#[test]
fn numbered_messages_survive_two_minutes_without_dtls_while_ice_stays_up() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 20);
    net.drop_dtls = true;
    exchange(&mut net, chat, 20, 20);
    net.run_for(Duration::from_secs(130));
    net.drop_dtls = false;
    all_arrive_within(&mut net, chat, 40, Duration::from_secs(120));
    net.assert_nothing_failed();
}

/// Trap 4, the limit: an outage ICE does not survive (rtc-ice: disconnected after 5 s without
/// a response, failed 25 s later; RFC 7675 §5.1 consent is 30 s) fails the transport, and with
/// no transport left to carry it the association is lost — once, with a typed reason naming
/// the transport and ICE — and `send()` is refused. Nothing of the kind before ICE gives up.
#[test]
fn an_outage_ice_does_not_survive_loses_the_association_with_a_typed_reason() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 20);
    net.down = true;
    exchange(&mut net, chat, 20, 20);
    net.run_for(Duration::from_secs(25));
    // Nothing gives up within 25 s.
    net.assert_nothing_failed();
    net.run_for(Duration::from_secs(35));
    for side in [Side::A, Side::B] {
        let events = net.events(side);
        let failed: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::TransportFailed { transport, error } => Some((*transport, error.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(failed.len(), 1, "{side:?}: {events:?}");
        let (transport, error) = failed[0].clone();
        assert_eq!(error, TransportError::IceFailed, "{side:?}");
        let lost: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, Event::SctpLost { .. }))
            .collect();
        assert_eq!(
            lost,
            [&Event::SctpLost {
                reason: SctpLoss::TransportFailed {
                    transport,
                    error: TransportError::IceFailed
                }
            }],
            "{side:?}"
        );
    }
    let now = net.now;
    let refused = net.a.handle_input(
        now,
        Input::Command(tacet_rtc::Command::Send {
            channel: chat.0,
            message: tacet_rtc::Message::Text("after".into()),
        }),
    );
    // The channel closed with the association (webrtc-pc: readyState "closed", so send()
    // is an InvalidStateError).
    assert_eq!(refused, Err(tacet_rtc::Error::ChannelNotOpen(chat.0)));
    assert!(
        net.events(Side::A)
            .contains(&Event::DataChannelClosed { channel: chat.0 })
    );
}
