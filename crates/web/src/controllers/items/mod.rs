//! Proactive disclosure (主动公开): information items under review-before-publish in the
//! console, and their columns, pages, feeds and sitemap entries on the portal.

use axum::Router;

use crate::AppState;

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[];

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}
