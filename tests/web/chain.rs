//! The debt-help chain on the pages: a counsellor registers, changes and ends a client's
//! schuldhulptraject and the client and the citizen see it; a saldo-opgave made on the pages
//! shows every surcharge on its own line with totals that add up to the cent, and prints without
//! the menu; a counsellor without the mandate gets nothing.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::browser::{Browser, Scripts};
use crate::fixtures::{feed, imposed, payment, phase, register_trajectory, remission, surcharge};
use crate::on_both_backends;
use crate::pages::{Visitor, csrf_of, html_page, id_after};
use crate::support::{BSNS, TestApp};
use crate::{grant_mandate, log_in_counsellor, seed};

const CJIB: &str = "Centraal Justitieel Incassobureau";
const DUO: &str = "Dienst Uitvoering Onderwijs";

/// What the creditors post on top of `seed`: more claims and a surcharge of every category, a
/// payment and a remission, so that every line and total of a saldo-opgave has something in it.
fn more_events() -> Vec<(&'static str, Value)> {
    vec![
        (
            "CJIB",
            json!([
                imposed("C3", "CJIB-2", BSNS[0], "cjib_boete", "100.00"),
                surcharge("C4", "CJIB-2", "RENTE", "3.17"),
                surcharge("C5", "CJIB-2", "ADMINISTRATIEKOSTEN", "9.00"),
                remission("C6", "CJIB-2", "20.00"),
            ]),
        ),
        (
            "DUO",
            json!([
                surcharge("D3", "DUO-1", "INVORDERINGSKOSTEN", "12.34"),
                payment("D4", "DUO-1", "0.99"),
            ]),
        ),
    ]
}

/// The events `seed` posts, as the creditors sent them.
fn seeded_events() -> Vec<(&'static str, Value)> {
    vec![
        (
            "CJIB",
            json!([
                imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "239.00"),
                surcharge("C2", "CJIB-1", "VERHOGING", "59.75"),
            ]),
        ),
        (
            "DUO",
            json!([
                imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "1200.00"),
                payment("D2", "DUO-1", "150.00"),
            ]),
        ),
    ]
}

fn cents(amount: &str) -> i64 {
    let (euros, cents) = amount.split_once('.').expect("an amount with cents");
    euros.parse::<i64>().expect("euros") * 100 + cents.parse::<i64>().expect("cents")
}

/// `€ 1.234,50`, as the pages write an amount.
fn euro(cents: i64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("€ {grouped},{:02}", cents % 100)
}

/// Outstanding per creditor code, folded from the posted events.
fn outstanding(events: &[(&str, Value)]) -> BTreeMap<String, i64> {
    let mut totals = BTreeMap::new();
    for (creditor, batch) in events {
        for event in batch.as_array().expect("events") {
            let amount = event["bedrag"].as_str().map_or(0, cents);
            let sign = match event["type"].as_str().expect("type") {
                "VorderingOpgelegd" | "OphogingOpgelegd" => 1,
                "BetalingVerwerkt" | "VorderingKwijtgescholden" => -1,
                other => panic!("not folded here: {other}"),
            };
            *totals.entry((*creditor).to_owned()).or_insert(0) += sign * amount;
        }
    }
    totals
}

/// Every surcharge posted: category and amount in cents.
fn surcharges(events: &[(&str, Value)]) -> Vec<(String, i64)> {
    events
        .iter()
        .flat_map(|(_, batch)| batch.as_array().expect("events").clone())
        .filter(|e| e["type"] == "OphogingOpgelegd")
        .map(|e| {
            (
                e["categorie"].as_str().unwrap().to_owned(),
                cents(e["bedrag"].as_str().unwrap()),
            )
        })
        .collect()
}

/// A category as the pages name it.
fn category_word(code: &str) -> &'static str {
    match code {
        "VERHOGING" => "Verhoging",
        "RENTE" => "Rente",
        "ADMINISTRATIEKOSTEN" => "Administratiekosten",
        "INVORDERINGSKOSTEN" => "Invorderingskosten",
        other => panic!("unknown category {other}"),
    }
}

fn kinds(app: &TestApp, creditor: &str) -> Vec<String> {
    feed(app, creditor)
        .iter()
        .filter_map(|m| m["inhoud"]["soort"].as_str().map(str::to_owned))
        .filter(|k| k.starts_with("SCHULDHULPTRAJECT"))
        .collect()
}

on_both_backends! {
    fn a_counsellor_registers_changes_and_ends_a_trajectory_and_client_and_citizen_see_it(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let client = format!("/schuldhulp/clienten/{mandate}");
        let mut counsellor = Browser::open(&app.base, Scripts::Enabled);
        log_in_counsellor(&mut counsellor, "GKB-AMSTERDAM");
        counsellor.goto(&client);
        assert!(counsellor.text().contains("Er loopt geen schuldhulptraject voor uw cliënt."), "{}", counsellor.text());
        assert_eq!(counsellor.value_of("#startdatum"), "15-06-2026", "the start defaults to today");
        counsellor.check_page("client-zonder-traject");

        // Without a phase the form comes back with the problem beside the field.
        counsellor.click("form[action$='/schuldhulptraject#schuldhulptraject'] button[type=submit]");
        let problems = counsellor.text();
        assert!(problems.contains("Controleer het formulier"), "{problems}");
        assert!(problems.contains("In welke fase is de schuldhulp?: is verplicht"), "{problems}");
        counsellor.check_page("traject-fouten");

        counsellor.select("#fase", "STABILISATIE");
        counsellor.click("form[action$='/schuldhulptraject#schuldhulptraject'] button[type=submit]");
        assert_eq!(counsellor.path(), format!("{client}?gelukt=traject-geregistreerd#schuldhulptraject"));
        let registered = counsellor.text();
        assert!(registered.contains("Het schuldhulptraject is geregistreerd."), "{registered}");
        assert!(registered.contains("Uw cliënt krijgt schuldhulp van Schuldhulp GKB-AMSTERDAM, sinds 15 juni 2026."), "{registered}");
        assert!(registered.contains("Stabilisatie."), "{registered}");
        assert!(registered.contains("zolang de schuldhulp loopt (de schuldenpauze)") && !registered.contains("bewindvoerder"), "{registered}");
        assert!(registered.contains(&format!("{CJIB} en {DUO}")), "both creditors were told: {registered}");
        counsellor.check_page("client-traject");
        assert_eq!(kinds(&app, "CJIB"), ["SCHULDHULPTRAJECT_GESTART"]);
        assert_eq!(kinds(&app, "DUO"), ["SCHULDHULPTRAJECT_GESTART"]);

        // The phase select offers the other phases only.
        assert!(!counsellor.exists("form[action$='/fase#schuldhulptraject'] option[value='STABILISATIE']"));
        counsellor.select("#fase", "SCHULDREGELING");
        counsellor.click("form[action$='/fase#schuldhulptraject'] button[type=submit]");
        let changed = counsellor.text();
        assert!(changed.contains("De fase is gewijzigd."), "{changed}");
        assert!(changed.contains("Schuldregeling. De schuldhulpverlener vraagt alle schuldeisers"), "{changed}");
        assert!(changed.contains("krijgt uw organisatie daarvan een melding via de koppeling van uw eigen systeem met deze dienst")
            && changed.contains("U leest ze ook onder Meldingen."), "says where a signal arrives: {changed}");
        assert_eq!(kinds(&app, "CJIB"), ["SCHULDHULPTRAJECT_GESTART", "SCHULDHULPTRAJECT_GEWIJZIGD"]);

        // A surcharge during the pause: the counsellor reads the signal on its pages too.
        app.post_events("CJIB", json!([{"type": "OphogingOpgelegd", "gebeurteniskenmerk": "C3", "vorderingkenmerk": "CJIB-1",
            "categorie": "INVORDERINGSKOSTEN", "bedrag": "15.00", "datum": "2026-06-15", "omschrijving": "Aanmaning"}])).succeeded();
        counsellor.click("nav a[href='/schuldhulp/meldingen']");
        assert_eq!(counsellor.title(), "Meldingen over uw cliënten – Mijn Rijksincasso");
        let told = counsellor.text();
        assert!(told.contains("Signaal tijdens de schuldenpauze") && told.contains("Schuldeiser\nCentraal Justitieel Incassobureau")
            && told.contains("Bedrag\n€ 15,00") && told.contains("Datum\n15 juni 2026"), "{told}");
        counsellor.check_page("meldingen");

        // The citizen sees who helps, since when, the phase and what it means.
        let mut citizen = Browser::open(&app.base, Scripts::Enabled);
        citizen.goto("/inloggen");
        citizen.fill("#burgerservicenummer", BSNS[0]);
        citizen.click("form[action='/inloggen/ontwikkeling'] button[type=submit]");
        assert_eq!(citizen.path(), "/mijn");
        let own = citizen.text();
        assert!(own.contains("U krijgt schuldhulp van Schuldhulp GKB-AMSTERDAM, sinds 15 juni 2026."), "{own}");
        assert!(own.contains("Schuldregeling."), "{own}");
        assert!(own.contains("te stoppen met invorderen en geen verhogingen of kosten meer op te leggen"), "{own}");
        assert!(!citizen.exists("form[action*='schuldhulptraject']"), "a citizen gets no counsellor's forms");
        assert!(!own.contains("Vraag hulp bij de schuldhulpverlening"), "no advice to seek the help they have: {own}");
        citizen.check_page("mijn-schuldhulptraject");

        // Ending asks once more, saying what follows; until confirmed nobody is told.
        counsellor.goto(&client);
        counsellor.click("form[action$='/beeindigen#schuldhulptraject'] button[type=submit]");
        let asked = counsellor.text();
        assert!(asked.contains("Weet u zeker dat u het schuldhulptraject van uw cliënt wilt beëindigen?")
            && asked.contains("in de fase Schuldregeling, sinds 15 juni 2026. De laatste dag van de schuldhulp wordt 15 juni 2026.")
            && asked.contains("Daarna mag elke schuldeiser weer zelf invorderen") && asked.contains("Beëindigen kan niet worden teruggedraaid."), "{asked}");
        assert_eq!(kinds(&app, "DUO"), ["SCHULDHULPTRAJECT_GESTART", "SCHULDHULPTRAJECT_GEWIJZIGD"]);
        counsellor.check_page("traject-beeindigen");
        counsellor.click("form[action$='/beeindigen'] button[type=submit]");
        let ended = counsellor.text();
        assert!(ended.contains("Het schuldhulptraject is beëindigd."), "{ended}");
        assert!(ended.contains("Er loopt geen schuldhulptraject voor uw cliënt."), "{ended}");
        assert_eq!(kinds(&app, "DUO"), ["SCHULDHULPTRAJECT_GESTART", "SCHULDHULPTRAJECT_GEWIJZIGD", "SCHULDHULPTRAJECT_BEEINDIGD"]);
        citizen.goto("/mijn");
        let after = citizen.text();
        assert!(!after.contains("U krijgt schuldhulp"), "an ended trajectory is no longer shown: {after}");
        assert!(after.contains("Vraag hulp bij de schuldhulpverlening"), "{after}");
    }

    fn a_saldo_opgave_on_the_pages_lists_every_surcharge_and_adds_up_to_the_cent(app) {
        seed(&app);
        let more = more_events();
        for (creditor, events) in &more {
            app.post_events(creditor, events.clone()).succeeded();
        }
        let mut posted = seeded_events();
        posted.extend(more);
        let expected = outstanding(&posted);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        log_in_counsellor(&mut browser, "GKB-AMSTERDAM");
        browser.goto(&format!("/schuldhulp/clienten/{mandate}"));
        // By keyboard alone, as every flow can be.
        browser.tab_to("form[action$='/saldo-opgaven#saldo-opgave'] button[type=submit]");
        browser.press_enter();
        let path = browser.path();
        let prefix = format!("/schuldhulp/clienten/{mandate}/saldo-opgaven/");
        let id = id_after(&path, &prefix).to_owned();
        let text = browser.text();
        assert!(text.contains(&format!("Kenmerk van deze opgave\n{id}")), "{text}");
        assert!(text.contains("Peildatum\n15 juni 2026"), "{text}");
        assert!(text.contains("Opgesteld op\n15 juni 2026 om 12:00"), "{text}");
        assert!(text.contains("Opgesteld door\nSchuldhulpverlener Schuldhulp GKB-AMSTERDAM"), "by its registered name: {text}");

        // Each surcharge on its own line, with its category and amount.
        let lines = browser.texts(".ri-statement__surcharge");
        let posted_surcharges = surcharges(&posted);
        assert_eq!(lines.len(), posted_surcharges.len(), "{lines:#?}");
        for (category, amount) in &posted_surcharges {
            let line = format!("+ {}: {category} op", category_word(category));
            assert!(
                lines.iter().any(|l| l.starts_with(&line) && l.ends_with(&euro(*amount))),
                "{line} {}: {lines:#?}", euro(*amount)
            );
        }

        // Each claim's original amount on a line of its own.
        let originals: Vec<String> = posted
            .iter()
            .flat_map(|(_, batch)| batch.as_array().expect("events").clone())
            .filter(|e| e["type"] == "VorderingOpgelegd")
            .map(|e| euro(cents(e["bedrag"].as_str().unwrap())))
            .collect();
        let shown_originals: Vec<String> = browser
            .texts(".ri-statement__original")
            .iter()
            .map(|l| l.rsplit("€").next().map(|a| format!("€{a}")).unwrap_or_default())
            .collect();
        assert_eq!(shown_originals.len(), originals.len(), "{shown_originals:?}");
        for original in &originals {
            assert!(shown_originals.contains(original), "{original}: {shown_originals:?}");
        }

        // Totals per creditor and overall, as folded from the posted events.
        let headings = browser.texts("section.ri-statement > h2");
        let totals = browser.texts(".ri-statement__outstanding");
        let shown: Vec<(String, String)> = headings.into_iter().zip(totals).collect();
        let all: i64 = expected.values().sum();
        assert_eq!(shown, [
            (CJIB.to_owned(), euro(expected["CJIB"])),
            (DUO.to_owned(), euro(expected["DUO"])),
            ("Totaal alle organisaties".to_owned(), euro(all)),
        ]);
        assert_eq!(browser.text_of("#totaal-openstaand"), euro(all));
        let overall = browser.text_of("#totaal");
        for category in ["VERHOGING", "RENTE", "ADMINISTRATIEKOSTEN", "INVORDERINGSKOSTEN"] {
            let sum: i64 = posted_surcharges.iter().filter(|(c, _)| c == category).map(|(_, a)| a).sum();
            assert!(overall.contains(&format!("+ {} {}", category_word(category), euro(sum))), "{overall}");
        }
        browser.check_page("saldo-opgave");
        browser.goto(&format!("{path}#schuldeiser-1"));
        browser.screenshot("saldo-opgave-vorderingen");

        // Printed: no menu, no way back, no hint; the figures stay.
        assert_ne!(browser.computed_style("nav.ri-nav", "display"), "none");
        browser.emulate_media("print");
        assert_eq!(browser.computed_style("nav.ri-nav", "display"), "none");
        assert_eq!(browser.computed_style(".ri-print-hint", "display"), "none");
        assert_eq!(browser.computed_style("footer", "display"), "none");
        assert_eq!(browser.computed_style("#totaal", "display"), "table");
        assert_eq!(browser.computed_style("main", "color"), "rgb(0, 0, 0)");
        browser.screenshot("saldo-opgave-afdruk");
        browser.emulate_media("");

        // Kept: the same address later shows the same opgave, even after a new payment.
        app.post_events("CJIB", json!([payment("C7", "CJIB-1", "10.00")])).succeeded();
        browser.goto(&path);
        assert_eq!(browser.text_of("#totaal-openstaand"), euro(all));
    }

    fn a_saldo_opgave_page_marks_a_surcharge_dated_during_debt_help(app) {
        seed(&app);
        grant_mandate(&app, BSNS[0], "GKB");
        register_trajectory(&app, "GKB", BSNS[0], "STABILISATIE").succeeded();
        let mut during = surcharge("C9", "CJIB-1", "RENTE", "3.10");
        during["datum"] = json!("2026-06-05");
        app.post_events("CJIB", json!([during])).succeeded();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let made = citizen.submit("/mijn", "/mijn/saldo-opgaven", &[]);
        let page = html_page(&citizen.get(made.header("location").expect("made")), 200).to_owned();
        assert!(page.contains("(5 juni 2026)<br><strong>Opgelegd tijdens de schuldhulp</strong>: de schuldeiser was gevraagd"), "{page}");
        assert!(page.contains("waarvan opgelegd tijdens de schuldhulp</th><td class=\"utrecht-table__cell utrecht-table__cell--numeric\">€\u{a0}3,10"), "{page}");
        assert_eq!(page.matches("<strong>Opgelegd tijdens de schuldhulp</strong>").count(), 1, "only the one dated then: {page}");
    }

    fn a_citizen_makes_a_saldo_opgave_of_their_own(app) {
        seed(&app);
        let mut browser = Browser::open(&app.base, Scripts::Disabled);
        browser.goto("/inloggen");
        browser.fill("#burgerservicenummer", BSNS[0]);
        browser.click("form[action='/inloggen/ontwikkeling'] button[type=submit]");
        browser.fill("#peildatum", "01-06-2026");
        browser.click("form[action='/mijn/saldo-opgaven#saldo-opgave'] button[type=submit]");
        assert!(browser.path().starts_with("/mijn/saldo-opgaven/"), "{}", browser.path());
        let text = browser.text();
        assert!(text.contains("Saldo-opgave van 1 juni 2026"), "{text}");
        assert!(text.contains("Opgesteld door\nUzelf"), "{text}");
        // On 1 June the DUO payment (dated 1 June) counts; the total is the seed's 1348.75.
        assert_eq!(browser.text_of("#totaal-openstaand"), "€ 1.348,75");
        drop(browser);
        let mut browser = Browser::open(&app.base, Scripts::Enabled);
        browser.goto("/inloggen");
        browser.fill("#burgerservicenummer", BSNS[0]);
        browser.click("form[action='/inloggen/ontwikkeling'] button[type=submit]");
        browser.check_page("mijn-overzicht-saldo");
        browser.fill("#peildatum", "01-07-2026");
        browser.click("form[action='/mijn/saldo-opgaven#saldo-opgave'] button[type=submit]");
        assert_eq!(browser.path(), "/mijn/saldo-opgaven#saldo-opgave", "a date after today is refused on the form, shown at the form");
        assert_eq!(browser.title(), "Fout: Mijn overzicht – Mijn Rijksincasso");
        let refused = browser.text();
        assert!(refused.contains("Peildatum: mag niet na vandaag liggen"), "{refused}");
        browser.check_page("saldo-opgave-fout");
        browser.fill("#peildatum", "");
        browser.click("form[action='/mijn/saldo-opgaven#saldo-opgave'] button[type=submit]");
        assert!(browser.text().contains("Saldo-opgave van 15 juni 2026"), "empty is today");
        browser.check_page("mijn-saldo-opgave");

        // Both are found again from the overview, the newest first.
        browser.goto("/mijn");
        browser.click("a[href='/mijn/saldo-opgaven']");
        assert_eq!(browser.path(), "/mijn/saldo-opgaven");
        let rows = browser.texts("#saldo-opgaven tbody tr");
        assert_eq!(rows.len(), 2, "{rows:#?}");
        assert!(rows[0].starts_with("Saldo-opgave van 15 juni 2026"), "newest first: {rows:#?}");
        assert!(rows[1].starts_with("Saldo-opgave van 1 juni 2026"), "{rows:#?}");
        assert!(rows[1].contains("Uzelf") && rows[1].ends_with("€ 1.348,75"), "{rows:#?}");
        browser.check_page("mijn-saldo-opgaven");
        browser.click("#saldo-opgaven tbody tr:nth-child(2) a");
        assert!(browser.text().contains("Saldo-opgave van 1 juni 2026"));
        assert_eq!(browser.text_of("#totaal-openstaand"), "€ 1.348,75");
    }

    fn trajectory_and_saldo_opgave_forms_keep_the_status_of_their_problems(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let client = format!("/schuldhulp/clienten/{mandate}");
        let mut holder = Visitor::login_counsellor(&app, "GKB-AMSTERDAM");
        let register = format!("{client}/schuldhulptraject");
        let forged_phase = holder.submit(&client, &register, &[("fase", "ONBEKEND"), ("startdatum", "01-06-2026")]);
        assert!(html_page(&forged_phase, 400).contains("kies een fase uit de lijst"));
        let future = holder.submit(&client, &register, &[("fase", "WSNP"), ("startdatum", "16-06-2026")]);
        assert!(html_page(&future, 400).contains("mag niet na vandaag liggen"), "the domain's own reason");
        let both = holder.submit(&client, &register, &[("fase", ""), ("startdatum", "16-06-2026")]);
        let text = html_page(&both, 400);
        assert!(text.contains("mag niet na vandaag liggen") && text.contains(r#"id="fase-fout">is verplicht"#), "every problem at once: {text}");

        // A mandate form with no organisation and a past end date: both at once, too.
        let mut citizen = Visitor::login_citizen(&app, BSNS[1]);
        let refused = citizen.submit("/mijn/machtigingen", "/mijn/machtigingen", &[("schuldhulpverlener", ""), ("geldigTot", "01-01-2026")]);
        let text = html_page(&refused, 400);
        assert!(text.contains("is verplicht") && text.contains("moet op of na 15 juni 2026 liggen (de eerste dag van de machtiging)"), "{text}");
        let registered = holder.submit(&client, &register, &[("fase", "WSNP"), ("startdatum", "01-06-2026")]);
        assert_eq!(registered.status, 303, "{}", registered.text);
        // A second registration (a stale page in another tab) is a conflict, shown on the page.
        let again = holder.submit(&client, &register, &[("fase", "STABILISATIE"), ("startdatum", "01-06-2026")]);
        assert!(html_page(&again, 409).contains("Uw organisatie heeft voor deze burger al een lopend schuldhulptraject"), "{}", again.text);
        let statement = holder.submit(&client, &format!("{client}/saldo-opgaven"), &[("peildatum", "morgen")]);
        assert!(html_page(&statement, 400).contains("moet een datum zijn, zoals 31-3-2026"), "written as the hints write dates");

        // Another organisation the citizen also mandated sees the trajectory but does not change
        // it: no forms, and a forged one is refused on the page with the rule.
        let second = grant_mandate(&app, BSNS[0], "GKB");
        let second_client = format!("/schuldhulp/clienten/{second}");
        let mut other = Visitor::login_counsellor(&app, "GKB");
        let page = other.get(&second_client);
        let text = html_page(&page, 200);
        assert!(text.contains("Alleen die organisatie kan de fase wijzigen"), "{text}");
        assert!(!text.contains("/schuldhulptraject/"), "no change forms: {text}");
        let trajectory = app.get("/api/v1/schuldhulptrajecten", Some(&app.counsellor("GKB-AMSTERDAM"))).json()["schuldhulptrajecten"][0]["id"]
            .as_str().expect("a trajectory").to_owned();
        let refused = other.submit(&second_client, &format!("{second_client}/schuldhulptraject/{trajectory}/fase"), &[("fase", "SCHULDREGELING")]);
        let text = html_page(&refused, 403);
        assert!(text.contains("Controleer het formulier") && text.contains("alleen die organisatie, of de burger zelf, kan het wijzigen"), "{text}");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["schuldhulptraject"]["fase"], "WSNP", "unchanged: {overview}");

        // Ending asks the registering organisation once more, after checking the last day;
        // another organisation gets the rule, not the question.
        let refused = other.submit(&second_client, &format!("{second_client}/schuldhulptraject/{trajectory}/beeindigen"), &[("einddatum", "15-06-2026")]);
        assert!(html_page(&refused, 403).contains("alleen die organisatie, of de burger zelf"), "{}", refused.text);
        let end = format!("{client}/schuldhulptraject/{trajectory}/beeindigen");
        let early = holder.submit(&client, &end, &[("einddatum", "31-05-2026")]);
        assert!(html_page(&early, 400).contains("mag niet vóór 1 juni 2026 liggen"), "{}", early.text);
        let asked = holder.submit(&client, &end, &[("einddatum", "15-06-2026")]);
        let text = html_page(&asked, 200).to_owned();
        assert!(text.contains("Ja, beëindig het traject") && text.contains("in de fase Wettelijke schuldsanering"), "{text}");
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["schuldhulptraject"]["fase"], "WSNP", "asking changes nothing: {overview}");
        let ended = holder.post(&end, &[("csrf", csrf_of(&text).as_str()), ("einddatum", "15-06-2026"), ("bevestigen", "ja")]);
        assert_eq!(ended.status, 303, "{}", ended.text);
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert!(overview["schuldhulptraject"].is_null(), "ended: {overview}");
        // Ended, it is listed as earlier help: to the citizen and the organisation that
        // registered it, not to another organisation the citizen mandates.
        let earlier = "van 1 juni 2026 tot en met 15 juni 2026, laatste fase: Wettelijke schuldsanering (Wsnp)";
        let text = html_page(&holder.get(&client), 200).to_owned();
        assert!(text.contains("Eerdere schuldhulp") && text.contains(earlier) && text.contains("Er loopt geen schuldhulptraject voor uw cliënt."), "{text}");
        let text = html_page(&other.get(&second_client), 200).to_owned();
        assert!(!text.contains("Eerdere schuldhulp"), "{text}");
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let text = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(text.contains("Eerdere schuldhulp") && text.contains(earlier) && text.contains("Er loopt nu geen schuldhulptraject voor u."), "{text}");
    }

    fn a_counsellor_reads_what_it_was_told_about_its_clients_on_the_pages_newest_first(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let mut holder = Visitor::login_counsellor(&app, "GKB-AMSTERDAM");
        let empty = html_page(&holder.get("/schuldhulp/meldingen"), 200).to_owned();
        assert!(empty.contains("Er zijn nog geen meldingen.") && !empty.contains("Oudere meldingen"), "{empty}");

        register_trajectory(&app, "GKB-AMSTERDAM", BSNS[0], "STABILISATIE").succeeded();
        app.post_events("CJIB", json!([phase("F1", "CJIB-1", "AANMANING", false)])).succeeded();
        let escalated = html_page(&holder.get("/schuldhulp/meldingen"), 200).to_owned();
        assert!(escalated.contains("van de fase ‘betaling gevraagd’ naar ‘aanmaning’") && escalated.contains("van Betaling gevraagd naar Aanmaning"), "in words: {escalated}");
        for i in 0..51 {
            app.post_events("CJIB", json!([{"type": "OphogingOpgelegd", "gebeurteniskenmerk": format!("P{i}"), "vorderingkenmerk": "CJIB-1",
                "categorie": "INVORDERINGSKOSTEN", "bedrag": "1.00", "datum": "2026-06-10", "omschrijving": "Aanmaning"}])).succeeded();
        }
        let label = format!("Cliënt zonder kenmerk (machtiging {})", mandate[mandate.len() - 8..].to_uppercase());
        let page = html_page(&holder.get("/schuldhulp/meldingen"), 200).to_owned();
        assert!(page.contains("Signaal tijdens de schuldenpauze") && page.contains(&format!("<a class=\"nl-link\" href=\"/schuldhulp/clienten/{mandate}\">{label}</a>")), "{page}");
        assert!(page.contains("aria-current=\"page\">Meldingen</a>"), "in the menu, marked: {page}");

        app.delete(&format!("/api/v1/machtigingen/{mandate}"), Some(&app.citizen(BSNS[0]))).succeeded();
        let told = app.get("/api/v1/meldingen?aantal=200", Some(&app.counsellor("GKB-AMSTERDAM"))).json()["meldingen"].as_array().unwrap().len();
        assert!(told > 52, "a signal for each surcharge, the trajectory and the mandate's end: {told}");
        let first = html_page(&holder.get("/schuldhulp/meldingen"), 200).to_owned();
        let titles = |page: &str| page.matches("<h2 class=\"nl-heading nl-heading--level-2\"").count();
        assert_eq!(titles(&first), 50);
        assert!(first.find("Machtiging geëindigd") < first.find("Signaal tijdens de schuldenpauze"), "newest first: {first}");
        assert!(first.contains(&format!("{label} (geen geldige machtiging meer)")) && !first.contains(&format!("/schuldhulp/clienten/{mandate}\"")), "no link without a mandate: {first}");
        let older = regex::Regex::new(r#"href="(/schuldhulp/meldingen\?voor=\d+)">Oudere meldingen"#).unwrap()
            .captures(&first).expect("a link to the older ones")[1].to_owned();
        let second = html_page(&holder.get(&older), 200).to_owned();
        assert_eq!(titles(&second), told - 50, "the rest, each once");
        let registered = second.split("Schuldhulptraject geregistreerd").nth(1).expect("the registration, oldest").to_owned();
        for fact in ["Organisatie</dt><dd class=\"rhc-data-summary__item-value\">Schuldhulp GKB-AMSTERDAM</dd>",
                     "Fase</dt><dd class=\"rhc-data-summary__item-value\">Stabilisatie</dd>",
                     "Sinds</dt><dd class=\"rhc-data-summary__item-value\">1 juni 2026</dd>",
                     "Bericht aan</dt><dd class=\"rhc-data-summary__item-value\">Centraal Justitieel Incassobureau en Dienst Uitvoering Onderwijs</dd>"] {
            assert!(registered.contains(fact), "{fact}: {registered}");
        }
        assert!(!second.contains("Oudere meldingen"), "{second}");
        assert_eq!(holder.get("/schuldhulp/meldingen?voor=x").status, 400);
        let past = html_page(&holder.get("/schuldhulp/meldingen?voor=1"), 200).to_owned();
        assert!(past.contains("Er zijn geen oudere meldingen.") && past.contains("href=\"/schuldhulp/meldingen\">Naar de nieuwste meldingen"), "{past}");
        // The citizen sees that the organisation read notifications about them; a citizen has no such page.
        let log = app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0]))).json();
        assert!(log["regels"].as_array().unwrap().iter().any(|r| r["handeling"] == "MELDING_INGEZIEN" && r["organisatie"] == "GKB-AMSTERDAM"
            && r["onderwerp"] == mandate.as_str()), "under the mandate: {log}");
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        assert_eq!(citizen.get("/schuldhulp/meldingen").status, 403);
    }

    fn revoking_the_mandate_of_a_running_trajectory_asks_once_more_saying_the_trajectory_runs_on(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        register_trajectory(&app, "GKB-AMSTERDAM", BSNS[0], "STABILISATIE").succeeded();
        let other = grant_mandate(&app, BSNS[0], "GKB");
        let told = |app: &TestApp| {
            let feed = app.get("/api/v1/meldingen", Some(&app.counsellor("GKB-AMSTERDAM"))).json();
            feed["meldingen"].as_array().unwrap().iter().filter(|m| m["inhoud"]["soort"] == "MACHTIGING_BEEINDIGD").count()
        };
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let revoke = format!("/mijn/machtigingen/{mandate}/intrekken");
        let asked = citizen.submit("/mijn/machtigingen", &revoke, &[]);
        let text = html_page(&asked, 200).to_owned();
        assert!(text.contains("Weet u zeker dat u de machtiging van Schuldhulp GKB-AMSTERDAM wilt intrekken?")
            && text.contains("Het gaat om de machtiging van Schuldhulp GKB-AMSTERDAM, 15 juni 2026 tot en met")
            && text.contains("(sinds 1 juni 2026, fase Stabilisatie), loopt door: de organisaties van de overheid wachten zolang nog met het innen van wat u hun schuldig bent.")
            && text.contains("kan het traject zonder machtiging niet meer wijzigen of beëindigen")
            && text.contains("Intrekken kan niet worden teruggedraaid."), "{text}");
        // Asking changes nothing: the organisation still acts for the person and was told nothing.
        let overview = json!({"burgerservicenummer": BSNS[0]});
        app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB-AMSTERDAM")), &overview).succeeded();
        assert_eq!(told(&app), 0);

        let revoked = citizen.post(&revoke, &[("csrf", csrf_of(&text).as_str()), ("bevestigen", "ja")]);
        assert_eq!(revoked.header("location"), Some(format!("/mijn/machtigingen?gelukt=ingetrokken&id={mandate}#machtigingen").as_str()), "{}", revoked.text);
        assert_eq!(app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB-AMSTERDAM")), &overview).status, 403);
        assert_eq!(told(&app), 1, "told once, on the confirmed revocation");
        // Revoking it again asks nothing: there is nothing left to lose.
        let again = citizen.submit("/mijn/machtigingen", &revoke, &[]);
        assert_eq!(again.status, 303, "{}", again.text);
        assert_eq!(told(&app), 1);

        // The organisation without a trajectory: asked too, without a word of one.
        let asked = citizen.submit("/mijn/machtigingen", &format!("/mijn/machtigingen/{other}/intrekken"), &[]);
        let text = html_page(&asked, 200);
        assert!(text.contains("Weet u zeker dat u de machtiging van Schuldhulp GKB wilt intrekken?") && !text.contains("schuldhulptraject"), "{text}");
        // One that has not started yet: the organisation never had access, and the question says so.
        let revoked = citizen.post(&format!("/mijn/machtigingen/{other}/intrekken"), &[("csrf", csrf_of(text).as_str()), ("bevestigen", "ja")]);
        assert_eq!(revoked.status, 303, "{}", revoked.text);
        let later = app.post("/api/v1/machtigingen", Some(&app.citizen(BSNS[0])), &json!({"schuldhulpverlener": "GKB", "geldigVanaf": "2026-07-01", "geldigTot": "2026-12-31"}))
            .succeeded().json()["id"].as_str().unwrap().to_owned();
        let asked = citizen.submit("/mijn/machtigingen", &format!("/mijn/machtigingen/{later}/intrekken"), &[]);
        let text = html_page(&asked, 200);
        assert!(text.contains("De machtiging zou ingaan op 1 juli 2026. Schuldhulp GKB krijgt dan geen toegang") && !text.contains("niet meer zien"), "{text}");
    }

    fn a_counsellor_records_the_day_of_the_wsnp_ruling_and_the_overview_marks_the_attachments_it_lapsed(app) {
        seed(&app);
        app.post("/api/v1/beslagen", Some(&app.agency("CJIB")), &json!({
            "burgerservicenummer": BSNS[0], "inkomstenbron": "Loon", "maandbedrag": "50.00",
            "startdatum": "2026-03-01", "executoriaal": true})).succeeded();
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let client = format!("/schuldhulp/clienten/{mandate}");
        let mut holder = Visitor::login_counsellor(&app, "GKB-AMSTERDAM");
        let register = format!("{client}/schuldhulptraject");
        let refused = holder.submit(&client, &register, &[("fase", "STABILISATIE"), ("startdatum", "01-06-2026"), ("uitspraakdatum", "10-06-2026")]);
        let text = html_page(&refused, 400);
        assert!(text.contains("hoort alleen bij de fase WSNP"), "{text}");
        assert!(!html_page(&holder.get(&client), 200).contains("Vervallen op"), "nothing recorded");

        let registered = holder.submit(&client, &register, &[("fase", "WSNP"), ("startdatum", "10-06-2026"), ("uitspraakdatum", "10-06-2026")]);
        assert_eq!(registered.status, 303, "{}", registered.text);
        let shown = html_page(&holder.get(&client), 200).to_owned();
        assert!(shown.contains("Uitspraak van de rechter") && shown.contains("10 juni 2026"), "{shown}");
        assert!(shown.contains("Vervallen op 10 juni 2026 door de wettelijke schuldsanering"), "{shown}");

        // The day alone, corrected with the phase form.
        let trajectory = app.get("/api/v1/schuldhulptrajecten", Some(&app.counsellor("GKB-AMSTERDAM"))).json()["schuldhulptrajecten"][0]["id"]
            .as_str().expect("a trajectory").to_owned();
        let corrected = holder.submit(&client, &format!("{client}/schuldhulptraject/{trajectory}/fase"), &[("fase", ""), ("uitspraakdatum", "09-06-2026")]);
        let back = holder.get(corrected.header("location").expect("back to the client"));
        let shown = html_page(&back, 200);
        assert!(shown.contains("De uitspraakdatum is vastgelegd."), "{shown}");
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let own = html_page(&citizen.get("/mijn"), 200).to_owned();
        assert!(own.contains("Vervallen op 9 juni 2026 door de wettelijke schuldsanering") && own.contains("(9 juni 2026; art. 301 lid 3 Faillissementswet)"), "{own}");
        assert!(!own.contains("uitspraakdatum"), "the citizen gets no form: {own}");
    }

    fn a_counsellor_without_the_mandate_gets_nothing_of_the_trajectory_or_saldo_opgave(app) {
        seed(&app);
        let mandate = grant_mandate(&app, BSNS[0], "GKB-AMSTERDAM");
        let client = format!("/schuldhulp/clienten/{mandate}");
        let mut holder = Visitor::login_counsellor(&app, "GKB-AMSTERDAM");
        let made = holder.submit(&client, &format!("{client}/saldo-opgaven"), &[]);
        assert_eq!(made.status, 303, "{}", made.text);
        let location = made.header("location").expect("to the opgave");
        let statement = format!("{client}/saldo-opgaven/{}", id_after(location, &format!("{client}/saldo-opgaven/")));
        let registered = holder.submit(&client, &format!("{client}/schuldhulptraject"), &[("fase", "STABILISATIE"), ("startdatum", "01-06-2026")]);
        assert_eq!(registered.status, 303, "{}", registered.text);
        let trajectory = app.get("/api/v1/schuldhulptrajecten", Some(&app.counsellor("GKB-AMSTERDAM"))).json()["schuldhulptrajecten"][0]["id"]
            .as_str().expect("a trajectory").to_owned();
        // A link made up to confirm an ending that did not happen confirms nothing, to the
        // counsellor or to the citizen (who never changes a trajectory on the pages).
        let forged = "?gelukt=traject-beeindigd";
        assert!(!html_page(&holder.get(&format!("{client}{forged}")), 200).contains("Het schuldhulptraject is beëindigd"));
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        assert!(!html_page(&citizen.get(&format!("/mijn{forged}")), 200).contains("Het schuldhulptraject is beëindigd"));
        // The phase it has already (a stale tab): nothing changes, and nobody is said to be told.
        let same = holder.submit(&client, &format!("{client}/schuldhulptraject/{trajectory}/fase"), &[("fase", "STABILISATIE")]);
        let back = holder.get(same.header("location").expect("back to the client"));
        let shown = html_page(&back, 200);
        assert!(shown.contains("Er is niets veranderd") && !shown.contains("De fase is gewijzigd"), "{shown}");
        assert!(shown.contains("Uw cliënt heeft 2 openstaande vorderingen") && !shown.contains("U heeft"), "the counsellor is not addressed as the debtor: {shown}");

        // Another organisation, without a mandate of this citizen: not found, and nothing changes.
        let mut stranger = Visitor::login_counsellor(&app, "GKB");
        let csrf = csrf_of(&stranger.get("/schuldhulp").text);
        html_page(&stranger.get(&statement), 404);
        html_page(&stranger.get(&format!("{client}/saldo-opgaven")), 404);
        for (path, form) in [
            (format!("{client}/saldo-opgaven"), vec![]),
            (format!("{client}/schuldhulptraject"), vec![("fase", "STABILISATIE"), ("startdatum", "01-06-2026")]),
            (format!("{client}/schuldhulptraject/{trajectory}/fase"), vec![("fase", "WSNP")]),
            (format!("{client}/schuldhulptraject/{trajectory}/beeindigen"), vec![("einddatum", "15-06-2026")]),
        ] {
            let mut pairs = vec![("csrf", csrf.as_str())];
            pairs.extend(form);
            html_page(&stranger.post(&path, &pairs), 404);
        }
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0]))).json();
        assert_eq!(overview["schuldhulptraject"]["fase"], "STABILISATIE", "unchanged: {overview}");

        // The holder cannot read the citizen's own opgave under its client's address, nor one
        // of another client.
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let own = citizen.submit("/mijn", "/mijn/saldo-opgaven", &[]);
        let own_id = id_after(own.header("location").expect("own opgave"), "/mijn/saldo-opgaven/").to_owned();
        assert!(html_page(&holder.get(&format!("{client}/saldo-opgaven/{own_id}")), 200).contains(&own_id), "the same citizen's opgave");
        let listed = holder.get(&format!("{client}/saldo-opgaven"));
        let listed = html_page(&listed, 200);
        assert!(listed.contains(&format!("{client}/saldo-opgaven/{own_id}")) && listed.contains(&statement), "both of the client's opgaven: {listed}");
        let other_mandate = grant_mandate(&app, BSNS[1], "GKB-AMSTERDAM");
        html_page(&holder.get(&format!("/schuldhulp/clienten/{other_mandate}/saldo-opgaven/{own_id}")), 404);
        // And a citizen never reads another citizen's.
        let mut other = Visitor::login_citizen(&app, BSNS[1]);
        html_page(&other.get(&format!("/mijn/saldo-opgaven/{own_id}")), 404);
    }

    fn a_saldo_opgave_page_shows_what_was_paid_ahead_apart_from_what_is_owed(app) {
        let mut late = payment("C1-B", "CJIB-1", "150.00");
        late["datum"] = json!("2026-04-01");
        app.post_events("CJIB", json!([imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "100.00"), surcharge("C1-V", "CJIB-1", "VERHOGING", "50.00")])).succeeded();
        app.post_events("CJIB", json!([late])).succeeded();
        let made = app.post("/api/v1/saldo-opgaven", Some(&app.citizen(BSNS[0])), &json!({"peildatum": "2026-04-15"})).succeeded().json();
        let mut citizen = Visitor::login_citizen(&app, BSNS[0]);
        let page = citizen.get(&format!("/mijn/saldo-opgaven/{}", made["id"].as_str().unwrap()));
        let text = html_page(&page, 200);
        assert!(text.contains("Daarnaast vooruitbetaald, voor wat na deze datum werd opgelegd"), "{text}");
        assert!(!text.contains("-50,00") && !text.contains("−50,00"), "no amount below zero: {text}");
    }
}
