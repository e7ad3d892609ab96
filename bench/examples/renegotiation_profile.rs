//! Runs one renegotiation round of one side, for profilers: the earlier rounds bring fresh
//! endpoints to the round's starting state, then `measured_round` runs the round once.
//! Instruction counts (`valgrind --tool=callgrind`) are stable on this noisy machine where wall
//! time is not; `--toggle-collect` limits the count to the round:
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo build --release --example renegotiation_profile \
//!         --manifest-path bench/Cargo.toml
//!     valgrind --tool=callgrind --toggle-collect='*measured_round*' \
//!         target/release/examples/renegotiation_profile tacet stop 200
//!
//! `<side>` is `tacet`, `tacet-chromium-codecs`, `str0m` or `rtc`; `<round>` is `add`, `stop`
//! or `readd`.

use std::hint::black_box;
use std::process::ExitCode;

use tacet_bench::renegotiation::{
    Endpoints, Exchange, Round, Rtc, Str0m, Tacet, TacetChromium, check, ready_for,
};

/// The round under measurement (a separate symbol for `--toggle-collect`).
#[inline(never)]
fn measured_round<E: Endpoints>(endpoints: &mut E, round: Round, n: usize) -> Exchange {
    endpoints.round(black_box(round), black_box(n))
}

fn run<E: Endpoints>(round: Round, n: usize) {
    let mut endpoints = ready_for::<E>(round, n);
    let exchange = measured_round(&mut endpoints, round, n);
    check::<E>(round, n, &exchange);
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, round, n] = args.as_slice() else {
        eprintln!("usage: renegotiation_profile <side> <add|stop|readd> <n>");
        return ExitCode::FAILURE;
    };
    let Some(round) = Round::ALL.into_iter().find(|r| r.name() == round) else {
        eprintln!("unknown round {round:?}");
        return ExitCode::FAILURE;
    };
    let Ok(n) = n.parse() else {
        eprintln!("n is a number");
        return ExitCode::FAILURE;
    };
    match side.as_str() {
        "tacet" => run::<Tacet>(round, n),
        "tacet-chromium-codecs" => run::<TacetChromium>(round, n),
        "str0m" => run::<Str0m>(round, n),
        "rtc" => run::<Rtc>(round, n),
        other => {
            eprintln!("unknown side {other:?}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
