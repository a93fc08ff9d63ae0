//! The public 依申请公开 column: the rules, the online application form (条例 art. 29), the
//! receipt with 申请编号 and 查询码, and the tracking page.

use axum::Router;

use crate::AppState;

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[];

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}
