//! Model-based property test of two sessions ([`tacet_tests::model::World`]): random sequences
//! of add / stop / stop_media / direction / removeTrack / data channel / offer / answer /
//! rollback / glare / lost or reordered signaling / close, with the stop invariants checked
//! after every step, then the applications settle and the settled invariants are checked.
//!
//! `PROPTEST_CASES` sets the number of cases (default 1024 per proptest, a few seconds in CI's
//! debug build);
//! `cargo xtask model --cases N` runs a long one in release mode.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use proptest::prelude::*;
use tacet_tests::model::{Op, World};
use tacet_tests::pair::Who;
use tacet_track::TrackKind;
use tacet_transceiver_fsm::Direction;

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![Just(Who::A), Just(Who::B)]
}

fn kind() -> impl Strategy<Value = TrackKind> {
    prop_oneof![Just(TrackKind::Audio), Just(TrackKind::Video)]
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::SendRecv),
        Just(Direction::SendOnly),
        Just(Direction::RecvOnly),
        Just(Direction::Inactive),
    ]
}

/// What applications do to their own session.
fn local_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (who(), kind(), direction()).prop_map(|(w, k, d)| Op::AddTransceiver(w, k, d)),
        4 => (who(), kind()).prop_map(|(w, k)| Op::AddTrack(w, k)),
        4 => (who(), any::<usize>()).prop_map(|(w, p)| Op::Stop(w, p)),
        1 => who().prop_map(Op::StopMedia),
        2 => (who(), any::<usize>(), direction()).prop_map(|(w, p, d)| Op::SetDirection(w, p, d)),
        1 => (who(), any::<usize>()).prop_map(|(w, p)| Op::RemoveTrack(w, p)),
        1 => who().prop_map(Op::CreateDataChannel),
    ]
}

/// Well-behaved applications over a reliable channel: offers only from stable (the
/// negotiationneeded handler), glare resolved by the roles, nothing lost or reordered. The
/// sides must always settle and agree.
fn clean_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        16 => local_op(),
        6 => who().prop_map(Op::Negotiate),
        5 => who().prop_map(Op::Answer),
        2 => Just(Op::Glare),
        8 => Just(Op::Deliver),
    ]
}

/// Anything: raw offers in any state, explicit rollbacks, lost and reordered descriptions,
/// close. Operations weighted so that negotiation happens often and closing rarely (a closed
/// side ends the interesting part of a case).
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        16 => local_op(),
        6 => who().prop_map(Op::Offer),
        5 => who().prop_map(Op::Answer),
        1 => Just(Op::Glare),
        2 => who().prop_map(Op::Rollback),
        8 => Just(Op::Deliver),
        1 => Just(Op::Lose),
        1 => Just(Op::Reorder),
        1 => who().prop_map(Op::Close),
    ]
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    })]

    // spec: 1.6c, 3.2e
    #[test]
    fn well_behaved_sessions_always_settle_and_agree(
        ops in prop::collection::vec(clean_op(), 1..48),
    ) {
        let mut world = World::new();
        for (step, op) in ops.iter().enumerate() {
            if let Err(broken) = world.apply(op) {
                prop_assert!(false, "after step {step} ({op:?}): {broken}");
            }
        }
        prop_assert_eq!(world.faults, 0);
        if let Err(broken) = world.settle() {
            prop_assert!(false, "after settling: {broken}");
        }
    }

    // spec: 3.2e, 6.7
    #[test]
    fn two_sessions_keep_the_stop_invariants(ops in prop::collection::vec(op(), 1..48)) {
        let mut world = World::new();
        for (step, op) in ops.iter().enumerate() {
            if let Err(broken) = world.apply(op) {
                prop_assert!(false, "after step {step} ({op:?}): {broken}");
            }
        }
        if let Err(broken) = world.settle() {
            prop_assert!(false, "after settling: {broken}");
        }
    }
}

// A fixed scenario through the same model: stop the BUNDLE tag, lose the answer, roll back,
// renegotiate, glare, recycle; it must settle cleanly.
#[test]
fn a_fixed_story_settles() {
    let mut world = World::new();
    let story = [
        Op::AddTrack(Who::A, TrackKind::Audio),
        Op::AddTrack(Who::A, TrackKind::Video),
        Op::CreateDataChannel(Who::A),
        Op::Offer(Who::A),
        Op::Deliver,
        Op::Answer(Who::B),
        Op::Deliver,
        Op::Stop(Who::A, 0),
        Op::Offer(Who::A),
        Op::Deliver,
        Op::Answer(Who::B),
        Op::Lose,
        Op::Rollback(Who::A),
        Op::AddTrack(Who::B, TrackKind::Audio),
        Op::Glare,
        Op::Deliver,
        Op::Deliver,
        Op::AddTrack(Who::A, TrackKind::Video),
    ];
    for op in &story {
        world.apply(op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    }
    world.settle().unwrap();
}

// Found by a 20 000-case run of the chaos model: B applies A's offer that rejects mid 0 (B's
// transceiver stops: a remote rejection stops it), then B rolls that remote offer back (a stop
// is never undone) while its own abandoned offer is still on its way to A. A answers that stale
// offer with a new transceiver for mid 0, then offers mid 0 live as the BUNDLE tag; B must
// reject its stopped tag and with it the whole group, the data section included (RFC 9429
// §5.3.1, RFC 9143 §7.3.3). Only a signaling fault gets here, and JSEP leaves no other answer;
// the model accepts it then, and only then (docs/stop-semantics.md, "Limits").
#[test]
fn an_abandoned_offer_can_cost_the_data_section_through_a_stopped_tag() {
    let mut world = World::new();
    let story = [
        Op::AddTransceiver(Who::A, TrackKind::Audio, Direction::SendRecv),
        Op::Offer(Who::A),
        Op::Deliver,
        Op::Answer(Who::B),
        Op::Stop(Who::A, 0),
        Op::CreateDataChannel(Who::A),
        Op::AddTransceiver(Who::A, TrackKind::Audio, Direction::SendRecv),
        Op::Offer(Who::A),
        Op::Offer(Who::B),
        Op::Rollback(Who::B),
        Op::Rollback(Who::A),
        Op::Deliver,
        Op::Deliver,
        Op::Rollback(Who::B),
    ];
    for op in &story {
        world.apply(op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    }
    assert!(world.faults > 0);
    world.settle().unwrap();
    assert!(
        world.data_section_lost,
        "the story ends with the data section rejected"
    );
}
