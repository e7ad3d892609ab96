//! The renegotiation workload: two endpoints of one implementation run three offer/answer
//! rounds over SDP text, the same on every side (docs/performance.md, "Renegotiation").
//!
//! - **Round 1, [`Round::Add`]**: the offerer adds `n` sendrecv transceivers, audio and video
//!   alternating (audio first), each with a track.
//! - **Round 2, [`Round::Stop`]**: the offerer stops a quarter of them, the ones at
//!   [`stopped_indices`] (mids `8k + 1`, video, and `8k + 6`, audio: never the first section,
//!   which carries BUNDLE and the candidates on every side).
//! - **Round 3, [`Round::Readd`]**: the offerer adds as many new transceivers as it stopped,
//!   alternating again (tacet recycles the rejected m-lines; what each peer does is in
//!   [`Endpoints::RECYCLES`]).
//!
//! A round is the application's changes and one exchange: create the offer and set it locally,
//! serialize it to text, the answerer parses it and sets it, creates its answer and sets it,
//! the answer goes back as text and the offerer sets it. Each side drains its event (and I/O)
//! queues after every call, as an application does, and each side knows one local host
//! candidate. [`Endpoints`] is that pair of endpoints for one implementation; [`run_round`]
//! runs a round and checks what it produced.

pub mod rtc_pair;
pub mod str0m_pair;
pub mod tacet_pair;

pub use rtc_pair::Rtc;
pub use str0m_pair::Str0m;
pub use tacet_pair::{Tacet, TacetChromium};

/// The transceiver counts the bench measures.
pub const SIZES: [usize; 4] = [2, 20, 200, 2000];

/// One of the three rounds, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Round {
    /// Round 1: add `n` transceivers.
    Add,
    /// Round 2: stop a quarter of them.
    Stop,
    /// Round 3: add as many as were stopped.
    Readd,
}

impl Round {
    /// The rounds in order.
    pub const ALL: [Self; 3] = [Self::Add, Self::Stop, Self::Readd];

    /// The name used in benchmark ids and tables.
    pub fn name(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Stop => "stop",
            Self::Readd => "readd",
        }
    }

    /// The rounds that run before this one.
    pub fn before(self) -> &'static [Self] {
        match self {
            Self::Add => &[],
            Self::Stop => &[Self::Add],
            Self::Readd => &[Self::Add, Self::Stop],
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

    /// Two fresh endpoints, nothing negotiated, configured for Opus and VP8 with RTX.
    fn new() -> Self;

    /// Runs `round` for `n` (the round-1 transceiver count): the offerer's changes and one
    /// exchange. Panics if any call fails: a failed round must not pass for a fast one.
    fn round(&mut self, round: Round, n: usize) -> Exchange;

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

/// Runs `round` on `endpoints` and [`check`]s its texts.
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
/// - round 3 leaves none rejected where the implementation recycles, else the round-2 ones.
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
    let stopped = stop_count(n);
    let (rejected, inactive) = match round {
        Round::Add => (0, 0),
        Round::Stop | Round::Readd if round == Round::Readd && E::RECYCLES => (0, 0),
        Round::Stop | Round::Readd if E::STOP_REJECTS => (stopped, stopped),
        Round::Stop | Round::Readd => (0, stopped),
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
        Round::Readd if E::RECYCLES => n,
        Round::Readd => n + stop_count(n),
    }
}

/// Fresh endpoints brought to the state just before `round` (the earlier rounds run).
pub fn ready_for<E: Endpoints>(round: Round, n: usize) -> E {
    let mut endpoints = E::new();
    for &before in round.before() {
        endpoints.round(before, n);
    }
    endpoints
}
