//! Data channels beyond the first: `RTCDataChannelInit` options carried in DATA_CHANNEL_OPEN,
//! `close()` by stream reset on both sides while another channel keeps delivering, and the
//! per-channel counters of `getStats()`. In memory, virtual time.

mod net;

use std::time::Duration;

use net::{Net, Side, all_arrive, exchange, open_chat};
use tacet_rtc::{ChannelOptions, Command, Error, Event, Input, Message};

fn closed(net: &Net, side: Side) -> Vec<tacet_rtc::ChannelId> {
    net.events(side)
        .iter()
        .filter_map(|e| match e {
            Event::DataChannelClosed { channel } => Some(*channel),
            _ => None,
        })
        .collect()
}

#[test]
fn closing_a_channel_resets_its_stream_and_closes_it_on_both_sides_only() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    let now = net.now;
    let options = ChannelOptions {
        unordered: true,
        max_retransmits: Some(3),
        protocol: "telemetry".into(),
        ..ChannelOptions::default()
    };
    let telemetry = net
        .a
        .create_data_channel_with(now, "telemetry", options.clone())
        .expect("a second channel");
    net.collect();
    let opened = net.run_until(Duration::from_secs(5), |n| {
        n.open_channel(Side::A, "telemetry").is_some()
            && n.open_channel(Side::B, "telemetry").is_some()
    });
    assert!(
        opened,
        "the second channel opens on the association that is up"
    );
    let remote_telemetry = net.open_channel(Side::B, "telemetry").expect("open at B");
    // The peer's channel has what A asked for (DATA_CHANNEL_OPEN, RFC 8832 §5.1).
    assert_eq!(net.b.channel_options(remote_telemetry), Some(&options));
    net.send(Side::A, telemetry, "t0".into());
    net.run_for(Duration::from_millis(100));
    assert_eq!(
        net.received(Side::B, remote_telemetry),
        vec!["t0".to_owned()]
    );

    // A closes it (RFC 8831 §6.7): both sides see it closed; the chat is untouched.
    exchange(&mut net, chat, 0, 20);
    let now = net.now;
    net.a
        .handle_input(
            now,
            Input::Command(Command::CloseChannel { channel: telemetry }),
        )
        .expect("close()");
    net.collect();
    exchange(&mut net, chat, 20, 20);
    net.run_for(Duration::from_secs(1));
    assert_eq!(closed(&net, Side::A), vec![telemetry], "{:?}", net.a_events);
    assert_eq!(closed(&net, Side::B), vec![remote_telemetry]);
    assert!(
        !net.a_events
            .iter()
            .chain(&net.b_events)
            .any(|e| matches!(e, Event::SctpLost { .. })),
        "a stream reset is not the association's end"
    );
    let now = net.now;
    let refused = net.a.handle_input(
        now,
        Input::Command(Command::Send {
            channel: telemetry,
            message: Message::Text("late".into()),
        }),
    );
    assert_eq!(refused, Err(Error::ChannelNotOpen(telemetry)));
    // close() again does nothing (webrtc-pc close() step 2).
    let again = net.a.handle_input(
        now,
        Input::Command(Command::CloseChannel { channel: telemetry }),
    );
    assert_eq!(again, Ok(()));
    exchange(&mut net, chat, 40, 20);
    all_arrive(&mut net, chat, 60);

    // Counters: A sent 60 chat messages of 2-3 bytes and one telemetry message.
    let stats = net.a.stats().channels;
    let chat_stats = stats.get(&chat.0).expect("chat");
    assert_eq!(chat_stats.messages_sent, 60);
    assert_eq!(chat_stats.messages_received, 60);
    let bytes: u64 = (0..60).map(|i| format!("a{i}").len() as u64).sum();
    assert_eq!(chat_stats.bytes_sent, bytes);
    let telemetry_stats = stats.get(&telemetry).expect("telemetry");
    assert_eq!(
        (telemetry_stats.messages_sent, telemetry_stats.bytes_sent),
        (1, 2)
    );
}

#[test]
fn both_reliability_limits_are_a_type_error_and_change_nothing() {
    let mut net = Net::new();
    let now = net.now;
    let options = ChannelOptions {
        max_retransmits: Some(1),
        max_packet_life_time: Some(100),
        ..ChannelOptions::default()
    };
    let refused = net.a.create_data_channel_with(now, "both", options);
    assert_eq!(refused, Err(Error::BothReliabilityLimits));
    assert!(net.a.session().data_channels().is_empty());
    assert!(!net.a.session().is_negotiation_needed());
}

#[test]
fn close_ends_the_channels_silently_here_and_with_a_close_event_at_the_peer() {
    let mut net = Net::new();
    let chat = open_chat(&mut net);
    exchange(&mut net, chat, 0, 10);
    all_arrive(&mut net, chat, 10);
    let now = net.now;
    net.a.with_session(now, |s| s.close());
    net.collect();
    net.run_for(Duration::from_secs(2));
    // webrtc-pc close(): this side's channels are closed abruptly, no event; sending is refused.
    assert_eq!(closed(&net, Side::A), vec![]);
    let now = net.now;
    let late = net.a.handle_input(
        now,
        Input::Command(Command::Send {
            channel: chat.0,
            message: Message::Text("late".into()),
        }),
    );
    assert_eq!(late, Err(Error::ChannelNotOpen(chat.0)));
    // The peer's association ends with the ABORT: its channel closes, the loss is reported.
    assert_eq!(closed(&net, Side::B), vec![chat.1], "{:?}", net.b_events);
    assert!(
        net.b_events
            .iter()
            .any(|e| matches!(e, Event::SctpLost { .. }))
    );
}
