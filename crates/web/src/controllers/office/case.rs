//! The case page (`…/applications/{id}`): the applicant (in full only for the case roles), the
//! request, the status and due date with every line of its explanation (暂定 included), the
//! ledger, the files, the notices, and one small form per step the viewer may take now
//! (`workflow::available`). Also the download of a sealed file.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::format_date;
use gongkai_core::clock::{Event, Party};
use gongkai_core::format::{APPLICATION_ROWS_2021, Template};
use gongkai_core::outcome::OUTCOMES;
use gongkai_store::application::Application;
use gongkai_store::ledger::{Happening, LedgerEvent, Record};
use gongkai_store::notice::StoredNotice;
use gongkai_store::workflow::{self, Action};
use gongkai_store::{Permission, UserId};
use minijinja::{Value, context};
use serde::Deserialize;

use super::notices::{self, DraftForm};
use super::steps::{DELIVERY_METHODS, StepForm, handlers};
use super::{DELIVERY, Desk, FORMS, ID_TYPES, label_of};
use crate::cases::{CaseView, applicant_kind_label};
use crate::controllers::{WebPath, WebQuery};
use crate::site::{PageRequest, format_time, ser};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// A refused step or notice draft: the form it belongs to, why, the status, what was typed.
pub(super) struct Refusal {
    /// `step:<action key>` or `notice:<kind key>`.
    pub form: String,
    /// The Chinese sentence.
    pub message: String,
    /// 403, 409 or 422.
    pub status: StatusCode,
    /// The step's typed values (kept in its form).
    pub step: Option<StepForm>,
    /// The draft's typed values.
    pub draft: Option<DraftForm>,
}

impl Refusal {
    /// A refused step.
    pub fn step(action: Action, status: StatusCode, message: String, form: StepForm) -> Refusal {
        Refusal {
            form: format!("step:{}", action.key()),
            message,
            status,
            step: Some(form),
            draft: None,
        }
    }

    /// A refused notice draft.
    pub fn draft(kind: &str, status: StatusCode, message: String, form: DraftForm) -> Refusal {
        Refusal {
            form: format!("notice:{kind}"),
            message,
            status,
            step: None,
            draft: Some(form),
        }
    }
}

fn party_label(party: Party) -> &'static str {
    match party {
        Party::ThirdParty => "第三方",
        Party::OtherOrgan => "其他机关",
    }
}

fn notice_label(notices: &[StoredNotice], id: i64) -> String {
    notices
        .iter()
        .find(|n| n.id == id)
        .map_or(format!("告知书 #{id}"), |n| {
            format!("{}（{}）", n.title, n.number)
        })
}

/// What an event says beyond its name.
fn detail(event: &LedgerEvent, notices: &[StoredNotice]) -> String {
    let day = |d: Option<time::Date>| d.map_or("—".to_owned(), format_date);
    match &event.what {
        Happening::Clock(e) => match e {
            Event::Received { channel } => format!("{}（{}）", channel.label(), channel.basis()),
            Event::CorrectionRequested { deadline } => format!(
                "补正期限 {}；补正事项：{}",
                day(*deadline),
                event.items.join("；")
            ),
            Event::ConsultationStarted { party, name }
            | Event::ConsultationAnswered { party, name } => {
                format!("{}：{name}", party_label(*party))
            }
            Event::ExtensionApproved { days, approver } => format!(
                "延长 {days} 个工作日{}",
                approver
                    .as_ref()
                    .map(|a| format!("（批准人：{a}）"))
                    .unwrap_or_default()
            ),
            Event::FeeNoticeSent { yuan, delivered } => format!(
                "{} 元{}",
                yuan.map_or("—".to_owned(), |y| y.to_string()),
                delivered
                    .map(|d| format!("；申请人于 {} 收到", format_date(d)))
                    .unwrap_or_default()
            ),
            Event::Replied { outcome } => format!("{}（{}）", outcome.label(), outcome.basis()),
            Event::CorrectionReceived
            | Event::CorrectionLapsed
            | Event::FeePaid
            | Event::FeeLapsed => String::new(),
        },
        Happening::Record(r) => match r {
            Record::Assigned { to_name, .. } => format!("承办人：{to_name}"),
            Record::ExtensionRequested { days, .. } => format!("申请延长 {days} 个工作日"),
            Record::ExtensionRefused { .. } => String::new(),
            Record::NoticeDelivered { notice_id, method } => {
                format!("{}，{method}", notice_label(notices, *notice_id))
            }
            Record::CalendarRecomputed {
                year,
                before,
                after,
            } => format!(
                "录入 {year} 年节假日安排后，答复期限由 {} 改为 {}",
                day(*before),
                day(*after)
            ),
        },
    }
}

fn ledger(application: &Application, notices: &[StoredNotice]) -> Vec<Value> {
    application
        .events
        .iter()
        .map(|e| {
            context! {
                date => format_date(e.event.date),
                name => e.event.what.name(),
                detail => detail(&e.event, notices),
                note => e.event.note.clone(),
                actor => e.actor_name.clone(),
                recorded => format_time(e.recorded_at),
            }
        })
        .collect()
}

/// The applicant as this viewer may see them: in full for the case roles, else masked.
fn applicant(application: &Application, full: bool) -> Value {
    let a = &application.applicant;
    let common = context! {
        kind => applicant_kind_label(&a.kind),
        id_type => label_of(&ID_TYPES, &a.id_type),
        full => full,
    };
    if !full {
        return context! {
            name => a.masked_name(),
            id_number => a.masked_id(),
            ..common
        };
    }
    context! {
        name => a.name.clone(),
        id_number => a.id_number.clone(),
        work_unit => a.work_unit.clone(),
        legal_representative => a.legal_representative.clone(),
        contact_person => a.contact_person.clone(),
        phone => a.phone.clone(),
        email => a.email.clone(),
        address => a.address.clone(),
        postcode => a.postcode.clone(),
        fax => a.fax.clone(),
        ..common
    }
}

fn sought(application: &Application) -> Value {
    let r = &application.request;
    let labels = |keys: &[String], table: &[(&str, &str)]| {
        keys.iter()
            .map(|k| label_of(table, k).to_owned())
            .collect::<Vec<_>>()
            .join("、")
    };
    context! {
        title => r.title.clone(),
        doc_number => r.doc_number.clone(),
        description => r.description.clone(),
        forms => labels(&r.forms, &FORMS),
        delivery => labels(&r.delivery, &DELIVERY),
        accept_other_form => r.accept_other_form,
    }
}

/// The outcomes for the reply's select, grouped by their 表三 row (2021 template).
fn outcome_groups() -> Vec<Value> {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for spec in OUTCOMES {
        let row = spec.outcome.row(Template::Y2021);
        let group =
            APPLICATION_ROWS_2021
                .iter()
                .find(|r| r.row == row)
                .map_or(String::new(), |r| match r.group {
                    Some(group) => format!("{group} {}", r.label),
                    None => r.label.to_owned(),
                });
        let option =
            context! { key => spec.key, label => format!("{}（{}）", spec.label, spec.basis) };
        match groups.last_mut() {
            Some((g, options)) if *g == group => options.push(option),
            _ => groups.push((group, vec![option])),
        }
    }
    groups
        .into_iter()
        .map(|(label, options)| context! { label => label, options => options })
        .collect()
}

/// Open consultations (started, not answered), in order.
fn open_consultations(application: &Application) -> Vec<(Party, String)> {
    let mut open: Vec<(Party, String)> = Vec::new();
    for e in application.clock_events() {
        match e.event {
            Event::ConsultationStarted { party, name } => open.push((party, name)),
            Event::ConsultationAnswered { party, name } => {
                if let Some(i) = open.iter().position(|(p, n)| *p == party && *n == name) {
                    open.remove(i);
                }
            }
            _ => {}
        }
    }
    open
}

/// The default values of a step's form.
fn step_defaults(
    action: Action,
    application: &Application,
    today: &str,
    correction_deadline: &str,
) -> StepForm {
    let mut form = StepForm {
        date: today.to_owned(),
        ..StepForm::default()
    };
    match action {
        Action::RequestCorrection => form.deadline = correction_deadline.to_owned(),
        Action::RequestExtension | Action::ApproveExtension => {
            form.days = application
                .extension_request()
                .map_or(20, |(days, _)| days)
                .to_string();
        }
        Action::StartConsultation => form.party = Party::ThirdParty.key().into(),
        Action::AnswerConsultation => {
            if let Some((party, name)) = open_consultations(application).into_iter().next() {
                form.party = party.key().into();
                form.name = name;
            }
        }
        Action::SendFeeNotice => form.basis = "per_page".into(),
        Action::RecordDelivery => form.method = DELIVERY_METHODS[0].into(),
        _ => {}
    }
    form
}

/// The forms of the steps the viewer may take now.
fn steps(
    view: &CaseView,
    desk: &Desk,
    refusal: Option<&Refusal>,
    today: &str,
    correction_deadline: &str,
) -> Vec<Value> {
    let Some(state) = view.state else {
        return Vec::new();
    };
    let mut actions = workflow::available(state, &desk.roles);
    // A refused step keeps its form on the page, with the reason, even if it is not offered.
    if let Some(r) = refusal
        && let Some(key) = r.form.strip_prefix("step:")
        && let Some(action) = Action::from_key(key)
        && !actions.contains(&action)
    {
        actions.push(action);
    }
    actions
        .into_iter()
        .map(|action| {
            let mine = refusal.filter(|r| r.form == format!("step:{}", action.key()));
            let values = mine.and_then(|r| r.step.clone()).unwrap_or_else(|| {
                step_defaults(action, &view.application, today, correction_deadline)
            });
            context! {
                key => action.key(),
                label => action.label(),
                error => mine.map(|r| r.message.clone()),
                v => ser(values),
            }
        })
        .collect()
}

fn files(attachments: &[gongkai_store::application::Attachment], base: &str) -> Vec<Value> {
    attachments
        .iter()
        .map(|f| {
            context! {
                name => f.file_name.clone(),
                purpose => if f.purpose == "letter" { "申请书扫描件" } else { "身份证明" },
                size => format!("{:.1} KB", f.size as f64 / 1024.0),
                path => format!("{base}/files/{}", f.id),
            }
        })
        .collect()
}

/// Renders the case page, with a refused step or draft at its form.
pub(super) async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    application: Application,
    refusal: Option<Refusal>,
    done: Option<&'static str>,
) -> Result<Response, WebError> {
    let cal = state.calendar().await?;
    let today = state.today();
    let full = desk.can(Permission::HandleCases);
    let stored = state.store.notices(desk.scope, application.id).await?;
    let attachments = state.store.attachments(desk.scope, application.id).await?;
    let names = super::queue::staff_names(state, desk.scope).await?;
    let view = CaseView::new(application, &cal, state.clock_config, today);
    let a = &view.application;
    let base = desk.case_path(a.id);
    let today_text = format_date(today);
    let correction_deadline = cal.add(today, 10).map_or(today, |c| c.value);
    let step_forms = if full {
        steps(
            &view,
            desk,
            refusal.as_ref(),
            &today_text,
            &format_date(correction_deadline),
        )
    } else {
        Vec::new()
    };
    let handler_choices = sorted_choices(&handlers(state, desk).await?);
    let drafts = if full {
        notices::draft_forms(&view, refusal.as_ref())
    } else {
        Vec::new()
    };
    let notice_rows: Vec<Value> = stored
        .iter()
        .map(|n| {
            context! {
                id => n.id,
                title => n.title.clone(),
                number => n.number.clone(),
                date => n.date.clone(),
                issued => n.issued,
                path => format!("{base}/notices/{}", n.id),
            }
        })
        .collect();
    let issued: Vec<Value> = stored
        .iter()
        .filter(|n| n.issued)
        .map(|n| context! { id => n.id, label => format!("{}（{}）", n.title, n.number) })
        .collect();
    let received = a.received();
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        base => base.clone(),
        full => full,
        case => context! {
            number => a.number.clone(),
            received => received.map(|(d, _)| format_date(d)),
            channel => received.map(|(_, c)| format!("{}（{}）", c.label(), c.basis())),
            status => view.status_label(),
            due => view.due_label(),
            days => view.days_label(),
            overdue => view.overdue(),
            due_soon => view.due_soon(),
            provisional => view.provisional(),
            explanation => view.explanation(),
            assignee => a.assignee_id.and_then(|id| names.get(&id).cloned()),
            trackable => a.trackable,
            outcome => view.outcome().map(|o| o.label()),
        },
        applicant => applicant(a, full),
        request => sought(a),
        ledger => ledger(a, &stored),
        files => files(&attachments, &base),
        notices => notice_rows,
        steps => step_forms,
        drafts => drafts,
        outcome_groups => outcome_groups(),
        handlers => handler_choices,
        issued => issued,
        methods => DELIVERY_METHODS,
        refusal => refusal.as_ref().map(|r| context! { form => r.form.clone(), message => r.message.clone() }),
        today => today_text,
        done => done,
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let title = format!("申请 {}", a.number);
    let html = state
        .render(request, "console/office/case.html", &title, None, page)
        .await?;
    Ok((status, html).into_response())
}

fn sorted_choices(handlers: &HashMap<UserId, String>) -> Vec<Value> {
    let mut list: Vec<(&UserId, &String)> = handlers.iter().collect();
    list.sort();
    list.into_iter()
        .map(|(id, name)| context! { id => id, name => name })
        .collect()
}

/// The confirmation after a step.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CaseQuery {
    done: String,
}

impl Bounded for CaseQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("done", "已完成", 40)];
}

/// `GET /console/organs/{organ_id}/applications/{id}`.
pub async fn page(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_id)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<CaseQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (desk, application) =
        Desk::open_case(&state, &request, &raw_organ, &raw_id, Permission::ViewCases).await?;
    let done = Action::from_key(&query.done).map(Action::label);
    render(&state, &request, &desk, application, None, done).await
}

/// `GET /console/organs/{organ_id}/applications/{id}/files/{file_id}`: a sealed file, opened,
/// for the case roles only.
pub async fn download(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_id, raw_file)): WebPath<(String, String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (desk, application) = Desk::open_case(
        &state,
        &request,
        &raw_organ,
        &raw_id,
        Permission::HandleCases,
    )
    .await?;
    let file_id: i64 = super::path_id(&raw_file)?;
    let file = state
        .store
        .attachments(desk.scope, application.id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(WebError::NotFound)?;
    let bytes = state
        .data_key
        .open(&file.purpose, &file.nonce, &file.ciphertext)
        .ok_or_else(|| WebError::Internal(format!("attachment {file_id} does not open")))?;
    let extension = match file.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        _ => "png",
    };
    let disposition = notices::attachment_disposition(
        &format!("{}-{file_id}.{extension}", application.number),
        &file.file_name,
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
