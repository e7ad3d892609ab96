//! `sender.transport` / `receiver.transport` (webrtc-pc §5.2, §5.3) as
//! `Session::transport_of`: none before a description gives the transceiver a transport, the
//! BUNDLE transport while its m-section is live, none once a negotiated stop releases it.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_session::TransceiverInit;
use tacet_tests::pair::{Pair, Who};
use tacet_track::TrackKind;

#[test]
fn a_negotiated_transceivers_transport_is_known_until_its_stop_releases_it() {
    let mut pair = Pair::new();
    let audio = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let video = pair
        .session(Who::A)
        .add_transceiver(TrackKind::Video, TransceiverInit::default())
        .unwrap();
    assert_eq!(pair.session(Who::A).transport_of(audio), None, "no mid yet");
    pair.negotiate(Who::A).unwrap();
    let transport = pair.session(Who::A).transport_of(audio);
    assert!(transport.is_some());
    assert_eq!(
        pair.session(Who::A).transport_of(video),
        transport,
        "bundled on one transport"
    );
    pair.session(Who::A)
        .transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .unwrap();
    // Stopping alone changes nothing until the exchange.
    assert_eq!(pair.session(Who::A).transport_of(video), transport);
    pair.negotiate(Who::A).unwrap();
    assert_eq!(
        pair.session(Who::A).transport_of(video),
        None,
        "the mid is gone"
    );
    assert_eq!(pair.session(Who::A).transport_of(audio), transport);
}
