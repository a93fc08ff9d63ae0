//! `/organs/{organ_id}/applications`: staff intake (条例 art. 29, 31; checked in
//! [`super::intake`]), the queue, one case with its clock, and its steps. A case is shown as
//! [`super::views`] says, with the fields of `gongkai clock --json`; a step is one EVENT of
//! the same format, taken through `Store::append_case_event`, which checks the caller's roles,
//! the case's state and the sequence before anything is written.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::calendar::{format_date, parse_date};
use gongkai_core::clock::{Event, Status};
use gongkai_store::application::ApplicationFilter;
use gongkai_store::ledger::{EventJson, Happening, LedgerEvent, Record};
use gongkai_store::{Permission, StoreError};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;

use super::auth::Caller;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery, JsonBounded};
use super::intake::{IntakeBody, check_intake};
use super::views::{ApplicationList, ApplicationView, application_view, case_view, summary};
use crate::AppState;
use crate::cases::CaseView;
use crate::validate::{Bound, Bounded};

/// The organ of a request.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OrganPath {
    /// 机关编号.
    pub organ_id: i64,
}

/// One application of an organ.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CasePath {
    /// 机关编号.
    pub organ_id: i64,
    /// The application's id (not its 申请编号).
    pub id: i64,
}

// --- The queue's filters -----------------------------------------------------------------

/// The queue's filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `open`, `overdue` (open and past its due date), or a clock status: `running`,
    /// `paused`, `awaiting_correction`, `correction_overdue`, `fee_overdue`, `closed`.
    pub status: Option<String>,
    /// Only cases due before this date (`YYYY-MM-DD`, exclusive).
    pub due_before: Option<String>,
}

impl Bounded for QueueQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("status", "状态", 32),
        Bound::line("due_before", "到期日期", 10),
    ];
}

/// The `status` values the queue takes.
const STATUS_FILTERS: [&str; 8] = [
    "open",
    "overdue",
    "running",
    "paused",
    "awaiting_correction",
    "correction_overdue",
    "fee_overdue",
    "closed",
];

/// A checked filter.
struct Filter {
    status: Option<String>,
    due_before: Option<Date>,
}

impl Filter {
    fn parse(query: &QueueQuery) -> Result<Filter, ApiError> {
        let status = query.status.clone().filter(|s| !s.is_empty());
        if let Some(s) = &status
            && !STATUS_FILTERS.contains(&s.as_str())
        {
            return Err(ApiError::invalid(
                "status",
                format!("status 应为 {}。", STATUS_FILTERS.join("、")),
            ));
        }
        let due_before = match query.due_before.as_deref().filter(|s| !s.is_empty()) {
            Some(text) => Some(parse_date(text).ok_or_else(|| {
                ApiError::invalid("due_before", "due_before 格式应为 YYYY-MM-DD。")
            })?),
            None => None,
        };
        Ok(Filter { status, due_before })
    }

    fn keeps(&self, case: &CaseView) -> bool {
        let report = case.clock.as_ref().ok();
        let status_ok = match self.status.as_deref() {
            None => true,
            Some("open") => !case.closed(),
            Some("overdue") => case.overdue(),
            Some(key) => report.is_some_and(|r| r.status.key() == key),
        };
        let due_ok = match self.due_before {
            None => true,
            Some(limit) => report.and_then(|r| r.due).is_some_and(|due| due < limit),
        };
        status_ok && due_ok
    }
}

/// Whether a case's clock says it is closed (for sorting closed cases after open ones).
fn closed_status(case: &CaseView) -> bool {
    case.clock
        .as_ref()
        .is_ok_and(|r| matches!(r.status, Status::Closed(_)))
}

// --- Handlers -----------------------------------------------------------------------------

/// Registers an application received by staff (in person, by post, e-mail, fax…).
#[utoipa::path(
    post,
    path = "/organs/{organ_id}/applications",
    tag = "applications",
    params(OrganPath),
    request_body = IntakeBody,
    responses(
        (status = 201, description = "登记成功", body = ApplicationView),
        (status = 400, description = "JSON 无法读取或含未知字段", body = ErrorBody),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许（需承办人或负责人）", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
        (status = 422, description = "内容不符合要求（如身份证校验位）", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<OrganPath>,
    ApiJson(body): ApiJson<IntakeBody>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let (scope, roles) = caller
        .scope(&state, path.organ_id, Permission::HandleCases)
        .await?;
    let new = check_intake(&body, state.today())?;
    let application = state
        .store
        .create_application(&caller.actor(), scope, state.now(), &new)
        .await?;
    let view = application_view(&state, scope, &roles, application).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The organ's queue, ordered by due date; applicants masked.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/applications",
    tag = "applications",
    params(OrganPath, QueueQuery),
    responses(
        (status = 200, description = "申请队列", body = ApplicationList),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许", body = ErrorBody),
        (status = 404, description = "机关不存在或无权查看", body = ErrorBody),
        (status = 422, description = "筛选条件无效", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<OrganPath>,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<Json<ApplicationList>, ApiError> {
    let (scope, _) = caller
        .scope(&state, path.organ_id, Permission::ViewCases)
        .await?;
    let filter = Filter::parse(&query)?;
    let open_only = filter.status.as_deref() == Some("open");
    let applications = state
        .store
        .applications(scope, ApplicationFilter { open_only })
        .await?;
    let today = state.today();
    let mut views = Vec::with_capacity(applications.len());
    for application in applications {
        let case = case_view(&state, application).await?;
        if filter.keeps(&case) {
            views.push(case);
        }
    }
    views.sort_by_key(|c| {
        let due = c.clock.as_ref().ok().and_then(|r| r.due);
        (closed_status(c), due.is_none(), due, c.application.id)
    });
    let applications = views
        .iter()
        .map(|c| summary(c, today))
        .collect::<Result<_, _>>()?;
    Ok(Json(ApplicationList { applications }))
}

/// One application: its clock (the fields of `gongkai clock --json`), ledger and notices.
#[utoipa::path(
    get,
    path = "/organs/{organ_id}/applications/{id}",
    tag = "applications",
    params(CasePath),
    responses(
        (status = 200, description = "申请及其期限", body = ApplicationView),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许", body = ErrorBody),
        (status = 404, description = "不存在或无权查看", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<CasePath>,
) -> Result<Json<ApplicationView>, ApiError> {
    let (scope, roles) = caller
        .scope(&state, path.organ_id, Permission::ViewCases)
        .await?;
    let application = state.store.application(scope, path.id).await?;
    Ok(Json(
        application_view(&state, scope, &roles, application).await?,
    ))
}

impl JsonBounded for EventJson {
    const FIELDS: &'static [Bound] = &[
        Bound::line("date", "日期", 10),
        Bound::line("event", "事件", 32),
        Bound::line("channel", "收到渠道", 16),
        Bound::line("deadline", "补正期限", 10),
        Bound::line("party", "征求对象类型", 16),
        Bound::line("name", "征求对象名称", 100),
        Bound::line("approver", "批准人", 50),
        Bound::line("delivered", "送达日期", 10),
        Bound::line("outcome", "办理结果", 64),
        Bound::line("to_name", "承办人姓名", 50),
        Bound::line("method", "送达方式", 50),
        Bound::line("before", "原期限", 10),
        Bound::line("after", "新期限", 10),
        Bound::line("items[]", "补正事项", 200),
        Bound::lines("note", "说明", 2000),
    ];
}

/// Reads a posted event and fills what the server knows better than the client: the
/// assignee's name and, by default, the approver (the caller).
async fn ledger_event(
    state: &AppState,
    caller: &Caller,
    body: &EventJson,
) -> Result<LedgerEvent, ApiError> {
    let mut event = body
        .parse()
        .map_err(|e| ApiError::invalid(e.field, e.message))?;
    if event.date > state.today() {
        return Err(ApiError::invalid(
            "date",
            format!("事件日期不能晚于今天（{}）。", format_date(state.today())),
        ));
    }
    match &mut event.what {
        Happening::Record(Record::Assigned { to, to_name }) => {
            let user = state.store.user(*to).await.map_err(|e| match e {
                StoreError::NotFound(_) => {
                    ApiError::invalid("to", "只能分办给本机关的承办人或负责人。")
                }
                other => other.into(),
            })?;
            *to_name = user.display_name;
        }
        Happening::Clock(Event::ExtensionApproved { approver, .. }) if approver.is_none() => {
            *approver = Some(caller.user.display_name.clone());
        }
        _ => {}
    }
    Ok(event)
}

/// Takes one step on a case: one EVENT in the format of `gongkai clock`.
#[utoipa::path(
    post,
    path = "/organs/{organ_id}/applications/{id}/events",
    tag = "applications",
    params(CasePath),
    request_body = super::openapi::EventDoc,
    responses(
        (status = 201, description = "已记录，返回更新后的申请", body = ApplicationView),
        (status = 400, description = "JSON 无法读取或含未知字段", body = ErrorBody),
        (status = 401, description = "缺少有效令牌", body = ErrorBody),
        (status = 403, description = "角色不允许（延期须负责人批准）", body = ErrorBody),
        (status = 404, description = "不存在或无权查看", body = ErrorBody),
        (status = 409, description = "案件当前状态不允许（如再次延期）", body = ErrorBody),
        (status = 422, description = "事件无效或顺序不可能", body = ErrorBody),
    )
)]
pub async fn append_event(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(path): ApiPath<CasePath>,
    ApiJson(body): ApiJson<EventJson>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let (scope, roles) = caller
        .scope(&state, path.organ_id, Permission::HandleCases)
        .await?;
    // Another organ's case is not found before anything about the event is said.
    state.store.application(scope, path.id).await?;
    let event = ledger_event(&state, &caller, &body).await?;
    let cal = state.calendar().await?;
    let application = state
        .store
        .append_case_event(
            &caller.actor(),
            scope,
            path.id,
            event,
            &cal,
            state.clock_config,
            state.today(),
            state.now(),
        )
        .await?;
    let view = application_view(&state, scope, &roles, application).await?;
    Ok((StatusCode::CREATED, Json(view)))
}
