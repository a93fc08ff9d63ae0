//! The annual report's life (政府信息公开工作年度报告, 条例 art. 49, 50): per organ and year,
//! numbered versions of the report and the append-only ledger of their steps.
//!
//! A version holds the interchange JSON (`spec/annual-report.schema.json`): the tables as
//! computed from the organ's records when it was drafted (or recomputed), plus the narrative the
//! staff wrote. Its state — 起草中, 待签发, 已签发, 已发布, 已撤回, 已被更正 — is computed from its
//! steps ([`ReportVersion::state`]), never stored. [`Store::append_report_step`] is the one door
//! for a step: it judges the step against [`RULES`] (roles first, then state), applies the
//! statutory guards of publication, and writes the step and its audit row in one transaction.
//!
//! Publication (the `published` step) is refused unless every check error is gone and every
//! warning has a recorded decision on that version; the caller (the web crate's report door,
//! which runs `gongkai_report::check::check`) hands the findings in. The statistical year must
//! be finished and the report's agency the organ's own name. The database refuses any change to
//! a published version's JSON and any change to the ledger (triggers), so a correction is a new
//! version, published with its note; publishing it marks the earlier one superseded.

use serde_json::{Value, json};
use sqlx::Row;
use time::{Date, Month};

use crate::audit;
use crate::{Actor, OrganId, OrganScope, Permission, Result, Role, Store, StoreError, UserId};

/// Database identifier of a report version.
pub type VersionId = i64;

/// The first statistical year of the 条例 (in force 2008-05-01; the first reports cover 2008).
pub const FIRST_YEAR: i32 = 2008;

/// What a step of the ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// The version was created: from the records, from a JSON document, or as a correction.
    Drafted,
    /// The staff changed its narrative (or the whole document).
    Edited,
    /// Its tables were computed again from the records, the narrative kept.
    Recomputed,
    /// A warning of the checks was looked at and accepted, with a reason.
    Decided,
    /// Submitted to the 负责人 for sign-off.
    Submitted,
    /// Sent back to drafting by the 负责人.
    Returned,
    /// Signed off by the 负责人.
    Signed,
    /// Published on the portal's 年报 column, on the step's date.
    Published,
    /// Taken off the portal, with a reason; the history stays.
    Withdrawn,
    /// A later version of the same year was published in its place.
    Superseded,
}

impl StepKind {
    /// Every kind.
    pub const ALL: [StepKind; 10] = [
        StepKind::Drafted,
        StepKind::Edited,
        StepKind::Recomputed,
        StepKind::Decided,
        StepKind::Submitted,
        StepKind::Returned,
        StepKind::Signed,
        StepKind::Published,
        StepKind::Withdrawn,
        StepKind::Superseded,
    ];

    /// The key stored in `report_steps.kind`.
    pub const fn key(self) -> &'static str {
        match self {
            StepKind::Drafted => "drafted",
            StepKind::Edited => "edited",
            StepKind::Recomputed => "recomputed",
            StepKind::Decided => "decided",
            StepKind::Submitted => "submitted",
            StepKind::Returned => "returned",
            StepKind::Signed => "signed",
            StepKind::Published => "published",
            StepKind::Withdrawn => "withdrawn",
            StepKind::Superseded => "superseded",
        }
    }

    /// The Chinese name shown to staff.
    pub const fn label(self) -> &'static str {
        match self {
            StepKind::Drafted => "起草",
            StepKind::Edited => "修改",
            StepKind::Recomputed => "重新统计",
            StepKind::Decided => "确认提示",
            StepKind::Submitted => "提交签发",
            StepKind::Returned => "退回修改",
            StepKind::Signed => "负责人签发",
            StepKind::Published => "发布",
            StepKind::Withdrawn => "撤回",
            StepKind::Superseded => "被更正版本取代",
        }
    }

    /// Reads a key written by [`StepKind::key`].
    pub fn from_key(key: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// The state of a version (or of a year: its latest version's), computed from the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportState {
    /// No version yet.
    NotStarted,
    /// Being drafted and edited.
    Drafting,
    /// Submitted, waiting for the 负责人.
    AwaitingSignOff,
    /// Signed off, ready to publish.
    Signed,
    /// On the portal.
    Published,
    /// Taken off the portal.
    Withdrawn,
    /// Replaced on the portal by a corrected version.
    Superseded,
}

impl ReportState {
    /// The Chinese name shown to staff.
    pub const fn label(self) -> &'static str {
        match self {
            ReportState::NotStarted => "未开始",
            ReportState::Drafting => "起草中",
            ReportState::AwaitingSignOff => "待签发",
            ReportState::Signed => "已签发",
            ReportState::Published => "已发布",
            ReportState::Withdrawn => "已撤回",
            ReportState::Superseded => "已被更正",
        }
    }

    /// A stable key, for pages and JSON.
    pub const fn key(self) -> &'static str {
        match self {
            ReportState::NotStarted => "not_started",
            ReportState::Drafting => "drafting",
            ReportState::AwaitingSignOff => "awaiting_sign_off",
            ReportState::Signed => "signed",
            ReportState::Published => "published",
            ReportState::Withdrawn => "withdrawn",
            ReportState::Superseded => "superseded",
        }
    }
}

/// The one table of which permission takes which step in which state. `Drafted` (a new
/// version) and `Superseded` (written by a correction's publication) are not taken here.
pub const RULES: &[(StepKind, &[ReportState], Permission)] = {
    use ReportState::*;
    &[
        (StepKind::Edited, &[Drafting], Permission::DraftReports),
        (StepKind::Recomputed, &[Drafting], Permission::DraftReports),
        (
            StepKind::Decided,
            &[Drafting, AwaitingSignOff],
            Permission::DraftReports,
        ),
        (StepKind::Submitted, &[Drafting], Permission::DraftReports),
        (
            StepKind::Returned,
            &[AwaitingSignOff, Signed],
            Permission::SignReports,
        ),
        (
            StepKind::Signed,
            &[AwaitingSignOff],
            Permission::SignReports,
        ),
        (StepKind::Published, &[Signed], Permission::PublishReports),
        (
            StepKind::Withdrawn,
            &[Published],
            Permission::PublishReports,
        ),
    ]
};

/// What [`decide`] says of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The step may be taken.
    Allowed,
    /// No role of the actor allows it (403).
    Forbidden,
    /// The state does not allow it (409).
    NotNow,
}

/// Judges a step: roles first, then the state.
pub fn decide(state: ReportState, kind: StepKind, roles: &[Role]) -> Decision {
    let Some((_, states, permission)) = RULES.iter().find(|(k, _, _)| *k == kind) else {
        return Decision::NotNow;
    };
    if !roles.iter().any(|r| r.allows(*permission)) {
        Decision::Forbidden
    } else if !states.contains(&state) {
        Decision::NotNow
    } else {
        Decision::Allowed
    }
}

/// A finding of the checks as the door hands it in at publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFinding {
    /// The check id of spec/checks.md.
    pub check: String,
    /// An error (blocks) or a warning (needs a decision).
    pub error: bool,
    /// The cells it names, as one key (see the web door), so a decision matches its finding.
    pub cells: String,
    /// Its Chinese message.
    pub message: String,
}

/// A step asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// New document (narrative edited) and, for a correction, its note.
    Edit {
        /// The whole interchange JSON.
        report: Value,
        /// The correction note (versions ≥ 2).
        note: Option<String>,
    },
    /// The document with its tables computed again.
    Recompute {
        /// The whole interchange JSON.
        report: Value,
    },
    /// A warning accepted.
    Decide {
        /// Its check id.
        check: String,
        /// Its cells key.
        cells: String,
        /// Why the numbers stand.
        reason: String,
    },
    /// Submitted for sign-off.
    Submit,
    /// Sent back.
    Return {
        /// Why.
        reason: String,
    },
    /// Signed off.
    Sign,
    /// Published, with the findings the checks gave on the version just now.
    Publish {
        /// Every finding.
        findings: Vec<CheckedFinding>,
    },
    /// Taken off the portal.
    Withdraw {
        /// Why.
        reason: String,
    },
}

impl Step {
    /// Its kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Edit { .. } => StepKind::Edited,
            Step::Recompute { .. } => StepKind::Recomputed,
            Step::Decide { .. } => StepKind::Decided,
            Step::Submit => StepKind::Submitted,
            Step::Return { .. } => StepKind::Returned,
            Step::Sign => StepKind::Signed,
            Step::Publish { .. } => StepKind::Published,
            Step::Withdraw { .. } => StepKind::Withdrawn,
        }
    }
}

/// A step as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Sequence number.
    pub id: i64,
    /// What happened.
    pub kind: StepKind,
    /// When (Unix seconds).
    pub at: i64,
    /// The Beijing date of the step (the publication date of a `published` step).
    pub date: Date,
    /// The staff account, if a person acted.
    pub actor_user_id: Option<UserId>,
    /// Who.
    pub actor_name: String,
    /// The step's data: a decision's check, cells and reason; a reason; the findings at
    /// publication; the version that superseded this one.
    pub detail: Value,
}

/// One version of a year's report, with its ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportVersion {
    /// Its id.
    pub id: VersionId,
    /// The organ.
    pub organ_id: OrganId,
    /// The statistical year.
    pub year: i32,
    /// 1, 2, … within the organ and year.
    pub number: i64,
    /// The interchange JSON.
    pub report: Value,
    /// What a correction changed (versions ≥ 2).
    pub correction_note: Option<String>,
    /// When it was created.
    pub created_at: i64,
    /// Its ledger, oldest first.
    pub steps: Vec<StepRecord>,
}

impl ReportVersion {
    /// The state, from the ledger.
    pub fn state(&self) -> ReportState {
        self.steps
            .iter()
            .fold(ReportState::Drafting, |state, step| match step.kind {
                StepKind::Submitted => ReportState::AwaitingSignOff,
                StepKind::Returned => ReportState::Drafting,
                StepKind::Signed => ReportState::Signed,
                StepKind::Published => ReportState::Published,
                StepKind::Withdrawn => ReportState::Withdrawn,
                StepKind::Superseded => ReportState::Superseded,
                StepKind::Drafted | StepKind::Edited | StepKind::Recomputed | StepKind::Decided => {
                    state
                }
            })
    }

    /// The publication step, if it was published.
    pub fn publication(&self) -> Option<&StepRecord> {
        self.steps.iter().find(|s| s.kind == StepKind::Published)
    }

    /// The date it was published on (the real date of the step).
    pub fn published_on(&self) -> Option<Date> {
        self.publication().map(|s| s.date)
    }

    /// The decision recorded on a warning (check id and cells key), if any.
    pub fn decision(&self, check: &str, cells: &str) -> Option<&StepRecord> {
        self.steps.iter().rev().find(|s| {
            s.kind == StepKind::Decided
                && s.detail["check"].as_str() == Some(check)
                && s.detail["cells"].as_str() == Some(cells)
        })
    }

    /// The step that signed it off, while it stands.
    pub fn signature(&self) -> Option<&StepRecord> {
        matches!(
            self.state(),
            ReportState::Signed
                | ReportState::Published
                | ReportState::Withdrawn
                | ReportState::Superseded
        )
        .then(|| self.steps.iter().rev().find(|s| s.kind == StepKind::Signed))
        .flatten()
    }
}

/// Which art. 49 deadline applies to an organ's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportSettings {
    /// A 县级以上人民政府's report of its whole area (before 31 March), not a department's
    /// (before 31 January).
    pub whole_area: bool,
    /// An earlier local deadline (month, day) of the following year, e.g. (3, 10) or (1, 26).
    pub local_deadline: Option<(u8, u8)>,
}

/// The day by which the report of `year` must be published.
///
/// 条例 art. 49: 各级人民政府部门 publish their report 每年1月31日前, 县级以上地方人民政府 theirs
/// 每年3月31日前; “前” is read as “by”: published on 31 January is on time. A local rule may
/// set an earlier day (spec/workflows.md §5.1: 山西 3月10日, 怀化 1月26日); a later one is not
/// a deadline and is ignored.
pub fn deadline(year: i32, settings: &ReportSettings) -> Date {
    let statutory = statutory_deadline(year, settings.whole_area);
    settings
        .local_deadline
        .and_then(|(m, d)| {
            let month = Month::try_from(m).ok()?;
            Date::from_calendar_date(year + 1, month, d).ok()
        })
        .filter(|local| *local < statutory)
        .unwrap_or(statutory)
}

fn statutory_deadline(year: i32, whole_area: bool) -> Date {
    let month = if whole_area {
        Month::March
    } else {
        Month::January
    };
    // 31 January and 31 March exist in every year of the range dates cover.
    Date::from_calendar_date(year + 1, month, 31).unwrap_or(Date::MAX)
}

/// How a year's report stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Not published; the deadline is still ahead (or today).
    Due,
    /// Not published and the deadline has passed.
    Overdue,
    /// Published by the deadline.
    OnTime,
    /// Published after the deadline.
    Late,
}

impl Timeliness {
    /// Judges a year: its deadline, the first publication date if any, today.
    pub fn of(deadline: Date, published_on: Option<Date>, today: Date) -> Timeliness {
        match published_on {
            Some(d) if d <= deadline => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None if today > deadline => Timeliness::Overdue,
            None => Timeliness::Due,
        }
    }

    /// The Chinese word shown beside the deadline.
    pub const fn label(self) -> &'static str {
        match self {
            Timeliness::Due => "未到期",
            Timeliness::Overdue => "已逾期",
            Timeliness::OnTime => "按期发布",
            Timeliness::Late => "逾期发布",
        }
    }
}

/// The report the portal shows for a year: the latest published version that stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReport {
    /// The version.
    pub version: ReportVersion,
    /// The date it was published on.
    pub published_on: Date,
    /// The earlier published versions it superseded, oldest first.
    pub earlier: Vec<ReportVersion>,
}

/// `YYYY-MM-DD`.
pub fn date_text(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Reads `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || text.len() != 10 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

fn int32(row: &sqlx::any::AnyRow, column: &str) -> Result<i32> {
    let value: i64 = row.try_get(column)?;
    i32::try_from(value).map_err(|_| StoreError::Other(format!("report_versions.{column} {value}")))
}

fn step_from_row(row: &sqlx::any::AnyRow) -> Result<StepRecord> {
    let kind: String = row.try_get("kind")?;
    let date: String = row.try_get("date")?;
    let detail: String = row.try_get("detail_json")?;
    Ok(StepRecord {
        id: row.try_get("id")?,
        kind: StepKind::from_key(&kind)
            .ok_or_else(|| StoreError::Other(format!("report_steps.kind {kind}")))?,
        at: row.try_get("at")?,
        date: parse_date(&date)
            .ok_or_else(|| StoreError::Other(format!("report_steps.date {date}")))?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor_name: row.try_get("actor_name")?,
        detail: serde_json::from_str(&detail)?,
    })
}

/// The organ's versions (of one year, or all), with their ledgers, by year and number.
async fn load(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    year: Option<i32>,
) -> Result<Vec<ReportVersion>> {
    let rows = match year {
        Some(year) => {
            sqlx::query(
                "SELECT id, organ_id, year, number, report_json, correction_note, created_at \
                 FROM report_versions WHERE organ_id = $1 AND year = $2 ORDER BY year, number",
            )
            .bind(organ_id)
            .bind(i64::from(year))
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT id, organ_id, year, number, report_json, correction_note, created_at \
                 FROM report_versions WHERE organ_id = $1 ORDER BY year, number",
            )
            .bind(organ_id)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let mut versions = Vec::with_capacity(rows.len());
    for row in &rows {
        let text: String = row.try_get("report_json")?;
        versions.push(ReportVersion {
            id: row.try_get("id")?,
            organ_id: row.try_get("organ_id")?,
            year: int32(row, "year")?,
            number: row.try_get("number")?,
            report: serde_json::from_str(&text)?,
            correction_note: row.try_get("correction_note")?,
            created_at: row.try_get("created_at")?,
            steps: Vec::new(),
        });
    }
    let steps = sqlx::query(
        "SELECT s.id, s.version_id, s.kind, s.at, s.date, s.actor_user_id, s.actor_name, \
         s.detail_json FROM report_steps s JOIN report_versions v ON v.id = s.version_id \
         WHERE v.organ_id = $1 ORDER BY s.id",
    )
    .bind(organ_id)
    .fetch_all(&mut *conn)
    .await?;
    for row in &steps {
        let version_id: i64 = row.try_get("version_id")?;
        if let Some(v) = versions.iter_mut().find(|v| v.id == version_id) {
            v.steps.push(step_from_row(row)?);
        }
    }
    Ok(versions)
}

async fn insert_step(
    conn: &mut sqlx::AnyConnection,
    version_id: VersionId,
    kind: StepKind,
    actor: &Actor,
    now: i64,
    date: Date,
    detail: &Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO report_steps (version_id, kind, at, date, actor_user_id, actor_name, \
         detail_json) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(version_id)
    .bind(kind.key())
    .bind(now)
    .bind(date_text(date))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(detail.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn set_document(
    conn: &mut sqlx::AnyConnection,
    version_id: VersionId,
    report: &Value,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE report_versions SET report_json = $1, correction_note = $2 WHERE id = $3")
        .bind(report.to_string())
        .bind(note)
        .bind(version_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn audit_value(version: &ReportVersion) -> Value {
    json!({
        "year": version.year,
        "number": version.number,
        "state": version.state().key(),
        "correction_note": version.correction_note,
        "report": version.report,
    })
}

/// The year's latest version, the one steps are taken on.
fn latest(versions: &[ReportVersion]) -> Option<&ReportVersion> {
    versions.iter().max_by_key(|v| v.number)
}

/// A statistical year a report may be drafted for on `date`: 2008 to this year.
fn check_draft_year(year: i32, date: Date) -> Result<()> {
    if year < FIRST_YEAR || year > date.year() {
        return Err(invalid(
            "year",
            format!(
                "年度 {year} 不在可起草的范围内（{FIRST_YEAR}年至{}年）。",
                date.year()
            ),
        ));
    }
    Ok(())
}

/// The report names the organ itself (or nobody, for a draft: the door fills it in).
fn check_agency(report: &Value, organ_name: &str, required: bool) -> Result<()> {
    match report.get("agency").and_then(Value::as_str) {
        Some(agency) if agency.trim() == organ_name => Ok(()),
        None if !required => Ok(()),
        Some(agency) => Err(invalid(
            "agency",
            format!("报告的机关名称“{agency}”不是本机关（{organ_name}）。"),
        )),
        None => Err(invalid(
            "agency",
            format!("报告缺少机关名称，应为“{organ_name}”。"),
        )),
    }
}

fn check_year_of_document(report: &Value, year: i32) -> Result<()> {
    match report.get("year").and_then(Value::as_i64) {
        Some(y) if y == i64::from(year) => Ok(()),
        Some(y) => Err(invalid(
            "year",
            format!("报告的年度 {y} 与本年度 {year} 不符。"),
        )),
        None => Err(invalid("year", "报告缺少年度（year）。")),
    }
}

/// The guards of publication that the store can judge itself. Findings: no error, and a
/// decision on this version for every warning.
fn check_publication(
    version: &ReportVersion,
    organ_name: &str,
    date: Date,
    findings: &[CheckedFinding],
) -> Result<()> {
    // 条例 art. 49: a report covers a finished year, published in the following one.
    if version.year >= date.year() || version.year < FIRST_YEAR {
        return Err(invalid(
            "year",
            format!(
                "{}年度尚未结束，不能发布该年度的年度报告（可发布{FIRST_YEAR}年至{}年的报告）。",
                version.year,
                date.year() - 1
            ),
        ));
    }
    check_year_of_document(&version.report, version.year)?;
    check_agency(&version.report, organ_name, true)?;
    if version.number > 1
        && version
            .correction_note
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        return Err(invalid("note", "更正版本须写明更正说明。"));
    }
    let errors: Vec<&str> = findings
        .iter()
        .filter(|f| f.error)
        .map(|f| f.message.as_str())
        .collect();
    if !errors.is_empty() {
        return Err(StoreError::NotAllowed(format!(
            "检查发现错误，不能发布：{}",
            errors.join("；")
        )));
    }
    let undecided: Vec<&str> = findings
        .iter()
        .filter(|f| !f.error && version.decision(&f.check, &f.cells).is_none())
        .map(|f| f.message.as_str())
        .collect();
    if !undecided.is_empty() {
        return Err(StoreError::NotAllowed(format!(
            "以下提示尚未确认并说明理由，不能发布：{}",
            undecided.join("；")
        )));
    }
    if version.signature().is_none() {
        return Err(StoreError::NotAllowed("报告尚未经负责人签发。".into()));
    }
    Ok(())
}

/// The narrative's printed date, filled with the publication date where the staff left it
/// empty (the report is dated the day it is issued).
fn dated(report: &Value, date: Date) -> Value {
    let mut report = report.clone();
    if let Some(narrative) = report.get_mut("narrative").and_then(Value::as_object_mut) {
        let empty = narrative
            .get("date")
            .and_then(Value::as_str)
            .is_none_or(|d| d.trim().is_empty());
        if empty {
            narrative.insert("date".into(), Value::String(date_text(date)));
        }
    }
    report
}

fn step_detail(step: &Step) -> Value {
    match step {
        Step::Edit { note, .. } => json!({ "note": note }),
        Step::Recompute { .. } | Step::Submit | Step::Sign => json!({}),
        Step::Decide {
            check,
            cells,
            reason,
        } => json!({ "check": check, "cells": cells, "reason": reason }),
        Step::Return { reason } | Step::Withdraw { reason } => json!({ "reason": reason }),
        Step::Publish { findings } => json!({
            "warnings": findings
                .iter()
                .map(|f| json!({ "check": f.check, "cells": f.cells, "message": f.message }))
                .collect::<Vec<_>>(),
        }),
    }
}

fn required_text(field: &'static str, what: &str, text: &str, max: usize) -> Result<()> {
    let n = text.trim().chars().count();
    if n == 0 {
        return Err(invalid(field, format!("请填写{what}。")));
    }
    if n > max {
        return Err(invalid(field, format!("{what}不能超过 {max} 个字。")));
    }
    Ok(())
}

impl Store {
    async fn actor_roles(&self, actor: &Actor, organ_id: OrganId) -> Result<Vec<Role>> {
        match actor.user_id {
            Some(user) => self.roles_on(user, organ_id).await,
            None => Ok(Role::ALL.to_vec()),
        }
    }

    /// Every version of the scope's organ, by year and number, with their ledgers.
    pub async fn report_versions(&self, scope: OrganScope) -> Result<Vec<ReportVersion>> {
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, scope.organ_id(), None).await
    }

    /// The versions of one year, by number.
    pub async fn report_versions_of(
        &self,
        scope: OrganScope,
        year: i32,
    ) -> Result<Vec<ReportVersion>> {
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, scope.organ_id(), Some(year)).await
    }

    /// Starts a year's report: version 1 when the year has none, or a correction (version
    /// N + 1, with its note) of a published or withdrawn latest version. `report` is the
    /// interchange JSON (tables from the records, or a document imported as a draft). The
    /// statistical year must lie between 2008 and `date`'s year, and the report, if it names
    /// an agency, must name the organ.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_report(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        date: Date,
        year: i32,
        report: &Value,
        correction_note: Option<&str>,
    ) -> Result<ReportVersion> {
        let organ_id = scope.organ_id();
        let roles = self.actor_roles(actor, organ_id).await?;
        if !roles.iter().any(|r| r.allows(Permission::DraftReports)) {
            return Err(StoreError::Forbidden);
        }
        check_draft_year(year, date)?;
        check_year_of_document(report, year)?;
        let organ = self.organ(organ_id).await?;
        check_agency(report, &organ.settings.name, false)?;
        let mut tx = self.begin_write().await?;
        let versions = load(&mut tx, organ_id, Some(year)).await?;
        let number = match latest(&versions) {
            None => 1,
            Some(v) => match v.state() {
                ReportState::Published | ReportState::Withdrawn => v.number + 1,
                state => {
                    return Err(StoreError::NotAllowed(format!(
                        "{year}年度报告第{}版{}，不能另起新版本。",
                        v.number,
                        state.label()
                    )));
                }
            },
        };
        let note = match number {
            1 => None,
            _ => {
                let note = correction_note.unwrap_or("");
                required_text("note", "更正说明", note, 2000)?;
                Some(note.trim().to_owned())
            }
        };
        let row = sqlx::query(
            "INSERT INTO report_versions (organ_id, year, number, report_json, correction_note, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(organ_id)
        .bind(i64::from(year))
        .bind(number)
        .bind(report.to_string())
        .bind(note.as_deref())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        insert_step(
            &mut tx,
            id,
            StepKind::Drafted,
            actor,
            now,
            date,
            &json!({ "correction_of": (number > 1).then_some(number - 1) }),
        )
        .await?;
        let version = load(&mut tx, organ_id, Some(year))
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or(StoreError::NotFound("report version"))?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "report.draft",
                entity: "report_version",
                entity_id: format!("{organ_id}/{year}/{number}"),
                before: None,
                after: Some(audit_value(&version)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The one door for a step on a year's report: its latest version. In one transaction it
    /// judges the step ([`decide`]: roles, 403, then state, 409), applies the guards (a
    /// reason where one is due; at publication those of [`Step::Publish`]), writes the step
    /// and its audit row. Publishing a correction marks the earlier published version
    /// superseded. A refused step writes nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn append_report_step(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        date: Date,
        year: i32,
        number: i64,
        step: Step,
    ) -> Result<ReportVersion> {
        let organ_id = scope.organ_id();
        let roles = self.actor_roles(actor, organ_id).await?;
        let organ = self.organ(organ_id).await?;
        let mut tx = self.begin_write().await?;
        let versions = load(&mut tx, organ_id, Some(year)).await?;
        let version = latest(&versions)
            .filter(|v| v.number == number)
            .ok_or(StoreError::NotFound("report version"))?;
        let state = version.state();
        match decide(state, step.kind(), &roles) {
            Decision::Forbidden => return Err(StoreError::Forbidden),
            Decision::NotNow => {
                return Err(StoreError::NotAllowed(format!(
                    "报告{}，不能{}。",
                    state.label(),
                    step.kind().label()
                )));
            }
            Decision::Allowed => {}
        }
        match &step {
            Step::Edit { report, note } => {
                check_year_of_document(report, year)?;
                check_agency(report, &organ.settings.name, false)?;
                let note = match version.number {
                    1 => None,
                    _ => note.as_deref().map(str::trim),
                };
                set_document(&mut tx, version.id, report, note).await?;
            }
            Step::Recompute { report } => {
                check_year_of_document(report, year)?;
                set_document(
                    &mut tx,
                    version.id,
                    report,
                    version.correction_note.as_deref(),
                )
                .await?;
            }
            Step::Decide { reason, check, .. } => {
                required_text("reason", "确认理由", reason, 500)?;
                if check.is_empty() {
                    return Err(invalid("check", "缺少所确认的检查项。"));
                }
            }
            Step::Return { reason } => required_text("reason", "退回理由", reason, 500)?,
            Step::Withdraw { reason } => required_text("reason", "撤回理由", reason, 500)?,
            Step::Publish { findings } => {
                check_publication(version, &organ.settings.name, date, findings)?;
                let report = dated(&version.report, date);
                if report != version.report {
                    set_document(
                        &mut tx,
                        version.id,
                        &report,
                        version.correction_note.as_deref(),
                    )
                    .await?;
                }
            }
            Step::Submit | Step::Sign => {}
        }
        insert_step(
            &mut tx,
            version.id,
            step.kind(),
            actor,
            now,
            date,
            &step_detail(&step),
        )
        .await?;
        if matches!(step, Step::Publish { .. }) {
            for earlier in versions
                .iter()
                .filter(|v| v.number < number && v.state() == ReportState::Published)
            {
                insert_step(
                    &mut tx,
                    earlier.id,
                    StepKind::Superseded,
                    actor,
                    now,
                    date,
                    &json!({ "by": number }),
                )
                .await?;
            }
        }
        let after = load(&mut tx, organ_id, Some(year))
            .await?
            .into_iter()
            .find(|v| v.id == version.id)
            .ok_or(StoreError::NotFound("report version"))?;
        let mut after_value = audit_value(&after);
        after_value["step"] = json!({ "kind": step.kind().key(), "detail": step_detail(&step) });
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "report.step",
                entity: "report_version",
                entity_id: format!("{organ_id}/{year}/{number}"),
                before: Some(audit_value(version)),
                after: Some(after_value),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The report the portal shows for a year: the latest version that is published and
    /// stands, with the earlier published versions it superseded. Public: no scope needed.
    pub async fn published_report(
        &self,
        organ_id: OrganId,
        year: i32,
    ) -> Result<Option<PublishedReport>> {
        let mut conn = self.pool().acquire().await?;
        let versions = load(&mut conn, organ_id, Some(year)).await?;
        Ok(published_of(versions))
    }

    /// Every year's published report of an organ, newest year first. Public.
    pub async fn published_reports(&self, organ_id: OrganId) -> Result<Vec<PublishedReport>> {
        let mut conn = self.pool().acquire().await?;
        let versions = load(&mut conn, organ_id, None).await?;
        let mut years: Vec<i32> = versions.iter().map(|v| v.year).collect();
        years.dedup();
        let mut out: Vec<PublishedReport> = years
            .into_iter()
            .filter_map(|year| {
                published_of(
                    versions
                        .iter()
                        .filter(|v| v.year == year)
                        .cloned()
                        .collect(),
                )
            })
            .collect();
        out.sort_by_key(|p| std::cmp::Reverse(p.version.year));
        Ok(out)
    }

    /// Whether the organ has any version for the year (then a report stored before versions
    /// existed no longer stands for it). Public: says nothing of the versions' content.
    pub async fn has_report_versions(&self, organ_id: OrganId, year: i32) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM report_versions WHERE organ_id = $1 AND year = $2",
        )
        .bind(organ_id)
        .bind(i64::from(year))
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// One version that was published (now standing or superseded), for the portal's page of
    /// an earlier version. Public; drafts are never returned.
    pub async fn published_version(
        &self,
        organ_id: OrganId,
        year: i32,
        number: i64,
    ) -> Result<Option<ReportVersion>> {
        let mut conn = self.pool().acquire().await?;
        Ok(load(&mut conn, organ_id, Some(year))
            .await?
            .into_iter()
            .find(|v| {
                v.number == number
                    && matches!(v.state(), ReportState::Published | ReportState::Superseded)
            }))
    }

    /// The organ's deadline settings (a department's report, no local deadline, by default).
    pub async fn report_settings(&self, organ_id: OrganId) -> Result<ReportSettings> {
        let row = sqlx::query(
            "SELECT whole_area, local_deadline FROM report_settings WHERE organ_id = $1",
        )
        .bind(organ_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(ReportSettings::default());
        };
        let whole_area: i64 = row.try_get("whole_area")?;
        let local: Option<String> = row.try_get("local_deadline")?;
        Ok(ReportSettings {
            whole_area: whole_area != 0,
            local_deadline: local.as_deref().and_then(parse_month_day),
        })
    }

    /// Saves the organ's deadline settings. A local deadline must be a day that every year
    /// has (not 29 February) and earlier than the statutory one.
    pub async fn put_report_settings(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        settings: ReportSettings,
    ) -> Result<ReportSettings> {
        let organ_id = scope.organ_id();
        if let Some((m, d)) = settings.local_deadline {
            let valid = Month::try_from(m)
                .ok()
                .and_then(|month| Date::from_calendar_date(2023, month, d).ok());
            let statutory = if settings.whole_area {
                (3, 31)
            } else {
                (1, 31)
            };
            if valid.is_none() || (m, d) >= statutory {
                return Err(invalid(
                    "local_deadline",
                    format!(
                        "本地发布时限应为{}月{}日之前的某一天（每年都有的日期）。",
                        statutory.0, statutory.1
                    ),
                ));
            }
        }
        let before = self.report_settings(organ_id).await?;
        let local = settings
            .local_deadline
            .map(|(m, d)| format!("{m:02}-{d:02}"));
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM report_settings WHERE organ_id = $1")
            .bind(organ_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO report_settings (organ_id, whole_area, local_deadline, updated_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(organ_id)
        .bind(i64::from(settings.whole_area))
        .bind(local.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let value = |s: &ReportSettings| {
            json!({
                "whole_area": s.whole_area,
                "local_deadline": s.local_deadline.map(|(m, d)| format!("{m:02}-{d:02}")),
            })
        };
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "report_settings.update",
                entity: "report_settings",
                entity_id: organ_id.to_string(),
                before: Some(value(&before)),
                after: Some(value(&settings)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(settings)
    }
}

/// `MM-DD`.
pub fn parse_month_day(text: &str) -> Option<(u8, u8)> {
    let (m, d) = text.trim().split_once('-')?;
    Some((m.parse().ok()?, d.parse().ok()?))
}

fn published_of(versions: Vec<ReportVersion>) -> Option<PublishedReport> {
    let standing = versions
        .iter()
        .rev()
        .find(|v| v.state() == ReportState::Published)?
        .clone();
    let published_on = standing.published_on()?;
    let earlier = versions
        .into_iter()
        .filter(|v| v.number < standing.number && v.state() == ReportState::Superseded)
        .collect();
    Some(PublishedReport {
        version: standing,
        published_on,
        earlier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
    }

    fn department() -> ReportSettings {
        ReportSettings::default()
    }

    #[test]
    fn article_49_deadlines_department_government_and_local() {
        // 条例 art. 49: departments 每年1月31日前, 县级以上地方人民政府 每年3月31日前.
        let government = ReportSettings {
            whole_area: true,
            local_deadline: None,
        };
        let cases = [
            (department(), day(2023, 1, 31)),
            (government, day(2023, 3, 31)),
            // An earlier local deadline replaces the statutory one (workflows.md §5.1).
            (
                ReportSettings {
                    whole_area: false,
                    local_deadline: Some((1, 26)),
                },
                day(2023, 1, 26),
            ),
            (
                ReportSettings {
                    whole_area: true,
                    local_deadline: Some((3, 10)),
                },
                day(2023, 3, 10),
            ),
            // A later "local deadline" is no deadline: the statute's stands.
            (
                ReportSettings {
                    whole_area: false,
                    local_deadline: Some((3, 10)),
                },
                day(2023, 1, 31),
            ),
        ];
        for (settings, expected) in cases {
            assert_eq!(deadline(2022, &settings), expected, "{settings:?}");
        }
    }

    #[test]
    fn article_49_published_on_the_last_day_is_on_time_a_day_later_late() {
        let due = deadline(2022, &department());
        let cases = [
            (Some(day(2023, 1, 11)), day(2023, 6, 1), Timeliness::OnTime),
            (Some(day(2023, 1, 31)), day(2023, 6, 1), Timeliness::OnTime),
            (Some(day(2023, 2, 1)), day(2023, 6, 1), Timeliness::Late),
            (None, day(2023, 1, 31), Timeliness::Due),
            (None, day(2023, 2, 1), Timeliness::Overdue),
        ];
        for (published, today, expected) in cases {
            assert_eq!(Timeliness::of(due, published, today), expected);
        }
    }

    #[test]
    fn dates_round_trip_and_bad_text_is_refused() {
        assert_eq!(parse_date("2023-01-11"), Some(day(2023, 1, 11)));
        assert_eq!(date_text(day(2023, 1, 11)), "2023-01-11");
        for bad in ["2023-1-11", "2023-02-30", "", "2023-01-11-1", "x"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_staff_step_has_one_rule_and_the_ledger_folds_to_its_state() {
        for kind in StepKind::ALL {
            let n = RULES.iter().filter(|(k, _, _)| *k == kind).count();
            let internal = matches!(kind, StepKind::Drafted | StepKind::Superseded);
            assert_eq!(n, usize::from(!internal), "{kind:?}");
        }
    }
}
