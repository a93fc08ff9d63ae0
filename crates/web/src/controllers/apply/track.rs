//! Tracking an application with its 申请编号 and 查询码: the status and statutory due date, the
//! date of each step, and the notices issued to the applicant, each as DOCX or a printable
//! page. Every request carries the pair again (POST, so it stays out of addresses, logs and
//! history); a wrong pair finds the same "未查到" whether the number exists or not, and an
//! address that keeps guessing is refused for a while.
//!
//! The page shows no staff names, no third party and nothing of the applicant beyond the
//! masked name: the clock's explanation lines are left out because they name the approver
//! of an extension and the party consulted; only the calendar's 暂定 lines are shown.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::{format_date, warnings};
use gongkai_core::clock::Event;
use gongkai_notice::NoticeKind;
use gongkai_store::OrganScope;
use gongkai_store::application::Application;
use gongkai_store::ledger::{Happening, Record};
use gongkai_store::notice::StoredNotice;
use minijinja::{Value, context};
use serde::Deserialize;

use super::guard::{self, Guards, normalise_code, normalise_number};
use super::{APPLY, DOCUMENT_PATH, TRACK_PATH, private};
use crate::cases::{self, CaseView};
use crate::controllers::WebForm;
use crate::site::PageRequest;
use crate::throttle::ClientAddr;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The sentence for a pair that finds nothing, the same for every reason.
pub const NOT_FOUND: &str = "未查到该申请，请核对申请编号和查询码。";

/// The tracking form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackForm {
    number: String,
    code: String,
}

impl Bounded for TrackForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("number", "申请编号", 40),
        Bound::line("code", "查询码", 40),
    ];
}

/// A notice of a tracked application: the pair again, the notice and the format.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DocumentForm {
    number: String,
    code: String,
    notice: String,
    format: String,
}

impl Bounded for DocumentForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("number", "申请编号", 40),
        Bound::line("code", "查询码", 40),
        Bound::line("notice", "告知书", 20),
        Bound::line("format", "格式", 10),
    ];
}

/// Renders the tracking form, the typed number kept (never the code).
async fn render_track(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    number: &str,
    message: Option<&str>,
) -> Result<Response, WebError> {
    let page = context! {
        number => number,
        message => message,
        action => TRACK_PATH,
        index_path => APPLY.path,
    };
    let html = state
        .render(request, "apply/track.html", "申请查询", Some(&APPLY), page)
        .await?;
    Ok(private(status, html))
}

/// `GET /zwgk/ysqgk/chaxun`.
pub async fn form(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Response, WebError> {
    render_track(&state, &request, StatusCode::OK, "", None).await
}

fn too_many_wrong() -> WebError {
    WebError::Busy(format!(
        "查询失败次数过多：同一网络地址{}分钟内最多可输错{}次，请稍后再试。",
        guard::WINDOW_SECONDS / 60,
        guard::WRONG_PAIRS
    ))
}

/// The pair as stored, or `None` when a part is missing.
fn pair(number: &str, code: &str) -> Option<(String, String)> {
    let number = normalise_number(number);
    let code = normalise_code(code);
    (!number.is_empty() && !code.is_empty()).then_some((number, code))
}

/// The application of a pair. A wrong pair counts against the address; an address with too
/// many is refused before the store is asked, so guessing stops there.
async fn find(
    state: &AppState,
    guards: &Guards,
    client: &str,
    (number, code): &(String, String),
) -> Result<Option<Application>, WebError> {
    let now = state.now();
    if guards.wrong_pairs.exhausted(client, now) {
        return Err(too_many_wrong());
    }
    let found = state.store.tracked_application(number, code).await?;
    if found.is_none() {
        guards.wrong_pairs.record(client, now);
    }
    Ok(found)
}

/// The notices issued to the applicant: issued ones only (a draft is not a notice yet), and
/// not the consultation letter, which goes to the third party.
async fn sent_notices(
    state: &AppState,
    application: &Application,
) -> Result<Vec<StoredNotice>, WebError> {
    // The pair matched: the portal reads this one application's notices for its applicant.
    let scope = OrganScope::system(application.organ_id);
    let notices = state.store.notices(scope, application.id).await?;
    Ok(notices
        .into_iter()
        .filter(|n| n.issued && NoticeKind::from_key(&n.kind) != Some(NoticeKind::Consultation))
        .collect())
}

/// What the applicant reads for a step of the ledger; `None` for the office's own records.
fn step_text(what: &Happening) -> Option<String> {
    Some(match what {
        Happening::Clock(Event::CorrectionRequested { deadline: Some(d) }) => {
            format!("告知补正（补正期限至 {}）", format_date(*d))
        }
        Happening::Clock(Event::ConsultationStarted { .. }) => {
            "征求意见（所需时间不计算在答复期限内，《条例》第三十三条第三款）".to_owned()
        }
        Happening::Clock(Event::ExtensionApproved { days, .. }) => {
            format!("延长答复期限 {days} 个工作日（《条例》第三十三条第二款）")
        }
        Happening::Clock(Event::Replied { outcome }) => format!("答复：{}", outcome.label()),
        Happening::Clock(event) => event.name().to_owned(),
        Happening::Record(Record::NoticeDelivered { .. }) => "送达告知书".to_owned(),
        Happening::Record(_) => return None,
    })
}

/// The steps with their dates, in the order they were recorded.
fn steps(application: &Application) -> Vec<Value> {
    application
        .events
        .iter()
        .filter_map(|e| {
            step_text(&e.event.what)
                .map(|text| context! { date => format_date(e.event.date), text => text })
        })
        .collect()
}

/// The status page's values.
fn status_page(view: &CaseView, notices: &[StoredNotice], number: &str, code: &str) -> Value {
    let application = &view.application;
    let warnings = view
        .clock
        .as_ref()
        .map(|r| warnings(&r.assumed_years, &r.provisional_years))
        .unwrap_or_default();
    let notices: Vec<Value> = notices
        .iter()
        .map(|n| {
            context! {
                id => n.id,
                title => n.title.clone(),
                number => n.number.clone(),
                date => n.date.clone(),
            }
        })
        .collect();
    context! {
        number => number,
        code => code,
        applicant => application.applicant.masked_name(),
        summary => application.request.summary(),
        received => application.received().map(|(d, _)| format_date(d)),
        status => view.status_label(),
        due => view.due_label(),
        days => view.days_label(),
        closed => view.closed(),
        overdue => view.overdue(),
        warnings => warnings,
        steps => steps(application),
        notices => notices,
        document_path => DOCUMENT_PATH,
        track_path => TRACK_PATH,
        index_path => APPLY.path,
    }
}

/// `POST /zwgk/ysqgk/chaxun`: the status of the application of a pair, or "未查到" (404).
pub async fn lookup(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    ClientAddr(client): ClientAddr,
    request: PageRequest,
    WebForm(form): WebForm<TrackForm>,
) -> Result<Response, WebError> {
    let Some(pair) = pair(&form.number, &form.code) else {
        let message = "请填写申请编号和查询码。";
        return render_track(
            &state,
            &request,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.number,
            Some(message),
        )
        .await;
    };
    let Some(application) = find(&state, &guards, &client, &pair).await? else {
        return render_track(
            &state,
            &request,
            StatusCode::NOT_FOUND,
            &form.number,
            Some(NOT_FOUND),
        )
        .await;
    };
    let notices = sent_notices(&state, &application).await?;
    let cal = state.calendar().await?;
    let view = CaseView::new(application, &cal, state.clock_config, state.today());
    let page = status_page(&view, &notices, &pair.0, &pair.1);
    let html = state
        .render(
            &request,
            "apply/status.html",
            "办理情况",
            Some(&APPLY),
            page,
        )
        .await?;
    Ok(private(StatusCode::OK, html))
}

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// `POST /zwgk/ysqgk/chaxun/wenshu`: one issued notice of the application of a pair, as DOCX
/// (`format=docx`) or as a printable page.
pub async fn document(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    ClientAddr(client): ClientAddr,
    request: PageRequest,
    WebForm(form): WebForm<DocumentForm>,
) -> Result<Response, WebError> {
    let found = match pair(&form.number, &form.code) {
        Some(pair) => find(&state, &guards, &client, &pair)
            .await?
            .map(|a| (a, pair)),
        None => None,
    };
    let Some((application, pair)) = found else {
        return render_track(
            &state,
            &request,
            StatusCode::NOT_FOUND,
            &form.number,
            Some(NOT_FOUND),
        )
        .await;
    };
    let id: i64 = form.notice.trim().parse().map_err(|_| WebError::NotFound)?;
    let stored = sent_notices(&state, &application)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or(WebError::NotFound)?;
    let notice = cases::stored_notice(&stored)?;
    if form.format == "docx" {
        let bytes = notice
            .to_docx()
            .map_err(|e| WebError::Internal(format!("notice {id} as docx: {e}")))?;
        let name = format!("{}-{}.docx", application.number, stored.title);
        let disposition = format!(
            "attachment; filename=\"notice-{id}.docx\"; filename*=UTF-8''{}",
            crate::site::url_encode(&name.replace('/', "_"))
        );
        return Ok((
            [
                (header::CONTENT_TYPE, DOCX_TYPE.to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response());
    }
    let page = context! {
        title => stored.title.clone(),
        // The notice crate escapes every text it prints.
        notice => Value::from_safe_string(notice.to_html()),
        number => pair.0,
        code => pair.1,
        track_path => TRACK_PATH,
        index_path => APPLY.path,
    };
    let html = state
        .render(
            &request,
            "apply/document.html",
            &stored.title,
            Some(&APPLY),
            page,
        )
        .await?;
    Ok(private(StatusCode::OK, html))
}
