//! The web pages, "Mijn Rijksincasso": server-rendered HTML for citizens and debt counsellors,
//! next to the API in the same binary (docs/pages.md). Every page reads and writes through the same
//! service functions as the API, with the same `Caller`, so authorization, the access log,
//! samenloop and notifications behave exactly the same. Pages need no JavaScript; every form
//! posts (with a CSRF token) and changes redirect (POST-redirect-GET).

pub mod error;
mod form;
pub mod oidc;
mod pages;
pub mod session;
pub mod settings;
mod view;

use std::net::IpAddr;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, web};

use crate::config::{Config, Mode};
use crate::rate_limit::KeyedLimiter;

pub use error::PageError;

/// The component CSS of the pages, written after the NL Design System conventions.
pub const STYLESHEET: &str = include_str!("../../assets/rijksincasso.css");
/// CSS custom properties generated from the Rijkshuisstijl Community design tokens by
/// `ops/generate-design-tokens` (a test fails when this differs from what it generates).
pub const DESIGN_TOKENS: &str = include_str!("../../assets/design-tokens.css");

/// The Content-Security-Policy of every page: no script at all, styles only from this origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What the pages need beside the services.
pub struct WebState {
    pub config: settings::WebConfig,
    /// The development login is refused in production mode.
    pub mode: Mode,
    pub oidc: Option<oidc::Client>,
    pub login_limiter: KeyedLimiter<IpAddr>,
    /// Cookies are `Secure` (and `__Host-`) unless the service is reached over http on the
    /// loopback address (development).
    pub secure_cookies: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WebSetupError {
    #[error(transparent)]
    Oidc(#[from] oidc::ClientSetupError),
}

impl WebState {
    pub fn new(config: &Config) -> Result<WebState, WebSetupError> {
        let public_url = config
            .web
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.bind));
        let secure_cookies =
            !(public_url.starts_with("http://") && settings::secure_or_loopback(&public_url));
        let oidc = match &config.web.oidc {
            Some(oidc) => Some(oidc::Client::new(
                oidc.clone(),
                format!("{public_url}{}", pages::login::CALLBACK_PATH),
            )?),
            None => None,
        };
        Ok(WebState {
            mode: config.mode(),
            login_limiter: KeyedLimiter::new(
                config.web.login_attempts_per_minute,
                config.web.login_attempts_per_minute,
            ),
            config: config.web.clone(),
            oidc,
            secure_cookies,
        })
    }
}

/// Whether a path belongs to the API side (problem+json), not to the pages.
pub fn is_api_path(path: &str) -> bool {
    ["/api", "/health", "/metrics"].iter().any(|prefix| {
        path == *prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The pages' routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    pages::routes(cfg);
    cfg.route("/assets/design-tokens.css", web::get().to(design_tokens))
        .route("/assets/rijksincasso.css", web::get().to(stylesheet));
}

async fn stylesheet() -> HttpResponse {
    css(STYLESHEET)
}

async fn design_tokens() -> HttpResponse {
    css(DESIGN_TOKENS)
}

fn css(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

/// The HTML answer for a path that is neither a page nor part of the API, with the menu of the
/// person's session.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    PageError::not_found().page_for(&req).await
}

/// Security headers on every page, and an HTML page for every error response of the pages that
/// is not one yet (a form that could not be read, a method not allowed, …). API paths pass
/// untouched.
pub async fn page_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let path = crate::api::routes::routed_path(req.request());
    if is_api_path(path) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let is_asset = path.starts_with("/assets/");
    // Where cookies must be `Secure`, the pages are served over https only: a browser that has
    // seen them once does not try http again (where a session cookie could not go anyway).
    let https_only = req
        .app_data::<web::Data<crate::api::AppState>>()
        .is_some_and(|state| state.web.secure_cookies);
    let response = next.call(req).await?;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    // An error answers as a page, and a logged-in person with their menu, as every other page
    // does: a page's own error, and one the framework made (not found, an unreadable form, …).
    let error = match response
        .response()
        .error()
        .and_then(|error| error.as_error::<PageError>())
    {
        Some(error) => Some(error.clone()),
        None if (status.is_client_error() || status.is_server_error()) && !is_html => {
            Some(PageError::for_status(status))
        }
        None => None,
    };
    let mut response = match error {
        Some(error) => {
            let page = error.page_for(response.request()).await;
            let (request, _) = response.into_parts();
            ServiceResponse::new(request, page)
        }
        None => response.map_into_boxed_body(),
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !is_asset {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https_only {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_api_health_and_metrics_paths_are_the_apis() {
        for path in ["/api", "/api/v1/schuldeisers", "/health/live", "/metrics"] {
            assert!(is_api_path(path), "{path}");
        }
        for path in ["/", "/mijn", "/apiary", "/healthy", "/normberekening"] {
            assert!(!is_api_path(path), "{path}");
        }
    }
}
