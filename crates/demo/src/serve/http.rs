//! A small HTTP/1.1 server on tokio's `TcpListener`: the page and its assets on `GET`, the
//! page's first offer on `POST /offer` (the answer in the response). One request per
//! connection (`Connection: close`): the page makes a handful of requests, nothing needs
//! keep-alive, and a parser that reads one request and stops cannot be confused by a second.
//!
//! Every malformed or unexpected request gets a 4xx with its reason in the body (the client's
//! fault); a failure of tacet's own gets a 5xx. Nothing here panics on input.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

use super::peer::Input;
use super::say;

/// The page, embedded in the binary (crates/demo/page/).
const INDEX_HTML: &str = include_str!("../../page/index.html");
/// The page's script.
const APP_JS: &str = include_str!("../../page/app.js");
/// The page's style sheet.
const STYLE_CSS: &str = include_str!("../../page/style.css");

/// The largest request head (request line and headers) read.
const MAX_HEAD: usize = 16 * 1024;
/// The largest body read (an offer with a few m-lines is a few KiB).
const MAX_BODY: usize = 256 * 1024;
/// How long a client may take to send its request.
const READ_PATIENCE: Duration = Duration::from_secs(10);
/// How long the peer may take to answer an offer.
const ANSWER_PATIENCE: Duration = Duration::from_secs(10);

/// A request, as far as this server reads it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Request {
    /// `GET` or `POST`.
    pub(crate) method: String,
    /// The path, without the query.
    pub(crate) path: String,
    /// The body (`Content-Length` bytes).
    pub(crate) body: Vec<u8>,
}

/// A response: status, content type, body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: String,
}

impl Response {
    fn ok(content_type: &'static str, body: impl Into<String>) -> Self {
        Self {
            status: 200,
            content_type,
            body: body.into(),
        }
    }

    /// An error with its reason as the body.
    pub(crate) fn error(status: u16, reason: impl Into<String>) -> Self {
        let mut body = reason.into();
        body.push('\n');
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            204 => "No Content",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            411 => "Length Required",
            413 => "Content Too Large",
            422 => "Unprocessable Content",
            431 => "Request Header Fields Too Large",
            503 => "Service Unavailable",
            _ => "Internal Server Error",
        };
        let mut out = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        )
        .into_bytes();
        out.extend_from_slice(self.body.as_bytes());
        out
    }
}

/// Why a request could not be read: the response it gets.
fn refuse(status: u16, reason: &str) -> Response {
    Response::error(status, format!("bad request (client): {reason}"))
}

/// Reads one request head from `head` (up to and including the blank line): method, path
/// and the body's length. The error is the response the client gets.
pub(crate) fn parse_head(head: &str) -> Result<(String, String, usize), Response> {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse(400, "the request line is not METHOD TARGET VERSION"));
    };
    if !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
        return Err(refuse(400, &format!("unsupported version {version:?}")));
    }
    if !target.starts_with('/') {
        return Err(refuse(400, "the target is not an absolute path"));
    }
    let path = target.split('?').next().unwrap_or(target).to_owned();
    let mut length = None;
    for line in lines.take_while(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(refuse(400, &format!("a header line without ':': {line:?}")));
        };
        let name = name.trim().to_ascii_lowercase();
        if name == "transfer-encoding" {
            return Err(refuse(
                400,
                "chunked bodies are not accepted: send Content-Length",
            ));
        }
        if name == "content-length" {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| refuse(400, &format!("Content-Length {:?}", value.trim())))?;
            if length.is_some_and(|l| l != n) {
                return Err(refuse(400, "two different Content-Length headers"));
            }
            length = Some(n);
        }
    }
    if method == "POST" && length.is_none() {
        return Err(refuse(411, "a POST needs Content-Length"));
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY {
        return Err(refuse(
            413,
            &format!("a body of {length} bytes (at most {MAX_BODY})"),
        ));
    }
    Ok((method.to_owned(), path, length))
}

/// Reads more bytes of the request into `buffer`; `part` names where the request was cut.
async fn read_more(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    part: &str,
) -> Result<(), Response> {
    let mut chunk = [0u8; 4096];
    let n = stream
        .read(&mut chunk)
        .await
        .map_err(|e| refuse(400, &format!("reading the {part}: {e}")))?;
    if n == 0 {
        return Err(refuse(
            400,
            &format!("the connection closed inside the {part}"),
        ));
    }
    buffer.extend_from_slice(&chunk[..n]);
    Ok(())
}

/// Reads one request from `stream`.
async fn read_request(stream: &mut TcpStream) -> Result<Request, Response> {
    let mut buffer = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buffer.len() > MAX_HEAD {
            return Err(refuse(431, &format!("a head longer than {MAX_HEAD} bytes")));
        }
        read_more(stream, &mut buffer, "request head").await?;
    };
    let head = std::str::from_utf8(&buffer[..head_end])
        .map_err(|_| refuse(400, "the request head is not UTF-8"))?;
    let (method, path, length) = parse_head(head)?;
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        read_more(stream, &mut body, "body").await?;
    }
    if body.len() > length {
        return Err(refuse(
            400,
            "more bytes than Content-Length (one request per connection)",
        ));
    }
    Ok(Request { method, path, body })
}

/// What a request gets; `POST /offer` asks the peer through `inputs`.
pub(crate) async fn respond(request: Request, inputs: &mpsc::Sender<Input>) -> Response {
    let asset = match request.path.as_str() {
        "/" | "/index.html" => Some(("text/html; charset=utf-8", INDEX_HTML)),
        "/app.js" => Some(("text/javascript; charset=utf-8", APP_JS)),
        "/style.css" => Some(("text/css; charset=utf-8", STYLE_CSS)),
        _ => None,
    };
    match (request.method.as_str(), asset, request.path.as_str()) {
        ("GET" | "HEAD", Some((kind, text)), _) => Response::ok(kind, text),
        (_, Some(_), _) => refuse(
            405,
            &format!("{} {}: only GET", request.method, request.path),
        ),
        ("POST", None, "/offer") => offer(request.body, inputs).await,
        // Browsers ask for it unprompted; the page has none.
        ("GET", None, "/favicon.ico") => Response {
            status: 204,
            content_type: "text/plain",
            body: String::new(),
        },
        (_, None, "/offer") => refuse(405, "/offer takes POST (the page's first offer)"),
        (_, None, path) => refuse(404, &format!("no such page: {path}")),
    }
}

/// The page's first offer: `{"type": "offer", "sdp": ...}` in, the answer out.
async fn offer(body: Vec<u8>, inputs: &mpsc::Sender<Input>) -> Response {
    let Ok(text) = String::from_utf8(body) else {
        return refuse(400, "the offer is not UTF-8");
    };
    let (reply, answer) = oneshot::channel();
    if inputs.send(Input::Offer { text, reply }).await.is_err() {
        return Response::error(503, "local (tacet): the peer is gone");
    }
    match tokio::time::timeout(ANSWER_PATIENCE, answer).await {
        Ok(Ok(Ok(answer))) => Response::ok("application/json", answer),
        Ok(Ok(Err(refusal))) => Response::error(refusal.status, refusal.reason),
        Ok(Err(_)) => Response::error(503, "local (tacet): the peer dropped the offer"),
        Err(_) => Response::error(503, "local (tacet): no answer in time"),
    }
}

/// An offer the peer did not answer: the status (4xx: the page's offer; 5xx: tacet) and why.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) reason: String,
}

/// Serves `listener` until the process ends, one task per connection.
pub(crate) async fn serve(listener: TcpListener, inputs: mpsc::Sender<Input>) {
    loop {
        let (mut stream, from) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                say(&format!("http: accept failed: {error}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let inputs = inputs.clone();
        tokio::spawn(async move {
            let response =
                match tokio::time::timeout(READ_PATIENCE, read_request(&mut stream)).await {
                    Ok(Ok(request)) => {
                        let line = format!("{} {}", request.method, request.path);
                        let response = respond(request, &inputs).await;
                        if response.status >= 400 {
                            say(&format!("http: {line} from {from}: {}", response.status));
                        }
                        response
                    }
                    Ok(Err(response)) => {
                        say(&format!(
                            "http: a bad request from {from}: {}",
                            response.body.trim_end()
                        ));
                        response
                    }
                    Err(_) => refuse(408, "the request did not arrive in time"),
                };
            let _ = stream.write_all(&response.bytes()).await;
            let _ = stream.shutdown().await;
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn a_get_and_a_post_head_are_read() {
        let head = "GET /app.js?x=1 HTTP/1.1\r\nHost: a\r\n\r\n";
        assert_eq!(
            parse_head(head).unwrap(),
            ("GET".into(), "/app.js".into(), 0)
        );
        let head = "POST /offer HTTP/1.1\r\nContent-Length: 12\r\n\r\n";
        assert_eq!(
            parse_head(head).unwrap(),
            ("POST".into(), "/offer".into(), 12)
        );
    }

    #[test]
    fn bad_heads_get_a_4xx_with_a_reason() {
        let cases = [
            ("GARBAGE\r\n\r\n", 400, "request line"),
            ("GET / HTTP/2\r\n\r\n", 400, "version"),
            ("GET x HTTP/1.1\r\n\r\n", 400, "absolute path"),
            ("GET / HTTP/1.1\r\nnocolon\r\n\r\n", 400, "without ':'"),
            ("POST /offer HTTP/1.1\r\n\r\n", 411, "Content-Length"),
            (
                "POST /offer HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                400,
                "Content-Length",
            ),
            (
                "POST /offer HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
                413,
                "bytes",
            ),
            (
                "POST /offer HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                400,
                "chunked",
            ),
        ];
        for (head, status, words) in cases {
            let response = parse_head(head).unwrap_err();
            assert_eq!(response.status, status, "{head:?}");
            assert!(response.body.contains(words), "{head:?}: {}", response.body);
            assert!(response.body.contains("(client)"), "{}", response.body);
        }
    }

    #[tokio::test]
    async fn assets_wrong_methods_and_unknown_paths() {
        let (inputs, _rx) = mpsc::channel(1);
        let get = |path: &str| Request {
            method: "GET".into(),
            path: path.into(),
            body: Vec::new(),
        };
        let page = respond(get("/"), &inputs).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("app.js"));
        assert_eq!(respond(get("/app.js"), &inputs).await.status, 200);
        assert_eq!(respond(get("/style.css"), &inputs).await.status, 200);
        assert_eq!(respond(get("/nope"), &inputs).await.status, 404);
        assert_eq!(respond(get("/offer"), &inputs).await.status, 405);
        let post = Request {
            method: "POST".into(),
            path: "/app.js".into(),
            body: Vec::new(),
        };
        assert_eq!(respond(post, &inputs).await.status, 405);
    }

    #[tokio::test]
    async fn an_offer_that_is_not_utf8_is_refused_before_the_peer() {
        let (inputs, mut rx) = mpsc::channel(1);
        let post = Request {
            method: "POST".into(),
            path: "/offer".into(),
            body: vec![0xff, 0xfe],
        };
        assert_eq!(respond(post, &inputs).await.status, 400);
        assert!(rx.try_recv().is_err());
    }
}
