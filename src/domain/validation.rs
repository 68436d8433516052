//! Problems with input, named by the field they concern, so every problem can be reported at once.

use super::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field's name on the API, relative to the object it belongs to.
    pub field: String,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Explanation in Dutch; never repeats the submitted value.
    pub reason: String,
}

impl FieldIssue {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        reason: impl Into<String>,
    ) -> FieldIssue {
        FieldIssue {
            field: field.into(),
            code,
            reason: reason.into(),
        }
    }

    /// The same problem named from the object that holds the one it was found in, at `prefix`.
    pub fn within(self, prefix: &str) -> FieldIssue {
        let field = if self.field.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.field)
        };
        FieldIssue { field, ..self }
    }
}

/// Amounts that describe someone's situation (income, costs, allowances) can be zero, never
/// negative.
pub fn check_not_negative(field: &str, amount: Money) -> Option<FieldIssue> {
    amount
        .is_negative()
        .then(|| FieldIssue::new(field, "negatief", "mag niet negatief zijn"))
}

/// Checks a free-text key or description: not blank, at most `max` characters, no control
/// characters. Returns the issue, if any.
pub fn check_text(field: &str, value: &str, max: usize) -> Option<FieldIssue> {
    if value.trim().is_empty() {
        Some(FieldIssue::new(field, "leeg", "mag niet leeg zijn"))
    } else if value.chars().count() > max {
        Some(FieldIssue::new(
            field,
            "te_lang",
            format!("mag hoogstens {max} tekens lang zijn"),
        ))
    } else if value.chars().any(char::is_control) {
        Some(FieldIssue::new(
            field,
            "ongeldige_tekens",
            "mag geen stuurtekens (zoals regeleinden) bevatten",
        ))
    } else if value.chars().any(is_invisible_format) {
        Some(FieldIssue::new(
            field,
            "onzichtbare_tekens",
            "mag geen onzichtbare tekens bevatten die de leesrichting of de tekst verbergen of omdraaien",
        ))
    } else {
        None
    }
}

/// Characters that show nothing yet change how a text reads: the direction overrides and
/// isolates (a party named so that it reads as another on every page), and zero-width spaces
/// and joiners (two names that look the same but are not).
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_that_reads_otherwise_than_it_is_is_refused() {
        for sneaky in [
            "\u{202E}XYZ",
            "Woon\u{200B}stad",
            "CJIB\u{2066}",
            "\u{FEFF}Eneco",
        ] {
            let issue = check_text("partij", sneaky, 100).expect(sneaky);
            assert_eq!(issue.code, "onzichtbare_tekens", "{sneaky:?}");
        }
        assert!(check_text("partij", "Gerechtsdeurwaarder Één & Zonen", 100).is_none());
        assert_eq!(
            check_text("partij", "a\nb", 100).map(|i| i.code),
            Some("ongeldige_tekens")
        );
    }
}
