//! Association restart on a BUNDLE tag move (issue 14; `docs/transport.md`, "Association
//! restart"): one side plays Chromium — `TagMovePolicy::NewTransport` and
//! `SctpOnReplacement::Restart`: it replaces its transport, ABORTs its SCTP association when
//! the answer is applied, and starts a new one on the new transport with its channels re-bound
//! by stream id. The other side is tacet as shipped. Numbered messages go both ways before,
//! while the stop is pending, through the round, the ABORT, the new transport's ICE and DTLS
//! and the new association, and after: every one arrives once, in order, and no channel
//! closes.

mod net;

use std::time::Duration;

use net::{FAULTY_LINKS, Link, Net, Side, exchange, numbered, trickle_new_candidates};
use tacet_rtc::{ChannelId, Event, Message, SctpOnReplacement};
use tacet_session::Mode;

#[derive(Clone, Copy, Debug)]
struct Scenario {
    /// The side that plays Chromium.
    restarter: Side,
    /// The side that stops the tag and offers.
    offerer: Side,
    link: Link,
    seed: u64,
    /// Messages each way per phase.
    load: usize,
}

/// The numbers of the messages `side` received on `channel`, first arrivals only.
fn arrived(net: &Net, side: Side, channel: ChannelId) -> Vec<String> {
    let mut seen = Vec::new();
    for message in net.received(side, channel) {
        if !seen.contains(&message) {
            seen.push(message);
        }
    }
    seen
}

/// Every number `from` sent arrived, first arrivals in order. A message arrives twice only
/// across the restart — once on the aborted association, again on the new one — and only
/// over a faulty link: the peer's SACK for it was lost or overtaken by its ABORT, so it
/// was unacknowledged here (at least once; exactly once on a clean link).
fn check_arrivals(
    net: &Net,
    side: Side,
    channel: ChannelId,
    from: char,
    total: usize,
    faulty: bool,
    scenario: Scenario,
) {
    assert_eq!(
        arrived(net, side, channel),
        numbered(from, total),
        "{scenario:?} {side:?}: every message, in order"
    );
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut restarted = false;
    for event in net.events(side) {
        match event {
            Event::SctpRestarted { .. } => restarted = true,
            Event::DataChannelMessage {
                channel: c,
                message: Message::Text(text),
            } if *c == channel => {
                let part = if restarted { &mut after } else { &mut before };
                assert!(
                    !part.contains(text),
                    "{scenario:?} {side:?}: {text} twice on one association"
                );
                part.push(text.clone());
            }
            _ => {}
        }
    }
    let twice = before.iter().filter(|m| after.contains(m)).count();
    assert!(
        twice == 0 || faulty,
        "{scenario:?} {side:?}: {twice} re-delivered over a clean link"
    );
}

fn restarted(net: &Net, side: Side) -> bool {
    net.events(side)
        .iter()
        .any(|e| matches!(e, Event::SctpRestarted { .. }))
}

fn run(scenario: Scenario) -> Net {
    let (mut net, chat) = net::over_audio_tag(scenario.restarter, scenario.link, scenario.seed);
    net.conn(scenario.restarter)
        .set_sctp_on_replacement(SctpOnReplacement::Restart);
    let link = scenario.link;
    let load = scenario.load;
    exchange(&mut net, chat, 0, load);

    // Audio (mid 0) is the BUNDLE tag: stopping it moves the tag to the data section.
    let stopper = scenario.offerer;
    net::stop_audio_tag(&mut net, stopper);
    exchange(&mut net, chat, load, load);
    net.negotiate(stopper)
        .expect("the round that moves the tag");
    trickle_new_candidates(&mut net);
    // Batches each way until both sides run on a new association.
    let sent = net::exchange_until(&mut net, chat, 2 * load, load, |n| {
        restarted(n, Side::A) && restarted(n, Side::B)
    });
    exchange(&mut net, chat, sent, load);
    let total = sent + load;
    let faulty = link.loss > 0 || link.reorder > 0;
    let (a, b) = chat;
    net.run_until(Duration::from_secs(30), |n| {
        arrived(n, Side::A, a).len() >= total && arrived(n, Side::B, b).len() >= total
    });
    // A little longer: a duplicate would show now.
    net.run_for(Duration::from_millis(500));
    for (side, channel, from) in [(Side::A, a, 'b'), (Side::B, b, 'a')] {
        check_arrivals(&net, side, channel, from, total, faulty, scenario);
    }

    assert_eq!(net.a.session().mode(), Mode::DataOnly);
    assert_eq!(net.b.session().mode(), Mode::DataOnly);
    for side in [Side::A, Side::B] {
        let events = net.events(side);
        let count = |f: fn(&Event) -> bool| events.iter().filter(|e| f(e)).count();
        assert_eq!(
            count(|e| matches!(e, Event::SctpRestarting)),
            1,
            "{scenario:?} {side:?}: one restart: {events:?}"
        );
        assert_eq!(count(|e| matches!(e, Event::SctpRestarted { .. })), 1);
        assert_eq!(
            count(|e| matches!(
                e,
                Event::SctpLost { .. }
                    | Event::DataChannelClosed { .. }
                    | Event::TransportFailed { .. }
            )),
            0,
            "{scenario:?} {side:?}: {events:?}"
        );
    }
    net
}

fn both_offerers(restarter: Side) {
    for offerer in [Side::A, Side::B] {
        for loss in [0, 5] {
            run(Scenario {
                restarter,
                offerer,
                link: Link {
                    loss,
                    reorder: 0,
                    duplicate: 0,
                },
                seed: 1,
                load: 20,
            });
        }
    }
}

#[test]
fn the_offerer_restarting_its_association_on_a_tag_move_loses_no_message() {
    both_offerers(Side::A);
}

#[test]
fn the_answerer_restarting_its_association_on_a_tag_move_loses_no_message() {
    both_offerers(Side::B);
}

#[test]
fn messages_the_restarting_peer_had_not_acknowledged_are_sent_again_on_the_new_association() {
    // The peer that restarts stops taking DATA the moment it aborts: what was in flight to it
    // then is unacknowledged on this side, and goes again (counted in `resent`). Over a link
    // of 10 ms each way with a message every 1.25 ms, some always are.
    let net = run(Scenario {
        restarter: Side::A,
        offerer: Side::A,
        link: Link {
            loss: 0,
            reorder: 0,
            duplicate: 0,
        },
        seed: 1,
        load: 40,
    });
    let resent: usize = net
        .events(Side::B)
        .iter()
        .filter_map(|e| match e {
            Event::SctpRestarted { resent } => Some(*resent),
            _ => None,
        })
        .sum();
    assert!(resent > 0, "B re-sent what A had not acknowledged");
}

fn sweep(restarter: Side, offerer: Side) {
    for link in FAULTY_LINKS {
        for seed in 1..=10 {
            run(Scenario {
                restarter,
                offerer,
                link,
                seed,
                load: 6,
            });
        }
    }
}

#[test]
fn a_restart_offered_by_the_restarter_loses_no_message_on_any_faulty_link_for_seeds_1_to_10() {
    sweep(Side::A, Side::A);
}

#[test]
fn a_restart_answered_by_the_restarter_loses_no_message_on_any_faulty_link_for_seeds_1_to_10() {
    sweep(Side::B, Side::A);
}
