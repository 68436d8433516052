use super::fixtures::*;
use crate::domain::samenloop::{InputProblem, validate};

#[test]
fn validate_accepts_the_fixtures() {
    let attachments = [
        attachment("B1", creditor("CJIB"), "10.00"),
        attachment("B2", private("Deurwaarder Jansen"), "10.00"),
    ];
    let arrangements = [
        rijk("R1", &[("CJIB", "C-1")], "5.00"),
        single("B1", creditor("DUO"), "5.00"),
    ];
    assert_eq!(validate(&attachments, &arrangements), []);
}

#[test]
fn validate_reports_every_problem_at_once() {
    let mut negative = attachment("B1", creditor("CJIB"), "-0.01");
    negative.applied_bvv = Some(eur("-1.00"));
    negative.end = Some(day(2024, 12, 31));
    let mut private_by_registry = attachment("B2", private("Deurwaarder Jansen"), "10.00");
    private_by_registry.self_declared = false;
    let duplicate = attachment("B2", creditor(" "), "10.00");
    let nameless = attachment("", creditor("DUO"), "10.00");
    let arrangements = [
        rijk("R1", &[], "5.00"),
        rijk("R2", &[("CJIB", "")], "-5.00"),
        single("R3", private(""), "5.00"),
    ];
    let problems = validate(
        &[negative, private_by_registry, duplicate, nameless],
        &arrangements,
    );
    assert_eq!(
        problems,
        [
            InputProblem::DuplicateId {
                id: "B2".to_owned()
            },
            InputProblem::MissingId,
            InputProblem::NegativeAmount {
                id: "B1".to_owned(),
                field: "het bedrag per maand"
            },
            InputProblem::NegativeAmount {
                id: "B1".to_owned(),
                field: "de beslagvrije voet"
            },
            InputProblem::EndsBeforeStart {
                id: "B1".to_owned()
            },
            InputProblem::PrivatePartyNotSelfDeclared {
                id: "B2".to_owned()
            },
            InputProblem::MissingParty {
                id: "B2".to_owned()
            },
            InputProblem::RijkArrangementWithoutClaims {
                id: "R1".to_owned()
            },
            InputProblem::IncompleteArrangementClaim {
                id: "R2".to_owned()
            },
            InputProblem::NegativeAmount {
                id: "R2".to_owned(),
                field: "het bedrag per maand"
            },
            InputProblem::MissingParty {
                id: "R3".to_owned()
            },
        ]
    );
    assert_eq!(
        problems[2].to_string(),
        "B1: het bedrag per maand mag niet negatief zijn"
    );
}

#[test]
fn an_attachment_runs_from_its_start_through_its_end_day() {
    let mut a = attachment("B1", creditor("CJIB"), "10.00");
    a.start = day(2026, 3, 1);
    a.end = Some(day(2026, 3, 31));
    assert!(!a.is_running(day(2026, 2, 28)));
    assert!(a.is_running(day(2026, 3, 1)));
    assert!(a.is_running(day(2026, 3, 31)));
    assert!(!a.is_running(day(2026, 4, 1)));
    a.end = None;
    assert!(a.is_running(day(2099, 1, 1)));
}
