//! The range of beslagvrije voeten the law allows when the taxable income is unknown.

use super::*;

#[test]
fn without_taxable_income_the_range_runs_from_the_lowest_c_to_the_maximum() {
    // Alleenstaande, net 3000, no C. Lowest: all income terms 0 at C = 0: 0.95 × 1401.50 =
    // 1331.425 → 1331.43. Highest: 1331.425 + zorg cap 129.58333 + (H − J) 730.41 = 2191.41833
    // → 2191.42, the maximum of lid 1. 95% × 3000 = 2850 caps neither.
    let result = range(&single("3000.00", None), &seed_tables()).expect("range");
    assert_eq!(result.lowest, m("1331.43"));
    assert_eq!(result.highest, m("2191.42"));
    assert_eq!(result.missing, vec!["belastbaarJaarinkomen"]);
    assert_eq!(result.table_valid_from, d(2026, 1, 1));
}

#[test]
fn the_range_applies_475db_and_475dc_to_both_ends() {
    // Gehuwden met kinderen, net 2000, partner income 200, no C.
    // Lowest: 1902.0235 − 200 = 1702.0235 → 1702.02 (95% × 2000 = 1900 not reached).
    // Highest: the maximum 3155.31 − 200 = 2955.31, capped by 475dc at 1900.00.
    let mut input = couple(true, "2000.00", None);
    input.partner_income = Some(m("200.00"));
    let result = range(&input, &seed_tables()).expect("range");
    assert_eq!(result.lowest, m("1702.02"));
    assert_eq!(result.highest, m("1900.00"));
}

#[test]
fn with_a_known_taxable_income_the_range_is_the_computed_value() {
    let input = single_parent("3000.00", Some("40000.00"));
    let result = range(&input, &seed_tables()).expect("range");
    assert_eq!(result.lowest, m("1669.71"));
    assert_eq!(result.highest, m("1669.71"));
    assert!(result.missing.is_empty());
    assert_eq!(run(&input).beslagvrije_voet, m("1669.71"));
}

#[test]
fn when_475dc_decides_the_range_is_a_single_value() {
    // Alleenstaande, net 1000 ≤ A: 95% × 1000 = 950 at every C.
    let result = range(&single("1000.00", None), &seed_tables()).expect("range");
    assert_eq!((result.lowest, result.highest), (m("950.00"), m("950.00")));
    assert_eq!(run(&single("1000.00", None)).beslagvrije_voet, m("950.00"));
}

#[test]
fn the_range_still_reports_other_input_problems() {
    let mut input = single("3000.00", None);
    input.children = Some(true);
    assert!(matches!(
        range(&input, &seed_tables()),
        Err(NormError::Invalid(issues)) if issues.len() == 1 && issues[0].field == "kinderen"
    ));
}
