//! The interop scenarios of issue 13 and the peers they run between.

use std::fmt;

/// Which program plays a peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `tacet-peer` (crates/rtc/src/bin/tacet-peer).
    Tacet,
    /// `tests/interop/aiortc_peer.py` on aiortc 1.16.
    Aiortc,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Tacet => "tacet",
            Self::Aiortc => "aiortc",
        }
    }
}

/// The initial offer/answer role of the subject (the peer whose script a scenario is about).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Offer,
    Answer,
}

impl Role {
    pub(crate) fn arg(self) -> &'static str {
        match self {
            Self::Offer => "offer",
            Self::Answer => "answer",
        }
    }

    pub(crate) fn other(self) -> Self {
        match self {
            Self::Offer => Self::Answer,
            Self::Answer => Self::Offer,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Offer => "offerer",
            Self::Answer => "answerer",
        })
    }
}

/// What a scenario does, and so what its remote outcome must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// Connect, exchange media and messages, close.
    Connect,
    /// The subject stops its transceiver of this kind (port 0 in its next offer).
    Stop(&'static str),
    /// The subject stops every audio/video transceiver (data-only afterwards).
    StopMedia,
    /// The peer stops its video transceiver (aiortc: a BYE and no SDP change).
    PeerStopsVideo,
    /// The subject stops video, then adds a video track: the m-line is recycled, or the peer's
    /// refusal is reported cleanly.
    StopThenAddVideo,
}

/// One scenario: its name, what it shows, the two scripts (times from connection).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) action: Action,
    pub(crate) subject_script: &'static str,
    pub(crate) peer_script: &'static str,
}

// The scripts: the action at 2 s from connection (two per-second media reports before it),
// the close at least 3 s after the last action (three reports after it).

/// Every scenario, in the order.
pub(crate) const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "connect",
        title: "connect, media both ways, numbered messages both ways, close",
        action: Action::Connect,
        subject_script: "5s close",
        peer_script: "",
    },
    Scenario {
        name: "stop-video",
        title: "the subject stops video (not the BUNDLE tag)",
        action: Action::Stop("video"),
        subject_script: "2s stop video; 6s close",
        peer_script: "",
    },
    Scenario {
        name: "stop-audio",
        title: "the subject stops audio (the BUNDLE tag)",
        action: Action::Stop("audio"),
        subject_script: "2s stop audio; 6s close",
        peer_script: "",
    },
    Scenario {
        name: "stop-media",
        title: "the subject stops all media: data-only",
        action: Action::StopMedia,
        subject_script: "2s stop-media; 6s close",
        peer_script: "",
    },
    Scenario {
        name: "peer-stops-video",
        title: "the peer stops its video transceiver (aiortc: BYE only, no SDP change)",
        action: Action::PeerStopsVideo,
        subject_script: "6s close",
        peer_script: "2s stop video",
    },
    Scenario {
        name: "stop-then-add-video",
        title: "the subject stops video, then adds video: a recycled m-line or a clean refusal",
        action: Action::StopThenAddVideo,
        subject_script: "2s stop video; 4s add video; 8s close",
        peer_script: "",
    },
];

/// One pairing of the matrix: the subject's kind, the peer's kind, the subject's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pairing {
    pub(crate) subject: Kind,
    pub(crate) peer: Kind,
    pub(crate) role: Role,
}

impl Pairing {
    /// `tacet-aiortc`, the name `--pair` takes.
    pub(crate) fn pair_name(self) -> String {
        format!("{}-{}", self.subject.name(), self.peer.name())
    }

    /// Whether the subject can run the scenario's script: an aiortc subject (the control rows)
    /// only connects and closes, or watches the peer stop.
    pub(crate) fn runs(self, scenario: &Scenario) -> bool {
        match self.subject {
            Kind::Tacet => true,
            Kind::Aiortc => matches!(scenario.action, Action::Connect | Action::PeerStopsVideo),
        }
    }
}

/// The matrix: tacet with aiortc in both roles, tacet with tacet in both roles, and aiortc with
/// aiortc as a control (what aiortc does by itself, for the rows where that means something).
pub(crate) const PAIRINGS: &[Pairing] = &[
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Aiortc,
        role: Role::Offer,
    },
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Aiortc,
        role: Role::Answer,
    },
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Tacet,
        role: Role::Offer,
    },
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Tacet,
        role: Role::Answer,
    },
    Pairing {
        subject: Kind::Aiortc,
        peer: Kind::Aiortc,
        role: Role::Offer,
    },
    Pairing {
        subject: Kind::Aiortc,
        peer: Kind::Aiortc,
        role: Role::Answer,
    },
];
