//! What a remote description's numbering must not break (RFC 9143 §9.1.1, RFC 8285 §5/§7).

use tacet_sdp::Attribute;

use super::*;
use crate::Fault;

/// One section of a description: its kind, mid, codecs and extensions.
type Described<'a> = (MediaKind, &'a str, Vec<NegotiatedCodec>, Vec<(String, u16)>);

/// A description of `sdp_type` with one section per `(kind, mid, codecs, extensions)`, the
/// mids in `bundle` grouped.
fn description(
    sdp_type: SdpType,
    bundle: &[&str],
    sections: Vec<Described<'_>>,
) -> SessionDescription {
    let mut sdp = SessionDescription::new(sdp_type, Origin::new(1, 1));
    for (kind, mid, codecs, extensions) in sections {
        let mut media = section(kind, &codecs, &extensions);
        media.set_mid(mid).unwrap();
        sdp.media.push(media);
    }
    sdp.set_bundle_group(bundle.iter().copied()).unwrap();
    sdp
}

fn audio_video(opus_pt: u8, vp8_pt: u8, bundle: &[&str]) -> SessionDescription {
    description(
        SdpType::Offer,
        bundle,
        vec![
            (MediaKind::Audio, "0", vec![opus(opus_pt)], vec![]),
            (
                MediaKind::Video,
                "1",
                vec![remote_video(vp8_pt, "VP8", &[], Some(vp8_pt + 1))],
                vec![],
            ),
        ],
    )
}

/// RFC 9143 §9.1.1: an offer whose bundled audio and video sections give payload type 96 to
/// Opus and to VP8 is refused, the peer's fault, naming the rule (Chromium refuses it too).
#[test]
fn remote_offer_giving_one_pt_to_audio_and_video_in_a_bundle_is_refused() {
    let err = check_remote(&audio_video(96, 96, &["0", "1"])).unwrap_err();
    assert!(matches!(err, Error::PeerViolation { .. }), "{err}");
    assert_eq!(err.fault(), Fault::Peer);
    assert!(err.rule().starts_with("RFC 9143 §9.1.1"), "{err}");
    assert_eq!(err.dom_exception(), crate::DomException::OperationError);
    // The RTX of one may not take the other's number either.
    assert!(check_remote(&audio_video(97, 96, &["0", "1"])).is_err());
}

/// RFC 9143 §9.1.1 applies within a BUNDLE group: unbundled sections number on their own
/// (RFC 3264 §6.1), and distinct numbers are fine.
#[test]
fn remote_pts_may_repeat_outside_a_bundle_group() {
    assert_eq!(check_remote(&audio_video(96, 96, &[])), Ok(()));
    assert_eq!(check_remote(&audio_video(96, 96, &["1"])), Ok(()));
    assert_eq!(check_remote(&audio_video(111, 96, &["0", "1"])), Ok(()));
}

/// RFC 9143 §9.1.1: one payload type for one codec configuration in two bundled sections is
/// fine; the same number for two H264 profiles, or for one codec with other parameters, is not.
/// Parameter order and name case do not count.
#[test]
fn remote_pt_reused_across_bundled_sections_must_be_the_same_codec_configuration() {
    let two_video = |first: NegotiatedCodec, second: NegotiatedCodec| {
        description(
            SdpType::Answer,
            &["0", "1"],
            vec![
                (MediaKind::Video, "0", vec![first], vec![]),
                (MediaKind::Video, "1", vec![second], vec![]),
            ],
        )
    };
    let same = two_video(
        remote_h264(100, "42e01f", "1", Some(101)),
        remote_video(
            100,
            "h264",
            &[
                ("profile-level-id", "42e01f"),
                ("PACKETIZATION-MODE", "1"),
                ("level-asymmetry-allowed", "1"),
            ],
            Some(101),
        ),
    );
    assert_eq!(check_remote(&same), Ok(()));
    let profiles = two_video(
        remote_h264(100, "42e01f", "1", None),
        remote_h264(100, "4d001f", "1", None),
    );
    assert!(check_remote(&profiles).is_err());
    let modes = two_video(
        remote_h264(100, "42e01f", "1", None),
        remote_h264(100, "42e01f", "0", None),
    );
    assert!(check_remote(&modes).is_err());
}

/// A rejected section (port 0, not bundle-only) is out of the group and numbers on its own.
#[test]
fn remote_rejected_section_is_not_checked_against_the_bundle() {
    let mut sdp = audio_video(96, 96, &["0", "1"]);
    sdp.media[1].port = 0;
    assert_eq!(check_remote(&sdp), Ok(()));
    // Bundle-only (port 0 with a=bundle-only) is in the group.
    sdp.media[1].attributes.push(Attribute::BundleOnly);
    assert!(check_remote(&sdp).is_err());
}

/// RFC 8285 §5, §7: ids 4096-4351 let the answerer choose and are not usable on the wire, so
/// an answer (or pranswer) using one is refused; an offer may.
#[test]
fn remote_answer_with_an_answerer_chosen_extension_id_is_refused() {
    let with_id = |sdp_type, id| {
        description(
            sdp_type,
            &["0"],
            vec![(MediaKind::Audio, "0", vec![opus(111)], vec![ext(TWCC, id)])],
        )
    };
    assert_eq!(check_remote(&with_id(SdpType::Offer, 4096)), Ok(()));
    assert_eq!(check_remote(&with_id(SdpType::Answer, 3)), Ok(()));
    for sdp_type in [SdpType::Answer, SdpType::Pranswer] {
        let err = check_remote(&with_id(sdp_type, 4351)).unwrap_err();
        assert_eq!(err.fault(), Fault::Peer);
        assert!(err.rule().starts_with("RFC 8285"), "{err}");
    }
}
