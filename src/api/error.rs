//! The one error type of the HTTP edge, rendered as `application/problem+json` (RFC 9457) with
//! Dutch titles and, for invalid input, every problem in `invalidParams`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::validation::FieldIssue;
use crate::service::ServiceError;
use crate::store::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Een probleemmelding (RFC 9457, zoals de API Design Rules vragen).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Het soort probleem, als URN.
    #[schema(example = "urn:nl:rijksincasso:probleem:ongeldige-invoer")]
    pub r#type: String,
    #[schema(example = "Ongeldige invoer")]
    pub title: String,
    #[schema(example = 400)]
    pub status: u16,
    #[schema(example = "De invoer bevat 1 fout; er is niets veranderd.")]
    pub detail: String,
    /// Elk ongeldig veld, bij status 400 (en de botsende velden bij 409).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
    /// When to try again, in seconds: sent as the `Retry-After` header, not in the body.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvalidParam {
    /// Het veld, als pad in het verzoek, bijvoorbeeld `gebeurtenissen[2].bedrag`.
    #[schema(example = "gebeurtenissen[2].bedrag")]
    pub name: String,
    #[schema(example = "niet_positief")]
    pub code: String,
    #[schema(example = "moet meer dan € 0,00 zijn")]
    pub reason: String,
}

impl From<FieldIssue> for InvalidParam {
    fn from(issue: FieldIssue) -> InvalidParam {
        InvalidParam {
            name: issue.field,
            code: issue.code.to_owned(),
            reason: issue.reason,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    detail: String,
    invalid_params: Vec<InvalidParam>,
    retry_after: Option<u64>,
}

/// The most problems one answer lists.
pub const MAX_LISTED_ISSUES: usize = 10_000;

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: detail.into(),
            invalid_params: Vec::new(),
            retry_after: None,
        }
    }

    /// Every problem of the input, up to [`MAX_LISTED_ISSUES`]: a full batch of 1000 events
    /// with several problems each is listed whole, while a body of nothing but unknown fields
    /// cannot make an answer ten times its own size.
    pub fn invalid(mut issues: Vec<FieldIssue>) -> ApiError {
        let detail = match issues.len() {
            1 => "De invoer bevat 1 fout; er is niets veranderd.".to_owned(),
            n if n > MAX_LISTED_ISSUES => format!(
                "De invoer bevat {n} fouten; de eerste {MAX_LISTED_ISSUES} staan in \
                 `invalidParams`. Er is niets veranderd."
            ),
            n => format!("De invoer bevat {n} fouten; er is niets veranderd."),
        };
        issues.truncate(MAX_LISTED_ISSUES);
        ApiError {
            invalid_params: issues.into_iter().map(InvalidParam::from).collect(),
            ..ApiError::new(StatusCode::BAD_REQUEST, detail)
        }
    }

    /// A body that is not JSON. Position only: the message of the parser could quote the input.
    pub fn invalid_json(error: &serde_json::Error) -> ApiError {
        let message = error.to_string();
        if let Some(named) = message.strip_prefix(super::input::NAMED_TWICE) {
            // serde_json appends where it stopped.
            let field = named
                .rsplit_once(" at line ")
                .map_or(named, |(field, _)| field);
            return ApiError::invalid(vec![FieldIssue::new(
                field,
                "dubbel_veld",
                "staat meer dan eens in hetzelfde object: elk veld mag er één keer in staan",
            )]);
        }
        ApiError::invalid(vec![FieldIssue::new(
            "(body)",
            "ongeldige_json",
            format!(
                "is geen geldige JSON (regel {}, kolom {})",
                error.line(),
                error.column()
            ),
        )])
    }

    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, detail)
    }

    pub fn unavailable() -> ApiError {
        ApiError {
            retry_after: Some(5),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "De dienst kan de gegevens nu niet bereiken. Probeer het over enkele ogenblikken \
                 opnieuw.",
            )
        }
    }

    /// A change that kept losing races with other changes of the same records: nothing was
    /// stored, and it may simply be sent again.
    pub fn contended() -> ApiError {
        ApiError {
            retry_after: Some(1),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Er werden tegelijk te veel andere wijzigingen van dezelfde gegevens verwerkt. Er \
                 is niets opgeslagen; stuur het verzoek over enkele seconden opnieuw.",
            )
        }
    }

    /// Too many requests from this client; `detail` says which, `seconds` when to try again.
    pub fn too_many(detail: impl Into<String>, seconds: u64) -> ApiError {
        ApiError {
            retry_after: Some(seconds.max(1)),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, detail)
        }
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Er ging iets mis aan onze kant. Er is niets half opgeslagen; probeer het later opnieuw.",
        )
    }

    /// A generic problem for a status the framework produced (404 for an unknown path, 405, …).
    pub fn for_status(status: StatusCode) -> ApiError {
        let detail = match status.as_u16() {
            404 => "Dit adres bestaat niet in deze API.",
            408 => "Het verzoek kwam niet op tijd binnen; stuur het opnieuw.",
            405 => "Deze methode is niet toegestaan op dit adres.",
            413 => "Het verzoek is te groot.",
            415 => {
                "Stuur de gegevens als JSON (application/json, of application/merge-patch+json bij PATCH)."
            }
            _ => status.canonical_reason().unwrap_or("Fout"),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            return ApiError::unavailable();
        }
        ApiError::new(status, detail)
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = kind(self.status);
        Problem {
            r#type: format!("urn:nl:rijksincasso:probleem:{slug}"),
            title: title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            invalid_params: self.invalid_params.clone(),
            retry_after: self.retry_after,
        }
    }
}

fn kind(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("ongeldige-invoer", "Ongeldige invoer"),
        401 => ("niet-geauthenticeerd", "Niet geauthenticeerd"),
        403 => ("geen-toegang", "Geen toegang"),
        404 => ("niet-gevonden", "Niet gevonden"),
        405 => ("methode-niet-toegestaan", "Methode niet toegestaan"),
        406 => ("niet-aanvaardbaar", "Antwoordformaat niet beschikbaar"),
        408 => ("verzoek-verlopen", "Verzoek niet op tijd ontvangen"),
        409 => ("conflict", "Conflict met opgeslagen gegevens"),
        413 => ("verzoek-te-groot", "Verzoek te groot"),
        415 => ("mediatype-niet-ondersteund", "Mediatype niet ondersteund"),
        429 => ("te-veel-verzoeken", "Te veel verzoeken"),
        503 => ("tijdelijk-niet-beschikbaar", "Tijdelijk niet beschikbaar"),
        500..=599 => ("interne-fout", "Interne fout"),
        _ => ("fout", "Fout"),
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds));
        }
        response.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        match error {
            ServiceError::Invalid(issues) => ApiError::invalid(issues),
            ServiceError::NotFound(what) => {
                let mut letters = what.chars();
                let first = letters.next().map(|c| c.to_uppercase().to_string());
                ApiError::not_found(format!(
                    "{}{} bestaat niet of u heeft er geen toegang toe.",
                    first.unwrap_or_default(),
                    letters.as_str()
                ))
            }
            ServiceError::Forbidden(detail) => ApiError::forbidden(detail),
            ServiceError::Conflict { detail, issues } => ApiError {
                invalid_params: issues.into_iter().map(InvalidParam::from).collect(),
                ..ApiError::new(StatusCode::CONFLICT, detail)
            },
            ServiceError::Store(error) => ApiError::from(error),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                ApiError::unavailable()
            }
            StoreError::Concurrent => {
                tracing::warn!("gave up after repeated concurrent updates");
                ApiError::contended()
            }
            other => {
                tracing::error!(error = %other, "internal error");
                ApiError::internal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_database_work_is_an_internal_error_not_an_outage() {
        assert_eq!(
            ApiError::from(StoreError::Panicked).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            ApiError::from(StoreError::Unavailable("down".into())).status,
            StatusCode::SERVICE_UNAVAILABLE
        );
    }
}
