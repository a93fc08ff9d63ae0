//! `TRUNCATED` (warning): the document does not end inside a table or section. The reader
//! decides this and says so in [`CheckContext::truncated`].

use super::{CheckContext, CheckSpec, Finding, Severity};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "TRUNCATED",
    severity: Severity::Warning,
    rule: "文件不在表格或章节中途结束",
};

/// Adds a finding when the document is cut short.
pub fn run(_report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    if !cx.truncated {
        return;
    }
    out.push(Finding {
        check: SPEC.id,
        severity: SPEC.severity,
        cells: Vec::new(),
        expected: None,
        printed: None,
        place: "全文".to_owned(),
        message: "文件在表格或章节中途结束，报告可能不完整".to_owned(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    #[test]
    fn truncated_document_is_a_warning() {
        let r = consistent();
        let mut out = Vec::new();
        run(
            &r,
            &CheckContext {
                truncated: true,
                ..CheckContext::default()
            },
            &mut out,
        );
        assert_eq!(ids(&out), ["TRUNCATED"]);
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert!(out.is_empty());
    }
}
