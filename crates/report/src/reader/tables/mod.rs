//! Assembling 表二, 表三 and 表四 from the item stream of their sections: what the three
//! tables share (finding rows by their labels, placing layout numbers by columns, cells printed
//! run together) here, each table in its own module.
//!
//! A row is found by its label (the text printed just before its numbers); its cells are the
//! numbers and blank cells that follow, in printed order, as many as the template's row has.
//! The layout of the page does not matter: pipes, one cell per line, columns aligned with
//! spaces and labels wrapped over lines all give the same stream. Where the digits of a row
//! were printed run together, the rows' digit texts go to [`crate::split`], which cuts them
//! by the table's identities.

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ApplicationRow, ProactiveKind, RESULTS_LABEL,
    Template,
};

use super::labels::{Candidate, Quality, tail_match};
use super::note::{How, Note, NoteKind, Provenance, Table};
use super::tokens::{COUNT_WORDS, Item, Kind};
use crate::model::{Appeals, Applications, Proactive, ProactiveValue};
use crate::split::{self, Evidence, SplitTable, SplitValue};

/// Shared state of one reading: the printed lines, notes and provenance gathered so far.
pub struct Ctx<'a> {
    /// The input's lines, as characters (for quoting what was printed).
    pub lines: &'a [Vec<char>],
    /// Notes.
    pub notes: Vec<Note>,
    /// Provenance.
    pub provenance: Vec<Provenance>,
    /// Figures of the narrative, for splitting runs.
    pub evidence: &'a Evidence,
}

impl Ctx<'_> {
    /// The text printed at an item's place.
    pub fn printed(&self, item: &Item) -> String {
        self.lines
            .get(item.line.wrapping_sub(1))
            .map(|l| {
                let s = item.col.saturating_sub(1).min(l.len());
                let e = item.end.saturating_sub(1).clamp(s, l.len());
                l[s..e].iter().collect::<String>()
            })
            .unwrap_or_default()
    }

    fn note(
        &mut self,
        kind: NoteKind,
        table: Table,
        row: Option<&'static str>,
        column: Option<&'static str>,
        line: Option<usize>,
        message: String,
    ) {
        self.notes.push(Note {
            kind,
            table: Some(table),
            row,
            column,
            line,
            message,
        });
    }

    /// A row printed a second time: only its first reading counts.
    fn repeated_row(&mut self, table: Table, key: &'static str, line: usize) {
        self.note(
            NoteKind::Ignored,
            table,
            Some(key),
            None,
            Some(line),
            "此行重复出现，只取第一次".into(),
        );
    }

    /// A row of `table` that was never found: cut off if the document ended inside the table,
    /// else missing. Its cells stay null.
    fn missing_row(&mut self, table: Table, key: &'static str, label: &str, at_end: bool) {
        let (kind, message) = if at_end {
            (
                NoteKind::Truncated,
                format!("文档在「{label}」行之前结束，此行各格记为 null"),
            )
        } else {
            (
                NoteKind::RowMissing,
                format!("未找到「{label}」行，此行各格记为 null"),
            )
        };
        self.note(kind, table, Some(key), None, None, message);
    }
}

/// A row found by its label, with the cells printed after it.
#[derive(Debug, Clone)]
struct RowRead<T> {
    target: T,
    quality: Quality,
    /// Line of the label.
    line: usize,
    cells: Vec<Item>,
    wanted: usize,
    /// Values after the row's cells that were not used.
    extra: usize,
    /// The first few of them, kept to undo padding (below).
    overflow: Vec<Item>,
    /// A count word (件, 条…) printed against its last number: a figure of a sentence.
    in_sentence: bool,
    /// One cell per line, fewer cells than columns, and the empty lines do not show which
    /// cells were left blank: the cells' columns are unknown.
    lines_unknown: bool,
}

/// More rows than this in one table part are not aligned by columns.
const MAX_ROWS: usize = 400;

/// How much unknown text an unfinished row lets through (a unit, a stray mark).
const NOISE_CHARS: usize = 6;

/// Walks the items, finding rows by their labels and giving each the values that follow.
fn read_rows<T: Clone>(
    items: &[Item],
    cands: &[Candidate<T>],
    wanted: impl Fn(&T) -> usize,
) -> Vec<RowRead<T>> {
    let mut out: Vec<RowRead<T>> = Vec::new();
    let mut pending = String::new();
    let mut pending_line = 0;
    let mut current: Option<usize> = None;
    for item in items {
        match item.kind {
            Kind::Text | Kind::Heading(_) => {
                if pending.is_empty()
                    && let Some(c) = current
                    && let Some(last) = out[c].cells.last()
                    && last.line == item.line
                    && last.end == item.col
                    && !last.piped
                    && matches!(last.kind, Kind::Num { .. })
                    && item.norm.starts_with(COUNT_WORDS)
                {
                    out[c].in_sentence = true;
                }
                pending.push_str(&item.norm);
                pending_line = item.line;
            }
            Kind::Num { .. } | Kind::Blank => {
                if !pending.is_empty() {
                    match tail_match(&pending, cands) {
                        Some((target, quality)) => {
                            let w = wanted(&target);
                            out.push(RowRead {
                                target,
                                quality,
                                line: pending_line,
                                cells: Vec::new(),
                                wanted: w,
                                extra: 0,
                                overflow: Vec::new(),
                                in_sentence: false,
                                lines_unknown: false,
                            });
                            current = Some(out.len() - 1);
                        }
                        None => {
                            // A few characters inside an unfinished row (a unit, a stray mark)
                            // do not end it; more text, or text after a finished row, does.
                            if current.is_some_and(|c| {
                                out[c].cells.len() >= out[c].wanted
                                    || out[c].in_sentence
                                    || pending.chars().count() > NOISE_CHARS
                            }) {
                                current = None;
                            }
                        }
                    }
                    pending.clear();
                }
                if let Some(c) = current {
                    let row = &mut out[c];
                    if row.cells.len() < row.wanted {
                        row.cells.push(item.clone());
                    } else {
                        if matches!(item.kind, Kind::Num { .. }) {
                            row.extra += 1;
                        }
                        if row.overflow.len() < row.wanted {
                            row.overflow.push(item.clone());
                        }
                    }
                }
            }
        }
    }
    // A label cell spanning columns, flattened with its blank padding right after it
    // (`label | | | 0 | 0 …`): the row's numbers follow the padding.
    for row in &mut out {
        while row
            .cells
            .first()
            .is_some_and(|c| c.piped && matches!(c.kind, Kind::Blank))
            && row
                .overflow
                .iter()
                .any(|c| matches!(c.kind, Kind::Num { .. }))
        {
            row.cells.remove(0);
            row.cells.push(row.overflow.remove(0));
            row.extra = row
                .overflow
                .iter()
                .filter(|c| matches!(c.kind, Kind::Num { .. }))
                .count();
        }
    }
    out
}

/// A label printed twice — in a sentence before the table, then in the table — is read where
/// its row is complete: an incomplete occurrence gives way to a later complete one.
fn prefer_complete<T: PartialEq>(rows: &mut Vec<RowRead<T>>) {
    // From the end: the targets that have a complete row further down (few: one per row of
    // the template), so this stays linear in the rows.
    let mut complete_later: Vec<&T> = Vec::new();
    let mut drop = vec![false; rows.len()];
    for (i, r) in rows.iter().enumerate().rev() {
        let incomplete = r.cells.len() < r.wanted;
        // "属于四类过程性信息1件": a sentence quoting the label, not the table's row.
        drop[i] = incomplete && (r.in_sentence || complete_later.contains(&&r.target));
        if !incomplete && !complete_later.contains(&&r.target) {
            complete_later.push(&r.target);
        }
    }
    let mut k = 0;
    rows.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// The cells of a row printed on one line with spaces between (column-aligned layout text).
fn one_layout_line(cells: &[Item]) -> Option<usize> {
    let first = cells.first()?;
    cells
        .iter()
        .all(|c| c.line == first.line && !c.piped && matches!(c.kind, Kind::Num { .. }))
        .then_some(first.line)
}

/// A table part's column positions, and how a cell's position is taken (end or middle).
type Columns = (Vec<f64>, fn(&Item) -> f64);

/// The middle of an item, in character columns.
fn center(c: &Item) -> f64 {
    (c.col + c.end) as f64 / 2.0
}

/// Each cell under its own column (nearest anchor within 3 characters, in order), or `None`.
fn place(cells: &[Item], anchors: &[f64], at: fn(&Item) -> f64) -> Option<Vec<Option<Item>>> {
    let mut placed: Vec<Option<Item>> = vec![None; anchors.len()];
    let mut last: Option<usize> = None;
    for cell in cells {
        let x = at(cell);
        let (j, a) = anchors
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))?;
        if (a - x).abs() > 3.0 || last.is_some_and(|l| j <= l) {
            return None;
        }
        placed[j] = Some(cell.clone());
        last = Some(j);
    }
    Some(placed)
}

/// Column-aligned text prints nothing where a cell is blank: a row with fewer numbers than
/// columns is placed by the columns of the nearest full row of the same table part (`group`),
/// when every number sits under one of its columns. The other cells are then blank.
fn align_columns<T>(
    ctx: &mut Ctx<'_>,
    table: Table,
    rows: &mut [RowRead<T>],
    group: impl Fn(&T) -> usize,
) {
    let full: Vec<(usize, usize, Vec<f64>)> = rows
        .iter()
        .filter(|r| r.cells.len() == r.wanted && r.wanted > 1)
        .filter_map(|r| {
            let line = one_layout_line(&r.cells)?;
            let centers = r.cells.iter().map(center).collect();
            Some((group(&r.target), line, centers))
        })
        .collect();
    // Columns from every one-line row of a part: numbers right-aligned (ends) or centred.
    let clustered = |g: usize, at: fn(&Item) -> f64, wanted: usize| -> Option<Vec<f64>> {
        let mut xs: Vec<f64> = rows
            .iter()
            .filter(|r| group(&r.target) == g && one_layout_line(&r.cells).is_some())
            .flat_map(|r| r.cells.iter().map(at))
            .collect();
        xs.sort_by(f64::total_cmp);
        let mut clusters: Vec<Vec<f64>> = Vec::new();
        for x in xs {
            match clusters.last_mut() {
                Some(c) if c.last().is_some_and(|l| x - l <= 2.0) => c.push(x),
                _ => clusters.push(vec![x]),
            }
        }
        (clusters.len() == wanted).then(|| {
            clusters
                .iter()
                .map(|c| c.iter().sum::<f64>() / c.len() as f64)
                .collect()
        })
    };
    let end_of: fn(&Item) -> f64 = |c| c.end as f64;
    let center_of: fn(&Item) -> f64 = center;
    let mut by_group: Vec<(usize, Vec<Columns>)> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| !r.cells.is_empty() && r.cells.len() < r.wanted)
    {
        let g = group(&r.target);
        if by_group.iter().any(|(bg, _)| *bg == g) {
            continue;
        }
        let mut found = Vec::new();
        if let Some(a) = clustered(g, end_of, r.wanted) {
            found.push((a, end_of));
        }
        if let Some(a) = clustered(g, center_of, r.wanted) {
            found.push((a, center_of));
        }
        by_group.push((g, found));
    }
    // A table has a few dozen rows; thousands are not a table (and would cost quadratic time).
    if rows.len() > MAX_ROWS {
        return;
    }
    for row in rows.iter_mut() {
        if row.cells.is_empty() || row.cells.len() >= row.wanted {
            continue;
        }
        let Some(line) = one_layout_line(&row.cells) else {
            continue;
        };
        let g = group(&row.target);
        let mut options: Vec<Columns> = Vec::new();
        if let Some((_, _, a)) = full
            .iter()
            .filter(|(fg, fl, a)| *fg == g && *fl != line && a.len() == row.wanted)
            .min_by_key(|(_, fl, _)| fl.abs_diff(line))
        {
            options.push((a.clone(), center_of));
        }
        if let Some((_, found)) = by_group.iter().find(|(bg, _)| *bg == g) {
            options.extend(found.iter().filter(|(a, _)| a.len() == row.wanted).cloned());
        }
        let Some((anchors, placed)) = options
            .into_iter()
            .find_map(|(a, at)| place(&row.cells, &a, at).map(|p| (a, p)))
        else {
            continue;
        };
        let cells: Vec<Item> = placed
            .into_iter()
            .enumerate()
            .map(|(j, c)| {
                c.unwrap_or_else(|| {
                    let at = anchors.get(j).copied().unwrap_or(0.0).max(1.0) as usize;
                    Item {
                        kind: Kind::Blank,
                        norm: String::new(),
                        line,
                        col: at,
                        end: at,
                        piped: false,
                    }
                })
            })
            .collect();
        ctx.notes.push(Note {
            kind: NoteKind::Meta,
            table: Some(table),
            row: None,
            column: None,
            line: Some(line),
            message: format!(
                "本行只印出 {} 个数字：按上下行的列位置对齐，未印数字的格为空白（null）",
                row.cells.len()
            ),
        });
        row.cells = cells;
    }
}

/// Whether a line holds nothing but whitespace.
fn empty_line(ctx: &Ctx<'_>, line: usize) -> bool {
    ctx.lines
        .get(line.wrapping_sub(1))
        .is_none_or(|l| l.iter().all(|c| c.is_whitespace()))
}

/// Empty lines strictly between lines `a` and `b`.
fn empties_between(ctx: &Ctx<'_>, a: usize, b: usize) -> usize {
    (a + 1..b).filter(|&l| empty_line(ctx, l)).count()
}

/// Whether each cell of a row is alone on its own line (one cell per line, no pipes).
fn own_lines(ctx: &Ctx<'_>, cells: &[Item]) -> bool {
    !cells.is_empty()
        && cells.windows(2).all(|w| w[0].line < w[1].line)
        && cells.iter().all(|c| {
            !c.piped
                && c.is_value()
                && ctx.lines.get(c.line.wrapping_sub(1)).is_some_and(|l| {
                    let line: String = l.iter().collect();
                    line.trim() == ctx.printed(c).trim()
                })
        })
}

/// One cell per line prints a blank cell as an empty line (as a longer run of them where an
/// empty line separates the cells): a row with fewer cells than columns gets its blank cells
/// back where the empty lines show them, else its cells' columns are unknown.
fn align_lines<T>(ctx: &mut Ctx<'_>, table: Table, rows: &mut [RowRead<T>]) {
    if rows.len() > MAX_ROWS {
        return;
    }
    // The separator: the fewest empty lines between two cells of a row.
    let separator = rows
        .iter()
        .filter(|r| r.cells.len() >= 2 && own_lines(ctx, &r.cells))
        .flat_map(|r| {
            r.cells
                .windows(2)
                .map(|w| empties_between(ctx, w[0].line, w[1].line))
                .collect::<Vec<_>>()
        })
        .min()
        .unwrap_or(0);
    let blanks = |empties: usize| -> Option<usize> {
        let extra = empties.checked_sub(separator)?;
        (extra % (separator + 1) == 0).then_some(extra / (separator + 1))
    };
    for row in rows.iter_mut() {
        if row.cells.is_empty() || row.cells.len() >= row.wanted || !own_lines(ctx, &row.cells) {
            continue;
        }
        // Empty lines after the label, between the cells, and after the last cell.
        let mut gaps: Vec<usize> = Vec::with_capacity(row.cells.len() + 1);
        let mut prev = row.line;
        for c in &row.cells {
            gaps.push(empties_between(ctx, prev, c.line));
            prev = c.line;
        }
        let mut next = prev + 1;
        while next <= ctx.lines.len() && empty_line(ctx, next) {
            next += 1;
        }
        gaps.push(empties_between(ctx, prev, next));
        let counts: Option<Vec<usize>> = gaps.iter().map(|&e| blanks(e)).collect();
        let fits = counts
            .as_ref()
            .is_some_and(|c| c.iter().sum::<usize>() + row.cells.len() == row.wanted);
        let (true, Some(counts)) = (fits, counts) else {
            row.lines_unknown = true;
            continue;
        };
        let blank_at = |line: usize| Item {
            kind: Kind::Blank,
            norm: String::new(),
            line,
            col: 1,
            end: 1,
            piped: false,
        };
        let mut cells = Vec::with_capacity(row.wanted);
        let mut prev = row.line;
        for (k, n) in counts.iter().enumerate() {
            cells.extend((0..*n).map(|_| blank_at(prev + 1)));
            if let Some(c) = row.cells.get(k) {
                prev = c.line;
                cells.push(c.clone());
            }
        }
        ctx.notes.push(Note {
            kind: NoteKind::Meta,
            table: Some(table),
            row: None,
            column: None,
            line: Some(row.line),
            message: format!(
                "本行只印出 {} 格：按空行位置补出 {} 个空白单元格（null）",
                row.cells.len(),
                row.wanted - row.cells.len()
            ),
        });
        row.cells = cells;
    }
}

/// Whether a row's cells look like digits printed run together: fewer cells than the row has,
/// none blank, none from pipes, and at least as many digits as cells.
fn run_together(cells: &[Item], wanted: usize) -> bool {
    if cells.is_empty() || cells.len() >= wanted {
        return false;
    }
    // Numbers set apart by runs of spaces are columns of a layout, not one run.
    if wide_gaps(cells) {
        return false;
    }
    let mut digits = 0;
    for c in cells {
        match &c.kind {
            Kind::Num { digits: d, .. } if !c.piped => {
                digits += d.chars().filter(char::is_ascii_digit).count();
            }
            _ => return false,
        }
    }
    digits >= wanted
}

/// Whether two neighbouring cells of one line are two or more spaces apart.
fn wide_gaps(cells: &[Item]) -> bool {
    cells
        .windows(2)
        .any(|w| w[0].line == w[1].line && w[1].col >= w[0].end + 2)
}

/// A row printed on one line with spaces between its numbers, fewer numbers than columns, that
/// could not be placed by the columns (and is not digits run together): which cells the
/// numbers belong to is unknown — blank cells printed nothing.
fn unplaceable(cells: &[Item], wanted: usize) -> bool {
    !cells.is_empty() && cells.len() < wanted && one_layout_line(cells).is_some()
}

/// Notes a row whose numbers could not be placed; its cells stay null.
fn note_unplaceable<T>(ctx: &mut Ctx<'_>, table: Table, key: &'static str, row: &RowRead<T>) {
    ctx.note(
        NoteKind::CellUnreadable,
        table,
        Some(key),
        None,
        Some(row.line),
        if row.lines_unknown {
            format!(
                "本行只印出 {} 格，少于 {} 列，空行也不能说明哪些格空白：不知各数字属于哪一列，整行记为 null",
                row.cells.len(),
                row.wanted
            )
        } else {
            format!(
                "本行只印出 {} 个数字，少于 {} 列，且无法按上下行的列位置对齐：不知各数字属于哪一列，整行记为 null",
                row.cells.len(),
                row.wanted
            )
        },
    );
}

/// A line and the character columns [start, end) on it.
type Place = (usize, (usize, usize));

/// Where run-together cells were printed: line and columns of the run.
fn run_place(cells: &[Item]) -> Place {
    match (cells.first(), cells.last()) {
        (Some(f), Some(l)) if f.line == l.line => (f.line, (f.col, l.end)),
        (Some(f), _) => (f.line, (f.col, f.end)),
        _ => (0, (0, 0)),
    }
}

/// The printed digit text of run-together cells, spaces kept as printed.
fn run_text(ctx: &Ctx<'_>, cells: &[Item]) -> String {
    let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
        return String::new();
    };
    if first.line == last.line {
        let joined = Item {
            end: last.end,
            ..first.clone()
        };
        let mut s = ctx.printed(&joined);
        if let Kind::Num { unit: Some(u), .. } = &last.kind {
            s.push_str(u);
        }
        s
    } else {
        cells
            .iter()
            .map(|c| ctx.printed(c))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn label_note<T>(
    ctx: &mut Ctx<'_>,
    table: Table,
    row: &RowRead<T>,
    key: &'static str,
    label: &str,
) {
    if let Quality::Variant { printed } = &row.quality {
        ctx.note(
            NoteKind::LabelVariant,
            table,
            Some(key),
            None,
            Some(row.line),
            format!("行标签印作「{printed}」，按格式的「{label}」读取"),
        );
    }
}

/// A count cell: a non-negative integer, or null.
fn count_of(
    ctx: &mut Ctx<'_>,
    table: Table,
    row: &'static str,
    column: &'static str,
    item: Option<&Item>,
    label_line: usize,
) -> Option<u64> {
    let Some(item) = item else {
        ctx.note(
            NoteKind::CellMissing,
            table,
            Some(row),
            Some(column),
            Some(label_line),
            "本行此格没有印出数字，记为 null".into(),
        );
        return None;
    };
    let printed = ctx.printed(item);
    match &item.kind {
        Kind::Num { digits, unit: None } if digits.bytes().all(|b| b.is_ascii_digit()) => {
            match digits.parse::<u64>() {
                Ok(v) => {
                    ctx.provenance.push(Provenance {
                        table,
                        row,
                        column,
                        line: item.line,
                        cols: (item.col, item.end),
                        printed,
                        how: How::Read,
                    });
                    Some(v)
                }
                Err(_) => {
                    ctx.note(
                        NoteKind::CellUnreadable,
                        table,
                        Some(row),
                        Some(column),
                        Some(item.line),
                        format!("「{printed}」超出可读范围，记为 null"),
                    );
                    None
                }
            }
        }
        Kind::Blank => {
            ctx.provenance.push(Provenance {
                table,
                row,
                column,
                line: item.line,
                cols: (item.col, item.end),
                printed,
                how: How::Blank,
            });
            None
        }
        _ => {
            ctx.note(
                NoteKind::CellUnreadable,
                table,
                Some(row),
                Some(column),
                Some(item.line),
                format!("「{printed}」不是件数（非负整数），记为 null"),
            );
            None
        }
    }
}

/// Takes one row of a split result into the model through `set`, with provenance and notes.
fn take_split_row(
    ctx: &mut Ctx<'_>,
    table: Table,
    split: &SplitTable,
    key: &'static str,
    text: &str,
    (line, cols): Place,
    mut set: impl FnMut(&'static str, &SplitValue) -> bool,
) {
    let Some(row) = split.row(key) else {
        ctx.note(
            NoteKind::Split,
            table,
            Some(key),
            None,
            Some(line),
            format!("连写的数字「{text}」未能拆分"),
        );
        return;
    };
    for cell in &row.cells {
        match &cell.value {
            Some(v) => {
                if set(cell.column, v) {
                    ctx.provenance.push(Provenance {
                        table,
                        row: key,
                        column: cell.column,
                        line,
                        cols,
                        printed: text.to_owned(),
                        how: How::Split(cell.how.to_string()),
                    });
                }
            }
            None => ctx.note(
                NoteKind::Split,
                table,
                Some(key),
                Some(cell.column),
                Some(line),
                format!("连写的数字「{text}」中此格{}，记为 null", cell.how),
            ),
        }
    }
}

mod appeals;
mod applications;
mod proactive;

pub use appeals::appeals;
pub use applications::{applications, applications_hint};
pub use proactive::{proactive, template_hint};
