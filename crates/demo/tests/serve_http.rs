//! `tacet-demo --serve` as a process, without a browser: the URL line, the page, bad requests
//! (each a 4xx with its reason, the server still serving), a data-only offer answered over
//! HTTP, and a bad terminal command.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::process::Stdio;
use std::time::Duration;

use tacet_sdp::{Fingerprint, SdpType, SessionDescription};
use tacet_session::{Session, SessionConfig};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::process::{Child, ChildStdout, Command};

const PATIENCE: Duration = Duration::from_secs(10);

struct Demo {
    child: Child,
    lines: Lines<BufReader<ChildStdout>>,
    address: String,
}

async fn start() -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tacet-demo"))
        .args(["--serve", "--port", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(PATIENCE, lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let url = first.strip_prefix("serving ").expect(&first);
    let address = url
        .strip_prefix("http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap()
        .to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{first}");
    Demo {
        child,
        lines,
        address,
    }
}

impl Demo {
    /// Sends `request` as is; returns the status and the body.
    async fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut response = String::new();
        tokio::time::timeout(PATIENCE, stream.read_to_string(&mut response))
            .await
            .unwrap()
            .unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response.split_once("\r\n\r\n").unwrap().1.to_owned();
        (status, body)
    }

    async fn post(&self, path: &str, body: &str) -> (u16, String) {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.raw(request.as_bytes()).await
    }

    /// The next stdout line that starts with `prefix`.
    async fn line(&mut self, prefix: &str) -> String {
        tokio::time::timeout(PATIENCE, async {
            loop {
                let line = self.lines.next_line().await.unwrap().unwrap();
                if line.starts_with(prefix) {
                    return line;
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no line starting {prefix:?}"))
    }
}

#[tokio::test]
async fn the_page_and_bad_requests() {
    let demo = start().await;
    let (status, body) = demo.raw(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert_eq!(status, 200);
    assert!(body.contains("<script type=\"module\" src=\"/app.js\">"));
    assert_eq!(demo.raw(b"GET /app.js HTTP/1.1\r\n\r\n").await.0, 200);
    let cases: [(&[u8], u16, &str); 6] = [
        (b"NONSENSE\r\n\r\n", 400, "request line"),
        (b"GET /nope HTTP/1.1\r\n\r\n", 404, "no such page"),
        (b"DELETE / HTTP/1.1\r\n\r\n", 405, "only GET"),
        (b"POST /offer HTTP/1.1\r\n\r\n", 411, "Content-Length"),
        (
            b"POST /offer HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcdef",
            400,
            "more bytes",
        ),
        (
            b"GET / HTTP/1.1\r\nbroken header\r\n\r\n",
            400,
            "without ':'",
        ),
    ];
    for (request, status, words) in cases {
        let (got, body) = demo.raw(request).await;
        assert_eq!(got, status, "{}: {body}", String::from_utf8_lossy(request));
        assert!(body.contains(words), "{body}");
    }
    let (status, body) = demo.post("/offer", "not json").await;
    assert_eq!(status, 400);
    assert!(body.contains("page: the offer"), "{body}");
    let (status, body) = demo
        .post("/offer", r#"{"type":"answer","sdp":"v=0"}"#)
        .await;
    assert_eq!(status, 400, "{body}");
    // Still serving after all that.
    assert_eq!(demo.raw(b"GET /style.css HTTP/1.1\r\n\r\n").await.0, 200);
}

#[tokio::test]
async fn a_data_only_offer_is_answered_over_http() {
    let mut demo = start().await;
    let fingerprint = Fingerprint::new("sha-256", &[7; 32]).unwrap();
    let mut page = Session::new(SessionConfig::new(fingerprint), 3);
    page.create_data_channel("signal").unwrap();
    let offer = page.create_offer().unwrap();
    let body = tacet_rtc::signaling::encode_line(Some(
        &tacet_rtc::signaling::SignalMessage::Description(Box::new(offer)),
    ));
    let (status, answer) = demo.post("/offer", &body).await;
    assert_eq!(status, 200, "{answer}");
    let json: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(json["type"], "answer");
    let answer = SessionDescription::parse(SdpType::Answer, json["sdp"].as_str().unwrap()).unwrap();
    let data = &answer.description.media;
    assert_eq!(data.len(), 1);
    assert!(data[0].is_data());
    let group: Vec<&str> = answer
        .description
        .bundle_groups()
        .next()
        .unwrap()
        .mids()
        .collect();
    assert_eq!(group, ["0"]);
    assert!(
        demo.line("tacet answers: BUNDLE [0]")
            .await
            .contains("application")
    );

    // A terminal command tacet cannot read: an error line, nothing else.
    let stdin = demo.child.stdin.as_mut().unwrap();
    stdin.write_all(b"stop data\n").await.unwrap();
    let error = demo.line("error:").await;
    assert!(error.contains("cannot stop \"data\""), "{error}");
}
