//! The common norm over HTTP: computations, dated tables, and who may add them.

use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::TestApp;

/// 95 % of `cents`, rounded half away from zero: computed here in integers, independently of
/// the service's decimal arithmetic.
fn ninety_five_percent(cents: i64) -> i64 {
    (cents * 95 + 50) / 100
}

fn cents(amount: &Value) -> i64 {
    let text = amount.as_str().expect("amount is a string");
    let (euros, fraction) = text.split_once('.').expect("two decimals");
    assert_eq!(fraction.len(), 2, "{text}");
    euros.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
}

fn compute(app: &TestApp, body: Value) -> crate::support::Reply {
    app.post(
        "/api/v1/normberekeningen",
        Some(&app.citizen(crate::support::BSNS[0])),
        &body,
    )
}

on_both_backends! {
    fn every_household_type_on_every_seeded_date_keeps_95_percent_of_its_norm(app) {
        let tables = app.get("/api/v1/normtabellen", Some(&app.admin())).json();
        let tables = tables["normtabellen"].as_array().unwrap().clone();
        assert_eq!(tables.len(), 5);
        let mut computed = 0;
        for table in &tables {
            let date = table["geldigVanaf"].as_str().unwrap();
            let norm_of = |code: &str| table["parameters"].as_array().unwrap().iter().find(|p| p["code"] == code).map(|p| cents(&p["bedrag"]));
            for (leefvorm, pension, code) in [
                ("ALLEENSTAANDE", false, "BIJSTANDSNORM_ALLEENSTAANDE"),
                ("ALLEENSTAANDE_OUDER", false, "BIJSTANDSNORM_ALLEENSTAANDE"),
                ("GEHUWD_OF_SAMENWONEND", false, "BIJSTANDSNORM_GEHUWDEN"),
                ("ALLEENSTAANDE", true, "BIJSTANDSNORM_ALLEENSTAANDE_PENSIOEN"),
                ("GEHUWD_OF_SAMENWONEND", true, "BIJSTANDSNORM_GEHUWDEN_PENSIOEN"),
            ] {
                let Some(norm) = norm_of(code) else { continue };
                let reply = compute(&app, json!({"peildatum": date, "leefvorm": leefvorm, "pensioengerechtigd": pension, "nettoInkomen": "3000.00"}));
                assert_eq!(reply.status, 200, "{}", reply.text);
                let result = reply.json();
                assert_eq!(cents(&result["beslagvrijeVoet"]), ninety_five_percent(norm), "{date} {leefvorm} {pension}");
                assert_eq!(cents(&result["afloscapaciteit"]), 300_000 - ninety_five_percent(norm));
                assert_eq!(result["normtabelGeldigVanaf"], date);
                assert_eq!(result["stappen"].as_array().unwrap().len(), 4);
                assert!(result["stappen"].as_array().unwrap().iter().all(|s| !s["grondslag"].as_str().unwrap().is_empty()));
                computed += 1;
            }
        }
        assert_eq!(computed, 23, "4 dates with pension norms, 1 without");
    }

    fn income_below_the_norm_keeps_95_percent_of_the_income(app) {
        let result = compute(&app, json!({"peildatum": "2025-03-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1000.00"})).json();
        assert_eq!(result["beslagvrijeVoet"], "950.00");
        assert_eq!(result["afloscapaciteit"], "50.00");
    }

    fn a_peildatum_after_the_newest_table_computes_with_a_staleness_warning(app) {
        let result = compute(&app, json!({"peildatum": "2026-09-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1500.00"})).json();
        assert_eq!(result["beslagvrijeVoet"], "1331.43");
        let codes: Vec<_> = result["waarschuwingen"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect();
        assert!(codes.contains(&"TABEL_MOGELIJK_VEROUDERD".to_owned()), "{codes:?}");
        assert!(codes.contains(&"PARAMETER_NIET_BEVESTIGD".to_owned()), "{codes:?}");
    }

    fn the_peildatum_defaults_to_today_and_corrections_are_reported_as_not_applied(app) {
        let result = compute(&app, json!({"leefvorm": "GEHUWD_OF_SAMENWONEND", "nettoInkomen": "2500.00", "woonkosten": "950.00"})).json();
        assert_eq!(result["peildatum"], "2026-06-15");
        assert_eq!(result["normtabelGeldigVanaf"], "2026-01-01");
        let corrections = result["correcties"].as_array().unwrap();
        assert_eq!(corrections.len(), 4);
        assert!(corrections.iter().all(|c| c["toegepast"] == false && c["mogelijkVanToepassing"] == true));
    }

    fn a_new_table_is_used_from_its_date_on_and_only_an_administrator_adds_it(app) {
        let table = json!({
            "geldigVanaf": "2026-07-01",
            "parameters": [
                {"code": "BIJSTANDSNORM_ALLEENSTAANDE", "bedrag": "1500.00", "bron": "Normenbrief SZW 1 juli 2026"},
                {"code": "BIJSTANDSNORM_GEHUWDEN", "bedrag": "2142.86", "bron": "Normenbrief SZW 1 juli 2026"},
            ],
        });
        app.post("/api/v1/normtabellen", Some(&app.agency("CJIB")), &table).problem(403);
        app.post("/api/v1/normtabellen", Some(&app.citizen(crate::support::BSNS[0])), &table).problem(403);
        let created = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(created.status, 201, "{}", created.text);
        let before = compute(&app, json!({"peildatum": "2026-06-30", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "3000.00"})).json();
        assert_eq!(before["beslagvrijeVoet"], "1331.43");
        let after = compute(&app, json!({"peildatum": "2026-07-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "3000.00"})).json();
        assert_eq!(after["beslagvrijeVoet"], "1425.00");
        assert_eq!(after["normtabelGeldigVanaf"], "2026-07-01");
        let again = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(again.invalid_names(), ["geldigVanaf"], "history is never rewritten");
        let listed = app.get("/api/v1/normtabellen", Some(&app.agency("CJIB"))).json();
        assert_eq!(listed["normtabellen"][0]["geldigVanaf"], "2026-07-01");
    }

    fn a_bad_table_reports_every_problem(app) {
        let table = json!({
            "geldigVanaf": "2025-01-01",
            "parameters": [
                {"code": "ONBEKEND", "bedrag": "1.00", "bron": "x"},
                {"code": "BIJSTANDSNORM_GEHUWDEN", "bedrag": "-1.00", "bron": "", "extra": true},
            ],
        });
        let reply = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(reply.invalid_names(), ["parameters[0].code", "parameters[1].extra"]);
        let table = json!({
            "geldigVanaf": "2025-01-01",
            "parameters": [{"code": "BIJSTANDSNORM_GEHUWDEN", "bedrag": "0.00", "bron": ""}],
        });
        let reply = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(reply.invalid_names(), ["geldigVanaf", "parameters[0].bedrag", "parameters[0].bron", "parameters"]);
    }

    fn invalid_household_input_lists_every_bad_field(app) {
        let reply = compute(&app, json!({"peildatum": "1-1-2026", "leefvorm": "SAMEN", "pensioengerechtigd": "ja", "nettoInkomen": "-5.00", "woonkosten": 700, "huurtoeslag": "-1.00"}));
        assert_eq!(reply.invalid_names(), ["peildatum", "leefvorm", "pensioengerechtigd", "nettoInkomen", "woonkosten", "huurtoeslag"]);
        let missing = compute(&app, json!({}));
        assert_eq!(missing.invalid_names(), ["leefvorm", "nettoInkomen"]);
        let early = compute(&app, json!({"peildatum": "2023-12-31", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1.00"}));
        assert_eq!(early.invalid_names(), ["peildatum"]);
    }

    fn norms_are_for_signed_in_users(app) {
        app.get("/api/v1/normtabellen", None).problem(401);
        app.post("/api/v1/normberekeningen", None, &json!({})).problem(401);
    }
}
