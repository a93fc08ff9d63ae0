//! Reading a sheet of catalogue entries: rows of cells as a CSV or XLSX file holds them.
//!
//! The header row is found among the first [`HEADER_SEARCH_ROWS`] rows (a title row often
//! stands above it) and matched to [`ELEMENTS`] by label or alias, loosely
//! ([`normalize_label`]: spaces and full-width forms do not matter). Two header rows are
//! understood as the ministry templates print them: `公开事项` over `一级事项` · `二级事项`, and
//! `公开方式` over `主动` · `依申请` with a tick (√, ■) in the column that applies. Columns that
//! are no element (序号, 公开层级, 备注) are named in the result and not read.
//!
//! Each data row becomes an [`EntryInput`]; a 事项类别 left blank continues the one above (cells
//! merged down a column come out blank below the first). Nothing is returned unless every
//! row is valid: the problems of all rows are returned together, each with its row number as
//! the spreadsheet shows it, its column letter and label.

use std::fmt;

use super::{ELEMENTS, EntryInput, Mode, checked_items, normalize_label, parse_pilot_area};

/// How many rows from the top may hold the header.
pub const HEADER_SEARCH_ROWS: usize = 10;
/// The most entries one sheet may add.
pub const MAX_ROWS: usize = 2000;
/// The most problems reported (the rest are counted).
pub const MAX_PROBLEMS: usize = 200;

/// A problem of the sheet: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The row, counted from 1 as the spreadsheet numbers it.
    pub row: usize,
    /// The column, counted from 0 (A), if the problem is in one cell.
    pub column: Option<usize>,
    /// The element's label, if the problem is in one element.
    pub label: Option<&'static str>,
    /// What is wrong and what was expected, in Chinese.
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行", self.row)?;
        match (self.column, self.label) {
            (Some(c), Some(l)) => write!(f, "{}列「{l}」", column_letter(c))?,
            (Some(c), None) => write!(f, "{}列", column_letter(c))?,
            (None, Some(l)) => write!(f, "「{l}」")?,
            (None, None) => {}
        }
        write!(f, "：{}", self.message)
    }
}

/// The spreadsheet's letter of a column counted from 0: A … Z, AA, AB, ….
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A sheet that reads: its entries with their row numbers, and what was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Each entry with the row it came from.
    pub entries: Vec<(usize, EntryInput)>,
    /// Header labels of the columns not read.
    pub ignored_columns: Vec<String>,
    /// The row numbers of the header.
    pub header_rows: Vec<usize>,
}

/// What a column of the sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    /// An element, by index in [`ELEMENTS`].
    Element(usize),
    /// One choice of an element printed as tick columns (`公开方式` · `主动`).
    Choice(usize, String),
    /// Nothing read.
    Ignored,
}

/// The element a header label names.
fn element_named(label: &str) -> Option<usize> {
    let key = normalize_label(label);
    if key.is_empty() {
        return None;
    }
    ELEMENTS.iter().position(|e| {
        normalize_label(e.label) == key || e.aliases.iter().any(|a| normalize_label(a) == key)
    })
}

fn cell(sheet: &[Vec<String>], row: usize, col: usize) -> &str {
    sheet
        .get(row)
        .and_then(|r| r.get(col))
        .map_or("", |s| s.trim())
}

/// A header's columns, or how far it is from one.
struct Header {
    uses: Vec<Use>,
    rows: Vec<usize>,
    ignored: Vec<String>,
}

enum HeaderError {
    /// The labels of the required elements not found.
    Missing(Vec<&'static str>, usize),
    /// An element with two columns.
    Twice(&'static str, usize, usize),
}

/// Checks the columns found: every required element present, none twice.
fn complete(uses: Vec<Use>, rows: Vec<usize>, ignored: Vec<String>) -> Result<Header, HeaderError> {
    let mut direct: Vec<Option<usize>> = vec![None; ELEMENTS.len()];
    let mut seen = vec![false; ELEMENTS.len()];
    for (col, u) in uses.iter().enumerate() {
        match u {
            Use::Element(e) => {
                if let Some(first) = direct[*e] {
                    return Err(HeaderError::Twice(ELEMENTS[*e].label, first, col));
                }
                direct[*e] = Some(col);
                seen[*e] = true;
            }
            Use::Choice(e, _) => seen[*e] = true,
            Use::Ignored => {}
        }
    }
    // An element printed both as a column and as tick columns would be read twice.
    for (col, u) in uses.iter().enumerate() {
        if let Use::Choice(e, _) = u
            && let Some(first) = direct[*e]
        {
            return Err(HeaderError::Twice(ELEMENTS[*e].label, first, col));
        }
    }
    let missing: Vec<&'static str> = ELEMENTS
        .iter()
        .zip(&seen)
        .filter(|(e, s)| e.required && !**s)
        .map(|(e, _)| e.label)
        .collect();
    if missing.is_empty() {
        Ok(Header {
            uses,
            rows,
            ignored,
        })
    } else {
        Err(HeaderError::Missing(missing, rows[0]))
    }
}

fn width(sheet: &[Vec<String>], rows: &[usize]) -> usize {
    rows.iter()
        .filter_map(|r| sheet.get(*r))
        .map(Vec::len)
        .max()
        .unwrap_or(0)
}

/// Row `r` alone as the header.
fn single(sheet: &[Vec<String>], r: usize) -> Result<Header, HeaderError> {
    let mut uses = Vec::new();
    let mut ignored = Vec::new();
    for col in 0..width(sheet, &[r]) {
        let label = cell(sheet, r, col);
        match element_named(label) {
            Some(e) => uses.push(Use::Element(e)),
            None => {
                if !label.is_empty() {
                    ignored.push(label.to_owned());
                }
                uses.push(Use::Ignored);
            }
        }
    }
    complete(uses, vec![r], ignored)
}

/// Rows `r` and `r + 1` as a two-row header: a label of the upper row stands over the
/// columns to its right that it has no label of its own in (a merged cell).
fn double(sheet: &[Vec<String>], r: usize) -> Result<Header, HeaderError> {
    let mut uses = Vec::new();
    let mut ignored = Vec::new();
    let mut parent = "";
    for col in 0..width(sheet, &[r, r + 1]) {
        let top = cell(sheet, r, col);
        let below = cell(sheet, r + 1, col);
        if !top.is_empty() {
            parent = top;
        } else if below.is_empty() {
            parent = "";
        }
        let used = if below.is_empty() {
            element_named(top).map(Use::Element)
        } else if let Some(e) = element_named(below) {
            Some(Use::Element(e))
        } else {
            element_named(parent).map(|e| Use::Choice(e, below.to_owned()))
        };
        match used {
            Some(u) => uses.push(u),
            None => {
                let label = [parent, below]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("·");
                if !label.is_empty() {
                    ignored.push(label);
                }
                uses.push(Use::Ignored);
            }
        }
    }
    complete(uses, vec![r, r + 1], ignored)
}

/// Whether row `r + 1` is the lower half of a header whose upper half is `upper` (row `r`
/// read alone): it leaves blank the cells under at least two required elements, as a sub-label
/// row does and a data row (every required element filled) does not.
fn sub_header_below(sheet: &[Vec<String>], r: usize, upper: &Header) -> bool {
    let blank_under_required = upper
        .uses
        .iter()
        .enumerate()
        .filter(|(col, u)| {
            matches!(u, Use::Element(e) if ELEMENTS[*e].required)
                && cell(sheet, r + 1, *col).is_empty()
        })
        .count();
    blank_under_required >= 2
        && sheet
            .get(r + 1)
            .is_some_and(|row| row.iter().any(|c| !c.trim().is_empty()))
}

/// The header of the sheet, or the problem that says why none was found.
fn header(sheet: &[Vec<String>]) -> Result<Header, RowProblem> {
    let required = ELEMENTS.iter().filter(|e| e.required).count();
    let mut best: Option<(Vec<&'static str>, usize)> = None;
    for r in 0..sheet.len().min(HEADER_SEARCH_ROWS) {
        let tries = match single(sheet, r) {
            // A complete row with a row of sub-labels below (公开方式 over 主动 · 依申请) is the
            // upper half of a two-row header.
            Ok(upper) if sub_header_below(sheet, r, &upper) => match double(sheet, r) {
                Ok(both) => vec![Ok(both)],
                Err(_) => vec![Ok(upper)],
            },
            Ok(upper) => vec![Ok(upper)],
            // A title row above a complete header row: the next turn takes that row.
            Err(e) if single(sheet, r + 1).is_ok() => vec![Err(e)],
            Err(e) => vec![Err(e), double(sheet, r)],
        };
        for attempt in tries {
            match attempt {
                Ok(h) => return Ok(h),
                Err(HeaderError::Twice(label, first, second)) => {
                    return Err(RowProblem {
                        row: r + 1,
                        column: Some(second),
                        label: Some(label),
                        message: format!(
                            "表头中「{label}」出现了两次（{}列和{}列），每个要素只能有一列。",
                            column_letter(first),
                            column_letter(second)
                        ),
                    });
                }
                Err(HeaderError::Missing(missing, row)) => {
                    let better = best.as_ref().is_none_or(|(m, _)| missing.len() < m.len());
                    if better && missing.len() < required {
                        best = Some((missing, row));
                    }
                }
            }
        }
    }
    let expected: Vec<&str> = ELEMENTS
        .iter()
        .filter(|e| e.required)
        .map(|e| e.label)
        .collect();
    Err(match best {
        Some((missing, row)) if missing.len() <= 4 => RowProblem {
            row: row + 1,
            column: None,
            label: None,
            message: format!(
                "表头缺少以下列：{}。表头应包括：{}（可另加公开对象、试点领域）。",
                missing.join("、"),
                expected.join("、")
            ),
        },
        _ => RowProblem {
            row: 1,
            column: None,
            label: None,
            message: format!(
                "前{HEADER_SEARCH_ROWS}行中没有找到表头。表头一行应依次写明各要素的名称：{}（可另加公开对象、试点领域）。请使用下载的模板填写。",
                expected.join("、")
            ),
        },
    })
}

/// Whether a tick column's cell says the choice applies.
fn ticked(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && !matches!(
            t,
            "□" | "☐" | "×" | "✗" | "否" | "无" | "N" | "n" | "0" | "-" | "—" | "/" | "／"
        )
}

/// Reads the sheet into entries, or every problem found.
pub fn read(sheet: &[Vec<String>]) -> Result<Parsed, Vec<RowProblem>> {
    let header = header(sheet).map_err(|p| vec![p])?;
    let first_data = header.rows.last().map_or(0, |r| r + 1);
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let mut category_above: Option<String> = None;
    let column_of = |e: usize| {
        header.uses.iter().position(|u| match u {
            Use::Element(x) | Use::Choice(x, _) => *x == e,
            Use::Ignored => false,
        })
    };
    let mut rows_read = 0;
    for (r, row) in sheet.iter().enumerate().skip(first_data) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = r + 1;
        rows_read += 1;
        if rows_read > MAX_ROWS {
            problems.push(RowProblem {
                row: number,
                column: None,
                label: None,
                message: format!("一次最多导入{MAX_ROWS}条事项，请分成几个文件导入。"),
            });
            break;
        }
        let mut values: Vec<String> = vec![String::new(); ELEMENTS.len()];
        let mut choices: Vec<Vec<String>> = vec![Vec::new(); ELEMENTS.len()];
        for (col, u) in header.uses.iter().enumerate() {
            let text = row.get(col).map_or("", |s| s.as_str());
            match u {
                Use::Element(e) => values[*e] = clean(text),
                Use::Choice(e, option) if ticked(text) => choices[*e].push(option.clone()),
                _ => {}
            }
        }
        for (e, chosen) in choices.iter().enumerate() {
            if !chosen.is_empty() {
                values[e] = chosen.join("、");
            }
        }
        let value = |key: &str| {
            ELEMENTS
                .iter()
                .position(|e| e.key == key)
                .map_or(String::new(), |i| values[i].clone())
        };
        let at = |key: &'static str| {
            let e = ELEMENTS.iter().position(|x| x.key == key);
            (e.and_then(column_of), e.map(|i| ELEMENTS[i].label))
        };
        let mut row_problems = Vec::new();
        let mut category = value("category");
        if category.is_empty() {
            category = category_above.clone().unwrap_or_default();
        }
        category_above = Some(category.clone()).filter(|c| !c.is_empty());
        let mode_text = value("mode");
        let mode = Mode::parse(&mode_text);
        if mode.is_none() {
            let (column, label) = at("mode");
            let message = if mode_text.is_empty() {
                "请填写「公开方式」：主动或依申请。".to_owned()
            } else {
                format!("「公开方式」应为“主动”或“依申请”（现为“{mode_text}”）。")
            };
            row_problems.push(RowProblem {
                row: number,
                column,
                label,
                message,
            });
        }
        let area_text = value("pilot_area");
        let pilot_area = match area_text.as_str() {
            "" => None,
            text => {
                let found = parse_pilot_area(text);
                if found.is_none() {
                    let (column, label) = at("pilot_area");
                    row_problems.push(RowProblem {
                        row: number,
                        column,
                        label,
                        message: format!(
                            "「试点领域」应为26个试点领域之一，如“城乡规划”“社会救助”（现为“{text}”）；不属于试点领域的请留空。"
                        ),
                    });
                }
                found
            }
        };
        let listed = |text: String| checked_items(&text).unwrap_or(text);
        let input = EntryInput {
            category,
            name: value("name"),
            content: value("content"),
            basis: value("basis"),
            subject: value("subject"),
            time_limit: value("time_limit"),
            channels: listed(value("channels")),
            mode: mode.unwrap_or(Mode::Proactive),
            audience: listed(value("audience")),
            pilot_area,
        };
        for (key, message) in input.problems() {
            let (column, label) = at(key);
            row_problems.push(RowProblem {
                row: number,
                column,
                label,
                message,
            });
        }
        if row_problems.is_empty() {
            entries.push((number, input));
        } else {
            problems.extend(row_problems);
        }
    }
    if problems.is_empty() && entries.is_empty() {
        problems.push(RowProblem {
            row: first_data + 1,
            column: None,
            label: None,
            message: "表头下面没有事项。请在表头下逐行填写，每行一个事项。".into(),
        });
    }
    if problems.is_empty() {
        Ok(Parsed {
            entries,
            ignored_columns: header.ignored,
            header_rows: header.rows.iter().map(|r| r + 1).collect(),
        })
    } else {
        problems.sort_by_key(|p| (p.row, p.column));
        if problems.len() > MAX_PROBLEMS {
            let more = problems.len() - MAX_PROBLEMS;
            problems.truncate(MAX_PROBLEMS);
            let last = problems.last().map_or(1, |p| p.row);
            problems.push(RowProblem {
                row: last,
                column: None,
                label: None,
                message: format!("此后另有{more}处问题未列出，请改正以上问题后重新导入。"),
            });
        }
        Err(problems)
    }
}

/// A cell's text as kept: trimmed, line breaks as `\n`.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_matches(|c: char| c.is_whitespace())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn ticks() {
        for t in ["√", "■", "是", "✓", "1"] {
            assert!(ticked(t), "{t}");
        }
        for t in ["", " ", "□", "否", "×"] {
            assert!(!ticked(t), "{t:?}");
        }
    }
}
