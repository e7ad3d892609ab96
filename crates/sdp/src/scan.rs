//! The pre-scan: one pass over the text before sdp-types sees it, with no allocation.
//!
//! It checks the text against [`Limits`] — total size, line length, m-sections, attribute
//! lines — so hostile input is refused before anything big is built, and records the facts
//! sdp-types would lose silently: unknown line types (it drops them), missing `o=`/`s=`/`t=`
//! (it invents placeholders), LF endings, empty lines, line order (RFC 8866 §5).
//!
//! Well laid out texts skip it: `layout.rs` gets the same facts more cheaply after sdp-types
//! has parsed, and falls back to this scan whenever there is anything to report.

use crate::error::{Error, LimitKind, Location, Warning, WarningKind};

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

/// What the pre-scan found (or the layout walk, `layout.rs`, for a well laid out text).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    /// Some line ends with LF alone.
    pub(crate) lf_only: bool,
    /// There are empty lines (sdp-types skips them).
    pub(crate) empty_lines: bool,
    /// The last line has no line ending.
    pub(crate) no_final_eol: bool,
    /// Lines are not in RFC 8866 §5 order (sdp-types accepts any order).
    pub(crate) out_of_order: bool,
}

impl Scan {
    /// The warnings about the text as a whole, for the start of the warning list.
    pub(crate) fn warnings(&self) -> Vec<Warning> {
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

/// The pre-scan: one pass over the bytes, no allocation.
pub(crate) fn scan(text: &str, limits: &Limits) -> Result<Scan, Error> {
    let bytes = text.as_bytes();
    if bytes.len() > limits.max_bytes {
        return Err(Scanner::limit(
            LimitKind::Bytes,
            bytes.len(),
            limits.max_bytes,
            1,
        ));
    }
    let mut scanner = Scanner {
        limits,
        out: Scan::default(),
        media: 0,
        section_attributes: 0,
        attributes: 0,
        seen: [false; 3],
        rank: 0,
    };
    let mut start = 0;
    let mut line_no = 0;
    // One memchr iterator over the whole text: a search per line costs more in set-up than
    // in scanning (lines are short). (An eight-bytes-at-a-time word scan was tried: it costs
    // two instructions a byte, more than memchr's vector search plus its per-call set-up.)
    for newline in memchr::memchr_iter(b'\n', bytes) {
        line_no += 1;
        let raw = &bytes[start..newline];
        start = newline + 1;
        let line = match raw.split_last() {
            Some((b'\r', line)) => line,
            _ => {
                scanner.out.lf_only = true;
                raw
            }
        };
        scanner.line(line_no, line)?;
    }
    if start < bytes.len() {
        line_no += 1;
        scanner.out.no_final_eol = true;
        scanner.line(line_no, &bytes[start..])?;
    }
    // sdp-types invents placeholders for these; JSEP descriptions always have them.
    for (seen, letter) in scanner.seen.into_iter().zip(['o', 's', 't']) {
        if !seen && line_no > 0 {
            return Err(Error::MissingLine {
                at: Location::default(),
                letter,
            });
        }
    }
    Ok(scanner.out)
}

/// The pre-scan's running state.
struct Scanner<'l> {
    limits: &'l Limits,
    out: Scan,
    media: usize,
    section_attributes: usize,
    attributes: usize,
    /// `o=`, `s=`, `t=` seen.
    seen: [bool; 3],
    /// The RFC 8866 rank of the previous line in the current part (session or media).
    rank: u8,
}

/// `a=` comes last in both parts, so it has the highest rank in each.
const SESSION_ATTRIBUTE_RANK: u8 = 12;
const MEDIA_ATTRIBUTE_RANK: u8 = 5;

impl Scanner<'_> {
    fn limit(what: LimitKind, value: usize, limit: usize, line: usize) -> Error {
        Error::Limit {
            at: Location::line(line),
            what,
            value,
            limit,
        }
    }

    /// One line without its ending. `a=` lines, almost all of them, take the short path.
    fn line(&mut self, n: usize, line: &[u8]) -> Result<(), Error> {
        if line.len() > self.limits.max_line_length {
            return Err(Self::limit(
                LimitKind::LineLength,
                line.len(),
                self.limits.max_line_length,
                n,
            ));
        }
        if let [b'a', b'=', ..] = line {
            self.section_attributes += 1;
            self.attributes += 1;
            self.rank = if self.media == 0 {
                SESSION_ATTRIBUTE_RANK
            } else {
                MEDIA_ATTRIBUTE_RANK
            };
            if self.section_attributes > self.limits.max_attributes_per_section {
                return Err(Self::limit(
                    LimitKind::AttributesPerSection,
                    self.section_attributes,
                    self.limits.max_attributes_per_section,
                    n,
                ));
            }
            if self.attributes > self.limits.max_attributes {
                return Err(Self::limit(
                    LimitKind::Attributes,
                    self.attributes,
                    self.limits.max_attributes,
                    n,
                ));
            }
            return Ok(());
        }
        self.other_line(n, line)
    }

    fn other_line(&mut self, n: usize, line: &[u8]) -> Result<(), Error> {
        let letter = match line {
            [] => {
                self.out.empty_lines = true;
                return Ok(());
            }
            [letter, b'=', ..] => *letter,
            // Not "x=": sdp-types reports the syntax error with this line number.
            _ => return Ok(()),
        };
        if letter == b'm' {
            self.media += 1;
            if self.media > self.limits.max_media_sections {
                return Err(Self::limit(
                    LimitKind::MediaSections,
                    self.media,
                    self.limits.max_media_sections,
                    n,
                ));
            }
            self.section_attributes = 0;
            self.rank = 0;
            return Ok(());
        }
        let rank = if self.media == 0 {
            session_rank(letter)
        } else {
            media_rank(letter)
        };
        let Some(rank) = rank else {
            if self.media > 0 && session_rank(letter).is_some() {
                // A session-only line (o, s, t, ...) inside a media section: sdp-types
                // ignores it, so it would vanish. Refuse.
                return Err(Error::Syntax {
                    at: Location::line(n),
                    message: format!("{:?} line inside a media section", char::from(letter)),
                });
            }
            return Err(Error::UnknownLineType {
                at: Location::line(n),
                letter: char::from(letter),
            });
        };
        self.out.out_of_order |= rank < self.rank;
        self.rank = rank;
        match letter {
            b'o' => self.seen[0] = true,
            b's' => self.seen[1] = true,
            b't' => self.seen[2] = true,
            _ => {}
        }
        Ok(())
    }
}
