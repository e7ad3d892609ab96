//! `tacet-session`: a pure (sans-IO) peer-connection core — the W3C/JSEP offer/answer model
//! with exact stop semantics.
//!
//! # W3C to tacet
//!
//! | W3C `RTCPeerConnection` | tacet |
//! |---|---|
//! | `new RTCPeerConnection(configuration)` | [`Session::new`] with a [`SessionConfig`] (`bundlePolicy` → [`BundlePolicy`]) |
//! | `createOffer()` / `createAnswer()` | [`Session::create_offer`] / [`Session::create_answer`] |
//! | `setLocalDescription(d)` / `setLocalDescription()` | [`Session::set_local_description`] / [`Session::set_local_description_implicit`] |
//! | `setRemoteDescription(d)` | [`Session::set_remote_description`] (typed), [`Session::set_remote_description_text`] (SDP text) |
//! | `localDescription`, `remoteDescription`, `current…`, `pending…` | [`Session::local_description`], [`Session::remote_description`], [`Session::current_local_description`], … |
//! | `signalingState` | [`Session::signaling_state`] |
//! | `getConfiguration()` | [`Session::config`] |
//! | `addTransceiver(kind, init)` | [`Session::add_transceiver`] with a [`TransceiverInit`] |
//! | `addTrack(track, ...streams)` | [`Session::add_track`] |
//! | `removeTrack(sender)` | [`Session::remove_track`] with [`RtpSender::id`] |
//! | `getTransceivers()`, `getSenders()`, `getReceivers()` | [`Session::transceivers`], [`Session::senders`], [`Session::receivers`] |
//! | `createDataChannel(label)` | [`Session::create_data_channel`] |
//! | `addIceCandidate(c)` | [`Session::add_remote_candidate`] (and [`Session::add_local_candidate`] for the I/O layer's) |
//! | `restartIce()` | [`Session::restart_ice`] |
//! | `close()` | [`Session::close`] |
//! | event `negotiationneeded` | [`Event::NegotiationNeeded`] from [`Session::poll_event`]; flag [`Session::is_negotiation_needed`] |
//! | event `signalingstatechange` | [`Event::SignalingStateChange`] |
//! | event `track` | [`Event::Track`] |
//!
//! | W3C `RTCRtpTransceiver` / sender / receiver | tacet |
//! |---|---|
//! | `transceiver.mid`, `.direction`, `.currentDirection` | [`RtpTransceiver::mid`], [`RtpTransceiver::direction`], [`RtpTransceiver::current_direction`] |
//! | `transceiver.direction = d` | [`TransceiverMut::set_direction`] |
//! | `transceiver.stop()` | [`TransceiverMut::stop`] (every audio/video one: [`Session::stop_media`]) |
//! | `transceiver.sender`, `.receiver` | [`RtpTransceiver::sender`], [`RtpTransceiver::receiver`] |
//! | `sender.track`, `sender.replaceTrack(t)` | [`RtpSender::track`], [`TransceiverMut::replace_track`] |
//! | `sender.setStreams(...streams)` | [`TransceiverMut::set_streams`] ([`RtpSender::streams`] reads them) |
//! | `receiver.track` and its `mute`, `unmute`, `ended` | [`RtpReceiver::track`]; [`Event::TrackMuted`], [`Event::TrackUnmuted`], [`Event::TrackEnded`] |
//! | a remote stream's `addtrack` / `removetrack` | [`Event::StreamTrackAdded`] / [`Event::StreamTrackRemoved`] |
//! | (no W3C equivalent) | [`Session::transceiver_by_mid`], [`Session::bundle_groups`], [`Session::mode`], [`Effect`]s for the I/O layer |
//! | exceptions (`InvalidStateError`, …) | [`Error::dom_exception`] → [`DomException`] |
//!
//!
//! It composes `tacet-sdp` (descriptions), `tacet-transceiver-fsm` (one stop machine per
//! transceiver) and `tacet-track` (receiver tracks) into an `RTCPeerConnection` without sockets,
//! clocks or crypto:
//!
//! - **signaling**: stable, have-local-offer, have-remote-offer, the pranswer states and closed,
//!   with `create_offer`, `create_answer`, `set_local_description`, `set_remote_description`,
//!   rollback and `close` (`signaling.rs` holds the transition table);
//! - **transceivers**: `add_transceiver`, `add_track`, `remove_track`, and a handle per
//!   transceiver ([`Session::transceiver_mut`]) for `stop()`, the direction setter and
//!   `replaceTrack`, with W3C getters (`transceivers()` drops removed ones;
//!   `senders()`/`receivers()` skip stopped ones) and receiver tracks that end exactly once;
//! - **stops negotiated exactly**: a stopping transceiver is offered with port 0 (mid kept, no
//!   msid, same index) but answers `a=inactive`; a remote port 0 stops the transceiver and ends
//!   its track at once; stopped transceivers leave the set once an answer is applied. Every such
//!   rule is one cell of the transceiver machine's stop table
//!   (`tacet_transceiver_fsm::stop_table`), which the session asks;
//! - **m-lines never move**: recycling of port-0 slots for new transceivers of any kind (new
//!   mid, same index), appends otherwise; answers never recycle;
//! - **BUNDLE and transports**: stopped mids leave the group, the tag moves to the next live
//!   section (the data section when all media stops), and every tag move or peer-built
//!   transport replacement is an [`Effect`] for the I/O layer;
//! - **two stop modes**: [`Session::stop_media`] (then negotiate: data-only) and
//!   [`Session::close`]; the [`Mode`] is derived from the current descriptions;
//! - **failure atomicity**: a call that fails changes nothing at all, and says which W3C
//!   exception a browser would throw ([`Error::dom_exception`]).
//!
//! # Sans-IO
//!
//! Each call changes the state at once and queues what it fires: drain
//! [`Session::poll_event`] for the application (`negotiationneeded`, `track`, `ended`, mode
//! changes) and [`Session::poll_effect`] for the I/O layer (stop sending, send a BYE for these
//! SSRCs, run ICE/DTLS on this transport). Randomness comes from a caller-supplied seed.
//!
//! ```
//! use tacet_sdp::{Fingerprint, SdpType};
//! use tacet_session::{Event, Mode, Session, SessionConfig, TransceiverInit};
//! use tacet_track::{ReadyState, TrackKind};
//!
//! let config = SessionConfig::new(Fingerprint::new("sha-256", &[0xAB; 32])?);
//! let (mut alice, mut bob) = (Session::new(config.clone(), 1), Session::new(config, 2));
//! let video = alice.add_transceiver(TrackKind::Video, TransceiverInit::default())?;
//! alice.create_data_channel("chat")?;
//!
//! // One round: alice offers, bob answers.
//! let negotiate = |a: &mut Session, b: &mut Session| -> Result<(), tacet_session::Error> {
//!     let offer = a.create_offer()?;
//!     a.set_local_description(offer.clone())?;
//!     b.set_remote_description(offer)?;
//!     let answer = b.create_answer()?;
//!     b.set_local_description(answer.clone())?;
//!     a.set_remote_description(answer)
//! };
//! negotiate(&mut alice, &mut bob)?;
//! assert_eq!(alice.mode(), Mode::MediaAndData);
//!
//! // Stop the video: media stops now; the next round rejects the m-line (port 0) and bob's
//! // receiver track ends as soon as he applies the offer.
//! alice.transceiver_mut(video)?.stop()?;
//! let bob_video = bob.transceivers().next().map(|t| t.id()).expect("bob has it");
//! negotiate(&mut alice, &mut bob)?;
//! assert_eq!(bob.transceiver(bob_video).map(|t| t.receiver().track().ready_state()),
//!            Some(ReadyState::Ended));
//! assert_eq!(alice.mode(), Mode::DataOnly);
//! assert_eq!(alice.transceivers().count(), 0, "removed once the answer was applied");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Relationship to the other crates
//!
//! Below: `tacet-track`, `tacet-transceiver-fsm`, `tacet-sdp`. Above: `tacet-rtc` executes the
//! effects (ICE, DTLS, SRTP, SCTP) and never makes a stop decision. The normative description
//! is `docs/stop-semantics.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod answer;
mod apply;
pub mod codecs;
mod config;
mod data;
mod descriptions;
mod error;
mod event;
mod handle;
mod ice;
mod mode;
mod negotiation;
mod offer;
pub mod perfect;
mod queues;
mod rng;
mod session;
mod signaling;
mod tasks;
mod transceiver;
mod transceivers;
mod transport;
mod vocab;

pub use codecs::{Codec, CodecConfig, NegotiatedCodec};
pub use config::{BundlePolicy, PeerPolicy, SessionConfig, TagMovePolicy, UnassociatedStopPolicy};
pub use data::{DataChannel, DataChannelId};
pub use error::{DomException, Error};
pub use event::{DtlsRole, Effect, Event, RemoteTransport, TransportId};
pub use handle::{BundleGroup, TransceiverMut};
pub use ice::{RemoteCandidate, RemoteCandidateOutcome};
pub use mode::Mode;
pub use session::Session;
pub use signaling::SignalingState;
pub use tacet_transceiver_fsm::{Direction, Fault, Mid};
pub use transceiver::{
    RtpReceiver, RtpSender, RtpTransceiver, SenderId, TransceiverId, TransceiverInit,
};
pub use transport::TransportState;

/// Internals for tests and fuzz targets (feature `internals`): the signaling table as a
/// function and the transceivers' internal slots. Not an API to build on; it may change in
/// any release.
#[cfg(feature = "internals")]
pub mod internals {
    pub use crate::signaling::{Side, next as signaling_next, rolls_back_first};
    pub use crate::transceiver::TransceiverInternals;
}
