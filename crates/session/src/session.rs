//! The session: state, the application's calls, and the plumbing from transceiver effects to
//! events and I/O effects. Offers, answers and descriptions live in their own files.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use tacet_sdp::SessionDescription;
use tacet_track::{EndCause, Track, TrackEvent, TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, Effect as FsmEffect, Input, StopCause, Transceiver};

use crate::codecs::{MediaType, Registry};
use crate::config::SessionConfig;
use crate::data::DataChannel;
use crate::error::Error;
use crate::event::{Effect, Event};
use crate::mode::Mode;
use crate::rng::Rng;
use crate::signaling::SignalingState;
use crate::transceiver::{Origin, RtpTransceiver, Sender, TransceiverId};
use crate::transport::{TransportState, Transports};

/// What a created-but-not-yet-applied description binds each m-line to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Owner {
    Transceiver(TransceiverId),
    Data,
    /// A rejected placeholder nobody owns (its transceiver was removed).
    Vacant,
}

/// A description this session created, with the m-line owners it was built for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Created {
    /// Shared: the session's snapshots and the stored local description point to it.
    pub(crate) description: Arc<SessionDescription>,
    pub(crate) owners: Vec<Owner>,
    /// The ICE credentials it carries (new ones after `restartIce()`).
    pub(crate) ice: (String, String),
}

/// `[[CurrentLocalDescription]]` and friends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Descriptions {
    /// Set with [`Descriptions::set_current`] only, which keeps `current_mids` in step
    /// (trickled candidates are added in place: they move no mid and no m-line).
    pub(crate) current_local: Option<Arc<SessionDescription>>,
    /// As `current_local`.
    pub(crate) current_remote: Option<Arc<SessionDescription>>,
    pub(crate) pending_local: Option<Arc<SessionDescription>>,
    pub(crate) pending_remote: Option<Arc<SessionDescription>>,
    /// Every mid of the current descriptions with its m-line index in the local and in the
    /// remote one: "check if negotiation is needed" runs after every call and looks
    /// transceivers up by mid, so the index is built once per exchange, not once per call.
    /// Derived from the two current descriptions (so equal whenever they are); shared, so a
    /// snapshot of the session does not copy it.
    current_mids: Arc<HashMap<String, MidSlots>>,
}

/// An m-section and its index in its description.
pub(crate) type IndexedSection<'a> = (usize, &'a tacet_sdp::MediaSection);

fn section_at(
    description: Option<&SessionDescription>,
    index: Option<usize>,
) -> Option<IndexedSection<'_>> {
    let index = index?;
    description?.media.get(index).map(|m| (index, m))
}

/// Where one mid is in the current descriptions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MidSlots {
    pub(crate) local: Option<usize>,
    pub(crate) remote: Option<usize>,
}

impl Descriptions {
    /// Stores the current descriptions (an answer was applied) and indexes their mids.
    pub(crate) fn set_current(
        &mut self,
        local: Option<Arc<SessionDescription>>,
        remote: Option<Arc<SessionDescription>>,
    ) {
        let mut mids: HashMap<String, MidSlots> = HashMap::new();
        for (is_local, description) in [(true, &local), (false, &remote)] {
            let Some(description) = description else {
                continue;
            };
            for (index, section) in description.media.iter().enumerate() {
                if let Some(mid) = section.mid() {
                    let slots = mids.entry(mid.as_str().to_owned()).or_default();
                    // The first section with a mid wins, as in `media_by_mid`.
                    let slot = if is_local {
                        &mut slots.local
                    } else {
                        &mut slots.remote
                    };
                    slot.get_or_insert(index);
                }
            }
        }
        self.current_local = local;
        self.current_remote = remote;
        self.current_mids = Arc::new(mids);
    }

    /// The m-sections with this mid in the current local and remote descriptions.
    pub(crate) fn current_sections(
        &self,
        mid: &str,
    ) -> (Option<IndexedSection<'_>>, Option<IndexedSection<'_>>) {
        let slots = self.current_mids.get(mid).copied().unwrap_or_default();
        (
            section_at(self.current_local.as_deref(), slots.local),
            section_at(self.current_remote.as_deref(), slots.remote),
        )
    }

    /// The description whose m-lines are the session's layout now: the pending one if an
    /// exchange is in progress, else the current local (or remote) one.
    pub(crate) fn latest(&self) -> Option<&SessionDescription> {
        self.pending_local
            .as_deref()
            .or(self.pending_remote.as_deref())
            .or(self.current_local.as_deref())
            .or(self.current_remote.as_deref())
    }

    /// RFC 9429 §5.2.2: only an m-section with port 0 in the **current** local or remote
    /// description may be recycled.
    pub(crate) fn recyclable(&self, index: usize) -> bool {
        let zero = |d: &Option<Arc<SessionDescription>>| {
            d.as_ref()
                .and_then(|d| d.media.get(index))
                .is_some_and(|m| m.port == 0 && !m.attributes.bundle_only())
        };
        zero(&self.current_local) || zero(&self.current_remote)
    }
}

/// The W3C "final task" of a call: mutes, `track` events and the negotiation-needed update
/// are collected while the call runs and delivered at its end, in the spec's order.
#[derive(Debug, Default)]
pub(crate) struct Tasks {
    pub(crate) mute: Vec<TransceiverId>,
    /// removeList: (transceiver, stream) pairs whose stream lost the track (`removetrack`).
    pub(crate) removed: Vec<(TransceiverId, String)>,
    /// addList: (transceiver, stream) pairs whose stream gained the track (`addtrack`).
    pub(crate) added: Vec<(TransceiverId, String)>,
    pub(crate) track: Vec<TransceiverId>,
    pub(crate) update_negotiation_needed: bool,
    /// The transceivers the call changed in a way that may need negotiation: the check looks
    /// at them first.
    pub(crate) changed: Vec<TransceiverId>,
}

/// Options of [`Session::add_transceiver`] (`RTCRtpTransceiverInit`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransceiverInit {
    /// `direction` (default sendrecv).
    pub direction: Direction,
    /// `streams`: the stream ids the sender's track is announced with.
    pub streams: Vec<String>,
}

impl Default for TransceiverInit {
    fn default() -> Self {
        Self {
            direction: Direction::SendRecv,
            streams: Vec::new(),
        }
    }
}

/// A pure (sans-IO) peer connection core: offer/answer with exact stop semantics.
///
/// Every method changes the state immediately and queues what it fires; drain
/// [`poll_event`](Self::poll_event) (application events) and
/// [`poll_effect`](Self::poll_effect) (I/O instructions). A method that returns an error has
/// changed nothing at all — not even the queues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub(crate) config: SessionConfig,
    pub(crate) rng: Rng,
    pub(crate) signaling: SignalingState,
    pub(crate) transceivers: Vec<RtpTransceiver>,
    pub(crate) data_channels: Vec<DataChannel>,
    pub(crate) descriptions: Descriptions,
    pub(crate) last_offer: Option<Created>,
    pub(crate) last_answer: Option<Created>,
    pub(crate) ice_ufrag: String,
    pub(crate) ice_pwd: String,
    pub(crate) ice_restart: bool,
    /// The RTCP CNAME of every local stream (RFC 7022: one per session).
    pub(crate) cname: String,
    pub(crate) transports: Transports,
    pub(crate) registry: Registry,
    pub(crate) session_id: u64,
    pub(crate) version: u64,
    pub(crate) next_mid: u32,
    pub(crate) used_mids: BTreeSet<String>,
    pub(crate) used_ssrcs: BTreeSet<u32>,
    pub(crate) negotiation_needed: bool,
    pub(crate) mode: Mode,
    pub(crate) events: VecDeque<Event>,
    pub(crate) effects: VecDeque<Effect>,
    /// Inside a public call: nested calls run without a snapshot of their own.
    pub(crate) in_call: bool,
}

impl Session {
    /// A new session. `seed` feeds every random choice (session id, ICE credentials, SSRCs,
    /// track ids), so the same seed replays the same session (decisions.md §5).
    pub fn new(config: SessionConfig, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        // RFC 9429 §5.2.1: a 64-bit session id with the top bit clear.
        let session_id = rng.next_u64() >> 1;
        let ice_ufrag = rng.ice_chars(4);
        let ice_pwd = rng.ice_chars(24);
        let cname = rng.ice_chars(16).replace(['+', '/'], "x");
        Self {
            config,
            rng,
            signaling: SignalingState::Stable,
            transceivers: Vec::new(),
            data_channels: Vec::new(),
            descriptions: Descriptions::default(),
            last_offer: None,
            last_answer: None,
            ice_ufrag,
            ice_pwd,
            ice_restart: false,
            cname,
            transports: Transports::default(),
            registry: Registry::default(),
            session_id,
            // Chromium starts at 2; the first description gets version 2 here too.
            version: 1,
            next_mid: 0,
            used_mids: BTreeSet::new(),
            used_ssrcs: BTreeSet::new(),
            negotiation_needed: false,
            mode: Mode::New,
            events: VecDeque::new(),
            effects: VecDeque::new(),
            in_call: false,
        }
    }

    /// Runs `call` and restores the whole session if it fails: failure atomicity for every
    /// public method (decisions.md: "build the new state aside, commit at the end").
    pub(crate) fn atomically<T>(
        &mut self,
        call: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.in_call {
            // A call made by another call (e.g. setLocalDescription() inside perfect
            // negotiation's answer): the outer snapshot already covers it.
            return call(self);
        }
        let snapshot = self.clone();
        self.in_call = true;
        let result = call(self);
        if result.is_err() {
            // The snapshot was taken outside any call.
            *self = snapshot;
        } else {
            self.in_call = false;
        }
        result
    }

    /// Runs `call`, which checks everything that can fail before it changes anything, without
    /// a snapshot: for the calls on one transceiver (`addTrack`, `stop()`, the direction
    /// setter, ...), which an application makes once per transceiver, so that a snapshot of the
    /// whole session each time would make adding or stopping n transceivers cost O(n²).
    /// Their failures come from `ensure_open`, a lookup, or the transceiver's own table, which
    /// refuses an input without changing anything (tacet-transceiver-fsm). Debug builds (every
    /// test) still take the snapshot and assert that a failure changed nothing.
    pub(crate) fn checked_first<T>(
        &mut self,
        call: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        #[cfg(debug_assertions)]
        let before = (!self.in_call).then(|| self.clone());
        let result = call(self);
        #[cfg(debug_assertions)]
        if let (Err(error), Some(before)) = (&result, before) {
            assert!(
                *self == before,
                "a call that checks first changed the session before failing: {error}"
            );
        }
        result
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.signaling == SignalingState::Closed
    }

    pub(crate) fn ensure_open(&self, what: &str) -> Result<(), Error> {
        if self.is_closed() {
            Err(Error::closed(what))
        } else {
            Ok(())
        }
    }

    // ---- getters ---------------------------------------------------------------------------

    /// `signalingState`.
    pub fn signaling_state(&self) -> SignalingState {
        self.signaling
    }

    /// What is negotiated and live.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// `getTransceivers()`: every transceiver in the set, in insertion order (removed ones
    /// are gone).
    pub fn transceivers(&self) -> impl Iterator<Item = &RtpTransceiver> {
        self.transceivers.iter().filter(|t| !t.fsm.is_removed())
    }

    /// One transceiver, also after its removal (the object lives on, as in JavaScript).
    pub fn transceiver(&self, id: TransceiverId) -> Option<&RtpTransceiver> {
        self.transceivers.get(id.0 as usize)
    }

    /// `getSenders()`: the transceivers whose sender is listed — every one not stopped.
    pub fn senders(&self) -> impl Iterator<Item = &RtpTransceiver> {
        self.transceivers().filter(|t| !t.is_stopped())
    }

    /// `getReceivers()`: likewise.
    pub fn receivers(&self) -> impl Iterator<Item = &RtpTransceiver> {
        self.transceivers().filter(|t| !t.is_stopped())
    }

    /// `localDescription`: pending if any, else current.
    pub fn local_description(&self) -> Option<&SessionDescription> {
        self.descriptions
            .pending_local
            .as_deref()
            .or(self.descriptions.current_local.as_deref())
    }

    /// `remoteDescription`.
    pub fn remote_description(&self) -> Option<&SessionDescription> {
        self.descriptions
            .pending_remote
            .as_deref()
            .or(self.descriptions.current_remote.as_deref())
    }

    /// `currentLocalDescription`.
    pub fn current_local_description(&self) -> Option<&SessionDescription> {
        self.descriptions.current_local.as_deref()
    }

    /// `currentRemoteDescription`.
    pub fn current_remote_description(&self) -> Option<&SessionDescription> {
        self.descriptions.current_remote.as_deref()
    }

    /// `pendingLocalDescription`.
    pub fn pending_local_description(&self) -> Option<&SessionDescription> {
        self.descriptions.pending_local.as_deref()
    }

    /// `pendingRemoteDescription`.
    pub fn pending_remote_description(&self) -> Option<&SessionDescription> {
        self.descriptions.pending_remote.as_deref()
    }

    /// The negotiation-needed flag.
    pub fn is_negotiation_needed(&self) -> bool {
        self.negotiation_needed
    }

    /// Every transport, live and released.
    pub fn transports(&self) -> &[TransportState] {
        &self.transports.all
    }

    /// The data channels.
    pub fn data_channels(&self) -> &[DataChannel] {
        &self.data_channels
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    // ---- queues ----------------------------------------------------------------------------

    /// The next application event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next I/O effect.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    // ---- transceivers ----------------------------------------------------------------------

    /// `addTransceiver(kind, init)`.
    pub fn add_transceiver(
        &mut self,
        kind: TrackKind,
        init: TransceiverInit,
    ) -> Result<TransceiverId, Error> {
        self.checked_first(|s| {
            s.ensure_open("addTransceiver")?;
            let id = s.create_transceiver(media_of(kind), init.direction, Origin::Local);
            s.entry_mut(id)?.sender.streams = init.streams;
            s.after_call(Tasks {
                update_negotiation_needed: true,
                changed: vec![id],
                ..Tasks::default()
            });
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
        self.checked_first(|s| {
            s.ensure_open("addTrack")?;
            // CollectSenders: the senders of transceivers that are not [[Stopped]] (a stopped
            // transceiver's sender may keep its track; the track can be added again).
            if s
                .transceivers()
                .any(|t| !t.is_stopped() && t.sender.track.as_ref() == Some(&track))
            {
                return Err(Error::InvalidModification {
                    what: format!("track {track} already has a sender"),
                    rule: "webrtc-pc addTrack: InvalidAccessError if a sender already has the track",
                });
            }
            let reusable = s
                .transceivers()
                .find(|t| {
                    t.media == media_of(kind)
                        && t.sender.track.is_none()
                        && t.fsm.reusable_by_add_track()
                })
                .map(|t| t.id);
            let mut tasks = Tasks::default();
            let id = match reusable {
                Some(id) => {
                    s.drive(id, Input::AddTrack, &mut tasks)?;
                    id
                }
                None => {
                    let id = s.create_transceiver(media_of(kind), Direction::SendRecv, Origin::Local);
                    tasks.update_negotiation_needed = true;
                    tasks.changed.push(id);
                    id
                }
            };
            // The sender has its track before negotiation-needed is updated (webrtc-pc
            // addTrack: the flag is updated last).
            let entry = s.entry_mut(id)?;
            entry.sender.track = Some(track);
            entry.sender.streams = streams;
            entry.add_track_touched = true;
            s.after_call(tasks);
            Ok(id)
        })
    }

    /// `removeTrack(sender)`: the sender loses its track and the direction its send part
    /// (webrtc-pc removeTrack); a no-op on a stopping transceiver.
    pub fn remove_track(&mut self, id: TransceiverId) -> Result<(), Error> {
        self.checked_first(|s| {
            s.ensure_open("removeTrack")?;
            let entry = s.entry(id)?;
            if entry.fsm.is_removed() || entry.is_stopping() {
                // "If transceiver.[[Stopping]] is true, abort these steps" (and a removed
                // transceiver's sender is not in CollectSenders).
                return Ok(());
            }
            if entry.sender.track.is_none() {
                return Ok(());
            }
            let mut tasks = Tasks::default();
            s.drive(id, Input::RemoveTrack, &mut tasks)?;
            s.entry_mut(id)?.sender.track = None;
            s.after_call(tasks);
            Ok(())
        })
    }

    /// `sender.replaceTrack(track)`: no renegotiation, no BYE (webrtc-pc; RTCP BYE only when
    /// an SSRC is retired). InvalidStateError once stopping.
    pub fn replace_track(
        &mut self,
        id: TransceiverId,
        track: Option<TrackId>,
    ) -> Result<(), Error> {
        self.checked_first(|s| {
            s.ensure_open("replaceTrack")?;
            let mut tasks = Tasks::default();
            s.drive(id, Input::ReplaceTrack, &mut tasks)?;
            s.entry_mut(id)?.sender.track = track;
            s.after_call(tasks);
            Ok(())
        })
    }

    /// The `direction` setter.
    pub fn set_direction(&mut self, id: TransceiverId, direction: Direction) -> Result<(), Error> {
        self.checked_first(|s| {
            let mut tasks = Tasks::default();
            s.drive(id, Input::SetDirection(direction), &mut tasks)?;
            s.after_call(tasks);
            Ok(())
        })
    }

    /// `transceiver.stop()`: media stops now (BYE, receiver track ended), the stop is
    /// negotiated at the next offer/answer. InvalidStateError after `close()`.
    /// spec: webrtc-pc RTCRtpTransceiver.stop() (rules 1.3a-1.3c).
    pub fn stop_transceiver(&mut self, id: TransceiverId) -> Result<(), Error> {
        self.checked_first(|s| {
            let mut tasks = Tasks::default();
            s.drive(id, Input::Stop, &mut tasks)?;
            s.after_call(tasks);
            Ok(())
        })
    }

    /// Stops every audio and video transceiver: after the next offer/answer the session is
    /// **data-only** (the data channel is untouched throughout). Returns the ids it stopped.
    pub fn stop_media(&mut self) -> Result<Vec<TransceiverId>, Error> {
        self.atomically(|s| {
            s.ensure_open("stop_media")?;
            let ids: Vec<TransceiverId> = s
                .transceivers()
                .filter(|t| !t.is_stopping())
                .map(|t| t.id)
                .collect();
            let mut tasks = Tasks::default();
            for id in &ids {
                s.drive(*id, Input::Stop, &mut tasks)?;
            }
            s.after_call(tasks);
            Ok(ids)
        })
    }

    /// RTP arrived for this transceiver's receiver (a fact from the I/O layer): unmutes the
    /// receiver track when receptive.
    pub fn rtp_received(&mut self, id: TransceiverId) -> Result<(), Error> {
        self.checked_first(|s| {
            let mut tasks = Tasks::default();
            s.drive(id, Input::RtpReceived, &mut tasks)?;
            s.after_call(tasks);
            Ok(())
        })
    }

    /// An RTCP BYE arrived for this transceiver's receiver: mutes (never ends) the track.
    pub fn rtcp_bye_received(&mut self, id: TransceiverId) -> Result<(), Error> {
        self.checked_first(|s| {
            let mut tasks = Tasks::default();
            s.drive(id, Input::RtcpByeReceived, &mut tasks)?;
            s.after_call(tasks);
            Ok(())
        })
    }

    /// `close()` (webrtc-pc "close the connection", disappear=false): signaling closed
    /// (no event), every transceiver stopped (receiver tracks end with `ended`), data channels
    /// closed without the closing procedure, SCTP aborted. A second call does nothing.
    /// spec: webrtc-pc "close the connection" (rule 1.8a).
    pub fn close(&mut self) {
        if self.is_closed() {
            return;
        }
        self.signaling = SignalingState::Closed;
        let mut tasks = Tasks::default();
        for index in 0..self.transceivers.len() {
            let id = self.transceivers[index].id;
            // Close is accepted in every phase (the table's `close` row), so this cannot fail.
            let _ = self.drive(id, Input::Close { disappear: false }, &mut tasks);
        }
        for channel in &mut self.data_channels {
            channel.closed = true;
        }
        self.effects.push_back(Effect::AbortSctp);
        for t in self.transports.all.iter_mut().filter(|t| !t.released) {
            t.released = true;
            self.effects
                .push_back(Effect::TransportReleased { transport: t.id });
        }
        self.negotiation_needed = false;
        self.set_mode(Mode::Closed);
    }

    // ---- plumbing --------------------------------------------------------------------------

    pub(crate) fn entry(&self, id: TransceiverId) -> Result<&RtpTransceiver, Error> {
        self.transceivers
            .get(id.0 as usize)
            .ok_or(Error::UnknownTransceiver(id))
    }

    pub(crate) fn entry_mut(&mut self, id: TransceiverId) -> Result<&mut RtpTransceiver, Error> {
        self.transceivers
            .get_mut(id.0 as usize)
            .ok_or(Error::UnknownTransceiver(id))
    }

    /// A fresh SSRC: random, never used before in this session (a stopped sender's SSRCs
    /// are never reused, stop-semantics §6 item 12).
    pub(crate) fn new_ssrc(&mut self) -> u32 {
        loop {
            let ssrc = self.rng.next_u32();
            if ssrc != 0 && self.used_ssrcs.insert(ssrc) {
                return ssrc;
            }
        }
    }

    pub(crate) fn create_transceiver(
        &mut self,
        media: MediaType,
        direction: Direction,
        origin: Origin,
    ) -> TransceiverId {
        // Fewer than 2^32 transceivers per session.
        let id = TransceiverId(u32::try_from(self.transceivers.len()).unwrap_or(u32::MAX));
        let ssrc = self.new_ssrc();
        let rtx_ssrc = (media == MediaType::Video).then(|| self.new_ssrc());
        let kind = match media {
            MediaType::Audio => TrackKind::Audio,
            MediaType::Video => TrackKind::Video,
        };
        let track_id = self.rng.id();
        self.transceivers.push(RtpTransceiver {
            id,
            media,
            fsm: Transceiver::new(direction),
            sender: Sender {
                track: None,
                streams: Vec::new(),
                ssrc,
                rtx_ssrc,
                sent: false,
            },
            receiver_track: Track::new_receiver(kind, track_id)
                .with_ended_policy(self.config.ended_policy),
            origin,
            add_track_touched: false,
            codecs: Arc::from([]),
            remote_streams: Vec::new(),
            stable_remote_streams: Vec::new(),
        });
        id
    }

    /// Hands `input` to a transceiver machine and turns its effects into events, I/O effects
    /// and receiver-track changes.
    pub(crate) fn drive(
        &mut self,
        id: TransceiverId,
        input: Input,
        tasks: &mut Tasks,
    ) -> Result<(), Error> {
        let index = id.0 as usize;
        let entry = self.entry_mut(id)?;
        entry
            .fsm
            .handle(input)
            .map_err(|source| Error::Transceiver {
                transceiver: id,
                source,
            })?;
        while let Some(effect) = self.transceivers[index].fsm.poll_effect() {
            match effect {
                FsmEffect::StopSending => {
                    self.effects
                        .push_back(Effect::StopSending { transceiver: id });
                }
                FsmEffect::SendRtcpBye => {
                    let sender = &self.transceivers[index].sender;
                    if sender.sent {
                        self.effects.push_back(Effect::SendRtcpBye {
                            transceiver: id,
                            ssrcs: sender.ssrcs(),
                        });
                    }
                }
                FsmEffect::StopReceiving => {
                    self.effects
                        .push_back(Effect::StopReceiving { transceiver: id });
                }
                FsmEffect::EndReceiverTrack { cause, fire_event } => {
                    let track = &mut self.transceivers[index].receiver_track;
                    let cause = end_cause(cause);
                    let _ = if fire_event {
                        track.end(cause)
                    } else {
                        track.end_without_event(cause)
                    };
                }
                FsmEffect::RemoteTrackAdded => tasks.track.push(id),
                FsmEffect::RemoteTrackRemoved => {
                    // "process the removal of a remote track": mute, and the track leaves its
                    // remote streams.
                    tasks.mute.push(id);
                    self.set_remote_streams(id, Vec::new(), tasks);
                }
                FsmEffect::MuteReceiverTrack => {
                    let _ = self.transceivers[index].receiver_track.set_muted(true);
                }
                FsmEffect::UnmuteReceiverTrack => {
                    let _ = self.transceivers[index].receiver_track.set_muted(false);
                }
                FsmEffect::UpdateNegotiationNeeded => {
                    tasks.update_negotiation_needed = true;
                    tasks.changed.push(id);
                }
                FsmEffect::Removed => {
                    self.events
                        .push_back(Event::TransceiverRemoved { transceiver: id });
                }
            }
            self.drain_track(index);
        }
        let entry = &mut self.transceivers[index];
        if entry.fsm.is_stopped() {
            // "Stop the RTCRtpTransceiver": both stream lists are emptied (no events; the
            // track has ended).
            entry.remote_streams.clear();
            entry.stable_remote_streams.clear();
        }
        Ok(())
    }

    /// The associated transceivers by mid, for loops over m-sections (one pass instead of a
    /// scan of the set per section).
    pub(crate) fn transceivers_by_mid(&self) -> HashMap<String, TransceiverId> {
        self.transceivers()
            .filter_map(|t| t.mid().map(|mid| (mid.as_str().to_owned(), t.id)))
            .collect()
    }

    /// webrtc-pc "set the associated remote streams": the streams the receiver track leaves go
    /// to removeList, the ones it joins to addList (each fires in the final task).
    pub(crate) fn set_remote_streams(
        &mut self,
        id: TransceiverId,
        streams: Vec<String>,
        tasks: &mut Tasks,
    ) {
        let entry = &mut self.transceivers[id.0 as usize];
        for old in &entry.remote_streams {
            if !streams.contains(old) {
                tasks.removed.push((id, old.clone()));
            }
        }
        for new in &streams {
            if !entry.remote_streams.contains(new) {
                tasks.added.push((id, new.clone()));
            }
        }
        entry.remote_streams = streams;
    }

    /// Moves the receiver track's events into the session's queue.
    fn drain_track(&mut self, index: usize) {
        let id = self.transceivers[index].id;
        while let Some(event) = self.transceivers[index].receiver_track.poll_event() {
            self.events.push_back(match event {
                TrackEvent::Muted => Event::TrackMuted { transceiver: id },
                TrackEvent::Unmuted => Event::TrackUnmuted { transceiver: id },
                TrackEvent::Ended(reason) => Event::TrackEnded {
                    transceiver: id,
                    reason,
                },
            });
        }
    }

    /// The end of a call — webrtc-pc's final task, in its order: `mute` (muteTracks), then
    /// `removetrack` (removeList), `addtrack` (addList), and `track` events; then "update the
    /// negotiation-needed flag".
    /// spec: webrtc-pc "set the session description", final task (rule 1.6e).
    pub(crate) fn after_call(&mut self, mut tasks: Tasks) {
        for id in tasks.mute {
            let index = id.0 as usize;
            let _ = self.transceivers[index].receiver_track.set_muted(true);
            self.drain_track(index);
        }
        for (transceiver, stream) in tasks.removed {
            self.events.push_back(Event::StreamTrackRemoved {
                transceiver,
                stream,
            });
        }
        for (transceiver, stream) in tasks.added {
            // "or the previous step increased the length of addList": a new stream for the
            // track is processed as an addition of a remote track.
            if !tasks.track.contains(&transceiver) {
                tasks.track.push(transceiver);
            }
            self.events.push_back(Event::StreamTrackAdded {
                transceiver,
                stream,
            });
        }
        for id in tasks.track {
            let t = &self.transceivers[id.0 as usize];
            if !t.is_stopped() {
                let streams = t.remote_streams.clone();
                self.events.push_back(Event::Track {
                    transceiver: id,
                    streams,
                });
            }
        }
        if tasks.update_negotiation_needed {
            self.update_negotiation_needed(&tasks.changed);
        }
    }

    /// webrtc-pc "update the negotiation-needed flag": nothing while closed or not stable;
    /// clear the flag when nothing is needed; fire `negotiationneeded` only when it rises.
    /// spec: webrtc-pc "update the negotiation-needed flag" (rule 1.7a).
    pub(crate) fn update_negotiation_needed(&mut self, changed: &[TransceiverId]) {
        if self.is_closed() || self.signaling != SignalingState::Stable {
            return;
        }
        if !self.check_negotiation_needed(changed) {
            self.negotiation_needed = false;
            return;
        }
        if !self.negotiation_needed {
            self.negotiation_needed = true;
            self.events.push_back(Event::NegotiationNeeded);
        }
    }

    pub(crate) fn set_mode(&mut self, to: Mode) {
        if self.mode != to {
            let from = self.mode;
            self.mode = to;
            self.events.push_back(Event::ModeChanged { from, to });
        }
    }

    pub(crate) fn set_signaling(&mut self, to: SignalingState) {
        if self.signaling != to {
            self.signaling = to;
            self.events.push_back(Event::SignalingStateChange(to));
        }
    }

    /// A new mid: the next number no description of this session has used (mids are never
    /// reused, RFC 9429 §5.2.2 "a new MID value").
    pub(crate) fn new_mid(&mut self) -> String {
        loop {
            let mid = self.next_mid.to_string();
            self.next_mid += 1;
            if !self.used_mids.contains(&mid) {
                return mid;
            }
        }
    }
}

pub(crate) fn media_of(kind: TrackKind) -> MediaType {
    match kind {
        TrackKind::Audio => MediaType::Audio,
        TrackKind::Video => MediaType::Video,
    }
}

fn end_cause(cause: StopCause) -> EndCause {
    match cause {
        StopCause::LocalStop => EndCause::TransceiverStopped,
        StopCause::RemoteRejected => EndCause::RemoteRejected,
        StopCause::RollbackRemoved => EndCause::RollbackRemoved,
        StopCause::ConnectionClosed => EndCause::PeerConnectionClosed,
    }
}
