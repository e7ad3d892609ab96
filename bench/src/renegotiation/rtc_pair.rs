//! webrtc-rs `rtc` 0.21: two sans-IO `RTCPeerConnection`s.
//!
//! Its `MediaEngine` gets exactly tacet's minimal set: Opus/48000/2 (pt 111, `minptime=10;
//! useinbandfec=1`, transport-cc feedback), VP8 (pt 96, goog-remb, transport-cc, ccm fir, nack,
//! nack pli) with RTX (pt 97, `apt=96`), and the mid and transport-cc header extensions; no
//! interceptors (they register extensions and feedback of their own). Tracks go in with
//! `add_track`, stops with `RTCRtpTransceiver::stop`.

#![allow(
    clippy::disallowed_methods,
    reason = "rtc takes `now: Instant` in its description calls; the bench has a clock"
)]

use std::time::Instant;

use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::configuration::media_engine::{
    MIME_TYPE_OPUS, MIME_TYPE_RTX, MIME_TYPE_VP8, MediaEngine,
};
use rtc::peer_connection::event::{RTCPeerConnectionEvent, RTCTrackEvent};
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::transport::RTCIceCandidateInit;
use rtc::peer_connection::{RTCPeerConnection, RTCPeerConnectionBuilder};
use rtc::rtp_transceiver::rtp_sender::{
    RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters, RTCRtpEncodingParameters,
    RTCRtpHeaderExtensionCapability, RtpCodecKind,
};
use rtc::rtp_transceiver::{RTCRtpSenderId, RTCRtpTransceiverDirection, RTCRtpTransceiverId};
use rtc::sansio::Protocol;

use super::{Endpoints, Exchange, Kind, Round, stop_count, stopped_indices};

const TWCC: &str = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
const MID_EXT: &str = "urn:ietf:params:rtp-hdrext:sdes:mid";

fn feedback(typ: &str, parameter: &str) -> RTCPFeedback {
    RTCPFeedback {
        typ: typ.to_owned(),
        parameter: parameter.to_owned(),
    }
}

fn codec(
    mime: &str,
    clock: u32,
    channels: u16,
    fmtp: &str,
    fb: Vec<RTCPFeedback>,
    pt: u8,
) -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: RTCRtpCodec {
            mime_type: mime.to_owned(),
            clock_rate: clock,
            channels,
            sdp_fmtp_line: fmtp.to_owned(),
            rtcp_feedback: fb,
        },
        payload_type: pt,
    }
}

/// Opus; VP8 with RTX; mid and transport-cc.
fn media_engine() -> MediaEngine {
    let mut engine = MediaEngine::default();
    let opus = codec(
        MIME_TYPE_OPUS,
        48_000,
        2,
        "minptime=10;useinbandfec=1",
        vec![feedback("transport-cc", "")],
        111,
    );
    let video_fb = vec![
        feedback("goog-remb", ""),
        feedback("transport-cc", ""),
        feedback("ccm", "fir"),
        feedback("nack", ""),
        feedback("nack", "pli"),
    ];
    let vp8 = codec(MIME_TYPE_VP8, 90_000, 0, "", video_fb, 96);
    let rtx = codec(MIME_TYPE_RTX, 90_000, 0, "apt=96", Vec::new(), 97);
    engine
        .register_codec(opus, RtpCodecKind::Audio)
        .expect("register opus");
    engine
        .register_codec(vp8, RtpCodecKind::Video)
        .expect("register vp8");
    engine
        .register_codec(rtx, RtpCodecKind::Video)
        .expect("register rtx");
    for kind in [RtpCodecKind::Audio, RtpCodecKind::Video] {
        for uri in [MID_EXT, TWCC] {
            engine
                .register_header_extension(
                    RTCRtpHeaderExtensionCapability {
                        uri: uri.to_owned(),
                    },
                    kind,
                    None,
                )
                .expect("register extension");
        }
    }
    engine
}

/// One `rtc` endpoint and what its event queue told it.
struct Side {
    pc: RTCPeerConnection,
    /// `OnTrack(OnClose)` events: a remote track ended.
    closed_tracks: usize,
}

impl Side {
    fn new(port: u16) -> Self {
        let mut pc = RTCPeerConnectionBuilder::new()
            .with_media_engine(media_engine())
            .build(Instant::now())
            .expect("build RTCPeerConnection");
        pc.add_local_candidate(RTCIceCandidateInit {
            candidate: format!("candidate:1 1 udp 2122194687 192.0.2.1 {port} typ host"),
            ..RTCIceCandidateInit::default()
        })
        .expect("add_local_candidate");
        Self {
            pc,
            closed_tracks: 0,
        }
    }

    /// What an application does after each call: drains events and outgoing packets.
    fn drain(&mut self) {
        while let Some(event) = self.pc.poll_event() {
            if matches!(
                event,
                RTCPeerConnectionEvent::OnTrack(RTCTrackEvent::OnClose(_))
            ) {
                self.closed_tracks += 1;
            }
        }
        while let Some(packet) = self.pc.poll_write() {
            std::hint::black_box(packet);
        }
    }
}

/// The `rtc` pair: offerer, answerer, and the senders the offerer added in round 1.
pub struct Rtc {
    offerer: Side,
    answerer: Side,
    added: Vec<RTCRtpSenderId>,
    tracks: u64,
}

impl std::fmt::Debug for Rtc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rtc")
            .field("added", &self.added.len())
            .finish_non_exhaustive()
    }
}

impl Rtc {
    fn add(&mut self, count: usize) -> Vec<RTCRtpSenderId> {
        let mut ids = Vec::with_capacity(count);
        for index in 0..count {
            let kind = match super::kind_of(index) {
                Kind::Audio => RtpCodecKind::Audio,
                Kind::Video => RtpCodecKind::Video,
            };
            self.tracks += 1;
            let track = MediaStreamTrack::new(
                "stream".to_owned(),
                format!("track-{}", self.tracks),
                format!("label-{}", self.tracks),
                kind,
                vec![RTCRtpEncodingParameters::default()],
            );
            ids.push(self.offerer.pc.add_track(track).expect("add_track"));
            self.offerer.drain();
        }
        ids
    }
}

impl Endpoints for Rtc {
    const NAME: &'static str = "rtc";
    const RECYCLES: bool = false;
    const STOP_REJECTS: bool = false;

    fn new() -> Self {
        Self {
            offerer: Side::new(40_001),
            answerer: Side::new(40_002),
            added: Vec::new(),
            tracks: 0,
        }
    }

    fn round(&mut self, round: Round, n: usize) -> Exchange {
        match round {
            Round::Add => self.added = self.add(n),
            Round::Stop => {
                for index in stopped_indices(n) {
                    let id = RTCRtpTransceiverId::from(self.added[index]);
                    self.offerer
                        .pc
                        .rtp_transceiver(id)
                        .expect("the transceiver exists")
                        .stop()
                        .expect("stop");
                    self.offerer.drain();
                }
            }
            Round::Readd => {
                self.add(stop_count(n));
            }
        }
        let (a, b) = (&mut self.offerer, &mut self.answerer);
        let offer = a.pc.create_offer(None).expect("create_offer");
        let offer_text = offer.sdp.clone();
        a.pc.set_local_description(Instant::now(), offer)
            .expect("set_local_description(offer)");
        a.drain();
        let offer = RTCSessionDescription::offer(offer_text.clone()).expect("parse offer");
        b.pc.set_remote_description(Instant::now(), offer)
            .expect("set_remote_description(offer)");
        b.drain();
        let answer = b.pc.create_answer(None).expect("create_answer");
        let answer_text = answer.sdp.clone();
        b.pc.set_local_description(Instant::now(), answer)
            .expect("set_local_description(answer)");
        b.drain();
        let answer = RTCSessionDescription::answer(answer_text.clone()).expect("parse answer");
        a.pc.set_remote_description(Instant::now(), answer)
            .expect("set_remote_description(answer)");
        a.drain();
        Exchange {
            offer: offer_text,
            answer: answer_text,
        }
    }

    fn answerer_stopped(&mut self) -> usize {
        self.answerer.closed_tracks
    }

    fn offerer_live(&mut self) -> usize {
        // `stop()` makes a transceiver inactive for good; it stays in the list.
        let pc = &mut self.offerer.pc;
        let ids: Vec<RTCRtpTransceiverId> = pc.get_transceivers().collect();
        ids.into_iter()
            .filter(|&id| {
                pc.rtp_transceiver(id)
                    .is_some_and(|t| t.direction() != RTCRtpTransceiverDirection::Inactive)
            })
            .count()
    }
}
