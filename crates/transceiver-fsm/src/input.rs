//! What can happen to a transceiver: application calls and facts from the session.
//!
//! The machine never sees SDP text or packets. The session interprets a description and hands
//! over, per transceiver, the already-decided facts of its m-section ([`Section`]): its mid, its
//! direction attribute and whether it is rejected. Media arrival is a fact too
//! ([`Input::RtpReceived`]), not a datagram.

use std::fmt;

use crate::Direction;

/// A media stream identification tag (`a=mid`, RFC 9143 §3): the association between a
/// transceiver and its m-section.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mid(String);

impl Mid {
    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Mid {
    fn from(mid: &str) -> Self {
        Self(mid.to_owned())
    }
}

impl From<String> for Mid {
    fn from(mid: String) -> Self {
        Self(mid)
    }
}

impl fmt::Display for Mid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The type of the description being applied (`RTCSdpType` without `rollback`, which is its
/// own input).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DescriptionKind {
    /// `"offer"`.
    Offer,
    /// `"pranswer"`: a provisional answer; sets `currentDirection` but removes nothing.
    Pranswer,
    /// `"answer"`.
    Answer,
}

impl DescriptionKind {
    /// `answer` or `pranswer`: the kinds that set `[[CurrentDirection]]`.
    pub const fn is_answer(self) -> bool {
        matches!(self, Self::Pranswer | Self::Answer)
    }
}

/// The facts of the m-section a description associates with this transceiver.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Section {
    /// The section's `a=mid`.
    pub mid: Mid,
    /// The direction attribute as written in that description (the writer's point of view).
    pub direction: Direction,
    /// Port 0 without `a=bundle-only` (RFC 9143 §7.3.5; decisions.md §3).
    pub rejected: bool,
}

impl Section {
    /// A live (non-rejected) section.
    pub fn live(mid: impl Into<Mid>, direction: Direction) -> Self {
        Self {
            mid: mid.into(),
            direction,
            rejected: false,
        }
    }

    /// A rejected section (port 0). Its direction is what the writer put there; rejected
    /// sections carry no media whatever it says.
    pub fn rejected(mid: impl Into<Mid>, direction: Direction) -> Self {
        Self {
            mid: mid.into(),
            direction,
            rejected: true,
        }
    }
}

/// What a rollback does to this transceiver (webrtc-pc "set the session description",
/// rollback branch; RFC 9429 §5.7). The session decides which applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RollbackAction {
    /// The transceiver was associated before the pending description: keep its mid.
    Keep,
    /// It was associated only by the rolled-back description: `[[Mid]]` becomes null.
    Disassociate,
    /// It was created by the rolled-back remote offer and never given a track by `addTrack`:
    /// stop it and remove it from the set of transceivers.
    Remove,
}

/// One input to the transceiver machine.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// `RTCRtpTransceiver.stop()`.
    Stop,
    /// The `direction` setter.
    SetDirection(Direction),
    /// `addTrack` reuses this transceiver's sender: the direction gains *send*.
    AddTrack,
    /// `RTCPeerConnection.removeTrack(sender)` for this transceiver's sender.
    RemoveTrack,
    /// `RTCRtpSender.replaceTrack` (a guard: the session performs the replacement).
    ReplaceTrack,
    /// `RTCRtpSender.setParameters` (a guard).
    SetParameters,
    /// `RTCDTMFSender.insertDTMF` (a guard).
    InsertDtmf,
    /// A local description (`setLocalDescription`) with this transceiver's m-section.
    LocalDescription {
        /// The description's type.
        kind: DescriptionKind,
        /// The m-section's facts.
        section: Section,
    },
    /// A remote description (`setRemoteDescription`) with this transceiver's m-section.
    RemoteDescription {
        /// The description's type.
        kind: DescriptionKind,
        /// The m-section's facts.
        section: Section,
    },
    /// A remote description recycles this transceiver's m-section for another transceiver:
    /// this one is disassociated (RFC 9429 §5.10: "set its mid property to null").
    Recycled,
    /// A rollback (`{type: "rollback"}`) of the pending description.
    Rollback {
        /// What happens to this transceiver.
        action: RollbackAction,
        /// The pending description was a remote offer (signaling state have-remote-offer): the
        /// remote tracks are processed again with `[[CurrentDirection]]`.
        remote_offer: bool,
    },
    /// An answer was applied: a stopped transceiver whose m-section is rejected in the current
    /// local or remote description (`rejected`) is removed from the set of transceivers.
    AnswerApplied {
        /// The associated m-section is rejected in a current description.
        rejected: bool,
    },
    /// tacet's deviation for a transceiver stopped while associated with no m-section
    /// (decisions.md §2, webrtc-pc#2838): it has no m-line to negotiate, so the session
    /// removes it at the next local offer or when the next exchange completes, instead of
    /// leaving it in the set for ever.
    DropUnassociated,
    /// `RTCPeerConnection.close()` (`disappear: false`) or its garbage-collection path
    /// (`disappear: true`, no `ended` event).
    Close {
        /// webrtc-pc "close the connection" `disappear` argument.
        disappear: bool,
    },
    /// RTP arrived for the receiver (webrtc-pc: unmute when `[[Receptive]]`).
    RtpReceived,
    /// An RTCP BYE arrived for the receiver's stream (webrtc-pc: mute, **not** ended).
    RtcpByeReceived,
}

/// The variant of an [`Input`] without its data: the columns of the transition table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    /// [`Input::Stop`].
    Stop,
    /// [`Input::SetDirection`].
    SetDirection,
    /// [`Input::AddTrack`].
    AddTrack,
    /// [`Input::RemoveTrack`].
    RemoveTrack,
    /// [`Input::ReplaceTrack`].
    ReplaceTrack,
    /// [`Input::SetParameters`].
    SetParameters,
    /// [`Input::InsertDtmf`].
    InsertDtmf,
    /// [`Input::LocalDescription`].
    LocalDescription,
    /// [`Input::RemoteDescription`].
    RemoteDescription,
    /// [`Input::Recycled`].
    Recycled,
    /// [`Input::Rollback`].
    Rollback,
    /// [`Input::AnswerApplied`].
    AnswerApplied,
    /// [`Input::DropUnassociated`].
    DropUnassociated,
    /// [`Input::Close`].
    Close,
    /// [`Input::RtpReceived`].
    RtpReceived,
    /// [`Input::RtcpByeReceived`].
    RtcpByeReceived,
}

impl InputKind {
    /// Every input kind, in table order.
    pub const ALL: [Self; 16] = [
        Self::Stop,
        Self::SetDirection,
        Self::AddTrack,
        Self::RemoveTrack,
        Self::ReplaceTrack,
        Self::SetParameters,
        Self::InsertDtmf,
        Self::LocalDescription,
        Self::RemoteDescription,
        Self::Recycled,
        Self::Rollback,
        Self::AnswerApplied,
        Self::DropUnassociated,
        Self::Close,
        Self::RtpReceived,
        Self::RtcpByeReceived,
    ];

    /// A short name for tables and errors, e.g. `set_direction`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Stop => "stop",
            Self::SetDirection => "set_direction",
            Self::AddTrack => "add_track",
            Self::RemoveTrack => "remove_track",
            Self::ReplaceTrack => "replace_track",
            Self::SetParameters => "set_parameters",
            Self::InsertDtmf => "insert_dtmf",
            Self::LocalDescription => "local_description",
            Self::RemoteDescription => "remote_description",
            Self::Recycled => "recycled",
            Self::Rollback => "rollback",
            Self::AnswerApplied => "answer_applied",
            Self::DropUnassociated => "drop_unassociated",
            Self::Close => "close",
            Self::RtpReceived => "rtp_received",
            Self::RtcpByeReceived => "rtcp_bye_received",
        }
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Input {
    /// This input's [`InputKind`].
    pub fn kind(&self) -> InputKind {
        match self {
            Self::Stop => InputKind::Stop,
            Self::SetDirection(_) => InputKind::SetDirection,
            Self::AddTrack => InputKind::AddTrack,
            Self::RemoveTrack => InputKind::RemoveTrack,
            Self::ReplaceTrack => InputKind::ReplaceTrack,
            Self::SetParameters => InputKind::SetParameters,
            Self::InsertDtmf => InputKind::InsertDtmf,
            Self::LocalDescription { .. } => InputKind::LocalDescription,
            Self::RemoteDescription { .. } => InputKind::RemoteDescription,
            Self::Recycled => InputKind::Recycled,
            Self::Rollback { .. } => InputKind::Rollback,
            Self::AnswerApplied { .. } => InputKind::AnswerApplied,
            Self::DropUnassociated => InputKind::DropUnassociated,
            Self::Close { .. } => InputKind::Close,
            Self::RtpReceived => InputKind::RtpReceived,
            Self::RtcpByeReceived => InputKind::RtcpByeReceived,
        }
    }
}
