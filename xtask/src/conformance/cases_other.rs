//! Cases 37-77 of the checklist: the other WPT files (stop-semantics §5.4-§5.12).

use super::cases::{
    BUNDLE, DIRECTION, NEGOTIATION_NEEDED, PERFECT, REMOTE_MUTE, REMOVE_TRACK, ROLLBACK_EVENTS,
    SET_DESCRIPTION, TRANSCEIVERS,
};
use super::table::Mark::S;
use super::table::{Case, case, rewritten, tested};

/// Cases 37-77, in order.
pub(crate) const CASES: &[Case] = &[
    // RTCPeerConnection-transceivers.https.html
    rewritten(
        37,
        TRANSCEIVERS,
        &[tested(
            "Closing the PC stops the transceivers",
            &["transceivers::closing_the_pc_stops_the_transceivers"],
        )],
        "After `close()` currentDirection and direction read \"stopped\", not null and \
             `stopped == true`: close stops every transceiver (webrtc-pc close the connection, \
             L4822-4937) and both getters report \"stopped\" (L11128-11136, L11229-11231). The \
             receiver track ends with an `ended` event (close uses disappear = false).",
    ),
    case(
        38,
        TRANSCEIVERS,
        S,
        &[tested(
            "Changing transceiver direction to 'sendrecv' makes ontrack fire",
            &["transceivers::changing_transceiver_direction_to_sendrecv_makes_ontrack_fire"],
        )],
    ),
    case(
        39,
        TRANSCEIVERS,
        S,
        &[
            tested(
                "addTrack reuses reusable transceivers",
                &["transceivers::add_track_reuses_reusable_transceivers"],
            ),
            tested(
                "addTransceiver does not reuse reusable transceivers",
                &["transceivers::add_transceiver_does_not_reuse_reusable_transceivers"],
            ),
        ],
    ),
    case(
        40,
        TRANSCEIVERS,
        S,
        &[
            tested(
                "setLocalDescription(answer): transceiver.currentDirection is recvonly",
                &[
                    "transceivers::set_local_description_answer_transceiver_current_direction_is_recvonly",
                ],
            ),
            tested(
                "setLocalDescription(answer): transceiver.currentDirection is sendonly",
                &[
                    "transceivers::set_local_description_answer_transceiver_current_direction_is_sendonly",
                ],
            ),
        ],
    ),
    // RTCPeerConnection-setDescription-transceiver.html
    case(
        41,
        SET_DESCRIPTION,
        S,
        &[tested(
            "setLocalDescription(offer) with m= section should assign mid to \
                     corresponding transceiver",
            &[
                "set_description::set_local_description_offer_with_m_section_should_assign_mid_to_corresponding_transceiver",
            ],
        )],
    ),
    case(
        42,
        SET_DESCRIPTION,
        S,
        &[tested(
            "setRemoteDescription(offer) with m= section and no existing transceiver \
                     should create corresponding transceiver",
            &[
                "set_description::set_remote_description_offer_with_m_section_and_no_existing_transceiver_should_create_corresponding_transceiver",
            ],
        )],
    ),
    case(
        43,
        SET_DESCRIPTION,
        S,
        &[tested(
            "setLocalDescription(rollback) should unset transceiver.mid",
            &["rollback::set_local_description_rollback_should_unset_transceiver_mid"],
        )],
    ),
    case(
        44,
        SET_DESCRIPTION,
        S,
        &[tested(
            "setLocalDescription(rollback) should only unset transceiver mids \
                     associated with current round",
            &[
                "rollback::set_local_description_rollback_should_only_unset_transceiver_mids_associated_with_current_round",
            ],
        )],
    ),
    case(
        45,
        SET_DESCRIPTION,
        S,
        &[tested(
            "setRemoteDescription(rollback) should remove newly created transceiver \
                     from transceiver list",
            &[
                "rollback::set_remote_description_rollback_should_remove_newly_created_transceiver_from_transceiver_list",
            ],
        )],
    ),
    case(
        46,
        SET_DESCRIPTION,
        S,
        &[tested(
            "setRemoteDescription should set transceiver inactive if its corresponding \
                     m section is rejected",
            &[
                "set_description::set_remote_description_should_set_transceiver_inactive_if_its_corresponding_m_section_is_rejected",
            ],
        )],
    ),
    // RTCPeerConnection-removeTrack.https.html
    case(
        47,
        REMOVE_TRACK,
        S,
        &[tested(
            "Calling removeTrack with currentDirection sendrecv should set direction to \
                     recvonly",
            &[
                "remove_track::calling_remove_track_with_current_direction_sendrecv_should_set_direction_to_recvonly",
            ],
        )],
    ),
    case(
        48,
        REMOVE_TRACK,
        S,
        &[tested(
            "Calling removeTrack with currentDirection sendonly should set direction to \
                     inactive",
            &[
                "remove_track::calling_remove_track_with_current_direction_sendonly_should_set_direction_to_inactive",
            ],
        )],
    ),
    case(
        49,
        REMOVE_TRACK,
        S,
        &[tested(
            "Calling removeTrack with currentDirection recvonly should not change \
                     direction",
            &[
                "remove_track::calling_remove_track_with_current_direction_recvonly_should_not_change_direction",
            ],
        )],
    ),
    case(
        50,
        REMOVE_TRACK,
        S,
        &[tested(
            "Calling removeTrack with currentDirection inactive should not change \
                     direction",
            &[
                "remove_track::calling_remove_track_with_current_direction_inactive_should_not_change_direction",
            ],
        )],
    ),
    case(
        51,
        REMOVE_TRACK,
        S,
        &[tested(
            "Calling removeTrack on a stopped transceiver should be a no-op",
            &["remove_track::calling_remove_track_on_a_stopped_transceiver_should_be_a_no_op"],
        )],
    ),
    case(
        52,
        REMOVE_TRACK,
        S,
        &[
            tested(
                "addTransceiver - Calling removeTrack when connection is closed should \
                     throw InvalidStateError",
                &[
                    "remove_track::calling_remove_track_when_connection_is_closed_should_throw_invalid_state_error",
                ],
            ),
            tested(
                "addTrack - Calling removeTrack when connection is closed should throw \
                     InvalidStateError",
                &[
                    "remove_track::calling_remove_track_when_connection_is_closed_should_throw_invalid_state_error",
                ],
            ),
            tested(
                "addTransceiver - Calling removeTrack on different connection that is \
                     closed should throw InvalidStateError",
                &[
                    "remove_track::calling_remove_track_on_different_connection_that_is_closed_should_throw_invalid_state_error",
                ],
            ),
            tested(
                "addTrack - Calling removeTrack on different connection that is closed \
                     should throw InvalidStateError",
                &[
                    "remove_track::calling_remove_track_on_different_connection_that_is_closed_should_throw_invalid_state_error",
                ],
            ),
            tested(
                "addTransceiver - Calling removeTrack on different connection should throw \
                     InvalidAccessError",
                &[
                    "remove_track::calling_remove_track_on_different_connection_should_throw_invalid_access_error",
                ],
            ),
            tested(
                "addTrack - Calling removeTrack on different connection should throw \
                     InvalidAccessError",
                &[
                    "remove_track::calling_remove_track_on_different_connection_should_throw_invalid_access_error",
                ],
            ),
        ],
    ),
    // RTCPeerConnection-onnegotiationneeded.html
    case(
        53,
        NEGOTIATION_NEEDED,
        S,
        &[tested(
            "Creating first data channel should fire negotiationneeded event",
            &[
                "negotiation_needed::creating_first_data_channel_should_fire_negotiationneeded_event",
            ],
        )],
    ),
    case(
        54,
        NEGOTIATION_NEEDED,
        S,
        &[tested(
            "calling createDataChannel twice should fire negotiationneeded event once",
            &[
                "negotiation_needed::calling_create_data_channel_twice_should_fire_negotiationneeded_event_once",
            ],
        )],
    ),
    case(
        55,
        NEGOTIATION_NEEDED,
        S,
        &[
            tested(
                "addTransceiver() should fire negotiationneeded event",
                &["negotiation_needed::add_transceiver_should_fire_negotiationneeded_event"],
            ),
            tested(
                "Calling addTransceiver() twice should fire negotiationneeded event once",
                &["negotiation_needed::add_transceiver_should_fire_negotiationneeded_event"],
            ),
            tested(
                "Calling both addTransceiver() and createDataChannel() should fire \
                     negotiationneeded event once",
                &["negotiation_needed::add_transceiver_should_fire_negotiationneeded_event"],
            ),
        ],
    ),
    case(
        56,
        NEGOTIATION_NEEDED,
        S,
        &[tested(
            "negotiationneeded event should not fire if signaling state is not stable",
            &[
                "negotiation_needed::negotiationneeded_event_should_not_fire_if_signaling_state_is_not_stable",
            ],
        )],
    ),
    case(
        57,
        NEGOTIATION_NEEDED,
        S,
        &[
            tested(
                "negotiationneeded event should fire only after signaling state go back to \
                     stable after setRemoteDescription",
                &[
                    "negotiation_needed::negotiationneeded_event_should_fire_only_after_signaling_state_go_back_to_stable_after_set_remote_description",
                ],
            ),
            tested(
                "negotiationneeded event should fire only after signaling state go back to \
                     stable after setLocalDescription",
                &[
                    "negotiation_needed::negotiationneeded_event_should_fire_only_after_signaling_state_go_back_to_stable_after_set_remote_description",
                ],
            ),
        ],
    ),
    case(
        58,
        NEGOTIATION_NEEDED,
        S,
        &[
            tested(
                "removeTrack should cause negotiationneeded to fire on the caller",
                &[
                    "negotiation_needed::remove_track_should_cause_negotiationneeded_to_fire_on_the_caller",
                ],
            ),
            tested(
                "removeTrack should cause negotiationneeded to fire on the callee",
                &[
                    "negotiation_needed::remove_track_should_cause_negotiationneeded_to_fire_on_the_caller",
                ],
            ),
        ],
    ),
    case(
        59,
        NEGOTIATION_NEEDED,
        S,
        &[
            tested(
                "Updating the direction of the transceiver should cause negotiationneeded \
                     to fire",
                &[
                    "negotiation_needed::updating_the_direction_of_the_transceiver_should_cause_negotiationneeded_to_fire",
                ],
            ),
            tested(
                "Calling setStreams should cause negotiationneeded to fire",
                &["negotiation_needed::calling_set_streams_should_cause_negotiationneeded_to_fire"],
            ),
        ],
    ),
    // RTCRtpTransceiver-direction.html
    case(
        60,
        DIRECTION,
        S,
        &[tested(
            "setting direction should change transceiver.direction",
            &["direction::setting_direction_should_change_transceiver_direction"],
        )],
    ),
    case(
        61,
        DIRECTION,
        S,
        &[tested(
            "setting direction with same direction should have no effect",
            &["direction::setting_direction_with_same_direction_should_have_no_effect"],
        )],
    ),
    case(
        62,
        DIRECTION,
        S,
        &[tested(
            "setting direction should change transceiver.direction independent of \
                     transceiver.currentDirection",
            &[
                "direction::setting_direction_should_change_transceiver_direction_independent_of_transceiver_current_direction",
            ],
        )],
    ),
    // RTCPeerConnection-remote-track-mute.https.html
    case(
        63,
        REMOTE_MUTE,
        S,
        &[tested(
            "ontrack: track goes from muted to unmuted",
            &["remote_track_mute::ontrack_track_goes_from_muted_to_unmuted"],
        )],
    ),
    case(
        64,
        REMOTE_MUTE,
        S,
        &[tested(
            "Changing transceiver direction to 'inactive' mutes the remote track",
            &[
                "remote_track_mute::changing_transceiver_direction_to_inactive_mutes_the_remote_track",
            ],
        )],
    ),
    case(
        65,
        REMOTE_MUTE,
        S,
        &[tested(
            "Changing transceiver direction to 'sendrecv' unmutes the remote \
                           track",
            &[
                "remote_track_mute::changing_transceiver_direction_to_sendrecv_unmutes_the_remote_track",
            ],
        )],
    ),
    case(
        66,
        REMOTE_MUTE,
        S,
        &[tested(
            "pc.close() mutes remote tracks",
            &["remote_track_mute::pc_close_mutes_remote_tracks"],
        )],
    ),
    // RollbackEvents.https.html
    case(
        67,
        ROLLBACK_EVENTS,
        S,
        &[tested(
            "[kind] Track with stream: removal due to disassociation in rollback and \
                     then add it back again",
            &[
                "rollback_events::track_with_stream_removal_due_to_disassociation_in_rollback_and_then_add_it_back_again",
            ],
        )],
    ),
    case(
        68,
        ROLLBACK_EVENTS,
        S,
        &[tested(
            "[kind] Track without stream: removal due to disassociation in rollback and \
                     then add it back",
            &[
                "rollback_events::track_without_stream_removal_due_to_disassociation_in_rollback_and_then_add_it_back",
            ],
        )],
    ),
    case(
        69,
        ROLLBACK_EVENTS,
        S,
        &[tested(
            "[kind] Track with stream: removal due to direction changing and then add \
                     back using rollback",
            &[
                "rollback_events::track_with_stream_removal_due_to_direction_changing_and_then_add_back_using_rollback",
            ],
        )],
    ),
    case(
        70,
        ROLLBACK_EVENTS,
        S,
        &[tested(
            "[kind] Track without stream: removal due to direction changing and then \
                     add back using rollback",
            &[
                "rollback_events::track_without_stream_removal_due_to_direction_changing_and_then_add_back_using_rollback",
            ],
        )],
    ),
    // protocol/bundle.https.html
    case(
        71,
        BUNDLE,
        S,
        &[tested(
            "not negotiating BUNDLE creates two separate ice and dtls transports",
            &["bundle::not_negotiating_bundle_creates_two_separate_ice_and_dtls_transports"],
        )],
    ),
    case(
        72,
        BUNDLE,
        S,
        &[tested(
            "bundles on the first transport and closes the second",
            &["bundle::bundles_on_the_first_transport_and_closes_the_second"],
        )],
    ),
    rewritten(
        73,
        BUNDLE,
        &[tested(
            "max-bundle with an offer without bundle only negotiates the first m-line",
            &["bundle::max_bundle_with_an_offer_without_bundle_only_negotiates_the_first_m_line"],
        )],
        "There is no `stopped` attribute; the outcome is as WPT expects, read through the \
             current attributes. A max-bundle answerer accepts only the first m-line of an \
             offer without BUNDLE and rejects the second (port 0, RFC 9429 §5.3.1). Applying \
             that answer stops transceivers[1] (direction and currentDirection \"stopped\", \
             track ended) and removes it, while transceivers[0] stays: tacet stops a \
             transceiver whose m-section its own answer rejects, as Chromium does (the letter \
             of webrtc-pc stops only for remote descriptions; webrtc-pc#2927; \
             docs/stop-semantics.md §4.2).",
    ),
    case(
        74,
        BUNDLE,
        S,
        &[tested(
            "sRD(offer) works with no transport attributes in a bundle-only m-section",
            &["bundle::s_rd_offer_works_with_no_transport_attributes_in_a_bundle_only_m_section"],
        )],
    ),
    // RTCPeerConnection-perfect-negotiation.https.html
    case(
        75,
        PERFECT,
        S,
        &[tested(
            "Perfect negotiation setup connects",
            &["perfect_negotiation::perfect_negotiation_setup_connects"],
        )],
    ),
    case(
        76,
        PERFECT,
        S,
        &[tested(
            "Perfect negotiation glare",
            &["perfect_negotiation::perfect_negotiation_glare"],
        )],
    ),
    case(
        77,
        PERFECT,
        S,
        &[
            tested(
                "Perfect negotiation stress glare",
                &["perfect_negotiation::perfect_negotiation_stress_glare"],
            ),
            tested(
                "Perfect negotiation stress glare linear",
                &["perfect_negotiation::perfect_negotiation_stress_glare"],
            ),
        ],
    ),
];
