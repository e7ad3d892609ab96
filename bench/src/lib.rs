//! SDP benchmark inputs and the peer implementations they are measured against.
//!
//! [`chromium_offer`] generates a large, realistic Chromium re-offer; [`peers`] wraps each SDP
//! implementation behind the one [`peers::Impl`] trait so the criterion bench (`benches/sdp.rs`)
//! measures them all in the same run.
//!
//! The line formats follow real Chromium 156 offers (the `chromium-*-offer.sdp` captures in the
//! project's shared SDP corpus, notably `chromium-stopvideo-balanced-2-offer.sdp`). Nothing is
//! read at run time: the template lines are written out below.

use std::fmt::Write as _;

pub mod peers;
pub mod renegotiation;
pub mod transport;

/// The m-section counts the bench measures.
pub const SIZES: [usize; 4] = [2, 20, 200, 2000];

/// The m-section counts the bench measures (same as [`SIZES`]).
pub fn sizes() -> [usize; 4] {
    SIZES
}

/// How a generated m-section looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// A live (`sendrecv`) audio section with its track.
    Audio,
    /// A live (`sendrecv`) video section with its track (primary + RTX SSRC).
    Video,
    /// A stopped audio transceiver as Chromium re-offers it: port 0, `a=inactive`.
    RejectedAudio,
    /// A stopped video transceiver as Chromium re-offers it: port 0, `a=inactive`.
    RejectedVideo,
    /// The SCTP data section (`m=application ... webrtc-datachannel`).
    Data,
}

impl SectionKind {
    /// True for a port-0 section.
    pub fn is_rejected(self) -> bool {
        matches!(self, Self::RejectedAudio | Self::RejectedVideo)
    }
}

/// The kind of m-section `index` (its mid) in an offer of `n` sections.
///
/// Audio and video alternate (even mids audio, odd mids video); the last section is the data
/// section; mids `8k + 1` (video) and `8k + 6` (audio) are stopped, which rejects exactly
/// `n / 4` sections for every `n` in [`SIZES`].
///
/// # Panics
/// If `index >= n`.
pub fn section_kind(n: usize, index: usize) -> SectionKind {
    assert!(index < n, "section {index} out of range for {n} sections");
    let audio = index.is_multiple_of(2);
    let rejected = matches!(index % 8, 1 | 6);
    match (index + 1 == n, audio, rejected) {
        (true, _, _) => SectionKind::Data,
        (false, true, false) => SectionKind::Audio,
        (false, false, false) => SectionKind::Video,
        (false, true, true) => SectionKind::RejectedAudio,
        (false, false, true) => SectionKind::RejectedVideo,
    }
}

/// A unified-plan offer in Chromium 156 style with `n` m-sections (`n >= 1`), CRLF-terminated.
///
/// It is what Chromium writes as its *re-offer* after stopping a quarter of its transceivers,
/// with bundle policy `balanced` and gathering complete:
///
/// * audio and video alternate, with Chromium's full codec lists, `a=rtcp-fb`, `a=fmtp`,
///   `a=extmap` and `a=ssrc`/`a=ssrc-group:FID` lines, one stream and a unique track id
///   (`a=msid`) and unique SSRCs per live section;
/// * a quarter of the sections (see [`section_kind`]) are stopped transceivers: port 0,
///   `a=inactive`, no `a=msid`/`a=ssrc`/`a=ssrc-group`, but everything else kept, including the
///   stale `c=` line and the four round-1 candidates, and their mid left out of
///   `a=group:BUNDLE`;
/// * the last section is the data section (`m=application <port> UDP/DTLS/SCTP
///   webrtc-datachannel`, `a=sctp-port:5000`, `a=max-message-size:262144`);
/// * every section has `a=mid:<index>` (0, 1, 2, ...), its own port and four host candidates
///   (UDP and TCP-active, IPv4 and IPv6), the session-wide ICE credentials and fingerprint.
///
/// The output is deterministic: the same `n` always gives the same bytes.
///
/// # Panics
/// If `n == 0`.
pub fn chromium_offer(n: usize) -> String {
    assert!(n > 0, "an offer needs at least one m-section");
    let mut rng = SplitMix64(0x7ace_7ace_05d9_0001);
    let session = Session {
        session_id: rng.next() >> 1,
        ufrag: rng.token(4),
        pwd: rng.token(24),
        fingerprint: rng.fingerprint(),
        stream: rng.uuid(),
        cname: rng.token(16),
        foundations: [0; 4].map(|_| rng.next() as u32),
    };
    let mut out = String::with_capacity(n * 1_700 + 512);

    // Session level.
    line(&mut out, format_args!("v=0"));
    line(
        &mut out,
        format_args!("o=- {} 3 IN IP4 127.0.0.1", session.session_id),
    );
    line(&mut out, format_args!("s=-"));
    line(&mut out, format_args!("t=0 0"));
    out.push_str("a=group:BUNDLE");
    for mid in (0..n).filter(|&i| !section_kind(n, i).is_rejected()) {
        write!(out, " {mid}").expect("writing to a String cannot fail");
    }
    out.push_str("\r\n");
    line(&mut out, format_args!("a=extmap-allow-mixed"));
    let any_track =
        (0..n).any(|i| matches!(section_kind(n, i), SectionKind::Audio | SectionKind::Video));
    if any_track {
        line(
            &mut out,
            format_args!("a=msid-semantic: WMS {}", session.stream),
        );
    } else {
        line(&mut out, format_args!("a=msid-semantic: WMS"));
    }

    let mut ssrcs = SsrcSource(0x3c0f_fee5);
    for mid in 0..n {
        let kind = section_kind(n, mid);
        let port = rng.port();
        match kind {
            SectionKind::Audio | SectionKind::RejectedAudio => {
                let shown = if kind.is_rejected() { 0 } else { port };
                line(
                    &mut out,
                    format_args!("m=audio {shown} UDP/TLS/RTP/SAVPF {AUDIO_PTS}"),
                );
                transport(&mut out, &session, &mut rng, port, true, mid);
                for l in AUDIO_EXTMAPS {
                    line(&mut out, format_args!("{l}"));
                }
                let track = media_direction(&mut out, &session, &mut rng, kind.is_rejected());
                rtcp_lines(&mut out);
                for l in AUDIO_CODECS {
                    line(&mut out, format_args!("{l}"));
                }
                if let Some(track) = track {
                    let ssrc = ssrcs.next();
                    ssrc_lines(&mut out, &session, &track, ssrc);
                }
            }
            SectionKind::Video | SectionKind::RejectedVideo => {
                let shown = if kind.is_rejected() { 0 } else { port };
                line(
                    &mut out,
                    format_args!("m=video {shown} UDP/TLS/RTP/SAVPF {VIDEO_PTS}"),
                );
                transport(&mut out, &session, &mut rng, port, true, mid);
                for l in VIDEO_EXTMAPS {
                    line(&mut out, format_args!("{l}"));
                }
                let track = media_direction(&mut out, &session, &mut rng, kind.is_rejected());
                rtcp_lines(&mut out);
                video_codecs(&mut out);
                if let Some(track) = track {
                    let (primary, rtx) = (ssrcs.next(), ssrcs.next());
                    line(&mut out, format_args!("a=ssrc-group:FID {primary} {rtx}"));
                    ssrc_lines(&mut out, &session, &track, primary);
                    ssrc_lines(&mut out, &session, &track, rtx);
                }
            }
            SectionKind::Data => {
                line(
                    &mut out,
                    format_args!("m=application {port} UDP/DTLS/SCTP webrtc-datachannel"),
                );
                transport(&mut out, &session, &mut rng, port, false, mid);
                line(&mut out, format_args!("a=sctp-port:5000"));
                line(&mut out, format_args!("a=max-message-size:262144"));
            }
        }
    }
    out
}

/// The per-session values Chromium repeats in every section.
struct Session {
    session_id: u64,
    ufrag: String,
    pwd: String,
    fingerprint: String,
    stream: String,
    cname: String,
    /// Candidate foundations: UDP v4, UDP v6, TCP v4, TCP v6 (the same in every section).
    foundations: [u32; 4],
}

/// Writes one line and its CRLF.
fn line(out: &mut String, args: std::fmt::Arguments<'_>) {
    out.write_fmt(args)
        .expect("writing to a String cannot fail");
    out.push_str("\r\n");
}

/// `c=` .. `a=mid`: the transport lines every section has, in Chromium's order.
fn transport(
    out: &mut String,
    s: &Session,
    rng: &mut SplitMix64,
    port: u16,
    rtp: bool,
    mid: usize,
) {
    let [udp4, udp6, tcp4, tcp6] = s.foundations;
    let port6 = rng.port();
    line(out, format_args!("c=IN IP4 192.0.2.2"));
    if rtp {
        line(out, format_args!("a=rtcp:9 IN IP4 0.0.0.0"));
    }
    line(
        out,
        format_args!(
            "a=candidate:{udp4} 1 udp 2122194687 192.0.2.2 {port} typ host generation 0 network-id 1"
        ),
    );
    line(
        out,
        format_args!(
            "a=candidate:{udp6} 1 udp 2122265343 fd00::2 {port6} typ host generation 0 network-id 2"
        ),
    );
    line(
        out,
        format_args!(
            "a=candidate:{tcp4} 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1"
        ),
    );
    line(
        out,
        format_args!(
            "a=candidate:{tcp6} 1 tcp 1518285567 fd00::2 9 typ host tcptype active generation 0 network-id 2"
        ),
    );
    line(out, format_args!("a=ice-ufrag:{}", s.ufrag));
    line(out, format_args!("a=ice-pwd:{}", s.pwd));
    line(out, format_args!("a=ice-options:trickle"));
    line(out, format_args!("a=fingerprint:sha-256 {}", s.fingerprint));
    line(out, format_args!("a=setup:actpass"));
    line(out, format_args!("a=mid:{mid}"));
}

/// The direction line and, for a live section, `a=msid`; returns the new track id.
fn media_direction(
    out: &mut String,
    s: &Session,
    rng: &mut SplitMix64,
    rejected: bool,
) -> Option<String> {
    if rejected {
        line(out, format_args!("a=inactive"));
        None
    } else {
        let track = rng.uuid();
        line(out, format_args!("a=sendrecv"));
        line(out, format_args!("a=msid:{} {track}", s.stream));
        Some(track)
    }
}

fn rtcp_lines(out: &mut String) {
    line(out, format_args!("a=rtcp-mux"));
    line(out, format_args!("a=rtcp-rsize"));
    line(out, format_args!("a=rtcp-xr:rcvr-rtt=all"));
}

fn ssrc_lines(out: &mut String, s: &Session, track: &str, ssrc: u32) {
    line(out, format_args!("a=ssrc:{ssrc} cname:{}", s.cname));
    line(out, format_args!("a=ssrc:{ssrc} msid:{} {track}", s.stream));
}

const AUDIO_PTS: &str = "111 63 9 0 8 13 110 126";

const AUDIO_EXTMAPS: [&str; 4] = [
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
    "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
];

const AUDIO_CODECS: [&str; 11] = [
    "a=rtpmap:111 opus/48000/2",
    "a=rtcp-fb:111 transport-cc",
    "a=fmtp:111 minptime=10;useinbandfec=1",
    "a=rtpmap:63 red/48000/2",
    "a=fmtp:63 111/111",
    "a=rtpmap:9 G722/8000",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:13 CN/8000",
    "a=rtpmap:110 telephone-event/48000",
    "a=rtpmap:126 telephone-event/8000",
];

const VIDEO_PTS: &str =
    "96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120";

const VIDEO_EXTMAPS: [&str; 11] = [
    "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset",
    "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
    "a=extmap:13 urn:3gpp:video-orientation",
    "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
    "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
    "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type",
    "a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing",
    "a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space",
    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
    "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
    "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
];

/// Chromium's video codecs with RTX: (payload type, encoding, fmtp, RTX payload type).
const VIDEO_RTX_CODECS: [(u8, &str, Option<&str>, u8); 10] = [
    (96, "VP8", None, 97),
    (
        102,
        "H264",
        Some("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
        103,
    ),
    (
        104,
        "H264",
        Some("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f"),
        107,
    ),
    (
        108,
        "H264",
        Some("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"),
        109,
    ),
    (
        114,
        "H264",
        Some("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f"),
        115,
    ),
    (
        116,
        "H264",
        Some("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"),
        117,
    ),
    (
        39,
        "H264",
        Some("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f"),
        40,
    ),
    (45, "AV1", Some("level-idx=5;profile=0;tier=0"), 46),
    (98, "VP9", Some("profile-id=0"), 99),
    (100, "VP9", Some("profile-id=2"), 101),
];

const VIDEO_FEEDBACK: [&str; 5] = ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"];

fn video_codecs(out: &mut String) {
    for (pt, encoding, fmtp, rtx) in VIDEO_RTX_CODECS {
        line(out, format_args!("a=rtpmap:{pt} {encoding}/90000"));
        for fb in VIDEO_FEEDBACK {
            line(out, format_args!("a=rtcp-fb:{pt} {fb}"));
        }
        if let Some(fmtp) = fmtp {
            line(out, format_args!("a=fmtp:{pt} {fmtp}"));
        }
        line(out, format_args!("a=rtpmap:{rtx} rtx/90000"));
        line(out, format_args!("a=fmtp:{rtx} apt={pt}"));
    }
    line(out, format_args!("a=rtpmap:118 red/90000"));
    line(out, format_args!("a=rtpmap:119 rtx/90000"));
    line(out, format_args!("a=fmtp:119 apt=118"));
    line(out, format_args!("a=rtpmap:120 ulpfec/90000"));
}

/// A small deterministic generator (SplitMix64) for ids, ports and credentials.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// An ephemeral port as Chromium's host candidates use (32768..=60999).
    fn port(&mut self) -> u16 {
        32_768 + (self.next() % 28_232) as u16
    }

    /// `len` characters of the ICE/cname alphabet (`[A-Za-z0-9+/]`).
    fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..len)
            .map(|_| char::from(ALPHABET[(self.next() % 64) as usize]))
            .collect()
    }

    /// A version-4 UUID, lower case, as Chromium's stream and track ids.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 + (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }

    /// A SHA-256 fingerprint: 32 upper-case hex bytes separated by colons.
    fn fingerprint(&mut self) -> String {
        let bytes: Vec<String> = (0..32)
            .map(|_| format!("{:02X}", self.next() & 0xff))
            .collect();
        bytes.join(":")
    }
}

/// Unique, random-looking SSRCs: an odd multiplier and an xor-shift are both bijections on
/// `u32`, so distinct counters give distinct SSRCs.
struct SsrcSource(u32);

impl SsrcSource {
    fn next(&mut self) -> u32 {
        loop {
            self.0 = self.0.wrapping_add(1);
            let mut x = self.0.wrapping_mul(0x9e37_79b1);
            x ^= x >> 16;
            x = x.wrapping_mul(0x85eb_ca6b);
            if x != 0 {
                return x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn lines(sdp: &str) -> Vec<&str> {
        sdp.split_terminator("\r\n").collect()
    }

    #[test]
    fn crlf_everywhere_and_deterministic() {
        for n in SIZES {
            let sdp = chromium_offer(n);
            assert!(sdp.ends_with("\r\n"));
            assert!(!sdp.replace("\r\n", "").contains('\n'));
            assert!(!sdp.replace("\r\n", "").contains('\r'));
            assert_eq!(sdp, chromium_offer(n));
        }
    }

    #[test]
    fn sections_mids_bundle_and_rejections() {
        for n in SIZES {
            let sdp = chromium_offer(n);
            let l = lines(&sdp);
            let m_lines: Vec<&&str> = l.iter().filter(|l| l.starts_with("m=")).collect();
            assert_eq!(m_lines.len(), n);
            let rejected = m_lines.iter().filter(|l| l.contains(" 0 UDP/")).count();
            assert_eq!(rejected, n / 4, "a quarter rejected at n={n}");
            assert!(m_lines[n - 1].starts_with("m=application "));
            assert_eq!(
                m_lines
                    .iter()
                    .filter(|l| l.starts_with("m=application"))
                    .count(),
                1
            );
            let mids: Vec<String> = l
                .iter()
                .filter_map(|l| l.strip_prefix("a=mid:"))
                .map(str::to_owned)
                .collect();
            let expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            assert_eq!(mids, expected);
            let bundle: Vec<&str> = l
                .iter()
                .find_map(|l| l.strip_prefix("a=group:BUNDLE "))
                .expect("BUNDLE group")
                .split(' ')
                .collect();
            assert_eq!(bundle.len(), n - n / 4);
            for i in 0..n {
                let in_bundle = bundle.contains(&i.to_string().as_str());
                assert_eq!(in_bundle, !section_kind(n, i).is_rejected());
            }
        }
    }

    #[test]
    fn rejected_sections_are_chromium_stopped_transceivers() {
        let sdp = chromium_offer(200);
        for section in sdp.split("\r\nm=").skip(1) {
            let rejected = section.split_once(' ').map(|(_, r)| r.starts_with("0 "));
            let has = |p: &str| section.split("\r\n").any(|l| l.starts_with(p));
            if rejected == Some(true) {
                assert!(has("a=inactive"));
                assert!(!has("a=msid:") && !has("a=ssrc:") && !has("a=ssrc-group:"));
                assert!(has("a=candidate:") && has("c=IN IP4 192.0.2.2"));
                assert!(has("a=rtpmap:") && has("a=extmap:"));
            } else if !section.starts_with("application") {
                assert!(has("a=sendrecv") && has("a=msid:") && has("a=ssrc:"));
            }
        }
    }

    #[test]
    fn ssrcs_and_track_ids_are_unique() {
        let sdp = chromium_offer(2000);
        let mut ssrcs = HashSet::new();
        let mut tracks = HashSet::new();
        for l in lines(&sdp) {
            if let Some(rest) = l.strip_prefix("a=ssrc:")
                && rest.contains(" cname:")
            {
                let ssrc = rest.split(' ').next().expect("ssrc");
                assert!(ssrcs.insert(ssrc.to_owned()), "duplicate ssrc {ssrc}");
            }
            if let Some(rest) = l.strip_prefix("a=msid:") {
                let track = rest.split(' ').nth(1).expect("track id");
                assert!(tracks.insert(track.to_owned()), "duplicate track {track}");
            }
        }
        // 1000 media sections minus 500 rejected: 500 live; video has primary + RTX.
        assert_eq!(tracks.len(), 1999 - 500);
    }

    /// Real Chromium 156 sections measure about 1,550 bytes (audio), 4,470 (video) and 730
    /// (data) with four candidates each; the average of an alternating offer is about 2,900.
    #[test]
    fn size_matches_real_chromium_sections() {
        let len = chromium_offer(200).len();
        assert!(
            (550_000..=620_000).contains(&len),
            "200 sections: {len} bytes"
        );
    }

    /// n = 3 has the shape of the real `chromium-stopvideo-balanced-2-offer.sdp`: live audio,
    /// port-0 video, data; its sections have the same line count and the same byte sizes up to
    /// the few digits that differ (ports, SSRCs, candidate foundations).
    #[test]
    fn three_sections_look_like_the_chromium_stopvideo_reoffer() {
        let sdp = chromium_offer(3);
        let sections: Vec<&str> = sdp.split("\r\nm=").collect();
        let counts: Vec<usize> = sections.iter().map(|s| s.split("\r\n").count()).collect();
        // Session-level lines; audio, video and data sections (from the real capture).
        assert_eq!(counts, [7, 35, 121, 14 + 1]);
        assert!(sections[2].starts_with("video 0 UDP/TLS/RTP/SAVPF 96 97 102"));
        assert!(sdp.contains("a=group:BUNDLE 0 2\r\n"));
    }
}
