//! The console's application office: the queue, intake, the case page and its steps, notices,
//! 复议/诉讼, notice settings, the calendar's notices and API tokens.

use axum::Router;

use crate::AppState;

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[];

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}
