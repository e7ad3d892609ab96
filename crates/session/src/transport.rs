//! The transports: each BUNDLE group's ICE+DTLS transport, modelled explicitly so that a tag
//! move or a peer-built replacement is an effect the I/O layer acts on (decisions.md §6,
//! interop-findings §5).
//!
//! - The local side keeps its transport when its tag section stops: the tag moves to the next
//!   live section with the transport's credentials and candidates (RFC 9429 §5.2.2, §5.11).
//!   That is [`Effect::TransportRetagged`].
//! - Chromium, whichever side stops the tag, builds a new transport for the new tag: new
//!   candidates on a new port, the same ICE credentials and fingerprint, a new DTLS handshake
//!   (Firefox too, interop-findings §7). When the peer's new tag section describes a transport
//!   other than the one the group had ([`identity`]: no transport address in common), the
//!   session models a new transport and emits [`Effect::TransportReplaced`], so the I/O layer
//!   runs ICE and DTLS on it and moves the running SCTP association across.
//! - A transport is released only when no live section uses it any more (webrtc-pc "when the
//!   signaling state becomes stable", RFC 9429 §5.11).

mod identity;

use std::collections::{HashMap, HashSet};

use tacet_sdp::{Candidate, MediaSection, SessionDescription, Setup};
use tacet_transceiver_fsm::Mid;

use crate::config::TagMovePolicy;
use crate::vocab;

use crate::event::{DtlsRole, Effect, RemoteTransport, TransportId};

use identity::{Described, Known};

/// One transport as the session knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportState {
    pub(crate) id: TransportId,
    /// The mid whose section carries it in the descriptions (the BUNDLE tag).
    pub(crate) tag: Mid,
    /// The mids it serves (the BUNDLE group, or the tag alone when unbundled).
    pub(crate) members: Vec<Mid>,
    pub(crate) local_candidates: Vec<Candidate>,
    pub(crate) gathering_complete: bool,
    pub(crate) remote: Option<RemoteTransport>,
    pub(crate) role: Option<DtlsRole>,
    pub(crate) released: bool,
    /// The transport addresses its remote end is known by (decision 0006).
    known: Known,
    /// Made by this endpoint for a tag move ([`TagMovePolicy::NewTransport`]): the transport
    /// it replaces when the answer is applied.
    replaces: Option<TransportId>,
    /// Kept across a tag move on the word of the new tag section's m-line address alone (no
    /// candidate there yet: trickle ICE); the first candidate trickled for the tag confirms
    /// it or shows a new transport (`remote_candidate`).
    tentative: bool,
}

impl TransportState {
    /// Its id.
    pub fn id(&self) -> TransportId {
        self.id
    }

    /// The tag mid.
    pub fn tag(&self) -> &Mid {
        &self.tag
    }

    /// The mids it serves.
    pub fn members(&self) -> &[Mid] {
        &self.members
    }

    /// The peer's side, once a remote description named it.
    pub fn remote(&self) -> Option<&RemoteTransport> {
        self.remote.as_ref()
    }

    /// This endpoint's DTLS role, once negotiated.
    pub fn role(&self) -> Option<DtlsRole> {
        self.role
    }

    /// Closed: no live section uses it.
    pub fn is_released(&self) -> bool {
        self.released
    }

    /// Local candidates gathered for it.
    pub fn local_candidates(&self) -> &[Candidate] {
        &self.local_candidates
    }
}

/// What [`Transports::remote_candidate`] did with a trickled candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Trickled {
    /// Left in the remote description for the answer to read.
    Stored,
    /// Already given to this transport.
    Known(TransportId),
    /// It shows the peer replaced a transport kept tentatively: the new transport, and the
    /// `Effect::TransportReplaced` for the I/O layer (the candidate in its remote facts).
    Replaced(TransportId, Effect),
    /// Given to this transport now: the I/O layer is to be told.
    New(TransportId),
}

/// Every transport the session created, live or released (ids are never reused).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Transports {
    all: Vec<TransportState>,
    /// Candidates the peer trickled for a mid that this endpoint's pending offer makes a
    /// BUNDLE tag (its tag moved there), held for the answer's decision (`answer_applied`).
    held: Vec<(Mid, Candidate)>,
}

impl Transports {
    /// Every transport, live and released, in creation order.
    pub(crate) fn all(&self) -> &[TransportState] {
        &self.all
    }

    /// One transport's local candidates.
    pub(crate) fn local_candidates(&self, id: TransportId) -> Option<&[Candidate]> {
        self.all
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.local_candidates.as_slice())
    }

    /// `close()`: every live transport is released.
    pub(crate) fn release_all(&mut self, effects: &mut Vec<Effect>) {
        for t in self.all.iter_mut().filter(|t| !t.released) {
            t.released = true;
            effects.push(Effect::TransportReleased { transport: t.id });
        }
    }

    /// Every mid's live transport: mid -> the first live transport tagged with it or listing
    /// it as a member (built once: a BUNDLE group has as many members as sections).
    pub(crate) fn serving_index(&self) -> HashMap<&str, TransportId> {
        let mut index = HashMap::new();
        for t in self.all.iter().filter(|t| !t.released) {
            for mid in std::iter::once(&t.tag).chain(&t.members) {
                index.entry(mid.as_str()).or_insert(t.id);
            }
        }
        index
    }

    /// The first live transport serving `mid` (tag or member), mutable.
    pub(crate) fn serving_mut(&mut self, mid: &str) -> Option<&mut TransportState> {
        self.all.iter_mut().find(|t| {
            !t.released && (t.tag.as_str() == mid || t.members.iter().any(|m| m.as_str() == mid))
        })
    }

    /// The live transport serving `tag` or any of `mids`; else a new one tagged `tag`, and
    /// [`Effect::TransportCreated`] tells the I/O layer to gather candidates for it.
    ///
    /// When the group's transport has another tag (this description moves the tag) and the
    /// policy is [`TagMovePolicy::NewTransport`], a new transport tagged `tag` is made to
    /// replace it once the answer is applied (Chromium, interop-findings §5); until then
    /// the old one serves the group. A second call in the same round finds the new one.
    pub(crate) fn ensure(
        &mut self,
        tag: &Mid,
        mids: &[Mid],
        policy: TagMovePolicy,
        effects: &mut Vec<Effect>,
    ) -> TransportId {
        if let Some(t) = self.all.iter().find(|t| !t.released && t.tag == *tag) {
            return t.id;
        }
        let wanted: HashSet<&Mid> = mids.iter().chain([tag]).collect();
        let mut replaces = None;
        if let Some(t) = self
            .all
            .iter()
            .find(|t| !t.released && t.members.iter().any(|m| wanted.contains(m)))
        {
            if policy == TagMovePolicy::KeepTransport {
                return t.id;
            }
            replaces = Some(t.id);
        }
        let id = self.create(tag.clone(), mids.to_vec(), None, Known::default(), None);
        if let Some(t) = self.get_mut(id) {
            t.replaces = replaces;
        }
        effects.push(Effect::TransportCreated {
            transport: id,
            tag: tag.clone(),
        });
        id
    }

    fn create(
        &mut self,
        tag: Mid,
        members: Vec<Mid>,
        remote: Option<RemoteTransport>,
        known: Known,
        role: Option<DtlsRole>,
    ) -> TransportId {
        let id = TransportId::at(self.all.len());
        let members = if members.is_empty() {
            vec![tag.clone()]
        } else {
            members
        };
        self.all.push(TransportState {
            id,
            tag,
            members,
            local_candidates: Vec::new(),
            gathering_complete: false,
            remote,
            role,
            released: false,
            known,
            replaces: None,
            tentative: false,
        });
        id
    }

    pub(crate) fn get_mut(&mut self, id: TransportId) -> Option<&mut TransportState> {
        self.all.iter_mut().find(|t| t.id == id)
    }

    /// After an answer is applied (both descriptions current): follow each live group's tag,
    /// detect a peer-built replacement, record the DTLS role, and release transports no live
    /// section uses.
    /// spec: RFC 9429 §5.11; RFC 9143 §7.5 (rules 3.4c, 3.5e, 6.9).
    pub(crate) fn answer_applied(
        &mut self,
        local: &SessionDescription,
        remote: &SessionDescription,
        we_offered: bool,
        effects: &mut Vec<Effect>,
    ) {
        let local_mids = local.mid_index();
        let live = |mid: &str| {
            local_mids.get(mid).is_some_and(|(i, m)| {
                !m.is_rejected() && remote.media.get(i).is_some_and(|r| !r.is_rejected())
            })
        };
        // The groups the answer agreed on: each answer BUNDLE group, and every live
        // section outside a group on its own.
        let answer = if we_offered { remote } else { local };
        let mut groups: Vec<Vec<Mid>> = answer
            .bundle_groups()
            .map(|g| {
                g.mids()
                    .filter(|m| live(m))
                    .map(Mid::from)
                    .collect::<Vec<_>>()
            })
            .filter(|g| !g.is_empty())
            .collect();
        let grouped: HashSet<&str> = groups.iter().flatten().map(Mid::as_str).collect();
        let mut alone: Vec<Vec<Mid>> = Vec::new();
        for m in &local.media {
            if let Some(mid) = m.mid()
                && live(mid.as_str())
                && !grouped.contains(mid.as_str())
            {
                alone.push(vec![vocab::mid(mid)]);
            }
        }
        groups.extend(alone);
        let remote_mids = remote.mid_index();
        let mut in_use: Vec<TransportId> = Vec::new();
        let held = std::mem::take(&mut self.held);
        for group in groups {
            let tag = group[0].clone();
            let section = remote_mids.get(tag.as_str());
            let mut facts = section.map(|(i, section)| remote_facts(remote, i, section));
            let mut described = section
                .map(|(i, _)| Described::section(remote, i))
                .unwrap_or_default();
            // What the peer trickled for the new tag before this answer came describes the
            // answer's tag section as much as its own candidate lines do.
            for (_, c) in held.iter().filter(|(mid, _)| *mid == tag) {
                if let Some(facts) = facts.as_mut().filter(|f| !f.candidates.contains(c)) {
                    facts.candidates.push(c.clone());
                }
                described.learn_candidate(c);
            }
            let role = local_mids
                .get(tag.as_str())
                .and_then(|(i, _)| local.setup_for(i))
                .and_then(|ours| role_of(ours, facts.as_ref().and_then(|f| f.setup), we_offered));
            // This endpoint made a new transport for the moved tag (TagMovePolicy::NewTransport):
            // the answer makes it the group's, in place of the old one.
            if let Some(new) = self.take_replacement(&tag) {
                let old = self.release_replaced(new);
                let t = &mut self.all[new];
                t.members = group;
                t.known.learn(&described);
                t.remote = facts.clone();
                t.role = role.or(old.and_then(|(_, role)| role));
                if let Some((old, _)) = old {
                    effects.push(Effect::TransportReplaced {
                        old,
                        new: t.id,
                        tag,
                        remote: facts.unwrap_or_else(empty_remote),
                        role: t.role.unwrap_or(DtlsRole::Client),
                    });
                }
                in_use.push(t.id);
                continue;
            }
            let members: HashSet<&Mid> = group.iter().collect();
            let existing = self.all.iter().position(|t| {
                !t.released && (t.tag == tag || t.members.iter().any(|m| members.contains(m)))
            });
            let id = match existing {
                None => {
                    let mut known = Known::default();
                    known.learn(&described);
                    let id = self.create(tag.clone(), group.clone(), facts, known, role);
                    effects.push(Effect::TransportCreated {
                        transport: id,
                        tag: tag.clone(),
                    });
                    in_use.push(id);
                    continue;
                }
                Some(i) => i,
            };
            let t = &mut self.all[id];
            let retagged = t.tag != tag;
            // Only a tag move can bring a new transport: the peer builds one for the new tag
            // (interop-findings §5, §7); an ICE restart without a move keeps the transport.
            if retagged && facts.is_some() && t.known.is_replaced_by(&described) {
                let old = t.id;
                t.released = true;
                let role = role.or(t.role);
                let remote_facts = facts.clone().unwrap_or_else(empty_remote);
                let mut known = Known::default();
                known.learn(&described);
                let new = self.create(tag.clone(), group.clone(), facts, known, role);
                effects.push(Effect::TransportReplaced {
                    old,
                    new,
                    tag,
                    remote: remote_facts,
                    role: role.unwrap_or(DtlsRole::Client),
                });
                in_use.push(new);
                continue;
            }
            if retagged {
                effects.push(Effect::TransportRetagged {
                    transport: t.id,
                    from: t.tag.clone(),
                    to: tag.clone(),
                });
                t.tag = tag;
                // The new tag section may list candidates the kept transport was not given:
                // those trickled for the new tag while the offer that moved it was pending
                // wait in the description (`remote_candidate`) until this decision.
                if let (Some(new), Some(old)) = (&facts, &t.remote) {
                    for c in new
                        .candidates
                        .iter()
                        .filter(|c| !old.candidates.contains(c))
                    {
                        effects.push(Effect::RemoteCandidate {
                            transport: t.id,
                            candidate: Some(c.clone()),
                        });
                    }
                }
            }
            // Chromium's re-offer after it stops its tag, made before gathering, shows the old
            // transport's address on the new tag and no candidate; its new transport's
            // candidates trickle after the answer. Kept on that word alone, the transport waits
            // for them (`remote_candidate`).
            t.tentative = retagged && !described.lists_addresses();
            t.members = group;
            t.known.learn(&described);
            if facts.is_some() {
                t.remote = facts;
            }
            if role.is_some() && t.role.is_none() {
                t.role = role;
            }
            in_use.push(t.id);
        }
        for t in self.all.iter_mut().filter(|t| !t.released) {
            if !in_use.contains(&t.id) {
                t.released = true;
                effects.push(Effect::TransportReleased { transport: t.id });
            }
        }
    }

    /// The index of the live transport this endpoint made for a move of a group's tag to
    /// `tag` and that no answer has taken up yet.
    fn take_replacement(&mut self, tag: &Mid) -> Option<usize> {
        let i = self
            .all
            .iter()
            .position(|t| !t.released && t.tag == *tag && t.replaces.is_some())?;
        Some(i)
    }

    /// Releases the transport the one at `new` replaces, if it is still live: its id and DTLS
    /// role. The I/O layer is told by `TransportReplaced`, not `TransportReleased`.
    fn release_replaced(&mut self, new: usize) -> Option<(TransportId, Option<DtlsRole>)> {
        let old = self.all.get_mut(new)?.replaces.take()?;
        let t = self.get_mut(old).filter(|t| !t.released)?;
        t.released = true;
        Some((t.id, t.role))
    }

    /// After a rollback: the transports only the rolled-back round created (no live section
    /// of the current local description uses them) are closed — webrtc-pc rollback restores
    /// the transports of the last stable state (RFC 9429 §4.1.8.2: "discard the proposed
    /// changes").
    pub(crate) fn rollback(
        &mut self,
        current_local: Option<&SessionDescription>,
        effects: &mut Vec<Effect>,
    ) {
        // Held for the answer to an offer that is gone.
        self.held.clear();
        let index = current_local.map(SessionDescription::mid_index);
        let used = |mid: &Mid| {
            index
                .as_ref()
                .is_some_and(|i| i.get(mid.as_str()).is_some_and(|(_, m)| !m.is_rejected()))
        };
        for t in self.all.iter_mut().filter(|t| !t.released) {
            // A transport made for the rolled-back round's tag move is that round's too.
            if t.replaces.is_some() || (!used(&t.tag) && !t.members.iter().any(used)) {
                t.released = true;
                effects.push(Effect::TransportReleased { transport: t.id });
            }
        }
    }

    /// Where a candidate the peer trickled for `mid` goes (webrtc-pc `addIceCandidate`; the
    /// caller has written it into the remote description already). `pending_offer` is the
    /// pending remote offer, if any; `pending_local_offer` this endpoint's.
    ///
    /// While an offer that makes `mid` the tag of its BUNDLE group is pending and the
    /// transport serving `mid` has another tag, the candidate may belong to a transport the
    /// peer built for the new tag: it waits (in the remote offer, or held here for the answer
    /// to ours), and the answer decides with it (decision 0006) instead of the old transport
    /// taking it.
    pub(crate) fn remote_candidate(
        &mut self,
        mid: &str,
        pending_offer: Option<&SessionDescription>,
        pending_local_offer: Option<&SessionDescription>,
        candidate: Option<&Candidate>,
    ) -> Trickled {
        // This endpoint's pending offer moves a tag to `mid`, and the peer trickles for it
        // before answering: Chromium and Firefox build a new transport for a new tag
        // (interop-findings §5, §7) and gather for it at once. Those candidates are the new
        // transport's: given to the old transport they would make the answer look like the
        // old one (decision 0006) — and as both ends keep their ICE credentials across the
        // move, the old agent would check them and pair with the peer's new transport. The
        // answer decides with them (`answer_applied`).
        if let (Some(offer), Some(candidate)) = (pending_local_offer, candidate) {
            let moves_here = offer
                .bundle_group_of(mid)
                .and_then(|group| group.mids().next())
                .is_some_and(|tag| tag == mid)
                && self.serving_mut(mid).is_some_and(|t| t.tag.as_str() != mid);
            if moves_here {
                let held = (Mid::from(mid), candidate.clone());
                if !self.held.contains(&held) {
                    self.held.push(held);
                }
                return Trickled::Stored;
            }
        }
        let Some(t) = self.serving_mut(mid) else {
            // The answer that creates the transport is not applied yet; it reads the
            // candidate from the remote description.
            return Trickled::Stored;
        };
        let moving_here = pending_offer
            .and_then(|offer| offer.bundle_group_of(mid))
            .and_then(|group| group.mids().next())
            .is_some_and(|tag| tag == mid && t.tag.as_str() != mid);
        if moving_here {
            return Trickled::Stored;
        }
        if let Some(candidate) = candidate
            && t.tentative
            && t.tag.as_str() == mid
        {
            if t.known.is_new_socket(candidate) {
                let id = t.id;
                return self.replace_tentative(id, candidate);
            }
            t.tentative = false;
        }
        let Some(known) = t.remote.as_mut() else {
            return Trickled::Stored;
        };
        if let Some(candidate) = candidate {
            if known.candidates.contains(candidate) {
                return Trickled::Known(t.id);
            }
            known.candidates.push(candidate.clone());
            // Only what is trickled for the tag describes the transport: a peer that offered
            // with balanced bundle policy gathered for each section until the answer bundled
            // them, and trickles those candidates for their own mids — addresses of
            // transports it then discards. Learnt, they made Chromium's later re-offer, which
            // repeats them on its new tag, look like the kept transport (decision 0006).
            if t.tag.as_str() == mid {
                t.known.learn_candidate(candidate);
            }
        }
        Trickled::New(t.id)
    }

    /// The transport `id`, kept tentatively across a tag move, is replaced: the peer trickled
    /// `candidate`, a new socket, for its tag (decision 0006, "tentative"). The new transport
    /// has the old one's ICE credentials, fingerprint and role (Chromium keeps them) and the
    /// candidate; the I/O layer replaces make-before-break as after an answer.
    fn replace_tentative(&mut self, id: TransportId, candidate: &Candidate) -> Trickled {
        let Some(t) = self.all.iter_mut().find(|t| t.id == id) else {
            return Trickled::Stored;
        };
        t.released = true;
        t.tentative = false;
        let (tag, members, role) = (t.tag.clone(), t.members.clone(), t.role);
        let mut remote = t.remote.clone().unwrap_or_else(empty_remote);
        remote.candidates = vec![candidate.clone()];
        let mut known = Known::default();
        known.learn_candidate(candidate);
        let new = self.create(tag.clone(), members, Some(remote.clone()), known, role);
        Trickled::Replaced(
            new,
            Effect::TransportReplaced {
                old: id,
                new,
                tag,
                remote,
                role: role.unwrap_or(DtlsRole::Client),
            },
        )
    }

    /// The DTLS role already established on the live transports, if any.
    pub(crate) fn established_role(&self) -> Option<DtlsRole> {
        self.all.iter().filter(|t| !t.released).find_map(|t| t.role)
    }
}

/// What `remote` says about the transport of section `index`.
fn remote_facts(
    remote: &SessionDescription,
    index: usize,
    section: &MediaSection,
) -> RemoteTransport {
    RemoteTransport {
        ufrag: remote
            .ice_ufrag_for(index)
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default(),
        pwd: remote
            .ice_pwd_for(index)
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        fingerprints: remote
            .fingerprints_for(index)
            .into_iter()
            .cloned()
            .collect(),
        setup: remote.setup_for(index),
        candidates: section.attributes.candidates().cloned().collect(),
        port: section.port,
    }
}

fn empty_remote() -> RemoteTransport {
    RemoteTransport {
        ufrag: String::new(),
        pwd: String::new(),
        fingerprints: Vec::new(),
        setup: None,
        candidates: Vec::new(),
        port: 0,
    }
}

/// This endpoint's DTLS role from the two setup attributes (RFC 8842 §5): the side that
/// answered `active` is the client; `passive` the server.
fn role_of(ours: Setup, theirs: Option<Setup>, we_offered: bool) -> Option<DtlsRole> {
    if we_offered {
        match theirs? {
            Setup::Active => Some(DtlsRole::Server),
            Setup::Passive => Some(DtlsRole::Client),
            Setup::ActPass | Setup::HoldConn => None,
        }
    } else {
        match ours {
            Setup::Active => Some(DtlsRole::Client),
            Setup::Passive => Some(DtlsRole::Server),
            Setup::ActPass | Setup::HoldConn => None,
        }
    }
}
