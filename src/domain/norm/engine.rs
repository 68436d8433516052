//! Computing the beslagvrije voet: 95 % of the applicable bijstandsnorm including holiday
//! allowance, but never more than 95 % of the net income (art. 475da Rv), rounded to the cent,
//! half away from zero, once at the end of each step.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::table::{NormTable, Parameter, ParameterValue};
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::text::{date, euro};

/// 95 %: the share of the bijstandsnorm (and at most of the income) a person keeps.
const SHARE_KEPT: Decimal = Decimal::from_parts(95, 0, 0, false, 2);
const LAW: &str = "art. 475da Rv (Wet vereenvoudiging beslagvrije voet, sinds 1 januari 2021)";

/// A net income above this per month is almost certainly a year or a gross amount.
const IMPLAUSIBLE_MONTHLY_INCOME_CENTS: i64 = 2_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Allowances {
    pub huurtoeslag: Money,
    pub zorgtoeslag: Money,
    pub kindgebonden_budget: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormInput {
    pub peildatum: NaiveDate,
    pub household: HouseholdType,
    /// For a couple: one or both partners have reached the pension age.
    pub pension_age: bool,
    /// Net income per month including holiday allowance, excluding allowances.
    pub net_income: Money,
    pub housing_costs: Option<Money>,
    pub allowances: Allowances,
}

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub code: &'static str,
    pub description: String,
    pub legal_source: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionCode {
    /// Above the bijstandsnorm the law adds a top-up for allowances lost through the income
    /// (Besluit beslagvrije voet), up to a maximum.
    CompensationTopUp,
    HousingCosts,
    HealthInsuranceWithoutAllowance,
    PartnerIncome,
}

impl CorrectionCode {
    pub const ALL: [CorrectionCode; 4] = [
        CorrectionCode::CompensationTopUp,
        CorrectionCode::HousingCosts,
        CorrectionCode::HealthInsuranceWithoutAllowance,
        CorrectionCode::PartnerIncome,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CorrectionCode::CompensationTopUp => "COMPENSATIEKOP",
            CorrectionCode::HousingCosts => "WOONKOSTEN",
            CorrectionCode::HealthInsuranceWithoutAllowance => "ZORGPREMIE_ZONDER_ZORGTOESLAG",
            CorrectionCode::PartnerIncome => "INKOMEN_PARTNER",
        }
    }

    fn description(self) -> &'static str {
        match self {
            CorrectionCode::CompensationTopUp => {
                "verhoging van de beslagvrije voet voor inkomens boven de bijstandsnorm (compensatiekop voor gemiste toeslagen)"
            }
            CorrectionCode::HousingCosts => "verhoging van de beslagvrije voet bij hoge woonkosten",
            CorrectionCode::HealthInsuranceWithoutAllowance => {
                "verhoging van de beslagvrije voet bij een zorgpremie zonder zorgtoeslag"
            }
            CorrectionCode::PartnerIncome => {
                "aanpassing van de beslagvrije voet als een partner inkomen heeft"
            }
        }
    }
}

/// A correction the law knows. None is applied yet: their thresholds and formulas could not be
/// confirmed from an official source, and an invented figure could take money from someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub code: CorrectionCode,
    pub description: &'static str,
    pub legal_source: &'static str,
    pub applied: bool,
    /// Whether the input suggests it could matter for this person. The increases can only matter
    /// above the bijstandsnorm: below it at least 5% of the income always goes to the debts.
    pub may_apply: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormResult {
    /// The beslagvrije voet per month.
    pub norm: Money,
    /// Net income minus the norm, never negative: the most that can go to debts per month.
    pub capacity: Money,
    pub net_income: Money,
    pub peildatum: NaiveDate,
    /// The table chosen for the peildatum.
    pub table_valid_from: NaiveDate,
    pub steps: Vec<Step>,
    pub corrections: Vec<Correction>,
    pub warnings: Vec<Warning>,
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NormError {
    #[error("er zijn geen normtabellen")]
    NoTables,
    #[error(
        "de eerste normtabel geldt vanaf {first}; voor een eerdere peildatum kan niet worden gerekend"
    )]
    BeforeFirstTable { first: NaiveDate },
    #[error("geen enkele normtabel tot de peildatum bevat de {}", .0.description())]
    MissingParameter(Parameter),
}

fn parameter_for(household: HouseholdType, pension_age: bool) -> Parameter {
    match (household, pension_age) {
        (HouseholdType::MarriedOrCohabiting, false) => Parameter::CoupleNorm,
        (HouseholdType::MarriedOrCohabiting, true) => Parameter::CouplePensionNorm,
        (HouseholdType::Single | HouseholdType::SingleParent, false) => Parameter::SingleNorm,
        (HouseholdType::Single | HouseholdType::SingleParent, true) => Parameter::SinglePensionNorm,
    }
}

fn household_label(household: HouseholdType, pension_age: bool) -> String {
    let base = match household {
        HouseholdType::Single => "alleenstaande",
        HouseholdType::SingleParent => "alleenstaande ouder",
        HouseholdType::MarriedOrCohabiting => "gehuwden of samenwonenden",
    };
    if pension_age {
        format!("{base}, pensioengerechtigd")
    } else {
        format!("{base}, 21 jaar tot pensioenleeftijd")
    }
}

/// The start of the half-year the date falls in: bijstandsnormen are indexed on 1 January and
/// 1 July.
fn half_year_start(date: NaiveDate) -> NaiveDate {
    let month = if date.month() >= 7 { 7 } else { 1 };
    NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
}

pub fn compute(input: &NormInput, tables: &[NormTable]) -> Result<NormResult, NormError> {
    let mut applicable: Vec<&NormTable> = tables
        .iter()
        .filter(|t| t.valid_from <= input.peildatum)
        .collect();
    applicable.sort_by_key(|t| std::cmp::Reverse(t.valid_from));
    let table = match applicable.first() {
        Some(table) => *table,
        None => {
            return Err(match tables.iter().map(|t| t.valid_from).min() {
                Some(first) => NormError::BeforeFirstTable { first },
                None => NormError::NoTables,
            });
        }
    };
    let parameter = parameter_for(input.household, input.pension_age);
    let (from_table, value) = applicable
        .iter()
        .find_map(|t| t.value(parameter).map(|v| (t.valid_from, v)))
        .ok_or(NormError::MissingParameter(parameter))?;

    let mut warnings = table_warnings(input, table.valid_from, from_table, value);
    warnings.extend(implausible_input(input, value.amount));

    let steps = steps(input, from_table, value);
    let norm = steps[2].amount;
    let capacity = steps[3].amount;
    let corrections = corrections(input, value.amount);
    warnings.extend(corrections.iter().filter(|c| c.may_apply).map(|c| Warning {
        code: "CORRECTIE_NIET_TOEGEPAST",
        message: format!("De {} is niet toegepast. {}", c.description, c.explanation),
    }));

    Ok(NormResult {
        norm,
        capacity,
        net_income: input.net_income,
        peildatum: input.peildatum,
        table_valid_from: table.valid_from,
        steps,
        corrections,
        warnings,
        assumptions: assumptions(input),
    })
}

fn steps(input: &NormInput, from_table: NaiveDate, value: &ParameterValue) -> Vec<Step> {
    let bijstandsnorm = value.amount;
    let base = input.net_income.min(bijstandsnorm);
    let norm = base.times(SHARE_KEPT);
    let capacity = input.net_income.saturating_sub(norm);
    vec![
        Step {
            code: "BIJSTANDSNORM",
            description: format!(
                "Bijstandsnorm inclusief vakantietoeslag per maand voor {}, volgens de normtabel van {}",
                household_label(input.household, input.pension_age),
                date(from_table)
            ),
            legal_source: format!("{}; bron van het bedrag: {}", value.parameter.legal_source(), value.source),
            amount: bijstandsnorm,
        },
        Step {
            code: "GRONDSLAG",
            description: format!(
                "Het laagste van uw netto-inkomen ({}) en de bijstandsnorm ({}): de beslagvrije voet is nooit meer dan 95% van uw inkomen",
                euro(input.net_income),
                euro(bijstandsnorm)
            ),
            legal_source: LAW.to_owned(),
            amount: base,
        },
        Step {
            code: "BESLAGVRIJE_VOET",
            description: "95% daarvan, afgerond op hele centen: dit bedrag houdt u per maand in ieder geval over".to_owned(),
            legal_source: LAW.to_owned(),
            amount: norm,
        },
        Step {
            code: "AFLOSCAPACITEIT",
            description: "Uw netto-inkomen min de beslagvrije voet: wat er hoogstens per maand naar schulden kan gaan".to_owned(),
            legal_source: LAW.to_owned(),
            amount: capacity,
        },
    ]
}

fn table_warnings(
    input: &NormInput,
    table_from: NaiveDate,
    value_from: NaiveDate,
    value: &ParameterValue,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if table_from < half_year_start(input.peildatum) {
        warnings.push(Warning {
            code: "TABEL_MOGELIJK_VEROUDERD",
            message: format!(
                "De nieuwste normtabel geldt vanaf {}. Bijstandsnormen worden per 1 januari en \
                 1 juli aangepast, dus voor de peildatum {} is er waarschijnlijk een nieuwere tabel: de \
                 beslagvrije voet kan te laag zijn berekend.",
                date(table_from),
                date(input.peildatum)
            ),
        });
    }
    if value_from < table_from {
        warnings.push(Warning {
            code: "PARAMETER_UIT_OUDERE_TABEL",
            message: format!(
                "De normtabel van {} bevat geen {}; het bedrag uit de tabel van {} is gebruikt en kan te \
                 laag zijn.",
                date(table_from),
                value.parameter.description(),
                date(value_from)
            ),
        });
    }
    if !value.confirmed {
        warnings.push(Warning {
            code: "PARAMETER_NIET_BEVESTIGD",
            message: format!(
                "De {} uit de tabel van {} is nog niet bevestigd met een officiële publicatie ({}).",
                value.parameter.description(),
                date(value_from),
                value.source
            ),
        });
    }
    warnings
}

fn implausible_input(input: &NormInput, bijstandsnorm: Money) -> Vec<Warning> {
    let mut messages = Vec::new();
    if input.net_income.cents() > IMPLAUSIBLE_MONTHLY_INCOME_CENTS {
        messages.push(format!(
            "Het netto-inkomen is hoger dan {} per maand. Is het een maandbedrag, en netto?",
            euro(Money::from_cents(IMPLAUSIBLE_MONTHLY_INCOME_CENTS))
        ));
    }
    if let Some(housing) = input.housing_costs
        && housing > input.net_income + input.allowances.huurtoeslag
    {
        messages.push("De woonkosten zijn hoger dan het netto-inkomen plus de huurtoeslag. Kloppen de bedragen?".to_owned());
    }
    let allowances = [
        ("huurtoeslag", input.allowances.huurtoeslag),
        ("zorgtoeslag", input.allowances.zorgtoeslag),
        ("kindgebonden budget", input.allowances.kindgebonden_budget),
    ];
    for (name, amount) in allowances {
        if amount > bijstandsnorm {
            messages.push(format!(
                "De {name} is hoger dan de bijstandsnorm zelf. Is het een maandbedrag?"
            ));
        }
    }
    messages
        .into_iter()
        .map(|message| Warning {
            code: "INVOER_ONWAARSCHIJNLIJK",
            message,
        })
        .collect()
}

fn corrections(input: &NormInput, bijstandsnorm: Money) -> Vec<Correction> {
    let above_norm = input.net_income > bijstandsnorm;
    CorrectionCode::ALL
        .into_iter()
        .map(|code| {
            let (may_apply, legal_source, explanation) = match code {
                CorrectionCode::CompensationTopUp => (
                    above_norm,
                    "art. 475da Rv en het Besluit beslagvrije voet",
                    "Voor inkomens boven de bijstandsnorm is de beslagvrije voet sinds 2021 hoger dan 95% van de \
                     bijstandsnorm: er komt een bedrag bij voor toeslagen die u door uw inkomen misloopt, tot een \
                     maximum. De formule daarvan staat in het Besluit beslagvrije voet en kon nog niet uit een \
                     officiële bron worden bevestigd, dus deze dienst past haar niet toe. Uw beslagvrije voet kan \
                     daardoor te laag en uw afloscapaciteit te hoog zijn berekend: laat de schuldeiser of uw \
                     schuldhulpverlener de beslagvrije voet narekenen voordat u een regeling afspreekt.",
                ),
                CorrectionCode::HousingCosts => (
                    above_norm && input.housing_costs.is_some_and(Money::is_positive),
                    LAW,
                    NOT_CONFIRMED,
                ),
                CorrectionCode::HealthInsuranceWithoutAllowance => {
                    (above_norm && input.allowances.zorgtoeslag.is_zero(), LAW, NOT_CONFIRMED)
                }
                CorrectionCode::PartnerIncome => {
                    (input.household == HouseholdType::MarriedOrCohabiting, "art. 475db Rv", NOT_CONFIRMED)
                }
            };
            Correction {
                code,
                description: code.description(),
                legal_source,
                applied: false,
                may_apply,
                explanation: explanation.to_owned(),
            }
        })
        .collect()
}

const NOT_CONFIRMED: &str = "De wet kent deze correctie, maar de bedragen en voorwaarden ervan zijn nog niet uit een \
                             officiële bron bevestigd, dus deze dienst past haar niet toe. Kan zij voor u gelden, \
                             vraag dan de schuldeiser of uw schuldhulpverlener om een herberekening.";

fn assumptions(input: &NormInput) -> Vec<String> {
    let mut notes = vec![
        "Onder de 21 jaar geldt voor de beslagvrije voet dezelfde norm als vanaf 21 jaar (sinds 1 januari 2020)."
            .to_owned(),
        "Het netto-inkomen is per maand, inclusief vakantiegeld, zonder toeslagen en kindgebonden budget."
            .to_owned(),
        "Er is gerekend zonder kostendelers en zonder verblijf in een inrichting; daarvoor gelden andere normen."
            .to_owned(),
    ];
    if input.household == HouseholdType::MarriedOrCohabiting && input.pension_age {
        notes.push("Voor gehuwden en samenwonenden geldt de norm voor pensioengerechtigden als één of beiden de pensioengerechtigde leeftijd hebben bereikt.".to_owned());
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::norm::seed_tables;
    use crate::domain::testing::{d, m};
    use proptest::prelude::*;

    fn input(
        peildatum: NaiveDate,
        household: HouseholdType,
        pension_age: bool,
        income: &str,
    ) -> NormInput {
        NormInput {
            peildatum,
            household,
            pension_age,
            net_income: m(income),
            housing_costs: None,
            allowances: Allowances {
                zorgtoeslag: m("100.00"),
                ..Allowances::default()
            },
        }
    }

    fn norm(i: &NormInput) -> NormResult {
        compute(i, &seed_tables()).unwrap()
    }

    fn codes(r: &NormResult) -> Vec<&'static str> {
        r.warnings.iter().map(|w| w.code).collect()
    }

    #[test]
    fn income_above_the_norm_keeps_95_percent_of_the_norm() {
        // 2025-07 single norm 1369.06; 0.95 × 1369.06 = 1300.607 → 1300.61; 2000.00 − 1300.61 = 699.39.
        let r = norm(&input(
            d(2025, 9, 1),
            HouseholdType::Single,
            false,
            "2000.00",
        ));
        assert_eq!((r.norm, r.capacity), (m("1300.61"), m("699.39")));
        assert_eq!(r.table_valid_from, d(2025, 7, 1));
        let steps: Vec<_> = r
            .steps
            .iter()
            .map(|s| (s.code, s.amount.to_string()))
            .collect();
        assert_eq!(
            steps,
            [
                ("BIJSTANDSNORM", "1369.06".to_string()),
                ("GRONDSLAG", "1369.06".to_string()),
                ("BESLAGVRIJE_VOET", "1300.61".to_string()),
                ("AFLOSCAPACITEIT", "699.39".to_string()),
            ]
        );
    }

    #[test]
    fn income_at_the_norm_leaves_five_percent() {
        // 2024-01 couple norm 1834.04; 0.95 × 1834.04 = 1742.338 → 1742.34; capacity 91.70.
        let r = norm(&input(
            d(2024, 3, 1),
            HouseholdType::MarriedOrCohabiting,
            false,
            "1834.04",
        ));
        assert_eq!((r.norm, r.capacity), (m("1742.34"), m("91.70")));
    }

    #[test]
    fn income_below_the_norm_keeps_95_percent_of_the_income() {
        // 0.95 × 1000.00 = 950.00; capacity 50.00.
        let r = norm(&input(
            d(2025, 1, 1),
            HouseholdType::SingleParent,
            false,
            "1000.00",
        ));
        assert_eq!((r.norm, r.capacity), (m("950.00"), m("50.00")));
        assert_eq!(r.steps[1].amount, m("1000.00"));
    }

    #[test]
    fn pension_age_uses_the_pension_norms() {
        // 2024-07 single pension 1456.85; 0.95 × 1456.85 = 1384.0075 → 1384.01.
        let r = norm(&input(
            d(2024, 7, 1),
            HouseholdType::Single,
            true,
            "3000.00",
        ));
        assert_eq!((r.norm, r.capacity), (m("1384.01"), m("1615.99")));
        // 2025-01 couple pension 2053.48; 0.95 × 2053.48 = 1950.806 → 1950.81.
        let r = norm(&input(
            d(2025, 6, 30),
            HouseholdType::MarriedOrCohabiting,
            true,
            "2500.00",
        ));
        assert_eq!(r.norm, m("1950.81"));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        // 2026-01 single 1401.50; 0.95 × 1401.50 = 1331.425 → 1331.43.
        let r = norm(&input(
            d(2026, 2, 1),
            HouseholdType::Single,
            false,
            "1500.00",
        ));
        assert_eq!((r.norm, r.capacity), (m("1331.43"), m("168.57")));
    }

    #[test]
    fn every_household_on_every_seeded_table_is_95_percent_of_its_norm() {
        for table in seed_tables() {
            for household in HouseholdType::ALL {
                for pension_age in [false, true] {
                    let i = input(table.valid_from, household, pension_age, "5000.00");
                    let r = norm(&i);
                    let used = r.steps[0].amount;
                    assert_eq!(
                        r.norm,
                        used.times(SHARE_KEPT),
                        "{household:?} {pension_age} {}",
                        table.valid_from
                    );
                    assert_eq!(r.capacity, m("5000.00") - r.norm);
                }
            }
        }
    }

    #[test]
    fn a_missing_pension_norm_comes_from_the_newest_table_that_has_it() {
        // 2026-01 has no pension norms: 2025-07 couple pension 2094.98; 0.95 × = 1990.231 → 1990.23.
        let r = norm(&input(
            d(2026, 3, 1),
            HouseholdType::MarriedOrCohabiting,
            true,
            "2500.00",
        ));
        assert_eq!(r.norm, m("1990.23"));
        assert_eq!(r.table_valid_from, d(2026, 1, 1));
        assert!(codes(&r).contains(&"PARAMETER_UIT_OUDERE_TABEL"));
        assert!(
            !codes(&r).contains(&"PARAMETER_NIET_BEVESTIGD"),
            "2025-07 figures are confirmed"
        );
    }

    #[test]
    fn unconfirmed_figures_are_flagged_when_used() {
        let r = norm(&input(
            d(2026, 3, 1),
            HouseholdType::Single,
            false,
            "1400.00",
        ));
        assert_eq!(codes(&r), ["PARAMETER_NIET_BEVESTIGD"]);
        let r = norm(&input(
            d(2025, 12, 31),
            HouseholdType::Single,
            false,
            "1300.00",
        ));
        assert!(codes(&r).is_empty());
    }

    #[test]
    fn a_peildatum_after_the_newest_half_year_still_computes_with_a_staleness_warning() {
        let r = norm(&input(
            d(2026, 7, 1),
            HouseholdType::Single,
            false,
            "1500.00",
        ));
        assert_eq!(r.norm, m("1331.43"));
        assert!(codes(&r).contains(&"TABEL_MOGELIJK_VEROUDERD"));
        let r = norm(&input(
            d(2026, 6, 30),
            HouseholdType::Single,
            false,
            "1500.00",
        ));
        assert!(!codes(&r).contains(&"TABEL_MOGELIJK_VEROUDERD"));
    }

    #[test]
    fn a_peildatum_before_the_first_table_is_an_error() {
        let i = input(d(2023, 12, 31), HouseholdType::Single, false, "1500.00");
        assert_eq!(
            compute(&i, &seed_tables()),
            Err(NormError::BeforeFirstTable {
                first: d(2024, 1, 1)
            })
        );
        assert_eq!(compute(&i, &[]), Err(NormError::NoTables));
    }

    #[test]
    fn corrections_are_never_applied_but_named_when_they_may_matter() {
        let mut i = input(
            d(2025, 3, 1),
            HouseholdType::MarriedOrCohabiting,
            false,
            "2500.00",
        );
        i.housing_costs = Some(m("900.00"));
        i.allowances.zorgtoeslag = Money::ZERO;
        let r = norm(&i);
        assert!(r.corrections.iter().all(|c| !c.applied && c.may_apply));
        assert_eq!(codes(&r), ["CORRECTIE_NIET_TOEGEPAST"; 4]);
        // 0.95 × 1922.07 = 1825.9665 → 1825.97: corrections change nothing.
        assert_eq!(r.norm, m("1825.97"));
    }

    #[test]
    fn increases_are_only_flagged_above_the_bijstandsnorm() {
        // At or below the norm 5% of the income always goes to the debts, so no increase can apply.
        let mut low = input(d(2025, 3, 1), HouseholdType::Single, false, "1200.00");
        low.housing_costs = Some(m("900.00"));
        low.allowances.zorgtoeslag = Money::ZERO;
        assert!(norm(&low).corrections.iter().all(|c| !c.may_apply));
        let high = input(d(2025, 3, 1), HouseholdType::Single, false, "2500.00");
        let flagged: Vec<_> = norm(&high)
            .corrections
            .iter()
            .filter(|c| c.may_apply)
            .map(|c| c.code.code())
            .collect();
        assert_eq!(flagged, ["COMPENSATIEKOP"]);
    }

    #[test]
    fn implausible_input_is_flagged() {
        let mut i = input(d(2025, 3, 1), HouseholdType::Single, false, "25000.00");
        i.housing_costs = Some(m("30000.00"));
        i.allowances.huurtoeslag = m("2000.00");
        let r = norm(&i);
        assert_eq!(
            codes(&r)
                .iter()
                .filter(|c| **c == "INVOER_ONWAARSCHIJNLIJK")
                .count(),
            3
        );
    }

    proptest! {
        #[test]
        fn the_norm_never_exceeds_95_percent_of_the_income_rounded_to_the_cent(
            cents in 0i64..100_000_000, month in 0u32..30, household in 0usize..3, pension in any::<bool>(),
        ) {
            let peildatum = d(2024, 1, 1) + chrono::Months::new(month);
            let i = NormInput {
                net_income: Money::from_cents(cents),
                ..input(peildatum, HouseholdType::ALL[household], pension, "0.00")
            };
            let r = norm(&i);
            prop_assert!(r.norm <= i.net_income.times(SHARE_KEPT));
            prop_assert!(!r.capacity.is_negative());
            prop_assert_eq!(r.capacity, i.net_income - r.norm);
            for step in &r.steps {
                prop_assert_eq!(step.amount, Money::from_cents(step.amount.cents()), "whole cents");
            }
            prop_assert_eq!(r.norm, r.steps[2].amount);
        }

        #[test]
        fn the_norm_is_continuous_and_non_decreasing_in_the_income(
            cents in 0i64..500_000, step in 1i64..100, household in 0usize..3, pension in any::<bool>(),
        ) {
            let at = |c: i64| norm(&NormInput {
                net_income: Money::from_cents(c),
                ..input(d(2025, 8, 1), HouseholdType::ALL[household], pension, "0.00")
            }).norm;
            let (low, high) = (at(cents), at(cents + step));
            prop_assert!(low <= high);
            // 95 % of the extra income, plus at most one cent of rounding.
            prop_assert!((high - low).cents() <= (step * 95 + 99) / 100 + 1);
        }
    }
}
