//! What this side sent and the peer has not acknowledged: kept so that a restarted
//! association can send it again.
//!
//! Chromium moves its data channels to a new SCTP association when its transport is replaced
//! (a BUNDLE tag move; see the parent module's "Restart"): it ABORTs the old association and
//! re-binds the channels to a new one by stream id. What the old association had not
//! delivered is gone on its side, so this side sends it again on the new one. "Not
//! delivered" is known exactly: every DATA chunk tacet sends asks for an immediate SACK
//! (`immediate_sack.rs`), so whatever the peer took before it aborted was acknowledged before
//! its ABORT left it (one thread, one path, in order).
//!
//! rtc-sctp 0.21.1 does not say which message was acknowledged; it reports the bytes each
//! stream's send buffer released (`StreamEvent::BufferedAmountReleased`, acknowledged or
//! abandoned by partial reliability). A stream's messages are released in the order they were
//! written when nothing is lost, so the log releases that many bytes from the front of the
//! stream's queue. (A message acknowledged by a gap report while an earlier one is missing is
//! released early; the earlier one is then counted as acknowledged instead. Both are in
//! flight only on a lossy path, and an ordered peer has delivered neither; `docs/transport.md`
//! lists it.)

use std::collections::VecDeque;

use bytes::Bytes;
use rtc_sctp::PayloadProtocolIdentifier as Ppid;

/// One message written to a stream: its place among all writes, its PPID and its bytes as
/// SCTP carries them (what the stream's buffered amount counts).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Written {
    order: u64,
    pub(crate) stream: u16,
    pub(crate) ppi: Ppid,
    pub(crate) payload: Bytes,
}

/// One stream's unacknowledged messages, oldest first.
#[derive(Debug, Default)]
struct StreamLog {
    stream: u16,
    queue: VecDeque<Written>,
    /// Bytes of the front message already released (it was fragmented, part acknowledged).
    released: usize,
}

/// The messages written to the association and not yet released by it.
#[derive(Debug, Default)]
pub(crate) struct SendLog {
    streams: Vec<StreamLog>,
    next_order: u64,
}

impl SendLog {
    /// A message was written to `stream`.
    pub(crate) fn record(&mut self, stream: u16, ppi: Ppid, payload: Bytes) {
        let order = self.next_order;
        self.next_order = self.next_order.wrapping_add(1);
        let written = Written {
            order,
            stream,
            ppi,
            payload,
        };
        match self.streams.iter_mut().find(|s| s.stream == stream) {
            Some(log) => log.queue.push_back(written),
            None => self.streams.push(StreamLog {
                stream,
                queue: VecDeque::from([written]),
                released: 0,
            }),
        }
    }

    /// The association released `bytes` of `stream`'s buffer (acknowledged or abandoned): the
    /// oldest messages of the stream covering them go.
    pub(crate) fn released(&mut self, stream: u16, bytes: usize) {
        let Some(log) = self.streams.iter_mut().find(|s| s.stream == stream) else {
            return;
        };
        let mut bytes = bytes;
        while bytes > 0 {
            let Some(front) = log.queue.front() else {
                break;
            };
            let left = front.payload.len().saturating_sub(log.released);
            if bytes >= left {
                bytes -= left;
                log.released = 0;
                log.queue.pop_front();
            } else {
                log.released += bytes;
                bytes = 0;
            }
        }
        if log.queue.is_empty() {
            self.streams.retain(|s| s.stream != stream);
        }
    }

    /// Every unacknowledged message, in the order they were written; the log is empty after.
    pub(crate) fn take(&mut self) -> Vec<Written> {
        let mut all: Vec<Written> = self
            .streams
            .drain(..)
            .flat_map(|log| log.queue.into_iter())
            .collect();
        all.sort_by_key(|w| w.order);
        all
    }

    /// How many messages it holds.
    pub(crate) fn len(&self) -> usize {
        self.streams.iter().map(|s| s.queue.len()).sum()
    }

    /// Forgets a stream's messages (its channel closed: nothing of it is sent again).
    pub(crate) fn forget(&mut self, stream: u16) {
        self.streams.retain(|s| s.stream != stream);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &'static str) -> Bytes {
        Bytes::from_static(s.as_bytes())
    }

    #[test]
    fn released_bytes_remove_the_oldest_messages_of_their_stream_only() {
        let mut log = SendLog::default();
        log.record(0, Ppid::String, text("aaaa"));
        log.record(2, Ppid::String, text("bb"));
        log.record(0, Ppid::Binary, text("cccccc"));
        log.released(0, 4);
        assert_eq!(log.len(), 2);
        let left: Vec<_> = log.take().into_iter().map(|w| w.payload).collect();
        assert_eq!(left, vec![text("bb"), text("cccccc")], "in written order");
        assert_eq!(log.len(), 0);
    }

    #[test]
    fn a_fragmented_message_stays_until_all_its_bytes_are_released() {
        let mut log = SendLog::default();
        log.record(1, Ppid::Binary, text("0123456789"));
        log.record(1, Ppid::Binary, text("xy"));
        log.released(1, 6);
        assert_eq!(
            log.len(),
            2,
            "the first message is only partly acknowledged"
        );
        log.released(1, 5);
        let left = log.take();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].payload, text("xy"));
    }

    #[test]
    fn releases_beyond_the_log_and_for_unknown_streams_change_nothing_else() {
        let mut log = SendLog::default();
        log.record(3, Ppid::String, text("a"));
        log.released(5, 100);
        assert_eq!(log.len(), 1);
        log.released(3, 100);
        assert_eq!(log.len(), 0);
        log.record(3, Ppid::String, text("b"));
        log.forget(3);
        assert!(log.take().is_empty());
    }
}
