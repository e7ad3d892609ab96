//! Memory per transceiver: the bytes both endpoints hold live after round 1 (`n` transceivers
//! added and negotiated), counted by a global allocator, for every side.
//!
//!     CARGO_TARGET_DIR=/work/main/target cargo run --release --example renegotiation_memory \
//!         --manifest-path bench/Cargo.toml [-- <n>...]
//!
//! Live bytes are what was allocated and not yet freed (requested sizes, not the allocator's
//! rounding). The SDP texts of the exchange are dropped before counting, so what remains is
//! the state the two endpoints keep. Each side first runs a small pair and drops it, so lazily
//! created process-wide state (thread-local RNGs and the like) is not charged to the pair.

#![allow(clippy::print_stdout, reason = "it prints a table")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use tacet_bench::renegotiation::{
    Endpoints, Round, Rtc, Str0m, Tacet, TacetChromium, sizes_from_args,
};
use tacet_sdp::{SdpType, SessionDescription};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY (why the crate's `unsafe_code` lint is `deny`, not `forbid`, and allowed here only):
// every method forwards to `System` with the caller's own arguments, so it upholds exactly the
// contract `System` does; the only addition is a relaxed atomic counter, which cannot allocate,
// panic or touch the memory handed out.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller guarantees a non-zero-size layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
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
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Measures one side at `n`: (bytes of a fresh pair, bytes after round 1).
type Measure = fn(usize) -> (usize, usize);

/// (bytes of a fresh pair, bytes after round 1) for `E` at `n`.
fn measure<E: Endpoints>(n: usize) -> (usize, usize) {
    {
        let mut warm = E::new();
        drop(warm.round(Round::Add, 2));
    }
    let base = live();
    let mut endpoints = E::new();
    let empty = live().saturating_sub(base);
    drop(endpoints.round(Round::Add, n));
    let after = live().saturating_sub(base);
    drop(endpoints);
    (empty, after)
}

/// Bytes per m-section of one parsed `tacet_sdp::SessionDescription` of tacet's round-1 offer
/// and answer at `n`: what each description a session keeps costs.
fn description_bytes(n: usize) -> (usize, usize) {
    let exchange = Tacet::new().round(Round::Add, n);
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

fn main() {
    let sizes = sizes_from_args();
    println!(
        "| side | n | fresh pair KiB | after round 1 KiB | bytes per transceiver (all / above the fresh pair) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let sides: [(&str, Measure); 4] = [
        (Tacet::NAME, measure::<Tacet>),
        (TacetChromium::NAME, measure::<TacetChromium>),
        (Str0m::NAME, measure::<Str0m>),
        (Rtc::NAME, measure::<Rtc>),
    ];
    for &n in &sizes {
        for (name, measure) in sides {
            let (empty, after) = measure(n);
            println!(
                "| {name} | {n} | {} | {} | {} / {} |",
                kb(empty),
                kb(after),
                after / n,
                after.saturating_sub(empty) / n
            );
        }
    }
    println!();
    for n in sizes {
        let (offer, answer) = description_bytes(n);
        println!(
            "n = {n}: one parsed tacet description holds {offer} bytes per m-section (round-1 \
             offer), {answer} (its answer)"
        );
    }
}
