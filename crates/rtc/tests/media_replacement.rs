//! Media across a transport replacement (docs/transport.md, "Transport replacement"): A runs
//! `TagMovePolicy::NewTransport`, a call carries audio (mid 0, the BUNDLE tag), video and a
//! data channel, A stops its audio and re-offers — the tag moves and both sides make a new
//! transport. Video flows both ways the whole time, a frame every 20 ms: RTP goes out on
//! `carrier_for` the sender's transport (the old one until this side switched), RTP arriving
//! on the old transport is unprotected with the old keys and routed as the new one's, and the
//! old transport's media state goes at the handover.

mod net;

use std::time::Duration;

use net::media::{call, pump_all, rtcp_on_wire, ssrc_of};
use net::{Net, Side, all_arrive, config, exchange, trickle_new_candidates};
use tacet_rtc::Event;
use tacet_session::TagMovePolicy;
use tacet_track::ReadyState;

/// Video packets received per 100 ms of virtual time, per side, from the start of the pump.
struct Windows {
    a: Vec<usize>,
    b: Vec<usize>,
}

fn video_received(net: &Net, side: Side, video: tacet_session::TransceiverId) -> usize {
    net.events(side)
        .iter()
        .filter(|e| matches!(e, Event::Rtp(p) if p.transceiver == video))
        .count()
}

fn handed_over(net: &Net, side: Side) -> bool {
    net.events(side)
        .iter()
        .any(|e| matches!(e, Event::TransportHandedOver { .. }))
}

#[test]
fn video_flows_both_ways_through_a_transport_replacement_without_a_gap() {
    let mut a = config();
    a.tag_move = TagMovePolicy::NewTransport;
    let mut net = Net::with(a, config());
    let c = call(&mut net);
    // A's audio sends until it is stopped (so B's track is unmuted and its BYE has a stream
    // to end).
    let with_audio = [
        (Side::A, c.a_video),
        (Side::B, c.b_video),
        (Side::A, c.a_audio),
    ];
    let senders_of = |audio: bool| {
        if audio {
            &with_audio[..]
        } else {
            &with_audio[..2]
        }
    };
    let mut windows = Windows {
        a: Vec::new(),
        b: Vec::new(),
    };
    let mut frame = 0;
    let mut seen = [0, 0];
    // Each step: 20 ms of frames both ways, a numbered message each way, the counts taken.
    let mut step = |net: &mut Net, windows: &mut Windows, sent: &mut usize, audio: bool| {
        for _ in 0..5 {
            let senders = senders_of(audio);
            frame = pump_all(net, senders, "media", frame, Duration::from_millis(20));
        }
        exchange(net, c.chat, *sent, 1);
        *sent += 1;
        let now = [
            video_received(net, Side::A, c.a_video),
            video_received(net, Side::B, c.b_video),
        ];
        windows.a.push(now[0] - seen[0]);
        windows.b.push(now[1] - seen[1]);
        seen = now;
    };
    let mut sent = 0;
    for _ in 0..10 {
        step(&mut net, &mut windows, &mut sent, true);
    }
    let audio_ssrc = ssrc_of(&net, Side::A, c.a_audio);
    let before_stop = net.wire.len();
    net.session(Side::A, |s| s.transceiver_mut(c.a_audio)?.stop())
        .expect("stop()");
    let stopped_at = windows.a.len();
    step(&mut net, &mut windows, &mut sent, false);
    net.negotiate(Side::A)
        .expect("the round that moves the tag");
    trickle_new_candidates(&mut net);
    let mut rounds = 0;
    while !(handed_over(&net, Side::A) && handed_over(&net, Side::B)) {
        assert!(rounds < 100, "handed over within 10 s");
        step(&mut net, &mut windows, &mut sent, false);
        rounds += 1;
    }
    let handover_at = windows.a.len();
    for _ in 0..10 {
        step(&mut net, &mut windows, &mut sent, false);
    }
    all_arrive(&mut net, c.chat, sent);
    net.assert_nothing_failed();

    // At 0 % loss every 100 ms window on each side has all five frames sent in it (each
    // arrives one 10 ms link delay later, within its 20 ms step), before (0..stopped_at),
    // during (..handover_at) and after the handover: not one packet late, lost or dropped.
    for (side, w) in [(Side::A, &windows.a), (Side::B, &windows.b)] {
        assert!(
            w.iter().all(|&n| n == 5),
            "{side:?}: stopped at window {stopped_at}, handed over at {handover_at}: {w:?}"
        );
        let stats = net.conn_ref(side).stats();
        assert_eq!(stats.dropped_media, 0, "{side:?}: {stats:?}");
        assert_eq!(stats.dropped_unrouted_media, 0, "{side:?}: {stats:?}");
    }
    assert!(
        handover_at > stopped_at + 1,
        "the handover took some windows"
    );

    // The new transport carries the video: A's and B's carriers are the handed-over ones.
    for side in [Side::A, Side::B] {
        let conn = net.conn_ref(side);
        let new = conn.carrier().expect("a carrier");
        let handed = net.events(side).iter().find_map(|e| match e {
            Event::TransportHandedOver { new, .. } => Some(*new),
            _ => None,
        });
        assert_eq!(Some(new), handed, "{side:?}");
    }

    // The stopped audio: its BYE left on the carrier and reached B (mute, RFC 3550 §6.6),
    // and the negotiated stop ended B's receiver track.
    assert_eq!(rtcp_on_wire(&net, Side::A, audio_ssrc, before_stop), 1);
    assert!(
        net.b_events
            .contains(&Event::Session(tacet_session::Event::TrackMuted {
                transceiver: c.b_audio
            }))
    );
    let b_audio = net.b.session().transceiver(c.b_audio).expect("B's audio");
    assert_eq!(b_audio.receiver().track().ready_state(), ReadyState::Ended);
}
