//! `--json`: the timeline as events, one JSON object per line, each with `"t"` (seconds since
//! the start) and `"event"`: `step`, `note`, `state`, `mlines`, `rates`, `chat`,
//! `expectation`, `summary`. No escape codes.

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::observe::{Chat, RateSample, Snapshot};
use super::script::{Check, STEPS, Verdict};
use super::timeline::{Change, Diff, Report, SdpDiff, write_line};

/// The JSON events.
#[derive(Debug)]
pub(crate) struct Json {
    start: Instant,
    step: usize,
}

impl Json {
    pub(crate) fn new() -> Self {
        Self {
            start: Instant::now(),
            step: 0,
        }
    }

    fn event(&self, event: &str, fields: Value) {
        let mut object = Map::new();
        let millis = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        object.insert("t".into(), json!(millis as f64 / 1000.0));
        object.insert("event".into(), json!(event));
        object.insert("step".into(), json!(self.step));
        if let Value::Object(fields) = fields {
            object.extend(fields);
        }
        write_line(&Value::Object(object).to_string());
    }
}

fn changes(diff: &SdpDiff) -> Value {
    let changes: Vec<Value> = diff
        .changes
        .iter()
        .map(|c| match c {
            Change::Added(m) => json!({"change": "added", "after": m.json()}),
            Change::Removed(m) => json!({"change": "removed", "before": m.json()}),
            Change::Changed { before, after } => {
                json!({"change": "changed", "before": before.json(), "after": after.json()})
            }
        })
        .collect();
    json!({
        "changes": changes,
        "bundle": diff.bundle.as_ref().map(|(b, a)| json!({"before": b, "after": a})),
    })
}

impl Report for Json {
    fn step(&mut self, n: usize) {
        self.step = n;
        self.event(
            "step",
            json!({"of": STEPS.len(), "title": STEPS.get(n - 1).copied().unwrap_or("?")}),
        );
    }

    fn note(&mut self, text: &str) {
        self.event("note", json!({"text": text}));
    }

    fn snapshot(&mut self, snapshot: &Snapshot, diff: &Diff) {
        let peers: Vec<Value> = snapshot.peers.iter().map(|p| p.json()).collect();
        self.event("state", json!({"peers": peers}));
        self.event(
            "mlines",
            json!({
                "offerer": snapshot.negotiated.offerer,
                "offer": snapshot.negotiated.offer.json(),
                "answer": snapshot.negotiated.answer.json(),
                "diff": {"offer": changes(&diff.offer), "answer": changes(&diff.answer)},
            }),
        );
    }

    fn rates(&mut self, sample: &RateSample) {
        let flows: Vec<Value> = sample
            .flows
            .iter()
            .map(
                |f| json!({"from": f.from, "to": f.to, "kind": f.kind, "packets_per_s": f.packets}),
            )
            .collect();
        self.event("rates", json!({"at": sample.at, "flows": flows}));
    }

    fn chat(&mut self, chats: &[Chat]) {
        let chats: Vec<Value> = chats.iter().map(Chat::json).collect();
        self.event("chat", json!({"sides": chats}));
    }

    fn check(&mut self, check: &Check) {
        self.event("expectation", check.json());
    }

    fn summary(&mut self, verdict: &Verdict) {
        let failed: Vec<Value> = verdict.failed().iter().map(|c| c.json()).collect();
        self.event(
            "summary",
            json!({
                "passed": verdict.passed(),
                "expectations": verdict.checks.len(),
                "failed": failed,
            }),
        );
    }
}
