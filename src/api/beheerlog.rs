//! An administrator reading who changed which reference data, and how.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::caller::may;
use super::pagination::PageQuery;
use super::{AppState, error::ApiError};
use crate::domain::audit::{FieldChange, RecordedChange};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::time::format_instant;
use crate::service::audit_trail;

#[derive(Serialize, ToSchema)]
pub struct Beheerlog {
    /// Nieuwste eerst.
    wijzigingen: Vec<Beheerwijziging>,
    /// Cursor voor de volgende (oudere) pagina; `null` op de laatste.
    volgende: Option<String>,
}

/// Eén wijziging van een beheerder in de referentiegegevens.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Beheerwijziging {
    #[schema(format = DateTime, example = "2026-12-02T14:05:00+01:00")]
    tijdstip: String,
    /// Het onderwerp (`sub`) van het token van de beheerder; leeg alleen bij wijzigingen van
    /// vóór 6 december 2026, toen een token zonder `sub` nog werd aangenomen.
    #[schema(example = "beheerder-jansen")]
    door: Option<String>,
    /// SCHULDEISERS, SCHULDHULPVERLENERS of NORMTABELLEN.
    #[schema(example = "SCHULDEISERS")]
    register: &'static str,
    /// Welk gegeven: de code van de schuldeiser, het id van de organisatie, of bij een normtabel
    /// haar `geldigVanaf`.
    #[schema(example = "CJIB")]
    sleutel: String,
    /// Elk veld dat veranderde, met de waarde ervoor en erna (`null`: geen waarde).
    velden: Vec<Veldwijziging>,
}

#[derive(Serialize, ToSchema)]
pub struct Veldwijziging {
    #[schema(example = "contact.telefoon")]
    veld: String,
    voor: Option<String>,
    #[schema(example = "0800-1234")]
    na: Option<String>,
}

impl From<&FieldChange> for Veldwijziging {
    fn from(c: &FieldChange) -> Veldwijziging {
        Veldwijziging {
            veld: c.field.clone(),
            voor: c.before.clone(),
            na: c.after.clone(),
        }
    }
}

impl From<&RecordedChange> for Beheerwijziging {
    fn from(c: &RecordedChange) -> Beheerwijziging {
        Beheerwijziging {
            tijdstip: format_instant(c.at),
            door: c.entry.actor.organisation.clone(),
            register: c.entry.register.code(),
            sleutel: c.entry.key.clone(),
            velden: c.entry.changes.iter().map(Veldwijziging::from).collect(),
        }
    }
}

/// Wie wat veranderde in de referentiegegevens
///
/// Elke wijziging van een beheerder in het register van schuldeisers, het register van
/// schuldhulpverleners en de normtabellen: wie, wanneer, en elk veld ervoor en erna. Nieuwste
/// eerst; alleen voor beheerders.
#[utoipa::path(operation_id = "beheerlogOphalen", tag = "Beheer",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Een pagina van het beheerlog", body = Beheerlog),
    ))]
#[get("/beheerlog")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ManageReferenceData)?;
    let (before, size) = query.read(|c| c.parse::<i64>().ok())?;
    let page = state
        .services
        .read(move |uow| audit_trail::page(uow, &caller, before, size))
        .await?;
    Ok(HttpResponse::Ok().json(Beheerlog {
        wijzigingen: page.items.iter().map(Beheerwijziging::from).collect(),
        volgende: page.next,
    }))
}
