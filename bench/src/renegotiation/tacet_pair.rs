//! tacet: two [`tacet_session::Session`]s, offerer and answerer.

use tacet_sdp::{Candidate, Fingerprint, SdpType};
use tacet_session::{CodecConfig, Effect, Event, Session, SessionConfig, TransceiverId};
use tacet_track::{TrackId, TrackKind};

use super::{Endpoints, Exchange, Kind, Round, stop_count, stopped_indices};

/// One tacet endpoint: its session and its "I/O layer" (a candidate port per transport).
#[derive(Debug)]
struct Side {
    session: Session,
    port: u16,
    /// `TransceiverRemoved` events seen (a stopped transceiver leaves the set).
    removed: usize,
}

impl Side {
    fn new(codecs: CodecConfig, seed: u64, byte: u8) -> Self {
        let fingerprint = Fingerprint::new("sha-256", &[byte; 32])
            .expect("invariant: a constant sha-256 fingerprint is valid");
        let mut config = SessionConfig::new(fingerprint);
        config.codecs = codecs;
        Self {
            session: Session::new(config, seed),
            port: 40_000 + u16::from(byte) * 8,
            removed: 0,
        }
    }

    /// What an application does after each call: hands the events to itself and the effects
    /// to its I/O layer, which gathers one host candidate for every transport it is told to
    /// create (as `tests/src/pair.rs` `Peer::drain` does).
    fn drain(&mut self) {
        while let Some(effect) = self.session.poll_effect() {
            let created = match effect {
                Effect::TransportCreated { transport, .. } => Some(transport),
                Effect::TransportReplaced { new, .. } => Some(new),
                _ => None,
            };
            if let Some(transport) = created {
                let candidate = Candidate::new(&format!(
                    "1 1 udp 2122194687 192.0.2.1 {} typ host generation 0",
                    self.port
                ))
                .expect("invariant: a well-formed host candidate");
                self.port += 1;
                self.session
                    .add_local_candidate(transport, candidate)
                    .expect("the session just created the transport");
            }
        }
        while let Some(event) = self.session.poll_event() {
            if matches!(event, Event::TransceiverRemoved { .. }) {
                self.removed += 1;
            }
        }
    }
}

/// tacet with [`CodecConfig::minimal`] (Opus; VP8 with RTX), the configuration shared with the
/// peers.
#[derive(Debug)]
pub struct Tacet(Pair);

/// tacet with its default, Chromium-like codec list ([`CodecConfig::default`]).
#[derive(Debug)]
pub struct TacetChromium(Pair);

/// The two sessions, and the offerer's round-1 transceivers (to stop some in round 2).
#[derive(Debug)]
pub struct Pair {
    offerer: Side,
    answerer: Side,
    added: Vec<TransceiverId>,
    tracks: u64,
}

impl Pair {
    fn new(codecs: CodecConfig) -> Self {
        Self {
            offerer: Side::new(codecs.clone(), 1, 0xA1),
            answerer: Side::new(codecs, 2, 0xB2),
            added: Vec::new(),
            tracks: 0,
        }
    }

    /// The offerer's session (for checks).
    pub fn offerer(&self) -> &Session {
        &self.offerer.session
    }

    /// The answerer's session (for checks).
    pub fn answerer(&self) -> &Session {
        &self.answerer.session
    }

    fn add(&mut self, count: usize) {
        for index in 0..count {
            let kind = match super::kind_of(index) {
                Kind::Audio => TrackKind::Audio,
                Kind::Video => TrackKind::Video,
            };
            self.tracks += 1;
            let track = TrackId::from(format!("track-{}", self.tracks));
            let id = self
                .offerer
                .session
                .add_track(kind, track, vec!["stream".to_owned()])
                .expect("addTrack");
            self.added.push(id);
            self.offerer.drain();
        }
    }

    /// The application's calls of `round` (`add_track`s or `stop()`s), each
    /// followed by a drain.
    pub fn change(&mut self, round: Round, n: usize) {
        match round {
            Round::Add => self.add(n),
            Round::Stop => {
                for index in stopped_indices(n) {
                    self.offerer
                        .session
                        .transceiver_mut(self.added[index])
                        .and_then(|mut t| t.stop())
                        .expect("stop");
                    self.offerer.drain();
                }
            }
            Round::Readd => self.add(stop_count(n)),
        }
    }

    fn round(&mut self, round: Round, n: usize) -> Exchange {
        self.change(round, n);
        self.exchange()
    }

    /// One offer/answer exchange over SDP text, the queues drained after every call.
    pub fn exchange(&mut self) -> Exchange {
        let (a, b) = (&mut self.offerer, &mut self.answerer);
        let offer = a.session.create_offer().expect("createOffer");
        let offer_text = offer.to_string();
        a.session.set_local_description(offer).expect("SLD(offer)");
        a.drain();
        b.session
            .set_remote_description_text(SdpType::Offer, &offer_text)
            .expect("SRD(offer)");
        b.drain();
        let answer = b.session.create_answer().expect("createAnswer");
        let answer_text = answer.to_string();
        b.session
            .set_local_description(answer)
            .expect("SLD(answer)");
        b.drain();
        a.session
            .set_remote_description_text(SdpType::Answer, &answer_text)
            .expect("SRD(answer)");
        a.drain();
        Exchange {
            offer: offer_text,
            answer: answer_text,
        }
    }

    fn answerer_stopped(&mut self) -> usize {
        // Stopped transceivers leave the set when the answer settles: count the removals.
        self.answerer.removed
            + self
                .answerer
                .session
                .transceivers()
                .filter(|t| t.is_stopped())
                .count()
    }

    fn offerer_live(&mut self) -> usize {
        self.offerer
            .session
            .transceivers()
            .filter(|t| !t.is_stopped())
            .count()
    }
}

impl Tacet {
    /// The sessions (for checks).
    pub fn pair(&self) -> &Pair {
        &self.0
    }

    /// The sessions, to run a round's calls and its exchange apart (for timing the two).
    pub fn pair_mut(&mut self) -> &mut Pair {
        &mut self.0
    }
}

impl TacetChromium {
    /// The sessions (for checks).
    pub fn pair(&self) -> &Pair {
        &self.0
    }
}

/// The two tacet sides differ only in name and codec list.
macro_rules! tacet_endpoints {
    ($side:ty, $name:literal, $codecs:expr) => {
        impl Endpoints for $side {
            const NAME: &'static str = $name;
            const RECYCLES: bool = true;
            const STOP_REJECTS: bool = true;

            fn new() -> Self {
                Self(Pair::new($codecs))
            }

            fn round(&mut self, round: Round, n: usize) -> Exchange {
                self.0.round(round, n)
            }

            fn answerer_stopped(&mut self) -> usize {
                self.0.answerer_stopped()
            }

            fn offerer_live(&mut self) -> usize {
                self.0.offerer_live()
            }
        }
    };
}

tacet_endpoints!(Tacet, "tacet", CodecConfig::minimal());
tacet_endpoints!(
    TacetChromium,
    "tacet-chromium-codecs",
    CodecConfig::default()
);
