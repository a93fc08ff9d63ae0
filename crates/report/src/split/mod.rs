//! Splitting table cells that were printed run together (`713000074` is 71|3|0|0|0|0|74) by
//! the table's own identities.
//!
//! A small exact solver. Each row's digits are cut into exactly its row's cells (no leading
//! zero unless the cell is `0`); in 表三 and 表四 a cut is kept only if the row's 总计 is the
//! sum of its other cells; then one cut per row is chosen so that every identity across rows
//! holds (表三: 一 + 二 = （七） + 四 and （七） = Σ result rows, column by column; spec/domain.md
//! §4.5). Where several joint choices remain, figures from the narrative ([`Evidence`]) and then
//! the printed spaces narrow them; a cell that still differs between the remaining choices is
//! `None` with a [`Reason`] naming the alternatives. The structure (rows, columns, which rows
//! are results) comes from [`gongkai_core::format`]; the search is bounded, so no input can
//! make it run long.

mod cut;
mod evidence;
mod solve;

use std::collections::BTreeSet;
use std::fmt;

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPEAL_TOTAL, APPLICANT_COLUMNS, APPLICANT_TOTAL,
    ApplicationRow, ProactiveKind, Template,
};

use cut::{Cut, Kind, Layout, Printed};
use evidence::CellKey;
pub use evidence::{Evidence, Figure};
use solve::{Equation, solve};

/// A value read out of a run: an integer (counts, changes) or a decimal amount or unit as
/// printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitValue {
    /// A count or a signed change.
    Int(i64),
    /// An amount (digits as printed, e.g. `75394432.52`) or a printed unit (`元`).
    Text(String),
}

impl SplitValue {
    /// The value as a count, if it is a non-negative integer.
    pub fn count(&self) -> Option<u64> {
        match self {
            SplitValue::Int(v) => u64::try_from(*v).ok(),
            SplitValue::Text(_) => None,
        }
    }
}

impl fmt::Display for SplitValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitValue::Int(v) => write!(f, "{v}"),
            SplitValue::Text(t) => f.write_str(t),
        }
    }
}

/// Why a cell of a run could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// The row was given no digits.
    #[error("本行没有数字")]
    Empty,
    /// The reader found no text for the row.
    #[error("未找到本行")]
    Missing,
    /// The row holds characters that are neither digits nor spaces.
    #[error("本行含有数字以外的字符：{text}")]
    NotDigits {
        /// The row as given.
        text: String,
    },
    /// No cut gives every cell a well-formed number (too few or too many digits, or leading
    /// zeros).
    #[error("本行的数字无法分成 {cells} 格（位数不符或有前导零）")]
    NoCut {
        /// Cells the row has.
        cells: usize,
    },
    /// Cuts exist, but in none of them is 总计 the sum of the other cells, and more than one
    /// cut is possible without that identity.
    #[error("没有一种拆分能使总计等于各列之和，拆分无法确定")]
    SumNeverHolds,
    /// Several splits satisfy every identity and the cell differs between them.
    #[error("{count} 种拆分都符合单元格格式和全部勾稽关系，本格可能是 {}", .values.join("、"))]
    Ambiguous {
        /// The number of splits that remained.
        count: usize,
        /// The values the cell takes in them (at most a few).
        values: Vec<String>,
    },
    /// The search stopped at its bound before it could prove the cell.
    #[error("可能的拆分过多（超过搜索上限），不作判断")]
    TooManyCandidates,
}

/// How a cell's value was decided, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// The digits allow one cut only (as many digits as cells, or leading zeros forbid the rest).
    Digits,
    /// One cut only makes the row's 总计 the sum of its cells.
    RowSum,
    /// One split only satisfies every identity of the table.
    Identities,
    /// The identities left several splits; a figure of the narrative chose among them.
    Evidence {
        /// The narrative phrases used, e.g. `集中公开现行有效行政规范性文件698`.
        phrases: Vec<String>,
    },
    /// The identities left several splits; the row prints a space between every two cells.
    Spacing,
    /// Printed as text beside the run (the unit of an amount).
    Printed,
    /// Not decided: the cell is `None`.
    Unread(Reason),
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            How::Digits => f.write_str("按位数唯一拆分"),
            How::RowSum => f.write_str("由本行总计唯一确定"),
            How::Identities => f.write_str("由表内勾稽关系唯一确定"),
            How::Evidence { phrases } => write!(f, "由正文数字确定（{}）", phrases.join("；")),
            How::Spacing => f.write_str("原文各格以空格分开"),
            How::Printed => f.write_str("原文所印"),
            How::Unread(reason) => write!(f, "未读出：{reason}"),
        }
    }
}

/// One cell of a split row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitCell {
    /// The column's schema key (`natural_person`, `total`, `in_force`…).
    pub column: &'static str,
    /// The value, or `None` where it could not be decided.
    pub value: Option<SplitValue>,
    /// How it was decided, or why not.
    pub how: How,
}

/// One row of a split table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitRow {
    /// The row's schema key (`new_received`, `reconsideration`, `normative_documents`…).
    pub key: &'static str,
    /// Its cells, in printed order.
    pub cells: Vec<SplitCell>,
}

/// The result of splitting a table's runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SplitTable {
    /// The rows, in the order given (表四: its three blocks).
    pub rows: Vec<SplitRow>,
    /// Table-wide remarks in Chinese (an identity that no split satisfies, rows given that the
    /// template lacks).
    pub notes: Vec<String>,
}

impl SplitTable {
    /// The row with schema key `row`.
    pub fn row(&self, row: &str) -> Option<&SplitRow> {
        self.rows.iter().find(|r| r.key == row)
    }

    /// The cell at (`row`, `column`), by schema keys.
    pub fn cell(&self, row: &str, column: &str) -> Option<&SplitCell> {
        self.row(row)?.cells.iter().find(|c| c.column == column)
    }

    /// The decided value at (`row`, `column`).
    pub fn value(&self, row: &str, column: &str) -> Option<&SplitValue> {
        self.cell(row, column)?.value.as_ref()
    }

    /// The decided count at (`row`, `column`).
    pub fn count(&self, row: &str, column: &str) -> Option<u64> {
        self.value(row, column)?.count()
    }

    /// Every cell, with its row key.
    pub fn cells(&self) -> impl Iterator<Item = (&'static str, &SplitCell)> {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().map(move |c| (r.key, c)))
    }
}

// ---------------------------------------------------------------------------------------------
// The three tables

/// Splits 表三: `rows` holds the printed digits of each row in the order of
/// `template.application_rows()` (spaces kept as printed; an empty string for a row not found).
pub fn split_applications(template: Template, rows: &[&str], evidence: &Evidence) -> SplitTable {
    let specs = template.application_rows();
    let columns: Vec<&'static str> = APPLICANT_COLUMNS.iter().map(|c| c.key).collect();
    let mut notes = Vec::new();
    if rows.len() != specs.len() {
        notes.push(format!(
            "表三应有 {} 行，实际给出 {} 行",
            specs.len(),
            rows.len()
        ));
    }
    let problems: Vec<RowProblem> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let text = rows.get(i).copied().unwrap_or("");
            let printed = if rows.get(i).is_none() {
                Err(Reason::Missing)
            } else {
                Printed::parse(text, false)
            };
            RowProblem {
                key: spec.key,
                columns: columns.clone(),
                kinds: vec![Kind::Count; columns.len()],
                block: Some(columns.len()),
                keys: Keys::Application {
                    row: spec.row,
                    label: spec.label,
                },
                printed,
                extra: Vec::new(),
            }
        })
        .collect();
    // The identities, column by column (spec/domain.md §4.5).
    let index = |row: ApplicationRow| specs.iter().position(|s| s.row == row);
    let mut equations = Vec::new();
    for column in 0..columns.len() {
        if let (Some(a), Some(b), Some(t), Some(f)) = (
            index(ApplicationRow::NewReceived),
            index(ApplicationRow::CarriedOver),
            index(ApplicationRow::TotalHandled),
            index(ApplicationRow::CarriedForward),
        ) {
            equations.push(Equation {
                column,
                terms: vec![(a, 1), (b, 1), (t, -1), (f, -1)],
            });
            let mut terms: Vec<(usize, i64)> = specs
                .iter()
                .enumerate()
                .filter(|(_, s)| s.row.is_result())
                .map(|(i, _)| (i, 1))
                .collect();
            terms.push((t, -1));
            equations.push(Equation { column, terms });
        }
    }
    let mut table = run(problems, &equations, Some(APPLICANT_TOTAL), evidence);
    notes.append(&mut table.notes);
    table.notes = notes;
    table
}

/// Splits 表四: its 15 cells printed as one run (复议 5, 未经复议直接起诉 5, 复议后起诉 5).
pub fn split_appeals(digits: &str, evidence: &Evidence) -> SplitTable {
    let per_block = APPEAL_COLUMNS.len();
    let mut columns = Vec::new();
    for _ in APPEAL_BLOCKS {
        columns.extend(APPEAL_COLUMNS.iter().map(|c| c.key));
    }
    let problem = RowProblem {
        key: "appeals",
        kinds: vec![Kind::Count; columns.len()],
        columns,
        block: Some(per_block),
        keys: Keys::Appeals,
        printed: Printed::parse(digits, false),
        extra: Vec::new(),
    };
    let mut table = run(vec![problem], &[], None, evidence);
    let cells = table.rows.pop().map(|r| r.cells).unwrap_or_default();
    let mut cells = cells.into_iter();
    table.rows = APPEAL_BLOCKS
        .iter()
        .map(|block| SplitRow {
            key: block.key,
            cells: cells.by_ref().take(per_block).collect(),
        })
        .collect();
    table
}

/// Splits rows of 表二: each `(row key, printed text)` in the template's schema keys (a unit
/// printed after an amount, `13575394432.52元`, is kept as the unit cell). 表二 has no
/// identities: only the digit constraints and the narrative decide.
pub fn split_proactive(
    template: Template,
    rows: &[(&str, &str)],
    evidence: &Evidence,
) -> SplitTable {
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    for &(key, text) in rows {
        let found = template
            .proactive_blocks()
            .iter()
            .find_map(|b| b.rows.iter().find(|r| r.key == key).map(|r| (b, r)));
        let Some((block, spec)) = found else {
            notes.push(format!("表二（{} 模板）没有“{key}”这一行", template.key()));
            continue;
        };
        let mut text = text.trim();
        let mut extra = Vec::new();
        if let Some(unit_col) = block.columns.iter().find(|c| c.kind == ProactiveKind::Unit) {
            let keep = text
                .trim_end_matches(|c: char| {
                    !(c.is_ascii_digit()
                        || c.is_whitespace()
                        || "０１２３４５６７８９.．".contains(c))
                })
                .len();
            let unit = text.get(keep..).unwrap_or("").trim();
            text = text.get(..keep).unwrap_or(text);
            extra.push(SplitCell {
                column: unit_col.key,
                value: (!unit.is_empty()).then(|| SplitValue::Text(unit.to_owned())),
                how: if unit.is_empty() {
                    How::Unread(Reason::Empty)
                } else {
                    How::Printed
                },
            });
        }
        let run_columns: Vec<_> = block
            .columns
            .iter()
            .filter(|c| c.kind != ProactiveKind::Unit)
            .collect();
        problems.push(RowProblem {
            key: spec.key,
            columns: run_columns.iter().map(|c| c.key).collect(),
            kinds: run_columns
                .iter()
                .map(|c| match c.kind {
                    ProactiveKind::Change => Kind::Change,
                    ProactiveKind::Amount | ProactiveKind::Unit => Kind::Amount,
                    ProactiveKind::Count => Kind::Count,
                })
                .collect(),
            block: None,
            keys: Keys::Proactive {
                row_label: spec.label,
                columns: run_columns.iter().map(|c| (c.label, c.kind)).collect(),
            },
            printed: Printed::parse(text, true),
            extra,
        });
    }
    let mut table = run(problems, &[], None, evidence);
    notes.append(&mut table.notes);
    table.notes = notes;
    table
}

// ---------------------------------------------------------------------------------------------
// Evidence keys: which narrative words speak of which cell

/// A label without its numbering (`一、`, `（一）`, `1.`) and without a parenthetical note.
fn label_core(label: &str) -> String {
    let mut s = label;
    if let Some(i) = s.find('、').filter(|i| *i <= 6) {
        s = s.get(i + '、'.len_utf8()..).unwrap_or(s);
    } else if s.starts_with('（') {
        if let Some(i) = s.find('）').filter(|i| *i <= 12) {
            s = s.get(i + '）'.len_utf8()..).unwrap_or(s);
        }
    } else if let Some(rest) = s
        .char_indices()
        .find(|(_, c)| *c == '.')
        .filter(|(i, _)| {
            *i > 0
                && s.get(..*i)
                    .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        })
        .and_then(|(i, _)| s.get(i + 1..))
    {
        s = rest;
    }
    let s = s.split('（').next().unwrap_or(s);
    s.to_owned()
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_owned()).collect()
}

fn application_key(row: ApplicationRow, label: &str, column: usize) -> CellKey {
    // How narratives usually name the rows that they give figures for.
    let (row_words, exclude): (Vec<String>, Vec<String>) = match row {
        ApplicationRow::NewReceived => (words(&["收到", "新收", "受理"]), words(&["办结", "结转"])),
        ApplicationRow::CarriedOver => (words(&["上年结转"]), Vec::new()),
        ApplicationRow::TotalHandled => (words(&["办结"]), words(&["收到", "新收", "结转"])),
        ApplicationRow::CarriedForward => {
            (words(&["结转下年", "结转至下年", "结转到下年"]), Vec::new())
        }
        _ => {
            let core = label_core(label);
            if core.chars().count() < 3 {
                (Vec::new(), Vec::new())
            } else {
                (vec![core], Vec::new())
            }
        }
    };
    let names: Vec<String> = APPLICANT_COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != APPLICANT_TOTAL)
        .map(|(_, c)| c.label.to_owned())
        .collect();
    let (column_words, column_exclude) = if column == APPLICANT_TOTAL {
        (Vec::new(), names)
    } else {
        match APPLICANT_COLUMNS.get(column) {
            Some(c) if c.label.chars().count() >= 3 => (vec![c.label.to_owned()], Vec::new()),
            _ => return CellKey::default(),
        }
    };
    CellKey {
        row: row_words,
        row_in_clause: column == APPLICANT_TOTAL,
        row_exclude: exclude,
        column: column_words,
        column_exclude,
    }
}

fn appeal_key(block: &str, column: usize) -> CellKey {
    let row = match block {
        "reconsideration" => words(&["行政复议", "复议案件"]),
        "litigation_direct" => words(&["直接起诉", "未经复议"]),
        _ => words(&["复议后起诉", "复议后提起"]),
    };
    let row_exclude = if block == "reconsideration" {
        words(&["起诉", "诉讼"])
    } else {
        Vec::new()
    };
    let (column_words, column_exclude) = match column {
        0 => (words(&["维持"]), Vec::new()),
        1 => (words(&["纠正"]), Vec::new()),
        3 => (words(&["未审结"]), Vec::new()),
        c if c == APPEAL_TOTAL => (Vec::new(), words(&["维持", "纠正", "未审结", "其他"])),
        _ => return CellKey::default(),
    };
    CellKey {
        row,
        row_in_clause: column == APPEAL_TOTAL,
        row_exclude,
        column: column_words,
        column_exclude,
    }
}

fn proactive_key(row_label: &str, column_label: &str, kind: ProactiveKind) -> CellKey {
    if kind != ProactiveKind::Count {
        return CellKey::default();
    }
    let mut row = vec![row_label.to_owned()];
    if let Some(rest) = row_label.strip_prefix("行政")
        && rest.chars().count() >= 4
    {
        row.push(rest.to_owned());
    }
    let mut col = label_core(column_label);
    for prefix in ["本年度", "本年"] {
        if let Some(rest) = col.strip_prefix(prefix) {
            col = rest.to_owned();
        }
    }
    for suffix in ["件数", "数量"] {
        if let Some(rest) = col.strip_suffix(suffix) {
            col = rest.to_owned();
        }
    }
    if col.chars().count() < 2 {
        return CellKey::default();
    }
    CellKey {
        row,
        row_in_clause: true,
        row_exclude: Vec::new(),
        column: vec![col],
        column_exclude: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The solver behind the three tables

/// One run to cut.
struct RowProblem {
    key: &'static str,
    columns: Vec<&'static str>,
    kinds: Vec<Kind>,
    block: Option<usize>,
    keys: Keys,
    printed: Result<Printed, Reason>,
    /// Cells not in the run (a printed unit), appended to the output row.
    extra: Vec<SplitCell>,
}

/// Where a row's evidence keys come from; built only when the identities leave a choice.
enum Keys {
    Application {
        row: ApplicationRow,
        label: &'static str,
    },
    /// 表四's one run: column `c` is block `c / 5`, column `c % 5`.
    Appeals,
    Proactive {
        row_label: &'static str,
        columns: Vec<(&'static str, ProactiveKind)>,
    },
}

impl Keys {
    fn key(&self, col: usize) -> CellKey {
        match self {
            Keys::Application { row, label } => application_key(*row, label, col),
            Keys::Appeals => {
                let per_block = APPEAL_COLUMNS.len();
                APPEAL_BLOCKS
                    .get(col / per_block)
                    .map_or_else(CellKey::default, |b| appeal_key(b.key, col % per_block))
            }
            Keys::Proactive { row_label, columns } => columns
                .get(col)
                .map_or_else(CellKey::default, |(label, kind)| {
                    proactive_key(row_label, label, *kind)
                }),
        }
    }
}

/// A row's cuts, or why it has none.
enum RowCuts {
    Cuts {
        printed: Printed,
        cuts: Vec<Cut>,
        /// The block sums fail in every cut, and the digits allow one cut only.
        sum_broken: bool,
    },
    Failed(Reason),
}

/// Most cuts kept for a row whose printed 总计 is not the sum of its cells.
const BROKEN_ROW_CUTS: usize = 300;

fn row_cuts(p: &RowProblem) -> RowCuts {
    let printed = match &p.printed {
        Ok(printed) => printed.clone(),
        Err(reason) => return RowCuts::Failed(reason.clone()),
    };
    let layout = Layout {
        kinds: &p.kinds,
        block: p.block,
    };
    match cut::cuts(&printed, &layout) {
        Err(cut::TooMany) => RowCuts::Failed(Reason::TooManyCandidates),
        Ok(cuts) if !cuts.is_empty() => RowCuts::Cuts {
            printed,
            cuts,
            sum_broken: false,
        },
        Ok(_) => {
            let cells = p.kinds.len();
            if p.block.is_none() {
                return RowCuts::Failed(Reason::NoCut { cells });
            }
            let free = Layout {
                kinds: &p.kinds,
                block: None,
            };
            // The printed arithmetic is wrong: the row's digits alone, or the identities between
            // rows, may still decide it; a few hundred cuts are searched, no more.
            match cut::cuts(&printed, &free) {
                Ok(cuts) if cuts.is_empty() => RowCuts::Failed(Reason::NoCut { cells }),
                Ok(cuts) if cuts.len() <= BROKEN_ROW_CUTS => RowCuts::Cuts {
                    printed,
                    cuts,
                    sum_broken: true,
                },
                _ => RowCuts::Failed(Reason::SumNeverHolds),
            }
        }
    }
}

/// Cuts every row, searches the rows tied by `equations` together, and decides each cell.
/// `total_column` is the column of block totals, whose identities are dropped first when no
/// split satisfies them all.
fn run(
    problems: Vec<RowProblem>,
    equations: &[Equation],
    total_column: Option<usize>,
    evidence: &Evidence,
) -> SplitTable {
    let mut notes = Vec::new();
    let states: Vec<RowCuts> = problems.iter().map(row_cuts).collect();
    for (p, s) in problems.iter().zip(&states) {
        if let RowCuts::Cuts {
            sum_broken: true,
            cuts,
            ..
        } = s
        {
            notes.push(format!(
                "“{}”行：没有一种拆分能使总计等于各列之和（{}）",
                p.key,
                if cuts.len() == 1 {
                    "按位数唯一拆分，照印出的数字读入"
                } else {
                    "只用其余勾稽关系拆分"
                }
            ));
        }
    }
    let active = |r: usize| matches!(states.get(r), Some(RowCuts::Cuts { .. }));
    // Identities touching a row that could not be cut cannot be used.
    let kept: Vec<&Equation> = equations
        .iter()
        .filter(|eq| eq.terms.iter().all(|(r, _)| active(*r)))
        .collect();
    if kept.len() < equations.len() {
        notes.push("部分行无法拆分，涉及这些行的勾稽关系未用于拆分".to_owned());
    }
    // Components: rows tied by a kept identity are searched together.
    let mut root: Vec<usize> = (0..problems.len()).collect();
    for eq in &kept {
        if let Some(&(first, _)) = eq.terms.first() {
            for &(r, _) in &eq.terms {
                let (a, b) = (find_root(&root, first), find_root(&root, r));
                if let Some(slot) = root.get_mut(b) {
                    *slot = a;
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for r in (0..problems.len()).filter(|r| active(*r)) {
        let top = find_root(&root, r);
        match groups.iter_mut().find(|(t, _)| *t == top) {
            Some((_, g)) => g.push(r),
            None => groups.push((top, vec![r])),
        }
    }

    let mut cells: Vec<Vec<SplitCell>> = problems
        .iter()
        .zip(&states)
        .map(|(p, s)| {
            p.columns
                .iter()
                .map(|col| SplitCell {
                    column: col,
                    value: None,
                    how: match s {
                        RowCuts::Failed(reason) => How::Unread(reason.clone()),
                        RowCuts::Cuts { .. } => How::Unread(Reason::TooManyCandidates),
                    },
                })
                .collect()
        })
        .collect();

    for (_, group) in groups {
        let cut_values = |r: usize| -> Vec<&[i64]> {
            match states.get(r) {
                Some(RowCuts::Cuts { cuts, .. }) => {
                    cuts.iter().map(|c| c.nums.as_slice()).collect()
                }
                _ => Vec::new(),
            }
        };
        let local_eqs: Vec<Equation> = kept
            .iter()
            .filter(|eq| eq.terms.iter().all(|(r, _)| group.contains(r)))
            .map(|eq| Equation {
                column: eq.column,
                terms: eq
                    .terms
                    .iter()
                    .filter_map(|(r, c)| group.iter().position(|g| g == r).map(|l| (l, *c)))
                    .collect(),
            })
            .collect();
        let singles = |group: &[usize]| -> Vec<(Vec<usize>, Vec<Vec<usize>>)> {
            group
                .iter()
                .map(|&r| (vec![r], (0..cut_values(r).len()).map(|i| vec![i]).collect()))
                .collect()
        };
        let parts: Vec<(Vec<usize>, Vec<Vec<usize>>)> = if local_eqs.is_empty() {
            singles(&group)
        } else {
            let rows: Vec<Vec<&[i64]>> = group.iter().map(|&r| cut_values(r)).collect();
            let mut found = solve(&rows, &local_eqs);
            if found.complete
                && found.list.is_empty()
                && let Some(total) = total_column
                && local_eqs.iter().any(|eq| eq.column == total)
            {
                // A misprinted 总计 breaks the total column's identities; the applicant
                // columns' identities may still decide the cells.
                let without: Vec<Equation> = local_eqs
                    .iter()
                    .filter(|eq| eq.column != total)
                    .cloned()
                    .collect();
                found = solve(&rows, &without);
                if !found.list.is_empty() {
                    notes.push(
                        "总计列的勾稽关系在任何拆分下都不成立，只用其余各列的勾稽关系拆分"
                            .to_owned(),
                    );
                }
            }
            if !found.complete {
                // Rows with one cut are decided by their own sums; the rest stay open.
                group
                    .iter()
                    .filter(|&&r| cut_values(r).len() == 1)
                    .map(|&r| (vec![r], vec![vec![0]]))
                    .collect()
            } else if found.list.is_empty() {
                notes.push(
                    "表内各行之间的勾稽关系在任何拆分下都不成立，只按各行自身的总计拆分".to_owned(),
                );
                singles(&group)
            } else {
                vec![(group.clone(), found.list)]
            }
        };
        for (rows, solutions) in parts {
            decide(&problems, &states, &rows, solutions, evidence, &mut cells);
        }
    }

    SplitTable {
        rows: problems
            .into_iter()
            .zip(cells)
            .map(|(p, mut c)| {
                c.extend(p.extra);
                SplitRow {
                    key: p.key,
                    cells: c,
                }
            })
            .collect(),
        notes,
    }
}

/// The representative of `x`'s component.
fn find_root(root: &[usize], mut x: usize) -> usize {
    while let Some(&p) = root.get(x) {
        if p == x {
            break;
        }
        x = p;
    }
    x
}

/// The text that identifies a cell's value in one cut (the number, or an amount as printed).
fn cell_text(printed: &Printed, cut: &Cut, kind: Kind, col: usize) -> String {
    match kind {
        Kind::Amount => {
            let (a, b) = (
                cut.bounds.get(col).copied().unwrap_or(0),
                cut.bounds.get(col + 1).copied().unwrap_or(0),
            );
            printed.text(a, b)
        }
        _ => cut.nums.get(col).copied().unwrap_or(0).to_string(),
    }
}

/// Decides the cells of `rows` from the joint `solutions` (each: one cut index per row).
fn decide(
    problems: &[RowProblem],
    states: &[RowCuts],
    rows: &[usize],
    solutions: Vec<Vec<usize>>,
    evidence: &Evidence,
    cells: &mut [Vec<SplitCell>],
) {
    let row_data = |r: usize| match (problems.get(r), states.get(r)) {
        (
            Some(p),
            Some(RowCuts::Cuts {
                printed,
                cuts,
                sum_broken,
            }),
        ) => Some((p, printed, cuts, *sum_broken)),
        _ => None,
    };
    let value_at = |local: usize, sol: &[usize], col: usize| -> Option<String> {
        let (p, printed, cuts, _) = row_data(*rows.get(local)?)?;
        let cut = cuts.get(*sol.get(local)?)?;
        Some(cell_text(printed, cut, *p.kinds.get(col)?, col))
    };
    let distinct = |sols: &[Vec<usize>], local: usize, col: usize| -> BTreeSet<String> {
        // Most rows have the same cut in every split: one value, no need to compare texts.
        let first = sols.first().and_then(|s| s.get(local));
        if sols.iter().all(|s| s.get(local) == first) {
            return sols
                .first()
                .and_then(|s| value_at(local, s, col))
                .into_iter()
                .collect();
        }
        sols.iter()
            .filter_map(|s| value_at(local, s, col))
            .collect()
    };

    let stage0 = solutions.clone();
    let mut sols = solutions;
    // Narrative figures narrow the splits, never widen them.
    let mut phrases = Vec::new();
    if sols.len() > 1 {
        for (local, &r) in rows.iter().enumerate() {
            let Some((p, _, _, _)) = row_data(r) else {
                continue;
            };
            for col in 0..p.kinds.len() {
                if p.kinds.get(col) == Some(&Kind::Amount) {
                    continue;
                }
                let key = p.keys.key(col);
                for figure in evidence.figures().iter().filter(|f| key.matches(f)) {
                    let want = figure.value.to_string();
                    let narrowed: Vec<Vec<usize>> = sols
                        .iter()
                        .filter(|s| value_at(local, s, col).as_deref() == Some(want.as_str()))
                        .cloned()
                        .collect();
                    if !narrowed.is_empty() && narrowed.len() < sols.len() {
                        sols = narrowed;
                        phrases.push(figure.phrase());
                    }
                }
            }
        }
    }
    let after_evidence = sols.clone();
    // Printed spaces, last, and only in a row that prints a space between every two of its
    // cells: then each number printed is a cell, as in any space-separated table. A row with
    // fewer spaces says nothing — a space may as well stand inside a number as between two.
    if sols.len() > 1 {
        let narrowed: Vec<Vec<usize>> = sols
            .iter()
            .filter(|s| {
                rows.iter().enumerate().all(|(local, &r)| {
                    let Some((p, printed, cuts, _)) = row_data(r) else {
                        return true;
                    };
                    printed.gap_count() + 1 != p.kinds.len()
                        || s.get(local)
                            .and_then(|i| cuts.get(*i))
                            .is_some_and(|c| printed.gaps_respected(&c.bounds))
                })
            })
            .cloned()
            .collect();
        if !narrowed.is_empty() && narrowed.len() < sols.len() {
            sols = narrowed;
        }
    }

    for (local, &r) in rows.iter().enumerate() {
        let Some((p, printed, cuts, sum_broken)) = row_data(r) else {
            continue;
        };
        let Some(out) = cells.get_mut(r) else {
            continue;
        };
        for (col, slot) in out.iter_mut().enumerate() {
            let values = distinct(&sols, local, col);
            let kind = p.kinds.get(col).copied().unwrap_or(Kind::Count);
            if values.len() == 1 {
                let Some(cut) = sols
                    .first()
                    .and_then(|s| s.get(local))
                    .and_then(|i| cuts.get(*i))
                else {
                    continue;
                };
                slot.value = Some(match kind {
                    Kind::Amount => SplitValue::Text(cell_text(printed, cut, kind, col)),
                    _ => SplitValue::Int(cut.nums.get(col).copied().unwrap_or(0)),
                });
                slot.how = if distinct(&stage0, local, col).len() == 1 {
                    if cuts.len() == 1 {
                        if sum_broken || p.block.is_none() || printed.chars.len() == p.kinds.len() {
                            How::Digits
                        } else {
                            How::RowSum
                        }
                    } else {
                        How::Identities
                    }
                } else if distinct(&after_evidence, local, col).len() == 1 {
                    How::Evidence {
                        phrases: phrases.clone(),
                    }
                } else {
                    How::Spacing
                };
            } else {
                let mut list: Vec<String> = values.into_iter().collect();
                list.sort_by_key(|v| (v.len(), v.clone()));
                list.truncate(6);
                slot.value = None;
                slot.how = How::Unread(Reason::Ambiguous {
                    count: sols.len(),
                    values: list,
                });
            }
        }
    }
}
