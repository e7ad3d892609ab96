//! The connection's media: [`Connection::write_rtp`], the session's media effects carried out
//! on the wire, and SRTP/SRTCP datagrams in. The packets themselves are media.rs's.

use std::time::Instant;

use bytes::Bytes;
use tacet_session::{Effect, TransceiverId, TransportId};

use super::{Connection, Event};
use crate::error::Error;
use crate::media::{self, Arrival, Dropped, MediaPayload};

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
        let (transport, data) = self
            .media
            .write(transceiver, &media, via)
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
                self.events.push_back(Event::Rtp(packet));
            }
        }
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
