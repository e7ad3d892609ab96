//! `RTCPeerConnection-remote-track-mute.https.html` (stop-semantics §5.9), over two tacet-rtc
//! connections on crates/rtc's in-memory link: the remote track's mute and unmute come from the
//! wire (RTP arrival unmutes, an RTCP BYE mutes) and from negotiation (a remote inactive
//! direction mutes). The WPT's noise stream is the application writing a frame every 20 ms.

use std::time::Duration;

use crate::net::media::pump;
use crate::net::{Net, Side};
use tacet_rtc::Event as RtcEvent;
use tacet_sdp::SdpType;
use tacet_session::{Event, TransceiverId};
use tacet_track::{TrackId, TrackKind};
use tacet_transceiver_fsm::Direction;

fn session_events(net: &Net, side: Side) -> Vec<Event> {
    net.events(side)
        .iter()
        .filter_map(|e| match e {
            RtcEvent::Session(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn fired(net: &Net, side: Side, event: &Event) -> usize {
    session_events(net, side)
        .iter()
        .filter(|e| *e == event)
        .count()
}

/// The WPT's common start: pc1 adds a video noise track and offers; pc2 applies the offer
/// (ontrack fires with a muted track), ICE candidates are exchanged, pc2 answers; the media
/// flows and the track unmutes. Returns pc1's transceiver, pc2's, and the next frame number.
fn unmuted_remote_track(net: &mut Net) -> (TransceiverId, TransceiverId, u32) {
    let t1 = net
        .session(Side::A, |s| {
            s.add_track(
                TrackKind::Video,
                TrackId::from("noise"),
                vec!["stream".into()],
            )
        })
        .unwrap();
    let offer = net.set_local_offer(Side::A).unwrap();
    net.set_remote(Side::B, SdpType::Offer, &offer).unwrap();
    let t2 = net.b.session().transceivers().next().unwrap().id();
    assert!(
        session_events(net, Side::B).contains(&Event::Track {
            transceiver: t2,
            streams: vec!["stream".into()],
        }),
        "ontrack"
    );
    assert!(remote_muted(net, t2), "track initially muted");
    let answer = net.set_local_answer(Side::B).unwrap();
    net.set_remote(Side::A, SdpType::Answer, &answer).unwrap();
    let next = pump(net, Side::A, t1, "noise", 0, Duration::from_secs(2));
    assert_eq!(
        fired(net, Side::B, &Event::TrackUnmuted { transceiver: t2 }),
        1,
        "unmuted once media flows"
    );
    assert!(!remote_muted(net, t2));
    (t1, t2, next)
}

/// Whether pc2's receiver track of `t2` is muted.
fn remote_muted(net: &Net, t2: TransceiverId) -> bool {
    let track = net.b.session().transceiver(t2).unwrap().receiver().track();
    track.muted()
}

/// pc1's transceiver direction set to `direction`, then pc1 offers and pc2 answers.
fn change_direction(net: &mut Net, t1: TransceiverId, direction: Direction) {
    net.session(Side::A, |s| s.transceiver_mut(t1)?.set_direction(direction))
        .unwrap();
    net.negotiate(Side::A).unwrap();
}

// #63
// spec: 1.9a
#[test]
fn ontrack_track_goes_from_muted_to_unmuted() {
    let mut net = Net::new();
    let (_, t2, _) = unmuted_remote_track(&mut net);
    // The unmute came from RTP arriving: the receiver had packets before it fired.
    let first_rtp = net
        .b_events
        .iter()
        .position(|e| matches!(e, RtcEvent::Rtp(p) if p.transceiver == t2))
        .unwrap();
    let unmute = net
        .b_events
        .iter()
        .position(|e| *e == RtcEvent::Session(Event::TrackUnmuted { transceiver: t2 }))
        .unwrap();
    assert!(first_rtp < unmute, "RTP arrival unmutes");
}

// #64
// spec: 1.9c
#[test]
fn changing_transceiver_direction_to_inactive_mutes_the_remote_track() {
    let mut net = Net::new();
    let (t1, t2, next) = unmuted_remote_track(&mut net);
    change_direction(&mut net, t1, Direction::Inactive);
    pump(&mut net, Side::A, t1, "noise", next, Duration::from_secs(1));
    assert_eq!(
        fired(&net, Side::B, &Event::TrackMuted { transceiver: t2 }),
        1
    );
    let track = net.b.session().transceiver(t2).unwrap().receiver().track();
    assert!(track.muted());
    assert_eq!(
        track.ready_state(),
        tacet_track::ReadyState::Live,
        "muted, not ended"
    );
}

// #65
// spec: 1.9a, 1.9c
#[test]
fn changing_transceiver_direction_to_sendrecv_unmutes_the_remote_track() {
    let mut net = Net::new();
    let (t1, t2, next) = unmuted_remote_track(&mut net);
    change_direction(&mut net, t1, Direction::Inactive);
    let next = pump(&mut net, Side::A, t1, "noise", next, Duration::from_secs(1));
    assert_eq!(
        fired(&net, Side::B, &Event::TrackMuted { transceiver: t2 }),
        1
    );
    change_direction(&mut net, t1, Direction::SendRecv);
    pump(&mut net, Side::A, t1, "noise", next, Duration::from_secs(1));
    assert_eq!(
        fired(&net, Side::B, &Event::TrackUnmuted { transceiver: t2 }),
        2,
        "unmuted again by the RTP that flows once sendrecv is negotiated"
    );
    assert!(!remote_muted(&net, t2));
}

// #66: pc1.close() stops its transceivers: each sends an RTCP BYE (RFC 3550 §6.6), which mutes
// pc2's remote track.
// spec: 1.8a, 1.9b, 6.12
#[test]
fn pc_close_mutes_remote_tracks() {
    let mut net = Net::new();
    let (_, t2, _) = unmuted_remote_track(&mut net);
    net.session(Side::A, |s| s.close());
    net.run_for(Duration::from_millis(100));
    assert_eq!(
        fired(&net, Side::B, &Event::TrackMuted { transceiver: t2 }),
        1
    );
    assert!(remote_muted(&net, t2));
}
