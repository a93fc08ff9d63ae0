//! `gongkai report …`: parse, check and render annual reports.

use std::process::ExitCode;

use clap::Subcommand;

/// Subcommands of `gongkai report`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Read a published report and print its tables as the interchange JSON.
    Parse {
        /// The report file.
        file: std::path::PathBuf,
    },
}

pub fn run(cmd: ReportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ReportCommand::Parse { file } => anyhow::bail!("{}: 尚未实现", file.display()),
    }
}
