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

// #31: SLD(offer) + rollback; an incoming video offer then creates a new recvonly transceiver
// and the audio one stays unassociated.
// spec: 1.6f, 3.4a
#[test]
fn check_rollback_and_set_remote_offer_with_different_type() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let offer = pair.session(Who::A).create_offer().unwrap();
    pair.session(Who::A).set_local_description(offer).unwrap();
    pair.session(Who::A)
        .set_local_description(SessionDescription::rollback())
        .unwrap();
    pair.session(Who::B)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    pair.send_offer(Who::B).unwrap();
    pair.flush().unwrap();
    let a = &pair.a.session;
    assert_eq!(a.transceivers().count(), 2);
    assert!(a.transceiver(audio).unwrap().mid().is_none());
    let video = a
        .transceivers()
        .find(|t| t.kind() == TrackKind::Video)
        .unwrap();
    assert_eq!(video.direction(), TransceiverDirection::RecvOnly);
    assert!(video.mid().is_some());
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
