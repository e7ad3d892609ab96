//! The `MediaStreamTrack` life cycle: `Live -> Ended`, mute, and the `ended` event.
//!
//! Rules: Media Capture and Streams (GUM) §Life-cycle and §MediaStreamTrack, as summarised in
//! `docs/stop-semantics.md` §Track. The transitions:
//!
//! | input                  | Live                                   | Ended     |
//! |------------------------|----------------------------------------|-----------|
//! | `stop()`               | -> Ended(StopCalled), no event [^spec] | unchanged |
//! | `end(cause)`           | -> Ended(cause), event `ended`         | unchanged |
//! | `end_without_event(c)` | -> Ended(cause), no event              | unchanged |
//! | `set_muted(m)`         | event `mute`/`unmute` if `m` changes   | ignored   |
//! | `set_enabled(e)`       | value changes, no event                | value changes, no effect |
//!
//! [^spec]: Under [`EndedPolicy::EmitOnStop`] (aiortc's behaviour) `stop()` also fires `ended`.

use std::collections::VecDeque;
use std::fmt;

/// The kind of media a track carries (`MediaStreamTrack.kind`) — also the `kind` of
/// `addTransceiver(kind)` and of an RTP transceiver, and the audio/video choice of codecs: the
/// one audio/video type of every tacet crate. (An SDP `m=` line names more media types,
/// `application` among them: `tacet-sdp` keeps its own `MediaKind` for that.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackKind {
    /// `"audio"`.
    Audio,
    /// `"video"`.
    Video,
}

impl TrackKind {
    /// The W3C string value: `"audio"` or `"video"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Audio => "audio",
            Self::Video => "video",
        }
    }
}

impl fmt::Display for TrackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A track's identifier (`MediaStreamTrack.id`), chosen by whoever creates the track.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackId(String);

impl TrackId {
    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for TrackId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl From<String> for TrackId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl fmt::Display for TrackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `MediaStreamTrack.readyState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadyState {
    /// `"live"`: the source provides media (possibly muted).
    Live,
    /// `"ended"`: terminal; the source will never provide media again.
    Ended,
}

/// Why a track ended for a reason other than its own `stop()` method.
///
/// GUM calls this "track ended by the User agent" (`ends-nostop`): each of these fires the
/// `ended` event exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndCause {
    /// The source stopped providing media for good (device ejected, permission revoked).
    SourceEnded,
    /// The remote peer rejected the m-section (port 0 in its offer or answer):
    /// webrtc-pc "set the session description", stop the RTCRtpTransceiver.
    RemoteRejected,
    /// The local transceiver was stopped (`RTCRtpTransceiver.stop()`): webrtc-pc "stop sending
    /// and receiving", step "the receiver track is ended".
    TransceiverStopped,
    /// The peer connection was closed (`RTCPeerConnection.close()`).
    PeerConnectionClosed,
    /// The transceiver was created by a remote offer that was rolled back and is removed
    /// (webrtc-pc rollback steps).
    RollbackRemoved,
    /// This side's own answer rejected the m-section (no codec in common, the bundle policy,
    /// or its BUNDLE group's tag rejected): the transceiver is stopped as for a remote
    /// rejection (webrtc-pc#2927; Chromium stops it too).
    LocallyRejected,
}

impl fmt::Display for EndCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SourceEnded => "source ended",
            Self::RemoteRejected => "remote rejected the m-section",
            Self::TransceiverStopped => "transceiver stopped",
            Self::PeerConnectionClosed => "peer connection closed",
            Self::RollbackRemoved => "removed by rollback",
            Self::LocallyRejected => "this side's answer rejected the m-section",
        })
    }
}

/// Why a track is ended: its own `stop()`, or an [`EndCause`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// `MediaStreamTrack.stop()` was called on this track.
    StopCalled,
    /// The track was ended by the user agent for this cause.
    Ended(EndCause),
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StopCalled => f.write_str("stop() called"),
            Self::Ended(cause) => cause.fmt(f),
        }
    }
}

/// Whether `stop()` fires `ended`.
///
/// The W3C rule is that it does not (GUM §MediaStreamTrack › stop: "no event is fired");
/// aiortc emits `ended` synchronously from `stop()`. This is one of tacet's named deviations
/// (`docs/stop-semantics.md` §Deviations): the spec behaviour is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EndedPolicy {
    /// W3C: `stop()` ends the track silently.
    #[default]
    Spec,
    /// aiortc-compatible: `stop()` also fires `ended` with [`EndReason::StopCalled`].
    EmitOnStop,
}

/// An event the track fires, drained with [`Track::poll_event`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrackEvent {
    /// `mute`: the track's muted state became true.
    Muted,
    /// `unmute`: the track's muted state became false.
    Unmuted,
    /// `ended`: the last event this track ever fires.
    Ended(EndReason),
}

/// What a call did to the track.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use = "tells whether the call changed the track"]
pub enum Outcome {
    /// The state changed (and an event may have been queued).
    Applied,
    /// Nothing changed: the value was already set, or the track has ended.
    Unchanged,
}

/// The life-cycle state. Each variant owns only what is valid in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum State {
    Live {
        muted: bool,
    },
    /// `muted` is frozen at the value it had when the track ended: GUM keeps the attribute
    /// readable, but nothing changes it any more.
    Ended {
        reason: EndReason,
        muted: bool,
    },
}

/// A `MediaStreamTrack`: ready state, mute and enabled flags, and its event queue.
///
/// Pure: no clock, no callbacks. Every method changes the state at once and queues the events
/// the change fires; the owner drains them with [`Track::poll_event`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    id: TrackId,
    kind: TrackKind,
    state: State,
    enabled: bool,
    policy: EndedPolicy,
    events: VecDeque<TrackEvent>,
}

impl Track {
    /// A new live, unmuted, enabled track (a local capture track).
    pub fn new(kind: TrackKind, id: impl Into<TrackId>) -> Self {
        Self {
            id: id.into(),
            kind,
            state: State::Live { muted: false },
            enabled: true,
            policy: EndedPolicy::default(),
            events: VecDeque::new(),
        }
    }

    /// A new receiver track: live and **muted** until media arrives
    /// (webrtc-pc "create an RTCRtpReceiver": the track's muted state starts true).
    pub fn new_receiver(kind: TrackKind, id: impl Into<TrackId>) -> Self {
        let mut track = Self::new(kind, id);
        track.state = State::Live { muted: true };
        track
    }

    /// The same track with another [`EndedPolicy`].
    pub fn with_ended_policy(mut self, policy: EndedPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// `MediaStreamTrack.id`.
    pub fn id(&self) -> &TrackId {
        &self.id
    }

    /// `MediaStreamTrack.kind`.
    pub fn kind(&self) -> TrackKind {
        self.kind
    }

    /// `MediaStreamTrack.readyState`.
    pub fn ready_state(&self) -> ReadyState {
        match self.state {
            State::Live { .. } => ReadyState::Live,
            State::Ended { .. } => ReadyState::Ended,
        }
    }

    /// Why the track ended, or `None` while it is live.
    pub fn end_reason(&self) -> Option<EndReason> {
        match self.state {
            State::Live { .. } => None,
            State::Ended { reason, .. } => Some(reason),
        }
    }

    /// `MediaStreamTrack.muted`.
    pub fn muted(&self) -> bool {
        match self.state {
            State::Live { muted } | State::Ended { muted, .. } => muted,
        }
    }

    /// `MediaStreamTrack.enabled`.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The policy for `stop()`.
    pub fn ended_policy(&self) -> EndedPolicy {
        self.policy
    }

    /// `MediaStreamTrack.stop()`.
    ///
    /// GUM §MediaStreamTrack › stop: if already ended, abort; otherwise the track becomes
    /// ended and **no event is fired** — unless the policy is [`EndedPolicy::EmitOnStop`].
    pub fn stop(&mut self) -> Outcome {
        let fire = match self.policy {
            EndedPolicy::Spec => false,
            EndedPolicy::EmitOnStop => true,
        };
        self.finish(EndReason::StopCalled, fire)
    }

    /// Ends the track for `cause` and fires `ended` (GUM "track ended by the User agent":
    /// abort if already ended, set ended, fire `ended`).
    pub fn end(&mut self, cause: EndCause) -> Outcome {
        self.finish(EndReason::Ended(cause), true)
    }

    /// Ends the track for `cause` without firing `ended`.
    ///
    /// This is webrtc-pc's `disappear` path (stop the RTCRtpTransceiver with disappear=true,
    /// used when the peer connection is garbage-collected): nobody is left to observe the event.
    pub fn end_without_event(&mut self, cause: EndCause) -> Outcome {
        self.finish(EndReason::Ended(cause), false)
    }

    /// GUM "set a track's muted state": fires `mute` or `unmute` when the value changes.
    /// Ignored once the track has ended: an ended track fires nothing more (stop-semantics §6
    /// item 17: ended dominates, a late `mute` is dropped).
    pub fn set_muted(&mut self, muted: bool) -> Outcome {
        match &mut self.state {
            State::Live { muted: current } if *current != muted => {
                *current = muted;
                self.events.push_back(if muted {
                    TrackEvent::Muted
                } else {
                    TrackEvent::Unmuted
                });
                Outcome::Applied
            }
            State::Live { .. } | State::Ended { .. } => Outcome::Unchanged,
        }
    }

    /// `MediaStreamTrack.enabled = enabled`. Fires no event. GUM keeps the attribute settable
    /// after the track has ended, where it has no effect.
    pub fn set_enabled(&mut self, enabled: bool) -> Outcome {
        if self.enabled == enabled {
            return Outcome::Unchanged;
        }
        self.enabled = enabled;
        Outcome::Applied
    }

    /// `MediaStreamTrack.clone()`: a new track with the given id and this track's kind, state,
    /// muted and enabled values and policy, and no queued events. A clone of an ended track is
    /// ended (GUM §Life-cycle: "a newly created track can be in either state"), for the same
    /// reason.
    pub fn clone_track(&self, id: impl Into<TrackId>) -> Self {
        Self {
            id: id.into(),
            kind: self.kind,
            state: self.state,
            enabled: self.enabled,
            policy: self.policy,
            events: VecDeque::new(),
        }
    }

    /// The next queued event, oldest first.
    pub fn poll_event(&mut self) -> Option<TrackEvent> {
        self.events.pop_front()
    }

    /// The one way into `Ended`: idempotent, so `ended` fires at most once per track.
    fn finish(&mut self, reason: EndReason, fire_event: bool) -> Outcome {
        let State::Live { muted } = self.state else {
            return Outcome::Unchanged;
        };
        self.state = State::Ended { reason, muted };
        if fire_event {
            self.events.push_back(TrackEvent::Ended(reason));
        }
        Outcome::Applied
    }
}

#[cfg(test)]
mod tests;
