//! The data channels on the association: DCEP opening and accepting (RFC 8832), messages in
//! and out, closing by stream reset (RFC 8831 §6.7) — the parent module's channel rules.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use rtc_datachannel::data_channel::{DataChannel, DataChannelConfig, DataChannelMessage};
use rtc_sctp::{Association, PayloadProtocolIdentifier as Ppid};
use sansio::Protocol as _;
use tacet_session::{DataChannelId, DtlsRole};

use super::message::{user_message, wire};
use super::resend::Written;
use super::{Channel, ChannelId, ChannelOptions, DRAIN, DataEvent, Message, Sctp, SendLog, State};
use crate::error::Error;

impl Sctp {
    /// A channel the application created through the session; opened once SCTP is up.
    pub(crate) fn create(
        &mut self,
        now: Instant,
        label: &str,
        session: DataChannelId,
        options: ChannelOptions,
    ) -> ChannelId {
        let id = self.next_channel_id();
        self.channels.push(Channel {
            id,
            label: label.to_owned(),
            options,
            session: Some(session),
            stream: None,
            state: State::Pending,
            dcep: None,
        });
        if self.is_connected() {
            self.dial_pending(now);
        }
        id
    }

    /// The connection's channel for the session's `id`.
    pub(crate) fn channel_of(&self, id: DataChannelId) -> Option<ChannelId> {
        self.channels
            .iter()
            .find(|c| c.session == Some(id))
            .map(|c| c.id)
    }

    /// The peer reset its outgoing stream `id` (RFC 8831 §6.7): the channel is closed (rtc-sctp
    /// resets ours in answer, so a channel the peer closes closes on both sides).
    pub(super) fn stream_closed(&mut self, id: u16) {
        let Some(channel) = self
            .channels
            .iter_mut()
            .find(|c| c.stream == Some(id) && c.state != State::Closed)
        else {
            return;
        };
        channel.state = State::Closed;
        let channel = channel.id;
        self.log.forget(id);
        self.kept.forget(id);
        self.events.push_back(DataEvent::Closed { channel });
    }

    /// webrtc-pc `RTCDataChannel.close()`: reset the outgoing stream (RFC 8831 §6.7); the
    /// channel is closed when the peer resets its own. Closing a closing or closed channel does
    /// nothing (webrtc-pc close() step 2).
    pub(crate) fn close(&mut self, now: Instant, id: ChannelId) -> Result<(), Error> {
        let channel = self
            .channels
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(Error::NoSuchChannel(id))?;
        match (channel.state, channel.stream) {
            (State::Closing | State::Closed, _) => return Ok(()),
            (State::Pending, _) | (_, None) => {
                // Never opened on the wire: nothing to reset.
                channel.state = State::Closed;
                self.events.push_back(DataEvent::Closed { channel: id });
                return Ok(());
            }
            (State::Opening | State::Open, Some(stream)) => {
                channel.state = State::Closing;
                if let Some((_, association)) = self.association.as_mut()
                    && let Ok(mut s) = association.stream(stream)
                {
                    s.close(now).map_err(|e| Error::Sctp(e.to_string()))?;
                }
            }
        }
        self.pump(now);
        Ok(())
    }

    /// A channel's options: the application's for a local channel, the peer's
    /// DATA_CHANNEL_OPEN for a remote one (webrtc-pc `ordered`, `maxRetransmits`, ...).
    pub(crate) fn options(&self, id: ChannelId) -> Option<&ChannelOptions> {
        self.channels
            .iter()
            .find(|c| c.id == id)
            .map(|c| &c.options)
    }

    /// Opens every pending local channel: its stream, its reliability, DATA_CHANNEL_OPEN.
    pub(super) fn dial_pending(&mut self, now: Instant) {
        let Some((handle, association)) = self.association.as_mut() else {
            return;
        };
        for channel in self
            .channels
            .iter_mut()
            .filter(|c| c.state == State::Pending)
        {
            let stream_id = self.next_stream;
            let (channel_type, reliability_parameter) = channel.options.dcep();
            let config = DataChannelConfig {
                label: channel.label.clone(),
                protocol: channel.options.protocol.clone(),
                channel_type,
                reliability_parameter,
                ..DataChannelConfig::default()
            };
            let Ok(mut dcep) = DataChannel::dial(config.clone(), handle.0, stream_id) else {
                continue;
            };
            if !open_stream(association, stream_id, &channel.options) {
                continue;
            }
            // DCEP queues one DATA_CHANNEL_OPEN.
            write_dcep(association, &mut self.log, now, stream_id, &mut dcep);
            self.next_stream = stream_id.saturating_add(2);
            channel.stream = Some(stream_id);
            channel.dcep = Some(dcep);
            channel.state = State::Opening;
        }
    }

    /// Reads every complete message of stream `id` (bounded).
    pub(super) fn read_stream(&mut self, now: Instant, id: u16) {
        for _ in 0..DRAIN {
            let Some((_, association)) = self.association.as_mut() else {
                return;
            };
            let Ok(mut stream) = association.stream(id) else {
                return;
            };
            let chunks = match stream.read_sctp() {
                Ok(Some(chunks)) => chunks,
                Ok(None) | Err(_) => return,
            };
            match chunks.to_payload(self.max_message_size) {
                Ok(payload) => self.deliver(now, id, chunks.ppi, payload),
                Err(_) => self.dropped += 1,
            }
        }
    }

    /// One user message of stream `id`.
    pub(super) fn deliver(&mut self, now: Instant, id: u16, ppi: Ppid, payload: BytesMut) {
        let Some(index) = self.channels.iter().position(|c| c.stream == Some(id)) else {
            self.accept(now, id, ppi, &payload);
            return;
        };
        let channel = &mut self.channels[index];
        if ppi == Ppid::Dcep {
            if let Some(dcep) = channel.dcep.as_mut() {
                let message = DataChannelMessage {
                    stream_id: id,
                    ppi,
                    payload,
                    ..DataChannelMessage::default()
                };
                if dcep.handle_read(message).is_err() {
                    self.dropped += 1;
                }
                if channel.state == State::Opening && dcep.is_handshake_complete() {
                    channel.state = State::Open;
                    let (channel, label) = (channel.id, channel.label.clone());
                    self.events.push_back(DataEvent::Open { channel, label });
                }
            }
            self.flush_dcep(now, index);
            return;
        }
        let Some(message) = user_message(ppi, payload) else {
            self.dropped += 1;
            return;
        };
        if channel.state == State::Opening {
            // RFC 8832 lets user data precede the ack: a peer sending on it has the channel.
            channel.state = State::Open;
            let (c, label) = (channel.id, channel.label.clone());
            self.events.push_back(DataEvent::Open { channel: c, label });
        }
        let channel = channel.id;
        self.events
            .push_back(DataEvent::Message { channel, message });
    }

    /// The first message of a stream the peer opened: DATA_CHANNEL_OPEN accepts a channel.
    pub(super) fn accept(&mut self, now: Instant, id: u16, ppi: Ppid, payload: &[u8]) {
        let Some((handle, association)) = self.association.as_mut() else {
            return;
        };
        // RFC 8832 §6: the peer opens ids of the other parity than ours.
        let peer_parity = match self.role {
            Some(DtlsRole::Client) => 1,
            Some(DtlsRole::Server) => 0,
            None => 2,
        };
        if id % 2 != peer_parity {
            self.dropped += 1;
            return;
        }
        let Ok(dcep) =
            DataChannel::accept(DataChannelConfig::default(), handle.0, id, ppi, payload)
        else {
            self.dropped += 1;
            return;
        };
        if let Ok(mut stream) = association.stream(id) {
            let config = dcep.config();
            let (unordered, reliability) = DataChannel::get_reliability_params(config.channel_type);
            let _ =
                stream.set_reliability_params(unordered, reliability, config.reliability_parameter);
        }
        let channel = self.next_channel_id();
        let label = dcep.config().label.clone();
        let options = ChannelOptions::from_dcep(dcep.config());
        self.channels.push(Channel {
            id: channel,
            label: label.clone(),
            options,
            session: None,
            stream: Some(id),
            state: State::Open,
            dcep: Some(dcep),
        });
        self.flush_dcep(now, self.channels.len() - 1);
        self.events.push_back(DataEvent::Open { channel, label });
    }

    /// Writes what the channel's DCEP machine queued (an ack).
    pub(super) fn flush_dcep(&mut self, now: Instant, index: usize) {
        let (Some((_, association)), Some(channel)) =
            (self.association.as_mut(), self.channels.get_mut(index))
        else {
            return;
        };
        let (Some(dcep), Some(id)) = (channel.dcep.as_mut(), channel.stream) else {
            return;
        };
        write_dcep(association, &mut self.log, now, id, dcep);
    }

    /// webrtc-pc `send()`.
    pub(crate) fn send(
        &mut self,
        now: Instant,
        id: ChannelId,
        message: Message,
    ) -> Result<(), Error> {
        let channel = self
            .channels
            .iter()
            .find(|c| c.id == id)
            .ok_or(Error::NoSuchChannel(id))?;
        let (State::Open, Some(stream_id)) = (channel.state, channel.stream) else {
            return Err(Error::ChannelNotOpen(id));
        };
        let (ppi, payload) = wire(message);
        if payload.len() > self.max_message_size {
            return Err(Error::MessageTooLarge {
                size: payload.len(),
                max: self.max_message_size,
            });
        }
        if self.restarting.is_some() || self.holding.is_some() {
            // Kept for the association that takes the channels over ("Restart"), or until
            // the peer's choice is known (`hold.rs`).
            self.kept.record(stream_id, ppi, payload);
            return Ok(());
        }
        let (_, association) = self.association.as_mut().ok_or(Error::ChannelNotOpen(id))?;
        write(association, &mut self.log, now, stream_id, ppi, payload)
            .map_err(|e| Error::Sctp(e.to_string()))
    }
}

/// Writes what a channel's DCEP machine queued (an OPEN or an ACK) to its stream (bounded).
fn write_dcep(
    association: &mut Association,
    log: &mut SendLog,
    now: Instant,
    stream: u16,
    dcep: &mut DataChannel,
) {
    for _ in 0..DRAIN {
        let Some(out) = dcep.poll_write() else { break };
        // A refused write is lost like any refused send; DCEP does not retry.
        let _ = write(association, log, now, stream, out.ppi, out.payload.freeze());
    }
}

/// Writes `messages` in order, those `keep` says to; how many the association took (a write it
/// refuses is lost like any refused send).
pub(super) fn write_all(
    association: &mut Association,
    log: &mut SendLog,
    now: Instant,
    messages: Vec<Written>,
    keep: impl Fn(u16) -> bool,
) -> usize {
    let mut written = 0;
    for message in messages.into_iter().filter(|m| keep(m.stream)) {
        if write(
            association,
            log,
            now,
            message.stream,
            message.ppi,
            message.payload,
        )
        .is_ok()
        {
            written += 1;
        }
    }
    written
}

/// Opens `stream` on the association (or takes the one the peer's DATA opened) with a
/// channel's reliability (RFC 8832 §5.1 through rtc-datachannel's mapping). Whether it could.
pub(super) fn open_stream(
    association: &mut Association,
    stream: u16,
    options: &ChannelOptions,
) -> bool {
    let mut opened = match association.open_stream(stream, Ppid::Binary) {
        Ok(opened) => opened,
        Err(_) => match association.stream(stream) {
            Ok(existing) => existing,
            Err(_) => return false,
        },
    };
    let (channel_type, parameter) = options.dcep();
    let (unordered, reliability) = DataChannel::get_reliability_params(channel_type);
    let _ = opened.set_reliability_params(unordered, reliability, parameter);
    true
}

/// Writes one message to `stream` and logs it until the peer acknowledges it (`resend.rs`):
/// every write goes through here, so the log sees every message the association carries.
fn write(
    association: &mut Association,
    log: &mut SendLog,
    now: Instant,
    stream: u16,
    ppi: Ppid,
    payload: Bytes,
) -> Result<(), rtc_shared::error::Error> {
    association
        .stream(stream)?
        .write_chunk_with_ppi(now, &payload, ppi)?;
    log.record(stream, ppi, payload);
    Ok(())
}
