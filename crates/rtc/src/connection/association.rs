//! The SCTP association's side of a BUNDLE tag move, as the connection drives it: sends held
//! while a tag-moving offer is pending (`data/hold.rs`), the wait before such an offer goes
//! out, a lost last transport deferred for the answer (Firefox), and where a restarted
//! association starts (Chromium; `data/restart.rs`).

use std::time::Instant;

use super::{Connection, tag_move};
use crate::data::{HOLD_WINDOW, QUIESCE};
use crate::error::SctpLoss;
use crate::transport::Transport;

impl Connection {
    /// A transport failed or the peer closed it: when no transport that could carry the
    /// association is left, the association is lost (its retransmissions never end it: see
    /// `data::transport_config`). A transport still starting could carry it, so it counts —
    /// and so does the one a pending offer that moves a BUNDLE tag may bring: Firefox closes
    /// the transport the tag leaves (close_notify) as soon as it applies such an offer of
    /// ours, before it answers with the new one (docs/browsers.md), so the loss waits for the
    /// answer ([`Connection::settle_deferred_loss`]).
    pub(super) fn carrier_ended(&mut self, loss: SctpLoss) {
        if self.transports.iter().any(Transport::is_live) {
            return;
        }
        if tag_move::pending_offer_moves_tag(&self.session) {
            self.deferred_loss = Some(loss);
        } else {
            self.sctp.lose(loss);
        }
    }

    /// A loss [`carrier_ended`](Connection::carrier_ended) held for the answer to a
    /// tag-moving offer: once no such offer is pending (answered, rolled back), it stands
    /// unless a transport came to carry the association.
    pub(super) fn settle_deferred_loss(&mut self) {
        if self.deferred_loss.is_none() || tag_move::pending_offer_moves_tag(&self.session) {
            return;
        }
        if let Some(loss) = self.deferred_loss.take()
            && !self.transports.iter().any(Transport::is_live)
        {
            self.sctp.lose(loss);
        }
    }

    /// Holds data-channel sends while an offer that moves a BUNDLE tag is pending, and
    /// releases them once no replacement is being made (`data/hold.rs` has the table) or the
    /// hold is too long. Whether kept messages were written.
    pub(super) fn drive_hold(&mut self, now: Instant) -> bool {
        if tag_move::pending_offer_moves_tag(&self.session) {
            if !self.sctp.is_holding() && tag_move::own_offer_moves_tag(&self.session) {
                // Wake when the wait for acknowledgements before the offer ends.
                self.announce_deadline = Some(now + QUIESCE);
            }
            self.sctp.hold(now);
            return false;
        }
        let Some(since) = self.sctp.holding_since() else {
            return false;
        };
        // Once this side has switched to every replacing transport, the peer has applied the
        // answer: a peer that restarts the association sent its ABORT before (data/hold.rs).
        if !self.handovers.is_making() || now >= since + HOLD_WINDOW {
            self.sctp.release(now);
            return true;
        }
        false
    }

    /// Whether this side's offer may go to the peer now. An offer that moves a BUNDLE tag
    /// waits (at most half a second) until the peer has acknowledged every data-channel
    /// message written before it: a peer that moves its channels to a new association when it
    /// applies the offer (Chromium) drops what its old one takes after that (`data/hold.rs`).
    /// [`PeerConnection`](crate::PeerConnection)'s negotiation asks before it sends; an
    /// application that signals by itself should too.
    pub fn may_announce_offer(&self, now: Instant) -> bool {
        if !tag_move::own_offer_moves_tag(&self.session) || self.sctp.unacknowledged() == 0 {
            return true;
        }
        self.sctp
            .holding_since()
            .is_none_or(|since| now >= since + QUIESCE)
    }

    /// The association was aborted ("Restart" in data.rs): the new association starts now on
    /// the transport that replaces the carrier when that one is up, or on the carrier itself
    /// when no replacement is pending (the replacement is done, or there is none). While this
    /// side's tag-moving offer waits for its answer, or a replacement's DTLS is not up yet,
    /// the replacing transport's DTLS coming up starts it: an INIT on the transport the peer
    /// is leaving would reach its old association.
    pub(super) fn restart_on_successor(&mut self, now: Instant) {
        let Some(carrier) = self.carrier() else {
            return;
        };
        let successor = self.handovers.successor(carrier);
        let waiting = successor == carrier
            && (self.handovers.is_making() || tag_move::pending_offer_moves_tag(&self.session));
        if waiting {
            return;
        }
        if let Some(role) = self
            .transports
            .iter()
            .find(|t| t.id == successor && t.is_connected())
            .and_then(|t| t.role)
        {
            self.sctp.start(now, role);
        }
    }
}
