//! What the API shows of a case: the clock's fields exactly as `gongkai clock --json` prints
//! them (read back from `cases::clock_json`), the applicant in full for the case roles and
//! masked for everyone else, the request, the ledger in the format of `gongkai clock`, the
//! notices and the steps the caller may take now.

use gongkai_core::calendar::{format_date, warnings};
use gongkai_core::identity;
use gongkai_store::application::{Applicant, Application};
use gongkai_store::ledger::EventJson;
use gongkai_store::{OrganScope, Permission, Role, StoreError, workflow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::auth::allows;
use super::error::ApiError;
use super::rfc3339;
use crate::AppState;
use crate::cases::{self, CaseView};

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
pub(super) async fn case_view(
    state: &AppState,
    application: Application,
) -> Result<CaseView, ApiError> {
    let cal = state.calendar().await?;
    Ok(CaseView::new(
        application,
        &cal,
        state.clock_config,
        state.today(),
    ))
}

/// The full view of one case for a caller holding `roles` on its organ.
pub(super) async fn application_view(
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
        Some(id) => match state.store.user(id).await {
            Ok(u) => Some(AssigneeView {
                id,
                name: u.display_name,
            }),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        },
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

pub(super) fn summary(case: &CaseView, today: Date) -> Result<ApplicationSummary, ApiError> {
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
        overdue: clock.overdue,
        provisional: case.provisional(),
        outcome: clock.outcome,
        applicant: ApplicantView::masked(&a.applicant),
        assignee_id: a.assignee_id,
    })
}
