//! Claim events as agencies send them, and the norm tables as the public API lists them.

use serde_json::{Value, json};

use crate::support::{BSNS, Reply, TestApp};

pub fn imposed(
    event_key: &str,
    claim_key: &str,
    bsn: &str,
    claim_type: &str,
    amount: &str,
) -> Value {
    json!({
        "type": "VorderingOpgelegd",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "burgerservicenummer": bsn,
        "vorderingtype": claim_type,
        "omschrijving": format!("Vordering {claim_key}"),
        "bedrag": amount,
        "opgelegdOp": "2026-03-10",
        "vervaldatum": "2026-04-21",
    })
}

pub fn surcharge(event_key: &str, claim_key: &str, category: &str, amount: &str) -> Value {
    json!({
        "type": "OphogingOpgelegd",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "categorie": category,
        "bedrag": amount,
        "datum": "2026-05-01",
        "omschrijving": format!("{category} op {claim_key}"),
    })
}

pub fn payment(event_key: &str, claim_key: &str, amount: &str) -> Value {
    json!({
        "type": "BetalingVerwerkt",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "bedrag": amount,
        "datum": "2026-06-01",
    })
}

/// (Part of) payment `payment_key` booked back on 5 June, after [`payment`]'s day: a direct
/// debit the bank reversed.
pub fn booked_back(event_key: &str, claim_key: &str, payment_key: &str, amount: &str) -> Value {
    json!({
        "type": "BetalingTeruggeboekt",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "betalingskenmerk": payment_key,
        "bedrag": amount,
        "datum": "2026-06-05",
        "reden": "Incasso gestorneerd door de bank",
    })
}

pub fn remission(event_key: &str, claim_key: &str, amount: &str) -> Value {
    json!({
        "type": "VorderingKwijtgescholden",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "bedrag": amount,
        "datum": "2026-06-02",
    })
}

pub fn withdrawn(event_key: &str, claim_key: &str) -> Value {
    json!({
        "type": "VorderingIngetrokken",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "datum": "2026-06-03",
        "reden": "Bezwaar gegrond",
    })
}

pub fn phase(event_key: &str, claim_key: &str, phase: &str, disputed: bool) -> Value {
    json!({
        "type": "FaseGewijzigd",
        "gebeurteniskenmerk": event_key,
        "vorderingkenmerk": claim_key,
        "fase": phase,
        "betwist": disputed,
    })
}

/// A CJIB fine of 1000.00 (CJIB-1) and a DUO student debt of 2000.00 (DUO-1), both of the first
/// test citizen, as the two agencies send them.
pub fn cjib_and_duo_claims() -> [(&'static str, Value); 2] {
    [
        (
            "CJIB",
            json!([imposed(
                "C1",
                "CJIB-1",
                crate::support::BSNS[0],
                "cjib_boete",
                "1000.00"
            )]),
        ),
        (
            "DUO",
            json!([imposed(
                "D1",
                "DUO-1",
                crate::support::BSNS[0],
                "duo_studieschuld",
                "2000.00"
            )]),
        ),
    ]
}

/// A wage attachment on the first test citizen, as an agency registers it: it knows the income,
/// household and a taxable income below every allowance threshold, so the legal norm is exact
/// and its first term: 0.95 × 1401.50 = 1331.43 until July 2026, 0.95 × 1419.46 = 1348.49 from then.
pub fn attachment(amount: &str, bvv: &str, start: &str) -> Value {
    json!({
        "burgerservicenummer": BSNS[0],
        "inkomstenbron": "Loon, Bakkerij De Korenschoof",
        "nettoInkomenBron": "2100.00",
        "leefvormAangenomen": "ALLEENSTAANDE",
        "belastbaarJaarinkomen": "23000.00",
        "maandbedrag": amount,
        "beslagvrijeVoet": bvv,
        "startdatum": start,
        "executoriaal": true,
    })
}

pub fn register(app: &TestApp, token: &str, body: &Value) -> Reply {
    app.post("/api/v1/beslagen", Some(token), body)
}

/// Everything in a creditor's feed so far.
pub fn feed(app: &TestApp, code: &str) -> Vec<Value> {
    let reply = app.get("/api/v1/meldingen", Some(&app.agency(code)));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["meldingen"].as_array().unwrap().clone()
}

/// The samenloop messages about flag `code` in a feed: their kind and content.
pub fn samenloop_of(feed: &[Value], code: &str) -> Vec<(String, Value)> {
    feed.iter()
        .filter(|m| m["inhoud"]["signalering"] == code)
        .map(|m| {
            (
                m["inhoud"]["soort"].as_str().unwrap().to_owned(),
                m["inhoud"].clone(),
            )
        })
        .collect()
}

/// Accepts the proposal with id `proposal` as the caller of `token`.
pub fn accept(app: &TestApp, token: &str, proposal: &str) -> Reply {
    app.post(
        "/api/v1/betalingsregelingen",
        Some(token),
        &json!({"voorstel": proposal}),
    )
}

/// The citizen mandates `organisation` until the end of 2027; returns the mandate id.
pub fn mandate(app: &TestApp, bsn: &str, organisation: &str) -> String {
    let reply = app
        .post(
            "/api/v1/machtigingen",
            Some(&app.citizen(bsn)),
            &json!({"schuldhulpverlener": organisation, "geldigTot": "2027-12-31"}),
        )
        .succeeded();
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// `organisation` registers a schuldhulptraject for the citizen, from 1 June 2026.
pub fn register_trajectory(app: &TestApp, organisation: &str, bsn: &str, phase: &str) -> Reply {
    app.post(
        "/api/v1/schuldhulptrajecten",
        Some(&app.counsellor(organisation)),
        &json!({"burgerservicenummer": bsn, "fase": phase, "startdatum": "2026-06-01"}),
    )
}

/// The norm tables, newest first, as the public API lists them.
pub fn tables(app: &TestApp) -> Vec<Value> {
    let reply = app.get("/api/v1/normtabellen", None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["normtabellen"].as_array().unwrap().clone()
}

pub fn value(table: &Value, code: &str) -> String {
    table["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap()["waarde"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The 1 July 2026 table as it could be posted for 1 January 2027, with A and B 20.00 higher:
/// the first term, and so every lid-1 maximum, is then 0.95 × 20.00 = 19.00 higher (art. 475da
/// lid 8 Rv), which the table's self-check verifies.
pub fn next_table(app: &TestApp) -> Value {
    let newest = tables(app).remove(0);
    assert_eq!(newest["geldigVanaf"], "2026-07-01");
    let raised = |code: &str, by: &str| -> String {
        let v: f64 = value(&newest, code).parse().unwrap();
        format!("{:.2}", v + by.parse::<f64>().unwrap())
    };
    let parameters: Vec<Value> = newest["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let code = p["code"].as_str().unwrap();
            let waarde = match code {
                "BIJSTANDSNORM_ALLEENSTAANDE" | "BIJSTANDSNORM_GEHUWDEN" => raised(code, "20.00"),
                c if c.starts_with("MAXIMUM_") => raised(code, "19.00"),
                _ => p["waarde"].as_str().unwrap().to_owned(),
            };
            json!({"code": code, "waarde": waarde, "bron": format!("Test: {}", p["bron"].as_str().unwrap())})
        })
        .collect();
    json!({"geldigVanaf": "2027-01-01", "parameters": parameters})
}
