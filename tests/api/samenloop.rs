//! Samenloop over HTTP: attachments and declared arrangements, the flags they raise, and what
//! each creditor is told.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, Backend, TestApp};

fn flags(app: &TestApp) -> Vec<String> {
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0])))
        .json();
    overview["samenloop"]["signaleringen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_owned())
        .collect()
}

/// CJIB-1 (1000.00) and DUO-1 (2000.00) in an accepted Betalingsregeling Rijk, and a CJIB wage
/// attachment for CJIB-1. Returns the arrangement.
fn cjib_and_duo_in_an_arrangement_and_cjib_attaching(app: &TestApp) -> Value {
    for (code, events) in cjib_and_duo_claims() {
        assert_eq!(app.post_events(code, events).status, 200);
    }
    let citizen = app.citizen(BSNS[0]);
    let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
        &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"}})).json();
    let arrangement = app.post(
        "/api/v1/betalingsregelingen",
        Some(&citizen),
        &json!({"voorstel": proposal["id"]}),
    );
    assert_eq!(arrangement.status, 201, "{}", arrangement.text);
    let mut body = attachment("100.00", "1331.43", "2026-06-01");
    body["vorderingkenmerken"] = json!(["CJIB-1"]);
    let laid = register(app, &app.agency("CJIB"), &body);
    assert_eq!(laid.status, 201, "{}", laid.text);
    arrangement.json()
}

on_both_backends! {
    fn without_the_norm_table_of_todays_half_year_a_creditor_on_the_new_amounts_is_not_told_it_deviates(app) {
        // 5 January 2027, with only the tables of 2026. The July 2026 amounts put the norm at
        // 0.95 × 1419.46 = 1348.49; CJIB applies 1367.49, as the new amounts may well have it.
        app.clock.advance(chrono::Duration::days(204));
        let laid = register(&app, &app.agency("CJIB"), &attachment("100.00", "1367.49", "2027-01-02"));
        assert_eq!(laid.status, 201, "{}", laid.text);
        assert!(flags(&app).is_empty(), "{:?}", flags(&app));
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let samenloop = &overview["samenloop"];
        assert_eq!(samenloop["beslagvrijeVoet"], json!({"laagste": "1348.49", "hoogste": null, "ontbrekend": ["normtabel"]}));
        assert!(samenloop["restcapaciteit"].is_null(), "{samenloop}");
        let undecided: Vec<_> = samenloop["onzeker"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
        assert_eq!(undecided, ["BESTAANSMINIMUM_ONDERSCHREDEN", "AFWIJKENDE_BESLAGVRIJE_VOET"], "{samenloop}");
        let why = samenloop["onzeker"][1]["toelichting"].as_str().unwrap();
        assert!(why.contains("vanaf 1 januari 2027") && why.contains("ten minste € 1.348,49"), "{why}");
        assert!(feed(&app, "CJIB").is_empty(), "neither told it deviates nor asked for data it cannot give");

        // Once the table of 1 January 2027 is posted, a change is judged on it: 1367.49 is the norm.
        app.post("/api/v1/normtabellen", Some(&app.admin()), &crate::fixtures::next_table(&app)).succeeded();
        register(&app, &app.agency("DUO"), &attachment("50.00", "1367.49", "2027-01-03")).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let samenloop = &overview["samenloop"];
        assert_eq!(samenloop["beslagvrijeVoet"], json!({"laagste": "1367.49", "hoogste": "1367.49", "ontbrekend": []}));
        assert_eq!(samenloop["onzeker"], json!([]));
        assert_eq!(samenloop["restcapaciteit"], "582.51");
    }

    fn a_shortfall_an_attachment_known_now_will_cause_is_foreseen_and_told_to_nobody_before_its_day(app) {
        // From 1 July 0.95 × 1419.46 = 1348.49 of 2100.00: 751.51 can be missed. CJIB takes
        // 500.00 now; DUO's 300.00 starts on 1 August: 48.49 short from then.
        register(&app, &app.agency("CJIB"), &attachment("500.00", "1331.43", "2026-03-01")).succeeded();
        register(&app, &app.agency("DUO"), &attachment("300.00", "1348.49", "2026-08-01")).succeeded();
        assert_eq!(flags(&app), Vec::<String>::new());
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let coming = &overview["samenloop"]["komendTekort"];
        assert_eq!((&coming["vanaf"], &coming["tekort"]), (&json!("2026-08-01"), &json!("48.49")), "{coming}");
        assert!(coming.get("normGrens").is_none(), "the July table is posted: {coming}");
        assert!(coming["toelichting"].as_str().unwrap().starts_with("Vanaf 1 augustus 2026 houdt u € 48,49 per maand minder over"), "{coming}");
        for code in ["CJIB", "DUO"] {
            assert!(samenloop_of(&feed(&app, code), "BESTAANSMINIMUM_ONDERSCHREDEN").is_empty(), "{code} is told on the day itself");
        }
        // At 200.00 a month DUO's attachment leaves enough, and nothing is foreseen.
        let duo = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json()["beslagen"].as_array().unwrap().iter()
            .find(|b| b["startdatum"] == "2026-08-01").unwrap()["id"].as_str().unwrap().to_owned();
        app.send("PATCH", &format!("/api/v1/beslagen/{duo}"), Some(&app.agency("DUO")),
            Some(("application/merge-patch+json", json!({"maandbedrag": "200.00"}).to_string()))).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert!(overview["samenloop"]["komendTekort"].is_null(), "{}", overview["samenloop"]);
    }

    fn attachments_that_together_exceed_the_capacity_are_flagged_and_each_agency_told_its_own_part(app) {
        // Net income 2100.00 (known from the attachments), single: norm 0.95 × 1401.50 = 1331.43,
        // available 768.57 a month.
        let cjib = register(&app, &app.agency("CJIB"), &attachment("500.00", "1200.00", "2026-03-01"));
        assert_eq!(cjib.status, 201, "{}", cjib.text);
        let cjib_id = cjib.json()["id"].as_str().unwrap().to_owned();
        let duo = register(&app, &app.agency("DUO"), &attachment("150.00", "1331.43", "2026-04-01"));
        let duo_id = duo.json()["id"].as_str().unwrap().to_owned();
        let mut private = attachment("200.00", "1331.43", "2026-05-01");
        private["beslaglegger"] = json!("Gerechtsdeurwaarder Jansen namens Woonstad");
        let declared = register(&app, &app.citizen(BSNS[0]), &private);
        assert_eq!(declared.status, 201, "{}", declared.text);
        assert_eq!(declared.json()["eigenOpgave"], true);

        assert_eq!(flags(&app), ["BESTAANSMINIMUM_ONDERSCHREDEN", "MEERDERE_BESLAGLEGGERS", "AFWIJKENDE_BESLAGVRIJE_VOET"]);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["beslagen"].as_array().unwrap().len(), 3);
        assert_eq!(overview["samenloop"]["restcapaciteit"], "0.00");
        assert!(overview["samenloop"]["grondslag"].as_str().unwrap().contains("2.100,00"));

        // 500 + 150 + 200 = 850.00 withheld; 850.00 − 768.57 = 81.43 below the norm.
        let cjib_feed = feed(&app, "CJIB");
        let undercut = samenloop_of(&cjib_feed, "BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!(undercut.len(), 1);
        let (kind, message) = &undercut[0];
        assert_eq!(kind, "SAMENLOOP_GESIGNALEERD");
        assert_eq!(message["tekort"], "81.43");
        assert_eq!(message["uwBeslagen"], json!([{"beslagId": cjib_id, "maandbedrag": "500.00"}]));
        let coordination = samenloop_of(&cjib_feed, "MEERDERE_BESLAGLEGGERS");
        assert_eq!(coordination.last().unwrap().1["coordinatie"], "U", "the oldest executorial attachment coordinates");
        let deviation = samenloop_of(&cjib_feed, "AFWIJKENDE_BESLAGVRIJE_VOET");
        assert_eq!(deviation[0].1["afwijking"]["richting"], "LAGER");
        assert_eq!(deviation[0].1["afwijking"]["verschil"], "131.43");

        let duo_feed = feed(&app, "DUO");
        let duo_undercut = samenloop_of(&duo_feed, "BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!(duo_undercut[0].1["uwBeslagen"], json!([{"beslagId": duo_id, "maandbedrag": "150.00"}]));
        assert_eq!(samenloop_of(&duo_feed, "MEERDERE_BESLAGLEGGERS").last().unwrap().1["coordinatie"], "ANDERE_PARTIJ");
        let duo_text = serde_json::to_string(&duo_feed).unwrap();
        assert!(!duo_text.contains(&cjib_id) && !duo_text.contains("500.00") && !duo_text.contains("Woonstad"), "DUO sees nothing of the others");
        assert!(samenloop_of(&duo_feed, "AFWIJKENDE_BESLAGVRIJE_VOET").is_empty(), "DUO applies the common norm");

        // DUO ends its attachment yesterday: 700.00 ≤ 768.57, the undercut clears.
        let ended = app.send("PATCH", &format!("/api/v1/beslagen/{duo_id}"), Some(&app.agency("DUO")),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-06-14"}).to_string())));
        assert_eq!(ended.status, 200, "{}", ended.text);
        assert_eq!(flags(&app), ["MEERDERE_BESLAGLEGGERS", "AFWIJKENDE_BESLAGVRIJE_VOET"]);
        let cleared = samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
        let (kind, lifted) = cleared.last().unwrap();
        assert_eq!(kind, "SAMENLOOP_OPGEHEVEN");
        // The lifting says so, asks nothing, and carries no stale shortfall.
        let text = lifted["toelichting"].as_str().unwrap();
        assert!(text.starts_with("Opgeheven:") && !text.contains("verlagen") && !text.contains("81,43"), "{text}");
        assert!(lifted["tekort"].is_null(), "{lifted}");
        assert_eq!(lifted["uwBeslagen"][0]["beslagId"], json!(cjib_id), "which attachment it was about stays");
        let duo_after = feed(&app, "DUO");
        assert_eq!(samenloop_of(&duo_after, "BESTAANSMINIMUM_ONDERSCHREDEN").last().unwrap().0, "SAMENLOOP_OPGEHEVEN");
        let (kind, no_longer) = samenloop_of(&duo_after, "MEERDERE_BESLAGLEGGERS").last().unwrap().clone();
        assert_eq!(kind, "SAMENLOOP_OPGEHEVEN", "DUO no longer attaches");
        assert!(no_longer["coordinatie"].is_null() && no_longer["coordinerendePartij"].is_null(), "{no_longer}");
        assert!(
            no_longer["toelichting"].as_str().unwrap().starts_with("Deze signalering betreft uw beslagen en regelingen niet langer"),
            "the flag still holds between CJIB and the private party: DUO is not told it is over: {no_longer}"
        );
    }

    fn running_attachments_and_declared_arrangements_reduce_a_proposals_capacity(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "1000.00")])).succeeded();
        register(&app, &app.agency("DUO"), &attachment("150.00", "1331.43", "2026-04-01")).succeeded();
        let declared = app.post("/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])),
            &json!({"partij": "Woonstad (huurachterstand)", "maandbedrag": "75.00", "startdatum": "2026-02-01"}));
        assert_eq!(declared.status, 201, "{}", declared.text);
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2100.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        // The norm on the first due date, 1 July 2026: 0.95 × 1419.46 = 1348.49 (the taxable income
        // is below every allowance threshold). 2100.00 − 1348.49 − 150.00 − 75.00 = 526.51.
        assert_eq!(proposal["inhoudingen"]["beslagen"], "150.00");
        assert_eq!(proposal["inhoudingen"]["lopendeRegelingen"][0]["maandbedrag"], "75.00");
        assert_eq!(proposal["afloscapaciteit"], "526.51");
        assert_eq!(proposal["regeling"]["maandbedrag"], "526.51");
        let codes: Vec<_> = proposal["samenloop"]["signaleringen"].as_array().unwrap().iter().map(|s| s["code"].clone()).collect();
        // Accepted, it would run beside Woonstad's; and on 1 July DUO's 1331.43 is below the norm.
        assert_eq!(codes, [json!("AFWIJKENDE_BESLAGVRIJE_VOET"), json!("SAMENLOOP_REGELINGEN")]);
        assert!(proposal["samenloop"]["grondslag"].as_str().unwrap().contains("is opgegeven in het voorstel"));
    }

    fn a_proposals_samenloop_is_what_accepting_it_would_bring_on_its_first_due_date(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "1000.00")])).succeeded();
        let citizen = app.citizen(BSNS[0]);
        let first = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1500.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        app.post("/api/v1/betalingsregelingen", Some(&citizen), &json!({"voorstel": first["id"]})).succeeded();
        // A new claim while that arrangement runs: its own proposal would be a second one.
        app.post_events("DUO", json!([imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "100.00")])).succeeded();
        let second = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2100.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        assert_eq!(second["regeling"]["maandbedrag"], "100.00", "{second}");
        let shown = second["samenloop"]["signaleringen"].as_array().unwrap();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(shown[0]["code"], "SAMENLOOP_REGELINGEN");
        assert!(shown[0]["regelingen"].as_array().unwrap().contains(&second["id"]), "{shown:?}");
        // Made on 15 June, the proposal takes the norm of 1 July, its first due date (0.95 ×
        // 1419.46), and so does its samenloop: not today's 0.95 × 1401.50 = 1331.43.
        assert_eq!(second["beslagvrijeVoet"]["beslagvrijeVoet"], "1348.49");
        assert_eq!(second["samenloop"]["beslagvrijeVoet"]["laagste"], "1348.49");
        assert!(!flags(&app).contains(&"SAMENLOOP_REGELINGEN".to_owned()), "a proposal changes no flag");
    }

    fn a_proposal_names_no_creditor_as_told_of_its_samenloop(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "1000.00")])).succeeded();
        // 2100.00 − 1348.49 = 751.51 a month above the norm; DUO withholds 800.00.
        register(&app, &app.agency("DUO"), &attachment("800.00", "1348.49", "2026-04-01")).succeeded();
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2100.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        let undercut = proposal["samenloop"]["signaleringen"].as_array().unwrap().iter()
            .find(|s| s["code"] == "BESTAANSMINIMUM_ONDERSCHREDEN").cloned().expect("the proposal shows the undercut");
        let text = undercut["toelichting"].as_str().unwrap();
        assert!(text.contains("€ 48,49 per maand te weinig"), "{text}");
        assert!(!text.contains("melding"), "a proposal tells nobody: {text}");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let told = overview["samenloop"]["signaleringen"].as_array().unwrap().iter()
            .find(|s| s["code"] == "BESTAANSMINIMUM_ONDERSCHREDEN").cloned().expect("the overview shows it too");
        // The person reads creditors by the registry's names, not by their codes.
        assert!(told["toelichting"].as_str().unwrap().contains("Dienst Uitvoering Onderwijs krijgt hierover een melding"), "{told}");
    }

    fn the_coordinating_collector_hears_of_an_undercut_by_its_arrangement_without_claims_in_it(app) {
        // A Betalingsregeling Rijk of DUO's claim alone, which CJIB coordinates.
        app.post_events("DUO", json!([imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "2000.00")])).succeeded();
        let citizen = app.citizen(BSNS[0]);
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        let arrangement = app.post("/api/v1/betalingsregelingen", Some(&citizen), &json!({"voorstel": proposal["id"]})).succeeded().json();
        assert_eq!(arrangement["coordinerendInvorderaar"], "CJIB");
        assert!(samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN").is_empty());
        // 1 July, the first due date: the instalment takes from the income. DUO also attaches
        // the wage: the instalment no longer fits beside it.
        app.clock.advance(chrono::Duration::days(16));
        register(&app, &app.agency("DUO"), &attachment("300.00", "1331.43", "2026-06-01")).succeeded();
        let told = samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!(told.len(), 1, "{told:?}");
        let (kind, message) = &told[0];
        assert_eq!(kind, "SAMENLOOP_GESIGNALEERD");
        assert_eq!(message["uwRegelingen"], json!([{
            "regelingId": arrangement["id"], "vorderingkenmerken": [],
            "maandbedrag": arrangement["maandbedrag"], "coordinerend": true,
        }]));
        assert!(message["uwBeslagen"].as_array().unwrap().is_empty(), "not DUO's attachment: {message}");
        let duo = samenloop_of(&feed(&app, "DUO"), "BESTAANSMINIMUM_ONDERSCHREDEN");
        let duo_part = &duo[0].1["uwRegelingen"][0];
        assert_eq!(duo_part["coordinerend"], false);
        assert!(duo_part["maandbedrag"].is_null(), "a creditor taking part is not shown the instalment: {duo_part}");
    }

    fn a_proposal_deducts_what_runs_on_its_first_due_date(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "1000.00")])).succeeded();
        // Today is 15 June; the first instalment would be due on 1 July. DUO's attachment starts
        // that day, CAK's ends the day before.
        register(&app, &app.agency("DUO"), &attachment("150.00", "1348.49", "2026-07-01")).succeeded();
        let mut ending = attachment("80.00", "1331.43", "2026-02-01");
        ending["einddatum"] = json!("2026-06-30");
        register(&app, &app.agency("CAK"), &ending).succeeded();
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2100.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        // 2100.00 − 1348.49 (the norm on 1 July) − 150.00 = 601.51.
        assert_eq!(proposal["inhoudingen"]["beslagen"], "150.00");
        assert_eq!(proposal["afloscapaciteit"], "601.51");
    }

    fn a_claim_in_an_arrangement_that_is_also_attached_is_flagged_to_its_creditor(app) {
        let arrangement = cjib_and_duo_in_an_arrangement_and_cjib_attaching(&app);
        assert!(flags(&app).contains(&"VORDERING_IN_REGELING_EN_BESLAG".to_owned()));
        let message = samenloop_of(&feed(&app, "CJIB"), "VORDERING_IN_REGELING_EN_BESLAG")[0].1.clone();
        assert_eq!(message["beslagEnRegeling"]["regelingId"], arrangement["id"]);
        assert_eq!(message["beslagEnRegeling"]["vorderingkenmerken"], json!(["CJIB-1"]));
        assert!(samenloop_of(&feed(&app, "DUO"), "VORDERING_IN_REGELING_EN_BESLAG").is_empty());
    }

    fn settling_the_claims_of_an_arrangement_clears_its_flags_as_the_events_arrive(app) {
        cjib_and_duo_in_an_arrangement_and_cjib_attaching(&app);
        // 1 July: the arrangement takes its first instalment, beside the declared one.
        app.clock.advance(chrono::Duration::days(16));
        app.post("/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])), &json!({"partij": "Energieleverancier", "maandbedrag": "40.00", "startdatum": "2026-06-01"})).succeeded();
        let last = |code: &str, flag: &str| samenloop_of(&feed(&app, code), flag).last().map(|(kind, _)| kind.clone());
        assert_eq!(last("CJIB", "VORDERING_IN_REGELING_EN_BESLAG").as_deref(), Some("SAMENLOOP_GESIGNALEERD"));
        assert_eq!(last("DUO", "SAMENLOOP_REGELINGEN").as_deref(), Some("SAMENLOOP_GESIGNALEERD"));

        // Nobody reads the overview: the events themselves re-check the person.
        let remitted = app.post_events("CJIB", json!([remission("C2", "CJIB-1", "1000.00")]));
        assert_eq!(remitted.status, 200, "{}", remitted.text);
        assert_eq!(last("CJIB", "VORDERING_IN_REGELING_EN_BESLAG").as_deref(), Some("SAMENLOOP_OPGEHEVEN"),
            "a remitted claim is no longer collected by both");
        assert_eq!(last("DUO", "SAMENLOOP_REGELINGEN").as_deref(), Some("SAMENLOOP_GESIGNALEERD"),
            "DUO-1 is still owed, so the arrangement still runs");

        let withdrawn = app.post_events("DUO", json!([withdrawn("D2", "DUO-1")]));
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
        assert_eq!(last("DUO", "SAMENLOOP_REGELINGEN").as_deref(), Some("SAMENLOOP_OPGEHEVEN"),
            "with nothing left owing the arrangement takes nothing from the income");
        assert!(!flags(&app).contains(&"SAMENLOOP_REGELINGEN".to_owned()));
    }

    fn more_than_one_running_arrangement_is_flagged(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "1000.00")])).succeeded();
        let citizen = app.citizen(BSNS[0]);
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"}})).json();
        app.post("/api/v1/betalingsregelingen", Some(&citizen), &json!({"voorstel": proposal["id"]})).succeeded();
        app.post("/api/v1/andere-regelingen", Some(&citizen), &json!({"partij": "Energieleverancier", "maandbedrag": "40.00", "startdatum": "2026-06-01"})).succeeded();
        assert!(!flags(&app).contains(&"SAMENLOOP_REGELINGEN".to_owned()), "the Betalingsregeling Rijk takes nothing before its first due date");
        // 1 July: both take from the income. A change re-checks the person (the daily check would).
        app.clock.advance(chrono::Duration::days(16));
        app.post("/api/v1/andere-regelingen", Some(&citizen), &json!({"partij": "Waterbedrijf", "maandbedrag": "10.00", "startdatum": "2026-07-01"})).succeeded();
        assert!(flags(&app).contains(&"SAMENLOOP_REGELINGEN".to_owned()));
        assert_eq!(samenloop_of(&feed(&app, "CJIB"), "SAMENLOOP_REGELINGEN")[0].0, "SAMENLOOP_GESIGNALEERD");
    }

    fn an_attachment_naming_no_income_or_household_has_its_creditor_asked_for_them(app) {
        let mut body = attachment("300.00", "1200.00", "2026-06-01");
        for field in ["nettoInkomenBron", "leefvormAangenomen", "belastbaarJaarinkomen"] {
            body.as_object_mut().unwrap().remove(field);
        }
        let id = register(&app, &app.agency("CJIB"), &body).succeeded().json()["id"].as_str().unwrap().to_owned();
        let asked = feed(&app, "CJIB").into_iter().filter(|m| m["inhoud"]["soort"] == "GEGEVENS_GEVRAAGD").collect::<Vec<_>>();
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert_eq!((&asked[0]["inhoud"]["beslagId"], &asked[0]["inhoud"]["ontbrekend"]), (&json!(id), &json!(["nettoInkomenBron", "leefvormAangenomen"])));
        // Given, the BVV is judged: too low for a single person on 2100.00 a month.
        app.send("PATCH", &format!("/api/v1/beslagen/{id}"), Some(&app.agency("CJIB")),
            Some(("application/merge-patch+json", json!({"nettoInkomenBron": "2100.00", "leefvormAangenomen": "ALLEENSTAANDE", "belastbaarJaarinkomen": "23000.00"}).to_string()))).succeeded();
        assert!(flags(&app).contains(&"AFWIJKENDE_BESLAGVRIJE_VOET".to_owned()), "{:?}", flags(&app));
    }

    fn attachments_on_different_incomes_have_no_common_coordinator(app) {
        register(&app, &app.agency("CJIB"), &attachment("100.00", "1331.43", "2026-03-01")).succeeded();
        let mut benefit = attachment("50.00", "1331.43", "2026-05-01");
        benefit["inkomstenbron"] = json!("WW-uitkering UWV");
        register(&app, &app.agency("UWV"), &benefit).succeeded();
        assert!(samenloop_of(&feed(&app, "UWV"), "MEERDERE_BESLAGLEGGERS").is_empty(), "not told to hand its claim to CJIB");
        assert!(samenloop_of(&feed(&app, "CJIB"), "MEERDERE_BESLAGLEGGERS").is_empty());
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let flag = overview["samenloop"]["signaleringen"].as_array().unwrap().iter()
            .find(|s| s["code"] == "MEERDERE_BESLAGLEGGERS").cloned().expect("the citizen sees both attach");
        assert!(flag.get("partij").is_none(), "{flag}");
        assert!(flag["toelichting"].as_str().unwrap().contains("verschillende inkomsten"), "{flag}");

        // DUO attaches the same wage as CJIB: those two concur, CJIB's older one coordinates.
        let mut wage = attachment("80.00", "1331.43", "2026-04-01");
        wage["inkomstenbron"] = json!("loon, bakkerij de korenschoof");
        register(&app, &app.agency("DUO"), &wage).succeeded();
        let duo = samenloop_of(&feed(&app, "DUO"), "MEERDERE_BESLAGLEGGERS");
        assert_eq!(duo.last().unwrap().1["coordinerendePartij"], "CJIB");
        assert!(samenloop_of(&feed(&app, "UWV"), "MEERDERE_BESLAGLEGGERS").is_empty());
        let cjib = samenloop_of(&feed(&app, "CJIB"), "MEERDERE_BESLAGLEGGERS").last().unwrap().1.clone();
        assert_eq!(cjib["beslagenPerInkomen"].as_array().unwrap().len(), 1, "{cjib}");
        assert_eq!((&cjib["coordinatie"], &cjib["beslagenPerInkomen"][0]["coordinatie"]), (&json!("U"), &json!("U")));

        // CJIB attaches the benefit too, after UWV: each income has its own coordinator, each
        // named as CJIB named it.
        let mut also_benefit = attachment("30.00", "1331.43", "2026-05-15");
        also_benefit["inkomstenbron"] = json!("WW-uitkering UWV");
        let also_benefit = register(&app, &app.agency("CJIB"), &also_benefit).json();
        let cjib = samenloop_of(&feed(&app, "CJIB"), "MEERDERE_BESLAGLEGGERS").last().unwrap().1.clone();
        let per_income: Vec<(&str, &str, Option<&str>)> = cjib["beslagenPerInkomen"].as_array().unwrap().iter()
            .map(|i| (i["inkomstenbron"].as_str().unwrap(), i["coordinatie"].as_str().unwrap(), i["coordinerendePartij"].as_str()))
            .collect();
        assert_eq!(per_income, [("Loon, Bakkerij De Korenschoof", "U", Some("CJIB")), ("WW-uitkering UWV", "ANDERE_PARTIJ", Some("UWV"))], "{cjib}");
        assert_eq!(cjib["beslagenPerInkomen"][1]["beslagIds"], json!([also_benefit["id"]]));
        assert!(cjib["coordinatie"].is_null() && cjib["coordinerendePartij"].is_null(), "not one answer for two incomes: {cjib}");
        assert!(cjib["toelichting"].as_str().unwrap().contains("(WW-uitkering UWV). UWV int voor alle beslagleggers, omdat die het oudste executoriale beslag heeft, sinds 1 mei 2026; meld uw beslag"), "art. 478 lid 1 and 6 Rv, not a transfer of the claim: {cjib}");
        assert_eq!(samenloop_of(&feed(&app, "UWV"), "MEERDERE_BESLAGLEGGERS").last().unwrap().1["coordinatie"], "U");
    }

    fn a_connected_agency_attaches_only_for_its_own_claims_on_the_person(app) {
        app.connect(&["CJIB"]);
        let refused = register(&app, &app.agency("CJIB"), &attachment("100.00", "1331.43", "2026-03-01")).problem(403);
        assert!(refused["detail"].as_str().unwrap().contains("geen openstaande vordering op deze burger"), "{refused}");
        assert!(feed(&app, "CJIB").is_empty(), "nothing was registered, nothing told");
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "500.00")])).succeeded();
        let mut keyed = attachment("100.00", "1331.43", "2026-03-01");
        keyed["vorderingkenmerken"] = json!(["CJIB-1", "CJIB-9"]);
        assert_eq!(register(&app, &app.agency("CJIB"), &keyed).invalid_names(), ["vorderingkenmerken[1]"]);
        keyed["vorderingkenmerken"] = json!(["CJIB-1"]);
        let first = register(&app, &app.agency("CJIB"), &keyed).json();
        // Withdrawn, the claim is nothing to attach for any more; the same registration sent
        // again still gets what was recorded.
        app.post_events("CJIB", json!([withdrawn("C1-I", "CJIB-1")])).succeeded();
        let again = register(&app, &app.agency("CJIB"), &keyed);
        assert_eq!((again.status, &again.json()["id"]), (200, &first["id"]), "{}", again.text);
        keyed["maandbedrag"] = json!("90.00");
        register(&app, &app.agency("CJIB"), &keyed).problem(403);
    }

    fn a_changed_attachment_keeps_the_rules_of_its_registration(app) {
        let cjib = app.agency("CJIB");
        let change = |id: &Value, change: Value| {
            app.send("PATCH", &format!("/api/v1/beslagen/{}", id.as_str().unwrap()), Some(&cjib),
                Some(("application/merge-patch+json", change.to_string())))
        };
        // Laid before CJIB delivered its claims, for a key the overview never held.
        let mut early = attachment("50.00", "1331.43", "2026-02-01");
        early["vorderingkenmerken"] = json!(["CJIB-0"]);
        let early = register(&app, &cjib, &early).json();
        app.connect(&["CJIB"]);
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "500.00")])).succeeded();
        let mut keyed = attachment("100.00", "1331.43", "2026-03-01");
        keyed["vorderingkenmerken"] = json!(["CJIB-1"]);
        keyed["beslagkenmerk"] = json!("CJIB-B-1");
        let first = register(&app, &cjib, &keyed).json();
        keyed["beslagkenmerk"] = json!("CJIB-B-2");
        let second = register(&app, &cjib, &keyed).json();

        let foreign = change(&second["id"], json!({"vorderingkenmerken": ["CJIB-1", "DUO-7"]}));
        assert_eq!(foreign.invalid_names(), ["vorderingkenmerken[1]"], "not a claim of CJIB's on the person");
        let taken = change(&second["id"], json!({"beslagkenmerk": "CJIB-B-1"})).problem(409);
        assert_eq!(taken["invalidParams"][0]["name"], "beslagkenmerk");
        assert!(taken["detail"].as_str().unwrap().contains(first["id"].as_str().unwrap()), "{taken}");
        let unchanged = app.get(&format!("/api/v1/beslagen/{}", second["id"].as_str().unwrap()), Some(&cjib)).json();
        assert_eq!((&unchanged["beslagkenmerk"], &unchanged["vorderingkenmerken"]), (&json!("CJIB-B-2"), &json!(["CJIB-1"])));

        // A key named before stays: the early attachment can still be changed and ended.
        change(&early["id"], json!({"maandbedrag": "40.00"})).succeeded();
        change(&early["id"], json!({"einddatum": "2026-06-14"})).succeeded();
        // Once the first has ended, its beslagkenmerk may be taken up.
        change(&first["id"], json!({"einddatum": "2026-06-14"})).succeeded();
        app.clock.advance(chrono::Duration::days(1));
        let moved = change(&second["id"], json!({"beslagkenmerk": "CJIB-B-1"}));
        assert_eq!(moved.json()["beslagkenmerk"], "CJIB-B-1", "{}", moved.text);
        // Brought back, the first would share its key with the one that took it.
        let reopened = change(&first["id"], json!({"einddatum": null})).problem(409);
        assert!(reopened["detail"].as_str().unwrap().contains(second["id"].as_str().unwrap()), "{reopened}");
    }

    fn a_change_that_changes_nothing_writes_nothing_and_tells_nobody(app) {
        let cjib = app.agency("CJIB");
        let laid = register(&app, &cjib, &attachment("100.00", "1331.43", "2026-03-01")).json();
        let path = format!("/api/v1/beslagen/{}", laid["id"].as_str().unwrap());
        let patch = |body: Value| app.send("PATCH", &path, Some(&cjib), Some(("application/merge-patch+json", body.to_string())));
        let logged = |action: &str| {
            let log = app.get("/api/v1/inzagelog?aantal=100", Some(&app.citizen(BSNS[0]))).json();
            log["regels"].as_array().unwrap().iter().filter(|r| r["handeling"] == action).count()
        };
        let told = feed(&app, "CJIB").len();
        let same = patch(json!({"maandbedrag": "100.00", "startdatum": "2026-03-01"})).succeeded().json();
        assert_eq!((&same["maandbedrag"], &same["id"]), (&json!("100.00"), &laid["id"]));
        assert_eq!((logged("BESLAG_GEWIJZIGD"), logged("BESLAG_INGEZIEN")), (0, 1), "read, not changed");
        assert_eq!(feed(&app, "CJIB").len(), told);
        patch(json!({"maandbedrag": "120.00"})).succeeded();
        assert_eq!(logged("BESLAG_GEWIJZIGD"), 1);
        // The same claims in another order are the same claims.
        app.connect(&["CJIB"]);
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "10.00"), imposed("C2", "CJIB-2", BSNS[0], "cjib_boete", "10.00")])).succeeded();
        patch(json!({"vorderingkenmerken": ["CJIB-1", "CJIB-2"]})).succeeded();
        assert_eq!(logged("BESLAG_GEWIJZIGD"), 2);
        let reordered = patch(json!({"vorderingkenmerken": ["CJIB-2", "CJIB-1"]})).succeeded().json();
        assert_eq!(reordered["vorderingkenmerken"], json!(["CJIB-1", "CJIB-2"]));
        assert_eq!(logged("BESLAG_GEWIJZIGD"), 2, "not a change");
    }

    fn a_declared_attachment_a_creditor_then_registers_itself_is_asked_about_not_counted_silently(app) {
        let citizen = app.citizen(BSNS[0]);
        let mut by_hand = attachment("200.00", "1331.43", "2026-03-01");
        by_hand["beslaglegger"] = json!("cjib");
        let declared = register(&app, &citizen, &by_hand).json();
        let overview = || app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview()["mogelijkDubbeleBeslagen"], json!([]), "CJIB registered nothing itself");

        register(&app, &app.agency("CJIB"), &attachment("200.00", "1331.43", "2026-03-01")).succeeded();
        let asked = overview()["mogelijkDubbeleBeslagen"].clone();
        assert_eq!((&asked[0]["beslagId"], &asked[0]["schuldeiser"]), (&declared["id"], &json!("CJIB")), "{asked}");
        let text = asked[0]["toelichting"].as_str().unwrap();
        assert!(text.contains("Is dat hetzelfde beslag? Beëindig dan de opgave"), "{text}");
        assert!(text.contains("Loon, Bakkerij De Korenschoof"), "which income CJIB attaches: {text}");

        app.send("PATCH", &format!("/api/v1/beslagen/{}", declared["id"].as_str().unwrap()), Some(&citizen),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-06-14"}).to_string()))).succeeded();
        assert_eq!(overview()["mogelijkDubbeleBeslagen"], json!([]), "ended, it no longer counts");
    }

    fn an_attachment_or_arrangement_sent_twice_is_recorded_once(app) {
        let mut keyed = attachment("400.00", "1331.43", "2026-03-01");
        keyed["beslagkenmerk"] = json!("CJIB-B-77");
        let first = register(&app, &app.agency("CJIB"), &keyed);
        assert_eq!(first.status, 201, "{}", first.text);
        let again = register(&app, &app.agency("CJIB"), &keyed);
        assert_eq!(again.status, 200, "a retried request gets the same attachment: {}", again.text);
        assert_eq!(again.json()["id"], first.json()["id"]);
        keyed["maandbedrag"] = json!("300.00");
        let other = register(&app, &app.agency("CJIB"), &keyed).problem(409);
        assert_eq!(other["invalidParams"][0]["name"], "beslagkenmerk");
        assert!(other["detail"].as_str().unwrap().contains(first.json()["id"].as_str().unwrap()), "{other}");

        let declared = json!({"partij": "Woonstad", "maandbedrag": "75.00", "startdatum": "2026-02-01"});
        let citizen = app.citizen(BSNS[0]);
        assert_eq!(app.post("/api/v1/andere-regelingen", Some(&citizen), &declared).status, 201);
        let twice = app.post("/api/v1/andere-regelingen", Some(&citizen), &declared);
        assert_eq!(twice.status, 200, "{}", twice.text);

        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview["beslagen"].as_array().unwrap().len(), 1, "{overview}");
        assert_eq!(overview["andereRegelingen"].as_array().unwrap().len(), 1, "{overview}");
        // 400.00 + 75.00 = 475.00 of 768.57 above the norm: no undercut from counting twice.
        assert!(!flags(&app).contains(&"BESTAANSMINIMUM_ONDERSCHREDEN".to_owned()));
        let log = app.get("/api/v1/inzagelog", Some(&citizen)).json();
        let actions: Vec<_> = log["regels"].as_array().unwrap().iter().map(|r| r["handeling"].as_str().unwrap().to_owned()).collect();
        assert!(actions.contains(&"OPGEGEVEN_REGELING_INGEZIEN".to_owned()), "{actions:?}");
    }

    fn an_agency_cannot_read_or_end_another_agencys_attachment(app) {
        let laid = register(&app, &app.agency("CJIB"), &attachment("100.00", "1331.43", "2026-03-01")).json();
        let path = format!("/api/v1/beslagen/{}", laid["id"].as_str().unwrap());
        let refused = app.get(&path, Some(&app.agency("DUO"))).problem(404);
        assert_eq!(refused["detail"], "Dit beslag bestaat niet of u heeft er geen toegang toe.", "Dutch: het beslag");
        app.send("PATCH", &path, Some(&app.agency("DUO")), Some(("application/json", json!({"einddatum": "2026-06-14"}).to_string()))).problem(404);
        app.send("PATCH", &path, Some(&app.citizen(BSNS[0])), Some(("application/json", json!({"einddatum": "2026-06-14"}).to_string()))).problem(403);
        assert_eq!(app.get(&path, Some(&app.agency("CJIB"))).status, 200);
        assert_eq!(app.get(&path, Some(&app.citizen(BSNS[0]))).status, 200, "the person sees attachments on them");
        app.get(&path, Some(&app.citizen(BSNS[1]))).problem(404);
    }

    fn a_counsellor_without_a_mandate_cannot_declare_anything(app) {
        let counsellor = app.counsellor("GKB");
        let mut private = attachment("200.00", "1331.43", "2026-05-01");
        private["beslaglegger"] = json!("Deurwaarder");
        register(&app, &counsellor, &private).problem(403);
        app.post("/api/v1/andere-regelingen", Some(&counsellor),
            &json!({"burgerservicenummer": BSNS[0], "partij": "X", "maandbedrag": "10.00", "startdatum": "2026-06-01"})).problem(403);
        app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).succeeded();
        assert_eq!(register(&app, &counsellor, &private).status, 201);
    }

    fn a_shortfall_judged_at_the_lowest_possible_norm_says_it_is_a_bound(app) {
        // 1000.00 of 2100.00 net, the taxable income unknown: the norm lies between 1331.43 and
        // 1995.00, and at the lowest 231.43 is too much withheld, so at least that.
        let mut body = attachment("1000.00", "1331.43", "2026-03-01");
        body.as_object_mut().unwrap().remove("belastbaarJaarinkomen");
        let laid = register(&app, &app.agency("CJIB"), &body).succeeded().json();
        let samenloop = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json()["samenloop"].clone();
        let flag = samenloop["signaleringen"].as_array().unwrap().iter()
            .find(|s| s["code"] == "BESTAANSMINIMUM_ONDERSCHREDEN").cloned().expect("certain at every norm");
        assert_eq!((&flag["gemeenschappelijkeBeslagvrijeVoet"], &flag["normGrens"], &flag["tekort"]),
            (&json!("1331.43"), &json!("TEN_MINSTE"), &json!("231.43")), "{flag}");
        assert!(flag["toelichting"].as_str().unwrap().contains("de laagste beslagvrije voet"), "{flag}");
        let told = samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!((&told[0].1["normGrens"], &told[0].1["tekort"]), (&json!("TEN_MINSTE"), &json!("231.43")));
        assert!(told[0].1["toelichting"].as_str().unwrap().contains("ten minste € 231,43"), "{}", told[0].1);

        // Known, the norm is the norm: no bound.
        app.send("PATCH", &format!("/api/v1/beslagen/{}", laid["id"].as_str().unwrap()), Some(&app.agency("CJIB")),
            Some(("application/merge-patch+json", json!({"belastbaarJaarinkomen": "23000.00"}).to_string()))).succeeded();
        let samenloop = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json()["samenloop"].clone();
        let flag = samenloop["signaleringen"].as_array().unwrap().iter()
            .find(|s| s["code"] == "BESTAANSMINIMUM_ONDERSCHREDEN").cloned().unwrap();
        assert!(flag.get("normGrens").is_none(), "{flag}");
    }

    fn a_flag_the_data_no_longer_decides_is_neither_lifted_nor_raised_again(app) {
        // 500.00 of 2100.00 net with a BVV of 1331.43. With a taxable income of 60 000.00 the norm
        // is 95 % of the income, 1995.00: 395.00 too much is withheld and the BVV is too low.
        let mut body = attachment("500.00", "1331.43", "2026-03-01");
        body["belastbaarJaarinkomen"] = json!("60000.00");
        let laid = register(&app, &app.agency("CJIB"), &body).succeeded().json();
        let path = format!("/api/v1/beslagen/{}", laid["id"].as_str().unwrap());
        let patch = |change: Value| {
            app.send("PATCH", &path, Some(&app.agency("CJIB")),
                Some(("application/merge-patch+json", change.to_string()))).succeeded();
        };
        let told = |flag: &str| samenloop_of(&feed(&app, "CJIB"), flag);
        let kinds = |flag: &str| told(flag).into_iter().map(|(kind, _)| kind).collect::<Vec<_>>();
        const UNDERCUT: &str = "BESTAANSMINIMUM_ONDERSCHREDEN";
        const DEVIATION: &str = "AFWIJKENDE_BESLAGVRIJE_VOET";
        assert_eq!(flags(&app), [UNDERCUT, DEVIATION]);
        assert_eq!(told(UNDERCUT)[0].1["tekort"], "395.00");

        // Without the taxable income the norm lies between 1331.43 and 1995.00: neither flag is
        // decided, so neither is lifted, and CJIB is asked for the income.
        patch(json!({"belastbaarJaarinkomen": null}));
        let samenloop = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).succeeded().json()["samenloop"].clone();
        assert_eq!(samenloop["signaleringen"], json!([]), "not shown as certain");
        let uncertain: Vec<_> = samenloop["onzeker"].as_array().unwrap().iter().map(|u| u["code"].clone()).collect();
        assert_eq!(uncertain, [json!(UNDERCUT), json!(DEVIATION)]);
        assert_eq!(kinds(UNDERCUT), ["SAMENLOOP_GESIGNALEERD"], "not lifted: nothing was resolved");
        assert_eq!(kinds(DEVIATION), ["SAMENLOOP_GESIGNALEERD"]);
        assert_eq!(feed(&app, "CJIB").last().unwrap()["inhoud"]["soort"], "GEGEVENS_GEVRAAGD");

        // Known again with the same figures: nothing new to tell.
        patch(json!({"belastbaarJaarinkomen": "60000.00"}));
        assert_eq!(flags(&app), [UNDERCUT, DEVIATION]);
        assert_eq!(kinds(UNDERCUT), ["SAMENLOOP_GESIGNALEERD"], "not raised a second time");
        assert_eq!(kinds(DEVIATION), ["SAMENLOOP_GESIGNALEERD"]);

        // Undecided again while the amount rises, then decided: the same flag, changed.
        patch(json!({"belastbaarJaarinkomen": null}));
        patch(json!({"maandbedrag": "600.00"}));
        assert_eq!(kinds(UNDERCUT), ["SAMENLOOP_GESIGNALEERD"]);
        patch(json!({"belastbaarJaarinkomen": "60000.00"}));
        assert_eq!(kinds(UNDERCUT), ["SAMENLOOP_GESIGNALEERD", "SAMENLOOP_GEWIJZIGD"]);
        assert_eq!(told(UNDERCUT)[1].1["tekort"], "495.00");
        assert_eq!(kinds(DEVIATION), ["SAMENLOOP_GESIGNALEERD"]);

        // Undecided again; then 50.00 fits below every norm the data allows, and the attachment
        // no longer applies a BVV of its own: only now is each lifted.
        patch(json!({"belastbaarJaarinkomen": null}));
        patch(json!({"maandbedrag": "50.00"}));
        assert_eq!(kinds(UNDERCUT).last().unwrap(), "SAMENLOOP_OPGEHEVEN");
        // The lifting says which attachment, not the 600.00 it was last told.
        let lifted = told(UNDERCUT).last().unwrap().1.clone();
        assert_eq!(lifted["uwBeslagen"], json!([{"beslagId": laid["id"], "maandbedrag": null}]), "{lifted}");
        assert_eq!(lifted["tekort"], Value::Null);
        assert_eq!(kinds(DEVIATION), ["SAMENLOOP_GESIGNALEERD"], "still undecided");
        patch(json!({"beslagvrijeVoet": null}));
        assert_eq!(kinds(DEVIATION), ["SAMENLOOP_GESIGNALEERD", "SAMENLOOP_OPGEHEVEN"]);
        // Nor the BVV of 1331.43 the attachment no longer applies.
        let lifted = told(DEVIATION).last().unwrap().1.clone();
        assert_eq!(lifted["afwijking"], Value::Null, "{lifted}");
        assert_eq!(lifted["uwBeslagen"], json!([{"beslagId": laid["id"], "maandbedrag": null}]));
    }

    fn a_shortfall_that_an_ended_attachment_leaves_undecided_is_lifted_as_certain_but_not_as_over(app) {
        // 3501.00 net, no taxable income: the norm lies between 1331.43 and 2191.42. CJIB's
        // 1500.00 and DUO's 700.00 leave 1301.00: short at every norm.
        let on_3501 = |amount: &str, start: &str| {
            let mut body = attachment(amount, "1331.43", start);
            body["nettoInkomenBron"] = json!("3501.00");
            let body = body.as_object_mut().unwrap();
            body.remove("belastbaarJaarinkomen");
            body.remove("beslagvrijeVoet");
            Value::Object(body.clone())
        };
        register(&app, &app.agency("CJIB"), &on_3501("1500.00", "2026-05-01")).succeeded();
        let duo = register(&app, &app.agency("DUO"), &on_3501("700.00", "2026-06-01")).succeeded().json();
        const UNDERCUT: &str = "BESTAANSMINIMUM_ONDERSCHREDEN";
        assert_eq!(flags(&app), [UNDERCUT, "MEERDERE_BESLAGLEGGERS"]);

        // DUO's ended yesterday: 2001.00 is left, enough at the lowest norm, not at the highest.
        app.send("PATCH", &format!("/api/v1/beslagen/{}", duo["id"].as_str().unwrap()), Some(&app.agency("DUO")),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-06-14"}).to_string()))).succeeded();
        let samenloop = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).succeeded().json()["samenloop"].clone();
        let uncertain: Vec<_> = samenloop["onzeker"].as_array().unwrap().iter().map(|u| u["code"].clone()).collect();
        assert!(uncertain.contains(&json!(UNDERCUT)), "{samenloop}");
        let (kind, lifted) = samenloop_of(&feed(&app, "CJIB"), UNDERCUT).last().unwrap().clone();
        assert_eq!(kind, "SAMENLOOP_OPGEHEVEN");
        let text = lifted["toelichting"].as_str().unwrap();
        assert!(text.starts_with("Niet langer vastgesteld") && text.contains("mogelijk niet") && !text.contains("niets meer nodig"), "{text}");
    }

    fn with_attachments_on_two_incomes_a_bvv_above_one_incomes_norm_is_not_called_too_high(app) {
        // UWV on a WW benefit of 2000.00 applies 1000.00, below the norm for that income alone.
        let mut ww = attachment("200.00", "1000.00", "2026-03-01");
        ww["inkomstenbron"] = json!("WW-uitkering UWV");
        ww["nettoInkomenBron"] = json!("2000.00");
        ww["belastbaarJaarinkomen"] = json!("36000.00");
        register(&app, &app.agency("UWV"), &ww).succeeded();
        const DEVIATION: &str = "AFWIJKENDE_BESLAGVRIJE_VOET";
        let directions = |app: &TestApp| samenloop_of(&feed(app, "UWV"), DEVIATION).into_iter()
            .map(|(kind, m)| (kind, m["afwijking"]["richting"].as_str().map(str::to_owned))).collect::<Vec<_>>();
        assert_eq!(directions(&app), [("SAMENLOOP_GESIGNALEERD".to_owned(), Some("LAGER".to_owned()))]);

        // CJIB attaches the wage of 1000.00: judged on that income alone the norm is 950.00, but
        // the law counts both (art. 475dc lid 1 Rv), so UWV's 1000.00 is not too high.
        let mut wage = attachment("100.00", "1331.43", "2026-06-01");
        wage["nettoInkomenBron"] = json!("1000.00");
        wage["belastbaarJaarinkomen"] = json!("36000.00");
        wage.as_object_mut().unwrap().remove("beslagvrijeVoet");
        register(&app, &app.agency("CJIB"), &wage).succeeded();
        assert_eq!(directions(&app), [("SAMENLOOP_GESIGNALEERD".to_owned(), Some("LAGER".to_owned()))], "not told to lower it");
        let samenloop = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).succeeded().json()["samenloop"].clone();
        let uncertain = samenloop["onzeker"].as_array().unwrap().iter().find(|u| u["code"] == DEVIATION).expect("undecided");
        let why = uncertain["toelichting"].as_str().unwrap();
        assert!(why.contains("WW-uitkering UWV") && why.contains("art. 475dc lid 1 Rv"), "{why}");
    }

    fn each_persons_flag_has_its_own_sleutel_in_a_creditors_feed(app) {
        // Two citizens, each attached by CJIB and by DUO: MEERDERE_BESLAGLEGGERS for both.
        let mut duo_ids = Vec::new();
        for bsn in [BSNS[0], BSNS[1]] {
            let mut cjib = attachment("100.00", "1331.43", "2026-03-01");
            cjib["burgerservicenummer"] = json!(bsn);
            register(&app, &app.agency("CJIB"), &cjib).succeeded();
            let mut duo = attachment("100.00", "1331.43", "2026-04-01");
            duo["burgerservicenummer"] = json!(bsn);
            duo_ids.push(register(&app, &app.agency("DUO"), &duo).succeeded().json()["id"].as_str().unwrap().to_owned());
        }
        let raised = samenloop_of(&feed(&app, "CJIB"), "MEERDERE_BESLAGLEGGERS");
        assert_eq!(raised.len(), 2, "{raised:?}");
        let (first, second) = (raised[0].1["sleutel"].as_str().unwrap(), raised[1].1["sleutel"].as_str().unwrap());
        assert_ne!(first, second, "a flag of one citizen is not that of another");
        for bsn in BSNS {
            assert!(!first.contains(bsn) && !second.contains(bsn));
        }
        let duo_raised = samenloop_of(&feed(&app, "DUO"), "MEERDERE_BESLAGLEGGERS");
        assert_ne!(duo_raised[0].1["sleutel"], first, "each recipient has its own sleutel");

        // DUO stops attaching the second citizen: that citizen's flag is lifted, under its sleutel.
        app.send("PATCH", &format!("/api/v1/beslagen/{}", duo_ids[1]), Some(&app.agency("DUO")),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-06-14"}).to_string()))).succeeded();
        let after = samenloop_of(&feed(&app, "CJIB"), "MEERDERE_BESLAGLEGGERS");
        assert_eq!(after.len(), 3, "{after:?}");
        assert_eq!((after[2].0.as_str(), &after[2].1["sleutel"]), ("SAMENLOOP_OPGEHEVEN", &json!(second)));
    }

    fn an_attachment_whose_household_or_amounts_the_norm_cannot_use_is_refused(app) {
        // Children with a single person: the norm engine would refuse it later, and samenloop
        // would fall silent for this person; refused now, as a norm calculation is.
        let mut children = attachment("100.00", "1331.43", "2026-05-01");
        children["kinderen"] = json!(true);
        let reply = register(&app, &app.agency("CJIB"), &children);
        assert_eq!(reply.invalid_names(), ["kinderen"], "{}", reply.text);
        let mut more = attachment("2100.01", "1331.43", "2026-05-01");
        more["nettoInkomenBron"] = json!("2100.00");
        let reply = register(&app, &app.agency("CJIB"), &more);
        assert_eq!(reply.invalid_names(), ["maandbedrag"], "{}", reply.text);
        // A change is held to the same rules, on the attachment as it would become.
        let laid = register(&app, &app.agency("CJIB"), &attachment("800.00", "1331.43", "2026-05-01")).succeeded().json();
        let path = format!("/api/v1/beslagen/{}", laid["id"].as_str().unwrap());
        let partner = app.send("PATCH", &path, Some(&app.agency("CJIB")),
            Some(("application/merge-patch+json", json!({"partnerInkomen": "300.00"}).to_string())));
        assert_eq!(partner.invalid_names(), ["partnerInkomen"], "{}", partner.text);
        assert!(flags(&app).contains(&"BESTAANSMINIMUM_ONDERSCHREDEN".to_owned()), "the norm is still computed: {:?}", flags(&app));
    }

    fn bad_attachments_report_every_problem(app) {
        let reply = register(&app, &app.agency("CJIB"), &json!({
            "burgerservicenummer": BSNS[0],
            "beslaglegger": "niet voor een organisatie",
            "inkomstenbron": "",
            "maandbedrag": "0.00",
            "beslagvrijeVoet": "-1.00",
            "startdatum": "2026-05-01",
            "einddatum": "2026-04-30",
            "executoriaal": "ja",
        }));
        // Unreadable fields do not hide the rules broken by the readable ones.
        assert_eq!(reply.invalid_names(), ["executoriaal", "inkomstenbron", "maandbedrag", "beslagvrijeVoet", "einddatum"]);
        let reply = register(&app, &app.agency("CJIB"), &json!({
            "burgerservicenummer": BSNS[0],
            "inkomstenbron": "",
            "maandbedrag": "0.00",
            "beslagvrijeVoet": "-1.00",
            "startdatum": "2026-05-01",
            "einddatum": "2026-04-30",
            "executoriaal": true,
        }));
        assert_eq!(reply.invalid_names(), ["inkomstenbron", "maandbedrag", "beslagvrijeVoet", "einddatum"]);
        let missing = register(&app, &app.agency("CJIB"), &json!({"inkomstenbron": "x", "maandbedrag": "1.00", "startdatum": "2026-05-01", "executoriaal": true}));
        assert_eq!(missing.invalid_names(), ["burgerservicenummer"]);
        let private_without_party = register(&app, &app.citizen(BSNS[0]), &attachment("1.00", "1.00", "2026-05-01"));
        assert_eq!(private_without_party.invalid_names(), ["beslaglegger"]);
    }
}

/// Waits for the daily check to bring the last `flag` message in `code`'s feed to `kind`.
fn wait_for_last(app: &TestApp, code: &str, flag: &str, kind: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let last = samenloop_of(&feed(app, code), flag)
            .last()
            .map(|(k, _)| k.clone());
        if last.as_deref() == Some(kind) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{code} never got {kind} for {flag}; last: {last:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Nobody reads the overview or changes anything: the passing days alone raise and clear flags.
fn the_daily_check_notices_attachments_and_arrangements_that_end_or_start(app: TestApp) {
    register(
        &app,
        &app.agency("CJIB"),
        &attachment("500.00", "1331.43", "2026-03-01"),
    )
    .succeeded();
    let mut duo = attachment("400.00", "1331.43", "2026-04-01");
    duo["einddatum"] = json!("2026-06-20");
    assert_eq!(register(&app, &app.agency("DUO"), &duo).status, 201);
    let declared = app.post("/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])),
        &json!({"partij": "Woonstad (huurachterstand)", "maandbedrag": "300.00", "startdatum": "2026-07-01"}));
    assert_eq!(declared.status, 201, "{}", declared.text);
    // 500.00 + 400.00 withheld against 768.57 available.
    wait_for_last(
        &app,
        "CJIB",
        "BESTAANSMINIMUM_ONDERSCHREDEN",
        "SAMENLOOP_GESIGNALEERD",
    );

    // 21 June: DUO's attachment ran through the 20th; 500.00 is within the capacity.
    app.clock.advance(chrono::Duration::days(6));
    wait_for_last(
        &app,
        "CJIB",
        "BESTAANSMINIMUM_ONDERSCHREDEN",
        "SAMENLOOP_OPGEHEVEN",
    );
    wait_for_last(&app, "DUO", "MEERDERE_BESLAGLEGGERS", "SAMENLOOP_OPGEHEVEN");

    // 1 July: the declared arrangement starts and a new norm table takes effect; 500.00 + 300.00
    // exceeds what the norm leaves again.
    app.clock.advance(chrono::Duration::days(10));
    wait_for_last(
        &app,
        "CJIB",
        "BESTAANSMINIMUM_ONDERSCHREDEN",
        "SAMENLOOP_GESIGNALEERD",
    );
    let raised = samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
    // From 1 July the norm is 0.95 × 1419.46 = 1348.49: 800.00 − (2100.00 − 1348.49) = 48.49.
    assert_eq!(raised.last().unwrap().1["tekort"], "48.49");
    assert_eq!(
        raised.len(),
        3,
        "one message per change, however often the check looks"
    );
}

/// A Betalingsregeling Rijk takes from the income from its first due date, not from the day it
/// is accepted: an attachment that ends before then never meets it (nobody is told of a
/// shortfall that never happens), one that runs on meets it on that day, and the daily check
/// tells the creditors then.
fn a_betalingsregeling_counts_against_the_income_from_its_first_due_date(app: TestApp) {
    for (code, events) in cjib_and_duo_claims() {
        assert_eq!(app.post_events(code, events).status, 200);
    }
    let citizen = app.citizen(BSNS[0]);
    let mut ending = attachment("300.00", "1331.43", "2026-06-01");
    ending["beslaglegger"] = json!("Deurwaarder Jansen");
    ending["einddatum"] = json!("2026-06-30");
    register(&app, &citizen, &ending).succeeded();
    // Proposed on its first due date, 1 July, when that attachment has ended: all the capacity.
    let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen),
        &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"}})).json();
    assert_eq!(
        proposal["regeling"]["eersteVervaldatum"], "2026-07-01",
        "{proposal}"
    );
    app.post(
        "/api/v1/betalingsregelingen",
        Some(&citizen),
        &json!({"voorstel": proposal["id"]}),
    )
    .succeeded();
    let undercut = "BESTAANSMINIMUM_ONDERSCHREDEN".to_owned();
    assert!(
        !flags(&app).contains(&undercut),
        "15 June: the attachment takes 300.00, the arrangement nothing yet"
    );
    assert!(
        samenloop_of(&feed(&app, "CJIB"), &undercut).is_empty(),
        "nobody is told of a shortfall that never happens"
    );
    let overview = app
        .get("/api/v1/vorderingenoverzicht", Some(&citizen))
        .json();
    assert_eq!(
        overview["samenloop"]["restcapaciteit"], "0.00",
        "yet nothing is left to take: the person committed to the arrangement"
    );

    // 200.00 more from now on: together with the arrangement, from 1 July, more than the income
    // leaves above the norm.
    let mut running = attachment("200.00", "1331.43", "2026-06-01");
    running["beslaglegger"] = json!("Deurwaarder De Vries");
    register(&app, &citizen, &running).succeeded();
    assert!(
        !flags(&app).contains(&undercut),
        "still only the attachments today"
    );
    app.clock.advance(chrono::Duration::days(16));
    wait_for_last(&app, "CJIB", &undercut, "SAMENLOOP_GESIGNALEERD");
    assert!(flags(&app).contains(&undercut), "1 July: {:?}", flags(&app));
}

/// A norm table posted on or after the day it takes effect: the days the check already went over
/// are checked again, now with the new norm for everyone.
fn a_norm_table_posted_after_its_first_day_is_applied_to_everyone(app: TestApp) {
    // Net income 2100.00: 740.00 is withheld where 768.57 (January 2026), 751.51 (July 2026)
    // and, with the 2027 table below, 732.51 is available.
    register(
        &app,
        &app.agency("CJIB"),
        &attachment("740.00", "1331.43", "2026-03-01"),
    )
    .succeeded();
    app.clock.advance(chrono::Duration::days(201));
    wait_until_checked_through(&app, 2027, 1, 2);
    assert!(samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN").is_empty());
    // On 2 January the table for 1 January is posted.
    app.post(
        "/api/v1/normtabellen",
        Some(&app.admin()),
        &crate::fixtures::next_table(&app),
    )
    .succeeded();
    wait_for_last(
        &app,
        "CJIB",
        "BESTAANSMINIMUM_ONDERSCHREDEN",
        "SAMENLOOP_GESIGNALEERD",
    );
    let raised = samenloop_of(&feed(&app, "CJIB"), "BESTAANSMINIMUM_ONDERSCHREDEN");
    assert_eq!(raised[0].1["tekort"], "7.49");
}

/// One person whose stored evaluation cannot be read holds up nobody else: the check passes over
/// them and finishes its days.
fn a_person_the_daily_check_cannot_read_holds_up_nobody_else(app: TestApp) {
    // Each of two citizens has an attachment of 900.00 (where 768.57 is available) that runs
    // through 20 June.
    for (code, n) in [("CJIB", 0), ("DUO", 1)] {
        let mut body = attachment("900.00", "1331.43", "2026-03-01");
        body["einddatum"] = json!("2026-06-20");
        body["burgerservicenummer"] = json!(BSNS[n]);
        register(&app, &app.agency(code), &body).succeeded();
    }
    wait_for_last(
        &app,
        "DUO",
        "BESTAANSMINIMUM_ONDERSCHREDEN",
        "SAMENLOOP_GESIGNALEERD",
    );
    app.run_sql(
        "UPDATE samenloop_states SET flags = 'onleesbaar' \
         WHERE person IN (SELECT person FROM attachments WHERE creditor_code = 'CJIB')",
    );
    app.clock.advance(chrono::Duration::days(6));
    wait_for_last(
        &app,
        "DUO",
        "BESTAANSMINIMUM_ONDERSCHREDEN",
        "SAMENLOOP_OPGEHEVEN",
    );
    wait_until_checked_through(&app, 2026, 6, 21);
}

/// A run of the daily check that was dropped (a norm table posted for days it already went over)
/// records nothing more, not even in the new run through the same day that another instance
/// took: it can neither mark that run's persons done nor close it before they are.
fn a_dropped_run_of_the_daily_check_records_nothing_in_the_next(app: TestApp) {
    use rijksincasso::store::samenloop_checks as checks;
    // The app's own check is done with its day, and leaves the runs after it alone.
    wait_until_checked_through(&app, 2026, 6, 15);
    let db = rijksincasso::store::Db::new(&app.config.database_url, 1);
    let mut conn = db.get().unwrap();
    // After the app's own clock (15 June), so that its own check stays out of the way.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 20).unwrap();
    let at = |minute: u32| day.and_hms_micro_opt(10, minute, 0, 123_456).unwrap();
    let mut dropped = checks::take_run(&mut conn, day, at(0), at(5))
        .unwrap()
        .expect("a run");
    checks::check_again_from(&mut conn, day).unwrap();
    let mut next = checks::take_run(&mut conn, day, at(1), at(6))
        .unwrap()
        .expect("a new run");
    assert_eq!(next.through, dropped.through);
    let person = rijksincasso::domain::person::PersonId::from_stored("a".repeat(64));
    assert!(!checks::record_progress(&mut conn, &mut dropped, &person, at(2)).unwrap());
    checks::finish_run(&mut conn, &dropped).unwrap();
    assert!(
        checks::checked_through(&mut conn).unwrap() < day,
        "closed by the dropped run"
    );
    assert!(checks::record_progress(&mut conn, &mut next, &person, at(3)).unwrap());
    checks::finish_run(&mut conn, &next).unwrap();
    assert_eq!(checks::checked_through(&mut conn).unwrap(), day);
}

/// On 1 January 2027, with no table posted for it, the amounts of July 2026 become a lower bound
/// only (art. 475da lid 8 Rv): the daily check judges everyone again that day, though nothing
/// took effect and nobody changed anything.
fn on_the_first_day_of_a_half_year_without_a_table_everyone_is_judged_on_a_lower_bound(
    app: TestApp,
) {
    register(
        &app,
        &app.agency("CJIB"),
        &attachment("700.00", "1348.49", "2026-07-01"),
    )
    .succeeded();
    let norm = |app: &TestApp| {
        app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0])))
            .succeeded()
            .json()["samenloop"]
            .clone()
    };
    // 31 December 2026: judged on the July table, exactly.
    app.clock.advance(chrono::Duration::days(199));
    wait_until_checked_through(&app, 2026, 12, 31);
    let december = norm(&app);
    assert_eq!(
        december["beslagvrijeVoet"]["hoogste"], "1348.49",
        "{december}"
    );
    assert_eq!(december["restcapaciteit"], "51.51");

    app.clock.advance(chrono::Duration::days(1));
    wait_until_checked_through(&app, 2027, 1, 1);
    let january = norm(&app);
    assert_eq!(
        january["beslagvrijeVoet"]["laagste"], "1348.49",
        "{january}"
    );
    assert!(january["beslagvrijeVoet"]["hoogste"].is_null(), "{january}");
    assert_eq!(
        january["beslagvrijeVoet"]["ontbrekend"],
        json!(["normtabel"])
    );
    assert!(january["restcapaciteit"].is_null(), "{january}");
}

/// Waits for the daily check to have gone over the days through `year`-`month`-`day`.
fn wait_until_checked_through(app: &TestApp, year: i32, month: u32, day: u32) {
    let db = rijksincasso::store::Db::new(&app.config.database_url, 1);
    let through = chrono::NaiveDate::from_ymd_opt(year, month, day).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while rijksincasso::store::samenloop_checks::checked_through(&mut db.get().unwrap()).unwrap()
        < through
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the check never reached {through}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A test app whose daily check looks every 50 ms.
fn with_a_daily_check(backend: Backend) -> TestApp {
    TestApp::start_with(backend, |config| {
        config.samenloop_check_every = std::time::Duration::from_millis(50);
    })
}

/// Each test on both backends, as `…_on_sqlite` and `…_on_postgres`, with a daily check that
/// looks every 50 ms.
macro_rules! on_both_backends_with_a_daily_check {
    ($($name:ident),* $(,)?) => {
        mod with_a_daily_check {
            mod sqlite {
                $( #[test] fn $name() { super::super::$name(super::super::with_a_daily_check(super::super::Backend::Sqlite)) } )*
            }
            mod postgres {
                $( #[test]
                #[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested")]
                fn $name() { super::super::$name(super::super::with_a_daily_check(super::super::Backend::Postgres)) } )*
            }
        }
    };
}

on_both_backends_with_a_daily_check!(
    the_daily_check_notices_attachments_and_arrangements_that_end_or_start,
    a_betalingsregeling_counts_against_the_income_from_its_first_due_date,
    a_norm_table_posted_after_its_first_day_is_applied_to_everyone,
    a_person_the_daily_check_cannot_read_holds_up_nobody_else,
    a_dropped_run_of_the_daily_check_records_nothing_in_the_next,
    on_the_first_day_of_a_half_year_without_a_table_everyone_is_judged_on_a_lower_bound,
);
