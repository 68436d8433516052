//! A person as the service stores them: a keyed pseudonym of the BSN, never the number itself.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::bsn::Bsn;
use super::digest::lower_hex;

/// HMAC-SHA256 of the BSN under the pseudonym secret, hex encoded. Without the secret it cannot
/// be turned back into a BSN, not even by trying all billion numbers.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonId(String);

impl PersonId {
    /// Wraps a pseudonym read back from storage.
    pub fn from_stored(value: String) -> PersonId {
        PersonId(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A prefix is enough to tell people apart in a debugger; the full pseudonym stays out of
        // anything that might be logged.
        write!(f, "PersonId({}…)", &self.0[..self.0.len().min(8)])
    }
}

#[derive(Clone)]
pub struct Pseudonymizer {
    /// Keyed once: every pseudonym starts from a copy of this state.
    keyed: Hmac<Sha256>,
}

impl Pseudonymizer {
    pub fn new(secret: &[u8]) -> Pseudonymizer {
        Pseudonymizer {
            keyed: <Hmac<Sha256> as Mac>::new_from_slice(secret)
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length")),
        }
    }

    /// A fingerprint of the key, stored to recognise it: the pseudonym of a label no BSN can
    /// be, so it tells nothing a stored pseudonym does not, and nothing about the key.
    pub fn key_fingerprint(&self) -> String {
        let mut mac = self.keyed.clone();
        mac.update(b"rijksincasso:sleutelcontrole");
        lower_hex(&mac.finalize().into_bytes().into())
    }

    pub fn person_id(&self, bsn: &Bsn) -> PersonId {
        let mut mac = self.keyed.clone();
        mac.update(bsn.digits().as_bytes());
        PersonId(lower_hex(&mac.finalize().into_bytes().into()))
    }
}

impl fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonymizer(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bsn_and_secret_give_the_same_pseudonym_and_another_secret_another() {
        let bsn = Bsn::parse("123456782").unwrap();
        let a = Pseudonymizer::new(b"secret-a");
        let b = Pseudonymizer::new(b"secret-b");
        assert_eq!(a.person_id(&bsn), a.person_id(&bsn));
        assert_ne!(a.person_id(&bsn), b.person_id(&bsn));
        assert_eq!(a.person_id(&bsn).as_str().len(), 64);
        assert!(!a.person_id(&bsn).as_str().contains("123456782"));
    }

    /// Stored claims are found by the pseudonym they were stored with.
    #[test]
    fn the_pseudonym_of_a_bsn_stays_what_was_stored() {
        let bsn = Bsn::parse("123456782").unwrap();
        assert_eq!(
            Pseudonymizer::new(b"secret-a").person_id(&bsn).as_str(),
            "f00ebd795d248b41cf49c974cd3602ec7c1d31f7f71191f6c2af50ec85e8ef1b"
        );
    }
}
