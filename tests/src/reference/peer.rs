//! One peer of the reference model: its transceivers, descriptions, signaling state, data
//! channels and negotiation-needed flag, and the application calls that touch only the peer
//! itself (addTransceiver, addTrack, stop, the direction setter, removeTrack,
//! createDataChannel, close). Each call answers `Err(exception)` without changing anything
//! when the spec refuses it.

use tacet_session::{DomException, Mode, SignalingState, TransceiverId};
use tacet_track::{EndCause, TrackKind};
use tacet_transceiver_fsm::Direction;

use super::sdp::{Desc, DescKind, Dir, LineKind};
use super::{MsidRule, Rules};
use crate::pair::Who;

/// `[[Stopping]]` / `[[Stopped]]` / out of the set, as one ordered value (each implies the
/// ones before it; none is ever undone: webrtc-pc has no step that clears `[[Stopping]]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Life {
    Active,
    Stopping,
    Stopped,
    Removed,
}

/// One transceiver as the spec describes it.
#[derive(Clone, Debug)]
pub(crate) struct Model {
    /// The session's id for it, learned when the session made it.
    pub(crate) id: Option<TransceiverId>,
    pub(crate) kind: TrackKind,
    /// `[[Direction]]`.
    pub(crate) direction: Dir,
    /// `[[CurrentDirection]]` (null before an answer; the getter reads "stopped" once stopped).
    pub(crate) current: Option<Dir>,
    /// `[[CurrentDirection]]` has been sendrecv or sendonly (addTrack never reuses it then).
    pub(crate) ever_sent: bool,
    pub(crate) life: Life,
    /// `[[Mid]]`: associated when set.
    pub(crate) mid: Option<String>,
    /// Why the receiver track ended: the first stop's cause (`None`: the track is live).
    pub(crate) ended: Option<EndCause>,
    /// `sender.[[SenderTrack]]` is not null.
    pub(crate) has_track: bool,
    /// `addTrack` attached a track to it (a rollback of its remote offer keeps it then).
    pub(crate) add_track: bool,
    /// Created by the remote offer now pending (a rollback of that offer removes it).
    pub(crate) made_by_pending: bool,
}

impl Model {
    fn new(kind: TrackKind, direction: Dir) -> Self {
        Self {
            id: None,
            kind,
            direction,
            current: None,
            ever_sent: false,
            life: Life::Active,
            mid: None,
            ended: None,
            has_track: false,
            add_track: false,
            made_by_pending: false,
        }
    }

    pub(crate) fn in_set(&self) -> bool {
        self.life != Life::Removed
    }

    /// webrtc-pc "stop sending and receiving": the receiver track ends (with `cause`),
    /// `[[Direction]]` becomes inactive, `[[Stopping]]` true. Only the first stop counts.
    pub(crate) fn stop_sending_and_receiving(&mut self, cause: EndCause) {
        if self.life == Life::Active {
            self.life = Life::Stopping;
            self.direction = Dir::INACTIVE;
            self.ended = Some(cause);
        }
    }

    /// webrtc-pc "stop the RTCRtpTransceiver": stop sending and receiving unless stopping
    /// already (so the track ends once, with the first cause), then `[[Stopped]]` true and
    /// `[[CurrentDirection]]` null.
    pub(crate) fn stop_the_transceiver(&mut self, cause: EndCause) {
        self.stop_sending_and_receiving(cause);
        if self.life < Life::Stopped {
            self.life = Life::Stopped;
            self.current = None;
        }
    }

    /// webrtc-pc "remove the transceiver from the set"; its mid is null from then on (WPT
    /// RTCRtpTransceiver-stopping "Remotely stopped transceiver goes directly to stopped").
    pub(crate) fn remove(&mut self) {
        self.life = Life::Removed;
        self.mid = None;
    }

    /// Sets `[[CurrentDirection]]` from an applied answer.
    pub(crate) fn negotiated(&mut self, direction: Dir) {
        self.current = Some(direction);
        self.ever_sent |= direction.send;
    }
}

/// One peer.
#[derive(Clone, Debug)]
pub(crate) struct Peer {
    pub(crate) who: Who,
    pub(crate) rules: Rules,
    /// Every transceiver ever made, in creation order (the set is the ones not removed).
    pub(crate) transceivers: Vec<Model>,
    pub(crate) signaling: SignalingState,
    pub(crate) current_local: Option<Desc>,
    pub(crate) current_remote: Option<Desc>,
    pub(crate) pending_local: Option<Desc>,
    pub(crate) pending_remote: Option<Desc>,
    pub(crate) data_channels: usize,
    /// `[[NegotiationNeeded]]`.
    pub(crate) negotiation_needed: bool,
    /// Local descriptions set so far (the serial of the next one is this plus one).
    pub(crate) serial: u64,
}

impl Peer {
    pub(crate) fn new(who: Who, rules: Rules) -> Self {
        Self {
            who,
            rules,
            transceivers: Vec::new(),
            signaling: SignalingState::Stable,
            current_local: None,
            current_remote: None,
            pending_local: None,
            pending_remote: None,
            data_channels: 0,
            negotiation_needed: false,
            serial: 0,
        }
    }

    pub(crate) fn closed(&self) -> bool {
        self.signaling == SignalingState::Closed
    }

    fn ensure_open(&self) -> Result<(), DomException> {
        if self.closed() {
            // webrtc-pc: every method of a closed connection throws InvalidStateError.
            return Err(DomException::InvalidStateError);
        }
        Ok(())
    }

    /// The set of transceivers (`getTransceivers()`), as indexes, in insertion order.
    pub(crate) fn in_set(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.transceivers.len()).filter(|&i| self.transceivers[i].in_set())
    }

    /// The transceiver in the set associated with `mid`.
    pub(crate) fn with_mid(&self, mid: &str) -> Option<usize> {
        self.in_set()
            .find(|&i| self.transceivers[i].mid.as_deref() == Some(mid))
    }

    /// The `pick`-th transceiver of the set (modulo its size), as the model's `Op`s name one.
    pub(crate) fn pick(&self, pick: usize) -> Option<usize> {
        let set: Vec<usize> = self.in_set().collect();
        (!set.is_empty()).then(|| set[pick % set.len()])
    }

    /// The remote description now in force (`remoteDescription`: pending, else current).
    pub(crate) fn remote(&self) -> Option<&Desc> {
        self.pending_remote
            .as_ref()
            .or(self.current_remote.as_ref())
    }

    fn create(&mut self, model: Model) -> usize {
        self.transceivers.push(model);
        self.transceivers.len() - 1
    }

    /// A transceiver made by a remote offer (RFC 9429 §5.10: recvonly).
    pub(crate) fn create_for_remote_offer(&mut self, kind: TrackKind) -> usize {
        let mut model = Model::new(kind, Dir::RECVONLY);
        model.made_by_pending = true;
        self.create(model)
    }

    // ---- the application's calls on this peer ----------------------------------------------

    /// `addTransceiver(kind, {direction})`: a new transceiver, no track.
    pub(crate) fn add_transceiver(
        &mut self,
        kind: TrackKind,
        direction: Direction,
    ) -> Result<usize, DomException> {
        self.ensure_open()?;
        let index = self.create(Model::new(kind, Dir::of(direction)));
        self.update_negotiation_needed();
        Ok(index)
    }

    /// `addTrack(track)`: reuses the first transceiver of the kind whose sender has no track,
    /// that is not stopping and whose `[[CurrentDirection]]` never had send, turning its
    /// direction to send too (recvonly → sendrecv, inactive → sendonly); else a new sendrecv
    /// one (webrtc-pc addTrack). Each track the model adds is new, so the "already has a
    /// sender" check never applies.
    pub(crate) fn add_track(&mut self, kind: TrackKind) -> Result<usize, DomException> {
        self.ensure_open()?;
        let reusable = self.in_set().find(|&i| {
            let t = &self.transceivers[i];
            t.kind == kind && !t.has_track && t.life == Life::Active && !t.ever_sent
        });
        let index = match reusable {
            Some(i) => {
                let t = &mut self.transceivers[i];
                t.direction.send = true;
                i
            }
            None => self.create(Model::new(kind, Dir::SENDRECV)),
        };
        let t = &mut self.transceivers[index];
        t.has_track = true;
        t.add_track = true;
        self.update_negotiation_needed();
        Ok(index)
    }

    /// `transceiver.stop()`: closed → InvalidStateError (checked first); stopping already →
    /// nothing; else stop sending and receiving (the receiver track ends now).
    pub(crate) fn stop(&mut self, index: usize) -> Result<(), DomException> {
        self.ensure_open()?;
        self.transceivers[index].stop_sending_and_receiving(EndCause::TransceiverStopped);
        self.update_negotiation_needed();
        Ok(())
    }

    /// Stops every transceiver of the set (tacet's `stop_media`: stop() on each).
    pub(crate) fn stop_media(&mut self) -> Result<(), DomException> {
        self.ensure_open()?;
        for index in self.in_set().collect::<Vec<_>>() {
            self.transceivers[index].stop_sending_and_receiving(EndCause::TransceiverStopped);
        }
        self.update_negotiation_needed();
        Ok(())
    }

    /// The `direction` setter: InvalidStateError once stopping (checked before "same value").
    pub(crate) fn set_direction(
        &mut self,
        index: usize,
        direction: Direction,
    ) -> Result<(), DomException> {
        self.ensure_open()?;
        let t = &mut self.transceivers[index];
        if t.life != Life::Active {
            return Err(DomException::InvalidStateError);
        }
        t.direction = Dir::of(direction);
        self.update_negotiation_needed();
        Ok(())
    }

    /// `removeTrack(sender)`: nothing when stopping or when the sender has no track; else the
    /// track goes and the direction loses send.
    pub(crate) fn remove_track(&mut self, index: usize) -> Result<(), DomException> {
        self.ensure_open()?;
        let t = &mut self.transceivers[index];
        if t.life == Life::Active && t.has_track {
            t.has_track = false;
            t.direction.send = false;
        }
        self.update_negotiation_needed();
        Ok(())
    }

    /// `createDataChannel`: the first one updates negotiation-needed.
    pub(crate) fn create_data_channel(&mut self) -> Result<(), DomException> {
        self.ensure_open()?;
        self.data_channels += 1;
        self.update_negotiation_needed();
        Ok(())
    }

    /// `close()`: signaling closed; every transceiver not stopped is stopped (its track ends
    /// with `ended` unless it had already, the first cause staying); a second close does
    /// nothing (webrtc-pc "close the connection").
    pub(crate) fn close(&mut self) {
        if self.closed() {
            return;
        }
        self.signaling = SignalingState::Closed;
        for index in self.in_set().collect::<Vec<_>>() {
            self.transceivers[index].stop_the_transceiver(EndCause::PeerConnectionClosed);
        }
    }

    // ---- negotiation-needed and mode ---------------------------------------------------------

    /// webrtc-pc "update the negotiation-needed flag": nothing while closed or not stable
    /// (the flag is updated when the state returns to stable), else the result of the check.
    pub(crate) fn update_negotiation_needed(&mut self) {
        if self.signaling == SignalingState::Stable {
            self.negotiation_needed = self.check_negotiation_needed();
        }
    }

    /// webrtc-pc "check if negotiation is needed" (steps 3 and 4a-4d; no ICE restart is ever
    /// requested). Every sender's streams are the same (`["s"]`, see `Op::AddTransceiver`), so
    /// step 4c.1 reduces to "the section has no `a=msid`" (when [`MsidRule`] asks for one).
    pub(crate) fn check_negotiation_needed(&self) -> bool {
        let local = self.current_local.as_ref();
        let data_negotiated =
            local.is_some_and(|d| d.lines.iter().any(|l| l.kind == LineKind::Data));
        if self.data_channels > 0 && !data_negotiated {
            return true;
        }
        for index in self.in_set() {
            let t = &self.transceivers[index];
            match t.life {
                // 4a: stopping and not stopped.
                Life::Stopping => return true,
                Life::Active => {
                    // 4b: not stopped and not associated with a section of the description.
                    let Some(line) = t.mid.as_deref().and_then(|m| local?.line(m)) else {
                        return true;
                    };
                    let Some(local) = local else { return true };
                    // 4c.1: it sends but the section has no msid.
                    let announces = match self.rules.msid {
                        MsidRule::Jsep => t.direction.send,
                        MsidRule::WithTrack => t.direction.send && t.has_track,
                    };
                    if announces && !line.msid {
                        return true;
                    }
                    let remote_line = self.current_remote.as_ref().and_then(|r| r.line(&line.mid));
                    let line_dir = |l: &super::sdp::Line| {
                        if l.rejected { Dir::INACTIVE } else { l.dir }
                    };
                    match local.kind {
                        // 4c.2: neither current description (the remote one reversed) has the
                        // direction.
                        DescKind::Offer => {
                            let remote_dir = remote_line.map(|r| line_dir(r).reversed());
                            if line_dir(line) != t.direction && remote_dir != Some(t.direction) {
                                return true;
                            }
                        }
                        // 4c.3: the answer's direction is not [[Direction]] ∩ offered.
                        DescKind::Answer => {
                            let offered = remote_line.map_or(Dir::INACTIVE, line_dir);
                            if line_dir(line) != t.direction.and(offered.reversed()) {
                                return true;
                            }
                        }
                    }
                }
                // 4d: stopped and associated, but not yet rejected in a current description.
                Life::Stopped => {
                    if let Some(mid) = &t.mid {
                        let rejected =
                            |d: &Option<Desc>| d.as_ref().is_some_and(|d| d.rejects(mid));
                        if !rejected(&self.current_local) && !rejected(&self.current_remote) {
                            return true;
                        }
                    }
                }
                Life::Removed => {}
            }
        }
        false
    }

    /// The session's mode: a section counts when it is live in both current descriptions.
    pub(crate) fn mode(&self) -> Mode {
        if self.closed() {
            return Mode::Closed;
        }
        let (Some(local), Some(remote)) = (&self.current_local, &self.current_remote) else {
            return Mode::New;
        };
        let (mut media, mut data) = (false, false);
        for (l, r) in local.lines.iter().zip(&remote.lines) {
            if !l.rejected && !r.rejected {
                match l.kind {
                    LineKind::Data => data = true,
                    LineKind::Media(_) => media = true,
                }
            }
        }
        match (media, data) {
            (true, true) => Mode::MediaAndData,
            (false, true) => Mode::DataOnly,
            (true, false) => Mode::MediaOnly,
            (false, false) => Mode::New,
        }
    }
}
