//! 互动交流: 留言 (咨询、建议、投诉) with moderation and replies, and 意见征集 with public comments
//! and the published 反馈情况 — on the portal and in the console.

use axum::Router;

use crate::AppState;

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[];

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}
