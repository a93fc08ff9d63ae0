//! The JSON API (`/api/v1`, spec/api.md): bearer tokens per staff member, the same role checks
//! and audit as the console, errors as `{"error", "message", "field"}`, and the OpenAPI
//! document generated from the code.
//!
//! - [`auth`]: the bearer extractor and the per-organ scope (no role on the organ: 404).
//! - [`error`]: the one error envelope and its table of codes.
//! - [`extract`]: bounded JSON bodies, queries and path ids.
//! - [`applications`], [`appeals`], [`items`], [`reports`]: the handlers; [`intake`] and [`views`]: the request and
//!   response types of applications.
//! - [`openapi`]: the document's frame and the `openapi.json` handler.
//!
//! [`api`] is the route table: each handler is registered by `utoipa_axum::routes!` from its
//! own `#[utoipa::path]`, so a route cannot exist without its description, nor the reverse.

pub mod appeals;
pub mod applications;
pub mod auth;
pub mod computed;
pub mod error;
pub mod extract;
pub mod intake;
pub mod items;
pub mod openapi;
pub mod reports;
pub mod views;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use error::ApiError;

/// The largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The routes and the document generated from them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(applications::create, applications::list))
        .routes(routes!(applications::show))
        .routes(routes!(applications::append_event))
        .routes(routes!(appeals::create, appeals::list))
        .routes(routes!(items::create, items::list))
        .routes(routes!(items::show))
        .routes(routes!(items::transition))
        .routes(routes!(computed::show))
        .routes(routes!(reports::published))
        .routes(routes!(openapi::document))
        .split_for_parts()
}

/// The OpenAPI document, as JSON.
pub fn document() -> String {
    to_json(&api().1)
}

fn to_json(doc: &utoipa::openapi::OpenApi) -> String {
    // Serialising a document of plain strings and maps does not fail; were it to, the API
    // still serves, with an empty document and the reason in the log.
    doc.to_pretty_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "openapi document failed to serialise");
        "{}".to_owned()
    })
}

/// The routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    let (router, doc) = api();
    let json = to_json(&doc);
    router
        .fallback(not_found)
        .layer(Extension(openapi::Document(Arc::new(json))))
        // Tighter than the site's limit: no API request needs more.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(envelope))
}

/// Any path under `/api/v1` that no route matches.
async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Gives every refusal the JSON envelope (axum's own 405 and the like come bare) and keeps
/// responses, which may hold applicants' data, out of caches.
async fn envelope(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let mut response = if (status.is_client_error() || status.is_server_error()) && !json {
        ApiError::for_status(status).into_response()
    } else {
        response
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A Unix time as RFC 3339 in Beijing time (`2026-01-05T09:00:00+08:00`).
pub fn rfc3339(unix: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_in_beijing() {
        assert_eq!(rfc3339(1_767_574_800), "2026-01-05T09:00:00+08:00");
    }

    #[test]
    fn the_document_is_openapi_3_1_with_the_bearer_scheme() {
        let doc: serde_json::Value = serde_json::from_str(&document()).unwrap();
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1."),
            "{doc}"
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    }
}
