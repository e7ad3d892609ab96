//! `a=` lines: the attributes tacet models, and every other one kept verbatim.
//!
//! An [`Attribute`] is either typed or [`Attribute::Other`]. Typed attributes keep their value
//! text exactly as written and cache what they parsed, so the writer reproduces the input byte
//! for byte and the typed view costs no allocation beyond the text sdp-types already made.

pub(crate) mod grammar;
mod rtp;
mod transport;

use crate::Error;
use crate::vocab::{Direction, Mid};

pub(crate) use grammar::line_safe;
pub use rtp::{ExtMap, Fmtp, Msid, Rid, RidDirection, RtcpFb, RtpMap, Simulcast, Ssrc, SsrcGroup};
pub use transport::{
    Candidate, Fingerprint, Group, IceOptions, IcePwd, IceUfrag, MsidSemantic, Setup,
};

/// An attribute tacet does not model, kept verbatim and in place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawAttribute {
    /// The name (before the first `:`).
    pub name: String,
    /// The value (after the first `:`), if there is a colon.
    pub value: Option<String>,
}

/// One `a=` line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Attribute {
    /// `a=group` (RFC 5888), BUNDLE among others (session level).
    Group(Group),
    /// `a=msid-semantic` (session level).
    MsidSemantic(MsidSemantic),
    /// `a=extmap-allow-mixed` (RFC 8285 §6).
    ExtmapAllowMixed,
    /// `a=ice-lite` (RFC 8839 §5.3).
    IceLite,
    /// `a=ice-ufrag`.
    IceUfrag(IceUfrag),
    /// `a=ice-pwd`.
    IcePwd(IcePwd),
    /// `a=ice-options`.
    IceOptions(IceOptions),
    /// `a=fingerprint`.
    Fingerprint(Fingerprint),
    /// `a=setup`.
    Setup(Setup),
    /// `a=candidate`.
    Candidate(Candidate),
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    EndOfCandidates,
    /// `a=mid` (RFC 9143 §3 / RFC 5888).
    Mid(Mid),
    /// `a=sendrecv`, `a=sendonly`, `a=recvonly`, `a=inactive` (RFC 3264 §5.1).
    Direction(Direction),
    /// `a=bundle-only` (RFC 9143 §6): port 0 with it is *not* a rejection.
    BundleOnly,
    /// `a=msid` (RFC 8830).
    Msid(Msid),
    /// `a=ssrc` (RFC 5576).
    Ssrc(Ssrc),
    /// `a=ssrc-group` (RFC 5576).
    SsrcGroup(SsrcGroup),
    /// `a=rtpmap`.
    RtpMap(RtpMap),
    /// `a=fmtp`.
    Fmtp(Fmtp),
    /// `a=rtcp-fb` (RFC 4585).
    RtcpFb(RtcpFb),
    /// `a=extmap` (RFC 8285).
    ExtMap(ExtMap),
    /// `a=rtcp-mux` (RFC 5761).
    RtcpMux,
    /// `a=rtcp-rsize` (RFC 5506).
    RtcpRsize,
    /// `a=sctp-port` (RFC 8841 §5): the SCTP port.
    SctpPort(u16),
    /// `a=max-message-size` (RFC 8841 §6).
    MaxMessageSize(u64),
    /// `a=rid` (RFC 8851).
    Rid(Rid),
    /// `a=simulcast` (RFC 8853).
    Simulcast(Simulcast),
    /// Anything else, verbatim.
    Other(RawAttribute),
}

/// A modelled attribute whose value was refused: its name, what is wrong, the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) name: String,
    pub(crate) reason: &'static str,
    pub(crate) rule: &'static str,
}

/// Why a line kept verbatim deserves a warning (`None` for typed lines and well-known ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Oddity {
    /// A well-known attribute tacet does not need to model: no warning.
    None,
    /// A name tacet has never heard of.
    Unknown,
    /// A property attribute (no value allowed) with a value.
    ValueOnProperty,
}

/// Well-known attributes tacet keeps verbatim without comment.
const KNOWN_UNMODELLED: &[&str] = &[
    "rtcp",
    "rtcp-xr",
    "ptime",
    "maxptime",
    "framerate",
    "sctpmap",
    "crypto",
    "ice-pacing",
    "rtcp-mux-only",
    "imageattr",
    "tls-id",
    "identity",
    "label",
    "content",
    "remote-candidates",
    "ice-mismatch",
    "x-google-flag",
    "orient",
    "quality",
    "tool",
    "type",
    "charset",
    "sdplang",
    "lang",
    "keywds",
];

impl Attribute {
    /// Reads one line from its name and value as sdp-types split them (at the first `:`).
    /// Both strings are moved into the result; nothing is copied. One `match` on the name
    /// decides everything (this runs once per line of every description). Inlined into its
    /// one caller, the attribute loop, so the result is built in place rather than returned.
    #[inline(always)]
    pub(crate) fn read(name: String, value: Option<String>) -> Result<(Self, Oddity), Refused> {
        /// A value attribute: parse its value, or refuse (with the rule) when it has none.
        macro_rules! valued {
            ($rule:literal, |$v:ident| $parse:expr) => {
                match value {
                    Some($v) => match $parse {
                        Ok(attribute) => Ok((attribute, Oddity::None)),
                        Err(reason) => Err(Refused {
                            name,
                            reason,
                            rule: $rule,
                        }),
                    },
                    None => Err(Refused {
                        name,
                        reason: "missing value",
                        rule: $rule,
                    }),
                }
            };
        }
        /// A property attribute: a value is odd but harmless, so the line is kept verbatim.
        macro_rules! property {
            ($attribute:expr) => {
                match value {
                    None => Ok(($attribute, Oddity::None)),
                    Some(v) => Ok((
                        Self::Other(RawAttribute {
                            name,
                            value: Some(v),
                        }),
                        Oddity::ValueOnProperty,
                    )),
                }
            };
        }
        match name.as_str() {
            "rtcp-fb" => valued!("RFC 4585 §4.2 rtcp-fb", |v| RtcpFb::parse(v)
                .map(Self::RtcpFb)),
            "rtpmap" => valued!("RFC 8866 §6.6 rtpmap", |v| RtpMap::parse(v)
                .map(Self::RtpMap)),
            "fmtp" => valued!("RFC 8866 §6.15 fmtp", |v| Fmtp::parse(v).map(Self::Fmtp)),
            "candidate" => valued!("RFC 8839 §5.1 candidate", |v| {
                Candidate::parse(v).map(Self::Candidate)
            }),
            "extmap" => valued!("RFC 8285 §8 extmap", |v| ExtMap::parse(v)
                .map(Self::ExtMap)),
            "ssrc" => valued!("RFC 5576 §4.1 ssrc", |v| Ssrc::parse(v).map(Self::Ssrc)),
            "ssrc-group" => valued!("RFC 5576 §4.2 ssrc-group", |v| {
                SsrcGroup::parse(v).map(Self::SsrcGroup)
            }),
            "mid" => valued!("RFC 5888 §4 mid: identification-tag is a token", |v| {
                grammar::token(&v)
                    .map(|_| ())
                    .map(|()| Self::Mid(Mid::from(v)))
            }),
            "msid" => valued!("RFC 8830 §2 msid", |v| Msid::parse(v).map(Self::Msid)),
            "ice-ufrag" => valued!("RFC 8839 §5.4 ice-ufrag", |v| {
                IceUfrag::parse(v).map(Self::IceUfrag)
            }),
            "ice-pwd" => valued!("RFC 8839 §5.4 ice-pwd", |v| IcePwd::parse(v)
                .map(Self::IcePwd)),
            "ice-options" => valued!("RFC 8839 §5.6 ice-options", |v| {
                IceOptions::parse(v).map(Self::IceOptions)
            }),
            "fingerprint" => valued!("RFC 8122 §5 fingerprint", |v| {
                Fingerprint::parse(v).map(Self::Fingerprint)
            }),
            "setup" => valued!("RFC 4145 §4 setup", |v| Setup::parse(&v).map(Self::Setup)),
            "group" => valued!("RFC 5888 §5 group", |v| Group::parse(v).map(Self::Group)),
            "msid-semantic" => valued!("draft-ietf-mmusic-msid msid-semantic", |v| {
                MsidSemantic::parse(v).map(Self::MsidSemantic)
            }),
            "sctp-port" => valued!("RFC 8841 §5 sctp-port", |v| {
                grammar::u16_number(&v).map(Self::SctpPort)
            }),
            "max-message-size" => valued!("RFC 8841 §6 max-message-size", |v| {
                grammar::u64_number(&v).map(Self::MaxMessageSize)
            }),
            "rid" => valued!("RFC 8851 §10 rid", |v| Rid::parse(v).map(Self::Rid)),
            "simulcast" => valued!("RFC 8853 §5.1 simulcast", |v| {
                Simulcast::parse(v).map(Self::Simulcast)
            }),
            "sendrecv" => property!(Self::Direction(Direction::SendRecv)),
            "sendonly" => property!(Self::Direction(Direction::SendOnly)),
            "recvonly" => property!(Self::Direction(Direction::RecvOnly)),
            "inactive" => property!(Self::Direction(Direction::Inactive)),
            "rtcp-mux" => property!(Self::RtcpMux),
            "rtcp-rsize" => property!(Self::RtcpRsize),
            "extmap-allow-mixed" => property!(Self::ExtmapAllowMixed),
            "ice-lite" => property!(Self::IceLite),
            "end-of-candidates" => property!(Self::EndOfCandidates),
            "bundle-only" => property!(Self::BundleOnly),
            _ => {
                let oddity = if KNOWN_UNMODELLED.contains(&name.as_str()) {
                    Oddity::None
                } else {
                    Oddity::Unknown
                };
                Ok((Self::Other(RawAttribute { name, value }), oddity))
            }
        }
    }

    /// The attribute name as written after `a=`.
    pub fn name(&self) -> &str {
        match self {
            Self::Group(_) => "group",
            Self::MsidSemantic(_) => "msid-semantic",
            Self::ExtmapAllowMixed => "extmap-allow-mixed",
            Self::IceLite => "ice-lite",
            Self::IceUfrag(_) => "ice-ufrag",
            Self::IcePwd(_) => "ice-pwd",
            Self::IceOptions(_) => "ice-options",
            Self::Fingerprint(_) => "fingerprint",
            Self::Setup(_) => "setup",
            Self::Candidate(_) => "candidate",
            Self::EndOfCandidates => "end-of-candidates",
            Self::Mid(_) => "mid",
            Self::Direction(d) => d.as_str(),
            Self::BundleOnly => "bundle-only",
            Self::Msid(_) => "msid",
            Self::Ssrc(_) => "ssrc",
            Self::SsrcGroup(_) => "ssrc-group",
            Self::RtpMap(_) => "rtpmap",
            Self::Fmtp(_) => "fmtp",
            Self::RtcpFb(_) => "rtcp-fb",
            Self::ExtMap(_) => "extmap",
            Self::RtcpMux => "rtcp-mux",
            Self::RtcpRsize => "rtcp-rsize",
            Self::SctpPort(_) => "sctp-port",
            Self::MaxMessageSize(_) => "max-message-size",
            Self::Rid(_) => "rid",
            Self::Simulcast(_) => "simulcast",
            Self::Other(raw) => &raw.name,
        }
    }

    /// Writes the line's text after `a=` (name, and `:value` when there is one).
    pub(crate) fn write_value(&self, out: &mut String) {
        out.push_str(self.name());
        let value: Option<&str> = match self {
            Self::Group(v) => Some(v.value()),
            Self::MsidSemantic(v) => Some(v.value()),
            Self::IceUfrag(v) => Some(v.as_str()),
            Self::IcePwd(v) => Some(v.as_str()),
            Self::IceOptions(v) => Some(v.value()),
            Self::Fingerprint(v) => Some(v.value()),
            Self::Setup(v) => Some(v.as_str()),
            Self::Candidate(v) => Some(v.value()),
            Self::Mid(v) => Some(v.as_str()),
            Self::Msid(v) => Some(v.value()),
            Self::Ssrc(v) => Some(v.value()),
            Self::SsrcGroup(v) => Some(v.value()),
            Self::RtpMap(v) => Some(v.value()),
            Self::Fmtp(v) => Some(v.value()),
            Self::RtcpFb(v) => Some(v.value()),
            Self::ExtMap(v) => Some(v.value()),
            Self::Rid(v) => Some(v.value()),
            Self::Simulcast(v) => Some(v.value()),
            Self::SctpPort(port) => {
                out.push(':');
                push_number(out, u64::from(*port));
                return;
            }
            Self::MaxMessageSize(size) => {
                out.push(':');
                push_number(out, *size);
                return;
            }
            Self::Other(raw) => raw.value.as_deref(),
            Self::ExtmapAllowMixed
            | Self::IceLite
            | Self::EndOfCandidates
            | Self::Direction(_)
            | Self::BundleOnly
            | Self::RtcpMux
            | Self::RtcpRsize => None,
        };
        if let Some(value) = value {
            out.push(':');
            out.push_str(value);
        }
    }

    /// A verbatim attribute built by the caller. Name and value are checked for line safety,
    /// and the name must be a token (RFC 8866 §9 att-field).
    pub fn other(name: &str, value: Option<&str>) -> Result<Self, Error> {
        grammar::token(name).map_err(Error::value("attribute name"))?;
        if let Some(value) = value {
            line_safe(value).map_err(Error::value("attribute value"))?;
        }
        Ok(Self::Other(RawAttribute {
            name: name.to_owned(),
            value: value.map(str::to_owned),
        }))
    }
}

/// Validates caller-built value text the way parsed text is validated, after checking it
/// cannot break out of its line.
pub(crate) fn built<T>(
    what: &'static str,
    parse: fn(String) -> Result<T, &'static str>,
    value: String,
) -> Result<T, Error> {
    line_safe(&value).map_err(Error::value(what))?;
    parse(value).map_err(Error::value(what))
}

/// Decimal without allocation.
pub(crate) fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        // `n % 10` is below 10, so the cast cannot truncate.
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}
