//! `/organs/{organ_id}/appeals`: the 行政复议 and 行政诉讼 cases about the organ's disclosure
//! work, each counted in one column of 表四 by its kind and result. The store checks kinds,
//! results and dates; this module bounds the input and refuses dates after today.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::calendar::parse_date;
use gongkai_store::Permission;
use gongkai_store::appeal::{APPEAL_KINDS, APPEAL_RESULTS, Appeal, AppealInput, label};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::applications::OrganPath;
use super::auth::Caller;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, JsonBounded};
use crate::AppState;
use crate::validate::Bound;

/// A 行政复议 or 行政诉讼 case.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealBody {
    /// `reconsideration`, `litigation_direct` or `litigation_after_reconsideration`.
    #[schema(example = "reconsideration")]
    pub kind: String,
    /// The application it arose from (one of this organ's).
    #[serde(default)]
    pub application_id: Option<i64>,
    /// 受理（立案）日期, `YYYY-MM-DD`, not after today.
    #[schema(example = "2025-01-10")]
    pub filed: String,
    /// `upheld`, `corrected`, `other` or `pending`.
    #[schema(example = "pending")]
    pub result: String,
    /// 审结日期, unless pending.
    #[serde(default)]
    pub decided: Option<String>,
    /// 复议机关 or court.
    #[serde(default)]
    pub body: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

impl JsonBounded for AppealBody {
    const FIELDS: &'static [Bound] = &[
        Bound::line("kind", "类型", 40),
        Bound::line("filed", "受理日期", 10),
        Bound::line("result", "结果", 16),
        Bound::line("decided", "审结日期", 10),
        Bound::line("body", "复议机关或法院", 100),
        Bound::lines("note", "备注", 2000),
    ];
}

/// An appeal as kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealView {
    /// Identifier.
    pub id: i64,
    /// Kind key.
    pub kind: String,
    /// Its 表四 label.
    pub kind_label: String,
    /// The application, if linked.
    pub application_id: Option<i64>,
    /// Its 申请编号.
    pub application_number: Option<String>,
    /// Filed.
    pub filed: String,
    /// 复议机关 or court.
    pub body: String,
    /// Result key.
    pub result: String,
    /// Its 表四 label.
    pub result_label: String,
    /// Decided.
    pub decided: Option<String>,
    /// Note.
    pub note: String,
}

impl AppealView {
    fn of(appeal: Appeal) -> AppealView {
        let input = appeal.input;
        AppealView {
            id: appeal.id,
            kind_label: label(&APPEAL_KINDS, &input.kind).to_owned(),
            result_label: label(&APPEAL_RESULTS, &input.result).to_owned(),
            kind: input.kind,
            application_id: input.application_id,
            application_number: appeal.application_number,
            filed: input.filed,
            body: input.body,
            result: input.result,
            decided: input.decided,
            note: input.note,
        }
    }
}

/// The organ's appeals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealList {
    /// Newest filed first.
    pub appeals: Vec<AppealView>,
}

/// Refuses a date after today; the store checks the format.
fn not_future(field: &str, text: &str, today: Date) -> Result<(), ApiError> {
    match parse_date(text) {
        Some(date) if date > today => Err(ApiError::invalid(
            field,
            format!("日期 {text} 晚于今天，请核对。"),
        )),
        _ => Ok(()),
    }
}

fn input(body: &AppealBody, today: Date) -> Result<AppealInput, ApiError> {
    not_future("filed", &body.filed, today)?;
    if let Some(decided) = &body.decided {
        not_future("decided", decided, today)?;
    }
    Ok(AppealInput {
        kind: body.kind.clone(),
        application_id: body.application_id,
        filed: body.filed.trim().to_owned(),
        body: body.body.trim().to_owned(),
        result: body.result.clone(),
        decided: body
            .decided
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        note: body.note.replace("\r\n", "\n").trim().to_owned(),
    })
}

/// Records a 行政复议 or 行政诉讼 case.
#[utoipa::path(
    post,
    path = "/organs/{organ_id}/appeals",
    tag = "appeals",
    params(OrganPath),
    request_body = AppealBody,
    responses(
        (status = 201, description = "已登记", body = AppealView),
        (status = 400, description = "JSON 无法读取或含未知字段", body = ErrorBody),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许（需承办人或负责人）", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
        (status = 422, description = "内容不符合要求", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<OrganPath>,
    ApiJson(body): ApiJson<AppealBody>,
) -> Result<(StatusCode, Json<AppealView>), ApiError> {
    let (scope, _) = caller
        .scope(&state, path.organ_id, Permission::HandleCases)
        .await?;
    let input = input(&body, state.today())?;
    let appeal = state
        .store
        .create_appeal(&caller.actor(), scope, state.now(), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(AppealView::of(appeal))))
}

/// The organ's appeals.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/appeals",
    tag = "appeals",
    params(OrganPath),
    responses(
        (status = 200, description = "复议、诉讼案件", body = AppealList),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<OrganPath>,
) -> Result<Json<AppealList>, ApiError> {
    let (scope, _) = caller
        .scope(&state, path.organ_id, Permission::ViewCases)
        .await?;
    let appeals = state
        .store
        .appeals(scope)
        .await?
        .into_iter()
        .map(AppealView::of)
        .collect();
    Ok(Json(AppealList { appeals }))
}
