//! Small grammar helpers shared by the attribute parsers (RFC 8866 §9 tokens, RFC 8839 ICE
//! characters, decimal numbers). Each returns `Err(reason)`; the caller adds the rule.

/// RFC 8866 §9 `token-char`, as a table: the attribute parsers check every byte of most
/// fields, so this is on the hot path.
static TOKEN_CHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // `b` is below 256, so the cast is exact.
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
            );
        b += 1;
    }
    table
};

/// RFC 8866 §9 `token-char`.
#[inline]
pub(crate) fn is_token_char(b: u8) -> bool {
    TOKEN_CHAR[usize::from(b)]
}

/// Splits at the first `byte` (an ASCII byte, so both halves are valid `str`s); `None` when
/// there is none. A byte scan: the values are short, and `str::split_once` with a `char`
/// pattern costs more in set-up than in searching.
pub(crate) fn split_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == byte)?;
    // `byte` is ASCII, so `i` and `i + 1` are char boundaries.
    Some((&s[..i], &s[i + 1..]))
}

/// The fields of `s` separated by `byte`, like `s.split(char)` (empty fields included).
pub(crate) fn fields(s: &str, byte: u8) -> Fields<'_> {
    Fields {
        rest: Some(s),
        byte,
    }
}

/// Iterator of [`fields`].
pub(crate) struct Fields<'a> {
    rest: Option<&'a str>,
    byte: u8,
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_byte(rest, self.byte) {
            Some((field, tail)) => {
                self.rest = Some(tail);
                Some(field)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// A non-empty RFC 8866 token.
pub(crate) fn token(s: &str) -> Result<&str, &'static str> {
    if !s.is_empty() && s.bytes().all(is_token_char) {
        Ok(s)
    } else {
        Err("expected a token (RFC 8866 §9 token-char)")
    }
}

/// RFC 8839 §5.4 `ice-char` = ALPHA / DIGIT / "+" / "/".
#[inline]
pub(crate) fn is_ice_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// A canonical unsigned decimal: digits only, no sign, no leading zero (except "0"), at most
/// `max`. Canonical form matters: equal numbers must mean equal text for the round-trip
/// property. One pass: validation and value together.
#[inline]
fn decimal(s: &str, max: u64, range: &'static str) -> Result<u64, &'static str> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err("expected a decimal number");
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return Err("expected a decimal number without leading zeros");
    }
    let mut value: u64 = 0;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return Err("expected a decimal number");
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(digit)))
            .filter(|v| *v <= max)
            .ok_or(range)?;
    }
    Ok(value)
}

pub(crate) fn u8_number(s: &str) -> Result<u8, &'static str> {
    const RANGE: &str = "number out of range (0-255)";
    decimal(s, u8::MAX.into(), RANGE).and_then(|v| u8::try_from(v).map_err(|_| RANGE))
}

pub(crate) fn u16_number(s: &str) -> Result<u16, &'static str> {
    const RANGE: &str = "number out of range (0-65535)";
    decimal(s, u16::MAX.into(), RANGE).and_then(|v| u16::try_from(v).map_err(|_| RANGE))
}

pub(crate) fn u64_number(s: &str) -> Result<u64, &'static str> {
    decimal(s, u64::MAX, "number out of range")
}

/// A single-pass reader over an attribute value: each byte is looked at once, and fields are
/// validated as they are delimited. The typed attribute parsers are written with it because
/// they run on every line of every description.
pub(crate) struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    pub(crate) fn new(s: &'a str) -> Self {
        Self { s, pos: 0 }
    }

    /// Nothing left.
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// The unread rest.
    #[inline]
    pub(crate) fn rest(&self) -> &'a str {
        // `pos` only ever stops after an ASCII byte or at the end: a char boundary.
        &self.s[self.pos..]
    }

    /// Consumes the bytes for which `keep` holds (all ASCII), possibly none.
    #[inline]
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        let rest = self.s.as_bytes().get(start..).unwrap_or_default();
        self.pos += rest.iter().position(|&b| !keep(b)).unwrap_or(rest.len());
        // Only ASCII bytes were consumed (every `keep` used here rejects bytes >= 0x80), so
        // both ends are char boundaries.
        self.s.get(start..self.pos).unwrap_or_default()
    }

    /// A non-empty token.
    #[inline]
    pub(crate) fn token(&mut self, what: &'static str) -> Result<&'a str, &'static str> {
        let t = self.take_while(is_token_char);
        if t.is_empty() { Err(what) } else { Ok(t) }
    }

    /// A non-empty run of ice-chars.
    #[inline]
    pub(crate) fn ice_chars(&mut self, what: &'static str) -> Result<&'a str, &'static str> {
        let t = self.take_while(is_ice_char);
        if t.is_empty() { Err(what) } else { Ok(t) }
    }

    /// A non-empty field up to the next space (or the end); any bytes but space.
    #[inline]
    pub(crate) fn field(&mut self, what: &'static str) -> Result<&'a str, &'static str> {
        let rest = &self.s.as_bytes()[self.pos..];
        let len = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        let start = self.pos;
        self.pos += len;
        // Stopped at a space (ASCII) or the end: a char boundary.
        let f = &self.s[start..self.pos];
        if f.is_empty() { Err(what) } else { Ok(f) }
    }

    /// A canonical decimal number no larger than `max`, read in one pass.
    #[inline]
    pub(crate) fn number(&mut self, max: u64) -> Result<u64, &'static str> {
        let bytes = self.s.as_bytes();
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(&b) = bytes.get(self.pos) {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(digit)))
                .filter(|v| *v <= max)
                .ok_or("number out of range")?;
            self.pos += 1;
        }
        match self.pos - start {
            0 => Err("expected a decimal number"),
            n if n > 1 && bytes[start] == b'0' => {
                Err("expected a decimal number without leading zeros")
            }
            _ => Ok(value),
        }
    }

    /// An RTP payload type (0-127, RFC 3550 §5.1).
    #[inline]
    pub(crate) fn payload_type(&mut self) -> Result<u8, &'static str> {
        let pt = self.number(127).map_err(|e| match e {
            "number out of range" => "payload type above 127 (RFC 3550 §5.1)",
            other => other,
        })?;
        // At most 127.
        Ok(u8::try_from(pt).unwrap_or_default())
    }

    /// Two hex digits.
    #[inline]
    pub(crate) fn take_hex_pair(&mut self) -> Option<&'a str> {
        let bytes = self.s.as_bytes();
        let pair = bytes.get(self.pos..self.pos + 2)?;
        if !pair.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.pos += 2;
        // Two ASCII bytes.
        Some(&self.s[self.pos - 2..self.pos])
    }

    /// Consumes `byte` if it is next.
    #[inline]
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        if self.s.as_bytes().get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Requires `byte` next.
    #[inline]
    pub(crate) fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) { Ok(()) } else { Err(what) }
    }

    /// Requires the end.
    #[inline]
    pub(crate) fn end(&self, what: &'static str) -> Result<(), &'static str> {
        if self.is_done() { Ok(()) } else { Err(what) }
    }
}

/// An RTP payload type: 0-127 (RFC 3550 §5.1, 7 bits).
pub(crate) fn payload_type(s: &str) -> Result<u8, &'static str> {
    let pt = u8_number(s)?;
    if pt > 127 {
        return Err("payload type above 127 (RFC 3550 §5.1)");
    }
    Ok(pt)
}

/// Splits `s` at the first space; the rest may be empty.
pub(crate) fn split_space(s: &str) -> (&str, &str) {
    split_byte(s, b' ').unwrap_or((s, ""))
}

/// Text that may be embedded in an SDP line: no NUL, CR or LF (RFC 8866 §5). Builders check
/// every caller-supplied string with this so a value can never inject a line.
pub(crate) fn line_safe(s: &str) -> Result<&str, &'static str> {
    if s.bytes().any(|b| matches!(b, 0 | b'\r' | b'\n')) {
        Err("contains NUL, CR or LF (RFC 8866 §5)")
    } else {
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[inline]
    fn cursor_reads_fields_once() {
        let mut c = Cursor::new("111 opus/48000/2");
        assert_eq!(c.payload_type(), Ok(111));
        c.expect(b' ', "space").unwrap();
        assert_eq!(c.token("name"), Ok("opus"));
        assert!(c.eat(b'/'));
        assert_eq!(c.number(u32::MAX.into()), Ok(48000));
        assert!(c.eat(b'/') && c.number(9) == Ok(2) && c.is_done());
        let mut c = Cursor::new("a b");
        assert_eq!(c.field("f"), Ok("a"));
        assert_eq!(c.rest(), " b");
        assert!(Cursor::new("").token("t").is_err());
        assert!(Cursor::new("007").number(1000).is_err());
        assert!(
            Cursor::new("18446744073709551616")
                .number(u64::MAX)
                .is_err()
        );
    }

    #[test]
    #[inline]
    fn numbers_must_be_canonical() {
        assert_eq!(u16_number("5000"), Ok(5000));
        assert_eq!(u16_number("0"), Ok(0));
        assert!(u16_number("05000").is_err());
        assert!(u16_number("+1").is_err());
        assert!(u16_number("70000").is_err());
        assert!(u16_number("").is_err());
        assert!(payload_type("128").is_err());
        assert_eq!(payload_type("127"), Ok(127));
    }

    #[test]
    #[inline]
    fn tokens_and_ice_chars() {
        assert!(token("BUNDLE").is_ok());
        assert!(token("a b").is_err());
        assert!(token("").is_err());
        assert!(is_ice_char(b'/') && !is_ice_char(b'-'));
        assert!(line_safe("x\r\ny").is_err());
    }

    #[test]
    #[inline]
    fn byte_splitting_matches_str_split() {
        for s in ["", "a", "a b", " a  b ", "a b c"] {
            assert_eq!(
                fields(s, b' ').collect::<Vec<_>>(),
                s.split(' ').collect::<Vec<_>>()
            );
            assert_eq!(split_byte(s, b' '), s.split_once(' '));
        }
    }
}
