//! Who is calling: the verified bearer token turned into the domain's [`Caller`], once per
//! request. Every handler that touches data takes one; the one authorization function decides
//! what it may do.

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

use super::{AppState, error::ApiError};
use crate::auth::{TokenClaims, TokenError};
use uuid::Uuid;

use crate::domain::authorization::{Operation, authorize_role};
use crate::domain::bsn::Bsn;
use crate::domain::caller::Caller;
use crate::domain::creditor::check_code;
use crate::domain::mandate::check_counsellor_id;
use crate::domain::person::Pseudonymizer;
use crate::domain::validation::FieldIssue;
use crate::service::{ServiceError, Whom};

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

/// The role gate at the edge, before a body is read: a wrong role never learns what the body
/// should hold. Everything else is decided with the loaded data in the unit of work.
pub fn may(caller: &Caller, operation: Operation) -> Result<(), ApiError> {
    authorize_role(caller, operation)
        .map_err(|denied| ServiceError::denied(denied, "gegeven").into())
}

/// Whom a request is about: a citizen's own data, or the citizen named in the body by BSN or,
/// for a counsellor, by one of its mandates (a BSN never travels in a URL). Whether the caller
/// may act for that person is decided later.
pub fn whom(
    caller: &Caller,
    bsn: Option<Bsn>,
    mandate: Option<Uuid>,
    pseudonymizer: &Pseudonymizer,
) -> Result<Whom, ApiError> {
    match (caller, bsn, mandate) {
        (_, Some(_), Some(_)) => Err(ApiError::invalid(vec![FieldIssue::new(
            "machtiging",
            "niet_samen",
            "noem de burger met een burgerservicenummer of met een machtiging, niet met beide",
        )])),
        (_, Some(bsn), None) => Ok(Whom::Person(pseudonymizer.person_id(&bsn))),
        (_, None, Some(mandate)) => Ok(Whom::Mandate(mandate.to_string())),
        (Caller::Citizen { person }, None, None) => Ok(Whom::Person(person.clone())),
        (_, None, None) => Err(ApiError::invalid(vec![FieldIssue::new(
            "burgerservicenummer",
            "verplicht",
            "is verplicht (of een machtiging): om welke burger gaat het?",
        )])),
    }
}

/// Whom a request without a body is about: the citizen's own data, or the citizen of the mandate
/// named in the query, the only way a GET names someone else.
pub fn whom_by_mandate(caller: &Caller, mandate: Option<Uuid>) -> Result<Whom, ApiError> {
    match (caller, mandate) {
        (_, Some(mandate)) => Ok(Whom::Mandate(mandate.to_string())),
        (Caller::Citizen { person }, None) => Ok(Whom::Person(person.clone())),
        (_, None) => Err(ApiError::invalid(vec![FieldIssue::new(
            "machtiging",
            "verplicht",
            "is verplicht: de machtiging van de burger om wie het gaat",
        )])),
    }
}

/// The caller's own data, for the endpoints that address a citizen's own data without a body.
/// A counsellor names the citizen in the body of the endpoints meant for it.
pub fn own_person(caller: &Caller) -> Result<Whom, ApiError> {
    match caller {
        Caller::Citizen { person } => Ok(Whom::Person(person.clone())),
        _ => Err(ApiError::forbidden(
            "Dit adres is voor een burger en zijn eigen gegevens.",
        )),
    }
}

/// The token of an `Authorization` value: the scheme's name is case-insensitive (RFC 9110
/// §11.1), so `bearer` and `BEARER` are `Bearer` too.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("Bearer").then_some(token)
}

async fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(ApiError::internal)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "Stuur een geldig toegangstoken mee: Authorization: Bearer <token>.",
            )
        })?;
    let claims = verify(state, token).await.map_err(|e| {
        // The kind only: the parser's message could quote a claim, such as a BSN.
        tracing::info!(reason = e.kind(), "token refused");
        state.services.metrics.token_refused(e.kind());
        ApiError::unauthorized("Het toegangstoken is ongeldig of verlopen.")
    })?;
    let invalid = |what: &str| {
        tracing::info!(reason = "invalid_subject", "token refused");
        state.services.metrics.token_refused("invalid_subject");
        ApiError::unauthorized(format!("Het toegangstoken bevat {what}."))
    };
    match claims.rol.as_str() {
        "burger" => {
            let bsn = claims
                .bsn
                .as_deref()
                .and_then(|b| Bsn::parse(b).ok())
                .ok_or_else(|| invalid("geen geldig burgerservicenummer"))?;
            Ok(Caller::Citizen {
                person: state.pseudonymizer.person_id(&bsn),
            })
        }
        "organisatie" => match claims.organisatie {
            Some(code) if check_code("organisatie", &code).is_none() => {
                Ok(Caller::Agency { creditor: code })
            }
            _ => Err(invalid("geen geldige organisatiecode")),
        },
        "schuldhulpverlener" => match claims.organisatie {
            Some(id) if check_counsellor_id("organisatie", &id).is_none() => {
                Ok(Caller::Counsellor { organisation: id })
            }
            _ => Err(invalid("geen geldige organisatie")),
        },
        // The audit trail names who made each change: an administrator without a name is no one.
        "beheerder" => match claims.sub {
            Some(subject) if !subject.trim().is_empty() => Ok(Caller::Administrator { subject }),
            _ => Err(invalid("geen sub: wie beheert, moet te herleiden zijn")),
        },
        _ => Err(invalid("een onbekende rol")),
    }
}

/// Verifies with the keys known; a token naming an unknown key fetches the key set again first
/// (on the blocking pool: it may wait for the identity provider), as a rotated key looks so.
async fn verify(state: &AppState, token: &str) -> Result<TokenClaims, TokenError> {
    match state.auth.verify(token) {
        Err(TokenError::UnknownKey) if state.auth.learns_keys() => {
            let (auth, token) = (state.auth.clone(), token.to_owned());
            web::block(move || auth.verify_refreshed(&token))
                .await
                .unwrap_or(Err(TokenError::UnknownKey))
        }
        verified => verified,
    }
}
