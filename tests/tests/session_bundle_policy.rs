//! `bundlePolicy` in both roles (RFC 9429 §4.1.1, §5.2.1, §5.3.1). tacet's default is
//! max-bundle, W3C's is balanced (docs/stop-semantics.md §4.1); both are tested as offerer and
//! as answerer.
//!
//! The offers with more than one BUNDLE group, or none, that an answerer must handle are
//! written by editing a tacet offer's group lines: every tacet m-section carries its ICE and
//! DTLS attributes, so such an offer is what a max-compat or non-BUNDLE peer sends.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{BundlePolicy, Effect, Session, TransceiverInit};
use tacet_tests::find::{bundled_mids, live_transports};
use tacet_tests::pair::{Pair, Peer, Who};
use tacet_track::TrackKind;

/// A pair whose A and B use these policies.
fn pair_with(a: BundlePolicy, b: BundlePolicy) -> Pair {
    let mut pair = Pair::new();
    pair.a = Peer::with_config(11, 0xA1, |c| c.bundle_policy = a);
    pair.b = Peer::with_config(12, 0xB2, |c| c.bundle_policy = b);
    pair
}

/// A's offer for audio, audio, video, without A applying it (it is edited before B sees it).
fn offer_audio_audio_video(pair: &mut Pair) -> SessionDescription {
    let a = pair.session(Who::A);
    for kind in [TrackKind::Audio, TrackKind::Audio, TrackKind::Video] {
        a.add_transceiver(kind, TransceiverInit::default()).unwrap();
    }
    a.create_offer().unwrap()
}

/// What B answers to `offer` (B applies both), and the rejected flags per m-section.
fn answer_of(session: &mut Session, offer: SessionDescription) -> (SessionDescription, Vec<bool>) {
    session.set_remote_description(offer).unwrap();
    let answer = session.create_answer().unwrap();
    session.set_local_description(answer.clone()).unwrap();
    let rejected = answer.media.iter().map(|m| m.is_rejected()).collect();
    (answer, rejected)
}

fn groups(description: &SessionDescription) -> Vec<Vec<&str>> {
    description
        .bundle_groups()
        .map(|g| g.mids().collect())
        .collect()
}

fn created_transports(session: &mut Session) -> usize {
    std::iter::from_fn(|| session.poll_effect())
        .filter(|e| matches!(e, Effect::TransportCreated { .. }))
        .count()
}

// Both sides max-bundle, and both sides balanced: an offer that bundles everything is
// accepted whole, on one transport, whoever offers.
#[test]
fn one_bundle_group_is_accepted_whole_under_either_policy_in_either_role() {
    for policy in [BundlePolicy::MaxBundle, BundlePolicy::Balanced] {
        let mut pair = pair_with(policy, policy);
        pair.add_audio_video_data(Who::A);
        let (offer, answer) = pair.negotiate(Who::A).unwrap();
        assert!(answer.media.iter().all(|m| !m.is_rejected()), "{policy:?}");
        assert_eq!(bundled_mids(&answer), bundled_mids(&offer), "{policy:?}");
        // The answerer offers back: nothing changes.
        let (reoffer, reanswer) = pair.negotiate(Who::B).unwrap();
        assert!(reoffer.media.iter().all(|m| !m.is_rejected()), "{policy:?}");
        assert!(
            reanswer.media.iter().all(|m| !m.is_rejected()),
            "{policy:?}"
        );
        for who in [Who::A, Who::B] {
            assert_eq!(live_transports(pair.session(who)).len(), 1, "{policy:?}");
        }
    }
}

// A balanced offerer against a max-bundle answerer, and the reverse: the balanced initial
// offer's bundle-only sections are in the first section's group, so max-bundle accepts them
// all; a max-bundle offer is one group, so balanced accepts it all.
#[test]
fn balanced_and_max_bundle_peers_agree_on_one_transport() {
    for (a, b) in [
        (BundlePolicy::Balanced, BundlePolicy::MaxBundle),
        (BundlePolicy::MaxBundle, BundlePolicy::Balanced),
    ] {
        let mut pair = pair_with(a, b);
        pair.add_audio_video_data(Who::A);
        let (_, answer) = pair.negotiate(Who::A).unwrap();
        assert!(
            answer.media.iter().all(|m| !m.is_rejected()),
            "{a:?} -> {b:?}"
        );
        assert_eq!(groups(&answer).len(), 1, "{a:?} -> {b:?}");
        assert_eq!(live_transports(&pair.a.session).len(), 1, "{a:?} -> {b:?}");
        assert_eq!(live_transports(&pair.b.session).len(), 1, "{a:?} -> {b:?}");
    }
}

// RFC 9429 §5.3.1: an offer with one BUNDLE group per kind (audio 0 1, video 2). Max-bundle
// accepts only the first section's group and rejects video; balanced accepts the first group
// of each kind: two answer groups, two transports.
#[test]
fn an_offer_grouped_per_kind_is_cut_to_the_first_group_only_under_max_bundle() {
    for (policy, rejected, answer_groups, transports) in [
        (
            BundlePolicy::MaxBundle,
            vec![false, false, true],
            vec![vec!["0", "1"]],
            1,
        ),
        (
            BundlePolicy::Balanced,
            vec![false, false, false],
            vec![vec!["0", "1"], vec!["2"]],
            2,
        ),
    ] {
        let mut pair = pair_with(BundlePolicy::MaxBundle, policy);
        let mut offer = offer_audio_audio_video(&mut pair);
        offer
            .set_bundle_groups([vec!["0", "1"], vec!["2"]])
            .unwrap();
        let offer = SessionDescription::parse(SdpType::Offer, &offer.to_string())
            .unwrap()
            .description;
        let b = pair.session(Who::B);
        let (answer, got) = answer_of(b, offer);
        assert_eq!(got, rejected, "{policy:?}");
        assert_eq!(groups(&answer), answer_groups, "{policy:?}");
        assert_eq!(created_transports(b), transports, "{policy:?}");
        assert_eq!(live_transports(b).len(), transports, "{policy:?}");
    }
}

// RFC 9429 §5.3.1 without BUNDLE (a peer that does not bundle): max-bundle keeps only the first
// section; balanced keeps the first section of each kind, each on its own transport, and
// rejects the second audio section.
#[test]
fn an_unbundled_offer_keeps_one_section_or_one_per_kind() {
    for (policy, rejected, transports) in [
        (BundlePolicy::MaxBundle, vec![false, true, true], 1),
        (BundlePolicy::Balanced, vec![false, true, false], 2),
    ] {
        let mut pair = pair_with(BundlePolicy::MaxBundle, policy);
        let mut offer = offer_audio_audio_video(&mut pair);
        offer.set_bundle_groups(Vec::<Vec<&str>>::new()).unwrap();
        let b = pair.session(Who::B);
        let (answer, got) = answer_of(b, offer);
        assert_eq!(got, rejected, "{policy:?}");
        assert!(groups(&answer).is_empty(), "{policy:?}");
        assert_eq!(live_transports(b).len(), transports, "{policy:?}");
    }
}
