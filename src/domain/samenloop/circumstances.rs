//! Everything that runs, or ran, on one person's income, and the evaluation of samenloop over it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::basis::{BasisSource, DeclaredSituation, Situation, choose_basis};
use super::detect::{Detection, detect};
use super::input::{ArrangementKind, CreditorClaim, Party, RunningArrangement};
use crate::domain::arrangement::Arrangement;
use crate::domain::attachment::{Attachment, DeclaredArrangement};
use crate::domain::money::Money;
use crate::domain::norm::{self, Allowances, NormInput, NormTable};

/// A person's attachments, declared arrangements and Betalingsregelingen Rijk, with what is
/// still owed on the claims of the running ones, and the situation they declared last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Circumstances {
    pub attachments: Vec<Attachment>,
    pub declared: Vec<DeclaredArrangement>,
    pub arrangements: Vec<Arrangement>,
    /// What is still owed on each claim of a running Betalingsregeling Rijk, by claim id.
    pub outstanding: HashMap<String, Money>,
    /// The household the person declared with their most recent accepted arrangement, and when.
    pub declared_situation: Option<(NormInput, NaiveDate)>,
}

/// What is deducted from the person's income each month.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deductions {
    pub attachments: Money,
    /// Running arrangements (Betalingsregelingen Rijk and declared ones), by id, with their
    /// monthly amount.
    pub arrangements: Vec<(String, Money)>,
}

impl Deductions {
    pub fn arrangements_total(&self) -> Money {
        self.arrangements.iter().map(|(_, m)| *m).sum()
    }
}

impl Circumstances {
    pub fn deductions(&self, today: NaiveDate) -> Deductions {
        Deductions {
            attachments: self
                .attachments
                .iter()
                .filter(|a| a.is_running(today))
                .map(|a| a.terms.monthly_amount)
                .sum(),
            arrangements: self
                .running_arrangements(today)
                .into_iter()
                .map(|a| (a.id, a.monthly_amount))
                .collect(),
        }
    }

    /// The arrangements that take from the income today. A Betalingsregeling Rijk with nothing
    /// left owing takes nothing, even before anyone ends it.
    pub fn running_arrangements(&self, today: NaiveDate) -> Vec<RunningArrangement> {
        let rijk = self
            .arrangements
            .iter()
            .filter(|a| a.is_running())
            .filter_map(|a| {
                let claims = a
                    .claims
                    .iter()
                    .map(|c| {
                        let outstanding = self
                            .outstanding
                            .get(&c.claim.claim_id)
                            .copied()
                            .unwrap_or(Money::ZERO);
                        let claim = CreditorClaim {
                            creditor: c.claim.creditor.clone(),
                            claim_key: c.claim.claim_key.clone(),
                        };
                        (claim, outstanding)
                    })
                    .collect();
                RunningArrangement::rijk(a.id.clone(), claims, a.instalment, a.started_on)
            });
        let declared = self
            .declared
            .iter()
            .filter(|d| d.is_running(today))
            .map(|d| RunningArrangement {
                id: d.id.clone(),
                kind: ArrangementKind::SingleParty {
                    party: Party::Private(d.party.clone()),
                },
                monthly_amount: d.monthly_amount,
                start: d.start,
                end: d.end,
            });
        rijk.chain(declared).collect()
    }

    /// The flags for `today`, with the norm computed from the declared situation when there is
    /// one, else from the attaching parties' data.
    pub fn evaluate(&self, tables: &[NormTable], today: NaiveDate) -> Detection {
        let declared = self
            .declared_situation
            .as_ref()
            .map(|(input, on)| (input, *on));
        self.evaluate_with(declared, tables, today)
    }

    /// The flags as they would be if the person declared `situation` today: what a proposal
    /// shows, without changing anything.
    pub fn evaluate_as_if(
        &self,
        situation: &NormInput,
        tables: &[NormTable],
        today: NaiveDate,
    ) -> Detection {
        self.evaluate_with(Some((situation, today)), tables, today)
    }

    fn evaluate_with(
        &self,
        declared: Option<(&NormInput, NaiveDate)>,
        tables: &[NormTable],
        today: NaiveDate,
    ) -> Detection {
        let declared_situation = declared.map(|(input, on)| DeclaredSituation {
            household: input.household,
            pension_age: Some(input.pension_age),
            net_income: input.net_income,
            declared_on: on,
        });
        let basis = choose_basis(declared_situation.as_ref(), &self.attachments, today);
        let situation = basis.and_then(|basis| {
            let input = match (&basis.source, declared) {
                (BasisSource::Declared { .. }, Some((input, _))) => NormInput {
                    peildatum: today,
                    ..input.clone()
                },
                _ => NormInput {
                    peildatum: today,
                    household: basis.household,
                    pension_age: basis.pension_age,
                    net_income: basis.net_income,
                    housing_costs: None,
                    allowances: Allowances::default(),
                },
            };
            // Without a norm table for today the norm flags are reported as not evaluated.
            let norm = norm::compute(&input, tables).ok()?.norm;
            Some(Situation { basis, norm })
        });
        detect(
            situation.as_ref(),
            &self.attachments,
            &self.running_arrangements(today),
            today,
        )
    }
}
