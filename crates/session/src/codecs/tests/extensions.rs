//! Header extension ids.

use super::*;

// ---------------------------------------------------------------------------------------------
// 4. Extension ids
// ---------------------------------------------------------------------------------------------

/// RFC 8285 §6 / RFC 8843 §9.1: negotiated extension ids are kept in every later offer.
#[test]
fn extension_ids_stay_stable_after_record() {
    let config = CodecConfig::default();
    let offered = [ext(TWCC, 5), ext(MID_EXT, 9), ext(VIDEO_ORIENTATION, 14)];
    let answered = answer_extensions(&config, TrackKind::Video, &offered);
    let vp8 = [remote_video(96, "VP8", &[], None)];
    let written = reparse(&section(MediaKind::Video, &vp8, &answered));
    let mut registry = Registry::default();
    registry.record(TrackKind::Video, &[], &read_extensions(&written));
    let offer = registry.offer_extensions(&config, TrackKind::Video);
    assert_eq!(
        offer,
        [
            ext(ABS_SEND_TIME, 2),
            ext(TWCC, 5),
            ext(MID_EXT, 9),
            ext(VIDEO_ORIENTATION, 14),
            ext("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", 10),
            ext("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", 11),
        ]
    );
    registry.record(TrackKind::Video, &[], &offer);
    assert_eq!(registry.offer_extensions(&config, TrackKind::Video), offer);
}

/// RFC 8285 §5: an extension whose preferred id is taken gets the first free one-byte id.
#[test]
fn extension_with_colliding_preferred_id_gets_a_free_id() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    // The remote put mid where we put abs-send-time, and TWCC at 1.
    registry.record(TrackKind::Video, &[], &[ext(MID_EXT, 2), ext(TWCC, 1)]);
    let offer = registry.offer_extensions(&config, TrackKind::Video);
    assert_eq!(offer[0], ext(ABS_SEND_TIME, 3));
    assert_eq!(offer[1], ext(TWCC, 1));
    assert_eq!(offer[2], ext(MID_EXT, 2));
    let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), offer.len());
}

/// RFC 8285 §5: one id names one extension in a section; a record that reuses a registered id
/// for another URI (a section numbered independently) is not registered.
#[test]
fn extension_id_is_never_registered_for_two_uris() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(TrackKind::Video, &[], &[ext(TWCC, 3)]);
    registry.record(TrackKind::Video, &[], &[ext(MID_EXT, 3)]);
    let offer = registry.offer_extensions(&config, TrackKind::Video);
    let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), offer.len(), "{offer:?}");
    assert!(offer.contains(&ext(TWCC, 3)));
}

/// RFC 8285 §6 / RFC 9429 §5.3.1: the answer keeps the offer's ids and order and drops the
/// URIs the answerer does not support.
#[test]
fn answer_extensions_keeps_offer_ids_and_drops_unsupported_uris() {
    let config = CodecConfig::default();
    let offered = [
        ext("urn:example:unknown", 1),
        ext(MID_EXT, 12),
        ext(AUDIO_LEVEL, 4),
        ext(TWCC, 7),
    ];
    assert_eq!(
        answer_extensions(&config, TrackKind::Video, &offered),
        [ext(MID_EXT, 12), ext(TWCC, 7)],
        "audio-level is an audio extension"
    );
    assert_eq!(
        answer_extensions(&config, TrackKind::Audio, &offered),
        [ext(MID_EXT, 12), ext(AUDIO_LEVEL, 4), ext(TWCC, 7)]
    );
    assert!(answer_extensions(&config, TrackKind::Video, &[]).is_empty());
}
