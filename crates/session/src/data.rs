//! Data channels as negotiation sees them: a channel exists, so an offer carries the data
//! section. Messages and the SCTP association are the I/O layer's; no media stop touches them.

use crate::error::Error;
use crate::session::{Session, Tasks};

/// Identifies a data channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataChannelId(pub u32);

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

impl Session {
    /// `createDataChannel(label)`: registers a channel, so an offer carries the data section
    /// (last in the initial offer, RFC 9429 §5.2.1).
    pub fn create_data_channel(&mut self, label: &str) -> Result<DataChannelId, Error> {
        self.atomically(|s| {
            s.ensure_open("createDataChannel")?;
            // Fewer than 2^32 channels per session.
            let id = DataChannelId(u32::try_from(s.data_channels.len()).unwrap_or(u32::MAX));
            s.data_channels.push(DataChannel {
                id,
                label: label.to_owned(),
                closed: false,
            });
            s.after_call(Tasks {
                update_negotiation_needed: true,
                ..Tasks::default()
            });
            Ok(id)
        })
    }
}
