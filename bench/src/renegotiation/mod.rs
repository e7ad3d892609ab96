//! The renegotiation workload: two endpoints of one implementation run four offer/answer
//! rounds over SDP text, the same on every side and with the same [`CodecSet`]
//! (docs/performance.md, "Renegotiation rounds").
//!
//! - **Round 1, [`Round::Add`]**: the offerer adds `n` sendrecv transceivers, audio and video
//!   alternating (audio first), each with a track.
//! - **Round 2, [`Round::Stop`]**: the offerer stops a quarter of them, the ones at
//!   [`stopped_indices`] (mids `8k + 1`, video, and `8k + 6`, audio: never the first section,
//!   which carries BUNDLE and the candidates on every side).
//! - **Round 3, [`Round::Readd`]**: the offerer adds as many new transceivers as it stopped,
//!   alternating again (tacet recycles the rejected m-lines; what each peer does is in
//!   [`Endpoints::RECYCLES`]).
//! - **Round 4, [`Round::StopTag`]**: the offerer stops another quarter of the round-1
//!   transceivers, [`tag_stopped_indices`], the first section (the BUNDLE tag) among them.
//!
//! A round is the application's changes and one exchange: create the offer and set it locally,
//! serialize it to text, the answerer parses it and sets it, creates its answer and sets it,
//! the answer goes back as text and the offerer sets it. Each side drains its event (and I/O)
//! queues after every call, as an application does, and each side knows one local host
//! candidate. [`Endpoints`] is that pair of endpoints for one implementation; [`run_round`]
//! runs a round and checks what it produced. [`Split`] times the SDP text apart from the rest.

#![allow(
    clippy::disallowed_methods,
    reason = "the split of a round reads the wall clock; the pure crates' ban does not apply"
)]

use std::time::{Duration, Instant};

pub mod codecs;
pub mod rtc_pair;
pub mod str0m_pair;
pub mod tacet_pair;

pub use codecs::CodecSet;
pub use rtc_pair::Rtc;
pub use str0m_pair::Str0m;
pub use tacet_pair::Tacet;

/// The transceiver counts the bench measures.
pub const SIZES: [usize; 4] = [2, 20, 200, 2000];

/// One of the four rounds, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Round {
    /// Round 1: add `n` transceivers.
    Add,
    /// Round 2: stop a quarter of them.
    Stop,
    /// Round 3: add as many as were stopped.
    Readd,
    /// Round 4: stop another quarter of round 1's, the BUNDLE tag among them.
    StopTag,
}

impl Round {
    /// The rounds in order.
    pub const ALL: [Self; 4] = [Self::Add, Self::Stop, Self::Readd, Self::StopTag];

    /// The name used in benchmark ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Stop => "stop",
            Self::Readd => "readd",
            Self::StopTag => "stop-tag",
        }
    }

    /// The rounds that run before this one.
    pub fn before(self) -> &'static [Self] {
        match self {
            Self::Add => &[],
            Self::Stop => &[Self::Add],
            Self::Readd => &[Self::Add, Self::Stop],
            Self::StopTag => &[Self::Add, Self::Stop, Self::Readd],
        }
    }
}

/// What kind of media a transceiver carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Opus.
    Audio,
    /// VP8 with RTX.
    Video,
}

/// The kind of the `index`-th transceiver a round adds: audio and video alternate, audio first.
pub fn kind_of(index: usize) -> Kind {
    if index.is_multiple_of(2) {
        Kind::Audio
    } else {
        Kind::Video
    }
}

/// The round-1 transceivers round 2 stops: indices `8k + 1` (video) and `8k + 6` (audio), a
/// quarter of `n` for every `n` in [`SIZES`] but 2, where it is the one video (never index 0,
/// the BUNDLE-tagged first section).
pub fn stopped_indices(n: usize) -> impl Iterator<Item = usize> {
    (0..n).filter(|i| matches!(i % 8, 1 | 6))
}

/// The round-1 transceivers round 4 stops: indices `8k` (audio, index 0 the BUNDLE-tagged first
/// section) and `8k + 3` (video), none of them stopped before.
pub fn tag_stopped_indices(n: usize) -> impl Iterator<Item = usize> {
    (0..n).filter(|i| matches!(i % 8, 0 | 3))
}

/// How many transceivers round 4 stops for `n`.
pub fn tag_stop_count(n: usize) -> usize {
    tag_stopped_indices(n).count()
}

/// The sizes given on the command line, else [`SIZES`] (for the table examples).
///
/// # Panics
/// If an argument is not a number.
pub fn sizes_from_args() -> Vec<usize> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("sizes are numbers"))
        .collect();
    if args.is_empty() {
        SIZES.to_vec()
    } else {
        args
    }
}

/// How many transceivers round 2 stops and round 3 adds for `n`.
pub fn stop_count(n: usize) -> usize {
    stopped_indices(n).count()
}

/// The SDP texts one exchange produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exchange {
    /// The offer, as sent.
    pub offer: String,
    /// The answer, as sent back.
    pub answer: String,
}

/// Two endpoints of one implementation, the offerer and the answerer, that run the rounds.
pub trait Endpoints: Sized {
    /// The name used in benchmark ids and tables.
    const NAME: &'static str;
    /// Whether round 3 reuses the port-0 m-lines of round 2 (else it appends).
    const RECYCLES: bool;
    /// Whether a stopped transceiver is offered rejected, with port 0 (RFC 9429 §5.2.2), or
    /// only `a=inactive` (webrtc-rs `rtc` 0.21, which never rejects).
    const STOP_REJECTS: bool;

    /// Two fresh endpoints, nothing negotiated, both configured with `codecs`.
    fn new(codecs: CodecSet) -> Self;

    /// Runs `round` for `n` (the round-1 transceiver count): the offerer's changes and one
    /// exchange, the SDP text work timed by `split`. Panics if any call fails: a failed round
    /// must not pass for a fast one.
    fn round_split(&mut self, round: Round, n: usize, split: &mut Split) -> Exchange;

    /// [`Self::round_split`] untimed.
    fn round(&mut self, round: Round, n: usize) -> Exchange {
        self.round_split(round, n, &mut Split::off())
    }

    /// How many of the answerer's transceivers (or media) are stopped, those already removed
    /// included, for the checks.
    fn answerer_stopped(&mut self) -> usize;

    /// The offerer's transceivers (or media) that are live (not stopped), for the checks.
    fn offerer_live(&mut self) -> usize;
}

/// Facts about an SDP text, counted on its lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SdpFacts {
    /// `m=` lines.
    pub sections: usize,
    /// `m=` lines with port 0.
    pub rejected: usize,
    /// `a=inactive` lines.
    pub inactive: usize,
    /// Bytes of text.
    pub bytes: usize,
}

impl SdpFacts {
    /// Counts `sdp`.
    pub fn of(sdp: &str) -> Self {
        let mut facts = Self {
            bytes: sdp.len(),
            ..Self::default()
        };
        for line in sdp.lines() {
            if let Some(rest) = line.strip_prefix("m=") {
                facts.sections += 1;
                if rest.split(' ').nth(1) == Some("0") {
                    facts.rejected += 1;
                }
            } else if line == "a=inactive" {
                facts.inactive += 1;
            }
        }
        facts
    }
}

/// What one round produced, as counted on its texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundFacts {
    /// The offer.
    pub offer: SdpFacts,
    /// The answer.
    pub answer: SdpFacts,
}

/// Runs `round` on `endpoints` (untimed) and [`check`]s its texts.
///
/// # Panics
/// If a call fails or a count is wrong.
pub fn run_round<E: Endpoints>(endpoints: &mut E, round: Round, n: usize) -> RoundFacts {
    let exchange = endpoints.round(round, n);
    check::<E>(round, n, &exchange)
}

/// Counts what `round` produced and checks what every side must show in its texts:
///
/// - the offer has [`expected_sections`] m-sections and the answer as many;
/// - round 1 rejects nothing and has nothing inactive;
/// - round 2 marks exactly [`stop_count`] sections stopped in offer and answer: port 0 where
///   [`Endpoints::STOP_REJECTS`], else `a=inactive`;
/// - round 3 leaves none rejected where the implementation recycles, else the round-2 ones;
/// - round 4 adds [`tag_stop_count`] stopped sections to those.
///
/// # Panics
/// If a count is wrong.
pub fn check<E: Endpoints>(round: Round, n: usize, exchange: &Exchange) -> RoundFacts {
    let facts = RoundFacts {
        offer: SdpFacts::of(&exchange.offer),
        answer: SdpFacts::of(&exchange.answer),
    };
    let what = |t: &str| format!("{} round {} n={n}: {t}", E::NAME, round.name());
    let (offer, answer) = (facts.offer, facts.answer);
    assert_eq!(
        offer.sections,
        expected_sections::<E>(round, n),
        "{}",
        what("offer m-sections")
    );
    assert_eq!(
        answer.sections,
        offer.sections,
        "{}",
        what("answer m-sections")
    );
    // Sections stopped so far and still in the texts: round 2's (until round 3 recycles
    // them), then round 4's.
    let stopped = match round {
        Round::Add => 0,
        Round::Stop => stop_count(n),
        Round::Readd if E::RECYCLES => 0,
        Round::Readd => stop_count(n),
        Round::StopTag if E::RECYCLES => tag_stop_count(n),
        Round::StopTag => stop_count(n) + tag_stop_count(n),
    };
    let (rejected, inactive) = if E::STOP_REJECTS {
        (stopped, stopped)
    } else {
        (0, stopped)
    };
    for (side, facts) in [("offer", offer), ("answer", answer)] {
        assert_eq!(
            facts.rejected,
            rejected,
            "{}",
            what(&format!("{side} port-0 sections"))
        );
        assert_eq!(
            facts.inactive,
            inactive,
            "{}",
            what(&format!("{side} a=inactive sections"))
        );
    }
    facts
}

/// The number of m-sections `round`'s offer has on `E`.
pub fn expected_sections<E: Endpoints>(round: Round, n: usize) -> usize {
    match round {
        Round::Add | Round::Stop => n,
        Round::Readd | Round::StopTag if E::RECYCLES => n,
        Round::Readd | Round::StopTag => n + stop_count(n),
    }
}

/// Fresh endpoints brought to the state just before `round` (the earlier rounds run).
pub fn ready_for<E: Endpoints>(codecs: CodecSet, round: Round, n: usize) -> E {
    let mut endpoints = E::new(codecs);
    for &before in round.before() {
        endpoints.round(before, n);
    }
    endpoints
}

/// Where a round's wall time goes: the SDP text (writing and parsing the two texts) and the
/// rest. Off, it only marks the text work for profilers ([`sdp_text`]).
///
/// Text work a peer does inside another call (rtc writes its offer inside `create_offer` and
/// parses every text again in `set*Description`; tacet parses inside
/// `set_remote_description_text`) is measured by doing the same work once more on the same text
/// in [`Split::outside`], which the round's time excludes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Split {
    on: bool,
    text: Duration,
    outside: Duration,
}

impl Split {
    /// A split that times nothing (the plain round).
    pub fn off() -> Self {
        Self::default()
    }

    /// A split that times the text work.
    pub fn on() -> Self {
        Self {
            on: true,
            ..Self::default()
        }
    }

    /// Runs text work of the round (writing or parsing a text), timed when on.
    pub fn text<T>(&mut self, work: impl FnOnce() -> T) -> T {
        if !self.on {
            return sdp_text(work);
        }
        let start = Instant::now();
        let value = sdp_text(work);
        self.text += start.elapsed();
        value
    }

    /// Runs `replay` only when on, its whole time excluded from the round: it repeats, with
    /// [`Self::text`], text work the round did inside a call that cannot be timed apart. A
    /// symbol of its own, for profilers to subtract.
    #[inline(never)]
    pub fn outside(&mut self, replay: impl FnOnce(&mut Self)) {
        if !self.on {
            return;
        }
        let start = Instant::now();
        replay(self);
        self.outside += start.elapsed();
    }

    /// The text work's time.
    pub fn text_time(&self) -> Duration {
        self.text
    }

    /// The time [`Self::outside`] took, to subtract from the round's.
    pub fn outside_time(&self) -> Duration {
        self.outside
    }
}

/// The text work, a symbol of its own for `valgrind --toggle-collect='*sdp_text*'`.
#[inline(never)]
pub fn sdp_text<T>(work: impl FnOnce() -> T) -> T {
    let value = work();
    // Not a tail call: a profiler sees the work inside this function.
    std::hint::black_box(&value);
    value
}
