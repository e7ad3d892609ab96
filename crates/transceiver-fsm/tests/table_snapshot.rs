//! The exhaustive state × input walk: every representative state meets every input, and the
//! outcome (result, effects, next state) is locked in a checked-in snapshot. Any change of
//! behaviour shows up as a reviewable diff; a new or changed snapshot fails (CI sets
//! `INSTA_UPDATE=no`) until it is accepted in a commit (`INSTA_UPDATE=always cargo test`).
//!
//! The snapshot is not the spec (decisions.md §9): the hand-written tests in
//! `src/transceiver/tests.rs` say what the important rows must be, with the citation.

mod common;

use std::fmt::Write as _;

#[test]
fn every_state_meets_every_input() {
    let mut out = String::new();
    for (name, state) in common::states() {
        let _ = writeln!(out, "## {name}: {}", common::summary(&state));
        for input in common::inputs() {
            let mut t = state.clone();
            let result = t.handle(input.clone());
            let effects: Vec<String> = std::iter::from_fn(|| t.poll_effect())
                .map(|e| e.to_string())
                .collect();
            let outcome = match result {
                Err(e) => {
                    assert_eq!(t, state, "a refused input changes nothing");
                    format!("ERR {e}")
                }
                Ok(_) if t == state && effects.is_empty() => "ok, unchanged".to_owned(),
                Ok(_) => format!("ok [{}] -> {}", effects.join(", "), common::summary(&t)),
            };
            let _ = writeln!(out, "{input:?}\n    {outcome}");
        }
        out.push('\n');
    }
    insta::assert_snapshot!("state_x_input", out);
}

/// The rendered table in `docs/stop-semantics.md` is the table in the code.
#[test]
fn docs_table_matches_the_code() {
    let docs = include_str!("../../../docs/stop-semantics.md");
    let table = tacet_transceiver_fsm::table::markdown();
    assert!(
        docs.contains(&table),
        "docs/stop-semantics.md is stale: run `cargo xtask docs` and commit the result"
    );
}

/// The rendered stop table in `docs/stop-semantics.md` is the stop table in the code.
#[test]
fn docs_stop_table_matches_the_code() {
    let docs = include_str!("../../../docs/stop-semantics.md");
    let table = tacet_transceiver_fsm::stop_table::markdown();
    assert!(
        docs.contains(&table),
        "docs/stop-semantics.md is stale: run `cargo xtask docs` and commit the result"
    );
}
