//! Data channels as negotiation sees them: a channel exists, so an offer carries the data
//! section. Messages and the SCTP association are the I/O layer's; no media stop touches them.

use crate::error::Error;
use crate::session::Session;
use crate::tasks::Tasks;

/// Identifies a data channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataChannelId(u32);

/// A data channel as far as negotiation is concerned: it exists, so a data section is needed.
/// (Messages are the I/O layer's; the SCTP association is never touched by media stops.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataChannel {
    pub(crate) id: DataChannelId,
    pub(crate) label: String,
    pub(crate) closed: bool,
}

impl DataChannel {
    /// Its id.
    pub fn id(&self) -> DataChannelId {
        self.id
    }

    /// Its label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Closed (only `close()` closes channels here).
    pub fn is_closed(&self) -> bool {
        self.closed
    }
}

/// The data-channel part of the session: every channel created (ids never reused).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DataChannels {
    channels: Vec<DataChannel>,
}

impl DataChannels {
    /// Every channel, in creation order.
    pub(crate) fn all(&self) -> &[DataChannel] {
        &self.channels
    }

    /// Whether any channel exists (then an offer carries the data section).
    pub(crate) fn any(&self) -> bool {
        !self.channels.is_empty()
    }

    fn create(&mut self, label: &str) -> DataChannelId {
        // Fewer than 2^32 channels per session.
        let id = DataChannelId(u32::try_from(self.channels.len()).unwrap_or(u32::MAX));
        self.channels.push(DataChannel {
            id,
            label: label.to_owned(),
            closed: false,
        });
        id
    }

    /// `close()`: every channel closed, without the closing procedure.
    pub(crate) fn close_all(&mut self) {
        for channel in &mut self.channels {
            channel.closed = true;
        }
    }
}

impl Session {
    /// `createDataChannel(label)`: registers a channel, so an offer carries the data section
    /// (last in the initial offer, RFC 9429 §5.2.1).
    pub fn create_data_channel(&mut self, label: &str) -> Result<DataChannelId, Error> {
        self.call(|s| {
            s.ensure_open("createDataChannel")?;
            let id = s.data.create(label);
            s.after_call(Tasks::negotiation(None))?;
            Ok(id)
        })
    }
}
