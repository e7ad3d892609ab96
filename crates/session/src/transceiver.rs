//! One transceiver as the application sees it: a read-only view with its sender and receiver
//! (W3C `RTCRtpTransceiver`, `RTCRtpSender`, `RTCRtpReceiver`). Every change goes through the
//! session: [`Session::transceiver_mut`](crate::Session::transceiver_mut) hands out a
//! [`TransceiverMut`](crate::TransceiverMut).

use std::sync::Arc;

use tacet_track::{Track, TrackId, TrackKind};
use tacet_transceiver_fsm::stop_table::StopRules;
use tacet_transceiver_fsm::table::Phase;
use tacet_transceiver_fsm::{Direction, Mid, StopCause, Transceiver, TransceiverDirection};

use crate::codecs::NegotiatedCodec;

/// Identifies a transceiver of one session for the life of that session (never reused).
/// Opaque: only the session makes one, and a session refuses the ids of another
/// (webrtc-pc: InvalidAccessError for a sender "not created by connection").
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransceiverId {
    /// The session's tag: its `o=` session id, random per seed (two sessions made from the same
    /// seed cannot tell their ids apart).
    session: u64,
    index: u32,
}

impl TransceiverId {
    /// The id of the transceiver at `index` of the list of the session tagged `session`.
    pub(crate) fn at(session: u64, index: usize) -> Self {
        Self {
            session,
            // Fewer than 2^32 transceivers per session: a session would run out of memory
            // first.
            index: u32::try_from(index).unwrap_or(u32::MAX),
        }
    }

    /// The tag of the session that made it.
    pub(crate) fn session(self) -> u64 {
        self.session
    }

    /// Its index in its session's list.
    pub(crate) fn index(self) -> usize {
        self.index as usize
    }

    /// Its sender's id (`transceiver.sender`, for `removeTrack(sender)`).
    pub fn sender(self) -> SenderId {
        SenderId(self)
    }
}

/// Short: the index is what a reader of a log needs (`TransceiverId(3)`).
impl std::fmt::Debug for TransceiverId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TransceiverId({})", self.index)
    }
}

/// Identifies a sender (`RTCRtpSender`), for `removeTrack(sender)`. Opaque: read it from
/// [`RtpSender::id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SenderId(TransceiverId);

impl SenderId {
    /// The transceiver the sender belongs to.
    pub fn transceiver(self) -> TransceiverId {
        self.0
    }
}

/// How a transceiver came to exist (for rollback: webrtc-pc removes a transceiver created by
/// a rolled-back remote offer unless `addTrack` gave it a track).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Origin {
    /// `addTransceiver` or `addTrack`.
    Local,
    /// Created while applying a remote offer that is still pending.
    PendingRemoteOffer,
    /// Created by a remote offer that has since been answered.
    RemoteOffer,
}

/// Options of [`Session::add_transceiver`](crate::Session::add_transceiver)
/// (`RTCRtpTransceiverInit`).
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

/// The sending half (`RTCRtpSender`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RtpSender {
    pub(crate) transceiver: TransceiverId,
    pub(crate) track: Option<TrackId>,
    pub(crate) streams: Vec<String>,
    pub(crate) ssrc: u32,
    pub(crate) rtx_ssrc: Option<u32>,
    /// A negotiated description let this sender send with a track attached: its SSRCs went on
    /// the wire (as far as the session can know), so a stop sends a BYE for them.
    pub(crate) sent: bool,
}

impl RtpSender {
    /// Its id, for [`Session::remove_track`](crate::Session::remove_track).
    pub fn id(&self) -> SenderId {
        SenderId(self.transceiver)
    }

    /// The transceiver it belongs to.
    pub fn transceiver(&self) -> TransceiverId {
        self.transceiver
    }

    /// The application's track on this sender (`sender.track`). A transceiver stop never
    /// ends it: the track belongs to the application.
    pub fn track(&self) -> Option<&TrackId> {
        self.track.as_ref()
    }

    /// The stream ids (`a=msid`) the track is announced with.
    pub fn streams(&self) -> &[String] {
        &self.streams
    }

    /// The SSRCs: media, then RTX (video).
    pub fn ssrcs(&self) -> Vec<u32> {
        std::iter::once(self.ssrc).chain(self.rtx_ssrc).collect()
    }
}

/// The receiving half (`RTCRtpReceiver`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtpReceiver {
    pub(crate) transceiver: TransceiverId,
    pub(crate) track: Track,
    /// `[[AssociatedRemoteMediaStreams]]`: the stream ids the remote announces for the track
    /// this receiver receives.
    pub(crate) remote_streams: Vec<String>,
    /// `[[LastStableStateAssociatedRemoteMediaStreams]]`, restored by a rollback.
    pub(crate) stable_remote_streams: Vec<String>,
}

impl RtpReceiver {
    /// The transceiver it belongs to.
    pub fn transceiver(&self) -> TransceiverId {
        self.transceiver
    }

    /// Its track (`receiver.track`): live from the start, ended for good when the transceiver
    /// stops.
    pub fn track(&self) -> &Track {
        &self.track
    }

    /// The remote streams the track belongs to (`[[AssociatedRemoteMediaStreams]]`).
    pub fn remote_streams(&self) -> &[String] {
        &self.remote_streams
    }
}

/// One `RTCRtpTransceiver`, read-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtpTransceiver {
    pub(crate) id: TransceiverId,
    pub(crate) kind: TrackKind,
    pub(crate) fsm: Transceiver,
    pub(crate) sender: RtpSender,
    pub(crate) receiver: RtpReceiver,
    pub(crate) origin: Origin,
    /// `addTrack` attached a track to it (it survives the rollback of its remote offer).
    pub(crate) add_track_touched: bool,
    /// The codecs the last applied answer negotiated for it.
    /// Shared with the other transceivers that negotiated the same list.
    pub(crate) codecs: Arc<[NegotiatedCodec]>,
}

impl RtpTransceiver {
    /// Its id.
    pub fn id(&self) -> TransceiverId {
        self.id
    }

    /// Audio or video.
    pub fn kind(&self) -> TrackKind {
        self.kind
    }

    /// `transceiver.mid`.
    pub fn mid(&self) -> Option<&Mid> {
        self.fsm.mid()
    }

    /// `transceiver.direction` (`"stopped"` once stopping).
    pub fn direction(&self) -> TransceiverDirection {
        self.fsm.direction()
    }

    /// `transceiver.currentDirection` (`"stopped"` once stopped, `None` before negotiation).
    pub fn current_direction(&self) -> Option<TransceiverDirection> {
        self.fsm.current_direction()
    }

    /// `[[Direction]]` (inactive once stopping): what an offer writes.
    pub fn desired_direction(&self) -> Direction {
        self.fsm.desired_direction()
    }

    /// `[[Stopping]]`.
    pub fn is_stopping(&self) -> bool {
        self.fsm.is_stopping()
    }

    /// `[[Stopped]]`.
    pub fn is_stopped(&self) -> bool {
        self.fsm.is_stopped()
    }

    /// It left the set of transceivers (the object lives on, as in JavaScript).
    pub fn is_removed(&self) -> bool {
        self.fsm.is_removed()
    }

    /// The life-cycle phase.
    pub fn phase(&self) -> Phase {
        self.fsm.phase()
    }

    /// Why it stopped (`None` while active): its receiver track ended with this cause.
    pub fn stop_cause(&self) -> Option<StopCause> {
        self.fsm.stop_cause()
    }

    /// What its phase means for offers, answers, negotiation-needed, removal and the W3C
    /// lists: its row of the stop table (`docs/stop-semantics.md`).
    pub fn stop_rules(&self) -> StopRules {
        self.fsm.rules()
    }

    /// Whether its sender may put RTP on the wire now: active and negotiated to send.
    pub fn may_send(&self) -> bool {
        self.fsm.may_send()
    }

    /// Whether its receiver accepts RTP now: active and receptive.
    pub fn may_receive(&self) -> bool {
        self.fsm.may_receive()
    }

    /// The sender (`transceiver.sender`).
    pub fn sender(&self) -> &RtpSender {
        &self.sender
    }

    /// The receiver (`transceiver.receiver`).
    pub fn receiver(&self) -> &RtpReceiver {
        &self.receiver
    }

    /// The codecs the last applied answer negotiated.
    pub fn codecs(&self) -> &[NegotiatedCodec] {
        &self.codecs
    }

    /// The internal slots no W3C attribute shows, for tests that check the algorithms step by
    /// step.
    #[cfg(feature = "internals")]
    pub fn internals(&self) -> TransceiverInternals {
        TransceiverInternals {
            receptive: self.fsm.receptive(),
            negotiated_direction: self.fsm.negotiated_direction(),
            fired_direction: self.fsm.fired_direction(),
        }
    }
}

/// Internal slots of a transceiver (feature `internals`: for tests, not an API to build on).
#[cfg(feature = "internals")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransceiverInternals {
    /// `[[Receptive]]`.
    pub receptive: bool,
    /// `[[CurrentDirection]]` without the `"stopped"` mapping.
    pub negotiated_direction: Option<Direction>,
    /// `[[FiredDirection]]`.
    pub fired_direction: Option<Direction>,
}
