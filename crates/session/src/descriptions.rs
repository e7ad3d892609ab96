//! The descriptions part of the session: `[[CurrentLocalDescription]]` and friends, the last
//! offer and answer this session created (what `setLocalDescription` must be given back), and
//! the index of the current descriptions' mids.
//!
//! Invariant this part owns: the mid index is always the index of the two current
//! descriptions, so both are stored together with [`Descriptions::set_current`] only
//! (trickled candidates are added in place: they move no mid and no m-line).

use std::collections::HashMap;
use std::sync::Arc;

use tacet_sdp::SessionDescription;

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
/// (webrtc-pc [[LastCreatedOffer]] / [[LastCreatedAnswer]]): a digest of its content to check
/// that it comes back unmodified, and what it was built for. Not the description itself: the
/// caller holds that copy, and keeping a second one here doubled each endpoint's largest
/// structure (issue 16: once a candidate is gathered, the stored local description is copied
/// on write, so this copy was never shared for long).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LastCreated {
    /// [`content_digest`] of the description returned.
    pub(crate) digest: u64,
    pub(crate) owners: Vec<Owner>,
    /// The ICE credentials it carries (new ones after `restartIce()`).
    pub(crate) ice: (String, String),
}

impl LastCreated {
    pub(crate) fn new(
        description: &SessionDescription,
        owners: Vec<Owner>,
        ice: (String, String),
    ) -> Self {
        Self {
            digest: content_digest(description),
            owners,
            ice,
        }
    }
}

/// A 64-bit SipHash (std's `DefaultHasher`, fixed keys) of everything in `description` but
/// its type, so that a pranswer set from the last answer's SDP matches it (webrtc-pc
/// setLocalDescription). Two descriptions that differ get equal digests with probability
/// about 2^-64: the check is against accidental munging by the application, not an
/// adversary (the application could call the API with anything anyway).
pub(crate) fn content_digest(description: &SessionDescription) -> u64 {
    use std::hash::{Hash, Hasher};
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
    } = description;
    let mut hasher = std::hash::DefaultHasher::new();
    origin.hash(&mut hasher);
    session_name.hash(&mut hasher);
    info.hash(&mut hasher);
    uri.hash(&mut hasher);
    emails.hash(&mut hasher);
    phones.hash(&mut hasher);
    connection.hash(&mut hasher);
    bandwidths.hash(&mut hasher);
    times.hash(&mut hasher);
    time_zones.hash(&mut hasher);
    key.hash(&mut hasher);
    attributes.hash(&mut hasher);
    media.hash(&mut hasher);
    hasher.finish()
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
pub(crate) type IndexedSection<'a> = (usize, &'a tacet_sdp::MediaSection);

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
    use tacet_sdp::SdpType;

    use super::*;

    fn offer() -> SessionDescription {
        let text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
            m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n\
            a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n";
        SessionDescription::parse(SdpType::Offer, text)
            .expect("the test's SDP is well-formed")
            .description
    }

    #[test]
    fn the_digest_ignores_only_the_type() {
        let created = offer();
        let mut pranswer = created.clone();
        pranswer.sdp_type = SdpType::Pranswer;
        assert_eq!(content_digest(&created), content_digest(&pranswer));

        // A change deep in a section (one fmtp parameter) and one at the top both show.
        let mut munged = created.clone();
        let fmtp = munged.media[0]
            .attributes
            .iter_mut()
            .find(|a| matches!(a, tacet_sdp::Attribute::Fmtp(_)))
            .expect("the section has an fmtp");
        *fmtp = tacet_sdp::Attribute::Fmtp(
            tacet_sdp::Fmtp::new(111, [("minptime", Some("20"))]).expect("a valid fmtp"),
        );
        assert_ne!(content_digest(&created), content_digest(&munged));
        let mut renamed = created.clone();
        renamed.session_name = "munged".into();
        assert_ne!(content_digest(&created), content_digest(&renamed));
        // Moving a line to another place is a change too.
        let mut moved = created.clone();
        let line = moved.media[0].attributes.0.remove(1);
        moved.media[0].attributes.0.push(line);
        assert_ne!(content_digest(&created), content_digest(&moved));
    }
}
