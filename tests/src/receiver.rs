//! A transceiver and its receiver track, wired together.

use tacet_track::{EndCause, Track, TrackEvent, TrackKind};
use tacet_transceiver_fsm::{Direction, Effect, Error, Input, StopCause, Transceiver};

/// The track end cause for a transceiver stop cause.
pub fn end_cause(cause: StopCause) -> EndCause {
    match cause {
        StopCause::LocalStop => EndCause::TransceiverStopped,
        StopCause::RemoteRejected => EndCause::RemoteRejected,
        StopCause::RollbackRemoved => EndCause::RollbackRemoved,
        StopCause::ConnectionClosed => EndCause::PeerConnectionClosed,
    }
}

/// One m-line's worth of state on one side: the transceiver machine, the application's local
/// sender track, and the receiver track. Every input's effects are applied at once and kept in
/// a log, and so are the receiver track's events.
#[derive(Debug)]
pub struct MediaLine {
    /// The transceiver.
    pub transceiver: Transceiver,
    /// The application's track on the sender (never ended by the transceiver).
    pub sender_track: Track,
    /// The receiver track (starts muted).
    pub receiver_track: Track,
    /// Every effect so far, in order.
    pub effects: Vec<Effect>,
    /// Every receiver-track event so far, in order.
    pub events: Vec<TrackEvent>,
}

impl MediaLine {
    /// A new line of `kind` with the given direction.
    pub fn new(kind: TrackKind, direction: Direction) -> Self {
        Self {
            transceiver: Transceiver::new(direction),
            sender_track: Track::new(kind, format!("{kind}-local")),
            receiver_track: Track::new_receiver(kind, format!("{kind}-remote")),
            effects: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Hands `input` to the transceiver and applies the effects to the receiver track.
    pub fn handle(&mut self, input: Input) -> Result<(), Error> {
        self.transceiver.handle(input)?;
        // webrtc-pc collects the mutes of "process the removal of a remote track" in
        // muteTracks and applies them in the final task of setRemoteDescription, after the
        // `ended` task that stopping queued: they are applied last here too.
        let mut mute_tracks = false;
        while let Some(effect) = self.transceiver.poll_effect() {
            let _ = match effect {
                Effect::EndReceiverTrack {
                    cause,
                    fire_event: true,
                } => self.receiver_track.end(end_cause(cause)),
                Effect::EndReceiverTrack {
                    cause,
                    fire_event: false,
                } => self.receiver_track.end_without_event(end_cause(cause)),
                Effect::RemoteTrackRemoved => {
                    mute_tracks = true;
                    tacet_track::Outcome::Unchanged
                }
                Effect::MuteReceiverTrack => self.receiver_track.set_muted(true),
                Effect::UnmuteReceiverTrack => self.receiver_track.set_muted(false),
                Effect::StopSending
                | Effect::SendRtcpBye
                | Effect::StopReceiving
                | Effect::RemoteTrackAdded
                | Effect::UpdateNegotiationNeeded
                | Effect::Removed => tacet_track::Outcome::Unchanged,
            };
            self.effects.push(effect);
        }
        if mute_tracks {
            let _ = self.receiver_track.set_muted(true);
        }
        self.events
            .extend(std::iter::from_fn(|| self.receiver_track.poll_event()));
        Ok(())
    }

    /// How many `ended` events the receiver track fired.
    pub fn ended_events(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, TrackEvent::Ended(_)))
            .count()
    }
}
