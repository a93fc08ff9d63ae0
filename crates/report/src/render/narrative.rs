//! The report's text around its tables, laid out once for every renderer: the opening, part 一
//! before the tables; parts 五 and 六 after them; then the signature and the date as printed
//! (spec/domain.md §4.1 section order, §4.6, §4.7). A part the narrative does not hold is not
//! printed, heading included. The DOCX, XLSX and PDF exports lay the text out from here too.

use gongkai_core::format::title;

use crate::model::AnnualReport;

/// One part of the text: its schema key, its heading (none for the opening), its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// The key of [`crate::model::Narrative::KEYS`].
    pub key: &'static str,
    /// The part's heading, as `core::format::title` prints it.
    pub heading: Option<&'static str>,
    /// Its paragraphs in order.
    pub paragraphs: Vec<Paragraph<'a>>,
}

/// A paragraph of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paragraph<'a> {
    /// A sub-head such as `（一）主动公开情况`, on a line of its own.
    SubHead(&'a str),
    /// Running text.
    Text(&'a str),
}

/// The parts printed before the tables: the opening and 一、总体情况.
pub fn front(report: &AnnualReport) -> Vec<Part<'_>> {
    parts(
        report,
        &[("opening", None), ("overview", Some(title::OVERVIEW))],
    )
}

/// The parts printed after the tables: 五 and 六.
pub fn back(report: &AnnualReport) -> Vec<Part<'_>> {
    parts(
        report,
        &[
            ("problems", Some(title::PROBLEMS)),
            ("other_matters", Some(title::OTHER_MATTERS)),
        ],
    )
}

/// The closing lines: (`signature` | `date`, text as printed), those the narrative holds.
pub fn closing(report: &AnnualReport) -> Vec<(&'static str, String)> {
    let Some(n) = &report.narrative else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(s) = n
        .signature
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        out.push(("signature", s.to_owned()));
    }
    if let Some(d) = n.date.as_deref() {
        out.push(("date", printed_date(d)));
    }
    out
}

fn parts<'a>(
    report: &'a AnnualReport,
    which: &[(&'static str, Option<&'static str>)],
) -> Vec<Part<'a>> {
    let Some(n) = &report.narrative else {
        return Vec::new();
    };
    which
        .iter()
        .filter_map(|&(key, heading)| {
            let text = n.get(key)?;
            Some(Part {
                key,
                heading,
                paragraphs: paragraphs(text),
            })
        })
        .collect()
}

/// The paragraphs of a part's text: one per line, trimmed, empty lines dropped.
fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            if is_subhead(l) {
                Paragraph::SubHead(l)
            } else {
                Paragraph::Text(l)
            }
        })
        .collect()
}

/// Whether a line is a sub-head: `（一）…` to `（十）…` (full or half-width brackets), short and
/// not a sentence.
pub fn is_subhead(line: &str) -> bool {
    let line = line.trim();
    let rest = line.strip_prefix('（').or_else(|| line.strip_prefix('('));
    let Some(rest) = rest else {
        return false;
    };
    let numeral: String = rest
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .collect();
    let Some(after) = rest[numeral.len()..]
        .strip_prefix('）')
        .or_else(|| rest[numeral.len()..].strip_prefix(')'))
    else {
        return false;
    };
    !numeral.is_empty()
        && !after.is_empty()
        && after.chars().count() <= 40
        && !after.contains(['。', '；', ';'])
}

/// `2023-01-11` as the report prints it: `2023年1月11日`. Text that is not such a date is
/// printed as it is.
pub fn printed_date(iso: &str) -> String {
    let mut parts = iso.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return iso.to_owned();
    };
    match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(y), Ok(m), Ok(d)) => format!("{y}年{m}月{d}日"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_without_leading_zeros() {
        assert_eq!(printed_date("2023-01-11"), "2023年1月11日");
        assert_eq!(printed_date("2024-12-30"), "2024年12月30日");
        assert_eq!(printed_date("明年"), "明年");
    }

    #[test]
    fn sub_heads_are_short_numbered_lines() {
        assert!(is_subhead("（一）主动公开情况"));
        assert!(is_subhead("(五)监督保障"));
        assert!(is_subhead("（二）收取信息处理费情况"));
        assert!(!is_subhead(""));
        assert!(!is_subhead("（一）"));
        assert!(!is_subhead("（一）主动公开政府信息388条，其中公文40篇。"));
        assert!(!is_subhead("一是加强政府信息主动公开。"));
        assert!(!is_subhead("（本列数据）"));
    }
}
