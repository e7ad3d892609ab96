//! `createAnswer` (RFC 9429 §5.3.1, §5.3.2).
//!
//! An offered m-section is rejected (port 0) when, and only when:
//! - it is rejected in the offer;
//! - the stop table says so for its transceiver ([`AnswerLine::Rejected`]: **stopped**) — a
//!   merely *stopping* one answers `a=inactive` ([`AnswerLine::Inactive`]), because rejecting
//!   could hit the offerer-tagged section and take the whole BUNDLE group, data channel
//!   included (webrtc-pc createAnswer note, webrtc-pc#2150);
//! - no offered codec is supported, or the kind is not audio, video or data;
//! - the bundle policy excludes it (max-bundle: outside the first section's group);
//! - the offerer-tagged section of its BUNDLE group is rejected: then the whole group is
//!   (RFC 9143 §7.3.3).
//!
//! An answer never recycles and never changes the m-line count or order.

use std::collections::HashSet;
use std::sync::Arc;

use tacet_sdp::Origin as SdpOrigin;
use tacet_sdp::{
    Attribute, Fingerprint, MediaKind, MediaSection, SdpType, SessionDescription, Setup,
};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::stop_table::AnswerLine;
use tacet_transceiver_fsm::{Direction, Mid};

use crate::codecs;
use crate::config::BundlePolicy;
use crate::descriptions::{Created, CreatedContent, LastCreated, Owner};
use crate::error::Error;
use crate::event::{DtlsRole, TransportId};
use crate::offer::TransportAttrs;
use crate::session::Session;
use crate::signaling::SignalingState;
use crate::vocab;

/// The codecs and header extensions an answer accepts for one section (shared by the sections
/// that offered the same codec lines).
type SectionAnswer = (Arc<[codecs::NegotiatedCodec]>, Arc<[(String, u16)]>);

/// The most distinct answers kept per offer, as [`codecs::Reader`] bounds its readings.
const ANSWERS_KEPT: usize = 8;

impl Session {
    /// `createAnswer()`: in have-remote-offer or have-local-pranswer.
    pub fn create_answer(&mut self) -> Result<SessionDescription, Error> {
        self.call(|s| {
            s.ensure_open("createAnswer")?;
            if !matches!(
                s.signaling,
                SignalingState::HaveRemoteOffer | SignalingState::HaveLocalPranswer
            ) {
                return Err(Error::InvalidState {
                    what: format!("createAnswer in {}", s.signaling),
                    rule: "webrtc-pc createAnswer: signaling state neither have-remote-offer nor have-local-pranswer",
                });
            }
            let offer = s
                .descriptions
                .pending_remote
                .clone()
                .ok_or_else(|| Error::InvalidState {
                    what: "createAnswer without a remote offer".into(),
                    rule: "webrtc-pc createAnswer: [[PendingRemoteDescription]] is null",
                })?;
            let created = s.build_answer(&offer)?;
            // As for offers: the checks the offerer will run on this answer run here first.
            created
                .description
                .validate()
                .map_err(Error::local_sdp)?;
            created
                .description
                .check_answer(&offer)
                .map_err(Error::local_sdp)?;
            let description = (*created.description).clone();
            s.descriptions.last_answer = Some(Arc::new(LastCreated {
                content: CreatedContent::Kept(created.description),
                owners: created.owners,
                ice: created.ice,
            }));
            Ok(description)
        })
    }

    fn build_answer(&mut self, offer: &SessionDescription) -> Result<Created, Error> {
        let by_mid = self.transceivers.by_mid();
        let owners: Vec<Owner> = offer
            .media
            .iter()
            .map(|m| {
                if m.is_data() {
                    return Owner::Data;
                }
                m.mid()
                    .and_then(|mid| by_mid.get(mid.as_str()))
                    .map_or(Owner::Vacant, |id| Owner::Transceiver(*id))
            })
            .collect();
        // Codecs per section, and the first pass of rejections.
        let mut answers: Vec<Option<SectionAnswer>> = Vec::with_capacity(offer.media.len());
        let mut rejected: Vec<bool> = Vec::with_capacity(offer.media.len());
        let ids = codecs::AnswerIds::new(&self.config.codecs, &self.registry, offer);
        // A section's answer depends on its media type and its codec lines only (the
        // configuration and `ids` are the offer's): worked out once per distinct pair.
        let mut reader = codecs::Reader::default();
        let mut answered: Vec<(TrackKind, usize, SectionAnswer)> = Vec::new();
        for (section, owner) in offer.media.iter().zip(&owners) {
            let mut reject = section.is_rejected();
            let mut negotiated = None;
            match owner {
                Owner::Transceiver(id) => {
                    let t = self.transceivers.get(*id)?;
                    let read = reader.read(section);
                    let kept = answered
                        .iter()
                        .find(|(kind, read_id, _)| *kind == t.kind && *read_id == read.id);
                    let (accepted, extensions) = match kept {
                        Some((_, _, answer)) => answer.clone(),
                        None => {
                            let accepted: Arc<[codecs::NegotiatedCodec]> =
                                codecs::answer(&self.config.codecs, t.kind, &read.codecs).into();
                            let extensions: Arc<[(String, u16)]> = codecs::answer_extensions(
                                &self.config.codecs,
                                t.kind,
                                &read.extensions,
                                &ids,
                            )
                            .into();
                            let answer = (accepted, extensions);
                            if answered.len() < ANSWERS_KEPT {
                                answered.push((t.kind, read.id, answer.clone()));
                            }
                            answer
                        }
                    };
                    // spec: RFC 9429 §5.3.1 rejection reasons; webrtc-pc createAnswer note (rules 3.3a, 1.3f, 3.3d).
                    reject |= t.fsm.rules().answer == AnswerLine::Rejected || accepted.is_empty();
                    negotiated = Some((accepted, extensions));
                }
                Owner::Data => {}
                Owner::Vacant => reject = true,
            }
            rejected.push(reject);
            answers.push(negotiated);
        }
        // Bundle policy and the offerer-tagged rule.
        let answer_groups = bundle_answer(offer, self.config.bundle_policy, &mut rejected);
        // The transports: one per answer BUNDLE group, carried by its tag (the offerer's), and
        // one for each live section outside every group (an offer without BUNDLE; under
        // balanced, a kind's first section the offerer did not bundle).
        let mut carriers: Vec<Option<TransportId>> = vec![None; offer.media.len()];
        let tag_move = self.config.tag_move;
        let mut effects = Vec::new();
        let by_mid = offer.mid_index();
        for group in &answer_groups {
            let mids: Vec<Mid> = group.iter().map(|m| Mid::from(m.as_str())).collect();
            if let (Some(tag), Some((i, _))) =
                (mids.first(), group.first().and_then(|t| by_mid.get(t)))
            {
                carriers[i] =
                    Some(
                        self.transports_mut()
                            .ensure(tag, &mids, tag_move, &mut effects),
                    );
            }
        }
        let grouped: HashSet<&str> = answer_groups.iter().flatten().map(String::as_str).collect();
        for (i, section) in offer.media.iter().enumerate() {
            let Some(mid) = section.mid().map(|m| m.as_str()) else {
                continue;
            };
            if !rejected[i] && !grouped.contains(mid) {
                let mid = Mid::from(mid);
                carriers[i] = Some(self.transports_mut().ensure(
                    &mid,
                    std::slice::from_ref(&mid),
                    tag_move,
                    &mut effects,
                ));
            }
        }
        self.queues.effects(effects);
        // RFC 8842 §5.3: the answerer is active unless a DTLS role is already established,
        // which the answer keeps (Chromium's original offerer answers passive to a reverse
        // re-offer, OBSERVATIONS.md 11).
        let setup = match self.transports.established_role() {
            Some(DtlsRole::Server) => Setup::Passive,
            Some(DtlsRole::Client) | None => Setup::Active,
        };
        let ice = (self.ice.ufrag.clone(), self.ice.pwd.clone());
        let fingerprints: Vec<Fingerprint> = self.config.fingerprints.clone();

        let mut sdp = SessionDescription::new(
            SdpType::Answer,
            SdpOrigin::new(self.session_id, self.version + 1),
        );
        sdp.set_bundle_groups(answer_groups.iter().map(|g| g.iter().map(String::as_str)))
            .map_err(Error::local_sdp)?;
        // RFC 8285 §6: an answer says extmap-allow-mixed only when the offer did.
        if offer.attributes.extmap_allow_mixed() {
            sdp.attributes.push(Attribute::ExtmapAllowMixed);
        }
        let semantic = tacet_sdp::MsidSemantic::new(
            self.transceivers()
                .filter(|t| t.sender.track.is_some())
                .flat_map(|t| t.sender.streams.iter().map(String::as_str))
                .collect::<Vec<_>>(),
        )
        .map_err(Error::local_sdp)?;
        sdp.attributes.push(Attribute::MsidSemantic(semantic));
        // Sections that share an answer write the same codec lines: built once.
        let mut lines = codecs::Writer::default();
        for (i, offered) in offer.media.iter().enumerate() {
            let mid = offered
                .mid()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default();
            if rejected[i] {
                sdp.media.push(rejected_section(offered, &mid)?);
                continue;
            }
            let transport = TransportAttrs {
                ufrag: &ice.0,
                pwd: &ice.1,
                fingerprints: &fingerprints,
                setup,
                candidates: carriers[i].and_then(|id| self.transports.local_candidates(id)),
                bundle_only: false,
            };
            let section = match (&owners[i], &answers[i]) {
                (Owner::Transceiver(id), Some((accepted, extensions))) => {
                    let t = self.transceivers.get(*id)?;
                    // The stop table: a stopping transceiver answers inactive (its
                    // [[Direction]] is inactive, so the intersection is too).
                    let wanted = match t.fsm.rules().answer {
                        AnswerLine::Live => t.desired_direction(),
                        AnswerLine::Inactive | AnswerLine::Rejected => Direction::Inactive,
                    };
                    let offered = vocab::section_direction(offered);
                    let direction = Direction::answer(offered, wanted);
                    self.media_section(
                        *id,
                        &mid,
                        direction,
                        (&**accepted, &**extensions),
                        &transport,
                        &mut lines,
                    )?
                }
                _ => {
                    let mut data = self.data_section(&mid, &transport)?;
                    // RFC 8841 §6: the smaller of the two maximum message sizes applies; the
                    // answer states its own.
                    if let Some(Attribute::MaxMessageSize(size)) = data
                        .attributes
                        .iter_mut()
                        .find(|a| matches!(a, Attribute::MaxMessageSize(_)))
                    {
                        *size = self.config.max_message_size;
                    }
                    data
                }
            };
            sdp.media.push(section);
        }
        Ok(Created {
            description: Arc::new(sdp),
            owners,
            ice,
        })
    }
}

/// The BUNDLE part of an answer (RFC 9429 §5.3.1, RFC 9143 §7.3): rejects what the bundle
/// policy excludes and every group whose offerer-tagged section is rejected, and returns the
/// answer's BUNDLE groups (each offered group the answer accepts, its rejected sections left
/// out, the tag first).
///
/// The policy decides which offered sections the answer may accept at all: under max-bundle,
/// "the first m= section or [those] in the same bundle group as the first m= section"; under
/// balanced, "the first m= section for this media type or [those] in the same bundle group as
/// the first m= section for this media type" — first meaning the first one the offer did not
/// reject (after stops, index 0 is often a port-0 placeholder).
/// spec: RFC 9429 §5.3.1 bundle policy rejections; RFC 9143 §7.3.3 (rules 3.3a, 3.5a).
fn bundle_answer(
    offer: &SessionDescription,
    policy: BundlePolicy,
    rejected: &mut [bool],
) -> Vec<Vec<String>> {
    let groups: Vec<Vec<&str>> = offer.bundle_groups().map(|g| g.mids().collect()).collect();
    let mid_of = |i: usize| offer.media.get(i).and_then(|m| m.mid()).map(|m| m.as_str());
    let group_of =
        |i: usize| mid_of(i).and_then(|mid| groups.iter().position(|g| g.contains(&mid)));
    // The sections the policy anchors on.
    let mut anchors: Vec<usize> = Vec::new();
    let mut kinds: Vec<&MediaKind> = Vec::new();
    for (i, section) in offer.media.iter().enumerate() {
        if section.is_rejected() {
            continue;
        }
        let new_anchor = match policy {
            BundlePolicy::MaxBundle => anchors.is_empty(),
            BundlePolicy::Balanced => !kinds.contains(&&section.kind),
        };
        if new_anchor {
            anchors.push(i);
            kinds.push(&section.kind);
        }
    }
    let accepted: Vec<usize> = {
        let mut accepted: Vec<usize> = anchors.iter().filter_map(|&i| group_of(i)).collect();
        accepted.sort_unstable();
        accepted.dedup();
        accepted
    };
    for (i, reject) in rejected.iter_mut().enumerate() {
        let allowed = anchors.contains(&i) || group_of(i).is_some_and(|g| accepted.contains(&g));
        if !allowed {
            *reject = true;
        }
    }
    let by_mid = offer.mid_index();
    for group in &groups {
        let tag_rejected = group
            .first()
            .and_then(|tag| by_mid.get(tag))
            .is_some_and(|(i, _)| rejected[i]);
        if tag_rejected {
            // spec: RFC 9143 §7.3.3; RFC 9429 §5.3.1 (rule 3.5a).
            // RFC 9143 §7.3.3: the offerer-tagged section cannot be rejected alone.
            for mid in group {
                if let Some((i, _)) = by_mid.get(mid) {
                    rejected[i] = true;
                }
            }
        }
    }
    accepted
        .iter()
        .map(|&g| {
            groups[g]
                .iter()
                .filter(|m| by_mid.get(m).is_some_and(|(i, _)| !rejected[i]))
                .map(|m| (*m).to_owned())
                .collect::<Vec<String>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// A rejected answer section: port 0, the offered kind, protocol and first format, the mid,
/// and for media `a=inactive` — no codecs, no transport (RFC 9429 §5.3.1).
fn rejected_section(offered: &MediaSection, mid: &str) -> Result<MediaSection, Error> {
    let format = offered.formats().next().unwrap_or("0");
    let mut section = MediaSection::new(offered.kind.clone(), 0, &offered.proto, [format])
        .map_err(Error::local_sdp)?;
    section.set_mid(mid).map_err(Error::local_sdp)?;
    if offered.kind != MediaKind::Application {
        section.set_direction(tacet_sdp::Direction::Inactive);
    }
    Ok(section)
}
