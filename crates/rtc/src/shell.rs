//! The tokio shell: one task per connection owns its UDP sockets and runs the pure step.
//!
//! Each turn of the task's loop drains the connection (datagrams out with `send_to`, events to
//! the application; a transport that needs an address gets a socket bound on the shell's IP),
//! then waits for exactly one of: a datagram from one of its sockets, the connection's
//! deadline, a request of the application, or (with a signaling hook) the peer's next
//! message — and feeds it to the connection with the current time. The shell decides nothing;
//! everything it does is the connection's or the negotiator's output.

use std::future::pending;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant as TokioInstant, sleep_until};

use crate::connection::{Command, Connection, Event, Input};
use crate::error::Error;
use crate::negotiator::Negotiator;
use crate::signaling::{SignalMessage, Signaling, SignalingError};
use crate::tracks::{Outlet, TrackReceiver};
use tacet_session::TransceiverId;

/// The largest datagram read from a socket (UDP's maximum payload on IPv4).
const RECEIVE_BUFFER: usize = 65_507;
/// Datagrams waiting between the socket readers and the connection task.
const DATAGRAM_QUEUE: usize = 1024;

/// A call run on the connection inside the task; it sends its own reply.
pub(crate) type Call = Box<dyn FnOnce(&mut Connection, Instant) + Send>;

/// What the application's side asks the task for.
pub(crate) enum Request {
    /// Run a call. `change`: the application changed something (a hold on automatic offers
    /// after a refusal is released, docs in `negotiator.rs`).
    Call { call: Call, change: bool },
    /// A receiver for a transceiver's media (tracks.rs).
    Receive(TransceiverId, oneshot::Sender<TrackReceiver>),
    /// Reply once every change asked for so far is negotiated (at once without a hook), or
    /// with the failure that ended the negotiation.
    Settle(oneshot::Sender<Result<(), Error>>),
}

/// The signaling side of a task with a hook.
pub(crate) struct Negotiation<S> {
    pub(crate) negotiator: Negotiator,
    pub(crate) signaling: S,
}

/// Callers waiting for their change to be negotiated.
#[derive(Default)]
struct Waiters {
    waiting: Vec<oneshot::Sender<Result<(), Error>>>,
    /// The failure that ended the last negotiation, for callers that ask after it happened;
    /// cleared by the next change.
    last_failure: Option<Error>,
}

impl Waiters {
    fn fail(&mut self, error: &Error) {
        for waiter in self.waiting.drain(..) {
            let _ = waiter.send(Err(error.clone()));
        }
        self.last_failure = Some(error.clone());
    }

    fn succeed(&mut self) {
        for waiter in self.waiting.drain(..) {
            let _ = waiter.send(Ok(()));
        }
    }
}

/// The task: one connection, its sockets bound on `ip`, and (with a hook) its negotiation.
pub(crate) async fn run<S: Signaling>(
    mut connection: Connection,
    ip: IpAddr,
    mut requests: mpsc::Receiver<Request>,
    events: mpsc::UnboundedSender<Event>,
    mut negotiation: Option<Negotiation<S>>,
) {
    let (datagrams_tx, mut datagrams) = mpsc::channel::<Datagram>(DATAGRAM_QUEUE);
    let mut sockets: Vec<Socket> = Vec::new();
    let mut waiters = Waiters::default();
    let mut outlet = Outlet::new(events);
    loop {
        drain(
            &mut connection,
            ip,
            &mut sockets,
            &datagrams_tx,
            &mut outlet,
        )
        .await;
        if let Some(n) = &mut negotiation {
            if let Err(error) = negotiate(
                &mut connection,
                ip,
                &mut sockets,
                &datagrams_tx,
                &mut outlet,
                n,
            )
            .await
            {
                // The channel is gone: no more automatic negotiation.
                waiters.fail(&Error::Signaling(error));
                negotiation = None;
            } else {
                for failure in n.negotiator.take_failures() {
                    waiters.fail(&failure);
                }
                if Negotiator::settled(&connection) {
                    waiters.succeed();
                }
            }
        }
        let deadline = connection.poll_timeout();
        let timer = async {
            match deadline {
                Some(at) => sleep_until(TokioInstant::from_std(at)).await,
                None => pending().await,
            }
        };
        let signal = async {
            match &mut negotiation {
                Some(n) => n.signaling.recv().await,
                None => pending().await,
            }
        };
        tokio::select! {
            Some((local, remote, data)) = datagrams.recv() => {
                let input = Input::Datagram { local, remote, data };
                // A datagram never fails the step.
                let _ = connection.handle_input(now(), input);
            }
            () = timer => {
                let _ = connection.handle_input(now(), Input::Timeout);
            }
            message = signal => on_signal(&mut connection, &mut negotiation, &mut waiters, message),
            request = requests.recv() => match request {
                // Every handle is gone: the connection ends with the task.
                None => return,
                Some(Request::Call { call, change }) => {
                    if change {
                        waiters.last_failure = None;
                        if let Some(n) = &mut negotiation {
                            n.negotiator.release();
                        }
                    }
                    call(&mut connection, now());
                }
                Some(Request::Receive(transceiver, reply)) => {
                    let _ = reply.send(outlet.route(transceiver));
                }
                Some(Request::Settle(reply)) => match (&negotiation, &waiters.last_failure) {
                    (_, Some(failure)) if !Negotiator::settled(&connection) => {
                        let _ = reply.send(Err(failure.clone()));
                    }
                    (Some(_), _) if !Negotiator::settled(&connection) => waiters.waiting.push(reply),
                    _ => {
                        let _ = reply.send(Ok(()));
                    }
                },
            },
        }
    }
}

fn on_signal<S>(
    connection: &mut Connection,
    negotiation: &mut Option<Negotiation<S>>,
    waiters: &mut Waiters,
    message: Option<SignalMessage>,
) {
    let Some(n) = negotiation else { return };
    match message {
        Some(message) => n.negotiator.on_message(connection, now(), message),
        None => {
            waiters.fail(&Error::Signaling(SignalingError::Closed));
            *negotiation = None;
        }
    }
}

/// One turn of perfect negotiation, after a drain: send what is queued (an answer set since the
/// last turn goes out first, its sockets bound by that drain), offer if needed, bind the
/// sockets the offer's transports ask for, then send the offer. Each description is read from
/// the session just before it is sent, so it carries its candidates — and must be sent before
/// the next one is set.
async fn negotiate<S: Signaling>(
    connection: &mut Connection,
    ip: IpAddr,
    sockets: &mut Vec<Socket>,
    datagrams: &mpsc::Sender<Datagram>,
    outlet: &mut Outlet,
    n: &mut Negotiation<S>,
) -> Result<(), SignalingError> {
    while let Some(message) = n.negotiator.poll_message(connection, now()) {
        n.signaling.send(message).await?;
    }
    n.negotiator.offer_if_needed(connection, now());
    drain(connection, ip, sockets, datagrams, outlet).await;
    while let Some(message) = n.negotiator.poll_message(connection, now()) {
        n.signaling.send(message).await?;
    }
    Ok(())
}

/// One bound socket and the task reading it.
struct Socket {
    local: SocketAddr,
    socket: Arc<UdpSocket>,
    reader: JoinHandle<()>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

type Datagram = (SocketAddr, SocketAddr, Bytes);

/// Sends every datagram the connection has, hands every event to the application, and binds a
/// socket for each transport that asks for an address.
async fn drain(
    connection: &mut Connection,
    ip: IpAddr,
    sockets: &mut Vec<Socket>,
    datagrams: &mpsc::Sender<Datagram>,
    outlet: &mut Outlet,
) {
    loop {
        let mut moved = false;
        while let Some(transmit) = connection.poll_transmit() {
            moved = true;
            if let Some(socket) = sockets.iter().find(|s| s.local == transmit.local) {
                // UDP is lossy anyway: a failed send is a lost datagram the machines recover.
                let _ = socket.socket.send_to(&transmit.data, transmit.remote).await;
            }
        }
        while let Some(event) = connection.poll_event() {
            moved = true;
            // Without a socket there is no candidate: the transport stays without an address
            // and ICE never starts on it; the application still sees the event.
            if let Event::AddressNeeded { transport } = &event
                && let Ok(socket) = bind(ip, datagrams.clone()).await
            {
                let command = Command::SetLocalAddress {
                    transport: *transport,
                    addr: socket.local,
                };
                sockets.push(socket);
                let _ = connection.handle_input(now(), Input::Command(command));
            }
            outlet.deliver(event);
        }
        if !moved {
            return;
        }
    }
}

async fn bind(ip: IpAddr, datagrams: mpsc::Sender<Datagram>) -> std::io::Result<Socket> {
    let socket = Arc::new(UdpSocket::bind(SocketAddr::new(ip, 0)).await?);
    let local = socket.local_addr()?;
    let reading = Arc::clone(&socket);
    let reader = tokio::spawn(async move {
        let mut buffer = vec![0u8; RECEIVE_BUFFER];
        loop {
            let Ok((len, remote)) = reading.recv_from(&mut buffer).await else {
                // A receive error (an ICMP report on some systems) is not fatal for UDP: let
                // the other tasks run, then read on.
                tokio::task::yield_now().await;
                continue;
            };
            let data = Bytes::copy_from_slice(&buffer[..len]);
            if datagrams.send((local, remote, data)).await.is_err() {
                return;
            }
        }
    });
    Ok(Socket {
        local,
        socket,
        reader,
    })
}

/// The shell's clock: the one place tacet-rtc reads the time; the pure step is told it.
fn now() -> Instant {
    TokioInstant::now().into_std()
}
