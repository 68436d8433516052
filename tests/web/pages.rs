//! A plain HTTP client for the pages, keeping the session cookie like a browser, following no
//! redirects: for the checks that need exact status codes and headers (forged forms, other
//! people's ids, headers), where a browser would only get in the way.

use std::sync::OnceLock;

use crate::support::{Reply, TestApp};

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into()
    })
}

pub struct Visitor<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
}

/// The value of a hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().expect("token").to_owned()
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Visitor<'a> {
        Visitor { app, cookie: None }
    }

    fn send(&mut self, method: &str, path: &str, form: Option<&[(&str, &str)]>) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.app.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", cookie.as_str());
        }
        let body = match form {
            Some(pairs) => {
                request = request.header("Content-Type", "application/x-www-form-urlencoded");
                serde_urlencoded::to_string(pairs).expect("form")
            }
            None => String::new(),
        };
        let mut response = agent()
            .run(request.body(body).expect("request"))
            .expect("HTTP exchange");
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        for (name, value) in &headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                let pair = value.split(';').next().unwrap_or_default();
                if value.contains("Max-Age=0") {
                    self.cookie = None;
                } else {
                    self.cookie = Some(pair.to_owned());
                }
            }
        }
        Reply {
            status: response.status().as_u16(),
            headers,
            text: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, None)
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send("POST", path, Some(form))
    }

    /// Posts a form with the CSRF token of the page at `page`.
    pub fn submit(&mut self, page: &str, action: &str, form: &[(&str, &str)]) -> Reply {
        let csrf = csrf_of(&self.get(page).text);
        let mut pairs = vec![("csrf", csrf.as_str())];
        pairs.extend_from_slice(form);
        self.post(action, &pairs)
    }

    pub fn login_citizen(app: &'a TestApp, bsn: &str) -> Visitor<'a> {
        let mut visitor = Visitor::new(app);
        let reply = visitor.submit(
            "/inloggen",
            "/inloggen/ontwikkeling",
            &[("burgerservicenummer", bsn)],
        );
        assert_eq!(reply.status, 303, "{}", reply.text);
        assert_eq!(reply.header("location"), Some("/mijn"));
        visitor
    }

    pub fn login_counsellor(app: &'a TestApp, organisation: &str) -> Visitor<'a> {
        let mut visitor = Visitor::new(app);
        let reply = visitor.submit(
            "/inloggen",
            "/inloggen/ontwikkeling",
            &[("organisatie", organisation)],
        );
        assert_eq!(reply.status, 303, "{}", reply.text);
        visitor
    }
}

/// The record id in a page's address after `prefix`, without a confirmation's query and anchor.
pub fn id_after<'a>(address: &'a str, prefix: &str) -> &'a str {
    let rest = address
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{address} does not start with {prefix}"));
    rest.split(['?', '#']).next().unwrap_or_default()
}

/// Asserts an HTML page with this status, and returns its text.
pub fn html_page(reply: &Reply, status: u16) -> &str {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{}",
        reply.text
    );
    &reply.text
}
