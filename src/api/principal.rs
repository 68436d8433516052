//! Who is calling: the verified bearer token turned into one of the four roles. Every handler
//! that touches data takes a `Principal`, so a route without one is a visible exception.

use std::future::{Ready, ready};

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::{AppState, error::ApiError};
use crate::domain::bsn::Bsn;
use crate::domain::creditor::check_code;
use crate::domain::mandate::check_counsellor_id;
use crate::domain::person::{PersonId, Pseudonymizer};
use crate::domain::validation::FieldIssue;
use crate::service::arrangements::OnBehalf;

#[derive(Debug, Clone)]
pub enum Principal {
    Citizen { person: PersonId },
    Agency { creditor: String },
    Counsellor { organisation: String },
    Administrator,
}

/// Who acts in a request about one person.
pub enum Acting {
    /// An agency, on a person it has a claim or attachment on.
    Agency(String),
    /// The citizen themself, or a counsellor (whose mandate the service checks).
    OnBehalf(OnBehalf),
}

impl Principal {
    /// The person a request is about: a citizen's own, or for an agency or counsellor the BSN in
    /// the body (a BSN never travels in a URL). A citizen naming someone else is refused.
    pub fn person_in_request(
        &self,
        bsn: Option<Bsn>,
        pseudonymizer: &Pseudonymizer,
    ) -> Result<(PersonId, Acting), ApiError> {
        let required = || {
            ApiError::invalid(vec![FieldIssue::new(
                "burgerservicenummer",
                "verplicht",
                "is verplicht: om welke burger gaat het?",
            )])
        };
        match (self, bsn) {
            (Principal::Citizen { person }, None) => Ok((
                person.clone(),
                Acting::OnBehalf(OnBehalf::Citizen(person.clone())),
            )),
            (Principal::Citizen { person }, Some(bsn))
                if pseudonymizer.person_id(&bsn) == *person =>
            {
                Ok((
                    person.clone(),
                    Acting::OnBehalf(OnBehalf::Citizen(person.clone())),
                ))
            }
            (Principal::Citizen { .. }, Some(_)) => Err(ApiError::forbidden(
                "Een burger kan dit alleen voor zichzelf doen.",
            )),
            (Principal::Counsellor { organisation }, Some(bsn)) => Ok((
                pseudonymizer.person_id(&bsn),
                Acting::OnBehalf(OnBehalf::Counsellor(organisation.clone())),
            )),
            (Principal::Agency { creditor }, Some(bsn)) => Ok((
                pseudonymizer.person_id(&bsn),
                Acting::Agency(creditor.clone()),
            )),
            (Principal::Counsellor { .. } | Principal::Agency { .. }, None) => Err(required()),
            (Principal::Administrator, _) => {
                Err(self.refuse("burgers, schuldhulpverleners en organisaties"))
            }
        }
    }

    fn refuse(&self, allowed: &str) -> ApiError {
        ApiError::forbidden(format!(
            "Deze handeling is alleen toegestaan voor {allowed}."
        ))
    }

    pub fn citizen(&self) -> Result<&PersonId, ApiError> {
        match self {
            Principal::Citizen { person } => Ok(person),
            _ => Err(self.refuse("burgers")),
        }
    }

    pub fn agency(&self) -> Result<&str, ApiError> {
        match self {
            Principal::Agency { creditor } => Ok(creditor),
            _ => Err(self.refuse("organisaties (schuldeisers)")),
        }
    }

    pub fn counsellor(&self) -> Result<&str, ApiError> {
        match self {
            Principal::Counsellor { organisation } => Ok(organisation),
            _ => Err(self.refuse("schuldhulpverleners")),
        }
    }

    /// A citizen acting on their own data, or a counsellor acting for someone (whose mandate
    /// the service checks).
    pub fn on_behalf(&self) -> Result<OnBehalf, ApiError> {
        match self {
            Principal::Citizen { person } => Ok(OnBehalf::Citizen(person.clone())),
            Principal::Counsellor { organisation } => {
                Ok(OnBehalf::Counsellor(organisation.clone()))
            }
            _ => Err(self.refuse("burgers en schuldhulpverleners")),
        }
    }

    pub fn administrator(&self) -> Result<(), ApiError> {
        match self {
            Principal::Administrator => Ok(()),
            _ => Err(self.refuse("beheerders")),
        }
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Principal, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(ApiError::internal)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "Stuur een geldig toegangstoken mee: Authorization: Bearer <token>.",
            )
        })?;
    let claims = state.auth.verify(token).map_err(|e| {
        tracing::info!(reason = %e, "token refused");
        ApiError::unauthorized("Het toegangstoken is ongeldig of verlopen.")
    })?;
    let invalid = |what: &str| ApiError::unauthorized(format!("Het toegangstoken bevat {what}."));
    match claims.rol.as_str() {
        "burger" => {
            let bsn = claims
                .bsn
                .as_deref()
                .and_then(|b| Bsn::parse(b).ok())
                .ok_or_else(|| invalid("geen geldig burgerservicenummer"))?;
            Ok(Principal::Citizen {
                person: state.pseudonymizer.person_id(&bsn),
            })
        }
        "organisatie" => match claims.organisatie {
            Some(code) if check_code("organisatie", &code).is_none() => {
                Ok(Principal::Agency { creditor: code })
            }
            _ => Err(invalid("geen geldige organisatiecode")),
        },
        "schuldhulpverlener" => match claims.organisatie {
            Some(id) if check_counsellor_id("organisatie", &id).is_none() => {
                Ok(Principal::Counsellor { organisation: id })
            }
            _ => Err(invalid("geen geldige organisatie")),
        },
        "beheerder" => Ok(Principal::Administrator),
        _ => Err(invalid("een onbekende rol")),
    }
}
