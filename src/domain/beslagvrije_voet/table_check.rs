//! Checks on a table an administrator adds. Every problem is returned at once, named by the field
//! of the API (`geldigVanaf`, `parameters`, `parameters[i].code`, `parameters[i].waarde`,
//! `parameters[i].bron`).

use chrono::Datelike;
use rust_decimal::Decimal;

use super::engine::next_half_year;
use super::parameters::{NormTable, Parameter, Unit};
use super::self_check::lid8_self_check;
use crate::domain::audit::{AuditEntry, Audited, Register};
use crate::domain::authorization::Access;
use crate::domain::decision::{Decision, Effects, Write};
use crate::domain::text::{date, euro};
use crate::domain::validation::{FieldIssue, check_text};

/// The largest value accepted for any figure: far above any real one, low enough that no
/// computation with it can overflow.
const MAX_VALUE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// Adds the next table: validated against the existing ones; nothing existing changes.
pub fn add_table(
    access: &Access,
    table: NormTable,
    existing: &[NormTable],
) -> Result<Decision<NormTable>, Vec<FieldIssue>> {
    let issues = validate_new_table(&table, existing);
    if !issues.is_empty() {
        return Err(issues);
    }
    let audit = AuditEntry::of(
        &access.actor,
        Register::NormTables,
        &table.valid_from.to_string(),
        None,
        &table,
    );
    Ok(Decision {
        writes: vec![Write::NormTable(table.clone())],
        value: table,
        effects: Effects::audited(audit),
    })
}

/// A table is only ever added: each figure with its source.
impl Audited for NormTable {
    fn audited_fields(&self) -> Vec<(String, Option<String>)> {
        self.values
            .iter()
            .map(|v| {
                let confirmed = if v.confirmed { "" } else { " (onbevestigd)" };
                (
                    v.parameter.code().to_owned(),
                    Some(format!("{} — {}{confirmed}", v.value, v.source)),
                )
            })
            .collect()
    }
}

/// Checks `table` against the law's structure and the tables that exist: it is the next half-year
/// after the newest (history is never rewritten, and a gap, or a year mistyped, could never be
/// filled or undone) on 1 January or 1 July, holds each parameter at most once and every required
/// one, with positive values in cents (amounts) and a source, in sensible relations — and it
/// passes the self-check of art. 475da lid 8 Rv.
pub fn validate_new_table(table: &NormTable, existing: &[NormTable]) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(newest) = existing.iter().map(|t| t.valid_from).max() {
        let next = next_half_year(newest);
        if table.valid_from <= newest {
            issues.push(FieldIssue::new(
                "geldigVanaf",
                "niet_na_nieuwste",
                format!(
                    "moet na de nieuwste tabel ({}) liggen: bestaande tabellen worden nooit gewijzigd",
                    date(newest)
                ),
            ));
        } else if table.valid_from > next {
            issues.push(FieldIssue::new(
                "geldigVanaf",
                "niet_aansluitend",
                format!(
                    "moet {} zijn, het halfjaar na de nieuwste tabel ({}): daartussen zou geen \
                     tabel gelden",
                    date(next),
                    date(newest)
                ),
            ));
        }
    }
    if table.valid_from.day() != 1 || !matches!(table.valid_from.month(), 1 | 7) {
        issues.push(FieldIssue::new(
            "geldigVanaf",
            "geen_halfjaar",
            "moet 1 januari of 1 juli zijn: de bedragen veranderen per 1 januari en 1 juli (artikel 475da, \
             achtste lid, Rv)",
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
        if value.value <= Decimal::ZERO {
            issues.push(FieldIssue::new(
                field("waarde"),
                "niet_positief",
                "moet groter dan 0 zijn",
            ));
        } else if value.value > MAX_VALUE {
            issues.push(FieldIssue::new(
                field("waarde"),
                "te_groot",
                "is onwaarschijnlijk groot",
            ));
        }
        match value.parameter.unit() {
            Unit::EuroPerMonth | Unit::EuroPerYear if value.value.normalize().scale() > 2 => {
                issues.push(FieldIssue::new(
                    field("waarde"),
                    "te_veel_decimalen",
                    "een bedrag heeft hoogstens twee decimalen",
                ));
            }
            Unit::Percentage if value.value > Decimal::ONE_HUNDRED => {
                issues.push(FieldIssue::new(
                    field("waarde"),
                    "te_groot",
                    "een percentage is hoogstens 100",
                ));
            }
            _ => {}
        }
        issues.extend(check_text(&field("bron"), &value.source, 500));
    }
    for parameter in Parameter::ALL.into_iter().filter(|p| p.required()) {
        if table.value(parameter).is_none() {
            issues.push(FieldIssue::new(
                "parameters",
                "ontbreekt",
                format!(
                    "{} ontbreekt; die is in elke tabel verplicht ({})",
                    parameter.code(),
                    parameter.legal_source()
                ),
            ));
        }
    }
    issues.extend(relations(table));
    if issues.is_empty() {
        for check in lid8_self_check(table) {
            if !check.passes() {
                issues.push(FieldIssue::new(
                    "parameters",
                    "lid8_afwijking",
                    format!(
                        "{}: de formule van artikel 475da, tweede lid, Rv geeft bij het inkomen van het achtste lid \
                         {} in plaats van het gepubliceerde maximum {}; een van de bedragen klopt niet",
                        check.maximum.code(),
                        check.computed.map_or("geen uitkomst".to_owned(), euro),
                        check.published.map_or("(ontbreekt)".to_owned(), euro)
                    ),
                ));
            }
        }
    }
    issues
}

/// Relations the law implies between figures.
fn relations(table: &NormTable) -> Vec<FieldIssue> {
    let value = |p: Parameter| table.value(p).map(|v| v.value);
    let mut issues = Vec::new();
    let mut less = |small: Parameter, large: Parameter, why: &str| {
        if let (Some(s), Some(l)) = (value(small), value(large))
            && s >= l
        {
            issues.push(FieldIssue::new(
                "parameters",
                "onlogisch",
                format!(
                    "{} moet lager zijn dan {} ({why})",
                    small.code(),
                    large.code()
                ),
            ));
        }
    };
    less(
        Parameter::SingleNorm,
        Parameter::CoupleNorm,
        "artikel 21 Participatiewet",
    );
    less(
        Parameter::BaseRentSingle,
        Parameter::MaximumRent,
        "de basishuur ligt onder de maximale huurgrens",
    );
    less(
        Parameter::BaseRentMultiple,
        Parameter::MaximumRent,
        "de basishuur ligt onder de maximale huurgrens",
    );
    less(
        Parameter::MaximumSingle,
        Parameter::MaximumSingleParent,
        "artikel 475da, eerste lid, Rv",
    );
    less(
        Parameter::MaximumCoupleWithoutChildren,
        Parameter::MaximumCoupleWithChildren,
        "artikel 475da, eerste lid, Rv",
    );
    let floors = [
        (Parameter::MaximumSingle, Parameter::SingleNorm),
        (Parameter::MaximumSingleParent, Parameter::SingleNorm),
        (
            Parameter::MaximumCoupleWithoutChildren,
            Parameter::CoupleNorm,
        ),
        (Parameter::MaximumCoupleWithChildren, Parameter::CoupleNorm),
    ];
    for (maximum, norm) in floors {
        if let (Some(m), Some(n)) = (value(maximum), value(norm))
            && n.checked_mul(Decimal::new(95, 2))
                .is_some_and(|floor| m < floor)
        {
            issues.push(FieldIssue::new(
                "parameters",
                "onlogisch",
                format!(
                    "{} is lager dan 95% van {}: de eerste term van artikel 475da, tweede lid, Rv alleen is al hoger",
                    maximum.code(),
                    norm.code()
                ),
            ));
        }
    }
    issues
}
