//! Two tacet `PeerConnection`s over loopback UDP, negotiating by themselves (the in-process
//! signaling hook), with a data channel open: the setting of the transport measurements
//! (`benches/transport.rs`, `examples/transport_summary.rs`, docs/performance.md "Transport").

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tacet_rtc::{
    ChannelId, ChannelOptions, Event, Message, PeerConfig, PeerConnection, Role, TrackReceiver,
    TrackSender, channel_pair,
};
use tacet_sdp::Fingerprint;
use tacet_session::Event as SessionEvent;
use tacet_session::SessionConfig;
use tacet_track::TrackKind;
use tokio::time::timeout;

/// How long any one wait may take before the measurement is declared broken.
pub const LIMIT: Duration = Duration::from_secs(30);

/// Two connected peers and their ends of one data channel.
#[derive(Debug)]
pub struct Pair {
    /// The impolite side, which created the channel.
    pub a: PeerConnection,
    /// The polite side.
    pub b: PeerConnection,
    /// A's end of "chat".
    pub a_chat: ChannelId,
    /// B's end of "chat".
    pub b_chat: ChannelId,
}

fn config(seed: u64) -> PeerConfig {
    // The connection replaces the fingerprint with its own certificate's.
    let placeholder = Fingerprint::new("sha-256", &[0; 32]).expect("a constant, valid digest");
    PeerConfig {
        session: SessionConfig::new(placeholder),
        ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
        seed,
    }
}

/// Waits for `peer`'s next event that `pick` recognises.
pub async fn wait_for<T>(
    peer: &mut PeerConnection,
    mut pick: impl FnMut(&Event) -> Option<T>,
) -> T {
    let found = timeout(LIMIT, async {
        loop {
            let event = peer.next_event().await.expect("the peer's task runs");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    });
    found.await.expect("within the limit")
}

/// Builds the pair and opens "chat" (reliable, ordered). Must run inside a tokio runtime.
pub async fn connected_pair() -> Pair {
    let (a_end, b_end) = channel_pair();
    let mut a = PeerConnection::with_signaling(config(1), a_end, Role::Impolite).expect("A");
    let mut b = PeerConnection::with_signaling(config(2), b_end, Role::Polite).expect("B");
    a.create_data_channel("chat", ChannelOptions::default())
        .await
        .expect("a channel");
    let open = |e: &Event| match e {
        Event::DataChannelOpen { channel, .. } => Some(*channel),
        _ => None,
    };
    let a_chat = wait_for(&mut a, open).await;
    let b_chat = wait_for(&mut b, open).await;
    Pair {
        a,
        b,
        a_chat,
        b_chat,
    }
}

/// A's audio track, negotiated, and B's receiver of it.
pub async fn audio(pair: &mut Pair) -> (TrackSender, TrackReceiver) {
    let sender = pair
        .a
        .add_track(TrackKind::Audio, vec![])
        .await
        .expect("the track is negotiated");
    let transceiver = wait_for(&mut pair.b, |e| match e {
        Event::Session(SessionEvent::Track { transceiver, .. }) => Some(*transceiver),
        _ => None,
    })
    .await;
    let receiver = pair.b.receiver(transceiver).await.expect("a receiver");
    (sender, receiver)
}

/// The payload of a message received on a channel, if `event` is one.
pub fn received(event: &Event) -> Option<(ChannelId, Message)> {
    match event {
        Event::DataChannelMessage { channel, message } => Some((*channel, message.clone())),
        _ => None,
    }
}
