//! Citizens granting, listing and revoking mandates for debt counsellors.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::{may, own_person};
use super::input::{self, Field};
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::mandate::{Grant, Mandate};
use crate::domain::time::format_instant;
use crate::service::mandates;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Machtiging {
    id: String,
    /// De gemachtigde organisatie voor schuldhulpverlening.
    #[schema(example = "GKB-AMSTERDAM")]
    schuldhulpverlener: String,
    geldig_vanaf: NaiveDate,
    /// Laatste dag waarop de machtiging geldt.
    geldig_tot: NaiveDate,
    #[schema(format = DateTime)]
    verleend_op: String,
    #[schema(format = DateTime)]
    ingetrokken_op: Option<String>,
    /// ACTIEF, NOG_NIET_GELDIG, VERLOPEN of INGETROKKEN.
    #[schema(example = "ACTIEF")]
    status: &'static str,
}

impl Machtiging {
    fn new(m: &Mandate, today: NaiveDate) -> Machtiging {
        Machtiging {
            id: m.id.clone(),
            schuldhulpverlener: m.counsellor.clone(),
            geldig_vanaf: m.valid_from,
            geldig_tot: m.valid_until,
            verleend_op: format_instant(m.granted_at),
            ingetrokken_op: m.revoked_at.map(format_instant),
            status: m.status(today).code(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Machtigingen {
    machtigingen: Vec<Machtiging>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MachtigingInvoer {
    #[schema(value_type = String, example = "GKB-AMSTERDAM")]
    schuldhulpverlener: Field<String>,
    /// Standaard vandaag.
    #[schema(value_type = Option<String>, format = Date)]
    geldig_vanaf: Field<NaiveDate>,
    /// Laatste dag; hoogstens 60 maanden na de begindatum.
    #[schema(value_type = String, format = Date, example = "2027-06-30")]
    geldig_tot: Field<NaiveDate>,
}

/// Een schuldhulpverlener machtigen
///
/// De organisatie mag tot de einddatum uw overzicht inzien en namens u handelen.
#[utoipa::path(operation_id = "machtigingVerlenen", tag = "Machtigingen",
    request_body = MachtigingInvoer,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "De machtiging is verleend", body = Machtiging),
        (status = 409, description = "Al een actieve machtiging voor deze organisatie", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/machtigingen")]
pub async fn grant(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageMandates)?;
    let person = own_person(&caller)?;
    let grant = input::parse::<MachtigingInvoer, _>(&body, |req, c| {
        let counsellor = c.required("schuldhulpverlener", req.schuldhulpverlener);
        let valid_from = c.optional("geldigVanaf", req.geldig_vanaf);
        let valid_until = c.required("geldigTot", req.geldig_tot);
        Some(Grant {
            counsellor: counsellor?,
            valid_from: valid_from?,
            valid_until: valid_until?,
        })
    })?;
    let mandate = state
        .services
        .run(move |uow| mandates::grant(uow, &caller, &person, &grant))
        .await?;
    let today = state.services.now().today;
    Ok(HttpResponse::Created().json(Machtiging::new(&mandate, today)))
}

/// Uw machtigingen
///
/// Nieuwste eerst, ook ingetrokken en verlopen machtigingen.
#[utoipa::path(operation_id = "machtigingenOphalen", tag = "Machtigingen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Uw machtigingen", body = Machtigingen),
    ))]
#[get("/machtigingen")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let person = own_person(&caller)?;
    let list = state
        .services
        .read(move |uow| mandates::list(uow, &caller, &person))
        .await?;
    let today = state.services.now().today;
    Ok(HttpResponse::Ok().json(Machtigingen {
        machtigingen: list.iter().map(|m| Machtiging::new(m, today)).collect(),
    }))
}

/// Een machtiging intrekken
///
/// Direct. Een al ingetrokken machtiging opnieuw intrekken verandert niets.
#[utoipa::path(operation_id = "machtigingIntrekken", tag = "Machtigingen",
    params(("id" = Uuid, Path, description = "Id van de machtiging")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Ingetrokken"),
        (status = 404, description = "Deze machtiging bestaat niet of is niet van u", body = Problem, content_type = "application/problem+json"),
    ))]
#[delete("/machtigingen/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    state
        .services
        .run(move |uow| mandates::revoke(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
