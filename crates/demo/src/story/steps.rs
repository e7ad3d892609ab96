//! The story's steps, played by a tacet peer that drives every change (it offers, impolite)
//! against another peer that answers: a second tacet peer in this process (`play`), or a
//! headless browser (`browser.rs`). What may legitimately differ against a browser is stated
//! in [`Differences`]; the checks themselves are `script.rs`'s.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tacet_rtc::{Error, PeerConfig, PeerConnection, Role, channel_pair};
use tacet_sdp::Fingerprint;
use tacet_session::{SessionConfig, TransceiverId};
use tacet_track::TrackKind;
use tokio::time::{Instant, sleep};

use super::observe::{Chat, Negotiated, RateSample, Snapshot};
use super::peers::{Peer, Side, measure};
use super::script;
use super::{Run, until};

/// How long each measurement window lasts (one rate line per second).
const WINDOW_S: u32 = 2;
/// How long the connection, or a change's follow-up, may take.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// What the other peer does differently from a tacet peer, each for a stated reason.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Differences {
    /// Its session mode can be read (a browser has no such state).
    pub(crate) has_mode: bool,
    /// It answers a track added later with one of its own (tacet's answerer here does; the
    /// test page adds its tracks at the first offer only, so the re-added video is one-way).
    pub(crate) sends_back_added: bool,
    /// It can answer a later offer whose new mid sits at an m-line index before the BUNDLE tag
    /// (step 6: the recycled slot 0 comes before the data section, the tag since step 4).
    /// Chromium cannot: its answer lists the group in m-line order (`3 2` to tacet's `2 3`),
    /// so the new mid becomes its answer's tag, and applying that answer gives the new mid a
    /// fresh transport that never saw the offer: "Failed to setup RTCP mux" (docs/demo.md). The
    /// test page rolls the offer back and refuses it, and tacet rolls back its offer too.
    pub(crate) answers_new_mid_before_tag: bool,
    /// Its RTP counts are as fresh as the second they are read (tacet's stats); a browser's
    /// come once a second from `getStats`, a report late at worst: they are checked over the
    /// window (any packet at all), not second by second, and read after a longer settle.
    pub(crate) live_counts: bool,
    /// The SCTP association may restart at the tag move: Chromium moves its channels to a new
    /// association (docs/browsers.md, issue 14), tacet carries its channels across. Between
    /// two tacet peers the association is kept, and that is checked.
    pub(crate) association_may_restart: bool,
}

impl Differences {
    /// Two tacet peers: everything is checked.
    pub(crate) const TACET: Self = Self {
        has_mode: true,
        sends_back_added: true,
        answers_new_mid_before_tag: true,
        live_counts: true,
        association_may_restart: false,
    };

    /// How long after a change before its effect is measured: a change's last packets in
    /// flight (or a browser's last report) belong to the state before it.
    fn settle(self) -> Duration {
        if self.live_counts {
            Duration::from_millis(300)
        } else {
            Duration::from_millis(1_300)
        }
    }
}

/// A seed for the session's identifiers, different in each run (std's hasher keys are
/// random per process and per `RandomState`).
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// A peer's configuration on 127.0.0.1.
pub(crate) fn config() -> Result<PeerConfig, String> {
    let placeholder = Fingerprint::new("sha-256", &[0; 32])
        .map_err(|e| format!("local: a placeholder fingerprint: {e}"))?;
    Ok(PeerConfig {
        session: SessionConfig::new(placeholder),
        ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seed: seed(),
    })
}

/// Both peers' states and the driver's view of the last offer and answer.
pub(crate) async fn snapshot(driver: &Side, other: &impl Peer) -> Snapshot {
    let (a, negotiated) = driver.observe_all().await;
    let b = other.peer_state().await;
    let mut negotiated = negotiated.unwrap_or_default();
    negotiated.offerer = if negotiated.offerer.is_empty() {
        String::new()
    } else if negotiated.offerer == "local" {
        a.name.clone()
    } else {
        b.name.clone()
    };
    Snapshot {
        peers: vec![a, b],
        negotiated,
    }
}

/// Both chats, shown, and checked to have kept flowing since `before`.
pub(crate) fn chat_since(run: &mut Run, now: [Chat; 2], before: &[Chat]) {
    run.report.chat(&now);
    let step = run.current();
    run.check(script::chat_intact(step, before, &now));
}

fn mid_of(negotiated: &Negotiated, kind: &str) -> String {
    negotiated
        .offer
        .mlines
        .iter()
        .find(|m| m.kind == kind && m.port != 0)
        .and_then(|m| m.mid.clone())
        .unwrap_or_default()
}

/// The driver's session mode and live media, and the other's mode when it has one.
fn modes(run: &mut Run, snapshot: &Snapshot, differences: Differences, mode: &str, media: &str) {
    let step = run.current();
    if let Some(driver) = snapshot.peers.first() {
        run.check(script::media(step, snapshot, &driver.name, media));
    }
    let names: Vec<String> = snapshot.peers.iter().map(|p| p.name.clone()).collect();
    for (i, name) in names.iter().enumerate() {
        if i == 0 || differences.has_mode {
            run.check(script::mode(step, snapshot, name, mode));
        }
    }
}

/// `kind` RTP arrived at `to`: every second when the counts are live, else at all.
fn arrives(run: &mut Run, window: &[RateSample], to: &str, kind: &str, live: bool) {
    let step = run.current();
    run.check(if live {
        script::flows(step, window, to, kind)
    } else {
        script::arrives(step, window, to, kind)
    });
}

/// A change of the driver's, negotiated within [`PATIENCE`] (a peer that never answers is a
/// failure with its name, not a hang).
async fn within<T>(
    change: impl Future<Output = Result<T, Error>>,
    what: &str,
) -> Result<T, String> {
    match tokio::time::timeout(PATIENCE, change).await {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(e)) => Err(format!("{what}: {e}")),
        Err(_) => Err(format!(
            "{what}: not negotiated within {} s (the peer did not answer)",
            PATIENCE.as_secs()
        )),
    }
}

/// Steps 1 to 6 (the close is the caller's: it differs between peers). `driver` offers.
pub(crate) async fn play_to_close(
    run: &mut Run,
    driver: &Side,
    other: &impl Peer,
    differences: Differences,
) -> Result<(), String> {
    let (me, them) = (driver.name, other.name().to_owned());
    let live = differences.live_counts;

    // 1. Connect.
    run.step(1).await;
    run.note(&format!(
        "{me} offers audio, video and the chat; {them} answers and sends audio and video back"
    ));
    let started = Instant::now();
    let ids: Vec<TransceiverId> = driver.open().await.map_err(|e| format!("{me}: {e}"))?;
    let ready = until(PATIENCE, || async {
        let s = snapshot(driver, other).await;
        driver.chat_open()
            && other.chat_open()
            && script::sendrecv(1, &s, me, 2).passed
            && script::sendrecv(1, &s, &them, 2).passed
    })
    .await;
    run.expect(
        "connected: chat open on both sides, audio and video negotiated sendrecv on both",
        ready,
        format!("in {} ms", started.elapsed().as_millis()),
    );
    let s = snapshot(driver, other).await;
    run.snapshot(&s);
    let kinds: Vec<&str> = s
        .negotiated
        .offer
        .mlines
        .iter()
        .map(|m| m.kind.as_str())
        .collect();
    run.expect(
        "the offer has audio, video and data m-lines",
        kinds == ["audio", "video", "application"],
        format!("{kinds:?}"),
    );
    let (audio, video, data) = (
        mid_of(&s.negotiated, "audio"),
        mid_of(&s.negotiated, "video"),
        mid_of(&s.negotiated, "application"),
    );
    run.check(script::bundle(1, &s.negotiated, &[&audio, &video, &data]));
    modes(run, &s, differences, "media+data", "audio+video");

    // 2. Media flows.
    run.step(2).await;
    run.note(
        "synthetic Opus (20 ms) and VP8 (33 ms, 3 packets a frame); chat every 25 ms both ways",
    );
    let chat0 = [driver.chat_counts(), other.chat_counts()];
    if !live {
        sleep(differences.settle()).await;
    }
    let window = measure(run, driver, other, WINDOW_S + 1).await;
    for to in [me, them.as_str()] {
        for kind in ["audio", "video"] {
            arrives(run, &window, to, kind, live || to == me);
        }
    }
    chat_since(run, [driver.chat_counts(), other.chat_counts()], &chat0);

    // 3. Stop video, not the BUNDLE tag.
    run.step(3).await;
    run.note(&format!(
        "{me} stops its video transceiver (mid {video}); the stop renegotiates"
    ));
    let chat0 = [driver.chat_counts(), other.chat_counts()];
    within(driver.pc.stop(ids[1]), "stop video").await?;
    sleep(differences.settle()).await;
    let s = snapshot(driver, other).await;
    run.snapshot(&s);
    run.check(script::ended(3, &them, &other.ended(), "video"));
    run.check(script::ended(3, me, &driver.ended(), "video"));
    run.check(script::rejected(3, &s.negotiated, &video, "video"));
    run.check(script::bundle(3, &s.negotiated, &[&audio, &data]));
    modes(run, &s, differences, "media+data", "audio only");
    let window = measure(run, driver, other, WINDOW_S).await;
    run.check(script::silent(3, &window, Some("video")));
    for to in [me, them.as_str()] {
        arrives(run, &window, to, "audio", live || to == me);
    }
    chat_since(run, [driver.chat_counts(), other.chat_counts()], &chat0);

    // 4. Stop audio, the BUNDLE tag: data-only.
    run.step(4).await;
    run.note(&format!(
        "{me} stops its audio transceiver (mid {audio}, the BUNDLE tag): the tag moves to the data section"
    ));
    let chat0 = [driver.chat_counts(), other.chat_counts()];
    let restarts = driver.restarts();
    within(driver.pc.stop(ids[0]), "stop audio").await?;
    sleep(differences.settle()).await;
    let s = snapshot(driver, other).await;
    run.snapshot(&s);
    run.check(script::ended(4, &them, &other.ended(), "audio"));
    run.check(script::rejected(4, &s.negotiated, &audio, "audio"));
    run.check(script::bundle(4, &s.negotiated, &[&data]));
    modes(run, &s, differences, "data-only", "data-only");
    let restarted = driver.restarts() - restarts;
    if differences.association_may_restart {
        run.note(&format!(
            "{them} restarted the SCTP association {restarted} time(s) at the tag move; \
             {me} carried its channels across (docs/browsers.md)"
        ));
    } else {
        run.expect(
            "the SCTP association is kept across the tag move",
            restarted == 0,
            format!("{restarted} restarts"),
        );
    }
    let window = measure(run, driver, other, WINDOW_S).await;
    run.check(script::silent(4, &window, None));
    chat_since(run, [driver.chat_counts(), other.chat_counts()], &chat0);

    // 5. Keep chatting, data-only.
    run.step(5).await;
    run.note("no media section is live; the chat goes on");
    let chat0 = [driver.chat_counts(), other.chat_counts()];
    let window = measure(run, driver, other, WINDOW_S + 1).await;
    run.check(script::silent(5, &window, None));
    let s = snapshot(driver, other).await;
    modes(run, &s, differences, "data-only", "data-only");
    chat_since(run, [driver.chat_counts(), other.chat_counts()], &chat0);

    // 6. Add video again: a stopped m-line's slot is recycled.
    run.step(6).await;
    run.note(&format!(
        "{me} adds a video track{}",
        if differences.sends_back_added {
            format!("; {them} sends video back")
        } else {
            format!("; {them} only receives it (the page adds tracks at the first offer only)")
        }
    ));
    let chat0 = [driver.chat_counts(), other.chat_counts()];
    let before = s.negotiated.clone();
    let add = driver
        .pc
        .add_track(TrackKind::Video, vec!["tacet-demo".to_owned()]);
    if !differences.answers_new_mid_before_tag {
        return refused_under_data_tag(run, driver, other, differences, add, &chat0).await;
    }
    let sender = within(add, "add video").await?;
    driver.write(sender, TrackKind::Video);
    if differences.sends_back_added {
        let back = until(PATIENCE, || async {
            let s = snapshot(driver, other).await;
            script::sendrecv(6, &s, me, 1).passed && script::sendrecv(6, &s, &them, 1).passed
        })
        .await;
        let s = snapshot(driver, other).await;
        let seen: Vec<String> = s
            .peers
            .iter()
            .flat_map(|p| p.transceivers.iter().map(move |t| (p, t)))
            .filter(|(_, t)| t.phase == "active")
            .map(|(p, t)| {
                format!(
                    "{} {}:{}",
                    p.name,
                    t.kind,
                    t.current.as_deref().unwrap_or("-")
                )
            })
            .collect();
        run.expect(
            "the new video is negotiated sendrecv on both sides",
            back,
            seen.join(", "),
        );
    }
    sleep(differences.settle()).await;
    let s = snapshot(driver, other).await;
    run.snapshot(&s);
    let (check, new) = script::recycled(6, &before, &s.negotiated, "video");
    run.check(check);
    let new = new.unwrap_or_default();
    run.check(script::bundle(6, &s.negotiated, &[&data, &new]));
    modes(run, &s, differences, "media+data", "video only");
    let window = measure(run, driver, other, WINDOW_S).await;
    arrives(run, &window, &them, "video", live);
    if differences.sends_back_added {
        arrives(run, &window, me, "video", live);
    }
    run.check(script::silent(6, &window, Some("audio")));
    chat_since(run, [driver.chat_counts(), other.chat_counts()], &chat0);
    Ok(())
}

/// Step 6 against a peer that cannot answer video under a data-channel tag (Chromium): the
/// refusal must come, tacet must roll back to data-only, and the chat must go on.
async fn refused_under_data_tag<T>(
    run: &mut Run,
    driver: &Side,
    other: &impl Peer,
    differences: Differences,
    add: impl Future<Output = Result<T, Error>>,
    chat0: &[Chat],
) -> Result<(), String> {
    let them = other.name().to_owned();
    let outcome = tokio::time::timeout(PATIENCE, add).await;
    let (refused, seen) = match outcome {
        Ok(Err(Error::Refused { reason })) => (true, reason),
        Ok(Err(e)) => (false, e.to_string()),
        Ok(Ok(_)) => (false, "it answered".to_owned()),
        Err(_) => (false, format!("no answer within {} s", PATIENCE.as_secs())),
    };
    run.expect(
        &format!(
            "{them} refuses the video bundled under the data-channel BUNDLE tag \
             (a {them} limitation, docs/demo.md)"
        ),
        refused,
        seen,
    );
    sleep(differences.settle()).await;
    let s = snapshot(driver, other).await;
    run.snapshot(&s);
    modes(run, &s, differences, "data-only", "data-only");
    let window = measure(run, driver, other, WINDOW_S).await;
    run.check(script::silent(6, &window, None));
    chat_since(run, [driver.chat_counts(), other.chat_counts()], chat0);
    Ok(())
}

/// The story between two tacet peers in this process: `alice` offers (impolite) and drives
/// every change, `bob` answers (polite) and sends back a track of each kind it receives.
/// Signaling is an in-process channel pair; media and data go over loopback UDP.
pub(crate) async fn play(run: &mut Run) -> Result<(), String> {
    let (a_signaling, b_signaling) = channel_pair();
    let alice = PeerConnection::with_signaling(config()?, a_signaling, Role::Impolite)
        .map_err(|e| format!("local: alice: {e}"))?;
    let bob = PeerConnection::with_signaling(config()?, b_signaling, Role::Polite)
        .map_err(|e| format!("local: bob: {e}"))?;
    let alice = Side::spawn("alice", alice, false);
    let bob = Side::spawn("bob", bob, true);
    play_to_close(run, &alice, &*bob, Differences::TACET).await?;

    // 7. Close.
    run.step(7).await;
    run.note("both sides send their end; then both connections close");
    alice.end_chat();
    bob.end_chat();
    let ends = until(Duration::from_secs(3), || async {
        alice.peer_end_came() && bob.peer_end_came()
    })
    .await;
    run.expect(
        "both ends of the chat arrived",
        ends,
        format!(
            "at alice {}, at bob {}",
            alice.peer_end_came(),
            bob.peer_end_came()
        ),
    );
    let chats = [alice.chat_counts(), bob.chat_counts()];
    run.report.chat(&chats);
    run.check(script::chat_complete(7, &chats));
    for side in [&alice, &bob] {
        side.pc
            .close()
            .await
            .map_err(|e| format!("{}: close: {e}", side.name))?;
    }
    let s = snapshot(&alice, &*bob).await;
    run.snapshot(&s);
    modes(run, &s, Differences::TACET, "closed", "data-only");
    Ok(())
}
