//! The direction algebra: `sendrecv`, `sendonly`, `recvonly`, `inactive`.
//!
//! A [`Direction`] is a pair of bits, *send* and *receive*; everything else follows from that:
//! reversing swaps the bits (a remote `sendonly` is a local `recvonly`, webrtc-pc "set the
//! session description", remote branch), and an answer's direction is the intersection of what
//! the offerer offered (reversed) with what the answerer wants (RFC 9429 §5.3.1).
//!
//! `"stopped"` is not a direction one can set: the W3C setter throws `TypeError` for it. Here the
//! setter takes a [`Direction`], which has no such value, so that guard cannot be reached and is
//! documented rather than tested. The five-valued [`TransceiverDirection`] is only what the
//! getters report.

use std::fmt;
use std::str::FromStr;

/// A negotiable media direction (the four SDP direction attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// `a=sendrecv`.
    SendRecv,
    /// `a=sendonly`.
    SendOnly,
    /// `a=recvonly`.
    RecvOnly,
    /// `a=inactive`.
    Inactive,
}

impl Direction {
    /// Every direction, for exhaustive tests and tables.
    pub const ALL: [Self; 4] = [
        Self::SendRecv,
        Self::SendOnly,
        Self::RecvOnly,
        Self::Inactive,
    ];

    /// The direction with these send and receive bits.
    pub const fn from_bits(send: bool, recv: bool) -> Self {
        match (send, recv) {
            (true, true) => Self::SendRecv,
            (true, false) => Self::SendOnly,
            (false, true) => Self::RecvOnly,
            (false, false) => Self::Inactive,
        }
    }

    /// Whether media is sent in this direction.
    pub const fn has_send(self) -> bool {
        matches!(self, Self::SendRecv | Self::SendOnly)
    }

    /// Whether media is received in this direction.
    pub const fn has_recv(self) -> bool {
        matches!(self, Self::SendRecv | Self::RecvOnly)
    }

    /// The same stream seen from the other end: send and receive swap.
    pub const fn reverse(self) -> Self {
        Self::from_bits(self.has_recv(), self.has_send())
    }

    /// Both bits present in `self` and `other`.
    pub const fn intersect(self, other: Self) -> Self {
        Self::from_bits(
            self.has_send() && other.has_send(),
            self.has_recv() && other.has_recv(),
        )
    }

    /// This direction with the send bit set or cleared.
    pub const fn with_send(self, send: bool) -> Self {
        Self::from_bits(send, self.has_recv())
    }

    /// This direction with the receive bit set or cleared.
    pub const fn with_recv(self, recv: bool) -> Self {
        Self::from_bits(self.has_send(), recv)
    }

    /// The direction an answerer puts in its answer: the offered direction reversed,
    /// intersected with the answerer's own desired direction (RFC 9429 §5.3.1: "the answerer
    /// ... MUST NOT send media it was not offered to receive", and vice versa).
    pub const fn answer(offered: Self, desired: Self) -> Self {
        offered.reverse().intersect(desired)
    }

    /// The SDP attribute name, e.g. `"sendrecv"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the four direction attribute names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an SDP direction: {0:?} (expected sendrecv, sendonly, recvonly or inactive)")]
pub struct ParseDirectionError(pub String);

impl FromStr for Direction {
    type Err = ParseDirectionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| ParseDirectionError(s.to_owned()))
    }
}

/// What the W3C getters report: a [`Direction`], or `"stopped"`
/// (`RTCRtpTransceiverDirection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransceiverDirection {
    /// `"sendrecv"`.
    SendRecv,
    /// `"sendonly"`.
    SendOnly,
    /// `"recvonly"`.
    RecvOnly,
    /// `"inactive"`.
    Inactive,
    /// `"stopped"`: "will neither send nor receive RTP ... This is a terminal state."
    Stopped,
}

impl TransceiverDirection {
    /// The W3C string value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
            Self::Stopped => "stopped",
        }
    }
}

impl From<Direction> for TransceiverDirection {
    fn from(direction: Direction) -> Self {
        match direction {
            Direction::SendRecv => Self::SendRecv,
            Direction::SendOnly => Self::SendOnly,
            Direction::RecvOnly => Self::RecvOnly,
            Direction::Inactive => Self::Inactive,
        }
    }
}

impl fmt::Display for TransceiverDirection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Direction::{self, *};

    #[test]
    fn reverse_swaps_send_and_receive() {
        assert_eq!(SendRecv.reverse(), SendRecv);
        assert_eq!(SendOnly.reverse(), RecvOnly);
        assert_eq!(RecvOnly.reverse(), SendOnly);
        assert_eq!(Inactive.reverse(), Inactive);
        for d in Direction::ALL {
            assert_eq!(d.reverse().reverse(), d);
        }
    }

    // RFC 9429 §5.3.1: the answer never enables a direction the offer did not allow, nor one
    // the answerer does not want.
    #[test]
    fn answer_direction_is_reversed_offer_intersected_with_desired() {
        assert_eq!(Direction::answer(SendRecv, SendRecv), SendRecv);
        assert_eq!(Direction::answer(SendOnly, SendRecv), RecvOnly);
        assert_eq!(Direction::answer(RecvOnly, SendRecv), SendOnly);
        assert_eq!(Direction::answer(SendRecv, RecvOnly), RecvOnly);
        assert_eq!(Direction::answer(SendOnly, SendOnly), Inactive);
        assert_eq!(Direction::answer(Inactive, SendRecv), Inactive);
        for offered in Direction::ALL {
            for desired in Direction::ALL {
                let answer = Direction::answer(offered, desired);
                assert!(!answer.has_send() || (offered.has_recv() && desired.has_send()));
                assert!(!answer.has_recv() || (offered.has_send() && desired.has_recv()));
            }
        }
    }

    #[test]
    fn intersect_is_commutative_and_idempotent() {
        for a in Direction::ALL {
            assert_eq!(a.intersect(a), a);
            assert_eq!(a.intersect(Inactive), Inactive);
            assert_eq!(a.intersect(SendRecv), a);
            for b in Direction::ALL {
                assert_eq!(a.intersect(b), b.intersect(a));
            }
        }
    }

    #[test]
    fn bits_round_trip() {
        for d in Direction::ALL {
            assert_eq!(Direction::from_bits(d.has_send(), d.has_recv()), d);
            assert!(!d.with_send(false).has_send());
            assert!(d.with_recv(true).has_recv());
            assert_eq!(d.as_str().parse::<Direction>(), Ok(d));
        }
        assert!("stopped".parse::<Direction>().is_err());
    }
}
