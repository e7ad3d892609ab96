//! Model-based property test of two sessions ([`tacet_tests::model::World`]): random sequences
//! of add / stop / stop_media / direction / removeTrack / data channel / offer / answer /
//! rollback / glare / lost or reordered signaling / close, with the stop invariants checked
//! after every step and the reference model ([`tacet_tests::reference`]) compared with both
//! sessions after every step; then the applications settle and the settled invariants are
//! checked.
//!
//! Where tacet and the spec differ, the proptests run the model under [`Rules::PROPTEST`] (the
//! spec's rules but those differences) and each difference has an ignored test below, named
//! after the spec's behaviour, that runs the spec's rule on the shortest sequence showing it.
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
use tacet_tests::reference::{BackToBack, MsidRule, RejectedSection, Rules, StaleAnswerError};
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

    // spec: 1.3e, 1.3f, 1.4b, 1.6b, 1.6c, 1.7a, 3.2b, 3.2e, 3.3d, 3.4a, 6.2, 6.3, 6.4, 6.11
    #[test]
    fn well_behaved_sessions_always_settle_and_agree(
        ops in prop::collection::vec(clean_op(), 1..48),
    ) {
        let mut world = World::new();
        if let Err(broken) = world.play(&ops) {
            prop_assert!(false, "{broken}");
        }
        prop_assert_eq!(world.faults, 0);
        if let Err(broken) = world.settle() {
            prop_assert!(false, "after settling: {broken}");
        }
    }

    // spec: 1.3d, 1.6f, 1.6g, 1.8a, 3.2e, 3.4b, 3.4d, 3.5a, 6.6, 6.7, 6.14
    #[test]
    fn two_sessions_keep_the_stop_invariants(ops in prop::collection::vec(op(), 1..48)) {
        let mut world = World::new();
        if let Err(broken) = world.play(&ops) {
            prop_assert!(false, "{broken}");
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

// ---- where tacet and the spec differ -------------------------------------------------------
//
// Each test below runs the reference model with the spec's rule on the shortest sequence that
// shows the difference, and fails until the session follows the spec; the proptests run
// `Rules::PROPTEST`, which keeps tacet's current behaviour for exactly these rules.

/// The proptests' rules with one rule set the spec's way.
fn spec_rule(change: impl FnOnce(&mut Rules)) -> World {
    let mut rules = Rules::PROPTEST;
    change(&mut rules);
    World::with_rules(rules)
}

/// Plays `ops`; a disagreement fails the test with the model's story.
fn play(world: &mut World, ops: &[Op]) {
    if let Err(broken) = world.play(ops) {
        panic!("{broken}");
    }
}

// A stopped and removed transceiver's slot is offered again as a port-0 placeholder (here
// because a data channel needs an offer). webrtc-pc runs "find or create" for every media
// description of a remote offer and then stops the transceiver of a rejected one; RFC 9429
// §5.10 has no exception for a rejected section and §3.4.1 associates every m-section of an
// applied description with exactly one transceiver. So the answerer gets a new recvonly
// transceiver for mid 0, stopped at once (its track ends: remote rejected) and removed when its
// answer is applied. tacet creates nothing ("a rejected section nobody holds creates nothing",
// docs/stop-semantics.md §3.3, whose comment cites §5.10 for it).
#[test]
#[ignore = "session bug: a rejected m-section of a remote offer that no transceiver holds creates no transceiver (RFC 9429 §5.10, webrtc-pc find-or-create then stop)"]
fn a_rejected_section_nobody_holds_creates_a_stopped_transceiver() {
    let mut world = spec_rule(|r| r.rejected_section = RejectedSection::CreateAndStop);
    play(
        &mut world,
        &[
            Op::AddTrack(Who::A, TrackKind::Audio),
            Op::Offer(Who::A),
            Op::Deliver,
            Op::Answer(Who::B),
            Op::Deliver,
            Op::Stop(Who::A, 0),
            Op::Offer(Who::A),
            Op::Deliver,
            Op::Answer(Who::B),
            Op::Deliver,
            Op::CreateDataChannel(Who::A),
            Op::Offer(Who::A),
            Op::Deliver,
            Op::Answer(Who::B),
            Op::Deliver,
        ],
    );
}

// A sending transceiver without a track: RFC 9429 §5.2.1 writes an a=msid line "for each
// MediaStream that was associated with the transceiver when it was created via addTrack or
// addTransceiver" whenever its direction sends (and §5.2.2 keeps them while it is not
// stopped); webrtc-pc's negotiation-needed step 4c.1 then asks for them whenever
// [[Direction]] sends. tacet writes a=msid only when the sender has a track.
#[test]
#[ignore = "session bug: a=msid is written only when the sender has a track, not for every associated stream of a sending transceiver (RFC 9429 §5.2.1)"]
fn a_sending_transceiver_without_a_track_announces_its_streams() {
    let mut world = spec_rule(|r| r.msid = MsidRule::Jsep);
    play(
        &mut world,
        &[
            Op::AddTransceiver(Who::A, TrackKind::Audio, Direction::SendRecv),
            Op::Offer(Who::A),
        ],
    );
}

// Back-to-back remote offers (B abandons two offers A has already applied, then offers again):
// offer 1 gives mid 0 to a transceiver A creates, offer 2 rejects mid 0 (A's transceiver
// stops), offer 3 — B's first offer after its rollback — puts a new transceiver at index 0
// with mid 1. webrtc-pc validates back-to-back offers "as if answers were applied in
// between", so index 0 is recyclable (tacet's layout check agrees), and RFC 9429 §5.10
// disassociates the recycled slot's transceiver; stopped and with no mid, it leaves the set
// when A's answer is applied (UnassociatedStopPolicy::Drop). tacet keeps its mid 0, which no
// description holds any more: it stays in the set and negotiation stays needed for ever
// (webrtc-pc step 4d), whatever A and B negotiate next.
#[test]
#[ignore = "session bug: a back-to-back remote offer that recycles a slot the pending offer rejected does not disassociate the slot's transceiver (RFC 9429 §5.10)"]
fn a_back_to_back_offer_that_recycles_a_slot_disassociates_its_transceiver() {
    let mut world = spec_rule(|r| r.back_to_back = BackToBack::AsIfAnswered);
    play(
        &mut world,
        &[
            Op::AddTransceiver(Who::B, TrackKind::Audio, Direction::SendRecv),
            Op::Offer(Who::B),
            Op::StopMedia(Who::B),
            Op::Offer(Who::B),
            Op::Rollback(Who::B),
            Op::AddTransceiver(Who::B, TrackKind::Audio, Direction::SendRecv),
            Op::Offer(Who::B),
            Op::Deliver,
            Op::Deliver,
            Op::Deliver,
            Op::Answer(Who::A),
            Op::Deliver,
        ],
    );
    world.settle().unwrap();
}

// A stale answer reaches B in have-remote-offer (A answered B's abandoned offer, then offered;
// the channel delivered the offer first). webrtc-pc "set the session description": when
// applying fails, "If description.type is invalid for the current [[SignalingState]] ...
// reject p with a newly created InvalidStateError" comes before every other reason. (Fixed
// 2026-12-07: tacet checked the o= version first and reported OperationError.)
#[test]
fn an_answer_in_the_wrong_state_is_an_invalid_state_error_even_when_its_version_went_down() {
    let mut world = spec_rule(|r| r.stale_answer_error = StaleAnswerError::InvalidState);
    play(
        &mut world,
        &[
            Op::Offer(Who::B),
            Op::Rollback(Who::B),
            Op::Deliver,
            Op::Answer(Who::A),
            Op::Offer(Who::A),
            Op::Reorder,
            Op::Deliver,
            Op::Deliver,
        ],
    );
}

// Back-to-back remote offers again (A abandons an offer B has applied, then offers again): B's
// current descriptions reject mid 0 at index 0; A's abandoned offer recycles index 0 for a new
// transceiver with mid 1 (B applies it: pending); A's next offer, made after its rollback from
// its own current view, has mid 0 at index 0 again. As if the pending offer had been answered
// (webrtc-pc), index 0 is live with mid 1, and a live m-line keeps its mid (RFC 9429 §5.2.2):
// the offer is refused. tacet checks it against the current description (mid 0: kept) and
// against the pending one (index 0 rejected in a current description: recyclable, and mid 0
// is not in the pending offer) in turn, and accepts it.
#[test]
#[ignore = "session bug: a back-to-back remote offer is checked against the current and the pending description separately, not as if the pending one had been answered (webrtc-pc)"]
fn a_back_to_back_offer_keeps_the_mids_the_pending_offer_made_live() {
    let mut world = spec_rule(|r| r.back_to_back = BackToBack::AsIfAnswered);
    play(
        &mut world,
        &[
            Op::AddTransceiver(Who::B, TrackKind::Audio, Direction::SendRecv),
            Op::Glare,
            Op::Deliver,
            Op::StopMedia(Who::B),
            Op::Offer(Who::B),
            Op::Deliver,
            Op::Deliver,
            Op::Answer(Who::A),
            Op::AddTransceiver(Who::A, TrackKind::Audio, Direction::SendRecv),
            Op::Glare,
            Op::StopMedia(Who::A),
            Op::Rollback(Who::A),
            Op::Glare,
            Op::Deliver,
            Op::Deliver,
            Op::Deliver,
        ],
    );
}
