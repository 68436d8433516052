//! `GET /metrics` for Prometheus. It is served only on its own listener
//! (`RIJKSINCASSO_METRICS_BIND`), which the deployment keeps inside the cluster; the public
//! listener answers 404 for it, and the metrics listener for everything else. Not part of the
//! API, so not in its OpenAPI document.

use std::net::SocketAddr;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError, web};

use super::AppState;
use super::error::ApiError;
use crate::domain::beslagvrije_voet::NormTable;
use crate::metrics::StoredState;
use crate::store::{StoreError, notifications, webhook_subscriptions};

pub const PATH: &str = "/metrics";

/// The address of the metrics listener, if there is one.
#[derive(Debug, Clone, Copy)]
pub struct MetricsListener(pub Option<SocketAddr>);

/// Lets `/metrics` through on the metrics listener only, and nothing else there.
pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let listener = req
        .app_data::<web::Data<MetricsListener>>()
        .and_then(|l| l.0);
    let on_metrics_listener = listener == Some(req.app_config().local_addr());
    if on_metrics_listener == (super::routes::routed_path(req.request()) == PATH) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let response = ApiError::for_status(StatusCode::NOT_FOUND).error_response();
    Ok(req.into_response(response).map_into_right_body())
}

/// The metrics in the Prometheus text format. The feed and norm-table gauges need the
/// database; without it the rest is still served.
pub async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let services = &state.services;
    let stored = services
        .db
        .run({
            let services = services.clone();
            move |conn| {
                Ok(StoredState {
                    feeds: notifications::feed_positions(conn)?,
                    webhooks_delivered: webhook_subscriptions::lowest_delivered(conn)?,
                    norm_tables_covered_until: NormTable::covered_until(
                        &services.reference.get(conn)?.norm_tables,
                    ),
                })
            }
        })
        .await
        .map_err(|e: StoreError| tracing::warn!(error = %e, "metrics: stored state not read"))
        .ok();
    let text = services
        .metrics
        .render(services.db.usage(), stored.as_ref());
    HttpResponse::Ok()
        .content_type(crate::metrics::CONTENT_TYPE)
        .body(text)
}

/// Any other method on `/metrics`.
pub async fn only_get() -> HttpResponse {
    let mut response = ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED).error_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET"));
    response
}
