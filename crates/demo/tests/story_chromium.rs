//! The story against headless Chromium (`--peer chromium`) end to end: every expectation
//! passes, Chromium's stated differences included. Chromium, node and the npm driver must be
//! installed (`bash .ci/run` installs them): without them the binary names what is missing and
//! fails, and so does this test — it never skips.

use std::process::{Command, Stdio};

use serde_json::Value;

#[test]
fn the_story_passes_against_chromium() {
    let out = Command::new(env!("CARGO_BIN_EXE_tacet-demo"))
        .args(["--peer", "chromium", "--json"])
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
    assert!(said("chromium's audio receiver track ended"));
    assert!(said(
        "every message delivered exactly once, in order, both ways"
    ));
    assert!(said("chromium closed cleanly"));
    let summary = events
        .iter()
        .find(|e| e["event"] == "summary")
        .expect("a summary");
    assert_eq!(summary["passed"], true);
}
