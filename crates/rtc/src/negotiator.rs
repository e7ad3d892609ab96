//! Negotiation without application code: perfect negotiation (webrtc-pc §10.7, tacet-session's
//! [`PerfectNegotiation`]) over a [`Connection`], for a
//! [`PeerConnection`](crate::PeerConnection) with a signaling hook.
//!
//! Pure: it takes `now` and messages, and queues what to send; the shell carries the messages
//! and tells waiting callers when the negotiation they started has settled.
//!
//! | input | what it does |
//! |---|---|
//! | turn of the loop, stable, negotiation needed, not held | createOffer + setLocalDescription; announce it |
//! | peer's offer | perfect negotiation: ignore (impolite, glare) or apply (rolling ours back) and answer; announce the answer |
//! | peer's answer | apply |
//! | peer's description we cannot apply | tell the peer `Refused`; an answer we refused also rolls our offer back |
//! | peer's candidate | `addIceCandidate` (errors of an ignored offer's candidates swallowed) |
//! | peer's `Refused` | roll our offer back, report the refusal to waiting callers, hold |
//! | the application changes something | release the hold |
//!
//! **Hold.** After a refusal, negotiation-needed is still true (the change the peer refused is
//! still wanted) and would fire again at once: offering the same thing to a peer that refused
//! it would loop. Automatic offers stop until the application makes its next change, which
//! releases the hold.
//!
//! **Announce.** A description is sent once the transports it created have their addresses,
//! so it carries their host candidates (non-trickle): the shell binds sockets between setting
//! a description and [`Negotiator::poll_message`], which reads the session's local description
//! then — with the candidates gathered since.

use std::collections::VecDeque;
use std::time::Instant;

use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::SignalingState;
use tacet_session::perfect::{Handled, PerfectNegotiation, Role, Signal};

use crate::connection::Connection;
use crate::error::Error;
use crate::signaling::SignalMessage;

/// One message to send, in order.
#[derive(Debug)]
enum Outgoing {
    /// The session's local description as it is when sent.
    LocalDescription,
    Message(SignalMessage),
}

/// The negotiation state of one connection.
#[derive(Debug)]
pub(crate) struct Negotiator {
    perfect: PerfectNegotiation,
    /// Automatic offers are held after a refusal, until the application changes something.
    held: bool,
    outbox: VecDeque<Outgoing>,
    /// Failures of negotiations the application is waiting for, not yet reported.
    failures: Vec<Error>,
}

impl Negotiator {
    pub(crate) fn new(role: Role) -> Self {
        Self {
            perfect: PerfectNegotiation::new(role),
            held: false,
            outbox: VecDeque::new(),
            failures: Vec::new(),
        }
    }

    /// The application changed something: automatic offers resume.
    pub(crate) fn release(&mut self) {
        self.held = false;
    }

    /// The `negotiationneeded` handler, run at every turn: offers when the session is stable
    /// and negotiation is needed (webrtc-pc §10.7; a stale flag is checked by the helper).
    pub(crate) fn offer_if_needed(&mut self, connection: &mut Connection, now: Instant) {
        if self.held {
            return;
        }
        let perfect = &mut self.perfect;
        match connection.with_session(now, |s| perfect.offer_if_needed(s)) {
            Ok(Some(_)) => self.outbox.push_back(Outgoing::LocalDescription),
            Ok(None) => {}
            Err(error) => {
                // Our own offer could not be made: nothing went out; report it and hold.
                self.failures.push(error.into());
                self.held = true;
            }
        }
    }

    /// The signaling channel's `onmessage`.
    pub(crate) fn on_message(
        &mut self,
        connection: &mut Connection,
        now: Instant,
        message: SignalMessage,
    ) {
        match message {
            SignalMessage::Description(description) => {
                let is_answer = description.sdp_type == SdpType::Answer;
                let perfect = &mut self.perfect;
                let signal = Signal::Description(description);
                match connection.with_session(now, |s| perfect.handle(s, signal)) {
                    Ok(Handled::Answered(_)) => self.outbox.push_back(Outgoing::LocalDescription),
                    Ok(Handled::Applied | Handled::Ignored) => {}
                    Err(error) => {
                        // The session is unchanged (its calls are atomic). The peer learns
                        // why; an answer we cannot apply ends our offer too.
                        let reason = error.to_string();
                        self.outbox
                            .push_back(Outgoing::Message(SignalMessage::Refused { reason }));
                        if is_answer {
                            roll_back(connection, now);
                            self.failures.push(error.into());
                            self.held = true;
                        }
                    }
                }
            }
            SignalMessage::Candidate(candidate) => {
                let perfect = &mut self.perfect;
                let signal = Signal::Candidate(candidate);
                // A candidate the session refuses changes nothing; the session said why in its
                // error, and the transport works on with the candidates it has.
                let _ = connection.with_session(now, |s| perfect.handle(s, signal));
            }
            SignalMessage::Refused { reason } => {
                roll_back(connection, now);
                self.failures.push(Error::Refused { reason });
                self.held = true;
            }
        }
    }

    /// The next message to send: a description is read from the session now, so it carries
    /// the candidates gathered since it was set. An offer that moves a BUNDLE tag waits until
    /// the connection says it may go ([`Connection::may_announce_offer`]); what follows it
    /// waits with it.
    pub(crate) fn poll_message(
        &mut self,
        connection: &Connection,
        now: Instant,
    ) -> Option<SignalMessage> {
        loop {
            match self.outbox.pop_front()? {
                Outgoing::Message(message) => return Some(message),
                Outgoing::LocalDescription if !connection.may_announce_offer(now) => {
                    self.outbox.push_front(Outgoing::LocalDescription);
                    return None;
                }
                Outgoing::LocalDescription => {
                    if let Some(description) = connection.session().local_description() {
                        return Some(SignalMessage::Description(Box::new(description.clone())));
                    }
                    // Rolled back or closed since: nothing to announce.
                }
            }
        }
    }

    /// Failures to report to the callers waiting for a negotiation.
    pub(crate) fn take_failures(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.failures)
    }

    /// Whether every change the application asked for is negotiated: stable, nothing needed.
    pub(crate) fn settled(connection: &Connection) -> bool {
        let session = connection.session();
        session.signaling_state() == SignalingState::Stable && !session.is_negotiation_needed()
    }
}

/// Rolls back a local offer the peer will not answer (webrtc-pc setLocalDescription
/// `{type: "rollback"}`, RFC 9429 §4.1.8.2). In any other state there is nothing to roll back.
fn roll_back(connection: &mut Connection, now: Instant) {
    connection.with_session(now, |s| {
        if s.signaling_state() == SignalingState::HaveLocalOffer {
            // Rolling back a local offer in have-local-offer is always allowed.
            let _ = s.set_local_description(SessionDescription::rollback());
        }
    });
}
