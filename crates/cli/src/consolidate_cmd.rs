//! `gongkai report consolidate` (files alone) and `report import` (a folder of an organ's
//! published reports into the database).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::platform_cmd::DbArgs;

/// Arguments of `gongkai report consolidate`.
#[derive(Debug, Args)]
pub struct ConsolidateArgs {
    /// Reports of one year and template, in any format the reader reads.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The name the consolidated report gives as its agency.
    #[arg(long)]
    pub name: Option<String>,
}

/// Arguments of `gongkai report import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A folder (walked) or files of published reports.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The organ whose reports they are.
    #[arg(long)]
    pub organ: i64,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `gongkai report consolidate`.
pub fn consolidate(args: ConsolidateArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("report consolidate: not built yet")
}

/// `gongkai report import`.
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("report import: not built yet")
}
