//! str0m 0.25: two `Rtc`s negotiating with its `SdpApi` (`add_media`, `stop_media`, `apply`,
//! `accept_offer`, `accept_answer`).
//!
//! Configured with [`CodecSet::str0m`]. What cannot be made equal: str0m writes its own fixed
//! `a=rtcp-fb` lists and no `a=rtcp-rsize`, puts the candidates in the first m-section only, and
//! appends new m-lines instead of recycling stopped ones.

#![allow(
    clippy::disallowed_methods,
    reason = "str0m takes the start instant of the connection; the bench has a clock"
)]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind, Mid};
use str0m::{Candidate, Output};

use super::{
    CodecSet, Endpoints, Exchange, Kind, Round, Split, stop_count, stopped_indices,
    tag_stopped_indices,
};

/// One str0m endpoint.
struct Side {
    rtc: str0m::Rtc,
}

impl Side {
    fn new(codecs: CodecSet, port: u16) -> Self {
        let mut rtc = codecs.str0m().build(Instant::now());
        let addr = SocketAddr::from((Ipv4Addr::new(192, 0, 2, 1), port));
        let candidate = Candidate::host(addr, "udp").expect("a host candidate");
        rtc.add_local_candidate(candidate)
            .expect("str0m accepts the candidate");
        Self { rtc }
    }

    /// What an application does after each change: polls until str0m only waits for time.
    /// Transmits (STUN checks once the remote candidate is known) are dropped: no network.
    /// (str0m holds `MediaAdded`/`MediaChanged` back until SRTP is ready, so none come here.)
    fn drain(&mut self) {
        loop {
            match self.rtc.poll_output().expect("poll_output") {
                Output::Timeout(_) => return,
                Output::Transmit(transmit) => {
                    std::hint::black_box(transmit);
                }
                Output::Event(event) => {
                    std::hint::black_box(event);
                }
            }
        }
    }
}

/// The str0m pair: offerer, answerer, the mids the offerer added in round 1 and all the mids
/// it added (the answerer's media have the same mids).
pub struct Str0m {
    offerer: Side,
    answerer: Side,
    added: Vec<Mid>,
    mids: Vec<Mid>,
}

impl std::fmt::Debug for Str0m {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Str0m")
            .field("added", &self.added.len())
            .finish_non_exhaustive()
    }
}

impl Endpoints for Str0m {
    const NAME: &'static str = "str0m";
    const RECYCLES: bool = false;
    const STOP_REJECTS: bool = true;

    fn new(codecs: CodecSet) -> Self {
        Self {
            offerer: Side::new(codecs, 40_001),
            answerer: Side::new(codecs, 40_002),
            added: Vec::new(),
            mids: Vec::new(),
        }
    }

    fn round_split(&mut self, round: Round, n: usize, split: &mut Split) -> Exchange {
        // The changes and the offer are one SdpApi transaction in str0m.
        let mut api = self.offerer.rtc.sdp_api();
        match round {
            Round::Add | Round::Readd => {
                let count = if round == Round::Add {
                    n
                } else {
                    stop_count(n)
                };
                for index in 0..count {
                    let kind = match super::kind_of(index) {
                        Kind::Audio => MediaKind::Audio,
                        Kind::Video => MediaKind::Video,
                    };
                    let mid = api.add_media(
                        kind,
                        Direction::SendRecv,
                        Some("stream".to_owned()),
                        None,
                        None,
                    );
                    if round == Round::Add {
                        self.added.push(mid);
                    }
                    self.mids.push(mid);
                }
            }
            Round::Stop => {
                for index in stopped_indices(n) {
                    api.stop_media(self.added[index]);
                }
            }
            Round::StopTag => {
                for index in tag_stopped_indices(n) {
                    api.stop_media(self.added[index]);
                }
            }
        }
        let (offer, pending) = api.apply().expect("the changes need an offer");
        let offer_text = split.text(|| offer.to_sdp_string());
        self.offerer.drain();

        let offer = split
            .text(|| SdpOffer::from_sdp_string(&offer_text))
            .expect("str0m parses its offer");
        let answer = self
            .answerer
            .rtc
            .sdp_api()
            .accept_offer(offer)
            .expect("accept_offer");
        let answer_text = split.text(|| answer.to_sdp_string());
        self.answerer.drain();

        let answer = split
            .text(|| SdpAnswer::from_sdp_string(&answer_text))
            .expect("str0m parses its answer");
        self.offerer
            .rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .expect("accept_answer");
        self.offerer.drain();
        Exchange {
            offer: offer_text,
            answer: answer_text,
        }
    }

    fn answerer_stopped(&mut self) -> usize {
        let rtc = &self.answerer.rtc;
        self.mids
            .iter()
            .filter(|&&mid| rtc.media(mid).is_some_and(|m| m.stopped()))
            .count()
    }

    fn offerer_live(&mut self) -> usize {
        let rtc = &self.offerer.rtc;
        self.mids
            .iter()
            .filter(|&&mid| rtc.media(mid).is_some_and(|m| !m.stopped()))
            .count()
    }
}
