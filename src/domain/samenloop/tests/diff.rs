use super::fixtures::*;
use crate::domain::samenloop::{ChangeKind, FlagChange, changes, notifications_for};

fn kinds(changes: &[FlagChange]) -> Vec<(ChangeKind, String)> {
    changes
        .iter()
        .map(|c| (c.kind(), c.key().to_string()))
        .collect()
}

#[test]
fn the_same_situation_evaluated_twice_gives_equal_keys_and_no_changes() {
    let situation = situation("1500.00", "1330.00");
    let attachments = [
        attachment("B1", creditor("CJIB"), "100.00"),
        attachment("B2", creditor("DUO"), "100.00"),
    ];
    let first = detect_today(Some(&situation), &attachments, &[]);
    let second = detect_today(Some(&situation), &attachments, &[]);
    let keys = |d: &crate::domain::samenloop::Detection| {
        d.flags.iter().map(|f| f.key()).collect::<Vec<_>>()
    };
    assert_eq!(keys(&first), keys(&second));
    assert!(changes(&first.flags, &second.flags).is_empty());
}

#[test]
fn a_new_flag_is_raised_a_vanished_one_cleared_and_other_figures_changed() {
    let situation = situation("1500.00", "1330.00");
    let mut with_bvv = attachment("B1", creditor("CJIB"), "100.00");
    with_bvv.terms.applied_bvv = Some(eur("1200.00"));
    let before = detect_today(
        Some(&situation),
        &[
            with_bvv.clone(),
            attachment("B2", creditor("DUO"), "100.00"),
        ],
        &[],
    );
    with_bvv.terms.applied_bvv = Some(eur("1330.00"));
    let after = detect_today(
        Some(&situation),
        &[with_bvv, attachment("B2", creditor("DUO"), "100.00")],
        &[
            rijk("R1", &[("CJIB", "C-1")], "10.00"),
            rijk("R2", &[("CAK", "K-1")], "10.00"),
        ],
    );
    let found = changes(&before.flags, &after.flags);
    assert_eq!(
        kinds(&found),
        [
            (
                ChangeKind::Cleared,
                "AFWIJKENDE_BESLAGVRIJE_VOET:B1".to_owned()
            ),
            (
                ChangeKind::Changed,
                "BESTAANSMINIMUM_ONDERSCHREDEN".to_owned()
            ),
            (ChangeKind::Raised, "SAMENLOOP_REGELINGEN".to_owned()),
            (
                ChangeKind::Raised,
                "VORDERING_IN_REGELING_EN_BESLAG:B1:R1".to_owned()
            ),
        ]
    );
    let FlagChange::Changed { previous, current } = &found[1] else {
        panic!("changed expected");
    };
    assert_ne!(previous, current);
}

#[test]
fn keys_keep_ids_with_separators_apart() {
    let one = detect_today(
        None,
        &[attachment("B:1", creditor("CJIB"), "1.00")],
        &[rijk("R", &[("CJIB", "C")], "1.00")],
    );
    let other = detect_today(
        None,
        &[attachment("B", creditor("CJIB"), "1.00")],
        &[rijk("1:R", &[("CJIB", "C")], "1.00")],
    );
    assert_eq!(
        one.flags[0].key().as_str(),
        "VORDERING_IN_REGELING_EN_BESLAG:B\\:1:R"
    );
    assert_ne!(one.flags[0].key(), other.flags[0].key());
}

#[test]
fn every_affected_creditor_is_notified_once_per_change_in_creditor_order() {
    let situation = situation("1500.00", "1330.00");
    let before = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("DUO"), "100.00")],
        &[],
    );
    let after = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("DUO"), "100.00")],
        &[
            rijk("R1", &[("CJIB", "C-1"), ("CAK", "K-1")], "50.00"),
            single("R2", private("Energiebedrijf"), "30.00"),
        ],
    );
    let notifications = notifications_for(
        &changes(&before.flags, &after.flags),
        after.remaining_capacity,
        after.shortfall_undecided(),
    );
    let summary: Vec<(&str, ChangeKind, &str)> = notifications
        .iter()
        .map(|n| (n.creditor.as_str(), n.change, n.view.code.code()))
        .collect();
    assert_eq!(
        summary,
        [
            ("CAK", ChangeKind::Raised, "BESTAANSMINIMUM_ONDERSCHREDEN"),
            ("CAK", ChangeKind::Raised, "SAMENLOOP_REGELINGEN"),
            ("CJIB", ChangeKind::Raised, "BESTAANSMINIMUM_ONDERSCHREDEN"),
            ("CJIB", ChangeKind::Raised, "SAMENLOOP_REGELINGEN"),
            ("DUO", ChangeKind::Raised, "BESTAANSMINIMUM_ONDERSCHREDEN"),
        ]
    );
    assert!(notifications.iter().all(|n| n.view.creditor == n.creditor));
}

#[test]
fn a_cleared_flag_is_sent_to_the_creditors_it_concerned() {
    let situation = situation("1500.00", "1330.00");
    let attachments = [attachment("B1", creditor("DUO"), "100.00")];
    let before = detect_today(
        Some(&situation),
        &attachments,
        &[rijk("R1", &[("CJIB", "C-1")], "80.00")],
    );
    let after = detect_today(Some(&situation), &attachments, &[]);
    let notifications = notifications_for(
        &changes(&before.flags, &after.flags),
        after.remaining_capacity,
        after.shortfall_undecided(),
    );
    let summary: Vec<(&str, ChangeKind)> = notifications
        .iter()
        .map(|n| (n.creditor.as_str(), n.change))
        .collect();
    assert_eq!(
        summary,
        [("CJIB", ChangeKind::Cleared), ("DUO", ChangeKind::Cleared)]
    );
    assert_eq!(notifications[0].view.remaining_capacity, Some(eur("70.00")));
}

#[test]
fn a_changed_flag_is_raised_for_a_newly_concerned_creditor_and_not_sent_where_nothing_visible_changed()
 {
    let mut cjib = attachment("B1", creditor("CJIB"), "10.00");
    cjib.terms.start = day(2024, 1, 1);
    let before = detect_today(
        None,
        &[cjib.clone(), attachment("B2", creditor("DUO"), "10.00")],
        &[],
    );
    let after = detect_today(
        None,
        &[
            cjib,
            attachment("B2", creditor("DUO"), "10.00"),
            attachment("B3", creditor("UWV"), "10.00"),
        ],
        &[],
    );
    let found = changes(&before.flags, &after.flags);
    assert_eq!(
        kinds(&found),
        [(ChangeKind::Changed, "MEERDERE_BESLAGLEGGERS".to_owned())]
    );
    let notifications = notifications_for(&found, None, false);
    let summary: Vec<(&str, ChangeKind)> = notifications
        .iter()
        .map(|n| (n.creditor.as_str(), n.change))
        .collect();
    // CJIB still coordinates and DUO still does not: their views are as they were.
    assert_eq!(summary, [("UWV", ChangeKind::Raised)]);
}

#[test]
fn a_creditor_whose_own_view_changed_is_told_it_changed() {
    let situation = situation("1500.00", "1330.00");
    let before = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("DUO"), "200.00")],
        &[],
    );
    let after = detect_today(
        Some(&situation),
        &[attachment("B1", creditor("DUO"), "250.00")],
        &[],
    );
    let notifications = notifications_for(
        &changes(&before.flags, &after.flags),
        after.remaining_capacity,
        after.shortfall_undecided(),
    );
    assert_eq!(notifications.len(), 1);
    assert_eq!(notifications[0].change, ChangeKind::Changed);
    assert!(
        notifications[0]
            .view
            .explanation
            .contains("€ 80,00 per maand minder")
    );
}
