//! Arbitrary datagrams into a connected connection: two tacet connections with an open data
//! channel over the in-memory link of `crates/rtc/tests/net` (the same kit the tests use);
//! the fuzz bytes become datagrams handed to one side, from the peer's address or any other,
//! on its transport's address or another. Each must be dropped (and counted) or handled
//! without a panic, and afterwards the channel still carries numbered messages both ways —
//! none lost, none twice, in order — and no transport failed.
#![no_main]

#[path = "../../crates/rtc/tests/net/mod.rs"]
mod net;

use std::net::SocketAddr;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use net::{Net, Side, all_arrive, exchange, open_chat};
use tacet_rtc::Event;

/// At most this many datagrams per input.
const DATAGRAMS: usize = 64;

/// One datagram from the front of `data`: a header of three bytes, then its bytes.
///
/// | byte | bits | meaning |
/// |---|---|---|
/// | 0 | 0-2 | the first byte's class: STUN 0–3 (with the magic cookie and a length that fits, 0; as it comes, 1), DTLS 20–63 (well-framed record, 2; as it comes, 3), RTP/RTCP 128–191 (4), any byte (5–7) |
/// | 0 | 3-4 | the source: the peer's address (0, 1), another port of the peer's host (2), another host (3) |
/// | 0 | 5 | arrives on another local address (unroutable) |
/// | 0 | 6 | the link runs 5 ms after it (timers fire, the peer answers) |
/// | 1 | all | its length (0–255; a DTLS or STUN header is written over its start) |
/// | 2 | all | the port or host byte of the source when it is not the peer's |
fn next_datagram(data: &mut &[u8]) -> Option<(u8, u8, Vec<u8>)> {
    let (&[flags, len, pick], rest) = data.split_first_chunk::<3>()?;
    let len = usize::from(len).min(rest.len());
    let (body, rest) = rest.split_at(len);
    *data = rest;
    let mut bytes = body.to_vec();
    match flags & 7 {
        0 | 1 => {
            if let Some(first) = bytes.first_mut() {
                *first &= 3;
            }
            if flags & 7 == 0 && bytes.len() >= 20 {
                // RFC 8489 §5: length of what follows the 20-byte header, magic cookie.
                let length = u16::try_from(bytes.len() - 20).unwrap_or(u16::MAX);
                bytes[2..4].copy_from_slice(&length.to_be_bytes());
                bytes[4..8].copy_from_slice(&0x2112_A442u32.to_be_bytes());
            }
        }
        2 | 3 => {
            if let Some(first) = bytes.first_mut() {
                *first = 20 + *first % 44;
            }
            if flags & 7 == 2 && bytes.len() >= 13 {
                // RFC 6347 §4.1: DTLS 1.2, the length field matching the rest.
                bytes[1] = 0xfe;
                bytes[2] = 0xfd;
                let length = u16::try_from(bytes.len() - 13).unwrap_or(u16::MAX);
                bytes[11..13].copy_from_slice(&length.to_be_bytes());
            }
        }
        4 => {
            if let Some(first) = bytes.first_mut() {
                *first = 128 + *first % 64;
            }
        }
        _ => {}
    }
    Some((flags, pick, bytes))
}

fuzz_target!(|input: &[u8]| {
    let Some((&side, mut data)) = input.split_first() else {
        return;
    };
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 4);
    let (to, from) = if side & 1 == 0 {
        (Side::A, Side::B)
    } else {
        (Side::B, Side::A)
    };
    let (local, peer) = (net.address(to), net.address(from));
    for _ in 0..DATAGRAMS {
        let Some((flags, pick, bytes)) = next_datagram(&mut data) else {
            break;
        };
        let remote = match (flags >> 3) & 3 {
            0 | 1 => peer,
            2 => SocketAddr::new(peer.ip(), 50_000 + u16::from(pick)),
            _ => SocketAddr::from(([10, 0, 0, pick], 9)),
        };
        let local = if flags & 0x20 == 0 {
            local
        } else {
            SocketAddr::new(local.ip(), 60_000 + u16::from(pick))
        };
        net.inject(to, local, remote, bytes);
        if flags & 0x40 != 0 {
            net.run_for(Duration::from_millis(5));
        }
    }
    exchange(&mut net, chat, 4, 8);
    all_arrive(&mut net, chat, 12);
    for side in [Side::A, Side::B] {
        let broken = net.events(side).iter().find(|e| {
            matches!(
                e,
                Event::TransportFailed { .. }
                    | Event::TransportClosed { .. }
                    | Event::SctpLost { .. }
            )
        });
        assert_eq!(broken, None, "{side:?}");
    }
});
