//! Rate limits on the public endpoints (the calculator and the registers): a client that asks
//! too often gets a 429 problem with `Retry-After`. The limited operations are those the
//! document declares a 429 for, so the document and the server cannot disagree.

use std::collections::HashSet;
use std::sync::OnceLock;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use super::AppState;
use super::error::ApiError;
use crate::rate_limit::client_key;

/// Method and path template of every rate-limited operation, e.g. `POST /api/v1/normberekeningen`.
fn limited() -> &'static HashSet<(String, String)> {
    static LIMITED: OnceLock<HashSet<(String, String)>> = OnceLock::new();
    LIMITED.get_or_init(|| {
        let doc = super::document();
        let mut limited = HashSet::new();
        for (path, item) in super::openapi::called_paths(doc) {
            let operations = [
                ("GET", item.get),
                ("POST", item.post),
                ("PUT", item.put),
                ("PATCH", item.patch),
                ("DELETE", item.delete),
            ];
            for (method, operation) in operations {
                if operation.is_some_and(|o| o.responses.responses.contains_key("429")) {
                    limited.insert((method.to_owned(), path.clone()));
                }
            }
        }
        limited
    })
}

/// The refusal is an answer, not an error, so that the middleware around it (the API-Version and
/// Cache-Control headers, the request id, the log line) treats it as every other answer.
pub async fn enforce<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let key = super::routes::route_pattern(req.request())
        .map(|pattern| (req.method().as_str().to_owned(), pattern));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let (Some(key), Some(state)) = (key, state)
        && limited().contains(&key)
    {
        let client = client_key(req.request(), &state.trusted_proxies);
        if let Err(refused) = state.public_limiter.check(&client) {
            let response = ApiError::too_many(
                "U stelt te veel vragen kort na elkaar. Wacht even en probeer het dan opnieuw.",
                refused.retry_after.as_secs().max(1),
            )
            .error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}
