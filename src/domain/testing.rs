//! Short constructors for the domain's tests: dates and amounts written as in the rules.

use chrono::NaiveDate;

use super::claims::{Claim, ImposedClaim};
use super::money::Money;
use super::person::PersonId;
use super::time::Moment;

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
}

pub fn m(text: &str) -> Money {
    Money::parse(text).expect("test amount")
}

/// 15 June 2026, 10:00 UTC: the "now" of the integration tests too.
pub fn june_15() -> Moment {
    Moment::at(
        d(2026, 6, 15)
            .and_hms_opt(10, 0, 0)
            .expect("valid time")
            .and_utc(),
    )
}

/// The person of a test, by a readable pseudonym.
pub fn person(pseudonym: &str) -> PersonId {
    PersonId::from_stored(pseudonym.to_owned())
}

/// An open claim of `creditor` on `person`, imposed on 1 March 2026 and due on 1 April.
pub fn claim(id: &str, person: &PersonId, creditor: &str, key: &str, amount: &str) -> Claim {
    Claim::imposed(
        id.into(),
        creditor,
        key,
        &ImposedClaim {
            case_key: None,
            person: person.clone(),
            claim_type: format!("{}_x", creditor.to_lowercase()),
            description: "Vordering".into(),
            amount: m(amount),
            imposed_on: d(2026, 3, 1),
            due_date: d(2026, 4, 1),
        },
    )
}
