//! Payload-type stability across offers and answers.

use super::*;
use crate::codecs::registry::free_dynamic;

// ---------------------------------------------------------------------------------------------
// 3. Payload-type stability
// ---------------------------------------------------------------------------------------------

/// RFC 3264 §8.3.2: the remote offered VP8 at 120/121 and VP9 at 122/123; once the answer is
/// applied, our own next offer keeps that numbering, and the rest of the list its preferred.
#[test]
fn registry_keeps_remote_numbering_in_our_next_offer() {
    let config = CodecConfig::default();
    let remote_offer = through_sdp(
        MediaKind::Video,
        &[
            remote_video(120, "VP8", &[], Some(121)),
            remote_video(122, "VP9", &[("profile-id", "0")], Some(123)),
        ],
    );
    let our_answer = answer(&config, TrackKind::Video, &remote_offer);
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &negotiated(MediaKind::Video, &our_answer),
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!(
        pts_and_rtx(&offer),
        [
            (120, Some(121)),
            (122, Some(123)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    assert_no_duplicate_pts(&offer);
    // ... and every later one.
    registry.record(TrackKind::Video, &negotiated(MediaKind::Video, &offer), &[]);
    assert_eq!(offered(&registry, &config, TrackKind::Video), offer);
}

/// RFC 3264 §8.3.2: what we negotiated in our own offer stays the same in re-offers.
#[test]
fn registry_keeps_our_numbering_after_our_offer() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    let first = offered(&registry, &config, TrackKind::Video);
    let remote_answer = answer(
        &config,
        TrackKind::Video,
        &through_sdp(MediaKind::Video, &first),
    );
    registry.record(
        TrackKind::Video,
        &negotiated(MediaKind::Video, &remote_answer),
        &[],
    );
    assert_eq!(offered(&registry, &config, TrackKind::Video), first);
}

/// RFC 3264 §6.1 / §8.3.2: a codec whose preferred payload type is registered for another
/// codec gets a free dynamic payload type (96-127 first), never a duplicate.
#[test]
fn registry_moves_a_colliding_preferred_pt_to_a_free_dynamic_one() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    // The remote numbered VP8 where we put VP9.
    registry.record(
        TrackKind::Video,
        &[remote_video(98, "VP8", &[], Some(99))],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!(
        pts_and_rtx(&offer),
        [
            (98, Some(99)),
            (96, Some(97)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    assert_eq!(offer[1].codec.name, "VP9");
    assert_no_duplicate_pts(&offer);
}

/// RFC 4588 §8.6 / RFC 3264 §6.1: a preferred RTX payload type taken by a registered codec
/// moves too.
#[test]
fn registry_moves_a_colliding_rtx_pt() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[remote_h264(97, "42e01f", "1", None)],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!(offer[0].pt, 96);
    assert_ne!(offer[0].rtx_pt, Some(97));
    assert_eq!(
        offer[3].pt, 97,
        "H264 42e01f keeps its negotiated payload type"
    );
    assert_no_duplicate_pts(&offer);
}

/// RFC 4588: a codec negotiated without RTX gets an RTX payload type offered later (its
/// preferred one when free); the codec's own payload type does not move.
#[test]
fn registry_adds_rtx_to_a_codec_negotiated_without_it() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[remote_video(120, "VP8", &[], None)],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!(offer[0].pt, 120);
    assert_eq!(offer[0].rtx_pt, Some(97));
    assert_no_duplicate_pts(&offer);
}

/// RFC 4588 / RFC 3264 §8.3.2: RTX negotiated after its codec (the codec was first negotiated
/// without it) is kept as well, even when a later section numbers its preferred RTX for another
/// codec.
#[test]
fn registry_keeps_rtx_negotiated_after_its_codec() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[remote_video(120, "VP8", &[], None)],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!((offer[0].pt, offer[0].rtx_pt), (120, Some(97)));
    // The remote accepts VP8 with our RTX; then another (unbundled) section numbers H264
    // 42e01f at 97.
    registry.record(
        TrackKind::Video,
        &negotiated(MediaKind::Video, &offer[..1]),
        &[],
    );
    registry.record(
        TrackKind::Video,
        &[remote_h264(97, "42e01f", "1", None)],
        &[],
    );
    let next = offered(&registry, &config, TrackKind::Video);
    assert_eq!((next[0].pt, next[0].rtx_pt), (120, Some(97)));
    assert_eq!((next[3].pt, next[3].rtx_pt), (108, Some(109)));
    assert_no_duplicate_pts(&next);
}

/// RFC 3264 §8.3.2: the first negotiation wins; a later, differently numbered record of the
/// same codec is ignored.
#[test]
fn registry_first_record_wins() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[remote_video(120, "VP8", &[], Some(121))],
        &[],
    );
    registry.record(
        TrackKind::Video,
        &[remote_video(100, "vp8", &[], Some(101))],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!((offer[0].pt, offer[0].rtx_pt), (120, Some(121)));
}

/// RFC 3264 §6.1: sections without BUNDLE may number independently; a payload type registered
/// for one codec is not registered again for another, so no offer repeats a payload type.
#[test]
fn registry_never_registers_one_pt_for_two_codecs() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[remote_video(96, "VP8", &[], Some(97))],
        &[],
    );
    // Another section numbered H264 42e01f at 96 and VP9 with its RTX at 97.
    registry.record(
        TrackKind::Video,
        &[
            remote_h264(96, "42e01f", "1", Some(120)),
            remote_video(121, "VP9", &[], Some(97)),
        ],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_no_duplicate_pts(&offer);
    assert_eq!((offer[0].pt, offer[0].rtx_pt), (96, Some(97)));
    assert_eq!(offer[1].pt, 121, "VP9's own payload type was free");
    assert_ne!(offer[1].rtx_pt, Some(97));
}

/// RFC 9143 §9.1.1: tacet bundles audio and video, and in a BUNDLE group a payload type names
/// one codec. Opus registered at 96 (aiortc's number) keeps 96 and moves VP8 off it, to a
/// payload type no configured codec prefers, so that VP8's RTX and VP9 keep theirs.
#[test]
fn registry_keeps_pts_unique_across_audio_and_video() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(TrackKind::Audio, &[opus(96)], &[]);
    let audio = offered(&registry, &config, TrackKind::Audio);
    let video = offered(&registry, &config, TrackKind::Video);
    assert_eq!(pts(&audio), [96, 63, 110, 126]);
    assert_eq!(
        pts_and_rtx(&video),
        [
            (100, Some(97)),
            (98, Some(99)),
            (102, Some(103)),
            (108, Some(109)),
            (116, Some(117)),
        ]
    );
    let both: Vec<NegotiatedCodec> = audio.iter().chain(&video).cloned().collect();
    assert_no_duplicate_pts(&both);
    // A video codec registered at a number an audio codec prefers moves that audio codec too,
    // here to VP8's preferred 96, which VP8 no longer needs.
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[remote_video(111, "VP8", &[], Some(112))],
        &[],
    );
    let audio = offered(&registry, &config, TrackKind::Audio);
    assert_eq!(pts(&audio), [96, 63, 110, 126]);
    assert_eq!(offered(&registry, &config, TrackKind::Video)[0].pt, 111);
}

/// RFC 9143 §9.1.1, RFC 3264 §6.1: a payload type registered for an audio codec is not
/// registered again for a video codec (sections without BUNDLE may number independently).
#[test]
fn registry_never_registers_one_pt_for_audio_and_video() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(TrackKind::Audio, &[opus(96)], &[]);
    registry.record(
        TrackKind::Video,
        &[remote_video(96, "VP8", &[], Some(97))],
        &[],
    );
    let video = offered(&registry, &config, TrackKind::Video);
    assert_eq!(video[0].pt, 100, "VP8 was not registered at Opus's 96");
    assert_eq!(offered(&registry, &config, TrackKind::Audio)[0].pt, 96);
}

/// RFC 9143 §12: an extension id names one extension across the BUNDLE group. The mid
/// extension registered at 2 for audio is offered at 2 for video too (same URI, same id), and
/// abs-send-time, which prefers 2, moves for both media types to 4, which the mid extension
/// preferred but no longer needs.
#[test]
fn extension_ids_are_one_space_for_audio_and_video() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(TrackKind::Audio, &[], &[ext(MID_EXT, 2)]);
    let audio = offered_extensions(&registry, &config, TrackKind::Audio);
    let video = offered_extensions(&registry, &config, TrackKind::Video);
    assert_eq!(
        audio,
        [
            ext(AUDIO_LEVEL, 1),
            ext(ABS_SEND_TIME, 4),
            ext(TWCC, 3),
            ext(MID_EXT, 2),
        ]
    );
    assert_eq!(
        &video[..3],
        [ext(ABS_SEND_TIME, 4), ext(TWCC, 3), ext(MID_EXT, 2)]
    );
    // One id, one URI, over both lists.
    let mut by_id: std::collections::BTreeMap<u16, &str> = Default::default();
    for (uri, id) in audio.iter().chain(&video) {
        assert_eq!(*by_id.entry(*id).or_insert(uri), uri.as_str(), "id {id}");
    }
    // A record reusing a registered id for another URI of the other media type is ignored.
    registry.record(TrackKind::Video, &[], &[ext(TWCC, 2)]);
    let video = offered_extensions(&registry, &config, TrackKind::Video);
    assert!(video.contains(&ext(MID_EXT, 2)));
    assert!(!video.contains(&ext(TWCC, 2)));
}

/// RFC 3551 §6, RFC 5761 §4: a payload type that must move is taken from 96-127, then 35-63,
/// avoiding the configured ones while it can; none is left once all 61 are used.
#[test]
fn free_dynamic_prefers_96_to_127_then_35_to_63_and_runs_out() {
    let set = |pts: &[u8]| pts.iter().copied().collect::<BTreeSet<u8>>();
    let none = BTreeSet::new();
    assert_eq!(free_dynamic(&none, &none), Some(96));
    assert_eq!(free_dynamic(&set(&[96, 97, 99]), &none), Some(98));
    let upper: Vec<u8> = (96..=127).collect();
    assert_eq!(free_dynamic(&set(&upper), &none), Some(35));
    // A configured payload type is avoided while another is free, and taken when none is.
    assert_eq!(free_dynamic(&set(&[96]), &set(&[97, 98])), Some(99));
    let all: Vec<u8> = (96..=127).chain(35..=63).collect();
    let all_but_98: Vec<u8> = all.iter().copied().filter(|p| *p != 98).collect();
    assert_eq!(free_dynamic(&set(&all_but_98), &set(&[98])), Some(98));
    assert_eq!(free_dynamic(&set(&all), &none), None);
}
