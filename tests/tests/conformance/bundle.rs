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
