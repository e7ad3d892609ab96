//! Media between two tacet connections over the in-memory link: SRTP keyed from DTLS, RTP both
//! ways for audio and video, the session's stops carried out on the wire (BYE, not one more
//! packet), mute and unmute from the wire, and a data channel delivering numbered messages
//! throughout.

mod net;

use std::time::Duration;

use net::media::{
    call, frame, frames, payloads, rtcp_on_wire, rtp, rtp_on_wire, rtp_on_wire_is, ssrc_of, write,
};
use net::{Net, Side, all_arrive, exchange};
use tacet_rtc::{Error, Event, MediaPayload};
use tacet_session::Mode;
use tacet_track::{ReadyState, TrackKind};
use tacet_transceiver_fsm::Direction;

fn has(net: &Net, side: Side, event: &Event) -> bool {
    net.events(side).contains(event)
}

#[test]
fn audio_and_video_flow_both_ways_over_srtp() {
    let mut net = Net::new();
    let c = call(&mut net);
    exchange(&mut net, c.chat, 0, 20);
    for n in 0..10 {
        write(&mut net, Side::A, c.a_audio, "a-audio", n * 5, 5);
        write(&mut net, Side::A, c.a_video, "a-video", n * 5, 5);
        write(&mut net, Side::B, c.b_audio, "b-audio", n * 5, 5);
        write(&mut net, Side::B, c.b_video, "b-video", n * 5, 5);
        net.run_for(Duration::from_millis(20));
    }
    exchange(&mut net, c.chat, 20, 20);
    all_arrive(&mut net, c.chat, 40);

    for (side, id, label) in [
        (Side::B, c.b_audio, "a-audio"),
        (Side::B, c.b_video, "a-video"),
        (Side::A, c.a_audio, "b-audio"),
        (Side::A, c.a_video, "b-video"),
    ] {
        let got = rtp(&net, side, id);
        assert_eq!(payloads(&got), frames(label, 0, 50), "{side:?} {label}");
        // The negotiated payload type (the answer's first codec: opus 111, VP8 96), the
        // sender's timestamps and markers, consecutive sequence numbers.
        let conn = if side == Side::A { &net.a } else { &net.b };
        let pt = conn.session().transceiver(id).expect("it").codecs()[0].pt;
        assert!(got.iter().all(|p| p.payload_type == pt), "{label}: pt {pt}");
        for (n, pair) in got.windows(2).enumerate() {
            assert_eq!(
                pair[1].sequence,
                pair[0].sequence.wrapping_add(1),
                "{label}"
            );
            assert_eq!(pair[1].timestamp, (n as u32 + 1) * 960, "{label}");
        }
        assert!(got.iter().all(|p| p.marker == (p.timestamp / 960 % 5 == 4)));
        // ontrack's track starts muted and the first packet unmutes it.
        assert!(
            has(
                &net,
                side,
                &Event::Session(tacet_session::Event::TrackUnmuted { transceiver: id })
            ),
            "{side:?} {label}"
        );
        let stats = conn.stats().tracks[&id];
        assert_eq!(stats.packets_received, 50, "{label}");
        assert_eq!(stats.packets_sent, 50, "{label}");
        assert_eq!(
            stats.bytes_received,
            frames(label, 0, 50)
                .iter()
                .map(|f| f.len() as u64)
                .sum::<u64>()
        );
    }
    for side in [Side::A, Side::B] {
        let stats = net.conn(side).stats();
        assert_eq!(
            stats.dropped_media + stats.dropped_unrouted_media,
            0,
            "{stats:?}"
        );
    }
    // DTLS use_srtp chose AEAD_AES_128_GCM, tacet's first choice: A's first audio packet is
    // the 12-byte header, the mid extension (4 + 4 bytes: id/length, "0", padding), the
    // payload and GCM's 16-byte tag (RFC 7714 §8; HMAC-SHA1-80 would add 10).
    let ssrc = ssrc_of(&net, Side::A, c.a_audio);
    let first = net
        .wire
        .iter()
        .find(|(s, d)| *s == Side::A && rtp_on_wire_is(d, ssrc))
        .map(|(_, d)| d.len())
        .expect("A's audio on the wire");
    assert_eq!(first, 12 + 8 + frame("a-audio", 0).len() + 16);
}

fn session_event(net: &Net, side: Side, event: tacet_session::Event) -> bool {
    has(net, side, &Event::Session(event))
}

/// Stops A's video transceiver (mid 1, not the BUNDLE tag) while audio, video and the data
/// channel are all flowing, with three video packets written and not yet taken off the
/// connection.
// spec: 1.3c, 6.12
#[test]
fn stopping_a_non_tag_transceiver_mid_stream_sends_a_bye_and_not_one_more_packet() {
    let mut net = Net::new();
    let c = call(&mut net);
    let video_ssrc = ssrc_of(&net, Side::A, c.a_video);
    let mid = net
        .a
        .session()
        .transceiver(c.a_video)
        .and_then(|t| t.mid().cloned())
        .expect("mid");
    assert_ne!(
        net.a.session().bundle_groups()[0].tag(),
        Some(&mid),
        "video is not the tag"
    );
    exchange(&mut net, c.chat, 0, 20);
    for n in 0..4 {
        write(&mut net, Side::A, c.a_audio, "a-audio", n * 5, 5);
        write(&mut net, Side::A, c.a_video, "a-video", n * 5, 5);
        net.run_for(Duration::from_millis(20));
    }
    // Three more video frames, still in the connection's queue when stop() is called.
    let now = net.now;
    for n in 20..23 {
        let media = MediaPayload {
            payload: frame("a-video", n),
            timestamp: n * 960,
            marker: false,
        };
        net.a
            .write_rtp(now, c.a_video, media)
            .expect("still sending");
    }
    let before_stop = net.wire.len();
    net.session(Side::A, |s| s.transceiver_mut(c.a_video)?.stop())
        .expect("stop()");
    // Not one more RTP packet of the video SSRC leaves, the queued ones included; one
    // compound SRTCP packet from that SSRC (RR, SDES, BYE: RFC 3550 §6.1, §6.6) does.
    assert_eq!(rtp_on_wire(&net, Side::A, video_ssrc, before_stop), 0);
    assert_eq!(rtcp_on_wire(&net, Side::A, video_ssrc, before_stop), 1);
    // Its size shows the three parts: RR 8, SDES with the session's 16-character CNAME 28,
    // BYE for the media and RTX SSRCs 16 (rtc-rtcp writes an empty reason as a zero length
    // byte, padded), then the SRTCP index 4 and GCM's tag 16.
    let bye = net.wire[before_stop..]
        .iter()
        .find(|(s, d)| *s == Side::A && d.get(4..8) == Some(&video_ssrc.to_be_bytes()[..]))
        .map(|(_, d)| d.len());
    assert_eq!(bye, Some(8 + 28 + 16 + 4 + 16));
    // Writing to the stopped sender is refused by name.
    let now = net.now;
    let refused = net.a.write_rtp(
        now,
        c.a_video,
        MediaPayload {
            payload: frame("a-video", 99),
            timestamp: 0,
            marker: false,
        },
    );
    assert_eq!(refused, Err(Error::SenderStopped(c.a_video)));
    // The application's track is untouched: stop() ends the receiver's track, never the
    // sender's.
    let a_video = net.a.session().transceiver(c.a_video).expect("it");
    assert_eq!(a_video.sender().track().map(|t| t.as_str()), Some("a-cam"));
    assert_eq!(a_video.receiver().track().ready_state(), ReadyState::Ended);

    // Audio and the channel go on; the BYE reaches B and mutes (does not end) its track.
    for n in 4..8 {
        write(&mut net, Side::A, c.a_audio, "a-audio", n * 5, 5);
        net.run_for(Duration::from_millis(20));
    }
    exchange(&mut net, c.chat, 20, 20);
    assert!(session_event(
        &net,
        Side::B,
        tacet_session::Event::TrackMuted {
            transceiver: c.b_video
        }
    ));
    let b_video = net.b.session().transceiver(c.b_video).expect("it");
    assert_eq!(b_video.receiver().track().ready_state(), ReadyState::Live);
    assert!(b_video.receiver().track().muted());

    // The stop is negotiated: the m-line is rejected (port 0) and B's remote track ends.
    net.negotiate(Side::A).expect("the stop round");
    exchange(&mut net, c.chat, 40, 20);
    for n in 8..12 {
        write(&mut net, Side::A, c.a_audio, "a-audio", n * 5, 5);
        net.run_for(Duration::from_millis(20));
    }
    let answer = net
        .b
        .session()
        .current_local_description()
        .expect("an answer");
    assert!(
        answer
            .media_by_mid(mid.as_str())
            .expect("the m-line")
            .1
            .is_rejected()
    );
    assert!(net.b_events.iter().any(|e| matches!(
        e,
        Event::Session(tacet_session::Event::TrackEnded { transceiver, .. }) if *transceiver == c.b_video
    )));
    let b_video = net.b.session().transceiver(c.b_video).expect("it");
    assert_eq!(b_video.receiver().track().ready_state(), ReadyState::Ended);
    // B received exactly the 20 video frames written before stop(), and every audio frame.
    assert_eq!(
        payloads(&rtp(&net, Side::B, c.b_video)),
        frames("a-video", 0, 20)
    );
    assert_eq!(
        payloads(&rtp(&net, Side::B, c.b_audio)),
        frames("a-audio", 0, 60)
    );
    assert_eq!(rtp_on_wire(&net, Side::A, video_ssrc, before_stop), 0);
    let a_video = net.a.session().transceiver(c.a_video).expect("it");
    assert_eq!(a_video.sender().track().map(|t| t.as_str()), Some("a-cam"));
    all_arrive(&mut net, c.chat, 60);
}

/// `stop_media()`: every media sender says BYE and stops; after the round the session is
/// data-only and the channel never missed a message; a new track then takes a recycled
/// m-line and carries media again.
// spec: 1.3c
#[test]
fn stop_media_goes_data_only_and_a_new_track_recycles_an_m_line_that_carries_media() {
    let mut net = Net::new();
    let c = call(&mut net);
    exchange(&mut net, c.chat, 0, 20);
    write(&mut net, Side::A, c.a_audio, "a-audio", 0, 10);
    write(&mut net, Side::A, c.a_video, "a-video", 0, 10);
    net.run_for(Duration::from_millis(50));
    let ssrcs = [
        ssrc_of(&net, Side::A, c.a_audio),
        ssrc_of(&net, Side::A, c.a_video),
    ];
    let before_stop = net.wire.len();
    let stopped = net
        .session(Side::A, |s| s.stop_media())
        .expect("stop_media()");
    assert_eq!(stopped, vec![c.a_audio, c.a_video]);
    for ssrc in ssrcs {
        assert_eq!(
            rtcp_on_wire(&net, Side::A, ssrc, before_stop),
            1,
            "a BYE for {ssrc}"
        );
    }
    exchange(&mut net, c.chat, 20, 20);
    net.negotiate(Side::A).expect("the stop round");
    exchange(&mut net, c.chat, 40, 20);
    net.run_for(Duration::from_millis(100));
    assert_eq!(net.a.session().mode(), Mode::DataOnly);
    assert_eq!(net.b.session().mode(), Mode::DataOnly);
    for ssrc in ssrcs {
        assert_eq!(rtp_on_wire(&net, Side::A, ssrc, before_stop), 0);
    }

    // A new track: its transceiver takes one of the rejected m-lines (RFC 9429 §5.2.2) with
    // a new mid, and media flows on it.
    let m_lines = net
        .a
        .session()
        .current_local_description()
        .expect("it")
        .media
        .len();
    let again = net
        .session(Side::A, |s| {
            s.add_track(TrackKind::Audio, "a-mic-2".into(), vec!["a".into()])
        })
        .expect("a new track");
    net.negotiate(Side::A).expect("the new track's round");
    net.run_for(Duration::from_millis(100));
    let local = net.a.session().current_local_description().expect("it");
    assert_eq!(
        local.media.len(),
        m_lines,
        "an m-line was recycled, none added"
    );
    let mid = net
        .a
        .session()
        .transceiver(again)
        .and_then(|t| t.mid().cloned())
        .expect("a mid");
    let (index, _) = local.media_by_mid(mid.as_str()).expect("its m-line");
    assert!(
        index < 2,
        "the recycled m-line is one of the media ones: {index}"
    );
    let b_again = net
        .b
        .session()
        .transceiver_by_mid(mid.as_str())
        .expect("B's transceiver")
        .id();
    exchange(&mut net, c.chat, 60, 20);
    write(&mut net, Side::A, again, "again", 0, 20);
    net.run_for(Duration::from_millis(100));
    assert_eq!(
        payloads(&rtp(&net, Side::B, b_again)),
        frames("again", 0, 20)
    );
    assert!(session_event(
        &net,
        Side::B,
        tacet_session::Event::TrackUnmuted {
            transceiver: b_again
        }
    ));
    assert_eq!(net.a.session().mode(), Mode::MediaAndData);
    all_arrive(&mut net, c.chat, 80);
    // The channel's counters: 80 numbered messages each way ("a0".."a79", "b0".."b79").
    let bytes: u64 = (0..80).map(|i| format!("a{i}").len() as u64).sum();
    for (side, channel) in [(Side::A, c.chat.0), (Side::B, c.chat.1)] {
        let stats = net.conn(side).stats().channels[&channel];
        assert_eq!(
            stats,
            tacet_rtc::ChannelStats {
                messages_sent: 80,
                bytes_sent: bytes,
                messages_received: 80,
                bytes_received: bytes,
            },
            "{side:?}"
        );
    }
}

/// `close()`: the receiver tracks end on the closing side; the peer hears the BYEs and mutes.
// spec: 1.8a, 1.9b
#[test]
fn close_ends_the_receiver_tracks_and_the_peer_mutes() {
    let mut net = Net::new();
    let c = call(&mut net);
    write(&mut net, Side::A, c.a_audio, "a-audio", 0, 5);
    write(&mut net, Side::B, c.b_audio, "b-audio", 0, 5);
    net.run_for(Duration::from_millis(50));
    net.session(Side::A, |s| s.close());
    for id in [c.a_audio, c.a_video] {
        let t = net.a.session().transceiver(id).expect("it");
        assert_eq!(t.receiver().track().ready_state(), ReadyState::Ended);
    }
    net.run_for(Duration::from_millis(100));
    assert!(session_event(
        &net,
        Side::B,
        tacet_session::Event::TrackMuted {
            transceiver: c.b_audio
        }
    ));
    let now = net.now;
    let refused = net.a.write_rtp(
        now,
        c.a_audio,
        MediaPayload {
            payload: frame("a-audio", 5),
            timestamp: 0,
            marker: false,
        },
    );
    assert_eq!(refused, Err(Error::SenderStopped(c.a_audio)));
}

/// Writing before the transceiver is negotiated, on a recvonly one, and before DTLS is up
/// are refused by name.
#[test]
fn writing_where_nothing_may_be_sent_is_a_typed_error() {
    let mut net = Net::new();
    let audio = net
        .session(Side::A, |s| {
            s.add_track(TrackKind::Audio, "a-mic".into(), vec![])
        })
        .expect("audio");
    let listen = net
        .session(Side::A, |s| {
            s.add_transceiver(
                TrackKind::Video,
                tacet_session::TransceiverInit {
                    direction: Direction::RecvOnly,
                    streams: vec![],
                },
            )
        })
        .expect("video");
    let media = || MediaPayload {
        payload: frame("x", 0),
        timestamp: 0,
        marker: false,
    };
    let now = net.now;
    assert_eq!(
        net.a.write_rtp(now, audio, media()),
        Err(Error::NotNegotiated(audio))
    );
    net.negotiate(Side::A).expect("offer/answer");
    // The answer is applied but ICE and DTLS have not run yet.
    let now = net.now;
    assert!(matches!(
        net.a.write_rtp(now, audio, media()),
        Err(Error::MediaTransportNotConnected { transceiver, reason: None, .. }) if transceiver == audio
    ));
    net.run_for(Duration::from_secs(2));
    let now = net.now;
    assert!(matches!(
        net.a.write_rtp(now, listen, media()),
        Err(Error::NotSending { transceiver, .. }) if transceiver == listen
    ));
    net.a
        .write_rtp(now, audio, media())
        .expect("connected and sending");
    // Another session's transceiver id is refused as webrtc-pc refuses a foreign sender.
    let foreign = net.b.session().transceivers().next().expect("it").id();
    assert_eq!(
        net.a.write_rtp(now, foreign, media()),
        Err(Error::Session(tacet_session::Error::ForeignTransceiver(
            foreign
        )))
    );
    // B's own transceiver for A's audio answered recvonly: B does not send on it.
    let b_audio = net.b.session().transceivers().next().expect("it").id();
    assert!(matches!(
        net.b.write_rtp(now, b_audio, media()),
        Err(Error::NotSending { .. })
    ));
}

/// A copy of a packet B accepted, and a copy with one payload byte flipped, are dropped and
/// counted (RFC 3711 §3.3: replay protection, message authentication); nothing is delivered
/// twice and the stream goes on.
#[test]
fn replayed_and_tampered_srtp_is_dropped_and_counted() {
    let mut net = Net::new();
    let c = call(&mut net);
    write(&mut net, Side::A, c.a_audio, "a-audio", 0, 5);
    net.run_for(Duration::from_millis(50));
    let ssrc = ssrc_of(&net, Side::A, c.a_audio);
    let genuine = net
        .wire
        .iter()
        .find(|(s, d)| *s == Side::A && rtp_on_wire_is(d, ssrc))
        .map(|(_, d)| d.to_vec())
        .expect("A's first audio packet");
    let (a, b) = (net.address(Side::A), net.address(Side::B));
    let before = net.b.stats().dropped_media;
    net.inject(Side::B, b, a, genuine.clone());
    let mut tampered = genuine;
    let last = tampered.len() - 20;
    tampered[last] ^= 0x01;
    net.inject(Side::B, b, a, tampered);
    assert_eq!(net.b.stats().dropped_media, before + 2);
    write(&mut net, Side::A, c.a_audio, "a-audio", 5, 5);
    net.run_for(Duration::from_millis(50));
    assert_eq!(
        payloads(&rtp(&net, Side::B, c.b_audio)),
        frames("a-audio", 0, 10)
    );
    assert_eq!(net.b.stats().tracks[&c.b_audio].packets_received, 10);
}

/// Without the mid header extension (B's configuration has none, so the answer drops it),
/// RTP is routed by the SSRCs of the offer's `a=ssrc` lines (RFC 9143 §9.2): two audio
/// transceivers, same payload types, each gets its own stream. With those lines removed in
/// flight, only the payload type is left: it routes audio and video apart, and two audio
/// transceivers not at all (dropped and counted, never guessed).
#[test]
fn without_the_mid_extension_rtp_is_routed_by_ssrc_then_by_payload_type() {
    use TrackKind::{Audio, Video};
    for (second, strip_ssrc_lines, routed) in [
        (Audio, false, true),
        (Video, true, true),
        (Audio, true, false),
    ] {
        let mut b = net::config();
        b.codecs.audio_extensions.clear();
        b.codecs.video_extensions.clear();
        let mut net = Net::with(net::config(), b);
        let first = net
            .session(Side::A, |s| s.add_track(Audio, "one".into(), vec![]))
            .expect("audio");
        let other = net
            .session(Side::A, |s| s.add_track(second, "two".into(), vec![]))
            .expect("second");
        net.negotiate_with(Side::A, |offer| {
            if strip_ssrc_lines {
                offer
                    .split_inclusive("\r\n")
                    .filter(|l| !l.starts_with("a=ssrc"))
                    .collect()
            } else {
                offer
            }
        })
        .expect("offer/answer");
        net.run_for(Duration::from_secs(2));
        write(&mut net, Side::A, first, "one", 0, 10);
        write(&mut net, Side::A, other, "two", 0, 10);
        net.run_for(Duration::from_millis(50));
        // No extension on the wire: the header is 12 bytes, GCM's tag 16.
        let ssrc = ssrc_of(&net, Side::A, first);
        let size = net
            .wire
            .iter()
            .find(|(s, d)| *s == Side::A && rtp_on_wire_is(d, ssrc))
            .map(|(_, d)| d.len());
        assert_eq!(size, Some(12 + frame("one", 0).len() + 16));
        let mut b_ids = net.b.session().transceivers().map(|t| t.id());
        let (b_first, b_other) = (b_ids.next().expect("one"), b_ids.next().expect("two"));
        let case = format!("{second:?}, a=ssrc stripped: {strip_ssrc_lines}");
        if routed {
            assert_eq!(
                payloads(&rtp(&net, Side::B, b_first)),
                frames("one", 0, 10),
                "{case}"
            );
            assert_eq!(
                payloads(&rtp(&net, Side::B, b_other)),
                frames("two", 0, 10),
                "{case}"
            );
            assert_eq!(net.b.stats().dropped_unrouted_media, 0, "{case}");
        } else {
            assert!(
                !net.b_events.iter().any(|e| matches!(e, Event::Rtp(_))),
                "{case}"
            );
            assert_eq!(net.b.stats().dropped_unrouted_media, 20, "{case}");
        }
    }
}

/// A sender that stops sending by direction and resumes continues its sequence numbers: an
/// SRTP index is never used twice under one key (RFC 3711 §9.1; the peer's replay window
/// would drop the repeats too).
#[test]
fn a_sender_resuming_after_inactive_continues_its_sequence_numbers() {
    let mut net = Net::new();
    let c = call(&mut net);
    write(&mut net, Side::A, c.a_audio, "a-audio", 0, 5);
    net.run_for(Duration::from_millis(50));
    for direction in [Direction::Inactive, Direction::SendRecv] {
        net.session(Side::A, |s| {
            s.transceiver_mut(c.a_audio)?.set_direction(direction)
        })
        .expect("direction");
        net.negotiate(Side::A).expect("the round");
        net.run_for(Duration::from_millis(50));
    }
    write(&mut net, Side::A, c.a_audio, "a-audio", 5, 5);
    net.run_for(Duration::from_millis(50));
    let got = rtp(&net, Side::B, c.b_audio);
    assert_eq!(payloads(&got), frames("a-audio", 0, 10));
    for pair in got.windows(2) {
        assert_eq!(pair[1].sequence, pair[0].sequence.wrapping_add(1));
    }
    assert_eq!(net.b.stats().dropped_media, 0);
}
