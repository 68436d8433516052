//! Short constructors for the domain's tests: dates and amounts written as in the rules.

use chrono::NaiveDate;

use super::arrangement::{Arrangement, ArrangementClaim};
use super::claims::{Claim, ImposedClaim};
use super::mandate::Mandate;
use super::money::Money;
use super::person::PersonId;
use super::planner::{EligibleClaim, Policy};
use super::schuldhulptraject::{Trajectory, TrajectoryPhase};
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

/// A running Betalingsregeling Rijk coordinated by CJIB: 250.00 on claim CJIB-1 at 100.00 a
/// month from 1 July 2026 (100, 100, 50), started 15 June.
pub fn arrangement() -> Arrangement {
    let claim = EligibleClaim {
        claim_id: "V-1".to_owned(),
        claim_key: "CJIB-1".to_owned(),
        creditor: "CJIB".to_owned(),
        outstanding: m("250.00"),
        due_date: d(2026, 1, 1),
    };
    Arrangement {
        id: "R-1".to_owned(),
        person: person("burger-1"),
        proposal_id: "P-1".to_owned(),
        coordinator: "CJIB".to_owned(),
        capacity: m("100.00"),
        instalment: m("100.00"),
        policy: Policy::default(),
        first_due: d(2026, 7, 1),
        started_on: d(2026, 6, 15),
        started_at: d(2026, 6, 15).and_hms_opt(10, 0, 0).expect("valid time"),
        ending: None,
        claims: vec![ArrangementClaim {
            claim,
            creditor_rank: None,
        }],
    }
}

/// A trajectory in `phase` running since 1 June 2026, registered by GKB for the person of
/// [`arrangement`].
pub fn trajectory(phase: TrajectoryPhase) -> Trajectory {
    let registered = d(2026, 6, 1).and_hms_opt(9, 0, 0).expect("valid time");
    Trajectory {
        id: "T-1".to_owned(),
        person: person("burger-1"),
        counsellor: "GKB".to_owned(),
        mandate_id: "M-1".to_owned(),
        mandate_valid_until: d(2027, 6, 1),
        mandate_end_told: false,
        phase,
        ruling: None,
        start: d(2026, 6, 1),
        end: None,
        registered_at: registered,
        changed_at: registered,
        ended_at: None,
        informed: Default::default(),
        version: 0,
    }
}

/// A mandate of GKB for the person "p1", given on 1 June 2026 and holding until `until`.
pub fn mandate_until(until: NaiveDate) -> Mandate {
    Mandate {
        id: "m1".into(),
        person: person("p1"),
        counsellor: "GKB".into(),
        valid_from: d(2026, 6, 1),
        valid_until: until,
        granted_at: d(2026, 6, 1).and_hms_opt(9, 0, 0).expect("valid time"),
        revoked_at: None,
        counsellor_reference: None,
    }
}
