//! Backup and restore. The portable form is a JSON document holding every table that matters
//! (organs, staff, roles, annual reports and imported ones, applications with their ledger, files and notices,
//! appeals, API tokens, entered calendar years, proactive items with their versions, files and
//! ledger, audit log); it restores into an empty database of either engine,
//! so it also moves a deployment from SQLite to PostgreSQL. Sessions and login counters are
//! not kept: after a restore everyone logs in again. A SQLite store can also write a
//! consistent copy of its file with `VACUUM INTO`.

use std::path::Path;

use serde_json::{Map, Value};
// Table and column names below come from the const TABLES list, never from input.
use sqlx::{AssertSqlSafe, Row};

use crate::{Backend, Result, Store, StoreError};

/// The `format` field of a backup document.
pub const FORMAT: &str = "gongkai-backup";
/// The version of the document's layout: 2 added `annual_reports`, 3 the applications, their
/// ledger, files, notices, appeals, API tokens and entered calendar years, 4 the proactive items
/// (their settings, versions, files, ledger and the file contents), 留言 and 意见征集, the
/// 标准目录 and the 表二 figures entered from other systems, 5 the annual reports imported from
/// files (`report_imports`), the annual report's versions, their ledger and the organ's deadline
/// settings. Documents of older versions
/// (without those tables) still restore; an older program refuses a newer version instead of
/// silently dropping what it does not know.
pub const VERSION: i64 = 5;

/// The oldest layout [`Store::restore`] still reads.
pub const OLDEST_VERSION: i64 = 1;

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    /// Bytes, written as lower-case hex.
    Blob,
}

/// A table: its name, its ORDER BY, its columns.
type Table = (&'static str, &'static str, &'static [(&'static str, Kind)]);

/// Tables in restore order (parents before children), with their columns.
const TABLES: &[Table] = &[
    (
        "organs",
        "id",
        &[
            ("id", Kind::Int),
            ("parent_id", Kind::Int),
            ("name", Kind::Text),
            ("credit_code", Kind::Text),
            ("level", Kind::Text),
            ("office_name", Kind::Text),
            ("office_address", Kind::Text),
            ("office_postcode", Kind::Text),
            ("office_hours", Kind::Text),
            ("office_phone", Kind::Text),
            ("office_fax", Kind::Text),
            ("office_email", Kind::Text),
            ("site_name", Kind::Text),
            ("site_domain", Kind::Text),
            ("site_id_code", Kind::Text),
            ("icp_record", Kind::Text),
            ("police_record", Kind::Text),
            ("sponsor", Kind::Text),
            ("organizer", Kind::Text),
            ("site_contact", Kind::Text),
            ("disclosure_rules", Kind::Text),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "users",
        "id",
        &[
            ("id", Kind::Int),
            ("username", Kind::Text),
            ("display_name", Kind::Text),
            ("password_hash", Kind::Text),
            ("active", Kind::Int),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "memberships",
        "user_id, organ_id, role",
        &[
            ("user_id", Kind::Int),
            ("organ_id", Kind::Int),
            ("role", Kind::Text),
        ],
    ),
    (
        "annual_reports",
        "organ_id, year",
        &[
            ("organ_id", Kind::Int),
            ("year", Kind::Int),
            ("report_json", Kind::Text),
            ("published_at", Kind::Int),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "report_imports",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("year", Kind::Int),
            ("report_json", Kind::Text),
            ("context_json", Kind::Text),
            ("file_name", Kind::Text),
            ("sha256", Kind::Text),
            ("format", Kind::Text),
            ("read_notes", Kind::Int),
            ("imported_by", Kind::Text),
            ("imported_at", Kind::Int),
        ],
    ),
    (
        "counters",
        "organ_id, name, year",
        &[
            ("organ_id", Kind::Int),
            ("name", Kind::Text),
            ("year", Kind::Int),
            ("value", Kind::Int),
        ],
    ),
    (
        "applications",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("number", Kind::Text),
            ("applicant_kind", Kind::Text),
            ("applicant_name", Kind::Text),
            ("id_type", Kind::Text),
            ("id_number", Kind::Text),
            ("work_unit", Kind::Text),
            ("legal_representative", Kind::Text),
            ("contact_person", Kind::Text),
            ("phone", Kind::Text),
            ("email", Kind::Text),
            ("address", Kind::Text),
            ("postcode", Kind::Text),
            ("fax", Kind::Text),
            ("info_title", Kind::Text),
            ("info_doc_number", Kind::Text),
            ("description", Kind::Text),
            ("forms", Kind::Text),
            ("delivery", Kind::Text),
            ("accept_other_form", Kind::Int),
            ("query_hash", Kind::Text),
            ("assignee_id", Kind::Int),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "case_events",
        "id",
        &[
            ("id", Kind::Int),
            ("application_id", Kind::Int),
            ("date", Kind::Text),
            ("event", Kind::Text),
            ("data_json", Kind::Text),
            ("actor_user_id", Kind::Int),
            ("actor_name", Kind::Text),
            ("recorded_at", Kind::Int),
        ],
    ),
    (
        "attachments",
        "id",
        &[
            ("id", Kind::Int),
            ("application_id", Kind::Int),
            ("purpose", Kind::Text),
            ("file_name", Kind::Text),
            ("content_type", Kind::Text),
            ("size", Kind::Int),
            ("nonce", Kind::Blob),
            ("ciphertext", Kind::Blob),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "notices",
        "id",
        &[
            ("id", Kind::Int),
            ("application_id", Kind::Int),
            ("kind", Kind::Text),
            ("title", Kind::Text),
            ("number", Kind::Text),
            ("organ_name", Kind::Text),
            ("date", Kind::Text),
            ("body", Kind::Text),
            ("issued", Kind::Int),
            ("issued_at", Kind::Int),
            ("created_at", Kind::Int),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "notice_settings",
        "organ_id",
        &[
            ("organ_id", Kind::Int),
            ("number_pattern", Kind::Text),
            ("organ_short", Kind::Text),
            ("reconsideration_body", Kind::Text),
            ("court", Kind::Text),
            ("templates_json", Kind::Text),
        ],
    ),
    (
        "appeals",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("application_id", Kind::Int),
            ("kind", Kind::Text),
            ("filed", Kind::Text),
            ("body", Kind::Text),
            ("result", Kind::Text),
            ("decided", Kind::Text),
            ("note", Kind::Text),
            ("created_at", Kind::Int),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "api_tokens",
        "id",
        &[
            ("id", Kind::Int),
            ("user_id", Kind::Int),
            ("label", Kind::Text),
            ("token_hash", Kind::Text),
            ("created_at", Kind::Int),
            ("revoked_at", Kind::Int),
        ],
    ),
    (
        "calendar_years",
        "year",
        &[
            ("year", Kind::Int),
            ("file_text", Kind::Text),
            ("notice_number", Kind::Text),
            ("notice_date", Kind::Text),
            ("entered_by", Kind::Text),
            ("entered_at", Kind::Int),
        ],
    ),
    (
        "blobs",
        "sha256",
        &[
            ("sha256", Kind::Text),
            ("size", Kind::Int),
            ("bytes", Kind::Blob),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "item_settings",
        "organ_id",
        &[
            ("organ_id", Kind::Int),
            ("index_pattern", Kind::Text),
            ("chain_json", Kind::Text),
            ("topics_json", Kind::Text),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "items",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("index_number", Kind::Text),
            ("catalogue_entry_id", Kind::Int),
            ("created_by", Kind::Int),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "item_versions",
        "id",
        &[
            ("id", Kind::Int),
            ("item_id", Kind::Int),
            ("number", Kind::Int),
            ("title", Kind::Text),
            ("doc_number", Kind::Text),
            ("publisher", Kind::Text),
            ("formed", Kind::Text),
            ("topic", Kind::Text),
            ("kind", Kind::Text),
            ("article20", Kind::Int),
            ("openness", Kind::Text),
            ("openness_reason", Kind::Text),
            ("interprets", Kind::Int),
            ("keywords", Kind::Text),
            ("summary", Kind::Text),
            ("body", Kind::Text),
            ("created_by", Kind::Int),
            ("created_by_name", Kind::Text),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "item_files",
        "id",
        &[
            ("id", Kind::Int),
            ("version_id", Kind::Int),
            ("position", Kind::Int),
            ("sha256", Kind::Text),
            ("file_name", Kind::Text),
            ("content_type", Kind::Text),
            ("size", Kind::Int),
        ],
    ),
    (
        "item_events",
        "id",
        &[
            ("id", Kind::Int),
            ("item_id", Kind::Int),
            ("version_id", Kind::Int),
            ("event", Kind::Text),
            ("date", Kind::Text),
            ("comment", Kind::Text),
            ("data_json", Kind::Text),
            ("actor_user_id", Kind::Int),
            ("actor_name", Kind::Text),
            ("recorded_at", Kind::Int),
        ],
    ),
    (
        "interaction_settings",
        "organ_id",
        &[("organ_id", Kind::Int), ("reply_days", Kind::Int)],
    ),
    (
        "messages",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("number", Kind::Text),
            ("kind", Kind::Text),
            ("title", Kind::Text),
            ("body", Kind::Text),
            ("writer_name", Kind::Text),
            ("phone", Kind::Text),
            ("email", Kind::Text),
            ("consent", Kind::Int),
            ("query_hash", Kind::Text),
            ("received", Kind::Text),
            ("created_at", Kind::Int),
            ("decision", Kind::Text),
            ("redirect", Kind::Text),
            ("decision_reason", Kind::Text),
            ("decided_on", Kind::Text),
            ("decided_by", Kind::Text),
            ("reply", Kind::Text),
            ("replied_on", Kind::Text),
            ("replied_by", Kind::Text),
            ("published_on", Kind::Text),
            ("published_at", Kind::Int),
            ("public_title", Kind::Text),
            ("public_body", Kind::Text),
        ],
    ),
    (
        "consultations",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("title", Kind::Text),
            ("draft", Kind::Text),
            ("explanation", Kind::Text),
            ("start_date", Kind::Text),
            ("end_date", Kind::Text),
            ("short_reason", Kind::Text),
            ("contact", Kind::Text),
            ("created_by", Kind::Text),
            ("created_at", Kind::Int),
            ("feedback_summary", Kind::Text),
            ("adopted_reasons", Kind::Text),
            ("partly_reasons", Kind::Text),
            ("not_adopted_reasons", Kind::Text),
            ("feedback_on", Kind::Text),
            ("feedback_at", Kind::Int),
        ],
    ),
    (
        "consultation_comments",
        "id",
        &[
            ("id", Kind::Int),
            ("consultation_id", Kind::Int),
            ("name", Kind::Text),
            ("contact", Kind::Text),
            ("body", Kind::Text),
            ("submitted_on", Kind::Text),
            ("submitted_at", Kind::Int),
            ("decision", Kind::Text),
            ("note", Kind::Text),
            ("decided_by", Kind::Text),
            ("decided_at", Kind::Int),
        ],
    ),
    (
        "catalogue_entries",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("sort_order", Kind::Int),
            ("category", Kind::Text),
            ("name", Kind::Text),
            ("content", Kind::Text),
            ("basis", Kind::Text),
            ("subject", Kind::Text),
            ("time_limit", Kind::Text),
            ("channels", Kind::Text),
            ("mode", Kind::Text),
            ("audience", Kind::Text),
            ("pilot_area", Kind::Int),
            ("created_at", Kind::Int),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "report_figures",
        "organ_id, year, row_key, column_key",
        &[
            ("organ_id", Kind::Int),
            ("year", Kind::Int),
            ("row_key", Kind::Text),
            ("column_key", Kind::Text),
            ("value", Kind::Int),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "report_settings",
        "organ_id",
        &[
            ("organ_id", Kind::Int),
            ("whole_area", Kind::Int),
            ("local_deadline", Kind::Text),
            ("updated_at", Kind::Int),
        ],
    ),
    (
        "report_versions",
        "id",
        &[
            ("id", Kind::Int),
            ("organ_id", Kind::Int),
            ("year", Kind::Int),
            ("number", Kind::Int),
            ("report_json", Kind::Text),
            ("correction_note", Kind::Text),
            ("created_at", Kind::Int),
        ],
    ),
    (
        "report_steps",
        "id",
        &[
            ("id", Kind::Int),
            ("version_id", Kind::Int),
            ("kind", Kind::Text),
            ("at", Kind::Int),
            ("date", Kind::Text),
            ("actor_user_id", Kind::Int),
            ("actor_name", Kind::Text),
            ("detail_json", Kind::Text),
        ],
    ),
    (
        "audit_log",
        "id",
        &[
            ("id", Kind::Int),
            ("at", Kind::Int),
            ("actor_user_id", Kind::Int),
            ("actor_name", Kind::Text),
            ("organ_id", Kind::Int),
            ("action", Kind::Text),
            ("entity", Kind::Text),
            ("entity_id", Kind::Text),
            ("before_json", Kind::Text),
            ("after_json", Kind::Text),
        ],
    ),
];

/// Tables whose identity sequence PostgreSQL must move past the restored ids.
const IDENTITY_TABLES: &[&str] = &[
    "organs",
    "users",
    "applications",
    "case_events",
    "attachments",
    "notices",
    "appeals",
    "api_tokens",
    "report_imports",
    "items",
    "item_versions",
    "item_files",
    "item_events",
    "messages",
    "consultations",
    "consultation_comments",
    "catalogue_entries",
    "report_versions",
    "report_steps",
    "audit_log",
];

impl Store {
    /// Every kept table as one JSON document.
    pub async fn dump(&self) -> Result<Value> {
        let mut tables = Map::new();
        for (table, order, columns) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
            let rows = sqlx::query(AssertSqlSafe(format!(
                "SELECT {} FROM {table} ORDER BY {order}",
                names.join(", ")
            )))
            .fetch_all(self.pool())
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut object = Map::new();
                for (name, kind) in columns.iter() {
                    let value = match kind {
                        Kind::Int => row
                            .try_get::<Option<i64>, _>(*name)?
                            .map_or(Value::Null, Value::from),
                        Kind::Text => row
                            .try_get::<Option<String>, _>(*name)?
                            .map_or(Value::Null, Value::from),
                        Kind::Blob => row
                            .try_get::<Option<Vec<u8>>, _>(*name)?
                            .map_or(Value::Null, |b| Value::from(hex(&b))),
                    };
                    object.insert((*name).to_owned(), value);
                }
                out.push(Value::Object(object));
            }
            tables.insert((*table).to_owned(), Value::Array(out));
        }
        Ok(serde_json::json!({
            "format": FORMAT,
            "version": VERSION,
            "tables": tables,
        }))
    }

    /// Whether the database holds no organ, account or audit row.
    pub async fn is_empty(&self) -> Result<bool> {
        for table in ["organs", "users", "audit_log"] {
            let row = sqlx::query(AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {table}")))
                .fetch_one(self.pool())
                .await?;
            if row.try_get::<i64, _>("n")? != 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Loads a document written by [`Store::dump`] into this (empty) database, in one
    /// transaction: either all of it is restored or nothing is.
    pub async fn restore(&self, document: &Value) -> Result<()> {
        if document.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(StoreError::InvalidState(
                "不是 gongkai 备份文件（缺少 format 字段）".into(),
            ));
        }
        let version = document.get("version").and_then(Value::as_i64);
        if !version.is_some_and(|v| (OLDEST_VERSION..=VERSION).contains(&v)) {
            return Err(StoreError::InvalidState(format!(
                "备份文件版本不受支持（本程序支持第 {OLDEST_VERSION} 至 {VERSION} 版）"
            )));
        }
        if !self.is_empty().await? {
            return Err(StoreError::InvalidState(
                "目标数据库不是空的；请恢复到新建的数据库".into(),
            ));
        }
        let tables = document
            .get("tables")
            .and_then(Value::as_object)
            .ok_or_else(|| StoreError::InvalidState("备份文件缺少 tables".into()))?;
        let mut tx = self.begin_write().await?;
        for (table, _, columns) in TABLES {
            let Some(rows) = tables.get(*table).and_then(Value::as_array) else {
                continue;
            };
            let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
            let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                placeholders.join(", ")
            );
            for row in rows {
                let mut query = sqlx::query(AssertSqlSafe(sql.clone()));
                for (name, kind) in columns.iter() {
                    let value = row.get(*name).unwrap_or(&Value::Null);
                    query = match (kind, value) {
                        (_, Value::Null) => match kind {
                            Kind::Int => query.bind(None::<i64>),
                            Kind::Text => query.bind(None::<String>),
                            Kind::Blob => query.bind(None::<Vec<u8>>),
                        },
                        (Kind::Int, Value::Number(n)) => {
                            query.bind(n.as_i64().ok_or_else(|| {
                                StoreError::InvalidState(format!("{table}.{name}: 不是整数"))
                            })?)
                        }
                        (Kind::Text, Value::String(s)) => query.bind(s.clone()),
                        (Kind::Blob, Value::String(s)) => {
                            query.bind(unhex(s).ok_or_else(|| {
                                StoreError::InvalidState(format!("{table}.{name}: 不是十六进制"))
                            })?)
                        }
                        _ => {
                            return Err(StoreError::InvalidState(format!(
                                "{table}.{name}: 类型不符"
                            )));
                        }
                    };
                }
                query.execute(&mut *tx).await?;
            }
        }
        if self.backend == Backend::Postgres {
            for table in IDENTITY_TABLES {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `path` (which must not exist).
    pub async fn sqlite_snapshot(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::InvalidState(
                "只有 SQLite 数据库可以复制为文件；PostgreSQL 请使用 JSON 备份".into(),
            ));
        }
        let text = path
            .to_str()
            .ok_or_else(|| StoreError::InvalidState("备份路径不是 UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(text)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
