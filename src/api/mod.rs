//! The HTTP API (`/api/v1`): thin handlers that parse, authorize, call one service function and
//! render. Paths, fields and messages are Dutch, as the API Design Rules ask.

mod andere_regelingen;
mod beslagen;
mod betalingsregelingen;
mod error;
mod gebeurtenissen;
mod health;
mod input;
mod inzagelog;
mod machtigingen;
mod meldingen;
mod middleware;
mod normen;
pub mod openapi;
mod overzicht;
mod pagination;
mod principal;
mod schuldeisers;
mod vordering;
mod vorderingen;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use crate::auth::Authenticator;
use crate::clock::{Clock, Moment};
use crate::config::ArrangementSettings;
use crate::domain::person::Pseudonymizer;
use crate::domain::validation::FieldIssue;
use crate::store::Db;

pub use error::{ApiError, Problem};

/// The full version of the API, sent in every response's `API-Version` header.
pub const API_VERSION: &str = "1.0.0";

/// Largest request body accepted, in bytes: a full batch of events with room to spare.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub struct AppState {
    pub db: Db,
    pub auth: Authenticator,
    pub pseudonymizer: Pseudonymizer,
    pub clock: Arc<dyn Clock>,
    pub arrangements: ArrangementSettings,
}

impl AppState {
    pub fn now(&self) -> Moment {
        Moment::at(self.clock.now())
    }
}

/// Starts the HTTP server on an already bound listener.
pub fn server(state: AppState, listener: TcpListener, workers: usize) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(routes)
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError::for_status(StatusCode::NOT_FOUND))
            }))
            .wrap(from_fn(middleware::problem_json))
            .wrap(from_fn(middleware::request_span))
            .wrap(DefaultHeaders::new().add(("API-Version", API_VERSION)))
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Every route. Only `/health/*`, `GET /api/v1/schuldeisers` and `GET /api/v1/openapi.json` are
/// public; every other handler requires a `Principal`.
fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(MAX_BODY_BYTES)
            .content_type_required(true)
            // application/json, and JSON with a suffix such as application/merge-patch+json.
            .content_type(|mime| {
                mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json")
            })
            .error_handler(json_error),
    )
    .app_data(web::QueryConfig::default().error_handler(query_error))
    .service(
        web::scope("/health")
            .route("/live", web::get().to(health::live))
            .route("/ready", web::get().to(health::ready)),
    )
    .service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(openapi::serve))
            .service(web::resource("/schuldeisers").route(web::get().to(schuldeisers::list)))
            .service(web::resource("/schuldeisers/{code}").route(web::put().to(schuldeisers::put)))
            .service(web::resource("/gebeurtenissen").route(web::post().to(gebeurtenissen::post)))
            .service(web::resource("/vorderingen").route(web::get().to(vorderingen::list)))
            .service(web::resource("/vorderingen/{id}").route(web::get().to(vorderingen::get)))
            .service(web::resource("/vorderingenoverzicht").route(web::get().to(overzicht::own)))
            .service(
                web::resource("/vorderingenoverzicht/opvragen")
                    .route(web::post().to(overzicht::on_behalf)),
            )
            .service(
                web::resource("/machtigingen")
                    .route(web::get().to(machtigingen::list))
                    .route(web::post().to(machtigingen::grant)),
            )
            .service(
                web::resource("/machtigingen/{id}").route(web::delete().to(machtigingen::revoke)),
            )
            .service(web::resource("/inzagelog").route(web::get().to(inzagelog::list)))
            .service(
                web::resource("/normtabellen")
                    .route(web::get().to(normen::list))
                    .route(web::post().to(normen::add)),
            )
            .service(web::resource("/normberekeningen").route(web::post().to(normen::compute)))
            .service(
                web::resource("/betalingsregelingen/voorstellen")
                    .route(web::post().to(betalingsregelingen::propose)),
            )
            .service(
                web::resource("/betalingsregelingen")
                    .route(web::get().to(betalingsregelingen::list))
                    .route(web::post().to(betalingsregelingen::accept)),
            )
            .service(
                web::resource("/betalingsregelingen/{id}")
                    .route(web::get().to(betalingsregelingen::get)),
            )
            .service(
                web::resource("/betalingsregelingen/{id}/beeindigen")
                    .route(web::post().to(betalingsregelingen::end)),
            )
            .service(web::resource("/meldingen").route(web::get().to(meldingen::list)))
            .service(web::resource("/beslagen").route(web::post().to(beslagen::register)))
            .service(
                web::resource("/beslagen/{id}")
                    .route(web::get().to(beslagen::get))
                    .route(web::patch().to(beslagen::change)),
            )
            .service(
                web::resource("/andere-regelingen")
                    .route(web::post().to(andere_regelingen::declare)),
            )
            .service(
                web::resource("/andere-regelingen/{id}")
                    .route(web::patch().to(andere_regelingen::change)),
            ),
    );
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
        // Position only: the message of the parser could quote the input.
        JsonPayloadError::Deserialize(e) => ApiError::invalid(vec![FieldIssue::new(
            "(body)",
            "ongeldige_json",
            format!(
                "is geen geldige JSON (regel {}, kolom {})",
                e.line(),
                e.column()
            ),
        )]),
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "Het verzoek kon niet gelezen worden.",
        ),
    };
    api_error.into()
}

fn query_error(_: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::invalid(vec![FieldIssue::new(
        "(query)",
        "ongeldige_query",
        "de queryparameters konden niet gelezen worden",
    )])
    .into()
}
