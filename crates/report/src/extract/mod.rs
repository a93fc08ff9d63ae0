//! Getting text out of PDF and DOCX files, for the reader.
//!
//! PDF: the text layer through poppler's `pdftotext -layout` (Debian package `poppler-utils`),
//! run as a subprocess with the file on its standard input; columns stay aligned with spaces,
//! which the reader's layout path reads. A missing program, a file that is not a PDF, and a
//! scan without a text layer are distinct errors.
//!
//! DOCX: `word/document.xml` read directly into an HTML fragment: each paragraph a `<p>`
//! line, each table `<table>` markup with `colspan` from `w:gridSpan` and `rowspan` from
//! `w:vMerge`, so the reader's HTML path reads it as it reads a web page. Bytes without a ZIP
//! signature, a `document.xml` inflating past [`MAX_XML_BYTES`] and tables nested deeper than
//! [`MAX_TABLE_DEPTH`] are refused, so no input costs more than a bounded time and memory.
//!
//! XLSX: each sheet through calamine into the same HTML (`xlsx`), so the superior office can
//! read the workbooks subordinates send (and gongkai's own export) as it reads a web page.

mod docx;
mod xlsx;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use docx::{MAX_TABLE_DEPTH, MAX_XML_BYTES, docx_text};
pub use xlsx::{MAX_SHEET_CELLS, is_xlsx, xlsx_text};

/// Why text could not be got out of a file.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// `pdftotext` is not installed (or not on `PATH`).
    #[error(
        "未找到 PDF 文字提取程序 {program}：请安装 Debian 软件包 poppler-utils（apt-get install poppler-utils）"
    )]
    ExtractorMissing {
        /// The program that was looked for.
        program: String,
    },
    /// The bytes do not start like a PDF.
    #[error("不是 PDF 文件：文件开头没有 %PDF- 标记")]
    NotPdf,
    /// The PDF has no text layer: a scan, or pages of images.
    #[error(
        "PDF 没有文字层（可能是扫描件或图片），无法读取；请提供带文字的 PDF 或先做文字识别（OCR）"
    )]
    NoTextLayer,
    /// `pdftotext` refused the file (damaged, encrypted…).
    #[error("pdftotext 无法读取该 PDF：{message}")]
    PdfUnreadable {
        /// What pdftotext said.
        message: String,
    },
    /// pdftotext ran longer than [`PDF_TIMEOUT`] and was stopped.
    #[error("pdftotext 超过 {seconds} 秒仍未完成，已停止")]
    Timeout {
        /// The limit, in seconds.
        seconds: u64,
    },
    /// Running the program failed in another way.
    #[error("运行 {program} 失败：{source}")]
    Run {
        /// The program.
        program: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a ZIP archive, so not a DOCX.
    #[error("不是 DOCX 文件（不是 ZIP 压缩包）：{message}")]
    NotZip {
        /// What the ZIP reader said.
        message: String,
    },
    /// The archive has no `word/document.xml`.
    #[error("DOCX 文件中没有 word/document.xml（可能不是 Word 文档）")]
    NoDocumentXml,
    /// `word/document.xml` inflates to more than [`MAX_XML_BYTES`] (a ZIP bomb, or no report).
    #[error("DOCX 的 word/document.xml 解压后超过 {limit_mib} MiB（可能是 ZIP 炸弹），不予读取")]
    XmlTooLarge {
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// Tables nested deeper than [`MAX_TABLE_DEPTH`]: no report is laid out so.
    #[error("DOCX 中的表格嵌套超过 {limit} 层，不是年度报告的版式，不予读取")]
    TablesTooDeep {
        /// The deepest nesting read.
        limit: usize,
    },
    /// An XLSX workbook calamine could not read.
    #[error("XLSX 工作簿无法读取：{message}")]
    BadWorkbook {
        /// What calamine said.
        message: String,
    },
    /// The workbook's parts inflate to more than [`MAX_XML_BYTES`] in all.
    #[error("XLSX 工作簿解压后超过 {limit_mib} MiB（可能是 ZIP 炸弹），不予读取")]
    WorkbookTooLarge {
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// A sheet's used area is larger than [`MAX_SHEET_CELLS`].
    #[error("XLSX 工作表“{sheet}”的使用区域超过 {limit} 个单元格，不是年度报告的版式，不予读取")]
    SheetTooLarge {
        /// The sheet's name.
        sheet: String,
        /// The limit, in cells.
        limit: u64,
    },
    /// `word/document.xml` could not be read or parsed.
    #[error("DOCX 的 word/document.xml 无法解析：{message}")]
    BadDocumentXml {
        /// What went wrong.
        message: String,
    },
}

/// How long pdftotext may take over one file before it is stopped.
pub const PDF_TIMEOUT: Duration = Duration::from_secs(60);

/// The program used for PDF text, unless `GONGKAI_PDFTOTEXT` names another.
pub const PDFTOTEXT: &str = "pdftotext";

/// Whether `bytes` start like a PDF (`%PDF-` within the first 1024 bytes, as readers accept).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    head.windows(5).any(|w| w == b"%PDF-")
}

/// The text layer of a PDF, laid out with spaces (`pdftotext -layout`), pages separated by
/// form feeds. The program is `pdftotext` on `PATH`, or the one `GONGKAI_PDFTOTEXT` names.
pub fn pdf_text(bytes: &[u8]) -> Result<String, ExtractError> {
    let program = std::env::var_os("GONGKAI_PDFTOTEXT").unwrap_or_else(|| PDFTOTEXT.into());
    pdf_text_with(Path::new(&program), bytes)
}

/// [`pdf_text`] with an explicit `pdftotext` program.
pub fn pdf_text_with(program: &Path, bytes: &[u8]) -> Result<String, ExtractError> {
    if !is_pdf(bytes) {
        return Err(ExtractError::NotPdf);
    }
    let name = program.display().to_string();
    let mut child = Command::new(program)
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => ExtractError::ExtractorMissing {
                program: name.clone(),
            },
            _ => ExtractError::Run {
                program: name.clone(),
                source,
            },
        })?;
    // Feed stdin and drain both outputs on their own threads, so a large output cannot
    // deadlock the pipes and a program that hangs can be stopped.
    let stdin = child.stdin.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A program that stops reading early (a damaged file) closes the pipe: not our error.
            let _ = stdin.write_all(&input);
        }
    });
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let run_err = |source| ExtractError::Run {
        program: name.clone(),
        source,
    };
    let deadline = Instant::now() + PDF_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(run_err)? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExtractError::Timeout {
                seconds: PDF_TIMEOUT.as_secs(),
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    if !status.success() {
        let message = String::from_utf8_lossy(&err).trim().to_owned();
        return Err(ExtractError::PdfUnreadable {
            message: if message.is_empty() {
                format!("退出码 {}", status.code().unwrap_or(-1))
            } else {
                message
            },
        });
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    if text.chars().all(|c| c.is_whitespace() || c == '\u{c}') {
        return Err(ExtractError::NoTextLayer);
    }
    Ok(text)
}
