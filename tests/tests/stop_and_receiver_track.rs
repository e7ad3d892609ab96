//! Scenarios across `tacet-transceiver-fsm` and `tacet-track`: what the receiver track and the
//! application's sender track see when a transceiver stops (stop-semantics.md §1.3, §1.8, §1.9).

use tacet_tests::receiver::MediaLine;
use tacet_track::{EndCause, EndReason, ReadyState, TrackEvent, TrackKind};
use tacet_transceiver_fsm::{DescriptionKind, Direction, Input, RollbackAction, Section};

fn negotiated(kind: TrackKind) -> MediaLine {
    let mut line = MediaLine::new(kind, Direction::SendRecv);
    line.handle(Input::LocalDescription {
        kind: DescriptionKind::Offer,
        section: Section::live("0", Direction::SendRecv),
    })
    .expect("the initial negotiation is valid");
    line.handle(Input::RemoteDescription {
        kind: DescriptionKind::Answer,
        section: Section::live("0", Direction::SendRecv),
    })
    .expect("the initial negotiation is valid");
    line.handle(Input::RtpReceived)
        .expect("the initial negotiation is valid");
    line
}

// webrtc-pc "stop sending and receiving": the receiver track ends with an event; the sender's
// track is the application's and stays live (WPT checkStop: sender.track still present).
#[test]
fn local_stop_ends_the_receiver_track_once_and_leaves_the_sender_track_live() {
    for kind in [TrackKind::Audio, TrackKind::Video] {
        let mut line = negotiated(kind);
        line.handle(Input::Stop).unwrap();
        assert_eq!(line.receiver_track.ready_state(), ReadyState::Ended);
        assert_eq!(
            line.receiver_track.end_reason(),
            Some(EndReason::Ended(EndCause::TransceiverStopped))
        );
        assert_eq!(line.sender_track.ready_state(), ReadyState::Live);
        // The stop is negotiated later; the rejection does not end the track again.
        line.handle(Input::LocalDescription {
            kind: DescriptionKind::Offer,
            section: Section::rejected("0", Direction::Inactive),
        })
        .unwrap();
        line.handle(Input::RemoteDescription {
            kind: DescriptionKind::Answer,
            section: Section::rejected("0", Direction::Inactive),
        })
        .unwrap();
        line.handle(Input::AnswerSettled { rejected: true })
            .unwrap();
        assert!(line.transceiver.is_removed());
        assert_eq!(line.ended_events(), 1);
        assert_eq!(
            line.events.last(),
            Some(&TrackEvent::Ended(EndReason::Ended(
                EndCause::TransceiverStopped
            )))
        );
    }
}

// webrtc-pc remote step "rejected -> stop the RTCRtpTransceiver": the remote track ends as soon
// as the offer with port 0 is applied. The `mute` of the same step comes in the final task,
// after `ended`, and an ended track fires nothing (stop-semantics §6 item 17).
#[test]
fn remote_port_zero_ends_the_receiver_track_with_nothing_after_ended() {
    let mut line = negotiated(TrackKind::Video);
    line.handle(Input::RemoteDescription {
        kind: DescriptionKind::Offer,
        section: Section::rejected("0", Direction::SendRecv),
    })
    .unwrap();
    assert_eq!(line.receiver_track.ready_state(), ReadyState::Ended);
    assert_eq!(
        line.events,
        [
            TrackEvent::Unmuted,
            TrackEvent::Ended(EndReason::Ended(EndCause::RemoteRejected)),
        ]
    );
}

// webrtc-pc: an RTCP BYE mutes the receiver track; only a stop ends it. (aiortc ends it.)
#[test]
fn rtcp_bye_mutes_and_never_ends() {
    let mut line = negotiated(TrackKind::Audio);
    line.handle(Input::RtcpByeReceived).unwrap();
    assert_eq!(line.receiver_track.ready_state(), ReadyState::Live);
    assert!(line.receiver_track.muted());
    line.handle(Input::RtpReceived).unwrap();
    assert!(!line.receiver_track.muted());
}

// close(): receiver tracks end with an event; the disappear path ends them silently.
#[test]
fn close_ends_receiver_tracks_and_disappear_does_so_silently() {
    let mut line = negotiated(TrackKind::Audio);
    line.handle(Input::Close { disappear: false }).unwrap();
    assert_eq!(line.ended_events(), 1);
    assert_eq!(line.sender_track.ready_state(), ReadyState::Live);

    let mut gone = negotiated(TrackKind::Audio);
    gone.handle(Input::Close { disappear: true }).unwrap();
    assert_eq!(gone.receiver_track.ready_state(), ReadyState::Ended);
    assert_eq!(gone.ended_events(), 0);
}

// Rollback removal ends the track (WPT "Rollback when removing transceiver does end the
// track"); a rollback that keeps the transceiver does not (WPT "... is not removed does not
// end track").
#[test]
fn rollback_ends_the_track_only_when_it_removes_the_transceiver() {
    let mut kept = MediaLine::new(TrackKind::Video, Direction::SendRecv);
    kept.handle(Input::LocalDescription {
        kind: DescriptionKind::Offer,
        section: Section::live("0", Direction::SendRecv),
    })
    .unwrap();
    kept.handle(Input::Rollback {
        action: RollbackAction::Disassociate,
        remote_offer: false,
    })
    .unwrap();
    assert_eq!(kept.receiver_track.ready_state(), ReadyState::Live);

    let mut created = MediaLine::new(TrackKind::Video, Direction::RecvOnly);
    created
        .handle(Input::RemoteDescription {
            kind: DescriptionKind::Offer,
            section: Section::live("0", Direction::SendRecv),
        })
        .unwrap();
    created
        .handle(Input::Rollback {
            action: RollbackAction::Remove,
            remote_offer: true,
        })
        .unwrap();
    assert_eq!(
        created.receiver_track.end_reason(),
        Some(EndReason::Ended(EndCause::RollbackRemoved))
    );
    assert_eq!(created.ended_events(), 1);
}
