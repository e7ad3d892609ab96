//! Datagrams nobody should send: dropped and counted, never a panic, never a failed transport,
//! and the data channel goes on as if nothing happened.

mod net;

use std::net::SocketAddr;
use std::time::Duration;

use net::{Net, Side, all_arrive, exchange, open_chat};
use tacet_rtc::Event;

/// Seeded garbage in every RFC 7983 class (STUN, DTLS, RTP, unknown), from the peer's own
/// address: a DTLS-class half of it with valid record framing, so it reaches the DTLS record
/// layer (epoch 0 or 1, any content type) instead of failing the framing check.
#[test]
fn garbage_datagrams_are_dropped_and_counted_and_the_channel_keeps_working() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 20);
    let (a, b) = (net.address(Side::A), net.address(Side::B));
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..4000u64 {
        let len = 1 + usize::try_from(next() % 300).expect("small");
        let mut data: Vec<u8> = (0..len).map(|_| next().to_le_bytes()[0]).collect();
        let pick = next().to_le_bytes()[1];
        data[0] = match i % 4 {
            0 => pick % 4,
            1 => 20 + pick % 44,
            2 => 128 + pick % 64,
            _ => 64 + pick % 64,
        };
        if i % 8 == 1 && len > 13 {
            // A well-framed DTLS record: version 1.2, the length field matching the rest.
            data[1] = 0xfe;
            data[2] = 0xfd;
            let body = u16::try_from(len - 13).expect("short");
            data[11..13].copy_from_slice(&body.to_be_bytes());
        }
        net.inject(Side::A, a, b, data);
    }
    exchange(&mut net, chat, 20, 80);
    all_arrive(&mut net, chat, 100);
    let stats = net.a.stats();
    assert!(stats.dropped_malformed >= 1000, "{stats:?}");
    assert_eq!(stats.dropped_media, 1000, "{stats:?}");
    let failed = net
        .a_events
        .iter()
        .find(|e| matches!(e, Event::TransportFailed { .. }));
    assert_eq!(failed, None, "garbage must not fail the transport");
}

/// A plaintext (epoch 0) fatal alert from the peer's address after the handshake: DTLS
/// records after the handshake are protected (RFC 6347 §4.1.2.1), so an unprotected alert is
/// not the peer's and must not end the transport.
#[test]
fn a_spoofed_plaintext_fatal_alert_does_not_end_the_transport() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    let (a, b) = (net.address(Side::A), net.address(Side::B));
    // content type 21 (alert), DTLS 1.2, epoch 0, sequence 99, length 2: fatal handshake_failure.
    let alert = vec![21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 99, 0, 2, 2, 40];
    net.inject(Side::A, a, b, alert);
    exchange(&mut net, chat, 0, 50);
    all_arrive(&mut net, chat, 50);
    let failed = net
        .a_events
        .iter()
        .find(|e| matches!(e, Event::TransportFailed { .. }));
    assert_eq!(failed, None);
}

/// Each kind of drop is counted under its own reason, and only there: an empty datagram and
/// a first byte no RFC 7983 range claims are malformed; a datagram on a local address no
/// transport has is unroutable; RTP/RTCP is media (not carried yet). None reaches a machine:
/// nothing is sent in answer, and the channel goes on.
#[test]
fn each_dropped_datagram_is_counted_under_its_reason() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    all_arrive(&mut net, chat, 0);
    let (a, b) = (net.address(Side::A), net.address(Side::B));
    let elsewhere: SocketAddr = "127.0.0.1:9".parse().expect("an address");
    let before = net.a.stats();
    let sent = net.a_sent;
    net.inject(Side::A, a, b, Vec::new());
    net.inject(Side::A, a, b, vec![200, 1, 2, 3]);
    net.inject(Side::A, a, b, vec![16, 1, 2, 3]); // ZRTP: not a WebRTC protocol
    net.inject(Side::A, a, b, vec![70, 1, 2, 3]); // a TURN channel on a host candidate
    net.inject(Side::A, elsewhere, b, vec![0, 1, 0, 0]); // STUN, unknown local address
    net.inject(Side::A, elsewhere, b, vec![22, 0xfe, 0xfd]); // DTLS, likewise
    net.inject(Side::A, a, b, vec![0x80, 96, 0, 1]); // RTP
    net.inject(Side::A, a, b, vec![0x80, 200, 0, 1]); // RTCP
    let after = net.a.stats();
    assert_eq!(after.datagrams_in - before.datagrams_in, 8, "{after:?}");
    assert_eq!(after.dropped_malformed - before.dropped_malformed, 4);
    assert_eq!(after.dropped_unroutable - before.dropped_unroutable, 2);
    assert_eq!(after.dropped_media - before.dropped_media, 2);
    assert_eq!(after.dropped_closed, before.dropped_closed);
    assert_eq!(net.a_sent, sent, "nothing answers a dropped datagram");
    exchange(&mut net, chat, 0, 20);
    all_arrive(&mut net, chat, 20);
}

/// Trap 1's other half: once a transport failed (here B refused A's certificate), whatever
/// still comes for it — STUN, DTLS, RTP — is dropped and counted as for a failed transport
/// before any machine sees it, and nothing is sent in answer.
#[test]
fn datagrams_for_a_failed_transport_are_dropped_and_answered_by_nothing() {
    let mut net = Net::new();
    let now = net.now;
    net.a.create_data_channel(now, "chat").expect("a channel");
    net.negotiate_with(Side::A, |offer| {
        // Another certificate's fingerprint: B's check fails (RFC 8122 §5).
        let line = offer
            .lines()
            .find(|l| l.starts_with("a=fingerprint:sha-256 "))
            .expect("a sha-256 fingerprint line")
            .to_owned();
        let forged = format!("a=fingerprint:sha-256 {}", ["00"; 32].join(":"));
        offer.replace(&line, &forged)
    })
    .expect("valid descriptions");
    net.run_for(Duration::from_secs(5));
    assert!(
        net.b_events
            .iter()
            .any(|e| matches!(e, Event::TransportFailed { .. })),
        "{:?}",
        net.b_events
    );
    let (a, b) = (net.address(Side::A), net.address(Side::B));
    let before = net.b.stats();
    let sent = net.b_sent;
    for first in [0u8, 1, 22, 23, 0x80] {
        net.inject(
            Side::B,
            b,
            a,
            vec![first, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        );
    }
    net.run_for(Duration::from_secs(5));
    let after = net.b.stats();
    assert_eq!(after.dropped_closed - before.dropped_closed, 5, "{after:?}");
    assert_eq!(after.dropped_malformed, before.dropped_malformed);
    assert_eq!(net.b_sent, sent, "a failed transport sends nothing");
}

/// STUN checks that come before the remote description are held for the agent (transport
/// reference §6) — at most 16: the rest are dropped and counted, so a flood of early checks
/// cannot grow the connection's memory. The transport then connects as usual.
#[test]
fn early_stun_checks_are_held_up_to_a_bound_and_the_rest_dropped() {
    let mut net = Net::new();
    let now = net.now;
    net.a.create_data_channel(now, "chat").expect("a channel");
    net.session(Side::A, |s| {
        let offer = s.create_offer()?;
        s.set_local_description(offer)
    })
    .expect("A's offer");
    let a = net.address(Side::A);
    let stranger: SocketAddr = "127.0.0.1:50999".parse().expect("an address");
    for i in 0..40u8 {
        // A binding request header (RFC 8489 §5) and nothing that authenticates it.
        let mut check = vec![0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        check.extend([i; 12]);
        net.inject(Side::A, a, stranger, check);
    }
    assert_eq!(
        net.a.stats().dropped_malformed,
        40 - 16,
        "{:?}",
        net.a.stats()
    );
    net.negotiate(Side::A).expect("offer/answer");
    let opened = net.run_until(Duration::from_secs(10), |n| {
        n.open_channel(Side::A, "chat").is_some() && n.open_channel(Side::B, "chat").is_some()
    });
    assert!(opened, "{:?}", net.a_events);
    let chat = (
        net.open_channel(Side::A, "chat").expect("open on A"),
        net.open_channel(Side::B, "chat").expect("open on B"),
    );
    exchange(&mut net, chat, 0, 20);
    all_arrive(&mut net, chat, 20);
}
