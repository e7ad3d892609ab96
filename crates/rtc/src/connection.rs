//! One peer connection's machines and its pure step: `now` and one [`Input`] in; datagrams,
//! events and the next deadline out.
//!
//! The connection decides nothing about stops. It feeds the session what the application
//! asks for and carries out the session's [`Effect`]s: a created transport gets an ICE agent
//! and a DTLS endpoint, a released one is closed, `close()` aborts SCTP. The SCTP association
//! is one per connection and runs over whichever transport's DTLS is connected.

mod association;
mod io;
mod rtp;
mod tag_move;

pub use io::{Command, Event, Input};

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use rtc_dtls::crypto_provider::RTCCryptoProvider;
use tacet_sdp::{Candidate, SdpType};
use tacet_session::{
    DataChannelId, DtlsRole, Effect, RemoteCandidate, Session, SessionConfig, SignalingState,
    TransceiverId, TransportId,
};

use crate::certificate::Certificate;
use crate::data::{
    ChannelId, ChannelOptions, ChannelStats, DataEvent, HOLD_WINDOW, Sctp, SctpOnReplacement,
};
use crate::demux::{Protocol, classify};
use crate::error::{Error, SctpLoss, TransportError};
use crate::frames::{Assembler, Packetizer};
use crate::handover::Handovers;
use crate::media::{Media, TrackStats};
use crate::state::{ConnectionPhase, DtlsTransportState, connection_phase};
use crate::transport::{Happening, Phase, Start, Transmit, Transport};

/// Upper bound of the passes of one settle (each pass drains every machine once); the
/// machines quiesce in two or three.
const PASSES: usize = 64;
/// Upper bound of the items taken from one queue in one pass.
const DRAIN: usize = 4096;

/// Datagrams counted by what happened to them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Datagrams handed to [`Connection::handle_input`].
    pub datagrams_in: u64,
    /// Datagrams given out by [`Connection::poll_transmit`].
    pub datagrams_out: u64,
    /// Dropped: no protocol of RFC 7983 matched, or its parser refused it.
    pub dropped_malformed: u64,
    /// Dropped: no transport has the local address it arrived on.
    pub dropped_unroutable: u64,
    /// Dropped: its transport failed or was closed (traps 1 and 2).
    pub dropped_closed: u64,
    /// Dropped: RTP/RTCP that failed SRTP/SRTCP (no keys yet, unauthenticated, replayed) or
    /// did not parse.
    pub dropped_media: u64,
    /// Dropped: authentic RTP no receiver takes (no route by mid, SSRC or payload type,
    /// RFC 9143 §9.2; or the receiver does not receive now).
    pub dropped_unrouted_media: u64,
    /// Received frames dropped because a packet of them was missing (frames.rs).
    pub incomplete_frames: u64,
    /// Not sent: no candidate pair or DTLS session to send on yet (the sender retransmits).
    pub unsent: u64,
    /// SCTP user messages dropped: no channel, bad DCEP, wrong stream parity.
    pub dropped_sctp: u64,
    /// STUN dropped: it reached a transport being replaced from an address other than the
    /// peer's on its pair (the peer's new transport checking it: same ICE credentials).
    pub dropped_retiring: u64,
    /// RTP packets and payload bytes per transceiver, sent and received.
    pub tracks: BTreeMap<TransceiverId, TrackStats>,
    /// Messages and bytes per data channel, sent and received.
    pub channels: BTreeMap<ChannelId, ChannelStats>,
}

/// One peer connection: the session and the transport machines under it, driven by a pure step.
pub struct Connection {
    session: Session,
    certificate: Certificate,
    provider: Arc<dyn RTCCryptoProvider>,
    transports: Vec<Transport>,
    /// Transport replacements under way (make-before-break).
    handovers: Handovers<TransportId>,
    sctp: Sctp,
    media: Media,
    /// Per sender: its frames to RTP payloads (write_frame).
    packetizers: HashMap<TransceiverId, Packetizer>,
    /// Per receiver: RTP back to frames.
    assemblers: HashMap<TransceiverId, Assembler>,
    /// How many of the session's data channels have a connection channel.
    mirrored: usize,
    /// The association's last transport ended while this side's tag-moving offer was
    /// pending: the loss, held for the answer (`carrier_ended`).
    deferred_loss: Option<SctpLoss>,
    /// Carry the SCTP association to a replacing transport, or restart it (Chromium).
    sctp_on_replacement: SctpOnReplacement,
    /// When a tag-moving offer may go out even with messages unacknowledged.
    announce_deadline: Option<Instant>,
    /// This side's ICE role, fixed by the first offer/answer (`start_transports`).
    ice_controlling: Option<bool>,
    happenings: Vec<(TransportId, Happening)>,
    /// The last `connectionState` reported.
    phase: ConnectionPhase,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: Stats,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("signaling", &self.session.signaling_state())
            .field("certificate", &self.certificate)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// A connection with a fresh certificate; the session is built from `config` with the
    /// certificate's fingerprint (whatever `config.fingerprints` said) and `seed`.
    pub fn new(mut config: SessionConfig, seed: u64) -> Result<Self, Error> {
        let provider = rtc_dtls::crypto_provider::default_provider()
            .map_err(|e| Error::Crypto(e.to_string()))?;
        let certificate = Certificate::generate(&provider)?;
        config.fingerprints = vec![certificate.fingerprint().clone()];
        let sctp = Sctp::new(config.sctp_port, config.max_message_size);
        Ok(Self {
            session: Session::new(config, seed),
            certificate,
            provider,
            transports: Vec::new(),
            handovers: Handovers::default(),
            sctp,
            media: Media::default(),
            packetizers: HashMap::new(),
            assemblers: HashMap::new(),
            mirrored: 0,
            deferred_loss: None,
            sctp_on_replacement: SctpOnReplacement::Carry,
            announce_deadline: None,
            ice_controlling: None,
            happenings: Vec::new(),
            phase: ConnectionPhase::New,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: Stats::default(),
        })
    }

    /// The session, to read.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Runs `call` on the session (offer/answer, transceivers, candidates, `close()`), then
    /// carries out the effects it queued.
    pub fn with_session<R>(&mut self, now: Instant, call: impl FnOnce(&mut Session) -> R) -> R {
        let result = call(&mut self.session);
        self.settle(now);
        result
    }

    /// `createDataChannel(label)`: reliable and ordered.
    pub fn create_data_channel(&mut self, now: Instant, label: &str) -> Result<ChannelId, Error> {
        self.create_data_channel_with(now, label, ChannelOptions::default())
    }

    /// `createDataChannel(label, options)`: the session registers it (an offer then carries the
    /// data section); the channel opens once SCTP is up. Both reliability limits set is
    /// refused (webrtc-pc: TypeError) and changes nothing.
    pub fn create_data_channel_with(
        &mut self,
        now: Instant,
        label: &str,
        options: ChannelOptions,
    ) -> Result<ChannelId, Error> {
        options.check()?;
        let id = self.session.create_data_channel(label)?;
        let channel = self.sctp.create(now, label, id, options);
        self.settle(now);
        Ok(channel)
    }

    /// A data channel's options (for a channel the peer opened: what it asked for).
    pub fn channel_options(&self, channel: ChannelId) -> Option<&ChannelOptions> {
        self.sctp.options(channel)
    }

    /// What this side does with its SCTP association when a transport is replaced
    /// ([`SctpOnReplacement`]; `Carry` unless set).
    pub fn set_sctp_on_replacement(&mut self, policy: SctpOnReplacement) {
        self.sctp_on_replacement = policy;
    }

    /// The connection's channel for a channel the session created.
    pub fn channel_of(&self, id: DataChannelId) -> Option<ChannelId> {
        self.sctp.channel_of(id)
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        let mut stats = self.stats.clone();
        stats.dropped_sctp = self.sctp.dropped;
        stats.tracks = self.media.stats.clone();
        stats
    }

    /// The transport's failure, if it failed.
    pub fn transport_error(&self, transport: TransportId) -> Option<&TransportError> {
        self.transports
            .iter()
            .find(|t| t.id == transport)
            .and_then(|t| match &t.phase {
                Phase::Failed(error) => Some(error),
                _ => None,
            })
    }

    /// The pure step: one input at `now`. A datagram never fails the call (a bad one is
    /// dropped and counted in [`Stats`]); a command the connection refuses returns an error and
    /// changes nothing.
    pub fn handle_input(&mut self, now: Instant, input: Input) -> Result<(), Error> {
        let result = match input {
            Input::Datagram {
                local,
                remote,
                data,
            } => {
                self.datagram(now, local, remote, data);
                Ok(())
            }
            Input::Timeout => {
                for transport in &mut self.transports {
                    let mut out = Vec::new();
                    transport.handle_timeout(now, &mut out);
                    let id = transport.id;
                    self.happenings.extend(out.into_iter().map(|h| (id, h)));
                }
                self.sctp.handle_timeout(now);
                for (old, new) in self.handovers.handle_timeout(now) {
                    self.handed_over(now, old, new);
                }
                if self.announce_deadline.is_some_and(|at| at <= now) {
                    // The offer may go (may_announce_offer); nothing more to wake for.
                    self.announce_deadline = None;
                }
                Ok(())
            }
            Input::Command(Command::SetLocalAddress { transport, addr }) => {
                self.set_local_address(transport, addr)
            }
            Input::Command(Command::Send { channel, message }) => {
                let size = message.len() as u64;
                let sent = self.sctp.send(now, channel, message);
                if sent.is_ok() {
                    let stats = self.stats.channels.entry(channel).or_default();
                    stats.messages_sent += 1;
                    stats.bytes_sent += size;
                }
                sent
            }
            Input::Command(Command::CloseChannel { channel }) => self.sctp.close(now, channel),
        };
        self.settle(now);
        result
    }

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        let transmit = self.transmits.pop_front()?;
        self.stats.datagrams_out += 1;
        Some(transmit)
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The earliest deadline of every machine: feed [`Input::Timeout`] then.
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        let transports = self
            .transports
            .iter_mut()
            .filter_map(Transport::poll_timeout);
        // The hold's end, once no tag-moving offer is pending (while one is, the answer ends it);
        // and the end of the wait before a tag-moving offer goes out.
        let hold_ends = self
            .sctp
            .holding_since()
            .filter(|_| !tag_move::pending_offer_moves_tag(&self.session))
            .map(|since| since + HOLD_WINDOW);
        transports
            .chain(self.sctp.poll_timeout())
            .chain(self.handovers.poll_timeout())
            .chain(hold_ends)
            .chain(self.announce_deadline)
            .min()
    }

    fn datagram(&mut self, now: Instant, local: SocketAddr, remote: SocketAddr, data: Bytes) {
        self.stats.datagrams_in += 1;
        let protocol = classify(&data);
        if protocol == Protocol::Unknown {
            self.stats.dropped_malformed += 1;
            return;
        }
        let Some(transport) = self.transports.iter_mut().find(|t| t.local == Some(local)) else {
            self.stats.dropped_unroutable += 1;
            return;
        };
        if !transport.is_live() {
            self.stats.dropped_closed += 1;
            return;
        }
        // Make-before-break: the peer's new transport has the old one's ICE credentials, and
        // a pair it formed with the old transport would carry its DTLS handshake to the old
        // association. A transport being replaced answers only the peer it is connected to.
        if protocol == Protocol::Stun
            && self.handovers.is_retiring(transport.id)
            && transport.remote_in_use() != Some(remote)
        {
            self.stats.dropped_retiring += 1;
            return;
        }
        if protocol == Protocol::Rtp {
            let id = transport.id;
            self.media_datagram(id, &data);
            return;
        }
        let bytes = BytesMut::from(&data[..]);
        let mut out = Vec::new();
        let accepted = match protocol {
            Protocol::Stun => transport.handle_stun(now, remote, bytes),
            Protocol::Dtls => transport.handle_dtls(now, bytes, &mut out),
            Protocol::Rtp | Protocol::Unknown => Err(()),
        };
        if accepted.is_err() {
            self.stats.dropped_malformed += 1;
        }
        let id = transport.id;
        self.happenings.extend(out.into_iter().map(|h| (id, h)));
    }

    fn set_local_address(&mut self, id: TransportId, addr: SocketAddr) -> Result<(), Error> {
        let index = self
            .transports
            .iter()
            .position(|t| t.id == id && t.is_live())
            .ok_or(Error::NoSuchTransport(id))?;
        if self.transports[index].phase != Phase::NeedsAddress {
            return Err(Error::AddressAlreadySet(id));
        }
        // RFC 8445 §5.1.2.1: host type preference 126, local preference 65535, component 1.
        let priority = (126u32 << 24) | (65_535 << 8) | (256 - 1);
        let foundation = index + 1;
        let candidate = Candidate::new(&format!(
            "{foundation} 1 udp {priority} {} {} typ host",
            addr.ip(),
            addr.port()
        ))
        .map_err(|e| Error::Crypto(format!("host candidate for {addr}: {e}")))?;
        self.session.add_local_candidate(id, candidate.clone())?;
        self.events
            .push_back(Event::LocalCandidate(self.trickled(id, candidate)));
        let transport = &mut self.transports[index];
        transport.local = Some(addr);
        transport.phase = Phase::Waiting;
        Ok(())
    }

    /// The `icecandidate` event's fields for a candidate of `id`: its tag's mid, m-line index
    /// and the local ufrag (webrtc-pc RTCIceCandidateInit).
    fn trickled(&self, id: TransportId, candidate: Candidate) -> RemoteCandidate {
        let mid = self
            .session
            .transports()
            .iter()
            .find(|t| t.id() == id)
            .map(|t| t.tag().as_str().to_owned());
        let local = self.session.local_description();
        let index = mid
            .as_deref()
            .and_then(|mid| local.and_then(|d| d.media_by_mid(mid)))
            .map(|(index, _)| index);
        let ufrag = index
            .and_then(|i| local.and_then(|d| d.ice_ufrag_for(i)))
            .map(|u| u.as_str().to_owned());
        RemoteCandidate {
            candidate: Some(candidate),
            mid,
            m_line_index: index,
            ufrag,
        }
    }

    /// Drains every machine until nothing moves (bounded): session effects, transport starts,
    /// ICE and DTLS happenings, SCTP in and out, datagrams out, events.
    fn settle(&mut self, now: Instant) {
        for _ in 0..PASSES {
            let mut moved = false;
            for _ in 0..DRAIN {
                let Some(effect) = self.session.poll_effect() else {
                    break;
                };
                self.effect(now, effect);
                moved = true;
            }
            self.mirror_channels(now);
            moved |= self.start_transports(now);
            for transport in &mut self.transports {
                let mut out = Vec::new();
                transport.poll_ice(now, DRAIN, &mut out);
                let id = transport.id;
                self.happenings.extend(out.into_iter().map(|h| (id, h)));
            }
            for (id, happening) in std::mem::take(&mut self.happenings) {
                moved = true;
                self.happening(now, id, happening);
            }
            moved |= self.sctp_out(now);
            for transport in &mut self.transports {
                for _ in 0..DRAIN {
                    let Some(transmit) = transport.poll_transmit(&mut self.stats.unsent) else {
                        break;
                    };
                    self.transmits.push_back(transmit);
                    moved = true;
                }
            }
            for _ in 0..DRAIN {
                let Some(event) = self.sctp.poll_event() else {
                    break;
                };
                if event == DataEvent::Restarting {
                    self.restart_on_successor(now);
                }
                self.events.push_back(match event {
                    DataEvent::Connected => Event::SctpConnected,
                    DataEvent::Open { channel, label } => Event::DataChannelOpen { channel, label },
                    DataEvent::Message { channel, message } => {
                        let stats = self.stats.channels.entry(channel).or_default();
                        stats.messages_received += 1;
                        stats.bytes_received += message.len() as u64;
                        Event::DataChannelMessage { channel, message }
                    }
                    DataEvent::Closed { channel } => Event::DataChannelClosed { channel },
                    DataEvent::Restarting => Event::SctpRestarting,
                    DataEvent::Restarted { resent } => Event::SctpRestarted { resent },
                    DataEvent::Lost(reason) => Event::SctpLost { reason },
                });
            }
            for _ in 0..DRAIN {
                let Some(event) = self.session.poll_event() else {
                    break;
                };
                self.events.push_back(Event::Session(event));
            }
            self.settle_deferred_loss();
            moved |= self.drive_hold(now);
            self.watch_phase();
            if !moved {
                return;
            }
        }
    }

    /// The connection's state: an event when it changed.
    fn watch_phase(&mut self) {
        let closed = self.session.signaling_state() == SignalingState::Closed;
        let phase = connection_phase(closed, self.transports.iter().map(Transport::states));
        if phase != self.phase {
            self.phase = phase;
            self.events.push_back(Event::ConnectionStateChange(phase));
        }
    }

    /// webrtc-pc `RTCIceTransport.role` of every transport of the connection: `Some(true)`
    /// for "controlling", `Some(false)` for "controlled", `None` ("unknown") until the first
    /// offer/answer started a transport. The first offerer controls, for good.
    pub fn ice_controlling(&self) -> Option<bool> {
        self.ice_controlling
    }

    /// webrtc-pc `connectionState`.
    pub fn connection_state(&self) -> ConnectionPhase {
        self.phase
    }

    /// `RTCDtlsTransport.state` of `transport` (`None` for a transport the session never
    /// created).
    pub fn dtls_transport_state(&self, transport: TransportId) -> Option<DtlsTransportState> {
        let t = self.transports.iter().find(|t| t.id == transport)?;
        Some(t.states().1)
    }

    /// Carries out one session effect; the media ones (negotiated streams, stop sending, BYE)
    /// in connection/rtp.rs.
    fn effect(&mut self, now: Instant, effect: Effect) {
        self.media_effect(&effect);
        match effect {
            Effect::TransportCreated { transport, .. } => self.create_transport(transport),
            Effect::TransportReplaced { old, new, .. } => {
                // Make-before-break (handover.rs): the old transport keeps carrying.
                self.create_transport(new);
                self.handovers.begin(old, new);
                if self.sctp_on_replacement == SctpOnReplacement::Restart {
                    self.sctp.restart_when_acknowledged(now);
                }
            }
            Effect::TransportReleased { transport } => {
                self.close_transport(now, transport);
                if let Some(old) = self.handovers.ended(transport) {
                    self.close_transport(now, old);
                }
            }
            Effect::RemoteCandidate {
                transport,
                candidate: Some(candidate),
            } => {
                if let Some(t) = self.transports.iter_mut().find(|t| t.id == transport) {
                    t.add_remote_candidate(&candidate);
                }
            }
            Effect::AbortSctp => {
                // The ABORT goes out now, before the session's releases close the transports
                // (webrtc-pc "close the connection": abort, then close the transports).
                self.sctp.abort();
                self.sctp_out(now);
            }
            _ => {}
        }
    }

    fn create_transport(&mut self, id: TransportId) {
        if self.transports.iter().all(|t| t.id != id) {
            self.transports.push(Transport::new(id));
            self.events
                .push_back(Event::AddressNeeded { transport: id });
        }
    }

    fn close_transport(&mut self, now: Instant, id: TransportId) {
        if let Some(t) = self
            .transports
            .iter_mut()
            .find(|t| t.id == id && t.is_live())
        {
            t.close(now);
        }
    }

    /// Channels the application created through the session get a connection channel.
    fn mirror_channels(&mut self, now: Instant) {
        let channels = self.session.data_channels();
        for channel in channels.get(self.mirrored..).unwrap_or_default() {
            if self.sctp.channel_of(channel.id()).is_none() {
                let options = ChannelOptions::default();
                self.sctp
                    .create(now, channel.label(), channel.id(), options);
            }
        }
        self.mirrored = channels.len();
    }

    /// Starts each transport that has its address and whose remote side and DTLS role the
    /// session now knows (an answer was applied).
    fn start_transports(&mut self, now: Instant) -> bool {
        let mut started = false;
        let local_description = self
            .session
            .current_local_description()
            .or(self.session.local_description());
        // RFC 8445 §6.1.1: the offerer is the controlling agent — of the first offer/answer:
        // browsers keep a connection's role for every later transport, such as the one a
        // BUNDLE tag move makes. Taking the role from the later offer made both ends
        // controlling when the first answerer moved the tag, and in half the runs Firefox's
        // new transport never left "checking" (docs/browsers.md).
        let offered_first = local_description.is_some_and(|d| d.sdp_type == SdpType::Offer);
        for transport in self
            .transports
            .iter_mut()
            .filter(|t| t.phase == Phase::Waiting)
        {
            let Some(state) = self
                .session
                .transports()
                .iter()
                .find(|s| s.id() == transport.id)
            else {
                continue;
            };
            let (Some(remote), Some(role), Some(local)) =
                (state.remote(), state.role(), local_description)
            else {
                continue;
            };
            let Some((index, _)) = local.media_by_mid(state.tag().as_str()) else {
                continue;
            };
            let (Some(ufrag), Some(pwd)) = (local.ice_ufrag_for(index), local.ice_pwd_for(index))
            else {
                continue;
            };
            // Fixed when the first transport starts (an answer was applied).
            let controlling = *self.ice_controlling.get_or_insert(offered_first);
            // A controlling answerer waits for the peer's first check, so that its nomination
            // does not arrive before the peer has the answer (`Transport::may_start_checks`).
            let answered = local.sdp_type == SdpType::Answer;
            if controlling && answered && !transport.may_start_checks(now) {
                continue;
            }
            let start = Start {
                local_ufrag: ufrag.as_str().to_owned(),
                local_pwd: pwd.as_str().to_owned(),
                remote,
                role,
                controlling,
            };
            transport.role = Some(role);
            if let Err(error) = transport.start(now, start, &self.certificate, &self.provider) {
                transport.phase = Phase::Failed(error.clone());
                self.events.push_back(Event::TransportFailed {
                    transport: transport.id,
                    error,
                });
            }
            started = true;
        }
        started
    }

    fn happening(&mut self, now: Instant, id: TransportId, happening: Happening) {
        match happening {
            Happening::Connected => {
                self.key_media(id);
                self.events
                    .push_back(Event::TransportConnected { transport: id });
                let role = self
                    .transports
                    .iter()
                    .find(|t| t.id == id)
                    .and_then(|t| t.role);
                let role = role.unwrap_or(DtlsRole::Client);
                // A replacement's association is already running: start() keeps it.
                self.sctp.start(now, role);
                self.handovers.connected(now, id, role == DtlsRole::Client);
            }
            Happening::Data(bytes) => {
                let packet = bytes.freeze();
                if self.sctp.is_peer_restart(&packet) {
                    // A new association on the replacing transport (data/restart.rs).
                    let role = self
                        .transports
                        .iter()
                        .find(|t| t.id == id)
                        .and_then(|t| t.role);
                    self.sctp
                        .peer_restarted(now, role.unwrap_or(DtlsRole::Server));
                }
                // SCTP from either transport of a replacement is the same association's.
                self.sctp.handle_packet(now, packet);
                if let Some((old, new)) = self.handovers.received(id) {
                    self.handed_over(now, old, new);
                }
            }
            Happening::Failed(error) => {
                // A failed replacement leaves the old transport carrying (handover.rs) until the
                // session releases the new one.
                self.events.push_back(Event::TransportFailed {
                    transport: id,
                    error: error.clone(),
                });
                self.carrier_ended(SctpLoss::TransportFailed {
                    transport: id,
                    error,
                });
            }
            Happening::PeerClosed => {
                self.events
                    .push_back(Event::TransportClosed { transport: id });
                self.carrier_ended(SctpLoss::TransportClosed { transport: id });
                if let Some((old, new)) = self.handovers.peer_closed(id) {
                    self.handed_over(now, old, new);
                }
            }
            Happening::Ice(state) => self.events.push_back(Event::IceStateChange {
                transport: id,
                state,
            }),
        }
    }

    /// The transport that carries the SCTP association now: the newest connected one this
    /// side has switched to — during a replacement the old one until both DTLS handshakes on
    /// the new one are known complete, then the new one (make-before-break, handover.rs).
    pub fn carrier(&self) -> Option<TransportId> {
        self.transports
            .iter()
            .rev()
            .find(|t| t.is_connected() && !self.handovers.is_pending(t.id))
            .map(|t| t.id)
    }

    /// The transport that carries `transport`'s traffic now: while `transport` replaces
    /// another and this side has not switched to it, the one it replaces (make-before-break);
    /// otherwise itself. `None` when that one is not connected (nothing can be sent).
    pub fn carrier_for(&self, transport: TransportId) -> Option<TransportId> {
        let carrier = self.handovers.carrier(transport);
        self.transports
            .iter()
            .any(|t| t.id == carrier && t.is_connected())
            .then_some(carrier)
    }

    /// A replacement is done: `old` is closed (close_notify), `new` carries on.
    fn handed_over(&mut self, now: Instant, old: TransportId, new: TransportId) {
        self.close_transport(now, old);
        // Media moved with the switch (carrier_for); what is left of the old transport's goes.
        self.media.replace_transport(old, new);
        self.events
            .push_back(Event::TransportHandedOver { old, new });
    }

    /// SCTP packets go out on the [carrier](Connection::carrier); without one they are not
    /// sent and SCTP retransmits them.
    fn sctp_out(&mut self, now: Instant) -> bool {
        let mut moved = false;
        for _ in 0..DRAIN {
            let Some(packet) = self.sctp.poll_transmit(now) else {
                break;
            };
            moved = true;
            let carrier = self.carrier();
            let sent = self
                .transports
                .iter_mut()
                .find(|t| Some(t.id) == carrier)
                .is_some_and(|t| t.send(now, &packet));
            if !sent {
                self.stats.unsent += 1;
            }
        }
        moved
    }
}
