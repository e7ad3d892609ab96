//! The stop table: every question a peer connection asks about a transceiver's life cycle,
//! answered in one place.
//!
//! The transition table ([`crate::table::rule`]) says what an *input* does. This table says
//! what a transceiver *standing* in a phase means for everything around it: what a local offer
//! writes for it, what an answer writes, whether it makes negotiation needed, whether it leaves
//! the set after an exchange, whether its receiver track is ended, whether media flows, and
//! which W3C lists show it. `tacet-session` asks [`rules`] (through
//! [`Transceiver::rules`](crate::Transceiver::rules)) and never inspects the stop bits itself,
//! so changing a stop rule means changing one cell here (and the tests that pin it).
//!
//! The table is rendered into `docs/stop-semantics.md` ([`markdown`]), one row per question
//! with the rule it follows; a test keeps the rendering current.

use std::fmt::{self, Write as _};

use crate::table::Phase;

/// Whether the transceiver is associated with an m-section (`[[Mid]]` is not null).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Association {
    /// `[[Mid]]` is null: never associated, or recycled, rolled back or removed since.
    Unassociated,
    /// `[[Mid]]` names an m-section of a description.
    Associated,
}

impl fmt::Display for Association {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unassociated => "no mid",
            Self::Associated => "mid",
        })
    }
}

/// What a local offer writes for the transceiver (RFC 9429 §5.2.1, §5.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OfferLine {
    /// Its m-section, live: `[[Direction]]`, codecs, msid when it sends a track.
    Live,
    /// A new live m-section with a new mid: a recyclable (port-0) slot of a current
    /// description, else appended.
    New,
    /// Its m-section rejected: port 0, no msid, mid kept, same index, out of BUNDLE.
    Rejected,
    /// No m-line of its own.
    Absent,
}

/// What an answer writes for the transceiver's offered m-section (RFC 9429 §5.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnswerLine {
    /// Live, with the offered direction (reversed) intersected with `[[Direction]]`.
    Live,
    /// Live with `a=inactive`: rejecting could hit the offerer-tagged BUNDLE section and take
    /// the whole group — the data channel included — down.
    Inactive,
    /// Rejected: port 0.
    Rejected,
}

/// Step 4 of webrtc-pc "check if negotiation is needed" for this transceiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Negotiation {
    /// Needed, whatever the descriptions say (4a: stopping; 4b: not yet associated).
    Needed,
    /// Needed when its direction or msid differs from the current descriptions (4c).
    CompareWithCurrent,
    /// Needed until its m-section is rejected in a current description (4d).
    UntilRejected,
    /// Never needed.
    NotNeeded,
}

/// What happens to the transceiver when an exchange completes (an answer is applied).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AfterExchange {
    /// It stays in the set.
    Kept,
    /// It leaves the set when its m-section is rejected in a current description.
    RemovedIfRejected,
    /// It has no m-line and never will: it leaves the set under
    /// `UnassociatedStopPolicy::Drop` (also when a local offer is applied); the spec keeps it.
    DroppedByPolicy,
    /// It already left.
    Gone,
}

/// The receiver track (`receiver.track`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReceiverTrack {
    /// Live (muted or not).
    Live,
    /// Ended, for good; [`Transceiver::stop_cause`](crate::Transceiver::stop_cause) says why.
    Ended,
}

/// Every answer for one standing (phase and association).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StopRules {
    /// In `getTransceivers()` (the set of transceivers).
    pub in_set: bool,
    /// Its sender and receiver are in `getSenders()` / `getReceivers()` (CollectSenders), so
    /// `addTrack`'s duplicate check sees the sender's track.
    pub senders_listed: bool,
    /// What a local offer writes.
    pub offer: OfferLine,
    /// What an answer writes.
    pub answer: AnswerLine,
    /// Whether it makes negotiation needed.
    pub negotiation: Negotiation,
    /// Whether it leaves the set after an exchange.
    pub after_exchange: AfterExchange,
    /// Media may flow: the sender sends and the receiver receives as negotiated, and an
    /// applied answer reports what it negotiated.
    pub media: bool,
    /// A remote offer may associate it with a new m-section of its kind (RFC 9429 §5.10).
    pub takes_new_remote_section: bool,
    /// A candidate the peer trickles for its m-section is added (false: resolved, ignored).
    pub takes_remote_candidates: bool,
    /// Remote-track processing may fire `track` for it.
    pub fires_track: bool,
    /// Its receiver track.
    pub receiver_track: ReceiverTrack,
    /// It keeps its associated remote streams (false: "stop the RTCRtpTransceiver" emptied
    /// them).
    pub keeps_remote_streams: bool,
}

/// The stop table. Inlined: a caller reads one field, and the session asks on every scan of
/// its transceivers, so only that field's comparison should remain.
#[inline]
pub const fn rules(phase: Phase, association: Association) -> StopRules {
    use Association::{Associated, Unassociated};
    use Phase as P;
    // A transceiver that has stopped is visible to nothing but getTransceivers() until it is
    // removed; one that is only stopping is still listed everywhere but sends and receives
    // nothing.
    let in_set = !matches!(phase, P::Removed);
    let senders_listed = matches!(phase, P::Active | P::Stopping);
    let offer = match (phase, association) {
        (P::Active, Associated) => OfferLine::Live,
        (P::Active, Unassociated) => OfferLine::New,
        (P::Stopping | P::Stopped, Associated) => OfferLine::Rejected,
        (P::Stopping | P::Stopped, Unassociated) | (P::Removed, _) => OfferLine::Absent,
    };
    let answer = match phase {
        P::Active => AnswerLine::Live,
        P::Stopping => AnswerLine::Inactive,
        P::Stopped | P::Removed => AnswerLine::Rejected,
    };
    let negotiation = match (phase, association) {
        (P::Active, Unassociated) | (P::Stopping, _) => Negotiation::Needed,
        (P::Active, Associated) => Negotiation::CompareWithCurrent,
        (P::Stopped, Associated) => Negotiation::UntilRejected,
        (P::Stopped, Unassociated) | (P::Removed, _) => Negotiation::NotNeeded,
    };
    let after_exchange = match (phase, association) {
        (P::Active, _) | (P::Stopping, Associated) => AfterExchange::Kept,
        (P::Stopped, Associated) => AfterExchange::RemovedIfRejected,
        (P::Stopping | P::Stopped, Unassociated) => AfterExchange::DroppedByPolicy,
        (P::Removed, _) => AfterExchange::Gone,
    };
    let active = matches!(phase, P::Active);
    StopRules {
        in_set,
        senders_listed,
        offer,
        answer,
        negotiation,
        after_exchange,
        media: active,
        takes_new_remote_section: active && matches!(association, Unassociated),
        takes_remote_candidates: senders_listed,
        fires_track: senders_listed,
        receiver_track: if active {
            ReceiverTrack::Live
        } else {
            ReceiverTrack::Ended
        },
        keeps_remote_streams: senders_listed,
    }
}

/// The columns of the rendered table: every reachable standing. A removed transceiver has no
/// mid (removal clears it).
pub const STANDINGS: [(Phase, Association); 7] = [
    (Phase::Active, Association::Unassociated),
    (Phase::Active, Association::Associated),
    (Phase::Stopping, Association::Unassociated),
    (Phase::Stopping, Association::Associated),
    (Phase::Stopped, Association::Unassociated),
    (Phase::Stopped, Association::Associated),
    (Phase::Removed, Association::Unassociated),
];

/// One question of the table: its name, the rule it follows, and how a cell reads.
struct Question {
    name: &'static str,
    rule: &'static str,
    cell: fn(&StopRules) -> &'static str,
}

/// The cell for a yes/no answer, in the row's words.
const fn either(value: bool, yes: &'static str, no: &'static str) -> &'static str {
    if value { yes } else { no }
}

const fn yes_no(value: bool) -> &'static str {
    either(value, "yes", "no")
}

/// The rows, in the order a stop plays out.
const QUESTIONS: [Question; 12] = [
    Question {
        name: "in `getTransceivers()`",
        rule: "webrtc-pc getTransceivers(); \"remove the transceiver from the set\"",
        cell: |r| yes_no(r.in_set),
    },
    Question {
        name: "in `getSenders()` / `getReceivers()`",
        rule: "webrtc-pc CollectSenders / CollectReceivers skip `[[Stopped]]`",
        cell: |r| yes_no(r.senders_listed),
    },
    Question {
        name: "media flows",
        rule: "webrtc-pc \"stop sending and receiving\" (stop() steps 1-2)",
        cell: |r| yes_no(r.media),
    },
    Question {
        name: "receiver track",
        rule: "webrtc-pc \"stop sending and receiving\" step 3; \"stop the RTCRtpTransceiver\"",
        cell: |r| match r.receiver_track {
            ReceiverTrack::Live => "live",
            ReceiverTrack::Ended => "ended (`stop_cause()` says why)",
        },
    },
    Question {
        name: "remote streams",
        rule: "webrtc-pc \"stop the RTCRtpTransceiver\": both stream lists emptied",
        cell: |r| either(r.keeps_remote_streams, "kept", "emptied"),
    },
    Question {
        name: "`track` events",
        rule: "webrtc-pc \"process the addition of a remote track\" (not for a stopped one)",
        cell: |r| yes_no(r.fires_track),
    },
    Question {
        name: "local offer writes",
        rule: "RFC 9429 §5.2.2; webrtc-pc createOffer: stopping treated as stopped",
        cell: |r| match r.offer {
            OfferLine::Live => "its m-line, live",
            OfferLine::New => "a new m-line (recycled or appended)",
            OfferLine::Rejected => "its m-line, **port 0**, no msid",
            OfferLine::Absent => "no m-line",
        },
    },
    Question {
        name: "answer writes",
        rule: "RFC 9429 §5.3.1; webrtc-pc createAnswer: stopping \"will not affect createAnswer\"",
        cell: |r| match r.answer {
            AnswerLine::Live => "live, offered ∩ `[[Direction]]`",
            AnswerLine::Inactive => "live, `a=inactive`",
            AnswerLine::Rejected => "**port 0**",
        },
    },
    Question {
        name: "negotiation needed",
        rule: "webrtc-pc \"check if negotiation is needed\" step 4a-4d",
        cell: |r| match r.negotiation {
            Negotiation::Needed => "always",
            Negotiation::CompareWithCurrent => "if direction or msid differ from current",
            Negotiation::UntilRejected => "until rejected in a current description",
            Negotiation::NotNeeded => "never",
        },
    },
    Question {
        name: "after an exchange",
        rule: "webrtc-pc \"set the session description\" (answer: remove stopped, rejected); \
               decisions.md §2 `UnassociatedStopPolicy`",
        cell: |r| match r.after_exchange {
            AfterExchange::Kept => "kept",
            AfterExchange::RemovedIfRejected => "**removed** if its m-line is rejected",
            AfterExchange::DroppedByPolicy => "removed under `Drop` (spec: kept)",
            AfterExchange::Gone => "—",
        },
    },
    Question {
        name: "a new remote m-section may take it",
        rule: "RFC 9429 §5.10 (unassociated, not stopped)",
        cell: |r| yes_no(r.takes_new_remote_section),
    },
    Question {
        name: "trickled remote candidates",
        rule: "webrtc-pc addIceCandidate: resolved without adding for a stopped transceiver",
        cell: |r| either(r.takes_remote_candidates, "added", "ignored"),
    },
];

/// The table as Markdown: one row per question with its rule, one column per standing.
pub fn markdown() -> String {
    let mut out = String::from("| question |");
    for (phase, association) in STANDINGS {
        let _ = write!(out, " {phase}, {association} |");
    }
    out.push_str(" rule |\n|---|");
    out.push_str(&"---|".repeat(STANDINGS.len() + 1));
    out.push('\n');
    for question in &QUESTIONS {
        let _ = write!(out, "| {} |", question.name);
        for (phase, association) in STANDINGS {
            let _ = write!(out, " {} |", (question.cell)(&rules(phase, association)));
        }
        let _ = writeln!(out, " {} |", question.rule);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Association::{Associated, Unassociated};

    // The cells that carry the stop story, written out from the spec by hand (the rendered
    // table is generated from the same function, so it cannot check itself).

    #[test]
    fn a_stopping_transceiver_is_rejected_in_offers_but_answers_inactive() {
        let r = rules(Phase::Stopping, Associated);
        assert_eq!(r.offer, OfferLine::Rejected);
        assert_eq!(r.answer, AnswerLine::Inactive);
        assert_eq!(r.negotiation, Negotiation::Needed);
        assert!(!r.media);
        assert!(r.senders_listed, "listed until stopped");
    }

    #[test]
    fn a_stopped_transceiver_is_rejected_everywhere_and_removed_once_rejected() {
        let r = rules(Phase::Stopped, Associated);
        assert_eq!(r.offer, OfferLine::Rejected);
        assert_eq!(r.answer, AnswerLine::Rejected);
        assert_eq!(r.negotiation, Negotiation::UntilRejected);
        assert_eq!(r.after_exchange, AfterExchange::RemovedIfRejected);
        assert!(r.in_set && !r.senders_listed && !r.takes_remote_candidates);
    }

    #[test]
    fn an_unassociated_stop_gets_no_m_line_and_is_dropped_by_policy() {
        for phase in [Phase::Stopping, Phase::Stopped] {
            let r = rules(phase, Unassociated);
            assert_eq!(r.offer, OfferLine::Absent);
            assert_eq!(r.after_exchange, AfterExchange::DroppedByPolicy);
        }
        assert_eq!(
            rules(Phase::Stopping, Unassociated).negotiation,
            Negotiation::Needed
        );
        assert_eq!(
            rules(Phase::Stopped, Unassociated).negotiation,
            Negotiation::NotNeeded
        );
    }

    #[test]
    fn an_active_transceiver_is_live_and_new_ones_need_a_line() {
        let new = rules(Phase::Active, Unassociated);
        assert_eq!(new.offer, OfferLine::New);
        assert_eq!(new.negotiation, Negotiation::Needed);
        assert!(new.takes_new_remote_section && new.media);
        let live = rules(Phase::Active, Associated);
        assert_eq!(live.offer, OfferLine::Live);
        assert_eq!(live.answer, AnswerLine::Live);
        assert_eq!(live.negotiation, Negotiation::CompareWithCurrent);
        assert!(!live.takes_new_remote_section);
    }

    #[test]
    fn a_removed_transceiver_is_in_no_list_and_needs_nothing() {
        let r = rules(Phase::Removed, Unassociated);
        assert!(!r.in_set && !r.senders_listed && !r.media);
        assert_eq!(r.offer, OfferLine::Absent);
        assert_eq!(r.negotiation, Negotiation::NotNeeded);
    }

    #[test]
    fn only_an_active_transceiver_keeps_its_receiver_track_live() {
        for (phase, association) in STANDINGS {
            let live = rules(phase, association).receiver_track == ReceiverTrack::Live;
            assert_eq!(live, phase == Phase::Active, "{phase}, {association}");
        }
    }

    #[test]
    fn the_rendering_has_a_row_per_question_and_a_column_per_standing() {
        let table = markdown();
        assert_eq!(table.lines().count(), 2 + QUESTIONS.len());
        for line in table.lines().filter(|l| !l.starts_with("|---")) {
            assert_eq!(line.matches(" |").count(), STANDINGS.len() + 2, "{line}");
        }
    }
}
