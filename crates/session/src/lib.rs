//! `tacet-session`: a pure (sans-IO) peer-connection core — the W3C/JSEP offer/answer model
//! with exact stop semantics.
//!
//! It composes `tacet-sdp` (descriptions), `tacet-transceiver-fsm` (one stop machine per
//! transceiver) and `tacet-track` (receiver tracks) into an `RTCPeerConnection` without sockets,
//! clocks or crypto:
//!
//! - **signaling**: stable, have-local-offer, have-remote-offer, the pranswer states and closed,
//!   with `create_offer`, `create_answer`, `set_local_description`, `set_remote_description`,
//!   rollback and `close` ([`signaling`] holds the transition table);
//! - **transceivers**: `add_transceiver`, `add_track`, `remove_track`, `replace_track`, the
//!   direction setter and `stop_transceiver`, with W3C getters (`transceivers()` drops removed
//!   ones; `senders()`/`receivers()` skip stopped ones) and receiver tracks that end exactly
//!   once;
//! - **stops negotiated exactly**: a stopping transceiver is offered with port 0 (mid kept, no
//!   msid, same index) but answers `a=inactive`; a remote port 0 stops the transceiver and ends
//!   its track at once; stopped transceivers leave the set once an answer settles;
//! - **m-lines never move**: recycling of port-0 slots for new transceivers of any kind (new
//!   mid, same index), appends otherwise; answers never recycle;
//! - **BUNDLE and transports**: stopped mids leave the group, the tag moves to the next live
//!   section (the data section when all media stops), and every tag move or peer-built
//!   transport replacement is an [`Effect`] for the I/O layer;
//! - **two stop modes**: [`Session::stop_media`] (then negotiate: data-only) and
//!   [`Session::close`]; the [`Mode`] is derived from the current descriptions;
//! - **failure atomicity**: a call that fails changes nothing at all.
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
//! alice.stop_transceiver(video)?;
//! let bob_video = bob.transceivers().next().map(|t| t.id()).expect("bob has it");
//! negotiate(&mut alice, &mut bob)?;
//! assert_eq!(bob.transceiver(bob_video).map(|t| t.receiver_track().ready_state()),
//!            Some(ReadyState::Ended));
//! assert_eq!(alice.mode(), Mode::DataOnly);
//! assert_eq!(alice.transceivers().count(), 0, "removed once the answer settled");
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
mod error;
mod event;
mod ice;
mod mode;
mod negotiation;
mod offer;
pub mod perfect;
mod rng;
mod session;
pub mod signaling;
mod transceiver;
mod transport;

pub use codecs::{Codec, CodecConfig, MediaType, NegotiatedCodec};
pub use config::{BundlePolicy, PeerPolicy, SessionConfig, UnassociatedStopPolicy};
pub use data::{DataChannel, DataChannelId};
pub use error::Error;
pub use event::{DtlsRole, Effect, Event, RemoteTransport, TransportId};
pub use ice::{RemoteCandidate, RemoteCandidateOutcome};
pub use mode::Mode;
pub use session::{Session, TransceiverInit};
pub use signaling::SignalingState;
pub use transceiver::{RtpTransceiver, Sender, TransceiverId};
pub use transport::TransportState;
