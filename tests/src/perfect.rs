//! Two peers running perfect negotiation ([`tacet_session::perfect`]) over a signaling channel
//! with virtual time: each direction delivers in order (as the pattern assumes) after a delay
//! drawn from a seeded generator, and the two directions interleave freely. Every peer answers
//! `negotiationneeded` by offering, and trickles the candidate of each transport it creates.
//!
//! This is the WPT perfect-negotiation setup (`RTCPeerConnection-perfect-negotiation*.html`)
//! without the browser: the application code is [`PerfectPair::run_until`] and
//! [`PerfectPair::settle`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tacet_session::perfect::{Handled, PerfectNegotiation, Role, Signal};
use tacet_session::{Effect, Error, RemoteCandidate, Session};

use crate::pair::{Peer, Who};

/// A message in flight.
#[derive(Debug)]
struct Message {
    to: Who,
    at: Instant,
    signal: Signal,
}

/// Two perfect-negotiation peers: A polite, B impolite unless swapped.
#[derive(Debug)]
pub struct PerfectPair {
    /// Peer A.
    pub a: Peer,
    /// Peer B.
    pub b: Peer,
    /// A's negotiator.
    pub a_negotiator: PerfectNegotiation,
    /// B's negotiator.
    pub b_negotiator: PerfectNegotiation,
    now: Instant,
    in_flight: VecDeque<Message>,
    /// Delays are drawn uniformly from `1..=max_delay` milliseconds.
    max_delay_ms: u64,
    rng: u64,
    /// How many effects of each peer were already looked at for trickling.
    seen_effects: [usize; 2],
    /// Messages delivered so far.
    pub delivered: usize,
}

impl PerfectPair {
    /// A polite (or, with `a_polite == false`, impolite) A and the other role for B; the channel
    /// draws delays from `seed`.
    pub fn new(a_polite: bool, seed: u64) -> Self {
        let (a_role, b_role) = if a_polite {
            (Role::Polite, Role::Impolite)
        } else {
            (Role::Impolite, Role::Polite)
        };
        let base =
            crate::pair::Pair::with_seeds(seed.wrapping_mul(3) + 1, seed.wrapping_mul(5) + 2);
        let now = base.now();
        let (a, b) = base.into_peers();
        Self {
            a,
            b,
            a_negotiator: PerfectNegotiation::new(a_role),
            b_negotiator: PerfectNegotiation::new(b_role),
            now,
            in_flight: VecDeque::new(),
            max_delay_ms: 20,
            rng: seed ^ 0x9E37_79B9_7F4A_7C15,
            seen_effects: [0, 0],
            delivered: 0,
        }
    }

    /// The session of a peer.
    pub fn session(&mut self, who: Who) -> &mut Session {
        match who {
            Who::A => &mut self.a.session,
            Who::B => &mut self.b.session,
        }
    }

    /// Virtual now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Whether nothing is in flight.
    pub fn is_quiet(&self) -> bool {
        self.in_flight.is_empty()
    }

    fn next_delay(&mut self) -> Duration {
        // SplitMix64 step: deterministic per seed.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Duration::from_millis(1 + z % self.max_delay_ms)
    }

    /// Sends `signal` to `to`, after every earlier message to `to` (in-order channel).
    fn send(&mut self, to: Who, signal: Signal) {
        let mut at = self.now + self.next_delay();
        if let Some(last) = self
            .in_flight
            .iter()
            .filter(|m| m.to == to)
            .map(|m| m.at)
            .max()
        {
            at = at.max(last);
        }
        // Keep the queue sorted by delivery time; equal times keep sending order.
        let index = self.in_flight.partition_point(|m| m.at <= at);
        self.in_flight.insert(index, Message { to, at, signal });
    }

    /// The application's `negotiationneeded` handler and `onicecandidate` for one peer: offers
    /// when the session needs it, and trickles the candidate of each transport created since.
    fn react(&mut self, who: Who) -> Result<(), Error> {
        let (peer, negotiator) = match who {
            Who::A => (&mut self.a, &mut self.a_negotiator),
            Who::B => (&mut self.b, &mut self.b_negotiator),
        };
        let offer = negotiator.offer_if_needed(&mut peer.session)?;
        peer.drain();
        if let Some(offer) = offer {
            self.send(who.other(), Signal::Description(Box::new(offer)));
        }
        self.trickle(who);
        Ok(())
    }

    /// Sends a candidate message for every transport `who` created since the last call.
    fn trickle(&mut self, who: Who) {
        let slot = usize::from(who == Who::B);
        let peer = match who {
            Who::A => &self.a,
            Who::B => &self.b,
        };
        let mut out = Vec::new();
        for effect in &peer.effects[self.seen_effects[slot]..] {
            let (transport, tag) = match effect {
                Effect::TransportCreated { transport, tag } => (*transport, tag),
                Effect::TransportReplaced { new, tag, .. } => (*new, tag),
                _ => continue,
            };
            let candidate = peer
                .session
                .transports()
                .iter()
                .find(|t| t.id() == transport)
                .and_then(|t| t.local_candidates().last().cloned());
            out.push(RemoteCandidate {
                candidate,
                mid: Some(tag.as_str().to_owned()),
                ..RemoteCandidate::default()
            });
        }
        self.seen_effects[slot] = peer.effects.len();
        for candidate in out {
            self.send(who.other(), Signal::Candidate(candidate));
        }
    }

    /// Delivers the next message due by `until`, if any: the receiving peer's `onmessage`.
    fn deliver_next(&mut self, until: Instant) -> Result<bool, Error> {
        let due = self.in_flight.front().is_some_and(|m| m.at <= until);
        if !due {
            return Ok(false);
        }
        let message = self
            .in_flight
            .pop_front()
            .expect("invariant: front() was Some");
        self.now = self.now.max(message.at);
        self.delivered += 1;
        let to = message.to;
        let handled = match to {
            Who::A => self
                .a_negotiator
                .handle(&mut self.a.session, message.signal),
            Who::B => self
                .b_negotiator
                .handle(&mut self.b.session, message.signal),
        };
        match to {
            Who::A => self.a.drain(),
            Who::B => self.b.drain(),
        }
        if let Handled::Answered(answer) = handled? {
            self.send(to.other(), Signal::Description(answer));
        }
        self.trickle(to);
        Ok(true)
    }

    /// Runs the two applications until virtual time reaches `until`: after every delivery both
    /// peers get to react (offer if needed, trickle).
    pub fn run_until(&mut self, until: Instant) -> Result<(), Error> {
        self.react(Who::A)?;
        self.react(Who::B)?;
        while self.deliver_next(until)? {
            self.react(Who::A)?;
            self.react(Who::B)?;
        }
        self.now = self.now.max(until);
        Ok(())
    }

    /// Advances virtual time by `by` (see [`Self::run_until`]).
    pub fn advance(&mut self, by: Duration) -> Result<(), Error> {
        let until = self.now + by;
        self.run_until(until)
    }

    /// Runs until nothing is in flight and neither peer needs to negotiate; at most `limit`
    /// deliveries (a negotiation that never settles is a failure, not a hang).
    pub fn settle(&mut self, limit: usize) -> Result<usize, String> {
        let start = self.delivered;
        loop {
            let far = self.now + Duration::from_secs(3600);
            self.react(Who::A).map_err(|e| e.to_string())?;
            self.react(Who::B).map_err(|e| e.to_string())?;
            if self.in_flight.is_empty() {
                return Ok(self.delivered - start);
            }
            if self.delivered - start >= limit {
                return Err(format!(
                    "not settled after {limit} messages; {} in flight",
                    self.in_flight.len()
                ));
            }
            self.deliver_next(far).map_err(|e| e.to_string())?;
        }
    }
}
