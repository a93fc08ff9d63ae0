//! `gongkai serve`, `init`, `user`, `backup`, `restore`: running the platform.

use std::process::ExitCode;

use clap::{Args, Subcommand};

/// Arguments of `gongkai serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {}
/// Arguments of `gongkai init`.
#[derive(Debug, Args)]
pub struct InitArgs {}
/// Subcommands of `gongkai user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account.
    Add,
}
/// Arguments of `gongkai backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {}
/// Arguments of `gongkai restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {}

pub fn serve(_args: ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}
pub fn init(_args: InitArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}
pub fn user(_cmd: UserCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}
pub fn backup(_args: BackupArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}
pub fn restore(_args: RestoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("尚未实现")
}
