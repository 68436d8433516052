//! The seeded tables and the checks on new tables.

use super::*;
use rust_decimal::Decimal;

#[test]
fn seeded_tables_are_complete_confirmed_and_pass_the_checks_for_new_tables() {
    let tables = seed_tables();
    assert_eq!(tables.len(), 2);
    for (index, table) in tables.iter().enumerate() {
        for parameter in Parameter::ALL {
            let value = table
                .value(parameter)
                .unwrap_or_else(|| panic!("{} missing on {}", parameter.code(), table.valid_from));
            assert!(value.confirmed, "{}", parameter.code());
            assert!(value.source.len() > 20, "{}", parameter.code());
        }
        assert_eq!(
            validate_new_table(table, &tables[..index]),
            Vec::new(),
            "{}",
            table.valid_from
        );
    }
}

#[test]
fn seeded_norms_are_those_of_the_participatiewet_texts() {
    // Art. 21 onderdeel a / b Pw, consolidated texts of 1 January and 1 July 2026.
    let tables = seed_tables();
    let pair = |t: &NormTable| {
        (
            t.value(Parameter::SingleNorm).map(|v| v.value),
            t.value(Parameter::CoupleNorm).map(|v| v.value),
        )
    };
    assert_eq!(
        pair(&tables[0]),
        (
            Some(Decimal::new(140_150, 2)),
            Some(Decimal::new(200_213, 2))
        )
    );
    assert_eq!(
        pair(&tables[1]),
        (
            Some(Decimal::new(141_946, 2)),
            Some(Decimal::new(202_779, 2))
        )
    );
}

#[test]
fn parameter_codes_are_stable_and_round_trip() {
    let mut codes: Vec<&str> = Parameter::ALL.iter().map(|p| p.code()).collect();
    for parameter in Parameter::ALL {
        assert_eq!(Parameter::from_code(parameter.code()), Some(parameter));
        assert!(!parameter.description().is_empty());
        assert!(!parameter.legal_source().is_empty());
        assert!(!parameter.unit().label().is_empty());
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), Parameter::ALL.len());
    assert_eq!(Parameter::from_code("ONBEKEND"), None);
    assert_eq!(Parameter::SingleNorm.code(), "BIJSTANDSNORM_ALLEENSTAANDE");
    assert_eq!(Parameter::MaximumRent.symbol(), Some("H"));
    assert_eq!(Parameter::HealthAllowanceRate.unit(), Unit::Percentage);
}

fn next_table() -> NormTable {
    let mut table = seed_tables().remove(1);
    table.valid_from = d(2027, 1, 1);
    table
}

fn issue_list(table: &NormTable) -> Vec<(String, &'static str)> {
    validate_new_table(table, &seed_tables())
        .into_iter()
        .map(|i| (i.field, i.code))
        .collect()
}

#[test]
fn a_new_table_is_the_half_year_right_after_the_newest() {
    let mut table = next_table();
    assert_eq!(issue_list(&table), Vec::new());
    table.valid_from = d(2026, 7, 1);
    assert_eq!(
        issue_list(&table),
        vec![("geldigVanaf".to_owned(), "niet_na_nieuwste")]
    );
    table.valid_from = d(2027, 2, 1);
    assert_eq!(
        issue_list(&table),
        vec![
            ("geldigVanaf".to_owned(), "niet_aansluitend"),
            ("geldigVanaf".to_owned(), "geen_halfjaar")
        ]
    );
    // A year mistyped (2072 for 2027) would block every table after it for good.
    for gap in [d(2027, 7, 1), d(2072, 1, 1)] {
        table.valid_from = gap;
        assert_eq!(
            issue_list(&table),
            vec![("geldigVanaf".to_owned(), "niet_aansluitend")]
        );
    }
}

#[test]
fn a_new_table_reports_duplicates_bad_values_sources_and_missing_parameters() {
    let mut table = next_table();
    let duplicate = table.values[0].clone();
    table.values.push(duplicate); // index 22, index 21 once STANDAARDPREMIE (21) is removed
    table.values[1].value = Decimal::ZERO; // B
    table.values[2].source = " ".to_owned();
    table.values[4].value = Decimal::new(5_000_001, 3); // 5000.001 euro: too many decimals
    table
        .values
        .retain(|v| v.parameter != Parameter::StandardPremium);
    let issues = issue_list(&table);
    assert!(
        issues.contains(&("parameters[21].code".to_owned(), "dubbel")),
        "{issues:?}"
    );
    assert!(issues.contains(&("parameters[1].waarde".to_owned(), "niet_positief")));
    assert!(issues.contains(&("parameters[2].bron".to_owned(), "leeg")));
    assert!(issues.contains(&("parameters[4].waarde".to_owned(), "te_veel_decimalen")));
    assert!(issues.contains(&("parameters".to_owned(), "ontbreekt")));
}

#[test]
fn a_new_table_whose_figures_do_not_reproduce_its_maxima_is_rejected() {
    // A typo in H (923.93 instead of 932.93) breaks art. 475da lid 8 for all four maxima.
    let mut table = next_table();
    for value in &mut table.values {
        if value.parameter == Parameter::MaximumRent {
            value.value = Decimal::new(92_393, 2);
        }
    }
    let issues = issue_list(&table);
    assert_eq!(issues.len(), 4, "{issues:?}");
    assert!(
        issues
            .iter()
            .all(|(f, c)| f == "parameters" && *c == "lid8_afwijking")
    );
}

#[test]
fn a_new_table_with_illogical_relations_is_rejected() {
    let mut table = next_table();
    for value in &mut table.values {
        if value.parameter == Parameter::SingleNorm {
            value.value = Decimal::new(300_000, 2); // above B
        }
    }
    let issues = issue_list(&table);
    assert!(
        issues.contains(&("parameters".to_owned(), "onlogisch")),
        "{issues:?}"
    );
}

#[test]
fn the_amounts_change_on_the_first_day_of_each_half_year_whether_a_table_is_posted_or_not() {
    assert!(!amounts_change_between(d(2026, 12, 30), d(2026, 12, 31)));
    assert!(amounts_change_between(d(2026, 12, 31), d(2027, 1, 1)));
    assert!(amounts_change_between(d(2026, 6, 20), d(2026, 7, 3)));
    assert!(!amounts_change_between(d(2026, 7, 1), d(2026, 12, 31)));
}
