//! Tests of the beslagvrije voet. Hand arithmetic is in the comments; all figures are those of the
//! seeded table of 1 January 2026 unless a test says otherwise:
//!
//! A = 1401.50, B = 2002.13 (art. 21 Pw); D = 108% × 12 × 2294.40 = 29735.424; E = 13.730%;
//! F = 27%, G = 22%; H = 932.93; ijkpunt 23425 (een) / 31500 (meer); J = 202.52 (een) / 200.71
//! (meer); K = 7.60%; L = 9405; standaardpremie 2119; art. 23 lid 2 Pw 47.00 / 106.00;
//! maxima 2191.42 / 2526.69 / 2881.41 / 3155.31.
//! Zorg cap (lid 3): alleenstaande (ouder) 2119/12 − 47 = 129.58333…; gehuwden 2 × 2119/12 − 106
//! = 247.16666…. H − J: 730.41 (een) / 732.22 (meer).

mod input_rules;
mod properties;
mod range;
mod scenarios;
mod self_check;
mod tables;
mod terms;

use chrono::NaiveDate;

use super::*;
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::testing::{d, m};

pub(super) fn january() -> NaiveDate {
    d(2026, 1, 15)
}

/// A valid input: a monthly net income of `net`, taxable yearly income `c`.
pub(super) fn input(
    household: HouseholdType,
    children: Option<bool>,
    net: &str,
    c: Option<&str>,
) -> NormInput {
    NormInput {
        peildatum: january(),
        household,
        children,
        pension_age: false,
        net_income: m(net),
        taxable_yearly_income: c.map(m),
        housing_costs: None,
        housing_correction: false,
        partner_income: None,
    }
}

pub(super) fn single(net: &str, c: Option<&str>) -> NormInput {
    input(HouseholdType::Single, None, net, c)
}

pub(super) fn single_parent(net: &str, c: Option<&str>) -> NormInput {
    input(HouseholdType::SingleParent, Some(true), net, c)
}

pub(super) fn couple(children: bool, net: &str, c: Option<&str>) -> NormInput {
    input(HouseholdType::MarriedOrCohabiting, Some(children), net, c)
}

pub(super) fn run(input: &NormInput) -> NormResult {
    match compute(input, &seed_tables()) {
        Ok(result) => result,
        Err(e) => panic!("expected a result, got {e:?}: {:?}", e.field_issues()),
    }
}

pub(super) fn step_amount(result: &NormResult, code: &str) -> Option<Money> {
    result
        .steps
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.amount)
}

/// Every step before BESLAGVRIJE_VOET is a contribution; together they are the result.
pub(super) fn assert_steps_add_up(result: &NormResult) {
    let contributions: Money = result
        .steps
        .iter()
        .take_while(|s| s.code != step::BESLAGVRIJE_VOET)
        .map(|s| s.amount)
        .sum();
    assert_eq!(
        contributions, result.beslagvrije_voet,
        "steps: {:#?}",
        result.steps
    );
    assert_eq!(
        step_amount(result, step::BESLAGVRIJE_VOET),
        Some(result.beslagvrije_voet)
    );
    assert_eq!(
        step_amount(result, step::AFLOSCAPACITEIT),
        Some(result.afloscapaciteit)
    );
}
