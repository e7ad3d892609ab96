//! Codec negotiation end to end (docs/decisions/0009): one payload-type space for audio and
//! video in a BUNDLE group (RFC 9143 §9.1.1), a typed error when the numbering runs out,
//! answerer-chosen extension ids (RFC 8285 §7). aiortc's and Chromium's real SDPs come from
//! `tests/data/sdp/` (see its README).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::BTreeSet;

use tacet_sdp::{MediaKind, MediaSection, SdpType, SessionDescription};
use tacet_session::{Codec, CodecConfig, DomException, Error, Fault, SignalingState};
use tacet_tests::corpus::{answer, deliver, offer, sdp};
use tacet_tests::pair::{Pair, Peer, Who};
use tacet_track::{TrackId, TrackKind};

const TWCC: &str = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

fn pts(section: &MediaSection) -> BTreeSet<u8> {
    section.payload_types().collect()
}

fn encoding(section: &MediaSection, pt: u8) -> String {
    section
        .rtpmap(pt)
        .map(|m| m.encoding_name().to_ascii_lowercase())
        .unwrap_or_default()
}

fn extmap(section: &MediaSection, uri: &str) -> Option<u16> {
    section
        .attributes
        .extmaps()
        .find(|e| e.uri() == uri)
        .map(|e| e.id())
}

fn section(description: &SessionDescription, kind: MediaKind) -> &MediaSection {
    description.media.iter().find(|m| m.kind == kind).unwrap()
}

// RFC 9143 §9.1.1: aiortc 1.16 numbers Opus 96 and VP8 97 in one BUNDLE group. tacet answers
// that offer, then makes the next offer itself: Opus keeps 96, VP8 and the H264 profiles keep
// aiortc's numbers, and VP9 — which prefers 98, aiortc's RTX for VP8 — moves to a number the
// audio section does not use (it used to land on 96, Opus's).
#[test]
fn answering_aiortc_then_offering_keeps_audio_and_video_pts_apart() {
    let mut b = Peer::with_config(5, 0x5A, |_| {});
    deliver(&mut b, "aiortc-stopvideo-1-offer", SdpType::Offer).unwrap();
    answer(&mut b).unwrap();
    let reoffer = offer(&mut b).unwrap();
    let (audio, video) = (
        section(&reoffer, MediaKind::Audio),
        section(&reoffer, MediaKind::Video),
    );
    assert_eq!(encoding(audio, 96), "opus");
    assert_eq!(encoding(video, 97), "vp8");
    assert_eq!(encoding(video, 99), "h264");
    assert_eq!(encoding(video, 101), "h264");
    let shared: Vec<u8> = pts(audio).intersection(&pts(video)).copied().collect();
    assert!(shared.is_empty(), "shared by audio and video: {shared:?}");
    assert!(video.payload_types().any(|pt| encoding(video, pt) == "vp9"));
}

// RFC 9143 §9.1.1: a remote offer giving payload type 96 to Opus (audio) and to VP8 (video)
// of one BUNDLE group is refused — the peer's fault, naming the rule, as Chromium refuses it —
// and the session is unchanged.
#[test]
fn a_remote_offer_giving_one_pt_to_audio_and_video_is_refused() {
    let text = sdp("aiortc-stopvideo-1-offer")
        .replace("SAVPF 97 98 99", "SAVPF 96 98 99")
        .replace("a=rtpmap:97 VP8", "a=rtpmap:96 VP8")
        .replace("a=rtcp-fb:97 ", "a=rtcp-fb:96 ")
        .replace("apt=97", "apt=96");
    let mut b = Peer::with_config(5, 0x5A, |_| {});
    let before = b.session.clone();
    let err = b
        .session
        .set_remote_description_text(SdpType::Offer, &text)
        .unwrap_err();
    assert!(matches!(err, Error::PeerViolation { .. }), "{err}");
    assert_eq!(err.fault(), Fault::Peer);
    assert!(err.rule().starts_with("RFC 9143 §9.1.1"), "{err}");
    assert_eq!(err.dom_exception(), DomException::OperationError);
    assert_eq!(b.session, before);
    assert_eq!(b.session.signaling_state(), SignalingState::Stable);
}

// RFC 3551 §6 / RFC 5761 §4: 61 dynamic payload types. A configuration that needs more is
// refused at createOffer — the caller's fault, an OperationError — and the session is
// unchanged (no duplicate payload type is ever offered).
#[test]
fn create_offer_with_too_many_codecs_is_refused_and_changes_nothing() {
    let mut a = Peer::with_config(7, 0x7A, |c| {
        let vp8 = c.codecs.video[0].clone();
        c.codecs.video = (0..40)
            .map(|i| Codec {
                name: format!("X-CODEC-{i}"),
                ..vp8.clone()
            })
            .collect();
    });
    a.session
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    a.drain();
    let before = a.session.clone();
    let err = a.session.create_offer().unwrap_err();
    assert!(matches!(err, Error::InvalidCodecConfig { .. }), "{err}");
    assert_eq!(err.fault(), Fault::Caller);
    assert_eq!(err.dom_exception(), DomException::OperationError);
    assert_eq!(a.session, before);
}

// RFC 8285 §7: Chromium's offer with transport-cc at 4096 (the answerer chooses) in both
// sections. tacet's answer maps it to a valid id, the same in both sections, and writes no id
// in 4096-4351 (it used to copy the offer's).
#[test]
fn answer_maps_answerer_chosen_extension_ids_to_valid_ids() {
    let text = sdp("chromium-initial-maxbundle-1-offer").replace(
        &format!("a=extmap:3 {TWCC}"),
        &format!("a=extmap:4096 {TWCC}"),
    );
    let mut b = Peer::with_config(5, 0x5A, |_| {});
    b.session
        .set_remote_description_text(SdpType::Offer, &text)
        .unwrap();
    b.drain();
    let answer = answer(&mut b).unwrap();
    let ids: Vec<Option<u16>> = answer
        .media
        .iter()
        .filter(|m| !m.is_data())
        .map(|m| extmap(m, TWCC))
        .collect();
    assert_eq!(
        ids,
        [Some(3), Some(3)],
        "our preferred id, free in the offer"
    );
    assert!(
        answer
            .media
            .iter()
            .flat_map(|m| m.attributes.extmaps())
            .all(|e| (1..=255).contains(&e.id()))
    );
}

// RFC 8285 §7: an offerer may leave an extension's id to the answerer (4096-4351) — tacet does
// when configured so. The tacet answerer picks a valid id, both sides keep it, and the
// offerer's next offer uses it (RFC 3264 §8.3.2).
#[test]
fn an_offer_leaving_the_id_to_the_answerer_settles_on_the_answerers_id() {
    let mut pair = Pair::new();
    let twcc_at_4096 = |config: &mut CodecConfig| {
        for (uri, id) in config
            .audio_extensions
            .iter_mut()
            .chain(&mut config.video_extensions)
        {
            if uri == TWCC {
                *id = 4096;
            }
        }
    };
    let mut config = tacet_session::SessionConfig::new(
        tacet_sdp::Fingerprint::new("sha-256", &[0xC1; 32]).unwrap(),
    );
    twcc_at_4096(&mut config.codecs);
    pair.a.session = tacet_session::Session::new(config, 3);
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    pair.session(Who::A)
        .add_track(TrackKind::Video, TrackId::from("cam"), vec![])
        .unwrap();
    let (first, answer) = pair.negotiate(Who::A).unwrap();
    assert!(first.media.iter().all(|m| extmap(m, TWCC) == Some(4096)));
    assert!(answer.media.iter().all(|m| extmap(m, TWCC) == Some(3)));
    let (again, _) = pair.negotiate(Who::A).unwrap();
    assert!(again.media.iter().all(|m| extmap(m, TWCC) == Some(3)));
    let (reverse, _) = pair.negotiate(Who::B).unwrap();
    assert!(reverse.media.iter().all(|m| extmap(m, TWCC) == Some(3)));
}

// RFC 8285 §6: an answer carries `a=extmap-allow-mixed` only when its offer did (aiortc's offer
// does not; a tacet offer does).
#[test]
fn an_answer_allows_mixed_extmaps_only_when_the_offer_did() {
    let mut b = Peer::with_config(5, 0x5A, |_| {});
    deliver(&mut b, "aiortc-stopvideo-1-offer", SdpType::Offer).unwrap();
    let to_aiortc = answer(&mut b).unwrap();
    assert!(!to_aiortc.attributes.extmap_allow_mixed());

    let mut pair = Pair::new();
    pair.session(Who::A)
        .add_track(TrackKind::Audio, TrackId::from("mic"), vec![])
        .unwrap();
    let (tacet_offer, tacet_answer) = pair.negotiate(Who::A).unwrap();
    assert!(tacet_offer.attributes.extmap_allow_mixed());
    assert!(tacet_answer.attributes.extmap_allow_mixed());
}
