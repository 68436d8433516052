//! The citizen's access log: who read or changed their data, when and why.

use serde_json::json;

use crate::fixtures::*;
use crate::on_both_backends;
use crate::support::{BSNS, Backend, TestApp};

/// How many overview reads `bsn`'s access log holds.
fn overview_reads_logged(app: &TestApp, bsn: &str) -> usize {
    let log = app
        .get("/api/v1/inzagelog?aantal=100", Some(&app.citizen(bsn)))
        .succeeded()
        .json();
    log["regels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["handeling"] == "VORDERINGENOVERZICHT_INGEZIEN")
        .count()
}

/// Makes the database refuse every new access-log row.
fn refuse_access_log_rows(app: &TestApp) {
    app.run_sql(match app.backend() {
        Backend::Sqlite => {
            "CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log \
             BEGIN SELECT RAISE(ABORT, 'access log refused'); END;"
        }
        Backend::Postgres => {
            "CREATE FUNCTION refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'access log refused'; END $$; \
             CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log \
             FOR EACH ROW EXECUTE FUNCTION refuse_access_log();"
        }
    });
}

const READERS: usize = 8;
const READS: usize = 12;

on_both_backends! {
    fn concurrent_reads_are_each_logged_once_and_before_they_answer(app) {
        let app = &app;
        let batch: Vec<_> = BSNS.iter().enumerate().map(|(i, bsn)| imposed(&format!("E{i}"), &format!("V{i}"), bsn, "cjib_boete", "10.00")).collect();
        app.post_events("CJIB", json!(batch)).succeeded();
        // Reads of different people at once share commits of their access-log rows; each
        // reader then finds its own read in its log at once, and only once.
        std::thread::scope(|s| {
            for bsn in BSNS.iter().take(READERS) {
                s.spawn(move || {
                    let token = app.citizen(bsn);
                    for read in 1..=READS {
                        app.get("/api/v1/vorderingenoverzicht", Some(&token)).succeeded();
                        assert_eq!(overview_reads_logged(app, bsn), read);
                    }
                });
            }
        });
    }

    fn a_read_whose_access_log_row_cannot_be_written_answers_without_the_data(app) {
        app.post_events("CJIB", json!([imposed("E1", "V-GEHEIM", BSNS[0], "cjib_boete", "10.00")])).succeeded();
        let token = app.citizen(BSNS[0]);
        assert!(app.get("/api/v1/vorderingenoverzicht", Some(&token)).succeeded().text.contains("V-GEHEIM"));
        refuse_access_log_rows(&app);
        let refused = app.get("/api/v1/vorderingenoverzicht", Some(&token));
        assert!(refused.status >= 500, "answered {}: {}", refused.status, refused.text);
        assert!(!refused.text.contains("V-GEHEIM"));
        assert_eq!(overview_reads_logged(&app, BSNS[0]), 1);
    }

    fn every_read_and_change_of_a_persons_data_is_in_their_access_log(app) {
        app.post_events("CJIB", json!([imposed("E1", "V1", BSNS[0], "cjib_boete", "10.00"), payment("E2", "V1", "1.00")])).succeeded();
        app.get("/api/v1/vorderingen", Some(&app.agency("CJIB")));
        let mandate = app
            .post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"}))
            .json();
        let for_counsellor = app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB")), &json!({"burgerservicenummer": BSNS[0]})).succeeded().json();
        assert!(for_counsellor["samenvatting"].as_str().unwrap().starts_with("Uw cliënt heeft 1 openstaande vordering"), "{for_counsellor}");
        let own = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert!(own["samenvatting"].as_str().unwrap().starts_with("U heeft 1 openstaande vordering"), "{own}");
        app.delete(&format!("/api/v1/machtigingen/{}", mandate["id"].as_str().unwrap()), Some(&app.citizen(BSNS[0])));

        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        let lines: Vec<(String, String, Option<String>)> = log["regels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["handeling"].as_str().unwrap().to_owned(), r["rol"].as_str().unwrap().to_owned(), r["organisatie"].as_str().map(str::to_owned)))
            .collect();
        let expected = [
            ("MACHTIGING_INGETROKKEN", "burger", None),
            ("VORDERINGENOVERZICHT_INGEZIEN", "burger", None),
            ("VORDERINGENOVERZICHT_INGEZIEN", "schuldhulpverlener", Some("GKB")),
            ("MACHTIGING_VERLEEND", "burger", None),
            ("VORDERING_INGEZIEN", "organisatie", Some("CJIB")),
            ("BETALING_VERWERKT", "organisatie", Some("CJIB")),
            ("VORDERING_OPGELEGD", "organisatie", Some("CJIB")),
        ];
        let expected: Vec<_> = expected.iter().map(|(a, r, o)| (a.to_string(), r.to_string(), o.map(str::to_owned))).collect();
        assert_eq!(lines, expected);
        assert!(log["regels"][0]["omschrijving"].as_str().unwrap().len() > 10);
        assert!(log["regels"][0]["tijdstip"].as_str().unwrap().starts_with("2026-06-15T12:00:00+02:00"));

        let other = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[1]))).json();
        assert_eq!(other["regels"], json!([]));
    }

    fn the_access_log_pages_from_newest_to_oldest(app) {
        let batch: Vec<_> = (0..5).map(|i| imposed(&format!("E{i}"), &format!("V{i}"), BSNS[0], "cjib_boete", "1.00")).collect();
        app.post_events("CJIB", json!(batch)).succeeded();
        let token = app.citizen(BSNS[0]);
        let first = app.get("/api/v1/inzagelog?aantal=3", Some(&token)).json();
        assert_eq!(first["regels"].as_array().unwrap().len(), 3);
        let cursor = first["volgende"].as_str().unwrap();
        let second = app.get(&format!("/api/v1/inzagelog?aantal=3&na={cursor}"), Some(&token)).json();
        assert_eq!(second["regels"].as_array().unwrap().len(), 2);
        assert_eq!(second["volgende"], serde_json::Value::Null);
    }

    fn only_the_citizen_reads_their_access_log(app) {
        app.get("/api/v1/inzagelog", Some(&app.agency("CJIB"))).problem(403);
        app.get("/api/v1/inzagelog", Some(&app.counsellor("GKB"))).problem(403);
    }
}
