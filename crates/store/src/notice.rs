//! 告知书 of a case as kept: a draft staff edit, then issued — number, text and date frozen
//! (the schema's trigger refuses any later change). The text is rendered by `gongkai_notice`
//! in the web crate; the store keeps its paragraphs. An organ's notice settings (文书编号
//! pattern, short name, remedy bodies, its own templates) live here too.

use std::collections::BTreeMap;

use serde_json::json;
use sqlx::Row;

use crate::application::{ApplicationId, fetch_application, next_counter};
use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError, audit};

/// A notice as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    /// Identifier.
    pub id: i64,
    /// The application.
    pub application_id: ApplicationId,
    /// `gongkai_notice::NoticeKind::key`: `receipt`, `correction`, `reply.disclosed`, ….
    pub kind: String,
    /// Title.
    pub title: String,
    /// 文书编号 (a placeholder while a draft).
    pub number: String,
    /// 落款.
    pub organ_name: String,
    /// The notice's date, `YYYY-MM-DD`.
    pub date: String,
    /// Paragraphs, salutation first.
    pub paragraphs: Vec<String>,
    /// Issued (frozen).
    pub issued: bool,
    /// When issued (Unix seconds).
    pub issued_at: Option<i64>,
}

/// A notice about to be drafted.
#[derive(Debug, Clone)]
pub struct NoticeDraft {
    /// Kind key.
    pub kind: String,
    /// Title.
    pub title: String,
    /// 落款.
    pub organ_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
}

/// The number a draft shows until it is issued.
pub const DRAFT_NUMBER: &str = "（签发时编号）";

/// An organ's notice settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeSettings {
    /// 文书编号 pattern of `gongkai_notice::NumberPattern`.
    pub number_pattern: String,
    /// `{organ_short}` of the pattern, e.g. 呼经开政办.
    pub organ_short: String,
    /// 行政复议机关 named in the remedy clause; empty: the 本级人民政府 wording.
    pub reconsideration_body: String,
    /// The court named in the remedy clause; empty: none named.
    pub court: String,
    /// The organ's own template text by kind key; absent kinds use the national default.
    pub templates: BTreeMap<String, String>,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        NoticeSettings {
            number_pattern: "{organ_short}依申〔{year}〕{seq:3}号".into(),
            organ_short: String::new(),
            reconsideration_body: String::new(),
            court: String::new(),
            templates: BTreeMap::new(),
        }
    }
}

fn notice_from_row(row: &sqlx::any::AnyRow) -> Result<StoredNotice> {
    let body: String = row.try_get("body")?;
    Ok(StoredNotice {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        kind: row.try_get("kind")?,
        title: row.try_get("title")?,
        number: row.try_get("number")?,
        organ_name: row.try_get("organ_name")?,
        date: row.try_get("date")?,
        paragraphs: serde_json::from_str(&body)?,
        issued: row.try_get::<i64, _>("issued")? != 0,
        issued_at: row.try_get("issued_at")?,
    })
}

const NOTICE_COLUMNS: &str = "n.id, n.application_id, n.kind, n.title, n.number, n.organ_name, \
     n.date, n.body, n.issued, n.issued_at";

async fn fetch_notice(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    application_id: ApplicationId,
    id: i64,
) -> Result<StoredNotice> {
    let sql = format!(
        "SELECT {NOTICE_COLUMNS} FROM notices n JOIN applications a ON a.id = n.application_id \
         WHERE n.id = $1 AND n.application_id = $2 AND a.organ_id = $3"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(application_id)
        .bind(organ_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("notice"))?;
    notice_from_row(&row)
}

fn audit_notice(n: &StoredNotice) -> serde_json::Value {
    json!({
        "kind": n.kind,
        "title": n.title,
        "number": n.number,
        "date": n.date,
        "issued": n.issued,
        "paragraphs": n.paragraphs.len(),
    })
}

impl Store {
    /// The notices of an application, oldest first.
    pub async fn notices(
        &self,
        scope: OrganScope,
        application_id: ApplicationId,
    ) -> Result<Vec<StoredNotice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notices n JOIN applications a \
             ON a.id = n.application_id WHERE n.application_id = $1 AND a.organ_id = $2 \
             ORDER BY n.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(application_id)
            .bind(scope.organ_id())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(notice_from_row).collect()
    }

    /// One notice of an application.
    pub async fn notice(
        &self,
        scope: OrganScope,
        application_id: ApplicationId,
        id: i64,
    ) -> Result<StoredNotice> {
        let mut conn = self.pool().acquire().await?;
        fetch_notice(&mut conn, scope.organ_id(), application_id, id).await
    }

    /// Keeps a new draft.
    pub async fn create_notice_draft(
        &self,
        actor: &Actor,
        scope: OrganScope,
        application_id: ApplicationId,
        now: i64,
        draft: &NoticeDraft,
    ) -> Result<StoredNotice> {
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        fetch_application(&mut tx, organ_id, application_id).await?;
        let row = sqlx::query(
            "INSERT INTO notices (application_id, kind, title, number, organ_name, date, body, \
             issued, issued_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, \
             NULL, $8, $8) RETURNING id",
        )
        .bind(application_id)
        .bind(&draft.kind)
        .bind(&draft.title)
        .bind(DRAFT_NUMBER)
        .bind(&draft.organ_name)
        .bind(&draft.date)
        .bind(serde_json::to_string(&draft.paragraphs)?)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let notice = fetch_notice(&mut tx, organ_id, application_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "notice.draft",
                entity: "notice",
                entity_id: id.to_string(),
                before: None,
                after: Some(audit_notice(&notice)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(notice)
    }

    /// Replaces a draft's paragraphs and date. An issued notice is refused
    /// ([`StoreError::NotAllowed`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn update_notice_draft(
        &self,
        actor: &Actor,
        scope: OrganScope,
        application_id: ApplicationId,
        id: i64,
        now: i64,
        date: &str,
        paragraphs: &[String],
    ) -> Result<StoredNotice> {
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let before = fetch_notice(&mut tx, organ_id, application_id, id).await?;
        if before.issued {
            return Err(StoreError::NotAllowed(
                "告知书已签发，不能修改；如需更正，请另行制作新的告知书。".into(),
            ));
        }
        sqlx::query("UPDATE notices SET body = $1, date = $2, updated_at = $3 WHERE id = $4")
            .bind(serde_json::to_string(paragraphs)?)
            .bind(date)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = fetch_notice(&mut tx, organ_id, application_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "notice.edit",
                entity: "notice",
                entity_id: id.to_string(),
                before: Some(audit_notice(&before)),
                after: Some(audit_notice(&after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Issues a draft: allocates its serial (per organ, kind group and year, never reused),
    /// formats the number with `number_of(seq)`, and freezes it. `paragraphs_of(number)`
    /// gives the final paragraphs with the number in place.
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_notice(
        &self,
        actor: &Actor,
        scope: OrganScope,
        application_id: ApplicationId,
        id: i64,
        now: i64,
        counter: &str,
        year: i32,
        number_of: impl Fn(u32) -> String,
    ) -> Result<StoredNotice> {
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let before = fetch_notice(&mut tx, organ_id, application_id, id).await?;
        if before.issued {
            return Err(StoreError::NotAllowed("该告知书已经签发。".into()));
        }
        let seq = next_counter(&mut tx, organ_id, &format!("notice:{counter}"), year).await?;
        let number = number_of(seq);
        sqlx::query(
            "UPDATE notices SET number = $1, issued = 1, issued_at = $2, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(&number)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = fetch_notice(&mut tx, organ_id, application_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "notice.issue",
                entity: "notice",
                entity_id: id.to_string(),
                before: Some(audit_notice(&before)),
                after: Some(audit_notice(&after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The organ's notice settings (the defaults until saved).
    pub async fn notice_settings(&self, organ_id: OrganId) -> Result<NoticeSettings> {
        let row = sqlx::query(
            "SELECT number_pattern, organ_short, reconsideration_body, court, templates_json \
             FROM notice_settings WHERE organ_id = $1",
        )
        .bind(organ_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(NoticeSettings::default());
        };
        let templates: String = row.try_get("templates_json")?;
        Ok(NoticeSettings {
            number_pattern: row.try_get("number_pattern")?,
            organ_short: row.try_get("organ_short")?,
            reconsideration_body: row.try_get("reconsideration_body")?,
            court: row.try_get("court")?,
            templates: serde_json::from_str(&templates)?,
        })
    }

    /// Saves the organ's notice settings.
    pub async fn put_notice_settings(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        settings: &NoticeSettings,
    ) -> Result<()> {
        let organ_id = scope.organ_id();
        let before = self.notice_settings(organ_id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM notice_settings WHERE organ_id = $1")
            .bind(organ_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO notice_settings (organ_id, number_pattern, organ_short, \
             reconsideration_body, court, templates_json) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(organ_id)
        .bind(&settings.number_pattern)
        .bind(&settings.organ_short)
        .bind(&settings.reconsideration_body)
        .bind(&settings.court)
        .bind(serde_json::to_string(&settings.templates)?)
        .execute(&mut *tx)
        .await?;
        let value = |s: &NoticeSettings| {
            json!({
                "number_pattern": s.number_pattern,
                "organ_short": s.organ_short,
                "reconsideration_body": s.reconsideration_body,
                "court": s.court,
                "templates": s.templates,
            })
        };
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "notice_settings.update",
                entity: "notice_settings",
                entity_id: organ_id.to_string(),
                before: Some(value(&before)),
                after: Some(value(settings)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
