//! Two sessions under any sequence of operations, decoded from the bytes three at a time: the
//! model of `tacet_tests::model` (the same one the proptest drives) checks the stop invariants
//! after every step, then the applications settle and agreement is checked. Coverage guidance
//! finds sequences the proptest's random choice does not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tacet_tests::model::{Op, World};
use tacet_tests::pair::Who;
use tacet_track::TrackKind;
use tacet_transceiver_fsm::Direction;

/// One operation from three bytes: what, then who/kind/direction bits, then which transceiver.
fn decode(chunk: &[u8]) -> Op {
    let what = chunk.first().copied().unwrap_or_default();
    let bits = chunk.get(1).copied().unwrap_or_default();
    let pick = usize::from(chunk.get(2).copied().unwrap_or_default());
    let who = if bits & 1 == 0 { Who::A } else { Who::B };
    let kind = if bits & 2 == 0 {
        TrackKind::Audio
    } else {
        TrackKind::Video
    };
    let direction = match (bits >> 2) & 3 {
        0 => Direction::SendRecv,
        1 => Direction::SendOnly,
        2 => Direction::RecvOnly,
        _ => Direction::Inactive,
    };
    match what % 18 {
        0 => Op::AddTransceiver(who, kind, direction),
        1 | 2 => Op::AddTrack(who, kind),
        3 => Op::Stop(who, pick),
        4 => Op::StopMedia(who),
        5 => Op::SetDirection(who, pick, direction),
        6 => Op::RemoveTrack(who, pick),
        7 => Op::CreateDataChannel(who),
        8 => Op::Offer(who),
        9 => Op::Negotiate(who),
        10 => Op::Answer(who),
        11 => Op::Glare,
        12 => Op::Rollback(who),
        13 | 14 => Op::Deliver,
        15 => Op::Lose,
        16 => Op::Reorder,
        _ => Op::Close(who),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut world = World::new();
    for (step, chunk) in data.chunks(3).take(96).enumerate() {
        let op = decode(chunk);
        if let Err(broken) = world.apply(&op) {
            panic!("after step {step} ({op:?}): {broken}");
        }
    }
    if let Err(broken) = world.settle() {
        panic!("after settling: {broken}");
    }
});
