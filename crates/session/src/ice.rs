//! ICE on the session's side: local candidates the I/O layer gathered, remote candidates the
//! peer trickles (webrtc-pc `addIceCandidate`), and `restartIce()`. The session only decides
//! which transport a candidate belongs to; the ICE agent lives in the I/O layer.

use std::sync::Arc;
use tacet_sdp::{Attribute, Candidate};

use crate::error::Error;
use crate::event::{Effect, TransportId};
use crate::session::{Session, Tasks};

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
    /// and the candidate travels with it when it does (in
    /// [`crate::RemoteTransport::candidates`]).
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
        self.atomically(|s| {
            s.ensure_open("add_local_candidate")?;
            let t = s
                .transports
                .get_mut(transport)
                .ok_or_else(|| Error::InvalidState {
                    what: format!("no transport {transport:?}"),
                    rule: "tacet: candidates belong to a transport the session created",
                })?;
            t.local_candidates.push(candidate);
            Ok(())
        })
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
        self.atomically(|s| {
            s.ensure_open("addIceCandidate")?;
            let description = s
                .descriptions
                .pending_remote
                .as_deref()
                .or(s.descriptions.current_remote.as_deref())
                .ok_or_else(|| Error::InvalidState {
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
            let Some(mid) = description.media[index].mid().map(|m| m.as_str().to_owned()) else {
                return Err(operation(format!("m-section {index} has no mid")));
            };
            if s.transceivers()
                .any(|t| t.mid().is_some_and(|m| m.as_str() == mid) && t.is_stopped())
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
            let Some(transport) = s.transports.serving_mut(&mid) else {
                // The answer that creates the transport is not made yet; it reads the
                // candidate from the remote description.
                return Ok(RemoteCandidateOutcome::Stored);
            };
            let Some(known) = transport.remote.as_mut() else {
                return Ok(RemoteCandidateOutcome::Stored);
            };
            if let Some(candidate) = &remote.candidate {
                if known.candidates.contains(candidate) {
                    return Ok(RemoteCandidateOutcome::Delivered(transport.id));
                }
                known.candidates.push(candidate.clone());
            }
            let id = transport.id;
            s.effects.push_back(Effect::RemoteCandidate {
                transport: id,
                candidate: remote.candidate,
            });
            Ok(RemoteCandidateOutcome::Delivered(id))
        })
    }

    /// "Add the candidate to the remote description" (pending if there is one, else current),
    /// once: `a=candidate`, or `a=end-of-candidates` for `None`.
    fn remember_remote_candidate(&mut self, index: usize, candidate: Option<&Candidate>) {
        let description = match self.descriptions.pending_remote.as_mut() {
            Some(pending) => pending,
            None => match self.descriptions.current_remote.as_mut() {
                Some(current) => current,
                None => return,
            },
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
        self.atomically(|s| {
            s.ensure_open("restartIce")?;
            s.ice_restart = true;
            s.after_call(Tasks {
                update_negotiation_needed: true,
                ..Tasks::default()
            });
            Ok(())
        })
    }
}

fn operation(what: String) -> Error {
    Error::Operation {
        what,
        rule: "webrtc-pc addIceCandidate: OperationError",
    }
}
