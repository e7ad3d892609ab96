//! Reading the codecs of many m-sections of one description once per distinct set of codec
//! lines.
//!
//! A description with hundreds of sections usually has two sets of codec lines, one per media
//! type: reading (and answering) every section anew repeated the same string work per section
//! (issue 16). What a section's codecs and header extensions are depends only on its format
//! list and its `a=rtpmap`, `a=fmtp`, `a=rtcp-fb` and `a=extmap` lines, so sections whose
//! lines are equal share one reading.

use std::sync::Arc;

use tacet_sdp::{Attribute, MediaSection};

use super::{NegotiatedCodec, read_extensions, read_section};

/// The most distinct sets of codec lines remembered per description: a description with more
/// (every section different, e.g. a hostile one) costs one comparison per remembered set per
/// section on top of reading each, so the bound keeps that linear in the sections.
const REMEMBERED: usize = 8;

/// What the codec lines of one m-section say.
#[derive(Clone, Debug)]
pub(crate) struct SectionCodecs {
    /// Which distinct set of codec lines this is, within one [`Reader`]: equal for sections
    /// whose codec lines are equal (while remembered), so that what is derived from the
    /// reading (an answer) can be kept under it too.
    pub(crate) id: usize,
    /// The codecs, one entry per primary payload type ([`read_section`]).
    pub(crate) codecs: Arc<[NegotiatedCodec]>,
    /// The header extensions ([`read_extensions`]).
    pub(crate) extensions: Arc<[(String, u16)]>,
}

/// Reads sections of one description, each distinct set of codec lines once.
#[derive(Debug, Default)]
pub(crate) struct Reader<'a> {
    seen: Vec<(&'a MediaSection, SectionCodecs)>,
    /// The id the next distinct reading gets.
    next_id: usize,
}

impl<'a> Reader<'a> {
    /// The codecs and header extensions of `section`: a remembered reading when an earlier
    /// section had the same codec lines.
    pub(crate) fn read(&mut self, section: &'a MediaSection) -> SectionCodecs {
        if let Some((_, read)) = self
            .seen
            .iter()
            .find(|(seen, _)| same_codec_lines(seen, section))
        {
            return read.clone();
        }
        let codecs: Vec<NegotiatedCodec> = read_section(section);
        // Different lines can still read the same (other line order, `*` feedback): one list
        // then, as transceivers that negotiated the same codecs share theirs.
        let codecs = match self.seen.iter().find(|(_, r)| *r.codecs == *codecs) {
            Some((_, r)) => Arc::clone(&r.codecs),
            None => codecs.into(),
        };
        let read = SectionCodecs {
            id: self.next_id,
            codecs,
            extensions: read_extensions(section).into(),
        };
        self.next_id += 1;
        if self.seen.len() < REMEMBERED {
            self.seen.push((section, read.clone()));
        }
        read
    }
}

/// Whether `a` and `b` have the same formats and the same codec and extension lines, in the
/// same order: everything [`read_section`] and [`read_extensions`] look at.
fn same_codec_lines(a: &MediaSection, b: &MediaSection) -> bool {
    a.formats == b.formats && codec_lines(a).eq(codec_lines(b))
}

fn codec_lines(section: &MediaSection) -> impl Iterator<Item = &Attribute> {
    section.attributes.iter().filter(|a| {
        matches!(
            a,
            Attribute::RtpMap(_) | Attribute::Fmtp(_) | Attribute::RtcpFb(_) | Attribute::ExtMap(_)
        )
    })
}

#[cfg(test)]
mod tests {
    use tacet_sdp::{SdpType, SessionDescription};

    use super::*;

    fn description(sections: &[&str]) -> SessionDescription {
        let mut text = String::from("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (i, lines) in sections.iter().enumerate() {
            text.push_str(lines);
            text.push_str(&format!("a=mid:{i}\r\n"));
        }
        SessionDescription::parse(SdpType::Offer, &text)
            .expect("the test's SDP is well-formed")
            .description
    }

    const OPUS: &str = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n\
        a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=rtpmap:111 opus/48000/2\r\n\
        a=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n";
    const VP8: &str = "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\n\
        a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\n\
        a=fmtp:97 apt=96\r\n";

    #[test]
    fn every_section_reads_as_read_alone() {
        let opus_other_fmtp = OPUS.replace("minptime=10", "minptime=20");
        let vp8_other_ext = format!("{VP8}a=extmap:4 urn:x\r\n");
        let d = description(&[OPUS, VP8, OPUS, &opus_other_fmtp, VP8, &vp8_other_ext]);
        let mut reader = Reader::default();
        let reads: Vec<SectionCodecs> = d.media.iter().map(|m| reader.read(m)).collect();
        for (read, section) in reads.iter().zip(&d.media) {
            assert_eq!(*read.codecs, *read_section(section));
            assert_eq!(*read.extensions, *read_extensions(section));
        }
        let ids: Vec<usize> = reads.iter().map(|r| r.id).collect();
        assert_eq!(ids, [0, 1, 0, 2, 1, 3]);
        // Equal lines share one list; the VP8 sections with other extensions share the codecs.
        assert!(Arc::ptr_eq(&reads[0].codecs, &reads[2].codecs));
        assert!(Arc::ptr_eq(&reads[1].codecs, &reads[5].codecs));
        assert!(!Arc::ptr_eq(&reads[0].codecs, &reads[3].codecs));
    }

    #[test]
    fn past_the_bound_every_section_is_read_anew() {
        let sections: Vec<String> = (0..REMEMBERED + 3)
            .map(|i| OPUS.replace("minptime=10", &format!("minptime={}", 10 + i)))
            .collect();
        let mut all: Vec<&str> = sections.iter().map(String::as_str).collect();
        all.push(&sections[REMEMBERED + 1]);
        let d = description(&all);
        let mut reader = Reader::default();
        let reads: Vec<SectionCodecs> = d.media.iter().map(|m| reader.read(m)).collect();
        for (read, section) in reads.iter().zip(&d.media) {
            assert_eq!(*read.codecs, *read_section(section));
        }
        // Not remembered: the repeat gets an id of its own.
        let last = reads.len() - 1;
        assert_ne!(reads[last].id, reads[REMEMBERED + 1].id);
        assert_eq!(seen_ids(&reads), reads.len());
    }

    fn seen_ids(reads: &[SectionCodecs]) -> usize {
        let mut ids: Vec<usize> = reads.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}
