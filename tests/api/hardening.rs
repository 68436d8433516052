//! Defects an outside fuzz run found, each reproduced as it was reported.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::fixtures::{attachment, imposed, register};
use crate::on_both_backends;
use crate::support::{BSNS, Backend, Reply, TestApp};

/// A body shorter than its `Content-Length` is answered 408 once the read limit passes, and the
/// connection is closed instead of held open.
#[test]
fn a_body_shorter_than_announced_is_a_408_after_the_read_limit() {
    let app = TestApp::start_with(Backend::Sqlite, |config| {
        config.body_read_limit = Duration::from_secs(1);
    });
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    stream
        .write_all(
            b"POST /api/v1/normberekeningen HTTP/1.1\r\nHost: test\r\n\
              Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"leef",
        )
        .unwrap();
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("the server closes the connection");
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

/// Each visitor's session is stored (for the CSRF token of a form), so starting one counts
/// against the client's public quota, as using the calculator page does; a visitor who keeps
/// their cookie starts no more.
#[test]
fn visitor_sessions_and_the_calculator_page_count_against_the_public_limit() {
    let app = TestApp::start_with(Backend::Sqlite, |config| config.public_per_minute = 3);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let page = format!("{}/normberekening", app.base);
    let mut first = agent.get(&page).call().unwrap();
    assert_eq!(first.status(), 200);
    assert!(
        !first.headers().contains_key("strict-transport-security"),
        "plain http on loopback (development): no HSTS"
    );
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = first.body_mut().read_to_string().unwrap();
    let csrf = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token")
        .to_owned();
    let with_cookie = agent.get(&page).header("Cookie", &cookie).call().unwrap();
    assert_eq!(with_cookie.status(), 200, "a kept session is not counted");
    let calculate = || {
        agent
            .post(&page)
            .header("Cookie", &cookie)
            .content_type("application/x-www-form-urlencoded")
            .send(format!(
                "csrf={csrf}&leefvorm=ALLEENSTAANDE&nettoInkomen=1000"
            ))
            .unwrap()
            .status()
    };
    assert_eq!(calculate(), 200);
    assert_eq!(calculate(), 200);
    assert_eq!(calculate(), 429);
    let mut refused = agent.get(&page).call().unwrap();
    assert_eq!(refused.status(), 429, "no new session either");
    assert!(refused.headers().contains_key("retry-after"));
    let text = refused.body_mut().read_to_string().unwrap();
    assert!(
        text.contains("een pagina geopend of een berekening gemaakt")
            && !text.contains("in te loggen"),
        "a visitor who did not log in is not told so: {text}"
    );
}

/// A path with percent-encoded letters is the same path to every check before routing as to the
/// router: an API path written that way is answered as the API, not as a page.
#[test]
fn an_api_path_with_encoded_letters_is_answered_as_the_api() {
    let app = TestApp::start(Backend::Sqlite);
    app.get("/ap%69/v1/vorderingen", None).problem(401);
}

/// A body of nothing but unknown fields is answered with the first 10 000 of its problems, and
/// says how many there were: the answer stays smaller than the question.
#[test]
fn an_answer_lists_at_most_ten_thousand_problems() {
    let app = TestApp::start(Backend::Sqlite);
    let fields: serde_json::Map<String, Value> =
        (0..20_000).map(|i| (format!("f{i}"), json!(0))).collect();
    let reply = app.post("/api/v1/normberekeningen", None, &Value::Object(fields));
    let problem = reply.problem(400);
    assert_eq!(problem["invalidParams"].as_array().unwrap().len(), 10_000);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("de eerste 10000"), "{detail}");
}

/// The public endpoints answer a client that asks too often with 429 and `Retry-After`, per
/// client: another client (named by a trusted proxy) goes on.
#[test]
fn the_public_endpoints_limit_each_client() {
    let app = TestApp::start_with(Backend::Sqlite, |config| {
        config.public_per_minute = 3;
        config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    });
    let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1000.00"});
    for _ in 0..3 {
        assert_eq!(
            app.post("/api/v1/normberekeningen", None, &household)
                .status,
            200
        );
    }
    // The limit is on the operation, however its path is written.
    let refused = app.get("/api/v1/schuld%65isers", None);
    refused.problem(429);
    let seconds: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&seconds), "{seconds}");
    for (header, value) in [("api-version", "1.0.0"), ("cache-control", "no-store")] {
        assert_eq!(
            refused.header(header),
            Some(value),
            "{header}, as on every answer"
        );
    }
    assert!(refused.header("x-request-id").is_some());
    let other = ureq::http::Request::builder()
        .uri(format!("{}/api/v1/schuldeisers", app.base))
        .header("X-Forwarded-For", "192.0.2.7")
        .body(())
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    assert_eq!(
        agent.run(other).unwrap().status(),
        200,
        "another client has its own quota"
    );
    let token = app.agency("CJIB");
    assert_eq!(
        app.get("/api/v1/vorderingen", Some(&token)).status,
        200,
        "endpoints with a token are not limited here"
    );
}

on_both_backends! {
    fn the_service_refuses_to_start_with_another_pseudonym_key_than_its_data_was_stored_under(app) {
        app.post_events("CJIB", json!([imposed("E1", "CJIB-1", BSNS[0], "cjib_boete", "100.00")])).succeeded();
        let start = |config: &rijksincasso::config::Config| {
            rijksincasso::prepare(config, app.clock.clone()).map(|_| ())
        };
        let mut other = app.config.clone();
        other.pseudonym_secret.bytes = b"another-pseudonym-secret-of-32-bytes-or-more".to_vec();
        let refused = start(&other).expect_err("the citizen's claim would be unreachable");
        assert!(matches!(refused, rijksincasso::StartError::WrongPseudonymKey), "{refused}");
        assert!(!refused.to_string().contains("another-pseudonym"), "the key is not repeated: {refused}");
        start(&app.config).expect("the key the data was stored under");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "100.00");
    }

    fn the_service_refuses_to_start_with_a_coordinating_collector_the_register_does_not_hold(app) {
        let mut typo = app.config.clone();
        typo.arrangements.coordinator = "CJBI".to_owned();
        let refused = rijksincasso::prepare(&typo, app.clock.clone()).map(|_| ()).expect_err("people would be told to pay nobody");
        assert!(matches!(&refused, rijksincasso::StartError::UnknownCoordinator(code) if code == "CJBI"), "{refused}");
        assert!(refused.to_string().contains("RIJKSINCASSO_COORDINEREND_INVORDERAAR"), "{refused}");
        app.put("/api/v1/schuldeisers/CJBI", Some(&app.admin()), &json!({"naam": "Een nieuwe invorderaar", "vorderingtypeVoorvoegsel": "cjbi"})).succeeded();
        rijksincasso::prepare(&typo, app.clock.clone()).map(|_| ()).expect("registered, it may coordinate");
    }

    fn a_nul_byte_in_a_path_id_or_a_text_field_is_a_400_not_a_500(app) {
        let agency = app.agency("CJIB");
        let reply = app.get("/api/v1/beslagen/%00", Some(&agency));
        assert_eq!(reply.invalid_names(), ["id"]);
        let reply = app.post("/api/v1/betalingsregelingen", Some(&app.citizen(BSNS[0])), &json!({"voorstel": "\u{0}"}));
        assert_eq!(reply.invalid_names(), ["voorstel"]);
        let mut body = attachment("100.00", "1400.00", "2026-02-01");
        body["beslagkenmerk"] = json!("B-\u{0}");
        assert_eq!(register(&app, &agency, &body).invalid_names(), ["beslagkenmerk"]);
        let mut event = imposed("E1", "V1", BSNS[0], "cjib_boete", "10.00");
        event["zaakkenmerk"] = json!("Z\u{0}");
        assert_eq!(app.post_events("CJIB", json!([event])).invalid_names(), ["gebeurtenissen[0].zaakkenmerk"]);
    }

    fn a_date_before_1900_is_refused_and_never_stored(app) {
        // Year 0 was stored, and PostgreSQL then wrote it as `0001-01-01 BC` in the person's file,
        // which made every later read of that person a 500.
        let agency = app.agency("CJIB");
        let mut body = attachment("100.00", "1400.00", "2026-02-01");
        body["startdatum"] = json!("0000-01-01");
        assert_eq!(register(&app, &agency, &body).invalid_names(), ["startdatum"]);
        let mut event = imposed("E1", "V1", BSNS[0], "cjib_boete", "10.00");
        event["vervaldatum"] = json!("1899-12-31");
        assert_eq!(app.post_events("CJIB", json!([event])).invalid_names(), ["gebeurtenissen[0].vervaldatum"]);
        event["vervaldatum"] = json!("1900-01-01");
        event["opgelegdOp"] = json!("1900-01-01");
        assert_eq!(app.post_events("CJIB", json!([event])).status, 200);
        assert_eq!(app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).status, 200);
    }

    fn a_feed_cursor_beyond_the_newest_notification_is_refused(app) {
        // A reader parked at 999 would silently skip the notifications written at 1 to 999.
        let agency = app.agency("CJIB");
        assert_eq!(app.get("/api/v1/meldingen?na=999", Some(&agency)).invalid_names(), ["na"]);
        let empty = app.get("/api/v1/meldingen?na=0", Some(&agency)).succeeded().json();
        assert_eq!(empty["volgende"], "0", "{empty}");
    }

    fn a_name_with_characters_that_hide_or_turn_the_text_is_refused(app) {
        let reply = app.post("/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])),
            &json!({"partij": "\u{202E}dnatsnooW", "maandbedrag": "10.00", "startdatum": "2026-06-01"}));
        assert_eq!(reply.problem(400)["invalidParams"][0]["code"], "onzichtbare_tekens", "{}", reply.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["andereRegelingen"], json!([]), "nothing stored");
    }

    fn a_field_named_twice_is_refused_not_read_as_its_last_value(app) {
        // A proxy or a signature that reads the first "bedrag" would see 1.00 booked as 500.00.
        let batch = r#"{"gebeurtenissen": [{"type": "VorderingOpgelegd", "gebeurteniskenmerk": "E1", "vorderingkenmerk": "V1",
            "burgerservicenummer": "999990007", "vorderingtype": "cjib_boete", "omschrijving": "Boete", "bedrag": "1.00",
            "bedrag": "500.00", "opgelegdOp": "2026-06-01", "vervaldatum": "2026-07-01"}]}"#;
        let reply = app.send("POST", "/api/v1/gebeurtenissen", Some(&app.agency("CJIB")), Some(("application/json", batch.to_owned())));
        let problem = reply.problem(400);
        assert_eq!((&problem["invalidParams"][0]["name"], &problem["invalidParams"][0]["code"]), (&json!("bedrag"), &json!("dubbel_veld")), "{problem}");
        let declared = r#"{"partij": "Eneco", "maandbedrag": "10.00", "maandbedrag": "1.00", "startdatum": "2026-06-01"}"#;
        let reply = app.send("POST", "/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])), Some(("application/json", declared.to_owned())));
        assert_eq!(reply.problem(400)["invalidParams"][0]["code"], "dubbel_veld", "{}", reply.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!((&overview["totaalOpenstaand"], &overview["andereRegelingen"]), (&json!("0.00"), &json!([])), "nothing stored: {overview}");
    }

    fn a_query_parameter_given_twice_is_named_and_refused(app) {
        let reply = app.get("/api/v1/inzagelog?aantal=1&aantal=200", Some(&app.citizen(BSNS[0])));
        let problem = reply.problem(400);
        assert_eq!((&problem["invalidParams"][0]["name"], &problem["invalidParams"][0]["code"]), (&json!("aantal"), &json!("dubbel_veld")), "{problem}");
        let reply = app.get("/api/v1/vorderingen?na=x&na=y", Some(&app.agency("CJIB")));
        assert_eq!(reply.problem(400)["invalidParams"][0]["name"], "na");
    }

    fn a_claim_key_padded_or_with_another_space_is_refused_so_no_debt_opens_twice(app) {
        app.post_events("DUO", json!([imposed("E1", "DUO-A", BSNS[0], "duo_studieschuld", "1000.00")])).succeeded();
        for (n, key) in [" DUO-A", "DUO-A ", "DUO-A\u{a0}"].into_iter().enumerate() {
            let reply = app.post_events("DUO", json!([imposed(&format!("E{}", n + 2), key, BSNS[0], "duo_studieschuld", "1000.00")]));
            assert_eq!(reply.problem(400)["invalidParams"][0]["code"], "spaties", "{key:?}: {}", reply.text);
        }
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["totaalOpenstaand"], "1000.00", "one debt: {overview}");
    }

    fn a_shortfall_beyond_the_largest_input_amount_is_told_and_read_back(app) {
        // Two attachments of the largest amount the API takes: the shortfall told to CJIB has
        // thirteen digits of euros, and the feed holding it answered 500 on every read.
        let agency = app.agency("CJIB");
        for start in ["2026-01-01", "2026-02-01"] {
            let mut body = attachment("999999999999.99", "1400.00", start);
            body.as_object_mut().unwrap().remove("beslagvrijeVoet");
            // No attachment withholds more than the income it names.
            body["nettoInkomenBron"] = json!("999999999999.99");
            register(&app, &agency, &body).succeeded();
        }
        let feed = crate::fixtures::feed(&app, "CJIB");
        let shortfalls: Vec<&str> = feed.iter().filter_map(|m| m["inhoud"]["tekort"].as_str()).collect();
        assert!(shortfalls.iter().any(|t| t.len() > "999999999999.99".len()), "{feed:?}");
    }

    fn an_id_that_is_not_one_of_ours_is_named_as_the_invalid_input(app) {
        let citizen = app.citizen(BSNS[0]);
        for path in ["/api/v1/betalingsregelingen/abc", "/api/v1/betalingsregelingen/1%27%20OR%201=1"] {
            assert_eq!(app.get(path, Some(&citizen)).invalid_names(), ["id"]);
        }
        let unknown = "/api/v1/betalingsregelingen/0190c5a2-0000-7000-8000-000000000000";
        app.get(unknown, Some(&citizen)).problem(404);
    }

    fn an_unknown_top_level_field_does_not_hide_the_problems_of_the_events(app) {
        let mut event = imposed("E1", "V1", BSNS[0], "cjib_boete", "-5.00");
        event["vervaldatum"] = json!("morgen");
        let reply = app.post(
            "/api/v1/gebeurtenissen",
            Some(&app.agency("CJIB")),
            &json!({"gebeurtenissen": [event], "bericht": "x"}),
        );
        let mut names = reply.invalid_names();
        names.sort();
        assert_eq!(names, ["bericht", "gebeurtenissen[0].bedrag", "gebeurtenissen[0].vervaldatum"]);
    }

    fn rule_violations_are_reported_beside_fields_that_cannot_be_read(app) {
        let mut body = attachment("veel", "1400.00", "2026-02-01");
        body["inkomstenbron"] = json!(" ");
        body["einddatum"] = json!("2026-01-01");
        body["beslagvrijeVoet"] = json!("-1.00");
        body["vorderingkenmerken"] = json!(["x".repeat(101)]);
        let mut names = register(&app, &app.agency("CJIB"), &body).invalid_names();
        names.sort();
        assert_eq!(names, ["beslagvrijeVoet", "einddatum", "inkomstenbron", "maandbedrag", "vorderingkenmerken[0]"]);

        let declared = json!({"partij": "", "maandbedrag": "0.00", "startdatum": "2026-02-01", "einddatum": "2026-01-01", "kleur": 1});
        let reply = app.post("/api/v1/andere-regelingen", Some(&app.citizen(BSNS[0])), &declared);
        let mut names = reply.invalid_names();
        names.sort();
        assert_eq!(names, ["einddatum", "kleur", "maandbedrag", "partij"]);
    }

    fn an_attachment_names_each_claim_once_and_not_too_many(app) {
        let cjib = app.agency("CJIB");
        let mut body = attachment("100.00", "1400.00", "2026-02-01");
        body["vorderingkenmerken"] = json!(["CJIB-1", "CJIB-2", "CJIB-1"]);
        assert_eq!(register(&app, &cjib, &body).invalid_names(), ["vorderingkenmerken[2]"]);
        let many: Vec<String> = (0..501).map(|i| format!("CJIB-{i}")).collect();
        body["vorderingkenmerken"] = json!(many);
        assert_eq!(register(&app, &cjib, &body).invalid_names(), ["vorderingkenmerken"]);
        body["vorderingkenmerken"] = json!(["CJIB-1"]);
        let id = register(&app, &cjib, &body).succeeded().json()["id"].as_str().unwrap().to_owned();
        let change = app.send(
            "PATCH",
            &format!("/api/v1/beslagen/{id}"),
            Some(&cjib),
            Some(("application/merge-patch+json", json!({"vorderingkenmerken": ["A", "A"]}).to_string())),
        );
        assert_eq!(change.invalid_names(), ["vorderingkenmerken[1]"]);
    }

    fn a_method_a_path_does_not_take_is_a_405_naming_the_methods_it_does(app) {
        let reply = app.send("DELETE", "/api/v1/schuldeisers", None, None);
        reply.problem(405);
        assert_eq!(reply.header("allow"), Some("GET"));
        let reply = app.send("PATCH", "/api/v1/beslagen/0190c5a2-0000-7000-8000-000000000000", None, None);
        assert_ne!(reply.status, 405, "PATCH is a method of /beslagen/{{id}}");
        let reply = app.send("PUT", "/api/v1/beslagen/0190c5a2-0000-7000-8000-000000000000", None, None);
        reply.problem(405);
        assert_eq!(reply.header("allow"), Some("GET, PATCH"));
        for path in ["/health/live", "/health/ready"] {
            let reply = app.send("POST", path, None, None);
            reply.problem(405);
            assert_eq!(reply.header("allow"), Some("GET"), "{path}");
        }
    }

    fn an_organisation_outside_the_creditor_registry_reads_and_writes_nothing(app) {
        let stranger = app.agency("ONBEKEND");
        app.get("/api/v1/vorderingen", Some(&stranger)).problem(403);
        app.get("/api/v1/meldingen", Some(&stranger)).problem(403);
        app.post_events("ONBEKEND", json!([imposed("E1", "V1", BSNS[0], "onbekend_x", "10.00")])).problem(403);
    }

    fn a_counsellor_without_a_mandate_learns_nothing_from_ids_and_is_refused_for_people(app) {
        let agency = app.agency("CJIB");
        let id = register(&app, &agency, &attachment("100.00", "1400.00", "2026-02-01")).succeeded().json()["id"]
            .as_str().unwrap().to_owned();
        let counsellor = app.counsellor("GKB");
        let existing = app.get(&format!("/api/v1/beslagen/{id}"), Some(&counsellor)).problem(404);
        let unknown = app.get("/api/v1/beslagen/0190c5a2-0000-7000-8000-000000000000", Some(&counsellor)).problem(404);
        assert_eq!(existing, unknown, "the same answer whether the attachment exists or not");
        let change = app.send(
            "PATCH",
            &format!("/api/v1/beslagen/{id}"),
            Some(&counsellor),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-12-31"}).to_string())),
        );
        change.problem(404);
        let ask = app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&counsellor), &json!({"burgerservicenummer": BSNS[0]}));
        ask.problem(403);
    }

    fn a_role_that_may_never_act_on_a_kind_of_record_gets_one_answer_for_every_id(app) {
        let unknown = "0190c5a2-0000-7000-8000-000000000000";
        let id = |reply: crate::support::Reply| reply.succeeded().json()["id"].as_str().unwrap().to_owned();
        let cjib = app.agency("CJIB");
        let mandate = id(app.post(
            "/api/v1/machtigingen",
            Some(&app.citizen(BSNS[0])),
            &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-06-30"}),
        ));
        let beslag = id(register(&app, &cjib, &attachment("100.00", "1400.00", "2026-02-01")));
        let abonnement = id(app.post(
            "/api/v1/abonnementen",
            Some(&cjib),
            &json!({"url": "http://127.0.0.1:9/meldingen", "geheim": "whsec_YS10ZXN0LXdlYmhvb2sta2V5LW9mLTMyLWJ5dGVzISE="}),
        ));
        let asked = |method: &str, path: &str, existing: &str, token: &str| {
            let answer = |id: &str| {
                let reply = app.send(method, &path.replace("{id}", id), Some(token), None);
                (reply.status, reply.json()["title"].clone())
            };
            let (existing, unknown) = (answer(existing), answer(unknown));
            assert_eq!(existing.0, 403, "{method} {path}: a role that may never do this is refused");
            assert_eq!(existing, unknown, "{method} {path}: the same answer whether the id exists or not");
        };
        asked("DELETE", "/api/v1/machtigingen/{id}", &mandate, &app.counsellor("GKB"));
        asked("GET", "/api/v1/beslagen/{id}", &beslag, &app.admin());
        asked("GET", "/api/v1/abonnementen/{id}", &abonnement, &app.citizen(BSNS[0]));
        asked("DELETE", "/api/v1/abonnementen/{id}", &abonnement, &app.admin());
    }

    fn a_caller_whose_role_may_not_register_attachments_is_refused_before_its_body_is_read(app) {
        for token in [app.admin(), app.counsellor("GKB")] {
            let reply = app.post("/api/v1/beslagen", Some(&token), &json!({"maandbedrag": "veel"}));
            if reply.status != 403 {
                // A counsellor may declare attachments: then its body is read, and found wanting.
                assert!(reply.invalid_names().contains(&"maandbedrag".to_owned()));
            }
        }
        app.post("/api/v1/beslagen", Some(&app.admin()), &json!({"maandbedrag": "veel"})).problem(403);
    }

    fn the_openapi_document_may_be_fetched_from_any_origin(app) {
        let reply = app.get("/api/v1/openapi.json", None);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }
}

/// Every operation of the document with a body: method, path in the document, media type and
/// the body's schema.
fn operations_with_a_body(doc: &Value) -> Vec<(String, String, String, Value)> {
    let mut found = Vec::new();
    for (relative, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(content) = operation["requestBody"]["content"].as_object() else {
                continue;
            };
            let (media, body) = content.iter().next().expect("a media type");
            found.push((
                method.clone(),
                relative.clone(),
                media.clone(),
                body["schema"].clone(),
            ));
        }
    }
    found
}

/// Sends `body` to the operation at `relative` as a caller who may call it (the first role its
/// description names), with an id that is none of ours in its path.
fn send_body(
    app: &TestApp,
    doc: &Value,
    method: &str,
    relative: &str,
    media: &str,
    body: &Value,
) -> Reply {
    let token = match relative {
        "/normberekeningen" => None,
        "/normtabellen" | "/schuldeisers/{code}" | "/schuldhulpverleners/{id}" => Some(app.admin()),
        "/gebeurtenissen"
        | "/beslagen"
        | "/beslagen/{id}"
        | "/abonnementen"
        | "/vorderingen/opvragen" => Some(app.agency("CJIB")),
        "/clienten/{id}"
        | "/schuldhulptrajecten"
        | "/schuldhulptrajecten/{id}"
        | "/vorderingenoverzicht/opvragen" => Some(app.counsellor("GKB")),
        _ => Some(app.citizen(BSNS[0])),
    };
    let path = crate::support::called_path(doc, relative)
        .replace("{id}", "01932f6e-7c1a-7d3b-9a52-3f0c2b1e4d5a")
        .replace("{code}", "CJIB");
    app.send(
        &method.to_uppercase(),
        &path,
        token.as_deref(),
        Some((media, body.to_string())),
    )
}

fn component<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => component(
            doc,
            &doc["components"]["schemas"][reference.rsplit('/').next().unwrap()],
        ),
        None => schema,
    }
}

/// Where a field could pass that `schema` does not name: each object schema in it is closed by
/// `additionalProperties: false`, or as a part (or a branch of a part) of an `allOf` closed as a
/// whole by `unevaluatedProperties: false`, which sees the fields of every part.
fn open_places(doc: &Value, schema: &Value, at: &str, in_all_of: bool, found: &mut Vec<String>) {
    let schema = component(doc, schema);
    if let Some(parts) = schema["allOf"].as_array() {
        if !in_all_of && schema["unevaluatedProperties"] != false {
            found.push(format!(
                "{at}: an allOf without `unevaluatedProperties: false`"
            ));
        }
        for (i, part) in parts.iter().enumerate() {
            open_places(doc, part, &format!("{at}.allOf[{i}]"), true, found);
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        for (i, branch) in schema[keyword].as_array().into_iter().flatten().enumerate() {
            open_places(
                doc,
                branch,
                &format!("{at}.{keyword}[{i}]"),
                in_all_of,
                found,
            );
        }
    }
    if let Some(properties) = schema["properties"].as_object() {
        if !in_all_of && schema["additionalProperties"] != false {
            found.push(format!("{at}: not closed by `additionalProperties: false`"));
        }
        for (name, property) in properties {
            open_places(doc, property, &format!("{at}.{name}"), false, found);
        }
    }
    if schema["items"].is_object() {
        open_places(doc, &schema["items"], &format!("{at}[]"), false, found);
    }
}

/// The document closes every request body, and every object in it; the server does what it
/// says: each operation with a body refuses a field its schema does not name, and names it.
#[test]
fn every_request_body_refuses_a_field_its_schema_does_not_name() {
    let app = TestApp::start(Backend::Sqlite);
    app.connect(&["CJIB"]);
    let doc = app.get("/api/v1/openapi.json", None).json();
    let operations = operations_with_a_body(&doc);
    for (method, relative, media, schema) in &operations {
        let mut open = Vec::new();
        open_places(&doc, schema, "$", false, &mut open);
        assert!(open.is_empty(), "{method} {relative}: {open:#?}");
        let reply = send_body(
            &app,
            &doc,
            method,
            relative,
            media,
            &json!({"veldDatNietBestaat": 1}),
        );
        assert!(
            reply
                .invalid_names()
                .iter()
                .any(|n| n == "veldDatNietBestaat"),
            "{method} {relative}: {}",
            reply.text
        );
    }
    assert!(
        operations.len() >= 19,
        "{} operations with a body",
        operations.len()
    );
}

/// The fields of a problem's `invalidParams` with this code.
fn named_with(reply: &Reply, code: &str) -> Vec<String> {
    reply.problem(400)["invalidParams"]
        .as_array()
        .expect("invalidParams")
        .iter()
        .filter(|p| p["code"] == code)
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect()
}

/// `burgerservicenummer` and `machtiging` name the citizen one or the other: the server asks for
/// one of the two, and neither is required alone.
fn named_by_either(schema: &Value, field: &str) -> bool {
    field == "burgerservicenummer" && schema["properties"]["machtiging"].is_object()
}

/// What the server requires of an empty body, the document requires too.
#[test]
fn every_field_the_server_requires_is_required_in_the_document() {
    let app = TestApp::start(Backend::Sqlite);
    let doc = app.get("/api/v1/openapi.json", None).json();
    for (method, relative, media, schema) in operations_with_a_body(&doc) {
        let schema = component(&doc, &schema);
        let reply = send_body(&app, &doc, &method, &relative, &media, &json!({}));
        if reply.status != 400 {
            continue;
        }
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        for field in named_with(&reply, "verplicht") {
            assert!(
                required.contains(&json!(field)) || named_by_either(schema, &field),
                "{method} {relative}: the server requires `{field}`, the document does not"
            );
        }
    }
}

/// A field the document lets a client send as `null` the server takes as `null`.
#[test]
fn no_field_the_document_lets_be_null_is_refused_as_null() {
    let app = TestApp::start(Backend::Sqlite);
    let doc = app.get("/api/v1/openapi.json", None).json();
    let mut checked = 0;
    for (method, relative, media, schema) in operations_with_a_body(&doc) {
        let schema = component(&doc, &schema);
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            let property = component(&doc, property);
            let nullable = property["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("null")))
                || property["oneOf"]
                    .as_array()
                    .is_some_and(|b| b.iter().any(|b| b["type"] == "null"));
            if !nullable || named_by_either(schema, field) {
                continue;
            }
            let reply = send_body(
                &app,
                &doc,
                &method,
                &relative,
                &media,
                &json!({ field: null }),
            );
            if reply.status == 400 {
                assert!(
                    !reply.invalid_names().contains(field),
                    "{method} {relative}: `{field}` may be null in the document, the server refuses it: {}",
                    reply.text
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} nullable fields");
}

/// The address given to `serve --bind` is the one the service judges itself by: bound to every
/// interface (as the container image is), its cookies are `Secure` and `__Host-`, where the
/// configured default (loopback) would have left them plain.
#[test]
fn the_address_serve_is_told_to_bind_decides_that_cookies_are_secure() {
    let dir = std::env::temp_dir().join(format!("rijksincasso-bind-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("0.0.0.0:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_rijksincasso"))
        .args(["serve", "--bind", &format!("0.0.0.0:{port}")])
        .current_dir(&dir)
        .env_clear()
        .env("DATABASE_URL", dir.join("bind.db"))
        .env("RUST_LOG", "error")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let page = format!("http://127.0.0.1:{port}/normberekening");
    let deadline = Instant::now() + Duration::from_secs(30);
    let reply = loop {
        match agent.get(&page).call() {
            Ok(reply) => break reply,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("the server did not answer: {e}"),
        }
    };
    let https_only = reply.headers().get("strict-transport-security").cloned();
    let cookie = reply
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    server.kill().unwrap();
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        cookie.starts_with("__Host-rijksincasso-sessie="),
        "{cookie}"
    );
    assert!(cookie.contains("Secure"), "{cookie}");
    assert_eq!(
        https_only.as_ref().and_then(|v| v.to_str().ok()),
        Some("max-age=31536000"),
        "with Secure cookies, the pages are https only (HSTS)"
    );
}
