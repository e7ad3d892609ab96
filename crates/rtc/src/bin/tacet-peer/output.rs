//! What the peer reports on stdout: with `--json`, one JSON object per line, every one with
//! `"t"` (seconds since the start, millisecond precision), `"role"` (`offer` or `answer`) and
//! `"event"`, then the event's own fields; without it, the same as a readable line.
//! Several tasks report; a lock keeps each line whole.

use std::io::Write;
use std::sync::Mutex;

use serde_json::{Map, Value};
use tokio::time::Instant;

/// The one writer of stdout.
#[derive(Debug)]
pub(crate) struct Output {
    json: bool,
    role: &'static str,
    start: Instant,
    stdout: Mutex<()>,
}

impl Output {
    pub(crate) fn new(json: bool, role: &'static str) -> Self {
        Self {
            json,
            role,
            start: Instant::now(),
            stdout: Mutex::new(()),
        }
    }

    /// Seconds since the start, rounded to the millisecond.
    pub(crate) fn elapsed(&self) -> f64 {
        let millis = self.start.elapsed().as_millis();
        // A run shorter than 2^52 ms: exact in an f64.
        millis as f64 / 1000.0
    }

    /// Reports one event; `fields` is a JSON object (anything else is reported as `"value"`).
    pub(crate) fn event(&self, event: &str, fields: Value) {
        let mut object = Map::new();
        object.insert("t".into(), Value::from(self.elapsed()));
        object.insert("role".into(), Value::from(self.role));
        object.insert("event".into(), Value::from(event));
        match fields {
            Value::Object(fields) => object.extend(fields),
            Value::Null => {}
            other => {
                object.insert("value".into(), other);
            }
        }
        let line = if self.json {
            Value::Object(object).to_string()
        } else {
            readable(&object)
        };
        self.line(&line);
    }

    /// Writes one line to stdout as it is (a description in copy-and-paste mode).
    pub(crate) fn line(&self, line: &str) {
        // A poisoned lock only means another reporter panicked mid-line: keep writing.
        let _guard = self.stdout.lock().unwrap_or_else(|e| e.into_inner());
        let mut stdout = std::io::stdout().lock();
        // A closed stdout (the reader went away) must not end the peer: its exit status and
        // stderr still tell the outcome.
        let _ = writeln!(stdout, "{line}");
        let _ = stdout.flush();
    }
}

/// `[  1.234] offer track kind=video mid=1`: strings bare unless they hold spaces or lines.
fn readable(object: &Map<String, Value>) -> String {
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() && !s.contains([' ', '\n', '\r', '"']) => s.clone(),
        other => other.to_string(),
    };
    let t = object.get("t").and_then(Value::as_f64).unwrap_or_default();
    let mut line = format!(
        "[{t:8.3}] {} {}",
        object.get("role").map(text).unwrap_or_default(),
        object.get("event").map(text).unwrap_or_default()
    );
    for (key, value) in object {
        if !matches!(key.as_str(), "t" | "role" | "event") {
            line.push_str(&format!(" {key}={}", text(value)));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_readable_line_keeps_every_field() {
        let Value::Object(object) = json!({
            "t": 1.5, "role": "offer", "event": "track", "kind": "video", "mid": "1",
            "reason": "remote rejected the m-section", "frames": 3,
        }) else {
            unreachable!("an object literal")
        };
        assert_eq!(
            readable(&object),
            "[   1.500] offer track frames=3 kind=video mid=1 \
             reason=\"remote rejected the m-section\""
        );
    }
}
