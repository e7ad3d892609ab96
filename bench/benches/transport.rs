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
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use tacet_bench::transport::{audio, connected_pair, received, wait_for};
use tacet_rtc::{MediaPayload, Message};

/// Messages per measured batch.
const BATCH: usize = 1_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A group whose iterations are batches of `BATCH` elements, sampled flat (each iteration is
/// long), with a short warm-up.
fn batch_group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .throughput(Throughput::Elements(BATCH as u64));
    group
}

fn datachannel(c: &mut Criterion) {
    let mut group = batch_group(c, "transport/datachannel");
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

/// SRTP-protected RTP packets through the driver: `write_rtp` requests into A's task, SRTP
/// (AEAD_AES_128_GCM, what two tacet peers negotiate), `send_to` a loopback socket. Timed from
/// the first write to the last one's return (by then the task has taken it; its datagram leaves
/// in the drain before the next request).
fn srtp(c: &mut Criterion) {
    let mut group = batch_group(c, "transport/srtp");
    let runtime = runtime();
    let mut pair = runtime.block_on(connected_pair());
    let (sender, mut receiver) = runtime.block_on(audio(&mut pair));
    for size in [160usize, 1_000] {
        let payload = Bytes::from(vec![3u8; size]);
        group.bench_function(BenchmarkId::new("packets", size), |b| {
            b.iter_custom(|iterations| {
                runtime.block_on(async {
                    let mut timestamp = 0u32;
                    let started = Instant::now();
                    for _ in 0..iterations {
                        for _ in 0..BATCH {
                            timestamp = timestamp.wrapping_add(960);
                            let media = MediaPayload {
                                payload: payload.clone(),
                                timestamp,
                                marker: false,
                            };
                            sender.write_rtp(media).await.expect("the sender sends");
                        }
                    }
                    let elapsed = started.elapsed();
                    // What B got is drained outside the measurement.
                    while receiver.try_recv().is_some() {}
                    elapsed
                })
            });
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    datachannel(&mut c);
    srtp(&mut c);
    c.final_summary();
}
