//! tacet never emits a description its peer must refuse (issue 11, defect 1): every offer and
//! answer a session creates prints, parses back to itself, and passes the checks a fresh tacet
//! runs on a remote description — for an offer, a fresh session applies it and answers it; for
//! an answer, the checks against its offer. Random applications (adds, stops, data channels,
//! both sides offering, both bundle policies, an answerer without video codecs) drive it.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use proptest::prelude::*;
use tacet_sdp::{Fingerprint, SdpType, SessionDescription};
use tacet_session::{BundlePolicy, Error, Session, SessionConfig, TransceiverInit};
use tacet_tests::pair::{Pair, Peer, Who};
use tacet_track::{TrackId, TrackKind};

#[derive(Clone, Debug)]
enum Op {
    Add(Who, TrackKind),
    Stop(Who, usize),
    StopMedia(Who),
    DataChannel(Who),
    Negotiate(Who),
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![Just(Who::A), Just(Who::B)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (who(), prop_oneof![Just(TrackKind::Audio), Just(TrackKind::Video)])
            .prop_map(|(w, k)| Op::Add(w, k)),
        2 => (who(), 0..6usize).prop_map(|(w, i)| Op::Stop(w, i)),
        1 => who().prop_map(Op::StopMedia),
        1 => who().prop_map(Op::DataChannel),
        4 => who().prop_map(Op::Negotiate),
    ]
}

/// The checks a fresh tacet runs on `offer` as a remote description: it applies it and can
/// answer it.
fn fresh_tacet_accepts_offer(offer: &SessionDescription) -> Result<(), Error> {
    let fingerprint = Fingerprint::new("sha-256", &[0x5F; 32]).unwrap();
    let mut fresh = Session::new(SessionConfig::new(fingerprint), 77);
    fresh.set_remote_description(offer.clone())?;
    fresh.create_answer().map(drop)
}

/// Prints and parses back to an equal description.
fn round_trips(description: &SessionDescription) {
    let text = description.to_string();
    let parsed = SessionDescription::parse(description.sdp_type, &text)
        .unwrap_or_else(|e| {
            panic!(
                "a created {} does not parse: {e}\n{text}",
                description.sdp_type
            )
        })
        .description;
    assert_eq!(&parsed, description, "{text}");
}

fn check_created(offer: &SessionDescription, answer: Option<&SessionDescription>) {
    round_trips(offer);
    fresh_tacet_accepts_offer(offer)
        .unwrap_or_else(|e| panic!("a fresh tacet refuses a created offer: {e}\n{offer}"));
    if let Some(answer) = answer {
        round_trips(answer);
        answer.validate().unwrap();
        answer
            .check_answer(offer)
            .unwrap_or_else(|e| panic!("a created answer breaks its offer: {e}\n{answer}"));
    }
}

fn run(ops: &[Op], policy: BundlePolicy, b_has_video: bool) {
    let mut pair = Pair::new();
    pair.a = Peer::with_config(21, 0xA1, |c| c.bundle_policy = policy);
    pair.b = Peer::with_config(22, 0xB2, |c| {
        c.bundle_policy = policy;
        if !b_has_video {
            c.codecs.video.clear();
        }
    });
    let mut tracks = 0u32;
    for op in ops {
        match op {
            Op::Add(who, kind) => {
                tracks += 1;
                // A session without video codecs refuses a video transceiver (TypeError).
                let _ = pair.session(*who).add_track(
                    *kind,
                    TrackId::from(format!("t{tracks}").as_str()),
                    vec![],
                );
            }
            Op::Stop(who, index) => {
                let session = pair.session(*who);
                let id = session.transceivers().nth(*index).map(|t| t.id());
                if let Some(id) = id {
                    session
                        .transceiver_mut(id)
                        .and_then(|mut t| t.stop())
                        .unwrap();
                }
            }
            Op::StopMedia(who) => {
                pair.session(*who).stop_media().unwrap();
            }
            Op::DataChannel(who) => {
                pair.session(*who).create_data_channel("chat").unwrap();
            }
            Op::Negotiate(who) => {
                let (offer, answer) = pair.negotiate(*who).unwrap();
                check_created(&offer, Some(&answer));
            }
        }
    }
    // Whatever is left to negotiate negotiates cleanly too, from each side.
    for who in [Who::A, Who::B] {
        let (offer, answer) = pair.negotiate(who).unwrap();
        check_created(&offer, Some(&answer));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_created_description_passes_a_fresh_tacets_remote_checks(
        ops in proptest::collection::vec(op(), 0..24),
        balanced in any::<bool>(),
        b_has_video in any::<bool>(),
    ) {
        let policy = if balanced { BundlePolicy::Balanced } else { BundlePolicy::MaxBundle };
        run(&ops, policy, b_has_video);
    }
}

// The answerer without video codecs of issue 11: it rejects the offered video m-line, its
// transceiver is stopped by its own answer, and its next offer — which used to carry
// `m=video 9 UDP/TLS/RTP/SAVPF` with no format — is one a fresh tacet accepts.
#[test]
fn an_audio_only_answerer_reoffers_a_valid_description() {
    run(
        &[
            Op::Add(Who::A, TrackKind::Audio),
            Op::Add(Who::A, TrackKind::Video),
            Op::DataChannel(Who::A),
            Op::Negotiate(Who::A),
            Op::Negotiate(Who::B),
        ],
        BundlePolicy::MaxBundle,
        false,
    );
}

// A kind without a configured codec cannot be offered (an m= line needs a format): adding a
// transceiver of it is refused with TypeError and changes nothing.
#[test]
fn a_kind_without_codecs_is_refused_at_add() {
    let fingerprint = Fingerprint::new("sha-256", &[0x5F; 32]).unwrap();
    let mut config = SessionConfig::new(fingerprint);
    config.codecs.video.clear();
    let mut session = Session::new(config, 5);
    let before = session.clone();
    for result in [
        session.add_transceiver(TrackKind::Video, TransceiverInit::default()),
        session.add_track(TrackKind::Video, TrackId::from("cam"), vec![]),
    ] {
        let err = result.unwrap_err();
        assert_eq!(err.dom_exception(), tacet_session::DomException::TypeError);
        assert_eq!(session, before);
    }
    session
        .add_transceiver(TrackKind::Audio, TransceiverInit::default())
        .unwrap();
    let offer = session.create_offer().unwrap();
    assert!(SessionDescription::parse(SdpType::Offer, &offer.to_string()).is_ok());
}
