use proptest::prelude::*;

use super::fixtures::*;
use crate::domain::attachment::{Attachment, AttachmentTerms};
use crate::domain::household::HouseholdType;
use crate::domain::money::Money;
use crate::domain::person::PersonId;
use crate::domain::samenloop::{
    ArrangementKind, CreditorClaim, Flag, NormBounds, Party, RunningArrangement, choose_basis,
    detect, view_for_creditor,
};

const CODES: [&str; 4] = ["CJIB", "DUO", "CAK", "UWV"];

fn party() -> impl Strategy<Value = Party> {
    prop_oneof![
        4 => (0..CODES.len()).prop_map(|i| creditor(CODES[i])),
        1 => (0..2usize).prop_map(|i| private(&format!("PRIVE-{i}"))),
    ]
}

fn money(max_cents: i64) -> impl Strategy<Value = Money> {
    (0..=max_cents).prop_map(Money::from_cents)
}

/// Days relative to `today()`, so that some items have not started and some have ended.
fn period() -> impl Strategy<Value = (chrono::NaiveDate, Option<chrono::NaiveDate>)> {
    (-400i64..20, prop::option::of(-30i64..400)).prop_map(|(start, length)| {
        let start = today() + chrono::Duration::days(start);
        (
            start,
            length.map(|l| start + chrono::Duration::days(l.abs())),
        )
    })
}

fn household() -> impl Strategy<Value = HouseholdType> {
    prop::sample::select(HouseholdType::ALL.to_vec())
}

/// Every identifier carries its party's name, so a view can be searched for another party.
fn attachments() -> impl Strategy<Value = Vec<Attachment>> {
    prop::collection::vec(
        (
            party(),
            money(100_000),
            prop::option::of(money(200_000)),
            prop::option::of(household()),
            prop::option::of(money(200_000)),
            period(),
            any::<bool>(),
            prop::collection::vec(0..3usize, 0..3),
            0..3usize,
        ),
        0..6,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(
                    i,
                    (
                        party,
                        amount,
                        income,
                        household,
                        bvv,
                        (start, end),
                        executorial,
                        keys,
                        source,
                    ),
                )| {
                    let owner = owner(&party);
                    Attachment {
                        id: format!("B-{owner}-{i}"),
                        person: PersonId::from_stored("persoon".to_owned()),
                        declared_by: declared_by(&party),
                        reference: None,
                        version: 0,
                        assumed_household: household,
                        terms: AttachmentTerms {
                            // Spelling variants of one source, to exercise matching sources by
                            // name, and another; none spells a creditor's code, so that a creditor
                            // told the source of its own attachment is not read as told another's.
                            income_source: ["Werkgever", " werkgever", "Uitkering"][source]
                                .to_owned(),
                            known_net_income: income,
                            taxable_yearly_income: None,
                            children: None,
                            partner_income: None,
                            monthly_amount: amount,
                            applied_bvv: bvv,
                            start,
                            end,
                            executorial,
                            claim_keys: keys
                                .into_iter()
                                .map(|k| format!("K-{owner}-{k}"))
                                .collect(),
                        },
                        party,
                    }
                },
            )
            .collect()
    })
}

fn arrangements() -> impl Strategy<Value = Vec<RunningArrangement>> {
    let kind = prop_oneof![
        prop::collection::vec((0..CODES.len(), 0..3usize), 1..4).prop_map(|claims| {
            ArrangementKind::Rijk {
                claims: claims
                    .into_iter()
                    .map(|(c, k)| CreditorClaim {
                        creditor: CODES[c].to_owned(),
                        claim_key: format!("K-{}-{k}", CODES[c]),
                    })
                    .collect(),
                coordinator: Some(COORDINATOR.to_owned()),
            }
        }),
        party().prop_map(|party| ArrangementKind::SingleParty { party }),
    ];
    prop::collection::vec((kind, money(50_000), period()), 0..4).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(i, (kind, monthly_amount, (start, end)))| RunningArrangement {
                    id: format!("R-{i}"),
                    kind,
                    monthly_amount,
                    start,
                    end,
                    deducts_from: start,
                },
            )
            .collect()
    })
}

fn owner(party: &Party) -> String {
    match party {
        Party::Creditor(code) | Party::Private(code) => code.clone(),
    }
}

fn shuffled<T: Clone + std::fmt::Debug>(items: Vec<T>) -> impl Strategy<Value = (Vec<T>, Vec<T>)> {
    Just(items.clone())
        .prop_shuffle()
        .prop_map(move |shuffled| (items.clone(), shuffled))
}

proptest! {
    #[test]
    fn without_the_undercut_flag_the_person_keeps_at_least_the_norm_and_with_it_the_shortfall_closes_the_gap_exactly(
        net_income in money(500_000),
        norm in money(300_000),
        attachments in attachments(),
        arrangements in arrangements(),
    ) {
        let mut situation = situation("0.00", "0.00");
        situation.basis.net_income = net_income;
        situation.norm = NormBounds::exact(norm);
        let detection = detect(Some(&situation), &attachments, &arrangements, &[], today());
        let deductions: Money = attachments
            .iter()
            .filter(|a| a.terms.start <= today() && a.terms.end.is_none_or(|e| today() <= e))
            .map(|a| a.terms.monthly_amount)
            .chain(
                arrangements
                    .iter()
                    .filter(|a| a.start <= today() && a.end.is_none_or(|e| today() <= e))
                    .map(|a| a.monthly_amount),
            )
            .sum();
        let undercut = detection.flags.iter().find_map(|f| match f {
            Flag::SubsistenceMinimumUndercut(flag) => Some(flag),
            _ => None,
        });
        match undercut {
            None => {
                prop_assert!(net_income - deductions >= norm);
                prop_assert_eq!(detection.remaining_capacity, Some(net_income - deductions - norm));
            }
            Some(flag) => {
                prop_assert_eq!(flag.deductions(), deductions);
                prop_assert!(flag.shortfall().is_positive());
                prop_assert_eq!(net_income - deductions + flag.shortfall(), norm);
                prop_assert_eq!(detection.remaining_capacity, Some(Money::ZERO));
            }
        }
    }

    #[test]
    fn detection_is_deterministic_and_independent_of_input_order(
        (attachments, shuffled_attachments) in attachments().prop_flat_map(shuffled),
        (arrangements, shuffled_arrangements) in arrangements().prop_flat_map(shuffled),
        with_situation in any::<bool>(),
    ) {
        let situation = with_situation.then(|| situation("1500.00", "1330.00"));
        let first = detect(situation.as_ref(), &attachments, &arrangements, &[], today());
        let again = detect(situation.as_ref(), &attachments, &arrangements, &[], today());
        let reordered = detect(situation.as_ref(), &shuffled_attachments, &shuffled_arrangements, &[], today());
        prop_assert_eq!(&first, &again);
        prop_assert_eq!(&first, &reordered);
        let keys: std::collections::BTreeSet<_> = first.flags.iter().map(Flag::key).collect();
        prop_assert_eq!(keys.len(), first.flags.len(), "keys are unique");
        prop_assert_eq!(
            choose_basis(None, &attachments, today()),
            choose_basis(None, &shuffled_attachments, today())
        );
    }

    #[test]
    fn a_creditor_view_never_shows_another_partys_identifiers_but_the_coordinators(
        attachments in attachments(),
        arrangements in arrangements(),
    ) {
        let situation = situation("1500.00", "1330.00");
        let detection = detect(Some(&situation), &attachments, &arrangements, &[], today());
        for flag in &detection.flags {
            for creditor in flag.affected_creditors() {
                let view = view_for_creditor(flag, &creditor, detection.remaining_capacity);
                let shown = format!("{view:?}");
                prop_assert!(shown.contains(&creditor));
                // Who coordinates the attachments is named (art. 478 Rv), nothing else of it.
                let shown = match flag {
                    Flag::MultipleAttachingParties(f) => f
                        .concurrences_of(&creditor)
                        .iter()
                        .filter_map(|c| c.coordinator())
                        .filter(|c| c.party.creditor_code() != Some(creditor.as_str()))
                        .fold(shown, |shown, c| shown.replace(&owner(&c.party), "<coördinator>")),
                    _ => shown,
                };
                for other in CODES.iter().filter(|c| **c != creditor) {
                    prop_assert!(!shown.contains(other), "{} sees {}: {}", creditor, other, shown);
                }
                prop_assert!(!shown.contains("PRIVE"), "{} sees a private party: {}", creditor, shown);
            }
        }
    }
}
