//! When the known data leaves the legal norm within a range (docs/domain.md): a flag that holds for
//! every norm in it is raised, one that holds for some is uncertain, and the attaching creditors
//! are asked for what would decide it.

use super::fixtures::*;
use crate::domain::access::Actor;
use crate::domain::attachment::Attachment;
use crate::domain::beslagvrije_voet::seed_tables;
use crate::domain::household::HouseholdType;
use crate::domain::samenloop::{
    Circumstances, DataRequest, Detection, Deviation, Flag, FlagCode, IncomeAndNorm, NormBounds,
    NormCertainty, SubsistenceMinimumUndercut, detect, new_requests, view_for_creditor,
};

/// CJIB withholding 900.00 from `situation`'s 2100.00 net: the detection and the shortfall it
/// raises.
fn cjib_withholding_900(situation: &IncomeAndNorm) -> (Detection, SubsistenceMinimumUndercut) {
    let detection = detect_today(
        Some(situation),
        &[attachment("B1", creditor("CJIB"), "900.00")],
        &[],
    );
    let Flag::SubsistenceMinimumUndercut(flag) =
        flags_with(&detection, FlagCode::SubsistenceMinimumUndercut)[0].clone()
    else {
        panic!("no undercut");
    };
    (detection, flag)
}

#[test]
fn a_shortfall_at_the_lowest_norm_holds_for_every_norm_and_is_raised_with_that_norm() {
    // 900.00 withheld; 2100.00 − 1331.43 = 768.57 available: 131.43 short at the least.
    let (detection, flag) = cjib_withholding_900(&ranged());
    assert_eq!(
        (flag.norm, flag.shortfall()),
        (eur("1331.43"), eur("131.43"))
    );
    assert_eq!(flag.norm_certainty, NormCertainty::AtLeast);
    let text = detection.flags[0].explanation(&[], Addressee::Person);
    assert!(
        text.contains("(de laagste beslagvrije voet die past bij wat bekend is")
            && text.contains("ten minste € 131,43 per maand te weinig"),
        "the lowest norm is not called the norm: {text}"
    );
    let cjib = view_for_creditor(&detection.flags[0], "CJIB", None).expect("CJIB attaches");
    assert!(
        cjib.explanation
            .contains("houdt deze persoon ten minste € 131,43 per maand minder over"),
        "{}",
        cjib.explanation
    );
    assert!(detection.uncertain.is_empty());
    assert!(
        detection.requests.is_empty(),
        "nothing to decide, nothing asked"
    );
}

#[test]
fn a_shortfall_only_at_higher_norms_is_uncertain_and_the_attaching_creditors_are_asked() {
    // 500.00 withheld: enough is left at 1331.43 (268.57 to spare), 395.00 too little at 1995.00.
    let mut private = attachment("B2", private("Deurwaarder Jansen"), "0.01");
    private.terms.start = day(2026, 1, 1);
    let detection = detect_today(
        Some(&ranged()),
        &[attachment("B1", creditor("CJIB"), "499.99"), private],
        &[],
    );
    assert!(flags_with(&detection, FlagCode::SubsistenceMinimumUndercut).is_empty());
    let uncertain = &detection.uncertain[0];
    assert_eq!(uncertain.code, FlagCode::SubsistenceMinimumUndercut);
    assert_eq!(uncertain.missing, ["belastbaarJaarinkomen"]);
    assert!(
        uncertain
            .explanation
            .contains("tussen € 1.331,43 en € 1.995,00"),
        "{}",
        uncertain.explanation
    );
    assert!(
        uncertain
            .explanation
            .contains("€ 395,00 per maand te weinig"),
        "{}",
        uncertain.explanation
    );
    // A person reads what is missing in words, the API its field name.
    assert!(
        uncertain
            .explanation
            .contains("Om dat te bepalen ontbreekt: het belastbaar jaarinkomen."),
        "{}",
        uncertain.explanation
    );
    assert_eq!(
        detection.remaining_capacity,
        Some(eur("0.00")),
        "safe for every norm: nothing left"
    );
    assert_eq!(
        detection.requests,
        [DataRequest {
            creditor: "CJIB".into(),
            attachment_id: "B1".into(),
            missing: vec!["belastbaarJaarinkomen".into()],
        }],
        "the private party is not in the system and is not asked"
    );
}

#[test]
fn a_creditor_that_already_gave_the_data_is_not_asked() {
    let mut known = attachment("B1", creditor("CJIB"), "500.00");
    known.terms.taxable_yearly_income = Some(eur("20000.00"));
    let detection = detect_today(
        Some(&ranged()),
        &[known, attachment("B2", creditor("DUO"), "0.01")],
        &[],
    );
    let asked: Vec<&str> = detection
        .requests
        .iter()
        .map(|r| r.creditor.as_str())
        .collect();
    assert_eq!(asked, ["DUO"]);
}

#[test]
fn without_any_basis_a_government_creditor_is_asked_for_what_its_attachment_lacks() {
    // No declared situation and no attachment naming income and household: nothing can be
    // judged, so the creditors that attach are asked, a declared attachment's party is not.
    let mut with_income = with_bvv("B1", "CJIB", "1200.00");
    with_income.terms.known_net_income = Some(eur("2100.00"));
    let mut declared = attachment("B3", creditor("DUO"), "10.00");
    declared.declared_by = Actor::citizen();
    let detection = detect_today(
        None,
        &[with_income, with_bvv("B2", "CAK", "1300.00"), declared],
        &[],
    );
    assert_eq!(detection.not_evaluated.len(), 2, "{detection:?}");
    assert_eq!(
        detection.requests,
        [
            DataRequest {
                creditor: "CAK".into(),
                attachment_id: "B2".into(),
                missing: vec!["nettoInkomenBron".into(), "leefvormAangenomen".into()],
            },
            DataRequest {
                creditor: "CJIB".into(),
                attachment_id: "B1".into(),
                missing: vec!["leefvormAangenomen".into()],
            },
        ]
    );
}

/// An attachment of 10.00 a month by `code` that applies `bvv`.
fn with_bvv(id: &str, code: &str, bvv: &str) -> Attachment {
    let mut a = attachment(id, creditor(code), "10.00");
    a.terms.applied_bvv = Some(eur(bvv));
    a
}

/// Each deviating BVV flag: its attachment, direction, common norm and how certain that is.
fn deviations(detection: &Detection) -> Vec<(String, Deviation, String, NormCertainty)> {
    flags_with(detection, FlagCode::DeviatingExemptAmount)
        .into_iter()
        .map(|f| match f {
            Flag::DeviatingExemptAmount(d) => (
                d.attachment_id.clone(),
                d.direction(),
                d.common_norm.to_string(),
                d.norm_certainty,
            ),
            _ => unreachable!(),
        })
        .collect()
}

#[test]
fn a_bvv_outside_the_range_deviates_for_certain_and_one_inside_is_uncertain() {
    let detection = detect(
        Some(&ranged()),
        &[
            with_bvv("B1", "CJIB", "1200.00"),
            with_bvv("B2", "DUO", "1500.00"),
            with_bvv("B3", "CAK", "2000.00"),
        ],
        &[],
        &registry(),
        today(),
    );
    let texts: Vec<String> = flags_with(&detection, FlagCode::DeviatingExemptAmount)
        .into_iter()
        .map(|f| f.explanation(&registry(), Addressee::Person))
        .collect();
    assert!(
        texts[0].contains(
            "uw beslagvrije voet ten minste € 1.331,43. Die van het beslag is ten minste € 131,43 lager"
        ) && texts[1].contains(
            "uw beslagvrije voet ten hoogste € 1.995,00. Die van het beslag is ten minste € 5,00 hoger"
        ),
        "{texts:?}"
    );
    assert_eq!(
        deviations(&detection),
        [
            (
                "B1".to_owned(),
                Deviation::Lower,
                "1331.43".to_owned(),
                NormCertainty::AtLeast
            ),
            (
                "B3".to_owned(),
                Deviation::Higher,
                "1995.00".to_owned(),
                NormCertainty::AtMost
            ),
        ]
    );
    assert_eq!(detection.uncertain.len(), 1);
    assert_eq!(detection.uncertain[0].attachment_id.as_deref(), Some("B2"));
    assert!(
        detection.uncertain[0]
            .explanation
            .contains("bij het beslag van Dienst Uitvoering Onderwijs klopt"),
        "{}",
        detection.uncertain[0].explanation
    );
}

/// On a day in 2027 with only the tables of 2026: the same single person whose norm the July
/// 2026 amounts put at 0.95 × 1419.46 = 1348.49.
fn without_table() -> IncomeAndNorm {
    let mut situation = situation("2100.00", "1348.49");
    situation.norm.without_table = Some(day(2027, 1, 1));
    situation
}

#[test]
fn without_the_table_of_todays_half_year_a_higher_bvv_is_uncertain_and_a_lower_one_too_low() {
    // CJIB may already apply the new amounts; DUO applies less than even the previous ones.
    let detection = detect_today(
        Some(&without_table()),
        &[
            with_bvv("B1", "CJIB", "1367.49"),
            with_bvv("B2", "DUO", "1200.00"),
        ],
        &[],
    );
    assert_eq!(
        deviations(&detection),
        [(
            "B2".to_owned(),
            Deviation::Lower,
            "1348.49".to_owned(),
            NormCertainty::AtLeast
        )],
        "not told that a BVV above the previous amounts is too high"
    );
    let cjib = detection
        .uncertain
        .iter()
        .find(|u| u.attachment_id.as_deref() == Some("B1"))
        .expect("CJIB's is undecided");
    assert_eq!(cjib.missing, ["normtabel"]);
    assert!(
        cjib.explanation.contains("vanaf 1 januari 2027")
            && cjib.explanation.contains("ten minste € 1.348,49"),
        "{}",
        cjib.explanation
    );
    // 20.00 withheld leaves enough at the previous amounts; at the new ones nobody can say yet.
    let undercut = detection
        .uncertain
        .iter()
        .find(|u| u.code == FlagCode::SubsistenceMinimumUndercut)
        .expect("a possible shortfall");
    assert!(
        undercut.explanation.contains("art. 475da lid 8 Rv"),
        "{}",
        undercut.explanation
    );
    assert_eq!(
        detection.remaining_capacity, None,
        "no upper bound, no safe rest"
    );
    assert!(
        detection.requests.is_empty(),
        "no creditor can supply a norm table"
    );
}

#[test]
fn without_the_table_of_todays_half_year_a_shortfall_at_the_previous_amounts_is_raised() {
    // 900.00 withheld; 2100.00 − 1348.49 = 751.51 available: 148.49 short at the least.
    let (detection, flag) = cjib_withholding_900(&without_table());
    assert_eq!(flag.shortfall(), eur("148.49"));
    assert_eq!(flag.norm_certainty, NormCertainty::AtLeast);
    assert!(detection.uncertain.is_empty());
}

#[test]
fn the_evaluation_knows_when_todays_half_year_has_no_table() {
    let mut laid = attachment("B1", creditor("CJIB"), "500.00");
    laid.terms.known_net_income = Some(eur("2100.00"));
    laid.terms.taxable_yearly_income = Some(eur("20000.00"));
    laid.assumed_household = Some(HouseholdType::Single);
    let circumstances = Circumstances {
        attachments: vec![laid],
        ..Circumstances::default()
    };
    let on = |day| {
        circumstances
            .evaluate(&seed_tables(), &[], day)
            .norm
            .expect("a norm")
    };
    assert_eq!(on(day(2026, 12, 31)), NormBounds::exact(eur("1348.49")));
    let january = on(day(2027, 1, 5));
    assert_eq!(january.without_table, Some(day(2027, 1, 1)));
    assert_eq!((january.lowest, january.upper()), (eur("1348.49"), None));
    assert!(!january.is_exact());
    assert_eq!(january.undecided_by(), ["normtabel"]);
}

#[test]
fn each_request_is_made_once() {
    let request = |creditor: &str| DataRequest {
        creditor: creditor.into(),
        attachment_id: format!("B-{creditor}"),
        missing: vec!["belastbaarJaarinkomen".into()],
    };
    let previous = [request("CJIB")];
    let current = [request("CJIB"), request("DUO")];
    let new: Vec<_> = new_requests(&previous, &current).collect();
    assert_eq!(new, [&request("DUO")]);
}

#[test]
fn the_evaluation_computes_the_legal_range_from_what_the_attaching_party_knows() {
    let mut laid = attachment("B1", creditor("CJIB"), "500.00");
    laid.terms.known_net_income = Some(eur("2100.00"));
    laid.assumed_household = Some(HouseholdType::Single);
    let circumstances = Circumstances {
        attachments: vec![laid.clone()],
        ..Circumstances::default()
    };
    let norm = circumstances
        .evaluate(&seed_tables(), &[], day(2026, 3, 1))
        .norm
        .expect("a norm");
    assert_eq!(
        (norm.lowest, norm.highest, norm.missing.as_slice()),
        (
            eur("1331.43"),
            eur("1995.00"),
            ["belastbaarJaarinkomen".to_owned()].as_slice()
        )
    );

    // With € 20.000 taxable income (below every allowance threshold) the norm is exact.
    laid.terms.taxable_yearly_income = Some(eur("20000.00"));
    let known = Circumstances {
        attachments: vec![laid.clone()],
        ..Circumstances::default()
    };
    let norm = known
        .evaluate(&seed_tables(), &[], day(2026, 3, 1))
        .norm
        .expect("a norm");
    assert_eq!(norm, NormBounds::exact(eur("1331.43")));

    // A couple of whom nobody said whether there are children: both are computed.
    laid.assumed_household = Some(HouseholdType::MarriedOrCohabiting);
    laid.terms.known_net_income = Some(eur("4000.00"));
    laid.terms.taxable_yearly_income = Some(eur("45000.00"));
    let couple = Circumstances {
        attachments: vec![laid],
        ..Circumstances::default()
    };
    let norm = couple
        .evaluate(&seed_tables(), &[], day(2026, 3, 1))
        .norm
        .expect("a norm");
    assert!(norm.lowest < norm.highest, "{norm:?}");
    assert_eq!(norm.missing, ["kinderen"]);
}
