//! Data-channel messages around an offer that moves the BUNDLE tag (issue 14;
//! `crates/rtc/src/data/hold.rs`): sends are held from the moment such an offer is set until
//! the peer's choice is known, the offer waits for what was written before it to be
//! acknowledged, and the association is not given up when the peer drops its only transport
//! while the offer is pending (Firefox closes it before answering).

mod net;

use std::time::Duration;

use net::{Net, Side, all_arrive_within, config, exchange, numbered, open_chat};
use tacet_rtc::{ChannelId, Event};
use tacet_sdp::SdpType;
use tacet_session::{TagMovePolicy, TransceiverInit};
use tacet_track::TrackKind;

/// A chat channel open over a connection whose BUNDLE tag is an audio section (mid 0).
fn chat_over_audio(net: &mut Net) -> (ChannelId, ChannelId) {
    net.session(Side::A, |s| {
        s.add_transceiver(TrackKind::Audio, TransceiverInit::default())
    })
    .expect("an audio transceiver");
    open_chat(net)
}

#[test]
fn messages_sent_while_a_tag_moving_offer_is_pending_wait_for_the_answer_then_all_arrive() {
    let mut net = Net::new();
    let chat = chat_over_audio(&mut net);
    exchange(&mut net, chat, 0, 10);
    net.run_for(Duration::from_millis(100));
    net::stop_audio_tag(&mut net, Side::A);
    let offer = net.set_local_offer(Side::A).expect("the offer");
    // A holds from its setLocalDescription: what it sends now is not written to the
    // association the peer may be about to leave.
    for i in 10..20 {
        net.send(Side::A, chat.0, format!("a{i}"));
        net.send(Side::B, chat.1, format!("b{i}"));
    }
    net.run_for(Duration::from_millis(200));
    assert_eq!(
        net.received(Side::B, chat.1),
        numbered('a', 10),
        "nothing A sent after setting the offer went out"
    );
    // The peer applies the offer: it holds too.
    net.set_remote(Side::B, SdpType::Offer, &offer)
        .expect("B applies the offer");
    for i in 20..25 {
        net.send(Side::A, chat.0, format!("a{i}"));
        net.send(Side::B, chat.1, format!("b{i}"));
    }
    net.run_for(Duration::from_millis(200));
    let b_got = net.received(Side::A, chat.0).len();
    assert_eq!(
        b_got, 20,
        "B's messages up to its setRemoteDescription arrived, none after"
    );
    let answer = net.set_local_answer(Side::B).expect("the answer");
    net.set_remote(Side::A, SdpType::Answer, &answer)
        .expect("A applies the answer");
    // Both kept their transport (the default policy): the round ends the hold.
    all_arrive_within(&mut net, chat, 25, Duration::from_secs(5));
    net.assert_nothing_failed();
}

#[test]
fn a_tag_moving_offer_may_go_once_every_message_written_before_it_is_acknowledged() {
    let mut net = Net::new();
    let chat = chat_over_audio(&mut net);
    exchange(&mut net, chat, 0, 4);
    net.run_for(Duration::from_millis(100));
    net.send(Side::A, chat.0, "a4".into());
    net::stop_audio_tag(&mut net, Side::A);
    net.set_local_offer(Side::A).expect("the offer");
    let now = net.now;
    assert!(
        !net.a.may_announce_offer(now),
        "a4 is in flight (10 ms each way): the peer has not acknowledged it"
    );
    net.run_for(Duration::from_millis(30));
    let now = net.now;
    assert!(
        net.a.may_announce_offer(now),
        "acknowledged within a round trip"
    );
}

#[test]
fn a_tag_moving_offer_waits_half_a_second_at_most_for_acknowledgements() {
    let mut net = Net::new();
    let chat = chat_over_audio(&mut net);
    net.run_for(Duration::from_millis(100));
    net.down = true;
    net.send(Side::A, chat.0, "lost for now".into());
    net::stop_audio_tag(&mut net, Side::A);
    net.set_local_offer(Side::A).expect("the offer");
    let set_at = net.now;
    net.run_until(Duration::from_secs(2), |n| n.a.may_announce_offer(n.now));
    let waited = net.now - set_at;
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_millis(600),
        "waited {waited:?}: the connection wakes for the deadline itself"
    );
}

#[test]
fn an_offer_that_keeps_the_tag_goes_at_once() {
    let mut net = Net::new();
    let chat = chat_over_audio(&mut net);
    net.run_for(Duration::from_millis(100));
    net.send(Side::A, chat.0, "in flight".into());
    net.session(Side::A, |s| {
        s.add_transceiver(TrackKind::Video, TransceiverInit::default())
    })
    .expect("a video transceiver");
    net.set_local_offer(Side::A).expect("the offer");
    let now = net.now;
    assert!(net.a.may_announce_offer(now));
}

#[test]
fn the_association_outlives_its_last_transport_while_a_tag_moving_offer_is_pending() {
    // A offers the tag move; B, the Firefox-like side, replaces its transport. The old path
    // dies while the offer is pending (Firefox closes the old transport as soon as it applies
    // such an offer; here both old transports fail their ICE consent, the same loss of the
    // last transport). The answer brings the replacement, which takes the association over.
    let mut b = config();
    b.tag_move = TagMovePolicy::NewTransport;
    let mut net = Net::with(config(), b);
    let chat = chat_over_audio(&mut net);
    exchange(&mut net, chat, 0, 10);
    net.run_for(Duration::from_millis(100));
    net::stop_audio_tag(&mut net, Side::A);
    let offer = net.set_local_offer(Side::A).expect("the offer");
    net.set_remote(Side::B, SdpType::Offer, &offer)
        .expect("B applies the offer");
    net.down = true;
    net.run_for(Duration::from_secs(40));
    for side in [Side::A, Side::B] {
        assert!(
            net.count(side, |e| matches!(e, Event::TransportFailed { .. })) > 0,
            "{side:?}: the old transport failed"
        );
    }
    net.down = false;
    let answer = net.set_local_answer(Side::B).expect("the answer");
    net.set_remote(Side::A, SdpType::Answer, &answer)
        .expect("A applies the answer");
    net::trickle_new_candidates(&mut net);
    exchange(&mut net, chat, 10, 10);
    // After a 40 s outage SCTP waits for its backed-off retransmission timer (up to 60 s).
    all_arrive_within(&mut net, chat, 20, Duration::from_secs(120));
    for side in [Side::A, Side::B] {
        assert_eq!(
            net.count(side, |e| matches!(
                e,
                Event::SctpLost { .. } | Event::DataChannelClosed { .. }
            )),
            0,
            "{side:?}: {:?}",
            net.events(side)
        );
    }
}
