//! The browser peers of issue 14: Debian's Chromium and Firefox ESR, each driven by
//! `tests/browser/run.mjs` (playwright-core for Chromium, puppeteer-core over WebDriver BiDi for
//! Firefox), which serves `tests/browser/page/` on 127.0.0.1 and speaks tacet-peer's signaling
//! and `--json` vocabulary (docs/browsers.md). What they need is checked before any run, and a
//! missing piece fails the suite naming it, as aiortc's absence does: never a skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::scenario::Kind;
use crate::root;

/// The pace of the numbered messages against a browser (issue 14: every 20 ms; the pages send
/// at this pace too, run.mjs's default).
pub(crate) const CHAT_INTERVAL_MS: &str = "20";

/// How long run.mjs waits for a clean close before it gives up (exit 1); under the harness's
/// own deadline so that its report, not a kill, tells what happened.
const RUNNER_TIMEOUT_S: &str = "50";

/// The runner.
fn runner() -> PathBuf {
    root().join("tests/browser/run.mjs")
}

/// The executable a browser is launched from (run.mjs launches exactly this one; it never
/// downloads a browser).
fn executable(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Chromium => Some("/usr/bin/chromium"),
        Kind::Firefox => Some("/usr/bin/firefox-esr"),
        Kind::Tacet | Kind::Aiortc => None,
    }
}

/// The npm package that drives a browser.
fn driver(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Chromium => Some("playwright-core"),
        Kind::Firefox => Some("puppeteer-core"),
        Kind::Tacet | Kind::Aiortc => None,
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Node, the browser's executable and its driver in the version `tests/browser/package.json`
/// pins must all be there (`bash .ci/run` installs them).
pub(crate) fn require(kind: Kind) -> Result<(), String> {
    let (Some(exe), Some(driver)) = (executable(kind), driver(kind)) else {
        return Ok(());
    };
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        return Err(
            "missing prerequisite: node (the browser peers run on Node 20; \
             `bash .ci/run` says how to install it)"
                .to_owned(),
        );
    }
    if !Path::new(exe).is_file() {
        return Err(format!(
            "missing prerequisite: {exe} (Debian's {} package; `bash .ci/run` installs it)",
            kind.name()
        ));
    }
    let browser_dir = root().join("tests/browser");
    let pinned = read_json(&browser_dir.join("package.json"))?
        .pointer(&format!("/dependencies/{driver}"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("tests/browser/package.json pins no version of {driver}"))?;
    let installed = browser_dir.join(format!("node_modules/{driver}/package.json"));
    match read_json(&installed).map(|p| p.get("version").and_then(Value::as_str).map(str::to_owned))
    {
        Ok(Some(version)) if version == pinned => Ok(()),
        Ok(found) => Err(format!(
            "missing prerequisite: {driver} {pinned} in tests/browser/node_modules (found {}; \
             `bash .ci/run` runs npm ci --prefix tests/browser)",
            found.as_deref().unwrap_or("no version")
        )),
        Err(_) => Err(format!(
            "missing prerequisite: {driver} {pinned} in tests/browser/node_modules (not \
             installed; `bash .ci/run` runs npm ci --prefix tests/browser)"
        )),
    }
}

/// `node tests/browser/run.mjs <browser>`: the caller adds the flags it shares with tacet-peer
/// (role, signaling address, `--send`, `--datachannel`, `--script`); the page sends audio and
/// video from the browser's fake devices.
pub(crate) fn command(kind: Kind) -> Command {
    let mut command = Command::new("node");
    command.arg(runner()).arg(kind.name());
    command
}

/// The runner's own flags: the pace of the numbered messages, and its give-up time.
pub(crate) fn runner_flags() -> [&'static str; 4] {
    [
        "--chat-interval",
        CHAT_INTERVAL_MS,
        "--timeout",
        RUNNER_TIMEOUT_S,
    ]
}

/// tacet-peer's extra flags against a browser: the browsers' pace of numbered messages, and a
/// lost channel reported (`datachannel_lost`) instead of ending the run, so that the verdict
/// sees everything else the run did (Firefox closes its channel by design when it stops its
/// BUNDLE tag, interop-findings §7; against Chromium a loss stays a failure, with its cause).
pub(crate) fn tacet_flags() -> [&'static str; 3] {
    ["--chat-interval", CHAT_INTERVAL_MS, "--report-channel-loss"]
}
