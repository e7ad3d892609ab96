//! `cargo xtask fuzz`: build every cargo-fuzz target and run each for a fixed time.
//!
//! Nightly and cargo-fuzz are prerequisites: when missing, this fails with the command that
//! installs them (`.ci/run` installs both). Corpora live in `fuzz/corpus/<target>/` (not
//! committed) and are seeded from the repository's real test data.

use std::fs;

use std::process::Command;

use crate::{require, root, step};

/// One fuzz target: its name, the directories whose files start its corpus, the longest
/// input worth trying, and whether libFuzzer may try that length from the start.
struct Target {
    name: &'static str,
    seeds: &'static [&'static str],
    max_len: usize,
    /// `-len_control=0`: libFuzzer otherwise grows its length limit slowly from short inputs
    /// (48 bytes after ten minutes of `session_ops`, 16 of its 96 operations).
    full_length: bool,
}

/// Every target. Text targets take up to 64 KiB (the largest corpus SDP is 32 KiB);
/// `session_ops` reads three bytes per operation and stops after 96 operations, so longer
/// inputs would only repeat themselves, and it starts at full length; so does
/// `rtc_datagrams`.
const TARGETS: &[Target] = &[
    Target {
        name: "sdp_parse",
        seeds: &["tests/data/sdp"],
        max_len: 65536,
        full_length: false,
    },
    Target {
        name: "sdp_roundtrip",
        seeds: &["tests/data/sdp", "fuzz/regressions/sdp_roundtrip"],
        max_len: 65536,
        full_length: false,
    },
    Target {
        name: "session_srd",
        seeds: &["tests/data/sdp", "fuzz/regressions/session_srd"],
        max_len: 65536,
        full_length: false,
    },
    // Operation sequences: no text seeds; the regression inputs.
    Target {
        name: "session_ops",
        seeds: &["fuzz/regressions/session_ops"],
        max_len: 3 * 96,
        full_length: true,
    },
    // Datagrams into a connected pair: up to 64 of three header bytes and up to 255 bytes each;
    // at full length from the start (a short input is only a datagram or two).
    Target {
        name: "rtc_datagrams",
        seeds: &["fuzz/regressions/rtc_datagrams"],
        max_len: 4096,
        full_length: true,
    },
];

/// `cargo` through the rustup proxy, so `+nightly` selects the toolchain (the `CARGO` that
/// runs xtask is the stable toolchain's own binary, which knows no `+toolchain`).
fn cargo() -> Command {
    let mut command = Command::new("cargo");
    command
        .current_dir(root())
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .env_remove("CARGO");
    command
}

/// Parses `[--seconds N]`.
pub(crate) fn seconds(args: &[String]) -> Result<u64, String> {
    match args {
        [] => Ok(60),
        [flag, n] if flag == "--seconds" => n
            .parse()
            .map_err(|_| format!("--seconds takes a whole number, not {n:?}")),
        _ => Err(format!(
            "usage: cargo xtask fuzz [--seconds N], not {args:?}"
        )),
    }
}

/// Builds all targets, then runs each for `seconds`; stops at the first crash.
pub(crate) fn run(seconds: u64) -> Result<(), String> {
    let mut nightly = cargo();
    nightly.args(["+nightly", "--version"]);
    require(
        "the nightly toolchain (cargo-fuzz needs it)",
        nightly,
        "rustup toolchain install nightly --profile minimal",
    )?;
    let mut cargo_fuzz = cargo();
    cargo_fuzz.args(["fuzz", "--version"]);
    require(
        "cargo-fuzz",
        cargo_fuzz,
        "cargo install cargo-fuzz --locked",
    )?;

    let target_dir = root().join("target/fuzz");
    let mut build = cargo();
    build
        .args([
            "+nightly",
            "fuzz",
            "build",
            "--fuzz-dir",
            "fuzz",
            "-O",
            "--target-dir",
        ])
        .arg(&target_dir);
    step("fuzz build", build)?;

    for Target {
        name: target,
        seeds,
        max_len,
        full_length,
    } in TARGETS
    {
        let corpus = root().join("fuzz/corpus").join(target);
        fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let mut run = cargo();
        run.args([
            "+nightly",
            "fuzz",
            "run",
            "--fuzz-dir",
            "fuzz",
            "-O",
            "--target-dir",
        ])
        .arg(&target_dir)
        .arg(target)
        .arg(&corpus);
        for seed in *seeds {
            run.arg(root().join(seed));
        }
        run.arg("--").arg(format!("-max_total_time={seconds}"));
        run.arg(format!("-max_len={max_len}"))
            .arg("-print_final_stats=1");
        if *full_length {
            run.arg("-len_control=0");
        }
        step(&format!("fuzz {target} for {seconds} s"), run)?;
    }
    Ok(())
}
