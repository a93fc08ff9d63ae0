//! An annual report as PDF: typst as a library, the tables on A4 in the official layout
//! (spec/domain.md §4.2–§4.4, rowspan and colspan from `gongkai_report::render::grid`), the
//! narrative parts when the report has them, set in Noto CJK fonts found at run time.
//!
//! This is the one crate that depends on typst, so that nothing else recompiles it. The PDF is
//! made so that `gongkai_report::reader` reads it back (through `pdftotext -layout`) to the
//! same tables, organ, year and template: that is its test.

mod data;
mod fonts;
mod world;

use gongkai_report::model::AnnualReport;
use typst::diag::SourceDiagnostic;
use typst_layout::PagedDocument;

pub use fonts::{DEFAULT_FONT_DIR, FONT_DIR_VAR, FontDirs};

/// Why no PDF was made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No font covering Chinese in any of the directories.
    #[error(
        "未找到中文字体（Noto CJK）：已查找 {}；请安装 fonts-noto-cjk，或用 {FONT_DIR_VAR} 指定字体目录",
        searched.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join("、")
    )]
    NoCjkFont {
        /// The directories searched.
        searched: Vec<std::path::PathBuf>,
    },
    /// typst refused the document (a fault of this crate's template, not of the report).
    #[error("PDF 排版失败：{0}")]
    Typeset(String),
}

/// The report as a PDF file's bytes.
pub fn pdf(report: &AnnualReport, fonts: &FontDirs) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::fonts(fonts)?;
    let world = world::ReportWorld::new(data::inputs(report), fonts);
    let document: PagedDocument = typst::compile(&world).output.map_err(diagnostics)?;
    let bytes = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(diagnostics);
    // typst memoises across compilations; a server rendering per request must not grow.
    typst::comemo::evict(10);
    bytes
}

fn diagnostics(errors: impl IntoIterator<Item = SourceDiagnostic>) -> PdfError {
    PdfError::Typeset(
        errors
            .into_iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}
