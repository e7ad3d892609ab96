//! Media helpers over the in-memory link: a call with audio and video both ways, numbered
//! frames, and counting SRTP/SRTCP packets on the wire by SSRC.

use std::time::Duration;

use bytes::Bytes;
use tacet_rtc::{ChannelId, Event, MediaPayload, RtpPacket};
use tacet_session::TransceiverId;
use tacet_track::TrackKind;

use super::{Net, Side, open_chat};

/// The transceivers of one call: A's and B's audio and video (each pair shares a mid).
pub(crate) struct Call {
    pub(crate) chat: (ChannelId, ChannelId),
    pub(crate) a_audio: TransceiverId,
    pub(crate) a_video: TransceiverId,
    pub(crate) b_audio: TransceiverId,
    pub(crate) b_video: TransceiverId,
}

/// A adds an audio and a video track and a data channel and offers; B answers, adds its own
/// tracks (reusing the transceivers A's offer made) and offers back: both send both kinds.
pub(crate) fn call(net: &mut Net) -> Call {
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
pub(crate) fn frame(label: &str, n: u32) -> Bytes {
    Bytes::from(format!("{label}-{n}").into_bytes())
}

/// `side` writes frames `from..from + count` of `label` on `transceiver` (20 ms of audio at
/// 48 kHz apart); every write is accepted.
pub(crate) fn write(
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
pub(crate) fn rtp(net: &Net, side: Side, transceiver: TransceiverId) -> Vec<&RtpPacket> {
    net.events(side)
        .iter()
        .filter_map(|e| match e {
            Event::Rtp(p) if p.transceiver == transceiver => Some(p),
            _ => None,
        })
        .collect()
}

/// The payloads of frames `from..to` of `label`.
pub(crate) fn frames(label: &str, from: u32, to: u32) -> Vec<Bytes> {
    (from..to).map(|n| frame(label, n)).collect()
}

pub(crate) fn payloads(packets: &[&RtpPacket]) -> Vec<Bytes> {
    packets.iter().map(|p| p.payload.clone()).collect()
}

pub(crate) fn ssrc_of(net: &Net, side: Side, transceiver: TransceiverId) -> u32 {
    let conn = if side == Side::A { &net.a } else { &net.b };
    conn.session()
        .transceiver(transceiver)
        .expect("the transceiver")
        .sender()
        .ssrcs()[0]
}

/// The SRTP packets (not SRTCP) `side` put on the link with `ssrc`, counted from wire entry
/// `from` (the SSRC is in the clear, RFC 3711 §3.1).
pub(crate) fn rtp_on_wire(net: &Net, side: Side, ssrc: u32, from: usize) -> usize {
    net.wire[from..]
        .iter()
        .filter(|(s, data)| *s == side && rtp_on_wire_is(data, ssrc))
        .count()
}

/// The SRTCP packets `side` put on the link whose first packet's sender SSRC is `ssrc`, from
/// wire entry `from` (the first 8 bytes of SRTCP are in the clear, RFC 3711 §3.4).
pub(crate) fn rtcp_on_wire(net: &Net, side: Side, ssrc: u32, from: usize) -> usize {
    net.wire[from..]
        .iter()
        .filter(|(s, data)| {
            *s == side
                && matches!(data.get(1), Some(192..=223))
                && data.get(4..8) == Some(&ssrc.to_be_bytes()[..])
        })
        .count()
}

/// Whether `data` is an SRTP packet (not SRTCP) of `ssrc`.
pub(crate) fn rtp_on_wire_is(data: &[u8], ssrc: u32) -> bool {
    matches!(data.first(), Some(128..=191))
        && !matches!(data.get(1), Some(192..=223))
        && data.get(8..12) == Some(&ssrc.to_be_bytes()[..])
}

/// Runs `span` of virtual time while `side`'s application gives `transceiver` a frame every
/// 20 ms, as a live source does; returns the next frame number (see [`pump_all`]).
pub(crate) fn pump(
    net: &mut Net,
    side: Side,
    transceiver: TransceiverId,
    label: &str,
    next: u32,
    span: Duration,
) -> u32 {
    pump_all(net, &[(side, transceiver)], label, next, span)
}

/// Runs `span` of virtual time while each application gives each of its `senders` a frame
/// every 20 ms, as live sources do; returns the next frame number. A frame refused with
/// [`tacet_rtc::Error::NotSending`] (the negotiated direction does not send) or
/// [`tacet_rtc::Error::MediaTransportNotConnected`] (DTLS not up yet) is one the source
/// produced and nothing sent, as in a browser; any other refusal fails the test.
pub(crate) fn pump_all(
    net: &mut Net,
    senders: &[(Side, TransceiverId)],
    label: &str,
    mut next: u32,
    span: Duration,
) -> u32 {
    let end = net.now + span;
    while net.now < end {
        for &(side, transceiver) in senders {
            let now = net.now;
            let written = net.conn(side).write_rtp(
                now,
                transceiver,
                MediaPayload {
                    payload: frame(label, next),
                    timestamp: next * 960,
                    marker: false,
                },
            );
            match written {
                Ok(())
                | Err(
                    tacet_rtc::Error::NotSending { .. }
                    | tacet_rtc::Error::MediaTransportNotConnected { .. },
                ) => {}
                Err(e) => panic!("{label} frame {next} on {side:?} {transceiver:?}: {e}"),
            }
        }
        next += 1;
        net.collect();
        net.run_for(Duration::from_millis(20));
    }
    next
}
