//! Sends held while a BUNDLE tag moves, until the peer shows what it does with the
//! association.
//!
//! A peer that replaces its transport on a tag move either carries the association over
//! (Firefox, tacet) or starts a new one (Chromium). Chromium switches its channels to the new,
//! not yet connected association **when it applies the offer** (its own at
//! setLocalDescription, ours at setRemoteDescription) and ABORTs the old one only when it
//! applies the answer; in between, the old association still acknowledges DATA and drops the
//! messages (its data sink is gone; docs/browsers.md). A message written to the old
//! association in that window would be acknowledged and lost, and nothing on the wire tells.
//! So from the moment this side sets or applies an offer that moves a tag, messages the
//! application sends are kept here (the channel stays open, `send` succeeds) and written when
//! the peer's choice is known:
//!
//! | what comes | the kept messages |
//! |---|---|
//! | the round ends with no transport replaced (the tag moved on the same transport: tacet's and aiortc's default) | written to the association |
//! | a replacement, and this side has switched to the new transport (make-before-break, `handover.rs`): the peer applied the answer by then, so a peer that restarts had sent its ABORT (Chromium aborts when it applies the answer, before its new DTLS is up) — none came, so it carried the association (Firefox, tacet) | written to the association |
//! | the peer's ABORT: a new association takes the channels over | written to the new one (after the unacknowledged ones; `restart.rs`) |
//! | [`HOLD_WINDOW`] passes | written to whatever association there is |
//!
//! Before an offer that moves a tag goes out, the negotiator waits (at most [`QUIESCE`]) for
//! every message written so far to be acknowledged: with the I bit each one is
//! (`immediate_sack.rs`) within a round trip, and what the peer acknowledged before it applied
//! the offer, it delivered. What this side cannot hold back is the peer's own offer: Chromium
//! drops what arrives between its setLocalDescription and our receiving the offer.

use std::time::{Duration, Instant};

use super::Sctp;
use super::channels::write_all;

/// The longest hold: a renegotiation, ICE and DTLS on a new transport and an SCTP handshake,
/// with room for lost flights (as `RESTART_WINDOW`).
pub(crate) const HOLD_WINDOW: Duration = super::RESTART_WINDOW;

/// The longest wait for acknowledgements before a tag-moving offer goes out: RFC 9260 §6.2
/// lets a receiver delay a SACK 500 ms at most (the I bit asks for none).
pub(crate) const QUIESCE: Duration = Duration::from_millis(500);

impl Sctp {
    /// Sends are held from now (a description that moves a tag is pending).
    pub(crate) fn hold(&mut self, now: Instant) {
        if self.holding.is_none() {
            self.holding = Some(now);
        }
    }

    /// Whether sends are held.
    pub(crate) fn is_holding(&self) -> bool {
        self.holding.is_some()
    }

    /// When the hold began.
    pub(crate) fn holding_since(&self) -> Option<Instant> {
        self.holding
    }

    /// The hold ends: what was kept is written to the association (or, while a new one is
    /// awaited, waits for it).
    pub(crate) fn release(&mut self, now: Instant) {
        if self.holding.take().is_none() {
            return;
        }
        self.write_kept(now);
    }

    /// Writes the kept messages to an established association that is not being replaced.
    pub(super) fn write_kept(&mut self, now: Instant) {
        if self.holding.is_some() || self.restarting.is_some() || !self.up {
            return;
        }
        let Some((_, association)) = self.association.as_mut() else {
            return;
        };
        write_all(association, &mut self.log, now, self.kept.take(), |_| true);
        self.pump(now);
    }

    /// Messages written to the association and not yet acknowledged.
    pub(crate) fn unacknowledged(&self) -> usize {
        self.log.len()
    }
}
