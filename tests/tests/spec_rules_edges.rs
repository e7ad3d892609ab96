//! Focused tests for the edge cases of the stop-semantics reference (§6) that no scenario or
//! WPT-mirroring test verified on its own, each citing the rule ids it checks (`cargo xtask
//! spec` lists them in docs/spec.md).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::BTreeSet;

use tacet_session::{Effect, Event, SignalingState, TransceiverId};
use tacet_tests::find::transceiver_by_mid;
use tacet_tests::pair::{Pair, Who};
use tacet_tests::perfect::PerfectPair;
use tacet_track::{EndCause, EndReason, TrackId, TrackKind};

fn ended(events: &[Event], id: TransceiverId) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::TrackEnded { transceiver, .. } if *transceiver == id))
        .count()
}

// Both applications stop the same transceiver at once, and both offer the stop (glare),
// under perfect negotiation, for both role orders and several channel timings: the impolite
// side ignores the polite offer, the polite side rolls its offer back without undoing its own
// stop and answers; both transceivers end stopped and removed, each receiver track having
// ended exactly once, and nothing is left to negotiate.
// spec: 6.6
#[test]
fn both_sides_stopping_at_once_resolve_the_glare_and_both_remove() {
    for a_polite in [true, false] {
        for seed in [1, 2, 3, 5, 8] {
            let mut pair = PerfectPair::new(a_polite, seed);
            pair.session(Who::A)
                .add_track(TrackKind::Audio, TrackId::from("mic"), vec!["s".into()])
                .unwrap();
            pair.session(Who::A).create_data_channel("chat").unwrap();
            pair.settle(100).unwrap();
            let a = transceiver_by_mid(&pair.a.session, "0");
            let b = transceiver_by_mid(&pair.b.session, "0");
            let events_before = (pair.a.events.len(), pair.b.events.len());

            pair.session(Who::A)
                .transceiver_mut(a)
                .and_then(|mut t| t.stop())
                .unwrap();
            pair.session(Who::B)
                .transceiver_mut(b)
                .and_then(|mut t| t.stop())
                .unwrap();
            pair.a.drain();
            pair.b.drain();
            pair.settle(100).unwrap();

            let (polite, impolite) = if a_polite {
                (&pair.a_negotiator, &pair.b_negotiator)
            } else {
                (&pair.b_negotiator, &pair.a_negotiator)
            };
            assert_eq!(polite.rollbacks(), 1, "seed {seed}: the offers crossed");
            assert_eq!(impolite.ignored_offers(), 1, "seed {seed}");
            for (name, peer, id, seen) in [
                ("A", &pair.a, a, events_before.0),
                ("B", &pair.b, b, events_before.1),
            ] {
                let t = peer.session.transceiver(id).unwrap();
                assert!(t.is_stopped(), "{name} seed {seed}");
                assert!(t.is_removed(), "{name} seed {seed}");
                assert_eq!(ended(&peer.events[seen..], id), 1, "{name} seed {seed}");
                assert_eq!(peer.session.signaling_state(), SignalingState::Stable);
                assert!(!peer.session.is_negotiation_needed(), "{name} seed {seed}");
            }
        }
    }
}

// stop() sends a BYE for the SSRCs that went on the wire; replaceTrack(null) before it sends
// none (the SSRC is not retired). A stopped sender's SSRCs are never used again: not by the
// transceiver that recycles its m-line, nor by any other one, nor in any later description.
// spec: 6.12
#[test]
fn ssrcs_are_retired_only_by_stop_and_never_reused() {
    let mut pair = Pair::new();
    let video = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec!["s".into()])
        .unwrap();
    pair.session(Who::A).create_data_channel("chat").unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.a.take_effects();
    let retired = pair.a.session.transceiver(video).unwrap().sender().ssrcs();

    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.replace_track(None))
        .unwrap();
    let effects = pair.a.take_effects();
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SendRtcpBye { .. } | Effect::StopSending { .. })),
        "{effects:?}"
    );
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    assert!(pair.a.take_effects().contains(&Effect::SendRtcpBye {
        transceiver: video,
        ssrcs: retired.clone(),
    }));
    pair.negotiate(Who::A).unwrap();

    let recycling = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam2"), vec!["s".into()])
        .unwrap();
    let mut later = Vec::new();
    for i in 0..16 {
        let kind = if i % 2 == 0 {
            TrackKind::Audio
        } else {
            TrackKind::Video
        };
        later.push(
            pair.session(Who::A)
                .add_track(kind, TrackId::from(format!("t{i}").as_str()), vec![])
                .unwrap(),
        );
    }
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert_eq!(
        offer.media[0].mid().unwrap().as_str(),
        pair.a
            .session
            .transceiver(recycling)
            .unwrap()
            .mid()
            .unwrap()
            .as_str(),
        "the new video recycles the stopped one's m-line"
    );
    let retired: BTreeSet<u32> = retired.into_iter().collect();
    for id in std::iter::once(recycling).chain(later) {
        let ssrcs = pair.a.session.transceiver(id).unwrap().sender().ssrcs();
        assert!(ssrcs.iter().all(|s| !retired.contains(s)), "{id:?}");
    }
    let written: BTreeSet<u32> = offer
        .media
        .iter()
        .flat_map(|m| m.attributes.ssrcs().map(|s| s.ssrc()))
        .collect();
    assert!(!written.is_empty());
    assert!(written.is_disjoint(&retired));
}

// A remote port-0 offer ends B's receiver track (unmuted by RTP before) right away, before
// the final task (its signalingstatechange); the final task's mute for the lost direction is
// then dropped by the ended track: no `mute` event, and the track's muted value stays frozen.
// spec: 6.17
#[test]
fn a_remote_rejection_ends_the_track_before_the_final_task_and_drops_its_mute() {
    let mut pair = Pair::new();
    let video = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec!["s".into()])
        .unwrap();
    pair.session(Who::A).create_data_channel("chat").unwrap();
    pair.negotiate(Who::A).unwrap();
    let b_video = transceiver_by_mid(&pair.b.session, "0");
    pair.session(Who::B)
        .transceiver_mut(b_video)
        .and_then(|mut t| t.rtp_received())
        .unwrap();
    assert!(
        !pair
            .b
            .session
            .transceiver(b_video)
            .unwrap()
            .receiver()
            .track()
            .muted()
    );
    pair.b.take_events();

    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let events = pair.b.take_events();
    let ended_at = events
        .iter()
        .position(|e| {
            *e == Event::TrackEnded {
                transceiver: b_video,
                reason: EndReason::Ended(EndCause::RemoteRejected),
            }
        })
        .unwrap_or_else(|| panic!("not ended: {events:?}"));
    let final_task = events
        .iter()
        .position(|e| *e == Event::SignalingStateChange(SignalingState::HaveRemoteOffer))
        .unwrap();
    assert!(ended_at < final_task, "{events:?}");
    assert!(
        !events.contains(&Event::TrackMuted {
            transceiver: b_video
        }),
        "{events:?}"
    );
    let track = pair
        .b
        .session
        .transceiver(b_video)
        .unwrap()
        .receiver()
        .track();
    assert!(!track.muted(), "frozen at its value when it ended");
    // Nothing reaches it afterwards either: a BYE does not mute an ended track.
    pair.session(Who::B)
        .transceiver_mut(b_video)
        .and_then(|mut t| t.rtcp_bye_received())
        .unwrap();
    assert!(pair.b.take_events().is_empty());
}
