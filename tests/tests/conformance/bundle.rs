//! `protocol/bundle.https.html` (stop-semantics §5.11).

use super::*;

// #74: a bundle-only m-section without transport attributes is accepted.
// spec: 3.5d
#[test]
fn s_rd_offer_works_with_no_transport_attributes_in_a_bundle_only_m_section() {
    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    pair.session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    let mut offer = pair.session(Who::A).create_offer().unwrap();
    // RFC 8843-style: the second section bundle-only, port 0, no ICE/DTLS lines.
    let video = &mut offer.media[1];
    video.port = 0;
    video.attributes.retain(|a| {
        !matches!(
            a,
            tacet_sdp::Attribute::IceUfrag(_)
                | tacet_sdp::Attribute::IcePwd(_)
                | tacet_sdp::Attribute::IceOptions(_)
                | tacet_sdp::Attribute::Fingerprint(_)
                | tacet_sdp::Attribute::Setup(_)
                | tacet_sdp::Attribute::Candidate(_)
        )
    });
    video.attributes.push(tacet_sdp::Attribute::BundleOnly);
    let text = offer.write();
    pair.deliver_text(Who::B, SdpType::Offer, &text).unwrap();
    assert_eq!(pair.b.session.transceivers().count(), 2);
    let answer = pair.session(Who::B).create_answer().unwrap();
    assert!(
        !answer.media[1].is_rejected(),
        "bundle-only is not a rejection"
    );
}

/// An offer of two sendonly sections (audio, video) that does not negotiate BUNDLE: no
/// `a=group:BUNDLE`, ICE and DTLS at session level. Written for this test after the shape of
/// the WPT case's offer.
const OFFER_WITHOUT_BUNDLE: &str = "v=0\r
o=- 7 3 IN IP4 127.0.0.1\r
s=-\r
t=0 0\r
a=fingerprint:sha-256 0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0\r
a=ice-ufrag:Wq7u\r
a=ice-pwd:c2VwYXJhdGUtdHJhbnNwb3J0cw\r
m=audio 9 UDP/TLS/RTP/SAVPF 111\r
c=IN IP4 0.0.0.0\r
a=rtcp-mux\r
a=sendonly\r
a=mid:audio\r
a=rtpmap:111 opus/48000/2\r
a=setup:actpass\r
m=video 9 UDP/TLS/RTP/SAVPF 100\r
c=IN IP4 0.0.0.0\r
a=rtcp-mux\r
a=sendonly\r
a=mid:video\r
a=rtpmap:100 VP8/90000\r
a=setup:actpass\r
";

// #73 (legacy, rewritten): a max-bundle answerer (tacet's default policy) applies an offer
// without BUNDLE and answers it: it accepts only the first m-line and rejects the second
// (port 0; RFC 9429 §5.3.1). WPT reads the removed `stopped` attribute and expects
// transceivers[1] stopped and transceivers[0] not: applying its own rejecting answer stops
// transceivers[1] (tacet, as Chromium does: webrtc-pc#2927, docs/stop-semantics.md §4.2) and
// removes it; transceivers[0] stays.
// spec: 3.3a
#[test]
fn max_bundle_with_an_offer_without_bundle_only_negotiates_the_first_m_line() {
    let mut pair = Pair::new();
    pair.deliver_text(Who::B, SdpType::Offer, OFFER_WITHOUT_BUNDLE)
        .unwrap();
    let answer = pair
        .session(Who::B)
        .set_local_description_implicit()
        .unwrap();
    assert_eq!(answer.sdp_type, SdpType::Answer);
    assert!(!answer.media[0].is_rejected());
    assert!(answer.media[1].is_rejected(), "only the first m-line");
    let b = &pair.b.session;
    assert_eq!(b.signaling_state(), SignalingState::Stable);
    let first = b.transceiver_by_mid("audio").unwrap().id();
    let t0 = b.transceiver(first).unwrap();
    assert!(!t0.is_stopping() && !t0.is_stopped());
    assert_ne!(t0.direction(), TransceiverDirection::Stopped);
    let events = pair.b.take_events();
    let second = events
        .iter()
        .find_map(|e| match e {
            Event::TransceiverRemoved { transceiver } => Some(*transceiver),
            _ => None,
        })
        .expect("transceivers[1] is removed");
    let b = &pair.b.session;
    let t1 = b.transceiver(second).unwrap();
    assert!(t1.is_stopped() && t1.is_removed());
    assert_eq!(t1.direction(), TransceiverDirection::Stopped);
    assert_eq!(t1.current_direction(), Some(TransceiverDirection::Stopped));
    assert_eq!(b.transceivers().count(), 1);
}
