//! Whole computations: the anchor of the issue, the rules after lid 2, and the table edges.

use super::*;
use rust_decimal::Decimal;

#[test]
fn anchor_alleenstaande_with_60000_taxable_income_in_january_2026_keeps_2191_42() {
    // The issue: the old approximation 0.95 × min(income, 1401.50) gives 1331.43; the law gives
    // 1331.425 + min(346.27…, 129.58333) + min(822.9375, 730.41) = 2191.41833 → 2191.42, which is
    // also the maximum of lid 1 onderdeel a. Net income 4000: 95% = 3800, so art. 475dc does not bite.
    let result = run(&single("4000.00", Some("60000.00")));
    assert_eq!(result.beslagvrije_voet, m("2191.42"));
    assert_eq!(result.afloscapaciteit, m("1808.58"));
    assert_eq!(result.table_valid_from, d(2026, 1, 1));
    assert_eq!(result.situation, Situation::Single);
    assert!(result.not_computed.is_empty());
    assert!(result.warnings.is_empty(), "{:?}", result.warnings);
    // The sum stays (just) below the maximum: the maximum step is € 0,00 … the steps 1331.43 +
    // 129.58 + 730.41 = 2191.42 add up without a rounding line.
    assert_eq!(step_amount(&result, step::MAXIMUM_LID_1), Some(m("0.00")));
    assert_eq!(step_amount(&result, step::AFRONDING), None);
    assert_steps_add_up(&result);
}

#[test]
fn above_the_maximum_lid_1_caps_the_beslagvrije_voet() {
    // Alleenstaande ouder, C = 100000: kind term (100000 − 29735.424) / 12 × 7.60% = 445.00898…,
    // sum 1331.425 + 129.58333 + 732.22 + 445.00898 = 2638.237… > 2526.69: capped at 2526.69; the
    // maximum step is 2526.69 − 2638.23731… = −111.54731… → −111.55.
    let result = run(&single_parent("5000.00", Some("100000.00")));
    assert_eq!(result.beslagvrije_voet, m("2526.69"));
    assert_eq!(
        step_amount(&result, step::MAXIMUM_LID_1),
        Some(m("-111.55"))
    );
    assert_steps_add_up(&result);
}

#[test]
fn the_july_2026_table_applies_from_1_july() {
    // Alleenstaande, C = 60000 on 1 July 2026: 0.95 × 1419.46 = 1348.487 + 129.58333 + 730.41
    // = 2208.48033 → 2208.48 (the maximum of that half-year).
    let mut input = single("4000.00", Some("60000.00"));
    input.peildatum = d(2026, 7, 1);
    let result = run(&input);
    assert_eq!(result.table_valid_from, d(2026, 7, 1));
    assert_eq!(result.beslagvrije_voet, m("2208.48"));
    input.peildatum = d(2026, 6, 30);
    assert_eq!(run(&input).beslagvrije_voet, m("2191.42"));
}

#[test]
fn pension_age_uses_the_article_21_norms_and_the_same_terms() {
    // Art. 475da lid 2 Rv names art. 21 onderdeel a/b Participatiewet for everyone: the pension-age
    // norm of art. 22 (1564.69 for a single person in January 2026) does not enter.
    let base = single("3000.00", Some("35000.00"));
    let mut pension = base.clone();
    pension.pension_age = true;
    let (without, with) = (run(&base), run(&pension));
    assert_eq!(with.beslagvrije_voet, without.beslagvrije_voet);
    assert_eq!(with.steps, without.steps);
    assert_eq!(with.beslagvrije_voet, m("1652.10"));
    assert!(
        with.assumptions
            .iter()
            .any(|a| a.contains("pensioengerechtigde leeftijd") && a.contains("artikel 21"))
    );
    assert!(
        !without
            .assumptions
            .iter()
            .any(|a| a.contains("pensioengerechtigde leeftijd"))
    );
}

#[test]
fn below_the_thresholds_the_income_terms_are_zero_not_negative() {
    // Alleenstaande, C = 20000 < D (29735.424) and < ijkpunt (23425): D becomes C, so the zorg
    // term is 0 (C − D = 0, never negative); I = 20000 − 23425 = −3425 < 0, and huurtoeslag only
    // falls above the ijkpunt (art. 21 lid 2 Wht), so the huur term is 0 (not −77.06).
    // BVV 1331.425 → 1331.43 (net 1500: 95% = 1425, not reached).
    let result = run(&single("1500.00", Some("20000.00")));
    assert_eq!(step_amount(&result, step::ZORGTOESLAGTERM), Some(m("0.00")));
    assert_eq!(step_amount(&result, step::HUURTOESLAGTERM), Some(m("0.00")));
    assert_eq!(result.beslagvrije_voet, m("1331.43"));
    assert_steps_add_up(&result);

    // Gehuwden met kinderen, C = 35000: C − (D + L) = 35000 − 39140.424 = −4140.424; the child
    // term is 0, not −26.22 (art. 2 lid 8 Wkb lowers the budget only above D + L).
    // Zorg (35000 − 29735.424) × 0.1373 / 12 = 60.23552; huur 3500 × 22% / 12 = 64.16667;
    // BVV 1902.0235 + 60.23552 + 64.16667 = 2026.42569 → 2026.43.
    let result = run(&couple(true, "3000.00", Some("35000.00")));
    assert_eq!(
        step_amount(&result, step::KINDGEBONDEN_BUDGETTERM),
        Some(m("0.00"))
    );
    assert_eq!(result.beslagvrije_voet, m("2026.43"));
    assert_steps_add_up(&result);
}

#[test]
fn partner_income_lowers_the_beslagvrije_voet_by_at_most_half() {
    // Gehuwden zonder kinderen, C = 40000: art. 475da gives 2175.30069 (see the terms test).
    // Partner income 500: 500 < half (1087.65035): BVV 1675.30069 → 1675.30.
    let mut input = couple(false, "3000.00", Some("40000.00"));
    input.partner_income = Some(m("500.00"));
    let result = run(&input);
    assert_eq!(
        step_amount(&result, step::KORTING_INKOMEN_ECHTGENOOT),
        Some(m("-500.00"))
    );
    assert_eq!(result.beslagvrije_voet, m("1675.30"));
    assert_steps_add_up(&result);

    // Partner income 1500: more than half, so only 1087.650345 goes off: 1087.650345 → 1087.65.
    input.partner_income = Some(m("1500.00"));
    let result = run(&input);
    assert_eq!(
        step_amount(&result, step::KORTING_INKOMEN_ECHTGENOOT),
        Some(m("-1087.65"))
    );
    assert_eq!(result.beslagvrije_voet, m("1087.65"));
    assert_eq!(result.afloscapaciteit, m("1912.35"));
    assert_steps_add_up(&result);
}

#[test]
fn the_spouse_reduction_comes_before_the_95_percent_cap_and_own_income_is_not_deducted_twice() {
    // Gehuwden zonder kinderen, C = 40000, partner income 500, net 1700: after 475db the BVV is
    // 1675.30069; 95% of 1700 = 1615 is lower, so 475dc makes it 1615.00 (the cap applies to the
    // result of 475da and 475db together). The debtor's own income is all in nettoInkomen and is
    // not deducted again (art. 475db lid 1 onderdeel b is reflected by the whole-income view).
    let mut input = couple(false, "1700.00", Some("40000.00"));
    input.partner_income = Some(m("500.00"));
    let result = run(&input);
    assert_eq!(result.beslagvrije_voet, m("1615.00"));
    assert_eq!(result.afloscapaciteit, m("85.00"));
    let codes: Vec<&str> = result.steps.iter().map(|s| s.code).collect();
    let spouse = codes
        .iter()
        .position(|c| *c == step::KORTING_INKOMEN_ECHTGENOOT);
    let cap = codes
        .iter()
        .position(|c| *c == step::MAXIMUM_95_PROCENT_INKOMEN);
    assert!(spouse < cap);
    assert!(
        result
            .assumptions
            .iter()
            .any(|a| a.contains("artikel 475db, eerste lid, onderdeel b"))
    );
    assert_steps_add_up(&result);
}

#[test]
fn never_more_than_95_percent_of_the_income() {
    // Alleenstaande, C = 35000 (formula 1652.09802), net 1600: 95% × 1600 = 1520 → 1520.00.
    // Cap step 1520 − 1652.09802 = −132.09802 → −132.10; steps 1331.43 + 60.24 + 260.44 + 0 −
    // 132.10 = 1520.01: rounding −0.01.
    let result = run(&single("1600.00", Some("35000.00")));
    assert_eq!(result.beslagvrije_voet, m("1520.00"));
    assert_eq!(result.afloscapaciteit, m("80.00"));
    assert_eq!(
        step_amount(&result, step::MAXIMUM_95_PROCENT_INKOMEN),
        Some(m("-132.10"))
    );
    assert_eq!(step_amount(&result, step::AFRONDING), Some(m("-0.01")));
    assert_steps_add_up(&result);

    // A net income of zero keeps nothing and owes nothing.
    let result = run(&single("0.00", Some("0.00")));
    assert_eq!(result.beslagvrije_voet, m("0.00"));
    assert_eq!(result.afloscapaciteit, m("0.00"));
}

#[test]
fn at_or_below_the_norm_without_taxable_income_article_475dc_decides() {
    // Alleenstaande, net 1400 ≤ A (1401.50), no C: the BVV of art. 475da is at least 1331.425,
    // more than 95% × 1400 = 1330, so the BVV is 1330.00 whatever C is.
    let result = run(&single("1400.00", None));
    assert_eq!(result.beslagvrije_voet, m("1330.00"));
    assert_eq!(result.afloscapaciteit, m("70.00"));
    assert_eq!(
        step_amount(&result, step::INKOMENSTERMEN_NIET_NODIG),
        Some(m("0.00"))
    );
    assert!(result.not_computed.is_empty());
    assert_steps_add_up(&result);
}

#[test]
fn lid_5_raises_the_beslagvrije_voet_by_housing_costs_above_110_percent_of_h() {
    // Alleenstaande, C = 60000: art. 475da 2191.41833 (just below the maximum). Housing costs 1200
    // ≥ 1.1 × 932.93 = 1026.223: raise 1200 − 1026.223 = 173.777 → BVV 2365.19533 → 2365.20
    // (net 4000: 95% = 3800).
    let mut input = single("4000.00", Some("60000.00"));
    input.housing_costs = Some(m("1200.00"));
    input.housing_correction = true;
    let result = run(&input);
    assert_eq!(
        step_amount(&result, step::WOONKOSTENCORRECTIE),
        Some(m("173.78"))
    );
    assert_eq!(result.beslagvrije_voet, m("2365.20"));
    assert_steps_add_up(&result);
    assert!(result.assumptions.iter().any(|a| a.contains("zes maanden")
        && a.contains("binnen die termijn helemaal kan worden betaald")));

    // Costs 1000 < 1026.223: nothing is added.
    input.housing_costs = Some(m("1000.00"));
    let result = run(&input);
    assert_eq!(
        step_amount(&result, step::WOONKOSTENCORRECTIE),
        Some(m("0.00"))
    );
    assert_eq!(result.beslagvrije_voet, m("2191.42"));

    // Not asked for: no correction, whatever the costs.
    input.housing_costs = Some(m("2000.00"));
    input.housing_correction = false;
    let result = run(&input);
    assert_eq!(step_amount(&result, step::WOONKOSTENCORRECTIE), None);
    assert_eq!(result.beslagvrije_voet, m("2191.42"));
}

#[test]
fn lid_5_for_gehuwden_warns_that_the_spouses_income_is_weighed_by_the_creditor() {
    let mut input = couple(false, "4000.00", Some("40000.00"));
    input.housing_costs = Some(m("1200.00"));
    input.housing_correction = true;
    let result = run(&input);
    let codes: Vec<&str> = result.warnings.iter().map(|w| w.code).collect();
    assert!(codes.contains(&"WOONKOSTEN_INKOMEN_ECHTGENOOT"));
    // C 40000 < 71089.09 (lid 7, meerpersoonshuishouden): the raise of lid 7 may apply.
    assert!(codes.contains(&"WOONKOSTEN_LID_7_MOGELIJK"));
    // Lid 7 is about a rented home that does not meet art. 11 Wet op de huurtoeslag, not about
    // whether the tenant could get rent allowance.
    let lid_7 = result
        .warnings
        .iter()
        .find(|w| w.code == "WOONKOSTEN_LID_7_MOGELIJK")
        .unwrap();
    assert!(
        lid_7
            .message
            .contains("een woning die niet voldoet aan artikel 11 Wet op de huurtoeslag"),
        "{}",
        lid_7.message
    );
}

#[test]
fn a_peildatum_after_the_newest_table_uses_it_and_warns() {
    let mut input = single("3000.00", Some("35000.00"));
    input.peildatum = d(2026, 12, 31);
    let within = run(&input);
    assert!(within.warnings.is_empty());
    assert_eq!(within.half_year_without_table(), None);
    input.peildatum = d(2027, 1, 1);
    let result = run(&input);
    assert_eq!(result.table_valid_from, d(2026, 7, 1));
    assert!(
        result
            .warnings
            .iter()
            .any(|w| w.code == "TABEL_MOGELIJK_VEROUDERD")
    );
    assert_eq!(result.half_year_without_table(), Some(d(2027, 1, 1)));
    assert_eq!(
        NormTable::covered_until(&seed_tables()),
        Some(d(2027, 1, 1)),
        "the day operators are warned of"
    );
    assert_eq!(NormTable::covered_until(&[]), None);
    // The half-year the peildatum falls in, also when more than one is missing.
    for (peildatum, half_year) in [
        (d(2027, 6, 30), d(2027, 1, 1)),
        (d(2027, 7, 1), d(2027, 7, 1)),
        (d(2028, 2, 29), d(2028, 1, 1)),
    ] {
        input.peildatum = peildatum;
        assert_eq!(run(&input).half_year_without_table(), Some(half_year));
    }
}

#[test]
fn a_peildatum_before_the_first_table_is_an_issue_naming_peildatum() {
    // 2025 used another formula (quadratic huurtoeslag term); no table before 2026 is seeded.
    let mut input = single("3000.00", Some("35000.00"));
    input.peildatum = d(2025, 12, 31);
    let error = compute(&input, &seed_tables()).expect_err("before the first table");
    assert_eq!(
        error,
        NormError::BeforeFirstTable {
            first: d(2026, 1, 1)
        }
    );
    let issues = error.field_issues();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].field, "peildatum");
    assert_eq!(issues[0].code, "voor_eerste_tabel");
    assert!(matches!(
        range(&input, &seed_tables()),
        Err(NormError::BeforeFirstTable { .. })
    ));
}

#[test]
fn no_tables_is_its_own_error() {
    assert_eq!(
        compute(&single("3000.00", Some("35000.00")), &[]),
        Err(NormError::NoTables)
    );
}

#[test]
fn a_table_missing_a_parameter_reports_the_term_it_could_not_compute() {
    // Without the eenpersoons ijkpunt the huur term of an alleenstaande cannot be computed. The
    // result is the highest BVV the law then allows: 1331.425 + 60.23552 + (H − J) 730.41 =
    // 2122.07052 → 2122.07, marked as an upper bound.
    let mut tables = seed_tables();
    tables[0]
        .values
        .retain(|v| v.parameter != Parameter::MinimumIncomePointSingle);
    let result = compute(&single("3000.00", Some("35000.00")), &tables).expect("upper bound");
    assert_eq!(result.not_computed.len(), 1);
    assert_eq!(result.not_computed[0].step, step::HUURTOESLAGTERM);
    assert_eq!(
        result.not_computed[0].missing,
        vec![Parameter::MinimumIncomePointSingle]
    );
    assert_eq!(result.beslagvrije_voet, m("2122.07"));
    assert_eq!(step_amount(&result, step::BOVENGRENS), Some(m("2122.07")));
    assert!(
        result
            .warnings
            .iter()
            .any(|w| w.code == "TERMEN_NIET_BEREKEND")
    );
    assert_steps_add_up(&result);

    // Without K the child term has no bound but the maximum of lid 1: 2526.69.
    let mut tables = seed_tables();
    tables[0]
        .values
        .retain(|v| v.parameter != Parameter::ChildBudgetRate);
    let result =
        compute(&single_parent("3000.00", Some("40000.00")), &tables).expect("upper bound");
    assert_eq!(result.not_computed[0].step, step::KINDGEBONDEN_BUDGETTERM);
    assert_eq!(result.beslagvrije_voet, m("2526.69"));

    // Without the maximum not even a bound exists.
    let mut tables = seed_tables();
    tables[0]
        .values
        .retain(|v| v.parameter != Parameter::MaximumSingle);
    assert_eq!(
        compute(&single("3000.00", Some("35000.00")), &tables),
        Err(NormError::MissingParameter {
            valid_from: d(2026, 1, 1),
            parameter: Parameter::MaximumSingle
        })
    );
}

#[test]
fn an_unconfirmed_value_is_used_and_named_in_a_warning() {
    let mut tables = seed_tables();
    for value in &mut tables[0].values {
        if value.parameter == Parameter::HealthAllowanceRate {
            value.confirmed = false;
        }
    }
    let result = compute(&single("3000.00", Some("35000.00")), &tables).expect("result");
    assert_eq!(result.beslagvrije_voet, m("1652.10"));
    assert!(result.warnings.iter().any(|w| {
        w.code == "PARAMETER_NIET_BEVESTIGD" && w.message.contains("ZORGTOESLAG_PERCENTAGE")
    }));
}

#[test]
fn absurd_table_values_give_an_error_not_a_panic() {
    let mut tables = seed_tables();
    for value in &mut tables[0].values {
        value.value = Decimal::MAX;
    }
    assert_eq!(
        compute(&single("3000.00", Some("35000.00")), &tables),
        Err(NormError::Overflow)
    );
    let _ = range(&single("3000.00", None), &tables);
    let _ = lid8_self_check(&tables[0]);
    let _ = validate_new_table(&tables[0], &[]);
}
