//! Runs renegotiation rounds of one side, for profilers: the earlier rounds bring fresh
//! endpoints to the round's starting state, then `measured_round` runs the round once (with
//! `all`, every round runs in `measured_round`, one call each). Instruction counts
//! (`valgrind --tool=callgrind`) are stable on this noisy machine where wall time is not;
//! `--toggle-collect` limits the count to the round:
//!
//!     CARGO_TARGET_DIR=target cargo build --release --example renegotiation_profile \
//!         --manifest-path bench/Cargo.toml
//!     valgrind --tool=callgrind --toggle-collect='*measured_round*' \
//!         target/release/examples/renegotiation_profile minimal tacet stop 200
//!
//! `<codec set>` is `minimal`, `str0m-default` or `chromium`; `<side>` is `tacet`, `str0m` or
//! `rtc`; `<round>` is `add`, `stop`, `readd`, `stop-tag` or `all`. With `--split` the SDP text
//! work a peer does inside other calls is done again, outside the round, in
//! `renegotiation::Split::outside`, and all text work runs in `renegotiation::sdp_text`: the
//! round's own count is then `measured_round` less `outside`, its text `sdp_text`
//! (`examples/renegotiation_instructions.rs` reads them so, one dump per round with
//! `--dump-after=renegotiation_profile::measured_round`).

use std::hint::black_box;
use std::process::ExitCode;

use tacet_bench::renegotiation::{
    CodecSet, Endpoints, Exchange, Round, Rtc, Split, Str0m, Tacet, check, ready_for,
};

/// The round under measurement (a separate symbol for `--toggle-collect`).
#[inline(never)]
fn measured_round<E: Endpoints>(
    endpoints: &mut E,
    round: Round,
    n: usize,
    split: &mut Split,
) -> Exchange {
    let exchange = endpoints.round_split(black_box(round), black_box(n), split);
    // Not a tail call: callgrind sees the round end here (`--dump-after`).
    black_box(&exchange);
    exchange
}

fn run<E: Endpoints>(codecs: CodecSet, rounds: &[Round], n: usize, split: bool) {
    let mut endpoints = ready_for::<E>(codecs, rounds[0], n);
    for &round in rounds {
        let mut timing = if split { Split::on() } else { Split::off() };
        let exchange = measured_round(&mut endpoints, round, n, &mut timing);
        check::<E>(round, n, &exchange);
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let split = args.iter().any(|a| a == "--split");
    args.retain(|a| a != "--split");
    let [codecs, side, round, n] = args.as_slice() else {
        eprintln!(
            "usage: renegotiation_profile [--split] <codec set> <side> <add|stop|readd|stop-tag|all> <n>"
        );
        return ExitCode::FAILURE;
    };
    let Some(codecs) = CodecSet::from_name(codecs) else {
        eprintln!("unknown codec set {codecs:?}");
        return ExitCode::FAILURE;
    };
    let rounds: Vec<Round> = if round == "all" {
        Round::ALL.to_vec()
    } else if let Some(round) = Round::ALL.into_iter().find(|r| r.name() == round) {
        vec![round]
    } else {
        eprintln!("unknown round {round:?}");
        return ExitCode::FAILURE;
    };
    let Ok(n) = n.parse() else {
        eprintln!("n is a number");
        return ExitCode::FAILURE;
    };
    match side.as_str() {
        "tacet" => run::<Tacet>(codecs, &rounds, n, split),
        "str0m" => run::<Str0m>(codecs, &rounds, n, split),
        "rtc" => run::<Rtc>(codecs, &rounds, n, split),
        other => {
            eprintln!("unknown side {other:?}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
