//! `--peer chromium|firefox`: the same story with tacet offering and a headless browser
//! answering, driven by `tests/browser/run.mjs` (the issue-14 runner: it serves the test page
//! and bridges it to tacet's TCP signaling, aiortc's `TcpSocketSignaling`). The browser's side
//! is read from run.mjs's JSON event lines: its transceivers, its tracks ending, the RTP it
//! received each second, its chat tally.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tacet_rtc::{ChannelSignaling, PeerConnection, Role, Signaling, TcpSignaling, channel_pair};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use super::observe::{Chat, PeerState, Transceiver};
use super::peers::{Peer, Side};
use super::script;
use super::steps::{self, Differences};
use super::{Run, until};

/// A browser the story can play against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    pub(crate) fn parse(name: &str) -> Result<Self, String> {
        match name {
            "chromium" => Ok(Self::Chromium),
            "firefox" => Ok(Self::Firefox),
            other => Err(format!("--peer {other:?}: chromium or firefox")),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
        }
    }

    /// The executable run.mjs launches (it never downloads one).
    fn executable(self) -> &'static str {
        match self {
            Self::Chromium => "/usr/bin/chromium",
            Self::Firefox => "/usr/bin/firefox-esr",
        }
    }

    /// The npm package run.mjs drives it with.
    fn driver(self) -> &'static str {
        match self {
            Self::Chromium => "playwright-core",
            Self::Firefox => "puppeteer-core",
        }
    }

    /// What the browser does differently (docs/demo.md, "Against a browser").
    fn differences(self) -> Differences {
        Differences {
            has_mode: false,
            sends_back_added: false,
            answers_new_mid_before_tag: self == Self::Firefox,
            live_counts: false,
            association_may_restart: self == Self::Chromium,
        }
    }
}

/// `tests/browser/`, found from this crate's sources.
fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser")
}

/// Node, the browser and its driver must be there; what is missing is named with the way to
/// get it (the interop suite's own check, xtask/src/interop/browser.rs, is not in a library).
pub(crate) fn require(browser: Browser) -> Result<(), String> {
    let node = std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        return Err(
            "missing prerequisite: node (Node 20 runs tests/browser/run.mjs; \
             `bash .ci/run` says how to install it)"
                .to_owned(),
        );
    }
    let exe = browser.executable();
    if !Path::new(exe).is_file() {
        return Err(format!(
            "missing prerequisite: {exe} (Debian's {} package; `bash .ci/run` installs it)",
            browser.name()
        ));
    }
    let driver = browser.driver();
    let package = browser_dir().join(format!("node_modules/{driver}/package.json"));
    if !package.is_file() {
        return Err(format!(
            "missing prerequisite: {driver} in tests/browser/node_modules (`bash .ci/run` runs \
             npm ci --prefix tests/browser)"
        ));
    }
    if !browser_dir().join("run.mjs").is_file() {
        return Err(format!(
            "missing: {} (the browser runner of the source tree)",
            browser_dir().join("run.mjs").display()
        ));
    }
    Ok(())
}

/// What run.mjs reported of the browser's side so far.
#[derive(Debug, Default)]
struct Seen {
    signaling: String,
    transceivers: Vec<Transceiver>,
    ended: Vec<String>,
    /// RTP packets received per kind (the sum of its per-second reports).
    received: BTreeMap<String, u64>,
    chat: Option<Chat>,
    channel_open: bool,
    /// Its channel closed before the story's close.
    channel_lost: bool,
    version: Option<String>,
}

/// Reads one of run.mjs's event lines into `seen` (`name`: the browser's name).
fn on_line(seen: &mut Seen, name: &str, line: &str) {
    let Ok(event) = serde_json::from_str::<Value>(line) else {
        return;
    };
    let text = |key: &str| event.get(key).and_then(Value::as_str).map(str::to_owned);
    let count = |v: &Value, key: &str| v.get(key).and_then(Value::as_u64).unwrap_or(0);
    match text("event").as_deref() {
        Some("signaling_state") => {
            seen.signaling = text("state").unwrap_or_default();
            if let Some(list) = event.get("transceivers").and_then(Value::as_array) {
                seen.transceivers = list
                    .iter()
                    .map(|t| {
                        let field = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
                        let current = field("direction");
                        Transceiver {
                            kind: field("kind").unwrap_or_default(),
                            mid: field("mid"),
                            direction: "-".to_owned(),
                            phase: if current.as_deref() == Some("stopped") {
                                "stopped".to_owned()
                            } else {
                                "active".to_owned()
                            },
                            current,
                        }
                    })
                    .collect();
            }
        }
        Some("track_ended") => seen.ended.push(text("kind").unwrap_or_default()),
        Some("media") if text("direction").as_deref() == Some("received") => {
            *seen
                .received
                .entry(text("kind").unwrap_or_default())
                .or_insert(0) += count(&event, "packets");
        }
        Some("datachannel_open") => seen.channel_open = true,
        Some("datachannel_closed") => {
            seen.channel_lost |= event.get("while_closing") == Some(&Value::Bool(false));
        }
        Some("datachannel") => {
            let from = event.get("from_peer").cloned().unwrap_or_default();
            let echoes = event.get("echoes").cloned().unwrap_or_default();
            seen.chat = Some(Chat {
                peer: name.to_owned(),
                sent: count(&event, "sent"),
                received: count(&from, "received"),
                lost: count(&from, "lost"),
                duplicates: count(&from, "duplicates"),
                out_of_order: count(&from, "out_of_order"),
                other: count(&event, "other") + count(&echoes, "received"),
                end: from.get("end").and_then(Value::as_u64),
                complete: from.get("complete") == Some(&Value::Bool(true)),
                max_gap_ms: from.get("max_gap_ms").and_then(Value::as_u64),
                send_failures: 0,
            });
        }
        Some("browser") => seen.version = text("version"),
        _ => {}
    }
}

/// The browser as the story's other peer.
#[derive(Debug)]
struct BrowserPeer {
    name: &'static str,
    seen: Arc<Mutex<Seen>>,
}

impl BrowserPeer {
    fn seen(&self) -> MutexGuard<'_, Seen> {
        // The reader task cannot panic holding the lock; its counts are the best we have.
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Peer for BrowserPeer {
    fn name(&self) -> &str {
        self.name
    }

    async fn received(&self) -> BTreeMap<String, u64> {
        self.seen().received.clone()
    }

    async fn peer_state(&self) -> PeerState {
        let seen = self.seen();
        PeerState {
            name: self.name.to_owned(),
            signaling: seen.signaling.clone(),
            mode: "-".to_owned(),
            transceivers: seen.transceivers.clone(),
        }
    }

    fn ended(&self) -> Vec<String> {
        self.seen().ended.clone()
    }

    fn chat_counts(&self) -> Chat {
        self.seen().chat.clone().unwrap_or_else(|| Chat {
            peer: self.name.to_owned(),
            ..Chat::default()
        })
    }

    fn chat_open(&self) -> bool {
        self.seen().channel_open
    }

    fn peer_end_came(&self) -> bool {
        self.seen().chat.as_ref().is_some_and(|c| c.end.is_some())
    }
}

/// Carries signaling between tacet's connection and the TCP line to run.mjs, and says `bye`
/// when asked (the connection owns its end of the channel; the goodbye is the story's).
async fn relay(mut tcp: TcpSignaling, mut pc: ChannelSignaling, mut bye: mpsc::Receiver<()>) {
    loop {
        tokio::select! {
            message = tcp.recv() => match message {
                Some(message) => if pc.send(message).await.is_err() { return },
                None => return,
            },
            message = pc.recv() => match message {
                Some(message) => if tcp.send(message).await.is_err() { return },
                None => return,
            },
            Some(()) = bye.recv() => {
                if let Err(e) = tcp.bye().await {
                    eprintln!("tacet-demo: signaling: bye: {e}");
                }
            }
        }
    }
}

/// A free TCP port on 127.0.0.1 for the signaling (the runner connects, retrying).
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("local: no free TCP port on 127.0.0.1: {e}"))
}

/// Launches run.mjs as the answerer; its stdout lines go to `seen`.
fn launch(browser: Browser, port: u16, seen: &Arc<Mutex<Seen>>) -> Result<Child, String> {
    let mut child = Command::new("node")
        .arg(browser_dir().join("run.mjs"))
        .arg(browser.name())
        .arg("answer")
        .args(["--signaling-port", &port.to_string()])
        .args([
            "--send",
            "audio,video",
            "--datachannel",
            super::peers::LABEL,
        ])
        .args(["--chat-interval", "25", "--timeout", "90"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start node tests/browser/run.mjs: {e}"))?;
    if let Some(stdout) = child.stdout.take() {
        let seen = Arc::clone(seen);
        let name = browser.name();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                on_line(
                    &mut seen.lock().unwrap_or_else(|e| e.into_inner()),
                    name,
                    &line,
                );
            }
        });
    }
    if let Some(stderr) = child.stderr.take() {
        // The runner's warnings (the page's console among them) go to our stderr, marked.
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("  [run.mjs] {line}");
            }
        });
    }
    Ok(child)
}

/// Plays the story against `browser`.
pub(crate) async fn play(run: &mut Run, browser: Browser) -> Result<(), String> {
    let port = free_port()?;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let listening = tokio::spawn(TcpSignaling::listen(addr));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut child = launch(browser, port, &seen)?;
    let tcp = tokio::time::timeout(Duration::from_secs(30), listening)
        .await
        .map_err(|_| format!("{}: run.mjs did not connect within 30 s", browser.name()))?
        .map_err(|e| format!("local: the signaling listener: {e}"))?
        .map_err(|e| format!("signaling: tcp {addr}: {e}"))?;
    let (pc_end, relay_end) = channel_pair();
    let (bye, byes) = mpsc::channel(1);
    tokio::spawn(relay(tcp, relay_end, byes));
    let pc = PeerConnection::with_signaling(steps::config()?, pc_end, Role::Impolite)
        .map_err(|e| format!("local: tacet: {e}"))?;
    let tacet = Side::spawn("tacet", pc, false);
    let other = BrowserPeer {
        name: browser.name(),
        seen: Arc::clone(&seen),
    };
    steps::play_to_close(run, &tacet, &other, browser.differences()).await?;
    if let Some(version) = other.seen().version.clone() {
        run.note(&format!("{} {version}", browser.name()));
    }

    // 7. Close: tacet sends its end and says bye; the page sends its end once tacet's came,
    // waits for tacet to close, reports its final counts and exits.
    run.step(7).await;
    run.note(&format!(
        "tacet sends its end and says bye; {} sends its end, tacet closes, the browser exits",
        browser.name()
    ));
    tacet.end_chat();
    until(Duration::from_secs(2), || async { tacet.end_sent() }).await;
    let _ = bye.send(()).await;
    let ends = until(Duration::from_secs(5), || async { tacet.peer_end_came() }).await;
    run.expect(
        &format!("{}'s end of the chat arrived", browser.name()),
        ends,
        String::new(),
    );
    tacet
        .pc
        .close()
        .await
        .map_err(|e| format!("tacet: close: {e}"))?;
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait()).await;
    let exited = match status {
        Ok(Ok(status)) => status.code(),
        _ => None,
    };
    run.expect(
        &format!("{} closed cleanly (run.mjs exit 0)", browser.name()),
        exited == Some(0),
        format!("exit {exited:?}"),
    );
    let lost = other.seen().channel_lost;
    run.expect(
        &format!("{}'s channel stayed open until the close", browser.name()),
        !lost,
        String::new(),
    );
    let chats = [tacet.chat_counts(), other.chat_counts()];
    run.report.chat(&chats);
    run.check(script::chat_complete(7, &chats));
    let s = steps::snapshot(&tacet, &other).await;
    run.snapshot(&s);
    run.check(script::mode(7, &s, "tacet", "closed"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runners_events_are_read() {
        let mut seen = Seen::default();
        for line in [
            r#"{"event":"signaling_state","state":"stable","transceivers":[{"mid":"0","kind":"audio","direction":"sendrecv"}]}"#,
            r#"{"event":"media","direction":"received","kind":"audio","packets":50}"#,
            r#"{"event":"media","direction":"received","kind":"audio","packets":49}"#,
            r#"{"event":"media","direction":"sent","kind":"audio","packets":50}"#,
            r#"{"event":"track_ended","kind":"video","mid":"1"}"#,
            r#"{"event":"datachannel","sent":7,"other":0,"from_peer":{"received":5,"lost":0,"duplicates":1,"out_of_order":0,"end":5,"complete":false,"max_gap_ms":40},"echoes":{"received":0}}"#,
            r#"{"event":"datachannel_closed","while_closing":false}"#,
            "not json",
        ] {
            on_line(&mut seen, "chromium", line);
        }
        assert_eq!(seen.signaling, "stable");
        assert_eq!(seen.transceivers[0].current.as_deref(), Some("sendrecv"));
        assert_eq!(seen.received.get("audio"), Some(&99), "received only");
        assert_eq!(seen.ended, ["video"]);
        let chat = seen.chat.expect("a tally");
        assert_eq!((chat.sent, chat.received, chat.duplicates), (7, 5, 1));
        assert!(!chat.clean(), "a duplicate");
        assert!(seen.channel_lost);
    }
}
