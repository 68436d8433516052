//! What the server sends is what the OpenAPI document says it sends, and what the document says
//! a client may send the server takes: every reply of a full scenario is checked against the
//! schema its operation declares for its status, and every request body against the schema of
//! the operation's body. Catches a field renamed on one side only, two schemas that collide under
//! one name, and a body schema no valid body passes.
//!
//! The check is JSON Schema 2020-12 (OpenAPI 3.1) for the keywords the document uses, with
//! `allOf`/`oneOf`/`anyOf` and `unevaluatedProperties` as the standard has them: a part of an
//! `allOf` is checked on its own, so a part with `additionalProperties: false` refuses the fields
//! of the other parts.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::fixtures::{
    attachment, booked_back, cjib_and_duo_claims, imposed, payment, phase, remission, surcharge,
    withdrawn,
};
use crate::on_both_backends;
use crate::support::{BSNS, Reply, TestApp};

fn document() -> Value {
    serde_json::from_str(&rijksincasso::api::openapi::to_json()).expect("document")
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// What checking a value against a schema found.
#[derive(Default)]
struct Outcome {
    /// Every way the value breaks the schema, as JSON paths with a reason.
    violations: Vec<String>,
    /// The fields of an object value the schema evaluated: what an `unevaluatedProperties` of a
    /// schema around it counts as seen.
    evaluated: BTreeSet<String>,
}

impl Outcome {
    fn absorb(&mut self, other: Outcome) {
        self.violations.extend(other.violations);
        self.evaluated.extend(other.evaluated);
    }
}

/// How undeclared fields are read.
#[derive(Clone, Copy)]
enum Reading {
    /// As JSON Schema has it: an object schema without `additionalProperties` takes any other
    /// field. What a client may send.
    AsWritten,
    /// A reply holds no field the document does not name, whether its schema is closed or not:
    /// the schema that applies to an object as a whole (not a part or branch of it) refuses
    /// every field that neither it nor its parts and branches declare.
    Closed,
}

/// Every way the reply `value` breaks `schema`, as JSON paths with a reason.
fn violations(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    evaluate(doc, schema, value, at, Reading::Closed, true).violations
}

/// Every way the request body `value` breaks `schema`.
fn request_violations(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    evaluate(doc, schema, value, "$", Reading::AsWritten, true).violations
}

/// `value` against `schema`; `whole` unless `schema` is a part of an `allOf` or a branch of a
/// `oneOf` or `anyOf`, which apply to the same value beside others.
fn evaluate(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    reading: Reading,
    whole: bool,
) -> Outcome {
    let schema = resolve(doc, schema);
    let mut outcome = Outcome::default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        outcome.absorb(evaluate(doc, part, value, at, reading, false));
    }
    for (keyword, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        let Some(branches) = schema[keyword].as_array() else {
            continue;
        };
        let fitting: Vec<Outcome> = branches
            .iter()
            .map(|b| evaluate(doc, b, value, at, reading, false))
            .filter(|o| o.violations.is_empty())
            .collect();
        if fitting.is_empty() || (exactly_one && fitting.len() > 1) {
            outcome.violations.push(format!(
                "{at}: fits {} branches of {keyword}: {value}",
                fitting.len()
            ));
        }
        for branch in fitting {
            outcome.evaluated.extend(branch.evaluated);
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let type_fits = types.is_empty()
        || types.contains(&actual)
        || (actual == "integer" && types.contains(&"number"));
    if !type_fits {
        outcome
            .violations
            .push(format!("{at}: is {actual}, the document says {types:?}"));
        return outcome;
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        outcome
            .violations
            .push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    match value {
        Value::Object(fields) => {
            let closed = schema["unevaluatedProperties"] == false
                || (whole
                    && matches!(reading, Reading::Closed)
                    && schema["additionalProperties"].is_null());
            let own = object(doc, schema, fields, at, reading, closed, &outcome.evaluated);
            outcome.absorb(own);
        }
        Value::String(text) => {
            if let Some(pattern) = schema["pattern"].as_str()
                && !regex::Regex::new(pattern)
                    .expect("the document's pattern")
                    .is_match(text)
            {
                outcome
                    .violations
                    .push(format!("{at}: {value} does not match {pattern}"));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let here = format!("{at}[{i}]");
                let item = evaluate(doc, &schema["items"], item, &here, reading, true);
                outcome.violations.extend(item.violations);
            }
        }
        _ => {}
    }
    outcome
}

/// The object keywords of `schema` on `fields`: `required`, `properties`,
/// `additionalProperties`; and, when `closed` (`unevaluatedProperties: false`), every field that
/// neither they nor the subschemas (which `evaluated` theirs) declare.
fn object(
    doc: &Value,
    schema: &Value,
    fields: &Map<String, Value>,
    at: &str,
    reading: Reading,
    closed: bool,
    evaluated: &BTreeSet<String>,
) -> Outcome {
    let mut outcome = Outcome::default();
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap_or_default();
        if !fields.contains_key(name) {
            outcome
                .violations
                .push(format!("{at}: lacks required `{name}`"));
        }
    }
    let undeclared =
        |name: &str| format!("{at}: sends `{name}`, which the document does not declare");
    for (name, field) in fields {
        let here = format!("{at}.{name}");
        let additional = &schema["additionalProperties"];
        let checked_by = match schema["properties"].get(name) {
            Some(property) => property,
            None if additional.is_null() => continue,
            None if *additional == false => {
                outcome.violations.push(undeclared(name));
                continue;
            }
            None => additional,
        };
        let field = evaluate(doc, checked_by, field, &here, reading, true);
        outcome.violations.extend(field.violations);
        outcome.evaluated.insert(name.clone());
    }
    if closed {
        for name in fields.keys() {
            if !outcome.evaluated.contains(name) && !evaluated.contains(name) {
                outcome.violations.push(undeclared(name));
            }
        }
    }
    outcome
}

/// Checks a reply against the schema of `method path` for its status.
fn check(doc: &Value, method: &str, path: &str, reply: &Reply) {
    let operation = &doc["paths"][crate::support::document_path(path)][method];
    assert!(
        operation.is_object(),
        "{method} {path} is not in the document"
    );
    let status = reply.status.to_string();
    let response = &operation["responses"][&status];
    assert!(
        response.is_object(),
        "{method} {path} answered {status}, which the document does not declare: {}",
        reply.text
    );
    let content = &response["content"];
    let Some((media, body)) = content.as_object().and_then(|c| c.iter().next()) else {
        assert!(
            reply.text.is_empty(),
            "{method} {path} {status}: a body the document does not declare"
        );
        return;
    };
    assert_eq!(
        reply.header("content-type"),
        Some(media.as_str()),
        "{method} {path} {status}"
    );
    let found = violations(doc, &body["schema"], &reply.json(), "$");
    assert!(
        found.is_empty(),
        "{method} {path} {status}:\n  {}",
        found.join("\n  ")
    );
}

/// Checks a request body against the schema of the body of `method path`.
fn check_request(doc: &Value, method: &str, path: &str, body: &Value) {
    let found = request_violations(doc, &request_schema(doc, method, path), body);
    assert!(
        found.is_empty(),
        "{method} {path}, body {body}:\n  {}",
        found.join("\n  ")
    );
}

fn request_schema(doc: &Value, method: &str, path: &str) -> Value {
    let operation = &doc["paths"][crate::support::document_path(path)][method];
    let content = operation["requestBody"]["content"].as_object();
    let (_, body) = content
        .and_then(|c| c.iter().next())
        .unwrap_or_else(|| panic!("{method} {path} takes no body in the document"));
    body["schema"].clone()
}

/// Posts `body` to `path` (`template` in the document), checking the body and the reply.
fn post(
    app: &TestApp,
    doc: &Value,
    template: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Reply {
    check_request(doc, "post", template, &body);
    let reply = app.post(path, token, &body);
    check(doc, "post", template, &reply);
    reply
}

fn id(reply: &Reply) -> String {
    reply.json()["id"].as_str().expect("id").to_owned()
}

on_both_backends! {
    fn every_request_and_reply_of_a_full_scenario_matches_the_document(app) {
        let doc = document();
        let c = |method: &str, path: &str, reply: Reply| {
            check(&doc, method, path, &reply);
            reply
        };
        let p = |path: &str, token: &str, body: Value| post(&app, &doc, path, path, Some(token), body);
        app.connect(&["CJIB", "DUO"]);
        for (code, events) in cjib_and_duo_claims() {
            p("/api/v1/gebeurtenissen", &app.agency(code), json!({"gebeurtenissen": events})).succeeded();
        }
        let cjib = app.agency("CJIB");
        let citizen = app.citizen(BSNS[0]);
        let counsellor = app.counsellor("GKB");
        let attachment_id = id(&p("/api/v1/beslagen", &cjib, attachment("150.00", "1400.00", "2026-02-01")).succeeded());
        c("get", "/api/v1/beslagen/{id}", app.get(&format!("/api/v1/beslagen/{attachment_id}"), Some(&cjib)));
        p("/api/v1/machtigingen", &citizen, json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-06-30"})).succeeded();
        let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06", "belastbaarJaarinkomen": "23000.00"});
        let proposal_id = id(&p("/api/v1/betalingsregelingen/voorstellen", &citizen, json!({"huishouden": household})).succeeded());
        let arrangement_id = id(&p("/api/v1/betalingsregelingen", &citizen, json!({"voorstel": proposal_id})).succeeded());
        p("/api/v1/andere-regelingen", &citizen, json!({"partij": "Woonstad", "maandbedrag": "50.00", "startdatum": "2026-02-01"})).succeeded();
        // Tells CJIB, the coordinator, REGELING_VORDERING_GEWIJZIGD.
        p("/api/v1/gebeurtenissen", &app.agency("DUO"), json!({"gebeurtenissen": [remission("DK1", "DUO-1", "100.00")]})).succeeded();
        for (method, template, path, token) in [
            ("get", "/api/v1/schuldeisers", "/api/v1/schuldeisers".to_owned(), None),
            ("get", "/api/v1/schuldhulpverleners", "/api/v1/schuldhulpverleners".to_owned(), None),
            ("get", "/api/v1/normtabellen", "/api/v1/normtabellen".to_owned(), None),
            ("get", "/api/v1/vorderingen", "/api/v1/vorderingen".to_owned(), Some(cjib.clone())),
            ("get", "/api/v1/vorderingenoverzicht", "/api/v1/vorderingenoverzicht".to_owned(), Some(citizen.clone())),
            ("get", "/api/v1/betalingsregelingen", "/api/v1/betalingsregelingen".to_owned(), Some(citizen.clone())),
            ("get", "/api/v1/betalingsregelingen/{id}", format!("/api/v1/betalingsregelingen/{arrangement_id}"), Some(citizen.clone())),
            ("get", "/api/v1/machtigingen", "/api/v1/machtigingen".to_owned(), Some(citizen.clone())),
            ("get", "/api/v1/inzagelog", "/api/v1/inzagelog".to_owned(), Some(citizen.clone())),
            ("get", "/api/v1/meldingen", "/api/v1/meldingen".to_owned(), Some(cjib.clone())),
            ("get", "/api/v1/meldingen", "/api/v1/meldingen".to_owned(), Some(app.agency("DUO"))),
            ("get", "/api/v1/clienten", "/api/v1/clienten".to_owned(), Some(counsellor.clone())),
            ("get", "/api/v1/vorderingen", "/api/v1/vorderingen?na=x".to_owned(), Some(cjib.clone())),
            ("get", "/api/v1/beslagen/{id}", "/api/v1/beslagen/x".to_owned(), Some(cjib.clone())),
            ("get", "/health/live", "/health/live".to_owned(), None),
            ("get", "/health/ready", "/health/ready".to_owned(), None),
        ] {
            let reply = app.get(&path, token.as_deref());
            c(method, template, reply);
        }
        let claims = app.get("/api/v1/vorderingen", Some(&cjib)).json();
        let claim = claims["vorderingen"][0]["id"].as_str().expect("a claim").to_owned();
        c("get", "/api/v1/vorderingen/{id}", app.get(&format!("/api/v1/vorderingen/{claim}"), Some(&cjib))).succeeded();
        p("/api/v1/vorderingenoverzicht/opvragen", &counsellor, json!({"burgerservicenummer": BSNS[0]})).succeeded();
        let norm = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1500.00", "belastbaarJaarinkomen": "23000.00"});
        post(&app, &doc, "/api/v1/normberekeningen", "/api/v1/normberekeningen", None, norm).succeeded();
        let end = json!({"reden": "Ik ga naar de gemeentelijke schuldhulpverlening."});
        let ending = format!("/api/v1/betalingsregelingen/{arrangement_id}/beeindigen");
        post(&app, &doc, "/api/v1/betalingsregelingen/{id}/beeindigen", &ending, Some(&citizen), end).succeeded();
        let feed = app.get("/api/v1/meldingen", Some(&cjib));
        let kinds: Vec<Value> = feed.json()["meldingen"].as_array().expect("a feed").iter().map(|m| m["inhoud"]["soort"].clone()).collect();
        assert!(kinds.contains(&json!("REGELING_VORDERING_GEWIJZIGD")) && kinds.len() >= 3, "the scenario fills the feed: {kinds:?}");
        c("get", "/api/v1/meldingen", feed);
    }

    fn an_overview_total_beyond_what_one_amount_may_hold_still_fits_the_document(app) {
        let doc = document();
        let largest = "999999999999.99";
        let events = json!([imposed("G1", "CJIB-G1", BSNS[0], "cjib_boete", largest), imposed("G2", "CJIB-G2", BSNS[0], "cjib_boete", largest)]);
        app.post_events("CJIB", events).succeeded();
        let overview = app.get("/api/v1/vorderingenoverzicht", Some(&app.citizen(BSNS[0])));
        assert_eq!(overview.json()["totaalOpenstaand"], "1999999999999.98");
        check(&doc, "get", "/api/v1/vorderingenoverzicht", &overview);
    }

    fn a_batch_of_every_event_type_fits_the_document_and_the_server_takes_it(app) {
        let doc = document();
        app.connect(&["CJIB"]);
        let events = json!([
            imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "1000.00"),
            surcharge("C2", "CJIB-1", "VERHOGING", "59.75"),
            payment("C3", "CJIB-1", "50.00"),
            booked_back("C8", "CJIB-1", "C3", "10.00"),
            remission("C4", "CJIB-1", "20.00"),
            phase("C5", "CJIB-1", "AANMANING", true),
            imposed("C6", "CJIB-2", BSNS[0], "cjib_boete", "80.00"),
            withdrawn("C7", "CJIB-2"),
        ]);
        let kinds: BTreeSet<&str> = events.as_array().unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
        let schema = resolve(&doc, &doc["components"]["schemas"]["Gebeurtenis"]);
        assert_eq!(kinds.len(), schema["oneOf"].as_array().unwrap().len(), "every event type");
        let reply = post(&app, &doc, "/api/v1/gebeurtenissen", "/api/v1/gebeurtenissen", Some(&app.agency("CJIB")), json!({"gebeurtenissen": events}));
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["verwerkt"], 8);
    }

    fn a_body_with_a_field_the_document_does_not_name_fails_its_schema_and_the_server(app) {
        let doc = document();
        let schema = request_schema(&doc, "post", "/api/v1/gebeurtenissen");
        let mut event = payment("C1", "CJIB-1", "50.00");
        event["categorie"] = json!("RENTE");
        let batch = json!({"gebeurtenissen": [event]});
        assert_eq!(request_violations(&doc, &schema, &batch).len(), 1, "one event that fits no type");
        let reply = app.post_events("CJIB", batch["gebeurtenissen"].clone());
        assert_eq!(reply.invalid_names(), ["gebeurtenissen[0].categorie"]);
        let outside = json!({"gebeurtenissen": [payment("C1", "CJIB-1", "50.00")], "afzender": "CJIB"});
        assert_eq!(request_violations(&doc, &schema, &outside), ["$: sends `afzender`, which the document does not declare"]);
        let reply = app.post("/api/v1/gebeurtenissen", Some(&app.agency("CJIB")), &outside);
        assert_eq!(reply.invalid_names(), ["afzender"]);
    }
}

#[test]
fn the_check_finds_an_undeclared_field_a_missing_one_and_a_wrong_type() {
    let doc = json!({"components": {"schemas": {"A": {
        "type": "object", "required": ["bedrag"],
        "properties": {"bedrag": {"type": "string"}, "fase": {"type": "string", "enum": ["INNING"]}}
    }}}});
    let schema = json!({"$ref": "#/components/schemas/A"});
    assert!(
        violations(
            &doc,
            &schema,
            &json!({"bedrag": "1.00", "fase": "INNING"}),
            "$"
        )
        .is_empty()
    );
    assert_eq!(
        violations(&doc, &schema, &json!({"bedragBijStart": "1.00"}), "$").len(),
        2
    );
    assert_eq!(
        violations(&doc, &schema, &json!({"bedrag": 1}), "$").len(),
        1
    );
    assert_eq!(
        violations(&doc, &schema, &json!({"bedrag": "1.00", "fase": "X"}), "$").len(),
        1
    );
    let with_null = json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]});
    assert!(violations(&doc, &with_null, &Value::Null, "$").is_empty());
}

#[test]
fn the_check_reads_all_of_parts_on_their_own_and_unevaluated_properties_over_all_of_them() {
    let doc = json!({"components": {"schemas": {"Betaling": {
        "type": "object", "required": ["bedrag"], "properties": {"bedrag": {"type": "string"}}
    }}}});
    let kind = json!({"type": "object", "required": ["type"],
        "properties": {"type": {"type": "string", "enum": ["Betaling"]}}});
    let closed_as_a_whole = json!({"allOf": [{"$ref": "#/components/schemas/Betaling"}, kind],
        "unevaluatedProperties": false});
    let event = json!({"type": "Betaling", "bedrag": "1.00"});
    assert!(request_violations(&doc, &closed_as_a_whole, &event).is_empty());
    let mut extra = event.clone();
    extra["reden"] = json!("x");
    assert_eq!(
        request_violations(&doc, &closed_as_a_whole, &extra),
        ["$: sends `reden`, which the document does not declare"]
    );
    // Each part closed on its own: no event passes, as each part refuses the other's field.
    let mut closed_part = kind.clone();
    closed_part["additionalProperties"] = json!(false);
    let mut parts_closed = doc.clone();
    parts_closed["components"]["schemas"]["Betaling"]["additionalProperties"] = json!(false);
    let each_part_closed =
        json!({"allOf": [{"$ref": "#/components/schemas/Betaling"}, closed_part]});
    assert_eq!(
        request_violations(&parts_closed, &each_part_closed, &event).len(),
        2
    );
    // A branch of a oneOf fits only if exactly one does.
    let either = json!({"oneOf": [{"type": "string"}, {"type": ["string", "null"]}]});
    assert_eq!(request_violations(&doc, &either, &json!("x")).len(), 1);
    assert!(request_violations(&doc, &either, &Value::Null).is_empty());
}
