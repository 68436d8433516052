//! Dated norm tables: each a set of parameters valid from a date, every value with its source.

use chrono::NaiveDate;

use crate::domain::decision::{Decision, Effects, Write};
use crate::domain::money::Money;
use crate::domain::validation::{FieldIssue, check_text};

/// A figure the norm depends on. Percentages fixed by law are not parameters but constants in
/// the engine, with their legal source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Parameter {
    /// Bijstandsnorm incl. vakantietoeslag per month, single person or single parent, 21 to
    /// pension age (art. 21 Participatiewet).
    SingleNorm,
    /// The same for married or cohabiting persons (art. 21 Participatiewet).
    CoupleNorm,
    /// Single person or single parent of pension age (art. 22 Participatiewet).
    SinglePensionNorm,
    /// Married or cohabiting, one or both of pension age (art. 22 Participatiewet).
    CouplePensionNorm,
}

impl Parameter {
    pub const ALL: [Parameter; 4] = [
        Parameter::SingleNorm,
        Parameter::CoupleNorm,
        Parameter::SinglePensionNorm,
        Parameter::CouplePensionNorm,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Parameter::SingleNorm => "BIJSTANDSNORM_ALLEENSTAANDE",
            Parameter::CoupleNorm => "BIJSTANDSNORM_GEHUWDEN",
            Parameter::SinglePensionNorm => "BIJSTANDSNORM_ALLEENSTAANDE_PENSIOEN",
            Parameter::CouplePensionNorm => "BIJSTANDSNORM_GEHUWDEN_PENSIOEN",
        }
    }

    pub fn from_code(code: &str) -> Option<Parameter> {
        Parameter::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn description(self) -> &'static str {
        match self {
            Parameter::SingleNorm => {
                "bijstandsnorm incl. vakantietoeslag, alleenstaande of alleenstaande ouder, 21 jaar tot pensioenleeftijd"
            }
            Parameter::CoupleNorm => {
                "bijstandsnorm incl. vakantietoeslag, gehuwden of samenwonenden, 21 jaar tot pensioenleeftijd"
            }
            Parameter::SinglePensionNorm => {
                "bijstandsnorm incl. vakantietoeslag, alleenstaande of alleenstaande ouder, pensioengerechtigd"
            }
            Parameter::CouplePensionNorm => {
                "bijstandsnorm incl. vakantietoeslag, gehuwden of samenwonenden, één of beiden pensioengerechtigd"
            }
        }
    }

    pub fn legal_source(self) -> &'static str {
        match self {
            Parameter::SingleNorm | Parameter::CoupleNorm => "art. 21 Participatiewet",
            Parameter::SinglePensionNorm | Parameter::CouplePensionNorm => {
                "art. 22 Participatiewet"
            }
        }
    }

    /// Norms for 21 to pension age must be in every table; pension-age norms may lag behind
    /// (they are published separately) and are then taken from the newest table that has them.
    fn required(self) -> bool {
        matches!(self, Parameter::SingleNorm | Parameter::CoupleNorm)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterValue {
    pub parameter: Parameter,
    pub amount: Money,
    /// Where the figure comes from, so that anyone can check it.
    pub source: String,
    /// Whether the figure was checked against an official publication.
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormTable {
    pub valid_from: NaiveDate,
    pub values: Vec<ParameterValue>,
}

impl NormTable {
    pub fn value(&self, parameter: Parameter) -> Option<&ParameterValue> {
        self.values.iter().find(|v| v.parameter == parameter)
    }
}

/// Adds the next table: validated against the existing ones; nothing existing changes.
pub fn add_table(
    table: NormTable,
    existing: &[NormTable],
) -> Result<Decision<NormTable>, Vec<FieldIssue>> {
    let issues = validate_new_table(&table, existing);
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(Decision {
        writes: vec![Write::NormTable(table.clone())],
        value: table,
        effects: Effects::default(),
    })
}

/// Checks a table an administrator adds: it starts after the newest existing table (history is
/// never rewritten), holds each parameter at most once, the required ones, positive amounts with
/// a source, and a single norm below the couple norm. Every problem is returned.
pub fn validate_new_table(table: &NormTable, existing: &[NormTable]) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(newest) = existing.iter().map(|t| t.valid_from).max()
        && table.valid_from <= newest
    {
        issues.push(FieldIssue::new(
            "geldigVanaf",
            "niet_na_nieuwste",
            format!(
                "moet na de nieuwste tabel ({}) liggen: bestaande tabellen worden nooit gewijzigd",
                crate::domain::text::date(newest)
            ),
        ));
    }
    for (index, value) in table.values.iter().enumerate() {
        let field = |name: &str| format!("parameters[{index}].{name}");
        if table.values[..index]
            .iter()
            .any(|v| v.parameter == value.parameter)
        {
            issues.push(FieldIssue::new(
                field("code"),
                "dubbel",
                "komt al eerder in deze tabel voor",
            ));
        }
        if !value.amount.is_positive() {
            issues.push(FieldIssue::new(
                field("bedrag"),
                "niet_positief",
                "moet groter dan 0.00 zijn",
            ));
        }
        issues.extend(check_text(&field("bron"), &value.source, 500));
    }
    for parameter in Parameter::ALL.into_iter().filter(|p| p.required()) {
        if table.value(parameter).is_none() {
            issues.push(FieldIssue::new(
                "parameters",
                "ontbreekt",
                format!(
                    "{} ontbreekt; die is in elke tabel verplicht",
                    parameter.code()
                ),
            ));
        }
    }
    let pairs = [
        (Parameter::SingleNorm, Parameter::CoupleNorm),
        (Parameter::SinglePensionNorm, Parameter::CouplePensionNorm),
    ];
    for (single, couple) in pairs {
        if let (Some(s), Some(c)) = (table.value(single), table.value(couple))
            && s.amount >= c.amount
        {
            issues.push(FieldIssue::new(
                "parameters",
                "onlogisch",
                format!(
                    "{} moet lager zijn dan {} (wettelijk 70%)",
                    single.code(),
                    couple.code()
                ),
            ));
        }
    }
    issues
}

/// The tables this service starts with (DESIGN §5.1). Figures of 2024 and 2025 come from
/// municipal publications of the Rijksoverheid figures; those of 1 January 2026 from a secondary
/// source that could not be checked against an official publication, so they are marked
/// unconfirmed and every result using them says so. Pension-age norms for 2026 are not known.
pub fn seed_tables() -> Vec<NormTable> {
    struct Row {
        from: (i32, u32),
        single: i64,
        couple: i64,
        pension: Option<(i64, i64)>,
        source: &'static str,
        confirmed: bool,
    }
    let rows = [
        Row {
            from: (2024, 1),
            single: 128_383,
            couple: 183_404,
            pension: Some((142_576, 193_398)),
            source: "Normen Participatiewet per 1 januari 2024, gemeente Velsen (velsen.nl), naar de bedragen van de Rijksoverheid",
            confirmed: true,
        },
        Row {
            from: (2024, 7),
            single: 130_845,
            couple: 186_921,
            pension: Some((145_685, 197_664)),
            source: "Normen Participatiewet per 1 juli 2024, gemeente Velsen (velsen.nl), naar de bedragen van de Rijksoverheid",
            confirmed: true,
        },
        Row {
            from: (2025, 1),
            single: 134_545,
            couple: 192_207,
            pension: Some((150_107, 205_348)),
            source: "Normen Participatiewet per 1 januari 2025, gemeente Westland (gemeentewestland.nl), naar de bedragen van de Rijksoverheid",
            confirmed: true,
        },
        Row {
            from: (2025, 7),
            single: 136_906,
            couple: 195_580,
            pension: Some((153_021, 209_498)),
            source: "Normenbrief Participatiewet per 1 juli 2025, Stimulansz, naar de bedragen van de Rijksoverheid",
            confirmed: true,
        },
        Row {
            from: (2026, 1),
            single: 140_150,
            couple: 200_213,
            pension: None,
            source: "Secundaire bron, nog te bevestigen met de normenbrief van SZW per 1 januari 2026 \
                     (1401.50 is geen 70% van 2002.13, wat 1401.49 zou zijn)",
            confirmed: false,
        },
    ];
    rows.into_iter()
        .filter_map(|row| {
            let valid_from = NaiveDate::from_ymd_opt(row.from.0, row.from.1, 1)?;
            let value = |parameter, cents| ParameterValue {
                parameter,
                amount: Money::from_cents(cents),
                source: row.source.to_owned(),
                confirmed: row.confirmed,
            };
            let mut values = vec![
                value(Parameter::SingleNorm, row.single),
                value(Parameter::CoupleNorm, row.couple),
            ];
            if let Some((single, couple)) = row.pension {
                values.push(value(Parameter::SinglePensionNorm, single));
                values.push(value(Parameter::CouplePensionNorm, couple));
            }
            Some(NormTable { valid_from, values })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::d;

    #[test]
    fn the_seed_holds_the_five_tables_of_the_design_in_order() {
        let tables = seed_tables();
        let dates: Vec<_> = tables.iter().map(|t| t.valid_from).collect();
        assert_eq!(
            dates,
            [
                d(2024, 1, 1),
                d(2024, 7, 1),
                d(2025, 1, 1),
                d(2025, 7, 1),
                d(2026, 1, 1)
            ]
        );
        assert_eq!(
            tables[4]
                .value(Parameter::SingleNorm)
                .unwrap()
                .amount
                .to_string(),
            "1401.50"
        );
        assert!(!tables[4].value(Parameter::SingleNorm).unwrap().confirmed);
        assert!(tables[4].value(Parameter::SinglePensionNorm).is_none());
        assert_eq!(
            tables[3]
                .value(Parameter::CouplePensionNorm)
                .unwrap()
                .amount
                .to_string(),
            "2094.98"
        );
    }

    #[test]
    fn every_seeded_table_passes_the_checks_against_the_ones_before_it() {
        let tables = seed_tables();
        for (i, table) in tables.iter().enumerate() {
            assert_eq!(
                validate_new_table(table, &tables[..i]),
                vec![],
                "{}",
                table.valid_from
            );
        }
    }

    #[test]
    fn a_new_table_may_not_rewrite_history_and_reports_every_problem() {
        let existing = seed_tables();
        let bad = NormTable {
            valid_from: d(2026, 1, 1),
            values: vec![
                ParameterValue {
                    parameter: Parameter::SingleNorm,
                    amount: Money::from_cents(250_000),
                    source: String::new(),
                    confirmed: true,
                },
                ParameterValue {
                    parameter: Parameter::SingleNorm,
                    amount: Money::ZERO,
                    source: "x".into(),
                    confirmed: true,
                },
                ParameterValue {
                    parameter: Parameter::CoupleNorm,
                    amount: Money::from_cents(200_000),
                    source: "x".into(),
                    confirmed: true,
                },
            ],
        };
        let fields: Vec<_> = validate_new_table(&bad, &existing)
            .into_iter()
            .map(|i| (i.field, i.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("geldigVanaf".to_string(), "niet_na_nieuwste"),
                ("parameters[0].bron".to_string(), "leeg"),
                ("parameters[1].code".to_string(), "dubbel"),
                ("parameters[1].bedrag".to_string(), "niet_positief"),
                ("parameters".to_string(), "onlogisch"),
            ]
        );
    }

    #[test]
    fn required_norms_must_be_present() {
        let table = NormTable {
            valid_from: d(2030, 1, 1),
            values: vec![],
        };
        let codes: Vec<_> = validate_new_table(&table, &[])
            .into_iter()
            .map(|i| i.reason)
            .collect();
        assert_eq!(codes.len(), 2);
        assert!(codes[0].contains("BIJSTANDSNORM_ALLEENSTAANDE"));
    }
}
