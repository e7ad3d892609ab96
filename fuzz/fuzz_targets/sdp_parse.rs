//! Any bytes: parsing never panics, limits hold (tight limits so the fuzzer reaches them), and
//! the fast path changes nothing: the same text parsed with the pre-scan forced first gives
//! the same result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tacet_sdp::{Limits, SdpType, SessionDescription};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for sdp_type in [SdpType::Offer, SdpType::Answer, SdpType::Rollback] {
        let _ = SessionDescription::parse(sdp_type, text);
    }
    let tight = Limits {
        max_bytes: 4096,
        max_line_length: 256,
        max_media_sections: 4,
        max_attributes_per_section: 16,
        max_attributes: 32,
    };
    if let Ok(parsed) = SessionDescription::parse_with(SdpType::Offer, text, &tight) {
        assert!(parsed.description.media.len() <= 4);
        for m in &parsed.description.media {
            assert!(m.attributes.len() <= 16);
        }
    }
    // The fast path runs only on texts of at most `max_attributes` lines. Setting the limit to
    // the number of `a=` lines keeps every result of the pre-scan the same (the limit counts
    // `a=` lines) but, when there are other lines, takes the fast path away.
    let lines = text.split('\n').count();
    let attribute_lines = text.split('\n').filter(|l| l.starts_with("a=")).count();
    if attribute_lines < lines {
        let scanning_first = Limits {
            max_attributes: attribute_lines,
            ..Limits::default()
        };
        assert_eq!(
            SessionDescription::parse(SdpType::Offer, text),
            SessionDescription::parse_with(SdpType::Offer, text, &scanning_first),
        );
    }
});
