//! `PeerConnection`: the async, W3C-shaped API over one [`Connection`] running in its own tokio
//! task (`shell.rs`).
//!
//! | webrtc-pc | here |
//! |---|---|
//! | `new RTCPeerConnection(config)` | [`PeerConnection::new`], [`PeerConnection::with_signaling`] (negotiates by itself) |
//! | `createOffer()` / `createAnswer()` | [`PeerConnection::create_offer`] / [`PeerConnection::create_answer`] |
//! | `setLocalDescription(d)` / `setLocalDescription()` | [`PeerConnection::set_local_description`] / [`PeerConnection::set_local_description_implicit`] |
//! | `setRemoteDescription(d)` | [`PeerConnection::set_remote_description`] |
//! | `addIceCandidate(c)`, `icecandidate` | [`PeerConnection::add_ice_candidate`], [`Event::LocalCandidate`] |
//! | `addTrack`, `addTransceiver`, `removeTrack` | [`PeerConnection::add_track`] (a [`TrackSender`]), [`PeerConnection::add_transceiver`], [`PeerConnection::remove_track`] |
//! | `ontrack`'s receiver track: RTP, frames, ended | [`PeerConnection::receiver`] (a [`TrackReceiver`]) |
//! | `transceiver.stop()`, `.direction = d` | [`PeerConnection::stop`], [`PeerConnection::set_direction`] |
//! | (tacet) stop every audio/video transceiver, keep data | [`PeerConnection::stop_media`] |
//! | `createDataChannel(label)`, `channel.send(m)` | [`PeerConnection::create_data_channel`], [`PeerConnection::send`] |
//! | `getStats()` | [`PeerConnection::stats`] |
//! | `close()` | [`PeerConnection::close`] |
//! | events (`track`, `negotiationneeded`, `datachannel`, `message`, ...) | [`PeerConnection::next_event`] |
//!
//! **Changes that negotiate.** Without a signaling hook, `stop()`, `stop_media()`,
//! `add_track()`, `add_transceiver()`, `set_direction()` and `remove_track()` return when the
//! local change is made (as in W3C: the application answers `negotiationneeded`). With a hook
//! ([`PeerConnection::with_signaling`]), the connection runs perfect negotiation itself and
//! these calls return when the change is negotiated — the new descriptions applied on both
//! sides, the session stable with nothing left to negotiate — or with the peer's refusal
//! ([`Error::Refused`]; the offer rolled back) or the channel's failure ([`Error::Signaling`]).

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use tacet_sdp::SessionDescription;
use tacet_session::perfect::Role;
use tacet_session::{
    Direction, RemoteCandidate, RemoteCandidateOutcome, SenderId, Session, SessionConfig,
    SignalingState, TransceiverId, TransceiverInit,
};
use tacet_track::{TrackId, TrackKind};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::connection::{Command, Connection, Event, Input, Stats};
use crate::data::{ChannelId, ChannelOptions, Message};
use crate::error::Error;
use crate::negotiator::Negotiator;
use crate::shell::{Call, Negotiation, Request, run};
use crate::signaling::{NoSignaling, Signaling};
use crate::tracks::{TrackReceiver, TrackSender};

/// Requests waiting for the task.
const REQUEST_QUEUE: usize = 64;

/// What a peer connection is built from.
#[derive(Clone, Debug)]
pub struct PeerConfig {
    /// The session's configuration (its fingerprint is replaced by the connection's own
    /// certificate's).
    pub session: SessionConfig,
    /// The address the transports' sockets are bound on (an OS-chosen port each; tests use
    /// 127.0.0.1 or ::1).
    pub ip: IpAddr,
    /// Seeds the session's identifiers (ICE credentials, SSRCs, ...).
    pub seed: u64,
}

/// A [`PeerConnection`]'s event stream on its own ([`PeerConnection::take_events`]).
#[derive(Debug)]
pub struct Events(mpsc::UnboundedReceiver<Event>);

impl Events {
    /// The next event; `None` once the connection's task has ended.
    pub async fn next(&mut self) -> Option<Event> {
        self.0.recv().await
    }

    /// The next event if one is waiting, without waiting.
    pub fn try_next(&mut self) -> Option<Event> {
        self.0.try_recv().ok()
    }
}

/// One peer connection running in its own tokio task.
#[derive(Debug)]
pub struct PeerConnection {
    requests: mpsc::Sender<Request>,
    events: mpsc::UnboundedReceiver<Event>,
    task: JoinHandle<()>,
    /// Local tracks made so far (their ids).
    tracks: AtomicU32,
    /// A random tag in this connection's track ids.
    tag: u32,
}

impl Drop for PeerConnection {
    fn drop(&mut self) {
        // The task owns the sockets; without this handle nobody can reach it.
        self.task.abort();
    }
}

impl PeerConnection {
    /// A peer connection whose negotiation is the application's (`negotiationneeded` events,
    /// offers and answers through the methods). Must be called inside a tokio runtime.
    pub fn new(config: PeerConfig) -> Result<Self, Error> {
        Self::spawn::<NoSignaling>(config, None)
    }

    /// A peer connection that negotiates by itself over `signaling` (perfect negotiation,
    /// webrtc-pc §10.7): `role` says which side yields when offers collide — the two peers
    /// must take different roles. Must be called inside a tokio runtime.
    pub fn with_signaling<S: Signaling>(
        config: PeerConfig,
        signaling: S,
        role: Role,
    ) -> Result<Self, Error> {
        let negotiation = Negotiation {
            negotiator: Negotiator::new(role),
            signaling,
        };
        Self::spawn(config, Some(negotiation))
    }

    fn spawn<S: Signaling>(
        config: PeerConfig,
        negotiation: Option<Negotiation<S>>,
    ) -> Result<Self, Error> {
        let connection = Connection::new(config.session, config.seed)?;
        let (requests, requests_rx) = mpsc::channel(REQUEST_QUEUE);
        let (events_tx, events) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(
            connection,
            config.ip,
            requests_rx,
            events_tx,
            negotiation,
        ));
        let mut tag = [0u8; 4];
        // Track ids need only differ between this connection's tracks (the counter does
        // that); the tag keeps two connections' ids apart, and a failed fill leaves it zero.
        let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut tag);
        Ok(Self {
            requests,
            events,
            task,
            tracks: AtomicU32::new(0),
            tag: u32::from_be_bytes(tag),
        })
    }

    /// The next event; `None` once the task has ended.
    pub async fn next_event(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// The next event if one is waiting, without waiting.
    pub fn try_next_event(&mut self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// Takes the event stream out of the connection, so that one task can wait for events
    /// while others share the connection (an `Arc<PeerConnection>`: every other method takes
    /// `&self`). From then on [`PeerConnection::next_event`] returns `None`.
    pub fn take_events(&mut self) -> Events {
        let (_, closed) = mpsc::unbounded_channel();
        Events(std::mem::replace(&mut self.events, closed))
    }

    /// Runs `read` on the connection inside the task, for what the methods do not expose.
    pub async fn with_connection<R: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> R + Send + 'static,
    ) -> Result<R, Error> {
        self.call(false, move |connection, _| read(connection))
            .await
    }

    /// Runs `call` on the connection inside the task as one change of the application's (say
    /// `add_track` twice and `create_data_channel_with`): with a hook, the negotiation it makes
    /// needed starts after it, so one offer carries all of it (webrtc-pc fires
    /// `negotiationneeded` once for changes made in one task). Does not wait for the
    /// negotiation; follow it with [`PeerConnection::negotiated`].
    pub async fn with_connection_mut<R: Send + 'static>(
        &self,
        call: impl FnOnce(&mut Connection, Instant) -> R + Send + 'static,
    ) -> Result<R, Error> {
        self.call(true, call).await
    }

    /// Runs `call` on the session inside the task (any session call, its effects carried out
    /// after it). A call that changes what needs negotiating does not wait for it; follow it
    /// with [`PeerConnection::negotiated`] when a hook is attached.
    pub async fn with_session<R: Send + 'static>(
        &self,
        call: impl FnOnce(&mut Session) -> R + Send + 'static,
    ) -> Result<R, Error> {
        self.call(true, move |connection, now| {
            connection.with_session(now, call)
        })
        .await
    }

    /// Returns once every change asked for so far is negotiated (at once without a hook), or
    /// with the failure that ended the negotiation.
    pub async fn negotiated(&self) -> Result<(), Error> {
        let (reply, result) = oneshot::channel();
        self.request(Request::Settle(reply)).await?;
        result.await.map_err(|_| Error::ShellGone)?
    }

    /// `createOffer()`.
    pub async fn create_offer(&self) -> Result<SessionDescription, Error> {
        Ok(self.with_session(Session::create_offer).await??)
    }

    /// `createAnswer()`.
    pub async fn create_answer(&self) -> Result<SessionDescription, Error> {
        Ok(self.with_session(Session::create_answer).await??)
    }

    /// `setLocalDescription(description)`. The transports it creates get their sockets before
    /// the next request runs, so [`PeerConnection::local_description`] read afterwards carries
    /// their host candidates.
    pub async fn set_local_description(
        &self,
        description: SessionDescription,
    ) -> Result<(), Error> {
        Ok(self
            .with_session(move |s| s.set_local_description(description))
            .await??)
    }

    /// `setLocalDescription()` without a description: the offer or answer the state calls for.
    pub async fn set_local_description_implicit(&self) -> Result<SessionDescription, Error> {
        Ok(self
            .with_session(Session::set_local_description_implicit)
            .await??)
    }

    /// `setRemoteDescription(description)`.
    pub async fn set_remote_description(
        &self,
        description: SessionDescription,
    ) -> Result<(), Error> {
        Ok(self
            .with_session(move |s| s.set_remote_description(description))
            .await??)
    }

    /// `localDescription` (pending if any, else current), with the candidates gathered so far.
    pub async fn local_description(&self) -> Result<Option<SessionDescription>, Error> {
        self.with_connection(|c| c.session().local_description().cloned())
            .await
    }

    /// `remoteDescription`.
    pub async fn remote_description(&self) -> Result<Option<SessionDescription>, Error> {
        self.with_connection(|c| c.session().remote_description().cloned())
            .await
    }

    /// `signalingState`.
    pub async fn signaling_state(&self) -> Result<SignalingState, Error> {
        self.with_connection(|c| c.session().signaling_state())
            .await
    }

    /// `addIceCandidate(candidate)`: a candidate of the peer's ([`Event::LocalCandidate`] on its
    /// side).
    pub async fn add_ice_candidate(
        &self,
        candidate: RemoteCandidate,
    ) -> Result<RemoteCandidateOutcome, Error> {
        Ok(self
            .with_session(move |s| s.add_remote_candidate(candidate))
            .await??)
    }

    /// `addTransceiver(kind, init)`; with a hook, returns once it is negotiated.
    pub async fn add_transceiver(
        &self,
        kind: TrackKind,
        init: TransceiverInit,
    ) -> Result<TransceiverId, Error> {
        let id = self
            .with_session(move |s| s.add_transceiver(kind, init))
            .await??;
        self.negotiated().await?;
        Ok(id)
    }

    /// `addTrack(track, ...streams)` for a new local track of `kind` (its id made here): the
    /// sender the application writes encoded frames or RTP payloads to. With a hook, returns
    /// once it is negotiated (an m-line recycled or added).
    pub async fn add_track(
        &self,
        kind: TrackKind,
        streams: Vec<String>,
    ) -> Result<TrackSender, Error> {
        let track = self.new_track_id(kind);
        let id = self
            .with_session(move |s| s.add_track(kind, track, streams))
            .await??;
        self.negotiated().await?;
        Ok(self.sender(id))
    }

    /// The sender of a transceiver (one from `add_transceiver`, or any other).
    pub fn sender(&self, transceiver: TransceiverId) -> TrackSender {
        TrackSender::new(transceiver, self.requests.clone())
    }

    /// The receiver of a transceiver (say on [`tacet_session::Event::Track`]): from now on its
    /// RTP packets and frames, then the end of its track, go to the [`TrackReceiver`] instead
    /// of [`PeerConnection::next_event`].
    pub async fn receiver(&self, transceiver: TransceiverId) -> Result<TrackReceiver, Error> {
        let (reply, receiver) = oneshot::channel();
        self.request(Request::Receive(transceiver, reply)).await?;
        receiver.await.map_err(|_| Error::ShellGone)
    }

    /// A track id no other local track of this connection has: kind, this connection's random
    /// tag, a counter.
    fn new_track_id(&self, kind: TrackKind) -> TrackId {
        let n = self.tracks.fetch_add(1, Ordering::Relaxed);
        TrackId::from(format!("{kind}-{:08x}-{n}", self.tag))
    }

    /// `removeTrack(sender)`; with a hook, returns once it is negotiated.
    pub async fn remove_track(&self, sender: SenderId) -> Result<(), Error> {
        self.with_session(move |s| s.remove_track(sender)).await??;
        self.negotiated().await
    }

    /// `transceiver.stop()`: the sender stops at once (no RTP leaves for it after this call's
    /// local part); with a hook, returns once the stop is negotiated (the m-section rejected on
    /// both sides, the peer's receiver track ended).
    pub async fn stop(&self, transceiver: TransceiverId) -> Result<(), Error> {
        self.with_session(move |s| s.transceiver_mut(transceiver)?.stop())
            .await??;
        self.negotiated().await
    }

    /// Stops every audio and video transceiver, keeping the data channel (tacet's
    /// `stop_media`, docs/stop-semantics.md); with a hook, returns once negotiated. Returns the
    /// transceivers it stopped.
    pub async fn stop_media(&self) -> Result<Vec<TransceiverId>, Error> {
        let stopped = self.with_session(Session::stop_media).await??;
        self.negotiated().await?;
        Ok(stopped)
    }

    /// `transceiver.direction = direction`; with a hook, returns once negotiated.
    pub async fn set_direction(
        &self,
        transceiver: TransceiverId,
        direction: Direction,
    ) -> Result<(), Error> {
        self.with_session(move |s| s.transceiver_mut(transceiver)?.set_direction(direction))
            .await??;
        self.negotiated().await
    }

    /// `createDataChannel(label, options)`: the channel opens ([`Event::DataChannelOpen`]) once
    /// SCTP is up; the first one makes the session need negotiation (the data section).
    pub async fn create_data_channel(
        &self,
        label: &str,
        options: ChannelOptions,
    ) -> Result<ChannelId, Error> {
        let label = label.to_owned();
        self.call(true, move |connection, now| {
            connection.create_data_channel_with(now, &label, options)
        })
        .await?
    }

    /// `channel.close()`: [`Event::DataChannelClosed`] follows on both sides.
    pub async fn close_channel(&self, channel: ChannelId) -> Result<(), Error> {
        self.command(Command::CloseChannel { channel }).await
    }

    /// `channel.send(message)`.
    pub async fn send(&self, channel: ChannelId, message: Message) -> Result<(), Error> {
        self.command(Command::Send { channel, message }).await
    }

    /// `getStats()`: the connection's counters (datagrams, per track, per data channel).
    pub async fn stats(&self) -> Result<Stats, Error> {
        self.with_connection(Connection::stats).await
    }

    /// `close()`: SCTP aborted, transports closed, receiver tracks ended (webrtc-pc "close the
    /// connection"); the task keeps running until this handle is dropped, so the last datagrams
    /// (ABORT, close_notify) leave.
    pub async fn close(&self) -> Result<(), Error> {
        self.with_session(Session::close).await
    }

    async fn command(&self, command: Command) -> Result<(), Error> {
        self.call(false, move |connection, now| {
            connection.handle_input(now, Input::Command(command))
        })
        .await?
    }

    async fn call<R: Send + 'static>(
        &self,
        change: bool,
        call: impl FnOnce(&mut Connection, Instant) -> R + Send + 'static,
    ) -> Result<R, Error> {
        let (reply, result) = oneshot::channel();
        let call: Call = Box::new(move |connection, now| {
            let _ = reply.send(call(connection, now));
        });
        self.request(Request::Call { call, change }).await?;
        result.await.map_err(|_| Error::ShellGone)
    }

    async fn request(&self, request: Request) -> Result<(), Error> {
        self.requests
            .send(request)
            .await
            .map_err(|_| Error::ShellGone)
    }
}
