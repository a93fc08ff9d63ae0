//! `gongkai report compute` and `report export`: an organ's annual report from its records in
//! the database.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use gongkai_report::AnnualReport;
use gongkai_store::tally::OrganSet;
use gongkai_store::{OrganScope, Store, StoreError};

use crate::platform_cmd::{DbArgs, load_config, open, runtime};
use crate::report_cmd::{Format, encode, write_replacing};

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

/// `gongkai report compute`: prints the computed report's interchange JSON.
pub fn compute(args: ComputeArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let report = computed(&store, args.organ, args.year, args.subtree).await;
        store.close().await;
        println!("{}", report?.to_json_pretty());
        Ok(ExitCode::SUCCESS)
    })
}

/// The report of organ `organ` (with its subtree when `subtree`) for `year`, computed from
/// the database's records; an unknown organ or a year without a template is an error naming
/// the argument. For `report export` as well.
pub async fn computed(
    store: &Store,
    organ: i64,
    year: i32,
    subtree: bool,
) -> anyhow::Result<AnnualReport> {
    let scope = OrganScope::system(organ);
    let report = if subtree {
        store
            .computed_report(OrganSet::Subtree(scope), year, None)
            .await
    } else {
        store.organ_report(scope, year).await
    };
    match report {
        Ok(report) => Ok(report),
        Err(StoreError::NotFound(_)) => bail!("--organ {organ}: 没有这个机关"),
        Err(StoreError::Invalid { message, .. }) => bail!("--year {year}: {message}"),
        Err(e) => Err(e.into()),
    }
}

/// `gongkai report export`: the organ's report for the year — the published version, else the
/// latest draft, else the report computed from its records with its narrative drafted — written
/// whole to `--output` in the format asked.
pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    let report = runtime()?.block_on(async {
        let store = open(&config).await?;
        let report = to_export(&store, args.organ, args.year).await;
        store.close().await;
        report
    })?;
    let bytes = match args.format {
        ExportFormat::Json => (report.to_json_pretty() + "\n").into_bytes(),
        ExportFormat::Docx => encode(&report, Format::Docx)?,
        ExportFormat::Xlsx => encode(&report, Format::Xlsx)?,
        ExportFormat::Pdf => encode(&report, Format::Pdf)?,
        ExportFormat::Html => encode(&report, Format::Html)?,
        ExportFormat::Text => encode(&report, Format::Text)?,
        ExportFormat::Markdown => encode(&report, Format::Markdown)?,
    };
    write_replacing(&args.output, &bytes)
        .with_context(|| format!("{}: 写入失败", args.output.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// The report `export` writes: the year's published version, else its latest version (a draft
/// in progress), else the computed tables with the narrative drafted from the records.
async fn to_export(store: &Store, organ: i64, year: i32) -> anyhow::Result<AnnualReport> {
    let scope = OrganScope::system(organ);
    let stored = match store.published_report(organ, year).await? {
        Some(published) => Some(published.version),
        None => store.report_versions_of(scope, year).await?.pop(),
    };
    if let Some(version) = stored {
        return AnnualReport::from_json(&version.report).with_context(|| {
            format!(
                "--organ {organ} --year {year}: 第 {} 版报告数据无法读取",
                version.number
            )
        });
    }
    let mut report = computed(store, organ, year, false).await?;
    let figures = store.narrative_figures(scope, year).await?;
    report.narrative = Some(gongkai_report::draft::narrative(&report, &figures));
    Ok(report)
}
