//! Disclosure applications (依申请公开) and their ledger.
//!
//! An application row holds who applied and what they asked for (条例 art. 29); everything that
//! happens to it is an append-only [`LedgerEvent`] in `case_events`, the first always
//! `received` with its channel (art. 31). Status, due date and explanation are never stored:
//! [`Application::clock`] computes them with `gongkai_core::clock` on the day asked.
//!
//! [`Store::append_case_event`] is the one door for a step: in one transaction it reads the
//! ledger, asks [`workflow::decide`] whether the caller's roles and the case's state admit the
//! step (403 / 409), runs the clock over the ledger with the step added (422 for an impossible
//! sequence), and only then appends the event and its audit row.

use gongkai_core::calendar::{Calendar, format_date};
use gongkai_core::clock::{self, ClockConfig, ClockError, ClockReport, Event};
use gongkai_core::identity;
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::ledger::{EventJson, Happening, LedgerEvent, Record};
use crate::workflow::{self, Action, CaseState, Decision};
use crate::{Actor, OrganId, OrganScope, Result, Role, Store, StoreError, UserId, audit};

/// Database identifier of an application.
pub type ApplicationId = i64;

/// Who applied (条例 art. 29 (一)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applicant {
    /// The 表三 column: a key of `gongkai_core::format::APPLICANT_COLUMNS` but `total`.
    pub kind: String,
    /// 姓名 or 名称.
    pub name: String,
    /// `resident_id`, `credit_code`, `passport`, `other`.
    pub id_type: String,
    /// 证件号码.
    pub id_number: String,
    /// 工作单位 (citizens, optional).
    pub work_unit: String,
    /// 法定代表人 (organisations).
    pub legal_representative: String,
    /// 联系人 (organisations).
    pub contact_person: String,
    /// 联系电话.
    pub phone: String,
    /// 电子邮箱.
    pub email: String,
    /// 通信地址.
    pub address: String,
    /// 邮政编码.
    pub postcode: String,
    /// 传真.
    pub fax: String,
}

impl Applicant {
    /// The 证件号码 as lists and logs show it (身份证 as 1101**********1234).
    pub fn masked_id(&self) -> String {
        if self.id_type == "resident_id" {
            identity::mask_resident_id(&self.id_number)
        } else {
            identity::mask_id(&self.id_number)
        }
    }

    /// The name as lists show it: a citizen's masked (张*), an organisation's in full.
    pub fn masked_name(&self) -> String {
        if self.kind == "natural_person" {
            identity::mask_name(&self.name)
        } else {
            self.name.clone()
        }
    }
}

/// What was asked for (art. 29 (二), (三)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// 信息名称.
    pub title: String,
    /// 文号.
    pub doc_number: String,
    /// 便于行政机关查询的其他特征性描述.
    pub description: String,
    /// 载体形式 keys (纸质, 电子文档, …).
    pub forms: Vec<String>,
    /// 获取方式 keys (自行领取, 邮寄, 电子邮件, …).
    pub delivery: Vec<String>,
    /// 若无法按指定形式提供，同意以其他适当形式提供.
    pub accept_other_form: bool,
}

impl Request {
    /// The information sought, in one line, for notices and lists.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if !self.title.is_empty() {
            parts.push(self.title.clone());
        }
        if !self.doc_number.is_empty() {
            parts.push(format!("（{}）", self.doc_number));
        }
        if !self.description.is_empty() {
            if !parts.is_empty() {
                parts.push("：".into());
            }
            parts.push(self.description.clone());
        }
        parts.concat()
    }
}

/// A file to keep with a new application, already encrypted by the caller.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// `id_proof` (身份证明) or `letter` (the scanned application).
    pub purpose: String,
    /// The uploaded file's name.
    pub file_name: String,
    /// Its checked content type.
    pub content_type: String,
    /// Plain size in bytes.
    pub size: i64,
    /// The cipher's nonce.
    pub nonce: Vec<u8>,
    /// The encrypted bytes.
    pub ciphertext: Vec<u8>,
}

/// A kept file (still encrypted).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Identifier.
    pub id: i64,
    /// `id_proof` or `letter`.
    pub purpose: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Plain size.
    pub size: i64,
    /// Nonce.
    pub nonce: Vec<u8>,
    /// Encrypted bytes.
    pub ciphertext: Vec<u8>,
}

/// A new application.
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// Who.
    pub applicant: Applicant,
    /// What.
    pub request: Request,
    /// How it came (art. 31).
    pub channel: clock::Channel,
    /// The receipt date under art. 31.
    pub received: Date,
    /// SHA-256 (hex) of the 查询码 with the number, for online applications; see
    /// [`query_hash`].
    pub query_code: Option<String>,
    /// Files.
    pub attachments: Vec<NewAttachment>,
}

/// The hash kept of a 查询码: SHA-256 over the number and the code, so that equal codes of
/// two applications differ and the table alone reveals neither.
pub fn query_hash(number: &str, code: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("gongkai-query:{number}:{code}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An event of the ledger as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Sequence number.
    pub id: i64,
    /// The event.
    pub event: LedgerEvent,
    /// Who recorded it.
    pub actor_name: String,
    /// When (Unix seconds).
    pub recorded_at: i64,
}

/// An application with its ledger.
#[derive(Debug, Clone)]
pub struct Application {
    /// Identifier.
    pub id: ApplicationId,
    /// The organ it was made to.
    pub organ_id: OrganId,
    /// 申请编号, e.g. `YSQ-2026-0007`.
    pub number: String,
    /// Who.
    pub applicant: Applicant,
    /// What.
    pub request: Request,
    /// The handler it is assigned to.
    pub assignee_id: Option<UserId>,
    /// When it was registered (Unix seconds).
    pub created_at: i64,
    /// Whether it can be tracked online (a 查询码 was issued).
    pub trackable: bool,
    /// The ledger, in recording order.
    pub events: Vec<StoredEvent>,
}

impl Application {
    /// The clock's events, in recording order.
    pub fn clock_events(&self) -> Vec<clock::CaseEvent> {
        self.events
            .iter()
            .filter_map(|e| e.event.case_event())
            .collect()
    }

    /// The receipt date and channel (the first event).
    pub fn received(&self) -> Option<(Date, clock::Channel)> {
        self.events.iter().find_map(|e| match &e.event.what {
            Happening::Clock(Event::Received { channel }) => Some((e.event.date, *channel)),
            _ => None,
        })
    }

    /// The case's clock on `today`.
    pub fn clock(
        &self,
        cal: &Calendar,
        config: ClockConfig,
        today: Date,
    ) -> Result<ClockReport, ClockError> {
        clock::application_clock(cal, config, &self.clock_events(), today)
    }

    /// Whether an extension request waits for the 负责人.
    pub fn extension_pending(&self) -> bool {
        let mut pending = false;
        for e in &self.events {
            match &e.event.what {
                Happening::Record(Record::ExtensionRequested { .. }) => pending = true,
                Happening::Record(Record::ExtensionRefused { .. })
                | Happening::Clock(Event::ExtensionApproved { .. }) => pending = false,
                _ => {}
            }
        }
        pending
    }

    /// Whether the one extension of art. 33 ¶2 was approved.
    pub fn extended(&self) -> bool {
        self.events.iter().any(|e| {
            matches!(
                e.event.what,
                Happening::Clock(Event::ExtensionApproved { .. })
            )
        })
    }

    /// The pending extension request, if any: days and reason.
    pub fn extension_request(&self) -> Option<(u32, String)> {
        if !self.extension_pending() {
            return None;
        }
        self.events.iter().rev().find_map(|e| match &e.event.what {
            Happening::Record(Record::ExtensionRequested { days, reason }) => {
                Some((*days, reason.clone()))
            }
            _ => None,
        })
    }

    /// The workflow state on `today` (closed when the clock cannot be computed is never
    /// assumed: the error is returned).
    pub fn state(
        &self,
        cal: &Calendar,
        config: ClockConfig,
        today: Date,
    ) -> Result<(CaseState, ClockReport), ClockError> {
        let report = self.clock(cal, config, today)?;
        Ok((
            CaseState::of(report.status, self.extension_pending()),
            report,
        ))
    }
}

/// Filter of [`Store::applications`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplicationFilter {
    /// Only those not yet closed by a reply or lapse.
    pub open_only: bool,
}

fn join(list: &[String]) -> String {
    list.join(",")
}

fn split(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

macro_rules! application_columns {
    () => {
        "id, organ_id, number, applicant_kind, applicant_name, id_type, id_number, work_unit, \
         legal_representative, contact_person, phone, email, address, postcode, fax, \
         info_title, info_doc_number, description, forms, delivery, accept_other_form, \
         query_hash, assignee_id, created_at"
    };
}

fn application_from_row(row: &sqlx::any::AnyRow) -> Result<Application> {
    Ok(Application {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        number: row.try_get("number")?,
        applicant: Applicant {
            kind: row.try_get("applicant_kind")?,
            name: row.try_get("applicant_name")?,
            id_type: row.try_get("id_type")?,
            id_number: row.try_get("id_number")?,
            work_unit: row.try_get("work_unit")?,
            legal_representative: row.try_get("legal_representative")?,
            contact_person: row.try_get("contact_person")?,
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
            address: row.try_get("address")?,
            postcode: row.try_get("postcode")?,
            fax: row.try_get("fax")?,
        },
        request: Request {
            title: row.try_get("info_title")?,
            doc_number: row.try_get("info_doc_number")?,
            description: row.try_get("description")?,
            forms: split(&row.try_get::<String, _>("forms")?),
            delivery: split(&row.try_get::<String, _>("delivery")?),
            accept_other_form: row.try_get::<i64, _>("accept_other_form")? != 0,
        },
        trackable: row.try_get::<Option<String>, _>("query_hash")?.is_some(),
        assignee_id: row.try_get("assignee_id")?,
        created_at: row.try_get("created_at")?,
        events: Vec::new(),
    })
}

fn event_from_row(row: &sqlx::any::AnyRow) -> Result<(ApplicationId, StoredEvent)> {
    let date: String = row.try_get("date")?;
    let key: String = row.try_get("event")?;
    let data: String = row.try_get("data_json")?;
    // date and event have their own columns; the rest of the event is the JSON.
    let mut value: serde_json::Value = serde_json::from_str(&data)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("date".into(), date.into());
        map.insert("event".into(), key.into());
    }
    let json: EventJson = serde_json::from_value(value)?;
    let event = json
        .parse()
        .map_err(|e| StoreError::Other(format!("case_events row: {e}")))?;
    Ok((
        row.try_get("application_id")?,
        StoredEvent {
            id: row.try_get("id")?,
            event,
            actor_name: row.try_get("actor_name")?,
            recorded_at: row.try_get("recorded_at")?,
        },
    ))
}

async fn load_events(
    conn: &mut sqlx::AnyConnection,
    application_id: ApplicationId,
) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query(
        "SELECT id, application_id, date, event, data_json, actor_name, recorded_at \
         FROM case_events WHERE application_id = $1 ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| event_from_row(r).map(|(_, e)| e))
        .collect()
}

pub(crate) async fn fetch_application(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    id: ApplicationId,
) -> Result<Application> {
    let row = sqlx::query(concat!(
        "SELECT ",
        application_columns!(),
        " FROM applications WHERE id = $1 AND organ_id = $2"
    ))
    .bind(id)
    .bind(organ_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("application"))?;
    let mut application = application_from_row(&row)?;
    application.events = load_events(conn, id).await?;
    Ok(application)
}

/// The `date`, `event` and `data_json` columns of a ledger event: date and key have their own
/// columns, the rest is the event's JSON (the one form every writer uses).
pub(crate) fn event_columns(event: &LedgerEvent) -> Result<(String, String, String)> {
    let mut json = EventJson::of(event);
    let date = std::mem::take(&mut json.date);
    let key = std::mem::take(&mut json.event);
    let mut data = serde_json::to_value(&json)?;
    if let Some(map) = data.as_object_mut() {
        map.remove("date");
        map.remove("event");
    }
    Ok((date, key, data.to_string()))
}

pub(crate) async fn insert_event(
    conn: &mut sqlx::AnyConnection,
    application_id: ApplicationId,
    actor: &Actor,
    now: i64,
    event: &LedgerEvent,
) -> Result<i64> {
    let (date, key, data) = event_columns(event)?;
    let row = sqlx::query(
        "INSERT INTO case_events (application_id, date, event, data_json, actor_user_id, \
         actor_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(application_id)
    .bind(date)
    .bind(key)
    .bind(data)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Allocates the next value of a per-organ, per-year counter inside the caller's transaction.
pub(crate) async fn next_counter(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    name: &str,
    year: i32,
) -> Result<u32> {
    let updated = sqlx::query(
        "UPDATE counters SET value = value + 1 WHERE organ_id = $1 AND name = $2 AND year = $3 \
         RETURNING value",
    )
    .bind(organ_id)
    .bind(name)
    .bind(i64::from(year))
    .fetch_optional(&mut *conn)
    .await?;
    let value: i64 = match updated {
        Some(row) => row.try_get("value")?,
        None => {
            sqlx::query(
                "INSERT INTO counters (organ_id, name, year, value) VALUES ($1, $2, $3, 1)",
            )
            .bind(organ_id)
            .bind(name)
            .bind(i64::from(year))
            .execute(&mut *conn)
            .await?;
            1
        }
    };
    u32::try_from(value).map_err(|_| StoreError::Other(format!("counter {name} overflow")))
}

/// What the audit log keeps of an application: no personal data beyond the masked name and
/// number (the 申请编号 finds the rest for those allowed to see it).
fn audit_summary(a: &Application) -> serde_json::Value {
    json!({
        "number": a.number,
        "applicant_kind": a.applicant.kind,
        "applicant": a.applicant.masked_name(),
        "id_number": a.applicant.masked_id(),
        "received": a.received().map(|(d, _)| format_date(d)),
        "channel": a.received().map(|(_, c)| c.key()),
    })
}

/// The message of a refused step, in Chinese.
fn not_now(action: Action, state: CaseState) -> String {
    format!(
        "案件当前状态为“{}”，不能“{}”。",
        state.label(),
        action.label()
    )
}

impl Store {
    /// Registers an application: allocates its 申请编号 (per organ and year of receipt),
    /// keeps its files and records the `received` event, in one transaction.
    pub async fn create_application(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        new: &NewApplication,
    ) -> Result<Application> {
        let organ_id = scope.organ_id();
        let year = new.received.year();
        let mut tx = self.begin_write().await?;
        let seq = next_counter(&mut tx, organ_id, "application", year).await?;
        let number = format!("YSQ-{year}-{seq:04}");
        let a = &new.applicant;
        let r = &new.request;
        let query_hash = new.query_code.as_deref().map(|c| query_hash(&number, c));
        let row = sqlx::query(
            "INSERT INTO applications (organ_id, number, applicant_kind, applicant_name, id_type, \
             id_number, work_unit, legal_representative, contact_person, phone, email, address, \
             postcode, fax, info_title, info_doc_number, description, forms, delivery, \
             accept_other_form, query_hash, assignee_id, created_at) VALUES ($1, $2, $3, $4, \
             $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             NULL, $22) RETURNING id",
        )
        .bind(organ_id)
        .bind(&number)
        .bind(&a.kind)
        .bind(&a.name)
        .bind(&a.id_type)
        .bind(&a.id_number)
        .bind(&a.work_unit)
        .bind(&a.legal_representative)
        .bind(&a.contact_person)
        .bind(&a.phone)
        .bind(&a.email)
        .bind(&a.address)
        .bind(&a.postcode)
        .bind(&a.fax)
        .bind(&r.title)
        .bind(&r.doc_number)
        .bind(&r.description)
        .bind(join(&r.forms))
        .bind(join(&r.delivery))
        .bind(i64::from(r.accept_other_form))
        .bind(query_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: ApplicationId = row.try_get("id")?;
        for file in &new.attachments {
            sqlx::query(
                "INSERT INTO attachments (application_id, purpose, file_name, content_type, \
                 size, nonce, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(&file.purpose)
            .bind(&file.file_name)
            .bind(&file.content_type)
            .bind(file.size)
            .bind(file.nonce.clone())
            .bind(file.ciphertext.clone())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let received = LedgerEvent::clock(
            new.received,
            Event::Received {
                channel: new.channel,
            },
        );
        insert_event(&mut tx, id, actor, now, &received).await?;
        let application = fetch_application(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "application.create",
                entity: "application",
                entity_id: id.to_string(),
                before: None,
                after: Some(audit_summary(&application)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(application)
    }

    /// One application of the scope's organ (another organ's is not found).
    pub async fn application(&self, scope: OrganScope, id: ApplicationId) -> Result<Application> {
        let mut conn = self.pool().acquire().await?;
        fetch_application(&mut conn, scope.organ_id(), id).await
    }

    /// The organ's applications with their ledgers, newest first. Closing is a ledger event,
    /// so `open_only` is applied by the caller's clock; here it drops those whose ledger
    /// holds a closing event.
    pub async fn applications(
        &self,
        scope: OrganScope,
        filter: ApplicationFilter,
    ) -> Result<Vec<Application>> {
        let organ_id = scope.organ_id();
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query(concat!(
            "SELECT ",
            application_columns!(),
            " FROM applications WHERE organ_id = $1 ORDER BY id DESC"
        ))
        .bind(organ_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut list: Vec<Application> = rows
            .iter()
            .map(application_from_row)
            .collect::<Result<_>>()?;
        let events = sqlx::query(
            "SELECT e.id, e.application_id, e.date, e.event, e.data_json, e.actor_name, \
             e.recorded_at FROM case_events e JOIN applications a ON a.id = e.application_id \
             WHERE a.organ_id = $1 ORDER BY e.id",
        )
        .bind(organ_id)
        .fetch_all(&mut *conn)
        .await?;
        let index: std::collections::HashMap<ApplicationId, usize> =
            list.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        for row in &events {
            let (app, event) = event_from_row(row)?;
            if let Some(&i) = index.get(&app) {
                list[i].events.push(event);
            }
        }
        if filter.open_only {
            list.retain(|a| !a.events.iter().any(|e| closes(&e.event)));
        }
        Ok(list)
    }

    /// The applications whose number and 查询码 match, for the public tracking page. A wrong
    /// pair finds nothing; the caller rate-limits the attempts.
    pub async fn tracked_application(
        &self,
        number: &str,
        code: &str,
    ) -> Result<Option<Application>> {
        let hash = query_hash(number, code);
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            application_columns!(),
            " FROM applications WHERE number = $1 AND query_hash = $2"
        ))
        .bind(number)
        .bind(&hash)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut application = application_from_row(&row)?;
        application.events = load_events(&mut conn, application.id).await?;
        Ok(Some(application))
    }

    /// The files of an application (still encrypted).
    pub async fn attachments(
        &self,
        scope: OrganScope,
        application_id: ApplicationId,
    ) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT t.id, t.purpose, t.file_name, t.content_type, t.size, t.nonce, t.ciphertext \
             FROM attachments t JOIN applications a ON a.id = t.application_id \
             WHERE t.application_id = $1 AND a.organ_id = $2 ORDER BY t.id",
        )
        .bind(application_id)
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Attachment {
                    id: row.try_get("id")?,
                    purpose: row.try_get("purpose")?,
                    file_name: row.try_get("file_name")?,
                    content_type: row.try_get("content_type")?,
                    size: row.try_get("size")?,
                    nonce: row.try_get("nonce")?,
                    ciphertext: row.try_get("ciphertext")?,
                })
            })
            .collect()
    }

    /// Takes one step on a case: checks the caller's roles and the case's state against the
    /// workflow, the sequence against the clock (on `today`, with `cal`), then appends the
    /// event and its audit row. Returns the application with its new ledger.
    ///
    /// Refusals: [`StoreError::Forbidden`] (no role allows the step),
    /// [`StoreError::NotAllowed`] (the state does not), [`StoreError::Invalid`] (the clock
    /// rejects the sequence, or the event's own data is wrong). Nothing is written then.
    #[allow(clippy::too_many_arguments)]
    pub async fn append_case_event(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: ApplicationId,
        event: LedgerEvent,
        cal: &Calendar,
        config: ClockConfig,
        today: Date,
        now: i64,
    ) -> Result<Application> {
        let organ_id = scope.organ_id();
        let Some(action) = Action::from_key(event.what.key()) else {
            return Err(StoreError::Invalid {
                field: "event",
                message: format!("“{}”不能由工作人员登记。", event.what.name()),
            });
        };
        let roles = match actor.user_id {
            Some(user) => self.roles_on(user, organ_id).await?,
            None => Role::ALL.to_vec(),
        };
        let mut tx = self.begin_write().await?;
        let mut application = fetch_application(&mut tx, organ_id, id).await?;
        // The step is judged in the state the case was in on its date (a letter recorded a
        // day late was still answered during the consultation), but never before the latest
        // step already recorded, nor after today.
        let latest = application
            .events
            .iter()
            .map(|e| e.event.date)
            .max()
            .unwrap_or(event.date);
        let state_day = event.date.max(latest).min(today);
        let (state, report) =
            application
                .state(cal, config, state_day)
                .map_err(|e| StoreError::Invalid {
                    field: "events",
                    message: e.to_string(),
                })?;
        match workflow::decide(state, action, &roles) {
            Decision::Forbidden => return Err(StoreError::Forbidden),
            Decision::NotNow => return Err(StoreError::NotAllowed(not_now(action, state))),
            Decision::Allowed => {}
        }
        guard(&application, &event, &report, cal, config)?;
        if let Happening::Record(Record::NoticeDelivered { notice_id, .. }) = &event.what {
            let issued =
                sqlx::query("SELECT issued FROM notices WHERE id = $1 AND application_id = $2")
                    .bind(*notice_id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let message = match issued {
                Some(row) if row.try_get::<i64, _>("issued")? != 0 => None,
                Some(_) => Some("告知书尚未签发，不能登记送达。"),
                None => Some("本案没有该告知书。"),
            };
            if let Some(message) = message {
                return Err(StoreError::Invalid {
                    field: "notice_id",
                    message: message.into(),
                });
            }
        }
        if let Happening::Record(Record::Assigned { to, .. }) = &event.what {
            let roles = self.roles_on(*to, organ_id).await?;
            if !roles
                .iter()
                .any(|r| matches!(r, Role::CaseHandler | Role::Head))
            {
                return Err(StoreError::Invalid {
                    field: "to",
                    message: "只能分办给本机关的承办人或负责人。".into(),
                });
            }
        }
        let mut trial = application.clock_events();
        if let Some(e) = event.case_event() {
            trial.push(e);
        }
        clock::application_clock(cal, config, &trial, today).map_err(|e| StoreError::Invalid {
            field: "event",
            message: e.to_string(),
        })?;
        let before = report.due.map(format_date);
        let event_id = insert_event(&mut tx, id, actor, now, &event).await?;
        if let Happening::Record(Record::Assigned { to, .. }) = &event.what {
            sqlx::query("UPDATE applications SET assignee_id = $1 WHERE id = $2")
                .bind(*to)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        application = fetch_application(&mut tx, organ_id, id).await?;
        let after = application
            .clock(cal, config, today)
            .ok()
            .and_then(|r| r.due.map(format_date));
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "application.event",
                entity: "application",
                entity_id: id.to_string(),
                before: Some(json!({ "due": before, "state": state.label() })),
                after: Some(json!({
                    "number": application.number,
                    "event_id": event_id,
                    "event": crate::ledger::to_value(&event),
                    "due": after,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(application)
    }
}

/// Whether an event closes the case.
fn closes(event: &LedgerEvent) -> bool {
    matches!(
        event.what,
        Happening::Clock(Event::Replied { .. } | Event::CorrectionLapsed | Event::FeeLapsed)
    )
}

/// The statutory guards the clock does not enforce for a new step (it accepts them, with a
/// note, for cases recorded after the fact).
fn guard(
    application: &Application,
    event: &LedgerEvent,
    report: &ClockReport,
    cal: &Calendar,
    config: ClockConfig,
) -> Result<()> {
    let invalid = |field: &'static str, message: String| StoreError::Invalid { field, message };
    match &event.what {
        Happening::Clock(Event::CorrectionRequested { deadline }) => {
            if application.events.iter().any(|e| {
                matches!(
                    e.event.what,
                    Happening::Clock(Event::CorrectionRequested { .. })
                )
            }) {
                return Err(StoreError::NotAllowed(
                    "补正应当一次性告知（第三十条），本案已告知过补正。".into(),
                ));
            }
            let latest = cal
                .add(report.received, clock::CORRECTION_NOTICE_DAYS)
                .map_err(|e| invalid("date", e.to_string()))?
                .value;
            let latest = match config.receipt_day {
                clock::ReceiptDay::Excluded => latest,
                clock::ReceiptDay::Included => {
                    cal.add(report.received, clock::CORRECTION_NOTICE_DAYS - 1)
                        .map_err(|e| invalid("date", e.to_string()))?
                        .value
                }
            };
            if event.date > latest {
                return Err(StoreError::NotAllowed(format!(
                    "补正应当自收到申请之日起 7 个工作日内一次性告知（第三十条），期限已于 {} 届满。",
                    format_date(latest)
                )));
            }
            if deadline.is_none() {
                return Err(invalid(
                    "deadline",
                    "请填写补正期限（第三十条：应当载明合理的补正期限）。".into(),
                ));
            }
            if event.items.iter().all(|i| i.trim().is_empty()) {
                return Err(invalid("items", "请写明需要补正的事项。".into()));
            }
        }
        Happening::Clock(Event::ExtensionApproved { .. })
        | Happening::Record(Record::ExtensionRequested { .. })
            if application.extended() =>
        {
            return Err(StoreError::NotAllowed(
                "答复期限只能延长一次（第三十三条第二款），本案已延长过。".into(),
            ));
        }
        Happening::Record(Record::ExtensionRequested { days, reason }) => {
            if !(1..=clock::MAX_EXTENSION_DAYS).contains(days) {
                return Err(invalid(
                    "days",
                    "延长的期限最长不得超过 20 个工作日（第三十三条第二款）。".into(),
                ));
            }
            if reason.trim().is_empty() {
                return Err(invalid("note", "请写明需要延期的理由。".into()));
            }
        }
        _ => {}
    }
    if event.date < report.received {
        return Err(invalid(
            "date",
            format!("日期早于收到申请之日 {}。", format_date(report.received)),
        ));
    }
    Ok(())
}
