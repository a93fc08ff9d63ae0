//! The console's 年度报告 (条例 art. 49, 50): the organ's years with their state and art. 49
//! deadline, and a year's page where the report is drafted from the records, its narrative
//! edited, its findings decided, submitted, signed by the 负责人, published, withdrawn or
//! corrected. Every step goes through [`crate::annual`] and the store's one door; every POST
//! checks the CSRF token first, then the permission of its step; a refused step writes nothing
//! and shows the page again with the typed values and the reason.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_report::check::{Finding, Severity};
use gongkai_report::model::Narrative;
use gongkai_store::report_version::{
    self, ReportSettings, ReportState, ReportVersion, Step, Timeliness,
};
use gongkai_store::{OrganId, OrganScope, Permission, StoreError};
use minijinja::{Value, context};
use serde::Deserialize;
use time::Date;

use super::{WebForm, WebPath};
use crate::annual::{self, DoorError};
use crate::auth::CurrentStaff;
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The routes of this area (the years list and the JSON import are in `router.rs`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console/organs/{organ_id}/reports/settings",
            post(save_settings),
        )
        .route("/console/organs/{organ_id}/reports/{year}", get(year_page))
        .route(
            "/console/organs/{organ_id}/reports/{year}/{action}",
            post(take_step),
        )
}

fn staff_of(request: &PageRequest) -> Result<&CurrentStaff, WebError> {
    request.staff.as_ref().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })
}

fn organ_id(raw: &str) -> Result<OrganId, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn year_of(raw: &str) -> Result<i32, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// `2023年1月31日`.
fn chinese_date(date: Date) -> String {
    format!(
        "{}年{}月{}日",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

async fn can(state: &AppState, staff: &CurrentStaff, organ: OrganId, p: Permission) -> bool {
    staff.scope(state, organ, p).await.is_ok()
}

// ---------------------------------------------------------------------------------------------
// The years list

/// The import form: a report's interchange JSON pasted into a text box, imported as a draft
/// that goes through the same checks as any other.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    csrf: String,
    report_json: String,
}

impl Bounded for ImportForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        // A report's interchange JSON is a few kilobytes; the seed's is 9 KB.
        Bound::lines("report_json", "年报 JSON", 500_000),
    ];
}

/// The years a list shows: from 2008 or the organ's first version to last year, and any year
/// with a version.
fn listed_years(versions: &[ReportVersion], today: Date) -> Vec<i32> {
    let last = today.year() - 1;
    let first = versions
        .iter()
        .map(|v| v.year)
        .min()
        .unwrap_or(last)
        .min(last);
    let mut years: Vec<i32> = (first..=last).collect();
    years.extend(versions.iter().map(|v| v.year));
    years.sort_unstable();
    years.dedup();
    years.reverse();
    years
}

/// One year of the list: state, deadline, timeliness, versions.
fn year_row(
    year: i32,
    versions: &[&ReportVersion],
    settings: &ReportSettings,
    today: Date,
) -> Value {
    let latest = versions.last();
    let state = latest.map_or(ReportState::NotStarted, |v| v.state());
    let first_published = versions.iter().find_map(|v| v.published_on());
    let due = report_version::deadline(year, settings);
    let timeliness = Timeliness::of(due, first_published, today);
    context! {
        year => year,
        state => state.label(),
        state_key => state.key(),
        deadline => chinese_date(due),
        timeliness => timeliness.label(),
        overdue => timeliness == Timeliness::Overdue,
        late => timeliness == Timeliness::Late,
        published => first_published.map(chinese_date),
        versions => versions.len(),
    }
}

async fn render_years(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    organ: OrganId,
    typed: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let staff = staff_of(request)?;
    let scope = staff.scope(state, organ, Permission::ViewConsole).await?;
    let info = state.store.organ(scope.organ_id()).await?;
    let settings = state.store.report_settings(organ).await?;
    let versions = state.store.report_versions(scope).await?;
    let today = state.today();
    let years: Vec<Value> = listed_years(&versions, today)
        .into_iter()
        .map(|year| {
            let of_year: Vec<&ReportVersion> = versions.iter().filter(|v| v.year == year).collect();
            year_row(year, &of_year, &settings, today)
        })
        .collect();
    let page = context! {
        organ_id => organ,
        organ_name => info.settings.name,
        years => years,
        whole_area => settings.whole_area,
        local_deadline => settings.local_deadline.map(|(m, d)| format!("{m:02}-{d:02}")),
        can_draft => can(state, staff, organ, Permission::DraftReports).await,
        can_settings => can(state, staff, organ, Permission::EditSettings).await,
        typed => typed,
        error => error,
    };
    let html = state
        .render(request, "console/reports.html", "年度报告", None, page)
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/reports`: every year with its state and art. 49 deadline.
pub async fn years(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let id = organ_id(&raw)?;
    render_years(&state, &request, StatusCode::OK, id, "", None).await
}

fn see_year(organ: OrganId, year: i32, anchor: &str) -> Response {
    let location = format!("/console/organs/{organ}/reports/{year}{anchor}");
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A refusal of the door as a sentence for the page; `None` for a fault of ours.
fn refusal(error: DoorError) -> Result<String, WebError> {
    match error {
        DoorError::Store(StoreError::Forbidden) => Err(WebError::Forbidden),
        DoorError::Store(StoreError::NotFound(_)) => Err(WebError::NotFound),
        DoorError::Store(StoreError::NotAllowed(m) | StoreError::Invalid { message: m, .. }) => {
            Ok(m)
        }
        DoorError::Store(e) => Err(e.into()),
        other => Ok(other.to_string()),
    }
}

/// `POST /console/organs/{organ_id}/reports`: imports a draft from interchange JSON.
pub async fn import_draft(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<ImportForm>,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    staff.check_csrf(&state, &form.csrf)?;
    let id = organ_id(&raw)?;
    let scope = staff.scope(&state, id, Permission::DraftReports).await?;
    let error = match serde_json::from_str::<serde_json::Value>(&form.report_json) {
        Err(e) => format!("不是有效的 JSON（第{}行第{}列）。", e.line(), e.column()),
        Ok(document) => {
            let done = annual::import_draft(
                &state.store,
                &staff.actor(),
                scope,
                state.now(),
                state.today(),
                &document,
            )
            .await;
            match done {
                Ok(v) => return Ok(see_year(id, v.year, "?imported=1")),
                Err(e) => refusal(e)?,
            }
        }
    };
    render_years(
        &state,
        &request,
        StatusCode::UNPROCESSABLE_ENTITY,
        id,
        &form.report_json,
        Some(error),
    )
    .await
}

/// The deadline settings form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    whole_area: String,
    local_deadline: String,
}

impl Bounded for SettingsForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("whole_area", "报告范围", 10),
        Bound::line("local_deadline", "本地发布时限", 10),
    ];
}

/// `POST /console/organs/{organ_id}/reports/settings`: which art. 49 deadline applies.
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
    let local = form.local_deadline.trim();
    let local_deadline = match local {
        "" => Ok(None),
        text => report_version::parse_month_day(text)
            .map(Some)
            .ok_or_else(|| "本地发布时限应写作“月-日”，如 03-10。".to_owned()),
    };
    let error = match local_deadline {
        Err(message) => message,
        Ok(local_deadline) => {
            let settings = ReportSettings {
                whole_area: form.whole_area == "1",
                local_deadline,
            };
            match state
                .store
                .put_report_settings(&staff.actor(), scope, state.now(), settings)
                .await
            {
                Ok(_) => {
                    let location = format!("/console/organs/{id}/reports");
                    return Ok(
                        (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
                    );
                }
                Err(StoreError::Invalid { message, .. }) => message,
                Err(e) => return Err(e.into()),
            }
        }
    };
    render_years(
        &state,
        &request,
        StatusCode::UNPROCESSABLE_ENTITY,
        id,
        "",
        Some(error),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A year's page

/// Every field a step may send; each step reads its own.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    version: String,
    opening: String,
    overview: String,
    problems: String,
    other_matters: String,
    signature: String,
    date: String,
    note: String,
    check: String,
    cells: String,
    reason: String,
}

impl Bounded for StepForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("version", "版本", 10),
        Bound::lines("opening", "开头", 5_000),
        Bound::lines("overview", "一、总体情况", 30_000),
        Bound::lines("problems", "五、存在的主要问题及改进情况", 10_000),
        Bound::lines("other_matters", "六、其他需要报告的事项", 20_000),
        Bound::line("signature", "落款", 100),
        Bound::line("date", "成文日期", 10),
        Bound::lines("note", "更正说明", 2_000),
        Bound::line("check", "检查项", 40),
        Bound::line("cells", "单元格", 2_000),
        Bound::lines("reason", "理由", 500),
    ];
}

fn text_or_none(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.replace("\r\n", "\n"))
}

fn finding_value(f: &Finding, version: Option<&ReportVersion>) -> Value {
    let cells = annual::cells_key(f);
    let decision = version.and_then(|v| v.decision(f.check, &cells));
    context! {
        check => f.check,
        error => f.severity == Severity::Error,
        severity => match f.severity { Severity::Error => "错误", Severity::Warning => "提示" },
        place => f.place.clone(),
        message => f.message.clone(),
        cells => cells,
        decided => decision.map(|d| context! {
            reason => d.detail["reason"].as_str().unwrap_or_default().to_owned(),
            who => d.actor_name.clone(),
            date => chinese_date(d.date),
        }),
    }
}

fn step_value(step: &report_version::StepRecord) -> Value {
    let detail = &step.detail;
    let text = |k: &str| detail[k].as_str().map(str::to_owned);
    context! {
        label => step.kind.label(),
        date => chinese_date(step.date),
        who => step.actor_name.clone(),
        reason => text("reason"),
        check => text("check"),
        by => detail["by"].as_i64(),
    }
}

/// The narrative as the form shows it: what was typed, else what the version holds.
fn narrative_fields(narrative: Option<&Narrative>, typed: Option<&StepForm>) -> Value {
    let stored = |key: &str| {
        narrative
            .and_then(|n| n.get(key))
            .unwrap_or_default()
            .to_owned()
    };
    match typed {
        Some(f) => context! {
            opening => &f.opening, overview => &f.overview, problems => &f.problems,
            other_matters => &f.other_matters, signature => &f.signature, date => &f.date,
        },
        None => context! {
            opening => stored("opening"), overview => stored("overview"),
            problems => stored("problems"), other_matters => stored("other_matters"),
            signature => stored("signature"), date => stored("date"),
        },
    }
}

struct Shown<'a> {
    status: StatusCode,
    error: Option<String>,
    findings: Option<Vec<Finding>>,
    typed: Option<&'a StepForm>,
}

async fn render_year(
    state: &AppState,
    request: &PageRequest,
    organ: OrganId,
    year: i32,
    shown: Shown<'_>,
) -> Result<Response, WebError> {
    let staff = staff_of(request)?;
    let scope = staff.scope(state, organ, Permission::ViewConsole).await?;
    let info = state.store.organ(scope.organ_id()).await?;
    let versions = state.store.report_versions_of(scope, year).await?;
    let settings = state.store.report_settings(organ).await?;
    let today = state.today();
    let latest = versions.last();
    let findings = match (shown.findings, latest) {
        (Some(f), _) => f,
        (None, Some(v)) => annual::findings(&state.store, scope, v).await?,
        (None, None) => Vec::new(),
    };
    let model = latest.map(annual::model).transpose()?;
    let list: Vec<&ReportVersion> = versions.iter().collect();
    let page = context! {
        organ_id => organ,
        organ_name => info.settings.name,
        year => year,
        summary => year_row(year, &list, &settings, today),
        latest => latest.map(|v| context! {
            number => v.number,
            state => v.state().label(),
            state_key => v.state().key(),
            note => v.correction_note.clone(),
            editable => annual::editable(v),
            steps => v.steps.iter().map(step_value).collect::<Vec<_>>(),
        }),
        versions => versions.iter().map(|v| context! {
            number => v.number,
            state => v.state().label(),
            published => v.published_on().map(chinese_date),
            note => v.correction_note.clone(),
        }).collect::<Vec<_>>(),
        narrative => narrative_fields(model.as_ref().and_then(|m| m.narrative.as_ref()), shown.typed),
        typed_note => shown.typed.map(|f| f.note.clone()),
        findings => findings.iter().map(|f| finding_value(f, latest)).collect::<Vec<_>>(),
        errors => findings.iter().filter(|f| f.severity == Severity::Error).count(),
        can_draft => can(state, staff, organ, Permission::DraftReports).await,
        can_sign => can(state, staff, organ, Permission::SignReports).await,
        can_publish => can(state, staff, organ, Permission::PublishReports).await,
        error => shown.error,
    };
    let title = format!("{year}年度报告");
    let html = state
        .render(request, "console/report_year.html", &title, None, page)
        .await?;
    Ok((shown.status, html).into_response())
}

/// `GET /console/organs/{organ_id}/reports/{year}`.
pub async fn year_page(
    State(state): State<AppState>,
    WebPath((raw, raw_year)): WebPath<(String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let organ = organ_id(&raw)?;
    let year = year_of(&raw_year)?;
    let shown = Shown {
        status: StatusCode::OK,
        error: None,
        findings: None,
        typed: None,
    };
    render_year(&state, &request, organ, year, shown).await
}

/// The permission each action of the year's page needs (the store judges roles and state
/// again at its door).
fn permission_of(action: &str) -> Option<Permission> {
    Some(match action {
        "draft" | "edit" | "recompute" | "decide" | "submit" | "correct" => {
            Permission::DraftReports
        }
        "return" | "sign" => Permission::SignReports,
        "publish" | "withdraw" => Permission::PublishReports,
        _ => return None,
    })
}

/// The edited narrative, or the sentence saying what is wrong with it.
fn edited_narrative(form: &StepForm) -> Result<Narrative, String> {
    let date = text_or_none(&form.date);
    if let Some(d) = &date
        && report_version::parse_date(d).is_none()
    {
        return Err(format!("成文日期“{d}”应写作 YYYY-MM-DD，如 2023-01-11。"));
    }
    Ok(Narrative {
        opening: text_or_none(&form.opening),
        overview: text_or_none(&form.overview),
        problems: text_or_none(&form.problems),
        other_matters: text_or_none(&form.other_matters),
        signature: text_or_none(&form.signature),
        date,
    })
}

/// What a step did, or why it was refused: a sentence and the findings to show.
enum Outcome {
    Done,
    Refused(String, Option<Vec<Finding>>),
}

async fn act(
    state: &AppState,
    staff: &CurrentStaff,
    scope: OrganScope,
    year: i32,
    action: &str,
    form: &StepForm,
) -> Result<Outcome, WebError> {
    let store = &state.store;
    let (actor, now, today) = (staff.actor(), state.now(), state.today());
    let versions = store.report_versions_of(scope, year).await?;
    let latest = versions.last();
    // The page's version must still be the latest: a step is never taken on a stale page.
    let current = match (action, latest) {
        ("draft", _) => None,
        ("correct", Some(v)) => Some(v),
        (_, Some(v)) if form.version == v.number.to_string() => Some(v),
        (_, Some(_)) => {
            return Ok(Outcome::Refused(
                "本页显示的版本已不是最新版本，请刷新后再操作。".into(),
                None,
            ));
        }
        (_, None) => return Err(WebError::NotFound),
    };
    let number = current.map_or(0, |v| v.number);
    let step = |step: Step| store.append_report_step(&actor, scope, now, today, year, number, step);
    let done: Result<(), DoorError> = match action {
        "draft" => annual::draft(store, &actor, scope, now, today, year)
            .await
            .map(drop),
        "correct" => annual::correct(store, &actor, scope, now, today, year, &form.note)
            .await
            .map(drop),
        "recompute" => match current {
            Some(v) => annual::recompute(store, &actor, scope, now, today, v)
                .await
                .map(drop),
            None => Err(StoreError::NotFound("report version").into()),
        },
        "edit" => {
            let narrative = match edited_narrative(form) {
                Ok(n) => n,
                Err(message) => return Ok(Outcome::Refused(message, None)),
            };
            let Some(v) = current else {
                return Err(WebError::NotFound);
            };
            let mut report = annual::model(v)?;
            report.narrative = (!narrative.is_empty()).then_some(narrative);
            let note = text_or_none(&form.note);
            step(Step::Edit {
                report: report.to_json(),
                note,
            })
            .await
            .map(drop)
            .map_err(DoorError::from)
        }
        "decide" => step(Step::Decide {
            check: form.check.trim().to_owned(),
            cells: form.cells.trim().to_owned(),
            reason: form.reason.trim().to_owned(),
        })
        .await
        .map(drop)
        .map_err(DoorError::from),
        "submit" => step(Step::Submit).await.map(drop).map_err(DoorError::from),
        "sign" => step(Step::Sign).await.map(drop).map_err(DoorError::from),
        "return" => step(Step::Return {
            reason: form.reason.trim().to_owned(),
        })
        .await
        .map(drop)
        .map_err(DoorError::from),
        "withdraw" => step(Step::Withdraw {
            reason: form.reason.trim().to_owned(),
        })
        .await
        .map(drop)
        .map_err(DoorError::from),
        "publish" => match current {
            Some(v) => annual::publish(store, &actor, scope, now, today, v)
                .await
                .map(drop),
            None => Err(StoreError::NotFound("report version").into()),
        },
        _ => return Err(WebError::NotFound),
    };
    Ok(match done {
        Ok(()) => Outcome::Done,
        // The page lists every finding again, the errors first in their table.
        Err(DoorError::Errors(found)) => Outcome::Refused(
            format!(
                "检查发现 {} 处错误，不能发布；请修正后重新提交。",
                found.len()
            ),
            Some(found),
        ),
        Err(DoorError::Undecided(found)) => Outcome::Refused(
            format!("有 {} 处提示尚未确认并说明理由，不能发布。", found.len()),
            None,
        ),
        Err(e) => Outcome::Refused(refusal(e)?, None),
    })
}

/// `POST /console/organs/{organ_id}/reports/{year}/{action}`: one step of the year's report.
pub async fn take_step(
    State(state): State<AppState>,
    WebPath((raw, raw_year, action)): WebPath<(String, String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    staff.check_csrf(&state, &form.csrf)?;
    let organ = organ_id(&raw)?;
    let year = year_of(&raw_year)?;
    let permission = permission_of(&action).ok_or(WebError::NotFound)?;
    let scope = staff.scope(&state, organ, permission).await?;
    match act(&state, staff, scope, year, &action, &form).await? {
        Outcome::Done => Ok(see_year(organ, year, "")),
        Outcome::Refused(message, findings) => {
            let shown = Shown {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                error: Some(message),
                findings,
                typed: (action == "edit" || action == "correct").then_some(&form),
            };
            render_year(&state, &request, organ, year, shown).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_the_permission_of_its_store_rule() {
        use gongkai_store::report_version::{RULES, StepKind};
        let pairs = [
            ("edit", StepKind::Edited),
            ("recompute", StepKind::Recomputed),
            ("decide", StepKind::Decided),
            ("submit", StepKind::Submitted),
            ("return", StepKind::Returned),
            ("sign", StepKind::Signed),
            ("publish", StepKind::Published),
            ("withdraw", StepKind::Withdrawn),
        ];
        for (action, kind) in pairs {
            let rule = RULES.iter().find(|(k, _, _)| *k == kind).map(|r| r.2);
            assert_eq!(permission_of(action), rule, "{action}");
        }
        assert_eq!(permission_of("draft"), Some(Permission::DraftReports));
        assert_eq!(permission_of("computed"), None);
    }

    #[test]
    fn a_date_that_is_not_yyyy_mm_dd_is_refused_with_the_typed_value() {
        let form = StepForm {
            date: "2023年1月11日".into(),
            ..StepForm::default()
        };
        let message = edited_narrative(&form).unwrap_err();
        assert!(message.contains("2023年1月11日"), "{message}");
    }
}
