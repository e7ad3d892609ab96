//! A signaling hook over TCP, byte-compatible with aiortc's `TcpSocketSignaling`
//! (`aiortc.contrib.signaling`): one JSON object per line,
//!
//! | message | line |
//! |---|---|
//! | offer / answer | `{"sdp": "<text>", "type": "offer"}` |
//! | candidate | `{"candidate": "candidate:<value>", "id": "<mid>", "label": <m-line index>, "type": "candidate"}` |
//! | goodbye | `{"type": "bye"}` — [`Signaling::recv`] then returns `None` |
//! | refusal (tacet only) | `{"reason": "<text>", "type": "refused"}` — a peer that does not know it skips it |
//!
//! The side that makes the first offer listens ([`TcpSignaling::listen`]); the other connects,
//! retrying until the listener is up ([`TcpSignaling::connect`]). A line that is not one of
//! these is skipped and counted ([`TcpSignaling::skipped`]): the peer's fault, never a reason to
//! end the session.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{Value, json};
use tacet_sdp::{Candidate, SdpType, SessionDescription};
use tacet_session::RemoteCandidate;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{SignalMessage, Signaling, SignalingError};

/// The longest line read (a description with hundreds of m-sections fits; a peer that never
/// sends a newline does not exhaust memory).
const MAX_LINE: usize = 4 << 20;
/// How often [`TcpSignaling::connect`] retries while the listener is not up.
const RETRY: Duration = Duration::from_millis(100);

/// One end of an aiortc-compatible TCP signaling channel.
#[derive(Debug)]
pub struct TcpSignaling {
    writer: OwnedWriteHalf,
    lines: mpsc::Receiver<Line>,
    reader: JoinHandle<()>,
    skipped: u64,
    /// The peer said goodbye (`{"type": "bye"}`), as opposed to the stream just ending.
    bye: bool,
}

/// What the reader task hands over: a line, or the end of the stream (with its error).
type Line = Result<String, String>;

impl Drop for TcpSignaling {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl TcpSignaling {
    /// Listens on `addr` and takes the first connection (aiortc: the offerer is the server).
    pub async fn listen(addr: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let (stream, _) = listener.accept().await?;
        Ok(Self::over(stream))
    }

    /// Connects to `addr`, retrying every 100 ms until it answers or `patience` has passed.
    pub async fn connect(addr: SocketAddr, patience: Duration) -> io::Result<Self> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            match TcpStream::connect(addr).await {
                Ok(stream) => return Ok(Self::over(stream)),
                Err(e) if tokio::time::Instant::now() >= deadline => return Err(e),
                Err(_) => tokio::time::sleep(RETRY).await,
            }
        }
    }

    fn over(stream: TcpStream) -> Self {
        let _ = stream.set_nodelay(true);
        let (read, writer) = stream.into_split();
        let (tx, lines) = mpsc::channel(64);
        // A task reads lines so that `recv` is cancel-safe (a half-read line stays with it).
        let reader = tokio::spawn(async move {
            let mut read = BufReader::new(read);
            let mut line = Vec::new();
            loop {
                line.clear();
                let end = match (&mut read)
                    .take(MAX_LINE as u64 + 1)
                    .read_until(b'\n', &mut line)
                    .await
                {
                    Ok(0) => Err("closed".to_owned()),
                    Ok(_) if line.len() > MAX_LINE => Err(format!("a line over {MAX_LINE} bytes")),
                    Ok(_) => Ok(String::from_utf8_lossy(&line).trim_end().to_owned()),
                    Err(e) => Err(e.to_string()),
                };
                let last = end.is_err();
                if tx.send(end).await.is_err() || last {
                    return;
                }
            }
        });
        Self {
            writer,
            lines,
            reader,
            skipped: 0,
            bye: false,
        }
    }

    /// Lines skipped: not JSON, an unknown type, or a description or candidate that does not
    /// parse.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Whether the peer said goodbye: after [`Signaling::recv`] returned `None`, `true` for the
    /// peer's `{"type": "bye"}` (aiortc's `close()` sends it), `false` for a stream that just
    /// ended (the peer went away without a word).
    pub fn peer_said_bye(&self) -> bool {
        self.bye
    }

    /// Says goodbye (`{"type": "bye"}`), as aiortc does before it closes.
    pub async fn bye(&mut self) -> Result<(), SignalingError> {
        self.write(None).await
    }

    async fn write(&mut self, message: Option<&SignalMessage>) -> Result<(), SignalingError> {
        let mut line = encode_line(message);
        line.push('\n');
        self.writer
            .write_all(line.as_bytes())
            .await
            .map_err(|e| SignalingError::Channel(e.to_string()))
    }
}

/// The line aiortc's `TcpSocketSignaling` writes for `message` (without its newline; keys
/// sorted, as its `json.dumps(sort_keys=True)`); `None` is the goodbye, `{"type": "bye"}`. Also
/// the line of aiortc's `CopyAndPasteSignaling`.
pub fn encode_line(message: Option<&SignalMessage>) -> String {
    match message {
        Some(message) => encode(message).to_string(),
        None => json!({"type": "bye"}).to_string(),
    }
}

/// The JSON object aiortc writes for `message`.
fn encode(message: &SignalMessage) -> Value {
    match message {
        SignalMessage::Description(description) => json!({
            "sdp": description.write(),
            "type": description.sdp_type.as_str(),
        }),
        SignalMessage::Candidate(candidate) => json!({
            "candidate": candidate
                .candidate
                .as_ref()
                .map(|c| format!("candidate:{}", c.value()))
                .unwrap_or_default(),
            "id": candidate.mid,
            "label": candidate.m_line_index,
            "type": "candidate",
        }),
        SignalMessage::Refused { reason } => json!({"reason": reason, "type": "refused"}),
    }
}

/// What one line of aiortc's signaling says: a message, the peer's goodbye (`Ok(None)`), or
/// nothing usable (why, as text).
pub fn decode_line(line: &str) -> Result<Option<SignalMessage>, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    match text("type") {
        Some("bye") => Ok(None),
        Some(kind @ ("offer" | "answer" | "pranswer")) => {
            let sdp_type = match kind {
                "offer" => SdpType::Offer,
                "answer" => SdpType::Answer,
                _ => SdpType::Pranswer,
            };
            let sdp = text("sdp").ok_or("a description without \"sdp\"")?;
            let parsed = SessionDescription::parse(sdp_type, sdp).map_err(|e| e.to_string())?;
            Ok(Some(SignalMessage::Description(Box::new(
                parsed.description,
            ))))
        }
        Some("candidate") => {
            let line = text("candidate").unwrap_or_default();
            let attribute = line.strip_prefix("candidate:").unwrap_or(line);
            // An empty candidate is the end-of-candidates indication (webrtc-pc).
            let candidate = if attribute.is_empty() {
                None
            } else {
                Some(Candidate::new(attribute).map_err(|e| e.to_string())?)
            };
            let m_line_index = value
                .get("label")
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok());
            Ok(Some(SignalMessage::Candidate(RemoteCandidate {
                candidate,
                mid: text("id").map(str::to_owned),
                m_line_index,
                ufrag: None,
            })))
        }
        Some("refused") => Ok(Some(SignalMessage::Refused {
            reason: text("reason").unwrap_or_default().to_owned(),
        })),
        other => Err(format!("unknown message type {other:?}")),
    }
}

impl Signaling for TcpSignaling {
    async fn send(&mut self, message: SignalMessage) -> Result<(), SignalingError> {
        self.write(Some(&message)).await
    }

    async fn recv(&mut self) -> Option<SignalMessage> {
        loop {
            match self.lines.recv().await? {
                Err(_) => return None,
                Ok(line) if line.is_empty() => {}
                Ok(line) => match decode_line(&line) {
                    Ok(None) => {
                        self.bye = true;
                        return None;
                    }
                    Ok(message) => return message,
                    Err(_) => self.skipped += 1,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use tacet_sdp::Fingerprint;
    use tacet_session::{Session, SessionConfig};

    use super::*;

    fn offer() -> SessionDescription {
        let fingerprint = Fingerprint::new("sha-256", &[1; 32]).unwrap();
        let mut session = Session::new(SessionConfig::new(fingerprint), 7);
        session.create_data_channel("chat").unwrap();
        session.create_offer().unwrap()
    }

    #[test]
    fn descriptions_travel_as_aiortc_writes_them() {
        let offer = offer();
        let line = encode(&SignalMessage::Description(Box::new(offer.clone()))).to_string();
        // aiortc's json.dumps(sort_keys=True): "sdp" before "type".
        assert!(line.starts_with("{\"sdp\":\"v=0\\r\\n"), "{line}");
        assert!(line.ends_with("\"type\":\"offer\"}"), "{line}");
        let Ok(Some(SignalMessage::Description(back))) = decode_line(&line) else {
            panic!("decodes: {line}");
        };
        assert_eq!(back.write(), offer.write());
    }

    #[test]
    fn an_aiortc_candidate_line_and_bye_decode() {
        let line = r#"{"candidate": "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", "id": "0", "label": 0, "type": "candidate"}"#;
        let Ok(Some(SignalMessage::Candidate(candidate))) = decode_line(line) else {
            panic!("decodes");
        };
        assert_eq!(candidate.mid.as_deref(), Some("0"));
        assert_eq!(candidate.m_line_index, Some(0));
        assert_eq!(
            candidate.candidate.unwrap().value(),
            "1 1 udp 2130706431 127.0.0.1 5000 typ host"
        );
        let back = encode(&SignalMessage::Candidate(RemoteCandidate {
            candidate: Candidate::new("1 1 udp 2130706431 127.0.0.1 5000 typ host").ok(),
            mid: Some("0".into()),
            m_line_index: Some(0),
            ufrag: None,
        }));
        assert_eq!(decode_line(&back.to_string()), decode_line(line));
        assert_eq!(decode_line(r#"{"type": "bye"}"#), Ok(None));
    }

    #[test]
    fn lines_that_say_nothing_usable_are_errors_not_messages() {
        for line in [
            "not json",
            r#"{"type": "offer"}"#,
            r#"{"type": "offer", "sdp": "v=1"}"#,
            r#"{"type": "candidate", "candidate": "candidate:x"}"#,
            r#"{"type": "hello"}"#,
            r#"[1, 2]"#,
        ] {
            assert!(decode_line(line).is_err(), "{line}");
        }
    }

    /// A connector and the listener it reached, on a free loopback port.
    async fn connected() -> (TcpSignaling, TcpSignaling) {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = probe.local_addr().unwrap();
        drop(probe);
        let listening = tokio::spawn(TcpSignaling::listen(addr));
        let client = TcpSignaling::connect(addr, Duration::from_secs(5))
            .await
            .unwrap();
        (client, listening.await.unwrap().unwrap())
    }

    #[tokio::test]
    async fn a_listener_and_a_connector_exchange_lines_and_skip_junk() {
        let (mut client, mut server) = connected().await;
        client.writer.write_all(b"garbage\n\n").await.unwrap();
        let refused = SignalMessage::Refused { reason: "r".into() };
        client.send(refused.clone()).await.unwrap();
        assert_eq!(server.recv().await, Some(refused));
        assert_eq!(server.skipped(), 1);
        assert!(!server.peer_said_bye());
        client.bye().await.unwrap();
        assert_eq!(server.recv().await, None);
        assert!(server.peer_said_bye(), "a goodbye, not just an end");
        drop(client);
        assert_eq!(server.recv().await, None, "closed stays closed");
    }

    #[tokio::test]
    async fn a_stream_that_ends_without_a_goodbye_is_not_a_bye() {
        let (client, mut server) = connected().await;
        drop(client);
        assert_eq!(server.recv().await, None);
        assert!(!server.peer_said_bye(), "the peer went away without a word");
    }

    #[test]
    fn the_goodbye_line_is_aiortcs() {
        assert_eq!(encode_line(None), r#"{"type":"bye"}"#);
        assert_eq!(decode_line(&encode_line(None)), Ok(None));
    }
}
