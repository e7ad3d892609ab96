//! Text -> model: a bounded pre-scan, the RFC 8866 grammar by sdp-types, then the typed JSEP
//! reading and validation.
//!
//! 1. **Pre-scan** (one pass, no allocation): total size, line length, m-section and attribute
//!    counts against [`Limits`] — so hostile input is refused before anything big is built —
//!    plus the facts sdp-types would lose silently: unknown line types (it drops them), missing
//!    `o=`/`s=`/`t=` (it invents placeholders), LF endings, empty lines, line order.
//! 2. **sdp-types** parses the lines into owned strings.
//! 3. **Reading**: each attribute's strings are *moved* into a typed [`Attribute`] (or kept
//!    verbatim); the JSEP rules are checked on the way.

use std::collections::HashSet;

use tacet_transceiver_fsm::Mid;

use crate::attribute::{Attribute, Oddity, Reading};
use crate::error::{Error, LimitKind, Location, Warning, WarningKind};
use crate::model::{
    Attributes, Bandwidth, Connection, Key, MediaKind, MediaSection, Origin, Repeat, SdpType,
    SessionDescription, Time, TimeZone,
};

/// Bounds on what a parse accepts. Exceeding one is an [`Error::Limit`], never an OOM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Total size in bytes (default 16 MiB).
    pub max_bytes: usize,
    /// Longest line in bytes, without its line ending (default 16 KiB).
    pub max_line_length: usize,
    /// Most m-sections (default 4096).
    pub max_media_sections: usize,
    /// Most attribute lines in one section or at session level (default 4096).
    pub max_attributes_per_section: usize,
    /// Most attribute lines in total (default 1 Mi).
    pub max_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 16 << 20,
            max_line_length: 16 << 10,
            max_media_sections: 4096,
            max_attributes_per_section: 4096,
            max_attributes: 1 << 20,
        }
    }
}

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
        if sdp_type == SdpType::Rollback && text.trim().is_empty() {
            // webrtc-pc: a rollback's sdp is ignored; the empty string is the usual one.
            return Ok(Parsed {
                description: Self::rollback(),
                warnings: Vec::new(),
            });
        }
        let scan = scan(text, limits)?;
        let session = sdp_types::Session::parse(text.as_bytes()).map_err(|e| Error::Syntax {
            at: Location {
                line: parser_error_line(&e),
                ..Location::default()
            },
            message: e.to_string(),
        })?;
        let mut reader = Reader {
            text,
            warnings: scan.warnings(),
            warned_unknown: Vec::new(),
        };
        let description = reader.read_session(sdp_type, session)?;
        validate(&description, text)?;
        reader.check_media(&description);
        Ok(Parsed {
            description,
            warnings: reader.warnings,
        })
    }
}

// ---- 1. the pre-scan ----------------------------------------------------------------------

#[derive(Default)]
struct Scan {
    lf_only: bool,
    empty_lines: bool,
    no_final_eol: bool,
    out_of_order: bool,
}

impl Scan {
    fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (present, kind) in [
            (self.lf_only, WarningKind::LfLineEndings),
            (self.empty_lines, WarningKind::EmptyLines),
            (self.no_final_eol, WarningKind::NoFinalLineEnding),
            (self.out_of_order, WarningKind::LinesOutOfOrder),
        ] {
            if present {
                warnings.push(Warning {
                    at: Location::default(),
                    kind,
                });
            }
        }
        warnings
    }
}

/// RFC 8866 §5 order of the session-level lines (t and r alternate, hence equal ranks).
fn session_rank(letter: u8) -> Option<u8> {
    Some(match letter {
        b'v' => 0,
        b'o' => 1,
        b's' => 2,
        b'i' => 3,
        b'u' => 4,
        b'e' => 5,
        b'p' => 6,
        b'c' => 7,
        b'b' => 8,
        b't' | b'r' => 9,
        b'z' => 10,
        b'k' => 11,
        b'a' => 12,
        _ => return None,
    })
}

/// RFC 8866 §5 order inside a media description.
fn media_rank(letter: u8) -> Option<u8> {
    Some(match letter {
        b'i' => 1,
        b'c' => 2,
        b'b' => 3,
        b'k' => 4,
        b'a' => 5,
        _ => return None,
    })
}

fn scan(text: &str, limits: &Limits) -> Result<Scan, Error> {
    let bytes = text.as_bytes();
    let limit = |what, value, limit, line| Error::Limit {
        at: Location::line(line),
        what,
        value,
        limit,
    };
    if bytes.len() > limits.max_bytes {
        return Err(limit(LimitKind::Bytes, bytes.len(), limits.max_bytes, 1));
    }
    let mut out = Scan::default();
    let (mut media, mut section_attributes, mut attributes) = (0usize, 0usize, 0usize);
    let (mut seen_o, mut seen_s, mut seen_t) = (false, false, false);
    let mut rank = 0u8;
    let mut start = 0;
    let mut line_no = 0;
    while start < bytes.len() {
        line_no += 1;
        let (end, next) = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) => (start + i, start + i + 1),
            None => {
                out.no_final_eol = true;
                (bytes.len(), bytes.len())
            }
        };
        let mut line = &bytes[start..end];
        match line.split_last() {
            Some((b'\r', rest)) => line = rest,
            _ if next > end => out.lf_only = true,
            _ => {}
        }
        start = next;
        if line.len() > limits.max_line_length {
            return Err(limit(
                LimitKind::LineLength,
                line.len(),
                limits.max_line_length,
                line_no,
            ));
        }
        let letter = match line {
            [] => {
                out.empty_lines = true;
                continue;
            }
            [letter, b'=', ..] => *letter,
            // Not "x=": sdp-types reports the syntax error with this line number.
            _ => continue,
        };
        let line_rank = if media == 0 {
            session_rank(letter)
        } else {
            media_rank(letter)
        };
        match (letter, line_rank) {
            (b'm', _) => {
                media += 1;
                if media > limits.max_media_sections {
                    return Err(limit(
                        LimitKind::MediaSections,
                        media,
                        limits.max_media_sections,
                        line_no,
                    ));
                }
                section_attributes = 0;
                rank = 0;
                continue;
            }
            (_, None) if media > 0 && session_rank(letter).is_some() => {
                // A session-only line (o, s, t, ...) inside a media section: sdp-types
                // ignores it, so it would vanish. Refuse.
                return Err(Error::Syntax {
                    at: Location::line(line_no),
                    message: format!("{:?} line inside a media section", char::from(letter)),
                });
            }
            (_, None) => {
                return Err(Error::UnknownLineType {
                    at: Location::line(line_no),
                    letter: char::from(letter),
                });
            }
            (_, Some(r)) => {
                out.out_of_order |= r < rank;
                rank = r;
            }
        }
        match letter {
            b'o' => seen_o = true,
            b's' => seen_s = true,
            b't' => seen_t = true,
            b'a' => {
                section_attributes += 1;
                attributes += 1;
                if section_attributes > limits.max_attributes_per_section {
                    return Err(limit(
                        LimitKind::AttributesPerSection,
                        section_attributes,
                        limits.max_attributes_per_section,
                        line_no,
                    ));
                }
                if attributes > limits.max_attributes {
                    return Err(limit(
                        LimitKind::Attributes,
                        attributes,
                        limits.max_attributes,
                        line_no,
                    ));
                }
            }
            _ => {}
        }
    }
    // sdp-types invents placeholders for these; JSEP descriptions always have them.
    for (seen, letter) in [(seen_o, 'o'), (seen_s, 's'), (seen_t, 't')] {
        if !seen && line_no > 0 {
            return Err(Error::MissingLine {
                at: Location::default(),
                letter,
            });
        }
    }
    Ok(out)
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
                nettype: o.nettype.as_str().to_owned(),
                addrtype: o.addrtype.as_str().to_owned(),
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
        Ok(MediaSection {
            kind: MediaKind::from_token(m.media),
            port: m.port,
            num_ports: m.num_ports,
            proto: m.proto,
            formats: m.fmt,
            title: m.media_title,
            connections: m.connections.into_iter().map(connection).collect(),
            bandwidths: m.bandwidths.into_iter().map(bandwidth).collect(),
            key: m.key.map(key),
            attributes: self.read_attributes(Some(index), m.attributes)?,
        })
    }

    fn read_attributes(
        &mut self,
        section: Option<usize>,
        raw: Vec<sdp_types::Attribute>,
    ) -> Result<Attributes, Error> {
        let mut out = Vec::with_capacity(raw.len());
        let mut seen = Once::default();
        for (index, a) in raw.into_iter().enumerate() {
            let reading = Attribute::read(a.attribute, a.value).map_err(|refused| {
                Error::InvalidAttribute {
                    at: self.at(section, Some(index)),
                    name: refused.name,
                    reason: refused.reason,
                    rule: refused.rule,
                }
            })?;
            let attribute = match reading {
                Reading::Typed(attribute) => attribute,
                Reading::Kept(attribute, oddity) => {
                    self.note(section, index, &attribute, oddity);
                    attribute
                }
            };
            if let Some(name) = seen.second(&attribute) {
                return Err(Error::Conflicting {
                    at: self.at(section, Some(index)),
                    name: name.to_owned(),
                    rule: "RFC 8866 §6 / RFC 3264 §5.1: this attribute appears at most once",
                });
            }
            out.push(attribute);
        }
        Ok(Attributes(out))
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

    fn at(&self, section: Option<usize>, index: Option<usize>) -> Location {
        let line = locate(self.text, section, index);
        match section {
            Some(s) => Location::section(s, None).with_line(line),
            None => Location::default().with_line(line),
        }
    }

    /// Per-section warnings that need the whole section (payload-type lists, mids).
    fn check_media(&mut self, description: &SessionDescription) {
        let text = self.text;
        for (index, m) in description.media.iter().enumerate() {
            let at =
                || Location::section(index, m.mid()).with_line(locate(text, Some(index), None));
            if m.mid().is_none() {
                let at = at();
                self.warnings.push(Warning {
                    at,
                    kind: WarningKind::MissingMid,
                });
            }
            if m.is_data() && m.attributes.direction().is_some() {
                let at = at();
                self.warnings.push(Warning {
                    at,
                    kind: WarningKind::DirectionOnData,
                });
            }
            if !m.is_rtp() {
                continue;
            }
            let mut listed = [0u128; 1];
            for pt in m.payload_types().filter(|pt| *pt < 128) {
                listed[0] |= 1 << pt;
            }
            let is_listed = |pt: u8| listed[0] & (1 << pt) != 0;
            let unlisted = m
                .attributes
                .rtpmaps()
                .map(|a| ("rtpmap", Some(a.payload_type())))
                .chain(m.attributes.fmtps().map(|a| ("fmtp", a.payload_type())))
                .chain(
                    m.attributes
                        .rtcp_fbs()
                        .map(|a| ("rtcp-fb", a.payload_type())),
                )
                .filter_map(|(attribute, pt)| {
                    pt.filter(|pt| !is_listed(*pt)).map(|pt| (attribute, pt))
                });
            let found: Vec<_> = unlisted.collect();
            for (attribute, payload_type) in found {
                let at = at();
                self.warnings.push(Warning {
                    at,
                    kind: WarningKind::UnlistedPayloadType {
                        attribute,
                        payload_type,
                    },
                });
            }
        }
    }
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

impl Once {
    /// The attribute's name if it is the second of its kind.
    fn second(&mut self, attribute: &Attribute) -> Option<&'static str> {
        let (flag, name) = match attribute {
            Attribute::Mid(_) => (&mut self.mid, "mid"),
            Attribute::Direction(_) => (&mut self.direction, "sendrecv/sendonly/recvonly/inactive"),
            Attribute::Setup(_) => (&mut self.setup, "setup"),
            Attribute::IceUfrag(_) => (&mut self.ufrag, "ice-ufrag"),
            Attribute::IcePwd(_) => (&mut self.pwd, "ice-pwd"),
            Attribute::SctpPort(_) => (&mut self.sctp_port, "sctp-port"),
            Attribute::MaxMessageSize(_) => (&mut self.max_message_size, "max-message-size"),
            Attribute::MsidSemantic(_) => (&mut self.msid_semantic, "msid-semantic"),
            _ => return None,
        };
        std::mem::replace(flag, true).then_some(name)
    }
}

/// Rules across sections: unique mids, BUNDLE groups naming existing mids once, and a mid on
/// every section when BUNDLE is used.
pub(crate) fn validate(description: &SessionDescription, text: &str) -> Result<(), Error> {
    let section_at = |index: usize, mid: Option<&Mid>| {
        Location::section(index, mid).with_line(locate(text, Some(index), None))
    };
    let mut mids: HashSet<&str> = HashSet::with_capacity(description.media.len());
    for (index, m) in description.media.iter().enumerate() {
        if let Some(mid) = m.mid()
            && !mids.insert(mid.as_str())
        {
            return Err(Error::DuplicateMid {
                at: section_at(index, Some(mid)),
                mid: mid.clone(),
            });
        }
    }
    let mut bundled: HashSet<&str> = HashSet::new();
    let mut any_bundle = false;
    for group in description.bundle_groups() {
        any_bundle = true;
        for mid in group.mids() {
            let at = || Location::default().with_line(locate(text, None, None));
            if !mids.contains(mid) {
                return Err(Error::BundleUnknownMid {
                    at: at(),
                    mid: mid.to_owned(),
                });
            }
            if !bundled.insert(mid) {
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
        nettype: c.nettype.as_str().to_owned(),
        addrtype: c.addrtype.as_str().to_owned(),
        address: c.connection_address,
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
