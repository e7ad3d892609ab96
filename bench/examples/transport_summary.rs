//! Data-channel latency while renegotiations run (docs/performance.md, "Transport"): two tacet
//! `PeerConnection`s over loopback UDP negotiating by themselves; A sends a numbered, timestamped
//! message every millisecond while it adds an audio transceiver and stops it again, rounds
//! spread evenly over the run, each change negotiated before the next; B records each
//! message's one-way latency.
//! The same run without renegotiation is the baseline, and a ping-pong on the channel gives the
//! round trip the target is measured against ("no stall longer than one round trip").
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo run --release --example transport_summary \
//!         --manifest-path bench/Cargo.toml [-- <rounds>]

#![allow(clippy::print_stdout, reason = "it prints a table")]
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the wall clock; the pure crates' ban does not apply here"
)]

use std::time::{Duration, Instant};

use bytes::Bytes;
use tacet_bench::transport::{Pair, audio, connected_pair, received, wait_for};
use tacet_rtc::{Message, PeerConnection, Received};
use tacet_session::TransceiverInit;
use tacet_track::TrackKind;

/// Messages per run, one per `INTERVAL`.
const MESSAGES: usize = 3_000;
const INTERVAL: Duration = Duration::from_millis(1);
/// The audio frame interval of the stop-to-silence runs.
const FRAME: Duration = Duration::from_millis(20);

/// One-way latencies of `MESSAGES` messages from A to B, while `renegotiate` runs on A.
async fn latencies(pair: &mut Pair, rounds: usize) -> (Vec<Duration>, usize, Duration) {
    let epoch = Instant::now();
    let a = &pair.a;
    let a_chat = pair.a_chat;
    let send = async {
        let mut tick = tokio::time::interval(INTERVAL);
        for i in 0..MESSAGES {
            tick.tick().await;
            let at = u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
            let mut payload = Vec::with_capacity(16);
            payload.extend_from_slice(&(i as u64).to_be_bytes());
            payload.extend_from_slice(&at.to_be_bytes());
            a.send(a_chat, Message::Binary(Bytes::from(payload)))
                .await
                .expect("the channel is open");
        }
    };
    let renegotiate = async {
        // Spread over the run: one round (add, then stop) per `pace`.
        let pace = (INTERVAL * MESSAGES as u32) / u32::try_from(rounds.max(1)).unwrap_or(1);
        let mut tick = tokio::time::interval(pace);
        let mut spent = Duration::ZERO;
        let mut done = 0;
        for _ in 0..rounds {
            tick.tick().await;
            let started = Instant::now();
            let audio = a
                .add_transceiver(TrackKind::Audio, TransceiverInit::default())
                .await
                .expect("the addition is negotiated");
            a.stop(audio).await.expect("the stop is negotiated");
            spent += started.elapsed();
            done += 2;
        }
        (done, spent)
    };
    let b = &mut pair.b;
    let receive = async {
        let mut latencies = Vec::with_capacity(MESSAGES);
        let mut next = 0u64;
        while latencies.len() < MESSAGES {
            let (_, message) = wait_for(b, received).await;
            let Message::Binary(data) = message else {
                panic!("only binary messages are sent")
            };
            let number = u64::from_be_bytes(data[..8].try_into().expect("16 bytes"));
            let at = u64::from_be_bytes(data[8..16].try_into().expect("16 bytes"));
            assert_eq!(number, next, "in order, none lost, none twice");
            next += 1;
            let sent = Duration::from_nanos(at);
            latencies.push(epoch.elapsed().saturating_sub(sent));
        }
        latencies
    };
    let ((), (renegotiations, spent), latencies) = tokio::join!(send, renegotiate, receive);
    (latencies, renegotiations, spent)
}

/// Stop-to-silence, `runs` times: A sends an Opus-sized frame every 20 ms on a fresh audio
/// track; after a while it calls `stop()` on it; B notes when each packet arrives. The result
/// is how long after the `stop()` call began the last packet arrived (zero when it arrived
/// before), and how many packets arrived after that instant.
async fn stop_to_silence(pair: &mut Pair, runs: usize) -> Vec<(Duration, usize)> {
    let mut results = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (sender, mut receiver) = audio(pair).await;
        let writer = sender.clone();
        let write = tokio::spawn(async move {
            let mut tick = tokio::time::interval(FRAME);
            loop {
                tick.tick().await;
                if writer
                    .write_frame(Bytes::from_static(&[7; 80]), FRAME)
                    .await
                    .is_err()
                {
                    // Refused once stop() has begun: the typed error ends the writer.
                    return;
                }
            }
        });
        let arrivals = tokio::spawn(async move {
            let mut arrivals = Vec::new();
            while let Some(item) = receiver.recv().await {
                match item {
                    Received::Rtp(_) => arrivals.push(Instant::now()),
                    Received::Ended(_) => break,
                    Received::Frame(_) => {}
                }
            }
            arrivals
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        let stop_called = Instant::now();
        pair.a
            .stop(sender.transceiver())
            .await
            .expect("the stop is negotiated");
        write.await.expect("the writer ends");
        let arrivals = arrivals.await.expect("the receiver ends");
        let after: Vec<_> = arrivals.iter().filter(|t| **t > stop_called).collect();
        let last = arrivals
            .last()
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(stop_called));
        results.push((last, after.len()));
    }
    results
}

/// Median round trip of a ping-pong on the channel (A sends, B echoes).
async fn round_trip(pair: &mut Pair) -> Duration {
    let mut samples = Vec::new();
    for i in 0u32..200 {
        let started = Instant::now();
        let ping = Message::Binary(Bytes::copy_from_slice(&i.to_be_bytes()));
        pair.a.send(pair.a_chat, ping.clone()).await.expect("open");
        let (_, got) = wait_for(&mut pair.b, received).await;
        pair.b.send(pair.b_chat, got).await.expect("open");
        wait_for(&mut pair.a, received).await;
        samples.push(started.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn row(name: &str, mut latencies: Vec<Duration>, extra: &str) {
    latencies.sort();
    let ms = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1e3);
    println!(
        "| {name} | {} | {} | {} | {} | {extra} |",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("messages")),
        latencies.len()
    );
}

fn drain(peer: &mut PeerConnection) {
    while peer.try_next_event().is_some() {}
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let mut pair = connected_pair().await;
        let rtt = round_trip(&mut pair).await;
        drain(&mut pair.a);
        let (idle, _, _) = latencies(&mut pair, 0).await;
        drain(&mut pair.a);
        let (busy, renegotiations, spent) = latencies(&mut pair, rounds).await;
        let silence = stop_to_silence(&mut pair, 20).await;
        println!("Round trip on the channel (median of 200 ping-pongs): {:.3} ms", rtt.as_secs_f64() * 1e3);
        println!();
        println!("| run | p50 ms | p99 ms | max ms | messages | |");
        println!("|---|---|---|---|---|---|");
        row("idle", idle, "");
        let per = spent / u32::try_from(renegotiations.max(1)).unwrap_or(u32::MAX);
        row(
            "renegotiating",
            busy,
            &format!(
                "{renegotiations} renegotiations (add + stop, each negotiated), {:.1} ms each",
                per.as_secs_f64() * 1e3
            ),
        );
        println!();
        let mut worst = silence.iter().map(|(d, _)| *d).collect::<Vec<_>>();
        worst.sort();
        let late: usize = silence.iter().map(|(_, n)| n).sum();
        println!(
            "Stop-to-silence over {} stops (a 20 ms packet interval): median {:.3} ms, max {:.3} ms; packets arriving after stop() began: {late} in all",
            silence.len(),
            percentile(&worst, 0.5).as_secs_f64() * 1e3,
            worst.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
    });
}
