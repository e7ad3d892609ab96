//! The tokio shell over real loopback UDP: two `PeerConnection`s, each in its own task with its
//! own sockets on 127.0.0.1, negotiate through their methods (the application carries the
//! descriptions), connect ICE, DTLS and SCTP, and carry numbered messages both ways — none
//! lost, none duplicated, in order.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tacet_rtc::{ChannelId, ChannelOptions, Event, Message, PeerConfig, PeerConnection};
use tacet_sdp::{Fingerprint, SdpType};
use tacet_session::SessionConfig;
use tokio::time::timeout;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const COUNT: usize = 100;

fn peer(seed: u64) -> PeerConnection {
    let placeholder = Fingerprint::new("sha-256", &[0; 32]).expect("a valid fingerprint");
    let config = PeerConfig {
        session: SessionConfig::new(placeholder),
        ip: LOOPBACK,
        seed,
    };
    PeerConnection::new(config).expect("a peer connection")
}

/// The local description as text: what an application would put on its signaling channel.
async fn local_sdp(peer: &PeerConnection) -> String {
    peer.local_description()
        .await
        .expect("the task runs")
        .expect("a local description")
        .write()
}

/// Waits for `side`'s next event that `pick` recognises.
async fn wait_for<T>(side: &mut PeerConnection, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
    let found = timeout(Duration::from_secs(20), async {
        loop {
            let event = side.next_event().await.expect("the task runs");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    });
    found.await.expect("within 20 s")
}

fn text(event: &Event) -> Option<String> {
    match event {
        Event::DataChannelMessage {
            message: Message::Text(text),
            ..
        } => Some(text.clone()),
        _ => None,
    }
}

fn open(event: &Event) -> Option<ChannelId> {
    match event {
        Event::DataChannelOpen { channel, .. } => Some(*channel),
        _ => None,
    }
}

#[tokio::test]
async fn two_shells_over_loopback_udp_carry_numbered_messages_both_ways() {
    let mut a = peer(1);
    let mut b = peer(2);
    a.create_data_channel("chat", ChannelOptions::default())
        .await
        .expect("a channel");

    // Offer/answer through the methods; each description is read after the task bound its
    // sockets, so it carries the host candidates (non-trickle), and crosses as text.
    let offer = a.create_offer().await.expect("offer");
    a.set_local_description(offer).await.expect("set offer");
    let offer = local_sdp(&a).await;
    b.with_session(move |s| s.set_remote_description_text(SdpType::Offer, &offer))
        .await
        .expect("the task runs")
        .expect("the offer applies");
    b.set_local_description_implicit().await.expect("answer");
    let answer = local_sdp(&b).await;
    a.with_session(move |s| s.set_remote_description_text(SdpType::Answer, &answer))
        .await
        .expect("the task runs")
        .expect("the answer applies");

    let a_chat = wait_for(&mut a, open).await;
    let b_chat = wait_for(&mut b, open).await;
    for i in 0..COUNT {
        a.send(a_chat, Message::Text(format!("a{i}")))
            .await
            .expect("open");
        b.send(b_chat, Message::Text(format!("b{i}")))
            .await
            .expect("open");
    }
    let mut at_b = Vec::new();
    while at_b.len() < COUNT {
        at_b.push(wait_for(&mut b, text).await);
    }
    let mut at_a = Vec::new();
    while at_a.len() < COUNT {
        at_a.push(wait_for(&mut a, text).await);
    }
    let numbered = |p: char| (0..COUNT).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
    assert_eq!(at_b, numbered('a'));
    assert_eq!(at_a, numbered('b'));
}
