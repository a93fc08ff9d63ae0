//! The steps of a case (`POST …/applications/{id}/steps/{step}`): one small form per step of
//! `gongkai_store::workflow`, turned into a `LedgerEvent` and handed to
//! `Store::append_case_event`, which checks the role (403), the state (409) and the sequence
//! (422) again and writes nothing when it refuses. A refusal shows the case page again with
//! the reason at the step's form and the status kept.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_core::clock::{self, Event, Party};
use gongkai_core::fee::{Fee, FeeBasis};
use gongkai_core::outcome::Outcome;
use gongkai_store::application::Application;
use gongkai_store::ledger::{Happening, LedgerEvent, Record};
use gongkai_store::workflow::{self, Action};
use gongkai_store::{Permission, Role, StoreError, UserId};
use serde::{Deserialize, Serialize};

use super::case::{Refusal, render};
use super::{Desk, parse_day, see_other, staff_of};
use crate::controllers::{WebForm, WebPath};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The ways a notice is delivered (送达).
pub(super) const DELIVERY_METHODS: [&str; 6] = ["当面", "邮寄", "电子邮件", "网上", "传真", "其他"];

/// Every field any step's form sends; each form uses a few.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct StepForm {
    #[serde(skip_serializing)]
    pub csrf: String,
    pub date: String,
    pub deadline: String,
    pub items: String,
    pub party: String,
    pub name: String,
    pub days: String,
    pub note: String,
    pub basis: String,
    pub nth: String,
    pub pages: String,
    pub delivered: String,
    pub outcome: String,
    pub to: String,
    pub notice_id: String,
    pub method: String,
}

impl Bounded for StepForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("date", "日期", 20),
        Bound::line("deadline", "补正期限", 20),
        Bound::lines("items", "补正事项", 2000),
        Bound::line("party", "征求意见对象", 20),
        Bound::line("name", "名称", 100),
        Bound::line("days", "工作日数", 10),
        Bound::lines("note", "说明", 2000),
        Bound::line("basis", "计收方式", 20),
        Bound::line("nth", "本月第几件", 10),
        Bound::line("pages", "页数", 10),
        Bound::line("delivered", "送达日期", 20),
        Bound::line("outcome", "答复结果", 40),
        Bound::line("to", "承办人", 20),
        Bound::line("notice_id", "告知书", 20),
        Bound::line("method", "送达方式", 20),
    ];
}

/// A field's problem, in Chinese.
type Problem = String;

fn date_of(text: &str, what: &str) -> Result<time::Date, Problem> {
    parse_day(text).ok_or_else(|| format!("请填写{what}，格式为 YYYY-MM-DD。"))
}

fn party_of(form: &StepForm) -> Result<(Party, String), Problem> {
    let party = Party::from_key(&form.party).ok_or("请选择征求意见的对象：第三方或其他机关。")?;
    let name = form.name.trim();
    if name.is_empty() {
        return Err("请填写征求意见对象的名称。".into());
    }
    Ok((party, name.to_owned()))
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn extension_days(form: &StepForm) -> Result<u32, Problem> {
    match form.days.trim().parse::<u32>() {
        Ok(days) if (1..=clock::MAX_EXTENSION_DAYS).contains(&days) => Ok(days),
        _ => Err("延长的期限应为 1 至 20 个工作日（第三十三条第二款）。".into()),
    }
}

/// The fee of the form's basis (国办函〔2020〕109号: 按件 or 按量, never both).
pub(super) fn fee_of(basis: &str, nth: &str, pages: &str) -> Result<Fee, Problem> {
    let count = |text: &str, what: &str| {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(format!("请填写{what}（正整数）。"))
    };
    let basis = match basis {
        "per_application" => FeeBasis::PerApplication {
            nth: count(nth, "本自然月内第几件申请")?,
        },
        "per_page" => FeeBasis::PerPage {
            pages: count(pages, "提供信息的页数")?,
        },
        _ => return Err("请选择计收方式：按件计收或按量计收。".into()),
    };
    let fee = Fee::compute(basis);
    if fee.yuan == 0 {
        return Err("按该计收方式在免费额度内，不收取信息处理费，无需发出收费通知。".into());
    }
    Ok(fee)
}

/// What a step needs to know besides its form.
pub(super) struct StepContext<'a> {
    pub application: &'a Application,
    pub staff_name: &'a str,
    /// The organ's case handlers and heads, by account.
    pub handlers: &'a HashMap<UserId, String>,
    /// The case's issued notices.
    pub issued: &'a [i64],
}

/// The ledger event of a step's form, or the problem with the form.
fn event_of(action: Action, form: &StepForm, ctx: &StepContext) -> Result<LedgerEvent, Problem> {
    let date = date_of(&form.date, "日期")?;
    let note = form.note.replace("\r\n", "\n").trim().to_owned();
    let clock = |event: Event| Happening::Clock(event);
    let record = |r: Record| Happening::Record(r);
    let mut items = Vec::new();
    let what = match action {
        Action::RequestCorrection => {
            items = lines(&form.items);
            if items.is_empty() {
                return Err("请写明需要补正的事项，每行一项（第三十条）。".into());
            }
            let deadline = date_of(&form.deadline, "补正期限")?;
            clock(Event::CorrectionRequested {
                deadline: Some(deadline),
            })
        }
        Action::ReceiveCorrection => clock(Event::CorrectionReceived),
        Action::LapseCorrection => clock(Event::CorrectionLapsed),
        Action::StartConsultation => {
            let (party, name) = party_of(form)?;
            clock(Event::ConsultationStarted { party, name })
        }
        Action::AnswerConsultation => {
            let (party, name) = party_of(form)?;
            clock(Event::ConsultationAnswered { party, name })
        }
        Action::RequestExtension => {
            if note.is_empty() {
                return Err("请写明不能按期答复、需要延期的理由。".into());
            }
            record(Record::ExtensionRequested {
                days: extension_days(form)?,
                reason: note.clone(),
            })
        }
        Action::ApproveExtension => {
            // The 负责人 approves what was asked; without a request, what they enter.
            let days = match ctx.application.extension_request() {
                Some((days, _)) => days,
                None => extension_days(form)?,
            };
            clock(Event::ExtensionApproved {
                days,
                approver: Some(ctx.staff_name.to_owned()),
            })
        }
        Action::RefuseExtension => record(Record::ExtensionRefused {
            reason: note.clone(),
        }),
        Action::SendFeeNotice => {
            let fee = fee_of(&form.basis, &form.nth, &form.pages)?;
            let delivered = match form.delivered.trim() {
                "" => None,
                text => Some(date_of(text, "收费通知送达日期")?),
            };
            clock(Event::FeeNoticeSent {
                yuan: Some(fee.yuan),
                delivered,
            })
        }
        Action::RecordPayment => clock(Event::FeePaid),
        Action::LapseFee => clock(Event::FeeLapsed),
        Action::Reply => {
            let outcome =
                Outcome::from_key(&form.outcome).ok_or("请选择一项答复结果（第三十六条）。")?;
            clock(Event::Replied { outcome })
        }
        Action::Assign => {
            let to: UserId = form.to.trim().parse().map_err(|_| "请选择承办人。")?;
            let to_name = ctx
                .handlers
                .get(&to)
                .cloned()
                .ok_or("只能分办给本机关的承办人或负责人。")?;
            record(Record::Assigned { to, to_name })
        }
        Action::RecordDelivery => {
            let notice_id: i64 = form
                .notice_id
                .trim()
                .parse()
                .map_err(|_| "请选择送达的告知书。")?;
            if !ctx.issued.contains(&notice_id) {
                return Err("只能登记本案已签发告知书的送达。".into());
            }
            let method = form.method.trim();
            if !DELIVERY_METHODS.contains(&method) {
                return Err("请选择送达方式。".into());
            }
            record(Record::NoticeDelivered {
                notice_id,
                method: method.to_owned(),
            })
        }
    };
    Ok(LedgerEvent {
        date,
        what,
        items,
        note,
    })
}

/// The sentence and status of a store refusal.
fn refusal_of(action: Action, err: StoreError) -> Result<(StatusCode, String), WebError> {
    Ok(match err {
        StoreError::Forbidden => {
            let message = match action {
                Action::ApproveExtension | Action::RefuseExtension => {
                    "延长答复期限须经政府信息公开工作机构负责人同意（第三十三条第二款），您的角色不能作此决定。"
                        .to_owned()
                }
                _ => format!("您的角色不能“{}”。", action.label()),
            };
            (StatusCode::FORBIDDEN, message)
        }
        StoreError::NotAllowed(message) => (StatusCode::CONFLICT, message),
        StoreError::Invalid { message, .. } => (StatusCode::UNPROCESSABLE_ENTITY, message),
        other => return Err(other.into()),
    })
}

/// The organ's case handlers and heads, by account: those a case may be assigned to.
pub(super) async fn handlers(
    state: &AppState,
    desk: &Desk,
) -> Result<HashMap<UserId, String>, WebError> {
    Ok(state
        .store
        .staff(desk.scope)
        .await?
        .into_iter()
        .filter(|m| {
            m.roles
                .iter()
                .any(|r| matches!(r, Role::CaseHandler | Role::Head))
        })
        .map(|m| (m.user.id, m.user.display_name))
        .collect())
}

/// `POST /console/organs/{organ_id}/applications/{id}/steps/{step}`.
pub async fn take(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_id, step)): WebPath<(String, String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let action = Action::from_key(&step).ok_or(WebError::NotFound)?;
    take_step(&state, &request, (&raw_organ, &raw_id), action, form).await
}

/// `POST /console/organs/{organ_id}/applications/{id}/steps/extension_approved`: the 负责人's
/// approval of an extension (art. 33 ¶2), a route of its own for its own permission; the
/// workflow refuses it to every other role, and the case page says why.
pub async fn approve(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let action = Action::ApproveExtension;
    take_step(&state, &request, (&raw_organ, &raw_id), action, form).await
}

/// Takes one step for the logged-in staff member, whose CSRF token was checked.
async fn take_step(
    state: &AppState,
    request: &PageRequest,
    (raw_organ, raw_id): (&str, &str),
    action: Action,
    form: StepForm,
) -> Result<Response, WebError> {
    let (desk, application) =
        Desk::open_case(state, request, raw_organ, raw_id, Permission::HandleCases).await?;
    let handlers = handlers(state, &desk).await?;
    let issued: Vec<i64> = state
        .store
        .notices(desk.scope, application.id)
        .await?
        .iter()
        .filter(|n| n.issued)
        .map(|n| n.id)
        .collect();
    let ctx = StepContext {
        application: &application,
        staff_name: &desk.staff.user.display_name,
        handlers: &handlers,
        issued: &issued,
    };
    let refused = |status, message| Refusal::step(action, status, message, form.clone());
    // Roles before anything else, as the store decides: a step the role may never take is
    // refused as such, not for its form.
    if !desk
        .roles
        .iter()
        .any(|r| workflow::rule(action).roles.contains(r))
    {
        let (status, message) = refusal_of(action, StoreError::Forbidden)?;
        let refusal = refused(status, message);
        return render(state, request, &desk, application, Some(refusal), None).await;
    }
    let event = match event_of(action, &form, &ctx) {
        Ok(event) => event,
        Err(message) => {
            let refusal = refused(StatusCode::UNPROCESSABLE_ENTITY, message);
            return render(state, request, &desk, application, Some(refusal), None).await;
        }
    };
    let cal = state.calendar().await?;
    let result = state
        .store
        .append_case_event(
            &desk.staff.actor(),
            desk.scope,
            application.id,
            event,
            &cal,
            state.clock_config,
            state.today(),
            state.now(),
        )
        .await;
    match result {
        Ok(_) => Ok(see_other(format!(
            "{}?done={}#ledger",
            desk.case_path(application.id),
            action.key()
        ))),
        Err(err) => {
            let (status, message) = refusal_of(action, err)?;
            let refusal = refused(status, message);
            render(state, request, &desk, application, Some(refusal), None).await
        }
    }
}
