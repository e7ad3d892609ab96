//! The DTLS handshake's retransmission timer, kept where rtc-dtls 0.21.1 drops it.
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
//! one rtc-dtls dropped: one interval after it vanished the flight goes out again, as is (the
//! peer never read it: had it, its next flight would have moved this endpoint on; a copy it
//! did read is a duplicate, which DTLS discards, RFC 6347 §4.1.2.6), up to rtc-dtls's own
//! budget of retransmissions.

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
}
