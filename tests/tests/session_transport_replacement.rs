//! A replaced transport must not go unnoticed (issue 11; docs/decisions/0006): when the BUNDLE
//! tag moves, the peer's new tag section is compared with what the group's transport was known
//! by — transport addresses that can carry it, not whole candidate lines — in both signalling
//! styles: candidates in the description, and candidates trickled with `addIceCandidate`.
//!
//! The descriptions are real Chromium 156 and Firefox 153 ones (tests/data/sdp,
//! tests/data/firefox) played into a tacet answerer, edited where a test needs a shape the
//! captures do not have; or tacet-made ones between two tacet peers (tests/src/pair.rs).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use tacet_sdp::{Attribute, Candidate, Connection, MediaSection, SdpType, SessionDescription};
use tacet_session::{
    Effect, RemoteCandidate, RemoteCandidateOutcome, RemoteTransport, TransportId,
};
use tacet_tests::corpus::{answer, deliver, parsed};
use tacet_tests::find::{live_transports, transceiver_by_mid};
use tacet_tests::pair::{Pair, Peer, Who};

fn tacet() -> Peer {
    Peer::with_config(7, 0x7A, |_| {})
}

fn cand(line: &str) -> Candidate {
    Candidate::new(line).unwrap()
}

/// What the answer did with the group whose tag moved.
#[derive(Debug, PartialEq, Eq)]
enum TagMove {
    Replaced { tag: String },
    Retagged { to: String },
}

/// The one tag move among `effects`.
fn tag_move(effects: &[Effect]) -> TagMove {
    let moves: Vec<TagMove> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::TransportReplaced { tag, .. } => Some(TagMove::Replaced {
                tag: tag.as_str().to_owned(),
            }),
            Effect::TransportRetagged { to, .. } => Some(TagMove::Retagged {
                to: to.as_str().to_owned(),
            }),
            _ => None,
        })
        .collect();
    assert_eq!(moves.len(), 1, "one tag move expected: {effects:?}");
    moves.into_iter().next().unwrap()
}

fn replaced(tag: &str) -> TagMove {
    TagMove::Replaced { tag: tag.into() }
}

fn retagged(to: &str) -> TagMove {
    TagMove::Retagged { to: to.into() }
}

/// The `TransportReplaced` among `effects`: (old, new, what the peer said of the new one).
fn replacement(effects: &[Effect]) -> (TransportId, TransportId, RemoteTransport) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::TransportReplaced {
                old, new, remote, ..
            } => Some((*old, *new, remote.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no TransportReplaced in {effects:?}"))
}

fn the_live_transport(peer: &Peer) -> TransportId {
    let live = live_transports(&peer.session);
    assert_eq!(live.len(), 1, "one live transport expected");
    live[0].id()
}

fn section<'a>(description: &'a SessionDescription, mid: &str) -> &'a MediaSection {
    description.media_by_mid(mid).unwrap().1
}

fn section_mut<'a>(description: &'a mut SessionDescription, mid: &str) -> &'a mut MediaSection {
    description
        .media
        .iter_mut()
        .find(|m| m.mid().is_some_and(|m| m.as_str() == mid))
        .unwrap()
}

fn candidates(section: &MediaSection) -> Vec<Candidate> {
    section.attributes.candidates().cloned().collect()
}

fn is_active_tcp(c: &Candidate) -> bool {
    c.extension("tcptype") == Some("active")
}

/// Replaces the section's candidate lines (and `a=end-of-candidates`) with `lines`, then
/// `a=end-of-candidates` when `end` — where the old ones were, as the browsers place them.
fn set_candidates(section: &mut MediaSection, lines: &[Candidate], end: bool) {
    let attributes = &mut section.attributes.0;
    let at = attributes
        .iter()
        .position(|a| matches!(a, Attribute::Candidate(_) | Attribute::EndOfCandidates))
        .unwrap_or(0);
    attributes.retain(|a| !matches!(a, Attribute::Candidate(_) | Attribute::EndOfCandidates));
    let mut new: Vec<Attribute> = lines.iter().cloned().map(Attribute::Candidate).collect();
    if end {
        new.push(Attribute::EndOfCandidates);
    }
    attributes.splice(at..at, new);
}

/// The section as raw `createOffer()` output writes a transport with no candidate yet: port 9,
/// `c=IN IP4 0.0.0.0`, no candidate (OBSERVATIONS §6; interop-findings §5).
fn before_gathering(section: &mut MediaSection) {
    set_candidates(section, &[], false);
    section.port = 9;
    section.connections = vec![Connection::placeholder()];
}

fn set_remote(peer: &mut Peer, description: SessionDescription) {
    peer.session.set_remote_description(description).unwrap();
    peer.drain();
}

/// `peer` answers the remote offer it has; the effects of the exchange.
fn answered(peer: &mut Peer) -> Vec<Effect> {
    answer(peer).unwrap();
    peer.take_effects()
}

fn trickle(peer: &mut Peer, mid: &str, candidate: Candidate) -> RemoteCandidateOutcome {
    peer.session
        .add_remote_candidate(RemoteCandidate {
            candidate: Some(candidate),
            mid: Some(mid.into()),
            ..RemoteCandidate::default()
        })
        .unwrap()
}

const STOPTAG_R1: &str = "chromium-stoptag-maxbundle-1-offer";
const STOPTAG_R2: &str = "chromium-stoptag-maxbundle-2-offer";

/// A tacet answerer after Chromium's first max-bundle stoptag offer, edited by `edit` (mid 0
/// is the BUNDLE tag and carries Chromium's transport), its effects taken; and its transport.
fn answered_chromium_round_one(edit: impl FnOnce(&mut SessionDescription)) -> (Peer, TransportId) {
    let mut r1 = parsed(STOPTAG_R1, SdpType::Offer);
    edit(&mut r1);
    let mut b = tacet();
    set_remote(&mut b, r1);
    answered(&mut b);
    let transport = the_live_transport(&b);
    (b, transport)
}

// interop-findings §5, OBSERVATIONS §5: after Chromium stops its BUNDLE tag (mid 0), its
// re-offer lists the new transport's UDP candidates on the new tag (mid 1) beside `tcptype
// active` port-9 lines that repeat the old tag's word for word (RFC 6544 §4.5: active TCP
// candidates always carry port 9). Those lines identify nothing; the new UDP addresses say
// that the transport is new.
// spec: 6.9
#[test]
fn chromium_reoffer_after_stopping_its_tag_is_a_replaced_transport_despite_repeated_active_tcp_lines()
 {
    for policy in ["balanced", "maxbundle"] {
        let name = |round: u32| format!("chromium-stoptag-{policy}-{round}-offer");
        let (r1, r2) = (
            parsed(&name(1), SdpType::Offer),
            parsed(&name(2), SdpType::Offer),
        );
        let new_tag = candidates(section(&r2, "1"));
        let old_tag = candidates(section(&r1, "0"));
        assert!(
            new_tag
                .iter()
                .any(|c| is_active_tcp(c) && old_tag.contains(c)),
            "{policy}: the capture repeats an active TCP line of the old tag verbatim"
        );
        let mut b = tacet();
        deliver(&mut b, &name(1), SdpType::Offer).unwrap();
        answered(&mut b);
        let old = the_live_transport(&b);

        deliver(&mut b, &name(2), SdpType::Offer).unwrap();
        let effects = answered(&mut b);
        assert_eq!(tag_move(&effects), replaced("1"), "{policy}");
        let (from, new, remote) = replacement(&effects);
        assert_eq!(from, old, "{policy}");
        assert_eq!(remote.candidates, new_tag, "{policy}");
        assert_eq!(
            the_live_transport(&b),
            new,
            "{policy}: the old one is released"
        );
    }
}

// OBSERVATIONS §3, §5: Chromium stops all media, then recycles m-line 0 as video mid 3 which
// becomes the tag. Each move brings a new transport (the data section lists new UDP addresses
// beside its stale round-1 ones and the repeated active TCP lines; mid 3 new ones).
// spec: 3.5e, 6.9
#[test]
fn chromium_stopmedia_reoffers_replace_the_transport_at_each_tag_move() {
    for policy in ["balanced", "maxbundle"] {
        let name = |round: u32| format!("chromium-stopmedia-{policy}-{round}-offer");
        let mut b = tacet();
        deliver(&mut b, &name(1), SdpType::Offer).unwrap();
        answered(&mut b);
        deliver(&mut b, &name(2), SdpType::Offer).unwrap();
        assert_eq!(tag_move(&answered(&mut b)), replaced("2"), "{policy}");
        deliver(&mut b, &name(3), SdpType::Offer).unwrap();
        assert_eq!(tag_move(&answered(&mut b)), replaced("3"), "{policy}");
    }
}

// The same peer keeping its transport while the tag moves: the new tag section lists the old
// tag's UDP addresses — here with another foundation, priority, generation and network-id
// (which say how a candidate was found, not where it receives), so that no line repeats, and
// beside the stale m-line port Chromium leaves (candidates decide, the m-line does not).
// spec: 6.9
#[test]
fn a_chromium_shaped_reoffer_listing_the_old_udp_addresses_keeps_the_transport() {
    let (mut b, old) = answered_chromium_round_one(|_| {});
    let r1 = parsed(STOPTAG_R1, SdpType::Offer);
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    let old_udp: Vec<Candidate> = candidates(section(&r1, "0"))
        .into_iter()
        .filter(|c| c.transport() == "udp")
        .collect();
    assert_eq!(old_udp.len(), 2);
    let mut kept: Vec<Candidate> = old_udp
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cand(&format!(
                "{} 1 udp {} {} {} typ host generation 1 network-id {}",
                4000 + i,
                c.priority() - 1,
                c.address(),
                c.port(),
                i + 3
            ))
        })
        .collect();
    // Its active TCP lines re-gathered too: no line of the old tag repeats word for word.
    kept.extend(
        candidates(section(&r2, "1"))
            .iter()
            .filter(|c| is_active_tcp(c))
            .map(|c| cand(&c.value().replacen(c.foundation(), "77", 1))),
    );
    let old_lines = candidates(section(&r1, "0"));
    assert!(kept.iter().all(|c| !old_lines.contains(c)));
    let tag = section_mut(&mut r2, "1");
    assert_ne!(
        tag.port,
        old_udp[0].port(),
        "the captured m-line port is new"
    );
    set_candidates(tag, &kept, false);
    set_remote(&mut b, r2);
    let effects = answered(&mut b);
    assert_eq!(tag_move(&effects), retagged("1"));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::TransportReleased { .. }))
    );
    let live = live_transports(&b.session);
    assert_eq!((live[0].id(), live[0].tag().as_str()), (old, "1"));
}

// Trickle signalling: Chromium's re-offer as raw createOffer() writes it — the new tag with
// port 9, `c=IN IP4 0.0.0.0` and no candidate — and the new transport's candidates trickled
// (addIceCandidate, sdpMid "1") before tacet answers. While the offer that moves the tag is
// pending they wait in it instead of going to the old transport, and the answer decides with
// them: new addresses, a new transport that carries them.
// spec: 6.9
#[test]
fn candidates_trickled_for_the_new_tag_before_the_answer_decide_the_replacement() {
    let (mut b, old) = answered_chromium_round_one(|_| {});
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    let new_lines = candidates(section(&r2, "1"));
    before_gathering(section_mut(&mut r2, "1"));
    set_remote(&mut b, r2);
    for c in &new_lines {
        assert_eq!(
            trickle(&mut b, "1", c.clone()),
            RemoteCandidateOutcome::Stored
        );
    }
    assert!(
        !b.take_effects()
            .iter()
            .any(|e| matches!(e, Effect::RemoteCandidate { .. })),
        "nothing reaches the old transport"
    );
    let effects = answered(&mut b);
    assert_eq!(tag_move(&effects), replaced("1"));
    let (from, _, remote) = replacement(&effects);
    assert_eq!(from, old);
    assert_eq!(remote.candidates, new_lines);
}

// Trickle signalling, the candidates arriving after the answer: the new tag section has no
// candidate and JSEP's placeholders, and the old transport's addresses are not in it — a kept
// transport would be described with the candidates it has (RFC 9429 §5.2.2), a new one has
// none yet. Candidates trickled afterwards go to the new transport.
// spec: 6.9
#[test]
fn a_trickled_reoffer_with_no_candidate_yet_is_replaced_and_later_candidates_reach_the_new_transport()
 {
    let (mut b, old) = answered_chromium_round_one(|_| {});
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    let new_lines = candidates(section(&r2, "1"));
    before_gathering(section_mut(&mut r2, "1"));
    set_remote(&mut b, r2);
    let effects = answered(&mut b);
    assert_eq!(tag_move(&effects), replaced("1"));
    let (from, new, remote) = replacement(&effects);
    assert_eq!(from, old);
    assert!(remote.candidates.is_empty());
    assert_eq!(remote.port, 9);
    for c in new_lines {
        assert_eq!(
            trickle(&mut b, "1", c.clone()),
            RemoteCandidateOutcome::Delivered(new)
        );
        assert_eq!(
            b.take_effects(),
            [Effect::RemoteCandidate {
                transport: new,
                candidate: Some(c)
            }]
        );
    }
}

// Trickle signalling, a peer that keeps its transport: what it trickles for the new tag before
// the answer is the old addresses, plus a server-reflexive candidate found since. The answer
// keeps the transport and hands it the candidate it did not have.
// spec: 6.9
#[test]
fn a_trickled_reoffer_whose_candidates_are_the_old_addresses_keeps_the_transport() {
    let (mut b, old) = answered_chromium_round_one(|_| {});
    let old_lines = candidates(section(&parsed(STOPTAG_R1, SdpType::Offer), "0"));
    let srflx = cand(
        "842163049 1 udp 1686052607 198.51.100.7 61000 typ srflx raddr 0.0.0.0 rport 0 generation 0",
    );
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    before_gathering(section_mut(&mut r2, "1"));
    set_remote(&mut b, r2);
    for c in old_lines.iter().chain([&srflx]) {
        assert_eq!(
            trickle(&mut b, "1", c.clone()),
            RemoteCandidateOutcome::Stored
        );
    }
    let effects = answered(&mut b);
    assert_eq!(tag_move(&effects), retagged("1"));
    let given: Vec<&Effect> = effects
        .iter()
        .filter(|e| matches!(e, Effect::RemoteCandidate { .. }))
        .collect();
    assert_eq!(
        given,
        [&Effect::RemoteCandidate {
            transport: old,
            candidate: Some(srflx)
        }]
    );
}

/// `description` with its host addresses behind mDNS names (draft-ietf-rtcweb-mdns-ice-
/// candidates: `<uuid>.local`, one per address) and its `c=` lines neutral, so that only the
/// candidates decide.
fn behind_mdns(description: &mut SessionDescription, v4: &str, v6: &str) {
    for section in &mut description.media {
        let named: Vec<Candidate> = candidates(section)
            .iter()
            .map(|c| {
                cand(
                    &c.value()
                        .replace(" 192.0.2.2 ", &format!(" {v4} "))
                        .replace(" fd00::2 ", &format!(" {v6} ")),
                )
            })
            .collect();
        if !named.is_empty() {
            set_candidates(section, &named, false);
        }
        section.connections = vec![Connection::placeholder()];
    }
}

const NAME4: &str = "3c2b8e1a-0d7f-4a55-9f0e-1b2c3d4e5f60.local";
const NAME6: &str = "7a41c0de-52b9-4c1e-8d0a-6e5f4d3c2b1a.local";

// mDNS host candidates: a browser names each host address once for the lifetime of the page
// (draft-ietf-rtcweb-mdns-ice-candidates-04 §5.3), so Chromium's new transport shows the same
// names on new ports — a new transport; and names alone never decide: the old ports under
// other names are the old sockets — the same transport.
// spec: 6.9
#[test]
fn mdns_host_candidates_identify_a_transport_by_port_not_by_name() {
    let mdns = |d: &mut SessionDescription| behind_mdns(d, NAME4, NAME6);
    let (mut b, _) = answered_chromium_round_one(mdns);
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    mdns(&mut r2);
    assert!(
        candidates(section(&r2, "1"))
            .iter()
            .all(|c| c.address().ends_with(".local"))
    );
    set_remote(&mut b, r2);
    assert_eq!(tag_move(&answered(&mut b)), replaced("1"));

    let (mut b, old) = answered_chromium_round_one(mdns);
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    let mut renamed = parsed(STOPTAG_R1, SdpType::Offer);
    behind_mdns(
        &mut renamed,
        "9d1e6a2b-77c4-4e0b-8a3f-0a1b2c3d4e5f.local",
        "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9.local",
    );
    let old_ports_new_names = candidates(section(&renamed, "0"));
    set_candidates(section_mut(&mut r2, "1"), &old_ports_new_names, false);
    mdns(&mut r2);
    set_remote(&mut b, r2);
    assert_eq!(tag_move(&answered(&mut b)), retagged("1"));
    assert_eq!(the_live_transport(&b), old);
}

// A server-reflexive or relayed candidate is where the peer receives: its own address and port
// identify the transport, its related address (`raddr 0.0.0.0 rport 0` when hidden, or the
// same base) repeats across transports and does not. One relayed address in common — the same
// TURN allocation — is the same transport.
// spec: 6.9
#[test]
fn srflx_and_relay_candidates_are_compared_by_their_own_address_not_the_related_one() {
    let round_one = [
        "1 1 udp 2122194687 192.0.2.2 49554 typ host generation 0",
        "2 1 udp 1686052607 198.51.100.7 61000 typ srflx raddr 0.0.0.0 rport 0 generation 0",
        "3 1 udp 41885439 203.0.113.5 50000 typ relay raddr 198.51.100.7 rport 61000 generation 0",
        "4 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0",
    ]
    .map(cand);
    let with_round_one = |d: &mut SessionDescription| {
        set_candidates(section_mut(d, "0"), &round_one, false);
    };
    let new_host_and_srflx = [
        "1 1 udp 2122194687 192.0.2.2 38755 typ host generation 0",
        "2 1 udp 1686052607 198.51.100.7 61002 typ srflx raddr 0.0.0.0 rport 0 generation 0",
        "4 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0",
    ]
    .map(cand);
    let cases = [
        (
            "5 1 udp 41885439 203.0.113.5 50002 typ relay raddr 198.51.100.7 rport 61000 generation 0",
            replaced("1"),
        ),
        (
            "9 1 udp 41885183 203.0.113.5 50000 typ relay raddr 198.51.100.7 rport 61002 generation 0",
            retagged("1"),
        ),
    ];
    for (relay, expected) in cases {
        let (mut b, _) = answered_chromium_round_one(with_round_one);
        let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
        let mut lines = new_host_and_srflx.to_vec();
        lines.push(cand(relay));
        set_candidates(section_mut(&mut r2, "1"), &lines, false);
        set_remote(&mut b, r2);
        assert_eq!(tag_move(&answered(&mut b)), expected, "{relay}");
    }
}

// `a=end-of-candidates` says gathering is over, not which transport: beside the old addresses
// the transport is kept, alone (with JSEP's placeholders) it is read as a section listing
// nothing — a new transport.
// spec: 6.9
#[test]
fn end_of_candidates_identifies_no_transport() {
    let old_lines = candidates(section(&parsed(STOPTAG_R1, SdpType::Offer), "0"));
    let (mut b, _) = answered_chromium_round_one(|_| {});
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    set_candidates(section_mut(&mut r2, "1"), &old_lines, true);
    set_remote(&mut b, r2);
    assert_eq!(tag_move(&answered(&mut b)), retagged("1"));

    let (mut b, _) = answered_chromium_round_one(|_| {});
    let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
    let tag = section_mut(&mut r2, "1");
    before_gathering(tag);
    set_candidates(tag, &[], true);
    set_remote(&mut b, r2);
    assert_eq!(tag_move(&answered(&mut b)), replaced("1"));
}

// What tacet cannot know: a first round that described the transport by no address (port 9,
// only `a=end-of-candidates`, nothing trickled — ICE may still have connected through
// peer-reflexive candidates) leaves nothing to compare; the transport is never taken for
// replaced then (decision 0006, issue 6).
// spec: 6.9
#[test]
fn a_transport_first_described_by_end_of_candidates_alone_is_kept_when_the_tag_moves() {
    let (mut b, old) = answered_chromium_round_one(|d| {
        let tag = section_mut(d, "0");
        before_gathering(tag);
        set_candidates(tag, &[], true);
    });
    deliver(&mut b, STOPTAG_R2, SdpType::Offer).unwrap();
    assert_eq!(tag_move(&answered(&mut b)), retagged("1"));
    assert_eq!(the_live_transport(&b), old);
}

// When the new tag section lists no candidate that identifies anything (only active TCP
// ones), its m-line port and `c=` address decide: the old default address keeps the transport,
// a new one or JSEP's placeholders (port 9, `0.0.0.0`) mean a new transport.
// spec: 6.9
#[test]
fn with_no_identifying_candidate_the_mline_port_and_address_decide() {
    let cases = [
        (49554, "192.0.2.2", retagged("1")),
        (38755, "192.0.2.2", replaced("1")),
        (9, "0.0.0.0", replaced("1")),
        (9, "192.0.2.2", replaced("1")),
    ];
    for (port, address, expected) in cases {
        let (mut b, _) = answered_chromium_round_one(|_| {});
        let mut r2 = parsed(STOPTAG_R2, SdpType::Offer);
        let tag = section_mut(&mut r2, "1");
        let active: Vec<Candidate> = candidates(tag).into_iter().filter(is_active_tcp).collect();
        assert_eq!(active.len(), 2);
        set_candidates(tag, &active, false);
        tag.port = port;
        tag.connections[0].address = address.into();
        set_remote(&mut b, r2);
        assert_eq!(
            tag_move(&answered(&mut b)),
            expected,
            "m={port} c={address}"
        );
    }
}

const FIREFOX_R1: &str = include_str!("../data/firefox/firefox153-xrtc-stopvideo-2-offer.sdp");

/// Firefox stopping its BUNDLE tag, derived from its real re-offer (`FIREFOX_R1`: audio mid 0
/// the tag, video mid 1 a stub, data mid 2): audio becomes the port-0 stub Firefox writes for a
/// stopped transceiver, BUNDLE lists the data mid alone, and the data section carries a
/// transport whose four UDP host candidates are on `ports` (v4 loopback, v6 loopback, v4, v6),
/// with the four `tcptype active` lines Firefox writes for every transport, unchanged.
fn firefox_stops_its_tag(ports: [u16; 4]) -> String {
    let (head, rest) = FIREFOX_R1.split_at(FIREFOX_R1.find("m=audio").unwrap());
    let video_at = rest.find("m=video").unwrap();
    let (audio, rest) = rest.split_at(video_at);
    let (video, data) = rest.split_at(rest.find("m=application").unwrap());
    let active: String = audio
        .split_inclusive("\r\n")
        .filter(|l| l.contains("tcptype active"))
        .collect();
    let head = head
        .replace(
            "5264312499400664982 1 IN IP4",
            "5264312499400664982 2 IN IP4",
        )
        .replace("a=group:BUNDLE 0 2", "a=group:BUNDLE 2");
    let stub = "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=inactive\r\na=mid:0\r\n\
                a=rtpmap:111 opus/48000/2\r\n";
    let [lo4, lo6, v4, v6] = ports;
    let candidates = format!(
        "c=IN IP4 192.0.2.2\r\n\
         a=candidate:0 1 UDP 2122055935 127.0.0.1 {lo4} typ host\r\n\
         a=candidate:1 1 UDP 2122121471 ::1 {lo6} typ host\r\n\
         a=candidate:2 1 UDP 2122187007 192.0.2.2 {v4} typ host\r\n\
         a=candidate:3 1 UDP 2122252543 fd00::2 {v6} typ host\r\n\
         {active}a=sendrecv\r\na=end-of-candidates\r\n"
    );
    let data = data
        .replacen("m=application 9 ", &format!("m=application {v4} "), 1)
        .replacen("c=IN IP4 0.0.0.0\r\na=sendrecv\r\n", &candidates, 1);
    format!("{head}{stub}{video}{data}")
}

// interop-findings §7: Firefox builds a new transport when its BUNDLE tag stops, and writes
// the same four `tcptype active` port-9 lines (same foundations, same priorities) for every
// transport (INDEX.md, Firefox rows). New UDP ports: replaced; the old ones: kept.
// spec: 6.9
#[test]
fn firefox_reoffer_after_stopping_its_tag_is_replaced_despite_its_unchanged_active_tcp_lines() {
    let old_ports = [51009, 55872, 35412, 38606];
    let cases = [
        ([51013, 55877, 35419, 38611], replaced("2")),
        (old_ports, retagged("2")),
    ];
    for (ports, expected) in cases {
        let mut b = tacet();
        b.session
            .set_remote_description_text(SdpType::Offer, FIREFOX_R1)
            .unwrap();
        answered(&mut b);
        let r2 = firefox_stops_its_tag(ports);
        let repeated = FIREFOX_R1
            .lines()
            .filter(|l| l.contains("tcptype active") && r2.contains(l))
            .count();
        assert_eq!(repeated, 4, "the old tag's active TCP lines, word for word");
        b.session
            .set_remote_description_text(SdpType::Offer, &r2)
            .unwrap();
        b.drain();
        assert!(
            b.session
                .transceiver_by_mid("0")
                .is_none_or(|t| t.is_stopped())
        );
        assert_eq!(tag_move(&answered(&mut b)), expected, "{ports:?}");
    }
}

/// An active TCP candidate as the browsers write it (RFC 6544 §4.5: port 9).
fn active_tcp() -> Candidate {
    cand("3175759969 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active generation 0")
}

/// A and B (two tacet peers) negotiated once before gathering — no candidate in either
/// description, as an application that signals the raw createOffer/createAnswer output —
/// then each gathered a UDP host candidate and an active TCP one and trickled them.
fn trickled_first_round() -> Pair {
    let mut pair = Pair::new();
    pair.add_audio_video_data(Who::A);
    let (offer, answer) = pair.negotiate(Who::A).unwrap();
    for d in [&offer, &answer] {
        assert_eq!(candidates(section(d, "0")), [], "nothing gathered yet");
    }
    for who in [Who::A, Who::B] {
        let transport = the_live_transport(pair.peer(who));
        pair.session(who)
            .add_local_candidate(transport, active_tcp())
            .unwrap();
        let gathered = live_transports(&pair.peer(who).session)[0]
            .local_candidates()
            .to_vec();
        assert_eq!(
            gathered.len(),
            2,
            "a UDP host candidate and an active TCP one"
        );
        for c in gathered {
            let outcome = trickle(pair.peer(who.other()), "0", c);
            assert!(matches!(outcome, RemoteCandidateOutcome::Delivered(_)));
        }
    }
    pair.a.take_effects();
    pair.b.take_effects();
    pair
}

/// B stops its audio (mid 0, the tag) and offers, `edit` playing the peer B stands for; A
/// answers. A's effects.
fn b_stops_its_tag(pair: &mut Pair, edit: impl FnOnce(&mut SessionDescription)) -> Vec<Effect> {
    let b_audio = transceiver_by_mid(&pair.b.session, "0");
    pair.session(Who::B)
        .transceiver_mut(b_audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    pair.negotiate_editing_offer(Who::B, edit).unwrap();
    pair.a.take_effects()
}

// A trickled first round, then B keeps its transport when its tag moves (tacet's own
// behaviour, RFC 9429 §5.2.2): the new tag lists the candidates B trickled before.
// spec: 6.9
#[test]
fn after_a_trickled_first_round_a_tag_move_listing_the_trickled_addresses_is_retagged() {
    let mut pair = trickled_first_round();
    let old = the_live_transport(&pair.a);
    let effects = b_stops_its_tag(&mut pair, |offer| {
        let tag = section(offer, "1");
        assert_eq!(
            candidates(tag).len(),
            2,
            "B's candidates moved with the tag"
        );
    });
    assert_eq!(tag_move(&effects), retagged("1"));
    assert_eq!(the_live_transport(&pair.a), old);
}

// A trickled first round, then B plays Chromium: its new tag carries a new UDP address and the
// same active TCP line it trickled before. The repeated line does not make it the old
// transport.
// spec: 6.9
#[test]
fn after_a_trickled_first_round_a_tag_move_to_a_new_udp_address_is_replaced() {
    let mut pair = trickled_first_round();
    let old = the_live_transport(&pair.a);
    let new_host = cand("1 1 udp 2122194687 127.0.0.1 61000 typ host generation 0");
    let in_offer = new_host.clone();
    let effects = b_stops_its_tag(&mut pair, move |offer| {
        let tag = section_mut(offer, "1");
        set_candidates(tag, &[in_offer, active_tcp()], false);
        tag.port = 61000;
    });
    assert_eq!(tag_move(&effects), replaced("1"));
    let (from, _, remote) = replacement(&effects);
    assert_eq!(from, old);
    assert_eq!(remote.candidates, [new_host, active_tcp()]);
}

// The other direction: tacet stops its tag and the peer answers with a new transport (new UDP
// address, the active TCP line it listed in the previous rounds, unchanged): a replacement.
// spec: 6.9
#[test]
fn tacet_stops_its_tag_and_an_answer_with_a_new_udp_address_beside_the_same_active_tcp_line_is_a_replacement()
 {
    let mut pair = Pair::new();
    let (audio, _) = pair.add_audio_video_data(Who::A);
    pair.negotiate(Who::A).unwrap();
    let b_transport = the_live_transport(&pair.b);
    pair.session(Who::B)
        .add_local_candidate(b_transport, active_tcp())
        .unwrap();
    let (_, answer) = pair.negotiate(Who::A).unwrap();
    assert!(candidates(section(&answer, "0")).contains(&active_tcp()));
    pair.a.take_effects();
    let old = the_live_transport(&pair.a);
    pair.session(Who::A)
        .transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .unwrap();
    let new_host = cand("1 1 udp 2122194687 127.0.0.1 61000 typ host generation 0");
    let in_answer = new_host.clone();
    pair.negotiate_editing_answer(Who::A, move |answer| {
        let tag = section_mut(answer, "1");
        set_candidates(tag, &[in_answer, active_tcp()], false);
        tag.port = 61000;
    })
    .unwrap();
    let effects = pair.a.take_effects();
    assert_eq!(tag_move(&effects), replaced("1"));
    let (from, new, remote) = replacement(&effects);
    assert_eq!(from, old);
    assert_eq!(remote.candidates, [new_host, active_tcp()]);
    assert_eq!(the_live_transport(&pair.a), new);
}

// ICE credentials do not enter the decision: Chromium keeps them on a replacement, and an ICE
// restart in the round that moves the tag changes them on a kept transport as well. The
// transport addresses decide: the captured new ones replace, the old ones keep.
// spec: 6.9
#[test]
fn an_ice_restart_in_the_same_round_neither_makes_nor_hides_a_replacement() {
    let restarted = |keep_old_addresses: bool| {
        let text = tacet_tests::corpus::sdp(STOPTAG_R2)
            .replace("a=ice-ufrag:+jWB", "a=ice-ufrag:Rs7q")
            .replace(
                "a=ice-pwd:Kp/+lxdUoAkyKds9PhAloTMD",
                "a=ice-pwd:9c0sQ2mZt4Lw1yVb8NdKe3Hx",
            );
        let mut r2 = SessionDescription::parse(SdpType::Offer, &text)
            .unwrap()
            .description;
        if keep_old_addresses {
            let old = candidates(section(&parsed(STOPTAG_R1, SdpType::Offer), "0"));
            set_candidates(section_mut(&mut r2, "1"), &old, false);
        }
        r2
    };
    for (keep, expected) in [(false, replaced("1")), (true, retagged("1"))] {
        let (mut b, _) = answered_chromium_round_one(|_| {});
        set_remote(&mut b, restarted(keep));
        let effects = answered(&mut b);
        assert_eq!(tag_move(&effects), expected, "old addresses kept: {keep}");
        let live = live_transports(&b.session);
        assert_eq!(live[0].remote().unwrap().ufrag, "Rs7q");
    }
}
