//! Whether a pending offer moves a BUNDLE tag: what the connection asks before it writes
//! data-channel messages (`data/hold.rs`) and before it gives up an association whose
//! transport the peer closed (`Connection::carrier_ended`).

use tacet_sdp::SessionDescription;
use tacet_session::{Session, SignalingState};

/// This side has an offer pending (have-local-offer) that moves a tag.
pub(crate) fn own_offer_moves_tag(session: &Session) -> bool {
    session.signaling_state() == SignalingState::HaveLocalOffer
        && session
            .pending_local_description()
            .is_some_and(|offer| moves_tag(session, offer))
}

/// An offer that moves a tag is pending, this side's or the peer's (have-remote-offer).
pub(crate) fn pending_offer_moves_tag(session: &Session) -> bool {
    own_offer_moves_tag(session)
        || (session.signaling_state() == SignalingState::HaveRemoteOffer
            && session
                .pending_remote_description()
                .is_some_and(|offer| moves_tag(session, offer)))
}

/// Some BUNDLE group of `offer` has a tag (its first mid, RFC 9143 §7.1) that is not the tag
/// of the transport serving that group now: the stopped tag moved to the next live section,
/// or to the data section when all media stopped (RFC 9143 §7.3.3, stop-semantics §3).
fn moves_tag(session: &Session, offer: &SessionDescription) -> bool {
    offer.bundle_groups().any(|group| {
        let mut mids = group.mids();
        let Some(tag) = mids.next() else {
            return false;
        };
        let members: Vec<&str> = std::iter::once(tag).chain(mids).collect();
        session.transports().iter().any(|t| {
            !t.is_released()
                && t.tag().as_str() != tag
                && (members.contains(&t.tag().as_str())
                    || t.members().iter().any(|m| members.contains(&m.as_str())))
        })
    })
}
