//! Transport replacement, make-before-break.
//!
//! When a BUNDLE tag moves, Chromium builds a new transport (new candidates, the same ICE
//! credentials and fingerprint, a new DTLS handshake) and carries its SCTP association over to
//! it (interop-findings §5); tacet does the same under `TagMovePolicy::NewTransport`, and the
//! session reports either side's replacement as `Effect::TransportReplaced { old, new }`. The
//! association is one per connection and rtc-sctp routes packets by verification tag, not by
//! transport, so moving it is only a matter of where its packets go:
//!
//! 1. **Making.** The new transport runs ICE and DTLS; the old one stays live and carries
//!    everything, both ways.
//! 2. **Switched.** The new transport's DTLS is connected: from now on this side sends on it.
//!    The old one still receives — the peer switches when *its* handshake completes, half a
//!    round trip or a retransmitted flight later — and SCTP packets from either are accepted.
//! 3. **Done.** The peer's first packet on the new transport shows it has switched (or
//!    [`GRACE`] passed with nothing from it): the old transport is closed (close_notify,
//!    RFC 5246 §7.2.1) and its late datagrams are dropped (trap 2).
//!
//! Nothing is lost on the way: SCTP retransmits whatever a closing transport dropped, and
//! until the switch no packet is sent on a transport that is not connected. The transport
//! reference §2 measured the alternative: break-before-make recovers only at the next
//! retransmission timer (RTO at least 1 s).
//!
//! [`Handovers::carrier`] is the one answer to "which transport carries this transport's
//! traffic now": the SCTP path uses it, and so can media (SRTP contexts are per transport).

use std::time::{Duration, Instant};

/// How long the old transport keeps receiving after this side switched, when nothing from the
/// peer arrives on the new one to show it switched too. Longer than a DTLS flight's first
/// retransmission (1 s, RFC 6347 §4.2.4.1) and the one after it, so the peer's handshake can
/// lose a flight twice and still find the old transport open.
pub(crate) const GRACE: Duration = Duration::from_secs(5);

/// Where one replacement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The new transport runs ICE and DTLS; the old one carries the traffic.
    Making,
    /// The new transport carries what this side sends; the old one receives until the peer
    /// is seen on the new one, or until `GRACE` after `since`.
    Switched { since: Instant },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Handover<Id> {
    old: Id,
    new: Id,
    stage: Stage,
}

/// The replacements under way in one connection, of transports named by `Id` (the session's
/// `TransportId`).
#[derive(Debug)]
pub(crate) struct Handovers<Id> {
    list: Vec<Handover<Id>>,
}

impl<Id> Default for Handovers<Id> {
    fn default() -> Self {
        Self { list: Vec::new() }
    }
}

impl<Id: Copy + PartialEq> Handovers<Id> {
    /// `Effect::TransportReplaced`: `new` starts; `old` keeps carrying until `new` connects.
    pub(crate) fn begin(&mut self, old: Id, new: Id) {
        if self.list.iter().all(|h| h.new != new) {
            self.list.push(Handover {
                old,
                new,
                stage: Stage::Making,
            });
        }
    }

    /// The transport that carries `transport`'s traffic now: the one it replaces (and so on,
    /// for a replacement of a replacement) while its own DTLS is not connected, else itself.
    pub(crate) fn carrier(&self, transport: Id) -> Id {
        let mut carrier = transport;
        // Each step goes to an older transport, so the chain is at most as long as the list.
        for _ in 0..=self.list.len() {
            match self
                .list
                .iter()
                .find(|h| h.new == carrier && h.stage == Stage::Making)
            {
                Some(h) => carrier = h.old,
                None => break,
            }
        }
        carrier
    }

    /// Whether `transport` is being replaced (it still carries or receives, but only for the
    /// peer it is connected to).
    pub(crate) fn is_retiring(&self, transport: Id) -> bool {
        self.list.iter().any(|h| h.old == transport)
    }

    /// `transport`'s DTLS connected: if it is a replacement, this side switches to it.
    pub(crate) fn connected(&mut self, now: Instant, transport: Id) {
        for h in self.list.iter_mut().filter(|h| h.new == transport) {
            if h.stage == Stage::Making {
                h.stage = Stage::Switched { since: now };
            }
        }
    }

    /// An SCTP packet arrived on `transport`. If the peer is now seen on a replacement this
    /// side has switched to, the replacement is done: the old transport to close.
    pub(crate) fn received(&mut self, transport: Id) -> Option<(Id, Id)> {
        let i = self
            .list
            .iter()
            .position(|h| h.new == transport && matches!(h.stage, Stage::Switched { .. }))?;
        let h = self.list.remove(i);
        Some((h.old, h.new))
    }

    /// `transport` failed or was released. If it was a replacement, the replacement is over:
    /// the old transport to close (the session released it when it made the new one; a
    /// transport the session no longer has is not kept alive by the I/O layer).
    pub(crate) fn ended(&mut self, transport: Id) -> Option<Id> {
        let i = self.list.iter().position(|h| h.new == transport)?;
        Some(self.list.remove(i).old)
    }

    /// The earliest end of a grace period.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        self.list
            .iter()
            .filter_map(|h| match h.stage {
                Stage::Switched { since } => Some(since + GRACE),
                Stage::Making => None,
            })
            .min()
    }

    /// The replacements whose grace period is over at `now`: (old to close, new).
    pub(crate) fn handle_timeout(&mut self, now: Instant) -> Vec<(Id, Id)> {
        let mut done = Vec::new();
        self.list.retain(|h| match h.stage {
            Stage::Switched { since } if since + GRACE <= now => {
                done.push((h.old, h.new));
                false
            }
            _ => true,
        });
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (u32, u32, u32) {
        (0, 1, 2)
    }

    /// Any instant: the handovers only compare instants they were given.
    #[expect(
        clippy::disallowed_methods,
        reason = "a test's origin of time; the code under test is told the time"
    )]
    fn clock() -> Instant {
        Instant::now()
    }

    #[test]
    fn the_old_transport_carries_until_the_new_one_connects() {
        let (old, new, _) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        assert_eq!(handovers.carrier(new), old);
        assert_eq!(handovers.carrier(old), old);
        assert!(handovers.is_retiring(old));
        // The old one's packets do not end anything.
        assert_eq!(handovers.received(old), None);
        // Packets on the new one before it connected (a DTLS server's first records) do not
        // either: this side has not switched yet.
        assert_eq!(handovers.received(new), None);
        let now = clock();
        handovers.connected(now, new);
        assert_eq!(handovers.carrier(new), new);
        assert!(handovers.is_retiring(old), "still receiving");
        assert_eq!(handovers.received(new), Some((old, new)));
        assert!(!handovers.is_retiring(old));
        assert_eq!(handovers.poll_timeout(), None);
    }

    #[test]
    fn a_silent_peer_ends_the_handover_after_the_grace_period() {
        let (old, new, _) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        let now = clock();
        assert_eq!(handovers.poll_timeout(), None, "no deadline while making");
        handovers.connected(now, new);
        assert_eq!(handovers.poll_timeout(), Some(now + GRACE));
        assert!(handovers.handle_timeout(now + GRACE / 2).is_empty());
        assert_eq!(handovers.handle_timeout(now + GRACE), [(old, new)]);
        assert_eq!(handovers.poll_timeout(), None);
    }

    #[test]
    fn a_replacement_of_a_replacement_is_carried_by_the_newest_connected_one() {
        let (first, second, third) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(first, second);
        handovers.begin(second, third);
        assert_eq!(handovers.carrier(third), first);
        handovers.connected(clock(), second);
        assert_eq!(handovers.carrier(third), second);
    }

    #[test]
    fn a_failed_replacement_ends_the_handover_and_closes_the_old_transport() {
        let (old, new, other) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        assert_eq!(handovers.ended(other), None);
        assert_eq!(handovers.ended(new), Some(old));
        assert!(!handovers.is_retiring(old));
        assert_eq!(handovers.carrier(new), new);
    }
}
