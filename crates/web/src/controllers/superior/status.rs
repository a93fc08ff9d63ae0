//! A subordinate's report state for a year, derived (never stored) from what the platform
//! holds: a report published on gongkai (with its publication time), an imported report (with
//! the date it prints under its signature), or nothing yet; against the art. 49 deadline of the organ's report settings
//! (`gongkai_store::report_version::deadline`).

use gongkai_report::model::AnnualReport;
use time::Date;

/// The state of an organ's report for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportState {
    /// Nothing published or imported, and the deadline has not passed.
    NotStarted,
    /// Published (on gongkai, or imported with its printed date) by the deadline.
    OnTime,
    /// Published after the deadline.
    Late,
    /// Imported, but the report prints no date: when it was published is not known.
    Undated,
    /// Nothing published or imported, and the deadline has passed.
    Missing,
}

impl ReportState {
    /// The Chinese label shown on the page.
    pub fn label(self) -> &'static str {
        match self {
            ReportState::NotStarted => "未开始",
            ReportState::OnTime => "按时发布",
            ReportState::Late => "逾期发布",
            ReportState::Undated => "已导入（报告未印日期）",
            ReportState::Missing => "逾期未发布",
        }
    }

    /// A stable key for the page's classes and tests.
    pub fn key(self) -> &'static str {
        match self {
            ReportState::NotStarted => "not-started",
            ReportState::OnTime => "on-time",
            ReportState::Late => "late",
            ReportState::Undated => "undated",
            ReportState::Missing => "missing",
        }
    }
}

/// The state from the day the report was published (`None`: not published or imported), the
/// deadline and today.
pub fn state(published: Option<Option<Date>>, deadline: Option<Date>, today: Date) -> ReportState {
    match (published, deadline) {
        (Some(Some(day)), Some(due)) if day <= due => ReportState::OnTime,
        (Some(Some(_)), Some(_)) => ReportState::Late,
        (Some(Some(_)), None) => ReportState::OnTime,
        (Some(None), _) => ReportState::Undated,
        (None, Some(due)) if today > due => ReportState::Missing,
        (None, _) => ReportState::NotStarted,
    }
}

/// The date a report prints under its signature (`YYYY-MM-DD`), if any.
pub fn printed_date(report: &AnnualReport) -> Option<Date> {
    gongkai_core::calendar::parse_date(report.narrative.as_ref()?.date.as_deref()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn states_from_publication_and_the_deadline() {
        let due = Some(date!(2023 - 01 - 31));
        let today = date!(2023 - 02 - 10);
        let on = state(Some(Some(date!(2023 - 01 - 31))), due, today);
        assert_eq!(on, ReportState::OnTime);
        let late = state(Some(Some(date!(2023 - 02 - 01))), due, today);
        assert_eq!(late, ReportState::Late);
        assert_eq!(state(Some(None), due, today), ReportState::Undated);
        assert_eq!(state(None, due, today), ReportState::Missing);
        assert_eq!(
            state(None, due, date!(2023 - 01 - 31)),
            ReportState::NotStarted
        );
    }
}
