//! A deadline for reading a request body. The HTTP layer times out a slow request head but not
//! its body: a client announcing a longer `Content-Length` than it sends would hold its
//! connection for minutes. Past the deadline the body ends with an error, the request is
//! answered 408 and the connection closed.

use std::io;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use futures_util::StreamExt;
use futures_util::stream;
use tokio::time::{Instant, timeout_at};

use super::AppState;

const PASSED: &str = "the request body was not received in time";

pub async fn enforce(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.body_read_limit);
    if let Some(limit) = limit {
        let deadline = Instant::now() + limit;
        let body = req.take_payload();
        let timed = stream::unfold(Some(body), move |body| async move {
            let mut body = body?;
            match timeout_at(deadline, body.next()).await {
                Ok(Some(chunk)) => Some((chunk, Some(body))),
                Ok(None) => None,
                Err(_) => Some((
                    Err(PayloadError::Io(io::Error::new(
                        io::ErrorKind::TimedOut,
                        PASSED,
                    ))),
                    None,
                )),
            }
        });
        req.set_payload(Payload::from(timed.boxed_local()));
    }
    next.call(req).await
}

/// Whether reading a body failed because its deadline passed.
pub fn passed(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(e) if e.kind() == io::ErrorKind::TimedOut)
}
