//! The WPT cases of stop-semantics.md §5, mirrored on the pure session. Each test is named
//! after its WPT title (`cargo xtask conformance` checks the table in `docs/conformance.md`
//! against these names). `[kind]` cases run for audio and video. Where a WPT file still uses the
//! legacy `stopped` attribute, the test checks the current spec's outcome and says so.
//!
//! JavaScript timing note: in a browser, `stop()` ends the receiver track in a queued task; in
//! tacet the state changes inside the call and the `ended` event waits in the event queue
//! (docs/conformance.md, case 2).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Candidate, MediaKind, SdpType, SessionDescription};
use tacet_session::{
    Error, Event, RemoteCandidate, RemoteCandidateOutcome, Session, SignalingState, TransceiverId,
    TransceiverInit,
};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, TransceiverDirection};

const KINDS: [TrackKind; 2] = [TrackKind::Audio, TrackKind::Video];

fn init(direction: Direction) -> TransceiverInit {
    TransceiverInit {
        direction,
        streams: Vec::new(),
    }
}

/// pc1 adds a transceiver of `kind` (sendrecv, with a track) and negotiates with pc2.
fn negotiated(kind: TrackKind) -> (Pair, TransceiverId, TransceiverId) {
    let mut pair = Pair::new();
    let t1 = pair
        .session(Who::A)
        .add_track(kind, TrackId::from("track"), vec!["stream".into()])
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let t2 = pair.b.session.transceivers().next().unwrap().id();
    pair.a.take_events();
    pair.b.take_events();
    (pair, t1, t2)
}

fn offer_kinds(offer: &SessionDescription) -> Vec<(MediaKind, bool)> {
    offer
        .media
        .iter()
        .map(|m| (m.kind.clone(), m.is_rejected()))
        .collect()
}

fn count(events: &[Event], wanted: &Event) -> usize {
    events.iter().filter(|e| *e == wanted).count()
}

fn stopped(s: &Session, id: TransceiverId) -> (TransceiverDirection, Option<TransceiverDirection>) {
    let t = s.transceiver(id).unwrap();
    (t.direction(), t.current_direction())
}

mod bundle;
mod direction;
mod negotiation_needed;
mod perfect_negotiation;
mod remove_track;
mod rollback;
mod rollback_events;
mod set_description;
mod stop;
mod stopping;
mod transceiver;
mod transceivers;
