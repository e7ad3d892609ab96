//! SDP parse / write / round trip on generated Chromium offers, every implementation in the same
//! run. Benchmark ids read `<impl>/<op>/<n>`, e.g. `sdp-types/parse/200`.
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo bench --manifest-path bench/Cargo.toml
//!     # quicker: ... -- --warm-up-time 1 --measurement-time 3
//!     # one implementation or size: ... -- 'webrtc-rs-sdp/.*/200'
//!     # table of the last run: cargo run --example summary --manifest-path bench/Cargo.toml

#![allow(clippy::print_stdout, reason = "a bench reports on stdout")]

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use tacet_bench::peers::{Impl, SdpTypes, WebrtcRs, WebrtcSdp};
use tacet_bench::{SIZES, chromium_offer};

/// The three measured operations.
#[derive(Clone, Copy)]
enum Op {
    /// Text to the implementation's type.
    Parse,
    /// The implementation's type (parsed once, outside the loop) to text.
    Write,
    /// Parse then write.
    RoundTrip,
}

impl Op {
    const ALL: [Self; 3] = [Self::Parse, Self::Write, Self::RoundTrip];

    fn name(self) -> &'static str {
        match self {
            Self::Parse => "parse",
            Self::Write => "write",
            Self::RoundTrip => "roundtrip",
        }
    }
}

/// Measures `I` doing `op` on `sdp` (`n` m-sections), as `<I::NAME>/<op>/<n>`.
fn bench<I: Impl>(c: &mut Criterion, op: Op, n: usize, sdp: &str) {
    if n > I::max_n() {
        println!(
            "NOTE: skipping {}/{}/{n}: {} is measured only up to {} m-sections \
             (its parser is quadratic in the number of m-sections)",
            I::NAME,
            op.name(),
            I::NAME,
            I::max_n()
        );
        return;
    }
    let mut group = c.benchmark_group(format!("{}/{}", I::NAME, op.name()));
    configure(&mut group, n);
    group.throughput(Throughput::Bytes(sdp.len() as u64));
    let id = BenchmarkId::from_parameter(n);
    match op {
        Op::Parse => {
            group.bench_with_input(id, sdp, |b, sdp| {
                b.iter(|| I::parse(black_box(sdp)).expect("the generated offer parses"));
            });
        }
        Op::Write => {
            let parsed = I::parse(sdp).expect("the generated offer parses");
            group.bench_with_input(id, &parsed, |b, parsed| {
                b.iter(|| I::write(black_box(parsed)));
            });
        }
        Op::RoundTrip => {
            group.bench_with_input(id, sdp, |b, sdp| {
                b.iter(|| {
                    let parsed = I::parse(black_box(sdp)).expect("the generated offer parses");
                    I::write(&parsed)
                });
            });
        }
    }
    group.finish();
}

/// Fewer samples where one iteration takes about a millisecond, and few flat samples where it
/// takes ten milliseconds or more (n >= 200), so `--measurement-time 3` is roughly kept.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    if n >= 200 {
        group.sample_size(10).sampling_mode(SamplingMode::Flat);
    } else if n >= 20 {
        group.sample_size(50);
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let inputs: Vec<(usize, String)> = SIZES.iter().map(|&n| (n, chromium_offer(n))).collect();
    println!(
        "Generated Chromium 156 re-offers (a quarter of the sections port 0, one data section):"
    );
    for (n, sdp) in &inputs {
        println!(
            "  n = {n:>4}: {:>9} bytes, {:>6.0} bytes per m-section",
            sdp.len(),
            sdp.len() as f64 / *n as f64
        );
    }
    // N-major: for each N and each operation, every implementation in turn (one criterion
    // group `<impl>/<op>` per N, so each N gets its own sample settings).
    for (n, sdp) in &inputs {
        for op in Op::ALL {
            bench::<SdpTypes>(&mut c, op, *n, sdp);
            bench::<WebrtcRs>(&mut c, op, *n, sdp);
            bench::<WebrtcSdp>(&mut c, op, *n, sdp);
            bench::<tacet_bench::peers::Tacet>(&mut c, op, *n, sdp);
        }
    }
    c.final_summary();
}
