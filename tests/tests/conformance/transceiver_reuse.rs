//! The m-section reuse cases of `RTCRtpTransceiver.https.html` (stop-semantics §5.3, #33 and
//! #34), following the upstream call sequence in full. tacet has no `max-compat` bundle policy
//! (WPT uses it only to make disabled m-sections easy to count); the default max-bundle gives
//! the same m-lines, and rejections are counted with `is_rejected` (port 0 without
//! `a=bundle-only`).

use super::*;

fn rejected(sdp: &SessionDescription) -> usize {
    sdp.media.iter().filter(|m| m.is_rejected()).count()
}

fn mid_at(sdp: &SessionDescription, index: usize) -> String {
    sdp.media[index].mid().unwrap().to_string()
}

fn mid_of(s: &Session, id: TransceiverId) -> String {
    s.transceiver(id).unwrap().mid().unwrap().to_string()
}

// #33 (legacy, rewritten at the start): the recycling rules as WPT expects them, on both ends.
// WPT has the answerer stop before createAnswer and expects the m-line rejected by that
// answer; under the current spec a stopping transceiver does not affect createAnswer
// (webrtc-pc stop(), L11264-11273), so the answer keeps it live with `a=inactive` and the
// answerer's negotiationneeded follows. Its port-0 offer (the one round added to the upstream
// sequence) reaches WPT's state: both transceivers stopped, mid null — and out of the set,
// where WPT's legacy reading still lists them. From there the upstream sequence runs as
// written: addTrack on either side recycles the m-line with a new mid (one m-line); a stop and
// an add in the same round give two m-lines, one rejected (too early to reuse); the new mid
// differs from the stopped one; addTrack prefers the recvonly transceiver over recycling; the
// next addTrack recycles the disabled m-section (no rejected m-line, a new mid).
// spec: 1.3f, 1.4b, 3.1a, 3.2b, 3.3d, 6.3, 6.8, 6.11
#[test]
fn check_msection_reuse() {
    use TransceiverDirection::{RecvOnly, SendRecv};
    let mut pair = Pair::new();
    let a1 = add_audio(&mut pair, Who::A, "track", "stream");
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.session(Who::B).set_remote_description(offer).unwrap();

    // The answerer stops its transceiver.
    let b1 = pair.b.session.transceivers().next().unwrap().id();
    let stopped_mid0 = mid_of(&pair.b.session, b1);
    pair.session(Who::B)
        .transceiver_mut(b1)
        .and_then(|mut t| t.stop())
        .unwrap();
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert_eq!(
        rejected(&answer),
        0,
        "stopping does not affect createAnswer"
    );
    pair.b.take_events();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert_eq!(
        current(&pair.a.session, a1),
        Some(TransceiverDirection::Inactive)
    );
    assert!(!pair.a.session.transceiver(a1).unwrap().is_stopping());
    assert!(pair.b.session.transceiver(b1).unwrap().is_stopping());
    assert!(pair.b.take_events().contains(&Event::NegotiationNeeded));
    let (offer, _) = pair.negotiate(Who::B).unwrap();
    assert_eq!(rejected(&offer), 1);
    for (s, id) in [(&pair.a.session, a1), (&pair.b.session, b1)] {
        let t = s.transceiver(id).unwrap();
        assert!(t.is_stopped() && t.mid().is_none() && t.current_direction().is_some());
        assert_eq!(s.transceivers().count(), 0, "removed from the set");
    }

    // The m-section is reused on both ends.
    let a2 = add_audio(&mut pair, Who::A, "track2", "stream2");
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer.media.len(), 1, "reused");
    assert_eq!(rejected(&offer), 0);
    assert_ne!(mid_at(&offer, 0), stopped_mid0);
    let t = pair.a.session.transceivers().next().unwrap();
    assert_eq!(
        (t.id(), t.sender().track()),
        (a2, Some(&TrackId::from("track2")))
    );

    let b2 = add_audio(&mut pair, Who::B, "track", "stream");
    let offer = pair.session(Who::B).create_offer().unwrap();
    assert_eq!(offer.media.len(), 1, "reused");
    assert_ne!(mid_at(&offer, 0), stopped_mid0);
    complete_exchange(&mut pair, Who::B, offer);
    assert_eq!(pair.a.session.transceivers().count(), 1);
    assert_eq!(current(&pair.a.session, a2), Some(SendRecv));
    let mid0 = mid_of(&pair.a.session, a2);
    assert_eq!(pair.b.session.transceivers().count(), 1);
    assert_eq!(current(&pair.b.session, b2), Some(SendRecv));
    assert_eq!(mid_of(&pair.b.session, b2), mid0);

    // Stop and add in the same round: too early to reuse.
    let stopped_mid1 = mid0;
    pair.session(Who::A)
        .transceiver_mut(a2)
        .and_then(|mut t| t.stop())
        .unwrap();
    add_audio(&mut pair, Who::A, "track3", "stream3");
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer.media.len(), 2, "too early to reuse");
    assert_eq!(rejected(&offer), 1);
    pair.session(Who::A)
        .set_local_description(offer.clone())
        .unwrap();
    pair.b.take_events();
    pair.session(Who::B).set_remote_description(offer).unwrap();
    let b3 = pair.b.session.transceivers().nth(1).unwrap().id();
    assert_eq!(
        track_events(&pair.b.take_events()),
        [(b3, streams(&["stream3"]))]
    );
    let answer = pair.session(Who::B).create_answer().unwrap();
    pair.session(Who::B)
        .set_local_description(answer.clone())
        .unwrap();
    pair.a.take_events();
    pair.session(Who::A).set_remote_description(answer).unwrap();
    assert!(track_events(&pair.a.take_events()).is_empty());
    let b = &pair.b.session;
    let stopped_b2 = b.transceiver(b2).unwrap();
    assert!(stopped_b2.is_stopped() && stopped_b2.mid().is_none());
    assert_eq!(b.transceivers().map(|t| t.id()).collect::<Vec<_>>(), [b3]);
    let t = b.transceiver(b3).unwrap();
    assert_eq!(
        (t.sender().track(), t.current_direction()),
        (None, Some(RecvOnly))
    );
    let mid1 = mid_of(b, b3);
    assert_ne!(mid1, stopped_mid1, "a new mid, not the stopped one");

    // addTrack takes the recvonly transceiver rather than the disabled m-section.
    let reused = add_audio(&mut pair, Who::B, "track3", "stream3");
    assert_eq!(reused, b3);
    let offer = pair.session(Who::B).create_offer().unwrap();
    assert_eq!(offer.media.len(), 2);
    assert_eq!(rejected(&offer), 1, "the other m-line was used");
    let t = pair.b.session.transceiver(b3).unwrap();
    assert_eq!(t.mid().map(ToString::to_string), Some(mid1.clone()));
    assert_eq!(t.sender().track(), Some(&TrackId::from("track3")));
    assert_eq!(
        (t.current_direction(), t.direction()),
        (Some(RecvOnly), SendRecv)
    );

    // Another addTrack recycles the disabled m-section.
    let b4 = add_audio(&mut pair, Who::B, "track4", "stream4");
    let offer = pair.session(Who::B).create_offer().unwrap();
    pair.session(Who::B)
        .set_local_description(offer.clone())
        .unwrap();
    let b = &pair.b.session;
    assert_eq!(
        b.transceivers().map(|t| t.id()).collect::<Vec<_>>(),
        [b3, b4]
    );
    assert_eq!(mid_of(b, b3), mid1);
    let mid4 = mid_of(b, b4);
    assert_ne!(mid4, stopped_mid0);
    assert_ne!(mid4, stopped_mid1);
    assert_eq!(offer.media.len(), 2, "the m-section was reused");
    assert_eq!(rejected(&offer), 0, "no rejected m-line: it was reused");
}

// #34: the video m-section of an audio+video call is negotiated disabled (stopped); a new video
// transceiver's offer reuses it (new mid, same index, the audio section untouched); the
// transceiver is stopped between createOffer and SLD; the offer/answer still completes and
// leaves it stopping, to be rejected by the next offer.
// spec: 3.2b, 6.2, 6.8
#[test]
fn check_stop_after_create_offer_with_reused_msection() {
    let mut pair = Pair::new();
    let audio = add_audio(&mut pair, Who::A, "audio", "stream");
    let video = add_media(&mut pair, Who::A, TrackKind::Video, "video", "stream");
    offer_answer(&mut pair, Who::A);
    let video_mid = mid_of(&pair.a.session, video);
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    let (offer, _) = offer_answer(&mut pair, Who::A);
    assert!(offer.media[1].is_rejected(), "video negotiated disabled");
    assert!(pair.a.removed(video));

    let t3 = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    assert_eq!(offer_kinds(&offer).len(), 2);
    assert_eq!(offer.media[1].kind, MediaKind::Video);
    assert!(
        !offer.media[1].is_rejected(),
        "the disabled m-section is reused"
    );
    assert_ne!(mid_at(&offer, 1), video_mid, "with a new mid");
    pair.session(Who::A)
        .transceiver_mut(t3)
        .and_then(|mut t| t.stop())
        .unwrap();
    complete_exchange(&mut pair, Who::A, offer);
    for s in [&pair.a.session, &pair.b.session] {
        assert_eq!(s.signaling_state(), SignalingState::Stable);
    }
    let t = pair.a.session.transceiver(t3).unwrap();
    assert!(t.is_stopping() && t.mid().is_some());
    assert_eq!(
        current(&pair.a.session, audio),
        Some(TransceiverDirection::SendOnly)
    );
}
