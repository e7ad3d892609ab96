//! The timeline in the terminal: each step's header, what changed (both peers' states, the
//! m-lines of the new offer and answer as a diff against the previous ones), RTP packets per
//! second as small bars, the chat tally, and each expectation passed or failed.
//!
//! On a TTY the rate line is redrawn in place (ANSI) and marks are coloured; otherwise every
//! line is printed once, with no escape code, so that a captured run reads well in a file.

use std::io::Write;

use super::observe::{Chat, MLine, RateSample, Sdp, Snapshot};
use super::script::{Check, STEPS, Verdict};

/// What the story reports as it goes; the text timeline and the JSON events implement it.
pub(crate) trait Report {
    /// Step `n` (1-based) begins.
    fn step(&mut self, n: usize);
    /// What the story is doing now.
    fn note(&mut self, text: &str);
    /// Where the story stands after the step's change, and how the m-lines changed.
    fn snapshot(&mut self, snapshot: &Snapshot, diff: &Diff);
    /// One second of media.
    fn rates(&mut self, sample: &RateSample);
    /// Both sides' chat counts.
    fn chat(&mut self, chats: &[Chat]);
    /// An expectation's result.
    fn check(&mut self, check: &Check);
    /// The end: how many held, which failed.
    fn summary(&mut self, verdict: &Verdict);
}

/// Writes whole lines to stdout; a closed pipe loses the line, it does not end the story.
pub(crate) fn write_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// How one m-line changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Added(MLine),
    Changed { before: MLine, after: MLine },
    Removed(MLine),
}

impl Change {
    /// `+ m=2 application mid=2 port=9 (data)`, `~ m=1 video mid=1: port 9→0, ...`.
    pub(crate) fn show(&self) -> String {
        match self {
            Self::Added(m) => format!("+ m={} {}", m.index, m.show()),
            Self::Removed(m) => format!("- m={} {}", m.index, m.show()),
            Self::Changed { before, after } => {
                let mut what = Vec::new();
                if before.kind != after.kind {
                    what.push(format!("{}→{}", before.kind, after.kind));
                }
                if before.mid != after.mid {
                    what.push(format!(
                        "mid {}→{}",
                        before.mid.as_deref().unwrap_or("-"),
                        after.mid.as_deref().unwrap_or("-")
                    ));
                }
                if before.port != after.port {
                    what.push(format!("port {}→{}", before.port, after.port));
                }
                if before.direction != after.direction {
                    what.push(format!("{}→{}", before.direction, after.direction));
                }
                format!("~ m={} {}: {}", after.index, before.show(), what.join(", "))
            }
        }
    }
}

/// How one description differs from the previous one of its kind (offer or answer).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SdpDiff {
    pub(crate) changes: Vec<Change>,
    /// The BUNDLE group before and after, when it changed.
    pub(crate) bundle: Option<(Vec<String>, Vec<String>)>,
}

impl SdpDiff {
    /// Compares m-lines slot by slot (an m-line keeps its index for the session's life).
    pub(crate) fn of(before: &Sdp, after: &Sdp) -> Self {
        let mut changes = Vec::new();
        for index in 0..before.mlines.len().max(after.mlines.len()) {
            match (before.mlines.get(index), after.mlines.get(index)) {
                (None, Some(new)) => changes.push(Change::Added(new.clone())),
                (Some(old), None) => changes.push(Change::Removed(old.clone())),
                (Some(old), Some(new)) if old != new => changes.push(Change::Changed {
                    before: old.clone(),
                    after: new.clone(),
                }),
                _ => {}
            }
        }
        let bundle =
            (before.bundle != after.bundle).then(|| (before.bundle.clone(), after.bundle.clone()));
        Self { changes, bundle }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.bundle.is_none()
    }
}

/// The offer's and the answer's diffs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Diff {
    pub(crate) offer: SdpDiff,
    pub(crate) answer: SdpDiff,
}

/// A bar of `packets` at one block per `per_block` packets, at most `width` blocks, padded to
/// `width`; `·` for none.
pub(crate) fn bar(packets: u64, per_block: u64, width: usize) -> String {
    let blocks = if packets == 0 {
        0
    } else {
        usize::try_from(packets.div_ceil(per_block.max(1)))
            .unwrap_or(width)
            .min(width)
    };
    let mut bar = if blocks == 0 {
        "·".to_owned()
    } else {
        "█".repeat(blocks)
    };
    let shown = blocks.max(1);
    bar.push_str(&" ".repeat(width.saturating_sub(shown)));
    bar
}

/// The RTP rate line: per direction, per kind, packets in the last second and a bar.
pub(crate) fn rate_line(sample: &RateSample) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut directions: Vec<(&str, &str)> = Vec::new();
    for f in &sample.flows {
        if !directions.contains(&(f.from.as_str(), f.to.as_str())) {
            directions.push((&f.from, &f.to));
        }
    }
    for (from, to) in directions {
        let kinds: Vec<String> = sample
            .flows
            .iter()
            .filter(|f| f.from == from && f.to == to)
            .map(|f| format!("{} {:>3} {}", f.kind, f.packets, bar(f.packets, 10, 10)))
            .collect();
        parts.push(format!("{from}→{to}: {}", kinds.join(" ")));
    }
    format!("  rtp/s {:>4.1}s  {}", sample.at, parts.join("  "))
        .trim_end()
        .to_owned()
}

/// The chat line: per direction, received of sent, and the faults.
pub(crate) fn chat_line(chats: &[Chat]) -> String {
    let parts: Vec<String> = chats
        .iter()
        .map(|c| {
            let from = chats.iter().find(|o| o.peer != c.peer);
            format!(
                "{}→{} {}/{}",
                from.map_or("?", |o| o.peer.as_str()),
                c.peer,
                c.received,
                from.map_or(0, |o| o.sent)
            )
        })
        .collect();
    let faults: u64 = chats
        .iter()
        .map(|c| c.lost + c.duplicates + c.out_of_order + c.other + c.send_failures)
        .sum();
    let gap = chats.iter().filter_map(|c| c.max_gap_ms).max();
    format!(
        "  chat   {}  (lost/dup/reordered: {faults}, longest silence {} ms)",
        parts.join("  "),
        gap.map_or_else(|| "-".to_owned(), |g| g.to_string())
    )
}

/// The text timeline.
#[derive(Debug)]
pub(crate) struct Text {
    /// Redraw the rate line in place, colour the marks.
    tty: bool,
    /// A rate line is on screen without its newline.
    live: bool,
    /// The step under way, for the live line's progress mark.
    step: usize,
}

impl Text {
    pub(crate) fn new(tty: bool) -> Self {
        Self {
            tty,
            live: false,
            step: 0,
        }
    }

    fn line(&mut self, line: &str) {
        if self.live {
            // Keep the last rate line, below it the next one.
            write_line("");
            self.live = false;
        }
        write_line(line);
    }

    fn mark(&self, passed: bool) -> &'static str {
        match (self.tty, passed) {
            (true, true) => "\x1b[32m✓ pass\x1b[0m",
            (true, false) => "\x1b[31m✗ FAIL\x1b[0m",
            (false, true) => "✓ pass",
            (false, false) => "✗ FAIL",
        }
    }
}

impl Report for Text {
    fn step(&mut self, n: usize) {
        self.step = n;
        let title = STEPS.get(n - 1).copied().unwrap_or("?");
        let header = format!("[{n}/{}] {title}", STEPS.len());
        self.line("");
        if self.tty {
            self.line(&format!("\x1b[1m{header}\x1b[0m"));
        } else {
            self.line(&header);
        }
    }

    fn note(&mut self, text: &str) {
        self.line(&format!("  · {text}"));
    }

    fn snapshot(&mut self, snapshot: &Snapshot, diff: &Diff) {
        for peer in &snapshot.peers {
            let transceivers: Vec<String> = peer
                .transceivers
                .iter()
                .map(|t| {
                    format!(
                        "{}({}) {}/{} {}",
                        t.kind,
                        t.mid.as_deref().unwrap_or("-"),
                        t.direction,
                        t.current.as_deref().unwrap_or("-"),
                        t.phase
                    )
                })
                .collect();
            self.line(&format!(
                "  {:<6} {} · {} (session {}) · {}",
                peer.name,
                peer.signaling,
                peer.media(),
                peer.mode,
                if transceivers.is_empty() {
                    "no transceivers".to_owned()
                } else {
                    transceivers.join(" · ")
                }
            ));
        }
        if !snapshot.negotiated.offerer.is_empty() {
            self.line(&format!(
                "  m-lines of the last offer (by {}) and answer, against the last shown:",
                snapshot.negotiated.offerer
            ));
        }
        for (name, d) in [("offer", &diff.offer), ("answer", &diff.answer)] {
            if d.is_empty() {
                self.line(&format!("  {name:<6} m-lines unchanged"));
                continue;
            }
            for change in &d.changes {
                self.line(&format!("  {name:<6} {}", change.show()));
            }
            if let Some((before, after)) = &d.bundle {
                self.line(&format!(
                    "  {name:<6} BUNDLE [{}] → [{}]",
                    before.join(" "),
                    after.join(" ")
                ));
            }
        }
    }

    fn rates(&mut self, sample: &RateSample) {
        let line = rate_line(sample);
        if self.tty {
            let mut out = std::io::stdout().lock();
            // The progress mark leads the live line: where the story is while it measures.
            let _ = write!(
                out,
                "\r\x1b[2K\x1b[1m[{}/{}]\x1b[0m {}",
                self.step,
                STEPS.len(),
                line.trim_start()
            );
            let _ = out.flush();
            self.live = true;
        } else {
            self.line(&line);
        }
    }

    fn chat(&mut self, chats: &[Chat]) {
        self.line(&chat_line(chats));
    }

    fn check(&mut self, check: &Check) {
        let line = format!(
            "  {} {} — {}",
            self.mark(check.passed),
            check.what,
            check.seen
        );
        self.line(&line);
    }

    fn summary(&mut self, verdict: &Verdict) {
        let failed = verdict.failed();
        self.line("");
        if failed.is_empty() {
            self.line(&format!(
                "{} all {} expectations held",
                self.mark(true),
                verdict.checks.len()
            ));
        } else {
            self.line(&format!(
                "{} {} of {} expectations failed:",
                self.mark(false),
                failed.len(),
                verdict.checks.len()
            ));
            for c in failed {
                self.line(&format!("  step {}: {} — {}", c.step, c.what, c.seen));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::observe::Flow;
    use super::*;

    fn mline(index: usize, kind: &str, port: u16, mid: &str, direction: &str) -> MLine {
        MLine {
            index,
            kind: kind.into(),
            port,
            mid: Some(mid.into()),
            direction: direction.into(),
        }
    }

    #[test]
    fn the_diff_shows_only_what_changed() {
        let before = Sdp {
            mlines: vec![
                mline(0, "audio", 9, "0", "sendrecv"),
                mline(1, "video", 9, "1", "sendrecv"),
                mline(2, "application", 9, "2", "sendrecv"),
            ],
            bundle: vec!["0".into(), "1".into(), "2".into()],
        };
        let mut after = before.clone();
        after.mlines[1].port = 0;
        after.mlines[1].direction = "inactive".into();
        after.bundle = vec!["0".into(), "2".into()];
        let diff = SdpDiff::of(&before, &after);
        assert_eq!(diff.changes.len(), 1);
        assert_eq!(
            diff.changes[0].show(),
            "~ m=1 video mid=1 port=9 sendrecv: port 9→0, sendrecv→inactive"
        );
        assert_eq!(
            diff.bundle,
            Some((before.bundle.clone(), vec!["0".into(), "2".into()]))
        );
        assert!(SdpDiff::of(&after, &after).is_empty());

        let first = SdpDiff::of(&Sdp::default(), &before);
        assert_eq!(first.changes.len(), 3, "every m-line is new");
        assert_eq!(
            first.changes[2].show(),
            "+ m=2 application mid=2 port=9 (data)"
        );

        let mut recycled = after.clone();
        recycled.mlines[0] = mline(0, "video", 9, "3", "sendrecv");
        let d = SdpDiff::of(&after, &recycled);
        assert_eq!(
            d.changes[0].show(),
            "~ m=0 audio mid=0 port=9 sendrecv: audio→video, mid 0→3"
        );
    }

    #[test]
    fn the_bar_grows_with_packets_and_stays_in_its_width() {
        assert_eq!(bar(0, 10, 5), "·    ");
        assert_eq!(bar(1, 10, 5), "█    ");
        assert_eq!(bar(50, 10, 5), "█████");
        assert_eq!(bar(5_000, 10, 5), "█████", "capped");
        assert_eq!(bar(21, 10, 5).chars().filter(|c| *c == '█').count(), 3);
        for n in [0, 3, 40, 99, 1_000] {
            assert_eq!(bar(n, 10, 10).chars().count(), 10);
        }
    }

    #[test]
    fn the_rate_line_has_no_escape_codes() {
        let sample = RateSample {
            at: 1.0,
            flows: vec![Flow {
                from: "alice".into(),
                to: "bob".into(),
                kind: "audio".into(),
                packets: 50,
            }],
        };
        let line = rate_line(&sample);
        assert!(line.contains("alice→bob: audio  50 █████"), "{line}");
        assert!(!line.contains('\x1b'));
    }
}
