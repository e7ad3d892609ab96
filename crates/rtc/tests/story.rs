//! The stop story over real loopback UDP: two `PeerConnection`s, each in its own task with its
//! own sockets on 127.0.0.1, negotiating by themselves over the signaling hook. A sends Opus
//! audio and VP8 video frames (B sends audio back) and both send numbered data-channel messages
//! the whole time. A stops its video, then stops all media, then adds video again (a recycled
//! m-line), then closes. Checked at each step: frames arrive per track while it lives and not
//! one after its end; the stopped sender refuses writes with a typed error; the data channel
//! loses, repeats and reorders nothing.

mod peers;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use peers::{LIMIT, config, open_chat, send_numbered, text};
use tacet_rtc::{
    Error, Event, PeerConnection, Received, Role, TrackReceiver, TrackSender, channel_pair,
};
use tacet_session::{Event as SessionEvent, Mode, TransceiverId};
use tacet_track::{EndCause, EndReason, TrackKind};
use tokio::task::JoinHandle;
use tokio::time::{sleep, timeout};

/// How long each step of the story lets media flow.
const STEP: Duration = Duration::from_millis(300);

/// The story's step, for counting frames per step.
static STEP_NOW: AtomicUsize = AtomicUsize::new(0);

/// Writes frames on `sender` every `every` until `stop` is set; returns how many writes went
/// through and the first refusal.
fn write_frames(
    sender: TrackSender,
    size: usize,
    every: Duration,
    stop: Arc<AtomicBool>,
) -> JoinHandle<(usize, Option<Error>)> {
    tokio::spawn(async move {
        let mut written = 0;
        let frame = Bytes::from(vec![0x5a; size]);
        while !stop.load(Ordering::SeqCst) {
            match sender.write_frame(frame.clone(), every).await {
                Ok(()) => written += 1,
                Err(error) => return (written, Some(error)),
            }
            sleep(every).await;
        }
        (written, None)
    })
}

/// Counts the frames `receiver` yields per step of the story until its track ends; returns the
/// counts, the end reason, and whether anything came after the end.
fn count_frames(
    mut receiver: TrackReceiver,
) -> JoinHandle<(BTreeMap<usize, usize>, Option<EndReason>)> {
    tokio::spawn(async move {
        let mut per_step = BTreeMap::new();
        while let Some(item) = receiver.recv().await {
            match item {
                Received::Frame(_) => {
                    *per_step.entry(STEP_NOW.load(Ordering::SeqCst)).or_default() += 1
                }
                Received::Rtp(_) => {}
                Received::Ended(reason) => {
                    assert!(receiver.try_recv().is_none(), "nothing after the end");
                    return (per_step, Some(reason));
                }
            }
        }
        (per_step, None)
    })
}

/// Waits for B's next `track` event and returns its receiver and kind.
async fn next_remote_track(
    b: &mut PeerConnection,
    seen: &mut Vec<Event>,
) -> (TransceiverId, TrackKind, TrackReceiver) {
    let track_of = |e: &Event| match e {
        Event::Session(SessionEvent::Track { transceiver, .. }) => Some(*transceiver),
        _ => None,
    };
    // A track event may have come while another wait took the events (it is taken once).
    let earlier = seen.iter().position(|e| track_of(e).is_some());
    let id = timeout(LIMIT, async {
        if let Some(i) = earlier {
            return track_of(&seen.remove(i)).expect("found above");
        }
        loop {
            let event = b.next_event().await.expect("the task runs");
            let track = match &event {
                Event::Session(SessionEvent::Track { transceiver, .. }) => Some(*transceiver),
                _ => None,
            };
            seen.push(event);
            if let Some(id) = track {
                return id;
            }
        }
    })
    .await
    .expect("a track event");
    let kind = b
        .with_session(move |s| s.transceiver(id).map(|t| t.kind()))
        .await
        .expect("runs")
        .expect("the transceiver exists");
    let receiver = b.receiver(id).await.expect("a receiver");
    (id, kind, receiver)
}

fn texts(events: &[Event]) -> Vec<String> {
    events.iter().filter_map(text).collect()
}

/// Takes every event waiting for `peer`.
fn collect(peer: &mut PeerConnection, seen: &mut Vec<Event>) {
    while let Some(event) = peer.try_next_event() {
        seen.push(event);
    }
}

#[tokio::test]
async fn stop_video_then_all_media_then_add_video_with_the_data_channel_talking_throughout() {
    let (a_end, b_end) = channel_pair();
    let mut a = PeerConnection::with_signaling(config(1), a_end, Role::Impolite).expect("A");
    let mut b = PeerConnection::with_signaling(config(2), b_end, Role::Polite).expect("B");
    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());

    // Step 0: A's audio and video, B's audio back, and the chat.
    let a_audio = timeout(LIMIT, a.add_track(TrackKind::Audio, vec!["s".into()]))
        .await
        .expect("in time")
        .expect("audio");
    let a_video = timeout(LIMIT, a.add_track(TrackKind::Video, vec!["s".into()]))
        .await
        .expect("in time")
        .expect("video");
    let (a_chat, b_chat) = open_chat(&mut a, &mut a_seen, &mut b, &mut b_seen).await;
    let mut b_tracks = BTreeMap::new();
    for _ in 0..2 {
        let (id, kind, receiver) = next_remote_track(&mut b, &mut b_seen).await;
        b_tracks.insert(kind, (id, count_frames(receiver)));
    }
    let b_audio = timeout(LIMIT, b.add_track(TrackKind::Audio, vec![]))
        .await
        .expect("in time")
        .expect("B's audio");
    let stop_all = Arc::new(AtomicBool::new(false));
    let a_audio_writer = write_frames(
        a_audio.clone(),
        80,
        Duration::from_millis(20),
        Arc::clone(&stop_all),
    );
    let a_video_writer = write_frames(
        a_video.clone(),
        3_000,
        Duration::from_millis(33),
        Arc::clone(&stop_all),
    );
    let b_audio_writer = write_frames(
        b_audio,
        80,
        Duration::from_millis(20),
        Arc::clone(&stop_all),
    );
    send_numbered(&a, a_chat, &b, b_chat, 0..50).await;
    sleep(STEP).await;

    // Step 1: A stops its video; negotiated when stop() returns.
    STEP_NOW.store(1, Ordering::SeqCst);
    timeout(LIMIT, a.stop(a_video.transceiver()))
        .await
        .expect("in time")
        .expect("stop negotiated");
    send_numbered(&a, a_chat, &b, b_chat, 50..100).await;
    sleep(STEP).await;
    let (video_written, video_refused) = a_video_writer.await.expect("the writer ran");
    assert!(
        video_written > 3,
        "video flowed before the stop: {video_written}"
    );
    assert_eq!(
        video_refused,
        Some(Error::SenderStopped(a_video.transceiver())),
        "a typed refusal"
    );
    let (_, video_task) = b_tracks.remove(&TrackKind::Video).expect("B had A's video");
    let (video_frames, video_end) = video_task.await.expect("counted");
    assert!(
        video_frames.get(&0).copied().unwrap_or(0) > 3,
        "{video_frames:?}"
    );
    assert_eq!(
        video_end,
        Some(EndReason::Ended(EndCause::RemoteRejected)),
        "{video_frames:?}"
    );

    // Step 2: stop_media: data only; every receiver track ends, the chat goes on.
    STEP_NOW.store(2, Ordering::SeqCst);
    let stopped = timeout(LIMIT, a.stop_media())
        .await
        .expect("in time")
        .expect("negotiated");
    // B's addTrack reused the transceiver of A's audio (webrtc-pc addTrack: a transceiver
    // of the kind that never sent): one audio transceiver, sendrecv.
    assert_eq!(stopped, vec![a_audio.transceiver()]);
    send_numbered(&a, a_chat, &b, b_chat, 100..150).await;
    sleep(STEP).await;
    let (_, audio_task) = b_tracks.remove(&TrackKind::Audio).expect("B had A's audio");
    let (audio_frames, audio_end) = audio_task.await.expect("counted");
    assert!(
        audio_frames.get(&1).copied().unwrap_or(0) > 5,
        "audio went on while video stopped: {audio_frames:?}"
    );
    assert!(audio_end.is_some(), "{audio_frames:?}");
    let (_, audio_refused) = a_audio_writer.await.expect("the writer ran");
    assert_eq!(
        audio_refused,
        Some(Error::SenderStopped(a_audio.transceiver()))
    );
    for side in [&a, &b] {
        assert_eq!(
            side.with_session(|s| s.mode()).await.expect("runs"),
            Mode::DataOnly
        );
    }

    // Step 3: video again: a recycled m-line, frames flow again.
    STEP_NOW.store(3, Ordering::SeqCst);
    let a_video2 = timeout(LIMIT, a.add_track(TrackKind::Video, vec![]))
        .await
        .expect("in time")
        .expect("video again");
    let (_, kind, receiver) = next_remote_track(&mut b, &mut b_seen).await;
    assert_eq!(kind, TrackKind::Video);
    let video2_task = count_frames(receiver);
    let m_lines = a
        .with_session(|s| s.local_description().map(|d| d.media.len()))
        .await
        .expect("runs")
        .expect("a description");
    assert_eq!(
        m_lines, 3,
        "the new video took a stopped m-line (audio, video, data)"
    );
    let video2_writer = write_frames(
        a_video2.clone(),
        3_000,
        Duration::from_millis(33),
        Arc::clone(&stop_all),
    );
    send_numbered(&a, a_chat, &b, b_chat, 150..200).await;
    sleep(STEP).await;

    // Step 4: close.
    STEP_NOW.store(4, Ordering::SeqCst);
    stop_all.store(true, Ordering::SeqCst);
    let _ = video2_writer.await;
    let _ = b_audio_writer.await;
    sleep(Duration::from_millis(100)).await;
    collect(&mut a, &mut a_seen);
    collect(&mut b, &mut b_seen);
    a.close().await.expect("close");
    // The peer's close mutes B's receiver track (WPT RTCPeerConnection-remote-track-mute
    // "pc.close() mutes remote tracks"); B's own close ends it.
    timeout(LIMIT, async {
        loop {
            let event = b.next_event().await.expect("the task runs");
            let muted = matches!(event, Event::Session(SessionEvent::TrackMuted { .. }));
            b_seen.push(event);
            if muted {
                return;
            }
        }
    })
    .await
    .expect("B's video track muted by A's close");
    b.close().await.expect("B closes");
    let (video2_frames, video2_end) = timeout(LIMIT, video2_task)
        .await
        .expect("in time")
        .expect("counted");
    assert!(
        video2_frames.get(&3).copied().unwrap_or(0) > 3,
        "{video2_frames:?}"
    );
    assert_eq!(
        video2_end,
        Some(EndReason::Ended(EndCause::PeerConnectionClosed))
    );

    // The chat: 200 each way, in order, once.
    let numbered = |p: char| (0..200).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
    assert_eq!(texts(&b_seen), numbered('a'));
    assert_eq!(texts(&a_seen), numbered('b'));
    let stats = a.stats().await.expect("runs");
    assert_eq!(
        stats.channels.get(&a_chat).map(|c| c.messages_sent),
        Some(200)
    );
}
