//! `tacet-peer` against itself: two processes over loopback with aiortc-style tcp-socket
//! signaling, both sending Opus and VP8 frames and numbered data-channel messages; the
//! offerer's script stops its video, then all media, then adds video again and closes. Every
//! check reads the processes' `--json` lines, as the interop harness does.

use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::thread;

use serde_json::Value;

const PEER: &str = env!("CARGO_BIN_EXE_tacet-peer");

/// A port free a moment ago (the offerer binds it again at once).
fn free_port() -> u16 {
    let probe = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    probe.local_addr().expect("bound").port()
}

fn run(args: Vec<String>) -> thread::JoinHandle<Output> {
    thread::spawn(move || {
        Command::new(PEER)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tacet-peer runs")
    })
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn of<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["event"] == name).collect()
}

fn t(event: &Value) -> f64 {
    event["t"].as_f64().expect("every event has t")
}

/// The final `datachannel` report.
fn final_chat(events: &[Value]) -> &Value {
    of(events, "datachannel")
        .into_iter()
        .rfind(|e| e["final"] == true)
        .expect("a final data-channel report")
}

#[test]
fn two_tacet_peers_stop_video_then_all_media_then_add_video_and_the_data_channel_loses_nothing() {
    let port = free_port().to_string();
    let common = |role: &str| -> Vec<String> {
        [
            role,
            "--signaling",
            "tcp-socket",
            "--signaling-host",
            "127.0.0.1",
            "--signaling-port",
            &port,
            "--send",
            "audio,video",
            "--datachannel",
            "chat",
            "--json",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let mut offer_args = common("offer");
    offer_args.extend([
        "--script".to_owned(),
        "1s stop video; 2s stop-media; 3s add video; 4s close".to_owned(),
    ]);
    let mut answer_args = common("answer");
    answer_args.push("--echo-data".to_owned());
    let offer = run(offer_args);
    let answer = run(answer_args);
    let offer = offer.join().expect("the offerer's thread");
    let answer = answer.join().expect("the answerer's thread");
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        offer.status.success(),
        "offer: {:?} {}",
        offer.status,
        stderr(&offer)
    );
    assert!(
        answer.status.success(),
        "answer: {:?} {}",
        answer.status,
        stderr(&answer)
    );
    let (o, a) = (lines(&offer), lines(&answer));

    // Every scripted action was done, each negotiated before it returned.
    let actions: Vec<_> = of(&o, "action")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["ok"] == true,
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("stop video", true),
            ("stop-media", true),
            ("add video", true)
        ]
        .map(|(a, ok)| (a.to_owned(), ok))
    );
    // Descriptions are reported both ways: the first offer and every renegotiation.
    assert!(
        of(&o, "sdp")
            .iter()
            .any(|e| e["direction"] == "sent" && e["type"] == "offer")
    );
    assert!(
        of(&a, "sdp")
            .iter()
            .any(|e| e["direction"] == "received" && e["type"] == "offer")
    );

    // Video flowed before the stop, counted each second on the receiving side, then the
    // answerer's video track ended because the offer rejected its m-section.
    let ended = of(&a, "track_ended");
    let video_end = ended
        .iter()
        .find(|e| e["kind"] == "video")
        .expect("the answerer's video track ended");
    assert_eq!(video_end["cause"], "remote-rejected", "{video_end}");
    let stopped_mid = video_end["mid"].clone();
    assert!(video_end["frames_total"].as_u64() > Some(10), "{video_end}");
    let media = of(&a, "media");
    assert!(
        media.iter().any(|e| e["direction"] == "received"
            && e["mid"] == stopped_mid
            && e["final"] == false
            && e["frames"].as_u64() > Some(10)
            && t(e) < t(video_end)),
        "a per-second count of video frames before the stop"
    );

    // stop-media: data only on both sides, no frame arriving while it lasts, messages going on.
    let data_only = of(&a, "mode")
        .into_iter()
        .find(|e| e["to"] == "data-only")
        .expect("the answerer went data-only");
    assert!(of(&o, "mode").iter().any(|e| e["to"] == "data-only"));
    let video_again = of(&a, "track")
        .into_iter()
        .find(|e| e["kind"] == "video" && t(e) > t(data_only))
        .expect("video again after stop-media");
    let during = |e: &&&Value| t(e) > t(data_only) && t(e) < t(video_again);
    assert!(
        !media
            .iter()
            .filter(during)
            .any(|e| e["direction"] == "received"
                && e["final"] == false
                && e["frames"].as_u64() > Some(0)),
        "no media while data-only"
    );
    let chat = of(&a, "datachannel");
    let received_at = |e: &Value| e["from_peer"]["received"].as_u64().unwrap_or_default();
    let before = chat
        .iter()
        .filter(|e| t(e) < t(data_only))
        .map(|e| received_at(e))
        .max()
        .unwrap_or_default();
    assert!(
        chat.iter().filter(during).any(|e| received_at(e) > before),
        "the data channel talks while data-only"
    );

    // Video again: a new m-section's track (the stopped one's was recycled with a new mid),
    // whose frames arrive whole.
    assert_ne!(video_again["mid"], stopped_mid);
    let last_video = media
        .iter()
        .rfind(|e| e["direction"] == "received" && e["mid"] == video_again["mid"])
        .expect("reports of the new video track");
    assert!(
        last_video["frames_total"].as_u64() > Some(10),
        "{last_video}"
    );
    assert_eq!(last_video["bad_frames"], 0);
    assert_eq!(last_video["out_of_sequence"], 0);

    // The data channel both ways, and the echoes: everything once, in order, announced.
    let (o_chat, a_chat) = (final_chat(&o), final_chat(&a));
    for (side, chat, peer) in [("offer", o_chat, a_chat), ("answer", a_chat, o_chat)] {
        let from_peer = &chat["from_peer"];
        assert_eq!(from_peer["complete"], true, "{side}: {chat}");
        assert_eq!(from_peer["lost"], 0, "{side}: {chat}");
        assert_eq!(from_peer["duplicates"], 0, "{side}: {chat}");
        assert_eq!(from_peer["received"], peer["sent"], "{side}: {chat}");
        assert!(peer["sent"].as_u64() > Some(40), "{side}: {chat}");
    }
    assert_eq!(o_chat["echoes"]["complete"], true, "{o_chat}");
    assert_eq!(o_chat["echoes"]["received"], o_chat["sent"], "{o_chat}");

    // A clean close: the offerer's bye, the answerer told.
    assert!(of(&o, "bye").iter().any(|e| e["direction"] == "sent"));
    assert!(of(&a, "bye").iter().any(|e| e["direction"] == "received"));
    for events in [&o, &a] {
        assert_eq!(of(events, "closed").len(), 1);
        assert!(
            of(events, "warning").is_empty(),
            "tacet bends no rule for tacet"
        );
    }
}

#[test]
fn a_bad_flag_or_script_exits_2_with_the_reason_on_stderr() {
    for (args, says) in [
        (
            &["offer", "--frobnicate"][..],
            "unknown flag \"--frobnicate\"",
        ),
        (
            &["answer", "--script", "1s stop data"][..],
            "--script: step 1",
        ),
        (&[][..], "no role"),
    ] {
        let output = Command::new(PEER).args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let help = Command::new(PEER).arg("--help").output().expect("runs");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--datachannel LABEL"));
}

#[test]
fn an_offerer_that_cannot_listen_fails_with_the_reason() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = taken.local_addr().expect("bound").port().to_string();
    let output = Command::new(PEER)
        .args([
            "offer",
            "--signaling",
            "tcp-socket",
            "--signaling-port",
            &port,
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("signaling: tcp-socket 127.0.0.1:"),
        "{stderr}"
    );
}
