//! The JSON API (`/api/v1`, spec/api.md): bearer tokens per staff member, the same role checks
//! and audit as the console, errors as `{"error", "message", "field"}`, and the OpenAPI
//! document generated from the code.

use axum::Router;

use crate::AppState;

/// The routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
}
