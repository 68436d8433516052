//! Computing the beslagvrije voet of art. 475da–475dc Rv (as they read since 1 January 2026).
//!
//! Order, as the law prescribes it:
//! 1. art. 475da lid 2: the formula for the situation, term by term, exactly (no rounding);
//! 2. art. 475da lid 1: at most the maximum for the situation ("met inachtneming van het eerste
//!    lid");
//! 3. art. 475da lid 5: on request, plus the housing costs above 110 % of H;
//! 4. art. 475db lid 1 onderdeel a: minus the spouse's income not under attachment, at most half
//!    of the beslagvrije voet of art. 475da;
//! 5. art. 475dc lid 1: never more than 95 % of the monthly income incl. holiday allowance;
//! 6. rounded once, to the cent, half away from zero (the law prescribes no rounding; this
//!    reproduces the published maxima of lid 1, see [`super::self_check`]).
//!
//! All arithmetic is checked: no input, however large, makes it panic.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::exact::{HOUSING_MARGIN, NINETY_FIVE_PERCENT, TWO, add, div, money_sum, mul, sub};
use super::explanation::{NotComputed, Step, UsedParameter, Warning, exact_euro, step};
use super::input::{self, NormInput, Situation, field};
use super::parameters::{NormTable, Parameter, ParameterValue};
use super::terms::{Ctx, Term, terms, used};
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::text::{date, euro};
use crate::domain::validation::FieldIssue;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormError {
    /// Every problem with the input, at once.
    #[error("de invoer voor de beslagvrije voet bevat {} fout(en)", .0.len())]
    Invalid(Vec<FieldIssue>),
    #[error("er zijn geen normtabellen voor de beslagvrije voet")]
    NoTables,
    #[error(
        "de eerste normtabel geldt vanaf {first}; voor een eerdere peildatum kan niet worden gerekend"
    )]
    BeforeFirstTable { first: NaiveDate },
    /// The table lacks a figure without which not even a bound can be given (the maximum of lid 1).
    #[error("de normtabel van {valid_from} bevat geen {}", .parameter.code())]
    MissingParameter {
        valid_from: NaiveDate,
        parameter: Parameter,
    },
    /// Only with absurd table values: the amounts do not fit the decimal type.
    #[error("de bedragen zijn te groot om mee te rekenen")]
    Overflow,
}

impl NormError {
    /// The problems to show per field (for a 400): also for a peildatum before the first table.
    pub fn field_issues(&self) -> Vec<FieldIssue> {
        match self {
            NormError::Invalid(issues) => issues.clone(),
            NormError::BeforeFirstTable { first } => vec![before_first_table(*first)],
            _ => Vec::new(),
        }
    }
}

fn before_first_table(first: NaiveDate) -> FieldIssue {
    FieldIssue::new(
        field::PEILDATUM,
        "voor_eerste_tabel",
        format!(
            "ligt vóór de eerste normtabel ({}); voor die datum kan de beslagvrije voet hier niet worden berekend",
            date(first)
        ),
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormResult {
    /// The beslagvrije voet per month.
    pub beslagvrije_voet: Money,
    /// Net income minus the beslagvrije voet, never below zero.
    pub afloscapaciteit: Money,
    pub net_income: Money,
    pub peildatum: NaiveDate,
    /// The table used.
    pub table_valid_from: NaiveDate,
    pub situation: Situation,
    pub steps: Vec<Step>,
    pub warnings: Vec<Warning>,
    pub assumptions: Vec<String>,
    /// Steps the table lacked figures for; when not empty, the beslagvrije voet is the highest the
    /// law allows for what is known (an upper bound).
    pub not_computed: Vec<NotComputed>,
}

impl NormResult {
    /// The first day of the half-year `peildatum` falls in when the service has no table for it
    /// yet, so the result used an earlier half-year's amounts (they change on 1 January and 1 July,
    /// art. 475da lid 8 Rv).
    pub fn half_year_without_table(&self) -> Option<NaiveDate> {
        half_year_without_table(self.peildatum, self.table_valid_from)
    }
}

impl NormRange {
    /// As [`NormResult::half_year_without_table`].
    pub fn half_year_without_table(&self) -> Option<NaiveDate> {
        half_year_without_table(self.peildatum, self.table_valid_from)
    }
}

/// The lowest and highest beslagvrije voet the law allows for the input, for when data is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormRange {
    pub peildatum: NaiveDate,
    pub table_valid_from: NaiveDate,
    pub situation: Situation,
    pub lowest: Money,
    pub highest: Money,
    /// The API fields whose absence makes the range (e.g. `belastbaarJaarinkomen`).
    pub missing: Vec<&'static str>,
    pub warnings: Vec<Warning>,
    pub not_computed: Vec<NotComputed>,
}

// ---------------------------------------------------------------------------------------------
// After lid 2: lid 1, lid 5, art. 475db and art. 475dc.

/// The raise of art. 475da lid 5 Rv, as a range when H is missing.
struct Housing {
    low: Decimal,
    high: Decimal,
    step: Option<Step>,
    missing: Vec<Parameter>,
}

fn housing(ctx: &Ctx, input: &NormInput) -> Result<Housing, NormError> {
    if !input.housing_correction {
        return Ok(Housing {
            low: Decimal::ZERO,
            high: Decimal::ZERO,
            step: None,
            missing: Vec::new(),
        });
    }
    let costs = input.housing_costs.unwrap_or(Money::ZERO).as_decimal();
    let Some(rent) = ctx.get(Parameter::MaximumRent) else {
        // The raise is woonkosten − 110 % × H, so never more than the costs themselves.
        return Ok(Housing {
            low: Decimal::ZERO,
            high: costs,
            step: None,
            missing: vec![Parameter::MaximumRent],
        });
    };
    let limit = mul(HOUSING_MARGIN, rent.value)?;
    let raise = if costs >= limit {
        sub(costs, limit)?
    } else {
        Decimal::ZERO
    };
    let description = if costs >= limit {
        format!(
            "Woonkostencorrectie (op uw verzoek): uw woonkosten ({}) zijn minstens 10% hoger dan de maximale \
             huurgrens H ({}). De beslagvrije voet gaat omhoog met wat uw woonkosten boven 110% van H ({}) \
             uitkomen: {} − {} = {}. Deze verhoging geldt zolang u deze woonkosten heeft, en ten hoogste voor \
             de termijn die de minister bij regeling bepaalt.",
            exact_euro(costs),
            exact_euro(rent.value),
            exact_euro(limit),
            exact_euro(costs),
            exact_euro(limit),
            exact_euro(raise)
        )
    } else {
        format!(
            "Woonkostencorrectie (op uw verzoek): uw woonkosten ({}) zijn niet minstens 10% hoger dan de \
             maximale huurgrens H ({}; 110% daarvan is {}). Er komt daarom niets bij.",
            exact_euro(costs),
            exact_euro(rent.value),
            exact_euro(limit)
        )
    };
    Ok(Housing {
        low: raise,
        high: raise,
        step: Some(Step {
            code: step::WOONKOSTENCORRECTIE,
            description,
            legal_source: "art. 475da lid 5 Rv (woonkosten: art. 475ab lid 1 Rv)".to_owned(),
            parameters: used(&[rent]),
            amount: Money::round(raise),
        }),
        missing: Vec::new(),
    })
}

/// The beslagvrije voet after lid 1 (`x`), lid 5 (`housing`), art. 475db and art. 475dc.
struct Chain {
    /// After lid 1 and lid 5: the beslagvrije voet of art. 475da.
    total: Decimal,
    partner: Decimal,
    before_cap: Decimal,
    cap: Decimal,
    result: Decimal,
}

fn chain(input: &NormInput, x: Decimal, housing: Decimal) -> Result<Chain, NormError> {
    let total = add(x, housing)?;
    // Art. 475db lid 1 onderdeel a: the spouse's income not under attachment, at most half the
    // beslagvrije voet of art. 475da. Only a married debtor has a spouse (input validation).
    let partner = match (input.household, input.partner_income) {
        (HouseholdType::MarriedOrCohabiting, Some(p)) => p.as_decimal().min(div(total, TWO)?),
        _ => Decimal::ZERO,
    }
    .max(Decimal::ZERO);
    let before_cap = sub(total, partner)?;
    // Art. 475dc lid 1: never more than 95 % of the monthly income incl. holiday allowance.
    let cap = mul(NINETY_FIVE_PERCENT, input.net_income.as_decimal())?;
    Ok(Chain {
        total,
        partner,
        before_cap,
        cap,
        result: before_cap.min(cap).max(Decimal::ZERO),
    })
}

fn partner_step(input: &NormInput, chain: &Chain, lower_bound: bool) -> Option<Step> {
    if input.household != HouseholdType::MarriedOrCohabiting {
        return None;
    }
    let description = match input.partner_income {
        None => "Korting voor het inkomen van uw echtgenoot: er is geen inkomen van uw echtgenoot opgegeven \
                 waarop geen beslag ligt, dus er gaat niets af."
            .to_owned(),
        Some(p) => {
            let basis = if lower_bound {
                " Dit is berekend over de laagst mogelijke beslagvrije voet; een hogere verandert de uitkomst niet."
            } else {
                ""
            };
            format!(
                "Korting voor het inkomen van uw echtgenoot: de beslagvrije voet gaat omlaag met het inkomen van \
                 uw echtgenoot waarop geen beslag ligt ({}), maar met ten hoogste de helft van de beslagvrije \
                 voet volgens artikel 475da (de helft van {} is {}). Er gaat {} af.{basis}",
                euro(p),
                exact_euro(chain.total),
                exact_euro(chain.total / TWO),
                exact_euro(chain.partner)
            )
        }
    };
    Some(Step {
        code: step::KORTING_INKOMEN_ECHTGENOOT,
        description,
        legal_source: "art. 475db lid 1 onderdeel a Rv".to_owned(),
        parameters: Vec::new(),
        amount: -Money::round(chain.partner),
    })
}

fn income_cap_step(input: &NormInput, chain: &Chain) -> Step {
    let applies = chain.before_cap > chain.cap;
    let description = if applies {
        format!(
            "De beslagvrije voet is nooit meer dan 95% van uw netto maandinkomen inclusief vakantiegeld: 95% × {} \
             = {}. De berekende beslagvrije voet ({}) is hoger, dus de beslagvrije voet wordt {}.",
            euro(input.net_income),
            exact_euro(chain.cap),
            exact_euro(chain.before_cap),
            exact_euro(chain.cap)
        )
    } else {
        format!(
            "De beslagvrije voet is nooit meer dan 95% van uw netto maandinkomen inclusief vakantiegeld: 95% × {} \
             = {}. De berekende beslagvrije voet ({}) is niet hoger, dus deze regel verandert niets.",
            euro(input.net_income),
            exact_euro(chain.cap),
            exact_euro(chain.before_cap)
        )
    };
    let adjustment = chain.result - chain.before_cap;
    Step {
        code: step::MAXIMUM_95_PROCENT_INKOMEN,
        description,
        legal_source: "art. 475dc lid 1 Rv".to_owned(),
        parameters: Vec::new(),
        amount: Money::round(adjustment),
    }
}

/// The closing lines: rounding (if needed), the beslagvrije voet, the afloscapaciteit.
fn close(
    input: &NormInput,
    mut steps: Vec<Step>,
    result: Decimal,
) -> Result<(Vec<Step>, Money, Money), NormError> {
    let bvv = Money::round(result);
    let shown = money_sum(steps.iter().map(|s| s.amount))?;
    if shown != bvv {
        let difference = Money::round(sub(bvv.as_decimal(), shown.as_decimal())?);
        steps.push(Step {
            code: step::AFRONDING,
            description: format!(
                "Afronding: elke regel hierboven is apart op hele centen afgerond, maar de beslagvrije voet is \
                 exact berekend en pas aan het eind één keer afgerond (een halve cent naar boven). Het verschil \
                 van {} komt alleen daardoor.",
                euro(difference)
            ),
            legal_source: "art. 475da–475dc Rv (de wet schrijft geen afronding voor)".to_owned(),
            parameters: Vec::new(),
            amount: difference,
        });
    }
    let capacity =
        Money::round(sub(input.net_income.as_decimal(), bvv.as_decimal())?.max(Decimal::ZERO));
    steps.push(Step {
        code: step::BESLAGVRIJE_VOET,
        description:
            "De beslagvrije voet per maand: dit deel van uw inkomen houdt u in ieder geval."
                .to_owned(),
        legal_source: "art. 475da–475dc Rv".to_owned(),
        parameters: Vec::new(),
        amount: bvv,
    });
    steps.push(Step {
        code: step::AFLOSCAPACITEIT,
        description: format!(
            "Afloscapaciteit: uw netto maandinkomen ({}) min de beslagvrije voet ({}), nooit minder dan € 0,00. \
             Meer dan dit kan er per maand niet naar schulden gaan.",
            euro(input.net_income),
            euro(bvv)
        ),
        legal_source: "art. 475b lid 1 en art. 475da–475dc Rv".to_owned(),
        parameters: Vec::new(),
        amount: capacity,
    });
    Ok((steps, bvv, capacity))
}

// ---------------------------------------------------------------------------------------------
// Entry points.

/// The table and situation for valid input, or every problem at once.
struct Prepared<'a> {
    ctx: Ctx<'a>,
    maximum: &'a ParameterValue,
}

fn prepare<'a>(
    input: &'a NormInput,
    tables: &'a [NormTable],
    require_taxable_income: bool,
) -> Result<Prepared<'a>, NormError> {
    let first = tables
        .iter()
        .map(|t| t.valid_from)
        .min()
        .ok_or(NormError::NoTables)?;
    let mut issues = input::check(input);
    let table = NormTable::applicable(tables, input.peildatum);
    if let Some(table) = table
        && require_taxable_income
        && let Some(issue) = taxable_income_issue(input, table)
    {
        issues.push(issue);
    }
    let Some(table) = table else {
        if issues.is_empty() {
            return Err(NormError::BeforeFirstTable { first });
        }
        if !issues.iter().any(|i| i.field == field::PEILDATUM) {
            issues.push(before_first_table(first));
        }
        return Err(NormError::Invalid(issues));
    };
    if !issues.is_empty() {
        return Err(NormError::Invalid(issues));
    }
    let situation = Situation::of(input.household, input.children)
        .ok_or_else(|| NormError::Invalid(input::check(input)))?;
    let ctx = Ctx { table, situation };
    let maximum = ctx
        .get(situation.maximum())
        .ok_or(NormError::MissingParameter {
            valid_from: table.valid_from,
            parameter: situation.maximum(),
        })?;
    Ok(Prepared { ctx, maximum })
}

/// `belastbaarJaarinkomen` is needed unless art. 475dc decides whatever C is: the income terms
/// are never negative, so the beslagvrije voet of art. 475da is at least 95 % of the norm, plus the
/// raise of lid 5 when asked for, minus the spouse's income (art. 475db). When that lowest
/// beslagvrije voet already reaches 95 % of the income, that is the outcome for every C.
fn taxable_income_issue(input: &NormInput, table: &NormTable) -> Option<FieldIssue> {
    if input.taxable_yearly_income.is_some() || !input::amounts_valid(input) {
        return None;
    }
    let norm_parameter = if input.household == HouseholdType::MarriedOrCohabiting {
        Parameter::CoupleNorm
    } else {
        Parameter::SingleNorm
    };
    let norm = table.value(norm_parameter)?;
    let decided = lowest_before_income_cap(input, table, norm)
        .map(|(before, cap)| before >= cap)
        .unwrap_or(true);
    if decided {
        None
    } else if input.net_income.as_decimal() > norm.value {
        Some(FieldIssue::new(
            field::BELASTBAAR_JAARINKOMEN,
            "verplicht",
            format!(
                "is verplicht: het netto-inkomen is hoger dan de bijstandsnorm ({}), en dan hangt de \
                 beslagvrije voet af van het belastbaar jaarinkomen (artikel 475da, tweede lid, Rv)",
                exact_euro(norm.value)
            ),
        ))
    } else {
        Some(FieldIssue::new(
            field::BELASTBAAR_JAARINKOMEN,
            "verplicht",
            "is verplicht: door de korting voor het inkomen van de echtgenoot (artikel 475db Rv) hangt de \
             beslagvrije voet hier af van het belastbaar jaarinkomen",
        ))
    }
}

/// The lowest beslagvrije voet before art. 475dc, and the cap of art. 475dc.
fn lowest_before_income_cap(
    input: &NormInput,
    table: &NormTable,
    norm: &ParameterValue,
) -> Option<(Decimal, Decimal)> {
    let mut x = NINETY_FIVE_PERCENT.checked_mul(norm.value)?;
    if let Some(situation) = Situation::of(input.household, input.children)
        && let Some(maximum) = table.value(situation.maximum())
    {
        x = x.min(maximum.value);
    }
    // Only the lid 5 raise is needed here, and it depends on H alone, not on the situation (which
    // may still be unknown while other input problems are collected).
    let ctx = Ctx {
        table,
        situation: Situation::of(input.household, input.children).unwrap_or(Situation::Single),
    };
    let housing = housing(&ctx, input).ok()?;
    let chain = chain(input, x, housing.low).ok()?;
    Some((chain.before_cap, chain.cap))
}

/// Computes the beslagvrije voet for `input` with the table that applies on its peildatum.
pub fn compute(input: &NormInput, tables: &[NormTable]) -> Result<NormResult, NormError> {
    let prepared = prepare(input, tables, true)?;
    let ctx = &prepared.ctx;
    let maximum = prepared.maximum;
    let c = input.taxable_yearly_income.map(Money::as_decimal);
    let terms = terms(ctx, c)?;
    let housing = housing(ctx, input)?;
    let mut not_computed = not_computed(ctx, &terms, &housing);
    let exact = c.is_some() && terms.iter().all(|t| t.exact) && housing.missing.is_empty();

    let mut steps: Vec<Step> = Vec::new();
    let final_chain;
    if exact {
        let sum = terms
            .iter()
            .try_fold(Decimal::ZERO, |acc, t| add(acc, t.low))?;
        let x = sum.min(maximum.value);
        steps.extend(terms.into_iter().filter_map(|t| t.step));
        steps.push(maximum_step(ctx, maximum, sum, x));
        let chain = chain(input, x, housing.low)?;
        steps.extend(housing.step);
        steps.extend(partner_step(input, &chain, false));
        steps.push(income_cap_step(input, &chain));
        final_chain = chain;
    } else if c.is_some() {
        // Some terms lack figures: the highest beslagvrije voet the law allows for what is known.
        let high = terms
            .iter()
            .try_fold(Some(Decimal::ZERO), |acc, t| match (acc, t.high) {
                (Some(a), Some(h)) => add(a, h).map(Some),
                _ => Ok(None),
            })?;
        let x = high.map_or(maximum.value, |h| h.min(maximum.value));
        steps.push(upper_bound_step(ctx, maximum, &terms, x));
        let chain = chain(input, x, housing.high)?;
        steps.extend(housing.step);
        steps.extend(partner_step(input, &chain, false));
        steps.push(income_cap_step(input, &chain));
        final_chain = chain;
    } else {
        // No C, and (checked in `prepare`) art. 475dc decides for every C: compute from the lowest
        // beslagvrije voet the law allows.
        let first = terms
            .iter()
            .find(|t| t.code == step::EERSTE_TERM)
            .filter(|t| t.exact);
        let Some(first) = first else {
            return Err(NormError::MissingParameter {
                valid_from: ctx.table.valid_from,
                parameter: ctx.situation.norm(),
            });
        };
        let x = first.low.min(maximum.value);
        let chain = chain(input, x, housing.low)?;
        if chain.before_cap < chain.cap {
            return Err(NormError::Invalid(vec![FieldIssue::new(
                field::BELASTBAAR_JAARINKOMEN,
                "verplicht",
                "is verplicht: zonder belastbaar jaarinkomen ligt de beslagvrije voet hier niet vast",
            )]));
        }
        let lowest = if chain.before_cap == x {
            format!("de eerste term ({})", exact_euro(x))
        } else {
            format!(
                "{}: de eerste term ({}) met de stappen hieronder",
                exact_euro(chain.before_cap),
                exact_euro(x)
            )
        };
        steps.extend(first.step.clone());
        steps.push(Step {
            code: step::INKOMENSTERMEN_NIET_NODIG,
            description: format!(
                "Het belastbaar jaarinkomen is niet opgegeven. Dat is hier niet nodig. De termen voor zorgtoeslag, \
                 huurtoeslag en kindgebonden budget zijn nooit negatief, dus de beslagvrije voet is vóór artikel \
                 475dc minstens {lowest}. Dat is al niet lager dan 95% van uw inkomen, en hoger dan dat wordt de \
                 beslagvrije voet nooit (artikel 475dc). De termen staan daarom op € 0,00: een hoger bedrag \
                 verandert de uitkomst niet."
            ),
            legal_source: format!("{} en art. 475dc lid 1 Rv", ctx.lid2()),
            parameters: Vec::new(),
            amount: Money::ZERO,
        });
        steps.extend(housing.step);
        steps.extend(partner_step(input, &chain, true));
        steps.push(income_cap_step(input, &chain));
        final_chain = chain;
        not_computed.clear();
    }

    let (steps, bvv, capacity) = close(input, steps, final_chain.result)?;
    let warnings = warnings(input, ctx, &steps, &not_computed);
    Ok(NormResult {
        beslagvrije_voet: bvv,
        afloscapaciteit: capacity,
        net_income: input.net_income,
        peildatum: input.peildatum,
        table_valid_from: ctx.table.valid_from,
        situation: ctx.situation,
        steps,
        warnings,
        assumptions: assumptions(input),
        not_computed,
    })
}

/// The beslagvrije voet of the same household from the first day of each later half-year the
/// service has a table for, in date order: the amounts change then (art. 475da lid 8 Rv), and an
/// arrangement planned now may still run.
pub fn compute_later(
    input: &NormInput,
    tables: &[NormTable],
) -> Result<Vec<NormResult>, NormError> {
    let mut starts: Vec<NaiveDate> = tables
        .iter()
        .map(|t| t.valid_from)
        .filter(|from| *from > input.peildatum)
        .collect();
    starts.sort_unstable();
    starts
        .into_iter()
        .map(|peildatum| {
            compute(
                &NormInput {
                    peildatum,
                    ..input.clone()
                },
                tables,
            )
        })
        .collect()
}

/// The lowest and highest beslagvrije voet the law allows for `input`. With a known C and a
/// complete table both are the result of [`compute`]; without C, the lowest is the beslagvrije voet
/// at the lowest C (all income terms € 0) and the highest the one at the maximum of lid 1, both
/// after art. 475db and 475dc.
pub fn range(input: &NormInput, tables: &[NormTable]) -> Result<NormRange, NormError> {
    let prepared = prepare(input, tables, false)?;
    let ctx = &prepared.ctx;
    let maximum = prepared.maximum;
    let c = input.taxable_yearly_income.map(Money::as_decimal);
    let terms = terms(ctx, c)?;
    let housing = housing(ctx, input)?;
    let not_computed = not_computed(ctx, &terms, &housing);

    let low_sum = terms
        .iter()
        .try_fold(Decimal::ZERO, |acc, t| add(acc, t.low))?;
    let high_sum = terms
        .iter()
        .try_fold(Some(Decimal::ZERO), |acc, t| match (acc, t.high) {
            (Some(a), Some(h)) => add(a, h).map(Some),
            _ => Ok(None),
        })?;
    let low = chain(input, low_sum.min(maximum.value), housing.low)?;
    let high = chain(
        input,
        high_sum.map_or(maximum.value, |h| h.min(maximum.value)),
        housing.high,
    )?;
    let missing = if c.is_none() {
        vec![field::BELASTBAAR_JAARINKOMEN]
    } else {
        Vec::new()
    };
    Ok(NormRange {
        peildatum: input.peildatum,
        table_valid_from: ctx.table.valid_from,
        situation: ctx.situation,
        lowest: Money::round(low.result),
        highest: Money::round(high.result),
        missing,
        warnings: warnings(input, ctx, &[], &not_computed),
        not_computed,
    })
}

fn maximum_step(ctx: &Ctx, maximum: &ParameterValue, sum: Decimal, x: Decimal) -> Step {
    let description = if sum > maximum.value {
        format!(
            "Maximum: de beslagvrije voet voor {} is ten hoogste {}. De som van de termen ({}) is hoger, dus de \
             beslagvrije voet volgens artikel 475da wordt {}; dit is de verlaging.",
            ctx.situation.label_with_article(),
            exact_euro(maximum.value),
            exact_euro(sum),
            exact_euro(maximum.value)
        )
    } else {
        format!(
            "Maximum: de beslagvrije voet voor {} is ten hoogste {}. De som van de termen ({}) is niet hoger, dus \
             dit maximum verandert niets.",
            ctx.situation.label_with_article(),
            exact_euro(maximum.value),
            exact_euro(sum)
        )
    };
    Step {
        code: step::MAXIMUM_LID_1,
        description,
        legal_source: format!(
            "art. 475da lid 1 onderdeel {} Rv",
            ctx.situation.onderdeel()
        ),
        parameters: used(&[maximum]),
        amount: Money::round(x - sum),
    }
}

fn upper_bound_step(ctx: &Ctx, maximum: &ParameterValue, terms: &[Term], x: Decimal) -> Step {
    let known: Vec<String> = terms
        .iter()
        .filter(|t| t.exact)
        .map(|t| {
            format!(
                "{} {}",
                t.code.to_lowercase().replace('_', " "),
                exact_euro(t.low)
            )
        })
        .collect();
    let unknown: Vec<String> = terms
        .iter()
        .filter(|t| !t.exact)
        .map(|t| t.code.to_lowercase().replace('_', " "))
        .collect();
    let basis = if x == maximum.value {
        format!(
            "het maximum voor {} ({})",
            ctx.situation.label_with_article(),
            exact_euro(maximum.value)
        )
    } else {
        format!(
            "de berekende termen plus de hoogst mogelijke waarde van de andere termen ({})",
            exact_euro(x)
        )
    };
    Step {
        code: step::BOVENGRENS,
        description: format!(
            "Niet alle termen konden worden berekend: de normtabel van {} mist bedragen (zie 'niet berekend'). \
             Niet berekend: {}. Wel berekend: {}. Daarom is gerekend met de hoogste beslagvrije voet die de wet \
             dan toelaat: {basis}. De werkelijke beslagvrije voet kan lager zijn.",
            date(ctx.table.valid_from),
            crate::domain::text::list(&unknown),
            if known.is_empty() {
                "niets".to_owned()
            } else {
                crate::domain::text::list(&known)
            },
        ),
        legal_source: format!(
            "art. 475da lid 1 onderdeel {} en lid 2 Rv",
            ctx.situation.onderdeel()
        ),
        parameters: used(&[maximum]),
        amount: Money::round(x),
    }
}

fn not_computed(ctx: &Ctx, terms: &[Term], housing: &Housing) -> Vec<NotComputed> {
    let mut list: Vec<NotComputed> = terms
        .iter()
        .filter(|t| !t.missing.is_empty())
        .map(|t| NotComputed {
            step: t.code,
            missing: t.missing.clone(),
            explanation: format!(
                "De normtabel van {} bevat geen {}; deze term is niet berekend.",
                date(ctx.table.valid_from),
                crate::domain::text::list(&t.missing.iter().map(|p| p.code()).collect::<Vec<_>>())
            ),
        })
        .collect();
    if !housing.missing.is_empty() {
        list.push(NotComputed {
            step: step::WOONKOSTENCORRECTIE,
            missing: housing.missing.clone(),
            explanation: format!(
                "De normtabel van {} bevat geen maximale huurgrens; de woonkostencorrectie is niet berekend.",
                date(ctx.table.valid_from)
            ),
        });
    }
    list
}

/// The first day of the half-year `peildatum` falls in, when that is later than the half-year of
/// the table used: tables are contiguous half-years (`validate_new_table`), so the newest one was
/// used and the half-year's own amounts are not known here.
fn half_year_without_table(peildatum: NaiveDate, table_valid_from: NaiveDate) -> Option<NaiveDate> {
    let next = next_half_year(table_valid_from);
    (peildatum >= next).then(|| {
        let month = if peildatum.month() < 7 { 1 } else { 7 };
        NaiveDate::from_ymd_opt(peildatum.year(), month, 1).unwrap_or(next)
    })
}

/// Whether the amounts change on a day after `after` up to and including `through`: on 1 January
/// and 1 July (art. 475da lid 8 Rv), by a table taking effect or, while none is posted, by the
/// earlier amounts becoming a lower bound only. Every evaluation of the norm may change then.
pub fn amounts_change_between(after: NaiveDate, through: NaiveDate) -> bool {
    next_half_year(after) <= through
}

/// The first day of the half-year after the one `day` falls in: tables change on 1 January and 1
/// July.
pub(super) fn next_half_year(day: NaiveDate) -> NaiveDate {
    let next = if day.month() < 7 {
        NaiveDate::from_ymd_opt(day.year(), 7, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year().saturating_add(1), 1, 1)
    };
    next.unwrap_or(NaiveDate::MAX)
}

fn warnings(
    input: &NormInput,
    ctx: &Ctx,
    steps: &[Step],
    not_computed: &[NotComputed],
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if half_year_without_table(input.peildatum, ctx.table.valid_from).is_some() {
        warnings.push(Warning {
            code: "TABEL_MOGELIJK_VEROUDERD",
            message: format!(
                "De nieuwste normtabel geldt vanaf {}. De bedragen veranderen per 1 januari en 1 juli, dus voor de \
                 peildatum {} is er waarschijnlijk een nieuwere tabel: de uitkomst kan verouderd zijn.",
                date(ctx.table.valid_from),
                date(input.peildatum)
            ),
        });
    }
    let mut unconfirmed: Vec<&UsedParameter> = Vec::new();
    for parameter in steps.iter().flat_map(|s| s.parameters.iter()) {
        if !parameter.confirmed && !unconfirmed.iter().any(|u| u.code == parameter.code) {
            unconfirmed.push(parameter);
        }
    }
    for parameter in unconfirmed {
        warnings.push(Warning {
            code: "PARAMETER_NIET_BEVESTIGD",
            message: format!(
                "Het bedrag {} ({}) is niet bevestigd met de wettekst of een officiële publicatie (bron: {}).",
                parameter.code, parameter.description, parameter.source
            ),
        });
    }
    if !not_computed.is_empty() {
        warnings.push(Warning {
            code: "TERMEN_NIET_BEREKEND",
            message: "Niet alle onderdelen konden worden berekend omdat de normtabel bedragen mist. De uitkomst is \
                      de hoogste beslagvrije voet die de wet dan toelaat; de werkelijke kan lager zijn."
                .to_owned(),
        });
    }
    if input.housing_correction {
        if ctx.situation.is_couple() {
            warnings.push(Warning {
                code: "WOONKOSTEN_INKOMEN_ECHTGENOOT",
                message: "Bij gehuwden wordt de woonkostencorrectie alleen toegekend voor zover het inkomen van de \
                          echtgenoot waarop geen beslag ligt, niet genoeg is om de hogere woonkosten te betalen \
                          (artikel 475da, vijfde lid, Rv). Dat kan deze berekening niet beoordelen: de verhoging is \
                          volledig meegeteld."
                    .to_owned(),
            });
        }
        let limit = if ctx.situation.one_person_household() {
            Parameter::HousingRaiseIncomeLimitSingle
        } else {
            Parameter::HousingRaiseIncomeLimitMultiple
        };
        if let (Some(c), Some(limit)) = (input.taxable_yearly_income, ctx.table.value(limit))
            && c.as_decimal() < limit.value
        {
            warnings.push(Warning {
                code: "WOONKOSTEN_LID_7_MOGELIJK",
                message: format!(
                    "Het belastbaar jaarinkomen is lager dan {}. Woont u in een eigen woning, of huurt u een woning \
                     die niet voldoet aan artikel 11 Wet op de huurtoeslag (bijvoorbeeld een kamer zonder eigen \
                     voordeur, keuken of toilet), dan kunt u ook om \
                     de verhoging van artikel 475da, zevende lid, Rv vragen. Die staat niet in deze berekening: \
                     de wijze van berekenen is bij algemene maatregel van bestuur geregeld.",
                    exact_euro(limit.value)
                ),
            });
        }
    }
    warnings
}

fn assumptions(input: &NormInput) -> Vec<String> {
    let mut notes = vec![
        "Het netto-inkomen is al het inkomen per maand uit loon, uitkering, pensioen en dergelijke (artikel 475c, \
         eerste lid, onderdelen a tot en met i, Rv), inclusief vakantiegeld en zonder toeslagen. Eigen inkomen \
         waarop geen beslag ligt (artikel 475db, eerste lid, onderdeel b, Rv) zit daar al in en gaat daarom niet \
         nog eens van de beslagvrije voet af: de afloscapaciteit is het hele inkomen min de beslagvrije voet. \
         Dat komt op hetzelfde neer als de wet, behalve als de grens van 95% van het inkomen (artikel 475dc Rv) \
         de beslagvrije voet bepaalt en een deel van het inkomen niet onder beslag ligt: bij beslag op alleen \
         het andere deel blijft er dan minder over om af te lossen dan hier staat."
            .to_owned(),
        "Het belastbaar jaarinkomen is dat van u en, als u gehuwd bent of samenwoont, uw echtgenoot samen \
         (artikel 475da, tweede lid, en artikel 475d, eerste lid, Rv)."
            .to_owned(),
        "Er is uitgegaan van een woonadres in Nederland en geen verblijf in een inrichting (artikel 475da, vierde \
         lid, en artikel 475e Rv), en van geen loonbelasting over een auto van de zaak (artikel 475db, eerste lid, \
         onderdeel c, Rv)."
            .to_owned(),
    ];
    if input.pension_age {
        notes.push(
            "U heeft de pensioengerechtigde leeftijd bereikt. Artikel 475da, tweede lid, Rv rekent ook dan met de \
             normen van artikel 21 Participatiewet (A en B), niet met die van artikel 22, en met dezelfde termen \
             voor zorgtoeslag, huurtoeslag en kindgebonden budget."
                .to_owned(),
        );
    }
    if input.housing_correction {
        notes.push(
            "De woonkostencorrectie geldt alleen op verzoek, zolang u deze woonkosten heeft en ten hoogste voor de \
             termijn die de minister bij regeling bepaalt. Op uw verzoek kan zij met ten hoogste zes maanden \
             worden verlengd als de vordering waarvoor beslag ligt binnen die termijn helemaal kan worden \
             betaald (artikel 475da, vijfde en zesde lid, Rv)."
                .to_owned(),
        );
    }
    notes
}
