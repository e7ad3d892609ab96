//! The `--script` grammar: steps separated by `;`, each `<time> <action>`, the time counted
//! from the moment the connection first reaches `connected`:
//!
//! ```text
//! script := step (";" step)*          empty steps (a trailing ";") are skipped
//! step   := time action
//! time   := <digits>["." <digits>] ("s" | "ms")     "2s", "1.5s", "500ms"
//! action := "stop" ("audio" | "video") | "stop-media" | "add" ("audio" | "video") | "close"
//! ```
//!
//! Times never go back (a step may share its predecessor's time) and `close` is the last step:
//! a script that says otherwise is refused, with the step and the character where it goes
//! wrong, rather than run in an order nobody wrote.

use std::fmt;
use std::time::Duration;

use tacet_track::TrackKind;

/// One thing the script does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// Stop the transceiver of this kind (ours if we send one) and renegotiate.
    Stop(TrackKind),
    /// Stop every audio and video transceiver and renegotiate (data only).
    StopMedia,
    /// Add a track of this kind and renegotiate.
    Add(TrackKind),
    /// Say goodbye and exit.
    Close,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stop(kind) => write!(f, "stop {kind}"),
            Self::StopMedia => f.write_str("stop-media"),
            Self::Add(kind) => write!(f, "add {kind}"),
            Self::Close => f.write_str("close"),
        }
    }
}

/// One step: an action at a time after the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    /// When, from the first `connected`.
    pub(crate) at: Duration,
    /// What.
    pub(crate) action: Action,
}

/// A script that does not parse: which step, where in the text, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ScriptError {
    /// The step, counted from 1.
    pub(crate) step: usize,
    /// The character of the script where the fault is, counted from 1.
    pub(crate) column: usize,
    /// The step's text.
    pub(crate) text: String,
    /// What is wrong.
    pub(crate) problem: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--script: step {} \"{}\" (character {}): {}",
            self.step, self.text, self.column, self.problem
        )
    }
}

const ACTIONS: &str = "expected stop audio|video, stop-media, add audio|video or close";

/// Parses a script into its steps, in order.
pub(crate) fn parse(script: &str) -> Result<Vec<Step>, ScriptError> {
    let mut steps: Vec<Step> = Vec::new();
    let mut offset = 0;
    let mut number = 0;
    for segment in script.split(';') {
        let start = offset;
        offset += segment.len() + 1;
        if segment.trim().is_empty() {
            continue;
        }
        number += 1;
        let fault = |at: usize, problem: String| ScriptError {
            step: number,
            column: script[..at].chars().count() + 1,
            text: segment.trim().to_owned(),
            problem,
        };
        // The words of the step with their byte offsets in the script.
        let words: Vec<(usize, &str)> = segment
            .split_whitespace()
            .map(|w| (start + word_offset(segment, w), w))
            .collect();
        let (time_at, time) = words[0];
        let at = parse_time(time).map_err(|p| fault(time_at, p))?;
        let Some(&(verb_at, verb)) = words.get(1) else {
            return Err(fault(
                start + segment.trim_end().len(),
                format!("a time without an action; {ACTIONS}"),
            ));
        };
        let kind_of = |i: usize| -> Result<TrackKind, ScriptError> {
            match words.get(i) {
                Some((_, "audio")) => Ok(TrackKind::Audio),
                Some((_, "video")) => Ok(TrackKind::Video),
                Some((at, other)) => Err(fault(
                    *at,
                    format!("unknown kind \"{other}\"; expected audio or video"),
                )),
                None => Err(fault(
                    start + segment.trim_end().len(),
                    format!("\"{verb}\" needs a kind: audio or video"),
                )),
            }
        };
        let (action, used) = match verb {
            "stop" => (Action::Stop(kind_of(2)?), 3),
            "add" => (Action::Add(kind_of(2)?), 3),
            "stop-media" => (Action::StopMedia, 2),
            "close" => (Action::Close, 2),
            other => {
                return Err(fault(
                    verb_at,
                    format!("unknown action \"{other}\"; {ACTIONS}"),
                ));
            }
        };
        if let Some(&(extra_at, extra)) = words.get(used) {
            return Err(fault(
                extra_at,
                format!("unexpected \"{extra}\" after \"{action}\""),
            ));
        }
        if let Some(last) = steps.last() {
            if last.action == Action::Close {
                return Err(fault(
                    time_at,
                    "a step after close (close ends the run)".to_owned(),
                ));
            }
            if at < last.at {
                return Err(fault(
                    time_at,
                    format!(
                        "{time} comes before the previous step's {:?}; steps run in order",
                        last.at
                    ),
                ));
            }
        }
        steps.push(Step { at, action });
    }
    if steps.is_empty() {
        return Err(ScriptError {
            step: 0,
            column: 1,
            text: script.to_owned(),
            problem: format!("an empty script; {ACTIONS}, each after a time (\"2s stop video\")"),
        });
    }
    Ok(steps)
}

/// The byte offset of `word` (a slice of `segment`) in `segment`.
fn word_offset(segment: &str, word: &str) -> usize {
    word.as_ptr() as usize - segment.as_ptr() as usize
}

/// `2s`, `1.5s`, `500ms`: whole milliseconds.
fn parse_time(time: &str) -> Result<Duration, String> {
    let bad = |why: &str| format!("bad time \"{time}\": {why} (write 2s, 1.5s or 500ms)");
    let (number, millis_per_unit) = if let Some(n) = time.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = time.strip_suffix('s') {
        (n, 1000)
    } else {
        return Err(bad("no unit"));
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (number.contains('.') && !digits(fraction)) {
        return Err(bad("not a number"));
    }
    let whole: u64 = whole.parse().map_err(|_| bad("too large"))?;
    let fraction: u64 = match fraction.len() {
        0 => 0,
        // Fractions finer than a millisecond mean nothing to a timer that ticks in them.
        len @ 1..=3 if millis_per_unit == 1000 => {
            let digits: u64 = fraction.parse().map_err(|_| bad("not a number"))?;
            // len is 1 to 3 here.
            digits * 10u64.pow(3 - u32::try_from(len).unwrap_or(3))
        }
        _ => return Err(bad("finer than a millisecond")),
    };
    let millis = whole
        .checked_mul(millis_per_unit)
        .and_then(|m| m.checked_add(fraction))
        .ok_or_else(|| bad("too large"))?;
    Ok(Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    fn step(ms: u64, action: Action) -> Step {
        Step {
            at: Duration::from_millis(ms),
            action,
        }
    }

    #[test]
    fn the_issue_example_parses_in_order() {
        let steps = parse("2s stop video; 4s stop-media; 6s add video; 8s close").unwrap();
        assert_eq!(
            steps,
            vec![
                step(2000, Action::Stop(TrackKind::Video)),
                step(4000, Action::StopMedia),
                step(6000, Action::Add(TrackKind::Video)),
                step(8000, Action::Close),
            ]
        );
    }

    #[test]
    fn fractions_milliseconds_spaces_and_a_trailing_semicolon_are_accepted() {
        let steps =
            parse("  0.5s   stop audio ;1.25s add audio;1250ms stop audio;2s close; ").unwrap();
        assert_eq!(
            steps,
            vec![
                step(500, Action::Stop(TrackKind::Audio)),
                step(1250, Action::Add(TrackKind::Audio)),
                step(1250, Action::Stop(TrackKind::Audio)),
                step(2000, Action::Close),
            ]
        );
    }

    fn error(script: &str) -> ScriptError {
        parse(script).unwrap_err()
    }

    #[test]
    fn a_bad_time_is_refused_where_it_stands() {
        for (script, column, why) in [
            ("2 stop video", 1, "no unit"),
            ("1s stop audio; xs close", 16, "not a number"),
            ("1.s close", 1, "not a number"),
            (".5s close", 1, "not a number"),
            ("1.5ms close", 1, "finer than a millisecond"),
            ("1.2345s close", 1, "finer than a millisecond"),
            ("99999999999999999999s close", 1, "too large"),
            ("18446744073709552s close", 1, "too large"),
            ("-1s close", 1, "not a number"),
        ] {
            let e = error(script);
            assert_eq!(e.column, column, "{script}: {e}");
            assert!(e.problem.contains(why), "{script}: {e}");
        }
        assert_eq!(error("1s stop audio; xs close").step, 2);
    }

    #[test]
    fn unknown_or_incomplete_actions_are_refused_with_what_is_expected() {
        let e = error("1s stop-medai");
        assert_eq!((e.step, e.column), (1, 4));
        assert!(e.problem.contains("unknown action \"stop-medai\""), "{e}");
        assert!(e.problem.contains("expected stop audio|video"), "{e}");

        let e = error("1s stop");
        assert_eq!(e.column, 8);
        assert!(e.problem.contains("needs a kind"), "{e}");

        let e = error("1s add data");
        assert_eq!(e.column, 8);
        assert!(e.problem.contains("unknown kind \"data\""), "{e}");

        let e = error("1s");
        assert!(e.problem.contains("a time without an action"), "{e}");

        let e = error("1s close now");
        assert_eq!(e.column, 10);
        assert!(
            e.problem.contains("unexpected \"now\" after \"close\""),
            "{e}"
        );

        let e = error("1s stop-media video");
        assert!(e.problem.contains("unexpected \"video\""), "{e}");
    }

    #[test]
    fn steps_out_of_order_or_after_close_are_refused() {
        let e = error("2s stop video; 1s close");
        assert_eq!((e.step, e.column), (2, 16));
        assert!(e.problem.contains("comes before"), "{e}");

        let e = error("1s close; 2s stop video");
        assert_eq!(e.step, 2);
        assert!(e.problem.contains("after close"), "{e}");
    }

    #[test]
    fn an_empty_script_is_refused() {
        for script in ["", "  ", ";;"] {
            assert!(
                error(script).problem.contains("an empty script"),
                "{script:?}"
            );
        }
    }

    #[test]
    fn the_message_names_the_step_its_text_and_the_character() {
        let e = error("1s stop audio; 3s frobnicate");
        assert_eq!(
            e.to_string(),
            "--script: step 2 \"3s frobnicate\" (character 19): unknown action \"frobnicate\"; \
             expected stop audio|video, stop-media, add audio|video or close"
        );
    }
}
