//! H264's `profile-level-id` (RFC 6184 §8.1): which profile a value names, and which level an
//! answer states (RFC 6184 §8.2.2).
//!
//! The three bytes are profile_idc, profile-iop (the constraint_set0..5 flags and two reserved
//! bits) and level_idc. The *profile* is profile_idc and profile-iop together, and one profile
//! has several spellings: Constrained Baseline is `42e0..`, `42c0..`, `4de0..`, `58c0..` and
//! more. So two values are compared by the profile they name, never by their text.

/// A profile of RFC 6184 §8.1 Table 5, plus Constrained High.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Profile {
    ConstrainedBaseline,
    Baseline,
    Main,
    Extended,
    High,
    High10,
    High422,
    High444,
    High10Intra,
    High422Intra,
    High444Intra,
    Cavlc444Intra,
    /// High with constraint_set4 and constraint_set5 (ITU-T H.264 defines it after RFC 6184;
    /// browsers offer it as `640c..`).
    ConstrainedHigh,
}

/// RFC 6184 §8.1 Table 5: a value names `profile` when its profile_idc is the first number and
/// `profile-iop & mask == bits` (Table 5's `x1xx0000` is mask `0100_1111`, bits `0100_0000`).
/// The rows do not overlap, so the order does not matter.
const TABLE: [(u8, u8, u8, Profile); 16] = [
    (0x42, 0b0100_1111, 0b0100_0000, Profile::ConstrainedBaseline), // x1xx0000
    (0x4d, 0b1000_1111, 0b1000_0000, Profile::ConstrainedBaseline), // 1xxx0000
    (0x58, 0b1100_1111, 0b1100_0000, Profile::ConstrainedBaseline), // 11xx0000
    (0x42, 0b0100_1111, 0b0000_0000, Profile::Baseline),            // x0xx0000
    (0x58, 0b1100_1111, 0b1000_0000, Profile::Baseline),            // 10xx0000
    (0x4d, 0b1010_1111, 0b0000_0000, Profile::Main),                // 0x0x0000
    (0x58, 0b1100_1111, 0b0000_0000, Profile::Extended),            // 00xx0000
    (0x64, 0xff, 0b0000_0000, Profile::High),
    (0x6e, 0xff, 0b0000_0000, Profile::High10),
    (0x7a, 0xff, 0b0000_0000, Profile::High422),
    (0xf4, 0xff, 0b0000_0000, Profile::High444),
    (0x6e, 0xff, 0b0001_0000, Profile::High10Intra),
    (0x7a, 0xff, 0b0001_0000, Profile::High422Intra),
    (0xf4, 0xff, 0b0001_0000, Profile::High444Intra),
    (0x2c, 0xff, 0b0001_0000, Profile::Cavlc444Intra),
    (0x64, 0xff, 0b0000_1100, Profile::ConstrainedHigh),
];

/// constraint_set3_flag: with level_idc 11 it means level 1b in the profiles whose Table 5
/// pattern leaves the flag free (RFC 6184 §8.1, level_idc).
const CONSTRAINT_SET3: u8 = 0b0001_0000;

/// RFC 6184 §8.1: "If the profile-level-id parameter is not present", Baseline at level 1.
const DEFAULT: ProfileLevelId = ProfileLevelId {
    idc: 0x42,
    iop: 0x00,
    level_idc: 10,
};

/// A parsed `profile-level-id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ProfileLevelId {
    idc: u8,
    iop: u8,
    level_idc: u8,
}

impl ProfileLevelId {
    /// The value of an fmtp's `profile-level-id` (absent: the default), `None` when it is not
    /// six hexadecimal digits.
    pub(crate) fn parse(value: Option<&str>) -> Option<Self> {
        let Some(text) = value else {
            return Some(DEFAULT);
        };
        if text.len() != 6 || !text.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(text.get(i..i + 2)?, 16).ok();
        Some(Self {
            idc: byte(0)?,
            iop: byte(2)?,
            level_idc: byte(4)?,
        })
    }

    /// The profile, `None` for a combination Table 5 does not name.
    pub(crate) fn profile(self) -> Option<Profile> {
        TABLE
            .iter()
            .find(|(idc, mask, bits, _)| *idc == self.idc && self.iop & mask == *bits)
            .map(|(_, _, _, profile)| *profile)
    }

    /// Whether constraint_set3 with level_idc 11 means level 1b (not level 1.1) here.
    fn set3_means_1b(self) -> bool {
        matches!(
            self.profile(),
            Some(
                Profile::ConstrainedBaseline
                    | Profile::Baseline
                    | Profile::Main
                    | Profile::Extended
            )
        )
    }

    /// The level, ordered: level_idc times ten, level 1b (level_idc 11 with constraint_set3 in
    /// the Baseline, Main and Extended families, level_idc 9 in the others) between 1 and 1.1.
    fn level(self) -> u16 {
        let one_b = if self.set3_means_1b() {
            self.level_idc == 11 && self.iop & CONSTRAINT_SET3 != 0
        } else {
            self.level_idc == 9
        };
        if one_b {
            105
        } else {
            u16::from(self.level_idc) * 10
        }
    }

    /// This profile at `level` (a value of [`level`](Self::level) of the same profile family or
    /// a lower one), written as RFC 6184 §8.1 spells it.
    fn at_level(self, level: u16) -> Self {
        let family_1b = self.set3_means_1b();
        let mut out = self;
        if family_1b {
            // The flag only says "1b" there (with level_idc 11); set again below if it is.
            out.iop &= !CONSTRAINT_SET3;
        }
        if level == 105 {
            if family_1b {
                out.iop |= CONSTRAINT_SET3;
                out.level_idc = 11;
            } else {
                out.level_idc = 9;
            }
        } else {
            // `level` comes from `level()`: a level_idc times ten, so it fits a byte again.
            out.level_idc = u8::try_from(level / 10).unwrap_or(u8::MAX);
        }
        out
    }

    fn write(self) -> String {
        format!("{:02x}{:02x}{:02x}", self.idc, self.iop, self.level_idc)
    }
}

/// What decides whether two H264 codecs are the same (RFC 6184 §8.1: profile and
/// packetization mode; the level is negotiated, not matched): the profile's name, or the first
/// four digits as written (lower case) for a value Table 5 does not name, so that such a value
/// only matches its own spelling; then the packetization mode (absent: 0).
pub(crate) fn identity(profile_level_id: Option<&str>, packetization_mode: Option<&str>) -> String {
    let profile = match ProfileLevelId::parse(profile_level_id).and_then(ProfileLevelId::profile) {
        Some(profile) => format!("{profile:?}"),
        None => profile_level_id
            .map(|p| p.get(..4).unwrap_or(p).to_ascii_lowercase())
            .unwrap_or_default(),
    };
    let mode = packetization_mode.map_or(0, |m| m.trim().parse::<u32>().unwrap_or(u32::MAX));
    format!("{profile}:{mode}")
}

/// The answer's fmtp for H264 (RFC 6184 §8.2.2): our own parameters, with our level when both
/// sides say `level-asymmetry-allowed=1` (each side then sends at the level the other can
/// receive), else the lower of the offered level and ours (one level for both directions, at
/// most what the offer states).
pub(crate) fn answer_fmtp(
    ours: &[(String, Option<String>)],
    offered: &[(String, Option<String>)],
) -> Vec<(String, Option<String>)> {
    let param = |fmtp: &[(String, Option<String>)], key: &str| {
        fmtp.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v.clone())
    };
    let asymmetry = |fmtp| param(fmtp, "level-asymmetry-allowed").as_deref() == Some("1");
    let mut fmtp = ours.to_vec();
    if asymmetry(ours) && asymmetry(offered) {
        return fmtp;
    }
    let (Some(mine), Some(theirs)) = (
        ProfileLevelId::parse(param(ours, "profile-level-id").as_deref()),
        ProfileLevelId::parse(param(offered, "profile-level-id").as_deref()),
    ) else {
        return fmtp;
    };
    if theirs.level() >= mine.level() {
        return fmtp;
    }
    let value = Some(mine.at_level(theirs.level()).write());
    match fmtp
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("profile-level-id"))
    {
        Some((_, v)) => *v = value,
        None => fmtp.push(("profile-level-id".to_owned(), value)),
    }
    fmtp
}
