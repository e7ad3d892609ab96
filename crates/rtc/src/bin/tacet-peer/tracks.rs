//! The tracks this peer knows: the ones it sends (a writer each) and the ones it receives
//! (frames counted and checked), and their per-second reports.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tacet_rtc::Stats;
use tacet_session::TransceiverId;
use tacet_track::{EndCause, EndReason, TrackKind};

use crate::synth::{self, Written};

/// A track we send.
#[derive(Debug)]
pub(crate) struct Sent {
    pub(crate) transceiver: TransceiverId,
    pub(crate) kind: TrackKind,
    pub(crate) mid: Option<String>,
    pub(crate) written: Arc<Written>,
    /// Why its writer ended (the sender stopped, the connection went).
    pub(crate) ended: Option<String>,
    last: Counts,
}

/// A track we receive.
#[derive(Debug)]
pub(crate) struct Got {
    pub(crate) transceiver: TransceiverId,
    pub(crate) kind: TrackKind,
    pub(crate) mid: Option<String>,
    /// Whole frames received (ours or another stack's).
    pub(crate) frames: u64,
    /// Of those, frames that are not a synthetic frame of ours (another format, altered).
    pub(crate) bad_frames: u64,
    /// Frames whose number was not the next one (a skipped or repeated frame).
    pub(crate) out_of_sequence: u64,
    next: Option<u64>,
    pub(crate) ended: Option<EndReason>,
    last: Counts,
}

/// Counts at the last report.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    frames: u64,
    packets: u64,
}

/// Every track of the peer.
#[derive(Debug, Default)]
pub(crate) struct Tracks {
    pub(crate) sent: Vec<Sent>,
    pub(crate) got: Vec<Got>,
}

impl Tracks {
    pub(crate) fn add_sent(
        &mut self,
        transceiver: TransceiverId,
        kind: TrackKind,
        mid: Option<String>,
        written: Arc<Written>,
    ) {
        self.sent.push(Sent {
            transceiver,
            kind,
            mid,
            written,
            ended: None,
            last: Counts::default(),
        });
    }

    /// A receiver track (`track` event); a transceiver's new track replaces its old entry.
    pub(crate) fn add_got(
        &mut self,
        transceiver: TransceiverId,
        kind: TrackKind,
        mid: Option<String>,
    ) {
        self.got.retain(|g| g.transceiver != transceiver);
        self.got.push(Got {
            transceiver,
            kind,
            mid,
            frames: 0,
            bad_frames: 0,
            out_of_sequence: 0,
            next: None,
            ended: None,
            last: Counts::default(),
        });
    }

    /// A frame arrived on `transceiver`'s receiver. Every whole frame counts (another stack's
    /// Opus or VP8 too: the interop suite counts aiortc's frames per second); one that is not
    /// a synthetic frame of ours is also a bad frame.
    pub(crate) fn on_frame(&mut self, transceiver: TransceiverId, data: &[u8]) {
        let Some(got) = self.got.iter_mut().find(|g| g.transceiver == transceiver) else {
            return;
        };
        got.frames += 1;
        match synth::check(got.kind, data) {
            Some(number) => {
                if got.next.is_some_and(|next| next != number) {
                    got.out_of_sequence += 1;
                }
                got.next = Some(number + 1);
            }
            None => got.bad_frames += 1,
        }
    }

    /// A writer ended: why.
    pub(crate) fn sending_ended(
        &mut self,
        transceiver: TransceiverId,
        why: String,
    ) -> Option<Value> {
        let sent = self
            .sent
            .iter_mut()
            .find(|s| s.transceiver == transceiver)?;
        sent.ended = Some(why.clone());
        Some(json!({
            "kind": sent.kind.as_str(),
            "mid": sent.mid,
            "why": why,
            "frames_total": sent.written.frames.load(Ordering::Relaxed),
        }))
    }

    /// The receiver track ended; the fields of its `track_ended` event.
    pub(crate) fn got_ended(&mut self, transceiver: TransceiverId, reason: EndReason) -> Value {
        let (kind, mid, frames) = match self.got.iter_mut().find(|g| g.transceiver == transceiver) {
            Some(got) => {
                got.ended = Some(reason);
                (Some(got.kind.as_str()), got.mid.clone(), got.frames)
            }
            None => (None, None, 0),
        };
        json!({
            "kind": kind,
            "mid": mid,
            "reason": reason.to_string(),
            "cause": cause(reason),
            "frames_total": frames,
        })
    }

    /// The `media` events of one report: per live track (every track when `last`), the frames
    /// and RTP packets since the previous report and in all.
    pub(crate) fn report(&mut self, stats: &Stats, last: bool) -> Vec<Value> {
        let mut reports = Vec::new();
        let packets = |t: &TransceiverId, sent: bool| {
            stats.tracks.get(t).map_or(0, |s| {
                if sent {
                    s.packets_sent
                } else {
                    s.packets_received
                }
            })
        };
        for sent in self.sent.iter_mut().filter(|s| last || s.ended.is_none()) {
            let now = Counts {
                frames: sent.written.frames.load(Ordering::Relaxed),
                packets: packets(&sent.transceiver, true),
            };
            let mut fields = counts("sent", sent.kind, &sent.mid, now, sent.last);
            fields["refused_total"] = json!(sent.written.refused.load(Ordering::Relaxed));
            fields["ended"] = json!(sent.ended.is_some());
            fields["final"] = json!(last);
            reports.push(fields);
            sent.last = now;
        }
        for got in self.got.iter_mut().filter(|g| last || g.ended.is_none()) {
            let now = Counts {
                frames: got.frames,
                packets: packets(&got.transceiver, false),
            };
            let mut fields = counts("received", got.kind, &got.mid, now, got.last);
            fields["bad_frames"] = json!(got.bad_frames);
            fields["out_of_sequence"] = json!(got.out_of_sequence);
            fields["ended"] = json!(got.ended.is_some());
            fields["final"] = json!(last);
            reports.push(fields);
            got.last = now;
        }
        reports
    }

    /// What we know of a transceiver's track: kind and mid.
    pub(crate) fn describe(
        &self,
        transceiver: TransceiverId,
    ) -> Option<(TrackKind, Option<String>)> {
        self.got
            .iter()
            .find(|g| g.transceiver == transceiver)
            .map(|g| (g.kind, g.mid.clone()))
            .or_else(|| {
                self.sent
                    .iter()
                    .find(|s| s.transceiver == transceiver)
                    .map(|s| (s.kind, s.mid.clone()))
            })
    }
}

/// The fields every `media` event has: the track, its counts since the last report and in all.
fn counts(
    direction: &str,
    kind: TrackKind,
    mid: &Option<String>,
    now: Counts,
    last: Counts,
) -> Value {
    json!({
        "direction": direction,
        "kind": kind.as_str(),
        "mid": mid,
        "frames": now.frames - last.frames,
        "packets": now.packets.saturating_sub(last.packets),
        "frames_total": now.frames,
        "packets_total": now.packets,
    })
}

/// A machine-readable word for an end reason.
pub(crate) fn cause(reason: EndReason) -> &'static str {
    match reason {
        EndReason::StopCalled => "stop-called",
        EndReason::Ended(EndCause::SourceEnded) => "source-ended",
        EndReason::Ended(EndCause::RemoteRejected) => "remote-rejected",
        EndReason::Ended(EndCause::TransceiverStopped) => "transceiver-stopped",
        EndReason::Ended(EndCause::PeerConnectionClosed) => "peer-connection-closed",
        EndReason::Ended(EndCause::RollbackRemoved) => "rollback-removed",
        EndReason::Ended(EndCause::LocallyRejected) => "locally-rejected",
        EndReason::Ended(_) => "other",
    }
}
