//! SRTP keying (RFC 5764 §4.2): the profiles DTLS offers in `use_srtp`, and one transport's
//! pair of SRTP contexts from its finished handshake.

use rtc_dtls::crypto_provider::RTCCrypto;
use rtc_dtls::extension::extension_use_srtp::SrtpProtectionProfile;
use rtc_srtp::config::{Config as SrtpConfig, LABEL_EXTRACTOR_DTLS_SRTP};
use rtc_srtp::context::Context;
use rtc_srtp::option::{srtcp_replay_protection, srtp_replay_protection};
use rtc_srtp::protection_profile::ProtectionProfile;

/// The SRTP protection profiles offered in DTLS `use_srtp`, most preferred first: AES-GCM
/// (RFC 7714) and the profile every WebRTC endpoint has (RFC 8827 §6.5 requires
/// SRTP_AES128_CM_HMAC_SHA1_80).
pub(crate) const SRTP_PROFILES: [SrtpProtectionProfile; 2] = [
    SrtpProtectionProfile::Srtp_Aead_Aes_128_Gcm,
    SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_80,
];

/// Replay windows of the remote contexts (RFC 3711 §3.3.2 recommends at least 64).
const REPLAY_WINDOW: usize = 128;

/// The SRTP contexts of one transport.
pub(crate) struct Keys {
    /// Protects what this side sends.
    pub(crate) local: Context,
    /// Unprotects what the peer sends (with replay protection).
    pub(crate) remote: Context,
}

/// The SRTP contexts from a finished handshake.
pub(crate) fn keys(
    state: Option<&rtc_dtls::state::State>,
    crypto: &dyn RTCCrypto,
) -> Result<Keys, String> {
    let state = state.ok_or("no DTLS session state")?;
    let profile = match state.srtp_protection_profile() {
        SrtpProtectionProfile::Srtp_Aead_Aes_128_Gcm => ProtectionProfile::AeadAes128Gcm,
        SrtpProtectionProfile::Srtp_Aes128_Cm_Hmac_Sha1_80 => {
            ProtectionProfile::Aes128CmHmacSha1_80
        }
        other => {
            return Err(format!(
                "DTLS negotiated no SRTP profile tacet offered (RFC 5764 §4.1.2): {other:?}"
            ));
        }
    };
    let mut config = SrtpConfig {
        profile,
        ..SrtpConfig::default()
    };
    let material = state
        .export_keying_material(LABEL_EXTRACTOR_DTLS_SRTP, &[], config.keying_material_len())
        .map_err(|e| format!("DTLS exporter (RFC 5705): {e}"))?;
    config
        .set_session_keys_from_keying_material(material.as_ref(), state.is_client())
        .map_err(|e| e.to_string())?;
    let k = &config.keys;
    let local = Context::new(
        &k.local_master_key,
        &k.local_master_salt,
        profile,
        None,
        None,
        crypto,
    )
    .map_err(|e| e.to_string())?;
    // RFC 3711 §3.3.2: the receiver rejects replayed packets.
    let remote = Context::new(
        &k.remote_master_key,
        &k.remote_master_salt,
        profile,
        Some(srtp_replay_protection(REPLAY_WINDOW)),
        Some(srtcp_replay_protection(REPLAY_WINDOW)),
        crypto,
    )
    .map_err(|e| e.to_string())?;
    Ok(Keys { local, remote })
}
