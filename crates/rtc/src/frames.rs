//! Encoded frames to RTP payloads and back, for the codecs an application hands over whole
//! frames of: Opus (RFC 7587: one frame per packet) and VP8 (RFC 7741: a frame split across
//! packets behind a payload descriptor, the marker bit on its last packet). The payloaders and
//! depacketizers are rtc-rtp's; this module keeps the per-stream state around them — the RTP
//! timestamp a sender's frames advance, and the packets of a frame a receiver is assembling.
//!
//! A receiver delivers a frame only when every packet of it arrived: packets of one frame share
//! a timestamp and have consecutive sequence numbers, the first starts a partition (VP8 S bit)
//! and the last carries the marker. A frame with a gap, or one a newer timestamp interrupts, is
//! dropped and counted — a decoder would rather wait for the next key frame than decode a hole.

use std::time::Duration;

use bytes::Bytes;
use rtc_rtp::codec::opus::{OpusPacket, OpusPayloader};
use rtc_rtp::codec::vp8::{Vp8Packet, Vp8Payloader};
use rtc_rtp::packetizer::{Depacketizer, Payloader};
use tacet_session::TransceiverId;

use crate::media::{MediaPayload, RtpPacket};

/// The largest RTP payload a frame is split into: a 1200-byte datagram (safe on any path,
/// RFC 8085 §3.2) less the RTP header (12), the mid extension (at most 24) and the SRTP tag
/// (16 for AEAD_AES_128_GCM, RFC 7714 §7.2).
pub(crate) const PAYLOAD_MTU: usize = 1_100;

/// A whole encoded frame a receiver assembled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The transceiver whose receiver got it.
    pub transceiver: TransceiverId,
    /// Its RTP timestamp (the codec's clock).
    pub timestamp: u32,
    /// The encoded frame, payload descriptors removed.
    pub data: Bytes,
}

/// How a codec's frames travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One frame per packet, never split (RFC 7587 §4.2).
    Opus,
    /// Split behind a payload descriptor; the marker ends a frame (RFC 7741 §4).
    Vp8,
}

impl Framing {
    /// The framing of a codec by its `a=rtpmap` encoding name; `None` for a codec whose frames
    /// tacet does not packetize (send ready payloads with `write_rtp` instead).
    pub(crate) fn of(encoding: &str) -> Option<Self> {
        if encoding.eq_ignore_ascii_case("opus") {
            Some(Self::Opus)
        } else if encoding.eq_ignore_ascii_case("VP8") {
            Some(Self::Vp8)
        } else {
            None
        }
    }
}

/// One sender's frames to payloads.
#[derive(Debug)]
pub(crate) struct Packetizer {
    framing: Framing,
    payloader: Box<dyn Payloader>,
    clock_rate: u32,
    /// The RTP timestamp of the next frame.
    timestamp: u32,
}

impl Packetizer {
    /// `first_timestamp` should be random (RFC 3550 §5.1).
    pub(crate) fn new(framing: Framing, clock_rate: u32, first_timestamp: u32) -> Self {
        let payloader: Box<dyn Payloader> = match framing {
            Framing::Opus => Box::new(OpusPayloader),
            Framing::Vp8 => Box::new(Vp8Payloader::default()),
        };
        Self {
            framing,
            payloader,
            clock_rate,
            timestamp: first_timestamp,
        }
    }

    pub(crate) fn framing(&self) -> Framing {
        self.framing
    }

    /// The RTP timestamp the next frame gets.
    pub(crate) fn timestamp(&self) -> u32 {
        self.timestamp
    }

    /// The payloads of one frame lasting `duration`, all with the frame's timestamp; the
    /// timestamp then advances by the duration in clock ticks. `Err` carries rtc-rtp's text.
    pub(crate) fn packetize(
        &mut self,
        frame: &Bytes,
        duration: Duration,
    ) -> Result<Vec<MediaPayload>, String> {
        let payloads = self
            .payloader
            .payload(PAYLOAD_MTU, frame)
            .map_err(|e| e.to_string())?;
        let last = payloads.len().saturating_sub(1);
        let timestamp = self.timestamp;
        let packets = payloads
            .into_iter()
            .enumerate()
            .map(|(i, payload)| MediaPayload {
                payload,
                timestamp,
                // RFC 7741 §4.1: the marker ends a video frame. Audio uses it for the start of a
                // talkspurt (RFC 3551 §4.1), which a continuous Opus stream never has.
                marker: self.framing == Framing::Vp8 && i == last,
            })
            .collect();
        self.timestamp = timestamp.wrapping_add(ticks(duration, self.clock_rate));
        Ok(packets)
    }
}

/// `duration` in ticks of a `clock_rate` clock, rounded; the RTP timestamp wraps (RFC 3550
/// §5.1), so only the low 32 bits matter.
fn ticks(duration: Duration, clock_rate: u32) -> u32 {
    let ticks = (duration.as_nanos() * u128::from(clock_rate) + 500_000_000) / 1_000_000_000;
    // Truncation is the wrap-around RFC 3550 §5.1 defines.
    (ticks & u128::from(u32::MAX)) as u32
}

/// One receiver's packets back to frames.
#[derive(Debug)]
pub(crate) struct Assembler {
    framing: Framing,
    vp8: Vp8Packet,
    /// The frame being assembled: its timestamp, the sequence number expected next, the parts.
    current: Option<Partial>,
    /// Frames dropped because a packet of them was missing.
    pub(crate) incomplete: u64,
}

#[derive(Debug)]
struct Partial {
    timestamp: u32,
    next_sequence: u16,
    parts: Vec<Bytes>,
    broken: bool,
}

impl Assembler {
    pub(crate) fn new(framing: Framing) -> Self {
        Self {
            framing,
            vp8: Vp8Packet::default(),
            current: None,
            incomplete: 0,
        }
    }

    /// One packet in; a frame out when it completes one.
    pub(crate) fn push(&mut self, packet: &RtpPacket) -> Option<Frame> {
        if self.framing == Framing::Opus {
            // RFC 7587 §4.2: the payload is the frame.
            let data = OpusPacket.depacketize(&packet.payload).ok()?;
            return Some(self.frame(packet, data));
        }
        let head = self.vp8.is_partition_head(&packet.payload);
        let Ok(part) = self.vp8.depacketize(&packet.payload) else {
            self.abandon();
            return None;
        };
        let continues = self
            .current
            .as_ref()
            .is_some_and(|p| p.timestamp == packet.timestamp);
        if !continues {
            self.abandon();
            self.current = Some(Partial {
                timestamp: packet.timestamp,
                next_sequence: packet.sequence,
                parts: Vec::new(),
                // A frame whose first packet is missing cannot be decoded.
                broken: !head,
            });
        }
        let partial = self.current.as_mut()?;
        if packet.sequence != partial.next_sequence {
            partial.broken = true;
        }
        partial.next_sequence = packet.sequence.wrapping_add(1);
        partial.parts.push(part);
        if !packet.marker {
            return None;
        }
        let done = self.current.take()?;
        if done.broken {
            self.incomplete += 1;
            return None;
        }
        let data = Bytes::from(done.parts.concat());
        Some(self.frame(packet, data))
    }

    /// The frame being assembled is given up (counted when it had parts).
    fn abandon(&mut self) {
        if self.current.take().is_some() {
            self.incomplete += 1;
        }
    }

    fn frame(&self, packet: &RtpPacket, data: Bytes) -> Frame {
        Frame {
            transceiver: packet.transceiver,
            timestamp: packet.timestamp,
            data,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    fn transceiver() -> TransceiverId {
        let fingerprint = tacet_sdp::Fingerprint::new("sha-256", &[1; 32]).unwrap();
        let config = tacet_session::SessionConfig::new(fingerprint);
        let mut session = tacet_session::Session::new(config, 1);
        let init = tacet_session::TransceiverInit::default();
        session
            .add_transceiver(tacet_track::TrackKind::Video, init)
            .unwrap()
    }

    fn packets_of(p: &mut Packetizer, frame: &[u8], first_sequence: u16) -> Vec<RtpPacket> {
        let transceiver = transceiver();
        p.packetize(&Bytes::copy_from_slice(frame), Duration::from_millis(33))
            .unwrap()
            .into_iter()
            .enumerate()
            .map(|(i, m)| RtpPacket {
                transceiver,
                ssrc: 1,
                payload_type: 96,
                sequence: first_sequence.wrapping_add(i as u16),
                timestamp: m.timestamp,
                marker: m.marker,
                payload: m.payload,
            })
            .collect()
    }

    #[test]
    fn a_large_vp8_frame_splits_and_reassembles_with_the_marker_on_its_last_packet() {
        let frame: Vec<u8> = (0..5_000u32).map(|i| (i % 251) as u8).collect();
        let mut p = Packetizer::new(Framing::Vp8, 90_000, 1_000);
        let packets = packets_of(&mut p, &frame, 65_534);
        assert_eq!(packets.len(), 5, "5,000 bytes at {PAYLOAD_MTU} per packet");
        assert!(packets[..4].iter().all(|p| !p.marker) && packets[4].marker);
        assert!(packets.iter().all(|p| p.timestamp == 1_000));
        let mut a = Assembler::new(Framing::Vp8);
        let frames: Vec<_> = packets.iter().filter_map(|p| a.push(p)).collect();
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].data, frame, "across the sequence number wrap");
        // The next frame's timestamp advanced by 33 ms of a 90 kHz clock.
        let next = packets_of(&mut p, &[1, 2, 3], 3);
        assert_eq!(next[0].timestamp, 1_000 + 2_970);
    }

    #[test]
    fn a_vp8_frame_with_a_lost_or_missing_first_packet_is_dropped_and_counted() {
        let frame = vec![9u8; 3_000];
        let mut p = Packetizer::new(Framing::Vp8, 90_000, 0);
        let mut a = Assembler::new(Framing::Vp8);
        let packets = packets_of(&mut p, &frame, 10);
        // The middle packet lost.
        assert_eq!(a.push(&packets[0]), None);
        assert_eq!(a.push(&packets[2]), None);
        assert_eq!(a.incomplete, 1);
        // The next frame without its first packet.
        let packets = packets_of(&mut p, &frame, 20);
        assert_eq!(a.push(&packets[1]), None);
        assert_eq!(a.push(&packets[2]), None);
        assert_eq!(a.incomplete, 2);
        // A whole frame still comes through.
        let packets = packets_of(&mut p, &frame, 30);
        let got: Vec<_> = packets.iter().filter_map(|p| a.push(p)).collect();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].data, frame);
    }

    #[test]
    fn opus_frames_are_one_packet_each_and_advance_by_their_duration() {
        let mut p = Packetizer::new(Framing::Opus, 48_000, u32::MAX - 100);
        let first = p
            .packetize(&Bytes::from_static(&[1; 80]), Duration::from_millis(20))
            .unwrap();
        assert_eq!(first.len(), 1);
        assert!(!first[0].marker);
        let second = p
            .packetize(&Bytes::from_static(&[2; 80]), Duration::from_millis(20))
            .unwrap();
        assert_eq!(second[0].timestamp, (u32::MAX - 100).wrapping_add(960));
        assert_eq!(Framing::of("OPUS"), Some(Framing::Opus));
        assert_eq!(Framing::of("H264"), None);
    }
}
