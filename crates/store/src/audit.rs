//! The audit log: one append-only row per write (who, when, what, before and after as JSON).
//! Rows are added by the store's own writes, inside their transaction, so a refused or failed
//! write leaves no row; the schema's triggers refuse any UPDATE or DELETE.

use serde_json::Value;
use sqlx::Row;

use crate::{Actor, OrganId, OrganScope, Result, Store, UserId};

/// A row about to be written.
pub(crate) struct Entry<'a> {
    pub at: i64,
    pub actor: &'a Actor,
    pub organ_id: Option<OrganId>,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// An audit row as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// The staff account, if a person acted.
    pub actor_user_id: Option<UserId>,
    /// The actor's name (username or `system:…`).
    pub actor_name: String,
    /// The organ whose data changed, if any.
    pub organ_id: Option<OrganId>,
    /// What happened, e.g. `organ.update`.
    pub action: String,
    /// The kind of thing changed, e.g. `organ`.
    pub entity: String,
    /// Its identifier.
    pub entity_id: String,
    /// State before (absent for a creation).
    pub before: Option<Value>,
    /// State after (absent for a deletion).
    pub after: Option<Value>,
}

pub(crate) async fn record(conn: &mut sqlx::AnyConnection, entry: Entry<'_>) -> Result<()> {
    let before = entry.before.map(|v| v.to_string());
    let after = entry.after.map(|v| v.to_string());
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_name, organ_id, action, entity, \
         entity_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.at)
    .bind(entry.actor.user_id)
    .bind(&entry.actor.name)
    .bind(entry.organ_id)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(before)
    .bind(after)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn parse_json(text: Option<String>) -> Option<Value> {
    // A row written by this crate always holds valid JSON; anything else is shown as text.
    text.map(|t| serde_json::from_str(&t).unwrap_or(Value::String(t)))
}

impl Store {
    /// The newest audit rows of one organ, newest first.
    pub async fn audit_log(
        &self,
        scope: OrganScope,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor_user_id, actor_name, organ_id, action, entity, entity_id, \
             before_json, after_json FROM audit_log WHERE organ_id = $1 \
             ORDER BY id DESC LIMIT $2 OFFSET $3",
        )
        .bind(scope.organ_id())
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    actor_user_id: row.try_get("actor_user_id")?,
                    actor_name: row.try_get("actor_name")?,
                    organ_id: row.try_get("organ_id")?,
                    action: row.try_get("action")?,
                    entity: row.try_get("entity")?,
                    entity_id: row.try_get("entity_id")?,
                    before: parse_json(row.try_get("before_json")?),
                    after: parse_json(row.try_get("after_json")?),
                })
            })
            .collect()
    }

    /// What identifies the store's contents as they are now, for caches of what is built from
    /// them (the portal's rendered pages): the newest audit row's id and how many rows lie
    /// within the last 1,000 ids. Every write adds its audit row, so a write by any process
    /// changes it. The id alone would not do on PostgreSQL: ids are taken from a sequence at
    /// insertion, so a transaction that took an id earlier may commit after one that took a
    /// later id, leaving the maximum as it was; it does change the count of recent rows. Both
    /// are read through the primary key's index, so the cost does not grow with the log.
    pub async fn audit_generation(&self) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COALESCE(MAX(id), 0) AS top, COUNT(*) AS recent FROM audit_log \
             WHERE id > (SELECT COALESCE(MAX(id), 0) FROM audit_log) - 1000",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((row.try_get("top")?, row.try_get("recent")?))
    }

    /// How many audit rows exist in all (for tests and metrics).
    pub async fn audit_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Records an event that is not itself a row change of this crate (a login, a restore),
    /// in a transaction of its own.
    pub async fn record_event(
        &self,
        actor: &Actor,
        now: i64,
        organ_id: Option<OrganId>,
        action: &'static str,
        detail: Value,
    ) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        record(
            &mut conn,
            Entry {
                at: now,
                actor,
                organ_id,
                action,
                entity: "event",
                entity_id: String::new(),
                before: None,
                after: Some(detail),
            },
        )
        .await
    }
}
