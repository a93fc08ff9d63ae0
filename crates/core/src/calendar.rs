//! The statutory working-day calendar (工作日): Monday to Friday, minus the weekday holidays and
//! plus the weekend make-up working days (调休上班) of the State Council's yearly holiday notices
//! (spec/domain.md §3.2, §8).
//!
//! Calendar data is versioned data, not code: one [`YearFile`] per year, in the line format of
//! `crates/core/calendar/README.md`. The years 2019–2026 are embedded ([`Calendar::builtin`]); a
//! deployment adds a year, or overrides one, by parsing more files ([`Calendar::with_files`]).
//! Parsing a string is pure; reading a directory is the caller's business.
//!
//! A date in a year without data is an error naming the year ([`CalendarError::MissingYear`]),
//! unless the calendar was built with a fallback. [`Fallback::Weekdays`] assumes Monday–Friday
//! and every result carries the assumed years ([`Counted::assumed_years`]), so the caller must
//! say so. [`Fallback::Statutory`] builds a provisional year from the statutory holidays of
//! 《全国年节及纪念日放假办法》 ([`provisional_year`], without 调休), for 2019–2100, and every
//! result carries those years too ([`Counted::provisional_years`]). A notice file for a year
//! always wins over its provisional year ([`Calendar::with_file`]).
//!
//! Arithmetic is indexed, never a day-by-day scan: the calendar keeps a prefix count of working
//! days over the years it knows (provisional years included), so [`Calendar::between`] is O(1)
//! and [`Calendar::add`] is a binary search; outside those years Monday–Friday is counted by
//! formula.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use time::{Date, Duration, Month, Weekday};

mod statutory;

pub use statutory::{
    LunarDates, STATUTORY_FIRST_YEAR, STATUTORY_LAST_YEAR, StatutoryDay, lunar_dates,
    provisional_warning, provisional_year, statutory_basis, statutory_holidays,
};

/// What a holiday notice says about one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Adjustment {
    /// A weekday that is a day off (`off` in the file).
    DayOff,
    /// A Saturday or Sunday that is a working day (`work` in the file, 调休上班).
    MakeUpWorkday,
}

/// One adjusted day of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRule {
    /// The day.
    pub date: Date,
    /// Day off or make-up working day.
    pub adjustment: Adjustment,
    /// The holiday it belongs to, as the notice names it: `春节`, `国庆节、中秋节`.
    pub holiday: String,
}

/// The arrangements of one year's holiday notice(s): one calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearFile {
    /// The year the notice is for.
    pub year: i32,
    /// The notices (title, then source), one per `notice` line.
    pub notices: Vec<String>,
    /// The adjusted days, in file order.
    pub rules: Vec<DayRule>,
}

/// A calendar file that could not be read; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The file has no `year` line before its first rule.
    #[error("缺少 year 行（应为文件的第一行有效内容）")]
    MissingYear,
    /// A line starts with an unknown keyword.
    #[error("第 {line} 行：无法识别“{text}”（应为 year、notice、off 或 work）")]
    UnknownLine {
        /// Line number.
        line: usize,
        /// The line as read.
        text: String,
    },
    /// A `year` value is not a year.
    #[error("第 {line} 行：年份“{text}”无效")]
    BadYear {
        /// Line number.
        line: usize,
        /// The value as read.
        text: String,
    },
    /// A second `year` line.
    #[error("第 {line} 行：year 只能出现一次")]
    DuplicateYear {
        /// Line number.
        line: usize,
    },
    /// A rule line without a holiday name or without dates.
    #[error("第 {line} 行：应为“{keyword} 节日名称 日期…”")]
    IncompleteRule {
        /// Line number.
        line: usize,
        /// `off` or `work`.
        keyword: &'static str,
    },
    /// A date that is not `YYYY-MM-DD`.
    #[error("第 {line} 行：日期“{text}”无效（应为 YYYY-MM-DD）")]
    BadDate {
        /// Line number.
        line: usize,
        /// The date as read.
        text: String,
    },
    /// A date too far from the file's year.
    #[error(
        "第 {line} 行：{date} 不在 {year} 年的通知范围内（只能是该年及前后相邻的 12 月、1 月）"
    )]
    DateOutsideYear {
        /// Line number.
        line: usize,
        /// The date.
        date: Date,
        /// The file's year.
        year: i32,
    },
    /// An `off` day on a weekend or a `work` day on a weekday: surely a typo.
    #[error("第 {line} 行：{date} 是{weekday}，{what}")]
    WrongWeekday {
        /// Line number.
        line: usize,
        /// The date.
        date: Date,
        /// Its weekday, in Chinese.
        weekday: &'static str,
        /// What is wrong.
        what: &'static str,
    },
    /// The same date twice in one file.
    #[error("第 {line} 行：{date} 重复出现")]
    DuplicateDate {
        /// Line number.
        line: usize,
        /// The date.
        date: Date,
    },
}

impl YearFile {
    /// Parses a calendar file (format: `crates/core/calendar/README.md`).
    pub fn parse(text: &str) -> Result<YearFile, ParseError> {
        let mut year: Option<i32> = None;
        let mut notices = Vec::new();
        let mut rules: Vec<DayRule> = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let (keyword, rest) = match content.split_once(char::is_whitespace) {
                Some((k, r)) => (k, r.trim()),
                None => (content, ""),
            };
            match keyword {
                "year" => {
                    if year.is_some() {
                        return Err(ParseError::DuplicateYear { line });
                    }
                    let value = rest
                        .parse::<i32>()
                        .ok()
                        .filter(|y| (1000..=9998).contains(y))
                        .ok_or_else(|| ParseError::BadYear {
                            line,
                            text: rest.to_owned(),
                        })?;
                    year = Some(value);
                }
                "notice" if !rest.is_empty() => notices.push(rest.to_owned()),
                "off" | "work" => {
                    let file_year = year.ok_or(ParseError::MissingYear)?;
                    let (adjustment, keyword) = if keyword == "off" {
                        (Adjustment::DayOff, "off")
                    } else {
                        (Adjustment::MakeUpWorkday, "work")
                    };
                    let mut words = rest.split_whitespace();
                    let holiday = words
                        .next()
                        .ok_or(ParseError::IncompleteRule { line, keyword })?;
                    let mut any = false;
                    for word in words {
                        any = true;
                        let date = parse_date(word).ok_or_else(|| ParseError::BadDate {
                            line,
                            text: word.to_owned(),
                        })?;
                        check_rule_date(line, file_year, date, adjustment)?;
                        if !seen.insert(date) {
                            return Err(ParseError::DuplicateDate { line, date });
                        }
                        rules.push(DayRule {
                            date,
                            adjustment,
                            holiday: holiday.to_owned(),
                        });
                    }
                    if !any {
                        return Err(ParseError::IncompleteRule { line, keyword });
                    }
                }
                _ => {
                    return Err(ParseError::UnknownLine {
                        line,
                        text: content.to_owned(),
                    });
                }
            }
        }
        let year = year.ok_or(ParseError::MissingYear)?;
        Ok(YearFile {
            year,
            notices,
            rules,
        })
    }
}

fn check_rule_date(
    line: usize,
    year: i32,
    date: Date,
    adjustment: Adjustment,
) -> Result<(), ParseError> {
    let near = date.year() == year
        || (date.year() == year - 1 && date.month() == Month::December)
        || (date.year() == year + 1 && date.month() == Month::January);
    if !near {
        return Err(ParseError::DateOutsideYear { line, date, year });
    }
    let weekend = is_weekend(date);
    match adjustment {
        Adjustment::DayOff if weekend => Err(ParseError::WrongWeekday {
            line,
            date,
            weekday: weekday_zh(date.weekday()),
            what: "本就休息，不应列为 off（只列放假的周一至周五）",
        }),
        Adjustment::MakeUpWorkday if !weekend => Err(ParseError::WrongWeekday {
            line,
            date,
            weekday: weekday_zh(date.weekday()),
            what: "本就上班，不应列为 work（只列调休上班的周六、周日）",
        }),
        _ => Ok(()),
    }
}

/// Parses `YYYY-MM-DD` (exactly that form).
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |s: &str| -> Option<u32> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let year = digits(text.get(0..4)?)?;
    let month = digits(text.get(5..7)?)?;
    let day = digits(text.get(8..10)?)?;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `星期一` … `星期日`.
pub const fn weekday_zh(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "星期一",
        Weekday::Tuesday => "星期二",
        Weekday::Wednesday => "星期三",
        Weekday::Thursday => "星期四",
        Weekday::Friday => "星期五",
        Weekday::Saturday => "星期六",
        Weekday::Sunday => "星期日",
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// What to do with a date in a year the calendar has no data for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fallback {
    /// Refuse: [`CalendarError::MissingYear`]. The default.
    #[default]
    Error,
    /// Count Monday–Friday as working days, and report the year in
    /// [`Counted::assumed_years`] so the caller warns.
    Weekdays,
    /// For 2019–2100, count the year's statutory holidays that fall on weekdays as days off,
    /// without 调休 or 补休 ([`provisional_year`]), and report the year in
    /// [`Counted::provisional_years`]; other years as [`Fallback::Weekdays`].
    Statutory,
}

/// Why a calendar computation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A date falls in a year without holiday data.
    #[error(
        "缺少 {0} 年的节假日安排数据，无法计算工作日（请添加 {0} 年的日历文件，或明确选择按周一至周五计算）"
    )]
    MissingYear(i32),
    /// Two deployment files for one year.
    #[error("{0} 年的日历文件重复：每年只能有一个文件")]
    DuplicateYear(i32),
    /// The result would fall outside the supported dates.
    #[error("日期超出可计算范围")]
    OutOfRange,
    /// Two files say different things about one date.
    #[error("{date} 在 {first} 年和 {second} 年的日历文件中安排不一致")]
    Conflict {
        /// The date.
        date: Date,
        /// The year of one file.
        first: i32,
        /// The year of the other.
        second: i32,
    },
}

/// A result, with the years it depends on that had no notice: assumed Monday–Friday
/// ([`Fallback::Weekdays`]) or provisional ([`Fallback::Statutory`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<T> {
    /// The result.
    pub value: T,
    /// Years without data counted as Monday–Friday; empty unless a fallback was used.
    pub assumed_years: Vec<i32>,
    /// Years without a notice counted from the statutory holidays; empty unless
    /// [`Fallback::Statutory`] was used.
    pub provisional_years: Vec<i32>,
}

impl<T> Counted<T> {
    /// The warning to show with the result, if any year was assumed or provisional: one line
    /// per kind ([`Counted::warnings`] joined by a newline).
    pub fn warning(&self) -> Option<String> {
        let lines = self.warnings();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// The warnings, one per kind: assumed years, then provisional years.
    pub fn warnings(&self) -> Vec<String> {
        warnings(&self.assumed_years, &self.provisional_years)
    }
}

/// The warnings for assumed years ([`assumed_warning`]) and provisional years
/// ([`provisional_warning`]), in that order.
pub fn warnings(assumed: &[i32], provisional: &[i32]) -> Vec<String> {
    assumed_warning(assumed)
        .into_iter()
        .chain(provisional_warning(provisional))
        .collect()
}

/// The warning for years computed as Monday–Friday without data.
pub fn assumed_warning(years: &[i32]) -> Option<String> {
    let list = year_list(years)?;
    Some(format!(
        "警告：缺少 {list} 年的节假日安排数据，已按周一至周五计算工作日，结果可能不准确"
    ))
}

/// `2016–2018、2027`: ascending years, consecutive ones as a range; `None` for none.
fn year_list(years: &[i32]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    // Consecutive years as one range, so a long span stays one readable line.
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == year => *last = year,
            _ => runs.push((year, year)),
        }
    }
    let list: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    Some(list.join("、"))
}

/// Why a day is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayReason {
    /// An ordinary Monday–Friday.
    Weekday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A weekday off under the named holiday; in a provisional year the name says so:
    /// `春节（暂定）`.
    Holiday(String),
    /// A weekend make-up working day for the named holiday.
    MakeUpWorkday(String),
}

/// One day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    /// The day.
    pub date: Date,
    /// Whether it is a 工作日.
    pub workday: bool,
    /// Why.
    pub reason: DayReason,
}

impl fmt::Display for DayInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.workday {
            "工作日"
        } else {
            "休息日"
        };
        write!(
            f,
            "{} {} {kind}",
            format_date(self.date),
            weekday_zh(self.date.weekday())
        )?;
        match &self.reason {
            DayReason::Weekday | DayReason::Weekend => Ok(()),
            DayReason::Holiday(name) => write!(f, "（{name}放假）"),
            DayReason::MakeUpWorkday(name) => write!(f, "（{name}调休上班）"),
        }
    }
}

/// The working-day calendar: holiday data for some years, indexed.
#[derive(Debug, Clone)]
pub struct Calendar {
    files: BTreeMap<i32, YearFile>,
    /// Years without a notice built from the statutory holidays (only under
    /// [`Fallback::Statutory`]); their rules are in `rules` and the index.
    provisional: BTreeSet<i32>,
    rules: BTreeMap<Date, (Adjustment, String)>,
    fallback: Fallback,
    /// Julian day of the first day of the indexed span (1 January of its first year).
    start: i32,
    /// `prefix[i]` = working days in `[start, start + i)`; the span has `prefix.len() - 1` days.
    prefix: Vec<u32>,
}

/// The calendar files shipped with gongkai: (year, text).
pub const BUILTIN_FILES: [(i32, &str); 8] = [
    (2019, include_str!("../calendar/2019.txt")),
    (2020, include_str!("../calendar/2020.txt")),
    (2021, include_str!("../calendar/2021.txt")),
    (2022, include_str!("../calendar/2022.txt")),
    (2023, include_str!("../calendar/2023.txt")),
    (2024, include_str!("../calendar/2024.txt")),
    (2025, include_str!("../calendar/2025.txt")),
    (2026, include_str!("../calendar/2026.txt")),
];

/// Parses the shipped calendar files.
pub fn builtin_files() -> Result<Vec<YearFile>, ParseError> {
    BUILTIN_FILES
        .iter()
        .map(|(_, text)| YearFile::parse(text))
        .collect()
}

impl Calendar {
    /// The calendar of the shipped years, 2019–2026, strict ([`Fallback::Error`]).
    pub fn builtin() -> Calendar {
        // The shipped files are part of the program and a test parses each of them, so a
        // failure here is a build defect, not bad input: fall back to an empty (strict) calendar
        // rather than panic, which makes every computation report the missing year.
        let files = builtin_files().unwrap_or_default();
        Calendar::from_files(files).unwrap_or_else(|_| Calendar::empty())
    }

    /// The shipped years plus `extra` files; a file for a shipped year replaces it whole. Two
    /// `extra` files for one year are an error ([`CalendarError::DuplicateYear`]).
    pub fn with_files(extra: Vec<YearFile>) -> Result<Calendar, CalendarError> {
        let mut years = BTreeSet::new();
        for file in &extra {
            if !years.insert(file.year) {
                return Err(CalendarError::DuplicateYear(file.year));
            }
        }
        let mut files = builtin_files().unwrap_or_default();
        files.extend(extra);
        Calendar::from_files(files)
    }

    /// A calendar of exactly these files; a later file for the same year replaces an earlier.
    pub fn from_files(files: Vec<YearFile>) -> Result<Calendar, CalendarError> {
        let mut by_year: BTreeMap<i32, YearFile> = BTreeMap::new();
        for file in files {
            by_year.insert(file.year, file);
        }
        Calendar::build(by_year, Fallback::Error)
    }

    /// The same calendar with `file` for its year, replacing the year's notice file or its
    /// provisional year: a notice entered later always wins. The fallback is kept.
    pub fn with_file(self, file: YearFile) -> Result<Calendar, CalendarError> {
        let mut files = self.files;
        files.insert(file.year, file);
        Calendar::build(files, self.fallback)
    }

    /// Indexes the notice files and, under [`Fallback::Statutory`], the provisional years of
    /// 2019–2100 that have no notice file.
    fn build(
        by_year: BTreeMap<i32, YearFile>,
        fallback: Fallback,
    ) -> Result<Calendar, CalendarError> {
        let mut rules: BTreeMap<Date, (Adjustment, String)> = BTreeMap::new();
        let mut owner: BTreeMap<Date, i32> = BTreeMap::new();
        for file in by_year.values() {
            for rule in &file.rules {
                if let Some((adjustment, _)) = rules.get(&rule.date) {
                    if *adjustment != rule.adjustment {
                        return Err(CalendarError::Conflict {
                            date: rule.date,
                            first: owner.get(&rule.date).copied().unwrap_or(file.year),
                            second: file.year,
                        });
                    }
                    continue;
                }
                rules.insert(rule.date, (rule.adjustment, rule.holiday.clone()));
                owner.insert(rule.date, file.year);
            }
        }
        let mut provisional = BTreeSet::new();
        if fallback == Fallback::Statutory {
            for year in STATUTORY_FIRST_YEAR..=STATUTORY_LAST_YEAR {
                if by_year.contains_key(&year) {
                    continue;
                }
                let Some(file) = provisional_year(year) else {
                    continue;
                };
                provisional.insert(year);
                for rule in file.rules {
                    // A notice of the year before or after may set this date (the 2019
                    // notice set 2018-12-31): the notice wins.
                    rules
                        .entry(rule.date)
                        .or_insert_with(|| (rule.adjustment, format!("{}（暂定）", rule.holiday)));
                }
            }
        }
        let years = by_year
            .keys()
            .copied()
            .chain(provisional.iter().copied())
            .chain(rules.keys().map(|d| d.year()));
        let (first, last) = match (years.clone().min(), years.max()) {
            (Some(first), Some(last)) => (first, last),
            _ => {
                let mut calendar = Calendar::empty();
                calendar.fallback = fallback;
                return Ok(calendar);
            }
        };
        let start = jan1(first).ok_or(CalendarError::OutOfRange)?;
        let end = jan1(last + 1).ok_or(CalendarError::OutOfRange)?;
        let days = usize::try_from(end.to_julian_day() - start.to_julian_day())
            .map_err(|_| CalendarError::OutOfRange)?;
        let mut prefix = Vec::with_capacity(days + 1);
        prefix.push(0u32);
        let mut count = 0u32;
        let mut day = start;
        for _ in 0..days {
            let workday = match rules.get(&day) {
                Some((Adjustment::DayOff, _)) => false,
                Some((Adjustment::MakeUpWorkday, _)) => true,
                None => !is_weekend(day),
            };
            count += u32::from(workday);
            prefix.push(count);
            day = day.next_day().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(Calendar {
            files: by_year,
            provisional,
            rules,
            fallback,
            start: start.to_julian_day(),
            prefix,
        })
    }

    fn empty() -> Calendar {
        Calendar {
            files: BTreeMap::new(),
            provisional: BTreeSet::new(),
            rules: BTreeMap::new(),
            fallback: Fallback::Error,
            start: 0,
            prefix: vec![0],
        }
    }

    /// The same calendar with another policy for years without data. Switching to or from
    /// [`Fallback::Statutory`] re-indexes, to add or drop the provisional years.
    pub fn with_fallback(mut self, fallback: Fallback) -> Calendar {
        let statutory = |f: Fallback| f == Fallback::Statutory;
        if statutory(fallback) != statutory(self.fallback) {
            // The notice files were indexed once already, so they do not conflict; and the
            // provisional years lie inside 2019–2100, so the index cannot overflow. Were it to
            // fail anyway, the old index stays, and with it the weaker, Monday–Friday fallback.
            match Calendar::build(self.files.clone(), fallback) {
                Ok(calendar) => return calendar,
                Err(_) => {
                    self.fallback = Fallback::Weekdays;
                    return self;
                }
            }
        }
        self.fallback = fallback;
        self
    }

    /// The policy for years without data.
    pub fn fallback(&self) -> Fallback {
        self.fallback
    }

    /// The years with data, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.files.keys().copied()
    }

    /// The file of a year, if the calendar has one.
    pub fn file(&self, year: i32) -> Option<&YearFile> {
        self.files.get(&year)
    }

    /// The provisional years (no notice, counted from the statutory holidays), ascending;
    /// empty unless [`Fallback::Statutory`].
    pub fn provisional_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.provisional.iter().copied()
    }

    /// Whether `year` is counted provisionally ([`Fallback::Statutory`], no notice).
    pub fn is_provisional(&self, year: i32) -> bool {
        self.provisional.contains(&year)
    }

    // --- the index: W(x) = working days up to and including x, from a fixed origin ---------

    fn span_end(&self) -> i32 {
        // Last Julian day of the span; `start - 1` when the span is empty.
        self.start + self.prefix.len() as i32 - 2
    }

    fn last_prefix(&self) -> i64 {
        i64::from(self.prefix.last().copied().unwrap_or(0))
    }

    /// W(x): the working-day ordinal of Julian day `x`.
    fn ordinal_jd(&self, x: i32) -> i64 {
        let base = weekdays_upto(self.start - 1);
        if x < self.start {
            weekdays_upto(x)
        } else if x <= self.span_end() {
            let i = (x - self.start + 1) as usize;
            base + i64::from(self.prefix.get(i).copied().unwrap_or(0))
        } else {
            base + self.last_prefix() + weekdays_upto(x) - weekdays_upto(self.span_end())
        }
    }

    /// The working-day ordinal of a date: `ordinal(b) - ordinal(a)` is the number of working
    /// days in `(a, b]`. Unchecked: callers check the years with [`Calendar::check_range`].
    pub(crate) fn ordinal(&self, date: Date) -> i64 {
        self.ordinal_jd(date.to_julian_day())
    }

    /// The earliest date whose ordinal is at least `k`: for `k = ordinal(d) + n`, `n ≥ 1`, the
    /// n-th working day after `d`. Unchecked like [`Calendar::ordinal`].
    pub(crate) fn date_at_ordinal(&self, k: i64) -> Result<Date, CalendarError> {
        let base = weekdays_upto(self.start - 1);
        let jd = if k <= base {
            weekday_with_ordinal(k)
        } else if k <= base + self.last_prefix() {
            let target = k - base;
            let i = self.prefix.partition_point(|&c| i64::from(c) < target);
            i64::from(self.start) + i as i64 - 1
        } else {
            let k2 = k - base - self.last_prefix() + weekdays_upto(self.span_end());
            weekday_with_ordinal(k2)
        };
        i32::try_from(jd)
            .ok()
            .and_then(|jd| Date::from_julian_day(jd).ok())
            .ok_or(CalendarError::OutOfRange)
    }

    /// Checks that the days `(from, to]` lie in years with a notice, or records the years
    /// assumed or provisional under a fallback.
    pub(crate) fn check_range(
        &self,
        from: Date,
        to: Date,
        assumed: &mut Unnoticed,
    ) -> Result<(), CalendarError> {
        if to <= from {
            return Ok(());
        }
        let first = from.next_day().map_or(from.year(), |d| d.year());
        for year in first..=to.year() {
            if self.files.contains_key(&year) {
                continue;
            }
            if self.provisional.contains(&year) {
                assumed.provisional.insert(year);
                continue;
            }
            match self.fallback {
                Fallback::Error => return Err(CalendarError::MissingYear(year)),
                Fallback::Weekdays | Fallback::Statutory => {
                    assumed.assumed.insert(year);
                }
            }
        }
        Ok(())
    }

    fn counted<T>(&self, value: T, years: Unnoticed) -> Counted<T> {
        Counted {
            value,
            assumed_years: years.assumed.into_iter().collect(),
            provisional_years: years.provisional.into_iter().collect(),
        }
    }

    /// The `n`-th working day after `date` (`date` itself not counted); `n = 0` gives `date`.
    pub fn add(&self, date: Date, n: u32) -> Result<Counted<Date>, CalendarError> {
        let mut assumed = Unnoticed::default();
        let result = self.add_checked(date, n, &mut assumed)?;
        Ok(self.counted(result, assumed))
    }

    pub(crate) fn add_checked(
        &self,
        date: Date,
        n: u32,
        assumed: &mut Unnoticed,
    ) -> Result<Date, CalendarError> {
        if n == 0 {
            return Ok(date);
        }
        let result = self.date_at_ordinal(self.ordinal(date) + i64::from(n))?;
        self.check_range(date, result, assumed)?;
        Ok(result)
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`.
    /// `between(d, add(d, n)) = n`.
    pub fn between(&self, from: Date, to: Date) -> Result<Counted<i64>, CalendarError> {
        let mut assumed = Unnoticed::default();
        let value = self.between_checked(from, to, &mut assumed)?;
        Ok(self.counted(value, assumed))
    }

    pub(crate) fn between_checked(
        &self,
        from: Date,
        to: Date,
        assumed: &mut Unnoticed,
    ) -> Result<i64, CalendarError> {
        let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
        self.check_range(lo, hi, assumed)?;
        Ok(self.ordinal(to) - self.ordinal(from))
    }

    /// The first working day after `date`.
    pub fn next_workday(&self, date: Date) -> Result<Counted<Date>, CalendarError> {
        self.add(date, 1)
    }

    /// Whether `date` is a working day, and why.
    pub fn day(&self, date: Date) -> Result<Counted<DayInfo>, CalendarError> {
        let mut assumed = Unnoticed::default();
        let before = date.previous_day().ok_or(CalendarError::OutOfRange)?;
        self.check_range(before, date, &mut assumed)?;
        let reason = match self.rules.get(&date) {
            Some((Adjustment::DayOff, name)) => DayReason::Holiday(name.clone()),
            Some((Adjustment::MakeUpWorkday, name)) => DayReason::MakeUpWorkday(name.clone()),
            None if is_weekend(date) => DayReason::Weekend,
            None => DayReason::Weekday,
        };
        let workday = matches!(reason, DayReason::Weekday | DayReason::MakeUpWorkday(_));
        Ok(self.counted(
            DayInfo {
                date,
                workday,
                reason,
            },
            assumed,
        ))
    }

    /// The holidays and make-up working days that fall in `(from, to]`, grouped by holiday
    /// name in date order: (name, days off, make-up working days). For explanations.
    pub fn adjustments_in(&self, from: Date, to: Date) -> Vec<(String, u32, u32)> {
        let mut out: Vec<(String, u32, u32)> = Vec::new();
        if to <= from {
            return out;
        }
        let Some(after) = from.next_day() else {
            return out;
        };
        for (_, (adjustment, name)) in self.rules.range(after..=to) {
            let entry = match out.iter_mut().find(|(n, _, _)| n == name) {
                Some(entry) => entry,
                None => {
                    out.push((name.clone(), 0, 0));
                    let last = out.len() - 1;
                    &mut out[last]
                }
            };
            match adjustment {
                Adjustment::DayOff => entry.1 += 1,
                Adjustment::MakeUpWorkday => entry.2 += 1,
            }
        }
        out
    }
}

/// The years without a notice that a computation went through, by how they were counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Unnoticed {
    /// Counted as Monday–Friday.
    pub(crate) assumed: BTreeSet<i32>,
    /// Counted from the statutory holidays.
    pub(crate) provisional: BTreeSet<i32>,
}

impl Unnoticed {
    /// Adds the years a [`Counted`] result went through.
    pub(crate) fn extend_from<T>(&mut self, counted: &Counted<T>) {
        self.assumed.extend(counted.assumed_years.iter().copied());
        self.provisional
            .extend(counted.provisional_years.iter().copied());
    }
}

fn jan1(year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::January, 1).ok()
}

/// Monday–Friday days with Julian day in `[0, x]` (negative for `x < -1`); differences count
/// weekdays in ranges. Julian day 0 is a Monday, so `jd mod 7 < 5` is Monday–Friday.
fn weekdays_upto(x: i32) -> i64 {
    let n = i64::from(x) + 1;
    5 * n.div_euclid(7) + n.rem_euclid(7).min(5)
}

/// The Julian day of the `k`-th weekday counted by [`weekdays_upto`] (the smallest `x` with
/// `weekdays_upto(x) >= k`).
fn weekday_with_ordinal(k: i64) -> i64 {
    let q = (k - 1).div_euclid(5);
    let r = (k - 1).rem_euclid(5);
    7 * q + r
}

/// `d` moved by whole days (for anchors one day before a date).
pub(crate) fn shift_days(date: Date, days: i64) -> Result<Date, CalendarError> {
    date.checked_add(Duration::days(days))
        .ok_or(CalendarError::OutOfRange)
}

#[cfg(test)]
pub(crate) mod tests;
