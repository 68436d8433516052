//! The legal beslagvrije voet over HTTP: the public calculator, the dated tables and who may add
//! them, and every input problem reported at once.

use serde_json::{Value, json};

use crate::fixtures::{next_table, tables, value};
use crate::on_both_backends;
use crate::support::TestApp;

/// The public calculator: no token.
fn compute(app: &TestApp, body: Value) -> crate::support::Reply {
    app.post("/api/v1/normberekeningen", None, &body)
}

on_both_backends! {
    fn the_calculator_and_the_tables_are_public(app) {
        let listed = tables(&app);
        let dates: Vec<_> = listed.iter().map(|t| t["geldigVanaf"].clone()).collect();
        assert_eq!(dates, [json!("2026-07-01"), json!("2026-01-01")], "newest first");
        let reply = compute(&app, json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1000.00"}));
        assert_eq!(reply.status, 200, "{}", reply.text);
        let every = listed[0]["parameters"].as_array().unwrap();
        assert!(every.iter().all(|p| !p["bron"].as_str().unwrap().is_empty() && !p["grondslag"].as_str().unwrap().is_empty()));
    }

    fn a_single_person_with_60000_taxable_income_keeps_the_lid_1_maximum(app) {
        let result = compute(&app, json!({
            "peildatum": "2026-01-15", "leefvorm": "ALLEENSTAANDE",
            "nettoInkomen": "3000.00", "belastbaarJaarinkomen": "60000.00"
        })).json();
        // The law's figure for January 2026, where 0.95 × min(income, bijstandsnorm) gives 1331.43.
        assert_eq!(result["beslagvrijeVoet"], "2191.42");
        assert_eq!(result["afloscapaciteit"], "808.58");
        assert_eq!(result["leefsituatie"], "alleenstaande");
        let steps = result["stappen"].as_array().unwrap();
        let codes: Vec<_> = steps.iter().map(|s| s["code"].as_str().unwrap()).collect();
        for term in ["EERSTE_TERM", "ZORGTOESLAGTERM", "HUURTOESLAGTERM", "MAXIMUM_LID_1"] {
            assert!(codes.contains(&term), "{codes:?}");
        }
        let first = steps.iter().find(|s| s["code"] == "EERSTE_TERM").unwrap();
        assert_eq!(first["bedrag"], "1331.43");
        assert_eq!(first["parameters"][0]["code"], "BIJSTANDSNORM_ALLEENSTAANDE");
        assert_eq!(first["parameters"][0]["waarde"], "1401.50");
        assert!(first["grondslag"].as_str().unwrap().contains("475da"));
    }

    fn every_situation_reproduces_its_published_maximum(app) {
        let newest = tables(&app).remove(0);
        for (leefvorm, kinderen, maximum) in [
            ("ALLEENSTAANDE", None, "MAXIMUM_ALLEENSTAANDE"),
            ("ALLEENSTAANDE_OUDER", None, "MAXIMUM_ALLEENSTAANDE_OUDER"),
            ("GEHUWD_OF_SAMENWONEND", Some(false), "MAXIMUM_GEHUWDEN_ZONDER_KINDEREN"),
            ("GEHUWD_OF_SAMENWONEND", Some(true), "MAXIMUM_GEHUWDEN_MET_KINDEREN"),
        ] {
            let mut body = json!({"peildatum": "2026-08-01", "leefvorm": leefvorm, "nettoInkomen": "9000.00", "belastbaarJaarinkomen": "500000.00"});
            if let Some(kinderen) = kinderen {
                body["kinderen"] = json!(kinderen);
            }
            let result = compute(&app, body).json();
            assert_eq!(result["beslagvrijeVoet"].as_str().unwrap(), value(&newest, maximum), "{leefvorm} {kinderen:?}");
        }
    }

    fn below_the_bijstandsnorm_the_income_cap_decides_without_a_taxable_income(app) {
        let result = compute(&app, json!({"peildatum": "2026-03-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1000.00"})).json();
        assert_eq!(result["beslagvrijeVoet"], "950.00");
        assert_eq!(result["afloscapaciteit"], "50.00");
    }

    fn above_the_bijstandsnorm_high_housing_costs_can_make_the_taxable_income_unnecessary(app) {
        // 95% × 1401.50 plus the lid 5 raise (1200 − 110% × 932.93) is 1505.20, above 95% of 1500:
        // art. 475dc gives 1425.00 whatever the taxable income is.
        let asked = json!({"peildatum": "2026-03-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1500.00", "woonkosten": "1200.00", "woonkostencorrectie": true});
        let result = compute(&app, asked.clone()).json();
        assert_eq!(result["beslagvrijeVoet"], "1425.00");
        assert_eq!(result["afloscapaciteit"], "75.00");
        let mut not_asked = asked;
        not_asked["woonkostencorrectie"] = json!(false);
        assert_eq!(compute(&app, not_asked).invalid_names(), ["belastbaarJaarinkomen"]);
    }

    fn a_peildatum_after_the_newest_table_warns_that_it_may_be_out_of_date(app) {
        let result = compute(&app, json!({"peildatum": "2027-03-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1000.00"})).json();
        assert_eq!(result["normtabelGeldigVanaf"], "2026-07-01");
        let codes: Vec<_> = result["waarschuwingen"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect();
        assert!(codes.contains(&"TABEL_MOGELIJK_VEROUDERD".to_owned()), "{codes:?}");
    }

    fn a_new_half_year_table_is_used_from_its_date_and_only_an_administrator_adds_it(app) {
        let table = next_table(&app);
        app.post("/api/v1/normtabellen", None, &table).problem(401);
        app.post("/api/v1/normtabellen", Some(&app.agency("CJIB")), &table).problem(403);
        app.post("/api/v1/normtabellen", Some(&app.citizen(crate::support::BSNS[0])), &table).problem(403);
        let created = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(created.status, 201, "{}", created.text);
        let at = |peildatum: &str| compute(&app, json!({"peildatum": peildatum, "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "9000.00", "belastbaarJaarinkomen": "500000.00"})).json()["beslagvrijeVoet"].clone();
        assert_eq!(at("2026-12-31"), "2208.48");
        assert_eq!(at("2027-01-01"), "2227.48");
        let again = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(again.invalid_names(), ["geldigVanaf"], "history is never rewritten");
        assert_eq!(tables(&app)[0]["geldigVanaf"], "2027-01-01");
    }

    fn a_table_that_would_leave_a_half_year_without_one_is_refused(app) {
        // 2072 typed for 2027: accepted, it would have refused every table before it for good.
        let mut table = next_table(&app);
        for gap in ["2027-07-01", "2072-01-01"] {
            table["geldigVanaf"] = json!(gap);
            let refused = app.post("/api/v1/normtabellen", Some(&app.admin()), &table).problem(400);
            assert_eq!(refused["invalidParams"][0]["code"], "niet_aansluitend", "{refused}");
        }
        table["geldigVanaf"] = json!("2027-01-01");
        assert_eq!(app.post("/api/v1/normtabellen", Some(&app.admin()), &table).status, 201);
    }

    fn a_table_whose_maxima_do_not_follow_from_its_figures_is_refused(app) {
        let mut table = next_table(&app);
        for parameter in table["parameters"].as_array_mut().unwrap() {
            if parameter["code"] == "MAXIMUM_ALLEENSTAANDE" {
                parameter["waarde"] = json!("2227.49");
            }
        }
        let reply = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert!(reply.invalid_names().iter().any(|n| n.starts_with("parameters")), "{}", reply.text);
    }

    fn a_bad_table_reports_every_problem(app) {
        let table = json!({
            "geldigVanaf": "2025-01-01",
            "parameters": [
                {"code": "ONBEKEND", "waarde": "1.00", "bron": "x"},
                {"code": "BIJSTANDSNORM_GEHUWDEN", "waarde": "veel", "bron": "", "extra": true},
            ],
        });
        let reply = app.post("/api/v1/normtabellen", Some(&app.admin()), &table);
        assert_eq!(reply.invalid_names(), ["parameters[0].code", "parameters[1].extra", "parameters[1].waarde"]);
    }

    fn invalid_household_input_lists_every_bad_field(app) {
        let reply = compute(&app, json!({"peildatum": "1-1-2026", "leefvorm": "SAMEN", "pensioengerechtigd": "ja", "nettoInkomen": "-5.00", "woonkosten": 700, "huurtoeslag": "1.00"}));
        assert_eq!(reply.invalid_names(), ["huurtoeslag", "peildatum", "leefvorm", "pensioengerechtigd", "nettoInkomen", "woonkosten"]);
        assert_eq!(compute(&app, json!({})).invalid_names(), ["leefvorm", "nettoInkomen"]);
        let rules = compute(&app, json!({"peildatum": "2020-12-31", "leefvorm": "ALLEENSTAANDE", "kinderen": true, "nettoInkomen": "2500.00", "partnerInkomen": "100.00"}));
        let names = rules.invalid_names();
        for field in ["peildatum", "kinderen", "partnerInkomen"] {
            assert!(names.contains(&field.to_owned()), "{field}: {names:?}");
        }
        let required = compute(&app, json!({"peildatum": "2026-03-01", "leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2500.00"}));
        assert_eq!(required.invalid_names(), ["belastbaarJaarinkomen"], "above the bijstandsnorm the law needs it");
        let couple = compute(&app, json!({"peildatum": "2026-03-01", "leefvorm": "GEHUWD_OF_SAMENWONEND", "nettoInkomen": "1500.00"}));
        assert_eq!(couple.invalid_names(), ["kinderen"]);
    }
}
