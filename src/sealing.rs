//! Secrets kept at rest, sealed: AES-256-GCM (ring) under a key derived with HKDF-SHA256 from
//! the pseudonym secret, so no further secret needs configuring — that secret is never changed
//! (stored data is found by it) and already kept like a key. Each sealed value is bound to the
//! record it belongs to (its id as associated data): a sealed secret copied to another row does
//! not open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf::{HKDF_SHA256, Salt};
use ring::rand::{SecureRandom, SystemRandom};

/// The HKDF salt and info: change the info, and every sealed value becomes unreadable.
const SALT: &[u8] = b"rijksincasso";
const INFO: &[u8] = b"webhook-geheimen v1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the random source failed")]
    Random,
    #[error("the sealed value does not open with this key for this record")]
    Unopenable,
}

pub struct Sealer {
    key: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// The sealer of `secret` (the pseudonym secret).
    pub fn new(secret: &[u8]) -> Sealer {
        let prk = Salt::new(HKDF_SHA256, SALT).extract(secret);
        let okm = prk
            .expand(&[INFO], &AES_256_GCM)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 output length"));
        Sealer {
            key: LessSafeKey::new(UnboundKey::from(okm)),
            random: SystemRandom::new(),
        }
    }

    /// Seals `plain` for the record `context`: base64 of a fresh random nonce, the ciphertext
    /// and its tag.
    pub fn seal(&self, plain: &[u8], context: &str) -> Result<String, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| SealError::Random)?;
        let mut sealed = plain.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut sealed,
            )
            .map_err(|_| SealError::Unopenable)?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(BASE64.encode(out))
    }

    /// Opens what [`seal`](Self::seal) sealed for the record `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, SealError> {
        let bytes = BASE64.decode(sealed).map_err(|_| SealError::Unopenable)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::Unopenable);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Unopenable)?;
        let mut in_out = ciphertext.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut in_out)
            .map_err(|_| SealError::Unopenable)?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_the_same_key_for_the_same_record() {
        let sealer = Sealer::new(b"pseudonym-secret-of-at-least-32-bytes!!");
        let sealed = sealer.seal(b"the webhook key", "abonnement-1").unwrap();
        assert!(
            !sealed.contains("webhook"),
            "the stored form is not readable"
        );
        assert_eq!(
            sealer.open(&sealed, "abonnement-1").unwrap(),
            b"the webhook key"
        );
        assert_eq!(
            sealer.open(&sealed, "abonnement-2"),
            Err(SealError::Unopenable),
            "bound to its record"
        );
        let other = Sealer::new(b"another-pseudonym-secret-of-32-bytes!!!");
        assert_eq!(
            other.open(&sealed, "abonnement-1"),
            Err(SealError::Unopenable)
        );
        assert_ne!(
            sealer.seal(b"the webhook key", "abonnement-1").unwrap(),
            sealed,
            "a fresh nonce every time"
        );
    }

    #[test]
    fn a_damaged_sealed_value_does_not_open() {
        let sealer = Sealer::new(b"pseudonym-secret-of-at-least-32-bytes!!");
        let sealed = sealer.seal(b"key", "a").unwrap();
        let mut bytes = BASE64.decode(&sealed).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(
            sealer.open(&BASE64.encode(bytes), "a"),
            Err(SealError::Unopenable)
        );
        assert_eq!(sealer.open("kort", "a"), Err(SealError::Unopenable));
    }
}
