//! Transport throughput (docs/performance.md, "Transport"): data-channel messages per second
//! through two tacet `PeerConnection`s over loopback UDP (SCTP over DTLS over ICE, each peer in
//! its own task, one runtime thread), counted from A's first `send` to B's last delivery.
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo bench --manifest-path bench/Cargo.toml \
//!         --bench transport

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the wall clock; the pure crates' ban does not apply here"
)]

use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use tacet_bench::transport::{connected_pair, received, wait_for};
use tacet_rtc::Message;

/// Messages per measured batch.
const BATCH: usize = 1_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn datachannel(c: &mut Criterion) {
    let mut group = c.benchmark_group("transport/datachannel");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Elements(BATCH as u64));
    for size in [64usize, 1_024] {
        let runtime = runtime();
        let mut pair = runtime.block_on(connected_pair());
        let payload = Bytes::from(vec![7u8; size]);
        group.bench_function(BenchmarkId::new("messages", size), |b| {
            b.iter_custom(|iterations| {
                runtime.block_on(async {
                    let started = Instant::now();
                    for _ in 0..iterations {
                        for _ in 0..BATCH {
                            pair.a
                                .send(pair.a_chat, Message::Binary(payload.clone()))
                                .await
                                .expect("the channel is open");
                        }
                        let mut got = 0;
                        while got < BATCH {
                            wait_for(&mut pair.b, received).await;
                            got += 1;
                        }
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    datachannel(&mut c);
    c.final_summary();
}
