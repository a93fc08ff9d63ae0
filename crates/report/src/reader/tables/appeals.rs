//! 表四 (政府信息公开行政复议、行政诉讼情况): one row of fifteen counts after its headers.

use super::*;

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
    // A full row of cells (a row printing nothing at all is fifteen blanks on a line of its own;
    // but a converter's empty header row is that too: a full row that prints numbers wins).
    let full = groups
        .iter()
        .find(|g| g.len() >= cells_wanted && has_num(g))
        .or_else(|| groups.iter().find(|g| g.len() >= cells_wanted));
    if let Some(g) = full {
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
    // Fewer numbers than cells, on one line: blank cells printed as nothing. The header's
    // columns on the same page place each number, where they establish every one.
    let names: Vec<&str> = APPEAL_BLOCKS
        .iter()
        .flat_map(|_| APPEAL_COLUMNS.iter().map(|c| c.label))
        .collect();
    if let Some(g) = groups.iter().find(|g| has_num(g))
        && let Some(line) = one_layout_line(g)
        && let Some(header) = header_columns(ctx, items, &names)
        && {
            let pages = pages(ctx);
            page_of(&pages, header.line) == page_of(&pages, line)
        }
        && let Some(placed) = place_by_header(g, &header.anchors)
    {
        let cells = with_blanks(placed, &header.anchors, line);
        ctx.notes.push(Note::table(
            NoteKind::Meta,
            T,
            Some(line),
            format!(
                "表四数据行只印出 {} 个数字：按表头的列位置对齐，未印数字的格为空白（null）",
                g.len()
            ),
        ));
        let mut out = Appeals::default();
        for (bi, block) in APPEAL_BLOCKS.iter().enumerate() {
            for (ci, col) in APPEAL_COLUMNS.iter().enumerate() {
                let item = cells.get(bi * APPEAL_COLUMNS.len() + ci);
                out.blocks[bi][ci] = count_of(ctx, T, block.key, col.key, item, line);
            }
        }
        return Some(out);
    }
    // Fewer numbers than cells, set apart as columns, and no header to take the columns from.
    if let Some(g) = groups.iter().find(|g| has_num(g)) {
        ctx.notes.push(Note::table(
            NoteKind::CellUnreadable,
            T,
            g.first().map(|i| i.line),
            format!(
                "表四数据行只印出 {} 格，少于 {cells_wanted} 格：无法确定各数字所属的列，表四记为 null",
                g.len()
            ),
        ));
        return None;
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
