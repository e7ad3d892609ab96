//! The story's steps and the expectations each one checks: pure functions from what was
//! observed (`observe.rs`) to a passed or failed [`Check`], so that a test can feed them a
//! fabricated observation and see a failure.

use serde_json::{Value, json};

use super::observe::{Chat, Negotiated, RateSample, Snapshot};

/// The steps, in order (`[n/7] title`).
pub(crate) const STEPS: [&str; 7] = [
    "connect (audio, video, chat)",
    "media flows",
    "stop video (not the BUNDLE tag)",
    "stop audio (the BUNDLE tag)",
    "keep chatting, data-only",
    "add video again (an m-line is recycled)",
    "close",
];

/// One expectation and whether it held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Check {
    /// The step (1-based).
    pub(crate) step: usize,
    /// What was expected.
    pub(crate) what: String,
    pub(crate) passed: bool,
    /// What was seen.
    pub(crate) seen: String,
}

impl Check {
    pub(crate) fn new(step: usize, what: impl Into<String>, passed: bool, seen: String) -> Self {
        Self {
            step,
            what: what.into(),
            passed,
            seen,
        }
    }

    pub(crate) fn json(&self) -> Value {
        json!({"step": self.step, "expectation": self.what, "passed": self.passed, "seen": self.seen})
    }
}

/// Every check of a run.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub(crate) checks: Vec<Check>,
}

impl Verdict {
    /// The checks that failed.
    pub(crate) fn failed(&self) -> Vec<&Check> {
        self.checks.iter().filter(|c| !c.passed).collect()
    }

    /// The run passes when it checked something and nothing failed.
    pub(crate) fn passed(&self) -> bool {
        !self.checks.is_empty() && self.failed().is_empty()
    }
}

/// `kind` RTP arrived at `to` in every second of the window.
pub(crate) fn flows(step: usize, window: &[RateSample], to: &str, kind: &str) -> Check {
    let per_second: Vec<u64> = window.iter().map(|s| s.packets(to, kind)).collect();
    Check::new(
        step,
        format!("{kind} RTP arrives at {to} every second"),
        !per_second.is_empty() && per_second.iter().all(|p| *p > 0),
        format!("packets/s {per_second:?}"),
    )
}

/// `kind` RTP arrived at `to` during the window (a peer whose counts come late, once a second:
/// a browser's reports).
pub(crate) fn arrives(step: usize, window: &[RateSample], to: &str, kind: &str) -> Check {
    let packets: u64 = window.iter().map(|s| s.packets(to, kind)).sum();
    Check::new(
        step,
        format!("{kind} RTP arrives at {to}"),
        packets > 0,
        format!("{packets} packets in {} s", window.len()),
    )
}

/// No `kind` RTP (no RTP at all when `None`) arrived anywhere during the window.
pub(crate) fn silent(step: usize, window: &[RateSample], kind: Option<&str>) -> Check {
    let packets: u64 = window
        .iter()
        .flat_map(|s| &s.flows)
        .filter(|f| kind.is_none_or(|k| f.kind == k))
        .map(|f| f.packets)
        .sum();
    let what = match kind {
        Some(kind) => format!("no {kind} RTP arrives in either direction"),
        None => "no RTP at all arrives in either direction".to_owned(),
    };
    Check::new(
        step,
        what,
        !window.is_empty() && packets == 0,
        format!("{packets} packets in {} s", window.len()),
    )
}

/// `peer`'s receiver track of `kind` ended (`ended` lists the kinds of its ended tracks).
pub(crate) fn ended(step: usize, peer: &str, ended: &[String], kind: &str) -> Check {
    Check::new(
        step,
        format!("{peer}'s {kind} receiver track ended"),
        ended.iter().any(|k| k == kind),
        format!("ended: {ended:?}"),
    )
}

/// The m-line of `mid` has port 0 in the offer and in the answer.
pub(crate) fn rejected(step: usize, negotiated: &Negotiated, mid: &str, kind: &str) -> Check {
    let port = |sdp: &super::observe::Sdp| sdp.by_mid(mid).map(|m| m.port);
    let (offer, answer) = (port(&negotiated.offer), port(&negotiated.answer));
    Check::new(
        step,
        format!("the {kind} m-line (mid {mid}) has port 0 in offer and answer"),
        offer == Some(0) && answer == Some(0),
        format!("offer port {offer:?}, answer port {answer:?}"),
    )
}

/// The BUNDLE group of the offer and of the answer is `mids` (the tag first).
pub(crate) fn bundle(step: usize, negotiated: &Negotiated, mids: &[&str]) -> Check {
    let (offer, answer) = (&negotiated.offer.bundle, &negotiated.answer.bundle);
    Check::new(
        step,
        format!(
            "the BUNDLE group is [{}] in offer and answer",
            mids.join(" ")
        ),
        offer == mids && answer == mids,
        format!("offer {offer:?}, answer {answer:?}"),
    )
}

/// `peer`'s session is in `mode`.
pub(crate) fn mode(step: usize, snapshot: &Snapshot, peer: &str, mode: &str) -> Check {
    let seen = snapshot.peer(peer).map(|p| p.mode.clone());
    Check::new(
        step,
        format!("{peer}'s mode is {mode}"),
        seen.as_deref() == Some(mode),
        seen.unwrap_or_else(|| "no such peer".to_owned()),
    )
}

/// `peer`'s live media is `media` (`audio+video`, `audio only`, `video only`, `data-only`).
pub(crate) fn media(step: usize, snapshot: &Snapshot, peer: &str, media: &str) -> Check {
    let seen = snapshot.peer(peer).map(|p| p.media());
    Check::new(
        step,
        format!("{peer}'s media mode is {media}"),
        seen.as_deref() == Some(media),
        seen.unwrap_or_else(|| "no such peer".to_owned()),
    )
}

/// Every live transceiver of `peer` negotiated `sendrecv`, and it has `count` of them.
pub(crate) fn sendrecv(step: usize, snapshot: &Snapshot, peer: &str, count: usize) -> Check {
    let seen: Vec<String> = snapshot
        .peer(peer)
        .map(|p| {
            p.transceivers
                .iter()
                .filter(|t| t.phase == "active")
                .map(|t| format!("{}:{}", t.kind, t.current.as_deref().unwrap_or("none")))
                .collect()
        })
        .unwrap_or_default();
    Check::new(
        step,
        format!("{peer} has {count} active transceivers, each currently sendrecv"),
        seen.len() == count && seen.iter().all(|s| s.ends_with(":sendrecv")),
        format!("{seen:?}"),
    )
}

/// During the step both sides received more messages, and none was lost, repeated or
/// reordered.
pub(crate) fn chat_intact(step: usize, before: &[Chat], after: &[Chat]) -> Check {
    let progress = |c: &Chat| {
        let was = before
            .iter()
            .find(|b| b.peer == c.peer)
            .map_or(0, |b| b.received);
        c.received.saturating_sub(was)
    };
    let seen: Vec<String> = after
        .iter()
        .map(|c| {
            format!(
                "{} +{} (lost {}, dup {}, reordered {}, other {}, send failures {})",
                c.peer,
                progress(c),
                c.lost,
                c.duplicates,
                c.out_of_order,
                c.other,
                c.send_failures
            )
        })
        .collect();
    Check::new(
        step,
        "chat keeps flowing both ways: nothing lost, repeated or reordered",
        after.len() == 2 && after.iter().all(|c| c.clean() && progress(c) > 0),
        seen.join("; "),
    )
}

/// At the end: each side received every message of the other's exactly once, in order, and
/// the end says how many there were.
pub(crate) fn chat_complete(step: usize, chats: &[Chat]) -> Check {
    let sent_by_other = |c: &Chat| chats.iter().find(|o| o.peer != c.peer).map(|o| o.sent);
    let seen: Vec<String> = chats
        .iter()
        .map(|c| {
            format!(
                "{} received {} of {:?} (end {:?}, complete {})",
                c.peer,
                c.received,
                sent_by_other(c),
                c.end,
                c.complete
            )
        })
        .collect();
    Check::new(
        step,
        "every message delivered exactly once, in order, both ways",
        chats.len() == 2
            && chats
                .iter()
                .all(|c| c.complete && sent_by_other(c) == Some(c.received)),
        seen.join("; "),
    )
}

/// The new `kind` m-line took the slot of an m-line rejected before, under a mid never used
/// before. Returns the check and the new m-line's mid.
pub(crate) fn recycled(
    step: usize,
    before: &Negotiated,
    after: &Negotiated,
    kind: &str,
) -> (Check, Option<String>) {
    let old_mids: Vec<&str> = before
        .offer
        .mlines
        .iter()
        .filter_map(|m| m.mid.as_deref())
        .collect();
    let new = after.offer.mlines.iter().find(|m| {
        m.kind == kind
            && m.port != 0
            && m.mid.as_deref().is_some_and(|mid| !old_mids.contains(&mid))
    });
    let slot_was_rejected = new.is_some_and(|n| {
        before
            .offer
            .mlines
            .get(n.index)
            .is_some_and(|old| old.port == 0)
    });
    let check = Check::new(
        step,
        format!("the new {kind} takes a rejected m-line's slot under a new mid (no new m-line)"),
        slot_was_rejected && after.offer.mlines.len() == before.offer.mlines.len(),
        match new {
            Some(n) => format!(
                "m-line {} (was {}), mid {}, {} m-lines before and after {}",
                n.index,
                before
                    .offer
                    .mlines
                    .get(n.index)
                    .map_or_else(|| "new".to_owned(), |m| m.show()),
                n.mid.as_deref().unwrap_or("-"),
                before.offer.mlines.len(),
                after.offer.mlines.len()
            ),
            None => format!("no live {kind} m-line with a new mid"),
        },
    );
    (check, new.and_then(|n| n.mid.clone()))
}

#[cfg(test)]
mod tests {
    use super::super::observe::{Flow, MLine, PeerState, Sdp};
    use super::*;

    fn sample(packets: &[(&str, &str, u64)]) -> RateSample {
        RateSample {
            at: 1.0,
            flows: packets
                .iter()
                .map(|(to, kind, n)| Flow {
                    from: "x".into(),
                    to: (*to).into(),
                    kind: (*kind).into(),
                    packets: *n,
                })
                .collect(),
        }
    }

    fn mline(index: usize, kind: &str, port: u16, mid: &str) -> MLine {
        MLine {
            index,
            kind: kind.into(),
            port,
            mid: Some(mid.into()),
            direction: "sendrecv".into(),
        }
    }

    fn both(mlines: Vec<MLine>, bundle: &[&str]) -> Negotiated {
        let sdp = Sdp {
            mlines,
            bundle: bundle.iter().map(|s| (*s).to_owned()).collect(),
        };
        Negotiated {
            offer: sdp.clone(),
            answer: sdp,
            offerer: "alice".into(),
        }
    }

    fn chat(peer: &str, sent: u64, received: u64) -> Chat {
        Chat {
            peer: peer.into(),
            sent,
            received,
            ..Chat::default()
        }
    }

    #[test]
    fn flows_needs_packets_in_every_second() {
        let good = [
            sample(&[("bob", "video", 90)]),
            sample(&[("bob", "video", 88)]),
        ];
        assert!(flows(2, &good, "bob", "video").passed);
        let gap = [
            sample(&[("bob", "video", 90)]),
            sample(&[("bob", "video", 0)]),
        ];
        assert!(!flows(2, &gap, "bob", "video").passed);
        assert!(!flows(2, &good, "alice", "video").passed, "other peer");
        assert!(!flows(2, &[], "bob", "video").passed, "no window");
        assert!(arrives(2, &gap, "bob", "video").passed, "some packets came");
        assert!(!arrives(2, &good, "alice", "video").passed);
    }

    #[test]
    fn silence_fails_on_a_single_packet() {
        let quiet = [sample(&[("bob", "audio", 50), ("bob", "video", 0)])];
        assert!(silent(3, &quiet, Some("video")).passed);
        assert!(!silent(4, &quiet, None).passed, "audio still arrives");
        let one = [sample(&[("alice", "video", 1)])];
        assert!(!silent(3, &one, Some("video")).passed);
        assert!(
            !silent(3, &[], None).passed,
            "nothing measured proves nothing"
        );
    }

    #[test]
    fn a_rejected_mline_needs_port_zero_on_both_sides() {
        let mut n = both(
            vec![mline(0, "audio", 9, "0"), mline(1, "video", 0, "1")],
            &["0"],
        );
        assert!(rejected(3, &n, "1", "video").passed);
        n.answer.mlines[1].port = 9;
        assert!(!rejected(3, &n, "1", "video").passed, "the answer kept it");
        assert!(!rejected(3, &n, "7", "video").passed, "no such mid");
    }

    #[test]
    fn bundle_must_match_in_order() {
        let n = both(vec![], &["2"]);
        assert!(bundle(4, &n, &["2"]).passed);
        assert!(!bundle(4, &both(vec![], &["0", "2"]), &["2"]).passed);
        assert!(!bundle(4, &both(vec![], &["2", "0"]), &["0", "2"]).passed);
    }

    #[test]
    fn chat_intact_needs_progress_and_no_fault() {
        let before = [chat("alice", 10, 10), chat("bob", 10, 10)];
        let after = [chat("alice", 20, 20), chat("bob", 20, 19)];
        assert!(chat_intact(3, &before, &after).passed);
        assert!(
            !chat_intact(3, &after, &after).passed,
            "nothing arrived during the step"
        );
        let mut lossy = after.clone();
        lossy[1].lost = 1;
        assert!(!chat_intact(3, &before, &lossy).passed);
        let mut dup = after.clone();
        dup[0].duplicates = 1;
        assert!(!chat_intact(3, &before, &dup).passed);
        let mut failing = after;
        failing[0].send_failures = 1;
        assert!(!chat_intact(3, &before, &failing).passed);
    }

    #[test]
    fn chat_complete_needs_every_message_of_the_other_side() {
        let mut a = chat("alice", 100, 98);
        a.complete = true;
        let mut b = chat("bob", 98, 100);
        b.complete = true;
        assert!(chat_complete(7, &[a.clone(), b.clone()]).passed);
        b.received = 99;
        assert!(
            !chat_complete(7, &[a.clone(), b.clone()]).passed,
            "one missing"
        );
        b.received = 100;
        b.complete = false;
        assert!(!chat_complete(7, &[a, b]).passed, "no end came");
    }

    #[test]
    fn recycling_needs_a_rejected_slot_and_a_new_mid() {
        let before = both(
            vec![
                mline(0, "audio", 0, "0"),
                mline(1, "video", 0, "1"),
                mline(2, "application", 9, "2"),
            ],
            &["2"],
        );
        let recycled_into_0 = both(
            vec![
                mline(0, "video", 9, "3"),
                mline(1, "video", 0, "1"),
                mline(2, "application", 9, "2"),
            ],
            &["3", "2"],
        );
        let (check, mid) = recycled(6, &before, &recycled_into_0, "video");
        assert!(check.passed, "{check:?}");
        assert_eq!(mid.as_deref(), Some("3"));

        let appended = both(
            vec![
                mline(0, "audio", 0, "0"),
                mline(1, "video", 0, "1"),
                mline(2, "application", 9, "2"),
                mline(3, "video", 9, "3"),
            ],
            &["3", "2"],
        );
        assert!(!recycled(6, &before, &appended, "video").0.passed);
        let reused_mid = both(
            vec![
                mline(0, "audio", 0, "0"),
                mline(1, "video", 9, "1"),
                mline(2, "application", 9, "2"),
            ],
            &["1", "2"],
        );
        assert!(!recycled(6, &before, &reused_mid, "video").0.passed);
    }

    #[test]
    fn mode_and_directions_are_read_per_peer() {
        let snapshot = Snapshot {
            peers: vec![PeerState {
                name: "bob".into(),
                signaling: "stable".into(),
                mode: "data-only".into(),
                transceivers: vec![],
            }],
            negotiated: Negotiated::default(),
        };
        assert!(mode(4, &snapshot, "bob", "data-only").passed);
        assert!(media(4, &snapshot, "bob", "data-only").passed);
        assert!(!media(4, &snapshot, "bob", "audio only").passed);
        assert!(!mode(4, &snapshot, "alice", "data-only").passed);
        assert!(!sendrecv(2, &snapshot, "bob", 2).passed);
        assert!(sendrecv(5, &snapshot, "bob", 0).passed);
    }

    #[test]
    fn one_failed_check_fails_the_verdict() {
        let mut verdict = Verdict::default();
        assert!(!verdict.passed(), "nothing checked");
        verdict.checks.push(Check::new(1, "a", true, String::new()));
        assert!(verdict.passed());
        verdict
            .checks
            .push(silent(3, &[sample(&[("bob", "video", 3)])], Some("video")));
        assert!(!verdict.passed());
        assert_eq!(verdict.failed().len(), 1);
    }
}
