//! A reference model of two peers: a small abstract description of what the spec says each
//! operation of [`crate::model::World`] does, advanced by the same operations and compared
//! with both sessions after every step. It predicts; it does not ask the session.
//!
//! Written from the spec rules (webrtc-pc, RFC 9429, RFC 9143: the stop-semantics reference,
//! §1, §3, §6, whose rules `docs/spec.md` lists) and tacet's documented policies
//! (`docs/stop-semantics.md` §3, §4: `UnassociatedStopPolicy::Drop`, `PeerPolicy::Tolerant`,
//! where the BUNDLE tag goes), never from `tacet-session`'s code. Per peer it keeps:
//!
//! - each transceiver: kind, `[[Direction]]`, `[[CurrentDirection]]`, whether it is active,
//!   stopping, stopped or removed, its mid, whether its sender has a track, and why its
//!   receiver track ended ([`EndCause`](tacet_track::EndCause): transceiver stopped, remote
//!   rejected, rollback removed, peer connection closed);
//! - the current and pending local and remote descriptions as m-lines (mid, kind, port 0, and
//!   for live media lines the direction and whether `a=msid` is there) and the BUNDLE group —
//!   so per m-line index: free, live (kind, mid), port 0, or recycled (a new mid at the index
//!   of a port-0 line);
//! - the signaling state, the data channels, the negotiation-needed flag, the mode.
//!
//! What it **predicts**: whether each call succeeds (and the W3C exception when it does not);
//! every m-line of every offer and answer (which index, kind, port 0, mid kept or new,
//! direction, msid, BUNDLE tag and members); which transceiver `addTrack` reuses; which
//! transceivers a remote offer creates or pairs; every stop, its cause and when the track
//! ends; every removal; the mids; `[[CurrentDirection]]`; negotiation-needed; the mode.
//!
//! What it only **checks**: the values of new mids (the session chooses them: the model checks
//! that each is new and learns it), and whether a *stale* answer is accepted — one that
//! answers an offer other than the pending one, which only a signaling fault delivers: when
//! its m-lines fit the pending offer the session's verdict is taken (its BUNDLE group may or
//! may not still fit, a detail of RFC 9143 the model does not track) and the model applies
//! the answer the spec's way. Codecs, transports, candidates and events other than the
//! receiver track's end are not modelled: the peers share one codec configuration, so no
//! section is ever rejected for want of a codec.
//!
//! Rules where the spec and tacet part, or which are about to change, are named in [`Rules`]
//! so that each is one switch.

mod apply;
mod compare;
mod offer_answer;
mod peer;
mod sdp;

use std::collections::VecDeque;

use tacet_sdp::SessionDescription;
use tacet_session::{DomException, Session, SignalingState, TransceiverId};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::Direction;

use crate::pair::Who;
use peer::Peer;
use sdp::Desc;

/// What a remote offer does with a rejected m-section that no transceiver holds (the slot of
/// a transceiver that was stopped and removed, offered again as a port-0 placeholder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectedSection {
    /// webrtc-pc "set the session description" runs "find or create" for **every** media
    /// description and then stops the transceiver of a rejected one; RFC 9429 §5.10 has no
    /// exception for rejected sections, and §3.4.1 says an applied description associates
    /// every m-section with exactly one transceiver. So a recvonly transceiver is created, its
    /// receiver track ends at once (remote rejected), and it is removed when the answer is
    /// applied.
    CreateAndStop,
    /// tacet today (docs/stop-semantics.md §3.3, "a rejected section nobody holds creates
    /// nothing"): nothing is created. Differs from the spec; see
    /// `a_rejected_section_nobody_holds_creates_a_stopped_transceiver` in
    /// `tests/tests/session_model.rs`.
    Placeholder,
}

/// What applying a **local** answer does to a transceiver whose section it rejects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalAnswerRejection {
    /// webrtc-pc's local branch never stops a transceiver: it stays active with its section
    /// rejected. (In flight in the session: a local answer that rejects a section will stop
    /// the transceiver with a new `EndCause`, as Chromium does, webrtc-pc#2927. Add a variant
    /// `Stops(cause)` here and apply it in `Peer::set_local_answer`.)
    KeepsTransceiver,
    /// tacet (docs/stop-semantics.md §4.2; webrtc-pc#2927, Chromium): an applied final answer
    /// of its own that rejects the section stops the transceiver (receiver track ended,
    /// `EndCause::LocallyRejected`); the answer then removes it.
    Stops,
}

/// Which live offered sections an answer rejects for BUNDLE's sake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleRule {
    /// `BundlePolicy::MaxBundle` (the model's sessions use it): a live section outside every
    /// offered BUNDLE group is rejected. (In flight: the answerer will follow `bundlePolicy`;
    /// a `Balanced` answer rejects nothing for this reason.)
    MaxBundleRejectsUngrouped,
}

/// When a media section carries `a=msid` (which feeds webrtc-pc's negotiation-needed step
/// 4c.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsidRule {
    /// RFC 9429 §5.2.1 / §5.3.1: when the transceiver's direction sends, one `a=msid` per
    /// stream associated with it (a track or not); §5.2.2 / §5.3.2: for a transceiver that is
    /// not stopped, the `a=msid` lines of the current description stay, "regardless of changes
    /// to the transceiver's direction or track". Step 4c.1 then asks for `a=msid` whenever
    /// `[[Direction]]` sends.
    Jsep,
    /// tacet today: `a=msid` when `[[Direction]]` sends **and** the sender has a track, and
    /// step 4c.1 only for a sender with a track (`crates/session/src/offer.rs`,
    /// `negotiation.rs`). Differs from the spec; see
    /// `a_sending_transceiver_without_a_track_announces_its_streams`.
    WithTrack,
}

/// What a remote offer that replaces a pending remote offer (back-to-back offers, which only
/// a signaling fault produces here) may recycle, and which transceiver it disassociates then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackToBack {
    /// webrtc-pc validates back-to-back offers "as if answers were applied in between": the
    /// pending offer stands for the current remote description, and its answer would reject
    /// what it rejects and what a stopped transceiver holds, so those slots are recyclable
    /// (RFC 9429 §5.2.2) and the others must keep their mid and kind. RFC 9429 §5.10 then
    /// disassociates the transceiver of a recycled slot ("If the m= section is being recycled,
    /// disassociate the currently associated RtpTransceiver"); stopped and with no mid, it
    /// leaves the set when the exchange completes (`UnassociatedStopPolicy::Drop`).
    AsIfAnswered,
    /// tacet today: the offer is checked against the current description and the pending one
    /// in turn, a slot recyclable where a *current* description rejects it (or, against the
    /// pending offer, where that offer does) — so an offer may, for instance, take back a mid
    /// the pending offer had replaced with a live one; and only the owner of a slot of the
    /// current descriptions is disassociated. A transceiver whose slot only the pending offer
    /// rejected keeps its mid when the next offer recycles it: stopped, with a mid no
    /// description holds any more, it is never removed, and negotiation stays needed for ever
    /// (webrtc-pc step 4d). See
    /// `a_back_to_back_offer_that_recycles_a_slot_disassociates_its_transceiver` and
    /// `a_back_to_back_offer_keeps_the_mids_the_pending_offer_made_live`.
    CurrentOnly,
}

/// Which error `setRemoteDescription` reports when a description is both of the wrong type
/// for the signaling state and older than the remote description in force (a stale answer,
/// after a signaling fault).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaleAnswerError {
    /// webrtc-pc "set the session description": when applying fails, "If description.type is
    /// invalid for the current [[SignalingState]] ... reject p with a newly created
    /// InvalidStateError" comes before every other reason.
    InvalidState,
    /// tacet today: the `o=` version is checked first, so the same answer is refused with
    /// OperationError (RFC 3264 §8). See
    /// `an_answer_in_the_wrong_state_is_an_invalid_state_error_even_when_its_version_went_down`.
    VersionFirst,
}

/// The rules that are one switch each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// A rejected section nobody holds.
    pub rejected_section: RejectedSection,
    /// A local answer's rejection.
    pub local_answer_rejection: LocalAnswerRejection,
    /// BUNDLE in answers.
    pub bundle: BundleRule,
    /// `a=msid`.
    pub msid: MsidRule,
    /// Recycling in back-to-back offers.
    pub back_to_back: BackToBack,
    /// The error for an old answer in the wrong state.
    pub stale_answer_error: StaleAnswerError,
}

impl Rules {
    /// The spec's rules.
    pub const SPEC: Self = Self {
        rejected_section: RejectedSection::CreateAndStop,
        local_answer_rejection: LocalAnswerRejection::KeepsTransceiver,
        bundle: BundleRule::MaxBundleRejectsUngrouped,
        msid: MsidRule::Jsep,
        back_to_back: BackToBack::AsIfAnswered,
        stale_answer_error: StaleAnswerError::InvalidState,
    };

    /// The rules the proptests run with: the spec's, except where tacet is known to differ
    /// (each such difference has an ignored test that shows it).
    pub const PROPTEST: Self = Self {
        rejected_section: RejectedSection::Placeholder,
        local_answer_rejection: LocalAnswerRejection::Stops,
        msid: MsidRule::WithTrack,
        back_to_back: BackToBack::CurrentOnly,
        ..Self::SPEC
    };
}

/// What the model says a call will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Succeeds,
    Fails(DomException),
    /// The model leaves it to the session (see the module docs).
    Either,
}

/// The two peers and the channel between them, as the model sees them. Each call method takes
/// the session's outcome of the same call (`actual`), predicts its own, compares the two and
/// advances the model; `Err` describes the disagreement.
#[derive(Clone, Debug)]
pub struct Reference {
    peers: [Peer; 2],
    /// Descriptions in flight, oldest first, beside `World`'s.
    channel: VecDeque<(Who, Desc)>,
}

fn slot(who: Who) -> usize {
    usize::from(who == Who::B)
}

/// Compares the predicted outcome of a call with the session's.
fn judge(
    call: &str,
    predicted: Result<(), DomException>,
    actual: Result<(), DomException>,
) -> Result<(), String> {
    if predicted == actual {
        return Ok(());
    }
    let show = |r: Result<(), DomException>| match r {
        Ok(()) => "succeeds".to_owned(),
        Err(e) => format!("fails with {}", e.name()),
    };
    Err(format!(
        "{call}: the model predicts it {}, the session {}",
        show(predicted),
        show(actual)
    ))
}

impl Reference {
    /// Two fresh peers under `rules`.
    pub fn new(rules: Rules) -> Self {
        Self {
            peers: [Peer::new(Who::A, rules), Peer::new(Who::B, rules)],
            channel: VecDeque::new(),
        }
    }

    fn peer(&self, who: Who) -> &Peer {
        &self.peers[slot(who)]
    }

    fn peer_mut(&mut self, who: Who) -> &mut Peer {
        &mut self.peers[slot(who)]
    }

    /// The signaling state the model predicts.
    pub fn signaling(&self, who: Who) -> SignalingState {
        self.peer(who).signaling
    }

    /// The negotiation-needed flag the model predicts.
    pub fn negotiation_needed(&self, who: Who) -> bool {
        self.peer(who).negotiation_needed
    }

    /// The `pick`-th transceiver of `who`'s set: the model's index and the session's id.
    pub fn pick(&self, who: Who, pick: usize) -> Result<Option<(usize, TransceiverId)>, String> {
        let peer = self.peer(who);
        let Some(index) = peer.pick(pick) else {
            return Ok(None);
        };
        match peer.transceivers[index].id {
            Some(id) => Ok(Some((index, id))),
            None => Err(format!(
                "{who:?}: the model's transceiver #{index} has no counterpart in the session"
            )),
        }
    }

    /// `addTransceiver`.
    pub fn add_transceiver(
        &mut self,
        who: Who,
        kind: TrackKind,
        direction: Direction,
        actual: Result<TransceiverId, DomException>,
    ) -> Result<(), String> {
        let predicted = self.peer_mut(who).add_transceiver(kind, direction);
        judge("addTransceiver", predicted.map(drop), actual.map(drop))?;
        if let (Ok(index), Ok(id)) = (predicted, actual) {
            self.peer_mut(who).transceivers[index].id = Some(id);
        }
        Ok(())
    }

    /// `addTrack`: also which transceiver it reuses.
    pub fn add_track(
        &mut self,
        who: Who,
        kind: TrackKind,
        actual: Result<TransceiverId, DomException>,
    ) -> Result<(), String> {
        let predicted = self.peer_mut(who).add_track(kind);
        judge("addTrack", predicted.map(drop), actual.map(drop))?;
        let (Ok(index), Ok(id)) = (predicted, actual) else {
            return Ok(());
        };
        let model = &mut self.peer_mut(who).transceivers[index];
        match model.id {
            None => model.id = Some(id),
            Some(reused) if reused == id => {}
            Some(reused) => {
                return Err(format!(
                    "addTrack: the model predicts it reuses {reused:?}, the session used {id:?}"
                ));
            }
        }
        Ok(())
    }

    /// `transceiver.stop()` on the model's transceiver `index`.
    pub fn stop(
        &mut self,
        who: Who,
        index: usize,
        actual: Result<(), DomException>,
    ) -> Result<(), String> {
        judge("stop", self.peer_mut(who).stop(index), actual)
    }

    /// `stop_media()`.
    pub fn stop_media(&mut self, who: Who, actual: Result<(), DomException>) -> Result<(), String> {
        judge("stop_media", self.peer_mut(who).stop_media(), actual)
    }

    /// The direction setter.
    pub fn set_direction(
        &mut self,
        who: Who,
        index: usize,
        direction: Direction,
        actual: Result<(), DomException>,
    ) -> Result<(), String> {
        let predicted = self.peer_mut(who).set_direction(index, direction);
        judge("direction setter", predicted, actual)
    }

    /// `removeTrack`.
    pub fn remove_track(
        &mut self,
        who: Who,
        index: usize,
        actual: Result<(), DomException>,
    ) -> Result<(), String> {
        judge(
            "removeTrack",
            self.peer_mut(who).remove_track(index),
            actual,
        )
    }

    /// `createDataChannel`.
    pub fn create_data_channel(
        &mut self,
        who: Who,
        actual: Result<(), DomException>,
    ) -> Result<(), String> {
        judge(
            "createDataChannel",
            self.peer_mut(who).create_data_channel(),
            actual,
        )
    }

    /// `close()`.
    pub fn close(&mut self, who: Who) {
        self.peer_mut(who).close();
    }

    /// createOffer + setLocalDescription: the offer must be the predicted one; it is sent.
    pub fn offer(
        &mut self,
        who: Who,
        actual: Result<&SessionDescription, DomException>,
    ) -> Result<(), String> {
        let peer = self.peer(who);
        let plan = peer.plan_offer();
        judge(
            "createOffer + setLocalDescription",
            plan.as_ref().map(drop).map_err(|e| *e),
            actual.map(drop),
        )?;
        let (Ok(plan), Ok(actual)) = (plan, actual) else {
            return Ok(());
        };
        let offer = compare::resolve_offer(peer, &plan, actual)?;
        let sent = self.peer_mut(who).set_local_offer(offer, &plan.owners);
        self.channel.push_back((who.other(), sent));
        Ok(())
    }

    /// createAnswer + setLocalDescription in have-remote-offer: the answer must be the
    /// predicted one; it is sent.
    pub fn answer(
        &mut self,
        who: Who,
        actual: Result<&SessionDescription, DomException>,
    ) -> Result<(), String> {
        let answer = self.peer(who).plan_answer();
        judge(
            "createAnswer + setLocalDescription",
            answer.as_ref().map(drop).map_err(|e| *e),
            actual.map(drop),
        )?;
        let (Ok(answer), Ok(actual)) = (answer, actual) else {
            return Ok(());
        };
        compare::same_description("the answer", &answer, actual)?;
        let sent = self.peer_mut(who).set_local_answer(answer);
        self.channel.push_back((who.other(), sent));
        Ok(())
    }

    /// `setLocalDescription({type: "rollback"})`.
    pub fn rollback(&mut self, who: Who, actual: Result<(), DomException>) -> Result<(), String> {
        judge("rollback", self.peer_mut(who).rollback(), actual)
    }

    /// The oldest description in flight, if any: to whom, and whether that peer ignores it
    /// (perfect negotiation: B is impolite and ignores an offer that collides with its own).
    pub fn next_delivery(&self) -> Option<(Who, bool)> {
        self.channel.front().map(|(to, d)| {
            let ignored = *to == Who::B
                && d.kind == sdp::DescKind::Offer
                && self.peer(*to).signaling == SignalingState::HaveLocalOffer;
            (*to, ignored)
        })
    }

    /// The oldest description arrives: `actual` is the session's `setRemoteDescription`
    /// outcome (`None` when it was ignored).
    pub fn deliver(&mut self, actual: Option<Result<(), DomException>>) -> Result<(), String> {
        let Some((to, description)) = self.channel.pop_front() else {
            return Ok(());
        };
        let Some(actual) = actual else {
            return Ok(());
        };
        let peer = self.peer_mut(to);
        let verdict = peer.judge_remote(&description);
        let apply = match verdict {
            Verdict::Succeeds => Ok(()),
            Verdict::Fails(e) => Err(e),
            Verdict::Either => actual,
        };
        judge(
            &format!("setRemoteDescription({description})"),
            apply,
            actual,
        )?;
        if apply.is_ok() {
            peer.set_remote(description).map_err(|e| {
                format!("the model refused a description it judged acceptable: {e:?}")
            })?;
        }
        Ok(())
    }

    /// The oldest description in flight is lost.
    pub fn lose(&mut self) {
        self.channel.pop_front();
    }

    /// The two oldest descriptions in flight swap places.
    pub fn reorder(&mut self) {
        if self.channel.len() >= 2 {
            self.channel.swap(0, 1);
        }
    }

    /// Compares `who`'s model with its session (learning the ids of transceivers the session
    /// made for remote offers).
    pub fn compare(&mut self, who: Who, session: &Session) -> Result<(), String> {
        compare::compare(self.peer_mut(who), session)
    }
}
