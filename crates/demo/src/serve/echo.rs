//! The echo: what the page sends on a transceiver goes back on the same transceiver's sender,
//! packet by packet (payload, RTP timestamp and marker kept; tacet's own SSRC and sequence
//! numbers). Started before the answer that makes the transceiver `sendrecv` leaves, so the
//! browser's first packets — its encoder's first keyframe — are echoed: tacet-rtc does not
//! pass the browser's keyframe requests (RTCP PLI) on, so an echo that began mid-stream would
//! show nothing until the browser's next keyframe.

use tacet_rtc::{MediaPayload, Received, TrackReceiver, TrackSender};
use tacet_track::TrackKind;

use super::say;

/// Echoes `receiver` into `sender` until the track ends.
pub(crate) async fn run(mut receiver: TrackReceiver, sender: TrackSender, kind: TrackKind) {
    let (mut echoed, mut refused) = (0u64, 0u64);
    while let Some(item) = receiver.recv().await {
        match item {
            Received::Rtp(packet) => {
                let media = MediaPayload {
                    payload: packet.payload,
                    timestamp: packet.timestamp,
                    marker: packet.marker,
                };
                match sender.write_rtp(media).await {
                    Ok(()) => echoed += 1,
                    Err(error) => {
                        // Refused while the sender may not send (say its stop is being
                        // negotiated): counted, the first one told.
                        if refused == 0 {
                            say(&format!("echo {kind}: a packet was not echoed: {error}"));
                        }
                        refused += 1;
                    }
                }
            }
            Received::Frame(_) => {}
            Received::Ended(reason) => {
                say(&format!(
                    "echo {kind}: the page's track ended ({reason}); {echoed} packets echoed, \
                     {refused} refused"
                ));
                return;
            }
        }
    }
}
