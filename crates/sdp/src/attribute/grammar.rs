//! Small grammar helpers shared by the attribute parsers (RFC 8866 §9 tokens, RFC 8839 ICE
//! characters, decimal numbers). Each returns `Err(reason)`; the caller adds the rule.

/// Byte classes, one bit each in [`CLASS`]: the attribute parsers check every byte of most
/// fields, so a class test is one table load and one `and`.
const TOKEN: u8 = 1;
/// RFC 8839 §5.4 `ice-char` = ALPHA / DIGIT / "+" / "/".
const ICE: u8 = 2;
const HEX: u8 = 4;

/// The class bits of every byte value.
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        // `b` is below 256, so the cast is exact.
        let c = b as u8;
        // RFC 8866 §9 token-char.
        if c.is_ascii_alphanumeric()
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
            )
        {
            table[b] |= TOKEN;
        }
        if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' {
            table[b] |= ICE;
        }
        if c.is_ascii_hexdigit() {
            table[b] |= HEX;
        }
        b += 1;
    }
    table
};

#[inline]
fn is(class: u8, b: u8) -> bool {
    CLASS[usize::from(b)] & class != 0
}

/// RFC 8866 §9 `token-char`.
#[inline]
pub(crate) fn is_token_char(b: u8) -> bool {
    is(TOKEN, b)
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
    if !s.is_empty() && all_in(TOKEN, s.as_bytes()) {
        Ok(s)
    } else {
        Err("expected a token (RFC 8866 §9 token-char)")
    }
}

/// Whether every byte of `s` is in `class`: a table test per byte, no early exit (the values
/// checked are short and almost always valid, so a branch per byte would cost more).
#[inline]
fn all_in(class: u8, s: &[u8]) -> bool {
    s.iter().fold(class, |acc, &b| acc & CLASS[usize::from(b)]) != 0
}

/// Whether `s` is `min` to `max` ice-chars.
pub(crate) fn ice_chars(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && all_in(ICE, s.as_bytes())
}

/// Why a decimal number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberProblem {
    /// No digit.
    Missing,
    /// A leading zero: equal numbers must be equal text, for the round-trip property.
    LeadingZero,
    /// Above the maximum.
    Range,
}

impl NumberProblem {
    fn reason(self, range: &'static str) -> &'static str {
        match self {
            Self::Missing => "expected a decimal number",
            Self::LeadingZero => "expected a decimal number without leading zeros",
            Self::Range => range,
        }
    }
}

/// The canonical unsigned decimal at `bytes[start..]` (digits only, no sign, no leading zero
/// except "0"), at most `max`: its value and where its digits end. One pass; up to 19 digits
/// cannot overflow a `u64`, so the loop multiplies without checks and only a number of 20 or
/// more digits takes the checked path.
#[inline(always)]
fn read_decimal(bytes: &[u8], start: usize, max: u64) -> Result<(u64, usize), NumberProblem> {
    let mut end = start;
    let mut value: u64 = 0;
    while let Some(&b) = bytes.get(end) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        end += 1;
    }
    match end - start {
        0 => return Err(NumberProblem::Missing),
        n if n > 1 && bytes[start] == b'0' => return Err(NumberProblem::LeadingZero),
        n if n > 19 => value = long_decimal(&bytes[start..end]).ok_or(NumberProblem::Range)?,
        _ => {}
    }
    if value > max {
        return Err(NumberProblem::Range);
    }
    Ok((value, end))
}

/// The value of 20 or more digits, `None` above `u64::MAX`.
#[cold]
fn long_decimal(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |value, &d| {
        value.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// `s` as a whole is a canonical decimal of at most `max`.
#[inline]
fn decimal(s: &str, max: u64, range: &'static str) -> Result<u64, &'static str> {
    match read_decimal(s.as_bytes(), 0, max) {
        Ok((value, end)) if end == s.len() => Ok(value),
        Ok(_) => Err(NumberProblem::Missing.reason(range)),
        Err(problem) => Err(problem.reason(range)),
    }
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

    /// Consumes the bytes of `class`, possibly none, and says how many. The parsers mostly
    /// validate and move on, so nothing is sliced here (a `str` slice checks char boundaries).
    #[inline(always)]
    fn skip_class(&mut self, class: u8) -> usize {
        let rest = self.s.as_bytes().get(self.pos..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&b| !is(class, b))
            .unwrap_or(rest.len());
        self.pos += n;
        n
    }

    /// A non-empty token.
    #[inline]
    pub(crate) fn token(&mut self, what: &'static str) -> Result<(), &'static str> {
        if self.skip_class(TOKEN) == 0 {
            Err(what)
        } else {
            Ok(())
        }
    }

    /// A non-empty token, as text.
    #[inline]
    pub(crate) fn token_text(&mut self, what: &'static str) -> Result<&'a str, &'static str> {
        let start = self.pos;
        self.token(what)?;
        // Token bytes are ASCII, so both ends are char boundaries.
        Ok(self.s.get(start..self.pos).unwrap_or_default())
    }

    /// A non-empty run of ice-chars: its length.
    #[inline]
    pub(crate) fn ice_chars(&mut self, what: &'static str) -> Result<usize, &'static str> {
        match self.skip_class(ICE) {
            0 => Err(what),
            n => Ok(n),
        }
    }

    /// A non-empty field up to the next space (or the end); any bytes but space.
    #[inline(always)]
    pub(crate) fn field(&mut self, what: &'static str) -> Result<(), &'static str> {
        let rest = self.s.as_bytes().get(self.pos..).unwrap_or_default();
        let n = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        self.pos += n;
        if n == 0 { Err(what) } else { Ok(()) }
    }

    /// The field `word` exactly (followed by a space or the end).
    #[inline]
    pub(crate) fn word(&mut self, word: &[u8], what: &'static str) -> Result<(), &'static str> {
        let rest = &self.s.as_bytes()[self.pos..];
        if rest.starts_with(word) && rest.get(word.len()).is_none_or(|&b| b == b' ') {
            self.pos += word.len();
            Ok(())
        } else {
            Err(what)
        }
    }

    /// A canonical decimal number no larger than `max`, read in one pass.
    #[inline]
    pub(crate) fn number(&mut self, max: u64) -> Result<u64, &'static str> {
        self.decimal(max, "number out of range")
    }

    /// An RTP payload type (0-127, RFC 3550 §5.1).
    #[inline]
    pub(crate) fn payload_type(&mut self) -> Result<u8, &'static str> {
        let pt = self.decimal(127, PAYLOAD_TYPE_RANGE)?;
        // At most 127.
        Ok(u8::try_from(pt).unwrap_or_default())
    }

    #[inline(always)]
    fn decimal(&mut self, max: u64, range: &'static str) -> Result<u64, &'static str> {
        let (value, end) =
            read_decimal(self.s.as_bytes(), self.pos, max).map_err(|p| p.reason(range))?;
        self.pos = end;
        Ok(value)
    }

    /// The rest is hex byte pairs separated by colons (`AB:CD:...`, RFC 8122 §5); consumes it.
    pub(crate) fn hex_pairs(&mut self) -> bool {
        let rest = &self.s.as_bytes()[self.pos..];
        // Every pair but the last is followed by a colon: the length is 3k + 2.
        if rest.len() % 3 != 2 {
            return false;
        }
        let mut i = 0;
        while i < rest.len() {
            // `i + 1` is in bounds: the length is 3k + 2 and `i` steps by 3 from 0.
            if !is(HEX, rest[i]) || !is(HEX, rest[i + 1]) {
                return false;
            }
            if rest.get(i + 2).is_some_and(|&b| b != b':') {
                return false;
            }
            i += 3;
        }
        self.pos = self.s.len();
        true
    }

    /// A non-empty field starts here (not read: nothing after it is parsed).
    #[inline]
    pub(crate) fn field_follows(&self, what: &'static str) -> Result<(), &'static str> {
        match self.s.as_bytes().get(self.pos) {
            Some(&b) if b != b' ' => Ok(()),
            _ => Err(what),
        }
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

const PAYLOAD_TYPE_RANGE: &str = "payload type above 127 (RFC 3550 §5.1)";

/// An RTP payload type: 0-127 (RFC 3550 §5.1, 7 bits).
pub(crate) fn payload_type(s: &str) -> Result<u8, &'static str> {
    let pt = decimal(s, 127, PAYLOAD_TYPE_RANGE)?;
    // At most 127.
    Ok(u8::try_from(pt).unwrap_or_default())
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
        assert_eq!(c.token_text("name"), Ok("opus"));
        assert!(c.eat(b'/'));
        assert_eq!(c.number(u32::MAX.into()), Ok(48000));
        assert!(c.eat(b'/') && c.number(9) == Ok(2) && c.is_done());
        let mut c = Cursor::new("a b");
        assert_eq!(c.field("f"), Ok(()));
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
        assert!(u16_number("12a").is_err());
        assert_eq!(u64_number("18446744073709551615"), Ok(u64::MAX));
        assert!(u64_number("18446744073709551616").is_err());
        assert!(u64_number("99999999999999999999").is_err());
        assert!(u64_number("184467440737095516150").is_err());
        assert_eq!(
            u64_number("9999999999999999999"),
            Ok(9_999_999_999_999_999_999)
        );
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
        assert!(ice_chars("a/b+", 4, 4) && !ice_chars("a-bc", 4, 4) && !ice_chars("a/b", 4, 4));
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
