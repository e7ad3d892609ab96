//! Where the crates' vocabularies meet: every conversion between a `tacet-sdp`,
//! `tacet-transceiver-fsm` and `tacet-track` type that names the same thing, in one place
//! (docs/decisions/0007).
//!
//! - **Media kind.** [`TrackKind`] (audio, video) is the one audio/video type: tracks,
//!   transceivers and codecs use it. An SDP `m=` line names more (`application`, and media types
//!   tacet does not know), so `tacet-sdp` keeps its own [`MediaKind`].
//! - **Directions.** An SDP direction attribute ([`tacet_sdp::Direction`]) and W3C's transceiver
//!   direction ([`Direction`], whose getter also reads `"stopped"`) are different things with the
//!   same four values; the offer/answer algebra is the transceiver machine's.
//! - **Mids and faults.** The session speaks of mids and faults in the transceiver machine's
//!   types ([`Mid`], and `Fault`, which has a transport fault SDP never reports; the session
//!   says itself who wrote a description it refuses, so it never reads `tacet_sdp::Fault`).
//! - **Stop and end causes.** The transceiver machine says why it stopped ([`StopCause`]); the
//!   receiver track says why it ended ([`EndCause`], which also has a source that ended by
//!   itself). Same names for the same causes.

use tacet_sdp::MediaKind;
use tacet_track::{EndCause, TrackKind};
use tacet_transceiver_fsm::{DescriptionKind, Direction, Mid, StopCause};

/// A direction attribute as the transceiver machine reads it.
pub(crate) fn direction(attribute: tacet_sdp::Direction) -> Direction {
    match attribute {
        tacet_sdp::Direction::SendRecv => Direction::SendRecv,
        tacet_sdp::Direction::SendOnly => Direction::SendOnly,
        tacet_sdp::Direction::RecvOnly => Direction::RecvOnly,
        tacet_sdp::Direction::Inactive => Direction::Inactive,
    }
}

/// The direction attribute that writes `direction`.
pub(crate) fn attribute(direction: Direction) -> tacet_sdp::Direction {
    match direction {
        Direction::SendRecv => tacet_sdp::Direction::SendRecv,
        Direction::SendOnly => tacet_sdp::Direction::SendOnly,
        Direction::RecvOnly => tacet_sdp::Direction::RecvOnly,
        Direction::Inactive => tacet_sdp::Direction::Inactive,
    }
}

/// The direction of an m-section (`sendrecv` when it has no attribute, RFC 3264 §5.1).
pub(crate) fn section_direction(section: &tacet_sdp::MediaSection) -> Direction {
    direction(section.direction())
}

/// An `a=mid` value as the session's [`Mid`].
pub(crate) fn mid(mid: &tacet_sdp::Mid) -> Mid {
    Mid::from(mid.as_str())
}

/// The `m=` media type of a transceiver of this kind.
pub(crate) fn media_kind(kind: TrackKind) -> MediaKind {
    match kind {
        TrackKind::Audio => MediaKind::Audio,
        TrackKind::Video => MediaKind::Video,
    }
}

/// The transceiver kind of an `m=` media type: `None` for the data section and for media types
/// no transceiver carries (an answer rejects those).
pub(crate) fn track_kind(kind: &MediaKind) -> Option<TrackKind> {
    match kind {
        MediaKind::Audio => Some(TrackKind::Audio),
        MediaKind::Video => Some(TrackKind::Video),
        _ => None,
    }
}

/// Why the receiver track ended, for why its transceiver stopped.
pub(crate) fn end_cause(cause: StopCause) -> EndCause {
    match cause {
        StopCause::TransceiverStopped => EndCause::TransceiverStopped,
        StopCause::RemoteRejected => EndCause::RemoteRejected,
        StopCause::RollbackRemoved => EndCause::RollbackRemoved,
        StopCause::PeerConnectionClosed => EndCause::PeerConnectionClosed,
        StopCause::LocallyRejected => EndCause::LocallyRejected,
    }
}

/// The transceiver machine's kind of an applied description (rollback never reaches the
/// transceivers as a description: it is its own input).
pub(crate) fn description_kind(sdp_type: tacet_sdp::SdpType) -> DescriptionKind {
    match sdp_type {
        tacet_sdp::SdpType::Offer => DescriptionKind::Offer,
        tacet_sdp::SdpType::Pranswer => DescriptionKind::Pranswer,
        tacet_sdp::SdpType::Answer | tacet_sdp::SdpType::Rollback => DescriptionKind::Answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_m_line_media_type() {
        for kind in [TrackKind::Audio, TrackKind::Video] {
            assert_eq!(track_kind(&media_kind(kind)), Some(kind));
        }
        assert_eq!(track_kind(&MediaKind::Application), None);
    }

    #[test]
    fn every_direction_round_trips_through_its_attribute() {
        for d in Direction::ALL {
            assert_eq!(direction(attribute(d)), d);
            assert_eq!(attribute(d).as_str(), d.to_string());
        }
    }

    #[test]
    fn every_stop_cause_names_the_end_cause_of_the_same_name() {
        for (stop, end) in [
            (StopCause::TransceiverStopped, EndCause::TransceiverStopped),
            (StopCause::RemoteRejected, EndCause::RemoteRejected),
            (StopCause::RollbackRemoved, EndCause::RollbackRemoved),
            (
                StopCause::PeerConnectionClosed,
                EndCause::PeerConnectionClosed,
            ),
            (StopCause::LocallyRejected, EndCause::LocallyRejected),
        ] {
            assert_eq!(end_cause(stop), end);
            assert_eq!(format!("{stop:?}"), format!("{end:?}"));
        }
    }
}
