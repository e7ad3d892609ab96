//! The session's mode: what the *current* descriptions leave alive.

use std::fmt;

use tacet_sdp::SessionDescription;

/// What is negotiated and live, read from the current descriptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Nothing live is negotiated yet (or every section is rejected).
    New,
    /// Live audio/video and a live data section.
    MediaAndData,
    /// Only the data section is live: every media section is rejected.
    DataOnly,
    /// Live media, no data section.
    MediaOnly,
    /// `close()` ran.
    Closed,
}

impl Mode {
    /// The mode a pair of current descriptions gives. A section counts as live when it is
    /// live in both (a rejection on either side ends it).
    pub(crate) fn of(
        local: Option<&SessionDescription>,
        remote: Option<&SessionDescription>,
    ) -> Self {
        let (Some(local), Some(remote)) = (local, remote) else {
            return Self::New;
        };
        let live = |i: usize| {
            !local.media[i].is_rejected() && remote.media.get(i).is_some_and(|m| !m.is_rejected())
        };
        let mut media = false;
        let mut data = false;
        for (i, m) in local.media.iter().enumerate() {
            if live(i) {
                if m.is_data() {
                    data = true;
                } else {
                    media = true;
                }
            }
        }
        match (media, data) {
            (true, true) => Self::MediaAndData,
            (false, true) => Self::DataOnly,
            (true, false) => Self::MediaOnly,
            (false, false) => Self::New,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::New => "new",
            Self::MediaAndData => "media+data",
            Self::DataOnly => "data-only",
            Self::MediaOnly => "media-only",
            Self::Closed => "closed",
        })
    }
}
