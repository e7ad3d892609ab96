//! The codec sets the rounds run with, the same on every side (docs/performance.md,
//! "Renegotiation rounds"): one [`CodecSet`] turns into tacet's [`CodecConfig`], str0m's
//! `RtcConfig` codecs and extension map, and webrtc-rs `rtc`'s `MediaEngine`.
//!
//! tacet's list is the source for `rtc` (every codec, fmtp, feedback and RTX line is
//! registered as tacet writes it). str0m has fixed codec kinds and writes its own feedback, so
//! its list is built with its own calls; for [`CodecSet::Str0m`] it is the other way round:
//! str0m's default offer is the source, read into tacet's config with
//! [`CodecConfig::from_description`]. What cannot be made equal is listed on
//! [`CodecSet`]'s variants and asserted by `tests/renegotiation.rs`.

#![allow(
    clippy::disallowed_methods,
    reason = "str0m takes the start instant of a connection; the bench has a clock"
)]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use rtc::peer_connection::configuration::media_engine::MediaEngine;
use rtc::rtp_transceiver::rtp_sender::{
    RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters, RTCRtpHeaderExtensionCapability, RtpCodecKind,
};
use str0m::format::{Codec as Str0mCodec, FormatParams};
use str0m::media::{Direction, Frequency, MediaKind};
use str0m::rtp::{Extension, ExtensionMap};
use str0m::{Candidate, RtcConfig};
use tacet_sdp::{SdpType, SessionDescription};
use tacet_session::{Codec, CodecConfig};

/// A codec set every side is configured with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodecSet {
    /// Opus; VP8 with RTX; the mid and transport-cc header extensions. Equal on every side
    /// but `a=rtcp-rsize`, which str0m does not write (tacet and rtc do).
    Minimal,
    /// str0m 0.25's default (`RtcConfig::new()`): Opus; VP8, two VP9 profiles, seven H264,
    /// H265 and AV1, each with RTX; Chromium's header extensions (str0m's
    /// `ExtensionMap::standard()`, which also offers rtp-stream-id and its repair id in audio
    /// sections). tacet and rtc take str0m's offer as their list, payload types included.
    /// str0m writes no `a=rtcp-rsize`.
    Str0m,
    /// Chromium 156's list (tacet's [`CodecConfig::default`]): Opus with RED,
    /// telephone-event at 48 and 8 kHz; VP8, VP9 profile 0 and three H264 profiles, each with
    /// RTX; Chromium's header extensions. str0m offers telephone-event at 48 kHz only (not the
    /// 8 kHz one) with its own fmtp (`0-16`), writes no `a=rtcp-rsize`, and offers
    /// rtp-stream-id and its repair id in audio sections too; rtc answers one telephone-event
    /// only.
    Chromium,
}

impl CodecSet {
    /// Every set, in the order of the tables.
    pub const ALL: [Self; 3] = [Self::Minimal, Self::Str0m, Self::Chromium];

    /// The name used in tables and on command lines.
    pub fn name(self) -> &'static str {
        match self {
            Self::Minimal => "minimal",
            Self::Str0m => "str0m-default",
            Self::Chromium => "chromium",
        }
    }

    /// The set named `name` ([`Self::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the table headings say about the set.
    pub fn description(self) -> &'static str {
        match self {
            Self::Minimal => "minimal codec set (Opus; VP8 with RTX)",
            Self::Str0m => {
                "str0m's default codec set (Opus; VP8, VP9 x2, H264 x7, H265, AV1, each with RTX)"
            }
            Self::Chromium => {
                "Chromium's codec set (Opus, RED, telephone-event x2; VP8, VP9, H264 x3, each with RTX)"
            }
        }
    }

    /// tacet's configuration.
    pub fn tacet(self) -> CodecConfig {
        match self {
            Self::Minimal => CodecConfig::minimal(),
            Self::Chromium => CodecConfig::default(),
            Self::Str0m => {
                let offer = str0m_default_offer();
                let parsed = SessionDescription::parse(SdpType::Offer, &offer)
                    .expect("invariant: tacet parses str0m's default offer");
                CodecConfig::from_description(&parsed.description)
            }
        }
    }

    /// str0m's configuration: codecs and header extensions.
    pub fn str0m(self) -> RtcConfig {
        match self {
            Self::Minimal => {
                let mut exts = ExtensionMap::empty();
                exts.set(3, Extension::TransportSequenceNumber);
                exts.set(4, Extension::RtpMid);
                RtcConfig::new()
                    .clear_codecs()
                    .enable_opus(true, false)
                    .enable_vp8(true)
                    .set_extension_map(exts)
            }
            Self::Str0m => RtcConfig::new(),
            Self::Chromium => {
                let mut config = RtcConfig::new()
                    .clear_codecs()
                    .enable_opus(true, true)
                    .enable_vp8(true)
                    .set_extension_map(ExtensionMap::standard());
                let codecs = config.codec_config();
                for (pt, rate) in [
                    (110u8, Frequency::FORTY_EIGHT_KHZ),
                    (126u8, Frequency::EIGHT_KHZ),
                ] {
                    codecs.add_config(
                        pt.into(),
                        None,
                        Str0mCodec::Tele,
                        rate,
                        None,
                        FormatParams::default(),
                    );
                }
                codecs.add_config(
                    98u8.into(),
                    Some(99u8.into()),
                    Str0mCodec::Vp9,
                    Frequency::NINETY_KHZ,
                    None,
                    FormatParams {
                        profile_id: Some(0),
                        ..FormatParams::default()
                    },
                );
                for (pt, rtx, profile) in [
                    (102u8, 103u8, 0x42001f),
                    (108, 109, 0x42e01f),
                    (116, 117, 0x4d001f),
                ] {
                    codecs.add_h264(pt.into(), Some(rtx.into()), true, profile);
                }
                config
            }
        }
    }

    /// rtc's media engine: every codec and extension of [`Self::tacet`], as tacet writes it.
    pub fn rtc(self) -> MediaEngine {
        let config = self.tacet();
        let mut engine = MediaEngine::default();
        for (kind, codecs, prefix) in [
            (RtpCodecKind::Audio, &config.audio, "audio"),
            (RtpCodecKind::Video, &config.video, "video"),
        ] {
            for (index, codec) in codecs.iter().enumerate() {
                let pt = codec.preferred_pt;
                let params = rtc_codec(prefix, codec, &codec_fmtp(codecs, index), pt);
                engine
                    .register_codec(params, kind)
                    .expect("rtc registers the codec");
                if let Some(rtx) = codec.rtx_pt {
                    let params = RTCRtpCodecParameters {
                        rtp_codec: RTCRtpCodec {
                            mime_type: format!("{prefix}/rtx"),
                            clock_rate: codec.clock_rate,
                            channels: 0,
                            sdp_fmtp_line: format!("apt={pt}"),
                            rtcp_feedback: Vec::new(),
                        },
                        payload_type: rtx,
                    };
                    engine
                        .register_codec(params, kind)
                        .expect("rtc registers RTX");
                }
            }
        }
        for (kind, extensions) in [
            (RtpCodecKind::Audio, &config.audio_extensions),
            (RtpCodecKind::Video, &config.video_extensions),
        ] {
            for (uri, _) in extensions {
                engine
                    .register_header_extension(
                        RTCRtpHeaderExtensionCapability { uri: uri.clone() },
                        kind,
                        None,
                    )
                    .expect("rtc registers the extension");
            }
        }
        engine
    }
}

/// `codecs[index]`'s fmtp as tacet writes it in an offer: RED's `{primary}` is the payload type
/// of the codec it carries (the first that is neither RED nor RTX unless it names one).
fn codec_fmtp(codecs: &[Codec], index: usize) -> String {
    let codec = &codecs[index];
    let primary = codec
        .primary
        .or_else(|| {
            codecs.iter().position(|c| {
                !c.name.eq_ignore_ascii_case("red") && !c.name.eq_ignore_ascii_case("rtx")
            })
        })
        .map_or(0, |i| codecs[i].preferred_pt);
    codec
        .fmtp
        .iter()
        .map(|(k, v)| {
            let k = k.replace("{primary}", &primary.to_string());
            match v.as_deref() {
                Some(v) if !v.is_empty() => format!("{k}={v}"),
                _ => k,
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn rtc_codec(prefix: &str, codec: &Codec, fmtp: &str, pt: u8) -> RTCRtpCodecParameters {
    RTCRtpCodecParameters {
        rtp_codec: RTCRtpCodec {
            mime_type: format!("{prefix}/{}", codec.name),
            clock_rate: codec.clock_rate,
            channels: codec.channels.unwrap_or(0),
            sdp_fmtp_line: fmtp.to_owned(),
            rtcp_feedback: codec
                .rtcp_fbs
                .iter()
                .map(|(typ, parameter)| RTCPFeedback {
                    typ: typ.clone(),
                    parameter: parameter.clone().unwrap_or_default(),
                })
                .collect(),
        },
        payload_type: pt,
    }
}

/// The offer of a default-configured str0m with one audio and one video section: its codec
/// list as text.
pub fn str0m_default_offer() -> String {
    let mut rtc = RtcConfig::new().build(Instant::now());
    let addr = SocketAddr::from((Ipv4Addr::new(192, 0, 2, 1), 40_000));
    let candidate = Candidate::host(addr, "udp").expect("invariant: a host candidate");
    rtc.add_local_candidate(candidate)
        .expect("invariant: str0m accepts a host candidate");
    let mut api = rtc.sdp_api();
    for kind in [MediaKind::Audio, MediaKind::Video] {
        api.add_media(kind, Direction::SendRecv, None, None, None);
    }
    let (offer, _) = api.apply().expect("invariant: added media need an offer");
    offer.to_sdp_string()
}
