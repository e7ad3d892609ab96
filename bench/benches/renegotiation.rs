//! Renegotiation rounds (docs/performance.md, "Renegotiation"): tacet against str0m and
//! webrtc-rs `rtc`, every side in the same run, with every codec set. Benchmark ids read
//! `renegotiation/<codec set>/<side>/<round>/<n>`, e.g. `renegotiation/minimal/str0m/stop/200`;
//! the throughput is in m-sections of the round's offer.
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo bench --manifest-path bench/Cargo.toml \
//!         --bench renegotiation
//!     # one side or round: ... -- 'renegotiation/minimal/tacet/stop'
//!
//! Each iteration gets fresh endpoints brought to the round's starting state outside the
//! measurement (`iter_batched`, one setup per iteration). Sizes go up to 200 by default: at
//! 2000 m-sections one setup and round take up to minutes on some sides, so n = 2000 is
//! measured by `examples/renegotiation_summary.rs` (median of runs); set
//! `RENEGOTIATION_MAX_N=2000` to have criterion do it too.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use tacet_bench::renegotiation::{
    CodecSet, Endpoints, Round, Rtc, SIZES, Str0m, Tacet, expected_sections, ready_for,
};

fn max_n() -> usize {
    std::env::var("RENEGOTIATION_MAX_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn bench<E: Endpoints>(c: &mut Criterion, codecs: CodecSet) {
    for round in Round::ALL {
        let mut group = c.benchmark_group(format!(
            "renegotiation/{}/{}/{}",
            codecs.name(),
            E::NAME,
            round.name()
        ));
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(std::time::Duration::from_millis(500));
        for n in SIZES.into_iter().filter(|&n| n <= max_n()) {
            group.throughput(Throughput::Elements(expected_sections::<E>(round, n) as u64));
            group.bench_function(BenchmarkId::from_parameter(n), |b| {
                b.iter_batched(
                    || ready_for::<E>(codecs, round, n),
                    |mut endpoints| {
                        black_box(endpoints.round(round, n));
                        // Dropped outside the measurement.
                        endpoints
                    },
                    BatchSize::PerIteration,
                );
            });
        }
        group.finish();
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    for codecs in CodecSet::ALL {
        bench::<Tacet>(&mut c, codecs);
        bench::<Str0m>(&mut c, codecs);
        bench::<Rtc>(&mut c, codecs);
    }
    c.final_summary();
}
