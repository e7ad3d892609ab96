//! `tacet-transceiver-fsm`: one W3C `RTCRtpTransceiver` as a pure state machine — its
//! direction algebra and its stop life cycle.
//!
//! ```text
//!             stop()                      rejected m-section applied
//!   Active ────────────▶ Stopping ─────────────────────────────────▶ Stopped ──────▶ Removed
//!     │                     │       (remote offer/answer), close()      ▲    answer applied,
//!     │                     └── rollback(remove) ───────────────────────┤    section rejected
//!     └── remote rejection, rollback(remove), close() ──────────────────┘
//! ```
//!
//! - **Active**: the application owns `[[Direction]]`.
//! - **Stopping** (`[[Stopping]]`): `stop()` stopped sending and receiving at once, sent the
//!   BYE, ended the receiver track and set `[[Direction]]` to `inactive`; the stop is not
//!   negotiated yet. `direction` reads `"stopped"`. The next local offer carries port 0, but an
//!   *answer* is unaffected (webrtc-pc: "a transceiver that is stopping, but not stopped, will
//!   not affect createAnswer", which protects the BUNDLE tag and with it the data channel).
//! - **Stopped** (`[[Stopped]]`): a rejected m-section was applied by a remote offer or
//!   answer, or the connection closed. `currentDirection` reads `"stopped"`.
//! - **Removed**: an answer was applied with the m-section rejected; the transceiver left the
//!   set of transceivers, its mid is null.
//!
//! The stop bits never clear: nothing moves a transceiver backwards, not even rollback.
//! Two tables hold every decision, both rendered in `docs/stop-semantics.md`:
//! [`table::rule`] says what each input does in each phase, and [`stop_table::rules`] says
//! what a phase means for everything around the transceiver — what offers and answers write
//! for it, whether it makes negotiation needed, whether it leaves the set after an exchange,
//! its receiver track, the W3C lists. The session asks the second table
//! ([`Transceiver::rules`]) and never reads the stop bits itself.
//!
//! # Sans-IO
//!
//! The machine sees neither SDP text nor packets nor a clock. The session hands it inputs —
//! application calls, and the facts of its m-section in each applied description — and drains
//! the [`Effect`]s it asks for: stop sending, send a BYE (the session attaches the SSRCs), end
//! the receiver track, update the negotiation-needed flag, and so on. A refused input returns a
//! typed [`Error`] (who is at fault, which rule) and changes nothing.
//!
//! ```
//! use tacet_transceiver_fsm::{
//!     DescriptionKind, Direction, Effect, Input, Section, StopCause, Transceiver,
//!     TransceiverDirection,
//! };
//!
//! let mut t = Transceiver::new(Direction::SendRecv);
//! // Offer/answer: our offer and the peer's answer associate mid "0", sendrecv both ways.
//! t.handle(Input::LocalDescription {
//!     kind: DescriptionKind::Offer,
//!     section: Section::live("0", Direction::SendRecv),
//! })?;
//! t.handle(Input::RemoteDescription {
//!     kind: DescriptionKind::Answer,
//!     section: Section::live("0", Direction::SendRecv),
//! })?;
//! assert_eq!(t.current_direction(), Some(TransceiverDirection::SendRecv));
//! assert_eq!(t.poll_effect(), Some(Effect::RemoteTrackAdded)); // the `track` event
//!
//! // The application stops it: media stops now; the stop is negotiated later.
//! t.handle(Input::Stop)?;
//! assert_eq!(t.direction(), TransceiverDirection::Stopped);
//! assert_eq!(t.current_direction(), Some(TransceiverDirection::SendRecv));
//! let effects: Vec<_> = std::iter::from_fn(|| t.poll_effect()).collect();
//! assert_eq!(effects, [
//!     Effect::StopSending,
//!     Effect::SendRtcpBye,
//!     Effect::StopReceiving,
//!     Effect::EndReceiverTrack { cause: StopCause::TransceiverStopped, fire_event: true },
//!     Effect::UpdateNegotiationNeeded,
//! ]);
//!
//! // The direction setter now throws InvalidStateError, and changes nothing.
//! assert!(t.handle(Input::SetDirection(Direction::RecvOnly)).is_err());
//!
//! // Renegotiation: the answer rejects the section (port 0); the transceiver is stopped and,
//! // once the answer is applied, removed.
//! t.handle(Input::LocalDescription {
//!     kind: DescriptionKind::Offer,
//!     section: Section::rejected("0", Direction::Inactive),
//! })?;
//! t.handle(Input::RemoteDescription {
//!     kind: DescriptionKind::Answer,
//!     section: Section::rejected("0", Direction::Inactive),
//! })?;
//! t.handle(Input::AnswerApplied { rejected: true })?;
//! assert!(t.is_removed());
//! assert_eq!(t.mid(), None);
//! # Ok::<(), tacet_transceiver_fsm::Error>(())
//! ```
//!
//! # Relationship to the other crates
//!
//! `tacet-transceiver-fsm` depends on nothing of tacet. `tacet-session` owns one machine per
//! transceiver, decides which facts each description gives it (association, recycling,
//! rejection, rollback actions), attaches SSRCs and tracks to its effects, and applies
//! [`Effect::EndReceiverTrack`] to a `tacet-track` receiver track. `tacet-rtc` finally executes
//! the effects on the wire. The normative description is `docs/stop-semantics.md`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod direction;
mod effect;
mod error;
mod input;
pub mod stop_table;
pub mod table;
mod transceiver;

pub use direction::{Direction, ParseDirectionError, TransceiverDirection};
pub use effect::{Effect, StopCause};
pub use error::{Blocker, Error, Fault, rule};
pub use input::{DescriptionKind, Input, InputKind, Mid, RollbackAction, Section};
pub use table::Handled;
pub use transceiver::Transceiver;
