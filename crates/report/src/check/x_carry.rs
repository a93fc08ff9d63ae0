//! `X-CARRY`: this year's 二、上年结转 equals last year's 四、结转下年度继续办理, column by
//! column (the definitions make them the same applications; evaluators check it).

use gongkai_core::format::{APPLICANT_COLUMNS, ApplicationRow as R};

use super::{CheckContext, CheckSpec, Finding, Section, Severity, app_cell, app_row};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "X-CARRY",
    severity: Severity::Error,
    rule: "本年“上年结转”逐列等于上年报告的“结转下年度继续办理”",
};

/// Adds a finding per column where the carry-over differs from last year's report.
pub fn run(report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(previous) = cx.previous else {
        return;
    };
    // Only a report of the year before can be compared; unknown years are trusted to the caller.
    if let (Some(y), Some(p)) = (report.year, previous.year)
        && p.checked_add(1) != Some(y)
    {
        return;
    }
    let (Some((over, over_cells)), Some((forward, forward_cells))) = (
        app_row(report, R::CarriedOver),
        app_row(previous, R::CarriedForward),
    ) else {
        return;
    };
    for (c, column) in APPLICANT_COLUMNS.iter().enumerate() {
        let (Some(expected), Some(printed)) = (forward_cells[c], over_cells[c]) else {
            continue;
        };
        if expected == printed {
            continue;
        }
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: vec![app_cell(over, c)],
            expected: Some(expected.to_string()),
            printed: Some(printed.to_string()),
            place: format!("{} {}", Section::Applications.name(), column.label),
            message: format!(
                "{} {}：上年报告“{}”为{expected}，本年“{}”印为{printed}",
                Section::Applications.name(),
                column.label,
                forward.label,
                over.label,
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    #[test]
    fn carry_over_follows_last_years_carry_forward() {
        let mut last = consistent();
        last.year = Some(2021);
        let this = consistent(); // carried_over natural_person 1, last year's forward 2
        let cx = CheckContext {
            previous: Some(&last),
            ..CheckContext::default()
        };
        let mut out = Vec::new();
        run(&this, &cx, &mut out);
        assert_eq!(ids(&out), ["X-CARRY", "X-CARRY"]); // 自然人 and 总计
        assert_eq!(out[0].expected.as_deref(), Some("2"));
        assert_eq!(out[0].printed.as_deref(), Some("1"));
        assert_eq!(out[1].place, "表三 总计");
    }

    #[test]
    fn only_consecutive_years_are_compared() {
        let mut last = consistent();
        last.year = Some(2020);
        let cx = CheckContext {
            previous: Some(&last),
            ..CheckContext::default()
        };
        let mut out = Vec::new();
        run(&consistent(), &cx, &mut out);
        assert!(out.is_empty());
    }
}
