//! The HTTP API (`/api/v1`): thin handlers that parse, authorize, call one service function and
//! render. Paths, fields and messages are Dutch, as the API Design Rules ask.

mod abonnementen;
mod andere_regelingen;
mod beheerlog;
mod beslagen;
mod betalingsregelingen;
mod body_deadline;
pub mod caller;
mod clienten;
mod error;
mod gebeurtenissen;
mod health;
mod input;
mod inzagelog;
mod machtigingen;
mod meldingen;
mod metrics;
mod middleware;
mod normen;
pub mod openapi;
mod overzicht;
mod pagination;
mod public_limit;
pub mod routes;
mod saldo_opgaven;
mod samenloop;
mod schemas;
mod schuldeisers;
mod schuldhulptrajecten;
mod schuldhulpverleners;
mod vordering;
mod vorderingen;

use std::net::IpAddr;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpRequest, HttpServer, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::{AppExt, scope, service_config::ServiceConfig};

use crate::auth::Authenticator;
use crate::domain::person::Pseudonymizer;
use crate::domain::validation::FieldIssue;
use crate::rate_limit::KeyedLimiter;
use crate::service::Services;

pub use error::{ApiError, Problem};

/// The full version of the API, sent in every response's `API-Version` header.
pub const API_VERSION: &str = "1.0.0";

/// Largest request body accepted, in bytes: a full batch of events with room to spare.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub struct AppState {
    pub services: Arc<Services>,
    pub auth: Authenticator,
    pub pseudonymizer: Pseudonymizer,
    /// How long a client may take to send a request body.
    pub body_read_limit: Duration,
    /// Requests a minute per client on the public endpoints.
    pub public_limiter: KeyedLimiter<IpAddr>,
    /// Proxies whose `X-Forwarded-For` names the client for rate limits.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The web pages' login, sessions and limits.
    pub web: crate::web::WebState,
}

/// Every endpoint, registered once: the router and the OpenAPI document both come from this
/// list. Handlers carry their method and path; everything else is denied by default.
fn endpoints(cfg: &mut ServiceConfig) {
    cfg.service(
        scope::scope("/health")
            .service(health::live)
            .service(health::ready),
    )
    .service(
        scope::scope(openapi::API_BASE)
            .service(openapi::serve)
            .service(schuldeisers::list)
            .service(schuldeisers::put)
            .service(schuldhulpverleners::list)
            .service(schuldhulpverleners::put)
            .service(beheerlog::list)
            .service(clienten::list)
            .service(clienten::change)
            .service(gebeurtenissen::post)
            .service(vorderingen::list)
            .service(vorderingen::by_key)
            .service(vorderingen::get)
            .service(overzicht::own)
            .service(overzicht::on_behalf)
            .service(machtigingen::grant)
            .service(machtigingen::list)
            .service(machtigingen::revoke)
            .service(inzagelog::list)
            .service(normen::list)
            .service(normen::add)
            .service(normen::compute)
            .service(betalingsregelingen::propose)
            .service(betalingsregelingen::accept)
            .service(betalingsregelingen::list)
            .service(betalingsregelingen::get)
            .service(betalingsregelingen::end)
            .service(meldingen::list)
            .service(beslagen::register)
            .service(beslagen::change)
            .service(beslagen::get)
            .service(andere_regelingen::declare)
            .service(andere_regelingen::change)
            .service(schuldhulptrajecten::register)
            .service(schuldhulptrajecten::list)
            .service(schuldhulptrajecten::get)
            .service(schuldhulptrajecten::change)
            .service(saldo_opgaven::make)
            .service(saldo_opgaven::list)
            .service(saldo_opgaven::get)
            .service(abonnementen::subscribe)
            .service(abonnementen::list)
            .service(abonnementen::get)
            .service(abonnementen::remove),
    );
}

/// 201 for what a POST recorded, 200 for the same record given back to a repeated request.
fn created_or_found(new: bool) -> actix_web::HttpResponseBuilder {
    if new {
        actix_web::HttpResponse::Created()
    } else {
        actix_web::HttpResponse::Ok()
    }
}

/// The OpenAPI document of [`endpoints`], completed with what the handlers cannot say.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .configure(endpoints)
        .split_for_parts();
    openapi::complete(doc)
}

/// Starts the HTTP server on an already bound listener, and `/metrics` on `metrics` if given.
/// One server for both: they stop together and share the workers.
pub fn server(
    state: AppState,
    listener: TcpListener,
    metrics: Option<TcpListener>,
    workers: usize,
) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let metrics_listener = web::Data::new(metrics::MetricsListener(
        metrics.as_ref().map(TcpListener::local_addr).transpose()?,
    ));
    let mut server = HttpServer::new(move || {
        App::new()
            .into_utoipa_app()
            .configure(endpoints)
            .into_app()
            .service(
                web::resource(metrics::PATH)
                    .get(metrics::scrape)
                    .default_service(web::to(metrics::only_get)),
            )
            .app_data(state.clone())
            .app_data(metrics_listener.clone())
            .app_data(json_config())
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .configure(crate::web::routes)
            .default_service(web::to(routes::unmatched))
            .wrap(from_fn(public_limit::enforce))
            .wrap(from_fn(body_deadline::enforce))
            .wrap(from_fn(middleware::problem_json))
            .wrap(from_fn(crate::web::page_headers))
            .wrap(from_fn(metrics::gate))
            .wrap(from_fn(middleware::request_metrics))
            .wrap(TracingLogger::<middleware::RequestSpan>::new())
            // No cache keeps an answer (personal data); a page's assets say otherwise themselves.
            // A browser that opens an answer renders nothing of it, nor frames it: the pages set
            // their own policy, which these defaults leave as it is.
            .wrap(
                DefaultHeaders::new()
                    .add(("API-Version", API_VERSION))
                    .add((actix_web::http::header::CACHE_CONTROL, "no-store"))
                    .add((actix_web::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((
                        actix_web::http::header::CONTENT_SECURITY_POLICY,
                        "default-src 'none'; frame-ancestors 'none'",
                    )),
            )
    })
    .workers(workers)
    .listen(listener)?;
    if let Some(metrics) = metrics {
        server = server.listen(metrics)?;
    }
    Ok(server.run())
}

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_BODY_BYTES)
        .content_type_required(true)
        // application/json, and JSON with a suffix such as application/merge-patch+json.
        .content_type(|mime| mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
        .error_handler(json_error)
}

fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    let api_error = match &error {
        JsonPayloadError::ContentType => ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "Het verzoek is groter dan {MAX_BODY_BYTES} bytes; stuur het in kleinere delen."
                ),
            )
        }
        JsonPayloadError::Payload(e) if body_deadline::passed(e) => {
            ApiError::for_status(StatusCode::REQUEST_TIMEOUT)
        }
        JsonPayloadError::Deserialize(e) => ApiError::invalid_json(e),
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "Het verzoek kon niet gelezen worden.",
        ),
    };
    api_error.into()
}

/// Only ids are typed in paths (UUIDs); anything else cannot name a record of ours. The API
/// names the invalid input; a page answers that it does not exist.
fn path_error(_: PathError, req: &HttpRequest) -> actix_web::Error {
    if !routes::routed_path(req).starts_with("/api/") {
        return crate::web::error::PageError::not_found().into();
    }
    ApiError::invalid(vec![FieldIssue::new(
        "id",
        "ongeldig_id",
        "is geen id dat deze API heeft gegeven (een UUID)",
    )])
    .into()
}

/// Every query parameter is read as text, so what the reader refuses is one given twice: named,
/// as a body's member named twice is. Only a declared parameter's name can come back, never the
/// input itself.
fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    let twice = message
        .split_once("duplicate field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name);
    let issue = match twice {
        Some(name) => FieldIssue::new(
            name,
            "dubbel_veld",
            "staat meer dan eens in de query: elke parameter mag er één keer in staan",
        ),
        None => FieldIssue::new(
            "(query)",
            "ongeldige_query",
            "de queryparameters konden niet gelezen worden",
        ),
    };
    ApiError::invalid(vec![issue]).into()
}
