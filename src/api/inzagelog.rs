//! A citizen reading who read or changed their data.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::PageQuery;
use super::principal::Principal;
use super::{AppState, Problem, error::ApiError};
use crate::clock::format_instant;
use crate::service::access_log;
use crate::store::access_log::StoredEntry;

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

impl From<&StoredEntry> for Inzageregel {
    fn from(e: &StoredEntry) -> Inzageregel {
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

/// Who read or changed your data, when and why; newest first.
#[utoipa::path(get, path = "/api/v1/inzagelog", tag = "Inzagelog",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Inzagelog),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let person = principal.citizen()?.clone();
    let (after, size) = query.read(|c| c.parse::<i64>().ok())?;
    let page = state
        .db
        .run(move |conn| access_log::page(conn, &person, after, size))
        .await?;
    Ok(HttpResponse::Ok().json(Inzagelog {
        regels: page.entries.iter().map(Inzageregel::from).collect(),
        volgende: page.next,
    }))
}
