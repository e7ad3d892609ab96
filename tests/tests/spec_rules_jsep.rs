//! Focused tests for the JSEP (RFC 9429) and BUNDLE (RFC 9143) rules of the stop-semantics
//! reference (§3) that no scenario or WPT-mirroring test verified on its own, each citing the
//! rule ids it checks (`cargo xtask spec` lists them in docs/spec.md).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{MediaKind, SessionDescription};
use tacet_session::{Effect, Event, TransceiverId, TransceiverInit};
use tacet_tests::find::{bundled_mids, live_transports, transceiver_by_mid};
use tacet_tests::pair::{Pair, Peer, Who};
use tacet_track::{TrackId, TrackKind};
use tacet_transceiver_fsm::{Direction, StopCause, TransceiverDirection};

/// (kind, mid, rejected) per m-line.
fn layout(sdp: &SessionDescription) -> Vec<(MediaKind, String, bool)> {
    sdp.media
        .iter()
        .map(|m| {
            (
                m.kind.clone(),
                m.mid().map(|m| m.to_string()).unwrap_or_default(),
                m.is_rejected(),
            )
        })
        .collect()
}

/// A pair whose answerer B is configured by `configure` (B's codecs, say).
fn pair_with_b(configure: impl FnOnce(&mut tacet_session::SessionConfig)) -> Pair {
    let mut pair = Pair::new();
    pair.b = Peer::with_config(2, 0xB2, configure);
    pair
}

fn add(pair: &mut Pair, who: Who, kind: TrackKind, track: &str) -> TransceiverId {
    pair.session(who)
        .add_track(kind, TrackId::from(track), vec!["s".into()])
        .unwrap()
}

// The initial offer: one m-section per transceiver that is not stopped, in the order they were
// added, whatever the kind; the data section last although the data channel was created
// between two transceivers; each transceiver takes the mid of its own section.
// spec: 3.2a
#[test]
fn the_initial_offer_lists_live_transceivers_in_order_and_data_last() {
    let mut pair = Pair::new();
    let first = add(&mut pair, Who::A, TrackKind::Video, "v1");
    pair.session(Who::A).create_data_channel("chat").unwrap();
    let second = add(&mut pair, Who::A, TrackKind::Audio, "a1");
    let stopped = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(stopped)
        .and_then(|mut t| t.stop())
        .unwrap();
    let third = add(&mut pair, Who::A, TrackKind::Video, "v2");
    let offer = pair.send_offer(Who::A).unwrap();
    let kinds: Vec<_> = offer.media.iter().map(|m| m.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            MediaKind::Video,
            MediaKind::Audio,
            MediaKind::Video,
            MediaKind::Application
        ]
    );
    assert!(offer.media.iter().all(|m| !m.is_rejected()));
    for (index, id) in [first, second, third].into_iter().enumerate() {
        assert_eq!(
            pair.a
                .session
                .transceiver(id)
                .unwrap()
                .mid()
                .map(|m| m.as_str()),
            offer.media[index].mid().map(|m| m.as_str()),
            "transceiver {index}"
        );
    }
}

// max-bundle answerer (the default policy) and an offer without a BUNDLE group: only the
// first m-section is accepted, the others are rejected, and the answer has no group.
// spec: 3.3a
#[test]
fn a_max_bundle_answer_rejects_what_is_outside_the_first_sections_group() {
    let mut pair = Pair::new();
    add(&mut pair, Who::A, TrackKind::Audio, "mic");
    add(&mut pair, Who::A, TrackKind::Video, "cam");
    let mut offer = pair.session(Who::A).create_offer().unwrap();
    offer.set_bundle_group([]).unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert!(!answer.media[0].is_rejected());
    assert!(answer.media[1].is_rejected(), "excluded by max-bundle");
    assert!(bundled_mids(&answer).is_empty());
}

// The offerer-tagged section (audio, mid 0) has no codec the answerer supports: rejecting it
// may not happen alone, so the answer rejects every section of its BUNDLE group — the video
// and the data section too — and the answer's group is empty.
// spec: 3.3a, 3.3b, 3.5a
#[test]
fn a_rejected_offerer_tag_rejects_its_whole_group() {
    let mut pair = pair_with_b(|c| c.codecs.audio.clear());
    add(&mut pair, Who::A, TrackKind::Audio, "mic");
    add(&mut pair, Who::A, TrackKind::Video, "cam");
    pair.session(Who::A).create_data_channel("chat").unwrap();
    let offer = pair.send_offer(Who::A).unwrap();
    assert_eq!(bundled_mids(&offer), ["0", "1", "2"]);
    pair.flush().unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert_eq!(
        layout(&answer),
        [
            (MediaKind::Audio, "0".into(), true),
            (MediaKind::Video, "1".into(), true),
            (MediaKind::Application, "2".into(), true),
        ]
    );
    assert!(bundled_mids(&answer).is_empty());
    assert!(answer.media.iter().all(|m| !m.attributes.bundle_only()));

    // Control: with audio codecs the same offer is answered with everything live.
    let mut pair = Pair::new();
    add(&mut pair, Who::A, TrackKind::Audio, "mic");
    add(&mut pair, Who::A, TrackKind::Video, "cam");
    pair.session(Who::A).create_data_channel("chat").unwrap();
    let (_, answer) = pair.negotiate(Who::A).unwrap();
    assert!(answer.media.iter().all(|m| !m.is_rejected()));
    assert_eq!(bundled_mids(&answer), ["0", "1", "2"]);
}

// An answer that rejects a bundled section (no video codec on the answerer) stops the
// offerer's media for it at once — stop sending, stop receiving — while the ICE/DTLS
// transport stays: the audio section is still live and bundled with it.
// spec: 3.4c
#[test]
fn an_answer_rejection_stops_the_media_but_keeps_the_bundled_transport() {
    let mut pair = pair_with_b(|c| c.codecs.video.clear());
    add(&mut pair, Who::A, TrackKind::Audio, "mic");
    let video = add(&mut pair, Who::A, TrackKind::Video, "cam");
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    let transport = pair.a.session.transports()[0].id();
    pair.a.take_effects();
    let answer = pair.send_answer(Who::B).unwrap();
    assert!(answer.media[1].is_rejected());
    pair.flush().unwrap();
    let effects = pair.a.take_effects();
    assert!(effects.contains(&Effect::StopSending { transceiver: video }));
    assert!(effects.contains(&Effect::StopReceiving { transceiver: video }));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::TransportReleased { .. })),
        "{effects:?}"
    );
    let live: Vec<_> = live_transports(&pair.a.session);
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].id(), transport);
    assert_eq!(live[0].tag().as_str(), "0");
}

// B's answer rejected the video section (no codec in common): applying that answer stopped
// B's transceiver (webrtc-pc#2927, as Chromium does) and removed it once the answer was applied,
// so nothing is left to negotiate. When A recycles that port-0 m-line for a new video with a
// new mid, B makes a new transceiver for it; the old one stays disassociated and removed.
// spec: 3.4b
#[test]
fn a_remote_offer_recycles_the_m_line_our_answer_rejected_for_a_new_transceiver() {
    let mut pair = pair_with_b(|c| c.codecs.video.clear());
    add(&mut pair, Who::A, TrackKind::Audio, "mic");
    add(&mut pair, Who::A, TrackKind::Video, "cam");
    let (_, answer) = pair.negotiate(Who::A).unwrap();
    assert!(answer.media[1].is_rejected(), "B has no video codec");
    let old = pair
        .b
        .session
        .transceivers()
        .find(|t| t.kind() == TrackKind::Video);
    assert!(old.is_none(), "stopped by B's own answer and removed");
    let old = transceiver_of_events(&pair.b.events);
    assert!(pair.b.session.transceiver(old).unwrap().is_removed());
    assert_eq!(
        pair.b.session.transceiver(old).unwrap().stop_cause(),
        Some(StopCause::LocallyRejected)
    );
    assert!(!pair.session(Who::B).is_negotiation_needed());

    add(&mut pair, Who::A, TrackKind::Video, "cam2");
    let offer = pair.send_offer(Who::A).unwrap();
    assert_eq!(offer.media.len(), 2, "recycled, not appended");
    let new_mid = offer.media[1].mid().unwrap().to_string();
    assert_ne!(new_mid, "1");
    pair.flush().unwrap();
    let b = &pair.b.session;
    assert_eq!(b.transceiver(old).unwrap().mid(), None, "disassociated");
    let new = transceiver_by_mid(b, &new_mid);
    assert_ne!(new, old);
}

/// The transceiver of the first `TransceiverRemoved` event.
fn transceiver_of_events(events: &[Event]) -> TransceiverId {
    events
        .iter()
        .find_map(|e| match e {
            Event::TransceiverRemoved { transceiver } => Some(*transceiver),
            _ => None,
        })
        .expect("the test expects a removed transceiver")
}

// Stopping every media section, the BUNDLE tag included, leaves the data section as the tag of
// the same transport on both sides: nothing released, SCTP untouched, the data channel open,
// and once the stops are negotiated nothing is left to negotiate.
// spec: 1.6d, 3.5e, 6.10
#[test]
fn stopping_all_media_keeps_the_transport_for_the_data_channel() {
    let mut pair = Pair::new();
    add(&mut pair, Who::A, TrackKind::Audio, "mic");
    add(&mut pair, Who::A, TrackKind::Video, "cam");
    pair.session(Who::A).create_data_channel("chat").unwrap();
    // Twice, so the candidates gathered after the first offer are in both descriptions (the
    // tag's port and candidates then move with the tag unchanged).
    pair.negotiate(Who::A).unwrap();
    pair.negotiate(Who::A).unwrap();
    let live = |p: &Peer| -> Vec<(tacet_session::TransportId, String)> {
        live_transports(&p.session)
            .iter()
            .map(|t| (t.id(), t.tag().to_string()))
            .collect()
    };
    let (a_before, b_before) = (live(&pair.a), live(&pair.b));
    assert_eq!(a_before.len(), 1);
    pair.a.take_effects();
    pair.b.take_effects();

    pair.session(Who::A).stop_media().unwrap();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    assert_eq!(bundled_mids(&offer), ["2"]);
    assert_eq!(bundled_mids(&answer), ["2"]);
    for (peer, before) in [(&mut pair.a, a_before), (&mut pair.b, b_before)] {
        let after = live(peer);
        assert_eq!(
            after,
            [(before[0].0, "2".to_owned())],
            "same transport, data tag"
        );
        let effects = peer.take_effects();
        assert!(
            !effects
                .iter()
                .any(|e| matches!(e, Effect::TransportReleased { .. } | Effect::AbortSctp)),
            "{effects:?}"
        );
        assert!(peer.session.transceivers().next().is_none());
        assert!(!peer.session.is_negotiation_needed());
    }
    assert!(
        pair.a
            .session
            .data_channels()
            .iter()
            .all(|c| !c.is_closed())
    );
}

// a=inactive keeps the m-section negotiated (live port, same mid, transceiver active) and is
// reversed by setting sendrecv again; port 0 is terminal: the transceiver is removed, its
// direction can no longer be set, and later offers keep the m-line rejected under its mid.
// spec: 3.6a
#[test]
fn inactive_is_reversible_and_port_zero_is_terminal() {
    let mut pair = Pair::new();
    let audio = add(&mut pair, Who::A, TrackKind::Audio, "mic");
    add(&mut pair, Who::A, TrackKind::Video, "cam");
    pair.negotiate(Who::A).unwrap();
    let b_audio = transceiver_by_mid(&pair.b.session, "0");

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_direction(Direction::Inactive))
        .unwrap();
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    for sdp in [&offer, &answer] {
        assert!(!sdp.media[0].is_rejected());
        assert_eq!(sdp.media[0].direction(), tacet_sdp::Direction::Inactive);
        assert_eq!(sdp.media[0].mid().unwrap().as_str(), "0");
    }
    let t = pair.a.session.transceiver(audio).unwrap();
    assert_eq!(t.current_direction(), Some(TransceiverDirection::Inactive));
    assert!(!t.is_stopping());

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.set_direction(Direction::SendRecv))
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert_eq!(
        pair.a
            .session
            .transceiver(audio)
            .unwrap()
            .current_direction(),
        Some(TransceiverDirection::SendOnly),
        "live again (B has nothing to send)"
    );
    assert_eq!(
        pair.b
            .session
            .transceiver(b_audio)
            .unwrap()
            .mid()
            .unwrap()
            .as_str(),
        "0"
    );

    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    assert!(pair.a.removed(audio));
    assert!(
        pair.session(Who::A)
            .transceiver_mut(audio)
            .and_then(|mut t| t.set_direction(Direction::SendRecv))
            .is_err()
    );
    pair.session(Who::A).restart_ice().unwrap();
    let (offer, _) = pair.negotiate(Who::A).unwrap();
    assert!(offer.media[0].is_rejected());
    assert_eq!(offer.media[0].mid().unwrap().as_str(), "0");
}

// Across rounds of stops, recycling and appends, offered by either side: every offer keeps the
// previous current description's m-lines at their index — the same mid unless the line was
// rejected and is recycled — and only grows; every answer has exactly its offer's m-lines,
// in the same order with the same mids.
// spec: 3.2e, 6.13
#[test]
fn m_lines_keep_their_place_and_answers_mirror_offers() {
    let mut pair = Pair::new();
    let audio = add(&mut pair, Who::A, TrackKind::Audio, "mic");
    let video = add(&mut pair, Who::A, TrackKind::Video, "cam");
    pair.session(Who::A).create_data_channel("chat").unwrap();
    let mids = |sdp: &SessionDescription| -> Vec<String> {
        sdp.media
            .iter()
            .map(|m| m.mid().unwrap().to_string())
            .collect()
    };
    let mut previous: Option<SessionDescription> = None;
    let mut check = |pair: &mut Pair, offerer: Who| {
        let (offer, answer) = pair.negotiate(offerer).unwrap();
        assert_eq!(mids(&answer), mids(&offer), "the answer mirrors the offer");
        assert_eq!(
            answer
                .media
                .iter()
                .map(|m| m.kind.clone())
                .collect::<Vec<_>>(),
            offer
                .media
                .iter()
                .map(|m| m.kind.clone())
                .collect::<Vec<_>>()
        );
        if let Some(before) = &previous {
            assert!(offer.media.len() >= before.media.len(), "never removed");
            for (index, (old, new)) in before.media.iter().zip(&offer.media).enumerate() {
                assert!(
                    old.mid() == new.mid() || old.is_rejected(),
                    "m-line {index}: {:?} became {:?} without being rejected",
                    old.mid(),
                    new.mid()
                );
            }
        }
        previous = Some(answer);
        offer
    };
    check(&mut pair, Who::A);
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    check(&mut pair, Who::A);
    // B has no audio transceiver left: its new one recycles the audio slot with a new mid.
    add(&mut pair, Who::B, TrackKind::Audio, "b-mic");
    let recycled = check(&mut pair, Who::B);
    assert_eq!(recycled.media.len(), 3, "recycled into the audio slot");
    assert_ne!(recycled.media[0].mid().unwrap().as_str(), "0");
    // The video slot stops in the pending round: the new video is appended.
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    add(&mut pair, Who::A, TrackKind::Video, "cam2");
    let appended = check(&mut pair, Who::A);
    assert_eq!(
        appended.media.len(),
        4,
        "a stop and an add in one round append"
    );
    pair.session(Who::B).restart_ice().unwrap();
    let last = check(&mut pair, Who::B);
    assert_eq!(mids(&last), mids(&appended));
}

// Found while citing 3.5e: with trickle ICE the first round's descriptions carry port 9 and no
// candidate; stopping the tag in the next round shows the transport's real port and candidates
// in the new tag section for the first time. That is the same transport moving its tag, not a
// replacement (which lists none of the candidates the transport was known by).
// spec: 3.5e, 6.9
#[test]
fn stopping_the_tag_after_one_trickled_round_keeps_both_transports() {
    let mut pair = Pair::new();
    let (audio, _video) = pair.add_audio_video_data(Who::A);
    pair.negotiate(Who::A).unwrap();
    for who in [Who::A, Who::B] {
        let candidate = pair.session(who).transports()[0].local_candidates()[0].clone();
        pair.session(who.other())
            .add_remote_candidate(tacet_session::RemoteCandidate {
                candidate: Some(candidate),
                mid: Some("0".into()),
                ..tacet_session::RemoteCandidate::default()
            })
            .unwrap();
    }
    pair.a.take_effects();
    pair.b.take_effects();
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    for (name, peer) in [("A", &mut pair.a), ("B", &mut pair.b)] {
        let effects = peer.take_effects();
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::TransportRetagged { .. })),
            "{name}: {effects:?}"
        );
        assert!(
            !effects.iter().any(|e| matches!(
                e,
                Effect::TransportReplaced { .. } | Effect::TransportReleased { .. }
            )),
            "{name}: {effects:?}"
        );
    }
}
