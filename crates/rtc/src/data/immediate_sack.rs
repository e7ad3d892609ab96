//! Every DATA chunk tacet sends asks the peer to acknowledge it at once (the I bit, RFC 7053
//! §4.1 "SACK-IMMEDIATELY").
//!
//! Why: Chromium may ABORT the association at any moment a BUNDLE tag moves, and carries its
//! channels to a new one (the parent module's "Restart"). tacet then sends again whatever the
//! peer had not acknowledged — correct only if "not acknowledged" means "not delivered". With
//! delayed acknowledgements (RFC 9260 §6.2: up to 200 ms or every second packet) a peer holds
//! back the SACK for messages it has already delivered, and those would arrive twice. With the
//! I bit the peer acknowledges each packet when it takes it, before anything it does later —
//! its ABORT included — so the SACK of every delivered message reaches tacet before the ABORT.
//! The cost is one SACK per DATA packet instead of one per two.
//!
//! rtc-sctp 0.21.1 never sets the bit (its stream API has no flag), so the packets it makes are
//! amended here: the I bit (0x08 of a DATA or I-DATA chunk's flags) is set and the CRC32c
//! (RFC 9260 §6.8) recomputed. A packet that does not parse as SCTP goes out unchanged.

use bytes::{Bytes, BytesMut};

/// The common header: ports (4), verification tag (4), checksum (4).
const COMMON_HEADER: usize = 12;
/// Where the checksum is in the common header.
const CHECKSUM: std::ops::Range<usize> = 8..12;
/// Chunk types that carry user data: DATA (RFC 9260 §3.3.1) and I-DATA (RFC 8260 §2.1).
const DATA: u8 = 0;
const I_DATA: u8 = 64;
/// The I bit of their flags (RFC 7053 §4.1, RFC 8260 §2.1).
const IMMEDIATE: u8 = 0x08;

/// `packet` with the I bit set on each DATA and I-DATA chunk, its checksum recomputed; the
/// packet itself when it has no such chunk without the bit, or does not parse.
pub(crate) fn request_immediate_sack(packet: Bytes) -> Bytes {
    let Some(flags) = data_chunk_flags(&packet) else {
        return packet;
    };
    if flags.iter().all(|&at| packet[at] & IMMEDIATE != 0) {
        return packet;
    }
    let mut amended = BytesMut::from(&packet[..]);
    for at in flags {
        amended[at] |= IMMEDIATE;
    }
    amended[CHECKSUM].fill(0);
    // RFC 9260 §6.8: CRC32c over the whole packet with the checksum field zero, stored as
    // rtc-sctp and every stack store it (the little-endian bytes of the CRC value).
    let checksum = crc32c::crc32c(&amended);
    amended[CHECKSUM].copy_from_slice(&checksum.to_le_bytes());
    amended.freeze()
}

/// The offsets of the flags byte of every DATA and I-DATA chunk, or `None` when the chunks do
/// not tile the packet (RFC 9260 §3.2: type, flags, length, value padded to 4 bytes).
fn data_chunk_flags(packet: &[u8]) -> Option<Vec<usize>> {
    let mut at = COMMON_HEADER;
    if packet.len() < at {
        return None;
    }
    let mut flags = Vec::new();
    while at < packet.len() {
        let header = packet.get(at..at + 4)?;
        let length = usize::from(u16::from_be_bytes([header[2], header[3]]));
        if length < 4 || at + length > packet.len() {
            return None;
        }
        if header[0] == DATA || header[0] == I_DATA {
            flags.push(at + 1);
        }
        // The last chunk's padding may be absent (RFC 9260 §3.2 lets a receiver accept it).
        at = (at + length + 3) & !3;
    }
    Some(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A packet: common header, then the chunks (each padded), checksum filled in.
    fn packet(chunks: &[(u8, u8, &[u8])]) -> Bytes {
        let mut p = vec![0x13, 0x88, 0x13, 0x88, 1, 2, 3, 4, 0, 0, 0, 0];
        for (kind, flags, value) in chunks {
            let length = u16::try_from(4 + value.len()).expect("a small test chunk");
            p.extend([*kind, *flags]);
            p.extend(length.to_be_bytes());
            p.extend(*value);
            while p.len() % 4 != 0 {
                p.push(0);
            }
        }
        let checksum = crc32c::crc32c(&p);
        p[8..12].copy_from_slice(&checksum.to_le_bytes());
        Bytes::from(p)
    }

    fn checksum_holds(p: &[u8]) -> bool {
        let mut zeroed = p.to_vec();
        zeroed[8..12].fill(0);
        crc32c::crc32c(&zeroed).to_le_bytes() == p[8..12]
    }

    #[test]
    fn data_chunks_get_the_i_bit_and_the_checksum_still_holds() {
        // A SACK (3), a DATA (0, flags B|E = 0x03) and an I-DATA (64).
        let original = packet(&[
            (3, 0, &[0; 12]),
            (0, 0x03, b"hello data"),
            (64, 0x03, b"xyz"),
        ]);
        let amended = request_immediate_sack(original.clone());
        assert_ne!(amended, original);
        assert!(checksum_holds(&amended));
        assert_eq!(amended[12 + 1], 0, "the SACK's flags are untouched");
        let data_flags = 12 + 16 + 1;
        assert_eq!(amended[data_flags], 0x03 | IMMEDIATE);
        let i_data_flags = 12 + 16 + 16 + 1;
        assert_eq!(amended[i_data_flags], 0x03 | IMMEDIATE);
        let mut back = amended.to_vec();
        back[data_flags] = 0x03;
        back[i_data_flags] = 0x03;
        back[8..12].copy_from_slice(&original[8..12]);
        assert_eq!(back, original.to_vec(), "nothing else changed");
    }

    #[test]
    fn packets_without_data_or_already_marked_go_out_unchanged() {
        let sack = packet(&[(3, 0, &[0; 12])]);
        assert_eq!(request_immediate_sack(sack.clone()), sack);
        let marked = packet(&[(0, 0x03 | IMMEDIATE, b"m")]);
        assert_eq!(request_immediate_sack(marked.clone()), marked);
    }

    #[test]
    fn what_does_not_parse_goes_out_unchanged() {
        let mut truncated = packet(&[(0, 0x03, b"hello")]).to_vec();
        truncated.truncate(truncated.len() - 4);
        let truncated = Bytes::from(truncated);
        assert_eq!(request_immediate_sack(truncated.clone()), truncated);
        let short = Bytes::from_static(&[1, 2, 3]);
        assert_eq!(request_immediate_sack(short.clone()), short);
        let mut zero_length = packet(&[(0, 0x03, b"hello")]).to_vec();
        zero_length[14..16].fill(0);
        let zero_length = Bytes::from(zero_length);
        assert_eq!(request_immediate_sack(zero_length.clone()), zero_length);
    }
}
