//! The renegotiation rounds of every side, timed with a plain loop (the median of several
//! runs), printed as the Markdown table of docs/performance.md.
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo run --release --example renegotiation_summary \
//!         --manifest-path bench/Cargo.toml [-- <n>...]
//!
//! A run is a fresh pair of endpoints doing the three rounds; each round is timed on its own
//! (the application's changes and the whole exchange, SDP text both ways). A size gets up to
//! `MAX_RUNS` runs per side, fewer when a side's runs take more than `BUDGET` together (one
//! run at n = 2000). Every round's texts are checked (`renegotiation::check`) outside the
//! timed part.
//!

#![allow(clippy::print_stdout, reason = "it prints a table")]
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the wall clock; the pure crates' ban does not apply here"
)]

use std::time::{Duration, Instant};

use tacet_bench::renegotiation::{
    Endpoints, Round, RoundFacts, Rtc, Str0m, Tacet, TacetChromium, check, sizes_from_args,
};

/// Runs per side and size, at most.
const MAX_RUNS: usize = 7;
/// Stop adding runs once a side's runs at one size took this long.
const BUDGET: Duration = Duration::from_secs(3);

/// One side's rounds at one size: the median time and the texts' counts of each round.
struct Measured {
    times: [Duration; 3],
    facts: [RoundFacts; 3],
    runs: usize,
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn measure<E: Endpoints>(n: usize) -> Measured {
    let mut samples: [Vec<Duration>; 3] = Default::default();
    let mut facts = None;
    let start = Instant::now();
    let mut runs = 0;
    while runs < MAX_RUNS && (runs == 0 || start.elapsed() < BUDGET) {
        let mut endpoints = E::new();
        let mut run_facts = Vec::with_capacity(3);
        for (i, round) in Round::ALL.into_iter().enumerate() {
            let t0 = Instant::now();
            let exchange = endpoints.round(round, n);
            samples[i].push(t0.elapsed());
            run_facts.push(check::<E>(round, n, &exchange));
        }
        facts = Some(run_facts);
        runs += 1;
    }
    let facts = facts.expect("at least one run");
    Measured {
        times: samples.map(median),
        facts: [facts[0], facts[1], facts[2]],
        runs,
    }
}

/// tacet's rounds split into the application's calls (`add_track`/`stop()`) and the
/// exchange: medians over the same kind of runs as [`measure`].
fn measure_tacet_split(n: usize) -> [(Duration, Duration); 3] {
    let mut changes: [Vec<Duration>; 3] = Default::default();
    let mut exchanges: [Vec<Duration>; 3] = Default::default();
    let start = Instant::now();
    let mut runs = 0;
    while runs < MAX_RUNS && (runs == 0 || start.elapsed() < BUDGET) {
        let mut endpoints = Tacet::new();
        for (i, round) in Round::ALL.into_iter().enumerate() {
            let pair = endpoints.pair_mut();
            let t0 = Instant::now();
            pair.change(round, n);
            let t1 = Instant::now();
            let exchange = pair.exchange();
            exchanges[i].push(t1.elapsed());
            changes[i].push(t1 - t0);
            check::<Tacet>(round, n, &exchange);
        }
        runs += 1;
    }
    let changes = changes.map(median);
    let exchanges = exchanges.map(median);
    [0, 1, 2].map(|i| (changes[i], exchanges[i]))
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 1.0 {
        format!("{ms:.3}")
    } else if ms < 100.0 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.0}")
    }
}

fn main() {
    let sizes = sizes_from_args();
    println!(
        "| n | round | m-sections (tacet / str0m / rtc) | tacet ms | tacet, Chromium codecs ms \
         | str0m ms | rtc ms | µs per m-section (tacet / str0m / rtc) \
         | offer bytes per m-section (tacet / str0m / rtc) | fastest peer / tacet |"
    );
    println!("|---:|---|---|---:|---:|---:|---:|---|---|---:|");
    let mut runs = Vec::new();
    for &n in &sizes {
        let tacet = measure::<Tacet>(n);
        let chromium = measure::<TacetChromium>(n);
        let str0m = measure::<Str0m>(n);
        let rtc = measure::<Rtc>(n);
        runs.push((n, [tacet.runs, chromium.runs, str0m.runs, rtc.runs]));
        for (i, round) in Round::ALL.into_iter().enumerate() {
            let sides = [&tacet, &str0m, &rtc];
            let sections = sides.map(|s| s.facts[i].offer.sections);
            let per_section = sides.map(|s| {
                format!(
                    "{:.0}",
                    s.times[i].as_secs_f64() * 1e6 / s.facts[i].offer.sections as f64
                )
            });
            let bytes = sides.map(|s| {
                format!(
                    "{:.0}",
                    s.facts[i].offer.bytes as f64 / s.facts[i].offer.sections as f64
                )
            });
            let fastest_peer = str0m.times[i].min(rtc.times[i]);
            let ratio = fastest_peer.as_secs_f64() / tacet.times[i].as_secs_f64();
            println!(
                "| {n} | {} | {} | {} | {} | {} | {} | {} | {} | {ratio:.2} |",
                round.name(),
                sections.map(|s| s.to_string()).join(" / "),
                ms(tacet.times[i]),
                ms(chromium.times[i]),
                ms(str0m.times[i]),
                ms(rtc.times[i]),
                per_section.join(" / "),
                bytes.join(" / "),
            );
        }
    }
    println!();
    for (n, [t, c, s, r]) in runs {
        println!(
            "n = {n}: median of {t} (tacet), {c} (tacet, Chromium codecs), {s} (str0m), {r} (rtc) runs"
        );
    }
    println!();
    println!(
        "tacet's rounds split: the application's calls (`add_track`/`stop()`) and \
         the exchange, ms (µs per m-section)"
    );
    println!();
    println!("| n | round | calls | exchange |");
    println!("|---:|---|---:|---:|");
    for &n in &sizes {
        for (round, (calls, exchange)) in Round::ALL.into_iter().zip(measure_tacet_split(n)) {
            let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
            println!(
                "| {n} | {} | {} ({:.0}) | {} ({:.0}) |",
                round.name(),
                ms(calls),
                per(calls),
                ms(exchange),
                per(exchange)
            );
        }
    }
}
