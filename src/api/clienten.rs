//! A counsellor organisation's clients: the citizens who gave it a mandate, each known by the
//! organisation's own dossier reference (the service keeps no readable BSN, docs/pages.md).

use actix_web::{HttpResponse, get, patch, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::may;
use super::input::{self, Field};
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::mandate::Mandate;
use crate::service::mandates;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    /// Het id van de machtiging: daarmee wijst u de burger aan, nooit met een BSN in een URL.
    machtiging: String,
    /// Uw eigen dossierkenmerk; `null` zolang u het niet heeft vastgelegd.
    #[schema(example = "GKB-2026-0042")]
    dossierkenmerk: Option<String>,
    geldig_vanaf: NaiveDate,
    geldig_tot: NaiveDate,
    /// ACTIEF of NOG_NIET_GELDIG.
    #[schema(example = "ACTIEF")]
    status: &'static str,
}

impl Client {
    fn new(m: &Mandate, today: NaiveDate) -> Client {
        Client {
            machtiging: m.id.clone(),
            dossierkenmerk: m.counsellor_reference.clone(),
            geldig_vanaf: m.valid_from,
            geldig_tot: m.valid_until,
            status: m.status(today).code(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Clienten {
    clienten: Vec<Client>,
}

/// Uw cliënten
///
/// De burgers die uw organisatie hebben gemachtigd (lopende en komende machtigingen), met uw
/// eigen dossierkenmerk.
#[utoipa::path(operation_id = "clientenOphalen", tag = "Machtigingen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De burgers die uw organisatie nu machtigen, of vanaf een latere dag", body = Clienten),
    ))]
#[get("/clienten")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageClients)?;
    let clients = state
        .services
        .read(move |uow| mandates::clients(uow, &caller))
        .await?;
    let today = state.services.now().today;
    Ok(HttpResponse::Ok().json(Clienten {
        clienten: clients.iter().map(|m| Client::new(m, today)).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ClientWijziging {
    /// Uw eigen dossierkenmerk voor deze burger, hoogstens 64 tekens.
    #[schema(value_type = String, example = "GKB-2026-0042", max_length = 64)]
    dossierkenmerk: Field<String>,
}

/// Uw dossierkenmerk bij een cliënt vastleggen
///
/// Bij een lopende of komende machtiging; een nieuw kenmerk vervangt het vorige.
#[utoipa::path(operation_id = "clientWijzigen", tag = "Machtigingen",
    params(("id" = Uuid, Path, description = "Id van de machtiging")),
    request_body(content = ClientWijziging, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het dossierkenmerk is vastgelegd", body = Client),
        (status = 404, description = "Uw organisatie heeft geen lopende of komende machtiging met dit id", body = Problem, content_type = "application/problem+json"),
    ))]
#[patch("/clienten/{id}")]
pub async fn change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageClients)?;
    let reference = input::parse::<ClientWijziging, _>(&body, |req, c| {
        c.required("dossierkenmerk", req.dossierkenmerk)
    })?;
    let id = id.into_inner().to_string();
    let mandate = state
        .services
        .run(move |uow| mandates::set_reference(uow, &caller, &id, &reference))
        .await?;
    let today = state.services.now().today;
    Ok(HttpResponse::Ok().json(Client::new(&mandate, today)))
}
