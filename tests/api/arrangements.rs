//! Betalingsregeling Rijk over HTTP: proposals, acceptance, what each creditor is told, payments,
//! ending.

use chrono::Duration;
use serde_json::{Value, json};

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, Reply, TestApp};

/// CJIB 1000.00 and DUO 2000.00 (taking part), Belastingdienst 500.00 (not taking part) and a
/// disputed CAK claim of 300.00.
fn claims(app: &TestApp) {
    for (code, events) in cjib_and_duo_claims().into_iter().chain([
        (
            "BELASTINGDIENST",
            json!([imposed(
                "B1",
                "BD-1",
                BSNS[0],
                "bd_inkomstenbelasting",
                "500.00"
            )]),
        ),
        (
            "CAK",
            json!([
                imposed("K1", "CAK-1", BSNS[0], "cak_eigen_bijdrage", "300.00"),
                phase("K2", "CAK-1", "INNING", true)
            ]),
        ),
    ]) {
        let reply = app.post_events(code, events);
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
}

/// A single person with a taxable income below every allowance threshold, so that the legal
/// norm is its first term: on the first due date, 1 July 2026, 0.95 × 1419.46 = 1348.49.
/// With `INCOME` net that leaves 2017.06 − 1348.49 = 668.57 a month.
fn household(income: &str) -> Value {
    json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": income, "belastbaarJaarinkomen": "23000.00"})
}

const INCOME: &str = "2017.06";

fn propose(app: &TestApp, income: &str) -> Reply {
    app.post(
        "/api/v1/betalingsregelingen/voorstellen",
        Some(&app.citizen(BSNS[0])),
        &json!({"huishouden": household(income)}),
    )
}

fn cents(amount: &Value) -> i64 {
    let (euros, fraction) = amount.as_str().unwrap().split_once('.').unwrap();
    euros.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap()
}

on_both_backends! {
    fn a_proposal_plans_the_participating_claims_and_lists_the_others_with_their_reason(app) {
        claims(&app);
        let reply = propose(&app, INCOME);
        assert_eq!(reply.status, 201, "{}", reply.text);
        let proposal = reply.json();
        // The norm in force on the first due date: 0.95 × 1419.46 = 1348.487 → 1348.49.
        assert_eq!(proposal["beslagvrijeVoet"]["beslagvrijeVoet"], "1348.49");
        assert_eq!(proposal["beslagvrijeVoet"]["peildatum"], "2026-07-01");
        assert_eq!(proposal["afloscapaciteit"], "668.57");
        assert_eq!(proposal["totaal"], "3000.00");
        let regeling = &proposal["regeling"];
        assert_eq!(regeling["maandbedrag"], "668.57");
        assert_eq!(regeling["looptijdMaanden"], 5);
        assert_eq!(regeling["eersteVervaldatum"], "2026-07-01");
        assert_eq!(regeling["laatsteVervaldatum"], "2026-11-01");
        assert_eq!(regeling["coordinerendInvorderaar"], "CJIB");
        let included: Vec<_> = proposal["vorderingen"].as_array().unwrap().iter().map(|c| c["vorderingkenmerk"].clone()).collect();
        assert_eq!(included, [json!("CJIB-1"), json!("DUO-1")]);
        let excluded: Vec<_> = proposal["uitgesloten"].as_array().unwrap().iter().map(|c| (c["vorderingkenmerk"].clone(), c["reden"].clone())).collect();
        assert_eq!(excluded, [(json!("BD-1"), json!("SCHULDEISER_NEEMT_NIET_DEEL")), (json!("CAK-1"), json!("BETWIST"))]);
        // Month 1: 668.57 split 1:2 → 222.8567 / 445.7133 → 222.85 + 445.71, odd cent to CJIB.
        let month = &regeling["schema"][0];
        assert_eq!(month["aandelen"][0], json!({"schuldeiser": "CJIB", "bedrag": "222.86", "vorderingen": [{"vorderingkenmerk": "CJIB-1", "bedrag": "222.86"}]}));
        assert_eq!(month["aandelen"][1]["bedrag"], "445.71");
        let mut per_claim = std::collections::BTreeMap::new();
        for month in regeling["schema"].as_array().unwrap() {
            let shares: i64 = month["aandelen"].as_array().unwrap().iter().map(|s| cents(&s["bedrag"])).sum();
            assert_eq!(shares, cents(&month["bedrag"]));
            assert!(cents(&month["bedrag"]) <= 66_857);
            for share in month["aandelen"].as_array().unwrap() {
                for claim in share["vorderingen"].as_array().unwrap() {
                    *per_claim.entry(claim["vorderingkenmerk"].as_str().unwrap().to_owned()).or_insert(0) += cents(&claim["bedrag"]);
                }
            }
        }
        assert_eq!(per_claim["CJIB-1"], 100_000);
        assert_eq!(per_claim["DUO-1"], 200_000);
        assert!(proposal["advies"].is_null());
        let steps: Vec<_> = proposal["beslagvrijeVoet"]["stappen"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap().to_owned()).collect();
        for term in ["EERSTE_TERM", "ZORGTOESLAGTERM", "HUURTOESLAGTERM", "MAXIMUM_LID_1"] {
            assert!(steps.iter().any(|s| s == term), "every term of the law is shown: {steps:?}");
        }
    }

    fn accepting_starts_the_arrangement_and_tells_each_creditor_only_its_own_share(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let reply = accept(&app, &citizen, proposal["id"].as_str().unwrap());
        assert_eq!(reply.status, 201, "{}", reply.text);
        let arrangement = reply.json();
        assert_eq!(arrangement["status"], "LOPEND");
        assert_eq!(arrangement["afgelost"], false);
        assert_eq!(arrangement["maandbedrag"], "668.57");
        assert_eq!(arrangement["voortgang"]["resterend"], "3000.00");

        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview["lopendeRegelingen"][0]["id"], arrangement["id"]);
        assert_eq!(overview["lopendeRegelingen"][0]["maandbedrag"], "668.57");
        let in_arrangement: Vec<_> = overview["schuldeisers"].as_array().unwrap().iter()
            .flat_map(|s| s["vorderingen"].as_array().unwrap().clone())
            .map(|c| (c["vorderingkenmerk"].as_str().unwrap().to_owned(), c["inRegeling"].as_bool().unwrap()))
            .collect();
        assert!(in_arrangement.contains(&("CJIB-1".to_owned(), true)));
        assert!(in_arrangement.contains(&("DUO-1".to_owned(), true)));
        assert!(in_arrangement.contains(&("BD-1".to_owned(), false)));

        let duo = feed(&app, "DUO");
        assert_eq!(duo.len(), 1);
        let message = &duo[0]["inhoud"];
        assert_eq!(message["soort"], "REGELING_GESTART");
        assert_eq!(message["rollen"], json!(["DEELNEMER"]));
        assert_eq!(message["eigenInvorderingOpschorten"], true);
        assert_eq!(message["uwAandeel"]["totaal"], "2000.00");
        assert_eq!(message["uwAandeel"]["vorderingen"], json!([{"vorderingkenmerk": "DUO-1", "bedrag": "2000.00"}]));
        assert_eq!(message["uwAandeel"]["termijnen"][0]["bedrag"], "445.71");
        assert!(message["coordinatie"].is_null());
        assert!(!duo[0].to_string().contains("CJIB-1"), "no other creditor's claims");

        let cjib = feed(&app, "CJIB");
        let message = &cjib[0]["inhoud"];
        assert_eq!(message["rollen"], json!(["DEELNEMER", "COORDINATOR"]));
        let text = message["toelichting"].as_str().unwrap();
        assert!(text.contains("die u coördineert") && !text.contains("via CJIB"), "not told to receive its share from itself: {text}");
        assert_eq!(message["coordinatie"]["maandbedrag"], "668.57");
        let shares: Vec<_> = message["coordinatie"]["schuldeisers"].as_array().unwrap().iter().map(|s| (s["code"].clone(), s["totaal"].clone())).collect();
        assert_eq!(shares, [(json!("CJIB"), json!("1000.00")), (json!("DUO"), json!("2000.00"))]);
        assert!(!cjib[0].to_string().contains("DUO-1"), "the coordinator sees shares, not other creditors' claims");

        assert!(feed(&app, "BELASTINGDIENST").is_empty());
        accept(&app, &citizen, proposal["id"].as_str().unwrap()).problem(409);

        let again = propose(&app, INCOME).json();
        assert!(again["regeling"].is_null(), "claims in the arrangement are not proposed twice");
        assert_eq!(again["inhoudingen"]["lopendeRegelingen"][0]["maandbedrag"], "668.57");
        assert_eq!(again["afloscapaciteit"], "0.00");
    }

    fn a_paid_off_arrangement_is_no_longer_shown_as_collecting_in_the_overview(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let arrangement = accept(&app, &citizen, proposal["id"].as_str().unwrap()).succeeded().json();
        app.clock.advance(Duration::days(20));
        app.post_events("CJIB", json!([payment("P1", "CJIB-1", "1000.00")])).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview["lopendeRegelingen"][0]["id"], arrangement["id"], "DUO-1 is still owed");
        app.post_events("DUO", json!([payment("P2", "DUO-1", "2000.00")])).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview["lopendeRegelingen"], json!([]), "nothing is asked any more");
        let summary = overview["samenvatting"].as_str().unwrap();
        assert!(!summary.contains("668,57") && !summary.contains("regeling"), "{summary}");
        let read = app.get(&format!("/api/v1/betalingsregelingen/{}", arrangement["id"].as_str().unwrap()), Some(&citizen)).json();
        assert_eq!(read["status"], "LOPEND", "not ended: nobody ended it");
        assert_eq!(read["afgelost"], true, "{read}");
        assert_eq!(read["voortgang"]["resterend"], "0.00");
    }

    fn paying_a_surcharge_that_came_since_the_start_is_beside_the_schedule_not_a_refund(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let arrangement = accept(&app, &citizen, proposal["id"].as_str().unwrap()).succeeded().json();
        let path = format!("/api/v1/betalingsregelingen/{}", arrangement["id"].as_str().unwrap());
        app.clock.advance(Duration::days(20));
        app.post_events("CJIB", json!([surcharge("S1", "CJIB-1", "INVORDERINGSKOSTEN", "100.00")])).succeeded();
        let changed = app.get(&path, Some(&citizen)).json();
        assert_eq!(changed["gewijzigdeVorderingen"][0]["openstaand"], "1100.00");
        app.post_events("CJIB", json!([payment("P1", "CJIB-1", "1100.00")])).succeeded();
        app.post_events("DUO", json!([payment("P2", "DUO-1", "2000.00")])).succeeded();
        let read = app.get(&path, Some(&citizen)).json();
        let progress = &read["voortgang"];
        assert_eq!(progress["betaald"], "3100.00");
        assert_eq!(progress["buitenSchemaBetaald"], "100.00", "{progress}");
        assert_eq!(progress["resterend"], "0.00");
        assert!(read["looptijdMaanden"].as_u64().is_some_and(|m| m > 1), "{read}");
        assert_eq!(progress["maandenBetaald"], read["looptijdMaanden"], "every month of the schedule is paid");
        assert!(progress.get("teveelBetaald").is_none(), "nothing is paid back: {progress}");
    }

    fn a_proposal_of_one_claim_in_one_month_says_so_in_the_singular(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let proposal = propose(&app, INCOME).json();
        let summary = proposal["samenvatting"].as_str().unwrap();
        assert!(summary.contains("gedurende 1 maand,") && summary.contains("voor 1 vordering van"), "{summary}");
    }

    fn what_the_norm_refuses_in_a_proposal_is_named_inside_the_household(app) {
        claims(&app);
        let reply = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])),
            &json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "kinderen": true, "nettoInkomen": "2500.00"}}));
        reply.problem(400);
        let mut names = reply.invalid_names();
        names.sort();
        assert_eq!(names, ["huishouden.belastbaarJaarinkomen", "huishouden.kinderen"]);
    }

    fn acceptance_is_refused_when_a_claim_changed_since_the_proposal(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        app.post_events("CJIB", json!([imposed("C9", "CJIB-9", BSNS[0], "cjib_boete", "75.00")])).succeeded();
        let reply = accept(&app, &app.citizen(BSNS[0]), proposal["id"].as_str().unwrap());
        let problem = reply.problem(409);
        let reasons: Vec<_> = problem["invalidParams"].as_array().unwrap().iter().map(|p| p["reason"].as_str().unwrap().to_owned()).collect();
        assert_eq!(reasons.len(), 1, "only what changed: {reasons:?}");
        assert!(reasons[0].contains("CJIB-9"), "{reasons:?}");
        assert!(feed(&app, "CJIB").is_empty(), "nothing was started");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["lopendeRegelingen"], json!([]));
    }

    fn a_proposal_accepted_in_the_next_month_is_held_to_the_norm_of_its_new_first_due_date(app) {
        claims(&app);
        app.clock.advance(Duration::days(166));
        // 28 November: the first instalment would be due on 1 December, under the July table.
        let proposal = propose(&app, INCOME).json();
        assert_eq!(proposal["afloscapaciteit"], "668.57");
        assert_eq!(proposal["regeling"]["maandbedrag"], "668.57");
        app.post("/api/v1/normtabellen", Some(&app.admin()), &crate::fixtures::next_table(&app)).succeeded();
        app.clock.advance(Duration::days(4));
        // 2 December: an arrangement started today is first due on 1 January 2027, when the new
        // table, posted since, leaves the citizen 19.00 more.
        let reply = accept(&app, &app.citizen(BSNS[0]), proposal["id"].as_str().unwrap());
        let problem = reply.problem(409);
        let reasons: Vec<_> = problem["invalidParams"].as_array().unwrap().iter().map(|p| p["reason"].as_str().unwrap().to_owned()).collect();
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(reasons[0].contains("€ 668,57") && reasons[0].contains("€ 649,57"), "{reasons:?}");
        let again = propose(&app, INCOME).json();
        assert_eq!(again["afloscapaciteit"], "649.57");
        let arrangement = accept(&app, &app.citizen(BSNS[0]), again["id"].as_str().unwrap());
        assert_eq!(arrangement.status, 201, "{}", arrangement.text);
        assert_eq!(arrangement.json()["eersteVervaldatum"], "2027-01-01");
    }

    fn no_arrangement_starts_on_the_amounts_of_a_half_year_before_its_first_due_date(app) {
        claims(&app);
        app.clock.advance(Duration::days(166));
        // 28 November: first due on 1 December, under the July table.
        let proposal = propose(&app, INCOME).json();
        assert_eq!(proposal["afloscapaciteit"], "668.57");
        assert!(proposal["regeling"].is_object());
        app.clock.advance(Duration::days(4));
        // 2 December: an arrangement started today is first due on 1 January 2027, whose amounts
        // the service does not have yet.
        let citizen = app.citizen(BSNS[0]);
        let problem = accept(&app, &citizen, proposal["id"].as_str().unwrap()).problem(409);
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("op of na 1 januari 2027") && detail.contains("nog niet in deze dienst vastgelegd"), "{detail}");
        assert!(feed(&app, "CJIB").is_empty(), "nothing was started");
        let unknown = propose(&app, INCOME).json();
        assert!(unknown["regeling"].is_null(), "{unknown}");
        assert_eq!(unknown["advies"]["code"], "NORMEN_NOG_NIET_BEKEND");
        let why = unknown["advies"]["toelichting"].as_str().unwrap();
        assert!(why.contains("art. 475da lid 8 Rv") && why.contains("1 januari 2027"), "{why}");
        assert_eq!(unknown["beslagvrijeVoet"]["peildatum"], "2027-01-01");
        assert!(accept(&app, &citizen, unknown["id"].as_str().unwrap()).problem(409)["detail"].as_str().unwrap().contains("geen regeling mogelijk"));
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview["lopendeRegelingen"], json!([]));

        // Once the administrator has posted the table of 1 January 2027, it is planned on it.
        app.post("/api/v1/normtabellen", Some(&app.admin()), &crate::fixtures::next_table(&app)).succeeded();
        let known = propose(&app, INCOME).json();
        assert_eq!(known["afloscapaciteit"], "649.57");
        assert_eq!(known["regeling"]["eersteVervaldatum"], "2027-01-01");
        let arrangement = accept(&app, &citizen, known["id"].as_str().unwrap());
        assert_eq!(arrangement.status, 201, "{}", arrangement.text);
    }

    fn an_impossible_case_advises_municipal_debt_help_with_the_figures(app) {
        claims(&app);
        // 0.95 × 1400.00 = 1330.00; capacity 70.00 a month; 3000.00 needs 43 months.
        let long = propose(&app, "1400.00").json();
        assert!(long["regeling"].is_null());
        assert_eq!(long["advies"]["code"], "LOOPTIJD_TE_LANG");
        let advice = long["advies"]["toelichting"].as_str().unwrap();
        assert!(advice.contains("43 maanden") && advice.contains("€ 70,00") && advice.contains("gemeente"), "{advice}");
        let none = propose(&app, "0.00").json();
        assert_eq!(none["advies"]["code"], "GEEN_AFLOSCAPACITEIT");
        accept(&app, &app.citizen(BSNS[0]), long["id"].as_str().unwrap()).problem(409);
    }

    fn payments_reduce_what_is_left_and_missed_months_show_as_arrears(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let arrangement = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json();
        app.clock.advance(Duration::days(61));
        let mut cjib = payment("CP1", "CJIB-1", "222.86");
        cjib["datum"] = json!("2026-07-02");
        let mut duo = payment("DP1", "DUO-1", "445.71");
        duo["datum"] = json!("2026-07-03");
        app.post_events("CJIB", json!([cjib])).succeeded();
        app.post_events("DUO", json!([duo])).succeeded();
        let id = arrangement["id"].as_str().unwrap();
        let progress = app.get(&format!("/api/v1/betalingsregelingen/{id}"), Some(&citizen)).json()["voortgang"].clone();
        assert_eq!(progress["betaald"], "668.57");
        assert_eq!(progress["maandenVerschuldigd"], 2);
        assert_eq!(progress["maandenBetaald"], 1);
        assert_eq!(progress["maandenAchterstand"], 1);
        assert_eq!(progress["achterstand"], "668.57");
        assert_eq!(progress["resterend"], "2331.43");
        assert_eq!(progress["volgendeVervaldatum"], "2026-08-01");
    }

    fn a_payment_booked_back_during_the_arrangement_is_arrears_again_and_its_coordinator_is_told(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        app.clock.advance(Duration::days(61));
        app.post_events("CJIB", json!([payment("CP1", "CJIB-1", "222.86")])).succeeded();
        app.post_events("DUO", json!([payment("DP1", "DUO-1", "445.71")])).succeeded();
        let mut back = booked_back("DR1", "DUO-1", "DP1", "445.71");
        back["datum"] = json!("2026-07-20");
        app.post_events("DUO", json!([back])).succeeded();
        let arrangement = app.get(&format!("/api/v1/betalingsregelingen/{id}"), Some(&citizen)).json();
        let p = &arrangement["voortgang"];
        assert_eq!((&p["betaald"], &p["maandenBetaald"], &p["maandenAchterstand"]), (&json!("222.86"), &json!(0), &json!(2)), "{p}");
        assert_eq!((&p["achterstand"], &p["resterend"]), (&json!("1114.28"), &json!("2777.14")), "{p}");
        assert_eq!(arrangement["gewijzigdeVorderingen"], json!([]), "the schedule still fits: only the payment is missing");
        let told: Vec<Value> = feed(&app, "CJIB").into_iter().filter(|m| m["inhoud"]["soort"] == "REGELING_VORDERING_GEWIJZIGD").map(|m| m["inhoud"].clone()).collect();
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0]["wijzigingen"], json!([{"soort": "TERUGBOEKING", "bedrag": "445.71", "aantal": 1, "datum": "2026-07-20"}]));
        let text = told[0]["toelichting"].as_str().unwrap();
        assert!(text.contains("een terugboeking van een betaling, € 445,71 op 20 juli 2026") && text.contains("is achterstand zodra die termijn vervallen is") && !text.contains("verandert daardoor niet vanzelf"), "{text}");
    }

    fn a_payment_from_before_the_start_booked_back_changes_the_claim_not_the_progress(app) {
        claims(&app);
        app.post_events("DUO", json!([payment("DP0", "DUO-1", "100.00")])).succeeded();
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        app.clock.advance(Duration::days(20));
        app.post_events("DUO", json!([payment("DP1", "DUO-1", "50.00")])).succeeded();
        let path = format!("/api/v1/betalingsregelingen/{id}");
        let before = app.get(&path, Some(&citizen)).json();
        let mut back = booked_back("DR0", "DUO-1", "DP0", "100.00");
        back["datum"] = json!("2026-07-03");
        app.post_events("DUO", json!([back])).succeeded();
        let after = app.get(&path, Some(&citizen)).json();
        assert_eq!(after["voortgang"], before["voortgang"], "nothing the arrangement counted was booked back");
        let changed = after["gewijzigdeVorderingen"].as_array().unwrap();
        let cents = |v: &Value| (v.as_str().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64;
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0]["vorderingkenmerk"], "DUO-1");
        assert_eq!(cents(&changed[0]["openstaand"]) - cents(&changed[0]["volgensSchema"]), 10_000, "{changed:?}");
        let told: Vec<Value> = feed(&app, "CJIB").into_iter().filter(|m| m["inhoud"]["soort"] == "REGELING_VORDERING_GEWIJZIGD").map(|m| m["inhoud"].clone()).collect();
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0]["wijzigingen"], json!([{"soort": "TERUGBOEKING_VOOR_START", "bedrag": "100.00", "aantal": 1, "datum": "2026-07-03"}]));
        let text = told[0]["toelichting"].as_str().unwrap();
        assert!(text.contains("van vóór de start van de regeling, € 100,00 op 3 juli 2026") && text.contains("verandert daardoor niet vanzelf")
            && !text.contains("achterstand"), "{text}");
    }

    fn a_payment_counts_in_the_arrangement_by_when_it_was_recorded_not_by_its_date(app) {
        claims(&app);
        // Paid and recorded this morning, before accepting: in the balances it is planned on.
        let mut before = payment("CP0", "CJIB-1", "100.00");
        before["datum"] = json!("2026-06-15");
        app.post_events("CJIB", json!([before])).succeeded();
        let citizen = app.citizen(BSNS[0]);
        let proposal = propose(&app, INCOME).json();
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        let progress = || app.get(&format!("/api/v1/betalingsregelingen/{id}"), Some(&citizen)).json()["voortgang"].clone();
        assert_eq!(progress()["betaald"], "0.00", "not counted twice");
        // Paid last week, recorded only now: not in those balances, so it counts.
        app.clock.advance(Duration::days(1));
        let mut late = payment("CP1", "CJIB-1", "40.00");
        late["datum"] = json!("2026-06-10");
        app.post_events("CJIB", json!([late])).succeeded();
        assert_eq!(progress()["betaald"], "40.00");
    }

    fn a_claim_withdrawn_during_the_arrangement_is_no_arrears_also_once_it_has_ended(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        // July paid in full (CJIB 222.86, DUO 445.71), August to CJIB; then DUO withdrew DUO-1.
        app.clock.advance(Duration::days(61));
        app.post_events("CJIB", json!([payment("CP1", "CJIB-1", "222.86"), payment("CP2", "CJIB-1", "222.86")])).succeeded();
        app.post_events("DUO", json!([payment("DP1", "DUO-1", "445.71")])).succeeded();
        app.post_events("DUO", json!([withdrawn("DW1", "DUO-1")])).succeeded();
        let path = format!("/api/v1/betalingsregelingen/{id}");
        let progress = |reply: Value| reply["voortgang"].clone();
        for p in [progress(app.get(&path, Some(&citizen)).json()), progress(app.get("/api/v1/betalingsregelingen", Some(&citizen)).json()["betalingsregelingen"][0].clone())] {
            assert_eq!((&p["maandenVerschuldigd"], &p["maandenBetaald"], &p["maandenAchterstand"]), (&json!(2), &json!(2), &json!(0)), "{p}");
            assert_eq!(p["achterstand"], "0.00", "DUO's August share is not arrears: {p}");
            // What DUO-1 still expected, 2000.00 − 445.71; betaald, afgeboekt and resterend make 3000.00.
            assert_eq!((&p["betaald"], &p["afgeboekt"], &p["resterend"]), (&json!("891.43"), &json!("1554.29"), &json!("554.28")));
            assert_eq!(p["volgendeVervaldatum"], "2026-09-01");
        }
        app.clock.advance(Duration::days(40));
        let ended = app.post(&format!("{path}/beeindigen"), Some(&citizen), &json!({"reden": "Naar de gemeente"})).succeeded().json();
        let p = progress(ended);
        assert_eq!((&p["maandenAchterstand"], &p["achterstand"], &p["afgeboekt"]), (&json!(1), &json!("222.85"), &json!("1554.29")), "CJIB's September share unpaid, DUO-1 still off: {p}");
        assert_eq!(progress(app.get(&path, Some(&citizen)).json()), p, "as on the day it ended");
    }

    fn a_claim_changed_since_the_start_is_named_beside_the_schedule(app) {
        claims(&app);
        let citizen = app.citizen(BSNS[0]);
        let proposal = propose(&app, INCOME).json();
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        let arrangement = || app.get(&format!("/api/v1/betalingsregelingen/{id}"), Some(&citizen)).json();
        assert_eq!(arrangement()["gewijzigdeVorderingen"], json!([]));
        let start = arrangement()["vorderingen"].as_array().unwrap().iter().find(|v| v["vorderingkenmerk"] == "DUO-1").unwrap()["bedragBijStart"].as_str().unwrap().to_owned();
        app.clock.advance(Duration::days(1));
        app.post_events("DUO", json!([remission("DK1", "DUO-1", "100.00")])).succeeded();
        let changed = arrangement()["gewijzigdeVorderingen"].clone();
        let expected_now = format!("{:.2}", start.parse::<f64>().unwrap() - 100.0);
        assert_eq!(changed, json!([{"schuldeiser": "DUO", "vorderingkenmerk": "DUO-1", "volgensSchema": start, "openstaand": expected_now}]));
        let listed = app.get("/api/v1/betalingsregelingen", Some(&citizen)).json();
        assert_eq!(listed["betalingsregelingen"][0]["gewijzigdeVorderingen"], changed);
    }

    fn the_coordinator_is_told_when_another_creditor_remits_or_withdraws_an_arranged_claim(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let id = accept(&app, &app.citizen(BSNS[0]), proposal["id"].as_str().unwrap()).succeeded().json()["id"].clone();
        let told = |code: &str| -> Vec<Value> {
            feed(&app, code).into_iter().filter(|m| m["inhoud"]["soort"] == "REGELING_VORDERING_GEWIJZIGD").map(|m| m["inhoud"].clone()).collect()
        };
        app.clock.advance(Duration::days(1));
        app.post_events("DUO", json!([payment("DP1", "DUO-1", "50.00"), remission("DK1", "DUO-1", "100.00")])).succeeded();
        let withdrawal = json!([withdrawn("DI1", "DUO-1")]);
        app.post_events("DUO", withdrawal.clone()).succeeded();
        app.post_events("DUO", withdrawal).succeeded();
        app.post_events("CJIB", json!([surcharge("CS1", "CJIB-1", "RENTE", "12.00")])).succeeded();

        let cjib = told("CJIB");
        assert_eq!(cjib.len(), 2, "one per batch that changed DUO-1, not for the replay nor CJIB's own surcharge: {cjib:?}");
        assert_eq!(cjib[0]["regelingId"], id);
        assert_eq!(cjib[0]["schuldeiser"], "DUO");
        assert_eq!(cjib[0]["wijzigingen"], json!([{"soort": "KWIJTSCHELDING", "bedrag": "100.00", "aantal": 1, "datum": "2026-06-02"}]), "the payment is what the schedule expects");
        // 2000.00 less 50.00 paid and 100.00 remitted was open when DUO withdrew it.
        assert_eq!(cjib[1]["wijzigingen"], json!([{"soort": "INTREKKING", "bedrag": "1850.00", "aantal": 1, "datum": "2026-06-03"}]));
        let text = cjib[1]["toelichting"].as_str().unwrap();
        assert!(text.contains("intrekking op 3 juni 2026, terwijl er nog € 1.850,00 openstond") && text.contains("verandert daardoor niet vanzelf"), "{text}");
        assert!(!text.contains("DUO-1") && cjib[1].get("vorderingkenmerk").is_none(), "the coordinator knows DUO's share, not its claims: {text}");
        assert_eq!(told("DUO"), Vec::<Value>::new(), "DUO made the change");
    }

    fn ending_an_arrangement_frees_its_claims_and_tells_every_creditor(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/betalingsregelingen/{id}/beeindigen");
        assert_eq!(app.post(&path, Some(&citizen), &json!({"reden": ""})).invalid_names(), ["reden"]);
        let ended = app.post(&path, Some(&citizen), &json!({"reden": "Ik ga naar de gemeentelijke schuldhulpverlening."}));
        assert_eq!(ended.status, 200, "{}", ended.text);
        assert_eq!(ended.json()["status"], "BEEINDIGD");
        assert_eq!(ended.json()["beeindiging"]["door"], "burger");
        app.post(&path, Some(&citizen), &json!({"reden": "nog eens"})).problem(409);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&citizen)).json();
        assert_eq!(overview["lopendeRegelingen"], json!([]));
        let duo = feed(&app, "DUO");
        assert_eq!(duo.len(), 2);
        assert_eq!(duo[1]["positie"], 2);
        assert_eq!(duo[1]["inhoud"]["soort"], "REGELING_BEEINDIGD");
        assert_eq!(duo[1]["inhoud"]["uwVorderingen"], json!(["DUO-1"]));
        assert_eq!(duo[1]["inhoud"]["reden"], "Ik ga naar de gemeentelijke schuldhulpverlening.");
        assert!(duo[1]["inhoud"]["toelichting"].as_str().unwrap().contains("U kunt uw eigen invordering op deze vorderingen hervatten"));
        let listed = app.get("/api/v1/betalingsregelingen", Some(&citizen)).json();
        assert_eq!(listed["betalingsregelingen"][0]["status"], "BEEINDIGD");
    }

    fn a_creditor_whose_claims_in_an_ended_arrangement_are_settled_is_not_told_to_resume(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        let citizen = app.citizen(BSNS[0]);
        let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
        app.post_events("CJIB", json!([withdrawn("CW1", "CJIB-1")])).succeeded();
        app.post(&format!("/api/v1/betalingsregelingen/{id}/beeindigen"), Some(&citizen), &json!({"reden": "Opnieuw beginnen"})).succeeded();
        let ended = |code: &str| feed(&app, code).into_iter().rev()
            .find(|m| m["inhoud"]["soort"] == "REGELING_BEEINDIGD").expect("told")["inhoud"]["toelichting"].as_str().unwrap().to_owned();
        let cjib = ended("CJIB");
        assert!(cjib.contains("niets meer open") && !cjib.contains("U kunt uw eigen invordering"), "{cjib}");
        assert!(ended("DUO").contains("U kunt uw eigen invordering op deze vorderingen hervatten"));
    }

    fn a_counsellor_proposes_and_accepts_only_with_a_live_mandate(app) {
        claims(&app);
        let counsellor = app.counsellor("GKB");
        let body = json!({"burgerservicenummer": BSNS[0], "huishouden": household(INCOME)});
        app.post("/api/v1/betalingsregelingen/voorstellen", Some(&counsellor), &body).problem(403);
        let missing = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&counsellor), &json!({"huishouden": household(INCOME)}));
        assert_eq!(missing.invalid_names(), ["burgerservicenummer"]);
        app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-06-30"})).succeeded();
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&counsellor), &body);
        assert_eq!(proposal.status, 201, "{}", proposal.text);
        let id = proposal.json()["id"].as_str().unwrap().to_owned();
        let refused = accept(&app, &app.citizen(BSNS[1]), &id).problem(404);
        assert_eq!(refused["detail"], "Dit voorstel bestaat niet of u heeft er geen toegang toe.", "Dutch: het voorstel");
        let refused = accept(&app, &app.counsellor("ANDERE-ORG"), &id).problem(404);
        assert_eq!(refused["detail"], "Dit voorstel bestaat niet of u heeft er geen toegang toe.", "worded for a counsellor too");
        let accepted = accept(&app, &counsellor, &id);
        assert_eq!(accepted.status, 201, "{}", accepted.text);
        let arrangement = accepted.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&format!("/api/v1/betalingsregelingen/{arrangement}"), Some(&counsellor)).status, 200);
        let refused = app.get(&format!("/api/v1/betalingsregelingen/{arrangement}"), Some(&app.citizen(BSNS[1]))).problem(404);
        assert_eq!(refused["detail"], "Deze betalingsregeling bestaat niet of u heeft er geen toegang toe.");
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        let by_counsellor: Vec<_> = log["regels"].as_array().unwrap().iter()
            .filter(|r| r["rol"] == "schuldhulpverlener" && r["organisatie"] == "GKB")
            .map(|r| r["handeling"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(by_counsellor, ["BETALINGSREGELING_INGEZIEN", "BETALINGSREGELING_AFGESLOTEN", "VOORSTEL_BETALINGSREGELING_GEMAAKT"],
            "newest first, each with the counsellor organisation that acted");
    }

    fn a_citizen_proposes_only_for_themself(app) {
        let body = json!({"burgerservicenummer": BSNS[1], "huishouden": household(INCOME)});
        app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])), &body).problem(403);
        app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.agency("CJIB")), &body).problem(403);
        let bad = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&app.citizen(BSNS[0])), &json!({"huishouden": {"leefvorm": "X", "nettoInkomen": "-1.00"}}));
        assert_eq!(bad.invalid_names(), ["huishouden.leefvorm", "huishouden.nettoInkomen"]);
    }

    fn a_proposal_expires_after_its_validity(app) {
        claims(&app);
        let proposal = propose(&app, INCOME).json();
        app.clock.advance(Duration::days(15));
        let problem = accept(&app, &app.citizen(BSNS[0]), proposal["id"].as_str().unwrap()).problem(409);
        assert!(problem["detail"].as_str().unwrap().contains("verlopen"));
    }

    fn the_feed_continues_after_a_position_without_gaps_and_only_for_agencies(app) {
        claims(&app);
        let citizen = app.citizen(BSNS[0]);
        for _ in 0..2 {
            let proposal = propose(&app, INCOME).json();
            let id = accept(&app, &citizen, proposal["id"].as_str().unwrap()).json()["id"].as_str().unwrap().to_owned();
            app.post(&format!("/api/v1/betalingsregelingen/{id}/beeindigen"), Some(&citizen), &json!({"reden": "opnieuw"})).succeeded();
        }
        let all = feed(&app, "DUO");
        let positions: Vec<_> = all.iter().map(|m| m["positie"].as_i64().unwrap()).collect();
        assert_eq!(positions, [1, 2, 3, 4]);
        let later = app.get("/api/v1/meldingen?na=2&aantal=1", Some(&app.agency("DUO"))).json();
        assert_eq!(later["meldingen"][0]["positie"], 3);
        assert_eq!(later["volgende"], "3");
        let end = app.get("/api/v1/meldingen?na=4", Some(&app.agency("DUO"))).json();
        assert_eq!((end["meldingen"].clone(), end["volgende"].clone()), (json!([]), json!("4")));
        app.get("/api/v1/meldingen?na=-1", Some(&app.agency("DUO"))).problem(400);
        app.get("/api/v1/meldingen", Some(&citizen)).problem(403);
    }
}

fn preferential(backend: crate::support::Backend) {
    use rijksincasso::domain::planner::SplitStrategy;
    let app = TestApp::start_with(backend, |config| {
        config.arrangements.policy.split = SplitStrategy::Preferential
    });
    claims(&app);
    // DUO first: rank 1 in the registry; CJIB has no rank and comes last.
    let registry = app.get("/api/v1/schuldeisers", None).json();
    let duo = registry["schuldeisers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "DUO")
        .unwrap()
        .clone();
    let body = json!({
        "naam": duo["naam"], "vorderingtypeVoorvoegsel": duo["vorderingtypeVoorvoegsel"],
        "betalingsregelingRijkVanaf": duo["betalingsregelingRijkVanaf"], "voorkeursrang": 1,
    });
    assert_eq!(
        app.put("/api/v1/schuldeisers/DUO", Some(&app.admin()), &body)
            .status,
        200
    );
    let proposal = propose(&app, INCOME).json();
    let regeling = &proposal["regeling"];
    assert_eq!(regeling["verdeling"], "PREFERENT");
    // 668.57 a month: DUO's 2000.00 takes months 1–2 and 662.86 of month 3; then CJIB.
    assert_eq!(
        regeling["schema"][0]["aandelen"],
        json!([{"schuldeiser": "DUO", "bedrag": "668.57", "vorderingen": [{"vorderingkenmerk": "DUO-1", "bedrag": "668.57"}]}])
    );
    let third: Vec<_> = regeling["schema"][2]["aandelen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["schuldeiser"].clone(), a["bedrag"].clone()))
        .collect();
    assert_eq!(
        third,
        [
            (json!("CJIB"), json!("5.71")),
            (json!("DUO"), json!("662.86"))
        ]
    );
}

#[test]
fn the_preferential_split_pays_the_best_ranked_creditor_first_on_sqlite() {
    preferential(crate::support::Backend::Sqlite);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
)]
fn the_preferential_split_pays_the_best_ranked_creditor_first_on_postgres() {
    preferential(crate::support::Backend::Postgres);
}

/// Proposals nobody accepted are deleted once no longer kept, by the background work.
mod retention {
    use super::*;

    fn looking_every_50_ms(config: &mut rijksincasso::config::Config) {
        config.samenloop_check_every = std::time::Duration::from_millis(50);
    }

    on_both_backends! {
        configured(looking_every_50_ms);

        fn a_proposal_nobody_accepted_is_deleted_thirty_days_after_it_expired(app) {
            claims(&app);
            let citizen = app.citizen(BSNS[0]);
            let forgotten = propose(&app, INCOME).json();
            let id = forgotten["id"].as_str().unwrap();
            // Valid for 14 days, then kept 30 more: until then it is refused as expired.
            app.clock.advance(Duration::days(44) - Duration::minutes(1));
            std::thread::sleep(std::time::Duration::from_millis(300));
            let expired = accept(&app, &citizen, id).problem(409);
            assert!(expired["detail"].as_str().unwrap().contains("verlopen"), "{expired}");
            app.clock.advance(Duration::minutes(2));
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while accept(&app, &citizen, id).status != 404 {
                assert!(std::time::Instant::now() < deadline, "still kept 30 days after it expired");
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            // An accepted proposal stays, with the arrangement it became.
            let kept = propose(&app, INCOME).json();
            let arrangement = accept(&app, &citizen, kept["id"].as_str().unwrap()).succeeded().json();
            app.clock.advance(Duration::days(60));
            std::thread::sleep(std::time::Duration::from_millis(300));
            let path = format!("/api/v1/betalingsregelingen/{}", arrangement["id"].as_str().unwrap());
            assert_eq!(app.get(&path, Some(&citizen)).succeeded().json()["status"], "LOPEND");
            assert!(!crate::support::logs().contains("deleting expired proposals failed"));
        }
    }
}
