//! Properties that must hold for every input.

use super::*;
use proptest::prelude::*;

fn household(index: u8) -> (HouseholdType, Option<bool>) {
    match index % 4 {
        0 => (HouseholdType::Single, None),
        1 => (HouseholdType::SingleParent, Some(true)),
        2 => (HouseholdType::MarriedOrCohabiting, Some(false)),
        _ => (HouseholdType::MarriedOrCohabiting, Some(true)),
    }
}

prop_compose! {
    fn any_input()(
        kind in 0u8..4,
        net in 0i64..1_200_000,
        c in 0i64..25_000_000,
        partner in proptest::option::of(0i64..500_000),
        housing in proptest::option::of(0i64..300_000),
        day in 0u32..540,
    ) -> NormInput {
        let (household, children) = household(kind);
        let married = household == HouseholdType::MarriedOrCohabiting;
        NormInput {
            peildatum: d(2026, 1, 1) + chrono::Duration::days(i64::from(day)),
            household,
            children,
            pension_age: day % 2 == 0,
            net_income: Money::from_cents(net),
            taxable_yearly_income: Some(Money::from_cents(c)),
            housing_costs: housing.map(Money::from_cents),
            housing_correction: housing.is_some(),
            partner_income: if married { partner.map(Money::from_cents) } else { None },
        }
    }
}

fn maximum(input: &NormInput) -> Money {
    let tables = seed_tables();
    let table = NormTable::applicable(&tables, input.peildatum).expect("table");
    let situation = Situation::of(input.household, input.children).expect("situation");
    Money::round(table.value(situation.maximum()).expect("maximum").value)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn never_above_the_maximum_of_lid_1_nor_95_percent_of_the_income(input in any_input()) {
        let result = run(&input);
        prop_assert!(result.beslagvrije_voet <= input.net_income.times(rust_decimal::Decimal::new(95, 2)));
        if !input.housing_correction {
            prop_assert!(result.beslagvrije_voet <= maximum(&input));
        }
        prop_assert!(!result.beslagvrije_voet.is_negative());
    }

    #[test]
    fn afloscapaciteit_is_income_minus_the_bvv_and_never_negative(input in any_input()) {
        let result = run(&input);
        prop_assert!(!result.afloscapaciteit.is_negative());
        prop_assert_eq!(
            result.afloscapaciteit,
            input.net_income.saturating_sub(result.beslagvrije_voet)
        );
    }

    #[test]
    fn non_decreasing_in_the_taxable_income(input in any_input(), extra in 0i64..5_000_000) {
        let low = run(&input);
        let mut higher = input.clone();
        let c = input.taxable_yearly_income.unwrap_or(Money::ZERO);
        higher.taxable_yearly_income = Some(c + Money::from_cents(extra));
        let high = run(&higher);
        prop_assert!(low.beslagvrije_voet <= high.beslagvrije_voet,
            "{} > {}", low.beslagvrije_voet, high.beslagvrije_voet);
    }

    #[test]
    fn the_range_without_taxable_income_brackets_every_computed_value(input in any_input()) {
        let result = run(&input);
        let mut unknown = input.clone();
        unknown.taxable_yearly_income = None;
        let bounds = range(&unknown, &seed_tables()).expect("range");
        prop_assert!(bounds.lowest <= result.beslagvrije_voet,
            "{} > {}", bounds.lowest, result.beslagvrije_voet);
        prop_assert!(result.beslagvrije_voet <= bounds.highest,
            "{} > {}", result.beslagvrije_voet, bounds.highest);
        let known = range(&input, &seed_tables()).expect("range");
        prop_assert_eq!(known.lowest, result.beslagvrije_voet);
        prop_assert_eq!(known.highest, result.beslagvrije_voet);
    }

    #[test]
    fn the_steps_always_add_up_to_the_result(input in any_input()) {
        assert_steps_add_up(&run(&input));
    }

    #[test]
    fn without_taxable_income_compute_either_answers_within_the_range_or_asks_for_it(input in any_input()) {
        let mut unknown = input.clone();
        unknown.taxable_yearly_income = None;
        let bounds = range(&unknown, &seed_tables()).expect("range");
        match compute(&unknown, &seed_tables()) {
            Ok(result) => {
                prop_assert_eq!(bounds.lowest, bounds.highest);
                prop_assert_eq!(result.beslagvrije_voet, bounds.lowest);
            }
            Err(NormError::Invalid(issues)) => {
                prop_assert_eq!(issues.len(), 1);
                prop_assert_eq!(issues[0].field.as_str(), "belastbaarJaarinkomen");
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }
}
