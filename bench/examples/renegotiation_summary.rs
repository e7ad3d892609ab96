//! The renegotiation rounds of every side and codec set in wall time, printed as the Markdown
//! tables of docs/performance.md ("Renegotiation rounds").
//!
//!     CARGO_TARGET_DIR=target cargo run --release --example renegotiation_summary \
//!         --manifest-path bench/Cargo.toml [-- <n>...]
//!
//! A run is a fresh pair of endpoints doing the four rounds, each round timed on its own (the
//! application's changes and the whole exchange, SDP text both ways) and split into the SDP
//! text and the rest (`renegotiation::Split`). Runs are interleaved: within one codec set and
//! size the sides take turns, run by run, the first side rotating, so a slow spell of the
//! machine hits every side alike. Each side gets between `MIN_RUNS` and `MAX_RUNS` runs (fewer
//! than the maximum once `BUDGET` is spent); the tables give the median and the range
//! (min–max). Every round's texts are checked (`renegotiation::check`) outside the timed part.
//! webrtc-rs `rtc` runs up to `RTC_MAX_N` m-sections (its readd round alone takes 22 s at
//! 2000).
//!
//! Then the SDP parse of the round-1 offer, tacet-sdp against sdp-types (the grammar tacet
//! builds on) on the same text, interleaved, and the wall-time targets of issue 16.

#![allow(clippy::print_stdout, reason = "it prints tables")]
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the wall clock; the pure crates' ban does not apply here"
)]

use std::time::{Duration, Instant};

use tacet_bench::peers::{self, Impl};
use tacet_bench::renegotiation::{
    CodecSet, Endpoints, Round, RoundFacts, Rtc, Split, Str0m, Tacet, check, sizes_from_args,
};

/// Runs per side, codec set and size: at least, at most.
const MIN_RUNS: usize = 3;
const MAX_RUNS: usize = 9;
/// Stop adding runs (past `MIN_RUNS`) once one codec set and size took this long.
const BUDGET: Duration = Duration::from_secs(20);
/// The largest size `rtc` runs at.
const RTC_MAX_N: usize = 200;
/// The sides, in table order.
const SIDES: [&str; 3] = [Tacet::NAME, Str0m::NAME, Rtc::NAME];

/// One round of one run: its time and the SDP text's part of it.
#[derive(Clone, Copy)]
struct Sample {
    total: Duration,
    text: Duration,
}

/// One side's runs at one size: per round, the samples and the texts' counts.
#[derive(Default)]
struct Runs {
    samples: [Vec<Sample>; 4],
    facts: Option<[RoundFacts; 4]>,
}

impl Runs {
    fn run<E: Endpoints>(&mut self, codecs: CodecSet, n: usize) {
        let mut endpoints = E::new(codecs);
        let mut facts = Vec::with_capacity(4);
        for (i, round) in Round::ALL.into_iter().enumerate() {
            let mut split = Split::on();
            let start = Instant::now();
            let exchange = endpoints.round_split(round, n, &mut split);
            let total = start.elapsed().saturating_sub(split.outside_time());
            self.samples[i].push(Sample {
                total,
                text: split.text_time(),
            });
            facts.push(check::<E>(round, n, &exchange));
        }
        self.facts = Some([facts[0], facts[1], facts[2], facts[3]]);
    }

    fn stats(&self, round: usize) -> Stats {
        Stats::of(&self.samples[round])
    }

    fn facts(&self, round: usize) -> RoundFacts {
        self.facts.expect("at least one run")[round]
    }
}

/// Median and range of a round's runs, in seconds.
#[derive(Clone, Copy)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
    text: f64,
    rest: f64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

impl Stats {
    fn of(samples: &[Sample]) -> Self {
        let totals: Vec<f64> = samples.iter().map(|s| s.total.as_secs_f64()).collect();
        Self {
            median: median(totals.clone()),
            min: totals.iter().copied().fold(f64::INFINITY, f64::min),
            max: totals.iter().copied().fold(0.0, f64::max),
            text: median(samples.iter().map(|s| s.text.as_secs_f64()).collect()),
            rest: median(
                samples
                    .iter()
                    .map(|s| s.total.saturating_sub(s.text).as_secs_f64())
                    .collect(),
            ),
        }
    }
}

/// Every side's runs at one codec set and size, interleaved.
fn measure(codecs: CodecSet, n: usize) -> Vec<Runs> {
    let sides = if n <= RTC_MAX_N { 3 } else { 2 };
    let mut runs: Vec<Runs> = (0..sides).map(|_| Runs::default()).collect();
    let start = Instant::now();
    let mut count = 0;
    while count < MIN_RUNS || (count < MAX_RUNS && start.elapsed() < BUDGET) {
        for k in 0..sides {
            let side = (count + k) % sides;
            match side {
                0 => runs[0].run::<Tacet>(codecs, n),
                1 => runs[1].run::<Str0m>(codecs, n),
                _ => runs[2].run::<Rtc>(codecs, n),
            }
        }
        count += 1;
    }
    runs
}

fn ms(seconds: f64) -> String {
    let ms = seconds * 1e3;
    if ms < 1.0 {
        format!("{ms:.3}")
    } else if ms < 100.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

/// `values` joined with " / ", `—` for a side that did not run.
fn per_side(values: impl Iterator<Item = String>) -> String {
    let mut values: Vec<String> = values.collect();
    values.resize(SIDES.len(), "—".to_owned());
    values.join(" / ")
}

/// The tables of one codec set; returns (n, per round: str0m/tacet total, str0m/tacet rest,
/// tacet µs per offer m-section) for the targets.
fn codec_set_tables(codecs: CodecSet, sizes: &[usize]) -> Vec<(usize, [[f64; 3]; 4])> {
    let measured: Vec<(usize, Vec<Runs>)> =
        sizes.iter().map(|&n| (n, measure(codecs, n))).collect();
    println!("#### Wall time per round: {}", codecs.description());
    println!();
    println!(
        "| n | round | offer m-lines ({sides}) | offer + answer KB ({sides}) | tacet ms | str0m ms \
         | rtc ms | str0m / tacet | runs |",
        sides = SIDES.join(" / ")
    );
    println!("|---:|---|---|---|---:|---:|---:|---:|---:|");
    let mut targets = Vec::new();
    for (n, runs) in &measured {
        let mut per_round = [[0.0; 3]; 4];
        for (i, round) in Round::ALL.into_iter().enumerate() {
            let stats: Vec<Stats> = runs.iter().map(|r| r.stats(i)).collect();
            let cell = |s: Option<&Stats>| {
                s.map_or("—".to_owned(), |s| {
                    format!("{} ({}–{})", ms(s.median), ms(s.min), ms(s.max))
                })
            };
            let ratio = stats[1].median / stats[0].median;
            per_round[i] = [
                ratio,
                stats[1].rest / stats[0].rest,
                stats[0].median * 1e6 / runs[0].facts(i).offer.sections as f64,
            ];
            println!(
                "| {n} | {} | {} | {} | {} | {} | {} | {ratio:.2} | {} |",
                round.name(),
                per_side(runs.iter().map(|r| r.facts(i).offer.sections.to_string())),
                per_side(runs.iter().map(|r| {
                    let f = r.facts(i);
                    format!("{:.0}", (f.offer.bytes + f.answer.bytes) as f64 / 1024.0)
                })),
                cell(stats.first()),
                cell(stats.get(1)),
                cell(stats.get(2)),
                runs[0].samples[i].len(),
            );
        }
        targets.push((*n, per_round));
    }
    println!();
    println!(
        "#### SDP text and the rest, per m-line and per byte: {}",
        codecs.description()
    );
    println!();
    println!(
        "Medians, ms. Per m-line: the round's time over the offer's m-lines (an appending peer's \
         round-3 and round-4 offers have more); per KB: over the offer's and answer's bytes."
    );
    println!();
    println!(
        "| n | round | SDP text ms ({sides}) | the rest ms ({sides}) | str0m / tacet, text \
         | str0m / tacet, rest | µs per offer m-line ({sides}) | µs per KB of text ({sides}) |",
        sides = SIDES.join(" / ")
    );
    println!("|---:|---|---|---|---:|---:|---|---|");
    for (n, runs) in &measured {
        for (i, round) in Round::ALL.into_iter().enumerate() {
            let stats: Vec<Stats> = runs.iter().map(|r| r.stats(i)).collect();
            println!(
                "| {n} | {} | {} | {} | {:.2} | {:.2} | {} | {} |",
                round.name(),
                per_side(stats.iter().map(|s| ms(s.text))),
                per_side(stats.iter().map(|s| ms(s.rest))),
                stats[1].text / stats[0].text,
                stats[1].rest / stats[0].rest,
                per_side(runs.iter().zip(&stats).map(|(r, s)| {
                    format!("{:.1}", s.median * 1e6 / r.facts(i).offer.sections as f64)
                })),
                per_side(runs.iter().zip(&stats).map(|(r, s)| {
                    let f = r.facts(i);
                    let kb = (f.offer.bytes + f.answer.bytes) as f64 / 1024.0;
                    format!("{:.1}", s.median * 1e6 / kb)
                })),
            );
        }
    }
    println!();
    targets
}

/// Median parse time of tacet's round-1 offer at `n`: (tacet-sdp, sdp-types, the range of the
/// ratio over the interleaved pairs, the offer's KB).
fn parse_times(codecs: CodecSet, n: usize) -> (f64, f64, f64, f64, f64) {
    let offer = Tacet::new(codecs).round(Round::Add, n).offer;
    let pairs = if n >= 2000 { 9 } else { 31 };
    let (mut tacet, mut sdp_types, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        let start = Instant::now();
        let parsed = peers::Tacet::parse(&offer).expect("tacet-sdp parses tacet's offer");
        let t = start.elapsed().as_secs_f64();
        drop(std::hint::black_box(parsed));
        let start = Instant::now();
        let parsed = peers::SdpTypes::parse(&offer).expect("sdp-types parses tacet's offer");
        let s = start.elapsed().as_secs_f64();
        drop(std::hint::black_box(parsed));
        tacet.push(t);
        sdp_types.push(s);
        ratios.push(t / s);
    }
    let min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let max = ratios.iter().copied().fold(0.0, f64::max);
    let kb = offer.len() as f64 / 1024.0;
    (median(tacet), median(sdp_types), min, max, kb)
}

fn main() {
    let sizes = sizes_from_args();
    let mut targets = Vec::new();
    for codecs in CodecSet::ALL {
        targets.push((codecs, codec_set_tables(codecs, &sizes)));
    }
    println!("#### SDP parse of tacet's round-1 offer: tacet-sdp against sdp-types");
    println!();
    println!("Interleaved pairs (31, 9 at n = 2000), medians; the ratio's range over the pairs.");
    println!();
    println!(
        "| codec set | n | offer KB | tacet-sdp ms | sdp-types ms | tacet / sdp-types (range) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let mut parse = Vec::new();
    for codecs in CodecSet::ALL {
        for &n in &sizes {
            let (t, s, min, max, kb) = parse_times(codecs, n);
            println!(
                "| {} | {n} | {kb:.0} | {} | {} | {:.2} ({min:.2}–{max:.2}) |",
                codecs.name(),
                ms(t),
                ms(s),
                t / s
            );
            parse.push((codecs, n, t / s));
        }
    }
    println!();
    println!("#### Wall-time targets (issue 16), worst round");
    println!();
    println!(
        "| codec set | n | str0m / tacet, round (≥ 2.5) | str0m / tacet, the rest (≥ 1.5) \
         | tacet / sdp-types, parse (≤ 1.3) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (codecs, per_size) in &targets {
        for (n, rounds) in per_size {
            let worst = |k: usize| {
                let (i, v) = rounds
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (i, r[k]))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .expect("four rounds");
                format!("{v:.2} ({})", Round::ALL[i].name())
            };
            let parse = parse
                .iter()
                .find(|(c, m, _)| c == codecs && m == n)
                .map_or(f64::NAN, |p| p.2);
            println!(
                "| {} | {n} | {} | {} | {parse:.2} |",
                codecs.name(),
                worst(0),
                worst(1)
            );
        }
    }
    println!();
    println!("Linearity (tacet, µs per offer m-line, largest size over the smallest above 2):");
    println!();
    for (codecs, per_size) in &targets {
        let small = per_size.iter().find(|(n, _)| *n > 2);
        let large = per_size.last();
        if let (Some((a, small)), Some((b, large))) = (small, large)
            && a < b
        {
            let ratios: Vec<String> = Round::ALL
                .iter()
                .enumerate()
                .map(|(i, r)| format!("{} {:.2}", r.name(), large[i][2] / small[i][2]))
                .collect();
            println!(
                "- {}: n = {a} → {b}: {} (≤ 1.5)",
                codecs.name(),
                ratios.join(", ")
            );
        }
    }
}
