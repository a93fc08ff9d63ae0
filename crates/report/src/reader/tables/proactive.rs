//! 表二 (主动公开政府信息情况): its blocks' rows, read by their labels; amounts with their unit.

use super::*;

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
            .filter(|l| text.contains(&crate::reader::normalize::key(l)))
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
    let mut rows = read_rows(ctx, items, &cands, |&(bi, _)| printed_cols(bi), |_| false);
    align_columns(ctx, T, &mut rows, |&(bi, _)| bi, None);
    align_lines(ctx, T, &mut rows);
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
            ctx.repeated_row(T, spec.key, row.line);
            continue;
        }
        seen[flat] = true;
        label_note(ctx, T, row, spec.key, spec.label);
        if run_together(&row.cells, row.wanted) {
            runs.push((spec.key, run_text(ctx, &row.cells), run_place(&row.cells)));
            continue;
        }
        if (unplaceable(&row.cells, row.wanted) || row.lines_unknown)
            && !(n == last_index && at_end)
        {
            note_unplaceable(ctx, T, spec.key, row);
            continue;
        }
        let mut printed_col = 0;
        let mut cut_noted = false;
        for col in block.columns {
            if col.kind == ProactiveKind::Unit {
                let unit = row.cells.iter().find_map(|c| match &c.kind {
                    Kind::Num { unit: Some(u), .. } => Some(*u),
                    _ => None,
                });
                let amount = block
                    .columns
                    .iter()
                    .rev()
                    .skip_while(|c| c.key != col.key)
                    .find(|c| c.kind == ProactiveKind::Amount);
                // Only an amount printed has a unit printed with it.
                let amount_printed = amount
                    .and_then(|a| {
                        block
                            .columns
                            .iter()
                            .filter(|c| c.kind != ProactiveKind::Unit)
                            .position(|c| c.key == a.key)
                    })
                    .and_then(|i| row.cells.get(i))
                    .is_some_and(|c| matches!(c.kind, Kind::Num { .. }));
                let unit = unit.or_else(|| {
                    if !amount_printed {
                        return None;
                    }
                    let u = header_unit(items, row, amount?.label)?;
                    ctx.note(
                        NoteKind::Meta,
                        T,
                        Some(spec.key),
                        Some(col.key),
                        Some(row.line),
                        format!(
                            "金额格未印单位，表头「{}」后印有单位：读作{u}",
                            amount?.label
                        ),
                    );
                    Some(u)
                });
                if let Some(u) = unit {
                    let _ = table.set(spec.key, col.key, Some(ProactiveValue::Text(u.to_owned())));
                }
                continue;
            }
            let item = row.cells.get(printed_col);
            printed_col += 1;
            let value = proactive_value(ctx, spec.key, col.key, col.kind, item, row.line);
            if item.is_none() && n == last_index && at_end && !cut_noted {
                cut_noted = true;
                ctx.note(
                    NoteKind::Truncated,
                    T,
                    Some(spec.key),
                    None,
                    Some(row.line),
                    format!("文档在「{}」行中结束", spec.label),
                );
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
    // Rows whose label is printed alone: blank cells, not rows left out.
    let flat_of =
        |bi: usize, ri: usize| blocks[..bi].iter().map(|b| b.rows.len()).sum::<usize>() + ri;
    let mut missing: Vec<(usize, Vec<String>)> = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        for ri in 0..block.rows.len() {
            let flat = flat_of(bi, ri);
            if !seen.get(flat).copied().unwrap_or(true) {
                let keys = cands
                    .iter()
                    .filter(|c| c.value == (bi, ri))
                    .map(|c| c.key.clone())
                    .collect();
                missing.push((flat, keys));
            }
        }
    }
    if !missing.is_empty()
        && let Some(to) = last_value(&rows)
    {
        let from = rows.iter().map(|r| r.line).min().unwrap_or(0);
        for blank in labels_printed_blank(ctx, items, from, to, &missing) {
            for (bi, block) in blocks.iter().enumerate() {
                for (ri, spec) in block.rows.iter().enumerate() {
                    if flat_of(bi, ri) != blank.index {
                        continue;
                    }
                    let columns: Vec<&'static str> = block
                        .columns
                        .iter()
                        .filter(|c| c.kind != ProactiveKind::Unit)
                        .map(|c| c.key)
                        .collect();
                    if let Some(s) = seen.get_mut(blank.index) {
                        *s = true;
                    }
                    note_blank_row(ctx, T, spec.key, spec.label, &columns, &blank);
                }
            }
        }
    }
    // Rows never found.
    for (bi, block) in blocks.iter().enumerate() {
        for (ri, spec) in block.rows.iter().enumerate() {
            let flat = blocks[..bi].iter().map(|b| b.rows.len()).sum::<usize>() + ri;
            if !seen.get(flat).copied().unwrap_or(false) {
                ctx.missing_row(T, spec.key, spec.label, at_end);
            }
        }
    }
    Some(table)
}

/// The unit of an amount column printed in its header (`采购总金额（万元）`,
/// `采购总金额（单位：元）`): the header is the text printed since the last value before the
/// row's first cell, and the unit is bracketed right after the column's name.
fn header_unit<T>(items: &[Item], row: &RowRead<T>, column: &str) -> Option<&'static str> {
    let before = |i: &Item| match row.cells.first() {
        Some(c) => (i.line, i.col) < (c.line, c.col),
        None => i.line <= row.line,
    };
    let mut texts: Vec<&str> = Vec::new();
    for item in items.iter().rev().skip_while(|i| !before(i)) {
        match item.kind {
            Kind::Num { .. } => break,
            Kind::Blank => {}
            Kind::Text | Kind::Heading(_) => texts.push(&item.norm),
        }
    }
    texts.reverse();
    let header: String = texts.concat();
    let name = crate::reader::normalize::key(column);
    let (_, rest) = header.rsplit_once(name.as_str())?;
    let rest = rest
        .strip_prefix('(')?
        .trim_start_matches("单位")
        .trim_start_matches(':');
    if rest.starts_with("万元)") {
        Some("万元")
    } else if rest.starts_with("元)") {
        Some("元")
    } else {
        None
    }
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
        ctx.cell_missing(T, (row, column), label_line);
        return None;
    };
    let printed = ctx.printed(item);
    let value = match (&item.kind, kind) {
        (Kind::Blank, _) => {
            ctx.read_from(T, (row, column), item, printed, How::Blank);
            return None;
        }
        (Kind::Num { digits, .. }, ProactiveKind::Amount) if crate::model::is_amount(digits) => {
            Some(ProactiveValue::Text(digits.clone()))
        }
        (Kind::Num { digits, unit: None }, ProactiveKind::Count) if !leading_zero(digits) => digits
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
            ctx.read_from(T, (row, column), item, printed, How::Read);
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

#[cfg(test)]
mod tests {
    use crate::model::ProactiveValue;
    use crate::reader::read_text;

    /// A 2019-template report whose 采购总金额 header prints the unit and the cell does not.
    const TABS: &str =
        include_str!("../../../tests/data/variants/2020_yiling_shijianju_2019tpl_tabs_words.txt");

    #[test]
    fn a_count_with_a_leading_zero_is_not_read_in_table_two_either() {
        let text = TABS.replace("规章\t0\t0\t0", "规章\t0\t00\t0");
        assert_ne!(text, TABS);
        let read = read_text(&text).expect("reads");
        let proactive = read.report.proactive.expect("表二");
        assert_eq!(proactive.get("regulations", "new_published"), None);
        assert_eq!(
            proactive.get("regulations", "new_made"),
            Some(&ProactiveValue::Int(0))
        );
    }

    fn unit(text: &str) -> Option<ProactiveValue> {
        let read = read_text(text).ok()?;
        read.report
            .proactive?
            .get("procurement", "amount_unit")
            .cloned()
    }

    #[test]
    fn the_unit_printed_in_the_header_is_the_amounts() {
        assert_eq!(unit(TABS), Some(ProactiveValue::Text("万元".into())));
        let yuan = TABS.replace("采购总金额（万元）", "采购总金额（单位：元）");
        assert_eq!(unit(&yuan), Some(ProactiveValue::Text("元".into())));
        // No unit printed: none read.
        assert_eq!(
            unit(&TABS.replace("采购总金额（万元）", "采购总金额")),
            None
        );
        // The cell's own unit is the one printed with the amount.
        let both = TABS.replace("\t123.45", "\t123.45元");
        assert_eq!(unit(&both), Some(ProactiveValue::Text("元".into())));
        // No amount printed, no unit printed with it.
        assert_eq!(unit(&TABS.replace("\t12\t123.45", "\t12\t")), None);
    }
}
