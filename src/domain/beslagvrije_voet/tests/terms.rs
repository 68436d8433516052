//! Every term of art. 475da lid 2 Rv, for each situation, with hand-computed cents (2026-01-01).

use super::*;

fn terms_of(result: &NormResult) -> Vec<(&'static str, Money)> {
    result
        .steps
        .iter()
        .filter(|s| {
            [
                step::EERSTE_TERM,
                step::ZORGTOESLAGTERM,
                step::HUURTOESLAGTERM,
                step::KINDGEBONDEN_BUDGETTERM,
            ]
            .contains(&s.code)
        })
        .map(|s| (s.code, s.amount))
        .collect()
}

#[test]
fn alleenstaande_terms_are_computed_from_a_f_and_the_eenpersoons_ijkpunt() {
    // C = 35000.
    // Eerste term: 0.95 × 1401.50 = 1331.425 → 1331.43
    // Zorg: (35000 − 29735.424) / 12 × 13.730% = 5264.576 × 0.1373 / 12 = 60.23552… → 60.24
    // Huur: I = 35000 − 23425 = 11575; 11575 × 27% / 12 = 260.4375 → 260.44 (< H − J = 730.41)
    // No child term for an alleenstaande.
    // Sum exact 1652.0980… → 1652.10; the rounded terms add up to 1652.11: rounding line −0.01.
    let result = run(&single("3000.00", Some("35000.00")));
    assert_eq!(
        terms_of(&result),
        vec![
            (step::EERSTE_TERM, m("1331.43")),
            (step::ZORGTOESLAGTERM, m("60.24")),
            (step::HUURTOESLAGTERM, m("260.44")),
        ]
    );
    assert_eq!(step_amount(&result, step::MAXIMUM_LID_1), Some(m("0.00")));
    assert_eq!(step_amount(&result, step::AFRONDING), Some(m("-0.01")));
    assert_eq!(result.beslagvrije_voet, m("1652.10"));
    assert_eq!(result.afloscapaciteit, m("1347.90"));
    assert!(result.not_computed.is_empty());
    assert_steps_add_up(&result);
}

#[test]
fn alleenstaande_ouder_terms_use_g_the_meerpersoons_ijkpunt_and_the_child_term() {
    // C = 40000.
    // Eerste term: 0.95 × 1401.50 = 1331.425 → 1331.43
    // Zorg: (40000 − 29735.424) × 0.1373 / 12 = 10264.576 × 0.1373 / 12 = 117.44385… → 117.44
    // Huur: I = 40000 − 31500 = 8500; 8500 × 22% / 12 = 155.8333… → 155.83
    // Kind: (40000 − 29735.424) / 12 × 7.60% = 65.00898… → 65.01
    // Sum 1669.71117… → 1669.71 = sum of the rounded terms: no rounding line.
    let result = run(&single_parent("3000.00", Some("40000.00")));
    assert_eq!(
        terms_of(&result),
        vec![
            (step::EERSTE_TERM, m("1331.43")),
            (step::ZORGTOESLAGTERM, m("117.44")),
            (step::HUURTOESLAGTERM, m("155.83")),
            (step::KINDGEBONDEN_BUDGETTERM, m("65.01")),
        ]
    );
    assert_eq!(step_amount(&result, step::AFRONDING), None);
    assert_eq!(result.beslagvrije_voet, m("1669.71"));
    assert_steps_add_up(&result);
}

#[test]
fn gehuwden_zonder_kinderen_terms_use_b_and_g_without_a_child_term() {
    // C = 40000.
    // Eerste term: 0.95 × 2002.13 = 1902.0235 → 1902.02
    // Zorg: 117.44385… → 117.44 (cap for gehuwden 247.1666… not reached)
    // Huur: 8500 × 22% / 12 = 155.8333… → 155.83
    // Sum 2175.30069… → 2175.30; rounded terms add up to 2175.29: rounding line +0.01.
    let result = run(&couple(false, "3000.00", Some("40000.00")));
    assert_eq!(
        terms_of(&result),
        vec![
            (step::EERSTE_TERM, m("1902.02")),
            (step::ZORGTOESLAGTERM, m("117.44")),
            (step::HUURTOESLAGTERM, m("155.83")),
        ]
    );
    assert_eq!(step_amount(&result, step::AFRONDING), Some(m("0.01")));
    assert_eq!(result.beslagvrije_voet, m("2175.30"));
    assert_steps_add_up(&result);
}

#[test]
fn gehuwden_met_kinderen_child_term_starts_above_d_plus_l() {
    // C = 45000.
    // Eerste term: 1902.0235 → 1902.02
    // Zorg: (45000 − 29735.424) × 0.1373 / 12 = 15264.576 × 0.1373 / 12 = 174.6521904 → 174.65
    // Huur: I = 13500; 13500 × 22% / 12 = 247.5 → 247.50
    // Kind: (45000 − (29735.424 + 9405)) / 12 × 7.60% = 5859.576 × 0.076 / 12 = 37.110648 → 37.11
    // Sum 2361.2863384 → 2361.29; rounded terms 2361.28: rounding line +0.01.
    let result = run(&couple(true, "3000.00", Some("45000.00")));
    assert_eq!(
        terms_of(&result),
        vec![
            (step::EERSTE_TERM, m("1902.02")),
            (step::ZORGTOESLAGTERM, m("174.65")),
            (step::HUURTOESLAGTERM, m("247.50")),
            (step::KINDGEBONDEN_BUDGETTERM, m("37.11")),
        ]
    );
    assert_eq!(result.beslagvrije_voet, m("2361.29"));
    assert_steps_add_up(&result);
}

#[test]
fn zorg_term_is_capped_at_the_standaardpremie_minus_the_participatiewet_amount() {
    // Alleenstaande, C = 60000: uncapped (60000 − 29735.424) × 0.1373 / 12 = 346.27…, cap
    // 2119 / 12 − 47 = 129.58333… → 129.58.
    let result = run(&single("4000.00", Some("60000.00")));
    assert_eq!(
        step_amount(&result, step::ZORGTOESLAGTERM),
        Some(m("129.58"))
    );
    // Gehuwden, C = 70000: uncapped 460.69…, cap 2 × 2119 / 12 − 106 = 247.1666… → 247.17
    // (art. 2 lid 1 Wzt: twice the standaardpremie for a verzekerde with a partner).
    let result = run(&couple(false, "4000.00", Some("70000.00")));
    assert_eq!(
        step_amount(&result, step::ZORGTOESLAGTERM),
        Some(m("247.17"))
    );
}

#[test]
fn huur_term_is_capped_at_h_minus_j() {
    // Alleenstaande, C = 60000: I = 36575; 36575 × 27% / 12 = 822.9375 > H − J = 932.93 − 202.52
    // = 730.41.
    let result = run(&single("4000.00", Some("60000.00")));
    assert_eq!(
        step_amount(&result, step::HUURTOESLAGTERM),
        Some(m("730.41"))
    );
    // Gehuwden, C = 90000: I = 58500; × 22% / 12 = 1072.50 > H − J = 932.93 − 200.71 = 732.22.
    let result = run(&couple(false, "5000.00", Some("90000.00")));
    assert_eq!(
        step_amount(&result, step::HUURTOESLAGTERM),
        Some(m("732.22"))
    );
}

#[test]
fn every_step_names_its_article_and_the_parameters_it_used_with_their_source() {
    let result = run(&couple(true, "3000.00", Some("45000.00")));
    for step in &result.steps {
        assert!(!step.legal_source.is_empty(), "{step:?}");
        assert!(!step.description.is_empty(), "{step:?}");
        for parameter in &step.parameters {
            assert!(!parameter.source.is_empty());
            assert!(Parameter::from_code(parameter.code).is_some());
        }
    }
    let zorg = result
        .steps
        .iter()
        .find(|s| s.code == step::ZORGTOESLAGTERM)
        .expect("zorg term");
    let codes: Vec<&str> = zorg.parameters.iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        vec![
            "MINIMUMLOON_PER_MAAND_JANUARI",
            "ZORGTOESLAG_PERCENTAGE",
            "STANDAARDPREMIE",
            "PW_ARTIKEL_23_LID_2_GEHUWDEN"
        ]
    );
    assert!(
        zorg.legal_source
            .contains("art. 475da lid 2 onderdeel d Rv")
    );
    assert!(zorg.description.contains("€ 29.735,424"));
}
