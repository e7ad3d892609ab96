//! The command line, read by hand (a dozen flags do not justify a parser dependency). Flags
//! take their value as the next argument or after `=`, as aiortc's argparse-based examples do.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use tacet_track::TrackKind;

use crate::script::{self, Step};

/// What `--help` prints.
pub(crate) const HELP: &str = "\
tacet-peer: a scriptable WebRTC peer (tacet-rtc) for tests and for poking at other stacks

USAGE:
    tacet-peer offer|answer [OPTIONS]

ROLE:
    offer                     make the first offer (and listen, with tcp-socket signaling)
    answer                    answer the first offer (and connect, with tcp-socket signaling);
                              local tracks are added only once that offer is answered, so this
                              side never offers before the peer's first offer is done

OPTIONS:
    --signaling MODE          tcp-socket or copy-and-paste (default), as aiortc's examples:
                              tcp-socket: JSON lines over TCP, byte-compatible with aiortc's
                              TcpSocketSignaling; copy-and-paste: each description is printed
                              as one JSON line on stdout, the peer's is pasted on stdin
    --signaling-host HOST     tcp-socket address (default 127.0.0.1)
    --signaling-port PORT     tcp-socket port (default 1234)
    --bind IP                 the address media and data sockets bind on, the host candidate
                              (default 127.0.0.1)
    --send KINDS              audio, video or audio,video: synthetic Opus frames every 20 ms,
                              VP8 frames every 33 ms, numbered so a receiver can count them
    --datachannel LABEL       the offerer creates channel LABEL, the answerer accepts it; both
                              send numbered messages (\"<role> <n>\", every 50 ms, then
                              \"<role> end <count>\" on close) and check the peer's
    --chat-interval MS        the pace of the numbered messages in milliseconds (default 50;
                              the browser suite uses 20, as its pages do)
    --report-channel-loss     when the peer closes the numbered messages' channel, or the
                              SCTP association is lost, report it (a datachannel_lost event
                              with a cause) and go on with the run (media, script, a clean
                              close); without it the run ends there with exit status 1
    --echo-data               echo every received data-channel message back unchanged
    --script SCRIPT           steps timed from the first connected state, separated by ';':
                              <time> stop audio|video   stop that transceiver, renegotiate
                              <time> stop-media         stop every audio/video transceiver
                              <time> add audio|video    add a track, renegotiate
                              <time> close              say bye and exit
                              times: 2s, 1.5s, 500ms; e.g. \"2s stop video; 4s stop-media;
                              6s add video; 8s close\"
    --json                    one JSON object per line on stdout: states, descriptions sent
                              and received, tracks, media counts each second, track ends and
                              why, data-channel counts, warnings, script actions
    --strict                  refuse descriptions that bend the rules (PeerPolicy::Strict);
                              by default they are forgiven with a warning event for each
    --polite                  yield when offers collide even as the offerer (the answerer
                              always yields): for a peer that may offer but never rolls back
    -h, --help                print this help

EXIT STATUS:
    0  closed cleanly (a scripted close, or the peer's bye)
    1  an error (signaling, transport, connection); the reason on stderr
    2  a bad command line or script; the reason on stderr
    3  closed cleanly, but a scripted action failed (reported as it happened)
";

/// Which side of the first offer/answer exchange this peer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// Makes the first offer.
    Offer,
    /// Answers it.
    Answer,
}

impl Side {
    /// `offer` or `answer`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Offer => "offer",
            Self::Answer => "answer",
        }
    }
}

/// How descriptions reach the peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SignalingMode {
    /// aiortc's `TcpSocketSignaling`: the offerer listens, the answerer connects.
    TcpSocket {
        /// The address.
        host: String,
        /// The port.
        port: u16,
    },
    /// aiortc's `CopyAndPasteSignaling`: stdout and stdin.
    CopyAndPaste,
}

/// Everything the command line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Args {
    pub(crate) side: Side,
    pub(crate) signaling: SignalingMode,
    pub(crate) bind: IpAddr,
    /// Kinds to send, each once, in the order given.
    pub(crate) send: Vec<TrackKind>,
    pub(crate) datachannel: Option<String>,
    pub(crate) echo_data: bool,
    pub(crate) script: Vec<Step>,
    pub(crate) json: bool,
    pub(crate) strict: bool,
    pub(crate) polite: bool,
    /// The pace of the numbered messages.
    pub(crate) chat_interval: Duration,
    /// A lost chat channel or SCTP association is reported and the run goes on.
    pub(crate) report_channel_loss: bool,
}

/// The numbered messages' pace unless `--chat-interval` says otherwise (issue 13's).
const CHAT_INTERVAL: Duration = Duration::from_millis(50);

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// Run a peer.
    Run(Box<Args>),
    /// Print the help.
    Help,
}

/// A command line that cannot run: what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UsageError(pub(crate) String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tacet-peer: {} (tacet-peer --help lists the flags)",
            self.0
        )
    }
}

fn usage(message: impl Into<String>) -> UsageError {
    UsageError(message.into())
}

/// Reads the arguments after the program name.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Parsed, UsageError> {
    let mut args = args.into_iter();
    let mut side = None;
    let mut signaling = None;
    let mut host = None;
    let mut port = None;
    let mut bind = None;
    let mut send = None;
    let mut datachannel = None;
    let mut script = None;
    let mut chat_interval = None;
    let (mut echo_data, mut json, mut strict, mut polite) = (false, false, false, false);
    let mut report_channel_loss = false;
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value)),
            _ => (arg.clone(), None),
        };
        let switch = |on: &mut bool| -> Result<(), UsageError> {
            if inline.is_some() {
                return Err(usage(format!("{flag} takes no value")));
            }
            if std::mem::replace(on, true) {
                return Err(usage(format!("{flag} given twice")));
            }
            Ok(())
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "offer" | "answer" => {
                let this = if flag == "offer" {
                    Side::Offer
                } else {
                    Side::Answer
                };
                if let Some(before) = side.replace(this) {
                    return Err(usage(format!(
                        "two roles: {} and {}; give one of offer or answer",
                        Side::as_str(before),
                        this.as_str()
                    )));
                }
            }
            "--echo-data" => switch(&mut echo_data)?,
            "--json" => switch(&mut json)?,
            "--strict" => switch(&mut strict)?,
            "--polite" => switch(&mut polite)?,
            "--report-channel-loss" => switch(&mut report_channel_loss)?,
            "--signaling" | "--signaling-host" | "--signaling-port" | "--bind" | "--send"
            | "--datachannel" | "--script" | "--chat-interval" => {
                let value = match inline {
                    Some(value) => value.to_owned(),
                    None => args
                        .next()
                        .ok_or_else(|| usage(format!("{flag} needs a value")))?,
                };
                let slot = match flag.as_str() {
                    "--signaling" => &mut signaling,
                    "--signaling-host" => &mut host,
                    "--signaling-port" => &mut port,
                    "--bind" => &mut bind,
                    "--send" => &mut send,
                    "--datachannel" => &mut datachannel,
                    "--chat-interval" => &mut chat_interval,
                    _ => &mut script,
                };
                if slot.replace(value).is_some() {
                    return Err(usage(format!("{flag} given twice")));
                }
            }
            other if other.starts_with('-') => {
                return Err(usage(format!("unknown flag \"{other}\"")));
            }
            other => {
                return Err(usage(format!(
                    "unexpected argument \"{other}\"; the role is offer or answer"
                )));
            }
        }
    }
    let side = side.ok_or_else(|| usage("no role: give offer or answer"))?;
    let signaling = match signaling.as_deref() {
        None | Some("copy-and-paste") => SignalingMode::CopyAndPaste,
        Some("tcp-socket") => SignalingMode::TcpSocket {
            host: host.unwrap_or_else(|| "127.0.0.1".to_owned()),
            port: match port {
                None => 1234,
                Some(port) => port.parse().ok().filter(|p| *p != 0).ok_or_else(|| {
                    usage(format!(
                        "--signaling-port \"{port}\" is not a port (1 to 65535)"
                    ))
                })?,
            },
        },
        Some(other) => {
            return Err(usage(format!(
                "--signaling \"{other}\": expected tcp-socket or copy-and-paste"
            )));
        }
    };
    let bind = match bind {
        None => IpAddr::from([127, 0, 0, 1]),
        Some(ip) => ip
            .parse()
            .map_err(|_| usage(format!("--bind \"{ip}\" is not an IP address")))?,
    };
    let send = match send {
        None => Vec::new(),
        Some(kinds) => parse_kinds(&kinds)?,
    };
    if datachannel.as_deref() == Some("") {
        return Err(usage("--datachannel needs a label"));
    }
    let script = match script {
        None => Vec::new(),
        Some(text) => script::parse(&text).map_err(|e| usage(e.to_string()))?,
    };
    let chat_interval = match chat_interval {
        None => CHAT_INTERVAL,
        Some(ms) => ms
            .parse()
            .ok()
            .filter(|ms| (1..=60_000).contains(ms))
            .map(Duration::from_millis)
            .ok_or_else(|| {
                usage(format!(
                    "--chat-interval \"{ms}\" is not a number of milliseconds (1 to 60000)"
                ))
            })?,
    };
    Ok(Parsed::Run(Box::new(Args {
        side,
        signaling,
        bind,
        send,
        datachannel,
        echo_data,
        script,
        json,
        strict,
        polite,
        chat_interval,
        report_channel_loss,
    })))
}

/// `audio`, `video`, `audio,video`.
fn parse_kinds(kinds: &str) -> Result<Vec<TrackKind>, UsageError> {
    let mut out = Vec::new();
    for kind in kinds.split(',') {
        let kind = match kind.trim() {
            "audio" => TrackKind::Audio,
            "video" => TrackKind::Video,
            other => {
                return Err(usage(format!(
                    "--send \"{kinds}\": unknown kind \"{other}\"; expected audio, video or \
                     audio,video"
                )));
            }
        };
        if out.contains(&kind) {
            return Err(usage(format!("--send \"{kinds}\": {kind} twice")));
        }
        out.push(kind);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use crate::script::Action;

    fn run(line: &str) -> Result<Args, UsageError> {
        match parse(line.split(' ').filter(|w| !w.is_empty()).map(str::to_owned))? {
            Parsed::Run(args) => Ok(*args),
            Parsed::Help => panic!("not help: {line}"),
        }
    }

    fn refused(args: &[&str]) -> String {
        parse(args.iter().map(|a| (*a).to_owned())).unwrap_err().0
    }

    #[test]
    fn the_issue_command_line_parses() {
        let args = parse(
            [
                "offer",
                "--signaling",
                "tcp-socket",
                "--signaling-host",
                "127.0.0.1",
                "--signaling-port",
                "9999",
                "--send",
                "audio,video",
                "--datachannel",
                "chat",
                "--echo-data",
                "--script",
                "2s stop video; 8s close",
                "--json",
            ]
            .map(str::to_owned),
        )
        .unwrap();
        let Parsed::Run(args) = args else {
            panic!("runs")
        };
        assert_eq!(args.side, Side::Offer);
        assert_eq!(
            args.signaling,
            SignalingMode::TcpSocket {
                host: "127.0.0.1".into(),
                port: 9999
            }
        );
        assert_eq!(args.send, vec![TrackKind::Audio, TrackKind::Video]);
        assert_eq!(args.datachannel.as_deref(), Some("chat"));
        assert!(args.echo_data && args.json && !args.strict && !args.polite);
        assert_eq!(args.chat_interval, Duration::from_millis(50));
        assert!(!args.report_channel_loss);
        assert_eq!(args.script.len(), 2);
        assert_eq!(args.script[1].at, Duration::from_secs(8));
        assert_eq!(args.script[1].action, Action::Close);
    }

    #[test]
    fn defaults_are_aiortcs_and_values_may_follow_an_equals_sign() {
        let args = run("answer").unwrap();
        assert_eq!(args.signaling, SignalingMode::CopyAndPaste);
        assert_eq!(args.bind, IpAddr::from([127, 0, 0, 1]));
        assert!(args.send.is_empty() && args.script.is_empty() && args.datachannel.is_none());
        let args = run("--signaling=tcp-socket --send=video answer --strict --polite").unwrap();
        assert_eq!(
            args.signaling,
            SignalingMode::TcpSocket {
                host: "127.0.0.1".into(),
                port: 1234
            }
        );
        assert_eq!(args.send, vec![TrackKind::Video]);
        assert!(args.strict && args.polite);
        let args = run("offer --chat-interval=20 --report-channel-loss").unwrap();
        assert_eq!(args.chat_interval, Duration::from_millis(20));
        assert!(args.report_channel_loss);
        assert_eq!(
            run("offer --bind ::1").unwrap().bind,
            "::1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn help_wins_and_documents_every_flag() {
        assert_eq!(
            parse(["offer", "--help"].map(str::to_owned)),
            Ok(Parsed::Help)
        );
        assert_eq!(parse(["-h".to_owned()]), Ok(Parsed::Help));
        for flag in [
            "--signaling ",
            "--signaling-host",
            "--signaling-port",
            "--bind",
            "--send",
            "--datachannel",
            "--echo-data",
            "--script",
            "--json",
            "--strict",
            "--polite",
            "--chat-interval",
            "--report-channel-loss",
            "--help",
            "offer",
            "answer",
            "tcp-socket",
            "copy-and-paste",
        ] {
            assert!(HELP.contains(flag), "{flag} is documented");
        }
    }

    #[test]
    fn every_bad_command_line_says_what_is_wrong() {
        for (args, says) in [
            (&[][..], "no role"),
            (&["offer", "answer"][..], "two roles"),
            (
                &["offer", "--frobnicate"][..],
                "unknown flag \"--frobnicate\"",
            ),
            (&["offer", "extra"][..], "unexpected argument \"extra\""),
            (&["offer", "--send"][..], "--send needs a value"),
            (
                &["offer", "--send", "audio", "--send", "video"][..],
                "--send given twice",
            ),
            (&["offer", "--json", "--json"][..], "--json given twice"),
            (&["offer", "--json=yes"][..], "--json takes no value"),
            (&["offer", "--send", "data"][..], "unknown kind \"data\""),
            (&["offer", "--send", "audio,audio"][..], "audio twice"),
            (&["offer", "--send", ""][..], "unknown kind \"\""),
            (
                &["offer", "--signaling", "apprtc"][..],
                "expected tcp-socket or copy-and-paste",
            ),
            (
                &[
                    "offer",
                    "--signaling",
                    "tcp-socket",
                    "--signaling-port",
                    "http",
                ][..],
                "is not a port",
            ),
            (
                &[
                    "offer",
                    "--signaling",
                    "tcp-socket",
                    "--signaling-port",
                    "70000",
                ][..],
                "is not a port",
            ),
            (
                &[
                    "offer",
                    "--signaling",
                    "tcp-socket",
                    "--signaling-port",
                    "0",
                ][..],
                "is not a port",
            ),
            (
                &["offer", "--bind", "localhost"][..],
                "is not an IP address",
            ),
            (&["offer", "--datachannel", ""][..], "needs a label"),
            (
                &["offer", "--chat-interval", "0"][..],
                "--chat-interval \"0\" is not a number of milliseconds",
            ),
            (
                &["offer", "--chat-interval", "20ms"][..],
                "is not a number of milliseconds",
            ),
            (
                &["offer", "--report-channel-loss=yes"][..],
                "--report-channel-loss takes no value",
            ),
            (
                &["offer", "--script", "2s stop data"][..],
                "--script: step 1",
            ),
        ] {
            let message = refused(args);
            assert!(message.contains(says), "{args:?}: {message}");
        }
    }

    #[test]
    fn the_message_points_at_help() {
        let error = parse(["--nope".to_owned()]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "tacet-peer: unknown flag \"--nope\" (tacet-peer --help lists the flags)"
        );
    }
}
