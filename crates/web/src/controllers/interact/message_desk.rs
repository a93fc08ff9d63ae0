//! The console's 留言 (`…/messages`, `Permission::HandleMessages`): the queue by reply due date,
//! with the 暂定 and overdue marks and the writer's name masked (a list is read over shoulders);
//! each 留言 in full with the steps its state allows — 受理, 不予受理 (with where the writer is
//! sent and why), 答复, 公开 (only with the writer's consent, the text masked, editable) and
//! 撤回公开; and the organ's reply limit (`Permission::EditSettings`). The due date is computed
//! on the day asked from the receipt date, the organ's limit and the calendar.
//!
//! Every POST checks the CSRF token first. A refused step writes nothing and shows the page
//! again with the reason, at the form it concerns, with what was typed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::{Calendar, format_date, parse_date};
use gongkai_store::message::{
    self, Decision, Message, MessageAction, MessageState, MessageStep, REDIRECTS, allowed,
    kind_label,
};
use gongkai_store::{Permission, StoreError};
use minijinja::{Value, context};
use serde::Deserialize;
use time::Date;

use super::desk::{Desk, path_id, see_other};
use super::{letter_path, paragraphs};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The queue's tab and the confirmation of a saved setting.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    tab: String,
    saved: String,
}

impl Bounded for QueueQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("tab", "标签", 10),
        Bound::line("saved", "已保存", 10),
    ];
}

/// A due date as shown: `2026-01-19（暂定）` when a year it spans has no holiday notice.
fn due_label(cal: &Calendar, m: &Message, days: u32) -> (Option<Date>, String) {
    match m.due(cal, days) {
        Ok(c) => {
            let mark = if c.provisional_years.is_empty() && c.assumed_years.is_empty() {
                ""
            } else {
                "（暂定）"
            };
            (Some(c.value), format!("{}{mark}", format_date(c.value)))
        }
        Err(_) => (None, "无法计算".into()),
    }
}

/// Working days left (negative: overdue by), while a reply is owed.
fn days_left(cal: &Calendar, due: Option<Date>, today: Date) -> Option<i64> {
    due.and_then(|d| cal.between(today, d).ok().map(|c| c.value))
}

fn days_label(
    m: &Message,
    cal: &Calendar,
    due: Option<Date>,
    today: Date,
    reply_days: u32,
) -> String {
    match m.state() {
        s if s.awaiting_reply() => match days_left(cal, due, today) {
            Some(left) if left < 0 => format!("已逾期 {} 个工作日", -left),
            Some(left) => format!("剩余 {left} 个工作日"),
            None => String::new(),
        },
        MessageState::Replied | MessageState::Published => {
            if m.replied_late(cal, reply_days).unwrap_or(false) {
                "逾期答复".into()
            } else {
                "按期答复".into()
            }
        }
        _ => String::new(),
    }
}

/// The queue: those awaiting a reply by due date first, then the others, latest first.
fn sort(list: &mut [(Message, Option<Date>)]) {
    list.sort_by_key(|(m, due)| {
        let open = m.state().awaiting_reply();
        (
            !open,
            if open { *due } else { None },
            std::cmp::Reverse(if open { None } else { Some(m.received) }),
            if open { m.id } else { -m.id },
        )
    });
}

/// What the queue page shows besides the list: the settings form's value and error.
#[derive(Default)]
struct QueuePage {
    all: bool,
    saved: bool,
    typed_days: Option<String>,
    days_error: Option<String>,
}

async fn render_queue(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    status: StatusCode,
    page: QueuePage,
) -> Result<Response, WebError> {
    let cal = state.calendar().await?;
    let today = state.today();
    let reply_days = state.store.message_reply_days(desk.organ.id).await?;
    let mut list: Vec<(Message, Option<Date>)> = state
        .store
        .messages(desk.scope)
        .await?
        .into_iter()
        .filter(|m| page.all || m.state().awaiting_reply())
        .map(|m| {
            let due = due_label(&cal, &m, reply_days).0;
            (m, due)
        })
        .collect();
    sort(&mut list);
    let base = desk.base();
    let mut overdue = 0;
    let rows: Vec<Value> = list
        .iter()
        .map(|(m, due)| {
            let late = m.overdue(&cal, reply_days, today).unwrap_or(false);
            overdue += usize::from(late);
            context! {
                path => format!("{base}/messages/{}", m.id),
                number => m.number.clone(),
                kind => kind_label(&m.kind),
                title => m.masked(&m.title),
                writer => gongkai_core::identity::mask_name(&m.writer.name),
                received => format_date(m.received),
                state => m.state().label(),
                due => m.state().awaiting_reply().then(|| due_label(&cal, m, reply_days).1),
                days => days_label(m, &cal, *due, today, reply_days),
                overdue => late,
                consent => m.consent,
            }
        })
        .collect();
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        rows => rows,
        all => page.all,
        overdue => overdue,
        today => format_date(today),
        reply_days => reply_days,
        typed_days => page.typed_days.unwrap_or_else(|| reply_days.to_string()),
        days_error => page.days_error,
        max_days => message::MAX_REPLY_DAYS,
        can_settings => desk.can(Permission::EditSettings),
        saved => page.saved,
    };
    let html = state
        .render(
            request,
            "console/interact/messages.html",
            "留言办理",
            None,
            ctx,
        )
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/messages[?tab=all]`.
pub async fn queue(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<QueueQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::HandleMessages).await?;
    let page = QueuePage {
        all: query.tab == "all",
        saved: !query.saved.is_empty(),
        ..QueuePage::default()
    };
    render_queue(&state, &request, &desk, StatusCode::OK, page).await
}

/// The reply-limit form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    reply_days: String,
}

impl Bounded for SettingsForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("reply_days", "答复期限", 10),
    ];
}

/// `POST /console/organs/{organ_id}/message-settings`: the organ's reply limit.
pub async fn settings(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<SettingsForm>,
) -> Result<Response, WebError> {
    let desk =
        Desk::open_for_post(&state, &request, &raw, Permission::EditSettings, &form.csrf).await?;
    let refused = |message: String| QueuePage {
        typed_days: Some(form.reply_days.clone()),
        days_error: Some(message),
        ..QueuePage::default()
    };
    let Ok(days) = form.reply_days.trim().parse::<u32>() else {
        let page = refused(format!(
            "答复期限应为1至{}个工作日的整数。",
            message::MAX_REPLY_DAYS
        ));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render_queue(&state, &request, &desk, status, page).await;
    };
    let actor = desk.staff.actor();
    match state
        .store
        .set_message_reply_days(&actor, desk.scope, state.now(), days)
        .await
    {
        Ok(()) => Ok(see_other(format!("{}/messages?saved=1", desk.base()))),
        Err(StoreError::Invalid { message, .. }) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_queue(&state, &request, &desk, status, refused(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form of every step (each sends the fields it needs).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    date: String,
    redirect: String,
    reason: String,
    reply: String,
    title: String,
    body: String,
}

impl Bounded for StepForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("date", "日期", 20),
        Bound::line("redirect", "不予受理的类别", 20),
        Bound::lines("reason", "理由", 2000),
        Bound::lines("reply", "答复内容", 10000),
        Bound::line("title", "公开的标题", 200),
        Bound::lines("body", "公开的留言内容", 6000),
    ];
}

/// A step refused: the form it belongs to, the sentence, the field it names, and what was
/// typed.
struct Refusal {
    action: MessageAction,
    message: String,
    field: Option<&'static str>,
    typed: StepForm,
}

/// The confirmation after a step.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

impl Bounded for DoneQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("done", "已完成", 20)];
}

fn action_of(key: &str) -> Option<MessageAction> {
    MessageAction::ALL.into_iter().find(|a| a.key() == key)
}

async fn render_message(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    m: &Message,
    status: StatusCode,
    done: Option<MessageAction>,
    refusal: Option<Refusal>,
) -> Result<Response, WebError> {
    let cal = state.calendar().await?;
    let today = state.today();
    let reply_days = state.store.message_reply_days(desk.organ.id).await?;
    let (due, due_text) = due_label(&cal, m, reply_days);
    let st = m.state();
    let preview = m.public_text();
    let found = m.personal_data();
    // What was typed goes back into the form that was refused, and only into that one.
    let typed = |action: MessageAction| {
        refusal
            .as_ref()
            .filter(|r| r.action == action)
            .map(|r| &r.typed)
    };
    let typed_or = |action, pick: fn(&StepForm) -> &String, default: String| -> String {
        typed(action).map_or(default, |t| pick(t).clone())
    };
    let moderation = m.moderation.as_ref().map(|md| match &md.decision {
        Decision::Accepted => context! {
            accepted => true, on => format_date(md.on), by => md.by.clone(),
        },
        Decision::Rejected { redirect, reason } => context! {
            accepted => false,
            on => format_date(md.on),
            by => md.by.clone(),
            redirect => message::redirect(redirect).map(|r| r.label),
            reason => reason.clone(),
        },
    });
    let redirects: Vec<Value> = REDIRECTS
        .iter()
        .map(|r| {
            context! {
                key => r.key,
                label => r.label,
                checked => typed(MessageAction::Reject).is_some_and(|t| t.redirect == r.key),
            }
        })
        .collect();
    let base = desk.base();
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        csrf => desk.staff.session.csrf_token.clone(),
        action_base => format!("{base}/messages/{}", m.id),
        m => context! {
            number => m.number.clone(),
            kind => kind_label(&m.kind),
            title => m.title.clone(),
            body => m.body.clone(),
            name => m.writer.name.clone(),
            phone => m.writer.phone.clone(),
            email => m.writer.email.clone(),
            consent => m.consent,
            received => format_date(m.received),
            state => st.label(),
            awaiting => st.awaiting_reply(),
            due => due_text,
            days => days_label(m, &cal, due, today, reply_days),
            overdue => m.overdue(&cal, reply_days, today).unwrap_or(false),
            found => found.any().then(|| found.describe()),
        },
        moderation => moderation,
        reply => m.reply.as_ref().map(|r| context! {
            text => paragraphs(&r.text), on => format_date(r.on), by => r.by.clone(),
        }),
        publication => m.publication.as_ref().map(|p| context! {
            on => format_date(p.on),
            path => letter_path(&m.number),
            edited => p.title.is_some() || p.body.is_some(),
        }),
        preview => context! {
            title => typed_or(MessageAction::Publish, |t| &t.title, preview.title.clone()),
            body => typed_or(MessageAction::Publish, |t| &t.body, preview.body.clone()),
            reply => paragraphs(&preview.reply),
        },
        can => context! {
            accept => allowed(MessageAction::Accept, st),
            reject => allowed(MessageAction::Reject, st),
            reply => allowed(MessageAction::Reply, st),
            publish => allowed(MessageAction::Publish, st),
            unpublish => allowed(MessageAction::Unpublish, st),
        },
        redirects => redirects,
        today => format_date(today),
        accept_date => typed_or(MessageAction::Accept, |t| &t.date, format_date(today)),
        reject_date => typed_or(MessageAction::Reject, |t| &t.date, format_date(today)),
        reply_date => typed_or(MessageAction::Reply, |t| &t.date, format_date(today)),
        reason => typed_or(MessageAction::Reject, |t| &t.reason, String::new()),
        reply_text => typed_or(
            MessageAction::Reply,
            |t| &t.reply,
            m.reply.as_ref().map(|r| r.text.clone()).unwrap_or_default(),
        ),
        done => done.map(MessageAction::label),
        refusal => refusal.as_ref().map(|r| context! {
            action => r.action.key(),
            message => r.message.clone(),
            field => r.field,
        }),
        reply_max => message::REPLY_MAX,
        title_max => message::TITLE_MAX,
        body_max => message::BODY_MAX,
    };
    let title = format!("留言 {}", m.number);
    let html = state
        .render(request, "console/interact/message.html", &title, None, ctx)
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/messages/{message_id}[?done=…]`.
pub async fn page(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::HandleMessages).await?;
    let m = state.store.message(desk.scope, path_id(&raw_id)?).await?;
    let done = action_of(&query.done);
    render_message(&state, &request, &desk, &m, StatusCode::OK, done, None).await
}

/// A date typed as `YYYY-MM-DD`.
fn date_of(form: &StepForm) -> Result<Date, (&'static str, String)> {
    parse_date(form.date.trim()).ok_or(("date", "请填写日期，格式为 YYYY-MM-DD。".into()))
}

/// The step a form asks for.
fn step_of(action: MessageAction, form: &StepForm) -> Result<MessageStep, (&'static str, String)> {
    let edited = |text: &str| {
        let text = text.replace("\r\n", "\n").trim().to_owned();
        (!text.is_empty()).then_some(text)
    };
    Ok(match action {
        MessageAction::Accept => MessageStep::Accept { on: date_of(form)? },
        MessageAction::Reject => MessageStep::Reject {
            on: date_of(form)?,
            redirect: form.redirect.clone(),
            reason: form.reason.replace("\r\n", "\n"),
        },
        MessageAction::Reply => MessageStep::Reply {
            on: date_of(form)?,
            text: form.reply.replace("\r\n", "\n"),
        },
        MessageAction::Publish => MessageStep::Publish {
            title: edited(&form.title),
            body: edited(&form.body),
        },
        MessageAction::Unpublish => MessageStep::Unpublish,
    })
}

/// Takes `action` on the 留言 of the path: CSRF, the desk, the 留言 (another organ's is not
/// found), then the store's one door. Done: back to the page (303). Refused: the page again
/// with the reason (422 for the data, 409 for the state), nothing written.
async fn take(
    state: &AppState,
    request: &PageRequest,
    (raw, raw_id): (String, String),
    action: MessageAction,
    form: StepForm,
) -> Result<Response, WebError> {
    let desk =
        Desk::open_for_post(state, request, &raw, Permission::HandleMessages, &form.csrf).await?;
    let m = state.store.message(desk.scope, path_id(&raw_id)?).await?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (status, field, message) = match step_of(action, &form) {
        Err((field, message)) => (unprocessable, Some(field), message),
        Ok(step) => {
            let actor = desk.staff.actor();
            let (today, now) = (state.today(), state.now());
            match state
                .store
                .take_message_step(&actor, desk.scope, m.id, &step, today, now)
                .await
            {
                Ok(_) => {
                    let to = format!("{}/messages/{}?done={}", desk.base(), m.id, action.key());
                    return Ok(see_other(to));
                }
                Err(StoreError::Invalid { field, message }) => {
                    (unprocessable, Some(field), message)
                }
                Err(StoreError::NotAllowed(message)) => (StatusCode::CONFLICT, None, message),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let refusal = Refusal {
        action,
        message,
        field,
        typed: form,
    };
    render_message(state, request, &desk, &m, status, None, Some(refusal)).await
}

/// `POST …/messages/{message_id}/accept`.
pub async fn accept(
    State(state): State<AppState>,
    WebPath(path): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    take(&state, &request, path, MessageAction::Accept, form).await
}

/// `POST …/messages/{message_id}/reject`.
pub async fn reject(
    State(state): State<AppState>,
    WebPath(path): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    take(&state, &request, path, MessageAction::Reject, form).await
}

/// `POST …/messages/{message_id}/reply`.
pub async fn reply(
    State(state): State<AppState>,
    WebPath(path): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    take(&state, &request, path, MessageAction::Reply, form).await
}

/// `POST …/messages/{message_id}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    WebPath(path): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    take(&state, &request, path, MessageAction::Publish, form).await
}

/// `POST …/messages/{message_id}/unpublish`.
pub async fn unpublish(
    State(state): State<AppState>,
    WebPath(path): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    take(&state, &request, path, MessageAction::Unpublish, form).await
}
