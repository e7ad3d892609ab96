//! `tacet-sdp`: typed JSEP session descriptions on top of [`sdp_types`] — lossless, strict
//! where it matters, bounded, and fast.
//!
//! - **Lossless.** Every line has a place in the model, in order; typed attributes keep their
//!   value text as written. Writing a parsed description reproduces the input byte for byte
//!   when the input was canonical RFC 8866 (CRLF endings, lines in order) — every Chromium and
//!   aiortc description in the test corpus is — and otherwise re-parses to the same model.
//! - **Typed where it matters.** mid, direction, rejection (port 0 and not `a=bundle-only`),
//!   BUNDLE groups, msid, SSRCs, codecs (rtpmap, fmtp, rtcp-fb), header extensions, ICE
//!   credentials and candidates, DTLS fingerprint and setup, SCTP port and message size, rid
//!   and simulcast. Anything else is an [`Attribute::Other`], kept verbatim and in place.
//! - **Strict where it matters.** A malformed modelled attribute, a duplicate mid, a BUNDLE
//!   group naming an unknown mid, a section without a mid in a BUNDLE description: typed
//!   [`Error`]s with line, m-section and mid, the rule broken and who is at fault. What real
//!   peers get wrong harmlessly (`a=sendrecv` on `m=application`, unknown attributes, LF line
//!   endings, a session version that never increases) is a [`Warning`].
//! - **Bounded.** [`Limits`] on size, line length, m-sections and attributes are checked before
//!   the model is built: by a pre-scan, or, for a well laid out text within the line and
//!   m-section limits, by a walk over sdp-types' result that hands anything unusual back to the
//!   pre-scan. No input panics (fuzzed).
//!
//! ```
//! use tacet_sdp::{SdpType, SessionDescription};
//!
//! let text = "v=0\r\no=- 1 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
//!             a=group:BUNDLE 2\r\n\
//!             m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=inactive\r\n\
//!             a=rtpmap:96 VP8/90000\r\n\
//!             m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\
//!             a=mid:2\r\na=sctp-port:5000\r\n";
//! let parsed = SessionDescription::parse(SdpType::Offer, text)?;
//! let sdp = &parsed.description;
//! // The stopped video transceiver's section: port 0, rejected, mid kept, out of BUNDLE.
//! assert!(sdp.media[0].is_rejected());
//! assert_eq!(sdp.media[0].mid().map(|m| m.as_str()), Some("1"));
//! let bundle: Vec<&str> = sdp.bundle_groups().flat_map(|g| g.mids()).collect();
//! assert_eq!(bundle, ["2"]);
//! assert!(sdp.media[1].is_data());
//! // Lossless: the text comes back byte for byte.
//! assert_eq!(sdp.write(), text);
//! # Ok::<(), tacet_sdp::Error>(())
//! ```
//!
//! # Relationship to the other crates
//!
//! `tacet-sdp` depends on no other tacet crate. Its [`Direction`], [`Mid`] and [`Fault`] are
//! SDP's own: the direction attribute has four values (RFC 8866 §6.7), while W3C's transceiver
//! direction, which `tacet-transceiver-fsm` models, also has `"stopped"`. `tacet-session`
//! converts between the two crates' types in one place (docs/decisions/0007). It parses remote
//! descriptions with this crate, checks answers against offers
//! ([`SessionDescription::check_answer`]) and writes its own offers and answers with the
//! builders ([`MediaSection::rtp`], [`MediaSection::data`], [`MediaSection::to_rejected`]).
//! This crate never decides a negotiation outcome itself.
//! What is modelled, what is kept verbatim and the limits are described in `docs/sdp.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod attribute;
mod build;
mod check;
mod error;
mod layout;
mod model;
mod parse;
mod scan;
mod vocab;
mod write;

pub use attribute::{
    Attribute, Candidate, ExtMap, Fingerprint, Fmtp, Group, IceOptions, IcePwd, IceUfrag, Msid,
    MsidSemantic, RawAttribute, Rid, RidDirection, RtcpFb, RtpMap, Setup, Simulcast, Ssrc,
    SsrcGroup,
};
pub use build::{DATA_FORMAT, DATA_PROFILE, DISCARD_PORT, RTP_PROFILE, check_text};
pub use error::{Error, LimitKind, Location, Warning, WarningKind};
pub use model::{
    Attributes, Bandwidth, Connection, Key, MediaKind, MediaSection, MidIndex, Origin, Repeat,
    SdpType, SessionDescription, Time, TimeZone,
};
pub use parse::Parsed;
pub use scan::Limits;
pub use vocab::{Direction, Fault, Mid, ParseDirectionError};
