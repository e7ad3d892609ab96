//! The story against headless Chromium and Firefox ESR (`--peer chromium|firefox`) end to end:
//! every expectation passes, each browser's stated differences included. The browser, node and
//! the npm driver must be installed (`bash .ci/run` installs them): without them the binary
//! names what is missing and fails, and so does this test — it never skips.

use std::process::{Command, Stdio};
use std::sync::Mutex;

use serde_json::Value;

/// One browser at a time: two stories at once on a 2-core CI machine would measure the
/// machine's load, not the story.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

#[test]
fn the_story_passes_against_chromium() {
    story_passes_against("chromium");
}

#[test]
fn the_story_passes_against_firefox() {
    story_passes_against("firefox");
}

fn story_passes_against(browser: &str) {
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let out = Command::new(env!("CARGO_BIN_EXE_tacet-demo"))
        .args(["--peer", browser, "--json"])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        out.status
    );
    let events: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let failed: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "expectation" && e["passed"] != true)
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    let said = |what: &str| {
        events.iter().any(|e| {
            e["event"] == "expectation"
                && e["expectation"].as_str().is_some_and(|x| x.contains(what))
        })
    };
    assert!(said(&format!("{browser}'s audio receiver track ended")));
    assert!(said(
        "every message delivered exactly once, in order, both ways"
    ));
    assert!(said(&format!("{browser} closed cleanly")));
    let summary = events
        .iter()
        .find(|e| e["event"] == "summary")
        .expect("a summary");
    assert_eq!(summary["passed"], true);
}
