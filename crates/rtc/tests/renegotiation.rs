//! The data channel across 100 renegotiations: numbered messages flow both ways throughout,
//! on a link that loses, reorders and duplicates datagrams, while the two sides take turns
//! offering and each round changes the media sections (add, set direction, stop — the BUNDLE
//! tag among them — and adding again, which recycles a stopped section's m-line). None is
//! lost, none arrives twice, all in order; the one DTLS session and the one association of
//! each side last the whole run (the session keeps the transport: RFC 9143 §7.2.1 lets the
//! tag move within the group).

mod net;

use std::time::Duration;

use net::{Net, Side, all_arrive, exchange, open_chat};
use tacet_rtc::Event;
use tacet_session::{Session, TransceiverId, TransceiverInit};
use tacet_track::TrackKind;
use tacet_transceiver_fsm::Direction;

/// Rounds of offer/answer.
const ROUNDS: usize = 100;
/// Numbered messages each side sends around each round (half before, half after it).
const PER_ROUND: usize = 10;

/// What one round changes before its offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Add,
    Direction,
    Stop,
}

/// The oldest transceiver of `session` that is negotiated and neither stopping nor stopped.
fn oldest_live(session: &Session) -> Option<TransceiverId> {
    session
        .transceivers()
        .find(|t| t.mid().is_some() && !t.is_stopping() && !t.is_stopped())
        .map(|t| t.id())
}

/// Whether `id` is the transceiver whose mid tags the (only) BUNDLE group.
fn is_tag(session: &Session, id: TransceiverId) -> bool {
    let tag = session
        .bundle_groups()
        .first()
        .and_then(|g| g.tag().cloned());
    let mid = session.transceiver(id).and_then(|t| t.mid().cloned());
    tag.is_some() && tag == mid
}

#[test]
fn numbered_messages_flow_through_100_renegotiations_on_a_lossy_reordering_link() {
    let mut net = Net::new();
    // 5 % lost, 5 % overtaken by later datagrams, 1 % twice — from the start, so ICE, DTLS
    // and the SCTP handshake retransmit too.
    net.faulty(0x5EED_0012, 5, 5, 1);
    // An audio transceiver first: its mid tags the BUNDLE group, so stopping it moves the tag.
    net.session(Side::A, |s| {
        s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
    })
    .expect("an audio transceiver");
    let chat = open_chat(&mut net);

    let directions = [
        Direction::SendOnly,
        Direction::RecvOnly,
        Direction::Inactive,
        Direction::SendRecv,
    ];
    let mut sent = 0;
    let mut added = 1;
    let mut tag_stops = 0;
    let mut counts = [0usize; 3];
    for round in 0..ROUNDS {
        // The sides alternate; each kind of change comes twice in a row, once from each side.
        let offerer = if round % 2 == 0 { Side::A } else { Side::B };
        let change = match (round / 2) % 4 {
            0 => Change::Add,
            1 | 3 => Change::Direction,
            _ => Change::Stop,
        };
        exchange(&mut net, chat, sent, PER_ROUND / 2);
        sent += PER_ROUND / 2;
        let session = net.conn(offerer).session();
        let target = oldest_live(session);
        if change == Change::Stop
            && let Some(id) = target
            && is_tag(session, id)
        {
            tag_stops += 1;
        }
        net.session(offerer, |s| match (change, target) {
            (Change::Add, _) | (_, None) => {
                let kind = if round % 4 == 0 {
                    TrackKind::Video
                } else {
                    TrackKind::Audio
                };
                s.add_transceiver(kind, TransceiverInit::default())
                    .map(|_| ())
            }
            (Change::Direction, Some(id)) => s
                .transceiver_mut(id)?
                .set_direction(directions[round % directions.len()]),
            (Change::Stop, Some(id)) => s.transceiver_mut(id)?.stop(),
        })
        .unwrap_or_else(|e| panic!("round {round}: {change:?} on {offerer:?}: {e}"));
        match (change, target) {
            (Change::Add, _) | (_, None) => {
                added += 1;
                counts[0] += 1;
            }
            (Change::Direction, _) => counts[1] += 1,
            (Change::Stop, _) => counts[2] += 1,
        }
        net.negotiate(offerer)
            .unwrap_or_else(|e| panic!("round {round}: negotiation by {offerer:?}: {e}"));
        exchange(&mut net, chat, sent, PER_ROUND / 2);
        sent += PER_ROUND / 2;
        net.run_for(Duration::from_millis(20));
    }

    all_arrive(&mut net, chat, sent);

    assert!(tag_stops >= 1, "a round stopped the BUNDLE tag");
    assert!(
        counts.iter().all(|&n| n >= 20),
        "every kind of change ran: {counts:?}"
    );
    // Stopped sections' m-lines were reused: fewer m-lines than transceivers ever added
    // (plus the data section).
    let lines = net
        .a
        .session()
        .local_description()
        .map(|d| d.media.len())
        .expect("A has a description");
    assert!(lines < added, "{lines} m-lines for {added} transceivers");
    net.assert_nothing_failed();
    for side in [Side::A, Side::B] {
        let dtls = net.count(side, |e| matches!(e, Event::TransportConnected { .. }));
        let sctp = net.count(side, |e| matches!(e, Event::SctpConnected));
        assert_eq!(
            (dtls, sctp),
            (1, 1),
            "{side:?}: one DTLS session, one association"
        );
        let closed = net.count(side, |e| matches!(e, Event::TransportClosed { .. }));
        assert_eq!(closed, 0, "{side:?}");
    }
}
