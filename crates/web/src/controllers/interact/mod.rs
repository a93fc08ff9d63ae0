//! 互动交流: 留言 (咨询、建议、投诉) with moderation and replies, and 意见征集 with public comments
//! and the published 反馈情况 — on the portal and in the console.
//!
//! Portal: the column page (`/hdjl`); the published questions and answers with paging and a
//! page each ([`letters`]); the 留言 form, its receipt with 留言编号 and 查询码 (shown once, only
//! the code's hash is stored) and the look-up page ([`letters`], [`letter_form`]); the
//! consultations, open and closed, each with its draft, 起草说明, comment form while open and
//! 反馈情况 once published ([`consultations`]). Writers' names and contact details never reach
//! a public page; personal data in the text is masked on publication, and the writer is told
//! so on the receipt (the 留言 is kept as written, not refused: the organ may need the number
//! to answer). Submissions are limited per client address and a honeypot turns robots away
//! ([`guard`]).
//!
//! Console: the 留言 queue by reply due date with overdue marks, each 留言 with its moderation,
//! reply and publication ([`message_desk`], `Permission::HandleMessages`; the organ's reply
//! limit is a setting of its administrator); the consultations with their comments and
//! feedback ([`consultation_desk`], `Permission::ManageConsultations`). Every POST checks the
//! CSRF token first; every organ route gets its scope from the role check ([`desk`]); another
//! organ's record is not found.

mod consultation_desk;
mod consultations;
mod desk;
mod guard;
mod letter_form;
mod letters;
mod message_desk;

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use minijinja::context;

use crate::site::{Column, PageRequest};
use crate::{AppState, WebError};

/// The column 互动交流.
pub const HDJL: Column = Column {
    path: "/hdjl",
    name: "互动交流",
    description: "向本机关留言咨询、提出建议和投诉，查看留言答复，参与政策文件意见征集",
    keywords: "互动交流,留言,咨询,建议,投诉,意见征集",
    kind: "互动交流",
};
/// The 留言 sub-column: published questions and answers, the form and the look-up.
pub const LETTERS: Column = Column {
    path: "/hdjl/liuyan",
    name: "留言咨询",
    description: "留言咨询、建议和投诉，以及经留言人同意公开的留言和答复",
    keywords: "留言,咨询,建议,投诉,答复",
    kind: "互动交流，留言",
};
/// The 意见征集 sub-column.
pub const CONSULTATIONS: Column = Column {
    path: "/hdjl/zhengji",
    name: "意见征集",
    description: "政策文件草案公开征求意见，以及意见采纳情况的反馈",
    keywords: "意见征集,征求意见,草案,反馈",
    kind: "互动交流，意见征集",
};

/// The 留言 form.
pub const FORM_PATH: &str = "/hdjl/liuyan/xie";
/// The receipt shown once after a submission.
pub const RECEIPT_PATH: &str = "/hdjl/liuyan/huizhi";
/// The look-up page.
pub const TRACK_PATH: &str = "/hdjl/liuyan/chaxun";
/// The area's stylesheet (the site's CSP allows no inline style).
pub const STYLESHEET_PATH: &str = "/static/interact.css";

/// The area's pages for the 网站地图 and sitemap.xml: path and title.
pub const PAGES: [(&str, &str); 5] = [
    (HDJL.path, "互动交流"),
    (LETTERS.path, "留言咨询"),
    (FORM_PATH, "我要留言"),
    (TRACK_PATH, "留言查询"),
    (CONSULTATIONS.path, "意见征集"),
];

/// The path of a published question and answer.
pub fn letter_path(number: &str) -> String {
    format!("{}/{number}", LETTERS.path)
}

/// The path of a consultation on the portal.
pub fn consultation_path(id: i64) -> String {
    format!("{}/{id}", CONSULTATIONS.path)
}

macro_rules! template {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../templates/", $name)))
    };
}

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    template!("interact/index.html"),
    template!("interact/letters.html"),
    template!("interact/letter.html"),
    template!("interact/form.html"),
    template!("interact/receipt.html"),
    template!("interact/track.html"),
    template!("interact/status.html"),
    template!("interact/consultations.html"),
    template!("interact/consultation.html"),
    template!("console/interact/messages.html"),
    template!("console/interact/message.html"),
    template!("console/interact/consultations.html"),
    template!("console/interact/consultation_new.html"),
    template!("console/interact/consultation.html"),
];

const STYLESHEET: &str = include_str!("../../../templates/interact/interact.css");

/// The routes of this area. Every organ route is also in `router::CONSOLE_ROUTES`, with the
/// permission it needs, for the role × route × organ matrix test.
pub fn routes() -> Router<AppState> {
    let guards = Arc::new(guard::Guards::default());
    Router::new()
        // The portal.
        .route(HDJL.path, get(index))
        .route(LETTERS.path, get(letters::list))
        .route(FORM_PATH, get(letters::form).post(letters::submit))
        .route(RECEIPT_PATH, get(letters::receipt))
        .route(TRACK_PATH, get(letters::track).post(letters::lookup))
        .route("/hdjl/liuyan/{number}", get(letters::page))
        .route(CONSULTATIONS.path, get(consultations::list))
        .route(
            "/hdjl/zhengji/{id}",
            get(consultations::page).post(consultations::comment),
        )
        .route(STYLESHEET_PATH, get(stylesheet))
        // The console.
        .route(
            "/console/organs/{organ_id}/messages",
            get(message_desk::queue),
        )
        .route(
            "/console/organs/{organ_id}/messages/{message_id}",
            get(message_desk::page),
        )
        .route(
            "/console/organs/{organ_id}/messages/{message_id}/accept",
            post(message_desk::accept),
        )
        .route(
            "/console/organs/{organ_id}/messages/{message_id}/reject",
            post(message_desk::reject),
        )
        .route(
            "/console/organs/{organ_id}/messages/{message_id}/reply",
            post(message_desk::reply),
        )
        .route(
            "/console/organs/{organ_id}/messages/{message_id}/publish",
            post(message_desk::publish),
        )
        .route(
            "/console/organs/{organ_id}/messages/{message_id}/unpublish",
            post(message_desk::unpublish),
        )
        .route(
            "/console/organs/{organ_id}/message-settings",
            post(message_desk::settings),
        )
        .route(
            "/console/organs/{organ_id}/consultations",
            get(consultation_desk::list),
        )
        .route(
            "/console/organs/{organ_id}/consultations/new",
            get(consultation_desk::new_form).post(consultation_desk::create),
        )
        .route(
            "/console/organs/{organ_id}/consultations/{consultation_id}",
            get(consultation_desk::page),
        )
        .route(
            "/console/organs/{organ_id}/consultations/{consultation_id}/comments/{comment_id}",
            post(consultation_desk::decide),
        )
        .route(
            "/console/organs/{organ_id}/consultations/{consultation_id}/feedback",
            post(consultation_desk::feedback),
        )
        .layer(Extension(guards))
}

/// `GET /hdjl`: the column's entries.
pub async fn index(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let organ = state.portal_organ().await?;
    let page = context! {
        organ_name => organ.as_ref().map(|o| o.settings.name.clone()),
        letters_path => LETTERS.path,
        form_path => FORM_PATH,
        track_path => TRACK_PATH,
        consultations_path => CONSULTATIONS.path,
    };
    state
        .render(
            &request,
            "interact/index.html",
            HDJL.name,
            Some(&HDJL),
            page,
        )
        .await
}

/// `GET /static/interact.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Text as paragraphs: one per non-empty line.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}
