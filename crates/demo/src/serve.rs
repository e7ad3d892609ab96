//! `--serve`: a page on 127.0.0.1 whose browser is the other peer; tacet echoes its camera and
//! microphone, and renegotiation runs over the data channel once connected.

use std::process::ExitCode;

/// The page's part of `--help`.
pub(crate) const HELP: &str = "\
USAGE (a browser page as the other peer):
    tacet-demo --serve [--port PORT]
";

/// Serves the page with the command line `args` (without the program name).
pub(crate) async fn main(args: Vec<String>) -> ExitCode {
    let _ = args;
    eprintln!("tacet-demo: --serve is not written yet");
    ExitCode::FAILURE
}
