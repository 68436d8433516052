//! Agencies posting claim events: all or nothing, idempotent, every problem reported.

use serde_json::json;

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::BSNS;

on_both_backends! {
    fn a_batch_is_stored_and_folded_into_what_is_owed(app) {
        let reply = app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_wahv_boete", "239.00"),
            surcharge("E2", "V1", "VERHOGING", "59.75"),
            payment("E3", "V1", "50.00"),
            remission("E4", "V1", "0.75"),
            phase("E5", "V1", "AANMANING", true),
        ]));
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json(), json!({"ontvangen": 5, "verwerkt": 5, "alEerderVerwerkt": 0}));
        let list = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        let claim = &list["vorderingen"][0];
        assert_eq!(claim["oorspronkelijkBedrag"], "239.00");
        assert_eq!(claim["totaalOphogingen"], "59.75");
        assert_eq!(claim["betaald"], "50.00");
        assert_eq!(claim["kwijtgescholden"], "0.75");
        assert_eq!(claim["openstaand"], "248.00");
        assert_eq!(claim["fase"], "AANMANING");
        assert_eq!(claim["betwist"], true);
    }

    fn a_payment_booked_back_is_owed_again_and_no_more_than_was_paid_by_it_can_be_booked_back(app) {
        app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            payment("E2", "V1", "100.00"),
        ])).succeeded();
        let claim = || app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json()["vorderingen"][0].clone();
        assert_eq!(claim()["status"], "VOLDAAN");
        let too_much = app.post_events("CJIB", json!([booked_back("E3", "V1", "E2", "100.01")]));
        assert_eq!(too_much.invalid_names(), ["gebeurtenissen[0].bedrag"]);
        assert!(too_much.text.contains("meer dan er van die betaling nog niet is teruggeboekt (€ 100,00)"), "{}", too_much.text);
        let unknown = app.post_events("CJIB", json!([booked_back("E3", "V1", "E1", "1.00")]));
        assert_eq!(unknown.invalid_names(), ["gebeurtenissen[0].betalingskenmerk"], "the claim's imposition is no payment");
        let mut early = booked_back("E3", "V1", "E2", "1.00");
        early["datum"] = json!("2026-05-31");
        assert_eq!(app.post_events("CJIB", json!([early])).invalid_names(), ["gebeurtenissen[0].datum"], "before the payment's own day");
        let mut without_reason = booked_back("E3", "V1", "E2", "40.00");
        without_reason.as_object_mut().unwrap().remove("reden");
        assert_eq!(app.post_events("CJIB", json!([without_reason])).invalid_names(), ["gebeurtenissen[0].reden"]);
        assert_eq!(claim()["betaald"], "100.00", "nothing stored");

        let batch = json!([booked_back("E3", "V1", "E2", "40.00")]);
        app.post_events("CJIB", batch.clone()).succeeded();
        let booked = claim();
        assert_eq!((&booked["betaald"], &booked["openstaand"], &booked["status"]), (&json!("60.00"), &json!("40.00"), &json!("OPENSTAAND")));
        assert_eq!(app.post_events("CJIB", batch).json()["alEerderVerwerkt"], 1, "a replay books nothing back twice");
        assert_eq!(claim()["openstaand"], "40.00");
        let beyond = app.post_events("CJIB", json!([booked_back("E4", "V1", "E2", "60.01")]));
        assert!(beyond.text.contains("(€ 60,00)"), "what is left of the payment: {}", beyond.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "40.00");
        let id = booked["id"].as_str().unwrap();
        let detail = app.get(&format!("/api/v1/vorderingen/{id}"), Some(&app.agency("CJIB"))).json();
        let last = detail["gebeurtenissen"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((&last["type"], &last["bedrag"], &last["datum"], &last["omschrijving"], &last["betalingskenmerk"]),
            (&json!("BetalingTeruggeboekt"), &json!("40.00"), &json!("2026-06-05"), &json!("Incasso gestorneerd door de bank"), &json!("E2")));
        let log = app.get("/api/v1/inzagelog?aantal=100", Some(&app.citizen(BSNS[0]))).json();
        assert!(log["regels"].as_array().unwrap().iter().any(|r| r["handeling"] == "BETALING_TERUGGEBOEKT"), "{log}");
    }

    fn a_replayed_batch_changes_nothing(app) {
        let batch = json!([
            imposed("E1", "V1", BSNS[0], "cjib_wahv_boete", "100.00"),
            payment("E2", "V1", "40.00"),
        ]);
        assert_eq!(app.post_events("CJIB", batch.clone()).status, 200);
        let before = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let replay = app.post_events("CJIB", batch);
        assert_eq!(replay.status, 200, "{}", replay.text);
        assert_eq!(replay.json(), json!({"ontvangen": 2, "verwerkt": 0, "alEerderVerwerkt": 2}));
        let after = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(before["schuldeisers"], after["schuldeisers"]);
        assert_eq!(after["totaalOpenstaand"], "60.00");
        let id = after["schuldeisers"][0]["vorderingen"][0]["id"].as_str().unwrap().to_owned();
        let detail = app.get(&format!("/api/v1/vorderingen/{id}"), Some(&app.agency("CJIB"))).json();
        assert_eq!(detail["gebeurtenissen"].as_array().unwrap().len(), 2);
    }

    fn a_partly_replayed_batch_processes_only_the_new_events(app) {
        app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let reply = app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            payment("E2", "V1", "10.00"),
        ]));
        assert_eq!(reply.json(), json!({"ontvangen": 2, "verwerkt": 1, "alEerderVerwerkt": 1}));
    }

    fn a_batch_with_one_bad_event_stores_nothing(app) {
        let reply = app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            imposed("E2", "V2", BSNS[0], "cjib_boete", "200.00"),
            payment("E3", "V1", "100.01"),
        ]));
        let problem = reply.problem(400);
        assert_eq!(problem["invalidParams"][0]["name"], "gebeurtenissen[2].bedrag");
        let reason = problem["invalidParams"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("'V1'") && reason.contains("meer dan het openstaande bedrag"), "names the claim: {reason}");
        // A claim keyed by a BSN is named without it.
        let keyed_by_bsn = app.post_events("CJIB", json!([payment("E9", BSNS[1], "1.00")])).problem(400);
        let reason = keyed_by_bsn["invalidParams"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("vordering '(getal)'") && !reason.contains(BSNS[1]), "{reason}");
        let list = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        assert_eq!(list["vorderingen"], json!([]));
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "0.00");
    }

    fn an_event_dated_before_its_claim_was_imposed_is_refused_and_nothing_stored(app) {
        let mut early = payment("E2", "V1", "10.00");
        early["datum"] = json!("2026-03-09");
        let reply = app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"), early]));
        let problem = reply.problem(400);
        assert_eq!(problem["invalidParams"][0]["name"], "gebeurtenissen[1].datum");
        let reason = problem["invalidParams"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("'V1'") && reason.contains("2026-03-10"), "{reason}");
        let list = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        assert_eq!(list["vorderingen"], json!([]));
        app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let mut early = surcharge("E3", "V1", "RENTE", "5.00");
        early["datum"] = json!("2026-01-01");
        app.post_events("CJIB", json!([early])).problem(400);
        app.post_events("CJIB", json!([payment("E2", "V1", "10.00")])).succeeded();
    }

    fn every_invalid_field_of_every_event_is_listed(app) {
        let mut bad_claim = imposed("E1", "V1", "123456789", "duo_studie", "-5.00");
        bad_claim["omschrijving"] = json!("");
        bad_claim["opgelegdOp"] = json!("10-03-2026");
        bad_claim["bedrg"] = json!("1.00");
        let mut wrong_prefix = imposed("E2", "V2", BSNS[0], "duo_studie", "5.00");
        wrong_prefix["vervaldatum"] = json!("2026-01-01");
        let reply = app.post_events("CJIB", json!([
            bad_claim,
            wrong_prefix,
            {"type": "Onbekend"},
            {"type": "BetalingVerwerkt", "gebeurteniskenmerk": "E4", "vorderingkenmerk": "V1", "bedrag": 12.5},
            "geen object",
            surcharge("E6", "V1", "BOETE", "1.234"),
        ]));
        assert_eq!(reply.invalid_names(), [
            "gebeurtenissen[0].bedrg",
            "gebeurtenissen[0].burgerservicenummer",
            "gebeurtenissen[0].omschrijving",
            "gebeurtenissen[0].bedrag",
            "gebeurtenissen[0].opgelegdOp",
            "gebeurtenissen[1].vorderingtype",
            "gebeurtenissen[1].vervaldatum",
            "gebeurtenissen[2].type",
            "gebeurtenissen[3].bedrag",
            "gebeurtenissen[3].datum",
            "gebeurtenissen[4]",
            "gebeurtenissen[5].categorie",
            "gebeurtenissen[5].bedrag",
        ]);
        assert!(!reply.text.contains(BSNS[0]) && !reply.text.contains("123456789"), "no BSN echoed");
    }

    fn dates_in_the_future_are_refused(app) {
        let mut claim = imposed("E1", "V1", BSNS[0], "cjib_boete", "10.00");
        claim["opgelegdOp"] = json!("2026-06-16");
        claim["vervaldatum"] = json!("2026-07-16");
        let reply = app.post_events("CJIB", json!([claim]));
        assert_eq!(reply.invalid_names(), ["gebeurtenissen[0].opgelegdOp"]);
    }

    fn the_same_event_key_with_other_content_is_a_conflict_and_stores_nothing(app) {
        app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let reply = app.post_events("CJIB", json!([
            imposed("E9", "V9", BSNS[0], "cjib_boete", "50.00"),
            payment("E1", "V1", "10.00"),
        ]));
        let problem = reply.problem(409);
        assert_eq!(problem["invalidParams"][0]["name"], "gebeurtenissen[1].gebeurteniskenmerk");
        let list = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        assert_eq!(list["vorderingen"].as_array().unwrap().len(), 1, "V9 was not stored");
    }

    fn a_new_claim_under_an_event_key_used_before_is_a_conflict_and_stores_nothing(app) {
        app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let reply = app.post_events("CJIB", json!([
            imposed("E2", "V2", BSNS[0], "cjib_boete", "20.00"),
            imposed("E1", "V3", BSNS[1], "cjib_boete", "30.00"),
        ]));
        let problem = reply.problem(409);
        assert_eq!(problem["invalidParams"][0]["name"], "gebeurtenissen[1].gebeurteniskenmerk");
        let list = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        assert_eq!(list["vorderingen"].as_array().unwrap().len(), 1, "neither V2 nor V3 was stored");
    }

    fn the_same_event_key_twice_in_one_batch_with_other_content_is_refused(app) {
        let reply = app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            imposed("E1", "V2", BSNS[0], "cjib_boete", "100.00"),
        ]));
        assert_eq!(reply.invalid_names(), ["gebeurtenissen[1].gebeurteniskenmerk"]);
    }

    fn events_on_an_unknown_or_withdrawn_claim_are_refused(app) {
        app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            withdrawn("E2", "V1"),
        ])).succeeded();
        let reply = app.post_events("CJIB", json!([payment("E3", "V404", "1.00"), payment("E4", "V1", "1.00")]));
        assert_eq!(reply.invalid_names(), ["gebeurtenissen[0].vorderingkenmerk", "gebeurtenissen[1].vorderingkenmerk"]);
        let again = app.post_events("CJIB", json!([imposed("E5", "V1", BSNS[0], "cjib_boete", "1.00")]));
        assert_eq!(again.invalid_names(), ["gebeurtenissen[0].vorderingkenmerk"]);
    }

    fn a_batch_must_hold_one_to_a_thousand_events(app) {
        let empty = app.post_events("CJIB", json!([]));
        assert_eq!(empty.invalid_names(), ["gebeurtenissen"]);
        let many: Vec<_> = (0..1001).map(|i| payment(&format!("E{i}"), "V1", "1.00")).collect();
        let too_many = app.post_events("CJIB", json!(many));
        assert_eq!(too_many.invalid_names(), ["gebeurtenissen"]);
        let missing = app.post("/api/v1/gebeurtenissen", Some(&app.agency("CJIB")), &json!({}));
        assert_eq!(missing.invalid_names(), ["gebeurtenissen"]);
    }

    fn a_batch_written_type_first_holds_the_same_events_as_one_in_any_order(app) {
        // The fixtures' objects serialize their keys sorted, `type` among them. Agencies write
        // `type` first, and such a batch is read straight from its text instead of as a tree:
        // both must be the same events, down to their content hash (the replay changes nothing).
        let events = [
            imposed("E1", "V1", BSNS[0], "cjib_wahv_boete", "239.00"),
            surcharge("E2", "V1", "VERHOGING", "59.75"),
            payment("E3", "V1", "50.00"),
            phase("E4", "V1", "AANMANING", true),
        ];
        let type_first: Vec<String> = events
            .iter()
            .map(|event| {
                let mut fields = event.as_object().expect("an object").clone();
                let event_type = fields.remove("type").expect("a type");
                let rest = serde_json::Value::Object(fields).to_string();
                format!(r#"{{"type":{event_type},{}"#, &rest[1..])
            })
            .collect();
        let text = format!(r#"{{"gebeurtenissen":[{}]}}"#, type_first.join(","));
        let token = app.agency("CJIB");
        let first = app.send("POST", "/api/v1/gebeurtenissen", Some(&token), Some(("application/json", text)));
        assert_eq!(first.status, 200, "{}", first.text);
        assert_eq!(first.json(), json!({"ontvangen": 4, "verwerkt": 4, "alEerderVerwerkt": 0}));
        let replay = app.post_events("CJIB", json!(events));
        assert_eq!(replay.status, 200, "{}", replay.text);
        assert_eq!(replay.json(), json!({"ontvangen": 4, "verwerkt": 0, "alEerderVerwerkt": 4}));
        let claim = &app.get("/api/v1/vorderingen", Some(&token)).json()["vorderingen"][0];
        assert_eq!(claim["openstaand"], "248.75");
        assert_eq!(claim["fase"], "AANMANING");
    }

    fn a_full_batch_of_a_thousand_claims_is_stored_in_one_go(app) {
        let batch: Vec<_> = (0..1000)
            .map(|i| imposed(&format!("E{i}"), &format!("V{i}"), BSNS[i % BSNS.len()], "cjib_boete", "12.34"))
            .collect();
        let reply = app.post_events("CJIB", json!(batch));
        assert_eq!(reply.status, 200, "{}", reply.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["aantalOpenstaandeVorderingen"], 125);
        assert_eq!(overview["totaalOpenstaand"], "1542.50");
    }

    fn only_registered_agencies_may_post_events(app) {
        let reply = app.post_events("ONBEKEND", json!([imposed("E1", "V1", BSNS[0], "onbekend_x", "1.00")]));
        reply.problem(403);
        let citizen = app.post("/api/v1/gebeurtenissen", Some(&app.citizen(BSNS[0])), &json!({"gebeurtenissen": []}));
        citizen.problem(403);
    }

    fn concurrent_identical_batches_are_processed_exactly_once(app) {
        let batch = json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "100.00"),
            payment("E2", "V1", "30.00"),
        ]);
        let replies: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| app.post_events("CJIB", batch.clone()))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let processed: u64 = replies
            .iter()
            .map(|r| {
                assert_eq!(r.status, 200, "{}", r.text);
                r.json()["verwerkt"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(processed, 2, "each event processed once in total");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "70.00");
    }

    fn concurrent_payments_on_one_claim_never_overdraw_it(app) {
        app.post_events("CJIB", json!([imposed("E0", "V1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let app = &app;
        let replies: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|i| s.spawn(move || app.post_events("CJIB", json!([payment(&format!("P{i}"), "V1", "30.00")]))))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let accepted = replies.iter().filter(|r| r.status == 200).count();
        assert_eq!(accepted, 3, "three payments of 30.00 fit in 100.00, a fourth does not");
        assert!(replies.iter().all(|r| r.status == 200 || r.status == 400));
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "10.00");
    }
}
