//! The application's transceiver calls, in the shape W3C and str0m give them: the peer
//! connection adds transceivers and tracks and removes tracks; everything done *to* one
//! transceiver goes through a handle, [`TransceiverMut`]:
//!
//! ```text
//! session.transceiver_mut(id)?.stop()?;               // transceiver.stop()
//! session.transceiver_mut(id)?.set_direction(d)?;     // transceiver.direction = d
//! session.transceiver_mut(id)?.replace_track(track)?; // transceiver.sender.replaceTrack(track)
//! ```
//!
//! Each call asks the transceiver's machine, whose tables decide what a stop or a guard does
//! (`tacet-transceiver-fsm`), then ends with the W3C final task.

use tacet_track::{TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, Handled, Input, Mid};

use crate::error::Error;
use crate::event::TransportId;
use crate::session::Session;
use crate::tasks::Tasks;
use crate::transceiver::{
    Origin, RtpReceiver, RtpSender, RtpTransceiver, SenderId, TransceiverId, TransceiverInit,
};
use crate::transport::TransportState;

/// One BUNDLE group both sides agreed on in the current descriptions (RFC 9143).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BundleGroup {
    mids: Vec<Mid>,
}

impl BundleGroup {
    /// The group's mids in the answer's order.
    pub fn mids(&self) -> &[Mid] {
        &self.mids
    }

    /// The tag: the mid whose m-section carries the group's transport.
    pub fn tag(&self) -> Option<&Mid> {
        self.mids.first()
    }
}

impl Session {
    // ---- reading ---------------------------------------------------------------------------

    /// `getTransceivers()`: every transceiver in the set, in insertion order (removed ones
    /// are gone).
    pub fn transceivers(&self) -> impl Iterator<Item = &RtpTransceiver> {
        self.transceivers.in_set()
    }

    /// One transceiver, also after its removal (the object lives on, as in JavaScript).
    pub fn transceiver(&self, id: TransceiverId) -> Option<&RtpTransceiver> {
        self.transceivers.get(id).ok()
    }

    /// The transceiver in the set associated with the m-section `mid`.
    pub fn transceiver_by_mid(&self, mid: &str) -> Option<&RtpTransceiver> {
        self.transceivers.with_mid(mid)
    }

    /// `getSenders()`: the senders of every transceiver that is not stopped.
    pub fn senders(&self) -> impl Iterator<Item = &RtpSender> {
        self.transceivers
            .in_set()
            .filter(|t| t.fsm.rules().senders_listed)
            .map(|t| &t.sender)
    }

    /// `getReceivers()`: likewise.
    pub fn receivers(&self) -> impl Iterator<Item = &RtpReceiver> {
        self.transceivers
            .in_set()
            .filter(|t| t.fsm.rules().senders_listed)
            .map(|t| &t.receiver)
    }

    /// `sender.transport` / `receiver.transport` (webrtc-pc §5.2, §5.3): the transport that
    /// carries the transceiver's m-section — `None` until a description gave it a mid and a
    /// transport, and once its transport is released (e.g. the m-section was rejected and no
    /// longer bundled).
    pub fn transport_of(&self, transceiver: TransceiverId) -> Option<TransportId> {
        let mid = self.transceivers.get(transceiver).ok()?.mid()?;
        self.transports
            .all()
            .iter()
            .find(|t| !t.is_released() && t.members().contains(mid))
            .map(TransportState::id)
    }

    /// The BUNDLE groups of the current descriptions, as the answer states them (empty before
    /// the first exchange completes).
    pub fn bundle_groups(&self) -> Vec<BundleGroup> {
        let Some(answer) = self.descriptions.current_answer() else {
            return Vec::new();
        };
        answer
            .bundle_groups()
            .map(|g| BundleGroup {
                mids: g.mids().map(Mid::from).collect(),
            })
            .collect()
    }

    /// A handle to change one transceiver: `ForeignTransceiver` when another session made
    /// `id`.
    pub fn transceiver_mut(&mut self, id: TransceiverId) -> Result<TransceiverMut<'_>, Error> {
        self.transceivers.get(id)?;
        Ok(TransceiverMut { session: self, id })
    }

    // ---- the peer connection's calls --------------------------------------------------------

    /// `addTransceiver(kind, init)`.
    pub fn add_transceiver(
        &mut self,
        kind: TrackKind,
        init: TransceiverInit,
    ) -> Result<TransceiverId, Error> {
        self.call(|s| {
            s.ensure_open("addTransceiver")?;
            s.ensure_codecs(kind)?;
            let id = s.create_transceiver(kind, init.direction, Origin::Local);
            s.transceivers.get_mut(id)?.sender.streams = init.streams;
            s.after_call(Tasks::negotiation(Some(id)))?;
            Ok(id)
        })
    }

    /// `addTrack(track, ...streams)`: reuses a transceiver of the same kind whose sender never
    /// had a track and never sent (webrtc-pc addTrack reuse rule, never a stopping one), else
    /// creates a sendrecv one.
    pub fn add_track(
        &mut self,
        kind: TrackKind,
        track: TrackId,
        streams: Vec<String>,
    ) -> Result<TransceiverId, Error> {
        self.call(|s| {
            s.ensure_open("addTrack")?;
            s.ensure_codecs(kind)?;
            // CollectSenders: the senders of transceivers that are not [[Stopped]] (a stopped
            // transceiver's sender may keep its track; the track can be added again).
            if s.senders().any(|sender| sender.track.as_ref() == Some(&track)) {
                return Err(Error::InvalidAccess {
                    what: format!("track {track} already has a sender"),
                    rule: "webrtc-pc addTrack: InvalidAccessError if a sender already has the track",
                });
            }
            let reusable = s
                .transceivers()
                .find(|t| {
                    t.kind == kind && t.sender.track.is_none() && t.fsm.reusable_by_add_track()
                })
                .map(|t| t.id);
            let mut tasks = Tasks::default();
            let id = match reusable {
                Some(id) => {
                    s.drive(id, Input::AddTrack, &mut tasks)?;
                    id
                }
                None => {
                    let id = s.create_transceiver(kind, Direction::SendRecv, Origin::Local);
                    tasks = Tasks::negotiation(Some(id));
                    id
                }
            };
            // The sender has its track before negotiation-needed is updated (webrtc-pc
            // addTrack: the flag is updated last).
            let entry = s.transceivers.get_mut(id)?;
            entry.sender.track = Some(track);
            entry.sender.streams = streams;
            entry.add_track_touched = true;
            s.after_call(tasks)?;
            Ok(id)
        })
    }

    /// `removeTrack(sender)`: the sender loses its track and the direction its send part
    /// (webrtc-pc removeTrack). The transceiver's table decides when this is a no-op
    /// ("If transceiver.\[\[Stopping\]\] is true, abort these steps").
    pub fn remove_track(&mut self, sender: SenderId) -> Result<(), Error> {
        self.call(|s| {
            s.ensure_open("removeTrack")?;
            let id = sender.transceiver();
            // "If sender.[[SenderTrack]] is null, abort these steps."
            if s.transceivers.get(id)?.sender.track.is_none() {
                return Ok(());
            }
            let mut tasks = Tasks::default();
            if s.drive(id, Input::RemoveTrack, &mut tasks)? == Handled::Ran {
                s.transceivers.get_mut(id)?.sender.track = None;
            }
            s.after_call(tasks)
        })
    }

    /// Stops every audio and video transceiver: after the next offer/answer the session is
    /// **data-only** (the data channel is untouched throughout). Returns the ids it stopped
    /// (the ones that were not stopping already).
    pub fn stop_media(&mut self) -> Result<Vec<TransceiverId>, Error> {
        self.call(|s| {
            s.ensure_open("stop_media")?;
            let ids: Vec<TransceiverId> = s.transceivers().map(|t| t.id).collect();
            let mut tasks = Tasks::default();
            let mut stopped = Vec::new();
            for id in ids {
                if s.drive(id, Input::Stop, &mut tasks)? == Handled::Ran {
                    stopped.push(id);
                }
            }
            s.after_call(tasks)?;
            Ok(stopped)
        })
    }

    /// A transceiver of `kind` can only be offered with a codec of that kind: an m= line lists
    /// at least one format, and without one the peer must refuse the offer.
    fn ensure_codecs(&self, kind: TrackKind) -> Result<(), Error> {
        let codecs = match kind {
            TrackKind::Audio => &self.config.codecs.audio,
            TrackKind::Video => &self.config.codecs.video,
        };
        if codecs.is_empty() {
            return Err(Error::Type {
                what: format!("no {} codec is configured", kind.as_str()),
                rule: "RFC 8866 §5.14: an m= line lists at least one format (tacet: a transceiver's kind needs a configured codec)",
            });
        }
        Ok(())
    }

    /// "Create an RTCRtpTransceiver" in the set.
    pub(crate) fn create_transceiver(
        &mut self,
        kind: TrackKind,
        direction: Direction,
        origin: Origin,
    ) -> TransceiverId {
        self.transceivers.create(
            kind,
            direction,
            origin,
            &mut self.rng,
            self.config.ended_policy,
        )
    }

    /// One input for one transceiver, as a whole call.
    fn transceiver_call(&mut self, id: TransceiverId, input: Input) -> Result<Handled, Error> {
        self.call(|s| {
            let mut tasks = Tasks::default();
            let handled = s.drive(id, input, &mut tasks)?;
            s.after_call(tasks)?;
            Ok(handled)
        })
    }
}

/// A handle to change one transceiver, from [`Session::transceiver_mut`]. Each method is one
/// W3C call: it changes the transceiver (and the session around it) at once, or returns the
/// error and changes nothing.
#[derive(Debug)]
pub struct TransceiverMut<'a> {
    session: &'a mut Session,
    id: TransceiverId,
}

impl TransceiverMut<'_> {
    /// Its id.
    pub fn id(&self) -> TransceiverId {
        self.id
    }

    /// The transceiver as it is now.
    pub fn get(&self) -> &RtpTransceiver {
        // Invariant: the handle was made for an id of this session, and ids never go away.
        self.session
            .transceivers
            .get(self.id)
            .expect("invariant: a handle's id names a transceiver of its session")
    }

    /// `transceiver.stop()`: media stops now (BYE, receiver track ended), the stop is
    /// negotiated at the next offer/answer; stopping twice does nothing. InvalidStateError
    /// after `close()`.
    /// spec: webrtc-pc RTCRtpTransceiver.stop() (rules 1.3a-1.3c).
    pub fn stop(&mut self) -> Result<(), Error> {
        self.session
            .transceiver_call(self.id, Input::Stop)
            .map(drop)
    }

    /// The `direction` setter. InvalidStateError once stopping.
    pub fn set_direction(&mut self, direction: Direction) -> Result<(), Error> {
        self.session
            .transceiver_call(self.id, Input::SetDirection(direction))
            .map(drop)
    }

    /// `sender.replaceTrack(track)`: no renegotiation, no BYE (webrtc-pc; RTCP BYE only when
    /// an SSRC is retired). InvalidStateError once stopping.
    pub fn replace_track(&mut self, track: Option<TrackId>) -> Result<(), Error> {
        let id = self.id;
        self.session.call(|s| {
            s.ensure_open("replaceTrack")?;
            let mut tasks = Tasks::default();
            s.drive(id, Input::ReplaceTrack, &mut tasks)?;
            s.transceivers.get_mut(id)?.sender.track = track;
            s.after_call(tasks)
        })
    }

    /// `sender.setStreams(...streams)`: the stream ids the sender's track is announced with
    /// (`a=msid`), duplicates dropped; negotiation is needed when they differ from the current
    /// description. InvalidStateError after `close()`.
    /// spec: webrtc-pc RTCRtpSender.setStreams.
    pub fn set_streams(&mut self, streams: Vec<String>) -> Result<(), Error> {
        let id = self.id;
        self.session.call(|s| {
            s.ensure_open("setStreams")?;
            let mut unique: Vec<String> = Vec::with_capacity(streams.len());
            for stream in streams {
                if !unique.contains(&stream) {
                    unique.push(stream);
                }
            }
            s.transceivers.get_mut(id)?.sender.streams = unique;
            s.after_call(Tasks::negotiation(Some(id)))
        })
    }

    /// RTP arrived for its receiver (a fact from the I/O layer): unmutes the receiver track
    /// when receptive.
    pub fn rtp_received(&mut self) -> Result<(), Error> {
        self.session
            .transceiver_call(self.id, Input::RtpReceived)
            .map(drop)
    }

    /// An RTCP BYE arrived for its receiver: mutes (never ends) the track.
    pub fn rtcp_bye_received(&mut self) -> Result<(), Error> {
        self.session
            .transceiver_call(self.id, Input::RtcpByeReceived)
            .map(drop)
    }
}
