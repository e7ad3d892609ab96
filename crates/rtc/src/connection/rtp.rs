//! The connection's media: [`Connection::write_rtp`], the session's media effects carried out
//! on the wire, and SRTP/SRTCP datagrams in. The packets themselves are media.rs's.

use std::time::Instant;

use bytes::Bytes;
use tacet_session::{Effect, TransceiverId, TransportId};

use super::{Connection, Event};
use crate::error::Error;
use crate::frames::{Assembler, Frame, Framing, Packetizer};
use crate::media::{self, Arrival, Dropped, MediaPayload, RtpPacket};

impl Connection {
    /// Sends one RTP packet on the transceiver's sender: the connection builds it (the
    /// session's SSRC for the sender, the first negotiated payload type, the next sequence
    /// number, the `mid` header extension when negotiated, RFC 9143 §9.1), protects it with
    /// SRTP and queues it on the transport that carries the transceiver's m-section (its
    /// BUNDLE transport); take it with [`Connection::poll_transmit`].
    ///
    /// Refused, with nothing sent, when the sender is stopping or stopped
    /// ([`Error::SenderStopped`]), no answer negotiated it yet ([`Error::NotNegotiated`]), its
    /// negotiated direction does not send ([`Error::NotSending`]), or the transport has no SRTP
    /// keys yet ([`Error::MediaTransportNotConnected`]). A transceiver of another session is
    /// [`tacet_session::Error::ForeignTransceiver`].
    ///
    /// `now` is taken as every call of the pure step takes it; nothing reads it yet (RTCP
    /// sender reports, not sent today, will).
    pub fn write_rtp(
        &mut self,
        now: Instant,
        transceiver: TransceiverId,
        media: MediaPayload,
    ) -> Result<(), Error> {
        // Not read yet (see above); taken so callers already pass it.
        let _ = now;
        let via = self.sendable(transceiver)?;
        self.send_payload(transceiver, &media, via)
    }

    /// Sends one encoded frame lasting `duration` on the transceiver's sender: split into RTP
    /// payloads for the negotiated codec (Opus: one packet; VP8: packets of at most 1,100
    /// bytes behind the RFC 7741 payload descriptor, the marker on the last), all with the
    /// frame's RTP timestamp, which then advances by `duration` in the codec's clock (it starts
    /// random, RFC 3550 §5.1). Refused as [`Connection::write_rtp`] refuses, and with
    /// [`Error::NoPacketizer`] for a codec tacet does not split (send its payloads with
    /// `write_rtp`) or [`Error::EmptyFrame`]; a refused frame sends nothing.
    pub fn write_frame(
        &mut self,
        now: Instant,
        transceiver: TransceiverId,
        frame: Bytes,
        duration: std::time::Duration,
    ) -> Result<(), Error> {
        let _ = now;
        let via = self.sendable(transceiver)?;
        if frame.is_empty() {
            return Err(Error::EmptyFrame(transceiver));
        }
        let codec = self
            .session
            .transceiver(transceiver)
            .and_then(|t| t.codecs().first())
            .map(|c| c.codec.clone())
            .ok_or(Error::NotNegotiated(transceiver))?;
        let framing = Framing::of(&codec.name).ok_or_else(|| Error::NoPacketizer {
            transceiver,
            codec: codec.name.clone(),
        })?;
        let first = self.random_timestamp();
        let packetizer = self
            .packetizers
            .entry(transceiver)
            .and_modify(|p| {
                if p.framing() != framing {
                    // The negotiated codec changed: same clock position, new framing.
                    *p = Packetizer::new(framing, codec.clock_rate, p.timestamp());
                }
            })
            .or_insert_with(|| Packetizer::new(framing, codec.clock_rate, first));
        let payloads = packetizer.packetize(&frame, duration).map_err(Error::Rtp)?;
        for payload in &payloads {
            self.send_payload(transceiver, payload, via)?;
        }
        Ok(())
    }

    /// RFC 3550 §5.1: a random first timestamp (the OS's randomness through ring; should it
    /// fail, a value derived from the certificate's fingerprint, still unknown to an observer
    /// before the handshake).
    fn random_timestamp(&self) -> u32 {
        let mut bytes = [0u8; 4];
        if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).is_err() {
            let digest = format!("{:?}", self.certificate.fingerprint());
            bytes.copy_from_slice(
                &ring::digest::digest(&ring::digest::SHA256, digest.as_bytes()).as_ref()[..4],
            );
        }
        u32::from_be_bytes(bytes)
    }

    /// The checks every write passes: the transport that carries the sender's packets now.
    fn sendable(&self, transceiver: TransceiverId) -> Result<TransportId, Error> {
        let t = self
            .session
            .transceiver(transceiver)
            .ok_or(tacet_session::Error::ForeignTransceiver(transceiver))?;
        if t.is_stopping() || t.is_stopped() || self.media.sender_stopped(transceiver) {
            return Err(Error::SenderStopped(transceiver));
        }
        let Some(transport) = self.media.sender_transport(transceiver) else {
            return Err(if t.current_direction().is_some() {
                Error::NotSending {
                    transceiver,
                    direction: t.current_direction(),
                }
            } else {
                Error::NotNegotiated(transceiver)
            });
        };
        if !t.may_send() {
            return Err(Error::NotSending {
                transceiver,
                direction: t.current_direction(),
            });
        }
        let not_connected = || Error::MediaTransportNotConnected {
            transceiver,
            transport,
            reason: self.media.key_failure(transport).map(str::to_owned),
        };
        // During a replacement the old transport carries until this side switched
        // (make-before-break, handover.rs).
        let Some(via) = self.carrier_for(transport) else {
            return Err(not_connected());
        };
        if !self.media.has_keys(via) {
            return Err(not_connected());
        }
        Ok(via)
    }

    fn send_payload(
        &mut self,
        transceiver: TransceiverId,
        media: &MediaPayload,
        via: TransportId,
    ) -> Result<(), Error> {
        let (transport, data) = self
            .media
            .write(transceiver, media, via)
            .map_err(Error::Rtp)?;
        self.queue_media(transport, data);
        Ok(())
    }

    /// The session's media effects: negotiated streams, stop sending, BYE.
    pub(super) fn media_effect(&mut self, effect: &Effect) {
        match effect {
            Effect::MediaNegotiated {
                transceiver,
                mid,
                transport,
                send,
                codecs,
                ssrcs,
                ..
            } => {
                let ssrc = if *send { ssrcs.first().copied() } else { None };
                self.media.negotiated(
                    *transceiver,
                    mid.as_str(),
                    *transport,
                    codecs,
                    ssrc,
                    self.session.current_local_description(),
                    self.session.current_remote_description(),
                );
            }
            Effect::StopSending { transceiver } => {
                self.media.stop_sending(*transceiver);
                // "From the moment stop() returns": packets written before and not yet taken
                // with poll_transmit do not leave either.
                if let Some(t) = self.session.transceiver(*transceiver) {
                    let ssrcs = t.sender().ssrcs();
                    self.transmits
                        .retain(|x| !media::is_rtp_of(&x.data, &ssrcs));
                }
            }
            Effect::SendRtcpBye { transceiver, ssrcs } => {
                let local = self.session.current_local_description();
                let handovers = &self.handovers;
                match self
                    .media
                    .bye(*transceiver, ssrcs, local, |t| handovers.carrier(t))
                {
                    Some((transport, data)) => self.queue_media(transport, data),
                    None => self.stats.unsent += 1,
                }
            }
            Effect::TransportReleased { transport } => self.media.forget_transport(*transport),
            _ => {}
        }
    }

    /// The transport's DTLS is up: its SRTP keys.
    pub(super) fn key_media(&mut self, id: TransportId) {
        let state = self
            .transports
            .iter()
            .find(|t| t.id == id)
            .and_then(|t| t.dtls_state());
        self.media.key(id, state, self.provider.crypto());
    }

    /// An SRTP/SRTCP datagram on a live transport.
    pub(super) fn media_datagram(&mut self, arrived: TransportId, data: &[u8]) {
        // The peer may still send on a transport being replaced: its streams are the
        // replacement's.
        let transport = self.handovers.successor(arrived);
        match self.media.receive(arrived, transport, data) {
            Err(Dropped::Unprotect) => self.stats.dropped_media += 1,
            Err(Dropped::Unrouted) => self.stats.dropped_unrouted_media += 1,
            Ok(Arrival::Rtcp) => {}
            Ok(Arrival::Bye(ids)) => {
                for id in ids {
                    // RFC 3550 §6.6 / webrtc-pc: a BYE mutes the receiver track (never ends
                    // it); the session fires the event.
                    if let Ok(mut t) = self.session.transceiver_mut(id) {
                        let _ = t.rtcp_bye_received();
                    }
                }
            }
            Ok(Arrival::Rtp(packet)) => {
                let Some(t) = self.session.transceiver(packet.transceiver) else {
                    self.stats.dropped_unrouted_media += 1;
                    return;
                };
                if !t.may_receive() {
                    self.stats.dropped_unrouted_media += 1;
                    return;
                }
                if t.receiver().track().muted() {
                    // webrtc-pc "receiving RTP unmutes": the session decides and fires unmute.
                    if let Ok(mut t) = self.session.transceiver_mut(packet.transceiver) {
                        let _ = t.rtp_received();
                    }
                }
                self.media.delivered(&packet);
                let frame = self.assemble(&packet);
                self.events.push_back(Event::Rtp(packet));
                if let Some(frame) = frame {
                    self.events.push_back(Event::Frame(frame));
                }
            }
        }
    }

    /// The frame `packet` completes, for a codec tacet assembles (frames.rs).
    fn assemble(&mut self, packet: &RtpPacket) -> Option<Frame> {
        let t = self.session.transceiver(packet.transceiver)?;
        let codec = t.codecs().iter().find(|c| c.pt == packet.payload_type)?;
        let framing = Framing::of(&codec.codec.name)?;
        let assembler = self
            .assemblers
            .entry(packet.transceiver)
            .or_insert_with(|| Assembler::new(framing));
        let before = assembler.incomplete;
        let frame = assembler.push(packet);
        self.stats.incomplete_frames += assembler.incomplete - before;
        frame
    }

    fn queue_media(&mut self, transport: TransportId, data: Bytes) {
        let transmit = self
            .transports
            .iter()
            .find(|t| t.id == transport)
            .and_then(|t| t.media_transmit(data));
        match transmit {
            Some(transmit) => self.transmits.push_back(transmit),
            None => self.stats.unsent += 1,
        }
    }
}
