//! `tacet-tests`: the shared harness for tacet's cross-crate scenario tests (not published).
//!
//! - [`receiver::MediaLine`] — one transceiver machine together with its receiver track, the
//!   transceiver's effects applied to the track the way the session applies them.
//!
//! The scenario tests live in `tests/tests/`, named after the behaviour they show.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod receiver;
