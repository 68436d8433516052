//! The Vorderingenoverzicht as a citizen reads it.

use serde_json::json;

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::BSNS;

on_both_backends! {
    fn the_overview_groups_claims_by_creditor_with_every_surcharge_on_its_own_line(app) {
        app.connect(&["CJIB", "DUO"]);
        app.post_events("CJIB", json!([
            imposed("C1", "CJIB-1", BSNS[0], "cjib_wahv_boete", "239.00"),
            surcharge("C2", "CJIB-1", "VERHOGING", "59.75"),
            surcharge("C3", "CJIB-1", "ADMINISTRATIEKOSTEN", "9.00"),
            imposed("C4", "CJIB-2", BSNS[0], "cjib_wahv_boete", "100.00"),
            withdrawn("C5", "CJIB-2"),
        ])).succeeded();
        app.post_events("DUO", json!([
            imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "1500.00"),
            payment("D2", "DUO-1", "1500.00"),
            imposed("D3", "DUO-2", BSNS[0], "duo_studieschuld", "400.00"),
        ])).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "707.75");
        assert_eq!(overview["aantalOpenstaandeVorderingen"], 2);
        let creditors: Vec<_> = overview["schuldeisers"].as_array().unwrap().iter().map(|s| (s["code"].clone(), s["totaalOpenstaand"].clone())).collect();
        assert_eq!(creditors, [(json!("DUO"), json!("400.00")), (json!("CJIB"), json!("307.75"))]);
        let cjib = &overview["schuldeisers"][1];
        assert_eq!(cjib["aangesloten"], true);
        assert_eq!(cjib["naam"], "Centraal Justitieel Incassobureau");
        let fine = &cjib["vorderingen"][0];
        assert_eq!(fine["ophogingen"].as_array().unwrap().len(), 2);
        assert_eq!(fine["ophogingen"][0]["categorie"], "VERHOGING");
        assert_eq!(fine["ophogingen"][1]["bedrag"], "9.00");
        assert_eq!(cjib["vorderingen"][1]["status"], "INGETROKKEN");
        assert_eq!(cjib["vorderingen"][1]["openstaand"], "0.00");
        assert_eq!(cjib["vorderingen"][1]["intrekking"]["reden"], "Bezwaar gegrond");
        let duo_statuses: Vec<_> = overview["schuldeisers"][0]["vorderingen"].as_array().unwrap().iter().map(|c| c["status"].clone()).collect();
        assert_eq!(duo_statuses, [json!("OPENSTAAND"), json!("VOLDAAN")]);
    }

    fn an_empty_overview_never_reads_as_owing_nothing(app) {
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "0.00");
        assert_eq!(overview["volledigheid"]["volledig"], false);
        assert_eq!(overview["volledigheid"]["nietAangesloten"].as_array().unwrap().len(), 10);
        assert!(overview["samenvatting"].as_str().unwrap().contains("niet alle schuldeisers"));
        assert!(overview["volledigheid"]["toelichting"].as_str().unwrap().contains("gemeente"));
        app.connect(&["BELASTINGDIENST", "TOESLAGEN", "CJIB", "DUO", "CAK", "NVWA", "UWV", "RDI", "RVO", "SVB"]);
        let complete = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(complete["volledigheid"]["volledig"], true);
        assert_eq!(complete["volledigheid"]["aangesloten"].as_array().unwrap().len(), 10);
    }

    fn a_citizen_sees_only_their_own_claims(app) {
        app.post_events("CJIB", json!([
            imposed("E1", "V1", BSNS[0], "cjib_boete", "10.00"),
            imposed("E2", "V2", BSNS[1], "cjib_boete", "20.00"),
        ])).succeeded();
        let mine = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(mine["totaalOpenstaand"], "10.00");
        let theirs = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[1]))).json();
        assert_eq!(theirs["totaalOpenstaand"], "20.00");
        let body = json!({"burgerservicenummer": BSNS[1]});
        app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.citizen(BSNS[0])), &body).problem(403);
    }

    fn the_overview_is_for_citizens_only(app) {
        app.get("/api/v1/vorderingenoverzicht", Some(&app.agency("CJIB"))).problem(403);
        app.get("/api/v1/vorderingenoverzicht", Some(&app.counsellor("GKB"))).problem(403);
        app.get("/api/v1/vorderingenoverzicht", None).problem(401);
    }
}
