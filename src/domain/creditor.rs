//! The creditor registry: who collects, whether they take part in the Betalingsregeling Rijk, and
//! whether their claims reach this service.

use chrono::NaiveDate;

use super::audit::{AuditEntry, Audited, Register};
use super::authorization::Access;
use super::decision::{Decision, Effects, Write};
use super::validation::{FieldIssue, check_text};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creditor {
    pub code: String,
    pub name: String,
    /// The `<org>` part of the creditor's claim types, e.g. `cjib` in `cjib_wahv_boete`.
    pub claim_type_prefix: String,
    /// Since when the creditor takes part in the Betalingsregeling Rijk; `None`: it does not.
    pub brr_from: Option<NaiveDate>,
    /// Since when all the creditor's claims are delivered to this service; `None`: not (yet).
    pub connected_from: Option<NaiveDate>,
    pub contact: Contact,
    /// Rank for the preferential split of a Betalingsregeling Rijk (lower first); `None`: none.
    pub preference_rank: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub website: Option<String>,
    pub phone: Option<String>,
}

/// The name a person knows a creditor by, from the registry; the code when it is not (or no
/// longer) registered.
pub fn name_of<'a>(creditors: &'a [Creditor], code: &'a str) -> &'a str {
    creditors
        .iter()
        .find(|c| c.code == code)
        .map_or(code, |c| c.name.as_str())
}

impl Creditor {
    /// Whether the overview may rely on this creditor's claims being complete on `date`.
    pub fn is_connected(&self, date: NaiveDate) -> bool {
        self.connected_from.is_some_and(|from| from <= date)
    }
}

/// Checks a creditor code: upper-case letters, digits and underscores, 2 to 32 long.
pub fn check_code(field: &str, code: &str) -> Option<FieldIssue> {
    let valid = (2..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    (!valid).then(|| {
        FieldIssue::new(
            field,
            "ongeldige_code",
            "moet bestaan uit 2 tot 32 hoofdletters, cijfers of liggende streepjes",
        )
    })
}

/// Checks a claim-type prefix: lower-case letters and digits, 2 to 16 long.
pub fn check_claim_type_prefix(field: &str, prefix: &str) -> Option<FieldIssue> {
    let valid = (2..=16).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (!valid).then(|| {
        FieldIssue::new(
            field,
            "ongeldig_voorvoegsel",
            "moet bestaan uit 2 tot 16 kleine letters of cijfers",
        )
    })
}

/// Checks contact details: an https website, a telephone number of digits and separators.
pub fn check_contact(contact: &Contact) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(website) = &contact.website {
        let ok = website.starts_with("https://") && check_text("", website, 300).is_none();
        if !ok {
            issues.push(FieldIssue::new(
                "contact.website",
                "ongeldige_url",
                "moet een https-adres zijn van hoogstens 300 tekens",
            ));
        }
    }
    if let Some(phone) = &contact.phone {
        let ok = (3..=30).contains(&phone.len())
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !ok {
            issues.push(FieldIssue::new(
                "contact.telefoon",
                "ongeldig_telefoonnummer",
                "moet een telefoonnummer zijn van cijfers, spaties, +, -, ( en )",
            ));
        }
    }
    issues
}

/// Checks the fields of a registry entry an administrator adds or changes.
pub fn validate(creditor: &Creditor) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_code("code", &creditor.code));
    issues.extend(check_text("naam", &creditor.name, 200));
    issues.extend(check_claim_type_prefix(
        "vorderingtypeVoorvoegsel",
        &creditor.claim_type_prefix,
    ));
    issues.extend(check_contact(&creditor.contact));
    issues.extend(
        creditor
            .preference_rank
            .filter(|rank| *rank > MAX_PREFERENCE_RANK)
            .map(|_| {
                FieldIssue::new(
                    "voorkeursrang",
                    "te_groot",
                    format!("mag hoogstens {MAX_PREFERENCE_RANK} zijn"),
                )
            }),
    );
    issues
}

/// The highest preference rank: far more ranks than there are creditors, and what the register
/// keeps (a 32-bit signed number).
const MAX_PREFERENCE_RANK: u32 = 1_000_000;

/// Whether a registry entry was added or replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created,
    Updated,
}

/// Adds a creditor or replaces its registry entry in full. `prefix_taken` says whether another
/// creditor already uses its claim-type prefix, `has_claims` whether this one has claims.
pub fn put(
    access: &Access,
    creditor: Creditor,
    existing: Option<&Creditor>,
    prefix_taken: bool,
    has_claims: bool,
) -> Result<Decision<Saved>, Vec<FieldIssue>> {
    let mut issues = validate(&creditor);
    if prefix_taken {
        issues.push(FieldIssue::new(
            "vorderingtypeVoorvoegsel",
            "al_in_gebruik",
            "is al in gebruik bij een andere schuldeiser",
        ));
    }
    // A creditor sends a batch again, unchanged, when it does not know whether it arrived; its
    // claims' types carry the prefix they were posted with, so the prefix stays theirs.
    if has_claims && existing.is_some_and(|old| old.claim_type_prefix != creditor.claim_type_prefix)
    {
        issues.push(FieldIssue::new(
            "vorderingtypeVoorvoegsel",
            "vast",
            "kan niet meer veranderen: deze schuldeiser heeft al vorderingen met het huidige \
             voorvoegsel, en moet die ongewijzigd opnieuw kunnen sturen",
        ));
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let saved = if existing.is_some() {
        Saved::Updated
    } else {
        Saved::Created
    };
    let audit = AuditEntry::of(
        &access.actor,
        Register::Creditors,
        &creditor.code,
        existing,
        &creditor,
    );
    Ok(Decision {
        value: saved,
        writes: vec![Write::Creditor {
            creditor,
            new: saved == Saved::Created,
        }],
        effects: Effects::audited(audit),
    })
}

fn text(value: impl ToString) -> Option<String> {
    Some(value.to_string())
}

impl Contact {
    pub(super) fn audited_fields(&self) -> [(String, Option<String>); 2] {
        [
            ("contact.website".into(), self.website.clone()),
            ("contact.telefoon".into(), self.phone.clone()),
        ]
    }
}

impl Audited for Creditor {
    fn audited_fields(&self) -> Vec<(String, Option<String>)> {
        let mut fields = vec![
            ("naam".into(), text(&self.name)),
            (
                "vorderingtypeVoorvoegsel".into(),
                text(&self.claim_type_prefix),
            ),
            (
                "betalingsregelingRijkVanaf".into(),
                self.brr_from.and_then(text),
            ),
            (
                "overzichtAangeslotenVanaf".into(),
                self.connected_from.and_then(text),
            ),
            ("voorkeursrang".into(), self.preference_rank.and_then(text)),
        ];
        fields.extend(self.contact.audited_fields());
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creditor() -> Creditor {
        Creditor {
            code: "CJIB".into(),
            name: "Centraal Justitieel Incassobureau".into(),
            claim_type_prefix: "cjib".into(),
            brr_from: None,
            connected_from: NaiveDate::from_ymd_opt(2026, 1, 1),
            contact: Contact {
                website: Some("https://www.cjib.nl".into()),
                phone: Some("+31 58 123 45 67".into()),
            },
            preference_rank: None,
        }
    }

    #[test]
    fn a_creditor_is_connected_from_its_connection_date_on() {
        let c = creditor();
        assert!(!c.is_connected(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
        assert!(c.is_connected(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()));
        let never = Creditor {
            connected_from: None,
            ..c
        };
        assert!(!never.is_connected(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()));
    }

    #[test]
    fn validation_reports_every_bad_field() {
        let bad = Creditor {
            code: "cjib".into(),
            name: " ".into(),
            claim_type_prefix: "CJ".into(),
            contact: Contact {
                website: Some("http://x".into()),
                phone: Some("bel ons".into()),
            },
            ..creditor()
        };
        let fields: Vec<_> = validate(&bad).into_iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                "code",
                "naam",
                "vorderingtypeVoorvoegsel",
                "contact.website",
                "contact.telefoon"
            ]
        );
        assert!(validate(&creditor()).is_empty());
    }
}
