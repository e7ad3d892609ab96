//! The small vocabulary of SDP itself: the direction attribute, the mid, and who wrote a broken
//! text.
//!
//! These are SDP's types, not the transceiver machine's. An SDP direction attribute has four
//! values (RFC 8866 §6.7); W3C's `RTCRtpTransceiverDirection` has a fifth, `"stopped"`, that
//! never appears in a description. And what a transceiver does with a direction (the answer's
//! intersection, RFC 9429 §5.3.1) is offer/answer policy, not syntax. `tacet-session` converts
//! between these types and the machine's in one place (docs/decisions/0007).

use std::fmt;
use std::str::FromStr;

/// An SDP direction attribute: `a=sendrecv`, `a=sendonly`, `a=recvonly` or `a=inactive`
/// (RFC 8866 §6.7; their offer/answer meaning: RFC 3264 §5.1).
///
/// It is written from the point of view of whoever wrote the description: `sendonly` in a
/// peer's description means the peer sends (see [`Direction::reverse`]). A media section
/// without one is `sendrecv` (RFC 3264 §5.1); [`MediaSection::direction`] applies that rule.
///
/// [`MediaSection::direction`]: crate::MediaSection::direction
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// `a=sendrecv` (RFC 8866 §6.7.2): send and receive.
    SendRecv,
    /// `a=sendonly` (RFC 8866 §6.7.3): send only.
    SendOnly,
    /// `a=recvonly` (RFC 8866 §6.7.1): receive only.
    RecvOnly,
    /// `a=inactive` (RFC 8866 §6.7.4): neither.
    Inactive,
}

impl Direction {
    /// The four attributes (for tables and exhaustive tests).
    pub const ALL: [Self; 4] = [
        Self::SendRecv,
        Self::SendOnly,
        Self::RecvOnly,
        Self::Inactive,
    ];

    /// The attribute name as written after `a=`, e.g. `"sendrecv"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
        }
    }

    /// Whether the writer of the description sends media.
    pub const fn has_send(self) -> bool {
        matches!(self, Self::SendRecv | Self::SendOnly)
    }

    /// Whether the writer of the description receives media.
    pub const fn has_recv(self) -> bool {
        matches!(self, Self::SendRecv | Self::RecvOnly)
    }

    /// The same stream seen from the other end: sending and receiving swap (RFC 3264 §5.1: a
    /// `sendonly` stream is one the other side can only receive).
    pub const fn reverse(self) -> Self {
        match self {
            Self::SendOnly => Self::RecvOnly,
            Self::RecvOnly => Self::SendOnly,
            Self::SendRecv | Self::Inactive => self,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the four direction attribute names (compared exactly, as the
/// attribute parser compares names).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an SDP direction: {text:?} (expected sendrecv, sendonly, recvonly or inactive)")]
pub struct ParseDirectionError {
    text: String,
}

impl ParseDirectionError {
    /// The text that was refused.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl FromStr for Direction {
    type Err = ParseDirectionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| ParseDirectionError { text: s.to_owned() })
    }
}

/// A media stream identification tag, the value of `a=mid` (RFC 9143 §3; grammar: RFC 5888 §4,
/// an `identification-tag` is a token).
///
/// The text is kept as written. A parsed one is a valid token. `From` does not check: a
/// [`Mid`] is also a key to look sections up by, and [`MediaSection::set_mid`] checks the
/// text it writes.
///
/// [`MediaSection::set_mid`]: crate::MediaSection::set_mid
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mid(String);

impl Mid {
    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Mid {
    fn from(mid: &str) -> Self {
        Self(mid.to_owned())
    }
}

impl From<String> for Mid {
    fn from(mid: String) -> Self {
        Self(mid)
    }
}

impl AsRef<str> for Mid {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who wrote the text an [`Error`](crate::Error) refuses.
///
/// A description does not know whose it is: everything parsed is blamed on its writer, the
/// [`Fault::Peer`]; a session applying its *own* description re-attributes the error to its
/// caller. Values handed to the builders are the caller's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The caller of this crate: a builder was given a value that cannot be written.
    Caller,
    /// The writer of the parsed text, normally the remote peer: the description broke a rule.
    Peer,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Caller => "caller",
            Self::Peer => "peer",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Direction, Fault, Mid};

    #[test]
    fn direction_names_round_trip_and_nothing_else_parses() {
        for d in Direction::ALL {
            assert_eq!(d.as_str().parse::<Direction>(), Ok(d));
            assert_eq!(d.to_string(), d.as_str());
        }
        // "stopped" is a W3C transceiver direction, never an SDP attribute; names are
        // case-sensitive.
        for text in ["stopped", "SendRecv", "SENDRECV", " sendrecv", ""] {
            let e = text.parse::<Direction>().expect_err(text);
            assert_eq!(e.text(), text);
        }
    }

    #[test]
    fn reverse_swaps_send_and_receive() {
        for d in Direction::ALL {
            let r = d.reverse();
            assert_eq!((r.has_send(), r.has_recv()), (d.has_recv(), d.has_send()));
            assert_eq!(r.reverse(), d);
        }
        assert_eq!(Direction::SendOnly.reverse(), Direction::RecvOnly);
        assert_eq!(Direction::Inactive.reverse(), Direction::Inactive);
    }

    #[test]
    fn mid_keeps_its_text() {
        let mid = Mid::from("a1");
        assert_eq!(mid, Mid::from(String::from("a1")));
        assert_eq!((mid.as_str(), mid.as_ref()), ("a1", "a1"));
        assert_eq!(mid.to_string(), "a1");
        assert_eq!(Fault::Peer.to_string(), "peer");
    }
}
