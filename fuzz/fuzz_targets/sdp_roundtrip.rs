//! Whatever parses writes back to text that parses to the same model, and writing is stable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tacet_sdp::{SdpType, SessionDescription};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(first) = SessionDescription::parse(SdpType::Offer, text) else {
        return;
    };
    let written = first.description.write();
    let second = SessionDescription::parse(SdpType::Offer, &written)
        .unwrap_or_else(|e| panic!("written text refused: {e}\n{written}"));
    assert_eq!(second.description, first.description);
    assert_eq!(second.description.write(), written);
    // The answer checks never panic either, whatever the pair.
    let _ = second.description.check_answer(&first.description);
    let _ = second.description.check_follows(&first.description);
});
