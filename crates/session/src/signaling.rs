//! The signaling state machine (webrtc-pc §4.3.1, RFC 9429 §3.2): one table for which
//! description type may be set in which state, and where it leads.

use std::fmt;

use tacet_sdp::SdpType;

use crate::error::Error;

/// `RTCSignalingState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignalingState {
    /// `"stable"`: no offer/answer exchange in progress.
    Stable,
    /// `"have-local-offer"`.
    HaveLocalOffer,
    /// `"have-remote-offer"`.
    HaveRemoteOffer,
    /// `"have-local-pranswer"`.
    HaveLocalPranswer,
    /// `"have-remote-pranswer"`.
    HaveRemotePranswer,
    /// `"closed"`.
    Closed,
}

impl SignalingState {
    /// The W3C string value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Stable => "stable",
            Self::HaveLocalOffer => "have-local-offer",
            Self::HaveRemoteOffer => "have-remote-offer",
            Self::HaveLocalPranswer => "have-local-pranswer",
            Self::HaveRemotePranswer => "have-remote-pranswer",
            Self::Closed => "closed",
        }
    }
}

impl fmt::Display for SignalingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which side sets the description.
#[cfg_attr(
    not(feature = "internals"),
    allow(unreachable_pub, reason = "public only through the internals feature")
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// `setLocalDescription`.
    Local,
    /// `setRemoteDescription`.
    Remote,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Self::Local => "locally",
            Self::Remote => "remotely",
        }
    }
}

/// The transition table (webrtc-pc "set the session description" validity checks and
/// RFC 9429 §3.2 figure): the state after setting a description of `sdp_type` on `side` in
/// `state`, or the InvalidStateError.
///
/// Rollback is valid only while an offer is pending (have-local-offer, have-remote-offer):
/// webrtc-pc throws InvalidStateError in stable and in the pranswer states.
/// spec: webrtc-pc "set the session description" validity; RFC 9429 §3.2 (rule 1.6g).
#[cfg_attr(
    not(feature = "internals"),
    allow(unreachable_pub, reason = "public only through the internals feature")
)]
pub fn next(state: SignalingState, side: Side, sdp_type: SdpType) -> Result<SignalingState, Error> {
    use SdpType::{Answer, Offer, Pranswer, Rollback};
    use Side::{Local, Remote};
    use SignalingState::*;
    let next = match (state, side, sdp_type) {
        (Stable | HaveLocalOffer, Local, Offer) => HaveLocalOffer,
        (Stable | HaveRemoteOffer, Remote, Offer) => HaveRemoteOffer,
        (HaveRemoteOffer | HaveLocalPranswer, Local, Answer) => Stable,
        (HaveRemoteOffer | HaveLocalPranswer, Local, Pranswer) => HaveLocalPranswer,
        (HaveLocalOffer | HaveRemotePranswer, Remote, Answer) => Stable,
        (HaveLocalOffer | HaveRemotePranswer, Remote, Pranswer) => HaveRemotePranswer,
        (HaveLocalOffer | HaveRemoteOffer, _, Rollback) => Stable,
        (state, side, sdp_type) => {
            return Err(Error::WrongSignalingState {
                side: side.as_str(),
                sdp_type,
                state,
                rule: "webrtc-pc: set the session description (validity per signaling state); RFC 9429 §3.2",
            });
        }
    };
    Ok(next)
}

/// Whether setting `sdp_type` on `side` in `state` first rolls the pending local offer back
/// (glare). webrtc-pc setRemoteDescription: "If description.type is "offer" and is invalid for
/// the current signaling state", the local description is set to rollback first — which
/// succeeds only in have-local-offer (RFC 9429 §4.1.8.2: a remote offer in have-local-offer
/// is glare, resolved by rolling back).
#[cfg_attr(
    not(feature = "internals"),
    allow(unreachable_pub, reason = "public only through the internals feature")
)]
pub fn rolls_back_first(state: SignalingState, side: Side, sdp_type: SdpType) -> bool {
    state == SignalingState::HaveLocalOffer && side == Side::Remote && sdp_type == SdpType::Offer
}

/// The type a parameterless `setLocalDescription()` creates and sets (webrtc-pc
/// setLocalDescription, "If type is undefined"): an offer in stable, have-local-offer and
/// have-remote-pranswer, else an answer.
pub(crate) fn implicit_local_type(state: SignalingState) -> SdpType {
    match state {
        SignalingState::Stable
        | SignalingState::HaveLocalOffer
        | SignalingState::HaveRemotePranswer => SdpType::Offer,
        _ => SdpType::Answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SdpType::*;
    use Side::*;
    use SignalingState::*;

    #[test]
    fn offer_answer_cycles() {
        assert_eq!(next(Stable, Local, Offer), Ok(HaveLocalOffer));
        assert_eq!(next(HaveLocalOffer, Remote, Answer), Ok(Stable));
        assert_eq!(next(Stable, Remote, Offer), Ok(HaveRemoteOffer));
        assert_eq!(
            next(HaveRemoteOffer, Local, Pranswer),
            Ok(HaveLocalPranswer)
        );
        assert_eq!(next(HaveLocalPranswer, Local, Answer), Ok(Stable));
        assert_eq!(
            next(HaveLocalOffer, Remote, Pranswer),
            Ok(HaveRemotePranswer)
        );
        assert_eq!(next(HaveRemotePranswer, Remote, Answer), Ok(Stable));
        // A new local offer may replace a pending one.
        assert_eq!(next(HaveLocalOffer, Local, Offer), Ok(HaveLocalOffer));
    }

    // webrtc-pc: rollback in stable, have-local-pranswer or have-remote-pranswer throws.
    #[test]
    fn rollback_only_while_an_offer_is_pending() {
        for side in [Local, Remote] {
            assert_eq!(next(HaveLocalOffer, side, Rollback), Ok(Stable));
            assert_eq!(next(HaveRemoteOffer, side, Rollback), Ok(Stable));
            for state in [Stable, HaveLocalPranswer, HaveRemotePranswer, Closed] {
                assert!(next(state, side, Rollback).is_err(), "{state} {side:?}");
            }
        }
    }

    // Only a remote offer over a pending local offer rolls back implicitly; the pranswer
    // states refuse a new remote offer (rollback is invalid there).
    #[test]
    fn implicit_rollback_only_on_remote_offer_in_have_local_offer() {
        assert!(rolls_back_first(HaveLocalOffer, Remote, Offer));
        for state in [
            Stable,
            HaveRemoteOffer,
            HaveLocalPranswer,
            HaveRemotePranswer,
            Closed,
        ] {
            assert!(!rolls_back_first(state, Remote, Offer), "{state}");
        }
        assert!(!rolls_back_first(HaveLocalOffer, Local, Offer));
        assert!(!rolls_back_first(HaveLocalOffer, Remote, Answer));
        assert!(next(HaveLocalPranswer, Remote, Offer).is_err());
    }

    #[test]
    fn implicit_local_type_per_state() {
        assert_eq!(implicit_local_type(Stable), Offer);
        assert_eq!(implicit_local_type(HaveLocalOffer), Offer);
        assert_eq!(implicit_local_type(HaveRemotePranswer), Offer);
        assert_eq!(implicit_local_type(HaveRemoteOffer), Answer);
        assert_eq!(implicit_local_type(HaveLocalPranswer), Answer);
    }

    #[test]
    fn answers_need_an_offer_and_closed_refuses_everything() {
        assert!(next(Stable, Local, Answer).is_err());
        assert!(next(Stable, Remote, Answer).is_err());
        assert!(next(HaveLocalOffer, Local, Answer).is_err());
        for t in [Offer, Pranswer, Answer, Rollback] {
            assert!(next(Closed, Local, t).is_err());
            assert!(next(Closed, Remote, t).is_err());
        }
    }
}
