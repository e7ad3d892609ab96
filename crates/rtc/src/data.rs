//! The SCTP association (one per connection, never per transport) and the data channels on
//! it: the glue between rtc-sctp streams and rtc-datachannel's DCEP (RFC 8831, RFC 8832).
//!
//! - a channel is one SCTP stream; the DTLS client opens even stream ids, the server odd ones
//!   (RFC 8832 §6), so two peers never pick the same id;
//! - a local channel is opened once the association is up: the stream is configured with the
//!   channel's reliability, and DATA_CHANNEL_OPEN goes out with PPID 50 (RFC 8832 §5.1, §8.1);
//!   it is open when DATA_CHANNEL_ACK comes back, or when the peer's first user message on
//!   the stream does (RFC 8832 lets user data go before the handshake completes: a peer that
//!   sends on the stream has the channel);
//! - a remote channel is accepted on the first DATA_CHANNEL_OPEN of a stream, and acked;
//! - messages carry PPID 51 (string) or 53 (binary); an empty message is one zero byte with
//!   PPID 56 or 57, since SCTP cannot carry an empty user message (RFC 8831 §6.6);
//! - a channel is closed by resetting its outgoing stream (RFC 8831 §6.7, RFC 6525); the peer
//!   resets its own in answer (rtc-sctp does), and each side's channel is closed when its
//!   incoming stream is reset.
//!
//! **Restart.** Chromium does not carry an association across a transport replacement (a BUNDLE
//! tag move): it ABORTs it ("User-Initiated Abort") and opens a new one on the new transport,
//! re-binding its open channels by stream id without DCEP (its own peers do the same). So a
//! peer's ABORT of an established association does not close the channels at once: the
//! association is *restarting* for [`RESTART_WINDOW`]. Sends are kept; the next transport whose
//! DTLS comes up starts a new association (INIT from the DTLS client, accepted from the server,
//! as at the start); once it is up, every channel's stream is opened on it with its reliability
//! and the messages the old one had not delivered (`resend.rs`, exact thanks to
//! `immediate_sack.rs`) go first, then the kept ones. No new association in the window (or no
//! transport left) is the loss the ABORT announced (`SctpLoss::PeerAborted`). This departs from
//! RFC 9260 §9.1 (an ABORT ends the association and webrtc-pc would close every channel) for the
//! one purpose Chromium uses it; `docs/transport.md` has the sequence.
//!
//! Trap: rtc-sctp reports a reset stream and a lost association with the same event
//! (`AssociationLost { reason: Reset, id }`, once per stream). The association's own state
//! tells them apart: a stream loss while the association is open closes that channel; one
//! while it is closed is the association's end, reported once.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rtc_datachannel::data_channel::DataChannel;
use rtc_sctp::{
    Association, AssociationError, AssociationEvent, AssociationHandle, ClientConfig,
    DatagramEvent, Endpoint, EndpointConfig, Event as SctpEvent, Payload, ServerConfig,
    StreamEvent, TimerConfig, TransportConfig,
};
use rtc_shared::TransportProtocol;
use tacet_session::{DataChannelId, DtlsRole};

use crate::error::SctpLoss;

mod channels;
mod chunks;
mod hold;
mod immediate_sack;
mod message;
mod resend;
mod restart;

pub(crate) use hold::{HOLD_WINDOW, QUIESCE};
pub use message::{ChannelOptions, ChannelStats, Message};
pub use restart::SctpOnReplacement;

use immediate_sack::{request_immediate_sack, unmarked_data_flags};
use resend::SendLog;

/// The addresses the SCTP endpoint believes in. The association runs over whichever DTLS
/// transport is live; it never sees a 5-tuple (so a transport can change under it).
const SCTP_LOCAL: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 3)), 5000);
const SCTP_PEER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 4)), 5000);

/// Upper bound of the events or messages taken from the association in one drain.
const DRAIN: usize = 4096;

/// At most this many associations answer retransmitted INITs at once (the oldest goes).
const ANSWERING: usize = 4;

/// How long after a peer's ABORT a new association may take over the channels (module docs,
/// "Restart"): a renegotiation, then ICE and DTLS on the new transport, then the SCTP
/// handshake — a second or less where it works, with room for a lost DTLS flight (1 s) and a
/// lost INIT (RTO.Initial, 1 s), twice.
pub(crate) const RESTART_WINDOW: Duration = Duration::from_secs(10);

/// Identifies a data channel of a connection (local or opened by the peer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(u32);

/// What the association and its channels report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DataEvent {
    Connected,
    Open {
        channel: ChannelId,
        label: String,
    },
    Message {
        channel: ChannelId,
        message: Message,
    },
    Closed {
        channel: ChannelId,
    },
    /// The peer aborted the association; its channels wait for a new one ("Restart").
    Restarting,
    /// A new association took over the channels; `resent` messages the old one had not
    /// delivered went again.
    Restarted {
        resent: usize,
    },
    Lost(SctpLoss),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Created locally; waits for the association.
    Pending,
    /// DATA_CHANNEL_OPEN sent; waits for the ack.
    Opening,
    Open,
    /// Our outgoing stream was reset; waits for the peer's.
    Closing,
    Closed,
}

struct Channel {
    id: ChannelId,
    label: String,
    options: ChannelOptions,
    /// The session's id, for channels the application created.
    session: Option<DataChannelId>,
    stream: Option<u16>,
    state: State,
    dcep: Option<DataChannel>,
}

/// The association and the channels.
pub(crate) struct Sctp {
    endpoint: Endpoint,
    association: Option<(AssociationHandle, Association)>,
    /// Associations rtc-sctp made for the peer's retransmitted INITs while this side (the
    /// server) was not established yet; see [`Sctp::handle_packet`].
    answering: Vec<(AssociationHandle, Association)>,
    config: Arc<TransportConfig>,
    role: Option<DtlsRole>,
    channels: Vec<Channel>,
    next_id: u32,
    next_stream: u16,
    max_message_size: usize,
    transmits: VecDeque<Bytes>,
    events: VecDeque<DataEvent>,
    /// The association ended and [`DataEvent::Lost`] was reported (once).
    lost: bool,
    /// SCTP user messages for no channel, or not valid DCEP.
    pub(crate) dropped: u64,
    /// The association was established.
    up: bool,
    /// The DTLS role of the transport the association's handshake runs on: its client sends
    /// INIT, its server answers retransmitted ones (`role` keeps the first transport's, for
    /// stream ids).
    handshake_role: Option<DtlsRole>,
    /// Streams that became readable before the association was established (their messages
    /// are read once it is; see [`Sctp::pump`]).
    early: Vec<u16>,
    /// Messages written and not acknowledged, then (while restarting) the ones kept.
    log: SendLog,
    /// The peer aborted the established association at this time; a new one is awaited
    /// ("Restart").
    restarting: Option<Instant>,
    /// This side's ABORT, on its way out while the association it ends goes.
    abort_packets: Vec<Bytes>,
    /// Messages the application sent while held or restarting, not written yet.
    kept: SendLog,
    /// Sends are held since then: a description moving a tag is pending (`hold.rs`).
    holding: Option<Instant>,
    /// This side restarts the association once the peer acknowledged everything, or then
    /// (`SctpOnReplacement::Restart`).
    abort_due: Option<Instant>,
    /// This side aborted the association it restarts (it sends an INIT whatever its role).
    aborted_itself: bool,
    /// The verification tag the peer chose for the established association (read from the
    /// packets this side sends), to tell a restarting peer's INIT from a late copy.
    peer_tag: Option<u32>,
}

impl Sctp {
    pub(crate) fn new(sctp_port: u16, max_message_size: u64) -> Self {
        let max = u32::try_from(max_message_size).unwrap_or(u32::MAX);
        Self {
            endpoint: Endpoint::new(
                SCTP_LOCAL,
                TransportProtocol::UDP,
                Arc::new(EndpointConfig::new()),
                None,
            ),
            association: None,
            answering: Vec::new(),
            config: Arc::new(transport_config(sctp_port, max)),
            role: None,
            channels: Vec::new(),
            next_id: 0,
            next_stream: 0,
            max_message_size: usize::try_from(max).unwrap_or(usize::MAX),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            lost: false,
            dropped: 0,
            up: false,
            handshake_role: None,
            early: Vec::new(),
            log: SendLog::default(),
            restarting: None,
            abort_packets: Vec::new(),
            kept: SendLog::default(),
            holding: None,
            abort_due: None,
            aborted_itself: false,
            peer_tag: None,
        }
    }

    fn next_channel_id(&mut self) -> ChannelId {
        let id = ChannelId(self.next_id);
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    fn is_connected(&self) -> bool {
        self.association
            .as_ref()
            .is_some_and(|(_, a)| !a.is_handshaking() && !a.is_closed())
    }

    /// The first DTLS transport is up. The DTLS client initiates the association; the server
    /// accepts it (rtc and browsers do the same). A later transport reuses the association:
    /// there is one per connection — unless the peer aborted it and a new one is awaited
    /// ("Restart"), which this transport starts.
    pub(crate) fn start(&mut self, now: Instant, role: DtlsRole) {
        if self.restarting.is_some() {
            self.renew(now, role);
            return;
        }
        if self.role.is_some() {
            return;
        }
        self.role = Some(role);
        self.handshake_role = Some(role);
        // RFC 8832 §6: even stream ids for the DTLS client, odd for the server.
        self.next_stream = match role {
            DtlsRole::Client => 0,
            DtlsRole::Server => 1,
        };
        match role {
            DtlsRole::Client => {
                if let Ok((handle, association)) = self.endpoint.connect(
                    now,
                    ClientConfig {
                        transport: Arc::clone(&self.config),
                    },
                    SCTP_PEER,
                ) {
                    self.association = Some((handle, association));
                }
            }
            DtlsRole::Server => {
                let config = ServerConfig::new(TransportConfig::clone(&self.config));
                self.endpoint.set_server_config(Some(Arc::new(config)));
            }
        }
        self.pump(now);
    }

    /// One SCTP packet out of DTLS.
    pub(crate) fn handle_packet(&mut self, now: Instant, packet: Bytes) {
        if self.restarting.is_none() {
            // What the peer acknowledged (resend.rs).
            self.log.received(&packet);
        }
        match self.endpoint.handle(now, SCTP_PEER, None, packet) {
            Some((handle, DatagramEvent::NewAssociation(association))) => {
                if self.association.is_none() {
                    self.association = Some((handle, association));
                } else if !self.up && self.handshake_role == Some(DtlsRole::Server) {
                    // The peer retransmitted its INIT: our INIT ACK was lost (or is late).
                    // RFC 9260 §5.1 answers every INIT with an INIT ACK, but rtc-sctp 0.21.1
                    // routes an INIT (verification tag 0) to no existing association and
                    // makes a new one: keep it so its INIT ACK goes out, and keep the first
                    // too (a late INIT ACK's COOKIE ECHO comes to it). Whichever the peer's
                    // COOKIE ECHO establishes is the association; the others go.
                    if self.answering.len() >= ANSWERING {
                        self.answering.remove(0);
                    }
                    self.answering.push((handle, association));
                } else {
                    // One association per connection: a second INIT is not another one.
                    self.dropped += 1;
                }
            }
            Some((handle, DatagramEvent::AssociationEvent(event))) => {
                match self.association.as_mut() {
                    Some((ours, association)) if *ours == handle => association.handle_event(event),
                    _ => self.answering_event(handle, event),
                }
            }
            Some(_) => {}
            // Malformed, or not for an association: rtc-sctp drops it.
            None => self.dropped += 1,
        }
        self.pump(now);
    }

    /// An SCTP packet for one of the [`answering`](Sctp::answering) associations: the one it
    /// establishes becomes the association.
    fn answering_event(&mut self, handle: AssociationHandle, event: AssociationEvent) {
        let Some(i) = self.answering.iter().position(|(h, _)| *h == handle) else {
            self.dropped += 1;
            return;
        };
        self.answering[i].1.handle_event(event);
        if !self.answering[i].1.is_handshaking() {
            self.association = Some(self.answering.swap_remove(i));
            self.answering.clear();
        }
    }

    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        if self
            .restarting
            .is_some_and(|since| now >= since + RESTART_WINDOW)
        {
            // No new association took the channels over: the ABORT was the end.
            self.association = None;
            self.answering.clear();
            self.report_loss(SctpLoss::PeerAborted);
        }
        for (_, association) in self.association.iter_mut().chain(&mut self.answering) {
            if association.poll_timeout().is_some_and(|at| at <= now) {
                association.handle_timeout(now);
            }
        }
        self.pump(now);
    }

    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        let restart_ends = self
            .restarting
            .filter(|_| !self.lost)
            .map(|since| since + RESTART_WINDOW);
        self.association
            .iter()
            .chain(&self.answering)
            .filter_map(|(_, a)| a.poll_timeout())
            .chain(restart_ends)
            .chain(self.abort_due)
            .min()
    }

    /// The next SCTP packet for DTLS.
    pub(crate) fn poll_transmit(&mut self, now: Instant) -> Option<Bytes> {
        if self.transmits.is_empty() {
            for (_, association) in self.association.iter_mut().chain(&mut self.answering) {
                if let Some(transmit) = association.poll_transmit(now)
                    && let Payload::RawEncode(packets) = transmit.message
                {
                    for packet in packets {
                        // Each DATA chunk asks for an immediate SACK (immediate_sack.rs); the
                        // log learns which TSN each message got (resend.rs).
                        // Read once: the log takes the TSNs, the amendment the flags.
                        let flags = chunks::chunks(&packet).map_or_else(Vec::new, |all| {
                            self.log.sent(&all);
                            unmarked_data_flags(&all)
                        });
                        let packet = request_immediate_sack(packet, &flags);
                        if self.up
                            && let Some(tag) = packet.get(4..8)
                            && tag != [0, 0, 0, 0]
                        {
                            self.peer_tag =
                                Some(u32::from_be_bytes([tag[0], tag[1], tag[2], tag[3]]));
                        }
                        self.transmits.push_back(packet);
                    }
                    break;
                }
            }
        }
        self.transmits.pop_front()
    }

    pub(crate) fn poll_event(&mut self) -> Option<DataEvent> {
        self.events.pop_front()
    }

    /// Ends a running association for `loss` (no transport is left to carry it): reported
    /// once; later sends fail (`Error::Sctp`); nothing more goes out.
    pub(crate) fn lose(&mut self, loss: SctpLoss) {
        if self.association.is_none() && self.restarting.is_none() {
            return;
        }
        if let Some((_, association)) = self.association.as_mut() {
            // A no-op on a closed association; rtc-sctp's own per-stream reports of this
            // close find the loss already reported.
            let _ = association.close(AssociationError::TransportError);
        }
        self.transmits.clear();
        self.report_loss(loss);
    }

    /// `close()`: ABORT, channels closed without the closing procedure (webrtc-pc "close the
    /// connection").
    /// Every channel's readyState becomes "closed" without a close event (webrtc-pc close()
    /// step 8: "closed abruptly", the closing procedure is not invoked); the peer sees its
    /// channels close when the ABORT arrives.
    pub(crate) fn abort(&mut self) {
        if let Some((_, association)) = self.association.as_mut() {
            let _ = association.abort();
        }
        // No loss to report either: this side ended it.
        self.lost = true;
        self.restarting = None;
        for channel in &mut self.channels {
            channel.state = State::Closed;
        }
    }

    /// Takes what the association reports: connection, readable streams, loss.
    fn pump(&mut self, now: Instant) {
        let mut aborted = false;
        for _ in 0..DRAIN {
            let Some((_, association)) = self.association.as_mut() else {
                return;
            };
            let Some(event) = association.poll() else {
                break;
            };
            match event {
                SctpEvent::Connected => {
                    self.up = true;
                    self.answering.clear();
                    if self.restarting.take().is_some() {
                        self.take_over(now);
                    } else {
                        self.events.push_back(DataEvent::Connected);
                    }
                    self.dial_pending(now);
                    for id in std::mem::take(&mut self.early) {
                        self.read_stream(now, id);
                    }
                }
                // The peer's DATA can arrive before this side is ESTABLISHED: the server
                // sends its first DATA right after the COOKIE ACK (RFC 9260 §5.1 D), and when
                // that COOKIE ACK is lost or overtaken, rtc-sctp, still COOKIE-ECHOED, takes
                // the DATA (and acks it) but refuses every write until it is ESTABLISHED
                // (`allocate_message_id`: ErrPayloadDataStateNotExist). A DATA_CHANNEL_OPEN
                // read then would be accepted with its DATA_CHANNEL_ACK refused — never sent,
                // since the peer does not retransmit what was acked — and the peer's channel
                // would never open. So the stream is read when the association is up.
                SctpEvent::Stream(StreamEvent::Readable { id } | StreamEvent::Opened { id })
                    if association.is_handshaking() =>
                {
                    self.early.retain(|&early| early != id);
                    self.early.push(id);
                }
                SctpEvent::Stream(StreamEvent::Readable { id } | StreamEvent::Opened { id }) => {
                    self.read_stream(now, id);
                }
                // rtc-sctp reports the end once per stream it unregisters, and a stream reset
                // the same way: the association is lost when it is closed, and reported once.
                // The peer aborted an established association ("User-Initiated Abort", which
                // rtc-sctp reports as `Reset`): perhaps to move the channels to a new one
                // (module docs, "Restart").
                SctpEvent::AssociationLost {
                    reason: AssociationError::Reset,
                    ..
                } if association.is_closed() && self.up && !self.lost => {
                    aborted = true;
                    break;
                }
                SctpEvent::AssociationLost { reason, .. } if association.is_closed() => {
                    self.report_loss(match reason {
                        AssociationError::AssociationClosed => SctpLoss::PeerAborted,
                        AssociationError::LocallyClosed => SctpLoss::LocallyClosed,
                        other => SctpLoss::Sctp(other.to_string()),
                    });
                }
                SctpEvent::HandshakeFailed { reason } => {
                    self.report_loss(SctpLoss::HandshakeFailed(reason.to_string()));
                }
                SctpEvent::AssociationLost { id, .. } if self.up => {
                    // A stream reset (the trap in this module's docs): that channel closed.
                    self.stream_closed(id);
                }
                _ => {}
            }
        }
        if let Some((handle, association)) = self.association.as_mut() {
            // Streams the peer opened are tracked here (by id), not by rtc-sctp's accept queue.
            for _ in 0..DRAIN {
                if association.accept_stream().is_none() {
                    break;
                }
            }
            for _ in 0..DRAIN {
                let Some(event) = association.poll_endpoint_event() else {
                    break;
                };
                self.endpoint.handle_event(*handle, event);
            }
        }
        if aborted {
            self.begin_restart(now);
        }
        self.abort_if_due(now);
    }

    /// Reports the association's end, the first time only: every channel is closed with it.
    fn report_loss(&mut self, loss: SctpLoss) {
        if self.lost {
            return;
        }
        self.lost = true;
        self.restarting = None;
        self.holding = None;
        self.kept = SendLog::default();
        self.events.push_back(DataEvent::Lost(loss));
        for channel in &mut self.channels {
            if channel.state != State::Closed {
                channel.state = State::Closed;
                let channel = channel.id;
                self.events.push_back(DataEvent::Closed { channel });
            }
        }
    }
}

/// The association's configuration. Trap 4 of the transport reference: rtc-sctp's default
/// stops retransmitting DATA after 5 T3-rtx expirations (and gives up on INIT after 8),
/// without ending the association or telling anyone — the data just stalls.
///
/// tacet chooses what both browsers choose (Chromium's and Firefox's dcsctp options: "Don't
/// close the connection automatically on too many retransmissions"): no retransmission limit
/// for DATA, INIT, COOKIE ECHO or RE-CONFIG. Whether the path is dead is ICE's decision
/// (consent freshness, RFC 7675 §5.1: rtc-ice fails after 5 s + 25 s without a response),
/// which fails the transport; when no transport is left to carry the association it is lost
/// ([`SctpLoss::TransportFailed`]) — RFC 9260 §8.1's Association.Max.Retrans (10) would
/// instead give up after about 6 minutes with RTO.Max 60 s, long after ICE. RTO.Initial,
/// RTO.Min (1 s) and RTO.Max (60 s) are rtc-sctp's constants, RFC 9260 §16's values (not
/// configurable; browsers cap the backoff at 3 s, so tacet recovers more slowly after an
/// outage). `docs/transport.md` has the numbers.
pub(crate) fn transport_config(sctp_port: u16, max_message_size: u32) -> TransportConfig {
    TransportConfig::default()
        .with_sctp_port(sctp_port)
        .with_max_message_size(max_message_size)
        .with_timer_config(TimerConfig {
            max_t1_init_retrans: usize::MAX,
            max_t1_cookie_retrans: usize::MAX,
            max_t3_rtx_retrans: usize::MAX,
            max_reconfig_retrans: usize::MAX,
            ..TimerConfig::default()
        })
}

/// Whether `packet` is an SCTP INIT: verification tag 0 and a first chunk of type 1 (RFC
/// 9260 §3.3.2, §8.5.1: an INIT is the only chunk sent with tag 0 and must be alone).
pub(crate) fn is_init(packet: &[u8]) -> bool {
    packet.len() > 12 && packet[4..8] == [0, 0, 0, 0] && packet[12] == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retransmissions_are_unlimited_by_choice() {
        // Trap 4: rtc-sctp's defaults would stop after 8 INITs, 5 T3-rtx expirations, 5
        // RE-CONFIGs; shutdown is already unlimited.
        let default = TimerConfig::default();
        assert_eq!(
            (
                default.max_t1_init_retrans,
                default.max_t3_rtx_retrans,
                default.max_reconfig_retrans
            ),
            (8, 5, 5)
        );
        let config = transport_config(5000, 262_144);
        let timers = config.timer_config();
        for limit in [
            timers.max_t1_init_retrans,
            timers.max_t1_cookie_retrans,
            timers.max_t2_shutdown_retrans,
            timers.max_t3_rtx_retrans,
            timers.max_reconfig_retrans,
        ] {
            assert_eq!(limit, usize::MAX);
        }
        assert_eq!(config.sctp_port(), 5000);
    }
}
