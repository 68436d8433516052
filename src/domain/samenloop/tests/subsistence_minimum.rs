use super::fixtures::*;
use crate::domain::money::Money;
use crate::domain::samenloop::{
    CreditorFlagDetails, Flag, FlagCode, OwnArrangement, SubsistenceMinimumUndercut,
    view_for_creditor,
};

fn undercut(
    detection: &crate::domain::samenloop::Detection,
) -> Option<&SubsistenceMinimumUndercut> {
    detection.flags.iter().find_map(|f| match f {
        Flag::SubsistenceMinimumUndercut(flag) => Some(flag),
        _ => None,
    })
}

// Net income € 1.500,00 and norm € 1.330,00 leave € 170,00 to take in every test below.

#[test]
fn a_shortfall_of_one_cent_is_flagged() {
    let situation = situation("1500.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("CJIB"), "100.00")],
        &[rijk("R1", &[("DUO", "D-1")], "70.01")],
    );
    let flag = undercut(&detection).expect("flagged");
    assert_eq!(flag.deductions(), eur("170.01"));
    assert_eq!(flag.available(), eur("170.00"));
    assert_eq!(flag.shortfall(), eur("0.01"));
    assert_eq!(detection.remaining_capacity, Some(Money::ZERO));
    assert!(
        detection.flags[0]
            .explanation(&[], Addressee::Person)
            .contains("€ 0,01 per maand te weinig")
    );
}

#[test]
fn deductions_exactly_at_the_available_amount_are_not_flagged() {
    let situation = situation("1500.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("CJIB"), "100.00")],
        &[rijk("R1", &[("DUO", "D-1")], "70.00")],
    );
    assert!(undercut(&detection).is_none());
    assert_eq!(detection.remaining_capacity, Some(Money::ZERO));
}

#[test]
fn remaining_capacity_is_what_is_left_above_the_norm_after_deductions() {
    let situation = situation("1500.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("CJIB"), "100.00")],
        &[single("R1", private("Energiebedrijf"), "20.01")],
    );
    assert!(undercut(&detection).is_none());
    assert_eq!(detection.remaining_capacity, Some(eur("49.99")));
}

#[test]
fn income_below_the_norm_makes_the_shortfall_all_deductions_plus_the_deficit() {
    // Available = 1000.00 − 1050.00 = −50.00; deductions 30.00; shortfall = 30.00 + 50.00.
    let situation = situation("1000.00", "1050.00");
    let detection = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("CJIB"), "30.00")],
        &[],
    );
    let flag = undercut(&detection).expect("flagged");
    assert_eq!(flag.available(), eur("-50.00"));
    assert_eq!(flag.shortfall(), eur("80.00"));
    assert_eq!(flag.deficit_without_deductions(), eur("50.00"));
    assert_eq!(
        flag.net_income - flag.deductions() + flag.shortfall(),
        flag.norm
    );
    let explanation = detection.flags[0].explanation(&registry(), Addressee::Person);
    assert!(
        explanation.contains("€ 80,00 per maand te weinig"),
        "{explanation}"
    );
    assert!(
        explanation.contains("Centraal Justitieel Incassobureau krijgt hierover een melding"),
        "{explanation}"
    );
    assert!(
        explanation.contains("ook zonder inhoudingen al € 50,00 onder de beslagvrije voet"),
        "{explanation}"
    );
    assert!(explanation.contains("schuldhulpverlening"), "{explanation}");
}

#[test]
fn a_counsellor_reads_a_shortfall_about_the_client_and_is_not_sent_to_debt_help() {
    let situation = situation("1000.00", "1050.00");
    let detection = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("CJIB"), "30.00")],
        &[],
    );
    let explanation = detection.flags[0].explanation(&registry(), Addressee::Counsellor);
    for about_the_client in [
        "Van het netto-inkomen van uw cliënt van € 1.000,00 per maand moet uw cliënt ten minste \
         € 1.050,00 overhouden (de beslagvrije voet).",
        "Op het inkomen van uw cliënt wordt per maand € 30,00 ingehouden",
        "Uw cliënt houdt daardoor € 80,00 per maand te weinig over.",
        "Het inkomen van uw cliënt ligt ook zonder inhoudingen al € 50,00 onder de beslagvrije voet.",
    ] {
        assert!(explanation.contains(about_the_client), "{explanation}");
    }
    assert!(
        !explanation.contains("Vraag uw gemeente") && !explanation.contains("U houdt"),
        "{explanation}"
    );
}

#[test]
fn income_below_the_norm_without_deductions_is_flagged_without_creditors_to_notify() {
    let situation = situation("1000.00", "1000.01");
    let detection = detect_today(Some(&situation), &[], &[]);
    let flag = undercut(&detection).expect("flagged");
    assert_eq!(flag.shortfall(), eur("0.01"));
    assert!(detection.flags[0].affected_creditors().is_empty());
    assert!(
        detection.flags[0]
            .explanation(&[], Addressee::Person)
            .contains("Er wordt niets ingehouden")
    );
    assert_eq!(detection.remaining_capacity, Some(Money::ZERO));
}

#[test]
fn attachments_count_from_their_first_day_through_their_last_day_inclusive() {
    let situation = situation("1500.00", "1330.00");
    let mut starts_today = attachment("B1", creditor("CJIB"), "100.00");
    starts_today.terms.start = today();
    let mut ends_today = attachment("B2", creditor("DUO"), "70.01");
    ends_today.terms.end = Some(today());
    let detection = detect_today(Some(&situation), &[starts_today, ends_today], &[]);
    assert_eq!(
        undercut(&detection).map(|f| f.shortfall()),
        Some(eur("0.01"))
    );
}

#[test]
fn attachments_and_arrangements_not_yet_started_or_already_ended_are_not_deductions() {
    let situation = situation("1500.00", "1330.00");
    let mut not_started = attachment("B1", creditor("CJIB"), "500.00");
    not_started.terms.start = day(2026, 3, 16);
    let mut ended = attachment("B2", creditor("DUO"), "500.00");
    ended.terms.end = Some(day(2026, 3, 14));
    let mut ended_arrangement = rijk("R1", &[("CAK", "C-1")], "500.00");
    ended_arrangement.end = Some(day(2026, 3, 14));
    let running = attachment("B3", creditor("UWV"), "170.00");
    let detection = detect_today(
        Some(&situation),
        &[not_started, ended, running],
        &[ended_arrangement],
    );
    assert!(detection.flags.is_empty(), "{:?}", detection.flags);
    assert_eq!(detection.remaining_capacity, Some(Money::ZERO));
}

#[test]
fn every_government_creditor_with_a_running_deduction_is_affected_and_private_parties_never() {
    let situation = situation("1500.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[
            attachment("B1", creditor("CJIB"), "100.00"),
            attachment("B2", private("Deurwaarder Jansen"), "50.00"),
        ],
        &[
            rijk(
                "R1",
                &[("DUO", "D-1"), ("CAK", "C-1"), ("DUO", "D-2")],
                "40.00",
            ),
            single("R2", creditor("BELASTINGDIENST"), "10.00"),
            single("R3", private("Energiebedrijf"), "10.00"),
        ],
    );
    let flag = flags_with(&detection, FlagCode::SubsistenceMinimumUndercut)[0];
    assert_eq!(
        flag.affected_creditors(),
        ["BELASTINGDIENST", "CAK", "CJIB", "DUO"]
    );
    let explanation = detection.flags[0].explanation(&[], Addressee::Person);
    assert!(explanation.contains("€ 210,00 ingehouden"), "{explanation}");
    assert!(
        explanation.contains("€ 40,00 per maand te weinig"),
        "{explanation}"
    );
    assert!(
        explanation.contains("BELASTINGDIENST, CAK, CJIB en DUO krijgen hierover een melding"),
        "{explanation}"
    );
}

#[test]
fn without_income_and_household_data_the_norm_flags_are_reported_as_not_evaluated() {
    let mut with_bvv = attachment("B1", creditor("CJIB"), "100.00");
    with_bvv.terms.applied_bvv = Some(eur("1200.00"));
    let detection = detect_today(
        None,
        &[with_bvv, attachment("B2", creditor("DUO"), "50.00")],
        &[],
    );
    let not_evaluated: Vec<&str> = detection
        .not_evaluated
        .iter()
        .map(|n| n.code.code())
        .collect();
    assert_eq!(
        not_evaluated,
        [
            "BESTAANSMINIMUM_ONDERSCHREDEN",
            "AFWIJKENDE_BESLAGVRIJE_VOET"
        ]
    );
    assert!(
        detection.not_evaluated[0]
            .explanation
            .contains("kon niet worden nagegaan")
    );
    assert_eq!(detection.remaining_capacity, None);
    assert_eq!(detection.basis, None);
    // Flags that do not need the norm are still evaluated.
    assert_eq!(codes(&detection), ["MEERDERE_BESLAGLEGGERS"]);
}

#[test]
fn without_data_and_without_deductions_nothing_is_reported_as_not_evaluated() {
    let detection = detect_today(None, &[], &[]);
    assert!(detection.flags.is_empty());
    assert!(detection.not_evaluated.is_empty());
    assert_eq!(detection.remaining_capacity, None);
}

#[test]
fn the_detection_names_the_basis_the_norm_came_from() {
    let situation = situation("1500.00", "1330.00");
    let detection = detect_today(Some(&situation), &[], &[]);
    assert_eq!(detection.basis.as_ref(), Some(&situation.basis));
}

#[test]
fn the_coordinating_collector_is_told_of_an_undercut_by_its_arrangement_without_claims_in_it() {
    // A Betalingsregeling Rijk of DUO and CAK claims, coordinated by CJIB: 600.00 a month where
    // 500.00 is available.
    let detection = detect_today(
        Some(&situation("2000.00", "1500.00")),
        &[],
        &[rijk("R-1", &[("DUO", "D-1"), ("CAK", "K-1")], "600.00")],
    );
    let flag = flags_with(&detection, FlagCode::SubsistenceMinimumUndercut)[0];
    assert_eq!(flag.affected_creditors(), ["CAK", COORDINATOR, "DUO"]);
    let view = view_for_creditor(flag, COORDINATOR, detection.remaining_capacity)
        .expect("the coordinator is concerned");
    let CreditorFlagDetails::SubsistenceMinimumUndercut {
        own_arrangements, ..
    } = &view.details
    else {
        panic!("undercut details expected");
    };
    assert_eq!(
        own_arrangements,
        &[OwnArrangement {
            arrangement_id: "R-1".to_owned(),
            claim_keys: Vec::new(),
            monthly_amount: Some(eur("600.00")),
            coordinating: true,
        }]
    );
    assert!(
        view.explanation
            .contains("betalingsregeling R-1, die u coördineert (€ 600,00 per maand)"),
        "{}",
        view.explanation
    );
}

#[test]
fn an_arrangement_takes_no_more_in_a_month_than_is_still_owed_on_its_claims() {
    // 150.00 a month, but 60.00 and 30.00 left on its claims: 90.00 is what it takes now, so
    // with 70.00 attached 170.00 is not passed (it would be by 50.00 at the full instalment).
    let situation = situation("1500.00", "1330.00");
    let nearly_paid = rijk_owing(
        "R1",
        &[("CJIB", "C-1", "60.00"), ("DUO", "D-1", "30.00")],
        "150.00",
    )
    .expect("open");
    assert_eq!(nearly_paid.monthly_amount, eur("90.00"));
    let detection = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("CAK"), "70.00")],
        &[nearly_paid],
    );
    assert!(undercut(&detection).is_none(), "{:?}", detection.flags);
    assert_eq!(detection.remaining_capacity, Some(eur("10.00")));
}

#[test]
fn an_arrangement_in_force_takes_from_the_income_only_from_its_first_due_date() {
    // Accepted today with its first instalment due on 1 April: until then only the attachment
    // takes from the income, so an attachment ending before then never meets it. Its claims are
    // in force at once: CJIB attaching for one of them collides with it today.
    let situation = situation("1500.00", "1330.00");
    let mut accepted = rijk("R1", &[("CJIB", "C-1")], "150.00");
    accepted.start = today();
    accepted.deducts_from = day(2026, 4, 1);
    let attachments = [attachment("B1", creditor("CJIB"), "100.00")];
    let now = detect_today(
        Some(&situation),
        &attachments,
        std::slice::from_ref(&accepted),
    );
    assert!(undercut(&now).is_none(), "{:?}", now.flags);
    // Nothing is left to take: 170.00 above the norm, 100.00 attached, 150.00 committed from
    // 1 April; a creditor attaching now would meet the arrangement then.
    assert_eq!(now.remaining_capacity, Some(Money::ZERO));
    assert_eq!(codes(&now), ["VORDERING_IN_REGELING_EN_BESLAG"]);
    let then = crate::domain::samenloop::detect(
        Some(&situation),
        &attachments,
        &[accepted],
        &[],
        day(2026, 4, 1),
    );
    assert_eq!(undercut(&then).map(|f| f.shortfall()), Some(eur("80.00")));
}

#[test]
fn a_shortfall_that_a_deduction_known_now_will_cause_is_foreseen_from_its_first_day() {
    use crate::domain::beslagvrije_voet::seed_tables;
    use crate::domain::household::HouseholdType;
    use crate::domain::overview::Addressee;
    use crate::domain::samenloop::{Circumstances, ComingShortfall, NormCertainty};
    // 2100.00 a month, a single person's norm 1348.49: 751.51 can be missed. CJIB takes 500.00
    // now; DUO's 400.00 starts on 1 January 2027, for which no table is posted yet.
    let mut cjib = attachment("B1", creditor("CJIB"), "500.00");
    cjib.terms.known_net_income = Some(eur("2100.00"));
    cjib.terms.taxable_yearly_income = Some(eur("20000.00"));
    cjib.assumed_household = Some(HouseholdType::Single);
    let mut duo = attachment("B2", creditor("DUO"), "400.00");
    duo.terms.start = day(2027, 1, 1);
    let circumstances = Circumstances {
        attachments: vec![cjib, duo],
        ..Circumstances::default()
    };
    let now = circumstances.evaluate(&seed_tables(), &registry(), day(2026, 12, 7));
    assert!(undercut(&now).is_none(), "{:?}", now.flags);
    let coming = now.coming_shortfall.expect("foreseen");
    assert_eq!(
        coming,
        ComingShortfall {
            from: day(2027, 1, 1),
            shortfall: eur("148.49"),
            certainty: NormCertainty::AtLeast,
        }
    );
    assert!(
        coming
            .explanation(Addressee::Person)
            .starts_with("Vanaf 1 januari 2027 houdt u ten minste € 148,49 per maand minder over"),
        "{}",
        coming.explanation(Addressee::Person)
    );
    // On that day the flag itself is raised, and nothing more is foreseen.
    let then = circumstances.evaluate(&seed_tables(), &registry(), day(2027, 1, 1));
    assert_eq!(undercut(&then).map(|f| f.shortfall()), Some(eur("148.49")));
    assert_eq!(then.coming_shortfall, None);
    // A later start that still leaves enough foresees nothing.
    let mut small = circumstances.clone();
    small.attachments[1].terms.monthly_amount = eur("200.00");
    let enough = small.evaluate(&seed_tables(), &registry(), day(2026, 12, 7));
    assert_eq!(enough.coming_shortfall, None);
}
