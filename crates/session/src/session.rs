//! The session: its parts, the one mechanism that makes every call all-or-nothing, and the
//! W3C getters. What the calls do lives with the part they are about: transceivers
//! (`handle.rs`), offers (`offer.rs`), answers (`answer.rs`), descriptions (`apply.rs`), ICE
//! (`ice.rs`), data channels (`data.rs`).
//!
//! # Parts
//!
//! | part | owns | file |
//! |---|---|---|
//! | [`Transceivers`] | every transceiver, the SSRCs and mids ever used | `transceivers.rs` |
//! | [`Descriptions`] | current and pending descriptions, the last created offer and answer | `descriptions.rs` |
//! | [`Transports`] | each BUNDLE group's ICE+DTLS transport | `transport.rs` |
//! | [`DataChannels`] | the data channels (negotiation's view) | `data.rs` |
//! | [`IceCredentials`] | the local ICE ufrag and password, a pending restart | `ice.rs` |
//! | [`Registry`] | payload types and extension ids, stable for the session | `codecs/registry.rs` |
//! | [`Queues`] | events for the application, effects for the I/O layer | `queues.rs` |
//!
//! The session itself keeps what belongs to the connection as a whole: configuration,
//! randomness, signaling state, mode, the negotiation-needed flag and the local origin.
//!
//! # Failure atomicity
//!
//! Every public call that can fail runs inside [`Session::call`]: a checkpoint is taken first,
//! and an error puts it back, so a refused call changes nothing, not even the queues
//! (docs/decisions/0005). The checkpoint is cheap enough for the calls an application makes
//! once per transceiver: the transceiver set journals only the transceivers a call writes to,
//! the queues are cut back to their length, and the other parts are small or shared (`Arc`,
//! copied on write). A call made by another call runs under the outer checkpoint.

use std::sync::Arc;

use tacet_sdp::SessionDescription;

use crate::codecs::Registry;
use crate::config::SessionConfig;
use crate::data::{DataChannel, DataChannels};
use crate::descriptions::Descriptions;
use crate::error::Error;
use crate::event::{Effect, Event};
use crate::ice::IceCredentials;
use crate::mode::Mode;
use crate::queues::{QueueMark, Queues};
use crate::rng::Rng;
use crate::signaling::SignalingState;
use crate::transceivers::Transceivers;
use crate::transport::{TransportState, Transports};

/// A pure (sans-IO) peer connection core: offer/answer with exact stop semantics.
///
/// Every method changes the state immediately and queues what it fires; drain
/// [`poll_event`](Self::poll_event) (application events) and
/// [`poll_effect`](Self::poll_effect) (I/O instructions). A method that returns an error has
/// changed nothing at all — not even the queues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub(crate) config: SessionConfig,
    pub(crate) rng: Rng,
    pub(crate) signaling: SignalingState,
    pub(crate) mode: Mode,
    pub(crate) negotiation_needed: bool,
    /// The `o=` session id of every local description (RFC 9429 §5.2.1).
    pub(crate) session_id: u64,
    /// The `o=` version of the last local description set.
    pub(crate) version: u64,
    /// The RTCP CNAME of every local stream (RFC 7022: one per session).
    pub(crate) cname: String,
    pub(crate) transceivers: Transceivers,
    pub(crate) descriptions: Descriptions,
    /// Shared with the checkpoint of a running call; written through [`Arc::make_mut`].
    pub(crate) transports: Arc<Transports>,
    pub(crate) data: DataChannels,
    pub(crate) ice: IceCredentials,
    /// Shared like `transports`.
    pub(crate) registry: Arc<Registry>,
    pub(crate) queues: Queues,
    /// Inside a public call: nested calls run under its checkpoint.
    in_call: bool,
}

/// What a call may change outside the transceiver set and the queues, as it was when the call
/// started.
struct Checkpoint {
    rng: Rng,
    signaling: SignalingState,
    mode: Mode,
    negotiation_needed: bool,
    version: u64,
    descriptions: Descriptions,
    transports: Arc<Transports>,
    data: DataChannels,
    ice: IceCredentials,
    registry: Arc<Registry>,
    queues: QueueMark,
}

impl Session {
    /// A new session. `seed` feeds every random choice (session id, ICE credentials, SSRCs,
    /// track ids), so the same seed replays the same session (decisions.md §5).
    pub fn new(config: SessionConfig, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        // RFC 9429 §5.2.1: a 64-bit session id with the top bit clear.
        let session_id = rng.next_u64() >> 1;
        let ice = IceCredentials::new(&mut rng);
        let cname = rng.ice_chars(16).replace(['+', '/'], "x");
        Self {
            config,
            rng,
            signaling: SignalingState::Stable,
            mode: Mode::New,
            negotiation_needed: false,
            session_id,
            // Chromium starts at 2; the first description gets version 2 here too.
            version: 1,
            cname,
            transceivers: Transceivers::new(session_id),
            descriptions: Descriptions::default(),
            transports: Arc::default(),
            data: DataChannels::default(),
            ice,
            registry: Arc::default(),
            queues: Queues::default(),
            in_call: false,
        }
    }

    /// Runs one public call: all of it, or — when it returns an error — none of it.
    pub(crate) fn call<T>(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.in_call {
            // A call made by another call (setLocalDescription() without a description creates
            // then sets; perfect negotiation answers): the outer checkpoint covers it.
            return body(self);
        }
        // Every test runs in a debug build: there the whole session is kept too, and a failed
        // call must have put every part back.
        #[cfg(debug_assertions)]
        let before = self.clone();
        let checkpoint = self.checkpoint();
        self.transceivers.begin();
        self.in_call = true;
        let result = body(self);
        self.in_call = false;
        match &result {
            Ok(_) => self.transceivers.commit(),
            Err(_) => self.restore(checkpoint),
        }
        #[cfg(debug_assertions)]
        if let Err(error) = &result {
            assert!(
                *self == before,
                "a failed call left the session changed: {error}"
            );
        }
        result
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            rng: self.rng.clone(),
            signaling: self.signaling,
            mode: self.mode,
            negotiation_needed: self.negotiation_needed,
            version: self.version,
            descriptions: self.descriptions.clone(),
            transports: Arc::clone(&self.transports),
            data: self.data.clone(),
            ice: self.ice.clone(),
            registry: Arc::clone(&self.registry),
            queues: self.queues.mark(),
        }
    }

    fn restore(&mut self, checkpoint: Checkpoint) {
        self.rng = checkpoint.rng;
        self.signaling = checkpoint.signaling;
        self.mode = checkpoint.mode;
        self.negotiation_needed = checkpoint.negotiation_needed;
        self.version = checkpoint.version;
        self.descriptions = checkpoint.descriptions;
        self.transports = checkpoint.transports;
        self.data = checkpoint.data;
        self.ice = checkpoint.ice;
        self.registry = checkpoint.registry;
        self.queues.cut_back(checkpoint.queues);
        self.transceivers.rollback();
    }

    /// The transports, to change them (copied first if a checkpoint shares them).
    pub(crate) fn transports_mut(&mut self) -> &mut Transports {
        Arc::make_mut(&mut self.transports)
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.signaling == SignalingState::Closed
    }

    /// webrtc-pc: every method of a closed connection throws InvalidStateError.
    pub(crate) fn ensure_open(&self, what: &str) -> Result<(), Error> {
        if self.is_closed() {
            Err(Error::closed(what))
        } else {
            Ok(())
        }
    }

    // ---- getters ---------------------------------------------------------------------------

    /// `signalingState`.
    pub fn signaling_state(&self) -> SignalingState {
        self.signaling
    }

    /// What is negotiated and live.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// `localDescription`: pending if any, else current.
    pub fn local_description(&self) -> Option<&SessionDescription> {
        self.descriptions.local()
    }

    /// `remoteDescription`: pending if any, else current.
    pub fn remote_description(&self) -> Option<&SessionDescription> {
        self.descriptions.remote()
    }

    /// `currentLocalDescription`.
    pub fn current_local_description(&self) -> Option<&SessionDescription> {
        self.descriptions.current_local().map(|d| &**d)
    }

    /// `currentRemoteDescription`.
    pub fn current_remote_description(&self) -> Option<&SessionDescription> {
        self.descriptions.current_remote().map(|d| &**d)
    }

    /// `pendingLocalDescription`.
    pub fn pending_local_description(&self) -> Option<&SessionDescription> {
        self.descriptions.pending_local.as_deref()
    }

    /// `pendingRemoteDescription`.
    pub fn pending_remote_description(&self) -> Option<&SessionDescription> {
        self.descriptions.pending_remote.as_deref()
    }

    /// The negotiation-needed flag.
    pub fn is_negotiation_needed(&self) -> bool {
        self.negotiation_needed
    }

    /// Every transport, live and released.
    pub fn transports(&self) -> &[TransportState] {
        self.transports.all()
    }

    /// The data channels.
    pub fn data_channels(&self) -> &[DataChannel] {
        self.data.all()
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    // ---- queues ----------------------------------------------------------------------------

    /// The next application event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.queues.next_event()
    }

    /// The next I/O effect.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.queues.next_effect()
    }

    // ---- the connection as a whole -----------------------------------------------------------

    /// `close()` (webrtc-pc "close the connection", disappear=false): signaling closed
    /// (no event), every transceiver stopped (receiver tracks end with `ended`), data channels
    /// closed without the closing procedure, SCTP aborted. A second call does nothing.
    /// spec: webrtc-pc "close the connection" (rule 1.8a).
    pub fn close(&mut self) {
        if self.is_closed() {
            return;
        }
        self.signaling = SignalingState::Closed;
        let mut tasks = crate::tasks::Tasks::default();
        let ids: Vec<_> = self.transceivers.all().iter().map(|t| t.id).collect();
        for id in ids {
            // The table accepts close in every phase, and the id is one of the set's, so this
            // cannot fail.
            let _ = self.drive(
                id,
                tacet_transceiver_fsm::Input::Close { disappear: false },
                &mut tasks,
            );
        }
        self.data.close_all();
        self.queues.effect(Effect::AbortSctp);
        let mut effects = Vec::new();
        self.transports_mut().release_all(&mut effects);
        self.queues.effects(effects);
        self.negotiation_needed = false;
        self.set_mode(Mode::Closed);
    }

    pub(crate) fn set_mode(&mut self, to: Mode) {
        if self.mode != to {
            let from = self.mode;
            self.mode = to;
            self.queues.event(Event::ModeChanged { from, to });
        }
    }

    pub(crate) fn set_signaling(&mut self, to: SignalingState) {
        if self.signaling != to {
            self.signaling = to;
            self.queues.event(Event::SignalingStateChange(to));
        }
    }
}
