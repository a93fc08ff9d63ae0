//! The public side of 意见征集: the consultations that have started, open ones first, and a
//! page each with its notice (征集单位, dates, state), the draft, the 起草说明, the comment form
//! while it is open and the 反馈情况 once published. The state is computed from the dates on
//! the day asked; a comment after the end date is refused with the date it ended.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongkai_core::calendar::format_date;
use gongkai_store::consultation::{self, Consultation, ConsultationState, NewComment, Tally};
use gongkai_store::{Actor, StoreError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::desk::{path_id, see_other};
use super::guard::{self, Guards};
use super::letter_form::{Errors, HONEYPOT};
use super::{CONSULTATIONS, HDJL, consultation_path, paragraphs};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::{PageRequest, ser};
use crate::throttle::ClientAddr;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

fn row(c: &Consultation, today: time::Date) -> Value {
    let state = c.state(today);
    context! {
        path => consultation_path(c.id),
        title => c.input.title.clone(),
        start => format_date(c.input.start),
        end => format_date(c.input.end),
        state => state.label(),
        open => state == ConsultationState::Open,
    }
}

/// `GET /hdjl/zhengji`: open consultations, then those that ended.
pub async fn list(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let today = state.today();
    let organ = state.portal_organ().await?;
    let all = match &organ {
        Some(o) => state.store.public_consultations(o.id, today).await?,
        None => Vec::new(),
    };
    let (open, ended): (Vec<&Consultation>, Vec<&Consultation>) = all
        .iter()
        .partition(|c| c.state(today) == ConsultationState::Open);
    let ctx = context! {
        open => open.iter().map(|c| row(c, today)).collect::<Vec<_>>(),
        ended => ended.iter().map(|c| row(c, today)).collect::<Vec<_>>(),
        index_path => HDJL.path,
    };
    state
        .render(
            &request,
            "interact/consultations.html",
            CONSULTATIONS.name,
            Some(&CONSULTATIONS),
            ctx,
        )
        .await
}

/// The comment form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CommentForm {
    name: String,
    contact: String,
    body: String,
    website: String,
}

impl Bounded for CommentForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("name", "姓名", 100),
        Bound::line("contact", "联系方式", 200),
        Bound::lines("body", "意见", 6000),
        Bound::line(HONEYPOT, "网址", 200),
    ];
}

impl CommentForm {
    /// The comment, or the errors at its fields.
    fn check(&self) -> Result<NewComment, Errors> {
        let mut errors = Errors::new();
        let body = self.body.replace("\r\n", "\n").trim().to_owned();
        let count = body.chars().count();
        if count == 0 {
            errors.insert("body", "请填写意见。".into());
        } else if count > consultation::COMMENT_MAX {
            errors.insert(
                "body",
                format!(
                    "意见不能超过{}个字（现为{count}个），请精简后重新提交。",
                    consultation::COMMENT_MAX
                ),
            );
        }
        if self.name.trim().chars().count() > 50 {
            errors.insert("name", "姓名不能超过50个字。".into());
        }
        if self.contact.trim().chars().count() > 100 {
            errors.insert("contact", "联系方式不能超过100个字。".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewComment {
            name: self.name.trim().to_owned(),
            contact: self.contact.trim().to_owned(),
            body,
        })
    }
}

/// The confirmation after a comment.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    submitted: String,
}

impl Bounded for PageQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("submitted", "已提交", 10)];
}

/// The feedback as the portal shows it.
fn feedback(c: &Consultation, tally: &Tally) -> Option<Value> {
    let f = c.feedback.as_ref()?;
    Some(context! {
        on => format_date(f.on),
        received => tally.received,
        adopted => tally.adopted,
        partly => tally.partly,
        not_adopted => tally.not_adopted,
        invalid => tally.invalid,
        summary => paragraphs(&f.text.summary),
        adopted_reasons => paragraphs(&f.text.adopted_reasons),
        partly_reasons => paragraphs(&f.text.partly_reasons),
        not_adopted_reasons => paragraphs(&f.text.not_adopted_reasons),
    })
}

/// What the comment form shows: the typed values, the errors at fields, and the outcome of the
/// last submission.
#[derive(Default)]
struct Shown<'a> {
    form: CommentForm,
    errors: Errors,
    submitted: bool,
    refusal: Option<&'a str>,
}

/// Renders a consultation's page with its comment form.
async fn render(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    c: &Consultation,
    shown: Shown<'_>,
) -> Result<Response, WebError> {
    let today = state.today();
    let st = c.state(today);
    let tally = state.store.published_tally(c.organ_id, c.id).await?;
    let ctx = context! {
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
            open => st == ConsultationState::Open,
        },
        feedback => tally.and_then(|t| feedback(c, &t)),
        form => ser(&shown.form),
        error => ser(&shown.errors),
        submitted => shown.submitted,
        refusal => shown.refusal,
        action => consultation_path(c.id),
        honeypot => HONEYPOT,
        comment_max => consultation::COMMENT_MAX,
        list_path => CONSULTATIONS.path,
        index_path => HDJL.path,
    };
    let html = state
        .render(
            request,
            "interact/consultation.html",
            &c.input.title,
            Some(&CONSULTATIONS),
            ctx,
        )
        .await?;
    Ok((status, html).into_response())
}

/// The portal organ's consultation of the path, once started (before, it does not exist).
async fn find(state: &AppState, raw: &str) -> Result<Consultation, WebError> {
    let id = path_id(raw)?;
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let c = state
        .store
        .public_consultation(organ.id, id, state.today())
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(c)
}

/// `GET /hdjl/zhengji/{id}`.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<PageQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let c = find(&state, &raw).await?;
    let shown = Shown {
        submitted: !query.submitted.is_empty(),
        ..Shown::default()
    };
    render(&state, &request, StatusCode::OK, &c, shown).await
}

fn too_many_comments() -> WebError {
    WebError::Busy(format!(
        "提交过于频繁：同一网络地址{}分钟内最多提交{}条意见，请稍后再试。",
        guard::WINDOW_SECONDS / 60,
        guard::COMMENTS
    ))
}

/// `POST /hdjl/zhengji/{id}`: a comment. A wrong form comes back (422) with its values; one
/// after the end date is refused (409) with the date it ended; nothing is kept then.
pub async fn comment(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    ClientAddr(client): ClientAddr,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<CommentForm>,
) -> Result<Response, WebError> {
    let c = find(&state, &raw).await?;
    let now = state.now();
    let done = || see_other(format!("{}?submitted=1#comment", consultation_path(c.id)));
    if !form.website.trim().is_empty() {
        if !guards.comments.allow(&client, now) {
            return Err(too_many_comments());
        }
        tracing::info!("comment form: honeypot filled, nothing saved");
        return Ok(done());
    }
    let new = match form.check() {
        Ok(new) => new,
        Err(errors) => {
            let shown = Shown {
                form,
                errors,
                ..Shown::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&state, &request, status, &c, shown).await;
        }
    };
    if !guards.comments.allow(&client, now) {
        return Err(too_many_comments());
    }
    let result = state
        .store
        .add_comment(
            &Actor::system("portal"),
            c.organ_id,
            c.id,
            state.today(),
            now,
            &new,
        )
        .await;
    match result {
        Ok(_) => Ok(done()),
        Err(StoreError::NotAllowed(message)) => {
            let shown = Shown {
                form,
                refusal: Some(&message),
                ..Shown::default()
            };
            render(&state, &request, StatusCode::CONFLICT, &c, shown).await
        }
        Err(StoreError::Invalid { field, message }) => {
            let shown = Shown {
                form,
                errors: Errors::from([(field, message)]),
                ..Shown::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &request, status, &c, shown).await
        }
        Err(e) => Err(e.into()),
    }
}
