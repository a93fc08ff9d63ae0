//! XLSX: each worksheet, in the workbook's order, into an HTML fragment the reader's HTML path
//! reads. The leading rows of a sheet that hold one unmerged cell (a title, a section heading, a
//! note such as `（本报告无此表）`) become `<p>` lines, the rest of the sheet one `<table>`, merged
//! regions as `colspan`/`rowspan`. Numbers print as their cell's number format shows them —
//! decimals and a quoted unit (`0.00"万元"`) — so `1.50` reads as printed, not as `1.5`.
//!
//! A sheet whose used area exceeds [`MAX_SHEET_CELLS`] is refused, and so is a workbook whose
//! parts declare more than [`super::MAX_XML_BYTES`] in all.

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Xlsx};

use super::ExtractError;

/// Largest used area of one sheet read, in cells: a report's sheets have a few hundred.
pub const MAX_SHEET_CELLS: u64 = 1_000_000;

/// Whether `bytes` are a ZIP archive holding an Excel workbook (`xl/workbook.xml`).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(Cursor::new(bytes))
            .is_ok_and(|z| z.index_for_name("xl/workbook.xml").is_some())
}

fn bad(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::BadWorkbook {
        message: e.to_string(),
    }
}

/// The sheets of a workbook as an HTML fragment: paragraph lines and one table per sheet.
pub fn xlsx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ExtractError::NotZip {
            message: "文件开头没有 ZIP 标记（PK\\x03\\x04）".to_owned(),
        });
    }
    declared_size_within_limit(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let mut lines = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(bad)?;
        let Some((last_row, last_col)) = range.end() else {
            continue; // an empty sheet
        };
        let cells = (u64::from(last_row) + 1) * (u64::from(last_col) + 1);
        if cells > MAX_SHEET_CELLS {
            return Err(ExtractError::SheetTooLarge {
                sheet: name,
                limit: MAX_SHEET_CELLS,
            });
        }
        let merges = book.merge_cells_by_sheet_name(&name).ok();
        let styles = book.worksheet_style(&name).ok();
        let format = |pos: (u32, u32)| {
            styles
                .as_ref()
                .and_then(|s| s.get(pos))
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.clone())
        };
        let sheet = Sheet {
            rows: last_row + 1,
            cols: last_col + 1,
            merges: merges.unwrap_or_default(),
        };
        let text = |pos: (u32, u32)| {
            range
                .get_value(pos)
                .map(|v| cell_text(v, format(pos).as_deref()))
                .unwrap_or_default()
        };
        sheet.html(&text, &mut lines);
    }
    Ok(lines.join("\n"))
}

/// Refuses a workbook whose parts declare more than the limit uncompressed: calamine inflates
/// sheets whole, so a ZIP bomb must be stopped before it.
fn declared_size_within_limit(bytes: &[u8]) -> Result<(), ExtractError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::NotZip {
            message: e.to_string(),
        })?;
    // The central directory's sizes: parts written with data descriptors have them there too.
    let mut declared = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(bad)?;
        declared = declared.saturating_add(part.size());
    }
    if declared > super::MAX_XML_BYTES {
        return Err(ExtractError::WorkbookTooLarge {
            limit_mib: super::MAX_XML_BYTES / (1024 * 1024),
        });
    }
    Ok(())
}

/// A cell as its number format prints it. Only the forms a report's numbers take are honoured:
/// a fixed count of decimals (`0`, `0.00`, `#,##0.0`) and quoted text after them; anything else
/// prints the number plainly.
fn cell_text(value: &Data, format: Option<&str>) -> String {
    match value {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => float_text(*f, format),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn float_text(value: f64, format: Option<&str>) -> String {
    let plain = || {
        if value.fract() == 0.0 && value.abs() < 1e15 {
            format!("{value:.0}")
        } else {
            value.to_string()
        }
    };
    let Some(code) = format.and_then(|c| c.split(';').next()) else {
        return plain();
    };
    let number_part: String = code
        .chars()
        .filter(|c| matches!(c, '0' | '#' | ',' | '.'))
        .collect();
    if !number_part.contains('0') {
        return plain();
    }
    let decimals = number_part
        .split_once('.')
        .map_or(0, |(_, f)| f.chars().filter(|&c| c == '0').count());
    let mut out = format!("{value:.decimals$}");
    // Quoted literals, as `0.0"万元"` prints the unit after the number.
    for (i, part) in code.split('"').enumerate() {
        if i % 2 == 1 {
            out.push_str(part);
        }
    }
    out
}

/// A sheet's extent and merged regions.
struct Sheet {
    rows: u32,
    cols: u32,
    merges: Vec<Dimensions>,
}

impl Sheet {
    /// The merged region starting at `pos`, or `None`; and whether `pos` is covered by one that
    /// starts elsewhere.
    fn merge_at(&self, pos: (u32, u32)) -> (Option<&Dimensions>, bool) {
        let mut covered = false;
        for m in &self.merges {
            if m.start == pos {
                return (Some(m), false);
            }
            covered |=
                (m.start.0..=m.end.0).contains(&pos.0) && (m.start.1..=m.end.1).contains(&pos.1);
        }
        (None, covered)
    }

    fn html(&self, text: &dyn Fn((u32, u32)) -> String, lines: &mut Vec<String>) {
        let mut r = 0;
        // Leading rows of one unmerged cell: the sheet's title and headings.
        while r < self.rows {
            let filled: Vec<u32> = (0..self.cols)
                .filter(|&c| !text((r, c)).trim().is_empty())
                .collect();
            let merged = (0..self.cols).any(|c| {
                let (starts, covered) = self.merge_at((r, c));
                starts.is_some() || covered
            });
            match filled.as_slice() {
                [] if !merged => {}
                [c] if !merged => {
                    let mut line = String::from("<p>");
                    escape(text((r, *c)).trim(), &mut line);
                    line.push_str("</p>");
                    lines.push(line);
                }
                _ => break,
            }
            r += 1;
        }
        if r >= self.rows {
            return;
        }
        let mut out = String::from("<table>\n");
        for row in r..self.rows {
            out.push_str("<tr>");
            for c in 0..self.cols {
                let (starts, covered) = self.merge_at((row, c));
                if covered {
                    continue;
                }
                out.push_str("<td");
                if let Some(m) = starts {
                    let colspan = m.end.1.saturating_sub(m.start.1) + 1;
                    let rowspan = m.end.0.saturating_sub(m.start.0) + 1;
                    if colspan > 1 {
                        out.push_str(&format!(" colspan=\"{colspan}\""));
                    }
                    if rowspan > 1 {
                        out.push_str(&format!(" rowspan=\"{rowspan}\""));
                    }
                }
                out.push('>');
                escape(text((row, c)).trim(), &mut out);
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>");
        lines.push(out);
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_with_their_formats_decimals_and_unit() {
        assert_eq!(float_text(1.5, Some("0.00")), "1.50");
        assert_eq!(float_text(3.2, Some("0.0\"万元\"")), "3.2万元");
        assert_eq!(float_text(1234.0, Some("#,##0")), "1234");
        assert_eq!(float_text(7.0, Some("General")), "7");
        assert_eq!(float_text(7.25, None), "7.25");
    }
}
