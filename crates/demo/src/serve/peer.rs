//! The tacet peer of the page: one [`PeerConnection`] per page load, driven by one loop that
//! takes the page's first offer (from HTTP), the terminal's commands and the connection's
//! events, one at a time — so the negotiation state is only ever touched from here.
//!
//! Channels: the page creates `signal` (descriptions, candidates, goodbye; signal.rs) and
//! `chat` (each message echoed with the prefix `echo: `, each terminal `chat TEXT` sent as
//! `tacet: TEXT`). The media the page sends is echoed back (echo.rs).

use std::collections::HashSet;
use std::future::pending;
use std::hash::{BuildHasher, RandomState};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tacet_rtc::signaling::{SignalMessage, decode_line, encode_line};
use tacet_rtc::{ChannelId, Event, Events, Message, PeerConfig, PeerConnection};
use tacet_sdp::{Fingerprint, SdpType};
use tacet_session::{PeerPolicy, SessionConfig, TransceiverId, TransceiverInit};
use tacet_track::TrackKind;
use tokio::sync::{mpsc, oneshot};

use super::commands::Command;
use super::http::Refusal;
use super::signal::{Heard, Negotiation};
use super::{echo, say};

/// How long tacet's goodbye gets to leave before the connection closes.
const BYE_GRACE: Duration = Duration::from_millis(300);

/// What the peer's loop takes besides the connection's events.
#[derive(Debug)]
pub(crate) enum Input {
    /// The page's first offer (`{"type": "offer", "sdp": ...}`) and where the answer goes.
    Offer {
        text: String,
        reply: oneshot::Sender<Result<String, Refusal>>,
    },
    /// A terminal command.
    Command(Command),
}

/// One page's connection.
struct Peer {
    pc: PeerConnection,
    events: Events,
    negotiation: Negotiation,
    chat: Option<ChannelId>,
    /// Transceivers whose media is echoed already.
    echoed: HashSet<TransceiverId>,
    closed: bool,
}

/// Runs the peer until `inputs` ends.
pub(crate) async fn run(mut inputs: mpsc::Receiver<Input>) {
    let mut peer: Option<Peer> = None;
    loop {
        tokio::select! {
            input = inputs.recv() => match input {
                None => return,
                Some(Input::Offer { text, reply }) => {
                    let answer = connect(&mut peer, &text).await;
                    let _ = reply.send(answer);
                }
                Some(Input::Command(command)) => match peer.as_mut() {
                    Some(p) if !p.closed => p.command(command).await,
                    Some(_) => say("error: the connection is closed; reload the page for a new one"),
                    None => say("error: no page is connected yet: open the page's URL"),
                },
            },
            event = next_event(&mut peer) => match (event, peer.as_mut()) {
                (Some(event), Some(p)) => p.on_event(event).await,
                _ => {
                    say("the connection's task ended");
                    peer = None;
                }
            },
        }
        if let Some(p) = peer.as_mut().filter(|p| !p.closed) {
            p.negotiation.offer_if_needed(&p.pc).await;
        }
    }
}

/// The current peer's next event; never, without a peer.
async fn next_event(peer: &mut Option<Peer>) -> Option<Event> {
    match peer {
        Some(p) => p.events.next().await,
        None => pending().await,
    }
}

/// A page's first offer: a new connection (replacing the last page's), its answer.
async fn connect(peer: &mut Option<Peer>, text: &str) -> Result<String, Refusal> {
    let refused = |status: u16, reason: String| Refusal { status, reason };
    let offer = match decode_line(text) {
        Ok(Some(SignalMessage::Description(d))) if d.sdp_type == SdpType::Offer => *d,
        Ok(_) => return Err(refused(400, "page: POST /offer takes an offer".into())),
        Err(reason) => return Err(refused(400, format!("page: the offer: {reason}"))),
    };
    if let Some(old) = peer.take() {
        say("a new page connects: the last one's connection closes");
        let _ = old.pc.close().await;
    }
    let placeholder = Fingerprint::new("sha-256", &[0; 32]).map_err(|e| {
        refused(
            500,
            format!("local (tacet): a placeholder fingerprint: {e}"),
        )
    })?;
    let mut session = SessionConfig::new(placeholder);
    // Browsers bend a few rules tacet reads tolerantly (tacet-peer's default too).
    session.peer_policy = PeerPolicy::Tolerant;
    let config = PeerConfig {
        session,
        ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seed: RandomState::new().hash_one("tacet-demo"),
    };
    let mut pc = PeerConnection::new(config).map_err(|e| {
        refused(
            500,
            format!("local (tacet): cannot start a connection: {e}"),
        )
    })?;
    let events = pc.take_events();
    let mut p = Peer {
        pc,
        events,
        negotiation: Negotiation::default(),
        chat: None,
        echoed: HashSet::new(),
        closed: false,
    };
    say(&format!("page offers: {}", p.negotiation.summary(&offer)));
    let (answer, echo) = p.negotiation.answer(&p.pc, offer).await.map_err(|reason| {
        let status = if reason.starts_with("page") { 422 } else { 500 };
        say(&format!("error: {reason}"));
        refused(status, reason)
    })?;
    for id in echo {
        p.echo(id).await;
    }
    say(&format!(
        "tacet answers: {}",
        p.negotiation.summary(&answer)
    ));
    *peer = Some(p);
    Ok(encode_line(Some(&SignalMessage::Description(Box::new(
        answer,
    )))))
}

impl Peer {
    async fn on_event(&mut self, event: Event) {
        match event {
            Event::DataChannelOpen { channel, label } => {
                say(&format!("data channel {label:?} open"));
                match label.as_str() {
                    "signal" => self.negotiation.open(channel),
                    "chat" => self.chat = Some(channel),
                    _ => {}
                }
            }
            Event::DataChannelMessage { channel, message } => {
                if Some(channel) == self.negotiation.channel() {
                    self.on_signal(message).await;
                } else if Some(channel) == self.chat {
                    self.on_chat(message).await;
                }
            }
            Event::DataChannelClosed { channel } => {
                if Some(channel) == self.chat {
                    say("data channel \"chat\" closed");
                } else if Some(channel) == self.negotiation.channel() {
                    say("data channel \"signal\" closed");
                }
            }
            Event::Session(tacet_session::Event::Track { transceiver, .. }) => {
                self.echo(transceiver).await;
            }
            Event::Session(tacet_session::Event::ModeChanged { from, to }) => {
                say(&format!("mode: {from} -> {to}"));
            }
            Event::ConnectionStateChange(phase) => say(&format!("connection: {phase:?}")),
            Event::SctpLost { reason } => say(&format!("sctp lost: {reason}")),
            _ => {}
        }
    }

    async fn on_signal(&mut self, message: Message) {
        let Message::Text(text) = message else {
            say("error: page: a binary message on the signal channel, ignored");
            return;
        };
        match self.negotiation.hear(&self.pc, &text).await {
            Heard::Done => {}
            Heard::Answered { answer, echo } => {
                for id in echo {
                    self.echo(id).await;
                }
                say(&format!(
                    "tacet answers: {}",
                    self.negotiation.summary(&answer)
                ));
                let answer = SignalMessage::Description(answer);
                self.negotiation.send(&self.pc, Some(&answer)).await;
            }
            Heard::Bye => {
                say("page said goodbye: closing");
                self.close().await;
            }
        }
    }

    async fn on_chat(&mut self, message: Message) {
        let Some(chat) = self.chat else { return };
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(bytes) => format!("({} bytes of binary)", bytes.len()),
        };
        // Numbered messages (the page's automatic ones) would flood the terminal.
        if !text.starts_with('#') {
            say(&format!("chat from page: {text}"));
        }
        if let Err(e) = self
            .pc
            .send(chat, Message::Text(format!("echo: {text}")))
            .await
        {
            say(&format!(
                "error: local (tacet): the chat echo was not sent: {e}"
            ));
        }
    }

    /// Echoes what the page sends on `transceiver` (once).
    async fn echo(&mut self, transceiver: TransceiverId) {
        if !self.echoed.insert(transceiver) {
            return;
        }
        let kind = self
            .pc
            .with_connection(move |c| c.session().transceiver(transceiver).map(|t| t.kind()))
            .await;
        let Ok(Some(kind)) = kind else {
            say("error: local (tacet): a transceiver to echo is gone");
            return;
        };
        match self.pc.receiver(transceiver).await {
            Ok(receiver) => {
                let sender = self.pc.sender(transceiver);
                tokio::spawn(echo::run(receiver, sender, kind));
            }
            Err(e) => say(&format!("error: local (tacet): no receiver to echo: {e}")),
        }
    }

    async fn command(&mut self, command: Command) {
        self.negotiation.release();
        match command {
            Command::StopVideo => self.stop_one(TrackKind::Video).await,
            Command::StopAudio => self.stop_one(TrackKind::Audio).await,
            Command::StopMedia => {
                match self
                    .pc
                    .with_session(tacet_session::Session::stop_media)
                    .await
                {
                    Ok(Ok(stopped)) if stopped.is_empty() => {
                        say("error: no audio or video to stop (already data-only)");
                    }
                    Ok(Ok(stopped)) => say(&format!("stopping {} transceivers", stopped.len())),
                    Ok(Err(e)) => say(&format!("error: stop media: {e}")),
                    Err(e) => say(&format!("error: local (tacet): {e}")),
                }
            }
            Command::AddVideo => {
                let added = self
                    .pc
                    .with_session(|s| {
                        s.add_transceiver(TrackKind::Video, TransceiverInit::default())
                    })
                    .await;
                match added {
                    Ok(Ok(id)) => {
                        say("adding a video transceiver");
                        // The route is in place before the offer leaves: the page's first
                        // packets on it are echoed.
                        self.echo(id).await;
                    }
                    Ok(Err(e)) => say(&format!("error: add video: {e}")),
                    Err(e) => say(&format!("error: local (tacet): {e}")),
                }
            }
            Command::Chat(text) => match self.chat {
                Some(chat) => {
                    let text = Message::Text(format!("tacet: {text}"));
                    if let Err(e) = self.pc.send(chat, text).await {
                        say(&format!("error: chat: {e}"));
                    }
                }
                None => say("error: the chat channel is not open yet"),
            },
            Command::Close => {
                self.negotiation.send(&self.pc, None).await;
                tokio::time::sleep(BYE_GRACE).await;
                self.close().await;
            }
            Command::Help => {}
        }
    }

    /// Stops the first live transceiver of `kind`.
    async fn stop_one(&mut self, kind: TrackKind) {
        let stopped = self
            .pc
            .with_session(move |s| {
                let id = s
                    .transceivers()
                    .find(|t| t.kind() == kind && t.mid().is_some() && !t.is_stopping())
                    .map(|t| t.id());
                match id {
                    Some(id) => s.transceiver_mut(id)?.stop().map(|()| true),
                    None => Ok(false),
                }
            })
            .await;
        match stopped {
            Ok(Ok(true)) => say(&format!("stopping the {kind} transceiver")),
            Ok(Ok(false)) => say(&format!("error: no live {kind} transceiver to stop")),
            Ok(Err(e)) => say(&format!("error: stop {kind}: {e}")),
            Err(e) => say(&format!("error: local (tacet): {e}")),
        }
    }

    async fn close(&mut self) {
        self.closed = true;
        if let Err(e) = self.pc.close().await {
            say(&format!("error: local (tacet): close: {e}"));
        }
        say("closed");
    }
}
