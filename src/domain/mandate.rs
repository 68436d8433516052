//! Mandates (machtigingen): a citizen lets a debt-counsellor organisation act for them, until an
//! end date or until revoked.

use chrono::{Months, NaiveDate, NaiveDateTime};

use super::access::Action;
use super::authorization::Access;
use super::decision::{AccessRecord, Decision, Effects, Write};
use super::person::PersonId;
use super::text;
use super::time::Moment;
use super::validation::{FieldIssue, check_text};

/// The longest a mandate may run. Long enough for a debt settlement (18 months) followed by a
/// WSNP period (3 years); after that the citizen confirms again.
pub const MAX_DURATION_MONTHS: u32 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    pub id: String,
    pub person: PersonId,
    pub counsellor: String,
    pub valid_from: NaiveDate,
    /// Last day the mandate holds, inclusive.
    pub valid_until: NaiveDate,
    pub granted_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// The counsellor's own dossier reference for this citizen: how it recognises them, since
    /// the service keeps no readable BSN.
    pub counsellor_reference: Option<String>,
}

/// A counsellor's clients in the order it looks them up: by its own reference as a person reads
/// it (letters regardless of case), those without one last, then by when they were granted. The
/// same on every backend, whatever its collation or where it sorts a missing reference.
pub fn in_client_order(mandates: &mut [Mandate]) {
    mandates.sort_by_cached_key(|m| {
        (
            m.counsellor_reference.is_none(),
            m.counsellor_reference.as_deref().map(str::to_lowercase),
            m.granted_at,
            m.id.clone(),
        )
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MandateStatus {
    NotYetValid,
    Live,
    Expired,
    Revoked,
}

impl MandateStatus {
    pub fn code(self) -> &'static str {
        match self {
            MandateStatus::NotYetValid => "NOG_NIET_GELDIG",
            MandateStatus::Live => "ACTIEF",
            MandateStatus::Expired => "VERLOPEN",
            MandateStatus::Revoked => "INGETROKKEN",
        }
    }
}

impl Mandate {
    pub fn status(&self, today: NaiveDate) -> MandateStatus {
        if self.revoked_at.is_some() {
            MandateStatus::Revoked
        } else if today < self.valid_from {
            MandateStatus::NotYetValid
        } else if today > self.valid_until {
            MandateStatus::Expired
        } else {
            MandateStatus::Live
        }
    }

    pub fn is_live(&self, today: NaiveDate) -> bool {
        self.status(today) == MandateStatus::Live
    }
}

/// A citizen's grant of a mandate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub counsellor: String,
    /// Defaults to today.
    pub valid_from: Option<NaiveDate>,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MandateError {
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
    #[error(
        "U heeft deze schuldhulpverlener al gemachtigd. Trek die machtiging eerst in als u een andere periode wilt."
    )]
    AlreadyGranted,
}

/// A registered counsellor organisation, as a mandate needs to know it.
pub enum Counsellor {
    Registered,
    Unknown,
}

impl Mandate {
    /// Grants a mandate; `existing` are the person's mandates for the same organisation. One
    /// live or future mandate per organisation at a time.
    pub fn grant(
        access: &Access,
        person: &PersonId,
        id: String,
        grant: Grant,
        counsellor: Counsellor,
        existing: &[Mandate],
        now: Moment,
    ) -> Result<Decision<Mandate>, MandateError> {
        let valid_from = grant.valid_from.unwrap_or(now.today);
        let mut issues =
            validate_grant(&grant.counsellor, valid_from, grant.valid_until, now.today);
        if matches!(counsellor, Counsellor::Unknown) && issues.is_empty() {
            issues.push(FieldIssue::new(
                "schuldhulpverlener",
                "onbekend",
                "staat niet in het register van schuldhulpverleners",
            ));
        }
        if !issues.is_empty() {
            return Err(MandateError::Invalid(issues));
        }
        if existing.iter().any(|m| {
            m.counsellor == grant.counsellor && m.revoked_at.is_none() && m.valid_until >= now.today
        }) {
            return Err(MandateError::AlreadyGranted);
        }
        let mandate = Mandate {
            id,
            person: person.clone(),
            counsellor: grant.counsellor,
            valid_from,
            valid_until: grant.valid_until,
            granted_at: now.utc,
            revoked_at: None,
            counsellor_reference: None,
        };
        let record = AccessRecord::new(person, access, Action::MandateGranted, Some(&mandate.id));
        Ok(Decision {
            writes: vec![Write::Mandate(mandate.clone())],
            value: mandate,
            effects: Effects::read(record),
        })
    }

    /// Records the counsellor's own dossier reference for the citizen of this mandate.
    pub fn set_reference(
        mut self,
        access: &Access,
        reference: String,
    ) -> Result<Decision<Mandate>, Vec<FieldIssue>> {
        if let Some(issue) = check_text("dossierkenmerk", &reference, 64) {
            return Err(vec![issue]);
        }
        self.counsellor_reference = Some(reference.clone());
        let record = AccessRecord::new(&self.person, access, Action::DossierReferenceSet, None);
        Ok(Decision {
            writes: vec![Write::MandateReference {
                id: self.id.clone(),
                reference,
            }],
            value: self,
            effects: Effects::read(record),
        })
    }

    /// Revokes the mandate at once. Revoking it again changes nothing and logs nothing.
    pub fn revoke(self, access: &Access, now: Moment) -> Decision<()> {
        if self.revoked_at.is_some() {
            return Decision {
                value: (),
                writes: Vec::new(),
                effects: Effects::default(),
            };
        }
        let record =
            AccessRecord::new(&self.person, access, Action::MandateRevoked, Some(&self.id));
        Decision {
            value: (),
            writes: vec![Write::MandateRevoked {
                id: self.id,
                at: now.utc,
            }],
            effects: Effects::read(record),
        }
    }
}

/// Checks a counsellor organisation id: letters, digits, `.`, `_` or `-`, 2 to 64 long.
pub fn check_counsellor_id(field: &str, id: &str) -> Option<FieldIssue> {
    let valid = (2..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-');
    (!valid).then(|| {
        FieldIssue::new(
            field,
            "ongeldige_organisatie",
            "moet bestaan uit 2 tot 64 letters, cijfers, punten, liggende streepjes of streepjes",
        )
    })
}

/// Checks a new mandate: it starts today or later and ends on or after its start, today or
/// later, and within the maximum duration.
pub fn validate_grant(
    counsellor: &str,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    issues.extend(check_counsellor_id("schuldhulpverlener", counsellor));
    issues.extend(check_validity(valid_from, valid_until, today));
    issues
}

/// Checks a new mandate's dates: see [`validate_grant`].
pub fn check_validity(
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if valid_from < today {
        issues.push(FieldIssue::new(
            "geldigVanaf",
            "in_verleden",
            "mag niet in het verleden liggen",
        ));
    }
    if valid_until < valid_from.max(today) {
        issues.push(FieldIssue::new(
            "geldigTot",
            "voor_begin",
            format!(
                "moet op of na {} liggen (de eerste dag van de machtiging)",
                text::date(valid_from.max(today))
            ),
        ));
    }
    let limit = valid_from.checked_add_months(Months::new(MAX_DURATION_MONTHS));
    if limit.is_none_or(|limit| valid_until > limit) {
        // In years, as the form's hint says, with the last day that may be chosen.
        let years = MAX_DURATION_MONTHS / 12;
        issues.push(FieldIssue::new(
            "geldigTot",
            "te_lang",
            match limit {
                Some(limit) => format!(
                    "een machtiging geldt hoogstens {years} jaar: kies {} of eerder",
                    super::text::date(limit)
                ),
                None => format!("een machtiging geldt hoogstens {years} jaar"),
            },
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;

    #[test]
    fn clients_are_in_the_order_of_their_references_as_people_read_them_without_one_last() {
        let granted = |minute: u32| {
            NaiveDate::from_ymd_opt(2026, 6, 1)
                .unwrap()
                .and_hms_opt(10, minute, 0)
                .unwrap()
        };
        let client = |id: &str, reference: Option<&str>, minute: u32| Mandate {
            id: id.to_owned(),
            person: PersonId::from_stored(id.to_owned()),
            counsellor: "GKB".to_owned(),
            valid_from: granted(0).date(),
            valid_until: granted(0).date(),
            granted_at: granted(minute),
            revoked_at: None,
            counsellor_reference: reference.map(str::to_owned),
        };
        let mut clients = vec![
            client("a", None, 1),
            client("b", Some("de Vries"), 2),
            client("c", Some("Jansen"), 3),
            client("d", Some("Bakker"), 4),
            client("e", None, 0),
        ];
        in_client_order(&mut clients);
        let order: Vec<&str> = clients.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(order, ["d", "b", "c", "e", "a"]);
    }

    fn mandate() -> Mandate {
        Mandate {
            id: "m".into(),
            person: PersonId::from_stored("p".into()),
            counsellor: "GKB-AMSTERDAM".into(),
            valid_from: d(2026, 1, 1),
            valid_until: d(2026, 6, 30),
            granted_at: d(2026, 1, 1).and_hms_opt(9, 0, 0).unwrap(),
            revoked_at: None,
            counsellor_reference: None,
        }
    }

    #[test]
    fn a_mandate_is_live_from_its_first_to_its_last_day_inclusive() {
        let m = mandate();
        assert_eq!(m.status(d(2025, 12, 31)), MandateStatus::NotYetValid);
        assert!(m.is_live(d(2026, 1, 1)));
        assert!(m.is_live(d(2026, 6, 30)));
        assert_eq!(m.status(d(2026, 7, 1)), MandateStatus::Expired);
    }

    #[test]
    fn a_revoked_mandate_is_never_live() {
        let m = Mandate {
            revoked_at: Some(d(2026, 2, 1).and_hms_opt(0, 0, 0).unwrap()),
            ..mandate()
        };
        assert_eq!(m.status(d(2026, 3, 1)), MandateStatus::Revoked);
    }

    #[test]
    fn grants_are_checked_for_organisation_dates_and_duration() {
        let today = d(2026, 3, 1);
        assert!(validate_grant("GKB-AMSTERDAM", today, d(2027, 3, 1), today).is_empty());
        let issues = validate_grant("x", d(2026, 2, 1), d(2026, 1, 1), today);
        let codes: Vec<_> = issues.iter().map(|i| i.code).collect();
        assert_eq!(
            codes,
            ["ongeldige_organisatie", "in_verleden", "voor_begin"]
        );
        let too_long = validate_grant("GKB", today, d(2031, 3, 2), today);
        assert_eq!(too_long[0].code, "te_lang");
        assert_eq!(
            too_long[0].reason,
            "een machtiging geldt hoogstens 5 jaar: kies 1 maart 2031 of eerder",
            "in years, as the form's hint says"
        );
        assert!(validate_grant("GKB", today, d(2031, 3, 1), today).is_empty());
    }
}
