//! H264: the profile decides which codec it is (RFC 6184 §8.1), the level is negotiated
//! (RFC 6184 §8.2.2).

use super::*;
use crate::codecs::h264::{Profile, ProfileLevelId};

/// Our H264 at `profile`, packetization mode 1, level asymmetry as Chromium configures it.
fn our_h264(pt: u8, profile: &str) -> Codec {
    Codec::new("H264", 90000, None, pt).fmtp(&[
        ("level-asymmetry-allowed", "1"),
        ("packetization-mode", "1"),
        ("profile-level-id", profile),
    ])
}

/// A configuration whose video list is `video`.
fn video_only(video: Vec<Codec>) -> CodecConfig {
    CodecConfig {
        video,
        ..CodecConfig::default()
    }
}

/// A remote H264 without `level-asymmetry-allowed` (RFC 6184 §8.1: absent means 0).
fn remote_h264_symmetric(pt: u8, profile: &str) -> NegotiatedCodec {
    remote_video(
        pt,
        "H264",
        &[("packetization-mode", "1"), ("profile-level-id", profile)],
        None,
    )
}

/// RFC 6184 §8.1 Table 5, row by row: profile_idc and profile-iop name the profile, with the
/// Table's `x` bits free; a combination the Table does not name is no profile; an absent value
/// is Baseline at level 1, a malformed one nothing.
#[test]
fn h264_profile_level_id_names_the_profiles_of_rfc_6184_table_5() {
    use Profile::*;
    let named = [
        ("42e01f", ConstrainedBaseline),
        ("42c01f", ConstrainedBaseline),
        ("42401f", ConstrainedBaseline),
        ("42f00b", ConstrainedBaseline),
        ("4de01f", ConstrainedBaseline),
        ("4d801f", ConstrainedBaseline),
        ("58c01f", ConstrainedBaseline),
        ("42001f", Baseline),
        ("42801f", Baseline),
        ("42a01f", Baseline),
        ("58801f", Baseline),
        ("4d001f", Main),
        ("4d401f", Main),
        ("4d501f", Main),
        ("58001f", Extended),
        ("58201f", Extended),
        ("64001f", High),
        ("6e001f", High10),
        ("7a001f", High422),
        ("f4001f", High444),
        ("6e101f", High10Intra),
        ("7a101f", High422Intra),
        ("F4101F", High444Intra),
        ("2c101f", Cavlc444Intra),
        ("640c1f", ConstrainedHigh),
    ];
    for (value, profile) in named {
        let parsed = ProfileLevelId::parse(Some(value)).unwrap();
        assert_eq!(parsed.profile(), Some(profile), "{value}");
    }
    // Reserved bits set, constraint flags no row allows, unknown profile_idc.
    for value in ["42011f", "4d201f", "64101f", "ff001f", "58081f"] {
        let parsed = ProfileLevelId::parse(Some(value)).unwrap();
        assert_eq!(parsed.profile(), None, "{value}");
    }
    assert_eq!(
        ProfileLevelId::parse(None),
        ProfileLevelId::parse(Some("42000a"))
    );
    for malformed in ["42e0", "42e01f00", "zz001f", "42e01é"] {
        assert_eq!(ProfileLevelId::parse(Some(malformed)), None, "{malformed}");
    }
}

/// RFC 6184 §8.1: Constrained Baseline has several spellings (`42e0`, `42c0`, `4de0`, `58c0`);
/// all of them match our `42e01f`, and the answer describes our own value. Matching on the
/// first four hex digits lost every spelling but `42e0`.
#[test]
fn h264_constrained_baseline_matches_in_every_spelling() {
    let config = video_only(vec![our_h264(108, "42e01f")]);
    let offer = [
        remote_h264(100, "42c01f", "1", None),
        remote_h264(101, "4de01f", "1", None),
        remote_h264(102, "58c01f", "1", None),
        remote_h264(103, "42e01f", "1", None),
    ];
    let answer = answer(&config, TrackKind::Video, &offer);
    assert_eq!(pts(&answer), [100, 101, 102, 103]);
    assert!(
        answer
            .iter()
            .all(|c| param(c, "profile-level-id") == Some("42e01f"))
    );
}

/// RFC 6184 §8.1: Baseline (`42001f`), Extended (`58001f`) and Main (`4d001f`) are other
/// profiles than Constrained Baseline, whatever their first byte shares with it.
#[test]
fn h264_other_profiles_do_not_match_constrained_baseline() {
    let config = video_only(vec![our_h264(108, "42e01f")]);
    let offer = [
        remote_h264(100, "42001f", "1", None),
        remote_h264(101, "58001f", "1", None),
        remote_h264(102, "4d001f", "1", None),
        remote_h264(103, "640c1f", "1", None),
    ];
    assert!(answer(&config, TrackKind::Video, &offer).is_empty());
    // Constrained High is its own profile: it matches itself at another level, not High.
    let config = video_only(vec![our_h264(112, "640c1f")]);
    let offer = [
        remote_h264(100, "64001f", "1", None),
        remote_h264(101, "640c34", "1", None),
    ];
    assert_eq!(pts(&answer(&config, TrackKind::Video, &offer)), [101]);
}

/// RFC 6184 §8.1: different packetization modes are different codecs, also for the same
/// profile in another spelling; absent means mode 0.
#[test]
fn h264_packetization_mode_must_match() {
    let config = video_only(vec![our_h264(108, "42e01f")]);
    let offer = [
        remote_h264(100, "42c01f", "0", None),
        remote_video(101, "H264", &[("profile-level-id", "42c01f")], None),
        remote_h264(102, "42c01f", "2", None),
        remote_h264(103, "42c01f", "1", None),
    ];
    assert_eq!(pts(&answer(&config, TrackKind::Video, &offer)), [103]);
}

/// RFC 6184 §8.2.2: with `level-asymmetry-allowed=1` on both sides each side sends at the level
/// the other can receive, so the answer states our own level, lower or higher than the offer's.
#[test]
fn h264_answer_states_our_level_when_both_allow_level_asymmetry() {
    let config = video_only(vec![our_h264(108, "42e01f")]);
    for offered in ["42e00b", "42e034"] {
        let offer = [remote_h264(100, offered, "1", None)];
        let answer = answer(&config, TrackKind::Video, &offer);
        assert_eq!(
            param(&answer[0], "profile-level-id"),
            Some("42e01f"),
            "{offered}"
        );
    }
}

/// RFC 6184 §8.2.2: without level asymmetry (absent on either side) one level serves both
/// directions, at most the offer's: the answer states the lower of the offer's and ours, in
/// our own spelling of the profile.
#[test]
fn h264_answer_states_the_lower_level_without_level_asymmetry() {
    let config = video_only(vec![our_h264(108, "42e01f")]);
    let lower = answer(
        &config,
        TrackKind::Video,
        &[remote_h264_symmetric(100, "4de00d")],
    );
    assert_eq!(param(&lower[0], "profile-level-id"), Some("42e00d"));
    let higher = answer(
        &config,
        TrackKind::Video,
        &[remote_h264_symmetric(100, "42e034")],
    );
    assert_eq!(param(&higher[0], "profile-level-id"), Some("42e01f"));
    // Our side without level-asymmetry-allowed: the same, even when the offer allows it.
    let strict = video_only(vec![
        Codec::new("H264", 90000, None, 108)
            .fmtp(&[("packetization-mode", "1"), ("profile-level-id", "4d0032")]),
    ]);
    let answer = answer(
        &strict,
        TrackKind::Video,
        &[remote_h264(100, "4d0029", "1", None)],
    );
    assert_eq!(param(&answer[0], "profile-level-id"), Some("4d0029"));
    assert_eq!(param(&answer[0], "level-asymmetry-allowed"), None);
}

/// RFC 6184 §8.1: level 1b is level_idc 11 with constraint_set3 in the Baseline and Main
/// families (level_idc 9 in the High ones) and lies between levels 1 and 1.1; as the lower
/// level it is written in our profile's way.
#[test]
fn h264_level_1b_is_between_levels_1_and_1_1() {
    let config = video_only(vec![our_h264(108, "42e01f"), our_h264(112, "64001f")]);
    let offer = [
        remote_h264_symmetric(100, "42f00b"),
        remote_h264_symmetric(101, "640009"),
    ];
    let answer = answer(&config, TrackKind::Video, &offer);
    let levels: Vec<Option<&str>> = answer
        .iter()
        .map(|c| param(c, "profile-level-id"))
        .collect();
    assert_eq!(levels, [Some("42f00b"), Some("640009")]);
    // Level 1 is below 1b, level 1.1 (no constraint_set3) above it.
    let ours_1b = video_only(vec![our_h264(108, "42f00b")]);
    let one = answer_to(&ours_1b, remote_h264_symmetric(100, "42e00a"));
    assert_eq!(param(&one[0], "profile-level-id"), Some("42e00a"));
    let one_one = answer_to(&ours_1b, remote_h264_symmetric(100, "42e00b"));
    assert_eq!(param(&one_one[0], "profile-level-id"), Some("42f00b"));
}

fn answer_to(config: &CodecConfig, offered: NegotiatedCodec) -> Vec<NegotiatedCodec> {
    answer(config, TrackKind::Video, &[offered])
}

/// RFC 3264 §8.3.2 with RFC 6184 §8.1: the registry knows a codec by its profile, not its
/// spelling: the remote's Constrained Baseline `42c01f` at 125 is our `42e01f` at 125 in our
/// next offer, and its Baseline at 127 our `42001f`.
#[test]
fn h264_registry_keeps_the_remote_pt_for_another_spelling_of_the_profile() {
    let config = CodecConfig::default();
    let mut registry = Registry::default();
    registry.record(
        TrackKind::Video,
        &[
            remote_h264(125, "42c01f", "1", Some(126)),
            remote_h264(127, "428028", "1", None),
        ],
        &[],
    );
    let offer = offered(&registry, &config, TrackKind::Video);
    assert_eq!(param(find(&offer, 125), "profile-level-id"), Some("42e01f"));
    assert_eq!(find(&offer, 125).rtx_pt, Some(126));
    assert_eq!(param(find(&offer, 127), "profile-level-id"), Some("42001f"));
    assert_no_duplicate_pts(&offer);
}
