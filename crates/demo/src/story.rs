//! The story in the terminal: two tacet peers over loopback UDP (or tacet and a headless
//! browser with `--peer`), step by step, each step's expectations checked.

use std::process::ExitCode;

/// The story's part of `--help`.
pub(crate) const HELP: &str = "\
USAGE (the story, the default):
    tacet-demo [--step] [--json] [--peer chromium|firefox]
";

/// Runs the story with the command line `args` (without the program name).
pub(crate) async fn main(args: Vec<String>) -> ExitCode {
    let _ = args;
    eprintln!("tacet-demo: the story is not written yet");
    ExitCode::FAILURE
}
