//! The tokio shell: one task per connection owns its UDP sockets and runs the pure step.
//!
//! Each turn of the task's loop drains the connection (datagrams out with `send_to`, events to
//! the application; a transport that needs an address gets a socket bound on the shell's IP),
//! then waits for exactly one of: a datagram from one of its sockets, the connection's
//! deadline, or a request of the application — and feeds it to the connection with the
//! current time. The shell decides nothing; everything it does is the connection's output.

use std::future::pending;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use tacet_session::Session;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant as TokioInstant, sleep_until};

use crate::connection::{Command, Connection, Event, Input};
use crate::data::{ChannelId, Message};
use crate::error::Error;

/// The largest datagram read from a socket (UDP's maximum payload on IPv4).
const RECEIVE_BUFFER: usize = 65_507;
/// Datagrams waiting between the socket readers and the connection task.
const DATAGRAM_QUEUE: usize = 1024;

type SessionCall = Box<dyn FnOnce(&mut Session) + Send>;

enum Request {
    Session(SessionCall),
    CreateDataChannel(String, oneshot::Sender<Result<ChannelId, Error>>),
    Command(Command, oneshot::Sender<Result<(), Error>>),
}

/// The application's side of a connection running in its own task.
#[derive(Debug)]
pub struct Handle {
    requests: mpsc::Sender<Request>,
    events: mpsc::UnboundedReceiver<Event>,
    task: JoinHandle<()>,
}

/// Starts `connection` in a tokio task; its transports get sockets bound on `ip` (an OS-chosen
/// port each). Must be called inside a tokio runtime.
pub fn spawn(connection: Connection, ip: IpAddr) -> Handle {
    let (requests, requests_rx) = mpsc::channel(64);
    let (events_tx, events) = mpsc::unbounded_channel();
    let task = tokio::spawn(run(connection, ip, requests_rx, events_tx));
    Handle {
        requests,
        events,
        task,
    }
}

impl Handle {
    /// Runs `call` on the session inside the task (offer/answer, transceivers, `close()`); the
    /// effects it queued are carried out before the next request is taken.
    pub async fn with_session<R: Send + 'static>(
        &self,
        call: impl FnOnce(&mut Session) -> R + Send + 'static,
    ) -> Result<R, Error> {
        let (reply, result) = oneshot::channel();
        let call: SessionCall = Box::new(move |session| {
            let _ = reply.send(call(session));
        });
        self.request(Request::Session(call)).await?;
        result.await.map_err(|_| Error::ShellGone)
    }

    /// `createDataChannel(label)`.
    pub async fn create_data_channel(&self, label: &str) -> Result<ChannelId, Error> {
        let (reply, result) = oneshot::channel();
        self.request(Request::CreateDataChannel(label.to_owned(), reply))
            .await?;
        result.await.map_err(|_| Error::ShellGone)?
    }

    /// `RTCDataChannel.send(message)`.
    pub async fn send(&self, channel: ChannelId, message: Message) -> Result<(), Error> {
        let (reply, result) = oneshot::channel();
        let command = Command::Send { channel, message };
        self.request(Request::Command(command, reply)).await?;
        result.await.map_err(|_| Error::ShellGone)?
    }

    /// The next event; `None` once the task has ended.
    pub async fn next_event(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    async fn request(&self, request: Request) -> Result<(), Error> {
        self.requests
            .send(request)
            .await
            .map_err(|_| Error::ShellGone)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // The task owns the sockets; without its handle nobody can reach it.
        self.task.abort();
    }
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

async fn run(
    mut connection: Connection,
    ip: IpAddr,
    mut requests: mpsc::Receiver<Request>,
    events: mpsc::UnboundedSender<Event>,
) {
    let (datagrams_tx, mut datagrams) = mpsc::channel::<Datagram>(DATAGRAM_QUEUE);
    let mut sockets: Vec<Socket> = Vec::new();
    loop {
        drain(&mut connection, ip, &mut sockets, &datagrams_tx, &events).await;
        let deadline = connection.poll_timeout();
        let timer = async {
            match deadline {
                Some(at) => sleep_until(TokioInstant::from_std(at)).await,
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
            request = requests.recv() => match request {
                // Every handle is gone: the connection ends with the task.
                None => return,
                Some(Request::Session(call)) => connection.with_session(now(), call),
                Some(Request::CreateDataChannel(label, reply)) => {
                    let _ = reply.send(connection.create_data_channel(now(), &label));
                }
                Some(Request::Command(command, reply)) => {
                    let _ = reply.send(connection.handle_input(now(), Input::Command(command)));
                }
            },
        }
    }
}

/// Sends every datagram the connection has, hands every event to the application, and binds a
/// socket for each transport that asks for an address.
async fn drain(
    connection: &mut Connection,
    ip: IpAddr,
    sockets: &mut Vec<Socket>,
    datagrams: &mpsc::Sender<Datagram>,
    events: &mpsc::UnboundedSender<Event>,
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
            let _ = events.send(event);
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
fn now() -> std::time::Instant {
    TokioInstant::now().into_std()
}
