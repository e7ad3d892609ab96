//! Writing the codec and extension lines of many m-sections of one description once per
//! distinct list.
//!
//! Every live section of a kind in an offer carries the same codecs and extensions, and so
//! does every answer section whose offer carried the same lines ([`super::Reader`]): building
//! each section's `a=rtpmap`/`a=fmtp`/`a=rtcp-fb`/`a=extmap` lines anew repeated the same
//! formatting and validation per section (issue 16). A [`Writer`] builds them for the first
//! section with a list and copies them into the others.

use tacet_sdp::{Attribute, MediaSection};

use super::{NegotiatedCodec, write_codecs, write_extensions};
use crate::error::Error;

/// The most distinct lists kept per description (a description with more builds the rest per
/// section, as before): a bound on the comparisons each section costs.
const KEPT: usize = 8;

/// Codec lines built once: the list, its lines and the m-line's format list.
type CodecLines<'a> = (&'a [NegotiatedCodec], Vec<Attribute>, String);
/// Extension lines built once.
type ExtensionLines<'a> = (&'a [(String, u16)], Vec<Attribute>);

/// Writes the codec and extension lines of the sections of one description.
#[derive(Debug, Default)]
pub(crate) struct Writer<'a> {
    codecs: Vec<CodecLines<'a>>,
    extensions: Vec<ExtensionLines<'a>>,
}

/// Whether `kept` is `list`: the same slice (the usual case, a shared list), else equal.
fn same<T: PartialEq>(kept: &[T], list: &[T]) -> bool {
    std::ptr::eq(kept, list) || kept == list
}

impl<'a> Writer<'a> {
    /// Appends the codec lines of `codecs` to `section` ([`write_codecs`]) and sets its
    /// format list to their payload types.
    pub(crate) fn codecs(
        &mut self,
        section: &mut MediaSection,
        codecs: &'a [NegotiatedCodec],
    ) -> Result<(), Error> {
        if let Some((_, lines, formats)) = self.codecs.iter().find(|(c, ..)| same(c, codecs)) {
            section.attributes.extend(lines.iter().cloned());
            section.formats.clone_from(formats);
            return Ok(());
        }
        let start = section.attributes.len();
        let pts = write_codecs(section, codecs)?;
        let formats = pts.iter().map(u8::to_string).collect::<Vec<_>>().join(" ");
        if self.codecs.len() < KEPT {
            // `start` was the length before writing: the range is what was just written.
            let lines = section.attributes.get(start..).unwrap_or_default().to_vec();
            self.codecs.push((codecs, lines, formats.clone()));
        }
        section.formats = formats;
        Ok(())
    }

    /// Appends the `a=extmap` lines of `extensions` to `section` ([`write_extensions`]).
    pub(crate) fn extensions(
        &mut self,
        section: &mut MediaSection,
        extensions: &'a [(String, u16)],
    ) -> Result<(), Error> {
        if let Some((_, lines)) = self.extensions.iter().find(|(e, _)| same(e, extensions)) {
            section.attributes.extend(lines.iter().cloned());
            return Ok(());
        }
        let start = section.attributes.len();
        write_extensions(section, extensions)?;
        if self.extensions.len() < KEPT {
            // As for the codecs: the lines just written.
            let lines = section.attributes.get(start..).unwrap_or_default().to_vec();
            self.extensions.push((extensions, lines));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use tacet_sdp::MediaKind;
    use tacet_track::TrackKind;

    use super::super::{CodecConfig, Registry};
    use super::*;

    /// A section written directly, as before the writer.
    fn direct(codecs: &[NegotiatedCodec], extensions: &[(String, u16)]) -> MediaSection {
        let mut section = MediaSection::rtp(MediaKind::Video, &[]).expect("an empty RTP section");
        write_extensions(&mut section, extensions).expect("the default extensions are valid");
        let pts = write_codecs(&mut section, codecs).expect("the default codecs are valid");
        section.formats = pts.iter().map(u8::to_string).collect::<Vec<_>>().join(" ");
        section
    }

    #[test]
    fn every_section_is_written_as_written_alone() {
        let config = CodecConfig::default();
        let offer = Registry::default()
            .offer(&config)
            .expect("the default configuration numbers");
        let (audio, video) = (
            offer.codecs(TrackKind::Audio),
            offer.codecs(TrackKind::Video),
        );
        let (audio_ext, video_ext) = (
            offer.extensions(TrackKind::Audio),
            offer.extensions(TrackKind::Video),
        );
        // An equal list in another allocation is recognised too.
        let video_copy: Vec<NegotiatedCodec> = video.to_vec();
        let lists = [
            (audio, audio_ext),
            (video, video_ext),
            (audio, audio_ext),
            (&video_copy[..], video_ext),
            (&video[..1], audio_ext),
        ];
        let mut writer = Writer::default();
        for (codecs, extensions) in lists {
            let mut section =
                MediaSection::rtp(MediaKind::Video, &[]).expect("an empty RTP section");
            writer
                .extensions(&mut section, extensions)
                .expect("the default extensions are valid");
            writer
                .codecs(&mut section, codecs)
                .expect("the default codecs are valid");
            assert_eq!(section, direct(codecs, extensions));
        }
        assert_eq!((writer.codecs.len(), writer.extensions.len()), (3, 2));
    }

    #[test]
    fn a_list_that_cannot_be_written_fails_every_time() {
        let mut bad = Registry::default()
            .offer(&CodecConfig::minimal())
            .expect("the minimal configuration numbers")
            .codecs(TrackKind::Audio)
            .to_vec();
        bad[0].codec.name = "not a token".into();
        let mut writer = Writer::default();
        for _ in 0..2 {
            let mut section =
                MediaSection::rtp(MediaKind::Audio, &[]).expect("an empty RTP section");
            assert!(writer.codecs(&mut section, &bad).is_err());
        }
        assert!(writer.codecs.is_empty());
    }
}
