//! The annual report computed from an organ's records (issue 13, spec/domain.md §4, §10).
//!
//! Every record — an application case, an information item, an appeal — is first *classified*
//! relative to the statistical year: each of its dates falls [`Period::Before`], [`Period::In`]
//! or [`Period::After`] the year, and it carries the facts its cells depend on (applicant kind,
//! the closing's 表三 row, the appeal's kind and result, the item's 体裁). One function per
//! record family then names the cells a classified record counts in ([`case_cells`],
//! [`item_cells`], [`appeal_cells`]), each rule written once beside its article or template
//! note. A table is the sum of those cells over the records ([`compute`]); a cell's drill-down
//! is the records whose cells contain it ([`Cell::counts`]). The store may hand over groups of
//! identical facts with a count ([`Counted`]), so totals are aggregated in SQL and the rules
//! still run here, once.
//!
//! Pure: no IO, no clock; the store classifies dates in its query.

mod appeals;
mod cases;
mod items;

pub use appeals::{AppealFacts, appeal_cells};
pub use cases::{CaseFacts, ClosedBy, Closing, applicant_column, case_cells};
pub use items::{ItemFacts, ItemRow, item_cells};

use std::collections::BTreeMap;

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ApplicationRow, ProactiveKind, Template,
};

use crate::model::{AnnualReport, Appeals, Applications, Proactive, ProactiveValue};

/// Where a date falls relative to the statistical year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// Before 1 January.
    Before,
    /// From 1 January to 31 December.
    In,
    /// After 31 December.
    After,
}

impl Period {
    /// The period of a date of `date_year` relative to the statistical `year`.
    pub fn of(date_year: i32, year: i32) -> Period {
        match date_year.cmp(&year) {
            std::cmp::Ordering::Less => Period::Before,
            std::cmp::Ordering::Equal => Period::In,
            std::cmp::Ordering::Greater => Period::After,
        }
    }

    /// The period of a `YYYY-MM-DD` date; `None` if the text does not start with a year.
    pub fn of_date(date: &str, year: i32) -> Option<Period> {
        let y: i32 = date.get(..4)?.parse().ok()?;
        Some(Period::of(y, year))
    }

    /// Whether the date is on or before 31 December of the year.
    pub fn by_year_end(self) -> bool {
        self != Period::After
    }

    /// The code the store's queries give (0, 1, 2), and back.
    pub fn from_code(code: i64) -> Option<Period> {
        match code {
            0 => Some(Period::Before),
            1 => Some(Period::In),
            2 => Some(Period::After),
            _ => None,
        }
    }
}

/// One cell of 表二, 表三 or 表四 of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    /// A 表二 cell, by its schema keys.
    Proactive {
        /// Row key (`regulations`).
        row: &'static str,
        /// Column key (`issued`).
        column: &'static str,
    },
    /// A 表三 cell: the row and an index of [`APPLICANT_COLUMNS`].
    Application {
        /// The row.
        row: ApplicationRow,
        /// The column index (6 is 总计).
        column: usize,
    },
    /// A 表四 cell: indices of [`APPEAL_BLOCKS`] and [`APPEAL_COLUMNS`].
    Appeal {
        /// The block index.
        block: usize,
        /// The column index (4 is 总计).
        column: usize,
    },
}

/// The section keys of [`Cell::keys`].
pub const SECTIONS: [&str; 3] = ["proactive", "applications", "appeals"];

impl Cell {
    /// The cell named by section, row and column keys (the schema's keys, as in URLs), if
    /// `template` has it.
    pub fn from_keys(template: Template, section: &str, row: &str, column: &str) -> Option<Cell> {
        match section {
            "proactive" => template.proactive_blocks().iter().find_map(|b| {
                let r = b.rows.iter().find(|r| r.key == row)?;
                let c = b.columns.iter().find(|c| c.key == column)?;
                Some(Cell::Proactive {
                    row: r.key,
                    column: c.key,
                })
            }),
            "applications" => {
                let spec = template.application_rows().iter().find(|s| s.key == row)?;
                let column = APPLICANT_COLUMNS.iter().position(|c| c.key == column)?;
                Some(Cell::Application {
                    row: spec.row,
                    column,
                })
            }
            "appeals" => Some(Cell::Appeal {
                block: APPEAL_BLOCKS.iter().position(|b| b.key == row)?,
                column: APPEAL_COLUMNS.iter().position(|c| c.key == column)?,
            }),
            _ => None,
        }
    }

    /// Section, row and column keys (the inverse of [`Cell::from_keys`]).
    pub fn keys(self, template: Template) -> (&'static str, &'static str, &'static str) {
        match self {
            Cell::Proactive { row, column } => ("proactive", row, column),
            Cell::Application { row, column } => {
                let key = template
                    .application_rows()
                    .iter()
                    .find(|s| s.row == row)
                    .map_or("", |s| s.key);
                ("applications", key, APPLICANT_COLUMNS[column].key)
            }
            Cell::Appeal { block, column } => (
                "appeals",
                APPEAL_BLOCKS[block].key,
                APPEAL_COLUMNS[column].key,
            ),
        }
    }

    /// Whether a record whose cells are `cells` counts in this cell: the drill-down's test,
    /// by the same rules as the totals.
    pub fn counts(self, cells: &[Cell]) -> bool {
        cells.contains(&self)
    }
}

/// Facts shared by `count` records (a group of the store's `GROUP BY`, or one record with
/// count 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<F> {
    /// The facts.
    pub facts: F,
    /// How many records have them.
    pub count: u64,
}

/// A 表二 figure that no record produces, as entered (`store::statistics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entered {
    /// A count (本年处理决定数量).
    Count(u64),
    /// An amount in whole 元 (printed in 万元).
    Yuan(u64),
}

/// What the organ's records say about a year, classified: the input of [`compute`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    /// Application cases (all that were received by 31 December and not closed before 1
    /// January; others count nowhere and may be left out).
    pub cases: Vec<Counted<CaseFacts>>,
    /// Information items of the kinds 表二 counts.
    pub items: Vec<Counted<ItemFacts>>,
    /// Appeals.
    pub appeals: Vec<Counted<AppealFacts>>,
    /// The entered 表二 figures, by (row key, column key).
    pub entered: BTreeMap<(String, String), Entered>,
}

/// Why a report cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComputeError {
    /// No national template for the year (before 2019).
    #[error("{0}年没有全国统一的年报格式（〔2019〕60号格式自2019年度起施行）")]
    NoTemplate(i32),
}

/// The report of `agency` for `year`, computed from `records`: 表二, 表三 and 表四 in the
/// year's template ([`Template::for_year`]), no narrative.
///
/// `baseline` is the organ's report of the previous year when that year was *imported* (an
/// organ adopting gongkai has no records before it), not computed. Its rule, which holds only
/// when `baseline.year` is `year - 1`:
/// - 表三 二、上年结转 is the baseline's 四、结转下年度继续办理, cell by cell (a blank counts
///   as 0, as §4.5 7 says empty cells are printed 0), instead of the records' cases received
///   before the year; those cases, entered as they stood, still count in 三 and 四.
/// - 表二 现行有效件数 (2021 template, baseline of the 2021 template) is the baseline's 现行有效
///   plus this year's 本年制发 minus 本年废止 (spec/domain.md §4.5 6), since the stock of
///   documents made before gongkai is not in the records.
pub fn compute(
    agency: Option<String>,
    year: i32,
    records: &Records,
    baseline: Option<&AnnualReport>,
) -> Result<AnnualReport, ComputeError> {
    let template = Template::for_year(year).ok_or(ComputeError::NoTemplate(year))?;
    let baseline = baseline.filter(|b| b.year == Some(year - 1));
    let mut sums: BTreeMap<Cell, u64> = BTreeMap::new();
    let mut add = |cells: Vec<Cell>, count: u64| {
        for cell in cells {
            *sums.entry(cell).or_default() += count;
        }
    };
    for c in &records.cases {
        add(case_cells(&c.facts, template), c.count);
    }
    for i in &records.items {
        add(item_cells(&i.facts, template), i.count);
    }
    for a in &records.appeals {
        add(appeal_cells(&a.facts), a.count);
    }
    let mut report = AnnualReport::new(template);
    report.agency = agency;
    report.year = Some(year);
    report.applications = Some(applications(template, &sums, baseline));
    report.appeals = Some(appeals(&sums));
    report.proactive = Some(proactive(template, &sums, &records.entered, baseline));
    Ok(report)
}

fn applications(
    template: Template,
    sums: &BTreeMap<Cell, u64>,
    baseline: Option<&AnnualReport>,
) -> Applications {
    let mut table = Applications::new(template);
    for spec in template.application_rows() {
        if let Some(row) = table.row_mut(spec.row) {
            for (column, cell) in row.iter_mut().enumerate() {
                let key = Cell::Application {
                    row: spec.row,
                    column,
                };
                *cell = Some(sums.get(&key).copied().unwrap_or(0));
            }
        }
    }
    let carried = baseline
        .and_then(|b| b.applications.as_ref())
        .and_then(|a| a.row(ApplicationRow::CarriedForward))
        .copied();
    if let (Some(carried), Some(row)) = (carried, table.row_mut(ApplicationRow::CarriedOver)) {
        for (cell, last) in row.iter_mut().zip(carried) {
            *cell = Some(last.unwrap_or(0));
        }
    }
    table
}

fn appeals(sums: &BTreeMap<Cell, u64>) -> Appeals {
    let mut table = Appeals::default();
    for (block, cells) in table.blocks.iter_mut().enumerate() {
        for (column, cell) in cells.iter_mut().enumerate() {
            *cell = Some(
                sums.get(&Cell::Appeal { block, column })
                    .copied()
                    .unwrap_or(0),
            );
        }
    }
    table
}

fn proactive(
    template: Template,
    sums: &BTreeMap<Cell, u64>,
    entered: &BTreeMap<(String, String), Entered>,
    baseline: Option<&AnnualReport>,
) -> Proactive {
    let mut table = Proactive::new(template);
    for block in template.proactive_blocks() {
        for row in block.rows {
            for column in block.columns {
                let value = if ItemRow::from_key(row.key).is_some() && block.article20_item == 1 {
                    // 第二十条第（一）项: counted from the items.
                    let cell = Cell::Proactive {
                        row: row.key,
                        column: column.key,
                    };
                    let counted = sums.get(&cell).copied().unwrap_or(0);
                    let value = match (column.key, baseline_in_force(baseline, row.key)) {
                        ("in_force", Some(last)) => in_force_from_baseline(last, sums, row.key),
                        _ => counted as i64,
                    };
                    Some(ProactiveValue::Int(value))
                } else {
                    entered
                        .get(&(row.key.to_owned(), column.key.to_owned()))
                        .and_then(|e| entered_value(*e, column.kind))
                };
                // A value the template refuses stays blank rather than breaking the report.
                let _ = table.set(row.key, column.key, value);
            }
        }
    }
    table
}

/// The baseline's 现行有效件数 of a row, when it is of the 2021 template and printed.
fn baseline_in_force(baseline: Option<&AnnualReport>, row: &str) -> Option<i64> {
    let b = baseline?;
    if b.template != Template::Y2021 {
        return None;
    }
    b.proactive.as_ref()?.int(row, "in_force")
}

/// spec/domain.md §4.5 6: 现行有效 = last year's 现行有效 + 本年制发 − 本年废止.
fn in_force_from_baseline(last: i64, sums: &BTreeMap<Cell, u64>, row: &'static str) -> i64 {
    let get = |column| {
        sums.get(&Cell::Proactive { row, column })
            .copied()
            .unwrap_or(0) as i64
    };
    (last + get("issued") - get("repealed")).max(0)
}

fn entered_value(entered: Entered, kind: ProactiveKind) -> Option<ProactiveValue> {
    match (entered, kind) {
        (Entered::Count(n), ProactiveKind::Count | ProactiveKind::Change) => {
            Some(ProactiveValue::Int(i64::try_from(n).ok()?))
        }
        (Entered::Yuan(yuan), ProactiveKind::Amount) => Some(ProactiveValue::Text(wan_yuan(yuan))),
        _ => None,
    }
}

/// 表二 第二十条第（八）项 prints 万元: whole 元 as 万元 digits, exactly (four decimals of 万元
/// are one 元), without trailing zeros — `35000` 元 is `"3.5"`.
pub fn wan_yuan(yuan: u64) -> String {
    let whole = yuan / 10_000;
    let fraction = yuan % 10_000;
    if fraction == 0 {
        whole.to_string()
    } else {
        let digits = format!("{fraction:04}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests;
