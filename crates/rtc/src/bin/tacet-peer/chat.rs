//! Numbered data-channel messages and their check.
//!
//! Each peer sends text messages `"<origin> <n>"` (`n` from 0; tacet-peer's origin is its
//! role, `offer` or `answer`; another program picks its own word) and, when it stops, `"<origin>
//! end <count>"` with how many it sent. A receiver sorts what arrives: its own origin back is
//! an echo of its messages (the peer runs `--echo-data`); another origin is the peer's stream.
//! Each stream is checked for loss, duplicates and order against its numbers, and is complete
//! when its end has come with exactly the count it announces and nothing is wrong. Each stream
//! also keeps the longest time between two consecutive new numbers arriving (`max_gap_ms`): how
//! long the channel was silent, across a stop that moves the BUNDLE tag for instance — and
//! the first and last number that did not arrive (`missing`).

use std::time::Duration;

use serde_json::{Value, json};

/// One numbered stream as it arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stream {
    /// Messages received (each number counted once).
    pub(crate) received: u64,
    /// Numbers skipped and not (yet) arrived.
    pub(crate) lost: u64,
    /// Numbers that arrived again.
    pub(crate) duplicates: u64,
    /// Numbers that arrived after a later one.
    pub(crate) out_of_order: u64,
    /// The count its end announced.
    pub(crate) end: Option<u64>,
    /// The next number expected.
    next: u64,
    /// Which numbers arrived (bit per number).
    seen: Vec<bool>,
    /// When the last new number arrived.
    last_at: Option<Duration>,
    /// The longest time between two new numbers arriving.
    pub(crate) max_gap: Option<Duration>,
}

/// A number further ahead than this is not a message of the stream (a count this large would
/// take hours at the pace the peers send).
const AHEAD: u64 = 1 << 20;

impl Stream {
    /// Message `n` arrived at `at` (time since the peer's start); `false` when it is too far
    /// ahead to be one of the stream's.
    fn on(&mut self, n: u64, at: Duration) -> bool {
        if n > self.next.saturating_add(AHEAD) {
            return false;
        }
        let Ok(index) = usize::try_from(n) else {
            return false;
        };
        if self.seen.len() <= index {
            self.seen.resize(index + 1, false);
        }
        if std::mem::replace(&mut self.seen[index], true) {
            self.duplicates += 1;
            return true;
        }
        self.received += 1;
        if let Some(last) = self.last_at.replace(at) {
            let gap = at.saturating_sub(last);
            self.max_gap = Some(self.max_gap.map_or(gap, |max| max.max(gap)));
        }
        if n >= self.next {
            self.lost += n - self.next;
            self.next = n + 1;
        } else {
            // Counted lost when a later one came; it is late, not lost.
            self.lost -= 1;
            self.out_of_order += 1;
        }
        true
    }

    /// Every message came once, in order, and the end says how many there were.
    pub(crate) fn complete(&self) -> bool {
        self.end == Some(self.received)
            && self.next == self.received
            && self.lost == 0
            && self.duplicates == 0
            && self.out_of_order == 0
    }

    /// The first and the last number below the next expected one that has not arrived: where
    /// the messages were lost (a judge checks they fall where a peer can lose them).
    fn missing(&self) -> Option<(usize, usize)> {
        let below = self.seen.get(..usize::try_from(self.next).ok()?)?;
        let first = below.iter().position(|seen| !seen)?;
        let last = below.iter().rposition(|seen| !seen)?;
        Some((first, last))
    }

    fn report(&self) -> Value {
        json!({
            "missing": self.missing().map(|(first, last)| [first, last]),
            "received": self.received,
            "lost": self.lost,
            "duplicates": self.duplicates,
            "out_of_order": self.out_of_order,
            "end": self.end,
            "complete": self.complete(),
            "max_gap_ms": self.max_gap.map(|g| u64::try_from(g.as_millis()).unwrap_or(u64::MAX)),
        })
    }
}

/// The check of one data channel's messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// The peer's origin word, once its first message came.
    pub(crate) peer: Option<String>,
    /// The peer's numbered messages.
    pub(crate) from_peer: Stream,
    /// Our messages echoed back.
    pub(crate) echoes: Stream,
    /// Messages that are neither (another format, a third origin, binary).
    pub(crate) other: u64,
    /// Messages we echoed.
    pub(crate) echoed: u64,
}

/// What a message is.
#[derive(Debug, PartialEq, Eq)]
enum Numbered<'a> {
    Message(&'a str, u64),
    End(&'a str, u64),
}

fn read(text: &str) -> Option<Numbered<'_>> {
    let mut words = text.split(' ');
    let origin = words.next().filter(|o| !o.is_empty())?;
    let numbered = match (words.next()?, words.next()) {
        ("end", Some(count)) => Numbered::End(origin, count.parse().ok()?),
        (n, None) => Numbered::Message(origin, n.parse().ok()?),
        _ => return None,
    };
    words.next().is_none().then_some(numbered)
}

/// Message `n` of `origin`.
pub(crate) fn message(origin: &str, n: u64) -> String {
    format!("{origin} {n}")
}

/// The end of `origin`'s messages: it sent `count`.
pub(crate) fn end(origin: &str, count: u64) -> String {
    format!("{origin} end {count}")
}

impl Tally {
    /// Counts a text message received by `me` at `at` (time since the peer's start).
    pub(crate) fn on_text(&mut self, me: &str, text: &str, at: Duration) {
        let Some(numbered) = read(text) else {
            self.other += 1;
            return;
        };
        let origin = match &numbered {
            Numbered::Message(origin, _) | Numbered::End(origin, _) => *origin,
        };
        let stream = if origin == me {
            &mut self.echoes
        } else {
            match &self.peer {
                Some(peer) if peer != origin => {
                    self.other += 1;
                    return;
                }
                Some(_) => {}
                None => self.peer = Some(origin.to_owned()),
            }
            &mut self.from_peer
        };
        let counted = match numbered {
            Numbered::Message(_, n) => stream.on(n, at),
            Numbered::End(_, count) => stream.end.replace(count).is_none(),
        };
        if !counted {
            self.other += 1;
        }
    }

    /// The counts as reported: ours sent, the peer's stream, the echoes of ours.
    pub(crate) fn report(&self, label: &str, sent: u64, sent_end: bool) -> Value {
        json!({
            "label": label,
            "sent": sent,
            "sent_end": sent_end,
            "peer": self.peer,
            "from_peer": self.from_peer.report(),
            "echoes": self.echoes.report(),
            "echoed": self.echoed,
            "other": self.other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(texts: &[&str]) -> Tally {
        let mut tally = Tally::default();
        for (i, text) in (0u64..).zip(texts) {
            tally.on_text("offer", text, Duration::from_millis(20 * i));
        }
        tally
    }

    #[test]
    fn the_longest_silence_between_new_numbers_is_kept() {
        let mut t = Tally::default();
        let ms = Duration::from_millis;
        t.on_text("offer", "answer 0", ms(1_000));
        assert_eq!(t.from_peer.max_gap, None, "one message is no interval");
        t.on_text("offer", "answer 1", ms(1_020));
        t.on_text("offer", "answer 2", ms(1_350));
        // A duplicate and an end marker are not new numbers: they do not end a silence.
        t.on_text("offer", "answer 2", ms(1_400));
        t.on_text("offer", "answer 3", ms(1_420));
        t.on_text("offer", "answer end 4", ms(3_000));
        assert_eq!(t.from_peer.max_gap, Some(ms(330)));
        assert_eq!(t.from_peer.report()["max_gap_ms"], 330);
        assert_eq!(Stream::default().report()["max_gap_ms"], Value::Null);
    }

    #[test]
    fn the_first_and_last_number_that_did_not_arrive_are_reported() {
        let t = tally(&["answer 0", "answer 2", "answer 3", "answer 6", "answer 4"]);
        assert_eq!(
            t.from_peer.report()["missing"],
            json!([1, 5]),
            "4 came late"
        );
        let whole = tally(&["answer 0", "answer 1"]);
        assert_eq!(whole.from_peer.report()["missing"], Value::Null);
    }

    #[test]
    fn a_whole_stream_in_order_is_complete() {
        let t = tally(&["answer 0", "answer 1", "answer 2", "answer end 3"]);
        assert_eq!(t.peer.as_deref(), Some("answer"));
        assert_eq!(t.from_peer.received, 3);
        assert!(t.from_peer.complete());
        assert!(!t.echoes.complete(), "no echo came");
    }

    #[test]
    fn echoes_are_our_own_origin() {
        let t = tally(&["offer 0", "answer 0", "offer 1", "offer end 2"]);
        assert!(t.echoes.complete());
        assert_eq!(t.from_peer.received, 1);
        assert!(!t.from_peer.complete(), "no end yet");
    }

    #[test]
    fn loss_duplicates_and_reordering_are_told_apart() {
        let t = tally(&["answer 0", "answer 2", "answer end 3"]);
        assert_eq!((t.from_peer.lost, t.from_peer.received), (1, 2));
        assert!(!t.from_peer.complete());

        let t = tally(&["answer 0", "answer 0", "answer 1", "answer end 2"]);
        assert_eq!(t.from_peer.duplicates, 1);
        assert!(!t.from_peer.complete());

        let t = tally(&["answer 1", "answer 0", "answer end 2"]);
        assert_eq!(
            (
                t.from_peer.lost,
                t.from_peer.out_of_order,
                t.from_peer.received
            ),
            (0, 1, 2)
        );
        assert!(!t.from_peer.complete());

        let t = tally(&["answer 0", "answer end 2"]);
        assert!(!t.from_peer.complete(), "the end counts one more than came");
    }

    #[test]
    fn anything_else_is_counted_as_other() {
        let t = tally(&[
            "hello",
            "",
            "answer",
            "answer x",
            "answer 1 2",
            "answer end",
            "answer 0",
            "third 0",
            "answer 99999999999",
            "answer end 1",
            "answer end 1",
        ]);
        assert_eq!(t.other, 9, "{t:?}");
        assert!(t.from_peer.complete(), "{t:?}");
    }

    #[test]
    fn the_wire_format_reads_back() {
        assert_eq!(
            read(&message("answer", 7)),
            Some(Numbered::Message("answer", 7))
        );
        assert_eq!(read(&end("answer", 7)), Some(Numbered::End("answer", 7)));
    }
}
