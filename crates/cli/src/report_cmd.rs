//! `gongkai report …`: parse, check and render annual reports.
//!
//! Exit codes of `report check` (ripgrep's convention): 0 no error-severity finding, 1 at least
//! one, 2 at least one file could not be read as a report at all (its reason goes to stderr as
//! `gongkai: FILE: reason`, and the other files are still checked). A file larger than
//! `--max-size` is such a file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use gongkai_report::check::{self, CheckContext, Finding, Severity, UnreadCell};
use gongkai_report::model::AnnualReport;
use gongkai_report::reader::{self, ReadError};
use gongkai_report::render;

/// Subcommands of `gongkai report`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Read a published report and print its tables as the interchange JSON.
    Parse {
        /// The report file (text, HTML, PDF, DOCX, XLSX…).
        file: PathBuf,
        /// Print how each cell was read and what could not be read, instead of the JSON.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        limit: SizeLimit,
    },
    /// Check reports against the consistency rules of spec/checks.md.
    ///
    /// Directories are walked. A `.json` file is read as the interchange JSON; any other file
    /// as a published report. Reports of one organ in consecutive years are paired for the
    /// cross-year checks. Exit status: 0 no error, 1 errors found, 2 a file could not be read.
    Check {
        /// Report files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object per file per line: {"file", "report", "findings"}.
        #[arg(long)]
        json: bool,
        /// Last year's report of the same organ, for X-CARRY and X-IN-FORCE.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        limit: SizeLimit,
    },
    /// Render an interchange JSON document as HTML, Markdown, text, DOCX, XLSX or PDF.
    ///
    /// Text formats print to standard output unless --output names a file; DOCX, XLSX and PDF
    /// need --output.
    Render {
        /// The JSON document (spec/annual-report.schema.json).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write to this file (replaced whole, never left half-written).
        #[arg(long, short, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Compute an organ's report for a year from its own records (the API's computed report).
    Compute(crate::report_db_cmd::ComputeArgs),
    /// Export an organ's report for a year as a file: the portal page, text, Markdown, JSON,
    /// DOCX, XLSX or PDF.
    Export(crate::report_db_cmd::ExportArgs),
    /// The cell-by-cell sum of reports of one year and template, with H-CONSOLIDATION and the
    /// usual checks.
    Consolidate(crate::consolidate_cmd::ConsolidateArgs),
    /// Read an organ's published reports (any format the reader reads) into the database, as
    /// a subordinate's reports or an adopting organ's past years.
    Import(crate::consolidate_cmd::ImportArgs),
}

/// `--max-size` of `report parse` and `report check`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SizeLimit {
    /// Refuse files larger than SIZE (exit status 2): a number of bytes, or a number with K, M
    /// or G (powers of 1024: 50M is 52428800 bytes).
    #[arg(long = "max-size", value_name = "SIZE", default_value = "50M", value_parser = parse_size)]
    max_size: u64,
}

/// A size of `--max-size`: bytes, or a number with K, M or G (KB/KiB… alike), powers of 1024.
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(digits_end);
    let wrong = || format!("不是大小：{text}（应为字节数，或带 K、M、G 的数，如 50M）");
    let n: u64 = digits.parse().map_err(|_| wrong())?;
    let factor: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(wrong()),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("大小超出范围：{text}"))
}

/// `52428800 字节（50.0 MiB）`.
fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB {
        format!("{bytes} 字节（{:.1} MiB）", bytes as f64 / MIB as f64)
    } else {
        format!("{bytes} 字节")
    }
}

/// Output formats of `report render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A complete HTML page in the official table layout.
    Html,
    /// Markdown pipe tables.
    Markdown,
    /// Plain text, one line per table row, cells joined by ` | `.
    Text,
    /// A Word document: A4, the narrative and the tables with the template's merged cells.
    Docx,
    /// An Excel workbook: one sheet per table, numbers as numbers.
    Xlsx,
    /// A4 PDF in the official layout, set in Noto CJK (fonts-noto-cjk, or `GONGKAI_FONT_DIR`).
    Pdf,
}

pub fn run(cmd: ReportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ReportCommand::Parse {
            file,
            explain,
            limit,
        } => parse(&file, explain, limit.max_size),
        ReportCommand::Check {
            paths,
            json,
            previous,
            limit,
        } => check_files(&paths, json, previous.as_deref(), limit.max_size),
        ReportCommand::Render {
            file,
            format,
            output,
        } => render_file(&file, format, output.as_deref()),
        ReportCommand::Compute(args) => crate::report_db_cmd::compute(args),
        ReportCommand::Export(args) => crate::report_db_cmd::export(args),
        ReportCommand::Consolidate(args) => crate::consolidate_cmd::consolidate(args),
        ReportCommand::Import(args) => crate::consolidate_cmd::import(args),
    }
}

fn parse(file: &Path, explain: bool, max_size: u64) -> anyhow::Result<ExitCode> {
    let read = reader::read_path_limited(file, max_size).map_err(|e| read_error(file, e))?;
    let out = if explain {
        read.explain()
    } else {
        // The JSON cannot say why a cell is null: stderr does, briefly.
        for line in read.unread_summary() {
            eprintln!(
                "gongkai: {}: {line}（详见 gongkai report parse --explain）",
                file.display()
            );
        }
        read.report.to_json_pretty() + "\n"
    };
    print_all(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// A report in one of the formats, as bytes.
pub(crate) fn encode(report: &AnnualReport, format: Format) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        Format::Html => render::html_page(report).into_bytes(),
        Format::Markdown => render::markdown(report).into_bytes(),
        Format::Text => render::text(report).into_bytes(),
        Format::Docx => render::docx::docx(report)?,
        Format::Xlsx => render::xlsx::xlsx(report)?,
        Format::Pdf => gongkai_pdf::pdf(report, &gongkai_pdf::FontDirs::from_env())?,
    })
}

fn render_file(file: &Path, format: Format, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let binary = matches!(format, Format::Docx | Format::Xlsx | Format::Pdf);
    if binary && output.is_none() {
        anyhow::bail!(
            "--format {} 生成二进制文件，请用 --output 指定输出文件",
            format
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default()
        );
    }
    let report = load_json(file, reader::DEFAULT_MAX_FILE_BYTES)
        .map_err(|reason| anyhow::anyhow!("{}: {reason}", file.display()))?;
    let bytes = encode(&report, format).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    match output {
        Some(out) => write_replacing(out, &bytes)
            .map_err(|e| anyhow::anyhow!("{}: 写入失败：{e}", out.display()))?,
        None => print_all(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: a failed
/// write leaves the earlier file, never half of a new one.
pub(crate) fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print_all(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("写入标准输出失败"),
    }
}

/// A reader error with the file named once.
fn read_error(file: &Path, err: ReadError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", file.display(), reason(err))
}

pub(crate) fn reason(err: ReadError) -> String {
    match err {
        // Its own message already starts with the path.
        ReadError::Io { source, .. } => source.to_string(),
        ReadError::TooLarge { size, limit, .. } => {
            let size = size.map_or_else(String::new, |s| format!("大小 {}，", size_text(s)));
            format!(
                "文件{size}超过上限 {}，不予读取（可用 --max-size 调整）",
                size_text(limit)
            )
        }
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// report check

/// A file read for checking.
pub(crate) struct Loaded {
    pub(crate) report: AnnualReport,
    pub(crate) narrative: Option<String>,
    pub(crate) truncated: bool,
    pub(crate) unread: Vec<UnreadCell>,
}

/// Whether a file is read as the interchange JSON rather than as a published report.
fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Reads an interchange JSON document of at most `max_size` bytes.
fn load_json(path: &Path, max_size: u64) -> Result<AnnualReport, String> {
    let bytes = reader::read_file_limited(path, max_size).map_err(reason)?;
    let text = String::from_utf8(bytes).map_err(|e| format!("不是 UTF-8 文本：{e}"))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("不是有效的 JSON：{e}"))?;
    AnnualReport::from_json(&value).map_err(|e| format!("不是 gongkai.annual-report/1 文档：{e}"))
}

fn load(path: &Path, max_size: u64) -> Result<Loaded, String> {
    if is_json(path) {
        return load_json(path, max_size).map(|report| Loaded {
            report,
            narrative: None,
            truncated: false,
            unread: Vec::new(),
        });
    }
    let read = reader::read_path_limited(path, max_size).map_err(reason)?;
    Ok(Loaded {
        report: read.report,
        narrative: Some(read.narrative),
        truncated: read.truncated,
        unread: read.unread,
    })
}

/// Extensions of the files taken from a walked directory (files named explicitly are always
/// read).
const REPORT_EXTENSIONS: [&str; 10] = [
    "txt", "text", "html", "htm", "pdf", "md", "markdown", "json", "docx", "xlsx",
];

/// A file's identity, the same by every path to it (symlinks, hard links).
type FileId = (u64, u64);

fn file_id(meta: &std::fs::Metadata) -> FileId {
    (meta.dev(), meta.ino())
}

/// The files to check: files as given, directories walked (sorted, hidden entries skipped).
/// Each directory is walked once and each file taken once, however many paths lead to it: a
/// symlink to `.` would otherwise make the walk endless.
pub(crate) fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut walk = Walk::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.dir(path, &meta),
            Ok(meta) => walk.file(path, &meta),
            // Reading it gives the reason (a missing file, say).
            Err(_) => walk.files.push(path.clone()),
        }
    }
    (walk.files, walk.failed)
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    failed: Vec<(PathBuf, String)>,
    /// Directories walked, by (device, inode).
    dirs: HashSet<FileId>,
    /// Files taken, by (device, inode).
    taken: HashSet<FileId>,
}

impl Walk {
    fn file(&mut self, path: &Path, meta: &std::fs::Metadata) {
        if self.taken.insert(file_id(meta)) {
            self.files.push(path.to_owned());
        }
    }

    fn dir(&mut self, dir: &Path, meta: &std::fs::Metadata) {
        if !self.dirs.insert(file_id(meta)) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.failed.push((dir.to_owned(), e.to_string()));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            let is_report = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            // Follows symlinks: a linked directory is walked (once), a linked file read.
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.dir(&path, &meta),
                Ok(meta) if is_report => self.file(&path, &meta),
                Ok(_) => {}
                // A dangling link named like a report is a report that cannot be read.
                Err(e) if is_report => self.failed.push((path, e.to_string())),
                Err(_) => {}
            }
        }
    }
}

/// Reads `files` on a few threads; results come back in the order of `files`.
pub(crate) fn load_all(files: &[PathBuf], max_size: u64) -> Vec<Result<Loaded, String>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = files.len() > 1 && std::io::stderr().is_terminal();
    let results: Mutex<Vec<Option<Result<Loaded, String>>>> =
        Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let loaded = load(path, max_size);
                    let mut results = results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(loaded);
                    }
                    drop(results);
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress {
                        eprint!("\r读取 {n}/{} 个文件", files.len());
                    }
                }
            });
        }
    });
    if progress {
        eprint!("\r\x1b[K");
    }
    results
        .into_inner()
        // A worker that panicked leaves its slot empty; the others' results still count.
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("读取中断".to_owned())))
        .collect()
}

/// For each report, the index of last year's report of the same organ among `loaded`.
fn pair_previous(loaded: &[Option<&AnnualReport>]) -> Vec<Option<usize>> {
    let mut by_organ_year: HashMap<(String, i32), usize> = HashMap::new();
    for (i, report) in loaded.iter().enumerate() {
        if let Some(r) = report
            && let (Some(agency), Some(year)) = (&r.agency, r.year)
        {
            // The first file of an organ and year wins (paths are sorted).
            by_organ_year
                .entry((reader::organ_key(agency), year))
                .or_insert(i);
        }
    }
    loaded
        .iter()
        .map(|report| {
            let r = (*report)?;
            let key = (
                reader::organ_key(r.agency.as_deref()?),
                r.year?.checked_sub(1)?,
            );
            by_organ_year.get(&key).copied()
        })
        .collect()
}

fn check_files(
    paths: &[PathBuf],
    json: bool,
    previous: Option<&Path>,
    max_size: u64,
) -> anyhow::Result<ExitCode> {
    let previous_report = match previous {
        Some(path) => Some(
            load(path, max_size)
                .map_err(|reason| anyhow::anyhow!("{}: {reason}", path.display()))?
                .report,
        ),
        None => None,
    };
    let (files, mut failed) = collect(paths);
    for (path, reason) in &failed {
        eprintln!("gongkai: {}: {reason}", path.display());
    }
    let results = load_all(&files, max_size);
    let reports: Vec<Option<&AnnualReport>> = results
        .iter()
        .map(|r| r.as_ref().ok().map(|l| &l.report))
        .collect();
    let pairs = pair_previous(&reports);

    let mut any_error = false;
    let mut read = 0usize;
    let mut by_check: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut out = String::new();
    for ((path, result), pair) in files.iter().zip(&results).zip(&pairs) {
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(reason) => {
                eprintln!("gongkai: {}: {reason}", path.display());
                failed.push((path.clone(), reason.clone()));
                continue;
            }
        };
        read += 1;
        let paired = pair.and_then(|i| reports.get(i).copied().flatten());
        let cx = CheckContext {
            previous: previous_report.as_ref().or(paired),
            narrative: loaded.narrative.as_deref(),
            truncated: loaded.truncated,
            unread: &loaded.unread,
        };
        let findings = check::check(&loaded.report, &cx);
        any_error |= check::has_error(&findings);
        for f in &findings {
            *by_check.entry(f.check).or_default() += 1;
        }
        if json {
            let line = serde_json::json!({
                "file": path.display().to_string(),
                "report": loaded.report.to_json(),
                "findings": findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
            });
            out.push_str(&line.to_string());
            out.push('\n');
        } else {
            for f in &findings {
                out.push_str(&human(path, f));
                out.push('\n');
            }
        }
    }
    print_all(&out)?;
    if !json {
        eprintln!("{}", summary(read, failed.len(), &by_check));
    }
    Ok(if !failed.is_empty() {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `FILE: error T3-BALANCE 表三 自然人: 期望 8，印为 9 — message`
pub(crate) fn human(path: &Path, f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let values = match (&f.expected, &f.printed) {
        (Some(e), Some(p)) => format!(": 期望 {e}，印为 {p}"),
        (Some(e), None) => format!(": 期望 {e}"),
        (None, Some(p)) => format!(": 印为 {p}"),
        (None, None) => String::new(),
    };
    format!(
        "{}: {severity} {} {}{values} — {}",
        path.display(),
        f.check,
        f.place,
        f.message
    )
}

pub(crate) fn summary(
    read: usize,
    failed: usize,
    by_check: &BTreeMap<&'static str, usize>,
) -> String {
    let mut s = format!("读取 {read} 个文件，{failed} 个无法读取");
    if by_check.is_empty() {
        s.push_str("；没有发现问题");
    } else {
        let counts: Vec<String> = by_check.iter().map(|(id, n)| format!("{id} {n}")).collect();
        s.push_str("；发现：");
        s.push_str(&counts.join("，"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::format::Template;

    #[test]
    fn organs_are_paired_across_consecutive_years_only() {
        let report = |agency: &str, year| {
            let mut r = AnnualReport::new(Template::Y2021);
            r.agency = Some(agency.to_owned());
            r.year = Some(year);
            r
        };
        let a21 = report("平潭综合实验区", 2021);
        let a22 = report("平潭 综合实验区", 2022);
        let a24 = report("平潭综合实验区", 2024);
        let b22 = report("洪泽区人民政府", 2022);
        let pairs = pair_previous(&[Some(&a22), Some(&b22), None, Some(&a21), Some(&a24)]);
        assert_eq!(pairs, [Some(3), None, None, None, None]);
        // The same organ's report converted to Traditional Chinese is still its report.
        let t23 = report("武漢市黃陂區人民政府", 2023);
        let s22 = report("武汉市黄陂区人民政府", 2022);
        assert_eq!(pair_previous(&[Some(&t23), Some(&s22)]), [Some(1), None]);
    }

    #[test]
    fn human_line_has_the_documented_shape() {
        let f = Finding {
            check: "T3-BALANCE",
            severity: Severity::Error,
            cells: Vec::new(),
            expected: Some("8".into()),
            printed: Some("9".into()),
            place: "表三 自然人".into(),
            message: "消息".into(),
        };
        assert_eq!(
            human(Path::new("a.txt"), &f),
            "a.txt: error T3-BALANCE 表三 自然人: 期望 8，印为 9 — 消息"
        );
    }
}
