//! Properties.

use super::*;

// ---------------------------------------------------------------------------------------------
// 6. Properties
// ---------------------------------------------------------------------------------------------

/// Every dynamic payload type (RFC 3551 §6).
fn dynamic_pts() -> Vec<u8> {
    (96..=127).chain(35..=63).collect()
}

/// The default video codecs and a few we do not support (AV1, H264 high, H264 mode 0, VP9
/// profile 2).
fn video_pool() -> Vec<Codec> {
    let mut pool = CodecConfig::default().video;
    pool.push(Codec::new("AV1", 90000, None, 0).feedback(VIDEO_FB));
    pool.push(remote_h264(0, "640032", "1", None).codec);
    pool.push(remote_h264(0, "42e01f", "0", None).codec);
    pool.push(remote_video(0, "VP9", &[("profile-id", "2")], None).codec);
    pool
}

prop_compose! {
    /// An offer: an arbitrary subset of the pool in arbitrary order, at arbitrary distinct
    /// dynamic payload types, each with or without RTX, an arbitrary subset of feedback and
    /// arbitrary name casing.
    fn arbitrary_offer()(
        picks in proptest::sample::subsequence(
            (0..video_pool().len()).collect::<Vec<_>>(), 0..=video_pool().len()
        ).prop_shuffle(),
        numbers in proptest::sample::subsequence(dynamic_pts(), 2 * video_pool().len())
            .prop_shuffle(),
        with_rtx in proptest::collection::vec(any::<bool>(), video_pool().len()),
        feedback in proptest::collection::vec(
            proptest::sample::subsequence(VIDEO_FB.to_vec(), 0..=VIDEO_FB.len()),
            video_pool().len(),
        ),
        upper in proptest::collection::vec(any::<bool>(), video_pool().len()),
    ) -> Vec<NegotiatedCodec> {
        let pool = video_pool();
        picks
            .iter()
            .enumerate()
            .map(|(i, &pick)| {
                let pt = numbers[2 * i];
                let mut codec = pool[pick].clone().feedback(&feedback[i]);
                codec.preferred_pt = pt;
                codec.rtx_pt = None;
                if upper[i] {
                    codec.name = codec.name.to_uppercase();
                } else {
                    codec.name = codec.name.to_lowercase();
                }
                NegotiatedCodec {
                    pt,
                    codec,
                    rtx_pt: with_rtx[i].then(|| numbers[2 * i + 1]),
                }
            })
            .collect()
    }
}

proptest! {
    /// RFC 9429 §5.3.1 / RFC 3264 §6.1: for any offer of video codecs, the answer uses only
    /// offered payload types (RTX: the one offered for that codec, RFC 4588), only codecs the
    /// configuration has, every supported offered codec, in the offer's order, with
    /// rtcp-fb in both sides' lists; and reading the offer from SDP changes nothing.
    #[test]
    fn answer_never_invents_pts_or_codecs_and_keeps_offer_order(offer in arbitrary_offer()) {
        let config = CodecConfig::default();
        let read = through_sdp(MediaKind::Video, &offer);
        prop_assert_eq!(&read, &offer);
        let answer = answer(&config, TrackKind::Video, &read);

        let mut last = None;
        for a in &answer {
            let index = offer.iter().position(|o| o.pt == a.pt);
            prop_assert!(index.is_some(), "payload type {} was not offered", a.pt);
            let Some(index) = index else { continue };
            prop_assert!(last < Some(index), "offer order lost: {:?}", pts(&answer));
            last = Some(index);
            let o = &offer[index];
            prop_assert_eq!(a.rtx_pt, o.rtx_pt);
            prop_assert!(o.codec.name.eq_ignore_ascii_case(&a.codec.name));
            let configured = config.video.iter().any(|c| {
                Codec {
                    rtcp_fbs: a.codec.rtcp_fbs.clone(),
                    preferred_pt: a.pt,
                    ..c.clone()
                } == a.codec
            });
            prop_assert!(configured, "{:?} is not a configured codec", a.codec);
            prop_assert!(a.codec.rtcp_fbs.iter().all(|fb| o.codec.rtcp_fbs.contains(fb)));
        }
        let supported = offer
            .iter()
            .filter(|o| config.video.iter().any(|c| c.key() == o.codec.key()))
            .count();
        prop_assert_eq!(answer.len(), supported);
        let written = section(MediaKind::Video, &answer, &[]);
        prop_assert_eq!(all_pts(&read_section(&written)), all_pts(&answer));
    }

    /// RFC 3264 §6.1 / §8.3.2, RFC 9143 §9.1.1: after any sequence of records of audio and
    /// video codecs (even ones numbering differently, or giving audio and video one number),
    /// an offer never repeats a payload type, in a section or across audio and video; every
    /// video codec keeps its RTX; and recording the offer (as its answer would) and offering
    /// again changes nothing.
    #[test]
    fn offer_never_repeats_a_pt_after_any_records(
        records in proptest::collection::vec(
            proptest::collection::vec(
                (any::<bool>(), 0..5usize, proptest::sample::select(dynamic_pts()),
                 proptest::option::of(proptest::sample::select(dynamic_pts()))),
                0..5,
            ),
            0..4,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            for &(audio, i, pt, rtx_pt) in record {
                let media = if audio { TrackKind::Audio } else { TrackKind::Video };
                let codecs = config.codecs(media);
                let codec = NegotiatedCodec {
                    pt,
                    codec: codecs[i % codecs.len()].clone(),
                    rtx_pt,
                };
                registry.record(media, &[codec], &[]);
            }
        }
        let audio = offered(&registry, &config, TrackKind::Audio);
        let video = offered(&registry, &config, TrackKind::Video);
        let all = all_pts(&[audio.clone(), video.clone()].concat());
        let distinct: BTreeSet<u8> = all.iter().copied().collect();
        prop_assert_eq!(distinct.len(), all.len(), "{:?}", all);
        prop_assert!(video.iter().all(|c| c.rtx_pt.is_some()));
        let mut again = registry.clone();
        again.record(TrackKind::Audio, &audio, &[]);
        again.record(TrackKind::Video, &video, &[]);
        prop_assert_eq!(offered(&again, &config, TrackKind::Audio), audio);
        prop_assert_eq!(offered(&again, &config, TrackKind::Video), video);
    }

    /// RFC 8285 §5, RFC 9143 §12: after any records, an offered id names one extension in
    /// both media types.
    #[test]
    fn offer_extensions_never_repeat_an_id_after_any_records(
        records in proptest::collection::vec(
            proptest::collection::vec((any::<bool>(), 0..6usize, 1..=14u16), 0..6),
            0..4,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            for &(audio, i, id) in record {
                let media = if audio { TrackKind::Audio } else { TrackKind::Video };
                let uris = config.extensions(media);
                let uri = uris[i % uris.len()].0.clone();
                registry.record(media, &[], &[(uri, id)]);
            }
        }
        // One id, one URI, across audio and video (RFC 9143 §12).
        let both = [
            offered_extensions(&registry, &config, TrackKind::Audio),
            offered_extensions(&registry, &config, TrackKind::Video),
        ]
        .concat();
        let mut uri_of: std::collections::BTreeMap<u16, &str> = Default::default();
        for (uri, id) in &both {
            prop_assert_eq!(*uri_of.entry(*id).or_insert(uri), uri.as_str(), "{:?}", both);
        }
    }
}

proptest! {
    /// `record` says whether it changed the registry: the session records a reading again only
    /// while that could change it (`apply.rs`, `SharedCodecs`), so a change it did not report
    /// would be lost. Few payload types and ids, so that lists clash with each other and with
    /// themselves (the same codec twice, RTX on a taken payload type), each recorded twice.
    #[test]
    fn record_says_whether_it_changed_the_registry(
        records in proptest::collection::vec(
            proptest::collection::vec(
                (any::<bool>(), 0..6usize, proptest::sample::select(vec![96u8, 97, 98, 111]),
                 proptest::option::of(proptest::sample::select(vec![96u8, 97, 99])),
                 1..=4u16),
                0..5,
            ),
            1..6,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            for media in [TrackKind::Audio, TrackKind::Video] {
                let codecs: Vec<NegotiatedCodec> = record
                    .iter()
                    .filter(|r| r.0 == (media == TrackKind::Audio))
                    .map(|&(_, i, pt, rtx_pt, _)| {
                        let codecs = config.codecs(media);
                        NegotiatedCodec { pt, codec: codecs[i % codecs.len()].clone(), rtx_pt }
                    })
                    .collect();
                let extensions: Vec<(String, u16)> = record
                    .iter()
                    .filter(|r| r.0 == (media == TrackKind::Audio))
                    .map(|&(_, i, _, _, id)| {
                        let uris = config.extensions(media);
                        (uris[i % uris.len()].0.clone(), id)
                    })
                    .collect();
                for _ in 0..2 {
                    let before = registry.clone();
                    let changed = registry.record(media, &codecs, &extensions);
                    prop_assert_eq!(changed, registry != before);
                }
            }
        }
    }
}
