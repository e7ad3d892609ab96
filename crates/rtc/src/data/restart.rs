//! A new association takes over the channels of one the peer aborted (the parent module's
//! "Restart"; Chromium's way of moving its data channels to a replaced transport).
//!
//! | when | what happens |
//! |---|---|
//! | the peer ABORTs an established association | restarting: the association goes, the channels stay open, the unacknowledged messages stay in the log, sends are kept there |
//! | a transport's DTLS comes up while restarting | `renew`: a new association — INIT when this side is that transport's DTLS client; the peer's INIT accepted either way |
//! | the new association is established | `take_over`: every open channel's stream is opened on it with its reliability, the log is written to it in order; `Restarted` |
//! | [`RESTART_WINDOW`](super::RESTART_WINDOW) passes, or no transport is left | the ABORT's loss is reported (`SctpLoss::PeerAborted`), every channel closes |
//! | this side's `close()` | as any time: ABORT, channels closed |

use std::sync::Arc;
use std::time::Instant;

use rtc_sctp::{ClientConfig, ServerConfig, TransportConfig};
use tacet_session::DtlsRole;

use super::channels::{open_stream, write_all};
use super::{DataEvent, SCTP_PEER, Sctp, State, is_init};

/// What this side does with its SCTP association when a transport is replaced (a BUNDLE tag
/// move; `docs/transport.md`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SctpOnReplacement {
    /// The association moves to the new transport (make-before-break, `handover.rs`): the
    /// SCTP of RFC 8261 runs over whichever DTLS transport carries it. tacet's default.
    #[default]
    Carry,
    /// The association is aborted and a new one takes the channels over on the new
    /// transport, by stream id — what Chromium does. tacet keeps the channels either way when
    /// the peer does this; the policy lets tacet play Chromium's part (tests, and peers that
    /// expect it).
    Restart,
}

impl Sctp {
    /// [`SctpOnReplacement::Restart`]: this side will ABORT its established association
    /// (Chromium's "User-Initiated Abort" on a tag move) and keep the channels for a new one
    /// on the replacing transport — once the peer has acknowledged every message written to
    /// it (sends are held meanwhile, `hold.rs`), or after [`QUIESCE`](super::QUIESCE). Unlike
    /// Chromium, which aborts at once and loses what was in flight, this side then knows the
    /// peer has everything: nothing is sent twice.
    pub(crate) fn restart_when_acknowledged(&mut self, now: Instant) {
        if self.up && !self.lost && self.restarting.is_none() && self.abort_due.is_none() {
            self.abort_due = Some(now + super::QUIESCE);
            self.abort_if_due(now);
        }
    }

    /// Aborts to restart when [`restart_when_acknowledged`](Sctp::restart_when_acknowledged)
    /// said so and the time has come.
    pub(super) fn abort_if_due(&mut self, now: Instant) {
        if self
            .abort_due
            .is_some_and(|due| self.log.len() == 0 || now >= due)
        {
            self.abort_due = None;
            self.abort_to_restart(now);
        }
    }

    /// Aborts the established association now and keeps the channels for a new one on the
    /// replacing transport. The ABORT goes out on the transport that carries now.
    fn abort_to_restart(&mut self, now: Instant) {
        if !self.up || self.lost || self.restarting.is_some() {
            return;
        }
        if let Some((_, association)) = self.association.as_mut() {
            let _ = association.abort();
            self.aborted_itself = true;
            // The ABORT leaves before the association goes (bounded like every drain).
            for _ in 0..super::DRAIN {
                let Some(transmit) = association.poll_transmit(now) else {
                    break;
                };
                if let rtc_sctp::Payload::RawEncode(packets) = transmit.message {
                    self.abort_packets.extend(packets);
                }
            }
        }
        self.begin_restart(now);
    }

    /// Whether `packet` is a peer's INIT for a new association while this one is
    /// established: an INIT whose initiate tag is not the one the peer chose for this
    /// association (a late copy of the INIT that made it has that tag). The peer has restarted
    /// (RFC 9260 §5.2.2): Chromium sends one after its ABORT, and if that ABORT was lost (an
    /// ABORT is never retransmitted, §8.5.1) the INIT is the first sign — which rtc-sctp's
    /// endpoint would hand over as a second association, and this side drop.
    pub(crate) fn is_peer_restart(&self, packet: &[u8]) -> bool {
        let initiate_tag = packet
            .get(16..20)
            .map(|t| u32::from_be_bytes([t[0], t[1], t[2], t[3]]));
        self.up
            && !self.lost
            && self.restarting.is_none()
            && is_init(packet)
            && self.peer_tag.is_some()
            && initiate_tag != self.peer_tag
    }

    /// The peer restarted ([`is_peer_restart`](Sctp::is_peer_restart)): the channels restart
    /// as after an ABORT, on the transport the INIT came on.
    pub(crate) fn peer_restarted(&mut self, now: Instant, role: DtlsRole) {
        if !self.up || self.lost || self.restarting.is_some() {
            return;
        }
        self.begin_restart(now);
        self.renew(now, role);
    }

    /// The peer aborted the established association (or this side did, above): keep the
    /// channels for a new one.
    pub(super) fn begin_restart(&mut self, now: Instant) {
        self.association = None;
        self.answering.clear();
        self.early.clear();
        self.transmits.clear();
        self.transmits.extend(self.abort_packets.drain(..));
        self.up = false;
        self.peer_tag = None;
        self.restarting = Some(now);
        self.events.push_back(DataEvent::Restarting);
    }

    /// A transport's DTLS came up while restarting: the new association starts on it, as the
    /// first one did (the DTLS client sends INIT). The peer's INIT is accepted whatever this
    /// side's role: Chromium sends one from both ends, and this side's INIT, when it sends one,
    /// resolves the collision (RFC 9260 §5.2.1) as at the start. A side that aborted itself
    /// sends an INIT whatever its role: its ABORT may have been lost (it is never
    /// retransmitted), and the peer learns of the restart from the INIT
    /// ([`is_peer_restart`](Sctp::is_peer_restart)); as a DTLS server it still answers the
    /// peer's INIT (`answering`, as for retransmitted ones).
    pub(super) fn renew(&mut self, now: Instant, role: DtlsRole) {
        if self.association.is_some() {
            // A new association is already under way.
            return;
        }
        self.handshake_role = Some(role);
        let server = ServerConfig::new(TransportConfig::clone(&self.config));
        self.endpoint.set_server_config(Some(Arc::new(server)));
        if (role == DtlsRole::Client || self.aborted_itself)
            && let Ok(made) = self.endpoint.connect(
                now,
                ClientConfig {
                    transport: Arc::clone(&self.config),
                },
                SCTP_PEER,
            )
        {
            self.association = Some(made);
        }
    }

    /// The new association is established: every channel still open runs on it (same stream,
    /// same reliability, no DCEP: the peer re-binds by stream id), and what the old one did
    /// not deliver goes first, then what was sent since.
    pub(super) fn take_over(&mut self, now: Instant) {
        let Some((_, association)) = self.association.as_mut() else {
            return;
        };
        for channel in &mut self.channels {
            let Some(id) = channel.stream else { continue };
            match channel.state {
                State::Opening | State::Open => {
                    open_stream(association, id, &channel.options);
                }
                // Its outgoing reset went with the old association: nothing to close any more.
                State::Closing => {
                    channel.state = State::Closed;
                    self.events.push_back(DataEvent::Closed {
                        channel: channel.id,
                    });
                }
                State::Pending | State::Closed => {}
            }
        }
        // The unacknowledged first, then what was kept since: the order they were sent in.
        let kept: Vec<_> = self
            .log
            .take()
            .into_iter()
            .chain(self.kept.take())
            .collect();
        self.aborted_itself = false;
        let channels = &self.channels;
        let open = |stream: u16| {
            channels
                .iter()
                .any(|c| c.stream == Some(stream) && c.state != State::Closed)
        };
        let resent = write_all(association, &mut self.log, now, kept, open);
        self.events.push_back(DataEvent::Restarted { resent });
    }
}
