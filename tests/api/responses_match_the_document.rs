//! What the server sends is what the OpenAPI document says it sends: every reply of a full
//! scenario is checked against the schema its operation declares for its status. Catches a
//! field renamed on one side only, and two schemas that collide under one name.

use serde_json::{Value, json};

use crate::fixtures::{attachment, cjib_and_duo_claims, register};
use crate::on_both_backends;
use crate::support::{BSNS, Reply};

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

/// Every way `value` breaks `schema`, as JSON paths with a reason.
fn violations(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = resolve(doc, schema);
    if let Some(branches) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fitting = branches
            .iter()
            .filter(|b| violations(doc, b, value, at).is_empty())
            .count();
        return if fitting == 0 {
            vec![format!("{at}: fits no branch of oneOf/anyOf: {value}")]
        } else {
            Vec::new()
        };
    }
    if let Some(parts) = schema["allOf"].as_array() {
        return all_of(doc, parts, value, at);
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
        return vec![format!("{at}: is {actual}, the document says {types:?}")];
    }
    let mut found = Vec::new();
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        found.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    match value {
        Value::Object(fields) => {
            found.extend(object(doc, schema, fields, at, &[]));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                found.extend(violations(
                    doc,
                    &schema["items"],
                    item,
                    &format!("{at}[{i}]"),
                ));
            }
        }
        _ => {}
    }
    found
}

/// An object against an allOf: each part checks the fields it declares; together they must
/// declare every field.
fn all_of(doc: &Value, parts: &[Value], value: &Value, at: &str) -> Vec<String> {
    let declared: Vec<String> = parts
        .iter()
        .flat_map(|p| {
            resolve(doc, p)["properties"]
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect();
    let mut found = Vec::new();
    for part in parts {
        let part = resolve(doc, part);
        match value.as_object() {
            Some(fields) if part["type"] == "object" || part["properties"].is_object() => {
                found.extend(object(doc, part, fields, at, &declared));
            }
            _ => found.extend(violations(doc, part, value, at)),
        }
    }
    found
}

fn object(
    doc: &Value,
    schema: &Value,
    fields: &serde_json::Map<String, Value>,
    at: &str,
    declared_elsewhere: &[String],
) -> Vec<String> {
    let mut found = Vec::new();
    let properties = schema["properties"].as_object();
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap_or_default();
        if !fields.contains_key(name) {
            found.push(format!("{at}: lacks required `{name}`"));
        }
    }
    let open = schema["additionalProperties"].is_object() || schema["additionalProperties"] == true;
    for (name, field) in fields {
        match properties.and_then(|p| p.get(name)) {
            Some(property) => {
                found.extend(violations(doc, property, field, &format!("{at}.{name}")));
            }
            None if open || declared_elsewhere.contains(name) => {}
            None => found.push(format!(
                "{at}: sends `{name}`, which the document does not declare"
            )),
        }
    }
    found
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

fn id(reply: &Reply) -> String {
    reply.json()["id"].as_str().expect("id").to_owned()
}

on_both_backends! {
    fn every_reply_of_a_full_scenario_matches_the_document(app) {
        let doc = document();
        let c = |method: &str, path: &str, reply: Reply| {
            check(&doc, method, path, &reply);
            reply
        };
        app.connect(&["CJIB", "DUO"]);
        for (code, events) in cjib_and_duo_claims() {
            c("post", "/api/v1/gebeurtenissen", app.post_events(code, events)).succeeded();
        }
        let cjib = app.agency("CJIB");
        let citizen = app.citizen(BSNS[0]);
        let counsellor = app.counsellor("GKB");
        let attachment = register(&app, &cjib, &attachment("150.00", "1400.00", "2026-02-01"));
        let attachment_id = id(&c("post", "/api/v1/beslagen", attachment));
        c("get", "/api/v1/beslagen/{id}", app.get(&format!("/api/v1/beslagen/{attachment_id}"), Some(&cjib)));
        let mandate = app.post("/api/v1/machtigingen", Some(&citizen), &json!({"schuldhulpverlener": "GKB", "geldigTot": "2027-06-30"}));
        c("post", "/api/v1/machtigingen", mandate).succeeded();
        let household = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2017.06", "belastbaarJaarinkomen": "23000.00"});
        let proposal = app.post("/api/v1/betalingsregelingen/voorstellen", Some(&citizen), &json!({"huishouden": household}));
        let proposal_id = id(&c("post", "/api/v1/betalingsregelingen/voorstellen", proposal));
        let accepted = app.post("/api/v1/betalingsregelingen", Some(&citizen), &json!({"voorstel": proposal_id}));
        let arrangement_id = id(&c("post", "/api/v1/betalingsregelingen", accepted));
        let declared = app.post("/api/v1/andere-regelingen", Some(&citizen), &json!({"partij": "Woonstad", "maandbedrag": "50.00", "startdatum": "2026-02-01"}));
        c("post", "/api/v1/andere-regelingen", declared).succeeded();

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
        let overview = app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&counsellor), &json!({"burgerservicenummer": BSNS[0]}));
        c("post", "/api/v1/vorderingenoverzicht/opvragen", overview).succeeded();
        let norm = app.post("/api/v1/normberekeningen", None, &json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "1500.00", "belastbaarJaarinkomen": "23000.00"}));
        c("post", "/api/v1/normberekeningen", norm).succeeded();
        let ended = app.post(&format!("/api/v1/betalingsregelingen/{arrangement_id}/beeindigen"), Some(&citizen), &json!({"reden": "Ik ga naar de gemeentelijke schuldhulpverlening."}));
        c("post", "/api/v1/betalingsregelingen/{id}/beeindigen", ended).succeeded();
        let feed = app.get("/api/v1/meldingen", Some(&cjib));
        assert!(feed.json()["meldingen"].as_array().is_some_and(|m| m.len() >= 2), "the scenario fills the feed");
        c("get", "/api/v1/meldingen", feed);
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
