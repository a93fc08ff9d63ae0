//! 表三 (收到和处理政府信息公开申请情况): 23 or 25 rows of seven counts, read by their labels;
//! （六）其他处理 printed as one row in a 2021-template report goes to 3.其他.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum AppTarget {
    Row(usize),
    /// A group label followed by numbers: a subtotal, or （六） printed as one row.
    Group(usize),
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
            ctx.repeated_row(T, spec.key, row.line);
            continue;
        }
        seen[index] = true;
        label_note(ctx, T, row, spec.key, spec.label);
        if run_together(&row.cells, row.wanted) {
            runs[index] = Some((run_text(ctx, &row.cells), run_place(&row.cells)));
            continue;
        }
        if (unplaceable(&row.cells, row.wanted) || row.lines_unknown) && !(n == last_row && at_end)
        {
            note_unplaceable(ctx, T, spec.key, row);
            continue;
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
    for (i, spec) in specs.iter().enumerate() {
        if !seen[i] {
            ctx.missing_row(T, spec.key, spec.label, at_end);
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
