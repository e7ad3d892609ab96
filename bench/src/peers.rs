//! The SDP implementations under measurement, behind one trait.
//!
//! tacet-sdp is [`Tacet`]; sdp-types, webrtc-sdp and webrtc-rs `sdp` are the peers.

use std::io::Cursor;

/// One SDP implementation: parse text into its own type, write that type back to text.
pub trait Impl {
    /// The name used in benchmark ids (`<NAME>/<op>/<n>`).
    const NAME: &'static str;
    /// Its parsed session description.
    type Parsed;
    /// Parses a whole session description.
    fn parse(sdp: &str) -> Result<Self::Parsed, String>;
    /// Writes a parsed session description back to SDP text.
    fn write(parsed: &Self::Parsed) -> String;
    /// The largest m-section count worth measuring (a quadratic parser stops early).
    fn max_n() -> usize {
        usize::MAX
    }
}

/// `sdp-types` 0.3.1, bare: `Session::parse(&[u8])` and `Session::write(&mut impl Write)`.
pub struct SdpTypes;

impl Impl for SdpTypes {
    const NAME: &'static str = "sdp-types";
    type Parsed = sdp_types::Session;

    fn parse(sdp: &str) -> Result<Self::Parsed, String> {
        sdp_types::Session::parse(sdp.as_bytes()).map_err(|e| e.to_string())
    }

    fn write(parsed: &Self::Parsed) -> String {
        let mut buf = Vec::with_capacity(64 * 1024);
        parsed
            .write(&mut buf)
            .expect("writing to a Vec cannot fail");
        String::from_utf8(buf).expect("sdp-types writes the UTF-8 it parsed")
    }
}

/// Mozilla's `webrtc-sdp` (MPL-2.0): `parse_sdp(&str, fail_on_warning = false)` and `Display`.
///
/// Its parser is quadratic in the number of m-sections, so it is measured up to 200 only.
pub struct WebrtcSdp;

impl Impl for WebrtcSdp {
    const NAME: &'static str = "webrtc-sdp";
    type Parsed = webrtc_sdp::SdpSession;

    fn parse(sdp: &str) -> Result<Self::Parsed, String> {
        webrtc_sdp::parse_sdp(sdp, false).map_err(|e| e.to_string())
    }

    fn write(parsed: &Self::Parsed) -> String {
        parsed.to_string()
    }

    fn max_n() -> usize {
        200
    }
}

/// webrtc-rs `sdp` 0.17: `SessionDescription::unmarshal` and `marshal`.
pub struct WebrtcRs;

impl Impl for WebrtcRs {
    const NAME: &'static str = "webrtc-rs-sdp";
    type Parsed = sdp::SessionDescription;

    fn parse(sdp: &str) -> Result<Self::Parsed, String> {
        sdp::SessionDescription::unmarshal(&mut Cursor::new(sdp.as_bytes()))
            .map_err(|e| e.to_string())
    }

    fn write(parsed: &Self::Parsed) -> String {
        parsed.marshal()
    }
}

/// tacet's own typed JSEP SDP (`crates/sdp`), on sdp-types.
pub struct Tacet;

impl Impl for Tacet {
    const NAME: &'static str = "tacet-sdp";
    type Parsed = tacet_sdp::SessionDescription;

    fn parse(sdp: &str) -> Result<Self::Parsed, String> {
        tacet_sdp::SessionDescription::parse(tacet_sdp::SdpType::Offer, sdp)
            .map(|parsed| parsed.description)
            .map_err(|e| e.to_string())
    }

    fn write(parsed: &Self::Parsed) -> String {
        parsed.write()
    }
}
