//! Intake (`…/applications/new`): staff register an application that came in person, by post,
//! by letter, fax, e-mail or online (条例 art. 31 fixes the receipt date by channel), with the
//! applicant (art. 29 (一)), what is sought (art. 29 (二)), the forms asked for (art. 29 (三)),
//! and an optional scan of the letter, sealed before it reaches the database.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::format_date;
use gongkai_core::clock::Channel;
use gongkai_core::format::{APPLICANT_COLUMNS, APPLICANT_TOTAL};
use gongkai_core::identity;
use gongkai_store::Permission;
use gongkai_store::application::{Applicant, NewApplication, NewAttachment, Request as Sought};
use minijinja::{Value, context};
use rand::Rng;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use super::{DELIVERY, Desk, FORMS, ID_TYPES, parse_day, see_other, staff_of};
use crate::controllers::{Upload, WebForm, WebMultipart, WebPath};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The day the 2019 条例 came into force: deadlines before it followed the 2007 text.
const IN_FORCE: Date = date!(2019 - 05 - 15);

/// The intake form. Checkboxes of 载体形式 and 获取方式 are named `form_<key>` and
/// `delivery_<key>` and land in `choices`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct IntakeForm {
    #[serde(skip_serializing)]
    csrf: String,
    channel: String,
    received: String,
    kind: String,
    name: String,
    id_type: String,
    id_number: String,
    work_unit: String,
    legal_representative: String,
    contact_person: String,
    phone: String,
    email: String,
    address: String,
    postcode: String,
    fax: String,
    title: String,
    doc_number: String,
    description: String,
    accept_other_form: String,
    query_code: String,
    #[serde(flatten)]
    choices: BTreeMap<String, String>,
}

impl Bounded for IntakeForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("channel", "提交方式", 20),
        Bound::line("received", "收到申请日期", 20),
        Bound::line("kind", "申请人类型", 20),
        Bound::line("name", "姓名或名称", 100),
        Bound::line("id_type", "证件类型", 20),
        Bound::line("id_number", "证件号码", 40),
        Bound::line("work_unit", "工作单位", 100),
        Bound::line("legal_representative", "法定代表人", 50),
        Bound::line("contact_person", "联系人", 50),
        Bound::line("phone", "联系电话", 50),
        Bound::line("email", "电子邮箱", 254),
        Bound::line("address", "通信地址", 200),
        Bound::line("postcode", "邮政编码", 10),
        Bound::line("fax", "传真", 50),
        Bound::line("title", "信息名称", 200),
        Bound::line("doc_number", "文号", 100),
        Bound::lines("description", "特征性描述", 2000),
        Bound::line("accept_other_form", "同意以其他形式提供", 10),
        Bound::line("query_code", "生成查询码", 10),
        Bound::line("form_paper", "纸质", 10),
        Bound::line("form_electronic", "电子文档", 10),
        Bound::line("form_disc", "光盘", 10),
        Bound::line("form_usb", "U盘或其他", 10),
        Bound::line("delivery_pickup", "自行领取", 10),
        Bound::line("delivery_onsite", "当场查阅、抄录", 10),
        Bound::line("delivery_post", "邮寄", 10),
        Bound::line("delivery_email", "电子邮件", 10),
        Bound::line("delivery_fax", "传真", 10),
        Bound::line("delivery_online", "网上获取", 10),
    ];
}

impl IntakeForm {
    fn checked(&self, prefix: &str, key: &str) -> bool {
        self.choices
            .get(&format!("{prefix}_{key}"))
            .is_some_and(|v| !v.is_empty())
    }

    fn chosen(&self, prefix: &str, table: &[(&str, &str)]) -> Vec<String> {
        table
            .iter()
            .filter(|(k, _)| self.checked(prefix, k))
            .map(|(k, _)| (*k).to_owned())
            .collect()
    }
}

type Errors = BTreeMap<&'static str, String>;

/// The 证件号码 as kept: checked and normalised for the two numbers with a check character.
fn id_number(form: &IntakeForm, today: Date, errors: &mut Errors) -> String {
    let text = form.id_number.trim();
    if text.is_empty() {
        // Art. 29 asks for 身份证明; its absence is a ground for 补正, not for refusing intake.
        return String::new();
    }
    match form.id_type.as_str() {
        "resident_id" => match identity::resident_id(text, today) {
            Ok(id) => id.as_str().to_owned(),
            Err(e) => {
                errors.insert("id_number", format!("{}。", e.message()));
                text.to_owned()
            }
        },
        "credit_code" => match identity::credit_code(text) {
            Ok(code) => code.as_str().to_owned(),
            Err(e) => {
                errors.insert("id_number", format!("{}。", e.message()));
                text.to_owned()
            }
        },
        _ => text.to_owned(),
    }
}

fn applicant(form: &IntakeForm, today: Date, errors: &mut Errors) -> Applicant {
    let t = |s: &str| s.trim().to_owned();
    let kinds = &APPLICANT_COLUMNS[..APPLICANT_TOTAL];
    if !kinds.iter().any(|c| c.key == form.kind) {
        errors.insert("kind", "请选择申请人类型。".into());
    }
    if form.name.trim().is_empty() {
        errors.insert(
            "name",
            "请填写申请人姓名或者名称（第二十九条第二款第（一）项）。".into(),
        );
    }
    if !ID_TYPES.iter().any(|(k, _)| *k == form.id_type) {
        errors.insert("id_type", "请选择证件类型。".into());
    }
    let id_number = id_number(form, today, errors);
    let contacts = [&form.phone, &form.email, &form.address, &form.fax];
    if contacts.iter().all(|c| c.trim().is_empty()) {
        errors.insert(
            "phone",
            "请至少填写一种联系方式（第二十九条第二款第（一）项），以便告知补正或送达答复。".into(),
        );
    }
    if !form.email.trim().is_empty() && !form.email.contains('@') {
        errors.insert("email", "电子邮箱格式不正确。".into());
    }
    if !form.postcode.trim().is_empty() && crate::validate::postcode(form.postcode.trim()).is_err()
    {
        errors.insert("postcode", "邮政编码应为6位数字。".into());
    }
    Applicant {
        kind: form.kind.clone(),
        name: t(&form.name),
        id_type: form.id_type.clone(),
        id_number,
        work_unit: t(&form.work_unit),
        legal_representative: t(&form.legal_representative),
        contact_person: t(&form.contact_person),
        phone: t(&form.phone),
        email: t(&form.email),
        address: t(&form.address),
        postcode: t(&form.postcode),
        fax: t(&form.fax),
    }
}

fn sought(form: &IntakeForm, errors: &mut Errors) -> Sought {
    let request = Sought {
        title: form.title.trim().to_owned(),
        doc_number: form.doc_number.trim().to_owned(),
        description: form.description.replace("\r\n", "\n").trim().to_owned(),
        forms: form.chosen("form", &FORMS),
        delivery: form.chosen("delivery", &DELIVERY),
        accept_other_form: !form.accept_other_form.is_empty(),
    };
    if request.summary().is_empty() {
        errors.insert(
            "title",
            "请填写所需信息的名称、文号或者便于查询的其他特征性描述，至少一项（第二十九条第二款第（二）项）。"
                .into(),
        );
    }
    request
}

/// The channel and receipt date: the day of art. 31 for the channel, never in the future.
fn receipt(form: &IntakeForm, today: Date, errors: &mut Errors) -> Option<(Channel, Date)> {
    let channel = Channel::from_key(&form.channel);
    if channel.is_none() {
        errors.insert("channel", "请选择申请的提交方式。".into());
    }
    let received = parse_day(&form.received);
    match received {
        None => {
            errors.insert("received", "请填写收到申请日期，格式为 YYYY-MM-DD。".into());
        }
        Some(d) if d > today => {
            errors.insert(
                "received",
                format!(
                    "收到申请日期 {} 晚于今天（{}），请核对。",
                    format_date(d),
                    format_date(today)
                ),
            );
        }
        Some(d) if d < IN_FORCE => {
            errors.insert(
                "received",
                "本系统按 2019 年修订的《条例》（2019年5月15日起施行）计算期限，不能登记此前收到的申请。"
                    .into(),
            );
        }
        Some(_) => {}
    }
    channel.zip(received)
}

/// The scanned letter, sealed; a refused file is an error at its field.
fn letter(
    state: &AppState,
    uploads: &[Upload],
    problems: &[crate::controllers::UploadProblem],
    errors: &mut Errors,
) -> Vec<NewAttachment> {
    if let Some(p) = problems.iter().find(|p| p.field == "letter") {
        errors.insert("letter", p.message.to_owned());
    }
    uploads
        .iter()
        .filter(|u| u.field == "letter")
        .take(1)
        .map(|u| {
            let (nonce, ciphertext) = state.data_key.seal("letter", &u.bytes);
            NewAttachment {
                purpose: "letter".into(),
                file_name: u.file_name.clone(),
                content_type: u.content_type.to_owned(),
                size: i64::try_from(u.bytes.len()).unwrap_or(i64::MAX),
                nonce,
                ciphertext,
            }
        })
        .collect()
}

/// A new 查询码: 10 characters without look-alikes (0/O, 1/I/L), shown once.
fn new_query_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

fn options(table: &[(&str, &str)], form: &IntakeForm, prefix: &str) -> Vec<Value> {
    table
        .iter()
        .map(|(k, l)| context! { name => format!("{prefix}_{k}"), label => *l, checked => form.checked(prefix, k) })
        .collect()
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    status: StatusCode,
    form: &IntakeForm,
    errors: &Errors,
) -> Result<Response, WebError> {
    let channels: Vec<Value> = Channel::ALL
        .iter()
        .map(|c| context! { key => c.key(), label => c.label(), basis => c.basis() })
        .collect();
    let kinds: Vec<Value> = APPLICANT_COLUMNS[..APPLICANT_TOTAL]
        .iter()
        .map(|c| context! { key => c.key, label => c.label })
        .collect();
    let id_types: Vec<Value> = ID_TYPES
        .iter()
        .map(|(k, l)| context! { key => *k, label => *l })
        .collect();
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        form => crate::site::ser(form),
        errors => if errors.is_empty() { Value::from(()) } else { crate::site::ser(errors) },
        channels => channels,
        kinds => kinds,
        id_types => id_types,
        forms => options(&FORMS, form, "form"),
        delivery => options(&DELIVERY, form, "delivery"),
        today => format_date(state.today()),
    };
    let html = state
        .render(
            request,
            "console/office/intake.html",
            "登记申请",
            None,
            page,
        )
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/applications/new`.
pub async fn form(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::HandleCases).await?;
    let form = IntakeForm {
        channel: Channel::InPerson.key().into(),
        received: format_date(state.today()),
        kind: "natural_person".into(),
        id_type: "resident_id".into(),
        ..IntakeForm::default()
    };
    render(
        &state,
        &request,
        &desk,
        StatusCode::OK,
        &form,
        &Errors::new(),
    )
    .await
}

/// The form as sent: `multipart/form-data` from the page (it may carry the scan), or a plain
/// url-encoded form without a file.
async fn read_form(state: &AppState, body: Request) -> Result<WebMultipart<IntakeForm>, WebError> {
    let urlencoded = body
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if urlencoded {
        let WebForm(form) = WebForm::<IntakeForm>::from_request(body, state).await?;
        Ok(WebMultipart {
            form,
            uploads: Vec::new(),
            problems: Vec::new(),
        })
    } else {
        WebMultipart::<IntakeForm>::from_request(body, state).await
    }
}

/// `POST /console/organs/{organ_id}/applications/new`: registers the application and shows
/// its case page (303), or, when a 查询码 was asked for, a page with the code, shown once (201).
pub async fn submit(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    body: Request,
) -> Result<Response, WebError> {
    // Log-in first: the body is read only for a staff member.
    let staff = staff_of(&request)?;
    let sent = read_form(&state, body).await?;
    staff.check_csrf(&state, &sent.form.csrf)?;
    let desk = Desk::open(&state, &request, &raw, Permission::HandleCases).await?;
    let form = sent.form;
    let today = state.today();
    let mut errors = Errors::new();
    let receipt = receipt(&form, today, &mut errors);
    let applicant = applicant(&form, today, &mut errors);
    let request_sought = sought(&form, &mut errors);
    let attachments = letter(&state, &sent.uploads, &sent.problems, &mut errors);
    let (Some((channel, received)), true) = (receipt, errors.is_empty()) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&state, &request, &desk, status, &form, &errors).await;
    };
    let code = (!form.query_code.is_empty()).then(new_query_code);
    let new = NewApplication {
        applicant,
        request: request_sought,
        channel,
        received,
        query_code: code.clone(),
        attachments,
    };
    let application = state
        .store
        .create_application(&desk.staff.actor(), desk.scope, state.now(), &new)
        .await?;
    let path = desk.case_path(application.id);
    let Some(code) = code else {
        return Ok(see_other(path));
    };
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        number => application.number,
        code => code,
        case_path => path,
    };
    let html = state
        .render(
            &request,
            "console/office/intake_done.html",
            "已登记",
            None,
            page,
        )
        .await?;
    Ok((StatusCode::CREATED, html).into_response())
}
