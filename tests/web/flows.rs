//! Citizens and counsellors through the pages in a real browser: by keyboard alone where it
//! matters, axe-core on every page, screenshots of the main pages, and without JavaScript.

use regex::Regex;
use serde_json::{Value, json};

use crate::browser::{Browser, Scripts};
use crate::fixtures::{booked_back, imposed, next_table, payment, register_trajectory, remission};
use crate::on_both_backends;
use crate::pages::{Visitor, csrf_of, html_page, id_after};
use crate::support::{BSNS, Reply, TestApp};
use crate::{INCOME, TAXABLE, grant_mandate, log_in_counsellor, seed};

/// Logs a citizen in with the development login, by keyboard only: Tab to the field, type the
/// BSN, Tab to the button, press Enter.
fn log_in_by_keyboard(browser: &mut Browser, bsn: &str) {
    browser.goto("/inloggen");
    browser.check_page("inloggen");
    browser.tab_to("#burgerservicenummer");
    browser.type_text(bsn);
    browser.tab_to("form[action='/inloggen/ontwikkeling'] button[type=submit]");
    browser.press_enter();
    assert_eq!(browser.path(), "/mijn");
}

fn fill_household(browser: &Browser) {
    browser.click_radio("leefvorm", "ALLEENSTAANDE");
    browser.fill("#nettoInkomen", INCOME);
    browser.fill("#belastbaarJaarinkomen", TAXABLE);
}

/// A proposal for the seeded household, made on the citizen's pages: the page, and the address
/// its accept form posts to.
fn proposed(citizen: &mut Visitor) -> (String, String) {
    let page = citizen.submit(
        "/mijn/voorstel",
        "/mijn/voorstel",
        &[
            ("leefvorm", "ALLEENSTAANDE"),
            ("nettoInkomen", INCOME),
            ("belastbaarJaarinkomen", TAXABLE),
        ],
    );
    let text = html_page(&page, 200).to_owned();
    let action = text
        .split("action=\"")
        .map(|rest| rest.split('"').next().unwrap())
        .find(|action| action.ends_with("/accepteren"))
        .expect("an accept form")
        .to_owned();
    (text, action)
}

/// The seeded household's proposal, accepted through the API by the citizen: the arrangement.
fn accepted_through_the_api(app: &TestApp) -> Value {
    let citizen = app.citizen(BSNS[0]);
    let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06", "belastbaarJaarinkomen": TAXABLE});
    let proposal = app
        .post(
            "/api/v1/betalingsregelingen/voorstellen",
            Some(&citizen),
            &json!({"huishouden": household}),
        )
        .succeeded()
        .json();
    app.post(
        "/api/v1/betalingsregelingen",
        Some(&citizen),
        &json!({"voorstel": proposal["id"]}),
    )
    .succeeded()
    .json()
}

/// The page a form's redirect leads to, as the browser would load it.
fn follow(visitor: &mut Visitor, reply: &Reply) -> String {
    assert_eq!(reply.status, 303, "{}", reply.text);
    let location = reply.header("location").expect("a redirect").to_owned();
    html_page(&visitor.get(&location), 200).to_owned()
}

/// The record id a confirmation's address names.
fn confirmed_id(reply: &Reply) -> String {
    let location = reply.header("location").expect("a redirect");
    location
        .split("id=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .expect("an id")
        .to_owned()
}

impl Browser {
    fn click_radio(&self, name: &str, value: &str) {
        let element = self.find(&format!("input[name='{name}'][value='{value}']"));
        crate::browser::click_element(&element);
    }
}

on_both_backends! {
    fn a_citizen_reads_a_payment_booked_back_in_the_claims_history_with_its_reason(app) {
        seed(&app);
        app.post_events("DUO", json!([booked_back("D3", "DUO-1", "D2", "50.00")])).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let claim = overview["schuldeisers"].as_array().unwrap().iter().flat_map(|s| s["vorderingen"].as_array().unwrap()).find(|c| c["vorderingkenmerk"] == "DUO-1").unwrap()["id"].as_str().unwrap().to_owned();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let reply = citizen.get(&format!("/mijn/vorderingen/{claim}"));
        let page = html_page(&reply, 200);
        assert!(page.contains("Betaling teruggeboekt") && page.contains("Van de betaling van €\u{a0}150,00 op 1 juni 2026. Incasso gestorneerd door de bank") && page.contains("+ €\u{a0}50,00")
            && page.contains("− €\u{a0}150,00"), "booked back adds, paid takes off: {page}");
        // 1200.00, 150.00 paid of which 50.00 booked back.
        assert!(page.contains("€\u{a0}100,00") && page.contains("€\u{a0}1.100,00"), "{page}");
    }

    fn a_citizen_sees_every_claim_with_its_surcharges_and_its_history(app) {
        seed(&app);
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        log_in_by_keyboard(&mut browser, BSNS[0]);
        let text = browser.text();
        assert!(text.contains("U heeft 2 openstaande vorderingen, in totaal € 1.348,75."), "{text}");
        assert!(text.contains("Vordering CJIB-1"), "{text}");
        assert!(text.contains("+ Verhoging: VERHOGING op CJIB-1 (1 mei 2026)"), "{text}");
        assert!(text.contains("€ 59,75"), "{text}");
        assert!(text.contains("− Al betaald"), "{text}");
        assert!(text.contains("Totaal Dienst Uitvoering Onderwijs"), "{text}");
        assert!(text.contains("Nog niet aangesloten: vraag het zelf na"), "{text}");
        assert!(text.contains("energieleverancier"), "the overview says what it does not cover");
        browser.check_page("mijn-overzicht");

        browser.click_link("Vordering DUO-1");
        assert!(browser.path().starts_with("/mijn/vorderingen/"));
        let history = browser.text();
        assert!(history.contains("Vordering opgelegd"), "{history}");
        assert!(history.contains("Betaling verwerkt"), "{history}");
        assert!(history.contains("15 januari 2026") || history.contains("10 maart 2026"), "{history}");
        assert!(history.contains("€ 1.050,00"), "{history}");
        browser.check_page("vordering");
    }

    fn a_citizen_gets_a_proposal_accepts_it_by_keyboard_and_follows_the_arrangement(app) {
        seed(&app);
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        log_in_by_keyboard(&mut browser, BSNS[0]);
        browser.goto("/mijn/voorstel");
        browser.check_page("voorstel-formulier");

        // A form with mistakes comes back with every problem beside its field.
        browser.fill("#nettoInkomen", "veel");
        browser.click("form.ri-form button[type=submit]");
        let problems = browser.text();
        assert!(problems.contains("Controleer het formulier"), "{problems}");
        assert!(problems.contains("moet een bedrag in euro zijn, zoals 1.250,00"), "written as the hints write amounts: {problems}");
        assert_eq!(browser.title(), "Fout: Betalingsregeling aanvragen – Mijn Rijksincasso", "the title says it first");
        browser.check_page("voorstel-fouten");

        fill_household(&browser);
        browser.click("form.ri-form button[type=submit]");
        let proposal = browser.text();
        // 1 348,75 at 668,57 a month: the third month only what is left.
        assert!(proposal.contains("U betaalt € 668,57 per maand, 2 maanden lang en de laatste maand € 11,61, aan"), "{proposal}");
        assert!(proposal.contains("Per maand\n€ 668,57, de laatste maand € 11,61"), "{proposal}");
        assert!(proposal.contains("€ 1.348,49"), "the norm is shown: {proposal}");
        assert!(proposal.contains("Dienst Uitvoering Onderwijs: "), "the split per creditor: {proposal}");
        assert!(proposal.contains("Wat na de beslagen en regelingen per maand nog voor andere schulden kan\n€ 0,00"), "with this arrangement nothing is left to take: {proposal}");
        browser.check_page("voorstel");

        browser.tab_to("form[action$='/accepteren'] button[type=submit]");
        browser.press_space();
        let path = format!("/mijn/regelingen/{}", id_after(&browser.path(), "/mijn/regelingen/"));
        assert!(browser.path().ends_with("?gelukt=regeling-gestart#inhoud"), "{}", browser.path());
        let arrangement = browser.text();
        assert!(arrangement.contains("U heeft het voorstel aangenomen: de Betalingsregeling Rijk loopt. De eerste betaling aan Centraal Justitieel Incassobureau is uiterlijk 1 juli 2026."), "what now, said once: {arrangement}");
        assert!(arrangement.contains("Deze regeling loopt sinds 15 juni 2026"), "{arrangement}");
        assert!(arrangement.contains("0 betaald; 0 moesten er al betaald zijn"), "{arrangement}");
        assert!(arrangement.contains("uiterlijk 1 juli 2026"), "{arrangement}");
        browser.check_page("regeling");

        // DUO remits part of its claim: the schedule no longer fits, and the page says so.
        app.post_events("DUO", json!([{"type": "VorderingKwijtgescholden", "gebeurteniskenmerk": "DK1", "vorderingkenmerk": "DUO-1", "bedrag": "100.00", "datum": "2026-06-15"}])).succeeded();
        browser.goto(&path);
        let changed = browser.text();
        assert!(changed.contains("Het betaalschema hieronder klopt daardoor niet meer"), "{changed}");
        assert!(changed.contains("DUO-1: volgens het schema nog"), "{changed}");
        browser.check_page("regeling-gewijzigd");

        browser.goto("/mijn");
        assert!(browser.text().contains("Er loopt een Betalingsregeling Rijk van € 668,57 per maand."));
        browser.goto("/mijn/regelingen");
        assert!(browser.text().contains("Regeling van € 668,57 per maand"));
        browser.check_page("regelingen");

        // Ending it, with a reason the creditors read. Without one, the page comes back at the
        // form, far down the page, with the problem in view.
        browser.goto(&path);
        browser.click("form[action$='/beeindigen#regeling-stoppen'] button[type=submit]");
        assert!(browser.path().ends_with("/beeindigen#regeling-stoppen"), "{}", browser.path());
        assert!(browser.title().starts_with("Fout: "), "{}", browser.title());
        assert!(browser.in_view(".utrecht-alert--error"), "{}", browser.text());
        browser.fill("#reden", "Ik ga naar de schuldhulpverlening van de gemeente.");
        browser.click("form[action$='/beeindigen#regeling-stoppen'] button[type=submit]");
        // It asks once more, saying what follows; going back leaves it running.
        assert_eq!(browser.title(), "Weet u zeker dat u de regeling wilt stoppen? – Mijn Rijksincasso");
        let asked = browser.text();
        assert!(asked.contains("Het gaat om de Betalingsregeling Rijk van € 668,57 per maand, sinds 15 juni 2026, voor de schulden bij Centraal Justitieel Incassobureau en Dienst Uitvoering Onderwijs.")
            && asked.contains("met deze reden: “Ik ga naar de schuldhulpverlening van de gemeente.”")
            && asked.contains("Stoppen kan niet worden teruggedraaid."), "{asked}");
        browser.check_page("regeling-stoppen-bevestigen");
        browser.click("form .utrecht-button-group a");
        assert_eq!(browser.path(), format!("{path}#regeling-stoppen"));
        assert_eq!(app.get(&format!("/api/v1/betalingsregelingen/{}", id_after(&path, "/mijn/regelingen/")), Some(&app.citizen(BSNS[0]))).json()["status"], "LOPEND", "nothing stopped yet");
        browser.fill("#reden", "Ik ga naar de schuldhulpverlening van de gemeente.");
        browser.click("form[action$='/beeindigen#regeling-stoppen'] button[type=submit]");
        browser.click("form[action$='/beeindigen'] button[type=submit]");
        assert_eq!(browser.path(), format!("{path}?gelukt=regeling-gestopt#inhoud"));
        let ended = browser.text();
        assert!(ended.contains("De regeling is gestopt. De organisaties in de regeling hebben daarvan bericht gekregen.") && ended.contains("Beëindigd op"), "{ended}");
        // A made-up confirmation of a start shows nothing on an ended arrangement.
        browser.goto(&format!("{path}?gelukt=regeling-gestart"));
        assert!(!browser.text().contains("U heeft het voorstel aangenomen"), "{}", browser.text());
    }

    fn a_paid_off_arrangement_says_on_its_page_that_nothing_more_is_asked(app) {
        seed(&app);
        let arrangement = accepted_through_the_api(&app);
        let path = format!("/mijn/regelingen/{}", arrangement["id"].as_str().unwrap());
        let mut visitor = Visitor::login_citizen(&app, BSNS[0]);
        assert!(html_page(&visitor.get(&path), 200).contains("Deze regeling loopt sinds"));
        app.clock.advance(chrono::Duration::days(20));
        app.post_events("CJIB", json!([payment("P1", "CJIB-1", "298.75")])).succeeded();
        app.post_events("DUO", json!([payment("P2", "DUO-1", "1050.00")])).succeeded();
        // Twenty days on the session has lapsed: log in again.
        let mut visitor = Visitor::login_citizen(&app, BSNS[0]);
        let page = visitor.get(&path);
        let text = html_page(&page, 200);
        assert!(text.contains("Alles in deze regeling is betaald") && !text.contains("Deze regeling loopt sinds"), "{text}");
        let list = visitor.get("/mijn/regelingen");
        assert!(html_page(&list, 200).contains("alles betaald"), "the list says so too");
    }

    fn a_debt_remitted_in_a_running_arrangement_is_shown_as_written_off_not_as_arrears(app) {
        seed(&app);
        let arrangement = accepted_through_the_api(&app);
        let first = &arrangement["schema"][0];
        app.clock.advance(chrono::Duration::days(40));
        app.post_events("DUO", json!([remission("R1", "DUO-1", "1050.00")])).succeeded();
        let path = format!("/mijn/regelingen/{}", arrangement["id"].as_str().unwrap());
        let mut visitor = Visitor::login_citizen(&app, BSNS[0]);
        let page = visitor.get(&path);
        let text = html_page(&page, 200);
        assert!(text.contains("Kwijtgescholden of ingetrokken") && text.contains("€\u{a0}1.050,00 van wat het schema vroeg. Dat hoeft niet meer te worden betaald"), "{text}");
        // July is late by CJIB's share alone, not by the whole instalment.
        let cjib = first["aandelen"].as_array().unwrap().iter().find(|s| s["schuldeiser"] == "CJIB").unwrap()["bedrag"].as_str().unwrap().replace('.', ",");
        assert!(text.contains(&format!("1 maand, €\u{a0}{cjib}")), "{cjib}: {text}");
    }

    fn every_page_reads_at_320_pixels_wide_without_scrolling_sideways(app) {
        seed(&app);
        let arrangement = accepted_through_the_api(&app)["id"].as_str().unwrap().to_owned();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let claim = overview["schuldeisers"][0]["vorderingen"][0]["id"].as_str().unwrap().to_owned();
        let client = format!("/schuldhulp/clienten/{}", grant_mandate(&app, BSNS[0], "GKB"));
        // WCAG 1.4.10: 320 CSS pixels is a phone, and 1280 pixels at 400 % zoom.
        let reads_narrow = |browser: &mut Browser, path: &str| {
            browser.goto(path);
            assert_eq!(browser.sideways_overflow(), 0, "{path} scrolls sideways at 320 px");
        };
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        browser.set_width(320);
        reads_narrow(&mut browser, "/inloggen");
        log_in_by_keyboard(&mut browser, BSNS[0]);
        let narrow: i64 = browser.computed_style("body", "width").trim_end_matches("px").parse::<f64>().unwrap() as i64;
        assert!(narrow <= 320, "the window is narrow: {narrow}");
        for path in ["/mijn".to_owned(), "/mijn/regelingen".to_owned(), format!("/mijn/regelingen/{arrangement}"), format!("/mijn/vorderingen/{claim}"), "/mijn/machtigingen".to_owned(), "/normberekening".to_owned()] {
            reads_narrow(&mut browser, &path);
        }
        browser.goto("/mijn/voorstel");
        fill_household(&browser);
        browser.click("form.ri-form button[type=submit]");
        assert!(browser.text().contains("per maand"), "{}", browser.text());
        assert_eq!(browser.sideways_overflow(), 0, "the proposal scrolls sideways at 320 px");

        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        browser.set_width(320);
        log_in_counsellor(&mut browser, "GKB");
        for path in ["/schuldhulp".to_owned(), client.clone(), format!("{client}/regelingen")] {
            reads_narrow(&mut browser, &path);
        }
    }

    fn a_declaration_made_by_mistake_is_ended_on_the_pages(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let declared = citizen.submit("/mijn/andere-regeling", "/mijn/andere-regeling",
            &[("partij", "Woonstad"), ("maandbedrag", "750,00"), ("startdatum", "1-6-2026")]);
        assert_eq!(declared.status, 303, "{}", declared.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        let id = overview["andereRegelingen"][0]["id"].as_str().unwrap().to_owned();
        let path = format!("/mijn/andere-regelingen/{id}/beeindigen");
        let overview_page = citizen.get("/mijn");
        let overview_page = html_page(&overview_page, 200);
        assert!(overview_page.contains(&format!(r#"href="{path}">Beëindigen<span class="ri-visually-hidden">: regeling met Woonstad</span></a>"#)), "a link beside it, saying which: {overview_page}");
        assert!(overview_page.contains(r##"<a class="nl-link" href="#compleet">Lees waarom"##) && overview_page.contains(r#"id="compleet""#), "why it may be incomplete is said once, further down: {overview_page}");
        assert!(overview_page.contains(r#"<th class="utrecht-table__header-cell" scope="row"><strong>Nog te betalen</strong>"#), "a claim's lines are headed by what they are: {overview_page}");
        let page = citizen.get(&path);
        let form = html_page(&page, 200);
        assert!(form.contains("Regeling met Woonstad, vanaf 1 juni 2026, €\u{a0}750,00 per maand."), "{form}");
        // A counsellor of both reaches it under this client's pages only.
        let own_client = grant_mandate(&app, BSNS[0], "GKB");
        let other_client = grant_mandate(&app, BSNS[1], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let under = |mandate: &str| format!("/schuldhulp/clienten/{mandate}/andere-regelingen/{id}/beeindigen");
        html_page(&counsellor.get(&under(&own_client)), 200);
        html_page(&counsellor.get(&under(&other_client)), 404);
        let before = citizen.submit(&path, &path, &[("einddatum", "31-5-2026")]);
        assert!(html_page(&before, 400).contains(r#"id="einddatum-fout""#), "not before its start, said beside the field");
        let ended = citizen.submit(&path, &path, &[("einddatum", "1-6-2026")]);
        assert_eq!(ended.status, 303, "{}", ended.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["andereRegelingen"][0]["einddatum"], "2026-06-01");
        // Ended: no link any more, and an ending cannot bring it back by a later date.
        assert!(!html_page(&citizen.get("/mijn"), 200).contains(&path));
        assert!(html_page(&citizen.get(&path), 409).contains("Deze regeling is al afgelopen."), "says why, not \"not found\"");
        let csrf = csrf_of(&citizen.get("/mijn").text);
        let later = citizen.post(&path, &[("csrf", csrf.as_str()), ("einddatum", "31-12-2030")]);
        assert!(html_page(&later, 400).contains("mag niet na het einde liggen"), "{}", later.text);

        // Another citizen's, or an agency's attachment: not theirs to end.
        let mut other = Visitor::login_citizen(&app, BSNS[1]);
        html_page(&other.get(&path), 404);
        let laid = app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({
            "burgerservicenummer": BSNS[0], "inkomstenbron": "Loon", "maandbedrag": "50.00",
            "startdatum": "2026-03-01", "executoriaal": true})).succeeded().json();
        let agency_path = format!("/mijn/beslagen/{}/beeindigen", laid["id"].as_str().unwrap());
        assert!(!html_page(&citizen.get("/mijn"), 200).contains(&agency_path), "no link: only CJIB changes it");
        html_page(&citizen.get(&agency_path), 404);
        let csrf = csrf_of(&citizen.get("/mijn").text);
        let refused = citizen.post(&agency_path, &[("csrf", csrf.as_str()), ("einddatum", "15-6-2026")]);
        let text = html_page(&refused, 403);
        assert!(text.contains("alleen die kan het wijzigen"), "{text}");
    }

    fn each_change_on_the_pages_is_confirmed_where_the_pages_own_data_shows_it(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let form = citizen.get("/mijn/beslag");
        let form = html_page(&form, 200);
        for optional in ["Kenmerk van het beslag (niet verplicht)", "Netto-inkomen uit deze bron per maand (niet verplicht)", "Beslagvrije voet volgens de beslaglegger (niet verplicht)", "Tot wanneer? (niet verplicht)"] {
            assert!(form.contains(optional), "each field that may stay empty says so the same way: {optional}");
        }
        assert!(form.contains(">Wie legde het beslag?<") && !form.contains("Mag leeg blijven"), "{form}");
        assert!(form.contains("Organisaties die ook beslag leggen op dit inkomen zien deze naam"), "who reads the name, said where it is typed: {form}");
        let declared = citizen.submit("/mijn/beslag", "/mijn/beslag", &[("beslaglegger", "Deurwaarder Jansen"),
            ("inkomstenbron", "Loon"), ("maandbedrag", "120,00"), ("startdatum", "1-5-2026"), ("executoriaal", "ja")]);
        let page = follow(&mut citizen, &declared);
        assert!(page.contains("Opgegeven: beslag van Deurwaarder Jansen op Loon, €\u{a0}120,00 per maand, vanaf 1 mei 2026. Het staat hieronder en telt mee."), "{page}");
        let id = confirmed_id(&declared);

        // Before it ends, an address that claims it ended confirms nothing; one for another
        // person's record neither.
        let forged = format!("/mijn?gelukt=beslag-beeindigd&id={id}");
        assert!(!html_page(&citizen.get(&forged), 200).contains("Beëindigd:"), "not ended yet");
        let mut other = Visitor::login_citizen(&app, BSNS[1]);
        assert!(!html_page(&other.get(&format!("/mijn?gelukt=beslag-opgegeven&id={id}")), 200).contains("Opgegeven:"), "not theirs");
        // Nor for an attachment the agency registered itself: nobody declared it here.
        let by_cjib = app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({"burgerservicenummer": BSNS[0],
            "inkomstenbron": "Loon", "maandbedrag": "50.00", "startdatum": "2026-03-01", "executoriaal": true})).succeeded().json();
        let forged = format!("/mijn?gelukt=beslag-opgegeven&id={}", by_cjib["id"].as_str().unwrap());
        assert!(!html_page(&citizen.get(&forged), 200).contains("Opgegeven:"), "an agency's own");

        let path = format!("/mijn/beslagen/{id}/beeindigen");
        let ended = citizen.submit(&path, &path, &[("einddatum", "30-6-2026")]);
        let page = follow(&mut citizen, &ended);
        assert!(page.contains("Beëindigd: het beslag van Deurwaarder Jansen op Loon loopt van 1 mei 2026 tot en met 30 juni 2026."), "{page}");

        let arrangement = citizen.submit("/mijn/andere-regeling", "/mijn/andere-regeling",
            &[("partij", "Woonstad"), ("maandbedrag", "75,00"), ("startdatum", "1-6-2026")]);
        let page = follow(&mut citizen, &arrangement);
        assert!(page.contains("Opgegeven: regeling met Woonstad, €\u{a0}75,00 per maand, vanaf 1 juni 2026. Zij staat hieronder en telt mee."), "{page}");
        // Ended on a day that has passed: it ran, and counts no more.
        let path = format!("/mijn/andere-regelingen/{}/beeindigen", confirmed_id(&arrangement));
        let ended = citizen.submit(&path, &path, &[("einddatum", "10-6-2026")]);
        let page = follow(&mut citizen, &ended);
        assert!(page.contains("Beëindigd: de regeling met Woonstad liep van 1 juni 2026 tot en met 10 juni 2026."), "{page}");
        // Declared when it had already ended: listed, and said not to count.
        let past = citizen.submit("/mijn/andere-regeling", "/mijn/andere-regeling",
            &[("partij", "Vattenfall"), ("maandbedrag", "25,00"), ("startdatum", "1-1-2026"), ("einddatum", "31-3-2026")]);
        let page = follow(&mut citizen, &past);
        assert!(page.contains("Zij staat hieronder, maar is al afgelopen en telt dus niet meer mee."), "{page}");

        // A counsellor declaring for a client sees it confirmed on the client's overview.
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let form = format!("/schuldhulp/clienten/{mandate}/andere-regeling");
        let by_counsellor = counsellor.submit(&form, &form, &[("partij", "Eneco"), ("maandbedrag", "40,00"), ("startdatum", "1-6-2026")]);
        assert!(by_counsellor.header("location").unwrap().starts_with(&format!("/schuldhulp/clienten/{mandate}?gelukt=regeling-opgegeven&id=")));
        assert!(follow(&mut counsellor, &by_counsellor).contains("Opgegeven: regeling met Eneco"));

        // Mandates: granted, then revoked, each confirmed by name; a revocation claimed for a
        // mandate still in force confirms nothing.
        let granted = citizen.submit("/mijn/machtigingen", "/mijn/machtigingen", &[("schuldhulpverlener", "GKB-AMSTERDAM"), ("geldigTot", "31-12-2026")]);
        let page = follow(&mut citizen, &granted);
        assert!(page.contains("U heeft Schuldhulp GKB-AMSTERDAM gemachtigd, van 15 juni 2026 tot en met 31 december 2026."), "{page}");
        let mandate = confirmed_id(&granted);
        let forged = format!("/mijn/machtigingen?gelukt=ingetrokken&id={mandate}");
        assert!(!html_page(&citizen.get(&forged), 200).contains("is ingetrokken"), "still in force");
        let revoke = format!("/mijn/machtigingen/{mandate}/intrekken");
        let revoked = citizen.submit("/mijn/machtigingen", &revoke, &[("bevestigen", "ja")]);
        let page = follow(&mut citizen, &revoked);
        assert!(page.contains("De machtiging van Schuldhulp GKB-AMSTERDAM is ingetrokken."), "{page}");
        assert!(!page.contains("gemachtigd, van"), "{page}");
    }

    fn a_second_click_on_accept_shows_the_arrangement_the_first_one_started(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (text, action) = proposed(&mut citizen);
        let csrf = csrf_of(&text);
        let first = citizen.post(&action, &[("csrf", csrf.as_str())]);
        let second = citizen.post(&action, &[("csrf", csrf.as_str())]);
        assert_eq!(first.status, 303, "{}", first.text);
        assert_eq!(second.status, 303, "{}", second.text);
        assert_eq!(second.header("location"), first.header("location"), "the same arrangement");
        let list = app.get("/api/v1/betalingsregelingen", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(list["betalingsregelingen"].as_array().map(Vec::len), Some(1), "{list}");
        // Through the API a second acceptance is still refused, and says why.
        let proposal = action.split('/').nth(3).expect("the proposal id");
        let refused = app.post("/api/v1/betalingsregelingen", Some(&app.citizen(BSNS[0])), &json!({"voorstel": proposal}));
        assert!(refused.problem(409)["detail"].as_str().unwrap().contains("al geaccepteerd"));
    }

    fn a_flag_names_whom_to_ask_once_it_holds_not_while_proposed(app) {
        seed(&app);
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({
            "burgerservicenummer": BSNS[0], "inkomstenbron": "Loon", "maandbedrag": "50.00",
            "startdatum": "2026-03-01", "executoriaal": true, "vorderingkenmerken": ["CJIB-1"]})).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (proposal, action) = proposed(&mut citizen);
        assert!(proposal.contains("Een vordering valt onder de Betalingsregeling Rijk én onder een beslag"), "as it would hold: {proposal}");
        assert!(!proposal.contains("Vragen hierover?"), "nothing to ask anyone about yet: {proposal}");
        let accepted = citizen.post(&action, &[("csrf", csrf_of(&proposal).as_str())]);
        assert_eq!(accepted.status, 303, "{}", accepted.text);
        let overview = html_page(&citizen.get("/mijn"), 200).to_owned();
        let flag = overview.split("<div class=\"utrecht-alert utrecht-alert--warning\">")
            .find(|f| f.contains("Een vordering valt onder de Betalingsregeling Rijk én onder een beslag")).expect("the flag, now it holds");
        assert!(flag.contains(r#"<li>Centraal Justitieel Incassobureau, <a class="nl-link" href="https://www.cjib.nl">website van Centraal Justitieel Incassobureau</a></li>"#), "{flag}");
    }

    fn a_counsellor_stops_a_clients_arrangement_only_after_confirming(app) {
        seed(&app);
        let arrangement = accepted_through_the_api(&app);
        let id = arrangement["id"].as_str().unwrap();
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let page = format!("/schuldhulp/clienten/{mandate}/regelingen/{id}");
        let stop = format!("{page}/beeindigen");
        let status = || app.get(&format!("/api/v1/betalingsregelingen/{id}"), Some(&app.citizen(BSNS[0]))).json()["status"].clone();

        assert!(html_page(&counsellor.get(&page), 200).contains("Schrijf er niets in over gezondheid, gezin of andere persoonlijke omstandigheden."),
            "every creditor keeps the reason: the form says to keep it short and impersonal");
        let asked = counsellor.submit(&page, &stop, &[("reden", "Cliënt gaat naar de schuldhulpverlening")]);
        let text = html_page(&asked, 200);
        assert!(text.contains("Weet u zeker dat u de regeling van uw cliënt wilt stoppen?") && text.contains("“Cliënt gaat naar de schuldhulpverlening”"), "{text}");
        assert_eq!(status(), "LOPEND", "asking changes nothing");
        // What the confirmation posts back: the same reason, confirmed.
        let confirm = Regex::new(r#"name="reden" value="([^"]*)"[^>]*>\s*<input type="hidden" name="bevestigen" value="ja">"#).unwrap();
        let reason = confirm.captures(&asked.text).expect("the reason carried to the confirmation")[1].to_owned();
        let stopped = counsellor.submit(&page, &stop, &[("reden", reason.as_str()), ("bevestigen", "ja")]);
        assert_eq!(stopped.status, 303, "{}", stopped.text);
        assert_eq!(stopped.header("location"), Some(format!("{page}?gelukt=regeling-gestopt#inhoud").as_str()));
        assert_eq!(status(), "BEEINDIGD");
        // Once stopped there is nothing to confirm: asking again is refused, not asked.
        let again = counsellor.submit(&page, &stop, &[("reden", "Nog eens")]);
        assert_eq!(again.status, 409, "{}", again.text);
    }

    fn a_counsellor_lists_every_arrangement_of_a_client_also_the_ended_ones(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (text, action) = proposed(&mut citizen);
        let accepted = citizen.post(&action, &[("csrf", csrf_of(&text).as_str())]);
        let arrangement = id_after(accepted.header("location").expect("started"), "/mijn/regelingen/").to_owned();
        app.post(&format!("/api/v1/betalingsregelingen/{arrangement}/beeindigen"), Some(&app.citizen(BSNS[0])), &json!({"reden": "Ik betaal het zelf af"})).succeeded();
        assert!(html_page(&citizen.get("/mijn"), 200).contains("href=\"/mijn/regelingen\""), "the overview links to every arrangement");

        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let client = format!("/schuldhulp/clienten/{mandate}");
        assert!(html_page(&counsellor.get(&client), 200).contains(&format!("href=\"{client}/regelingen\"")), "and the client's overview too");
        let list = counsellor.get(&format!("{client}/regelingen"));
        let text = html_page(&list, 200);
        assert!(text.contains("Betalingsregelingen van uw cliënt") && text.contains("beëindigd"), "{text}");
        assert!(text.contains(&format!("href=\"{client}/regelingen/{arrangement}\"")), "each links to its page under the client's: {text}");
        // Another organisation without a mandate finds nothing; the read is in the citizen's log.
        let mut other = Visitor::login_counsellor(&app, "GKB-AMSTERDAM");
        html_page(&other.get(&format!("{client}/regelingen")), 404);
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        let read_by_counsellor = log["regels"].as_array().unwrap().iter()
            .any(|r| r["handeling"] == "BETALINGSREGELING_INGEZIEN" && r["organisatie"] == "GKB");
        assert!(read_by_counsellor, "{log}");
    }

    fn a_proposal_that_no_longer_holds_says_why_beside_the_form_for_a_new_one(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (text, action) = proposed(&mut citizen);
        app.post_events("CJIB", json!([payment("P9", "CJIB-1", "10.00")])).succeeded();
        let refused = citizen.post(&action, &[("csrf", csrf_of(&text).as_str())]);
        let page = html_page(&refused, 409);
        assert!(page.contains("dus dit voorstel klopt niet meer") && page.contains("Het openstaande bedrag van vordering CJIB-1"), "{page}");
        assert!(page.contains("action=\"/mijn/voorstel\"") && page.contains("Wat is uw leefsituatie?"), "the form for a new one: {page}");
    }

    fn a_proposal_for_a_half_year_without_amounts_says_so_and_cannot_be_accepted(app) {
        seed(&app);
        app.clock.advance(chrono::Duration::days(166));
        // 28 November: first due on 1 December, under the July table.
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (_, action) = proposed(&mut citizen);
        // 2 December: an arrangement would start on 1 January 2027; the session has lapsed.
        app.clock.advance(chrono::Duration::days(4));
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let form = html_page(&citizen.get("/mijn/voorstel"), 200).to_owned();
        let refused = citizen.post(&action, &[("csrf", csrf_of(&form).as_str())]);
        let page = html_page(&refused, 409);
        assert!(page.contains("begint op of na 1 januari 2027") && page.contains("nog niet in deze dienst vastgelegd"), "{page}");
        let fields = [("leefvorm", "ALLEENSTAANDE"), ("nettoInkomen", INCOME), ("belastbaarJaarinkomen", TAXABLE)];
        let page = citizen.submit("/mijn/voorstel", "/mijn/voorstel", &fields);
        let page = html_page(&page, 200);
        assert!(page.contains("Een betalingsregeling is niet mogelijk") && page.contains("art. 475da lid 8 Rv"), "{page}");
        assert!(page.contains("U kunt een nieuw voorstel aanvragen zodra de nieuwe bedragen zijn vastgelegd"), "{page}");
        assert!(!page.contains("/accepteren") && !page.contains("Ons advies"), "nothing to accept, no advice to seek debt help: {page}");
    }

    fn a_proposal_that_runs_into_a_half_year_whose_amounts_are_known_plans_on_them_and_says_so(app) {
        seed(&app);
        // 4348.75 in all: at 668.57 a month the seventh instalment falls on 1 January 2027.
        app.post_events("DUO", json!([imposed("D3", "DUO-2", BSNS[0], "duo_studieschuld", "3000.00")])).succeeded();
        app.post("/api/v1/normtabellen", Some(&app.admin()), &next_table(&app)).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (page, _) = proposed(&mut citizen);
        assert!(page.contains("U betaalt €\u{a0}649,57 per maand"), "19.00 less than July leaves: {page}");
        assert!(page.contains("Vanaf 1 januari 2027 gelden nieuwe bedragen (art. 475da lid 8 Rv): dan is uw beslagvrije voet €\u{a0}1.367,49."), "{page}");
    }

    fn a_proposal_still_valid_on_its_first_due_date_says_beside_the_form_that_it_then_starts_later(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (page, _) = proposed(&mut citizen);
        assert!(page.contains("van 1 juli 2026") && !page.contains("begint de regeling later"), "valid until 29 June: {page}");
        app.clock.advance(chrono::Duration::days(5));
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let (page, action) = proposed(&mut citizen);
        assert!(page.contains("Neemt u het op of na 1 juli 2026 aan, dan begint de regeling later dan hierboven staat"), "valid until 4 July: {page}");
        // Accepted on 1 July, as the page said: it starts on 1 August.
        app.clock.advance(chrono::Duration::days(11));
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let accepted = citizen.submit("/mijn", &action, &[]);
        let arrangement = follow(&mut citizen, &accepted);
        assert!(arrangement.contains("van 1 augustus 2026 tot en met") && arrangement.contains("uiterlijk 1 augustus 2026"), "{arrangement}");
    }

    fn without_the_norm_table_of_todays_half_year_the_overview_gives_the_norm_as_at_least_and_says_why(app) {
        seed(&app);
        // 5 January 2027, with only the tables of 2026.
        app.clock.advance(chrono::Duration::days(204));
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({
            "burgerservicenummer": BSNS[0], "inkomstenbron": "Loon", "nettoInkomenBron": "2100.00",
            "leefvormAangenomen": "ALLEENSTAANDE", "belastbaarJaarinkomen": "23000.00",
            "maandbedrag": "100.00", "beslagvrijeVoet": "1367.49", "startdatum": "2027-01-02",
            "executoriaal": true})).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let page = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(page.contains("ten minste €\u{a0}1.348,49"), "a euro sign keeps to its amount: {page}");
        assert!(page.contains("vanaf 1 januari 2027 gelden, zijn nog niet in deze dienst"), "{page}");
        assert!(!page.contains("Wat na de beslagen en regelingen per maand nog voor andere schulden kan"), "no safe rest to show: {page}");
    }

    fn the_overview_invites_an_arrangement_only_while_a_claim_could_go_into_one(app) {
        seed(&app);
        let invites = "Een Betalingsregeling Rijk aanvragen";
        let mut nobody = Visitor::login_citizen(&app, BSNS[4]);
        assert!(!html_page(&nobody.get("/mijn"), 200).contains(invites), "nothing is owed");
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        assert!(html_page(&citizen.get("/mijn"), 200).contains(invites));
        let (text, action) = proposed(&mut citizen);
        assert_eq!(citizen.post(&action, &[("csrf", csrf_of(&text).as_str())]).status, 303);
        assert!(!html_page(&citizen.get("/mijn"), 200).contains(invites), "every claim is in the arrangement");
    }

    fn in_the_wsnp_the_overview_invites_no_arrangement_and_a_proposal_says_why(app) {
        seed(&app);
        grant_mandate(&app, BSNS[0], "GKB");
        let wsnp = || register_trajectory(&app, "GKB", BSNS[0], "WSNP").succeeded().json();
        let trajectory = wsnp();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let overview = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(!overview.contains("Een Betalingsregeling Rijk aanvragen"), "{overview}");
        assert!(overview.contains("Beslagen die al liepen, zijn vervallen op de dag van de uitspraak (art. 301 lid 3 Faillissementswet)")
            && overview.contains("Meld dat dan aan de bewindvoerder"), "{overview}");
        assert!(overview.contains("Voor schulden van vóór de uitspraak krijgen zij hun geld nu alleen via de bewindvoerder")
            && overview.contains("(art. 299a)") && overview.contains("na de uitspraak ontstaan, vallen er meestal niet onder"),
            "only the debts the scheme covers (art. 299, 299a Fw): {overview}");
        assert!(!overview.contains("(de schuldenpauze)"), "the Wsnp is no pause: {overview}");
        let form = [("leefvorm", "ALLEENSTAANDE"), ("nettoInkomen", INCOME), ("belastbaarJaarinkomen", TAXABLE)];
        let page = citizen.submit("/mijn/voorstel", "/mijn/voorstel", &form);
        let page = html_page(&page, 200);
        assert!(page.contains("U zit in de wettelijke schuldsanering (Wsnp)") && page.contains("art. 299 Faillissementswet"), "{page}");
        assert!(page.contains("of een hoger bedrag dat de rechter-commissaris vaststelt (art. 295 lid 2 en 3"), "{page}");
        assert!(!page.contains("/accepteren") && !page.contains("Ons advies"), "nothing to accept, no advice to seek the help they have: {page}");
        let running = "Er loopt nog een Betalingsregeling Rijk. In de schuldsanering";
        assert!(!overview.contains(running), "{overview}");

        // An arrangement accepted before a Wsnp began is pointed out beside it.
        app.send("PATCH", &format!("/api/v1/schuldhulptrajecten/{}", trajectory["id"].as_str().unwrap()), Some(&app.counsellor("GKB")),
            Some(("application/merge-patch+json", json!({"einddatum": "2026-06-15"}).to_string()))).succeeded();
        let (text, action) = proposed(&mut citizen);
        let accepted = citizen.post(&action, &[("csrf", csrf_of(&text).as_str())]);
        assert_eq!(accepted.status, 303);
        let arrangement = format!("/mijn/regelingen/{}", id_after(accepted.header("location").expect("started"), "/mijn/regelingen/"));
        let stop = |citizen: &mut Visitor| {
            let asked = citizen.submit(&arrangement, &format!("{arrangement}/beeindigen"), &[("reden", "Schuldsanering")]);
            html_page(&asked, 200).to_owned()
        };
        let paused = register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded().json();
        let page = html_page(&citizen.get(&arrangement), 200).to_owned();
        assert!(page.contains("Stopt de regeling, dan pauzeren de organisaties hun invordering zolang het schuldhulptraject loopt.")
            && page.contains("Volgende betaling"), "beside municipal debt help it asks on: {page}");
        assert!(stop(&mut citizen).contains("Zolang het schuldhulptraject loopt, pauzeren zij hun invordering."));
        app.send("PATCH", &format!("/api/v1/schuldhulptrajecten/{}", paused["id"].as_str().unwrap()), Some(&app.counsellor("GKB")),
            Some(("application/merge-patch+json", json!({"fase": "WSNP"}).to_string()))).succeeded();
        let overview = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(overview.contains(running) && overview.contains("Overleg met de bewindvoerder"), "{overview}");
        // A payment by the person on a debt the scheme covers would be void (art. 306 Fw): the
        // arrangement's page asks none, and says what stopping it means there.
        let page = html_page(&citizen.get(&arrangement), 200).to_owned();
        assert!(page.contains("<strong>Betaal niet meer op deze regeling.</strong> U zit in de wettelijke schuldsanering")
            && page.contains("telt niet (art. 306 en 308 Faillissementswet). Centraal Justitieel Incassobureau is gevraagd geen termijnen meer te innen."), "{page}");
        assert!(!page.contains("Volgende betaling") && !page.contains("Achterstand"), "{page}");
        assert!(page.contains("Stopt de regeling, dan worden de schulden erin waarvoor de schuldsanering werkt alleen via de bewindvoerder betaald"), "{page}");
        let asked = stop(&mut citizen);
        assert!(asked.contains("Zolang de schuldsanering loopt, kan er geen nieuwe Betalingsregeling Rijk komen.")
            && !asked.contains("Vraag dan een nieuw voorstel aan"), "{asked}");
    }

    fn the_overview_warns_ahead_of_a_shortfall_an_attachment_known_now_will_cause(app) {
        seed(&app);
        let body = |amount: &str, start: &str| json!({"burgerservicenummer": BSNS[0], "inkomstenbron": "Loon", "nettoInkomenBron": "2100.00",
            "leefvormAangenomen": "ALLEENSTAANDE", "belastbaarJaarinkomen": "23000.00", "maandbedrag": amount, "startdatum": start, "executoriaal": true});
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &body("500.00", "2026-03-01")).succeeded();
        app.post("/api/v1/beslagen", Some(&app.agency("DUO")), &body("300.00", "2026-08-01")).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let page = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(page.contains("Straks houdt u te weinig over")
            && page.contains("Vanaf 1 augustus 2026 houdt u €\u{a0}48,49 per maand minder over dan de beslagvrije voet"), "{page}");
        assert!(!page.contains("Wij zien geen beslagen of regelingen die samen te veel"), "{page}");
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let client = html_page(&counsellor.get(&format!("/schuldhulp/clienten/{mandate}")), 200).to_owned();
        assert!(client.contains("Straks houdt uw cliënt te weinig over") && client.contains("houdt uw cliënt €\u{a0}48,49"), "{client}");
    }

    fn a_declared_attachment_or_arrangement_is_corrected_on_the_pages_filled_in_as_it_stands(app) {
        seed(&app);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let declared = citizen.submit("/mijn/beslag", "/mijn/beslag", &[("beslaglegger", "Deurwaarder Jansen"),
            ("beslagkenmerk", "DJ-1"), ("inkomstenbron", "Loon"), ("nettoInkomenBron", "2.100,00"), ("maandbedrag", "1.000,00"),
            ("startdatum", "1-3-2026"), ("executoriaal", "ja")]);
        let id = confirmed_id(&declared);
        let form = format!("/mijn/beslagen/{id}/wijzigen");
        assert!(follow(&mut citizen, &declared).contains(&format!("href=\"{form}\">Wijzigen")), "linked from its row");
        let page = html_page(&citizen.get(&form), 200).to_owned();
        assert!(page.contains("<h1 class=\"nl-heading nl-heading--level-1\">Beslag wijzigen</h1>")
            && page.contains("Beslag van Deurwaarder Jansen op Loon") && page.contains("Klopt er iets niet? Verbeter het hier."), "{page}");
        for (name, value) in [("beslagkenmerk", "DJ-1"), ("maandbedrag", "1.000,00"), ("nettoInkomenBron", "2.100,00"), ("startdatum", "01-03-2026")] {
            assert!(Regex::new(&format!(r#"name="{name}"[^>]*value="{value}""#)).unwrap().is_match(&page), "{name} filled in: {page}");
        }
        assert!(!page.contains("name=\"beslaglegger\""), "the party stays: {page}");
        assert!(page.contains("De beslaglegger verandert hier niet"), "{page}");
        let stand = Regex::new(r#"name="stand" value="([0-9a-f]{64})""#).unwrap().captures(&page).expect("the values it was filled in with")[1].to_owned();
        // A refused correction comes back at the form with the problem; nothing changed.
        let refused = citizen.submit(&form, &form, &[("stand", &stand), ("inkomstenbron", "Loon"), ("maandbedrag", "veel"), ("startdatum", "01-03-2026"), ("executoriaal", "ja")]);
        assert!(html_page(&refused, 400).contains("moet een bedrag in euro zijn"), "{}", refused.text);
        let corrected = citizen.submit(&form, &form, &[("stand", &stand), ("inkomstenbron", "Loon"), ("nettoInkomenBron", "2.100,00"), ("maandbedrag", "100,00"),
            ("startdatum", "01-03-2026"), ("executoriaal", "ja")]);
        let page = follow(&mut citizen, &corrected);
        assert!(page.contains("Gewijzigd: beslag van Deurwaarder Jansen op Loon, €\u{a0}100,00 per maand, vanaf 1 maart 2026."), "{page}");
        let read = app.get(&format!("/api/v1/beslagen/{id}"), Some(&app.citizen(BSNS[0]))).json();
        assert_eq!((read["maandbedrag"].as_str(), read["beslagkenmerk"].as_str()), (Some("100.00"), None), "a field left empty is cleared: {read}");
        // A second tab still holding the first values changes nothing: it shows what now stands.
        let stale = citizen.submit(&form, &form, &[("stand", &stand), ("inkomstenbron", "Salaris"), ("maandbedrag", "1.000,00"), ("startdatum", "01-03-2026"), ("executoriaal", "ja")]);
        let text = html_page(&stale, 409).to_owned();
        assert!(text.contains("Dit is intussen gewijzigd") && Regex::new(r#"name="maandbedrag"[^>]*value="100,00""#).unwrap().is_match(&text), "{text}");
        let read = app.get(&format!("/api/v1/beslagen/{id}"), Some(&app.citizen(BSNS[0]))).json();
        assert_eq!((read["maandbedrag"].as_str(), read["inkomstenbron"].as_str()), (Some("100.00"), Some("Loon")), "{read}");
        // Once ended, it stays as it ran: neither form nor correction, and the page says why.
        let end = format!("/mijn/beslagen/{id}/beeindigen");
        let ended = citizen.submit(&end, &end, &[("einddatum", "10-6-2026")]);
        follow(&mut citizen, &ended);
        assert!(html_page(&citizen.get(&form), 409).contains("Dit beslag is al afgelopen."));
        let made_up = citizen.get(&format!("/mijn?gelukt=beslag-ongewijzigd&id={id}"));
        assert!(!html_page(&made_up, 200).contains("Niets gewijzigd"), "an ended one cannot have been saved unchanged");
        let fresh = csrf_of(&citizen.get("/mijn").text);
        let revived = citizen.post(&form, &[("csrf", &fresh), ("stand", &stand), ("inkomstenbron", "Loon"), ("maandbedrag", "1,00"), ("startdatum", "01-03-2026"), ("executoriaal", "ja")]);
        assert!(html_page(&revived, 409).contains("Dit beslag is al afgelopen."), "{}", revived.text);
        let read = app.get(&format!("/api/v1/beslagen/{id}"), Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(read["einddatum"], "2026-06-10", "still ended: {read}");
        // Another citizen reaches neither the form nor the correction.
        let mut other = Visitor::login_citizen(&app, BSNS[1]);
        html_page(&other.get(&form), 404);
        let csrf = csrf_of(&other.get("/mijn/machtigingen").text);
        html_page(&other.post(&form, &[("csrf", &csrf), ("inkomstenbron", "Loon"), ("maandbedrag", "1,00"), ("startdatum", "01-03-2026"), ("executoriaal", "ja")]), 404);

        // A counsellor corrects a client's other arrangement, party included.
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let declare = format!("/schuldhulp/clienten/{mandate}/andere-regeling");
        let declared = counsellor.submit(&declare, &declare, &[("partij", "Enco"), ("maandbedrag", "40,00"), ("startdatum", "1-6-2026")]);
        let form = format!("/schuldhulp/clienten/{mandate}/andere-regelingen/{}/wijzigen", confirmed_id(&declared));
        let page = html_page(&counsellor.get(&form), 200).to_owned();
        assert!(page.contains("Regeling wijzigen") && page.contains("rekenen we opnieuw na of uw cliënt genoeg overhoudt"), "{page}");
        let stand = Regex::new(r#"name="stand" value="([0-9a-f]{64})""#).unwrap().captures(&page).expect("the values it was filled in with")[1].to_owned();
        let corrected = counsellor.submit(&form, &form, &[("stand", &stand), ("partij", "Eneco"), ("maandbedrag", "45,00"), ("startdatum", "01-06-2026")]);
        assert!(follow(&mut counsellor, &corrected).contains("Gewijzigd: regeling met Eneco, €\u{a0}45,00 per maand, vanaf 1 juni 2026."));
        // Saved again as it stands, nothing changes and nothing is logged as a change.
        let changes = || {
            let log = app.get("/api/v1/inzagelog?aantal=100", Some(&app.citizen(BSNS[0]))).json();
            log["regels"].as_array().unwrap().iter().filter(|r| r["handeling"] == "OPGEGEVEN_REGELING_GEWIJZIGD").count()
        };
        assert_eq!(changes(), 1);
        let page = html_page(&counsellor.get(&form), 200).to_owned();
        let stand = Regex::new(r#"name="stand" value="([0-9a-f]{64})""#).unwrap().captures(&page).expect("the values it was filled in with")[1].to_owned();
        let again = counsellor.submit(&form, &form, &[("stand", &stand), ("partij", "Eneco"), ("maandbedrag", "45,00"), ("startdatum", "01-06-2026")]);
        let page = follow(&mut counsellor, &again);
        assert!(page.contains("Niets gewijzigd, dit stond al zo vast: regeling met Eneco, €\u{a0}45,00 per maand, vanaf 1 juni 2026.") && !page.contains("Gewijzigd:"), "{page}");
        assert_eq!(changes(), 1, "an unchanged save is no change");
    }

    fn a_counsellor_reads_an_arrangement_started_and_stopped_with_its_figures_and_reason(app) {
        seed(&app);
        grant_mandate(&app, BSNS[0], "GKB");
        let arrangement = accepted_through_the_api(&app);
        let id = arrangement["id"].as_str().unwrap();
        app.post(&format!("/api/v1/betalingsregelingen/{id}/beeindigen"), Some(&app.citizen(BSNS[0])),
            &json!({"reden": "Ik ga naar de schuldhulpverlening."})).succeeded();
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let page = html_page(&counsellor.get("/schuldhulp/meldingen"), 200).to_owned();
        let fact = |name: &str, value: &str| format!("{name}</dt><dd class=\"rhc-data-summary__item-value\">{value}</dd>");
        let (ended, started) = page.split_once("Betalingsregeling Rijk gestart").expect("both, the end first");
        assert!(ended.contains("Betalingsregeling Rijk beëindigd") && ended.contains(&fact("Reden", "Ik ga naar de schuldhulpverlening.")), "{ended}");
        for expected in [fact("Per maand", "€\u{a0}668,57"), fact("Eerste termijn", "1 juli 2026")] {
            assert!(started.contains(&expected), "{expected}: {started}");
        }
    }

    fn the_client_list_puts_a_client_who_keeps_too_little_to_live_on_first(app) {
        seed(&app);
        let label = |mandate: &str| format!("Cliënt zonder kenmerk (machtiging {})", mandate[mandate.len() - 8..].to_uppercase());
        let plain = grant_mandate(&app, BSNS[2], "GKB");
        let ending = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[1])), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-07-10"}))
            .succeeded().json()["id"].as_str().unwrap().to_owned();
        let short = grant_mandate(&app, BSNS[0], "GKB");
        let later = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[3])), &json!({"schuldhulpverlener": "GKB", "geldigVanaf": "2026-07-01", "geldigTot": "2026-07-20"}))
            .succeeded().json()["id"].as_str().unwrap().to_owned();
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({"burgerservicenummer": BSNS[0], "inkomstenbron": "Loon",
            "nettoInkomenBron": "2100.00", "leefvormAangenomen": "ALLEENSTAANDE", "belastbaarJaarinkomen": "23000.00",
            "maandbedrag": "1000.00", "startdatum": "2026-03-01", "executoriaal": true})).succeeded();
        // Without the taxable income, whether 560.00 leaves too little depends on the norm.
        let maybe = grant_mandate(&app, BSNS[4], "GKB");
        app.post_events("CJIB", json!([imposed("M1", "CJIB-M", BSNS[4], "cjib_boete", "900.00")])).succeeded();
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({"burgerservicenummer": BSNS[4], "inkomstenbron": "Loon",
            "nettoInkomenBron": "2100.00", "leefvormAangenomen": "ALLEENSTAANDE",
            "maandbedrag": "560.00", "startdatum": "2026-03-01", "executoriaal": true})).succeeded();
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let page = html_page(&counsellor.get("/schuldhulp"), 200).to_owned();
        let at = |mandate: &str| page.find(&label(mandate)).unwrap_or_else(|| panic!("{mandate} listed: {page}"));
        assert!(at(&short) < at(&maybe) && at(&maybe) < at(&ending) && at(&ending) < at(&plain) && at(&plain) < at(&later), "most pressing first: {page}");
        let row = |mandate: &str| {
            let start = at(mandate);
            page[start..].split("</tr>").next().unwrap().to_owned()
        };
        assert!(row(&short).contains("Uw cliënt houdt te weinig over om van te leven"), "{}", row(&short));
        assert!(row(&ending).contains("De machtiging loopt op 10 juli 2026 af. Daarna kunt u niets meer voor deze cliënt doen, tot die u opnieuw machtigt; dat kan vanaf de dag erna"), "{}", row(&ending));
        assert!(row(&plain).contains("Geen signalen"), "{}", row(&plain));
        assert!(row(&maybe).contains("Misschien houdt uw cliënt te weinig over om van te leven: gegevens ontbreken") && !row(&maybe).contains("Geen signalen"), "{}", row(&maybe));
        assert!(row(&later).contains("Nog niet te zien: de machtiging gaat later in"), "{}", row(&later));
        // Each citizen whose signals were read sees it in their log, one line for each look at
        // the list, under the mandate; the one not yet mandated saw only the mandate read.
        html_page(&counsellor.get("/schuldhulp"), 200);
        let logged = |bsn: &str, action: &str| {
            let log = app.get("/api/v1/inzagelog", Some(&app.citizen(bsn))).json();
            log["regels"].as_array().unwrap().iter().filter(|r| r["handeling"] == action && r["organisatie"] == "GKB")
                .map(|r| r["onderwerp"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>()
        };
        assert_eq!(logged(BSNS[0], "CLIENTENLIJST_INGEZIEN"), [short.clone(), short.clone()]);
        assert!(logged(BSNS[0], "MACHTIGINGEN_INGEZIEN").is_empty());
        assert!(logged(BSNS[3], "CLIENTENLIJST_INGEZIEN").is_empty());
        assert_eq!(logged(BSNS[3], "MACHTIGINGEN_INGEZIEN"), [later.clone(), later.clone()]);
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let own = html_page(&citizen.get("/mijn/inzagelog"), 200).to_owned();
        assert!(own.contains("Uw schuldhulpverlener zag u in de lijst van cliënten, met de signalen van samenloop over uw beslagen en regelingen (2 keer, sinds 12:00)."), "one line: {own}");
    }

    fn a_shortfall_speaks_to_the_person_and_to_their_counsellor_about_the_client(app) {
        seed(&app);
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({"burgerservicenummer": BSNS[0], "inkomstenbron": "Loon",
            "nettoInkomenBron": "2100.00", "leefvormAangenomen": "ALLEENSTAANDE", "belastbaarJaarinkomen": "23000.00",
            "maandbedrag": "1000.00", "startdatum": "2026-03-01", "executoriaal": true})).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let page = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(page.contains("U houdt te weinig over om van te leven") && page.contains("Van uw netto-inkomen van €\u{a0}2.100,00 per maand moet u ten minste")
            && page.contains("(uw beslagvrije voet)"), "{page}");
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let client = html_page(&counsellor.get(&format!("/schuldhulp/clienten/{mandate}")), 200).to_owned();
        assert!(client.contains("Uw cliënt houdt te weinig over om van te leven")
            && client.contains("Van het netto-inkomen van uw cliënt van €\u{a0}2.100,00 per maand moet uw cliënt ten minste")
            && client.contains("Uw cliënt houdt daardoor"), "{client}");
        assert!(!client.contains("moet u ten minste") && !client.contains("U houdt daardoor"), "{client}");
    }

    fn a_declared_attachment_a_creditor_also_registered_is_pointed_out_beside_it(app) {
        seed(&app);
        let body = |party: Option<&str>| {
            let mut body = json!({"burgerservicenummer": BSNS[0], "inkomstenbron": "Loon", "maandbedrag": "50.00",
                "startdatum": "2026-03-01", "executoriaal": true});
            if let Some(party) = party {
                body["beslaglegger"] = json!(party);
            }
            body
        };
        let declared = app.post("/api/v1/beslagen", Some(&app.citizen(BSNS[0])), &body(Some("CJIB"))).succeeded().json();
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &body(None)).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let page = html_page(&citizen.get("/mijn"), 200).to_owned();
        let row = page.split("<tr>").find(|row| row.contains(&format!("/mijn/beslagen/{}/beeindigen", declared["id"].as_str().unwrap())))
            .expect("the declared attachment's row, with its ending link");
        assert!(row.contains("U gaf een beslag van CJIB op.") && row.contains("nu telt het twee keer mee bij wat u overhoudt"), "{row}");
        // Samenloop names the registered creditor as the person knows it (by the registry's name,
        // not its code) beside the party as the person typed it.
        assert!(page.contains("Er ligt beslag van 2 verschillende partijen: CJIB en Centraal Justitieel Incassobureau."), "{page}");
        // Whom to ask about it: the government creditor concerned, as the registry reaches it.
        let flag = page.split("<div class=\"utrecht-alert utrecht-alert--warning\">").find(|f| f.contains("Meer dan één partij legt beslag"))
            .expect("the flag");
        assert!(flag.contains(r#"Vragen hierover? Neem contact op met:</p>"#)
            && flag.contains(r#"<li>Centraal Justitieel Incassobureau, <a class="nl-link" href="https://www.cjib.nl">website van Centraal Justitieel Incassobureau</a></li>"#), "{flag}");
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let client = html_page(&counsellor.get(&format!("/schuldhulp/clienten/{mandate}")), 200).to_owned();
        assert!(client.contains("Voor uw cliënt is een beslag van CJIB opgegeven."), "spoken to the counsellor: {client}");
    }

    fn an_impossible_proposal_is_explained_once_and_to_whom_reads_it(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB");
        // 5 % of 300.00 is 15.00 a month: 90 months, beyond the longest term.
        let form = [("leefvorm", "ALLEENSTAANDE"), ("nettoInkomen", "300,00")];
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let own = citizen.submit("/mijn/voorstel", "/mijn/voorstel", &form);
        let own = html_page(&own, 200);
        assert_eq!(own.matches("loopt hoogstens 36 maanden").count(), 1, "said once: {own}");
        assert!(own.contains("<title>Een betalingsregeling is niet mogelijk – Mijn Rijksincasso</title>"), "the title says what the heading says: {own}");
        assert!(own.contains("Neem contact op met de schuldhulpverlening van uw gemeente") && own.contains("Ons advies: vraag hulp bij de schuldhulpverlening van uw gemeente"), "{own}");
        let mut counsellor = Visitor::login_counsellor(&app, "GKB");
        let client = format!("/schuldhulp/clienten/{mandate}/voorstel");
        let page = counsellor.submit(&client, &client, &form);
        let page = html_page(&page, 200);
        assert!(page.contains("Een schuldregeling via de schuldhulpverlening van de gemeente") && page.contains("Hier past een schuldregeling beter")
            && !page.contains("Ons advies"), "about the client, not advice to the counsellor: {page}");
        assert!(page.contains("De beslagvrije voet van uw cliënt: €") && page.contains("Dit bedrag mag uw cliënt elke maand")
            && !page.contains("Uw beslagvrije voet") && own.contains("Uw beslagvrije voet: €"), "the norm too: {page}");
    }

    fn a_citizen_grants_and_revokes_a_mandate_and_reads_who_looked(app) {
        seed(&app);
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        log_in_by_keyboard(&mut browser, BSNS[0]);
        browser.goto("/mijn/machtigingen");
        browser.check_page("machtigingen-leeg");
        browser.select("#schuldhulpverlener", "GKB-AMSTERDAM");
        browser.fill("#geldigTot", "31-12-2026");
        browser.click("form[action='/mijn/machtigingen#machtigen'] button[type=submit]");
        assert!(browser.path().starts_with("/mijn/machtigingen?gelukt=gemachtigd&id="), "{}", browser.path());
        let text = browser.text();
        assert!(text.contains("U heeft Schuldhulp GKB-AMSTERDAM gemachtigd"), "confirmed: {text}");
        assert!(text.contains("Schuldhulp GKB-AMSTERDAM"), "{text}");
        assert!(text.contains("15 juni 2026 tot en met 31 december 2026"), "{text}");
        assert!(text.contains("Geldig"), "{text}");
        browser.check_page("machtigingen");

        // The same organisation again: told beside the form, which keeps what was chosen.
        browser.select("#schuldhulpverlener", "GKB-AMSTERDAM");
        browser.fill("#geldigTot", "30-11-2026");
        browser.click("form[action='/mijn/machtigingen#machtigen'] button[type=submit]");
        let again = browser.text();
        assert!(again.contains("U heeft deze schuldhulpverlener al gemachtigd."), "{again}");
        assert!(again.contains("Welke organisatie machtigt u?"), "the form is still there: {again}");

        // The counsellor looks; the citizen sees it in the access log.
        let counsellor = app.counsellor("GKB-AMSTERDAM");
        app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&counsellor), &json!({"burgerservicenummer": BSNS[0]})).succeeded();
        // A counsellor's system listing its clients again and again: one line, how often.
        for _ in 0..5 {
            app.get("/api/v1/clienten", Some(&counsellor)).succeeded();
        }
        browser.goto("/mijn/inzagelog");
        let log = browser.text();
        assert!(log.contains("Schuldhulpverlener Schuldhulp GKB-AMSTERDAM"), "by its registered name: {log}");
        assert!(log.matches("Uw machtigingen zijn ingezien").count() < 5, "{log}");
        assert!(log.contains("Uw machtigingen zijn ingezien (5 keer, sinds 12:00)."), "{log}");
        assert!(log.contains("U heeft een schuldhulpverlener gemachtigd."), "{log}");
        browser.check_page("inzagelog");

        // Revoking asks once more, saying what follows; going back leaves it in force.
        browser.goto("/mijn/machtigingen");
        browser.tab_to("form[action$='/intrekken'] button");
        browser.press_enter();
        assert_eq!(browser.title(), "Weet u zeker dat u de machtiging van Schuldhulp GKB-AMSTERDAM wilt intrekken? – Mijn Rijksincasso");
        assert!(browser.text().contains("kan daarna uw overzicht en regelingen niet meer zien"), "{}", browser.text());
        browser.check_page("machtiging-intrekken");
        browser.click("form .utrecht-button-group a");
        assert_eq!(browser.path(), "/mijn/machtigingen#machtigingen");
        app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&counsellor), &json!({"burgerservicenummer": BSNS[0]})).succeeded();
        browser.tab_to("form[action$='/intrekken'] button");
        browser.press_enter();
        browser.tab_to("form[action$='/intrekken'] button");
        browser.press_enter();
        assert!(browser.path().starts_with("/mijn/machtigingen?gelukt=ingetrokken&id="), "{}", browser.path());
        assert!(browser.text().contains("Ingetrokken"), "{}", browser.text());
        assert!(browser.text().contains("De machtiging van Schuldhulp GKB-AMSTERDAM is ingetrokken."), "{}", browser.text());
        let refused = app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&counsellor), &json!({"burgerservicenummer": BSNS[0]}));
        assert_eq!(refused.status, 403, "revoking took effect at once");
    }

    fn a_counsellor_keeps_a_dossier_reference_and_proposes_on_behalf_of_a_client(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        log_in_counsellor(&mut browser, "GKB-AMSTERDAM");
        // Named by its mandate, which stays as other clients come and go, not by a place in the list.
        let label = format!("Cliënt zonder kenmerk (machtiging {})", mandate[mandate.len() - 8..].to_uppercase());
        assert!(browser.text().contains(&label), "{}", browser.text());
        browser.check_page("clienten");
        browser.goto(&format!("/schuldhulp/clienten/{mandate}"));
        assert!(browser.text().contains(&format!("In Mijn cliënten heet deze cliënt: {label}.")), "{}", browser.text());
        browser.goto("/schuldhulp");

        // Too long: refused in the client's own row, the typed text kept there to correct.
        let long = "K".repeat(65);
        browser.fill("#kenmerk-1", &long);
        browser.click("form[action$='/kenmerk'] button");
        assert_eq!(browser.value_of("#kenmerk-1"), long);
        assert!(browser.exists("#kenmerk-1[aria-invalid='true']"));
        assert!(browser.text_of("#kenmerk-1-fout").contains("64"), "{}", browser.text());
        assert!(!browser.text().contains("dossierkenmerk: mag"), "not as a raw field name: {}", browser.text());
        assert!(browser.text().contains(&format!("Dossierkenmerk van {label}: mag hoogstens 64")), "the summary names it as the table does: {}", browser.text());
        browser.check_page("clienten-kenmerk-fout");
        browser.fill("#kenmerk-1", "");

        browser.tab_to("#kenmerk-1");
        browser.type_text("GKB-2026-0042");
        browser.tab_to("form[action$='/kenmerk'] button");
        browser.press_enter();
        assert!(browser.path().starts_with("/schuldhulp?gelukt=kenmerk-vastgelegd&id="), "{}", browser.path());
        assert!(browser.text().contains("Uw dossierkenmerk GKB-2026-0042 is vastgelegd."), "{}", browser.text());
        browser.click_link("GKB-2026-0042");
        assert_eq!(browser.path(), format!("/schuldhulp/clienten/{mandate}"));
        let overview = browser.text();
        assert!(overview.contains("Schulden bij de overheid van uw cliënt"), "{overview}");
        assert!(overview.contains("Uw dossierkenmerk: GKB-2026-0042"), "the client's page says whose it is: {overview}");
        assert!(overview.contains("€ 1.348,75"), "{overview}");
        browser.check_page("client-overzicht");

        // Looking a citizen up by BSN: typed in a form body, never in an address.
        browser.goto("/schuldhulp");
        browser.fill("#burgerservicenummer", BSNS[0]);
        browser.click("form[action='/schuldhulp/opzoeken'] button[type=submit]");
        assert_eq!(browser.path(), format!("/schuldhulp/clienten/{mandate}"));

        browser.goto(&format!("/schuldhulp/clienten/{mandate}/voorstel"));
        let form = browser.text();
        assert!(form.contains("Wat is de leefsituatie van uw cliënt?") && form.contains("uw cliënt per maand kan betalen")
            && !form.contains("Wat is uw leefsituatie?"), "spoken to the counsellor about the client: {form}");
        fill_household(&browser);
        browser.click("form.ri-form button[type=submit]");
        let result = browser.text();
        assert!(result.contains("€ 668,57 per maand"), "{result}");
        assert!(result.contains("Voorstel aannemen namens uw cliënt") && result.contains("Doe dit alleen als uw cliënt ermee heeft ingestemd"),
            "the counsellor is told it concludes the arrangement: {result}");
        browser.check_page("client-voorstel");
        browser.click("form[action$='/accepteren'] button[type=submit]");
        let path = browser.path();
        assert!(path.starts_with(&format!("/schuldhulp/clienten/{mandate}/regelingen/")), "{path}: {}", browser.body());
        assert!(browser.text().contains("Deze regeling loopt"));

        // An attachment laid by a private party, declared on the client's behalf.
        browser.goto(&format!("/schuldhulp/clienten/{mandate}/beslag"));
        assert!(browser.text().contains("Ligt er beslag op het inkomen van uw cliënt"), "{}", browser.text());
        browser.check_page("beslag-opgeven");
        browser.fill("#beslaglegger", "Deurwaarder Jansen namens Woonstad");
        browser.fill("#inkomstenbron", "Loon, Bakkerij De Korenschoof");
        browser.fill("#maandbedrag", "250,00");
        browser.fill("#startdatum", "01-06-2026");
        browser.click_radio("executoriaal", "ja");
        browser.click("form.ri-form button[type=submit]");
        assert!(browser.path().starts_with(&format!("/schuldhulp/clienten/{mandate}?gelukt=beslag-opgegeven&id=")), "{}", browser.path());
        let text = browser.text();
        assert!(text.contains("Opgegeven: beslag van Deurwaarder Jansen namens Woonstad op Loon, Bakkerij De Korenschoof"), "confirmed: {text}");
        assert!(text.contains("Deurwaarder Jansen namens Woonstad"), "{text}");
        assert!(text.contains("(opgegeven door schuldhulpverlener "), "who declared it, to the counsellor: {text}");
        // It can be ended from its row.
        browser.click("a[href*='/beslagen/'][href$='/beeindigen']");
        assert!(browser.text().contains("Beslag van Deurwaarder Jansen namens Woonstad"), "{}", browser.text());
        browser.check_page("beslag-beeindigen");
        browser.goto(&format!("/schuldhulp/clienten/{mandate}"));

        // The citizen sees who did this.
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        let actions: Vec<&str> = log["regels"].as_array().unwrap().iter().map(|r| r["handeling"].as_str().unwrap()).collect();
        assert!(actions.contains(&"DOSSIERKENMERK_VASTGELEGD"), "{actions:?}");
        assert!(actions.contains(&"BETALINGSREGELING_AFGESLOTEN"), "{actions:?}");
        assert!(actions.contains(&"BESLAG_GEREGISTREERD"), "{actions:?}");
    }

    fn the_calculator_explains_every_step_without_logging_in(app) {
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        browser.goto("/");
        assert!(browser.text().contains("Wat staat er niet in?"));
        browser.check_page("start");
        browser.click_link("Zonder inloggen uitrekenen hoeveel u mag houden");
        assert_eq!(browser.path(), "/normberekening");
        browser.check_page("normberekening");
        let form = browser.text();
        for legal in [
            "Kinderen tellen mee als ze jonger zijn dan 18 en er kinderbijslag voor is",
            "Woont u bij een ouder of met een kind van 18 of ouder, dan telt dat niet als samenwonen",
            "hypotheekrente, erfpacht en andere kosten van de woning",
            "tot 0,057% van de WOZ-waarde per maand",
            "minstens 10% hoger dan de maximale huurgrens",
            "wat uw partner netto krijgt en waarop geen beslag ligt, met het vakantiegeld",
        ] {
            assert!(form.contains(legal), "the form asks in the law's terms (art. 475ab, 475da lid 5 Rv): {legal}: {form}");
        }
        browser.click_radio("leefvorm", "GEHUWD_OF_SAMENWONEND");
        browser.fill("#nettoInkomen", "2.400,00");
        browser.click("form.ri-form button[type=submit]");
        let problems = browser.text();
        assert!(problems.contains("is verplicht bij gehuwden of samenwonenden"), "the engine's own reason: {problems}");
        browser.check_page("normberekening-fout");

        browser.click_radio("kinderen", "ja");
        browser.fill("#belastbaarJaarinkomen", "30.000");
        browser.fill("#peildatum", "01-07-2026");
        browser.click("form.ri-form button[type=submit]");
        let result = browser.text();
        assert!(result.contains("Uw beslagvrije voet: €"), "{result}");
        assert!(result.contains("gehuwden met een of meer kinderen"), "{result}");
        assert!(result.contains("1 juli 2026"), "{result}");
        assert!(result.contains("art. 475da"), "every step names its source: {result}");
        browser.check_page("normberekening-uitkomst");
    }

    fn every_flow_works_without_javascript(app) {
        seed(&app);
        let mut browser = Browser::open(&app.base, Scripts::Disabled);
        assert!(!browser.runs_scripts(), "this browser must not run page scripts");
        browser.goto("/inloggen");
        browser.fill("#burgerservicenummer", BSNS[0]);
        browser.click("form[action='/inloggen/ontwikkeling'] button[type=submit]");
        assert_eq!(browser.path(), "/mijn");
        assert!(browser.text().contains("€ 1.348,75"));
        browser.goto("/mijn/voorstel");
        fill_household(&browser);
        browser.click("form.ri-form button[type=submit]");
        browser.click("form[action$='/accepteren'] button[type=submit]");
        assert!(browser.path().starts_with("/mijn/regelingen/"));
        browser.goto("/mijn/machtigingen");
        browser.select("#schuldhulpverlener", "GKB");
        browser.fill("#geldigTot", "2026-12-31");
        browser.click("form[action='/mijn/machtigingen#machtigen'] button[type=submit]");
        assert!(browser.text().contains("Schuldhulp GKB"));
        browser.click("form.ri-nav__logout button");
        assert_eq!(browser.path(), "/uitgelogd");
        browser.goto("/mijn");
        assert_eq!(browser.path(), "/inloggen", "logged out means logged out");
    }
}

/// The operator's own pages, linked from every page's footer when configured.
mod footer {
    use super::*;

    fn operator_pages(config: &mut rijksincasso::config::Config) {
        config.web.footer.accessibility =
            Some("https://rijksincasso.example/toegankelijkheid".into());
        config.web.footer.privacy = Some("https://rijksincasso.example/privacy".into());
        config.web.footer.contact = Some("https://rijksincasso.example/contact".into());
    }

    on_both_backends! {
        configured(operator_pages);

        fn every_page_links_the_operators_accessibility_privacy_and_contact_pages(app) {
            seed(&app);
            let links = r#"<ul class="ri-footer__links"><li><a class="nl-link ri-link--inverse" href="https://rijksincasso.example/toegankelijkheid">Toegankelijkheid</a></li><li><a class="nl-link ri-link--inverse" href="https://rijksincasso.example/privacy">Privacy</a></li><li><a class="nl-link ri-link--inverse" href="https://rijksincasso.example/contact">Contact</a></li></ul>"#;
            let mut visitor = Visitor::new(&app);
            for path in ["/", "/inloggen", "/normberekening"] {
                assert!(html_page(&visitor.get(path), 200).contains(links), "{path}");
            }
            assert!(html_page(&visitor.get("/bestaat-niet"), 404).contains(links), "a visitor's error page too");
            let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
            for path in ["/mijn", "/mijn/regelingen"] {
                assert!(html_page(&citizen.get(path), 200).contains(links), "{path}");
            }
            assert!(html_page(&citizen.get("/mijn/regelingen/onbekend"), 404).contains(links), "an error page too");
        }
    }
}
