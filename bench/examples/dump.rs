//! Writes `chromium_offer(n)` to stdout, to eyeball or diff it against a real capture; with a
//! peer name, writes what that peer makes of it (parse, then write) instead.
//!
//!     cargo run --example dump --manifest-path bench/Cargo.toml -- 3
//!     cargo run --example dump --manifest-path bench/Cargo.toml -- 20 webrtc-sdp

#![allow(clippy::print_stdout, reason = "it prints the offer")]

use tacet_bench::peers::{Impl, SdpTypes, WebrtcRs, WebrtcSdp};

fn round_trip<I: Impl>(sdp: &str) -> String {
    I::write(&I::parse(sdp).unwrap_or_else(|e| panic!("{} rejects the offer: {e}", I::NAME)))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let sdp = tacet_bench::chromium_offer(n);
    let out = match args.next().as_deref() {
        None => sdp,
        Some(SdpTypes::NAME) => round_trip::<SdpTypes>(&sdp),
        Some(WebrtcRs::NAME) => round_trip::<WebrtcRs>(&sdp),
        Some(WebrtcSdp::NAME) => round_trip::<WebrtcSdp>(&sdp),
        Some(other) => panic!("unknown peer {other:?}"),
    };
    print!("{out}");
}
