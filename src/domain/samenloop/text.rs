//! Wording specific to samenloop explanations; the general Dutch wording is shared.

use super::input::Party;
use crate::domain::creditor::{self, Creditor};

pub(super) use crate::domain::text::{date, euro, household, list};

/// A party as the person knows it: a government creditor by its registered name, a private
/// party by the name given.
pub(super) fn party<'a>(party: &'a Party, creditors: &'a [Creditor]) -> &'a str {
    match party {
        Party::Creditor(code) => creditor::name_of(creditors, code),
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
