//! Media under the session: SRTP/SRTCP per transport, RTP out for a sender, RTP and RTCP in
//! for a receiver.
//!
//! - **Keys** (RFC 5764 §4.2): once a transport's DTLS handshake completes, the profile it
//!   negotiated through `use_srtp` and the exporter's `EXTRACTOR-dtls_srtp` material give one
//!   local (protect) and one remote (unprotect) SRTP context for that transport. RTP and RTCP
//!   share the 5-tuple (rtcp-mux, RFC 5761) and the keys.
//! - **Out**: [`Media::write`] builds the RTP packet of a sender (the session's SSRC, the first
//!   negotiated payload type, its own sequence numbers, the `mid` header extension when
//!   negotiated, RFC 9143 §9.1) and protects it. A sender the session stopped gets one compound
//!   SRTCP packet — RR, SDES CNAME, BYE (RFC 3550 §6.1, §6.6) — and never another packet.
//! - **In**: RTP and RTCP are told apart by the packet type byte (RFC 5761 §4), unprotected,
//!   and RTP is routed to a transceiver by the `mid` extension, then the SSRC, then the payload
//!   type (RFC 9143 §9.2). Whatever fails is dropped and counted, never a panic.
//!
//! The session decides; this module only carries the packets: whether a transceiver may send
//! or receive is asked of the session at the moment of the packet.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;
use rtc_dtls::crypto_provider::RTCCrypto;
use rtc_rtcp::goodbye::Goodbye;
use rtc_rtcp::receiver_report::ReceiverReport;
use rtc_shared::marshal::{Marshal, Unmarshal};
use tacet_sdp::SessionDescription;
use tacet_session::codecs::NegotiatedCodec;
use tacet_session::{TransceiverId, TransportId};

use crate::srtp::{Keys, keys};

/// The RTP header extension that carries the mid (RFC 9143 §15.1).
const MID_EXTENSION: &str = "urn:ietf:params:rtp-hdrext:sdes:mid";

/// One frame (or ready RTP payload) the application sends on a transceiver's sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaPayload {
    /// The payload: an encoded Opus or VP8 frame, already packetized for RTP.
    pub payload: Bytes,
    /// The RTP timestamp, in the negotiated codec's clock rate (RFC 3550 §5.1).
    pub timestamp: u32,
    /// The RTP marker bit (e.g. the last packet of a video frame, RFC 7741 §4.1).
    pub marker: bool,
}

/// An RTP packet that arrived for a transceiver's receiver, unprotected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtpPacket {
    /// The transceiver it was routed to (RFC 9143 §9.2).
    pub transceiver: TransceiverId,
    /// The sender's SSRC.
    pub ssrc: u32,
    /// The payload type.
    pub payload_type: u8,
    /// The sequence number.
    pub sequence: u16,
    /// The RTP timestamp.
    pub timestamp: u32,
    /// The marker bit.
    pub marker: bool,
    /// The payload.
    pub payload: Bytes,
}

/// One transceiver's RTP counters (payload bytes; RTP headers and SRTP tags not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrackStats {
    /// RTP packets its sender sent.
    pub packets_sent: u64,
    /// Payload bytes its sender sent.
    pub bytes_sent: u64,
    /// RTP packets delivered to its receiver.
    pub packets_received: u64,
    /// Payload bytes delivered to its receiver.
    pub bytes_received: u64,
}

/// Why a received media datagram was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// Unprotect failed: no keys yet, unauthenticated, replayed, or not RTP/RTCP at all.
    Unprotect,
    /// Authentic RTP no receiver takes: no route (RFC 9143 §9.2), or the receiver is not
    /// receptive.
    Unrouted,
}

/// What an RTP or RTCP datagram told the connection.
#[derive(Debug)]
pub(crate) enum Arrival {
    /// RTP for a transceiver (the connection checks that it may receive).
    Rtp(RtpPacket),
    /// An RTCP BYE for these transceivers' remote streams.
    Bye(Vec<TransceiverId>),
    /// RTCP with nothing the connection acts on.
    Rtcp,
}

/// A sender's stream, from the last `MediaNegotiated` effect.
struct Sender {
    transport: TransportId,
    mid: String,
    ssrc: u32,
    payload_type: u8,
    mid_extension: Option<u8>,
    sequence: u16,
    /// `StopSending` arrived: nothing more is sent, ever (the transceiver never restarts).
    stopped: bool,
}

/// A receiver's routes, from the last `MediaNegotiated` effect.
struct Receiver {
    transport: TransportId,
    mid: String,
    payload_types: Vec<u8>,
}

/// The media state of one connection.
#[derive(Default)]
pub(crate) struct Media {
    keys: HashMap<TransportId, Keys>,
    /// Why a transport has no keys although DTLS is up.
    key_failures: HashMap<TransportId, String>,
    senders: BTreeMap<TransceiverId, Sender>,
    receivers: BTreeMap<TransceiverId, Receiver>,
    /// The mid extension id each transport's receivers negotiated.
    mid_extensions: HashMap<TransportId, u8>,
    /// SSRC → transceiver per transport: from `a=ssrc` lines and learned from the mid.
    ssrcs: HashMap<(TransportId, u32), TransceiverId>,
    pub(crate) stats: BTreeMap<TransceiverId, TrackStats>,
}

impl Media {
    /// The transport's DTLS handshake completed: its SRTP contexts from the exporter
    /// (RFC 5764 §4.2). A failure is kept and reported by [`Media::write`].
    pub(crate) fn key(
        &mut self,
        transport: TransportId,
        state: Option<&rtc_dtls::state::State>,
        crypto: &dyn RTCCrypto,
    ) {
        match keys(state, crypto) {
            Ok(keys) => {
                self.key_failures.remove(&transport);
                self.keys.insert(transport, keys);
            }
            Err(why) => {
                self.keys.remove(&transport);
                self.key_failures.insert(transport, why);
            }
        }
    }

    /// The transport is gone: its keys with it.
    pub(crate) fn forget_transport(&mut self, transport: TransportId) {
        self.keys.remove(&transport);
        self.key_failures.remove(&transport);
    }

    /// Why the transport has no SRTP keys, when DTLS is up but keying failed.
    pub(crate) fn key_failure(&self, transport: TransportId) -> Option<&str> {
        self.key_failures.get(&transport).map(String::as_str)
    }

    pub(crate) fn has_keys(&self, transport: TransportId) -> bool {
        self.keys.contains_key(&transport)
    }

    /// An answer was applied: the transceiver's sender and receiver streams as negotiated
    /// (`ssrc` is `None` when the negotiated direction does not send; the session's
    /// `may_send` is what write_rtp checks). `local` and `remote` are the session's current
    /// descriptions.
    #[allow(
        clippy::too_many_arguments,
        reason = "the fields of one MediaNegotiated effect"
    )]
    pub(crate) fn negotiated(
        &mut self,
        transceiver: TransceiverId,
        mid: &str,
        transport: TransportId,
        codecs: &[NegotiatedCodec],
        ssrc: Option<u32>,
        local: Option<&SessionDescription>,
        remote: Option<&SessionDescription>,
    ) {
        let mid_extension = mid_extension(local, remote, mid);
        if let Some(id) = mid_extension {
            self.mid_extensions.insert(transport, id);
        }
        // The entry outlives a direction that does not send: its sequence numbers go on when
        // sending resumes (RFC 3550 §5.1), and an SRTP index is never used twice under one key
        // (RFC 3711 §9.1: a reused index reuses keystream).
        if let (Some(codec), Some(ssrc)) = (codecs.first(), ssrc) {
            let entry = self.senders.entry(transceiver).or_insert_with(|| Sender {
                transport,
                mid: mid.to_owned(),
                ssrc,
                payload_type: codec.pt,
                mid_extension,
                sequence: first_sequence(ssrc),
                stopped: false,
            });
            entry.transport = transport;
            entry.mid = mid.to_owned();
            entry.payload_type = codec.pt;
            entry.mid_extension = mid_extension;
            if entry.ssrc != ssrc {
                entry.ssrc = ssrc;
                entry.sequence = first_sequence(ssrc);
            }
        }
        let payload_types = codecs
            .iter()
            .flat_map(|c| std::iter::once(c.pt).chain(c.rtx_pt))
            .collect();
        self.receivers.insert(
            transceiver,
            Receiver {
                transport,
                mid: mid.to_owned(),
                payload_types,
            },
        );
        // The peer's announced SSRCs route to this transceiver (RFC 9143 §9.2 step 2).
        if let Some((_, section)) = remote.and_then(|d| d.media_by_mid(mid)) {
            for line in section.attributes.ssrcs() {
                self.ssrcs.insert((transport, line.ssrc()), transceiver);
            }
        }
    }

    /// The session's `StopSending`: from now on the sender sends nothing.
    pub(crate) fn stop_sending(&mut self, transceiver: TransceiverId) {
        if let Some(sender) = self.senders.get_mut(&transceiver) {
            sender.stopped = true;
        }
    }

    /// The transport a transceiver's sender was negotiated on.
    pub(crate) fn sender_transport(&self, transceiver: TransceiverId) -> Option<TransportId> {
        self.senders.get(&transceiver).map(|s| s.transport)
    }

    pub(crate) fn sender_stopped(&self, transceiver: TransceiverId) -> bool {
        self.senders.get(&transceiver).is_some_and(|s| s.stopped)
    }

    /// The transport `old` was replaced by `new` (same BUNDLE group): the streams move.
    pub(crate) fn replace_transport(&mut self, old: TransportId, new: TransportId) {
        // The new transport gets its own keys from its own handshake.
        self.forget_transport(old);
        for sender in self.senders.values_mut().filter(|s| s.transport == old) {
            sender.transport = new;
        }
        for receiver in self.receivers.values_mut().filter(|r| r.transport == old) {
            receiver.transport = new;
        }
        if let Some(id) = self.mid_extensions.remove(&old) {
            self.mid_extensions.insert(new, id);
        }
        let moved: Vec<_> = self
            .ssrcs
            .iter()
            .filter(|((t, _), _)| *t == old)
            .map(|((_, ssrc), id)| (*ssrc, *id))
            .collect();
        for (ssrc, id) in moved {
            self.ssrcs.remove(&(old, ssrc));
            self.ssrcs.insert((new, ssrc), id);
        }
    }

    /// One protected RTP packet of the transceiver's sender. The caller has checked that the
    /// session lets it send and that the transport has keys; `Err` carries rtc-rtp's or
    /// rtc-srtp's text.
    /// `via` is the transport that carries the sender's transport now (itself, or during a
    /// replacement the one it replaces: `Connection::carrier_for`).
    pub(crate) fn write(
        &mut self,
        transceiver: TransceiverId,
        media: &MediaPayload,
        via: TransportId,
    ) -> Result<(TransportId, Bytes), String> {
        let sender = self
            .senders
            .get_mut(&transceiver)
            .ok_or("no negotiated sender")?;
        let keys = self.keys.get_mut(&via).ok_or("no SRTP keys")?;
        let mut header = rtc_rtp::Header {
            version: 2,
            marker: media.marker,
            payload_type: sender.payload_type,
            sequence_number: sender.sequence,
            timestamp: media.timestamp,
            ssrc: sender.ssrc,
            ..rtc_rtp::Header::default()
        };
        if let Some(id) = sender.mid_extension {
            // RFC 8285 §4.2 one-byte form (ids 1–14; a mid is at most 16 bytes, RFC 9143 §9.1).
            header.extension = true;
            header.extension_profile = 0xBEDE;
            header
                .set_extension(id, Bytes::from(sender.mid.clone().into_bytes()))
                .map_err(|e| e.to_string())?;
        }
        let packet = rtc_rtp::Packet {
            header,
            payload: media.payload.clone(),
        };
        let plain = packet.marshal().map_err(|e| e.to_string())?;
        let protected = keys.local.encrypt_rtp(&plain).map_err(|e| e.to_string())?;
        sender.sequence = sender.sequence.wrapping_add(1);
        let stats = self.stats.entry(transceiver).or_default();
        stats.packets_sent += 1;
        stats.bytes_sent += media.payload.len() as u64;
        Ok((via, protected.freeze()))
    }

    /// The compound SRTCP packet that ends the sender's streams: RR, SDES CNAME (when the
    /// local description names one), BYE for `ssrcs` (RFC 3550 §6.1, §6.6). `None` when the
    /// sender never had a negotiated stream or its transport has no keys.
    pub(crate) fn bye(
        &mut self,
        transceiver: TransceiverId,
        ssrcs: &[u32],
        local: Option<&SessionDescription>,
        carrier: impl Fn(TransportId) -> TransportId,
    ) -> Option<(TransportId, Bytes)> {
        let sender = self.senders.get(&transceiver)?;
        let via = carrier(sender.transport);
        let keys = self.keys.get_mut(&via)?;
        let cname = local
            .and_then(|d| d.media_by_mid(&sender.mid))
            .and_then(|(_, section)| {
                let reporter = *ssrcs.first()?;
                section
                    .attributes
                    .ssrcs()
                    .find(|s| s.ssrc() == reporter && s.attribute() == "cname")
                    .and_then(|s| s.attribute_value().map(str::to_owned))
            });
        let plain = compound_bye(ssrcs, cname.as_deref())?;
        let protected = keys.local.encrypt_rtcp(&plain).ok()?;
        Some((via, protected.freeze()))
    }

    /// An SRTP or SRTCP datagram on `transport`: unprotected and routed.
    ///
    /// `arrived` is the transport whose keys unprotect it; `transport` the one its streams are
    /// negotiated on (they differ while `arrived` is being replaced: the peer may still send on
    /// it, make-before-break).
    pub(crate) fn receive(
        &mut self,
        arrived: TransportId,
        transport: TransportId,
        data: &[u8],
    ) -> Result<Arrival, Dropped> {
        let keys = self.keys.get_mut(&arrived).ok_or(Dropped::Unprotect)?;
        if is_rtcp(data) {
            let plain = keys
                .remote
                .decrypt_rtcp(data)
                .map_err(|_| Dropped::Unprotect)?;
            let packets =
                rtc_rtcp::packet::unmarshal(&mut plain.freeze()).map_err(|_| Dropped::Unprotect)?;
            let mut ended = Vec::new();
            for packet in &packets {
                if let Some(bye) = packet.as_any().downcast_ref::<Goodbye>() {
                    for source in &bye.sources {
                        if let Some(&id) = self.ssrcs.get(&(transport, *source))
                            && !ended.contains(&id)
                        {
                            ended.push(id);
                        }
                    }
                }
            }
            return Ok(if ended.is_empty() {
                Arrival::Rtcp
            } else {
                Arrival::Bye(ended)
            });
        }
        let plain = keys
            .remote
            .decrypt_rtp(data)
            .map_err(|_| Dropped::Unprotect)?;
        let packet =
            rtc_rtp::Packet::unmarshal(&mut plain.freeze()).map_err(|_| Dropped::Unprotect)?;
        let header = &packet.header;
        let transceiver = self.route(transport, header).ok_or(Dropped::Unrouted)?;
        Ok(Arrival::Rtp(RtpPacket {
            transceiver,
            ssrc: header.ssrc,
            payload_type: header.payload_type,
            sequence: header.sequence_number,
            timestamp: header.timestamp,
            marker: header.marker,
            payload: packet.payload,
        }))
    }

    /// Counts a delivered packet.
    pub(crate) fn delivered(&mut self, packet: &RtpPacket) {
        let stats = self.stats.entry(packet.transceiver).or_default();
        stats.packets_received += 1;
        stats.bytes_received += packet.payload.len() as u64;
    }

    /// RFC 9143 §9.2: the mid header extension (which also teaches the SSRC), then an SSRC
    /// already known, then a payload type exactly one receiver on the transport has.
    fn route(&mut self, transport: TransportId, header: &rtc_rtp::Header) -> Option<TransceiverId> {
        let by_mid = self
            .mid_extensions
            .get(&transport)
            .and_then(|id| header.get_extension(*id))
            .and_then(|mid| {
                self.receivers
                    .iter()
                    .find(|(_, r)| r.transport == transport && r.mid.as_bytes() == &mid[..])
                    .map(|(id, _)| *id)
            });
        if let Some(id) = by_mid {
            self.ssrcs.insert((transport, header.ssrc), id);
            return Some(id);
        }
        if let Some(&id) = self.ssrcs.get(&(transport, header.ssrc)) {
            return Some(id);
        }
        let mut takers = self.receivers.iter().filter(|(_, r)| {
            r.transport == transport && r.payload_types.contains(&header.payload_type)
        });
        match (takers.next(), takers.next()) {
            (Some((&id, _)), None) => {
                self.ssrcs.insert((transport, header.ssrc), id);
                Some(id)
            }
            _ => None,
        }
    }
}

/// The compound RTCP packet that ends the streams `ssrcs` (RFC 3550 §6.1: it starts with a
/// report and carries the CNAME; §6.6: BYE last): RR from the first SSRC, SDES CNAME when
/// known, BYE for all. `None` without an SSRC.
fn compound_bye(ssrcs: &[u32], cname: Option<&str>) -> Option<Vec<u8>> {
    let reporter = *ssrcs.first()?;
    // RFC 3550 §6.4.2: a participant that is no longer sending reports with an RR; with no
    // reception to report it carries no report block.
    let report = ReceiverReport {
        ssrc: reporter,
        ..ReceiverReport::default()
    };
    let mut wire = report.marshal().ok()?.to_vec();
    if let Some(cname) = cname {
        wire.extend(sdes_cname(reporter, cname)?);
    }
    let bye = Goodbye {
        sources: ssrcs.to_vec(),
        reason: Bytes::new(),
    };
    wire.extend_from_slice(&bye.marshal().ok()?);
    Some(wire)
}

/// The SDES packet with one chunk, `ssrc`'s CNAME (RFC 3550 §6.5, §6.5.1). Written here, not by
/// rtc-rtcp 0.21.1: its chunk padding ends with a count byte (as RTP padding does), where §6.5
/// asks for null octets after the null item ("additional null octets MUST be included if
/// needed to pad until the next 32-bit boundary"). aiortc 1.16 reads the octet after the null
/// item as a length, and with one octet of padding (a CNAME of 4k octets, tacet's are 16) the
/// whole compound packet failed to parse ("RTCP SDES item is truncated") and the BYE in it was
/// lost: aiortc's track never ended when tacet stopped a sender. `None` for a CNAME longer
/// than an item's 8-bit length.
fn sdes_cname(ssrc: u32, cname: &str) -> Option<Vec<u8>> {
    /// §6.5.1: the CNAME item's type.
    const CNAME: u8 = 1;
    let text = cname.as_bytes();
    let length = u8::try_from(text.len()).ok()?;
    let mut chunk = ssrc.to_be_bytes().to_vec();
    chunk.extend([CNAME, length]);
    chunk.extend_from_slice(text);
    // The null item ends the list, then null octets up to the 32-bit boundary.
    chunk.push(0);
    chunk.resize(chunk.len().next_multiple_of(4), 0);
    // §6.4.1 header: V=2, P=0, SC=1; PT=SDES (202); length in 32-bit words minus one, the
    // 4-octet header included, so the chunk's words.
    let words = u16::try_from(chunk.len() / 4).ok()?;
    let mut packet = vec![0x81, 202];
    packet.extend(words.to_be_bytes());
    packet.extend(chunk);
    Some(packet)
}

/// RFC 5761 §4: with RTP and RTCP on one port, the second byte tells them apart — RTCP packet
/// types 192–223 (SR 200, RR 201, SDES 202, BYE 203, ...) are never an RTP marker+payload type
/// in use (payload types 64–95 are avoided for this reason).
pub(crate) fn is_rtcp(data: &[u8]) -> bool {
    matches!(data.get(1), Some(192..=223))
}

/// Whether `data` is an SRTP packet (not SRTCP) of one of `ssrcs` (the SSRC field is in the
/// clear, RFC 3711 §3.1).
pub(crate) fn is_rtp_of(data: &[u8], ssrcs: &[u32]) -> bool {
    if !matches!(data.first(), Some(128..=191)) || is_rtcp(data) {
        return false;
    }
    data.get(8..12)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .is_some_and(|b| ssrcs.contains(&u32::from_be_bytes(b)))
}

/// The first sequence number of a stream. RFC 3550 §5.1 asks for a random one; the SSRC is
/// the session's random number for this stream, so its bits serve (the connection reads no
/// entropy of its own: it is a pure step).
fn first_sequence(ssrc: u32) -> u16 {
    let [a, b, c, d] = ssrc.to_be_bytes();
    u16::from_be_bytes([a ^ c, b ^ d])
}

/// The id both descriptions give the mid extension for `mid`'s section (RFC 8285 §6: the
/// answer's mapping is the one in use; tacet answers with the offer's ids).
fn mid_extension(
    local: Option<&SessionDescription>,
    remote: Option<&SessionDescription>,
    mid: &str,
) -> Option<u8> {
    let id_in = |d: Option<&SessionDescription>| {
        d.and_then(|d| d.media_by_mid(mid))
            .and_then(|(_, section)| {
                section
                    .attributes
                    .extmaps()
                    .find(|e| e.uri() == MID_EXTENSION)
                    .map(|e| e.id())
            })
    };
    match (id_in(local), id_in(remote)) {
        // One-byte header ids are 1–14 (RFC 8285 §4.2); tacet writes only those.
        (Some(a), Some(b)) if a == b && (1..=14).contains(&a) => u8::try_from(a).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtcp_is_told_from_rtp_by_the_packet_type_byte() {
        // RR (201) and BYE (203) are RTCP; RTP payload type 111 with and without the marker
        // is not (RFC 5761 §4).
        assert!(is_rtcp(&[0x80, 201, 0, 1]));
        assert!(is_rtcp(&[0x81, 203, 0, 1]));
        assert!(!is_rtcp(&[0x80, 111, 0, 1]));
        assert!(!is_rtcp(&[0x80, 111 | 0x80, 0, 1]));
        assert!(!is_rtcp(&[0x80]));
    }

    #[test]
    fn the_bye_is_a_valid_compound_packet_ending_every_ssrc() {
        let wire = compound_bye(&[7, 8], Some("cname-1")).expect("an SSRC");
        assert!(is_rtcp(&wire));
        let read = rtc_rtcp::packet::unmarshal(&mut Bytes::from(wire)).expect("parses");
        let compound = rtc_rtcp::compound_packet::CompoundPacket(read);
        // RFC 3550 §6.1: a report first, then the SDES with the CNAME.
        compound.validate().expect("a valid compound packet");
        assert_eq!(
            compound.cname().expect("a CNAME"),
            Bytes::from_static(b"cname-1")
        );
        let bye = compound.0[2]
            .as_any()
            .downcast_ref::<Goodbye>()
            .expect("BYE last");
        assert_eq!(bye.sources, vec![7, 8]);
        assert!(compound_bye(&[], None).is_none());
    }

    /// The items of an SDES packet's one chunk read as RFC 3550 §6.5 says (type, length, text
    /// until the null item), and the octets from the null item to the chunk's end.
    fn sdes_items(packet: &[u8]) -> (Vec<(u8, Vec<u8>)>, Vec<u8>) {
        assert_eq!(
            packet[..2],
            [0x81, 202],
            "V=2, no padding bit, one chunk, SDES"
        );
        let words = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
        assert_eq!(
            packet.len(),
            4 + 4 * words,
            "the length field covers the packet"
        );
        let mut at = 8;
        let mut items = Vec::new();
        while packet[at] != 0 {
            let length = usize::from(packet[at + 1]);
            items.push((packet[at], packet[at + 2..at + 2 + length].to_vec()));
            at += 2 + length;
        }
        (items, packet[at..].to_vec())
    }

    #[test]
    fn the_sdes_chunk_is_padded_with_null_octets_for_every_cname_length() {
        // RFC 3550 §6.5: the null item, then null octets to the 32-bit boundary. aiortc 1.16
        // dropped tacet's whole BYE when the padding octet was a count (16-octet CNAMEs).
        for length in 1..=20 {
            let cname = "c".repeat(length);
            let wire = compound_bye(&[0xDEAD_BEEF], Some(&cname)).expect("an SSRC");
            // The SDES follows the 8-octet RR; the 12-octet BYE (one source) ends the packet.
            let packet = &wire[8..wire.len() - 12];
            assert_eq!(packet[4..8], 0xDEAD_BEEFu32.to_be_bytes());
            let (items, rest) = sdes_items(packet);
            assert_eq!(items, vec![(1, cname.clone().into_bytes())], "{length}");
            assert!(
                !rest.is_empty() && rest.len() <= 4 && rest.iter().all(|&b| b == 0),
                "CNAME of {length}: the chunk ends {rest:?}"
            );
        }
        assert!(
            sdes_cname(1, &"c".repeat(256)).is_none(),
            "an item's length is 8 bits"
        );
    }

    #[test]
    fn an_rtp_packet_is_recognised_by_its_clear_ssrc() {
        let mut data = vec![0x80, 96, 0, 1, 0, 0, 0, 0];
        data.extend_from_slice(&0xDEAD_BEEFu32.to_be_bytes());
        assert!(is_rtp_of(&data, &[0xDEAD_BEEF]));
        assert!(!is_rtp_of(&data, &[1]));
        data[1] = 203;
        assert!(!is_rtp_of(&data, &[0xDEAD_BEEF]), "an SRTCP BYE is not RTP");
    }
}
