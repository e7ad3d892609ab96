//! The main loop: the connection's events reported and acted on, a report every second, the
//! numbered data-channel messages, and the close (the dance is described in `run.rs`).

use std::future::pending;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;
use tacet_rtc::{
    ChannelId, ConnectionPhase, Error, Event, Events, IceState, Message, PeerConnection,
};
use tacet_session::{Event as SessionEvent, SignalingState};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, Interval, interval, sleep_until};

use crate::args::{Args, Side};
use crate::chat::{self, Tally};
use crate::pump::{ByeRequest, PeerEnd};
use crate::run::{Notice, Outcome, Shared, play, start_local};

/// How long the closing side waits for the peer's end of messages.
const CLOSER_WAIT: Duration = Duration::from_secs(3);
/// How long the side told `bye` waits for the closer's end of messages.
const TOLD_WAIT: Duration = Duration::from_millis(1_500);
/// How long the side told `bye` waits for the closer to close, after its own end went.
const DRAIN_WAIT: Duration = Duration::from_secs(3);
/// Time for the last datagrams (SCTP ABORT, DTLS close_notify) to leave after `close()`.
const LINGER: Duration = Duration::from_millis(150);

/// Why the run is ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trigger {
    /// The script reached `close`.
    Script,
    /// The peer said `bye`.
    PeerBye,
}

/// The main loop's state.
pub(crate) struct Peer {
    shared: Arc<Shared>,
    args: Args,
    events: Events,
    notices: mpsc::UnboundedReceiver<Notice>,
    peer_end: Option<oneshot::Receiver<PeerEnd>>,
    byes: mpsc::Sender<ByeRequest>,
    ticks: Interval,
    /// The connection reached `connected` once (the script's clock started).
    connected: bool,
    saw_remote_offer: bool,
    local_started: bool,
    /// The data channel of the numbered messages.
    chat: Option<(ChannelId, String)>,
    tally: Tally,
    chat_sent: Arc<AtomicU64>,
    chat_task: Option<(oneshot::Sender<()>, JoinHandle<Option<Error>>)>,
    end_sent: bool,
    /// The chat channel or the SCTP association was lost and reported
    /// (`--report-channel-loss`): no end marker goes or is awaited.
    chat_lost: bool,
    /// The peer's start, the clock of the chat's arrival times.
    started: Instant,
    trigger: Option<Trigger>,
    closing: bool,
    /// The peer closed the connection, or its signaling went, while we were closing.
    peer_closed: bool,
}

impl Peer {
    pub(crate) fn new(
        shared: Arc<Shared>,
        args: Args,
        events: Events,
        notices: mpsc::UnboundedReceiver<Notice>,
        peer_end: oneshot::Receiver<PeerEnd>,
        byes: mpsc::Sender<ByeRequest>,
    ) -> Self {
        Self {
            shared,
            args,
            events,
            notices,
            peer_end: Some(peer_end),
            byes,
            ticks: interval(Duration::from_secs(1)),
            connected: false,
            saw_remote_offer: false,
            local_started: false,
            chat: None,
            tally: Tally::default(),
            chat_sent: Arc::new(AtomicU64::new(0)),
            chat_task: None,
            end_sent: false,
            chat_lost: false,
            started: Instant::now(),
            trigger: None,
            closing: false,
            peer_closed: false,
        }
    }

    fn pc(&self) -> &PeerConnection {
        &self.shared.pc
    }

    fn me(&self) -> &'static str {
        self.args.side.as_str()
    }

    /// Runs until a clean close (or the error that ends the run).
    pub(crate) async fn live(mut self) -> Result<Outcome, String> {
        self.serve(None, |p| p.trigger.is_some()).await?;
        self.closing = true;
        let sent = self.stop_chat().await;
        let chatting = self.chat.is_some() && !self.chat_lost;
        match self.trigger {
            Some(Trigger::Script) => {
                if chatting {
                    self.send_end(sent).await;
                }
                let (reply, written) = oneshot::channel();
                if self.byes.send(reply).await.is_ok() {
                    // A bye that cannot go out: the peer's side is gone already.
                    let _ = written.await;
                }
                if chatting {
                    self.serve(Some(CLOSER_WAIT), |p| {
                        p.peer_closed
                            || ((p.tally.peer.is_none() || p.tally.from_peer.end.is_some())
                                && (p.tally.echoes.received == 0 || p.tally.echoes.end.is_some()))
                    })
                    .await?;
                }
            }
            Some(Trigger::PeerBye) | None => {
                if chatting {
                    self.serve(Some(TOLD_WAIT), |p| {
                        p.peer_closed || p.tally.peer.is_none() || p.tally.from_peer.end.is_some()
                    })
                    .await?;
                    self.send_end(sent).await;
                    self.serve(Some(DRAIN_WAIT), |p| p.peer_closed).await?;
                }
            }
        }
        // The peer's bye and our close race on nothing now: every message is in.
        self.pc().close().await.map_err(|e| format!("close: {e}"))?;
        self.serve(Some(LINGER), |_| false).await?;
        self.report(true).await;
        let failed = self.shared.failed_actions.load(Ordering::Relaxed);
        self.shared
            .out
            .event("closed", json!({"failed_actions": failed}));
        Ok(if failed == 0 {
            Outcome::Clean
        } else {
            Outcome::ActionsFailed(failed)
        })
    }

    /// Handles events, reports, notices and the peer's end until `done` holds or `wait` has
    /// passed (`None`: no limit).
    async fn serve(
        &mut self,
        wait: Option<Duration>,
        done: impl Fn(&Self) -> bool,
    ) -> Result<(), String> {
        let deadline = wait.map(|w| Instant::now() + w);
        loop {
            if done(self) {
                return Ok(());
            }
            let timer = async {
                match deadline {
                    Some(at) => sleep_until(at).await,
                    None => pending().await,
                }
            };
            let peer_end = async {
                match &mut self.peer_end {
                    Some(end) => end.await,
                    None => pending().await,
                }
            };
            tokio::select! {
                event = self.events.next() => match event {
                    Some(event) => self.on_event(event).await?,
                    None => return Err("local: the connection's task ended".to_owned()),
                },
                _ = self.ticks.tick() => self.report(false).await,
                end = peer_end => {
                    self.peer_end = None;
                    match end {
                        Ok(PeerEnd::Bye) => {
                            self.trigger.get_or_insert(Trigger::PeerBye);
                        }
                        _ if self.closing => self.peer_closed = true,
                        Ok(PeerEnd::Gone(why)) => return Err(why),
                        Err(_) => return Err("local: the signaling pump ended".to_owned()),
                    }
                }
                Some(notice) = self.notices.recv() => match notice {
                    Notice::Close => {
                        self.trigger.get_or_insert(Trigger::Script);
                    }
                    Notice::Fatal(why) if !self.closing => return Err(why),
                    Notice::Fatal(why) => eprintln!("tacet-peer: while closing: {why}"),
                },
                () = timer => return Ok(()),
            }
        }
    }

    async fn on_event(&mut self, event: Event) -> Result<(), String> {
        let out = Arc::clone(&self.shared.out);
        match event {
            Event::ConnectionStateChange(phase) => {
                out.event("connection_state", json!({"state": phase_name(phase)}));
                match phase {
                    ConnectionPhase::Connected if !self.connected => {
                        self.connected = true;
                        if !self.args.script.is_empty() {
                            play(
                                Arc::clone(&self.shared),
                                self.args.script.clone(),
                                Instant::now(),
                            );
                        }
                    }
                    ConnectionPhase::Failed if !self.closing => {
                        return Err("transport: the connection failed".to_owned());
                    }
                    ConnectionPhase::Closed | ConnectionPhase::Failed => self.peer_closed = true,
                    _ => {}
                }
            }
            Event::IceStateChange { state, .. } => {
                out.event("ice_state", json!({"state": ice_name(state)}));
            }
            Event::SctpConnected => out.event("sctp_connected", json!({})),
            // The peer aborted the association to move the channels to a new one (Chromium's
            // BUNDLE tag move); the channels stay open meanwhile.
            Event::SctpRestarting => out.event("sctp_restarting", json!({})),
            Event::SctpRestarted { resent } => {
                out.event("sctp_restarted", json!({"resent": resent}))
            }
            Event::SctpLost { reason } => {
                out.event("sctp_lost", json!({"reason": reason.to_string()}));
                if !self.closing {
                    if !self.args.report_channel_loss {
                        return Err(format!("data: the SCTP association ended: {reason}"));
                    }
                    self.lose_chat(
                        "sctp-lost",
                        &format!("the SCTP association ended: {reason}"),
                    )
                    .await;
                } else {
                    self.peer_closed = true;
                }
            }
            Event::TransportFailed { error, .. } => {
                out.event("transport_failed", json!({"error": error.to_string()}));
            }
            Event::DataChannelOpen { channel, label } => {
                out.event("datachannel_open", json!({"label": label}));
                self.on_open(channel, label);
            }
            Event::DataChannelMessage { channel, message } => {
                self.on_message(channel, message).await;
            }
            Event::DataChannelClosed { channel } => {
                let label = self
                    .chat
                    .as_ref()
                    .filter(|(c, _)| *c == channel)
                    .map(|(_, l)| l.clone());
                out.event("datachannel_closed", json!({"label": label}));
                if label.is_some() {
                    if self.closing {
                        self.peer_closed = true;
                    } else if self.args.report_channel_loss {
                        if !self.chat_lost {
                            self.lose_chat("peer-closed", "the peer closed the channel")
                                .await;
                        }
                    } else {
                        return Err("data: the data channel closed before the end".to_owned());
                    }
                }
            }
            Event::Frame(frame) => self
                .shared
                .tracks()
                .on_frame(frame.transceiver, &frame.data),
            Event::Session(event) => self.on_session(event).await,
            _ => {}
        }
        Ok(())
    }

    /// `getTransceivers()`: each transceiver in the set with its mid, kind and current
    /// direction (null before it was negotiated).
    async fn transceivers(&self) -> serde_json::Value {
        let listed = self.pc().with_connection(|c| {
            c.session()
                .transceivers()
                .map(|t| {
                    json!({
                        "mid": t.mid().map(|m| m.as_str().to_owned()),
                        "kind": t.kind().to_string(),
                        "direction": t.current_direction().map(|d| d.to_string()),
                    })
                })
                .collect::<Vec<_>>()
        });
        listed
            .await
            .map_or(serde_json::Value::Null, serde_json::Value::from)
    }

    async fn on_session(&mut self, event: SessionEvent) {
        let out = Arc::clone(&self.shared.out);
        match event {
            SessionEvent::SignalingStateChange(state) => {
                // How many numbered messages went before it: a judge places lost messages
                // with it (a peer that drops what comes while its own tag move is pending).
                let chat_sent = self.chat_sent.load(Ordering::Relaxed);
                let mut fields = json!({"state": state.as_str(), "chat_sent": chat_sent});
                if state == SignalingState::Stable {
                    // getTransceivers() once a negotiation is done: a stopped transceiver is
                    // gone from it (webrtc-pc "stopped ... removed"), which a judge checks.
                    fields["transceivers"] = self.transceivers().await;
                }
                out.event("signaling_state", fields);
                if state == SignalingState::HaveRemoteOffer {
                    self.saw_remote_offer = true;
                }
                // The answerer's own tracks wait for the first offer to be answered (run.rs).
                if state == SignalingState::Stable
                    && self.args.side == Side::Answer
                    && self.saw_remote_offer
                    && !self.local_started
                {
                    self.local_started = true;
                    start_local(Arc::clone(&self.shared), self.args.send.clone(), None);
                }
            }
            SessionEvent::Track {
                transceiver,
                streams,
            } => {
                let pc_kind = self
                    .pc()
                    .with_connection(move |c| {
                        c.session().transceiver(transceiver).map(|t| t.kind())
                    })
                    .await
                    .ok()
                    .flatten();
                let mid = self.shared.mid(transceiver).await;
                if let Some(kind) = pc_kind {
                    self.shared.tracks().add_got(transceiver, kind, mid.clone());
                }
                out.event(
                    "track",
                    json!({"kind": pc_kind.map(|k| k.as_str()), "mid": mid, "streams": streams}),
                );
            }
            SessionEvent::TrackMuted { transceiver }
            | SessionEvent::TrackUnmuted { transceiver } => {
                let name = if matches!(event, SessionEvent::TrackMuted { .. }) {
                    "track_muted"
                } else {
                    "track_unmuted"
                };
                let (kind, mid) = self.describe(transceiver).await;
                out.event(name, json!({"kind": kind, "mid": mid}));
            }
            SessionEvent::TrackEnded {
                transceiver,
                reason,
            } => {
                let mut fields = self.shared.tracks().got_ended(transceiver, reason);
                if fields["kind"].is_null() {
                    let (kind, mid) = self.describe(transceiver).await;
                    fields["kind"] = json!(kind);
                    fields["mid"] = json!(mid);
                }
                out.event("track_ended", fields);
            }
            SessionEvent::PeerWarning(warning) => out.event(
                "warning",
                json!({"rule": warning.kind.rule(), "message": warning.to_string()}),
            ),
            SessionEvent::ModeChanged { from, to } => out.event(
                "mode",
                json!({"from": from.to_string(), "to": to.to_string()}),
            ),
            _ => {}
        }
    }

    /// Kind and mid of a transceiver, from the tracks known or the session.
    async fn describe(
        &self,
        transceiver: tacet_session::TransceiverId,
    ) -> (Option<&'static str>, Option<String>) {
        if let Some((kind, mid)) = self.shared.tracks().describe(transceiver) {
            return (Some(kind.as_str()), mid);
        }
        let kind = self
            .pc()
            .with_connection(move |c| c.session().transceiver(transceiver).map(|t| t.kind()))
            .await
            .ok()
            .flatten();
        (kind.map(|k| k.as_str()), self.shared.mid(transceiver).await)
    }

    /// A channel opened: the offerer's own channel, or the one the answerer accepts (the label
    /// asked for, or any first one when none was).
    fn on_open(&mut self, channel: ChannelId, label: String) {
        if self.chat.is_some() || self.closing {
            return;
        }
        let ours = self.args.datachannel.as_deref() == Some(label.as_str());
        let accepts_any = self.args.side == Side::Answer && self.args.datachannel.is_none();
        if !(ours || accepts_any) {
            return;
        }
        self.chat = Some((channel, label));
        if ours {
            let (stop, stopped) = oneshot::channel();
            let task = talk(
                Arc::clone(&self.shared),
                channel,
                self.me(),
                self.args.chat_interval,
                Arc::clone(&self.chat_sent),
                stopped,
            );
            self.chat_task = Some((stop, task));
        }
    }

    /// `--report-channel-loss`: the chat is over before the close, for `cause` (`peer-closed`,
    /// `sctp-lost`). Reported once, with the counts so far; the numbered messages stop and the
    /// run goes on (media, script, close without an end marker).
    async fn lose_chat(&mut self, cause: &str, reason: &str) {
        if self.chat_lost {
            return;
        }
        self.chat_lost = true;
        let sent = self.stop_chat().await;
        let label = self.chat.as_ref().map(|(_, label)| label.clone());
        self.shared.out.event(
            "datachannel_lost",
            json!({
                "label": label,
                "cause": cause,
                "reason": reason,
                "sent": sent,
                "from_peer": {"received": self.tally.from_peer.received},
            }),
        );
    }

    async fn on_message(&mut self, channel: ChannelId, message: Message) {
        if self.chat.as_ref().is_some_and(|(c, _)| *c == channel) {
            match &message {
                Message::Text(text) => {
                    self.tally
                        .on_text(self.args.side.as_str(), text, self.started.elapsed());
                }
                Message::Binary(_) => self.tally.other += 1,
            }
        }
        if self.args.echo_data {
            match self.pc().send(channel, message).await {
                Ok(()) => self.tally.echoed += 1,
                Err(e) => eprintln!("tacet-peer: an echo was not sent: {e}"),
            }
        }
    }

    /// Stops the numbered messages; how many went.
    async fn stop_chat(&mut self) -> u64 {
        if let Some((stop, task)) = self.chat_task.take() {
            let _ = stop.send(());
            if let Ok(Some(error)) = task.await {
                eprintln!("tacet-peer: the numbered messages stopped early: {error}");
            }
        }
        self.chat_sent.load(Ordering::Relaxed)
    }

    async fn send_end(&mut self, sent: u64) {
        let Some((channel, _)) = &self.chat else {
            return;
        };
        if self.args.datachannel.is_none() {
            // An answerer that only accepts the channel sends no numbered messages.
            return;
        }
        let text = chat::end(self.me(), sent);
        match self.pc().send(*channel, Message::Text(text)).await {
            Ok(()) => self.end_sent = true,
            Err(e) => eprintln!("tacet-peer: the end of the numbered messages was not sent: {e}"),
        }
    }

    /// The `media` events (per track) and the `datachannel` event of one report.
    async fn report(&mut self, last: bool) {
        let Ok(stats) = self.pc().stats().await else {
            return;
        };
        let out = Arc::clone(&self.shared.out);
        for fields in self.shared.tracks().report(&stats, last) {
            out.event("media", fields);
        }
        if let Some((_, label)) = &self.chat {
            let mut fields =
                self.tally
                    .report(label, self.chat_sent.load(Ordering::Relaxed), self.end_sent);
            fields["final"] = json!(last);
            out.event("datachannel", fields);
        }
    }
}

/// Sends numbered messages on `channel` every `every` until stopped; the error that ended it
/// early, if one did.
fn talk(
    shared: Arc<Shared>,
    channel: ChannelId,
    me: &'static str,
    every: Duration,
    sent: Arc<AtomicU64>,
    mut stop: oneshot::Receiver<()>,
) -> JoinHandle<Option<Error>> {
    tokio::spawn(async move {
        let mut ticks = interval(every);
        loop {
            tokio::select! {
                _ = &mut stop => return None,
                _ = ticks.tick() => {
                    let n = sent.load(Ordering::Relaxed);
                    let text = chat::message(me, n);
                    if let Err(error) = shared.pc.send(channel, Message::Text(text)).await {
                        return Some(error);
                    }
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    })
}

fn phase_name(phase: ConnectionPhase) -> &'static str {
    match phase {
        ConnectionPhase::New => "new",
        ConnectionPhase::Connecting => "connecting",
        ConnectionPhase::Connected => "connected",
        ConnectionPhase::Disconnected => "disconnected",
        ConnectionPhase::Failed => "failed",
        ConnectionPhase::Closed => "closed",
    }
}

fn ice_name(state: IceState) -> &'static str {
    match state {
        IceState::New => "new",
        IceState::Checking => "checking",
        IceState::Connected => "connected",
        IceState::Completed => "completed",
        IceState::Disconnected => "disconnected",
        IceState::Failed => "failed",
        IceState::Closed => "closed",
    }
}
