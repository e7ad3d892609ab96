//! Media between two tacet connections over the in-memory link: SRTP keyed from DTLS, RTP both
//! ways for audio and video, the session's stops carried out on the wire (BYE, not one more
//! packet), mute and unmute from the wire, and a data channel delivering numbered messages
//! throughout.

mod net;

use std::time::Duration;

use bytes::Bytes;
use net::{Net, Side, all_arrive, exchange, open_chat};
use tacet_rtc::{ChannelId, Error, Event, MediaPayload, RtpPacket};
use tacet_session::{Mode, TransceiverId};
use tacet_track::{ReadyState, TrackKind};
use tacet_transceiver_fsm::Direction;

/// The transceivers of one call: A's and B's audio and video (each pair shares a mid).
struct Call {
    chat: (ChannelId, ChannelId),
    a_audio: TransceiverId,
    a_video: TransceiverId,
    b_audio: TransceiverId,
    b_video: TransceiverId,
}

/// A adds an audio and a video track and a data channel and offers; B answers, adds its own
/// tracks (reusing the transceivers A's offer made) and offers back: both send both kinds.
fn call(net: &mut Net) -> Call {
    let a_audio = net
        .session(Side::A, |s| {
            s.add_track(TrackKind::Audio, "a-mic".into(), vec!["a".into()])
        })
        .expect("A's audio");
    let a_video = net
        .session(Side::A, |s| {
            s.add_track(TrackKind::Video, "a-cam".into(), vec!["a".into()])
        })
        .expect("A's video");
    let chat = open_chat(net);
    let b_audio = net
        .session(Side::B, |s| {
            s.add_track(TrackKind::Audio, "b-mic".into(), vec!["b".into()])
        })
        .expect("B's audio");
    let b_video = net
        .session(Side::B, |s| {
            s.add_track(TrackKind::Video, "b-cam".into(), vec!["b".into()])
        })
        .expect("B's video");
    net.negotiate(Side::B).expect("B's offer");
    net.run_for(Duration::from_millis(100));
    let mid = |net: &Net, side: Side, id| {
        let conn = if side == Side::A { &net.a } else { &net.b };
        conn.session()
            .transceiver(id)
            .and_then(|t| t.mid().cloned())
            .expect("a mid")
    };
    assert_eq!(mid(net, Side::A, a_audio), mid(net, Side::B, b_audio));
    assert_eq!(mid(net, Side::A, a_video), mid(net, Side::B, b_video));
    Call {
        chat,
        a_audio,
        a_video,
        b_audio,
        b_video,
    }
}

/// The payload of frame `n` of `label`.
fn frame(label: &str, n: u32) -> Bytes {
    Bytes::from(format!("{label}-{n}").into_bytes())
}

/// `side` writes frames `from..from + count` of `label` on `transceiver` (20 ms of audio at
/// 48 kHz apart); every write is accepted.
fn write(
    net: &mut Net,
    side: Side,
    transceiver: TransceiverId,
    label: &str,
    from: u32,
    count: u32,
) {
    for n in from..from + count {
        let now = net.now;
        net.conn(side)
            .write_rtp(
                now,
                transceiver,
                MediaPayload {
                    payload: frame(label, n),
                    timestamp: n * 960,
                    marker: n % 5 == 4,
                },
            )
            .expect("the sender sends");
        net.collect();
    }
}

/// The RTP packets `side` delivered for `transceiver`.
fn rtp(net: &Net, side: Side, transceiver: TransceiverId) -> Vec<&RtpPacket> {
    net.events(side)
        .iter()
        .filter_map(|e| match e {
            Event::Rtp(p) if p.transceiver == transceiver => Some(p),
            _ => None,
        })
        .collect()
}

/// The payloads of frames `from..to` of `label`.
fn frames(label: &str, from: u32, to: u32) -> Vec<Bytes> {
    (from..to).map(|n| frame(label, n)).collect()
}

fn payloads(packets: &[&RtpPacket]) -> Vec<Bytes> {
    packets.iter().map(|p| p.payload.clone()).collect()
}

fn ssrc_of(net: &Net, side: Side, transceiver: TransceiverId) -> u32 {
    let conn = if side == Side::A { &net.a } else { &net.b };
    conn.session()
        .transceiver(transceiver)
        .expect("the transceiver")
        .sender()
        .ssrcs()[0]
}

/// The SRTP packets (not SRTCP) `side` put on the link with `ssrc`, counted from wire entry
/// `from` (the SSRC is in the clear, RFC 3711 §3.1).
fn rtp_on_wire(net: &Net, side: Side, ssrc: u32, from: usize) -> usize {
    net.wire[from..]
        .iter()
        .filter(|(s, data)| *s == side && rtp_on_wire_is(data, ssrc))
        .count()
}

/// The SRTCP packets `side` put on the link whose first packet's sender SSRC is `ssrc`, from
/// wire entry `from` (the first 8 bytes of SRTCP are in the clear, RFC 3711 §3.4).
fn rtcp_on_wire(net: &Net, side: Side, ssrc: u32, from: usize) -> usize {
    net.wire[from..]
        .iter()
        .filter(|(s, data)| {
            *s == side
                && matches!(data.get(1), Some(192..=223))
                && data.get(4..8) == Some(&ssrc.to_be_bytes()[..])
        })
        .count()
}

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

fn rtp_on_wire_is(data: &[u8], ssrc: u32) -> bool {
    matches!(data.first(), Some(128..=191))
        && !matches!(data.get(1), Some(192..=223))
        && data.get(8..12) == Some(&ssrc.to_be_bytes()[..])
}

fn session_event(net: &Net, side: Side, event: tacet_session::Event) -> bool {
    has(net, side, &Event::Session(event))
}

/// Stops A's video transceiver (mid 1, not the BUNDLE tag) while audio, video and the data
/// channel are all flowing, with three video packets written and not yet taken off the
/// connection.
// spec: 1.3a 1.3b
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
// spec: 1.3a
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
}

/// `close()`: the receiver tracks end on the closing side; the peer hears the BYEs and mutes.
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
    // B's own transceiver for A's audio answered recvonly: B does not send on it.
    let b_audio = net.b.session().transceivers().next().expect("it").id();
    assert!(matches!(
        net.b.write_rtp(now, b_audio, media()),
        Err(Error::NotSending { .. })
    ));
}
