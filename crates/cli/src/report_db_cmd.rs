//! `gongkai report compute` and `report export`: an organ's annual report from its records in
//! the database.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::platform_cmd::DbArgs;

/// Arguments of `gongkai report compute`.
#[derive(Debug, Args)]
pub struct ComputeArgs {
    /// The organ's id.
    #[arg(long)]
    pub organ: i64,
    /// The statistical year.
    #[arg(long)]
    pub year: i32,
    /// The consolidation of the organ's whole subtree instead of the organ alone.
    #[arg(long)]
    pub subtree: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Output formats of `report export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// DOCX (the statutory tables with merged cells).
    Docx,
    /// XLSX (one sheet per table).
    Xlsx,
    /// PDF (A4, the official layout).
    Pdf,
    /// The portal page's HTML.
    Html,
    /// Plain text in the seed's style.
    Text,
    /// Markdown.
    Markdown,
    /// The interchange JSON.
    Json,
}

/// Arguments of `gongkai report export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The organ's id.
    #[arg(long)]
    pub organ: i64,
    /// The statistical year.
    #[arg(long)]
    pub year: i32,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file to write.
    #[arg(long)]
    pub output: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `gongkai report compute`.
pub fn compute(args: ComputeArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("report compute: not built yet")
}

/// `gongkai report export`.
pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("report export: not built yet")
}
