//! What a data channel carries and how it is set up: messages (text, binary, the empty ones),
//! their counters, and `RTCDataChannelInit` as DCEP says it (RFC 8831 §6.6, RFC 8832 §5.1).

use bytes::{Bytes, BytesMut};
use rtc_datachannel::data_channel::DataChannelConfig;
use rtc_datachannel::message::message_channel_open::ChannelType;
use rtc_sctp::PayloadProtocolIdentifier as Ppid;

use crate::error::Error;

/// A data-channel message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A string message (PPID 51, or 56 when empty).
    Text(String),
    /// A binary message (PPID 53, or 57 when empty).
    Binary(Bytes),
}

impl Message {
    /// Its size in bytes (UTF-8 for text), as webrtc-pc counts `bytesSent`/`bytesReceived`.
    pub fn len(&self) -> usize {
        match self {
            Self::Text(text) => text.len(),
            Self::Binary(data) => data.len(),
        }
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One data channel's counters (webrtc-stats RTCDataChannelStats: messagesSent, bytesSent,
/// messagesReceived, bytesReceived).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChannelStats {
    /// Messages the application sent (accepted by `send`).
    pub messages_sent: u64,
    /// Their bytes.
    pub bytes_sent: u64,
    /// Messages delivered to the application.
    pub messages_received: u64,
    /// Their bytes.
    pub bytes_received: u64,
}

/// webrtc-pc `RTCDataChannelInit`: ordering and reliability (RFC 8831 §6.1, RFC 8832 §5.1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelOptions {
    /// `ordered` is `!unordered`: messages may arrive out of order when set.
    pub unordered: bool,
    /// `maxRetransmits`: a message is retransmitted at most this many times.
    pub max_retransmits: Option<u16>,
    /// `maxPacketLifeTime`: a message is abandoned this many milliseconds after it was sent.
    pub max_packet_life_time: Option<u16>,
    /// `protocol`: the subprotocol name carried in DATA_CHANNEL_OPEN.
    pub protocol: String,
}

impl ChannelOptions {
    /// webrtc-pc createDataChannel step 11: both limits set is a TypeError.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.max_retransmits.is_some() && self.max_packet_life_time.is_some() {
            return Err(Error::BothReliabilityLimits);
        }
        Ok(())
    }

    /// The DCEP channel type and reliability parameter (RFC 8832 §5.1).
    pub(super) fn dcep(&self) -> (ChannelType, u32) {
        use ChannelType::*;
        match (
            self.max_retransmits,
            self.max_packet_life_time,
            self.unordered,
        ) {
            (Some(n), _, false) => (PartialReliableRexmit, u32::from(n)),
            (Some(n), _, true) => (PartialReliableRexmitUnordered, u32::from(n)),
            (None, Some(ms), false) => (PartialReliableTimed, u32::from(ms)),
            (None, Some(ms), true) => (PartialReliableTimedUnordered, u32::from(ms)),
            (None, None, false) => (Reliable, 0),
            (None, None, true) => (ReliableUnordered, 0),
        }
    }
}

impl ChannelOptions {
    /// The options a peer's DATA_CHANNEL_OPEN asked for.
    pub(super) fn from_dcep(config: &DataChannelConfig) -> Self {
        use ChannelType::*;
        let limit = u16::try_from(config.reliability_parameter).unwrap_or(u16::MAX);
        let (unordered, retransmits, lifetime) = match config.channel_type {
            ReliableUnordered => (true, None, None),
            PartialReliableRexmit => (false, Some(limit), None),
            PartialReliableRexmitUnordered => (true, Some(limit), None),
            PartialReliableTimed => (false, None, Some(limit)),
            PartialReliableTimedUnordered => (true, None, Some(limit)),
            // Reliable, and any type a later rtc-datachannel adds: reliable and ordered, the
            // strongest guarantee (RFC 8832 §5.1 defines no other).
            _ => (false, None, None),
        };
        Self {
            unordered,
            max_retransmits: retransmits,
            max_packet_life_time: lifetime,
            protocol: config.protocol.clone(),
        }
    }
}

/// A message as SCTP carries it: PPID and bytes (RFC 8831 §6.6 for the empty ones).
pub(super) fn wire(message: Message) -> (Ppid, Bytes) {
    match message {
        Message::Text(text) if text.is_empty() => (Ppid::StringEmpty, Bytes::from_static(&[0])),
        Message::Text(text) => (Ppid::String, Bytes::from(text)),
        Message::Binary(data) if data.is_empty() => (Ppid::BinaryEmpty, Bytes::from_static(&[0])),
        Message::Binary(data) => (Ppid::Binary, data),
    }
}

/// A user message from its PPID and bytes; `None` for a PPID that is not one (or text that is
/// not UTF-8, RFC 8831 §6.6).
pub(super) fn user_message(ppi: Ppid, payload: BytesMut) -> Option<Message> {
    match ppi {
        Ppid::String => String::from_utf8(payload.to_vec()).ok().map(Message::Text),
        Ppid::Binary => Some(Message::Binary(payload.freeze())),
        Ppid::StringEmpty => Some(Message::Text(String::new())),
        Ppid::BinaryEmpty => Some(Message::Binary(Bytes::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_messages_travel_as_one_byte_with_their_own_ppid() {
        assert_eq!(
            wire(Message::Text(String::new())),
            (Ppid::StringEmpty, Bytes::from_static(&[0]))
        );
        assert_eq!(
            wire(Message::Binary(Bytes::new())),
            (Ppid::BinaryEmpty, Bytes::from_static(&[0]))
        );
        assert_eq!(
            user_message(Ppid::StringEmpty, BytesMut::from(&[0][..])),
            Some(Message::Text(String::new()))
        );
        assert_eq!(
            user_message(Ppid::String, BytesMut::from(&b"hi"[..])),
            Some(Message::Text("hi".into()))
        );
        assert_eq!(
            user_message(Ppid::String, BytesMut::from(&[0xff][..])),
            None,
            "not UTF-8"
        );
        assert_eq!(user_message(Ppid::Dcep, BytesMut::from(&[3][..])), None);
    }
}
