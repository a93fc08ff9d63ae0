//! `/organs/{organ_id}/reports/{year}`: an organ's published 政府信息公开工作年度报告 (条例 art.
//! 49, 50) as the interchange JSON of `spec/annual-report.schema.json` — the version standing
//! on the portal (a correction replaces the earlier one; a withdrawn report is gone). Public,
//! as the portal page is: no token needed.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use super::error::{ApiError, ErrorBody};
use super::extract::ApiPath;
use crate::AppState;

/// An organ's year.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReportPath {
    /// 机关编号.
    pub organ_id: i64,
    /// 统计年度.
    pub year: i32,
}

/// The published report.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/reports/{year}",
    tag = "reports",
    params(ReportPath),
    security(()),
    responses(
        (status = 200, description = "已发布的年度报告（annual-report.schema.json）", body = Object),
        (status = 404, description = "该机关该年度没有已发布的报告", body = ErrorBody),
    )
)]
pub async fn published(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<ReportPath>,
) -> Result<Json<Value>, ApiError> {
    let listing = crate::annual::listing_of(&state.store, path.organ_id, path.year)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(listing.report))
}
