//! The staff console: the organs a staff member serves, each organ's settings, staff, annual
//! reports and audit log. Every organ route first gets an `OrganScope` for the permission it
//! needs (own organ and a role that allows it, or 403); every POST checks the session's CSRF
//! token before anything else, and validates the whole form before writing anything.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use gongkai_store::organ::OrganSettings;
use gongkai_store::user::NewUser;
use gongkai_store::{OrganId, Permission, Role, StoreError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::office;
use super::{WebForm, WebPath, WebQuery};
use crate::auth::CurrentStaff;
use crate::site::{PageRequest, format_time};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError, guide, validate};

fn organ_id(raw: &str) -> Result<OrganId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn role_labels(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join("、")
}

fn staff_of(request: &PageRequest) -> Result<&CurrentStaff, WebError> {
    request.staff.as_ref().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })
}

/// `GET /console`: the organs this staff member serves, with each organ's open and overdue
/// cases for those who see cases, and the warning that next year's holidays are missing.
pub async fn home(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let staff = staff_of(&request)?;
    let mut by_organ: BTreeMap<OrganId, Vec<Role>> = BTreeMap::new();
    for (organ, role) in state.store.memberships(staff.user.id).await? {
        by_organ.entry(organ).or_default().push(role);
    }
    let mut organs = Vec::new();
    let mut warned = false;
    let mut calendar_links = Vec::new();
    for (id, roles) in by_organ {
        let organ = state.store.organ(id).await?;
        let can = |p: Permission| roles.iter().any(|r| r.allows(p));
        let cases = match can(Permission::ViewCases) {
            true => {
                let scope = staff.scope(&state, id, Permission::ViewCases).await?;
                let (open, overdue) = office::case_counts(&state, scope).await?;
                Some(context! { open => open, overdue => overdue })
            }
            false => None,
        };
        warned |= can(Permission::ViewCases) || can(Permission::ManageCalendar);
        if can(Permission::ManageCalendar) && organ.parent_id.is_none() {
            calendar_links.push(format!("/console/organs/{id}/calendar"));
        }
        organs.push(context! {
            id => id, name => organ.settings.name, roles => role_labels(&roles), cases => cases,
        });
    }
    let warning = match warned {
        true => office::calendar_warning(&*state.calendar().await?, state.today()),
        false => None,
    };
    let page = context! {
        organs => organs,
        calendar_warning => warning,
        calendar_link => calendar_links.first().cloned(),
    };
    state
        .render(&request, "console/home.html", "工作台", None, page)
        .await
}

/// `GET /console/organs/{organ_id}`.
pub async fn organ(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let staff = staff_of(&request)?;
    let id = organ_id(&raw)?;
    let scope = staff.scope(&state, id, Permission::ViewConsole).await?;
    let organ = state.store.organ(scope.organ_id()).await?;
    let roles = state.store.roles_on(staff.user.id, id).await?;
    let can = |p: Permission| roles.iter().any(|r| r.allows(p));
    let missing = guide::build(&organ).missing.join("、");
    let cases = match can(Permission::ViewCases) {
        true => {
            let scope = staff.scope(&state, id, Permission::ViewCases).await?;
            let (open, overdue) = office::case_counts(&state, scope).await?;
            Some(context! { open => open, overdue => overdue })
        }
        false => None,
    };
    let can_calendar = can(Permission::ManageCalendar) && organ.parent_id.is_none();
    let warning = match can(Permission::ViewCases) || can(Permission::ManageCalendar) {
        true => office::calendar_warning(&*state.calendar().await?, state.today()),
        false => None,
    };
    let page = context! {
        organ => context! { id => organ.id, name => organ.settings.name.clone() },
        roles => role_labels(&roles),
        missing => missing,
        can_settings => can(Permission::ViewSettings),
        can_users => can(Permission::ViewUsers),
        can_audit => can(Permission::ViewAudit),
        can_cases => can(Permission::ViewCases),
        can_catalogue => can(Permission::ManageCatalogue),
        can_calendar => can_calendar,
        can_items => can(Permission::EditItems) || can(Permission::ReviewItems),
        can_messages => can(Permission::HandleMessages),
        can_consultations => can(Permission::ManageConsultations),
        can_supervise => can(Permission::SuperviseReports),
        cases => cases,
        calendar_warning => warning,
    };
    let title = organ.settings.name.clone();
    state
        .render(&request, "console/organ.html", &title, None, page)
        .await
}

/// The settings form: every field of [`OrganSettings`] plus the CSRF token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    name: String,
    credit_code: String,
    level: String,
    office_name: String,
    office_address: String,
    office_postcode: String,
    office_hours: String,
    office_phone: String,
    office_fax: String,
    office_email: String,
    site_name: String,
    site_domain: String,
    site_id_code: String,
    icp_record: String,
    police_record: String,
    sponsor: String,
    organizer: String,
    site_contact: String,
    disclosure_rules: String,
}

impl Bounded for SettingsForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("name", "机关名称", 100),
        Bound::line("credit_code", "统一社会信用代码", 32),
        Bound::line("level", "层级", 20),
        Bound::line("office_name", "工作机构名称", 100),
        Bound::line("office_address", "办公地址", 200),
        Bound::line("office_postcode", "邮政编码", 10),
        Bound::line("office_hours", "办公时间", 200),
        Bound::line("office_phone", "联系电话", 50),
        Bound::line("office_fax", "传真号码", 50),
        Bound::line("office_email", "电子邮箱", 254),
        Bound::line("site_name", "网站名称", 100),
        Bound::line("site_domain", "网站域名", 253),
        Bound::line("site_id_code", "政府网站标识码", 20),
        Bound::line("icp_record", "ICP备案编号", 50),
        Bound::line("police_record", "公安机关备案号", 50),
        Bound::line("sponsor", "主办单位", 100),
        Bound::line("organizer", "承办单位", 100),
        Bound::line("site_contact", "联系方式", 200),
        Bound::lines("disclosure_rules", "政府信息公开制度", 5000),
    ];
}

impl SettingsForm {
    fn settings(&self) -> OrganSettings {
        let t = |s: &str| s.trim().to_owned();
        OrganSettings {
            name: t(&self.name),
            credit_code: t(&self.credit_code).to_uppercase(),
            level: t(&self.level),
            office_name: t(&self.office_name),
            office_address: t(&self.office_address),
            office_postcode: t(&self.office_postcode),
            office_hours: t(&self.office_hours),
            office_phone: t(&self.office_phone),
            office_fax: t(&self.office_fax),
            office_email: t(&self.office_email),
            site_name: t(&self.site_name),
            site_domain: t(&self.site_domain),
            site_id_code: t(&self.site_id_code),
            icp_record: t(&self.icp_record),
            police_record: t(&self.police_record),
            sponsor: t(&self.sponsor),
            organizer: t(&self.organizer),
            site_contact: t(&self.site_contact),
            disclosure_rules: self
                .disclosure_rules
                .replace("\r\n", "\n")
                .trim()
                .to_owned(),
        }
    }
}

/// Field errors of the settings form, by key.
fn check_settings(s: &OrganSettings) -> BTreeMap<&'static str, String> {
    let mut errors = BTreeMap::new();
    if s.name.is_empty() {
        errors.insert("name", "请填写机关名称。".to_owned());
    }
    if !s.credit_code.is_empty()
        && let Err(e) = validate::credit_code(&s.credit_code)
    {
        errors.insert("credit_code", e);
    }
    if !s.site_id_code.is_empty()
        && let Err(e) = validate::site_id_code(&s.site_id_code)
    {
        errors.insert("site_id_code", e.to_owned());
    }
    if !s.office_postcode.is_empty()
        && let Err(e) = validate::postcode(&s.office_postcode)
    {
        errors.insert("office_postcode", e.to_owned());
    }
    if !s.office_email.is_empty() && !s.office_email.contains('@') {
        errors.insert("office_email", "电子邮箱格式不正确。".to_owned());
    }
    errors
}

#[derive(Serialize)]
struct Field {
    key: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
    multiline: bool,
}

#[derive(Serialize)]
struct Group {
    title: &'static str,
    fields: Vec<Field>,
}

fn field_groups(s: &OrganSettings, errors: &BTreeMap<&'static str, String>) -> Vec<Group> {
    let f = |key: &'static str, label: &'static str, value: &str| Field {
        key,
        label,
        value: value.to_owned(),
        error: errors.get(key).cloned(),
        multiline: key == "disclosure_rules",
    };
    vec![
        Group {
            title: "机关",
            fields: vec![
                f("name", "机关名称", &s.name),
                f("credit_code", "统一社会信用代码", &s.credit_code),
                f("level", "层级", &s.level),
            ],
        },
        Group {
            title: "政府信息公开工作机构（《条例》第十二条）",
            fields: vec![
                f("office_name", "名称", &s.office_name),
                f("office_address", "办公地址", &s.office_address),
                f("office_postcode", "邮政编码", &s.office_postcode),
                f("office_hours", "办公时间", &s.office_hours),
                f("office_phone", "联系电话", &s.office_phone),
                f("office_fax", "传真号码", &s.office_fax),
                f("office_email", "电子邮箱", &s.office_email),
            ],
        },
        Group {
            title: "网站标识",
            fields: vec![
                f("site_name", "网站名称", &s.site_name),
                f("site_domain", "网站域名", &s.site_domain),
                f("site_id_code", "政府网站标识码", &s.site_id_code),
                f("icp_record", "ICP备案编号", &s.icp_record),
                f("police_record", "公安机关备案号", &s.police_record),
                f("sponsor", "主办单位", &s.sponsor),
                f("organizer", "承办单位", &s.organizer),
                f("site_contact", "联系方式", &s.site_contact),
            ],
        },
        Group {
            title: "政府信息公开制度（每行一项）",
            fields: vec![f("disclosure_rules", "制度", &s.disclosure_rules)],
        },
    ]
}

/// The query of pages that show a confirmation after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    saved: Option<String>,
    added: Option<String>,
    page: Option<i64>,
}

impl Bounded for DoneQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("saved", "saved", 10),
        Bound::line("added", "added", 32),
        Bound::line("page", "页码", 20),
    ];
}

#[allow(clippy::too_many_arguments)]
async fn render_settings(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    organ_id: OrganId,
    organ_name: &str,
    settings: &OrganSettings,
    errors: &BTreeMap<&'static str, String>,
    can_edit: bool,
    saved: bool,
) -> Result<Response, WebError> {
    let page = context! {
        organ_id => organ_id,
        organ_name => organ_name,
        groups => crate::site::ser(field_groups(settings, errors)),
        errors => !errors.is_empty(),
        can_edit => can_edit,
        saved => saved,
    };
    let html = state
        .render(request, "console/settings.html", "机关设置", None, page)
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/settings`.
pub async fn settings(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(done): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    let id = organ_id(&raw)?;
    let scope = staff.scope(&state, id, Permission::ViewSettings).await?;
    let organ = state.store.organ(scope.organ_id()).await?;
    let can_edit = staff
        .scope(&state, id, Permission::EditSettings)
        .await
        .is_ok();
    render_settings(
        &state,
        &request,
        StatusCode::OK,
        id,
        &organ.settings.name,
        &organ.settings,
        &BTreeMap::new(),
        can_edit,
        done.saved.is_some(),
    )
    .await
}

/// `POST /console/organs/{organ_id}/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<SettingsForm>,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    staff.check_csrf(&state, &form.csrf)?;
    let id = organ_id(&raw)?;
    let scope = staff.scope(&state, id, Permission::EditSettings).await?;
    let current = state.store.organ(scope.organ_id()).await?;
    let new = form.settings();
    let mut errors = check_settings(&new);
    if errors.is_empty() {
        match state
            .store
            .update_organ_settings(&staff.actor(), scope, state.now(), &new)
            .await
        {
            Ok(_) => {
                let location = format!("/console/organs/{id}/settings?saved=1");
                return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response());
            }
            Err(StoreError::Conflict(_)) => {
                errors.insert(
                    "credit_code",
                    "该统一社会信用代码已被其他机关使用。".to_owned(),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_settings(
        &state,
        &request,
        StatusCode::UNPROCESSABLE_ENTITY,
        id,
        &current.settings.name,
        &new,
        &errors,
        true,
        false,
    )
    .await
}

/// The add-staff form.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct UserForm {
    #[serde(skip_serializing)]
    csrf: String,
    username: String,
    display_name: String,
    #[serde(skip_serializing)]
    password: String,
    role: String,
}

impl Bounded for UserForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("username", "用户名", 32),
        Bound::line("display_name", "姓名", 50),
        Bound::line("password", "密码", 256),
        Bound::line("role", "角色", 32),
    ];
}

async fn render_users(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    organ_id: OrganId,
    form: &UserForm,
    errors: &BTreeMap<&'static str, &'static str>,
    added: Option<String>,
) -> Result<Response, WebError> {
    let staff = staff_of(request)?;
    let scope = staff.scope(state, organ_id, Permission::ViewUsers).await?;
    let organ = state.store.organ(scope.organ_id()).await?;
    let can_manage = staff
        .scope(state, organ_id, Permission::ManageUsers)
        .await
        .is_ok();
    let staff_list: Vec<Value> = state
        .store
        .staff(scope)
        .await?
        .into_iter()
        .map(|m| {
            context! {
                username => m.user.username,
                display_name => m.user.display_name,
                active => m.user.active,
                roles => role_labels(&m.roles),
            }
        })
        .collect();
    let roles: Vec<Value> = Role::ALL
        .iter()
        .map(|r| context! { key => r.key(), label => r.label() })
        .collect();
    let page = context! {
        organ_id => organ_id,
        organ_name => organ.settings.name,
        staff_list => staff_list,
        can_manage => can_manage,
        roles => roles,
        form => crate::site::ser(form),
        errors => if errors.is_empty() { Value::from(()) } else { crate::site::ser(errors) },
        added => added,
    };
    let html = state
        .render(request, "console/users.html", "工作人员", None, page)
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/users`.
pub async fn users(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(done): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let id = organ_id(&raw)?;
    let form = UserForm {
        role: Role::Editor.key().into(),
        ..UserForm::default()
    };
    render_users(
        &state,
        &request,
        StatusCode::OK,
        id,
        &form,
        &BTreeMap::new(),
        done.added,
    )
    .await
}

/// `POST /console/organs/{organ_id}/users`.
pub async fn add_user(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<UserForm>,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    staff.check_csrf(&state, &form.csrf)?;
    let id = organ_id(&raw)?;
    let scope = staff.scope(&state, id, Permission::ManageUsers).await?;
    let username = form.username.trim().to_owned();
    let display_name = form.display_name.trim().to_owned();
    let mut errors = BTreeMap::new();
    if let Err(e) = validate::username(&username) {
        errors.insert("username", e);
    }
    if display_name.is_empty() {
        errors.insert("display_name", "请填写姓名。");
    }
    if let Err(e) = validate::password(&form.password) {
        errors.insert("password", e);
    }
    let role = Role::from_key(&form.role);
    if role.is_none() {
        errors.insert("role", "请选择角色。");
    }
    if errors.is_empty() && state.store.user_credentials(&username).await?.is_some() {
        errors.insert("username", "该用户名已被使用。");
    }
    if let (true, Some(role)) = (errors.is_empty(), role) {
        let permit = state.passwords.permit().await?;
        let hash = state
            .passwords
            .hash_with(permit, form.password.clone())
            .await?;
        let new = NewUser {
            username: &username,
            display_name: &display_name,
            password_hash: &hash,
        };
        match state
            .store
            .create_user(&staff.actor(), scope, state.now(), &new, role)
            .await
        {
            Ok(_) => {
                let location = format!(
                    "/console/organs/{id}/users?added={}",
                    crate::site::url_encode(&username)
                );
                return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response());
            }
            Err(StoreError::Conflict(_)) => {
                errors.insert("username", "该用户名已被使用。");
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_users(
        &state,
        &request,
        StatusCode::UNPROCESSABLE_ENTITY,
        id,
        &form,
        &errors,
        None,
    )
    .await
}

fn action_label(action: &str) -> &str {
    match action {
        "organ.create" => "创建机关",
        "organ.update" => "修改机关设置",
        "user.create" => "添加工作人员",
        "role.grant" => "授予角色",
        "account.lock" => "账户锁定",
        "login" => "登录",
        "logout" => "退出登录",
        "restore" => "恢复备份",
        "annual_report.publish" => "发布年度报告",
        "annual_report.replace" => "更新年度报告",
        "report.draft" => "起草年度报告",
        "report.step" => "办理年度报告",
        "report_settings.update" => "修改年报发布时限",
        "application.create" => "登记申请",
        "application.event" => "办理申请",
        "application.due_recomputed" => "重新计算答复期限",
        "notice.draft" => "起草告知书",
        "notice.edit" => "修改告知书",
        "notice.issue" => "签发告知书",
        "notice_settings.update" => "修改告知书设置",
        "appeal.create" => "登记复议诉讼案件",
        "appeal.update" => "修改复议诉讼案件",
        "message.create" => "收到留言",
        "message.step" => "办理留言",
        "message_settings.update" => "修改留言答复期限",
        "consultation.create" => "发布意见征集",
        "consultation.comment" => "收到征集意见",
        "consultation.decide" => "处理征集意见",
        "consultation.feedback" => "公布意见反馈情况",
        "catalogue.create" => "添加目录事项",
        "catalogue.update" => "修改目录事项",
        "catalogue.delete" => "删除目录事项",
        "catalogue.import" => "导入目录事项",
        "figures.update" => "录入表二数据",
        "figures.import" => "导入表二数据",
        other => other,
    }
}

fn show(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "（空）".into(),
        Some(serde_json::Value::String(s)) if s.is_empty() => "（空）".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

const AUDIT_PAGE: i64 = 50;

/// `GET /console/organs/{organ_id}/audit`.
pub async fn audit(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(done): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let staff = staff_of(&request)?;
    let id = organ_id(&raw)?;
    let scope = staff.scope(&state, id, Permission::ViewAudit).await?;
    let organ = state.store.organ(scope.organ_id()).await?;
    // The page number comes from the query: keep it in a range whose offset cannot overflow.
    let page_no = done.page.unwrap_or(0).clamp(0, i64::MAX / AUDIT_PAGE - 1);
    let rows = state
        .store
        .audit_log(scope, AUDIT_PAGE + 1, page_no * AUDIT_PAGE)
        .await?;
    let more = rows.len() as i64 > AUDIT_PAGE;
    let entries: Vec<Value> = rows
        .iter()
        .take(AUDIT_PAGE as usize)
        .map(|e| {
            let mut changes = Vec::new();
            if let (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(a))) =
                (&e.before, &e.after)
            {
                for (key, after) in a {
                    let before = b.get(key);
                    if before != Some(after) {
                        changes.push(context! {
                            field => key, before => show(before), after => show(Some(after)),
                        });
                    }
                }
            }
            let raw = if e.before.is_none() {
                e.after
                    .as_ref()
                    .and_then(|v| serde_json::to_string_pretty(v).ok())
            } else {
                None
            };
            context! {
                at => format_time(e.at),
                actor => e.actor_name.clone(),
                action => action_label(&e.action),
                entity => e.entity.clone(),
                entity_id => e.entity_id.clone(),
                changes => changes,
                raw => raw,
            }
        })
        .collect();
    let page = context! {
        organ_id => id,
        organ_name => organ.settings.name,
        entries => entries,
        prev_page => (page_no > 0).then(|| page_no - 1),
        next_page => more.then(|| page_no + 1),
    };
    state
        .render(&request, "console/audit.html", "操作日志", None, page)
        .await
}
