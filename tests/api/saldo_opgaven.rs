//! Saldo-opgaven over HTTP: every government claim of a citizen as of a date, surcharges on
//! their own lines, totals to the cent, the creditors not connected; kept under an id, and
//! listed for the citizen and a mandated counsellor.

use serde_json::{Value, json};

use rijksincasso::domain::money::Money;

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, TestApp};

fn make(app: &TestApp, token: &str, body: Value) -> crate::support::Reply {
    app.post("/api/v1/saldo-opgaven", Some(token), &body)
}

fn cents(value: &Value) -> i64 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("an amount: {value}"));
    Money::parse(text).expect("a two-decimal amount").cents()
}

/// Asserts that the claims add up to their creditor's total and the creditors to the whole.
fn assert_adds_up(statement: &Value) {
    let fields = [
        "oorspronkelijk",
        "ophogingen",
        "betaald",
        "vooruitbetaald",
        "kwijtgescholden",
        "ingetrokken",
        "openstaand",
    ];
    let claim_field = |field: &str| {
        match field {
            "oorspronkelijk" => "oorspronkelijkBedrag",
            "ophogingen" => "totaalOphogingen",
            other => other,
        }
        .to_owned()
    };
    for field in fields {
        let mut overall = 0;
        for creditor in statement["schuldeisers"].as_array().unwrap() {
            let sum: i64 = creditor["vorderingen"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| cents(&c[claim_field(field)]))
                .sum();
            assert_eq!(
                sum,
                cents(&creditor["totaal"][field]),
                "{field} of {}",
                creditor["code"]
            );
            overall += sum;
        }
        assert_eq!(
            overall,
            cents(&statement["totaal"][field]),
            "{field} overall"
        );
    }
    let total = &statement["totaal"];
    assert_eq!(
        cents(&total["openstaand"]),
        cents(&total["oorspronkelijk"]) + cents(&total["ophogingen"])
            - cents(&total["betaald"])
            - cents(&total["kwijtgescholden"])
            - cents(&total["ingetrokken"])
    );
    let by_category: i64 = total["ophogingenPerCategorie"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| cents(&c["bedrag"]))
        .sum();
    assert_eq!(by_category, cents(&total["ophogingen"]));
}

on_both_backends! {
    fn the_saldo_opgave_adds_up_to_the_cent_and_lists_every_surcharge_on_its_own_line(app) {
        app.connect(&["CJIB", "DUO"]);
        app.post_events("CJIB", json!([
            imposed("C1", "CJIB-1", BSNS[0], "cjib_wahv_boete", "239.00"),
            surcharge("C1-V", "CJIB-1", "VERHOGING", "59.75"),
            surcharge("C1-R", "CJIB-1", "RENTE", "0.33"),
            surcharge("C1-A", "CJIB-1", "ADMINISTRATIEKOSTEN", "9.00"),
            payment("C1-B", "CJIB-1", "100.01"),
            imposed("C2", "CJIB-2", BSNS[0], "cjib_boete", "45.00"),
            withdrawn("C2-I", "CJIB-2"),
            phase("C1-F", "CJIB-1", "AANMANING", true),
        ])).succeeded();
        app.post_events("DUO", json!([
            imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "1200.00"),
            remission("D1-K", "DUO-1", "0.99"),
            imposed("D2", "DUO-2", BSNS[1], "duo_studieschuld", "999.00"),
        ])).succeeded();
        let reply = make(&app, &app.citizen(BSNS[0]), json!({}));
        assert_eq!(reply.status, 201, "{}", reply.text);
        let statement = reply.json();
        assert_adds_up(&statement);
        assert_eq!(statement["peildatum"], "2026-06-15");
        assert_eq!(statement["aantalVorderingen"], 3, "the other citizen's claim is not in it");
        assert_eq!(statement["totaal"]["openstaand"], "1407.08", "239.00 + 69.08 − 100.01 + 1200.00 − 0.99");
        let cjib = &statement["schuldeisers"][0];
        assert_eq!(cjib["code"], "CJIB");
        let fine = &cjib["vorderingen"][0];
        let lines: Vec<(String, String)> = fine["ophogingen"].as_array().unwrap().iter()
            .map(|l| (l["categorie"].as_str().unwrap().to_owned(), l["bedrag"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(lines, [
            ("VERHOGING".to_owned(), "59.75".to_owned()),
            ("RENTE".to_owned(), "0.33".to_owned()),
            ("ADMINISTRATIEKOSTEN".to_owned(), "9.00".to_owned()),
        ]);
        assert_eq!((fine["fase"].as_str(), fine["betwist"].as_bool()), (Some("AANMANING"), Some(true)));
        assert_eq!(cjib["vorderingen"][1]["status"], "INGETROKKEN");
        assert_eq!(cjib["vorderingen"][1]["ingetrokken"], "45.00");
        let missing: Vec<&str> = statement["nietAangesloten"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        assert!(missing.contains(&"UWV") && !missing.contains(&"CJIB") && !missing.contains(&"DUO"), "{missing:?}");

        let id = statement["id"].as_str().unwrap();
        app.post_events("CJIB", json!([payment("C1-B2", "CJIB-1", "50.00")])).succeeded();
        let kept = app.get(&format!("/api/v1/saldo-opgaven/{id}"), Some(&app.citizen(BSNS[0])));
        assert_eq!(kept.status, 200, "{}", kept.text);
        assert_eq!(kept.json(), statement, "kept as it was given, to be cited later");
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json().to_string();
        assert!(log.contains("SALDO_OPGAVE_OPGESTELD") && log.contains("SALDO_OPGAVE_INGEZIEN"));
    }

    fn a_payment_dated_before_the_surcharge_it_paid_never_takes_a_day_below_zero(app) {
        let mut late = payment("C1-B", "CJIB-1", "150.00");
        late["datum"] = json!("2026-04-01");
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "100.00"), surcharge("C1-V", "CJIB-1", "VERHOGING", "50.00")])).succeeded();
        app.post_events("CJIB", json!([late, imposed("C2", "CJIB-2", BSNS[0], "cjib_boete", "200.00")])).succeeded();
        let april = make(&app, &app.citizen(BSNS[0]), json!({"peildatum": "2026-04-15"})).succeeded().json();
        assert_adds_up(&april);
        let paid = &april["schuldeisers"][0]["vorderingen"][0];
        assert_eq!((&paid["betaald"], &paid["vooruitbetaald"], &paid["openstaand"], &paid["status"]),
            (&json!("100.00"), &json!("50.00"), &json!("0.00"), &json!("VOLDAAN")), "{paid}");
        assert_eq!(april["totaal"]["openstaand"], "200.00", "the other claim is not lowered by what was paid ahead");
        let today = make(&app, &app.citizen(BSNS[0]), json!({})).succeeded().json();
        assert_adds_up(&today);
        let paid = &today["schuldeisers"][0]["vorderingen"][0];
        assert_eq!((&paid["betaald"], &paid["vooruitbetaald"]), (&json!("150.00"), &json!("0.00")), "{paid}");
    }

    fn a_remission_keeps_its_date_and_a_later_payment_ahead_of_a_surcharge_is_shown_apart(app) {
        // Booked in this order: 100.00 imposed on 10 March, a surcharge of 1 June, all of the
        // 100.00 remitted on 10 March, and 10.00 paid on 1 April toward the surcharge.
        let mut surcharge = surcharge("K-V", "CJIB-K", "VERHOGING", "10.00");
        surcharge["datum"] = json!("2026-06-01");
        let mut remitted = remission("K-K", "CJIB-K", "100.00");
        remitted["datum"] = json!("2026-03-10");
        let mut paid = payment("K-B", "CJIB-K", "10.00");
        paid["datum"] = json!("2026-04-01");
        app.post_events("CJIB", json!([imposed("K", "CJIB-K", BSNS[0], "cjib_boete", "100.00"), surcharge, remitted, paid])).succeeded();
        let on = |peildatum: &str| {
            let statement = make(&app, &app.citizen(BSNS[0]), json!({"peildatum": peildatum})).succeeded().json();
            assert_adds_up(&statement);
            let c = statement["schuldeisers"][0]["vorderingen"][0].clone();
            [c["betaald"].clone(), c["vooruitbetaald"].clone(), c["kwijtgescholden"].clone(), c["openstaand"].clone()]
        };
        assert_eq!(on("2026-03-10"), ["0.00", "0.00", "100.00", "0.00"]);
        assert_eq!(on("2026-04-01"), ["0.00", "10.00", "100.00", "0.00"], "the remission of 10 March is not lowered by a payment after it");
        assert_eq!(on("2026-06-01"), ["10.00", "0.00", "100.00", "0.00"]);
    }

    fn a_payment_booked_back_is_owed_again_in_the_saldo_opgave_from_the_day_it_was_booked_back(app) {
        app.post_events("CJIB", json!([imposed("B", "CJIB-B", BSNS[0], "cjib_boete", "100.00"), payment("B-1", "CJIB-B", "100.00")])).succeeded();
        app.post_events("CJIB", json!([booked_back("B-2", "CJIB-B", "B-1", "30.00")])).succeeded();
        let on = |peildatum: &str| {
            let statement = make(&app, &app.citizen(BSNS[0]), json!({"peildatum": peildatum})).succeeded().json();
            assert_adds_up(&statement);
            let c = statement["schuldeisers"][0]["vorderingen"][0].clone();
            [c["betaald"].clone(), c["openstaand"].clone(), c["status"].clone()]
        };
        // Paid on 1 June, booked back on 5 June.
        assert_eq!(on("2026-06-04"), ["100.00", "0.00", "VOLDAAN"]);
        assert_eq!(on("2026-06-05"), ["70.00", "30.00", "OPENSTAAND"]);
    }

    fn a_counsellor_asks_by_mandate_and_its_dossier_reference_is_on_the_opgave(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let mandate = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])),
            &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-01-31"})).succeeded().json();
        let id = mandate["id"].as_str().unwrap();
        app.send("PATCH", &format!("/api/v1/clienten/{id}"), Some(&app.counsellor("GKB")),
            Some(("application/merge-patch+json", json!({"dossierkenmerk": "GKB-2026-0042"}).to_string()))).succeeded();
        let reply = make(&app, &app.counsellor("GKB"), json!({"machtiging": id, "peildatum": "2026-06-01"}));
        assert_eq!(reply.status, 201, "{}", reply.text);
        let statement = reply.json();
        assert_eq!(statement["klantnummerSchuldhulpverlener"], "GKB-2026-0042");
        assert_eq!(statement["opgesteldDoor"], "schuldhulpverlener GKB");
        // The reference is GKB's own note: another organisation the citizen mandated reads the
        // opgave without it, the citizen with it.
        app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])),
            &json!({"schuldhulpverlener": "ANDERE", "geldigTot": "2027-01-31"})).succeeded();
        let path = format!("/api/v1/saldo-opgaven/{}", statement["id"].as_str().unwrap());
        let other = app.get(&path, Some(&app.counsellor("ANDERE"))).succeeded().json();
        assert_eq!(other["totaal"], statement["totaal"]);
        assert!(other["klantnummerSchuldhulpverlener"].is_null(), "{other}");
        let own = app.get(&path, Some(&app.citizen(BSNS[0]))).succeeded().json();
        assert_eq!(own["klantnummerSchuldhulpverlener"], "GKB-2026-0042");
        assert_eq!(statement["peildatum"], "2026-06-01");
        assert_eq!(statement["totaal"]["openstaand"], "100.00");
        let before = make(&app, &app.counsellor("GKB"), json!({"machtiging": id, "peildatum": "2026-03-09"})).json();
        assert_eq!(before["aantalVorderingen"], 0, "imposed on 10 March");
        assert_eq!(
            make(&app, &app.counsellor("GKB"), json!({"machtiging": id, "peildatum": "2026-06-16", "extra": 1})).invalid_names(),
            ["extra", "peildatum"]
        );
    }

    fn a_citizens_saldo_opgaven_are_listed_newest_first_for_the_citizen_and_a_mandated_counsellor(app) {
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let mandate = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])),
            &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-01-31"})).succeeded().json();
        let mandate = mandate["id"].as_str().unwrap();
        let own = make(&app, &app.citizen(BSNS[0]), json!({"peildatum": "2026-06-01"})).succeeded().json();
        app.clock.advance(chrono::Duration::hours(1));
        let by_counsellor = make(&app, &app.counsellor("GKB"), json!({"machtiging": mandate})).succeeded().json();
        let other = make(&app, &app.citizen(BSNS[1]), json!({})).succeeded().json();

        let listed = app.get("/api/v1/saldo-opgaven", Some(&app.citizen(BSNS[0]))).succeeded().json();
        let listed = listed["saldoOpgaven"].as_array().unwrap().clone();
        let ids: Vec<&Value> = listed.iter().map(|s| &s["id"]).collect();
        assert_eq!(ids, [&by_counsellor["id"], &own["id"]], "newest first, only the citizen's own");
        assert_eq!(listed[0]["opgesteldDoor"], "schuldhulpverlener GKB");
        assert_eq!(listed[0]["peildatum"], "2026-06-15");
        assert_eq!(listed[1]["opgesteldDoor"], "burger");
        assert_eq!(listed[1]["peildatum"], "2026-06-01");
        assert_eq!(listed[1]["opgesteldOp"], own["opgesteldOp"]);
        assert_eq!(listed[1]["aantalVorderingen"], 1);
        assert_eq!(listed[1]["totaalOpenstaand"], "100.00");

        let path = format!("/api/v1/saldo-opgaven?machtiging={mandate}");
        let for_counsellor = app.get(&path, Some(&app.counsellor("GKB"))).succeeded().json();
        assert_eq!(for_counsellor["saldoOpgaven"].as_array().unwrap().len(), 2);
        assert_eq!(for_counsellor["saldoOpgaven"][0]["id"], by_counsellor["id"]);
        app.get(&path, Some(&app.counsellor("ANDERE"))).problem(404);
        app.get(&path, Some(&app.agency("CJIB"))).problem(403);
        assert_eq!(
            app.get("/api/v1/saldo-opgaven", Some(&app.counsellor("GKB"))).invalid_names(),
            ["machtiging"],
            "a counsellor names the citizen by mandate"
        );
        assert_eq!(
            app.get("/api/v1/saldo-opgaven?machtiging=geen-id", Some(&app.counsellor("GKB"))).invalid_names(),
            ["machtiging"]
        );

        let others = app.get("/api/v1/saldo-opgaven", Some(&app.citizen(BSNS[1]))).succeeded().json();
        assert_eq!(others["saldoOpgaven"].as_array().unwrap().len(), 1);
        assert_eq!(others["saldoOpgaven"][0]["id"], other["id"]);
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json().to_string();
        assert!(log.contains("SALDO_OPGAVEN_INGEZIEN"), "the list is in the access log");
    }
}
