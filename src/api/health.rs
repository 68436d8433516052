//! Liveness and readiness for the platform.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AppState, error::ApiError};

#[derive(Serialize, ToSchema)]
pub struct Gezondheid {
    #[schema(example = "UP")]
    status: &'static str,
}

/// Het proces draait
///
/// Voor de liveness-probe: antwoordt zonder de database te raadplegen.
#[utoipa::path(operation_id = "gezondheidLevend", tag = "Beheer", responses((status = 200, description = "Het proces draait", body = Gezondheid)))]
#[get("/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Gezondheid { status: "UP" })
}

/// Het proces bereikt zijn database
///
/// Voor de readiness-probe: antwoordt binnen een seconde, ook als de database onbereikbaar is.
#[utoipa::path(operation_id = "gezondheidGereed", tag = "Beheer", responses(
    (status = 200, description = "Het proces bereikt zijn database", body = Gezondheid),
))]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .services
        .db
        .run(crate::store::ping)
        .await
        .map_err(|e: crate::store::StoreError| {
            tracing::warn!(error = %e, "readiness check failed");
            ApiError::unavailable()
        })?;
    Ok(HttpResponse::Ok().json(Gezondheid { status: "UP" }))
}
