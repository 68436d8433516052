//! The web pages in a real browser (Debian's Chromium through chromedriver), on the real
//! application over SQLite and PostgreSQL: citizens' and counsellors' flows by keyboard and
//! without JavaScript, axe-core on every page, the login at a real OpenID provider, and the
//! security rules of the pages.

#[allow(dead_code)]
#[path = "../api/support.rs"]
mod support;

#[allow(dead_code)]
#[path = "../api/fixtures.rs"]
mod fixtures;

mod browser;
mod chain;
mod design;
mod flows;
mod oidc;
mod pages;
mod security;

use serde_json::json;

use browser::Browser;
use fixtures::{imposed, payment, surcharge};
use support::{BSNS, TestApp};

/// CJIB (a fine of 239.00 with a surcharge of 59.75) and DUO (1200.00, 150.00 paid) claims of
/// the first test citizen, both creditors connected: 1348.75 outstanding in all.
pub fn seed(app: &TestApp) {
    app.connect(&["CJIB", "DUO"]);
    app.post_events(
        "CJIB",
        json!([
            imposed("C1", "CJIB-1", BSNS[0], "cjib_boete", "239.00"),
            surcharge("C2", "CJIB-1", "VERHOGING", "59.75"),
        ]),
    )
    .succeeded();
    app.post_events(
        "DUO",
        json!([
            imposed("D1", "DUO-1", BSNS[0], "duo_studieschuld", "1200.00"),
            payment("D2", "DUO-1", "150.00"),
        ]),
    )
    .succeeded();
}

/// The household of the proposals: a single person whose norm on the first due date (1 July
/// 2026) is 0.95 × 1419.46 = 1348.49, leaving 668.57 of 2017.06 a month.
pub const INCOME: &str = "2.017,06";
pub const TAXABLE: &str = "23000";

/// Citizen `bsn` mandates `organisation` until 30 June 2027 (through the API); the mandate id.
pub fn grant_mandate(app: &TestApp, bsn: &str, organisation: &str) -> String {
    app.post(
        "/api/v1/machtigingen",
        Some(&app.citizen(bsn)),
        &json!({"schuldhulpverlener": organisation, "geldigTot": "2027-06-30"}),
    )
    .succeeded()
    .json()["id"]
        .as_str()
        .expect("mandate id")
        .to_owned()
}

/// Logs a counsellor organisation in with the development login.
pub fn log_in_counsellor(browser: &mut Browser, organisation: &str) {
    browser.goto("/inloggen");
    browser.select("#organisatie", organisation);
    browser.click("form:nth-of-type(2) button[type=submit]");
    assert_eq!(browser.path(), "/schuldhulp");
}
