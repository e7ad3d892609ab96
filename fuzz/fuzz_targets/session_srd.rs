//! `setRemoteDescription` with arbitrary SDP on a session in every signaling state.
//!
//! Input layout (the header bytes are read as 0 when the input is shorter):
//!
//! | byte | bits | meaning |
//! |---|---|---|
//! | 0 | 0-2 | signaling state to build (modulo 7): fresh stable, negotiated stable, have-local-offer, have-remote-offer, have-local-pranswer, have-remote-pranswer, closed |
//! | 0 | 3-4 | the `SdpType` given to the call: offer, answer, pranswer, rollback |
//! | 0 | 5 | peer policy: tolerant (0) or strict (1) |
//! | 0 | 6-7 | text: raw fuzz bytes (0); a real description with line k replaced by them (1), with them inserted before line k (2), cut at line k with them appended (3) |
//! | 1 | 0-5 | our audio track, video track, data channel; the peer's audio, video, data channel |
//! | 1 | 6 | both sides use `BundlePolicy::Balanced` |
//! | 1 | 7 | the peer adds a video track just before it offers (appended or recycled m-line) |
//! | 2 | 0 | a full negotiation round first (a "history"), ... |
//! | 2 | 1 | ... offered by the peer instead of by us (DTLS roles swap) |
//! | 2 | 2 | ... after which we stop our first transceiver |
//! | 2 | 3 | ... and the peer stops its first transceiver |
//! | 2 | 4-7 | which real description to splice into (modulo the number the scenario produced) |
//! | 3 | all | the line k (modulo the line count + 1) |
//!
//! The rest is the SDP text (lossily decoded as UTF-8, so any bytes reach the parser).
//!
//! Splicing into descriptions the sessions really produced is what takes the fuzzer past the
//! parser into offer layout checks, answer checks, BUNDLE, recycling, rollback and transports;
//! raw mode keeps the parser-level entry points covered.
//!
//! Properties (a panic is a bug): nothing panics; a refused call leaves the session equal to
//! its clone from before the call and names a fault (peer when the call was allowed in this
//! state, never transport) and a rule; an accepted call reaches the state the signaling table
//! says, its stored descriptions write and re-parse to the same model, and the session can
//! still create — and set — the description its new state allows, which re-parses to the same
//! model (and, for an answer, passes `check_answer` against the offer it answers).
#![no_main]

use std::cell::RefCell;
use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use tacet_sdp::{Fingerprint, SdpType, SessionDescription};
use tacet_session::internals::{Side, rolls_back_first, signaling_next};
use tacet_session::{BundlePolicy, Fault, PeerPolicy, Session, SessionConfig, SignalingState};
use tacet_track::{TrackId, TrackKind};

/// The states the fuzzer puts a session into before the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Start {
    FreshStable,
    NegotiatedStable,
    HaveLocalOffer,
    HaveRemoteOffer,
    HaveLocalPranswer,
    HaveRemotePranswer,
    Closed,
}

impl Start {
    fn from_bits(bits: u8) -> Self {
        match bits % 7 {
            0 => Self::FreshStable,
            1 => Self::NegotiatedStable,
            2 => Self::HaveLocalOffer,
            3 => Self::HaveRemoteOffer,
            4 => Self::HaveLocalPranswer,
            5 => Self::HaveRemotePranswer,
            _ => Self::Closed,
        }
    }

    /// The signaling state this start must produce: checked once per build, so a scenario
    /// that silently lands elsewhere cannot pass for coverage of the state it names.
    fn signaling(self) -> SignalingState {
        match self {
            Self::FreshStable | Self::NegotiatedStable => SignalingState::Stable,
            Self::HaveLocalOffer => SignalingState::HaveLocalOffer,
            Self::HaveRemoteOffer => SignalingState::HaveRemoteOffer,
            Self::HaveLocalPranswer => SignalingState::HaveLocalPranswer,
            Self::HaveRemotePranswer => SignalingState::HaveRemotePranswer,
            Self::Closed => SignalingState::Closed,
        }
    }
}

/// Everything that decides a built scenario: the cache key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Setup {
    start: Start,
    strict: bool,
    mix: u8,
    /// Only the history bits (0-3) of header byte 2.
    history: u8,
}

/// A session in the chosen state, and the descriptions the two sessions produced on the way
/// (the material the fuzz bytes are spliced into).
#[derive(Clone)]
struct Scenario {
    us: Session,
    texts: Vec<String>,
}

fn config(fingerprint_byte: u8, setup: Setup) -> SessionConfig {
    let fingerprint = Fingerprint::new("sha-256", &[fingerprint_byte; 32])
        .expect("invariant: a constant 32-byte sha-256 fingerprint is valid");
    let mut config = SessionConfig::new(fingerprint);
    config.peer_policy = if setup.strict {
        PeerPolicy::Strict
    } else {
        PeerPolicy::Tolerant
    };
    if setup.mix & 0x40 != 0 {
        config.bundle_policy = BundlePolicy::Balanced;
    }
    config
}

/// Gives `session` the tracks and data channel that `bits` (audio, video, data) ask for.
fn equip(session: &mut Session, bits: u8, name: &str) {
    for (bit, kind, device) in [(1, TrackKind::Audio, "mic"), (2, TrackKind::Video, "cam")] {
        if bits & bit != 0 {
            session
                .add_track(
                    kind,
                    TrackId::from(format!("{name}-{device}")),
                    vec![name.into()],
                )
                .expect("invariant: addTrack with a new track on an open session succeeds");
        }
    }
    if bits & 4 != 0 {
        session
            .create_data_channel(name)
            .expect("invariant: createDataChannel on an open session succeeds");
    }
}

/// Records a description's text as splice material.
fn keep(texts: &mut Vec<String>, description: &SessionDescription) {
    texts.push(description.to_string());
}

/// One full offer/answer round, `offerer` first; both end stable.
fn round(offerer: &mut Session, answerer: &mut Session, texts: &mut Vec<String>) {
    let offer = offerer
        .create_offer()
        .expect("invariant: createOffer succeeds in stable");
    offerer
        .set_local_description(offer.clone())
        .expect("invariant: the offer just created can be set locally");
    answerer
        .set_remote_description(offer.clone())
        .expect("invariant: a tacet offer is accepted by a stable tacet peer");
    let answer = answerer
        .create_answer()
        .expect("invariant: createAnswer succeeds in have-remote-offer");
    answerer
        .set_local_description(answer.clone())
        .expect("invariant: the answer just created can be set locally");
    offerer
        .set_remote_description(answer.clone())
        .expect("invariant: a tacet answer to our offer is accepted");
    keep(texts, &offer);
    keep(texts, &answer);
}

fn stop_first(session: &mut Session) {
    let first = session
        .transceivers()
        .find(|t| !t.is_stopping())
        .map(|t| t.id());
    if let Some(id) = first {
        session
            .transceiver_mut(id)
            .and_then(|mut t| t.stop())
            .expect("invariant: stop() on a live transceiver of an open session succeeds");
    }
}

/// The peer about to offer: with mix bit 7 it first adds a video track (an appended m-line,
/// or a recycled one where a current description has port 0).
fn peer_offer(peer: &mut Session, setup: Setup, texts: &mut Vec<String>) -> SessionDescription {
    if setup.mix & 0x80 != 0 {
        let late = TrackId::from("peer-late-cam");
        if !peer
            .transceivers()
            .any(|t| t.sender().track() == Some(&late))
        {
            peer.add_track(TrackKind::Video, late, vec!["peer".into()])
                .expect("invariant: addTrack with a new track on an open session succeeds");
        }
    }
    let offer = peer
        .create_offer()
        .expect("invariant: the peer offers from stable or have-local-offer");
    keep(texts, &offer);
    offer
}

fn as_pranswer(mut description: SessionDescription) -> SessionDescription {
    description.sdp_type = SdpType::Pranswer;
    description
}

/// Builds the scenario through the public API only: two sessions negotiating.
fn build(setup: Setup) -> Scenario {
    let mut us = Session::new(config(0xA1, setup), 1);
    let mut peer = Session::new(config(0xB2, setup), 2);
    equip(&mut us, setup.mix & 7, "us");
    equip(&mut peer, (setup.mix >> 3) & 7, "peer");
    let mut texts = Vec::new();

    if setup.start != Start::FreshStable && setup.history & 1 != 0 {
        if setup.history & 2 != 0 {
            round(&mut peer, &mut us, &mut texts);
        } else {
            round(&mut us, &mut peer, &mut texts);
        }
        if setup.history & 4 != 0 {
            stop_first(&mut us);
        }
        if setup.history & 8 != 0 {
            stop_first(&mut peer);
        }
    }

    match setup.start {
        Start::FreshStable => {
            // Never negotiated: the natural remote description is the peer's first offer.
            peer_offer(&mut peer, setup, &mut texts);
        }
        Start::NegotiatedStable | Start::Closed => {
            round(&mut us, &mut peer, &mut texts);
            // The peer's next offer: keeps the layout, rejects what was stopped, recycles a
            // slot rejected in the current descriptions when it has something new.
            peer_offer(&mut peer, setup, &mut texts);
            if setup.start == Start::Closed {
                us.close();
            }
        }
        Start::HaveLocalOffer => {
            // A glare offer: the peer's own, from before it saw ours.
            let mut glare = peer.clone();
            peer_offer(&mut glare, setup, &mut texts);
            let offer = us
                .create_offer()
                .expect("invariant: createOffer succeeds in stable");
            us.set_local_description(offer.clone())
                .expect("invariant: the offer just created can be set locally");
            keep(&mut texts, &offer);
            peer.set_remote_description(offer)
                .expect("invariant: a tacet offer is accepted by a stable tacet peer");
            let answer = peer
                .create_answer()
                .expect("invariant: createAnswer succeeds in have-remote-offer");
            keep(&mut texts, &answer);
        }
        Start::HaveRemoteOffer | Start::HaveLocalPranswer => {
            let offer = peer_offer(&mut peer, setup, &mut texts);
            peer.set_local_description(offer.clone())
                .expect("invariant: the offer just created can be set locally");
            us.set_remote_description(offer)
                .expect("invariant: a tacet offer is accepted by a stable tacet peer");
            let answer = us
                .create_answer()
                .expect("invariant: createAnswer succeeds in have-remote-offer");
            keep(&mut texts, &answer);
            if setup.start == Start::HaveLocalPranswer {
                us.set_local_description(as_pranswer(answer))
                    .expect("invariant: the created answer can be set as a local pranswer");
            }
        }
        Start::HaveRemotePranswer => {
            let offer = us
                .create_offer()
                .expect("invariant: createOffer succeeds in stable");
            us.set_local_description(offer.clone())
                .expect("invariant: the offer just created can be set locally");
            keep(&mut texts, &offer);
            peer.set_remote_description(offer)
                .expect("invariant: a tacet offer is accepted by a stable tacet peer");
            let pranswer = as_pranswer(
                peer.create_answer()
                    .expect("invariant: createAnswer succeeds in have-remote-offer"),
            );
            peer.set_local_description(pranswer.clone())
                .expect("invariant: the created answer can be set as a local pranswer");
            us.set_remote_description(pranswer.clone())
                .expect("invariant: a tacet pranswer to our offer is accepted");
            keep(&mut texts, &pranswer);
            // The final answer that would follow.
            let answer = peer
                .create_answer()
                .expect("invariant: createAnswer succeeds in have-local-pranswer");
            keep(&mut texts, &answer);
        }
    }
    assert_eq!(
        us.signaling_state(),
        setup.start.signaling(),
        "scenario {setup:?} did not reach its state"
    );
    // Events and effects of the build are not what the call is judged on.
    while us.poll_event().is_some() {}
    while us.poll_effect().is_some() {}
    Scenario { us, texts }
}

thread_local! {
    /// Built scenarios: building runs a dozen session calls, cloning one is far cheaper, and
    /// building is deterministic (fixed seeds), so a cached scenario is the one a fresh build
    /// would give. Bounded, so a long run cannot grow it without limit.
    static SCENARIOS: RefCell<HashMap<Setup, Scenario>> = RefCell::new(HashMap::new());
}

fn scenario(setup: Setup) -> Scenario {
    SCENARIOS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= 1024 {
            cache.clear();
        }
        cache.entry(setup).or_insert_with(|| build(setup)).clone()
    })
}

/// The SDP text of the call: the fuzz text alone, or spliced into a real description.
fn text(mode: u8, base: &str, line: u8, fuzz: &str) -> String {
    if mode == 0 {
        return fuzz.to_owned();
    }
    let lines: Vec<&str> = base.split_inclusive('\n').collect();
    let k = usize::from(line) % (lines.len() + 1);
    let mut spliced = String::with_capacity(base.len() + fuzz.len() + 2);
    let mut fuzz_lines = fuzz.to_owned();
    if !fuzz_lines.is_empty() && !fuzz_lines.ends_with('\n') {
        // A spliced fragment is whole lines: the fuzzer need not discover the line ending.
        fuzz_lines.push_str("\r\n");
    }
    for line in &lines[..k] {
        spliced.push_str(line);
    }
    match mode {
        1 => {
            spliced.push_str(&fuzz_lines);
            for line in lines.iter().skip(k + 1) {
                spliced.push_str(line);
            }
        }
        2 => {
            spliced.push_str(&fuzz_lines);
            for line in &lines[k..] {
                spliced.push_str(line);
            }
        }
        _ => spliced.push_str(&fuzz_lines),
    }
    spliced
}

/// A description the session holds or created writes to text that parses back to it.
fn reparses(description: &SessionDescription, what: &str) {
    let written = description.to_string();
    let parsed = SessionDescription::parse(description.sdp_type, &written)
        .unwrap_or_else(|e| panic!("{what} does not re-parse: {e}\n{written}"));
    assert_eq!(
        &parsed.description, description,
        "{what} re-parses to another model\n{written}"
    );
}

/// After an accepted call: the session still negotiates from its new state.
fn still_works(us: &mut Session) {
    if let Some(local) = us.local_description() {
        reparses(local, "the local description");
    }
    if let Some(remote) = us.remote_description() {
        reparses(remote, "the remote description");
    }
    match us.signaling_state() {
        SignalingState::Stable | SignalingState::HaveLocalOffer => {
            let offer = us
                .create_offer()
                .unwrap_or_else(|e| panic!("createOffer refused after an accepted SRD: {e}"));
            reparses(&offer, "the created offer");
            us.set_local_description(offer)
                .unwrap_or_else(|e| panic!("the created offer cannot be set locally: {e}"));
        }
        SignalingState::HaveRemoteOffer | SignalingState::HaveLocalPranswer => {
            let answer = us
                .create_answer()
                .unwrap_or_else(|e| panic!("createAnswer refused after an accepted SRD: {e}"));
            reparses(&answer, "the created answer");
            let offer = us
                .pending_remote_description()
                .expect("invariant: have-remote-offer holds a pending remote offer")
                .clone();
            if let Err(e) = answer.check_answer(&offer) {
                panic!(
                    "the created answer breaks the offer it answers: {e}\noffer:\n{offer}\nanswer:\n{answer}"
                );
            }
            us.set_local_description(answer)
                .unwrap_or_else(|e| panic!("the created answer cannot be set locally: {e}"));
        }
        // Waiting for the final answer: neither createOffer nor createAnswer is allowed; the
        // descriptions were checked above.
        SignalingState::HaveRemotePranswer => {}
        SignalingState::Closed => panic!("setRemoteDescription closed the session"),
    }
}

fuzz_target!(|data: &[u8]| {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let (b0, b1, b2, b3) = (byte(0), byte(1), byte(2), byte(3));
    let setup = Setup {
        start: Start::from_bits(b0 & 7),
        strict: b0 & 0x20 != 0,
        mix: b1,
        history: b2 & 0x0F,
    };
    let sdp_type = [
        SdpType::Offer,
        SdpType::Answer,
        SdpType::Pranswer,
        SdpType::Rollback,
    ][usize::from((b0 >> 3) & 3)];
    let mode = b0 >> 6;
    let fuzz = String::from_utf8_lossy(data.get(4..).unwrap_or_default());

    let Scenario { mut us, texts } = scenario(setup);
    let base = texts
        .get(usize::from(b2 >> 4) % texts.len().max(1))
        .map_or("", String::as_str);
    let sdp = text(mode, base, b3, &fuzz);

    let state = us.signaling_state();
    // What the signaling table allows (a remote offer in have-local-offer is glare: an
    // implicit rollback first).
    let expected = if state == SignalingState::Closed {
        None
    } else if rolls_back_first(state, Side::Remote, sdp_type) {
        Some(SignalingState::HaveRemoteOffer)
    } else {
        signaling_next(state, Side::Remote, sdp_type).ok()
    };

    let before = us.clone();
    match us.set_remote_description_text(sdp_type, &sdp) {
        Err(e) => {
            assert!(
                us == before,
                "a refused setRemoteDescription changed the session: {e}"
            );
            assert!(!e.rule().trim().is_empty(), "no rule named: {e:?}");
            assert!(!e.to_string().trim().is_empty(), "no message: {e:?}");
            match e.fault() {
                Fault::Transport => panic!("a description refused as a transport fault: {e:?}"),
                // The call itself was allowed: only the peer's text can be at fault.
                Fault::Caller if expected.is_some() => panic!(
                    "a {sdp_type} allowed in {state} refused as the caller's fault: {e:?}\n{sdp}"
                ),
                Fault::Caller | Fault::Peer => {}
            }
        }
        Ok(()) => {
            let Some(expected) = expected else {
                panic!("a {sdp_type} was accepted in {state}, which the signaling table forbids");
            };
            assert_eq!(
                us.signaling_state(),
                expected,
                "a {sdp_type} set in {state} led elsewhere"
            );
            still_works(&mut us);
        }
    }
});
