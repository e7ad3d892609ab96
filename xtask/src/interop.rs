//! `cargo xtask interop [--pair P] [--scenario S]`: tacet-peer against aiortc 1.16, against
//! itself, and against headless Chromium and Firefox, over loopback, and the matrix in
//! `docs/interop.md` (issues 13 and 14).
//!
//! The browser pairings (`tacet-chromium`, `tacet-firefox`, module `browser`) run
//! `node tests/browser/run.mjs chromium|firefox offer|answer ...` as the peer process: it serves
//! `tests/browser/page/` on 127.0.0.1, launches Debian's browser through its driver, bridges the
//! page's signaling to tacet-peer's TCP lines and prints the page's events in the vocabulary
//! below (docs/browsers.md). They run issue 14's scenarios (`Scenario::browser_runs` times each:
//! ten for the BUNDLE-tag stop), the numbered messages every 20 ms, tacet-peer with
//! `--report-channel-loss` so that a lost channel is a reported `datachannel_lost{cause}` and
//! the rest of the run is still judged. The browser's own script knows `stop tag`, `stop
//! non-tag` too. Node, the driver in the version `tests/browser/package.json` pins, or the
//! browser missing fails the suite naming it.
//!
//! An xtask command rather than a `cargo test` file: the suite needs aiortc in a venv
//! (`.ci/run` installs it) and its absence must fail loudly, which a test in
//! `cargo test --workspace` could only do by failing every engineer's test run, or avoid by
//! being ignored (a silent skip); it runs ~30 processes one after the other (timings on two
//! cores are only meaningful unparallelled); and it writes one document from all runs. The
//! judging code has unit tests (`verdict_tests.rs`) that run with the workspace's tests.
//! `cargo xtask ci` runs the whole matrix; any failed run fails it.
//!
//! # The contract both peers follow (tacet-peer's; `tests/interop/aiortc_peer.py` speaks it too)
//!
//! Invocation (the flags issue 13 fixes; HOST is always 127.0.0.1, the offerer listens):
//! `tacet-peer offer|answer --signaling tcp-socket --signaling-host 127.0.0.1
//! --signaling-port PORT --send audio,video --datachannel interop --json [--script "..."]`,
//! script steps `stop audio`, `stop video`, `stop-media`, `add video`, `close`, timed from the
//! first `connected`. The aiortc peer takes the same flags (its script knows `stop audio|video`,
//! aiortc's BYE-only stop, and `close`; `--timeout SECONDS` too). Exit status 0 on a clean
//! close, 3 on a clean close after a failed scripted action, anything else is a failure.
//!
//! stdout with `--json`: one JSON object per line, flushed per line, each with `t` (the peer's
//! own seconds since its start), `role` and `event`; unknown events and extra fields are
//! ignored, any other line is a breach. The harness stamps each line on arrival (one clock for
//! both peers) and judges by that stamp. The events it reads:
//! - `connection_state{state}` (W3C `RTCPeerConnectionState` names);
//! - `sdp{direction: sent|received, type, sdp}` for every description;
//! - `track{kind, mid}` when a remote track appears;
//! - `media{direction: sent|received, kind, mid, frames, packets, final}` each second per live
//!   track, then once with `final: true` at the close: `frames` and `packets` are the encoded
//!   frames and RTP packets of that second (only `received` reports show what arrived);
//! - `track_muted|track_unmuted{kind, mid}`; `track_ended{kind, mid, reason, cause}`;
//! - `warning{rule, message}` for each deviation the tolerant policy forgave;
//! - `datachannel_open{label}`; `datachannel{label, sent, sent_end, from_peer, echoes,
//!   final}` each second and once with `final: true` at the close, `from_peer` holding
//!   `{received, lost, duplicates, out_of_order, end, complete}` for the peer's numbered stream;
//! - `action{action, at, took, ok, error?, mid?}` once a scripted action (not `close`) is done
//!   (so it started `took` seconds before its line arrived);
//! - `signaling_state{state}`; `datachannel_lost{label, cause, reason}` (tacet-peer
//!   `--report-channel-loss`: `peer-closed` or `sctp-lost`); `datachannel_closed{label,
//!   while_closing}` (a browser's channel closed); `browser{version}` (the runner);
//! - `bye{direction: sent|received}`; `closed{failed_actions}`, the last line before the exit.
//!
//! Numbered messages (tacet-peer's chat.rs, the page's chat.js): once the channel is open each
//! side sends the text `"<origin> <n>"` (its role `offer`/`answer`, or the browser's name; n =
//! 0, 1, 2, ...) every 50 ms (20 ms against a browser), and when it stops `"<origin> end
//! <count>"`; `from_peer.max_gap_ms` is the longest time between two new numbers arriving. A receiver counts the other origin's stream; it is
//! `complete` when the end marker has come, announcing exactly the count received, with no
//! number lost, duplicated or out of order. Close procedure: the closer stops its messages,
//! sends its end marker, sends `{"type":"bye"}`, waits (3 s at most) for the peer's end
//! marker, closes; the side told bye stops its messages, waits (1.5 s at most) for the
//! closer's end marker, sends its own, waits (3 s at most) for the closer to close, closes. So
//! zero loss is exact: each side's final `from_peer` is complete and its `received` equals
//! the other's final `sent`.

use std::collections::BTreeMap;
use std::env;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{cargo, root, step, target_dir};

mod browser;
mod report;
mod scenario;
mod verdict;
#[cfg(test)]
mod verdict_tests;

use scenario::{Kind, PAIRINGS, Pairing, SCENARIOS, Scenario};
use verdict::{Line, Side, Verdict};

/// The aiortc version the suite is about (`.ci/run` installs it).
const AIORTC_VERSION: &str = "1.16.0";
/// The generated document.
const DOC: &str = "docs/interop.md";
/// The data channel's label.
const LABEL: &str = "interop";
/// A run that has not ended this long after its start is killed and fails.
const DEADLINE: Duration = Duration::from_secs(45);
/// The same against a browser, which takes 2–6 s to launch before it connects.
const BROWSER_DEADLINE: Duration = Duration::from_secs(60);

/// Parsed `[--pair P] [--scenario S]`: a filtered run prints its table and writes nothing.
#[derive(Debug, Default)]
struct Filter {
    pair: Option<String>,
    scenario: Option<String>,
}

fn filter(args: &[String]) -> Result<Filter, String> {
    let mut filter = Filter::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().cloned();
        match (flag.as_str(), value) {
            ("--pair", Some(p)) => filter.pair = Some(p),
            ("--scenario", Some(s)) => filter.scenario = Some(s),
            _ => {
                return Err(format!(
                    "usage: cargo xtask interop [--pair tacet-aiortc|tacet-tacet|aiortc-aiortc|\
                     tacet-chromium|tacet-firefox] [--scenario NAME], not {flag:?}"
                ));
            }
        }
    }
    Ok(filter)
}

/// The Python with aiortc: `$TACET_INTEROP_PYTHON`, or the venv `.ci/run` makes.
fn python() -> PathBuf {
    env::var_os("TACET_INTEROP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv-interop/bin/python"))
}

/// aiortc must be there, in the version the suite is about; never a skip.
fn require_aiortc(python: &Path) -> Result<(), String> {
    let output = Command::new(python)
        .args(["-c", "import aiortc; print(aiortc.__version__)"])
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if version == AIORTC_VERSION {
                Ok(())
            } else {
                Err(format!(
                    "missing prerequisite: aiortc {AIORTC_VERSION} ({} has {version}; \
                     `bash .ci/run` installs it in .venv-interop)",
                    python.display()
                ))
            }
        }
        _ => Err(format!(
            "missing prerequisite: aiortc {AIORTC_VERSION} importable from {} \
             (`bash .ci/run` installs it in .venv-interop, or set TACET_INTEROP_PYTHON)",
            python.display()
        )),
    }
}

/// Builds `tacet-peer` and returns its path.
fn build_tacet_peer() -> Result<PathBuf, String> {
    let mut build = cargo();
    build.args([
        "build",
        "--locked",
        "-p",
        "tacet-rtc",
        "--bin",
        "tacet-peer",
    ]);
    step("build tacet-peer", build)?;
    Ok(target_dir().join("debug").join("tacet-peer"))
}

/// Node, Chromium and playwright-core, as the browser rows need them (for `cargo xtask ci`'s
/// test of the demo page, which drives the same Chromium).
pub(crate) fn require_chromium() -> Result<(), String> {
    browser::require(Kind::Chromium)
}

/// Runs the matrix (or the filtered part of it); writes `docs/interop.md` after a full run;
/// fails when any run failed.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let filter = filter(args)?;
    let pairings: Vec<Pairing> = PAIRINGS
        .iter()
        .copied()
        .filter(|p| filter.pair.as_ref().is_none_or(|f| *f == p.pair_name()))
        .collect();
    let scenarios: Vec<&Scenario> = SCENARIOS
        .iter()
        .filter(|s| filter.scenario.as_ref().is_none_or(|f| f == s.name))
        .collect();
    let runs = scenarios
        .iter()
        .flat_map(|s| pairings.iter().map(|p| p.runs(s)))
        .sum::<u32>();
    if runs == 0 {
        return Err(format!("interop: nothing matches {filter:?}"));
    }
    let python = python();
    let needs = |k: Kind| pairings.iter().any(|p| p.subject == k || p.peer == k);
    if needs(Kind::Aiortc) {
        require_aiortc(&python)?;
    }
    for browser in [Kind::Chromium, Kind::Firefox] {
        if needs(browser) {
            browser::require(browser)?;
        }
    }
    let tacet_peer = if needs(Kind::Tacet) {
        Some(build_tacet_peer()?)
    } else {
        None
    };
    let programs = Programs {
        tacet_peer,
        python,
        aiortc_peer: root().join("tests/interop/aiortc_peer.py"),
        logs: root().join("target/interop"),
    };

    let started = Instant::now();
    let mut results = Vec::new();
    for scenario in &scenarios {
        for pairing in &pairings {
            let times = pairing.runs(scenario);
            for run in 1..=times {
                let mut name = format!(
                    "{}/{}/{}",
                    scenario.name,
                    pairing.pair_name(),
                    pairing.role.arg()
                );
                if times > 1 {
                    name.push_str(&format!("/{run}"));
                }
                eprintln!("==> interop {name}");
                let (verdict, took) = run_one(&programs, scenario, *pairing, &name)?;
                eprintln!(
                    "==> interop {name}: {} ({:.1} s){}",
                    if verdict.passed() { "pass" } else { "FAIL" },
                    took.as_secs_f32(),
                    verdict
                        .failures
                        .iter()
                        .map(|f| format!("\n      {f}"))
                        .collect::<String>()
                );
                results.push(report::Row {
                    scenario: **scenario,
                    pairing: *pairing,
                    run: (run, times),
                    verdict,
                    took,
                });
            }
        }
    }
    let doc = report::render(&results, AIORTC_VERSION);
    let full = filter.pair.is_none() && filter.scenario.is_none();
    if full {
        let path = root().join(DOC);
        std::fs::write(&path, &doc).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("xtask interop: wrote {}", path.display());
    } else {
        eprintln!("{doc}");
    }
    let failed = results.iter().filter(|r| !r.verdict.passed()).count();
    eprintln!(
        "interop: {} passed, {failed} failed in {:.0} s (logs in target/interop/)",
        results.len() - failed,
        started.elapsed().as_secs_f32()
    );
    if failed == 0 {
        Ok(())
    } else {
        Err(format!(
            "interop: {failed} of {} runs failed",
            results.len()
        ))
    }
}

/// The programs a run starts, and where it keeps their output.
struct Programs {
    tacet_peer: Option<PathBuf>,
    python: PathBuf,
    aiortc_peer: PathBuf,
    logs: PathBuf,
}

impl Programs {
    /// The command of a `kind` peer whose other side is `other`.
    fn command(&self, kind: Kind, other: Kind, role: &str, port: u16, script: &str) -> Command {
        let mut command = match kind {
            Kind::Tacet => Command::new(
                self.tacet_peer
                    .as_ref()
                    .expect("invariant: run() builds tacet-peer when a pairing has tacet"),
            ),
            Kind::Aiortc => {
                let mut c = Command::new(&self.python);
                c.arg(&self.aiortc_peer);
                c
            }
            Kind::Chromium | Kind::Firefox => browser::command(kind),
        };
        command.args([
            role,
            "--signaling-host",
            "127.0.0.1",
            "--signaling-port",
            &port.to_string(),
            "--send",
            "audio,video",
            "--datachannel",
            LABEL,
        ]);
        if kind.is_browser() {
            command.args(browser::runner_flags());
        } else {
            command.args(["--signaling", "tcp-socket", "--json"]);
        }
        if kind == Kind::Tacet && other.is_browser() {
            command.args(browser::tacet_flags());
        }
        if !script.is_empty() {
            command.args(["--script", script]);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }
}

/// A free loopback port for the offerer's signaling server (freed again right away; the
/// offerer binds it a moment later).
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("interop: no free loopback port: {e}"))
}

/// A started peer: its process and the threads collecting its output.
struct Running {
    child: Child,
    side: Arc<Mutex<Side>>,
    readers: Vec<thread::JoinHandle<()>>,
}

fn start(mut command: Command, t0: Instant, log: PathBuf) -> Result<Running, String> {
    let mut child = command
        .spawn()
        .map_err(|e| format!("interop: could not start {command:?}: {e}"))?;
    let side = Arc::new(Mutex::new(Side::default()));
    let stdout = child.stdout.take().expect("invariant: stdout is piped");
    let mut stderr = child.stderr.take().expect("invariant: stderr is piped");
    let lines = Arc::clone(&side);
    let out_reader = thread::spawn(move || {
        let mut raw = String::new();
        for text in BufReader::new(stdout).lines().map_while(Result::ok) {
            let at = t0.elapsed();
            raw.push_str(&format!("{:>7.3} {text}\n", at.as_secs_f64()));
            let mut side = lines
                .lock()
                .expect("invariant: no reader panics holding the lock");
            match serde_json::from_str::<Value>(&text) {
                Ok(event) if event.get("event").is_some_and(Value::is_string) => {
                    side.lines.push(Line { at, event });
                }
                _ => side.bad_lines.push(text),
            }
        }
        // The log is for people reading a failure; not being able to write it loses nothing
        // the verdict needs.
        let _ = std::fs::write(log.with_extension("jsonl"), raw);
    });
    let errs = Arc::clone(&side);
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        errs.lock()
            .expect("invariant: no reader panics holding the lock")
            .stderr = text;
    });
    Ok(Running {
        child,
        side,
        readers: vec![out_reader, err_reader],
    })
}

/// Waits for a peer until `deadline`, kills it then, and returns what it did.
fn finish(mut running: Running, deadline: Instant) -> Side {
    let exit = loop {
        match running.child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            _ => {
                // Our own child, by its handle; the run fails with "killed at the deadline".
                let _ = running.child.kill();
                let _ = running.child.wait();
                break None;
            }
        }
    };
    for reader in running.readers {
        let _ = reader.join();
    }
    let mut side = std::mem::take(
        &mut *running
            .side
            .lock()
            .expect("invariant: the readers have ended"),
    );
    side.exit = exit;
    side
}

/// One scenario between one pairing: the offerer first (it listens), then the answerer (it
/// retries until it can connect); both collected until they exit or the deadline passes.
fn run_one(
    programs: &Programs,
    scenario: &Scenario,
    pairing: Pairing,
    name: &str,
) -> Result<(Verdict, Duration), String> {
    let dir = programs.logs.join(name.replace('/', "-"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let port = free_port()?;
    let subject_role = pairing.role.arg();
    let peer_role = pairing.role.other().arg();
    let subject_cmd = programs.command(
        pairing.subject,
        pairing.peer,
        subject_role,
        port,
        scenario.subject_script,
    );
    let peer_cmd = programs.command(
        pairing.peer,
        pairing.subject,
        peer_role,
        port,
        scenario.peer_script,
    );
    let t0 = Instant::now();
    let mut started: BTreeMap<&str, Running> = BTreeMap::new();
    let order = if pairing.role == scenario::Role::Offer {
        [("subject", subject_cmd), ("peer", peer_cmd)]
    } else {
        [("peer", peer_cmd), ("subject", subject_cmd)]
    };
    for (who, command) in order {
        started.insert(who, start(command, t0, dir.join(who))?);
    }
    let deadline = t0
        + if pairing.peer.is_browser() {
            BROWSER_DEADLINE
        } else {
            DEADLINE
        };
    let subject = finish(
        started.remove("subject").expect("invariant: started above"),
        deadline,
    );
    let peer = finish(
        started.remove("peer").expect("invariant: started above"),
        deadline,
    );
    for (who, side) in [("subject", &subject), ("peer", &peer)] {
        let _ = std::fs::write(dir.join(format!("{who}.stderr")), &side.stderr);
    }
    Ok((
        verdict::judge(scenario, pairing, &subject, &peer),
        t0.elapsed(),
    ))
}
