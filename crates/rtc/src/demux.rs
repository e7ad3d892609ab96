//! Which protocol a datagram on a WebRTC 5-tuple carries, from its first byte (RFC 7983 §7,
//! as updated by RFC 9443 §3: STUN 0–3, ZRTP 16–19, DTLS 20–63, TURN channels 64–79,
//! RTP/RTCP 128–191).

/// The protocol of one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// STUN (ICE connectivity checks and consent): first byte 0–3.
    Stun,
    /// DTLS records: first byte 20–63.
    Dtls,
    /// SRTP or SRTCP: first byte 128–191.
    Rtp,
    /// Anything else (empty, ZRTP, TURN channel data on a host candidate, garbage): dropped.
    Unknown,
}

/// Classifies a datagram by its first byte.
pub fn classify(datagram: &[u8]) -> Protocol {
    match datagram.first() {
        Some(0..=3) => Protocol::Stun,
        Some(20..=63) => Protocol::Dtls,
        Some(128..=191) => Protocol::Rtp,
        _ => Protocol::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7983_boundaries() {
        let cases = [
            (0, Protocol::Stun),
            (3, Protocol::Stun),
            (4, Protocol::Unknown),
            (19, Protocol::Unknown),
            (20, Protocol::Dtls),
            (22, Protocol::Dtls), // a handshake record
            (63, Protocol::Dtls),
            (64, Protocol::Unknown),
            (127, Protocol::Unknown),
            (128, Protocol::Rtp),
            (191, Protocol::Rtp),
            (192, Protocol::Unknown),
            (255, Protocol::Unknown),
        ];
        for (byte, expected) in cases {
            assert_eq!(classify(&[byte, 0, 0]), expected, "first byte {byte}");
        }
        assert_eq!(classify(&[]), Protocol::Unknown);
    }
}
