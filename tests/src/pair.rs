//! Two sessions and a signaling channel between them, with virtual time.
//!
//! The sessions are pure; the channel is where time exists: each description sent takes a
//! configurable delay, may be held back, and is delivered when virtual time reaches it. A
//! scenario reads like the sequence of calls two applications make, and every event and
//! effect either session produced is kept in order for assertions.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tacet_sdp::{Candidate, Fingerprint, SdpType, SessionDescription};
use tacet_session::{Effect, Error, Event, Session, SessionConfig, TransceiverId, TransportId};
use tacet_track::{TrackId, TrackKind};

/// Which peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    /// The first peer (usually the initial offerer).
    A,
    /// The second peer.
    B,
}

impl Who {
    /// The other peer.
    pub fn other(self) -> Self {
        match self {
            Self::A => Self::B,
            Self::B => Self::A,
        }
    }
}

/// One peer: its session and everything it emitted so far.
#[derive(Debug)]
pub struct Peer {
    /// The session.
    pub session: Session,
    /// Every event, in order.
    pub events: Vec<Event>,
    /// Every effect, in order.
    pub effects: Vec<Effect>,
    /// Loopback candidates this peer's I/O layer "gathers": one per created transport.
    next_port: u16,
}

impl Peer {
    /// Whether transceiver `id` has been removed from the set (it must exist).
    pub fn removed(&self, id: TransceiverId) -> bool {
        self.session
            .transceiver(id)
            .expect("the test names a transceiver of this session")
            .is_removed()
    }

    /// A peer whose session config `configure` adjusts (from the defaults with a constant
    /// sha-256 fingerprint of `fingerprint_byte`).
    pub fn with_config(
        seed: u64,
        fingerprint_byte: u8,
        configure: impl FnOnce(&mut SessionConfig),
    ) -> Self {
        let fingerprint = Fingerprint::new("sha-256", &[fingerprint_byte; 32])
            .expect("invariant: a constant sha-256 fingerprint is valid");
        let mut config = SessionConfig::new(fingerprint);
        configure(&mut config);
        Self {
            session: Session::new(config, seed),
            events: Vec::new(),
            effects: Vec::new(),
            next_port: 40_000 + u16::from(fingerprint_byte) * 100,
        }
    }

    /// Moves the session's queues into the logs, playing the I/O layer for transports: every
    /// created or replacing transport gets one loopback host candidate.
    pub fn drain(&mut self) {
        while let Some(effect) = self.session.poll_effect() {
            // A replacement this side made for its own tag move (TagMovePolicy::NewTransport)
            // was announced by TransportCreated and gathered then.
            let created = match &effect {
                Effect::TransportCreated { transport, .. } => Some(*transport),
                Effect::TransportReplaced { new, .. } => Some(*new).filter(|new| {
                    !self.effects.iter().any(|e| {
                        matches!(e, Effect::TransportCreated { transport, .. } if transport == new)
                    })
                }),
                _ => None,
            };
            self.effects.push(effect);
            if let Some(transport) = created {
                self.gather(transport);
            }
        }
        while let Some(event) = self.session.poll_event() {
            self.events.push(event);
        }
    }

    /// Gathers one host candidate on 127.0.0.1 for `transport`.
    pub fn gather(&mut self, transport: TransportId) {
        let port = self.next_port;
        self.next_port += 1;
        let candidate = Candidate::new(&format!(
            "1 1 udp 2122194687 127.0.0.1 {port} typ host generation 0"
        ))
        .expect("invariant: a well-formed host candidate");
        self.session
            .add_local_candidate(transport, candidate)
            .expect("invariant: the transport was just created by the session");
    }

    /// Takes the events logged so far.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.drain();
        std::mem::take(&mut self.events)
    }

    /// Takes the effects logged so far.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        self.drain();
        std::mem::take(&mut self.effects)
    }
}

/// A description in flight.
#[derive(Debug)]
struct InFlight {
    to: Who,
    at: Instant,
    description: SessionDescription,
}

/// Two peers, a signaling channel, and virtual time.
#[derive(Debug)]
pub struct Pair {
    /// Peer A.
    pub a: Peer,
    /// Peer B.
    pub b: Peer,
    now: Instant,
    /// One-way signaling delay.
    pub delay: Duration,
    in_flight: VecDeque<InFlight>,
}

impl Default for Pair {
    fn default() -> Self {
        Self::new()
    }
}

impl Pair {
    /// Two peers with fixed seeds (the same scenario replays identically).
    pub fn new() -> Self {
        Self::with_seeds(1, 2)
    }

    /// Two peers with the given seeds.
    pub fn with_seeds(a: u64, b: u64) -> Self {
        Self::with_configs(a, b, |_| {}, |_| {})
    }

    /// Two peers with the given seeds, each session config adjusted by its `configure`.
    pub fn with_configs(
        a: u64,
        b: u64,
        configure_a: impl FnOnce(&mut SessionConfig),
        configure_b: impl FnOnce(&mut SessionConfig),
    ) -> Self {
        Self {
            a: Peer::with_config(a, 0xA1, configure_a),
            b: Peer::with_config(b, 0xB2, configure_b),
            now: virtual_epoch(),
            delay: Duration::from_millis(50),
            in_flight: VecDeque::new(),
        }
    }

    /// The two peers, without the channel (for another harness over the same peers).
    pub fn into_peers(self) -> (Peer, Peer) {
        (self.a, self.b)
    }

    /// A peer.
    pub fn peer(&mut self, who: Who) -> &mut Peer {
        match who {
            Who::A => &mut self.a,
            Who::B => &mut self.b,
        }
    }

    /// The session of a peer.
    pub fn session(&mut self, who: Who) -> &mut Session {
        &mut self.peer(who).session
    }

    /// The usual media of a scenario on `who`: a microphone and a camera track in stream `s`
    /// (mids 0 and 1 once offered) and a data channel `chat`. Returns the audio and video
    /// transceivers.
    pub fn add_audio_video_data(&mut self, who: Who) -> (TransceiverId, TransceiverId) {
        let session = self.session(who);
        let audio = session
            .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s".into()])
            .expect("invariant: addTrack with a new track on an open session succeeds");
        let video = session
            .add_track(TrackKind::Video, TrackId::from("cam"), vec!["s".into()])
            .expect("invariant: addTrack with a new track on an open session succeeds");
        session
            .create_data_channel("chat")
            .expect("invariant: createDataChannel on an open session succeeds");
        (audio, video)
    }

    /// Virtual now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// `who` creates an offer and sets it locally; it is sent (arrives after `delay`).
    pub fn send_offer(&mut self, who: Who) -> Result<SessionDescription, Error> {
        self.send_edited_offer(who, |_| {})
    }

    /// As [`Pair::send_offer`], with the offer changed by `edit` after `who` set it (what
    /// is sent and returned is the edited one).
    fn send_edited_offer(
        &mut self,
        who: Who,
        edit: impl FnOnce(&mut SessionDescription),
    ) -> Result<SessionDescription, Error> {
        let mut offer = self.session(who).create_offer()?;
        self.session(who).set_local_description(offer.clone())?;
        self.peer(who).drain();
        edit(&mut offer);
        self.send(who.other(), offer.clone());
        Ok(offer)
    }

    /// `who` creates an answer and sets it locally; it is sent.
    pub fn send_answer(&mut self, who: Who) -> Result<SessionDescription, Error> {
        let answer = self.session(who).create_answer()?;
        self.session(who).set_local_description(answer.clone())?;
        self.peer(who).drain();
        self.send(who.other(), answer.clone());
        Ok(answer)
    }

    /// Puts a description on the channel to `to`.
    pub fn send(&mut self, to: Who, description: SessionDescription) {
        self.in_flight.push_back(InFlight {
            to,
            at: self.now + self.delay,
            description,
        });
    }

    /// Advances virtual time by `by`, delivering (setting as remote description) everything
    /// due, in order. Returns the first error a delivery met.
    pub fn advance(&mut self, by: Duration) -> Result<(), Error> {
        self.now += by;
        while let Some(next) = self.in_flight.front() {
            if next.at > self.now {
                break;
            }
            let InFlight {
                to, description, ..
            } = self
                .in_flight
                .pop_front()
                .expect("invariant: front() was Some");
            let result = self.session(to).set_remote_description(description);
            self.peer(to).drain();
            result?;
        }
        Ok(())
    }

    /// Delivers everything in flight.
    pub fn flush(&mut self) -> Result<(), Error> {
        let delay = self.delay;
        self.advance(delay)
    }

    /// The descriptions in flight, oldest first.
    pub fn in_flight(&self) -> impl Iterator<Item = (Who, &SessionDescription)> {
        self.in_flight.iter().map(|m| (m.to, &m.description))
    }

    /// Drops everything in flight (lost signaling).
    pub fn lose_in_flight(&mut self) {
        self.in_flight.clear();
    }

    /// A full round: `offerer` offers, the other answers; both applied. Returns (offer,
    /// answer).
    pub fn negotiate(
        &mut self,
        offerer: Who,
    ) -> Result<(SessionDescription, SessionDescription), Error> {
        self.negotiate_editing_offer(offerer, |_| {})
    }

    /// A full round with the answer changed in flight by `edit` (to play a peer that writes
    /// something tacet would not, e.g. Chromium's replacement transport).
    pub fn negotiate_editing_answer(
        &mut self,
        offerer: Who,
        edit: impl FnOnce(&mut SessionDescription),
    ) -> Result<(SessionDescription, SessionDescription), Error> {
        let offer = self.send_offer(offerer)?;
        self.flush()?;
        let mut answer = self.session(offerer.other()).create_answer()?;
        self.session(offerer.other())
            .set_local_description(answer.clone())?;
        self.peer(offerer.other()).drain();
        edit(&mut answer);
        let result = self.session(offerer).set_remote_description(answer.clone());
        self.a.drain();
        self.b.drain();
        result.map(|()| (offer, answer))
    }

    /// A full round with the offer changed in flight by `edit` (to play a peer that writes
    /// something tacet would not, e.g. Chromium's re-offer after stopping its BUNDLE tag): the
    /// offerer sets its own offer, the other side gets the edited one and answers, and the
    /// answer goes back. Returns (the edited offer, answer).
    pub fn negotiate_editing_offer(
        &mut self,
        offerer: Who,
        edit: impl FnOnce(&mut SessionDescription),
    ) -> Result<(SessionDescription, SessionDescription), Error> {
        let offer = self.send_edited_offer(offerer, edit)?;
        self.flush()?;
        let answer = self.send_answer(offerer.other())?;
        self.flush()?;
        self.a.drain();
        self.b.drain();
        Ok((offer, answer))
    }

    /// Sets a description on `who` as remote, parsing it from text the way a real peer's
    /// signaling would deliver it.
    pub fn deliver_text(&mut self, who: Who, sdp_type: SdpType, text: &str) -> Result<(), Error> {
        let result = self
            .session(who)
            .set_remote_description_text(sdp_type, text);
        self.peer(who).drain();
        result
    }
}

/// The virtual clock's epoch: the one place the test kit reads the real clock (sans-IO code
/// is told the time; this harness tells it).
#[expect(
    clippy::disallowed_methods,
    reason = "the harness's single clock read: the origin of virtual time"
)]
fn virtual_epoch() -> Instant {
    Instant::now()
}
