//! Burgerservicenummer: nine digits passing the elfproef.
//!
//! A `Bsn` only exists in memory, briefly, at the edge: it is pseudonymised before storage and
//! its `Debug` never shows the number, so it cannot reach a log line by accident.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bsn(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BsnError {
    #[error("burgerservicenummer moet uit precies negen cijfers bestaan")]
    Format,
    #[error("burgerservicenummer voldoet niet aan de elfproef")]
    Elfproef,
}

impl Bsn {
    pub fn parse(text: &str) -> Result<Bsn, BsnError> {
        let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
        if text.len() != 9 || digits.len() != 9 {
            return Err(BsnError::Format);
        }
        // Elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11. All zeros passes the
        // arithmetic but is never issued.
        let weighted: i64 = digits[..8]
            .iter()
            .zip((2..=9).rev())
            .map(|(d, w)| i64::from(*d) * w)
            .sum::<i64>()
            - i64::from(digits[8]);
        if weighted % 11 != 0 || digits.iter().all(|d| *d == 0) {
            return Err(BsnError::Elfproef);
        }
        Ok(Bsn(text.to_owned()))
    }

    /// The nine digits, for pseudonymisation only.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(*********)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_numbers_passing_the_elfproef() {
        for ok in ["111222333", "123456782", "999996356"] {
            assert!(Bsn::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_wrong_length_non_digits_failed_elfproef_and_all_zeros() {
        assert_eq!(Bsn::parse("12345678"), Err(BsnError::Format));
        assert_eq!(Bsn::parse("1234567890"), Err(BsnError::Format));
        assert_eq!(Bsn::parse("12345678a"), Err(BsnError::Format));
        assert_eq!(Bsn::parse("١٢٣٤٥٦٧٨٢"), Err(BsnError::Format));
        assert_eq!(Bsn::parse("123456789"), Err(BsnError::Elfproef));
        assert_eq!(Bsn::parse("000000000"), Err(BsnError::Elfproef));
    }

    #[test]
    fn debug_output_never_shows_the_number() {
        let bsn = Bsn::parse("123456782").unwrap();
        assert!(!format!("{bsn:?}").contains("123456782"));
    }
}
