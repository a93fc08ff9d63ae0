//! Assembling 表二, 表三 and 表四 from the item stream of their sections.
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
use super::tokens::{Item, Kind};
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
}

/// Words that follow a number in a sentence, never in a table cell.
const COUNT_WORDS: &[char] = &['件', '条', '个', '项', '次', '人', '份', '起', '宗', '批'];

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
    let drop: Vec<bool> = (0..rows.len())
        .map(|i| {
            let incomplete = rows[i].cells.len() < rows[i].wanted;
            // "属于四类过程性信息1件": a sentence quoting the label, not the table's row.
            incomplete
                && (rows[i].in_sentence
                    || rows[i + 1..]
                        .iter()
                        .any(|r| r.target == rows[i].target && r.cells.len() >= r.wanted))
        })
        .collect();
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
            let centers = r
                .cells
                .iter()
                .map(|c| (c.col + c.end) as f64 / 2.0)
                .collect();
            Some((group(&r.target), line, centers))
        })
        .collect();
    for row in rows.iter_mut() {
        if row.cells.is_empty() || row.cells.len() >= row.wanted {
            continue;
        }
        let Some(line) = one_layout_line(&row.cells) else {
            continue;
        };
        let g = group(&row.target);
        let Some((_, _, anchors)) = full
            .iter()
            .filter(|(fg, fl, a)| *fg == g && *fl != line && a.len() == row.wanted)
            .min_by_key(|(_, fl, _)| fl.abs_diff(line))
        else {
            continue;
        };
        let mut placed: Vec<Option<Item>> = vec![None; row.wanted];
        let mut last: Option<usize> = None;
        let mut ok = true;
        for cell in &row.cells {
            let center = (cell.col + cell.end) as f64 / 2.0;
            let nearest = anchors
                .iter()
                .enumerate()
                .min_by(|a, b| (a.1 - center).abs().total_cmp(&(b.1 - center).abs()));
            match nearest {
                Some((j, a)) if (a - center).abs() <= 3.0 && last.is_none_or(|l| j > l) => {
                    placed[j] = Some(cell.clone());
                    last = Some(j);
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
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

/// Whether a row's cells look like digits printed run together: fewer cells than the row has,
/// none blank, none from pipes, and at least as many digits as cells.
fn run_together(cells: &[Item], wanted: usize) -> bool {
    if cells.is_empty() || cells.len() >= wanted {
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

// ---------------------------------------------------------------------------------------------
// 表二

/// Template evidence in 表二's headers and row labels: labels only one template prints.
pub fn template_hint(items: &[Item]) -> Option<Template> {
    let text: String = items
        .iter()
        .filter(|i| matches!(i.kind, Kind::Text))
        .map(|i| i.norm.as_str())
        .collect();
    let unique = |t: Template, other: Template| -> usize {
        let mut labels: Vec<&str> = Vec::new();
        for b in t.proactive_blocks() {
            labels.extend(b.columns.iter().map(|c| c.label).filter(|l| !l.is_empty()));
            labels.extend(b.rows.iter().map(|r| r.label));
        }
        let others: Vec<&str> = other
            .proactive_blocks()
            .iter()
            .flat_map(|b| {
                b.columns
                    .iter()
                    .map(|c| c.label)
                    .chain(b.rows.iter().map(|r| r.label))
            })
            .filter(|l| !l.is_empty())
            .collect();
        labels
            .iter()
            .filter(|l| !others.iter().any(|o| o.contains(**l) || l.contains(o)))
            .filter(|l| text.contains(&super::normalize::key(l)))
            .count()
    };
    let (a, b) = (
        unique(Template::Y2019, Template::Y2021),
        unique(Template::Y2021, Template::Y2019),
    );
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => Some(Template::Y2019),
        std::cmp::Ordering::Less => Some(Template::Y2021),
        std::cmp::Ordering::Equal => None,
    }
}

/// Reads 表二 from its section's items.
pub fn proactive(
    ctx: &mut Ctx<'_>,
    template: Template,
    items: &[Item],
    at_end: bool,
) -> Option<Proactive> {
    const T: Table = Table::Proactive;
    // Candidates: every row of the template, also under the other template's label.
    let mut cands = Vec::new();
    for (bi, block) in template.proactive_blocks().iter().enumerate() {
        for (ri, row) in block.rows.iter().enumerate() {
            cands.push(Candidate::new(row.label, (bi, ri)));
            for other in Template::ALL {
                for ob in other.proactive_blocks() {
                    for orow in ob.rows {
                        if orow.key == row.key && orow.label != row.label {
                            cands.push(Candidate::new(orow.label, (bi, ri)));
                        }
                    }
                }
            }
        }
    }
    let blocks = template.proactive_blocks();
    let printed_cols = |bi: usize| {
        blocks.get(bi).map_or(0, |b| {
            b.columns
                .iter()
                .filter(|c| c.kind != ProactiveKind::Unit)
                .count()
        })
    };
    let mut rows = read_rows(items, &cands, |&(bi, _)| printed_cols(bi));
    align_columns(ctx, T, &mut rows, |&(bi, _)| bi);
    prefer_complete(&mut rows);
    if rows.is_empty() {
        let line = items.first().map(|i| i.line);
        ctx.notes.push(Note::table(
            NoteKind::TableMissing,
            T,
            line,
            if at_end {
                "文档在表二之前或表二表头处结束，未读到表二的任何一行".into()
            } else {
                "未找到表二的任何一行".into()
            },
        ));
        return None;
    }
    let mut table = Proactive::new(template);
    let mut seen = vec![false; cands.len()];
    let mut runs: Vec<(&'static str, String, Place)> = Vec::new();
    let last_index = rows.len() - 1;
    for (n, row) in rows.iter().enumerate() {
        let (bi, ri) = row.target;
        let Some(block) = blocks.get(bi) else {
            continue;
        };
        let Some(spec) = block.rows.get(ri) else {
            continue;
        };
        let flat = blocks[..bi].iter().map(|b| b.rows.len()).sum::<usize>() + ri;
        if seen.get(flat).copied().unwrap_or(true) {
            ctx.note(
                NoteKind::Ignored,
                T,
                Some(spec.key),
                None,
                Some(row.line),
                "此行重复出现，只取第一次".into(),
            );
            continue;
        }
        seen[flat] = true;
        label_note(ctx, T, row, spec.key, spec.label);
        if run_together(&row.cells, row.wanted) {
            runs.push((spec.key, run_text(ctx, &row.cells), run_place(&row.cells)));
            continue;
        }
        let mut printed_col = 0;
        for col in block.columns {
            if col.kind == ProactiveKind::Unit {
                let unit = row.cells.iter().find_map(|c| match &c.kind {
                    Kind::Num { unit: Some(u), .. } => Some(*u),
                    _ => None,
                });
                if let Some(u) = unit {
                    let _ = table.set(spec.key, col.key, Some(ProactiveValue::Text(u.to_owned())));
                }
                continue;
            }
            let item = row.cells.get(printed_col);
            printed_col += 1;
            let value = proactive_value(ctx, spec.key, col.key, col.kind, item, row.line);
            if item.is_none() && n == last_index && at_end {
                ctx.notes.push(Note::table(
                    NoteKind::Truncated,
                    T,
                    Some(row.line),
                    format!("文档在「{}」行中结束", spec.label),
                ));
            }
            let _ = table.set(spec.key, col.key, value);
        }
    }
    if !runs.is_empty() {
        let given: Vec<(&str, &str)> = runs.iter().map(|(k, t, _)| (*k, t.as_str())).collect();
        let split = split::split_proactive(template, &given, ctx.evidence);
        for (key, text, place) in &runs {
            take_split_row(ctx, T, &split, key, text, *place, |column, value| {
                let kind = blocks
                    .iter()
                    .flat_map(|b| b.columns.iter())
                    .find(|c| c.key == column)
                    .map(|c| c.kind);
                let v = match (value, kind) {
                    (SplitValue::Int(n), _) => ProactiveValue::Int(*n),
                    (SplitValue::Text(t), _) => ProactiveValue::Text(t.clone()),
                };
                table.set(key, column, Some(v)).is_ok()
            });
        }
        for n in &split.notes {
            ctx.note(NoteKind::Split, T, None, None, None, n.clone());
        }
    }
    // Rows never found.
    for (bi, block) in blocks.iter().enumerate() {
        for (ri, spec) in block.rows.iter().enumerate() {
            let flat = blocks[..bi].iter().map(|b| b.rows.len()).sum::<usize>() + ri;
            if !seen.get(flat).copied().unwrap_or(false) {
                ctx.note(
                    if at_end {
                        NoteKind::Truncated
                    } else {
                        NoteKind::RowMissing
                    },
                    T,
                    Some(spec.key),
                    None,
                    None,
                    if at_end {
                        format!("文档在「{}」行之前结束，此行各格记为 null", spec.label)
                    } else {
                        format!("未找到「{}」行，此行各格记为 null", spec.label)
                    },
                );
            }
        }
    }
    Some(table)
}

fn proactive_value(
    ctx: &mut Ctx<'_>,
    row: &'static str,
    column: &'static str,
    kind: ProactiveKind,
    item: Option<&Item>,
    label_line: usize,
) -> Option<ProactiveValue> {
    const T: Table = Table::Proactive;
    let Some(item) = item else {
        ctx.note(
            NoteKind::CellMissing,
            T,
            Some(row),
            Some(column),
            Some(label_line),
            "本行此格没有印出数字，记为 null".into(),
        );
        return None;
    };
    let printed = ctx.printed(item);
    let value = match (&item.kind, kind) {
        (Kind::Blank, _) => {
            ctx.provenance.push(Provenance {
                table: T,
                row,
                column,
                line: item.line,
                cols: (item.col, item.end),
                printed,
                how: How::Blank,
            });
            return None;
        }
        (Kind::Num { digits, .. }, ProactiveKind::Amount) if crate::model::is_amount(digits) => {
            Some(ProactiveValue::Text(digits.clone()))
        }
        (Kind::Num { digits, unit: None }, ProactiveKind::Count) => digits
            .parse::<u64>()
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .map(ProactiveValue::Int),
        (Kind::Num { digits, unit: None }, ProactiveKind::Change) => digits
            .trim_start_matches('+')
            .parse::<i64>()
            .ok()
            .map(ProactiveValue::Int),
        _ => None,
    };
    match value {
        Some(v) => {
            ctx.provenance.push(Provenance {
                table: T,
                row,
                column,
                line: item.line,
                cols: (item.col, item.end),
                printed,
                how: How::Read,
            });
            Some(v)
        }
        None => {
            ctx.note(
                NoteKind::CellUnreadable,
                T,
                Some(row),
                Some(column),
                Some(item.line),
                format!("「{printed}」不是此格应有的数字，记为 null"),
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

// ---------------------------------------------------------------------------------------------
// 表三

#[derive(Debug, Clone, Copy, PartialEq)]
enum AppTarget {
    Row(usize),
    /// A group label followed by numbers: a subtotal, or （六） printed as one row.
    Group(usize),
}

/// Whether 表三's rows show the 2021 template (the three （六） sub-rows).
pub fn applications_hint(items: &[Item]) -> Option<Template> {
    let text: String = items
        .iter()
        .filter(|i| matches!(i.kind, Kind::Text))
        .map(|i| i.norm.as_str())
        .collect();
    let sub_rows = Template::Y2021
        .application_rows()
        .iter()
        .filter(|r| {
            matches!(
                r.row,
                ApplicationRow::OtherNoCorrection | ApplicationRow::OtherFeeUnpaid
            )
        })
        .any(|r| text.contains(&super::normalize::key(r.label)));
    sub_rows.then_some(Template::Y2021)
}

/// Reads 表三 from its section's items.
pub fn applications(
    ctx: &mut Ctx<'_>,
    template: Template,
    items: &[Item],
    at_end: bool,
) -> Option<Applications> {
    const T: Table = Table::Applications;
    let specs = template.application_rows();
    let mut cands: Vec<Candidate<AppTarget>> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        cands.push(Candidate::new(spec.label, AppTarget::Row(i)));
        // 「（二）部分公开」 printed without its parenthetical note.
        if let Some((head, _)) = spec.label.split_once("（区分") {
            cands.push(Candidate::alias(head, AppTarget::Row(i)));
        }
        // 「属于国家秘密」 printed without its number (only the longer, distinctive labels).
        if spec.group.is_some()
            && let Some((_, body)) = spec.label.split_once('.')
            && body.chars().count() >= 4
        {
            cands.push(Candidate::alias(body, AppTarget::Row(i)));
        }
    }
    let mut groups: Vec<&'static str> = vec![RESULTS_LABEL];
    for spec in specs {
        if let Some(g) = spec.group
            && !groups.contains(&g)
        {
            groups.push(g);
        }
    }
    for (gi, g) in groups.iter().enumerate() {
        if !cands.iter().any(|c| c.key == super::normalize::key(g)) {
            cands.push(Candidate::new(g, AppTarget::Group(gi)));
        }
    }
    let mut rows = read_rows(items, &cands, |_| APPLICANT_COLUMNS.len());
    align_columns(ctx, T, &mut rows, |_| 0);
    prefer_complete(&mut rows);
    if !rows.iter().any(|r| matches!(r.target, AppTarget::Row(_))) {
        ctx.notes.push(Note::table(
            NoteKind::TableMissing,
            T,
            items.first().map(|i| i.line),
            if at_end {
                "文档在表三之前或表三表头处结束，未读到表三的任何一行".into()
            } else {
                "未找到表三的任何一行".into()
            },
        ));
        return None;
    }
    let mut table = Applications::new(template);
    let mut seen = vec![false; specs.len()];
    let mut group_six: Option<RowRead<AppTarget>> = None;
    let mut runs: Vec<Option<(String, Place)>> = vec![None; specs.len()];
    let last_row = rows.len() - 1;
    for (n, row) in rows.iter().enumerate() {
        let index = match row.target {
            AppTarget::Row(i) => i,
            AppTarget::Group(gi) => {
                let g = groups.get(gi).copied().unwrap_or("");
                let is_six = specs
                    .iter()
                    .any(|s| s.group == Some(g) && s.row == ApplicationRow::OtherOther);
                if is_six && group_six.is_none() {
                    group_six = Some(row.clone());
                } else if !row.cells.is_empty() {
                    ctx.note(
                        NoteKind::Ignored,
                        T,
                        None,
                        None,
                        Some(row.line),
                        format!("「{g}」后印有数字（小计行），格式中没有此行，未读入"),
                    );
                }
                continue;
            }
        };
        let Some(spec) = specs.get(index) else {
            continue;
        };
        if seen[index] {
            ctx.note(
                NoteKind::Ignored,
                T,
                Some(spec.key),
                None,
                Some(row.line),
                "此行重复出现，只取第一次".into(),
            );
            continue;
        }
        seen[index] = true;
        label_note(ctx, T, row, spec.key, spec.label);
        if run_together(&row.cells, row.wanted) {
            runs[index] = Some((run_text(ctx, &row.cells), run_place(&row.cells)));
            continue;
        }
        fill_counts(ctx, T, spec.key, row, table.row_mut(spec.row));
        if row.cells.len() < row.wanted && n == last_row && at_end {
            ctx.notes.push(Note::table(
                NoteKind::Truncated,
                T,
                Some(row.line),
                format!("文档在「{}」行中结束", spec.label),
            ));
        }
        if row.extra > 0 {
            ctx.note(
                NoteKind::Ignored,
                T,
                Some(spec.key),
                None,
                Some(row.line),
                format!("本行多出 {} 个数字，未读入", row.extra),
            );
        }
    }
    // （六）其他处理 printed as one row in a 2021 report: 3.其他 (corpus convention).
    if let Some(six) = group_six {
        let sub_rows_read = specs.iter().enumerate().any(|(i, s)| {
            seen[i]
                && matches!(
                    s.row,
                    ApplicationRow::OtherNoCorrection
                        | ApplicationRow::OtherFeeUnpaid
                        | ApplicationRow::OtherOther
                )
        });
        if let Some(i) = specs
            .iter()
            .position(|s| s.row == ApplicationRow::OtherOther)
            && !sub_rows_read
            && !six.cells.is_empty()
        {
            let spec = &specs[i];
            seen[i] = true;
            ctx.note(
                NoteKind::LabelVariant,
                T,
                Some(spec.key),
                None,
                Some(six.line),
                "（六）其他处理印作一行、没有三个子项：读入「3.其他」，另两行记为 null".into(),
            );
            if run_together(&six.cells, six.wanted) {
                runs[i] = Some((run_text(ctx, &six.cells), run_place(&six.cells)));
            } else {
                fill_counts(ctx, T, spec.key, &six, table.row_mut(spec.row));
            }
            for s in specs.iter().enumerate().filter(|(_, s)| {
                matches!(
                    s.row,
                    ApplicationRow::OtherNoCorrection | ApplicationRow::OtherFeeUnpaid
                )
            }) {
                seen[s.0] = true;
            }
        } else if !six.cells.is_empty() {
            ctx.note(
                NoteKind::Ignored,
                T,
                None,
                None,
                Some(six.line),
                "「（六）其他处理」后印有数字（小计），未读入".into(),
            );
        }
    }
    if runs.iter().any(Option::is_some) {
        let texts: Vec<String> = runs
            .iter()
            .map(|r| r.as_ref().map_or(String::new(), |r| r.0.clone()))
            .collect();
        // Rows read from their own cells are given as printed, so the identities can use them.
        let given: Vec<String> = specs
            .iter()
            .zip(&texts)
            .map(|(spec, t)| {
                if !t.is_empty() {
                    return t.clone();
                }
                table.row(spec.row).map_or(String::new(), |cells| {
                    if cells.iter().all(Option::is_some) {
                        cells
                            .iter()
                            .map(|c| c.unwrap_or(0).to_string())
                            .collect::<Vec<_>>()
                            .join(" ")
                    } else {
                        String::new()
                    }
                })
            })
            .collect();
        let refs: Vec<&str> = given.iter().map(String::as_str).collect();
        let split = split::split_applications(template, &refs, ctx.evidence);
        for (i, spec) in specs.iter().enumerate() {
            let Some((text, place)) = &runs[i] else {
                continue;
            };
            let slot = table.row_mut(spec.row);
            let mut values: [Option<u64>; 7] = [None; 7];
            take_split_row(
                ctx,
                T,
                &split,
                spec.key,
                text,
                *place,
                |column, value| match (
                    APPLICANT_COLUMNS.iter().position(|c| c.key == column),
                    value.count(),
                ) {
                    (Some(ci), Some(v)) => {
                        values[ci] = Some(v);
                        true
                    }
                    _ => false,
                },
            );
            if let Some(slot) = slot {
                *slot = values;
            }
        }
        for n in &split.notes {
            ctx.note(NoteKind::Split, T, None, None, None, n.clone());
        }
    }
    for (i, spec) in specs.iter().enumerate() {
        if !seen[i] {
            ctx.note(
                if at_end {
                    NoteKind::Truncated
                } else {
                    NoteKind::RowMissing
                },
                T,
                Some(spec.key),
                None,
                None,
                if at_end {
                    format!("文档在「{}」行之前结束，此行各格记为 null", spec.label)
                } else {
                    format!("未找到「{}」行，此行各格记为 null", spec.label)
                },
            );
        }
    }
    Some(table)
}

fn fill_counts<T>(
    ctx: &mut Ctx<'_>,
    table: Table,
    key: &'static str,
    row: &RowRead<T>,
    slot: Option<&mut [Option<u64>; 7]>,
) {
    let mut values = [None; 7];
    for (ci, col) in APPLICANT_COLUMNS.iter().enumerate() {
        values[ci] = count_of(ctx, table, key, col.key, row.cells.get(ci), row.line);
    }
    if let Some(slot) = slot {
        *slot = values;
    }
}

// ---------------------------------------------------------------------------------------------
// 表四

/// Reads 表四: the first run of fifteen cells after its headers (or fifteen cells' digits
/// printed run together).
pub fn appeals(ctx: &mut Ctx<'_>, items: &[Item], at_end: bool) -> Option<Appeals> {
    const T: Table = Table::Appeals;
    let cells_wanted = APPEAL_BLOCKS.len() * APPEAL_COLUMNS.len();
    // Groups of consecutive values. A new line that starts while the group holds only blanks
    // drops them: they padded the header row.
    // Each group notes whether it starts a line (a data row) or follows text on its line.
    let mut groups: Vec<(bool, Vec<Item>)> = Vec::new();
    let mut cur: Vec<Item> = Vec::new();
    let mut cur_starts_line = false;
    let mut prev_line = 0;
    for item in items {
        if item.is_value() {
            // Blanks after text on their line padded a header row; blanks that start a line
            // (one cell per line) are cells.
            if let Some(last) = cur.last()
                && last.line != item.line
                && !cur_starts_line
                && cur.iter().all(|c| matches!(c.kind, Kind::Blank))
            {
                cur.clear();
            }
            if cur.is_empty() {
                cur_starts_line = item.line != prev_line;
            }
            cur.push(item.clone());
        } else if !cur.is_empty() {
            groups.push((cur_starts_line, std::mem::take(&mut cur)));
        }
        prev_line = item.line;
    }
    if !cur.is_empty() {
        groups.push((cur_starts_line, cur));
    }
    let has_num = |g: &Vec<Item>| g.iter().any(|i| matches!(i.kind, Kind::Num { .. }));
    let groups: Vec<Vec<Item>> = groups
        .into_iter()
        .filter(|(starts_line, g)| has_num(g) || (*starts_line && g.len() >= cells_wanted))
        .map(|(_, g)| g)
        .collect();
    // A full row of cells (a row printing nothing at all is fifteen blanks on a line of its own).
    if let Some(g) = groups.iter().find(|g| g.len() >= cells_wanted) {
        let mut out = Appeals::default();
        for (bi, block) in APPEAL_BLOCKS.iter().enumerate() {
            for (ci, col) in APPEAL_COLUMNS.iter().enumerate() {
                let item = g.get(bi * APPEAL_COLUMNS.len() + ci);
                out.blocks[bi][ci] =
                    count_of(ctx, T, block.key, col.key, item, item.map_or(0, |i| i.line));
            }
        }
        if g.len() > cells_wanted
            && g[cells_wanted..]
                .iter()
                .any(|i| matches!(i.kind, Kind::Num { .. }))
        {
            ctx.note(
                NoteKind::Ignored,
                T,
                None,
                None,
                g.get(cells_wanted).map(|i| i.line),
                format!("表四数据行后多出 {} 格，未读入", g.len() - cells_wanted),
            );
        }
        return Some(out);
    }
    // Digits run together.
    if let Some(g) = groups.iter().find(|g| run_together(g, cells_wanted)) {
        let text = run_text(ctx, g);
        let place = run_place(g);
        let line = place.0;
        let split = split::split_appeals(&text, ctx.evidence);
        let mut out = Appeals::default();
        for (bi, block) in APPEAL_BLOCKS.iter().enumerate() {
            take_split_row(
                ctx,
                T,
                &split,
                block.key,
                &text,
                place,
                |column, value| match (
                    APPEAL_COLUMNS.iter().position(|c| c.key == column),
                    value.count(),
                ) {
                    (Some(ci), Some(v)) => {
                        out.blocks[bi][ci] = Some(v);
                        true
                    }
                    _ => false,
                },
            );
        }
        for n in &split.notes {
            ctx.note(NoteKind::Split, T, None, None, Some(line), n.clone());
        }
        return Some(out);
    }
    // A row cut short by the end of the document.
    if at_end && let Some(g) = groups.last().filter(|g| has_num(g) && g.len() > 1) {
        let mut out = Appeals::default();
        for (bi, block) in APPEAL_BLOCKS.iter().enumerate() {
            for (ci, col) in APPEAL_COLUMNS.iter().enumerate() {
                let item = g.get(bi * APPEAL_COLUMNS.len() + ci);
                out.blocks[bi][ci] = count_of(ctx, T, block.key, col.key, item, g[0].line);
            }
        }
        ctx.notes.push(Note::table(
            NoteKind::Truncated,
            T,
            Some(g[0].line),
            "文档在表四数据行中结束".into(),
        ));
        return Some(out);
    }
    ctx.notes.push(Note::table(
        NoteKind::TableMissing,
        T,
        items.first().map(|i| i.line),
        if at_end {
            "文档在表四数据行之前结束".into()
        } else {
            "未找到表四的数据行（15 格）".into()
        },
    ));
    None
}
