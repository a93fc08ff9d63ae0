//! The official layout of 表二, 表三 and 表四 as rows of cells with their spans
//! (spec/domain.md §4.2–§4.4, §4.8): the one description the renderers share.

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, APPLICANT_TOTAL, ApplicationRow,
    ProactiveKind, RESULTS_LABEL, title,
};

use crate::model::{Appeals, Applications, Count, Proactive, ProactiveValue};

/// A cell of the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What it prints; empty for a blank cell.
    pub text: String,
    /// Columns it spans (≥ 1).
    pub colspan: usize,
    /// Rows it spans (≥ 1).
    pub rowspan: usize,
    /// A header or label cell (`<th>`), not a number.
    pub header: bool,
}

impl Cell {
    fn label(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            header: true,
        }
    }
    fn value(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            header: false,
        }
    }
    fn cols(mut self, n: usize) -> Self {
        self.colspan = n.max(1);
        self
    }
    fn rows(mut self, n: usize) -> Self {
        self.rowspan = n.max(1);
        self
    }
}

/// A table: its width in columns, and its rows, each holding only the cells that start in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Columns of the full table.
    pub width: usize,
    /// Rows that are header rows (they come first).
    pub header_rows: usize,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The header as one row of leaf labels, for renderings without merged cells (Markdown):
    /// the label column's header (if the table has one) and one label per number column. `None`
    /// where the header rows are already flat (表二's blocks).
    pub flat_header: Option<Vec<String>>,
}

impl Grid {
    /// Each cell with the (row, column) of its top-left corner on the full table, row by row:
    /// what renderers without HTML's implicit placement (DOCX, XLSX) need. A cell starts at the
    /// first column its row leaves free of the cells above that span into it.
    pub fn positions(&self) -> Vec<(usize, usize, &Cell)> {
        let mut taken = vec![vec![false; self.width]; self.rows.len()];
        let mut out = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while taken[r].get(c).copied().unwrap_or(false) {
                    c += 1;
                }
                for covered in taken.iter_mut().skip(r).take(cell.rowspan) {
                    for slot in covered.iter_mut().skip(c).take(cell.colspan) {
                        *slot = true;
                    }
                }
                out.push((r, c, cell));
                c += cell.colspan;
            }
        }
        out
    }
}

fn count(value: Count) -> Cell {
    Cell::value(value.map(|v| v.to_string()).unwrap_or_default())
}

/// 表二: one four-column table of blocks, each a title row, a `信息内容` header row and data
/// rows; a block with fewer than three columns lets its last column span the rest. An amount
/// prints with the unit printed beside it (2019 template: 采购总金额).
pub fn proactive(p: &Proactive) -> Grid {
    const WIDTH: usize = 4;
    let mut rows = Vec::new();
    for block in p.template().proactive_blocks() {
        let columns: Vec<_> = block
            .columns
            .iter()
            .filter(|c| c.kind != ProactiveKind::Unit)
            .collect();
        let unit = block.columns.iter().find(|c| c.kind == ProactiveKind::Unit);
        let fill = |i: usize| {
            if i + 1 == columns.len() {
                WIDTH - columns.len()
            } else {
                1
            }
        };
        rows.push(vec![Cell::label(block.title).cols(WIDTH)]);
        let mut header = vec![Cell::label(title::INFORMATION_CONTENT)];
        for (i, column) in columns.iter().enumerate() {
            header.push(Cell::label(column.label).cols(fill(i)));
        }
        rows.push(header);
        for row in block.rows {
            let mut cells = vec![Cell::label(row.label)];
            for (i, column) in columns.iter().enumerate() {
                let mut text = match p.get(row.key, column.key) {
                    None => String::new(),
                    Some(ProactiveValue::Int(n)) => n.to_string(),
                    Some(ProactiveValue::Text(t)) => t.clone(),
                };
                if column.kind == ProactiveKind::Amount
                    && !text.is_empty()
                    && let Some(unit) = unit
                    && let Some(ProactiveValue::Text(u)) = p.get(row.key, unit.key)
                {
                    text.push_str(u);
                }
                cells.push(Cell::value(text).cols(fill(i)));
            }
            rows.push(cells);
        }
    }
    Grid {
        width: WIDTH,
        header_rows: 0,
        rows,
        flat_header: None,
    }
}

/// 表三: three label columns and seven number columns under a three-row header (§4.3).
pub fn applications(a: &Applications) -> Grid {
    let mut rows = Vec::new();
    rows.push(vec![
        Cell::label(title::BALANCE_NOTE).cols(3).rows(3),
        Cell::label(title::APPLICANTS).cols(7),
    ]);
    rows.push(vec![
        Cell::label(APPLICANT_COLUMNS[0].label).rows(2),
        Cell::label(title::ORGANISATIONS).cols(5),
        Cell::label(APPLICANT_COLUMNS[APPLICANT_TOTAL].label).rows(2),
    ]);
    rows.push(
        APPLICANT_COLUMNS[1..APPLICANT_TOTAL]
            .iter()
            .map(|c| Cell::label(c.label))
            .collect(),
    );
    // 三、本年度办理结果 spans the result rows and （七）总计.
    let results_span = a
        .rows()
        .filter(|(s, _)| s.row.is_result() || s.row == ApplicationRow::TotalHandled)
        .count();
    let mut results_started = false;
    let mut previous_group = None;
    let specs: Vec<_> = a.rows().collect();
    for (i, (spec, cells)) in specs.iter().enumerate() {
        let mut row = Vec::new();
        let in_results = spec.row.is_result() || spec.row == ApplicationRow::TotalHandled;
        if !in_results {
            row.push(Cell::label(spec.label).cols(3));
        } else {
            if !results_started {
                row.push(Cell::label(RESULTS_LABEL).rows(results_span));
                results_started = true;
            }
            match spec.group {
                None => row.push(Cell::label(spec.label).cols(2)),
                Some(group) => {
                    if previous_group != Some(group) {
                        let span = specs[i..]
                            .iter()
                            .take_while(|(s, _)| s.group == Some(group))
                            .count();
                        row.push(Cell::label(group).rows(span));
                    }
                    row.push(Cell::label(spec.label));
                }
            }
        }
        previous_group = spec.group;
        row.extend(cells.iter().map(|v| count(*v)));
        rows.push(row);
    }
    let flat_header = std::iter::once(title::BALANCE_NOTE)
        .chain(APPLICANT_COLUMNS.iter().map(|c| c.label))
        .map(str::to_owned)
        .collect();
    Grid {
        width: 10,
        header_rows: 3,
        rows,
        flat_header: Some(flat_header),
    }
}

/// 表四: a three-row header (行政复议 | 行政诉讼; the five columns and the two kinds of
/// 诉讼; their five columns) over one row of fifteen numbers (§4.4).
pub fn appeals(a: &Appeals) -> Grid {
    let mut rows = vec![
        vec![
            Cell::label(title::RECONSIDERATION).cols(5),
            Cell::label(title::LITIGATION).cols(10),
        ],
        APPEAL_COLUMNS
            .iter()
            .map(|c| Cell::label(c.label).rows(2))
            .chain(
                APPEAL_BLOCKS[1..]
                    .iter()
                    .map(|b| Cell::label(b.label).cols(5)),
            )
            .collect(),
        APPEAL_BLOCKS[1..]
            .iter()
            .flat_map(|_| APPEAL_COLUMNS.iter().map(|c| Cell::label(c.label)))
            .collect(),
    ];
    rows.push(a.blocks.iter().flatten().map(|v| count(*v)).collect());
    let flat_header = APPEAL_BLOCKS
        .iter()
        .flat_map(|b| {
            APPEAL_COLUMNS
                .iter()
                .map(move |c| format!("{} {}", b.label, c.label))
        })
        .collect();
    Grid {
        width: 15,
        header_rows: 3,
        rows,
        flat_header: Some(flat_header),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::format::Template;

    /// Every row of a grid covers exactly its width once spans are counted.
    fn assert_rectangular(grid: &Grid) {
        let mut covered = vec![0usize; grid.rows.len()];
        for (r, row) in grid.rows.iter().enumerate() {
            for cell in row {
                for dr in 0..cell.rowspan {
                    if let Some(c) = covered.get_mut(r + dr) {
                        *c += cell.colspan;
                    }
                }
            }
        }
        assert!(covered.iter().all(|&c| c == grid.width), "{covered:?}");
    }

    #[test]
    fn positions_place_cells_under_spans_from_above() {
        // 表三: the note spans 3×3, so 商业企业 (row 2) starts at column 4, past 自然人's rowspan.
        let grid = applications(&Applications::new(Template::Y2021));
        let at = |text: &str| {
            grid.positions()
                .into_iter()
                .find(|(_, _, c)| c.text == text)
                .map(|(r, c, _)| (r, c))
        };
        assert_eq!(at(title::APPLICANTS), Some((0, 3)));
        assert_eq!(at("自然人"), Some((1, 3)));
        assert_eq!(at(title::ORGANISATIONS), Some((1, 4)));
        assert_eq!(at("商业企业"), Some((2, 4)));
        assert_eq!(at("1.属于国家秘密"), Some((7, 2)));
        assert_eq!(at("2.其他法律行政法规禁止公开"), Some((8, 2)));
        assert_eq!(at("四、结转下年度继续办理"), Some((27, 0)));
        let appeals = appeals(&Appeals::default());
        let last = appeals.positions().last().map(|(r, c, _)| (*r, *c));
        assert_eq!(last, Some((3, 14)));
    }

    #[test]
    fn layouts_are_rectangular_in_both_templates() {
        for t in Template::ALL {
            assert_rectangular(&proactive(&Proactive::new(t)));
            let a = applications(&Applications::new(t));
            assert_rectangular(&a);
            assert_eq!(a.rows.len(), 3 + t.application_rows().len());
        }
        assert_rectangular(&appeals(&Appeals::default()));
    }
}
