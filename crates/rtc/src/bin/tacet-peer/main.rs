//! `tacet-peer`: a scriptable WebRTC peer on tacet-rtc, in the spirit of aiortc's
//! `datachannel-cli` — for the interop tests and for people poking at other stacks.
//!
//! ```text
//! tacet-peer offer|answer --signaling tcp-socket --signaling-host HOST --signaling-port PORT
//!     [--send audio,video] [--datachannel LABEL] [--echo-data] [--script "..."] [--json]
//!     [--strict] [--polite] [--bind IP]
//! ```
//!
//! `--help` (args.rs) documents every flag and the exit statuses; run.rs explains the roles
//! and the close; output.rs, chat.rs and synth.rs say what is reported, sent and checked.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod args;
mod chat;
mod live;
mod output;
mod pump;
mod run;
mod script;
mod synth;
mod tracks;

use std::io::Write;
use std::process::ExitCode;

use args::Parsed;
use run::Outcome;

fn main() -> ExitCode {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help) => {
            let _ = std::io::stdout().write_all(args::HELP.as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tacet-peer: local: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run::run(*args));
    // Not waiting for the stdin reader of copy-and-paste: a blocking read cannot be stopped.
    runtime.shutdown_background();
    match outcome {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::ActionsFailed(n)) => {
            eprintln!("tacet-peer: closed cleanly, but {n} scripted action(s) failed");
            ExitCode::from(3)
        }
        Err(error) => {
            eprintln!("tacet-peer: {error}");
            ExitCode::FAILURE
        }
    }
}
