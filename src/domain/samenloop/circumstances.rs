//! Everything that runs, or ran, on one person's income, and the evaluation of samenloop over it.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::basis::{DeclaredSituation, IncomeAndNorm, NormBasis, NormBounds, choose_basis};
use super::detect::{ComingShortfall, Detection, detect};
use super::flags::{Flag, FlagCode};
use super::input::{ArrangementKind, CreditorClaim, Party, RunningArrangement};
use crate::domain::arrangement::Arrangement;
use crate::domain::attachment::{Attachment, DeclaredArrangement};
use crate::domain::beslagvrije_voet::{self, NormInput, NormTable, field};
use crate::domain::creditor::Creditor;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;

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
    pub declared_situation: Option<DeclaredSituation>,
    /// Whether the person is in the wettelijke schuldsanering ([`Trajectory::is_schuldsanering`]):
    /// what they earn above the beslagvrije voet then goes to the boedel.
    ///
    /// [`Trajectory::is_schuldsanering`]: crate::domain::schuldhulptraject::Trajectory::is_schuldsanering
    pub schuldsanering: bool,
    /// The latest day a wettelijke schuldsanering of the person was declared, when recorded: the
    /// attachments laid by then lapsed that day ([`Attachment::lapsed_by`]) and count no more.
    pub schuldsanering_ruling: Option<NaiveDate>,
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
    /// The attachments as they stand in law: those a Wsnp ruling lapsed end the day before it.
    fn attachments_in_force(&self) -> Vec<Attachment> {
        self.attachments
            .iter()
            .map(|a| a.in_force(self.schuldsanering_ruling))
            .collect()
    }

    pub fn deductions(&self, today: NaiveDate) -> Deductions {
        Deductions {
            attachments: self
                .attachments_in_force()
                .iter()
                .filter(|a| a.is_running(today))
                .map(|a| a.terms.monthly_amount)
                .sum(),
            arrangements: self
                .running_arrangements(today)
                .into_iter()
                .filter(|a| a.deducts_on(today))
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
                RunningArrangement::rijk(
                    a.id.clone(),
                    claims,
                    a.instalment,
                    (a.started_on, a.first_due),
                    a.coordinator.clone(),
                )
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
                deducts_from: d.start,
            });
        rijk.chain(declared).collect()
    }

    /// The flags for `today`, with the norm computed from the declared situation when there is
    /// one, else from the attaching parties' data; the texts name creditors as `creditors` does.
    pub fn evaluate(
        &self,
        tables: &[NormTable],
        creditors: &[Creditor],
        today: NaiveDate,
    ) -> Detection {
        let mut detection = self.evaluate_on(tables, creditors, today);
        let undercut = |d: &Detection| {
            d.flags
                .iter()
                .any(|f| f.code() == FlagCode::SubsistenceMinimumUndercut)
        };
        if !undercut(&detection) {
            detection.coming_shortfall = self.coming_shortfall(tables, creditors, today);
        }
        detection
    }

    fn evaluate_on(
        &self,
        tables: &[NormTable],
        creditors: &[Creditor],
        day: NaiveDate,
    ) -> Detection {
        let arrangements = self.running_arrangements(day);
        self.evaluate_with(
            self.declared_situation.as_ref(),
            &arrangements,
            tables,
            creditors,
            day,
        )
    }

    /// The first later day on which a deduction known now begins to count (a Betalingsregeling
    /// Rijk from its first due date, an attachment or declared arrangement from its start) and
    /// leaves the person less than the norm, where today it does not. Its flag is raised, and
    /// its creditors told, only on that day (the daily check); the person is warned now, while
    /// it can still be prevented.
    fn coming_shortfall(
        &self,
        tables: &[NormTable],
        creditors: &[Creditor],
        today: NaiveDate,
    ) -> Option<ComingShortfall> {
        let starts: BTreeSet<NaiveDate> = self
            .arrangements
            .iter()
            .filter(|a| a.is_running())
            .map(|a| a.first_due)
            .chain(self.declared.iter().map(|d| d.start))
            .chain(self.attachments_in_force().iter().map(|a| a.terms.start))
            .filter(|day| *day > today)
            .collect();
        starts.into_iter().find_map(|day| {
            self.evaluate_on(tables, creditors, day)
                .flags
                .iter()
                .find_map(|flag| match flag {
                    Flag::SubsistenceMinimumUndercut(undercut) => Some(ComingShortfall {
                        from: day,
                        shortfall: undercut.shortfall(),
                        certainty: undercut.norm_certainty,
                    }),
                    _ => None,
                })
        })
    }

    /// The flags as they would be if the person accepted a proposal for `situation` today: the
    /// situation declared, the `proposed` arrangement running beside what runs, on its first due
    /// date (`situation.peildatum`, the day the proposal's norm and deductions are taken on).
    /// What a proposal shows; nothing changes and nobody is told.
    pub fn evaluate_as_if(
        &self,
        situation: &NormInput,
        proposed: Option<RunningArrangement>,
        tables: &[NormTable],
        creditors: &[Creditor],
        today: NaiveDate,
    ) -> Detection {
        let declared = DeclaredSituation {
            input: situation.clone(),
            declared_on: today,
        };
        let day = situation.peildatum;
        let mut arrangements = self.running_arrangements(day);
        arrangements.extend(proposed);
        Detection {
            hypothetical: true,
            ..self.evaluate_with(Some(&declared), &arrangements, tables, creditors, day)
        }
    }

    fn evaluate_with(
        &self,
        declared: Option<&DeclaredSituation>,
        arrangements: &[RunningArrangement],
        tables: &[NormTable],
        creditors: &[Creditor],
        today: NaiveDate,
    ) -> Detection {
        let attachments = self.attachments_in_force();
        let basis = choose_basis(declared, &attachments, today);
        let situation = basis.and_then(|basis| {
            // Without a norm for today (no table, or data the engine refuses) the norm flags are
            // reported as not evaluated.
            let norm = bounds(&basis, tables, today)?;
            Some(IncomeAndNorm { basis, norm })
        });
        detect(
            situation.as_ref(),
            &attachments,
            arrangements,
            creditors,
            today,
        )
    }
}

/// The lowest and highest legal norm today for what the basis knows: exact when it knows all the
/// formula needs; a range when the taxable income is missing (the engine's range) or, for a
/// couple, whether there are children (both cases computed); open above when today's half-year
/// has no table yet.
fn bounds(basis: &NormBasis, tables: &[NormTable], today: NaiveDate) -> Option<NormBounds> {
    let input = basis.input(today);
    let children_unknown =
        basis.household == HouseholdType::MarriedOrCohabiting && basis.children.is_none();
    let cases: Vec<Option<bool>> = if children_unknown {
        vec![Some(false), Some(true)]
    } else {
        vec![input.children]
    };
    let mut bounds: Option<NormBounds> = None;
    for children in cases {
        let range = beslagvrije_voet::range(
            &NormInput {
                children,
                ..input.clone()
            },
            tables,
        )
        .ok()?;
        let missing = range.missing.iter().map(|m| (*m).to_owned());
        bounds = Some(match bounds {
            None => NormBounds {
                lowest: range.lowest,
                highest: range.highest,
                missing: missing.collect(),
                without_table: range.half_year_without_table(),
            },
            Some(b) => NormBounds {
                lowest: b.lowest.min(range.lowest),
                highest: b.highest.max(range.highest),
                ..b
            },
        });
    }
    let mut bounds = bounds?;
    if children_unknown && bounds.lowest != bounds.highest {
        bounds.missing.push(field::KINDEREN.to_owned());
    }
    Some(bounds)
}
