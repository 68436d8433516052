//! Requests no endpoint took: 405 with `Allow` when the path exists with other methods, else
//! 404. The known paths and methods come from the one registration, through the OpenAPI
//! document, so this never disagrees with the router. And the path as the router sees it, for
//! whatever decides by path before routing.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use super::error::ApiError;

/// The request's path as the router matches it: percent-encoding decoded, except `%2F`, `%25`
/// and `%2B`. Whatever decides by path before routing reads this, never the URI's own path, or
/// `/m%65trics` would pass a check for `/metrics` and still be routed to it.
pub fn routed_path(req: &HttpRequest) -> &str {
    req.match_info().as_str()
}

/// The pattern of the route the request is for (`/api/v1/beslagen/{id}`), known before routing.
pub fn route_pattern(req: &HttpRequest) -> Option<String> {
    req.resource_map().match_pattern(routed_path(req))
}

/// Every path template with its methods, e.g. `/api/v1/beslagen/{id}` → `GET, PATCH`.
fn table() -> &'static [(Vec<String>, String)] {
    static TABLE: OnceLock<Vec<(Vec<String>, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        super::openapi::called_paths(super::document())
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let allow: Vec<&str> = methods
                    .into_iter()
                    .filter(|(_, present)| *present)
                    .map(|(m, _)| m)
                    .collect();
                (
                    path.split('/').map(str::to_owned).collect(),
                    allow.join(", "),
                )
            })
            .collect()
    })
}

fn matches(template: &[String], path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    segments.len() == template.len()
        && template.iter().zip(&segments).all(|(t, s)| {
            if t.starts_with('{') {
                !s.is_empty()
            } else {
                t == s
            }
        })
}

pub async fn unmatched(req: HttpRequest) -> HttpResponse {
    if !crate::web::is_api_path(routed_path(&req)) {
        return crate::web::not_found(req).await;
    }
    let allowed = table()
        .iter()
        .find(|(template, _)| matches(template, routed_path(&req)))
        .map(|(_, allow)| allow.as_str());
    match allowed {
        Some(allow) => {
            let mut response =
                ApiError::for_status(StatusCode::METHOD_NOT_ALLOWED).error_response();
            if let Ok(value) = HeaderValue::from_str(allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::for_status(StatusCode::NOT_FOUND).error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_matches_paths_with_any_value_in_its_parameters_only() {
        let template: Vec<String> = "/api/v1/beslagen/{id}"
            .split('/')
            .map(str::to_owned)
            .collect();
        assert!(matches(&template, "/api/v1/beslagen/abc"));
        assert!(!matches(&template, "/api/v1/beslagen/"));
        assert!(!matches(&template, "/api/v1/beslagen"));
        assert!(!matches(&template, "/api/v1/beslagen/abc/x"));
    }
}
