//! `TABLE-MISSING`: a report that is not cut short has 表二, 表三 and 表四 — 《条例》第五十条
//! lists their contents and the national format prints them as tables.

use gongkai_core::format::title;

use super::{CheckContext, CheckSpec, Finding, Section, Severity};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "TABLE-MISSING",
    severity: Severity::Error,
    rule: "未被截断的报告包含表二、表三、表四（《条例》第五十条）",
};

/// Adds a finding per missing table, unless the document is cut short (then TRUNCATED says so).
pub fn run(report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    if cx.truncated {
        return;
    }
    let present = [
        (
            Section::Proactive,
            report.proactive.is_some(),
            title::PROACTIVE,
        ),
        (
            Section::Applications,
            report.applications.is_some(),
            title::APPLICATIONS,
        ),
        (Section::Appeals, report.appeals.is_some(), title::APPEALS),
    ];
    for (section, is_present, heading) in present {
        if is_present {
            continue;
        }
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: Vec::new(),
            expected: None,
            printed: None,
            place: section.name().to_owned(),
            message: format!("报告缺少{}（{heading}）", section.name()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    #[test]
    fn article_50_missing_tables_are_errors_unless_truncated() {
        let mut r = consistent();
        r.appeals = None;
        r.proactive = None;
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert_eq!(ids(&out), ["TABLE-MISSING", "TABLE-MISSING"]);
        assert_eq!(
            out[1].message,
            "报告缺少表四（四、政府信息公开行政复议、行政诉讼情况）"
        );
        let mut out = Vec::new();
        let cx = CheckContext {
            truncated: true,
            ..CheckContext::default()
        };
        run(&r, &cx, &mut out);
        assert!(out.is_empty());
    }
}
