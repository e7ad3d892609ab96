//! Reading the chunks of an SCTP packet (RFC 9260 §3): what tacet needs to know of the packets
//! rtc-sctp makes and takes — which DATA chunk carries which message's end (`resend.rs`), what
//! the peer's SACK acknowledges, where the flags to amend are (`immediate_sack.rs`). Nothing
//! here changes what rtc-sctp does with a packet.

/// The common header: ports (4), verification tag (4), checksum (4).
pub(super) const COMMON_HEADER: usize = 12;

/// DATA (RFC 9260 §3.3.1), SACK (§3.3.4), and I-DATA (RFC 8260 §2.1).
pub(super) const DATA: u8 = 0;
pub(super) const SACK: u8 = 3;
pub(super) const I_DATA: u8 = 64;
/// The E (ending fragment) bit of a DATA chunk's flags.
const ENDING: u8 = 0x01;

/// One chunk: where it starts in the packet, its type and flags, and its value (after the
/// 4-byte chunk header, without padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Chunk<'a> {
    pub(super) at: usize,
    pub(super) kind: u8,
    pub(super) flags: u8,
    pub(super) value: &'a [u8],
}

/// Every chunk of `packet`, or `None` when the chunks do not tile it (type, flags, a length of
/// at least 4, the value padded to 4 bytes; the last chunk's padding may be absent).
pub(super) fn chunks(packet: &[u8]) -> Option<Vec<Chunk<'_>>> {
    let mut at = COMMON_HEADER;
    if packet.len() < at {
        return None;
    }
    let mut all = Vec::new();
    while at < packet.len() {
        let header = packet.get(at..at + 4)?;
        let length = usize::from(u16::from_be_bytes([header[2], header[3]]));
        if length < 4 || at + length > packet.len() {
            return None;
        }
        all.push(Chunk {
            at,
            kind: header[0],
            flags: header[1],
            value: &packet[at + 4..at + length],
        });
        at = (at + length + 3) & !3;
    }
    Some(all)
}

/// The packet's verification tag.
pub(super) fn verification_tag(packet: &[u8]) -> Option<u32> {
    let tag = packet.get(4..8)?;
    Some(u32::from_be_bytes([tag[0], tag[1], tag[2], tag[3]]))
}

/// A DATA chunk's TSN and stream, and whether it ends its message (§3.3.1).
pub(super) fn data(chunk: &Chunk<'_>) -> Option<(u32, u16, bool)> {
    if chunk.kind != DATA {
        return None;
    }
    let v = chunk.value;
    let tsn = u32::from_be_bytes(v.get(0..4)?.try_into().ok()?);
    let stream = u16::from_be_bytes(v.get(4..6)?.try_into().ok()?);
    Some((tsn, stream, chunk.flags & ENDING != 0))
}

/// A SACK's cumulative TSN ack (§3.3.4).
pub(super) fn cumulative_ack(chunk: &Chunk<'_>) -> Option<u32> {
    if chunk.kind != SACK {
        return None;
    }
    Some(u32::from_be_bytes(chunk.value.get(0..4)?.try_into().ok()?))
}

/// `a` is after `b` in TSN serial order (RFC 9260 §1.6, RFC 1982 with 32 bits).
pub(super) fn tsn_after(a: u32, b: u32) -> bool {
    a != b && a.wrapping_sub(b) < 1 << 31
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A packet: common header with `tag`, then the chunks (each padded), checksum filled in.
    pub(in crate::data) fn packet(tag: u32, chunks: &[(u8, u8, &[u8])]) -> Vec<u8> {
        let mut p = vec![0x13, 0x88, 0x13, 0x88];
        p.extend(tag.to_be_bytes());
        p.extend([0; 4]);
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
        p
    }

    /// A DATA chunk's value: TSN, stream, SSN 0, PPID 51, the payload.
    pub(in crate::data) fn data_value(tsn: u32, stream: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = tsn.to_be_bytes().to_vec();
        v.extend(stream.to_be_bytes());
        v.extend([0, 0, 0, 0, 0, 51]);
        v.extend(payload);
        v
    }

    #[test]
    fn data_and_sack_chunks_are_read() {
        let data = data_value(7, 2, b"hi");
        let mut sack = 6u32.to_be_bytes().to_vec();
        sack.extend([0; 8]);
        let p = packet(9, &[(DATA, 0x03, &data), (SACK, 0, &sack)]);
        let all = chunks(&p).expect("it parses");
        assert_eq!(all.len(), 2);
        assert_eq!(super::data(&all[0]), Some((7, 2, true)));
        assert_eq!(cumulative_ack(&all[1]), Some(6));
        assert_eq!(super::data(&all[1]), None);
        assert_eq!(verification_tag(&p), Some(9));
    }

    #[test]
    fn chunks_that_do_not_tile_the_packet_are_refused() {
        let mut p = packet(1, &[(DATA, 0x03, &data_value(1, 0, b"hello"))]);
        p.truncate(p.len() - 4);
        assert_eq!(chunks(&p), None);
        assert_eq!(chunks(&[1, 2, 3]), None);
        let mut zero = packet(1, &[(DATA, 0x03, &data_value(1, 0, b"x"))]);
        zero[14..16].fill(0);
        assert_eq!(chunks(&zero), None);
    }

    #[test]
    fn tsns_compare_in_serial_order() {
        assert!(tsn_after(5, 4));
        assert!(!tsn_after(4, 4));
        assert!(tsn_after(1, u32::MAX), "wraps");
        assert!(!tsn_after(u32::MAX, 1));
    }
}
