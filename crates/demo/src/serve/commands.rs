//! The terminal's commands: each line on stdin is one command; tacet carries it out and
//! renegotiates over the data channel itself (tacet offers). A bad line gets an error line and
//! changes nothing.

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

use super::peer::Input;
use super::say;

/// What `help` prints.
pub(crate) const COMMANDS: &str = "\
commands (one a line; tacet offers the change over the data channel):
    stop video      stop tacet's video transceiver (its echo of the page's camera)
    stop audio      stop tacet's audio transceiver
    stop media      stop every audio and video transceiver: data-only
    add video       offer a new video m-line (the page answers with its camera)
    chat TEXT       send TEXT to the page's chat
    close           say goodbye on the data channel and close the connection
    help            this list";

/// One terminal command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Command {
    /// `stop video`.
    StopVideo,
    /// `stop audio`.
    StopAudio,
    /// `stop media`.
    StopMedia,
    /// `add video`.
    AddVideo,
    /// `chat TEXT`.
    Chat(String),
    /// `close`.
    Close,
    /// `help`.
    Help,
}

/// Reads one line as a command; the error says what is wrong with it (the user's fault).
pub(crate) fn parse(line: &str) -> Result<Option<Command>, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    if let Some(text) = line.strip_prefix("chat") {
        if text.starts_with(char::is_whitespace) && !text.trim().is_empty() {
            return Ok(Some(Command::Chat(text.trim().to_owned())));
        }
        if text.is_empty() || text.trim().is_empty() {
            return Err("\"chat\" needs a text: chat TEXT".to_owned());
        }
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let command = match words.as_slice() {
        ["stop", "video"] => Command::StopVideo,
        ["stop", "audio"] => Command::StopAudio,
        ["stop", "media"] => Command::StopMedia,
        ["add", "video"] => Command::AddVideo,
        ["close"] => Command::Close,
        ["help"] => Command::Help,
        ["stop", what @ ..] => {
            return Err(format!(
                "cannot stop {:?}: stop video, stop audio or stop media",
                what.join(" ")
            ));
        }
        ["add", what @ ..] => {
            return Err(format!("cannot add {:?}: add video", what.join(" ")));
        }
        _ => return Err(format!("unknown command {line:?} (help lists them)")),
    };
    Ok(Some(command))
}

/// Reads stdin line by line until it ends, handing each command to the peer.
pub(crate) async fn read_stdin(inputs: mpsc::Sender<Input>) {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        let line = match lines.next_line().await {
            Ok(Some(line)) => line,
            // The end of stdin (or a read error) ends the commands, not the page.
            Ok(None) => return,
            Err(error) => {
                say(&format!(
                    "error: local: reading stdin: {error}; no more commands"
                ));
                return;
            }
        };
        match parse(&line) {
            Ok(None) => {}
            Ok(Some(Command::Help)) => say(COMMANDS),
            Ok(Some(command)) => {
                if inputs.send(Input::Command(command)).await.is_err() {
                    return;
                }
            }
            Err(reason) => say(&format!("error: {reason}")),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn every_command_reads() {
        let cases = [
            ("stop video", Command::StopVideo),
            ("  stop   audio ", Command::StopAudio),
            ("stop media", Command::StopMedia),
            ("add video", Command::AddVideo),
            ("close", Command::Close),
            ("help", Command::Help),
            ("chat hello  there", Command::Chat("hello  there".into())),
        ];
        for (line, command) in cases {
            assert_eq!(parse(line).unwrap(), Some(command), "{line:?}");
        }
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn bad_commands_say_why() {
        for (line, words) in [
            ("stop", "cannot stop"),
            ("stop data", "cannot stop \"data\""),
            ("add audio", "cannot add \"audio\""),
            ("chat", "needs a text"),
            ("chat   ", "needs a text"),
            ("chatter", "unknown command"),
            ("dance", "unknown command"),
        ] {
            let error = parse(line).unwrap_err();
            assert!(error.contains(words), "{line:?}: {error}");
        }
    }
}
