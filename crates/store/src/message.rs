//! 留言 (领导信箱 / 咨询投诉): what the public writes to an organ, its moderation, the reply and,
//! with the writer's consent, the published question and answer.
//!
//! A 留言 gets a 留言编号 `LY-YYYY-NNNN` per organ and year of receipt (from `counters`) and a
//! 查询码 kept only as a hash ([`crate::application::query_hash`]). The writer's name and
//! contact details never leave the console: the published text shows kind, title, body and
//! reply with personal data masked ([`mask_personal_data`]) and no name.
//!
//! Nothing derived is stored: the state ([`Message::state`]) follows from the moderation, reply
//! and publication columns; the reply is due [`Store::message_reply_days`] working days after
//! receipt ([`Message::due`], counted by the calendar on the day asked). Every step goes
//! through [`Store::take_message_step`], which judges it against [`RULES`] in one transaction
//! and writes it with its audit row, or writes nothing.

mod personal;

use gongkai_core::calendar::{Calendar, CalendarError, Counted, format_date, parse_date};
use serde_json::json;
use sqlx::Row;
use time::Date;

pub use personal::{PersonalData, find as find_personal_data, mask as mask_personal_data};

use crate::application::{next_counter, query_hash};
use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError, audit};

/// Database identifier of a 留言.
pub type MessageId = i64;

/// The kinds of 留言: key and label.
pub const KINDS: [(&str, &str); 3] = [
    ("consult", "咨询"),
    ("suggest", "建议"),
    ("complain", "投诉"),
];

/// The label of a kind key ("" for an unknown one).
pub fn kind_label(key: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| *l)
}

/// Where a letter that is not a 留言 belongs, as moderation says it to the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redirect {
    /// Stored key.
    pub key: &'static str,
    /// What staff choose.
    pub label: &'static str,
    /// What the writer reads on the look-up page.
    pub advice: &'static str,
}

/// The ways of not accepting a letter as a 留言.
pub const REDIRECTS: [Redirect; 3] = [
    Redirect {
        key: "application",
        label: "属于政府信息公开申请，转依申请公开渠道",
        advice: "您的来信属于申请获取政府信息。请通过本网站“依申请公开”栏目在线申请，或按《政府信息公开指南》所列方式提出申请（《中华人民共和国政府信息公开条例》第二十七条、第二十九条）。",
    },
    Redirect {
        key: "petition",
        label: "属于信访事项，转信访渠道",
        advice: "您反映的事项属于信访事项，请依照《信访工作条例》通过信访渠道向有权处理的机关提出。",
    },
    Redirect {
        key: "other",
        label: "不属于留言受理范围",
        advice: "您的来信不属于本留言栏目的受理范围。",
    },
];

/// The redirect of a key.
pub fn redirect(key: &str) -> Option<&'static Redirect> {
    REDIRECTS.iter().find(|r| r.key == key)
}

/// Working days within which a 留言 is answered when the organ has not set its own.
pub const DEFAULT_REPLY_DAYS: u32 = 10;
/// The longest reply limit an organ may set.
pub const MAX_REPLY_DAYS: u32 = 60;
/// The longest title (characters).
pub const TITLE_MAX: usize = 50;
/// The longest body (characters).
pub const BODY_MAX: usize = 2000;
/// The longest reply (characters).
pub const REPLY_MAX: usize = 5000;
/// The longest reason for not accepting a letter (characters).
pub const REASON_MAX: usize = 500;

/// Who wrote: private to the organ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Writer {
    /// 姓名.
    pub name: String,
    /// 联系电话.
    pub phone: String,
    /// 电子邮箱 (optional).
    pub email: String,
}

/// A 留言 as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// A key of [`KINDS`].
    pub kind: String,
    /// 标题.
    pub title: String,
    /// 内容.
    pub body: String,
    /// Who.
    pub writer: Writer,
    /// The writer agrees that the question and the answer be published.
    pub consent: bool,
    /// The day it arrived.
    pub received: Date,
    /// The 查询码 given to the writer (only its hash is kept).
    pub query_code: String,
}

/// Whether a letter was accepted as a 留言.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Accepted: it will be answered.
    Accepted,
    /// Not a 留言: where the writer is sent, and why.
    Rejected {
        /// A key of [`REDIRECTS`].
        redirect: String,
        /// The reason, in the staff's words (shown to the writer).
        reason: String,
    },
}

/// The moderation of a 留言.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moderation {
    /// The decision.
    pub decision: Decision,
    /// Its date.
    pub on: Date,
    /// Who took it (username).
    pub by: String,
}

/// The reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// 答复内容.
    pub text: String,
    /// 答复日期.
    pub on: Date,
    /// Who replied (username).
    pub by: String,
}

/// The publication of the question and answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// 公开日期.
    pub on: Date,
    /// When (Unix seconds), for the `PubDate` tag.
    pub at: i64,
    /// The title as published, where staff edited it.
    pub title: Option<String>,
    /// The body as published, where staff edited it.
    pub body: Option<String>,
}

/// A 留言 as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Identifier.
    pub id: MessageId,
    /// The organ written to.
    pub organ_id: OrganId,
    /// 留言编号.
    pub number: String,
    /// A key of [`KINDS`].
    pub kind: String,
    /// 标题 as written.
    pub title: String,
    /// 内容 as written.
    pub body: String,
    /// Who.
    pub writer: Writer,
    /// The writer's consent to publication.
    pub consent: bool,
    /// 收到日期.
    pub received: Date,
    /// When it was stored (Unix seconds).
    pub created_at: i64,
    /// The moderation, once taken.
    pub moderation: Option<Moderation>,
    /// The reply, once given.
    pub reply: Option<Reply>,
    /// The publication, while published.
    pub publication: Option<Publication>,
}

/// Where a 留言 stands: derived from its records, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageState {
    /// Received, not yet moderated.
    Pending,
    /// Accepted, not yet answered.
    Accepted,
    /// Answered, not published.
    Replied,
    /// Answered and published.
    Published,
    /// Not a 留言; the writer was told where to go.
    Rejected,
}

impl MessageState {
    /// Every state, in the order of the matrix test.
    pub const ALL: [MessageState; 5] = [
        MessageState::Pending,
        MessageState::Accepted,
        MessageState::Replied,
        MessageState::Published,
        MessageState::Rejected,
    ];

    /// The label staff and writers read.
    pub fn label(self) -> &'static str {
        match self {
            MessageState::Pending => "待审核",
            MessageState::Accepted => "待答复",
            MessageState::Replied => "已答复",
            MessageState::Published => "已答复并公开",
            MessageState::Rejected => "不予受理",
        }
    }

    /// Whether a reply is still owed (the reply clock runs).
    pub fn awaiting_reply(self) -> bool {
        matches!(self, MessageState::Pending | MessageState::Accepted)
    }
}

/// What staff do with a 留言.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageAction {
    /// 受理.
    Accept,
    /// 不予受理 (with where to go instead).
    Reject,
    /// 答复 (again, to correct it before publication).
    Reply,
    /// 公开.
    Publish,
    /// 撤回公开.
    Unpublish,
}

impl MessageAction {
    /// Every action, in the order of the matrix test.
    pub const ALL: [MessageAction; 5] = [
        MessageAction::Accept,
        MessageAction::Reject,
        MessageAction::Reply,
        MessageAction::Publish,
        MessageAction::Unpublish,
    ];

    /// The label staff read.
    pub fn label(self) -> &'static str {
        match self {
            MessageAction::Accept => "受理",
            MessageAction::Reject => "不予受理",
            MessageAction::Reply => "答复",
            MessageAction::Publish => "公开",
            MessageAction::Unpublish => "撤回公开",
        }
    }

    /// The stable key (audit rows, form paths).
    pub fn key(self) -> &'static str {
        match self {
            MessageAction::Accept => "accept",
            MessageAction::Reject => "reject",
            MessageAction::Reply => "reply",
            MessageAction::Publish => "publish",
            MessageAction::Unpublish => "unpublish",
        }
    }
}

/// The one table of which action may be taken in which state. Every role with
/// `Permission::HandleMessages` may take every action; the scope proves the permission.
pub const RULES: [(MessageAction, &[MessageState]); 5] = [
    (MessageAction::Accept, &[MessageState::Pending]),
    (
        MessageAction::Reject,
        &[MessageState::Pending, MessageState::Accepted],
    ),
    (
        MessageAction::Reply,
        &[MessageState::Accepted, MessageState::Replied],
    ),
    (MessageAction::Publish, &[MessageState::Replied]),
    (MessageAction::Unpublish, &[MessageState::Published]),
];

/// Whether `action` may be taken in `state`.
pub fn allowed(action: MessageAction, state: MessageState) -> bool {
    RULES
        .iter()
        .any(|(a, states)| *a == action && states.contains(&state))
}

/// A step on a 留言, with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageStep {
    /// Accept it on a date.
    Accept {
        /// The date.
        on: Date,
    },
    /// Refuse it as not a 留言.
    Reject {
        /// The date.
        on: Date,
        /// A key of [`REDIRECTS`].
        redirect: String,
        /// Why, for the writer.
        reason: String,
    },
    /// Answer it (or correct the answer before it is published).
    Reply {
        /// 答复日期.
        on: Date,
        /// 答复内容.
        text: String,
    },
    /// Publish it today, optionally with an edited title and body (personal data is masked
    /// whatever is given).
    Publish {
        /// The public title, if edited.
        title: Option<String>,
        /// The public body, if edited.
        body: Option<String>,
    },
    /// Take it off the portal.
    Unpublish,
}

impl MessageStep {
    /// The action.
    pub fn action(&self) -> MessageAction {
        match self {
            MessageStep::Accept { .. } => MessageAction::Accept,
            MessageStep::Reject { .. } => MessageAction::Reject,
            MessageStep::Reply { .. } => MessageAction::Reply,
            MessageStep::Publish { .. } => MessageAction::Publish,
            MessageStep::Unpublish => MessageAction::Unpublish,
        }
    }
}

/// A published question and answer as the portal shows it: no name, no contact, personal data
/// masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicMessage {
    /// 留言编号.
    pub number: String,
    /// The kind's label.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Reply.
    pub reply: String,
    /// 留言日期.
    pub received: Date,
    /// 答复日期.
    pub replied_on: Option<Date>,
    /// 公开日期.
    pub published_on: Option<Date>,
    /// When published (Unix seconds).
    pub published_at: Option<i64>,
}

impl Message {
    /// The state, from the records.
    pub fn state(&self) -> MessageState {
        match (&self.moderation, &self.reply, &self.publication) {
            (
                Some(Moderation {
                    decision: Decision::Rejected { .. },
                    ..
                }),
                _,
                _,
            ) => MessageState::Rejected,
            (_, Some(_), Some(_)) => MessageState::Published,
            (_, Some(_), None) => MessageState::Replied,
            (Some(_), None, _) => MessageState::Accepted,
            (None, None, _) => MessageState::Pending,
        }
    }

    /// The reply's due date: `reply_days` working days after receipt (the receipt day not
    /// counted), with the years the calendar had no notice for.
    pub fn due(&self, cal: &Calendar, reply_days: u32) -> Result<Counted<Date>, CalendarError> {
        cal.add(self.received, reply_days)
    }

    /// Whether the reply is owed and its due date has passed on `today`.
    pub fn overdue(
        &self,
        cal: &Calendar,
        reply_days: u32,
        today: Date,
    ) -> Result<bool, CalendarError> {
        Ok(self.state().awaiting_reply() && today > self.due(cal, reply_days)?.value)
    }

    /// Whether the reply came after its due date.
    pub fn replied_late(&self, cal: &Calendar, reply_days: u32) -> Result<bool, CalendarError> {
        match &self.reply {
            Some(reply) => Ok(reply.on > self.due(cal, reply_days)?.value),
            None => Ok(false),
        }
    }

    /// The 身份证 and mobile numbers in the title and body as written.
    pub fn personal_data(&self) -> PersonalData {
        find_personal_data(&self.title).plus(find_personal_data(&self.body))
    }

    /// `text` as the public may read it: numbers and the writer's name masked.
    pub fn masked(&self, text: &str) -> String {
        mask_personal_data(text, &[self.writer.name.as_str()])
    }

    /// What the portal shows, or would show if published now (a preview for staff).
    pub fn public_text(&self) -> PublicMessage {
        let publication = self.publication.as_ref();
        let title = publication
            .and_then(|p| p.title.as_deref())
            .unwrap_or(&self.title);
        let body = publication
            .and_then(|p| p.body.as_deref())
            .unwrap_or(&self.body);
        PublicMessage {
            number: self.number.clone(),
            kind: kind_label(&self.kind),
            title: self.masked(title),
            body: self.masked(body),
            reply: self
                .reply
                .as_ref()
                .map(|r| self.masked(&r.text))
                .unwrap_or_default(),
            received: self.received,
            replied_on: self.reply.as_ref().map(|r| r.on),
            published_on: publication.map(|p| p.on),
            published_at: publication.map(|p| p.at),
        }
    }

    /// The published question and answer: only with the writer's consent, only while
    /// published.
    pub fn published(&self) -> Option<PublicMessage> {
        (self.consent && self.state() == MessageState::Published).then(|| self.public_text())
    }
}

macro_rules! message_columns {
    () => {
        "id, organ_id, number, kind, title, body, writer_name, phone, email, consent, received, \
         created_at, decision, redirect, decision_reason, decided_on, decided_by, reply, \
         replied_on, replied_by, published_on, published_at, public_title, public_body"
    };
}

fn date_column(row: &sqlx::any::AnyRow, column: &str) -> Result<Option<Date>> {
    match row.try_get::<Option<String>, _>(column)? {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Other(format!("messages.{column}: not a date: {text}"))),
    }
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Message> {
    let received = date_column(row, "received")?
        .ok_or_else(|| StoreError::Other("messages.received is empty".into()))?;
    let moderation = match (
        row.try_get::<Option<String>, _>("decision")?,
        date_column(row, "decided_on")?,
    ) {
        (Some(decision), Some(on)) => Some(Moderation {
            decision: match decision.as_str() {
                "accepted" => Decision::Accepted,
                _ => Decision::Rejected {
                    redirect: row.try_get("redirect")?,
                    reason: row.try_get("decision_reason")?,
                },
            },
            on,
            by: row
                .try_get::<Option<String>, _>("decided_by")?
                .unwrap_or_default(),
        }),
        _ => None,
    };
    let reply = match (
        row.try_get::<Option<String>, _>("reply")?,
        date_column(row, "replied_on")?,
    ) {
        (Some(text), Some(on)) => Some(Reply {
            text,
            on,
            by: row
                .try_get::<Option<String>, _>("replied_by")?
                .unwrap_or_default(),
        }),
        _ => None,
    };
    let publication = match (
        date_column(row, "published_on")?,
        row.try_get::<Option<i64>, _>("published_at")?,
    ) {
        (Some(on), Some(at)) => Some(Publication {
            on,
            at,
            title: row.try_get("public_title")?,
            body: row.try_get("public_body")?,
        }),
        _ => None,
    };
    Ok(Message {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        number: row.try_get("number")?,
        kind: row.try_get("kind")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        writer: Writer {
            name: row.try_get("writer_name")?,
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
        },
        consent: row.try_get::<i64, _>("consent")? != 0,
        received,
        created_at: row.try_get("created_at")?,
        moderation,
        reply,
        publication,
    })
}

async fn fetch(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    id: MessageId,
) -> Result<Message> {
    let row = sqlx::query(concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE id = $1 AND organ_id = $2"
    ))
    .bind(id)
    .bind(organ_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("message"))?;
    from_row(&row)
}

/// What the audit log keeps of a 留言: no name, no contact, the title masked.
fn audit_value(m: &Message) -> serde_json::Value {
    json!({
        "number": m.number,
        "kind": m.kind,
        "title": m.masked(&m.title),
        "consent": m.consent,
        "received": format_date(m.received),
        "state": m.state().label(),
    })
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

/// A required text within `max` characters.
fn required(field: &'static str, what: &str, text: &str, max: usize) -> Result<()> {
    let count = text.trim().chars().count();
    if count == 0 {
        return Err(invalid(field, format!("请填写{what}。")));
    }
    if count > max {
        return Err(invalid(
            field,
            format!("{what}不能超过{max}个字（现为{count}个）。"),
        ));
    }
    Ok(())
}

/// The checks of a new 留言 (the form checks the same, field by field, for the writer).
fn check_new(new: &NewMessage) -> Result<()> {
    if kind_label(&new.kind).is_empty() {
        return Err(invalid("kind", "请选择留言类型。"));
    }
    required("title", "标题", &new.title, TITLE_MAX)?;
    required("body", "留言内容", &new.body, BODY_MAX)?;
    required("name", "姓名", &new.writer.name, 50)?;
    required("phone", "联系电话", &new.writer.phone, 30)?;
    if new.query_code.trim().is_empty() {
        return Err(invalid("query_code", "缺少查询码。"));
    }
    Ok(())
}

/// The sentence of a step the state does not allow.
fn not_now(action: MessageAction, state: MessageState) -> String {
    format!(
        "留言当前状态为“{}”，不能“{}”。",
        state.label(),
        action.label()
    )
}

/// A step's date: not before receipt, not after today.
fn check_date(message: &Message, on: Date, today: Date) -> Result<()> {
    if on < message.received {
        return Err(invalid(
            "date",
            format!(
                "日期不能早于收到留言之日 {}。",
                format_date(message.received)
            ),
        ));
    }
    if on > today {
        return Err(invalid("date", "日期不能晚于今天。"));
    }
    Ok(())
}

/// An edited public text: `None` when it is the original (or empty: the original is kept).
fn edited(
    field: &'static str,
    what: &str,
    text: Option<&str>,
    original: &str,
    max: usize,
) -> Result<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    required(field, what, text, max)?;
    Ok((text != original.trim()).then(|| text.to_owned()))
}

impl Store {
    /// Keeps a new 留言 with its 留言编号 (per organ and year of receipt) and the hash of its
    /// 查询码, with its audit row (no personal data), in one transaction.
    pub async fn create_message(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        new: &NewMessage,
    ) -> Result<Message> {
        check_new(new)?;
        let organ_id = scope.organ_id();
        let year = new.received.year();
        let mut tx = self.begin_write().await?;
        let seq = next_counter(&mut tx, organ_id, "message", year).await?;
        let number = format!("LY-{year}-{seq:04}");
        let row = sqlx::query(
            "INSERT INTO messages (organ_id, number, kind, title, body, writer_name, phone, email, \
             consent, query_hash, received, created_at, decision, redirect, decision_reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, '', '') \
             RETURNING id",
        )
        .bind(organ_id)
        .bind(&number)
        .bind(&new.kind)
        .bind(new.title.trim())
        .bind(new.body.trim())
        .bind(new.writer.name.trim())
        .bind(new.writer.phone.trim())
        .bind(new.writer.email.trim())
        .bind(i64::from(new.consent))
        .bind(query_hash(&number, &new.query_code))
        .bind(format_date(new.received))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: MessageId = row.try_get("id")?;
        let message = fetch(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "message.create",
                entity: "message",
                entity_id: id.to_string(),
                before: None,
                after: Some(audit_value(&message)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(message)
    }

    /// One 留言 of the scope's organ (another organ's is not found).
    pub async fn message(&self, scope: OrganScope, id: MessageId) -> Result<Message> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, scope.organ_id(), id).await
    }

    /// Every 留言 of the organ, newest first (the console orders its queue by due date).
    pub async fn messages(&self, scope: OrganScope) -> Result<Vec<Message>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE organ_id = $1 ORDER BY id DESC"
        ))
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The 留言 of a 留言编号 and 查询码, for the writer's look-up page. A wrong pair finds
    /// nothing; the caller limits the attempts.
    pub async fn tracked_message(&self, number: &str, code: &str) -> Result<Option<Message>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE number = $1 AND query_hash = $2"
        ))
        .bind(number)
        .bind(query_hash(number, code))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The organ's published questions and answers (with consent), newest publication first:
    /// one page of them and how many there are in all. Public data: no scope.
    pub async fn published_messages(
        &self,
        organ_id: OrganId,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Message>, i64)> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE organ_id = $1 AND consent = 1 AND published_on IS NOT NULL \
             AND reply IS NOT NULL ORDER BY published_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(organ_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        let total = sqlx::query(
            "SELECT COUNT(*) AS n FROM messages WHERE organ_id = $1 AND consent = 1 \
             AND published_on IS NOT NULL AND reply IS NOT NULL",
        )
        .bind(organ_id)
        .fetch_one(self.pool())
        .await?
        .try_get("n")?;
        let list = rows
            .iter()
            .map(from_row)
            .collect::<Result<Vec<Message>>>()?;
        Ok((
            list.into_iter()
                .filter(|m| m.published().is_some())
                .collect(),
            total,
        ))
    }

    /// One published question and answer of the organ by its 留言编号.
    pub async fn published_message(
        &self,
        organ_id: OrganId,
        number: &str,
    ) -> Result<Option<PublicMessage>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            message_columns!(),
            " FROM messages WHERE organ_id = $1 AND number = $2"
        ))
        .bind(organ_id)
        .bind(number)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => from_row(&row)?.published(),
            None => None,
        })
    }

    /// Takes one step on a 留言: judges it against [`RULES`] in the state the 留言 is in
    /// ([`StoreError::NotAllowed`] otherwise; publication also needs the writer's consent),
    /// checks its data against `today` ([`StoreError::Invalid`]), then writes it with its audit
    /// row, in one transaction. Nothing is written when it is refused.
    pub async fn take_message_step(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: MessageId,
        step: &MessageStep,
        today: Date,
        now: i64,
    ) -> Result<Message> {
        let organ_id = scope.organ_id();
        let action = step.action();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, organ_id, id).await?;
        let state = before.state();
        if !allowed(action, state) {
            return Err(StoreError::NotAllowed(not_now(action, state)));
        }
        let mut detail = json!({ "action": action.key() });
        match step {
            MessageStep::Accept { on } => {
                check_date(&before, *on, today)?;
                sqlx::query(
                    "UPDATE messages SET decision = 'accepted', redirect = '', \
                     decision_reason = '', decided_on = $1, decided_by = $2 WHERE id = $3",
                )
                .bind(format_date(*on))
                .bind(&actor.name)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                detail["date"] = format_date(*on).into();
            }
            MessageStep::Reject {
                on,
                redirect: key,
                reason,
            } => {
                check_date(&before, *on, today)?;
                if redirect(key).is_none() {
                    return Err(invalid("redirect", "请选择不予受理的类别。"));
                }
                required("reason", "不予受理的理由", reason, REASON_MAX)?;
                sqlx::query(
                    "UPDATE messages SET decision = 'rejected', redirect = $1, \
                     decision_reason = $2, decided_on = $3, decided_by = $4 WHERE id = $5",
                )
                .bind(key)
                .bind(reason.trim())
                .bind(format_date(*on))
                .bind(&actor.name)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                detail["date"] = format_date(*on).into();
                detail["redirect"] = key.clone().into();
                detail["reason"] = before.masked(reason.trim()).into();
            }
            MessageStep::Reply { on, text } => {
                check_date(&before, *on, today)?;
                if let Some(Moderation { on: accepted, .. }) = &before.moderation
                    && *on < *accepted
                {
                    return Err(invalid(
                        "date",
                        format!("答复日期不能早于受理日期 {}。", format_date(*accepted)),
                    ));
                }
                required("reply", "答复内容", text, REPLY_MAX)?;
                sqlx::query(
                    "UPDATE messages SET reply = $1, replied_on = $2, replied_by = $3 \
                     WHERE id = $4",
                )
                .bind(text.trim())
                .bind(format_date(*on))
                .bind(&actor.name)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                detail["date"] = format_date(*on).into();
                detail["reply"] = before.masked(text.trim()).into();
            }
            MessageStep::Publish { title, body } => {
                if !before.consent {
                    return Err(StoreError::NotAllowed(
                        "留言人未同意公开其留言和答复，不能公开。".into(),
                    ));
                }
                let title = edited(
                    "title",
                    "公开的标题",
                    title.as_deref(),
                    &before.title,
                    TITLE_MAX,
                )?;
                let body = edited(
                    "body",
                    "公开的留言内容",
                    body.as_deref(),
                    &before.body,
                    BODY_MAX,
                )?;
                sqlx::query(
                    "UPDATE messages SET published_on = $1, published_at = $2, public_title = $3, \
                     public_body = $4 WHERE id = $5",
                )
                .bind(format_date(today))
                .bind(now)
                .bind(title.clone())
                .bind(body.clone())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                detail["date"] = format_date(today).into();
                detail["edited_title"] = title.is_some().into();
                detail["edited_body"] = body.is_some().into();
            }
            MessageStep::Unpublish => {
                sqlx::query(
                    "UPDATE messages SET published_on = NULL, published_at = NULL, \
                     public_title = NULL, public_body = NULL WHERE id = $1",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let after = fetch(&mut tx, organ_id, id).await?;
        let mut after_value = audit_value(&after);
        after_value["step"] = detail;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "message.step",
                entity: "message",
                entity_id: id.to_string(),
                before: Some(audit_value(&before)),
                after: Some(after_value),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The working days within which the organ answers a 留言 ([`DEFAULT_REPLY_DAYS`] unless
    /// it set its own). It applies to every 留言 not yet answered, whenever received.
    pub async fn message_reply_days(&self, organ_id: OrganId) -> Result<u32> {
        let row = sqlx::query("SELECT reply_days FROM interaction_settings WHERE organ_id = $1")
            .bind(organ_id)
            .fetch_optional(self.pool())
            .await?;
        match row {
            None => Ok(DEFAULT_REPLY_DAYS),
            Some(row) => u32::try_from(row.try_get::<i64, _>("reply_days")?)
                .map_err(|_| StoreError::Other("interaction_settings.reply_days".into())),
        }
    }

    /// Sets the organ's reply limit (1 to [`MAX_REPLY_DAYS`] working days), with its audit row.
    pub async fn set_message_reply_days(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        days: u32,
    ) -> Result<()> {
        if !(1..=MAX_REPLY_DAYS).contains(&days) {
            return Err(invalid(
                "reply_days",
                format!("答复期限应为1至{MAX_REPLY_DAYS}个工作日。"),
            ));
        }
        let organ_id = scope.organ_id();
        let before = self.message_reply_days(organ_id).await?;
        let mut tx = self.begin_write().await?;
        let updated =
            sqlx::query("UPDATE interaction_settings SET reply_days = $1 WHERE organ_id = $2")
                .bind(i64::from(days))
                .bind(organ_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if updated == 0 {
            sqlx::query("INSERT INTO interaction_settings (organ_id, reply_days) VALUES ($1, $2)")
                .bind(organ_id)
                .bind(i64::from(days))
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "message_settings.update",
                entity: "organ",
                entity_id: organ_id.to_string(),
                before: Some(json!({ "reply_days": before })),
                after: Some(json!({ "reply_days": days })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_redirect_has_a_label() {
        for (key, label) in KINDS {
            assert_eq!(kind_label(key), label);
        }
        assert_eq!(kind_label("求助"), "");
        for r in REDIRECTS {
            assert_eq!(redirect(r.key), Some(&r));
            assert!(!r.advice.is_empty());
        }
    }
}
