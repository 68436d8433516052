//! The debt-help chain over HTTP: a counsellor registers a schuldhulptraject, every creditor with
//! a claim (and no other) is told, what happens during the pause is signalled, and the
//! counsellor reads its own feed.

use chrono::Duration;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, Backend, Reply, TestApp};

fn patch(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.send(
        "PATCH",
        &format!("/api/v1/schuldhulptrajecten/{id}"),
        Some(token),
        Some(("application/merge-patch+json", body.to_string())),
    )
}

/// Everything in a counsellor organisation's feed so far.
fn counsellor_feed(app: &TestApp, organisation: &str) -> Vec<Value> {
    let reply = app.get("/api/v1/meldingen", Some(&app.counsellor(organisation)));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["meldingen"].as_array().unwrap().clone()
}

/// The messages of `kind` in a feed.
fn of_kind(feed: &[Value], kind: &str) -> Vec<Value> {
    feed.iter()
        .filter(|m| m["inhoud"]["soort"] == kind)
        .map(|m| m["inhoud"].clone())
        .collect()
}

fn own_claims(notice: &Value) -> Vec<(String, String)> {
    notice["uwVorderingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["vorderingkenmerk"].as_str().unwrap().to_owned(),
                c["openstaand"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// CJIB-1 (1000.00) and DUO-1 (2000.00) on the first citizen, CAK-1 on the second.
fn claims_of_two_citizens(app: &TestApp) {
    for (code, events) in cjib_and_duo_claims() {
        app.post_events(code, events).succeeded();
    }
    app.post_events(
        "CAK",
        json!([imposed(
            "K1",
            "CAK-1",
            BSNS[1],
            "cak_eigen_bijdrage",
            "80.00"
        )]),
    )
    .succeeded();
}

/// The citizen `bsn` proposes a Betalingsregeling Rijk for all their claims and accepts it.
fn arrangement_accepted(app: &TestApp, bsn: &str) -> Value {
    let citizen = app.citizen(bsn);
    let proposal = app
        .post(
            "/api/v1/betalingsregelingen/voorstellen",
            Some(&citizen),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06", "belastbaarJaarinkomen": "23000.00"}}),
        )
        .succeeded()
        .json();
    accept(app, &citizen, proposal["id"].as_str().unwrap())
        .succeeded()
        .json()
}

on_both_backends! {
    fn a_trajectory_registered_by_a_counsellor_reaches_every_creditor_with_a_claim_and_no_other(app) {
        claims_of_two_citizens(&app);
        let machtiging = mandate(&app, BSNS[0], "GKB");
        let reply = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE");
        assert_eq!(reply.status, 201, "{}", reply.text);
        let trajectory = reply.json();
        assert_eq!(trajectory["status"], "LOPEND");
        assert_eq!(trajectory["geinformeerdeSchuldeisers"], json!(["CJIB", "DUO"]));
        let id = trajectory["id"].as_str().unwrap();

        let cjib = of_kind(&feed(&app, "CJIB"), "SCHULDHULPTRAJECT_GESTART");
        assert_eq!(cjib.len(), 1);
        assert_eq!(own_claims(&cjib[0]), [("CJIB-1".to_owned(), "1000.00".to_owned())]);
        assert_eq!(cjib[0]["trajectId"], id);
        assert_eq!(cjib[0]["invorderingOpschorten"], true);
        assert_eq!(cjib[0]["schuldhulpverlener"]["id"], "GKB");
        assert_eq!(cjib[0]["schuldhulpverlener"]["naam"], "Schuldhulp GKB");
        let duo = of_kind(&feed(&app, "DUO"), "SCHULDHULPTRAJECT_GESTART");
        assert_eq!(own_claims(&duo[0]), [("DUO-1".to_owned(), "2000.00".to_owned())]);
        assert!(!serde_json::to_string(&duo).unwrap().contains("CJIB-1"), "DUO sees nothing of CJIB's claims");
        for other in ["CAK", "UWV"] {
            assert!(of_kind(&feed(&app, other), "SCHULDHULPTRAJECT_GESTART").is_empty(), "{other} has no claim on this citizen");
        }

        let own = counsellor_feed(&app, "GKB");
        assert_eq!(own.len(), 1);
        assert_eq!(own[0]["positie"], 1);
        assert_eq!(own[0]["machtiging"], machtiging.as_str());
        assert_eq!(own[0]["inhoud"]["geinformeerdeSchuldeisers"], json!(["CJIB", "DUO"]));

        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["schuldhulptraject"]["id"], id);
        assert_eq!(overview["schuldhulptraject"]["fase"], "STABILISATIE");
        let other = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[1]))).json();
        assert!(other["schuldhulptraject"].is_null());
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        assert!(log.to_string().contains("SCHULDHULPTRAJECT_GEREGISTREERD"), "{log}");

        assert_eq!(register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").problem(409)["status"], 409, "one running trajectory per person");
    }

    fn an_escalation_on_the_last_day_of_a_trajectory_is_signalled_and_one_the_day_after_is_not(app) {
        claims_of_two_citizens(&app);
        mandate(&app, BSNS[0], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        // Ended with today, 15 June, as its last day: an escalation received today is within it.
        patch(&app, &app.counsellor("GKB"), &id, json!({"einddatum": "2026-06-15"})).succeeded();
        app.post_events("CJIB", json!([phase("C1-F1", "CJIB-1", "DWANGBEVEL", false)])).succeeded();
        let escalations = |feed: &[Value]| of_kind(feed, "SIGNAAL_TIJDENS_SCHULDENPAUZE").iter()
            .map(|s| (s["signaal"].as_str().unwrap().to_owned(), s["fase"].as_str().map(str::to_owned))).collect::<Vec<_>>();
        let dwangbevel = vec![("FASE_ESCALATIE".to_owned(), Some("DWANGBEVEL".to_owned()))];
        assert_eq!(escalations(&feed(&app, "CJIB")), dwangbevel);
        assert_eq!(escalations(&counsellor_feed(&app, "GKB")), dwangbevel);

        app.clock.advance(chrono::Duration::days(1));
        app.post_events("CJIB", json!([phase("C1-F2", "CJIB-1", "BESLAG", false)])).succeeded();
        assert_eq!(escalations(&feed(&app, "CJIB")), dwangbevel, "the pause is over");
    }

    fn a_surcharge_attachment_or_escalation_during_the_pause_reaches_the_counsellor_and_that_creditor(app) {
        claims_of_two_citizens(&app);
        let machtiging = mandate(&app, BSNS[0], "GKB");
        register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
        app.post_events("CJIB", json!([
            {"type": "OphogingOpgelegd", "gebeurteniskenmerk": "C1-V0", "vorderingkenmerk": "CJIB-1",
             "categorie": "VERHOGING", "bedrag": "11.00", "datum": "2026-05-20", "omschrijving": "Van voor het traject"},
            {"type": "OphogingOpgelegd", "gebeurteniskenmerk": "C1-V1", "vorderingkenmerk": "CJIB-1",
             "categorie": "INVORDERINGSKOSTEN", "bedrag": "59.75", "datum": "2026-06-10", "omschrijving": "Aanmaning"},
            phase("C1-F1", "CJIB-1", "DWANGBEVEL", false),
        ])).succeeded();
        let mut laid = attachment("100.00", "1331.43", "2026-06-12");
        laid["vorderingkenmerken"] = json!(["DUO-1"]);
        register(&app, &app.agency("DUO"), &laid).succeeded();

        let counsellor: Vec<Value> = counsellor_feed(&app, "GKB");
        let signals = of_kind(&counsellor, "SIGNAAL_TIJDENS_SCHULDENPAUZE");
        let seen: Vec<(&str, &str, Option<&str>)> = signals
            .iter()
            .map(|s| (s["signaal"].as_str().unwrap(), s["schuldeiser"].as_str().unwrap(), s["bedrag"].as_str()))
            .collect();
        assert_eq!(seen, [
            ("OPHOGING", "CJIB", Some("59.75")),
            ("FASE_ESCALATIE", "CJIB", Some("1070.75")),
            ("BESLAG", "DUO", Some("100.00")),
        ], "the surcharge dated before the start is not signalled");
        assert_eq!(signals[0]["vorderingkenmerk"], "CJIB-1");
        assert_eq!(signals[0]["categorie"], "INVORDERINGSKOSTEN");
        assert_eq!((signals[1]["vorigeFase"].as_str(), signals[1]["fase"].as_str()), (Some("INNING"), Some("DWANGBEVEL")));
        assert!(counsellor.iter().all(|m| m["machtiging"] == machtiging.as_str()));

        let cjib = of_kind(&feed(&app, "CJIB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE");
        assert_eq!(cjib.len(), 2, "CJIB is told of its own surcharge and escalation");
        let duo = of_kind(&feed(&app, "DUO"), "SIGNAAL_TIJDENS_SCHULDENPAUZE");
        assert_eq!(duo.len(), 1);
        assert_eq!(duo[0]["signaal"], "BESLAG");
        let claim = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert!(claim.to_string().contains("59.75"), "recorded as always");
    }

    fn a_creditor_whose_first_claim_arrives_during_the_trajectory_is_told_then(app) {
        claims_of_two_citizens(&app);
        mandate(&app, BSNS[0], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        assert!(of_kind(&feed(&app, "UWV"), "SCHULDHULPTRAJECT_GESTART").is_empty());
        app.post_events("UWV", json!([imposed("U1", "UWV-1", BSNS[0], "uwv_terugvordering", "450.00")])).succeeded();
        let uwv = of_kind(&feed(&app, "UWV"), "SCHULDHULPTRAJECT_GESTART");
        assert_eq!(uwv.len(), 1);
        assert_eq!(own_claims(&uwv[0]), [("UWV-1".to_owned(), "450.00".to_owned())]);
        app.post_events("UWV", json!([imposed("U2", "UWV-2", BSNS[0], "uwv_terugvordering", "50.00")])).succeeded();
        assert_eq!(of_kind(&feed(&app, "UWV"), "SCHULDHULPTRAJECT_GESTART").len(), 1, "told once");
        let trajectory = app.get(&format!("/api/v1/schuldhulptrajecten/{id}"), Some(&app.counsellor("GKB"))).json();
        assert_eq!(trajectory["geinformeerdeSchuldeisers"], json!(["CJIB", "DUO", "UWV"]));
    }

    fn a_phase_change_and_the_end_reach_every_creditor_told_and_an_ended_trajectory_stays_ended(app) {
        claims_of_two_citizens(&app);
        mandate(&app, BSNS[0], "GKB");
        mandate(&app, BSNS[0], "ANDERE");
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        let refused = patch(&app, &app.counsellor("ANDERE"), &id, json!({"einddatum": "2026-06-15"})).problem(403);
        assert!(refused["detail"].as_str().unwrap().contains("alleen die organisatie, of de burger zelf, kan het wijzigen of beëindigen"), "{refused}");
        let second = register_trajectory(&app, "ANDERE", BSNS[0], "STABILISATIE").problem(409);
        assert!(second["detail"].as_str().unwrap().contains("van een andere organisatie"), "not told to change what it may not: {second}");
        patch(&app, &app.counsellor("ANDERE"), &id, json!({"fase": "WSNP"})).problem(403);
        patch(&app, &app.citizen(BSNS[0]), &id, json!({"fase": "WSNP"})).problem(403);
        let invalid = patch(&app, &app.counsellor("GKB"), &id, json!({"fase": "BESLAG", "einddatum": "2026-13-01", "reden": "x"}));
        assert_eq!(invalid.invalid_names(), ["reden", "fase", "einddatum"]);
        let changed = patch(&app, &app.counsellor("GKB"), &id, json!({"fase": "SCHULDREGELING"}));
        assert_eq!(changed.status, 200, "{}", changed.text);
        assert_eq!(changed.json()["fase"], "SCHULDREGELING");
        for code in ["CJIB", "DUO"] {
            let changes = of_kind(&feed(&app, code), "SCHULDHULPTRAJECT_GEWIJZIGD");
            assert_eq!(changes.len(), 1, "{code}");
            assert_eq!(changes[0]["fase"], "SCHULDREGELING");
        }
        let ended = patch(&app, &app.citizen(BSNS[0]), &id, json!({"einddatum": "2026-06-15"}));
        assert_eq!(ended.status, 200, "{}", ended.text);
        assert_eq!(ended.json()["status"], "BEEINDIGD");
        let end = of_kind(&feed(&app, "DUO"), "SCHULDHULPTRAJECT_BEEINDIGD");
        assert_eq!(end[0]["invorderingOpschorten"], false);
        assert_eq!(end[0]["einddatum"], "2026-06-15");
        patch(&app, &app.counsellor("GKB"), &id, json!({"fase": "WSNP"})).problem(409);
        let both = counsellor_feed(&app, "ANDERE");
        assert_eq!(of_kind(&both, "SCHULDHULPTRAJECT_BEEINDIGD").len(), 1, "every mandated organisation is told");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert!(overview["schuldhulptraject"].is_null());
        let listed = app.get("/api/v1/schuldhulptrajecten", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(listed["schuldhulptrajecten"][0]["status"], "BEEINDIGD");
        assert!(register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").status == 201, "a new one may start");
    }

    fn in_the_wsnp_no_betalingsregeling_rijk_is_proposed_or_accepted(app) {
        claims_of_two_citizens(&app);
        app.post_events("BELASTINGDIENST", json!([imposed("B1", "BD-1", BSNS[0], "bd_inkomstenbelasting", "500.00")])).succeeded();
        mandate(&app, BSNS[0], "GKB");
        let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06", "belastbaarJaarinkomen": "23000.00"});
        let propose = |token: &str, body: &Value| {
            let reply = app.post("/api/v1/betalingsregelingen/voorstellen", Some(token), body);
            assert_eq!(reply.status, 201, "{}", reply.text);
            reply.json()
        };
        let own = json!({"huishouden": household});
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        let before = propose(&app.citizen(BSNS[0]), &own);
        assert!(before["advies"].is_null() && !before["regeling"].is_null(), "a stabilisation phase leaves the arrangement open: {before}");

        patch(&app, &app.counsellor("GKB"), &id, json!({"fase": "WSNP"})).succeeded();
        let refused = accept(&app, &app.citizen(BSNS[0]), before["id"].as_str().unwrap()).problem(409);
        assert!(refused["detail"].as_str().unwrap().contains("wettelijke schuldsanering (Wsnp)"), "{refused}");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["lopendeRegelingen"], json!([]), "nothing started");
        assert!(of_kind(&feed(&app, "CJIB"), "REGELING_GESTART").is_empty(), "nobody told of an arrangement");

        let during = propose(&app.citizen(BSNS[0]), &own);
        assert!(during["regeling"].is_null(), "{during}");
        assert_eq!(during["advies"]["code"], "WETTELIJKE_SCHULDSANERING");
        assert_eq!(during["afloscapaciteit"], "0.00");
        assert_eq!(during["totaal"], "3000.00", "the claims are still shown");
        let outside = &during["uitgesloten"][0];
        assert_eq!((&outside["vorderingkenmerk"], &outside["reden"]), (&json!("BD-1"), &json!("SCHULDEISER_NEEMT_NIET_DEEL")));
        let advice = outside["toelichting"].as_str().unwrap();
        assert!(advice.contains("maak hierover geen eigen afspraak") && !advice.contains("Maak met deze schuldeiser een eigen afspraak"),
            "in the scheme only through the bewindvoerder: {advice}");
        assert!(before["uitgesloten"][0]["toelichting"].as_str().unwrap().contains("Maak met deze schuldeiser een eigen afspraak"));
        let why = during["advies"]["toelichting"].as_str().unwrap();
        assert!(why.starts_with("U zit in de wettelijke schuldsanering") && why.contains("art. 299 Faillissementswet"), "{why}");
        let client = propose(&app.counsellor("GKB"), &json!({"burgerservicenummer": BSNS[0], "huishouden": household}));
        assert!(client["advies"]["toelichting"].as_str().unwrap().starts_with("Uw cliënt zit"), "{client}");
        let infeasible = accept(&app, &app.citizen(BSNS[0]), during["id"].as_str().unwrap()).problem(409);
        assert!(infeasible["detail"].as_str().unwrap().contains("geen betalingsregeling"), "{infeasible}");

        patch(&app, &app.counsellor("GKB"), &id, json!({"einddatum": "2026-06-15"})).succeeded();
        let after = propose(&app.citizen(BSNS[0]), &own);
        assert!(after["advies"].is_null() && !after["regeling"].is_null(), "once it ended: {after}");
    }

    fn when_the_wsnp_begins_the_coordinator_of_a_running_arrangement_is_told_and_at_its_end_the_clean_slate(app) {
        claims_of_two_citizens(&app);
        let citizen = app.citizen(BSNS[1]);
        let arrangement = arrangement_accepted(&app, BSNS[1]);
        let arrangement_id = arrangement["id"].as_str().unwrap();
        mandate(&app, BSNS[1], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[1], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        assert!(of_kind(&feed(&app, "CJIB"), "SCHULDHULPTRAJECT_GESTART").is_empty(), "CJIB has no claim on this citizen");

        let changed = patch(&app, &app.counsellor("GKB"), &id, json!({"fase": "WSNP"})).succeeded().json();
        assert_eq!(changed["geinformeerdeSchuldeisers"], json!(["CAK", "CJIB"]));
        let coordinator = of_kind(&feed(&app, "CJIB"), "SCHULDHULPTRAJECT_GEWIJZIGD");
        assert_eq!(coordinator.len(), 1, "{coordinator:?}");
        assert_eq!(coordinator[0]["uwVorderingen"], json!([]));
        let told = coordinator[0]["toelichting"].as_str().unwrap();
        assert!(told.contains(&format!("U coördineert de Betalingsregeling Rijk {arrangement_id} van deze burger")), "{told}");
        assert!(told.contains("art. 306 Faillissementswet") && told.contains("Int geen termijnen meer"), "{told}");
        let creditor = of_kind(&feed(&app, "CAK"), "SCHULDHULPTRAJECT_GEWIJZIGD");
        let told = creditor[0]["toelichting"].as_str().unwrap();
        assert!(told.contains("art. 299 lid 2 Faillissementswet") && told.contains("zijn vervallen"), "{told}");
        assert!(!told.contains("coördineert"), "{told}");

        app.post(&format!("/api/v1/betalingsregelingen/{arrangement_id}/beeindigen"), Some(&citizen),
            &json!({"reden": "Wettelijke schuldsanering"})).succeeded();
        let ended = of_kind(&feed(&app, "CAK"), "REGELING_BEEINDIGD");
        let told = ended[0]["toelichting"].as_str().unwrap();
        assert!(told.contains("Nog open staan: CAK-1.") && told.contains("uw vorderingen waarvoor die werkt, worden alleen via de bewindvoerder"), "{told}");
        assert!(!told.contains("hervatten"), "not to resume in the Wsnp: {told}");
        let counsellor = of_kind(&counsellor_feed(&app, "GKB"), "REGELING_BEEINDIGD");
        assert!(counsellor[0]["toelichting"].as_str().unwrap().contains("waarvoor de wettelijke schuldsanering werkt, alleen via de bewindvoerder"), "{counsellor:?}");

        patch(&app, &app.counsellor("GKB"), &id, json!({"einddatum": "2026-06-15"})).succeeded();
        for code in ["CAK", "CJIB"] {
            let ended = of_kind(&feed(&app, code), "SCHULDHULPTRAJECT_BEEINDIGD");
            assert_eq!(ended.len(), 1, "{code}: {ended:?}");
            let told = ended[0]["toelichting"].as_str().unwrap();
            assert!(told.contains("schone lei") && told.contains("art. 358 lid 1 Faillissementswet"), "{code}: {told}");
            assert!(told.contains("lid 2, 4, 5 en 6 van dat artikel en in art. 358a"), "every exception: {code}: {told}");
            assert!(!told.contains("U kunt uw invordering hervatten"), "{code}: {told}");
        }
    }

    fn at_the_end_of_a_trajectory_a_creditor_is_not_told_to_resume_on_a_claim_in_a_running_arrangement(app) {
        claims_of_two_citizens(&app);
        arrangement_accepted(&app, BSNS[1]);
        app.post_events("CAK", json!([imposed("K2", "CAK-2", BSNS[1], "cak_eigen_bijdrage", "30.00")])).succeeded();
        mandate(&app, BSNS[1], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[1], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        patch(&app, &app.counsellor("GKB"), &id, json!({"einddatum": "2026-06-15"})).succeeded();
        let ended = of_kind(&feed(&app, "CAK"), "SCHULDHULPTRAJECT_BEEINDIGD");
        assert_eq!(own_claims(&ended[0]), [("CAK-1".to_owned(), "80.00".to_owned()), ("CAK-2".to_owned(), "30.00".to_owned())]);
        let told = ended[0]["toelichting"].as_str().unwrap();
        assert!(told.contains("U kunt uw invordering hervatten"), "CAK-2 may be collected again: {told}");
        assert!(told.ends_with("Dat geldt niet voor uw vordering CAK-1: die valt onder een lopende Betalingsregeling Rijk, en zolang die loopt, blijft uw eigen invordering daarop opgeschort."), "{told}");
    }

    fn an_arrangement_ended_during_a_trajectory_tells_its_creditors_that_the_pause_holds_not_to_resume(app) {
        claims_of_two_citizens(&app);
        let citizen = app.citizen(BSNS[0]);
        let arrangement = arrangement_accepted(&app, BSNS[0]);
        mandate(&app, BSNS[0], "GKB");
        register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
        app.post(&format!("/api/v1/betalingsregelingen/{}/beeindigen", arrangement["id"].as_str().unwrap()), Some(&citizen),
            &json!({"reden": "Schuldhulp"})).succeeded();
        let told = of_kind(&feed(&app, "DUO"), "REGELING_BEEINDIGD")[0]["toelichting"].as_str().unwrap().to_owned();
        assert!(told.contains("Nog open staan: DUO-1.") && told.contains("schuldhulptraject: schort uw invordering"), "{told}");
        assert!(!told.contains("hervatten"), "{told}");
        let counsellor = of_kind(&counsellor_feed(&app, "GKB"), "REGELING_BEEINDIGD");
        assert!(counsellor[0]["toelichting"].as_str().unwrap().contains("de pauze van het schuldhulptraject"), "{counsellor:?}");
    }

    fn a_wsnp_ruling_lapses_the_attachments_laid_before_it_and_samenloop_counts_them_no_more(app) {
        claims_of_two_citizens(&app);
        let flags = || -> Vec<String> {
            let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
            overview["samenloop"]["signaleringen"].as_array().unwrap().iter()
                .map(|s| s["code"].as_str().unwrap().to_owned()).collect()
        };
        let cjib = register(&app, &app.agency("CJIB"), &attachment("400.00", "1331.43", "2026-03-01")).succeeded().json();
        assert!(cjib["vervallenOp"].is_null(), "{cjib}");
        register(&app, &app.agency("DUO"), &attachment("450.00", "1331.43", "2026-06-12")).succeeded();
        assert_eq!(flags(), ["BESTAANSMINIMUM_ONDERSCHREDEN", "MEERDERE_BESLAGLEGGERS"]);
        mandate(&app, BSNS[0], "GKB");
        let registering = |body: Value| app.post("/api/v1/schuldhulptrajecten", Some(&app.counsellor("GKB")), &body);
        let refused = registering(json!({"burgerservicenummer": BSNS[0], "fase": "STABILISATIE", "startdatum": "2026-06-01", "uitspraakdatum": "2026-06-10"}));
        assert_eq!(refused.invalid_names(), ["uitspraakdatum"], "{}", refused.text);
        let refused = registering(json!({"burgerservicenummer": BSNS[0], "fase": "WSNP", "startdatum": "2026-06-01", "uitspraakdatum": "2026-06-16"}));
        assert_eq!(refused.invalid_names(), ["uitspraakdatum"], "{}", refused.text);
        let trajectory = registering(json!({"burgerservicenummer": BSNS[0], "fase": "WSNP", "startdatum": "2026-06-10", "uitspraakdatum": "2026-06-10"}))
            .succeeded().json();
        assert_eq!(trajectory["uitspraakdatum"], "2026-06-10");

        assert!(flags().is_empty(), "CJIB's attachment lapsed on 10 June; DUO's, laid after, leaves enough");
        let lifted = samenloop_of(&feed(&app, "CJIB"), "MEERDERE_BESLAGLEGGERS");
        assert_eq!(lifted.last().unwrap().0, "SAMENLOOP_OPGEHEVEN", "{lifted:?}");
        let notice = of_kind(&feed(&app, "CJIB"), "SCHULDHULPTRAJECT_GESTART");
        assert_eq!(notice[0]["uitspraakdatum"], "2026-06-10");
        assert!(notice[0]["toelichting"].as_str().unwrap().contains("uitgesproken op 10 juni 2026"), "{notice:?}");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let lapsed: Vec<_> = overview["beslagen"].as_array().unwrap().iter()
            .map(|b| (b["beslaglegger"].clone(), b["startdatum"].clone(), b["vervallenOp"].clone())).collect();
        assert_eq!(lapsed, [(json!("CJIB"), json!("2026-03-01"), json!("2026-06-10")), (json!("DUO"), json!("2026-06-12"), Value::Null)],
            "both stay as their parties registered them");
        assert_eq!(overview["schuldhulptraject"]["uitspraakdatum"], "2026-06-10");
        let path = format!("/api/v1/beslagen/{}", cjib["id"].as_str().unwrap());
        assert_eq!(app.get(&path, Some(&app.agency("CJIB"))).json()["vervallenOp"], "2026-06-10", "CJIB reads it too");

        // Interest dated after the ruling is signalled with what the law says of it.
        app.post_events("CJIB", json!([{"type": "OphogingOpgelegd", "gebeurteniskenmerk": "C1-R", "vorderingkenmerk": "CJIB-1",
            "categorie": "RENTE", "bedrag": "3.10", "datum": "2026-06-12", "omschrijving": "Rente"}])).succeeded();
        let signal = of_kind(&feed(&app, "CJIB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE");
        assert!(signal[0]["toelichting"].as_str().unwrap().contains("art. 303 lid 1 Faillissementswet"), "{signal:?}");

        // The lapse outlasts the Wsnp; a correction of the day is the counsellor's alone.
        let id = trajectory["id"].as_str().unwrap();
        patch(&app, &app.citizen(BSNS[0]), id, json!({"uitspraakdatum": "2026-06-11"})).problem(403);
        let corrected = patch(&app, &app.counsellor("GKB"), id, json!({"uitspraakdatum": "2026-02-27"})).succeeded().json();
        assert_eq!(corrected["uitspraakdatum"], "2026-02-27");
        assert_eq!(flags(), ["BESTAANSMINIMUM_ONDERSCHREDEN", "MEERDERE_BESLAGLEGGERS"], "laid after that day, CJIB's counts again");
        patch(&app, &app.counsellor("GKB"), id, json!({"uitspraakdatum": "2026-06-10"})).succeeded();
        patch(&app, &app.counsellor("GKB"), id, json!({"einddatum": "2026-06-15"})).succeeded();
        assert!(flags().is_empty(), "ended, the attachment stays lapsed (art. 301 lid 3 Fw)");
        let ended = app.send("PATCH", &path, Some(&app.agency("CJIB")),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-06-14"}).to_string()))).succeeded().json();
        assert_eq!((&ended["einddatum"], &ended["vervallenOp"]), (&json!("2026-06-14"), &json!("2026-06-10")));
    }

    fn a_counsellor_without_a_mandate_gets_403_naming_the_citizen_and_404_for_an_id(app) {
        claims_of_two_citizens(&app);
        mandate(&app, BSNS[0], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        register_trajectory(&app, "ANDERE", BSNS[0], "STABILISATIE").problem(403);
        let by_mandate = app.post("/api/v1/schuldhulptrajecten", Some(&app.counsellor("ANDERE")),
            &json!({"machtiging": "0193a1b2-0000-7000-8000-000000000000", "fase": "WSNP", "startdatum": "2026-06-01"}));
        by_mandate.problem(404);
        for path in [format!("/api/v1/schuldhulptrajecten/{id}"), "/api/v1/schuldhulptrajecten/0193a1b2-0000-7000-8000-00000000abcd".to_owned()] {
            app.get(&path, Some(&app.counsellor("ANDERE"))).problem(404);
            app.get(&path, Some(&app.citizen(BSNS[1]))).problem(404);
        }
        patch(&app, &app.counsellor("ANDERE"), &id, json!({"einddatum": "2026-06-15"})).problem(404);
        app.post("/api/v1/saldo-opgaven", Some(&app.counsellor("ANDERE")), &json!({"burgerservicenummer": BSNS[0]})).problem(403);
        let statement = app.post("/api/v1/saldo-opgaven", Some(&app.counsellor("GKB")), &json!({"burgerservicenummer": BSNS[0]}));
        assert_eq!(statement.status, 201, "{}", statement.text);
        let statement_id = statement.json()["id"].as_str().unwrap().to_owned();
        app.get(&format!("/api/v1/saldo-opgaven/{statement_id}"), Some(&app.counsellor("ANDERE"))).problem(404);
        app.get(&format!("/api/v1/saldo-opgaven/{statement_id}"), Some(&app.citizen(BSNS[1]))).problem(404);
        app.post("/api/v1/schuldhulptrajecten", Some(&app.agency("CJIB")),
            &json!({"burgerservicenummer": BSNS[0], "fase": "WSNP", "startdatum": "2026-06-01"})).problem(403);
        let listed = app.get("/api/v1/schuldhulptrajecten", Some(&app.counsellor("ANDERE"))).json();
        assert_eq!(listed["schuldhulptrajecten"], json!([]));
    }

    fn a_revoked_mandate_tells_the_counsellor_and_the_pause_goes_on(app) {
        claims_of_two_citizens(&app);
        let machtiging = mandate(&app, BSNS[0], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        assert_eq!(app.delete(&format!("/api/v1/machtigingen/{machtiging}"), Some(&app.citizen(BSNS[0]))).status, 204);
        let ended = of_kind(&counsellor_feed(&app, "GKB"), "MACHTIGING_BEEINDIGD");
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0]["machtigingId"], machtiging.as_str());
        assert_eq!(ended[0]["trajectId"], id.as_str());
        assert_eq!(ended[0]["reden"], "INGETROKKEN");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["schuldhulptraject"]["status"], "LOPEND", "creditors keep pausing");
        assert_eq!(overview["schuldhulptraject"]["machtigingGeeindigd"], true);
        app.get(&format!("/api/v1/schuldhulptrajecten/{id}"), Some(&app.counsellor("GKB"))).problem(404);
        app.post_events("CJIB", json!([{"type": "OphogingOpgelegd", "gebeurteniskenmerk": "C1-R", "vorderingkenmerk": "CJIB-1",
            "categorie": "RENTE", "bedrag": "3.10", "datum": "2026-06-14", "omschrijving": "Rente"}])).succeeded();
        assert!(of_kind(&counsellor_feed(&app, "GKB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE").is_empty(), "no data without a mandate");
        assert_eq!(of_kind(&feed(&app, "CJIB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE").len(), 1);
    }

    fn a_mandate_granted_to_start_later_is_watched_and_its_revocation_told_too(app) {
        claims_of_two_citizens(&app);
        let first = mandate(&app, BSNS[0], "GKB");
        register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
        let citizen = app.citizen(BSNS[0]);
        assert_eq!(app.delete(&format!("/api/v1/machtigingen/{first}"), Some(&citizen)).status, 204);
        let later = app.post("/api/v1/machtigingen", Some(&citizen),
            &json!({"schuldhulpverlener": "GKB", "geldigVanaf": "2026-06-16", "geldigTot": "2027-06-30"}))
            .succeeded().json()["id"].as_str().unwrap().to_owned();
        app.clock.advance(Duration::days(1));
        assert_eq!(app.delete(&format!("/api/v1/machtigingen/{later}"), Some(&citizen)).status, 204);
        let ended: Vec<_> = of_kind(&counsellor_feed(&app, "GKB"), "MACHTIGING_BEEINDIGD")
            .iter().map(|m| m["machtigingId"].as_str().unwrap().to_owned()).collect();
        assert_eq!(ended, [first, later], "each mandate's end is told");
    }

    fn a_proposal_beside_municipal_debt_help_says_it_spends_the_room_a_schuldregeling_shares(app) {
        claims_of_two_citizens(&app);
        let machtiging = mandate(&app, BSNS[0], "GKB");
        let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"});
        let propose = |token: &str, body: Value| app.post("/api/v1/betalingsregelingen/voorstellen", Some(token), &body).succeeded().json();
        let before = propose(&app.citizen(BSNS[0]), json!({"huishouden": household}));
        assert!(!before["samenvatting"].as_str().unwrap().contains("schuldhulptraject"), "{before}");
        register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
        let own = propose(&app.citizen(BSNS[0]), json!({"huishouden": household}));
        assert!(own["samenvatting"].as_str().unwrap().ends_with("U zit in een schuldhulptraject. Een Betalingsregeling Rijk gaat alleen over uw schulden bij de overheid. \
            Bespreek met uw schuldhulpverlener of dit voorstel past: in een schuldregeling krijgen al uw schuldeisers samen een deel van dezelfde \
            aflosruimte, en een regeling die die ruimte al gebruikt, laat daar niets voor over."), "{own}");
        let counsellor = propose(&app.counsellor("GKB"), json!({"machtiging": machtiging, "huishouden": household}));
        let text = counsellor["samenvatting"].as_str().unwrap();
        assert!(text.contains("Uw cliënt zit in een schuldhulptraject.") && text.contains("schulden bij anderen staan niet in dit voorstel"), "{text}");
    }

    fn a_surcharge_or_attachment_dated_during_a_trajectory_that_has_ended_is_still_signalled(app) {
        claims_of_two_citizens(&app);
        mandate(&app, BSNS[0], "GKB");
        let id = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json()["id"].as_str().unwrap().to_owned();
        patch(&app, &app.citizen(BSNS[0]), &id, json!({"einddatum": "2026-06-10"})).succeeded();
        // Posted after the end: one dated within the trajectory, one after it.
        let dated = |key: &str, date: &str| json!({"type": "OphogingOpgelegd", "gebeurteniskenmerk": key,
            "vorderingkenmerk": "CJIB-1", "categorie": "RENTE", "bedrag": "3.10", "datum": date, "omschrijving": "Rente"});
        app.post_events("CJIB", json!([dated("C1-R1", "2026-06-05"), dated("C1-R2", "2026-06-12")])).succeeded();
        let signals = of_kind(&feed(&app, "CJIB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE");
        assert_eq!(signals.len(), 1, "{signals:?}");
        assert_eq!((&signals[0]["signaal"], &signals[0]["datum"], &signals[0]["trajectId"]), (&json!("OPHOGING"), &json!("2026-06-05"), &json!(id)));
        // The saldo-opgave marks the one dated within the trajectory, and totals it apart.
        let statement = app.post("/api/v1/saldo-opgaven", Some(&app.citizen(BSNS[0])), &json!({})).succeeded().json();
        let lines: Vec<(Value, Value)> = statement["schuldeisers"].as_array().unwrap().iter()
            .flat_map(|s| s["vorderingen"].as_array().unwrap().clone()).flat_map(|v| v["ophogingen"].as_array().unwrap().clone())
            .filter(|o| o["omschrijving"] == "Rente").map(|o| (o["datum"].clone(), o["tijdensSchuldhulp"].clone())).collect();
        assert_eq!(lines, [(json!("2026-06-05"), json!(true)), (json!("2026-06-12"), json!(false))], "{statement}");
        assert_eq!(statement["totaal"]["ophogingenTijdensSchuldhulp"], "3.10", "{statement}");
        let mut late = attachment("100.00", "1331.43", "2026-06-03");
        late["vorderingkenmerken"] = json!(["DUO-1"]);
        register(&app, &app.agency("DUO"), &late).succeeded();
        let signals = of_kind(&feed(&app, "DUO"), "SIGNAAL_TIJDENS_SCHULDENPAUZE");
        assert_eq!(signals.len(), 1, "{signals:?}");
        assert_eq!(signals[0]["signaal"], "BESLAG");
        let counsellor: Vec<_> = of_kind(&counsellor_feed(&app, "GKB"), "SIGNAAL_TIJDENS_SCHULDENPAUZE").iter().map(|m| m["signaal"].clone()).collect();
        assert_eq!(counsellor, [json!("OPHOGING"), json!("BESLAG")]);
    }

    fn the_counsellor_feed_tells_samenloop_and_arrangements_of_mandated_citizens_only(app) {
        for (code, events) in cjib_and_duo_claims() {
            app.post_events(code, events).succeeded();
        }
        let machtiging = mandate(&app, BSNS[0], "GKB");
        let citizen = app.citizen(BSNS[0]);
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        app.post("/api/v1/betalingsregelingen", Some(&citizen), &json!({"voorstel": proposal["id"]})).succeeded();
        register(&app, &app.agency("CJIB"), &attachment("100.00", "1200.00", "2026-06-01")).succeeded();
        let mut elsewhere = attachment("100.00", "1200.00", "2026-06-01");
        elsewhere["burgerservicenummer"] = json!(BSNS[1]);
        let elsewhere = register(&app, &app.agency("CJIB"), &elsewhere).succeeded().json()["id"].as_str().unwrap().to_owned();

        let own = counsellor_feed(&app, "GKB");
        let started = of_kind(&own, "REGELING_GESTART");
        assert_eq!(started.len(), 1);
        assert_eq!(started[0]["rollen"], json!(["GEMACHTIGDE"]));
        assert_eq!(started[0]["coordinatie"]["schuldeisers"].as_array().unwrap().len(), 2, "the whole arrangement, as the citizen sees it");
        let flags: Vec<String> = of_kind(&own, "SAMENLOOP_GESIGNALEERD").iter().map(|f| f["signalering"].as_str().unwrap().to_owned()).collect();
        assert!(flags.iter().any(|f| f == "AFWIJKENDE_BESLAGVRIJE_VOET") && flags.iter().any(|f| f == "VORDERING_IN_REGELING_EN_BESLAG"), "{flags:?}");
        let collision = of_kind(&own, "SAMENLOOP_GESIGNALEERD").into_iter().find(|f| f["signalering"] == "VORDERING_IN_REGELING_EN_BESLAG").unwrap();
        let text = collision["toelichting"].as_str().unwrap();
        assert!(text.starts_with("Centraal Justitieel Incassobureau legt beslag"), "by the registry's name: {text}");
        let deviation = of_kind(&own, "SAMENLOOP_GESIGNALEERD").into_iter().find(|f| f["signalering"] == "AFWIJKENDE_BESLAGVRIJE_VOET").unwrap();
        let text = deviation["toelichting"].as_str().unwrap();
        assert!(text.contains("de beslagvrije voet van uw cliënt") && text.contains("uw cliënt houdt daardoor te weinig over"), "about the client: {text}");
        let texts = |overview: serde_json::Value| overview["samenloop"]["signaleringen"].as_array().unwrap().iter()
            .find(|f| f["code"] == "AFWIJKENDE_BESLAGVRIJE_VOET").unwrap()["toelichting"].as_str().unwrap().to_owned();
        let by_counsellor = texts(app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB")), &json!({"machtiging": machtiging})).json());
        let own_overview = texts(app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json());
        assert!(by_counsellor == text && own_overview.contains("uw beslagvrije voet") && own_overview.contains(": u houdt daardoor"), "{own_overview}");
        assert!(!serde_json::to_string(&own).unwrap().contains(&elsewhere), "nothing of the citizen who did not mandate GKB");
        assert!(own.iter().all(|m| m["machtiging"] == machtiging.as_str()));
        assert!(counsellor_feed(&app, "ANDERE").is_empty());
    }

    fn the_counsellor_feed_is_numbered_without_gaps_and_read_from_a_position(app) {
        claims_of_two_citizens(&app);
        mandate(&app, BSNS[0], "GKB");
        mandate(&app, BSNS[1], "GKB");
        register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
        register_trajectory(&app, "GKB", BSNS[1], "STABILISATIE").succeeded();
        app.post_events("CAK", json!([phase("K1-F", "CAK-1", "AANMANING", false)])).succeeded();
        let all = counsellor_feed(&app, "GKB");
        let positions: Vec<i64> = all.iter().map(|m| m["positie"].as_i64().unwrap()).collect();
        assert_eq!(positions, [1, 2, 3]);
        let rest = app.get("/api/v1/meldingen?na=2", Some(&app.counsellor("GKB"))).json();
        assert_eq!(rest["meldingen"].as_array().unwrap().len(), 1);
        assert_eq!(rest["volgende"], "3");
        assert_eq!(app.get("/api/v1/meldingen", Some(&app.citizen(BSNS[0]))).status, 403);
    }
}

/// Nobody revokes anything: the mandate simply runs out, and the daily watch tells the counsellor.
fn a_mandate_that_runs_out_is_not_silent(backend: Backend) {
    let app = TestApp::start_with(backend, |config| {
        config.samenloop_check_every = std::time::Duration::from_millis(50);
    });
    claims_of_two_citizens(&app);
    app.post(
        "/api/v1/machtigingen",
        Some(&app.citizen(BSNS[0])),
        &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-06-16"}),
    )
    .succeeded();
    register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
    app.clock.advance(Duration::days(2));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let told = loop {
        let reply = app.get("/api/v1/meldingen", Some(&app.counsellor("GKB")));
        let told = of_kind(
            reply.json()["meldingen"].as_array().unwrap(),
            "MACHTIGING_BEEINDIGD",
        );
        if !told.is_empty() || std::time::Instant::now() > deadline {
            break told;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(told.len(), 1, "the watch told the counsellor");
    assert_eq!(told[0]["reden"], "VERLOPEN");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let again = app
        .get("/api/v1/meldingen", Some(&app.counsellor("GKB")))
        .json();
    assert_eq!(
        of_kind(
            again["meldingen"].as_array().unwrap(),
            "MACHTIGING_BEEINDIGD"
        )
        .len(),
        1,
        "once, however often the watch looks"
    );
}

#[test]
fn a_mandate_that_runs_out_is_not_silent_on_sqlite() {
    a_mandate_that_runs_out_is_not_silent(Backend::Sqlite);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn a_mandate_that_runs_out_is_not_silent_on_postgres() {
    a_mandate_that_runs_out_is_not_silent(Backend::Postgres);
}
