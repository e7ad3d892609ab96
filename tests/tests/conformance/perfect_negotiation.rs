//! `RTCPeerConnection-perfect-negotiation.https.html` and the stress-glare files
//! (stop-semantics §5.12): two peers run the perfect-negotiation pattern
//! ([`tacet_session::perfect`]) over an in-order channel with random delays; each test runs for
//! both role orders (A polite, then A impolite) and several channel seeds.

use std::time::Duration;

use tacet_tests::perfect::PerfectPair;

use super::*;

const SEEDS: [u64; 8] = [1, 2, 3, 5, 8, 13, 21, 34];

/// Both peers settled and agree: stable, nothing in flight, no negotiation needed, `count`
/// transceivers each, every one negotiated, and the same m-line order on both sides.
fn assert_agreed(pair: &PerfectPair, count: usize) {
    assert!(pair.is_quiet());
    for (name, s) in [("A", &pair.a.session), ("B", &pair.b.session)] {
        assert_eq!(s.signaling_state(), SignalingState::Stable, "{name}");
        assert!(!s.is_negotiation_needed(), "{name}");
        assert_eq!(s.transceivers().count(), count, "{name}");
        for t in s.transceivers() {
            assert!(t.mid().is_some(), "{name}: {:?} has no mid", t.id());
            assert!(t.current_direction().is_some(), "{name}: {:?}", t.id());
        }
    }
    let mids = |s: &Session| -> Vec<String> {
        s.local_description()
            .unwrap()
            .media
            .iter()
            .map(|m| m.mid().unwrap().to_string())
            .collect()
    };
    assert_eq!(mids(&pair.a.session), mids(&pair.b.session));
}

/// The transports each know the other side: ICE credentials and DTLS roles that fit together
/// (what "connects" needs from the session; the connection itself is the transport's).
fn assert_transports_ready(pair: &PerfectPair) {
    let live = |s: &Session| -> Vec<_> {
        s.transports()
            .iter()
            .filter(|t| !t.is_released())
            .map(|t| (t.remote().is_some(), t.role()))
            .collect()
    };
    let (a, b) = (live(&pair.a.session), live(&pair.b.session));
    assert_eq!(a.len(), 1, "one BUNDLE transport: {a:?}");
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(a[0].0 && b[0].0);
    assert!(a[0].1.is_some() && b[0].1.is_some() && a[0].1 != b[0].1);
}

fn add_audio(pair: &mut PerfectPair, who: Who) {
    pair.session(who)
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
}

// #75: one side adds a transceiver and the pair negotiates; then the other side adds one.
#[test]
fn perfect_negotiation_setup_connects() {
    for a_polite in [true, false] {
        for seed in SEEDS {
            let mut pair = PerfectPair::new(a_polite, seed);
            add_audio(&mut pair, Who::A);
            pair.settle(100).unwrap();
            assert_agreed(&pair, 1);
            assert_transports_ready(&pair);
            add_audio(&mut pair, Who::B);
            pair.settle(100).unwrap();
            assert_agreed(&pair, 2);
            assert_transports_ready(&pair);
        }
    }
}

// #76: both sides add a transceiver at once; the offers cross; the polite side rolls back and
// answers, the impolite one ignores the polite offer; both end with 2 transceivers.
#[test]
fn perfect_negotiation_glare() {
    for a_polite in [true, false] {
        for seed in SEEDS {
            let mut pair = PerfectPair::new(a_polite, seed);
            add_audio(&mut pair, Who::A);
            add_audio(&mut pair, Who::B);
            pair.settle(100).unwrap();
            assert_agreed(&pair, 2);
            assert_transports_ready(&pair);
            let (polite, impolite) = if a_polite {
                (&pair.a_negotiator, &pair.b_negotiator)
            } else {
                (&pair.b_negotiator, &pair.a_negotiator)
            };
            assert_eq!(polite.rollbacks(), 1, "the offers crossed");
            assert_eq!(impolite.ignored_offers(), 1);
        }
    }
}

/// 21 rounds of simultaneous addTransceiver on both sides. `overlap`: the next round starts
/// while the previous round's messages are still in flight (stress glare); otherwise each round
/// starts once the pair is quiet (stress glare, linear).
fn stress_glare(a_polite: bool, seed: u64, overlap: bool) {
    const ROUNDS: usize = 21;
    let mut pair = PerfectPair::new(a_polite, seed);
    for _ in 0..ROUNDS {
        add_audio(&mut pair, Who::A);
        add_audio(&mut pair, Who::B);
        if overlap {
            pair.advance(Duration::from_millis(7)).unwrap();
        } else {
            pair.settle(200).unwrap();
        }
    }
    pair.settle(2_000).unwrap();
    assert_agreed(&pair, 2 * ROUNDS);
    assert_transports_ready(&pair);
    // Every glare was resolved by the roles, never by a failure.
    let glares = pair.a_negotiator.rollbacks() + pair.b_negotiator.rollbacks();
    assert!(glares >= 1, "seed {seed}: no glare happened");
}

// #77
#[test]
fn perfect_negotiation_stress_glare() {
    for a_polite in [true, false] {
        for seed in &SEEDS[..4] {
            stress_glare(a_polite, *seed, true);
            stress_glare(a_polite, *seed, false);
        }
    }
}
