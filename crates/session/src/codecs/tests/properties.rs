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

    /// RFC 3264 §6.1 / §8.3.2: after any sequence of records (even ones numbering differently),
    /// an offer never repeats a payload type, and a codec keeps the first payload type recorded
    /// for it.
    #[test]
    fn offer_never_repeats_a_pt_after_any_records(
        records in proptest::collection::vec(
            proptest::collection::vec(
                (0..5usize, proptest::sample::select(dynamic_pts()),
                 proptest::option::of(proptest::sample::select(dynamic_pts()))),
                0..5,
            ),
            0..4,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            let codecs: Vec<NegotiatedCodec> = record
                .iter()
                .map(|&(i, pt, rtx_pt)| NegotiatedCodec {
                    pt,
                    codec: config.video[i].clone(),
                    rtx_pt,
                })
                .collect();
            registry.record(TrackKind::Video, &codecs, &[]);
        }
        let offer = registry.offer(&config, TrackKind::Video);
        let all = all_pts(&offer);
        let distinct: BTreeSet<u8> = all.iter().copied().collect();
        prop_assert_eq!(distinct.len(), all.len(), "{:?}", all);
        prop_assert!(offer.iter().all(|c| c.rtx_pt.is_some()));
        // Recording the offer (as its answer would) and offering again changes nothing.
        let mut again = registry.clone();
        again.record(TrackKind::Video, &offer, &[]);
        prop_assert_eq!(again.offer(&config, TrackKind::Video), offer);
    }

    /// RFC 8285 §5: after any records, offered extension ids are distinct.
    #[test]
    fn offer_extensions_never_repeat_an_id_after_any_records(
        records in proptest::collection::vec(
            proptest::collection::vec((0..6usize, 1..=14u16), 0..6),
            0..4,
        )
    ) {
        let config = CodecConfig::default();
        let mut registry = Registry::default();
        for record in &records {
            let exts: Vec<(String, u16)> = record
                .iter()
                .map(|&(i, id)| (config.video_extensions[i].0.clone(), id))
                .collect();
            registry.record(TrackKind::Video, &[], &exts);
        }
        let offer = registry.offer_extensions(&config, TrackKind::Video);
        let ids: BTreeSet<u16> = offer.iter().map(|(_, id)| *id).collect();
        prop_assert_eq!(ids.len(), offer.len(), "{:?}", offer);
    }
}
