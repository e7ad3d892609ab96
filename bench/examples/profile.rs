//! Runs one operation many times, for profilers (`valgrind --tool=callgrind` counts
//! instructions, which are stable on this noisy 2-core machine where wall time is not).
//!
//! `cargo run --release --example profile --manifest-path bench/Cargo.toml -- <impl> <op> <n> <iterations>`
//! with `<impl>` one of `tacet-sdp`, `sdp-types`, `webrtc-rs-sdp`, and `<op>` `parse` or `write`.

use std::hint::black_box;
use std::process::ExitCode;

use tacet_bench::chromium_offer;
use tacet_bench::peers::{Impl, SdpTypes, Tacet, WebrtcRs};

fn run<I: Impl>(op: &str, sdp: &str, iterations: usize) -> Result<(), String> {
    match op {
        "parse" => {
            for _ in 0..iterations {
                black_box(I::parse(black_box(sdp))?);
            }
        }
        "write" => {
            let parsed = I::parse(sdp)?;
            for _ in 0..iterations {
                black_box(I::write(black_box(&parsed)));
            }
        }
        other => return Err(format!("unknown op {other:?}")),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, op, n, iterations] = args.as_slice() else {
        eprintln!("usage: profile <impl> <parse|write> <n> <iterations>");
        return ExitCode::FAILURE;
    };
    let (Ok(n), Ok(iterations)) = (n.parse(), iterations.parse()) else {
        eprintln!("n and iterations are numbers");
        return ExitCode::FAILURE;
    };
    let sdp = chromium_offer(n);
    let result = match name.as_str() {
        "tacet-sdp" => run::<Tacet>(op, &sdp, iterations),
        "sdp-types" => run::<SdpTypes>(op, &sdp, iterations),
        "webrtc-rs-sdp" => run::<WebrtcRs>(op, &sdp, iterations),
        other => Err(format!("unknown implementation {other:?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
