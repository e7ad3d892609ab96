//! What the story observes: each peer's signaling state, mode and transceivers, the m-lines of
//! the current offer and answer, RTP packets per kind per second in each direction, and each
//! side's data-channel tally. Plain values, so that the checks (`script.rs`) are pure and the
//! renderers (`timeline.rs`, `json.rs`) only print them.

use serde_json::{Value, json};
use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::Session;

/// One m-line of a description, as the timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MLine {
    /// Its index in the description (the slot a recycled transceiver takes).
    pub(crate) index: usize,
    /// `audio`, `video` or `application`.
    pub(crate) kind: String,
    /// 0 when rejected.
    pub(crate) port: u16,
    /// `a=mid`.
    pub(crate) mid: Option<String>,
    /// The direction attribute (`sendrecv` when none is written).
    pub(crate) direction: String,
}

impl MLine {
    /// A short form: `video mid=1 port=9 sendrecv`.
    pub(crate) fn show(&self) -> String {
        format!(
            "{} mid={} port={} {}",
            self.kind,
            self.mid.as_deref().unwrap_or("-"),
            self.port,
            if self.kind == "application" {
                "(data)"
            } else {
                self.direction.as_str()
            }
        )
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "index": self.index, "kind": self.kind, "port": self.port, "mid": self.mid,
            "direction": self.direction,
        })
    }
}

/// The m-lines and the BUNDLE group of one description.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sdp {
    pub(crate) mlines: Vec<MLine>,
    /// The first BUNDLE group's mids, the tag first.
    pub(crate) bundle: Vec<String>,
}

impl Sdp {
    /// Reads a description's m-lines and BUNDLE group.
    pub(crate) fn of(description: &SessionDescription) -> Self {
        let mlines = description
            .media
            .iter()
            .enumerate()
            .map(|(index, m)| MLine {
                index,
                kind: m.kind.to_string(),
                port: m.port,
                mid: m.mid().map(ToString::to_string),
                direction: m.direction().to_string(),
            })
            .collect();
        let bundle = description
            .attributes
            .bundle_groups()
            .next()
            .map(|g| g.mids().map(str::to_owned).collect())
            .unwrap_or_default();
        Self { mlines, bundle }
    }

    /// The m-line whose mid is `mid`.
    pub(crate) fn by_mid(&self, mid: &str) -> Option<&MLine> {
        self.mlines.iter().find(|m| m.mid.as_deref() == Some(mid))
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "mlines": self.mlines.iter().map(MLine::json).collect::<Vec<_>>(),
            "bundle": self.bundle,
        })
    }
}

/// One transceiver as its peer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Transceiver {
    pub(crate) kind: String,
    pub(crate) mid: Option<String>,
    /// `direction`.
    pub(crate) direction: String,
    /// `currentDirection` (`None` before it was negotiated).
    pub(crate) current: Option<String>,
    /// Its lifecycle: active, stopping, stopped, removed.
    pub(crate) phase: String,
}

/// One peer's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PeerState {
    pub(crate) name: String,
    pub(crate) signaling: String,
    /// The session's mode (media+data, data-only, ...).
    pub(crate) mode: String,
    pub(crate) transceivers: Vec<Transceiver>,
}

impl PeerState {
    /// Reads a tacet peer's session.
    pub(crate) fn of(name: &str, session: &Session) -> Self {
        Self {
            name: name.to_owned(),
            signaling: session.signaling_state().to_string(),
            mode: session.mode().to_string(),
            transceivers: session
                .transceivers()
                .map(|t| Transceiver {
                    kind: t.kind().to_string(),
                    mid: t.mid().map(ToString::to_string),
                    direction: t.direction().to_string(),
                    current: t.current_direction().map(|d| d.to_string()),
                    phase: t.phase().to_string().to_lowercase(),
                })
                .collect(),
        }
    }

    /// What media is live: `audio+video`, `audio only`, `video only`, or `data-only` when no
    /// active transceiver has a negotiated direction that moves media.
    pub(crate) fn media(&self) -> String {
        let live = |kind: &str| {
            self.transceivers.iter().any(|t| {
                t.kind == kind
                    && t.phase == "active"
                    && t.current
                        .as_deref()
                        .is_some_and(|c| c != "inactive" && c != "stopped")
            })
        };
        match (live("audio"), live("video")) {
            (true, true) => "audio+video",
            (true, false) => "audio only",
            (false, true) => "video only",
            (false, false) => "data-only",
        }
        .to_owned()
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "peer": self.name, "signaling": self.signaling, "mode": self.mode,
            "media": self.media(),
            "transceivers": self.transceivers.iter().map(|t| json!({
                "kind": t.kind, "mid": t.mid, "direction": t.direction,
                "current_direction": t.current, "lifecycle": t.phase,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Both descriptions of a negotiation, read from one peer's current descriptions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Negotiated {
    pub(crate) offer: Sdp,
    pub(crate) answer: Sdp,
    /// Who made the offer: `local` or `remote` as read, the peer's name once shown.
    pub(crate) offerer: String,
}

impl Negotiated {
    /// The current local and remote descriptions of a session, sorted into offer and answer.
    pub(crate) fn of(session: &Session) -> Option<Self> {
        let local = session.current_local_description()?;
        let remote = session.current_remote_description()?;
        let local_offered = local.sdp_type == SdpType::Offer;
        let (offer, answer) = if local_offered {
            (local, remote)
        } else {
            (remote, local)
        };
        Some(Self {
            offer: Sdp::of(offer),
            answer: Sdp::of(answer),
            offerer: if local_offered { "local" } else { "remote" }.to_owned(),
        })
    }
}

/// Where the story stands after a step: both peers and the last offer/answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) peers: Vec<PeerState>,
    pub(crate) negotiated: Negotiated,
}

impl Snapshot {
    /// The peer called `name`.
    pub(crate) fn peer(&self, name: &str) -> Option<&PeerState> {
        self.peers.iter().find(|p| p.name == name)
    }
}

/// RTP packets of one kind that arrived at `to` from `from` in one second.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Flow {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) kind: String,
    pub(crate) packets: u64,
}

/// One second of media.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RateSample {
    /// Seconds since the step's measurement began.
    pub(crate) at: f64,
    pub(crate) flows: Vec<Flow>,
}

impl RateSample {
    /// Packets of `kind` that arrived at `to` in this second.
    pub(crate) fn packets(&self, to: &str, kind: &str) -> u64 {
        self.flows
            .iter()
            .filter(|f| f.to == to && f.kind == kind)
            .map(|f| f.packets)
            .sum()
    }
}

/// One side's data-channel counts: what it sent, and the check of what it received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Chat {
    pub(crate) peer: String,
    pub(crate) sent: u64,
    pub(crate) received: u64,
    pub(crate) lost: u64,
    pub(crate) duplicates: u64,
    pub(crate) out_of_order: u64,
    /// Messages that were not the peer's numbered ones.
    pub(crate) other: u64,
    /// The count the peer's end announced.
    pub(crate) end: Option<u64>,
    /// Every message arrived once, in order, and the end says how many.
    pub(crate) complete: bool,
    /// The longest silence between two new messages, in ms.
    pub(crate) max_gap_ms: Option<u64>,
    /// Sends the channel refused.
    pub(crate) send_failures: u64,
}

impl Chat {
    /// Nothing lost, repeated, reordered or foreign so far.
    pub(crate) fn clean(&self) -> bool {
        self.lost == 0
            && self.duplicates == 0
            && self.out_of_order == 0
            && self.other == 0
            && self.send_failures == 0
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "peer": self.peer, "sent": self.sent, "received": self.received, "lost": self.lost,
            "duplicates": self.duplicates, "out_of_order": self.out_of_order,
            "other": self.other, "end": self.end, "complete": self.complete,
            "max_gap_ms": self.max_gap_ms, "send_failures": self.send_failures,
        })
    }
}
