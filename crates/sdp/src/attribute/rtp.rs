//! RTP media attributes: codecs (rtpmap, fmtp, rtcp-fb), header extensions (extmap), sources
//! (ssrc, ssrc-group), stream identification (msid) and simulcast (rid, simulcast).
//!
//! Every type keeps its value text exactly as written — the writer emits that text, so a round
//! trip is byte-identical — and caches the scalars parsed when it was validated. Strings are
//! sliced out of the text on demand. Constructors write canonical text and keep the scalars
//! they were given: the codec and source builders a session calls per m-section check their
//! inputs against the grammar first and write the value directly when every input is valid
//! (a token has no space, `/`, `:`, NUL, CR or LF, RFC 8866 §9), which makes the value parse to
//! exactly those scalars; any other input goes through the parser, which names what is wrong.
//! Either way a value built here re-parses to itself (`rtp/tests.rs` checks both paths give
//! the same result for arbitrary inputs).

use super::grammar::{Cursor, fields, line_safe, payload_type, split_byte, split_space, token};
use super::{built, push_number};
use crate::Error;
use crate::vocab::Direction;

/// The largest RTP payload type (RFC 3550 §5.1: 7 bits), as `Cursor::payload_type` bounds it.
const MAX_PAYLOAD_TYPE: u8 = 127;

/// Narrows a number the cursor already bounded to `T`'s range.
fn narrow<T: TryFrom<u64> + Default>(n: u64) -> T {
    // `Cursor::number(max)` returned at most `T::MAX`, so the conversion cannot fail.
    T::try_from(n).unwrap_or_default()
}

/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]` (RFC 8866 §6.6).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RtpMap {
    value: String,
    payload_type: u8,
    clock_rate: u32,
    channels: Option<u16>,
}

impl RtpMap {
    #[inline]
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        let payload_type = c.payload_type()?;
        c.expect(b' ', "expected \"<payload type> <encoding>\"")?;
        c.token("encoding name is not a token")?;
        c.expect(b'/', "missing clock rate")?;
        let clock_rate = narrow(c.number(u32::MAX.into())?);
        let channels = if c.eat(b'/') {
            Some(narrow(c.number(u16::MAX.into())?))
        } else {
            None
        };
        c.end("unexpected text after the encoding")?;
        Ok(Self {
            value,
            payload_type,
            clock_rate,
            channels,
        })
    }

    /// A codec mapping, e.g. `RtpMap::new(111, "opus", 48000, Some(2))`.
    pub fn new(
        payload_type: u8,
        encoding_name: &str,
        clock_rate: u32,
        channels: Option<u16>,
    ) -> Result<Self, Error> {
        if payload_type <= MAX_PAYLOAD_TYPE && token(encoding_name).is_ok() {
            // `<payload type> <token>/<clock rate>[/<channels>]`, numbers without leading
            // zeros: what `parse` accepts, with these scalars.
            let mut value = String::with_capacity(encoding_name.len() + 18);
            push_number(&mut value, payload_type.into());
            value.push(' ');
            value.push_str(encoding_name);
            value.push('/');
            push_number(&mut value, clock_rate.into());
            if let Some(c) = channels {
                value.push('/');
                push_number(&mut value, c.into());
            }
            return Ok(Self {
                value,
                payload_type,
                clock_rate,
                channels,
            });
        }
        let value = match channels {
            Some(c) => format!("{payload_type} {encoding_name}/{clock_rate}/{c}"),
            None => format!("{payload_type} {encoding_name}/{clock_rate}"),
        };
        built("RtpMap", Self::parse, value)
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The payload type.
    pub fn payload_type(&self) -> u8 {
        self.payload_type
    }

    /// The encoding name as written (compare case-insensitively, RFC 8866 §6.6).
    pub fn encoding_name(&self) -> &str {
        let encoding = split_space(&self.value).1;
        fields(encoding, b'/').next().unwrap_or_default()
    }

    /// The RTP clock rate.
    pub fn clock_rate(&self) -> u32 {
        self.clock_rate
    }

    /// The encoding parameters (channels for audio), if any.
    pub fn channels(&self) -> Option<u16> {
        self.channels
    }
}

/// `a=fmtp:<format> <parameters>` (RFC 8866 §6.15); parameters are `;`-separated
/// `key[=value]` pairs in every codec WebRTC uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fmtp {
    value: String,
    payload_type: Option<u8>,
}

impl Fmtp {
    #[inline]
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        let format = c.token_text("format is not a token")?;
        c.expect(b' ', "no format parameters")?;
        // `trim().is_empty()` without trimming: stops at the first character.
        if c.rest().chars().all(char::is_whitespace) {
            return Err("no format parameters");
        }
        let payload_type = payload_type(format).ok();
        Ok(Self {
            value,
            payload_type,
        })
    }

    /// Parameters for `payload_type`, written `k=v;k=v` in the given order.
    pub fn new<'a>(
        payload_type: u8,
        params: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Result<Self, Error> {
        let mut value = format!("{payload_type} ");
        for (i, (key, val)) in params.into_iter().enumerate() {
            if i > 0 {
                value.push(';');
            }
            if key.contains([';', '=', ' ']) || val.is_some_and(|v| v.contains([';', ' '])) {
                return Err(Error::value("Fmtp")(
                    "parameter contains ';', '=' or a space",
                ));
            }
            value.push_str(key);
            if let Some(val) = val {
                value.push('=');
                value.push_str(val);
            }
        }
        built("Fmtp", Self::parse, value)
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The format as written.
    pub fn format(&self) -> &str {
        split_space(&self.value).0
    }

    /// The format as an RTP payload type, when it is one.
    pub fn payload_type(&self) -> Option<u8> {
        self.payload_type
    }

    /// The parameters as written after the format.
    pub fn parameters(&self) -> &str {
        split_space(&self.value).1
    }

    /// The `;`-separated parameters as `(key, value)`, whitespace-trimmed.
    pub fn params(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        fields(self.parameters(), b';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| match split_byte(p, b'=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (p, None),
            })
    }

    /// The value of parameter `key`, if present with a value.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params().find(|(k, _)| *k == key).and_then(|(_, v)| v)
    }
}

/// `a=rtcp-fb:<payload type | *> <type>[ <parameter>]` (RFC 4585 §4.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RtcpFb {
    value: String,
    payload_type: Option<u8>,
}

impl RtcpFb {
    #[inline]
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        let payload_type = if c.eat(b'*') {
            None
        } else {
            Some(c.payload_type()?)
        };
        c.expect(b' ', "expected \"<payload type> <feedback>\"")?;
        c.token("feedback type is not a token")?;
        if !c.is_done() {
            c.expect(b' ', "feedback type is not a token")?;
            c.field_follows("empty feedback parameter")?;
        }
        Ok(Self {
            value,
            payload_type,
        })
    }

    /// Feedback for `payload_type` (`None` = `*`, every payload type).
    pub fn new(payload_type: Option<u8>, kind: &str, param: Option<&str>) -> Result<Self, Error> {
        let valid_param = |p: &str| !p.is_empty() && !p.starts_with(' ') && line_safe(p).is_ok();
        if payload_type.is_none_or(|pt| pt <= MAX_PAYLOAD_TYPE)
            && token(kind).is_ok()
            && param.is_none_or(valid_param)
        {
            // `<payload type | *> <token>[ <parameter>]`, the parameter non-empty and not
            // starting with a space: what `parse` accepts.
            let mut value = String::with_capacity(kind.len() + param.map_or(0, str::len) + 5);
            match payload_type {
                Some(pt) => push_number(&mut value, pt.into()),
                None => value.push('*'),
            }
            value.push(' ');
            value.push_str(kind);
            if let Some(param) = param {
                value.push(' ');
                value.push_str(param);
            }
            return Ok(Self {
                value,
                payload_type,
            });
        }
        let pt = payload_type.map_or_else(|| "*".to_owned(), |pt| pt.to_string());
        built(
            "RtcpFb",
            Self::parse,
            match param {
                Some(param) => format!("{pt} {kind} {param}"),
                None => format!("{pt} {kind}"),
            },
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The payload type, or `None` for `*`.
    pub fn payload_type(&self) -> Option<u8> {
        self.payload_type
    }

    /// The feedback type, e.g. `nack`, `transport-cc`.
    pub fn kind(&self) -> &str {
        split_space(split_space(&self.value).1).0
    }

    /// The feedback parameter, e.g. `pli` in `nack pli`.
    pub fn param(&self) -> Option<&str> {
        let rest = split_space(split_space(&self.value).1).1;
        (!rest.is_empty()).then_some(rest)
    }
}

/// `a=extmap:<id>[/<direction>] <uri>[ <attributes>]` (RFC 8285 §8).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExtMap {
    value: String,
    id: u16,
    direction: Option<Direction>,
}

impl ExtMap {
    #[inline]
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        let id = narrow(c.number(u16::MAX.into())?);
        // RFC 8285 §7: 1-14 (one-byte), 1-255 (two-byte); 4096-4351 in offers for the
        // answerer to choose.
        if !(1..=255).contains(&id) && !(4096..=4351).contains(&id) {
            return Err("id outside 1-255 and 4096-4351 (RFC 8285 §7)");
        }
        let direction = if c.eat(b'/') {
            Some(
                c.token_text("invalid direction")?
                    .parse()
                    .map_err(|_| "invalid direction")?,
            )
        } else {
            None
        };
        c.expect(b' ', "expected \"<id> <uri>\"")?;
        c.field_follows("missing extension URI")?;
        Ok(Self {
            value,
            id,
            direction,
        })
    }

    /// A header extension mapping.
    pub fn new(id: u16, direction: Option<Direction>, uri: &str) -> Result<Self, Error> {
        if uri.contains(' ') {
            return Err(Error::value("ExtMap")("URI contains a space"));
        }
        if ((1..=255).contains(&id) || (4096..=4351).contains(&id))
            && !uri.is_empty()
            && line_safe(uri).is_ok()
        {
            // `<id>[/<direction>] <uri>`, the id in the ranges `parse` accepts, the URI
            // non-empty without spaces.
            let direction_text = direction.map(Direction::as_str);
            let mut value =
                String::with_capacity(uri.len() + direction_text.map_or(0, str::len) + 7);
            push_number(&mut value, id.into());
            if let Some(d) = direction_text {
                value.push('/');
                value.push_str(d);
            }
            value.push(' ');
            value.push_str(uri);
            return Ok(Self {
                value,
                id,
                direction,
            });
        }
        built(
            "ExtMap",
            Self::parse,
            match direction {
                Some(d) => format!("{id}/{d} {uri}"),
                None => format!("{id} {uri}"),
            },
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The local identifier.
    pub fn id(&self) -> u16 {
        self.id
    }

    /// The direction, if given.
    pub fn direction(&self) -> Option<Direction> {
        self.direction
    }

    /// The extension URI.
    pub fn uri(&self) -> &str {
        split_space(split_space(&self.value).1).0
    }

    /// Extension attributes after the URI, if any.
    pub fn attributes(&self) -> Option<&str> {
        let rest = split_space(split_space(&self.value).1).1;
        (!rest.is_empty()).then_some(rest)
    }
}

/// `a=ssrc:<ssrc> <attribute>[:<value>]` (RFC 5576 §4.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ssrc {
    value: String,
    ssrc: u32,
}

impl Ssrc {
    #[inline]
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        let ssrc = narrow(c.number(u32::MAX.into())?);
        c.expect(b' ', "expected \"<ssrc> <attribute>\"")?;
        c.token("source attribute name is not a token")?;
        if !c.is_done() {
            c.expect(b':', "source attribute name is not a token")?;
        }
        Ok(Self { value, ssrc })
    }

    /// A source attribute, e.g. `Ssrc::new(1234, "cname", Some("abc"))`.
    pub fn new(ssrc: u32, attribute: &str, value: Option<&str>) -> Result<Self, Error> {
        if token(attribute).is_ok() && value.is_none_or(|v| line_safe(v).is_ok()) {
            // `<ssrc> <token>[:<value>]`: what `parse` accepts (the value is free text).
            let mut text = String::with_capacity(attribute.len() + value.map_or(0, str::len) + 12);
            push_number(&mut text, ssrc.into());
            text.push(' ');
            text.push_str(attribute);
            if let Some(v) = value {
                text.push(':');
                text.push_str(v);
            }
            return Ok(Self { value: text, ssrc });
        }
        built(
            "Ssrc",
            Self::parse,
            match value {
                Some(v) => format!("{ssrc} {attribute}:{v}"),
                None => format!("{ssrc} {attribute}"),
            },
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The SSRC.
    pub fn ssrc(&self) -> u32 {
        self.ssrc
    }

    /// The source attribute name, e.g. `cname`, `msid`.
    pub fn attribute(&self) -> &str {
        let attribute = split_space(&self.value).1;
        split_byte(attribute, b':').map_or(attribute, |(n, _)| n)
    }

    /// The source attribute value, if any.
    pub fn attribute_value(&self) -> Option<&str> {
        split_byte(split_space(&self.value).1, b':').map(|(_, v)| v)
    }
}

/// `a=ssrc-group:<semantics> <ssrc>...` (RFC 5576 §4.2), e.g. `FID` for RTX.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SsrcGroup {
    value: String,
}

impl SsrcGroup {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        c.token("semantics is not a token")?;
        if c.is_done() {
            return Err("no SSRC in the group");
        }
        while !c.is_done() {
            c.expect(b' ', "expected SSRCs separated by spaces")?;
            c.number(u32::MAX.into())?;
        }
        Ok(Self { value })
    }

    /// A group of sources.
    pub fn new(semantics: &str, ssrcs: &[u32]) -> Result<Self, Error> {
        let mut value = semantics.to_owned();
        for ssrc in ssrcs {
            value.push(' ');
            value.push_str(&ssrc.to_string());
        }
        built("SsrcGroup", Self::parse, value)
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The semantics, e.g. `FID`, `SIM`.
    pub fn semantics(&self) -> &str {
        split_space(&self.value).0
    }

    /// The SSRCs, in order.
    pub fn ssrcs(&self) -> impl Iterator<Item = u32> + '_ {
        // Validated at construction: every field after the semantics is a u32.
        fields(&self.value, b' ')
            .skip(1)
            .filter_map(|s| s.parse().ok())
    }
}

/// `a=msid:<stream id> [<track id>]` (RFC 8830 §2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Msid {
    value: String,
}

impl Msid {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let mut c = Cursor::new(&value);
        c.token("stream id is not a token")?;
        if c.eat(b' ') {
            c.token("track id is not a token")?;
        }
        c.end("stream and track ids are tokens")?;
        Ok(Self { value })
    }

    /// `a=msid:<stream> <track>`; `stream` is `-` for a track without a stream.
    pub fn new(stream: &str, track: Option<&str>) -> Result<Self, Error> {
        built(
            "Msid",
            Self::parse,
            match track {
                Some(t) => format!("{stream} {t}"),
                None => stream.to_owned(),
            },
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The stream id (`-` = none).
    pub fn stream_id(&self) -> &str {
        split_space(&self.value).0
    }

    /// The track id ("appdata"), if any.
    pub fn track_id(&self) -> Option<&str> {
        let track = split_space(&self.value).1;
        (!track.is_empty()).then_some(track)
    }
}

/// The direction of a `rid` (RFC 8851 §10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RidDirection {
    /// `send`.
    Send,
    /// `recv`.
    Recv,
}

fn rid_id(s: &str) -> Result<&str, &'static str> {
    // RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_")
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(s)
    } else {
        Err("invalid rid-id (RFC 8851 §10)")
    }
}

/// `a=rid:<id> <send|recv>[ <restrictions>]` (RFC 8851 §10).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rid {
    value: String,
    direction: RidDirection,
}

impl Rid {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let (id, rest) = split_byte(&value, b' ').ok_or("expected \"<id> <send|recv>\"")?;
        rid_id(id)?;
        let (direction, restrictions) = split_space(rest);
        let direction = match direction {
            "send" => RidDirection::Send,
            "recv" => RidDirection::Recv,
            _ => return Err("direction is neither send nor recv"),
        };
        if restrictions.starts_with(' ') {
            return Err("double space before restrictions");
        }
        Ok(Self { value, direction })
    }

    /// A restriction identifier without restrictions.
    pub fn new(id: &str, direction: RidDirection) -> Result<Self, Error> {
        let direction = match direction {
            RidDirection::Send => "send",
            RidDirection::Recv => "recv",
        };
        built("Rid", Self::parse, format!("{id} {direction}"))
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The rid.
    pub fn id(&self) -> &str {
        split_space(&self.value).0
    }

    /// Send or receive.
    pub fn direction(&self) -> RidDirection {
        self.direction
    }

    /// The restrictions after the direction, if any (e.g. `pt=96;max-width=1280`).
    pub fn restrictions(&self) -> Option<&str> {
        let rest = split_space(split_space(&self.value).1).1;
        (!rest.is_empty()).then_some(rest)
    }
}

/// `a=simulcast:<send|recv> <streams>[ <send|recv> <streams>]` (RFC 8853 §5.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Simulcast {
    value: String,
}

impl Simulcast {
    pub(crate) fn parse(value: String) -> Result<Self, &'static str> {
        let parts: Vec<&str> = fields(&value, b' ').collect();
        if parts.len() != 2 && parts.len() != 4 {
            return Err("expected \"<send|recv> <streams>\" once or twice");
        }
        for pair in parts.chunks(2) {
            if !matches!(pair[0], "send" | "recv") {
                return Err("direction is neither send nor recv");
            }
            for alternatives in fields(pair[1], b';') {
                for id in fields(alternatives, b',') {
                    rid_id(id.strip_prefix('~').unwrap_or(id))?;
                }
            }
        }
        if parts.len() == 4 && parts[0] == parts[2] {
            return Err("the same direction twice");
        }
        Ok(Self { value })
    }

    /// Simulcast in one direction: each stream is a rid.
    pub fn new<'a>(
        direction: RidDirection,
        rids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, Error> {
        let direction = match direction {
            RidDirection::Send => "send",
            RidDirection::Recv => "recv",
        };
        let rids: Vec<&str> = rids.into_iter().collect();
        built(
            "Simulcast",
            Self::parse,
            format!("{direction} {}", rids.join(";")),
        )
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The streams for `direction`: each a list of alternative rids (a leading `~` marks a
    /// paused stream and is kept).
    pub fn streams(&self, direction: RidDirection) -> Vec<Vec<&str>> {
        let wanted = match direction {
            RidDirection::Send => "send",
            RidDirection::Recv => "recv",
        };
        let parts: Vec<&str> = fields(&self.value, b' ').collect();
        parts
            .chunks(2)
            .filter(|pair| pair[0] == wanted)
            .flat_map(|pair| fields(pair[1], b';').map(|alt| fields(alt, b',').collect()))
            .collect()
    }
}

#[cfg(test)]
mod tests;
