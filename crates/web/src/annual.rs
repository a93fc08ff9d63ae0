//! The one door of an organ's 政府信息公开工作年度报告 (条例 art. 49, 50): drafting from the
//! organ's records, importing a draft from interchange JSON, recomputing, correcting, and
//! publication, which runs the whole check catalogue first.
//!
//! Publication runs `gongkai_report::check::check` on the version's report with the organ's
//! previous published year as `previous` (X-CARRY, X-IN-FORCE) and the narrative's text (N-*):
//! any error refuses with the findings; each warning needs a decision recorded on the version
//! with a reason. The store then judges the step again (state, roles, the year, the agency, the
//! 负责人's sign-off) and dates it with the real day of the step. Console, demo and tests all
//! publish through [`publish`]; nothing else writes a published report.

use gongkai_report::check::{self, CheckContext, Finding, Severity};
use gongkai_report::model::{AnnualReport, JsonError};
use gongkai_store::report_version::{CheckedFinding, ReportState, ReportVersion, Step};
use gongkai_store::{Actor, OrganId, OrganScope, Store, StoreError};
use serde_json::Value;
use time::Date;

use crate::controllers::computed;

/// Why the door refused.
#[derive(Debug, thiserror::Error)]
pub enum DoorError {
    /// The document is not a valid interchange report.
    #[error("年度报告数据不符合格式：{0}")]
    Invalid(#[from] JsonError),
    /// The report does not say which year it covers.
    #[error("年度报告数据缺少年度（year）。")]
    NoYear,
    /// The checks found errors: publication is refused.
    #[error("检查发现 {} 处错误，不能发布。", .0.len())]
    Errors(Vec<Finding>),
    /// Warnings without a recorded decision.
    #[error("有 {} 处提示尚未确认并说明理由，不能发布。", .0.len())]
    Undecided(Vec<Finding>),
    /// The store refused (state, role, year, agency, sign-off).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a document as a report that names its year.
pub fn read(document: &Value) -> Result<(i32, AnnualReport), DoorError> {
    let report = AnnualReport::from_json(document)?;
    let year = report.year.ok_or(DoorError::NoYear)?;
    Ok((year, report))
}

/// The key a decision on a finding is recorded under: its cells as `section/row/column`,
/// joined by commas (empty for a finding on the narrative alone).
pub fn cells_key(finding: &Finding) -> String {
    finding
        .cells
        .iter()
        .map(|c| format!("{}/{}/{}", c.section.key(), c.row, c.column))
        .collect::<Vec<_>>()
        .join(",")
}

/// The organ's published report of `year`, read as a model: a version published through the
/// door, else a report stored before versions existed, else the report imported for that year
/// (an organ's years before it used gongkai: `report import`).
pub async fn published_model(
    store: &Store,
    scope: OrganScope,
    year: i32,
) -> Result<Option<AnnualReport>, StoreError> {
    let organ_id = scope.organ_id();
    let document = match store.published_report(organ_id, year).await? {
        Some(p) => Some(p.version.report),
        None => match store.annual_report(organ_id, year).await? {
            Some(r) => Some(r.report),
            None => store.current_import(scope, year).await?.map(|i| i.report),
        },
    };
    document
        .map(|d| {
            AnnualReport::from_json(&d)
                .map_err(|e| StoreError::Other(format!("stored annual report {year}: {e}")))
        })
        .transpose()
}

/// The version's report as a model.
pub fn model(version: &ReportVersion) -> Result<AnnualReport, StoreError> {
    AnnualReport::from_json(&version.report).map_err(|e| {
        StoreError::Other(format!(
            "report version {}/{}: {e}",
            version.year, version.number
        ))
    })
}

/// Every finding of the catalogue on a version: against last year's published report; the
/// `N-*` checks read the version's own narrative (`check::check` takes it from the report).
pub async fn findings(
    store: &Store,
    scope: OrganScope,
    version: &ReportVersion,
) -> Result<Vec<Finding>, StoreError> {
    let report = model(version)?;
    let previous = published_model(store, scope, version.year - 1).await?;
    let cx = CheckContext {
        previous: previous.as_ref(),
        ..CheckContext::default()
    };
    Ok(check::check(&report, &cx))
}

/// The scope's organ's report of `year`, computed from its records, with the drafted narrative.
async fn computed(store: &Store, scope: OrganScope, year: i32) -> Result<AnnualReport, StoreError> {
    let mut report = computed::computed_report(store, scope, year).await?;
    let figures = computed::figures(store, scope, year).await?;
    report.narrative = Some(gongkai_report::draft::narrative(&report, &figures));
    Ok(report)
}

/// Starts the year's report from the organ's records (version 1).
pub async fn draft(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    today: Date,
    year: i32,
) -> Result<ReportVersion, DoorError> {
    // The store refuses a year that cannot be drafted (before 2008, after this year).
    let report = computed(store, scope, year).await?;
    Ok(store
        .start_report(actor, scope, now, today, year, &report.to_json(), None)
        .await?)
}

/// Imports a draft from interchange JSON: read strictly, then started like any draft (the
/// checks run at publication, as on every report).
pub async fn import_draft(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    today: Date,
    document: &Value,
) -> Result<ReportVersion, DoorError> {
    let (year, mut report) = read(document)?;
    if report.agency.as_deref().is_none_or(|a| a.trim().is_empty()) {
        report.agency = Some(store.organ(scope.organ_id()).await?.settings.name);
    }
    Ok(store
        .start_report(actor, scope, now, today, year, &report.to_json(), None)
        .await?)
}

/// Refreshes a draft's tables from the records, keeping its narrative.
pub async fn recompute(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    today: Date,
    version: &ReportVersion,
) -> Result<ReportVersion, DoorError> {
    let kept = model(version)?.narrative;
    let mut report = computed::computed_report(store, scope, version.year).await?;
    report.narrative = kept;
    let step = Step::Recompute {
        report: report.to_json(),
    };
    Ok(store
        .append_report_step(actor, scope, now, today, version.year, version.number, step)
        .await?)
}

/// Starts a correction of the year's published (or withdrawn) report: a new version with the
/// latest one's document and the note saying what it corrects.
pub async fn correct(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    today: Date,
    year: i32,
    note: &str,
) -> Result<ReportVersion, DoorError> {
    let versions = store.report_versions_of(scope, year).await?;
    let latest = versions
        .last()
        .ok_or(StoreError::NotFound("report version"))?;
    let mut report = model(latest)?;
    // The corrected report is dated when it is issued.
    if let Some(n) = report.narrative.as_mut() {
        n.date = None;
    }
    Ok(store
        .start_report(
            actor,
            scope,
            now,
            today,
            year,
            &report.to_json(),
            Some(note),
        )
        .await?)
}

/// Publishes the year's signed version: runs the checks; an error refuses, an undecided
/// warning refuses; then the store's door, dated `today` (the real Beijing date of the step).
pub async fn publish(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    today: Date,
    version: &ReportVersion,
) -> Result<ReportVersion, DoorError> {
    let found = findings(store, scope, version).await?;
    let errors: Vec<Finding> = found
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(DoorError::Errors(errors));
    }
    let undecided: Vec<Finding> = found
        .iter()
        .filter(|f| version.decision(f.check, &cells_key(f)).is_none())
        .cloned()
        .collect();
    if !undecided.is_empty() {
        return Err(DoorError::Undecided(undecided));
    }
    let findings = found
        .iter()
        .map(|f| CheckedFinding {
            check: f.check.to_owned(),
            error: f.severity == Severity::Error,
            cells: cells_key(f),
            message: f.message.clone(),
        })
        .collect();
    Ok(store
        .append_report_step(
            actor,
            scope,
            now,
            today,
            version.year,
            version.number,
            Step::Publish { findings },
        )
        .await?)
}

/// A whole report published from a document by a trusted caller (the demo, tests, the
/// command line): imported as a draft, its warnings decided with `reason` (refused without
/// one), submitted, signed and published through [`publish`] on `today`.
#[allow(clippy::too_many_arguments)]
pub async fn publish_document(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    today: Date,
    document: &Value,
    warnings_reason: Option<&str>,
) -> Result<ReportVersion, DoorError> {
    let mut version = import_draft(store, actor, scope, now, today, document).await?;
    let (year, number) = (version.year, version.number);
    for f in findings(store, scope, &version).await? {
        if f.severity == Severity::Error {
            continue; // refused below, with every finding
        }
        let Some(reason) = warnings_reason else {
            continue;
        };
        let step = Step::Decide {
            check: f.check.to_owned(),
            cells: cells_key(&f),
            reason: reason.to_owned(),
        };
        store
            .append_report_step(actor, scope, now, today, year, number, step)
            .await?;
    }
    for step in [Step::Submit, Step::Sign] {
        version = store
            .append_report_step(actor, scope, now, today, year, number, step)
            .await?;
    }
    publish(store, actor, scope, now, today, &version).await
}

/// A year of the portal's 年报 column: the report standing for it, when it was published, and
/// for a corrected report its note and the earlier versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// The statistical year.
    pub year: i32,
    /// The published document.
    pub report: Value,
    /// The publication date, `YYYY-MM-DD` (for a report stored before versions existed, the
    /// day it was stored).
    pub published_on: String,
    /// The publication time for the `PubDate` tag, `yyyy-MM-dd HH:mm` (Beijing): the step's
    /// time, or midnight of its date where the step was recorded on another day (the demo's
    /// report, loaded now and published on the day it prints).
    pub published_time: String,
    /// The version number (`None`: stored before versions existed).
    pub number: Option<i64>,
    /// What the correction changed.
    pub note: Option<String>,
    /// Earlier versions it superseded: number and publication date.
    pub earlier: Vec<(i64, String)>,
}

/// The `PubDate` of a version published on `date` by a step recorded at `at`.
pub fn published_time(version: &ReportVersion) -> String {
    use gongkai_store::report_version::date_text;
    match version.publication() {
        Some(s) if crate::site::beijing_date(s.at) == s.date => crate::site::format_time(s.at),
        Some(s) => format!("{} 00:00", date_text(s.date)),
        None => String::new(),
    }
}

fn listing(p: gongkai_store::report_version::PublishedReport) -> Listing {
    use gongkai_store::report_version::date_text;
    Listing {
        year: p.version.year,
        published_time: published_time(&p.version),
        published_on: date_text(p.published_on),
        number: Some(p.version.number),
        note: p.version.correction_note.clone(),
        earlier: p
            .earlier
            .iter()
            .filter_map(|v| Some((v.number, date_text(v.published_on()?))))
            .collect(),
        report: p.version.report,
    }
}

fn legacy_listing(r: gongkai_store::annual_report::StoredReport) -> Listing {
    Listing {
        year: r.year,
        published_on: gongkai_store::report_version::date_text(crate::site::beijing_date(
            r.published_at,
        )),
        published_time: crate::site::format_time(r.published_at),
        number: None,
        note: None,
        earlier: Vec::new(),
        report: r.report,
    }
}

/// The organ's published reports, newest year first: versions published through the door,
/// and for other years any report stored before versions existed.
pub async fn listings(store: &Store, organ_id: OrganId) -> Result<Vec<Listing>, StoreError> {
    let mut out: Vec<Listing> = store
        .published_reports(organ_id)
        .await?
        .into_iter()
        .map(listing)
        .collect();
    for legacy in store.annual_reports(organ_id).await? {
        if out.iter().all(|l| l.year != legacy.year)
            && !store.has_report_versions(organ_id, legacy.year).await?
            && let Some(r) = store.annual_report(organ_id, legacy.year).await?
        {
            out.push(legacy_listing(r));
        }
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.year));
    Ok(out)
}

/// The year's published report as the portal shows it.
pub async fn listing_of(
    store: &Store,
    organ_id: OrganId,
    year: i32,
) -> Result<Option<Listing>, StoreError> {
    if let Some(p) = store.published_report(organ_id, year).await? {
        return Ok(Some(listing(p)));
    }
    if store.has_report_versions(organ_id, year).await? {
        // Withdrawn (or never published): the year is off the portal.
        return Ok(None);
    }
    Ok(store
        .annual_report(organ_id, year)
        .await?
        .map(legacy_listing))
}

/// Whether a version's state lets its narrative be edited.
pub fn editable(version: &ReportVersion) -> bool {
    version.state() == ReportState::Drafting
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../demo/2022_hulunbuir_jingkaiqu.json");

    #[test]
    fn the_seed_report_reads_with_its_year() {
        let document: Value = serde_json::from_str(SEED).unwrap();
        let (year, report) = read(&document).unwrap();
        assert_eq!(year, 2022);
        assert_eq!(report.agency.as_deref(), Some("呼伦贝尔经济技术开发区"));
    }

    #[test]
    fn documents_that_are_not_reports_or_lack_a_year_are_refused() {
        let not_a_report = serde_json::json!({"schema": "x"});
        assert!(matches!(read(&not_a_report), Err(DoorError::Invalid(_))));
        let mut no_year: Value = serde_json::from_str(SEED).unwrap();
        no_year["year"] = Value::Null;
        assert!(matches!(read(&no_year), Err(DoorError::NoYear)));
    }

    #[test]
    fn an_inconsistent_report_has_an_error_the_door_refuses_on() {
        // The first paragraph: 本年新收 自然人 5 and 总计 0 was published.
        let mut document: Value = serde_json::from_str(SEED).unwrap();
        document["applications"]["new_received"]["natural_person"] = 5.into();
        let (_, report) = read(&document).unwrap();
        let found = check::check(&report, &CheckContext::default());
        let error = found
            .iter()
            .find(|f| f.severity == Severity::Error)
            .expect("an error");
        assert!(
            cells_key(error).contains("applications/new_received/"),
            "{}",
            cells_key(error)
        );
    }
}
