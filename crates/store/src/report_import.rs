//! Annual reports imported from their published files: a subordinate organ's report that was
//! not made on gongkai (a superior office's 汇总), or an adopting organ's earlier years (the
//! previous years that X-CARRY and X-IN-FORCE compare against and the computation starts from).
//!
//! Each import keeps the report as read (interchange JSON), what the checks need besides the
//! tables (`context`: the text outside the tables, truncation, unread cells, as the reader gave
//! them) and its provenance: file name, SHA-256, format, how many reading notes, who and when.
//! Imports are append-only: importing a year again adds a row that supersedes the earlier one
//! for that year, and the history stays. Findings are never stored; callers compute them.

use serde_json::{Value, json};
use sqlx::Row;

use crate::audit;
use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError};

/// An import about to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewImport<'a> {
    /// The statistical year (the report's own; the caller refuses a file without one).
    pub year: i32,
    /// The report as read, interchange JSON.
    pub report: &'a Value,
    /// What the checks need besides the tables (see the module doc).
    pub context: &'a Value,
    /// The file's name as uploaded or given (no directories).
    pub file_name: &'a str,
    /// The file's SHA-256, lower-case hex.
    pub sha256: &'a str,
    /// The format it was read as (`pdf`, `docx`, `html`, `text`, `markdown`, `json`).
    pub format: &'a str,
    /// How many notes the reader made while reading it.
    pub read_notes: i64,
}

/// A stored import.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportImport {
    /// Its id.
    pub id: i64,
    /// The organ whose report it is.
    pub organ_id: OrganId,
    /// The statistical year.
    pub year: i32,
    /// The report as read.
    pub report: Value,
    /// What the checks need besides the tables.
    pub context: Value,
    /// The file's name.
    pub file_name: String,
    /// The file's SHA-256.
    pub sha256: String,
    /// The format it was read as.
    pub format: String,
    /// How many notes the reader made.
    pub read_notes: i64,
    /// Who imported it (the actor's name).
    pub imported_by: String,
    /// When (Unix seconds).
    pub imported_at: i64,
    /// The later import of the same year that replaces this one, if any.
    pub superseded_by: Option<i64>,
}

/// Where an organ's report of a year comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportSource {
    /// Published on gongkai: through the report door (`report_versions`), or stored before
    /// versions existed (`annual_reports`).
    Published {
        /// The day it was published (Beijing).
        published_on: time::Date,
    },
    /// Imported from a file (the newest import of the year).
    Imported(Box<ReportImport>),
}

/// An organ's report of one year as the platform knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct YearReport {
    /// The statistical year.
    pub year: i32,
    /// The interchange JSON.
    pub report: Value,
    /// Where it comes from.
    pub source: ReportSource,
}

/// The lower-case hex SHA-256 of a file, as [`NewImport::sha256`] records it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const COLUMNS: &str = "id, organ_id, year, report_json, context_json, file_name, sha256, \
                       format, read_notes, imported_by, imported_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<ReportImport> {
    let year: i64 = row.try_get("year")?;
    let report: String = row.try_get("report_json")?;
    let context: String = row.try_get("context_json")?;
    Ok(ReportImport {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        year: i32::try_from(year)
            .map_err(|_| StoreError::Other(format!("report_imports.year {year}")))?,
        report: serde_json::from_str(&report)?,
        context: serde_json::from_str(&context)?,
        file_name: row.try_get("file_name")?,
        sha256: row.try_get("sha256")?,
        format: row.try_get("format")?,
        read_notes: row.try_get("read_notes")?,
        imported_by: row.try_get("imported_by")?,
        imported_at: row.try_get("imported_at")?,
        superseded_by: None,
    })
}

/// Marks, in a list of one organ's imports, each one a later import of its year replaces.
fn mark_superseded(imports: &mut [ReportImport]) {
    for i in 0..imports.len() {
        let (year, id) = (imports[i].year, imports[i].id);
        imports[i].superseded_by = imports
            .iter()
            .filter(|o| o.year == year && o.id > id)
            .map(|o| o.id)
            .min();
    }
}

/// The audit form of an import: provenance and the report.
fn audit_value(import: &ReportImport) -> Value {
    json!({
        "year": import.year,
        "file_name": import.file_name,
        "sha256": import.sha256,
        "format": import.format,
        "read_notes": import.read_notes,
        "imported_by": import.imported_by,
        "imported_at": import.imported_at,
        "report": import.report,
    })
}

impl Store {
    /// Stores a published report read from a file as the scope's organ's report of
    /// `import.year`, superseding an earlier import of that year (which is kept).
    pub async fn import_report(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        import: &NewImport<'_>,
    ) -> Result<ReportImport> {
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO report_imports (organ_id, year, report_json, context_json, file_name, \
             sha256, format, read_notes, imported_by, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(organ_id)
        .bind(i64::from(import.year))
        .bind(import.report.to_string())
        .bind(import.context.to_string())
        .bind(import.file_name)
        .bind(import.sha256)
        .bind(import.format)
        .bind(import.read_notes)
        .bind(&actor.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let stored = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM report_imports WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let stored = from_row(&stored)?;
        let before = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM report_imports WHERE organ_id = $1 AND year = $2 AND id < $3 \
             ORDER BY id DESC LIMIT 1"
        )))
        .bind(organ_id)
        .bind(i64::from(import.year))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let before = before.as_ref().map(from_row).transpose()?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: if before.is_some() {
                    "report_import.supersede"
                } else {
                    "report_import.create"
                },
                entity: "report_import",
                entity_id: format!("{organ_id}/{}/{id}", import.year),
                before: before.as_ref().map(audit_value),
                after: Some(audit_value(&stored)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Every import of the scope's organ, newest year first and, within a year, newest first;
    /// superseded ones are marked.
    pub async fn report_imports(&self, scope: OrganScope) -> Result<Vec<ReportImport>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM report_imports WHERE organ_id = $1 ORDER BY year DESC, id DESC"
        )))
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        let mut imports = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
        mark_superseded(&mut imports);
        Ok(imports)
    }

    /// The import that counts for the scope's organ's `year`: the newest.
    pub async fn current_import(
        &self,
        scope: OrganScope,
        year: i32,
    ) -> Result<Option<ReportImport>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM report_imports WHERE organ_id = $1 AND year = $2 \
             ORDER BY id DESC LIMIT 1"
        )))
        .bind(scope.organ_id())
        .bind(i64::from(year))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The scope's organ's report of `year` as the platform knows it: the one published on
    /// gongkai, else the newest import; `None` if neither exists.
    pub async fn report_of_year(&self, scope: OrganScope, year: i32) -> Result<Option<YearReport>> {
        if let Some(published) = self.published_report(scope.organ_id(), year).await? {
            return Ok(Some(YearReport {
                year,
                report: published.version.report,
                source: ReportSource::Published {
                    published_on: published.published_on,
                },
            }));
        }
        if let Some(published) = self.annual_report(scope.organ_id(), year).await? {
            return Ok(Some(YearReport {
                year,
                report: published.report,
                source: ReportSource::Published {
                    published_on: crate::catalogue::overdue::beijing_date(published.published_at),
                },
            }));
        }
        Ok(self
            .current_import(scope, year)
            .await?
            .map(|import| YearReport {
                year,
                report: import.report.clone(),
                source: ReportSource::Imported(Box::new(import)),
            }))
    }

    /// Last year's report of the scope's organ (the report of `year - 1`, published or
    /// imported): what X-CARRY and X-IN-FORCE compare `year` against, and the computation's
    /// starting 上年结转 for an organ that adopted gongkai in `year`.
    pub async fn previous_report(
        &self,
        scope: OrganScope,
        year: i32,
    ) -> Result<Option<YearReport>> {
        match year.checked_sub(1) {
            Some(previous) => self.report_of_year(scope, previous).await,
            None => Ok(None),
        }
    }
}
