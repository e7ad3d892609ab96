//! `createOffer` (RFC 9429 §5.2.1, §5.2.2) and the m-section builders offers and answers share.
//!
//! The offer walks the m-line slots of the latest description in order — that is how m-line
//! order and count are kept — then places new transceivers: into a recyclable slot (port 0 in
//! a *current* description) with a new mid, else appended.
//!
//! What a transceiver's slot becomes is the stop table's answer
//! ([`OfferLine`], `tacet-transceiver-fsm`): live, new, rejected (port 0, `a=inactive`, no
//! msid, mid kept, out of BUNDLE) or absent. This file writes it:
//!
//! | slot | offered as |
//! |---|---|
//! | transceiver, [`OfferLine::Live`] or [`OfferLine::New`] | live section, its `[[Direction]]`; msid when `[[Direction]]` sends a track, SSRCs when the section sends |
//! | transceiver, [`OfferLine::Rejected`] | port 0, `a=inactive`, no msid, mid kept, out of BUNDLE |
//! | vacant (its transceiver removed) | the previous rejected section again |
//! | data | the data section |

use std::sync::Arc;

use tacet_sdp::{
    Attribute, Candidate, Connection, Fingerprint, IceOptions, IcePwd, IceUfrag, MediaKind,
    MediaSection, Msid, MsidSemantic, Origin as SdpOrigin, SdpType, SessionDescription, Setup,
    Ssrc, SsrcGroup,
};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::Direction;
use tacet_transceiver_fsm::stop_table::OfferLine;

use crate::codecs::{self, NegotiatedCodec};
use crate::config::BundlePolicy;
use crate::descriptions::{CreatedContent, LastCreated, Owner};
use crate::error::Error;
use crate::event::TransportId;
use crate::session::Session;
use crate::signaling::SignalingState;
use crate::transceiver::TransceiverId;
use crate::vocab;

/// What a section says about its transport.
pub(crate) struct TransportAttrs<'a> {
    pub(crate) ufrag: &'a str,
    pub(crate) pwd: &'a str,
    pub(crate) fingerprints: &'a [Fingerprint],
    pub(crate) setup: Setup,
    /// The candidates, only on the section that carries the transport (the BUNDLE tag).
    pub(crate) candidates: Option<&'a [Candidate]>,
    pub(crate) bundle_only: bool,
}

impl Session {
    /// `createOffer()`: in stable or have-local-offer; InvalidStateError otherwise.
    pub fn create_offer(&mut self) -> Result<SessionDescription, Error> {
        self.call(|s| {
            s.ensure_open("createOffer")?;
            if !matches!(
                s.signaling,
                SignalingState::Stable | SignalingState::HaveLocalOffer
            ) {
                return Err(Error::InvalidState {
                    what: format!("createOffer in {}", s.signaling),
                    rule: "webrtc-pc createOffer: signaling state neither stable nor have-local-offer",
                });
            }
            let ice = s.ice.for_offer(&mut s.rng);
            let slots = s.offer_slots();
            let description = s.build_offer(&slots, &ice)?;
            // Never hand out a description the peer must refuse: the checks a remote
            // description gets (RFC 8866 grammar, JSEP's attribute rules) run on ours too.
            description.validate().map_err(Error::local_sdp)?;
            s.descriptions.last_offer = Some(Arc::new(LastCreated {
                content: CreatedContent::Kept(Arc::new(description.clone())),
                owners: slots.iter().map(|(owner, _, _)| *owner).collect(),
                ice,
            }));
            Ok(description)
        })
    }

    /// The m-line slots of the next offer: the latest description's, in order, then new
    /// transceivers (recycled or appended), then the data section if it is still missing.
    fn offer_slots(&mut self) -> Vec<(Owner, String, MediaKind)> {
        let mut slots: Vec<(Owner, String, MediaKind)> = Vec::new();
        if let Some(latest) = self.descriptions.latest() {
            let by_mid = self.transceivers.by_mid();
            for m in &latest.media {
                let mid = m.mid().map(|m| m.as_str().to_owned()).unwrap_or_default();
                let owner = if m.is_data() {
                    Owner::Data
                } else {
                    by_mid
                        .get(&mid)
                        .map_or(Owner::Vacant, |id| Owner::Transceiver(*id))
                };
                slots.push((owner, mid, m.kind.clone()));
            }
        }
        // spec: RFC 9429 §5.2.2 (rule 3.2c).
        // RFC 9429 §5.2.2: a stopped transceiver that is not associated gets no m-line;
        // an added one recycles a port-0 slot of the current descriptions, any kind, with a
        // new mid at the same index, else is appended.
        let new: Vec<(TransceiverId, TrackKind)> = self
            .transceivers()
            .filter(|t| t.fsm.rules().offer == OfferLine::New)
            .map(|t| (t.id, t.kind))
            .collect();
        // Slots before `searched` hold no recyclable one any more (each new transceiver takes
        // the first), so the search resumes there: O(slots) for all new transceivers together.
        let mut searched = 0;
        for (id, kind) in new {
            let mid = self.transceivers.new_mid();
            let kind = vocab::media_kind(kind);
            // spec: RFC 9429 §5.2.2 recycling (rule 3.2b).
            let recyclable = (searched..slots.len())
                .find(|&i| slots[i].0 == Owner::Vacant && self.descriptions.recyclable(i));
            searched = recyclable.map_or(slots.len(), |i| i + 1);
            match recyclable {
                Some(i) => slots[i] = (Owner::Transceiver(id), mid, kind),
                None => slots.push((Owner::Transceiver(id), mid, kind)),
            }
        }
        if self.data.any() && !slots.iter().any(|(o, _, _)| *o == Owner::Data) {
            let mid = self.transceivers.new_mid();
            slots.push((Owner::Data, mid, MediaKind::Application));
        }
        slots
    }

    fn build_offer(
        &mut self,
        slots: &[(Owner, String, MediaKind)],
        ice: &(String, String),
    ) -> Result<SessionDescription, Error> {
        let initial = self.descriptions.current_local().is_none();
        // Which slots are live (not rejected) in this offer.
        let live: Vec<bool> = slots
            .iter()
            .map(|(owner, _, _)| match owner {
                Owner::Transceiver(id) => matches!(
                    self.transceivers.all()[id.index()].fsm.rules().offer,
                    OfferLine::Live | OfferLine::New
                ),
                Owner::Data => true,
                // Its transceiver was removed: a rejected placeholder.
                Owner::Vacant => false,
            })
            .collect();
        let live_mids: Vec<&str> = slots
            .iter()
            .zip(&live)
            .filter(|(_, live)| **live)
            .map(|((_, mid, _), _)| mid.as_str())
            .collect();
        // decisions.md §6: keep the current tag while its section is live, else the first live
        // section in m-line order (the data section when all media is stopped).
        let current_tag = self
            .descriptions
            .latest()
            .and_then(|d| d.bundle_groups().next())
            .and_then(|g| g.mids().next())
            .map(str::to_owned);
        let tag = current_tag
            .filter(|t| live_mids.contains(&t.as_str()))
            .or_else(|| live_mids.first().map(|m| (*m).to_owned()));
        let mut group: Vec<&str> = Vec::new();
        if let Some(tag) = &tag {
            group.push(tag);
            group.extend(live_mids.iter().filter(|m| **m != tag.as_str()));
        }
        // Balanced, initial offer: the first section of each kind carries its own transport,
        // the others are bundle-only (RFC 9429 §4.1.1, §5.2.1).
        let balanced = initial && self.config.bundle_policy == BundlePolicy::Balanced;
        let mut own_transport: Vec<bool> = vec![false; slots.len()];
        if balanced {
            let mut seen: Vec<&MediaKind> = Vec::new();
            for (i, (_, _, kind)) in slots.iter().enumerate() {
                if live[i] && !seen.contains(&kind) {
                    seen.push(kind);
                    own_transport[i] = true;
                }
            }
        }
        let mut effects = Vec::new();
        let group_mids: Vec<tacet_transceiver_fsm::Mid> = group
            .iter()
            .map(|m| tacet_transceiver_fsm::Mid::from(*m))
            .collect();
        let mut carriers: Vec<Option<TransportId>> = vec![None; slots.len()];
        let tag_move = self.config.tag_move;
        for (i, (_, mid, _)) in slots.iter().enumerate() {
            if !live[i] {
                continue;
            }
            let m = tacet_transceiver_fsm::Mid::from(mid.as_str());
            if balanced {
                if own_transport[i] {
                    carriers[i] = Some(self.transports_mut().ensure(
                        &m,
                        std::slice::from_ref(&m),
                        tag_move,
                        &mut effects,
                    ));
                }
            } else if tag.as_deref() == Some(mid.as_str()) {
                carriers[i] =
                    Some(
                        self.transports_mut()
                            .ensure(&m, &group_mids, tag_move, &mut effects),
                    );
            }
        }
        self.queues.effects(effects);

        let mut sdp = SessionDescription::new(
            SdpType::Offer,
            SdpOrigin::new(self.session_id, self.version + 1),
        );
        sdp.set_bundle_group(group.iter().copied())
            .map_err(Error::local_sdp)?;
        sdp.attributes.push(Attribute::ExtmapAllowMixed);
        sdp.attributes
            .push(Attribute::MsidSemantic(self.msid_semantic()?));
        let fingerprints = self.config.fingerprints.clone();
        let latest = self.descriptions.latest();
        // What a section of each media type offers depends only on the registry and the
        // configuration: worked out once per offer, not once per section.
        let offered = self.registry.offer(&self.config.codecs)?;
        // The sections of a kind write the same codec lines: built once (codecs::Writer).
        let mut lines = codecs::Writer::default();
        for (i, (owner, mid, kind)) in slots.iter().enumerate() {
            let candidates: Option<&[Candidate]> =
                carriers[i].and_then(|id| self.transports.local_candidates(id));
            let transport = TransportAttrs {
                ufrag: &ice.0,
                pwd: &ice.1,
                fingerprints: &fingerprints,
                setup: Setup::ActPass,
                candidates,
                bundle_only: balanced && live[i] && !own_transport[i],
            };
            let section = match owner {
                Owner::Transceiver(id) => {
                    let t = self.transceivers.get(*id)?;
                    let (codecs, extensions) = (offered.codecs(t.kind), offered.extensions(t.kind));
                    let direction = t.desired_direction();
                    let section = self.media_section(
                        *id,
                        mid,
                        direction,
                        (codecs, extensions),
                        &transport,
                        &mut lines,
                    )?;
                    if live[i] {
                        section
                    } else {
                        // spec: RFC 9429 §5.2.2; webrtc-pc createOffer, stopping as stopped (rules 3.2d, 1.3e).
                        // RFC 9429 §5.2.2: port 0, every a=msid removed, mid kept; the
                        // direction is [[Direction]], inactive once stopping (WPT "A stopped
                        // sendonly transceiver should generate an inactive m-section").
                        section.to_rejected()
                    }
                }
                Owner::Data => self.data_section(mid, &transport)?,
                Owner::Vacant => {
                    let previous = latest.and_then(|d| d.media.get(i));
                    match previous {
                        Some(previous) => previous.to_rejected(),
                        None => {
                            MediaSection::rejected_stub(kind.clone(), tacet_sdp::RTP_PROFILE, mid)
                                .map_err(Error::local_sdp)?
                        }
                    }
                }
            };
            sdp.media.push(section);
        }
        Ok(sdp)
    }

    /// `a=msid-semantic: WMS <stream ids>` over every sending track's streams.
    fn msid_semantic(&self) -> Result<MsidSemantic, Error> {
        let mut ids: Vec<&str> = Vec::new();
        for t in self.transceivers().filter(|t| t.sender.track.is_some()) {
            for stream in &t.sender.streams {
                if !ids.contains(&stream.as_str()) {
                    ids.push(stream);
                }
            }
        }
        MsidSemantic::new(ids).map_err(Error::local_sdp)
    }

    /// A live audio/video section for transceiver `id`, in Chromium's attribute order.
    pub(crate) fn media_section<'a>(
        &self,
        id: TransceiverId,
        mid: &str,
        direction: Direction,
        (codecs, extensions): (&'a [NegotiatedCodec], &'a [(String, u16)]),
        transport: &TransportAttrs<'_>,
        lines: &mut codecs::Writer<'a>,
    ) -> Result<MediaSection, Error> {
        let t = self.transceivers.get(id)?;
        let mut section =
            MediaSection::new(vocab::media_kind(t.kind), 9, tacet_sdp::RTP_PROFILE, ["0"])
                .map_err(Error::local_sdp)?;
        self.transport_lines(&mut section, mid, transport)?;
        lines.extensions(&mut section, extensions)?;
        section.set_direction(vocab::attribute(direction));
        // a=msid follows the transceiver's [[Direction]], not the section's: an answer that can
        // only receive (the offer was sendonly) still names the track the transceiver would
        // send (RFC 9429 §5.3.1 "if the RtpTransceiver has a sendrecv or sendonly direction").
        // webrtc-pc's negotiation-needed check compares these lines with [[Direction]]; writing
        // them by the section's direction instead would make it renegotiate for ever.
        let announced = t.desired_direction().has_send() && t.sender.track.is_some();
        // SSRC lines only for what is actually sent.
        let sending = direction.has_send() && t.sender.track.is_some();
        let sdp = Error::local_sdp;
        if announced {
            let track = t.sender.track.as_ref().map(|t| t.as_str()).unwrap_or("-");
            let streams: Vec<&str> = if t.sender.streams.is_empty() {
                vec!["-"]
            } else {
                t.sender.streams.iter().map(String::as_str).collect()
            };
            for stream in &streams {
                section.attributes.push(Attribute::Msid(
                    Msid::new(stream, Some(track)).map_err(sdp)?,
                ));
            }
        }
        section.attributes.push(Attribute::RtcpMux);
        section.attributes.push(Attribute::RtcpRsize);
        lines.codecs(&mut section, codecs)?;
        if sending {
            let ssrcs = t.sender.ssrcs();
            let has_rtx = codecs.iter().any(|c| c.rtx_pt.is_some());
            if let (true, [media, rtx]) = (has_rtx, ssrcs.as_slice()) {
                section.attributes.push(Attribute::SsrcGroup(
                    SsrcGroup::new("FID", &[*media, *rtx]).map_err(sdp)?,
                ));
            }
            let stream = t.sender.streams.first().map_or("-", String::as_str);
            let track = t.sender.track.as_ref().map(|t| t.as_str()).unwrap_or("-");
            let msid = format!("{stream} {track}");
            for ssrc in if has_rtx { ssrcs } else { vec![t.sender.ssrc] } {
                section.attributes.push(Attribute::Ssrc(
                    Ssrc::new(ssrc, "cname", Some(&self.cname)).map_err(sdp)?,
                ));
                section.attributes.push(Attribute::Ssrc(
                    Ssrc::new(ssrc, "msid", Some(&msid)).map_err(sdp)?,
                ));
            }
        }
        Ok(section)
    }

    /// The data section (`m=application ... UDP/DTLS/SCTP webrtc-datachannel`).
    pub(crate) fn data_section(
        &self,
        mid: &str,
        transport: &TransportAttrs<'_>,
    ) -> Result<MediaSection, Error> {
        let mut section = MediaSection::new(
            MediaKind::Application,
            9,
            tacet_sdp::DATA_PROFILE,
            [tacet_sdp::DATA_FORMAT],
        )
        .map_err(Error::local_sdp)?;
        self.transport_lines(&mut section, mid, transport)?;
        section
            .attributes
            .push(Attribute::SctpPort(self.config.sctp_port));
        section
            .attributes
            .push(Attribute::MaxMessageSize(self.config.max_message_size));
        Ok(section)
    }

    /// Port, `c=`, candidates, ICE and DTLS lines, `a=mid` — Chromium's order. The section
    /// carrying the transport takes its first candidate's address and port; the others the
    /// JSEP placeholders (port 9, `IN IP4 0.0.0.0`).
    fn transport_lines(
        &self,
        section: &mut MediaSection,
        mid: &str,
        transport: &TransportAttrs<'_>,
    ) -> Result<(), Error> {
        let sdp = Error::local_sdp;
        if let Some(first) = transport.candidates.and_then(|c| c.first()) {
            section.port = first.port();
            section.connections = vec![Connection {
                nettype: "IN".into(),
                addrtype: if first.address().contains(':') {
                    "IP6".into()
                } else {
                    "IP4".into()
                },
                address: first.address().to_owned(),
            }];
        }
        if transport.bundle_only {
            section.port = 0;
        }
        let a = &mut section.attributes;
        for candidate in transport.candidates.unwrap_or_default() {
            a.push(Attribute::Candidate(candidate.clone()));
        }
        a.push(Attribute::IceUfrag(
            IceUfrag::new(transport.ufrag).map_err(sdp)?,
        ));
        a.push(Attribute::IcePwd(IcePwd::new(transport.pwd).map_err(sdp)?));
        a.push(Attribute::IceOptions(
            IceOptions::new(["trickle"]).map_err(sdp)?,
        ));
        for fingerprint in transport.fingerprints {
            a.push(Attribute::Fingerprint(fingerprint.clone()));
        }
        a.push(Attribute::Setup(transport.setup));
        section.set_mid(mid).map_err(sdp)?;
        if transport.bundle_only {
            section.attributes.push(Attribute::BundleOnly);
        }
        Ok(())
    }
}
