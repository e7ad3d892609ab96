//! The signaling pump: carries messages between the peer connection's end of an in-process
//! channel and the wire (aiortc's `TcpSocketSignaling`, or copy-and-paste on stdout/stdin),
//! reports every description sent and received, says goodbye when asked, and tells the main
//! task how the peer's side ended (a `bye`, or gone without one).
//!
//! The pump owns the wire so that `bye` can be written after the connection took its end of
//! the channel, and so that no write is ever cancelled halfway: it waits on cancel-safe
//! receives only and writes in the body of its loop.

use std::sync::Arc;

use serde_json::json;
use tacet_rtc::signaling::{decode_line, encode_line};
use tacet_rtc::{ChannelSignaling, SignalMessage, Signaling, SignalingError, TcpSignaling};
use tokio::sync::{mpsc, oneshot};

use crate::output::Output;

/// How the peer's side of the signaling ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PeerEnd {
    /// It said `{"type": "bye"}`.
    Bye,
    /// It went away without a word, or the channel failed: why.
    Gone(String),
}

/// Where messages go: aiortc's TCP lines, or the terminal.
pub(crate) enum Wire {
    Tcp(TcpSignaling),
    Paste(Paste),
}

impl Wire {
    async fn send(&mut self, out: &Output, message: SignalMessage) -> Result<(), SignalingError> {
        match self {
            Self::Tcp(tcp) => tcp.send(message).await,
            Self::Paste(_) => {
                paste_line(out, &encode_line(Some(&message)));
                Ok(())
            }
        }
    }

    async fn recv(&mut self) -> Option<SignalMessage> {
        match self {
            Self::Tcp(tcp) => tcp.recv().await,
            Self::Paste(paste) => paste.recv().await,
        }
    }

    fn peer_said_bye(&self) -> bool {
        match self {
            Self::Tcp(tcp) => tcp.peer_said_bye(),
            Self::Paste(paste) => paste.bye,
        }
    }

    async fn bye(&mut self, out: &Output) -> Result<(), SignalingError> {
        match self {
            Self::Tcp(tcp) => tcp.bye().await,
            Self::Paste(_) => {
                paste_line(out, &encode_line(None));
                Ok(())
            }
        }
    }
}

/// aiortc's `CopyAndPasteSignaling` prints a prompt, the line, and a blank line; the prompt
/// goes to stderr here so that stdout stays one JSON object per line.
fn paste_line(out: &Output, line: &str) {
    eprintln!("-- Please send this message to the remote party --");
    out.line(line);
}

/// Copy-and-paste signaling: the peer's lines on stdin (read by a thread: a blocking read
/// cannot be cancelled, and the pump's receive must be).
pub(crate) struct Paste {
    lines: mpsc::Receiver<String>,
    bye: bool,
}

impl Paste {
    pub(crate) fn stdin() -> Self {
        let (tx, lines) = mpsc::channel(16);
        std::thread::spawn(move || {
            for line in std::io::stdin().lines() {
                let Ok(line) = line else { return };
                if tx.blocking_send(line).is_err() {
                    return;
                }
            }
        });
        eprintln!("-- Please enter a message from remote party --");
        Self { lines, bye: false }
    }

    async fn recv(&mut self) -> Option<SignalMessage> {
        loop {
            let line = self.lines.recv().await?;
            if line.trim().is_empty() {
                continue;
            }
            match decode_line(line.trim()) {
                Ok(Some(message)) => return Some(message),
                Ok(None) => {
                    self.bye = true;
                    return None;
                }
                // A mistyped paste is the person's to fix, not the end of the session.
                Err(why) => eprintln!("tacet-peer: skipped a pasted line: {why}"),
            }
        }
    }
}

/// What the main task can ask of the pump: say goodbye (the reply once written).
pub(crate) type ByeRequest = oneshot::Sender<Result<(), SignalingError>>;

/// Runs until the peer's side ends (reported on `ended`) or the connection drops its end.
pub(crate) async fn run(
    mut wire: Wire,
    mut connection: ChannelSignaling,
    mut byes: mpsc::Receiver<ByeRequest>,
    out: Arc<Output>,
    ended: oneshot::Sender<PeerEnd>,
) {
    let end = loop {
        tokio::select! {
            message = wire.recv() => match message {
                Some(message) => {
                    report(&out, "received", &message);
                    if connection.send(message).await.is_err() {
                        return;
                    }
                }
                None if wire.peer_said_bye() => {
                    out.event("bye", json!({"direction": "received"}));
                    break PeerEnd::Bye;
                }
                None => break PeerEnd::Gone(
                    "signaling: the peer closed the connection without a bye".to_owned(),
                ),
            },
            message = connection.recv() => {
                let Some(message) = message else { return };
                report(&out, "sent", &message);
                if let Err(e) = wire.send(&out, message).await {
                    break PeerEnd::Gone(e.to_string());
                }
            }
            Some(reply) = byes.recv() => {
                let result = wire.bye(&out).await;
                if result.is_ok() {
                    out.event("bye", json!({"direction": "sent"}));
                }
                let _ = reply.send(result);
            }
        }
    };
    let _ = ended.send(end);
    // The peer's side is over: the connection negotiates no more (its hook reports the channel
    // closed), and a bye asked for now has nobody to go to.
    drop(connection);
    while let Some(reply) = byes.recv().await {
        let _ = reply.send(Err(SignalingError::Closed));
    }
}

fn report(out: &Output, direction: &str, message: &SignalMessage) {
    match message {
        SignalMessage::Description(description) => out.event(
            "sdp",
            json!({
                "direction": direction,
                "type": description.sdp_type.as_str(),
                "sdp": description.write(),
            }),
        ),
        SignalMessage::Candidate(candidate) => out.event(
            "candidate",
            json!({
                "direction": direction,
                "mid": candidate.mid,
                "candidate": candidate.candidate.as_ref().map(|c| c.value().to_owned()),
            }),
        ),
        SignalMessage::Refused { reason } => {
            out.event("refused", json!({"direction": direction, "reason": reason}))
        }
    }
}
