//! The descriptions part of the session: `[[CurrentLocalDescription]]` and friends, the last
//! offer and answer this session created (what `setLocalDescription` must be given back), and
//! the index of the current descriptions' mids.
//!
//! Invariant this part owns: the mid index is always the index of the two current
//! descriptions, so both are stored together with [`Descriptions::set_current`] only
//! (trickled candidates are added in place: they move no mid and no m-line).

use std::collections::HashMap;
use std::sync::Arc;

use tacet_sdp::{MediaSection, SessionDescription};

use crate::transceiver::TransceiverId;

/// What a created-but-not-yet-applied description binds each m-line to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Owner {
    Transceiver(TransceiverId),
    Data,
    /// A rejected placeholder nobody owns (its transceiver was removed).
    Vacant,
}

/// A description this session created, with the m-line owners it was built for. Shared: the
/// session's checkpoint and the stored local description point to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Created {
    /// Shared: the session's snapshots and the stored local description point to it.
    pub(crate) description: Arc<SessionDescription>,
    pub(crate) owners: Vec<Owner>,
    /// The ICE credentials it carries (new ones after `restartIce()`).
    pub(crate) ice: (String, String),
}

/// What `setLocalDescription` needs of the last offer or answer this session created
/// (webrtc-pc [[LastCreatedOffer]] / [[LastCreatedAnswer]]): its content, to check that it comes
/// back unmodified, and what it was built for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LastCreated {
    pub(crate) content: CreatedContent,
    pub(crate) owners: Vec<Owner>,
    /// The ICE credentials it carries (new ones after `restartIce()`).
    pub(crate) ice: (String, String),
}

/// How the last created description is remembered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CreatedContent {
    /// The description itself, shared with the stored local description once it is set (so
    /// applying it takes no copy).
    Kept(Arc<SessionDescription>),
    /// The stored local description it became once gathered candidates were appended to it
    /// ([`Descriptions::candidate_appended`]), and where: keeping the original beside the
    /// changed copy doubled each endpoint's largest structure (issue 16). The original is
    /// that description without the appended lines.
    Extended {
        local: Arc<SessionDescription>,
        /// (section index, its attribute count when created), one per section that grew.
        original_lengths: Vec<(usize, usize)>,
    },
}

impl LastCreated {
    /// Whether `description` is the created one, its type aside (a pranswer may be set from
    /// the last answer's SDP, webrtc-pc setLocalDescription).
    pub(crate) fn matches(&self, description: &SessionDescription) -> bool {
        match &self.content {
            CreatedContent::Kept(kept) => same_content(kept, description, &[]),
            CreatedContent::Extended {
                local,
                original_lengths,
            } => same_content(local, description, original_lengths),
        }
    }

    /// The kept description, when it is `description` with the same type: applying it then
    /// shares it instead of storing another copy.
    pub(crate) fn kept(
        &self,
        description: &SessionDescription,
    ) -> Option<&Arc<SessionDescription>> {
        match &self.content {
            CreatedContent::Kept(kept) if kept.sdp_type == description.sdp_type => Some(kept),
            _ => None,
        }
    }
}

/// Whether `given` equals `created` in everything but the type, where the sections named in
/// `original_lengths` count only their first attributes (the ones created).
fn same_content(
    created: &SessionDescription,
    given: &SessionDescription,
    original_lengths: &[(usize, usize)],
) -> bool {
    // Every field named, so that a field added to the model is a compile error here.
    let SessionDescription {
        sdp_type: _,
        origin,
        session_name,
        info,
        uri,
        emails,
        phones,
        connection,
        bandwidths,
        times,
        time_zones,
        key,
        attributes,
        media,
    } = created;
    let same_top = *origin == given.origin
        && *session_name == given.session_name
        && *info == given.info
        && *uri == given.uri
        && *emails == given.emails
        && *phones == given.phones
        && *connection == given.connection
        && *bandwidths == given.bandwidths
        && *times == given.times
        && *time_zones == given.time_zones
        && *key == given.key
        && *attributes == given.attributes;
    same_top
        && media.len() == given.media.len()
        && media
            .iter()
            .zip(&given.media)
            .enumerate()
            .all(
                |(i, (c, g))| match original_lengths.iter().find(|(index, _)| *index == i) {
                    None => c == g,
                    Some(&(_, length)) => same_section_prefix(c, g, length),
                },
            )
}

/// Whether `given` equals `created` cut to its first `length` attributes.
fn same_section_prefix(created: &MediaSection, given: &MediaSection, length: usize) -> bool {
    // Every field named, as above.
    let MediaSection {
        kind,
        port,
        num_ports,
        proto,
        formats,
        title,
        connections,
        bandwidths,
        key,
        attributes,
    } = created;
    *kind == given.kind
        && *port == given.port
        && *num_ports == given.num_ports
        && *proto == given.proto
        && *formats == given.formats
        && *title == given.title
        && *connections == given.connections
        && *bandwidths == given.bandwidths
        && *key == given.key
        && attributes.0.get(..length) == Some(&given.attributes.0[..])
}

/// `[[CurrentLocalDescription]]` and friends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Descriptions {
    /// Set with [`Descriptions::set_current`] only, which keeps `current_mids` in step
    /// (trickled candidates are added in place: they move no mid and no m-line).
    current_local: Option<Arc<SessionDescription>>,
    /// As `current_local`.
    current_remote: Option<Arc<SessionDescription>>,
    /// `[[PendingLocalDescription]]`.
    pub(crate) pending_local: Option<Arc<SessionDescription>>,
    /// `[[PendingRemoteDescription]]`.
    pub(crate) pending_remote: Option<Arc<SessionDescription>>,
    /// The last offer `createOffer` returned.
    pub(crate) last_offer: Option<Arc<LastCreated>>,
    /// The last answer `createAnswer` returned.
    pub(crate) last_answer: Option<Arc<LastCreated>>,
    /// Every mid of the current descriptions with its m-line index in the local and in the
    /// remote one: "check if negotiation is needed" runs after every call and looks
    /// transceivers up by mid, so the index is built once per exchange, not once per call.
    /// Derived from the two current descriptions (so equal whenever they are); shared, so a
    /// snapshot of the session does not copy it.
    current_mids: Arc<HashMap<String, MidSlots>>,
}

/// An m-section and its index in its description.
pub(crate) type IndexedSection<'a> = (usize, &'a MediaSection);

fn section_at(
    description: Option<&SessionDescription>,
    index: Option<usize>,
) -> Option<IndexedSection<'_>> {
    let index = index?;
    description?.media.get(index).map(|m| (index, m))
}

/// Where one mid is in the current descriptions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MidSlots {
    pub(crate) local: Option<usize>,
    pub(crate) remote: Option<usize>,
}

impl Descriptions {
    /// `[[CurrentLocalDescription]]`.
    pub(crate) fn current_local(&self) -> Option<&Arc<SessionDescription>> {
        self.current_local.as_ref()
    }

    /// `[[CurrentRemoteDescription]]`.
    pub(crate) fn current_remote(&self) -> Option<&Arc<SessionDescription>> {
        self.current_remote.as_ref()
    }

    /// The remote description a trickled candidate goes into: the pending one if any, else
    /// the current one (webrtc-pc addIceCandidate). Changing candidates in place moves no mid,
    /// so the index stays right.
    pub(crate) fn remote_for_candidates(&mut self) -> Option<&mut Arc<SessionDescription>> {
        match self.pending_remote {
            Some(ref mut pending) => Some(pending),
            None => self.current_remote.as_mut(),
        }
    }

    /// The local description a gathered candidate goes into: the pending one if any, else the
    /// current one (webrtc-pc, "a new ICE candidate is available"). Candidates move no mid, so
    /// the index stays right.
    pub(crate) fn local_for_candidates(&mut self) -> Option<&mut Arc<SessionDescription>> {
        match self.pending_local {
            Some(ref mut pending) => Some(pending),
            None => self.current_local.as_mut(),
        }
    }

    /// A gathered candidate was appended to section `index` of the local description that was
    /// `before` (now `Arc::make_mut`'s copy of it, see `local_for_candidates`), whose attribute
    /// count was `length`: a last created description that shared it follows the new one and
    /// notes where it grew, so the original is freed with the call's checkpoint.
    pub(crate) fn candidate_appended(
        &mut self,
        before: *const SessionDescription,
        index: usize,
        length: usize,
    ) {
        let Some(local) = self.pending_local.as_ref().or(self.current_local.as_ref()) else {
            return;
        };
        for last in [&mut self.last_offer, &mut self.last_answer]
            .into_iter()
            .flatten()
        {
            let follows = match &last.content {
                CreatedContent::Kept(kept) => std::ptr::eq(Arc::as_ptr(kept), before),
                CreatedContent::Extended { local, .. } => std::ptr::eq(Arc::as_ptr(local), before),
            };
            if !follows {
                continue;
            }
            let last = Arc::make_mut(last);
            let mut original_lengths = match &mut last.content {
                CreatedContent::Kept(_) => Vec::new(),
                CreatedContent::Extended {
                    original_lengths, ..
                } => std::mem::take(original_lengths),
            };
            // A section that grew before keeps its first count: the created length.
            if original_lengths.iter().all(|(i, _)| *i != index) {
                original_lengths.push((index, length));
            }
            last.content = CreatedContent::Extended {
                local: Arc::clone(local),
                original_lengths,
            };
        }
    }

    /// `localDescription`: pending if any, else current.
    pub(crate) fn local(&self) -> Option<&SessionDescription> {
        self.pending_local
            .as_deref()
            .or(self.current_local.as_deref())
    }

    /// `remoteDescription`: pending if any, else current.
    pub(crate) fn remote(&self) -> Option<&SessionDescription> {
        self.pending_remote
            .as_deref()
            .or(self.current_remote.as_deref())
    }

    /// The answer of the current exchange (the current local description if this side
    /// answered, else the current remote one): the BUNDLE groups both sides agreed on.
    pub(crate) fn current_answer(&self) -> Option<&SessionDescription> {
        [
            self.current_local.as_deref(),
            self.current_remote.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find(|d| d.sdp_type == tacet_sdp::SdpType::Answer)
    }

    /// Stores the current descriptions (an answer was applied) and indexes their mids.
    pub(crate) fn set_current(
        &mut self,
        local: Option<Arc<SessionDescription>>,
        remote: Option<Arc<SessionDescription>>,
    ) {
        let mut mids: HashMap<String, MidSlots> = HashMap::new();
        for (is_local, description) in [(true, &local), (false, &remote)] {
            let Some(description) = description else {
                continue;
            };
            for (index, section) in description.media.iter().enumerate() {
                if let Some(mid) = section.mid() {
                    let slots = mids.entry(mid.as_str().to_owned()).or_default();
                    // The first section with a mid wins, as in `media_by_mid`.
                    let slot = if is_local {
                        &mut slots.local
                    } else {
                        &mut slots.remote
                    };
                    slot.get_or_insert(index);
                }
            }
        }
        self.current_local = local;
        self.current_remote = remote;
        self.current_mids = Arc::new(mids);
    }

    /// The m-sections with this mid in the current local and remote descriptions.
    pub(crate) fn current_sections(
        &self,
        mid: &str,
    ) -> (Option<IndexedSection<'_>>, Option<IndexedSection<'_>>) {
        let slots = self.current_mids.get(mid).copied().unwrap_or_default();
        (
            section_at(self.current_local.as_deref(), slots.local),
            section_at(self.current_remote.as_deref(), slots.remote),
        )
    }

    /// The description whose m-lines are the session's layout now: the pending one if an
    /// exchange is in progress, else the current local (or remote) one.
    pub(crate) fn latest(&self) -> Option<&SessionDescription> {
        self.pending_local
            .as_deref()
            .or(self.pending_remote.as_deref())
            .or(self.current_local.as_deref())
            .or(self.current_remote.as_deref())
    }

    /// RFC 9429 §5.2.2: only an m-section with port 0 in the **current** local or remote
    /// description may be recycled.
    pub(crate) fn recyclable(&self, index: usize) -> bool {
        let zero = |d: &Option<Arc<SessionDescription>>| {
            d.as_ref()
                .and_then(|d| d.media.get(index))
                .is_some_and(|m| m.port == 0 && !m.attributes.bundle_only())
        };
        zero(&self.current_local) || zero(&self.current_remote)
    }
}

#[cfg(test)]
mod tests {
    use tacet_sdp::{Attribute, Candidate, SdpType};

    use super::*;

    fn offer() -> SessionDescription {
        let text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
            m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n\
            a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n";
        SessionDescription::parse(SdpType::Offer, text)
            .expect("the test's SDP is well-formed")
            .description
    }

    fn last(content: CreatedContent) -> Option<Arc<LastCreated>> {
        Some(Arc::new(LastCreated {
            content,
            owners: Vec::new(),
            ice: (String::new(), String::new()),
        }))
    }

    /// Appends a candidate to section 0 as `Session::remember_local_candidate` does.
    fn gather(descriptions: &mut Descriptions, port: u16) {
        let local = descriptions
            .local_for_candidates()
            .expect("a local description");
        let before = Arc::as_ptr(local);
        let section = &mut Arc::make_mut(local).media[0];
        let length = section.attributes.0.len();
        let candidate = Candidate::new(&format!("1 1 udp 2130706431 127.0.0.1 {port} typ host"))
            .expect("a valid candidate");
        section.attributes.0.push(Attribute::Candidate(candidate));
        descriptions.candidate_appended(before, 0, length);
    }

    #[test]
    fn the_created_offer_still_matches_after_candidates_with_one_copy_kept() {
        let created = offer();
        let shared = Arc::new(created.clone());
        let mut descriptions = Descriptions {
            pending_local: Some(Arc::clone(&shared)),
            last_offer: last(CreatedContent::Kept(Arc::clone(&shared))),
            ..Descriptions::default()
        };
        drop(shared);
        gather(&mut descriptions, 5000);
        gather(&mut descriptions, 5001);
        let kept = descriptions
            .last_offer
            .as_deref()
            .expect("still remembered");
        let local = descriptions
            .pending_local
            .as_ref()
            .expect("the local offer");
        // One description: the local one, with both candidates; the created one is not kept.
        assert!(matches!(&kept.content,
            CreatedContent::Extended { local: l, original_lengths } if Arc::ptr_eq(l, local)
                && *original_lengths == [(0, created.media[0].attributes.0.len())]));
        assert_eq!(
            local.media[0].attributes.0.len(),
            created.media[0].attributes.0.len() + 2
        );
        assert!(kept.matches(&created));
        let mut pranswer_typed = created.clone();
        pranswer_typed.sdp_type = SdpType::Pranswer;
        assert!(kept.matches(&pranswer_typed));
        // What the local description has now is not what was created; nor is a munged one.
        assert!(!kept.matches(local));
        let mut munged = created.clone();
        munged.session_name = "munged".into();
        assert!(!kept.matches(&munged));
        let mut shorter = created.clone();
        shorter.media[0].attributes.0.pop();
        assert!(!kept.matches(&shorter));
    }

    #[test]
    fn a_kept_description_the_local_one_does_not_share_stays_kept() {
        let mut descriptions = Descriptions {
            pending_local: Some(Arc::new(offer())),
            last_offer: last(CreatedContent::Kept(Arc::new(offer()))),
            ..Descriptions::default()
        };
        gather(&mut descriptions, 5000);
        assert!(matches!(
            descriptions.last_offer.as_deref().map(|l| &l.content),
            Some(CreatedContent::Kept(_))
        ));
    }
}
