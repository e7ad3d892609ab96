//! RED's primary (RFC 2198 §5): the fmtp names the payload type of the codec RED carries.

use super::*;

/// Configured RED, carrying `primary` (an index in the same list, or the default).
fn red_config(primary: Option<usize>) -> Codec {
    let mut red = Codec::new("red", 48000, Some(2), 63).fmtp(&[("{primary}/{primary}", "")]);
    red.primary = primary;
    red
}

fn opus_config() -> Codec {
    CodecConfig::default().audio[0].clone()
}

fn telephone_event() -> Codec {
    Codec::new("telephone-event", 48000, None, 110)
}

/// The fmtp RED is offered with, as written in the section.
fn offered_red_fmtp(audio: Vec<Codec>, registry: &Registry) -> Option<String> {
    let config = CodecConfig {
        audio,
        ..CodecConfig::default()
    };
    let codecs = offered(registry, &config, TrackKind::Audio);
    let written = reparse(&section(MediaKind::Audio, &codecs, &[]));
    written.fmtp(63).map(|f| f.parameters().to_owned())
}

/// RFC 2198 §5: by default RED carries the first codec of its list that is neither RED nor
/// RTX — Opus here, although RED is listed first (the offer used to write `63/63`).
#[test]
fn offer_red_names_the_first_codec_that_is_not_red_by_default() {
    let registry = Registry::default();
    let red_first = vec![red_config(None), opus_config()];
    assert_eq!(
        offered_red_fmtp(red_first, &registry).as_deref(),
        Some("111/111")
    );
    let dtmf_first = vec![telephone_event(), opus_config(), red_config(None)];
    assert_eq!(
        offered_red_fmtp(dtmf_first, &registry).as_deref(),
        Some("110/110")
    );
}

/// RFC 2198 §5: `Codec::primary` names the codec RED carries, whatever comes first, at the
/// payload type the offer gives it — the registered one when the remote numbered Opus.
#[test]
fn offer_red_names_the_configured_primary_at_its_offered_pt() {
    let audio = vec![telephone_event(), opus_config(), red_config(Some(1))];
    assert_eq!(
        offered_red_fmtp(audio.clone(), &Registry::default()).as_deref(),
        Some("111/111")
    );
    let mut registry = Registry::default();
    registry.record(TrackKind::Audio, &[opus(109)], &[]);
    assert_eq!(
        offered_red_fmtp(audio, &registry).as_deref(),
        Some("109/109")
    );
}

/// RFC 2198 §5: a RED whose primary is no codec of its list, or RED itself, or no codec at
/// all, cannot be offered: the caller's configuration is refused, naming the rule.
#[test]
fn offer_red_without_a_primary_codec_is_refused() {
    for audio in [
        vec![opus_config(), red_config(Some(5))],
        vec![opus_config(), red_config(Some(1))],
        vec![red_config(None)],
    ] {
        let config = CodecConfig {
            audio,
            ..CodecConfig::default()
        };
        let err = Registry::default().offer(&config).unwrap_err();
        assert!(matches!(err, Error::InvalidCodecConfig { .. }), "{err}");
        assert_eq!(err.fault(), crate::Fault::Caller);
        assert!(err.rule().starts_with("RFC 2198 §5"), "{err}");
    }
}

/// A configuration read from a description keeps RED on its primary by position, so that the
/// offer follows Opus wherever it is numbered.
#[test]
fn config_from_a_description_names_reds_primary_by_position() {
    let mut sdp = SessionDescription::new(SdpType::Offer, Origin::new(1, 1));
    let mut audio = section(
        MediaKind::Audio,
        &[
            red(63, 109),
            remote(110, "telephone-event", 48000, None, &[], None),
            opus(109),
        ],
        &[],
    );
    audio.set_mid("0").unwrap();
    sdp.media.push(audio);
    let config = CodecConfig::from_description(&sdp);
    assert_eq!(config.audio[0].primary, Some(2));
    assert_eq!(
        config.audio[0].fmtp,
        [("{primary}/{primary}".to_owned(), None)]
    );
    let mut registry = Registry::default();
    registry.record(TrackKind::Audio, &[opus(96)], &[]);
    let codecs = offered(&registry, &config, TrackKind::Audio);
    assert_eq!(param_key(&codecs[0]), Some("96/96"));
}

/// The first fmtp parameter's name (RED writes its payload types there).
fn param_key(c: &NegotiatedCodec) -> Option<&str> {
    c.codec.fmtp.first().map(|(k, _)| k.as_str())
}
