//! Plain text in the seed's style: the title line, the section headings, and one line per
//! table row with its cells (merged cells once, where they start) joined by ` | ` and closed
//! by ` |` — as HTML tables flattened one `<tr>` per line. A blank cell stays empty.

use super::{NO_TABLE, sections, title_line};
use crate::model::AnnualReport;

/// The report's tables as plain text.
pub fn text(report: &AnnualReport) -> String {
    let mut out = title_line(report);
    out.push('\n');
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
    out
}
