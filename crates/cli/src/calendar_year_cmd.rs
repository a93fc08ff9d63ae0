//! `gongkai calendar enter|list`: the State Council's holiday notice for a year the program
//! does not ship, entered into the deployment's database by an administrator.
//!
//! `enter FILE --number 文号 --date YYYY-MM-DD` reads FILE in the format of
//! `crates/core/calendar/README.md` (a parse error names the file and the line), stores it as
//! the year's calendar (replacing the built-in or provisional year whole) and recomputes every
//! open case: each whose due date moved gets a `calendar_recomputed` event and is printed as
//! `申请编号 before → after`. Entering the same year again replaces it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use gongkai_core::calendar::{BUILTIN_FILES, YearFile, format_date, parse_date};
use gongkai_core::clock::ClockConfig;
use gongkai_store::calendar_year::Recomputed;
use gongkai_store::{Actor, StoreError};
use time::Date;

use crate::platform_cmd::{DbArgs, load_config, now, open, runtime};

/// The longest 通知文号 accepted.
const MAX_NUMBER_CHARS: usize = 100;

/// Subcommands of `gongkai calendar`.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Enter a year's holiday notice and recompute the due dates of open applications.
    Enter(EnterArgs),
    /// List the notices entered into the database (the built-in years besides).
    List(ListArgs),
}

/// Arguments of `gongkai calendar enter`.
#[derive(Debug, Args)]
pub struct EnterArgs {
    /// The calendar file (format: crates/core/calendar/README.md).
    file: PathBuf,
    /// The notice's 文号, e.g. 国办发明电〔2026〕7号.
    #[arg(long, value_name = "文号")]
    number: String,
    /// The notice's date, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `gongkai calendar list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    db: DbArgs,
}

/// `gongkai calendar …`.
pub fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CalendarCommand::Enter(args) => enter(args),
        CalendarCommand::List(args) => list(args),
    }
}

fn due(date: Option<Date>) -> String {
    date.map_or_else(|| "（无）".to_owned(), format_date)
}

/// The line of one recomputed case.
fn recomputed_line(r: &Recomputed) -> String {
    format!("{} {} → {}", r.number, due(r.before), due(r.after))
}

/// Checks the arguments before the database is opened; returns the file's text and year.
fn read_input(args: &EnterArgs) -> anyhow::Result<(String, i32)> {
    let shown = args.file.display();
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("{shown}: 无法读取日历文件"))?;
    let file = YearFile::parse(&text).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let number = args.number.trim();
    if number.is_empty() || number.chars().count() > MAX_NUMBER_CHARS {
        bail!("--number: 请填写通知的文号（最多 {MAX_NUMBER_CHARS} 个字）");
    }
    if number.chars().any(char::is_control) {
        bail!("--number: 不能含有控制字符");
    }
    if parse_date(&args.date).is_none() {
        bail!("--date {}: 日期格式应为 YYYY-MM-DD", args.date);
    }
    Ok((text, file.year))
}

fn enter(args: EnterArgs) -> anyhow::Result<ExitCode> {
    let (text, year) = read_input(&args)?;
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let result = store
            .enter_calendar_year(
                &Actor::system("cli"),
                now(),
                crate::calendar_cmd::beijing_today(),
                ClockConfig::default(),
                &text,
                args.number.trim(),
                &args.date,
            )
            .await;
        store.close().await;
        let changed = match result {
            Ok(changed) => changed,
            Err(StoreError::Invalid {
                field: "file_text",
                message,
            }) => {
                bail!("{}: {message}", args.file.display())
            }
            Err(StoreError::Invalid { field, message }) => bail!("{field}: {message}"),
            Err(e) => return Err(e.into()),
        };
        println!(
            "已录入 {year} 年节假日安排（{}，{}）。",
            args.number.trim(),
            args.date
        );
        if changed.is_empty() {
            println!("没有在办申请的答复期限因此改变。");
        } else {
            println!("答复期限重新计算的申请（{} 件）：", changed.len());
            for r in &changed {
                println!("{}", recomputed_line(r));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let years = store.calendar_years().await?;
        store.close().await;
        let first = BUILTIN_FILES.first().map_or(0, |(y, _)| *y);
        let last = BUILTIN_FILES.last().map_or(0, |(y, _)| *y);
        println!("内置：{first}–{last} 年（国务院办公厅节假日安排通知）；其余年份按法定节假日暂定，不含调休。");
        if years.is_empty() {
            println!("数据库中没有录入的年份。");
        }
        for y in years {
            println!(
                "{}\t{}\t{}\t录入：{} {}",
                y.year,
                y.notice_number,
                y.notice_date,
                y.entered_by,
                gongkai_web::api::rfc3339(y.entered_at)
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}
