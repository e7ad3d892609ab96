//! One ICE+DTLS transport (one of the session's [`TransportId`]s): an rtc-ice agent with one
//! host candidate, and an rtc-dtls endpoint whose single association is keyed by a fixed
//! pseudo-address.
//!
//! Trap 3 of the transport reference: rtc-dtls keys its connections by the remote address, so
//! if DTLS saw the ICE pair's address, a change of the selected pair would make the peer a
//! stranger (a server would start a new handshake). The endpoint sees [`DTLS_PEER`] only, and
//! every datagram it emits is sent on the pair ICE has selected at that moment.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use rtc_dtls::config::{ClientAuthType, ConfigBuilder, ExtendedMasterSecretType, HandshakeConfig};
use rtc_dtls::crypto_provider::RTCCryptoProvider;
use rtc_dtls::endpoint::{Endpoint as DtlsEndpoint, EndpointEvent as DtlsEvent};
use rtc_ice::candidate::candidate_host::CandidateHostConfig;
use rtc_ice::candidate::{CandidateConfig, unmarshal_candidate};
use rtc_ice::{Agent, AgentConfig, Event as IceEvent};
use rtc_shared::{TransportContext, TransportMessage, TransportProtocol};
use rustls::pki_types::CertificateDer;
use sansio::Protocol as _;
use tacet_sdp::Candidate;
use tacet_session::{DtlsRole, RemoteTransport, TransportId};

use crate::certificate::{self, Certificate};
use crate::error::{FingerprintFailure, TransportError};
use crate::flight::{Expired, Flight, Numbering};
use crate::state::{DtlsTransportState, IceState};

/// The one remote address the DTLS endpoint of every transport knows (a TEST-NET-1 address,
/// RFC 5737, never sent to): trap 3.
pub(crate) const DTLS_PEER: SocketAddr =
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 9);
const DTLS_LOCAL: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)), 9);

/// STUN checks held while the transport waits for the remote description (transport reference
/// §6: rtc-ice would drop them; RFC 8445 §7.3 says answer them). Beyond this many, dropped.
const EARLY_CHECKS: usize = 16;

/// How long a transport this side answered as the controlling agent waits for the peer's
/// first check before it starts its own anyway ([`Transport::may_start_checks`]): a peer that
/// never checks (ICE lite, RFC 8445 §2.5) is then nominated all the same.
const PEER_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Upper bound of the DTLS records without a pair to go on that one `poll_transmit` drops
/// before it returns (a handshake flight is a few records).
const UNROUTED_RECORDS: usize = 4096;

/// Where a transport is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Created by the session; waiting for the caller's local address.
    NeedsAddress,
    /// Has its local address; waiting for the remote description and the DTLS role.
    Waiting,
    /// ICE checks and the DTLS handshake are running.
    Running,
    /// DTLS is up: application data flows.
    Connected,
    /// Failed for good; fed nothing more (trap 1).
    Failed(TransportError),
    /// Released by the session or closed by the peer; fed nothing more (trap 2).
    Closed,
}

/// What the connection learns from one transport.
#[derive(Debug)]
pub(crate) enum Happening {
    /// The DTLS handshake completed.
    Connected,
    /// It failed; the error says why.
    Failed(TransportError),
    /// The peer closed DTLS (close_notify).
    PeerClosed,
    /// Decrypted application data (SCTP packets).
    Data(BytesMut),
    /// The ICE agent's state changed.
    Ice(IceState),
}

/// A datagram to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// The local address to send from (a transport's host candidate).
    pub local: SocketAddr,
    /// The destination.
    pub remote: SocketAddr,
    /// The bytes.
    pub data: Bytes,
}

/// What [`Transport::start`] needs from the session.
pub(crate) struct Start<'a> {
    pub(crate) local_ufrag: String,
    pub(crate) local_pwd: String,
    pub(crate) remote: &'a RemoteTransport,
    pub(crate) role: DtlsRole,
    /// RFC 8445 §6.1.1: the agent that made the offer is controlling.
    pub(crate) controlling: bool,
}

pub(crate) struct Transport {
    pub(crate) id: TransportId,
    pub(crate) local: Option<SocketAddr>,
    pub(crate) phase: Phase,
    /// This endpoint's DTLS role, once started.
    pub(crate) role: Option<DtlsRole>,
    ice: Option<Agent>,
    dtls: Option<DtlsEndpoint>,
    /// A DTLS client's configuration, until ICE has selected a pair and it connects.
    client: Option<Arc<HandshakeConfig>>,
    /// STUN checks that arrived before the agent existed.
    early: VecDeque<(Instant, SocketAddr, BytesMut)>,
    /// Remote candidates trickled before the agent existed.
    trickled: Vec<Candidate>,
    /// Until when a controlling answerer holds its checks back for the peer's first one
    /// ([`Transport::may_start_checks`]); set the first time it is asked.
    checks_held_until: Option<Instant>,
    /// Written by the certificate callback when the fingerprint check fails.
    fingerprint_failure: Arc<OnceLock<FingerprintFailure>>,
    /// The pair in use when the transport closed: its close_notify still goes there.
    closing_route: Option<(SocketAddr, SocketAddr)>,
    /// The ICE agent's last reported state.
    ice_state: IceState,
    /// The handshake's last flight and the retransmission timer rtc-dtls drops (flight.rs).
    flight: Flight,
    /// Datagrams of that flight to send again.
    resend: VecDeque<Bytes>,
    /// Numbers every epoch-0 record sent, so a retransmission is never a replay (flight.rs).
    numbering: Numbering,
}

impl Transport {
    pub(crate) fn new(id: TransportId) -> Self {
        Self {
            id,
            local: None,
            phase: Phase::NeedsAddress,
            role: None,
            ice: None,
            dtls: None,
            client: None,
            early: VecDeque::new(),
            trickled: Vec::new(),
            checks_held_until: None,
            fingerprint_failure: Arc::new(OnceLock::new()),
            closing_route: None,
            ice_state: IceState::New,
            flight: Flight::default(),
            resend: VecDeque::new(),
            numbering: Numbering::default(),
        }
    }

    /// Its ICE and DTLS states (webrtc-pc RTCIceTransportState, RTCDtlsTransportState).
    pub(crate) fn states(&self) -> (IceState, DtlsTransportState) {
        let dtls = match self.phase {
            Phase::NeedsAddress | Phase::Waiting => DtlsTransportState::New,
            Phase::Running => DtlsTransportState::Connecting,
            Phase::Connected => DtlsTransportState::Connected,
            Phase::Failed(_) => DtlsTransportState::Failed,
            Phase::Closed => DtlsTransportState::Closed,
        };
        let ice = match self.phase {
            Phase::Closed => IceState::Closed,
            _ => self.ice_state,
        };
        (ice, dtls)
    }

    /// Whether datagrams for it are still processed.
    pub(crate) fn is_live(&self) -> bool {
        !matches!(self.phase, Phase::Failed(_) | Phase::Closed)
    }

    pub(crate) fn is_connected(&self) -> bool {
        self.phase == Phase::Connected
    }

    /// Builds the ICE agent (host candidate on the local address, the peer's candidates) and
    /// the DTLS endpoint for `start.role`, and starts the connectivity checks.
    pub(crate) fn start(
        &mut self,
        now: Instant,
        start: Start<'_>,
        certificate: &Certificate,
        provider: &Arc<dyn RTCCryptoProvider>,
    ) -> Result<(), TransportError> {
        let local = self
            .local
            .ok_or_else(|| TransportError::Start("no local address".into()))?;
        let config = AgentConfig {
            local_ufrag: start.local_ufrag,
            local_pwd: start.local_pwd,
            // No mDNS: host candidates carry their address (the caller chose it).
            multicast_dns_mode: rtc_ice::mdns::MulticastDnsMode::Disabled,
            is_controlling: start.controlling,
            ..AgentConfig::default()
        };
        let fail = |e: &dyn std::fmt::Display| TransportError::Start(e.to_string());
        let mut agent =
            Agent::new(now, Arc::new(config), Arc::clone(provider)).map_err(|e| fail(&e))?;
        let host = CandidateHostConfig {
            base_config: CandidateConfig {
                network: "udp".into(),
                address: local.ip().to_string(),
                port: local.port(),
                component: 1,
                ..CandidateConfig::default()
            },
            ..CandidateHostConfig::default()
        }
        .new_candidate_host()
        .map_err(|e| fail(&e))?;
        agent.add_local_candidate(host).map_err(|e| fail(&e))?;
        for candidate in start.remote.candidates.iter().chain(&self.trickled) {
            add_remote(&mut agent, candidate);
        }
        self.trickled.clear();
        agent
            .start_connectivity_checks(
                now,
                start.controlling,
                start.remote.ufrag.clone(),
                start.remote.pwd.clone(),
            )
            .map_err(|e| fail(&e))?;

        let handshake = self.handshake_config(
            start.role,
            certificate,
            provider,
            &start.remote.fingerprints,
        )?;
        self.dtls = Some(match start.role {
            DtlsRole::Server => {
                DtlsEndpoint::new(DTLS_LOCAL, TransportProtocol::UDP, Some(handshake))
            }
            DtlsRole::Client => {
                self.client = Some(handshake);
                DtlsEndpoint::new(DTLS_LOCAL, TransportProtocol::UDP, None)
            }
        });
        self.ice = Some(agent);
        self.phase = Phase::Running;
        // The checks that came early are answered now.
        for (at, remote, data) in std::mem::take(&mut self.early) {
            let _ = self.feed_stun(at.max(now), remote, data);
        }
        Ok(())
    }

    fn handshake_config(
        &self,
        role: DtlsRole,
        certificate: &Certificate,
        provider: &Arc<dyn RTCCryptoProvider>,
        fingerprints: &[tacet_sdp::Fingerprint],
    ) -> Result<Arc<HandshakeConfig>, TransportError> {
        let expected = fingerprints.to_vec();
        let failure = Arc::clone(&self.fingerprint_failure);
        let verify = Arc::new(
            move |certs: &[Vec<u8>],
                  _chains: &[CertificateDer<'static>]|
                  -> Result<(), rtc_shared::error::Error> {
                let outcome = match certs.first() {
                    Some(der) => certificate::check(der, &expected),
                    None => Err(FingerprintFailure::NoCertificate),
                };
                outcome.map_err(|why| {
                    // The first failure is the one reported; the handshake stops at it.
                    let _ = failure.set(why);
                    rtc_shared::error::Error::ErrNoMatchingCertificateFingerprint
                })
            },
        );
        ConfigBuilder::default()
            .with_crypto_provider(Arc::clone(provider))
            .with_certificates(vec![certificate.dtls.clone()])
            // RFC 8827 §6.5: both ends present a certificate; it is checked by fingerprint
            // (the callback above), not against a CA.
            .with_client_auth(ClientAuthType::RequireAnyClientCert)
            .with_insecure_skip_verify(true)
            .with_verify_peer_certificate(Some(verify))
            // RFC 8842 §5 / RFC 7627: WebRTC endpoints use the extended master secret.
            .with_extended_master_secret(ExtendedMasterSecretType::Require)
            // RFC 5764 §4.1.1 use_srtp: SRTP keys come from this handshake (media.rs).
            .with_srtp_protection_profiles(crate::srtp::SRTP_PROFILES.to_vec())
            .build(role == DtlsRole::Client, None)
            .map(Arc::new)
            .map_err(|e| TransportError::Start(e.to_string()))
    }

    /// Whether a transport this side answered as the **controlling** agent may start its
    /// checks now: once the peer's first check has arrived, or [`PEER_CHECK_WAIT`] after the
    /// first time this is asked.
    ///
    /// The controlling agent answers only on a later transport (the role is kept from the
    /// first offer/answer, `Connection::start_transports`), e.g. when the peer moved its
    /// BUNDLE tag and built a new transport. Its nomination (RFC 8445 §8.1.1: a check with
    /// USE-CANDIDATE, sent once) could then reach the peer before the peer has applied the
    /// answer: Firefox queues such a "pre-answer" request, replays it as an ordinary check
    /// and loses the nomination, and its new transport stays "checking" for good (1 run in 3
    /// of `peer-stops-tag`, tacet offering, before this). The peer checks only once it has
    /// applied the answer (the answer brings this side's candidates), so its first check
    /// shows the nomination will be understood.
    pub(crate) fn may_start_checks(&mut self, now: Instant) -> bool {
        if !self.early.is_empty() {
            return true;
        }
        now >= *self.checks_held_until.get_or_insert(now + PEER_CHECK_WAIT)
    }

    /// A candidate the peer trickled.
    pub(crate) fn add_remote_candidate(&mut self, candidate: &Candidate) {
        match self.ice.as_mut() {
            Some(agent) => add_remote(agent, candidate),
            None => self.trickled.push(candidate.clone()),
        }
    }

    /// A STUN datagram. `Err` when it was dropped (malformed, or the early queue is full).
    pub(crate) fn handle_stun(
        &mut self,
        now: Instant,
        remote: SocketAddr,
        data: BytesMut,
    ) -> Result<(), ()> {
        if self.ice.is_none() {
            if self.early.len() >= EARLY_CHECKS {
                return Err(());
            }
            self.early.push_back((now, remote, data));
            return Ok(());
        }
        self.feed_stun(now, remote, data)
    }

    fn feed_stun(&mut self, now: Instant, remote: SocketAddr, data: BytesMut) -> Result<(), ()> {
        let (Some(agent), Some(local)) = (self.ice.as_mut(), self.local) else {
            return Err(());
        };
        agent
            .handle_read(TransportMessage {
                now,
                transport: context(local, remote),
                message: data,
            })
            .map_err(|_| ())
    }

    /// A DTLS datagram: what it made happen, in order. `Err` when it was dropped as malformed
    /// (RFC 6347 §4.1.2.7: invalid records are discarded silently) or came before the
    /// transport started. After any other error the transport is failed and its alert (if
    /// any) is queued once; nothing more is fed (trap 1).
    pub(crate) fn handle_dtls(
        &mut self,
        now: Instant,
        data: BytesMut,
        out: &mut Vec<Happening>,
    ) -> Result<(), ()> {
        let Some(dtls) = self.dtls.as_mut() else {
            return Err(());
        };
        self.flight.input();
        let read = dtls.read(now, DTLS_PEER, None, data);
        let timer = dtls.poll_timeout(&DTLS_PEER);
        match read {
            Ok(events) => {
                for event in events {
                    match event {
                        DtlsEvent::HandshakeComplete => {
                            self.phase = Phase::Connected;
                            out.push(Happening::Connected);
                        }
                        DtlsEvent::ApplicationData(bytes) => out.push(Happening::Data(bytes)),
                        DtlsEvent::PeerClosed => {
                            self.phase = Phase::Closed;
                            out.push(Happening::PeerClosed);
                        }
                        _ => {}
                    }
                }
            }
            Err(rtc_shared::error::Error::ErrInvalidPacketLength) => return Err(()),
            Err(e) => {
                let error = match self.fingerprint_failure.get() {
                    Some(why) => TransportError::Fingerprint(why.clone()),
                    None => TransportError::Dtls(e.to_string()),
                };
                self.fail(error.clone());
                out.push(Happening::Failed(error));
            }
        }
        self.flight.settle(now, self.phase == Phase::Running, timer);
        Ok(())
    }

    /// Encrypts one SCTP packet for the peer. `false` when DTLS is not up.
    pub(crate) fn send(&mut self, now: Instant, packet: &[u8]) -> bool {
        if self.phase != Phase::Connected {
            return false;
        }
        self.dtls
            .as_mut()
            .is_some_and(|dtls| dtls.write(now, DTLS_PEER, packet).is_ok())
    }

    /// The finished handshake's state (negotiated SRTP profile, RFC 5705 exporter), once DTLS
    /// is up: the SRTP keys of media.rs come from it (RFC 5764 §4.2).
    pub(crate) fn dtls_state(&self) -> Option<&rtc_dtls::state::State> {
        if self.phase != Phase::Connected {
            return None;
        }
        self.dtls.as_ref()?.get_connection_state(DTLS_PEER)
    }

    /// An SRTP or SRTCP datagram, sent as is on the pair DTLS uses (RFC 5764 §5.1.2: one
    /// 5-tuple for DTLS and media). `None` when DTLS is not up or there is no pair.
    pub(crate) fn media_transmit(&self, data: Bytes) -> Option<Transmit> {
        if self.phase != Phase::Connected {
            return None;
        }
        let (local, remote) = self.route()?;
        Some(Transmit {
            local,
            remote,
            data,
        })
    }

    fn fail(&mut self, error: TransportError) {
        self.phase = Phase::Failed(error);
        self.client = None;
        self.early.clear();
        self.flight = Flight::default();
        self.resend.clear();
    }

    /// What the agent reports: a selected pair lets a DTLS client start its handshake; a
    /// failed agent fails the transport.
    pub(crate) fn poll_ice(&mut self, now: Instant, budget: usize, out: &mut Vec<Happening>) {
        for _ in 0..budget {
            let Some(agent) = self.ice.as_mut() else {
                return;
            };
            let Some(event) = agent.poll_event() else {
                return;
            };
            match event.event {
                IceEvent::SelectedCandidatePairChange(..) => {
                    self.flight.input();
                    if let (Some(config), Some(dtls)) = (self.client.take(), self.dtls.as_mut())
                        && let Err(e) = dtls.connect(now, DTLS_PEER, config, None)
                    {
                        let error = TransportError::Dtls(e.to_string());
                        self.fail(error.clone());
                        out.push(Happening::Failed(error));
                    }
                }
                IceEvent::ConnectionStateChange(state) => {
                    let state = IceState::from_ice(state);
                    if state != self.ice_state {
                        self.ice_state = state;
                        out.push(Happening::Ice(state));
                    }
                    if state == IceState::Failed && self.is_live() {
                        self.fail(TransportError::IceFailed);
                        out.push(Happening::Failed(TransportError::IceFailed));
                    }
                }
                _ => {}
            }
        }
    }

    /// The next datagram to send: ICE's own, then DTLS records on the selected pair. A failed
    /// transport still sends what its failure queued (one alert), then nothing.
    pub(crate) fn poll_transmit(&mut self, dropped: &mut u64) -> Option<Transmit> {
        if let Some(agent) = self.ice.as_mut()
            && self.phase != Phase::Closed
            && !matches!(self.phase, Phase::Failed(_))
            && let Some(message) = agent.poll_write()
        {
            return Some(Transmit {
                local: message.transport.local_addr,
                remote: message.transport.peer_addr,
                data: message.message.freeze(),
            });
        }
        // Bounded like every drain: records that have no pair are counted and dropped.
        for _ in 0..UNROUTED_RECORDS {
            let data = match self.resend.pop_front() {
                Some(data) => data,
                None => {
                    let data = self.dtls.as_mut()?.poll_transmit()?.message.freeze();
                    if self.phase == Phase::Running {
                        self.flight.sent(&data);
                    }
                    data
                }
            };
            match self.route() {
                Some((local, remote)) => {
                    return Some(Transmit {
                        local,
                        remote,
                        data: self.numbering.number(&data),
                    });
                }
                // No pair to send on yet: DTLS retransmits once there is one.
                None => *dropped += 1,
            }
        }
        None
    }

    /// The peer's address on the pair in use (see [`Transport::route`]).
    pub(crate) fn remote_in_use(&self) -> Option<SocketAddr> {
        self.route().map(|(_, remote)| remote)
    }

    /// The ICE pair DTLS records go out on: the selected one, else the best that works.
    fn route(&self) -> Option<(SocketAddr, SocketAddr)> {
        if self.phase == Phase::Closed {
            return self.closing_route;
        }
        let agent = self.ice.as_ref()?;
        let (local, remote) = agent
            .get_selected_candidate_pair()
            .or_else(|| agent.get_best_available_candidate_pair())?;
        Some((local.base_addr(), remote.addr()))
    }

    pub(crate) fn poll_timeout(&mut self) -> Option<Instant> {
        if !self.is_live() {
            return None;
        }
        let ice = self.ice.as_mut().and_then(|a| a.poll_timeout());
        let dtls = self.dtls.as_ref().and_then(|d| d.poll_timeout(&DTLS_PEER));
        let kept = self.flight.poll_timeout();
        // A held start is decided at its deadline (`Connection::start_transports`).
        let held = self
            .checks_held_until
            .filter(|_| self.phase == Phase::Waiting);
        [ice, dtls, kept, held].into_iter().flatten().min()
    }

    pub(crate) fn handle_timeout(&mut self, now: Instant, out: &mut Vec<Happening>) {
        if !self.is_live() {
            return;
        }
        if let Some(agent) = self.ice.as_mut()
            && agent.poll_timeout().is_some_and(|at| at <= now)
        {
            let _ = agent.handle_timeout(now);
        }
        if let Some(dtls) = self.dtls.as_mut()
            && dtls.poll_timeout(&DTLS_PEER).is_some_and(|at| at <= now)
        {
            self.flight.input();
            if let Err(e) = dtls.handle_timeout(DTLS_PEER, now) {
                // RFC 6347 §4.2.4: the handshake's retransmissions ran out.
                let error = TransportError::Dtls(e.to_string());
                self.fail(error.clone());
                out.push(Happening::Failed(error));
                return;
            }
        }
        match self.flight.handle_timeout(now) {
            Some(Expired::Resend(flight)) => self.resend.extend(flight),
            Some(Expired::Exhausted) => {
                let error = TransportError::Dtls(
                    "the handshake's retransmissions ran out (RFC 6347 §4.2.4)".into(),
                );
                self.fail(error.clone());
                out.push(Happening::Failed(error));
                return;
            }
            None => {}
        }
        let timer = self.dtls.as_ref().and_then(|d| d.poll_timeout(&DTLS_PEER));
        self.flight.settle(now, self.phase == Phase::Running, timer);
    }

    /// Released by the session: DTLS says close_notify once (RFC 5246 §7.2.1), ICE stops;
    /// later datagrams for it are dropped (trap 2).
    pub(crate) fn close(&mut self, now: Instant) {
        if self.phase == Phase::Connected
            && let Some(dtls) = self.dtls.as_mut()
        {
            let _ = dtls.close(now);
        }
        self.closing_route = self.route();
        if let Some(agent) = self.ice.as_mut() {
            let _ = agent.close();
        }
        self.phase = Phase::Closed;
        self.client = None;
        self.early.clear();
        self.flight = Flight::default();
        self.resend.clear();
    }
}

fn context(local: SocketAddr, remote: SocketAddr) -> TransportContext {
    TransportContext {
        local_addr: local,
        peer_addr: remote,
        transport_protocol: TransportProtocol::UDP,
        ecn: None,
    }
}

/// Gives the agent a candidate from the description; one it cannot read (an mDNS name, TCP,
/// an unknown type) is skipped: the other candidates may still work (RFC 8839 §5.1).
fn add_remote(agent: &mut Agent, candidate: &Candidate) {
    if let Ok(c) = unmarshal_candidate(candidate.value()) {
        let _ = agent.add_remote_candidate(c);
    }
}
