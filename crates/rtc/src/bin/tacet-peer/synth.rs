//! Synthetic media: frames a receiver can count and verify, written through
//! [`TrackSender::write_frame`] at the codec's pace (Opus every 20 ms, VP8 every 33 ms).
//!
//! A frame is `TCT1`, the kind (`a` or `v`), the frame number (8 bytes, big-endian), then
//! filler: the number's low byte repeated up to the frame's size (60 bytes for audio, an Opus
//! frame's order of size; 2,500 for video, so each VP8 frame spans three RTP packets and a
//! receiver sees reassembly work). Anything else arriving on a track is a bad frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use tacet_rtc::{Error, TrackSender};
use tacet_track::TrackKind;
use tokio::task::JoinHandle;
use tokio::time::{MissedTickBehavior, interval};

const MAGIC: &[u8; 4] = b"TCT1";
const HEADER: usize = MAGIC.len() + 1 + 8;

/// The pace of a kind's frames.
pub(crate) fn frame_duration(kind: TrackKind) -> Duration {
    match kind {
        TrackKind::Audio => Duration::from_millis(20),
        TrackKind::Video => Duration::from_millis(33),
    }
}

fn size(kind: TrackKind) -> usize {
    match kind {
        TrackKind::Audio => 60,
        TrackKind::Video => 2_500,
    }
}

fn tag(kind: TrackKind) -> u8 {
    match kind {
        TrackKind::Audio => b'a',
        TrackKind::Video => b'v',
    }
}

/// Frame `number` of a `kind` track.
pub(crate) fn frame(kind: TrackKind, number: u64) -> Bytes {
    let mut frame = BytesMut::with_capacity(size(kind));
    frame.put_slice(MAGIC);
    frame.put_u8(tag(kind));
    frame.put_u64(number);
    frame.resize(size(kind), number.to_be_bytes()[7]);
    frame.freeze()
}

/// The frame's number if it is a whole, unaltered frame of a `kind` track.
pub(crate) fn check(kind: TrackKind, data: &[u8]) -> Option<u64> {
    if data.len() != size(kind) || !data.starts_with(MAGIC) || data[MAGIC.len()] != tag(kind) {
        return None;
    }
    let number = u64::from_be_bytes(data[MAGIC.len() + 1..HEADER].try_into().ok()?);
    let filler = number.to_be_bytes()[7];
    data[HEADER..]
        .iter()
        .all(|b| *b == filler)
        .then_some(number)
}

/// What a writer has done so far.
#[derive(Debug, Default)]
pub(crate) struct Written {
    /// Frames the connection took.
    pub(crate) frames: AtomicU64,
    /// Writes refused while the sender could not send yet (not negotiated, transport not
    /// connected); the writer goes on.
    pub(crate) refused: AtomicU64,
}

/// Writes frames on `sender` at the kind's pace until the sender is stopped (its typed
/// refusal, [`Error::SenderStopped`]) or the connection is gone; returns the error that ended
/// it.
pub(crate) fn write(
    sender: TrackSender,
    kind: TrackKind,
    written: Arc<Written>,
) -> JoinHandle<Error> {
    tokio::spawn(async move {
        let every = frame_duration(kind);
        let mut ticks = interval(every);
        // A late tick is a late frame, not a burst of them.
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut number = 0;
        loop {
            ticks.tick().await;
            match sender.write_frame(frame(kind, number), every).await {
                Ok(()) => {
                    number += 1;
                    written.frames.fetch_add(1, Ordering::Relaxed);
                }
                Err(
                    Error::NotNegotiated(_)
                    | Error::NotSending { .. }
                    | Error::MediaTransportNotConnected { .. },
                ) => {
                    written.refused.fetch_add(1, Ordering::Relaxed);
                }
                Err(end) => return end,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_check_by_kind_number_and_content() {
        for kind in [TrackKind::Audio, TrackKind::Video] {
            for number in [0, 1, 255, 256, u64::MAX] {
                assert_eq!(check(kind, &frame(kind, number)), Some(number));
            }
        }
        assert_eq!(check(TrackKind::Video, &frame(TrackKind::Audio, 1)), None);
        let mut altered = frame(TrackKind::Video, 7).to_vec();
        altered[2_000] ^= 1;
        assert_eq!(check(TrackKind::Video, &altered), None);
        let short = frame(TrackKind::Video, 7);
        assert_eq!(check(TrackKind::Video, &short[..1_200]), None);
        assert_eq!(check(TrackKind::Audio, b"TCT"), None);
    }
}
