//! Counsellors reading an overview with, and only with, the citizen's live mandate.

use chrono::Duration;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, TestApp};

fn ask(app: &TestApp, counsellor: &str, bsn: &str) -> crate::support::Reply {
    app.post(
        "/api/v1/vorderingenoverzicht/opvragen",
        Some(&app.counsellor(counsellor)),
        &json!({"burgerservicenummer": bsn}),
    )
}

fn grant(app: &TestApp, bsn: &str, body: Value) -> crate::support::Reply {
    app.post("/api/v1/machtigingen", Some(&app.citizen(bsn)), &body)
}

on_both_backends! {
    fn a_counsellor_needs_a_live_mandate_and_loses_access_when_it_is_revoked(app) {
        app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "75.00")])).succeeded();
        ask(&app, "GKB-AMSTERDAM", BSNS[0]).problem(403);
        let mandate = grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB-AMSTERDAM", "geldigTot": "2027-06-30"}));
        assert_eq!(mandate.status, 201, "{}", mandate.text);
        let mandate = mandate.json();
        assert_eq!(mandate["status"], "ACTIEF");
        assert_eq!(mandate["geldigVanaf"], "2026-06-15");
        let overview = ask(&app, "GKB-AMSTERDAM", BSNS[0]);
        assert_eq!(overview.status, 200, "{}", overview.text);
        assert_eq!(overview.json()["totaalOpenstaand"], "75.00");
        ask(&app, "ANDERE-ORG", BSNS[0]).problem(403);
        ask(&app, "GKB-AMSTERDAM", BSNS[1]).problem(403);
        let id = mandate["id"].as_str().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/machtigingen/{id}"), Some(&app.citizen(BSNS[0]))).status, 204);
        ask(&app, "GKB-AMSTERDAM", BSNS[0]).problem(403);
        assert_eq!(app.delete(&format!("/api/v1/machtigingen/{id}"), Some(&app.citizen(BSNS[0]))).status, 204, "revoking twice is harmless");
        let list = app.get("/api/v1/machtigingen", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(list["machtigingen"][0]["status"], "INGETROKKEN");
    }

    fn an_expired_mandate_gives_no_access(app) {
        grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-06-16"})).succeeded();
        assert_eq!(ask(&app, "GKB", BSNS[0]).status, 200);
        app.clock.advance(Duration::days(1));
        assert_eq!(ask(&app, "GKB", BSNS[0]).status, 200, "the end date is the last day of access");
        app.clock.advance(Duration::days(1));
        ask(&app, "GKB", BSNS[0]).problem(403);
        let list = app.get("/api/v1/machtigingen", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(list["machtigingen"][0]["status"], "VERLOPEN");
    }

    fn a_mandate_starting_later_gives_no_access_yet(app) {
        grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigVanaf": "2026-07-01", "geldigTot": "2026-12-31"})).succeeded();
        ask(&app, "GKB", BSNS[0]).problem(403);
        app.clock.advance(Duration::days(16));
        assert_eq!(ask(&app, "GKB", BSNS[0]).status, 200);
    }

    fn a_bad_mandate_request_reports_every_problem(app) {
        let reply = grant(&app, BSNS[0], json!({"schuldhulpverlener": "x", "geldigVanaf": "2026-01-01", "geldigTot": "gisteren", "extra": 1}));
        assert_eq!(reply.invalid_names(), ["extra", "geldigTot"]);
        let reply = grant(&app, BSNS[0], json!({"schuldhulpverlener": "x", "geldigVanaf": "2026-01-01", "geldigTot": "2025-12-31"}));
        assert_eq!(reply.invalid_names(), ["schuldhulpverlener", "geldigVanaf", "geldigTot"]);
        let reply = grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigTot": "2031-06-16"}));
        assert_eq!(reply.invalid_names(), ["geldigTot"]);
    }

    fn a_second_live_mandate_for_the_same_counsellor_is_refused(app) {
        assert_eq!(grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).status, 201);
        grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-12-31"})).problem(409);
        assert_eq!(grant(&app, BSNS[0], json!({"schuldhulpverlener": "ANDERE", "geldigTot": "2026-12-31"})).status, 201);
    }

    fn a_citizen_cannot_revoke_or_see_another_citizens_mandate(app) {
        let mandate = grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).json();
        let id = mandate["id"].as_str().unwrap();
        app.delete(&format!("/api/v1/machtigingen/{id}"), Some(&app.citizen(BSNS[1]))).problem(404);
        let others = app.get("/api/v1/machtigingen", Some(&app.citizen(BSNS[1]))).json();
        assert_eq!(others["machtigingen"], json!([]));
        assert_eq!(ask(&app, "GKB", BSNS[0]).status, 200, "still live");
    }

    fn only_citizens_manage_mandates(app) {
        let body = json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"});
        app.post("/api/v1/machtigingen", Some(&app.counsellor("GKB")), &body).problem(403);
        app.get("/api/v1/machtigingen", Some(&app.agency("CJIB"))).problem(403);
    }

    fn a_counsellor_request_with_a_bad_bsn_is_refused_without_echoing_it(app) {
        let reply = ask(&app, "GKB", "999990008");
        assert_eq!(reply.invalid_names(), ["burgerservicenummer"]);
        assert!(!reply.text.contains("999990008"));
    }

    fn a_counsellor_outside_the_registry_is_refused_and_cannot_be_mandated(app) {
        let reply = ask(&app, "ONBEKEND", BSNS[0]);
        reply.problem(403);
        assert!(reply.text.contains("register"), "{}", reply.text);
        let refused = grant(&app, BSNS[0], json!({"schuldhulpverlener": "ONBEKEND", "geldigTot": "2026-12-31"}));
        assert_eq!(refused.invalid_names(), ["schuldhulpverlener"]);
        let registry = app.get("/api/v1/schuldhulpverleners", None).json();
        let ids: Vec<_> = registry["schuldhulpverleners"].as_array().unwrap().iter().map(|s| s["id"].clone()).collect();
        assert!(ids.contains(&json!("GKB")) && !ids.contains(&json!("ONBEKEND")));
        app.put("/api/v1/schuldhulpverleners/ONBEKEND", Some(&app.counsellor("GKB")), &json!({"naam": "x"})).problem(403);
        app.put("/api/v1/schuldhulpverleners/ONBEKEND", Some(&app.admin()), &json!({"naam": "Nu bekend"})).succeeded();
        grant(&app, BSNS[0], json!({"schuldhulpverlener": "ONBEKEND", "geldigTot": "2026-12-31"})).succeeded();
        assert_eq!(ask(&app, "ONBEKEND", BSNS[0]).status, 200);
    }

    fn a_counsellor_lists_its_clients_by_its_own_reference_and_acts_by_mandate(app) {
        let mandate = grant(&app, BSNS[0], json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).succeeded().json();
        let id = mandate["id"].as_str().unwrap();
        let clients = app.get("/api/v1/clienten", Some(&app.counsellor("GKB"))).succeeded().json();
        assert_eq!(clients["clienten"][0]["machtiging"], mandate["id"]);
        assert!(clients["clienten"][0]["dossierkenmerk"].is_null());
        assert!(!clients.to_string().contains(BSNS[0]));
        let path = format!("/api/v1/clienten/{id}");
        let patch = |token: &str, body: Value| app.send("PATCH", &path, Some(token), Some(("application/merge-patch+json", body.to_string())));
        patch(&app.counsellor("ANDERE-ORG"), json!({"dossierkenmerk": "X"})).problem(404);
        assert_eq!(patch(&app.counsellor("GKB"), json!({"dossierkenmerk": ""})).invalid_names(), ["dossierkenmerk"]);
        patch(&app.counsellor("GKB"), json!({"dossierkenmerk": "GKB-2026-0042"})).succeeded();
        let clients = app.get("/api/v1/clienten", Some(&app.counsellor("GKB"))).json();
        assert_eq!(clients["clienten"][0]["dossierkenmerk"], "GKB-2026-0042");
        assert_eq!(app.get("/api/v1/clienten", Some(&app.counsellor("ANDERE-ORG"))).json()["clienten"], json!([]));

        let by_mandate = |organisation: &str| app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor(organisation)), &json!({"machtiging": id}));
        assert_eq!(by_mandate("GKB").status, 200);
        by_mandate("ANDERE-ORG").problem(404);
        let both = app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB")), &json!({"machtiging": id, "burgerservicenummer": BSNS[0]}));
        assert_eq!(both.invalid_names(), ["machtiging"]);
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        let actions: Vec<_> = log["regels"].as_array().unwrap().iter().map(|r| r["handeling"].as_str().unwrap().to_owned()).collect();
        assert!(actions.contains(&"DOSSIERKENMERK_VASTGELEGD".to_owned()), "{actions:?}");
    }

    fn a_counsellor_sets_its_reference_on_a_mandate_still_to_come_but_not_on_a_revoked_one(app) {
        let coming = grant(&app, BSNS[1], json!({"schuldhulpverlener": "GKB", "geldigVanaf": "2026-07-01", "geldigTot": "2026-12-31"})).succeeded().json();
        let id = coming["id"].as_str().unwrap();
        let listed = app.get("/api/v1/clienten", Some(&app.counsellor("GKB"))).json();
        assert_eq!(listed["clienten"][0]["status"], "NOG_NIET_GELDIG");
        let path = format!("/api/v1/clienten/{id}");
        let patch = |body: Value| app.send("PATCH", &path, Some(&app.counsellor("GKB")), Some(("application/merge-patch+json", body.to_string())));
        patch(json!({"dossierkenmerk": "GKB-2026-0100"})).succeeded();
        app.delete(&format!("/api/v1/machtigingen/{id}"), Some(&app.citizen(BSNS[1]))).succeeded();
        patch(json!({"dossierkenmerk": "GKB-2026-0101"})).problem(404);
    }
}
