//! The OpenAPI document is generated from the code and committed; they may not drift apart.

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
