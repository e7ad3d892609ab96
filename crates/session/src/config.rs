//! What a session is configured with: policies, codecs, and the local DTLS identity.

use tacet_sdp::Fingerprint;
use tacet_track::EndedPolicy;

use crate::codecs::CodecConfig;

/// `RTCBundlePolicy` (RFC 9429 §4.1.1). tacet's default is max-bundle; W3C's default,
/// balanced, is available (a policy, docs/stop-semantics.md §4.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BundlePolicy {
    /// Everything on one transport: the first m-section carries it, the others are bundled.
    /// An answer rejects what is outside the first live section's BUNDLE group.
    #[default]
    MaxBundle,
    /// One transport per media type in the initial offer (the first section of each kind);
    /// the others are offered `a=bundle-only` (port 0, not rejected: RFC 9143 §7.3.5). An
    /// answer rejects what is outside the group of the first live section of its media type.
    Balanced,
}

/// What to do with a transceiver stopped while it is associated with no m-section (never
/// associated, or disassociated by a rollback).
///
/// The spec keeps it in the set of transceivers for ever — needing negotiation for ever while
/// it is stopping (webrtc-pc#2838, open). tacet's default drops it, so negotiation-needed can
/// return to false and nothing leaks (decisions.md §2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum UnassociatedStopPolicy {
    /// Remove it when the next local offer is applied (it gets no m-line) or when the next
    /// exchange completes, whichever comes first (the answerer may never offer again).
    #[default]
    Drop,
    /// The letter of the spec: keep it.
    Keep,
}

/// How the session reads a peer's description that bends the rules the way real peers do
/// (decisions.md §2: deviations are policies, the spec behaviour available).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PeerPolicy {
    /// Apply what is safe and report each bend as [`crate::Event::PeerWarning`]:
    /// - an answer that keeps a live port (and its BUNDLE membership) for a section the offer
    ///   rejected — aiortc 1.16 answering a stop — is read as rejecting it, so the transceiver
    ///   is stopped and removed, never offered again, and the data section stays up;
    /// - a changed description that keeps its session version (aiortc 1.16) is applied.
    #[default]
    Tolerant,
    /// Refuse both with a typed error naming the rule; the session is unchanged.
    Strict,
}

/// What this endpoint does with its own transport when a description moves a BUNDLE group's
/// tag to another m-section (the tag's section is stopped or rejected).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TagMovePolicy {
    /// The transport stays: the new tag section carries its candidates and address, ICE and
    /// DTLS go on (RFC 9429 §5.2.2, §5.11: the bundled transport lives while a section of the
    /// group is live). The I/O layer sees [`crate::Effect::TransportRetagged`].
    #[default]
    KeepTransport,
    /// As Chromium 156 does (interop-findings §5): a new transport for the new tag. It is
    /// created with the description that moves the tag (the offer this endpoint creates, or
    /// the answer to an offer that moved it), so that description's new tag section has port
    /// 9, `c=IN IP4 0.0.0.0` and none of the old candidates; the candidates the I/O layer
    /// gathers for it ([`crate::Effect::TransportCreated`]) are added to the local description.
    /// ICE credentials and fingerprint are the session's, as before (Chromium keeps them);
    /// the DTLS role is the one the answer negotiates, which tacet keeps. When the answer is
    /// applied, [`crate::Effect::TransportReplaced`] tells the I/O layer to run ICE and a new
    /// DTLS handshake on it and move the SCTP association (and media) across.
    NewTransport,
}

/// Everything a session is built with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionConfig {
    /// The BUNDLE policy.
    pub bundle_policy: BundlePolicy,
    /// Codecs and header extensions.
    pub codecs: CodecConfig,
    /// Receiver tracks: whether a local `stop()` fires `ended` (aiortc-compatible) or not.
    pub ended_policy: EndedPolicy,
    /// Transceivers stopped before any negotiation.
    pub unassociated_stop: UnassociatedStopPolicy,
    /// What to accept from peers that bend the rules.
    pub peer_policy: PeerPolicy,
    /// Whether a BUNDLE tag move keeps this endpoint's transport or brings a new one.
    pub tag_move: TagMovePolicy,
    /// The DTLS certificate fingerprint(s) of this endpoint (the I/O layer's certificate).
    pub fingerprints: Vec<Fingerprint>,
    /// The SCTP port offered in the data section (RFC 8841 §5; browsers use 5000).
    pub sctp_port: u16,
    /// The largest data-channel message this endpoint accepts (RFC 8841 §6).
    pub max_message_size: u64,
}

impl SessionConfig {
    /// The defaults with the given certificate fingerprint.
    pub fn new(fingerprint: Fingerprint) -> Self {
        Self {
            bundle_policy: BundlePolicy::default(),
            codecs: CodecConfig::default(),
            ended_policy: EndedPolicy::default(),
            unassociated_stop: UnassociatedStopPolicy::default(),
            peer_policy: PeerPolicy::default(),
            tag_move: TagMovePolicy::default(),
            fingerprints: vec![fingerprint],
            sctp_port: 5000,
            max_message_size: 262_144,
        }
    }
}
