//! The kit of the tests that run `PeerConnection`s over loopback UDP (each in its own task with
//! its own sockets on 127.0.0.1): configurations, waiting for events, numbered messages.

#![allow(dead_code, reason = "each test file uses the part of the kit it needs")]

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tacet_rtc::{
    ChannelId, ChannelOptions, Event, Message, PeerConfig, PeerConnection, Role, channel_pair,
};
use tacet_sdp::Fingerprint;
use tacet_session::SessionConfig;
use tokio::time::timeout;

pub(crate) const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
pub(crate) const LIMIT: Duration = Duration::from_secs(20);

pub(crate) fn config(seed: u64) -> PeerConfig {
    let placeholder = Fingerprint::new("sha-256", &[0; 32]).expect("a valid fingerprint");
    PeerConfig {
        session: SessionConfig::new(placeholder),
        ip: LOOPBACK,
        seed,
    }
}

/// Two peers joined by an in-process signaling channel: A impolite, B polite.
pub(crate) fn pair() -> (PeerConnection, PeerConnection) {
    let (a_end, b_end) = channel_pair();
    let a = PeerConnection::with_signaling(config(1), a_end, Role::Impolite).expect("peer A");
    let b = PeerConnection::with_signaling(config(2), b_end, Role::Polite).expect("peer B");
    (a, b)
}

pub(crate) async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    timeout(LIMIT, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: not within {LIMIT:?}"))
}

/// Waits for `side`'s next event that `pick` recognises, keeping every event it passes.
pub(crate) async fn wait_for<T>(
    side: &mut PeerConnection,
    seen: &mut Vec<Event>,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> T {
    within("an event", async {
        loop {
            let event = side.next_event().await.expect("the task runs");
            let found = pick(&event);
            seen.push(event);
            if let Some(found) = found {
                return found;
            }
        }
    })
    .await
}

pub(crate) fn open(event: &Event) -> Option<ChannelId> {
    match event {
        Event::DataChannelOpen { channel, .. } => Some(*channel),
        _ => None,
    }
}

pub(crate) fn text(event: &Event) -> Option<String> {
    match event {
        Event::DataChannelMessage {
            message: Message::Text(text),
            ..
        } => Some(text.clone()),
        _ => None,
    }
}

/// Sends `a{i}` from A and `b{i}` from B for `range`.
pub(crate) async fn send_numbered(
    a: &PeerConnection,
    a_chat: ChannelId,
    b: &PeerConnection,
    b_chat: ChannelId,
    range: std::ops::Range<usize>,
) {
    for i in range {
        a.send(a_chat, Message::Text(format!("a{i}")))
            .await
            .expect("A's channel is open");
        b.send(b_chat, Message::Text(format!("b{i}")))
            .await
            .expect("B's channel is open");
    }
}

/// Reads `count` messages on each side and checks they are the numbered ones, in order.
pub(crate) async fn all_arrive(
    a: &mut PeerConnection,
    a_seen: &mut Vec<Event>,
    b: &mut PeerConnection,
    b_seen: &mut Vec<Event>,
    count: usize,
) {
    let mut at_b = Vec::new();
    while at_b.len() < count {
        at_b.push(wait_for(b, b_seen, text).await);
    }
    let mut at_a = Vec::new();
    while at_a.len() < count {
        at_a.push(wait_for(a, a_seen, text).await);
    }
    let numbered = |p: char| (0..count).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
    assert_eq!(
        at_b,
        numbered('a'),
        "B received A's messages, in order, once"
    );
    assert_eq!(
        at_a,
        numbered('b'),
        "A received B's messages, in order, once"
    );
}

/// A creates "chat" and both ends open; the events passed on the way are kept.
pub(crate) async fn open_chat(
    a: &mut PeerConnection,
    a_seen: &mut Vec<Event>,
    b: &mut PeerConnection,
    b_seen: &mut Vec<Event>,
) -> (ChannelId, ChannelId) {
    a.create_data_channel("chat", ChannelOptions::default())
        .await
        .expect("a channel");
    let a_chat = wait_for(a, a_seen, open).await;
    let b_chat = wait_for(b, b_seen, open).await;
    (a_chat, b_chat)
}
