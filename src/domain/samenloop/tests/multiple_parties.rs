use super::fixtures::*;
use crate::domain::samenloop::{Flag, FlagCode, MultipleAttachingParties};

fn multiple(detection: &crate::domain::samenloop::Detection) -> Option<&MultipleAttachingParties> {
    detection.flags.iter().find_map(|f| match f {
        Flag::MultipleAttachingParties(flag) => Some(flag),
        _ => None,
    })
}

#[test]
fn two_attachments_by_the_same_party_are_not_multiple_attaching_parties() {
    let detection = detect_today(
        None,
        &[
            attachment("B1", creditor("CJIB"), "10.00"),
            attachment("B2", creditor("CJIB"), "20.00"),
        ],
        &[],
    );
    assert!(multiple(&detection).is_none());
}

#[test]
fn a_private_party_typed_twice_with_other_case_or_spacing_is_one_party() {
    let detection = detect_today(
        None,
        &[
            attachment("B1", private("Deurwaarder Jansen"), "10.00"),
            attachment("B2", private(" deurwaarder  JANSEN"), "20.00"),
        ],
        &[],
    );
    assert!(multiple(&detection).is_none());
}

#[test]
fn two_parties_are_flagged_and_the_oldest_executorial_attachment_coordinates() {
    let mut protective_oldest = attachment("B1", private("Deurwaarder Jansen"), "10.00");
    protective_oldest.terms.start = day(2024, 1, 1);
    protective_oldest.terms.executorial = false;
    let mut duo = attachment("B2", creditor("DUO"), "20.00");
    duo.terms.start = day(2024, 6, 1);
    let mut cjib = attachment("B3", creditor("CJIB"), "30.00");
    cjib.terms.start = day(2025, 6, 1);
    let detection = detect_today(None, &[cjib, duo, protective_oldest], &[]);
    let flag = multiple(&detection).expect("flagged");
    let parties: Vec<&str> = flag
        .parties()
        .into_iter()
        .map(|p| p.creditor_code().unwrap_or("privé"))
        .collect();
    assert_eq!(parties, ["privé", "DUO", "CJIB"]);
    assert_eq!(
        flag.sole_coordinator().map(|c| c.attachment_id.as_str()),
        Some("B2")
    );
    let explanation = detection.flags[0].explanation(&[], Addressee::Person);
    assert!(
        explanation.contains("3 verschillende partijen: Deurwaarder Jansen, DUO en CJIB"),
        "{explanation}"
    );
    assert!(explanation.contains("DUO coördineert"), "{explanation}");
    assert!(explanation.contains("sinds 1 juni 2024"), "{explanation}");
    assert_eq!(detection.flags[0].affected_creditors(), ["CJIB", "DUO"]);
    let named = detection.flags[0].explanation(&registry(), Addressee::Person);
    assert!(
        named.contains(
            "3 verschillende partijen: Deurwaarder Jansen, Dienst Uitvoering Onderwijs en Centraal \
             Justitieel Incassobureau. Dienst Uitvoering Onderwijs coördineert"
        ),
        "{named}"
    );
}

#[test]
fn equal_start_dates_give_coordination_to_the_lowest_attachment_id() {
    let detection = detect_today(
        None,
        &[
            attachment("B-2", creditor("CJIB"), "10.00"),
            attachment("B-10", creditor("DUO"), "20.00"),
        ],
        &[],
    );
    // Text order: "B-10" < "B-2".
    let coordinator = multiple(&detection)
        .and_then(|f| f.sole_coordinator())
        .expect("coordinator");
    assert_eq!(coordinator.attachment_id, "B-10");
    assert_eq!(coordinator.party, creditor("DUO"));
    // Which was laid first that day is not known: the texts do not call it the oldest.
    let flag = multiple(&detection).expect("flagged");
    assert!(flag.concurrences()[0].coordinator_tied());
    let told =
        Flag::MultipleAttachingParties(flag.clone()).explanation(&registry(), Addressee::Person);
    assert!(
        told.contains(
            "omdat die van de executoriale beslagen die op 1 januari 2025 begonnen, het beslag \
             heeft dat hier als eerste werd gemeld; welk daarvan die dag het eerst werd gelegd, is \
             hier niet bekend (art. 478 Rv)."
        ) && !told.contains("oudste"),
        "{told}"
    );
    let cjib = crate::domain::samenloop::view_for_creditor(
        &Flag::MultipleAttachingParties(flag.clone()),
        "CJIB",
        None,
    )
    .expect("affected");
    assert!(
        cjib.explanation.contains("als eerste werd gemeld") && !cjib.explanation.contains("oudste"),
        "{}",
        cjib.explanation
    );
}

#[test]
fn without_an_executorial_attachment_there_is_no_coordinating_party_yet() {
    let mut first = attachment("B1", creditor("CJIB"), "10.00");
    first.terms.executorial = false;
    let mut second = attachment("B2", creditor("DUO"), "10.00");
    second.terms.executorial = false;
    let detection = detect_today(None, &[first, second], &[]);
    let flag = multiple(&detection).expect("flagged");
    assert!(flag.sole_coordinator().is_none());
    assert!(
        detection.flags[0]
            .explanation(&[], Addressee::Person)
            .contains("nog geen partij die de beslagen coördineert")
    );
}

#[test]
fn an_ended_attachment_of_another_party_does_not_make_multiple_parties() {
    let mut ended = attachment("B2", creditor("DUO"), "10.00");
    ended.terms.end = Some(day(2026, 3, 14));
    let detection = detect_today(
        None,
        &[attachment("B1", creditor("CJIB"), "10.00"), ended],
        &[],
    );
    assert!(flags_with(&detection, FlagCode::MultipleAttachingParties).is_empty());
}

/// Art. 478 lid 1 Rv: the oldest executorial attachment collects for the others "onder de
/// derde-beslagene", the one who pays that income.
#[test]
fn only_attachments_on_the_same_income_concur_and_each_income_has_its_own_coordinator() {
    let on = |id: &str, party: &str, source: &str, start: (i32, u32, u32)| {
        let mut a = attachment(id, creditor(party), "10.00");
        a.terms.income_source = source.to_owned();
        a.terms.start = day(start.0, start.1, start.2);
        a
    };
    let wage_cjib = on("B1", "CJIB", "Loon, Bakkerij De Korenschoof", (2025, 3, 1));
    let wage_duo = on("B2", "DUO", "loon,  bakkerij de korenschoof", (2025, 6, 1));
    let benefit_uwv = on("B3", "UWV", "WW-uitkering", (2024, 1, 1));

    let apart = detect_today(None, &[wage_cjib.clone(), benefit_uwv.clone()], &[]);
    let flag = multiple(&apart).expect("two parties attach");
    assert!(
        flag.concurrences().is_empty(),
        "different incomes do not concur"
    );
    assert!(
        apart.flags[0].affected_creditors().is_empty(),
        "nobody is to hand anything over"
    );
    assert!(
        apart.flags[0]
            .explanation(&[], Addressee::Person)
            .contains("verschillende inkomsten")
    );

    let detection = detect_today(None, &[wage_cjib, wage_duo, benefit_uwv], &[]);
    let flag = multiple(&detection).expect("flagged");
    let concurrences = flag.concurrences();
    assert_eq!(concurrences.len(), 1, "the wage, written two ways");
    assert_eq!(
        concurrences[0]
            .coordinator()
            .map(|c| c.attachment_id.as_str()),
        Some("B1"),
        "UWV's older attachment is on another income"
    );
    assert_eq!(detection.flags[0].affected_creditors(), ["CJIB", "DUO"]);
    let explanation = detection.flags[0].explanation(&[], Addressee::Person);
    assert!(
        explanation.contains("CJIB coördineert de beslagen op Loon, Bakkerij De Korenschoof"),
        "{explanation}"
    );
    assert!(
        crate::domain::samenloop::view_for_creditor(&detection.flags[0], "UWV", None).is_none(),
        "UWV is not told to hand its claim over"
    );
}

#[test]
fn a_creditor_is_told_a_coordinating_private_party_as_a_name_the_citizen_gave() {
    let mut declared = attachment("B1", private("CJIB"), "10.00");
    declared.terms.start = day(2024, 1, 1);
    let detection = detect_today(
        None,
        &[declared, attachment("B2", creditor("CJIB"), "20.00")],
        &[],
    );
    let view = crate::domain::samenloop::view_for_creditor(&detection.flags[0], "CJIB", None)
        .expect("CJIB attaches the same income");
    match view.details {
        crate::domain::samenloop::CreditorFlagDetails::MultipleAttachingParties {
            concurrences,
        } => {
            assert_eq!(
                concurrences[0].coordination,
                crate::domain::samenloop::Coordination::AnotherParty(
                    "CJIB (opgegeven door de burger of diens schuldhulpverlener)".to_owned()
                ),
                "never read as CJIB's own code"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_creditor_attaching_two_shared_incomes_is_told_who_coordinates_each() {
    let on = |id: &str, party, source: &str, start| {
        let mut attachment = attachment(id, party, "10.00");
        attachment.terms.income_source = source.to_owned();
        attachment.terms.start = start;
        attachment
    };
    let detection = detect_today(
        None,
        &[
            on("B1", creditor("CJIB"), "Loon Bouwbedrijf", day(2025, 1, 1)),
            on("B2", creditor("DUO"), "loon  bouwbedrijf", day(2024, 1, 1)),
            on("B3", creditor("CJIB"), "WW-uitkering", day(2025, 1, 1)),
            on("B4", private("Woonstad"), "WW-uitkering", day(2025, 3, 1)),
        ],
        &[],
    );
    let flag = &detection.flags[0];
    let view = crate::domain::samenloop::view_for_creditor(flag, "CJIB", None).expect("affected");
    let crate::domain::samenloop::CreditorFlagDetails::MultipleAttachingParties { concurrences } =
        &view.details
    else {
        panic!("{view:?}");
    };
    let told: Vec<(&str, &[String], &crate::domain::samenloop::Coordination)> = concurrences
        .iter()
        .map(|c| {
            (
                c.income_source.as_str(),
                c.own_attachment_ids.as_slice(),
                &c.coordination,
            )
        })
        .collect();
    use crate::domain::samenloop::Coordination::{AnotherParty, ThisCreditor};
    assert_eq!(
        told,
        [
            (
                "Loon Bouwbedrijf",
                &["B1".to_owned()][..],
                &AnotherParty("DUO".to_owned())
            ),
            (
                "WW-uitkering",
                &["B3".to_owned()][..],
                &ThisCreditor("CJIB".to_owned())
            ),
        ],
        "each income as CJIB's own attachment names it"
    );
    assert!(
        view.explanation
            .contains("hetzelfde inkomen (Loon Bouwbedrijf). DUO int voor alle beslagleggers")
            && view.explanation.contains(
                "hetzelfde inkomen (WW-uitkering). U coördineert de beslagen, omdat u het oudste \
                 executoriale beslag heeft, sinds 1 januari 2025 (art. 478 Rv)."
            ),
        "{}",
        view.explanation
    );
    let duo = crate::domain::samenloop::view_for_creditor(flag, "DUO", None).expect("affected");
    assert!(
        !duo.explanation.contains("WW-uitkering") && !duo.explanation.contains("(Loon"),
        "DUO shares one income and is told of that one only: {}",
        duo.explanation
    );
}

#[test]
fn attachments_laid_by_the_day_of_a_wsnp_ruling_lapse_and_count_no_more() {
    use crate::domain::samenloop::Circumstances;
    let lapsed = attachment("B1", creditor("CJIB"), "200.00");
    let mut on_the_day = attachment("B2", private("Deurwaarder Jansen"), "50.00");
    on_the_day.terms.start = day(2026, 3, 10);
    let mut after = attachment("B3", creditor("DUO"), "100.00");
    after.terms.start = day(2026, 3, 11);
    let without_ruling = Circumstances {
        attachments: vec![lapsed.clone(), on_the_day.clone(), after.clone()],
        ..Circumstances::default()
    };
    let ruled = Circumstances {
        schuldsanering_ruling: Some(day(2026, 3, 10)),
        ..without_ruling.clone()
    };
    assert_eq!(
        without_ruling.deductions(today()).attachments,
        eur("350.00")
    );
    assert_eq!(
        ruled.deductions(today()).attachments,
        eur("100.00"),
        "laid on the day of the ruling lapses too (art. 301 lid 3 Fw)"
    );
    assert_eq!(
        ruled.deductions(day(2026, 3, 9)).attachments,
        eur("200.00"),
        "before the ruling B1 ran"
    );
    let tables = crate::domain::beslagvrije_voet::seed_tables();
    assert!(multiple(&without_ruling.evaluate(&tables, &[], today())).is_some());
    let evaluated = ruled.evaluate(&tables, &[], today());
    assert!(multiple(&evaluated).is_none(), "{evaluated:?}");
    assert_eq!(evaluated.running, ["B3"]);

    assert!(lapsed.lapsed_by(Some(day(2026, 3, 10))));
    assert!(!after.lapsed_by(Some(day(2026, 3, 10))));
    assert!(!lapsed.lapsed_by(None));
    let mut ending_earlier = lapsed.clone();
    ending_earlier.terms.end = Some(day(2026, 2, 1));
    assert_eq!(
        ending_earlier.in_force(Some(day(2026, 3, 10))).terms.end,
        Some(day(2026, 2, 1)),
        "an earlier end stays"
    );
    assert_eq!(
        lapsed.in_force(Some(day(2026, 3, 10))).terms.end,
        Some(day(2026, 3, 9))
    );
}
