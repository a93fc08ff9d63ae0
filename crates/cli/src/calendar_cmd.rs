//! `gongkai workdays …`, `gongkai clock`, `gongkai fee`: the statutory calendar and clocks.
//!
//! The work is `gongkai_core`'s ([`calendar`], [`clock`], [`fee`]); this module reads files,
//! today's date (Beijing time) and arguments, and prints.
//!
//! # Calendar files
//!
//! The years 2019–2026 are built in. `--calendar-dir DIR` reads every `*.txt` file of DIR as a
//! calendar file (format: `crates/core/calendar/README.md`); a file for a built-in year replaces
//! it. A date in a year without data is an error naming the year, unless `--assume-weekdays`
//! is given: then Monday–Friday is counted and a warning goes to stderr.
//!
//! # The clock's JSON input
//!
//! An object with the case's `events` (or just the array of events) and, optionally, `today`
//! (default: today in Beijing time; `--today` overrides both):
//!
//! ```json
//! {
//!   "today": "2024-11-20",
//!   "events": [
//!     {"date": "2024-09-27", "event": "received", "channel": "in_person"},
//!     {"date": "2024-10-08", "event": "consultation_started", "party": "third_party", "name": "某公司"},
//!     {"date": "2024-10-15", "event": "consultation_answered", "party": "third_party", "name": "某公司"},
//!     {"date": "2024-10-25", "event": "extension_approved", "days": 20, "approver": "张三"},
//!     {"date": "2024-11-20", "event": "replied", "outcome": "disclosed"}
//!   ]
//! }
//! ```
//!
//! Events and their fields: `received` (`channel`: `in_person`, `post`, `letter`, `online`,
//! `email`, `fax`); `correction_requested` (`deadline`, optional); `correction_received`;
//! `correction_lapsed`; `consultation_started` and `consultation_answered` (`party`:
//! `third_party` or `other_organ`; `name`, optional); `extension_approved` (`days`, default 20;
//! `approver`, optional); `fee_notice_sent` (`yuan` and `delivered`, the day the applicant received
//! the notice, both optional); `fee_paid`; `fee_lapsed`;
//! `replied` (`outcome`: a key of `gongkai_core::outcome::OUTCOMES`, e.g. `disclosed`).
//!
//! For art. 26's clock of proactive information the object has `formed` (the day the
//! information was formed or changed) and optionally `published`, instead of `events`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use gongkai_core::calendar::{self, Calendar, Fallback, YearFile, format_date, parse_date};
use gongkai_core::clock::{self, CaseEvent, ClockConfig, ClockReport, ProactiveReport, ReceiptDay};
use gongkai_core::fee::{Fee, FeeBasis};
use gongkai_store::ledger::{self, EventJson};
use serde::Deserialize;
use serde_json::json;
use time::{Date, OffsetDateTime, UtcOffset};

/// Options shared by the commands that count working days.
#[derive(Debug, Args)]
pub struct CalendarOpts {
    /// Directory of extra calendar files (YYYY.txt); a file for a built-in year replaces it.
    #[arg(long, value_name = "DIR")]
    calendar_dir: Option<PathBuf>,
    /// Count Monday–Friday in years without holiday data, with a warning on stderr.
    #[arg(long)]
    assume_weekdays: bool,
}

/// Subcommands of `gongkai workdays`.
#[derive(Debug, Subcommand)]
pub enum WorkdaysCommand {
    /// Print the N-th working day after DATE (DATE itself not counted), as YYYY-MM-DD.
    Add {
        /// The start date, YYYY-MM-DD.
        date: String,
        /// How many working days.
        n: u32,
        #[command(flatten)]
        calendar: CalendarOpts,
    },
    /// Print the number of working days after DATE1 up to and including DATE2.
    Between {
        /// From (not counted), YYYY-MM-DD.
        from: String,
        /// To (counted), YYYY-MM-DD.
        to: String,
        #[command(flatten)]
        calendar: CalendarOpts,
    },
    /// Print the first working day after DATE.
    Next {
        /// The date, YYYY-MM-DD.
        date: String,
        #[command(flatten)]
        calendar: CalendarOpts,
    },
    /// Say whether DATE is a working day, and why.
    Day {
        /// The date, YYYY-MM-DD.
        date: String,
        #[command(flatten)]
        calendar: CalendarOpts,
    },
}

/// Whether the receipt day counts as the first working day.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReceiptDayArg {
    /// Day 0: the count starts the next working day (default).
    Excluded,
    /// Day 1 when it is a working day.
    Included,
}

const CLOCK_FORMAT: &str = r#"FILE is JSON: {"today": "2024-11-20", "events": [EVENT, ...]} or just [EVENT, ...].
An EVENT is {"date": "YYYY-MM-DD", "event": KIND, ...fields}:
  received               channel: in_person | post | letter | online | email | fax
  correction_requested   deadline (optional)
  correction_received, correction_lapsed
  consultation_started, consultation_answered
                         party: third_party | other_organ; name (optional)
  extension_approved     days (default 20), approver (optional)
  fee_notice_sent        yuan, delivered (the day the applicant received it; both optional)
  fee_paid, fee_lapsed
  replied                outcome: disclosed, already_public, partly_disclosed, does_not_exist, ...
For art. 26 (proactive information): {"formed": "YYYY-MM-DD", "published": "YYYY-MM-DD"}."#;

/// Arguments of `gongkai clock`.
#[derive(Debug, Args)]
#[command(after_long_help = CLOCK_FORMAT)]
pub struct ClockArgs {
    /// A case's events as JSON (format below, with --help).
    pub file: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Compute the clock as of this day (default: the file's `today`, else today in Beijing).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Whether the receipt day is day 0 or day 1.
    #[arg(long, value_enum, default_value = "excluded")]
    pub receipt_day: ReceiptDayArg,
    #[command(flatten)]
    pub calendar: CalendarOpts,
}

/// Arguments of `gongkai fee`.
#[derive(Debug, Args)]
pub struct FeeArgs {
    #[command(subcommand)]
    basis: FeeCommand,
}

/// The basis of a fee: one of the two, never both.
#[derive(Debug, Subcommand)]
enum FeeCommand {
    /// 按件计收: the applicant's N-th application in the calendar month (办法 第四条).
    PerApplication {
        /// This application's position in the applicant's calendar month, counting itself.
        #[arg(long)]
        nth: u32,
    },
    /// 按量计收: by the application's pages (办法 第五条).
    PerPage {
        /// Pages provided.
        #[arg(long)]
        pages: u32,
    },
}

fn date_arg(text: &str) -> anyhow::Result<Date> {
    parse_date(text).with_context(|| format!("日期“{text}”无效（应为 YYYY-MM-DD）"))
}

fn load_calendar(opts: &CalendarOpts) -> anyhow::Result<Calendar> {
    let mut extra = Vec::new();
    if let Some(dir) = &opts.calendar_dir {
        let entries =
            fs::read_dir(dir).with_context(|| format!("{}: 无法读取日历目录", dir.display()))?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("{}: 无法读取日历目录", dir.display()))?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
        paths.sort();
        // One file per year: two files for the same year would make the result depend on
        // their names, so it is an error naming both.
        let mut seen: Vec<(i32, PathBuf)> = Vec::new();
        for path in paths {
            let file = read_year_file(&path)?;
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if stem.len() == 4
                && stem.bytes().all(|b| b.is_ascii_digit())
                && stem != file.year.to_string()
            {
                bail!(
                    "{}: 文件名是 {stem} 年，但 year 行是 {}（文件名应与 year 行一致）",
                    path.display(),
                    file.year
                );
            }
            if let Some((_, other)) = seen.iter().find(|(y, _)| *y == file.year) {
                bail!(
                    "{}: {} 年的日历文件重复（已有 {}），每年只能有一个文件",
                    path.display(),
                    file.year,
                    other.display()
                );
            }
            seen.push((file.year, path));
            extra.push(file);
        }
    }
    let cal = Calendar::with_files(extra)?;
    Ok(if opts.assume_weekdays {
        cal.with_fallback(Fallback::Weekdays)
    } else {
        cal
    })
}

fn read_year_file(path: &Path) -> anyhow::Result<YearFile> {
    let text = fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    YearFile::parse(&text).with_context(|| format!("{}", path.display()))
}

fn warn(years: &[i32]) {
    if let Some(warning) = calendar::assumed_warning(years) {
        eprintln!("gongkai: {warning}");
    }
}

/// `gongkai workdays …`.
pub fn workdays(cmd: WorkdaysCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        WorkdaysCommand::Add { date, n, calendar } => {
            let cal = load_calendar(&calendar)?;
            let from = date_arg(&date)?;
            let got = cal.add(from, n)?;
            warn(&got.assumed_years);
            println!(
                "{} {}",
                format_date(got.value),
                calendar::weekday_zh(got.value.weekday())
            );
        }
        WorkdaysCommand::Between { from, to, calendar } => {
            let cal = load_calendar(&calendar)?;
            let got = cal.between(date_arg(&from)?, date_arg(&to)?)?;
            warn(&got.assumed_years);
            println!("{}", got.value);
        }
        WorkdaysCommand::Next { date, calendar } => {
            let cal = load_calendar(&calendar)?;
            let got = cal.next_workday(date_arg(&date)?)?;
            warn(&got.assumed_years);
            println!(
                "{} {}",
                format_date(got.value),
                calendar::weekday_zh(got.value.weekday())
            );
        }
        WorkdaysCommand::Day { date, calendar } => {
            let cal = load_calendar(&calendar)?;
            let got = cal.day(date_arg(&date)?)?;
            warn(&got.assumed_years);
            println!("{}", got.value);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The clock's JSON file as an object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseJson {
    today: Option<String>,
    events: Option<Vec<EventJson>>,
    formed: Option<String>,
    published: Option<String>,
}

fn event_of(e: &EventJson) -> anyhow::Result<CaseEvent> {
    // The ledger also holds record events (assignment, delivery, …); the clock takes only its
    // own, and says which those are.
    if !ledger::CLOCK_EVENTS.contains(&e.event.as_str()) {
        bail!(
            "未知事件“{}”（应为 {}）",
            e.event,
            ledger::CLOCK_EVENTS.join("、")
        );
    }
    let event = e.parse().map_err(|err| anyhow::anyhow!("{err}"))?;
    event
        .case_event()
        .with_context(|| format!("“{}”不是答复期限的事件", e.event))
}

pub(crate) fn beijing_today() -> Date {
    // Deadlines are counted in China's calendar days: UTC+8, no daylight saving.
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// `gongkai clock FILE`.
pub fn clock(args: ClockArgs) -> anyhow::Result<ExitCode> {
    let path = &args.file;
    let text = fs::read_to_string(path)
        .with_context(|| format!("{}: 无法读取案件事件文件", path.display()))?;
    let case: CaseJson = if text.trim_start().starts_with('[') {
        let events: Vec<EventJson> = serde_json::from_str(&text)
            .with_context(|| format!("{}: JSON 无效", path.display()))?;
        CaseJson {
            today: None,
            events: Some(events),
            formed: None,
            published: None,
        }
    } else {
        serde_json::from_str(&text).with_context(|| format!("{}: JSON 无效", path.display()))?
    };
    let today = match (&args.today, &case.today) {
        (Some(t), _) => date_arg(t).context("--today")?,
        (None, Some(t)) => date_arg(t).with_context(|| format!("{}: today", path.display()))?,
        (None, None) => beijing_today(),
    };
    let config = ClockConfig {
        receipt_day: match args.receipt_day {
            ReceiptDayArg::Excluded => ReceiptDay::Excluded,
            ReceiptDayArg::Included => ReceiptDay::Included,
        },
    };
    let cal = load_calendar(&args.calendar)?;

    if let Some(formed) = &case.formed {
        if case.events.is_some() {
            bail!("{}: formed 与 events 不能同时出现", path.display());
        }
        let formed = date_arg(formed).with_context(|| format!("{}: formed", path.display()))?;
        let published = case
            .published
            .as_deref()
            .map(date_arg)
            .transpose()
            .with_context(|| format!("{}: published", path.display()))?;
        let report = clock::proactive_clock(&cal, config, formed, published, today)
            .with_context(|| format!("{}", path.display()))?;
        warn(&report.assumed_years);
        print_proactive(&report, today, args.json)?;
        return Ok(ExitCode::SUCCESS);
    }

    let Some(raw) = &case.events else {
        bail!("{}: 缺少 events（或 formed）", path.display());
    };
    let mut events = Vec::with_capacity(raw.len());
    for (i, e) in raw.iter().enumerate() {
        events
            .push(event_of(e).with_context(|| format!("{}: 第 {} 个事件", path.display(), i + 1))?);
    }
    let report = clock::application_clock(&cal, config, &events, today)
        .with_context(|| format!("{}", path.display()))?;
    warn(&report.assumed_years);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&gongkai_web::cases::clock_json(&report))?
        );
    } else {
        // The calendar warning already went to stderr; keep stdout to the clock itself.
        let quiet = ClockReport {
            assumed_years: Vec::new(),
            ..report
        };
        print!("{}", quiet.render());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_proactive(report: &ProactiveReport, today: Date, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let value = json!({
            "today": format_date(today),
            "formed": format_date(report.formed),
            "published": report.published.map(format_date),
            "due": format_date(report.due),
            "days_left": report.days_left,
            "overdue": report.overdue,
            "explanation": report.explanation,
            "assumed_years": report.assumed_years,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    let status = match (report.published, report.overdue) {
        (Some(_), false) => "已按期公开",
        (Some(_), true) => "逾期公开",
        (None, false) => "待公开",
        (None, true) => "逾期未公开",
    };
    println!("状态：{status}");
    match report.days_left {
        Some(left) if left < 0 => println!(
            "公开期限：{}（已逾期 {} 个工作日）",
            format_date(report.due),
            -left
        ),
        Some(left) => println!(
            "公开期限：{}（剩余 {left} 个工作日）",
            format_date(report.due)
        ),
        None => println!("公开期限：{}", format_date(report.due)),
    }
    println!("计算日：{}", format_date(today));
    for line in &report.explanation {
        println!("{line}");
    }
    Ok(())
}

/// `gongkai fee …`.
pub fn fee(args: FeeArgs) -> anyhow::Result<ExitCode> {
    let basis = match args.basis {
        FeeCommand::PerApplication { nth } => {
            if nth == 0 {
                bail!("--nth 从 1 开始计数（本自然月第几件申请，含本件）");
            }
            FeeBasis::PerApplication { nth }
        }
        FeeCommand::PerPage { pages } => FeeBasis::PerPage { pages },
    };
    for line in Fee::compute(basis).explanation() {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
