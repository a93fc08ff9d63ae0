//! `X-IN-FORCE` (warning): this year's 现行有效件数 = last year's 现行有效件数 + 本年制发件数 −
//! 本年废止件数, for 规章 and 行政规范性文件. It follows from the definitions, but cleanups and
//! expiries legitimately break it, so it only asks a person to look. Only the 2021 template has
//! these columns.

use gongkai_core::format::{ProactiveBlock, Template};

use super::{CellRef, CheckContext, CheckSpec, Finding, Section, Severity};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "X-IN-FORCE",
    severity: Severity::Warning,
    rule: "本年现行有效件数等于上年现行有效件数加本年制发件数减本年废止件数",
};

const ROWS: [&str; 2] = ["regulations", "normative_documents"];
const ISSUED: &str = "issued";
const REPEALED: &str = "repealed";
const IN_FORCE: &str = "in_force";

/// Adds a finding per row whose 现行有效件数 does not continue last year's.
pub fn run(report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(previous) = cx.previous else {
        return;
    };
    if let (Some(y), Some(p)) = (report.year, previous.year)
        && p.checked_add(1) != Some(y)
    {
        return;
    }
    if report.template != Template::Y2021 || previous.template != Template::Y2021 {
        return;
    }
    let (Some(this), Some(last)) = (&report.proactive, &previous.proactive) else {
        return;
    };
    let Some(block) = Template::Y2021
        .proactive_blocks()
        .iter()
        .find(|b| b.columns.iter().any(|c| c.key == IN_FORCE))
    else {
        return;
    };
    for row_key in ROWS {
        let (Some(before), Some(issued), Some(repealed), Some(printed)) = (
            last.int(row_key, IN_FORCE),
            this.int(row_key, ISSUED),
            this.int(row_key, REPEALED),
            this.int(row_key, IN_FORCE),
        ) else {
            continue;
        };
        let Some(expected) = before
            .checked_add(issued)
            .and_then(|v| v.checked_sub(repealed))
        else {
            continue;
        };
        if expected == printed {
            continue;
        }
        let Some(row) = block.rows.iter().find(|r| r.key == row_key) else {
            continue;
        };
        let cell = |column| CellRef {
            section: Section::Proactive,
            row: row.key,
            column,
        };
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: vec![cell(ISSUED), cell(REPEALED), cell(IN_FORCE)],
            expected: Some(expected.to_string()),
            printed: Some(printed.to_string()),
            place: format!("{} {}", Section::Proactive.name(), row.label),
            message: format!(
                "{} {}：上年{in_force}{before}，加{issued_l}{issued}、减{repealed_l}{repealed}应为{expected}，本年{in_force}印为{printed}",
                Section::Proactive.name(),
                row.label,
                in_force = label(block, IN_FORCE),
                issued_l = label(block, ISSUED),
                repealed_l = label(block, REPEALED),
            ),
        });
    }
}

fn label(block: &ProactiveBlock, key: &str) -> &'static str {
    block
        .columns
        .iter()
        .find(|c| c.key == key)
        .map_or("", |c| c.label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};
    use crate::model::ProactiveValue;

    #[test]
    fn in_force_continues_last_year() {
        // consistent(): 规章 issued 1, repealed 0, in force 5; 行政规范性文件 3, 1, 20.
        let mut last = consistent();
        last.year = Some(2021);
        if let Some(p) = last.proactive.as_mut() {
            let _ = p.set("regulations", "in_force", Some(ProactiveValue::Int(4)));
            let _ = p.set(
                "normative_documents",
                "in_force",
                Some(ProactiveValue::Int(20)),
            );
        }
        let cx = CheckContext {
            previous: Some(&last),
            ..CheckContext::default()
        };
        let mut out = Vec::new();
        run(&consistent(), &cx, &mut out);
        assert_eq!(ids(&out), ["X-IN-FORCE"]);
        assert_eq!(out[0].place, "表二 行政规范性文件");
        assert_eq!(out[0].expected.as_deref(), Some("22"));
        assert_eq!(out[0].printed.as_deref(), Some("20"));
    }
}
