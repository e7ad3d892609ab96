//! Judging one run from the two peers' event lines (tacet-peer's vocabulary, the contract in
//! `interop.rs`).

use std::time::Duration;

use serde_json::Value;

use super::scenario::{Action, Kind, Pairing, Scenario};

mod browser;

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

pub(super) fn str_of<'a>(event: &'a Value, key: &str) -> Option<&'a str> {
    event.get(key).and_then(Value::as_str)
}

pub(super) fn num_of(event: &Value, key: &str) -> u64 {
    event.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// A count of the `from_peer` stream of a `datachannel` report.
pub(super) fn from_peer(event: &Value, key: &str) -> u64 {
    event.get("from_peer").map_or(0, |s| num_of(s, key))
}

/// Whether an `action` report says it succeeded.
pub(super) fn ok(event: &Value) -> bool {
    event.get("ok").and_then(Value::as_bool) == Some(true)
}

/// When an action started: its report's arrival less the `took` it reports.
pub(super) fn action_start(line: &Line) -> Duration {
    let took = line
        .event
        .get("took")
        .and_then(Value::as_f64)
        .filter(|t| t.is_finite() && *t >= 0.0)
        .map_or(Duration::ZERO, Duration::from_secs_f64);
    line.at.saturating_sub(took)
}

impl Side {
    pub(super) fn events<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Line> + use<'a> {
        let name = name.to_owned();
        self.lines
            .iter()
            .filter(move |l| str_of(&l.event, "event") == Some(name.as_str()))
    }

    /// The first `name` event whose fields match `fields`, at or after `from`.
    pub(super) fn first(
        &self,
        name: &str,
        fields: &[(&str, &str)],
        from: Duration,
    ) -> Option<&Line> {
        self.events(name)
            .find(|l| l.at >= from && fields.iter().all(|(k, v)| str_of(&l.event, k) == Some(*v)))
    }

    /// When the peer's connection first reached `connected`.
    fn connected_at(&self) -> Option<Duration> {
        self.first(
            "connection_state",
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
    /// `field` (`kind` or `mid`) is `value` (the per-second `media` reports of received
    /// tracks; the final report at the close is not a second's count).
    pub(super) fn frames_per_second(
        &self,
        field: &str,
        value: &str,
        from: Duration,
        to: Duration,
    ) -> u64 {
        self.events("media")
            .filter(|l| {
                l.at >= from
                    && l.at < to
                    && str_of(&l.event, "direction") == Some("received")
                    && l.event.get("final").and_then(Value::as_bool) != Some(true)
                    && str_of(&l.event, field) == Some(value)
            })
            .map(|l| num_of(&l.event, "frames"))
            .max()
            .unwrap_or(0)
    }

    pub(super) fn final_channel(&self) -> Option<&Value> {
        self.events("datachannel")
            .map(|l| &l.event)
            .find(|e| e.get("final").and_then(Value::as_bool) == Some(true))
    }

    /// The peer's messages received by the last per-second data-channel report before `at`.
    pub(super) fn received_before(&self, at: Duration) -> u64 {
        self.events("datachannel")
            .filter(|l| l.at < at)
            .map(|l| from_peer(&l.event, "received"))
            .last()
            .unwrap_or(0)
    }

    /// The scripted action `name`'s report, at or after `from`.
    pub(super) fn action(&self, name: &str, from: Duration) -> Option<&Line> {
        self.first("action", &[("action", name)], from)
    }

    /// When the first scripted action other than `close` started: its report's arrival less
    /// the `took` it reports (the peer reports an action once it is done).
    fn first_action_start(&self) -> Option<Duration> {
        self.events("action").next().map(action_start)
    }

    pub(super) fn warnings(&self) -> usize {
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
    /// From the first answer leaving the answerer to the subject's `connected`.
    pub(crate) connect: Option<Duration>,
    /// The action's renegotiation: from the acting side's first offer after the action's
    /// start to that side's next `stable` (the answer applied).
    pub(crate) renegotiation: Option<Duration>,
    /// The longest time between two new numbered messages arriving, in ms: subject→peer (as
    /// the peer saw it), peer→subject (as the subject saw it).
    pub(crate) max_gap_ms: (Option<u64>, Option<u64>),
    /// The browser's version, when the peer is one.
    pub(crate) peer_version: Option<String>,
    /// How long a browser page held its sends while its SCTP transport was not connected (the
    /// Chromium workaround of docs/browsers.md), when it did.
    pub(crate) held_ms: Option<u64>,
    /// The data channel's closure before the close, accepted (the one case issue 14 allows).
    pub(crate) closure: Option<String>,
    /// Messages Chromium dropped while its own tag move was pending (scenario 3; a Chromium
    /// defect tacet cannot see, docs/browsers.md), when it did.
    pub(crate) browser_drops: Option<String>,
    /// Video frames per second each side received before the action (subject, peer).
    pub(crate) video_fps: (u64, u64),
    /// From the action's start to its remote outcome.
    pub(crate) outcome_after: Option<Duration>,
    /// Messages the subject sent / the peer received, and the other way.
    pub(crate) messages: (u64, u64, u64, u64),
    /// Warning events of the subject (deviations the tolerant policy forgave).
    pub(crate) warnings: usize,
}

/// The judgement of one run.
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

    pub(super) fn check(&mut self, ok: bool, failure: impl FnOnce() -> String) {
        if !ok {
            self.failures.push(failure());
        }
    }
}

/// The rule of the warning tacet gives when a live port answers its port-0 m-line.
const PORT_ZERO_RULE: &str = "RFC 3264 §8.2";

/// How much earlier than its report says an action may have begun (see [`outcome`]).
const ACTION_REPORT_SLACK: Duration = Duration::from_millis(50);

/// How long after a track ends or is muted one more per-second report may still count frames
/// of it (the report that was running when it ended).
const REPORT_SLACK: Duration = Duration::from_millis(1_500);

/// The exit status a side must end with: 0, or 3 (closed cleanly after a failed scripted
/// action) for a subject whose `add video` the peer refused in the recycle scenario — whether
/// that refusal is acceptable is [`recycle`]'s judgement — and for a side whose glare stop the
/// other side's came before ([`browser::glare`] judges it).
fn expected_exit(scenario: &Scenario, side: &Side, subject: bool) -> i32 {
    let refused = side
        .action("add video", Duration::ZERO)
        .is_some_and(|l| !ok(&l.event));
    if (subject && scenario.action == Action::StopThenAddVideo && refused)
        || (scenario.action == Action::BothStopVideo && browser::glare_stop_preempted(side))
    {
        3
    } else {
        0
    }
}

/// Judges a run: the common checks (clean exits, connection, media before the action, zero
/// loss and no duplicates both ways, data after the action), then the scenario's remote outcome.
pub(crate) fn judge(scenario: &Scenario, pairing: Pairing, subject: &Side, peer: &Side) -> Verdict {
    let mut v = Verdict::default();
    for (who, side) in [("subject", subject), ("peer", peer)] {
        let expected = expected_exit(scenario, side, who == "subject");
        v.check(side.exit == Some(expected), || {
            format!(
                "{who} did not exit {expected} ({}): {}",
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
            side.first("datachannel_open", &[], Duration::ZERO)
                .is_some(),
            || format!("{who}'s data channel never opened"),
        );
    }
    // From the first answer leaving the answerer (not the offer: a browser answering gets
    // tacet's offer before it has even launched) to the subject's `connected`.
    let answerer = if pairing.role == super::scenario::Role::Offer {
        peer
    } else {
        subject
    };
    v.counts.connect = answerer
        .first(
            "sdp",
            &[("direction", "sent"), ("type", "answer")],
            Duration::ZERO,
        )
        .zip(subject.connected_at())
        .and_then(|(answer, connected)| connected.checked_sub(answer.at));
    v.counts.warnings = subject.warnings();
    v.counts.peer_version = peer
        .first("browser", &[], Duration::ZERO)
        .and_then(|l| str_of(&l.event, "version"))
        .map(str::to_owned);
    let end = subject.bye_at().unwrap_or(Duration::MAX);

    // The action's start: the subject's (or, for a peer stop, the peer's) first scripted action
    // (`close` is not reported as one); for Connect, the close.
    let (actor, actor_name) = match scenario.action {
        Action::PeerStopsVideo | Action::PeerStopsTag => (peer, "peer"),
        _ => (subject, "subject"),
    };
    let action_at = match scenario.action {
        Action::Connect => Some(end),
        _ => actor.first_action_start(),
    };
    let Some(action_at) = action_at else {
        v.failures
            .push(format!("the {actor_name} never reported its action"));
        return v;
    };
    v.counts.renegotiation = actor
        .first(
            "sdp",
            &[("direction", "sent"), ("type", "offer")],
            action_at,
        )
        .filter(|_| scenario.action != Action::Connect)
        .and_then(|offer| {
            actor
                .first("signaling_state", &[("state", "stable")], offer.at)
                .map(|stable| stable.at - offer.at)
        });

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

    // The data channel: zero loss and no duplicates both ways (every number once, in order,
    // up to the end marker's count), and messages after the action — unless it closed before
    // the close in the one case issue 14 accepts (browser::channel_closure).
    let closure = browser::channel_closure(scenario, pairing, subject, peer, action_at, end);
    if let Some(closure) = &closure {
        match closure {
            Ok(accepted) => v.counts.closure = Some(accepted.clone()),
            Err(failure) => v.failures.push(failure.clone()),
        }
    }
    if let (Some(s), Some(p)) = (subject.final_channel(), peer.final_channel()) {
        v.counts.max_gap_ms = (
            p.pointer("/from_peer/max_gap_ms").and_then(Value::as_u64),
            s.pointer("/from_peer/max_gap_ms").and_then(Value::as_u64),
        );
        v.counts.held_ms = p
            .get("held_ms")
            .and_then(Value::as_u64)
            .filter(|ms| *ms > 0);
    }
    match (subject.final_channel(), peer.final_channel()) {
        (Some(s), Some(p)) if matches!(closure, Some(Ok(_))) => {
            v.counts.messages = (
                num_of(s, "sent"),
                from_peer(p, "received"),
                num_of(p, "sent"),
                from_peer(s, "received"),
            );
            browser::check_until_closure(
                &mut v,
                [("subject", s, subject), ("peer", p, peer)],
                action_at,
            );
        }
        (Some(s), Some(p)) => {
            v.counts.messages = (
                num_of(s, "sent"),
                from_peer(p, "received"),
                num_of(p, "sent"),
                from_peer(s, "received"),
            );
            // Chromium moving its own BUNDLE tag drops what tacet sent in a window tacet cannot
            // see (browser::chromium_drop_window): there, and only there, the page may lack
            // tacet's messages.
            let drop_window =
                browser::chromium_drop_window(scenario, pairing, subject, peer, action_at);
            for (who, mine, theirs, side) in [("subject", s, p, subject), ("peer", p, s, peer)] {
                let (sent, received) = (num_of(theirs, "sent"), from_peer(mine, "received"));
                v.check(sent > 0, || format!("the {who}'s peer sent no messages"));
                if let (Some(window), "peer") = (drop_window, who) {
                    let dropped = browser::check_chromium_drops(&mut v, mine, window);
                    v.check(received + dropped == sent, || {
                        format!("{who} received {received} and lost {dropped} of {sent} messages")
                    });
                    if dropped > 0 {
                        v.counts.browser_drops = Some(format!(
                            "Chromium dropped {dropped} of tacet's messages it had acknowledged \
                             (its own tag move; tacet sent {}..{} before it had the offer)",
                            window.0, window.1
                        ));
                    }
                    v.check(received > side.received_before(action_at), || {
                        format!("{who} received no message after the action")
                    });
                    continue;
                }
                v.check(received == sent, || {
                    format!("{who} received {received} of {sent} messages")
                });
                v.check(
                    from_peer(mine, "lost") == 0
                        && from_peer(mine, "duplicates") == 0
                        && from_peer(mine, "out_of_order") == 0,
                    || {
                        format!(
                            "{who} saw {} missing, {} duplicated and {} reordered messages",
                            from_peer(mine, "lost"),
                            from_peer(mine, "duplicates"),
                            from_peer(mine, "out_of_order")
                        )
                    },
                );
                let complete = mine
                    .get("from_peer")
                    .and_then(|f| f.get("complete"))
                    .and_then(Value::as_bool)
                    == Some(true);
                v.check(complete, || {
                    format!(
                        "{who} did not get the other side's messages complete (end marker {})",
                        mine.get("from_peer")
                            .and_then(|f| f.get("end"))
                            .filter(|e| !e.is_null())
                            .map_or("missing".to_owned(), Value::to_string)
                    )
                });
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
    if pairing.peer.is_browser() {
        browser::check_transceivers_gone(&run, scenario.action, &mut v);
    }
    v
}

/// One run as the outcome checks see it: who, and the action's start and the close's.
pub(super) struct Run<'a> {
    pairing: Pairing,
    subject: &'a Side,
    peer: &'a Side,
    action_at: Duration,
    end: Duration,
}

impl Run<'_> {
    /// Frames of `kind` received per second by both sides after `from`, each checked > 0.
    pub(super) fn flowing_both_ways(
        &self,
        v: &mut Verdict,
        kind: &str,
        from: Duration,
        after_what: &str,
    ) {
        for (who, side) in [("subject", self.subject), ("peer", self.peer)] {
            v.check(
                side.frames_per_second("kind", kind, from, self.end) > 0,
                || format!("{who} received no {kind} frames after {after_what}"),
            );
        }
    }
}

/// The scenario's remote outcome.
fn outcome(scenario: &Scenario, run: &Run<'_>, v: &mut Verdict) {
    let aiortc_peer = run.pairing.peer == Kind::Aiortc;
    let (stopped, action): (&[&str], &str) = match scenario.action {
        Action::Connect => {
            v.outcome = "connected, closed".to_owned();
            return;
        }
        Action::Stop("audio") => (&["audio"], "stop audio"),
        Action::Stop(_) | Action::StopThenAddVideo => (&["video"], "stop video"),
        Action::StopMedia => (&["audio", "video"], "stop-media"),
        Action::PeerStopsVideo => {
            peer_stop(run, v, "stop video", "video");
            return;
        }
        Action::PeerStopsTag => {
            // The tag's kind, as the browser reported its action (mid 0 is audio here).
            let kind = run
                .peer
                .action("stop tag", Duration::ZERO)
                .and_then(|l| str_of(&l.event, "kind"))
                .unwrap_or("audio")
                .to_owned();
            peer_stop(run, v, "stop tag", &kind);
            v.outcome.push_str(" (the BUNDLE tag moved)");
            return;
        }
        Action::BothStopVideo => {
            browser::glare(run, v);
            return;
        }
    };

    // The subject stopped: the peer's receiving track ends before the close, and no more
    // frames of it arrive; the other kind keeps flowing both ways.
    let mut outcome_at = Duration::ZERO;
    // The action's start is its report's arrival less its `took`, and the report is printed
    // a little after the stop began (seen: 9 ms late, while a browser's track ended 0.6 ms
    // before the start so computed): its effects are looked for from a little earlier.
    let since = run.action_at.saturating_sub(ACTION_REPORT_SLACK);
    for kind in stopped {
        match run.peer.first("track_ended", &[("kind", kind)], since) {
            Some(ended) if ended.at < run.end => {
                outcome_at = outcome_at.max(ended.at);
                if run.pairing.peer.is_browser() {
                    let cause = str_of(&ended.event, "cause");
                    v.check(cause == Some("remote-rejected"), || {
                        format!(
                            "the peer's {kind} track ended with cause {cause:?}, not \
                             remote-rejected"
                        )
                    });
                }
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
        run.flowing_both_ways(v, kind, outcome_at, "the stop");
    }
    let done = run.subject.action(action, Duration::ZERO);
    v.check(done.is_some_and(|l| ok(&l.event)), || {
        format!(
            "the subject's `{action}` did not complete: {}",
            done.and_then(|l| str_of(&l.event, "error"))
                .unwrap_or("no report")
        )
    });
    if aiortc_peer {
        // aiortc answers the port-0 m-line with a live port and keeps the mid in BUNDLE; the
        // tolerant policy forgives that with a warning citing the rule aiortc broke
        // (interop-findings §3). Other warnings (aiortc changes its o= session id in every
        // description) are no evidence of this one.
        let forgiven = run.subject.events("warning").any(|l| {
            l.at >= run.action_at
                && str_of(&l.event, "rule").is_some_and(|r| r.starts_with(PORT_ZERO_RULE))
        });
        v.check(forgiven, || {
            format!(
                "tacet forgave aiortc's answer to the port-0 m-line without a warning \
                 ({PORT_ZERO_RULE})"
            )
        });
    } else {
        v.check(run.subject.warnings() == 0, || {
            format!(
                "{} warnings against a spec-following peer",
                run.subject.warnings()
            )
        });
    }
    v.outcome = format!("peer's {} track ended", stopped.join(" and "));
    if scenario.action == Action::StopMedia {
        // Issue 13: stop-media -> data-only, the session's own mode.
        let data_only = run
            .subject
            // From a little before the computed start, as the stop's other effects are.
            .first(
                "mode",
                &[("to", "data-only")],
                run.action_at.saturating_sub(ACTION_REPORT_SLACK),
            )
            .is_some_and(|l| l.at < run.end);
        v.check(data_only, || {
            "the subject never reported mode data-only after stop-media".to_owned()
        });
        v.outcome.push_str("; subject data-only");
    }
    if scenario.action == Action::StopThenAddVideo {
        recycle(run, v);
    }
}

/// After the stop, `add video`: the offer reuses the stopped m-line (as many m-lines as the
/// first description) and the peer receives the new track, or the subject reports the peer's
/// refusal (a failed action) and the data channel lives on (checked by the common checks).
fn recycle(run: &Run<'_>, v: &mut Verdict) {
    let Some(add) = run.subject.action("add video", Duration::ZERO) else {
        v.failures
            .push("the subject never reported `add video`".to_owned());
        return;
    };
    // Looked for from a little before the computed start, as the stop's effects are (see
    // [`outcome`]): the report arrives a few ms after it was written, so an offer made at
    // once can carry a stamp just before the start so computed (seen: the same millisecond).
    let add_at = action_start(add).saturating_sub(ACTION_REPORT_SLACK);
    let first_lines = run
        .subject
        .events("sdp")
        .next()
        .and_then(|l| str_of(&l.event, "sdp"))
        .map(Side::m_lines);
    if ok(&add.event) {
        let offer = run
            .subject
            .first("sdp", &[("direction", "sent"), ("type", "offer")], add_at);
        let lines = offer
            .and_then(|l| str_of(&l.event, "sdp"))
            .map(Side::m_lines);
        v.check(lines.is_some() && lines == first_lines, || {
            format!("the offer after `add video` has {lines:?} m-lines, the first description {first_lines:?}: not recycled")
        });
        let track = run.peer.first("track", &[("kind", "video")], add_at);
        let flowing = track.is_some_and(|t| {
            let mid = str_of(&t.event, "mid").unwrap_or_default();
            run.peer.events("media").any(|l| {
                l.at > t.at
                    && l.at < run.end
                    && str_of(&l.event, "direction") == Some("received")
                    && str_of(&l.event, "mid") == Some(mid)
                    && num_of(&l.event, "frames") > 0
            })
        });
        v.check(flowing, || {
            "the peer received no frames on the new video track".to_owned()
        });
        v.outcome.push_str("; video again on a recycled m-line");
    } else {
        v.check(run.pairing.peer == Kind::Aiortc, || {
            "a spec-following peer refused the recycled m-line".to_owned()
        });
        v.outcome.push_str(&format!(
            "; add video refused cleanly: {}",
            str_of(&add.event, "error").unwrap_or("(no reason given)")
        ));
    }
}

/// The peer stopped its transceiver of `kind` by `action` (`stop video`, or a browser's
/// `stop tag`). aiortc sends a BYE and changes no SDP: tacet reports the remote sender stopped
/// (its track muted, not ended). A tacet or browser peer renegotiates with port 0: the
/// subject's track ends (against a browser, with cause `remote-rejected`, issue 14). An aiortc
/// subject (control) ends its track on the BYE. The other kind keeps flowing both ways.
fn peer_stop(run: &Run<'_>, v: &mut Verdict, action: &str, kind: &str) {
    let (event, expected) = match (run.pairing.subject, run.pairing.peer) {
        (Kind::Tacet, Kind::Aiortc) => ("track_muted", "muted"),
        _ => ("track_ended", "ended"),
    };
    let survivor = if kind == "audio" { "video" } else { "audio" };
    let stop = run.peer.action(action, Duration::ZERO);
    v.check(stop.is_some_and(|l| ok(&l.event)), || {
        format!(
            "the peer's `{action}` did not complete: {}",
            stop.and_then(|l| str_of(&l.event, "error"))
                .unwrap_or("no report")
        )
    });
    match run.subject.first(event, &[("kind", kind)], run.action_at) {
        Some(seen) if seen.at < run.end => {
            v.counts.outcome_after = seen.at.checked_sub(run.action_at);
            let mid = str_of(&seen.event, "mid").unwrap_or_default();
            let after = run
                .subject
                .frames_per_second("mid", mid, seen.at + REPORT_SLACK, run.end);
            v.check(after == 0, || {
                format!(
                    "the subject still received {after} {kind} frames/s after it was {expected}"
                )
            });
            if expected == "muted" {
                let ended = run
                    .subject
                    .first("track_ended", &[("kind", kind)], run.action_at);
                v.check(ended.is_none_or(|e| e.at >= run.end), || {
                    format!("the subject's {kind} track ended on a BYE (only muted is right)")
                });
            }
            if run.pairing.peer.is_browser() {
                let cause = str_of(&seen.event, "cause");
                v.check(cause == Some("remote-rejected"), || {
                    format!(
                        "the subject's {kind} track ended with cause {cause:?}, not remote-rejected"
                    )
                });
            }
        }
        _ => v.failures.push(format!(
            "the subject's {kind} track was not {expected} before the close"
        )),
    }
    let from = v
        .counts
        .outcome_after
        .map_or(run.action_at, |d| run.action_at + d);
    run.flowing_both_ways(v, survivor, from, "the peer's stop");
    if run.pairing.peer.is_browser() {
        v.check(run.subject.warnings() == 0, || {
            format!("{} warnings against a browser", run.subject.warnings())
        });
    }
    v.outcome = format!("subject's {kind} track {expected}");
}
