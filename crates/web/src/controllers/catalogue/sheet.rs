//! An uploaded or pasted sheet as rows of cells: XLSX (and the older XLS) through calamine,
//! CSV or tab-separated text in UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
//! 「Unicode 文本」), or GBK/GB18030 (what Excel on a Chinese Windows saves as CSV). Text that is
//! none of these is refused with a sentence that says how to save it, never guessed.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

/// The largest sheet file taken.
pub const MAX_SHEET_BYTES: usize = 2 * 1024 * 1024;
/// The most rows read from a sheet (the store takes at most 2000 entries).
pub const MAX_SHEET_ROWS: usize = 5000;
/// The most columns read from a row.
pub const MAX_SHEET_COLUMNS: usize = 60;

/// Why a file is not a sheet we read, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError(pub String);

impl SheetError {
    fn new(message: &str) -> SheetError {
        SheetError(message.to_owned())
    }
}

const SAVE_AS: &str =
    "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）或“CSV UTF-8（逗号分隔）”后重新上传。";

/// The rows of a file's first worksheet, or of its text.
pub fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError::new("上传的文件是空的。"));
    }
    if bytes.len() > MAX_SHEET_BYTES {
        return Err(SheetError::new(
            "文件不能超过 2 MB。请删去空行和图片，或分成几个文件导入。",
        ));
    }
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if zip || ole {
        return workbook(bytes);
    }
    let text = decode(bytes)?;
    Ok(rows_of_text(&text))
}

/// The first worksheet of an XLSX or XLS workbook.
fn workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let unreadable = || {
        SheetError(format!(
            "无法读取这个 Excel 文件（可能已损坏或加了密码）。{SAVE_AS}"
        ))
    };
    let mut book =
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| SheetError::new("这个 Excel 文件中没有工作表。"))?
        .map_err(|_| unreadable())?;
    let Some((top, left)) = range.start() else {
        return Ok(Vec::new());
    };
    // Rows and columns before the used range stay, empty, so that row numbers and column
    // letters in messages are those the spreadsheet shows.
    let (top, left) = (top as usize, left as usize);
    if top >= MAX_SHEET_ROWS || left >= MAX_SHEET_COLUMNS {
        return Err(SheetError::new(
            "表格的内容离左上角太远，请从第一行、A列开始填写。",
        ));
    }
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); top];
    for row in range.rows().take(MAX_SHEET_ROWS - top) {
        let mut cells = vec![String::new(); left];
        cells.extend(row.iter().take(MAX_SHEET_COLUMNS - left).map(cell_text));
        rows.push(cells);
    }
    Ok(rows)
}

/// A cell as text: a whole number without `.0`, a date as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(e) => e.to_string(),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let base = time::Date::from_calendar_date(1899, time::Month::December, 30);
    match base {
        Ok(base) if serial.is_finite() && (0.0..3_000_000.0).contains(&serial) => {
            let date = base + time::Duration::days(serial.floor() as i64);
            gongkai_core::calendar::format_date(date)
        }
        _ => number_text(serial),
    }
}

/// The text of a CSV or TSV file, whatever of our encodings it is in.
fn decode(bytes: &[u8]) -> Result<String, SheetError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    for (bom, encoding) in [
        (&[0xFF, 0xFE][..], encoding_rs::UTF_16LE),
        (&[0xFE, 0xFF][..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|t| t.into_owned())
                .ok_or_else(|| SheetError(format!("文件的 Unicode 编码有误。{SAVE_AS}")));
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return utf8(text.as_bytes());
    }
    // Not UTF-8: a CSV saved by Excel on a Chinese Windows is GBK, which GB18030 contains.
    let text = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| {
            SheetError(format!(
                "文件既不是 Excel 工作簿，也不是 UTF-8 或 GBK 编码的 CSV 文本，无法识别。{SAVE_AS}"
            ))
        })?;
    checked_text(text.into_owned())
}

fn utf8(bytes: &[u8]) -> Result<String, SheetError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| SheetError(format!("文件的 UTF-8 编码有误。{SAVE_AS}")))?;
    checked_text(text.to_owned())
}

/// Refuses binary files that happen to decode (a PDF, an image).
fn checked_text(text: String) -> Result<String, SheetError> {
    if text.contains('\0') {
        return Err(SheetError(format!("文件不是表格文本，无法识别。{SAVE_AS}")));
    }
    Ok(text)
}

/// CSV (comma) or TSV (tab, as text pasted from a spreadsheet is) into rows: fields in
/// double quotes may hold the separator, line breaks and `""` for a quote.
pub fn rows_of_text(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let separator = if first_line.contains('\t') && !first_line.contains(',') {
        '\t'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            c if c == separator => {
                row.push(std::mem::take(&mut field));
                if row.len() > MAX_SHEET_COLUMNS {
                    row.truncate(MAX_SHEET_COLUMNS);
                }
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                if rows.len() >= MAX_SHEET_ROWS {
                    return rows;
                }
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A CSV file of rows: UTF-8 with a BOM (so that Excel opens the Chinese text correctly),
/// CRLF line ends, fields quoted where needed.
pub fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from('\u{feff}');
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .map(|f| {
                if f.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_hold_separators_line_breaks_and_quotes() {
        let rows = rows_of_text("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n");
        assert_eq!(
            rows,
            [vec!["a", "b,c", "say \"hi\""], vec!["two\nlines", "", "x"]]
        );
    }

    #[test]
    fn pasted_spreadsheet_text_is_tab_separated() {
        let rows = rows_of_text("事项类别\t事项名称\n机构信息\t机构职能");
        assert_eq!(rows[1], ["机构信息", "机构职能"]);
    }

    #[test]
    fn utf8_with_bom_gbk_and_utf16_decode_alike() {
        let text = "事项类别,事项名称\r\n机构信息,机构职能\r\n";
        let expected = rows_of_text(text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(read(&bom).unwrap(), expected);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(read(&gbk).unwrap(), expected);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(read(&utf16).unwrap(), expected);
    }

    #[test]
    fn files_that_are_no_sheet_are_refused_in_chinese() {
        let err = read(&[0x80, 0x00, 0xFF, 0xFE, 0x81]).unwrap_err();
        assert!(err.0.contains("无法识别"), "{}", err.0);
        let err = read(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(err.0.contains("无法读取这个 Excel 文件"), "{}", err.0);
        assert!(read(b"").is_err());
    }

    #[test]
    fn written_csv_reads_back() {
        let rows = vec![
            vec!["公开内容".to_owned(), "a,b".to_owned()],
            vec!["x\"y".to_owned(), "两\n行".to_owned()],
        ];
        let bytes = csv(&rows);
        assert_eq!(read(&bytes).unwrap(), rows);
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(45292.0), "2024-01-01");
        assert_eq!(number_text(12.0), "12");
        assert_eq!(number_text(12.5), "12.5");
    }
}
