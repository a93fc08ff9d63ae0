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

use super::labels::{Candidate, Quality, numbering, tail_match};
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

    /// Records that the cell `table.row.column` was read from `item`, printed as `printed`.
    fn read_from(
        &mut self,
        table: Table,
        (row, column): (&'static str, &'static str),
        item: &Item,
        printed: String,
        how: How,
    ) {
        self.provenance.push(Provenance {
            table,
            row,
            column,
            line: item.line,
            cols: (item.col, item.end),
            printed,
            how,
        });
    }

    /// A cell its row did not print (the row is short): null, with a note at the label's line.
    fn cell_missing(
        &mut self,
        table: Table,
        (row, column): (&'static str, &'static str),
        label_line: usize,
    ) {
        self.note(
            NoteKind::CellMissing,
            table,
            Some(row),
            Some(column),
            Some(label_line),
            "本行此格没有印出数字，记为 null".into(),
        );
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
    /// The text the label was matched at the end of (what was printed since the last value).
    label: String,
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

/// Text of one layout line is one item (`sections` joins it, for headings and labels with a
/// space inside); wrapped labels are rebuilt from the pieces the spaces set apart, so those
/// are split again here, each with its own columns. The concatenated text is unchanged.
fn layout_pieces(ctx: &Ctx<'_>, items: &[Item]) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(line) = ctx.lines.get(item.line.wrapping_sub(1)) else {
            out.push(item.clone());
            continue;
        };
        if item.piped || !matches!(item.kind, Kind::Text) || item.end > line.len() + 1 {
            out.push(item.clone());
            continue;
        }
        let start = item.col.saturating_sub(1);
        let span = &line[start..item.end.saturating_sub(1).max(start)];
        let mut pieces: Vec<Item> = Vec::new();
        let mut k = 0;
        while k < span.len() {
            if span[k].is_whitespace() {
                k += 1;
                continue;
            }
            let s = k;
            while k < span.len() && !span[k].is_whitespace() {
                k += 1;
            }
            let text: String = span[s..k].iter().collect();
            pieces.push(Item {
                kind: Kind::Text,
                norm: crate::reader::normalize::key(&text),
                line: item.line,
                col: item.col + s,
                end: item.col + k,
                piped: false,
            });
        }
        let joined: String = pieces.iter().map(|p| p.norm.as_str()).collect();
        if pieces.len() > 1 && joined == item.norm {
            out.extend(pieces);
        } else {
            out.push(item.clone());
        }
    }
    out
}

/// Walks the items, finding rows by their labels and giving each the values that follow.
fn read_rows<T: Clone>(
    ctx: &Ctx<'_>,
    items: &[Item],
    cands: &[Candidate<T>],
    wanted: impl Fn(&T) -> usize,
    is_group: impl Fn(&T) -> bool,
) -> Vec<RowRead<T>> {
    let items = &layout_pieces(ctx, items)[..];
    let mut out: Vec<RowRead<T>> = Vec::new();
    let mut pending = String::new();
    let mut pending_line = 0;
    let mut current: Option<usize> = None;
    // Text items of `pending`, and pieces already taken into a rebuilt label (below).
    let mut pending_items: Vec<usize> = Vec::new();
    let mut consumed = vec![false; items.len()];
    for (idx, item) in items.iter().enumerate() {
        if consumed[idx] {
            continue;
        }
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
                pending_items.push(idx);
            }
            Kind::Num { .. } | Kind::Blank => {
                if !pending.is_empty() {
                    let found = match rebuild_label(items, &pending_items, idx, cands, &is_group) {
                        Some((target, used)) => {
                            for u in used {
                                consumed[u] = true;
                            }
                            Some((target, Quality::Exact))
                        }
                        None => tail_match(&pending, cands),
                    };
                    match found {
                        Some((target, quality)) => {
                            let w = wanted(&target);
                            out.push(RowRead {
                                target,
                                quality,
                                label: pending.clone(),
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
                    pending_items.clear();
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

/// Most pieces a wrapped label is rebuilt from, and most steps of the search.
const MAX_PIECES: usize = 40;
const MAX_STEPS: usize = 2000;

/// Column-aligned text wraps a long label over several lines and prints the row's numbers
/// beside one of them, the middle one as often as the first or last; pieces of a wrapped group
/// label (`（六）其` … `他处理`) or of the vertical `三、本年度办理结果` fall between. The label
/// is rebuilt from whole pieces: from a numbered piece before the numbers (`4.保护第三`),
/// through the pieces after it and those printed after the numbers up to the next numbers,
/// taking a piece only where the label goes on with it and skipping the others. Only a label
/// spelled out exactly counts; anything less is left to [`tail_match`].
///
/// The label nearest the numbers wins (rows printed without numbers come before it), except
/// that a row's label wrapped around a group's label (`2.申请人逾期…缴纳费` / `（六）其他处理` /
/// `用、行政机关…`) is the row's, not the group's. Returns the target and the pieces after the
/// numbers that the label took.
fn rebuild_label<T: Clone>(
    items: &[Item],
    pending: &[usize],
    at: usize,
    cands: &[Candidate<T>],
    is_group: &impl Fn(&T) -> bool,
) -> Option<(T, Vec<usize>)> {
    if pending.iter().any(|&i| items[i].piped) {
        return None;
    }
    let keys: Vec<&str> = cands
        .iter()
        .map(|c| c.key.as_str())
        .filter(|k| numbering(k).is_some())
        .collect();
    // What the numbers are followed by, up to the next numbers.
    let mut after: Vec<usize> = Vec::new();
    let mut j = at;
    while items.get(j).is_some_and(Item::is_value) {
        j += 1;
    }
    while items
        .get(j)
        .is_some_and(|i| matches!(i.kind, Kind::Text) && !i.piped)
    {
        if after.len() >= MAX_PIECES {
            break;
        }
        after.push(j);
        j += 1;
    }
    let mut steps = MAX_STEPS;
    // (start, target, pieces taken), from the start nearest the numbers.
    let mut chosen: Option<(usize, T, Vec<usize>)> = None;
    for (si, &start) in pending.iter().enumerate().rev() {
        let n = items[start].norm.as_str();
        if numbering(n).is_none() || !keys.iter().any(|k| k.starts_with(n)) {
            continue;
        }
        let pieces: Vec<usize> = pending[si + 1..]
            .iter()
            .chain(&after)
            .copied()
            .take(MAX_PIECES)
            .collect();
        let mut used = Vec::new();
        let Some(key) = extend_label(n, items, &pieces, &keys, &mut used, &mut steps) else {
            continue;
        };
        let Some(target) = cands.iter().find(|c| c.key == key).map(|c| c.value.clone()) else {
            continue;
        };
        // A label complete before the numbers and followed by more text (`三、本年度办理结果` /
        // `予以公开 11 …`) is not the numbers' label.
        let last = used.last().copied().unwrap_or(start);
        if last < at && pending.iter().any(|&p| p > last && !used.contains(&p)) {
            continue;
        }
        match &chosen {
            None => chosen = Some((start, target, used)),
            Some((c, t, _)) => {
                if is_group(t) && !is_group(&target) && used.iter().any(|u| u > c) {
                    chosen = Some((start, target, used));
                }
            }
        }
    }
    let (_, target, mut used) = chosen?;
    used.retain(|&u| u > at);
    Some((target, used))
}

/// Depth-first: the first key spelled by `acc` and a subsequence of `pieces`, taking a piece
/// before skipping it. `used` holds the pieces taken.
fn extend_label<'k>(
    acc: &str,
    items: &[Item],
    pieces: &[usize],
    keys: &[&'k str],
    used: &mut Vec<usize>,
    steps: &mut usize,
) -> Option<&'k str> {
    if let Some(k) = keys.iter().find(|k| **k == acc) {
        return Some(k);
    }
    let (&first, rest) = pieces.split_first()?;
    if *steps == 0 {
        return None;
    }
    *steps -= 1;
    let next = format!("{acc}{}", items[first].norm);
    if keys.iter().any(|k| k.starts_with(next.as_str())) {
        used.push(first);
        if let Some(k) = extend_label(&next, items, rest, keys, used, steps) {
            return Some(k);
        }
        used.pop();
    }
    extend_label(acc, items, rest, keys, used, steps)
}

/// A row found printed with every cell blank.
struct BlankRow {
    /// Index of the row among those asked about.
    index: usize,
    /// Where its label starts.
    line: usize,
    col: usize,
}

/// Layout text prints nothing for a blank cell, so a row whose cells are all blank is its
/// label alone. Of the rows not found (`missing`: index and the keys its label may be printed
/// as), those whose label is printed whole inside the table — on or after line `from` and
/// before the last value of the table's rows, `to` — with no value between its pieces nor
/// right after it on its line. A label quoted by a sentence (before or after the table, or
/// with its figure after it) does not count.
fn labels_printed_blank(
    ctx: &Ctx<'_>,
    items: &[Item],
    from: usize,
    to: (usize, usize),
    missing: &[(usize, Vec<String>)],
) -> Vec<BlankRow> {
    let pieces = layout_pieces(ctx, items);
    let mut found: Vec<BlankRow> = Vec::new();
    let mut steps = MAX_STEPS;
    for (k, start) in pieces.iter().enumerate() {
        if !matches!(start.kind, Kind::Text)
            || start.piped
            || start.norm.is_empty()
            || start.line < from
            || (start.line, start.col) >= to
        {
            continue;
        }
        // The text after it, up to the next value.
        let after: Vec<usize> = (k + 1..pieces.len())
            .take_while(|&j| matches!(pieces[j].kind, Kind::Text) && !pieces[j].piped)
            .take(MAX_PIECES)
            .collect();
        for (index, keys) in missing {
            if found.iter().any(|f| f.index == *index) {
                continue;
            }
            let keys: Vec<&str> = keys
                .iter()
                .map(String::as_str)
                .filter(|key| key.starts_with(start.norm.as_str()))
                .collect();
            if keys.is_empty() {
                continue;
            }
            let mut used = Vec::new();
            if extend_label(&start.norm, &pieces, &after, &keys, &mut used, &mut steps).is_none() {
                continue;
            }
            let last = used.last().copied().unwrap_or(k);
            let end = &pieces[last];
            // A value printed right after the label on its line is the label's figure.
            let figure = pieces
                .get(last + 1)
                .is_some_and(|n| n.is_value() && n.line == end.line);
            if figure || (end.line, end.col) >= to {
                continue;
            }
            found.push(BlankRow {
                index: *index,
                line: start.line,
                col: start.col,
            });
        }
    }
    found
}

/// Notes a row whose label is printed with nothing after it: its cells are blank (null), not
/// a row the report left out.
fn note_blank_row(
    ctx: &mut Ctx<'_>,
    table: Table,
    key: &'static str,
    label: &str,
    columns: &[&'static str],
    at: &BlankRow,
) {
    for &column in columns {
        ctx.provenance.push(Provenance {
            table,
            row: key,
            column,
            line: at.line,
            cols: (at.col, at.col),
            printed: String::new(),
            how: How::Blank,
        });
    }
    ctx.note(
        NoteKind::CellMissing,
        table,
        Some(key),
        None,
        Some(at.line),
        format!("「{label}」行只印出行标签、各格没有印出数字：各格为空白（null）"),
    );
}

/// Where the last value of the rows was printed.
fn last_value<T>(rows: &[RowRead<T>]) -> Option<(usize, usize)> {
    rows.iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| (c.line, c.col))
        .max()
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
/// A printed blank marker (`/`, `—`) stands in its column like a number: a row that mixes them
/// with cells printed as nothing is placed by position too, never filled from the left.
fn one_layout_line(cells: &[Item]) -> Option<usize> {
    let first = cells.first()?;
    cells
        .iter()
        .all(|c| {
            c.line == first.line
                && !c.piped
                && match c.kind {
                    Kind::Num { .. } => true,
                    Kind::Blank => !c.norm.is_empty(),
                    _ => false,
                }
        })
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

/// Column positions of a table's header as printed in layout text.
struct Header {
    /// The centre of each column's name, left to right.
    anchors: Vec<f64>,
    /// The line the header starts on.
    line: usize,
}

/// The header's columns, when every name of `names` (left to right; a name may repeat, as in
/// 表四) is printed in the text before the first number, as one piece (`自然人`) or stacked one
/// piece a line at one position (`自`/`然`/`人`, the header of a narrow column), and nothing
/// else spells one of them.
fn header_columns(ctx: &Ctx<'_>, items: &[Item], names: &[&str]) -> Option<Header> {
    let first_value = items.iter().position(Item::is_value).unwrap_or(items.len());
    let pieces = layout_pieces(ctx, &items[..first_value]);
    let pieces: Vec<&Item> = pieces
        .iter()
        .filter(|i| matches!(i.kind, Kind::Text) && !i.piped)
        .collect();
    let mut distinct: Vec<&str> = names.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    // (centre, name, first line) of every stack that spells a name.
    let mut found: Vec<(f64, &str, usize)> = Vec::new();
    for (k, p) in pieces.iter().enumerate() {
        for name in &distinct {
            if p.norm.is_empty() || !name.starts_with(p.norm.as_str()) {
                continue;
            }
            let x = center(p);
            let mut acc = p.norm.clone();
            let mut last = p.line;
            let mut xs = vec![x];
            for q in &pieces[k + 1..] {
                if acc == *name || q.line > last + 3 {
                    break;
                }
                if q.line > last
                    && (center(q) - x).abs() <= 1.0
                    && name[acc.len()..].starts_with(q.norm.as_str())
                {
                    acc.push_str(&q.norm);
                    last = q.line;
                    xs.push(center(q));
                }
            }
            if acc == *name {
                found.push((xs.iter().sum::<f64>() / xs.len() as f64, name, p.line));
            }
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let spelled: Vec<&str> = found.iter().map(|f| f.1).collect();
    (spelled == names).then(|| Header {
        anchors: found.iter().map(|f| f.0).collect(),
        line: found.iter().map(|f| f.2).min().unwrap_or(0),
    })
}

/// The page of each line: pdftotext ends a page with a form feed, and lays out each page on
/// its own grid, so columns are compared only within a page.
fn pages(ctx: &Ctx<'_>) -> Vec<usize> {
    let mut page = 0;
    ctx.lines
        .iter()
        .map(|l| {
            page += l.iter().filter(|&&c| c == '\u{c}').count();
            page
        })
        .collect()
}

/// The page of a 1-based line.
fn page_of(pages: &[usize], line: usize) -> usize {
    pages
        .get(line.wrapping_sub(1))
        .or(pages.last())
        .copied()
        .unwrap_or(0)
}

/// Each cell under the header's column nearest its centre, in order: within 3 characters,
/// and at least one character nearer than the next column (else the column is not
/// established, and `None`).
fn place_by_header(cells: &[Item], anchors: &[f64]) -> Option<Vec<Option<Item>>> {
    let mut placed: Vec<Option<Item>> = vec![None; anchors.len()];
    let mut last: Option<usize> = None;
    for cell in cells {
        let x = center(cell);
        let mut by_distance: Vec<(usize, f64)> = anchors
            .iter()
            .enumerate()
            .map(|(j, a)| (j, (a - x).abs()))
            .collect();
        by_distance.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (j, d) = *by_distance.first()?;
        let second = by_distance.get(1).map_or(f64::INFINITY, |s| s.1);
        if d > 3.0 || second - d < 1.0 || last.is_some_and(|l| j <= l) {
            return None;
        }
        placed[j] = Some(cell.clone());
        last = Some(j);
    }
    Some(placed)
}

/// Placed cells with blank items where nothing was printed.
fn with_blanks(placed: Vec<Option<Item>>, anchors: &[f64], line: usize) -> Vec<Item> {
    placed
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
        .collect()
}

/// Column-aligned text prints nothing where a cell is blank: a row with fewer numbers than
/// columns is placed by the columns of the nearest full row of the same table part (`group`)
/// on its page, when every number sits under one of its columns, or else by the columns of the
/// table's header printed on that page. The other cells are then blank.
fn align_columns<T>(
    ctx: &mut Ctx<'_>,
    table: Table,
    rows: &mut [RowRead<T>],
    group: impl Fn(&T) -> usize,
    header: Option<&Header>,
) {
    let pages = pages(ctx);
    let page = |line: usize| page_of(&pages, line);
    // Columns exist only where each row has a line of its own: in text that prints several
    // rows on one line (a crawler's whole body on one line), character positions say nothing
    // about columns.
    let mut rows_on_line: std::collections::HashMap<usize, usize> = Default::default();
    for r in rows.iter() {
        if let Some(first) = r.cells.first() {
            *rows_on_line.entry(first.line).or_default() += 1;
        }
    }
    let one_layout_line =
        |cells: &[Item]| one_layout_line(cells).filter(|l| rows_on_line.get(l) == Some(&1));
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
    let clustered = |g: usize, pg: usize, at: fn(&Item) -> f64, wanted: usize| {
        let mut xs: Vec<f64> = rows
            .iter()
            .filter(|r| {
                group(&r.target) == g && one_layout_line(&r.cells).is_some_and(|l| page(l) == pg)
            })
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
                .collect::<Vec<f64>>()
        })
    };
    let end_of: fn(&Item) -> f64 = |c| c.end as f64;
    let center_of: fn(&Item) -> f64 = center;
    let mut by_group: Vec<((usize, usize), Vec<Columns>)> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| !r.cells.is_empty() && r.cells.len() < r.wanted)
    {
        let Some(line) = one_layout_line(&r.cells) else {
            continue;
        };
        let gp = (group(&r.target), page(line));
        if by_group.iter().any(|(bg, _)| *bg == gp) {
            continue;
        }
        let mut found = Vec::new();
        if let Some(a) = clustered(gp.0, gp.1, end_of, r.wanted) {
            found.push((a, end_of));
        }
        if let Some(a) = clustered(gp.0, gp.1, center_of, r.wanted) {
            found.push((a, center_of));
        }
        by_group.push((gp, found));
    }
    // A table has a few dozen rows; thousands are not a table (and would cost quadratic time).
    if rows.len() > MAX_ROWS {
        return;
    }
    for row in rows.iter_mut() {
        // A sentence's figure (`0件`) is no short row to place: `prefer_complete` drops it.
        if row.cells.is_empty() || row.cells.len() >= row.wanted || row.in_sentence {
            continue;
        }
        let Some(line) = one_layout_line(&row.cells) else {
            continue;
        };
        let g = group(&row.target);
        let pg = page(line);
        let mut options: Vec<Columns> = Vec::new();
        if let Some((_, _, a)) = full
            .iter()
            .filter(|(fg, fl, a)| {
                *fg == g && *fl != line && page(*fl) == pg && a.len() == row.wanted
            })
            .min_by_key(|(_, fl, _)| fl.abs_diff(line))
        {
            options.push((a.clone(), center_of));
        }
        if let Some((_, found)) = by_group.iter().find(|(bg, _)| *bg == (g, pg)) {
            options.extend(found.iter().filter(|(a, _)| a.len() == row.wanted).cloned());
        }
        let by_rows = options
            .into_iter()
            .find_map(|(a, at)| place(&row.cells, &a, at).map(|p| (a, p)));
        let by_header = || {
            let h = header.filter(|h| h.anchors.len() == row.wanted && page(h.line) == pg)?;
            place_by_header(&row.cells, &h.anchors).map(|p| (h.anchors.clone(), p))
        };
        let (how, (anchors, placed)) = match by_rows {
            Some(p) => ("上下行", p),
            None => match by_header() {
                Some(p) => ("表头", p),
                None => continue,
            },
        };
        let cells = with_blanks(placed, &anchors, line);
        ctx.notes.push(Note {
            kind: NoteKind::Meta,
            table: Some(table),
            row: None,
            column: None,
            line: Some(line),
            message: format!(
                "本行只印出 {} 个数字：按{how}的列位置对齐，未印数字的格为空白（null）",
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
        if row.cells.is_empty()
            || row.cells.len() >= row.wanted
            || row.in_sentence
            || !own_lines(ctx, &row.cells)
        {
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

/// Whether `note` is the one [`note_unplaceable`] writes for a row of `table` (its message is
/// the only thing that tells it from other row-level `CellUnreadable` notes).
fn is_unplaceable_note(note: &Note, table: Table) -> bool {
    note.kind == NoteKind::CellUnreadable
        && note.table == Some(table)
        && note.column.is_none()
        && note.message.starts_with("本行只印出")
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

/// `00`, `0192`: no count is printed with a leading zero; two cells ran into one.
fn leading_zero(digits: &str) -> bool {
    digits.len() > 1 && digits.starts_with('0')
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
        ctx.cell_missing(table, (row, column), label_line);
        return None;
    };
    let printed = ctx.printed(item);
    let unreadable = |ctx: &mut Ctx<'_>, why: String| {
        ctx.note(
            NoteKind::CellUnreadable,
            table,
            Some(row),
            Some(column),
            Some(item.line),
            why,
        );
        None
    };
    match &item.kind {
        Kind::Num { digits, unit: None } if leading_zero(digits) => unreadable(
            ctx,
            format!("「{printed}」以 0 开头，不是一个件数（可能是两格连在一起），记为 null"),
        ),
        Kind::Num { digits, unit: None } if digits.bytes().all(|b| b.is_ascii_digit()) => {
            let Ok(v) = digits.parse::<u64>() else {
                return unreadable(ctx, format!("「{printed}」超出可读范围，记为 null"));
            };
            ctx.read_from(table, (row, column), item, printed, How::Read);
            Some(v)
        }
        Kind::Blank => {
            ctx.read_from(table, (row, column), item, printed, How::Blank);
            None
        }
        _ => unreadable(ctx, format!("「{printed}」不是件数（非负整数），记为 null")),
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
mod place;
mod proactive;

pub use appeals::appeals;
pub use applications::{applications, applications_hint};
pub use proactive::{proactive, template_hint};
