//! 表三 (收到和处理政府信息公开申请情况): 23 or 25 rows of seven counts, read by their labels;
//! （六）其他处理 printed as one row in a 2021-template report goes to 3.其他.

use super::*;
use gongkai_core::format::APPLICANT_TOTAL;

#[derive(Debug, Clone, Copy, PartialEq)]
enum AppTarget {
    Row(usize),
    /// A group label followed by numbers: a subtotal, or （六） printed as one row.
    Group(usize),
    /// A row's label printed without its numbering where that is also a column name (`其他`,
    /// `总计`): the row only where the rows before it say so ([`resolve_bare`]).
    Bare(usize),
}

fn normalize_key(s: &str) -> String {
    crate::reader::normalize::key(s)
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
        .any(|r| text.contains(&crate::reader::normalize::key(r.label)));
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
        // 「其他」「总计」 printed without 3. or （七）: also column names, so read by context.
        if let Some(n) = numbering(&normalize_key(spec.label)) {
            let body: String = normalize_key(spec.label).chars().skip(n).collect();
            if body.chars().count() < 4 {
                cands.push(Candidate::alias(&body, AppTarget::Bare(i)));
            }
        }
        // 「本年新收政府信息公开申请数量」「予以公开」 printed without 一、 or （一）.
        if spec.group.is_none()
            && let Some(body) = spec
                .label
                .split_once('、')
                .map(|(_, b)| b)
                .or_else(|| spec.label.split_once('）').map(|(_, b)| b))
        {
            for b in [body, body.split_once('（').map_or(body, |(h, _)| h)] {
                if b.chars().count() >= 4 && !cands.iter().any(|c| c.key == normalize_key(b)) {
                    cands.push(Candidate::alias(b, AppTarget::Row(i)));
                }
            }
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
        if !cands
            .iter()
            .any(|c| c.key == crate::reader::normalize::key(g))
        {
            cands.push(Candidate::new(g, AppTarget::Group(gi)));
        }
    }
    let mut rows = read_rows(
        ctx,
        items,
        &cands,
        |_| APPLICANT_COLUMNS.len(),
        |t| matches!(t, AppTarget::Group(_)),
    );
    resolve_bare(ctx, &mut rows, specs, &groups);
    let names: Vec<&str> = APPLICANT_COLUMNS.iter().map(|c| c.label).collect();
    let header = header_columns(ctx, items, &names);
    align_columns(ctx, T, &mut rows, |_| 0, header.as_ref());
    align_lines(ctx, T, &mut rows);
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
    // Column-aligned text (several rows print several numbers on one line): there, a row with
    // fewer numbers than columns spread over lines (a number broken in a narrow cell, a lone
    // marker) cannot be placed; one cell per line is another matter.
    let layout_table = rows
        .iter()
        .filter(|r| r.cells.windows(2).any(|w| w[0].line == w[1].line))
        .count()
        >= 3;
    // Rows of layout text read by inference, kept because their own 总计 adds up.
    let mut inferred: Vec<(&'static str, ApplicationRow, usize)> = Vec::new();
    // Short rows the columns of the page could not place.
    let mut unplaced: Vec<place::Unplaced> = Vec::new();
    let mut group_six: Option<RowRead<AppTarget>> = None;
    let mut runs: Vec<Option<(String, Place)>> = vec![None; specs.len()];
    let last_row = rows.len() - 1;
    for (n, row) in rows.iter().enumerate() {
        let index = match row.target {
            AppTarget::Row(i) => i,
            // Resolved or dropped by `resolve_bare`.
            AppTarget::Bare(_) => continue,
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
            ctx.repeated_row(T, spec.key, row.line);
            continue;
        }
        seen[index] = true;
        label_note(ctx, T, row, spec.key, spec.label);
        if run_together(&row.cells, row.wanted) {
            runs[index] = Some((run_text(ctx, &row.cells), run_place(&row.cells)));
            continue;
        }
        if (unplaceable(&row.cells, row.wanted)
            || row.lines_unknown
            || (layout_table && short_over_lines(row)))
            && !(n == last_row && at_end)
        {
            note_unplaceable(ctx, T, spec.key, row);
            // Numbers in printed order, whole: placed by the identities below if they can be.
            if unplaceable(&row.cells, row.wanted) || row.lines_unknown {
                unplaced.push(place::Unplaced {
                    index,
                    line: row.line,
                    cells: row.cells.clone(),
                });
            }
            continue;
        }
        if inferred_from_layout(row) && !row_sum_holds(&row.cells) {
            ctx.note(
                NoteKind::CellUnreadable,
                T,
                Some(spec.key),
                None,
                Some(row.line),
                "本行的数字不与行标签同在一行或按列位置补了空格，而各数之和与总计不符：\
                 可能读错了行或列，整行记为 null"
                    .into(),
            );
            continue;
        }
        if inferred_from_layout(row) {
            inferred.push((spec.key, spec.row, row.line));
        }
        fill_counts(ctx, T, spec.key, row, table.row_mut(spec.row));
        if row.cells.len() < row.wanted && n == last_row && at_end {
            ctx.note(
                NoteKind::Truncated,
                T,
                Some(spec.key),
                None,
                Some(row.line),
                format!("文档在「{}」行中结束", spec.label),
            );
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
                ctx.note(
                    NoteKind::RowMissing,
                    T,
                    Some(s.1.key),
                    None,
                    Some(six.line),
                    "（六）其他处理印作一行，此子项没有单独印出，各格记为 null".into(),
                );
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
    // Rows whose label is printed alone: blank cells, not rows left out.
    let missing: Vec<(usize, Vec<String>)> = specs
        .iter()
        .enumerate()
        .filter(|(i, _)| !seen[*i])
        .map(|(i, _)| {
            let keys = cands
                .iter()
                .filter(|c| c.value == AppTarget::Row(i))
                .map(|c| c.key.clone())
                .collect();
            (i, keys)
        })
        .collect();
    if !missing.is_empty()
        && let Some(to) = last_value(&rows)
    {
        let from = rows
            .iter()
            .map(|r| r.line)
            .chain(header.as_ref().map(|h| h.line))
            .min()
            .unwrap_or(0);
        let columns: Vec<&'static str> = APPLICANT_COLUMNS.iter().map(|c| c.key).collect();
        for blank in labels_printed_blank(ctx, items, from, to, &missing) {
            if let Some(spec) = specs.get(blank.index) {
                seen[blank.index] = true;
                note_blank_row(ctx, T, spec.key, spec.label, &columns, &blank);
            }
        }
    }
    for (i, spec) in specs.iter().enumerate() {
        if !seen[i] {
            ctx.missing_row(T, spec.key, spec.label, at_end);
        }
    }
    // Short rows placed by the identities, jointly with every row read: kept, like rows read
    // by inference, only if the table adds up or no row was lost (below).
    let mut solved: Vec<&'static str> = Vec::new();
    if !unplaced.is_empty() {
        let placing = place::place_by_identities(ctx, T, &mut table, &unplaced);
        inferred.extend(placing.placed);
        solved = placing.solved;
    }
    // A wrapped label can hand a whole row of numbers to its neighbour: each row then adds up,
    // but the columns do not, and some row is left without its numbers. Where both are so, no
    // row read by inference is trusted: how far the numbers moved is unknown. (Columns that do
    // not add up while every row was read are what the report prints: the checks say so.)
    // A short row whose numbers fit the identities jointly with every row (though not in one
    // placement only) is not lost: its numbers are all there.
    let rows_lost = ctx.notes.iter().any(|n| {
        n.table == Some(T)
            && matches!(
                n.kind,
                NoteKind::CellUnreadable | NoteKind::Split | NoteKind::RowMissing
            )
            && !(is_unplaceable_note(n, T) && n.row.is_some_and(|r| solved.contains(&r)))
    });
    if !inferred.is_empty() && rows_lost && !columns_add_up(&table) {
        for (key, target, line) in inferred {
            if let Some(cells) = table.row_mut(target) {
                *cells = [None; 7];
            }
            ctx.provenance.retain(|p| !(p.table == T && p.row == key));
            ctx.note(
                NoteKind::CellUnreadable,
                T,
                Some(key),
                None,
                Some(line),
                "表三各列的勾稽关系不成立，而本行的数字不与行标签同在一行或按列位置补了空格：\
                 可能读错了行，整行记为 null"
                    .into(),
            );
        }
    }
    Some(table)
}

/// Whether every column of 表三 keeps the template's identities, a blank counting 0:
/// （七）总计 is the sum of the result rows, and 一 + 二 = （七）总计 + 四.
fn columns_add_up(table: &Applications) -> bool {
    let kinds: Vec<ApplicationRow> = table.rows().map(|(spec, _)| spec.row).collect();
    let cells: Vec<&[Option<u64>; 7]> = table.rows().map(|(_, cells)| cells).collect();
    place::column_identities(&kinds).iter().all(|identity| {
        identity
            .iter()
            .map(|&(r, c, coef)| coef * i128::from(cells[r][c].unwrap_or(0)))
            .sum::<i128>()
            == 0
    })
}

/// `其他` and `总计` are the header's column names as well as the labels of 3.其他 and （七）总计
/// printed without their numbering. Such a label is the row only in its place: `其他` right
/// after the （六） sub-rows or （六） itself, `总计` right after a result row; and only when what
/// was printed before it since the last value is nothing, a group label, or the end of the
/// previous row's wrapped label. Anywhere else (the header) it is dropped.
fn resolve_bare(
    ctx: &mut Ctx<'_>,
    rows: &mut Vec<RowRead<AppTarget>>,
    specs: &[gongkai_core::format::ApplicationRowSpec],
    groups: &[&'static str],
) {
    let group_keys: Vec<(usize, String)> = groups
        .iter()
        .enumerate()
        .flat_map(|(gi, g)| {
            let key = normalize_key(g);
            let body: String = key.chars().skip(numbering(&key).unwrap_or(0)).collect();
            [(gi, key), (gi, body)]
        })
        .filter(|(_, k)| !k.is_empty())
        .collect();
    let group_of = |row: ApplicationRow| {
        specs
            .iter()
            .find(|s| s.row == row)
            .and_then(|s| s.group)
            .and_then(|g| groups.iter().position(|x| *x == g))
    };
    let six = group_of(ApplicationRow::OtherOther);
    let mut prev: Option<AppTarget> = None;
    let mut keep = vec![true; rows.len()];
    for (n, row) in rows.iter_mut().enumerate() {
        let AppTarget::Bare(i) = row.target else {
            prev = Some(row.target);
            continue;
        };
        let Some(spec) = specs.get(i) else {
            keep[n] = false;
            continue;
        };
        let key = normalize_key(spec.label);
        let bare: String = key.chars().skip(numbering(&key).unwrap_or(0)).collect();
        let before = row.label.strip_suffix(bare.as_str());
        // The group printed just before it (`（六）其他处理` / `其他`).
        let after_group = |gi: Option<usize>| {
            before.is_some_and(|b| {
                group_keys
                    .iter()
                    .any(|(g, k)| Some(*g) == gi && b.ends_with(k.as_str()))
            })
        };
        let prev_spec = match prev {
            Some(AppTarget::Row(j)) => specs.get(j),
            _ => None,
        };
        let lead_ok = before.is_some_and(|b| {
            b.is_empty()
                || group_keys.iter().any(|(_, k)| b.ends_with(k.as_str()))
                || prev_spec.is_some_and(|p| normalize_key(p.label).ends_with(b))
        });
        let in_place = match spec.row {
            ApplicationRow::OtherOther => {
                after_group(six)
                    || matches!(prev, Some(AppTarget::Group(g)) if Some(g) == six)
                    || prev_spec.is_some_and(|p| {
                        matches!(
                            p.row,
                            ApplicationRow::OtherNoCorrection | ApplicationRow::OtherFeeUnpaid
                        )
                    })
            }
            ApplicationRow::TotalHandled => {
                // Group 0 is 三、本年度办理结果, printed before the result rows.
                matches!(prev, Some(AppTarget::Group(g)) if g > 0)
                    || prev_spec
                        .is_some_and(|p| p.row.is_result() && p.row != ApplicationRow::TotalHandled)
            }
            _ => false,
        };
        if lead_ok && in_place {
            row.target = AppTarget::Row(i);
            row.quality = Quality::Variant { printed: bare };
            prev = Some(row.target);
        } else {
            keep[n] = false;
            // A sentence's `其他1件` is no table row at all.
            if !row.in_sentence && row.cells.iter().any(|c| matches!(c.kind, Kind::Num { .. })) {
                ctx.note(
                    NoteKind::Ignored,
                    Table::Applications,
                    None,
                    None,
                    Some(row.line),
                    format!(
                        "「{bare}」后印有数字，但不在「{}」应在的位置（可能是表头的列名），未读入",
                        spec.label
                    ),
                );
            }
        }
    }
    let mut k = 0;
    rows.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// Whether a row prints fewer cells than it has columns, on more than one line.
fn short_over_lines<T>(row: &RowRead<T>) -> bool {
    row.cells.len() < row.wanted
        && !row.cells.iter().any(|c| c.piped)
        && row.cells.windows(2).any(|w| w[0].line != w[1].line)
}

/// Whether a row of column-aligned text was read by inference rather than straight off one
/// line: its numbers sit on another line than its label (a wrapped label), blanks were put in
/// by column positions, or numbers were left over. Such a reading is trusted only if the row's
/// own identity holds.
fn inferred_from_layout<T>(row: &RowRead<T>) -> bool {
    // Column-aligned text prints several numbers on a line; one cell per line is no layout.
    let layout = row.cells.windows(2).any(|w| w[0].line == w[1].line);
    !row.cells.iter().any(|c| c.piped)
        && (row.extra > 0
            || layout
                && (row.cells.iter().any(|c| c.line != row.line)
                    || row
                        .cells
                        .iter()
                        .any(|c| matches!(c.kind, Kind::Blank) && c.norm.is_empty())))
}

/// Whether the row's 总计 is the sum of its six applicant cells, a blank counting 0. A row
/// short of cells or with a cell that is no count is not judged here.
fn row_sum_holds(cells: &[Item]) -> bool {
    let value = |i: &Item| match &i.kind {
        Kind::Num { digits, .. } => digits.parse::<u64>().ok(),
        Kind::Blank => Some(0),
        _ => None,
    };
    // A blank 总计 counts 0 like any blank: numbers placed beside a blank total do not add up.
    let (Some(total), true) = (
        cells.get(APPLICANT_TOTAL),
        cells.len() == APPLICANT_COLUMNS.len(),
    ) else {
        return true;
    };
    let parts: Option<Vec<u64>> = cells[..APPLICANT_TOTAL].iter().map(value).collect();
    match (parts, value(total)) {
        (Some(parts), Some(total)) => {
            parts.iter().try_fold(0u64, |a, v| a.checked_add(*v)) == Some(total)
        }
        _ => true,
    }
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

#[cfg(test)]
mod tests {
    use crate::reader::{NoteKind, read_text};
    use gongkai_core::format::ApplicationRow;

    /// 3.其他 and （七）总计 printed as `其他` and `总计`, every other label without its number.
    const BARE: &str = include_str!(
        "../../../tests/data/variants/2025_shushan_jiaotiju_label_typos_ideospace.txt"
    );
    /// pdftotext -layout of a PDF whose blank cells print nothing.
    const LAYOUT: &str = include_str!("../../../tests/data/variants/2022_hekou_sfj_pdf_layout.txt");

    fn row(text: &str, row: ApplicationRow) -> Option<[Option<u64>; 7]> {
        let read = read_text(text).ok()?;
        read.report.applications?.row(row).copied()
    }

    fn without(text: &str, line_start: &str) -> String {
        text.lines()
            .filter(|l| !l.starts_with(line_start))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn bare_other_and_total_read_after_their_rows() {
        assert_eq!(
            row(BARE, ApplicationRow::OtherOther),
            Some([
                Some(0),
                Some(6),
                Some(1),
                Some(0),
                Some(0),
                Some(0),
                Some(7)
            ])
        );
        assert_eq!(
            row(BARE, ApplicationRow::TotalHandled),
            Some([
                Some(70),
                Some(23),
                Some(2),
                Some(1),
                Some(2),
                Some(2),
                Some(100)
            ])
        );
        // Right after （六） itself, its sub-rows 1 and 2 not printed.
        let no_sub_rows = without(&without(BARE, "申请人无正当理由"), "申请人逾期未按");
        assert_eq!(
            row(&no_sub_rows, ApplicationRow::OtherOther).map(|r| r[6]),
            Some(Some(7))
        );
    }

    #[test]
    fn bare_other_and_total_elsewhere_are_not_those_rows() {
        // `其他` after （五）'s rows and `总计` before the result rows: not 3.其他, not （七）总计.
        let moved: String = BARE
            .lines()
            .filter(|l| !l.starts_with("其他　") && !l.starts_with("总计　"))
            .flat_map(|l| {
                let mut out = vec![l.to_owned()];
                if l.starts_with("二、上年结转") {
                    out.push("总计　70　23　2　1　2　2　100".into());
                }
                if l.starts_with("要求行政机关确认") {
                    out.push("其他　0　6　1　0　0　0　7".into());
                }
                out
            })
            .collect::<Vec<_>>()
            .join("\n");
        let read = read_text(&moved).ok();
        let apps = read.as_ref().and_then(|r| r.report.applications.as_ref());
        assert_eq!(
            apps.and_then(|a| a.row(ApplicationRow::OtherOther)),
            Some(&[None; 7])
        );
        assert_eq!(
            apps.and_then(|a| a.row(ApplicationRow::TotalHandled)),
            Some(&[None; 7])
        );
        let ignored = read.map_or(0, |r| {
            r.notes
                .iter()
                .filter(|n| n.kind == NoteKind::Ignored)
                .count()
        });
        assert_eq!(ignored, 2);
    }

    fn kinds(text: &str, key: &str) -> Vec<NoteKind> {
        read_text(text).map_or(Vec::new(), |r| {
            r.notes
                .iter()
                .filter(|n| n.row == Some(key))
                .map(|n| n.kind)
                .collect()
        })
    }

    #[test]
    fn a_label_printed_alone_in_the_table_is_a_row_of_blanks() {
        // `1.属于国家秘密` alone on its line, in the table.
        assert_eq!(
            kinds(LAYOUT, "withheld_state_secret"),
            [NoteKind::CellMissing]
        );
        let read = read_text(LAYOUT).ok();
        assert!(read.is_some_and(|r| {
            r.unread
                .iter()
                .all(|u| u.cell.row != "withheld_state_secret")
        }));
        let blank = BARE.replace("属于国家 秘密　0　0　0　0　0　0　0", "1.属于国家秘密");
        assert_eq!(
            kinds(&blank, "withheld_state_secret"),
            [NoteKind::CellMissing]
        );
        assert_eq!(
            row(&blank, ApplicationRow::WithheldStateSecret),
            Some([None; 7])
        );
    }

    #[test]
    fn a_label_quoted_by_the_narrative_is_no_printed_row() {
        let dropped = without(BARE, "属于国家 秘密");
        assert_eq!(
            kinds(&dropped, "withheld_state_secret"),
            [NoteKind::RowMissing]
        );
        // Before the table, after it, and inside it with its figure: still not printed.
        for (after, sentence) in [
            ("三、收到和处理", "本年度无1.属于国家秘密的情形。"),
            ("五、存在的主要问题", "1.属于国家秘密"),
            ("不予公开", "其中1.属于国家秘密0件"),
        ] {
            let text: String = dropped
                .lines()
                .flat_map(|l| {
                    let mut out = vec![l.to_owned()];
                    if l.starts_with(after) {
                        out.push(sentence.to_owned());
                    }
                    out
                })
                .collect::<Vec<_>>()
                .join("\n");
            assert_eq!(
                kinds(&text, "withheld_state_secret"),
                [NoteKind::RowMissing],
                "{sentence}"
            );
        }
    }
}
