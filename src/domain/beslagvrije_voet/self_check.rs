//! The self-check of art. 475da lid 8 Rv: "De bedragen, genoemd in het eerste lid, zijn gelijk aan
//! de beslagvrije voet die bij de desbetreffende leefsituatie hoort, indien de uitkomst van
//! (I x (F / 12)) respectievelijk (I x (G / 12)) gelijk is aan het bedrag, genoemd in artikel 13,
//! eerste lid, onderdeel a, van de Wet op de huurtoeslag."
//!
//! So each published maximum of lid 1 must come out of the formula of lid 2 itself, at the income
//! C where I × F / 12 (alleenstaande) or I × G / 12 (the others) equals H:
//! C = minimum-inkomensijkpunt + 12 × H / F (or G). Computed exactly and rounded once to the cent,
//! it must give the published maximum. If it does not, one of the table's figures is wrong.

use rust_decimal::Decimal;

use super::input::Situation;
use super::parameters::{NormTable, Parameter};
use super::terms::{Ctx, terms};
use crate::domain::money::Money;

/// The outcome of the check for one situation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheck {
    pub situation: Situation,
    pub maximum: Parameter,
    /// The maximum the table holds (from art. 475da lid 1 Rv).
    pub published: Option<Money>,
    /// The income C at which the huurtoeslag term reaches H.
    pub income: Option<Decimal>,
    /// The formula of lid 2 at that income, rounded once; `None` when the table lacks a figure.
    pub computed: Option<Money>,
}

impl SelfCheck {
    pub fn passes(&self) -> bool {
        self.published.is_some() && self.published == self.computed
    }
}

/// Runs the check for the four situations of lid 1.
pub fn lid8_self_check(table: &NormTable) -> Vec<SelfCheck> {
    Situation::ALL
        .into_iter()
        .map(|situation| {
            let income = reference_income(table, situation);
            let computed = income.and_then(|c| formula_at(table, situation, c));
            SelfCheck {
                situation,
                maximum: situation.maximum(),
                published: table
                    .value(situation.maximum())
                    .map(|v| Money::round(v.value)),
                income,
                computed,
            }
        })
        .collect()
}

/// C = minimum-inkomensijkpunt + 12 × H × 100 / (F or G).
fn reference_income(table: &NormTable, situation: Situation) -> Option<Decimal> {
    let (point, rate) = if situation.one_person_household() {
        (
            Parameter::MinimumIncomePointSingle,
            Parameter::RentPhaseOutSingle,
        )
    } else {
        (
            Parameter::MinimumIncomePointMultiple,
            Parameter::RentPhaseOutMultiple,
        )
    };
    let point = table.value(point)?.value;
    let rate = table.value(rate)?.value;
    let rent = table.value(Parameter::MaximumRent)?.value;
    if rate <= Decimal::ZERO {
        return None;
    }
    let yearly = rent.checked_mul(Decimal::from(1200))?.checked_div(rate)?;
    point.checked_add(yearly)
}

/// The sum of the terms of lid 2 at income `c`, without the maximum of lid 1, rounded once.
fn formula_at(table: &NormTable, situation: Situation, c: Decimal) -> Option<Money> {
    let ctx = Ctx { table, situation };
    let terms = terms(&ctx, Some(c)).ok()?;
    if !terms.iter().all(|t| t.exact) {
        return None;
    }
    let sum = terms
        .iter()
        .try_fold(Decimal::ZERO, |acc, t| acc.checked_add(t.low))?;
    Some(Money::round(sum))
}
