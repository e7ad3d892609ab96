//! Instructions per round and per part (SDP text, the rest), every side and codec set, counted
//! by callgrind on `examples/renegotiation_profile.rs`, printed as the Markdown tables of
//! docs/performance.md.
//!
//!     CARGO_TARGET_DIR=target cargo build --release --examples --manifest-path bench/Cargo.toml
//!     target/release/examples/renegotiation_instructions [<n>...]    # default: 20 200
//!
//! Needs `valgrind` and `callgrind_annotate` on the PATH (else it says so and prints nothing
//! else). One callgrind run per side, codec set and size runs the four rounds, each in
//! `measured_round` with `--split`:
//!
//!     valgrind --tool=callgrind --toggle-collect='*measured_round*' \
//!         --dump-after=renegotiation_profile::measured_round --callgrind-out-file=<dir>/cg \
//!         target/release/examples/renegotiation_profile --split <codec set> <side> all <n>
//!
//! so dump `k` holds round `k` alone. In a dump, the round is the total less
//! `renegotiation::Split::outside` (text work replayed for the split, not part of the round);
//! its SDP text is `renegotiation::sdp_text` (inclusive, replays included). webrtc-rs `rtc`
//! runs up to n = 200 (at 2000 its readd round alone would take hours under callgrind).

#![allow(clippy::print_stdout, reason = "it prints tables")]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tacet_bench::renegotiation::{CodecSet, Endpoints, Round, Rtc, Str0m, Tacet};

/// The largest size `rtc` runs at.
const RTC_MAX_N: usize = 200;
/// The sides, in table order.
const SIDES: [&str; 3] = [Tacet::NAME, Str0m::NAME, Rtc::NAME];

/// One round's count: the round and its SDP text part.
#[derive(Clone, Copy, Debug, Default)]
struct Count {
    round: u64,
    text: u64,
}

/// Inclusive instruction counts from `callgrind_annotate --inclusive=yes` of `file`: the
/// program total, and the sums over functions whose names contain `sdp_text` and
/// `Split::outside` (or `Split$GT$::outside` in the legacy mangling's demangled forms).
fn read_dump(file: &Path) -> Result<Count, String> {
    let output = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--threshold=100"])
        .arg(file)
        .output()
        .map_err(|e| format!("callgrind_annotate: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let (mut total, mut sdp_text, mut outside) = (None, 0, 0);
    for line in text.lines() {
        let line = line.trim();
        let Some((number, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = number.replace(',', "").parse::<u64>() else {
            continue;
        };
        if rest.contains("PROGRAM TOTALS") {
            total = Some(count);
        } else if rest.contains("::sdp_text") {
            sdp_text += count;
        } else if rest.contains("Split::outside") {
            outside += count;
        }
    }
    let total = total.ok_or_else(|| format!("no PROGRAM TOTALS in {}", file.display()))?;
    Ok(Count {
        round: total.saturating_sub(outside),
        text: sdp_text,
    })
}

/// The four rounds of `side` at `n` with `codecs`, one callgrind run.
fn count(
    profile: &Path,
    dir: &Path,
    codecs: CodecSet,
    side: &str,
    n: usize,
) -> Result<[Count; 4], String> {
    let out = dir.join(format!("cg-{}-{side}-{n}", codecs.name()));
    let status = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--toggle-collect=*measured_round*",
            "--dump-after=renegotiation_profile::measured_round",
        ])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(profile)
        .args(["--split", codecs.name(), side, "all", &n.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("valgrind: {e}"))?;
    if !status.success() {
        return Err(format!("valgrind on {side} {} {n} failed", codecs.name()));
    }
    let mut counts = [Count::default(); 4];
    for (k, count) in counts.iter_mut().enumerate() {
        let dump = PathBuf::from(format!("{}.{}", out.display(), k + 1));
        *count = read_dump(&dump)?;
    }
    Ok(counts)
}

fn millions(count: u64) -> String {
    let m = count as f64 / 1e6;
    if m < 10.0 {
        format!("{m:.2}")
    } else if m < 1000.0 {
        format!("{m:.1}")
    } else {
        format!("{m:.0}")
    }
}

fn main() -> ExitCode {
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![20, 200];
    }
    for tool in ["valgrind", "callgrind_annotate"] {
        if Command::new(tool).arg("--version").output().is_err() {
            println!("(instruction counts skipped: `{tool}` is not on the PATH)");
            return ExitCode::SUCCESS;
        }
    }
    let exe = std::env::current_exe().expect("the example knows its own path");
    let profile = exe.with_file_name("renegotiation_profile");
    if !profile.exists() {
        eprintln!(
            "{} is not built: cargo build --release --examples --manifest-path bench/Cargo.toml",
            profile.display()
        );
        return ExitCode::FAILURE;
    }
    let dir = std::env::temp_dir().join(format!("tacet-callgrind-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut failed = false;
    for codecs in CodecSet::ALL {
        println!("#### Instructions per round: {}", codecs.description());
        println!();
        println!(
            "Millions of instructions, SDP text + the rest (callgrind; two runs of the \
             whole table differed by under 1 %). Ratios ≥ 3 (round) and ≥ 1.5 (the rest) are \
             issue 16's targets."
        );
        println!();
        println!(
            "| n | round | tacet | str0m | rtc | str0m / tacet, round | str0m / tacet, text \
             | str0m / tacet, the rest | thousands per offer m-line ({}) |",
            SIDES.join(" / ")
        );
        println!("|---:|---|---:|---:|---:|---:|---:|---:|---|");
        for &n in &sizes {
            let mut counts: Vec<[Count; 4]> = Vec::new();
            for side in SIDES {
                if side == Rtc::NAME && n > RTC_MAX_N {
                    continue;
                }
                match count(&profile, &dir, codecs, side, n) {
                    Ok(c) => counts.push(c),
                    Err(e) => {
                        eprintln!("{e}");
                        failed = true;
                        break;
                    }
                }
            }
            if counts.len() < 2 {
                continue;
            }
            for (i, round) in Round::ALL.into_iter().enumerate() {
                let cell = |side: usize| {
                    counts.get(side).map_or("—".to_owned(), |c| {
                        let c = c[i];
                        format!(
                            "{} ({} + {})",
                            millions(c.round),
                            millions(c.text),
                            millions(c.round.saturating_sub(c.text))
                        )
                    })
                };
                let (t, s) = (counts[0][i], counts[1][i]);
                let rest = |c: Count| c.round.saturating_sub(c.text) as f64;
                let sections = [
                    tacet_bench::renegotiation::expected_sections::<Tacet>(round, n),
                    tacet_bench::renegotiation::expected_sections::<Str0m>(round, n),
                    tacet_bench::renegotiation::expected_sections::<Rtc>(round, n),
                ];
                let per_line: Vec<String> = SIDES
                    .iter()
                    .enumerate()
                    .map(|(k, _)| {
                        counts.get(k).map_or("—".to_owned(), |c| {
                            format!("{:.0}", c[i].round as f64 / 1e3 / sections[k] as f64)
                        })
                    })
                    .collect();
                println!(
                    "| {n} | {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {} |",
                    round.name(),
                    cell(0),
                    cell(1),
                    cell(2),
                    s.round as f64 / t.round as f64,
                    s.text as f64 / t.text as f64,
                    rest(s) / rest(t),
                    per_line.join(" / ")
                );
            }
        }
        println!();
    }
    // The dumps are large; they were read.
    drop(std::fs::remove_dir_all(&dir));
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
