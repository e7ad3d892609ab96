//! `--serve`: a page on 127.0.0.1 whose browser is the other peer; tacet echoes its camera and
//! microphone, and renegotiation runs over the data channel once connected.
//!
//! | file | concern |
//! |---|---|
//! | `serve/http.rs` | the HTTP/1.1 server: the page, its assets, `POST /offer` |
//! | `serve/peer.rs` | the tacet peer: one connection per page load, its event loop |
//! | `serve/signal.rs` | offers and answers over the `signal` data channel, glare |
//! | `serve/echo.rs` | the page's media sent back on the same transceivers |
//! | `serve/commands.rs` | the terminal's commands |
//!
//! The first connection is data-only (the page's offer carries only its two data channels),
//! so the data section is mid 0 and the BUNDLE tag; the page then adds its camera and
//! microphone over the data channel. Stopping media never stops the tag, so the transport and
//! the SCTP association that carry the renegotiation itself are never replaced
//! (docs/demo.md, "The page").

mod commands;
mod echo;
mod http;
mod peer;
mod signal;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// The page's part of `--help`.
pub(crate) const HELP: &str = "\
USAGE (a browser page as the other peer):
    tacet-demo --serve [--port PORT]

    Serves a page on http://127.0.0.1:PORT/ (default 8080; 0 picks a free port) and prints
    `serving http://127.0.0.1:PORT/`. Open it in a browser (allow the camera and microphone):
    the page connects data-only, adds its camera and microphone, and tacet echoes them back.
    Type `help` on stdin for the terminal's commands.
";

/// The default port.
const DEFAULT_PORT: u16 = 8080;

/// Writes one line on stdout (the demo's output; a closed stdout loses it, nothing else).
pub(crate) fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// The port `args` ask for; the error says which argument is wrong.
fn port(args: &[String]) -> Result<u16, String> {
    let mut port = DEFAULT_PORT;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--serve" => {}
            "--port" => {
                let value = rest.next().ok_or("--port needs a value")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port {value:?}: not a port (0 to 65535)"))?;
            }
            other => return Err(format!("unknown argument {other:?} for --serve")),
        }
    }
    Ok(port)
}

/// Serves the page with the command line `args` (without the program name).
pub(crate) async fn main(args: Vec<String>) -> ExitCode {
    let port = match port(&args) {
        Ok(port) => port,
        Err(reason) => {
            eprintln!("tacet-demo: usage: {reason}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("tacet-demo: local: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => {
            eprintln!("tacet-demo: local: the listening address: {error}");
            return ExitCode::FAILURE;
        }
    };
    say(&format!("serving http://{address}/"));
    say("type `help` for the terminal's commands");
    let (inputs, inputs_rx) = mpsc::channel(64);
    tokio::spawn(http::serve(listener, inputs.clone()));
    tokio::spawn(commands::read_stdin(inputs));
    peer::run(inputs_rx).await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_port_is_read_and_bad_arguments_say_why() {
        assert_eq!(port(&args("--serve")).unwrap(), 8080);
        assert_eq!(port(&args("--serve --port 0")).unwrap(), 0);
        assert!(
            port(&args("--serve --port"))
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            port(&args("--serve --port x"))
                .unwrap_err()
                .contains("not a port")
        );
        assert!(
            port(&args("--serve --json"))
                .unwrap_err()
                .contains("unknown argument")
        );
    }
}
