//! Liveness and readiness for the platform.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AppState, Problem, error::ApiError};

#[derive(Serialize, ToSchema)]
pub struct Gezondheid {
    #[schema(example = "UP")]
    status: &'static str,
}

/// The process runs.
#[utoipa::path(get, path = "/health/live", tag = "Beheer", responses((status = 200, body = Gezondheid)))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Gezondheid { status: "UP" })
}

/// The process can reach its database.
#[utoipa::path(get, path = "/health/ready", tag = "Beheer", responses(
    (status = 200, body = Gezondheid),
    (status = 503, body = Problem, content_type = "application/problem+json"),
))]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(crate::store::ping)
        .await
        .map_err(|e: crate::store::StoreError| {
            tracing::warn!(error = %e, "readiness check failed");
            ApiError::unavailable()
        })?;
    Ok(HttpResponse::Ok().json(Gezondheid { status: "UP" }))
}
