//! ICE on the session's side: local candidates the I/O layer gathered, remote candidates the
//! peer trickles (webrtc-pc `addIceCandidate`), and `restartIce()`. The session only decides
//! which transport a candidate belongs to; the ICE agent lives in the I/O layer.

use std::sync::Arc;
use tacet_sdp::{Attribute, Candidate, SdpType};

use crate::error::Error;
use crate::event::{Effect, TransportId};
use crate::rng::Rng;
use crate::session::Session;
use crate::tasks::Tasks;
use crate::transport::Trickled;

/// The ICE part of the session: the local credentials every description carries, and a
/// restart asked for but not yet offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IceCredentials {
    pub(crate) ufrag: String,
    pub(crate) pwd: String,
    /// `restartIce()` ran and no offer has carried new credentials since.
    pub(crate) restart: bool,
}

impl IceCredentials {
    /// Random credentials (RFC 8839 §5.4: a 4-character ufrag, a 22-or-more-character pwd).
    pub(crate) fn new(rng: &mut Rng) -> Self {
        Self {
            ufrag: rng.ice_chars(4),
            pwd: rng.ice_chars(24),
            restart: false,
        }
    }

    /// The credentials the next offer carries: new ones after a restart.
    pub(crate) fn for_offer(&self, rng: &mut Rng) -> (String, String) {
        if self.restart {
            let fresh = Self::new(rng);
            (fresh.ufrag, fresh.pwd)
        } else {
            (self.ufrag.clone(), self.pwd.clone())
        }
    }

    /// A local offer carrying `credentials` was applied.
    pub(crate) fn offered(&mut self, credentials: (String, String)) {
        (self.ufrag, self.pwd) = credentials;
        self.restart = false;
    }
}

/// A remote candidate as the peer signals it (`RTCIceCandidateInit`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteCandidate {
    /// The candidate; `None` is the end-of-candidates indication (an empty `candidate`).
    pub candidate: Option<Candidate>,
    /// `sdpMid`: the m-section it belongs to.
    pub mid: Option<String>,
    /// `sdpMLineIndex`: used when `mid` is absent.
    pub m_line_index: Option<usize>,
    /// `usernameFragment`: when present it must match the remote description.
    pub ufrag: Option<String>,
}

/// What [`Session::add_remote_candidate`] did with a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteCandidateOutcome {
    /// Handed to the transport with [`Effect::RemoteCandidate`].
    Delivered(TransportId),
    /// Kept in the remote description: the transport or its remote side does not exist yet,
    /// or a pending remote offer moves the BUNDLE tag to this mid and its answer decides which
    /// transport the candidate is for (docs/decisions/0006). The candidate reaches the
    /// transport with the answer: in [`crate::RemoteTransport::candidates`] of a new one, as
    /// [`Effect::RemoteCandidate`] for one the tag move keeps.
    Stored,
    /// Ignored, as webrtc-pc says: its m-section's transceiver is stopped, or the section is
    /// rejected.
    Ignored,
}

impl Session {
    /// A local candidate gathered by the I/O layer for `transport`; it is written into the
    /// transport's tag section in the next description.
    pub fn add_local_candidate(
        &mut self,
        transport: TransportId,
        candidate: Candidate,
    ) -> Result<(), Error> {
        self.call(|s| {
            s.ensure_open("add_local_candidate")?;
            let t = s
                .transports_mut()
                .get_mut(transport)
                .ok_or_else(|| Error::InvalidState {
                    what: format!("no transport {transport:?}"),
                    rule: "tacet: candidates belong to a transport the session created",
                })?;
            if !t.local_candidates.contains(&candidate) {
                t.local_candidates.push(candidate.clone());
            }
            let tag = t.tag.clone();
            // spec: webrtc-pc "When the ICE Agent indicates that a new ICE candidate is
            // available", steps 4-5: the candidate is added to [[PendingLocalDescription]] if
            // there is one, else to [[CurrentLocalDescription]] — so the local description says
            // what the peer's remote one says once the candidate is trickled to it.
            s.remember_local_candidate(tag.as_str(), candidate);
            Ok(())
        })
    }

    /// "Add the candidate to the local description" (pending if there is one, else current),
    /// in the m-section that carries the transport (its BUNDLE tag), once.
    fn remember_local_candidate(&mut self, tag: &str, candidate: Candidate) {
        let attribute = Attribute::Candidate(candidate);
        let Some(description) = self.descriptions.local() else {
            return;
        };
        let Some((index, section)) = description.media_by_mid(tag) else {
            return;
        };
        if section.attributes.0.contains(&attribute) {
            return;
        }
        let Some(description) = self.descriptions.local_for_candidates() else {
            return;
        };
        let before = Arc::as_ptr(description);
        // The description is shared with the call's checkpoint: copy it on write.
        let Some(section) = Arc::make_mut(description).media.get_mut(index) else {
            return;
        };
        let length = section.attributes.0.len();
        section.attributes.0.push(attribute);
        self.descriptions.candidate_appended(before, index, length);
    }

    /// `addIceCandidate(candidate)`: a candidate the peer trickled. It is added to the remote
    /// description's m-section and, when that section's transport already knows its remote
    /// side, handed to the I/O layer with [`Effect::RemoteCandidate`].
    ///
    /// spec: webrtc-pc addIceCandidate — InvalidStateError without a remote description;
    /// TypeError when neither `sdpMid` nor `sdpMLineIndex` is given; OperationError when they
    /// name no m-section or the ufrag matches none; resolved (ignored) when the section's
    /// transceiver is stopped (RFC 9429 §4.1.17).
    pub fn add_remote_candidate(
        &mut self,
        remote: RemoteCandidate,
    ) -> Result<RemoteCandidateOutcome, Error> {
        self.call(|s| {
            s.ensure_open("addIceCandidate")?;
            let description = s.descriptions.remote().ok_or_else(|| Error::InvalidState {
                what: "addIceCandidate before a remote description".into(),
                rule: "webrtc-pc addIceCandidate: remoteDescription is null -> InvalidStateError",
            })?;
            let index = match (&remote.mid, remote.m_line_index) {
                (Some(mid), _) => description
                    .media_by_mid(mid)
                    .map(|(i, _)| i)
                    .ok_or_else(|| operation(format!("no m-section with mid {mid:?}")))?,
                (None, Some(i)) if i < description.media.len() => i,
                (None, Some(i)) => {
                    return Err(operation(format!(
                        "sdpMLineIndex {i} but the remote description has {} m-sections",
                        description.media.len()
                    )));
                }
                (None, None) => {
                    return Err(Error::Type {
                        what: "a candidate with neither sdpMid nor sdpMLineIndex".into(),
                        rule: "webrtc-pc addIceCandidate: TypeError",
                    });
                }
            };
            if let Some(ufrag) = &remote.ufrag {
                let known = (0..description.media.len())
                    .filter_map(|i| description.ice_ufrag_for(i))
                    .any(|u| u.as_str() == ufrag);
                if !known {
                    return Err(operation(format!(
                        "usernameFragment {ufrag:?} matches no ufrag of the remote description"
                    )));
                }
            }
            let Some(mid) = description.media[index]
                .mid()
                .map(|m| m.as_str().to_owned())
            else {
                return Err(operation(format!("m-section {index} has no mid")));
            };
            if s.transceiver_by_mid(&mid)
                .is_some_and(|t| !t.fsm.rules().takes_remote_candidates)
            {
                // spec: webrtc-pc addIceCandidate — "associated transceiver is stopped":
                // resolve without adding.
                return Ok(RemoteCandidateOutcome::Ignored);
            }
            if description.media[index].is_rejected() {
                // A rejected section has no transport to give the candidate to.
                return Ok(RemoteCandidateOutcome::Ignored);
            }
            s.remember_remote_candidate(index, remote.candidate.as_ref());
            let pending_offer = s
                .descriptions
                .pending_remote
                .clone()
                .filter(|d| d.sdp_type == SdpType::Offer);
            let pending_local_offer = s
                .descriptions
                .pending_local
                .clone()
                .filter(|d| d.sdp_type == SdpType::Offer);
            match s.transports_mut().remote_candidate(
                &mid,
                pending_offer.as_deref(),
                pending_local_offer.as_deref(),
                remote.candidate.as_ref(),
            ) {
                Trickled::Stored => Ok(RemoteCandidateOutcome::Stored),
                Trickled::Known(id) => Ok(RemoteCandidateOutcome::Delivered(id)),
                Trickled::Replaced(new, replaced) => {
                    s.queues.effect(replaced);
                    Ok(RemoteCandidateOutcome::Delivered(new))
                }
                Trickled::New(id) => {
                    s.queues.effect(Effect::RemoteCandidate {
                        transport: id,
                        candidate: remote.candidate,
                    });
                    Ok(RemoteCandidateOutcome::Delivered(id))
                }
            }
        })
    }

    /// "Add the candidate to the remote description" (pending if there is one, else current),
    /// once: `a=candidate`, or `a=end-of-candidates` for `None`.
    fn remember_remote_candidate(&mut self, index: usize, candidate: Option<&Candidate>) {
        let Some(description) = self.descriptions.remote_for_candidates() else {
            return;
        };
        // The description is shared with the session's snapshots: copy it on write.
        let Some(section) = Arc::make_mut(description).media.get_mut(index) else {
            return;
        };
        let attribute = match candidate {
            Some(c) => Attribute::Candidate(c.clone()),
            None => Attribute::EndOfCandidates,
        };
        if !section.attributes.0.contains(&attribute) {
            section.attributes.0.push(attribute);
        }
    }

    /// `restartIce()`: the next offer carries new ICE credentials (RFC 9429 §5.2.3.1).
    pub fn restart_ice(&mut self) -> Result<(), Error> {
        self.call(|s| {
            s.ensure_open("restartIce")?;
            s.ice.restart = true;
            s.after_call(Tasks::negotiation(None))
        })
    }
}

fn operation(what: String) -> Error {
    Error::Operation {
        what,
        rule: "webrtc-pc addIceCandidate: OperationError",
    }
}
