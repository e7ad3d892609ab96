//! The story binary end to end between two tacet peers: `--json` events whose expectations all
//! pass with exit status 0, and the plain timeline of a piped run (with `--step` fed three
//! Enters, then end of input) with no escape code.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tacet-demo"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(input).expect("stdin takes the input");
    drop(stdin);
    child.wait_with_output().expect("the binary ends")
}

/// Runs the story, which must exit 0 and write no escape code (its stdout is a pipe here);
/// its stdout and stderr.
fn passing(args: &[&str], input: &[u8]) -> (String, String) {
    let out = run(args, input);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        !stdout.contains('\x1b'),
        "no escape codes when stdout is a pipe"
    );
    (stdout, stderr)
}

#[test]
fn every_expectation_passes_in_the_json_events() {
    let (stdout, _) = passing(&["--json"], b"");
    let events: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let of = |name: &str| -> Vec<&Value> { events.iter().filter(|e| e["event"] == name).collect() };
    let steps: Vec<u64> = of("step")
        .iter()
        .filter_map(|e| e["step"].as_u64())
        .collect();
    assert_eq!(steps, [1, 2, 3, 4, 5, 6, 7]);
    let expectations = of("expectation");
    assert!(
        expectations.len() > 30,
        "{} expectations",
        expectations.len()
    );
    for e in &expectations {
        assert_eq!(e["passed"], true, "{e}");
    }
    for name in ["state", "mlines", "rates", "chat", "note"] {
        assert!(!of(name).is_empty(), "no {name} event");
    }
    // The checks named in the issue are among them.
    let said = |what: &str| {
        expectations
            .iter()
            .any(|e| e["expectation"].as_str().is_some_and(|x| x.contains(what)))
    };
    for what in [
        "bob's video receiver track ended",
        "the video m-line (mid 1) has port 0 in offer and answer",
        "the BUNDLE group is [2] in offer and answer",
        "bob's mode is data-only",
        "no RTP at all arrives",
        "takes a rejected m-line's slot under a new mid",
        "every message delivered exactly once, in order, both ways",
    ] {
        assert!(said(what), "no expectation {what:?}");
    }
    let summary = of("summary");
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0]["passed"], true);
    assert_eq!(summary[0]["failed"], Value::Array(vec![]));
}

#[test]
fn a_piped_timeline_is_plain_and_step_goes_on_when_input_ends() {
    let (stdout, stderr) = passing(&["--step"], b"\n\n\n");
    for header in [
        "[1/7] connect (audio, video, chat)",
        "[3/7] stop video (not the BUNDLE tag)",
        "[4/7] stop audio (the BUNDLE tag)",
        "[7/7] close",
    ] {
        assert!(stdout.contains(header), "no {header:?}");
    }
    assert!(
        stdout.contains("BUNDLE [0 2] → [2]"),
        "the tag's move is shown\n{stdout}"
    );
    assert!(stdout.lines().filter(|l| l.starts_with("  rtp/s")).count() >= 10);
    assert!(stdout.contains("all ") && stdout.contains(" expectations held"));
    assert!(stderr.contains("press Enter for [2/7]"), "{stderr}");
    assert!(stderr.contains("stdin ended"), "{stderr}");
}

#[test]
fn a_bad_flag_is_refused_with_status_2() {
    let out = run(&["--peer", "safari"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chromium or firefox"));
}

#[test]
fn a_missing_browser_prerequisite_is_named_and_fails() {
    // Without node on PATH the browser story cannot run: it says so, it does not skip.
    let out = Command::new(env!("CARGO_BIN_EXE_tacet-demo"))
        .args(["--peer", "firefox"])
        .env("PATH", "/nonexistent")
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing prerequisite: node") && stderr.contains("bash .ci/run"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing was played");
}
