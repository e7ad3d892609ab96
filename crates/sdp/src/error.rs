//! Errors (fatal: the description is refused) and warnings (kept, but worth knowing).
//!
//! Every error says where (line, m-section index, mid when known), which rule, and who is at
//! fault: an error in a parsed description is the fault of whoever wrote the SDP — the
//! [`Fault::Peer`] for a remote description; the session re-attributes it to the caller for a
//! local one. Builder misuse is the caller's.

use std::fmt;

use crate::vocab::{Fault, Mid};

/// Where in a description something was found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    /// 1-based line number in the input, when the problem comes from parsed text.
    pub line: Option<usize>,
    /// 0-based m-section index, when the problem is inside one.
    pub section: Option<usize>,
    /// The section's mid, when it has one.
    pub mid: Option<Mid>,
}

impl Location {
    pub(crate) fn line(line: usize) -> Self {
        Self {
            line: Some(line),
            ..Self::default()
        }
    }

    pub(crate) fn section(section: usize, mid: Option<&Mid>) -> Self {
        Self {
            line: None,
            section: Some(section),
            mid: mid.cloned(),
        }
    }

    pub(crate) fn with_line(mut self, line: Option<usize>) -> Self {
        self.line = line.or(self.line);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(line) = self.line {
            write!(f, "line {line}")?;
            sep = ", ";
        }
        if let Some(section) = self.section {
            write!(f, "{sep}m-section {section}")?;
            sep = ", ";
        }
        if let Some(mid) = &self.mid {
            write!(f, "{sep}mid {mid}")?;
            sep = ", ";
        }
        if sep.is_empty() {
            f.write_str("session")?;
        }
        Ok(())
    }
}

/// Which limit of [`Limits`](crate::Limits) was exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitKind {
    /// Total size in bytes.
    Bytes,
    /// Length of one line in bytes.
    LineLength,
    /// Number of m-sections.
    MediaSections,
    /// Number of attribute lines in one section (or at session level).
    AttributesPerSection,
    /// Number of attribute lines in total.
    Attributes,
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bytes => "size in bytes",
            Self::LineLength => "line length",
            Self::MediaSections => "number of m-sections",
            Self::AttributesPerSection => "number of attributes in one section",
            Self::Attributes => "number of attributes",
        })
    }
}

/// A refused description or builder input. Nothing was produced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text breaks the RFC 8866 grammar (reported by sdp-types or the pre-scan).
    #[error("{at}: SDP syntax: {message} (RFC 8866 §9)")]
    Syntax {
        /// Where.
        at: Location,
        /// What sdp-types or the scan said.
        message: String,
    },
    /// A configured limit was exceeded; parsing stopped before building anything big.
    #[error("{at}: {what} {value} exceeds the limit {limit}")]
    Limit {
        /// Where.
        at: Location,
        /// Which limit.
        what: LimitKind,
        /// The value seen (at least).
        value: usize,
        /// The configured limit.
        limit: usize,
    },
    /// A line type letter RFC 8866 does not define (sdp-types would drop it silently).
    #[error(
        "{at}: unknown line type {letter:?} (RFC 8866 §5: a description with an unknown type letter is rejected)"
    )]
    UnknownLineType {
        /// Where.
        at: Location,
        /// The letter.
        letter: char,
    },
    /// A required line is missing.
    #[error("{at}: missing the required {letter}= line (RFC 8866 §5)")]
    MissingLine {
        /// Where.
        at: Location,
        /// The line type.
        letter: char,
    },
    /// A modelled attribute has an invalid value.
    #[error("{at}: invalid a={name}: {reason} ({rule})")]
    InvalidAttribute {
        /// Where.
        at: Location,
        /// The attribute name.
        name: String,
        /// What is wrong.
        reason: &'static str,
        /// The rule.
        rule: &'static str,
    },
    /// An attribute that may appear once appears twice with conflicting meaning
    /// (two `a=mid`, two direction attributes, two `a=setup`, ...).
    #[error("{at}: more than one a={name} in one section ({rule})")]
    Conflicting {
        /// Where.
        at: Location,
        /// The attribute.
        name: String,
        /// The rule.
        rule: &'static str,
    },
    /// Two sections share a mid.
    #[error("{at}: duplicate a=mid:{mid} (RFC 5888 §4: identification-tags are unique)")]
    DuplicateMid {
        /// The second section with it.
        at: Location,
        /// The mid.
        mid: Mid,
    },
    /// A BUNDLE group names a mid no section has.
    #[error("{at}: a=group:BUNDLE names unknown mid {mid} (RFC 5888 §5 / RFC 9143 §7)")]
    BundleUnknownMid {
        /// Where.
        at: Location,
        /// The mid.
        mid: String,
    },
    /// A BUNDLE group lists a mid twice, or two BUNDLE groups share one.
    #[error(
        "{at}: mid {mid} appears twice in BUNDLE groups (RFC 9143 §7: an m-section is in at most one group)"
    )]
    BundleDuplicateMid {
        /// Where.
        at: Location,
        /// The mid.
        mid: String,
    },
    /// A section without a mid in a description that uses BUNDLE.
    #[error(
        "{at}: m-line without a=mid in a description with a BUNDLE group (RFC 9143 §7.2, RFC 9429 §5.2.1)"
    )]
    MissingMidInBundle {
        /// Where.
        at: Location,
    },
    /// An answer does not match the offer it answers (checked by
    /// [`SessionDescription::check_answer`](crate::SessionDescription::check_answer)).
    #[error("{at}: answer does not match the offer: {reason} ({rule})")]
    AnswerMismatch {
        /// Where.
        at: Location,
        /// What differs.
        reason: String,
        /// The rule.
        rule: &'static str,
    },
    /// A subsequent description changed its origin or lowered its version (checked by
    /// [`SessionDescription::check_follows`](crate::SessionDescription::check_follows)).
    #[error("{at}: {reason} ({rule})")]
    OriginMismatch {
        /// Where.
        at: Location,
        /// What changed.
        reason: String,
        /// The rule.
        rule: &'static str,
    },
    /// A builder was given a value that cannot be written (caller fault).
    #[error("invalid {what}: {reason}")]
    InvalidValue {
        /// What was being built.
        what: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
}

impl Error {
    /// Who is at fault: the SDP's author for everything parsed, the caller for builders.
    pub fn fault(&self) -> Fault {
        match self {
            Self::InvalidValue { .. } => Fault::Caller,
            _ => Fault::Peer,
        }
    }

    /// The rule broken.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Syntax { .. } => "RFC 8866 §9",
            Self::Limit { .. } => "tacet limits (hostile input bound)",
            Self::UnknownLineType { .. } | Self::MissingLine { .. } => "RFC 8866 §5",
            Self::InvalidAttribute { rule, .. }
            | Self::Conflicting { rule, .. }
            | Self::AnswerMismatch { rule, .. }
            | Self::OriginMismatch { rule, .. } => rule,
            Self::DuplicateMid { .. } => "RFC 5888 §4",
            Self::BundleUnknownMid { .. } => "RFC 5888 §5",
            Self::BundleDuplicateMid { .. } => "RFC 9143 §7",
            Self::MissingMidInBundle { .. } => "RFC 9143 §7.2",
            Self::InvalidValue { .. } => "RFC 8866 §5 (builder input)",
        }
    }

    /// Where, when the error comes from a description.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::Syntax { at, .. }
            | Self::Limit { at, .. }
            | Self::UnknownLineType { at, .. }
            | Self::MissingLine { at, .. }
            | Self::InvalidAttribute { at, .. }
            | Self::Conflicting { at, .. }
            | Self::DuplicateMid { at, .. }
            | Self::BundleUnknownMid { at, .. }
            | Self::BundleDuplicateMid { at, .. }
            | Self::MissingMidInBundle { at }
            | Self::AnswerMismatch { at, .. }
            | Self::OriginMismatch { at, .. } => Some(at),
            Self::InvalidValue { .. } => None,
        }
    }

    pub(crate) fn value(what: &'static str) -> impl FnOnce(&'static str) -> Self {
        move |reason| Self::InvalidValue { what, reason }
    }
}

/// Something questionable but harmless: the description was accepted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Warning {
    /// Where.
    pub at: Location,
    /// What.
    pub kind: WarningKind,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.kind)
    }
}

/// The kinds of warning.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// Lines end in LF alone (RFC 8866 §5 wants CRLF); tacet writes CRLF.
    LfLineEndings,
    /// Empty lines were skipped; they are not written back.
    EmptyLines,
    /// The last line has no line ending; tacet writes one.
    NoFinalLineEnding,
    /// Lines are out of the RFC 8866 §5 order; tacet writes them in that order.
    LinesOutOfOrder,
    /// An attribute name tacet does not know: kept verbatim.
    UnknownAttribute {
        /// The name.
        name: String,
    },
    /// A property attribute written with a value: kept verbatim, not interpreted.
    ValueOnProperty {
        /// The name.
        name: String,
    },
    /// A direction attribute on a data (`m=application`) section, as Chromium writes in some
    /// versions; meaningless there.
    DirectionOnData,
    /// A section without `a=mid` (allowed without BUNDLE, but JSEP always writes one).
    MissingMid,
    /// An rtpmap, fmtp or rtcp-fb for a payload type not in the m-line's format list.
    UnlistedPayloadType {
        /// The attribute.
        attribute: &'static str,
        /// The payload type.
        payload_type: u8,
    },
    /// A subsequent description with changed content kept the same session version
    /// (aiortc 1.16 never increases it; RFC 3264 §8 wants an increase).
    SessionVersionNotIncreased {
        /// The version seen twice.
        version: u64,
    },
    /// The o= line changed beyond its version (aiortc 1.16 derives session id and version
    /// from the clock for every description).
    OriginChanged {
        /// The previous session id.
        from: String,
        /// The new session id (the username, network or address may have changed too).
        to: String,
    },
    /// An answer kept a live port for a section its offer rejected (aiortc 1.16 answers a
    /// stopped transceiver's port-0 section with a port and `a=inactive`); read as rejected.
    LivePortForRejectedSection {
        /// The section's mid.
        mid: String,
    },
    /// An answer's BUNDLE group named a section its offer rejected (aiortc 1.16 keeps the
    /// stopped mid in the group); the mid was left out of the group.
    RejectedMidInBundle {
        /// The mid.
        mid: String,
    },
}

impl WarningKind {
    /// The rule the input bent.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::LfLineEndings | Self::EmptyLines | Self::NoFinalLineEnding => {
                "RFC 8866 §5: one field per CRLF-terminated line"
            }
            Self::LinesOutOfOrder => "RFC 8866 §5: fields in the order the grammar gives",
            Self::UnknownAttribute { .. } => {
                "RFC 8866 §5.13: unknown attributes are ignored (kept verbatim here)"
            }
            Self::ValueOnProperty { .. } => "RFC 8866 §5.13: a property attribute has no value",
            Self::DirectionOnData => "RFC 8841 §5: the SCTP m-section has no direction",
            Self::MissingMid => "RFC 9429 §5.2.1: every m-section has an a=mid",
            Self::UnlistedPayloadType { .. } => {
                "RFC 8866 §5.14: rtpmap, fmtp and rtcp-fb name formats of the m= line"
            }
            Self::SessionVersionNotIncreased { .. } => {
                "RFC 3264 §8: the session version increases when the description changes"
            }
            Self::OriginChanged { .. } => "RFC 3264 §8: only the version of the o= line changes",
            Self::LivePortForRejectedSection { .. } => {
                "RFC 3264 §8.2: a stream the offer removed with port 0 stays port 0 in the answer"
            }
            Self::RejectedMidInBundle { .. } => {
                "RFC 9143 §7.3.1, §7.3.3: the answer bundles only live sections the offer bundled"
            }
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LfLineEndings => f.write_str("LF line endings (written back as CRLF)"),
            Self::EmptyLines => f.write_str("empty lines skipped"),
            Self::NoFinalLineEnding => f.write_str("no final line ending"),
            Self::LinesOutOfOrder => f.write_str("lines out of RFC 8866 order (written in order)"),
            Self::UnknownAttribute { name } => {
                write!(f, "unknown attribute a={name} kept verbatim")
            }
            Self::ValueOnProperty { name } => {
                write!(f, "property attribute a={name} has a value; kept verbatim")
            }
            Self::DirectionOnData => f.write_str("direction attribute on a data section"),
            Self::MissingMid => f.write_str("m-section without a=mid"),
            Self::UnlistedPayloadType {
                attribute,
                payload_type,
            } => write!(
                f,
                "a={attribute} for payload type {payload_type} not on the m-line"
            ),
            Self::SessionVersionNotIncreased { version } => write!(
                f,
                "session version {version} not increased although the description changed (RFC 3264 §8)"
            ),
            Self::OriginChanged { from, to } => write!(
                f,
                "the o= line changed beyond its version (session id {from} -> {to})"
            ),
            Self::LivePortForRejectedSection { mid } => write!(
                f,
                "mid {mid}: a live port answers a section the offer rejected; read as rejected"
            ),
            Self::RejectedMidInBundle { mid } => write!(
                f,
                "mid {mid}: rejected in the offer but in the answer's BUNDLE group; left out"
            ),
        }
    }
}
