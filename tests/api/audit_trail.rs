//! Every change an administrator makes to reference data is on the record: who, when, which
//! entry, each field before and after.

use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::fixtures::next_table;
use crate::on_both_backends;
use crate::support::{AUDIENCE, ISSUER, JWT_SECRET, TestApp};

/// An administrator's token naming who it is, as an identity provider's tokens do.
fn admin_named(name: &str) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, "rol": "beheerder", "sub": name});
    signed(&claims)
}

fn signed(claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap()
}

/// The trail names who made each change: an administrator's token without a `sub` (or an empty
/// one) is refused, before it can change anything unnamed.
#[test]
fn an_administrator_token_that_names_no_one_is_refused() {
    let app = TestApp::start(crate::support::Backend::Sqlite);
    let now = Utc::now().timestamp();
    let claims =
        json!({"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, "rol": "beheerder"});
    let table = next_table(&app);
    let before = trail(&app).len();
    app.post("/api/v1/normtabellen", Some(&signed(&claims)), &table)
        .problem(401);
    app.post("/api/v1/normtabellen", Some(&admin_named(" ")), &table)
        .problem(401);
    assert_eq!(trail(&app).len(), before);
}

fn trail(app: &TestApp) -> Vec<Value> {
    let reply = app.get("/api/v1/beheerlog", Some(&app.admin()));
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["wijzigingen"].as_array().unwrap().clone()
}

fn field<'a>(change: &'a Value, name: &str) -> &'a Value {
    change["velden"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["veld"] == name)
        .unwrap_or(&Value::Null)
}

on_both_backends! {
    fn each_change_to_reference_data_is_recorded_with_who_and_each_field_before_and_after(app) {
        let before = trail(&app).len();
        let jansen = admin_named("beheerder-jansen");
        let cjib = app.get("/api/v1/schuldeisers", None).json()["schuldeisers"].as_array().unwrap().iter()
            .find(|s| s["code"] == "CJIB").cloned().unwrap();
        let mut changed = json!({
            "naam": cjib["naam"], "vorderingtypeVoorvoegsel": cjib["vorderingtypeVoorvoegsel"],
            "betalingsregelingRijkVanaf": cjib["betalingsregelingRijkVanaf"],
            "overzichtAangeslotenVanaf": cjib["overzichtAangeslotenVanaf"],
            "contact": {"website": cjib["contact"]["website"], "telefoon": "058-1234567"},
        });
        app.put("/api/v1/schuldeisers/CJIB", Some(&jansen), &changed).succeeded();
        // The same entry again changes nothing, and leaves no trace of a change.
        app.put("/api/v1/schuldeisers/CJIB", Some(&jansen), &changed).succeeded();
        changed["naam"] = json!("CJIB (test)");
        app.put("/api/v1/schuldeisers/CJIB", Some(&admin_named("beheerder-de-vries")), &changed).succeeded();
        app.put("/api/v1/schuldhulpverleners/GKB-UTRECHT", Some(&jansen), &json!({"naam": "GKB Utrecht"})).succeeded();
        app.post("/api/v1/normtabellen", Some(&jansen), &next_table(&app)).succeeded();

        let trail = trail(&app);
        assert_eq!(trail.len() - before, 4, "{trail:#?}");
        let [table, counsellor, renamed, phone] = [&trail[0], &trail[1], &trail[2], &trail[3]];
        assert_eq!((table["register"].as_str(), table["sleutel"].as_str()), (Some("NORMTABELLEN"), Some("2027-01-01")));
        assert!(field(table, "BIJSTANDSNORM_ALLEENSTAANDE")["na"].as_str().unwrap().starts_with("1439.46"));
        assert_eq!(field(table, "BIJSTANDSNORM_ALLEENSTAANDE")["voor"], Value::Null);
        assert_eq!((counsellor["register"].as_str(), counsellor["door"].as_str()), (Some("SCHULDHULPVERLENERS"), Some("beheerder-jansen")));
        assert_eq!(field(counsellor, "naam")["na"], "GKB Utrecht");
        assert_eq!(renamed["door"], "beheerder-de-vries");
        assert_eq!(renamed["velden"].as_array().unwrap().len(), 1, "only what changed");
        assert_eq!((field(renamed, "naam")["voor"].clone(), field(renamed, "naam")["na"].clone()), (cjib["naam"].clone(), json!("CJIB (test)")));
        assert_eq!((phone["register"].as_str(), phone["sleutel"].as_str()), (Some("SCHULDEISERS"), Some("CJIB")));
        assert_eq!(field(phone, "contact.telefoon")["na"], "058-1234567");
        assert!(phone["tijdstip"].as_str().is_some_and(|t| t.contains('T')));
    }

    fn only_administrators_read_the_audit_trail(app) {
        for token in [app.citizen(crate::support::BSNS[0]), app.agency("CJIB"), app.counsellor("GKB")] {
            app.get("/api/v1/beheerlog", Some(&token)).problem(403);
        }
        app.get("/api/v1/beheerlog", None).problem(401);
    }
}
