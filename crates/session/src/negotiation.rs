//! webrtc-pc "check if negotiation is needed" (§4.7.3), with the stop rules.

use std::cell::OnceCell;

use tacet_sdp::{MidIndex, SdpType, SessionDescription};
use tacet_transceiver_fsm::Direction;

use crate::session::Session;
use crate::transceiver::RtpTransceiver;

impl Session {
    /// The check, step by step (webrtc-pc L5910-6031; stop-semantics.md §1.7).
    pub(crate) fn check_negotiation_needed(&self) -> bool {
        let d = &self.descriptions;
        // spec: webrtc-pc "check if negotiation is needed" step 2 (rule 1.7b).
        // Step 2: an ICE restart was requested and not yet offered.
        if self.ice_restart {
            return true;
        }
        // spec: webrtc-pc "check if negotiation is needed" step 3 (rule 1.7c).
        // Step 3: data channels exist but no data section is in the current local description.
        if !self.data_channels.is_empty()
            && !d
                .current_local
                .as_deref()
                .is_some_and(|l| l.media.iter().rev().any(|m| m.is_data()))
        {
            return true;
        }
        // Step 4, for each transceiver in the set. This runs after every call, so it must not
        // cost O(n) when one transceiver already answers it: the set is walked newest first
        // (the step is an "any", so the order does not change the answer, and the transceiver
        // a call just added or stopped is the likeliest to need negotiation), and the current
        // descriptions are indexed by mid only when an associated, live transceiver needs
        // comparing with them.
        let indexes = Indexes {
            local: OnceCell::new(),
            remote: OnceCell::new(),
            session: self,
        };
        self.transceivers
            .iter()
            .rev()
            .filter(|t| !t.fsm.is_removed())
            .any(|t| transceiver_needs_negotiation(t, &indexes))
    }
}

/// The current descriptions' mid indexes, built on first use.
struct Indexes<'a> {
    local: OnceCell<Option<(&'a SessionDescription, MidIndex<'a>)>>,
    remote: OnceCell<Option<MidIndex<'a>>>,
    session: &'a Session,
}

impl<'a> Indexes<'a> {
    fn local(&self) -> Option<&(&'a SessionDescription, MidIndex<'a>)> {
        self.local
            .get_or_init(|| {
                let local = self.session.descriptions.current_local.as_deref()?;
                Some((local, local.mid_index()))
            })
            .as_ref()
    }

    fn remote(&self) -> Option<&MidIndex<'a>> {
        self.remote
            .get_or_init(|| {
                let remote = self.session.descriptions.current_remote.as_deref()?;
                Some(remote.mid_index())
            })
            .as_ref()
    }
}

fn transceiver_needs_negotiation(t: &RtpTransceiver, indexes: &Indexes<'_>) -> bool {
    // spec: webrtc-pc stop() note; "check if negotiation is needed" 4a (rules 1.3g, 1.7d-1.7f).
    // 4a: "A transceiver that is stopping but not stopped will always need negotiation".
    if t.is_stopping() && !t.is_stopped() {
        return true;
    }
    let Some(mid) = t.mid() else {
        // 4b: not stopped and not associated (a stopped unassociated one needs nothing).
        return !t.is_stopped();
    };
    let mid = mid.as_str();
    let local = indexes.local();
    let local_section = local.and_then(|(_, index)| index.get(mid));
    let remote_section = indexes.remote().and_then(|index| index.get(mid));
    if t.is_stopped() {
        // spec: webrtc-pc "check if negotiation is needed" 4d (rule 1.7f).
        // 4d: stopped and associated, but the section is not yet rejected in a current
        // description.
        let rejected =
            |s: Option<(usize, &tacet_sdp::MediaSection)>| s.is_some_and(|(_, m)| m.is_rejected());
        return !(rejected(local_section) || rejected(remote_section));
    }
    // spec: webrtc-pc "check if negotiation is needed" 4c; RFC 9429 §5.3.1 (rule 1.7e).
    // 4c: associated and not stopped: compare direction and msid with the current
    // descriptions.
    let (Some((local_desc, _)), Some((_, local_section))) = (local, local_section) else {
        return true;
    };
    let desired = t.desired_direction();
    if desired.has_send() {
        let announced: Vec<&str> = local_section
            .attributes
            .msids()
            .map(|m| m.stream_id())
            .collect();
        let wanted: Vec<&str> = if t.sender.streams.is_empty() {
            vec!["-"]
        } else {
            t.sender.streams.iter().map(String::as_str).collect()
        };
        if t.sender.track.is_some() && announced != wanted {
            return true;
        }
    }
    let remote_direction = remote_section.map(|(_, m)| m.direction());
    match local_desc.sdp_type {
        SdpType::Offer => {
            // "the direction ... in neither [[CurrentLocalDescription]] nor
            // [[CurrentRemoteDescription]] matches [[Direction]]".
            local_section.direction() != desired
                && remote_direction.map(Direction::reverse) != Some(desired)
        }
        _ => {
            // Answer: the local answer's direction against [[Direction]] intersected with the
            // offered direction (RFC 9429 §5.3.1).
            let offered = remote_direction.unwrap_or(Direction::SendRecv);
            local_section.direction() != Direction::answer(offered, desired)
        }
    }
}
