//! `T3-ROW-SUM`: in every row of 表三, 总计 = 自然人 + the five 法人或其他组织 columns.

use gongkai_core::format::{APPLICANT_COLUMNS, APPLICANT_TOTAL};

use super::{CheckContext, CheckSpec, Finding, Section, Severity, app_cell, row_label, sum};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "T3-ROW-SUM",
    severity: Severity::Error,
    rule: "表三每一行：总计等于自然人与五类法人或其他组织之和",
};

/// Adds a finding for each row whose 总计 is not the sum of its applicants.
pub fn run(report: &AnnualReport, _cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(apps) = &report.applications else {
        return;
    };
    let total_label = APPLICANT_COLUMNS[APPLICANT_TOTAL].label;
    for (spec, cells) in apps.rows() {
        let Some(printed) = cells[APPLICANT_TOTAL] else {
            continue;
        };
        let Some(expected) = sum(cells[..APPLICANT_TOTAL].iter().copied()) else {
            continue;
        };
        if expected == printed {
            continue;
        }
        let label = row_label(spec);
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: (0..APPLICANT_COLUMNS.len())
                .map(|c| app_cell(spec, c))
                .collect(),
            expected: Some(expected.to_string()),
            printed: Some(printed.to_string()),
            place: format!("{} {label}", Section::Applications.name()),
            message: format!(
                "{} {label}：各类申请人之和为{expected}，{total_label}印为{printed}",
                Section::Applications.name(),
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};
    use gongkai_core::format::ApplicationRow;

    #[test]
    fn row_total_must_add_up() {
        let mut r = consistent();
        if let Some(row) = r
            .applications
            .as_mut()
            .and_then(|a| a.row_mut(ApplicationRow::WithheldStateSecret))
        {
            row[6] = Some(1);
        }
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert_eq!(ids(&out), ["T3-ROW-SUM"]);
        assert_eq!(out[0].place, "表三 （三）不予公开 1.属于国家秘密");
        assert_eq!(out[0].expected.as_deref(), Some("0"));
        assert_eq!(out[0].printed.as_deref(), Some("1"));
    }
}
