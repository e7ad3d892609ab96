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

use super::chunks::{Chunk, DATA, I_DATA};

/// Where the checksum is in the common header.
const CHECKSUM: std::ops::Range<usize> = 8..12;
/// The I bit of DATA and I-DATA flags (RFC 7053 §4.1, RFC 8260 §2.1).
const IMMEDIATE: u8 = 0x08;

/// Where the flags of the DATA and I-DATA chunks without the I bit are, among a packet's
/// chunks (read once by the caller, who also gives them to the send log).
pub(crate) fn unmarked_data_flags(all: &[Chunk<'_>]) -> Vec<usize> {
    all.iter()
        .filter(|c| (c.kind == DATA || c.kind == I_DATA) && c.flags & IMMEDIATE == 0)
        .map(|c| c.at + 1)
        .collect()
}

/// `packet` with the I bit set at the flag offsets `flags` ([`unmarked_data_flags`]), its
/// checksum recomputed; the packet itself when there is none.
pub(crate) fn request_immediate_sack(packet: Bytes, flags: &[usize]) -> Bytes {
    if flags.is_empty() {
        return packet;
    }
    let mut amended = BytesMut::from(&packet[..]);
    for &at in flags {
        amended[at] |= IMMEDIATE;
    }
    amended[CHECKSUM].fill(0);
    // RFC 9260 §6.8: CRC32c over the whole packet with the checksum field zero, stored as
    // rtc-sctp and every stack store it (the little-endian bytes of the CRC value).
    let checksum = crc32c::crc32c(&amended);
    amended[CHECKSUM].copy_from_slice(&checksum.to_le_bytes());
    amended.freeze()
}

#[cfg(test)]
mod tests {
    use super::super::chunks::chunks;
    use super::super::chunks::tests::{data_value, packet};
    use super::*;

    /// What the connection does with a packet going out: read its chunks, mark them.
    fn amend(packet: Bytes) -> Bytes {
        let flags = chunks(&packet).map_or_else(Vec::new, |all| unmarked_data_flags(&all));
        request_immediate_sack(packet, &flags)
    }

    fn checksum_holds(p: &[u8]) -> bool {
        let mut zeroed = p.to_vec();
        zeroed[8..12].fill(0);
        crc32c::crc32c(&zeroed).to_le_bytes() == p[8..12]
    }

    #[test]
    fn data_chunks_get_the_i_bit_and_the_checksum_still_holds() {
        // A SACK (3), a DATA (0, flags B|E = 0x03) and an I-DATA (64).
        let data = data_value(1, 0, b"hi");
        let original = Bytes::from(packet(
            7,
            &[
                (3, 0, &[0; 12]),
                (DATA, 0x03, &data),
                (I_DATA, 0x03, b"xyz"),
            ],
        ));
        let amended = amend(original.clone());
        assert_ne!(amended, original);
        assert!(checksum_holds(&amended));
        assert_eq!(amended[12 + 1], 0, "the SACK's flags are untouched");
        let data_flags = 12 + 16 + 1;
        assert_eq!(amended[data_flags], 0x03 | IMMEDIATE);
        let i_data_flags = 12 + 16 + 20 + 1;
        assert_eq!(amended[i_data_flags], 0x03 | IMMEDIATE);
        let mut back = amended.to_vec();
        back[data_flags] = 0x03;
        back[i_data_flags] = 0x03;
        back[8..12].copy_from_slice(&original[8..12]);
        assert_eq!(back, original.to_vec(), "nothing else changed");
    }

    #[test]
    fn packets_without_data_or_already_marked_go_out_unchanged() {
        let sack = Bytes::from(packet(1, &[(3, 0, &[0; 12])]));
        assert_eq!(amend(sack.clone()), sack);
        let marked = Bytes::from(packet(
            1,
            &[(DATA, 0x03 | IMMEDIATE, &data_value(1, 0, b"m"))],
        ));
        assert_eq!(amend(marked.clone()), marked);
    }

    #[test]
    fn what_does_not_parse_goes_out_unchanged() {
        let mut truncated = packet(1, &[(DATA, 0x03, &data_value(1, 0, b"hello"))]);
        truncated.truncate(truncated.len() - 4);
        let truncated = Bytes::from(truncated);
        assert_eq!(amend(truncated.clone()), truncated);
        let short = Bytes::from_static(&[1, 2, 3]);
        assert_eq!(amend(short.clone()), short);
    }
}
