//! Property test: random input sequences keep the machine's invariants.
//!
//! - the stop bits never clear (the phase never moves backwards) and a closed connection stays
//!   closed;
//! - nothing is sent or received once stopping (`may_send`/`may_receive` stay false);
//! - the stop effects and `EndReceiverTrack` happen at most once, `Removed` at most once, and
//!   nothing but `Removed` follows the stop in the same life as far as media goes;
//! - `Removed` is terminal and has no mid;
//! - a refused input leaves the whole state unchanged, effect queue included;
//! - the W3C getters agree with the phase.

mod common;

use proptest::prelude::*;
use tacet_transceiver_fsm::table::{Connection, Phase};
use tacet_transceiver_fsm::{Direction, Effect, Input, Transceiver, TransceiverDirection};

fn input() -> impl Strategy<Value = Input> {
    let all = common::inputs();
    (0..all.len()).prop_map(move |i| all[i].clone())
}

fn direction() -> impl Strategy<Value = Direction> {
    (0..Direction::ALL.len()).prop_map(|i| Direction::ALL[i])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    // spec: 1.2a, 1.2c, 1.3d
    #[test]
    fn random_inputs_keep_the_invariants(
        initial in direction(),
        inputs in proptest::collection::vec(input(), 0..48),
        drain_every in 1usize..5,
    ) {
        let mut t = Transceiver::new(initial);
        let mut effects = Vec::new();
        for (i, input) in inputs.into_iter().enumerate() {
            let before = t.clone();
            match t.handle(input.clone()) {
                Err(_) => prop_assert_eq!(&t, &before, "refused {:?} changed the state", input),
                Ok(_) => {
                    prop_assert!(t.phase() >= before.phase(), "{:?} moved back", input);
                    prop_assert!(t.connection() >= before.connection());
                }
            }
            if before.is_removed() {
                prop_assert!(t.is_removed(), "removed is terminal");
            }
            if t.is_stopping() {
                prop_assert!(!t.may_send() && !t.may_receive(), "media after stopping");
                prop_assert_eq!(t.direction(), TransceiverDirection::Stopped);
                prop_assert!(!t.reusable_by_add_track());
            }
            if t.is_stopped() {
                prop_assert_eq!(t.current_direction(), Some(TransceiverDirection::Stopped));
                prop_assert!(!t.receptive());
            } else {
                prop_assert_ne!(t.current_direction(), Some(TransceiverDirection::Stopped));
            }
            if t.is_removed() {
                prop_assert_eq!(t.mid(), None);
            }
            if t.connection() == Connection::Closed {
                prop_assert!(t.is_stopped(), "a closed connection has only stopped transceivers");
            }
            if i % drain_every == 0 {
                effects.extend(std::iter::from_fn(|| t.poll_effect()));
            }
        }
        effects.extend(std::iter::from_fn(|| t.poll_effect()));

        let count = |wanted: fn(&Effect) -> bool| effects.iter().filter(|e| wanted(e)).count();
        let is_end = |e: &Effect| matches!(e, Effect::EndReceiverTrack { .. });
        prop_assert!(count(|e| *e == Effect::StopSending) <= 1);
        prop_assert!(count(|e| *e == Effect::SendRtcpBye) <= 1);
        prop_assert!(count(|e| *e == Effect::StopReceiving) <= 1);
        let ends = effects.iter().filter(|e| is_end(e)).count();
        prop_assert!(ends <= 1);
        prop_assert!(count(|e| *e == Effect::Removed) <= 1);
        // The receiver track ends iff the transceiver is stopping or later.
        prop_assert_eq!(ends == 1, t.phase() >= Phase::Stopping);
        // After the receiver stopped, nothing unmutes it.
        if let Some(stop) = effects.iter().position(|e| *e == Effect::StopReceiving) {
            prop_assert!(!effects[stop..].contains(&Effect::UnmuteReceiverTrack));
            prop_assert!(!effects[stop..].contains(&Effect::MuteReceiverTrack));
        }
    }
}
