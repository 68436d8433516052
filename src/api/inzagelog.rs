//! A citizen reading who read or changed their data.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::caller::own_person;
use super::pagination::PageQuery;
use super::{AppState, error::ApiError};
use crate::domain::access::AccessLogEntry;
use crate::domain::caller::Caller;
use crate::domain::time::format_instant;
use crate::service::access_log;

#[derive(Serialize, ToSchema)]
pub struct Inzagelog {
    /// Nieuwste eerst.
    regels: Vec<Inzageregel>,
    /// Cursor voor de volgende (oudere) pagina; `null` op de laatste.
    volgende: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Inzageregel {
    #[schema(format = DateTime, example = "2026-11-23T11:00:00+01:00")]
    tijdstip: String,
    /// burger (uzelf), organisatie (een schuldeiser), schuldhulpverlener of beheerder.
    #[schema(example = "schuldhulpverlener")]
    rol: &'static str,
    /// De organisatie die handelde; leeg als u het zelf was.
    #[schema(example = "GKB-AMSTERDAM")]
    organisatie: Option<String>,
    #[schema(example = "VORDERINGENOVERZICHT_INGEZIEN")]
    handeling: &'static str,
    #[schema(example = "Uw vorderingenoverzicht is ingezien.")]
    omschrijving: &'static str,
    /// Het id van het betrokken gegeven (vordering, machtiging), als dat er is.
    onderwerp: Option<String>,
}

impl From<&AccessLogEntry> for Inzageregel {
    fn from(e: &AccessLogEntry) -> Inzageregel {
        Inzageregel {
            tijdstip: format_instant(e.occurred_at),
            rol: e.actor.role.code(),
            organisatie: e.actor.organisation.clone(),
            handeling: e.action.code(),
            omschrijving: e.action.description(),
            onderwerp: e.subject_id.clone(),
        }
    }
}

/// Wie uw gegevens inzag of wijzigde
///
/// Wanneer en waarom; nieuwste eerst.
#[utoipa::path(operation_id = "inzagelogOphalen", tag = "Inzagelog",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Een pagina van het inzagelog", body = Inzagelog),
    ))]
#[get("/inzagelog")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let person = own_person(&caller)?;
    let (after, size) = query.read(|c| c.parse::<i64>().ok())?;
    let page = state
        .services
        .read(move |uow| access_log::page(uow, &caller, &person, after, size))
        .await?;
    Ok(HttpResponse::Ok().json(Inzagelog {
        regels: page.items.iter().map(Inzageregel::from).collect(),
        volgende: page.next,
    }))
}
