//! Art. 475da lid 8 Rv: the published maxima come out of the formula itself.

use super::*;
use rust_decimal::Decimal;

#[test]
fn every_seeded_half_year_reproduces_every_published_maximum_to_the_cent() {
    // 2026-01-01, alleenstaande: C = 23425 + 12 × 932.93 / 27% = 64888.5555…
    //   0.95 × 1401.50 + (2119/12 − 47) + (932.93 − 202.52) = 1331.425 + 129.58333 + 730.41
    //   = 2191.41833 → 2191.42 (published 2191.42).
    // Alleenstaande ouder: C = 31500 + 12 × 932.93 / 22% = 82387.0909…
    //   1331.425 + 129.58333 + 732.22 + (82387.0909 − 29735.424) / 12 × 7.60% (333.46056)
    //   = 2526.68889 → 2526.69.
    // Gehuwden zonder kinderen: 1902.0235 + 247.16667 + 732.22 = 2881.41017 → 2881.41.
    // Gehuwden met kinderen: 2881.41017 + (82387.0909 − 29735.424 − 9405) / 12 × 7.60%
    //   (273.89556) = 3155.30572 → 3155.31.
    // 2026-07-01 (A 1419.46, B 2027.79): 2208.48033, 2543.75089, 2905.78717, 3179.68272
    //   → 2208.48, 2543.75, 2905.79, 3179.68 (all as published).
    let tables = seed_tables();
    assert_eq!(
        tables.iter().map(|t| t.valid_from).collect::<Vec<_>>(),
        vec![d(2026, 1, 1), d(2026, 7, 1)]
    );
    let expected = [
        ["2191.42", "2526.69", "2881.41", "3155.31"],
        ["2208.48", "2543.75", "2905.79", "3179.68"],
    ];
    for (table, expected) in tables.iter().zip(expected) {
        let checks = lid8_self_check(table);
        assert_eq!(checks.len(), 4);
        for (check, published) in checks.iter().zip(expected) {
            assert_eq!(check.published, Some(m(published)), "{check:?}");
            assert_eq!(check.computed, Some(m(published)), "{check:?}");
            assert!(check.passes(), "{check:?}");
        }
    }
}

#[test]
fn the_check_finds_a_wrong_parameter() {
    // With the standaardpremie of 2025 (2112) the zorg cap drops by 7/12 = 0.5833 (alleenstaande)
    // and 14/12 (gehuwden): no maximum is reproduced any more.
    let mut table = seed_tables().remove(0);
    for value in &mut table.values {
        if value.parameter == Parameter::StandardPremium {
            value.value = Decimal::new(2112, 0);
        }
    }
    let checks = lid8_self_check(&table);
    assert!(checks.iter().all(|c| !c.passes()), "{checks:#?}");
    assert_eq!(checks[0].computed, Some(m("2190.84")));
}

#[test]
fn a_drempelinkomen_rounded_to_whole_euros_fails_for_gehuwden_met_kinderen() {
    // D rounded to 29736 (as the Dienst Toeslagen publishes grensinkomens) gives, for gehuwden
    // met kinderen, 2881.410167 + (82387.0909 − 29736 − 9405) / 12 × 7.60% = 3155.30208 → 3155.30,
    // not the published 3155.31: the law's D is the exact 108% × 12 × 2294.40 = 29735.424, which
    // gives 2881.410167 + 273.895557 = 3155.305724 → 3155.31. (No whole-cent minimum wage gives
    // D = 29736, so the check is done on the arithmetic itself.)
    let exact = Decimal::new(29_735_424, 3);
    let c_star = Decimal::new(31_500, 0)
        + Decimal::new(93_293, 2) * Decimal::new(1200, 0) / Decimal::new(22, 0);
    let base = Decimal::new(2_881_410_167, 6); // 2881.410167 (gehuwden zonder kinderen at C*)
    let child = |d: Decimal| {
        (c_star - d - Decimal::new(9405, 0)) * Decimal::new(76, 3) / Decimal::new(12, 0)
    };
    assert_eq!(Money::round(base + child(exact)), m("3155.31"));
    assert_eq!(
        Money::round(base + child(Decimal::new(29_736, 0))),
        m("3155.30")
    );
}
