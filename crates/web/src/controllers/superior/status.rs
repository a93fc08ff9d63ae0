//! A subordinate's report state for a year, derived (never stored) from what the platform
//! holds: a report published on gongkai (with its publication time), an imported report (with
//! the date it prints under its signature), or nothing yet; against the art. 49 deadline.

use gongkai_report::model::AnnualReport;
use gongkai_store::organ::Organ;
use time::{Date, Month};

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

/// The art. 49 deadline of `organ`'s report for `year`: 各级人民政府部门 by 31 January of the
/// next year; 县级以上地方人民政府's whole-area report by 31 March. An organ is taken as a
/// government when its name ends in 人民政府 (its offices and departments do not).
pub fn deadline(organ: &Organ, year: i32) -> Option<Date> {
    let next = year.checked_add(1)?;
    let government = organ.settings.name.trim().ends_with("人民政府");
    let (month, day) = if government {
        (Month::March, 31)
    } else {
        (Month::January, 31)
    };
    Date::from_calendar_date(next, month, day).ok()
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
    let text = report.narrative.as_ref()?.date.as_deref()?;
    let mut parts = text.split('-').map(str::parse::<i32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn organ(name: &str) -> Organ {
        Organ {
            id: 1,
            parent_id: None,
            settings: gongkai_store::organ::OrganSettings {
                name: name.into(),
                ..Default::default()
            },
            created_at: 0,
        }
    }

    #[test]
    fn article_49_deadlines() {
        // 条例 art. 49: departments by 1月31日, governments' area reports by 3月31日.
        assert_eq!(
            deadline(&organ("海拉尔区教育局"), 2022),
            Some(date!(2023 - 01 - 31))
        );
        assert_eq!(
            deadline(&organ("海拉尔区人民政府"), 2022),
            Some(date!(2023 - 03 - 31))
        );
        assert_eq!(
            deadline(&organ("海拉尔区人民政府办公室"), 2022),
            Some(date!(2023 - 01 - 31))
        );
    }

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
