//! When the numbering runs out: a typed error, never a duplicate.

use super::*;

/// `n` distinct video codecs, each with RTX.
fn many_video_codecs(n: u8) -> Vec<Codec> {
    (0..n)
        .map(|i| Codec::new(&format!("X-CODEC-{i}"), 90000, None, 96).rtx(97))
        .collect()
}

/// RFC 3551 §6 / RFC 5761 §4: 61 dynamic payload types (96-127, 35-63), and Opus, RED and two
/// telephone-events hold four. 28 video codecs with RTX fit in the other 57 (one left); 29
/// need 58. The offer is refused (the caller configured too many codecs) instead of
/// repeating a payload type (it used to fall back to 127).
#[test]
fn offer_with_more_codecs_than_dynamic_pts_is_refused() {
    let fits = CodecConfig {
        video: many_video_codecs(28),
        ..CodecConfig::default()
    };
    let offer = Registry::default().offer(&fits).unwrap();
    let both: Vec<NegotiatedCodec> = [TrackKind::Audio, TrackKind::Video]
        .into_iter()
        .flat_map(|m| offer.codecs(m).to_vec())
        .collect();
    assert_eq!(all_pts(&both).len(), 60);
    assert_no_duplicate_pts(&both);

    let too_many = CodecConfig {
        video: many_video_codecs(29),
        ..CodecConfig::default()
    };
    let err = Registry::default().offer(&too_many).unwrap_err();
    assert!(matches!(err, Error::InvalidCodecConfig { .. }), "{err}");
    assert_eq!(err.fault(), crate::Fault::Caller);
    assert!(err.rule().starts_with("RFC 3551 §6"), "{err}");
    assert_eq!(err.dom_exception(), crate::DomException::OperationError);
}

/// RFC 8285 §5, §7: an offer numbers extensions 1-14, then 15-255 (our offers allow mixed
/// headers), then 4096-4351 (the answerer chooses); past those it is refused, never a
/// duplicate id.
#[test]
fn offer_extension_ids_run_from_one_byte_to_answerer_chosen_then_refuse() {
    let uris = |n: u16| -> Vec<(String, u16)> {
        (0..n)
            .map(|i| ext(&format!("urn:example:x{i}"), 1))
            .collect()
    };
    let fits = CodecConfig {
        audio_extensions: vec![],
        video_extensions: uris(255 + 256),
        ..CodecConfig::default()
    };
    let offer = Registry::default().offer(&fits).unwrap();
    let ids: Vec<u16> = offer
        .extensions(TrackKind::Video)
        .iter()
        .map(|(_, id)| *id)
        .collect();
    let expected: Vec<u16> = (1..=255).chain(4096..=4351).collect();
    assert_eq!(ids, expected);

    let too_many = CodecConfig {
        video_extensions: uris(255 + 256 + 1),
        ..fits
    };
    let err = Registry::default().offer(&too_many).unwrap_err();
    assert!(matches!(err, Error::InvalidCodecConfig { .. }), "{err}");
    assert!(err.rule().starts_with("RFC 8285 §5"), "{err}");
}
