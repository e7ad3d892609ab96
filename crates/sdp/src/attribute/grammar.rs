//! Small grammar helpers shared by the attribute parsers (RFC 8866 §9 tokens, RFC 8839 ICE
//! characters, decimal numbers). Each returns `Err(reason)`; the caller adds the rule.

/// RFC 8866 §9 `token-char`.
pub(crate) fn is_token_char(b: u8) -> bool {
    matches!(
        b,
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
    ) || b.is_ascii_alphanumeric()
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
pub(crate) fn is_ice_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// A canonical unsigned decimal: digits only, no sign, no leading zero (except "0").
/// Canonical form matters: the model writes numbers back from their text, and equal numbers
/// must mean equal text for the round-trip property.
fn canonical_digits(s: &str) -> Result<&str, &'static str> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a decimal number");
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err("expected a decimal number without leading zeros");
    }
    Ok(s)
}

pub(crate) fn u8_number(s: &str) -> Result<u8, &'static str> {
    canonical_digits(s)?
        .parse()
        .map_err(|_| "number out of range (0-255)")
}

pub(crate) fn u16_number(s: &str) -> Result<u16, &'static str> {
    canonical_digits(s)?
        .parse()
        .map_err(|_| "number out of range (0-65535)")
}

pub(crate) fn u32_number(s: &str) -> Result<u32, &'static str> {
    canonical_digits(s)?
        .parse()
        .map_err(|_| "number out of range (0-4294967295)")
}

pub(crate) fn u64_number(s: &str) -> Result<u64, &'static str> {
    canonical_digits(s)?
        .parse()
        .map_err(|_| "number out of range")
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
    s.split_once(' ').unwrap_or((s, ""))
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
    fn tokens_and_ice_chars() {
        assert!(token("BUNDLE").is_ok());
        assert!(token("a b").is_err());
        assert!(token("").is_err());
        assert!(is_ice_char(b'/') && !is_ice_char(b'-'));
        assert!(line_safe("x\r\ny").is_err());
    }
}
