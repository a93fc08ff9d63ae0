//! `T4-SUM`: in each block of 表四, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPEAL_TOTAL};

use super::{CheckContext, CheckSpec, Finding, Section, Severity, appeal_cell, sum};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "T4-SUM",
    severity: Severity::Error,
    rule: "表四每一组：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
};

/// Adds a finding for each block whose 总计 is not the sum of its results.
pub fn run(report: &AnnualReport, _cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(appeals) = &report.appeals else {
        return;
    };
    let parts: Vec<&str> = APPEAL_COLUMNS[..APPEAL_TOTAL]
        .iter()
        .map(|c| c.label)
        .collect();
    for (b, (block, cells)) in APPEAL_BLOCKS.iter().zip(appeals.blocks.iter()).enumerate() {
        let Some(printed) = cells[APPEAL_TOTAL] else {
            continue;
        };
        let Some(expected) = sum(cells[..APPEAL_TOTAL].iter().copied()) else {
            continue;
        };
        if expected == printed {
            continue;
        }
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: (0..APPEAL_COLUMNS.len())
                .map(|c| appeal_cell(b, c))
                .collect(),
            expected: Some(expected.to_string()),
            printed: Some(printed.to_string()),
            place: format!("{} {}", Section::Appeals.name(), block.label),
            message: format!(
                "{} {}：{}之和为{expected}，{}印为{printed}",
                Section::Appeals.name(),
                block.label,
                parts.join("、"),
                APPEAL_COLUMNS[APPEAL_TOTAL].label,
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    #[test]
    fn block_total_must_add_up() {
        let mut r = consistent();
        if let Some(a) = r.appeals.as_mut() {
            a.blocks[2] = [Some(10), Some(1), Some(0), Some(0), Some(0)];
        }
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert_eq!(ids(&out), ["T4-SUM"]);
        assert_eq!(out[0].place, "表四 复议后起诉");
        assert_eq!(out[0].expected.as_deref(), Some("11"));
        assert_eq!(out[0].printed.as_deref(), Some("0"));
    }
}
