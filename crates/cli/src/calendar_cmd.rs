//! `gongkai workdays …`, `gongkai clock`, `gongkai fee`: the statutory calendar and clocks.

use std::process::ExitCode;

use clap::{Args, Subcommand};

/// Subcommands of `gongkai workdays`.
#[derive(Debug, Subcommand)]
pub enum WorkdaysCommand {
    /// Print the N-th working day after DATE.
    Add { date: String, n: u32 },
}

/// Arguments of `gongkai clock`.
#[derive(Debug, Args)]
pub struct ClockArgs {
    /// A case's events as JSON.
    pub file: std::path::PathBuf,
}

/// Arguments of `gongkai fee`.
#[derive(Debug, Args)]
pub struct FeeArgs {}

pub fn workdays(_cmd: WorkdaysCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}

pub fn clock(_args: ClockArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}

pub fn fee(_args: FeeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}
