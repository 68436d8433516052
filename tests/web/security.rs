//! The pages' security rules over plain HTTP: forged forms, other people's ids, counsellors
//! without a mandate, headers, sessions, production mode and the login rate limit.

use serde_json::json;

use crate::fixtures::imposed;
use crate::on_both_backends;
use crate::pages::{Visitor, csrf_of, html_page, id_after};
use crate::support::{BSNS, Backend, TestApp};
use crate::{grant_mandate, seed};

const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
];

/// A proposal accepted by the first citizen through the pages: its proposal and arrangement ids.
fn arranged(app: &TestApp) -> (String, String) {
    let mut citizen = Visitor::login_citizen(app, BSNS[0]);
    let page = citizen.submit(
        "/mijn/voorstel",
        "/mijn/voorstel",
        &[
            ("leefvorm", "ALLEENSTAANDE"),
            ("nettoInkomen", crate::INCOME),
            ("belastbaarJaarinkomen", crate::TAXABLE),
        ],
    );
    let text = html_page(&page, 200);
    let start =
        text.find("/mijn/voorstellen/").expect("an accept form") + "/mijn/voorstellen/".len();
    let proposal = text[start..].split('/').next().unwrap().to_owned();
    let csrf = csrf_of(text);
    let accepted = citizen.post(
        &format!("/mijn/voorstellen/{proposal}/accepteren"),
        &[("csrf", &csrf)],
    );
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    let location = accepted.header("location").expect("to the arrangement");
    let arrangement = id_after(location, "/mijn/regelingen/").to_owned();
    (proposal, arrangement)
}

on_both_backends! {
    fn a_forged_form_without_the_csrf_token_is_refused_and_changes_nothing(app) {
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let form = [("schuldhulpverlener", "GKB"), ("geldigTot", "2026-12-31")];
        let forged = citizen.post("/mijn/machtigingen", &form);
        let text = html_page(&forged, 403);
        assert!(text.contains("Dit formulier is verlopen of komt niet van deze website"), "{text}");
        let wrong = [("csrf", "niet-het-goede-token-maar-wel-even-lang-als-een-echt"), form[0], form[1]];
        html_page(&citizen.post("/mijn/machtigingen", &wrong), 403);
        // Another session's token does not do either.
        let mut other = Visitor::new(&app);
        let stolen = csrf_of(&other.get("/inloggen").text);
        html_page(&citizen.post("/mijn/machtigingen", &[("csrf", &stolen), form[0], form[1]]), 403);
        let mandates = app.get("/api/v1/machtigingen", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(mandates["machtigingen"], json!([]), "nothing was stored");
        // The same form with the token goes through.
        let real = citizen.submit("/mijn/machtigingen", "/mijn/machtigingen", &form);
        assert_eq!(real.status, 303, "{}", real.text);
        // A login form is protected too (no login CSRF).
        let mut stranger = Visitor::new(&app);
        html_page(&stranger.post("/inloggen/ontwikkeling", &[("burgerservicenummer", BSNS[1])]), 403);
    }

    fn a_citizen_cannot_reach_another_citizens_pages_by_changing_an_id(app) {
        seed(&app);
        let (proposal, arrangement) = arranged(&app);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let claim = overview["schuldeisers"][0]["vorderingen"][0]["id"].as_str().unwrap().to_owned();
        let mandate = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).succeeded().json()["id"].as_str().unwrap().to_owned();

        let mut other = Visitor::login_citizen(&app, BSNS[1]);
        for path in [format!("/mijn/vorderingen/{claim}"), format!("/mijn/regelingen/{arrangement}")] {
            let reply = other.get(&path);
            let text = html_page(&reply, 404);
            assert!(text.contains("bestaat niet of u heeft er geen toegang toe"), "{path}: {text}");
            assert!(menu_of_a_citizen(text) && text.contains("Naar mijn overzicht"), "the error page keeps the person's menu: {text}");
        }
        let csrf = csrf_of(&other.get("/mijn/machtigingen").text);
        html_page(&other.post(&format!("/mijn/voorstellen/{proposal}/accepteren"), &[("csrf", &csrf)]), 404);
        for confirmed in ["", "ja"] {
            html_page(&other.post(&format!("/mijn/regelingen/{arrangement}/beeindigen"), &[("csrf", &csrf), ("reden", "x"), ("bevestigen", confirmed)]), 404);
        }
        for confirmed in ["", "ja"] {
            html_page(&other.post(&format!("/mijn/machtigingen/{mandate}/intrekken"), &[("csrf", &csrf), ("bevestigen", confirmed)]), 404);
        }
        // Still the first citizen's: running, and the mandate live.
        let first = app.get(&format!("/api/v1/betalingsregelingen/{arrangement}"), Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(first["status"], "LOPEND");
        let mandates = app.get("/api/v1/machtigingen", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(mandates["machtigingen"][0]["status"], "ACTIEF");
        // And a citizen is not a counsellor.
        assert!(menu_of_a_citizen(html_page(&other.get("/schuldhulp"), 403)));
        // An address changed by hand is said to be one, not a form.
        let changed = other.get("/mijn/inzagelog?na=abc");
        let changed = html_page(&changed, 400);
        assert!(changed.contains("Het adres van deze pagina klopt niet") && !changed.contains("formulier"), "{changed}");
        html_page(&other.get(&format!("/schuldhulp/clienten/{mandate}")), 404);
    }

    fn a_counsellor_without_a_mandate_sees_nothing_of_the_citizen(app) {
        seed(&app);
        let mandate = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"})).succeeded().json()["id"].as_str().unwrap().to_owned();
        let mut stranger = Visitor::login_counsellor(&app, "ANDERE");
        let clients = stranger.get("/schuldhulp");
        assert!(html_page(&clients, 200).contains("Er zijn nog geen burgers die uw organisatie hebben gemachtigd."));
        for path in ["", "/voorstel", "/beslag"] {
            html_page(&stranger.get(&format!("/schuldhulp/clienten/{mandate}{path}")), 404);
        }
        let looked_up = stranger.submit("/schuldhulp", "/schuldhulp/opzoeken", &[("burgerservicenummer", BSNS[0])]);
        let text = html_page(&looked_up, 403);
        assert!(text.contains("Uw organisatie heeft geen geldige machtiging van deze burger."), "{text}");
        assert!(!text.contains(BSNS[0]), "the BSN is not repeated");
        // The organisation with the mandate does see the citizen.
        let mut holder = Visitor::login_counsellor(&app, "GKB");
        let found = holder.submit("/schuldhulp", "/schuldhulp/opzoeken", &[("burgerservicenummer", BSNS[0])]);
        assert_eq!(found.header("location"), Some(format!("/schuldhulp/clienten/{mandate}").as_str()));
        assert!(html_page(&holder.get(&format!("/schuldhulp/clienten/{mandate}")), 200).contains("€ 1.348,75"));
    }

    fn a_counsellor_reaches_an_arrangement_or_proposal_only_under_its_own_clients_address(app) {
        app.connect(&["CJIB", "DUO"]);
        // The second citizen has an arrangement of CJIB's claim and, made after it, a proposal
        // of DUO's; both citizens mandate GKB.
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[1], "cjib_boete", "239.00")])).succeeded();
        let owner = app.citizen(BSNS[1]);
        let household = json!({"huishouden": {"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06", "belastbaarJaarinkomen": "23000.00"}});
        let first = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&owner), &household).succeeded().json();
        let arrangement = app.post("/api/v1/betalingsregelingen", Some(&owner), &json!({"voorstel": first["id"]}))
            .succeeded().json()["id"].as_str().unwrap().to_owned();
        app.post_events("DUO", json!([imposed("D1", "DUO-1", BSNS[1], "duo_studieschuld", "1200.00")])).succeeded();
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&owner), &household)
            .succeeded().json()["id"].as_str().unwrap().to_owned();
        let of_other = grant_mandate(&app, BSNS[0], "GKB");
        let of_owner = grant_mandate(&app, BSNS[1], "GKB");
        let mut gkb = Visitor::login_counsellor(&app, "GKB");
        let csrf = csrf_of(&gkb.get("/schuldhulp").text);
        let wrong = format!("/schuldhulp/clienten/{of_other}");
        html_page(&gkb.get(&format!("{wrong}/regelingen/{arrangement}")), 404);
        for confirmed in ["", "ja"] {
            html_page(&gkb.post(&format!("{wrong}/regelingen/{arrangement}/beeindigen"), &[("csrf", &csrf), ("reden", "Ander dossier"), ("bevestigen", confirmed)]), 404);
        }
        html_page(&gkb.post(&format!("{wrong}/voorstellen/{proposal}/accepteren"), &[("csrf", &csrf)]), 404);
        let path = format!("/api/v1/betalingsregelingen/{arrangement}");
        assert_eq!(app.get(&path, Some(&owner)).json()["status"], "LOPEND", "not ended");
        app.post("/api/v1/betalingsregelingen", Some(&owner), &json!({"voorstel": proposal})).succeeded();
        let right = gkb.get(&format!("/schuldhulp/clienten/{of_owner}/regelingen/{arrangement}"));
        assert!(html_page(&right, 200).contains("Betalingsregeling Rijk"));
    }

    fn a_citizen_without_claims_asking_for_a_proposal_is_not_sent_to_debt_help(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[1]);
        let page = citizen.submit("/mijn/voorstel", "/mijn/voorstel", &[
            ("leefvorm", "ALLEENSTAANDE"),
            ("nettoInkomen", crate::INCOME),
            ("belastbaarJaarinkomen", crate::TAXABLE),
        ]);
        let text = html_page(&page, 200);
        assert!(text.contains("er is niets af te lossen"), "{text}");
        assert!(!text.contains("Ons advies") && !text.contains("uitgesloten vorderingen"), "{text}");
    }

    fn a_refused_field_is_named_and_linked_in_the_summary_above_the_form(app) {
        seed(&app);
        let mut gkb = Visitor::login_counsellor(&app, "GKB");
        let reply = gkb.submit("/schuldhulp", "/schuldhulp/opzoeken", &[("burgerservicenummer", "123")]);
        let text = html_page(&reply, 400);
        assert!(text.contains(r##"<a class="nl-link" href="#burgerservicenummer">"##), "{text}");
        let (_, arrangement) = arranged(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let page = format!("/mijn/regelingen/{arrangement}");
        let reply = citizen.submit(&page, &format!("{page}/beeindigen"), &[("reden", "")]);
        let text = html_page(&reply, 400);
        assert!(text.contains(r##"<a class="nl-link" href="#reden">"##), "{text}");
        // A choice links to its first option, which takes the focus; an amount asks for digits.
        let reply = citizen.submit("/mijn/voorstel", "/mijn/voorstel", &[("nettoInkomen", "2000")]);
        let text = html_page(&reply, 400);
        assert!(text.contains(r##"<a class="nl-link" href="#leefvorm-1">"##) && text.contains(r#"id="leefvorm-1""#), "{text}");
        assert!(text.contains(r#"type="text" inputmode="decimal" id="nettoInkomen""#), "{text}");
    }

    fn a_counsellor_whose_mandate_ended_finds_none_of_its_clients_pages(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let claims = app.get("/api/v1/vorderingen", Some(&app.agency("CJIB"))).json();
        let claim = claims["vorderingen"][0]["id"].as_str().unwrap().to_owned();
        let mut gkb = Visitor::login_counsellor(&app, "GKB");
        let client = format!("/schuldhulp/clienten/{mandate}");
        html_page(&gkb.get(&client), 200);
        let csrf = csrf_of(&gkb.get("/schuldhulp").text);
        let revoke = format!("/api/v1/machtigingen/{mandate}");
        assert_eq!(app.delete(&revoke, Some(&app.citizen(BSNS[0]))).status, 204);
        for path in [client.clone(), format!("{client}/vorderingen/{claim}"), format!("{client}/voorstel")] {
            html_page(&gkb.get(&path), 404);
        }
        for (path, form) in [
            ("/voorstel", vec![("leefvorm", "ALLEENSTAANDE"), ("nettoInkomen", crate::INCOME)]),
            ("/beslag", vec![("maandbedrag", "100,00")]),
            ("/andere-regeling", vec![("maandbedrag", "100,00")]),
            ("/schuldhulptraject", vec![("fase", "STABILISATIE"), ("startdatum", "01-06-2026")]),
            ("/saldo-opgaven", vec![]),
        ] {
            let mut pairs = vec![("csrf", csrf.as_str())];
            pairs.extend(form);
            html_page(&gkb.post(&format!("{client}{path}"), &pairs), 404);
        }
    }

    fn a_counsellor_whose_mandate_is_still_to_come_finds_its_clients_pages_not_yet_open(app) {
        seed(&app);
        let mandate = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])),
            &json!({"schuldhulpverlener": "GKB", "geldigVanaf": "2026-07-01", "geldigTot": "2026-12-31"})).succeeded().json();
        let client = format!("/schuldhulp/clienten/{}", mandate["id"].as_str().unwrap());
        let mut gkb = Visitor::login_counsellor(&app, "GKB");
        for path in [client.clone(), format!("{client}/beslag")] {
            html_page(&gkb.get(&path), 404);
        }
    }

    fn a_declared_attachment_reports_every_problem_at_once(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let reply = citizen.submit("/mijn/beslag", "/mijn/beslag", &[
            ("beslaglegger", ""),
            ("inkomstenbron", "Loon, Bakkerij De Korenschoof"),
            ("maandbedrag", "0"),
            ("startdatum", "01-06-2026"),
            ("einddatum", "01-05-2026"),
            ("executoriaal", "ja"),
        ]);
        let text = html_page(&reply, 400);
        for field in ["beslaglegger", "maandbedrag", "einddatum"] {
            assert!(text.contains(&format!(r##"href="#{field}""##)), "{field} in the summary: {text}");
        }
    }

    fn every_page_carries_the_security_headers_and_personal_pages_are_not_cached(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let pages = ["/", "/normberekening", "/inloggen", "/mijn", "/mijn/voorstel", "/mijn/regelingen", "/mijn/machtigingen", "/mijn/inzagelog", "/mijn/beslag", "/mijn/andere-regeling", "/bestaat-niet", "/mijn/vorderingen/onbekend"];
        for path in pages {
            let reply = citizen.get(path);
            assert!(reply.header("content-type").is_some_and(|c| c.starts_with("text/html")), "{path}");
            for (name, value) in SECURITY_HEADERS {
                assert_eq!(reply.header(name), Some(value), "{name} on {path}");
            }
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
            assert!(!reply.text.contains("<script") && !reply.text.contains("style="), "no inline script or style on {path}");
        }
        let css = citizen.get("/assets/rijksincasso.css");
        assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
        assert_eq!(css.header("x-content-type-options"), Some("nosniff"));
    }

    fn unknown_pages_are_html_and_the_api_keeps_its_problems(app) {
        let mut visitor = Visitor::new(&app);
        let reply = visitor.get("/bestaat-niet");
        let text = html_page(&reply, 404);
        assert!(text.contains("Deze pagina bestaat niet"));
        assert!(!menu_of_a_citizen(text), "a visitor has no person's menu: {text}");
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        // Raised before any page loads the session, and still with the person's menu.
        for address in ["/mijn/vorderingen/%00", "/mijn/vorderingen/niet-een-id", "/bestaat-niet"] {
            let reply = citizen.get(address);
            let text = html_page(&reply, 404);
            assert!(text.contains("Deze pagina bestaat niet"), "{address}");
            assert!(menu_of_a_citizen(text) && text.contains("Naar mijn overzicht"), "{address}: {text}");
        }
        html_page(&visitor.post("/normberekening", &[]), 403);
        let api = app.get("/api/v1/bestaat-niet", None);
        api.problem(404);
        app.send("DELETE", "/api/v1/schuldeisers", None, None).problem(405);
        app.get("/health/bestaat-niet", None).problem(404);
        // Not logged in: to the login page.
        let mine = visitor.get("/mijn");
        assert_eq!(mine.status, 303);
        assert_eq!(mine.header("location"), Some("/inloggen"));
    }

    fn sessions_end_after_their_idle_time_and_at_logout(app) {
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        assert_eq!(citizen.get("/mijn").status, 200);
        app.clock.advance(chrono::Duration::minutes(14));
        assert_eq!(citizen.get("/mijn").status, 200, "active within the idle time");
        let csrf = csrf_of(&citizen.get("/mijn/machtigingen").text);
        app.clock.advance(chrono::Duration::minutes(16));
        // A form sent after the session ended is said to be the person's own, left too long.
        let late = citizen.post("/mijn/machtigingen", &[("csrf", csrf.as_str()), ("schuldhulpverlener", "GKB"), ("geldigTot", "2026-12-31")]);
        let text = html_page(&late, 401);
        assert!(text.contains("U bent niet meer ingelogd") && text.contains(r#"href="/inloggen""#), "{text}");
        assert!(text.contains("<h1 class=\"nl-heading nl-heading--level-1\">Log opnieuw in</h1>") && !text.contains("Niet geauthenticeerd"),
            "titled for a person, not by the HTTP status: {text}");
        assert_eq!(citizen.get("/mijn").header("location"), Some("/inloggen?sessie=verlopen"), "idle for 16 minutes");
        let login = citizen.get("/inloggen?sessie=verlopen");
        let text = html_page(&login, 200);
        assert!(text.contains("U bent niet ingelogd, of niet meer: een sessie eindigt vanzelf als u 15 minuten niets doet, en in elk geval na 2 uur"), "why, on the login page: {text}");
        assert!(!html_page(&citizen.get("/inloggen"), 200).contains("een sessie eindigt vanzelf"), "only when sent there");

        let mut again = Visitor::login_citizen(&app, BSNS[0]);
        let logout = again.submit("/mijn", "/uitloggen", &[]);
        assert_eq!(logout.header("location"), Some("/uitgelogd"));
        assert!(logout.headers.iter().any(|(k, v)| k == "set-cookie" && v.contains("Max-Age=0")));
        assert_eq!(again.get("/mijn").header("location"), Some("/inloggen"));
    }

    fn the_session_cookie_is_http_only_and_same_site(app) {
        let mut visitor = Visitor::new(&app);
        let page = visitor.get("/inloggen");
        let cookie = page.header("set-cookie").expect("a session for the form's token");
        assert!(cookie.starts_with("rijksincasso-sessie="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http on loopback is development: {cookie}");
        let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
        let login = visitor.post("/inloggen/ontwikkeling", &[("csrf", &csrf_of(&page.text)), ("burgerservicenummer", BSNS[0])]);
        let renewed = login.header("set-cookie").expect("a new session at login");
        assert!(!renewed.contains(&value), "logging in starts a new session (no fixation)");
    }
}

#[test]
fn the_development_login_is_refused_in_production_mode() {
    let app = TestApp::start_with(Backend::Sqlite, |config| {
        config.web.oidc = Some(rijksincasso::web::settings::OidcConfig {
            issuer: "http://127.0.0.1:9".into(),
            client_id: "rijksincasso".into(),
            client_auth: rijksincasso::web::settings::ClientAuth::SecretBasic("geheim".into()),
            acr_minimum: rijksincasso::web::settings::DEFAULT_ACR.into(),
            bsn_claim: "bsn".into(),
            organisation_claim: "organisatie".into(),
            scope: "openid".into(),
        });
    });
    assert_eq!(app.config.mode(), rijksincasso::config::Mode::Production);
    let mut visitor = Visitor::new(&app);
    let page = visitor.get("/inloggen");
    let text = html_page(&page, 200);
    assert!(text.contains("Inloggen met DigiD"));
    assert!(!text.contains("Alleen voor ontwikkeling") && !text.contains("burgerservicenummer"));
    let csrf = csrf_of(&visitor.get("/normberekening").text);
    let refused = visitor.post(
        "/inloggen/ontwikkeling",
        &[("csrf", &csrf), ("burgerservicenummer", BSNS[0])],
    );
    let text = html_page(&refused, 404);
    assert!(
        text.contains("De ontwikkel-login bestaat niet op deze omgeving"),
        "{text}"
    );
    assert!(
        refused.header("set-cookie").is_none(),
        "nobody was logged in"
    );
}

#[test]
fn login_attempts_are_limited_per_client_address() {
    let app = TestApp::start_with(Backend::Sqlite, |config| {
        config.web.login_attempts_per_minute = 3
    });
    let mut visitor = Visitor::new(&app);
    for _ in 0..3 {
        let reply = visitor.submit(
            "/inloggen",
            "/inloggen/ontwikkeling",
            &[("burgerservicenummer", "123")],
        );
        assert_eq!(reply.status, 400, "a wrong BSN is an attempt too");
    }
    let limited = visitor.submit(
        "/inloggen",
        "/inloggen/ontwikkeling",
        &[("burgerservicenummer", BSNS[0])],
    );
    let text = html_page(&limited, 429);
    assert!(text.contains("te vaak kort na elkaar"), "{text}");
}

/// The menu of a logged-in citizen: their pages and the logout button, no login link.
fn menu_of_a_citizen(html: &str) -> bool {
    html.contains("href=\"/mijn/regelingen\"")
        && html.contains("Uitloggen")
        && !html.contains("href=\"/inloggen\"")
}
