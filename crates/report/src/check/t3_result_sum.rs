//! `T3-RESULT-SUM`: in every column of 表三, （七）总计 = the sum of the result rows
//! （一）…（六） (`granted` … `other_other`; in the 2019 template `granted` … `other`).

use gongkai_core::format::{APPLICANT_COLUMNS, ApplicationRow};

use super::{CheckContext, CheckSpec, Finding, Section, Severity, app_cell, app_row, sum};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "T3-RESULT-SUM",
    severity: Severity::Error,
    rule: "表三每一列：（七）总计等于（一）至（六）各行之和",
};

/// Adds a finding for each column whose （七）总计 is not the sum of the results.
pub fn run(report: &AnnualReport, _cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(apps) = &report.applications else {
        return;
    };
    let Some((total_spec, total_cells)) = app_row(report, ApplicationRow::TotalHandled) else {
        return;
    };
    let results: Vec<_> = apps
        .rows()
        .filter(|(spec, _)| spec.row.is_result())
        .collect();
    for (c, column) in APPLICANT_COLUMNS.iter().enumerate() {
        let Some(printed) = total_cells[c] else {
            continue;
        };
        let Some(expected) = sum(results.iter().map(|(_, cells)| cells[c])) else {
            continue;
        };
        if expected == printed {
            continue;
        }
        let mut cells: Vec<_> = results.iter().map(|(spec, _)| app_cell(spec, c)).collect();
        cells.push(app_cell(total_spec, c));
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells,
            expected: Some(expected.to_string()),
            printed: Some(printed.to_string()),
            place: format!("{} {}", Section::Applications.name(), column.label),
            message: format!(
                "{} {}：各项办理结果之和为{expected}，{}印为{printed}",
                Section::Applications.name(),
                column.label,
                total_spec.label,
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};
    use gongkai_core::format::Template;

    #[test]
    fn total_handled_must_add_up() {
        let mut r = consistent();
        if let Some(row) = r
            .applications
            .as_mut()
            .and_then(|a| a.row_mut(ApplicationRow::RejectedRepeat))
        {
            row[1] = Some(4);
        }
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert_eq!(ids(&out), ["T3-RESULT-SUM"]);
        assert_eq!(out[0].place, "表三 商业企业");
        assert_eq!(out[0].expected.as_deref(), Some("6"));
        assert_eq!(out[0].printed.as_deref(), Some("2"));
        // 2021 template: 21 result rows and the total.
        assert_eq!(out[0].cells.len(), 22);
    }

    #[test]
    fn the_2019_template_sums_its_single_other_row() {
        let t = Template::Y2019;
        let mut r = AnnualReport::new(t);
        let mut a = crate::model::Applications::new(t);
        for spec in t.application_rows() {
            if let Some(row) = a.row_mut(spec.row) {
                *row = [Some(0); 7];
            }
        }
        if let Some(row) = a.row_mut(ApplicationRow::Other) {
            row[0] = Some(2);
        }
        if let Some(row) = a.row_mut(ApplicationRow::TotalHandled) {
            row[0] = Some(2);
        }
        r.applications = Some(a);
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
