//! Agencies reading their own claims, and only those.

use serde_json::json;

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::BSNS;

on_both_backends! {
    fn an_agency_sees_only_its_own_claims(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "10.00")])).succeeded();
        app.post_events("DUO", json!([imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "20.00")])).succeeded();
        let cjib = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        let keys: Vec<_> = cjib["vorderingen"].as_array().unwrap().iter().map(|c| c["vorderingkenmerk"].clone()).collect();
        assert_eq!(keys, [json!("CJIB-1")]);
        let duo = app.get("/api/v1/vorderingen", Some(&app.agency("DUO"))).json();
        let duo_id = duo["vorderingen"][0]["id"].as_str().unwrap().to_owned();
        app.get(&format!("/api/v1/vorderingen/{duo_id}"), Some(&app.agency("CJIB"))).problem(404);
        assert_eq!(app.get(&format!("/api/v1/vorderingen/{duo_id}"), Some(&app.agency("DUO"))).status, 200);
        assert_eq!(app.get("/api/v1/vorderingen/niet-een-id", Some(&app.agency("DUO"))).invalid_names(), ["id"]);
    }

    fn an_agency_cannot_change_another_agencys_claim(app) {
        app.post_events("DUO", json!([imposed("D1", "GEDEELD-1", BSNS[0], "duo_studieschuld", "20.00")])).succeeded();
        let reply = app.post_events("CJIB", json!([payment("C1", "GEDEELD-1", "20.00")]));
        assert_eq!(reply.invalid_names(), ["gebeurtenissen[0].vorderingkenmerk"]);
        let duo = app.get("/api/v1/vorderingen", Some(&app.agency("DUO"))).json();
        assert_eq!(duo["vorderingen"][0]["openstaand"], "20.00");
    }

    fn only_agencies_read_claims(app) {
        app.get("/api/v1/vorderingen", Some(&app.citizen(BSNS[0]))).problem(403);
        app.get("/api/v1/vorderingen", Some(&app.counsellor("GKB"))).problem(403);
        app.get("/api/v1/vorderingen", Some(&app.admin())).problem(403);
    }

    fn pages_of_claims_together_hold_each_claim_once(app) {
        let batch: Vec<_> = (0..7).map(|i| imposed(&format!("E{i}"), &format!("V{i}"), BSNS[0], "cjib_boete", "1.00")).collect();
        app.post_events("CJIB", json!(batch)).succeeded();
        let token = app.agency("CJIB");
        let mut seen = Vec::new();
        let mut path = "/api/v1/vorderingen?aantal=3".to_owned();
        let mut pages = 0;
        loop {
            let page = app.get(&path, Some(&token)).json();
            pages += 1;
            seen.extend(page["vorderingen"].as_array().unwrap().iter().map(|c| c["vorderingkenmerk"].as_str().unwrap().to_owned()));
            match page["volgende"].as_str() {
                Some(cursor) => path = format!("/api/v1/vorderingen?aantal=3&na={cursor}"),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 7);
        assert_eq!(seen, ["V0", "V1", "V2", "V3", "V4", "V5", "V6"], "oldest first");
    }

    fn bad_page_parameters_are_all_reported(app) {
        let reply = app.get("/api/v1/vorderingen?aantal=0&na=xyz", Some(&app.agency("CJIB")));
        assert_eq!(reply.invalid_names(), ["na", "aantal"]);
        app.get("/api/v1/vorderingen?aantal=201", Some(&app.agency("CJIB"))).problem(400);
    }

    fn an_agency_finds_one_of_its_claims_by_its_own_key_named_in_the_body(app) {
        app.post_events("CJIB", json!([
            imposed("C1", "CJIB-999990007", BSNS[0], "cjib_boete", "10.00"),
            imposed("C2", "CJIB-2", BSNS[1], "cjib_boete", "12.00"),
            imposed("C3", "GEDEELD", BSNS[1], "cjib_boete", "5.00"),
            payment("C4", "CJIB-2", "2.00"),
        ])).succeeded();
        app.post_events("DUO", json!([imposed("D1", "GEDEELD", BSNS[0], "duo_studieschuld", "20.00")])).succeeded();
        let cjib = app.agency("CJIB");
        let find = |key: &str| app.post("/api/v1/vorderingen/opvragen", Some(&cjib), &json!({"vorderingkenmerk": key}));
        let found = find("CJIB-2").json();
        assert_eq!((found["vorderingkenmerk"].as_str(), found["openstaand"].as_str()), (Some("CJIB-2"), Some("10.00")), "{found}");
        assert_eq!(found["gebeurtenissen"].as_array().map(Vec::len), Some(2), "with its events: {found}");
        // A key holding a BSN travels in the body, never in a URL.
        assert_eq!(find("CJIB-999990007").json()["openstaand"], "10.00");
        assert_eq!(find("GEDEELD").json()["openstaand"], "5.00", "its own, not DUO's");
        find("cjib-2").problem(404);
        find("DUO-1").problem(404);
        // A key no claim can have is refused as such.
        assert_eq!(find(" CJIB-2").invalid_names(), ["vorderingkenmerk"]);
        assert_eq!(app.post("/api/v1/vorderingen/opvragen", Some(&cjib), &json!({})).invalid_names(), ["vorderingkenmerk"]);
        app.post("/api/v1/vorderingen/opvragen", Some(&app.counsellor("GKB")), &json!({"vorderingkenmerk": "CJIB-2"})).problem(403);
        // The agency's own reading is in the person's log, as by id.
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[1]))).json();
        assert!(log["regels"].as_array().unwrap().iter().any(|r| r["handeling"] == "VORDERING_INGEZIEN" && r["organisatie"] == "CJIB"), "{log}");
    }

    fn a_claim_shows_its_events_in_order(app) {
        app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            surcharge("E2", "V1", "RENTE", "2.50"),
            payment("E3", "V1", "52.50"),
        ])).succeeded();
        let token = app.agency("CJIB");
        let id = app.get("/api/v1/vorderingen", Some(&token)).json()["vorderingen"][0]["id"].as_str().unwrap().to_owned();
        let detail = app.get(&format!("/api/v1/vorderingen/{id}"), Some(&token)).json();
        let types: Vec<_> = detail["gebeurtenissen"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect();
        assert_eq!(types, ["VorderingOpgelegd", "OphogingOpgelegd", "BetalingVerwerkt"]);
        assert_eq!(detail["openstaand"], "50.00");
        assert_eq!(detail["gebeurtenissen"][1]["categorie"], "RENTE");
        assert!(detail["gebeurtenissen"][0]["ontvangenOp"].as_str().unwrap().ends_with("+02:00"));
    }
}
