//! The stop story between two in-memory sessions, printed step by step:
//!
//! 1. connect: audio, video and a data channel;
//! 2. stop the video: the offer/answer m-lines (port, mid, direction, BUNDLE) and the remote
//!    receiver track ended;
//! 3. stop the audio — the BUNDLE tag: the tag moves to the data section, mode data-only;
//! 4. add a video: the port-0 m-line is recycled with a new mid;
//! 5. close.
//!
//! Every step checks its outcome against the spec; the example exits non-zero at the first
//! difference.
//!
//! `cargo run -p tacet-session --example stop-story`

#![allow(clippy::print_stdout, reason = "an example prints its timeline")]

use std::process::ExitCode;

use tacet_sdp::{Fingerprint, SessionDescription};
use tacet_session::{Effect, Event, Mode, Session, SessionConfig, TransceiverId};
use tacet_track::{ReadyState, TrackId, TrackKind};

type Step = Result<(), String>;

fn check(ok: bool, what: &str) -> Step {
    if ok {
        println!("      ok: {what}");
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

fn session(seed: u64, byte: u8) -> Result<Session, String> {
    let fingerprint = Fingerprint::new("sha-256", &[byte; 32]).map_err(|e| e.to_string())?;
    Ok(Session::new(SessionConfig::new(fingerprint), seed))
}

/// Prints one description as its m-lines and BUNDLE group.
fn show(who: &str, sdp: &SessionDescription) {
    let bundle: Vec<&str> = sdp.bundle_groups().flat_map(|g| g.mids()).collect();
    println!("    {who} ({}), BUNDLE {bundle:?}", sdp.sdp_type);
    for m in &sdp.media {
        let direction = if m.is_data() {
            "-".to_owned()
        } else {
            m.direction().to_string()
        };
        println!(
            "      m={} port {:>5} mid {:>2} {direction}{}",
            m.kind,
            m.port,
            m.mid().map_or("?", |m| m.as_str()),
            if m.is_rejected() { "  (rejected)" } else { "" }
        );
    }
}

/// A offers, B answers; prints both; drains and prints the events of both sides.
fn round(
    a: &mut Session,
    b: &mut Session,
) -> Result<(SessionDescription, SessionDescription), String> {
    let e = |e: tacet_session::Error| e.to_string();
    let offer = a.create_offer().map_err(e)?;
    a.set_local_description(offer.clone()).map_err(e)?;
    b.set_remote_description(offer.clone()).map_err(e)?;
    let answer = b.create_answer().map_err(e)?;
    b.set_local_description(answer.clone()).map_err(e)?;
    a.set_remote_description(answer.clone()).map_err(e)?;
    show("offer", &offer);
    show("answer", &answer);
    Ok((offer, answer))
}

fn events(who: &str, s: &mut Session) -> (Vec<Event>, Vec<Effect>) {
    let events: Vec<Event> = std::iter::from_fn(|| s.poll_event()).collect();
    let effects: Vec<Effect> = std::iter::from_fn(|| s.poll_effect()).collect();
    for e in &events {
        if !matches!(e, Event::SignalingStateChange(_)) {
            println!("    {who} event: {e:?}");
        }
    }
    for e in &effects {
        if matches!(
            e,
            Effect::SendRtcpBye { .. }
                | Effect::TransportRetagged { .. }
                | Effect::TransportReplaced { .. }
                | Effect::AbortSctp
        ) {
            println!("    {who} effect: {e:?}");
        }
    }
    (events, effects)
}

fn bundle(sdp: &SessionDescription) -> Vec<String> {
    sdp.bundle_groups()
        .flat_map(|g| g.mids())
        .map(str::to_owned)
        .collect()
}

fn receiver_state(s: &Session, id: TransceiverId) -> Option<ReadyState> {
    s.transceiver(id)
        .map(|t| t.receiver().track().ready_state())
}

fn run() -> Step {
    let mut a = session(1, 0xA1)?;
    let mut b = session(2, 0xB2)?;
    let e = |e: tacet_session::Error| e.to_string();

    println!("1. connect: audio, video, data channel");
    let audio = a
        .add_track(
            TrackKind::Audio,
            TrackId::from("mic"),
            vec!["stream".into()],
        )
        .map_err(e)?;
    let video = a
        .add_track(
            TrackKind::Video,
            TrackId::from("camera"),
            vec!["stream".into()],
        )
        .map_err(e)?;
    a.create_data_channel("chat").map_err(e)?;
    let (offer, _) = round(&mut a, &mut b)?;
    events("A", &mut a);
    events("B", &mut b);
    check(
        bundle(&offer) == ["0", "1", "2"],
        "BUNDLE 0 1 2, mid 0 (audio) is the tag",
    )?;
    check(
        a.mode() == Mode::MediaAndData && b.mode() == Mode::MediaAndData,
        "mode media+data on both sides",
    )?;
    let b_video = b
        .transceivers()
        .find(|t| t.mid().is_some_and(|m| m.as_str() == "1"))
        .map(|t| t.id())
        .ok_or("B has no transceiver for mid 1")?;

    println!("2. A stops the video (mid 1, not the tag)");
    a.transceiver_mut(video)
        .and_then(|mut t| t.stop())
        .map_err(e)?;
    let (_, a_effects) = events("A", &mut a);
    check(
        a_effects
            .iter()
            .any(|x| matches!(x, Effect::SendRtcpBye { transceiver, .. } if *transceiver == video)),
        "A sent an RTCP BYE for the video SSRCs at once",
    )?;
    let (offer, answer) = round(&mut a, &mut b)?;
    let (b_events, _) = events("B", &mut b);
    events("A", &mut a);
    check(
        offer.media[1].port == 0 && offer.media[1].mid().is_some_and(|m| m.as_str() == "1"),
        "offer: m=video port 0, mid 1 kept",
    )?;
    check(
        offer.media[1].attributes.msids().count() == 0,
        "offer: no a=msid on the stopped section",
    )?;
    check(
        bundle(&offer) == ["0", "2"],
        "offer: mid 1 left the BUNDLE group",
    )?;
    check(
        answer.media[1].is_rejected(),
        "answer: m=video rejected too",
    )?;
    check(
        receiver_state(&b, b_video) == Some(ReadyState::Ended),
        "B's receiver track ended",
    )?;
    check(
        b_events
            .iter()
            .any(|x| matches!(x, Event::TrackEnded { transceiver, .. } if *transceiver == b_video)),
        "B got the ended event",
    )?;
    check(
        a.transceivers().count() == 1 && b.transceivers().count() == 1,
        "the stopped transceivers were removed",
    )?;

    println!("3. A stops the audio (mid 0, the BUNDLE tag)");
    a.transceiver_mut(audio)
        .and_then(|mut t| t.stop())
        .map_err(e)?;
    let (offer, answer) = round(&mut a, &mut b)?;
    let (a_events, a_effects) = events("A", &mut a);
    events("B", &mut b);
    check(
        bundle(&offer) == ["2"] && bundle(&answer) == ["2"],
        "BUNDLE is only the data mid: the tag moved to the data section",
    )?;
    check(
        a_effects
            .iter()
            .any(|x| matches!(x, Effect::TransportRetagged { to, .. } if to.as_str() == "2")),
        "A's transport was kept and re-tagged to mid 2",
    )?;
    check(
        a.mode() == Mode::DataOnly && b.mode() == Mode::DataOnly,
        "mode data-only on both sides",
    )?;
    check(
        a_events.contains(&Event::ModeChanged {
            from: Mode::MediaAndData,
            to: Mode::DataOnly,
        }),
        "A was told the mode changed",
    )?;
    check(
        !offer.media[2].is_rejected() && !answer.media[2].is_rejected(),
        "the data section was never rejected",
    )?;

    println!("4. A adds a video again");
    a.add_track(
        TrackKind::Video,
        TrackId::from("camera-2"),
        vec!["stream".into()],
    )
    .map_err(e)?;
    let (offer, _) = round(&mut a, &mut b)?;
    events("A", &mut a);
    events("B", &mut b);
    check(
        offer.media.len() == 3,
        "still three m-lines: one was recycled",
    )?;
    check(
        offer.media[0].kind == tacet_sdp::MediaKind::Video
            && offer.media[0].mid().is_some_and(|m| m.as_str() == "3"),
        "index 0 (was audio) recycled as video with a new mid 3",
    )?;
    check(a.mode() == Mode::MediaAndData, "mode media+data again")?;

    println!("5. B closes");
    b.close();
    let (b_events, b_effects) = events("B", &mut b);
    check(b.mode() == Mode::Closed, "B is closed")?;
    check(b_effects.contains(&Effect::AbortSctp), "B aborted SCTP")?;
    check(
        b_events
            .iter()
            .any(|x| matches!(x, Event::TrackEnded { .. })),
        "B's receiver track ended on close",
    )?;
    check(
        b.create_offer().is_err(),
        "B refuses to negotiate after close",
    )?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("every step matched the spec");
            ExitCode::SUCCESS
        }
        Err(what) => {
            println!("MISMATCH: {what}");
            ExitCode::FAILURE
        }
    }
}
