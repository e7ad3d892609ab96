//! Setting up over a lossy link: whatever single datagram of the DTLS or SCTP handshake the
//! link drops, both are retransmitted and the channel opens (docs/transport.md, "Handshakes
//! on a lossy link"). Each seed drops different datagrams; seeds 19, 36 and 37 at 1 % drop
//! the ones that once stalled: the DTLS client's last flight (rtc-dtls forgot its
//! retransmission timer when the server's retransmission arrived: flight.rs) and the SCTP
//! INIT ACK (rtc-sctp made a new association for the retransmitted INIT, which tacet dropped:
//! data.rs).

mod net;

use std::time::Duration;

use net::{Net, Side};

#[test]
fn the_channel_opens_over_a_one_percent_lossy_link_for_every_seed() {
    for seed in 1..=40 {
        let mut net = Net::new();
        net.faulty(seed, 1, 0, 0);
        let now = net.now;
        net.a.create_data_channel(now, "chat").expect("a channel");
        net.negotiate(Side::A).expect("offer/answer");
        let opened = net.run_until(Duration::from_secs(30), |n| {
            n.open_channel(Side::A, "chat").is_some() && n.open_channel(Side::B, "chat").is_some()
        });
        assert!(
            opened,
            "seed {seed}: A {:?}\nB {:?}",
            net.a_events, net.b_events
        );
        net.assert_nothing_failed();
    }
}
