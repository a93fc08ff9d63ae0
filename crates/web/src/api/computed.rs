//! `/organs/{organ_id}/reports/{year}/computed`: the organ's annual report for a year computed
//! from its records (表二, 表三, 表四; `gongkai_report::compute`), as the interchange JSON of
//! `spec/annual-report.schema.json`; with `subtree=true`, the consolidation of the organ and
//! every organ below it by the same rules.

use axum::Json;
use axum::extract::State;
use gongkai_store::Permission;
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiPath, ApiQuery};
use crate::AppState;
use crate::controllers::computed::{computed_report, computed_report_subtree};
use crate::validate::{Bound, Bounded};

/// The organ and the statistical year.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReportPath {
    /// 机关编号.
    pub organ_id: i64,
    /// 统计年度 (2019 on: 〔2019〕60号 for 2019–2020, 〔2021〕30号 after).
    pub year: i32,
}

/// Options.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComputedQuery {
    /// `true`: the organ and every organ below it, summed cell by cell.
    pub subtree: Option<bool>,
}

impl Bounded for ComputedQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("subtree", "含下级机关", 5)];
}

/// The report computed from the organ's records.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/reports/{year}/computed",
    tag = "reports",
    params(ReportPath, ComputedQuery),
    responses(
        (status = 200, description = "按记录计算的年报表格（annual-report.schema.json 格式，无正文部分）", body = Object),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
        (status = 422, description = "该年度没有全国统一的年报格式", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<ReportPath>,
    ApiQuery(query): ApiQuery<ComputedQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    // The tables are counts: the permission of the masked queue is enough to see one organ's.
    // The subtree's sum shows the subordinates' figures: only those who supervise them.
    let permission = if query.subtree == Some(true) {
        Permission::SuperviseReports
    } else {
        Permission::ViewCases
    };
    let (scope, _) = caller.scope(&state, path.organ_id, permission).await?;
    let report = if query.subtree == Some(true) {
        computed_report_subtree(&state.store, scope, path.year).await?
    } else {
        computed_report(&state.store, scope, path.year).await?
    };
    Ok(Json(report.to_json()))
}
