//! The report as an Excel workbook (rust_xlsxwriter): one sheet per table — 表二, 表三, 表四 —
//! each headed by the title line (organ and year) and the section heading, the table laid out
//! from [`super::grid`] with its merged header and label cells as the template prints them; a
//! fourth sheet, 正文, holds the narrative when the report has one.
//!
//! Numbers are numbers: a count is written as an integer, an amount as a number whose format
//! shows the decimals as printed (`24252.311082` keeps six, `1.50` two) and the unit printed
//! beside it (`0.0"万元"`). A printed value that a number cannot carry exactly (more digits than
//! a double holds, leading zeros) stays text, since a printed number is never changed. A blank
//! cell is an empty cell. gongkai's reader reads the workbook back (`extract::xlsx_text`).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::document::{Block, blocks};
use super::grid::Grid;
use super::{NO_TABLE, sections, title_line};
use crate::model::AnnualReport;

/// The sheets' names, one per table in printed order (31 characters at most, as Excel allows).
pub const SHEETS: [&str; 3] = ["表二 主动公开", "表三 申请处理", "表四 复议诉讼"];

/// The narrative's sheet.
pub const NARRATIVE_SHEET: &str = "正文";

/// The sheet of the narrative's parts after the tables (五, 六, signature and date): the
/// sheets follow the document's order, so a reader going sheet by sheet meets the parts where
/// the report prints them.
pub const NARRATIVE_BACK_SHEET: &str = "正文（续）";

/// The workbook could not be written (a text longer than a cell holds, 32,767 characters).
#[derive(Debug, thiserror::Error)]
#[error("写入 XLSX 文件失败：{0}")]
pub struct XlsxExportError(#[from] XlsxError);

/// First row of a table: under the title, the heading and a blank row.
const TABLE_ROW: u32 = 3;

/// The report as XLSX bytes.
pub fn xlsx(report: &AnnualReport) -> Result<Vec<u8>, XlsxExportError> {
    let mut book = Workbook::new();
    let styles = Styles::new();
    let title = title_line(report);
    if report.narrative.is_some() {
        narrative(
            book.add_worksheet(),
            NARRATIVE_SHEET,
            report,
            Half::Front,
            &styles,
        )?;
    }
    for ((heading, grid), name) in sections(report).into_iter().zip(SHEETS) {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_paper_size(9); // A4
        // One page wide when printed: 表三's ten and 表四's fifteen columns.
        sheet.set_print_fit_to_pages(1, 0);
        // With a narrative the title heads its first sheet, once, as the document prints it.
        if report.narrative.is_none() {
            sheet.write_string_with_format(0, 0, &title, &styles.title)?;
        }
        sheet.write_string_with_format(1, 0, heading, &styles.heading)?;
        match grid {
            Some(grid) => table(sheet, &grid, &styles)?,
            None => {
                sheet.write_string(TABLE_ROW, 0, NO_TABLE)?;
            }
        }
    }
    if report.narrative.is_some() {
        narrative(
            book.add_worksheet(),
            NARRATIVE_BACK_SHEET,
            report,
            Half::Back,
            &styles,
        )?;
    }
    Ok(book.save_to_buffer()?)
}

struct Styles {
    title: Format,
    heading: Format,
    label: Format,
    value: Format,
    text: Format,
    closing: Format,
}

impl Styles {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Styles {
            title: Format::new().set_bold().set_font_size(16),
            heading: Format::new().set_bold().set_font_size(12),
            label: cell.clone().set_bold(),
            value: cell,
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            closing: Format::new().set_align(FormatAlign::Right),
        }
    }
}

/// Column widths in characters: label columns wide, number columns narrow.
fn column_widths(grid: &Grid) -> Vec<f64> {
    let labels: &[f64] = match grid.width {
        4 => &[24.0],
        10 => &[8.0, 12.0, 30.0],
        _ => &[],
    };
    let number = if grid.width == 15 { 9.0 } else { 14.0 };
    labels
        .iter()
        .copied()
        .chain(std::iter::repeat(number))
        .take(grid.width)
        .collect()
}

fn table(sheet: &mut Worksheet, grid: &Grid, styles: &Styles) -> Result<(), XlsxError> {
    for (c, width) in column_widths(grid).into_iter().enumerate() {
        sheet.set_column_width(col(c), width)?;
    }
    for (r, c, cell) in grid.positions() {
        let (row, column) = (TABLE_ROW + row_num(r), col(c));
        let base = if cell.header {
            &styles.label
        } else {
            &styles.value
        };
        let value = (!cell.header).then(|| number(&cell.text)).flatten();
        let format = match &value {
            Some((_, code)) => base.clone().set_num_format(code),
            None => base.clone(),
        };
        if cell.colspan > 1 || cell.rowspan > 1 {
            let last_row = row + row_num(cell.rowspan.saturating_sub(1));
            let last_col = column + col(cell.colspan.saturating_sub(1));
            // A merged range holds text; a number goes into its first cell afterwards.
            let text = if value.is_some() { "" } else { &cell.text };
            sheet.merge_range(row, column, last_row, last_col, text, &format)?;
            if let Some((n, _)) = value {
                sheet.write_number_with_format(row, column, n, &format)?;
            }
            continue;
        }
        match value {
            Some((n, _)) => sheet.write_number_with_format(row, column, n, &format)?,
            None if cell.text.is_empty() => sheet.write_blank(row, column, &format)?,
            None => sheet.write_string_with_format(row, column, &cell.text, &format)?,
        };
    }
    Ok(())
}

/// Which narrative sheet: the blocks before the first table, or those after the last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    Front,
    Back,
}

/// A narrative sheet: the title and parts before the tables (opening, 一), or the parts after
/// them (五, 六, the signature and the date), one per row; the tables stand on their own sheets.
fn narrative(
    sheet: &mut Worksheet,
    name: &str,
    report: &AnnualReport,
    half: Half,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.set_paper_size(9);
    sheet.set_column_width(0, 100)?;
    let all = blocks(report);
    let is_table = |b: &Block| {
        matches!(b, Block::Table(_) | Block::NoTable(_))
            || matches!(b, Block::Heading(h) if is_table_heading(h))
    };
    let first = all.iter().position(is_table).unwrap_or(all.len());
    let last = all.iter().rposition(is_table).map_or(all.len(), |i| i + 1);
    let range = match half {
        Half::Front => &all[..first],
        Half::Back => &all[last.max(first)..],
    };
    let mut row = 0;
    for block in range {
        let (text, format) = match block {
            Block::Title(t) => (t.as_str(), &styles.title),
            Block::Heading(h) if is_table_heading(h) => continue,
            Block::Heading(h) => (*h, &styles.heading),
            Block::Paragraph(p) => (p.as_str(), &styles.text),
            Block::Closing(c) => (c.as_str(), &styles.closing),
            Block::Table(_) | Block::NoTable(_) => continue,
        };
        sheet.write_string_with_format(row, 0, text, format)?;
        row += 1;
    }
    Ok(())
}

fn is_table_heading(heading: &str) -> bool {
    use gongkai_core::format::title;
    [title::PROACTIVE, title::APPLICATIONS, title::APPEALS].contains(&heading)
}

/// A printed value as a number and the format that prints it the same: digits (with a sign and
/// decimals) and an optional unit after them. `None` for text a number would not print back
/// digit for digit.
fn number(text: &str) -> Option<(f64, String)> {
    let end = text
        .char_indices()
        .find(|&(i, ch)| !(ch.is_ascii_digit() || ch == '.' || (i == 0 && ch == '-')))
        .map_or(text.len(), |(i, _)| i);
    let (digits, unit) = text.split_at(end);
    if !crate::model::is_amount(digits) || unit.contains('"') {
        return None;
    }
    let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
    let value: f64 = digits.parse().ok()?;
    // A double holds 15 significant digits for certain; the round trip decides.
    if format!("{value:.decimals$}") != digits || digits.trim_start_matches('-').len() > 15 {
        return None;
    }
    let mut code = String::from("0");
    if decimals > 0 {
        code.push('.');
        code.extend(std::iter::repeat_n('0', decimals));
    }
    if !unit.is_empty() {
        code.push('"');
        code.push_str(unit);
        code.push('"');
    }
    Some((value, code))
}

fn row_num(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn col(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_amounts_become_numbers_with_their_decimals_and_unit() {
        assert_eq!(number("0"), Some((0.0, "0".into())));
        assert_eq!(number("388"), Some((388.0, "0".into())));
        assert_eq!(number("-12"), Some((-12.0, "0".into())));
        assert_eq!(
            number("24252.311082"),
            Some((24252.311082, "0.000000".into()))
        );
        assert_eq!(number("1.50"), Some((1.5, "0.00".into())));
        assert_eq!(number("3.2万元"), Some((3.2, "0.0\"万元\"".into())));
        // Text a number would change stays text.
        assert_eq!(number("007"), None);
        assert_eq!(number("12345678901234567"), None);
        assert_eq!(number(""), None);
        assert_eq!(number("规章"), None);
    }
}
