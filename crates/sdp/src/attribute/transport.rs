//! Transport attributes: ICE credentials, options and candidates (RFC 8839), DTLS fingerprint
//! and setup role (RFC 8122, RFC 4145), and the BUNDLE group and msid-semantic lines.
//! Same pattern as `rtp.rs`: the value text is kept as written, scalars are cached.

use std::fmt;

use super::built;
use super::grammar::{self, Cursor, fields, split_space, token};
use crate::Error;

/// `a=ice-ufrag:<ufrag>` (RFC 8839 §5.4: 4 to 256 ice-chars).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IceUfrag(String);

/// `a=ice-pwd:<password>` (RFC 8839 §5.4: 22 to 256 ice-chars).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IcePwd(String);

fn ice_chars(s: &str, min: usize) -> Result<(), &'static str> {
    if grammar::ice_chars(s, min, 256) {
        Ok(())
    } else {
        Err("must be ice-chars of the allowed length (RFC 8839 §5.4)")
    }
}

impl IceUfrag {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        ice_chars(&value, 4)?;
        Ok(Self(value))
    }

    /// A username fragment (validated).
    pub fn new(ufrag: &str) -> Result<Self, Error> {
        built("IceUfrag", Self::parse, ufrag.to_owned())
    }

    /// The fragment.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl IcePwd {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        ice_chars(&value, 22)?;
        Ok(Self(value))
    }

    /// A password (validated).
    pub fn new(pwd: &str) -> Result<Self, Error> {
        built("IcePwd", Self::parse, pwd.to_owned())
    }

    /// The password.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `a=ice-options:<option> ...` (RFC 8839 §5.6), e.g. `trickle`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IceOptions(String);

impl IceOptions {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        for option in fields(&value, b' ') {
            token(option).map_err(|_| "option is not a token")?;
        }
        Ok(Self(value))
    }

    /// The options, space-separated.
    pub fn new<'a>(options: impl IntoIterator<Item = &'a str>) -> Result<Self, Error> {
        built(
            "IceOptions",
            Self::parse,
            options.into_iter().collect::<Vec<_>>().join(" "),
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// Each option.
    pub fn options(&self) -> impl Iterator<Item = &str> {
        fields(&self.0, b' ')
    }
}

/// `a=fingerprint:<hash function> <hex:hex:...>` (RFC 8122 §5).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(String);

impl Fingerprint {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        c.token("hash function is not a token")?;
        c.expect(b' ', "expected \"<hash function> <fingerprint>\"")?;
        const HEX: &str = "fingerprint is not colon-separated hex byte pairs (RFC 8122 §5)";
        if !c.hex_pairs() {
            return Err(HEX);
        }
        Ok(Self(value))
    }

    /// A fingerprint from the hash function name and the digest bytes (upper-case hex).
    pub fn new(hash_function: &str, digest: &[u8]) -> Result<Self, Error> {
        let hex: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
        built(
            "Fingerprint",
            Self::parse,
            format!("{hash_function} {}", hex.join(":")),
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// The hash function, e.g. `sha-256`.
    pub fn hash_function(&self) -> &str {
        split_space(&self.0).0
    }

    /// The digest, as written (hex pairs).
    pub fn hash(&self) -> &str {
        split_space(&self.0).1
    }
}

/// `a=setup:<role>` (RFC 4145 §4, RFC 8842 for DTLS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setup {
    /// `active`: this endpoint initiates the DTLS handshake (client).
    Active,
    /// `passive`: this endpoint waits (server).
    Passive,
    /// `actpass`: either; offers must use it (RFC 8842 §5.2).
    ActPass,
    /// `holdconn`.
    HoldConn,
}

impl Setup {
    pub(crate) fn parse(value: &str) -> Result<Self, &'static str> {
        match value {
            "active" => Ok(Self::Active),
            "passive" => Ok(Self::Passive),
            "actpass" => Ok(Self::ActPass),
            "holdconn" => Ok(Self::HoldConn),
            _ => Err("not one of active, passive, actpass, holdconn"),
        }
    }

    /// The attribute value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Passive => "passive",
            Self::ActPass => "actpass",
            Self::HoldConn => "holdconn",
        }
    }
}

impl fmt::Display for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
/// [raddr <address>] [rport <port>] *(<extension name> <extension value>)` (RFC 8839 §5.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Candidate {
    value: String,
    component: u16,
    priority: u32,
    port: u16,
}

impl Candidate {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        const FEW: &str = "too few fields (RFC 8839 §5.1)";
        let mut c = Cursor::new(&value);
        if c.ice_chars("foundation must be 1-32 ice-chars")? > 32 {
            return Err("foundation must be 1-32 ice-chars");
        }
        c.expect(b' ', FEW)?;
        let component = c.number(256)?;
        if component == 0 {
            return Err("component id outside 1-256");
        }
        c.expect(b' ', FEW)?;
        c.token("transport is not a token")?;
        c.expect(b' ', FEW)?;
        let priority = c.number(u32::MAX.into())?;
        c.expect(b' ', FEW)?;
        c.field("empty connection address")?;
        c.expect(b' ', FEW)?;
        let port = c.number(u16::MAX.into())?;
        c.expect(b' ', FEW)?;
        c.word(b"typ", "expected \"typ\" after the port")?;
        c.expect(b' ', FEW)?;
        c.token("candidate type is not a token")?;
        // The rest: name/value pairs (raddr, rport and extensions).
        while !c.is_done() {
            c.expect(b' ', "extension name is not a token")?;
            c.token("extension name is not a token")?;
            c.expect(b' ', "extension without a value")?;
            c.field("extension without a value")?;
        }
        Ok(Self {
            value,
            // Bounded by `number(max)` above.
            component: u16::try_from(component).unwrap_or_default(),
            priority: u32::try_from(priority).unwrap_or_default(),
            port: u16::try_from(port).unwrap_or_default(),
        })
    }

    /// A candidate from its text after `candidate:` (as ICE agents render it), validated.
    pub fn new(value: &str) -> Result<Self, Error> {
        built("Candidate", Self::parse, value.to_owned())
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    fn field(&self, index: usize) -> &str {
        // Validated at construction: the first eight fields exist.
        fields(&self.value, b' ').nth(index).unwrap_or_default()
    }

    /// The foundation.
    pub fn foundation(&self) -> &str {
        self.field(0)
    }

    /// The component id (1 = RTP).
    pub fn component(&self) -> u16 {
        self.component
    }

    /// The transport, e.g. `udp`.
    pub fn transport(&self) -> &str {
        self.field(2)
    }

    /// The priority.
    pub fn priority(&self) -> u32 {
        self.priority
    }

    /// The connection address (IP address or FQDN, e.g. an mDNS `.local` name).
    pub fn address(&self) -> &str {
        self.field(4)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The candidate type, e.g. `host`.
    pub fn kind(&self) -> &str {
        self.field(7)
    }

    /// The extension pairs after the type (`raddr`, `rport`, `generation`, ...).
    pub fn extensions(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut rest = fields(&self.value, b' ').skip(8);
        std::iter::from_fn(move || Some((rest.next()?, rest.next()?)))
    }

    /// The value of extension `name`.
    pub fn extension(&self, name: &str) -> Option<&str> {
        self.extensions().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// `a=group:<semantics> <tag> ...` (RFC 5888 §5), e.g. `BUNDLE 0 1 2`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Group(String);

impl Group {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        c.token("semantics is not a token")?;
        while !c.is_done() {
            c.expect(b' ', "identification tags are separated by one space")?;
            c.token("identification tag is not a token")?;
        }
        Ok(Self(value))
    }

    /// A group of mids.
    pub fn new<'a>(
        semantics: &str,
        mids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, Error> {
        let mut value = semantics.to_owned();
        for mid in mids {
            value.push(' ');
            value.push_str(mid);
        }
        built("Group", Self::parse, value)
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// The semantics, e.g. `BUNDLE`.
    pub fn semantics(&self) -> &str {
        split_space(&self.0).0
    }

    /// Whether this is a BUNDLE group (RFC 9143).
    pub fn is_bundle(&self) -> bool {
        self.semantics() == "BUNDLE"
    }

    /// The identification tags (mids), in order. For BUNDLE the first is the tag.
    pub fn mids(&self) -> impl Iterator<Item = &str> {
        fields(&self.0, b' ').skip(1)
    }
}

/// `a=msid-semantic:<semantic> [<id> ...]` (draft-ietf-mmusic-msid; written by Chromium as
/// `msid-semantic: WMS`, with a space, and by aiortc as `msid-semantic:WMS *`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MsidSemantic(String);

impl MsidSemantic {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let trimmed = value.trim_start_matches(' ');
        let (semantic, ids) = split_space(trimmed);
        token(semantic).map_err(|_| "semantic is not a token")?;
        for id in fields(ids, b' ').filter(|id| !id.is_empty()) {
            token(id).map_err(|_| "stream id is not a token")?;
        }
        Ok(Self(value))
    }

    /// `WMS` with the given stream ids, written Chromium's way (`: WMS id`).
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<Self, Error> {
        let mut value = " WMS".to_owned();
        for id in ids {
            value.push(' ');
            value.push_str(id);
        }
        built("MsidSemantic", Self::parse, value)
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// The semantic, e.g. `WMS`.
    pub fn semantic(&self) -> &str {
        split_space(self.0.trim_start_matches(' ')).0
    }

    /// The stream ids listed.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        fields(split_space(self.0.trim_start_matches(' ')).1, b' ').filter(|id| !id.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_candidate() {
        let c = Candidate::parse(
            "3721068748 1 udp 2122194687 192.0.2.2 35695 typ host generation 0 network-id 1".into(),
        )
        .unwrap();
        assert_eq!(c.foundation(), "3721068748");
        assert_eq!(
            (c.component(), c.transport(), c.priority()),
            (1, "udp", 2122194687)
        );
        assert_eq!(
            (c.address(), c.port(), c.kind()),
            ("192.0.2.2", 35695, "host")
        );
        assert_eq!(c.extension("network-id"), Some("1"));
        let relay =
            Candidate::parse("1 1 udp 1 10.0.0.1 3478 typ relay raddr 192.0.2.2 rport 9".into())
                .unwrap();
        assert_eq!(relay.extension("rport"), Some("9"));
        for bad in [
            "1 1 udp 1 10.0.0.1 3478",
            "1 0 udp 1 a 1 typ host",
            "1 1 udp 1 a 1 typ host generation",
        ] {
            assert!(Candidate::parse(bad.into()).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_fingerprint_setup() {
        assert!(IceUfrag::parse("1Wfn".into()).is_ok());
        assert!(IceUfrag::parse("abc".into()).is_err());
        assert!(IcePwd::parse("fLiUH/1QpRXf30dwYvjqDM/K".into()).is_ok());
        assert!(IcePwd::parse("short".into()).is_err());
        let f = Fingerprint::new("sha-256", &[0xAB, 0x01]).unwrap();
        assert_eq!(f.value(), "sha-256 AB:01");
        for good in ["sha-256 AB", "sha-1 ab:0F:9e"] {
            assert!(Fingerprint::parse(good.into()).is_ok(), "{good}");
        }
        for bad in [
            "sha-256 ABC",
            "sha-256 ",
            "sha-256 A",
            "sha-256 AB:",
            "sha-256 AB:CD:",
            "sha-256 AB-CD",
            "sha-256 AG",
            "sha-256 :AB:C",
            "sha-256 AB:CDE:F0",
            "sha-256 AB:\u{e9}",
        ] {
            assert!(Fingerprint::parse(bad.into()).is_err(), "{bad}");
        }
        assert_eq!(Setup::parse("actpass"), Ok(Setup::ActPass));
        assert!(Setup::parse(" actpass").is_err());
    }

    #[test]
    fn group_and_msid_semantic() {
        let g = Group::parse("BUNDLE 0 2".into()).unwrap();
        assert!(g.is_bundle());
        assert_eq!(g.mids().collect::<Vec<_>>(), ["0", "2"]);
        let chromium = MsidSemantic::parse(" WMS".into()).unwrap();
        assert_eq!((chromium.semantic(), chromium.ids().count()), ("WMS", 0));
        let aiortc = MsidSemantic::parse("WMS *".into()).unwrap();
        assert_eq!(aiortc.ids().collect::<Vec<_>>(), ["*"]);
    }
}
