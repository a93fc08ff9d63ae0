//! `TEMPLATE-YEAR` (warning): statistical years 2019–2020 use the 试行 format of
//! 国办公开办函〔2019〕60号, 2021 on the format of 国办公开办函〔2021〕30号.

use gongkai_core::format::Template;

use super::{CheckContext, CheckSpec, Finding, Severity};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "TEMPLATE-YEAR",
    severity: Severity::Warning,
    rule: "2019—2020年度报告用〔2019〕60号格式，2021年度起用〔2021〕30号格式",
};

/// Adds a finding when the year and the template disagree.
pub fn run(report: &AnnualReport, _cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(year) = report.year else {
        return;
    };
    let used = report.template;
    let message = match Template::for_year(year) {
        Some(expected) if expected == used => return,
        Some(expected) => format!(
            "{year}年度报告应使用{}规定的格式，却使用了{}的格式",
            expected.document(),
            used.document()
        ),
        None => format!(
            "{year}年度没有全国统一的年度报告格式，却使用了{}的格式",
            used.document()
        ),
    };
    out.push(Finding {
        check: SPEC.id,
        severity: SPEC.severity,
        cells: Vec::new(),
        expected: Template::for_year(year).map(|t| t.key().to_owned()),
        printed: Some(used.key().to_owned()),
        place: format!("{year}年度"),
        message,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::ids;

    fn findings(year: i32, template: Template) -> Vec<Finding> {
        let mut r = AnnualReport::new(template);
        r.year = Some(year);
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        out
    }

    #[test]
    fn notices_2019_60_and_2021_30_by_year() {
        assert!(findings(2020, Template::Y2019).is_empty());
        assert!(findings(2021, Template::Y2021).is_empty());
        let late = findings(2022, Template::Y2019);
        assert_eq!(ids(&late), ["TEMPLATE-YEAR"]);
        assert_eq!(late[0].expected.as_deref(), Some("2021"));
        assert_eq!(ids(&findings(2019, Template::Y2021)), ["TEMPLATE-YEAR"]);
        assert_eq!(ids(&findings(2018, Template::Y2019)), ["TEMPLATE-YEAR"]);
    }
}
