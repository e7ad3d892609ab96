//! Judging one run from the two peers' event lines (the contract in `interop.rs`).

use std::time::Duration;

use serde_json::Value;

use super::scenario::{Action, Kind, Pairing, Scenario};

/// One event line, stamped with its arrival at the harness (one clock for both peers).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub(crate) at: Duration,
    pub(crate) event: Value,
}

/// What one peer process did.
#[derive(Clone, Debug, Default)]
pub(crate) struct Side {
    pub(crate) lines: Vec<Line>,
    /// Lines on stdout that are not JSON objects with an `event` (a contract breach).
    pub(crate) bad_lines: Vec<String>,
    /// The exit status; `None` when the harness killed it at the deadline.
    pub(crate) exit: Option<i32>,
    pub(crate) stderr: String,
}

fn str_of<'a>(event: &'a Value, key: &str) -> Option<&'a str> {
    event.get(key).and_then(Value::as_str)
}

fn num_of(event: &Value, key: &str) -> u64 {
    event.get(key).and_then(Value::as_u64).unwrap_or(0)
}

impl Side {
    fn events<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Line> + use<'a> {
        let name = name.to_owned();
        self.lines
            .iter()
            .filter(move |l| str_of(&l.event, "event") == Some(name.as_str()))
    }

    /// The first `name` event whose fields match `fields`, at or after `from`.
    fn first(&self, name: &str, fields: &[(&str, &str)], from: Duration) -> Option<&Line> {
        self.events(name)
            .find(|l| l.at >= from && fields.iter().all(|(k, v)| str_of(&l.event, k) == Some(*v)))
    }

    /// When the peer's connection first reached `connected`.
    fn connected_at(&self) -> Option<Duration> {
        self.first(
            "connection-state",
            &[("state", "connected")],
            Duration::ZERO,
        )
        .map(|l| l.at)
    }

    /// The start of the close: the first bye, sent or received.
    fn bye_at(&self) -> Option<Duration> {
        self.events("bye").map(|l| l.at).next()
    }

    /// The most frames received in one second within `[from, to)` on the tracks whose
    /// `field` (`kind` or `mid`) is `value` (the per-second `media` reports).
    fn frames_per_second(&self, field: &str, value: &str, from: Duration, to: Duration) -> u64 {
        self.events("media")
            .filter(|l| l.at >= from && l.at < to && str_of(&l.event, field) == Some(value))
            .map(|l| num_of(&l.event, "frames"))
            .max()
            .unwrap_or(0)
    }

    fn final_channel(&self) -> Option<&Value> {
        self.events("datachannel")
            .map(|l| &l.event)
            .find(|e| e.get("final").and_then(Value::as_bool) == Some(true))
    }

    /// Messages received by the last per-second data-channel report before `at`.
    fn received_before(&self, at: Duration) -> u64 {
        self.events("datachannel")
            .filter(|l| l.at < at)
            .map(|l| num_of(&l.event, "received"))
            .last()
            .unwrap_or(0)
    }

    fn warnings(&self) -> usize {
        self.events("warning").count()
    }

    /// The m-lines of a description.
    fn m_lines(sdp: &str) -> usize {
        sdp.lines().filter(|l| l.starts_with("m=")).count()
    }
}

/// The key counts of a run, for the matrix.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counts {
    /// From the subject's start to its `connected`.
    pub(crate) connect: Option<Duration>,
    /// Video frames per second each side received before the action (subject, peer).
    pub(crate) video_fps: (u64, u64),
    /// From the action's start to its remote outcome.
    pub(crate) outcome_after: Option<Duration>,
    /// Messages the subject sent / the peer received, and the other way.
    pub(crate) messages: (u64, u64, u64, u64),
    /// Warning events of the subject (deviations the tolerant policy forgave).
    pub(crate) warnings: usize,
}

/// The judgement of one
#[derive(Clone, Debug, Default)]
pub(crate) struct Verdict {
    pub(crate) failures: Vec<String>,
    /// The remote outcome in words (what the matrix shows beside pass/fail).
    pub(crate) outcome: String,
    pub(crate) counts: Counts,
}

impl Verdict {
    pub(crate) fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    fn check(&mut self, ok: bool, failure: impl FnOnce() -> String) {
        if !ok {
            self.failures.push(failure());
        }
    }
}

/// How long after a track ends or is muted one more per-second report may still count frames
/// of it (the report that was running when it ended).
const REPORT_SLACK: Duration = Duration::from_millis(1_500);

/// Judges a run: the common checks (clean exits, connection, media before the action, zero
/// loss and no duplicates both ways, data after the action), then the scenario's remote outcome.
pub(crate) fn judge(scenario: &Scenario, pairing: Pairing, subject: &Side, peer: &Side) -> Verdict {
    let mut v = Verdict::default();
    for (who, side) in [("subject", subject), ("peer", peer)] {
        v.check(side.exit == Some(0), || {
            format!(
                "{who} did not exit 0 ({}): {}",
                side.exit
                    .map_or("killed at the deadline".to_owned(), |c| format!(
                        "status {c}"
                    )),
                side.stderr.lines().last().unwrap_or("")
            )
        });
        v.check(side.bad_lines.is_empty(), || {
            format!(
                "{who} printed lines outside the contract: {:?}",
                side.bad_lines
            )
        });
        v.check(side.first("closed", &[], Duration::ZERO).is_some(), || {
            format!("{who} never reported `closed`")
        });
        v.check(side.connected_at().is_some(), || {
            format!("{who} never connected")
        });
        v.check(
            side.first("datachannel-open", &[], Duration::ZERO)
                .is_some(),
            || format!("{who}'s data channel never opened"),
        );
    }
    v.counts.connect = subject.connected_at();
    v.counts.warnings = subject.warnings();
    let end = subject.bye_at().unwrap_or(Duration::MAX);

    // The action's start: the subject's (or, for a peer stop, the peer's) first script step
    // other than the close; for Connect, the close.
    let (actor, actor_name) = match scenario.action {
        Action::PeerStopsVideo => (peer, "peer"),
        _ => (subject, "subject"),
    };
    let action_at = match scenario.action {
        Action::Connect => Some(end),
        _ => actor
            .events("script")
            .find(|l| {
                str_of(&l.event, "status") == Some("start")
                    && str_of(&l.event, "step") != Some("close")
            })
            .map(|l| l.at),
    };
    let Some(action_at) = action_at else {
        v.failures
            .push(format!("the {actor_name} never started its action"));
        return v;
    };

    // Media flowing before the action, both kinds, both ways.
    for kind in ["audio", "video"] {
        for (who, side) in [("subject", subject), ("peer", peer)] {
            let fps = side.frames_per_second("kind", kind, Duration::ZERO, action_at);
            if kind == "video" {
                if who == "subject" {
                    v.counts.video_fps.0 = fps;
                } else {
                    v.counts.video_fps.1 = fps;
                }
            }
            v.check(fps > 0, || {
                format!("{who} received no {kind} frames before the action")
            });
        }
    }

    // The data channel: zero loss and no duplicates both ways, and messages after the action.
    match (subject.final_channel(), peer.final_channel()) {
        (Some(s), Some(p)) => {
            v.counts.messages = (
                num_of(s, "sent"),
                num_of(p, "received"),
                num_of(p, "sent"),
                num_of(s, "received"),
            );
            for (who, mine, theirs, side) in [("subject", s, p, subject), ("peer", p, s, peer)] {
                let (sent, received) = (num_of(theirs, "sent"), num_of(mine, "received"));
                v.check(sent > 0, || format!("the {who}'s peer sent no messages"));
                v.check(received == sent, || {
                    format!("{who} received {received} of {sent} messages")
                });
                v.check(
                    num_of(mine, "gaps") == 0 && num_of(mine, "duplicates") == 0,
                    || {
                        format!(
                            "{who} saw {} missing and {} duplicated messages",
                            num_of(mine, "gaps"),
                            num_of(mine, "duplicates")
                        )
                    },
                );
                if scenario.action != Action::Connect {
                    v.check(received > side.received_before(action_at), || {
                        format!("{who} received no message after the action")
                    });
                }
            }
        }
        _ => v
            .failures
            .push("a side gave no final data-channel count".to_owned()),
    }

    let run = Run {
        pairing,
        subject,
        peer,
        action_at,
        end,
    };
    outcome(scenario, &run, &mut v);
    v
}

/// One run as the outcome checks see it: who, and the action's start and the close's.
struct Run<'a> {
    pairing: Pairing,
    subject: &'a Side,
    peer: &'a Side,
    action_at: Duration,
    end: Duration,
}

/// The scenario's remote outcome.
fn outcome(scenario: &Scenario, run: &Run<'_>, v: &mut Verdict) {
    let aiortc_peer = run.pairing.peer == Kind::Aiortc;
    let stopped: &[&str] = match scenario.action {
        Action::Connect => {
            v.outcome = "connected, closed".to_owned();
            return;
        }
        Action::Stop(kind) => match kind {
            "audio" => &["audio"],
            _ => &["video"],
        },
        Action::StopMedia => &["audio", "video"],
        Action::StopThenAddVideo => &["video"],
        Action::PeerStopsVideo => {
            peer_stop(run, v);
            return;
        }
    };

    // The subject stopped: the peer's receiving track ends before the close, and no more
    // frames of it arrive; the other kind keeps flowing both ways.
    let mut outcome_at = Duration::ZERO;
    for kind in stopped {
        match run
            .peer
            .first("track-ended", &[("kind", kind)], run.action_at)
        {
            Some(ended) if ended.at < run.end => {
                outcome_at = outcome_at.max(ended.at);
                let mid = str_of(&ended.event, "mid").unwrap_or_default();
                let after =
                    run.peer
                        .frames_per_second("mid", mid, ended.at + REPORT_SLACK, run.end);
                v.check(after == 0, || {
                    format!("the peer still received {after} {kind} frames/s after its track ended")
                });
            }
            _ => v.failures.push(format!(
                "the peer's {kind} track did not end before the close"
            )),
        }
    }
    v.counts.outcome_after = outcome_at.checked_sub(run.action_at);
    for kind in ["audio", "video"].iter().filter(|k| !stopped.contains(k)) {
        for (who, side) in [("subject", run.subject), ("peer", run.peer)] {
            v.check(
                side.frames_per_second("kind", kind, outcome_at, run.end) > 0,
                || format!("{who} received no {kind} frames after the stop"),
            );
        }
    }
    let done = run
        .subject
        .events("script")
        .find(|l| l.at >= run.action_at && str_of(&l.event, "status") == Some("done"));
    v.check(done.is_some(), || {
        "the subject's stop never completed".to_owned()
    });
    if aiortc_peer {
        // aiortc answers the port-0 m-line with a live port and keeps the mid in BUNDLE; the
        // tolerant policy forgives that with a warning (interop-findings §3).
        v.check(
            run.subject.first("warning", &[], run.action_at).is_some(),
            || "tacet forgave aiortc's answer to the port-0 m-line without a warning".to_owned(),
        );
    } else {
        v.check(run.subject.warnings() == 0, || {
            format!(
                "{} warnings against a spec-following peer",
                run.subject.warnings()
            )
        });
    }
    v.outcome = format!("peer's {} track ended", stopped.join(" and "));
    if scenario.action == Action::StopThenAddVideo {
        recycle(run, v);
    }
}

/// After the stop, `add video`: the offer reuses the stopped m-line (as many m-lines as the
/// first description) and the peer receives the new track, or the subject reports the peer's
/// refusal (a failed step) and the data channel lives on (checked by the common checks).
fn recycle(run: &Run<'_>, v: &mut Verdict) {
    let Some(add) = run.subject.first(
        "script",
        &[("step", "add video"), ("status", "start")],
        Duration::ZERO,
    ) else {
        v.failures
            .push("the subject never started `add video`".to_owned());
        return;
    };
    let first_lines = run
        .subject
        .events("sdp")
        .next()
        .and_then(|l| str_of(&l.event, "sdp"))
        .map(Side::m_lines);
    if run
        .subject
        .first(
            "script",
            &[("step", "add video"), ("status", "done")],
            add.at,
        )
        .is_some()
    {
        let offer = run
            .subject
            .first("sdp", &[("direction", "sent"), ("type", "offer")], add.at);
        let lines = offer
            .and_then(|l| str_of(&l.event, "sdp"))
            .map(Side::m_lines);
        v.check(lines.is_some() && lines == first_lines, || {
            format!("the offer after `add video` has {lines:?} m-lines, the first description {first_lines:?}: not recycled")
        });
        let track = run.peer.first("track", &[("kind", "video")], add.at);
        let flowing = track.is_some_and(|t| {
            let mid = str_of(&t.event, "mid").unwrap_or_default();
            run.peer.events("media").any(|l| {
                l.at > t.at
                    && l.at < run.end
                    && str_of(&l.event, "mid") == Some(mid)
                    && num_of(&l.event, "frames") > 0
            })
        });
        v.check(flowing, || {
            "the peer received no frames on the new video track".to_owned()
        });
        v.outcome.push_str("; video again on a recycled m-line");
    } else if let Some(failed) = run.subject.first(
        "script",
        &[("step", "add video"), ("status", "failed")],
        add.at,
    ) {
        v.check(run.pairing.peer == Kind::Aiortc, || {
            "a spec-following peer refused the recycled m-line".to_owned()
        });
        v.outcome.push_str(&format!(
            "; add video refused cleanly: {}",
            str_of(&failed.event, "error").unwrap_or("(no reason given)")
        ));
    } else {
        v.failures
            .push("`add video` neither completed nor failed".to_owned());
    }
}

/// The peer stopped its video transceiver. aiortc sends a BYE and changes no SDP: tacet reports
/// the remote sender stopped (its track muted, not ended). A tacet peer renegotiates with port
/// 0: the subject's track ends. An aiortc subject (control) ends its track on the BYE.
fn peer_stop(run: &Run<'_>, v: &mut Verdict) {
    let (event, expected) = match (run.pairing.subject, run.pairing.peer) {
        (Kind::Tacet, Kind::Aiortc) => ("track-muted", "muted"),
        _ => ("track-ended", "ended"),
    };
    match run
        .subject
        .first(event, &[("kind", "video")], run.action_at)
    {
        Some(seen) if seen.at < run.end => {
            v.counts.outcome_after = seen.at.checked_sub(run.action_at);
            let mid = str_of(&seen.event, "mid").unwrap_or_default();
            let after = run
                .subject
                .frames_per_second("mid", mid, seen.at + REPORT_SLACK, run.end);
            v.check(after == 0, || {
                format!("the subject still received {after} video frames/s after it was {expected}")
            });
            if expected == "muted" {
                let ended = run
                    .subject
                    .first("track-ended", &[("kind", "video")], run.action_at);
                v.check(ended.is_none_or(|e| e.at >= run.end), || {
                    "the subject's video track ended on a BYE (only muted is right)".to_owned()
                });
            }
        }
        _ => v.failures.push(format!(
            "the subject's video track was not {expected} before the close"
        )),
    }
    for (who, side) in [("subject", run.subject), ("peer", run.peer)] {
        let from = v
            .counts
            .outcome_after
            .map_or(run.action_at, |d| run.action_at + d);
        v.check(
            side.frames_per_second("kind", "audio", from, run.end) > 0,
            || format!("{who} received no audio frames after the peer's stop"),
        );
    }
    v.outcome = format!("subject's video track {expected}");
}
