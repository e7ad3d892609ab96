//! The local DTLS certificate and the check of the peer's certificate against the
//! `a=fingerprint` lines of its description.
//!
//! WebRTC authenticates a DTLS peer by the fingerprint its signaled description carries, not by
//! a CA chain (RFC 8827 §6.5, RFC 8122 §5): the certificate the peer presents in the handshake
//! must hash to one of them. A description may carry several lines with different hash
//! functions (aiortc sends sha-256, sha-384 and sha-512): the certificate is accepted when it
//! matches any line whose hash function tacet supports, and lines with other hash functions are
//! skipped rather than failing the check (RFC 8122 §5: "the fingerprint ... using one of the
//! hash functions"; transport reference trap 6).

use std::fmt;
use std::sync::Arc;

use rtc_dtls::crypto::Certificate as DtlsCertificate;
use rtc_dtls::crypto_provider::RTCCryptoProvider;
use tacet_sdp::Fingerprint;

use crate::error::{Error, FingerprintFailure};

/// The hash functions tacet checks a fingerprint with (RFC 8122 §5 names, lower case).
/// sha-1 and md5 are left out on purpose: RFC 8827 §6.5 requires at least SHA-256.
const SUPPORTED: &[(&str, &ring::digest::Algorithm)] = &[
    ("sha-256", &ring::digest::SHA256),
    ("sha-384", &ring::digest::SHA384),
    ("sha-512", &ring::digest::SHA512),
];

/// This endpoint's DTLS certificate: a self-signed ECDSA P-256 certificate, as browsers make.
#[derive(Clone)]
pub(crate) struct Certificate {
    pub(crate) dtls: DtlsCertificate,
    fingerprint: Fingerprint,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The private key stays out of logs.
        f.debug_struct("Certificate")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl Certificate {
    /// A fresh self-signed certificate (its key from the crypto provider's generator).
    pub(crate) fn generate(provider: &Arc<dyn RTCCryptoProvider>) -> Result<Self, Error> {
        let dtls =
            DtlsCertificate::generate_self_signed(vec!["tacet".to_owned()], provider.crypto())
                .map_err(|e| Error::Crypto(e.to_string()))?;
        let der = dtls
            .certificate
            .first()
            .ok_or_else(|| Error::Crypto("the generated certificate has no DER".into()))?;
        let digest = ring::digest::digest(&ring::digest::SHA256, der.as_ref());
        let fingerprint = Fingerprint::new("sha-256", digest.as_ref())
            .map_err(|e| Error::Crypto(format!("fingerprint of the certificate: {e}")))?;
        Ok(Self { dtls, fingerprint })
    }

    /// Its sha-256 fingerprint, for the `a=fingerprint` line of every local description.
    pub(crate) fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }
}

/// Checks the peer's end-entity certificate (DER) against the fingerprints of its description.
///
/// Accepts on the first supported line that matches; skips lines whose hash function is not
/// supported; fails when no supported line matches, or when there is no supported line at all.
pub(crate) fn check(
    certificate: &[u8],
    fingerprints: &[Fingerprint],
) -> Result<(), FingerprintFailure> {
    let mut checked = Vec::new();
    let mut skipped = Vec::new();
    for fingerprint in fingerprints {
        let name = fingerprint.hash_function().to_ascii_lowercase();
        let Some((_, algorithm)) = SUPPORTED.iter().find(|(n, _)| *n == name) else {
            skipped.push(name);
            continue;
        };
        let digest = ring::digest::digest(algorithm, certificate);
        if same_digest(digest.as_ref(), fingerprint.hash()) {
            return Ok(());
        }
        checked.push(name);
    }
    if checked.is_empty() {
        Err(FingerprintFailure::NoSupportedFingerprint { skipped })
    } else {
        Err(FingerprintFailure::Mismatch { checked, skipped })
    }
}

/// Whether `hex` (colon-separated pairs, any case, as RFC 8122 §5 writes them) spells `digest`.
fn same_digest(digest: &[u8], hex: &str) -> bool {
    let mut pairs = hex.split(':');
    for byte in digest {
        match pairs.next().map(|p| u8::from_str_radix(p, 16)) {
            Some(Ok(value)) if value == *byte => {}
            _ => return false,
        }
    }
    pairs.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, digest: &[u8]) -> Fingerprint {
        Fingerprint::new(name, digest).expect("a valid fingerprint line")
    }

    const DER: &[u8] = b"not a real certificate, any bytes hash";

    #[test]
    fn any_supported_line_that_matches_accepts() {
        let sha384 = ring::digest::digest(&ring::digest::SHA384, DER);
        let lines = [line("sha-256", &[0; 32]), line("sha-384", sha384.as_ref())];
        assert_eq!(check(DER, &lines), Ok(()));
    }

    #[test]
    fn unknown_hash_functions_are_skipped_not_fatal() {
        // aiortc-like: an unknown algorithm first, the matching sha-512 after it.
        let sha512 = ring::digest::digest(&ring::digest::SHA512, DER);
        let lines = [line("sha-224", &[1; 28]), line("sha-512", sha512.as_ref())];
        assert_eq!(check(DER, &lines), Ok(()));
    }

    #[test]
    fn a_mismatch_names_what_was_checked_and_skipped() {
        let lines = [line("md5", &[1; 16]), line("sha-256", &[2; 32])];
        assert_eq!(
            check(DER, &lines),
            Err(FingerprintFailure::Mismatch {
                checked: vec!["sha-256".into()],
                skipped: vec!["md5".into()],
            })
        );
    }

    #[test]
    fn only_unsupported_lines_fail() {
        let lines = [line("sha-1", &[1; 20])];
        assert_eq!(
            check(DER, &lines),
            Err(FingerprintFailure::NoSupportedFingerprint {
                skipped: vec!["sha-1".into()],
            })
        );
    }

    #[test]
    fn hex_case_does_not_matter_and_length_must() {
        let digest = [0xAB, 0x01];
        assert!(same_digest(&digest, "ab:01"));
        assert!(same_digest(&digest, "AB:01"));
        assert!(!same_digest(&digest, "AB"));
        assert!(!same_digest(&digest, "AB:01:00"));
    }
}
