//! `tacet-demo`: the main job of the project — watch media stop while the data channel keeps
//! talking.
//!
//! ```text
//! tacet-demo [--step] [--json] [--peer chromium|firefox]   the story, in the terminal
//! tacet-demo --serve [--port PORT]                          a browser page is the other peer
//! ```
//!
//! The story (story/) plays two peers through connect, media, a stop of the video, a stop of
//! the BUNDLE-tag audio to data-only, chat through it all, video added again on a recycled
//! m-line, and close; every step checks what it expects, and the exit status says whether all
//! held. `--serve` (serve/) makes the browser the other peer, renegotiating over the data
//! channel itself.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod serve;
mod story;

use std::io::Write;
use std::process::ExitCode;

/// What `--help` prints: the story's flags, then the page's.
fn help() -> String {
    format!(
        "tacet-demo: media stops, the data channel keeps talking\n\n{}\n{}",
        story::HELP,
        serve::HELP
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        let _ = std::io::stdout().write_all(help().as_bytes());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tacet-demo: local: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let code = if args.iter().any(|a| a == "--serve") {
        runtime.block_on(serve::main(args))
    } else {
        runtime.block_on(story::main(args))
    };
    // Not waiting for a blocking stdin read (--step, the serve mode's commands).
    runtime.shutdown_background();
    code
}
