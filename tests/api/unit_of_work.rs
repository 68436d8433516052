//! Every change sets off its consequences in the same transaction, whoever reads what afterwards:
//! no test here reads the overview before looking at a feed. Reads and proposals set off nothing.

use serde_json::{Value, json};

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, TestApp};

const CODES: [&str; 2] = ["CJIB", "DUO"];

fn kinds(feed: &[Value]) -> Vec<String> {
    feed.iter()
        .map(|m| {
            let inhoud = &m["inhoud"];
            match inhoud["signalering"].as_str() {
                Some(flag) => format!("{} {flag}", inhoud["soort"].as_str().unwrap()),
                None => inhoud["soort"].as_str().unwrap().to_owned(),
            }
        })
        .collect()
}

fn propose(app: &TestApp, income: &str) -> Value {
    let body = json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": income, "belastbaarJaarinkomen": "23000.00"}});
    app.post(
        "/api/v1/betalingsregelingen/voorstellen",
        Some(&app.citizen(BSNS[0])),
        &body,
    )
    .succeeded()
    .json()
}

fn accept(app: &TestApp, proposal: &Value) -> Value {
    let body = json!({"voorstel": proposal["id"]});
    app.post(
        "/api/v1/betalingsregelingen",
        Some(&app.citizen(BSNS[0])),
        &body,
    )
    .succeeded()
    .json()
}

fn patch(app: &TestApp, path: &str, token: &str, body: Value) {
    app.send(
        "PATCH",
        path,
        Some(token),
        Some(("application/merge-patch+json", body.to_string())),
    )
    .succeeded();
}

fn feed_lengths(app: &TestApp) -> Vec<usize> {
    CODES.iter().map(|code| feed(app, code).len()).collect()
}

fn overview_samenloop(app: &TestApp) -> Value {
    app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0])))
        .succeeded()
        .json()["samenloop"]
        .clone()
}

/// CJIB attaches 500.00 since March, DUO 400.00 since April: against 2100.00 net income. Without
/// a taxable income the legal norm in June 2026 lies between its first term, 0.95 × 1401.50 =
/// 1331.43, and 95 % of the income, 1995.00; even at the lowest 768.57 is left, so 900.00 withheld
/// is 131.43 too much whatever the taxable income.
fn two_attachments_too_many(app: &TestApp) -> String {
    register(
        app,
        &app.agency("CJIB"),
        &attachment("500.00", "1331.43", "2026-03-01"),
    )
    .succeeded();
    let duo = register(
        app,
        &app.agency("DUO"),
        &attachment("400.00", "1331.43", "2026-04-01"),
    );
    duo.succeeded().json()["id"].as_str().unwrap().to_owned()
}

on_both_backends! {
    fn accepting_and_ending_an_arrangement_tell_the_attaching_creditor_of_the_collision(app) {
        for (code, events) in cjib_and_duo_claims() {
            app.post_events(code, events).succeeded();
        }
        let mut laid = attachment("100.00", "1331.43", "2026-06-01");
        laid["vorderingkenmerken"] = json!(["CJIB-1"]);
        register(&app, &app.agency("CJIB"), &laid).succeeded();
        assert!(kinds(&feed(&app, "CJIB")).is_empty(), "one attachment alone is no samenloop");

        let arrangement = accept(&app, &propose(&app, "2000.00"));
        let cjib = feed(&app, "CJIB");
        assert_eq!(kinds(&cjib), ["REGELING_GESTART", "SAMENLOOP_GESIGNALEERD VORDERING_IN_REGELING_EN_BESLAG"]);
        assert_eq!(cjib[1]["inhoud"]["beslagEnRegeling"]["regelingId"], arrangement["id"]);
        assert_eq!(kinds(&feed(&app, "DUO")), ["REGELING_GESTART"], "DUO's claim is not attached");

        let path = format!("/api/v1/betalingsregelingen/{}/beeindigen", arrangement["id"].as_str().unwrap());
        app.post(&path, Some(&app.citizen(BSNS[0])), &json!({"reden": "Naar de gemeente"})).succeeded();
        assert_eq!(
            kinds(&feed(&app, "CJIB"))[2..],
            ["REGELING_BEEINDIGD", "SAMENLOOP_OPGEHEVEN VORDERING_IN_REGELING_EN_BESLAG"]
        );
    }

    fn registering_changing_and_ending_attachments_tell_each_creditor_concerned(app) {
        register(&app, &app.agency("CJIB"), &attachment("500.00", "1331.43", "2026-03-01")).succeeded();
        let duo = register(&app, &app.agency("DUO"), &attachment("150.00", "1331.43", "2026-04-01")).succeeded();
        let duo_path = format!("/api/v1/beslagen/{}", duo.json()["id"].as_str().unwrap());
        assert_eq!(kinds(&feed(&app, "CJIB")), ["SAMENLOOP_GESIGNALEERD MEERDERE_BESLAGLEGGERS"]);
        assert_eq!(kinds(&feed(&app, "DUO")), ["SAMENLOOP_GESIGNALEERD MEERDERE_BESLAGLEGGERS"]);

        patch(&app, &duo_path, &app.agency("DUO"), json!({"maandbedrag": "400.00"}));
        for code in CODES {
            assert_eq!(kinds(&feed(&app, code))[1..], ["SAMENLOOP_GESIGNALEERD BESTAANSMINIMUM_ONDERSCHREDEN"], "{code}");
        }

        patch(&app, &duo_path, &app.agency("DUO"), json!({"einddatum": "2026-06-14"}));
        for code in CODES {
            let mut cleared = kinds(&feed(&app, code))[2..].to_vec();
            cleared.sort();
            assert_eq!(cleared, ["SAMENLOOP_OPGEHEVEN BESTAANSMINIMUM_ONDERSCHREDEN", "SAMENLOOP_OPGEHEVEN MEERDERE_BESLAGLEGGERS"], "{code}");
        }
    }

    fn a_second_attaching_creditor_is_told_who_coordinates_and_nothing_more_of_it(app) {
        let cjib = register(&app, &app.agency("CJIB"), &attachment("500.00", "1331.43", "2026-03-01")).succeeded();
        let cjib_id = cjib.json()["id"].as_str().unwrap().to_owned();
        register(&app, &app.agency("DUO"), &attachment("150.00", "1331.43", "2026-04-01")).succeeded();
        let duo_feed = feed(&app, "DUO");
        let told = &samenloop_of(&duo_feed, "MEERDERE_BESLAGLEGGERS")[0].1;
        assert_eq!(told["coordinatie"], "ANDERE_PARTIJ");
        assert_eq!(told["coordinerendePartij"], "CJIB", "art. 478 Rv: CJIB collects for DUO too");
        let text = told.to_string();
        assert!(!text.contains(&cjib_id) && !text.contains("500.00") && !text.contains("500,00"), "{text}");
        let cjib_feed = feed(&app, "CJIB");
        let own = &samenloop_of(&cjib_feed, "MEERDERE_BESLAGLEGGERS")[0].1;
        assert_eq!((own["coordinatie"].as_str(), own["coordinerendePartij"].as_str()), (Some("U"), Some("CJIB")));
    }

    fn declaring_an_arrangement_tells_the_creditors_of_the_other_arrangement(app) {
        for (code, events) in cjib_and_duo_claims() {
            app.post_events(code, events).succeeded();
        }
        // The Betalingsregeling Rijk takes all the norm leaves from its first due date, 1 July:
        // 50.00 more is too much.
        accept(&app, &propose(&app, "2000.00"));
        app.clock.advance(chrono::Duration::days(16));
        let declared = app.post("/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])),
            &json!({"partij": "Woonstad", "maandbedrag": "50.00", "startdatum": "2026-06-01"})).succeeded();
        let raised = ["SAMENLOOP_GESIGNALEERD BESTAANSMINIMUM_ONDERSCHREDEN", "SAMENLOOP_GESIGNALEERD SAMENLOOP_REGELINGEN"];
        for code in CODES {
            assert_eq!(kinds(&feed(&app, code))[1..], raised, "{code}");
        }
        let path = format!("/api/v1/andere-regelingen/{}", declared.json()["id"].as_str().unwrap());
        patch(&app, &path, &app.citizen(BSNS[0]), json!({"einddatum": "2026-06-14"}));
        let cleared = ["SAMENLOOP_OPGEHEVEN BESTAANSMINIMUM_ONDERSCHREDEN", "SAMENLOOP_OPGEHEVEN SAMENLOOP_REGELINGEN"];
        for code in CODES {
            assert_eq!(kinds(&feed(&app, code))[3..], cleared, "{code}");
        }
    }

    fn reading_the_overview_and_making_proposals_notify_nobody_and_change_no_flag(app) {
        two_attachments_too_many(&app);
        app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).succeeded();
        let feeds = feed_lengths(&app);
        let flags = overview_samenloop(&app);
        for _ in 0..3 {
            assert_eq!(overview_samenloop(&app), flags);
        }
        app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB")), &json!({"burgerservicenummer": BSNS[0]})).succeeded();
        // With 5000.00 net the attachments would fit: the proposal shows it, nothing changes.
        let rich = propose(&app, "5000.00");
        assert!(rich["samenloop"]["signaleringen"].as_array().unwrap().iter().all(|s| s["code"] != "BESTAANSMINIMUM_ONDERSCHREDEN"));
        propose(&app, "1000.00");
        assert_eq!(feed_lengths(&app), feeds, "no notification from reading or proposing");
        assert_eq!(overview_samenloop(&app), flags, "no flag changed");
    }

    fn the_overview_carries_each_flags_figures_as_fields(app) {
        two_attachments_too_many(&app);
        let samenloop = overview_samenloop(&app);
        let flag = |code: &str| samenloop["signaleringen"].as_array().unwrap().iter().find(|s| s["code"] == code).unwrap().clone();
        let undercut = flag("BESTAANSMINIMUM_ONDERSCHREDEN");
        assert_eq!(
            (&undercut["nettoInkomen"], &undercut["inhoudingen"], &undercut["gemeenschappelijkeBeslagvrijeVoet"], &undercut["tekort"]),
            (&json!("2100.00"), &json!("900.00"), &json!("1331.43"), &json!("131.43"))
        );
        let parties = flag("MEERDERE_BESLAGLEGGERS");
        assert_eq!(parties["partij"], "CJIB", "the oldest executorial attachment coordinates");
        assert_eq!(parties["beslagleggers"], json!(["CJIB", "DUO"]));
        assert_eq!(samenloop["restcapaciteit"], "0.00");
    }
}
