//! `setLocalDescription`, `setRemoteDescription` and rollback (webrtc-pc "set the session
//! description"; RFC 9429 §5.7, §5.9-§5.11).
//!
//! Each m-section's facts (mid, direction, rejected) go to its transceiver machine, which
//! decides what stops; the session does the bookkeeping around it: association, recycling,
//! codecs, descriptions, transports, removal after an answer, mode and negotiation-needed.

use std::collections::HashMap;
use std::sync::Arc;
use tacet_sdp::{SdpType, SessionDescription};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::stop_table::AfterExchange;
use tacet_transceiver_fsm::{DescriptionKind, Input, RollbackAction, Section};

use crate::codecs;
use crate::config::{PeerPolicy, UnassociatedStopPolicy};
use crate::descriptions::{Created, LastCreated, Owner};
use crate::error::Error;
use crate::event::{Effect, Event};
use crate::mode::Mode;
use crate::session::Session;
use crate::signaling::{self, Side, SignalingState};
use crate::tasks::Tasks;
use crate::transceiver::{Origin, TransceiverId};
use crate::vocab;

/// webrtc-pc remote branch: the msids are "the MSIDs that the media description indicates"
/// when the direction (ours) receives, else an empty list — also when it is rejected. `-` means
/// no stream (RFC 8830 §2).
fn remote_streams(section: &tacet_sdp::MediaSection) -> Vec<String> {
    if section.is_rejected() || !section.direction().reverse().has_recv() {
        return Vec::new();
    }
    let mut streams: Vec<String> = Vec::new();
    for msid in section.attributes.msids() {
        let id = msid.stream_id();
        if id != "-" && !streams.iter().any(|s| s == id) {
            streams.push(id.to_owned());
        }
    }
    streams
}

/// What the transceiver machine is told about its m-section.
fn facts(section: &tacet_sdp::MediaSection, mid: &tacet_sdp::Mid) -> Section {
    Section {
        mid: vocab::mid(mid),
        direction: vocab::section_direction(section),
        rejected: section.is_rejected(),
    }
}

/// Whether a remote description already passed the parser's checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Checked {
    /// Built or edited in code: [`SessionDescription::validate`] runs.
    No,
    /// Parsed from text: the parser ran the same checks.
    ByTheParser,
}

/// The most settled pairs [`SharedCodecs`] keeps (a description with more distinct codec lines
/// records the rest every time, as before).
const SETTLED_KEPT: usize = 16;

/// The distinct codec lists one description negotiated: sections of a kind usually negotiate
/// the same codecs, so their transceivers share one list (less memory per transceiver, and a
/// snapshot of the session copies a pointer, not the list). A reading is recorded in the
/// registry again only while that could change it.
#[derive(Default)]
struct SharedCodecs<'a> {
    reader: codecs::Reader<'a>,
    /// The (media type, reading) pairs whose last recording left the registry unchanged, and
    /// the registry has not changed since: recording them again would not change it either.
    settled: Vec<(TrackKind, usize)>,
}

impl Session {
    /// `setLocalDescription(description)`. The description must be the last one
    /// `createOffer`/`createAnswer` returned (webrtc-pc: InvalidModificationError otherwise);
    /// a pranswer may use the last answer's SDP. A rollback description rolls back.
    pub fn set_local_description(&mut self, description: SessionDescription) -> Result<(), Error> {
        self.call(|s| {
            s.ensure_open("setLocalDescription")?;
            let next = signaling::next(s.signaling, Side::Local, description.sdp_type)?;
            match description.sdp_type {
                SdpType::Rollback => s.rollback(),
                SdpType::Offer => {
                    let created = s.created(s.descriptions.last_offer.as_deref(), description)?;
                    s.apply_local_offer(created, next)
                }
                SdpType::Answer | SdpType::Pranswer => {
                    let created = s.created(s.descriptions.last_answer.as_deref(), description)?;
                    s.apply_local_answer(created, next)
                }
            }
        })
    }

    /// `setLocalDescription()` without a description: creates an offer or an answer as the
    /// signaling state asks (webrtc-pc: an offer in stable and have-local-offer, else an
    /// answer) and sets it, as one call.
    /// Returns the description set, to send to the peer.
    pub fn set_local_description_implicit(&mut self) -> Result<SessionDescription, Error> {
        self.call(|s| {
            s.ensure_open("setLocalDescription")?;
            let description = match signaling::implicit_local_type(s.signaling) {
                SdpType::Offer => s.create_offer()?,
                _ => s.create_answer()?,
            };
            s.set_local_description(description.clone())?;
            Ok(description)
        })
    }

    /// `setRemoteDescription(description)`. A remote offer in have-local-offer (glare) rolls the
    /// local offer back first, as part of this call: if the offer is then refused, the rollback
    /// is undone too and the session is unchanged (a browser would keep the rollback; tacet's
    /// calls are atomic, decisions 0005).
    pub fn set_remote_description(&mut self, description: SessionDescription) -> Result<(), Error> {
        self.set_remote(description, Checked::No)
    }

    /// `setRemoteDescription`, for a description the parser has `checked` or not.
    fn set_remote(
        &mut self,
        description: SessionDescription,
        checked: Checked,
    ) -> Result<(), Error> {
        self.call(|s| {
            let mut description = description;
            s.ensure_open("setRemoteDescription")?;
            // webrtc-pc "set the session description": a type invalid for the signaling state
            // is an InvalidStateError before anything about the content (a stale answer whose
            // version also went down is refused for the state, not the version). A remote offer
            // in have-local-offer is valid: it rolls the local offer back first (glare).
            if !signaling::rolls_back_first(s.signaling, Side::Remote, description.sdp_type) {
                signaling::next(s.signaling, Side::Remote, description.sdp_type)?;
            }
            if description.sdp_type != SdpType::Rollback {
                // A description built or edited in code skipped the parser's checks (the
                // parser runs the same ones: `validate` is its grammar and cross-line checks).
                if checked == Checked::No {
                    description.validate().map_err(Error::remote_sdp)?;
                }
                let mut bends = s.origin_bends(&description)?;
                bends.extend(s.read_rejections(&mut description));
                s.peer_warnings(bends)?;
                codecs::check_remote(&description)?;
            }
            if signaling::rolls_back_first(s.signaling, Side::Remote, description.sdp_type) {
                // spec: webrtc-pc setRemoteDescription step "implicit rollback"; RFC 9429 §4.1.8.2
                s.rollback()?;
            }
            let next = signaling::next(s.signaling, Side::Remote, description.sdp_type)?;
            match description.sdp_type {
                SdpType::Rollback => s.rollback(),
                SdpType::Offer => s.apply_remote_offer(description, next),
                SdpType::Answer | SdpType::Pranswer => s.apply_remote_answer(description, next),
            }
        })
    }

    /// Parses `text` (the peer's SDP) and sets it as the remote description. Parse errors are
    /// the peer's fault; the parser's warnings become [`Event::PeerWarning`]s.
    pub fn set_remote_description_text(
        &mut self,
        sdp_type: SdpType,
        text: &str,
    ) -> Result<(), Error> {
        let parsed = SessionDescription::parse(sdp_type, text).map_err(Error::remote_sdp)?;
        self.call(|s| {
            s.queues
                .events(parsed.warnings.into_iter().map(Event::PeerWarning));
            s.set_remote(parsed.description, Checked::ByTheParser)
        })
    }

    /// RFC 3264 §8: the peer's next description keeps its origin and raises the version when
    /// the content changed. A lower version is refused at once; a changed origin and an
    /// unchanged version with new content (aiortc 1.16 never raises it) are bends: warnings
    /// under the tolerant policy, refusals under the strict one ([`Self::peer_warnings`]).
    fn origin_bends(
        &self,
        description: &SessionDescription,
    ) -> Result<Vec<tacet_sdp::Warning>, Error> {
        let Some(previous) = self.descriptions.remote() else {
            return Ok(Vec::new());
        };
        description
            .check_follows(previous)
            .map_err(Error::remote_sdp)
    }

    /// An answer that keeps a live port (and its BUNDLE membership) for a section the offer
    /// rejected — aiortc 1.16 answering a stop. Tolerant: read as the rejection the rules
    /// require (decisions.md §2), and said; strict: only found, to be refused with every other
    /// bend (the answer is left as it is).
    fn read_rejections(&self, description: &mut SessionDescription) -> Vec<tacet_sdp::Warning> {
        let (SdpType::Answer | SdpType::Pranswer, Some(offer)) = (
            description.sdp_type,
            self.descriptions.pending_local.as_deref(),
        ) else {
            return Vec::new();
        };
        match self.config.peer_policy {
            PeerPolicy::Tolerant => description.reject_what_the_offer_rejected(offer),
            PeerPolicy::Strict => description.clone().reject_what_the_offer_rejected(offer),
        }
    }

    /// Reports tolerated bends as events; under the strict policy refuses the description with
    /// the first bend, listing every other one too (the peer's author learns all of them).
    fn peer_warnings(&mut self, warnings: Vec<tacet_sdp::Warning>) -> Result<(), Error> {
        if self.config.peer_policy == PeerPolicy::Strict && !warnings.is_empty() {
            let mut warnings = warnings.into_iter();
            // Invariant: not empty, checked above.
            let first = warnings.next().expect("invariant: warnings is not empty");
            return Err(Error::PeerViolation {
                what: first.to_string(),
                rule: first.kind.rule(),
                also: warnings.collect(),
            });
        }
        self.queues
            .events(warnings.into_iter().map(Event::PeerWarning));
        Ok(())
    }

    /// The created description `description` must equal (its type may differ for pranswer).
    fn created(
        &self,
        created: Option<&LastCreated>,
        description: SessionDescription,
    ) -> Result<Created, Error> {
        let Some(created) = created else {
            return Err(Error::InvalidModification {
                what: format!("no {} was created to set", description.sdp_type),
                rule: "webrtc-pc setLocalDescription: the SDP must be the last created one",
            });
        };
        if !created.matches(&description) {
            return Err(Error::InvalidModification {
                what: "the description differs from the one the session created (SDP munging)"
                    .into(),
                rule: "webrtc-pc setLocalDescription: InvalidModificationError",
            });
        }
        let description = match created.kept(&description) {
            Some(kept) => Arc::clone(kept),
            None => Arc::new(description),
        };
        Ok(Created {
            description,
            owners: created.owners.clone(),
            ice: created.ice.clone(),
        })
    }

    fn apply_local_offer(&mut self, created: Created, next: SignalingState) -> Result<(), Error> {
        let description = created.description;
        let mut tasks = Tasks::default();
        for (section, owner) in description.media.iter().zip(&created.owners) {
            let Some(mid) = section.mid().cloned() else {
                continue;
            };
            self.transceivers.mid_used(mid.as_str());
            if let Owner::Transceiver(id) = owner {
                self.drive(
                    *id,
                    Input::LocalDescription {
                        kind: DescriptionKind::Offer,
                        section: facts(section, &mid),
                    },
                    &mut tasks,
                )?;
            }
        }
        self.drop_unassociated_stops(&mut tasks)?;
        self.ice.offered(created.ice);
        self.version = description.origin.session_version;
        self.descriptions.pending_local = Some(description);
        self.set_signaling(next);
        self.after_call(tasks)
    }

    fn apply_local_answer(&mut self, created: Created, next: SignalingState) -> Result<(), Error> {
        let description = created.description;
        let kind = vocab::description_kind(description.sdp_type);
        let mut tasks = Tasks::default();
        let mut shared = SharedCodecs::default();
        for (section, owner) in description.media.iter().zip(&created.owners) {
            let Some(mid) = section.mid().cloned() else {
                continue;
            };
            if let Owner::Transceiver(id) = owner {
                self.drive(
                    *id,
                    Input::LocalDescription {
                        kind,
                        section: facts(section, &mid),
                    },
                    &mut tasks,
                )?;
                // Our answer's direction is our sending direction.
                self.negotiated(*id, section, section.direction().has_send(), &mut shared)?;
            }
        }
        self.version = description.origin.session_version;
        if description.sdp_type == SdpType::Answer {
            let remote = self.descriptions.pending_remote.take();
            self.descriptions.set_current(Some(description), remote);
            self.descriptions.pending_local = None;
            self.set_signaling(next);
            self.answer_applied(false, &mut tasks)?;
        } else {
            self.descriptions.pending_local = Some(description);
            self.set_signaling(next);
        }
        self.after_call(tasks)
    }

    fn apply_remote_offer(
        &mut self,
        offer: SessionDescription,
        next: SignalingState,
    ) -> Result<(), Error> {
        self.check_remote_offer_layout(&offer)?;
        let mut tasks = Tasks::default();
        let mut picked: Vec<TransceiverId> = Vec::new();
        let by_mid = self.transceivers.by_mid();
        for (index, section) in offer.media.iter().enumerate() {
            // Checked above: every section has a mid.
            let Some(mid) = section.mid().cloned() else {
                continue;
            };
            self.transceivers.mid_used(mid.as_str());
            // Data is not a transceiver; other kinds are rejected by the answer.
            let Some(media) = vocab::track_kind(&section.kind) else {
                continue;
            };
            let existing = by_mid.get(mid.as_str()).copied();
            let id = match existing {
                Some(id) if self.transceivers.get(id)?.kind != media => {
                    return Err(Error::peer(
                        format!(
                            "mid {mid} names a {:?} transceiver but the offer makes it {}",
                            self.transceivers.get(id)?.kind,
                            section.kind
                        ),
                        "RFC 9429 §5.10: an m= section keeps the media type of the transceiver its mid is associated with",
                    ));
                }
                Some(id) => id,
                // A rejected section nobody holds (its transceiver was stopped and removed):
                // a placeholder, not a new transceiver (RFC 9429 §5.10 associates only
                // sections that are not rejected).
                None if section.is_rejected() => continue,
                None => {
                    // RFC 9429 §5.10: a recycled m-section disassociates its old transceiver.
                    if let Some(old) = self.previous_owner(index, &by_mid) {
                        self.drive(old, Input::Recycled, &mut tasks)?;
                    }
                    self.find_or_create_for(media, section.direction().has_recv(), &picked)
                }
            };
            picked.push(id);
            self.drive(
                id,
                Input::RemoteDescription {
                    kind: DescriptionKind::Offer,
                    section: facts(section, &mid),
                },
                &mut tasks,
            )?;
            self.set_remote_streams(id, remote_streams(section), &mut tasks)?;
        }
        self.descriptions.pending_remote = Some(Arc::new(offer));
        self.set_signaling(next);
        self.after_call(tasks)
    }

    /// RFC 9429 §5.10: a transceiver for a new remote m-section — "if the m= section is
    /// sendrecv or recvonly" (the offerer will receive), the first addTrack one of the kind that
    /// is unassociated and not stopped; else a new recvonly one.
    fn find_or_create_for(
        &mut self,
        media: TrackKind,
        offerer_receives: bool,
        picked: &[TransceiverId],
    ) -> TransceiverId {
        let found = self
            .transceivers()
            .find(|t| {
                offerer_receives
                    && t.kind == media
                    && t.origin == Origin::Local
                    && t.add_track_touched
                    && t.fsm.rules().takes_new_remote_section
                    && !picked.contains(&t.id)
            })
            .map(|t| t.id);
        found.unwrap_or_else(|| {
            self.create_transceiver(
                media,
                tacet_transceiver_fsm::Direction::RecvOnly,
                Origin::PendingRemoteOffer,
            )
        })
    }

    /// The transceiver that owned m-line `index` before, if it is still associated
    /// (`by_mid`: the transceivers by mid, as [`Session::transceivers_by_mid`] gave them).
    fn previous_owner(
        &self,
        index: usize,
        by_mid: &HashMap<String, TransceiverId>,
    ) -> Option<TransceiverId> {
        let previous = self
            .descriptions
            .current_remote()
            .or(self.descriptions.current_local())?;
        let mid = previous.media.get(index)?.mid()?.as_str();
        let id = *by_mid.get(mid)?;
        // Still associated with it now (the index was taken before this call changed anything).
        let now = self.transceivers.get(id).ok()?.mid();
        (now.map(|m| m.as_str()) == Some(mid)).then_some(id)
    }

    /// A remote offer keeps every m-line of the current descriptions in place with its mid,
    /// except the ones it may recycle (port 0 in a current description: new mid, any kind).
    /// spec: RFC 9429 §5.2.2, §5.10; webrtc-pc "validate back-to-back offers" (rules 3.2e, 1.6h).
    fn check_remote_offer_layout(&self, offer: &SessionDescription) -> Result<(), Error> {
        if let Some(index) = offer.media.iter().position(|m| m.mid().is_none()) {
            return Err(Error::peer(
                format!("m-section {index} has no a=mid"),
                "RFC 9429 §5.10: every m= section of a JSEP offer carries a=mid",
            ));
        }
        // webrtc-pc: "validate back-to-back offers as if answers were applied in between": an
        // offer replacing a pending remote offer keeps that offer's m-lines too.
        let current = self
            .descriptions
            .current_local()
            .or(self.descriptions.current_remote())
            .map(|d| &**d);
        for previous in [current, self.descriptions.pending_remote.as_deref()]
            .into_iter()
            .flatten()
        {
            self.check_offer_keeps(offer, previous)?;
        }
        Ok(())
    }

    /// `offer` keeps every m-line of `current` in place with its mid and kind, except the ones
    /// that are recyclable (port 0 in a current description, or in `current` itself when it is
    /// the pending offer being replaced).
    fn check_offer_keeps(
        &self,
        offer: &SessionDescription,
        current: &SessionDescription,
    ) -> Result<(), Error> {
        if offer.media.len() < current.media.len() {
            return Err(Error::peer(
                format!(
                    "the offer has {} m-sections, the current description {}",
                    offer.media.len(),
                    current.media.len()
                ),
                "RFC 3264 §8 / RFC 9429 §5.2.2: m= sections are never removed",
            ));
        }
        // Indexed on first use: only recycled sections look their new mid up.
        let current_mids = std::cell::OnceCell::new();
        // `current` is the pending remote offer being replaced (the same object, not an equal
        // one: comparing descriptions per section made this loop O(n²)).
        let replacing_pending = self
            .descriptions
            .pending_remote
            .as_deref()
            .is_some_and(|pending| std::ptr::eq(pending, current));
        for (index, (old, new)) in current.media.iter().zip(&offer.media).enumerate() {
            let same = old.mid() == new.mid() && old.kind == new.kind;
            let recyclable = self.descriptions.recyclable(index)
                || (replacing_pending && old.port == 0 && !old.attributes.bundle_only());
            if !same && !recyclable {
                return Err(Error::peer(
                    format!(
                        "m-section {index} changed from {} mid {:?} to {} mid {:?} without being \
                         recyclable",
                        old.kind,
                        old.mid().map(|m| m.as_str()),
                        new.kind,
                        new.mid().map(|m| m.as_str())
                    ),
                    "RFC 9429 §5.2.2: only a port-0 m= section of a current description is recycled",
                ));
            }
            if !same
                && new.mid().is_some_and(|mid| {
                    current_mids
                        .get_or_init(|| current.mid_index())
                        .get(mid.as_str())
                        .is_some()
                })
            {
                return Err(Error::peer(
                    format!("recycled m-section {index} reuses a mid"),
                    "RFC 9429 §5.2.2: a recycled m= section gets a new MID",
                ));
            }
        }
        Ok(())
    }

    fn apply_remote_answer(
        &mut self,
        answer: SessionDescription,
        next: SignalingState,
    ) -> Result<(), Error> {
        let offer = self
            .descriptions
            .pending_local
            .clone()
            .ok_or_else(|| Error::InvalidState {
                what: "a remote answer without a local offer".into(),
                rule: "webrtc-pc set the session description",
            })?;
        answer.check_answer(&offer).map_err(Error::remote_sdp)?;
        let kind = vocab::description_kind(answer.sdp_type);
        let mut tasks = Tasks::default();
        let by_mid = self.transceivers.by_mid();
        let mut shared = SharedCodecs::default();
        for section in &answer.media {
            let Some(mid) = section.mid().cloned() else {
                continue;
            };
            let Some(&id) = by_mid.get(mid.as_str()) else {
                continue;
            };
            self.drive(
                id,
                Input::RemoteDescription {
                    kind,
                    section: facts(section, &mid),
                },
                &mut tasks,
            )?;
            // The remote answer's direction reversed is ours.
            self.negotiated(id, section, section.direction().has_recv(), &mut shared)?;
            self.set_remote_streams(id, remote_streams(section), &mut tasks)?;
        }
        if answer.sdp_type == SdpType::Answer {
            let local = self.descriptions.pending_local.take();
            self.descriptions.set_current(local, Some(Arc::new(answer)));
            self.descriptions.pending_remote = None;
            self.set_signaling(next);
            self.answer_applied(true, &mut tasks)?;
        } else {
            self.descriptions.pending_remote = Some(Arc::new(answer));
            self.set_signaling(next);
        }
        self.after_call(tasks)
    }

    /// Records what a live answer section negotiated for transceiver `id`: its codecs (in the
    /// payload-type registry too) and whether its sender now sends.
    fn negotiated<'a>(
        &mut self,
        id: TransceiverId,
        section: &'a tacet_sdp::MediaSection,
        we_send: bool,
        shared: &mut SharedCodecs<'a>,
    ) -> Result<(), Error> {
        if section.is_rejected() {
            return Ok(());
        }
        let read = shared.reader.read(section);
        let media = self.transceivers.get(id)?.kind;
        if !shared.settled.contains(&(media, read.id)) {
            let registry = Arc::make_mut(&mut self.registry);
            if registry.record(media, &read.codecs, &read.extensions) {
                shared.settled.clear();
            } else if shared.settled.len() < SETTLED_KEPT {
                shared.settled.push((media, read.id));
            }
        }
        let entry = self.transceivers.get_mut(id)?;
        if *entry.codecs != *read.codecs {
            entry.codecs = read.codecs;
        }
        if we_send && entry.sender.track.is_some() && entry.fsm.rules().media {
            entry.sender.sent = true;
        }
        Ok(())
    }

    /// After an answer: remove the stopped transceivers whose section is rejected in a current
    /// description (webrtc-pc), follow the answer with the transports, report what each transceiver now does,
    /// update the mode, then "clear and update the negotiation-needed flag".
    /// spec: webrtc-pc "set the session description", after applying an answer and "when the signaling state becomes stable" (rules 1.6c, 1.6d).
    fn answer_applied(&mut self, we_offered: bool, tasks: &mut Tasks) -> Result<(), Error> {
        let (Some(local), Some(remote)) = (
            self.descriptions.current_local().cloned(),
            self.descriptions.current_remote().cloned(),
        ) else {
            return Ok(());
        };
        let (local_mids, remote_mids) = (local.mid_index(), remote.mid_index());
        let ids: Vec<TransceiverId> = self.transceivers().map(|t| t.id).collect();
        for id in &ids {
            let rejected = self.transceivers.get(*id)?.mid().is_some_and(|mid| {
                let rejected_in = |d: &tacet_sdp::MidIndex<'_>| {
                    d.get(mid.as_str()).is_some_and(|(_, m)| m.is_rejected())
                };
                rejected_in(&local_mids) || rejected_in(&remote_mids)
            });
            self.drive(*id, Input::AnswerApplied { rejected }, tasks)?;
            // The signaling state is stable: this is the last stable state now. Written only
            // where it changes (a write saves the transceiver for the call's rollback).
            let entry = self.transceivers.get(*id)?;
            let settled = entry.origin != Origin::PendingRemoteOffer
                && entry.receiver.stable_remote_streams == entry.receiver.remote_streams;
            if !settled {
                let entry = self.transceivers.get_mut(*id)?;
                if entry.origin == Origin::PendingRemoteOffer {
                    entry.origin = Origin::RemoteOffer;
                }
                let receiver = &mut entry.receiver;
                receiver.stable_remote_streams = receiver.remote_streams.clone();
            }
        }
        // A transceiver that is stopped (or stopping) with no mid when an exchange completes
        // has no m-line and can never get one: the answerer never offers, so only this drops
        // it there (found by the model-based test: addTrack onto a transceiver a remote offer
        // created, stopped by the next offer, which is then rolled back).
        self.drop_unassociated_stops(tasks)?;
        let mut effects = Vec::new();
        self.transports_mut()
            .answer_applied(&local, &remote, we_offered, &mut effects);
        self.queues.effects(effects);
        // Each mid's live transport, indexed once (a scan per section over a BUNDLE group's
        // members, as many as there are sections, made this loop O(n²)).
        let serving = self.transports.serving_index();
        let mut negotiated = Vec::new();
        for t in self.transceivers().filter(|t| t.fsm.rules().media) {
            let Some(mid) = t.mid() else { continue };
            let Some((_, section)) = local_mids.get(mid.as_str()) else {
                continue;
            };
            if section.is_rejected() {
                continue;
            }
            let Some(&transport) = serving.get(mid.as_str()) else {
                continue;
            };
            let direction = section.direction();
            negotiated.push(Effect::MediaNegotiated {
                transceiver: t.id,
                mid: mid.clone(),
                transport,
                send: direction.has_send(),
                receive: direction.has_recv(),
                codecs: t.codecs.clone(),
                ssrcs: t.sender.ssrcs(),
            });
        }
        self.queues.effects(negotiated);
        self.set_mode(Mode::of(Some(&local), Some(&remote)));
        self.negotiation_needed = false;
        tasks.update_negotiation_needed = true;
        Ok(())
    }

    /// decisions.md §2 ([`UnassociatedStopPolicy::Drop`]): removes every transceiver that is
    /// stopping or stopped and associated with no m-section, when a local offer is applied
    /// (it gets no m-line) and when an exchange completes (it never will).
    fn drop_unassociated_stops(&mut self, tasks: &mut Tasks) -> Result<(), Error> {
        if self.config.unassociated_stop != UnassociatedStopPolicy::Drop {
            return Ok(());
        }
        let dropped: Vec<TransceiverId> = self
            .transceivers()
            .filter(|t| t.fsm.rules().after_exchange == AfterExchange::DroppedByPolicy)
            .map(|t| t.id)
            .collect();
        for id in dropped {
            self.drive(id, Input::DropUnassociated, tasks)?;
        }
        Ok(())
    }

    /// Rollback (webrtc-pc rollback steps; RFC 9429 §5.7): the pending description is dropped;
    /// transceivers associated only by it lose their mid; one created by a rolled-back remote
    /// offer and never given a track by addTrack is stopped (track ended) and removed; a stop is
    /// never undone.
    /// spec: webrtc-pc "set the session description", rollback; RFC 9429 §5.7 (rules 1.6f, 3.4d).
    fn rollback(&mut self) -> Result<(), Error> {
        let remote_offer = self.signaling == SignalingState::HaveRemoteOffer;
        let mut tasks = Tasks::default();
        // The mids the current descriptions hold (shared copies: cheap to keep while the
        // transceivers change).
        let current = [
            self.descriptions.current_local().cloned(),
            self.descriptions.current_remote().cloned(),
        ];
        let indexes: Vec<tacet_sdp::MidIndex<'_>> =
            current.iter().flatten().map(|d| d.mid_index()).collect();
        let associated_before = |mid: &tacet_transceiver_fsm::Mid| {
            indexes.iter().any(|i| i.get(mid.as_str()).is_some())
        };
        let ids: Vec<TransceiverId> = self.transceivers().map(|t| t.id).collect();
        for id in ids {
            let t = self.transceivers.get(id)?;
            let action = if t.origin == Origin::PendingRemoteOffer && !t.add_track_touched {
                RollbackAction::Remove
            } else if t.mid().is_some_and(|mid| !associated_before(mid)) {
                RollbackAction::Disassociate
            } else {
                RollbackAction::Keep
            };
            // webrtc-pc rollback, have-remote-offer: the associated remote streams go back to
            // [[LastStableStateAssociatedRemoteMediaStreams]] — also for a transceiver the
            // rollback removes (its track leaves the streams the offer put it in: WPT
            // checkRemoveTrackNegotiation expects `removetrack` for it).
            if remote_offer {
                let stable = self
                    .transceivers
                    .get(id)?
                    .receiver
                    .stable_remote_streams
                    .clone();
                self.set_remote_streams(id, stable, &mut tasks)?;
            }
            self.drive(
                id,
                Input::Rollback {
                    action,
                    remote_offer,
                },
                &mut tasks,
            )?;
            let entry = self.transceivers.get_mut(id)?;
            if entry.origin == Origin::PendingRemoteOffer {
                entry.origin = Origin::Local;
            }
        }
        self.descriptions.pending_local = None;
        self.descriptions.pending_remote = None;
        let mut effects = Vec::new();
        let current_local = self.descriptions.current_local().cloned();
        self.transports_mut()
            .rollback(current_local.as_deref(), &mut effects);
        self.queues.effects(effects);
        self.set_signaling(SignalingState::Stable);
        self.negotiation_needed = false;
        tasks.update_negotiation_needed = true;
        self.after_call(tasks)
    }
}
