//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `ci`   — the whole gate, in order, stopping at the first failure: rustfmt, clippy,
//!   tests, the README's first command (the stop story), the interop matrix against aiortc
//!   and the browsers (`interop`; aiortc, node, a browser or its driver missing is a
//!   failure), the conformance table
//!   (`conformance --check`), spec traceability (`spec --check`), the public API listings
//!   (`api --check`), docs, the benchmark crate's lints and tests, a fuzz smoke run.
//!   `.ci/run` calls exactly this.
//! - `docs` — regenerates the generated parts of `docs/` (the transition table).
//! - `conformance [--check]` — runs the WPT conformance tests and writes
//!   `docs/conformance.md` (with `--check`: fails if it is not current); fails when a row
//!   claims what no test checks (a title without a test, a test missing or ignored).
//! - `fuzz [--seconds N]` — builds every cargo-fuzz target (nightly) and runs each for N
//!   seconds (default 60) on its corpus seeded from `tests/data/`.
//! - `bench [criterion args]` — runs the benchmarks of `bench/` against the peers;
//!   `bench --tables [n...]` prints the renegotiation tables of `docs/performance.md`.
//! - `model [--cases N]` — the model-based test of two sessions, compared with the reference
//!   model after every step, with N cases (default 100 000) per proptest in release mode, for
//!   long runs (CI runs 1024 in debug with the other tests).
//! - `spec [--check]` — lists the rules of `docs/stop-semantics.md` §1, §3, §6 and the tests
//!   citing them (`docs/spec.md`); fails on a rule no test cites or a citation of an unknown
//!   rule, and with `--check` on a stale file.
//! - `interop [--pair P] [--scenario S]` — runs `tacet-peer` against aiortc 1.16 (a venv
//!   `.ci/run` installs), against itself, and against headless Chromium and Firefox (issue 14;
//!   `tests/browser/run.mjs`), scenario by scenario, and writes the matrix to
//!   `docs/interop.md` (a filtered run prints it instead); fails on any failed run.
//! - `api [--check]` — writes the public API of each public crate to `docs/api/<crate>.md`,
//!   read from the sources (stable toolchain); `--check` fails when a listing is stale.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod api;
mod conformance;
mod docs;
mod fuzz;
mod interop;
mod spec;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("docs") => docs::generate(&root()),
        Some("conformance") => conformance::mode(&args[1..]).and_then(conformance::run),
        Some("fuzz") => fuzz::seconds(&args[1..]).and_then(fuzz::run),
        Some("bench") => bench(&args[1..]),
        Some("model") => model_cases(&args[1..]).and_then(model),
        Some("spec") => spec::run(&args[1..]),
        Some("api") => api::run(&args[1..]),
        Some("interop") => interop::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            eprintln!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <command>

commands:
  ci     rustfmt --check, clippy -D warnings, tests, conformance --check, spec --check,
         api --check, rustdoc -D warnings, the bench crate's clippy and tests, a 20 s fuzz
         smoke run per target, the session's stop story, the README's first command (the
         demo's story), then the demo page's test (headless Chromium) and the interop matrix
         (aiortc 1.16 and the browsers required); stops at the first failure
  docs   regenerate the generated sections of docs/
  conformance  [--check] run the WPT conformance tests and write docs/conformance.md
               (--check: fail if it is not current); fails if a row claims what no test
               checks (a title without a test, a missing or ignored test)
  fuzz   [--seconds N] build every fuzz target (nightly) and run each N seconds (default 60)
  bench  [criterion args] run the benchmarks against the peers (bench/, outside the workspace)
  bench  --tables [n...] print the renegotiation tables of docs/performance.md, every side
         and codec set: wall time (SDP text and the rest), parse against sdp-types, memory,
         allocations, page faults, and instructions (callgrind, n <= 200) if valgrind is there
  model  [--cases N] the model-based test of two sessions and the reference model, N cases
         per proptest in release (default 100000)
  spec   [--check] list the stop rules and the tests citing them (docs/spec.md); fails on a
         rule no test cites or a citation of an unknown rule (--check: also on a stale file)
  interop  [--pair tacet-aiortc|tacet-tacet|aiortc-aiortc|tacet-chromium|tacet-firefox]
           [--scenario NAME] run tacet-peer against aiortc 1.16 (.venv-interop, or
           $TACET_INTEROP_PYTHON), itself, Chromium and Firefox (tests/browser); writes
           docs/interop.md after a full run; fails on any failed run or a missing prerequisite
  api    [--check] write the public API of each public crate to docs/api/<crate>.md
         (--check: fail if a listing is not what the code gives)";

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("invariant: xtask/ has a parent directory, the workspace root")
        .to_path_buf()
}

/// The one target directory: `$CARGO_TARGET_DIR`, or `target/` at the root.
fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The README's first command after `cargo`: `cargo run --release -p tacet-demo` (a test of
/// this file keeps the two the same).
const README_FIRST_COMMAND: [&str; 4] = ["run", "--release", "-p", "tacet-demo"];

/// The seconds each fuzz target runs in `cargo xtask ci`.
const CI_FUZZ_SECONDS: u64 = 20;

fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs one CI step and reports its time; an error names the step.
fn step(name: &str, mut command: Command) -> Result<(), String> {
    eprintln!("\n==> {name}: {command:?}");
    let start = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("{name}: could not start {command:?}: {e}"))?;
    let seconds = start.elapsed().as_secs_f32();
    if status.success() {
        eprintln!("==> {name}: ok ({seconds:.1} s)");
        Ok(())
    } else {
        Err(format!("{name} failed ({status}) after {seconds:.1} s"))
    }
}

/// A tool CI needs must be present; its absence is an error, never a skip.
fn require(what: &str, mut command: Command, hint: &str) -> Result<(), String> {
    match command.output() {
        Ok(output) if output.status.success() => Ok(()),
        _ => Err(format!("missing prerequisite: {what} ({hint})")),
    }
}

/// Parses `[--cases N]`.
fn model_cases(args: &[String]) -> Result<u64, String> {
    match args {
        [] => Ok(100_000),
        [flag, n] if flag == "--cases" => n
            .parse()
            .map_err(|_| format!("--cases takes a whole number, not {n:?}")),
        _ => Err(format!(
            "usage: cargo xtask model [--cases N], not {args:?}"
        )),
    }
}

/// The model-based property tests (`tests/tests/session_model.rs`, the sessions compared with
/// the reference model after every step) with `cases` cases each.
fn model(cases: u64) -> Result<(), String> {
    let mut test = cargo();
    test.args([
        "test",
        "--release",
        "--locked",
        "-p",
        "tacet-tests",
        "--test",
        "session_model",
    ])
    .env("PROPTEST_CASES", cases.to_string());
    step(&format!("model-based tests, {cases} cases"), test)
}

fn bench(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("--tables") {
        return bench_tables(&args[1..]);
    }
    // `cargo xtask bench -- --warm-up-time 2` and `cargo xtask bench --warm-up-time 2` mean the
    // same: criterion must not see a second `--` (it would read the options as filters).
    let args = match args.split_first() {
        Some((first, rest)) if first == "--" => rest,
        _ => args,
    };
    let mut bench = cargo();
    bench
        .args([
            "bench",
            "--manifest-path",
            "bench/Cargo.toml",
            "--locked",
            "--",
        ])
        .args(args)
        .env("CARGO_TARGET_DIR", root().join("target"));
    step("bench", bench)
}

/// `bench --tables [n...]`: the renegotiation tables of docs/performance.md, every side and
/// codec set: wall time per round and its split into SDP text and the rest, the SDP parse
/// against sdp-types (`renegotiation_summary`); memory, allocations and page faults
/// (`renegotiation_memory`); instructions under callgrind, when valgrind is installed
/// (`renegotiation_instructions`, sizes up to 200: callgrind at 2000 takes many minutes). `n`
/// limits the sizes (default 2, 20, 200, 2000).
fn bench_tables(sizes: &[String]) -> Result<(), String> {
    let mut build = cargo();
    build
        .args([
            "build",
            "--release",
            "--locked",
            "--manifest-path",
            "bench/Cargo.toml",
            "--examples",
        ])
        .env("CARGO_TARGET_DIR", root().join("target"));
    step("bench examples (release)", build)?;
    let examples = root().join("target/release/examples");
    for example in ["renegotiation_summary", "renegotiation_memory"] {
        let mut run = Command::new(examples.join(example));
        run.args(sizes);
        step(example, run)?;
    }
    let counted: Vec<&String> = sizes
        .iter()
        .filter(|n| n.parse::<usize>().is_ok_and(|n| (20..=200).contains(&n)))
        .collect();
    let mut run = Command::new(examples.join("renegotiation_instructions"));
    run.args(counted);
    step("renegotiation_instructions", run)
}

fn ci() -> Result<(), String> {
    let start = Instant::now();
    let mut fmt = cargo();
    fmt.args(["fmt", "--version"]);
    require("rustfmt", fmt, "rustup component add rustfmt")?;
    let mut clippy = cargo();
    clippy.args(["clippy", "--version"]);
    require("clippy", clippy, "rustup component add clippy")?;

    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    step("rustfmt", fmt)?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    step("clippy", clippy)?;

    let mut test = cargo();
    test.args(["test", "--workspace", "--locked"])
        // Snapshots: a new or changed snapshot fails instead of being written.
        .env("INSTA_UPDATE", "no")
        .env("CI", "true");
    step("tests", test)?;

    // The WPT table: every claimed test exists and passes, and docs/conformance.md is current.
    conformance::run(conformance::Mode::Check)?;

    // Spec traceability: every rule citation names a rule, and docs/spec.md is current.
    spec::run(&["--check".to_owned()])?;

    // The public API listings: an API change shows in review as a diff of docs/api/.
    api::run(&["--check".to_owned()])?;

    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--locked"])
        .env("RUSTDOCFLAGS", "-D warnings");
    step("rustdoc", doc)?;

    // The benchmark crate lives outside the workspace (decisions.md §8): compile and lint it
    // here so it cannot rot; it runs only on demand (`cargo xtask bench`).
    let mut bench = cargo();
    bench
        .args([
            "clippy",
            "--manifest-path",
            "bench/Cargo.toml",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])
        .env("CARGO_TARGET_DIR", root().join("target"));
    step("benches compile (clippy)", bench)?;

    // The bench crate's own tests: each peer does the work it is measured on (same codecs,
    // comparable offers, every round applied), so a benchmark never times a peer doing less.
    let mut bench_tests = cargo();
    bench_tests
        .args(["test", "--manifest-path", "bench/Cargo.toml", "--locked"])
        .env("CARGO_TARGET_DIR", root().join("target"));
    step("bench crate tests", bench_tests)?;

    fuzz::run(CI_FUZZ_SECONDS)?;

    // The session's stop story on descriptions alone (the example that was the README's first
    // command before the demo): it checks every step against the spec.
    let mut session_story = cargo();
    session_story.args([
        "run",
        "--locked",
        "-p",
        "tacet-session",
        "--example",
        "stop-story",
    ]);
    step("the session's stop story (example)", session_story)?;

    // The README's first command, exactly as a reader types it: the demo's story between two
    // tacet peers over loopback UDP, which exits non-zero if any step's expectation fails.
    let mut demo = cargo();
    demo.args(README_FIRST_COMMAND);
    step("README's first command (the demo's story)", demo)?;

    // Last, the steps with real peers and browsers (the longest, and the ones a machine's
    // load can disturb), so a failure there never hides the result of a step above.
    // The demo page (`tacet-demo --serve`, built by the step above) with headless Chromium as
    // the other peer: tests/browser/demo.mjs clicks through every button and checks the page.
    interop::require_chromium()?;
    let mut page = Command::new("node");
    page.current_dir(root())
        .arg("tests/browser/demo.mjs")
        .arg("--demo")
        .arg(target_dir().join("release").join("tacet-demo"));
    step(
        "the demo page (tests/browser/demo.mjs, headless Chromium)",
        page,
    )?;

    // tacet-peer against aiortc 1.16, itself and the browsers (docs/interop.md is rewritten
    // by the run). aiortc, node, a browser or its driver missing fails here: `.ci/run`
    // installs them.
    interop::run(&[])?;

    eprintln!(
        "\nxtask ci: all steps passed in {:.0} s",
        start.elapsed().as_secs_f32()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first command of the README's first code block, without its comment.
    fn readme_first_command(readme: &str) -> Option<&str> {
        let block = readme.split("```").nth(1)?;
        let line = block.lines().skip(1).find(|l| !l.trim().is_empty())?;
        Some(line.split('#').next()?.trim())
    }

    #[test]
    fn ci_runs_the_readmes_first_command_exactly() {
        let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
        assert_eq!(
            readme_first_command(&readme),
            Some(format!("cargo {}", README_FIRST_COMMAND.join(" ")).as_str())
        );
    }

    #[test]
    fn the_readme_command_is_read_from_the_first_block() {
        let readme = "# x\n\n```sh\ncargo run -p a   # the main job\ncargo b\n```\n";
        assert_eq!(readme_first_command(readme), Some("cargo run -p a"));
        assert_eq!(readme_first_command("no block"), None);
    }
}
