//! The public 依申请公开 column: the rules, the online application form (条例 art. 29), the
//! receipt with 申请编号 and 查询码, and the tracking page.
//!
//! An application goes to the portal's organ, received online on the day it is submitted
//! (art. 31 (三): the receipt page is the confirmation of both sides). Only a hash of the
//! 查询码 is stored: the code reaches the receipt page through a sealed, short-lived cookie
//! and is shown there once. Submissions and wrong tracking pairs are limited per client
//! address ([`guard::Guards`], one set per router); a honeypot field turns robots away with
//! a receipt that looks the same but saves nothing. Nothing of what an applicant types is
//! logged.

pub mod form;
pub(crate) mod guard;
mod track;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use gongkai_core::calendar::format_date;
use gongkai_core::clock::Channel;
use gongkai_store::application::{NewApplication, NewAttachment};
use gongkai_store::organ::Organ;
use gongkai_store::{Actor, OrganScope};
use minijinja::context;
use rand::RngCore;

use form::{ApplyInput, Errors, ID_PROOF, RawForm};
use guard::{Guards, RECEIPT_COOKIE, RECEIPT_SECONDS, Receipt};

use super::{Upload, WebMultipart};
use crate::site::{Column, PageRequest, ser};
use crate::throttle::ClientAddr;
use crate::{AppState, WebError, cookies};

/// The column 依申请公开, inside the 政府信息公开专栏.
pub const APPLY: Column = Column {
    path: "/zwgk/ysqgk",
    name: "依申请公开",
    description: "向本机关申请获取政府信息：申请须知、在线申请、办理进度和告知书查询",
    keywords: "依申请公开,政府信息公开申请,在线申请,申请查询",
    kind: "信息公开，依申请公开",
};

/// The application form.
pub const FORM_PATH: &str = "/zwgk/ysqgk/shenqing";
/// The receipt shown once after a submission.
pub const RECEIPT_PATH: &str = "/zwgk/ysqgk/huizhi";
/// The tracking page.
pub const TRACK_PATH: &str = "/zwgk/ysqgk/chaxun";
/// A notice of a tracked application (POST, with the number and code again).
pub const DOCUMENT_PATH: &str = "/zwgk/ysqgk/chaxun/wenshu";
/// The column's stylesheet (the site's CSP allows no inline style).
pub const STYLESHEET_PATH: &str = "/static/apply.css";

/// The column's pages for the 网站地图 and sitemap.xml: path and title.
pub const PAGES: [(&str, &str); 3] = [
    (APPLY.path, "依申请公开"),
    (FORM_PATH, "在线申请政府信息公开"),
    (TRACK_PATH, "政府信息公开申请查询"),
];

/// The form's body limit: a 5 MB scan and the text fields, with room for the encoding.
const FORM_BODY_LIMIT: usize = 6 * 1024 * 1024;

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "apply/index.html",
        include_str!("../../../templates/apply/index.html"),
    ),
    (
        "apply/form.html",
        include_str!("../../../templates/apply/form.html"),
    ),
    (
        "apply/receipt.html",
        include_str!("../../../templates/apply/receipt.html"),
    ),
    (
        "apply/track.html",
        include_str!("../../../templates/apply/track.html"),
    ),
    (
        "apply/status.html",
        include_str!("../../../templates/apply/status.html"),
    ),
    (
        "apply/document.html",
        include_str!("../../../templates/apply/document.html"),
    ),
];

const STYLESHEET: &str = include_str!("../../../templates/apply/apply.css");

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    let guards = Arc::new(Guards::default());
    Router::new()
        .route(APPLY.path, get(index))
        .route(
            FORM_PATH,
            get(form_page)
                .post(submit)
                .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT)),
        )
        .route(RECEIPT_PATH, get(receipt))
        .route(TRACK_PATH, get(track::form).post(track::lookup))
        .route(DOCUMENT_PATH, post(track::document))
        .route(STYLESHEET_PATH, get(stylesheet))
        .layer(Extension(guards))
}

/// A page that must not be kept by the browser or a proxy: it shows an applicant's data or
/// code.
fn private(status: StatusCode, html: Html<String>) -> Response {
    let mut response = (status, html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The name the 工作机构 goes by.
fn office_name(organ: &Organ) -> String {
    let s = &organ.settings;
    if s.office_name.trim().is_empty() {
        format!("{}政府信息公开工作机构", s.name)
    } else {
        s.office_name.trim().to_owned()
    }
}

/// The channels the organ accepts, each with how its receipt date is fixed (art. 31): the
/// online form always; in person, by post, fax and e-mail where the organ has published the
/// address or number.
fn channels(organ: &Organ) -> Vec<(String, String)> {
    let s = &organ.settings;
    let office = office_name(organ);
    let mut list = vec![(
        "网上申请".to_owned(),
        format!(
            "通过本栏目“在线申请”提交；提交成功即为双方确认，以确认之日为收到申请之日（{}）。",
            Channel::Online.basis()
        ),
    )];
    let address = s.office_address.trim();
    if !address.is_empty() {
        let hours = match s.office_hours.trim() {
            "" => String::new(),
            h => format!("，办公时间：{h}"),
        };
        list.push((
            "当面提交".to_owned(),
            format!(
                "到{office}（{address}）提交书面申请{hours}；以提交之日为收到申请之日（{}）。",
                Channel::InPerson.basis()
            ),
        ));
        let postcode = match s.office_postcode.trim() {
            "" => String::new(),
            p => format!("，邮编 {p}"),
        };
        list.push((
            "邮寄".to_owned(),
            format!(
                "寄至{address}{postcode}，收件人：{office}，请在信封上注明“政府信息公开申请”；\
                 以本机关签收之日为收到申请之日（{}）。",
                Channel::Post.basis()
            ),
        ));
    }
    for (title, value, channel) in [
        ("传真", s.office_fax.trim(), Channel::Fax),
        ("电子邮件", s.office_email.trim(), Channel::Email),
    ] {
        if !value.is_empty() {
            list.push((
                title.to_owned(),
                format!(
                    "发送至 {value}；以双方确认之日为收到申请之日（{}）。",
                    channel.basis()
                ),
            ));
        }
    }
    list
}

/// `GET /zwgk/ysqgk`: the rules of applying, the accepted channels and the links to the form
/// and the tracking page.
pub async fn index(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let organ = state.portal_organ().await?;
    let page = context! {
        organ_name => organ.as_ref().map(|o| o.settings.name.clone()),
        office => organ.as_ref().map(office_name),
        channels => ser(organ.as_ref().map(channels).unwrap_or_default()),
        form_path => FORM_PATH,
        track_path => TRACK_PATH,
    };
    state
        .render(&request, "apply/index.html", APPLY.name, Some(&APPLY), page)
        .await
}

/// Renders the form with `input`'s values and `errors`.
async fn render_form(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    input: &ApplyInput,
    errors: &Errors,
    file_note: Option<&str>,
) -> Result<Response, WebError> {
    let organ = state.portal_organ().await?;
    let page = context! {
        organ_name => organ.as_ref().map(|o| o.settings.name.clone()),
        sections => ser(form::sections(input, errors, file_note)),
        errors => ser(form::summary(errors)),
        pledge => input.pledge,
        pledge_error => errors.get("pledge"),
        action => FORM_PATH,
        honeypot => form::HONEYPOT,
        index_path => APPLY.path,
    };
    let html = state
        .render(request, "apply/form.html", "在线申请", Some(&APPLY), page)
        .await?;
    Ok(private(status, html))
}

/// `GET /zwgk/ysqgk/shenqing`: the empty form (a citizen with a 身份证 preselected).
pub async fn form_page(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let input = ApplyInput::from_pairs(&[
        ("kind".to_owned(), form::PERSON.to_owned()),
        ("id_type".to_owned(), "resident_id".to_owned()),
    ]);
    render_form(
        &state,
        &request,
        StatusCode::OK,
        &input,
        &Errors::new(),
        None,
    )
    .await
}

/// Said at the file field when the form comes back: a browser cannot be handed a file again.
const CHOOSE_AGAIN: &str = "表单中其他内容需要修改，已选择的文件未保存，请重新选择要上传的文件。";

/// The refusal when an address submits too often.
fn too_many_submissions() -> WebError {
    WebError::Busy(format!(
        "提交过于频繁：同一网络地址{}分钟内最多提交{}份申请，请稍后再试。",
        guard::WINDOW_SECONDS / 60,
        guard::SUBMISSIONS
    ))
}

/// `POST /zwgk/ysqgk/shenqing`: checks the whole form, then registers the application with
/// its sealed 身份证明 and goes to the receipt (303). A wrong form comes back (422) with
/// every typed value and a sentence at each wrong field; nothing is saved.
pub async fn submit(
    State(state): State<AppState>,
    Extension(guards): Extension<Arc<Guards>>,
    ClientAddr(client): ClientAddr,
    request: PageRequest,
    multipart: WebMultipart<RawForm>,
) -> Result<Response, WebError> {
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let now = state.now();
    let today = state.today();
    let input = ApplyInput::from_pairs(&multipart.form.0);
    if input.is_robot() {
        // The same answer as a person gets, so the robot learns nothing; it still counts.
        if !guards.submissions.allow(&client, now) {
            return Err(too_many_submissions());
        }
        tracing::info!("application form: honeypot filled, nothing saved");
        return Ok(to_receipt(&state, &decoy(today), now));
    }
    let upload = multipart.uploads.iter().find(|u| u.field == ID_PROOF);
    let refused = multipart.problems.iter().find(|p| p.field == ID_PROOF);
    let checked = form::check(&input, today);
    let (applicant, request_info) = match (checked, refused) {
        (Ok(ok), None) => ok,
        (checked, refused) => {
            let mut errors = checked.err().unwrap_or_default();
            if let Some(problem) = refused {
                errors.insert(ID_PROOF, problem.message.to_owned());
            }
            let note = upload.is_some().then_some(CHOOSE_AGAIN);
            return render_form(
                &state,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                &input,
                &errors,
                note,
            )
            .await;
        }
    };
    if !guards.submissions.allow(&client, now) {
        return Err(too_many_submissions());
    }
    let code = guard::new_code();
    let new = NewApplication {
        applicant,
        request: request_info,
        channel: Channel::Online,
        received: today,
        query_code: Some(code.clone()),
        attachments: upload.map(|u| sealed(&state, u)).into_iter().collect(),
    };
    // The portal acts for the organ the applicant writes to: no staff member is involved
    // until the case is assigned.
    let application = state
        .store
        .create_application(
            &Actor::system("portal"),
            OrganScope::system(organ.id),
            now,
            &new,
        )
        .await?;
    let receipt = Receipt {
        number: application.number,
        code,
        received: today,
    };
    Ok(to_receipt(&state, &receipt, now))
}

/// The 身份证明 scan, sealed for the store.
fn sealed(state: &AppState, upload: &Upload) -> NewAttachment {
    let (nonce, ciphertext) = state.data_key.seal(ID_PROOF, &upload.bytes);
    NewAttachment {
        purpose: ID_PROOF.to_owned(),
        file_name: upload.file_name.clone(),
        content_type: upload.content_type.to_owned(),
        size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
        nonce,
        ciphertext,
    }
}

/// A receipt for a robot: a number of the usual form, a fresh code, nothing behind them.
fn decoy(today: time::Date) -> Receipt {
    let mut bytes = [0u8; 2];
    rand::rng().fill_bytes(&mut bytes);
    let seq = u16::from_le_bytes(bytes) % 9999 + 1;
    Receipt {
        number: format!("YSQ-{}-{seq:04}", today.year()),
        code: guard::new_code(),
        received: today,
    }
}

/// The receipt cookie's `Set-Cookie` value ([`guard::receipt_cookie`]).
fn receipt_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    guard::receipt_cookie(
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
    guard::to_receipt_page(RECEIPT_PATH, cookie)
}

/// `GET /zwgk/ysqgk/huizhi`: the receipt, shown once: the cookie is removed as it is shown.
/// Without a valid cookie (shown already, expired), a page that says how to go on (410).
pub async fn receipt(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: PageRequest,
) -> Result<Response, WebError> {
    let now = state.now();
    let receipt = cookies::get(&headers, RECEIPT_COOKIE)
        .and_then(|value| Receipt::open(&state.data_key, &value, now));
    let organ = state.portal_organ().await?;
    let status = if receipt.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let page = context! {
        receipt => receipt.as_ref().map(|r| context! {
            number => r.number.clone(),
            code => r.code.clone(),
            received => format_date(r.received),
        }),
        organ_name => organ.as_ref().map(|o| o.settings.name.clone()),
        office => organ.as_ref().map(office_name),
        basis => Channel::Online.basis(),
        track_path => TRACK_PATH,
        index_path => APPLY.path,
    };
    let html = state
        .render(
            &request,
            "apply/receipt.html",
            "申请回执",
            Some(&APPLY),
            page,
        )
        .await?;
    let mut response = private(status, html);
    if let Ok(clear) = HeaderValue::from_str(&receipt_cookie(&state, "", 0)) {
        response.headers_mut().insert(header::SET_COOKIE, clear);
    }
    Ok(response)
}

/// `GET /static/apply.css`.
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
