//! Perfect negotiation (webrtc-pc §10.7 "Perfect negotiation example") on the pure API: two
//! peers run the same code, and when their offers cross (glare) the **polite** one rolls its
//! offer back and answers, while the **impolite** one ignores the offer it received and waits
//! for the answer to its own.
//!
//! The browser pattern needs `makingOffer` and `isSettingRemoteAnswerPending` because its
//! calls are asynchronous: an offer can arrive while `setLocalDescription()` is still running.
//! Here every call completes before the next message is handled, so "ready for an offer" is
//! simply "the signaling state is stable"; the rest of the pattern — ignore-offer, implicit
//! rollback inside `setRemoteDescription`, answering with a parameterless
//! `setLocalDescription()`, and swallowing candidate errors for an ignored offer — is kept as
//! the spec writes it.
//!
//! The signaling channel must deliver each direction's messages in order (as the pattern
//! assumes); it may delay them and interleave the two directions arbitrarily.

use tacet_sdp::{SdpType, SessionDescription};

use crate::error::Error;
use crate::ice::RemoteCandidate;
use crate::session::Session;
use crate::signaling::SignalingState;

/// Which side yields when offers collide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Rolls its own offer back and answers the peer's.
    Polite,
    /// Ignores a colliding offer; its own offer wins.
    Impolite,
}

/// One message of the signaling channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// An offer or an answer (boxed: a description is large next to a candidate).
    Description(Box<SessionDescription>),
    /// A trickled candidate.
    Candidate(RemoteCandidate),
}

/// What [`PerfectNegotiation::handle`] did with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handled {
    /// An offer that collided with ours, ignored (impolite side), or a candidate that belonged
    /// to such an offer and failed.
    Ignored,
    /// Applied; nothing to send back.
    Applied,
    /// An offer was applied (rolling ours back if it collided) and answered: send this answer.
    Answered(Box<SessionDescription>),
}

/// The perfect-negotiation logic of one peer. It holds no session: every call takes the
/// session it drives, so the application keeps ownership and can use the session in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerfectNegotiation {
    role: Role,
    /// The last offer was ignored: errors of candidates that follow are expected.
    ignore_offer: bool,
    /// Offers ignored so far.
    ignored_offers: u64,
    /// Offers rolled back to accept the peer's so far.
    rollbacks: u64,
}

impl PerfectNegotiation {
    /// A negotiator with this role.
    pub fn new(role: Role) -> Self {
        Self {
            role,
            ignore_offer: false,
            ignored_offers: 0,
            rollbacks: 0,
        }
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Offers this side ignored because they collided with its own (impolite side).
    pub fn ignored_offers(&self) -> u64 {
        self.ignored_offers
    }

    /// Local offers this side rolled back to accept the peer's (polite side).
    pub fn rollbacks(&self) -> u64 {
        self.rollbacks
    }

    /// The `negotiationneeded` handler: when the session is stable and negotiation is needed,
    /// creates and sets an offer and returns it to send. Returns `None` otherwise — the event
    /// may be stale (webrtc-pc checks the flag again before firing; a queued event is checked
    /// here), and a session that is not stable fires it again when it becomes stable.
    pub fn offer_if_needed(
        &mut self,
        session: &mut Session,
    ) -> Result<Option<SessionDescription>, Error> {
        if session.signaling_state() != SignalingState::Stable || !session.is_negotiation_needed() {
            return Ok(None);
        }
        session.set_local_description_implicit().map(Some)
    }

    /// The signaling channel's `onmessage`: applies a description or a candidate from the
    /// peer and says what to send back.
    pub fn handle(&mut self, session: &mut Session, signal: Signal) -> Result<Handled, Error> {
        match signal {
            Signal::Description(description) => self.handle_description(session, *description),
            Signal::Candidate(candidate) => match session.add_remote_candidate(candidate) {
                Ok(_) => Ok(Handled::Applied),
                // A candidate of the offer we ignored names sections we never saw.
                Err(_) if self.ignore_offer => Ok(Handled::Ignored),
                Err(e) => Err(e),
            },
        }
    }

    fn handle_description(
        &mut self,
        session: &mut Session,
        description: SessionDescription,
    ) -> Result<Handled, Error> {
        let is_offer = description.sdp_type == SdpType::Offer;
        let ready_for_offer = session.signaling_state() == SignalingState::Stable;
        let offer_collision = is_offer && !ready_for_offer;
        self.ignore_offer = self.role == Role::Impolite && offer_collision;
        if self.ignore_offer {
            self.ignored_offers += 1;
            return Ok(Handled::Ignored);
        }
        // The polite side's setRemoteDescription rolls its offer back (implicit rollback);
        // answer and offer are applied atomically, so a refused offer leaves the session as
        // it was (the rollback included).
        let rolled_back =
            offer_collision && session.signaling_state() == SignalingState::HaveLocalOffer;
        if !is_offer {
            session.set_remote_description(description)?;
            return Ok(Handled::Applied);
        }
        let answer = session.call(|s| {
            s.set_remote_description(description)?;
            s.set_local_description_implicit()
        })?;
        if rolled_back {
            self.rollbacks += 1;
        }
        Ok(Handled::Answered(Box::new(answer)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use tacet_sdp::Fingerprint;
    use tacet_track::TrackKind;

    use super::*;
    use crate::{SessionConfig, TransceiverInit};

    fn session(seed: u64, byte: u8) -> Session {
        let fingerprint = Fingerprint::new("sha-256", &[byte; 32]).unwrap();
        Session::new(SessionConfig::new(fingerprint), seed)
    }

    fn offering(seed: u64, byte: u8) -> (Session, SessionDescription) {
        let mut s = session(seed, byte);
        s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
            .unwrap();
        let offer = PerfectNegotiation::new(Role::Polite)
            .offer_if_needed(&mut s)
            .unwrap()
            .unwrap();
        (s, offer)
    }

    #[test]
    fn no_offer_without_need_or_outside_stable() {
        let mut s = session(1, 1);
        let mut pn = PerfectNegotiation::new(Role::Polite);
        assert_eq!(pn.offer_if_needed(&mut s).unwrap(), None);
        let (mut s, _) = offering(1, 1);
        s.add_transceiver(TrackKind::Video, TransceiverInit::default())
            .unwrap();
        // have-local-offer: the event comes back once stable.
        assert_eq!(pn.offer_if_needed(&mut s).unwrap(), None);
    }

    #[test]
    fn impolite_ignores_a_colliding_offer_and_polite_yields() {
        let (mut polite, polite_offer) = offering(1, 1);
        let (mut impolite, impolite_offer) = offering(2, 2);
        let mut p = PerfectNegotiation::new(Role::Polite);
        let mut i = PerfectNegotiation::new(Role::Impolite);

        let before = impolite.clone();
        assert_eq!(
            i.handle(&mut impolite, Signal::Description(Box::new(polite_offer)))
                .unwrap(),
            Handled::Ignored
        );
        assert_eq!(impolite, before, "an ignored offer changes nothing");
        assert_eq!(i.ignored_offers(), 1);

        let Handled::Answered(answer) = p
            .handle(&mut polite, Signal::Description(Box::new(impolite_offer)))
            .unwrap()
        else {
            panic!("the polite side answers");
        };
        assert_eq!(p.rollbacks(), 1);
        assert_eq!(polite.signaling_state(), SignalingState::Stable);
        assert_eq!(
            i.handle(&mut impolite, Signal::Description(answer))
                .unwrap(),
            Handled::Applied
        );
        assert_eq!(impolite.signaling_state(), SignalingState::Stable);
        // The polite side's own transceiver still needs negotiating.
        assert!(p.offer_if_needed(&mut polite).unwrap().is_some());
    }

    #[test]
    fn candidate_errors_after_an_ignored_offer_are_swallowed_only_then() {
        let (mut impolite, _) = offering(2, 2);
        let (_, polite_offer) = offering(1, 1);
        let mut i = PerfectNegotiation::new(Role::Impolite);
        let stray = Signal::Candidate(RemoteCandidate {
            candidate: None,
            mid: Some("nope".into()),
            ..RemoteCandidate::default()
        });
        // No remote description: an error the application must see.
        assert!(i.handle(&mut impolite, stray.clone()).is_err());
        i.handle(&mut impolite, Signal::Description(Box::new(polite_offer)))
            .unwrap();
        assert_eq!(i.handle(&mut impolite, stray).unwrap(), Handled::Ignored);
    }

    #[test]
    fn a_refused_offer_undoes_the_implicit_rollback() {
        let (mut polite, _) = offering(1, 1);
        let (_, mut bad) = offering(2, 2);
        // Two m-sections with one mid (RFC 9429 §5.10: mids are unique).
        let copy = bad.media[0].clone();
        bad.media.push(copy);
        let before = polite.clone();
        let mut p = PerfectNegotiation::new(Role::Polite);
        assert!(
            p.handle(&mut polite, Signal::Description(Box::new(bad)))
                .is_err()
        );
        assert_eq!(polite, before);
        assert_eq!(p.rollbacks(), 0);
    }
}
