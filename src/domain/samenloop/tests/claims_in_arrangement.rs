use super::fixtures::*;
use crate::domain::samenloop::{ClaimInArrangementAndAttachment, Detection, Flag};

fn collisions(detection: &Detection) -> Vec<&ClaimInArrangementAndAttachment> {
    detection
        .flags
        .iter()
        .filter_map(|f| match f {
            Flag::ClaimInArrangementAndAttachment(flag) => Some(flag),
            _ => None,
        })
        .collect()
}

#[test]
fn an_attachment_naming_a_claim_in_a_running_rijk_arrangement_is_flagged_for_that_claim_only() {
    let mut cjib = attachment("B1", creditor("CJIB"), "50.00");
    cjib.terms.claim_keys = vec!["C-2".to_owned(), "C-9".to_owned()];
    let detection = detect_today(
        None,
        &[cjib],
        &[rijk(
            "R1",
            &[("CJIB", "C-1"), ("CJIB", "C-2"), ("DUO", "D-1")],
            "60.00",
        )],
    );
    let [flag] = collisions(&detection)[..] else {
        panic!("expected one flag, got {:?}", detection.flags);
    };
    assert_eq!(flag.creditor, "CJIB");
    assert_eq!(flag.claim_keys, ["C-2"]);
    assert_eq!(flag.attachment_id, "B1");
    assert_eq!(flag.arrangement_id, "R1");
    assert!(flag.attachment_names_claims);
    assert_eq!(detection.flags[0].affected_creditors(), ["CJIB"]);
    assert_eq!(
        detection.flags[0].key().as_str(),
        "VORDERING_IN_REGELING_EN_BESLAG:B1:R1"
    );
    let explanation = detection.flags[0].explanation(&registry(), Addressee::Person);
    assert!(
        explanation.contains(
            "Centraal Justitieel Incassobureau legt beslag voor vordering C-2, terwijl die ook zit \
             in de Betalingsregeling Rijk. Zolang de regeling loopt, hoort Centraal Justitieel \
             Incassobureau de invordering"
        ),
        "{explanation}"
    );
}

#[test]
fn an_attachment_naming_only_other_claims_is_not_flagged() {
    let mut cjib = attachment("B1", creditor("CJIB"), "50.00");
    cjib.terms.claim_keys = vec!["C-9".to_owned()];
    let detection = detect_today(None, &[cjib], &[rijk("R1", &[("CJIB", "C-1")], "60.00")]);
    assert!(collisions(&detection).is_empty());
}

#[test]
fn an_attachment_naming_no_claims_counts_for_all_claims_of_its_creditor() {
    let detection = detect_today(
        None,
        &[attachment("B1", creditor("CJIB"), "50.00")],
        &[rijk(
            "R1",
            &[("CJIB", "C-2"), ("DUO", "D-1"), ("CJIB", "C-1")],
            "60.00",
        )],
    );
    let [flag] = collisions(&detection)[..] else {
        panic!("expected one flag, got {:?}", detection.flags);
    };
    assert_eq!(flag.claim_keys, ["C-1", "C-2"]);
    assert!(!flag.attachment_names_claims);
    assert!(
        detection.flags[0]
            .explanation(&[], Addressee::Person)
            .contains("noemt geen vorderingen")
    );
}

#[test]
fn another_creditors_attachment_or_a_private_one_never_collides_with_a_claim() {
    let mut private_party = attachment("B2", private("CJIB"), "50.00");
    private_party.terms.claim_keys = vec!["C-1".to_owned()];
    let detection = detect_today(
        None,
        &[attachment("B1", creditor("DUO"), "50.00"), private_party],
        &[rijk("R1", &[("CJIB", "C-1")], "60.00")],
    );
    assert!(collisions(&detection).is_empty());
}

#[test]
fn an_ended_arrangement_or_a_single_party_arrangement_does_not_collide() {
    let mut ended = rijk("R1", &[("CJIB", "C-1")], "60.00");
    ended.end = Some(day(2026, 3, 14));
    let detection = detect_today(
        None,
        &[attachment("B1", creditor("CJIB"), "50.00")],
        &[ended, single("R2", creditor("CJIB"), "10.00")],
    );
    assert!(collisions(&detection).is_empty());
}

#[test]
fn each_attachment_and_arrangement_pair_is_its_own_flag() {
    let detection = detect_today(
        None,
        &[
            attachment("B1", creditor("CJIB"), "50.00"),
            attachment("B2", creditor("DUO"), "50.00"),
        ],
        &[
            rijk("R1", &[("CJIB", "C-1"), ("DUO", "D-1")], "60.00"),
            rijk("R2", &[("CJIB", "C-2")], "60.00"),
        ],
    );
    let pairs: Vec<(&str, &str)> = collisions(&detection)
        .iter()
        .map(|f| (f.attachment_id.as_str(), f.arrangement_id.as_str()))
        .collect();
    assert_eq!(pairs, [("B1", "R1"), ("B1", "R2"), ("B2", "R1")]);
}

#[test]
fn a_claim_paid_off_in_the_arrangement_no_longer_collides() {
    let arrangement = rijk_owing(
        "R1",
        &[("CJIB", "C-1", "0.00"), ("CJIB", "C-2", "0.01")],
        "60.00",
    );
    let detection = detect_today(
        None,
        &[attachment("B1", creditor("CJIB"), "50.00")],
        &arrangement.into_iter().collect::<Vec<_>>(),
    );
    let [flag] = collisions(&detection)[..] else {
        panic!("expected one flag, got {:?}", detection.flags);
    };
    assert_eq!(flag.claim_keys, ["C-2"]);
}

#[test]
fn an_arrangement_with_every_claim_settled_no_longer_runs() {
    assert_eq!(
        rijk_owing(
            "R1",
            &[("CJIB", "C-1", "0.00"), ("DUO", "D-1", "0.00")],
            "60.00"
        ),
        None
    );
}
