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

/// `addTransceiver(track)`: a sendrecv transceiver whose sender has `track` (tacet's
/// addTransceiver takes a kind; the track is set on the new sender with replaceTrack, which
/// does not touch negotiation).
fn add_transceiver_with_track(s: &mut Session, track: &str) -> TransceiverId {
    let t = s
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    s.transceiver_mut(t)
        .and_then(|mut t| t.replace_track(Some(TrackId::from(track))))
        .unwrap();
    t
}

/// `who` addTracks a `kind` track `track` in stream `stream`.
fn add_media(
    pair: &mut Pair,
    who: Who,
    kind: TrackKind,
    track: &str,
    stream: &str,
) -> TransceiverId {
    pair.session(who)
        .add_track(kind, TrackId::from(track), vec![stream.into()])
        .unwrap()
}

/// `who` addTracks an audio track `track` in stream `stream`.
fn add_audio(pair: &mut Pair, who: Who, track: &str, stream: &str) -> TransceiverId {
    add_media(pair, who, TrackKind::Audio, track, stream)
}

/// pc1 and pc2 each addTrack an audio track "track" in stream "stream" (the start of most
/// `RTCRtpTransceiver.https.html` cases).
fn both_with_audio() -> (Pair, TransceiverId, TransceiverId) {
    let mut pair = Pair::new();
    let t1 = add_audio(&mut pair, Who::A, "track", "stream");
    let t2 = add_audio(&mut pair, Who::B, "track", "stream");
    (pair, t1, t2)
}

/// `offerer` sets `offer` (already created), the other side applies it, answers and sets its
/// answer, and `offerer` applies the answer. Returns the answer.
fn complete_exchange(
    pair: &mut Pair,
    offerer: Who,
    offer: SessionDescription,
) -> SessionDescription {
    let answerer = offerer.other();
    pair.session(offerer)
        .set_local_description(offer.clone())
        .unwrap();
    pair.session(answerer)
        .set_remote_description(offer)
        .unwrap();
    let answer = pair.session(answerer).create_answer().unwrap();
    pair.session(answerer)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(offerer)
        .set_remote_description(answer.clone())
        .unwrap();
    answer
}

/// `currentDirection` of a transceiver.
fn current(s: &Session, id: TransceiverId) -> Option<TransceiverDirection> {
    s.transceiver(id).unwrap().current_direction()
}

/// The `track` events among `events`: (transceiver, stream ids), in order.
fn track_events(events: &[Event]) -> Vec<(TransceiverId, Vec<String>)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Track {
                transceiver,
                streams,
            } => Some((*transceiver, streams.clone())),
            _ => None,
        })
        .collect()
}

/// Whether `events` hold the `ended` of `id`'s receiver track.
fn ended(events: &[Event], id: TransceiverId) -> bool {
    events
        .iter()
        .any(|e| matches!(e, Event::TrackEnded { transceiver, .. } if *transceiver == id))
}

/// Stream ids as the `track` events carry them.
fn streams(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// WPT `RTCRtpTransceiver.https.html`'s `offerAnswer(offerer, answerer)`, in its order:
/// createOffer, the answerer's SRD(offer), the offerer's SLD(offer), createAnswer, the
/// offerer's SRD(answer), the answerer's SLD(answer). Returns (offer, answer); events stay in
/// the peers' logs.
fn offer_answer(pair: &mut Pair, offerer: Who) -> (SessionDescription, SessionDescription) {
    let answerer = offerer.other();
    let offer = pair.session(offerer).create_offer().unwrap();
    pair.session(answerer)
        .set_remote_description(offer.clone())
        .unwrap();
    pair.session(offerer)
        .set_local_description(offer.clone())
        .unwrap();
    let answer = pair.session(answerer).create_answer().unwrap();
    pair.session(offerer)
        .set_remote_description(answer.clone())
        .unwrap();
    pair.session(answerer)
        .set_local_description(answer.clone())
        .unwrap();
    pair.a.drain();
    pair.b.drain();
    (offer, answer)
}

/// crates/rtc's in-memory two-peer link (virtual clock), for the cases that need real RTP,
/// ICE and DTLS.
#[path = "../../../crates/rtc/tests/net/mod.rs"]
mod net;

mod bundle;
mod direction;
mod negotiation_needed;
mod perfect_negotiation;
mod remote_track_mute;
mod remove_track;
mod rollback;
mod rollback_events;
mod set_description;
mod stop;
mod stopping;
mod transceiver;
mod transceiver_reuse;
mod transceiver_stop;
mod transceivers;
