//! The consistency checks of `spec/checks.md`, one module per check id.
//!
//! [`check`] runs every check that can be evaluated on one report (plus `X-CARRY` and
//! `X-IN-FORCE` when [`CheckContext::previous`] is given, and the `N-*` checks when there is a
//! narrative). A check never changes a printed number: it reports.
//!
//! **The narrative.** The `N-*` checks read one text: the report's own
//! [`Narrative`](crate::model::Narrative) (its opening and parts 一, 五, 六) where it has one —
//! drafted, edited, or filled by the reader — else [`CheckContext::narrative`], the text a
//! document prints outside its tables. One text, so a figure is never found twice.
//!
//! **Null cells.** A cell the report leaves blank is `None`. An arithmetic rule is evaluated
//! only where every operand is printed: a sum with a blank operand is skipped, not guessed
//! (treating blank as 0 would turn every blank into a false error). `CELL-BLANK` reports the
//! blanks themselves, so nothing goes unsaid.
//!
//! `H-CONSOLIDATION` needs the constituent organs' reports and is not run here: call
//! [`h_consolidation::run`] with them.

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ApplicationRow, ApplicationRowSpec,
    ProactiveKind,
};
use serde_json::{Value, json};

use crate::model::{AnnualReport, Count, Narrative};

pub mod cell_blank;
pub mod h_consolidation;
pub mod n_appeals;
pub mod n_applications;
pub mod n_fees;
mod narrative;
pub mod t3_balance;
pub mod t3_result_sum;
pub mod t3_row_sum;
pub mod t4_sum;
pub mod table_missing;
pub mod template_year;
pub mod truncated;
pub mod x_carry;
pub mod x_in_force;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The numbers cannot all be true.
    Error,
    /// A person should look.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as in spec/checks.md and the JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A table of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// 表二 (`proactive`).
    Proactive,
    /// 表三 (`applications`).
    Applications,
    /// 表四 (`appeals`).
    Appeals,
}

impl Section {
    /// All three, in printed order.
    pub const ALL: [Section; 3] = [Section::Proactive, Section::Applications, Section::Appeals];

    /// The schema's key of the table.
    pub const fn key(self) -> &'static str {
        match self {
            Section::Proactive => "proactive",
            Section::Applications => "applications",
            Section::Appeals => "appeals",
        }
    }

    /// The customary short name, `表二` … `表四`.
    pub const fn name(self) -> &'static str {
        match self {
            Section::Proactive => "表二",
            Section::Applications => "表三",
            Section::Appeals => "表四",
        }
    }
}

/// A cell of the report, by schema keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// The table.
    pub section: Section,
    /// Row key (表三 row, 表二 row, 表四 block).
    pub row: &'static str,
    /// Column key.
    pub column: &'static str,
}

impl CellRef {
    /// The cell as JSON: `{"section", "row", "column"}`.
    pub fn to_json(&self) -> Value {
        json!({"section": self.section.key(), "row": self.row, "column": self.column})
    }
}

/// One inconsistency found by a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The id of spec/checks.md, e.g. `T3-BALANCE`.
    pub check: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The cells involved (every operand of the rule, the total last where there is one).
    pub cells: Vec<CellRef>,
    /// The value the rule expects, as text.
    pub expected: Option<String>,
    /// The value printed.
    pub printed: Option<String>,
    /// Where, for people: `表三 自然人`, `表四 行政复议`.
    pub place: String,
    /// One line of Chinese.
    pub message: String,
}

impl Finding {
    /// The finding as JSON: check, severity, cells, expected, printed, message.
    pub fn to_json(&self) -> Value {
        json!({
            "check": self.check,
            "severity": self.severity.as_str(),
            "cells": self.cells.iter().map(CellRef::to_json).collect::<Vec<_>>(),
            "expected": self.expected,
            "printed": self.printed,
            "message": self.message,
        })
    }

    /// Whether the finding names `cell`.
    pub fn names(&self, cell: &CellRef) -> bool {
        self.cells.contains(cell)
    }
}

/// Why the reader has no number for a cell that the report does not print blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unread {
    /// Digits printed run together that more than one split fits.
    Ambiguous,
    /// Printed, but not as a number of the cell's kind.
    Unreadable,
    /// The document ends before the cell.
    CutOff,
    /// The report does not print the row at all (a row left out, （六） printed as one row).
    NotPrinted,
}

/// A null cell and why it is null, as the reader knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnreadCell {
    /// The cell.
    pub cell: CellRef,
    /// Why it has no number.
    pub why: Unread,
}

/// What checks need besides the tables. The reader fills `narrative`, `truncated` and `unread`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CheckContext<'a> {
    /// Last year's report of the same organ (X-CARRY, X-IN-FORCE).
    pub previous: Option<&'a AnnualReport>,
    /// The report's text outside its tables (N-* checks), used where the report has no
    /// [`Narrative`](crate::model::Narrative) of its own.
    pub narrative: Option<&'a str>,
    /// The document ends inside a table or section (TRUNCATED; TABLE-MISSING only when false).
    pub truncated: bool,
    /// Null cells that are not printed blank, and why (`CELL-BLANK` says so instead of "blank").
    /// Empty for reports that were not read from a document.
    pub unread: &'a [UnreadCell],
}

/// A check of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckSpec {
    /// Its id in spec/checks.md.
    pub id: &'static str,
    /// The severity of its findings.
    pub severity: Severity,
    /// What holds when it passes, in Chinese.
    pub rule: &'static str,
}

type Run = fn(&AnnualReport, &CheckContext<'_>, &mut Vec<Finding>);

const CHECKS: [(CheckSpec, Run); 13] = [
    (t3_balance::SPEC, t3_balance::run),
    (t3_result_sum::SPEC, t3_result_sum::run),
    (t3_row_sum::SPEC, t3_row_sum::run),
    (t4_sum::SPEC, t4_sum::run),
    (cell_blank::SPEC, cell_blank::run),
    (table_missing::SPEC, table_missing::run),
    (truncated::SPEC, truncated::run),
    (template_year::SPEC, template_year::run),
    (x_carry::SPEC, x_carry::run),
    (x_in_force::SPEC, x_in_force::run),
    (n_applications::SPEC, n_applications::run),
    (n_appeals::SPEC, n_appeals::run),
    (n_fees::SPEC, n_fees::run),
];

/// The checks [`check`] runs, in order.
pub fn catalogue() -> impl Iterator<Item = &'static CheckSpec> {
    CHECKS.iter().map(|(spec, _)| spec)
}

/// Runs every check on `report`; findings come in catalogue order.
pub fn check(report: &AnnualReport, cx: &CheckContext<'_>) -> Vec<Finding> {
    let own = report.narrative.as_ref().and_then(narrative_text);
    let cx = &CheckContext {
        narrative: own.as_deref().or(cx.narrative),
        ..*cx
    };
    let mut out = Vec::new();
    for (_, run) in &CHECKS {
        run(report, cx, &mut out);
    }
    out
}

/// The running text of a narrative for the `N-*` checks: the opening and parts 一, 五 and 六, one
/// after another (signature and date hold no figure); `None` where it prints none of them.
fn narrative_text(narrative: &Narrative) -> Option<String> {
    let parts: Vec<&str> = ["opening", "overview", "problems", "other_matters"]
        .iter()
        .filter_map(|k| narrative.get(k))
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Whether any finding is an error.
pub fn has_error(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the checks

/// The sum of `values`, or `None` if one is blank (the rule is then skipped) or it overflows.
fn sum(values: impl IntoIterator<Item = Count>) -> Option<u64> {
    values
        .into_iter()
        .try_fold(0u64, |acc, v| v.and_then(|v| acc.checked_add(v)))
}

/// Every null cell of the report's present tables, with its place for people
/// (`规章 本年制发件数`, `（一）予以公开 总计`), in printed order. The unit beside an amount is
/// not a cell of its own and never listed.
pub(crate) fn null_cells(report: &AnnualReport) -> Vec<(CellRef, String)> {
    let mut nulls = Vec::new();
    if let Some(p) = &report.proactive {
        for block in report.template.proactive_blocks() {
            for row in block.rows {
                for column in block
                    .columns
                    .iter()
                    .filter(|c| c.kind != ProactiveKind::Unit)
                {
                    if p.get(row.key, column.key).is_none() {
                        let cell = CellRef {
                            section: Section::Proactive,
                            row: row.key,
                            column: column.key,
                        };
                        nulls.push((cell, format!("{} {}", row.label, column.label)));
                    }
                }
            }
        }
    }
    if let Some(a) = &report.applications {
        for (spec, row) in a.rows() {
            for (c, value) in row.iter().enumerate() {
                if value.is_none() {
                    let place = format!("{} {}", row_label(spec), APPLICANT_COLUMNS[c].label);
                    nulls.push((app_cell(spec, c), place));
                }
            }
        }
    }
    if let Some(a) = &report.appeals {
        for (b, block) in a.blocks.iter().enumerate() {
            for (c, value) in block.iter().enumerate() {
                if value.is_none() {
                    let place = format!("{} {}", APPEAL_BLOCKS[b].label, APPEAL_COLUMNS[c].label);
                    nulls.push((appeal_cell(b, c), place));
                }
            }
        }
    }
    nulls
}

/// A 表三 cell.
fn app_cell(row: &ApplicationRowSpec, column: usize) -> CellRef {
    CellRef {
        section: Section::Applications,
        row: row.key,
        column: APPLICANT_COLUMNS.get(column).map_or("", |c| c.key),
    }
}

/// A 表四 cell.
fn appeal_cell(block: usize, column: usize) -> CellRef {
    CellRef {
        section: Section::Appeals,
        row: APPEAL_BLOCKS.get(block).map_or("", |b| b.key),
        column: APPEAL_COLUMNS.get(column).map_or("", |c| c.key),
    }
}

/// A 表三 row's label for people: its group and its own label (`（三）不予公开 1.属于国家秘密`).
fn row_label(spec: &ApplicationRowSpec) -> String {
    match spec.group {
        Some(group) => format!("{group} {}", spec.label),
        None => spec.label.to_owned(),
    }
}

/// The spec of a 表三 row of the report's template.
fn spec_of(report: &AnnualReport, row: ApplicationRow) -> Option<&'static ApplicationRowSpec> {
    report
        .template
        .application_rows()
        .iter()
        .find(|s| s.row == row)
}

/// A 表三 row's cells with its spec; `None` without 表三 or without the row.
fn app_row(
    report: &AnnualReport,
    row: ApplicationRow,
) -> Option<(&'static ApplicationRowSpec, [Count; 7])> {
    let spec = spec_of(report, row)?;
    let cells = report.applications.as_ref()?.row(row)?;
    Some((spec, *cells))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Reports for the checks' unit tests.
    use gongkai_core::format::Template;

    use crate::model::{AnnualReport, Appeals, Applications, Proactive, ProactiveValue};

    /// A consistent 2021-template report with small non-zero numbers.
    pub fn consistent() -> AnnualReport {
        use gongkai_core::format::ApplicationRow as R;
        let t = Template::Y2021;
        let mut r = AnnualReport::new(t);
        r.agency = Some("测试县人民政府".into());
        r.year = Some(2022);
        let mut p = Proactive::new(t);
        for (row, col, v) in [
            ("regulations", "issued", 1),
            ("regulations", "repealed", 0),
            ("regulations", "in_force", 5),
            ("normative_documents", "issued", 3),
            ("normative_documents", "repealed", 1),
            ("normative_documents", "in_force", 20),
            ("licensing", "decisions", 7),
            ("penalty", "decisions", 2),
            ("enforcement", "decisions", 0),
        ] {
            let _ = p.set(row, col, Some(ProactiveValue::Int(v)));
        }
        let _ = p.set(
            "fees",
            "amount_wan_yuan",
            Some(ProactiveValue::Text("12.5".into())),
        );
        r.proactive = Some(p);
        let mut a = Applications::new(t);
        for spec in t.application_rows() {
            if let Some(row) = a.row_mut(spec.row) {
                *row = [Some(0); 7];
            }
        }
        let mut put = |row, cells: [u64; 6]| {
            if let Some(r) = a.row_mut(row) {
                let total: u64 = cells.iter().sum();
                for (slot, v) in r.iter_mut().zip(cells) {
                    *slot = Some(v);
                }
                r[6] = Some(total);
            }
        };
        put(R::NewReceived, [8, 2, 0, 0, 1, 0]);
        put(R::CarriedOver, [1, 0, 0, 0, 0, 0]);
        put(R::Granted, [5, 1, 0, 0, 0, 0]);
        put(R::UnavailableNotHeld, [2, 1, 0, 0, 1, 0]);
        put(R::TotalHandled, [7, 2, 0, 0, 1, 0]);
        put(R::CarriedForward, [2, 0, 0, 0, 0, 0]);
        r.applications = Some(a);
        r.appeals = Some(Appeals {
            blocks: [
                [Some(1), Some(1), Some(0), Some(1), Some(3)],
                [Some(2), Some(0), Some(0), Some(0), Some(2)],
                [Some(0); 5],
            ],
        });
        r
    }

    /// The ids of the findings, in order.
    pub fn ids(findings: &[super::Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.check).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consistent_report_has_no_finding() {
        let r = testing::consistent();
        assert_eq!(check(&r, &CheckContext::default()), vec![]);
    }

    #[test]
    fn catalogue_ids_are_those_of_checks_md() {
        let ids: Vec<&str> = catalogue().map(|s| s.id).collect();
        assert_eq!(
            ids,
            [
                "T3-BALANCE",
                "T3-RESULT-SUM",
                "T3-ROW-SUM",
                "T4-SUM",
                "CELL-BLANK",
                "TABLE-MISSING",
                "TRUNCATED",
                "TEMPLATE-YEAR",
                "X-CARRY",
                "X-IN-FORCE",
                "N-APPLICATIONS",
                "N-APPEALS",
                "N-FEES"
            ]
        );
    }

    #[test]
    fn n_checks_read_the_reports_own_narrative_first_and_once() {
        // 表三 of `consistent` receives 11 applications; 表四 counts 3 复议.
        let wrong = crate::model::Narrative {
            overview: Some("（二）依申请公开情况\n本年度共收到政府信息公开申请5件。".into()),
            other_matters: Some("本年度未收取信息处理费，共计150元。".into()),
            ..Default::default()
        };
        let mut r = testing::consistent();
        r.narrative = Some(wrong);
        let n_ids = |findings: &[Finding]| -> Vec<&'static str> {
            testing::ids(findings)
                .into_iter()
                .filter(|id| id.starts_with("N-"))
                .collect()
        };
        // From the model alone.
        let alone = check(&r, &CheckContext::default());
        assert_eq!(n_ids(&alone), ["N-APPLICATIONS", "N-FEES"]);
        // The reader's text of the same document gives no second finding, and a context text
        // that disagrees with the model is not the one read.
        let printed = "本年度共收到政府信息公开申请5件。本年度未收取信息处理费，共计150元。";
        for text in [printed, "行政复议案件9件。"] {
            let cx = CheckContext {
                narrative: Some(text),
                ..CheckContext::default()
            };
            assert_eq!(
                n_ids(&check(&r, &cx)),
                ["N-APPLICATIONS", "N-FEES"],
                "{text}"
            );
        }
        // Without a narrative in the model, the context's text is read.
        r.narrative = None;
        let cx = CheckContext {
            narrative: Some("行政复议案件9件。"),
            ..CheckContext::default()
        };
        assert_eq!(n_ids(&check(&r, &cx)), ["N-APPEALS"]);
        // A narrative with no text part (a signature only) leaves the context's text in force.
        r.narrative = Some(crate::model::Narrative {
            signature: Some("测试县人民政府".into()),
            ..Default::default()
        });
        assert_eq!(n_ids(&check(&r, &cx)), ["N-APPEALS"]);
    }

    #[test]
    fn sums_skip_blank_operands() {
        assert_eq!(sum([Some(1), Some(2)]), Some(3));
        assert_eq!(sum([Some(1), None]), None);
        assert_eq!(sum([Some(u64::MAX), Some(1)]), None);
    }

    #[test]
    fn finding_json_has_the_documented_fields() {
        let mut r = testing::consistent();
        if let Some(a) = r.appeals.as_mut() {
            a.blocks[0][4] = Some(9);
        }
        let findings = check(&r, &CheckContext::default());
        let v = findings.first().map(Finding::to_json);
        assert_eq!(
            v,
            Some(json!({
                "check": "T4-SUM",
                "severity": "error",
                "cells": [
                    {"section": "appeals", "row": "reconsideration", "column": "upheld"},
                    {"section": "appeals", "row": "reconsideration", "column": "corrected"},
                    {"section": "appeals", "row": "reconsideration", "column": "other"},
                    {"section": "appeals", "row": "reconsideration", "column": "pending"},
                    {"section": "appeals", "row": "reconsideration", "column": "total"},
                ],
                "expected": "3",
                "printed": "9",
                "message": "表四 行政复议：结果维持、结果纠正、其他结果、尚未审结之和为3，总计印为9",
            }))
        );
    }
}
