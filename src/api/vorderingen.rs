//! An agency reading its own claims.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::may;
use super::input::{self, Field};
use super::pagination::PageQuery;
use super::schemas::Bedrag;
use super::vordering::Vordering;
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::claims::{RecordedEvent, check_key};
use crate::domain::money::Money;
use crate::domain::time::format_instant;
use crate::service::claims::{self, ClaimDetail};

#[derive(Serialize, ToSchema)]
pub struct VorderingenPagina {
    vorderingen: Vec<Vordering>,
    /// Cursor voor de volgende pagina (`?na=`); `null` op de laatste pagina.
    volgende: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VorderingMetGebeurtenissen {
    #[serde(flatten)]
    vordering: Vordering,
    /// Alle ontvangen gebeurtenissen, in volgorde van verwerking.
    gebeurtenissen: Vec<OntvangenGebeurtenis>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OntvangenGebeurtenis {
    gebeurteniskenmerk: String,
    #[schema(example = "BetalingVerwerkt")]
    r#type: &'static str,
    #[schema(value_type = Option<Bedrag>, example = "50.00")]
    bedrag: Option<Money>,
    datum: Option<NaiveDate>,
    categorie: Option<&'static str>,
    /// De omschrijving, of bij `VorderingIngetrokken` en `BetalingTeruggeboekt` de reden.
    omschrijving: Option<String>,
    fase: Option<&'static str>,
    betwist: Option<bool>,
    /// Bij `BetalingTeruggeboekt`: het gebeurteniskenmerk van de teruggeboekte betaling.
    betalingskenmerk: Option<String>,
    #[schema(format = DateTime, example = "2026-05-15T10:12:00+02:00")]
    ontvangen_op: String,
}

impl From<&RecordedEvent> for OntvangenGebeurtenis {
    fn from(e: &RecordedEvent) -> OntvangenGebeurtenis {
        OntvangenGebeurtenis {
            gebeurteniskenmerk: e.event_key.clone(),
            r#type: e.event_type.code(),
            bedrag: e.amount,
            datum: e.date,
            categorie: e.category.map(|c| c.code()),
            omschrijving: e.description.clone(),
            fase: e.phase.map(|p| p.code()),
            betwist: e.disputed,
            betalingskenmerk: e.reverses.clone(),
            ontvangen_op: format_instant(e.received_at),
        }
    }
}

/// The cursor is a claim id: a UUID; anything else cannot be one of ours.
fn is_claim_id(text: &str) -> bool {
    Uuid::parse_str(text).is_ok()
}

/// Uw eigen vorderingen
///
/// Oudste eerst, een pagina tegelijk. Eén vordering op uw eigen kenmerk: `POST
/// /vorderingen/opvragen`.
#[utoipa::path(operation_id = "vorderingenOphalen", tag = "Vorderingen",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Een pagina van uw vorderingen", body = VorderingenPagina),
    ))]
#[get("/vorderingen")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadOwnClaims)?;
    let (after, size) = query.read(|c| is_claim_id(c).then(|| c.to_owned()))?;
    let page = state
        .services
        .read(move |uow| claims::page_for_creditor(uow, &caller, after.as_deref(), size))
        .await?;
    Ok(HttpResponse::Ok().json(VorderingenPagina {
        vorderingen: page.claims.iter().map(Vordering::from).collect(),
        volgende: page.next,
    }))
}

/// Eén vordering met al haar gebeurtenissen
///
/// Alleen uw eigen vorderingen; een id van een andere schuldeiser geeft 404, net als een id dat
/// niet bestaat.
#[utoipa::path(operation_id = "vorderingOphalen", tag = "Vorderingen",
    params(("id" = Uuid, Path, description = "Id van de vordering")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De vordering met al haar gebeurtenissen", body = VorderingMetGebeurtenissen),
        (status = 404, description = "Deze vordering bestaat niet of is niet van u", body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/vorderingen/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadOwnClaims)?;
    let id = id.into_inner().to_string();
    let detail = state
        .services
        .read(move |uow| claims::detail_for_creditor(uow, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(VorderingMetGebeurtenissen::from(&detail)))
}

impl From<&ClaimDetail> for VorderingMetGebeurtenissen {
    fn from(detail: &ClaimDetail) -> VorderingMetGebeurtenissen {
        VorderingMetGebeurtenissen {
            vordering: Vordering::from(&detail.claim),
            gebeurtenissen: detail
                .events
                .iter()
                .map(OntvangenGebeurtenis::from)
                .collect(),
        }
    }
}

/// Welke vordering: uw eigen kenmerk.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VorderingZoeken {
    /// Uw eigen kenmerk, precies zoals aangeleverd (hoofdletters tellen). In de body, nooit in de
    /// URL: een kenmerk kan een burgerservicenummer bevatten.
    #[schema(value_type = String, example = "CJIB-2026-000123", max_length = 100, pattern = r"^[^\s](([^\s]| )*[^\s])?$")]
    vorderingkenmerk: Field<String>,
}

/// Eén vordering opvragen op uw eigen kenmerk
///
/// Zonder haar id te kennen, met al haar gebeurtenissen, zoals `GET /vorderingen/{id}`. Alleen
/// uw eigen vorderingen; een kenmerk dat u niet gebruikt, geeft 404.
#[utoipa::path(operation_id = "vorderingOpvragen", tag = "Vorderingen",
    request_body = VorderingZoeken,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "De vordering met al haar gebeurtenissen", body = VorderingMetGebeurtenissen),
        (status = 404, description = "U heeft geen vordering met dit kenmerk", body = Problem, content_type = "application/problem+json"),
    ))]
#[post("/vorderingen/opvragen")]
pub async fn by_key(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<input::Unique>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadOwnClaims)?;
    let key = input::parse::<VorderingZoeken, _>(&body, |req, c| {
        let key = c.required("vorderingkenmerk", req.vorderingkenmerk);
        c.rule(
            key.as_deref()
                .and_then(|k| check_key("vorderingkenmerk", k)),
        );
        key
    })?;
    let detail = state
        .services
        .read(move |uow| claims::detail_by_key_for_creditor(uow, &caller, &key))
        .await?;
    Ok(HttpResponse::Ok().json(VorderingMetGebeurtenissen::from(&detail)))
}
