//! Stop scenarios between two tacet sessions (issue 4 verification): each test is one story,
//! named after what it shows, citing the rule in its first comment.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Attribute, Candidate, MediaKind, SessionDescription};
use tacet_session::{Effect, Event, Mode, SignalingState, TransceiverId, TransceiverInit};
use tacet_tests::find::{bundled_mids, transceiver_by_mid};
use tacet_tests::pair::{Pair, Who};
use tacet_track::{EndCause, EndReason, ReadyState, TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, TransceiverDirection};

/// A: audio (mid 0, the BUNDLE tag), video (mid 1), data (mid 2), tracks on both; negotiated
/// once, a second time so candidates gathered after the first offer are in the descriptions.
fn connected() -> (Pair, TransceiverId, TransceiverId) {
    let mut pair = Pair::new();
    let (audio, video) = pair.add_audio_video_data(Who::A);
    pair.negotiate(Who::A).unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.a.take_events();
    pair.b.take_events();
    pair.a.take_effects();
    pair.b.take_effects();
    (pair, audio, video)
}

fn mids(sdp: &SessionDescription) -> Vec<(MediaKind, u16, &str)> {
    sdp.media
        .iter()
        .map(|m| (m.kind.clone(), m.port, m.mid().map_or("", |m| m.as_str())))
        .collect()
}

fn ended(events: &[Event]) -> Vec<(TransceiverId, EndReason)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::TrackEnded {
                transceiver,
                reason,
            } => Some((*transceiver, *reason)),
            _ => None,
        })
        .collect()
}

// RFC 9429 §5.2.2: a stopped transceiver's m-section is re-offered with port 0, no msid, its
// mid kept, at the same index, and leaves the BUNDLE group; the tag and data are untouched.
// spec: 1.3e, 1.6c, 1.9d, 3.2d, 3.2g, 3.3a, 3.3b, 3.5b
#[test]
fn stop_non_tag_rejects_its_mline_and_keeps_bundle_and_data() {
    let (mut pair, _audio, video) = connected();
    let b_video = transceiver_by_mid(&pair.b.session, "1");
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    let v = &offer.media[1];
    assert_eq!((v.port, v.mid().unwrap().as_str()), (0, "1"));
    assert_eq!(v.attributes.msids().count(), 0);
    assert_eq!(v.direction(), tacet_sdp::Direction::Inactive);
    assert_eq!(bundled_mids(&offer), ["0", "2"]);
    assert!(answer.media[1].is_rejected());
    assert_eq!(bundled_mids(&answer), ["0", "2"]);
    // Both sides removed the transceiver once the answer settled.
    assert!(pair.a.removed(video));
    assert!(pair.b.removed(b_video));
    assert_eq!(pair.a.session.mode(), Mode::MediaAndData);
    // The tag did not move: no transport effect but media ones.
    assert!(!pair.a.effects.iter().any(|e| matches!(
        e,
        Effect::TransportRetagged { .. } | Effect::TransportReplaced { .. }
    )));
    // B's receiver track ended, with the remote-rejected reason, exactly once.
    let events = pair.b.take_events();
    assert_eq!(
        ended(&events),
        [(b_video, EndReason::Ended(EndCause::RemoteRejected))]
    );
}

// RFC 9143 §7.5 / decisions.md §6: stopping the tag moves the tag to the next live section
// with the transport's credentials and candidates; tacet keeps its transport (retagged).
// spec: 3.5c, 6.9
#[test]
fn stop_bundle_tag_moves_the_tag_and_keeps_the_transport() {
    let (mut pair, audio, _video) = connected();
    let candidates_before: Vec<Candidate> = pair.a.session.local_description().unwrap().media[0]
        .attributes
        .candidates()
        .cloned()
        .collect();
    assert!(
        !candidates_before.is_empty(),
        "the tag section carries the candidates"
    );
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert!(offer.media[0].is_rejected());
    assert_eq!(bundled_mids(&offer), ["1", "2"], "mid 1 is the new tag");
    let moved: Vec<Candidate> = offer.media[1].attributes.candidates().cloned().collect();
    assert_eq!(
        moved, candidates_before,
        "the candidates moved with the tag"
    );
    assert_eq!(offer.media[1].port, offer_port(&candidates_before));
    assert_eq!(bundled_mids(&answer), ["1", "2"]);
    let a_effects = pair.a.take_effects();
    assert!(
        a_effects.iter().any(|e| matches!(
            e,
            Effect::TransportRetagged { from, to, .. } if from.as_str() == "0" && to.as_str() == "1"
        )),
        "{a_effects:?}"
    );
    assert!(
        !a_effects
            .iter()
            .any(|e| matches!(e, Effect::TransportReplaced { .. }))
    );
    assert_eq!(pair.a.session.mode(), Mode::MediaAndData);
}

fn offer_port(candidates: &[Candidate]) -> u16 {
    candidates[0].port()
}

// interop-findings §5: Chromium answers a tag move with a new transport (new port and
// candidates, same credentials). The answer is edited to play that peer; tacet models a
// replacement and tells the I/O layer to move SCTP onto it.
// spec: 6.9
#[test]
fn stop_bundle_tag_against_a_peer_that_replaces_its_transport() {
    let (mut pair, audio, _video) = connected();
    let old = pair
        .a
        .session
        .transports()
        .iter()
        .find(|t| !t.is_released())
        .unwrap()
        .id();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let replacement =
        Candidate::new("9 1 udp 2122194687 127.0.0.1 61000 typ host generation 0").unwrap();
    let replacement_in_answer = replacement.clone();
    pair.negotiate_editing_answer(Who::A, move |answer| {
        let tag = &mut answer.media[1];
        tag.port = 61000;
        tag.attributes
            .retain(|a| !matches!(a, Attribute::Candidate(_)));
        tag.attributes
            .insert(0, Attribute::Candidate(replacement_in_answer));
    })
    .unwrap();
    let effects = pair.a.take_effects();
    let replaced = effects
        .iter()
        .find_map(|e| match e {
            Effect::TransportReplaced {
                old: o,
                new,
                tag,
                remote,
                ..
            } => Some((*o, *new, tag.clone(), remote.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no TransportReplaced in {effects:?}"));
    assert_eq!(replaced.0, old);
    assert_ne!(replaced.1, old);
    assert_eq!(replaced.2.as_str(), "1");
    assert_eq!(replaced.3.candidates, [replacement]);
    assert_eq!(replaced.3.port, 61000);
    let transports = pair.a.session.transports();
    assert!(
        transports
            .iter()
            .find(|t| t.id() == old)
            .unwrap()
            .is_released()
    );
    assert!(
        !transports
            .iter()
            .find(|t| t.id() == replaced.1)
            .unwrap()
            .is_released()
    );
    // The data section is still live: the data channel is never rejected by a media stop.
    assert_eq!(pair.a.session.mode(), Mode::MediaAndData);
}

// "Stop media, keep the data channel": every media m-line port 0, BUNDLE lists only the data
// mid, the data section carries the transport, mode data-only on both sides.
// spec: 3.2e, 3.5e, 6.10
#[test]
fn stop_all_media_gives_data_only() {
    let (mut pair, _audio, _video) = connected();
    let stopped = pair.session(Who::A).stop_media().unwrap();
    assert_eq!(stopped.len(), 2);
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert_eq!(
        mids(&offer)
            .iter()
            .map(|(k, p, m)| (k.clone(), *p == 0, *m))
            .collect::<Vec<_>>(),
        [
            (MediaKind::Audio, true, "0"),
            (MediaKind::Video, true, "1"),
            (MediaKind::Application, false, "2")
        ]
    );
    assert_eq!(bundled_mids(&offer), ["2"]);
    assert!(offer.media[2].attributes.candidates().count() > 0);
    assert_eq!(bundled_mids(&answer), ["2"]);
    for peer in [&mut pair.a, &mut pair.b] {
        assert_eq!(peer.session.mode(), Mode::DataOnly);
        assert_eq!(peer.session.transceivers().count(), 0);
        assert!(peer.take_events().contains(&Event::ModeChanged {
            from: Mode::MediaAndData,
            to: Mode::DataOnly
        }));
    }
    assert!(!pair.a.session.is_negotiation_needed());
}

// webrtc-pc remote branch "rejected -> stop the RTCRtpTransceiver": the answerer's receiver
// track ends as soon as the offer is applied, before any answer; removal after the answer.
// spec: 1.6b, 1.6c, 6.4
#[test]
fn remote_stop_ends_the_track_on_the_offer_and_removes_after_the_answer() {
    let (mut pair, _audio, video) = connected();
    let b_video = transceiver_by_mid(&pair.b.session, "1");
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let t = pair.b.session.transceiver(b_video).unwrap();
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    assert_eq!(t.direction(), TransceiverDirection::Stopped);
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
    assert!(t.mid().is_some(), "mid kept until the answer");
    assert_eq!(pair.b.session.transceivers().count(), 2, "still in the set");
    pair.send_answer(Who::B).unwrap();
    assert!(pair.b.session.transceiver(b_video).unwrap().mid().is_none());
    assert_eq!(pair.b.session.transceivers().count(), 1);
}

// stop-semantics §6 item 2: stopped in have-local-offer, the pending offer is still live; the
// answer leaves it stopping, negotiation is needed, and the next round rejects it.
// spec: 1.3g, 6.2
#[test]
fn stop_in_have_local_offer_is_negotiated_in_the_next_round() {
    let (mut pair, _audio, video) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.set_direction(Direction::SendOnly))
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    let t = pair.a.session.transceiver(video).unwrap();
    assert!(t.is_stopping() && !t.is_stopped());
    assert!(pair.a.take_events().contains(&Event::NegotiationNeeded));
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert!(offer.media[1].is_rejected());
    assert!(pair.a.removed(video));
}

// stop-semantics §6 item 3 / WPT #46: stopped in have-remote-offer, the answer keeps the
// m-section with a=inactive (a stopping transceiver does not affect createAnswer); the
// answerer then offers port 0.
// spec: 1.3f, 3.3d, 6.3
#[test]
fn stop_in_have_remote_offer_answers_inactive_then_offers_port_zero() {
    let (mut pair, _audio, video) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.set_direction(Direction::SendOnly))
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let b_video = transceiver_by_mid(&pair.b.session, "1");
    pair.session(Who::B)
        .transceiver_mut(b_video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let answer = pair.send_answer(Who::B).unwrap();
    assert!(!answer.media[1].is_rejected(), "not rejected");
    assert_eq!(answer.media[1].direction(), tacet_sdp::Direction::Inactive);
    pair.flush().unwrap();
    assert_eq!(
        pair.a
            .session
            .transceiver(video)
            .unwrap()
            .current_direction(),
        Some(TransceiverDirection::Inactive)
    );
    assert!(pair.b.take_events().contains(&Event::NegotiationNeeded));
    let (offer, _) = pair.negotiate(Who::B).unwrap();
    assert!(offer.media[1].is_rejected());
    assert!(pair.a.removed(video));
    assert!(pair.b.removed(b_video));
}

// The pranswer states: a stop between a pranswer and the final answer is negotiated next.
// spec: 1.3g
#[test]
fn stop_in_the_pranswer_states() {
    let (mut pair, _audio, video) = connected();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let mut pranswer = pair.session(Who::B).create_answer().unwrap();
    pranswer.sdp_type = tacet_sdp::SdpType::Pranswer;
    pair.session(Who::B)
        .set_local_description(pranswer.clone())
        .unwrap();
    assert_eq!(
        pair.b.session.signaling_state(),
        SignalingState::HaveLocalPranswer
    );
    pair.session(Who::A)
        .set_remote_description(pranswer)
        .unwrap();
    assert_eq!(
        pair.a.session.signaling_state(),
        SignalingState::HaveRemotePranswer
    );
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert_eq!(pair.a.session.signaling_state(), SignalingState::Stable);
    assert!(pair.a.session.is_negotiation_needed());
    pair.negotiate(Who::A).unwrap();
    assert!(pair.a.removed(video));
}

// RFC 9429 §5.2.2: a port-0 m-section of the current descriptions is recycled for a new
// transceiver with a new mid at the same index; the remote creates a new transceiver for it.
// spec: 3.1a, 3.2b, 3.2g, 6.8, 6.11
#[test]
fn recycle_after_stop_same_kind_uses_a_new_mid() {
    let (mut pair, _audio, video) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam2"), vec!["s".into()])
        .unwrap();
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert_eq!(offer.media.len(), 3, "no new m-line");
    assert_eq!(offer.media[1].kind, MediaKind::Video);
    assert_eq!(
        offer.media[1].mid().unwrap().as_str(),
        "3",
        "a new mid, never 1 again"
    );
    assert!(!offer.media[1].is_rejected());
    assert_eq!(bundled_mids(&offer), ["0", "3", "2"]);
    assert_eq!(pair.b.session.transceivers().count(), 2);
}

// OBSERVATIONS.md 3 (Chromium stopmedia-3): a recycled slot may change kind — the audio slot
// at index 0 becomes video; the new mid becomes the tag because it is the first live section.
// spec: 3.2b, 3.2e
#[test]
fn recycle_after_stop_other_kind_changes_the_kind_at_the_same_index() {
    let (mut pair, _audio, _video) = connected();
    pair.session(Who::A).stop_media().unwrap();
    pair.negotiate(Who::A).unwrap();
    let added = pair
        .session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam2"), vec![])
        .unwrap();
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert_eq!(offer.media.len(), 3);
    assert_eq!(offer.media[0].kind, MediaKind::Video, "was audio");
    assert_eq!(offer.media[0].mid().unwrap().as_str(), "3");
    assert!(offer.media[1].is_rejected(), "index 1 stays a placeholder");
    assert_eq!(
        bundled_mids(&offer),
        ["2", "3"],
        "the data tag is kept while live"
    );
    assert_eq!(pair.a.session.mode(), Mode::MediaAndData);
    assert_eq!(
        pair.a
            .session
            .transceiver(added)
            .unwrap()
            .mid()
            .unwrap()
            .as_str(),
        "3"
    );
}

// WPT checkMsectionReuse / stop-semantics §6 item 8: a slot stopped in the *pending* round is
// not recyclable, so a stop and an add in one round give N+1 m-lines.
// spec: 3.2b, 6.8, 6.11, 6.13
#[test]
fn stop_and_add_in_one_round_appends_an_mline() {
    let (mut pair, _audio, video) = connected();
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam2"), vec![])
        .unwrap();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert_eq!(offer.media.len(), 4);
    assert!(offer.media[1].is_rejected());
    assert_eq!(offer.media[3].kind, MediaKind::Video);
    assert_eq!(answer.media.len(), 4);
}

// webrtc-pc "close the connection": signaling closed, every receiver track ends with an event,
// SCTP aborted, transports released; afterwards every call throws InvalidStateError.
// spec: 1.8a, 6.14
#[test]
fn close_stops_everything_and_refuses_further_calls() {
    let (mut pair, audio, _video) = connected();
    pair.session(Who::B).close();
    let events = pair.b.take_events();
    assert_eq!(ended(&events).len(), 2);
    assert!(events.contains(&Event::ModeChanged {
        from: Mode::MediaAndData,
        to: Mode::Closed
    }));
    let effects = pair.b.take_effects();
    assert!(effects.contains(&Effect::AbortSctp));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::TransportReleased { .. }))
    );
    let b = &mut pair.b.session;
    assert_eq!(b.signaling_state(), SignalingState::Closed);
    let any = b.transceivers().next().map(|t| t.id()).unwrap();
    assert!(b.transceiver_mut(any).and_then(|mut t| t.stop()).is_err());
    assert!(b.create_offer().is_err());
    assert!(b.create_data_channel("x").is_err());
    let before = b.clone();
    b.close();
    assert_eq!(*b, before, "a second close does nothing");
    // A's own transceivers are untouched by B's close.
    assert!(!pair.a.session.transceiver(audio).unwrap().is_stopping());
}

// From data-only, adding media recycles a placeholder and the session has media again.
// spec: 3.2b
#[test]
fn data_only_then_media_again() {
    let (mut pair, _audio, _video) = connected();
    pair.session(Who::A).stop_media().unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(pair.a.session.mode(), Mode::DataOnly);
    pair.session(Who::B)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let (offer, _) = pair.negotiate(Who::B).unwrap();
    assert_eq!(offer.media.len(), 3);
    assert_eq!(offer.media[0].kind, MediaKind::Audio);
    assert!(!offer.media[0].is_rejected());
    for peer in [&pair.a, &pair.b] {
        assert_eq!(peer.session.mode(), Mode::MediaAndData);
    }
}

// webrtc-pc "stop sending and receiving": a BYE for every SSRC the sender was sending; a
// sender that never sent sends none (stop-semantics §6 item 12).
// spec: 1.3c, 6.12
#[test]
fn stop_sends_a_bye_only_for_ssrcs_that_were_sent() {
    let (mut pair, audio, _video) = connected();
    let ssrcs = pair.a.session.transceiver(audio).unwrap().sender().ssrcs();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let effects = pair.a.take_effects();
    assert!(effects.contains(&Effect::SendRtcpBye {
        transceiver: audio,
        ssrcs
    }));
    let fresh = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(fresh)
        .and_then(|mut t| t.stop())
        .unwrap();
    let effects = pair.a.take_effects();
    assert!(effects.contains(&Effect::StopSending { transceiver: fresh }));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SendRtcpBye { transceiver, .. } if *transceiver == fresh))
    );
}

// Failure atomicity: a refused call leaves the whole session as it was, queues included.
// spec: 1.2b, 6.15
#[test]
fn failed_calls_change_nothing() {
    let (mut pair, _audio, video) = connected();
    let a = &mut pair.a.session;
    a.transceiver_mut(video).and_then(|mut t| t.stop()).unwrap();
    let before = a.clone();
    assert!(
        a.transceiver_mut(video)
            .and_then(|mut t| t.set_direction(Direction::RecvOnly))
            .is_err()
    );
    assert_eq!(*a, before);
    let mut offer = a.create_offer().unwrap();
    let after_create = a.clone();
    offer.session_name = "munged".into();
    assert!(a.set_local_description(offer).is_err());
    assert_eq!(*a, after_create);
    assert!(a.create_answer().is_err());
    assert_eq!(*a, after_create);
    // A remote answer that breaks the offered BUNDLE group is refused, state untouched.
    let offer = a.create_offer().unwrap();
    a.set_local_description(offer.clone()).unwrap();
    let mut bad = offer.clone();
    bad.sdp_type = tacet_sdp::SdpType::Answer;
    bad.media.pop();
    let before = a.clone();
    let err = a.set_remote_description(bad).unwrap_err();
    assert_eq!(err.fault(), tacet_session::Fault::Peer);
    assert_eq!(*a, before);
}

// webrtc-pc "update the negotiation-needed flag": fired only in stable, once per rise.
// spec: 1.7a
#[test]
fn negotiation_needed_is_coalesced_and_waits_for_stable() {
    let mut pair = Pair::new();
    let a = &mut pair.a.session;
    a.add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    a.add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    a.create_data_channel("chat").unwrap();
    let fired = pair
        .a
        .take_events()
        .iter()
        .filter(|e| **e == Event::NegotiationNeeded)
        .count();
    assert_eq!(fired, 1);
    pair.send_offer(Who::A).unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    assert!(
        !pair.a.take_events().contains(&Event::NegotiationNeeded),
        "not in have-local-offer"
    );
    pair.flush().unwrap();
    pair.send_answer(Who::B).unwrap();
    pair.flush().unwrap();
    assert!(
        pair.a.take_events().contains(&Event::NegotiationNeeded),
        "fires back in stable"
    );
    pair.negotiate(Who::A).unwrap();
    assert!(!pair.a.session.is_negotiation_needed());
}

// A remote offer's port-0 placeholder whose transceiver is already gone creates nothing: no
// new transceiver, no spurious `ended` (RFC 9429 §5.10 associates only live sections).
#[test]
fn placeholders_never_create_transceivers() {
    let (mut pair, _audio, _video) = connected();
    pair.session(Who::A).stop_media().unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.a.take_events();
    pair.b.take_events();
    let count = pair.b.session.transceivers().count();
    // Two more rounds over the placeholders, one from each side.
    pair.session(Who::A).restart_ice().unwrap();
    pair.negotiate(Who::A).unwrap();
    pair.session(Who::B).restart_ice().unwrap();
    pair.negotiate(Who::B).unwrap();
    assert_eq!(pair.b.session.transceivers().count(), count);
    assert!(ended(&pair.b.take_events()).is_empty());
    assert!(ended(&pair.a.take_events()).is_empty());
}

// webrtc-pc: receiver tracks start muted; RTP unmutes while receptive; an RTCP BYE mutes but
// never ends (aiortc ends it); the track ends only when the transceiver stops.
// spec: 1.9a, 1.9b, 6.12
#[test]
fn bye_mutes_rtp_unmutes_and_only_a_stop_ends() {
    let (mut pair, _audio, video) = connected();
    let b_video = transceiver_by_mid(&pair.b.session, "1");
    let b = &mut pair.b.session;
    assert!(b.transceiver(b_video).unwrap().receiver().track().muted());
    b.transceiver_mut(b_video)
        .and_then(|mut t| t.rtp_received())
        .unwrap();
    b.transceiver_mut(b_video)
        .and_then(|mut t| t.rtcp_bye_received())
        .unwrap();
    let t = b.transceiver(b_video).unwrap();
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Live);
    assert!(t.receiver().track().muted());
    assert_eq!(
        pair.b.take_events(),
        [
            Event::TrackUnmuted {
                transceiver: b_video
            },
            Event::TrackMuted {
                transceiver: b_video
            }
        ]
    );
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let t = pair.b.session.transceiver(b_video).unwrap();
    assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    // A stopped receiver receives nothing: RTP no longer unmutes.
    assert!(
        pair.b
            .session
            .transceiver_mut(b_video)
            .and_then(|mut t| t.rtp_received())
            .is_ok()
    );
    assert!(
        pair.b
            .take_events()
            .iter()
            .all(|e| !matches!(e, Event::TrackUnmuted { .. }))
    );
}

// interop-findings §5, the other direction: the *peer* stops its tag the Chromium way (its
// re-offer gives the new tag section port 9 and no candidates; new ones come later) and tacet
// answers. The moved tag with a different port is a replaced transport too.
// spec: 6.9
#[test]
fn peer_stops_its_bundle_tag_the_chromium_way_and_tacet_answers() {
    let (mut pair, _audio, _video) = connected();
    let b_audio = transceiver_by_mid(&pair.b.session, "0");
    pair.session(Who::B)
        .transceiver_mut(b_audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let offer = pair.session(Who::B).create_offer().unwrap();
    pair.session(Who::B)
        .set_local_description(offer.clone())
        .unwrap();
    let mut chromium = offer;
    let tag = &mut chromium.media[1];
    tag.port = 9;
    tag.attributes
        .retain(|a| !matches!(a, Attribute::Candidate(_)));
    pair.session(Who::A)
        .set_remote_description(chromium)
        .unwrap();
    let answer = pair.session(Who::A).create_answer().unwrap();
    pair.session(Who::A)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::B).set_remote_description(answer).unwrap();
    let effects = pair.a.take_effects();
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::TransportReplaced { tag, remote, .. }
                if tag.as_str() == "1" && remote.port == 9 && remote.candidates.is_empty()
        )),
        "{effects:?}"
    );
    assert_eq!(
        pair.a.session.mode(),
        Mode::MediaAndData,
        "video and data live on"
    );
}
