//! What this side sent and the peer has not acknowledged: kept so that a restarted
//! association can send it again.
//!
//! Chromium moves its data channels to a new SCTP association when its transport is replaced
//! (the parent module's "Restart"): it ABORTs the old association and re-binds the channels to
//! a new one by stream id. What the old association had not delivered is gone on its side, so
//! this side sends it again on the new one.
//!
//! "Delivered" is read from the peer's SACKs: a message whose last DATA chunk is covered by the
//! **cumulative** TSN ack was received with everything before it, so an ordered stream
//! delivered it (RFC 9260 §6.2, §6.6). A message only covered by a gap report is not: it
//! waits behind a hole, and a peer that aborts drops it. rtc-sctp 0.21.1 says neither which
//! TSN a message got nor what was acknowledged (its byte counts cannot tell a gap report from
//! a cumulative ack), so the log reads the DATA chunks going out and the SACKs coming in
//! (`chunks.rs`): the first transmission of a DATA chunk that ends a message gives the oldest
//! unsent message of its stream its TSN (a stream's messages go out in order; a
//! retransmission reuses its TSN). A SACK is believed only from the association it came on
//! (the first verification tag seen since the log was last emptied).
//!
//! Every DATA chunk tacet sends asks for an immediate SACK (`immediate_sack.rs`), so whatever
//! the peer took before it aborted was acknowledged before its ABORT left it.

use std::collections::VecDeque;

use bytes::Bytes;
use rtc_sctp::PayloadProtocolIdentifier as Ppid;

use super::chunks::{self, Chunk};

/// One message written to a stream: its PPID and its bytes as SCTP carries them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Written {
    pub(crate) stream: u16,
    pub(crate) ppi: Ppid,
    pub(crate) payload: Bytes,
    /// The TSN of its last DATA chunk, once that went out.
    last_tsn: Option<u32>,
}

/// The messages written to the association and not yet cumulatively acknowledged, in the
/// order they were written.
#[derive(Debug, Default)]
pub(crate) struct SendLog {
    queue: VecDeque<Written>,
    /// The highest TSN seen going out (a lower or equal one is a retransmission).
    highest_tsn: Option<u32>,
    /// The verification tag of the SACKs believed (the current association's).
    peer_tag: Option<u32>,
}

impl SendLog {
    /// A message was written to `stream`.
    pub(crate) fn record(&mut self, stream: u16, ppi: Ppid, payload: Bytes) {
        self.queue.push_back(Written {
            stream,
            ppi,
            payload,
            last_tsn: None,
        });
    }

    /// The chunks of an SCTP packet going out: its DATA chunks' TSNs.
    pub(crate) fn sent(&mut self, all: &[Chunk<'_>]) {
        for chunk in all {
            self.sent_chunk(chunk);
        }
    }

    fn sent_chunk(&mut self, chunk: &Chunk<'_>) {
        let Some((tsn, stream, ends)) = chunks::data(chunk) else {
            return;
        };
        if self
            .highest_tsn
            .is_some_and(|highest| !chunks::tsn_after(tsn, highest))
        {
            return;
        }
        self.highest_tsn = Some(tsn);
        if ends
            && let Some(message) = self
                .queue
                .iter_mut()
                .find(|m| m.stream == stream && m.last_tsn.is_none())
        {
            message.last_tsn = Some(tsn);
        }
    }

    /// An SCTP packet from the peer: the messages its SACK acknowledges cumulatively go.
    pub(crate) fn received(&mut self, packet: &[u8]) {
        let Some(all) = chunks::chunks(packet) else {
            return;
        };
        let Some(cumulative) = all.iter().find_map(chunks::cumulative_ack) else {
            return;
        };
        let Some(tag) = chunks::verification_tag(packet) else {
            return;
        };
        if *self.peer_tag.get_or_insert(tag) != tag {
            // Another association's SACK (a late one of an aborted association).
            return;
        }
        self.queue.retain(|m| {
            m.last_tsn
                .is_none_or(|tsn| chunks::tsn_after(tsn, cumulative))
        });
    }

    /// Every message not acknowledged, in the order they were written; the log starts
    /// afresh (a new association: new TSNs, new tags).
    pub(crate) fn take(&mut self) -> Vec<Written> {
        self.highest_tsn = None;
        self.peer_tag = None;
        self.queue.drain(..).collect()
    }

    /// How many messages it holds.
    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }

    /// Forgets a stream's messages (its channel closed: nothing of it is sent again).
    pub(crate) fn forget(&mut self, stream: u16) {
        self.queue.retain(|m| m.stream != stream);
    }
}

#[cfg(test)]
mod tests {
    use super::super::chunks::tests::{data_value, packet};
    use super::super::chunks::{DATA, SACK};
    use super::*;

    fn text(s: &'static str) -> Bytes {
        Bytes::from_static(s.as_bytes())
    }

    fn sack(tag: u32, cumulative: u32) -> Vec<u8> {
        let mut value = cumulative.to_be_bytes().to_vec();
        value.extend([0, 1, 0, 0, 0, 0, 0, 0]);
        packet(tag, &[(SACK, 0, &value)])
    }

    fn sent(log: &mut SendLog, packet: &[u8]) {
        log.sent(&chunks::chunks(packet).expect("a test packet parses"));
    }

    fn left(log: &mut SendLog) -> Vec<Bytes> {
        log.take().into_iter().map(|w| w.payload).collect()
    }

    #[test]
    fn a_cumulative_ack_removes_the_messages_it_covers_on_every_stream() {
        let mut log = SendLog::default();
        log.record(0, Ppid::String, text("a"));
        log.record(2, Ppid::String, text("b"));
        log.record(0, Ppid::String, text("c"));
        // One packet: a (TSN 10) and b (TSN 11); then c (TSN 12).
        sent(
            &mut log,
            &packet(
                5,
                &[
                    (DATA, 0x03, &data_value(10, 0, b"a")),
                    (DATA, 0x03, &data_value(11, 2, b"b")),
                ],
            ),
        );
        sent(
            &mut log,
            &packet(5, &[(DATA, 0x03, &data_value(12, 0, b"c"))]),
        );
        log.received(&sack(9, 11));
        assert_eq!(left(&mut log), vec![text("c")]);
    }

    #[test]
    fn a_message_is_acknowledged_with_its_last_fragment_and_not_by_a_retransmission() {
        let mut log = SendLog::default();
        log.record(1, Ppid::Binary, text("0123456789"));
        log.record(1, Ppid::Binary, text("xy"));
        // First fragment (B), last fragment (E), then the second message; a retransmission
        // of TSN 20 changes nothing.
        sent(
            &mut log,
            &packet(5, &[(DATA, 0x02, &data_value(20, 1, b"01234"))]),
        );
        sent(
            &mut log,
            &packet(5, &[(DATA, 0x01, &data_value(21, 1, b"56789"))]),
        );
        sent(
            &mut log,
            &packet(5, &[(DATA, 0x02, &data_value(20, 1, b"01234"))]),
        );
        log.received(&sack(9, 20));
        assert_eq!(log.len(), 2, "only the first fragment is acknowledged");
        sent(
            &mut log,
            &packet(5, &[(DATA, 0x03, &data_value(22, 1, b"xy"))]),
        );
        log.received(&sack(9, 21));
        assert_eq!(left(&mut log), vec![text("xy")]);
    }

    #[test]
    fn messages_not_yet_sent_and_sacks_of_another_association_stay() {
        let mut log = SendLog::default();
        log.record(3, Ppid::String, text("a"));
        log.record(3, Ppid::String, text("b"));
        sent(
            &mut log,
            &packet(5, &[(DATA, 0x03, &data_value(1, 3, b"a"))]),
        );
        log.received(&sack(9, 1));
        log.received(&sack(8, 5));
        assert_eq!(left(&mut log), vec![text("b")], "b never went out");
        log.record(3, Ppid::String, text("c"));
        log.forget(3);
        assert_eq!(log.len(), 0);
    }
}
