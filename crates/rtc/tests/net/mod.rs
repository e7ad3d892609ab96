//! Two connections, an in-memory link between them, and a virtual clock.
//!
//! The link is a queue of datagrams, each delivered `delay` after it was sent, optionally
//! dropped, held back (so later ones overtake it) or duplicated with seeded probabilities. Signaling (offer/answer) goes through the sessions
//! directly, at the current virtual time. Nothing here reads the wall clock or opens a socket.

#![allow(dead_code, reason = "each test binary uses part of the kit")]

pub(crate) mod media;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tacet_rtc::{ChannelId, Command, Connection, Event, Input, Message, Transmit};
use tacet_sdp::{Fingerprint, SdpType, SessionDescription};
use tacet_session::{Error, Session, SessionConfig};

/// Which connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    A,
    B,
}

impl Side {
    pub(crate) fn other(self) -> Self {
        match self {
            Self::A => Self::B,
            Self::B => Self::A,
        }
    }
}

struct Flight {
    at: Instant,
    to: Side,
    transmit: Transmit,
}

/// A link's faults, in percent of the datagrams (see [`Net::faulty`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) loss: u64,
    pub(crate) reorder: u64,
    pub(crate) duplicate: u64,
}

/// The links the seed sweeps run over: clean, 1 % and 5 % loss, and both with 10 % of the
/// datagrams overtaken and 2 % twice.
pub(crate) const FAULTY_LINKS: [Link; 5] = [
    Link {
        loss: 0,
        reorder: 0,
        duplicate: 0,
    },
    Link {
        loss: 1,
        reorder: 0,
        duplicate: 0,
    },
    Link {
        loss: 5,
        reorder: 0,
        duplicate: 0,
    },
    Link {
        loss: 1,
        reorder: 10,
        duplicate: 2,
    },
    Link {
        loss: 5,
        reorder: 10,
        duplicate: 2,
    },
];

/// A directed loss: whether the link drops this datagram of this sender.
pub(crate) type DropIf = Box<dyn FnMut(Side, &[u8]) -> bool>;

/// The two connections and the link.
pub(crate) struct Net {
    pub(crate) now: Instant,
    pub(crate) a: Connection,
    pub(crate) b: Connection,
    /// One-way delay of the link.
    pub(crate) delay: Duration,
    /// Percent of datagrams the link drops (0 = none).
    pub(crate) loss_percent: u64,
    /// While set, the link drops everything (an outage).
    pub(crate) down: bool,
    /// While set, the link drops DTLS records (first byte 20–63, RFC 7983) and lets STUN
    /// through: ICE stays connected while SCTP gets nothing across.
    pub(crate) drop_dtls: bool,
    /// Percent of the datagrams that get through which are held back an extra 1 to 4 delays,
    /// so that datagrams sent after them arrive first (0 = none).
    pub(crate) reorder_percent: u64,
    /// Percent of the datagrams that get through which arrive twice (0 = none).
    pub(crate) duplicate_percent: u64,
    /// While set, A's DTLS datagrams reach B from this source address instead of A's own
    /// (a NAT rebinding, or ICE moving to another pair under DTLS).
    pub(crate) a_dtls_source: Option<SocketAddr>,
    /// While set, the link also drops every datagram this says to (given the sender and the
    /// bytes): a directed loss, such as one record of a handshake.
    pub(crate) drop_if: Option<DropIf>,
    rng: u64,
    flights: Vec<Flight>,
    addresses: Vec<(SocketAddr, Side)>,
    next_port: u16,
    /// Every event each side gave, in order.
    pub(crate) a_events: Vec<Event>,
    pub(crate) b_events: Vec<Event>,
    /// Datagrams each side sent.
    pub(crate) a_sent: u64,
    pub(crate) b_sent: u64,
    /// Every datagram each side put on the link (before loss), in order: for counting media
    /// packets by SSRC.
    pub(crate) wire: Vec<(Side, bytes::Bytes)>,
    /// Every STUN datagram each side put on the link: (sender, from, to).
    pub(crate) stun_sent: Vec<(Side, SocketAddr, SocketAddr)>,
}

pub(crate) fn config() -> SessionConfig {
    // The connection puts its own certificate's fingerprint in place of this one.
    SessionConfig::new(Fingerprint::new("sha-256", &[0; 32]).expect("a valid fingerprint"))
}

impl Net {
    pub(crate) fn new() -> Self {
        Self::with(config(), config())
    }

    pub(crate) fn with(a: SessionConfig, b: SessionConfig) -> Self {
        Self {
            now: virtual_epoch(),
            a: Connection::new(a, 1).expect("a connection"),
            b: Connection::new(b, 2).expect("a connection"),
            delay: Duration::from_millis(10),
            loss_percent: 0,
            down: false,
            drop_dtls: false,
            reorder_percent: 0,
            duplicate_percent: 0,
            a_dtls_source: None,
            drop_if: None,
            rng: 0x9E37_79B9_7F4A_7C15,
            flights: Vec::new(),
            addresses: Vec::new(),
            next_port: 40_000,
            a_events: Vec::new(),
            b_events: Vec::new(),
            a_sent: 0,
            b_sent: 0,
            wire: Vec::new(),
            stun_sent: Vec::new(),
        }
    }

    pub(crate) fn conn(&mut self, side: Side) -> &mut Connection {
        match side {
            Side::A => &mut self.a,
            Side::B => &mut self.b,
        }
    }

    pub(crate) fn conn_ref(&self, side: Side) -> &Connection {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    pub(crate) fn events(&self, side: Side) -> &[Event] {
        match side {
            Side::A => &self.a_events,
            Side::B => &self.b_events,
        }
    }

    /// Runs a session call on `side` at the current time.
    pub(crate) fn session<R>(&mut self, side: Side, call: impl FnOnce(&mut Session) -> R) -> R {
        let now = self.now;
        let result = self.conn(side).with_session(now, call);
        self.collect();
        result
    }

    /// Seeds the link's loss, reordering and duplication (the same seed, the same faults).
    pub(crate) fn seed(&mut self, seed: u64) {
        // xorshift64 never leaves zero.
        self.rng = seed.max(1);
    }

    /// A lossy, reordering link: `loss` percent dropped, `reorder` percent overtaken,
    /// `duplicate` percent twice, from `seed`.
    pub(crate) fn faulty(&mut self, seed: u64, loss: u64, reorder: u64, duplicate: u64) {
        self.seed(seed);
        self.loss_percent = loss;
        self.reorder_percent = reorder;
        self.duplicate_percent = duplicate;
    }

    fn chance(&mut self) -> u64 {
        // xorshift64: reproducible loss.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % 100
    }

    /// Moves datagrams onto the link and events into the logs; gives every new transport a
    /// 127.0.0.1 address of its own.
    pub(crate) fn collect(&mut self) {
        for side in [Side::A, Side::B] {
            loop {
                let mut moved = false;
                while let Some(transmit) = self.conn(side).poll_transmit() {
                    moved = true;
                    match side {
                        Side::A => self.a_sent += 1,
                        Side::B => self.b_sent += 1,
                    }
                    self.wire.push((side, transmit.data.clone()));
                    // RFC 7983 §7: a first byte of 0..=3 is STUN.
                    if matches!(transmit.data.first(), Some(0..=3)) {
                        self.stun_sent.push((side, transmit.local, transmit.remote));
                    }
                    let to = self
                        .addresses
                        .iter()
                        .find(|(a, _)| *a == transmit.remote)
                        .map(|(_, s)| *s);
                    let dtls = matches!(transmit.data.first(), Some(20..=63));
                    let lost = self.down
                        || (self.drop_dtls && dtls)
                        || self
                            .drop_if
                            .as_mut()
                            .is_some_and(|f| f(side, &transmit.data))
                        || (self.loss_percent > 0 && self.chance() < self.loss_percent);
                    if let Some(to) = to
                        && !lost
                    {
                        // Each fault draws only when it is on: a link without reordering or
                        // duplication loses exactly the datagrams it lost before they existed.
                        let mut at = self.now + self.delay;
                        if self.reorder_percent > 0 && self.chance() < self.reorder_percent {
                            let extra = 1 + u32::try_from(self.chance() % 4).expect("small");
                            at += self.delay * extra;
                        }
                        if self.duplicate_percent > 0 && self.chance() < self.duplicate_percent {
                            self.flights.push(Flight {
                                at: self.now + self.delay,
                                to,
                                transmit: transmit.clone(),
                            });
                        }
                        self.flights.push(Flight { at, to, transmit });
                    }
                }
                while let Some(event) = self.conn(side).poll_event() {
                    moved = true;
                    if let Event::AddressNeeded { transport } = event {
                        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.next_port);
                        self.next_port += 1;
                        self.addresses.push((addr, side));
                        let now = self.now;
                        self.conn(side)
                            .handle_input(
                                now,
                                Input::Command(Command::SetLocalAddress { transport, addr }),
                            )
                            .expect("a new transport takes its address");
                    }
                    match side {
                        Side::A => self.a_events.push(event),
                        Side::B => self.b_events.push(event),
                    }
                }
                if !moved {
                    break;
                }
            }
        }
    }

    /// Advances virtual time to the next delivery or deadline and handles it. `false` when
    /// nothing is scheduled before `limit`.
    pub(crate) fn step(&mut self, limit: Instant) -> bool {
        self.collect();
        let next_flight = self.flights.iter().map(|f| f.at).min();
        let next = [next_flight, self.a.poll_timeout(), self.b.poll_timeout()]
            .into_iter()
            .flatten()
            .min();
        let Some(next) = next else { return false };
        if next > limit {
            self.now = self.now.max(limit);
            return false;
        }
        // A deadline in the past is handled now; time never goes back.
        self.now = self.now.max(next);
        let now = self.now;
        let mut due: Vec<Flight> = Vec::new();
        let mut i = 0;
        while i < self.flights.len() {
            if self.flights[i].at <= now {
                due.push(self.flights.remove(i));
            } else {
                i += 1;
            }
        }
        // Earliest first; those due at the same instant in the order they were sent.
        due.sort_by_key(|f| f.at);
        for flight in due {
            let t = flight.transmit;
            let dtls = matches!(t.data.first(), Some(20..=63));
            let source = match self.a_dtls_source {
                Some(rebound) if dtls && flight.to == Side::B => rebound,
                _ => t.local,
            };
            let input = Input::Datagram {
                local: t.remote,
                remote: source,
                data: t.data,
            };
            self.conn(flight.to)
                .handle_input(now, input)
                .expect("a datagram never fails the step");
        }
        for side in [Side::A, Side::B] {
            if self.conn(side).poll_timeout().is_some_and(|at| at <= now) {
                self.conn(side)
                    .handle_input(now, Input::Timeout)
                    .expect("a timeout never fails");
            }
        }
        self.collect();
        true
    }

    /// The first local address `side` gave a transport.
    pub(crate) fn address(&self, side: Side) -> SocketAddr {
        self.addresses
            .iter()
            .find(|(_, s)| *s == side)
            .map(|(a, _)| *a)
            .expect("the side has a transport")
    }

    /// Hands `side` a datagram as if it arrived on `local` from `remote` (not through the link).
    pub(crate) fn inject(
        &mut self,
        side: Side,
        local: SocketAddr,
        remote: SocketAddr,
        data: Vec<u8>,
    ) {
        let now = self.now;
        let input = Input::Datagram {
            local,
            remote,
            data: data.into(),
        };
        self.conn(side)
            .handle_input(now, input)
            .expect("a datagram never fails the step");
        self.collect();
    }

    /// Runs until `done` holds, at most `budget` of virtual time. Returns whether it held.
    pub(crate) fn run_until(
        &mut self,
        budget: Duration,
        mut done: impl FnMut(&Self) -> bool,
    ) -> bool {
        let limit = self.now + budget;
        // A guard against a machine that keeps asking for the same instant.
        for _ in 0..2_000_000 {
            if done(self) {
                return true;
            }
            if !self.step(limit) {
                return done(self);
            }
        }
        panic!("the machines never went quiet: a deadline that does not move");
    }

    /// Runs for `span` of virtual time.
    pub(crate) fn run_for(&mut self, span: Duration) {
        self.run_until(span, |_| false);
    }

    /// One offer/answer round through the sessions, with the candidates each side gathered
    /// written into the description it sends. `edit_offer` may change the offer in flight.
    pub(crate) fn negotiate_with(
        &mut self,
        offerer: Side,
        edit_offer: impl FnOnce(String) -> String,
    ) -> Result<(), Error> {
        let answerer = offerer.other();
        let offer = edit_offer(self.set_local_offer(offerer)?);
        self.set_remote(answerer, SdpType::Offer, &offer)?;
        let answer = self.set_local_answer(answerer)?;
        self.set_remote(offerer, SdpType::Answer, &answer)
    }

    /// `side` creates an offer and applies it; returns the description it sends.
    pub(crate) fn set_local_offer(&mut self, side: Side) -> Result<String, Error> {
        self.session(side, |s| {
            let offer = s.create_offer()?;
            s.set_local_description(offer)
        })?;
        Ok(description(self.conn(side).session()))
    }

    /// `side` creates an answer and applies it; returns the description it sends.
    pub(crate) fn set_local_answer(&mut self, side: Side) -> Result<String, Error> {
        self.session(side, |s| {
            let answer = s.create_answer()?;
            s.set_local_description(answer)
        })?;
        Ok(description(self.conn(side).session()))
    }

    /// `side` applies the peer's description `text` of type `kind`.
    pub(crate) fn set_remote(
        &mut self,
        side: Side,
        kind: SdpType,
        text: &str,
    ) -> Result<(), Error> {
        self.session(side, |s| s.set_remote_description_text(kind, text))
    }

    pub(crate) fn negotiate(&mut self, offerer: Side) -> Result<(), Error> {
        self.negotiate_with(offerer, |offer| offer)
    }

    /// The open data channels of `side`, by label.
    pub(crate) fn open_channel(&self, side: Side, label: &str) -> Option<ChannelId> {
        self.events(side).iter().find_map(|e| match e {
            Event::DataChannelOpen { channel, label: l } if l == label => Some(*channel),
            _ => None,
        })
    }

    /// Sends `text` on `channel` of `side`.
    pub(crate) fn send(&mut self, side: Side, channel: ChannelId, text: String) {
        let now = self.now;
        self.conn(side)
            .handle_input(
                now,
                Input::Command(Command::Send {
                    channel,
                    message: Message::Text(text),
                }),
            )
            .expect("the channel is open");
        self.collect();
    }

    /// How many of `side`'s events match.
    pub(crate) fn count(&self, side: Side, matches: impl Fn(&Event) -> bool) -> usize {
        self.events(side).iter().filter(|e| matches(e)).count()
    }

    /// Neither side had a transport fail or lost its association.
    pub(crate) fn assert_nothing_failed(&self) {
        for side in [Side::A, Side::B] {
            let failed = self.count(side, |e| {
                matches!(e, Event::TransportFailed { .. } | Event::SctpLost { .. })
            });
            assert_eq!(failed, 0, "{side:?}: {:?}", self.events(side));
        }
    }

    /// The text messages `side` received on `channel`, in order.
    pub(crate) fn received(&self, side: Side, channel: ChannelId) -> Vec<String> {
        self.events(side)
            .iter()
            .filter_map(|e| match e {
                Event::DataChannelMessage {
                    channel: c,
                    message: Message::Text(text),
                } if *c == channel => Some(text.clone()),
                _ => None,
            })
            .collect()
    }
}

/// The description `session` sends now: its local description as text, candidates included.
fn description(session: &Session) -> String {
    session
        .local_description()
        .map(SessionDescription::write)
        .expect("the session has a local description")
}

/// The virtual clock's epoch: the one place the test reads the real clock (the connection is
/// told the time; this harness tells it).
#[expect(
    clippy::disallowed_methods,
    reason = "the harness's single clock read: the origin of virtual time"
)]
fn virtual_epoch() -> Instant {
    Instant::now()
}

/// A creates "chat", offers, B answers; both ends of the channel open.
pub(crate) fn open_chat(net: &mut Net) -> (ChannelId, ChannelId) {
    let now = net.now;
    net.a.create_data_channel(now, "chat").expect("a channel");
    net.negotiate(Side::A).expect("offer/answer");
    let opened = net.run_until(Duration::from_secs(10), |n| {
        n.open_channel(Side::A, "chat").is_some() && n.open_channel(Side::B, "chat").is_some()
    });
    assert!(
        opened,
        "the channel opens on both sides: A {:?}\nB {:?}",
        net.a_events, net.b_events
    );
    let a = net.open_channel(Side::A, "chat").expect("open on A");
    let b = net.open_channel(Side::B, "chat").expect("open on B");
    (a, b)
}

/// A connection whose BUNDLE tag is an audio section (A adds audio; mid 0), `mover` running
/// `TagMovePolicy::NewTransport` (tacet playing Chromium's or Firefox's part), over a link
/// with the given faults; the chat channel open.
pub(crate) fn over_audio_tag(mover: Side, link: Link, seed: u64) -> (Net, (ChannelId, ChannelId)) {
    let mut a = config();
    let mut b = config();
    match mover {
        Side::A => a.tag_move = tacet_session::TagMovePolicy::NewTransport,
        Side::B => b.tag_move = tacet_session::TagMovePolicy::NewTransport,
    }
    let mut net = Net::with(a, b);
    net.faulty(seed, link.loss, link.reorder, link.duplicate);
    net.session(Side::A, |s| {
        s.add_transceiver(
            tacet_track::TrackKind::Audio,
            tacet_session::TransceiverInit::default(),
        )
    })
    .expect("an audio transceiver");
    let chat = open_chat(&mut net);
    (net, chat)
}

/// Batches of `batch` numbered messages each way from `from`, 100 ms apart, until `done`
/// holds (bounded: a minute of batches; under loss a DTLS flight or an INIT waits for its
/// retransmission timer). The next number.
pub(crate) fn exchange_until(
    net: &mut Net,
    chat: (ChannelId, ChannelId),
    from: usize,
    batch: usize,
    done: impl Fn(&Net) -> bool,
) -> usize {
    let mut sent = from;
    for _ in 0..600 {
        if done(net) {
            break;
        }
        exchange(net, chat, sent, batch);
        sent += batch;
        net.run_for(Duration::from_millis(100));
    }
    sent
}

/// `side` stops its audio transceiver (mid 0, the BUNDLE tag in the scenarios that add audio
/// first): the tag moves to the next live section.
pub(crate) fn stop_audio_tag(net: &mut Net, side: Side) {
    let audio = net
        .conn(side)
        .session()
        .transceiver_by_mid("0")
        .expect("the audio transceiver")
        .id();
    net.session(side, |s| s.transceiver_mut(audio)?.stop())
        .expect("stop()");
}

/// Sends `count` numbered messages each way starting at `from`, `per_tick` per side between
/// 5 ms steps of the link.
pub(crate) fn exchange(net: &mut Net, (a, b): (ChannelId, ChannelId), from: usize, count: usize) {
    for i in from..from + count {
        net.send(Side::A, a, format!("a{i}"));
        net.send(Side::B, b, format!("b{i}"));
        if i % 4 == 3 {
            net.run_for(Duration::from_millis(5));
        }
    }
}

pub(crate) fn numbered(prefix: char, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}{i}")).collect()
}

/// Runs until each side has `count` messages, then checks them: exactly the numbers sent,
/// once each, in order.
pub(crate) fn all_arrive(net: &mut Net, chat: (ChannelId, ChannelId), count: usize) {
    all_arrive_within(net, chat, count, Duration::from_secs(30));
}

/// [`all_arrive`] with its own budget of virtual time (after an outage SCTP waits for its
/// backed-off retransmission timer).
pub(crate) fn all_arrive_within(
    net: &mut Net,
    (a, b): (ChannelId, ChannelId),
    count: usize,
    budget: Duration,
) {
    net.run_until(budget, |n| {
        n.received(Side::A, a).len() >= count && n.received(Side::B, b).len() >= count
    });
    // A little longer: a duplicate would show now.
    net.run_for(Duration::from_millis(500));
    assert_eq!(
        net.received(Side::B, b),
        numbered('a', count),
        "B got A's messages"
    );
    assert_eq!(
        net.received(Side::A, a),
        numbered('b', count),
        "A got B's messages"
    );
}

/// Each side's application trickles the candidates of its live transport to the other
/// (`addIceCandidate`, RFC 8838), as browsers do: a transport made when the answer was applied
/// gathered after its side's description was sent.
pub(crate) fn trickle_new_candidates(net: &mut Net) {
    for side in [Side::A, Side::B] {
        let session = net.conn_ref(side).session();
        let trickled: Vec<tacet_session::RemoteCandidate> = session
            .transports()
            .iter()
            .filter(|t| !t.is_released())
            .flat_map(|t| {
                t.local_candidates()
                    .iter()
                    .map(|c| tacet_session::RemoteCandidate {
                        candidate: Some(c.clone()),
                        mid: Some(t.tag().as_str().to_owned()),
                        ..tacet_session::RemoteCandidate::default()
                    })
            })
            .collect();
        for candidate in trickled {
            net.session(side.other(), |s| s.add_remote_candidate(candidate))
                .expect("a candidate for a live section");
        }
    }
}

/// A DTLS record as the link sees it (RFC 6347 §4.1): its content type (20 ChangeCipherSpec,
/// 21 alert, 22 handshake, 23 application data), epoch, length, and for a plaintext (epoch 0)
/// handshake record the message type (RFC 5246 §7.4: 1 ClientHello, 11 Certificate,
/// 16 ClientKeyExchange, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) content_type: u8,
    pub(crate) epoch: u16,
    pub(crate) sequence: u64,
    pub(crate) length: usize,
    pub(crate) handshake: Option<u8>,
}

/// The records of a DTLS datagram (none for anything else; a truncated tail is left out).
pub(crate) fn dtls_records(datagram: &[u8]) -> Vec<Record> {
    let mut records = Vec::new();
    if !matches!(datagram.first(), Some(20..=63)) {
        return records;
    }
    let mut at = 0;
    while let Some(h) = datagram.get(at..at + 13) {
        let epoch = u16::from_be_bytes([h[3], h[4]]);
        let sequence = u64::from_be_bytes([0, 0, h[5], h[6], h[7], h[8], h[9], h[10]]);
        let length = usize::from(u16::from_be_bytes([h[11], h[12]]));
        let handshake = (h[0] == 22 && epoch == 0)
            .then(|| datagram.get(at + 13).copied())
            .flatten();
        records.push(Record {
            content_type: h[0],
            epoch,
            sequence,
            length,
            handshake,
        });
        at += 13 + length;
    }
    records
}
