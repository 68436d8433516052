//! Wording specific to samenloop explanations; the general Dutch wording is shared.

use super::input::Party;

pub(super) use crate::domain::text::{date, euro, household, list};

pub(super) fn party(party: &Party) -> &str {
    match party {
        Party::Creditor(code) => code,
        Party::Private(name) => name,
    }
}

/// Hand-typed names and income sources compare without regard to case or spacing.
pub(super) fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_ignores_case_and_spacing() {
        assert_eq!(
            normalized("  Deurwaarder   De Vries "),
            "deurwaarder de vries"
        );
    }
}
