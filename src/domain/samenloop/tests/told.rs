//! A flag the parties were told of stays told while the data no longer decides it
//! (docs/domain.md): it is not lifted, since nothing was resolved, nor raised again once decided.

use super::fixtures::*;
use crate::domain::attachment::Attachment;
use crate::domain::samenloop::{
    ChangeKind, Detection, FlagCode, IncomeAndNorm, changes, notifications_for,
};

/// CJIB withholds `monthly` of the 2100.00 net and applies a BVV of 1331.43.
fn cjib(monthly: &str) -> Attachment {
    let mut attachment = attachment("B1", creditor("CJIB"), monthly);
    attachment.terms.applied_bvv = Some(eur("1331.43"));
    attachment
}

/// The norm once a high taxable income is known: 95 % of the income, 1995.00, so 105.00 is
/// available and a BVV of 1331.43 is too low.
fn decided() -> IncomeAndNorm {
    situation("2100.00", "1995.00")
}

/// `current` evaluated after `previous`: with the flags told kept, and what changed by key.
fn after(previous: &Detection, mut current: Detection) -> (Detection, Vec<(ChangeKind, String)>) {
    current.keep_told(previous);
    let found = changes(&previous.told(), &current.told())
        .iter()
        .map(|c| (c.kind(), c.key().to_string()))
        .collect();
    (current, found)
}

/// Told of both flags, then the taxable income is gone: both are uncertain.
fn told_then_undecided() -> (Detection, Detection) {
    let told = detect_today(Some(&decided()), &[cjib("500.00")], &[]);
    assert_eq!(
        codes(&told),
        [
            "BESTAANSMINIMUM_ONDERSCHREDEN",
            "AFWIJKENDE_BESLAGVRIJE_VOET"
        ]
    );
    let (undecided, found) = after(&told, detect_today(Some(&ranged()), &[cjib("500.00")], &[]));
    assert!(found.is_empty(), "nothing was resolved: {found:?}");
    (told, undecided)
}

#[test]
fn a_told_flag_the_data_no_longer_decides_is_kept_as_told_not_cleared() {
    let (told, undecided) = told_then_undecided();
    assert!(undecided.flags.is_empty(), "not shown as certain");
    let uncertain: Vec<FlagCode> = undecided.uncertain.iter().map(|u| u.code).collect();
    assert_eq!(
        uncertain,
        [
            FlagCode::SubsistenceMinimumUndercut,
            FlagCode::DeviatingExemptAmount
        ]
    );
    assert_eq!(undecided.told_undecided, told.flags);
    assert_eq!(undecided.told(), told.flags);

    // Still undecided with other figures: kept with the figures the parties were told.
    let (still, found) = after(
        &undecided,
        detect_today(Some(&ranged()), &[cjib("600.00")], &[]),
    );
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(still.told_undecided, told.flags);
}

#[test]
fn a_kept_flag_decided_again_is_changed_if_its_figures_differ_and_never_raised_again() {
    let (_, undecided) = told_then_undecided();
    let (same, found) = after(
        &undecided,
        detect_today(Some(&decided()), &[cjib("500.00")], &[]),
    );
    assert!(found.is_empty(), "{found:?}");
    assert!(same.told_undecided.is_empty(), "decided: certain again");

    let (more, found) = after(
        &undecided,
        detect_today(Some(&decided()), &[cjib("600.00")], &[]),
    );
    assert_eq!(
        found,
        [(
            ChangeKind::Changed,
            "BESTAANSMINIMUM_ONDERSCHREDEN".to_owned()
        )]
    );
    let told = notifications_for(
        &changes(&undecided.told(), &more.told()),
        more.remaining_capacity,
        more.shortfall_undecided(),
    );
    let summary: Vec<(&str, ChangeKind)> = told
        .iter()
        .map(|n| (n.creditor.as_str(), n.change))
        .collect();
    assert_eq!(summary, [("CJIB", ChangeKind::Changed)]);
}

#[test]
fn a_kept_flag_decided_not_to_hold_or_whose_attachment_is_gone_is_cleared() {
    let (_, undecided) = told_then_undecided();
    let mut within = cjib("50.00");
    within.terms.applied_bvv = Some(eur("1995.00"));
    let (_, found) = after(&undecided, detect_today(Some(&decided()), &[within], &[]));
    let cleared = [
        (
            ChangeKind::Cleared,
            "AFWIJKENDE_BESLAGVRIJE_VOET:B1".to_owned(),
        ),
        (
            ChangeKind::Cleared,
            "BESTAANSMINIMUM_ONDERSCHREDEN".to_owned(),
        ),
    ];
    assert_eq!(found, cleared);

    let (gone, found) = after(&undecided, detect_today(Some(&ranged()), &[], &[]));
    assert_eq!(found, cleared, "the attachment ended");
    assert!(gone.told_undecided.is_empty());
}

#[test]
fn a_told_flag_that_can_no_longer_be_evaluated_is_kept_for_the_attachments_still_concerned() {
    let mut duo = attachment("B2", creditor("DUO"), "10.00");
    duo.terms.applied_bvv = Some(eur("1331.43"));
    let told = detect_today(Some(&decided()), &[cjib("500.00"), duo.clone()], &[]);
    assert_eq!(
        codes(&told),
        [
            "BESTAANSMINIMUM_ONDERSCHREDEN",
            "MEERDERE_BESLAGLEGGERS",
            "AFWIJKENDE_BESLAGVRIJE_VOET",
            "AFWIJKENDE_BESLAGVRIJE_VOET"
        ]
    );
    // No income and household known any more, and CJIB no longer applies a BVV of its own.
    let mut without_bvv = cjib("500.00");
    without_bvv.terms.applied_bvv = None;
    let (unknown, found) = after(&told, detect_today(None, &[without_bvv, duo], &[]));
    assert_eq!(
        found,
        [(
            ChangeKind::Cleared,
            "AFWIJKENDE_BESLAGVRIJE_VOET:B1".to_owned()
        )]
    );
    let kept: Vec<String> = unknown
        .told_undecided
        .iter()
        .map(|f| f.key().to_string())
        .collect();
    assert_eq!(
        kept,
        [
            "BESTAANSMINIMUM_ONDERSCHREDEN",
            "AFWIJKENDE_BESLAGVRIJE_VOET:B2"
        ]
    );
    assert_eq!(codes(&unknown), ["MEERDERE_BESLAGLEGGERS"]);
}

#[test]
fn a_kept_shortfall_lets_go_of_a_creditor_whose_attachment_ended_and_is_lifted_when_none_runs() {
    let duo = attachment("B2", creditor("DUO"), "10.00");
    let told = detect_today(Some(&decided()), &[cjib("500.00"), duo.clone()], &[]);
    let (undecided, found) = after(
        &told,
        detect_today(Some(&ranged()), &[cjib("500.00"), duo], &[]),
    );
    assert!(found.is_empty(), "{found:?}");
    let undercut_told = |previous: &Detection, current: &Detection| -> Vec<(String, ChangeKind)> {
        notifications_for(
            &changes(&previous.told(), &current.told()),
            current.remaining_capacity,
            current.shortfall_undecided(),
        )
        .into_iter()
        .filter(|n| n.view.code == FlagCode::SubsistenceMinimumUndercut)
        .map(|n| (n.creditor, n.change))
        .collect()
    };

    // DUO's attachment ends while the shortfall is still undecided: DUO is told it no longer
    // concerns it, CJIB of the shortfall without DUO's deduction.
    let (cjib_only, _) = after(
        &undecided,
        detect_today(Some(&ranged()), &[cjib("500.00")], &[]),
    );
    assert_eq!(
        undercut_told(&undecided, &cjib_only),
        [
            ("CJIB".to_owned(), ChangeKind::Changed),
            ("DUO".to_owned(), ChangeKind::Cleared)
        ]
    );

    // CJIB's ends too, with nothing left to decide the norm by: lifted.
    let arrangement = single("R1", private("Woonstad"), "50.00");
    let (none, _) = after(&cjib_only, detect_today(None, &[], &[arrangement]));
    assert_eq!(
        undercut_told(&cjib_only, &none),
        [("CJIB".to_owned(), ChangeKind::Cleared)]
    );
    assert!(none.told_undecided.is_empty());
}
