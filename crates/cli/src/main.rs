//! `gongkai`: the command line. Argument parsing and glue; the work happens in the library
//! crates. Each command family has its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod calendar_cmd;
mod calendar_year_cmd;
mod consolidate_cmd;
mod demo_data_cmd;
mod platform_cmd;
mod report_cmd;
mod report_db_cmd;
mod search_cmd;
mod token_cmd;

/// 政府信息公开 — government information disclosure under the 2019 《条例》.
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read, check and render annual reports (政府信息公开工作年度报告).
    #[command(subcommand)]
    Report(report_cmd::ReportCommand),
    /// Working-day arithmetic under the State Council's holiday notices.
    #[command(subcommand)]
    Workdays(calendar_cmd::WorkdaysCommand),
    /// Compute an application's statutory clock from its events (JSON).
    Clock(calendar_cmd::ClockArgs),
    /// Compute a 信息处理费 (国办函〔2020〕109号).
    Fee(calendar_cmd::FeeArgs),
    /// Serve the portal and the staff console.
    Serve(platform_cmd::ServeArgs),
    /// Create the database and its schema.
    Init(platform_cmd::InitArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(platform_cmd::UserCommand),
    /// Write a backup of the database to a file.
    Backup(platform_cmd::BackupArgs),
    /// Restore the database from a backup file.
    Restore(platform_cmd::RestoreArgs),
    /// Manage staff API tokens for /api/v1 (shown once; only their hash is kept).
    #[command(subcommand)]
    Token(token_cmd::TokenCommand),
    /// Enter and list the holiday notices of years the program does not ship.
    #[command(subcommand)]
    Calendar(calendar_year_cmd::CalendarCommand),
    /// The portal's search index of published items.
    #[command(subcommand)]
    Search(search_cmd::SearchCommand),
    /// Generate a province (organs, applications, items, appeals) for benchmarks.
    DemoData(demo_data_cmd::DemoDataArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(cmd) => report_cmd::run(cmd),
        Command::Workdays(cmd) => calendar_cmd::workdays(cmd),
        Command::Clock(args) => calendar_cmd::clock(args),
        Command::Fee(args) => calendar_cmd::fee(args),
        Command::Serve(args) => platform_cmd::serve(args),
        Command::Init(args) => platform_cmd::init(args),
        Command::User(cmd) => platform_cmd::user(cmd),
        Command::Backup(args) => platform_cmd::backup(args),
        Command::Restore(args) => platform_cmd::restore(args),
        Command::Token(cmd) => token_cmd::run(cmd),
        Command::Calendar(cmd) => calendar_year_cmd::run(cmd),
        Command::Search(cmd) => search_cmd::run(cmd),
        Command::DemoData(args) => demo_data_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // One line, the cause chain after the program's name (ripgrep's convention).
            eprintln!("gongkai: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
