//! `TagMovePolicy` (issue 12): what tacet does with its *own* transport when one of its
//! descriptions moves the BUNDLE tag. The default keeps it (RFC 9429 §5.2.2, §5.11);
//! `NewTransport` behaves as Chromium 156 does on a tag move (interop-findings §5): a new
//! transport for the new tag — the new tag section with port 9, `c=IN IP4 0.0.0.0` and none of
//! the old candidates, the same ICE credentials and fingerprint, the candidates gathered for it
//! added to the local description — and when the answer is applied, `TransportReplaced` (a
//! new DTLS handshake, in the role the answer negotiates) with the old one released.
//!
//! Two tacet peers (tests/src/pair.rs); the peer on the default policy must read the other's
//! new transport as replaced too (decision 0006), so both I/O layers replace.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Candidate, Connection, MediaSection, SessionDescription};
use tacet_session::{DtlsRole, Effect, SessionConfig, TagMovePolicy, TransportId};
use tacet_tests::find::{live_transports, transceiver_by_mid};
use tacet_tests::pair::{Pair, Who};

fn chromium_like(config: &mut SessionConfig) {
    config.tag_move = TagMovePolicy::NewTransport;
}

/// A and B with `who` on `NewTransport`, audio + video + data offered by A twice (so each
/// side's transport is known by its candidates from the second round on, as after any
/// gathered round).
fn negotiated(new_transport: Option<Who>) -> Pair {
    let mut pair = match new_transport {
        None => Pair::new(),
        Some(Who::A) => Pair::with_configs(1, 2, chromium_like, |_| {}),
        Some(Who::B) => Pair::with_configs(1, 2, |_| {}, chromium_like),
    };
    pair.add_audio_video_data(Who::A);
    pair.negotiate(Who::A).unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.a.take_effects();
    pair.b.take_effects();
    pair
}

fn the_live_transport(pair: &mut Pair, who: Who) -> (TransportId, DtlsRole) {
    let live = live_transports(&pair.peer(who).session);
    assert_eq!(live.len(), 1, "{who:?}: one live transport");
    (live[0].id(), live[0].role().unwrap())
}

fn stop_audio(pair: &mut Pair, who: Who) {
    let audio = transceiver_by_mid(&pair.peer(who).session, "0");
    pair.session(who)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
}

fn section<'a>(description: &'a SessionDescription, mid: &str) -> &'a MediaSection {
    description.media_by_mid(mid).unwrap().1
}

fn candidates(section: &MediaSection) -> Vec<Candidate> {
    section.attributes.candidates().cloned().collect()
}

/// The new tag section as Chromium writes a transport that has gathered nothing yet (port 9,
/// `c=IN IP4 0.0.0.0`, no candidate), with the ICE credentials and fingerprints `before`'s
/// tag section (mid 0) had.
fn assert_fresh_transport_section(description: &SessionDescription, before: &SessionDescription) {
    let (new_index, new_tag) = description.media_by_mid("1").unwrap();
    assert_eq!(new_tag.port, 9, "{}", description.write());
    assert_eq!(new_tag.connections, vec![Connection::placeholder()]);
    assert_eq!(candidates(new_tag), []);
    let (old_index, _) = before.media_by_mid("0").unwrap();
    assert_eq!(
        description.ice_ufrag_for(new_index),
        before.ice_ufrag_for(old_index),
        "same ICE credentials (Chromium keeps them)"
    );
    assert_eq!(
        description.ice_pwd_for(new_index),
        before.ice_pwd_for(old_index)
    );
    assert_eq!(
        description.fingerprints_for(new_index),
        before.fingerprints_for(old_index),
        "same certificate"
    );
}

/// The one `TransportReplaced` among `effects`: (old, new, role).
fn replaced(effects: &[Effect]) -> (TransportId, TransportId, DtlsRole) {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::TransportReplaced {
                old,
                new,
                tag,
                role,
                ..
            } => {
                assert_eq!(tag.as_str(), "1", "the group's new tag");
                Some((*old, *new, *role))
            }
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "one replacement: {effects:?}");
    found[0]
}

fn created(effects: &[Effect]) -> Vec<TransportId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::TransportCreated { transport, tag } => {
                assert_eq!(tag.as_str(), "1");
                Some(*transport)
            }
            _ => None,
        })
        .collect()
}

fn retagged(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::TransportRetagged { to, .. } if to.as_str() == "1"))
}

// interop-findings §5: Chromium, stopping its tag, re-offers with a new transport for the new
// tag — port 9 and no candidate in the offer, the same ufrag/pwd and fingerprint, new
// candidates on new ports once gathered — and runs a new DTLS handshake once answered.
// spec: 6.9, 3.5e
#[test]
fn with_new_transport_an_offer_that_moves_the_tag_brings_a_new_transport_as_chromium_does() {
    let mut pair = negotiated(Some(Who::A));
    let (a_old, a_role) = the_live_transport(&mut pair, Who::A);
    let (b_old, b_role) = the_live_transport(&mut pair, Who::B);
    let before = pair.a.session.current_local_description().unwrap().clone();
    let old_candidates = candidates(section(&before, "0"));
    assert_eq!(old_candidates.len(), 1);

    stop_audio(&mut pair, Who::A);
    let offer = pair.send_offer(Who::A).unwrap();
    assert_fresh_transport_section(&offer, &before);
    // The new transport exists from the offer on, gathered, its candidate added to the
    // pending local description (webrtc-pc: a new candidate goes to the pending one); the old
    // one still serves the group until the answer.
    let a_effects = pair.a.take_effects();
    let [a_new] = created(&a_effects)[..] else {
        panic!("one new transport: {a_effects:?}")
    };
    assert_eq!(live_transports(&pair.a.session).len(), 2);
    let pending = pair.a.session.pending_local_description().unwrap();
    let gathered = candidates(section(pending, "1"));
    assert_eq!(gathered.len(), 1);
    assert_ne!(gathered[0].port(), old_candidates[0].port(), "a new port");

    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();

    let a_effects = pair.a.take_effects();
    assert_eq!(
        replaced(&a_effects),
        (a_old, a_new, a_role),
        "{a_effects:?}"
    );
    assert!(!retagged(&a_effects));
    assert_eq!(the_live_transport(&mut pair, Who::A), (a_new, a_role));
    // B, on the default policy, reads A's placeholders on the new tag as a new transport
    // (decision 0006) and replaces its own side too, keeping its DTLS role.
    let b_effects = pair.b.take_effects();
    let (from, b_new, role) = replaced(&b_effects);
    assert_eq!((from, role), (b_old, b_role));
    assert_eq!(the_live_transport(&mut pair, Who::B), (b_new, b_role));
}

// The other side: Chromium answering an offer that moved the tag builds a new transport too
// ("whichever side stopped the tag", interop-findings §5); the answer's new tag section is
// the fresh transport's, and the offerer on the default policy follows.
// spec: 6.9, 3.5e
#[test]
fn with_new_transport_an_answer_to_an_offer_that_moved_the_tag_brings_a_new_transport() {
    let mut pair = negotiated(Some(Who::B));
    let (a_old, a_role) = the_live_transport(&mut pair, Who::A);
    let (b_old, b_role) = the_live_transport(&mut pair, Who::B);
    let before = pair.b.session.current_local_description().unwrap().clone();

    stop_audio(&mut pair, Who::A);
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert!(
        !candidates(section(&offer, "1")).is_empty(),
        "A (default) keeps its transport: its candidates move to the new tag"
    );
    assert_fresh_transport_section(&answer, &before);

    let b_effects = pair.b.take_effects();
    let [b_new] = created(&b_effects)[..] else {
        panic!("one new transport: {b_effects:?}")
    };
    assert_eq!(replaced(&b_effects), (b_old, b_new, b_role));
    assert_eq!(the_live_transport(&mut pair, Who::B), (b_new, b_role));
    let current = pair.b.session.current_local_description().unwrap();
    assert_eq!(
        candidates(section(current, "1")).len(),
        1,
        "the new transport's candidate is in B's description"
    );
    let a_effects = pair.a.take_effects();
    let (from, a_new, role) = replaced(&a_effects);
    assert_eq!((from, role), (a_old, a_role));
    assert_eq!(the_live_transport(&mut pair, Who::A), (a_new, a_role));
}

// The default: the tag moves, the transport stays on both sides (RFC 9429 §5.2.2: the new tag
// section carries the transport's candidates).
// spec: 6.9, 3.4c
#[test]
fn by_default_a_tag_move_keeps_the_transport_on_both_sides() {
    let mut pair = negotiated(None);
    let a_old = the_live_transport(&mut pair, Who::A);
    let b_old = the_live_transport(&mut pair, Who::B);
    stop_audio(&mut pair, Who::A);
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert_eq!(candidates(section(&offer, "1")).len(), 1);
    assert_eq!(candidates(section(&answer, "1")).len(), 1);
    for (who, old) in [(Who::A, a_old), (Who::B, b_old)] {
        let effects = pair.peer(who).take_effects();
        assert!(retagged(&effects), "{who:?}: {effects:?}");
        assert!(created(&effects).is_empty(), "{who:?}: {effects:?}");
        assert_eq!(the_live_transport(&mut pair, who), old);
    }
}

// A rolled-back offer takes its new transport with it (RFC 9429 §4.1.8.2: the proposed
// changes are discarded); the old one keeps serving the group under its old tag.
// spec: 6.7, 6.9
#[test]
fn a_rolled_back_offer_that_moved_the_tag_releases_its_new_transport() {
    let mut pair = negotiated(Some(Who::A));
    let (a_old, _) = the_live_transport(&mut pair, Who::A);
    stop_audio(&mut pair, Who::A);
    pair.send_offer(Who::A).unwrap();
    pair.lose_in_flight();
    let [a_new] = created(&pair.a.take_effects())[..] else {
        panic!("one new transport")
    };
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    let effects = pair.a.take_effects();
    assert_eq!(
        effects,
        [Effect::TransportReleased { transport: a_new }],
        "only the new transport is closed"
    );
    let live = live_transports(&pair.a.session);
    assert_eq!(live.len(), 1);
    assert_eq!((live[0].id(), live[0].tag().as_str()), (a_old, "0"));
}
