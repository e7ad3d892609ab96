//! `tacet-tests`: the shared harness for tacet's cross-crate scenario tests (not published).
//!
//! - [`pair::Pair`] — two `tacet-session` peers, a signaling channel with virtual time, and
//!   the log of every event and effect; the two-peer harness of the scenario tests.
//! - [`corpus`] — the real Chromium and aiortc SDPs of `tests/data/sdp/`, played into a peer.
//! - [`model::World`] — two peers under any sequence of operations (lossy, reordering
//!   channel) with the stop invariants checked after every step: the model-based tests.
//! - [`reference::Reference`] — the reference model: what the spec says both peers' state is
//!   after each operation of the model-based test, compared with the sessions after every step.
//! - [`find`] — look-ups the tests share (a transceiver by mid, the BUNDLEd mids, the live transports).
//! - [`perfect::PerfectPair`] — the same peers running perfect negotiation over an in-order
//!   channel with random delays (the WPT perfect-negotiation setup).
//!
//! The scenario tests live in `tests/tests/`, named after the behaviour they show.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod corpus;
pub mod find;
pub mod model;
pub mod pair;
pub mod perfect;
pub mod reference;
