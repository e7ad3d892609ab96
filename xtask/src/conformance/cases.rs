//! Every case of the WPT checklist for stopping media (stop-semantics.md §5, copied here so
//! nothing reads the reference directory at run time, decisions.md §7), with its mark and tacet's status.
//! Each `Pass` names a test of `tests/tests/conformance/` by its path (`module::name`, one module
//! per WPT file): the name is the snake_case of the WPT title
//! (without a `[kind] ` or `addTrack/addTransceiver - ` prefix; the first title when a row has
//! several). One test covers both kinds of a `[kind]` case and every title of its row.

/// Whether the WPT expectation matches the current spec (stop-semantics §5 notation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `[S]`: matches the current W3C webrtc-pc text.
    S,
    /// `[LEGACY]`: relies on the removed `transceiver.stopped` attribute or on the semantics
    /// before w3c/webrtc-pc PR #2220.
    Legacy,
}

/// What tacet does with a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Mirrored by this test function of `tacet-tests --test conformance`.
    Pass(&'static str),
    /// Needs real RTP, ICE or DTLS (media flowing, transports, unmute on RTP): the transport
    /// issue.
    NeedsTransport,
    /// A legacy case rewritten: what tacet does instead, and the rule it follows.
    Legacy(&'static str),
}

/// One numbered case of the checklist.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Case {
    pub(crate) number: u32,
    /// The WPT file, as a key of [`FILES`].
    pub(crate) file: &'static str,
    /// The WPT test title; several titles of one row are joined by ` / `.
    pub(crate) title: &'static str,
    pub(crate) mark: Mark,
    pub(crate) status: Status,
}

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

const fn case(
    number: u32,
    file: &'static str,
    title: &'static str,
    mark: Mark,
    status: Status,
) -> Case {
    Case {
        number,
        file,
        title,
        mark,
        status,
    }
}

const STOPPING: &str = "RTCRtpTransceiver-stopping.https.html";
const STOP: &str = "RTCRtpTransceiver-stop.html";
const TRANSCEIVER: &str = "RTCRtpTransceiver.https.html";
const TRANSCEIVERS: &str = "RTCPeerConnection-transceivers.https.html";
const SET_DESCRIPTION: &str = "RTCPeerConnection-setDescription-transceiver.html";
const REMOVE_TRACK: &str = "RTCPeerConnection-removeTrack.https.html";
const NEGOTIATION_NEEDED: &str = "RTCPeerConnection-onnegotiationneeded.html";
const DIRECTION: &str = "RTCRtpTransceiver-direction.html";
const REMOTE_MUTE: &str = "RTCPeerConnection-remote-track-mute.https.html";
const ROLLBACK_EVENTS: &str = "RollbackEvents.https.html";
const BUNDLE: &str = "protocol/bundle.https.html";
const PERFECT: &str = "RTCPeerConnection-perfect-negotiation.https.html";

/// Every case of the checklist, in order. Line numbers `Lnnnn` are those of webrtc-pc
/// `webrtc.html` @1a2dfb478b3e.
pub(crate) const CASES: &[Case] = {
    use Mark::{Legacy as L, S};
    use Status::{Legacy, NeedsTransport, Pass};
    &[
        // RTCRtpTransceiver-stopping.https.html
        case(
            1,
            STOPPING,
            "[kind] Locally stopped transceiver goes from stopping to stopped",
            S,
            Pass("stopping::locally_stopped_transceiver_goes_from_stopping_to_stopped"),
        ),
        case(
            2,
            STOPPING,
            "[kind] Locally stopping a transceiver ends the track",
            S,
            Pass("stopping::locally_stopping_a_transceiver_ends_the_track"),
        ),
        case(
            3,
            STOPPING,
            "[kind] Remotely stopping a transceiver ends the track",
            S,
            Pass("stopping::remotely_stopping_a_transceiver_ends_the_track"),
        ),
        case(
            4,
            STOPPING,
            "[kind] Remotely stopped transceiver goes directly to stopped",
            S,
            Pass("stopping::remotely_stopped_transceiver_goes_directly_to_stopped"),
        ),
        case(
            5,
            STOPPING,
            "[kind] Rollback when transceiver is not removed does not end track",
            S,
            Pass("stopping::rollback_when_transceiver_is_not_removed_does_not_end_track"),
        ),
        case(
            6,
            STOPPING,
            "[kind] Rollback when removing transceiver does end the track",
            S,
            Pass("stopping::rollback_when_removing_transceiver_does_end_the_track"),
        ),
        case(
            7,
            STOPPING,
            "[kind] Rollback when removing transceiver makes it stopped",
            S,
            Pass("stopping::rollback_when_removing_transceiver_makes_it_stopped"),
        ),
        case(
            8,
            STOPPING,
            "[kind] Glare when transceiver is not removed does not end track",
            S,
            Pass("stopping::glare_when_transceiver_is_not_removed_does_not_end_track"),
        ),
        // RTCRtpTransceiver-stop.html
        case(
            9,
            STOP,
            "A transceiver added and stopped before the initial offer generation should not trigger \
             an offer m-section generation",
            S,
            Pass(
                "stop::a_transceiver_added_and_stopped_before_the_initial_offer_generation_should_not_trigger_an_offer_m_section_generation",
            ),
        ),
        case(
            10,
            STOP,
            "A transceiver added and stopped should not crash when getting receiver's transport",
            S,
            NeedsTransport,
        ),
        case(
            11,
            STOP,
            "During renegotiation, adding and stopping a transceiver should not trigger a \
             renegotiated offer m-section generation",
            S,
            Pass(
                "stop::during_renegotiation_adding_and_stopping_a_transceiver_should_not_trigger_a_renegotiated_offer_m_section_generation",
            ),
        ),
        case(
            12,
            STOP,
            "A stopped sendonly transceiver should generate an inactive m-section in the offer",
            S,
            Pass(
                "stop::a_stopped_sendonly_transceiver_should_generate_an_inactive_m_section_in_the_offer",
            ),
        ),
        case(
            13,
            STOP,
            "A stopped inactive transceiver should generate an inactive m-section in the offer",
            S,
            Pass(
                "stop::a_stopped_inactive_transceiver_should_generate_an_inactive_m_section_in_the_offer",
            ),
        ),
        case(
            14,
            STOP,
            "If a transceiver is stopped locally, setting a locally generated answer should still work",
            S,
            Pass(
                "stop::if_a_transceiver_is_stopped_locally_setting_a_locally_generated_answer_should_still_work",
            ),
        ),
        case(
            15,
            STOP,
            "If a transceiver is stopped remotely, setting a locally generated answer should still \
             work",
            S,
            Pass(
                "stop::if_a_transceiver_is_stopped_remotely_setting_a_locally_generated_answer_should_still_work",
            ),
        ),
        case(
            16,
            STOP,
            "If a transceiver is stopped, transceivers, senders and receivers should disappear after \
             offer/answer",
            S,
            Pass(
                "stop::if_a_transceiver_is_stopped_transceivers_senders_and_receivers_should_disappear_after_offer_answer",
            ),
        ),
        case(
            17,
            STOP,
            "If a transceiver is stopped, transceivers should end up in state stopped",
            S,
            Pass("stop::if_a_transceiver_is_stopped_transceivers_should_end_up_in_state_stopped"),
        ),
        // RTCRtpTransceiver.https.html
        case(
            18,
            TRANSCEIVER,
            "checkRemoveAndReadd",
            S,
            Pass("transceiver::check_remove_and_readd"),
        ),
        case(
            19,
            TRANSCEIVER,
            "checkAddTrackExistingTransceiverThenRemove",
            S,
            Pass("transceiver::check_add_track_existing_transceiver_then_remove"),
        ),
        case(
            20,
            TRANSCEIVER,
            "checkRemoveTrackNegotiation",
            S,
            Pass("transceiver::check_remove_track_negotiation"),
        ),
        case(21, TRANSCEIVER, "checkMute", S, NeedsTransport),
        case(
            22,
            TRANSCEIVER,
            "checkCurrentDirection",
            L,
            Legacy(
                "The transitions before the close are as WPT expects. After `close()` \
                 currentDirection reads \"stopped\", not null: close stops every transceiver \
                 (webrtc-pc close the connection, L4822-4937) and the getter returns \"stopped\" \
                 once `[[Stopped]]` is true (L11229-11231); newer upstream WPT expects \"stopped\" \
                 too.",
            ),
        ),
        case(
            23,
            TRANSCEIVER,
            "checkStop",
            L,
            Legacy(
                "There is no `stopped` attribute. After `stop()` direction reads \"stopped\" (getter, \
                 L11128-11136), not \"sendrecv\"; currentDirection keeps its value until the \
                 transceiver is stopped; getSenders()/getReceivers() keep listing it until then \
                 (CollectSenders L7793-7797, decisions.md §4) instead of emptying at once. As WPT \
                 expects: the receiver track ends once, replaceTrack and the direction setter fail \
                 with InvalidStateError (L9452-9458, L11141-11192), a second stop() does nothing, \
                 the remote SRD(offer) ends the remote track, stop() after close() throws \
                 InvalidStateError. tacet-session has no setParameters or DTMF.",
            ),
        ),
        case(
            24,
            TRANSCEIVER,
            "checkStopAfterCreateOffer",
            L,
            Legacy(
                "The outcome is as WPT expects, read through the current attributes instead of \
                 `stopped`: the offer created before stop() is applied with a live port, \
                 negotiationneeded fires (stopping and not stopped, L5949-5952), and the next \
                 offer/answer rejects the m-section, so both sides remove the transceiver (mid null, \
                 direction and currentDirection \"stopped\"; set the session description, \
                 L2795-2818).",
            ),
        ),
        case(
            25,
            TRANSCEIVER,
            "checkStopAfterSetLocalOffer",
            L,
            Legacy(
                "The outcome is as WPT expects, read through the current attributes instead of \
                 `stopped`: a transceiver stopped between SLD(offer) and SRD(answer) is still \
                 stopping when the answer arrives (decisions.md §4), negotiationneeded fires \
                 (L5949-5952), and the next offer/answer rejects the m-section, so both sides remove \
                 it (mid null, direction and currentDirection \"stopped\").",
            ),
        ),
        case(
            26,
            TRANSCEIVER,
            "checkStopAfterSetRemoteOffer",
            L,
            Legacy(
                "WPT expects the stop to take effect in the answer; the current spec says a stopping \
                 transceiver does not affect createAnswer (webrtc-pc stop(), L11264-11273). tacet \
                 answers with a live port and `a=inactive`, so the offerer's currentDirection is \
                 \"inactive\" (case 46); the answerer then needs negotiation (L5949-5952) and its \
                 next offer carries port 0, after which both sides remove the transceiver. \
                 Rejecting in the answer could hit the offerer-tagged section and take the whole \
                 BUNDLE group, data channel included (w3c/webrtc-pc#2150).",
            ),
        ),
        case(
            27,
            TRANSCEIVER,
            "checkStopAfterCreateAnswer",
            L,
            Legacy(
                "The outcome is as WPT expects, read through the current attributes instead of \
                 `stopped`: the answer created before stop() is applied with a live port, \
                 negotiationneeded fires on the answerer (L5949-5952), and its next offer carries \
                 port 0, so both sides remove the transceiver (mid null, direction and \
                 currentDirection \"stopped\").",
            ),
        ),
        case(
            28,
            TRANSCEIVER,
            "checkStopAfterSetLocalAnswer",
            S,
            Pass("transceiver::check_stop_after_set_local_answer"),
        ),
        case(
            29,
            TRANSCEIVER,
            "checkStopAfterClose",
            S,
            Pass("transceiver::check_stop_after_close"),
        ),
        case(
            30,
            TRANSCEIVER,
            "checkLocalRollback",
            S,
            Pass("rollback::check_local_rollback"),
        ),
        case(
            31,
            TRANSCEIVER,
            "checkRollbackAndSetRemoteOfferWithDifferentType",
            S,
            Pass("rollback::check_rollback_and_set_remote_offer_with_different_type"),
        ),
        case(
            32,
            TRANSCEIVER,
            "checkRemoteRollback",
            L,
            Pass("transceiver::check_remote_rollback"),
        ),
        case(
            33,
            TRANSCEIVER,
            "checkMsectionReuse",
            L,
            Legacy(
                "The recycling rules are as WPT expects: addTrack after a rejection reuses the \
                 port-0 m-line at the same index with a new mid, a section stopped in the pending \
                 offer is too early to reuse (only zero-port sections of a current description \
                 recycle, RFC 9429 §5.2.2), and addTrack prefers a recvonly transceiver. The start \
                 differs: the answerer's stop() before createAnswer leaves its transceiver stopping, \
                 which does not affect createAnswer (webrtc-pc stop(), L11264-11273), so the answer \
                 says `a=inactive` and the m-line is rejected only by the answerer's next offer.",
            ),
        ),
        case(
            34,
            TRANSCEIVER,
            "checkStopAfterCreateOfferWithReusedMsection",
            S,
            Pass("transceiver::check_stop_after_create_offer_with_reused_msection"),
        ),
        case(
            35,
            TRANSCEIVER,
            "checkAddIceCandidateToStoppedTransceiver",
            S,
            Pass("transceiver::check_add_ice_candidate_to_stopped_transceiver"),
        ),
        case(
            36,
            TRANSCEIVER,
            "checkReplaceTrackNullDoesntPreventPairing",
            S,
            Pass("transceiver::check_replace_track_null_doesnt_prevent_pairing"),
        ),
        // RTCPeerConnection-transceivers.https.html
        case(
            37,
            TRANSCEIVERS,
            "Closing the PC stops the transceivers",
            L,
            Legacy(
                "After `close()` currentDirection and direction read \"stopped\", not null and \
                 `stopped == true`: close stops every transceiver (webrtc-pc close the connection, \
                 L4822-4937) and both getters report \"stopped\" (L11128-11136, L11229-11231). The \
                 receiver tracks end with an `ended` event (close uses disappear = false).",
            ),
        ),
        case(
            38,
            TRANSCEIVERS,
            "Changing transceiver direction to 'sendrecv' makes ontrack fire",
            S,
            Pass("transceivers::changing_transceiver_direction_to_sendrecv_makes_ontrack_fire"),
        ),
        case(
            39,
            TRANSCEIVERS,
            "addTrack reuses reusable transceivers / addTransceiver does not reuse reusable \
             transceivers",
            S,
            Pass("transceivers::add_track_reuses_reusable_transceivers"),
        ),
        case(
            40,
            TRANSCEIVERS,
            "setLocalDescription(answer): transceiver.currentDirection is recvonly / … is sendonly",
            S,
            Pass(
                "transceivers::set_local_description_answer_transceiver_current_direction_is_recvonly",
            ),
        ),
        // RTCPeerConnection-setDescription-transceiver.html
        case(
            41,
            SET_DESCRIPTION,
            "setLocalDescription(offer) with m= section should assign mid to corresponding \
             transceiver",
            S,
            Pass(
                "set_description::set_local_description_offer_with_m_section_should_assign_mid_to_corresponding_transceiver",
            ),
        ),
        case(
            42,
            SET_DESCRIPTION,
            "setRemoteDescription(offer) with m= section and no existing transceiver should create \
             corresponding transceiver",
            S,
            Pass(
                "set_description::set_remote_description_offer_with_m_section_and_no_existing_transceiver_should_create_corresponding_transceiver",
            ),
        ),
        case(
            43,
            SET_DESCRIPTION,
            "setLocalDescription(rollback) should unset transceiver.mid",
            S,
            Pass("rollback::set_local_description_rollback_should_unset_transceiver_mid"),
        ),
        case(
            44,
            SET_DESCRIPTION,
            "setLocalDescription(rollback) should only unset transceiver mids associated with \
             current round",
            S,
            Pass(
                "rollback::set_local_description_rollback_should_only_unset_transceiver_mids_associated_with_current_round",
            ),
        ),
        case(
            45,
            SET_DESCRIPTION,
            "setRemoteDescription(rollback) should remove newly created transceiver from \
             transceiver list",
            S,
            Pass(
                "rollback::set_remote_description_rollback_should_remove_newly_created_transceiver_from_transceiver_list",
            ),
        ),
        case(
            46,
            SET_DESCRIPTION,
            "setRemoteDescription should set transceiver inactive if its corresponding m section is \
             rejected",
            S,
            Pass(
                "set_description::set_remote_description_should_set_transceiver_inactive_if_its_corresponding_m_section_is_rejected",
            ),
        ),
        // RTCPeerConnection-removeTrack.https.html
        case(
            47,
            REMOVE_TRACK,
            "Calling removeTrack with currentDirection sendrecv should set direction to recvonly",
            S,
            Pass(
                "remove_track::calling_remove_track_with_current_direction_sendrecv_should_set_direction_to_recvonly",
            ),
        ),
        case(
            48,
            REMOVE_TRACK,
            "Calling removeTrack with currentDirection sendonly should set direction to inactive",
            S,
            Pass(
                "remove_track::calling_remove_track_with_current_direction_sendonly_should_set_direction_to_inactive",
            ),
        ),
        case(
            49,
            REMOVE_TRACK,
            "Calling removeTrack with currentDirection recvonly should not change direction",
            S,
            Pass(
                "remove_track::calling_remove_track_with_current_direction_recvonly_should_not_change_direction",
            ),
        ),
        case(
            50,
            REMOVE_TRACK,
            "Calling removeTrack with currentDirection inactive should not change direction",
            S,
            Pass(
                "remove_track::calling_remove_track_with_current_direction_inactive_should_not_change_direction",
            ),
        ),
        case(
            51,
            REMOVE_TRACK,
            "Calling removeTrack on a stopped transceiver should be a no-op",
            S,
            Pass("remove_track::calling_remove_track_on_a_stopped_transceiver_should_be_a_no_op"),
        ),
        case(
            52,
            REMOVE_TRACK,
            "addTrack/addTransceiver - Calling removeTrack when connection is closed should throw \
             InvalidStateError",
            S,
            Pass(
                "remove_track::calling_remove_track_when_connection_is_closed_should_throw_invalid_state_error",
            ),
        ),
        // RTCPeerConnection-onnegotiationneeded.html
        case(
            53,
            NEGOTIATION_NEEDED,
            "Creating first data channel should fire negotiationneeded event",
            S,
            Pass(
                "negotiation_needed::creating_first_data_channel_should_fire_negotiationneeded_event",
            ),
        ),
        case(
            54,
            NEGOTIATION_NEEDED,
            "calling createDataChannel twice should fire negotiationneeded event once",
            S,
            Pass(
                "negotiation_needed::calling_create_data_channel_twice_should_fire_negotiationneeded_event_once",
            ),
        ),
        case(
            55,
            NEGOTIATION_NEEDED,
            "addTransceiver() should fire negotiationneeded event / Calling addTransceiver() twice \
             should fire negotiationneeded event once / Calling both addTransceiver() and \
             createDataChannel() should fire negotiationneeded event once",
            S,
            Pass("negotiation_needed::add_transceiver_should_fire_negotiationneeded_event"),
        ),
        case(
            56,
            NEGOTIATION_NEEDED,
            "negotiationneeded event should not fire if signaling state is not stable",
            S,
            Pass(
                "negotiation_needed::negotiationneeded_event_should_not_fire_if_signaling_state_is_not_stable",
            ),
        ),
        case(
            57,
            NEGOTIATION_NEEDED,
            "negotiationneeded event should fire only after signaling state go back to stable after \
             setRemoteDescription / … after setLocalDescription",
            S,
            Pass(
                "negotiation_needed::negotiationneeded_event_should_fire_only_after_signaling_state_go_back_to_stable_after_set_remote_description",
            ),
        ),
        case(
            58,
            NEGOTIATION_NEEDED,
            "removeTrack should cause negotiationneeded to fire on the caller / … on the callee",
            S,
            Pass(
                "negotiation_needed::remove_track_should_cause_negotiationneeded_to_fire_on_the_caller",
            ),
        ),
        case(
            59,
            NEGOTIATION_NEEDED,
            "Updating the direction of the transceiver should cause negotiationneeded to fire / \
             Calling setStreams should cause negotiationneeded to fire",
            S,
            Pass(
                "negotiation_needed::updating_the_direction_of_the_transceiver_should_cause_negotiationneeded_to_fire",
            ),
        ),
        // RTCRtpTransceiver-direction.html
        case(
            60,
            DIRECTION,
            "setting direction should change transceiver.direction",
            S,
            Pass("direction::setting_direction_should_change_transceiver_direction"),
        ),
        case(
            61,
            DIRECTION,
            "setting direction with same direction should have no effect",
            S,
            Pass("direction::setting_direction_with_same_direction_should_have_no_effect"),
        ),
        case(
            62,
            DIRECTION,
            "setting direction should change transceiver.direction independent of \
             transceiver.currentDirection",
            S,
            Pass(
                "direction::setting_direction_should_change_transceiver_direction_independent_of_transceiver_current_direction",
            ),
        ),
        // RTCPeerConnection-remote-track-mute.https.html
        case(
            63,
            REMOTE_MUTE,
            "ontrack: track goes from muted to unmuted",
            S,
            NeedsTransport,
        ),
        case(
            64,
            REMOTE_MUTE,
            "Changing transceiver direction to 'inactive' mutes the remote track",
            S,
            NeedsTransport,
        ),
        case(
            65,
            REMOTE_MUTE,
            "Changing transceiver direction to 'sendrecv' unmutes the remote track",
            S,
            NeedsTransport,
        ),
        case(
            66,
            REMOTE_MUTE,
            "pc.close() mutes remote tracks",
            S,
            NeedsTransport,
        ),
        // RollbackEvents.https.html
        case(
            67,
            ROLLBACK_EVENTS,
            "[kind] Track with stream: removal due to disassociation in rollback and then add it \
             back again",
            S,
            Pass(
                "rollback_events::track_with_stream_removal_due_to_disassociation_in_rollback_and_then_add_it_back_again",
            ),
        ),
        case(
            68,
            ROLLBACK_EVENTS,
            "[kind] Track without stream: removal due to disassociation in rollback and then add it \
             back",
            S,
            Pass(
                "rollback_events::track_without_stream_removal_due_to_disassociation_in_rollback_and_then_add_it_back",
            ),
        ),
        case(
            69,
            ROLLBACK_EVENTS,
            "[kind] Track with stream: removal due to direction changing and then add back using \
             rollback",
            S,
            Pass(
                "rollback_events::track_with_stream_removal_due_to_direction_changing_and_then_add_back_using_rollback",
            ),
        ),
        case(
            70,
            ROLLBACK_EVENTS,
            "[kind] Track without stream: removal due to direction changing and then add back using \
             rollback",
            S,
            Pass(
                "rollback_events::track_without_stream_removal_due_to_direction_changing_and_then_add_back_using_rollback",
            ),
        ),
        // protocol/bundle.https.html
        case(
            71,
            BUNDLE,
            "not negotiating BUNDLE creates two separate ice and dtls transports",
            S,
            NeedsTransport,
        ),
        case(
            72,
            BUNDLE,
            "bundles on the first transport and closes the second",
            S,
            NeedsTransport,
        ),
        case(
            73,
            BUNDLE,
            "max-bundle with an offer without bundle only negotiates the first m-line",
            L,
            Legacy(
                "There is no `stopped` attribute. The answer rejects the second m-line (port 0: \
                 max-bundle keeps only the first section's group, RFC 9429 §5.3.1). webrtc-pc stops \
                 a transceiver for a rejected section only when the description is remote (set the \
                 session description, L2646-2650), so the answerer's own SLD(answer) does not stop \
                 transceivers[1] and its direction does not read \"stopped\" \
                 (docs/stop-semantics.md §3.2).",
            ),
        ),
        case(
            74,
            BUNDLE,
            "sRD(offer) works with no transport attributes in a bundle-only m-section",
            S,
            Pass(
                "bundle::s_rd_offer_works_with_no_transport_attributes_in_a_bundle_only_m_section",
            ),
        ),
        // RTCPeerConnection-perfect-negotiation.https.html
        case(
            75,
            PERFECT,
            "Perfect negotiation setup connects",
            S,
            Pass("perfect_negotiation::perfect_negotiation_setup_connects"),
        ),
        case(
            76,
            PERFECT,
            "Perfect negotiation glare",
            S,
            Pass("perfect_negotiation::perfect_negotiation_glare"),
        ),
        case(
            77,
            PERFECT,
            "Perfect negotiation stress glare / … stress glare linear",
            S,
            Pass("perfect_negotiation::perfect_negotiation_stress_glare"),
        ),
    ]
};
