//! Transport replacement, make-before-break.
//!
//! When a BUNDLE tag moves, Chromium and Firefox build a new transport (new candidates, the
//! same ICE credentials and fingerprint, a new DTLS handshake; interop-findings §5, §7) —
//! Firefox carries its SCTP association over to it, Chromium starts a new one (`data.rs`,
//! "Restart"); tacet builds one under `TagMovePolicy::NewTransport`, and the
//! session reports either side's replacement as `Effect::TransportReplaced { old, new }`. The
//! association is one per connection and rtc-sctp routes packets by verification tag, not by
//! transport, so moving it is only a matter of where its packets go:
//!
//! 1. **Making.** The new transport runs ICE and DTLS; the old one stays live and carries
//!    everything, both ways.
//! 2. **Switched.** This side sends on the new transport once it knows both DTLS handshakes
//!    are complete: a DTLS client when its own completes (on the server's Finished, which the
//!    server sends after its own completed), a server when the client's first SCTP packet
//!    arrives on the new transport (a server that switched on its own completion would send
//!    records a client still waiting for a lost Finished cannot read). The old transport
//!    still receives, and SCTP packets from either are accepted.
//! 3. **Done.** The peer's first packet on the new transport, or its close_notify on the old
//!    one, shows it has switched (or [`GRACE`] passed with neither): the old transport is
//!    closed (close_notify, RFC 5246 §7.2.1) and its late datagrams are dropped (trap 2).
//!
//! Nothing is lost on the way: SCTP retransmits whatever a closing transport dropped, and
//! until the switch no packet is sent on a transport that is not connected. The transport
//! reference §2 measured the alternative: break-before-make recovers only at the next
//! retransmission timer (RTO at least 1 s).
//!
//! [`Handovers::carrier`] is the one answer to "which transport carries this transport's
//! traffic now": the SCTP path uses it, and so can media (SRTP contexts are per transport).

use std::time::{Duration, Instant};

/// How long the old transport keeps receiving after a DTLS client switched, when nothing from
/// the peer arrives on the new one to show it switched too (an idle association). Longer than a DTLS flight's first
/// retransmission (1 s, RFC 6347 §4.2.4.1) and the one after it, so the peer's handshake can
/// lose a flight twice and still find the old transport open.
pub(crate) const GRACE: Duration = Duration::from_secs(5);

/// Where one replacement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The new transport runs ICE and DTLS — or its DTLS server has finished but does not know
    /// whether the client has (the client's last flight may be lost) — and the old one carries
    /// the traffic.
    Making {
        /// This side's DTLS handshake on the new transport completed.
        connected: bool,
    },
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
    /// `Effect::TransportReplaced`: `new` starts; `old` keeps carrying until this side
    /// switches.
    pub(crate) fn begin(&mut self, old: Id, new: Id) {
        if self.list.iter().all(|h| h.new != new) {
            self.list.push(Handover {
                old,
                new,
                stage: Stage::Making { connected: false },
            });
        }
    }

    /// Whether `transport` replaces another and this side has not switched to it yet: its
    /// traffic goes on the one it replaces.
    pub(crate) fn is_pending(&self, transport: Id) -> bool {
        self.list
            .iter()
            .any(|h| h.new == transport && matches!(h.stage, Stage::Making { .. }))
    }

    /// The transport that carries `transport`'s traffic now: the one it replaces (and so on,
    /// for a replacement of a replacement) until this side has switched to it, else itself.
    pub(crate) fn carrier(&self, transport: Id) -> Id {
        let mut carrier = transport;
        // Each step goes to an older transport, so the chain is at most as long as the list.
        for _ in 0..=self.list.len() {
            match self
                .list
                .iter()
                .find(|h| h.new == carrier && matches!(h.stage, Stage::Making { .. }))
            {
                Some(h) => carrier = h.old,
                None => break,
            }
        }
        carrier
    }

    /// The newest transport replacing `transport` (following a replacement of a replacement),
    /// or itself when nothing replaces it.
    pub(crate) fn successor(&self, transport: Id) -> Id {
        let mut newest = transport;
        // Each step goes to a newer transport, so the chain is at most as long as the list.
        for _ in 0..=self.list.len() {
            match self.list.iter().find(|h| h.old == newest) {
                Some(h) => newest = h.new,
                None => break,
            }
        }
        newest
    }

    /// Whether some replacement is still being made: this side has not switched to it.
    pub(crate) fn is_making(&self) -> bool {
        self.list
            .iter()
            .any(|h| matches!(h.stage, Stage::Making { .. }))
    }

    /// Whether `transport` is being replaced (it still carries or receives, but only for the
    /// peer it is connected to).
    pub(crate) fn is_retiring(&self, transport: Id) -> bool {
        self.list.iter().any(|h| h.old == transport)
    }

    /// `transport`'s DTLS handshake completed. A DTLS client switches to it at once: its
    /// handshake completes on the server's Finished, so the server's has completed too
    /// (RFC 6347 §4.2.4). A server waits: the client may still be waiting for that Finished.
    pub(crate) fn connected(&mut self, now: Instant, transport: Id, client: bool) {
        for h in self.list.iter_mut().filter(|h| h.new == transport) {
            if let Stage::Making { .. } = h.stage {
                h.stage = if client {
                    Stage::Switched { since: now }
                } else {
                    Stage::Making { connected: true }
                };
            }
        }
    }

    /// An SCTP packet arrived on `transport`. If it is a replacement whose DTLS this side has
    /// completed, the peer has switched to it, so this side has too: the replacement is done,
    /// the old transport to close.
    pub(crate) fn received(&mut self, transport: Id) -> Option<(Id, Id)> {
        self.finish(|h| h.new == transport)
    }

    /// The peer closed `transport` (close_notify). If it is the old transport of a replacement
    /// whose DTLS this side has completed, the peer has switched: the replacement is done.
    pub(crate) fn peer_closed(&mut self, transport: Id) -> Option<(Id, Id)> {
        self.finish(|h| h.old == transport)
    }

    /// Ends the replacement `which` picks, if this side's DTLS on its new transport completed:
    /// (old to close, new).
    fn finish(&mut self, which: impl Fn(&Handover<Id>) -> bool) -> Option<(Id, Id)> {
        let i = self.list.iter().position(|h| {
            which(h)
                && matches!(
                    h.stage,
                    Stage::Switched { .. } | Stage::Making { connected: true }
                )
        })?;
        let h = self.list.remove(i);
        Some((h.old, h.new))
    }

    /// `transport` was released by the session (`close()`, or a later round). If it was a
    /// replacement, the replacement is over: the old transport to close too (the session
    /// released it when it made the new one, and only the handover kept it open).
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
                Stage::Making { .. } => None,
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
pub(crate) mod tests {
    use super::*;

    fn ids() -> (u32, u32, u32) {
        (0, 1, 2)
    }

    /// Any instant: the handovers only compare instants they were given.
    #[expect(
        clippy::disallowed_methods,
        reason = "a test's origin of time; the code under test is told the time"
    )]
    pub(crate) fn clock() -> Instant {
        Instant::now()
    }

    #[test]
    fn a_dtls_client_switches_when_its_handshake_completes() {
        let (old, new, _) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        assert_eq!(handovers.carrier(new), old);
        assert_eq!(handovers.carrier(old), old);
        assert!(handovers.is_pending(new) && handovers.is_retiring(old));
        // Packets on either before this side's handshake completed end nothing.
        assert_eq!(handovers.received(old), None);
        assert_eq!(handovers.received(new), None);
        handovers.connected(clock(), new, true);
        assert_eq!(handovers.carrier(new), new);
        assert!(!handovers.is_pending(new));
        assert!(handovers.is_retiring(old), "still receiving");
        assert_eq!(handovers.received(new), Some((old, new)));
        assert!(!handovers.is_retiring(old));
        assert_eq!(handovers.poll_timeout(), None);
    }

    #[test]
    fn a_dtls_server_switches_when_the_client_is_seen_on_the_new_transport() {
        let (old, new, _) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        handovers.connected(clock(), new, false);
        assert_eq!(handovers.carrier(new), old, "the client may not be done");
        assert_eq!(handovers.poll_timeout(), None);
        assert_eq!(handovers.received(old), None);
        assert_eq!(handovers.received(new), Some((old, new)));
        assert_eq!(handovers.carrier(new), new);
    }

    #[test]
    fn the_peers_close_notify_on_the_old_transport_ends_the_handover_once_connected() {
        let (old, new, _) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        // Before this side's handshake completed, the new transport cannot carry anything.
        assert_eq!(handovers.peer_closed(old), None);
        handovers.connected(clock(), new, false);
        assert_eq!(handovers.peer_closed(new), None);
        assert_eq!(handovers.peer_closed(old), Some((old, new)));
        assert!(!handovers.is_retiring(old));
    }

    #[test]
    fn a_silent_peer_ends_the_handover_after_the_grace_period() {
        let (old, new, _) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        let now = clock();
        assert_eq!(handovers.poll_timeout(), None, "no deadline while making");
        handovers.connected(now, new, true);
        assert_eq!(handovers.poll_timeout(), Some(now + GRACE));
        assert!(handovers.handle_timeout(now + GRACE / 2).is_empty());
        assert_eq!(handovers.handle_timeout(now + GRACE), [(old, new)]);
        assert_eq!(handovers.poll_timeout(), None);
    }

    #[test]
    fn a_replacement_of_a_replacement_is_carried_by_the_newest_switched_one() {
        let (first, second, third) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(first, second);
        handovers.begin(second, third);
        assert_eq!(handovers.carrier(third), first);
        handovers.connected(clock(), second, true);
        assert_eq!(handovers.carrier(third), second);
    }

    #[test]
    fn a_released_replacement_ends_the_handover_and_closes_the_old_transport() {
        let (old, new, other) = ids();
        let mut handovers = Handovers::<u32>::default();
        handovers.begin(old, new);
        assert_eq!(handovers.ended(other), None);
        assert_eq!(handovers.ended(new), Some(old));
        assert!(!handovers.is_retiring(old));
        assert_eq!(handovers.carrier(new), new);
    }
}
