//! `protocol/bundle.https.html` (stop-semantics §5.11).

use super::*;
use net::{Net, Side};
use tacet_rtc::DtlsTransportState;

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

/// Two tacet-rtc connections on the in-memory link, both with the balanced policy (the
/// browsers' default), pc1 with an audio and a video track: pc1's offer has one transport per
/// media type (RFC 9429 §4.1.1 balanced).
fn balanced_pair() -> Net {
    let config = || {
        let mut c = net::config();
        c.bundle_policy = tacet_session::BundlePolicy::Balanced;
        c
    };
    let mut net = Net::with(config(), config());
    for (kind, id) in [(TrackKind::Audio, "mic"), (TrackKind::Video, "cam")] {
        net.session(Side::A, |s| {
            s.add_track(kind, TrackId::from(id), vec!["s".into()])
        })
        .unwrap();
    }
    net
}

/// The live transport that carries `mid` on `session`.
fn transport_of(session: &Session, mid: &str) -> tacet_session::TransportId {
    session
        .transports()
        .iter()
        .find(|t| !t.is_released() && t.members().iter().any(|m| m.as_str() == mid))
        .unwrap()
        .id()
}

// #71: the offer's BUNDLE group is removed in flight; each m-section keeps its own ICE and
// DTLS transport, and both connect.
#[test]
fn not_negotiating_bundle_creates_two_separate_ice_and_dtls_transports() {
    let mut net = balanced_pair();
    net.negotiate_with(Side::A, |offer| {
        offer
            .split_inclusive("\r\n")
            .filter(|l| !l.starts_with("a=group:BUNDLE"))
            .collect()
    })
    .unwrap();
    net.run_for(std::time::Duration::from_secs(2));
    for (side, conn) in [(Side::A, &net.a), (Side::B, &net.b)] {
        let s = conn.session();
        let mids: Vec<String> = s
            .transceivers()
            .map(|t| t.mid().unwrap().as_str().to_owned())
            .collect();
        let (first, second) = (transport_of(s, &mids[0]), transport_of(s, &mids[1]));
        assert_ne!(first, second, "{side:?}: two transports");
        for t in [first, second] {
            assert_eq!(
                conn.dtls_transport_state(t),
                Some(DtlsTransportState::Connected),
                "{side:?}"
            );
        }
    }
}

// #72: before the answer pc1's sections have a transport each; the answer bundles them on the
// first, and the second DTLS transport's state becomes "closed".
// spec: 1.6d
#[test]
fn bundles_on_the_first_transport_and_closes_the_second() {
    let mut net = balanced_pair();
    let offer = net.set_local_offer(Side::A).unwrap();
    let mids: Vec<String> = net
        .a
        .session()
        .transceivers()
        .map(|t| t.mid().unwrap().as_str().to_owned())
        .collect();
    let first = transport_of(net.a.session(), &mids[0]);
    let second = transport_of(net.a.session(), &mids[1]);
    assert_ne!(first, second, "a transport per section before the answer");
    assert_eq!(
        net.a.dtls_transport_state(second),
        Some(DtlsTransportState::New)
    );
    net.set_remote(Side::B, SdpType::Offer, &offer).unwrap();
    let answer = net.set_local_answer(Side::B).unwrap();
    net.set_remote(Side::A, SdpType::Answer, &answer).unwrap();
    net.run_for(std::time::Duration::from_secs(2));
    let s = net.a.session();
    assert_eq!(transport_of(s, &mids[0]), first);
    assert_eq!(transport_of(s, &mids[1]), first, "bundled on the first");
    assert_eq!(
        net.a.dtls_transport_state(first),
        Some(DtlsTransportState::Connected)
    );
    assert_eq!(
        net.a.dtls_transport_state(second),
        Some(DtlsTransportState::Closed)
    );
}
