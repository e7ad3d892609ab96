//! Signaling over the data channel: after the first offer/answer (over HTTP), every
//! description, candidate and refusal crosses the page's `signal` data channel, one JSON
//! object a message in aiortc's format (tacet-rtc's `encode_line`/`decode_line`), and either
//! side may offer.
//!
//! **Glare** follows perfect negotiation (webrtc-pc §10.7): tacet is the polite peer (its
//! `setRemoteDescription` of a colliding offer rolls its own offer back, and the change it
//! wanted is offered again once stable), the page the impolite one (it ignores a colliding
//! offer and waits for the answer to its own).
//!
//! **Why not the connection's own negotiator** (`PeerConnection::with_signaling`): it answers
//! inside one call, and the demo must change the answer — a transceiver the page's offer
//! creates is `recvonly` (RFC 9429 §5.10) and the echo needs it `sendrecv` in that very answer,
//! so the browser's first packet, a keyframe, is echoed (tacet-rtc does not pass the browser's
//! keyframe requests, RTCP PLI, to the application, so a later start could not ask for one).
//! So the demo runs the pattern itself on the session calls, with the same rules.

use tacet_rtc::signaling::{SignalMessage, decode_line, encode_line};
use tacet_rtc::{ChannelId, Message, PeerConnection};
use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{Direction, SignalingState, TransceiverId};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::TransceiverDirection;

use super::say;

/// What a message from the page asked for.
#[derive(Debug)]
pub(crate) enum Heard {
    /// Nothing more to do.
    Done,
    /// An offer was applied and answered: echo these new transceivers, then send the answer.
    Answered {
        answer: Box<SessionDescription>,
        echo: Vec<TransceiverId>,
    },
    /// The page said goodbye.
    Bye,
}

/// The negotiation state of the peer.
#[derive(Debug, Default)]
pub(crate) struct Negotiation {
    /// The `signal` channel, once open.
    channel: Option<ChannelId>,
    /// After the page refused an offer, tacet does not offer again until the next command
    /// (offering the same change again would loop).
    held: bool,
    /// The BUNDLE tag (first mid of the group) of the last description.
    tag: Option<String>,
}

impl Negotiation {
    /// The `signal` channel opened.
    pub(crate) fn open(&mut self, channel: ChannelId) {
        self.channel = Some(channel);
    }

    /// The `signal` channel.
    pub(crate) fn channel(&self) -> Option<ChannelId> {
        self.channel
    }

    /// A command of the user's: automatic offers resume.
    pub(crate) fn release(&mut self) {
        self.held = false;
    }

    /// Applies `offer` and answers it, turning the transceivers it creates to `sendrecv` (the
    /// echo). Atomic: an offer that cannot be answered is rolled back. Returns the answer (with
    /// tacet's candidates) and the transceivers to echo.
    pub(crate) async fn answer(
        &mut self,
        pc: &PeerConnection,
        offer: SessionDescription,
    ) -> Result<(SessionDescription, Vec<TransceiverId>), String> {
        let echo = pc
            .with_session(move |s| {
                if s.signaling_state() == SignalingState::HaveLocalOffer {
                    say("glare: the page's offer crossed tacet's; tacet (polite) rolls its own back");
                }
                // Implicit rollback of a colliding offer of ours: tacet is polite.
                s.set_remote_description(offer)
                    .map_err(|e| format!("page: its offer cannot be applied: {e}"))?;
                let new: Vec<TransceiverId> = s
                    .transceivers()
                    .filter(|t| {
                        !t.is_stopping()
                            && t.direction() == TransceiverDirection::RecvOnly
                            && matches!(t.kind(), TrackKind::Audio | TrackKind::Video)
                    })
                    .map(|t| t.id())
                    .collect();
                let answered = new
                    .iter()
                    .try_for_each(|id| s.transceiver_mut(*id)?.set_direction(Direction::SendRecv))
                    .and_then(|()| s.set_local_description_implicit());
                match answered {
                    Ok(_) => Ok(new),
                    Err(e) => {
                        // Leaves the session as it was before the offer.
                        let _ = s.set_remote_description(SessionDescription::rollback());
                        Err(format!("local (tacet): cannot answer the page's offer: {e}"))
                    }
                }
            })
            .await
            .map_err(|e| format!("local (tacet): {e}"))??;
        let answer = self.local(pc).await?;
        Ok((answer, echo))
    }

    /// One message from the `signal` channel.
    pub(crate) async fn hear(&mut self, pc: &PeerConnection, text: &str) -> Heard {
        let message = match decode_line(text) {
            Ok(Some(message)) => message,
            Ok(None) => return Heard::Bye,
            Err(reason) => {
                say(&format!(
                    "error: page: a signaling message tacet cannot read: {reason}"
                ));
                return Heard::Done;
            }
        };
        match message {
            SignalMessage::Description(d) if d.sdp_type == SdpType::Offer => {
                say(&format!("page offers: {}", self.summary(&d)));
                match self.answer(pc, *d).await {
                    Ok((answer, echo)) => Heard::Answered {
                        answer: Box::new(answer),
                        echo,
                    },
                    Err(reason) => {
                        self.refuse(pc, reason).await;
                        Heard::Done
                    }
                }
            }
            SignalMessage::Description(d) => {
                say(&format!("page answers: {}", self.summary(&d)));
                let applied = pc
                    .with_session(move |s| {
                        s.set_remote_description(*d).map_err(|e| {
                            let _ = s.set_local_description(SessionDescription::rollback());
                            format!("page: its answer cannot be applied: {e}")
                        })
                    })
                    .await;
                match applied {
                    Ok(Ok(())) => {}
                    Ok(Err(reason)) => {
                        self.held = true;
                        self.refuse(pc, reason).await;
                    }
                    Err(e) => say(&format!("error: local (tacet): {e}")),
                }
                Heard::Done
            }
            SignalMessage::Candidate(candidate) => {
                if let Err(e) = pc.add_ice_candidate(candidate).await {
                    say(&format!("error: page: a candidate tacet cannot use: {e}"));
                }
                Heard::Done
            }
            SignalMessage::Refused { reason } => {
                say(&format!(
                    "page refused tacet's offer: {reason}; tacet rolls it back"
                ));
                self.held = true;
                let rolled = pc
                    .with_session(|s| {
                        if s.signaling_state() == SignalingState::HaveLocalOffer {
                            s.set_local_description(SessionDescription::rollback())
                        } else {
                            Ok(())
                        }
                    })
                    .await;
                match rolled {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => say(&format!("error: local (tacet): the rollback failed: {e}")),
                    Err(e) => say(&format!("error: local (tacet): the rollback failed: {e}")),
                }
                Heard::Done
            }
        }
    }

    /// Offers when the session is stable, something needs negotiating, the channel is open
    /// and no refusal holds offers (webrtc-pc `negotiationneeded`).
    pub(crate) async fn offer_if_needed(&mut self, pc: &PeerConnection) {
        if self.held || self.channel.is_none() {
            return;
        }
        let offered = pc
            .with_session(|s| {
                if s.signaling_state() != SignalingState::Stable || !s.is_negotiation_needed() {
                    return Ok(false);
                }
                s.set_local_description_implicit().map(|_| true)
            })
            .await;
        match offered {
            Ok(Ok(true)) => match self.local(pc).await {
                Ok(offer) => {
                    say(&format!("tacet offers: {}", self.summary(&offer)));
                    self.send(pc, Some(&SignalMessage::Description(Box::new(offer))))
                        .await;
                }
                Err(reason) => say(&format!("error: {reason}")),
            },
            Ok(Ok(false)) => {}
            Ok(Err(e)) => {
                self.held = true;
                say(&format!("error: local (tacet): cannot offer: {e}"));
            }
            Err(e) => say(&format!("error: local (tacet): {e}")),
        }
    }

    /// Sends `message` (`None`: goodbye) on the `signal` channel.
    pub(crate) async fn send(&self, pc: &PeerConnection, message: Option<&SignalMessage>) {
        let Some(channel) = self.channel else {
            say("error: local (tacet): no signal channel to send on");
            return;
        };
        let text = encode_line(message);
        if let Err(e) = pc.send(channel, Message::Text(text)).await {
            say(&format!("error: local (tacet): the signal channel: {e}"));
        }
    }

    /// Tells the page its description was refused, and why.
    async fn refuse(&self, pc: &PeerConnection, reason: String) {
        say(&format!("error: {reason}"));
        self.send(pc, Some(&SignalMessage::Refused { reason }))
            .await;
    }

    /// The local description as it is now (with the candidates gathered so far).
    async fn local(&self, pc: &PeerConnection) -> Result<SessionDescription, String> {
        pc.local_description()
            .await
            .map_err(|e| format!("local (tacet): {e}"))?
            .ok_or_else(|| "local (tacet): no local description".to_owned())
    }

    /// One line for a description: its BUNDLE group and m-lines; says so when the BUNDLE tag
    /// moved since the last description.
    pub(crate) fn summary(&mut self, description: &SessionDescription) -> String {
        let group: Vec<&str> = description
            .bundle_groups()
            .next()
            .map(|g| g.mids().collect())
            .unwrap_or_default();
        let tag = group.first().map(|m| (*m).to_owned());
        let mut line = format!("BUNDLE [{}]", group.join(" "));
        for m in &description.media {
            let mid = m
                .mid()
                .map(ToString::to_string)
                .unwrap_or_else(|| "-".into());
            line.push_str(&format!(" | {mid} {} port {}", m.kind, m.port));
            if !m.is_data() {
                line.push_str(&format!(" {}", m.direction()));
            }
        }
        if self.tag.is_some() && tag.is_some() && self.tag != tag {
            line.push_str(&format!(
                " | the BUNDLE tag moved from {} to {}",
                self.tag.as_deref().unwrap_or("-"),
                tag.as_deref().unwrap_or("-")
            ));
        }
        if tag.is_some() {
            self.tag = tag;
        }
        line
    }
}
