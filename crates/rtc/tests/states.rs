//! The states an application watches: each transport's ICE state and the connection's
//! `connectionState` (webrtc-pc §4.3.3) through a handshake, a peer's failure and `close()`.
//! In memory, virtual time.

mod net;

use std::net::SocketAddr;
use std::time::Duration;

use net::{Net, Side, open_chat};
use tacet_rtc::{ConnectionPhase, Event, IceState};
use tacet_sdp::SdpType;

fn phases(net: &Net, side: Side) -> Vec<ConnectionPhase> {
    net.events(side)
        .iter()
        .filter_map(|e| match e {
            Event::ConnectionStateChange(phase) => Some(*phase),
            _ => None,
        })
        .collect()
}

#[test]
fn connection_state_goes_connecting_connected_then_closed() {
    let mut net = Net::new();
    open_chat(&mut net);
    for side in [Side::A, Side::B] {
        assert_eq!(
            phases(&net, side),
            vec![ConnectionPhase::Connecting, ConnectionPhase::Connected],
            "{side:?}"
        );
        let ice: Vec<IceState> = net
            .events(side)
            .iter()
            .filter_map(|e| match e {
                Event::IceStateChange { state, .. } => Some(*state),
                _ => None,
            })
            .collect();
        assert_eq!(
            ice.first(),
            Some(&IceState::Checking),
            "{side:?}: checks begin: {ice:?}"
        );
        assert!(ice.contains(&IceState::Connected), "{side:?}: {ice:?}");
        assert_eq!(
            net.conn(side).connection_state(),
            ConnectionPhase::Connected
        );
    }
    let now = net.now;
    net.a.with_session(now, |s| s.close());
    net.collect();
    net.run_for(Duration::from_secs(1));
    assert_eq!(phases(&net, Side::A).last(), Some(&ConnectionPhase::Closed));
    // The peer's transport was closed by A's close_notify: every transport there is closed, so
    // the peer's state is "new" (webrtc-pc RTCPeerConnectionState: all transports "new" or
    // "closed"); only its own close() makes it "closed".
    assert_eq!(
        net.b.connection_state(),
        ConnectionPhase::New,
        "{:?}",
        net.b_events
    );
}

/// An audio call with a chat, A offering first; B builds a new transport when its tag moves.
fn audio_and_chat_b_builds_transports() -> Net {
    let mut b = net::config();
    b.tag_move = tacet_session::TagMovePolicy::NewTransport;
    let mut net = Net::with(net::config(), b);
    net.session(Side::A, |s| {
        s.add_transceiver(
            tacet_track::TrackKind::Audio,
            tacet_session::TransceiverInit::default(),
        )
    })
    .expect("an audio transceiver");
    open_chat(&mut net);
    net
}

/// Runs until both sides report the handover to the new transport (10 s at most).
fn both_handed_over(net: &mut Net) -> bool {
    net.run_until(Duration::from_secs(10), |n| {
        [Side::A, Side::B].iter().all(|&side| {
            n.events(side)
                .iter()
                .any(|e| matches!(e, Event::TransportHandedOver { .. }))
        })
    })
}

#[test]
fn the_ice_roles_of_the_first_offer_answer_hold_for_a_transport_made_later() {
    // B answered first, then stops the BUNDLE tag and offers, building a new transport
    // (Chromium's and Firefox's way). Its new transport stays controlled, as browsers keep a
    // connection's role: the later offer does not make B controlling.
    let mut net = audio_and_chat_b_builds_transports();
    assert_eq!(net.a.ice_controlling(), Some(true));
    assert_eq!(net.b.ice_controlling(), Some(false));
    net::stop_audio_tag(&mut net, Side::B);
    net.negotiate(Side::B)
        .expect("the round that moves the tag");
    net::trickle_new_candidates(&mut net);
    assert!(
        both_handed_over(&mut net),
        "the new transport connected and took over"
    );
    assert_eq!(net.a.ice_controlling(), Some(true));
    assert_eq!(net.b.ice_controlling(), Some(false));
}

/// The local address of `side`'s transport that is not released and not its first (the one a
/// tag move made).
fn new_transport_address(net: &Net, side: Side) -> SocketAddr {
    let session = net.conn_ref(side).session();
    let transport = session
        .transports()
        .iter()
        .rfind(|t| !t.is_released())
        .expect("a live transport");
    let candidate = transport
        .local_candidates()
        .first()
        .expect("the new transport has its host candidate");
    SocketAddr::new(
        candidate.address().parse().expect("an IP address"),
        candidate.port(),
    )
}

/// STUN datagrams `side` sent to `to` since the `from`-th one on the link.
fn stun_to(net: &Net, side: Side, to: SocketAddr, from: usize) -> usize {
    net.stun_sent[from..]
        .iter()
        .filter(|(s, _, remote)| *s == side && *remote == to)
        .count()
}

/// A offered first (so it is controlling); B stops its audio tag and
/// offers a new transport, A answers it; B's new candidate reaches A (trickled after its
/// offer), A's answer is returned, not yet delivered to B.
fn answered_tag_move() -> (Net, String) {
    let mut net = audio_and_chat_b_builds_transports();
    net::stop_audio_tag(&mut net, Side::B);
    let offer = net.set_local_offer(Side::B).expect("B's tag-moving offer");
    net.collect();
    net.set_remote(Side::A, SdpType::Offer, &offer)
        .expect("A takes the offer");
    let answer = net.set_local_answer(Side::A).expect("A's answer");
    net.collect();
    net::trickle_new_candidates(&mut net);
    (net, answer)
}

/// B answered first and moves its tag; A answers B's offer as the **controlling** agent (the
/// role of the first offer/answer). A's checks, with their one nomination (RFC 8445 §8.1.1),
/// wait for B's first check on the new transport: B checks only once it has applied the
/// answer, and a nomination that arrives before that is lost by Firefox (it queues the
/// "pre-answer" request and replays it as an ordinary check; its transport then stayed in
/// "checking" in 1 of 3 `peer-stops-tag` runs against tacet offering).
#[test]
fn a_controlling_answerer_checks_a_new_transport_only_after_the_peer_has_the_answer() {
    let (mut net, answer) = answered_tag_move();
    let to_b = new_transport_address(&net, Side::B);
    let mark = net.stun_sent.len();
    net.run_for(Duration::from_millis(500));
    assert_eq!(
        stun_to(&net, Side::A, to_b, mark),
        0,
        "A checked B's new transport before B had the answer"
    );
    net.set_remote(Side::B, SdpType::Answer, &answer)
        .expect("B takes the answer");
    net::trickle_new_candidates(&mut net);
    assert!(
        both_handed_over(&mut net),
        "the new transport connected and took over"
    );
    let to_a = new_transport_address(&net, Side::A);
    let first_from_b = net.stun_sent[mark..]
        .iter()
        .position(|(s, _, remote)| *s == Side::B && *remote == to_a)
        .expect("B checked A's new transport");
    let first_from_a = net.stun_sent[mark..]
        .iter()
        .position(|(s, _, remote)| *s == Side::A && *remote == to_b)
        .expect("A checked B's new transport");
    assert!(first_from_b < first_from_a, "B checked first");
    net.assert_nothing_failed();
}

/// A peer that never checks (ICE lite, RFC 8445 §2.5) is checked and nominated all the same,
/// one second after the answer.
#[test]
fn a_controlling_answerer_checks_a_silent_peer_after_a_second() {
    let (mut net, _answer) = answered_tag_move();
    let to_b = new_transport_address(&net, Side::B);
    let mark = net.stun_sent.len();
    net.run_for(Duration::from_millis(900));
    assert_eq!(
        stun_to(&net, Side::A, to_b, mark),
        0,
        "held for the peer's check"
    );
    net.run_for(Duration::from_millis(300));
    assert!(
        stun_to(&net, Side::A, to_b, mark) > 0,
        "A checks B's new transport after a second without B's check"
    );
}
