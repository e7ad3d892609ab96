//! Comparing the model with a session, through the session's public API only: the set of
//! transceivers and each one's phase, direction, current direction, mid, stop cause, sender
//! track and receiver track; the signaling state, mode, negotiation-needed flag and data
//! channels; the m-lines and BUNDLE group of the current and pending descriptions.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{RtpTransceiver, Session, TransceiverId};
use tacet_track::{EndCause, EndReason, TrackKind};
use tacet_transceiver_fsm::table::Phase;
use tacet_transceiver_fsm::{StopCause, TransceiverDirection};

use super::offer_answer::Plan;
use super::peer::{Life, Model, Peer};
use super::sdp::{self, Desc, DescKind, Dir, Line};

/// What is compared of one transceiver.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    kind: TrackKind,
    phase: Phase,
    mid: Option<String>,
    direction: TransceiverDirection,
    current_direction: Option<TransceiverDirection>,
    stop_cause: Option<StopCause>,
    receiver_track_ended: Option<EndReason>,
    sender_has_track: bool,
}

fn getter(direction: Dir) -> TransceiverDirection {
    match (direction.send, direction.recv) {
        (true, true) => TransceiverDirection::SendRecv,
        (true, false) => TransceiverDirection::SendOnly,
        (false, true) => TransceiverDirection::RecvOnly,
        (false, false) => TransceiverDirection::Inactive,
    }
}

fn stop_cause(cause: EndCause) -> Option<StopCause> {
    match cause {
        EndCause::TransceiverStopped => Some(StopCause::TransceiverStopped),
        EndCause::RemoteRejected => Some(StopCause::RemoteRejected),
        EndCause::RollbackRemoved => Some(StopCause::RollbackRemoved),
        EndCause::PeerConnectionClosed => Some(StopCause::PeerConnectionClosed),
        EndCause::LocallyRejected => Some(StopCause::LocallyRejected),
        _ => None,
    }
}

impl Seen {
    fn model(t: &Model) -> Self {
        Self::model_with(t, t.mid.clone())
    }

    fn model_with(t: &Model, mid: Option<String>) -> Self {
        Self {
            kind: t.kind,
            phase: match t.life {
                Life::Active => Phase::Active,
                Life::Stopping => Phase::Stopping,
                Life::Stopped => Phase::Stopped,
                Life::Removed => Phase::Removed,
            },
            mid,
            // webrtc-pc: `direction` reads "stopped" once stopping, `currentDirection` once
            // stopped.
            direction: match t.life {
                Life::Active => getter(t.direction),
                _ => TransceiverDirection::Stopped,
            },
            current_direction: match t.life {
                Life::Active | Life::Stopping => t.current.map(getter),
                _ => Some(TransceiverDirection::Stopped),
            },
            stop_cause: t.ended.and_then(stop_cause),
            receiver_track_ended: t.ended.map(EndReason::Ended),
            sender_has_track: t.has_track,
        }
    }

    /// `Seen::model(t) == Seen::session(actual)`, without building either.
    fn same(t: &Model, actual: &RtpTransceiver) -> bool {
        Self::model_with(t, None) == Self::session_without_mid(actual)
            && t.mid.as_deref() == actual.mid().map(|m| m.as_str())
    }

    fn session_without_mid(t: &RtpTransceiver) -> Self {
        Self {
            kind: t.kind(),
            phase: t.phase(),
            mid: None,
            direction: t.direction(),
            current_direction: t.current_direction(),
            stop_cause: t.stop_cause(),
            receiver_track_ended: t.receiver().track().end_reason(),
            sender_has_track: t.sender().track().is_some(),
        }
    }

    fn session(t: &RtpTransceiver) -> Self {
        Self {
            mid: t.mid().map(|m| m.as_str().to_owned()),
            ..Self::session_without_mid(t)
        }
    }
}

/// Compares `peer` with `session`; first learns the ids of the transceivers the session made
/// since the last comparison (in creation order, which both keep).
pub(super) fn compare(peer: &mut Peer, session: &Session) -> Result<(), String> {
    let who = peer.who;
    let known: BTreeSet<TransceiverId> = peer.transceivers.iter().filter_map(|t| t.id).collect();
    let made: Vec<TransceiverId> = session
        .transceivers()
        .map(RtpTransceiver::id)
        .filter(|id| !known.contains(id))
        .collect();
    let unknown: Vec<usize> = peer
        .in_set()
        .filter(|&i| peer.transceivers[i].id.is_none())
        .collect();
    if made.len() != unknown.len() {
        return Err(format!(
            "{who:?}: the session made transceivers {made:?}, the model predicts {} new \
             ones\n{}",
            unknown.len(),
            describe(peer, session)
        ));
    }
    for (index, id) in unknown.into_iter().zip(made) {
        peer.transceivers[index].id = Some(id);
    }

    let mut differences = Vec::new();
    if peer.signaling != session.signaling_state() {
        differences.push(format!(
            "signaling state: model {:?}, session {:?}",
            peer.signaling,
            session.signaling_state()
        ));
    }
    if peer.mode() != session.mode() {
        differences.push(format!(
            "mode: model {}, session {}",
            peer.mode(),
            session.mode()
        ));
    }
    if !peer.closed() && peer.negotiation_needed != session.is_negotiation_needed() {
        differences.push(format!(
            "negotiation-needed: model {}, session {}",
            peer.negotiation_needed,
            session.is_negotiation_needed()
        ));
    }
    if peer.data_channels != session.data_channels().len() {
        differences.push(format!(
            "data channels: model {}, session {}",
            peer.data_channels,
            session.data_channels().len()
        ));
    }
    let model_set: Vec<Option<TransceiverId>> =
        peer.in_set().map(|i| peer.transceivers[i].id).collect();
    let session_set: Vec<Option<TransceiverId>> =
        session.transceivers().map(|t| Some(t.id())).collect();
    if model_set != session_set {
        differences.push(format!(
            "getTransceivers(): model {model_set:?}, session {session_set:?}"
        ));
    }
    for t in &peer.transceivers {
        let Some(id) = t.id else { continue };
        let actual = session.transceiver(id);
        if actual.is_some_and(|actual| Seen::same(t, actual)) {
            continue;
        }
        differences.push(format!(
            "{id:?}: model {:?}\n        session {:?}",
            Seen::model(t),
            actual.map(Seen::session)
        ));
    }
    let descriptions = [
        (
            "current local",
            &peer.current_local,
            session.current_local_description(),
        ),
        (
            "current remote",
            &peer.current_remote,
            session.current_remote_description(),
        ),
        (
            "pending local",
            &peer.pending_local,
            session.pending_local_description(),
        ),
        (
            "pending remote",
            &peer.pending_remote,
            session.pending_remote_description(),
        ),
    ];
    for (what, predicted, actual) in descriptions {
        match (predicted, actual) {
            (None, None) => {}
            (Some(predicted), Some(actual)) => {
                if let Err(e) = same_description(what, predicted, actual) {
                    differences.push(e);
                }
            }
            (predicted, actual) => differences.push(format!(
                "{what} description: model {}, session {}",
                predicted
                    .as_ref()
                    .map_or("none".into(), ToString::to_string),
                actual.map_or("none".into(), show_actual)
            )),
        }
    }
    if differences.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{who:?} differs from the model:\n  - {}\n{}",
        differences.join("\n  - "),
        describe(peer, session)
    ))
}

/// Both sides in full, for a failure message.
fn describe(peer: &Peer, session: &Session) -> String {
    let mut out = format!("  model of {:?} ({:?}):\n", peer.who, peer.signaling);
    for t in &peer.transceivers {
        let _ = writeln!(out, "    {:?} {:?}", t.id, Seen::model(t));
    }
    let _ = writeln!(out, "  session ({:?}):", session.signaling_state());
    for t in session.transceivers() {
        let _ = writeln!(out, "    {:?} {:?}", t.id(), Seen::session(t));
    }
    out
}

fn show_actual(description: &SessionDescription) -> String {
    let (lines, bundle) = sdp::read(description);
    let lines: Vec<String> = lines
        .iter()
        .map(|l| {
            l.as_ref()
                .map_or("(unreadable)".into(), ToString::to_string)
        })
        .collect();
    format!(
        "{:?}: [{}] BUNDLE {bundle:?}",
        description.sdp_type,
        lines.join("; ")
    )
}

fn same_bundle(predicted: &[String], actual: &[String]) -> bool {
    let set = |mids: &[String]| mids.iter().cloned().collect::<BTreeSet<String>>();
    predicted.first() == actual.first() && set(predicted) == set(actual)
}

/// Whether `actual` is the description `predicted`: type, each m-line (see [`Line::matches`]),
/// and the BUNDLE group (same tag, same members; mids are unique).
pub(super) fn same_description(
    what: &str,
    predicted: &Desc,
    actual: &SessionDescription,
) -> Result<(), String> {
    let sdp_type = match predicted.kind {
        DescKind::Offer => SdpType::Offer,
        DescKind::Answer => SdpType::Answer,
    };
    let group = actual.bundle_groups().next();
    let same_group = match group {
        None => predicted.bundle.is_empty(),
        Some(group) => {
            group.mids().next() == predicted.bundle.first().map(String::as_str)
                && group.mids().count() == predicted.bundle.len()
                && group
                    .mids()
                    .all(|mid| predicted.bundle.iter().any(|p| p == mid))
        }
    };
    let same = sdp_type == actual.sdp_type
        && actual.media.len() == predicted.lines.len()
        && predicted
            .lines
            .iter()
            .zip(&actual.media)
            .all(|(p, a)| p.matches_section(a))
        && same_group;
    if same {
        return Ok(());
    }
    Err(format!(
        "{what} description:\n        model   {predicted}\n        session {}",
        show_actual(actual)
    ))
}

/// Checks the session's offer against the plan and returns it in the model's terms, with the
/// new mids the session chose. Each new mid must be new: not a mid of the current
/// descriptions nor of a transceiver in the set (RFC 9429 §5.2.2: a recycled section gets "a
/// new MID value"; mids are unique, RFC 5888 §4).
pub(super) fn resolve_offer(
    peer: &Peer,
    plan: &Plan,
    actual: &SessionDescription,
) -> Result<Desc, String> {
    let (lines, bundle) = sdp::read(actual);
    let mut taken: BTreeSet<&str> = [&peer.current_local, &peer.current_remote]
        .into_iter()
        .flatten()
        .flat_map(|d| d.lines.iter().map(|l| l.mid.as_str()))
        .collect();
    taken.extend(
        peer.in_set()
            .filter_map(|i| peer.transceivers[i].mid.as_deref()),
    );
    let mut resolved: Vec<Line> = Vec::with_capacity(plan.lines.len());
    let mismatch = |detail: String| {
        let predicted: Vec<String> = plan
            .lines
            .iter()
            .zip(&plan.fresh)
            .map(|(l, fresh)| {
                if *fresh {
                    format!("{l} (new mid)")
                } else {
                    l.to_string()
                }
            })
            .collect();
        format!(
            "the offer {detail}\n        model   [{}]\n        session {}",
            predicted.join("; "),
            show_actual(actual)
        )
    };
    if lines.len() != plan.lines.len() {
        return Err(mismatch(format!(
            "has {} m-lines, the model predicts {}",
            lines.len(),
            plan.lines.len()
        )));
    }
    for (index, (line, fresh)) in plan.lines.iter().zip(&plan.fresh).enumerate() {
        let Some(seen) = &lines[index] else {
            return Err(mismatch(format!("m-line {index} is unreadable")));
        };
        let mut line = line.clone();
        if *fresh {
            if taken.contains(seen.mid.as_str()) {
                return Err(mismatch(format!(
                    "m-line {index}: the new mid {} is not new",
                    seen.mid
                )));
            }
            line.mid.clone_from(&seen.mid);
        }
        if !line.matches(seen) {
            return Err(mismatch(format!("m-line {index} differs")));
        }
        resolved.push(line);
    }
    let predicted_bundle: Vec<String> = plan
        .bundle
        .iter()
        .map(|&i| resolved[i].mid.clone())
        .collect();
    if !same_bundle(&predicted_bundle, &bundle) {
        return Err(mismatch(format!(
            "has BUNDLE {bundle:?}, the model predicts {predicted_bundle:?}"
        )));
    }
    Ok(Desc {
        kind: DescKind::Offer,
        author: peer.who,
        serial: 0,
        answers: None,
        lines: resolved,
        bundle: predicted_bundle,
    })
}
