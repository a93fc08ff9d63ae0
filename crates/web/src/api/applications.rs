//! `/organs/{organ_id}/applications`: staff intake (条例 art. 29, 31), the queue, one case
//! with its clock, and its steps. A case is shown with the fields of `gongkai clock --json`
//! (from [`cases::clock_json`]) plus its number, ledger and notices; a step is one EVENT of
//! the same format, taken through `Store::append_case_event`, which checks the caller's roles,
//! the case's state and the sequence before anything is written.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::calendar::{format_date, parse_date, warnings};
use gongkai_core::clock::{Channel, Event, Status};
use gongkai_core::format::{APPLICANT_COLUMNS, APPLICANT_TOTAL};
use gongkai_core::identity;
use gongkai_store::application::{
    Applicant, Application, ApplicationFilter, NewApplication, Request,
};
use gongkai_store::ledger::{EventJson, Happening, Record};
use gongkai_store::{OrganScope, Permission, Role, workflow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use super::auth::{Caller, allows};
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery, JsonBounded};
use super::rfc3339;
use crate::AppState;
use crate::cases::{self, CaseView};
use crate::validate::{self, Bound, Bounded};

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

// --- Intake -------------------------------------------------------------------------------

/// Who applies (art. 29 ¶2 (一)).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantBody {
    /// The 表三 column: `natural_person`, `commercial`, `research`, `social_welfare`,
    /// `legal_services` or `other`.
    #[schema(example = "natural_person")]
    pub kind: String,
    /// 姓名 or 名称.
    pub name: String,
    /// `resident_id` (checked to its check digit), `credit_code` (checked), `passport`,
    /// `other`.
    #[schema(example = "resident_id")]
    pub id_type: String,
    /// 证件号码.
    pub id_number: String,
    /// 联系电话 (one of phone, email, address is required).
    #[serde(default)]
    pub phone: String,
    /// 电子邮箱.
    #[serde(default)]
    pub email: String,
    /// 通信地址.
    #[serde(default)]
    pub address: String,
    /// 邮政编码.
    #[serde(default)]
    pub postcode: String,
    /// 传真.
    #[serde(default)]
    pub fax: String,
    /// 工作单位 (citizens).
    #[serde(default)]
    pub work_unit: String,
    /// 法定代表人 (organisations).
    #[serde(default)]
    pub legal_representative: String,
    /// 联系人 (organisations).
    #[serde(default)]
    pub contact_person: String,
}

/// An application received on paper, by post, by e-mail, … and registered by staff.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeBody {
    /// `in_person`, `post`, `letter`, `online`, `email` or `fax` (art. 31).
    #[schema(example = "post")]
    pub channel: String,
    /// The receipt date under art. 31, `YYYY-MM-DD`, not after today.
    #[schema(example = "2024-09-27")]
    pub received: String,
    /// The applicant.
    pub applicant: ApplicantBody,
    /// 所需信息的名称、文号或特征性描述 (art. 29 ¶2 (二)).
    #[serde(default)]
    pub description: String,
    /// 信息名称.
    #[serde(default)]
    pub title: String,
    /// 文号.
    #[serde(default)]
    pub doc_number: String,
    /// 载体形式 keys.
    #[serde(default)]
    pub forms: Vec<String>,
    /// 获取方式 keys: `paper`, `email`, `disc`, ….
    #[serde(default)]
    pub delivery: Vec<String>,
    /// 若无法按指定形式提供，同意以其他适当形式提供.
    #[serde(default)]
    pub accept_other_form: bool,
}

impl JsonBounded for IntakeBody {
    const FIELDS: &'static [Bound] = &[
        Bound::line("channel", "收到渠道", 16),
        Bound::line("received", "收到申请日期", 10),
        Bound::line("applicant.kind", "申请人类型", 32),
        Bound::line("applicant.name", "姓名或名称", 100),
        Bound::line("applicant.id_type", "证件类型", 16),
        Bound::line("applicant.id_number", "证件号码", 32),
        Bound::line("applicant.phone", "联系电话", 50),
        Bound::line("applicant.email", "电子邮箱", 254),
        Bound::line("applicant.address", "通信地址", 200),
        Bound::line("applicant.postcode", "邮政编码", 10),
        Bound::line("applicant.fax", "传真", 50),
        Bound::line("applicant.work_unit", "工作单位", 100),
        Bound::line("applicant.legal_representative", "法定代表人", 50),
        Bound::line("applicant.contact_person", "联系人", 50),
        Bound::lines("description", "所需信息的描述", 2000),
        Bound::line("title", "信息名称", 200),
        Bound::line("doc_number", "文号", 100),
        Bound::line("forms[]", "载体形式", 32),
        Bound::line("delivery[]", "获取方式", 32),
    ];
}

/// The identity document types.
const ID_TYPES: [&str; 4] = ["resident_id", "credit_code", "passport", "other"];

/// A key of a 载体形式 or 获取方式: lower-case letters and `_` (the store joins keys with
/// commas, so none may hold one).
fn is_key(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c == '_')
}

fn check_keys(field: &str, keys: &[String]) -> Result<Vec<String>, ApiError> {
    for (i, key) in keys.iter().enumerate() {
        if !is_key(key) {
            return Err(ApiError::invalid(
                format!("{field}[{i}]"),
                format!("“{key}”不是有效的键名：应为英文小写字母和下划线，如 paper、email、disc。"),
            ));
        }
    }
    Ok(keys.to_vec())
}

/// The checked 证件号码, in canonical form.
fn check_id_number(id_type: &str, text: &str, today: Date) -> Result<String, ApiError> {
    let field = "applicant.id_number";
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(
            field,
            "请填写身份证明的证件号码（第二十九条第二款第一项）。",
        ));
    }
    match id_type {
        "resident_id" => identity::resident_id(text, today)
            .map(|id| id.as_str().to_owned())
            .map_err(|e| ApiError::invalid(field, format!("{}。", e.message()))),
        "credit_code" => identity::credit_code(text)
            .map(|code| code.as_str().to_owned())
            .map_err(|e| ApiError::invalid(field, format!("{}。", e.message()))),
        _ => Ok(text.to_owned()),
    }
}

/// The applicant, checked field by field.
fn check_applicant(body: &ApplicantBody, today: Date) -> Result<Applicant, ApiError> {
    let kinds = &APPLICANT_COLUMNS[..APPLICANT_TOTAL];
    if !kinds.iter().any(|c| c.key == body.kind) {
        let keys: Vec<&str> = kinds.iter().map(|c| c.key).collect();
        return Err(ApiError::invalid(
            "applicant.kind",
            format!("申请人类型应为 {}。", keys.join("、")),
        ));
    }
    let name = body.name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid(
            "applicant.name",
            "请填写申请人的姓名或者名称（第二十九条第二款第一项）。",
        ));
    }
    if !ID_TYPES.contains(&body.id_type.as_str()) {
        return Err(ApiError::invalid(
            "applicant.id_type",
            "证件类型应为 resident_id、credit_code、passport 或 other。",
        ));
    }
    let id_number = check_id_number(&body.id_type, &body.id_number, today)?;
    let t = |s: &str| s.trim().to_owned();
    let (phone, email, address) = (t(&body.phone), t(&body.email), t(&body.address));
    if phone.is_empty() && email.is_empty() && address.is_empty() {
        return Err(ApiError::invalid(
            "applicant.phone",
            "请至少填写一种联系方式：电话、电子邮箱或通信地址（第二十九条第二款第一项）。",
        ));
    }
    if !email.is_empty() && !email.contains('@') {
        return Err(ApiError::invalid("applicant.email", "电子邮箱格式不正确。"));
    }
    let postcode = t(&body.postcode);
    if !postcode.is_empty() {
        validate::postcode(&postcode).map_err(|m| ApiError::invalid("applicant.postcode", m))?;
    }
    Ok(Applicant {
        kind: body.kind.clone(),
        name: name.to_owned(),
        id_type: body.id_type.clone(),
        id_number,
        work_unit: t(&body.work_unit),
        legal_representative: t(&body.legal_representative),
        contact_person: t(&body.contact_person),
        phone,
        email,
        address,
        postcode,
        fax: t(&body.fax),
    })
}

/// A date field that must not be after today.
fn past_date(field: &str, label: &str, text: &str, today: Date) -> Result<Date, ApiError> {
    let date = parse_date(text)
        .ok_or_else(|| ApiError::invalid(field, format!("{label}格式应为 YYYY-MM-DD。")))?;
    if date > today {
        return Err(ApiError::invalid(
            field,
            format!("{label}不能晚于今天（{}）。", format_date(today)),
        ));
    }
    Ok(date)
}

/// The whole intake, checked before anything is written.
fn check_intake(body: &IntakeBody, today: Date) -> Result<NewApplication, ApiError> {
    let channel = Channel::from_key(&body.channel).ok_or_else(|| {
        ApiError::invalid(
            "channel",
            "收到渠道应为 in_person、post、letter、online、email 或 fax（第三十一条）。",
        )
    })?;
    let received = past_date("received", "收到申请日期", &body.received, today)?;
    let applicant = check_applicant(&body.applicant, today)?;
    let t = |s: &str| s.trim().to_owned();
    let request = Request {
        title: t(&body.title),
        doc_number: t(&body.doc_number),
        description: body.description.replace("\r\n", "\n").trim().to_owned(),
        forms: check_keys("forms", &body.forms)?,
        delivery: check_keys("delivery", &body.delivery)?,
        accept_other_form: body.accept_other_form,
    };
    if request.summary().is_empty() {
        return Err(ApiError::invalid(
            "description",
            "请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（第二十九条第二款第二项）。",
        ));
    }
    Ok(NewApplication {
        applicant,
        request,
        channel,
        received,
        query_code: None,
        attachments: Vec::new(),
    })
}

// --- Views ----------------------------------------------------------------------------------

/// The clock's fields, exactly those of `gongkai clock --json` (read back from
/// [`cases::clock_json`], so that a field added there fails here, in the tests, first).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockFields {
    /// The day the clock was computed for (today in Beijing).
    pub today: String,
    /// `running`, `paused`, `awaiting_correction`, `correction_overdue`, `fee_overdue`,
    /// `closed`.
    pub status: String,
    /// Its Chinese label.
    pub status_label: String,
    /// The receipt date (art. 31).
    pub received: String,
    /// The reply due date; null while paused or awaiting a correction.
    pub due: Option<String>,
    /// Working days left (negative when overdue).
    pub days_left: Option<i64>,
    /// Past the due date.
    pub overdue: bool,
    /// The closing date.
    pub closed: Option<String>,
    /// The closing outcome's key (`gongkai_core::outcome::OUTCOMES`).
    pub outcome: Option<String>,
    /// The 表三 row the outcome counts in.
    pub report_row: Option<String>,
    /// The notice the outcome takes.
    pub notice: Option<String>,
    /// One line per step and adjustment, each naming its article.
    pub explanation: Vec<String>,
    /// Years counted Monday–Friday for lack of data.
    pub assumed_years: Vec<i32>,
    /// Years counted from the statutory holidays, without a notice (暂定).
    pub provisional_years: Vec<i32>,
}

/// The applicant as shown: in full to the case roles, masked to everyone else.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicantView {
    /// The 表三 column.
    pub kind: String,
    /// Its label.
    pub kind_label: String,
    /// 姓名 or 名称 (a citizen's masked: 张*).
    pub name: String,
    /// Document type.
    pub id_type: String,
    /// 证件号码 (masked: 1101**********1234).
    pub id_number: String,
    /// 联系电话 (masked).
    pub phone: String,
    /// 电子邮箱 (only in full).
    pub email: Option<String>,
    /// 通信地址 (only in full).
    pub address: Option<String>,
    /// 邮政编码 (only in full).
    pub postcode: Option<String>,
    /// 工作单位 (only in full).
    pub work_unit: Option<String>,
    /// 法定代表人 (only in full).
    pub legal_representative: Option<String>,
    /// 联系人 (only in full).
    pub contact_person: Option<String>,
    /// 传真 (only in full).
    pub fax: Option<String>,
    /// Whether this is the masked form.
    pub masked: bool,
}

impl ApplicantView {
    /// The full applicant, for callers who handle the organ's cases.
    fn full(a: &Applicant) -> ApplicantView {
        let some = |s: &str| Some(s.to_owned());
        ApplicantView {
            kind: a.kind.clone(),
            kind_label: cases::applicant_kind_label(&a.kind).to_owned(),
            name: a.name.clone(),
            id_type: a.id_type.clone(),
            id_number: a.id_number.clone(),
            phone: a.phone.clone(),
            email: some(&a.email),
            address: some(&a.address),
            postcode: some(&a.postcode),
            work_unit: some(&a.work_unit),
            legal_representative: some(&a.legal_representative),
            contact_person: some(&a.contact_person),
            fax: some(&a.fax),
            masked: false,
        }
    }

    /// The masked applicant, for lists and for those who only view cases.
    fn masked(a: &Applicant) -> ApplicantView {
        ApplicantView {
            kind: a.kind.clone(),
            kind_label: cases::applicant_kind_label(&a.kind).to_owned(),
            name: a.masked_name(),
            id_type: a.id_type.clone(),
            id_number: a.masked_id(),
            phone: identity::mask_phone(&a.phone),
            email: None,
            address: None,
            postcode: None,
            work_unit: None,
            legal_representative: None,
            contact_person: None,
            fax: None,
            masked: true,
        }
    }
}

/// What was asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    /// 信息名称.
    pub title: String,
    /// 文号.
    pub doc_number: String,
    /// 特征性描述.
    pub description: String,
    /// 载体形式 keys.
    pub forms: Vec<String>,
    /// 获取方式 keys.
    pub delivery: Vec<String>,
    /// 同意以其他适当形式提供.
    pub accept_other_form: bool,
}

/// The handler a case is assigned to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssigneeView {
    /// Account id.
    pub id: i64,
    /// Display name.
    pub name: String,
}

/// A notice of the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeView {
    /// Identifier.
    pub id: i64,
    /// Kind key (`receipt`, `correction`, `reply.disclosed`, …).
    pub kind: String,
    /// Title.
    pub title: String,
    /// 文书编号 (a placeholder while a draft).
    pub number: String,
    /// Its date.
    pub date: String,
    /// Issued (frozen).
    pub issued: bool,
}

/// One application with its clock, ledger and notices.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    /// Identifier.
    pub id: i64,
    /// 申请编号, e.g. `YSQ-2026-0007`.
    pub number: String,
    /// The clock (the fields of `gongkai clock --json`).
    #[serde(flatten)]
    pub clock: ClockFields,
    /// The workflow's label (tells a pending extension request apart: 延期待批).
    pub state_label: String,
    /// How it came (art. 31).
    pub channel: Option<String>,
    /// Whether the due date rests on a year without a holiday notice.
    pub provisional: bool,
    /// The calendar's warnings (暂定 years), one line each.
    pub calendar_warnings: Vec<String>,
    /// Who applied.
    pub applicant: ApplicantView,
    /// What was asked for.
    pub request: RequestView,
    /// The assigned handler.
    pub assignee: Option<AssigneeView>,
    /// The ledger, in recording order, each event in the format of `gongkai clock`.
    #[schema(value_type = Vec<super::openapi::EventDoc>)]
    pub events: Vec<EventJson>,
    /// The notices, oldest first.
    pub notices: Vec<NoticeView>,
    /// The event keys the caller may post now.
    pub actions: Vec<String>,
    /// When it was registered (RFC 3339).
    pub created_at: String,
}

/// An application in the queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationSummary {
    /// Identifier.
    pub id: i64,
    /// 申请编号.
    pub number: String,
    /// Clock status key.
    pub status: String,
    /// Its label.
    pub status_label: String,
    /// The workflow's label.
    pub state_label: String,
    /// Receipt date.
    pub received: String,
    /// Due date.
    pub due: Option<String>,
    /// Working days left.
    pub days_left: Option<i64>,
    /// Past the due date.
    pub overdue: bool,
    /// Rests on a provisional year.
    pub provisional: bool,
    /// Closing outcome.
    pub outcome: Option<String>,
    /// The applicant, always masked in the list.
    pub applicant: ApplicantView,
    /// The assigned handler's account id.
    pub assignee_id: Option<i64>,
}

/// The queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationList {
    /// Ordered by due date (cases without one last).
    pub applications: Vec<ApplicationSummary>,
}

/// The clock's fields of a case, or, where its clock cannot be computed, the reason.
fn clock_fields(case: &CaseView, today: Date) -> Result<ClockFields, ApiError> {
    match &case.clock {
        Ok(report) => serde_json::from_value(cases::clock_json(report))
            .map_err(|e| ApiError::internal(&format!("clock json: {e}"), false)),
        Err(reason) => Ok(ClockFields {
            today: format_date(today),
            status: "unknown".into(),
            status_label: "无法计算".into(),
            received: case
                .application
                .received()
                .map(|(d, _)| format_date(d))
                .unwrap_or_default(),
            due: None,
            days_left: None,
            overdue: false,
            closed: None,
            outcome: None,
            report_row: None,
            notice: None,
            explanation: vec![reason.clone()],
            assumed_years: Vec::new(),
            provisional_years: Vec::new(),
        }),
    }
}

fn calendar_warnings(case: &CaseView) -> Vec<String> {
    case.clock
        .as_ref()
        .map(|r| warnings(&r.assumed_years, &r.provisional_years))
        .unwrap_or_default()
}

/// A case as computed today.
async fn case_view(state: &AppState, application: Application) -> Result<CaseView, ApiError> {
    let cal = state.calendar().await?;
    Ok(CaseView::new(
        application,
        &cal,
        state.clock_config,
        state.today(),
    ))
}

/// The full view of one case for a caller holding `roles` on its organ.
async fn application_view(
    state: &AppState,
    scope: OrganScope,
    roles: &[Role],
    application: Application,
) -> Result<ApplicationView, ApiError> {
    let case = case_view(state, application).await?;
    let a = &case.application;
    let notices = state
        .store
        .notices(scope, a.id)
        .await?
        .into_iter()
        .map(|n| NoticeView {
            id: n.id,
            kind: n.kind,
            title: n.title,
            number: n.number,
            date: n.date,
            issued: n.issued,
        })
        .collect();
    let assignee = match a.assignee_id {
        Some(id) => state.store.user(id).await.ok().map(|u| AssigneeView {
            id,
            name: u.display_name,
        }),
        None => None,
    };
    let applicant = if allows(roles, Permission::HandleCases) {
        ApplicantView::full(&a.applicant)
    } else {
        ApplicantView::masked(&a.applicant)
    };
    let actions = case
        .state
        .map(|s| workflow::available(s, roles))
        .unwrap_or_default()
        .into_iter()
        .map(|action| action.key().to_owned())
        .collect();
    Ok(ApplicationView {
        id: a.id,
        number: a.number.clone(),
        clock: clock_fields(&case, state.today())?,
        state_label: case.status_label().to_owned(),
        channel: a.received().map(|(_, c)| c.key().to_owned()),
        provisional: case.provisional(),
        calendar_warnings: calendar_warnings(&case),
        applicant,
        request: RequestView {
            title: a.request.title.clone(),
            doc_number: a.request.doc_number.clone(),
            description: a.request.description.clone(),
            forms: a.request.forms.clone(),
            delivery: a.request.delivery.clone(),
            accept_other_form: a.request.accept_other_form,
        },
        assignee,
        events: a.events.iter().map(|e| EventJson::of(&e.event)).collect(),
        notices,
        actions,
        created_at: rfc3339(a.created_at),
    })
}

fn summary(case: &CaseView, today: Date) -> Result<ApplicationSummary, ApiError> {
    let clock = clock_fields(case, today)?;
    let a = &case.application;
    Ok(ApplicationSummary {
        id: a.id,
        number: a.number.clone(),
        status: clock.status,
        status_label: clock.status_label,
        state_label: case.status_label().to_owned(),
        received: clock.received,
        due: clock.due,
        days_left: clock.days_left,
        overdue: case.overdue(),
        provisional: case.provisional(),
        outcome: clock.outcome,
        applicant: ApplicantView::masked(&a.applicant),
        assignee_id: a.assignee_id,
    })
}

// --- The queue's filters -----------------------------------------------------------------

/// The queue's filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `open`, `overdue`, or a clock status: `running`, `paused`, `awaiting_correction`,
    /// `correction_overdue`, `fee_overdue`, `closed`.
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
) -> Result<gongkai_store::ledger::LedgerEvent, ApiError> {
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
            let user = state
                .store
                .user(*to)
                .await
                .map_err(|_| ApiError::invalid("to", "只能分办给本机关的承办人或负责人。"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        parse_date("2026-01-05").unwrap()
    }

    fn body(id_number: &str) -> IntakeBody {
        serde_json::from_value(serde_json::json!({
            "channel": "post",
            "received": "2024-09-27",
            "applicant": {
                "kind": "natural_person", "name": "张三", "id_type": "resident_id",
                "id_number": id_number, "phone": "13800138000"
            },
            "description": "2023年本区老旧小区改造项目的资金安排",
            "delivery": ["paper"]
        }))
        .unwrap()
    }

    #[test]
    fn intake_canonicalises_a_resident_id_and_refuses_a_wrong_check_digit() {
        // GB 11643-1999: 11010519491231002X is the standard's own example.
        let new = check_intake(&body("11010519491231002x"), today()).unwrap();
        assert_eq!(new.applicant.id_number, "11010519491231002X");
        let e = check_intake(&body("110105194912310021"), today()).unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("applicant.id_number"));
        assert!(e.body.message.contains("校验位"), "{}", e.body.message);
    }

    #[test]
    fn keys_may_not_carry_the_stores_separator() {
        assert!(is_key("paper"));
        assert!(is_key("post_mail"));
        assert!(!is_key("paper,email"));
        assert!(!is_key(""));
        assert!(!is_key("Paper"));
    }
}
