//! What changed between a proposal and now: a proposal is recomputed, not trusted, when it is
//! accepted, and any change in its claims or in the capacity refuses the acceptance.

use std::collections::BTreeMap;

use super::eligibility::{CandidateClaim, ExclusionReason, Selection};
use crate::domain::money::Money;
use crate::domain::text::{euro, without_long_numbers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    NewClaim {
        creditor: String,
        claim_key: String,
        outstanding: Money,
    },
    AmountChanged {
        creditor: String,
        claim_key: String,
        was: Money,
        now: Money,
    },
    /// No longer in the plan: settled (`reason` `None`) or now excluded.
    Left {
        creditor: String,
        claim_key: String,
        reason: Option<ExclusionReason>,
    },
    CapacityChanged {
        was: Money,
        now: Money,
    },
}

impl Change {
    /// In words, for the person and in a 409's reasons: a claim is named by its creditor's key
    /// with any run of eight or more digits as `(getal)`, since no problem repeats a BSN (a
    /// creditor may key its claims by one); the key itself stays in the structured fields.
    pub fn explanation(&self) -> String {
        let key = |claim_key: &str| without_long_numbers(claim_key);
        match self {
            Change::NewClaim {
                creditor,
                claim_key,
                outstanding,
            } => {
                format!(
                    "Er is een nieuwe vordering van {creditor} ({}) van {}.",
                    key(claim_key),
                    euro(*outstanding)
                )
            }
            Change::AmountChanged {
                creditor,
                claim_key,
                was,
                now,
            } => format!(
                "Het openstaande bedrag van vordering {} van {creditor} was {} en is nu {}.",
                key(claim_key),
                euro(*was),
                euro(*now)
            ),
            Change::Left {
                creditor,
                claim_key,
                reason: None,
            } => {
                format!(
                    "Vordering {} van {creditor} staat niet meer open.",
                    key(claim_key)
                )
            }
            Change::Left {
                creditor,
                claim_key,
                reason: Some(reason),
            } => {
                format!(
                    "Vordering {} van {creditor} kan er niet meer in: {}",
                    key(claim_key),
                    reason.explanation()
                )
            }
            Change::CapacityChanged { was, now } => format!(
                "Wat u per maand kunt aflossen was {} en is nu {}, bijvoorbeeld door een nieuw beslag, \
                 een andere regeling of een nieuwe norm voor de maand waarin de regeling nu begint.",
                euro(*was),
                euro(*now)
            ),
        }
    }
}

/// Compares the planned claims (id and what each owed) and capacity with the current selection
/// and capacity. `candidates` are all the person's claims now, to name claims that left.
pub fn changes(
    planned: &[(String, Money)],
    planned_capacity: Money,
    current: &Selection,
    current_capacity: Money,
    candidates: &[CandidateClaim],
) -> Vec<Change> {
    let planned: BTreeMap<&str, Money> = planned.iter().map(|(id, m)| (id.as_str(), *m)).collect();
    let mut found = Vec::new();
    for claim in &current.eligible {
        match planned.get(claim.claim_id.as_str()) {
            None => found.push(Change::NewClaim {
                creditor: claim.creditor.clone(),
                claim_key: claim.claim_key.clone(),
                outstanding: claim.outstanding,
            }),
            Some(was) if *was != claim.outstanding => found.push(Change::AmountChanged {
                creditor: claim.creditor.clone(),
                claim_key: claim.claim_key.clone(),
                was: *was,
                now: claim.outstanding,
            }),
            Some(_) => {}
        }
    }
    for id in planned.keys() {
        if current.eligible.iter().any(|c| c.claim_id == *id) {
            continue;
        }
        let reason = current
            .excluded
            .iter()
            .find(|e| e.claim.claim_id == *id)
            .map(|e| e.reason);
        let Some(claim) = candidates.iter().find(|c| c.claim_id == *id) else {
            continue;
        };
        found.push(Change::Left {
            creditor: claim.creditor.clone(),
            claim_key: claim.claim_key.clone(),
            reason,
        });
    }
    if planned_capacity != current_capacity {
        found.push(Change::CapacityChanged {
            was: planned_capacity,
            now: current_capacity,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::planner::{EligibleClaim, ExcludedClaim};
    use chrono::NaiveDate;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    fn candidate(id: &str, cents: i64) -> CandidateClaim {
        CandidateClaim {
            claim_id: id.into(),
            claim_key: format!("K{id}"),
            creditor: "CJIB".into(),
            outstanding: m(cents),
            due_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            disputed: false,
            in_running_arrangement: false,
        }
    }

    fn eligible(c: &CandidateClaim) -> EligibleClaim {
        EligibleClaim {
            claim_id: c.claim_id.clone(),
            claim_key: c.claim_key.clone(),
            creditor: c.creditor.clone(),
            outstanding: c.outstanding,
            due_date: c.due_date,
        }
    }

    #[test]
    fn nothing_changed_is_no_change() {
        let c = [candidate("1", 100)];
        let selection = Selection {
            eligible: vec![eligible(&c[0])],
            excluded: vec![],
        };
        assert!(changes(&[("1".into(), m(100))], m(50), &selection, m(50), &c).is_empty());
    }

    #[test]
    fn new_changed_left_and_capacity_are_all_reported() {
        let disputed = CandidateClaim {
            disputed: true,
            ..candidate("3", 300)
        };
        let candidates = [
            candidate("1", 90),
            candidate("2", 200),
            disputed.clone(),
            candidate("4", 0),
        ];
        let selection = Selection {
            eligible: vec![eligible(&candidates[0]), eligible(&candidates[1])],
            excluded: vec![ExcludedClaim {
                claim: disputed,
                reason: ExclusionReason::Disputed,
            }],
        };
        let planned = [
            ("1".into(), m(100)),
            ("3".into(), m(300)),
            ("4".into(), m(400)),
        ];
        let found = changes(&planned, m(50), &selection, m(40), &candidates);
        assert_eq!(
            found,
            [
                Change::AmountChanged {
                    creditor: "CJIB".into(),
                    claim_key: "K1".into(),
                    was: m(100),
                    now: m(90)
                },
                Change::NewClaim {
                    creditor: "CJIB".into(),
                    claim_key: "K2".into(),
                    outstanding: m(200)
                },
                Change::Left {
                    creditor: "CJIB".into(),
                    claim_key: "K3".into(),
                    reason: Some(ExclusionReason::Disputed)
                },
                Change::Left {
                    creditor: "CJIB".into(),
                    claim_key: "K4".into(),
                    reason: None
                },
                Change::CapacityChanged {
                    was: m(50),
                    now: m(40)
                },
            ]
        );
        assert!(found.iter().all(|c| c.explanation().len() > 20));
    }

    #[test]
    fn a_change_names_a_claim_keyed_by_a_bsn_without_the_number() {
        let changes = [
            Change::NewClaim {
                creditor: "CJIB".into(),
                claim_key: "DOSSIER-999990056-2".into(),
                outstanding: m(5_000),
            },
            Change::AmountChanged {
                creditor: "CJIB".into(),
                claim_key: "CJIB-999990056".into(),
                was: m(23_900),
                now: m(22_900),
            },
            Change::Left {
                creditor: "CJIB".into(),
                claim_key: "999990056".into(),
                reason: None,
            },
        ];
        let texts: Vec<String> = changes.iter().map(Change::explanation).collect();
        assert!(texts.iter().all(|t| !t.contains("999990056")), "{texts:?}");
        assert!(texts[0].contains("(DOSSIER-(getal)-2)"), "{}", texts[0]);
        assert!(
            texts[1].contains("vordering CJIB-(getal) van CJIB"),
            "{}",
            texts[1]
        );
    }
}
