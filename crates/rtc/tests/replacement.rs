//! Transport replacement, make-before-break (issue 12; `docs/transport.md`): one side runs
//! `TagMovePolicy::NewTransport` (tacet behaving as Chromium on a BUNDLE tag move,
//! interop-findings §5), the audio transceiver — the BUNDLE tag — is stopped and renegotiated,
//! and both sides run ICE and a new DTLS handshake on a new transport while the data channel
//! carries numbered messages both ways before, during and after. The SCTP association moves
//! across: none lost, none twice, in order; the old transport is closed only after the new
//! one carries the association.

mod net;

use net::{
    FAULTY_LINKS, Link, Net, Side, all_arrive, config, exchange, open_chat, trickle_new_candidates,
};
use tacet_rtc::Event;
use tacet_session::{Mode, TagMovePolicy, TransceiverInit};
use tacet_track::TrackKind;

/// Who runs the Chromium-like policy, who stops the tag and offers, and over which link.
#[derive(Clone, Copy, Debug)]
struct Scenario {
    replacer: Side,
    offerer: Side,
    link: Link,
    seed: u64,
    load: Load,
}

/// How many numbered messages go each way: before the stop, while it is pending, per 100 ms
/// until both sides handed over, and after.
#[derive(Clone, Copy, Debug)]
struct Load {
    before: usize,
    pending: usize,
    batch: usize,
    after: usize,
}

/// The scenario tests' load.
const FULL: Load = Load {
    before: 100,
    pending: 50,
    batch: 20,
    after: 50,
};

/// The sweeps': enough to see a message lost, twice or out of order in every phase, light
/// enough for 300 runs in a few seconds of a debug build (3.6 s on one core).
const LIGHT: Load = Load {
    before: 8,
    pending: 4,
    batch: 4,
    after: 8,
};

/// What one side's events say about the replacement.
struct Replacement {
    /// Messages this side received between the round and its handover (carried while the new
    /// transport was being made and switched to).
    during: usize,
    /// Messages received after the handover.
    after: usize,
}

fn run(scenario: Scenario) -> [Replacement; 2] {
    let (mut net, chat) = net::over_audio_tag(scenario.replacer, scenario.link, scenario.seed);
    let load = scenario.load;
    exchange(&mut net, chat, 0, load.before);

    // The audio section (mid 0) is the BUNDLE tag; stopping it moves the tag to the data
    // section. Messages flow while the stop is pending, right through the round and the new
    // transport's ICE and DTLS, and after.
    let stopper = scenario.offerer;
    net::stop_audio_tag(&mut net, stopper);
    exchange(&mut net, chat, load.before, load.pending);
    let marks = [net.a_events.len(), net.b_events.len()];
    net.negotiate(stopper)
        .expect("the round that moves the tag");
    trickle_new_candidates(&mut net);
    // Batches each way until both sides have handed over, then the rest.
    let sent = net::exchange_until(
        &mut net,
        chat,
        load.before + load.pending,
        load.batch,
        |n| handed_over(n, Side::A) && handed_over(n, Side::B),
    );
    exchange(&mut net, chat, sent, load.after);
    all_arrive(&mut net, chat, sent + load.after);

    assert_eq!(net.a.session().mode(), Mode::DataOnly);
    assert_eq!(net.b.session().mode(), Mode::DataOnly);
    [Side::A, Side::B].map(|side| {
        let mark = marks[usize::from(side == Side::B)];
        check_side(&net, side, mark, scenario)
    })
}

fn handed_over(net: &Net, side: Side) -> bool {
    net.events(side)
        .iter()
        .any(|e| matches!(e, Event::TransportHandedOver { .. }))
}

/// Two DTLS sessions, one handover from the first to the second, the old one closed and the
/// new one the carrier; no failure, no lost association.
fn check_side(net: &Net, side: Side, mark: usize, scenario: Scenario) -> Replacement {
    let events = net.events(side);
    let connected: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::TransportConnected { transport } => Some(*transport),
            _ => None,
        })
        .collect();
    let [old, new] = connected[..] else {
        panic!("{scenario:?} {side:?}: two DTLS sessions expected: {events:?}")
    };
    let handovers: Vec<_> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Event::TransportHandedOver { old, new } => Some((i, *old, *new)),
            _ => None,
        })
        .collect();
    let [(at, from, to)] = handovers[..] else {
        panic!("{scenario:?} {side:?}: one handover expected: {events:?}")
    };
    assert_eq!((from, to), (old, new), "{scenario:?} {side:?}");
    assert_eq!(
        net.conn_ref(side).carrier(),
        Some(new),
        "{scenario:?} {side:?}"
    );
    assert_eq!(net.conn_ref(side).carrier_for(new), Some(new));
    assert_eq!(
        net.conn_ref(side).carrier_for(old),
        None,
        "{scenario:?} {side:?}: the old transport is closed"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::TransportFailed { .. } | Event::SctpLost { .. })),
        "{scenario:?} {side:?}: {events:?}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == Event::SctpConnected)
            .count(),
        1,
        "{scenario:?} {side:?}: one association throughout"
    );
    let messages = |range: &[Event]| {
        range
            .iter()
            .filter(|e| matches!(e, Event::DataChannelMessage { .. }))
            .count()
    };
    Replacement {
        during: messages(&events[mark..at]),
        after: messages(&events[at..]),
    }
}

fn assert_carried_throughout(scenario: Scenario) {
    for (side, r) in [Side::A, Side::B].into_iter().zip(run(scenario)) {
        // Under loss a side may hold every message of the handover back for one
        // retransmission (SCTP delivers in order); without loss they arrive as they come.
        let during = r.during > 0 || scenario.link.loss > 0;
        assert!(
            during && r.after > 0,
            "{scenario:?} {side:?}: messages arrived during ({}) and after ({}) the handover",
            r.during,
            r.after
        );
    }
}

/// One scenario with the full load over a clean link, then at 5 % loss (seed 1).
fn at_0_and_5_percent_loss(replacer: Side, offerer: Side) {
    for loss in [0, 5] {
        assert_carried_throughout(Scenario {
            replacer,
            offerer,
            link: Link {
                loss,
                reorder: 0,
                duplicate: 0,
            },
            seed: 1,
            load: FULL,
        });
    }
}

// The offerer replaces: A plays Chromium, stops its tag and re-offers with a new transport;
// B (default policy) reads the replacement from the new tag section and makes its own.
#[test]
fn the_offerer_replacing_its_transport_loses_no_message() {
    at_0_and_5_percent_loss(Side::A, Side::A);
}

// The answerer replaces: A (default) stops its tag and keeps its transport; B plays Chromium
// and answers with a new one; A follows.
#[test]
fn the_answerer_replacing_its_transport_loses_no_message() {
    at_0_and_5_percent_loss(Side::B, Side::A);
}

// Roles crossed: B, the first round's answerer (DTLS client, ICE controlled), stops the tag
// and offers with a new transport; the new transport keeps the DTLS roles (A answers passive,
// RFC 8842 §5.5) and the ICE roles of the first offer/answer (B's agent stays controlled, as
// browsers keep a connection's role; states.rs).
#[test]
fn the_first_answerer_replacing_its_transport_in_its_own_offer_loses_no_message() {
    at_0_and_5_percent_loss(Side::B, Side::B);
}

// During the handover the old transport answers only the peer it is connected to: the peer's
// new transport, which has the same ICE credentials, checks every address of the answer's new
// tag section — the old one included when the default side answered before it knew it would
// replace — and a pair with the old transport would take its DTLS handshake to the old
// association.
#[test]
fn the_old_transport_ignores_the_new_transports_checks() {
    let mut a = config();
    a.tag_move = TagMovePolicy::NewTransport;
    let mut net = Net::with(a, config());
    net.session(Side::A, |s| {
        s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
    })
    .expect("an audio transceiver");
    let chat = open_chat(&mut net);
    net::stop_audio_tag(&mut net, Side::A);
    net.negotiate(Side::A)
        .expect("the round that moves the tag");
    exchange(&mut net, chat, 0, 100);
    all_arrive(&mut net, chat, 100);
    assert!(
        net.b.stats().dropped_retiring > 0,
        "A's new transport checked B's old address: {:?}",
        net.b.stats()
    );
}

// Each scenario over every faulty link of the kit (0 %, 1 %, 5 % loss, and 1 % and 5 % with
// 10 % reordering and 2 % duplication) for seeds 1-20: 100 replacements per scenario, each
// with its numbered messages all arriving once and in order, two DTLS sessions and one
// handover per side, one association throughout, nothing failed. A failing run is named by
// its scenario (link and seed) in the panic.
fn sweep(replacer: Side, offerer: Side) {
    for link in FAULTY_LINKS {
        for seed in 1..=20 {
            assert_carried_throughout(Scenario {
                replacer,
                offerer,
                link,
                seed,
                load: LIGHT,
            });
        }
    }
}

#[test]
fn the_offerer_replacing_its_transport_loses_no_message_on_any_faulty_link_for_seeds_1_to_20() {
    sweep(Side::A, Side::A);
}

#[test]
fn the_answerer_replacing_its_transport_loses_no_message_on_any_faulty_link_for_seeds_1_to_20() {
    sweep(Side::B, Side::A);
}

#[test]
fn the_first_answerer_replacing_in_its_own_offer_loses_no_message_on_any_faulty_link_for_seeds_1_to_20()
 {
    sweep(Side::B, Side::B);
}
