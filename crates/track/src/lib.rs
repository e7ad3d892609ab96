//! `tacet-track`: the W3C `MediaStreamTrack` life cycle as a small pure state machine.
//!
//! A track is **live** until it **ends**, and ending is terminal. How it ends matters to an
//! application that stops media while its data channel keeps talking:
//!
//! - the track's own [`Track::stop`] ends it **silently** (Media Capture and Streams,
//!   §MediaStreamTrack › stop: no event), unless the integrator asks for aiortc's behaviour with
//!   [`EndedPolicy::EmitOnStop`];
//! - every other cause — the local transceiver was stopped, the remote peer rejected the
//!   m-section, the peer connection closed, a rollback removed the transceiver, the source went
//!   away — goes through [`Track::end`] and fires `ended` **exactly once**;
//! - once ended, the track fires nothing more: a late `mute` is ignored (the equivalent of
//!   aiortc's `remove_all_listeners`).
//!
//! # Sans-IO
//!
//! No clock, no threads, no callbacks, no async. Each method changes the state immediately and
//! queues the events it fires; the owner drains them with [`Track::poll_event`], in order.
//!
//! ```
//! use tacet_track::{EndCause, EndReason, ReadyState, Track, TrackEvent, TrackKind};
//!
//! // A receiver track starts muted; media arriving unmutes it.
//! let mut remote = Track::new_receiver(TrackKind::Video, "remote-video");
//! let _ = remote.set_muted(false);
//!
//! // The peer rejects the m-section (port 0): the receiver track ends, with an event.
//! let _ = remote.end(EndCause::RemoteRejected);
//! assert_eq!(remote.ready_state(), ReadyState::Ended);
//!
//! // Nothing fires after `ended`.
//! let _ = remote.set_muted(true);
//! let events: Vec<_> = std::iter::from_fn(|| remote.poll_event()).collect();
//! assert_eq!(
//!     events,
//!     [TrackEvent::Unmuted, TrackEvent::Ended(EndReason::Ended(EndCause::RemoteRejected))]
//! );
//!
//! // A local capture track stopped by the application ends without an event.
//! let mut camera = Track::new(TrackKind::Video, "camera");
//! let _ = camera.stop();
//! assert_eq!(camera.poll_event(), None);
//! ```
//!
//! # Relationship to the other crates
//!
//! `tacet-track` depends on nothing. `tacet-transceiver-fsm` emits effects such as
//! "end the receiver track (with or without an event)"; `tacet-session` owns the receiver
//! tracks and applies those effects to them with [`Track::end`] or
//! [`Track::end_without_event`]. The sender's **local** track is the application's: no
//! transceiver stop or close ever ends it (webrtc-pc "stop sending and receiving" ends only the
//! receiver track), which is where tacet deliberately differs from aiortc.
//!
//! The normative description is `docs/stop-semantics.md` in the repository.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod track;

pub use track::{
    EndCause, EndReason, EndedPolicy, Outcome, ReadyState, Track, TrackEvent, TrackId, TrackKind,
};
