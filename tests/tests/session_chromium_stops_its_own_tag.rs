//! Found against Chromium 156 with the browser peer (docs/browsers.md): Chromium offers first
//! (bundle policy balanced, so it gathers for each section until the answer bundles them, and
//! trickles those candidates for their own mids), then stops its BUNDLE tag (mid 0) and
//! re-offers, building a new transport for the new tag (mid 1; interop-findings §5). Two ways
//! its re-offer hid the new transport from tacet's answer (decision 0006):
//!
//! - made after gathering, its mid 1 section repeats the candidates of the transport it had
//!   for mid 1 before the bundle — which tacet had learnt as its bundle transport's when they
//!   were trickled for mid 1. Only candidates trickled for the tag describe a transport now;
//! - made before gathering (a page that sends its offer at once), mid 1 has no candidate and
//!   the m-line shows an address tacet knows. tacet keeps the transport tentatively; the first
//!   candidate trickled for the tag that is a new socket on a known address replaces it.
//!
//! The offers are Chromium 156's, byte for byte (tests/data/chromium/README.md).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use tacet_sdp::{Attribute, Candidate, Connection, SdpType, SessionDescription};
use tacet_session::{Effect, RemoteCandidate, RemoteCandidateOutcome, TransportId};
use tacet_tests::find::live_transports;
use tacet_tests::pair::Peer;
use tacet_track::{TrackId, TrackKind};

/// `tests/data/chromium/<name>.sdp`, parsed as an offer.
fn chromium_offer(name: &str) -> SessionDescription {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/chromium")
        .join(format!("{name}.sdp"));
    let text = std::fs::read_to_string(&path).unwrap();
    SessionDescription::parse(SdpType::Offer, &text)
        .unwrap()
        .description
}

fn candidate(line: &str) -> Candidate {
    Candidate::new(line).unwrap()
}

/// What Chromium trickled for each mid after tacet's first answer (one host candidate per
/// section as captured; the other interfaces' lines add nothing here).
const TRICKLED_FIRST: [(&str, &str); 3] = [
    (
        "0",
        "419091210 1 udp 2122194687 127.0.0.1 57550 typ host generation 0 ufrag TEd8 network-id 3",
    ),
    (
        "1",
        "419091210 1 udp 2122194687 127.0.0.1 39397 typ host generation 0 ufrag TEd8 network-id 3",
    ),
    (
        "2",
        "419091210 1 udp 2122194687 127.0.0.1 54649 typ host generation 0 ufrag TEd8 network-id 3",
    ),
];

/// The new transport's first candidate, trickled for mid 1 after tacet answered the re-offer.
const NEW_TRANSPORT: &str =
    "419091210 1 udp 2122194687 127.0.0.1 47921 typ host generation 0 ufrag TEd8 network-id 3";

fn trickle(peer: &mut Peer, mid: &str, line: &str) -> RemoteCandidateOutcome {
    peer.session
        .add_remote_candidate(RemoteCandidate {
            candidate: Some(candidate(line)),
            mid: Some(mid.into()),
            ..RemoteCandidate::default()
        })
        .unwrap()
}

/// tacet (audio, video, a data channel) answering Chromium's first offer, with Chromium's
/// candidates trickled after the answer; its one transport.
fn answered_chromium() -> (Peer, TransportId) {
    let mut b = Peer::with_config(9, 0x7B, |_| {});
    b.session
        .set_remote_description(chromium_offer("chromium156-offers-1-offer"))
        .unwrap();
    for (kind, id) in [(TrackKind::Audio, "a"), (TrackKind::Video, "v")] {
        b.session
            .add_track(kind, TrackId::from(id.to_owned()), vec!["s".into()])
            .unwrap();
    }
    let answer = b.session.create_answer().unwrap();
    b.session.set_local_description(answer).unwrap();
    for (mid, line) in TRICKLED_FIRST {
        trickle(&mut b, mid, line);
    }
    b.drain();
    let live: Vec<TransportId> = live_transports(&b.session).iter().map(|t| t.id()).collect();
    assert_eq!(live.len(), 1, "one bundle transport");
    (b, live[0])
}

/// tacet applies `reoffer` and answers it; the effects.
fn answer(b: &mut Peer, reoffer: SessionDescription) -> Vec<Effect> {
    b.take_effects();
    b.session.set_remote_description(reoffer).unwrap();
    let answer = b.session.create_answer().unwrap();
    b.session.set_local_description(answer).unwrap();
    b.take_effects()
}

fn replacement(effects: &[Effect]) -> Option<(TransportId, TransportId, Vec<Candidate>)> {
    effects.iter().find_map(|e| match e {
        Effect::TransportReplaced {
            old, new, remote, ..
        } => Some((*old, *new, remote.candidates.clone())),
        _ => None,
    })
}

fn retagged(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::TransportRetagged { .. }))
}

// spec: 6.9
#[test]
fn a_reoffer_repeating_the_pre_bundle_candidates_on_the_new_tag_is_a_new_transport() {
    let (mut b, old) = answered_chromium();
    let reoffer = chromium_offer("chromium156-offers-2-stoptag-offer");
    let group: Vec<_> = reoffer.bundle_groups().next().unwrap().mids().collect();
    assert_eq!(group, ["1", "2"], "Chromium stopped its tag, mid 0");
    let effects = answer(&mut b, reoffer);
    let (from, _, _) = replacement(&effects).unwrap_or_else(|| {
        panic!("39397 was Chromium's pre-bundle mid 1 transport, not tacet's: {effects:?}")
    });
    assert_eq!(from, old);
    assert!(!retagged(&effects));
}

/// Chromium's re-offer as a page that sends it before gathering does: mid 1 without a
/// candidate, its m-line showing the address of the transport tacet has (127.0.0.1:57550).
fn before_gathering() -> SessionDescription {
    let mut reoffer = chromium_offer("chromium156-offers-2-stoptag-offer");
    let index = reoffer.media_by_mid("1").unwrap().0;
    let section = &mut reoffer.media[index];
    section
        .attributes
        .0
        .retain(|a| !matches!(a, Attribute::Candidate(_) | Attribute::EndOfCandidates));
    section.port = 57550;
    section.connections = vec![Connection {
        address: "127.0.0.1".into(),
        ..Connection::placeholder()
    }];
    reoffer
}

// spec: 6.9
#[test]
fn a_new_socket_trickled_for_a_tentatively_kept_tag_replaces_the_transport() {
    let (mut b, old) = answered_chromium();
    let effects = answer(&mut b, before_gathering());
    assert!(
        retagged(&effects) && replacement(&effects).is_none(),
        "only the m-line speaks: kept, tentatively: {effects:?}"
    );
    let outcome = trickle(&mut b, "1", NEW_TRANSPORT);
    let effects = b.take_effects();
    let (from, new, remote) = replacement(&effects)
        .unwrap_or_else(|| panic!("a new port on a known address is a new transport: {effects:?}"));
    assert_eq!(from, old);
    assert_eq!(outcome, RemoteCandidateOutcome::Delivered(new));
    assert_eq!(remote, vec![candidate(NEW_TRANSPORT)]);
    // Later candidates for the tag go to the new transport.
    let later = "926736510 1 udp 2122134271 fd00::2 44896 typ host generation 0 ufrag TEd8";
    assert_eq!(
        trickle(&mut b, "1", later),
        RemoteCandidateOutcome::Delivered(new)
    );
}

// spec: 6.9
#[test]
fn a_known_address_trickled_for_a_tentatively_kept_tag_confirms_the_transport() {
    let (mut b, old) = answered_chromium();
    answer(&mut b, before_gathering());
    let known = TRICKLED_FIRST[0].1;
    assert_eq!(
        trickle(&mut b, "1", known),
        RemoteCandidateOutcome::Delivered(old)
    );
    // Confirmed: a new port afterwards is a candidate of the kept transport (gathered late).
    let outcome = trickle(&mut b, "1", NEW_TRANSPORT);
    let effects = b.take_effects();
    assert!(replacement(&effects).is_none(), "{effects:?}");
    assert_eq!(outcome, RemoteCandidateOutcome::Delivered(old));
}
