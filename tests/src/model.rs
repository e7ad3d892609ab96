//! A model of two sessions and the signaling channel between them, driven by any sequence of
//! application operations, with the invariants of stopping media checked after every step.
//!
//! The channel can lose and reorder descriptions; operations that the current state does not
//! allow are made anyway (an application may try anything) and must fail with a typed error
//! that leaves the session exactly as it was. What must hold after every step:
//!
//! - failed calls change nothing;
//! - each session's m-lines keep their order and mids: a later local description has at least
//!   as many m-lines, and an index changes its mid only where the m-line was rejected
//!   (recycling, RFC 9429 §5.2.2);
//! - every BUNDLE group in a local description is tagged by (and only lists) live sections
//!   (RFC 9143 §7.3.3);
//! - the data section is never rejected (media stops never touch it);
//! - a stop is never undone (`direction` stays "stopped", `stopped` stays true);
//! - each receiver track ends at most once.
//!
//! After every step, too, the [reference model](crate::reference) — what the spec says both
//! peers' state is — is advanced by the same operation and compared with both sessions: each
//! call's outcome, the set of transceivers and each one's state, the descriptions' m-lines,
//! the signaling state, negotiation-needed and the mode.
//!
//! And once the applications settle (both stable, nothing in flight, every pending change
//! negotiated): negotiation-needed is false on both sides, both agree on the live and stopped
//! m-lines, and no transceiver is left over (each live media m-line has exactly one transceiver
//! on each side, and nothing else stays in the set).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{Error, Event, Session, SignalingState, TransceiverId, TransceiverInit};
use tacet_track::{TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, TransceiverDirection};

use crate::pair::{Peer, Who};
use crate::reference::{Reference, Rules};

/// One thing an application (or the network) does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `addTransceiver(kind, {direction, streams: ["s"]})` (the streams `addTrack` uses too:
    /// every sender announces the same streams, so the reference model need not follow
    /// `a=msid` values, only whether there is one).
    AddTransceiver(Who, TrackKind, Direction),
    /// `addTrack(track of kind)`.
    AddTrack(Who, TrackKind),
    /// `transceiver.stop()` on the `pick`-th transceiver of the set (modulo its size).
    Stop(Who, usize),
    /// Stop every audio/video transceiver, keep the data channel.
    StopMedia(Who),
    /// `transceiver.direction = direction` on the `pick`-th transceiver.
    SetDirection(Who, usize, Direction),
    /// `removeTrack` on the `pick`-th transceiver's sender.
    RemoveTrack(Who, usize),
    /// `createDataChannel`.
    CreateDataChannel(Who),
    /// createOffer + setLocalDescription, sent.
    Offer(Who),
    /// createAnswer + setLocalDescription, sent (when there is an offer to answer).
    Answer(Who),
    /// The `negotiationneeded` handler: offer when stable and negotiation is needed.
    Negotiate(Who),
    /// Both sides offer at once (glare), each only from stable.
    Glare,
    /// `setLocalDescription({type: "rollback"})`.
    Rollback(Who),
    /// The oldest description in flight arrives.
    Deliver,
    /// The oldest description in flight is lost.
    Lose,
    /// The two oldest descriptions in flight swap places (the channel reorders).
    Reorder,
    /// `close()`.
    Close(Who),
}

/// What the model remembers about one session to check monotonic properties.
#[derive(Debug, Default)]
struct History {
    /// (mid, rejected) per m-line of the last current local description seen.
    lines: Vec<(String, bool)>,
    /// Transceivers seen stopping / stopped.
    stopping: BTreeSet<TransceiverId>,
    stopped: BTreeSet<TransceiverId>,
    /// `ended` events per transceiver.
    ended: BTreeMap<TransceiverId, usize>,
    /// Events seen so far (the peer's log is read from here on).
    events_seen: usize,
}

/// Two sessions, a lossy reordering channel, and what the invariants need to remember.
#[derive(Debug)]
pub struct World {
    /// Peer A.
    pub a: Peer,
    /// Peer B.
    pub b: Peer,
    in_flight: VecDeque<(Who, SessionDescription)>,
    history: [History; 2],
    next_track: u32,
    /// Steps applied.
    pub steps: usize,
    /// Signaling faults so far: descriptions lost or reordered, offers abandoned by an
    /// explicit rollback or replaced by a second offer while out. After one, the two sides may legitimately end up with different
    /// current descriptions (JSEP has no way back but a new session), so agreement is checked
    /// only when they did not.
    pub faults: usize,
    /// After a fault, the data section was rejected with a BUNDLE group whose tag one side had
    /// stopped and the other had not (`rejects_a_group_with_its_tag`).
    pub data_section_lost: bool,
    /// The reference model, advanced by the same operations and compared after every step.
    pub reference: Reference,
}

impl World {
    /// Two fresh peers (fixed seeds: a failing case replays exactly), and the reference model
    /// under the rules the proptests use.
    pub fn new() -> Self {
        Self::with_rules(Rules::PROPTEST)
    }

    /// Two fresh peers and the reference model under `rules`.
    pub fn with_rules(rules: Rules) -> Self {
        Self {
            a: Peer::with_config(3, 0xA3, |_| {}),
            b: Peer::with_config(4, 0xB4, |_| {}),
            in_flight: VecDeque::new(),
            history: [History::default(), History::default()],
            next_track: 0,
            steps: 0,
            faults: 0,
            data_section_lost: false,
            reference: Reference::new(rules),
        }
    }

    fn peer(&mut self, who: Who) -> &mut Peer {
        match who {
            Who::A => &mut self.a,
            Who::B => &mut self.b,
        }
    }

    fn slot(who: Who) -> usize {
        usize::from(who == Who::B)
    }

    /// Descriptions in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Applies `ops` in order; `Err` names the step, the operation and the whole sequence
    /// with what broke, so a shrunk proptest case reads as a story.
    pub fn play(&mut self, ops: &[Op]) -> Result<(), String> {
        for (step, op) in ops.iter().enumerate() {
            self.apply(op).map_err(|broken| {
                format!(
                    "step {step} ({op:?}) of the sequence
  {ops:?}
broke: {broken}"
                )
            })?;
        }
        Ok(())
    }

    /// Applies `op` to both sessions and to the reference model, then checks every step
    /// invariant and compares the model with both sessions. `Err` names the broken invariant or
    /// the disagreement.
    pub fn apply(&mut self, op: &Op) -> Result<(), String> {
        self.steps += 1;
        self.step(op)?;
        self.check(Who::A)?;
        self.check(Who::B)?;
        self.reference.compare(Who::A, &self.a.session)?;
        self.reference.compare(Who::B, &self.b.session)
    }

    /// One operation, on the sessions and on the model. Which calls an application makes
    /// (offer when negotiation is needed, ignore a colliding offer...) is decided from the
    /// model's state, which the comparison after the previous step showed to be the sessions'.
    fn step(&mut self, op: &Op) -> Result<(), String> {
        let dom = |r: &Result<_, Error>| r.as_ref().map(drop).map_err(Error::dom_exception);
        match op {
            Op::AddTransceiver(who, kind, direction) => {
                let init = TransceiverInit {
                    direction: *direction,
                    streams: vec!["s".into()],
                };
                let result = self.call(*who, |s| s.add_transceiver(*kind, init))?;
                let actual = result.map_err(|e| e.dom_exception());
                self.reference
                    .add_transceiver(*who, *kind, *direction, actual)?;
            }
            Op::AddTrack(who, kind) => {
                self.next_track += 1;
                let track = TrackId::from(format!("t{}", self.next_track).as_str());
                let result = self.call(*who, |s| s.add_track(*kind, track, vec!["s".into()]))?;
                let actual = result.map_err(|e| e.dom_exception());
                self.reference.add_track(*who, *kind, actual)?;
            }
            Op::Stop(who, pick) => {
                if let Some((index, id)) = self.reference.pick(*who, *pick)? {
                    let result =
                        self.call(*who, |s| s.transceiver_mut(id).and_then(|mut t| t.stop()))?;
                    self.reference.stop(*who, index, dom(&result))?;
                }
            }
            Op::StopMedia(who) => {
                let result = self.call(*who, |s| s.stop_media().map(drop))?;
                self.reference.stop_media(*who, dom(&result))?;
            }
            Op::SetDirection(who, pick, direction) => {
                if let Some((index, id)) = self.reference.pick(*who, *pick)? {
                    let result = self.call(*who, |s| {
                        s.transceiver_mut(id)
                            .and_then(|mut t| t.set_direction(*direction))
                    })?;
                    self.reference
                        .set_direction(*who, index, *direction, dom(&result))?;
                }
            }
            Op::RemoveTrack(who, pick) => {
                if let Some((index, id)) = self.reference.pick(*who, *pick)? {
                    let result = self.call(*who, |s| s.remove_track(id.sender()))?;
                    self.reference.remove_track(*who, index, dom(&result))?;
                }
            }
            Op::CreateDataChannel(who) => {
                let result = self.call(*who, |s| s.create_data_channel("dc").map(drop))?;
                self.reference.create_data_channel(*who, dom(&result))?;
            }
            Op::Offer(who) => self.offer(*who)?,
            Op::Answer(who) => self.answer(*who)?,
            Op::Negotiate(who) => {
                if self.reference.signaling(*who) == SignalingState::Stable
                    && self.reference.negotiation_needed(*who)
                {
                    self.offer(*who)?;
                }
            }
            Op::Glare => {
                for who in [Who::A, Who::B] {
                    if self.reference.signaling(who) == SignalingState::Stable {
                        self.offer(who)?;
                    }
                }
            }
            Op::Rollback(who) => {
                // Abandoning an offer the peer may already have answered leaves the two
                // sides with different current descriptions when that answer arrives.
                if self.reference.signaling(*who) == SignalingState::HaveLocalOffer {
                    self.faults += 1;
                }
                let result = self.call(*who, |s| {
                    s.set_local_description(SessionDescription::rollback())
                })?;
                self.reference.rollback(*who, dom(&result))?;
            }
            Op::Deliver => {
                // The applications resolve glare with perfect negotiation's roles: B is
                // impolite and ignores an offer that collides with its own; A is polite and
                // its setRemoteDescription rolls its offer back.
                match (self.in_flight.pop_front(), self.reference.next_delivery()) {
                    (None, None) => {}
                    (Some((to, description)), Some((model_to, ignored))) if to == model_to => {
                        let actual = if ignored {
                            None
                        } else {
                            let result =
                                self.call(to, |s| s.set_remote_description(description))?;
                            Some(dom(&result))
                        };
                        self.reference.deliver(actual)?;
                    }
                    (real, model) => {
                        return Err(format!(
                            "the channel's next description goes to {:?}, the model's to {:?}",
                            real.map(|(to, _)| to),
                            model.map(|(to, _)| to)
                        ));
                    }
                }
            }
            Op::Lose => {
                if self.in_flight.pop_front().is_some() {
                    self.faults += 1;
                }
                self.reference.lose();
            }
            Op::Reorder => {
                if self.in_flight.len() >= 2 {
                    self.in_flight.swap(0, 1);
                    self.faults += 1;
                }
                self.reference.reorder();
            }
            Op::Close(who) => {
                self.peer(*who).session.close();
                self.peer(*who).drain();
                self.reference.close(*who);
            }
        }
        Ok(())
    }

    /// Runs one call on `who`'s session; a failure must leave the session unchanged.
    /// `Ok(result)`: the call's own result, for the model to compare.
    fn call<T>(
        &mut self,
        who: Who,
        call: impl FnOnce(&mut Session) -> Result<T, Error>,
    ) -> Result<Result<T, Error>, String> {
        let peer = self.peer(who);
        peer.drain();
        let before = peer.session.clone();
        let result = call(&mut peer.session);
        if let Err(e) = &result {
            if peer.session != before {
                return Err(format!("{who:?}: the failed call changed the session: {e}"));
            }
            if e.rule().is_empty() {
                return Err(format!("{who:?}: an error without a rule: {e}"));
            }
        }
        peer.drain();
        Ok(result)
    }

    fn offer(&mut self, who: Who) -> Result<(), String> {
        // A second offer while the first is out: if the first is answered, that answer is
        // applied to the second (the application broke the exchange, not the session).
        if self.reference.signaling(who) == SignalingState::HaveLocalOffer {
            self.faults += 1;
        }
        let result = self.call(who, |s| {
            let description = s.create_offer()?;
            s.set_local_description(description.clone())?;
            Ok(description)
        })?;
        self.reference
            .offer(who, result.as_ref().map_err(Error::dom_exception))?;
        // The application sends the local description once its transports have gathered
        // (`call` drained the effects): the candidates are in it (webrtc-pc adds a gathered
        // candidate to the pending local description), as a non-trickle application does.
        let sent = result
            .ok()
            .and_then(|_| self.peer(who).session.pending_local_description().cloned());
        if let Some(offer) = sent {
            self.in_flight.push_back((who.other(), offer));
        }
        Ok(())
    }

    fn answer(&mut self, who: Who) -> Result<(), String> {
        if self.reference.signaling(who) != SignalingState::HaveRemoteOffer {
            return Ok(());
        }
        let result = self.call(who, |s| {
            let description = s.create_answer()?;
            s.set_local_description(description.clone())?;
            Ok(description)
        })?;
        self.reference
            .answer(who, result.as_ref().map_err(Error::dom_exception))?;
        // As for offers: sent once gathered, with its candidates (the applied answer is the
        // current local description).
        let sent = result
            .ok()
            .and_then(|_| self.peer(who).session.current_local_description().cloned());
        if let Some(answer) = sent {
            self.in_flight.push_back((who.other(), answer));
        }
        Ok(())
    }

    /// The invariants that hold after every step, for one session.
    fn check(&mut self, who: Who) -> Result<(), String> {
        let slot = Self::slot(who);
        let peer = if who == Who::A { &self.a } else { &self.b };
        let session = &peer.session;
        let history = &mut self.history[slot];

        // Stops are never undone.
        for t in session.transceivers() {
            let id = t.id();
            if history.stopping.contains(&id) && t.direction() != TransceiverDirection::Stopped {
                return Err(format!("{who:?}: {id:?} is no longer stopping"));
            }
            if history.stopped.contains(&id) && !t.is_stopped() {
                return Err(format!("{who:?}: {id:?} is no longer stopped"));
            }
            if t.direction() == TransceiverDirection::Stopped {
                history.stopping.insert(id);
            }
            if t.is_stopped() {
                history.stopped.insert(id);
            }
        }

        // Each receiver track ends at most once.
        for event in &peer.events[history.events_seen..] {
            if let Event::TrackEnded { transceiver, .. } = event {
                let n = history.ended.entry(*transceiver).or_default();
                *n += 1;
                if *n > 1 {
                    return Err(format!("{who:?}: {transceiver:?} ended twice"));
                }
            }
        }
        history.events_seen = peer.events.len();

        // The local description: m-line order and mids, BUNDLE tags, the data section.
        let Some(local) = session.local_description() else {
            return Ok(());
        };
        let lines = |d: &SessionDescription| -> Vec<(String, bool)> {
            d.media
                .iter()
                .map(|m| {
                    (
                        m.mid().map(|m| m.to_string()).unwrap_or_default(),
                        m.is_rejected(),
                    )
                })
                .collect()
        };
        // A new current local description extends the previous one, and every local
        // description (pending too) extends the current one: same m-lines in the same order,
        // a mid changing only where the m-line was rejected (recycling). A rolled-back offer's
        // m-lines are not kept, so a pending description is compared with the current one.
        let extends = |old: &[(String, bool)], new: &[(String, bool)]| -> Result<(), String> {
            if new.len() < old.len() {
                return Err(format!(
                    "{who:?}: {} m-lines after {}",
                    new.len(),
                    old.len()
                ));
            }
            for (index, (o, n)) in old.iter().zip(new).enumerate() {
                if o.0 != n.0 && !o.1 {
                    return Err(format!(
                        "{who:?}: m-line {index} changed mid {} -> {} without being rejected",
                        o.0, n.0
                    ));
                }
            }
            Ok(())
        };
        if let Some(current) = session.current_local_description() {
            // Recyclable: port 0 in the current local *or* remote description (RFC 9429
            // §5.2.2) — a remote answer may reject what the local offer kept live.
            let mut current_lines = lines(current);
            if let Some(remote) = session.current_remote_description() {
                for (line, m) in current_lines.iter_mut().zip(&remote.media) {
                    line.1 |= m.is_rejected();
                }
            }
            if current_lines != history.lines {
                extends(&history.lines, &current_lines)?;
                history.lines = current_lines;
            }
        }
        extends(&history.lines, &lines(local))?;
        for group in local.bundle_groups() {
            for (position, mid) in group.mids().enumerate() {
                let live = local
                    .media_by_mid(mid)
                    .is_some_and(|(_, m)| !m.is_rejected());
                if !live {
                    let role = if position == 0 { "tag" } else { "member" };
                    return Err(format!(
                        "{who:?}: BUNDLE {role} {mid} is not a live section"
                    ));
                }
            }
        }
        if !session.signaling_state().eq(&SignalingState::Closed)
            && local.media.iter().any(|m| m.is_data() && m.is_rejected())
        {
            // The one way a fault may take it down (see `rejects_a_group_with_its_tag`); from
            // then on both sides carry the rejected section.
            if self.data_section_lost
                || (self.faults > 0 && rejects_a_group_with_its_tag(local, session))
            {
                self.data_section_lost = true;
                return Ok(());
            }
            return Err(format!("{who:?}: the data section was rejected"));
        }
        Ok(())
    }

    /// Plays the applications to the end: deliver everything, answer every offer, roll back a
    /// side stuck waiting for a lost answer, and offer while negotiation is needed, until
    /// nothing moves. Then checks the settled invariants. Skipped when a side is closed (the
    /// other side is never told). After a signaling fault the sides may disagree for good; the
    /// settled invariants are then checked only if they did settle with the same view.
    pub fn settle(&mut self) -> Result<(), String> {
        let closed = |p: &Peer| p.session.signaling_state() == SignalingState::Closed;
        if closed(&self.a) || closed(&self.b) {
            return Ok(());
        }
        let settled = self.play_to_the_end()?;
        if self.faults == 0 {
            return match settled {
                true => self.check_settled(),
                false => Err("the applications did not settle in 64 steps".into()),
            };
        }
        if settled && self.same_view() {
            return self.check_settled();
        }
        Ok(())
    }

    /// Whether each side's current descriptions mirror the other's.
    fn same_view(&self) -> bool {
        self.a.session.current_local_description() == self.b.session.current_remote_description()
            && self.b.session.current_local_description()
                == self.a.session.current_remote_description()
    }

    /// The applications' loop; true when nothing is left to do.
    fn play_to_the_end(&mut self) -> Result<bool, String> {
        let mut played: Vec<Op> = Vec::new();
        for _ in 0..64 {
            if !self.in_flight.is_empty() {
                self.settle_step(Op::Deliver, &mut played)?;
                continue;
            }
            let mut moved = false;
            for who in [Who::A, Who::B] {
                if self.peer(who).session.signaling_state() == SignalingState::HaveRemoteOffer {
                    self.settle_step(Op::Answer(who), &mut played)?;
                    moved = true;
                }
            }
            if moved {
                continue;
            }
            for who in [Who::A, Who::B] {
                // Our offer (or the peer's answer) never arrived: start again.
                if self.peer(who).session.signaling_state() == SignalingState::HaveLocalOffer {
                    let before = self.faults;
                    self.settle_step(Op::Rollback(who), &mut played)?;
                    // The offer was ignored or lost, not answered: no new fault.
                    self.faults = before;
                    moved = true;
                }
            }
            if moved {
                continue;
            }
            match [Who::A, Who::B]
                .into_iter()
                .find(|w| self.peer(*w).session.is_negotiation_needed())
            {
                Some(who) => self.settle_step(Op::Offer(who), &mut played)?,
                None => return Ok(true),
            }
        }
        Ok(false)
    }

    /// One step of the applications' loop; `Err` names the loop's steps so far.
    fn settle_step(&mut self, op: Op, played: &mut Vec<Op>) -> Result<(), String> {
        played.push(op.clone());
        self.apply(&op)
            .map_err(|broken| format!("settling, after {played:?}: {broken}"))
    }

    /// Both stable, nothing in flight, nothing needed: both sides agree and nothing leaks.
    fn check_settled(&self) -> Result<(), String> {
        for (who, p) in [(Who::A, &self.a), (Who::B, &self.b)] {
            if p.session.signaling_state() != SignalingState::Stable {
                return Err(format!("{who:?}: settled but not stable"));
            }
            if p.session.is_negotiation_needed() {
                return Err(format!("{who:?}: negotiation still needed"));
            }
        }
        let (Some(a_local), Some(b_remote)) = (
            self.a.session.current_local_description(),
            self.b.session.current_remote_description(),
        ) else {
            // Nothing was ever negotiated: then nothing may be in either set but
            // transceivers that were never associated.
            return Ok(());
        };
        let (Some(b_local), Some(a_remote)) = (
            self.b.session.current_local_description(),
            self.a.session.current_remote_description(),
        ) else {
            return Err("one side has current descriptions, the other not".into());
        };
        if a_local != b_remote || b_local != a_remote {
            return Err("the sides' current descriptions differ".into());
        }
        // The same live m-lines on both sides: live in both current descriptions.
        let live = |local: &SessionDescription, remote: &SessionDescription| -> Vec<String> {
            local
                .media
                .iter()
                .zip(&remote.media)
                .filter(|(l, r)| !l.is_rejected() && !r.is_rejected() && !l.is_data())
                .filter_map(|(l, _)| l.mid().map(|m| m.to_string()))
                .collect()
        };
        let live_a = live(a_local, a_remote);
        let live_b = live(b_local, b_remote);
        if live_a != live_b {
            return Err(format!("live m-lines differ: {live_a:?} / {live_b:?}"));
        }
        for (who, p) in [(Who::A, &self.a), (Who::B, &self.b)] {
            let mut mids: Vec<String> = Vec::new();
            for t in p.session.transceivers() {
                if t.is_stopped() || t.direction() == TransceiverDirection::Stopped {
                    return Err(format!(
                        "{who:?}: {:?} stopped but still in the set",
                        t.id()
                    ));
                }
                let Some(mid) = t.mid() else {
                    return Err(format!("{who:?}: {:?} left unassociated", t.id()));
                };
                mids.push(mid.to_string());
            }
            mids.sort();
            let mut expected = live_a.clone();
            expected.sort();
            if mids != expected {
                return Err(format!(
                    "{who:?}: transceivers for {mids:?}, live m-lines {expected:?}"
                ));
            }
        }
        Ok(())
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `answer` (a local answer) rejects the remote offer's BUNDLE tag and with it the whole
/// group (RFC 9429 §5.3.1, RFC 9143 §7.3.3). After a signaling fault this can take the data
/// section down: an abandoned offer that the peer applied anyway stops a transceiver on one
/// side only (a remote rejection stops it, and rollback never un-stops), the other side still
/// offers its m-line live as the tag, and the answerer must reject the stopped tag and so the
/// whole group. JSEP leaves the answerer no other answer; the two sides' views differed before
/// the offer was made. Without faults this never happens (the invariant is strict then).
fn rejects_a_group_with_its_tag(answer: &SessionDescription, session: &Session) -> bool {
    if answer.sdp_type != SdpType::Answer && answer.sdp_type != SdpType::Pranswer {
        return false;
    }
    let Some(offer) = session.remote_description() else {
        return false;
    };
    offer.bundle_groups().any(|group| {
        group
            .mids()
            .next()
            .and_then(|tag| answer.media_by_mid(tag))
            .is_some_and(|(_, m)| m.is_rejected())
    })
}
