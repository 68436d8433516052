//! The notification feed of a creditor or a counsellor organisation.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::caller::may;
use super::pagination::PageQuery;
use super::{AppState, Problem, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::notification::GenummerdeMelding;
use crate::service::notifications;

#[derive(Serialize, ToSchema)]
pub struct Meldingen {
    /// Oudste eerst.
    meldingen: Vec<GenummerdeMelding>,
    /// Ga verder met `?na=` deze waarde; gelijk aan de vorige cursor als er niets nieuws was.
    #[schema(example = "42")]
    volgende: String,
}

/// Your notifications after position `na`, oldest first. Notifications are written in the same
/// transaction as the change they report, numbered without gaps, and kept: read from your last
/// processed position and nothing is missed (delivery at least once, in order).
#[utoipa::path(tag = "Meldingen",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Meldingen),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
#[get("/meldingen")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadFeed)?;
    let (after, size) = query.read(|c| c.parse::<i64>().ok().filter(|n| *n >= 0))?;
    let page = state
        .services
        .run(move |uow| notifications::feed(uow, &caller, after.unwrap_or(0), size))
        .await?;
    Ok(HttpResponse::Ok().json(Meldingen {
        meldingen: page.items.iter().map(GenummerdeMelding::from).collect(),
        volgende: page.next.to_string(),
    }))
}
