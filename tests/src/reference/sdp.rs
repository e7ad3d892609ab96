//! The reference model's descriptions: what it needs of an SDP, and nothing else. A description
//! is its type, who wrote it and when (the author's count of local descriptions set, standing
//! in for the `o=` version), the offer it answers, its m-lines and its BUNDLE group.

use std::fmt;

use tacet_sdp::{MediaKind, MediaSection, SessionDescription};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::Direction;

use crate::pair::Who;

/// A direction as its two bits (RFC 3264 §6: an answer's direction is the offer's reversed,
/// intersected with what the answerer wants; RFC 9429 §5.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dir {
    pub(crate) send: bool,
    pub(crate) recv: bool,
}

impl Dir {
    pub(crate) const INACTIVE: Self = Self {
        send: false,
        recv: false,
    };
    pub(crate) const RECVONLY: Self = Self {
        send: false,
        recv: true,
    };
    pub(crate) const SENDRECV: Self = Self {
        send: true,
        recv: true,
    };

    /// The same stream seen from the other end.
    pub(crate) fn reversed(self) -> Self {
        Self {
            send: self.recv,
            recv: self.send,
        }
    }

    /// What both allow.
    pub(crate) fn and(self, other: Self) -> Self {
        Self {
            send: self.send && other.send,
            recv: self.recv && other.recv,
        }
    }

    pub(crate) fn of(direction: Direction) -> Self {
        match direction {
            Direction::SendRecv => Self::SENDRECV,
            Direction::SendOnly => Self {
                send: true,
                recv: false,
            },
            Direction::RecvOnly => Self::RECVONLY,
            Direction::Inactive => Self::INACTIVE,
        }
    }

    /// The direction attribute of a real section.
    fn of_sdp(direction: tacet_sdp::Direction) -> Self {
        match direction {
            tacet_sdp::Direction::SendRecv => Self::SENDRECV,
            tacet_sdp::Direction::SendOnly => Self {
                send: true,
                recv: false,
            },
            tacet_sdp::Direction::RecvOnly => Self::RECVONLY,
            tacet_sdp::Direction::Inactive => Self::INACTIVE,
        }
    }

    pub(crate) fn direction(self) -> Direction {
        match (self.send, self.recv) {
            (true, true) => Direction::SendRecv,
            (true, false) => Direction::SendOnly,
            (false, true) => Direction::RecvOnly,
            (false, false) => Direction::Inactive,
        }
    }
}

impl fmt::Display for Dir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.direction())
    }
}

/// What an m-line carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    Media(TrackKind),
    Data,
}

impl LineKind {
    /// The kind of a section of a real description (`None`: a kind the model never writes).
    fn of(section: &MediaSection) -> Option<Self> {
        match section.kind {
            MediaKind::Audio => Some(Self::Media(TrackKind::Audio)),
            MediaKind::Video => Some(Self::Media(TrackKind::Video)),
            _ if section.is_data() => Some(Self::Data),
            _ => None,
        }
    }
}

/// One m-line. `dir` and `msid` mean something only for a live media line: a rejected line
/// carries no media and no `a=msid` (RFC 9429 §5.2.2), whatever direction attribute it keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) mid: String,
    pub(crate) kind: LineKind,
    /// Port 0 (and not `a=bundle-only`).
    pub(crate) rejected: bool,
    pub(crate) dir: Dir,
    /// At least one `a=msid` line.
    pub(crate) msid: bool,
}

impl Line {
    /// A rejected line (port 0, `a=inactive`, no msid).
    pub(crate) fn rejected(mid: String, kind: LineKind) -> Self {
        Self {
            mid,
            kind,
            rejected: true,
            dir: Dir::INACTIVE,
            msid: false,
        }
    }

    pub(crate) fn is_media(&self) -> bool {
        matches!(self.kind, LineKind::Media(_))
    }

    /// The facts the model compares, read from a real section (`None`: unreadable).
    pub(crate) fn read(section: &MediaSection) -> Option<Self> {
        Some(Self {
            mid: section.mid()?.as_str().to_owned(),
            kind: LineKind::of(section)?,
            rejected: section.is_rejected(),
            dir: Dir::of_sdp(section.direction()),
            msid: section.attributes.msids().next().is_some(),
        })
    }

    /// Whether `actual` shows what this line predicts: mid, kind, port 0; for a live media
    /// line also the direction and whether `a=msid` is there.
    pub(crate) fn matches(&self, actual: &Self) -> bool {
        let same =
            self.mid == actual.mid && self.kind == actual.kind && self.rejected == actual.rejected;
        if !same || self.rejected || !self.is_media() {
            return same;
        }
        self.dir == actual.dir && self.msid == actual.msid
    }

    /// [`Line::matches`] against a real section, without copying it (this runs after every
    /// step of every case).
    pub(crate) fn matches_section(&self, section: &MediaSection) -> bool {
        let same = section.mid().is_some_and(|m| m.as_str() == self.mid)
            && LineKind::of(section) == Some(self.kind)
            && section.is_rejected() == self.rejected;
        if !same || self.rejected || !self.is_media() {
            return same;
        }
        Dir::of_sdp(section.direction()) == self.dir
            && section.attributes.msids().next().is_some() == self.msid
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            LineKind::Media(TrackKind::Audio) => "audio",
            LineKind::Media(TrackKind::Video) => "video",
            LineKind::Data => "application",
        };
        if self.rejected {
            return write!(f, "m={kind} 0 mid={} (rejected)", self.mid);
        }
        if !self.is_media() {
            return write!(f, "m={kind} mid={}", self.mid);
        }
        let msid = if self.msid { " msid" } else { "" };
        write!(f, "m={kind} mid={} {}{msid}", self.mid, self.dir)
    }
}

/// Offer or answer (the model's applications never send a pranswer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DescKind {
    Offer,
    Answer,
}

/// A description as the model knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Desc {
    pub(crate) kind: DescKind,
    pub(crate) author: Who,
    /// The author's count of local descriptions set when it set this one: each description
    /// an author sets gets a higher `o=` version (RFC 3264 §8), so this orders them.
    pub(crate) serial: u64,
    /// For an answer: the serial of the offer it was made for.
    pub(crate) answers: Option<u64>,
    pub(crate) lines: Vec<Line>,
    /// The BUNDLE group's mids, the tag first (empty: no group).
    pub(crate) bundle: Vec<String>,
}

impl Desc {
    pub(crate) fn line(&self, mid: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.mid == mid)
    }

    /// Whether the section `mid` is rejected in this description.
    pub(crate) fn rejects(&self, mid: &str) -> bool {
        self.line(mid).is_some_and(|l| l.rejected)
    }
}

impl fmt::Display for Desc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} #{} by {:?}: [",
            self.kind, self.serial, self.author
        )?;
        for (i, line) in self.lines.iter().enumerate() {
            let sep = if i == 0 { "" } else { "; " };
            write!(f, "{sep}{line}")?;
        }
        write!(f, "] BUNDLE {:?}", self.bundle)
    }
}

/// The m-lines and BUNDLE group of a real description, in the model's terms, for comparison
/// and for printing.
pub(crate) fn read(description: &SessionDescription) -> (Vec<Option<Line>>, Vec<String>) {
    let lines = description.media.iter().map(Line::read).collect();
    let bundle = description
        .bundle_groups()
        .next()
        .map(|g| g.mids().map(str::to_owned).collect())
        .unwrap_or_default();
    (lines, bundle)
}
