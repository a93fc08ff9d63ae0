//! Publishing an organ's 政府信息公开工作年度报告 (条例 art. 49, 50) on its portal: the report
//! arrives as the interchange JSON of `spec/annual-report.schema.json`, is read strictly with
//! `AnnualReport::from_json` (a document that is not a valid report is never stored), and is
//! stored per organ and year. The portal renders the stored JSON in the official layout with
//! `gongkai_report::render::html`.

use gongkai_report::model::{AnnualReport, JsonError};
use gongkai_store::annual_report::StoredReport;
use gongkai_store::{Actor, OrganScope, Store, StoreError};
use serde_json::Value;

/// Why a report could not be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The document is not a valid interchange report.
    #[error("年度报告数据不符合格式：{0}")]
    Invalid(#[from] JsonError),
    /// The report does not say which year it covers.
    #[error("年度报告数据缺少年度（year）")]
    NoYear,
    /// The store refused it.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a document as a report that names its year.
pub fn read(document: &Value) -> Result<(i32, AnnualReport), PublishError> {
    let report = AnnualReport::from_json(document)?;
    let year = report.year.ok_or(PublishError::NoYear)?;
    Ok((year, report))
}

/// Publishes (or replaces) the scope's organ's report for the year the document names.
pub async fn publish(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
    document: &Value,
) -> Result<StoredReport, PublishError> {
    let (year, report) = read(document)?;
    // Stored as this crate writes it, so every stored report reads back the same way.
    Ok(store
        .put_annual_report(actor, scope, now, year, &report.to_json())
        .await?)
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
        assert!(matches!(read(&not_a_report), Err(PublishError::Invalid(_))));
        let mut no_year: Value = serde_json::from_str(SEED).unwrap();
        no_year["year"] = Value::Null;
        assert!(matches!(read(&no_year), Err(PublishError::NoYear)));
    }
}
