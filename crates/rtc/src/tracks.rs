//! The application's ends of a media track on a [`PeerConnection`](crate::PeerConnection): a
//! [`TrackSender`] it writes encoded frames or RTP payloads to, and a [`TrackReceiver`] that
//! yields what the peer sends on a transceiver — RTP packets, the frames they assemble into, and
//! the end of the track.

use std::time::Duration;

use bytes::Bytes;
use tacet_session::TransceiverId;
use tacet_track::EndReason;
use tokio::sync::{mpsc, oneshot};

use crate::connection::Event;
use crate::error::Error;
use crate::frames::Frame;
use crate::media::{MediaPayload, RtpPacket};
use crate::shell::{Call, Request};

/// Writes media on one transceiver's sender. Cheap to clone; every write is a request to the
/// connection's task, refused with a typed error when the sender may not send (stopped, not
/// negotiated, not sending, transport not connected — [`Error`]), never dropped silently.
#[derive(Clone, Debug)]
pub struct TrackSender {
    transceiver: TransceiverId,
    requests: mpsc::Sender<Request>,
}

impl TrackSender {
    pub(crate) fn new(transceiver: TransceiverId, requests: mpsc::Sender<Request>) -> Self {
        Self {
            transceiver,
            requests,
        }
    }

    /// The transceiver it writes to.
    pub fn transceiver(&self) -> TransceiverId {
        self.transceiver
    }

    /// One encoded frame (Opus, VP8) lasting `duration`: packetized, timestamped, protected
    /// and sent (`Connection::write_frame`).
    pub async fn write_frame(&self, frame: Bytes, duration: Duration) -> Result<(), Error> {
        let transceiver = self.transceiver;
        self.call(move |connection, now| connection.write_frame(now, transceiver, frame, duration))
            .await
    }

    /// One ready RTP payload with its timestamp and marker (`Connection::write_rtp`).
    pub async fn write_rtp(&self, media: MediaPayload) -> Result<(), Error> {
        let transceiver = self.transceiver;
        self.call(move |connection, now| connection.write_rtp(now, transceiver, media))
            .await
    }

    async fn call(
        &self,
        write: impl FnOnce(&mut crate::Connection, std::time::Instant) -> Result<(), Error>
        + Send
        + 'static,
    ) -> Result<(), Error> {
        let (reply, result) = oneshot::channel();
        let call: Call = Box::new(move |connection, now| {
            let _ = reply.send(write(connection, now));
        });
        let request = Request::Call {
            call,
            change: false,
        };
        self.requests
            .send(request)
            .await
            .map_err(|_| Error::ShellGone)?;
        result.await.map_err(|_| Error::ShellGone)?
    }
}

/// What a receiver yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Received {
    /// An RTP packet (unprotected, routed to this transceiver).
    Rtp(RtpPacket),
    /// A whole frame, after the packet that completed it (Opus, VP8).
    Frame(Frame),
    /// The track ended (webrtc-pc: the m-section was rejected, the transceiver stopped, the
    /// connection closed); nothing follows.
    Ended(EndReason),
}

/// What the peer sends on one transceiver. While it exists, the transceiver's
/// [`Event::Rtp`] and [`Event::Frame`] come here instead of `next_event()`.
#[derive(Debug)]
pub struct TrackReceiver {
    transceiver: TransceiverId,
    items: mpsc::UnboundedReceiver<Received>,
}

impl TrackReceiver {
    pub(crate) fn new(
        transceiver: TransceiverId,
        items: mpsc::UnboundedReceiver<Received>,
    ) -> Self {
        Self { transceiver, items }
    }

    /// The transceiver it receives from.
    pub fn transceiver(&self) -> TransceiverId {
        self.transceiver
    }

    /// The next packet, frame or the end; `None` after the end (or once the connection's task
    /// is gone).
    pub async fn recv(&mut self) -> Option<Received> {
        self.items.recv().await
    }

    /// The next item if one is waiting, without waiting.
    pub fn try_recv(&mut self) -> Option<Received> {
        self.items.try_recv().ok()
    }
}

/// Where the task's events go: a receiver's media to its [`TrackReceiver`], the rest to the
/// application's event stream.
#[derive(Debug)]
pub(crate) struct Outlet {
    events: mpsc::UnboundedSender<Event>,
    routes: Vec<(TransceiverId, mpsc::UnboundedSender<Received>)>,
}

impl Outlet {
    pub(crate) fn new(events: mpsc::UnboundedSender<Event>) -> Self {
        Self {
            events,
            routes: Vec::new(),
        }
    }

    /// A [`TrackReceiver`] for `transceiver` (a second one replaces the first).
    pub(crate) fn route(&mut self, transceiver: TransceiverId) -> TrackReceiver {
        let (tx, rx) = mpsc::unbounded_channel();
        self.routes.retain(|(t, _)| *t != transceiver);
        self.routes.push((transceiver, tx));
        TrackReceiver::new(transceiver, rx)
    }

    pub(crate) fn deliver(&mut self, event: Event) {
        let (transceiver, item) = match &event {
            Event::Rtp(packet) => (packet.transceiver, Received::Rtp(packet.clone())),
            Event::Frame(frame) => (frame.transceiver, Received::Frame(frame.clone())),
            Event::Session(tacet_session::Event::TrackEnded {
                transceiver,
                reason,
            }) => {
                // The end goes to the receiver (its last item) and to the application.
                if let Some(i) = self.routes.iter().position(|(t, _)| t == transceiver) {
                    let (_, route) = self.routes.swap_remove(i);
                    let _ = route.send(Received::Ended(*reason));
                }
                let _ = self.events.send(event);
                return;
            }
            _ => {
                let _ = self.events.send(event);
                return;
            }
        };
        match self.routes.iter().find(|(t, _)| *t == transceiver) {
            // A receiver dropped by the application takes nothing more: the events go back to
            // the stream.
            Some((_, route)) if route.send(item).is_ok() => {}
            _ => {
                let _ = self.events.send(event);
            }
        }
    }
}
