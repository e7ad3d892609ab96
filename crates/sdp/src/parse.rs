//! Text -> model: a bounded pre-scan, the RFC 8866 grammar by sdp-types, then the typed JSEP
//! reading and validation.
//!
//! 1. **Pre-scan** (`scan.rs`: one pass, no allocation): the text against [`Limits`], so
//!    hostile input is refused before anything big is built, and the facts sdp-types would lose
//!    silently (unknown line types, missing `o=`/`s=`/`t=`, LF endings, empty lines, order).
//! 2. **sdp-types** parses the lines into owned strings.
//! 3. **Reading**: each attribute's strings are *moved* into a typed [`Attribute`] (or kept
//!    verbatim); the JSEP rules are checked on the way.
//!
//! On the fast path (`layout.rs`), for a text within the line limit, step 2 comes first and a
//! walk over its result stands in for step 1, handing anything unusual back to the pre-scan:
//! the results, errors included, are those of the order above.

use std::borrow::Cow;

use crate::attribute::grammar::is_token_char;
use crate::attribute::{Attribute, Oddity};
use crate::error::{Error, Location, Warning, WarningKind};
use crate::layout::{fast_path_allowed, layout};
use crate::model::{
    Attributes, Bandwidth, Connection, Key, MediaKind, MediaSection, Origin, Repeat, SdpType,
    SessionDescription, Time, TimeZone,
};
use crate::scan::{Limits, scan};
use crate::vocab::Mid;

/// A successful parse: the description and the warnings collected on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The description.
    pub description: SessionDescription,
    /// Harmless oddities, in input order.
    pub warnings: Vec<Warning>,
}

impl SessionDescription {
    /// Parses `text` as a description of type `sdp_type`, with the default [`Limits`].
    pub fn parse(sdp_type: SdpType, text: &str) -> Result<Parsed, Error> {
        Self::parse_with(sdp_type, text, &Limits::default())
    }

    /// Parses with explicit limits. On error nothing is returned but the error.
    pub fn parse_with(sdp_type: SdpType, text: &str, limits: &Limits) -> Result<Parsed, Error> {
        if sdp_type == SdpType::Rollback {
            // webrtc-pc: a rollback's sdp is ignored (the empty string is the usual one).
            return Ok(Parsed {
                description: Self::rollback(),
                warnings: Vec::new(),
            });
        }
        // The pre-scan first, unless the fast path may let sdp-types parse first (`layout.rs`).
        let scanned = if fast_path_allowed(text, limits) {
            None
        } else {
            Some(scan(text, limits)?)
        };
        let session = match sdp_types::Session::parse(text.as_bytes()) {
            Ok(session) => session,
            Err(e) => {
                // What the pre-scan refuses is reported before any syntax error, as always.
                if scanned.is_none() {
                    scan(text, limits)?;
                }
                return Err(Error::Syntax {
                    at: Location {
                        line: parser_error_line(&e),
                        ..Location::default()
                    },
                    message: e.to_string(),
                });
            }
        };
        // The mid table for `validate`, allocated now: a large allocation made after the
        // reader has freed sdp-types' many small strings makes glibc consolidate them all
        // first (a third of tacet's overhead over sdp-types at 200 sections, in callgrind).
        let mut mids = MidTable::with_capacity(session.medias.len());
        let layout_facts = match scanned {
            Some(facts) => facts,
            None => match layout(&session, text, limits) {
                Some(facts) => facts,
                None => scan(text, limits)?,
            },
        };
        let mut reader = Reader {
            text,
            warnings: layout_facts.warnings(),
            warned_unknown: Vec::new(),
        };
        let description = reader.read_session(sdp_type, session)?;
        validate(&description, text, &mut mids)?;
        Ok(Parsed {
            description,
            warnings: reader.warnings,
        })
    }
}

#[expect(
    deprecated,
    reason = "sdp-types still defines, but no longer returns, these variants"
)]
fn parser_error_line(e: &sdp_types::ParserError) -> Option<usize> {
    use sdp_types::ParserError as P;
    match e {
        P::UnexpectedLine(n, _)
        | P::InvalidLineFormat(n, _)
        | P::InvalidFieldEncoding(n, _)
        | P::InvalidFieldFormat(n, _)
        | P::MissingField(n, _)
        | P::FieldTrailingData(n, _)
        | P::InvalidVersion(n, _)
        | P::MultipleVersions(n)
        | P::MultipleOrigins(n)
        | P::MultipleSessionNames(n)
        | P::MultipleSessionDescription(n)
        | P::MultipleUris(n)
        | P::MultipleConnections(n)
        | P::MultipleTimeZones(n)
        | P::MultipleMediaTitles(n)
        | P::MultipleKeys(n)
        | P::RepeatWithoutTime(n) => Some(*n),
        P::NoVersion | P::NoOrigin | P::NoSessionName => Some(1),
    }
}

// ---- line numbers, found only when needed ---------------------------------------------------

/// The 1-based line of the `index`-th `a=` line of `section` (`None` = session level), or of
/// the `m=` line of `section` when `index` is `None`. Computed by scanning only when an error or
/// warning needs it, so the fast path pays nothing.
pub(crate) fn locate(text: &str, section: Option<usize>, index: Option<usize>) -> Option<usize> {
    let mut current: Option<usize> = None;
    let mut attribute = 0;
    for (n, line) in text.split('\n').enumerate() {
        match line.as_bytes().first() {
            Some(b'm') => {
                current = Some(current.map_or(0, |c| c + 1));
                attribute = 0;
                if current == section && index.is_none() {
                    return Some(n + 1);
                }
            }
            Some(b'a') if current == section => {
                if Some(attribute) == index {
                    return Some(n + 1);
                }
                attribute += 1;
            }
            _ => {}
        }
    }
    None
}

/// The value of the first well-formed `a=mid` line of `section`, if any.
fn section_mid(text: &str, section: usize) -> Option<&str> {
    let mut current: Option<usize> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with("m=") {
            current = Some(current.map_or(0, |c| c + 1));
        } else if current == Some(section)
            && let Some(mid) = line.strip_prefix("a=mid:")
            && crate::attribute::grammar::token(mid).is_ok()
        {
            return Some(mid);
        }
    }
    None
}

// ---- 3. reading -----------------------------------------------------------------------------

struct Reader<'t> {
    text: &'t str,
    warnings: Vec<Warning>,
    /// Unknown attribute names already warned about (one warning per name, not per line).
    warned_unknown: Vec<String>,
}

impl Reader<'_> {
    fn read_session(
        &mut self,
        sdp_type: SdpType,
        session: sdp_types::Session,
    ) -> Result<SessionDescription, Error> {
        let o = session.origin;
        let attributes = self.read_attributes(None, session.attributes)?;
        let mut media = Vec::with_capacity(session.medias.len());
        for (index, m) in session.medias.into_iter().enumerate() {
            media.push(self.read_media(index, m)?);
        }
        Ok(SessionDescription {
            sdp_type,
            origin: Origin {
                username: o.username.unwrap_or_else(|| "-".to_owned()),
                session_id: o.sess_id,
                session_version: o.sess_version,
                nettype: net_type(o.nettype),
                addrtype: address_type(o.addrtype),
                address: o.unicast_address,
            },
            session_name: session.session_name,
            info: session.session_description,
            uri: session.uri,
            emails: session.emails,
            phones: session.phones,
            connection: session.connection.map(connection),
            bandwidths: session.bandwidths.into_iter().map(bandwidth).collect(),
            times: session
                .times
                .into_iter()
                .map(|t| Time {
                    start: t.start_time,
                    stop: t.stop_time,
                    repeats: t
                        .repeats
                        .into_iter()
                        .map(|r| Repeat {
                            interval: r.repeat_interval,
                            duration: r.active_duration,
                            offsets: r.offsets,
                        })
                        .collect(),
                })
                .collect(),
            time_zones: session
                .time_zones
                .into_iter()
                .map(|z| TimeZone {
                    adjustment: z.adjustment_time,
                    offset: z.offset,
                })
                .collect(),
            key: session.key.map(key),
            attributes,
            media,
        })
    }

    fn read_media(&mut self, index: usize, m: sdp_types::Media) -> Result<MediaSection, Error> {
        if let Some(message) = m_line_problem(&m.media, &m.proto, &m.fmt) {
            return Err(Error::Syntax {
                at: Location::section(index, None).with_line(locate(self.text, Some(index), None)),
                message: message.to_owned(),
            });
        }
        let kind = MediaKind::from_token(m.media);
        // The payload types on the m-line, as a bit set, for the per-attribute check below
        // (RTP sections only; others list formats, not payload types).
        let listed = m.proto.contains("RTP/").then(|| payload_type_set(&m.fmt));
        let is_data = kind == MediaKind::Application && m.proto.ends_with("DTLS/SCTP");
        let facts = SectionFacts {
            index,
            listed,
            is_data,
        };
        let attributes = self.read_attributes(Some(facts), m.attributes)?;
        Ok(MediaSection {
            kind,
            port: m.port,
            num_ports: m.num_ports,
            proto: m.proto,
            formats: m.fmt,
            title: m.media_title,
            connections: m.connections.into_iter().map(connection).collect(),
            bandwidths: m.bandwidths.into_iter().map(bandwidth).collect(),
            key: m.key.map(key),
            attributes,
        })
    }

    fn read_attributes(
        &mut self,
        facts: Option<SectionFacts>,
        raw: Vec<sdp_types::Attribute>,
    ) -> Result<Attributes, Error> {
        let section = facts.map(|f| f.index);
        let mut seen = Once::default();
        // `Attribute` is as large as sdp-types' attribute, so this collect reuses the input
        // vector's allocation in place: no allocation per section.
        let out = raw
            .into_iter()
            .enumerate()
            .map(|(index, a)| {
                let (attribute, oddity) =
                    Attribute::read(a.attribute, a.value).map_err(|refused| {
                        Error::InvalidAttribute {
                            at: self.at(section, Some(index)),
                            name: refused.name,
                            reason: refused.reason,
                            rule: refused.rule,
                        }
                    })?;
                if oddity != Oddity::None {
                    self.note(section, index, &attribute, oddity);
                }
                // One match for the per-attribute rules: at most once, and payload types on
                // the m-line.
                let (once, payload_type) = match &attribute {
                    Attribute::RtcpFb(fb) => (None, fb.payload_type()),
                    Attribute::RtpMap(m) => (None, Some(m.payload_type())),
                    Attribute::Fmtp(f) => (None, f.payload_type()),
                    Attribute::Mid(_) => (Some((&mut seen.mid, "mid")), None),
                    Attribute::Direction(_) => (
                        Some((&mut seen.direction, "sendrecv/sendonly/recvonly/inactive")),
                        None,
                    ),
                    Attribute::Setup(_) => (Some((&mut seen.setup, "setup")), None),
                    Attribute::IceUfrag(_) => (Some((&mut seen.ufrag, "ice-ufrag")), None),
                    Attribute::IcePwd(_) => (Some((&mut seen.pwd, "ice-pwd")), None),
                    Attribute::SctpPort(_) => (Some((&mut seen.sctp_port, "sctp-port")), None),
                    Attribute::MaxMessageSize(_) => {
                        (Some((&mut seen.max_message_size, "max-message-size")), None)
                    }
                    Attribute::MsidSemantic(_) => {
                        (Some((&mut seen.msid_semantic, "msid-semantic")), None)
                    }
                    _ => (None, None),
                };
                if let Some((flag, name)) = once
                    && std::mem::replace(flag, true)
                {
                    return Err(Error::Conflicting {
                        at: self.at(section, Some(index)),
                        name: name.to_owned(),
                        rule: "RFC 8866 §6 / RFC 3264 §5.1: this attribute appears at most once",
                    });
                }
                if let (
                    Some(pt),
                    Some(SectionFacts {
                        listed: Some(listed),
                        ..
                    }),
                ) = (payload_type, facts)
                    && listed & (1 << pt) == 0
                {
                    self.unlisted(section, index, &attribute, pt);
                }
                Ok(attribute)
            })
            .collect::<Result<Vec<Attribute>, Error>>()?;
        if let Some(facts) = facts {
            let at = |reader: &Self| {
                Location::section(facts.index, None).with_line(locate(reader.text, section, None))
            };
            if !seen.mid {
                let at = at(self);
                self.warnings.push(Warning {
                    at,
                    kind: WarningKind::MissingMid,
                });
            }
            if facts.is_data && seen.direction {
                let at = at(self);
                self.warnings.push(Warning {
                    at,
                    kind: WarningKind::DirectionOnData,
                });
            }
        }
        Ok(Attributes(out))
    }

    /// An rtpmap, fmtp or rtcp-fb for a payload type missing from the m-line: a warning.
    #[cold]
    fn unlisted(&mut self, section: Option<usize>, index: usize, a: &Attribute, payload_type: u8) {
        let attribute = match a {
            Attribute::RtpMap(_) => "rtpmap",
            Attribute::Fmtp(_) => "fmtp",
            _ => "rtcp-fb",
        };
        let at = self.at(section, Some(index));
        self.warnings.push(Warning {
            at,
            kind: WarningKind::UnlistedPayloadType {
                attribute,
                payload_type,
            },
        });
    }

    fn note(
        &mut self,
        section: Option<usize>,
        index: usize,
        attribute: &Attribute,
        oddity: Oddity,
    ) {
        let name = attribute.name();
        let kind = match oddity {
            Oddity::None => return,
            Oddity::Unknown if self.warned_unknown.iter().any(|n| n == name) => return,
            Oddity::Unknown => {
                self.warned_unknown.push(name.to_owned());
                WarningKind::UnknownAttribute {
                    name: name.to_owned(),
                }
            }
            Oddity::ValueOnProperty => WarningKind::ValueOnProperty {
                name: name.to_owned(),
            },
        };
        let at = self.at(section, Some(index));
        self.warnings.push(Warning { at, kind });
    }

    /// Where attribute `index` of `section` is: its line, and the section's mid when the
    /// section has a readable one (looked up in the text: this only runs for errors and
    /// warnings).
    fn at(&self, section: Option<usize>, index: Option<usize>) -> Location {
        let line = locate(self.text, section, index);
        match section {
            Some(s) => {
                let mid = section_mid(self.text, s).map(Mid::from);
                Location::section(s, mid.as_ref()).with_line(line)
            }
            None => Location::default().with_line(line),
        }
    }
}

/// What the attribute reader needs to know about the section it reads.
#[derive(Clone, Copy)]
struct SectionFacts {
    index: usize,
    /// The m-line's payload types as a bit set, for RTP sections.
    listed: Option<u128>,
    is_data: bool,
}

/// Counts the attributes that may appear at most once per section.
#[derive(Default)]
struct Once {
    mid: bool,
    direction: bool,
    setup: bool,
    ufrag: bool,
    pwd: bool,
    sctp_port: bool,
    max_message_size: bool,
    msid_semantic: bool,
}

/// RFC 8866 §9: `media-field = %s"m" "=" token SP port ["/" integer] SP proto 1*(SP fmt)`
/// with `proto = token *("/" token)` and `fmt = token`. sdp-types lets an empty media type,
/// proto or format list through (and a trailing space or a byte outside token-char), and a
/// section built in code can hold anything; neither could be written back as SDP, and the
/// builder refuses the same values, so a section that passes can always be answered.
pub(crate) fn m_line_problem(media: &str, proto: &str, formats: &str) -> Option<&'static str> {
    if !tokens_separated_by(media, None) {
        Some("the media type is not a token")
    } else if !tokens_separated_by(proto, Some(b'/')) {
        Some("the transport protocol is not a list of tokens separated by \"/\"")
    } else if !tokens_separated_by(formats, Some(b' ')) {
        Some("the m= line needs at least one format, each a token, separated by single spaces")
    } else {
        None
    }
}

/// The formats of an RTP m= line that are payload types (decimal numbers below 128), as a bit
/// set. One pass over the bytes (the line was checked: tokens separated by single spaces);
/// a format is a number as `str::parse::<u8>` reads one (an optional `+`, leading zeros).
fn payload_type_set(formats: &str) -> u128 {
    let mut set = 0u128;
    for format in formats.as_bytes().split(|&b| b == b' ') {
        let digits = format.strip_prefix(b"+").unwrap_or(format);
        if digits.is_empty() {
            continue;
        }
        let mut value: u32 = 0;
        let mut number = true;
        for &b in digits {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 || value >= 128 {
                number = false;
                break;
            }
            value = value * 10 + u32::from(digit);
        }
        if number && value < 128 {
            set |= 1 << value;
        }
    }
    set
}

/// Whether `s` is one or more non-empty tokens separated by single `separator` bytes (one
/// token when there is no separator). One pass over the bytes: a Chromium video m= line lists
/// some twenty formats, and this runs for every section.
fn tokens_separated_by(s: &str, separator: Option<u8>) -> bool {
    let mut previous_was_separator = true;
    for b in s.bytes() {
        if Some(b) == separator {
            if previous_was_separator {
                return false;
            }
            previous_was_separator = true;
        } else if is_token_char(b) {
            previous_was_separator = false;
        } else {
            return false;
        }
    }
    !previous_was_separator
}

/// Scratch space for [`validate`]: each section's mid and index, sorted by mid, and whether a
/// BUNDLE group has named it yet. Sorted rather than hashed: no hasher to seed for a handful
/// of mids, and O(n log n) whatever mids a peer chooses.
pub(crate) type MidTable<'d> = Vec<(&'d str, usize, bool)>;

/// Rules across sections: unique mids, BUNDLE groups naming existing mids once, and a mid on
/// every section when BUNDLE is used. `mids` is empty on entry (allocated by the caller, see
/// `parse_with`).
pub(crate) fn validate<'d>(
    description: &'d SessionDescription,
    text: &str,
    mids: &mut MidTable<'d>,
) -> Result<(), Error> {
    let section_at = |index: usize, mid: Option<&Mid>| {
        Location::section(index, mid).with_line(locate(text, Some(index), None))
    };
    mids.extend(
        description
            .media
            .iter()
            .enumerate()
            .filter_map(|(index, m)| Some((m.mid()?.as_str(), index, false))),
    );
    mids.sort_unstable();
    // The first section, in order, whose mid an earlier section has: in each run of equal
    // mids (sorted by index) every entry but the first.
    if let Some((index, mid)) = mids
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| (pair[1].1, pair[1].0))
        .min()
    {
        let mid = Mid::from(mid);
        return Err(Error::DuplicateMid {
            at: section_at(index, Some(&mid)),
            mid,
        });
    }
    let mut any_bundle = false;
    for group in description.bundle_groups() {
        any_bundle = true;
        for mid in group.mids() {
            let at = || Location::default().with_line(locate(text, None, None));
            let Ok(found) = mids.binary_search_by(|(m, _, _)| (*m).cmp(mid)) else {
                return Err(Error::BundleUnknownMid {
                    at: at(),
                    mid: mid.to_owned(),
                });
            };
            if std::mem::replace(&mut mids[found].2, true) {
                return Err(Error::BundleDuplicateMid {
                    at: at(),
                    mid: mid.to_owned(),
                });
            }
        }
    }
    if any_bundle && let Some(index) = description.media.iter().position(|m| m.mid().is_none()) {
        return Err(Error::MissingMidInBundle {
            at: section_at(index, None),
        });
    }
    Ok(())
}

fn connection(c: sdp_types::Connection) -> Connection {
    Connection {
        nettype: net_type(c.nettype),
        addrtype: address_type(c.addrtype),
        address: c.connection_address,
    }
}

/// The RFC 8866 §5.7 network types borrow a static name; only others keep their string.
fn net_type(t: sdp_types::NetType) -> Cow<'static, str> {
    use sdp_types::NetType as N;
    match t {
        N::In => Cow::Borrowed("IN"),
        N::Tn => Cow::Borrowed("TN"),
        N::Atm => Cow::Borrowed("ATM"),
        N::Pstn => Cow::Borrowed("PSTN"),
        N::Other(other) => Cow::Owned(other),
    }
}

/// `IP4` and `IP6` borrow a static name; only other address types keep their string.
fn address_type(t: sdp_types::AddrType) -> Cow<'static, str> {
    use sdp_types::AddrType as A;
    match t {
        A::Ip4 => Cow::Borrowed("IP4"),
        A::Ip6 => Cow::Borrowed("IP6"),
        A::Other(other) => Cow::Owned(other),
    }
}

fn bandwidth(b: sdp_types::Bandwidth) -> Bandwidth {
    Bandwidth {
        kind: b.bwtype,
        value: b.bandwidth,
    }
}

fn key(k: sdp_types::Key) -> Key {
    Key {
        method: k.method,
        key: k.encryption_key,
    }
}

#[cfg(test)]
mod tests {
    use super::{payload_type_set, tokens_separated_by};

    /// The byte loops agree with the `str` methods they replaced.
    #[test]
    fn byte_loops_agree_with_the_str_methods() {
        let by_parse = |formats: &str| {
            formats
                .split(' ')
                .filter_map(|f| f.parse::<u8>().ok())
                .filter(|pt| *pt < 128)
                .fold(0u128, |set, pt| set | 1 << pt)
        };
        for formats in [
            "111 63 9 0 8 13 110 126",
            "96 97 127 128 255 256 0127 +5 + -5 x 007 99999999999",
            "webrtc-datachannel",
            "0",
        ] {
            assert_eq!(payload_type_set(formats), by_parse(formats), "{formats:?}");
        }
        let by_split = |s: &str, separator: char| {
            s.split(separator)
                .all(|t| !t.is_empty() && t.bytes().all(crate::attribute::grammar::is_token_char))
        };
        for s in [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\u{d2}",
            "UDP/TLS/RTP/SAVPF",
            "UDP//RTP",
        ] {
            assert_eq!(
                tokens_separated_by(s, Some(b' ')),
                by_split(s, ' '),
                "{s:?}"
            );
            assert_eq!(
                tokens_separated_by(s, Some(b'/')),
                by_split(s, '/'),
                "{s:?}"
            );
        }
        assert!(!tokens_separated_by("", None));
        assert!(!tokens_separated_by("a b", None));
        assert!(tokens_separated_by("audio", None));
    }
}
