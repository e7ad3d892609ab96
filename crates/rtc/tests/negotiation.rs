//! Negotiation without application code: two `PeerConnection`s over loopback UDP with a
//! signaling hook run perfect negotiation themselves (webrtc-pc §10.7). `stop()`,
//! `stop_media()` and `add_transceiver()` return once the change is applied on both sides;
//! offers that collide are resolved by the roles; a description the peer refuses comes back as
//! a typed error with the offer rolled back. The data channel delivers numbered messages
//! throughout.

mod peers;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use peers::{LIMIT, all_arrive, config, open_chat, pair, send_numbered, within};
use tacet_rtc::{
    ChannelSignaling, Error, Event, PeerConnection, Role, SignalMessage, Signaling, SignalingError,
    TcpSignaling, channel_pair,
};
use tacet_sdp::SessionDescription;
use tacet_session::{Event as SessionEvent, Mode, SignalingState, TransceiverInit};
use tacet_track::TrackKind;
use tokio::time::timeout;

#[tokio::test]
async fn stop_returns_once_the_rejection_is_applied_on_both_sides() {
    let (mut a, mut b) = pair();
    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());
    let audio = within(
        "addTransceiver negotiated",
        a.add_transceiver(TrackKind::Audio, TransceiverInit::default()),
    )
    .await
    .expect("audio");
    let (a_chat, b_chat) = open_chat(&mut a, &mut a_seen, &mut b, &mut b_seen).await;
    send_numbered(&a, a_chat, &b, b_chat, 0..50).await;

    // Nobody answers negotiationneeded by hand: stop() completes the round itself.
    within("stop() negotiated", a.stop(audio))
        .await
        .expect("the stop is negotiated");
    send_numbered(&a, a_chat, &b, b_chat, 50..100).await;

    // When stop() returned, both sides had applied the rejection.
    let a_state = a
        .with_session(move |s| {
            let t = s
                .transceiver(audio)
                .map(|t| (t.is_stopped(), t.mid().is_none()));
            (s.signaling_state(), s.mode(), t)
        })
        .await
        .expect("the task runs");
    assert_eq!(a_state.0, SignalingState::Stable);
    assert_eq!(a_state.1, Mode::DataOnly);
    let b_state = b
        .with_session(|s| {
            let stopped = s.transceivers().all(|t| t.is_stopped());
            (s.signaling_state(), s.mode(), stopped)
        })
        .await
        .expect("the task runs");
    assert_eq!(
        b_state,
        (SignalingState::Stable, Mode::DataOnly, true),
        "B applied the offer that rejects the audio section and answered"
    );
    all_arrive(&mut a, &mut a_seen, &mut b, &mut b_seen, 100).await;
    // B's receiver track ended with the stop.
    assert!(
        b_seen
            .iter()
            .any(|e| matches!(e, Event::Session(SessionEvent::TrackEnded { .. }))),
        "{b_seen:?}"
    );
}

#[tokio::test]
async fn crossing_offers_are_resolved_by_the_roles_and_both_changes_land() {
    let (mut a, mut b) = pair();
    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());
    let (a_chat, b_chat) = open_chat(&mut a, &mut a_seen, &mut b, &mut b_seen).await;

    // Both sides add a transceiver at the same moment: their offers cross.
    let (at_a, at_b) = within("both negotiated", async {
        tokio::join!(
            a.add_transceiver(TrackKind::Audio, TransceiverInit::default()),
            b.add_transceiver(TrackKind::Video, TransceiverInit::default()),
        )
    })
    .await;
    at_a.expect("A's transceiver negotiated");
    at_b.expect("B's transceiver negotiated");
    send_numbered(&a, a_chat, &b, b_chat, 0..20).await;
    for side in [&a, &b] {
        let (state, mids) = side
            .with_session(|s| {
                let mut mids: Vec<String> = s
                    .transceivers()
                    .filter_map(|t| t.mid().map(|m| m.as_str().to_owned()))
                    .collect();
                mids.sort();
                (s.signaling_state(), mids)
            })
            .await
            .expect("the task runs");
        assert_eq!(state, SignalingState::Stable);
        assert_eq!(mids.len(), 2, "both transceivers have a mid: {mids:?}");
    }
    all_arrive(&mut a, &mut a_seen, &mut b, &mut b_seen, 20).await;
}

/// A signaling end that, while `tamper` is set, renames the first m-section's mid in the
/// descriptions it sends — a change of an existing mid, which the receiver must refuse
/// (RFC 9429 §5.10: an m-section keeps its mid).
struct Tampering {
    inner: ChannelSignaling,
    tamper: Arc<AtomicBool>,
}

impl Signaling for Tampering {
    async fn send(&mut self, message: SignalMessage) -> Result<(), SignalingError> {
        let message = match message {
            SignalMessage::Description(d) if self.tamper.load(Ordering::SeqCst) => {
                let text = d.write().replace("a=mid:0\r\n", "a=mid:9\r\n");
                let text = text.replace("BUNDLE 0 ", "BUNDLE 9 ");
                let parsed = SessionDescription::parse(d.sdp_type, &text)
                    .expect("a renamed mid still parses");
                SignalMessage::Description(Box::new(parsed.description))
            }
            other => other,
        };
        self.inner.send(message).await
    }

    async fn recv(&mut self) -> Option<SignalMessage> {
        self.inner.recv().await
    }
}

#[tokio::test]
async fn a_refused_offer_is_a_typed_error_rolled_back_and_not_offered_again() {
    let (a_end, b_end) = channel_pair();
    let tamper = Arc::new(AtomicBool::new(false));
    let a_end = Tampering {
        inner: a_end,
        tamper: Arc::clone(&tamper),
    };
    let mut a = PeerConnection::with_signaling(config(1), a_end, Role::Impolite).expect("A");
    let mut b = PeerConnection::with_signaling(config(2), b_end, Role::Polite).expect("B");
    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());
    within(
        "audio negotiated",
        a.add_transceiver(TrackKind::Audio, TransceiverInit::default()),
    )
    .await
    .expect("audio");
    let (a_chat, b_chat) = open_chat(&mut a, &mut a_seen, &mut b, &mut b_seen).await;

    tamper.store(true, Ordering::SeqCst);
    let refused = within(
        "the refusal",
        a.add_transceiver(TrackKind::Video, TransceiverInit::default()),
    )
    .await;
    assert!(
        matches!(&refused, Err(Error::Refused { reason }) if reason.contains("mid")),
        "{refused:?}"
    );
    // A rolled its offer back; B never applied it; the data channel is untouched.
    let a_state = a
        .with_session(|s| (s.signaling_state(), s.is_negotiation_needed()))
        .await
        .expect("the task runs");
    assert_eq!(
        a_state,
        (SignalingState::Stable, true),
        "rolled back, still wanted"
    );
    let b_sections = b
        .with_session(|s| (s.signaling_state(), s.transceivers().count()))
        .await
        .expect("the task runs");
    assert_eq!(b_sections, (SignalingState::Stable, 1));
    // Held: the same refused offer is not sent again by itself.
    send_numbered(&a, a_chat, &b, b_chat, 0..10).await;
    all_arrive(&mut a, &mut a_seen, &mut b, &mut b_seen, 10).await;
    assert_eq!(
        a.negotiated().await,
        Err(Error::Refused {
            reason: match refused {
                Err(Error::Refused { reason }) => reason,
                _ => unreachable!("checked above"),
            }
        }),
        "asking again reports the refusal while it holds"
    );

    // The next change releases the hold; with honest signaling both changes land.
    tamper.store(false, Ordering::SeqCst);
    within(
        "the next change",
        a.add_transceiver(TrackKind::Audio, TransceiverInit::default()),
    )
    .await
    .expect("negotiated");
    let b_count = b
        .with_session(|s| s.transceivers().count())
        .await
        .expect("the task runs");
    assert_eq!(
        b_count, 3,
        "audio, the video that was refused before, audio"
    );
}

#[tokio::test]
async fn stop_media_returns_once_negotiated_and_the_channel_keeps_delivering() {
    let (mut a, mut b) = pair();
    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());
    for kind in [TrackKind::Audio, TrackKind::Video, TrackKind::Audio] {
        within("added", a.add_transceiver(kind, TransceiverInit::default()))
            .await
            .expect("added");
    }
    let (a_chat, b_chat) = open_chat(&mut a, &mut a_seen, &mut b, &mut b_seen).await;
    send_numbered(&a, a_chat, &b, b_chat, 0..30).await;
    let stopped = within("stop_media negotiated", a.stop_media())
        .await
        .expect("negotiated");
    assert_eq!(stopped.len(), 3);
    send_numbered(&a, a_chat, &b, b_chat, 30..60).await;
    for side in [&a, &b] {
        let mode = side.with_session(|s| s.mode()).await.expect("runs");
        assert_eq!(mode, Mode::DataOnly);
    }
    all_arrive(&mut a, &mut a_seen, &mut b, &mut b_seen, 60).await;
    let ended = b_seen
        .iter()
        .filter(|e| matches!(e, Event::Session(SessionEvent::TrackEnded { .. })))
        .count();
    assert_eq!(ended, 3, "B's three receiver tracks ended");
}

#[tokio::test]
async fn the_same_stop_negotiates_over_aiortc_style_tcp_signaling() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = probe.local_addr().expect("its address");
    drop(probe);
    // The first offerer listens, the answerer connects (aiortc's TcpSocketSignaling).
    let listening = tokio::spawn(TcpSignaling::listen(addr));
    let b_end = TcpSignaling::connect(addr, LIMIT).await.expect("connects");
    let a_end = listening.await.expect("joined").expect("accepted");
    let mut a = PeerConnection::with_signaling(config(1), a_end, Role::Impolite).expect("A");
    let mut b = PeerConnection::with_signaling(config(2), b_end, Role::Polite).expect("B");
    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());
    let video = within(
        "video negotiated",
        a.add_transceiver(TrackKind::Video, TransceiverInit::default()),
    )
    .await
    .expect("video");
    let (a_chat, b_chat) = open_chat(&mut a, &mut a_seen, &mut b, &mut b_seen).await;
    send_numbered(&a, a_chat, &b, b_chat, 0..20).await;
    within("stop negotiated", a.stop(video))
        .await
        .expect("negotiated over TCP");
    send_numbered(&a, a_chat, &b, b_chat, 20..40).await;
    all_arrive(&mut a, &mut a_seen, &mut b, &mut b_seen, 40).await;
    let b_mode = b.with_session(|s| s.mode()).await.expect("runs");
    assert_eq!(b_mode, Mode::DataOnly);
}

#[tokio::test]
async fn changes_made_in_one_call_go_out_in_one_offer_and_the_taken_event_stream_reports_them() {
    let (a_end, mut peer) = channel_pair();
    let mut a = PeerConnection::with_signaling(config(7), a_end, Role::Impolite).expect("peer A");
    let mut events = a.take_events();
    let made = a
        .with_connection_mut(|c, now| -> Result<_, Error> {
            c.with_session(now, |s| s.add_track(TrackKind::Audio, "a".into(), vec![]))?;
            c.with_session(now, |s| s.add_track(TrackKind::Video, "v".into(), vec![]))?;
            c.create_data_channel(now, "chat")
        })
        .await
        .expect("the task runs");
    made.expect("two tracks and a channel");
    let Some(SignalMessage::Description(offer)) = within("the offer", peer.recv()).await else {
        panic!("an offer first");
    };
    assert_eq!(
        offer.media.len(),
        3,
        "one offer carries both tracks and the data section"
    );
    // Nothing more goes out: the one offer waits for its answer.
    assert!(
        timeout(Duration::from_millis(200), peer.recv())
            .await
            .is_err()
    );
    let state = within("have-local-offer", async {
        loop {
            if let Event::Session(SessionEvent::SignalingStateChange(state)) =
                events.next().await.expect("the task runs")
            {
                return state;
            }
        }
    })
    .await;
    assert_eq!(state, SignalingState::HaveLocalOffer);
    assert!(a.next_event().await.is_none(), "the stream was taken out");
}
