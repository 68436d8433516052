//! The legal beslagvrije voet in proposals and samenloop: a proposal leaves exactly what the law
//! protects, a new half-year table takes effect on its day, and missing data makes a flag
//! uncertain instead of a notified breach.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, Backend, TestApp};

/// A single person earning well: 3500.00 net, 60 000.00 taxable a year. On the first due date,
/// 1 July 2026, the law lets them keep the lid-1 maximum, 2208.48.
fn well_earning() -> Value {
    json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "3500.00", "belastbaarJaarinkomen": "60000.00"})
}

fn propose_and_accept(app: &TestApp) -> (Value, Value) {
    for (code, events) in cjib_and_duo_claims() {
        app.post_events(code, events).succeeded();
    }
    let citizen = app.citizen(BSNS[0]);
    let proposal = app
        .post(
            "/api/v1/betalingsregelingen/voorstellen",
            Some(&citizen),
            &json!({"huishouden": well_earning()}),
        )
        .succeeded()
        .json();
    let arrangement = accept(app, &citizen, proposal["id"].as_str().unwrap())
        .succeeded()
        .json();
    (proposal, arrangement)
}

on_both_backends! {
    fn a_proposal_for_an_income_above_the_thresholds_leaves_exactly_the_legal_beslagvrije_voet(app) {
        let (proposal, arrangement) = propose_and_accept(&app);
        let norm = &proposal["beslagvrijeVoet"];
        assert_eq!(norm["peildatum"], "2026-07-01", "the norm in force on the first due date");
        assert_eq!(norm["beslagvrijeVoet"], "2208.48");
        // 3500.00 − 2208.48 = 1291.52: the instalment takes all of it and nothing more.
        assert_eq!(proposal["regeling"]["maandbedrag"], "1291.52");
        assert_eq!(arrangement["maandbedrag"], "1291.52");
        let withheld = |a: &str, b: &str| {
            let cents = |s: &str| s.replace('.', "").parse::<i64>().unwrap();
            cents(a) - cents(b)
        };
        assert_eq!(withheld("3500.00", "1291.52"), 220_848, "the person keeps 2208.48");
    }

    fn a_proposal_takes_no_peildatum(app) {
        let mut household = well_earning();
        household["peildatum"] = json!("2026-01-01");
        let reply = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])), &json!({"huishouden": household}));
        assert_eq!(reply.invalid_names(), ["huishouden.peildatum"]);
    }

    fn an_attachment_without_a_taxable_income_gives_an_uncertain_flag_and_a_request_not_a_breach(app) {
        // 500.00 a month of 2100.00 net: enough is left at the lowest legal norm (1331.43), not at
        // the highest the missing taxable income allows (1995.00, 95 % of the income).
        let mut body = attachment("500.00", "1331.43", "2026-03-01");
        body.as_object_mut().unwrap().remove("belastbaarJaarinkomen");
        let laid = register(&app, &app.agency("CJIB"), &body).succeeded().json();
        let samenloop = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).succeeded().json()["samenloop"].clone();
        assert_eq!(samenloop["signaleringen"], json!([]));
        assert_eq!(samenloop["onzeker"][0]["code"], "BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!(samenloop["onzeker"][0]["ontbrekend"], json!(["belastbaarJaarinkomen"]));
        assert_eq!(samenloop["beslagvrijeVoet"], json!({"laagste": "1331.43", "hoogste": "1995.00", "ontbrekend": ["belastbaarJaarinkomen"]}));
        let cjib = feed(&app, "CJIB");
        let kinds: Vec<_> = cjib.iter().map(|m| m["inhoud"]["soort"].clone()).collect();
        assert_eq!(kinds, [json!("GEGEVENS_GEVRAAGD")], "asked for the data, not told of a breach");
        assert_eq!(cjib[0]["inhoud"]["beslagId"], laid["id"]);
        assert_eq!(cjib[0]["inhoud"]["ontbrekend"], json!(["belastbaarJaarinkomen"]));

        // CJIB knows it: 60 000.00 a year. The norm is then 95 % of the income, 1995.00, and the
        // 500.00 leaves 395.00 too little.
        let path = format!("/api/v1/beslagen/{}", laid["id"].as_str().unwrap());
        app.send("PATCH", &path, Some(&app.agency("CJIB")), Some(("application/merge-patch+json", json!({"belastbaarJaarinkomen": "60000.00"}).to_string()))).succeeded();
        let raised = samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!(raised.len(), 1);
        assert_eq!((raised[0].0.as_str(), &raised[0].1["tekort"]), ("SAMENLOOP_GESIGNALEERD", &json!("395.00")));
    }
}

/// The arrangement takes all the norm leaves; a table that raises the norm from 1 January 2027
/// makes it take 19.00 too much from that day: the daily check tells the coordinating collector,
/// and the citizen sees it, without anyone changing anything.
fn a_new_half_year_table_that_lowers_the_room_raises_the_flag_on_its_day(backend: Backend) {
    let app = TestApp::start_with(backend, |config| {
        config.samenloop_check_every = std::time::Duration::from_millis(50);
    });
    propose_and_accept(&app);
    app.post(
        "/api/v1/normtabellen",
        Some(&app.admin()),
        &next_table(&app),
    )
    .succeeded();
    let undercut =
        |app: &TestApp| samenloop_of(&feed(app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        undercut(&app).is_empty(),
        "the table has not taken effect yet"
    );

    app.clock.advance(chrono::Duration::days(200));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while undercut(&app).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the daily check never raised the flag"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (kind, message) = &undercut(&app)[0];
    assert_eq!(kind, "SAMENLOOP_GESIGNALEERD");
    assert_eq!(message["tekort"], "19.00");
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0])))
        .succeeded()
        .json();
    let codes: Vec<_> = overview["samenloop"]["signaleringen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].clone())
        .collect();
    assert_eq!(codes, [json!("BESTAANSMINIMUM_ONDERSCHREDEN")]);
}

/// With the table of 1 January 2027 already posted, a proposal whose schedule runs into 2027 takes
/// 19.00 less a month from the start (eight instalments instead of seven), so that on 1 January it still leaves what the law protects:
/// no flag is raised on that day about the service's own arrangement.
fn a_proposal_plans_on_the_norm_of_a_later_half_year_it_already_knows(backend: Backend) {
    let app = TestApp::start_with(backend, |config| {
        config.samenloop_check_every = std::time::Duration::from_millis(50);
    });
    app.post(
        "/api/v1/normtabellen",
        Some(&app.admin()),
        &next_table(&app),
    )
    .succeeded();
    // 9000.00 in all: at 1291.52 a month the seventh instalment falls on 1 January 2027.
    app.post_events(
        "DUO",
        json!([imposed(
            "D2",
            "DUO-2",
            BSNS[0],
            "duo_studieschuld",
            "6000.00"
        )]),
    )
    .succeeded();
    let (proposal, arrangement) = propose_and_accept(&app);
    assert_eq!(proposal["afloscapaciteit"], "1291.52", "what July leaves");
    assert_eq!(
        proposal["regeling"]["maandbedrag"], "1272.52",
        "what January leaves"
    );
    assert_eq!(arrangement["maandbedrag"], "1272.52");
    let summary = proposal["samenvatting"].as_str().unwrap();
    assert!(
        summary.contains("Vanaf 1 januari 2027 gelden nieuwe bedragen (art. 475da lid 8 Rv): dan is uw beslagvrije voet € 2.227,48."),
        "{summary}"
    );

    app.clock.advance(chrono::Duration::days(200));
    let citizen = app.citizen(BSNS[0]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let overview = loop {
        let overview = app
            .get("/api/v1/vorderingenoverzicht", Some(&citizen))
            .succeeded()
            .json();
        if overview["samenloop"]["beslagvrijeVoet"]["laagste"] == "2227.48" {
            break overview;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the daily check never judged on the 2027 norm: {overview}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(
        overview["samenloop"]["signaleringen"],
        json!([]),
        "{overview}"
    );
    assert_eq!(overview["samenloop"]["restcapaciteit"], "0.00");
    assert!(samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN").is_empty());
}

#[test]
fn a_proposal_plans_on_the_norm_of_a_later_half_year_it_already_knows_on_sqlite() {
    a_proposal_plans_on_the_norm_of_a_later_half_year_it_already_knows(Backend::Sqlite);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_proposal_plans_on_the_norm_of_a_later_half_year_it_already_knows_on_postgres() {
    a_proposal_plans_on_the_norm_of_a_later_half_year_it_already_knows(Backend::Postgres);
}

#[test]
fn a_new_half_year_table_that_lowers_the_room_raises_the_flag_on_its_day_on_sqlite() {
    a_new_half_year_table_that_lowers_the_room_raises_the_flag_on_its_day(Backend::Sqlite);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_new_half_year_table_that_lowers_the_room_raises_the_flag_on_its_day_on_postgres() {
    a_new_half_year_table_that_lowers_the_room_raises_the_flag_on_its_day(Backend::Postgres);
}
