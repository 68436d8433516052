use super::fixtures::*;
use crate::domain::attachment::Attachment;
use crate::domain::money::Money;
use crate::domain::samenloop::{
    Coordination, CreditorFlagDetails, Detection, Deviation, Flag, FlagCode, NormCertainty,
    OwnArrangement, OwnAttachment, Party, RunningArrangement, view_for_creditor,
};

const CREDITORS: [&str; 4] = ["BELASTINGDIENST", "CAK", "CJIB", "DUO"];

/// Every identifier and amount of a party carries or is unique to it, so that a view can be
/// searched for anything of another party.
fn inputs() -> (Vec<Attachment>, Vec<RunningArrangement>) {
    let mut cjib = attachment("B-CJIB-1", creditor("CJIB"), "111.11");
    cjib.terms.applied_bvv = Some(eur("1200.00"));
    cjib.terms.claim_keys = vec!["K-CJIB-1".to_owned()];
    cjib.terms.start = day(2024, 1, 1);
    let mut duo = attachment("B-DUO-1", creditor("DUO"), "222.22");
    duo.terms.applied_bvv = Some(eur("1250.00"));
    duo.terms.start = day(2024, 6, 1);
    let private_party = attachment("B-PRIV-1", private("Deurwaarder Jansen"), "33.33");
    let arrangements = vec![
        rijk(
            "R-RIJK",
            &[("CJIB", "K-CJIB-1"), ("DUO", "K-DUO-1"), ("CAK", "K-CAK-1")],
            "144.44",
        ),
        single("R-BD", creditor("BELASTINGDIENST"), "55.55"),
    ];
    (vec![cjib, duo, private_party], arrangements)
}

fn detection() -> Detection {
    let (attachments, arrangements) = inputs();
    detect_today(
        Some(&situation("1500.00", "1330.00")),
        &attachments,
        &arrangements,
    )
}

/// Identifiers and amounts that belong to `creditor` alone; the Betalingsregeling Rijk
/// instalment is its coordinator's (CJIB collects it), the private party belongs to no creditor.
fn owned_by(creditor: &str) -> Vec<&'static str> {
    match creditor {
        "CJIB" => vec![
            "CJIB", "111.11", "111,11", "1200.00", "1.200,00", "144.44", "144,44",
        ],
        "DUO" => vec!["DUO", "222.22", "222,22", "1250.00", "1.250,00"],
        "CAK" => vec!["CAK"],
        "BELASTINGDIENST" => vec!["BELASTINGDIENST", "R-BD", "55.55", "55,55"],
        _ => vec!["Jansen", "PRIV", "33.33", "33,33"],
    }
}

/// The one thing of another party a view names: who coordinates the attachments (art. 478 Rv),
/// by its code; replaced here so that nothing else of that party can hide behind it.
fn without_coordinator(flag: &Flag, shown: String) -> String {
    match flag {
        Flag::MultipleAttachingParties(f) => match f.sole_coordinator().map(|c| &c.party) {
            Some(Party::Creditor(code) | Party::Private(code)) => {
                shown.replace(code.as_str(), "<coördinator>")
            }
            None => shown,
        },
        _ => shown,
    }
}

#[test]
fn no_creditor_view_of_any_flag_contains_anything_of_another_party_but_the_coordinators_code() {
    let detection = detection();
    assert_eq!(
        codes(&detection),
        [
            "BESTAANSMINIMUM_ONDERSCHREDEN",
            "MEERDERE_BESLAGLEGGERS",
            "AFWIJKENDE_BESLAGVRIJE_VOET",
            "AFWIJKENDE_BESLAGVRIJE_VOET",
            "VORDERING_IN_REGELING_EN_BESLAG",
            "VORDERING_IN_REGELING_EN_BESLAG",
            "SAMENLOOP_REGELINGEN",
        ]
    );
    let mut views = 0;
    for flag in &detection.flags {
        for creditor in flag.affected_creditors() {
            let view =
                view_for_creditor(flag, &creditor, detection.remaining_capacity).expect("affected");
            let shown = without_coordinator(flag, format!("{view:?}"));
            let foreign = CREDITORS
                .iter()
                .filter(|other| **other != creditor)
                .flat_map(|other| owned_by(other))
                .chain(owned_by("private party"));
            for secret in foreign {
                assert!(
                    !shown.contains(secret),
                    "{creditor} sees {secret:?} in {shown}"
                );
            }
            views += 1;
        }
    }
    // 4 + 2 + 1 + 1 + 1 + 1 + 4: every affected creditor of every flag was looked at.
    assert_eq!(views, 14);
}

#[test]
fn a_creditor_not_concerned_gets_no_view() {
    let detection = detection();
    let deviation = flags_with(&detection, FlagCode::DeviatingExemptAmount)[0];
    assert_eq!(deviation.affected_creditors(), ["CJIB"]);
    assert_eq!(view_for_creditor(deviation, "DUO", None), None);
    let undercut = flags_with(&detection, FlagCode::SubsistenceMinimumUndercut)[0];
    assert_eq!(view_for_creditor(undercut, "UWV", None), None);
    assert_eq!(
        view_for_creditor(undercut, "Deurwaarder Jansen", None),
        None
    );
}

#[test]
fn the_undercut_view_shows_own_deductions_and_the_shortfall_and_the_instalment_only_to_its_coordinator()
 {
    // Deductions 111.11 + 222.22 + 33.33 + 144.44 + 55.55 = 566.65; available 170.00.
    let detection = detection();
    let undercut = flags_with(&detection, FlagCode::SubsistenceMinimumUndercut)[0];
    let cjib = view_for_creditor(undercut, "CJIB", detection.remaining_capacity).expect("view");
    assert_eq!(
        cjib.details,
        CreditorFlagDetails::SubsistenceMinimumUndercut {
            shortfall: eur("396.65"),
            norm_certainty: NormCertainty::Exact,
            own_attachments: vec![OwnAttachment {
                attachment_id: "B-CJIB-1".to_owned(),
                monthly_amount: eur("111.11"),
            }],
            own_arrangements: vec![OwnArrangement {
                arrangement_id: "R-RIJK".to_owned(),
                claim_keys: vec!["K-CJIB-1".to_owned()],
                monthly_amount: Some(eur("144.44")),
                coordinating: true,
            }],
        }
    );
    assert_eq!(cjib.remaining_capacity, Some(Money::ZERO));
    assert!(
        cjib.explanation.contains("€ 396,65 per maand minder"),
        "{}",
        cjib.explanation
    );
    assert!(
        cjib.explanation
            .contains("uw beslag B-CJIB-1 (€ 111,11 per maand)"),
        "{}",
        cjib.explanation
    );
    assert!(
        cjib.explanation
            .contains("uw vordering K-CJIB-1 in betalingsregeling R-RIJK, die u coördineert (€ 144,44 per maand)"),
        "{}",
        cjib.explanation
    );
    assert!(
        cjib.explanation
            .contains("afloscapaciteit van deze persoon is € 0,00"),
        "{}",
        cjib.explanation
    );

    let duo = view_for_creditor(undercut, "DUO", None).expect("view");
    let CreditorFlagDetails::SubsistenceMinimumUndercut {
        own_arrangements, ..
    } = duo.details
    else {
        panic!("undercut details expected");
    };
    assert_eq!(
        own_arrangements,
        [OwnArrangement {
            arrangement_id: "R-RIJK".to_owned(),
            claim_keys: vec!["K-DUO-1".to_owned()],
            monthly_amount: None,
            coordinating: false,
        }],
        "a creditor taking part is not shown the instalment it shares"
    );

    let belastingdienst = view_for_creditor(undercut, "BELASTINGDIENST", None).expect("view");
    let CreditorFlagDetails::SubsistenceMinimumUndercut {
        own_arrangements,
        own_attachments,
        ..
    } = belastingdienst.details
    else {
        panic!("undercut details expected");
    };
    assert!(own_attachments.is_empty());
    assert_eq!(own_arrangements[0].monthly_amount, Some(eur("55.55")));
}

#[test]
fn the_multiple_parties_view_names_the_coordinating_party_and_nothing_of_its_claims() {
    let detection = detection();
    let flag = flags_with(&detection, FlagCode::MultipleAttachingParties)[0];
    let coordination = |creditor| match view_for_creditor(flag, creditor, None).map(|v| v.details) {
        Some(CreditorFlagDetails::MultipleAttachingParties { mut concurrences }) => {
            assert_eq!(concurrences.len(), 1, "one income");
            let concurrence = concurrences.remove(0);
            (concurrence.coordination, concurrence.own_attachment_ids)
        }
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        coordination("CJIB"),
        (
            Coordination::ThisCreditor("CJIB".to_owned()),
            vec!["B-CJIB-1".to_owned()]
        )
    );
    assert_eq!(
        coordination("DUO"),
        (
            Coordination::AnotherParty("CJIB".to_owned()),
            vec!["B-DUO-1".to_owned()]
        )
    );

    let (mut attachments, arrangements) = inputs();
    for attachment in &mut attachments {
        attachment.terms.executorial = false;
    }
    let detection = detect_today(None, &attachments, &arrangements);
    let flag = flags_with(&detection, FlagCode::MultipleAttachingParties)[0];
    let view = view_for_creditor(flag, "DUO", None).expect("view");
    assert!(matches!(
        view.details,
        CreditorFlagDetails::MultipleAttachingParties { concurrences }
            if concurrences[0].coordination == Coordination::NoneYet
    ));
    assert!(view.explanation.contains("nog geen coördinerende partij"));
    assert!(
        !view.explanation.contains("afloscapaciteit"),
        "no capacity without a norm"
    );
}

#[test]
fn the_deviation_view_carries_both_amounts_the_difference_and_the_direction() {
    let detection = detection();
    let flag = flags_with(&detection, FlagCode::DeviatingExemptAmount)[1];
    let view = view_for_creditor(flag, "DUO", detection.remaining_capacity).expect("view");
    assert_eq!(
        view.details,
        CreditorFlagDetails::DeviatingExemptAmount {
            attachment_id: "B-DUO-1".to_owned(),
            applied: eur("1250.00"),
            common_norm: eur("1330.00"),
            norm_certainty: NormCertainty::Exact,
            difference: eur("80.00"),
            direction: Deviation::Lower,
        }
    );
    assert!(
        view.explanation.contains("€ 80,00 lager"),
        "{}",
        view.explanation
    );
    assert_eq!(view.key.as_str(), "AFWIJKENDE_BESLAGVRIJE_VOET:B-DUO-1");
}

#[test]
fn the_claim_view_names_only_the_creditors_own_claims_in_the_arrangement() {
    let detection = detection();
    let flag = flags_with(&detection, FlagCode::ClaimInArrangementAndAttachment)[1];
    let view = view_for_creditor(flag, "DUO", None).expect("view");
    assert_eq!(
        view.details,
        CreditorFlagDetails::ClaimInArrangementAndAttachment {
            attachment_id: "B-DUO-1".to_owned(),
            arrangement_id: "R-RIJK".to_owned(),
            claim_keys: vec!["K-DUO-1".to_owned()],
            attachment_names_claims: false,
        }
    );
    assert!(
        view.explanation.contains("Pauzeer de invordering"),
        "{}",
        view.explanation
    );
}

#[test]
fn what_the_person_reads_names_parties_and_amounts_never_record_ids() {
    let detection = detection();
    assert!(detection.flags.len() >= 4, "{:?}", detection.flags);
    for flag in &detection.flags {
        let explanation = flag.explanation(&[], Addressee::Person);
        for id in ["B-CJIB-1", "B-DUO-1", "B-PRIV-1", "R-RIJK", "R-BD"] {
            assert!(!explanation.contains(id), "{id} in {explanation}");
        }
    }
}
