//! The reader: published report text (pipes, HTML tables, Markdown, one cell per line, layout
//! text…) into the model.
//!
//! The stages, each its own module:
//! 1. bytes to text ([`read_bytes`]: PDF and DOCX through [`crate::extract`], HTML through
//!    [`html`], UTF-8 or GB18030);
//! 2. text to a stream of items — text, numbers, blank cells — with their line and columns
//!    ([`tokens`]), and the six section headings ([`sections`]);
//! 3. the organ, the year ([`meta`]) and the template (from the tables' own labels, else the
//!    year);
//! 4. the three tables, row by row from their labels ([`tables`], [`labels`]), digits printed
//!    run together cut by [`crate::split`];
//! 5. the narrative around them ([`parts`]): the opening, parts 一, 五 and 六, signature and
//!    date, in the model's canonical form.
//!
//! Every cell read has a [`Provenance`]; every cell that could not be read, a [`Note`].
//! Reading fails only when the input is not a 2019/2021-format annual report at all.

mod html;
mod labels;
mod meta;
pub(crate) mod normalize;
mod note;
mod parts;
mod sections;
mod tables;
mod tokens;
mod unread;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gongkai_core::format::Template;

pub use note::{How, Note, NoteKind, Provenance, Table};

use crate::check::{CheckContext, UnreadCell};
use crate::model::AnnualReport;
use crate::split::Evidence;
use tokens::{Item, Kind};

/// A report as read, with what the reader has to say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadReport {
    /// The tables.
    pub report: AnnualReport,
    /// What could not be read and why (and other caveats), in reading order.
    pub notes: Vec<Note>,
    /// The document's text outside its tables.
    pub narrative: String,
    /// The document ends inside a table or a section.
    pub truncated: bool,
    /// Where and how each cell was read.
    pub provenance: Vec<Provenance>,
    /// Null cells that the report does not print blank, and why.
    pub unread: Vec<UnreadCell>,
}

impl ReadReport {
    /// What the checks need from the reading, with last year's report if there is one.
    pub fn check_context<'a>(&'a self, previous: Option<&'a AnnualReport>) -> CheckContext<'a> {
        CheckContext {
            previous,
            narrative: Some(&self.narrative),
            truncated: self.truncated,
            unread: &self.unread,
        }
    }

    /// A human-readable account of the reading: what was found, each cell's source, each note.
    pub fn explain(&self) -> String {
        let r = &self.report;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "机关: {}",
            r.agency.as_deref().unwrap_or("（正文未写明）")
        );
        let _ = writeln!(
            out,
            "年度: {}",
            r.year.map_or("（未找到）".to_owned(), |y| y.to_string())
        );
        let _ = writeln!(
            out,
            "格式: {}（{}）",
            r.template.key(),
            r.template.document()
        );
        let _ = writeln!(
            out,
            "文档{}",
            if self.truncated {
                "不完整（在表格或章节中途结束）"
            } else {
                "完整"
            }
        );
        for table in [Table::Proactive, Table::Applications, Table::Appeals] {
            let present = match table {
                Table::Proactive => r.proactive.is_some(),
                Table::Applications => r.applications.is_some(),
                Table::Appeals => r.appeals.is_some(),
            };
            let _ = writeln!(
                out,
                "\n{}: {}",
                table.name(),
                if present { "已读取" } else { "无" }
            );
            for p in self.provenance.iter().filter(|p| p.table == table) {
                let _ = writeln!(out, "  {p}");
            }
            for n in self.notes.iter().filter(|n| n.table == Some(table)) {
                let _ = writeln!(out, "  注: {n}");
            }
        }
        let general: Vec<&Note> = self.notes.iter().filter(|n| n.table.is_none()).collect();
        if !general.is_empty() {
            let _ = writeln!(out, "\n其他:");
            for n in general {
                let _ = writeln!(out, "  注: {n}");
            }
        }
        out
    }
}

/// An organ's name reduced for matching reports of one organ: no whitespace or punctuation,
/// full-width forms made ASCII, Traditional characters made Simplified (a report converted to
/// Traditional Chinese is still the same organ's).
pub fn organ_key(agency: &str) -> String {
    agency
        .chars()
        .map(normalize::char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Why a document could not be read as an annual report at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Nothing in it is a report of the national format: no table, no section heading.
    #[error("不是政府信息公开工作年度报告：{reason}")]
    NotAReport {
        /// What was missing.
        reason: String,
    },
    /// A report for a year before 2019, which has no national table format.
    #[error(
        "这是 {year} 年度的报告，早于国家统一格式（国办公开办函〔2019〕60号，2019 年度起施行），不按 2019/2021 格式读取"
    )]
    PreTemplate {
        /// The statistical year found.
        year: i32,
    },
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is larger than the limit and was not read.
    #[error("{}: {}", path.display(), too_large(*size, *limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, where the file system tells it (not for a pipe or a device).
        size: Option<u64>,
        /// The limit, in bytes.
        limit: u64,
    },
    /// Text could not be extracted from a PDF or DOCX file.
    #[error("无法从文件中提取文字：{0}")]
    Extract(String),
}

/// `文件大小 … 字节，超过上限 … 字节`, without the size where it is unknown.
fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => format!("文件大小 {size} 字节，超过上限 {limit} 字节"),
        None => format!("文件超过上限 {limit} 字节"),
    }
}

/// Item range of a table, found by its heading, else by a label only that table prints.
fn table_region(items: &[Item], heading: u8, markers: &[&str]) -> Option<(usize, usize)> {
    if let Some(r) = sections::region(items, heading) {
        return Some(r);
    }
    let keys: Vec<String> = markers.iter().map(|m| normalize::key(m)).collect();
    // The label must be a cell of its own (or nearly), not words of a sentence.
    let start = items.iter().position(|i| {
        matches!(i.kind, Kind::Text)
            && keys
                .iter()
                .any(|k| i.norm.contains(k.as_str()) && i.norm.len() <= k.len() * 2)
    })?;
    let end = items[start..]
        .iter()
        .position(|i| matches!(i.kind, Kind::Heading(_)))
        .map_or(items.len(), |p| start + p);
    Some((start, end))
}

/// Why a text without any table of the format is not an annual report, if it is not: it shows
/// none of a report's signs — a heading of a table's section, a title naming the report, the
/// statistics period, or the opening 一、总体情况 under the 《条例》. A report cut before its
/// tables still shows them.
fn not_a_report(text: &str, headings: &[u8], period: bool) -> Option<String> {
    if period || headings.iter().any(|h| (2..=4).contains(h)) {
        return None;
    }
    let titled = text.lines().take(20).any(|line| {
        let k = normalize::key(line);
        let n = k.chars().count();
        let han = k.chars().filter(|&c| normalize::is_han(c)).count();
        // A title is a short line of Chinese, not a sentence of another document quoting it.
        k.contains("政府信息公开")
            && (k.contains("报告") || k.contains("年报"))
            && n <= 80
            && han * 10 >= n * 7
    });
    if titled {
        return None;
    }
    let norm = normalize::key(text);
    let regulation = norm.contains("政府信息公开条例") || norm.contains("《条例》");
    if regulation && (headings.contains(&1) || headings.len() >= 2) {
        return None;
    }
    let any_value = text.chars().any(|c| c.is_ascii_digit());
    Some(if headings.is_empty() && !any_value {
        "没有找到年度报告的标题、统计期限、章节标题、表格或数字".into()
    } else {
        "没有找到年度报告的标题、统计期限、表二至表四的章节标题或表格标签".into()
    })
}

/// The text outside the given item ranges.
fn narrative(lines: &[Vec<char>], items: &[Item], regions: &[(usize, usize)]) -> String {
    // Spans to cut, as ((line, col), (line, col)) with 1-based lines and columns.
    let mut spans: Vec<((usize, usize), (usize, usize))> = Vec::new();
    for &(s, e) in regions {
        if s >= e || e > items.len() {
            continue;
        }
        let (first, last) = (&items[s], &items[e - 1]);
        spans.push(((first.line, first.col), (last.line, last.end)));
    }
    let mut out = String::new();
    for (li, line) in lines.iter().enumerate() {
        let ln = li + 1;
        let mut kept = String::new();
        for (ci, &c) in line.iter().enumerate() {
            let pos = (ln, ci + 1);
            if !spans.iter().any(|&(a, b)| a <= pos && pos < b) {
                kept.push(c);
            }
        }
        let inside_whole = spans.iter().any(|&(a, b)| a.0 < ln && ln < b.0);
        if !inside_whole && !kept.trim().is_empty() {
            out.push_str(kept.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Reads a report from its text (plain text in any of the accepted layouts, or HTML).
pub fn read_text(text: &str) -> Result<ReadReport, ReadError> {
    // Old Mac line ends (a lone CR) would make the whole document one line.
    let unified;
    let text = if text.contains('\r') {
        unified = text.replace("\r\n", "\n").replace('\r', "\n");
        unified.as_str()
    } else {
        text
    };
    let converted;
    let text = if html::looks_like_html(text) {
        converted = html::to_text(text);
        converted.as_str()
    } else {
        text
    };
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let items = sections::mark_headings(tokens::tokenize(text));
    let mut notes = Vec::new();

    let (found_year, agency) = meta::year_and_agency(text);
    if let Some((y, meta::YearSource::Period | meta::YearSource::Title)) = found_year
        && y < 2019
    {
        return Err(ReadError::PreTemplate { year: y });
    }
    let year = found_year.map(|(y, _)| y);

    let proactive_title = gongkai_core::format::Template::Y2021
        .proactive_blocks()
        .first()
        .map_or("", |b| b.title);
    let r2 = table_region(&items, sections::PROACTIVE, &[proactive_title]);
    let r3 = table_region(
        &items,
        sections::APPLICATIONS,
        &[gongkai_core::format::title::BALANCE_NOTE],
    );
    let r4 = table_region(
        &items,
        sections::APPEALS,
        &[gongkai_core::format::APPEAL_BLOCKS[1].label],
    );
    let headings: Vec<u8> = items
        .iter()
        .filter_map(|i| match i.kind {
            Kind::Heading(n) => Some(n),
            _ => None,
        })
        .collect();
    if r2.is_none() && r3.is_none() && r4.is_none() {
        let period = matches!(found_year, Some((_, meta::YearSource::Period)));
        if let Some(reason) = not_a_report(text, &headings, period) {
            return Err(ReadError::NotAReport { reason });
        }
    }

    // The template: the tables' own labels first, then the year.
    let slice = |r: Option<(usize, usize)>| r.map_or(&items[..0], |(s, e)| &items[s..e]);
    let template =
        match tables::template_hint(slice(r2)).or_else(|| tables::applications_hint(slice(r3))) {
            Some(t) => t,
            None => match year.and_then(Template::for_year) {
                Some(t) => {
                    notes.push(Note::document(
                        NoteKind::Meta,
                        format!(
                            "表格中没有区分两种格式的标签，按年度 {} 采用 {} 格式",
                            year.unwrap_or(0),
                            t.key()
                        ),
                    ));
                    t
                }
                None => {
                    notes.push(Note::document(
                        NoteKind::Meta,
                        "未找到年度，也无法从表格判断格式，按 2021 格式读取".into(),
                    ));
                    Template::Y2021
                }
            },
        };
    if agency.is_none() {
        notes.push(Note::document(
            NoteKind::Meta,
            "正文未写明制作报告的机关名称".into(),
        ));
    }
    if year.is_none() {
        notes.push(Note::document(
            NoteKind::Meta,
            "未找到报告的统计年度".into(),
        ));
    }

    let regions: Vec<(usize, usize)> = [r2, r3, r4].into_iter().flatten().collect();
    let narrative = narrative(&lines, &items, &regions);
    let evidence = Evidence::from_narrative(&narrative);
    let mut ctx = tables::Ctx {
        lines: &lines,
        notes,
        provenance: Vec::new(),
        evidence: &evidence,
    };
    let at_end = |r: Option<(usize, usize)>| r.is_some_and(|(_, e)| e == items.len());
    let mut report = AnnualReport::new(template);
    report.agency = agency;
    report.year = year;
    report.narrative = parts::narrative(&lines, &items, &regions);
    report.proactive = match r2 {
        Some(r) => tables::proactive(&mut ctx, template, slice(Some(r)), at_end(r2)),
        None => {
            ctx.notes.push(Note::table(
                NoteKind::TableMissing,
                Table::Proactive,
                None,
                "文档中没有“二、主动公开政府信息情况”及其表格".into(),
            ));
            None
        }
    };
    report.applications = match r3 {
        Some(r) => tables::applications(&mut ctx, template, slice(Some(r)), at_end(r3)),
        None => {
            // A page of a longer document may start inside 表三 (a flip-book page).
            let first_heading = items
                .iter()
                .position(|i| matches!(i.kind, Kind::Heading(_)))
                .unwrap_or(items.len());
            let before: String = items[..first_heading]
                .iter()
                .filter(|i| matches!(i.kind, Kind::Text))
                .map(|i| i.norm.as_str())
                .collect();
            let fragment = template
                .application_rows()
                .iter()
                .find(|r| before.contains(&normalize::key(r.label)));
            ctx.notes.push(Note::table(
                NoteKind::TableMissing,
                Table::Applications,
                fragment.and(items.first().map(|i| i.line)),
                match fragment {
                    Some(r) => format!(
                        "文档从表三中途开始（可见「{}」等行），表三不完整，未读入",
                        r.label
                    ),
                    None => "文档中没有“三、收到和处理政府信息公开申请情况”及其表格".into(),
                },
            ));
            None
        }
    };
    report.appeals = match r4 {
        Some(r) => tables::appeals(&mut ctx, slice(Some(r)), at_end(r4)),
        None => {
            ctx.notes.push(Note::table(
                NoteKind::TableMissing,
                Table::Appeals,
                None,
                "文档中没有“四、政府信息公开行政复议、行政诉讼情况”及其表格".into(),
            ));
            None
        }
    };
    let last_heading = headings.iter().copied().max().unwrap_or(0);
    let cut_in_table = [r2, r3, r4].into_iter().any(at_end);
    let truncated = cut_in_table || (last_heading > 0 && last_heading < 5);
    let mut notes = ctx.notes;
    let provenance = ctx.provenance;
    if truncated {
        notes.push(Note::document(
            NoteKind::Truncated,
            if cut_in_table {
                "文档在表格中途结束，其后的内容缺失".into()
            } else {
                "文档在第五、六部分之前结束，内容不完整".into()
            },
        ));
    }
    let unread = unread::unread_cells(&report, &notes);
    Ok(ReadReport {
        report,
        notes,
        narrative,
        truncated,
        provenance,
        unread,
    })
}

/// Decodes text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            text.into_owned()
        }
    }
}

/// Reads a report from a file's bytes: PDF (text layer), DOCX, XLSX, HTML or text.
pub fn read_bytes(bytes: &[u8], file_name: Option<&str>) -> Result<ReadReport, ReadError> {
    let lower = file_name.map(str::to_ascii_lowercase).unwrap_or_default();
    if crate::extract::is_pdf(bytes) || lower.ends_with(".pdf") {
        let text =
            crate::extract::pdf_text(bytes).map_err(|e| ReadError::Extract(e.to_string()))?;
        return read_text(&text);
    }
    // The bytes decide between the two ZIP formats; the name only for bytes that are no ZIP.
    let zip = bytes.starts_with(b"PK\x03\x04");
    if crate::extract::is_xlsx(bytes) || (!zip && lower.ends_with(".xlsx")) {
        let text =
            crate::extract::xlsx_text(bytes).map_err(|e| ReadError::Extract(e.to_string()))?;
        return read_text(&text);
    }
    if zip || lower.ends_with(".docx") {
        let text =
            crate::extract::docx_text(bytes).map_err(|e| ReadError::Extract(e.to_string()))?;
        return read_text(&text);
    }
    if let Some(share) = binary_share(bytes) {
        return Err(ReadError::NotAReport {
            reason: format!(
                "文件是二进制数据，不是文本、HTML、PDF、DOCX 或 XLSX（开头 {} KiB 中控制字符占 {share}%）",
                BINARY_SAMPLE / 1024
            ),
        });
    }
    read_text(&decode(bytes))
}

/// How many leading bytes [`binary_share`] looks at.
const BINARY_SAMPLE: usize = 64 * 1024;

/// The percentage of control bytes (other than tab, line ends and form feed) in the first
/// [`BINARY_SAMPLE`] bytes, if it shows binary data: text in UTF-8 or GB18030 has next to none,
/// random bytes about 11%. Refusing them here spares the text stages, which take many times a
/// file's size in memory, a file that cannot be a report. UTF-16 (with its BOM) is text.
fn binary_share(bytes: &[u8]) -> Option<usize> {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let sample = bytes.get(..BINARY_SAMPLE).unwrap_or(bytes);
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    // More than 1%: a stray control character or two in a real report stays well below.
    (control * 100 > sample.len()).then(|| control * 100 / sample.len().max(1))
}

/// Largest file [`read_path`] reads: 50 MiB, far above any published report (a long PDF is a
/// few MiB), and low enough that reading one cannot exhaust memory.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Reads a report from a file of at most [`DEFAULT_MAX_FILE_BYTES`].
pub fn read_path(path: &Path) -> Result<ReadReport, ReadError> {
    read_path_limited(path, DEFAULT_MAX_FILE_BYTES)
}

/// Reads a report from a file of at most `max_bytes`.
pub fn read_path_limited(path: &Path, max_bytes: u64) -> Result<ReadReport, ReadError> {
    let bytes = read_file_limited(path, max_bytes)?;
    read_bytes(&bytes, path.file_name().and_then(|n| n.to_str()))
}

/// The bytes of a file of at most `max_bytes`; a larger one is [`ReadError::TooLarge`], refused
/// before reading where its size is known.
pub fn read_file_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let too_large = |size| ReadError::TooLarge {
        path: path.to_owned(),
        size,
        limit: max_bytes,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_file() && meta.len() > max_bytes {
        return Err(too_large(Some(meta.len())));
    }
    // The length is only a hint (a pipe, a device, a file still growing): the read itself stops
    // one byte past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(max_bytes)).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        // Its size is unknown: the file system's length was within the limit, or absent.
        return Err(too_large(None));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use gongkai_core::format::ApplicationRow;

    use super::*;

    const SEED: &str = include_str!("../../../../../shared/seed/2022_hulunbuir_jingkaiqu.txt");

    #[test]
    fn traditional_characters_in_labels_read_as_the_format() {
        // 報告/開/與/處理/數量/總計… (issue 3, robustness): a Traditional conversion of the seed.
        let pairs = [
            ('开', '開'),
            ('报', '報'),
            ('处', '處'),
            ('数', '數'),
            ('总', '總'),
            ('计', '計'),
            ('结', '結'),
            ('转', '轉'),
            ('请', '請'),
            ('议', '議'),
            ('诉', '訴'),
            ('讼', '訟'),
            ('规', '規'),
            ('许', '許'),
        ];
        let traditional: String = SEED
            .chars()
            .map(|c| pairs.iter().find(|p| p.0 == c).map_or(c, |p| p.1))
            .collect();
        let a = read_text(SEED).map(|r| r.report).ok();
        let b = read_text(&traditional).map(|r| r.report).ok();
        // The organ's name is given as printed (corpus convention), the tables as read.
        assert_eq!(
            b.as_ref().and_then(|r| r.agency.as_deref()),
            Some("呼伦贝尔经济技术開发区")
        );
        // The narrative is kept as printed too (in Traditional characters): tables only here.
        let without_agency = |r: Option<AnnualReport>| {
            r.map(|mut r| {
                r.agency = None;
                r.narrative = None;
                r
            })
        };
        assert_eq!(without_agency(a), without_agency(b));
    }

    #[test]
    fn pre_2019_reports_are_refused_with_the_reason() {
        let text = "某某县人民政府2018年政府信息公开工作年度报告\n一、概述\n本报告统计期限为2018年1月1日至2018年12月31日。\n二、主动公开政府信息情况\n2018年共主动公开政府信息120条。";
        match read_text(text) {
            Err(ReadError::PreTemplate { year }) => assert_eq!(year, 2018),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let message = read_text(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("2018") && message.contains("60号"),
            "{message}"
        );
    }

    #[test]
    fn text_that_is_no_report_is_refused() {
        assert!(matches!(
            read_text("今天天气很好。\n明天也是。"),
            Err(ReadError::NotAReport { .. })
        ));
        assert!(matches!(read_text(""), Err(ReadError::NotAReport { .. })));
    }

    #[test]
    fn html_with_merged_cells_and_entities() {
        let html = "<html><head><title>x</title><style>td{}</style></head><body>\
            <h1>某某区人民政府2023年政府信息公开工作年度报告</h1>\
            <h2>四、政府信息公开行政复议、行政诉讼情况</h2><table>\
            <tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>\
            <tr><td rowspan=\"2\">结果维持</td><td rowspan=2>结果纠正</td><td rowspan='2'>其他结果</td><td rowspan=2>尚未审结</td><td rowspan=2>总计</td>\
            <td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>\
            <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>\
            <tr><td>1</td><td>&nbsp;</td><td>0</td><td>/</td><td>1</td><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>\
            </table><p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p></body></html>";
        let read = read_text(html).expect("reads");
        assert_eq!(read.report.agency.as_deref(), Some("某某区人民政府"));
        assert_eq!(read.report.year, Some(2023));
        let appeals = read.report.appeals.expect("表四");
        assert_eq!(appeals.blocks[0], [Some(1), None, Some(0), None, Some(1)]);
        assert_eq!(
            appeals.blocks[1],
            [Some(2), Some(0), Some(0), Some(0), Some(2)]
        );
        assert!(!read.truncated);
    }

    #[test]
    fn truncated_table_keeps_what_was_printed_and_says_where_it_stops() {
        let cut = SEED.find("5.属于三类内部事务信息").map_or(SEED, |i| {
            &SEED[..i + "5.属于三类内部事务信息 | 0 | 0 |".len()]
        });
        let read = read_text(cut).expect("reads");
        assert!(read.truncated);
        let apps = read.report.applications.expect("表三, partial");
        let row = apps
            .row(ApplicationRow::WithheldInternalAffairs)
            .expect("row");
        assert_eq!(row[..2], [Some(0), Some(0)]);
        assert_eq!(row[2], None);
        assert_eq!(apps.row(ApplicationRow::CarriedForward), Some(&[None; 7]));
        assert!(read.report.appeals.is_none());
        assert!(read.notes.iter().any(|n| n.kind == NoteKind::Truncated));
        assert!(read.notes.iter().any(|n| n.kind == NoteKind::CellMissing
            && n.row == Some("withheld_internal_affairs")
            && n.column == Some("research")));
    }

    #[test]
    fn every_cell_has_provenance_and_the_narrative_excludes_tables() {
        let read = read_text(SEED).expect("reads");
        // 10 + 175 + 15 cells, each read directly.
        assert_eq!(read.provenance.len(), 10 + 175 + 15);
        assert!(
            read.provenance
                .iter()
                .all(|p| p.how == How::Read && p.line > 0)
        );
        assert!(read.narrative.contains("主动公开政府信息388条"));
        assert!(!read.narrative.contains("行政规范性文件 | 0"));
        assert!(read.explain().contains("proactive.regulations.issued ← 第"));
    }

    #[test]
    fn layout_text_with_blank_cells_is_read_by_columns() {
        // pdftotext -layout prints nothing for a blank cell: the numbers keep their columns.
        const HONGZEQU: &str = include_str!("../../../../../shared/corpus/2023_hongzequ_1.txt");
        let blanked: String = HONGZEQU
            .lines()
            .map(|l| {
                if l.starts_with("一、本年新收政府信息公开申请数量") {
                    // The 商业企业 and 其他 cells left blank.
                    let mut chars: Vec<char> = l.chars().collect();
                    let zeros: Vec<usize> = chars
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| **c == '0')
                        .map(|(i, _)| i)
                        .collect();
                    for i in [zeros[0], zeros[4]] {
                        chars[i] = ' ';
                    }
                    chars.into_iter().collect()
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<String>>()
            .join("\n");
        let read = read_text(&blanked).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(
            apps.row(ApplicationRow::NewReceived),
            Some(&[Some(21), None, Some(0), Some(0), Some(0), None, Some(21)])
        );
        assert_eq!(apps.row(ApplicationRow::CarriedOver), Some(&[Some(0); 7]));
    }

    #[test]
    fn padding_after_a_spanning_label_is_not_a_cell() {
        // The label spans the three label columns; a converter printed its padding in place.
        let padded = SEED.replace(
            "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||",
            "一、本年新收政府信息公开申请数量 | | | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        );
        let read = read_text(&padded).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(
            apps.row(ApplicationRow::NewReceived),
            Some(&[
                Some(1),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(1)
            ])
        );
    }

    #[test]
    fn layout_numbers_that_cannot_be_placed_are_not_shifted() {
        // Blank cells inside rows, and no full row to take the columns from: null, not a guess.
        let text = "某某局2023年政府信息公开工作年度报告\n\
            三、收到和处理政府信息公开申请情况\n\
            一、本年新收政府信息公开申请数量      5                            5\n\
            二、上年结转政府信息公开申请数量      1          1                 2\n\
            五、存在的主要问题及改进情况\n六、其他需要报告的事项\n";
        let read = read_text(text).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(apps.row(ApplicationRow::NewReceived), Some(&[None; 7]));
        assert_eq!(apps.row(ApplicationRow::CarriedOver), Some(&[None; 7]));
        assert!(read.notes.iter().any(|n| n.kind == NoteKind::CellUnreadable
            && n.row == Some("new_received")
            && n.message.contains("无法按上下行的列位置对齐")));
    }

    #[test]
    fn markdown_emphasis_and_word_blanks_are_not_label_text() {
        // `| **规章** | 0 |` and a cell printing 无 (nothing) instead of a number.
        let variant = SEED
            .replace("规章 | 0 | 0 | 0 |", "**规章** | 0 | 0 | 0 |")
            .replace("行政许可 | 0 |", "*行政许可* | 无 |");
        let read = read_text(&variant).expect("reads");
        let p = read.report.proactive.expect("表二");
        assert_eq!(
            p.get("regulations", "issued"),
            Some(&crate::model::ProactiveValue::Int(0))
        );
        assert_eq!(p.get("licensing", "decisions"), None);
        assert!(
            read.provenance
                .iter()
                .any(|p| p.row == "licensing" && p.how == How::Blank && p.printed == "无")
        );
    }

    #[test]
    fn headings_printed_without_their_comma_still_delimit_the_tables() {
        // "二 主动公开政府信息情况": the 、 lost in extraction (or never printed).
        let variant = SEED
            .replace("二、主动公开政府信息情况", "二 主动公开政府信息情况")
            .replace("三、收到和处理", "三 收到和处理")
            .replace("四、政府信息公开行政复议", "四　政府信息公开行政复议")
            .replace("五、政府信息公开工作存在", "五 政府信息公开工作存在")
            .replace("六、其他需要报告", "六 其他需要报告");
        let a = read_text(SEED).expect("reads");
        let b = read_text(&variant).expect("reads");
        assert_eq!(a.report, b.report);
        assert!(!b.truncated);
    }

    #[test]
    fn row_labels_printed_without_their_numbering_are_found() {
        let variant = SEED
            .replace(
                "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                "本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3",
            )
            .replace(
                "| (一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                "| 予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2",
            )
            .replace(
                "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 0",
                "部分公开 | 1",
            );
        let read = read_text(&variant).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(
            apps.row(ApplicationRow::NewReceived).map(|r| r[0]),
            Some(Some(3))
        );
        assert_eq!(
            apps.row(ApplicationRow::Granted).map(|r| r[6]),
            Some(Some(2))
        );
        assert_eq!(
            apps.row(ApplicationRow::PartiallyGranted).map(|r| r[0]),
            Some(Some(1))
        );
    }

    #[test]
    fn a_count_with_a_leading_zero_is_not_read() {
        // `00` is two cells run into one (pdftotext merges close columns): never the count 0.
        let text = SEED.replace(
            "三、本年度办理结果 | (一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "三、本年度办理结果 | (一)予以公开 | 00 | 0 | 0 | 0 | 0 | 0 | 0 |",
        );
        assert_ne!(text, SEED);
        let read = read_text(&text).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(apps.row(ApplicationRow::Granted).map(|r| r[0]), Some(None));
        assert!(read.notes.iter().any(|n| n.kind == NoteKind::CellUnreadable
            && n.row == Some("granted")
            && n.column == Some("natural_person")));
    }

    /// The seed's 表三 as one cell per line (`sep` empty lines between cells), with the
    /// 商业企业 and 其他 cells of （一）予以公开 left blank (printed as nothing).
    fn seed_cells_per_line(sep: usize, blank_row: &str) -> String {
        let mut out = String::new();
        let gap = "\n".repeat(sep + 1);
        for line in SEED.lines() {
            if !line.contains(" | ") {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let mut cells: Vec<String> = line
                .split('|')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            if line.contains("(一)予以公开") {
                cells = blank_row.split(',').map(str::to_owned).collect();
            }
            out.push_str(&cells.join(&gap));
            out.push_str(&gap);
        }
        out
    }

    #[test]
    fn one_cell_per_line_blank_cells_are_empty_lines() {
        for sep in [0, 1] {
            // 5 | (blank) | 0 | 0 | 0 | (blank) | 5: a blank cell is one more separator's worth
            // of empty lines.
            let blank = "\n".repeat(sep + 1);
            let row = format!("三、本年度办理结果,(一)予以公开,5{blank},0,0,0{blank},5");
            let text = seed_cells_per_line(sep, &row);
            let read = read_text(&text).expect("reads");
            let apps = read.report.applications.expect("表三");
            assert_eq!(
                apps.row(ApplicationRow::Granted),
                Some(&[Some(5), None, Some(0), Some(0), Some(0), None, Some(5)]),
                "separator {sep}"
            );
            assert_eq!(
                apps.row(ApplicationRow::CarriedForward),
                Some(&[Some(0); 7])
            );
        }
        // Cells missing with nothing to show where: the row is null, never shifted.
        let text = seed_cells_per_line(1, "三、本年度办理结果,(一)予以公开,5,0,0,0,5");
        let read = read_text(&text).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(apps.row(ApplicationRow::Granted), Some(&[None; 7]));
        assert!(
            read.notes
                .iter()
                .any(|n| n.row == Some("granted") && n.kind == NoteKind::CellUnreadable)
        );
    }

    #[test]
    fn space_separated_rows_missing_cells_are_not_shifted() {
        // "规章 0 5" under three columns: which one is blank is unknown.
        let text = SEED
            .replace("规章 | 0 | 0 | 0 |", "规章 0 5")
            .replace("行政规范性文件 | 0 | 0 | 0 |", "行政规范性文件 1 2 3");
        let read = read_text(&text).expect("reads");
        let p = read.report.proactive.expect("表二");
        assert_eq!(p.get("regulations", "issued"), None);
        assert_eq!(p.get("regulations", "in_force"), None);
        assert_eq!(
            p.get("normative_documents", "in_force"),
            Some(&crate::model::ProactiveValue::Int(3))
        );
        assert!(
            read.notes
                .iter()
                .any(|n| n.row == Some("regulations") && n.kind == NoteKind::CellUnreadable)
        );
    }

    #[test]
    fn a_running_head_inside_a_wrapped_label_is_page_furniture() {
        const LAYOUT: &str =
            include_str!("../../tests/data/variants/2025_chongchuan_renshe_layout.txt");
        let head = "       崇川区人力资源和社会保障局 2025 年政府信息公开工作年度报告";
        let broken = LAYOUT.replacen(
            "                     已获取信息\n",
            &format!(
                "\n                                  -4-\n{head}\n                     已获取信息\n"
            ),
            1,
        );
        assert_ne!(broken, LAYOUT);
        let a = read_text(LAYOUT).expect("reads");
        let b = read_text(&broken).expect("reads");
        assert_eq!(a.report, b.report);
    }

    #[test]
    fn numbered_labels_with_a_comma_read_like_the_format() {
        // "1、属于国家秘密", "（1）..." for the format's "1.属于国家秘密".
        let variant = SEED
            .replace(
                "1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                "1、属于国家秘密 | 4 | 0 | 0 | 0 | 0 | 0 | 4",
            )
            .replace("2.重复申请 | 0", "2、重复申请 | 6")
            .replace("3.其他 | 0", "3．其他 | 2")
            .replace("4.保护第三方合法权益 | 0", "（4）保护第三方合法权益 | 7");
        let read = read_text(&variant).expect("reads");
        let apps = read.report.applications.expect("表三");
        assert_eq!(
            apps.row(ApplicationRow::WithheldStateSecret).map(|r| r[6]),
            Some(Some(4))
        );
        assert_eq!(
            apps.row(ApplicationRow::RejectedRepeat).map(|r| r[0]),
            Some(Some(6))
        );
        assert_eq!(
            apps.row(ApplicationRow::OtherOther).map(|r| r[0]),
            Some(Some(2))
        );
        assert_eq!(
            apps.row(ApplicationRow::WithheldThirdParty).map(|r| r[0]),
            Some(Some(7))
        );
    }

    #[test]
    fn spam_and_page_furniture_do_not_disturb_the_tables() {
        let noisy = SEED
            .replace(
                "三、收到和处理政府信息公开申请情况\n",
                "三、收到和处理政府信息公开申请情况\n第 3 页\n欧洲五大联赛 UedBet体育 精彩推荐\n",
            )
            .replace("(四)无法提供", "- 4 -\n(四)无法提供");
        let a = read_text(SEED).map(|r| r.report).ok();
        let b = read_text(&noisy).map(|r| r.report).ok();
        assert_eq!(a, b);
    }
}
