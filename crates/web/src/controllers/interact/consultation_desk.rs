//! The console's 意见征集 (`…/consultations`, `Permission::ManageConsultations`): the organ's
//! consultations with their state and counts; opening one (a period shorter than 30 days needs
//! a reason, 《重大行政决策程序暂行条例》第十四条); each one's comments with their contact
//! details, a decision on each (采纳, 部分采纳, 未采纳, 与征集内容无关), and, after the end date,
//! the 反馈情况 to publish. States and counts are computed from the dates and the comments.
//!
//! Every POST checks the CSRF token first; a refusal writes nothing and shows the page again
//! with the reason at its field and what was typed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::{format_date, parse_date};
use gongkai_store::consultation::{
    self, Comment, Consultation, ConsultationInput, ConsultationState, DECISIONS, FeedbackInput,
    Tally, decision_label,
};
use gongkai_store::{Permission, StoreError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::desk::{Desk, path_id, see_other};
use super::letter_form::Errors;
use super::{consultation_path, paragraphs};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::{PageRequest, ser};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// `GET /console/organs/{organ_id}/consultations`.
pub async fn list(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ManageConsultations).await?;
    let today = state.today();
    let base = desk.base();
    let mut rows = Vec::new();
    for c in state.store.consultations(desk.scope).await? {
        let tally = state.store.tally(desk.scope, c.id).await?;
        rows.push(context! {
            path => format!("{base}/consultations/{}", c.id),
            title => c.input.title.clone(),
            start => format_date(c.input.start),
            end => format_date(c.input.end),
            state => c.state(today).label(),
            received => tally.received,
            pending => tally.pending,
        });
    }
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        rows => rows,
    };
    let html = state
        .render(
            &request,
            "console/interact/consultations.html",
            "意见征集",
            None,
            ctx,
        )
        .await?;
    Ok(html.into_response())
}

/// The form that opens a consultation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ConsultationForm {
    #[serde(skip_serializing)]
    csrf: String,
    title: String,
    draft: String,
    explanation: String,
    start: String,
    end: String,
    short_reason: String,
    contact: String,
}

impl Bounded for ConsultationForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("title", "标题", 200),
        Bound::lines("draft", "草案内容", 60_000),
        Bound::lines("explanation", "起草说明", 60_000),
        Bound::line("start", "开始日期", 20),
        Bound::line("end", "截止日期", 20),
        Bound::lines("short_reason", "期限少于30日的理由", 3000),
        Bound::lines("contact", "征集单位和联系方式", 3000),
    ];
}

impl ConsultationForm {
    fn input(&self) -> Result<ConsultationInput, Errors> {
        let mut errors = Errors::new();
        let start = parse_date(self.start.trim());
        let end = parse_date(self.end.trim());
        if start.is_none() {
            errors.insert("start", "请填写开始日期，格式为 YYYY-MM-DD。".into());
        }
        if end.is_none() {
            errors.insert("end", "请填写截止日期，格式为 YYYY-MM-DD。".into());
        }
        let (Some(start), Some(end)) = (start, end) else {
            return Err(errors);
        };
        let text = |t: &str| t.replace("\r\n", "\n").trim().to_owned();
        Ok(ConsultationInput {
            title: text(&self.title),
            draft: text(&self.draft),
            explanation: text(&self.explanation),
            start,
            end,
            short_reason: text(&self.short_reason),
            contact: text(&self.contact),
        })
    }
}

async fn render_new(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    status: StatusCode,
    form: &ConsultationForm,
    errors: &Errors,
) -> Result<Response, WebError> {
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        form => ser(form),
        error => ser(errors),
        min_days => consultation::MIN_PERIOD_DAYS,
        rule => consultation::SHORT_PERIOD,
        action => format!("{}/consultations/new", desk.base()),
    };
    let html = state
        .render(
            request,
            "console/interact/consultation_new.html",
            "发布意见征集",
            None,
            ctx,
        )
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/consultations/new`: the form, from today for 30 days.
pub async fn new_form(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ManageConsultations).await?;
    let today = state.today();
    let end = today
        .checked_add(time::Duration::days(consultation::MIN_PERIOD_DAYS - 1))
        .unwrap_or(today);
    let form = ConsultationForm {
        start: format_date(today),
        end: format_date(end),
        ..ConsultationForm::default()
    };
    render_new(
        &state,
        &request,
        &desk,
        StatusCode::OK,
        &form,
        &Errors::new(),
    )
    .await
}

/// `POST /console/organs/{organ_id}/consultations/new`.
pub async fn create(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<ConsultationForm>,
) -> Result<Response, WebError> {
    let desk = Desk::open_for_post(
        &state,
        &request,
        &raw,
        Permission::ManageConsultations,
        &form.csrf,
    )
    .await?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let input = match form.input() {
        Ok(input) => input,
        Err(errors) => {
            return render_new(&state, &request, &desk, unprocessable, &form, &errors).await;
        }
    };
    let actor = desk.staff.actor();
    match state
        .store
        .create_consultation(&actor, desk.scope, state.today(), state.now(), &input)
        .await
    {
        Ok(c) => Ok(see_other(format!(
            "{}/consultations/{}?done=created",
            desk.base(),
            c.id
        ))),
        Err(StoreError::Invalid { field, message }) => {
            let errors = Errors::from([(field, message)]);
            render_new(&state, &request, &desk, unprocessable, &form, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The 反馈情况 form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FeedbackForm {
    #[serde(skip_serializing)]
    csrf: String,
    summary: String,
    adopted_reasons: String,
    partly_reasons: String,
    not_adopted_reasons: String,
}

impl Bounded for FeedbackForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::lines("summary", "总体情况", 3000),
        Bound::lines("adopted_reasons", "采纳情况", 3000),
        Bound::lines("partly_reasons", "部分采纳的理由", 3000),
        Bound::lines("not_adopted_reasons", "未采纳的理由", 3000),
    ];
}

impl FeedbackForm {
    fn input(&self) -> FeedbackInput {
        let text = |t: &str| t.replace("\r\n", "\n").trim().to_owned();
        FeedbackInput {
            summary: text(&self.summary),
            adopted_reasons: text(&self.adopted_reasons),
            partly_reasons: text(&self.partly_reasons),
            not_adopted_reasons: text(&self.not_adopted_reasons),
        }
    }

    /// A first draft: the counts in a sentence, and each group's notes.
    fn draft(tally: &Tally, comments: &[Comment]) -> FeedbackForm {
        let notes = |decision: &str| {
            let mut notes: Vec<String> = comments
                .iter()
                .filter(|c| c.decision == decision && !c.note.trim().is_empty())
                .map(|c| c.note.trim().to_owned())
                .collect();
            notes.dedup();
            notes.join("\n")
        };
        FeedbackForm {
            summary: format!(
                "征求意见期间共收到意见{}条，其中采纳{}条，部分采纳{}条，未采纳{}条。",
                tally.received, tally.adopted, tally.partly, tally.not_adopted
            ),
            adopted_reasons: notes("adopted"),
            partly_reasons: notes("partly"),
            not_adopted_reasons: notes("not_adopted"),
            ..FeedbackForm::default()
        }
    }
}

/// The comment decision form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecideForm {
    csrf: String,
    decision: String,
    note: String,
}

impl Bounded for DecideForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("decision", "处理意见", 20),
        Bound::lines("note", "备注", 3000),
    ];
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

/// What a consultation's page shows besides its records.
#[derive(Default)]
struct Shown {
    done: Option<&'static str>,
    /// A refusal: the comment it concerns (or none: the feedback), the field, the sentence.
    refusal: Option<(Option<i64>, Option<&'static str>, String)>,
    feedback: Option<FeedbackForm>,
}

async fn render_page(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    c: &Consultation,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, WebError> {
    let today = state.today();
    let st = c.state(today);
    let comments = state.store.comments(desk.scope, c.id).await?;
    let tally = Tally::of(&comments);
    let base = format!("{}/consultations/{}", desk.base(), c.id);
    let refused_comment = shown.refusal.as_ref().and_then(|(id, _, _)| *id);
    let rows: Vec<Value> = comments
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let decisions: Vec<Value> = DECISIONS
                .iter()
                .map(|(key, label)| context! { key => *key, label => *label, selected => k.decision == *key })
                .collect();
            context! {
                serial => i + 1,
                id => k.id,
                action => format!("{base}/comments/{}", k.id),
                name => k.name.clone(),
                contact => k.contact.clone(),
                body => paragraphs(&k.body),
                submitted => format_date(k.submitted_on),
                decision => decision_label(&k.decision),
                decisions => decisions,
                note => k.note.clone(),
                by => k.decided_by.clone(),
                refusal => if refused_comment == Some(k.id) {
                    shown.refusal.as_ref().map(|(_, _, m)| m.clone())
                } else {
                    None
                },
            }
        })
        .collect();
    let feedback_refusal = shown
        .refusal
        .as_ref()
        .filter(|(id, _, _)| id.is_none())
        .map(|(_, field, message)| context! { field => *field, message => message.clone() });
    let feedback_form = shown
        .feedback
        .unwrap_or_else(|| FeedbackForm::draft(&tally, &comments));
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        csrf => desk.staff.session.csrf_token.clone(),
        c => context! {
            title => c.input.title.clone(),
            start => format_date(c.input.start),
            end => format_date(c.input.end),
            days => c.input.days(),
            short_reason => c.input.short_reason.clone(),
            contact => paragraphs(&c.input.contact),
            draft => paragraphs(&c.input.draft),
            explanation => paragraphs(&c.input.explanation),
            state => st.label(),
            created_by => c.created_by.clone(),
            public_path => (st != ConsultationState::Upcoming).then(|| consultation_path(c.id)),
        },
        comments => rows,
        tally => context! {
            received => tally.received,
            adopted => tally.adopted,
            partly => tally.partly,
            not_adopted => tally.not_adopted,
            invalid => tally.invalid,
            pending => tally.pending,
        },
        frozen => c.feedback.is_some(),
        can_feedback => st == ConsultationState::Closed,
        feedback => c.feedback.as_ref().map(|f| context! {
            on => format_date(f.on),
            summary => paragraphs(&f.text.summary),
            adopted_reasons => paragraphs(&f.text.adopted_reasons),
            partly_reasons => paragraphs(&f.text.partly_reasons),
            not_adopted_reasons => paragraphs(&f.text.not_adopted_reasons),
        }),
        feedback_form => ser(&feedback_form),
        feedback_refusal => feedback_refusal,
        feedback_action => format!("{base}/feedback"),
        done => shown.done,
    };
    let title = c.input.title.clone();
    let html = state
        .render(
            request,
            "console/interact/consultation.html",
            &title,
            None,
            ctx,
        )
        .await?;
    Ok((status, html).into_response())
}

fn done_label(key: &str) -> Option<&'static str> {
    match key {
        "created" => Some("意见征集已发布。"),
        "decided" => Some("处理意见已保存。"),
        "feedback" => Some("反馈情况已公布。"),
        _ => None,
    }
}

/// `GET /console/organs/{organ_id}/consultations/{consultation_id}`.
pub async fn page(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ManageConsultations).await?;
    let c = state
        .store
        .consultation(desk.scope, path_id(&raw_id)?)
        .await?;
    let shown = Shown {
        done: done_label(&query.done),
        ..Shown::default()
    };
    render_page(&state, &request, &desk, &c, StatusCode::OK, shown).await
}

/// `POST …/consultations/{consultation_id}/comments/{comment_id}`: a decision on a comment.
pub async fn decide(
    State(state): State<AppState>,
    WebPath((raw, raw_id, raw_comment)): WebPath<(String, String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<DecideForm>,
) -> Result<Response, WebError> {
    let desk = Desk::open_for_post(
        &state,
        &request,
        &raw,
        Permission::ManageConsultations,
        &form.csrf,
    )
    .await?;
    let c = state
        .store
        .consultation(desk.scope, path_id(&raw_id)?)
        .await?;
    let comment_id = path_id(&raw_comment)?;
    let actor = desk.staff.actor();
    let result = state
        .store
        .decide_comment(
            &actor,
            desk.scope,
            c.id,
            comment_id,
            form.decision.trim(),
            &form.note.replace("\r\n", "\n"),
            state.now(),
        )
        .await;
    let (status, field, message) = match result {
        Ok(_) => {
            let to = format!(
                "{}/consultations/{}?done=decided#comment-{comment_id}",
                desk.base(),
                c.id
            );
            return Ok(see_other(to));
        }
        Err(StoreError::Invalid { field, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field), message)
        }
        Err(StoreError::NotAllowed(message)) => (StatusCode::CONFLICT, None, message),
        Err(e) => return Err(e.into()),
    };
    let shown = Shown {
        refusal: Some((Some(comment_id), field, message)),
        ..Shown::default()
    };
    render_page(&state, &request, &desk, &c, status, shown).await
}

/// `POST …/consultations/{consultation_id}/feedback`: publishes the 反馈情况.
pub async fn feedback(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<FeedbackForm>,
) -> Result<Response, WebError> {
    let desk = Desk::open_for_post(
        &state,
        &request,
        &raw,
        Permission::ManageConsultations,
        &form.csrf,
    )
    .await?;
    let c = state
        .store
        .consultation(desk.scope, path_id(&raw_id)?)
        .await?;
    let actor = desk.staff.actor();
    let result = state
        .store
        .publish_feedback(
            &actor,
            desk.scope,
            c.id,
            state.today(),
            state.now(),
            &form.input(),
        )
        .await;
    let (status, field, message) = match result {
        Ok(_) => {
            let to = format!("{}/consultations/{}?done=feedback", desk.base(), c.id);
            return Ok(see_other(to));
        }
        Err(StoreError::Invalid { field, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field), message)
        }
        Err(StoreError::NotAllowed(message)) => (StatusCode::CONFLICT, None, message),
        Err(e) => return Err(e.into()),
    };
    let shown = Shown {
        refusal: Some((None, field, message)),
        feedback: Some(form),
        ..Shown::default()
    };
    render_page(&state, &request, &desk, &c, status, shown).await
}
