//! One run of the peer: signaling up, the connection made, media and data going, the script
//! played, then a clean close.
//!
//! **Roles.** The `offer` side makes the first offer and is impolite in perfect negotiation
//! (webrtc-pc §10.7); the `answer` side is polite. The answerer never offers before the first
//! offer is answered: its own tracks are added only then (they reuse the offer's transceivers,
//! webrtc-pc addTrack), so a peer that does not roll back — aiortc has no rollback and answers
//! only in stable — never receives an offer while its first one is outstanding. After that,
//! only a scripted change makes tacet offer. An aiortc peer makes no offer of its own in the
//! interop scenarios (its stop is a BYE, no SDP); one that may offer later is met with
//! `--polite` on the offer side too, so tacet yields (rolls back, answers) on a collision
//! instead of ignoring an offer that aiortc could never take back.
//!
//! **Close.** The closing side stops its numbered messages, sends `"<role> end <count>"`,
//! says `bye` on the signaling channel, and waits (3 s at most) for the peer's end — which the
//! peer sends only once ours has come, so ours are all in — then closes. The side told `bye`
//! stops its messages, waits (1.5 s at most) for the closer's end, sends its own, and waits
//! (3 s at most) for the closer to close the connection, then closes too.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;
use tacet_rtc::{ChannelOptions, Error, PeerConfig, PeerConnection, Role, channel_pair};
use tacet_sdp::Fingerprint;
use tacet_session::{PeerPolicy, SessionConfig, TransceiverId};
use tacet_track::{TrackId, TrackKind};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use crate::args::{Args, Side, SignalingMode};
use crate::live::Peer;
use crate::output::Output;
use crate::pump::{self, ByeRequest, Paste, Wire};
use crate::script::{Action, Step};
use crate::synth::{self, Written};
use crate::tracks::Tracks;

/// How long the answerer keeps trying to reach the offerer's signaling port.
const CONNECT_PATIENCE: Duration = Duration::from_secs(30);
/// The stream every sent track belongs to.
const STREAM: &str = "tacet-peer";

/// What the tasks share.
pub(crate) struct Shared {
    pub(crate) pc: PeerConnection,
    pub(crate) out: Arc<Output>,
    pub(crate) tracks: std::sync::Mutex<Tracks>,
    pub(crate) failed_actions: AtomicU64,
    track_ids: AtomicU32,
    pub(crate) notices: mpsc::UnboundedSender<Notice>,
}

/// What the tasks tell the main loop.
pub(crate) enum Notice {
    /// The script reached `close`.
    Close,
    /// A task failed in a way that ends the run.
    Fatal(String),
}

/// How a run ended well.
pub(crate) enum Outcome {
    /// Closed cleanly, every action done.
    Clean,
    /// Closed cleanly, but this many scripted actions failed.
    ActionsFailed(u64),
}

impl Shared {
    pub(crate) fn tracks(&self) -> std::sync::MutexGuard<'_, Tracks> {
        // A poisoned lock means a reporter panicked; the counts are still the best we have.
        self.tracks.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn track_id(&self, kind: TrackKind) -> TrackId {
        let n = self.track_ids.fetch_add(1, Ordering::Relaxed);
        TrackId::from(format!("tacet-peer-{kind}-{n}"))
    }

    pub(crate) async fn mid(&self, transceiver: TransceiverId) -> Option<String> {
        self.pc
            .with_connection(move |c| {
                c.session()
                    .transceiver(transceiver)
                    .and_then(|t| t.mid().map(ToString::to_string))
            })
            .await
            .ok()
            .flatten()
    }

    /// Starts writing frames on each new sender, and reports when a writer ends.
    pub(crate) async fn start_writers(self: &Arc<Self>, senders: Vec<(TransceiverId, TrackKind)>) {
        for (transceiver, kind) in senders {
            let mid = self.mid(transceiver).await;
            let written = Arc::new(Written::default());
            self.tracks()
                .add_sent(transceiver, kind, mid, Arc::clone(&written));
            let writer = synth::write(self.pc.sender(transceiver), kind, written);
            let shared = Arc::clone(self);
            tokio::spawn(async move {
                let why = match writer.await {
                    Ok(error) => error.to_string(),
                    Err(_) => "the writer stopped".to_owned(),
                };
                if let Some(fields) = shared.tracks().sending_ended(transceiver, why) {
                    shared.out.event("sending_ended", fields);
                }
            });
        }
    }
}

/// Runs the peer to its end.
pub(crate) async fn run(args: Args) -> Result<Outcome, String> {
    let out = Arc::new(Output::new(args.json, args.side.as_str()));
    out.event(
        "started",
        json!({
            "send": args.send.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            "datachannel": args.datachannel,
            "echo_data": args.echo_data,
            "strict": args.strict,
            "polite": args.polite,
            "steps": args.script.len(),
        }),
    );
    let wire = connect_signaling(&args, &out).await?;
    let (pc_end, pump_end) = channel_pair();
    let (byes, byes_rx) = mpsc::channel::<ByeRequest>(1);
    let (ended_tx, peer_end) = oneshot::channel();
    tokio::spawn(pump::run(
        wire,
        pump_end,
        byes_rx,
        Arc::clone(&out),
        ended_tx,
    ));

    let placeholder = Fingerprint::new("sha-256", &[0; 32])
        .map_err(|e| format!("local: a placeholder fingerprint: {e}"))?;
    let mut session = SessionConfig::new(placeholder);
    session.peer_policy = if args.strict {
        PeerPolicy::Strict
    } else {
        PeerPolicy::Tolerant
    };
    let role = match (args.side, args.polite) {
        (Side::Offer, false) => Role::Impolite,
        (Side::Offer, true) | (Side::Answer, _) => Role::Polite,
    };
    let config = PeerConfig {
        session,
        ip: args.bind,
        seed: seed(),
    };
    let mut pc = PeerConnection::with_signaling(config, pc_end, role)
        .map_err(|e| format!("cannot start the connection: {e}"))?;
    let events = pc.take_events();
    let (notices_tx, notices) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        pc,
        out: Arc::clone(&out),
        tracks: std::sync::Mutex::new(Tracks::default()),
        failed_actions: AtomicU64::new(0),
        track_ids: AtomicU32::new(0),
        notices: notices_tx,
    });
    if args.side == Side::Offer {
        // Everything in one change: the first offer carries every track and the data section.
        start_local(
            Arc::clone(&shared),
            args.send.clone(),
            args.datachannel.clone(),
        );
    }
    Peer::new(shared, args, events, notices, peer_end, byes)
        .live()
        .await
}

async fn connect_signaling(args: &Args, out: &Output) -> Result<Wire, String> {
    match &args.signaling {
        SignalingMode::CopyAndPaste => Ok(Wire::Paste(Paste::stdin())),
        SignalingMode::TcpSocket { host, port } => {
            let addr = tokio::net::lookup_host((host.as_str(), *port))
                .await
                .ok()
                .and_then(|mut addrs| addrs.next())
                .ok_or_else(|| format!("signaling: cannot resolve {host}:{port}"))?;
            let tcp = match args.side {
                Side::Offer => {
                    out.event(
                        "signaling",
                        json!({"state": "listening", "address": addr.to_string()}),
                    );
                    tacet_rtc::TcpSignaling::listen(addr).await
                }
                Side::Answer => tacet_rtc::TcpSignaling::connect(addr, CONNECT_PATIENCE).await,
            }
            .map_err(|e| format!("signaling: tcp-socket {addr}: {e}"))?;
            out.event(
                "signaling",
                json!({"state": "connected", "address": addr.to_string()}),
            );
            Ok(Wire::Tcp(tcp))
        }
    }
}

/// A random seed for the session's identifiers.
fn seed() -> u64 {
    let mut bytes = [0u8; 8];
    // A failed fill leaves zeros: the identifiers are then only less random, still valid.
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes);
    u64::from_be_bytes(bytes)
}

/// Adds the local tracks (and, on the offer side, the data channel) in one change, waits until
/// they are negotiated, then starts writing.
pub(crate) fn start_local(shared: Arc<Shared>, kinds: Vec<TrackKind>, channel: Option<String>) {
    if kinds.is_empty() && channel.is_none() {
        return;
    }
    tokio::spawn(async move {
        let ids: Vec<(TrackKind, TrackId)> =
            kinds.iter().map(|k| (*k, shared.track_id(*k))).collect();
        let made = shared
            .pc
            .with_connection_mut(move |c, now| -> Result<_, Error> {
                let mut senders = Vec::new();
                for (kind, id) in ids {
                    let transceiver =
                        c.with_session(now, |s| s.add_track(kind, id, vec![STREAM.to_owned()]))?;
                    senders.push((transceiver, kind));
                }
                if let Some(label) = channel {
                    c.create_data_channel_with(now, &label, ChannelOptions::default())?;
                }
                Ok(senders)
            })
            .await
            .and_then(|made| made);
        let senders = match made {
            Ok(senders) => senders,
            Err(e) => {
                let _ = shared
                    .notices
                    .send(Notice::Fatal(format!("adding the local tracks: {e}")));
                return;
            }
        };
        if let Err(e) = shared.pc.negotiated().await {
            let _ = shared
                .notices
                .send(Notice::Fatal(format!("negotiating the local tracks: {e}")));
            return;
        }
        shared.start_writers(senders).await;
    });
}

/// Plays the script, each step at its time from `t0` (a step that runs late delays the next).
pub(crate) fn play(shared: Arc<Shared>, steps: Vec<Step>, t0: Instant) -> JoinHandle<()> {
    tokio::spawn(async move {
        for step in steps {
            sleep_until(t0 + step.at).await;
            if step.action == Action::Close {
                let _ = shared.notices.send(Notice::Close);
                return;
            }
            let started = Instant::now();
            let result = act(&shared, step.action).await;
            let mut fields = json!({
                "action": step.action.to_string(),
                "at": step.at.as_secs_f64(),
                "took": started.elapsed().as_secs_f64(),
                "ok": result.is_ok(),
            });
            match result {
                Ok(details) => {
                    if let (Some(fields), serde_json::Value::Object(details)) =
                        (fields.as_object_mut(), details)
                    {
                        fields.extend(details);
                    }
                }
                Err(error) => {
                    eprintln!("tacet-peer: {} failed: {error}", step.action);
                    fields["error"] = json!(error);
                    shared.failed_actions.fetch_add(1, Ordering::Relaxed);
                }
            }
            shared.out.event("action", fields);
        }
    })
}

/// Carries out one step; the details of what it did.
async fn act(shared: &Arc<Shared>, action: Action) -> Result<serde_json::Value, String> {
    match action {
        Action::Stop(kind) => {
            // Ours if we send one of the kind, else the first live one (a receiver).
            let ours: Vec<_> = shared
                .tracks()
                .sent
                .iter()
                .filter(|s| s.kind == kind && s.ended.is_none())
                .map(|s| s.transceiver)
                .collect();
            let target = shared
                .pc
                .with_connection(move |c| {
                    let live: Vec<_> = c
                        .session()
                        .transceivers()
                        .filter(|t| t.kind() == kind && !t.is_stopping() && !t.is_stopped())
                        .map(|t| (t.id(), t.mid().map(ToString::to_string)))
                        .collect();
                    live.iter()
                        .find(|(id, _)| ours.contains(id))
                        .or(live.first())
                        .cloned()
                })
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no live {kind} transceiver to stop"))?;
            shared.pc.stop(target.0).await.map_err(|e| e.to_string())?;
            Ok(json!({"mid": target.1}))
        }
        Action::StopMedia => {
            let stopped = shared.pc.stop_media().await.map_err(|e| e.to_string())?;
            Ok(json!({"stopped": stopped.len()}))
        }
        Action::Add(kind) => {
            let sender = shared
                .pc
                .add_track(kind, vec![STREAM.to_owned()])
                .await
                .map_err(|e| e.to_string())?;
            let transceiver = sender.transceiver();
            shared.start_writers(vec![(transceiver, kind)]).await;
            Ok(json!({"mid": shared.mid(transceiver).await}))
        }
        // The main loop closes (play() hands it over).
        Action::Close => Ok(json!({})),
    }
}
