//! Applying descriptions and rolling back, from webrtc-pc "set the session description" and
//! RFC 9429 §5.7, §5.9-§5.11, with tacet's named policies (`UnassociatedStopPolicy::Drop`,
//! `PeerPolicy::Tolerant`; docs/stop-semantics.md §4.1).

use tacet_session::{DomException, SignalingState};
use tacet_track::EndCause;

use super::peer::{Life, Peer};
use super::sdp::{Desc, DescKind, Dir, Line, LineKind};
use super::{BackToBack, LocalAnswerRejection, RejectedSection, StaleAnswerError, Verdict};

impl Peer {
    /// Leaving stable: the transceivers a remote offer creates from now on are the ones a
    /// rollback of it removes.
    fn leave_stable(&mut self) {
        if self.signaling == SignalingState::Stable {
            for t in &mut self.transceivers {
                t.made_by_pending = false;
            }
        }
    }

    /// `setLocalDescription(offer)` with the offer the peer just created; returns it as set.
    pub(crate) fn set_local_offer(&mut self, mut offer: Desc, owners: &[Option<usize>]) -> Desc {
        self.leave_stable();
        for (line, owner) in offer.lines.iter().zip(owners) {
            if let Some(t) = owner {
                // RFC 9429 §5.9: the offer's index mapping associates the transceiver.
                self.transceivers[*t].mid = Some(line.mid.clone());
            }
        }
        // UnassociatedStopPolicy::Drop (docs/stop-semantics.md §4.1): a transceiver stopped
        // while associated with no m-section leaves the set when a local offer is applied.
        self.drop_unassociated_stops();
        self.serial += 1;
        offer.serial = self.serial;
        self.pending_local = Some(offer.clone());
        self.signaling = SignalingState::HaveLocalOffer;
        offer
    }

    /// `setLocalDescription(answer)` with the answer the peer just created; returns it as set.
    pub(crate) fn set_local_answer(&mut self, mut answer: Desc) -> Desc {
        for (line, t) in self.answered(&answer.lines) {
            let line = &answer.lines[line];
            // Local branch: [[CurrentDirection]] is the answer's direction (inactive for a
            // rejected section: docs/stop-semantics.md §4.2). The local branch never stops a
            // transceiver — see `LocalAnswerRejection`.
            self.transceivers[t].negotiated(if line.rejected {
                Dir::INACTIVE
            } else {
                line.dir
            });
            if line.rejected {
                match self.rules.local_answer_rejection {
                    LocalAnswerRejection::KeepsTransceiver => {}
                    LocalAnswerRejection::Stops => {
                        self.transceivers[t].stop_the_transceiver(EndCause::LocallyRejected);
                    }
                }
            }
        }
        self.serial += 1;
        answer.serial = self.serial;
        self.current_remote = self.pending_remote.take();
        self.current_local = Some(answer.clone());
        self.answer_applied();
        answer
    }

    /// The media lines of an answer being applied whose transceiver is in the set and not
    /// stopped (both branches "abort if [[Stopped]]"), as (line index, transceiver).
    fn answered(&self, lines: &[Line]) -> Vec<(usize, usize)> {
        lines
            .iter()
            .enumerate()
            .filter(|(_, line)| line.is_media())
            .filter_map(|(i, line)| Some((i, self.with_mid(&line.mid)?)))
            .filter(|&(_, t)| self.transceivers[t].life < Life::Stopped)
            .collect()
    }

    /// The steps after an answer is applied, and the state becoming stable.
    fn answer_applied(&mut self) {
        self.pending_local = None;
        self.pending_remote = None;
        self.signaling = SignalingState::Stable;
        // webrtc-pc: "If transceiver is stopped, associated with an m= section and the
        // associated m= section is rejected in [[CurrentLocalDescription]] or
        // [[CurrentRemoteDescription]], remove the transceiver from the set".
        for index in self.in_set().collect::<Vec<_>>() {
            let t = &self.transceivers[index];
            let rejected = t.mid.as_deref().is_some_and(|mid| {
                [&self.current_local, &self.current_remote]
                    .into_iter()
                    .flatten()
                    .any(|d| d.rejects(mid))
            });
            if t.life == Life::Stopped && rejected {
                self.transceivers[index].remove();
            }
        }
        // UnassociatedStopPolicy::Drop: also when an exchange completes.
        self.drop_unassociated_stops();
        for t in &mut self.transceivers {
            t.made_by_pending = false;
        }
        // "Clear the negotiation-needed flag and update the negotiation-needed flag".
        self.update_negotiation_needed();
    }

    fn drop_unassociated_stops(&mut self) {
        for t in &mut self.transceivers {
            if matches!(t.life, Life::Stopping | Life::Stopped) && t.mid.is_none() {
                t.remove();
            }
        }
    }

    /// Whether `setRemoteDescription(description)` will succeed. Structural rules the model
    /// checks itself; a stale answer (one made for another offer than the pending one, which
    /// only a signaling fault delivers) is left to the session when its m-lines fit the offer:
    /// whether its BUNDLE group still fits depends on details the model does not track.
    pub(crate) fn judge_remote(&self, description: &Desc) -> Verdict {
        if self.closed() {
            return Verdict::Fails(DomException::InvalidStateError);
        }
        let wrong_state = description.kind == DescKind::Answer
            && self.signaling != SignalingState::HaveLocalOffer;
        // RFC 3264 §8: the version never goes down (tacet refuses it, docs/stop-semantics.md
        // §3.5); the model's serials order one author's descriptions the same way.
        let older = self.remote().is_some_and(|r| description.serial < r.serial);
        match (wrong_state, older, self.rules.stale_answer_error) {
            (true, true, StaleAnswerError::VersionFirst) | (false, true, _) => {
                return Verdict::Fails(DomException::OperationError);
            }
            (true, _, _) => return Verdict::Fails(DomException::InvalidStateError),
            (false, false, _) => {}
        }
        match description.kind {
            DescKind::Offer => match self.clone().apply_remote_offer(description.clone()) {
                Ok(()) => Verdict::Succeeds,
                Err(e) => Verdict::Fails(e),
            },
            DescKind::Answer => {
                // Checked above: have-local-offer, so there is a pending local offer.
                let Some(offer) = &self.pending_local else {
                    return Verdict::Fails(DomException::InvalidStateError);
                };
                // RFC 3264 §6, RFC 9429 §5.3.1: as many m-lines, each with the offer's kind
                // and mid.
                let fits = description.lines.len() == offer.lines.len()
                    && description
                        .lines
                        .iter()
                        .zip(&offer.lines)
                        .all(|(a, o)| a.mid == o.mid && a.kind == o.kind);
                match (fits, description.answers == Some(offer.serial)) {
                    (false, _) => Verdict::Fails(DomException::OperationError),
                    (true, true) => Verdict::Succeeds,
                    (true, false) => Verdict::Either,
                }
            }
        }
    }

    /// `setRemoteDescription(description)`, once judged (or seen) to succeed.
    pub(crate) fn set_remote(&mut self, description: Desc) -> Result<(), DomException> {
        match description.kind {
            DescKind::Offer => self.apply_remote_offer(description),
            DescKind::Answer => {
                self.apply_remote_answer(description);
                Ok(())
            }
        }
    }

    /// A remote offer: in have-local-offer the local offer is rolled back first (the polite
    /// peer; webrtc-pc runs the rollback as part of the call). Then each media line finds or
    /// creates its transceiver (RFC 9429 §5.10) and a rejected line stops it (webrtc-pc "If
    /// the media description is rejected, and transceiver.[[Stopped]] is false, then stop the
    /// RTCRtpTransceiver").
    fn apply_remote_offer(&mut self, offer: Desc) -> Result<(), DomException> {
        if self.signaling == SignalingState::HaveLocalOffer {
            self.rollback_local();
        }
        self.check_remote_layout(&offer)?;
        self.leave_stable();
        // The slots as they were: a line whose mid changed there is recycled (RFC 9429 §5.10).
        let previous = match self.rules.back_to_back {
            BackToBack::AsIfAnswered => self.pending_remote.as_ref(),
            BackToBack::CurrentOnly => None,
        };
        let before: Vec<String> = previous
            .or(self.current_remote.as_ref())
            .map(|d| d.lines.iter().map(|l| l.mid.clone()).collect())
            .unwrap_or_default();
        let mut picked: Vec<usize> = Vec::new();
        for (index, line) in offer.lines.iter().enumerate() {
            let LineKind::Media(kind) = line.kind else {
                continue;
            };
            let t = match self.with_mid(&line.mid) {
                Some(t) if self.transceivers[t].kind != kind => {
                    // RFC 9429 §5.10: a mid keeps the media type of its transceiver.
                    return Err(DomException::OperationError);
                }
                Some(t) => t,
                None => {
                    let recycled = before.get(index).filter(|m| **m != line.mid);
                    if let Some(old) = recycled.and_then(|mid| self.with_mid(mid)) {
                        self.transceivers[old].mid = None;
                    }
                    if line.rejected && self.rules.rejected_section == RejectedSection::Placeholder
                    {
                        continue;
                    }
                    let t = self.find_or_create(kind, line, &picked);
                    self.transceivers[t].mid = Some(line.mid.clone());
                    t
                }
            };
            picked.push(t);
            if line.rejected {
                self.transceivers[t].stop_the_transceiver(EndCause::RemoteRejected);
            }
        }
        self.pending_remote = Some(offer);
        self.signaling = SignalingState::HaveRemoteOffer;
        Ok(())
    }

    /// RFC 9429 §5.10: "If the m= section is sendrecv or recvonly, and there are
    /// RtpTransceivers of the same type that were added to the PeerConnection by addTrack and
    /// are not associated with any m= section and are not stopped, find the first" — else
    /// create a recvonly one. "Added by addTrack" is read as: addTrack attached a track to it,
    /// whether it made it or reused it (WPT `checkAddTransceiverThenAddTrackPairs`), also one a
    /// rolled-back remote offer made and addTrack kept; "stopped" as JSEP's own (stop() stops,
    /// §4.2.2), so a stopping one is not taken (the stop table's "a new remote m-section may
    /// take it").
    fn find_or_create(
        &mut self,
        kind: tacet_track::TrackKind,
        line: &Line,
        picked: &[usize],
    ) -> usize {
        let found = self.in_set().find(|&i| {
            let t = &self.transceivers[i];
            line.dir.recv
                && !line.rejected
                && t.kind == kind
                && t.add_track
                && t.mid.is_none()
                && t.life == Life::Active
                && !picked.contains(&i)
        });
        found.unwrap_or_else(|| self.create_for_remote_offer(kind))
    }

    /// A remote offer keeps every m-line of the descriptions in force, in order, with its kind
    /// and mid, except where a slot may be recycled: port 0 in a current description, and then
    /// with "a new MID value" and any kind (RFC 3264 §8; RFC 9429 §5.2.2, §5.10). A kind
    /// changed under the same mid, or a mid moved to another index, is neither kept nor
    /// recycled. For back-to-back offers see [`BackToBack`].
    fn check_remote_layout(&self, offer: &Desc) -> Result<(), DomException> {
        let rejected_at =
            |d: Option<&Desc>, i: usize| d.and_then(|d| d.lines.get(i)).is_some_and(|l| l.rejected);
        let in_current = |i: usize| {
            rejected_at(self.current_local.as_ref(), i)
                || rejected_at(self.current_remote.as_ref(), i)
        };
        match (self.rules.back_to_back, &self.pending_remote) {
            // As if the pending offer had been answered: it is the current remote description,
            // and the answer would reject what it rejects and what our stopped transceivers
            // hold (RFC 9429 §5.3.1).
            (BackToBack::AsIfAnswered, Some(pending)) => keeps(offer, pending, |i| {
                pending.lines[i].rejected
                    || self
                        .with_mid(&pending.lines[i].mid)
                        .is_some_and(|t| self.transceivers[t].life >= Life::Stopped)
            }),
            // tacet today: against the current description and the pending one in turn, a slot
            // recyclable where a current description rejects it (or, against the pending one,
            // where that offer does).
            (BackToBack::CurrentOnly, Some(pending)) => {
                if let Some(current) = &self.current_remote {
                    keeps(offer, current, in_current)?;
                }
                keeps(offer, pending, |i| {
                    in_current(i) || pending.lines[i].rejected
                })
            }
            (_, None) => match &self.current_remote {
                Some(current) => keeps(offer, current, in_current),
                None => Ok(()),
            },
        }
    }

    /// A remote answer to the pending local offer. `PeerPolicy::Tolerant`: a line the offer
    /// rejected is read as rejected whatever port the answer gives it, and its mid leaves the
    /// group (docs/stop-semantics.md §3.5).
    fn apply_remote_answer(&mut self, mut answer: Desc) {
        let offer = self
            .pending_local
            .take()
            .expect("invariant: judged in have-local-offer");
        for (line, offered) in answer.lines.iter_mut().zip(&offer.lines) {
            if offered.rejected && !line.rejected {
                *line = Line::rejected(line.mid.clone(), line.kind);
            }
        }
        let lines = answer.lines.clone();
        answer
            .bundle
            .retain(|mid| lines.iter().any(|l| &l.mid == mid && !l.rejected));
        for (line, t) in self.answered(&answer.lines) {
            let line = &answer.lines[line];
            let model = &mut self.transceivers[t];
            if line.rejected {
                model.stop_the_transceiver(EndCause::RemoteRejected);
            } else {
                // Remote branch: [[CurrentDirection]] is the answer's direction reversed.
                model.negotiated(line.dir.reversed());
            }
        }
        self.current_local = Some(offer);
        self.current_remote = Some(answer);
        self.answer_applied();
    }

    /// `setLocalDescription({type: "rollback"})`: InvalidStateError in stable (and closed).
    pub(crate) fn rollback(&mut self) -> Result<(), DomException> {
        match self.signaling {
            SignalingState::HaveLocalOffer => self.rollback_local(),
            SignalingState::HaveRemoteOffer => self.rollback_remote(),
            _ => return Err(DomException::InvalidStateError),
        }
        Ok(())
    }

    /// Rolling back a local offer: the transceivers it associated lose their mid; a stop is
    /// kept (nothing clears `[[Stopping]]`).
    fn rollback_local(&mut self) {
        self.pending_local = None;
        self.back_to_stable();
    }

    /// Rolling back a remote offer: as for a local one, and each transceiver the offer created
    /// that addTrack never gave a track is stopped (its track ends, cause rollback) and
    /// removed (webrtc-pc rollback steps; RFC 9429 §5.7).
    fn rollback_remote(&mut self) {
        self.pending_remote = None;
        for index in self.in_set().collect::<Vec<_>>() {
            let t = &mut self.transceivers[index];
            if t.made_by_pending && !t.add_track {
                t.stop_the_transceiver(EndCause::RollbackRemoved);
                t.remove();
            }
        }
        self.back_to_stable();
    }

    /// webrtc-pc rollback: "If transceiver was not associated with a media description prior
    /// to pendingDescription being set, disassociate it" — associated with a section of the
    /// current descriptions, which the rollback does not touch (for back-to-back descriptions
    /// this is the last stable state, as every other `[[LastStableState…]]` slot).
    fn back_to_stable(&mut self) {
        let current: Vec<String> = [&self.current_local, &self.current_remote]
            .into_iter()
            .flatten()
            .flat_map(|d| d.lines.iter().map(|l| l.mid.clone()))
            .collect();
        for t in &mut self.transceivers {
            if t.mid.as_ref().is_some_and(|mid| !current.contains(mid)) {
                t.mid = None;
            }
            t.made_by_pending = false;
        }
        self.signaling = SignalingState::Stable;
        self.update_negotiation_needed();
    }
}

/// Whether `offer` keeps every m-line of `previous` (same mid and kind), except the ones it may
/// recycle (`recyclable(index)`) with a mid `previous` does not have.
fn keeps(
    offer: &Desc,
    previous: &Desc,
    recyclable: impl Fn(usize) -> bool,
) -> Result<(), DomException> {
    if offer.lines.len() < previous.lines.len() {
        return Err(DomException::OperationError);
    }
    for (i, (old, new)) in previous.lines.iter().zip(&offer.lines).enumerate() {
        let kept = old.mid == new.mid && old.kind == new.kind;
        let recycled = recyclable(i) && previous.line(&new.mid).is_none();
        if !kept && !recycled {
            return Err(DomException::OperationError);
        }
    }
    Ok(())
}
