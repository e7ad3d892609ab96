//! tacet: two [`tacet_session::Session`]s, offerer and answerer.

use tacet_sdp::{Candidate, Fingerprint, SdpType, SessionDescription};
use tacet_session::{CodecConfig, Effect, Event, Session, SessionConfig, TransceiverId};
use tacet_track::{TrackId, TrackKind};

use super::{
    CodecSet, Endpoints, Exchange, Kind, Round, Split, stop_count, stopped_indices,
    tag_stopped_indices,
};

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

/// tacet: two sessions configured with one [`CodecSet`].
#[derive(Debug)]
pub struct Tacet(Pair);

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
            Round::Stop => self.stop(stopped_indices(n)),
            Round::Readd => self.add(stop_count(n)),
            Round::StopTag => self.stop(tag_stopped_indices(n)),
        }
    }

    fn stop(&mut self, indices: impl Iterator<Item = usize>) {
        for index in indices {
            self.offerer
                .session
                .transceiver_mut(self.added[index])
                .and_then(|mut t| t.stop())
                .expect("stop");
            self.offerer.drain();
        }
    }

    /// One offer/answer exchange over SDP text, the queues drained after every call; `split`
    /// times the writing and, by parsing each text once more, the parsing that
    /// `set_remote_description_text` does inside.
    pub fn exchange(&mut self, split: &mut Split) -> Exchange {
        let (a, b) = (&mut self.offerer, &mut self.answerer);
        let offer = a.session.create_offer().expect("createOffer");
        let offer_text = split.text(|| offer.to_string());
        a.session.set_local_description(offer).expect("SLD(offer)");
        a.drain();
        b.session
            .set_remote_description_text(SdpType::Offer, &offer_text)
            .expect("SRD(offer)");
        split.outside(|s| drop(s.text(|| SessionDescription::parse(SdpType::Offer, &offer_text))));
        b.drain();
        let answer = b.session.create_answer().expect("createAnswer");
        let answer_text = split.text(|| answer.to_string());
        b.session
            .set_local_description(answer)
            .expect("SLD(answer)");
        b.drain();
        a.session
            .set_remote_description_text(SdpType::Answer, &answer_text)
            .expect("SRD(answer)");
        split.outside(|s| {
            drop(s.text(|| SessionDescription::parse(SdpType::Answer, &answer_text)));
        });
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

impl Endpoints for Tacet {
    const NAME: &'static str = "tacet";
    const RECYCLES: bool = true;
    const STOP_REJECTS: bool = true;

    fn new(codecs: CodecSet) -> Self {
        Self(Pair::new(codecs.tacet()))
    }

    fn round_split(&mut self, round: Round, n: usize, split: &mut Split) -> Exchange {
        self.0.change(round, n);
        self.0.exchange(split)
    }

    fn answerer_stopped(&mut self) -> usize {
        self.0.answerer_stopped()
    }

    fn offerer_live(&mut self) -> usize {
        self.0.offerer_live()
    }
}
