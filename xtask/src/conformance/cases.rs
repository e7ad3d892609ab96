//! Every case of the WPT checklist for stopping media (stop-semantics.md §5, copied here so
//! nothing reads the reference directory at run time, decisions.md §7): the files, and the cases
//! in two lists ([`super::cases_stop`], [`super::cases_other`]).
//!
//! Each case lists its WPT titles, and for each title how tacet checks it (see
//! [`super::table::Check`]). A test is named after its title in snake_case (without a `[kind] `,
//! `addTrack - ` or `addTransceiver - ` prefix; one test may cover several titles of its row, and
//! is then named after the first of them); one test covers both kinds of a `[kind]` case.

use super::table::Case;

/// The WPT files in checklist order, each with the version the checklist was read from.
pub(crate) const FILES: &[(&str, &str)] = &[
    (
        "RTCRtpTransceiver-stopping.https.html",
        "Chromium WPT mirror; each test runs for kind ∈ {audio, video}.",
    ),
    (
        "RTCRtpTransceiver-stop.html",
        "web-platform-tests/wpt @1243a04a; variants `?interop-2026` and `?rest`.",
    ),
    (
        "RTCRtpTransceiver.https.html",
        "web-platform-tests/wpt @03ebc4f2; the test names are the function names; only the \
         cases about stop, removal and rollback.",
    ),
    (
        "RTCPeerConnection-transceivers.https.html",
        "Chromium WPT mirror.",
    ),
    (
        "RTCPeerConnection-setDescription-transceiver.html",
        "Chromium WPT mirror.",
    ),
    (
        "RTCPeerConnection-removeTrack.https.html",
        "Chromium WPT mirror.",
    ),
    (
        "RTCPeerConnection-onnegotiationneeded.html",
        "Chromium WPT mirror @cb5f1a08. \"stop → negotiationneeded\" is still a TODO there; \
         cases 24-28 cover it.",
    ),
    (
        "RTCRtpTransceiver-direction.html",
        "web-platform-tests/wpt @f15119cd.",
    ),
    (
        "RTCPeerConnection-remote-track-mute.https.html",
        "Chromium WPT mirror.",
    ),
    (
        "RollbackEvents.https.html",
        "Chromium WPT mirror; each test runs for kind ∈ {audio, video}.",
    ),
    (
        "protocol/bundle.https.html",
        "Chromium WPT mirror @c28ccf14.",
    ),
    (
        "RTCPeerConnection-perfect-negotiation.https.html",
        "Each test runs for both role orders.",
    ),
];

pub(crate) const STOPPING: &str = "RTCRtpTransceiver-stopping.https.html";
pub(crate) const STOP: &str = "RTCRtpTransceiver-stop.html";
pub(crate) const TRANSCEIVER: &str = "RTCRtpTransceiver.https.html";
pub(crate) const TRANSCEIVERS: &str = "RTCPeerConnection-transceivers.https.html";
pub(crate) const SET_DESCRIPTION: &str = "RTCPeerConnection-setDescription-transceiver.html";
pub(crate) const REMOVE_TRACK: &str = "RTCPeerConnection-removeTrack.https.html";
pub(crate) const NEGOTIATION_NEEDED: &str = "RTCPeerConnection-onnegotiationneeded.html";
pub(crate) const DIRECTION: &str = "RTCRtpTransceiver-direction.html";
pub(crate) const REMOTE_MUTE: &str = "RTCPeerConnection-remote-track-mute.https.html";
pub(crate) const ROLLBACK_EVENTS: &str = "RollbackEvents.https.html";
pub(crate) const BUNDLE: &str = "protocol/bundle.https.html";
pub(crate) const PERFECT: &str = "RTCPeerConnection-perfect-negotiation.https.html";

/// Every case of the checklist, in order.
pub(crate) fn cases() -> Vec<Case> {
    let mut all = super::cases_stop::CASES.to_vec();
    all.extend_from_slice(super::cases_other::CASES);
    all
}
