//! The tokio shell over real loopback UDP: two `PeerConnection`s, each in its own task with its
//! own sockets on 127.0.0.1, negotiate through their methods (the application carries the
//! descriptions), connect ICE, DTLS and SCTP, and carry numbered messages both ways — none
//! lost, none duplicated, in order.

mod peers;

use peers::{all_arrive, config, open, send_numbered, wait_for};
use tacet_rtc::{ChannelOptions, PeerConnection};
use tacet_sdp::SdpType;

const COUNT: usize = 100;

fn peer(seed: u64) -> PeerConnection {
    PeerConnection::new(config(seed)).expect("a peer connection")
}

/// The local description as text: what an application would put on its signaling channel.
async fn local_sdp(peer: &PeerConnection) -> String {
    peer.local_description()
        .await
        .expect("the task runs")
        .expect("a local description")
        .write()
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

    let (mut a_seen, mut b_seen) = (Vec::new(), Vec::new());
    let a_chat = wait_for(&mut a, &mut a_seen, open).await;
    let b_chat = wait_for(&mut b, &mut b_seen, open).await;
    send_numbered(&a, a_chat, &b, b_chat, 0..COUNT).await;
    all_arrive(&mut a, &mut a_seen, &mut b, &mut b_seen, COUNT).await;
}
