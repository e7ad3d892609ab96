//! webrtc-pc "check if negotiation is needed" (§4.7.3). What a transceiver's stop means for
//! it (steps 4a, 4b, 4d) is the stop table's answer ([`Negotiation`]); this file only reads
//! the descriptions where the table says to (4c, 4d).

use tacet_sdp::SdpType;
use tacet_transceiver_fsm::Direction;
use tacet_transceiver_fsm::stop_table::Negotiation;

use crate::descriptions::{Descriptions, IndexedSection};
use crate::session::Session;
use crate::transceiver::{RtpTransceiver, TransceiverId};
use crate::vocab;

impl Session {
    /// The check, step by step (webrtc-pc L5910-6031; stop-semantics.md §1.7).
    ///
    /// `changed` are the transceivers the call changed; they are looked at first.
    pub(crate) fn check_negotiation_needed(&self, changed: &[TransceiverId]) -> bool {
        let d = &self.descriptions;
        // spec: webrtc-pc "check if negotiation is needed" step 2 (rule 1.7b).
        // Step 2: an ICE restart was requested and not yet offered.
        if self.ice.restart {
            return true;
        }
        // spec: webrtc-pc "check if negotiation is needed" step 3 (rule 1.7c).
        // Step 3: data channels exist but no data section is in the current local description.
        if self.data.any()
            && !d
                .current_local()
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
            .chain(self.transceivers.all().iter().rev())
            .any(|t| transceiver_needs_negotiation(t, d))
    }
}

fn transceiver_needs_negotiation(t: &RtpTransceiver, d: &Descriptions) -> bool {
    // spec: webrtc-pc stop() note; "check if negotiation is needed" 4a-4d (rules 1.3g, 1.7d-1.7f).
    let (local_section, remote_section) = match t.mid() {
        Some(mid) => d.current_sections(mid.as_str()),
        None => (None, None),
    };
    match t.fsm.rules().negotiation {
        Negotiation::Needed => true,
        Negotiation::NotNeeded => false,
        // 4d: stopped and associated, but the section is not yet rejected in a current
        // description.
        Negotiation::UntilRejected => {
            let rejected = |s: Option<IndexedSection<'_>>| s.is_some_and(|(_, m)| m.is_rejected());
            !(rejected(local_section) || rejected(remote_section))
        }
        Negotiation::CompareWithCurrent => {
            differs_from_current(t, d, local_section, remote_section)
        }
    }
}

/// Step 4c: an associated transceiver that is not stopping, against the current descriptions:
/// its msid and its direction.
/// spec: webrtc-pc "check if negotiation is needed" 4c; RFC 9429 §5.3.1 (rule 1.7e).
fn differs_from_current(
    t: &RtpTransceiver,
    d: &Descriptions,
    local_section: Option<IndexedSection<'_>>,
    remote_section: Option<IndexedSection<'_>>,
) -> bool {
    let (Some(local_desc), Some((_, local_section))) = (d.current_local(), local_section) else {
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
    let local_direction = vocab::section_direction(local_section);
    let remote_direction = remote_section.map(|(_, m)| vocab::section_direction(m));
    match local_desc.sdp_type {
        SdpType::Offer => {
            // "the direction ... in neither [[CurrentLocalDescription]] nor
            // [[CurrentRemoteDescription]] matches [[Direction]]".
            local_direction != desired && remote_direction.map(Direction::reverse) != Some(desired)
        }
        _ => {
            // Answer: the local answer's direction against [[Direction]] intersected with the
            // offered direction (RFC 9429 §5.3.1).
            let offered = remote_direction.unwrap_or(Direction::SendRecv);
            local_direction != Direction::answer(offered, desired)
        }
    }
}
