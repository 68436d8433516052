//! Rules for registering an attachment (beslag) or declaring an arrangement with another party.

use chrono::NaiveDate;

use super::claims::check_key;
use super::money::Money;
use super::validation::{FieldIssue, check_not_negative, check_text};

/// What an attachment withholds, from which income, since when and for which claims.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttachmentTerms {
    /// The income attached (`inkomstenbron`), e.g. an employer or a benefit.
    pub income_source: String,
    /// Monthly net income of that source as the attaching party knows it.
    pub known_net_income: Option<Money>,
    /// Withheld per month.
    pub monthly_amount: Money,
    /// The beslagvrije voet the attaching party applies.
    pub applied_bvv: Option<Money>,
    pub start: NaiveDate,
    /// Last day on which it runs (inclusive); `None` while open-ended.
    pub end: Option<NaiveDate>,
    /// Executorial (enforceable) rather than conservatory (protective).
    pub executorial: bool,
    /// The attaching creditor's own claim keys this attachment is for; empty when it did not
    /// say, which then counts for every claim of that creditor.
    pub claim_keys: Vec<String>,
}

/// Checks the terms: amounts sensible, the end not before the start, keys well formed.
pub fn validate_terms(terms: &AttachmentTerms) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_text("inkomstenbron", &terms.income_source, 200));
    if !terms.monthly_amount.is_positive() {
        issues.push(FieldIssue::new(
            "maandbedrag",
            "niet_positief",
            "moet groter dan 0.00 zijn",
        ));
    }
    for (field, amount) in [
        ("beslagvrijeVoet", terms.applied_bvv),
        ("nettoInkomenBron", terms.known_net_income),
    ] {
        issues.extend(amount.and_then(|a| check_not_negative(field, a)));
    }
    issues.extend(check_end(terms.start, terms.end));
    for (index, key) in terms.claim_keys.iter().enumerate() {
        issues.extend(check_key(&format!("vorderingkenmerken[{index}]"), key));
    }
    issues
}

fn check_end(start: NaiveDate, end: Option<NaiveDate>) -> Option<FieldIssue> {
    end.filter(|end| *end < start).map(|_| {
        FieldIssue::new(
            "einddatum",
            "voor_start",
            "mag niet vóór de startdatum liggen",
        )
    })
}

/// Checks an arrangement the citizen has with another party (not the Rijk).
pub fn validate_declared_arrangement(
    party: &str,
    monthly_amount: Money,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_text("partij", party, 200));
    if !monthly_amount.is_positive() {
        issues.push(FieldIssue::new(
            "maandbedrag",
            "niet_positief",
            "moet groter dan 0.00 zijn",
        ));
    }
    issues.extend(check_end(start, end));
    issues
}

/// Checks the name of a private party a citizen declares.
pub fn check_party_name(field: &str, name: &str) -> Option<FieldIssue> {
    check_text(field, name, 200)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;

    fn terms() -> AttachmentTerms {
        AttachmentTerms {
            income_source: "Loon, Bakkerij De Korenschoof".into(),
            known_net_income: Some(Money::from_cents(210_000)),
            monthly_amount: Money::from_cents(35_000),
            applied_bvv: Some(Money::from_cents(133_143)),
            start: d(2026, 3, 1),
            end: None,
            executorial: true,
            claim_keys: vec!["CJIB-1".into()],
        }
    }

    #[test]
    fn sensible_terms_pass() {
        assert!(validate_terms(&terms()).is_empty());
    }

    #[test]
    fn every_bad_term_is_reported() {
        let bad = AttachmentTerms {
            income_source: " ".into(),
            known_net_income: Some(Money::from_cents(-1)),
            monthly_amount: Money::ZERO,
            applied_bvv: Some(Money::from_cents(-1)),
            end: Some(d(2026, 2, 28)),
            claim_keys: vec![String::new()],
            ..terms()
        };
        let fields: Vec<_> = validate_terms(&bad).into_iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                "inkomstenbron",
                "maandbedrag",
                "beslagvrijeVoet",
                "nettoInkomenBron",
                "einddatum",
                "vorderingkenmerken[0]"
            ]
        );
    }

    #[test]
    fn a_declared_arrangement_needs_a_party_a_positive_amount_and_a_sensible_end() {
        assert!(
            validate_declared_arrangement("Woonstad", Money::from_cents(5000), d(2026, 1, 1), None)
                .is_empty()
        );
        let issues =
            validate_declared_arrangement("", Money::ZERO, d(2026, 1, 1), Some(d(2025, 1, 1)));
        assert_eq!(issues.len(), 3);
    }
}
