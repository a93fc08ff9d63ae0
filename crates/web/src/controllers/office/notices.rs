//! The notices (告知书) of a case: drafted from the case with `gongkai_notice` (the kinds the
//! case's ledger calls for), edited by staff and checked again for every required element,
//! then issued — numbered by the organ's pattern and frozen — and printed or downloaded as
//! DOCX.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::format_date;
use gongkai_core::clock::{Event, Party};
use gongkai_core::fee::{Fee, FeeBasis};
use gongkai_core::outcome::Outcome;
use gongkai_notice::{Details, NoticeKind, Reply, WithheldPart};
use gongkai_store::Permission;
use gongkai_store::application::Application;
use gongkai_store::ledger::{Happening, LedgerEvent, Record};
use gongkai_store::notice::{DRAFT_NUMBER, NoticeDraft, NoticeSettings, StoredNotice};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Date;

use super::case::{Refusal, render};
use super::steps::fee_of;
use super::{Desk, parse_day, path_id, see_other, staff_of};
use crate::cases::{self, CaseView};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::{PageRequest, format_time, ser};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The 复议机关 a remedy clause names when the organ has not set one (行政复议法（2023）第二十四条:
/// for a local government department, the government at its level).
pub(super) const DEFAULT_RECONSIDERATION_BODY: &str = "本机关的本级人民政府";

/// The organ's settings with the default 复议机关 filled in.
pub(super) fn effective(mut settings: NoticeSettings) -> NoticeSettings {
    if settings.reconsideration_body.trim().is_empty() {
        settings.reconsideration_body = DEFAULT_RECONSIDERATION_BODY.into();
    }
    settings
}

/// The form that drafts a notice; each kind uses a few fields.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct DraftForm {
    #[serde(skip_serializing)]
    pub csrf: String,
    /// The kind's key.
    pub kind: String,
    /// The extension's reason, the consultation's question, the fee's payment, the reply's
    /// reasons and route.
    pub text: String,
    /// Reply: the items provided, one per line.
    pub disclosed: String,
    /// Reply: the items withheld, one per line as `事项：理由`.
    pub withheld: String,
    /// Reply: the ground of the withheld items (a 不予公开 outcome key).
    pub ground: String,
    /// Consultation: the third party.
    pub consultation: String,
    /// Fee: `per_application` or `per_page`.
    pub basis: String,
    /// Fee: the applicant's nth application this month.
    pub nth: String,
    /// Fee: pages.
    pub pages: String,
}

impl Bounded for DraftForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("kind", "告知书种类", 60),
        Bound::lines("text", "内容", 5000),
        Bound::lines("disclosed", "予以公开的信息", 5000),
        Bound::lines("withheld", "不予公开的信息", 5000),
        Bound::line("ground", "不予公开的理由", 60),
        Bound::line("consultation", "第三方", 100),
        Bound::line("basis", "计收方式", 20),
        Bound::line("nth", "本月第几件", 10),
        Bound::line("pages", "页数", 10),
    ];
}

fn events(application: &Application) -> impl DoubleEndedIterator<Item = &LedgerEvent> {
    application.events.iter().map(|e| &e.event)
}

/// The latest correction request: its date, items and deadline.
fn correction(application: &Application) -> Option<(Date, Vec<String>, Option<Date>)> {
    events(application).rev().find_map(|e| match e.what {
        Happening::Clock(Event::CorrectionRequested { deadline }) => {
            Some((e.date, e.items.clone(), deadline))
        }
        _ => None,
    })
}

/// The third parties consulted (art. 32): date and name, in order.
fn third_parties(application: &Application) -> Vec<(Date, String)> {
    events(application)
        .filter_map(|e| match &e.what {
            Happening::Clock(Event::ConsultationStarted {
                party: Party::ThirdParty,
                name,
            }) => Some((e.date, name.clone())),
            _ => None,
        })
        .collect()
}

/// The latest fee notice: its date and amount.
fn fee_notice(application: &Application) -> Option<(Date, Option<u64>)> {
    events(application).rev().find_map(|e| match e.what {
        Happening::Clock(Event::FeeNoticeSent { yuan, .. }) => Some((e.date, yuan)),
        _ => None,
    })
}

/// The approved extension: its date and the reason given (the request's, else the approval's).
fn extension(application: &Application) -> Option<(Date, String)> {
    let approved = events(application).find_map(|e| match e.what {
        Happening::Clock(Event::ExtensionApproved { .. }) => Some((e.date, e.note.clone())),
        _ => None,
    })?;
    let requested = events(application).rev().find_map(|e| match &e.what {
        Happening::Record(Record::ExtensionRequested { reason, .. }) => Some(reason.clone()),
        _ => None,
    });
    Some((approved.0, requested.unwrap_or(approved.1)))
}

/// The reply's date and note.
fn reply(application: &Application) -> Option<(Date, String)> {
    events(application).rev().find_map(|e| match e.what {
        Happening::Clock(Event::Replied { .. }) => Some((e.date, e.note.clone())),
        _ => None,
    })
}

/// The notices the case calls for now, with the date each is dated by default: the 登记回执
/// always; the others once the ledger holds their step.
pub(super) fn fitting(view: &CaseView) -> Vec<(NoticeKind, Date)> {
    let a = &view.application;
    let mut kinds = Vec::new();
    if let Some((received, _)) = a.received() {
        kinds.push((NoticeKind::Receipt, received));
    }
    if let Some((date, _, _)) = correction(a) {
        kinds.push((NoticeKind::Correction, date));
    }
    if let Some((date, _)) = extension(a) {
        kinds.push((NoticeKind::Extension, date));
    }
    if let Some((date, _)) = third_parties(a).last() {
        kinds.push((NoticeKind::Consultation, *date));
    }
    if let Some((date, _)) = fee_notice(a) {
        kinds.push((NoticeKind::Fee, date));
    }
    if let Some(outcome) = view.outcome() {
        let date = reply(a)
            .map(|(d, _)| d)
            .or_else(|| view.clock.as_ref().ok().and_then(|r| r.closed));
        if let Some(date) = date {
            kinds.push((NoticeKind::Reply(outcome), date));
        }
    }
    kinds
}

/// Whether a reply with this outcome lists what it provides.
fn gives(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::AlreadyPublic | Outcome::Disclosed | Outcome::PartlyDisclosed
    )
}

/// Whether an outcome is a 不予公开 ground (arts. 14–16).
fn withheld_ground(outcome: Outcome) -> bool {
    outcome.key().starts_with("withheld_")
}

/// Whether a reply with this outcome lists what it withholds.
fn withholds(outcome: Outcome) -> bool {
    outcome == Outcome::PartlyDisclosed || withheld_ground(outcome)
}

fn family(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Receipt => "receipt",
        NoticeKind::Correction => "correction",
        NoticeKind::Extension => "extension",
        NoticeKind::Consultation => "consultation",
        NoticeKind::Fee => "fee",
        NoticeKind::Reply(_) => "reply",
    }
}

fn default_form(kind: NoticeKind, application: &Application) -> DraftForm {
    let mut form = DraftForm {
        kind: kind.key(),
        ..DraftForm::default()
    };
    match kind {
        NoticeKind::Extension => {
            form.text = extension(application).map(|e| e.1).unwrap_or_default()
        }
        NoticeKind::Consultation => {
            form.consultation = third_parties(application)
                .pop()
                .map(|t| t.1)
                .unwrap_or_default();
        }
        NoticeKind::Fee => form.basis = "per_page".into(),
        NoticeKind::Reply(outcome) => {
            form.text = reply(application).map(|r| r.1).unwrap_or_default();
            form.ground = if withheld_ground(outcome) {
                outcome.key().into()
            } else {
                Outcome::WithheldThirdParty.key().into()
            };
        }
        _ => {}
    }
    form
}

/// The draft forms of the case page, one per kind the case calls for.
pub(super) fn draft_forms(view: &CaseView, refusal: Option<&Refusal>) -> Vec<Value> {
    let grounds: Vec<Value> = gongkai_core::outcome::OUTCOMES
        .iter()
        .filter(|s| withheld_ground(s.outcome))
        .map(|s| context! { key => s.key, label => s.label })
        .collect();
    let parties: Vec<String> = third_parties(&view.application)
        .into_iter()
        .map(|t| t.1)
        .collect();
    fitting(view)
        .into_iter()
        .map(|(kind, date)| {
            let key = kind.key();
            let mine = refusal.filter(|r| r.form == format!("notice:{key}"));
            let values = mine
                .and_then(|r| r.draft.clone())
                .unwrap_or_else(|| default_form(kind, &view.application));
            let (gives, withholds) = match kind {
                NoticeKind::Reply(o) => (gives(o), withholds(o)),
                _ => (false, false),
            };
            context! {
                kind => key,
                title => kind.to_string(),
                family => family(kind),
                date => format_date(date),
                gives => gives,
                withholds => withholds,
                grounds => grounds.clone(),
                parties => parties.clone(),
                error => mine.map(|r| r.message.clone()),
                v => ser(values),
            }
        })
        .collect()
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn required(text: &str, message: &str) -> Result<String, String> {
    let text = text.replace("\r\n", "\n").trim().to_owned();
    if text.is_empty() {
        Err(message.to_owned())
    } else {
        Ok(text)
    }
}

fn withheld_parts(form: &DraftForm) -> Result<Vec<WithheldPart>, String> {
    let ground = Outcome::from_key(&form.ground)
        .filter(|o| withheld_ground(*o))
        .ok_or("请选择不予公开部分的理由（第十四条、第十五条、第十六条）。")?;
    lines(&form.withheld)
        .into_iter()
        .map(|line| match line.split_once(['：', ':']) {
            Some((item, reason)) if !item.trim().is_empty() && !reason.trim().is_empty() => {
                Ok(WithheldPart {
                    item: item.trim().to_owned(),
                    ground,
                    reason: reason.trim().to_owned(),
                })
            }
            _ => Err(format!(
                "不予公开的信息“{line}”请按“事项：理由”填写，每行一项。"
            )),
        })
        .collect()
}

fn reply_details(outcome: Outcome, form: &DraftForm) -> Result<Reply, String> {
    Ok(Reply {
        details: form.text.replace("\r\n", "\n").trim().to_owned(),
        disclosed: if gives(outcome) {
            lines(&form.disclosed)
        } else {
            Vec::new()
        },
        withheld: if withholds(outcome) {
            withheld_parts(form)?
        } else {
            Vec::new()
        },
    })
}

/// The kind's facts from the case and the draft form, or what is missing.
fn details_of(kind: NoticeKind, view: &CaseView, form: &DraftForm) -> Result<Details, String> {
    let a = &view.application;
    Ok(match kind {
        NoticeKind::Receipt => Details::Receipt,
        NoticeKind::Correction => {
            let (_, items, deadline) = correction(a).ok_or("本案没有告知补正的登记。")?;
            Details::Correction {
                items,
                deadline: deadline.ok_or("告知补正的登记中没有补正期限。")?,
            }
        }
        NoticeKind::Extension => Details::Extension {
            new_due: new_due(view)?,
            reason: required(&form.text, "请写明延期的理由。")?,
        },
        NoticeKind::Consultation => {
            let name = form.consultation.trim();
            if !third_parties(a).iter().any(|(_, n)| n == name) {
                return Err("请选择本案征求过意见的第三方。".into());
            }
            Details::Consultation {
                third_party: name.to_owned(),
                question: required(
                    &form.text,
                    "请写明征求意见的事项：申请公开哪些信息，为何可能损害第三方合法权益。",
                )?,
                deadline: None,
            }
        }
        NoticeKind::Fee => {
            let fee = fee_of(&form.basis, &form.nth, &form.pages)?;
            if let Some((_, Some(yuan))) = fee_notice(a)
                && yuan != fee.yuan
            {
                return Err(format!(
                    "按所填计收方式计算为 {} 元，与登记的收费通知金额 {yuan} 元不一致。",
                    fee.yuan
                ));
            }
            Details::Fee {
                fee,
                payment: required(&form.text, "请填写缴费方式（账户、地点或网上缴费渠道）。")?,
            }
        }
        NoticeKind::Reply(outcome) => Details::Reply(reply_details(outcome, form)?),
    })
}

/// The extended due date (art. 33 ¶2) as the clock has it today.
fn new_due(view: &CaseView) -> Result<Date, String> {
    view.clock
        .as_ref()
        .ok()
        .and_then(|r| r.due)
        .ok_or_else(|| "答复期限目前暂停计算，无法确定延长后的答复期限。".to_owned())
}

/// Facts that stand in for what staff typed, when an edited text is checked: the elements
/// checked in the text (deadlines, amounts) come from the case; free text is the text itself.
fn stand_in(kind: NoticeKind, view: &CaseView) -> Result<Details, WebError> {
    const SEE_TEXT: &str = "（见正文）";
    let invalid = |m: String| WebError::Invalid(m);
    Ok(match kind {
        NoticeKind::Receipt | NoticeKind::Correction => {
            details_of(kind, view, &DraftForm::default()).map_err(invalid)?
        }
        NoticeKind::Extension => Details::Extension {
            new_due: new_due(view).map_err(invalid)?,
            reason: SEE_TEXT.into(),
        },
        NoticeKind::Consultation => Details::Consultation {
            third_party: SEE_TEXT.into(),
            question: SEE_TEXT.into(),
            deadline: None,
        },
        NoticeKind::Fee => {
            let yuan = fee_notice(&view.application)
                .and_then(|(_, y)| y)
                .ok_or_else(|| invalid("收费通知的登记中没有金额。".into()))?;
            Details::Fee {
                fee: Fee {
                    basis: FeeBasis::PerPage { pages: 0 },
                    yuan,
                    bands: Vec::new(),
                },
                payment: SEE_TEXT.into(),
            }
        }
        NoticeKind::Reply(outcome) => Details::Reply(Reply {
            details: SEE_TEXT.into(),
            disclosed: Vec::new(),
            withheld: if outcome == Outcome::PartlyDisclosed {
                vec![WithheldPart {
                    item: SEE_TEXT.into(),
                    ground: Outcome::WithheldThirdParty,
                    reason: SEE_TEXT.into(),
                }]
            } else {
                Vec::new()
            },
        }),
    })
}

async fn case_view(state: &AppState, application: Application) -> Result<CaseView, WebError> {
    let cal = state.calendar().await?;
    Ok(CaseView::new(
        application,
        &cal,
        state.clock_config,
        state.today(),
    ))
}

/// `POST /console/organs/{organ_id}/applications/{id}/notices`: drafts a notice of a kind the
/// case calls for.
pub async fn draft(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<DraftForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, application) = Desk::open_case(
        &state,
        &request,
        &raw_organ,
        &raw_id,
        Permission::HandleCases,
    )
    .await?;
    let view = case_view(&state, application).await?;
    let (kind, date) = NoticeKind::from_key(&form.kind)
        .and_then(|k| fitting(&view).into_iter().find(|(f, _)| *f == k))
        .ok_or_else(|| WebError::Conflict("本案目前不需要该种告知书。".into()))?;
    let refuse = |message: String| {
        Refusal::draft(
            &form.kind,
            StatusCode::UNPROCESSABLE_ENTITY,
            message,
            form.clone(),
        )
    };
    let details = match details_of(kind, &view, &form) {
        Ok(details) => details,
        Err(message) => {
            let refusal = refuse(message);
            return render(
                &state,
                &request,
                &desk,
                view.application,
                Some(refusal),
                None,
            )
            .await;
        }
    };
    let settings = effective(state.store.notice_settings(desk.organ.id).await?);
    let ctx = cases::notice_context(
        &desk.organ,
        &settings,
        &view.application,
        DRAFT_NUMBER,
        date,
        details,
    );
    let notice = match cases::render_notice(kind, &ctx, &settings) {
        Ok(notice) => notice,
        Err(WebError::Invalid(message)) => {
            let refusal = refuse(message);
            return render(
                &state,
                &request,
                &desk,
                view.application,
                Some(refusal),
                None,
            )
            .await;
        }
        Err(e) => return Err(e),
    };
    let draft = NoticeDraft {
        kind: kind.key(),
        title: notice.title,
        organ_name: notice.organ,
        date: format_date(date),
        paragraphs: notice.paragraphs,
    };
    let stored = state
        .store
        .create_notice_draft(
            &desk.staff.actor(),
            desk.scope,
            view.application.id,
            state.now(),
            &draft,
        )
        .await?;
    Ok(see_other(format!(
        "{}/notices/{}",
        desk.case_path(view.application.id),
        stored.id
    )))
}

/// The confirmation after saving.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    saved: String,
}

impl Bounded for NoticeQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("saved", "已保存", 10)];
}

/// The edit form of a draft: its date and its paragraphs, one per line.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct EditForm {
    #[serde(skip_serializing)]
    csrf: String,
    date: String,
    body: String,
}

impl Bounded for EditForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("date", "成文日期", 20),
        Bound::lines("body", "正文", 20_000),
    ];
}

#[allow(clippy::too_many_arguments)]
async fn render_notice_page(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    application: &Application,
    stored: &StoredNotice,
    status: StatusCode,
    edit: Option<&EditForm>,
    error: Option<String>,
    saved: bool,
) -> Result<Response, WebError> {
    let notice = cases::stored_notice(stored)?;
    let base = format!("{}/notices/{}", desk.case_path(application.id), stored.id);
    let body = edit.map_or_else(|| stored.paragraphs.join("\n"), |e| e.body.clone());
    let date = edit.map_or_else(|| stored.date.clone(), |e| e.date.clone());
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        case_path => desk.case_path(application.id),
        number => application.number.clone(),
        base => base,
        notice => context! {
            title => stored.title.clone(),
            number => stored.number.clone(),
            date => stored.date.clone(),
            issued => stored.issued,
            issued_at => stored.issued_at.map(format_time),
        },
        html => Value::from_safe_string(notice.to_html()),
        body => body,
        date => date,
        error => error,
        saved => saved,
    };
    let html = state
        .render(
            request,
            "console/office/notice.html",
            &stored.title,
            None,
            page,
        )
        .await?;
    Ok((status, html).into_response())
}

async fn open_notice(
    state: &AppState,
    request: &PageRequest,
    raw: &(String, String, String),
) -> Result<(Desk, Application, StoredNotice), WebError> {
    let (desk, application) =
        Desk::open_case(state, request, &raw.0, &raw.1, Permission::HandleCases).await?;
    let id: i64 = path_id(&raw.2)?;
    let stored = state.store.notice(desk.scope, application.id, id).await?;
    Ok((desk, application, stored))
}

/// `GET …/applications/{id}/notices/{notice_id}`: the notice, and its edit form while a draft.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<(String, String, String)>,
    WebQuery(query): WebQuery<NoticeQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (desk, application, stored) = open_notice(&state, &request, &raw).await?;
    let saved = !query.saved.is_empty();
    render_notice_page(
        &state,
        &request,
        &desk,
        &application,
        &stored,
        StatusCode::OK,
        None,
        None,
        saved,
    )
    .await
}

const FROZEN: &str =
    "告知书已签发，文书编号、正文和日期均不能修改；如需更正，请另行制作新的告知书。";

/// `POST …/applications/{id}/notices/{notice_id}`: saves an edited draft after checking that
/// the text still holds every required element.
pub async fn save(
    State(state): State<AppState>,
    WebPath(raw): WebPath<(String, String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<EditForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, application, stored) = open_notice(&state, &request, &raw).await?;
    if stored.issued {
        return Err(WebError::Conflict(FROZEN.into()));
    }
    let kind = NoticeKind::from_key(&stored.kind)
        .ok_or_else(|| WebError::Internal(format!("notice kind {}", stored.kind)))?;
    let paragraphs = lines(&form.body);
    let checked = match parse_day(&form.date) {
        None => Err(WebError::Invalid(
            "请填写成文日期，格式为 YYYY-MM-DD。".into(),
        )),
        Some(date) => {
            let view = case_view(&state, application.clone()).await?;
            let settings = effective(state.store.notice_settings(desk.organ.id).await?);
            let details = stand_in(kind, &view)?;
            let ctx = cases::notice_context(
                &desk.organ,
                &settings,
                &application,
                DRAFT_NUMBER,
                date,
                details,
            );
            cases::render_edited(kind, &ctx, &paragraphs).map(|n| (date, n))
        }
    };
    let (date, notice) = match checked {
        Ok(ok) => ok,
        Err(WebError::Invalid(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_notice_page(
                &state,
                &request,
                &desk,
                &application,
                &stored,
                status,
                Some(&form),
                Some(message),
                false,
            )
            .await;
        }
        Err(e) => return Err(e),
    };
    state
        .store
        .update_notice_draft(
            &desk.staff.actor(),
            desk.scope,
            application.id,
            stored.id,
            state.now(),
            &format_date(date),
            &notice.paragraphs,
        )
        .await?;
    Ok(see_other(format!(
        "{}/notices/{}?saved=1",
        desk.case_path(application.id),
        stored.id
    )))
}

/// The CSRF token of the issue button.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IssueForm {
    csrf: String,
}

impl Bounded for IssueForm {
    const FIELDS: &'static [Bound] = &[Bound::line("csrf", "校验码", 128)];
}

/// `POST …/applications/{id}/notices/{notice_id}/issue`: numbers the notice by the organ's
/// pattern (the serial runs per kind group and year, never reused) and freezes it.
pub async fn issue(
    State(state): State<AppState>,
    WebPath(raw): WebPath<(String, String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<IssueForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, application, stored) = open_notice(&state, &request, &raw).await?;
    if stored.issued {
        return Err(WebError::Conflict("该告知书已经签发。".into()));
    }
    let kind = NoticeKind::from_key(&stored.kind)
        .ok_or_else(|| WebError::Internal(format!("notice kind {}", stored.kind)))?;
    let settings = state.store.notice_settings(desk.organ.id).await?;
    let pattern = cases::number_pattern(&settings)?;
    let short = cases::organ_short(&desk.organ, &settings);
    let year = parse_day(&stored.date)
        .ok_or_else(|| WebError::Internal(format!("notice date {}", stored.date)))?
        .year();
    state
        .store
        .issue_notice(
            &desk.staff.actor(),
            desk.scope,
            application.id,
            stored.id,
            state.now(),
            cases::number_counter(kind),
            year,
            |seq| pattern.format(&short, year, seq),
        )
        .await?;
    Ok(see_other(format!(
        "{}/notices/{}",
        desk.case_path(application.id),
        stored.id
    )))
}

/// An issued notice, or 409 for a draft (a draft has no number and must not go out).
async fn issued(
    state: &AppState,
    request: &PageRequest,
    raw: &(String, String, String),
) -> Result<(Application, StoredNotice), WebError> {
    let (_, application, stored) = open_notice(state, request, raw).await?;
    if !stored.issued {
        return Err(WebError::Conflict(
            "告知书尚未签发，签发后才能打印或下载。".into(),
        ));
    }
    Ok((application, stored))
}

/// `GET …/notices/{notice_id}/print`: the issued notice on a page of its own, for printing.
pub async fn print(
    State(state): State<AppState>,
    WebPath(raw): WebPath<(String, String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (_, stored) = issued(&state, &request, &raw).await?;
    let notice = cases::stored_notice(&stored)?;
    let page = context! {
        html => Value::from_safe_string(notice.to_html()),
    };
    let title = format!("{}（{}）", stored.title, stored.number);
    Ok(state
        .render(
            &request,
            "console/office/notice_print.html",
            &title,
            None,
            page,
        )
        .await?
        .into_response())
}

/// `GET …/notices/{notice_id}/docx`: the issued notice as a Word document.
pub async fn docx(
    State(state): State<AppState>,
    WebPath(raw): WebPath<(String, String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (application, stored) = issued(&state, &request, &raw).await?;
    let bytes = cases::stored_notice(&stored)?
        .to_docx()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let disposition = attachment_disposition(
        &format!("notice-{}-{}.docx", application.number, stored.id),
        &format!("{}（{}）.docx", stored.title, stored.number),
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `Content-Disposition: attachment` with an ASCII name for old clients and the real name in
/// UTF-8 (RFC 6266, RFC 5987's `filename*`).
pub(super) fn attachment_disposition(ascii: &str, name: &str) -> String {
    let fallback: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_have_an_ascii_fallback_and_an_encoded_utf8_name() {
        assert_eq!(
            attachment_disposition("notice-YSQ-2024-0001-3.docx", "告知书 1.docx"),
            "attachment; filename=\"notice-YSQ-2024-0001-3.docx\"; \
             filename*=UTF-8''%E5%91%8A%E7%9F%A5%E4%B9%A6%201.docx"
        );
        assert!(attachment_disposition("a\"b", "x").starts_with("attachment; filename=\"a_b\""));
    }
}
