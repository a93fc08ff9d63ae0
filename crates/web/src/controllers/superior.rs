//! (being built)

use axum::Router;

use crate::AppState;

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}
