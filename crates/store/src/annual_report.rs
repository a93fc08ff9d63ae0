//! Published annual reports (政府信息公开工作年度报告, 条例 art. 49, 50), one per organ and year,
//! kept as the interchange JSON of `spec/annual-report.schema.json`. This crate stores the
//! document as given; checking that it is a valid report is the caller's business (the web
//! crate reads it with `gongkai_report::model::AnnualReport::from_json` before storing).
//!
//! A published report is public (the portal shows it), so reading needs no scope; writing
//! takes the organ's [`OrganScope`] and adds its audit row in the same transaction.

use serde_json::{Value, json};
use sqlx::Row;

use crate::audit;
use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError};

/// One stored report.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    /// The organ whose report it is.
    pub organ_id: OrganId,
    /// The statistical year.
    pub year: i32,
    /// The interchange JSON.
    pub report: Value,
    /// When it was first published (Unix seconds).
    pub published_at: i64,
    /// When it was last replaced.
    pub updated_at: i64,
}

/// A report in a list: which year, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportListing {
    /// The statistical year.
    pub year: i32,
    /// When it was first published (Unix seconds).
    pub published_at: i64,
    /// When it was last replaced.
    pub updated_at: i64,
}

fn year_of(row: &sqlx::any::AnyRow) -> Result<i32> {
    let year: i64 = row.try_get("year")?;
    i32::try_from(year).map_err(|_| StoreError::Other(format!("annual_reports.year {year}")))
}

fn stored_from_row(row: &sqlx::any::AnyRow) -> Result<StoredReport> {
    let text: String = row.try_get("report_json")?;
    Ok(StoredReport {
        organ_id: row.try_get("organ_id")?,
        year: year_of(row)?,
        report: serde_json::from_str(&text)?,
        published_at: row.try_get("published_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

async fn fetch(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    year: i32,
) -> Result<Option<StoredReport>> {
    let row = sqlx::query(
        "SELECT organ_id, year, report_json, published_at, updated_at FROM annual_reports \
         WHERE organ_id = $1 AND year = $2",
    )
    .bind(organ_id)
    .bind(i64::from(year))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(stored_from_row).transpose()
}

/// The audit form of a stored report.
fn audit_value(report: &StoredReport) -> Value {
    json!({
        "year": report.year,
        "published_at": report.published_at,
        "updated_at": report.updated_at,
        "report": report.report,
    })
}

impl Store {
    /// Publishes the scope's organ's report for `year`, replacing the one already there (the
    /// audit row keeps the replaced document as `before`).
    pub async fn put_annual_report(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        year: i32,
        report: &Value,
    ) -> Result<StoredReport> {
        let organ_id = scope.organ_id();
        let text = report.to_string();
        let mut tx = self.begin_write().await?;
        let before = fetch(&mut tx, organ_id, year).await?;
        if before.is_some() {
            sqlx::query(
                "UPDATE annual_reports SET report_json = $1, updated_at = $2 \
                 WHERE organ_id = $3 AND year = $4",
            )
            .bind(&text)
            .bind(now)
            .bind(organ_id)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO annual_reports (organ_id, year, report_json, published_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(organ_id)
            .bind(i64::from(year))
            .bind(&text)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let after = fetch(&mut tx, organ_id, year)
            .await?
            .ok_or(StoreError::NotFound("annual report"))?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: if before.is_some() {
                    "annual_report.replace"
                } else {
                    "annual_report.publish"
                },
                entity: "annual_report",
                entity_id: format!("{organ_id}/{year}"),
                before: before.as_ref().map(audit_value),
                after: Some(audit_value(&after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The published reports of an organ, newest year first. Public: no scope needed.
    pub async fn annual_reports(&self, organ_id: OrganId) -> Result<Vec<ReportListing>> {
        let rows = sqlx::query(
            "SELECT year, published_at, updated_at FROM annual_reports WHERE organ_id = $1 \
             ORDER BY year DESC",
        )
        .bind(organ_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ReportListing {
                    year: year_of(row)?,
                    published_at: row.try_get("published_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// One published report, if there is one for that organ and year. Public: no scope needed.
    pub async fn annual_report(
        &self,
        organ_id: OrganId,
        year: i32,
    ) -> Result<Option<StoredReport>> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, organ_id, year).await
    }
}
