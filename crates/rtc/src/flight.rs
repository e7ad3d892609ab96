//! The DTLS handshake's retransmission timer, kept where rtc-dtls 0.21.1 drops it, and the
//! record numbering that lets a retransmission be read.
//!
//! RFC 6347 §4.2.4: an endpoint WAITING for the peer's next flight retransmits its own last
//! flight when its timer expires, and also when it reads a retransmission of the peer's
//! previous flight (that suggests its own flight was lost). rtc-dtls clears the timer whenever
//! a handshake record arrives (`DTLSConn::wait`) and sets it again only when the next flight
//! is complete and parses; a record that does not complete it — the peer's retransmission of
//! the flight already read, or part of a flight — leaves the endpoint WAITING with no timer at
//! all. If its own last flight was lost it never sends again; the peer retransmits until its
//! budget runs out and fails with `ErrInvalidFsmTransition` (docs/transport.md has the
//! reproduction).
//!
//! [`Flight`] remembers the datagrams of the endpoint's last flight (all it emitted in answer
//! to one input) and, while the handshake is incomplete and rtc-dtls has no timer, keeps the
//! one rtc-dtls dropped: one interval after it vanished the flight goes out again, up to
//! rtc-dtls's own budget of retransmissions.
//!
//! A retransmission is a new record: the handshake message keeps its `message_seq` (RFC 6347
//! §4.2.2), the record takes the next sequence number of its epoch (§4.1: one per record sent), and
//! the peer discards a record whose number it has seen (anti-replay, §4.1.2.6). That matters when
//! the peer *did* read the flight and its answer was lost: a peer that has completed (the server,
//! after the client's flight 5) sends its last flight again only when it reads a new handshake
//! record (§4.2.4, "the node that transmits the last flight ... MUST respond to a retransmission of
//! the peer's last flight"); a copy with the old numbers is dropped as a replay before it gets
//! there, and the waiting side retransmits into a wall until its budget is spent. So every epoch-0
//! record this endpoint sends is numbered here, in the order it goes out ([`Numbering`]):
//! rtc-dtls's own records and the kept flight's copies never share a number. Epoch-0 records are
//! plaintext with no MAC and the handshake transcript covers messages, not record headers, so the
//! new number changes nothing else; records of later epochs (the Finished) are sealed with their
//! number and go out as they are — a peer that never read one takes the copy, a peer that did has
//! no use for it.

use std::time::{Duration, Instant};

use bytes::Bytes;

/// rtc-dtls's retransmission interval (`INITIAL_TICKER_INTERVAL`, RFC 6347 §4.2.4.1's 1 s).
const INTERVAL: Duration = Duration::from_secs(1);

/// rtc-dtls's budget of retransmissions of one flight (`DEFAULT_MAXIMUM_RETRANSMIT_NUMBER`).
const BUDGET: usize = 7;

/// The last handshake flight and the timer kept for it.
#[derive(Debug, Default)]
pub(crate) struct Flight {
    datagrams: Vec<Bytes>,
    /// An input reached the endpoint since the last datagram: the next one starts a flight.
    fresh: bool,
    /// When the flight goes out again (set while rtc-dtls has no timer of its own).
    deadline: Option<Instant>,
    /// Retransmissions made here for this flight.
    sent_again: usize,
}

/// What the kept timer says at its deadline.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Expired {
    /// Send these datagrams again.
    Resend(Vec<Bytes>),
    /// The budget is spent: the handshake failed (as rtc-dtls would have said).
    Exhausted,
}

impl Flight {
    /// A datagram, a timeout or the client's start reached the DTLS endpoint.
    pub(crate) fn input(&mut self) {
        self.fresh = true;
    }

    /// The endpoint emitted `datagram` during its handshake.
    pub(crate) fn sent(&mut self, datagram: &Bytes) {
        if self.fresh {
            self.datagrams.clear();
            self.fresh = false;
            self.sent_again = 0;
        }
        self.datagrams.push(datagram.clone());
    }

    /// After an input: `waiting` when the handshake is incomplete, `timer` rtc-dtls's own
    /// retransmission deadline. With a timer of its own rtc-dtls retransmits; without one (and
    /// a flight sent) the kept timer runs.
    pub(crate) fn settle(&mut self, now: Instant, waiting: bool, timer: Option<Instant>) {
        if !waiting || timer.is_some() || self.datagrams.is_empty() {
            self.deadline = None;
        } else if self.deadline.is_none() {
            self.deadline = Some(now + INTERVAL);
        }
    }

    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// The kept timer at `now`: the flight again, or the end of the budget.
    pub(crate) fn handle_timeout(&mut self, now: Instant) -> Option<Expired> {
        if self.deadline.is_none_or(|at| at > now) {
            return None;
        }
        if self.sent_again >= BUDGET {
            self.deadline = None;
            return Some(Expired::Exhausted);
        }
        self.sent_again += 1;
        self.deadline = Some(now + INTERVAL);
        Some(Expired::Resend(self.datagrams.clone()))
    }
}

/// The record sequence numbers of the epoch-0 records an endpoint sends (RFC 6347 §4.1: a
/// 48-bit number per epoch, never reused within it).
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    next: u64,
}

/// DTLS 1.2 record header: type, version, epoch (2), sequence number (6), length (2).
const RECORD_HEADER: usize = 13;

/// The handshake content type (RFC 5246 §6.2.1) and the HelloVerifyRequest message type
/// (RFC 6347 §4.3.2).
const HANDSHAKE: u8 = 22;
const HELLO_VERIFY_REQUEST: u8 = 3;

impl Numbering {
    /// `datagram` with its epoch-0 records numbered in sending order; records of later epochs
    /// as they are. A datagram whose framing ends early (rtc-dtls never writes one) keeps the
    /// rest of its bytes as they are.
    ///
    /// A HelloVerifyRequest keeps its number: RFC 6347 §4.2.1 has it carry the ClientHello's
    /// (rtc-dtls does that), and the next records are numbered after it, so no two records
    /// share a number.
    pub(crate) fn number(&mut self, datagram: &Bytes) -> Bytes {
        let mut at = 0;
        let mut out: Option<Vec<u8>> = None;
        while let Some(header) = datagram.get(at..at + RECORD_HEADER) {
            let epoch = u16::from_be_bytes([header[3], header[4]]);
            let length = usize::from(u16::from_be_bytes([header[11], header[12]]));
            let hello_verify = header[0] == HANDSHAKE
                && datagram.get(at + RECORD_HEADER) == Some(&HELLO_VERIFY_REQUEST);
            if epoch == 0 && hello_verify {
                let mut sequence = [0; 8];
                sequence[2..].copy_from_slice(&header[5..11]);
                self.next = self
                    .next
                    .max(u64::from_be_bytes(sequence).saturating_add(1));
            } else if epoch == 0 {
                let bytes = out.get_or_insert_with(|| datagram.to_vec());
                // 48 bits on the wire (RFC 6347 §4.1); one handshake never comes near 2^48.
                let sequence = self.next.to_be_bytes();
                bytes[at + 5..at + 11].copy_from_slice(&sequence[2..]);
                self.next += 1;
            }
            at += RECORD_HEADER + length;
        }
        out.map_or_else(|| datagram.clone(), Bytes::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handover::tests::clock;

    #[test]
    fn a_flight_left_without_a_timer_goes_out_again_until_the_budget_is_spent() {
        let now = clock();
        let mut flight = Flight::default();
        flight.input();
        let first = [Bytes::from_static(b"one"), Bytes::from_static(b"two")];
        first.iter().for_each(|d| flight.sent(d));
        // rtc-dtls has its timer: nothing kept.
        flight.settle(now, true, Some(now + INTERVAL));
        assert_eq!(flight.poll_timeout(), None);
        // A record that completes nothing: rtc-dtls dropped its timer.
        flight.input();
        flight.settle(now, true, None);
        assert_eq!(flight.poll_timeout(), Some(now + INTERVAL));
        assert_eq!(flight.handle_timeout(now), None, "not yet");
        for n in 1..=BUDGET as u32 {
            let at = now + INTERVAL * n;
            assert_eq!(
                flight.handle_timeout(at),
                Some(Expired::Resend(first.to_vec()))
            );
        }
        let end = now + INTERVAL * (BUDGET as u32 + 1);
        assert_eq!(flight.handle_timeout(end), Some(Expired::Exhausted));
        assert_eq!(flight.poll_timeout(), None);
    }

    #[test]
    fn a_new_flight_replaces_the_last_and_a_completed_handshake_keeps_no_timer() {
        let now = clock();
        let mut flight = Flight::default();
        flight.input();
        flight.sent(&Bytes::from_static(b"hello"));
        flight.input();
        flight.sent(&Bytes::from_static(b"finished"));
        flight.settle(now, true, None);
        assert_eq!(
            flight.handle_timeout(now + INTERVAL),
            Some(Expired::Resend(vec![Bytes::from_static(b"finished")]))
        );
        flight.input();
        flight.settle(now, false, None);
        assert_eq!(flight.poll_timeout(), None);
    }

    /// A DTLS record: `content_type`, `epoch`, `sequence`, then `body`.
    fn record(content_type: u8, epoch: u16, sequence: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![content_type, 0xfe, 0xfd];
        r.extend(epoch.to_be_bytes());
        r.extend([0, 0, 0, 0, 0, sequence]);
        r.extend(u16::try_from(body.len()).expect("short").to_be_bytes());
        r.extend(body);
        r
    }

    #[test]
    fn epoch_0_records_are_numbered_in_sending_order_and_sealed_ones_kept() {
        let mut numbering = Numbering::default();
        // A flight 5 as rtc-dtls wrote it (numbers 7, 8, a CCS 9, then the sealed Finished),
        // sent twice: each epoch-0 record gets the next number, the epoch-1 one keeps its own.
        let flight: Vec<u8> = [
            record(22, 0, 7, b"certificate"),
            record(22, 0, 8, b"key exchange"),
            record(20, 0, 9, &[1]),
            record(22, 1, 0, b"sealed finished"),
        ]
        .concat();
        let flight = Bytes::from(flight);
        // (epoch, last byte of the sequence number) of each record, and the datagram with
        // every sequence number blanked.
        let numbers = |datagram: &Bytes| {
            let (mut at, mut out, mut blank) = (0, Vec::new(), datagram.to_vec());
            while at + RECORD_HEADER <= datagram.len() {
                out.push((datagram[at + 4], datagram[at + 10]));
                blank[at + 5..at + 11].fill(0);
                at += RECORD_HEADER + usize::from(datagram[at + 12]);
            }
            (out, blank)
        };
        let (sent, blank) = numbers(&flight);
        assert_eq!(sent, [(0, 7), (0, 8), (0, 9), (1, 0)]);
        let (first, first_blank) = numbers(&numbering.number(&flight));
        assert_eq!(first, [(0, 0), (0, 1), (0, 2), (1, 0)]);
        let (again, again_blank) = numbers(&numbering.number(&flight));
        assert_eq!(again, [(0, 3), (0, 4), (0, 5), (1, 0)]);
        // Only the epoch-0 numbers changed.
        assert_eq!(first_blank, blank);
        assert_eq!(again_blank, blank);
        // A HelloVerifyRequest keeps the ClientHello's number (§4.2.1); what follows comes
        // after it.
        let verify = Bytes::from(record(22, 0, 9, &[3, 0, 0, 3]));
        assert_eq!(numbering.number(&verify), verify);
        let (after, _) = numbers(&numbering.number(&flight));
        assert_eq!(after, [(0, 10), (0, 11), (0, 12), (1, 0)]);
        // Application data of epoch 1 goes out as it is.
        let data = Bytes::from(record(23, 1, 9, b"sctp"));
        assert_eq!(numbering.number(&data), data);
    }
}
