//! The terms of art. 475da lid 2 Rv (as it reads since 1 January 2026), each with the step that
//! explains it:
//!
//! - alleenstaande: `(95% x A) + (((C - D) / 12) x E) + (I x (F / 12), of, als dat minder is, H-J)`
//! - alleenstaande ouder: the same with G, `+ (((C - D) / 12) x K)`
//! - gehuwden zonder kinderen: `(95% x B) + (((C - D) / 12) x E) + (I x (G / 12), of, als dat
//!   minder is, H-J)`
//! - gehuwden met een of meer kinderen: the same `+ (((C - (D + L)) / 12) x K)`
//!
//! with the cap of lid 3 on the second term. Every term is exact (no rounding); the step shows it
//! to the cent.

use rust_decimal::Decimal;

use super::engine::NormError;
use super::exact::{
    MONTHS, NINETY_FIVE_PERCENT, THRESHOLD_SHARE, TWO, add, div, monthly_share, mul, sub,
};
use super::explanation::{Step, UsedParameter, exact_euro, percent, step};
use super::input::Situation;
use super::parameters::{NormTable, Parameter, ParameterValue};
use crate::domain::money::Money;

pub(super) struct Ctx<'a> {
    pub table: &'a NormTable,
    pub situation: Situation,
}

impl<'a> Ctx<'a> {
    pub fn get(&self, parameter: Parameter) -> Option<&'a ParameterValue> {
        self.table.value(parameter)
    }

    /// The values of `parameters`, in that order, or the ones the table lacks.
    fn all<const N: usize>(
        &self,
        parameters: [Parameter; N],
    ) -> Result<[&'a ParameterValue; N], Vec<Parameter>> {
        let missing: Vec<Parameter> = parameters
            .iter()
            .copied()
            .filter(|p| self.get(*p).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let values: Vec<&'a ParameterValue> =
            parameters.iter().filter_map(|p| self.get(*p)).collect();
        values.try_into().map_err(|_| parameters.to_vec())
    }

    pub fn lid2(&self) -> String {
        format!(
            "art. 475da lid 2 onderdeel {} Rv",
            self.situation.onderdeel()
        )
    }
}

/// One term of lid 2: exact for a known C with a complete table; otherwise the range it can take.
pub(super) struct Term {
    pub code: &'static str,
    /// The lowest value (the exact value when `exact`).
    pub low: Decimal,
    /// The highest value; `None` when the term has no upper bound (it grows with C) or the bound
    /// cannot be computed.
    pub high: Option<Decimal>,
    pub exact: bool,
    pub step: Option<Step>,
    pub missing: Vec<Parameter>,
}

impl Term {
    fn exact(code: &'static str, value: Decimal, step: Step) -> Term {
        Term {
            code,
            low: value,
            high: Some(value),
            exact: true,
            step: Some(step),
            missing: Vec::new(),
        }
    }

    fn unknown(code: &'static str, high: Option<Decimal>, missing: Vec<Parameter>) -> Term {
        Term {
            code,
            low: Decimal::ZERO,
            high,
            exact: false,
            step: None,
            missing,
        }
    }
}

pub(super) fn used(values: &[&ParameterValue]) -> Vec<UsedParameter> {
    values
        .iter()
        .map(|v| UsedParameter::from_value(v))
        .collect()
}

/// 95 % × A (alleenstaande, alleenstaande ouder) or 95 % × B (gehuwden). Art. 475da lid 2 Rv
/// names the norms of art. 21 Participatiewet for everyone, also past the pension age.
pub(super) fn first_term(ctx: &Ctx) -> Result<Term, NormError> {
    let parameter = ctx.situation.norm();
    let Some(norm) = ctx.get(parameter) else {
        return Ok(Term::unknown(step::EERSTE_TERM, None, vec![parameter]));
    };
    let value = mul(NINETY_FIVE_PERCENT, norm.value)?;
    let symbol = parameter.symbol().unwrap_or("A");
    let step = Step {
        code: step::EERSTE_TERM,
        description: format!(
            "Eerste term: 95% van de bijstandsnorm ({symbol}) voor {} (artikel 21 Participatiewet, inclusief \
             vakantietoeslag): 95% × {} = {}{}.",
            ctx.situation.label_with_article(),
            exact_euro(norm.value),
            exact_euro(value),
            in_cents(value)
        ),
        legal_source: format!("{} (95% × {symbol})", ctx.lid2()),
        parameters: used(&[norm]),
        amount: Money::round(value),
    };
    Ok(Term::exact(step::EERSTE_TERM, value, step))
}

/// D of lid 2: the drempelinkomen (108 % of twelve times the January minimum wage), or C when C
/// is lower.
fn threshold(wage: &ParameterValue) -> Result<Decimal, NormError> {
    mul(mul(THRESHOLD_SHARE, MONTHS)?, wage.value)
}

/// ", op hele centen € 1.331,43" when the exact value is not whole cents.
fn in_cents(value: Decimal) -> String {
    let cents = Money::round(value);
    if cents.as_decimal() == value {
        String::new()
    } else {
        format!(", op hele centen {}", crate::domain::text::euro(cents))
    }
}

fn threshold_text(wage: &ParameterValue, full: Decimal) -> String {
    format!(
        "Het drempelinkomen is 108% × 12 × het minimumloon van januari ({}) = {}.",
        exact_euro(wage.value),
        exact_euro(full)
    )
}

/// The cap of art. 475da lid 3 Rv: the standaardpremie (twice for gehuwden: art. 2 lid 1 Wet op de
/// zorgtoeslag) per month, minus the amount of art. 23 lid 2 Participatiewet for the situation.
fn health_cap(
    ctx: &Ctx,
    premium: &ParameterValue,
    raise: &ParameterValue,
) -> Result<Decimal, NormError> {
    let premiums = if ctx.situation.is_couple() {
        mul(TWO, premium.value)?
    } else {
        premium.value
    };
    Ok(sub(div(premiums, MONTHS)?, raise.value)?.max(Decimal::ZERO))
}

fn institution_raise(situation: Situation) -> Parameter {
    if situation.is_couple() {
        Parameter::InstitutionRaiseCouple
    } else {
        Parameter::InstitutionRaiseSingle
    }
}

/// ((C − D) / 12) × E, at most the amount of lid 3.
pub(super) fn health_term(ctx: &Ctx, c: Option<Decimal>) -> Result<Term, NormError> {
    let raise = institution_raise(ctx.situation);
    let cap = match ctx.all([Parameter::StandardPremium, raise]) {
        Ok([premium, raise]) => Some(health_cap(ctx, premium, raise)?),
        Err(_) => None,
    };
    let all = [
        Parameter::MinimumWageJanuary,
        Parameter::HealthAllowanceRate,
        Parameter::StandardPremium,
        raise,
    ];
    let (c, values) = match (c, ctx.all(all)) {
        (Some(c), Ok(values)) => (c, values),
        (None, _) => return Ok(Term::unknown(step::ZORGTOESLAGTERM, cap, Vec::new())),
        (Some(_), Err(missing)) => {
            return Ok(Term::unknown(step::ZORGTOESLAGTERM, cap, missing));
        }
    };
    let [wage, rate, premium, raise_value] = values;
    let cap_value = health_cap(ctx, premium, raise_value)?;
    let full = threshold(wage)?;
    let d = full.min(c);
    let uncapped = monthly_share(sub(c, d)?, rate.value)?;
    let value = uncapped.min(cap_value).max(Decimal::ZERO);
    let premium_text = if ctx.situation.is_couple() {
        format!(
            "tweemaal de standaardpremie (gehuwden, artikel 2, eerste lid, Wet op de zorgtoeslag): 2 × {}",
            exact_euro(premium.value)
        )
    } else {
        format!("de standaardpremie {}", exact_euro(premium.value))
    };
    let cap_text = format!(
        "Ten hoogste (lid 3): {premium_text}, gedeeld door 12, min {} (artikel 23, tweede lid, \
         Participatiewet) = {}.",
        exact_euro(raise_value.value),
        exact_euro(cap_value)
    );
    let description = if c <= full {
        format!(
            "Zorgtoeslagterm: de zorgtoeslag die u door uw inkomen misloopt. {} Uw belastbaar \
             jaarinkomen C ({}) is niet hoger, dus D is gelijk aan C en deze term is € 0,00.",
            threshold_text(wage, full),
            exact_euro(c)
        )
    } else {
        let capped = if uncapped > cap_value {
            format!(
                " Dat is meer dan het maximum, dus de term is {}{}.",
                exact_euro(value),
                in_cents(value)
            )
        } else {
            format!(
                " Dat is niet meer dan het maximum, dus de term is {}{}.",
                exact_euro(value),
                in_cents(value)
            )
        };
        format!(
            "Zorgtoeslagterm: de zorgtoeslag die u door uw inkomen misloopt. {} (C − D) / 12 × E = \
             ({} − {}) / 12 × {} = {}. {cap_text}{capped}",
            threshold_text(wage, full),
            exact_euro(c),
            exact_euro(d),
            percent(rate.value),
            exact_euro(uncapped)
        )
    };
    let step = Step {
        code: step::ZORGTOESLAGTERM,
        description,
        legal_source: format!("{} ((C − D) / 12 × E) en art. 475da lid 3 Rv", ctx.lid2()),
        parameters: used(&values),
        amount: Money::round(value),
    };
    Ok(Term::exact(step::ZORGTOESLAGTERM, value, step))
}

/// I × (F / 12) for the alleenstaande, I × (G / 12) otherwise, or H − J if that is less.
///
/// Below the minimum-inkomensijkpunt I is negative; the term is then € 0: F and G are the
/// afbouwpercentages of art. 21 lid 2 Wet op de huurtoeslag, which lower the huurtoeslag only "voor
/// elk rekeninkomen boven het minimum-inkomensijkpunt", so below it no huurtoeslag is missed.
pub(super) fn rent_term(ctx: &Ctx, c: Option<Decimal>) -> Result<Term, NormError> {
    let one = ctx.situation.one_person_household();
    let (point, rate, base) = if one {
        (
            Parameter::MinimumIncomePointSingle,
            Parameter::RentPhaseOutSingle,
            Parameter::BaseRentSingle,
        )
    } else {
        (
            Parameter::MinimumIncomePointMultiple,
            Parameter::RentPhaseOutMultiple,
            Parameter::BaseRentMultiple,
        )
    };
    let cap = match ctx.all([Parameter::MaximumRent, base]) {
        Ok([rent, base]) => Some(sub(rent.value, base.value)?.max(Decimal::ZERO)),
        Err(_) => None,
    };
    let all = [point, rate, Parameter::MaximumRent, base];
    let (c, values) = match (c, ctx.all(all)) {
        (Some(c), Ok(values)) => (c, values),
        (None, _) => return Ok(Term::unknown(step::HUURTOESLAGTERM, cap, Vec::new())),
        (Some(_), Err(missing)) => return Ok(Term::unknown(step::HUURTOESLAGTERM, cap, missing)),
    };
    let [point_value, rate_value, rent, base_value] = values;
    let cap_value = sub(rent.value, base_value.value)?.max(Decimal::ZERO);
    let i = sub(c, point_value.value)?;
    let household = if one {
        "een eenpersoonshuishouden"
    } else {
        "een meerpersoonshuishouden"
    };
    let letter = if one { "F" } else { "G" };
    let (value, description) = if i <= Decimal::ZERO {
        (
            Decimal::ZERO,
            format!(
                "Huurtoeslagterm: de huurtoeslag die u door uw inkomen misloopt. Uw belastbaar jaarinkomen C \
                 ({}) is niet hoger dan het minimum-inkomensijkpunt voor {household} ({}). De huurtoeslag daalt \
                 pas boven dat ijkpunt (artikel 21, tweede lid, Wet op de huurtoeslag), dus u mist geen \
                 huurtoeslag en deze term is € 0,00.",
                exact_euro(c),
                exact_euro(point_value.value)
            ),
        )
    } else {
        let uncapped = monthly_share(i, rate_value.value)?;
        let value = uncapped.min(cap_value).max(Decimal::ZERO);
        let conclusion = if uncapped > cap_value {
            "Dat is meer, dus de term is H − J:"
        } else {
            "Dat is niet meer, dus de term is"
        };
        (
            value,
            format!(
                "Huurtoeslagterm: de huurtoeslag die u door uw inkomen misloopt. I is uw belastbaar jaarinkomen \
                 min het minimum-inkomensijkpunt voor {household}: {} − {} = {}. I × {letter} / 12 = {} × {} / 12 \
                 = {}. Ten hoogste H − J: de maximale huurgrens {} min de basishuur {} = {}. {conclusion} {}{}.",
                exact_euro(c),
                exact_euro(point_value.value),
                exact_euro(i),
                exact_euro(i),
                percent(rate_value.value),
                exact_euro(uncapped),
                exact_euro(rent.value),
                exact_euro(base_value.value),
                exact_euro(cap_value),
                exact_euro(value),
                in_cents(value)
            ),
        )
    };
    let step = Step {
        code: step::HUURTOESLAGTERM,
        description,
        legal_source: format!(
            "{} (I × ({letter} / 12), of, als dat minder is, H − J)",
            ctx.lid2()
        ),
        parameters: used(&values),
        amount: Money::round(value),
    };
    Ok(Term::exact(step::HUURTOESLAGTERM, value, step))
}

/// ((C − D) / 12) × K for the alleenstaande ouder; ((C − (D + L)) / 12) × K for gehuwden with
/// children; no term otherwise.
///
/// Below D + L the couples' term would be negative; it is then € 0: K and L come from art. 2 lid 8
/// Wet op het kindgebonden budget, which lowers the budget only "bij een gezamenlijk
/// toetsingsinkomen ... van meer dan het met L verhoogde drempelinkomen". (For the alleenstaande
/// ouder C − D is never negative: D is C when C is lower.)
pub(super) fn child_term(ctx: &Ctx, c: Option<Decimal>) -> Result<Option<Term>, NormError> {
    let couple = match ctx.situation {
        Situation::SingleParent => false,
        Situation::CoupleWithChildren => true,
        Situation::Single | Situation::CoupleWithoutChildren => return Ok(None),
    };
    // The term grows with C without bound; only the maximum of lid 1 stops it.
    let base = ctx.all([Parameter::MinimumWageJanuary, Parameter::ChildBudgetRate]);
    let raise = couple.then(|| ctx.get(Parameter::ChildBudgetCoupleRaise));
    let mut missing = base.as_ref().err().cloned().unwrap_or_default();
    if let Some(None) = raise {
        missing.push(Parameter::ChildBudgetCoupleRaise);
    }
    let (c, [wage, rate], raise) = match (c, base, raise) {
        (None, _, _) => {
            return Ok(Some(Term::unknown(
                step::KINDGEBONDEN_BUDGETTERM,
                None,
                Vec::new(),
            )));
        }
        (Some(c), Ok(values), None) => (c, values, None),
        (Some(c), Ok(values), Some(Some(raise))) => (c, values, Some(raise)),
        (Some(_), _, _) => {
            return Ok(Some(Term::unknown(
                step::KINDGEBONDEN_BUDGETTERM,
                None,
                missing,
            )));
        }
    };
    let mut values = vec![wage, rate];
    values.extend(raise);
    let full = threshold(wage)?;
    let d = full.min(c);
    let (value, description) = if couple {
        let raise = raise.map_or(Decimal::ZERO, |v| v.value);
        let limit = add(d, raise)?;
        let over = sub(c, limit)?;
        if over <= Decimal::ZERO {
            (
                Decimal::ZERO,
                format!(
                    "Kindgebonden-budgetterm: het kindgebonden budget dat u door uw inkomen misloopt. {} Voor \
                     gehuwden komt daar L bij: {} + {} = {}. Uw gezamenlijk belastbaar jaarinkomen C ({}) is \
                     niet hoger; het kindgebonden budget daalt pas daarboven (artikel 2, achtste lid, Wet op het \
                     kindgebonden budget), dus deze term is € 0,00.",
                    threshold_text(wage, full),
                    exact_euro(d),
                    exact_euro(raise),
                    exact_euro(limit),
                    exact_euro(c)
                ),
            )
        } else {
            let value = monthly_share(over, rate.value)?;
            (
                value,
                format!(
                    "Kindgebonden-budgetterm: het kindgebonden budget dat u door uw inkomen misloopt. {} \
                     (C − (D + L)) / 12 × K = ({} − ({} + {})) / 12 × {} = {}{}.",
                    threshold_text(wage, full),
                    exact_euro(c),
                    exact_euro(d),
                    exact_euro(raise),
                    percent(rate.value),
                    exact_euro(value),
                    in_cents(value)
                ),
            )
        }
    } else {
        let value = monthly_share(sub(c, d)?, rate.value)?;
        let text = if c <= full {
            format!(
                "Kindgebonden-budgetterm: het kindgebonden budget dat u door uw inkomen misloopt. {} Uw \
                 belastbaar jaarinkomen C ({}) is niet hoger, dus D is gelijk aan C en deze term is € 0,00.",
                threshold_text(wage, full),
                exact_euro(c)
            )
        } else {
            format!(
                "Kindgebonden-budgetterm: het kindgebonden budget dat u door uw inkomen misloopt. {} \
                 (C − D) / 12 × K = ({} − {}) / 12 × {} = {}{}.",
                threshold_text(wage, full),
                exact_euro(c),
                exact_euro(d),
                percent(rate.value),
                exact_euro(value),
                in_cents(value)
            )
        };
        (value, text)
    };
    let formula = if couple {
        "((C − (D + L)) / 12) × K"
    } else {
        "((C − D) / 12) × K"
    };
    let step = Step {
        code: step::KINDGEBONDEN_BUDGETTERM,
        description,
        legal_source: format!("{} ({formula})", ctx.lid2()),
        parameters: used(&values),
        amount: Money::round(value),
    };
    Ok(Some(Term::exact(
        step::KINDGEBONDEN_BUDGETTERM,
        value,
        step,
    )))
}

/// All terms of lid 2 for the situation.
pub(super) fn terms(ctx: &Ctx, c: Option<Decimal>) -> Result<Vec<Term>, NormError> {
    let mut terms = vec![first_term(ctx)?, health_term(ctx, c)?, rent_term(ctx, c)?];
    if let Some(child) = child_term(ctx, c)? {
        terms.push(child);
    }
    Ok(terms)
}
