//! The default configuration.

use super::*;

// ---------------------------------------------------------------------------------------------
// 1. The default configuration
// ---------------------------------------------------------------------------------------------

/// RFC 3264 §6.1 / RFC 4588 §8.6: with nothing negotiated, every codec is offered at its
/// preferred payload type, each video codec with its RTX payload type, no number twice; the
/// offered codec is the configured one, RED's `{primary}` named (RFC 2198 §5).
#[test]
fn default_offer_uses_each_preferred_pt_and_rtx_pt() {
    let config = CodecConfig::default();
    for media in [TrackKind::Audio, TrackKind::Video] {
        let offer = offered(&Registry::default(), &config, media);
        assert_eq!(offer.len(), config.codecs(media).len());
        for (offered, configured) in offer.iter().zip(config.codecs(media)) {
            let mut expected = configured.clone();
            for (k, _) in &mut expected.fmtp {
                *k = k.replace(PRIMARY, "111");
            }
            assert_eq!(offered.codec, expected);
            assert_eq!(offered.pt, configured.preferred_pt, "{}", configured.name);
            assert_eq!(offered.rtx_pt, configured.rtx_pt, "{}", configured.name);
        }
        assert_no_duplicate_pts(&offer);
    }
}

/// RFC 3264 §6.1: the default video list is VP8, VP9 and three H264 profiles, each followed by
/// its RTX (RFC 4588), at Chromium's numbers.
#[test]
fn default_video_offer_is_chromium_numbering() {
    let offer = offered(
        &Registry::default(),
        &CodecConfig::default(),
        TrackKind::Video,
    );
    assert_eq!(
        pts_and_rtx(&offer),
        [
            (96, Some(97)),
            (98, Some(99)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    let names: Vec<&str> = offer.iter().map(|c| c.codec.name.as_str()).collect();
    assert_eq!(names, ["VP8", "VP9", "H264", "H264", "H264"]);
    let profiles: Vec<Option<&str>> = offer.iter().map(|c| param(c, "profile-level-id")).collect();
    assert_eq!(
        profiles,
        [None, None, Some("42001f"), Some("42e01f"), Some("4d001f")]
    );
}

/// RFC 3264 §6.1, RFC 2198: the default audio list is Opus, RED and two telephone-events, no
/// RTX; every payload type is distinct.
#[test]
fn default_audio_offer_has_no_rtx_and_distinct_pts() {
    let offer = offered(
        &Registry::default(),
        &CodecConfig::default(),
        TrackKind::Audio,
    );
    assert_eq!(
        pts_and_rtx(&offer),
        [(111, None), (63, None), (110, None), (126, None)]
    );
    assert_eq!(
        offer[0].codec.channels,
        Some(2),
        "RFC 7587 §7: opus/48000/2"
    );
}

/// RFC 3264 §6.1: no two codecs of a media type share a preferred payload type, across audio
/// and video either (RFC 8843 §9.1: bundled sections share one payload-type space).
#[test]
fn default_config_pts_are_distinct_across_media_types() {
    let config = CodecConfig::default();
    let mut all: Vec<u8> = config
        .audio
        .iter()
        .chain(&config.video)
        .flat_map(|c| std::iter::once(c.preferred_pt).chain(c.rtx_pt))
        .collect();
    let len = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), len);
}

/// RFC 8285 §5: the default extension ids are distinct per media type and fit the one-byte
/// header (1-14).
#[test]
fn default_extension_offer_uses_preferred_ids_without_duplicates() {
    let config = CodecConfig::default();
    for media in [TrackKind::Audio, TrackKind::Video] {
        let offer = offered_extensions(&Registry::default(), &config, media);
        assert_eq!(offer, config.extensions(media));
        let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
        assert_eq!(ids.len(), offer.len());
        assert!(ids.iter().all(|id| (1..=14).contains(id)), "{ids:?}");
    }
}

/// The minimal configuration: Opus, VP8 with RTX (RFC 4588), mid and transport-cc.
#[test]
fn minimal_config_offers_opus_and_vp8_with_rtx() {
    let config = CodecConfig::minimal();
    let audio = offered(&Registry::default(), &config, TrackKind::Audio);
    let video = offered(&Registry::default(), &config, TrackKind::Video);
    assert_eq!(pts_and_rtx(&audio), [(111, None)]);
    assert_eq!(pts_and_rtx(&video), [(96, Some(97))]);
    assert_eq!(video[0].codec.name, "VP8");
    for media in [TrackKind::Audio, TrackKind::Video] {
        let uris: Vec<String> = offered_extensions(&Registry::default(), &config, media)
            .into_iter()
            .map(|(uri, _)| uri)
            .collect();
        assert_eq!(uris, [MID_EXT, TWCC]);
    }
}
