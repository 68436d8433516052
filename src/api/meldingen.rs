//! The notification feed of a creditor or a counsellor organisation.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::caller::may;
use super::pagination::PageQuery;
use super::{AppState, error::ApiError};
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::notification::{Feed, GenummerdeMelding};
use crate::service::notifications;

#[derive(Serialize, ToSchema)]
pub struct Meldingen {
    /// Oudste eerst.
    meldingen: Vec<GenummerdeMelding>,
    /// Ga verder met `?na=` deze waarde; gelijk aan de vorige cursor als er niets nieuws was.
    #[schema(example = "42")]
    volgende: String,
}

/// Uw meldingen
///
/// Na positie `na`, oudste eerst. Meldingen worden geschreven in dezelfde transactie als de
/// wijziging die ze melden, zonder gaten genummerd, en bewaard: lees vanaf uw laatst verwerkte
/// positie en u mist niets (ten minste één keer, op volgorde).
#[utoipa::path(operation_id = "meldingenOphalen", tag = "Meldingen",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Een pagina van uw meldingen, de oudste eerst", body = Meldingen),
    ))]
#[get("/meldingen")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    may(&caller, Operation::ReadFeed)?;
    let (after, size) = query.read(|c| c.parse::<i64>().ok().filter(|n| *n >= 0))?;
    let feed = Feed::of(&caller).map(|feed| feed.id().to_owned());
    let page = state
        .services
        .read(move |uow| notifications::feed(uow, &caller, after.unwrap_or(0), size))
        .await?;
    if let Some(feed) = feed {
        let now = state.services.now().utc.and_utc().timestamp();
        state.services.metrics.feed_read(&feed, page.next, now);
    }
    Ok(HttpResponse::Ok().json(Meldingen {
        meldingen: page.items.iter().map(GenummerdeMelding::from).collect(),
        volgende: page.next.to_string(),
    }))
}
