//! Found against Chromium 156 with the browser peer (tests/browser, docs/browsers.md): tacet
//! offers, stops its BUNDLE tag (mid 0) and re-offers; Chromium, answering, builds a new
//! transport for the new tag (mid 1; interop-findings §5) and trickles that transport's
//! candidates — here they reached tacet before the answer. tacet gave them to the old
//! transport, so the answer's new tag section, listing the same addresses, looked like the
//! transport tacet already knew (decision 0006): tacet kept its transport while Chromium had
//! replaced its own, and media and data stopped. Candidates trickled for a mid that this
//! endpoint's pending offer makes a tag wait for the answer, which decides with them.
//!
//! The answers are Chromium 156's, byte for byte, to tacet-peer's offers
//! (tests/data/chromium/README.md).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use tacet_sdp::{Attribute, Candidate, Connection, MediaSection, SdpType, SessionDescription};
use tacet_session::{Effect, RemoteCandidate, RemoteCandidateOutcome, TransportId};
use tacet_tests::find::{live_transports, transceiver_by_mid};
use tacet_tests::pair::{Pair, Peer, Who};
use tacet_track::{TrackId, TrackKind};

/// `tests/data/chromium/<name>.sdp`, parsed as an answer.
fn chromium_answer(name: &str) -> SessionDescription {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/chromium")
        .join(format!("{name}.sdp"));
    let text = std::fs::read_to_string(&path).unwrap();
    SessionDescription::parse(SdpType::Answer, &text)
        .unwrap()
        .description
}

fn section_mut<'a>(description: &'a mut SessionDescription, mid: &str) -> &'a mut MediaSection {
    let index = description.media_by_mid(mid).unwrap().0;
    &mut description.media[index]
}

/// Chromium's answer as a trickling Chromium sends it: the new tag section (mid 1) with port
/// 9, `c=IN IP4 0.0.0.0` and no candidate.
fn before_gathering(answer: &mut SessionDescription) {
    let section = section_mut(answer, "1");
    section
        .attributes
        .0
        .retain(|a| !matches!(a, Attribute::Candidate(_) | Attribute::EndOfCandidates));
    section.port = 9;
    section.connections = vec![Connection::placeholder()];
}

fn candidates(description: &SessionDescription, mid: &str) -> Vec<Candidate> {
    let section = description.media_by_mid(mid).unwrap().1;
    section.attributes.candidates().cloned().collect()
}

/// tacet as tacet-peer runs it (audio, video, a data channel; the default tag-move policy),
/// after Chromium answered its first offer, then after it stopped its audio (the BUNDLE tag)
/// and set the re-offer that moves the tag to mid 1; and the transport it had.
fn offered_the_tag_move() -> (Peer, TransportId) {
    let mut a = Peer::with_config(7, 0x7A, |_| {});
    for (kind, id) in [(TrackKind::Audio, "a"), (TrackKind::Video, "v")] {
        a.session
            .add_track(kind, TrackId::from(id.to_owned()), vec!["s".into()])
            .unwrap();
    }
    a.session.create_data_channel("chat").unwrap();
    let offer = a.session.create_offer().unwrap();
    a.session.set_local_description(offer).unwrap();
    a.drain();
    a.session
        .set_remote_description(chromium_answer("chromium156-xtacet-stoptag-1-answer"))
        .unwrap();
    a.drain();
    let live = live_transports(&a.session);
    assert_eq!(live.len(), 1);
    let old = live[0].id();

    let audio = transceiver_by_mid(&a.session, "0");
    a.session
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let reoffer = a.session.create_offer().unwrap();
    let group: Vec<_> = reoffer.bundle_groups().next().unwrap().mids().collect();
    assert_eq!(group, ["1", "2"], "the re-offer moves the tag to mid 1");
    a.session.set_local_description(reoffer).unwrap();
    a.take_effects();
    (a, old)
}

/// Chromium's candidates for its new transport, trickled before its answer: each waits.
fn trickle_before_the_answer(a: &mut Peer, lines: &[Candidate]) {
    for c in lines {
        let outcome = a
            .session
            .add_remote_candidate(RemoteCandidate {
                candidate: Some(c.clone()),
                mid: Some("1".into()),
                ..RemoteCandidate::default()
            })
            .unwrap();
        assert_eq!(outcome, RemoteCandidateOutcome::Stored, "{c:?}");
    }
    let effects = a.take_effects();
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RemoteCandidate { .. })),
        "nothing reaches the old transport: {effects:?}"
    );
}

/// The one replacement among `effects`: old, new, and the candidates the new one starts with.
fn replaced(effects: &[Effect]) -> (TransportId, TransportId, Vec<Candidate>) {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::TransportReplaced {
                old, new, remote, ..
            } => Some((*old, *new, remote.candidates.clone())),
            _ => None,
        })
        .collect();
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::TransportRetagged { .. })),
        "the transport is not kept: {effects:?}"
    );
    assert_eq!(found.len(), 1, "one replacement: {effects:?}");
    found.into_iter().next().unwrap()
}

// As captured: the candidates trickled before the answer, and the answer listing them again
// (Chromium's answer once its gathering completed).
// spec: 6.9
#[test]
fn candidates_trickled_before_the_answer_to_our_tag_moving_offer_leave_chromiums_new_transport_a_replacement()
 {
    let (mut a, old) = offered_the_tag_move();
    let answer = chromium_answer("chromium156-xtacet-stoptag-2-answer");
    let lines = candidates(&answer, "1");
    assert_eq!(
        lines.len(),
        8,
        "the capture's four UDP and four active-TCP lines"
    );
    trickle_before_the_answer(&mut a, &lines);

    a.session.set_remote_description(answer).unwrap();
    let (from, new, remote) = replaced(&a.take_effects());
    assert_eq!(from, old);
    assert_ne!(new, old);
    assert_eq!(remote, lines);
    let live = live_transports(&a.session);
    assert_eq!((live.len(), live[0].id()), (1, new));
}

// The same answer as a trickling Chromium sends it (the new tag section with port 9,
// `c=IN IP4 0.0.0.0`, no candidate): the candidates that came first are the new transport's.
// spec: 6.9
#[test]
fn candidates_trickled_before_an_answer_that_lists_none_are_the_new_transports() {
    let (mut a, old) = offered_the_tag_move();
    let mut answer = chromium_answer("chromium156-xtacet-stoptag-2-answer");
    let lines = candidates(&answer, "1");
    before_gathering(&mut answer);
    trickle_before_the_answer(&mut a, &lines);

    a.session.set_remote_description(answer).unwrap();
    let (from, _, remote) = replaced(&a.take_effects());
    assert_eq!(from, old);
    assert_eq!(remote, lines);
}

// A rolled-back offer takes what was held for its answer with it: the next answer decides
// with its own lines only.
// spec: 6.9
#[test]
fn a_rollback_drops_the_candidates_held_for_the_answer() {
    let (mut a, _) = offered_the_tag_move();
    let answer = chromium_answer("chromium156-xtacet-stoptag-2-answer");
    trickle_before_the_answer(&mut a, &candidates(&answer, "1"));
    a.session
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    a.take_effects();
    let reoffer = a.session.create_offer().unwrap();
    a.session.set_local_description(reoffer).unwrap();
    a.take_effects();
    let mut answer = answer;
    before_gathering(&mut answer);
    a.session.set_remote_description(answer).unwrap();
    let (_, _, remote) = replaced(&a.take_effects());
    assert!(remote.is_empty(), "{remote:?}");
}

// A candidate the answerer trickles for the new tag that overtakes its answer (signalling
// reordered, or a browser that sends candidates as they come) finds tacet's own offer pending
// that moves the tag there: it waits for the answer, which decides with it (the captured
// Chromium case above). Here the answerer
// keeps its transport, so the answer's tag section lists its old addresses: kept, and the
// waiting candidate goes to it.
// spec: 6.9
#[test]
fn a_candidate_for_the_new_tag_that_overtakes_the_answer_waits_for_it() {
    let mut pair = Pair::new();
    let (audio, _) = pair.add_audio_video_data(Who::A);
    pair.negotiate(Who::A).unwrap();
    pair.negotiate(Who::A).unwrap();
    let old = live_transports(&pair.a.session)[0].id();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    pair.a.take_effects();
    let early = Candidate::new("1 1 udp 2122194687 127.0.0.1 61000 typ host generation 0").unwrap();
    assert_eq!(
        pair.a
            .session
            .add_remote_candidate(RemoteCandidate {
                candidate: Some(early.clone()),
                mid: Some("1".into()),
                ..RemoteCandidate::default()
            })
            .unwrap(),
        RemoteCandidateOutcome::Stored
    );
    assert!(
        pair.a.take_effects().is_empty(),
        "nothing goes before the answer"
    );
    pair.flush().unwrap();
    let effects = pair.a.take_effects();
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::TransportRetagged { .. }))
            && !effects
                .iter()
                .any(|e| matches!(e, Effect::TransportReplaced { .. })),
        "kept: {effects:?}"
    );
    assert!(
        effects.contains(&Effect::RemoteCandidate {
            transport: old,
            candidate: Some(early)
        }),
        "{effects:?}"
    );
}
