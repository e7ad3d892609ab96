// Numbered data-channel messages and their check, exactly as tacet-peer counts them
// (crates/rtc/src/bin/tacet-peer/chat.rs): each side sends text "<origin> <n>" (n from 0) and,
// when it stops, "<origin> end <count>". A receiver sorts what arrives by origin (its own
// origin back is an echo; another origin is the peer's stream) and checks each stream for
// loss, duplicates and order. The report has the same fields as tacet-peer's `datachannel`
// event, so one judge reads both sides. Each stream also keeps the longest time between two
// new numbers arriving (`max_gap_ms`, chat.rs's too) and the first and last number that did not
// arrive (`missing`).

/** A number further ahead than this is not a message of the stream (chat.rs AHEAD). */
const AHEAD = 2 ** 20;

export class Stream {
  constructor() {
    this.received = 0;
    this.lost = 0;
    this.duplicates = 0;
    this.out_of_order = 0;
    this.end = null;
    this.next = 0;
    this.seen = new Set();
    this.lastAt = null;
    this.maxGap = null;
  }

  /** Message `n` arrived at `at` (ms); false when it is too far ahead to be one of the stream's. */
  on(n, at) {
    if (n > this.next + AHEAD) return false;
    if (this.seen.has(n)) {
      this.duplicates += 1;
      return true;
    }
    this.seen.add(n);
    this.received += 1;
    if (this.lastAt !== null) this.maxGap = Math.max(this.maxGap ?? 0, at - this.lastAt);
    this.lastAt = at;
    if (n >= this.next) {
      this.lost += n - this.next;
      this.next = n + 1;
    } else {
      // Counted lost when a later one came; it is late, not lost.
      this.lost -= 1;
      this.out_of_order += 1;
    }
    return true;
  }

  complete() {
    return this.end === this.received && this.next === this.received && this.lost === 0 &&
      this.duplicates === 0 && this.out_of_order === 0;
  }

  /** The first and the last number below the next expected one that has not arrived. */
  missing() {
    let first = null;
    let last = null;
    for (let n = 0; n < this.next; n += 1) {
      if (!this.seen.has(n)) {
        first ??= n;
        last = n;
      }
    }
    return first === null ? null : [first, last];
  }

  report() {
    return {
      missing: this.missing(),
      received: this.received, lost: this.lost, duplicates: this.duplicates,
      out_of_order: this.out_of_order, end: this.end, complete: this.complete(),
      max_gap_ms: this.maxGap === null ? null : Math.round(this.maxGap),
    };
  }
}

/** What a text message is: [origin, n] or [origin, 'end', count], or null. */
export function read(text) {
  const words = text.split(' ');
  const digits = (w) => /^[0-9]+$/.test(w);
  if (words.length === 2 && words[0] !== '' && digits(words[1])) {
    return { origin: words[0], n: Number(words[1]) };
  }
  if (words.length === 3 && words[0] !== '' && words[1] === 'end' && digits(words[2])) {
    return { origin: words[0], end: Number(words[2]) };
  }
  return null;
}

export const message = (origin, n) => `${origin} ${n}`;
export const end = (origin, count) => `${origin} end ${count}`;

export class Tally {
  constructor() {
    this.peer = null;
    this.from_peer = new Stream();
    this.echoes = new Stream();
    this.other = 0;
    this.echoed = 0;
  }

  /** A text message arrived at `at` (ms, performance.now()). */
  onText(me, text, at) {
    const numbered = read(text);
    if (!numbered) {
      this.other += 1;
      return;
    }
    let stream;
    if (numbered.origin === me) {
      stream = this.echoes;
    } else {
      if (this.peer !== null && this.peer !== numbered.origin) {
        this.other += 1;
        return;
      }
      this.peer = numbered.origin;
      stream = this.from_peer;
    }
    let counted;
    if (numbered.end !== undefined) {
      counted = stream.end === null;
      if (counted) stream.end = numbered.end;
    } else {
      counted = stream.on(numbered.n, at);
    }
    if (!counted) this.other += 1;
  }

  report(label, sent, sentEnd) {
    return {
      label, sent, sent_end: sentEnd, peer: this.peer,
      from_peer: this.from_peer.report(), echoes: this.echoes.report(),
      echoed: this.echoed, other: this.other,
    };
  }
}
