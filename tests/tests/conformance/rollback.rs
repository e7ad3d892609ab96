//! Rollback cases of `RTCRtpTransceiver.https.html` and the `setLocalDescription`/`setRemoteDescription` rollback files.

use super::*;

// #30: rollback reverts neither a direction change, nor replaceTrack, nor stop().
// spec: 1.6f, 6.7
#[test]
fn check_local_rollback() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("a"), vec![])
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.set_direction(Direction::RecvOnly))
        .unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.replace_track(Some(TrackId::from("b"))))
        .unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    let tr = pair.a.session.transceiver(t).unwrap();
    assert_eq!(tr.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(tr.sender().track(), Some(&TrackId::from("b")));
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A)
        .transceiver_mut(t)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(
        pair.a.session.transceiver(t).unwrap().direction(),
        TransceiverDirection::Stopped
    );
    assert!(pair.a.session.transceiver(t).unwrap().is_stopping());
}

// #31: pc1 (audio track) sets an offer and rolls it back: its transceiver is unassociated
// again. pc2 (video track) offers; pc1 answers with a new recvonly video transceiver while the
// audio one stays unassociated; pc2's video reads currentDirection "sendonly". Then pc1's own
// offer associates the audio transceiver too.
// spec: 1.6f, 3.4a
#[test]
fn check_rollback_and_set_remote_offer_with_different_type() {
    let mut pair = Pair::new();
    let audio = add_audio(&mut pair, Who::A, "audio", "audio-stream");
    let video = add_media(&mut pair, Who::B, TrackKind::Video, "video", "video-stream");
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    let unassociated = |s: &Session, id: TransceiverId, track: &str| {
        let t = s.transceiver(id).unwrap();
        assert_eq!(t.sender().track(), Some(&TrackId::from(track)));
        assert_eq!(t.direction(), TransceiverDirection::SendRecv);
        assert!(t.mid().is_none() && t.current_direction().is_none() && !t.is_stopping());
    };
    unassociated(&pair.a.session, audio, "audio");
    unassociated(&pair.b.session, video, "video");

    offer_answer(&mut pair, Who::B);
    let a = &pair.a.session;
    assert_eq!(a.transceivers().count(), 2);
    unassociated(a, audio, "audio");
    let received = a.transceivers().nth(1).unwrap();
    assert_eq!(received.kind(), TrackKind::Video);
    assert!(received.sender().track().is_none());
    assert_eq!(received.direction(), TransceiverDirection::RecvOnly);
    assert_eq!(
        received.current_direction(),
        Some(TransceiverDirection::RecvOnly)
    );
    assert!(received.mid().is_some());
    assert_eq!(
        current(&pair.b.session, video),
        Some(TransceiverDirection::SendOnly)
    );

    offer_answer(&mut pair, Who::A);
    for s in [&pair.a.session, &pair.b.session] {
        assert_eq!(s.signaling_state(), SignalingState::Stable);
    }
    assert_eq!(
        current(&pair.a.session, audio),
        Some(TransceiverDirection::SendOnly),
        "pc1's offer associated the audio transceiver; pc2 has no audio to send"
    );
}

// #43: SLD(rollback) unsets the mid SLD(offer) set.
// spec: 1.6f, 3.4d
#[test]
fn set_local_description_rollback_should_unset_transceiver_mid() {
    let mut pair = Pair::new();
    let t = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().mid().is_some());
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert!(pair.a.session.transceiver(t).unwrap().mid().is_none());
}

// #44: only the mids associated in the rolled-back round are unset.
// spec: 1.6f, 3.4d
#[test]
fn set_local_description_rollback_should_only_unset_transceiver_mids_associated_with_current_round()
{
    let mut pair = Pair::new();
    let first = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.negotiate(Who::A).unwrap();
    let second = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    assert!(pair.a.session.transceiver(second).unwrap().mid().is_some());
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    assert!(pair.a.session.transceiver(first).unwrap().mid().is_some());
    assert!(pair.a.session.transceiver(second).unwrap().mid().is_none());
}

// #45: SRD(rollback) removes the transceiver the rolled-back remote offer created.
// spec: 1.6f, 3.4d, 6.7
#[test]
fn set_remote_description_rollback_should_remove_newly_created_transceiver_from_transceiver_list() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::A).unwrap();
    pair.flush().unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 1);
    pair.session(Who::B)
        .set_remote_description(SessionDescription::rollback())
        .unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 0);
    assert_eq!(pair.b.session.signaling_state(), SignalingState::Stable);
}
