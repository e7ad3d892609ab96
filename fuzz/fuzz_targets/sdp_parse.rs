//! Any bytes: parsing never panics, and limits hold (tight limits so the fuzzer reaches them).
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
});
