//! Builders for the descriptions the session writes: a session skeleton, an m-section for a
//! transceiver, the data section, and the two shapes of a rejected m-section.
//!
//! Builders never decide negotiation (which codecs, which direction, whether to reject): the
//! session does. They only guarantee that what they produce is well-formed and re-parses to
//! itself.

use crate::attribute::{Attribute, Group, line_safe};
use crate::error::Error;
use crate::model::{
    Attributes, Connection, MediaKind, MediaSection, Origin, SdpType, SessionDescription, Time,
};
use crate::vocab::{Direction, Mid};

/// The RTP profile every WebRTC media section uses (RFC 9429 §5.1.2).
pub const RTP_PROFILE: &str = "UDP/TLS/RTP/SAVPF";
/// The data-channel protocol (RFC 8841 §4.1, RFC 9429 §5.1.2).
pub const DATA_PROFILE: &str = "UDP/DTLS/SCTP";
/// The data-channel format.
pub const DATA_FORMAT: &str = "webrtc-datachannel";
/// The discard port JSEP puts on m-lines before ICE has anything better (RFC 9429 §5.2.1).
pub const DISCARD_PORT: u16 = 9;

impl Origin {
    /// `o=- <session id> <version> IN IP4 127.0.0.1`, as JSEP writes it (RFC 9429 §5.2.1:
    /// the session id is a random 64-bit value with the top bit clear, chosen by the caller).
    pub fn new(session_id: u64, session_version: u64) -> Self {
        Self {
            username: "-".into(),
            session_id: session_id.to_string(),
            session_version,
            nettype: "IN".into(),
            addrtype: "IP4".into(),
            address: "127.0.0.1".into(),
        }
    }
}

impl SessionDescription {
    /// An empty description: `v=0`, `o=`, `s=-`, `t=0 0`, no attributes, no media.
    pub fn new(sdp_type: SdpType, origin: Origin) -> Self {
        Self {
            sdp_type,
            origin,
            session_name: "-".into(),
            info: None,
            uri: None,
            emails: Vec::new(),
            phones: Vec::new(),
            connection: None,
            bandwidths: Vec::new(),
            times: vec![Time {
                start: 0,
                stop: 0,
                repeats: Vec::new(),
            }],
            time_zones: Vec::new(),
            key: None,
            attributes: Attributes::default(),
            media: Vec::new(),
        }
    }

    /// The description of a rollback: no content (webrtc-pc ignores a rollback's SDP).
    pub fn rollback() -> Self {
        Self::new(SdpType::Rollback, Origin::new(0, 0))
    }

    /// Replaces every BUNDLE group with one group of `mids`, first the tag (RFC 9143 §7.2),
    /// written where the first group was (or first among the session attributes). An empty
    /// list removes BUNDLE.
    pub fn set_bundle_group<'a>(
        &mut self,
        mids: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), Error> {
        self.set_bundle_groups([mids])
    }

    /// Replaces every BUNDLE group with `groups` (each its tag first, RFC 9143 §7.2), written in
    /// order where the first group was (or first among the session attributes). Empty groups
    /// are left out; no groups removes BUNDLE.
    pub fn set_bundle_groups<'a, G>(
        &mut self,
        groups: impl IntoIterator<Item = G>,
    ) -> Result<(), Error>
    where
        G: IntoIterator<Item = &'a str>,
    {
        let mut built = Vec::new();
        for mids in groups {
            let mids: Vec<&str> = mids.into_iter().collect();
            if !mids.is_empty() {
                built.push(Attribute::Group(Group::new("BUNDLE", mids)?));
            }
        }
        let position = self
            .attributes
            .iter()
            .position(|a| matches!(a, Attribute::Group(g) if g.is_bundle()))
            .unwrap_or(0);
        self.attributes
            .retain(|a| !matches!(a, Attribute::Group(g) if g.is_bundle()));
        let position = position.min(self.attributes.len());
        self.attributes.splice(position..position, built);
        Ok(())
    }
}

impl MediaSection {
    /// A section with the given kind, port, protocol and formats, `c=IN IP4 0.0.0.0` and no
    /// attributes yet.
    pub fn new<'a>(
        kind: MediaKind,
        port: u16,
        proto: &str,
        formats: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, Error> {
        if let MediaKind::Other(token) = &kind {
            crate::attribute::grammar::token(token).map_err(Error::value("media kind"))?;
        }
        proto
            .split('/')
            .try_for_each(|t| crate::attribute::grammar::token(t).map(|_| ()))
            .map_err(Error::value("protocol"))?;
        let mut list = String::new();
        for format in formats {
            crate::attribute::grammar::token(format).map_err(Error::value("format"))?;
            if !list.is_empty() {
                list.push(' ');
            }
            list.push_str(format);
        }
        Ok(Self {
            kind,
            port,
            num_ports: None,
            proto: proto.to_owned(),
            formats: list,
            title: None,
            connections: vec![Connection::placeholder()],
            bandwidths: Vec::new(),
            key: None,
            attributes: Attributes::default(),
        })
    }

    /// An RTP section (`UDP/TLS/RTP/SAVPF`) with these payload types, on the discard port.
    pub fn rtp(kind: MediaKind, payload_types: &[u8]) -> Result<Self, Error> {
        let formats: Vec<String> = payload_types.iter().map(u8::to_string).collect();
        Self::new(
            kind,
            DISCARD_PORT,
            RTP_PROFILE,
            formats.iter().map(String::as_str),
        )
    }

    /// The data section: `m=application 9 UDP/DTLS/SCTP webrtc-datachannel` with its mid,
    /// `a=sctp-port` and `a=max-message-size` (RFC 8841 §5-§6). Transport attributes are the
    /// caller's to add.
    pub fn data(mid: &str, sctp_port: u16, max_message_size: u64) -> Result<Self, Error> {
        let mut section = Self::new(
            MediaKind::Application,
            DISCARD_PORT,
            DATA_PROFILE,
            [DATA_FORMAT],
        )?;
        section.set_mid(mid)?;
        section.attributes.push(Attribute::SctpPort(sctp_port));
        section
            .attributes
            .push(Attribute::MaxMessageSize(max_message_size));
        Ok(section)
    }

    /// Sets `a=mid` (replacing an existing one in place, else appending).
    pub fn set_mid(&mut self, mid: &str) -> Result<(), Error> {
        crate::attribute::grammar::token(mid).map_err(Error::value("mid"))?;
        let mid = Attribute::Mid(Mid::from(mid));
        match self
            .attributes
            .iter_mut()
            .find(|a| matches!(a, Attribute::Mid(_)))
        {
            Some(slot) => *slot = mid,
            None => self.attributes.push(mid),
        }
        Ok(())
    }

    /// Sets the direction attribute (replacing an existing one in place, else appending).
    pub fn set_direction(&mut self, direction: Direction) {
        let attribute = Attribute::Direction(direction);
        match self
            .attributes
            .iter_mut()
            .find(|a| matches!(a, Attribute::Direction(_)))
        {
            Some(slot) => *slot = attribute,
            None => self.attributes.push(attribute),
        }
    }

    /// This section rejected the way Chromium writes a stopped transceiver: port 0, everything
    /// kept (codecs, ICE, DTLS, mid, direction) except what describes live media or a live
    /// transport: `a=msid`, `a=ssrc`, `a=ssrc-group`, `a=rid`, `a=simulcast` (RFC 9429 §5.2.2:
    /// "port set to zero and all a=msid lines removed"), `a=bundle-only`, and candidates.
    pub fn to_rejected(&self) -> Self {
        let mut section = self.clone();
        section.port = 0;
        section.attributes.retain(|a| {
            !matches!(
                a,
                Attribute::Msid(_)
                    | Attribute::Ssrc(_)
                    | Attribute::SsrcGroup(_)
                    | Attribute::Rid(_)
                    | Attribute::Simulcast(_)
                    | Attribute::BundleOnly
                    | Attribute::Candidate(_)
                    | Attribute::EndOfCandidates
            )
        });
        section
    }

    /// A minimal rejected section: port 0, one placeholder format, `c=IN IP4 0.0.0.0`, the mid
    /// and `a=inactive` — no codecs, no transport (the stub shape some peers write in answers).
    pub fn rejected_stub(kind: MediaKind, proto: &str, mid: &str) -> Result<Self, Error> {
        let format = match kind {
            MediaKind::Application => DATA_FORMAT,
            _ => "0",
        };
        let mut section = Self::new(kind, 0, proto, [format])?;
        section.set_mid(mid)?;
        section.set_direction(Direction::Inactive);
        Ok(section)
    }
}

/// Checks a free-text field a caller sets directly on the model (`s=`, `i=`, ...).
pub fn check_text(what: &'static str, text: &str) -> Result<(), Error> {
    line_safe(text).map(|_| ()).map_err(Error::value(what))
}
