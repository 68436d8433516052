use super::fixtures::*;
use crate::domain::samenloop::{Deviation, Flag, FlagCode};

fn with_bvv(id: &str, code: &str, bvv: Option<&str>) -> crate::domain::attachment::Attachment {
    let mut attachment = attachment(id, creditor(code), "10.00");
    attachment.terms.applied_bvv = bvv.map(eur);
    attachment
}

#[test]
fn a_bvv_equal_to_the_common_norm_or_unknown_is_not_flagged() {
    let situation = situation("2000.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[
            with_bvv("B1", "CJIB", Some("1330.00")),
            with_bvv("B2", "CJIB", None),
        ],
        &[],
    );
    assert!(detection.flags.is_empty(), "{:?}", detection.flags);
}

#[test]
fn a_bvv_one_cent_below_the_norm_is_flagged_as_lower() {
    let situation = situation("2000.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[with_bvv("B1", "CJIB", Some("1329.99"))],
        &[],
    );
    let [Flag::DeviatingExemptAmount(flag)] = detection.flags.as_slice() else {
        panic!("expected one deviation flag, got {:?}", detection.flags);
    };
    assert_eq!(flag.applied, eur("1329.99"));
    assert_eq!(flag.common_norm, eur("1330.00"));
    assert_eq!(flag.difference(), eur("0.01"));
    assert_eq!(flag.direction(), Deviation::Lower);
    assert_eq!(detection.flags[0].affected_creditors(), ["CJIB"]);
    let explanation = detection.flags[0].explanation(&registry(), Addressee::Person);
    assert!(
        explanation.contains("Bij het beslag van Centraal Justitieel Incassobureau wordt"),
        "{explanation}"
    );
    assert!(explanation.contains("€ 1.329,99"), "{explanation}");
    assert!(
        explanation.contains(
            "volgens de wet is uw beslagvrije voet € 1.330,00. Die van het beslag is € 0,01 \
             lager: u houdt daardoor te weinig over"
        ),
        "{explanation}"
    );
    let to_counsellor = detection.flags[0].explanation(&registry(), Addressee::Counsellor);
    assert!(
        to_counsellor.contains(
            "volgens de wet is de beslagvrije voet van uw cliënt € 1.330,00. Die van het beslag \
             is € 0,01 lager: uw cliënt houdt daardoor te weinig over"
        ),
        "{to_counsellor}"
    );
}

#[test]
fn a_bvv_above_the_norm_is_flagged_as_higher_with_the_difference() {
    let situation = situation("2000.00", "1330.00");
    let detection = detect_today(
        Some(&situation),
        &[with_bvv("B1", "DUO", Some("1402.50"))],
        &[],
    );
    let [Flag::DeviatingExemptAmount(flag)] = detection.flags.as_slice() else {
        panic!("expected one deviation flag, got {:?}", detection.flags);
    };
    assert_eq!(flag.difference(), eur("72.50"));
    assert_eq!(flag.direction(), Deviation::Higher);
}

#[test]
fn each_deviating_running_attachment_gets_its_own_flag_and_key() {
    let situation = situation("2000.00", "1330.00");
    let mut ended = with_bvv("B3", "UWV", Some("900.00"));
    ended.terms.end = Some(day(2026, 1, 31));
    let mut private_party = attachment("B4", private("Deurwaarder Jansen"), "10.00");
    private_party.terms.applied_bvv = Some(eur("1000.00"));
    let detection = detect_today(
        Some(&situation),
        &[
            with_bvv("B1", "CJIB", Some("1200.00")),
            with_bvv("B2", "CJIB", Some("1300.00")),
            ended,
            private_party,
        ],
        &[],
    );
    let keys: Vec<String> = flags_with(&detection, FlagCode::DeviatingExemptAmount)
        .iter()
        .map(|f| f.key().to_string())
        .collect();
    assert_eq!(
        keys,
        [
            "AFWIJKENDE_BESLAGVRIJE_VOET:B1",
            "AFWIJKENDE_BESLAGVRIJE_VOET:B2",
            "AFWIJKENDE_BESLAGVRIJE_VOET:B4"
        ]
    );
    // The private party is shown to the citizen but is nobody to notify.
    let private_flag = flags_with(&detection, FlagCode::DeviatingExemptAmount)[2];
    assert!(private_flag.affected_creditors().is_empty());
}
