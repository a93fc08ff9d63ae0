//! `T3-BALANCE`: in every column of 表三, 一 + 二 = （七）总计 + 四 — the 勾稽关系 the table
//! itself prints in its top-left cell (format::title::BALANCE_NOTE).

use gongkai_core::format::{APPLICANT_COLUMNS, ApplicationRow as R};

use super::{CheckContext, CheckSpec, Finding, Section, Severity, app_cell, app_row, sum};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "T3-BALANCE",
    severity: Severity::Error,
    rule: "表三每一列：第一项加第二项之和，等于第三项（七）总计加第四项之和",
};

/// Adds a finding for each column where the balance fails.
pub fn run(report: &AnnualReport, _cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let (
        Some((new, new_cells)),
        Some((over, over_cells)),
        Some((handled, handled_cells)),
        Some((forward, forward_cells)),
    ) = (
        app_row(report, R::NewReceived),
        app_row(report, R::CarriedOver),
        app_row(report, R::TotalHandled),
        app_row(report, R::CarriedForward),
    )
    else {
        return;
    };
    for (c, column) in APPLICANT_COLUMNS.iter().enumerate() {
        let incoming = sum([new_cells[c], over_cells[c]]);
        let outgoing = sum([handled_cells[c], forward_cells[c]]);
        let (Some(incoming), Some(outgoing)) = (incoming, outgoing) else {
            continue;
        };
        if incoming == outgoing {
            continue;
        }
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: vec![
                app_cell(new, c),
                app_cell(over, c),
                app_cell(handled, c),
                app_cell(forward, c),
            ],
            expected: Some(incoming.to_string()),
            printed: Some(outgoing.to_string()),
            place: format!("{} {}", Section::Applications.name(), column.label),
            message: format!(
                "{} {}：{}与{}之和为{incoming}，{}与{}之和为{outgoing}",
                Section::Applications.name(),
                column.label,
                new.label,
                over.label,
                handled.label,
                forward.label,
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    #[test]
    fn column_out_of_balance_is_an_error() {
        let mut r = consistent();
        if let Some(row) = r
            .applications
            .as_mut()
            .and_then(|a| a.row_mut(R::CarriedForward))
        {
            row[0] = Some(3); // 8 + 1 ≠ 7 + 3
        }
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert_eq!(ids(&out), ["T3-BALANCE"]);
        assert_eq!(out[0].place, "表三 自然人");
        assert_eq!(out[0].expected.as_deref(), Some("9"));
        assert_eq!(out[0].printed.as_deref(), Some("10"));
        assert_eq!(out[0].cells.len(), 4);
    }

    #[test]
    fn blank_operand_skips_the_column() {
        let mut r = consistent();
        if let Some(a) = r.applications.as_mut() {
            if let Some(row) = a.row_mut(R::CarriedForward) {
                row[0] = Some(3);
            }
            if let Some(row) = a.row_mut(R::CarriedOver) {
                row[0] = None;
            }
        }
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
