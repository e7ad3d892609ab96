//! The model: a session description, its media sections, and their attributes in order.
//!
//! Every line of the input has a place here, in order, so writing reproduces the input (see
//! `write.rs`). Typed accessors read the modelled attributes; everything else stays as
//! [`Attribute::Other`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::attribute::{
    Attribute, Candidate, ExtMap, Fingerprint, Fmtp, Group, IceOptions, IcePwd, IceUfrag, Msid,
    MsidSemantic, Rid, RtcpFb, RtpMap, Setup, Simulcast, Ssrc, SsrcGroup,
};
use crate::vocab::{Direction, Mid};

/// The type of a description (`RTCSdpType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SdpType {
    /// `"offer"`.
    Offer,
    /// `"pranswer"`.
    Pranswer,
    /// `"answer"`.
    Answer,
    /// `"rollback"`: its SDP text is ignored (webrtc-pc), and may be empty.
    Rollback,
}

impl SdpType {
    /// The W3C string value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Offer => "offer",
            Self::Pranswer => "pranswer",
            Self::Answer => "answer",
            Self::Rollback => "rollback",
        }
    }
}

impl fmt::Display for SdpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    /// `-` when there is none.
    pub username: String,
    /// The session id: stays the same for the whole session (RFC 3264 §8).
    pub session_id: String,
    /// Increases with every new description that changes (RFC 3264 §8; JSEP §5.2.2).
    pub session_version: u64,
    /// `IN` (borrowed for the network and address types RFC 8866 names, so reading them
    /// allocates nothing).
    pub nettype: Cow<'static, str>,
    /// `IP4` or `IP6`.
    pub addrtype: Cow<'static, str>,
    /// The address (JSEP: a placeholder such as `127.0.0.1`).
    pub address: String,
}

/// `c=<nettype> <addrtype> <address>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Connection {
    /// `IN` (borrowed for the types RFC 8866 names, as in [`Origin`]).
    pub nettype: Cow<'static, str>,
    /// `IP4` or `IP6`.
    pub addrtype: Cow<'static, str>,
    /// The address, e.g. `0.0.0.0`.
    pub address: String,
}

impl Connection {
    /// `IN IP4 0.0.0.0`, the JSEP placeholder (RFC 9429 §5.2.1).
    pub fn placeholder() -> Self {
        Self {
            nettype: "IN".into(),
            addrtype: "IP4".into(),
            address: "0.0.0.0".into(),
        }
    }
}

/// `b=<type>:<bandwidth>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bandwidth {
    /// `AS`, `TIAS`, ...
    pub kind: String,
    /// The value.
    pub value: u64,
}

/// `t=<start> <stop>` with its `r=` lines.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Time {
    /// Start time (0 = unbounded).
    pub start: u64,
    /// Stop time (0 = unbounded).
    pub stop: u64,
    /// `r=` lines.
    pub repeats: Vec<Repeat>,
}

/// `r=<interval> <duration> <offsets>`, in seconds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Repeat {
    /// Repeat interval.
    pub interval: u64,
    /// Active duration.
    pub duration: u64,
    /// Offsets.
    pub offsets: Vec<u64>,
}

/// One `z=` adjustment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeZone {
    /// Adjustment time.
    pub adjustment: u64,
    /// Offset in seconds.
    pub offset: i64,
}

/// `k=<method>[:<key>]` (obsolete, kept verbatim).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The method.
    pub method: String,
    /// The key, if any.
    pub key: Option<String>,
}

/// The media type of an `m=` line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `audio`.
    Audio,
    /// `video`.
    Video,
    /// `application` (the data channel in WebRTC).
    Application,
    /// Anything else, verbatim.
    Other(String),
}

impl MediaKind {
    /// The token as written.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Audio => "audio",
            Self::Video => "video",
            Self::Application => "application",
            Self::Other(s) => s,
        }
    }

    pub(crate) fn from_token(token: String) -> Self {
        match token.as_str() {
            "audio" => Self::Audio,
            "video" => Self::Video,
            "application" => Self::Application,
            _ => Self::Other(token),
        }
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The attribute lines of a session or a media section, in order, with typed look-ups.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Attributes(pub Vec<Attribute>);

macro_rules! first {
    ($(#[$doc:meta])* $name:ident -> $ty:ty, $variant:ident) => {
        $(#[$doc])*
        pub fn $name(&self) -> Option<$ty> {
            self.0.iter().find_map(|a| match a {
                Attribute::$variant(v) => Some(v),
                _ => None,
            })
        }
    };
}

macro_rules! all {
    ($(#[$doc:meta])* $name:ident -> $ty:ty, $variant:ident) => {
        $(#[$doc])*
        pub fn $name(&self) -> impl Iterator<Item = $ty> {
            self.0.iter().filter_map(|a| match a {
                Attribute::$variant(v) => Some(v),
                _ => None,
            })
        }
    };
}

macro_rules! flag {
    ($(#[$doc:meta])* $name:ident, $variant:ident) => {
        $(#[$doc])*
        pub fn $name(&self) -> bool {
            self.0.iter().any(|a| matches!(a, Attribute::$variant))
        }
    };
}

impl Attributes {
    first!(
        /// `a=mid`.
        mid -> &Mid, Mid);
    first!(
        /// The direction attribute, if one is present.
        direction -> &Direction, Direction);
    first!(
        /// `a=ice-ufrag`.
        ice_ufrag -> &IceUfrag, IceUfrag);
    first!(
        /// `a=ice-pwd`.
        ice_pwd -> &IcePwd, IcePwd);
    first!(
        /// `a=ice-options`.
        ice_options -> &IceOptions, IceOptions);
    first!(
        /// `a=setup`.
        setup -> &Setup, Setup);
    first!(
        /// `a=msid-semantic`.
        msid_semantic -> &MsidSemantic, MsidSemantic);
    first!(
        /// `a=sctp-port`.
        sctp_port -> &u16, SctpPort);
    first!(
        /// `a=max-message-size`.
        max_message_size -> &u64, MaxMessageSize);
    first!(
        /// `a=simulcast`.
        simulcast -> &Simulcast, Simulcast);
    all!(
        /// `a=group` lines.
        groups -> &Group, Group);
    all!(
        /// `a=fingerprint` lines.
        fingerprints -> &Fingerprint, Fingerprint);
    all!(
        /// `a=candidate` lines.
        candidates -> &Candidate, Candidate);
    all!(
        /// `a=msid` lines.
        msids -> &Msid, Msid);
    all!(
        /// `a=ssrc` lines.
        ssrcs -> &Ssrc, Ssrc);
    all!(
        /// `a=ssrc-group` lines.
        ssrc_groups -> &SsrcGroup, SsrcGroup);
    all!(
        /// `a=rtpmap` lines.
        rtpmaps -> &RtpMap, RtpMap);
    all!(
        /// `a=fmtp` lines.
        fmtps -> &Fmtp, Fmtp);
    all!(
        /// `a=rtcp-fb` lines.
        rtcp_fbs -> &RtcpFb, RtcpFb);
    all!(
        /// `a=extmap` lines.
        extmaps -> &ExtMap, ExtMap);
    all!(
        /// `a=rid` lines.
        rids -> &Rid, Rid);
    flag!(
        /// `a=bundle-only`.
        bundle_only, BundleOnly);
    flag!(
        /// `a=rtcp-mux`.
        rtcp_mux, RtcpMux);
    flag!(
        /// `a=rtcp-rsize`.
        rtcp_rsize, RtcpRsize);
    flag!(
        /// `a=end-of-candidates`.
        end_of_candidates, EndOfCandidates);
    flag!(
        /// `a=extmap-allow-mixed`.
        extmap_allow_mixed, ExtmapAllowMixed);
    flag!(
        /// `a=ice-lite`.
        ice_lite, IceLite);

    /// The BUNDLE groups (`a=group:BUNDLE ...`).
    pub fn bundle_groups(&self) -> impl Iterator<Item = &Group> {
        self.groups().filter(|g| g.is_bundle())
    }

    /// Attributes not modelled by tacet with this name, verbatim.
    pub fn others<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Option<&'a str>> + 'a {
        self.0.iter().filter_map(move |a| match a {
            Attribute::Other(raw) if raw.name == name => Some(raw.value.as_deref()),
            _ => None,
        })
    }
}

impl Deref for Attributes {
    type Target = Vec<Attribute>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Attributes {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// One `m=` section.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MediaSection {
    /// The media type.
    pub kind: MediaKind,
    /// The port; 0 means rejected (or bundle-only, see [`is_rejected`](Self::is_rejected)).
    pub port: u16,
    /// `/<number of ports>`, if written.
    pub num_ports: Option<u16>,
    /// The transport protocol, e.g. `UDP/TLS/RTP/SAVPF`.
    pub proto: String,
    /// The format list as written (payload types for RTP, `webrtc-datachannel` for data).
    pub formats: String,
    /// `i=`.
    pub title: Option<String>,
    /// `c=` lines.
    pub connections: Vec<Connection>,
    /// `b=` lines.
    pub bandwidths: Vec<Bandwidth>,
    /// `k=`.
    pub key: Option<Key>,
    /// `a=` lines, in order.
    pub attributes: Attributes,
}

impl MediaSection {
    /// `a=mid`.
    pub fn mid(&self) -> Option<&Mid> {
        self.attributes.mid()
    }

    /// Rejected: port 0 **and not** `a=bundle-only` (RFC 9143 §7.3.5: under RFC 8843 an
    /// offerer gave port 0 with bundle-only to sections it wanted bundled; decisions.md §3).
    pub fn is_rejected(&self) -> bool {
        self.port == 0 && !self.attributes.bundle_only()
    }

    /// The direction attribute, or `sendrecv` when there is none (RFC 3264 §5.1).
    pub fn direction(&self) -> Direction {
        self.attributes
            .direction()
            .copied()
            .unwrap_or(Direction::SendRecv)
    }

    /// Whether this is the WebRTC data section (`UDP/DTLS/SCTP webrtc-datachannel`, or the
    /// older `DTLS/SCTP` form).
    pub fn is_data(&self) -> bool {
        self.kind == MediaKind::Application && self.proto.ends_with("DTLS/SCTP")
    }

    /// Whether the protocol is RTP-based (`RTP/` in the profile).
    pub fn is_rtp(&self) -> bool {
        self.proto.contains("RTP/")
    }

    /// The formats, in order.
    pub fn formats(&self) -> impl Iterator<Item = &str> {
        self.formats.split(' ').filter(|f| !f.is_empty())
    }

    /// The formats that are RTP payload types, in order.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        self.formats().filter_map(|f| f.parse().ok())
    }

    /// `a=rtpmap` for `payload_type`.
    pub fn rtpmap(&self, payload_type: u8) -> Option<&RtpMap> {
        self.attributes
            .rtpmaps()
            .find(|m| m.payload_type() == payload_type)
    }

    /// `a=fmtp` for `payload_type`.
    pub fn fmtp(&self, payload_type: u8) -> Option<&Fmtp> {
        self.attributes
            .fmtps()
            .find(|f| f.payload_type() == Some(payload_type))
    }

    /// `a=rtcp-fb` for `payload_type`, including `*` lines.
    pub fn rtcp_fbs_for(&self, payload_type: u8) -> impl Iterator<Item = &RtcpFb> {
        self.attributes
            .rtcp_fbs()
            .filter(move |fb| fb.payload_type().is_none_or(|pt| pt == payload_type))
    }
}

/// A session description: the SDP of an offer, pranswer or answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionDescription {
    /// The type it was parsed or built as.
    pub sdp_type: SdpType,
    /// `o=`.
    pub origin: Origin,
    /// `s=` (JSEP: `-`).
    pub session_name: String,
    /// `i=`.
    pub info: Option<String>,
    /// `u=`.
    pub uri: Option<String>,
    /// `e=` lines.
    pub emails: Vec<String>,
    /// `p=` lines.
    pub phones: Vec<String>,
    /// Session-level `c=`.
    pub connection: Option<Connection>,
    /// Session-level `b=` lines.
    pub bandwidths: Vec<Bandwidth>,
    /// `t=` lines (JSEP: `t=0 0`).
    pub times: Vec<Time>,
    /// `z=` adjustments.
    pub time_zones: Vec<TimeZone>,
    /// Session-level `k=`.
    pub key: Option<Key>,
    /// Session-level `a=` lines, in order.
    pub attributes: Attributes,
    /// The `m=` sections, in order. Their index is the m-line index.
    pub media: Vec<MediaSection>,
}

/// A description's m-sections by mid ([`SessionDescription::mid_index`]): constant-time
/// look-ups where a loop would otherwise scan the description once per mid.
#[derive(Clone, Debug)]
pub struct MidIndex<'a> {
    media: &'a [MediaSection],
    by_mid: HashMap<&'a str, usize>,
}

impl<'a> MidIndex<'a> {
    /// The section with this mid and its index, as [`SessionDescription::media_by_mid`].
    pub fn get(&self, mid: &str) -> Option<(usize, &'a MediaSection)> {
        let index = *self.by_mid.get(mid)?;
        self.media.get(index).map(|m| (index, m))
    }
}

impl SessionDescription {
    /// The section with this mid (a linear scan: for many look-ups build a [`MidIndex`]).
    pub fn media_by_mid(&self, mid: &str) -> Option<(usize, &MediaSection)> {
        self.media
            .iter()
            .enumerate()
            .find(|(_, m)| m.mid().is_some_and(|m| m.as_str() == mid))
    }

    /// The sections by mid, for many look-ups in one pass over the description.
    pub fn mid_index(&self) -> MidIndex<'_> {
        let mut by_mid = HashMap::with_capacity(self.media.len());
        for (index, m) in self.media.iter().enumerate() {
            if let Some(mid) = m.mid() {
                // The first section wins, as in `media_by_mid` (mids are unique in a valid
                // description).
                by_mid.entry(mid.as_str()).or_insert(index);
            }
        }
        MidIndex {
            media: &self.media,
            by_mid,
        }
    }

    /// The BUNDLE groups.
    pub fn bundle_groups(&self) -> impl Iterator<Item = &Group> {
        self.attributes.bundle_groups()
    }

    /// The BUNDLE group that lists `mid`.
    pub fn bundle_group_of(&self, mid: &str) -> Option<&Group> {
        self.bundle_groups().find(|g| g.mids().any(|m| m == mid))
    }

    /// The ICE ufrag that applies to section `index` (its own, else the session's).
    pub fn ice_ufrag_for(&self, index: usize) -> Option<&IceUfrag> {
        self.media
            .get(index)
            .and_then(|m| m.attributes.ice_ufrag())
            .or_else(|| self.attributes.ice_ufrag())
    }

    /// The ICE password that applies to section `index`.
    pub fn ice_pwd_for(&self, index: usize) -> Option<&IcePwd> {
        self.media
            .get(index)
            .and_then(|m| m.attributes.ice_pwd())
            .or_else(|| self.attributes.ice_pwd())
    }

    /// The DTLS setup role that applies to section `index`.
    pub fn setup_for(&self, index: usize) -> Option<Setup> {
        self.media
            .get(index)
            .and_then(|m| m.attributes.setup())
            .or_else(|| self.attributes.setup())
            .copied()
    }

    /// The fingerprints that apply to section `index` (its own if it has any, else the
    /// session's).
    pub fn fingerprints_for(&self, index: usize) -> Vec<&Fingerprint> {
        let own: Vec<&Fingerprint> = self
            .media
            .get(index)
            .map(|m| m.attributes.fingerprints().collect())
            .unwrap_or_default();
        if own.is_empty() {
            self.attributes.fingerprints().collect()
        } else {
            own
        }
    }
}
