//! Markdown: a `#` title line, a `##` heading per table, and pipe tables. Markdown has no
//! merged cells, so each table is flattened without inventing cells: one label column (the
//! labels that start in the row, joined by a space: `（三）不予公开 1.属于国家秘密`) and the
//! number columns under one header row of leaf labels. 表二 becomes one small table per block,
//! after the block's title in bold. A narrative's parts are `##` sections of paragraphs (its
//! sub-heads `###`), its text as written: Markdown escapes would be read back as text.

use super::grid::{Cell, Grid};
use super::narrative::{self, Paragraph, Part};
use super::{NO_TABLE, sections, title_line};
use crate::model::AnnualReport;

/// The report as Markdown: its tables, and its narrative where it has one.
pub fn markdown(report: &AnnualReport) -> String {
    let mut out = format!("# {}\n", escape(&title_line(report)));
    parts(&mut out, &narrative::front(report));
    for (heading, grid) in sections(report) {
        out.push_str(&format!("\n## {heading}\n\n"));
        match grid {
            Some(grid) => table(&mut out, &grid),
            None => {
                out.push_str(NO_TABLE);
                out.push('\n');
            }
        }
    }
    parts(&mut out, &narrative::back(report));
    for (_, line) in narrative::closing(report) {
        out.push('\n');
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn parts(out: &mut String, parts: &[Part<'_>]) {
    for part in parts {
        if let Some(heading) = part.heading {
            out.push_str(&format!("\n## {heading}\n"));
        }
        for paragraph in &part.paragraphs {
            match paragraph {
                Paragraph::SubHead(line) => out.push_str(&format!("\n### {line}\n")),
                Paragraph::Text(line) => out.push_str(&format!("\n{line}\n")),
            }
        }
    }
}

fn table(out: &mut String, grid: &Grid) {
    if let Some(header) = &grid.flat_header {
        header_row(out, header);
    }
    for row in grid.rows.iter().skip(grid.header_rows) {
        let labels: Vec<&str> = row
            .iter()
            .filter(|c| c.header)
            .map(|c| c.text.as_str())
            .collect();
        let values: Vec<&Cell> = row.iter().filter(|c| !c.header).collect();
        match (labels.as_slice(), values.is_empty()) {
            // A title row of 表二: a new block follows.
            ([title], true) if grid.flat_header.is_none() => {
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str(&format!("**{}**\n\n", escape(title)));
            }
            // A header row of 表二's block.
            (_, true) => header_row(out, &labels),
            _ => {
                // 表四's number row has no label column.
                let mut cells = if labels.is_empty() {
                    Vec::new()
                } else {
                    vec![labels.join(" ")]
                };
                cells.extend(values.iter().map(|c| c.text.clone()));
                line(out, &cells);
            }
        }
    }
}

fn header_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    line(out, cells);
    out.push('|');
    out.push_str(&" --- |".repeat(cells.len()));
    out.push('\n');
}

fn line<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(&escape(cell.as_ref()));
        out.push_str(" |");
    }
    out.push('\n');
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|")
}
