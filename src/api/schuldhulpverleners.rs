//! The registry of counsellor organisations: public list; administrators add or change entries.

use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::caller::may;
use super::input::{self, Field};
use super::schuldeisers::{ContactGegevens, ContactInvoer, read_contact};
use super::{AppState, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::counsellor::CounsellorOrganisation;
use crate::service::counsellors;

#[derive(Serialize, ToSchema)]
pub struct Schuldhulpverlener {
    /// Het id dat de toegangstokens van de organisatie in `organisatie` dragen.
    #[schema(example = "GKB-AMSTERDAM")]
    id: String,
    #[schema(example = "Gemeentelijke Kredietbank Amsterdam")]
    naam: String,
    contact: ContactGegevens,
}

impl From<&CounsellorOrganisation> for Schuldhulpverlener {
    fn from(o: &CounsellorOrganisation) -> Schuldhulpverlener {
        Schuldhulpverlener {
            id: o.id.clone(),
            naam: o.name.clone(),
            contact: ContactGegevens::from(&o.contact),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Schuldhulpverleners {
    schuldhulpverleners: Vec<Schuldhulpverlener>,
}

/// Het register van schuldhulpverleners
///
/// De organisaties voor schuldhulpverlening die burgers kunnen machtigen. Openbaar.
#[utoipa::path(operation_id = "schuldhulpverlenersOphalen", tag = "Machtigingen", responses(
    (status = 200, description = "Het register van organisaties voor schuldhulpverlening", body = Schuldhulpverleners),
))]
#[get("/schuldhulpverleners")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let organisations = state
        .services
        .read(|uow| Ok(counsellors::list(uow)))
        .await?;
    Ok(HttpResponse::Ok().json(Schuldhulpverleners {
        schuldhulpverleners: organisations.iter().map(Schuldhulpverlener::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct SchuldhulpverlenerInvoer {
    #[schema(value_type = String, example = "Gemeentelijke Kredietbank Amsterdam", max_length = 200)]
    naam: Field<String>,
    #[schema(value_type = Option<ContactInvoer>)]
    contact: Field<Value>,
}

/// Een schuldhulpverlener vastleggen
///
/// Voegt een organisatie voor schuldhulpverlening toe aan het register of vervangt haar gegevens
/// (alleen beheerders).
#[utoipa::path(operation_id = "schuldhulpverlenerVastleggen", tag = "Machtigingen",
    params(("id" = String, Path, description = "Id van de organisatie, zoals haar tokens het dragen: 2 tot 64 letters, cijfers, punten, liggende streepjes of streepjes",
        pattern = "^[A-Za-z0-9._-]{2,64}$")),
    request_body = SchuldhulpverlenerInvoer,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Bijgewerkt", body = Schuldhulpverlener),
        (status = 201, description = "Toegevoegd", body = Schuldhulpverlener),
    ))]
#[put("/schuldhulpverleners/{id}")]
pub async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageReferenceData)?;
    let id = id.into_inner();
    let organisation = input::parse::<SchuldhulpverlenerInvoer, _>(&body, |req, c| {
        let name = c.required("naam", req.naam);
        let contact = read_contact(c, req.contact);
        Some(CounsellorOrganisation {
            id: id.clone(),
            name: name?,
            contact: contact?,
        })
    })?;
    let saved = organisation.clone();
    let new = state
        .services
        .run(move |uow| counsellors::put(uow, &caller, &saved))
        .await?;
    let mut response = if new {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(Schuldhulpverlener::from(&organisation)))
}
