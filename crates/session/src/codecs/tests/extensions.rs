//! Header extension ids.

use tacet_sdp::Attribute;

use super::*;

// ---------------------------------------------------------------------------------------------
// 4. Extension ids
// ---------------------------------------------------------------------------------------------

/// RFC 8285 §6 / RFC 8843 §9.1: negotiated extension ids are kept in every later offer.
#[test]
fn extension_ids_stay_stable_after_record() {
    let config = CodecConfig::default();
    let offered = [ext(TWCC, 5), ext(MID_EXT, 9), ext(VIDEO_ORIENTATION, 14)];
    let answered = answer_extensions(&config, TrackKind::Video, &offered, &AnswerIds::default());
    let vp8 = [remote_video(96, "VP8", &[], None)];
    let written = reparse(&section(MediaKind::Video, &vp8, &answered));
    let mut registry = Registry::default();
    registry.record(TrackKind::Video, &[], &read_extensions(&written));
    let offer = offered_extensions(&registry, &config, TrackKind::Video);
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
    assert_eq!(
        offered_extensions(&registry, &config, TrackKind::Video),
        offer
    );
}

/// RFC 8285 §5: an extension whose preferred id is taken gets the first free one-byte id that
/// no extension still to be numbered prefers; RFC 9143 §12: ids are one space for audio and
/// video, numbered audio first.
#[test]
fn extension_with_colliding_preferred_id_gets_a_free_id() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    // The remote put mid where we put abs-send-time, and TWCC at 1 (audio-level's).
    registry.record(TrackKind::Video, &[], &[ext(MID_EXT, 2), ext(TWCC, 1)]);
    let audio = offered_extensions(&registry, &config, TrackKind::Audio);
    assert_eq!(
        audio,
        [
            ext(AUDIO_LEVEL, 3),
            ext(ABS_SEND_TIME, 4),
            ext(TWCC, 1),
            ext(MID_EXT, 2),
        ]
    );
    let video = offered_extensions(&registry, &config, TrackKind::Video);
    assert_eq!(video[0], ext(ABS_SEND_TIME, 4));
    assert_eq!(video[1], ext(TWCC, 1));
    assert_eq!(video[2], ext(MID_EXT, 2));
    let ids: BTreeSet<u16> = video.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), video.len());
}

/// RFC 8285 §5: one id names one extension in a section; a record that reuses a registered id
/// for another URI (a section numbered independently) is not registered.
#[test]
fn extension_id_is_never_registered_for_two_uris() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(TrackKind::Video, &[], &[ext(TWCC, 3)]);
    registry.record(TrackKind::Video, &[], &[ext(MID_EXT, 3)]);
    let offer = offered_extensions(&registry, &config, TrackKind::Video);
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
        answer_extensions(&config, TrackKind::Video, &offered, &AnswerIds::default()),
        [ext(MID_EXT, 12), ext(TWCC, 7)],
        "audio-level is an audio extension"
    );
    assert_eq!(
        answer_extensions(&config, TrackKind::Audio, &offered, &AnswerIds::default()),
        [ext(MID_EXT, 12), ext(AUDIO_LEVEL, 4), ext(TWCC, 7)]
    );
    assert!(answer_extensions(&config, TrackKind::Video, &[], &AnswerIds::default()).is_empty());
}

/// One offered section: its kind, mid and extensions.
type Offered<'a> = (MediaKind, &'a str, &'a [(String, u16)]);

/// An offer of `(kind, mid, extensions)` sections, bundled, `a=extmap-allow-mixed` when
/// `mixed`.
fn offer_with(mixed: bool, sections: &[Offered<'_>]) -> SessionDescription {
    let mut sdp = SessionDescription::new(SdpType::Offer, Origin::new(1, 1));
    if mixed {
        sdp.attributes.push(Attribute::ExtmapAllowMixed);
    }
    for (kind, mid, extensions) in sections {
        let mut media = section(kind.clone(), &[opus(111)], extensions);
        media.set_mid(mid).unwrap();
        sdp.media.push(media);
    }
    sdp
}

/// Our answer's extensions for the offered section `index` of `offer`.
fn answered(
    config: &CodecConfig,
    registry: &Registry,
    offer: &SessionDescription,
    index: usize,
) -> Vec<(String, u16)> {
    let ids = AnswerIds::new(config, registry, offer);
    let media = vocab::track_kind(&offer.media[index].kind).unwrap();
    answer_extensions(config, media, &read_extensions(&offer.media[index]), &ids)
}

/// RFC 8285 §7: an offered id in 4096-4351 leaves the id to the answerer; the answer maps the
/// extension to a valid id of its own (it used to copy 4096-4351 into the answer): its
/// preferred id when no other URI holds it, else the first free one-byte id, chosen in offer
/// order, the same in every section (RFC 9143 §12).
#[test]
fn answer_gives_answerer_chosen_extensions_a_free_valid_id() {
    let config = CodecConfig::default();
    let audio = [ext(MID_EXT, 1), ext(TWCC, 4096), ext(AUDIO_LEVEL, 3)];
    let video = [ext(MID_EXT, 1), ext(TWCC, 4096), ext(ABS_SEND_TIME, 4351)];
    let offer = offer_with(
        false,
        &[
            (MediaKind::Audio, "0", &audio),
            (MediaKind::Video, "1", &video),
        ],
    );
    let registry = Registry::default();
    // TWCC prefers 3, which the offer gives audio-level: the first free id is 2. Then
    // abs-send-time prefers 2, now TWCC's: it gets 4.
    assert_eq!(
        answered(&config, &registry, &offer, 0),
        [ext(MID_EXT, 1), ext(TWCC, 2), ext(AUDIO_LEVEL, 3)]
    );
    assert_eq!(
        answered(&config, &registry, &offer, 1),
        [ext(MID_EXT, 1), ext(TWCC, 2), ext(ABS_SEND_TIME, 4)]
    );
}

/// RFC 8285 §7 with RFC 3264 §8.3.2: an extension the offer leaves to the answerer gets the id
/// negotiated for it before (the registry), or the id the offer gives it in another section,
/// before its preferred one.
#[test]
fn answer_chosen_id_prefers_the_registered_then_the_offered_one() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(TrackKind::Video, &[], &[ext(TWCC, 9)]);
    let offer = offer_with(false, &[(MediaKind::Video, "0", &[ext(TWCC, 4100)])]);
    assert_eq!(answered(&config, &registry, &offer, 0), [ext(TWCC, 9)]);
    let offer = offer_with(
        false,
        &[
            (MediaKind::Audio, "0", &[ext(TWCC, 7)]),
            (MediaKind::Video, "1", &[ext(TWCC, 4100)]),
        ],
    );
    assert_eq!(
        answered(&config, &Registry::default(), &offer, 1),
        [ext(TWCC, 7)]
    );
}

/// RFC 8285 §5/§6: past the one-byte ids (1-14) an answer may only use 15-255 when the offer
/// allows mixed one- and two-byte headers; with no valid id left the extension is not
/// answered (an answerer may decline any extension), never answered at 4096-4351.
#[test]
fn answer_chosen_id_needs_extmap_allow_mixed_beyond_14() {
    let config = CodecConfig::default();
    let mut full: Vec<(String, u16)> = (1..=14)
        .map(|id| ext(&format!("urn:example:taken-{id}"), id))
        .collect();
    full.push(ext(TWCC, 4096));
    for (mixed, expected) in [(false, None), (true, Some(ext(TWCC, 15)))] {
        let offer = offer_with(mixed, &[(MediaKind::Video, "0", &full)]);
        let answer = answered(&config, &Registry::default(), &offer, 0);
        assert_eq!(answer.first().cloned(), expected, "mixed: {mixed}");
        assert!(answer.iter().all(|(_, id)| !(4096..=4351).contains(id)));
    }
}
