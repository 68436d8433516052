//! Which claims can join a Betalingsregeling Rijk, and why the others cannot.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::creditor::Creditor;
use crate::domain::money::Money;
use crate::domain::text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateClaim {
    pub claim_id: String,
    pub claim_key: String,
    pub creditor: String,
    pub outstanding: Money,
    pub due_date: NaiveDate,
    pub disputed: bool,
    pub in_running_arrangement: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibleClaim {
    pub claim_id: String,
    pub claim_key: String,
    pub creditor: String,
    pub outstanding: Money,
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExclusionReason {
    CreditorNotParticipating,
    CreditorParticipatesFrom(NaiveDate),
    Disputed,
    InRunningArrangement,
}

impl ExclusionReason {
    pub fn code(self) -> &'static str {
        match self {
            ExclusionReason::CreditorNotParticipating => "SCHULDEISER_NEEMT_NIET_DEEL",
            ExclusionReason::CreditorParticipatesFrom(_) => "SCHULDEISER_NEEMT_LATER_DEEL",
            ExclusionReason::Disputed => "BETWIST",
            ExclusionReason::InRunningArrangement => "AL_IN_REGELING",
        }
    }

    /// Why the claim is left out, and what to do about it.
    pub fn explanation(self) -> String {
        match self.advice() {
            Some(advice) => format!("{} {advice}", self.fact()),
            None => self.fact(),
        }
    }

    /// In the wettelijke schuldsanering: no arrangement of one's own with the creditor, nor a
    /// new proposal after a ruling on the dispute, for the claims of before the ruling are paid
    /// only through the bewindvoerder (art. 299 lid 2 Fw).
    pub fn explanation_in_schuldsanering(self) -> String {
        match self {
            ExclusionReason::InRunningArrangement => self.fact(),
            _ => format!(
                "{} In de wettelijke schuldsanering worden schulden van vóór de uitspraak alleen \
                 via de bewindvoerder betaald (art. 299 Faillissementswet): maak hierover geen \
                 eigen afspraak met de schuldeiser.",
                self.fact()
            ),
        }
    }

    fn fact(self) -> String {
        match self {
            ExclusionReason::CreditorNotParticipating => {
                "Deze schuldeiser doet niet mee aan de Betalingsregeling Rijk.".to_owned()
            }
            ExclusionReason::CreditorParticipatesFrom(date) => format!(
                "Deze schuldeiser doet pas vanaf {} mee aan de Betalingsregeling Rijk.",
                text::date(date)
            ),
            ExclusionReason::Disputed => "Over deze vordering loopt bezwaar of beroep. Zolang dat \
                 loopt, hoort zij niet in een betalingsregeling."
                .to_owned(),
            ExclusionReason::InRunningArrangement => {
                "Deze vordering valt al onder een lopende betalingsregeling.".to_owned()
            }
        }
    }

    fn advice(self) -> Option<&'static str> {
        match self {
            ExclusionReason::CreditorNotParticipating => Some(
                "Maak met deze schuldeiser een eigen afspraak; uw schuldhulpverlener kan daarbij \
                 helpen.",
            ),
            ExclusionReason::CreditorParticipatesFrom(_) => {
                Some("Tot dan maakt u met deze schuldeiser een eigen afspraak.")
            }
            ExclusionReason::Disputed => {
                Some("Na de uitspraak kan een nieuw voorstel worden gemaakt.")
            }
            ExclusionReason::InRunningArrangement => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludedClaim {
    pub claim: CandidateClaim,
    pub reason: ExclusionReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    pub eligible: Vec<EligibleClaim>,
    pub excluded: Vec<ExcludedClaim>,
}

/// Each creditor's `betalingsregelingRijkVanaf`, by code: what [`select`] takes part by.
pub fn participation<'a>(
    creditors: impl IntoIterator<Item = &'a Creditor>,
) -> BTreeMap<String, Option<NaiveDate>> {
    creditors
        .into_iter()
        .map(|c| (c.code.clone(), c.brr_from))
        .collect()
}

/// Splits a person's claims into those that can join and those that cannot. Claims with nothing
/// outstanding (paid, remitted or withdrawn) are not debts and are left out silently.
/// `participation` maps creditor codes to their `betalingsregelingRijkVanaf`.
pub fn select(
    candidates: &[CandidateClaim],
    participation: &BTreeMap<String, Option<NaiveDate>>,
    peildatum: NaiveDate,
) -> Selection {
    let mut selection = Selection::default();
    let mut ordered: Vec<&CandidateClaim> = candidates
        .iter()
        .filter(|c| c.outstanding.is_positive())
        .collect();
    ordered.sort_by(|a, b| {
        (&a.creditor, a.due_date, &a.claim_id).cmp(&(&b.creditor, b.due_date, &b.claim_id))
    });
    for claim in ordered {
        let reason = if claim.in_running_arrangement {
            Some(ExclusionReason::InRunningArrangement)
        } else if claim.disputed {
            Some(ExclusionReason::Disputed)
        } else {
            match participation.get(&claim.creditor).copied().flatten() {
                None => Some(ExclusionReason::CreditorNotParticipating),
                Some(from) if from > peildatum => {
                    Some(ExclusionReason::CreditorParticipatesFrom(from))
                }
                Some(_) => None,
            }
        };
        match reason {
            Some(reason) => selection.excluded.push(ExcludedClaim {
                claim: claim.clone(),
                reason,
            }),
            None => selection.eligible.push(EligibleClaim {
                claim_id: claim.claim_id.clone(),
                claim_key: claim.claim_key.clone(),
                creditor: claim.creditor.clone(),
                outstanding: claim.outstanding,
                due_date: claim.due_date,
            }),
        }
    }
    selection
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;

    fn claim(id: &str, creditor: &str, cents: i64) -> CandidateClaim {
        CandidateClaim {
            claim_id: id.into(),
            claim_key: format!("K-{id}"),
            creditor: creditor.into(),
            outstanding: Money::from_cents(cents),
            due_date: d(2026, 1, 1),
            disputed: false,
            in_running_arrangement: false,
        }
    }

    #[test]
    fn each_claim_is_either_eligible_or_excluded_with_its_reason() {
        let participation = BTreeMap::from([
            ("CJIB".to_owned(), Some(d(2022, 11, 1))),
            ("UWV".to_owned(), Some(d(2024, 7, 1))),
            ("BELASTINGDIENST".to_owned(), None),
        ]);
        let candidates = vec![
            claim("1", "CJIB", 10_000),
            CandidateClaim {
                disputed: true,
                ..claim("2", "CJIB", 5_000)
            },
            CandidateClaim {
                in_running_arrangement: true,
                ..claim("3", "CJIB", 5_000)
            },
            claim("4", "BELASTINGDIENST", 70_000),
            claim("5", "UWV", 20_000),
            claim("6", "ONBEKEND", 1_000),
            claim("7", "CJIB", 0),
        ];
        let selection = select(&candidates, &participation, d(2024, 6, 30));
        let eligible: Vec<_> = selection
            .eligible
            .iter()
            .map(|c| c.claim_id.as_str())
            .collect();
        assert_eq!(eligible, ["1"]);
        let excluded: Vec<_> = selection
            .excluded
            .iter()
            .map(|e| (e.claim.claim_id.as_str(), e.reason))
            .collect();
        assert_eq!(
            excluded,
            [
                ("4", ExclusionReason::CreditorNotParticipating),
                ("2", ExclusionReason::Disputed),
                ("3", ExclusionReason::InRunningArrangement),
                ("6", ExclusionReason::CreditorNotParticipating),
                (
                    "5",
                    ExclusionReason::CreditorParticipatesFrom(d(2024, 7, 1))
                ),
            ]
        );
        let later = select(&candidates, &participation, d(2024, 7, 1));
        assert_eq!(
            later.eligible.len(),
            2,
            "UWV takes part from 1 July 2024 on"
        );
    }

    #[test]
    fn every_reason_has_a_code_and_an_explanation() {
        for reason in [
            ExclusionReason::CreditorNotParticipating,
            ExclusionReason::CreditorParticipatesFrom(d(2027, 1, 1)),
            ExclusionReason::Disputed,
            ExclusionReason::InRunningArrangement,
        ] {
            assert!(!reason.code().is_empty());
            assert!(reason.explanation().len() > 20);
        }
    }
}
