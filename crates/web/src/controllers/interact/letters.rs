//! The public side of 留言: the published questions and answers (a page of ten at a time, and
//! one page each), the form, the receipt shown once with 留言编号 and 查询码, and the look-up.
//!
//! The form goes to the portal's organ, received on the day it is submitted. A wrong form comes
//! back (422) with every typed value and a sentence at each wrong field; nothing is kept. A
//! filled honeypot gets a receipt that looks the same and keeps nothing. The look-up answers a
//! wrong number and a wrong code with the same sentence, and an address that keeps guessing
//! is refused for a while. Nothing a writer types is logged.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use gongkai_core::calendar::format_date;
use gongkai_store::message::{Message, MessageState, PublicMessage, redirect};
use gongkai_store::{Actor, OrganScope};
use minijinja::{Value, context};
use rand::RngCore;
use serde::Deserialize;

use super::guard::{self, Guards, RECEIPT_COOKIE, RECEIPT_SECONDS, Receipt};
use super::letter_form::{self, Errors, HONEYPOT, LetterForm};
use super::{FORM_PATH, HDJL, LETTERS, RECEIPT_PATH, TRACK_PATH, letter_path, paragraphs};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::{self, PageRequest, SiteIdentity, ser};
use crate::throttle::ClientAddr;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError, cookies};

/// Questions and answers per page of the list.
pub const PER_PAGE: i64 = 10;

/// The sentence for a pair that finds nothing, the same for every reason.
pub const NOT_FOUND: &str = "未查到该留言，请核对留言编号和查询码。";

/// A page that must not be kept by the browser or a proxy: it shows a writer's data or code.
fn private(status: StatusCode, html: Html<String>) -> Response {
    let mut response = (status, html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The list's page number.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    page: String,
}

impl Bounded for ListQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("page", "页码", 10)];
}

fn public_row(m: &PublicMessage) -> Value {
    context! {
        path => letter_path(&m.number),
        number => m.number.clone(),
        kind => m.kind,
        title => m.title.clone(),
        received => format_date(m.received),
        replied => m.replied_on.map(format_date),
    }
}

/// `GET /hdjl/liuyan[?page=N]`: the published questions and answers, newest first.
pub async fn list(
    State(state): State<AppState>,
    WebQuery(query): WebQuery<ListQuery>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let page: i64 = match query.page.trim() {
        "" => 1,
        text => text.parse().map_err(|_| WebError::NotFound)?,
    };
    if page < 1 {
        return Err(WebError::NotFound);
    }
    let organ = state.portal_organ().await?;
    let (rows, total) = match &organ {
        Some(o) => {
            let offset = (page - 1).saturating_mul(PER_PAGE);
            let (list, total) = state
                .store
                .published_messages(o.id, PER_PAGE, offset)
                .await?;
            let rows: Vec<Value> = list
                .iter()
                .filter_map(Message::published)
                .map(|m| public_row(&m))
                .collect();
            (rows, total)
        }
        None => (Vec::new(), 0),
    };
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    if page > pages {
        return Err(WebError::NotFound);
    }
    let link = |n: i64| format!("{}?page={n}", LETTERS.path);
    let ctx = context! {
        rows => rows,
        total => total,
        page => page,
        pages => pages,
        previous => (page > 1).then(|| link(page - 1)),
        next => (page < pages).then(|| link(page + 1)),
        form_path => FORM_PATH,
        track_path => TRACK_PATH,
        index_path => HDJL.path,
    };
    state
        .render(
            &request,
            "interact/letters.html",
            LETTERS.name,
            Some(&LETTERS),
            ctx,
        )
        .await
}

/// `GET /hdjl/liuyan/{number}`: one published question and answer. An article page: it
/// carries the article tags besides the site and column tags.
pub async fn page(
    State(state): State<AppState>,
    WebPath(number): WebPath<String>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let public = state
        .store
        .published_message(organ.id, &number)
        .await?
        .ok_or(WebError::NotFound)?;
    let identity = SiteIdentity::of(&organ);
    let path = letter_path(&public.number);
    let summary: String = public.body.chars().take(80).collect();
    let article = context! {
        title => public.title.clone(),
        pub_date => public.published_at.map(site::format_time).unwrap_or_default(),
        source => organ.settings.name.clone(),
        keywords => format!("留言,{},答复", public.kind),
        author => organ.settings.name.clone(),
        description => summary,
        url => format!("{}{path}", state.base_url(&identity)),
    };
    let ctx = context! {
        article => article,
        letter => context! {
            number => public.number.clone(),
            kind => public.kind,
            title => public.title.clone(),
            body => paragraphs(&public.body),
            reply => paragraphs(&public.reply),
            received => format_date(public.received),
            replied => public.replied_on.map(format_date),
            published => public.published_on.map(format_date),
        },
        organ_name => organ.settings.name.clone(),
        list_path => LETTERS.path,
        index_path => HDJL.path,
    };
    state
        .render(
            &request,
            "interact/letter.html",
            &public.title,
            Some(&LETTERS),
            ctx,
        )
        .await
}

/// Renders the form with `form`'s values and `errors`.
async fn render_form(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    form: &LetterForm,
    errors: &Errors,
) -> Result<Response, WebError> {
    let organ = state.portal_organ().await?;
    let reply_days = match &organ {
        Some(o) => state.store.message_reply_days(o.id).await?,
        None => gongkai_store::message::DEFAULT_REPLY_DAYS,
    };
    let ctx = context! {
        organ_name => organ.as_ref().map(|o| o.settings.name.clone()),
        form => ser(form),
        kinds => ser(letter_form::kinds(form)),
        consent => form.consents(),
        errors => ser(letter_form::summary(errors)),
        error => ser(errors),
        title_max => gongkai_store::message::TITLE_MAX,
        body_max => gongkai_store::message::BODY_MAX,
        reply_days => reply_days,
        action => FORM_PATH,
        honeypot => HONEYPOT,
        list_path => LETTERS.path,
        apply_path => crate::controllers::apply::APPLY.path,
        index_path => HDJL.path,
    };
    let html = state
        .render(
            request,
            "interact/form.html",
            "我要留言",
            Some(&LETTERS),
            ctx,
        )
        .await?;
    Ok(private(status, html))
}

/// `GET /hdjl/liuyan/xie`: the empty form.
pub async fn form(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Response, WebError> {
    render_form(
        &state,
        &request,
        StatusCode::OK,
        &LetterForm::default(),
        &Errors::new(),
    )
    .await
}

/// The refusal when an address submits too often.
fn too_many_letters() -> WebError {
    WebError::Busy(format!(
        "提交过于频繁：同一网络地址{}分钟内最多提交{}条留言，请稍后再试。",
        guard::WINDOW_SECONDS / 60,
        guard::LETTERS
    ))
}

/// `POST /hdjl/liuyan/xie`: checks the whole form, then keeps the 留言 and goes to the receipt
/// (303). A wrong form comes back (422) with every typed value; nothing is saved.
pub async fn submit(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    ClientAddr(client): ClientAddr,
    request: PageRequest,
    WebForm(form): WebForm<LetterForm>,
) -> Result<Response, WebError> {
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let now = state.now();
    let today = state.today();
    if form.is_robot() {
        // The same answer as a person gets, so the robot learns nothing; it still counts.
        if !guards.letters.allow(&client, now) {
            return Err(too_many_letters());
        }
        tracing::info!("letter form: honeypot filled, nothing saved");
        return Ok(to_receipt(&state, &decoy(today, form.consents()), now));
    }
    let code = guard::new_code();
    let new = match form.check(today, &code) {
        Ok(new) => new,
        Err(errors) => {
            return render_form(
                &state,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                &errors,
            )
            .await;
        }
    };
    if !guards.letters.allow(&client, now) {
        return Err(too_many_letters());
    }
    // The portal acts for the organ written to: no staff member is involved yet.
    let message = state
        .store
        .create_message(
            &Actor::system("portal"),
            OrganScope::system(organ.id),
            now,
            &new,
        )
        .await?;
    let receipt = Receipt {
        number: message.number.clone(),
        code,
        received: today,
        found: message.personal_data(),
        consent: message.consent,
    };
    Ok(to_receipt(&state, &receipt, now))
}

/// A receipt for a robot: a number of the usual form, a fresh code, nothing behind them.
fn decoy(today: time::Date, consent: bool) -> Receipt {
    let mut bytes = [0u8; 2];
    rand::rng().fill_bytes(&mut bytes);
    let seq = u16::from_le_bytes(bytes) % 9999 + 1;
    Receipt {
        number: format!("LY-{}-{seq:04}", today.year()),
        code: guard::new_code(),
        received: today,
        found: Default::default(),
        consent,
    }
}

/// The receipt cookie's `Set-Cookie` value ([`crate::controllers::apply::guard::receipt_cookie`]).
fn receipt_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    crate::controllers::apply::guard::receipt_cookie(
        state.config.security.secure_cookies,
        RECEIPT_COOKIE,
        RECEIPT_PATH,
        value,
        max_age,
    )
}

/// 303 to the receipt page, carrying the sealed receipt.
fn to_receipt(state: &AppState, receipt: &Receipt, now: i64) -> Response {
    let cookie = receipt_cookie(state, &receipt.seal(&state.data_key, now), RECEIPT_SECONDS);
    crate::controllers::apply::guard::to_receipt_page(RECEIPT_PATH, cookie)
}

/// `GET /hdjl/liuyan/huizhi`: the receipt, shown once (the cookie is removed as it is shown).
/// Without a valid cookie, a page that says how to go on (410).
pub async fn receipt(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: PageRequest,
) -> Result<Response, WebError> {
    let now = state.now();
    let receipt = cookies::get(&headers, RECEIPT_COOKIE)
        .and_then(|value| Receipt::open(&state.data_key, &value, now));
    let organ = state.portal_organ().await?;
    let reply_days = match &organ {
        Some(o) => state.store.message_reply_days(o.id).await?,
        None => gongkai_store::message::DEFAULT_REPLY_DAYS,
    };
    let due = match &receipt {
        Some(r) => {
            let cal = state.calendar().await?;
            cal.add(r.received, reply_days).ok().map(|c| {
                let mark = if c.provisional_years.is_empty() && c.assumed_years.is_empty() {
                    ""
                } else {
                    "（暂定）"
                };
                format!("{}{mark}", format_date(c.value))
            })
        }
        None => None,
    };
    let status = if receipt.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let ctx = context! {
        receipt => receipt.as_ref().map(|r| context! {
            number => r.number.clone(),
            code => r.code.clone(),
            received => format_date(r.received),
            found => r.found.any().then(|| r.found.describe()),
            consent => r.consent,
        }),
        organ_name => organ.as_ref().map(|o| o.settings.name.clone()),
        reply_days => reply_days,
        due => due,
        track_path => TRACK_PATH,
        list_path => LETTERS.path,
        index_path => HDJL.path,
    };
    let html = state
        .render(
            &request,
            "interact/receipt.html",
            "留言回执",
            Some(&LETTERS),
            ctx,
        )
        .await?;
    let mut response = private(status, html);
    if let Ok(clear) = HeaderValue::from_str(&receipt_cookie(&state, "", 0)) {
        response.headers_mut().insert(header::SET_COOKIE, clear);
    }
    Ok(response)
}

/// The look-up form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackForm {
    number: String,
    code: String,
}

impl Bounded for TrackForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("number", "留言编号", 40),
        Bound::line("code", "查询码", 40),
    ];
}

/// Renders the look-up form, the typed number kept (never the code).
async fn render_track(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    number: &str,
    message: Option<&str>,
) -> Result<Response, WebError> {
    let ctx = context! {
        number => number,
        message => message,
        action => TRACK_PATH,
        list_path => LETTERS.path,
        index_path => HDJL.path,
    };
    let html = state
        .render(
            request,
            "interact/track.html",
            "留言查询",
            Some(&LETTERS),
            ctx,
        )
        .await?;
    Ok(private(status, html))
}

/// `GET /hdjl/liuyan/chaxun`.
pub async fn track(
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

/// `POST /hdjl/liuyan/chaxun`: the 留言 of a pair, with its state, due date, and the reply or
/// where to go instead; or "未查到" (404), the same for a wrong number and a wrong code.
pub async fn lookup(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    ClientAddr(client): ClientAddr,
    request: PageRequest,
    WebForm(form): WebForm<TrackForm>,
) -> Result<Response, WebError> {
    let number = guard::normalise_number(&form.number);
    let code = guard::normalise_code(&form.code);
    if number.is_empty() || code.is_empty() {
        return render_track(
            &state,
            &request,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.number,
            Some("请填写留言编号和查询码。"),
        )
        .await;
    }
    let now = state.now();
    if guards.wrong_pairs.exhausted(&client, now) {
        return Err(too_many_wrong());
    }
    let Some(message) = state.store.tracked_message(&number, &code).await? else {
        guards.wrong_pairs.record(&client, now);
        return render_track(
            &state,
            &request,
            StatusCode::NOT_FOUND,
            &form.number,
            Some(NOT_FOUND),
        )
        .await;
    };
    let ctx = status_page(&state, &message).await?;
    let html = state
        .render(
            &request,
            "interact/status.html",
            "留言办理情况",
            Some(&LETTERS),
            ctx,
        )
        .await?;
    Ok(private(StatusCode::OK, html))
}

/// What the writer reads about their 留言: their own text and the reply in full (it is
/// theirs), the state, the due date while a reply is owed, and where to go if it was not
/// accepted. No staff names.
async fn status_page(state: &AppState, m: &Message) -> Result<Value, WebError> {
    let reply_days = state.store.message_reply_days(m.organ_id).await?;
    let st = m.state();
    let due = if st.awaiting_reply() {
        let cal = state.calendar().await?;
        m.due(&cal, reply_days).ok().map(|c| {
            let mark = if c.provisional_years.is_empty() && c.assumed_years.is_empty() {
                ""
            } else {
                "（暂定）"
            };
            format!("{}{mark}", format_date(c.value))
        })
    } else {
        None
    };
    let rejected = match &m.moderation {
        Some(gongkai_store::message::Moderation {
            decision:
                gongkai_store::message::Decision::Rejected {
                    redirect: key,
                    reason,
                },
            on,
            ..
        }) => Some(context! {
            advice => redirect(key).map(|r| r.advice),
            to_apply => key == "application",
            reason => reason.clone(),
            on => format_date(*on),
        }),
        _ => None,
    };
    Ok(context! {
        number => m.number.clone(),
        kind => gongkai_store::message::kind_label(&m.kind),
        title => m.title.clone(),
        body => paragraphs(&m.body),
        received => format_date(m.received),
        status => st.label(),
        due => due,
        reply => m.reply.as_ref().map(|r| context! {
            text => paragraphs(&r.text),
            on => format_date(r.on),
        }),
        rejected => rejected,
        consent => m.consent,
        published => (st == MessageState::Published).then(|| letter_path(&m.number)),
        apply_path => crate::controllers::apply::APPLY.path,
        track_path => TRACK_PATH,
        list_path => LETTERS.path,
        index_path => HDJL.path,
    })
}
