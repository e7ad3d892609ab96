//! One tacet peer of the story and what it measures: its event loop (data channel, receiver
//! tracks that start and end, the answerer's tracks sent back), its synthetic media writers
//! (tacet-peer's `synth.rs`), its numbered chat (tacet-peer's `chat.rs`) and the RTP packets
//! it received per kind.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tacet_rtc::{
    ChannelId, ChannelOptions, Error, Event, Events, Message, PeerConnection, TrackSender,
};
use tacet_session::TransceiverId;
use tacet_track::TrackKind;
use tokio::time::{Instant, MissedTickBehavior, interval, interval_at};

use super::Run;
use super::chat::{self, Tally};
use super::observe::{Chat, Flow, Negotiated, PeerState, RateSample};
use super::synth::{self, Written};

/// The chat's label.
pub(crate) const LABEL: &str = "chat";
/// The stream every sent track belongs to.
const STREAM: &str = "tacet-demo";
/// The pace of the numbered messages, both ways.
pub(crate) const CHAT_EVERY: Duration = Duration::from_millis(25);

/// What the peer's tasks update.
#[derive(Debug, Default)]
struct State {
    channel: Option<ChannelId>,
    /// The chat's sender is asked to send its end and stop.
    ending: bool,
    end_sent: bool,
    sent: u64,
    send_failures: u64,
    tally: Tally,
    /// The kinds of the receiver tracks that ended.
    ended: Vec<String>,
    /// Every transceiver's kind seen so far (a removed one keeps its counts in the stats).
    kinds: BTreeMap<TransceiverId, TrackKind>,
    /// SCTP association restarts the channels were carried through (a browser's tag move).
    restarts: u64,
}

/// One tacet peer.
#[derive(Debug)]
pub(crate) struct Side {
    pub(crate) name: &'static str,
    pub(crate) pc: PeerConnection,
    state: Mutex<State>,
    start: Instant,
    /// Answer every received track with one of ours of its kind (the answerer does).
    echo: bool,
}

impl Side {
    /// Starts the peer's event loop.
    pub(crate) fn spawn(name: &'static str, mut pc: PeerConnection, echo: bool) -> Arc<Self> {
        let events = pc.take_events();
        let side = Arc::new(Self {
            name,
            pc,
            state: Mutex::new(State::default()),
            start: Instant::now(),
            echo,
        });
        tokio::spawn(Arc::clone(&side).events(events));
        side
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A task that panicked holding the lock left counts that are still the best we have.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn events(self: Arc<Self>, mut events: Events) {
        while let Some(event) = events.next().await {
            match event {
                Event::DataChannelOpen { channel, label } if label == LABEL => {
                    let first = self.state().channel.replace(channel).is_none();
                    if first {
                        tokio::spawn(Arc::clone(&self).chat(channel));
                    }
                }
                Event::DataChannelMessage {
                    message: Message::Text(text),
                    ..
                } => {
                    let at = self.start.elapsed();
                    self.state().tally.on_text(self.name, &text, at);
                }
                Event::DataChannelMessage { .. } => self.state().tally.other += 1,
                Event::SctpRestarted { .. } => self.state().restarts += 1,
                Event::Session(tacet_session::Event::Track { transceiver, .. }) if self.echo => {
                    tokio::spawn(Arc::clone(&self).send_back(transceiver));
                }
                Event::Session(tacet_session::Event::TrackEnded { transceiver, .. }) => {
                    let kind = self.kind(transceiver).await;
                    self.state()
                        .ended
                        .push(kind.map_or_else(|| "?".to_owned(), |k| k.to_string()));
                }
                _ => {}
            }
        }
    }

    /// A transceiver's kind (remembered: a removed transceiver is no longer in the session).
    async fn kind(&self, transceiver: TransceiverId) -> Option<TrackKind> {
        if let Some(kind) = self.state().kinds.get(&transceiver) {
            return Some(*kind);
        }
        let kind = self
            .pc
            .with_connection(move |c| c.session().transceiver(transceiver).map(|t| t.kind()))
            .await
            .ok()
            .flatten()?;
        self.state().kinds.insert(transceiver, kind);
        Some(kind)
    }

    /// The answerer's reply to a new receiver track: a track of ours of its kind on the same
    /// transceiver (addTrack reuses it, webrtc-pc), so that media flows both ways.
    async fn send_back(self: Arc<Self>, transceiver: TransceiverId) {
        let trackless = self
            .pc
            .with_connection(move |c| {
                c.session()
                    .transceiver(transceiver)
                    .filter(|t| t.sender().track().is_none() && !t.is_stopping())
                    .map(|t| t.kind())
            })
            .await
            .ok()
            .flatten();
        let Some(kind) = trackless else { return };
        match self.pc.add_track(kind, vec![STREAM.to_owned()]).await {
            Ok(sender) => self.write(sender, kind),
            Err(e) => eprintln!(
                "tacet-demo: {}: sending a {kind} track back: {e}",
                self.name
            ),
        }
    }

    /// Adds audio, video and the chat in one change (one offer carries them all), waits until
    /// negotiated, then writes media; the transceivers, audio then video.
    pub(crate) async fn open(&self) -> Result<Vec<TransceiverId>, Error> {
        let ids: Vec<TrackKind> = vec![TrackKind::Audio, TrackKind::Video];
        let made = self
            .pc
            .with_connection_mut(move |c, now| -> Result<_, Error> {
                let mut made = Vec::new();
                for (n, kind) in ids.into_iter().enumerate() {
                    let track = tacet_track::TrackId::from(format!("demo-{kind}-{n}"));
                    made.push(c.with_session(now, |s| {
                        s.add_track(kind, track, vec![STREAM.to_owned()])
                    })?);
                }
                c.create_data_channel_with(now, LABEL, ChannelOptions::default())?;
                Ok(made)
            })
            .await??;
        self.pc.negotiated().await?;
        for (id, kind) in made.iter().zip([TrackKind::Audio, TrackKind::Video]) {
            self.write(self.pc.sender(*id), kind);
        }
        Ok(made)
    }

    /// Writes synthetic frames of `kind` on `sender` until it is stopped.
    pub(crate) fn write(&self, sender: TrackSender, kind: TrackKind) {
        {
            let mut state = self.state();
            state.kinds.insert(sender.transceiver(), kind);
        }
        // The writer ends by itself with the sender's typed refusal once it is stopped.
        drop(synth::write(sender, kind, Arc::new(Written::default())));
    }

    /// Sends `"<name> <n>"` every [`CHAT_EVERY`] until asked to end, then `"<name> end <n>"`.
    async fn chat(self: Arc<Self>, channel: ChannelId) {
        let mut ticks = interval(CHAT_EVERY);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let (ending, n) = {
                let state = self.state();
                (state.ending, state.sent)
            };
            let text = if ending {
                chat::end(self.name, n)
            } else {
                chat::message(self.name, n)
            };
            let result = self.pc.send(channel, Message::Text(text)).await;
            let mut state = self.state();
            match (result, ending) {
                (Ok(()), true) => {
                    state.end_sent = true;
                    return;
                }
                (Ok(()), false) => state.sent += 1,
                (Err(e), _) => {
                    state.send_failures += 1;
                    if state.send_failures == 1 {
                        eprintln!("tacet-demo: {}: a chat message was refused: {e}", self.name);
                    }
                    if ending {
                        return;
                    }
                }
            }
        }
    }

    /// Asks the chat to send its end and stop.
    pub(crate) fn end_chat(&self) {
        self.state().ending = true;
    }

    /// Whether the chat's end went out.
    pub(crate) fn end_sent(&self) -> bool {
        self.state().end_sent
    }

    /// SCTP association restarts so far.
    pub(crate) fn restarts(&self) -> u64 {
        self.state().restarts
    }

    /// RTP packets received so far, per kind.
    async fn received_now(&self) -> BTreeMap<String, u64> {
        let read = self
            .pc
            .with_connection(|c| {
                let kinds: Vec<(TransceiverId, TrackKind)> = c
                    .session()
                    .transceivers()
                    .map(|t| (t.id(), t.kind()))
                    .collect();
                (c.stats(), kinds)
            })
            .await;
        let Ok((stats, kinds)) = read else {
            return BTreeMap::new();
        };
        let mut state = self.state();
        state.kinds.extend(kinds);
        let mut totals = BTreeMap::new();
        for (transceiver, track) in &stats.tracks {
            if let Some(kind) = state.kinds.get(transceiver) {
                *totals.entry(kind.to_string()).or_insert(0) += track.packets_received;
            }
        }
        totals
    }

    /// The peer's state and its last negotiation.
    pub(crate) async fn observe_all(&self) -> (PeerState, Option<Negotiated>) {
        let name = self.name;
        let read = self
            .pc
            .with_connection(move |c| {
                (
                    PeerState::of(name, c.session()),
                    Negotiated::of(c.session()),
                )
            })
            .await;
        read.unwrap_or_else(|_| {
            (
                PeerState {
                    name: name.to_owned(),
                    signaling: "gone".to_owned(),
                    mode: "gone".to_owned(),
                    transceivers: Vec::new(),
                },
                None,
            )
        })
    }
}

/// What the story reads of either peer, tacet or a browser.
pub(crate) trait Peer {
    /// Its name in the timeline.
    fn name(&self) -> &str;
    /// RTP packets received so far, per kind.
    fn received(&self) -> impl Future<Output = BTreeMap<String, u64>>;
    /// Its state (signaling, mode, transceivers).
    fn peer_state(&self) -> impl Future<Output = PeerState>;
    /// The kinds of its receiver tracks that ended so far.
    fn ended(&self) -> Vec<String>;
    /// Its chat's counts.
    fn chat_counts(&self) -> Chat;
    /// Whether its chat is open.
    fn chat_open(&self) -> bool;
    /// Whether the other side's end of the chat has come.
    fn peer_end_came(&self) -> bool;
}

impl Peer for Side {
    fn name(&self) -> &str {
        self.name
    }

    async fn received(&self) -> BTreeMap<String, u64> {
        self.received_now().await
    }

    async fn peer_state(&self) -> PeerState {
        self.observe_all().await.0
    }

    fn ended(&self) -> Vec<String> {
        self.state().ended.clone()
    }

    fn chat_counts(&self) -> Chat {
        let state = self.state();
        tally_counts(self.name, state.sent, state.send_failures, &state.tally)
    }

    fn chat_open(&self) -> bool {
        self.state().channel.is_some()
    }

    fn peer_end_came(&self) -> bool {
        self.state().tally.from_peer.end.is_some()
    }
}

/// Measures RTP arriving at each peer for `seconds`, one sample (and one rate line) a second.
pub(crate) async fn measure(
    run: &mut Run,
    a: &impl Peer,
    b: &impl Peer,
    seconds: u32,
) -> Vec<RateSample> {
    let mut last = [a.received().await, b.received().await];
    let t0 = Instant::now();
    let mut ticks = interval_at(t0 + Duration::from_secs(1), Duration::from_secs(1));
    let mut samples = Vec::new();
    let names = [a.name().to_owned(), b.name().to_owned()];
    for _ in 0..seconds {
        ticks.tick().await;
        let now = [a.received().await, b.received().await];
        let mut flows = Vec::new();
        // The first peer's media first: alice→bob, then bob→alice.
        for to in [1, 0] {
            for kind in ["audio", "video"] {
                let count = |m: &BTreeMap<String, u64>| m.get(kind).copied().unwrap_or(0);
                flows.push(Flow {
                    from: names[1 - to].clone(),
                    to: names[to].clone(),
                    kind: kind.to_owned(),
                    packets: count(&now[to]).saturating_sub(count(&last[to])),
                });
            }
        }
        let sample = RateSample {
            at: t0.elapsed().as_secs_f64(),
            flows,
        };
        run.report.rates(&sample);
        samples.push(sample);
        last = now;
    }
    samples
}

/// A tally's counts as the story shows them.
pub(crate) fn tally_counts(name: &str, sent: u64, send_failures: u64, tally: &Tally) -> Chat {
    let stream = &tally.from_peer;
    Chat {
        peer: name.to_owned(),
        sent,
        received: stream.received,
        lost: stream.lost,
        duplicates: stream.duplicates,
        out_of_order: stream.out_of_order,
        other: tally.other + tally.echoes.received,
        end: stream.end,
        complete: stream.complete(),
        max_gap_ms: stream
            .max_gap
            .map(|g| u64::try_from(g.as_millis()).unwrap_or(u64::MAX)),
        send_failures,
    }
}
