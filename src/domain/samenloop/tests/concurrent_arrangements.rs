use super::fixtures::*;
use crate::domain::samenloop::{Flag, FlagCode};

#[test]
fn one_running_arrangement_is_no_concurrence() {
    let mut ended = single("R2", private("Energiebedrijf"), "25.00");
    ended.end = Some(day(2026, 3, 14));
    let detection = detect_today(None, &[], &[rijk("R1", &[("CJIB", "C-1")], "60.00"), ended]);
    assert!(flags_with(&detection, FlagCode::ConcurrentArrangements).is_empty());
}

#[test]
fn two_running_arrangements_are_flagged_with_their_ids_and_monthly_amounts() {
    let detection = detect_today(
        None,
        &[],
        &[
            single("R2", private("Energiebedrijf"), "25.50"),
            rijk("R1", &[("CJIB", "C-1"), ("DUO", "D-1")], "60.00"),
            single("R3", creditor("BELASTINGDIENST"), "40.00"),
        ],
    );
    let [Flag::ConcurrentArrangements(flag)] = detection.flags.as_slice() else {
        panic!("expected one flag, got {:?}", detection.flags);
    };
    let figures: Vec<(&str, String)> = flag
        .arrangements
        .iter()
        .map(|a| (a.arrangement_id.as_str(), a.monthly_amount.to_string()))
        .collect();
    assert_eq!(
        figures,
        [
            ("R1", "60.00".to_owned()),
            ("R2", "25.50".to_owned()),
            ("R3", "40.00".to_owned())
        ]
    );
    assert_eq!(flag.total(), eur("125.50"));
    assert_eq!(
        detection.flags[0].affected_creditors(),
        ["BELASTINGDIENST", "CJIB", "DUO"]
    );
    // A creditor the registry does not name is named by its code.
    let explanation = detection.flags[0].explanation(&registry(), Addressee::Person);
    assert!(
        explanation.contains("3 betalingsregelingen tegelijk: een Betalingsregeling Rijk (€ 60,00 per maand), een regeling met Energiebedrijf (€ 25,50 per maand) en een regeling met BELASTINGDIENST (€ 40,00 per maand). Samen betaalt u € 125,50 per maand."),
        "{explanation}"
    );
    let to_counsellor = detection.flags[0].explanation(&registry(), Addressee::Counsellor);
    assert!(
        to_counsellor.starts_with("Uw cliënt heeft 3 betalingsregelingen tegelijk")
            && to_counsellor.ends_with("Samen betaalt uw cliënt € 125,50 per maand."),
        "{to_counsellor}"
    );
}
