//! Input problems: each rule, and all of them reported at once.

use super::*;

fn issues(input: &NormInput) -> Vec<(String, &'static str)> {
    match compute(input, &seed_tables()) {
        Err(NormError::Invalid(issues)) => issues.into_iter().map(|i| (i.field, i.code)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn issue(field: &str, code: &'static str) -> (String, &'static str) {
    (field.to_owned(), code)
}

#[test]
fn taxable_income_is_required_above_the_applicable_norm() {
    // Alleenstaande: A = 1401.50. Net 1401.51 is above it: C decides, so it is required.
    assert_eq!(
        issues(&single("1401.51", None)),
        vec![issue("belastbaarJaarinkomen", "verplicht")]
    );
    // At the norm itself 475dc decides (95% × 1401.50 ≤ 0.95 × A) and C may be absent.
    assert_eq!(run(&single("1401.50", None)).beslagvrije_voet, m("1331.43"));
    // Gehuwden: the base is B = 2002.13.
    assert_eq!(
        issues(&couple(false, "2002.14", None)),
        vec![issue("belastbaarJaarinkomen", "verplicht")]
    );
    assert_eq!(
        run(&couple(false, "2002.13", None)).beslagvrije_voet,
        m("1902.02")
    );
    // range() accepts the missing C instead of reporting it.
    assert!(range(&single("1401.51", None), &seed_tables()).is_ok());
}

#[test]
fn taxable_income_is_required_below_the_norm_when_the_spouses_income_makes_it_matter() {
    // Gehuwden, net 1900 ≤ B, partner income 1000: the lowest BVV of art. 475da is 1902.0235;
    // minus min(1000, 951.01175) = 951.01175 < 95% × 1900 = 1805. A higher C raises it, so the
    // outcome depends on C.
    let mut input = couple(false, "1900.00", None);
    input.partner_income = Some(m("1000.00"));
    assert_eq!(
        issues(&input),
        vec![issue("belastbaarJaarinkomen", "verplicht")]
    );
    // Without the partner income 475dc decides: 95% × 1900 = 1805.00.
    input.partner_income = None;
    assert_eq!(run(&input).beslagvrije_voet, m("1805.00"));
}

#[test]
fn taxable_income_is_not_required_above_the_norm_when_the_lid_5_raise_already_reaches_95_percent() {
    // Alleenstaande, net 1500 > A, housing costs 1200 with the raise asked for: the lowest BVV is
    // 95% × 1401.50 + (1200 − 1.1 × 932.93) = 1331.425 + 173.777 = 1505.202, above 95% × 1500 =
    // 1425. Whatever C is, art. 475dc gives 1425.00, so C is not asked for.
    let mut input = single("1500.00", None);
    input.housing_costs = Some(m("1200.00"));
    input.housing_correction = true;
    let result = run(&input);
    assert_eq!(result.beslagvrije_voet, m("1425.00"));
    assert_eq!(result.afloscapaciteit, m("75.00"));
    assert_eq!(
        step_amount(&result, step::INKOMENSTERMEN_NIET_NODIG),
        Some(m("0.00"))
    );
    assert_steps_add_up(&result);
    for c in ["0.00", "99999.00"] {
        input.taxable_yearly_income = Some(m(c));
        assert_eq!(run(&input).beslagvrije_voet, m("1425.00"));
    }
    // Net 1600: 95% is 1520, above that lowest BVV, so C decides again.
    let mut input = single("1600.00", None);
    input.housing_costs = Some(m("1200.00"));
    input.housing_correction = true;
    assert_eq!(
        issues(&input),
        vec![issue("belastbaarJaarinkomen", "verplicht")]
    );
    // Without the raise asked for, net 1500 needs C as before.
    input.net_income = m("1500.00");
    input.housing_correction = false;
    assert_eq!(
        issues(&input),
        vec![issue("belastbaarJaarinkomen", "verplicht")]
    );
}

#[test]
fn every_input_problem_is_reported_at_once() {
    let input = NormInput {
        peildatum: d(2020, 12, 31),
        household: HouseholdType::Single,
        children: Some(true),
        pension_age: false,
        net_income: m("-1.00"),
        taxable_yearly_income: Some(m("-5.00")),
        housing_costs: None,
        housing_correction: true,
        partner_income: Some(m("100.00")),
    };
    assert_eq!(
        issues(&input),
        vec![
            issue("peildatum", "voor_inwerkingtreding"),
            issue("kinderen", "niet_bij_leefvorm"),
            issue("partnerInkomen", "niet_bij_leefvorm"),
            issue("nettoInkomen", "negatief"),
            issue("belastbaarJaarinkomen", "negatief"),
            issue("woonkosten", "verplicht"),
        ]
    );
}

#[test]
fn children_rules_per_household_type() {
    // ALLEENSTAANDE_OUDER: children implied; absent is fine, false contradicts.
    let mut input = single_parent("3000.00", Some("40000.00"));
    input.children = None;
    assert_eq!(run(&input).situation, Situation::SingleParent);
    input.children = Some(false);
    assert_eq!(issues(&input), vec![issue("kinderen", "tegenstrijdig")]);
    // GEHUWD_OF_SAMENWONEND: required, it chooses lid 2 onderdeel c or d.
    let input = input_for_couple_without_answer();
    assert_eq!(issues(&input), vec![issue("kinderen", "verplicht")]);
    // ALLEENSTAANDE: false and absent are fine.
    let mut input = single("3000.00", Some("35000.00"));
    input.children = Some(false);
    assert_eq!(run(&input).beslagvrije_voet, m("1652.10"));
}

fn input_for_couple_without_answer() -> NormInput {
    let mut input = couple(false, "3000.00", Some("40000.00"));
    input.children = None;
    input
}

#[test]
fn negative_and_oversized_amounts_are_reported_per_field() {
    let mut input = couple(false, "3000.00", Some("40000.00"));
    input.housing_costs = Some(m("-1.00"));
    input.partner_income = Some(m("-1.00"));
    assert_eq!(
        issues(&input),
        vec![
            issue("woonkosten", "negatief"),
            issue("partnerInkomen", "negatief")
        ]
    );
    let mut input = single("3000.00", Some("35000.00"));
    input.net_income = Money::from_cents(i64::MAX);
    assert_eq!(issues(&input), vec![issue("nettoInkomen", "te_groot")]);
}

#[test]
fn partner_income_is_only_for_gehuwden() {
    let mut input = single_parent("3000.00", Some("40000.00"));
    input.partner_income = Some(m("0.00"));
    assert_eq!(
        issues(&input),
        vec![issue("partnerInkomen", "niet_bij_leefvorm")]
    );
}

#[test]
fn the_housing_correction_needs_the_housing_costs() {
    let mut input = single("3000.00", Some("35000.00"));
    input.housing_correction = true;
    assert_eq!(issues(&input), vec![issue("woonkosten", "verplicht")]);
}

#[test]
fn a_peildatum_before_2021_and_before_the_first_table_is_reported_once() {
    let mut input = single("3000.00", Some("35000.00"));
    input.peildatum = d(2020, 1, 1);
    assert_eq!(
        issues(&input),
        vec![issue("peildatum", "voor_inwerkingtreding")]
    );
    // Between 2021 and the first table, together with another problem: both at once.
    input.peildatum = d(2024, 1, 1);
    input.net_income = m("-1.00");
    assert_eq!(
        issues(&input),
        vec![
            issue("nettoInkomen", "negatief"),
            issue("peildatum", "voor_eerste_tabel")
        ]
    );
}

#[test]
fn issues_name_only_dutch_api_fields() {
    let known = [
        field::PEILDATUM,
        field::LEEFVORM,
        field::KINDEREN,
        field::PENSIOENGERECHTIGD,
        field::NETTO_INKOMEN,
        field::BELASTBAAR_JAARINKOMEN,
        field::WOONKOSTEN,
        field::WOONKOSTENCORRECTIE,
        field::PARTNER_INKOMEN,
    ];
    let input = NormInput {
        peildatum: d(2019, 1, 1),
        household: HouseholdType::SingleParent,
        children: Some(false),
        pension_age: true,
        net_income: m("-1.00"),
        taxable_yearly_income: Some(m("-1.00")),
        housing_costs: Some(m("-1.00")),
        housing_correction: true,
        partner_income: Some(m("-1.00")),
    };
    for (field, _) in issues(&input) {
        assert!(known.contains(&field.as_str()), "{field}");
    }
}
