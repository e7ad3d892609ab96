//! The rules of the stop-semantics reference (§1 webrtc-pc, §3 JSEP and BUNDLE, §6 edge cases
//! for the state machines), one line each, copied here so nothing reads the reference
//! directory at run time (decisions.md §7). Tests cite them as `// spec: 1.3c` (several: `// spec: 1.3c, 6.2`) in the
//! comment block right above the test function; `cargo xtask spec` lists who cites what.

/// One rule: its id (the reference's section and a letter) and what it says.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rule {
    pub(crate) id: &'static str,
    pub(crate) text: &'static str,
}

const fn rule(id: &'static str, text: &'static str) -> Rule {
    Rule { id, text }
}

/// The reference's sections, for headings: (prefix, title).
pub(crate) const SECTIONS: &[(&str, &str)] = &[
    ("1.", "§1 W3C webrtc-pc"),
    ("3.", "§3 JSEP (RFC 9429) and BUNDLE (RFC 9143)"),
    ("6.", "§6 Edge cases for the state machines"),
];

/// Every rule, in the reference's order.
pub(crate) const RULES: &[Rule] = &[
    // §1.1 - §1.2
    rule(
        "1.1a",
        "A new transceiver is neither stopping nor stopped; [[Direction]] as given, [[CurrentDirection]] and mid null, not receptive.",
    ),
    rule(
        "1.2a",
        "The direction getter reads \"stopped\" once [[Stopping]].",
    ),
    rule(
        "1.2b",
        "The direction setter: InvalidStateError when stopping; the same value is a no-op; \"stopped\" is a TypeError; otherwise set and update negotiation-needed.",
    ),
    rule(
        "1.2c",
        "currentDirection reads \"stopped\" once [[Stopped]], and null before any offer/answer exchange.",
    ),
    // §1.3 stop()
    rule(
        "1.3a",
        "stop() on a closed connection throws InvalidStateError, even if the transceiver is already stopped (closed check first).",
    ),
    rule(
        "1.3b",
        "stop() on a stopping transceiver does nothing (idempotent).",
    ),
    rule(
        "1.3c",
        "Stop sending and receiving: media stops at once, an RTCP BYE for every SSRC sent, the receiver track ends with an event, [[Direction]] = inactive, [[Stopping]] = true.",
    ),
    rule(
        "1.3d",
        "Stop the transceiver: [[Stopped]] = true, not receptive, [[CurrentDirection]] null, remote streams cleared; a stopping transceiver does not fire ended again.",
    ),
    rule(
        "1.3e",
        "createOffer treats a stopping transceiver as stopped: zero port for its m-section.",
    ),
    rule(
        "1.3f",
        "A stopping but not stopped transceiver does not affect createAnswer; a stopped one gets a zero port in answers too.",
    ),
    rule(
        "1.3g",
        "A stopping but not stopped transceiver always needs negotiation.",
    ),
    rule(
        "1.3h",
        "stop() never ends the sender's local track; only the receiver track ends.",
    ),
    // §1.4 what [[Stopping]]/[[Stopped]] block
    rule(
        "1.4a",
        "getSenders/getReceivers skip stopped transceivers; getTransceivers keeps them until they are removed.",
    ),
    rule(
        "1.4b",
        "addTrack reuses only a transceiver of the kind with no track, not stopping, that never sent; so addTrack after stop() makes a new transceiver.",
    ),
    rule(
        "1.4c",
        "removeTrack is a no-op on a stopping transceiver; replaceTrack and setParameters reject with InvalidStateError.",
    ),
    // §1.6 set the session description
    rule(
        "1.6a",
        "A local description never stops a transceiver because of a rejected m-section.",
    ),
    rule(
        "1.6b",
        "A remote offer or answer that rejects an m-section stops its transceiver (receiver track ended) at once.",
    ),
    rule(
        "1.6c",
        "After an answer, every stopped transceiver whose m-section is rejected in a current description is removed from the set.",
    ),
    rule(
        "1.6d",
        "When stable, transports no live user references are closed; the BUNDLE transport shared with the data channel stays.",
    ),
    rule(
        "1.6e",
        "The final task's order: signalingstatechange, mute, removetrack, addtrack, track events.",
    ),
    rule(
        "1.6f",
        "Rollback: transceivers associated only by the rolled-back description lose their mid; one created by a rolled-back remote offer and not touched by addTrack is stopped (track ended) and removed; transports, codecs and remote streams are restored; no stop is undone.",
    ),
    rule(
        "1.6g",
        "Rollback in stable, have-local-pranswer or have-remote-pranswer is an InvalidStateError.",
    ),
    rule(
        "1.6h",
        "Back-to-back remote offers are validated as if answers had been applied in between.",
    ),
    // §1.7 negotiation-needed
    rule(
        "1.7a",
        "The negotiation-needed flag updates only in stable, fires once while set, and is cleared when the check is false.",
    ),
    rule(
        "1.7b",
        "Negotiation is needed while an ICE restart is pending.",
    ),
    rule(
        "1.7c",
        "Negotiation is needed while data channels exist and no data section is in the current local description.",
    ),
    rule(
        "1.7d",
        "Negotiation is needed for a transceiver that is not stopped and not associated.",
    ),
    rule(
        "1.7e",
        "Negotiation is needed for an associated transceiver whose direction or msid differ from the current descriptions.",
    ),
    rule(
        "1.7f",
        "Negotiation is needed for a stopped, associated transceiver whose m-section is not yet rejected in a current description.",
    ),
    rule(
        "1.7g",
        "A transceiver stopped before it was ever associated is never removed by the letter of the spec (webrtc-pc#2838; tacet's policy decides).",
    ),
    // §1.8 close
    rule(
        "1.8a",
        "close(): signaling closed without an event, every transceiver stopped (receiver tracks end with ended), data channels closed without the closing procedure, SCTP aborted, transports closed; later calls throw InvalidStateError.",
    ),
    // §1.9 mute vs ended
    rule(
        "1.9a",
        "Receiver tracks start muted and unmute when RTP arrives while receptive.",
    ),
    rule(
        "1.9b",
        "A received RTCP BYE mutes the remote track; it does not end it.",
    ),
    rule(
        "1.9c",
        "A remote direction that loses send mutes the remote track and removes it from its streams (removetrack), without ending it.",
    ),
    rule(
        "1.9d",
        "A remote rejection of the m-section ends the remote track with an ended event.",
    ),
    // §3.1 transceiver semantics
    rule(
        "3.1a",
        "Transceivers map 1:1 to m-sections; a rejected m-section may be recycled for a new transceiver with a new mid.",
    ),
    rule(
        "3.1b",
        "currentDirection comes from the last applied answer (reversed when the answer is remote).",
    ),
    // §3.2 offers
    rule(
        "3.2a",
        "Initial offer: one m-section per non-stopped transceiver in the order added, the data section last; none at all gives no m-section.",
    ),
    rule(
        "3.2b",
        "Recycling: a new transceiver takes an m-section with port 0 in the current local or remote description, at the same index, with a new mid; a section stopped in the pending round is not recyclable yet.",
    ),
    rule(
        "3.2c",
        "A stopped transceiver that is not associated gets no m-section.",
    ),
    rule(
        "3.2d",
        "A stopped (or stopping) associated transceiver's m-section has port 0 and no a=msid, and keeps its mid.",
    ),
    rule(
        "3.2e",
        "Every a=mid stays the same; m-sections are never removed or reordered, only appended or recycled in place.",
    ),
    rule(
        "3.2f",
        "ICE credentials stay the same unless an ICE restart is requested.",
    ),
    rule(
        "3.2g",
        "The offer's BUNDLE group: the last answer's minus rejected sections plus new ones; no a=bundle-only in subsequent offers.",
    ),
    // §3.3 answers
    rule(
        "3.3a",
        "An answer rejects an m-section when its transceiver is stopped, no codec is supported, the bundle policy excludes it, or its group's offerer-tagged section is rejected (then the whole group is).",
    ),
    rule(
        "3.3b",
        "The answer's BUNDLE group lists the offered mids that were not rejected; never a=bundle-only.",
    ),
    rule(
        "3.3c",
        "Answers keep a=msid for non-stopped transceivers that send.",
    ),
    rule(
        "3.3d",
        "A stopping (not stopped) answerer's transceiver is answered a=inactive, not rejected.",
    ),
    // §3.4 applying descriptions
    rule(
        "3.4a",
        "A remote sendrecv/recvonly m-section pairs with the first addTrack transceiver of its kind that is unassociated and not stopped, else a new recvonly transceiver.",
    ),
    rule(
        "3.4b",
        "A recycled remote m-section disassociates the transceiver that held it.",
    ),
    rule(
        "3.4c",
        "An m-section rejected in the answer stops its media; ICE components stay while a live m-section is bundled with it.",
    ),
    rule(
        "3.4d",
        "Rollback (JSEP): pending descriptions cleared, the state stable, transceivers associated by them disassociated, those created by a remote offer removed unless addTrack attached a track.",
    ),
    // §3.5 BUNDLE
    rule(
        "3.5a",
        "The offerer-tagged m-section cannot be rejected alone: rejecting it rejects every section of the group.",
    ),
    rule(
        "3.5b",
        "Rejecting a bundled m-section: port 0, its mid leaves the BUNDLE group, no a=bundle-only.",
    ),
    rule(
        "3.5c",
        "A subsequent offer's tag is listed first and is never a section being disabled.",
    ),
    rule("3.5d", "Port 0 with a=bundle-only is not a rejection."),
    rule(
        "3.5e",
        "Stopping all media leaves the data section as the tag; its transport survives (Chromium builds a replacement the other side must follow).",
    ),
    rule(
        "3.6a",
        "a=inactive keeps the m-section negotiated and is reversible; port 0 is terminal for its transceiver.",
    ),
    // §6 edge cases
    rule(
        "6.1",
        "Stopping a transceiver that was never associated: no m-section, never removed by the spec, addTrack does not reuse it.",
    ),
    rule(
        "6.2",
        "stop() in have-local-offer: the pending offer stays live, the answer leaves it stopping, the next offer has port 0.",
    ),
    rule(
        "6.3",
        "stop() in have-remote-offer: the answer says a=inactive; once stable a new offer with port 0 follows.",
    ),
    rule(
        "6.4",
        "A remote offer with port 0 stops the transceiver (track ended); it keeps its mid until the local answer, which rejects it and removes it.",
    ),
    rule(
        "6.5",
        "A remote answer that rejects stops the local transceiver (if not already) and removes it; ended does not fire twice.",
    ),
    rule(
        "6.6",
        "Both sides stop at once (glare): the impolite side ignores the offer, the polite side rolls back without undoing its stop; both end stopped and removed.",
    ),
    rule(
        "6.7",
        "Rollback keeps stops and direction changes, removes transceivers created by a rolled-back remote offer, restores last stable state.",
    ),
    rule(
        "6.8",
        "Only port-0 m-sections of a current description are recycled, with a new mid at the same index; a same-round stop and add gives N+1 m-lines.",
    ),
    rule(
        "6.9",
        "Stopping the BUNDLE tag's m-line moves the tag to the next live section (often data); the transport is kept (or replaced by Chromium).",
    ),
    rule(
        "6.10",
        "All media stopped leaves only the data section live; negotiation-needed becomes false once the stops are negotiated; the data channel is unaffected.",
    ),
    rule(
        "6.11",
        "addTrack after stop() creates a new transceiver, appended or recycled into a negotiated port-0 slot.",
    ),
    rule(
        "6.12",
        "stop() sends BYE for the sent SSRCs; replaceTrack(null), disabling or stopping a track send none; a received BYE mutes; a stopped sender's SSRC is never reused.",
    ),
    rule(
        "6.13",
        "Re-offers after a stop keep every m-line at its index with its mid; the answer mirrors the offer's m-line count and order.",
    ),
    rule(
        "6.14",
        "stop() after close() throws InvalidStateError; close() stops every transceiver (ended fires) and currentDirection reads \"stopped\".",
    ),
    rule(
        "6.15",
        "The direction setter on a stopping transceiver throws InvalidStateError; \"stopped\" is a TypeError; the same value is a no-op.",
    ),
    rule("6.16", "The sender's local track survives stop()."),
    rule(
        "6.17",
        "On a remote rejection the track ends before the final task's mute, which an ended track ignores.",
    ),
    rule(
        "6.18",
        "An offerer whose port-0 offer is answered with the section kept stays stopping and must re-offer port 0 (tacet: the tolerant policy reads it as rejected).",
    ),
];
