//! The interop scenarios of issues 13 (aiortc) and 14 (the browsers), and the peers they run
//! between.

use std::fmt;

/// Which program plays a peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `tacet-peer` (crates/rtc/src/bin/tacet-peer).
    Tacet,
    /// `tests/interop/aiortc_peer.py` on aiortc 1.16.
    Aiortc,
    /// Debian's Chromium through `tests/browser/run.mjs` (playwright-core).
    Chromium,
    /// Debian's Firefox ESR through `tests/browser/run.mjs` (puppeteer-core, WebDriver BiDi).
    Firefox,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Tacet => "tacet",
            Self::Aiortc => "aiortc",
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
        }
    }

    /// A browser (run by `tests/browser/run.mjs`).
    pub(crate) fn is_browser(self) -> bool {
        matches!(self, Self::Chromium | Self::Firefox)
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
    /// The peer (a browser) stops its BUNDLE-tag transceiver: the tag moves.
    PeerStopsTag,
    /// Both stop their video transceiver at the same scripted moment (glare under perfect
    /// negotiation, webrtc-pc §10.7).
    BothStopVideo,
}

/// One scenario: its name, what it shows, the two scripts (times from connection).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    /// Its number in issue 14's list (the browser scenarios), if it has one.
    pub(crate) issue14: Option<u8>,
    pub(crate) action: Action,
    pub(crate) subject_script: &'static str,
    pub(crate) peer_script: &'static str,
    /// How many times in a row it runs against each browser in each role (issue 14: ten for
    /// the BUNDLE-tag stop), each run judged on its own.
    pub(crate) browser_runs: u32,
}

// The scripts: the action at 2 s from connection (two per-second media reports before it),
// the close at least 3 s after the last action (three reports after it).

/// Every scenario, in the issue's order.
pub(crate) const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "connect",
        title: "connect, media both ways, numbered messages both ways, close",
        issue14: None,
        action: Action::Connect,
        subject_script: "5s close",
        peer_script: "",
        browser_runs: 0,
    },
    Scenario {
        name: "stop-video",
        title: "the subject stops video (not the BUNDLE tag)",
        issue14: Some(1),
        action: Action::Stop("video"),
        subject_script: "2s stop video; 6s close",
        peer_script: "",
        browser_runs: 1,
    },
    Scenario {
        name: "stop-audio",
        title: "the subject stops audio (the BUNDLE tag, mid 0)",
        issue14: Some(2),
        action: Action::Stop("audio"),
        subject_script: "2s stop audio; 6s close",
        peer_script: "",
        browser_runs: 10,
    },
    Scenario {
        name: "stop-media",
        title: "the subject stops all media: data-only",
        issue14: Some(4),
        action: Action::StopMedia,
        subject_script: "2s stop-media; 6s close",
        peer_script: "",
        browser_runs: 1,
    },
    Scenario {
        name: "peer-stops-video",
        title: "the peer stops its video transceiver (not the BUNDLE tag; aiortc: BYE only, no \
                SDP change)",
        issue14: Some(5),
        action: Action::PeerStopsVideo,
        subject_script: "6s close",
        peer_script: "2s stop video",
        browser_runs: 1,
    },
    Scenario {
        name: "stop-then-add-video",
        title: "the subject stops video, then adds video: a recycled m-line or a clean refusal",
        issue14: Some(6),
        action: Action::StopThenAddVideo,
        subject_script: "2s stop video; 4s add video; 8s close",
        peer_script: "",
        browser_runs: 1,
    },
    Scenario {
        name: "peer-stops-tag",
        title: "the peer (a browser) stops its BUNDLE-tag transceiver",
        issue14: Some(3),
        action: Action::PeerStopsTag,
        subject_script: "6s close",
        peer_script: "2s stop tag",
        browser_runs: 1,
    },
    Scenario {
        name: "glare-stop-video",
        title: "both sides stop video at the same scripted moment (glare)",
        issue14: Some(7),
        action: Action::BothStopVideo,
        subject_script: "2s stop video; 6s close",
        peer_script: "2s stop video",
        browser_runs: 1,
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

    /// How many times the pairing runs the scenario (0: not at all). An aiortc subject (the
    /// control rows) only connects and closes, or watches the peer stop; only a browser can
    /// stop its BUNDLE tag by script or stop at the same moment as the subject; a browser runs
    /// issue 14's scenarios, `browser_runs` times each.
    pub(crate) fn runs(self, scenario: &Scenario) -> u32 {
        let browser_only = matches!(
            scenario.action,
            Action::PeerStopsTag | Action::BothStopVideo
        );
        match (self.subject, self.peer) {
            (Kind::Tacet, peer) if peer.is_browser() => scenario.browser_runs,
            (Kind::Tacet, _) => u32::from(!browser_only),
            (Kind::Aiortc, _) => u32::from(matches!(
                scenario.action,
                Action::Connect | Action::PeerStopsVideo
            )),
            // Browsers are peers only.
            (Kind::Chromium | Kind::Firefox, _) => 0,
        }
    }
}

/// The matrix: tacet with aiortc in both roles, tacet with tacet in both roles, aiortc with
/// aiortc as a control (what aiortc does by itself, for the rows where that means something),
/// and tacet with Chromium and with Firefox in both roles (issue 14).
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
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Chromium,
        role: Role::Offer,
    },
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Chromium,
        role: Role::Answer,
    },
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Firefox,
        role: Role::Offer,
    },
    Pairing {
        subject: Kind::Tacet,
        peer: Kind::Firefox,
        role: Role::Answer,
    },
];
