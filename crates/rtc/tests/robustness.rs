//! Datagrams nobody should send: dropped and counted, never a panic, never a failed transport,
//! and the data channel goes on as if nothing happened.

mod net;

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
