//! Cross-cutting HTTP behaviour: one span per request with a request id, the metrics of every
//! request, and problem+json for every error response, including the ones the framework makes
//! itself (404, 405, 413, …).
//!
//! Nothing a client sends reaches a log line unchecked: the span names the route *pattern*
//! (`/api/v1/beslagen/{id}`, never the path), a request id only when it is a UUID, and a
//! `traceparent` only when it is valid.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::RootSpanBuilder;
use uuid::Uuid;

use super::AppState;
use super::error::{ApiError, PROBLEM_JSON};
use crate::domain::bsn::Bsn;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// The route label of a request no endpoint matched.
const UNMATCHED: &str = "(geen route)";

/// What the span builder learned at the start of a request, for the rest of it.
#[derive(Clone)]
struct RequestFacts {
    id: Uuid,
    route: String,
    started: Instant,
}

/// The request span of `tracing-actix-web`, with fields of our choosing.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let facts = RequestFacts {
            id: request_id(request),
            route: super::routes::route_pattern(request.request())
                .unwrap_or_else(|| UNMATCHED.to_owned()),
            started: Instant::now(),
        };
        let span = tracing::info_span!(
            "request",
            request_id = %facts.id,
            method = method_name(request.method()),
            route = %facts.route,
            traceparent = Empty,
            trace_id = Empty,
            status = Empty,
            latency_ms = Empty,
        );
        if let Some(parent) = request
            .headers()
            .get(&TRACEPARENT)
            .and_then(|v| v.to_str().ok())
            .and_then(TraceParent::parse)
        {
            span.record("traceparent", tracing::field::display(&parent));
            span.record("trace_id", parent.trace_id.as_str());
        }
        request.extensions_mut().insert(facts);
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, facts) = match outcome {
            Ok(response) => (
                response.status(),
                response
                    .request()
                    .extensions()
                    .get::<RequestFacts>()
                    .cloned(),
            ),
            Err(error) => (error.as_response_error().status_code(), None),
        };
        span.record("status", status.as_u16());
        if let Some(facts) = facts {
            span.record("latency_ms", facts.started.elapsed().as_millis() as u64);
        }
        tracing::info!("request done");
    }
}

/// A client's `X-Request-Id` is taken when it is a UUID (written the standard way in the logs),
/// unless it carries something that reads as a BSN; otherwise the id `tracing-actix-web` made.
fn request_id(request: &ServiceRequest) -> Uuid {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Uuid::try_parse(v.trim()).ok())
        .filter(|id| !carries_bsn(&id.to_string()))
        .or_else(|| {
            request
                .extensions()
                .get::<tracing_actix_web::RequestId>()
                .map(|id| **id)
        })
        .unwrap_or_else(Uuid::new_v4)
}

/// Whether `text` holds nine digits in a row that pass the elfproef, also inside a longer run
/// (a client that wrote a BSN into an id beside other digits).
fn carries_bsn(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit()).any(|run| {
        run.as_bytes()
            .windows(9)
            .filter_map(|window| std::str::from_utf8(window).ok())
            .any(|nine| Bsn::parse(nine).is_ok())
    })
}

/// A W3C Trace Context `traceparent` (level 1): version, trace id, parent id, flags.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TraceParent {
    trace_id: String,
    parent_id: String,
    flags: String,
}

impl TraceParent {
    /// Parses as the recommendation says: version `ff` is invalid; version `00` is exactly 55
    /// characters; a later version may add fields after the flags, which are ignored. All-zero
    /// ids are invalid, and hex is lowercase.
    fn parse(value: &str) -> Option<TraceParent> {
        let value = value.trim_matches([' ', '\t']);
        let hex = |s: &str, len: usize| {
            s.len() == len
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        let version = value.get(0..2)?;
        if !hex(version, 2) || version == "ff" {
            return None;
        }
        let fixed = value.get(0..55)?;
        let rest = &value[55..];
        if (version == "00" && !rest.is_empty()) || (!rest.is_empty() && !rest.starts_with('-')) {
            return None;
        }
        let mut parts = fixed.split('-');
        let (_, trace_id, parent_id, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let zero = |s: &str| s.bytes().all(|b| b == b'0');
        let valid = hex(trace_id, 32)
            && hex(parent_id, 16)
            && hex(flags, 2)
            && !zero(trace_id)
            && !zero(parent_id)
            && !carries_bsn(trace_id)
            && !carries_bsn(parent_id);
        valid.then(|| TraceParent {
            trace_id: trace_id.to_owned(),
            parent_id: parent_id.to_owned(),
            flags: flags.to_owned(),
        })
    }
}

impl std::fmt::Display for TraceParent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "00-{}-{}-{}", self.trace_id, self.parent_id, self.flags)
    }
}

/// Echoes the request id and counts the request in the metrics, by route pattern and status.
pub async fn request_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let facts = req.extensions().get::<RequestFacts>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = method_name(req.method());
    let outcome = next.call(req).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    if let (Some(facts), Some(state)) = (&facts, &state) {
        state.services.metrics.request(
            method,
            &facts.route,
            status.as_u16(),
            facts.started.elapsed(),
        );
    }
    let mut response = outcome?;
    if let Some(facts) = facts
        && let Ok(value) = HeaderValue::from_str(&facts.id.to_string())
    {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// Turns any error response of the API (`/api`, `/health`, `/metrics`) that is not yet a
/// problem report into one. The web pages make their own HTML error pages.
pub async fn problem_json(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !crate::web::is_api_path(super::routes::routed_path(req.request())) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let response = next.call(req).await?;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        let (request, _) = response.into_parts();
        return Ok(ServiceResponse::new(
            request,
            ApiError::for_status(status).error_response(),
        ));
    }
    Ok(response.map_into_boxed_body())
}

/// The request's method as logs and metrics name it: one of HTTP's own, or `OTHER`. A client
/// may send any token as a method; taken as it came it would give the metrics a new series per
/// request and could put anything, a BSN too, in a log line.
fn method_name(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_valid_traceparent_is_kept_as_sent() {
        let parent = TraceParent::parse(VALID).unwrap();
        assert_eq!(parent.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(parent.to_string(), VALID);
        let later = format!("01{}-more-fields", &VALID[2..]);
        assert_eq!(
            TraceParent::parse(&later).unwrap().to_string(),
            VALID,
            "a later version is read as version 00"
        );
    }

    #[test]
    fn an_invalid_traceparent_is_ignored() {
        for invalid in [
            "",
            "00",
            &format!("ff{}", &VALID[2..]),
            &format!("{VALID}-extra"),
            &VALID.to_uppercase(),
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",
            "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            "00-aaaaaaaaaaaaaaaaaaaaaaa999990007-00f067aa0ba902b7-01",
        ] {
            assert_eq!(TraceParent::parse(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn a_bsn_is_seen_in_any_nine_digits_in_a_row_that_pass_the_elfproef() {
        assert!(carries_bsn("aaaa999990007bbb"));
        assert!(
            carries_bsn("00000000-0000-4000-8000-999990019123"),
            "inside a longer run"
        );
        assert!(carries_bsn("00000000-0000-4000-8000-0999990007ab"));
        assert!(!carries_bsn("999990008"), "fails the elfproef");
        assert!(!carries_bsn("99999000"), "too short");
        assert!(!carries_bsn("0193f1e2-7c1a-7d3b-9a52-3f0c2b1e4d5a"));
    }
}
