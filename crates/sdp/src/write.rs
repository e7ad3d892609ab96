//! Model -> text. tacet's own writer (sdp-types' goes through `io::Write` and formatting
//! machinery and is several times slower): one pre-sized `String`, lines in RFC 8866 §5 order,
//! each attribute's value text as kept, CRLF after every line. The output re-parses to the
//! same model; for input that was already canonical (every Chromium and aiortc description in
//! the corpus) it is byte-identical.

use std::fmt;

use crate::attribute::push_number;
use crate::model::{Bandwidth, Connection, Key, MediaSection, SessionDescription};

impl SessionDescription {
    /// The description as SDP text (CRLF line endings).
    pub fn write(&self) -> String {
        let mut out = String::with_capacity(self.estimated_len());
        self.write_to(&mut out);
        out
    }

    /// Appends the description as SDP text to `out`.
    pub fn write_to(&self, out: &mut String) {
        out.push_str("v=0\r\n");
        let o = &self.origin;
        out.push_str("o=");
        for (i, field) in [&o.username, &o.session_id].into_iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(field);
        }
        out.push(' ');
        push_number(out, o.session_version);
        for field in [&*o.nettype, &*o.addrtype, &o.address] {
            out.push(' ');
            out.push_str(field);
        }
        out.push_str("\r\n");
        line(out, "s=", &self.session_name);
        if let Some(info) = &self.info {
            line(out, "i=", info);
        }
        if let Some(uri) = &self.uri {
            line(out, "u=", uri);
        }
        for email in &self.emails {
            line(out, "e=", email);
        }
        for phone in &self.phones {
            line(out, "p=", phone);
        }
        if let Some(c) = &self.connection {
            connection(out, c);
        }
        for b in &self.bandwidths {
            bandwidth(out, b);
        }
        for t in &self.times {
            out.push_str("t=");
            push_number(out, t.start);
            out.push(' ');
            push_number(out, t.stop);
            out.push_str("\r\n");
            for r in &t.repeats {
                out.push_str("r=");
                push_number(out, r.interval);
                out.push(' ');
                push_number(out, r.duration);
                for offset in &r.offsets {
                    out.push(' ');
                    push_number(out, *offset);
                }
                out.push_str("\r\n");
            }
        }
        if !self.time_zones.is_empty() {
            out.push_str("z=");
            for (i, z) in self.time_zones.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                push_number(out, z.adjustment);
                out.push(' ');
                if z.offset < 0 {
                    out.push('-');
                }
                push_number(out, z.offset.unsigned_abs());
            }
            out.push_str("\r\n");
        }
        if let Some(k) = &self.key {
            key(out, k);
        }
        for a in self.attributes.iter() {
            out.push_str("a=");
            a.write_value(out);
            out.push_str("\r\n");
        }
        for m in &self.media {
            media(out, m);
        }
    }

    /// A close upper estimate of the written size, so writing allocates once.
    fn estimated_len(&self) -> usize {
        let attributes = |a: &crate::model::Attributes| a.len() * 48;
        256 + attributes(&self.attributes)
            + self
                .media
                .iter()
                .map(|m| 128 + m.formats.len() + attributes(&m.attributes))
                .sum::<usize>()
    }
}

impl fmt::Display for SessionDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.write())
    }
}

fn line(out: &mut String, prefix: &str, value: &str) {
    out.push_str(prefix);
    out.push_str(value);
    out.push_str("\r\n");
}

fn connection(out: &mut String, c: &Connection) {
    out.push_str("c=");
    out.push_str(&c.nettype);
    out.push(' ');
    out.push_str(&c.addrtype);
    out.push(' ');
    out.push_str(&c.address);
    out.push_str("\r\n");
}

fn bandwidth(out: &mut String, b: &Bandwidth) {
    out.push_str("b=");
    out.push_str(&b.kind);
    out.push(':');
    push_number(out, b.value);
    out.push_str("\r\n");
}

fn key(out: &mut String, k: &Key) {
    out.push_str("k=");
    out.push_str(&k.method);
    if let Some(key) = &k.key {
        out.push(':');
        out.push_str(key);
    }
    out.push_str("\r\n");
}

fn media(out: &mut String, m: &MediaSection) {
    out.push_str("m=");
    out.push_str(m.kind.as_str());
    out.push(' ');
    push_number(out, u64::from(m.port));
    if let Some(n) = m.num_ports {
        out.push('/');
        push_number(out, u64::from(n));
    }
    out.push(' ');
    out.push_str(&m.proto);
    if !m.formats.is_empty() {
        out.push(' ');
        out.push_str(&m.formats);
    }
    out.push_str("\r\n");
    if let Some(title) = &m.title {
        line(out, "i=", title);
    }
    for c in &m.connections {
        connection(out, c);
    }
    for b in &m.bandwidths {
        bandwidth(out, b);
    }
    if let Some(k) = &m.key {
        key(out, k);
    }
    for a in m.attributes.iter() {
        out.push_str("a=");
        a.write_value(out);
        out.push_str("\r\n");
    }
}
