//! webrtc-pc "check if negotiation is needed" (§4.7.3), with the stop rules.

use tacet_sdp::SdpType;
use tacet_transceiver_fsm::Direction;

use crate::session::{Descriptions, Session};
use crate::transceiver::{RtpTransceiver, TransceiverId};

impl Session {
    /// The check, step by step (webrtc-pc L5910-6031; stop-semantics.md §1.7).
    ///
    /// `changed` are the transceivers the call changed; they are looked at first.
    pub(crate) fn check_negotiation_needed(&self, changed: &[TransceiverId]) -> bool {
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
        // cost O(n) when one transceiver already answers it: the transceivers the call
        // changed are looked at first, then the set newest first (the step is an "any", so the
        // order does not change the answer), and sections are found through the descriptions'
        // mid index, built once per exchange.
        let first = changed.iter().filter_map(|id| self.transceiver(*id));
        first
            .chain(self.transceivers.iter().rev())
            .filter(|t| !t.fsm.is_removed())
            .any(|t| transceiver_needs_negotiation(t, d))
    }
}

fn transceiver_needs_negotiation(t: &RtpTransceiver, d: &Descriptions) -> bool {
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
    let (local_section, remote_section) = d.current_sections(mid);
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
    let (Some(local_desc), Some((_, local_section))) = (d.current_local.as_deref(), local_section)
    else {
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
