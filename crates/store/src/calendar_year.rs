//! Holiday notices an administrator enters for years the program does not ship (the State
//! Council's 《关于XXXX年部分节假日安排的通知》). A year entered replaces the built-in or
//! provisional year whole; entering one recomputes every open case's due date, and each case
//! whose date moved gets a `calendar_recomputed` event and an audit row saying so.

use gongkai_core::calendar::{Calendar, Fallback, YearFile, format_date, parse_date};
use gongkai_core::clock::ClockConfig;
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::application::{ApplicationId, fetch_application, insert_event};
use crate::ledger::{LedgerEvent, Record};
use crate::{Actor, Result, Store, StoreError, audit};

/// A year's notice as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    /// The year.
    pub year: i32,
    /// The calendar file (format of `crates/core/calendar/README.md`).
    pub file_text: String,
    /// 通知文号, e.g. 国办发明电〔2026〕7号.
    pub notice_number: String,
    /// The notice's date, `YYYY-MM-DD`.
    pub notice_date: String,
    /// Who entered it.
    pub entered_by: String,
    /// When (Unix seconds).
    pub entered_at: i64,
}

/// A case whose due date moved when a notice was entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recomputed {
    /// The case.
    pub application_id: ApplicationId,
    /// Its 申请编号.
    pub number: String,
    /// Due before.
    pub before: Option<Date>,
    /// Due after.
    pub after: Option<Date>,
}

/// The calendar of built-in notices, the entered ones over them, and provisional years
/// (statutory holidays without 调休) for the rest.
pub fn compose(entered: &[CalendarYear]) -> Result<Calendar> {
    let mut files = Vec::new();
    for year in entered {
        files.push(
            YearFile::parse(&year.file_text)
                .map_err(|e| StoreError::Other(format!("calendar year {}: {e}", year.year)))?,
        );
    }
    let cal = Calendar::with_files(files).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(cal.with_fallback(Fallback::Statutory))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<CalendarYear> {
    Ok(CalendarYear {
        year: i32::try_from(row.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Other("year out of range".into()))?,
        file_text: row.try_get("file_text")?,
        notice_number: row.try_get("notice_number")?,
        notice_date: row.try_get("notice_date")?,
        entered_by: row.try_get("entered_by")?,
        entered_at: row.try_get("entered_at")?,
    })
}

impl Store {
    /// The entered notices, by year.
    pub async fn calendar_years(&self) -> Result<Vec<CalendarYear>> {
        let rows = sqlx::query(
            "SELECT year, file_text, notice_number, notice_date, entered_by, entered_at \
             FROM calendar_years ORDER BY year",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// What identifies the entered notices as they are now: their count and the latest entry
    /// time. A process caching the calendar rebuilds it when this changes, so a notice entered
    /// by another process (the CLI, a second server) takes effect at once.
    pub async fn calendar_generation(&self) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(MAX(entered_at), 0) AS latest FROM calendar_years",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }

    /// The calendar the deployment counts with: see [`compose`].
    pub async fn calendar(&self) -> Result<Calendar> {
        compose(&self.calendar_years().await?)
    }

    /// Enters (or replaces) a year's notice and recomputes every open case on `today`.
    /// A file that does not parse, or a number or date missing, is [`StoreError::Invalid`].
    #[allow(clippy::too_many_arguments)]
    pub async fn enter_calendar_year(
        &self,
        actor: &Actor,
        now: i64,
        today: Date,
        config: ClockConfig,
        file_text: &str,
        notice_number: &str,
        notice_date: &str,
    ) -> Result<Vec<Recomputed>> {
        let invalid = |field: &'static str, message: String| StoreError::Invalid { field, message };
        let file = YearFile::parse(file_text).map_err(|e| invalid("file_text", e.to_string()))?;
        if notice_number.trim().is_empty() {
            return Err(invalid("notice_number", "请填写通知的文号。".into()));
        }
        if parse_date(notice_date).is_none() {
            return Err(invalid(
                "notice_date",
                "通知日期格式应为 YYYY-MM-DD。".into(),
            ));
        }
        let year = file.year;
        let mut entered = self.calendar_years().await?;
        let old = compose(&entered)?;
        let before_row = entered.iter().find(|y| y.year == year).cloned();
        entered.retain(|y| y.year != year);
        let row = CalendarYear {
            year,
            file_text: file_text.to_owned(),
            notice_number: notice_number.trim().to_owned(),
            notice_date: notice_date.to_owned(),
            entered_by: actor.name.clone(),
            entered_at: now,
        };
        entered.push(row.clone());
        let new = compose(&entered).map_err(|e| invalid("file_text", e.to_string()))?;

        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_years WHERE year = $1")
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_years (year, file_text, notice_number, notice_date, \
             entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(i64::from(year))
        .bind(&row.file_text)
        .bind(&row.notice_number)
        .bind(&row.notice_date)
        .bind(&row.entered_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: None,
                action: if before_row.is_some() {
                    "calendar_year.replace"
                } else {
                    "calendar_year.enter"
                },
                entity: "calendar_year",
                entity_id: year.to_string(),
                before: before_row.as_ref().map(
                    |b| json!({ "notice_number": b.notice_number, "notice_date": b.notice_date }),
                ),
                after: Some(json!({
                    "notice_number": row.notice_number,
                    "notice_date": row.notice_date,
                    "file_text": row.file_text,
                })),
            },
        )
        .await?;

        let ids = sqlx::query("SELECT id, organ_id FROM applications ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
        let mut changed = Vec::new();
        for id_row in &ids {
            let id: ApplicationId = id_row.try_get("id")?;
            let organ_id: i64 = id_row.try_get("organ_id")?;
            let application = fetch_application(&mut tx, organ_id, id).await?;
            let (Ok(was), Ok(is)) = (
                application.clock(&old, config, today),
                application.clock(&new, config, today),
            ) else {
                continue;
            };
            if was.closed.is_some() || was.due == is.due {
                continue;
            }
            let event = LedgerEvent::record(
                today,
                Record::CalendarRecomputed {
                    year,
                    before: was.due,
                    after: is.due,
                },
            );
            insert_event(&mut tx, id, actor, now, &event).await?;
            audit::record(
                &mut tx,
                audit::Entry {
                    at: now,
                    actor,
                    organ_id: Some(organ_id),
                    action: "application.due_recomputed",
                    entity: "application",
                    entity_id: id.to_string(),
                    before: Some(json!({ "due": was.due.map(format_date), "provisional_years": was.provisional_years })),
                    after: Some(json!({
                        "number": application.number,
                        "due": is.due.map(format_date),
                        "calendar_year": year,
                        "notice_number": row.notice_number,
                    })),
                },
            )
            .await?;
            changed.push(Recomputed {
                application_id: id,
                number: application.number.clone(),
                before: was.due,
                after: is.due,
            });
        }
        tx.commit().await?;
        Ok(changed)
    }
}
