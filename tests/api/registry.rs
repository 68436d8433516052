//! The creditor registry: public to read, changed by administrators only.

use serde_json::json;

use crate::on_both_backends;

on_both_backends! {
    fn the_registry_lists_the_government_creditors_with_their_arrangement_dates(app) {
        let registry = app.get("/api/v1/schuldeisers", None).json();
        let entries = registry["schuldeisers"].as_array().unwrap();
        let date = |code: &str| entries.iter().find(|e| e["code"] == code).unwrap()["betalingsregelingRijkVanaf"].clone();
        assert_eq!(entries.len(), 10);
        assert_eq!(date("CJIB"), "2022-11-01");
        assert_eq!(date("CAK"), "2022-11-01");
        assert_eq!(date("DUO"), "2022-11-01");
        assert_eq!(date("UWV"), "2024-07-01");
        assert_eq!(date("RDI"), "2024-07-01");
        assert_eq!(date("RVO"), "2024-07-01");
        assert_eq!(date("BELASTINGDIENST"), json!(null));
        assert_eq!(date("TOESLAGEN"), json!(null));
        assert_eq!(date("SVB"), json!(null));
        assert!(entries.iter().all(|e| e["overzichtAangeslotenVanaf"].is_null()));
    }

    fn an_administrator_adds_and_changes_creditors(app) {
        let body = json!({
            "naam": "Rijksdienst voor Voorbeelden",
            "vorderingtypeVoorvoegsel": "rvv",
            "betalingsregelingRijkVanaf": "2027-01-01",
            "contact": {"website": "https://www.example.nl", "telefoon": "+31 70 000 00 00"},
        });
        let created = app.put("/api/v1/schuldeisers/RVV", Some(&app.admin()), &body);
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.json()["contact"]["telefoon"], "+31 70 000 00 00");
        let mut changed = body.clone();
        changed["overzichtAangeslotenVanaf"] = json!("2026-06-01");
        assert_eq!(app.put("/api/v1/schuldeisers/RVV", Some(&app.admin()), &changed).status, 200);
        let registry = app.get("/api/v1/schuldeisers", None).json();
        let entry = registry["schuldeisers"].as_array().unwrap().iter().find(|e| e["code"] == "RVV").unwrap().clone();
        assert_eq!(entry["overzichtAangeslotenVanaf"], "2026-06-01");
    }

    fn a_creditor_another_instance_just_added_is_changed_not_added_twice(app) {
        // Another instance added it a moment ago: this instance's registry in memory has not
        // caught up yet.
        app.get("/api/v1/schuldeisers", None).succeeded();
        app.run_sql(
            "INSERT INTO creditors (code, name, claim_type_prefix, updated_at) \
             VALUES ('RVV', 'Rijksdienst voor Voorbeelden', 'rvv', '2026-06-15 10:00:00')",
        );
        let body = json!({"naam": "Rijksdienst voor Voorbeelden", "vorderingtypeVoorvoegsel": "rvv", "voorkeursrang": 2});
        let changed = app.put("/api/v1/schuldeisers/RVV", Some(&app.admin()), &body);
        assert_eq!(changed.status, 200, "{}", changed.text);
        let taken = json!({"naam": "Nieuw", "vorderingtypeVoorvoegsel": "rvv"});
        let reply = app.put("/api/v1/schuldeisers/NIEUW", Some(&app.admin()), &taken);
        assert_eq!(reply.invalid_names(), ["vorderingtypeVoorvoegsel"], "the prefix is taken");
        let trail = app.get("/api/v1/beheerlog", Some(&app.admin())).json().to_string();
        assert!(trail.contains("voorkeursrang"), "the change is audited as a change: {trail}");
    }

    fn a_creditor_with_claims_keeps_its_claim_type_prefix(app) {
        // Its claims were posted with the prefix, and a batch sent again unchanged must still be
        // a replay, not refused for a prefix that is no longer its own.
        let admin = app.admin();
        let entry = |prefix: &str| json!({"naam": "Rijksdienst voor Voorbeelden", "vorderingtypeVoorvoegsel": prefix});
        app.put("/api/v1/schuldeisers/RVV", Some(&admin), &entry("rvv")).succeeded();
        let batch = json!([crate::fixtures::imposed("E1", "V1", crate::support::BSNS[0], "rvv_boete", "10.00")]);
        app.post_events("RVV", batch.clone()).succeeded();
        let refused = app.put("/api/v1/schuldeisers/RVV", Some(&admin), &entry("rvx")).problem(400);
        assert_eq!(refused["invalidParams"][0]["code"], "vast", "{refused}");
        let replay = app.post_events("RVV", batch).succeeded().json();
        assert_eq!(replay["verwerkt"], 0, "a replay: {replay}");
        // Without claims the prefix may still change.
        let other = |prefix: &str| json!({"naam": "Nieuw", "vorderingtypeVoorvoegsel": prefix});
        app.put("/api/v1/schuldeisers/NIEUW", Some(&admin), &other("nw")).succeeded();
        app.put("/api/v1/schuldeisers/NIEUW", Some(&admin), &other("nx")).succeeded();
    }

    fn only_administrators_change_the_registry(app) {
        let body = json!({"naam": "X", "vorderingtypeVoorvoegsel": "xx"});
        app.put("/api/v1/schuldeisers/XX", Some(&app.agency("CJIB")), &body).problem(403);
        app.put("/api/v1/schuldeisers/XX", None, &body).problem(401);
    }

    fn an_unknown_field_in_a_contact_is_named_like_any_other(app) {
        let contact = json!({"website": "https://www.example.nl", "email": "info@example.nl"});
        let creditor = json!({"naam": "Rijksdienst voor Voorbeelden", "vorderingtypeVoorvoegsel": "rvv", "contact": contact});
        let reply = app.put("/api/v1/schuldeisers/RVV", Some(&app.admin()), &creditor);
        let problem = reply.problem(400);
        assert_eq!(problem["invalidParams"][0]["name"], "contact.email", "{}", reply.text);
        assert_eq!(problem["invalidParams"][0]["code"], "onbekend_veld");
        assert_eq!(problem["invalidParams"].as_array().unwrap().len(), 1);
        let counsellor = json!({"naam": "Schuldhulp Voorbeeld", "contact": {"telefoon": 31, "fax": "070"}});
        let reply = app.put("/api/v1/schuldhulpverleners/VOORBEELD", Some(&app.admin()), &counsellor);
        assert_eq!(reply.invalid_names(), ["contact.fax", "contact.telefoon"]);
    }

    fn a_bad_registry_entry_reports_every_problem(app) {
        let body = json!({"naam": "", "vorderingtypeVoorvoegsel": "CJ", "contact": {"website": "http://x"}});
        let reply = app.put("/api/v1/schuldeisers/kleine-letters", Some(&app.admin()), &body);
        assert_eq!(reply.invalid_names(), ["code", "naam", "vorderingtypeVoorvoegsel", "contact.website"]);
        let taken = json!({"naam": "Nieuw", "vorderingtypeVoorvoegsel": "cjib"});
        let reply = app.put("/api/v1/schuldeisers/NIEUW", Some(&app.admin()), &taken);
        assert_eq!(reply.invalid_names(), ["vorderingtypeVoorvoegsel"]);
        let ranked = json!({"naam": "Nieuw", "vorderingtypeVoorvoegsel": "nieuw", "voorkeursrang": 3_000_000_000_u32});
        let reply = app.put("/api/v1/schuldeisers/NIEUW", Some(&app.admin()), &ranked);
        assert_eq!(reply.invalid_names(), ["voorkeursrang"], "refused, not kept as no rank");
    }
}
