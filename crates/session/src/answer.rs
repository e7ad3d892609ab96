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
use tacet_transceiver_fsm::stop_table::AnswerLine;
use tacet_transceiver_fsm::{Direction, Mid};

use crate::codecs;
use crate::descriptions::{Created, Owner};
use crate::error::Error;
use crate::event::DtlsRole;
use crate::offer::TransportAttrs;
use crate::session::Session;
use crate::signaling::SignalingState;
use crate::vocab;

/// The codecs and header extensions an answer accepts for one section.
type SectionAnswer = (Vec<codecs::NegotiatedCodec>, Vec<(String, u16)>);

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
            let description = (*created.description).clone();
            s.descriptions.last_answer = Some(Arc::new(created));
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
        for (section, owner) in offer.media.iter().zip(&owners) {
            let mut reject = section.is_rejected();
            let mut negotiated = None;
            match owner {
                Owner::Transceiver(id) => {
                    let t = self.transceivers.get(*id)?;
                    let accepted =
                        codecs::answer(&self.config.codecs, t.kind, &codecs::read_section(section));
                    let extensions = codecs::answer_extensions(
                        &self.config.codecs,
                        t.kind,
                        &codecs::read_extensions(section),
                        &ids,
                    );
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
        // `get`: an offer may have no m-section at all (nothing to negotiate yet).
        let mid_of = |i: usize| {
            offer
                .media
                .get(i)
                .and_then(|m| m.mid())
                .map(|m| m.as_str().to_owned())
        };
        let groups: Vec<Vec<String>> = offer
            .bundle_groups()
            .map(|g| g.mids().map(str::to_owned).collect())
            .collect();
        // max-bundle (RFC 9429 §5.3.1): reject what "is not the first m= section or in the same
        // bundle group as the first m= section" — the first one the offer did not reject
        // (after stops, index 0 is often a port-0 placeholder).
        let first = offer
            .media
            .iter()
            .position(|m| !m.is_rejected())
            .unwrap_or(0);
        let first_group = mid_of(first).and_then(|f| groups.iter().position(|g| g.contains(&f)));
        let first_members: HashSet<&str> = first_group
            .map(|g| groups[g].iter().map(String::as_str).collect())
            .unwrap_or_default();
        for (i, reject) in rejected.iter_mut().enumerate() {
            let in_first =
                i == first || mid_of(i).is_some_and(|m| first_members.contains(m.as_str()));
            if !in_first {
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
        let answer_group: Vec<String> = first_group
            .map(|g| {
                groups[g]
                    .iter()
                    .filter(|m| by_mid.get(m).is_some_and(|(i, _)| !rejected[i]))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        // The transport: carried by the group's tag (the offerer's), or by the first live
        // section when the offer has no BUNDLE.
        let tag: Option<String> = answer_group.first().cloned().or_else(|| {
            (0..offer.media.len())
                .find(|i| !rejected[*i])
                .and_then(mid_of)
        });
        let mut effects = Vec::new();
        let carrier = tag.as_ref().map(|tag| {
            let mids: Vec<Mid> = answer_group.iter().map(|m| Mid::from(m.as_str())).collect();
            self.transports_mut()
                .ensure(&Mid::from(tag.as_str()), &mids, &mut effects)
        });
        self.queues.effects(effects);
        let candidates = carrier.and_then(|id| self.transports.local_candidates(id));
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
        sdp.set_bundle_group(answer_group.iter().map(String::as_str))
            .map_err(Error::local_sdp)?;
        sdp.attributes.push(Attribute::ExtmapAllowMixed);
        let semantic = tacet_sdp::MsidSemantic::new(
            self.transceivers()
                .filter(|t| t.sender.track.is_some())
                .flat_map(|t| t.sender.streams.iter().map(String::as_str))
                .collect::<Vec<_>>(),
        )
        .map_err(Error::local_sdp)?;
        sdp.attributes.push(Attribute::MsidSemantic(semantic));
        for (i, offered) in offer.media.iter().enumerate() {
            let mid = mid_of(i).unwrap_or_default();
            if rejected[i] {
                sdp.media.push(rejected_section(offered, &mid)?);
                continue;
            }
            let carries = tag.as_deref() == Some(mid.as_str());
            let transport = TransportAttrs {
                ufrag: &ice.0,
                pwd: &ice.1,
                fingerprints: &fingerprints,
                setup,
                candidates: if carries { candidates } else { None },
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
                    self.media_section(*id, &mid, direction, accepted, extensions, &transport)?
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
