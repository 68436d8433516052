//! The OpenAPI document is generated from the code and committed; they may not drift apart.

use serde_json::{Value, json};

use crate::support::{Backend, TestApp};

const COMMITTED: &str = "openapi/openapi.json";

#[test]
fn the_committed_openapi_document_is_the_one_the_code_generates() {
    let generated = rijksincasso::api::openapi::to_json();
    if std::env::var("UPDATE_OPENAPI").as_deref() == Ok("1") {
        std::fs::write(COMMITTED, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `UPDATE_OPENAPI=1 cargo test --test api openapi` (or `cargo run -- openapi > openapi/openapi.json`) and commit it"
    );
}

#[test]
fn the_service_publishes_the_document_with_contact_and_bearer_security() {
    let app = TestApp::start(Backend::Sqlite);
    let reply = app.get("/api/v1/openapi.json", None);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text, rijksincasso::api::openapi::to_json());
    let spec = reply.json();
    for field in ["name", "url", "email"] {
        assert!(
            spec["info"]["contact"][field]
                .as_str()
                .is_some_and(|v| !v.is_empty()),
            "info.contact.{field}"
        );
    }
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for path in spec["paths"].as_object().unwrap().keys() {
        assert!(!path.ends_with('/'), "no trailing slash: {path}");
        assert!(
            !path.to_lowercase().contains("bsn"),
            "no BSN in URLs: {path}"
        );
    }
}

/// Every operation of the generated document: method, path, operation.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation["responses"].is_object() {
                found.push((method.clone(), path.clone(), operation.clone()));
            }
        }
    }
    found
}

fn generated() -> Value {
    serde_json::from_str(&rijksincasso::api::openapi::to_json()).unwrap()
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

#[test]
fn every_operation_with_a_body_declares_408_413_and_415() {
    let doc = generated();
    let mut with_a_body = 0;
    for (method, path, operation) in operations(&doc) {
        if operation["requestBody"].is_null() {
            continue;
        }
        with_a_body += 1;
        for status in ["408", "413", "415"] {
            assert!(
                operation["responses"][status]["content"]["application/problem+json"].is_object(),
                "{method} {path} takes a body but declares no {status} problem"
            );
        }
    }
    assert!(with_a_body >= 19, "{with_a_body} operations with a body");
}

/// Every operation but the liveness probe and the document itself reaches the database, and
/// answers 503 with `Retry-After` while it is unavailable (`ApiError::unavailable`).
#[test]
fn every_operation_that_reaches_the_database_declares_503_with_retry_after() {
    let doc = generated();
    for (method, path, operation) in operations(&doc) {
        let unavailable = &operation["responses"]["503"];
        if ["gezondheidLevend", "openapiDocument"]
            .contains(&operation["operationId"].as_str().unwrap())
        {
            assert!(
                unavailable.is_null(),
                "{method} {path} never reaches the database"
            );
            continue;
        }
        assert!(
            unavailable["content"]["application/problem+json"].is_object(),
            "{method} {path} declares no 503 problem"
        );
        assert_eq!(
            unavailable["headers"]["Retry-After"]["schema"]["type"], "integer",
            "{method} {path}: its 503 declares no `Retry-After` in seconds"
        );
    }
}

/// A mandate that is unknown or someone else's is "not found" (`ServiceError::NotFound`).
#[test]
fn every_operation_that_takes_a_machtiging_declares_404() {
    let doc = generated();
    let mut naming = 0;
    for (method, path, operation) in operations(&doc) {
        let body = &operation["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        let in_body = body.as_str().is_some_and(|r| {
            schema(&doc, r.rsplit('/').next().unwrap())["properties"]["machtiging"].is_object()
        });
        let in_query = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "machtiging");
        if in_body || in_query {
            naming += 1;
            assert!(
                operation["responses"]["404"].is_object(),
                "{method} {path} takes a `machtiging` but declares no 404"
            );
        }
    }
    assert_eq!(naming, 7, "the operations that take a machtiging");
}

#[test]
fn the_fields_the_server_requires_are_required_and_those_it_cannot_clear_are_not_nullable() {
    let doc = generated();
    for (name, fields) in [
        ("AbonnementInvoer", ["url", "geheim"].as_slice()),
        ("SchuldhulptrajectInvoer", &["fase", "startdatum"]),
    ] {
        let required = schema(&doc, name)["required"].as_array().unwrap();
        for field in fields {
            assert!(
                required.contains(&json!(field)),
                "{name}.{field} is not required"
            );
        }
    }
    for (name, fields) in [
        (
            "BeslagWijziging",
            ["inkomstenbron", "maandbedrag", "startdatum", "executoriaal"].as_slice(),
        ),
        (
            "AndereRegelingWijziging",
            &["partij", "maandbedrag", "startdatum"],
        ),
    ] {
        let change = schema(&doc, name);
        for field in fields {
            let property = &change["properties"][field];
            assert!(property.is_object(), "{name}.{field}");
            assert!(
                !property.to_string().contains(r#""null""#),
                "{name}.{field} may not be cleared, so it is not nullable: {property}"
            );
        }
        assert!(
            change["required"].is_null(),
            "{name}: every field of a merge patch is optional"
        );
    }
}
