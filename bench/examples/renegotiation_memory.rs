//! Memory per transceiver, allocations and page faults per round, for every side and codec
//! set, counted by a global allocator and the kernel.
//!
//!     CARGO_TARGET_DIR=target cargo run --release --example renegotiation_memory \
//!         --manifest-path bench/Cargo.toml [-- <n>...]
//!
//! Each side, codec set and size runs in a process of its own (this program runs itself with
//! `--one <codec set> <side> <n>`), so a side never inherits the heap another one grew. In it,
//! a small pair runs and is dropped first, so lazily created process-wide state (thread-local
//! RNGs and the like) is not charged to the pair; then a fresh pair runs the four rounds.
//!
//! - Memory per transceiver: the bytes both endpoints hold live after round 1 (`n`
//!   transceivers added and negotiated), over `n`. Live bytes are what was allocated and not
//!   yet freed (requested sizes, not the allocator's rounding); the SDP texts are dropped
//!   before counting.
//! - Per round: the calls to `alloc`/`alloc_zeroed`/`realloc`, the bytes they asked for, and
//!   the process's minor page faults (`/proc/self/stat`, field 10) around the round.
//!
//! webrtc-rs `rtc` runs up to n = 200 (its readd round alone takes 22 s at 2000).

#![allow(clippy::print_stdout, reason = "it prints a table")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use tacet_bench::renegotiation::{
    CodecSet, Endpoints, Round, Rtc, Str0m, Tacet, expected_sections, sizes_from_args,
};
use tacet_sdp::{SdpType, SessionDescription};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);
static ASKED: AtomicUsize = AtomicUsize::new(0);

/// Counts one allocation of `size` bytes (`alloc`, `alloc_zeroed`, `realloc`).
fn counted(size: usize) {
    LIVE.fetch_add(size, Ordering::Relaxed);
    CALLS.fetch_add(1, Ordering::Relaxed);
    ASKED.fetch_add(size, Ordering::Relaxed);
}

// SAFETY (why the crate's `unsafe_code` lint is `deny`, not `forbid`, and allowed here only):
// every method forwards to `System` with the caller's own arguments, so it upholds exactly the
// contract `System` does; the only addition is relaxed atomic counters, which cannot allocate,
// panic or touch the memory handed out.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller guarantees a non-zero-size layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            counted(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            counted(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a block this allocator (i.e. `System`) returned, with its
        // layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's block and layout, forwarded unchanged.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            counted(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The process's minor page faults so far (`/proc/self/stat` field 10; 0 where it cannot be
/// read, which the tables would show).
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(7))
        .and_then(|f| f.parse().ok())
        .unwrap_or(0)
}

/// What one side did at one size, as printed by `--one` and read back.
#[derive(Clone, Copy, Debug, Default)]
struct One {
    /// Live bytes of a fresh pair.
    empty: usize,
    /// Live bytes after round 1.
    after_add: usize,
    /// Per round: allocation calls, bytes asked for, minor page faults.
    rounds: [[u64; 3]; 4],
}

impl One {
    fn line(&self) -> String {
        let mut fields = vec![self.empty.to_string(), self.after_add.to_string()];
        fields.extend(self.rounds.iter().flatten().map(u64::to_string));
        fields.join(" ")
    }

    fn parse(line: &str) -> Option<Self> {
        let fields: Vec<u64> = line
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [empty, after_add, rest @ ..] = fields.as_slice() else {
            return None;
        };
        if rest.len() != 12 {
            return None;
        }
        let mut rounds = [[0; 3]; 4];
        for (i, chunk) in rest.chunks(3).enumerate() {
            rounds[i].copy_from_slice(chunk);
        }
        Some(Self {
            empty: usize::try_from(*empty).ok()?,
            after_add: usize::try_from(*after_add).ok()?,
            rounds,
        })
    }
}

/// `E`'s pair at `n` with `codecs`, in this process.
fn measure<E: Endpoints>(codecs: CodecSet, n: usize) -> One {
    {
        let mut warm = E::new(codecs);
        drop(warm.round(Round::Add, 2));
    }
    let base = live();
    let mut endpoints = E::new(codecs);
    let mut one = One {
        empty: live().saturating_sub(base),
        ..One::default()
    };
    for (i, round) in Round::ALL.into_iter().enumerate() {
        let faults = minor_faults();
        let (calls, asked) = (CALLS.load(Ordering::Relaxed), ASKED.load(Ordering::Relaxed));
        let exchange = endpoints.round(round, n);
        let (calls, asked) = (
            CALLS.load(Ordering::Relaxed) - calls,
            ASKED.load(Ordering::Relaxed) - asked,
        );
        let faults = minor_faults() - faults;
        drop(exchange);
        if round == Round::Add {
            one.after_add = live().saturating_sub(base);
        }
        one.rounds[i] = [calls as u64, asked as u64, faults];
    }
    one
}

/// Runs `--one <codecs> <side> <n>` in a fresh process and reads its line.
fn in_own_process(codecs: CodecSet, side: &str, n: usize) -> One {
    let exe = std::env::current_exe().expect("the example knows its own path");
    let output = std::process::Command::new(exe)
        .args(["--one", codecs.name(), side, &n.to_string()])
        .output()
        .expect("the example runs itself");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "--one {} {side} {n} failed: {}",
        codecs.name(),
        String::from_utf8_lossy(&output.stderr)
    );
    One::parse(stdout.trim()).unwrap_or_else(|| panic!("--one printed {stdout:?}"))
}

/// Bytes per m-section of one parsed `tacet_sdp::SessionDescription` of tacet's round-1 offer
/// and answer at `n`: what each description a session keeps costs.
fn description_bytes(codecs: CodecSet, n: usize) -> (usize, usize) {
    let exchange = Tacet::new(codecs).round(Round::Add, n);
    let mut per_section = [0; 2];
    for (i, (sdp_type, text)) in [
        (SdpType::Offer, &exchange.offer),
        (SdpType::Answer, &exchange.answer),
    ]
    .into_iter()
    .enumerate()
    {
        let before = live();
        let parsed = SessionDescription::parse(sdp_type, text).expect("tacet parses its own SDP");
        per_section[i] = live().saturating_sub(before) / n;
        drop(parsed);
    }
    (per_section[0], per_section[1])
}

fn kb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

/// The m-lines of `round`'s offer at `n` for the `side`-th side (tacet, str0m, rtc).
fn offer_sections(side: usize, round: Round, n: usize) -> usize {
    match side {
        0 => expected_sections::<Tacet>(round, n),
        1 => expected_sections::<Str0m>(round, n),
        _ => expected_sections::<Rtc>(round, n),
    }
}

/// The largest size `rtc` runs at.
const RTC_MAX_N: usize = 200;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, codecs, side, n] = args.as_slice()
        && flag == "--one"
    {
        let codecs = CodecSet::from_name(codecs).expect("a codec set name");
        let n = n.parse().expect("n is a number");
        let one = match side.as_str() {
            "tacet" => measure::<Tacet>(codecs, n),
            "str0m" => measure::<Str0m>(codecs, n),
            "rtc" => measure::<Rtc>(codecs, n),
            other => panic!("unknown side {other:?}"),
        };
        println!("{}", one.line());
        return;
    }
    let sizes = sizes_from_args();
    let sides = [Tacet::NAME, Str0m::NAME, Rtc::NAME];
    let mut all = Vec::new();
    for codecs in CodecSet::ALL {
        for &n in &sizes {
            let ones: Vec<One> = sides
                .iter()
                .filter(|&&side| side != Rtc::NAME || n <= RTC_MAX_N)
                .map(|side| in_own_process(codecs, side, n))
                .collect();
            all.push((codecs, n, ones));
        }
    }
    let per_side = |values: Vec<String>| {
        let mut values = values;
        values.resize(sides.len(), "—".to_owned());
        values.join(" / ")
    };
    println!("#### Memory per transceiver (both endpoints, after round 1)");
    println!();
    println!(
        "| codec set | n | fresh pair KiB ({s}) | after round 1 KiB ({s}) | bytes per transceiver \
         ({s}) | tacet / str0m (≤ 0.75) |",
        s = sides.join(" / ")
    );
    println!("|---|---:|---|---|---|---:|");
    for (codecs, n, ones) in &all {
        println!(
            "| {} | {n} | {} | {} | {} | {:.2} |",
            codecs.name(),
            per_side(ones.iter().map(|o| kb(o.empty)).collect()),
            per_side(ones.iter().map(|o| kb(o.after_add)).collect()),
            per_side(ones.iter().map(|o| (o.after_add / n).to_string()).collect()),
            ones[0].after_add as f64 / ones[1].after_add as f64
        );
    }
    println!();
    println!("#### Allocations and minor page faults per round");
    println!();
    println!(
        "| codec set | n | round | allocations ({s}) | MB asked for ({s}) | allocations per \
         offer m-line ({s}) | minor page faults ({s}) |",
        s = sides.join(" / ")
    );
    println!("|---|---:|---|---|---|---|---|");
    for (codecs, n, ones) in &all {
        for (i, round) in Round::ALL.into_iter().enumerate() {
            println!(
                "| {} | {n} | {} | {} | {} | {} | {} |",
                codecs.name(),
                round.name(),
                per_side(ones.iter().map(|o| o.rounds[i][0].to_string()).collect()),
                per_side(
                    ones.iter()
                        .map(|o| format!("{:.1}", o.rounds[i][1] as f64 / 1e6))
                        .collect()
                ),
                per_side(
                    ones.iter()
                        .enumerate()
                        .map(|(side, o)| {
                            let sections = offer_sections(side, round, *n);
                            format!("{:.0}", o.rounds[i][0] as f64 / sections as f64)
                        })
                        .collect()
                ),
                per_side(ones.iter().map(|o| o.rounds[i][2].to_string()).collect()),
            );
        }
    }
    println!();
    for codecs in CodecSet::ALL {
        for &n in &sizes {
            let (offer, answer) = description_bytes(codecs, n);
            println!(
                "- {}, n = {n}: one parsed tacet description holds {offer} bytes per m-section \
                 (round-1 offer), {answer} (its answer)",
                codecs.name()
            );
        }
    }
}
