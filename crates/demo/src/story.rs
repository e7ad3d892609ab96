//! The story in the terminal: two tacet peers over loopback UDP (or tacet and a headless
//! browser with `--peer`), step by step, each step's expectations checked.
//!
//! - `script.rs`: the steps and their expectations (pure checks);
//! - `observe.rs`: what is observed (states, m-lines, rates, chat counts);
//! - `peers.rs`: a tacet peer, its media writers, its chat and its counters;
//! - `steps.rs`: the steps, played by a tacet peer against another (two tacet peers here);
//! - `browser.rs`: the story between tacet and a headless browser (`tests/browser/run.mjs`);
//! - `timeline.rs` / `json.rs`: the text timeline and the JSON events.

mod browser;
#[path = "../../rtc/src/bin/tacet-peer/chat.rs"]
#[allow(
    dead_code,
    reason = "tacet-peer's JSON report of a tally: the story reports its own"
)]
mod chat;
mod json;
mod observe;
mod peers;
mod script;
mod steps;
#[path = "../../rtc/src/bin/tacet-peer/synth.rs"]
#[allow(
    dead_code,
    reason = "tacet-peer's frame check is not used here: the story counts RTP"
)]
mod synth;
mod timeline;

use std::future::Future;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

use observe::{Negotiated, Snapshot};
use script::{Check, STEPS, Verdict};
use timeline::{Diff, Report, SdpDiff, Text};

/// The story's part of `--help`.
pub(crate) const HELP: &str = "\
USAGE (the story, the default):
    tacet-demo [--step] [--json] [--peer chromium|firefox]

    Two tacet peers over loopback UDP (127.0.0.1) with audio, video and a chat data channel:
    1 connect, 2 media flows, 3 stop video (not the BUNDLE tag), 4 stop audio (the BUNDLE
    tag: data-only), 5 keep chatting data-only, 6 add video again (an m-line is recycled),
    7 close. Every step checks what it expects; the exit status is 1 if any check failed.

    --step                 wait for Enter before each step (no waiting once stdin ends)
    --json                 one JSON object per line instead of the timeline
    --peer chromium|firefox
                           the other peer is a headless browser (tests/browser/run.mjs:
                           node, /usr/bin/chromium or /usr/bin/firefox-esr and the npm
                           drivers; `bash .ci/run` installs them)
";

/// The story's flags.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) step: bool,
    pub(crate) json: bool,
    pub(crate) peer: Option<browser::Browser>,
}

impl Options {
    /// Reads the flags; a bad one is the user's to fix.
    pub(crate) fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--step" => options.step = true,
                "--json" => options.json = true,
                "--peer" => {
                    let name = args.next().ok_or("--peer needs chromium or firefox")?;
                    options.peer = Some(browser::Browser::parse(name)?);
                }
                other => return Err(format!("unknown argument {other:?} (see --help)")),
            }
        }
        Ok(options)
    }
}

/// Waits for Enter before each step when asked (`--step`), reading stdin on a thread: a
/// blocking read cannot be cancelled. Once stdin ends, it waits no more.
struct Stepper {
    lines: Option<mpsc::Receiver<()>>,
}

impl Stepper {
    fn new(enabled: bool) -> Self {
        if !enabled {
            return Self { lines: None };
        }
        let (tx, lines) = mpsc::channel(1);
        std::thread::spawn(move || {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                line.clear();
                if tx.blocking_send(()).is_err() {
                    return;
                }
            }
        });
        Self { lines: Some(lines) }
    }

    async fn wait(&mut self, n: usize) {
        let Some(lines) = &mut self.lines else { return };
        let title = STEPS.get(n - 1).copied().unwrap_or("?");
        eprintln!("-- press Enter for [{n}/{}] {title}", STEPS.len());
        if lines.recv().await.is_none() {
            eprintln!("-- stdin ended: the story goes on without waiting");
            self.lines = None;
        }
    }
}

/// A run of the story: where it reports, what it checked so far.
pub(crate) struct Run {
    report: Box<dyn Report>,
    verdict: Verdict,
    stepper: Stepper,
    /// The last offer and answer shown (the next snapshot is diffed against them).
    shown: Negotiated,
    step: usize,
}

impl Run {
    fn new(options: &Options) -> Self {
        let report: Box<dyn Report> = if options.json {
            Box::new(json::Json::new())
        } else {
            Box::new(Text::new(std::io::stdout().is_terminal()))
        };
        Self {
            report,
            verdict: Verdict::default(),
            stepper: Stepper::new(options.step),
            shown: Negotiated::default(),
            step: 0,
        }
    }

    /// Step `n` begins (after Enter with `--step`).
    pub(crate) async fn step(&mut self, n: usize) {
        self.stepper.wait(n).await;
        self.step = n;
        self.report.step(n);
    }

    pub(crate) fn note(&mut self, text: &str) {
        self.report.note(text);
    }

    /// Records and shows an expectation's result.
    pub(crate) fn check(&mut self, check: Check) {
        self.report.check(&check);
        self.verdict.checks.push(check);
    }

    /// Records a check of the current step.
    pub(crate) fn expect(&mut self, what: &str, passed: bool, seen: String) {
        self.check(Check::new(self.step, what, passed, seen));
    }

    /// Shows where the story stands, the m-lines diffed against the last ones shown.
    pub(crate) fn snapshot(&mut self, snapshot: &Snapshot) {
        let diff = Diff {
            offer: SdpDiff::of(&self.shown.offer, &snapshot.negotiated.offer),
            answer: SdpDiff::of(&self.shown.answer, &snapshot.negotiated.answer),
        };
        self.report.snapshot(snapshot, &diff);
        self.shown = snapshot.negotiated.clone();
    }

    /// The current step.
    pub(crate) fn current(&self) -> usize {
        self.step
    }
}

/// Polls `condition` every 50 ms until it holds (`true`) or `within` has passed (`false`).
pub(crate) async fn until<F, Fut>(within: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if condition().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        sleep(Duration::from_millis(50)).await;
    }
}

/// Runs the story with the command line `args` (without the program name).
pub(crate) async fn main(args: Vec<String>) -> ExitCode {
    let options = match Options::parse(&args) {
        Ok(options) => options,
        Err(why) => {
            eprintln!("tacet-demo: {why}");
            return ExitCode::from(2);
        }
    };
    if let Some(browser) = options.peer {
        // Before anything starts: what is missing is named, never skipped.
        if let Err(missing) = browser::require(browser) {
            eprintln!("tacet-demo: {missing}");
            return ExitCode::FAILURE;
        }
    }
    let mut run = Run::new(&options);
    let played = match options.peer {
        None => steps::play(&mut run).await,
        Some(browser) => browser::play(&mut run, browser).await,
    };
    if let Err(why) = played {
        let step = run.current();
        run.check(Check::new(
            step,
            "the story plays to its end",
            false,
            why.clone(),
        ));
        eprintln!("tacet-demo: the story stopped at step {step}: {why}");
    }
    run.report.summary(&run.verdict);
    if run.verdict.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_parse_and_bad_ones_are_refused() {
        let o = Options::parse(&args(&["--json", "--step", "--peer", "firefox"])).expect("valid");
        assert!(o.json && o.step);
        assert_eq!(o.peer, Some(browser::Browser::Firefox));
        assert_eq!(Options::parse(&[]).expect("valid"), Options::default());
        assert!(Options::parse(&args(&["--peer"])).is_err());
        assert!(Options::parse(&args(&["--peer", "safari"])).is_err());
        assert!(Options::parse(&args(&["--fast"])).is_err());
    }
}
