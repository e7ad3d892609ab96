//! One transceiver as the session holds it: the stop machine, the sender (its track id,
//! streams and SSRCs) and the receiver (its track). Read-only to the application; every change
//! goes through `Session`.

use tacet_track::{Track, TrackId, TrackKind};
use tacet_transceiver_fsm::table::Phase;
use tacet_transceiver_fsm::{Direction, Mid, Transceiver, TransceiverDirection};

use std::sync::Arc;

use crate::codecs::{MediaType, NegotiatedCodec};

/// Identifies a transceiver for the life of its session (never reused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransceiverId(pub u32);

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

/// The sending half.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sender {
    pub(crate) track: Option<TrackId>,
    pub(crate) streams: Vec<String>,
    pub(crate) ssrc: u32,
    pub(crate) rtx_ssrc: Option<u32>,
    /// A negotiated description let this sender send with a track attached: its SSRCs went on
    /// the wire (as far as the session can know), so a stop sends a BYE for them.
    pub(crate) sent: bool,
}

impl Sender {
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

/// One `RTCRtpTransceiver`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtpTransceiver {
    pub(crate) id: TransceiverId,
    pub(crate) media: MediaType,
    pub(crate) fsm: Transceiver,
    pub(crate) sender: Sender,
    pub(crate) receiver_track: Track,
    pub(crate) origin: Origin,
    /// `addTrack` attached a track to it (it survives the rollback of its remote offer).
    pub(crate) add_track_touched: bool,
    /// The codecs the last applied answer negotiated for it.
    /// Shared with the other transceivers that negotiated the same list.
    pub(crate) codecs: Arc<[NegotiatedCodec]>,
    /// `[[AssociatedRemoteMediaStreams]]`: the stream ids the remote announces for the track
    /// this transceiver receives.
    pub(crate) remote_streams: Vec<String>,
    /// `[[LastStableStateAssociatedRemoteMediaStreams]]`, restored by a rollback.
    pub(crate) stable_remote_streams: Vec<String>,
}

impl RtpTransceiver {
    /// Its id.
    pub fn id(&self) -> TransceiverId {
        self.id
    }

    /// Audio or video.
    pub fn kind(&self) -> TrackKind {
        match self.media {
            MediaType::Audio => TrackKind::Audio,
            MediaType::Video => TrackKind::Video,
        }
    }

    pub(crate) fn media(&self) -> MediaType {
        self.media
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

    /// The life-cycle phase.
    pub fn phase(&self) -> Phase {
        self.fsm.phase()
    }

    /// The sender.
    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    /// The receiver's track (`receiver.track`).
    pub fn receiver_track(&self) -> &Track {
        &self.receiver_track
    }

    /// The codecs the last applied answer negotiated.
    pub fn codecs(&self) -> &[NegotiatedCodec] {
        &self.codecs
    }

    /// The remote streams the receiver track belongs to (`[[AssociatedRemoteMediaStreams]]`).
    pub fn remote_streams(&self) -> &[String] {
        &self.remote_streams
    }

    /// The transceiver machine itself (read-only).
    pub fn machine(&self) -> &Transceiver {
        &self.fsm
    }
}
