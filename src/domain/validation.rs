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
    } else {
        None
    }
}
