//! Errors on pages: an HTML page with the status code kept, in the same words as the API's
//! problems (a `ServiceError` becomes the API's problem first, then a page).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::pages::Layout;
use crate::api::{ApiError, Problem};
use crate::domain::text::counted;
use crate::service::ServiceError;
use crate::store::StoreError;

#[derive(Debug, Clone)]
pub enum PageError {
    /// A problem as the API would report it, shown as a page.
    Problem(Problem),
    /// Not logged in: to the login page.
    LoginRequired,
    /// The request carried the cookie of a session that has ended (idle too long, past its
    /// absolute end, or logged out): to the login page, which says why sessions end.
    SessionLapsed,
}

#[derive(Template)]
#[template(path = "fout.html")]
struct ErrorPage<'a> {
    layout: Layout,
    problem: &'a Problem,
    login: bool,
}

impl PageError {
    fn page(status: StatusCode, detail: impl Into<String>) -> PageError {
        let mut problem = ApiError::for_status(status).problem();
        problem.detail = detail.into();
        PageError::Problem(problem)
    }

    pub fn not_found() -> PageError {
        PageError::page(
            StatusCode::NOT_FOUND,
            "Deze pagina bestaat niet. Controleer het adres, of ga verder via de link hieronder.",
        )
    }

    /// A form without this session's CSRF token: perhaps sent from another website.
    pub fn csrf() -> PageError {
        PageError::page(
            StatusCode::FORBIDDEN,
            "Dit formulier is verlopen of komt niet van deze website. Er is niets opgeslagen. \
             Open de pagina opnieuw en probeer het nog eens.",
        )
    }

    /// An address whose query a page cannot read (changed by hand, or cut off).
    pub fn unreadable_address() -> PageError {
        PageError::page(
            StatusCode::BAD_REQUEST,
            "Het adres van deze pagina klopt niet. Open de pagina opnieuw via het menu.",
        )
    }

    /// A form sent in a session that has ended (logged out, too long without activity, or past
    /// its longest life): nothing is kept, and the page links to logging in again.
    pub fn session_ended() -> PageError {
        PageError::page(
            StatusCode::UNAUTHORIZED,
            "U bent niet meer ingelogd: u heeft uitgelogd, was een tijd niet actief, of was \
             langer ingelogd dan mag. Er is niets opgeslagen. Log opnieuw in en vul het \
             formulier opnieuw in.",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> PageError {
        PageError::page(StatusCode::FORBIDDEN, detail)
    }

    /// A 429 page; `attempted` says what the person did too often ("geprobeerd in te loggen").
    pub fn too_many(attempted: &str, seconds: u64) -> PageError {
        PageError::Problem(
            ApiError::too_many(
                format!(
                    "U heeft te vaak kort na elkaar {attempted}. Wacht {} en probeer het dan \
                     opnieuw.",
                    counted(seconds, "seconde", "seconden")
                ),
                seconds,
            )
            .problem(),
        )
    }

    pub fn unavailable(detail: impl Into<String>) -> PageError {
        PageError::page(StatusCode::SERVICE_UNAVAILABLE, detail)
    }

    /// For an error response the framework made itself (a form it could not read, …).
    pub fn for_status(status: StatusCode) -> PageError {
        match status.as_u16() {
            404 => PageError::not_found(),
            405 => PageError::page(status, "Dit kan niet op deze pagina."),
            400 | 413 | 415 => PageError::page(
                status,
                "Het formulier kon niet gelezen worden. Er is niets opgeslagen.",
            ),
            _ => PageError::Problem(ApiError::for_status(status).problem()),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            PageError::Problem(p) => {
                StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            PageError::LoginRequired | PageError::SessionLapsed => StatusCode::SEE_OTHER,
        }
    }
}

/// An error page's title: what happened in plain words, where the API's problem title names
/// the HTTP status ("Niet geauthenticeerd", "Conflict met opgeslagen gegevens").
fn page_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 413 | 415 => "Dit kon niet worden verwerkt",
        401 => "Log opnieuw in",
        403 => "Geen toegang",
        404 => "Niet gevonden",
        405 => "Dit kan niet op deze pagina",
        409 => "Dit kan niet (meer)",
        429 => "Even wachten",
        503 => "Tijdelijk niet beschikbaar",
        _ => "Er ging iets mis",
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Problem(p) => write!(f, "{}: {}", p.status, p.detail),
            PageError::LoginRequired => f.write_str("login required"),
            PageError::SessionLapsed => f.write_str("session lapsed"),
        }
    }
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> PageError {
        PageError::Problem(ApiError::from(error).problem())
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> PageError {
        PageError::Problem(ApiError::from(error).problem())
    }
}

impl From<actix_web::error::BlockingError> for PageError {
    fn from(_: actix_web::error::BlockingError) -> PageError {
        PageError::Problem(ApiError::internal().problem())
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.response_in(Layout::plain(""))
    }
}

impl PageError {
    /// The answer to `req`, as a page with the menu of the person's session where it has one.
    pub async fn page_for(&self, req: &actix_web::HttpRequest) -> HttpResponse {
        let layout = match super::pages::menu_for_error(req).await {
            Some(menu) => menu,
            None => Layout::new("", None, req),
        };
        self.response_in(layout)
    }

    /// The answer, as a page around `layout` (titled for a person: [`page_title`]): the menu
    /// of the person's session where the request had one.
    pub fn response_in(&self, layout: Layout) -> HttpResponse {
        let problem = match self {
            PageError::LoginRequired => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/inloggen"))
                    .finish();
            }
            PageError::SessionLapsed => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/inloggen?sessie=verlopen"))
                    .finish();
            }
            PageError::Problem(problem) => problem,
        };
        let status = self.status();
        let page = ErrorPage {
            layout: Layout {
                title: page_title(status).to_owned(),
                ..layout
            },
            problem,
            login: status == StatusCode::UNAUTHORIZED,
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ));
        if let Some(seconds) = problem.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds));
        }
        match page.render() {
            Ok(html) => response.body(html),
            Err(e) => {
                tracing::error!(error = %e, "error page did not render");
                response.body(problem.detail.clone())
            }
        }
    }
}
