//! The fast path around the pre-scan: check the text's layout against what sdp-types made of
//! it, instead of scanning it line by line first.
//!
//! The pre-scan (`scan.rs`) finds every line end before sdp-types runs, which costs about as
//! much as sdp-types' own line splitting. Almost every description is well laid out: lines in
//! RFC 8866 §5 order, no unknown or empty lines, within the limits. For those the same facts
//! can be had from sdp-types' result: walking the parsed session in RFC 8866 order, each `a=`
//! line's length is known from its name and value (`a=` name [`:` value]), so the walk jumps
//! from line end to line end and only searches for the ends of the few other lines (`m=`,
//! `c=`, ...). Whenever the text is not exactly the lines the walk expects — a line out of
//! order, an unknown or empty line, a missing `o=`/`s=`/`t=` (sdp-types invents those), a limit
//! exceeded — the walk gives up and the parse runs the full pre-scan, which reports exactly
//! what it always did. So the fast path changes cost, never results.
//!
//! Memory stays bounded before sdp-types runs: the fast path is only taken when the text has
//! at most `max_attributes` lines of any kind and at most `max_media_sections` `m=` lines
//! (vectorised counts, skipped for short texts), so sdp-types builds no more lines and no more
//! m-sections (its largest structures) than the pre-scan lets through for an accepted text;
//! only their spread can differ (one section of up to `max_attributes` attribute lines is
//! built, then refused). The per-section limit and the exact counts are checked on its result.

use crate::scan::{Limits, Scan};

/// Whether the fast path may run sdp-types before the pre-scan: within the size limit, at most
/// `max_attributes` lines of any kind and at most `max_media_sections` `m=` lines, so that
/// what sdp-types builds stays within what the pre-scan would have let it build. Counting is
/// skipped when the size alone settles it: every line takes at least one byte, every `m=`
/// line at least three.
pub(crate) fn fast_path_allowed(text: &str, limits: &Limits) -> bool {
    let bytes = text.as_bytes();
    let lines_fit = bytes.len() <= limits.max_attributes
        || memchr::memchr_iter(b'\n', bytes).count() < limits.max_attributes;
    // An `m=` line after the first line follows a newline; the first line is `v=` in any
    // text sdp-types accepts.
    let media_fit = bytes.len().div_ceil(3) <= limits.max_media_sections
        || memchr::memmem::find_iter(bytes, b"\nm=").count() < limits.max_media_sections;
    bytes.len() <= limits.max_bytes && lines_fit && media_fit
}

/// The layout of `text`, if it is exactly the lines of `session` in RFC 8866 §5 order and
/// within `limits`; `None` when the full pre-scan must decide.
pub(crate) fn layout(session: &sdp_types::Session, text: &str, limits: &Limits) -> Option<Scan> {
    let mut walk = Walk {
        bytes: text.as_bytes(),
        pos: 0,
        max_line_length: limits.max_line_length,
        lf_only: false,
        no_final_eol: false,
    };
    // The session part, in RFC 8866 §5 order: v o s i u e* p* c b* (t r*)+ z k a*.
    walk.line(b'v')?;
    walk.line(b'o')?;
    walk.line(b's')?;
    walk.lines(b'i', usize::from(session.session_description.is_some()))?;
    walk.lines(b'u', usize::from(session.uri.is_some()))?;
    walk.lines(b'e', session.emails.len())?;
    walk.lines(b'p', session.phones.len())?;
    walk.lines(b'c', usize::from(session.connection.is_some()))?;
    walk.lines(b'b', session.bandwidths.len())?;
    // No `t=` line at all is an error the pre-scan reports (sdp-types accepts it).
    if session.times.is_empty() {
        return None;
    }
    for time in &session.times {
        walk.line(b't')?;
        walk.lines(b'r', time.repeats.len())?;
    }
    walk.lines(b'z', usize::from(!session.time_zones.is_empty()))?;
    walk.lines(b'k', usize::from(session.key.is_some()))?;
    walk.attributes(&session.attributes, limits)?;
    // Each media description: m i c* b* k a*.
    if session.medias.len() > limits.max_media_sections {
        return None;
    }
    let mut attributes = session.attributes.len();
    for media in &session.medias {
        walk.line(b'm')?;
        walk.lines(b'i', usize::from(media.media_title.is_some()))?;
        walk.lines(b'c', media.connections.len())?;
        walk.lines(b'b', media.bandwidths.len())?;
        walk.lines(b'k', usize::from(media.key.is_some()))?;
        walk.attributes(&media.attributes, limits)?;
        attributes += media.attributes.len();
    }
    // Every byte accounted for: nothing sdp-types skipped (empty or unknown lines) is left.
    (walk.pos == walk.bytes.len() && attributes <= limits.max_attributes).then(|| Scan {
        lf_only: walk.lf_only,
        no_final_eol: walk.no_final_eol,
        ..Scan::default()
    })
}

/// The walk's position in the text: always at the start of a line.
struct Walk<'t> {
    bytes: &'t [u8],
    pos: usize,
    max_line_length: usize,
    lf_only: bool,
    no_final_eol: bool,
}

impl Walk<'_> {
    /// `count` lines starting `letter=`.
    #[inline]
    fn lines(&mut self, letter: u8, count: usize) -> Option<()> {
        for _ in 0..count {
            self.line(letter)?;
        }
        Some(())
    }

    /// One line starting `letter=`, of unknown length: its end is searched for.
    fn line(&mut self, letter: u8) -> Option<()> {
        let rest = self.bytes.get(self.pos..)?;
        if rest.get(..2)? != [letter, b'='] {
            return None;
        }
        let len = match memchr::memchr(b'\n', rest) {
            Some(newline) if newline > 0 && rest[newline - 1] == b'\r' => newline - 1,
            Some(newline) => newline,
            None => rest.len(),
        };
        self.end(len)
    }

    /// The `a=` lines of one section, whose lengths sdp-types' strings give.
    fn attributes(&mut self, attributes: &[sdp_types::Attribute], limits: &Limits) -> Option<()> {
        if attributes.len() > limits.max_attributes_per_section {
            return None;
        }
        for a in attributes {
            if self.bytes.get(self.pos..self.pos + 2)? != b"a=" {
                return None;
            }
            // sdp-types split `a=<name>[:<value>]` at the first colon.
            let len = 2 + a.attribute.len() + a.value.as_ref().map_or(0, |v| 1 + v.len());
            self.end(len)?;
        }
        Some(())
    }

    /// The current line's text is `len` bytes: checks what ends it and moves past it.
    #[inline]
    fn end(&mut self, len: usize) -> Option<()> {
        if len > self.max_line_length {
            return None;
        }
        let end = self.pos + len;
        self.pos = match self.bytes.get(end..)? {
            [b'\r', b'\n', ..] => end + 2,
            [b'\n', ..] => {
                self.lf_only = true;
                end + 1
            }
            // The last line, without a line ending.
            [] => {
                self.no_final_eol = true;
                end
            }
            _ => return None,
        };
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{fast_path_allowed, layout};
    use crate::scan::{Limits, scan};

    /// Lines to build texts from: a well laid out description, and lines to splice in.
    const GOOD: &[&str] = &[
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "i=info",
        "c=IN IP4 0.0.0.0",
        "b=AS:30",
        "t=0 0",
        "r=7d 1h 0 25h",
        "z=2882844526 -1h",
        "k=clear:x",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "i=title",
        "c=IN IP4 0.0.0.0",
        "b=AS:64",
        "a=mid:0",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "c=IN IP4 0.0.0.0",
        "a=mid:1",
        "a=sctp-port:5000",
    ];
    const SPLICED: &[&str] = &[
        "",
        "x=unknown",
        "a=",
        "a=:",
        "a=rtcp-rsize",
        "i=again",
        "e=a@example.com",
        "p=+1 555",
        "u=http://example.com",
        "c=IN IP6 ::1",
        "b=TIAS:1000",
        "t=1 2",
        "r=1 1 0",
        "k=prompt",
        "o=- 2 2 IN IP4 127.0.0.1",
        "s=again",
        "m=video 0 UDP/TLS/RTP/SAVPF 96",
        "a=mid:2",
    ];

    fn text() -> impl Strategy<Value = (String, Limits)> {
        let edits = prop::collection::vec(
            (0..4u8, 0..GOOD.len() + 2, prop::sample::select(SPLICED)),
            0..4,
        );
        // All CRLF, all LF, or mixed (true = CRLF).
        let endings = prop_oneof![
            Just(vec![true]),
            Just(vec![false]),
            prop::collection::vec(any::<bool>(), GOOD.len() + 8),
        ];
        // Mostly the defaults, sometimes tight enough to matter.
        let limits = (
            prop_oneof![3 => Just(usize::MAX), 1 => 10..40usize],
            prop_oneof![3 => Just(usize::MAX), 1 => 0..4usize],
            prop_oneof![3 => Just(usize::MAX), 1 => 1..6usize],
            prop_oneof![3 => Just(usize::MAX), 1 => 5..30usize],
        );
        (edits, endings, any::<bool>(), limits).prop_map(
            |(edits, endings, final_eol, (line, media, per_section, attributes))| {
                let mut lines: Vec<&str> = GOOD.to_vec();
                for (op, at, spliced) in edits {
                    let at = at.min(lines.len());
                    match op {
                        0 => lines.insert(at, spliced),
                        1 if at < lines.len() => {
                            lines.remove(at);
                        }
                        2 if at + 1 < lines.len() => lines.swap(at, at + 1),
                        _ if at < lines.len() => lines.insert(at, lines[at]),
                        _ => {}
                    }
                }
                let mut text = String::new();
                for (i, line) in lines.iter().enumerate() {
                    text.push_str(line);
                    if i + 1 < lines.len() || final_eol {
                        text.push_str(if endings[i % endings.len()] {
                            "\r\n"
                        } else {
                            "\n"
                        });
                    }
                }
                let limits = Limits {
                    max_line_length: line,
                    max_media_sections: media,
                    max_attributes_per_section: per_section,
                    max_attributes: attributes,
                    ..Limits::default()
                };
                (text, limits)
            },
        )
    }

    proptest! {
        /// The fast path changes cost, never results: wherever the walk vouches for a text's
        /// layout, the pre-scan accepts the text and finds the same facts.
        #[test]
        fn the_walk_vouches_only_for_what_the_pre_scan_accepts((text, limits) in text()) {
            if let Ok(session) = sdp_types::Session::parse(text.as_bytes())
                && let Some(walked) = layout(&session, &text, &limits)
            {
                prop_assert_eq!(scan(&text, &limits).ok(), Some(walked), "{:?}", text);
            }
        }
    }

    /// The walk agrees with the pre-scan wherever it does not give up, and gives up on every
    /// layout the pre-scan has something to say about.
    #[test]
    fn the_walk_agrees_with_the_pre_scan() {
        let good = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
                    m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n\
                    a=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";
        let limits = Limits::default();
        let walked = |text: &str, limits: &Limits| {
            let session = sdp_types::Session::parse(text.as_bytes()).expect("sdp-types parses");
            layout(&session, text, limits)
        };
        let same = |text: &str| {
            let by_walk = walked(text, &limits).expect("the walk follows a well laid out text");
            let by_scan = scan(text, &limits).expect("the pre-scan accepts it");
            assert_eq!(by_walk.warnings(), by_scan.warnings(), "{text:?}");
        };
        same(good);
        same(&good.replace("\r\n", "\n"));
        same(good.strip_suffix("\r\n").expect("ends with CRLF"));
        same(&good.replacen("\r\na=rtcp-mux", "\na=rtcp-mux", 1));
        same(&good.replace("a=rtcp-mux", "a=rtcp-mux:"));
        // Each of these the walk leaves to the pre-scan.
        for odd in [
            good.replace("s=-\r\n", ""),
            good.replace("t=0 0\r\n", ""),
            good.replace("s=-\r\n", "s=-\r\nx=1\r\n"),
            good.replace("a=mid:0\r\n", "a=mid:0\r\n\r\n"),
            good.replace("m=audio", "i=late\r\nm=audio"),
            good.replace("c=IN IP4 0.0.0.0\r\na=mid:0", "a=mid:0\r\nc=IN IP4 0.0.0.0"),
            good.replace("t=0 0\r\na=group", "a=group:X\r\nt=0 0\r\na=group"),
            good.replace("a=mid:0\r\n", "a=mid:0\r\ns=late\r\n"),
            format!("{good}\r\n"),
        ] {
            assert!(walked(&odd, &limits).is_none(), "{odd:?}");
        }
        // Limits: the walk gives up, and the pre-scan names the limit.
        for tight in [
            Limits {
                max_line_length: 20,
                ..limits
            },
            Limits {
                max_media_sections: 0,
                ..limits
            },
            Limits {
                max_attributes_per_section: 2,
                ..limits
            },
            Limits {
                max_attributes: 3,
                ..limits
            },
        ] {
            assert!(walked(good, &tight).is_none(), "{tight:?}");
            assert!(scan(good, &tight).is_err(), "{tight:?}");
        }
        assert!(fast_path_allowed(good, &limits));
        // More m= lines than the limit: sdp-types would build an m-section for each (its
        // largest structure) before the limit is found, so the pre-scan goes first.
        let many_media = format!("{good}{}", "m=a 0 b c\r\n".repeat(4100));
        assert!(!fast_path_allowed(&many_media, &limits));
        let some_media = format!("{good}{}", "m=a 0 b c\r\n".repeat(4000));
        assert!(fast_path_allowed(&some_media, &limits));
        let few_lines = Limits {
            max_attributes: 10,
            ..limits
        };
        assert!(!fast_path_allowed(good, &few_lines));
        let small = Limits {
            max_bytes: 10,
            ..limits
        };
        assert!(!fast_path_allowed(good, &small));
    }
}
