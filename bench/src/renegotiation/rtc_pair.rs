//! webrtc-rs `rtc` 0.21: two sans-IO `RTCPeerConnection`s.
//!
//! Its `MediaEngine` gets exactly tacet's list of the [`CodecSet`] ([`CodecSet::rtc`]: every
//! codec with its payload type, fmtp and feedback, RTX, the header extensions); no
//! interceptors (they register extensions and feedback of their own). Tracks go in with
//! `add_track`, stops with `RTCRtpTransceiver::stop`.
//!
//! SDP text: `rtc` writes its offer inside `create_offer` and parses each text three times
//! (`RTCSessionDescription::offer`, which the bench calls, and again in both
//! `set_local_description` and `set_remote_description`); [`Split`] times the explicit parse in
//! the round and one write and two parses per text replayed outside it.

#![allow(
    clippy::disallowed_methods,
    reason = "rtc takes `now: Instant` in its description calls; the bench has a clock"
)]

use std::time::Instant;

use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::event::{RTCPeerConnectionEvent, RTCTrackEvent};
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::transport::RTCIceCandidateInit;
use rtc::peer_connection::{RTCPeerConnection, RTCPeerConnectionBuilder};
use rtc::rtp_transceiver::rtp_sender::{RTCRtpEncodingParameters, RtpCodecKind};
use rtc::rtp_transceiver::{RTCRtpSenderId, RTCRtpTransceiverDirection, RTCRtpTransceiverId};
use rtc::sansio::Protocol;

use super::{
    CodecSet, Endpoints, Exchange, Kind, Round, Split, stop_count, stopped_indices,
    tag_stopped_indices,
};

/// One `rtc` endpoint and what its event queue told it.
struct Side {
    pc: RTCPeerConnection,
    /// `OnTrack(OnClose)` events: a remote track ended.
    closed_tracks: usize,
}

impl Side {
    fn new(codecs: CodecSet, port: u16) -> Self {
        let mut pc = RTCPeerConnectionBuilder::new()
            .with_media_engine(codecs.rtc())
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

impl Rtc {
    fn stop(&mut self, indices: impl Iterator<Item = usize>) {
        for index in indices {
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
}

/// The text work `rtc` does with `description` inside its calls, done again for [`Split`]: the
/// write in `create_*`, the parses in `set_local_description` and `set_remote_description`.
fn replay_hidden_text(split: &mut Split, description: &RTCSessionDescription) {
    let parsed = description.unmarshal().expect("rtc parses its own text");
    drop(split.text(|| parsed.marshal()));
    for _ in 0..2 {
        drop(split.text(|| description.unmarshal()));
    }
}

impl Endpoints for Rtc {
    const NAME: &'static str = "rtc";
    const RECYCLES: bool = false;
    const STOP_REJECTS: bool = false;

    fn new(codecs: CodecSet) -> Self {
        Self {
            offerer: Side::new(codecs, 40_001),
            answerer: Side::new(codecs, 40_002),
            added: Vec::new(),
            tracks: 0,
        }
    }

    fn round_split(&mut self, round: Round, n: usize, split: &mut Split) -> Exchange {
        match round {
            Round::Add => self.added = self.add(n),
            Round::Stop => self.stop(stopped_indices(n)),
            Round::Readd => {
                self.add(stop_count(n));
            }
            Round::StopTag => self.stop(tag_stopped_indices(n)),
        }
        let (a, b) = (&mut self.offerer, &mut self.answerer);
        let offer = a.pc.create_offer(None).expect("create_offer");
        let offer_text = offer.sdp.clone();
        a.pc.set_local_description(Instant::now(), offer)
            .expect("set_local_description(offer)");
        a.drain();
        let offer = split
            .text(|| RTCSessionDescription::offer(offer_text.clone()))
            .expect("parse offer");
        split.outside(|s| replay_hidden_text(s, &offer));
        b.pc.set_remote_description(Instant::now(), offer)
            .expect("set_remote_description(offer)");
        b.drain();
        let answer = b.pc.create_answer(None).expect("create_answer");
        let answer_text = answer.sdp.clone();
        b.pc.set_local_description(Instant::now(), answer)
            .expect("set_local_description(answer)");
        b.drain();
        let answer = split
            .text(|| RTCSessionDescription::answer(answer_text.clone()))
            .expect("parse answer");
        split.outside(|s| replay_hidden_text(s, &answer));
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
