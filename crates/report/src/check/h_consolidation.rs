//! `H-CONSOLIDATION`: a consolidated report's cells equal the sum of its constituent organs'
//! reports (spec/checks.md), for reading a superior office's published 汇总 report against its
//! subordinates'. A cell whose sum is unknown (a constituent leaves it blank) or that the
//! consolidated report leaves blank is not compared: `CELL-BLANK` and the consolidation's notes
//! say so.

use super::{CheckSpec, Finding, Severity};
use crate::consolidate::{cell_text, known_sums, same_number};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "H-CONSOLIDATION",
    severity: Severity::Warning,
    rule: "汇总报告的每个单元格等于各组成机关报告相应单元格之和",
};

/// Adds a finding per cell where `consolidated` prints a number other than the sum of
/// `constituents` (of its template; reports of another template are the caller's error and
/// give no finding).
pub fn run(consolidated: &AnnualReport, constituents: &[&AnnualReport], out: &mut Vec<Finding>) {
    if constituents.is_empty()
        || constituents
            .iter()
            .any(|c| c.template != consolidated.template)
    {
        return;
    }
    for (spec, expected) in known_sums(consolidated.template, constituents) {
        let Some(printed) = cell_text(consolidated, &spec.cell) else {
            continue;
        };
        if same_number(&printed, &expected) {
            continue;
        }
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: vec![spec.cell],
            expected: Some(expected.clone()),
            printed: Some(printed.clone()),
            place: spec.place.clone(),
            message: format!(
                "{}：{}个组成机关之和为{expected}，汇总报告印为{printed}",
                spec.place,
                constituents.len()
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckContext;
    use crate::check::testing::consistent;
    use crate::consolidate::{Constituent, consolidate};
    use gongkai_core::format::ApplicationRow as R;

    fn summed(parts: &[&AnnualReport]) -> AnnualReport {
        let constituents = parts
            .iter()
            .map(|r| Constituent::checked("机关", "文件", (*r).clone(), &CheckContext::default()))
            .collect();
        consolidate(None, constituents).expect("sums").report
    }

    #[test]
    fn a_right_sum_gives_no_finding() {
        let (a, b) = (consistent(), consistent());
        let mut out = Vec::new();
        run(&summed(&[&a, &b]), &[&a, &b], &mut out);
        assert_eq!(out, vec![]);
    }

    #[test]
    fn a_wrong_sum_fires_on_the_cell() {
        let (a, b) = (consistent(), consistent());
        let mut printed = summed(&[&a, &b]);
        if let Some(row) = printed
            .applications
            .as_mut()
            .and_then(|t| t.row_mut(R::Granted))
        {
            row[0] = Some(11); // 5 + 5 = 10
        }
        let mut out = Vec::new();
        run(&printed, &[&a, &b], &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        let f = &out[0];
        assert_eq!(f.check, "H-CONSOLIDATION");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            (f.expected.as_deref(), f.printed.as_deref()),
            (Some("10"), Some("11"))
        );
        assert_eq!(f.cells[0].row, "granted");
        assert_eq!(f.cells[0].column, "natural_person");
        assert!(f.message.contains("2个组成机关之和为10"), "{}", f.message);
    }

    #[test]
    fn amounts_compare_as_numbers_and_blanks_are_skipped() {
        let (a, mut b) = (consistent(), consistent());
        if let Some(a4) = b.appeals.as_mut() {
            a4.blocks[0][0] = None; // the sum of that cell is unknown
        }
        let mut printed = summed(&[&a, &b]);
        if let Some(p) = printed.proactive.as_mut() {
            let _ = p.set(
                "fees",
                "amount_wan_yuan",
                Some(crate::model::ProactiveValue::Text("25.00".into())),
            );
        }
        if let Some(a4) = printed.appeals.as_mut() {
            a4.blocks[0][0] = Some(99);
        }
        let mut out = Vec::new();
        run(&printed, &[&a, &b], &mut out);
        assert_eq!(out, vec![]);
    }
}
