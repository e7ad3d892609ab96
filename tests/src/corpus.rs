//! The real SDPs of `tests/data/sdp/` (Chromium 156, aiortc 1.16; copied from the shared
//! corpus, see its README) for interop tests: read them, and play them into a tacet peer.

use std::path::Path;

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{Error, Event};

use crate::pair::Peer;

/// The text of `tests/data/sdp/<name>.sdp`.
pub fn sdp(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sdp")
        .join(format!("{name}.sdp"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("corpus file {} is missing: {e}", path.display()))
}

/// `tests/data/sdp/<name>.sdp` parsed as `sdp_type`.
pub fn parsed(name: &str, sdp_type: SdpType) -> SessionDescription {
    SessionDescription::parse(sdp_type, &sdp(name))
        .unwrap_or_else(|e| panic!("corpus file {name} does not parse: {e}"))
        .description
}

/// Sets `tests/data/sdp/<name>.sdp` as `peer`'s remote description (parsed from text, as a
/// signaling channel delivers it) and drains the peer's queues.
pub fn deliver(peer: &mut Peer, name: &str, sdp_type: SdpType) -> Result<(), Error> {
    let result = peer
        .session
        .set_remote_description_text(sdp_type, &sdp(name));
    peer.drain();
    result
}

/// `peer` answers the remote offer it has: creates the answer, sets it, drains.
pub fn answer(peer: &mut Peer) -> Result<SessionDescription, Error> {
    let answer = peer.session.create_answer()?;
    peer.session.set_local_description(answer.clone())?;
    peer.drain();
    Ok(answer)
}

/// `peer` offers: creates the offer, sets it, drains.
pub fn offer(peer: &mut Peer) -> Result<SessionDescription, Error> {
    let offer = peer.session.create_offer()?;
    peer.session.set_local_description(offer.clone())?;
    peer.drain();
    Ok(offer)
}

/// The peer warnings among `events`, as their kinds.
pub fn warnings(events: &[Event]) -> Vec<tacet_sdp::WarningKind> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::PeerWarning(w) => Some(w.kind.clone()),
            _ => None,
        })
        .collect()
}
