//! Plain text in the seed's style: the title line, the section headings, and one line per
//! table row with its cells (merged cells once, where they start) joined by ` | ` and closed
//! by ` |` — as HTML tables flattened one `<tr>` per line. A blank cell stays empty. With a
//! narrative, the whole report as the seed prints it: the opening and part 一 before the
//! tables, parts 五 and 六 after them, then signature and date, one paragraph per line.

use super::narrative::{self, Paragraph, Part};
use super::{NO_TABLE, sections, title_line};
use crate::model::AnnualReport;

/// The report as plain text: its tables, and its narrative where it has one.
pub fn text(report: &AnnualReport) -> String {
    let mut out = title_line(report);
    out.push('\n');
    parts(&mut out, &narrative::front(report));
    for (heading, grid) in sections(report) {
        out.push_str(heading);
        out.push('\n');
        let Some(grid) = grid else {
            out.push_str(NO_TABLE);
            out.push('\n');
            continue;
        };
        for row in &grid.rows {
            let cells: Vec<String> = row.iter().map(|c| c.text.replace('|', "｜")).collect();
            out.push_str(&cells.join(" | "));
            out.push_str(" |\n");
        }
    }
    parts(&mut out, &narrative::back(report));
    for (_, line) in narrative::closing(report) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn parts(out: &mut String, parts: &[Part<'_>]) {
    for part in parts {
        if let Some(heading) = part.heading {
            out.push_str(heading);
            out.push('\n');
        }
        for paragraph in &part.paragraphs {
            let (Paragraph::SubHead(line) | Paragraph::Text(line)) = paragraph;
            out.push_str(line);
            out.push('\n');
        }
    }
}
