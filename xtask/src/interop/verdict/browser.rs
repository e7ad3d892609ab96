//! The checks only runs against a browser need (issue 14): a data channel that closed before
//! the close, glare, a browser's scripted stop that found nothing left to stop.

use std::time::Duration;

use serde_json::Value;

use super::{Run, Side, Verdict, action_start, from_peer, ok, str_of};
use crate::interop::scenario::{Action, Kind, Pairing, Scenario};

/// How much later than it happened a page's event can reach the harness (it goes by HTTP to the
/// runner, then on its stdout).
const PAGE_REPORT_SLACK: Duration = Duration::from_millis(200);

/// A side's `stop video` that failed because the other side's stop came first (its offer
/// stopped the transceiver before this side's own script ran: no glare, the script's timing).
/// The page says "no live transceiver", tacet-peer "no live video transceiver to stop".
pub(super) fn glare_stop_preempted(side: &Side) -> bool {
    side.action("stop video", Duration::ZERO).is_some_and(|l| {
        !ok(&l.event)
            && str_of(&l.event, "error")
                .is_some_and(|e| e.contains("no live") && e.contains("transceiver"))
    })
}

/// Whether a side's data channel closed before the close: the subject's `datachannel_lost`
/// (tacet-peer `--report-channel-loss`, with its cause), the browser's `datachannel_closed`
/// while it was not closing.
fn lost(side: &Side, end: Duration) -> Option<&Value> {
    side.first("datachannel_lost", &[], Duration::ZERO)
        .filter(|l| l.at < end)
        .map(|l| &l.event)
}

fn browser_closed(side: &Side, end: Duration) -> Option<Duration> {
    side.events("datachannel_closed")
        .find(|l| {
            l.at < end && l.event.get("while_closing").and_then(Value::as_bool) == Some(false)
        })
        .map(|l| l.at)
}

/// The data channel closed before the close: `None` when it did not; `Ok(what happened)` in the
/// one case issue 14 accepts — Firefox stopped its own BUNDLE tag and closed its channel (by
/// design, interop-findings §7), and tacet reported the closure with a typed cause; `Err(why
/// not)` otherwise (against Chromium, or when tacet closed it, any closure is a failure).
pub(super) fn channel_closure(
    scenario: &Scenario,
    pairing: Pairing,
    subject: &Side,
    peer: &Side,
    action_at: Duration,
    end: Duration,
) -> Option<Result<String, String>> {
    let tacet_lost = lost(subject, end);
    let peer_closed = browser_closed(peer, end);
    if tacet_lost.is_none() && peer_closed.is_none() {
        return None;
    }
    let described = tacet_lost.map_or_else(
        || "tacet reported no loss".to_owned(),
        |e| {
            format!(
                "tacet: {} ({})",
                str_of(e, "cause").unwrap_or("no cause"),
                str_of(e, "reason").unwrap_or("no reason")
            )
        },
    );
    let by = peer_closed.map_or_else(
        || format!("{} reported no closure of its channel", pairing.peer.name()),
        |at| {
            format!(
                "{} closed its channel {} ms after the action",
                pairing.peer.name(),
                at.saturating_sub(action_at).as_millis()
            )
        },
    );
    let firefox_own_tag = scenario.action == Action::PeerStopsTag && pairing.peer == Kind::Firefox;
    let typed = tacet_lost
        .and_then(|e| str_of(e, "cause"))
        .is_some_and(|c| matches!(c, "peer-closed" | "sctp-lost"));
    if firefox_own_tag && peer_closed.is_some_and(|at| at >= action_at) && typed {
        Some(Ok(format!(
            "data channel closed by Firefox as it stopped its tag ({by}), reported ({described})"
        )))
    } else {
        Some(Err(format!(
            "the data channel closed before the close: {described}; {by}"
        )))
    }
}

/// The data checks of a run whose channel closed in the accepted way: what arrived before the
/// closure arrived once, in order, with no hole, and messages flowed both ways before the
/// action.
pub(super) fn check_until_closure(
    v: &mut Verdict,
    sides: [(&str, &Value, &Side); 2],
    action_at: Duration,
) {
    for (who, mine, side) in sides {
        let (lost, duplicates, reordered) = (
            from_peer(mine, "lost"),
            from_peer(mine, "duplicates"),
            from_peer(mine, "out_of_order"),
        );
        v.check(lost == 0 && duplicates == 0 && reordered == 0, || {
            format!(
                "{who} saw {lost} missing, {duplicates} duplicated and {reordered} reordered \
                 messages before the closure"
            )
        });
        v.check(side.received_before(action_at) > 0, || {
            format!("{who} received no message before the action")
        });
    }
}

/// Glare: both sides stop video at the same scripted moment. Both end stable, both video
/// tracks ended, audio keeps flowing both ways; each side's stop succeeded or found its video
/// already stopped by the other's offer (then the offers did not cross: the outcome says so),
/// not both.
pub(super) fn glare(run: &Run<'_>, v: &mut Verdict) {
    let mine = run.subject.action("stop video", Duration::ZERO);
    let subject_preempted = glare_stop_preempted(run.subject);
    v.check(
        mine.is_some_and(|l| ok(&l.event)) || subject_preempted,
        || {
            format!(
                "the subject's `stop video` did not complete: {}",
                mine.and_then(|l| str_of(&l.event, "error"))
                    .unwrap_or("no report")
            )
        },
    );
    let theirs = run.peer.action("stop video", Duration::ZERO);
    let preempted = glare_stop_preempted(run.peer);
    v.check(!(preempted && subject_preempted), || {
        "neither side's `stop video` found a live transceiver".to_owned()
    });
    v.check(theirs.is_some_and(|l| ok(&l.event)) || preempted, || {
        format!(
            "the peer's `stop video` did not complete: {}",
            theirs
                .and_then(|l| str_of(&l.event, "error"))
                .unwrap_or("no report")
        )
    });
    // Either side may stop first: the outcomes are looked for from the earlier stop's start.
    // A browser's start is its report's arrival less its `took`, so it is late by the report's
    // trip from the page (tens of ms) while the track it stopped ends inside `stop()`.
    let start = theirs.map_or(run.action_at, |l| {
        action_start(l)
            .saturating_sub(PAGE_REPORT_SLACK)
            .min(run.action_at)
    });
    let mut outcome_at = start;
    for (who, side) in [("subject", run.subject), ("peer", run.peer)] {
        match side
            .first("track_ended", &[("kind", "video")], start)
            .filter(|l| l.at < run.end)
        {
            Some(ended) => outcome_at = outcome_at.max(ended.at),
            None => v.failures.push(format!(
                "the {who}'s video track did not end before the close"
            )),
        }
        let last = side
            .events("signaling_state")
            .filter(|l| l.at < run.end && str_of(&l.event, "state") != Some("closed"))
            .last()
            .and_then(|l| str_of(&l.event, "state"));
        v.check(last == Some("stable"), || {
            format!("the {who} was not stable before the close (last state {last:?})")
        });
    }
    v.counts.outcome_after = outcome_at.checked_sub(start);
    run.flowing_both_ways(v, "audio", outcome_at, "both stops");
    v.check(run.subject.warnings() == 0, || {
        format!("{} warnings against a browser", run.subject.warnings())
    });
    let offered = |side: &Side| {
        side.first(
            "sdp",
            &[("direction", "sent"), ("type", "offer")],
            run.action_at,
        )
        .is_some_and(|l| l.at < run.end)
    };
    v.outcome = if preempted {
        "both video tracks ended; no collision: the subject's offer stopped the browser's video \
         before its own stop ran"
            .to_owned()
    } else if subject_preempted {
        "both video tracks ended; no collision: the browser's offer stopped the subject's video \
         before its own stop ran"
            .to_owned()
    } else if offered(run.subject) && offered(run.peer) {
        "both video tracks ended; the offers crossed (glare), both stable".to_owned()
    } else {
        "both video tracks ended; one offer carried both stops, both stable".to_owned()
    };
}

/// Where Chromium may drop tacet's messages when it moves its own BUNDLE tag (scenario 3):
/// from its `setLocalDescription` of the offer, its old SCTP association acknowledges what
/// arrives and drops it (its data channels were moved to the new association), and tacet
/// learns of the move only when the offer arrives (docs/browsers.md, docs/transport.md). The
/// window, in tacet's message numbers: from the first number the page had not received when it
/// reported `have-local-offer` (`peer_next`) to the count tacet had sent when it reported
/// `have-remote-offer` (`chat_sent`, and the one being sent then). `None` for any other
/// scenario or browser.
pub(super) fn chromium_drop_window(
    scenario: &Scenario,
    pairing: Pairing,
    subject: &Side,
    peer: &Side,
    action_at: Duration,
) -> Option<(u64, u64)> {
    if scenario.action != Action::PeerStopsTag || pairing.peer != Kind::Chromium {
        return None;
    }
    let offered = peer.first(
        "signaling_state",
        &[("state", "have-local-offer")],
        action_at.saturating_sub(PAGE_REPORT_SLACK),
    )?;
    let from = offered.event.get("peer_next").and_then(Value::as_u64)?;
    let known = subject.first(
        "signaling_state",
        &[("state", "have-remote-offer")],
        action_at.saturating_sub(PAGE_REPORT_SLACK),
    )?;
    // The message being sent as tacet applied the offer counts as sent before (tacet-peer
    // counts a message once its send returned).
    let until = known.event.get("chat_sent").and_then(Value::as_u64)? + 1;
    Some((from, until))
}

/// The browser's count of tacet's messages when Chromium may have dropped some in `window`:
/// nothing duplicated or reordered, every number up to the end marker arrived but those in
/// the window. Returns how many were dropped.
pub(super) fn check_chromium_drops(v: &mut Verdict, mine: &Value, window: (u64, u64)) -> u64 {
    let count = |key: &str| from_peer(mine, key);
    let (lost, received) = (count("lost"), count("received"));
    let end = mine.pointer("/from_peer/end").and_then(Value::as_u64);
    let missing = mine
        .pointer("/from_peer/missing")
        .and_then(Value::as_array)
        .and_then(|m| Some((m.first()?.as_u64()?, m.get(1)?.as_u64()?)));
    v.check(
        count("duplicates") == 0 && count("out_of_order") == 0,
        || "peer saw duplicated or reordered messages".to_owned(),
    );
    v.check(end == Some(received + lost), || {
        format!("peer did not get the end marker counting {received} received and {lost} lost")
    });
    if let Some((first, last)) = missing {
        v.check(window.0 <= first && last < window.1, || {
            format!(
                "peer lost messages {first}..={last}, outside Chromium's window {}..{} (its \
                 setLocalDescription to tacet's receipt of the offer)",
                window.0, window.1
            )
        });
    }
    lost
}

/// The kinds whose transceivers a scenario stops for good (none for the one that adds video
/// again, nor for connect).
fn stopped_kinds(action: Action) -> &'static [&'static str] {
    match action {
        Action::Stop("audio") | Action::PeerStopsTag => &["audio"],
        Action::Stop(_) | Action::PeerStopsVideo | Action::BothStopVideo => &["video"],
        Action::StopMedia => &["audio", "video"],
        Action::Connect | Action::StopThenAddVideo => &[],
    }
}

/// Issue 14: the stopped transceiver "is gone after negotiation on both sides" (webrtc-pc:
/// a stopped transceiver is removed from the set once an answer is applied; `stop-media`
/// leaves no media transceiver). Each side's last `signaling_state` `stable` before the close
/// lists its `getTransceivers()`: none of a stopped kind may be there.
pub(super) fn check_transceivers_gone(run: &Run<'_>, action: Action, v: &mut Verdict) {
    let kinds = stopped_kinds(action);
    if kinds.is_empty() {
        return;
    }
    // In glare either side may stop first (see `glare`): from the earlier stop's start.
    let from = match action {
        Action::BothStopVideo => {
            run.peer
                .action("stop video", Duration::ZERO)
                .map_or(run.action_at, |l| {
                    action_start(l)
                        .saturating_sub(PAGE_REPORT_SLACK)
                        .min(run.action_at)
                })
        }
        _ => run.action_at,
    };
    for (who, side) in [("subject", run.subject), ("peer", run.peer)] {
        let last = side
            .events("signaling_state")
            .filter(|l| {
                l.at >= from && l.at < run.end && str_of(&l.event, "state") == Some("stable")
            })
            .last();
        let Some(listed) = last
            .and_then(|l| l.event.get("transceivers"))
            .and_then(Value::as_array)
        else {
            v.failures.push(format!(
                "the {who} reported no transceivers at a stable state after the action"
            ));
            continue;
        };
        let left: Vec<String> = listed
            .iter()
            .filter(|t| str_of(t, "kind").is_some_and(|k| kinds.contains(&k)))
            .map(|t| {
                format!(
                    "{} mid {}",
                    str_of(t, "kind").unwrap_or("?"),
                    str_of(t, "mid").unwrap_or("none")
                )
            })
            .collect();
        v.check(left.is_empty(), || {
            format!(
                "the {who} still has a stopped transceiver after negotiation: {}",
                left.join(", ")
            )
        });
    }
}
