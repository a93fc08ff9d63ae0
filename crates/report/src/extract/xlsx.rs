//! XLSX: each worksheet, in the workbook's order, into an HTML fragment the reader's HTML path
//! reads. The leading rows of a sheet that hold one cell, alone or merged across the row (a
//! title, a section heading, a note such as `（本报告无此表）`), become `<p>` lines, the rest of the sheet one `<table>`, merged
//! regions as `colspan`/`rowspan`. Numbers print as their cell's number format shows them —
//! decimals and a quoted unit (`0.00"万元"`) — so `1.50` reads as printed, not as `1.5`.
//!
//! A sheet whose used area exceeds [`MAX_SHEET_CELLS`] is refused, and so is a workbook whose
//! parts declare more than [`super::MAX_XML_BYTES`] in all.

use std::collections::BTreeMap;
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
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let cells = sheet_cells(&mut book, &name)?;
        // The extent of what the sheet prints, merged regions included.
        let (mut rows, mut cols) = (0u32, 0u32);
        for &(r, c) in cells.keys() {
            rows = rows.max(r.saturating_add(1));
            cols = cols.max(c.saturating_add(1));
        }
        for m in &merges {
            rows = rows.max(m.end.0.saturating_add(1));
            cols = cols.max(m.end.1.saturating_add(1));
        }
        if u64::from(rows) * u64::from(cols) > MAX_SHEET_CELLS {
            return Err(ExtractError::SheetTooLarge {
                sheet: name,
                limit: MAX_SHEET_CELLS,
            });
        }
        let sheet = Sheet { rows, cols, merges };
        let text = |pos: (u32, u32)| cells.get(&pos).cloned().unwrap_or_default();
        sheet.html(&text, &mut lines);
    }
    Ok(lines.join("\n"))
}

/// A sheet's non-empty cells as printed, read in one streaming pass (values with their style's
/// number format). Sparse, so a far-away cell costs nothing before the extent is judged; more
/// than [`MAX_SHEET_CELLS`] of them is refused.
fn sheet_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
) -> Result<BTreeMap<(u32, u32), String>, ExtractError> {
    let mut reader = book.worksheet_cells_reader(name).map_err(bad)?;
    let mut cells = BTreeMap::new();
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(bad)? {
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        let format = reader
            .styles()
            .get(style)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.as_str());
        let text = cell_text(&value, format);
        if text.trim().is_empty() {
            continue;
        }
        cells.insert(cell.get_position(), text);
        if cells.len() as u64 > MAX_SHEET_CELLS {
            return Err(ExtractError::SheetTooLarge {
                sheet: name.to_owned(),
                limit: MAX_SHEET_CELLS,
            });
        }
    }
    Ok(cells)
}

/// Refuses a workbook whose parts declare more than the limit uncompressed: calamine holds the
/// shared strings and styles whole, so a ZIP bomb must be stopped before it.
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
        // Leading rows of one cell: the sheet's title and headings.
        while r < self.rows {
            let filled: Vec<u32> = (0..self.cols)
                .filter(|&c| !text((r, c)).trim().is_empty())
                .collect();
            // A title merged across the row is still a line; a cell spanning rows is a table's.
            let spans_rows = self
                .merges
                .iter()
                .any(|m| (m.start.0..=m.end.0).contains(&r) && m.end.0 > m.start.0);
            match filled.as_slice() {
                [] if !spans_rows => {}
                [c] if !spans_rows => {
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

    #[test]
    fn leading_lines_become_paragraphs_and_merges_become_spans() {
        // A subordinate's sheet: a title merged across, a blank row, then a table whose first
        // cell spans two rows.
        let sheet = Sheet {
            rows: 5,
            cols: 3,
            merges: vec![
                Dimensions {
                    start: (0, 0),
                    end: (0, 2),
                },
                Dimensions {
                    start: (2, 0),
                    end: (3, 0),
                },
            ],
        };
        let cells = |pos: (u32, u32)| -> String {
            match pos {
                (0, 0) => "某局2022年政府信息公开工作年度报告".into(),
                (2, 0) => "A<B".into(),
                (2, 1) => "自然人".into(),
                (3, 1) => "5".into(),
                _ => String::new(),
            }
        };
        let mut lines = Vec::new();
        sheet.html(&cells, &mut lines);
        assert_eq!(
            lines,
            [
                "<p>某局2022年政府信息公开工作年度报告</p>",
                "<table>\n<tr><td rowspan=\"2\">A&lt;B</td><td>自然人</td><td></td></tr>\n\
                 <tr><td>5</td><td></td></tr>\n<tr><td></td><td></td><td></td></tr>\n</table>",
            ]
        );
    }

    #[test]
    fn other_files_are_refused_with_their_reason() {
        assert!(matches!(
            xlsx_text(b"abc"),
            Err(ExtractError::NotZip { .. })
        ));
        let docx = crate::render::docx::docx(&crate::AnnualReport::new(
            gongkai_core::format::Template::Y2021,
        ))
        .expect("docx");
        assert!(!is_xlsx(&docx));
        assert!(matches!(
            xlsx_text(&docx),
            Err(ExtractError::BadWorkbook { .. })
        ));
    }

    #[test]
    fn a_sheet_larger_than_any_report_is_refused() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "标题").expect("write");
        sheet.write_string(999_999, 10, "远处").expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        assert!(is_xlsx(&bytes));
        assert!(matches!(
            xlsx_text(&bytes),
            Err(ExtractError::SheetTooLarge { .. })
        ));
    }
}
