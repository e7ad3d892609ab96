//! Cases 1-36 of the checklist: the three files about stopping (stop-semantics §5.1-§5.3).

use super::cases::{STOP, STOPPING, TRANSCEIVER};
use super::table::Mark::{Legacy as L, S};
use super::table::{Case, case, rewritten, tested};

/// Cases 1-36, in order.
pub(crate) const CASES: &[Case] = &[
    // RTCRtpTransceiver-stopping.https.html
    case(
        1,
        STOPPING,
        S,
        &[tested(
            "[kind] Locally stopped transceiver goes from stopping to stopped",
            &["stopping::locally_stopped_transceiver_goes_from_stopping_to_stopped"],
        )],
    ),
    case(
        2,
        STOPPING,
        S,
        &[tested(
            "[kind] Locally stopping a transceiver ends the track",
            &["stopping::locally_stopping_a_transceiver_ends_the_track"],
        )],
    ),
    case(
        3,
        STOPPING,
        S,
        &[tested(
            "[kind] Remotely stopping a transceiver ends the track",
            &["stopping::remotely_stopping_a_transceiver_ends_the_track"],
        )],
    ),
    case(
        4,
        STOPPING,
        S,
        &[tested(
            "[kind] Remotely stopped transceiver goes directly to stopped",
            &["stopping::remotely_stopped_transceiver_goes_directly_to_stopped"],
        )],
    ),
    case(
        5,
        STOPPING,
        S,
        &[tested(
            "[kind] Rollback when transceiver is not removed does not end track",
            &["stopping::rollback_when_transceiver_is_not_removed_does_not_end_track"],
        )],
    ),
    case(
        6,
        STOPPING,
        S,
        &[tested(
            "[kind] Rollback when removing transceiver does end the track",
            &["stopping::rollback_when_removing_transceiver_does_end_the_track"],
        )],
    ),
    case(
        7,
        STOPPING,
        S,
        &[tested(
            "[kind] Rollback when removing transceiver makes it stopped",
            &["stopping::rollback_when_removing_transceiver_makes_it_stopped"],
        )],
    ),
    case(
        8,
        STOPPING,
        S,
        &[tested(
            "[kind] Glare when transceiver is not removed does not end track",
            &["stopping::glare_when_transceiver_is_not_removed_does_not_end_track"],
        )],
    ),
    // RTCRtpTransceiver-stop.html
    case(
        9,
        STOP,
        S,
        &[tested(
            "A transceiver added and stopped before the initial offer generation should \
                     not trigger an offer m-section generation",
            &[
                "stop::a_transceiver_added_and_stopped_before_the_initial_offer_generation_should_not_trigger_an_offer_m_section_generation",
            ],
        )],
    ),
    case(
        10,
        STOP,
        S,
        &[tested(
            "A transceiver added and stopped should not crash when getting \
                           receiver's transport",
            &[
                "stop::a_transceiver_added_and_stopped_should_not_crash_when_getting_receiver_s_transport",
            ],
        )],
    ),
    case(
        11,
        STOP,
        S,
        &[tested(
            "During renegotiation, adding and stopping a transceiver should not trigger \
                     a renegotiated offer m-section generation",
            &[
                "stop::during_renegotiation_adding_and_stopping_a_transceiver_should_not_trigger_a_renegotiated_offer_m_section_generation",
            ],
        )],
    ),
    case(
        12,
        STOP,
        S,
        &[tested(
            "A stopped sendonly transceiver should generate an inactive m-section in \
                     the offer",
            &[
                "stop::a_stopped_sendonly_transceiver_should_generate_an_inactive_m_section_in_the_offer",
            ],
        )],
    ),
    case(
        13,
        STOP,
        S,
        &[tested(
            "A stopped inactive transceiver should generate an inactive m-section in \
                     the offer",
            &[
                "stop::a_stopped_inactive_transceiver_should_generate_an_inactive_m_section_in_the_offer",
            ],
        )],
    ),
    case(
        14,
        STOP,
        S,
        &[tested(
            "If a transceiver is stopped locally, setting a locally generated answer \
                     should still work",
            &[
                "stop::if_a_transceiver_is_stopped_locally_setting_a_locally_generated_answer_should_still_work",
            ],
        )],
    ),
    case(
        15,
        STOP,
        S,
        &[tested(
            "If a transceiver is stopped remotely, setting a locally generated answer \
                     should still work",
            &[
                "stop::if_a_transceiver_is_stopped_remotely_setting_a_locally_generated_answer_should_still_work",
            ],
        )],
    ),
    case(
        16,
        STOP,
        S,
        &[tested(
            "If a transceiver is stopped, transceivers, senders and receivers should \
                     disappear after offer/answer",
            &[
                "stop::if_a_transceiver_is_stopped_transceivers_senders_and_receivers_should_disappear_after_offer_answer",
            ],
        )],
    ),
    case(
        17,
        STOP,
        S,
        &[tested(
            "If a transceiver is stopped, transceivers should end up in state stopped",
            &["stop::if_a_transceiver_is_stopped_transceivers_should_end_up_in_state_stopped"],
        )],
    ),
    // RTCRtpTransceiver.https.html
    case(
        18,
        TRANSCEIVER,
        S,
        &[tested(
            "checkRemoveAndReadd",
            &["transceiver::check_remove_and_readd"],
        )],
    ),
    case(
        19,
        TRANSCEIVER,
        S,
        &[tested(
            "checkAddTrackExistingTransceiverThenRemove",
            &["transceiver::check_add_track_existing_transceiver_then_remove"],
        )],
    ),
    case(
        20,
        TRANSCEIVER,
        S,
        &[tested(
            "checkRemoveTrackNegotiation",
            &["transceiver::check_remove_track_negotiation"],
        )],
    ),
    case(
        21,
        TRANSCEIVER,
        S,
        &[tested("checkMute", &["transceiver::check_mute"])],
    ),
    rewritten(
        22,
        TRANSCEIVER,
        &[tested(
            "checkCurrentDirection",
            &["transceiver::check_current_direction"],
        )],
        "The transitions before the close are as WPT expects. After `close()` \
             currentDirection reads \"stopped\", not null: close stops every transceiver \
             (webrtc-pc close the connection, L4822-4937) and the getter returns \"stopped\" \
             once `[[Stopped]]` is true (L11229-11231); newer upstream WPT expects \"stopped\" \
             too.",
    ),
    rewritten(
        23,
        TRANSCEIVER,
        &[tested("checkStop", &["transceiver_stop::check_stop"])],
        "There is no `stopped` attribute. After `stop()` direction reads \"stopped\" \
             (getter, L11128-11136), not \"sendrecv\"; currentDirection keeps its value until \
             the transceiver is stopped; getSenders()/getReceivers() keep listing it until then \
             (CollectSenders L7793-7797, decisions.md §4) instead of emptying at once; the \
             remote transceiver, stopped by the port-0 offer, reads currentDirection \
             \"stopped\" (not null) and keeps its mid until its own answer. As WPT expects: the \
             receiver track ends once, replaceTrack and the direction setter fail with \
             InvalidStateError (L9452-9458, L11141-11192), a second stop() does nothing, the \
             remote SRD(offer) ends the remote track, stop() after close() throws \
             InvalidStateError. tacet-session has no setParameters or DTMF sender, so those two \
             calls are not checked.",
    ),
    rewritten(
        24,
        TRANSCEIVER,
        &[tested(
            "checkStopAfterCreateOffer",
            &["transceiver_stop::check_stop_after_create_offer"],
        )],
        "The outcome is as WPT expects, read through the current attributes instead of \
             `stopped`: the offer created before stop() is applied with a live port, the answer \
             still fires `track` on the stopping side, negotiationneeded fires once it is \
             stable again (stopping and not stopped, L5949-5952), and the next offer/answer \
             rejects the m-section, so both sides remove the transceiver (mid null, direction \
             and currentDirection \"stopped\"; set the session description, L2795-2818).",
    ),
    rewritten(
        25,
        TRANSCEIVER,
        &[tested(
            "checkStopAfterSetLocalOffer",
            &["transceiver_stop::check_stop_after_set_local_offer"],
        )],
        "The outcome is as WPT expects, read through the current attributes instead of \
             `stopped`: a transceiver stopped between SLD(offer) and SRD(answer) is still \
             stopping when the answer arrives (decisions.md §4), which still fires `track`; \
             negotiationneeded fires once stable (L5949-5952), and the next offer/answer \
             rejects the m-section, so both sides remove it (mid null, direction and \
             currentDirection \"stopped\").",
    ),
    rewritten(
        26,
        TRANSCEIVER,
        &[tested(
            "checkStopAfterSetRemoteOffer",
            &["transceiver_stop::check_stop_after_set_remote_offer"],
        )],
        "WPT expects the stop to take effect in the answer (the offerer's transceiver \
             stopped, mid null); the current spec says a stopping transceiver does not affect \
             createAnswer (webrtc-pc stop(), L11264-11273). tacet answers with a live port and \
             `a=inactive`: no `track` on the offerer (as WPT expects), whose transceiver reads \
             currentDirection \"inactive\" and keeps its mid (case 46); the answerer then needs \
             negotiation (L5949-5952) and its next offer carries port 0, after which both sides \
             remove the transceiver. Rejecting in the answer could hit the offerer-tagged \
             section and take the whole BUNDLE group, data channel included \
             (w3c/webrtc-pc#2150).",
    ),
    rewritten(
        27,
        TRANSCEIVER,
        &[tested(
            "checkStopAfterCreateAnswer",
            &["transceiver_stop::check_stop_after_create_answer"],
        )],
        "Up to the re-offer as WPT expects, read through the current attributes: the answer \
             created before stop() (\"too late for the answer\") is applied with a live port \
             and fires `track` on the offerer, the answerer reads direction \"stopped\" and \
             negotiationneeded fires on it once stable (L5949-5952). WPT then has the offerer \
             re-offer and expects both sides stopped with mid null after that exchange. Under \
             the current spec the answerer's stopping transceiver does not affect its answer to \
             that offer (webrtc-pc stop(), L11264-11273): `a=inactive` with a live port, \
             nothing stopped or removed, the offerer's transceiver \"inactive\", and the \
             answerer needs negotiation again. Its own offer, one round later, carries port 0 \
             and both sides remove the transceiver (mid null, direction and currentDirection \
             \"stopped\").",
    ),
    rewritten(
        28,
        TRANSCEIVER,
        &[tested(
            "checkStopAfterSetLocalAnswer",
            &["transceiver_stop::check_stop_after_set_local_answer"],
        )],
        "The checklist marks the outcome S, but the upstream sequence stops the answerer \
             (in stable, after its answer), not the offerer. As WPT expects: `track` on the \
             offerer, the answerer reads direction \"stopped\" and negotiationneeded fires on \
             it (L5949-5952). WPT then has the offerer re-offer and expects both sides stopped \
             with mid null after that exchange. Under the current spec the answerer's stopping \
             transceiver does not affect its answer to that offer (webrtc-pc stop(), \
             L11264-11273): `a=inactive` with a live port, nothing stopped or removed, the \
             offerer's transceiver \"inactive\", and the answerer needs negotiation again. Its \
             own offer, one round later, carries port 0 and both sides remove the transceiver \
             (mid null, direction and currentDirection \"stopped\").",
    ),
    case(
        29,
        TRANSCEIVER,
        S,
        &[tested(
            "checkStopAfterClose",
            &["transceiver_stop::check_stop_after_close"],
        )],
    ),
    case(
        30,
        TRANSCEIVER,
        S,
        &[tested(
            "checkLocalRollback",
            &["rollback::check_local_rollback"],
        )],
    ),
    case(
        31,
        TRANSCEIVER,
        S,
        &[tested(
            "checkRollbackAndSetRemoteOfferWithDifferentType",
            &["rollback::check_rollback_and_set_remote_offer_with_different_type"],
        )],
    ),
    case(
        32,
        TRANSCEIVER,
        L,
        &[tested(
            "checkRemoteRollback",
            &["transceiver::check_remote_rollback"],
        )],
    ),
    rewritten(
        33,
        TRANSCEIVER,
        &[tested(
            "checkMsectionReuse",
            &["transceiver_reuse::check_msection_reuse"],
        )],
        "The recycling rules are as WPT expects: addTrack after a rejection reuses the \
             port-0 m-line at the same index with a new mid on either side, a section stopped \
             in the pending offer is too early to reuse (only zero-port sections of a current \
             description recycle, RFC 9429 §5.2.2), addTrack prefers a recvonly transceiver, \
             and the next addTrack recycles the disabled section. The start differs: the \
             answerer's stop() before createAnswer leaves its transceiver stopping, which does \
             not affect createAnswer (webrtc-pc stop(), L11264-11273), so the answer says \
             `a=inactive` and the m-line is rejected only by the answerer's next offer, one \
             round the test adds. Stopped transceivers leave the set once their rejection is \
             negotiated (L2795-2818), where WPT still lists them; tacet has no max-compat \
             bundle policy and the test uses max-bundle, which gives the same m-lines.",
    ),
    case(
        34,
        TRANSCEIVER,
        S,
        &[tested(
            "checkStopAfterCreateOfferWithReusedMsection",
            &["transceiver_reuse::check_stop_after_create_offer_with_reused_msection"],
        )],
    ),
    case(
        35,
        TRANSCEIVER,
        S,
        &[tested(
            "checkAddIceCandidateToStoppedTransceiver",
            &["transceiver::check_add_ice_candidate_to_stopped_transceiver"],
        )],
    ),
    case(
        36,
        TRANSCEIVER,
        S,
        &[tested(
            "checkReplaceTrackNullDoesntPreventPairing",
            &["transceiver::check_replace_track_null_doesnt_prevent_pairing"],
        )],
    ),
];
