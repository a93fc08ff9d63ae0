//! Tests of the calendar: the data files against spec/domain.md §8.3, named edge cases in every
//! year 2019–2026, the index against a day-by-day count, and properties of `add`/`between`.

use super::*;
use proptest::prelude::*;
use time::macros::date;

/// spec/domain.md §8.3, copied verbatim: non-working weekdays, then working weekend days.
const SPEC_OFF: &str = "
2018: 12-31
2019: 01-01 02-04 02-05 02-06 02-07 02-08 04-05 05-01 05-02 05-03 06-07 09-13 10-01 10-02 10-03 10-04 10-07
2020: 01-01 01-24 01-27 01-28 01-29 01-30 01-31 04-06 05-01 05-04 05-05 06-25 06-26 10-01 10-02 10-05 10-06 10-07 10-08
2021: 01-01 02-11 02-12 02-15 02-16 02-17 04-05 05-03 05-04 05-05 06-14 09-20 09-21 10-01 10-04 10-05 10-06 10-07
2022: 01-03 01-31 02-01 02-02 02-03 02-04 04-04 04-05 05-02 05-03 05-04 06-03 09-12 10-03 10-04 10-05 10-06 10-07
2023: 01-02 01-23 01-24 01-25 01-26 01-27 04-05 05-01 05-02 05-03 06-22 06-23 09-29 10-02 10-03 10-04 10-05 10-06
2024: 01-01 02-12 02-13 02-14 02-15 02-16 04-04 04-05 05-01 05-02 05-03 06-10 09-16 09-17 10-01 10-02 10-03 10-04 10-07
2025: 01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 10-01 10-02 10-03 10-06 10-07 10-08
2026: 01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25 10-01 10-02 10-05 10-06 10-07
";
const SPEC_WORK: &str = "
2018: 12-29
2019: 02-02 02-03 04-28 05-05 09-29 10-12
2020: 01-19 04-26 05-09 06-28 09-27 10-10
2021: 02-07 02-20 04-25 05-08 09-18 09-26 10-09
2022: 01-29 01-30 04-02 04-24 05-07 10-08 10-09
2023: 01-28 01-29 04-23 05-06 06-25 10-07 10-08
2024: 02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12
2025: 01-26 02-08 04-27 09-28 10-11
2026: 01-04 02-14 02-28 05-09 09-20 10-10
";

fn spec_dates(list: &str) -> BTreeSet<Date> {
    let mut out = BTreeSet::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let (year, days) = line.split_once(':').expect("spec line has a year");
        for day in days.split_whitespace() {
            let text = format!("{year}-{day}");
            out.insert(parse_date(&text).expect("spec date parses"));
        }
    }
    out
}

/// The definition of a working day straight from spec/domain.md §8.3, without the data files or
/// the index: an oracle for other tests.
pub(crate) fn spec_is_workday(day: Date) -> bool {
    if spec_dates(SPEC_OFF).contains(&day) {
        false
    } else {
        spec_dates(SPEC_WORK).contains(&day) || !is_weekend(day)
    }
}

/// The `n`-th working day after `from`, day by day under [`spec_is_workday`].
pub(crate) fn spec_add(from: Date, n: u32) -> Date {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day = day.next_day().expect("date");
        if spec_is_workday(day) {
            left -= 1;
        }
    }
    day
}

/// Working days in `(from, to]`, day by day under [`spec_is_workday`].
pub(crate) fn spec_between(from: Date, to: Date) -> u32 {
    let mut day = from;
    let mut n = 0;
    while day < to {
        day = day.next_day().expect("date");
        if spec_is_workday(day) {
            n += 1;
        }
    }
    n
}

fn cal() -> Calendar {
    Calendar::builtin()
}

fn weekdays_cal() -> Calendar {
    Calendar::builtin().with_fallback(Fallback::Weekdays)
}

#[test]
fn builtin_files_parse_and_name_their_year_and_notice() {
    for (year, text) in BUILTIN_FILES {
        let file = YearFile::parse(text).unwrap_or_else(|e| panic!("{year}: {e}"));
        assert_eq!(file.year, year);
        assert!(!file.notices.is_empty(), "{year} names no notice");
    }
    assert_eq!(
        cal().years().collect::<Vec<_>>(),
        (2019..=2026).collect::<Vec<_>>()
    );
}

#[test]
fn data_files_equal_the_machine_ready_lists_of_spec_section_8_3() {
    let off = spec_dates(SPEC_OFF);
    let work = spec_dates(SPEC_WORK);
    let cal = cal();
    let mut file_off = BTreeSet::new();
    let mut file_work = BTreeSet::new();
    for (date, (adjustment, _)) in &cal.rules {
        match adjustment {
            Adjustment::DayOff => file_off.insert(*date),
            Adjustment::MakeUpWorkday => file_work.insert(*date),
        };
    }
    assert_eq!(file_off, off);
    assert_eq!(file_work, work);
}

#[test]
fn each_notice_gives_11_days_before_2025_and_13_from_2025() {
    // spec/domain.md §8.3 sanity check: (weekday off) − (weekend work) per notice year; 2020 has
    // 13 through the Spring Festival extension; 2025 and 2026 have 13 under the 2024 revision
    // of 《全国年节及纪念日放假办法》.
    for file in builtin_files().expect("builtin") {
        let off = file
            .rules
            .iter()
            .filter(|r| r.adjustment == Adjustment::DayOff)
            .count();
        let work = file.rules.len() - off;
        let expected = match file.year {
            2020 | 2025 | 2026 => 13,
            _ => 11,
        };
        assert_eq!(off - work, expected, "{}", file.year);
    }
}

#[test]
fn weekday_formula_matches_the_calendar() {
    let mut day = date!(2015 - 01 - 01);
    let mut count = weekdays_upto(day.to_julian_day() - 1);
    for _ in 0..5000 {
        if !is_weekend(day) {
            count += 1;
        }
        assert_eq!(weekdays_upto(day.to_julian_day()), count, "{day}");
        day = day.next_day().expect("date");
    }
}

/// A named edge case: the `n`-th working day after `from` is `expected`.
struct Case {
    name: &'static str,
    from: Date,
    n: u32,
    expected: Date,
}

const fn case(name: &'static str, from: Date, n: u32, expected: Date) -> Case {
    Case {
        name,
        from,
        n,
        expected,
    }
}

#[rustfmt::skip]
const EDGE_CASES: &[Case] = &[
    // 2019
    case("2019 春节：周日调休上班后放假至 02-10", date!(2019 - 02 - 03), 1, date!(2019 - 02 - 11)),
    case("2019 春节：周六 02-02 调休上班", date!(2019 - 02 - 01), 1, date!(2019 - 02 - 02)),
    case("2019 劳动节（三月调整）：05-05 周日上班", date!(2019 - 04 - 30), 1, date!(2019 - 05 - 05)),
    case("2019 国庆节：09-29 周日上班", date!(2019 - 09 - 27), 1, date!(2019 - 09 - 29)),
    case("2019 国庆节：放假至 10-07", date!(2019 - 09 - 30), 1, date!(2019 - 10 - 08)),
    case("2019 元旦：2018-12-31、01-01 放假", date!(2018 - 12 - 30), 1, date!(2019 - 01 - 02)),
    // 2020
    case("2020 春节延长：2020-02-01 不上班", date!(2020 - 01 - 23), 1, date!(2020 - 02 - 03)),
    case("2020 春节：01-19 周日上班", date!(2020 - 01 - 17), 1, date!(2020 - 01 - 19)),
    case("2020 国庆节、中秋节：放假至 10-08", date!(2020 - 09 - 30), 1, date!(2020 - 10 - 09)),
    case("2020 国庆节：10-10 周六上班", date!(2020 - 10 - 09), 1, date!(2020 - 10 - 10)),
    // 2021
    case("2021 春节：02-07 周日上班", date!(2021 - 02 - 05), 1, date!(2021 - 02 - 07)),
    case("2021 春节：放假至 02-17", date!(2021 - 02 - 10), 1, date!(2021 - 02 - 18)),
    case("2021 中秋节：09-18 周六上班", date!(2021 - 09 - 17), 1, date!(2021 - 09 - 18)),
    case("2021 国庆节：放假至 10-07", date!(2021 - 09 - 30), 1, date!(2021 - 10 - 08)),
    // 2022
    case("2022 春节：01-29、01-30 周末上班", date!(2022 - 01 - 28), 2, date!(2022 - 01 - 30)),
    case("2022 春节：放假至 02-06", date!(2022 - 01 - 30), 1, date!(2022 - 02 - 07)),
    case("2022 国庆节：10-08 周六上班", date!(2022 - 09 - 30), 1, date!(2022 - 10 - 08)),
    // 2023
    case("2023 元旦：01-02 补休", date!(2022 - 12 - 30), 1, date!(2023 - 01 - 03)),
    case("2023 春节：01-28 周六上班", date!(2023 - 01 - 20), 1, date!(2023 - 01 - 28)),
    case("2023 中秋节、国庆节：09-29 起放假", date!(2023 - 09 - 28), 1, date!(2023 - 10 - 07)),
    // 2024
    case("2024 春节：02-18 周日上班", date!(2024 - 02 - 09), 1, date!(2024 - 02 - 18)),
    case("2024 国庆节：放假至 10-07", date!(2024 - 09 - 30), 1, date!(2024 - 10 - 08)),
    case("2024 国庆节：09-29 周日上班", date!(2024 - 09 - 27), 1, date!(2024 - 09 - 29)),
    // 2025: the first year of the 13-day law
    case("2025 春节：除夕 01-28 放假", date!(2025 - 01 - 27), 1, date!(2025 - 02 - 05)),
    case("2025 春节：01-26 周日上班", date!(2025 - 01 - 24), 1, date!(2025 - 01 - 26)),
    case("2025 劳动节：05-01、05-02 两天", date!(2025 - 04 - 30), 1, date!(2025 - 05 - 06)),
    case("2025 国庆节、中秋节：放假至 10-08", date!(2025 - 09 - 30), 1, date!(2025 - 10 - 09)),
    // 2026
    case("2026 元旦：01-04 周日上班", date!(2025 - 12 - 31), 1, date!(2026 - 01 - 04)),
    case("2026 春节：02-14 周六上班", date!(2026 - 02 - 13), 1, date!(2026 - 02 - 14)),
    case("2026 春节：放假至 02-23", date!(2026 - 02 - 14), 1, date!(2026 - 02 - 24)),
    case("2026 国庆节：放假至 10-07", date!(2026 - 09 - 30), 1, date!(2026 - 10 - 08)),
];

#[test]
fn named_edge_cases_in_every_year() {
    // 2018-12-29/31 come from the 2019 notice; 2018 itself has no file, so allow the fallback
    // for that case alone and check it warned.
    let cal = weekdays_cal();
    for c in EDGE_CASES {
        let got = cal
            .add(c.from, c.n)
            .unwrap_or_else(|e| panic!("{}: {e}", c.name));
        assert_eq!(got.value, c.expected, "{}", c.name);
        assert_eq!(
            cal.between(c.from, c.expected).map(|x| x.value),
            Ok(i64::from(c.n)),
            "{}",
            c.name
        );
        let expected_assumed: Vec<i32> = if c.from.year() == 2018 {
            vec![2018]
        } else {
            vec![]
        };
        assert_eq!(got.assumed_years, expected_assumed, "{}", c.name);
    }
    let years: BTreeSet<i32> = EDGE_CASES.iter().map(|c| c.expected.year()).collect();
    assert_eq!(years, (2019..=2026).collect());
}

#[test]
fn every_day_2019_to_2026_counts_as_spec_section_8_3_says() {
    // Each make-up working day counts one, each weekday holiday none, every other day by its
    // weekday: between(d − 1, d) against the §8.3 oracle, over all eight years.
    let off = spec_dates(SPEC_OFF);
    let work = spec_dates(SPEC_WORK);
    let cal = cal();
    let mut day = date!(2019 - 01 - 01);
    let (mut made_up, mut holidays) = (0, 0);
    while day.year() <= 2026 {
        let before = day.previous_day().expect("date");
        let expected = if off.contains(&day) {
            holidays += 1;
            0
        } else if work.contains(&day) {
            made_up += 1;
            1
        } else {
            i64::from(!is_weekend(day))
        };
        assert_eq!(
            cal.between(before, day).map(|c| c.value),
            Ok(expected),
            "{day}"
        );
        day = day.next_day().expect("date");
    }
    // Every §8.3 date from 2019 on was visited (2018-12-29 and 2018-12-31 are before).
    assert_eq!((made_up, holidays), (work.len() - 1, off.len() - 1));
}

#[test]
fn y2020_02_01_is_a_day_off_after_the_extension() {
    // 国务院办公厅关于延长2020年春节假期的通知 cancelled the 02-01 make-up working day.
    let day = cal().day(date!(2020 - 02 - 01)).expect("2020 known").value;
    assert!(!day.workday);
    assert_eq!(day.reason, DayReason::Weekend);
    let off = cal().day(date!(2020 - 01 - 31)).expect("2020 known").value;
    assert_eq!(
        off.to_string(),
        "2020-01-31 星期五 休息日（春节延长假期放假）"
    );
}

#[test]
fn day_explains_make_up_working_days() {
    let day = cal().day(date!(2024 - 10 - 12)).expect("2024 known").value;
    assert_eq!(
        day.to_string(),
        "2024-10-12 星期六 工作日（国庆节调休上班）"
    );
}

#[test]
fn working_days_per_year_drop_by_two_under_the_2025_law() {
    let cal = cal();
    let count = |year: i32| {
        let from = date!(2018 - 12 - 31).replace_year(year - 1).expect("date");
        let to = date!(2018 - 12 - 31).replace_year(year).expect("date");
        cal.between(from, to).expect("known").value
    };
    // 2024: 262 weekdays − 19 off + 8 make-up; 2025: 261 − 18 + 5.
    assert_eq!(count(2024), 251);
    assert_eq!(count(2025), 248);
}

#[test]
fn a_year_without_data_is_an_error_naming_it() {
    let err = cal().add(date!(2026 - 12 - 20), 20).unwrap_err();
    assert_eq!(err, CalendarError::MissingYear(2027));
    assert!(
        err.to_string().contains("缺少 2027 年的节假日安排数据"),
        "{err}"
    );
    let err = cal()
        .between(date!(2018 - 06 - 01), date!(2019 - 01 - 10))
        .unwrap_err();
    assert_eq!(err, CalendarError::MissingYear(2018));
}

#[test]
fn the_weekday_fallback_warns_and_names_the_year() {
    let got = weekdays_cal()
        .add(date!(2026 - 12 - 30), 3)
        .expect("fallback");
    // 2026-12-31 Thu, 2027-01-01 Fri (no data: counted), 2027-01-04 Mon.
    assert_eq!(got.value, date!(2027 - 01 - 04));
    assert_eq!(got.assumed_years, vec![2027]);
    assert_eq!(
        got.warning().as_deref(),
        Some("警告：缺少 2027 年的节假日安排数据，已按周一至周五计算工作日，结果可能不准确")
    );
    assert_eq!(
        assumed_warning(&[2016, 2017, 2018, 2027]).as_deref(),
        Some(
            "警告：缺少 2016–2018、2027 年的节假日安排数据，已按周一至周五计算工作日，结果可能不准确"
        )
    );
    assert_eq!(
        weekdays_cal()
            .add(date!(2024 - 01 - 02), 3)
            .expect("known")
            .warning(),
        None
    );
}

#[test]
fn a_local_file_overrides_its_year_and_a_new_year_is_added_by_a_file() {
    let local = "year 2024\nnotice 本地调整\noff 本地假日 2024-03-01\n";
    let next = "year 2027\nnotice 假设的 2027 年通知\noff 元旦 2027-01-01\n";
    let cal = Calendar::with_files(vec![
        YearFile::parse(local).expect("parses"),
        YearFile::parse(next).expect("parses"),
    ])
    .expect("builds");
    // The local file replaced the whole 2024 notice: 10-01 is now an ordinary Tuesday.
    assert!(!cal.day(date!(2024 - 03 - 01)).expect("2024").value.workday);
    assert!(cal.day(date!(2024 - 10 - 01)).expect("2024").value.workday);
    assert_eq!(
        cal.add(date!(2026 - 12 - 31), 1).expect("2027 added").value,
        date!(2027 - 01 - 04)
    );
}

#[test]
fn two_deployment_files_for_one_year_are_rejected() {
    let a = YearFile::parse("year 2027\noff 元旦 2027-01-01\n").expect("parses");
    let b = YearFile::parse("year 2027\nnotice 另一份\n").expect("parses");
    assert_eq!(
        Calendar::with_files(vec![a, b]).unwrap_err(),
        CalendarError::DuplicateYear(2027)
    );
}

#[test]
fn conflicting_files_are_rejected() {
    let a = YearFile::parse("year 2030\noff 甲 2030-12-31\n").expect("parses");
    let b = YearFile::parse("year 2031\nnotice 乙\n").expect("parses");
    let c = YearFile::parse("year 2029\nnotice 丙\n").expect("parses");
    assert!(Calendar::from_files(vec![a.clone(), b, c]).is_ok());
    let clash = YearFile {
        year: 2031,
        notices: vec![],
        rules: vec![DayRule {
            date: date!(2030 - 12 - 31),
            adjustment: Adjustment::MakeUpWorkday,
            holiday: "乙".into(),
        }],
    };
    assert_eq!(
        Calendar::from_files(vec![a, clash]).unwrap_err(),
        CalendarError::Conflict {
            date: date!(2030 - 12 - 31),
            first: 2030,
            second: 2031
        }
    );
}

#[test]
fn parse_errors_say_the_line_and_what_is_wrong() {
    let cases = [
        (
            "off 元旦 2024-01-01",
            "缺少 year 行（应为文件的第一行有效内容）",
        ),
        (
            "year 2024\noff 元旦 2024-01-06",
            "第 2 行：2024-01-06 是星期六，本就休息，不应列为 off（只列放假的周一至周五）",
        ),
        (
            "year 2024\nwork 春节 2024-02-05",
            "第 2 行：2024-02-05 是星期一，本就上班，不应列为 work（只列调休上班的周六、周日）",
        ),
        (
            "year 2024\noff 元旦 2024-1-1",
            "第 2 行：日期“2024-1-1”无效（应为 YYYY-MM-DD）",
        ),
        ("year 2024\noff 元旦", "第 2 行：应为“off 节日名称 日期…”"),
        (
            "year 2024\nholiday 元旦 2024-01-01",
            "第 2 行：无法识别“holiday 元旦 2024-01-01”（应为 year、notice、off 或 work）",
        ),
        (
            "year 2024\noff 元旦 2022-01-03",
            "第 2 行：2022-01-03 不在 2024 年的通知范围内（只能是该年及前后相邻的 12 月、1 月）",
        ),
        (
            "year 2024\noff 元旦 2024-01-01\noff 又 2024-01-01",
            "第 3 行：2024-01-01 重复出现",
        ),
        ("year 二〇二四", "第 1 行：年份“二〇二四”无效"),
    ];
    for (text, message) in cases {
        let err = YearFile::parse(text).unwrap_err();
        assert_eq!(err.to_string(), message, "{text}");
    }
}

#[test]
fn parse_date_accepts_only_iso_dates() {
    assert_eq!(parse_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024/01/01",
        "24-01-01",
        "2024-01-1x",
        "２０２４-01-01",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

/// The index against the definition: a day-by-day count.
fn naive_between(cal: &Calendar, from: Date, to: Date) -> i64 {
    let (lo, hi, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let mut n = 0;
    let mut day = lo;
    while day < hi {
        day = day.next_day().expect("date");
        if cal.day(day).expect("day").value.workday {
            n += 1;
        }
    }
    sign * n
}

fn any_date() -> impl Strategy<Value = Date> {
    // 2016–2030: years before, inside and after the data, through the fallback.
    (date!(2016 - 01 - 01).to_julian_day()..date!(2030 - 12 - 31).to_julian_day())
        .prop_map(|jd| Date::from_julian_day(jd).expect("date"))
}

proptest! {
    #[test]
    fn between_of_add_is_n(d in any_date(), n in 0u32..400) {
        let cal = weekdays_cal();
        let to = cal.add(d, n).expect("fallback").value;
        prop_assert_eq!(cal.between(d, to).expect("fallback").value, i64::from(n));
        prop_assert_eq!(cal.between(to, d).expect("fallback").value, -i64::from(n));
        if n > 0 {
            prop_assert!(cal.day(to).expect("fallback").value.workday);
            prop_assert!(to > d);
        }
    }

    #[test]
    fn add_is_monotonic_in_date_and_n(a in any_date(), b in any_date(), n in 0u32..200, m in 0u32..200) {
        let cal = weekdays_cal();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(cal.add(lo, n).expect("fallback").value <= cal.add(hi, n).expect("fallback").value);
        let (small, large) = if n <= m { (n, m) } else { (m, n) };
        let x = cal.add(a, small).expect("fallback").value;
        let y = cal.add(a, large).expect("fallback").value;
        prop_assert!(x <= y);
        if small < large {
            prop_assert!(x < y);
        }
    }

    #[test]
    fn parsing_any_text_never_panics(text in "(year 2024\n)?((off|work|notice|year|#) ?[\\PC ]{0,30}\n){0,6}") {
        let _ = YearFile::parse(&text);
    }

    #[test]
    fn index_agrees_with_a_day_by_day_count(a in any_date(), span in 0i64..120) {
        let cal = weekdays_cal();
        let b = shift_days(a, span).expect("date");
        prop_assert_eq!(cal.between(a, b).expect("fallback").value, naive_between(&cal, a, b));
    }
}

// --- provisional years (Fallback::Statutory) --------------------------------------------------

fn statutory_cal() -> &'static Calendar {
    // Built once: the property tests ask for it in every case.
    static CALENDAR: std::sync::LazyLock<Calendar> =
        std::sync::LazyLock::new(|| Calendar::builtin().with_fallback(Fallback::Statutory));
    &CALENDAR
}

#[test]
fn the_lunar_table_parses_whole_and_covers_2019_to_2100() {
    let table = statutory::parse_lunar_table(include_str!("../../calendar/lunar.txt"))
        .expect("every line parses");
    let years: Vec<i32> = table.iter().map(|row| row.year).collect();
    assert_eq!(
        years,
        (STATUTORY_FIRST_YEAR..=STATUTORY_LAST_YEAR).collect::<Vec<_>>()
    );
    let month_day = |d: Date| (u8::from(d.month()), d.day());
    for row in &table {
        let y = row.year;
        // Bounds the calendar itself sets: 正月初一 is the second new moon after the winter
        // solstice (01-21 … 02-20); 清明 is the Sun at 15° (04-04 … 04-06).
        assert!((1, 21) <= month_day(row.spring_festival), "{y}");
        assert!(month_day(row.spring_festival) <= (2, 20), "{y}");
        assert!((4, 4) <= month_day(row.qingming), "{y}");
        assert!(month_day(row.qingming) <= (4, 6), "{y}");
        // 五月初五 is 4 lunar months (29 or 30 days each) and 4 days after 正月初一, one month
        // more with a leap month between; 八月十五 is 3 months and 10 days after 五月初五.
        let gap = |a: Date, b: Date| (b - a).whole_days();
        let spring_to_dragon = gap(row.spring_festival, row.dragon_boat);
        assert!(
            (120..=124).contains(&spring_to_dragon) || (149..=154).contains(&spring_to_dragon),
            "{y}: {spring_to_dragon}"
        );
        let dragon_to_autumn = gap(row.dragon_boat, row.mid_autumn);
        assert!(
            (97..=100).contains(&dragon_to_autumn) || (126..=130).contains(&dragon_to_autumn),
            "{y}: {dragon_to_autumn}"
        );
        // At most one leap month a year.
        assert!(spring_to_dragon < 149 || dragon_to_autumn < 126, "{y}");
    }
    for pair in table.windows(2) {
        // A lunar year has 12 months (353–355 days) or 13 (383–385).
        let days = (pair[1].spring_festival - pair[0].spring_festival).whole_days();
        assert!(
            (353..=355).contains(&days) || (383..=385).contains(&days),
            "{}: {days}",
            pair[0].year
        );
    }
}

#[test]
fn lunar_dates_agree_with_the_notices_of_spec_section_8_2() {
    // (year, 除夕, 春节, 清明, 端午, 中秋): the holiday days of the notices in §8.2.
    let cases = [
        (
            2019,
            date!(2019 - 02 - 04),
            date!(2019 - 04 - 05),
            date!(2019 - 06 - 07),
            date!(2019 - 09 - 13),
        ),
        (
            2020,
            date!(2020 - 01 - 24),
            date!(2020 - 04 - 04),
            date!(2020 - 06 - 25),
            date!(2020 - 10 - 01),
        ),
        (
            2021,
            date!(2021 - 02 - 11),
            date!(2021 - 04 - 04),
            date!(2021 - 06 - 14),
            date!(2021 - 09 - 21),
        ),
        (
            2022,
            date!(2022 - 01 - 31),
            date!(2022 - 04 - 05),
            date!(2022 - 06 - 03),
            date!(2022 - 09 - 10),
        ),
        (
            2023,
            date!(2023 - 01 - 21),
            date!(2023 - 04 - 05),
            date!(2023 - 06 - 22),
            date!(2023 - 09 - 29),
        ),
        // 2024 清明 04-04.
        (
            2024,
            date!(2024 - 02 - 09),
            date!(2024 - 04 - 04),
            date!(2024 - 06 - 10),
            date!(2024 - 09 - 17),
        ),
        // 2025 除夕 01-28, the first day of the 2024 revision's four-day 春节.
        (
            2025,
            date!(2025 - 01 - 28),
            date!(2025 - 04 - 04),
            date!(2025 - 05 - 31),
            date!(2025 - 10 - 06),
        ),
        // 2026: 02-15 is 腊月二十八, so 除夕 02-16 and 正月初一 02-17; 端午 06-19; 中秋 09-25.
        (
            2026,
            date!(2026 - 02 - 16),
            date!(2026 - 04 - 05),
            date!(2026 - 06 - 19),
            date!(2026 - 09 - 25),
        ),
    ];
    for (year, eve, qingming, dragon, autumn) in cases {
        let got = lunar_dates(year).expect("in the table");
        assert_eq!(got.new_years_eve(), eve, "{year} 除夕");
        assert_eq!(
            got.spring_festival,
            eve.next_day().expect("date"),
            "{year} 春节"
        );
        assert_eq!(got.qingming, qingming, "{year} 清明");
        assert_eq!(got.dragon_boat, dragon, "{year} 端午");
        assert_eq!(got.mid_autumn, autumn, "{year} 中秋");
    }
    assert_eq!(lunar_dates(2018), None);
    assert_eq!(lunar_dates(2101), None);
}

#[test]
fn every_notice_gives_at_least_the_statutory_weekday_holidays() {
    // The notice arranges the statutory days, it never takes one away: each statutory day of
    // the law in force that falls on a weekday is a day off in the shipped notices, under its
    // holiday's name. This checks the lunar table against eight years of notices.
    let cal = cal();
    for year in 2019..=2026 {
        let provisional = provisional_year(year).expect("in the table");
        assert!(!provisional.rules.is_empty(), "{year}");
        for rule in &provisional.rules {
            let notice = cal.rules.get(&rule.date);
            let named = notice.is_some_and(|(adjustment, name)| {
                *adjustment == Adjustment::DayOff
                    && rule.holiday.split('、').any(|part| name.contains(part))
            });
            assert!(named, "{year}: {} {} → {notice:?}", rule.date, rule.holiday);
        }
    }
}

#[test]
fn the_statutory_days_are_13_from_2025_and_11_before() {
    let count = |year| statutory_holidays(year).expect("in the table").len();
    assert_eq!(count(2025), 13);
    assert_eq!(count(2027), 13);
    assert_eq!(count(2100), 13);
    assert_eq!(count(2024), 11);
    // 2020: 中秋 on 10-01, one day for two holidays.
    assert_eq!(count(2020), 10);
    assert!(
        statutory_holidays(2020)
            .expect("2020")
            .iter()
            .any(|d| d.date == date!(2020 - 10 - 01) && d.holiday == "国庆节、中秋节")
    );
    assert_eq!(statutory_holidays(2101), None);
    assert_eq!(
        statutory_basis(2027),
        "《全国年节及纪念日放假办法》（2024年修订）"
    );
}

#[test]
fn the_provisional_2027_file_lists_the_statutory_weekdays_without_make_up_days() {
    // 2027: 春节 02-06 is a Saturday and 劳动节 05-01/02 a weekend: no 补休 (art. 6), so no day
    // off for them; the notice will decide.
    let file = provisional_year(2027).expect("2027");
    expect_test::expect![[r#"
        year 2027
        notice 暂定：《全国年节及纪念日放假办法》（2024年修订）规定的法定节假日，不含调休与补休，以国务院办公厅关于2027年部分节假日安排的通知为准
        off 元旦 2027-01-01
        off 春节 2027-02-05 2027-02-08
        off 清明节 2027-04-05
        off 端午节 2027-06-09
        off 中秋节 2027-09-15
        off 国庆节 2027-10-01
    "#]]
    .assert_eq(&file.to_text());
    assert_eq!(YearFile::parse(&file.to_text()), Ok(file));
}

#[test]
fn to_text_gives_back_every_shipped_file() {
    for file in builtin_files().expect("builtin") {
        assert_eq!(
            YearFile::parse(&file.to_text()).as_ref(),
            Ok(&file),
            "{}",
            file.year
        );
    }
}

#[test]
fn art33_twenty_working_days_from_2026_12_04_skip_the_provisional_2027_new_year() {
    // 条例第三十三条: 20 working days from an application received on 2026-12-04. Without a 2027
    // notice, Monday–Friday would give 2027-01-01, 元旦; the statutory fallback gives the next
    // working day and says that 2027 is provisional.
    let got = statutory_cal()
        .add(date!(2026 - 12 - 04), 20)
        .expect("provisional");
    assert_ne!(got.value, date!(2027 - 01 - 01));
    assert_eq!(got.value, date!(2027 - 01 - 04));
    assert_eq!(got.provisional_years, vec![2027]);
    assert_eq!(got.assumed_years, Vec::<i32>::new());
    assert_eq!(
        got.warning().as_deref(),
        Some(
            "2027年的放假安排尚未发布，按《全国年节及纪念日放假办法》规定的法定节假日暂定计算（不含调休），以国务院办公厅通知为准"
        )
    );
    let weekdays = weekdays_cal()
        .add(date!(2026 - 12 - 04), 20)
        .expect("assumed");
    assert_eq!(weekdays.value, date!(2027 - 01 - 01));
    assert_eq!(weekdays.assumed_years, vec![2027]);
    assert_eq!(weekdays.provisional_years, Vec::<i32>::new());
}

#[test]
fn a_provisional_day_names_its_holiday_as_provisional() {
    let cal = statutory_cal();
    let eve = cal.day(date!(2027 - 02 - 05)).expect("provisional");
    assert_eq!(eve.value.reason, DayReason::Holiday("春节（暂定）".into()));
    assert_eq!(eve.provisional_years, vec![2027]);
    assert_eq!(
        eve.value.to_string(),
        "2027-02-05 星期五 休息日（春节（暂定）放假）"
    );
    // 正月初一 on a Saturday stays a weekend, and no 补休 moves to the Tuesday.
    let first = cal.day(date!(2027 - 02 - 06)).expect("provisional").value;
    assert_eq!(first.reason, DayReason::Weekend);
    assert!(
        cal.day(date!(2027 - 02 - 09))
            .expect("provisional")
            .value
            .workday
    );
    assert_eq!(
        cal.adjustments_in(date!(2027 - 01 - 31), date!(2027 - 02 - 28)),
        vec![("春节（暂定）".to_owned(), 2, 0)]
    );
    assert_eq!(
        cal.provisional_years().collect::<Vec<_>>(),
        (2027..=2100).collect::<Vec<_>>()
    );
    assert!(cal.is_provisional(2027) && !cal.is_provisional(2026));
    // The notice years stay the notice years.
    assert_eq!(
        cal.years().collect::<Vec<_>>(),
        (2019..=2026).collect::<Vec<_>>()
    );
}

#[test]
fn a_notice_entered_later_replaces_the_provisional_year() {
    let notice = YearFile::parse(
        "year 2027\nnotice 假设的 2027 年通知\noff 元旦 2027-01-01\noff 春节 2027-02-05 2027-02-08 2027-02-09\nwork 春节 2027-02-20\n",
    )
    .expect("parses");
    let cal = statutory_cal()
        .clone()
        .with_file(notice.clone())
        .expect("builds");
    assert!(!cal.is_provisional(2027));
    assert_eq!(cal.fallback(), Fallback::Statutory);
    let day = cal.day(date!(2027 - 02 - 09)).expect("notice");
    assert_eq!(day.value.reason, DayReason::Holiday("春节".into()));
    assert_eq!(day.provisional_years, Vec::<i32>::new());
    // Its rules only: 清明 04-05 is no longer a provisional day off (the notice omits it).
    assert!(
        cal.day(date!(2027 - 04 - 05))
            .expect("notice")
            .value
            .workday
    );
    assert!(
        cal.day(date!(2027 - 02 - 20))
            .expect("notice")
            .value
            .workday
    );
    let got = cal.add(date!(2026 - 12 - 04), 20).expect("notice");
    assert_eq!(
        (got.value, got.provisional_years),
        (date!(2027 - 01 - 04), vec![])
    );
    // Through with_files too, and whichever order the fallback is chosen in.
    let cal = Calendar::with_files(vec![notice])
        .expect("builds")
        .with_fallback(Fallback::Statutory);
    assert!(!cal.is_provisional(2027) && cal.is_provisional(2028));
    // A notice of the year before may name a day of the provisional year: the notice wins.
    let local_2026 = format!("{}off 元旦 2027-01-01\n", BUILTIN_FILES[7].1);
    let cal = statutory_cal()
        .clone()
        .with_file(YearFile::parse(&local_2026).expect("parses"))
        .expect("builds");
    let day = cal.day(date!(2027 - 01 - 01)).expect("provisional");
    assert_eq!(day.value.reason, DayReason::Holiday("元旦".into()));
}

#[test]
fn the_statutory_fallback_leaves_years_outside_the_table_to_weekdays() {
    let cal = statutory_cal();
    let got = cal.add(date!(2100 - 12 - 30), 2).expect("assumed");
    // 2100-12-31 Fri, 2101-01-01 Sat, 2101-01-03 Mon: 2101 has no lunar data.
    assert_eq!(got.value, date!(2101 - 01 - 03));
    assert_eq!(got.provisional_years, vec![2100]);
    assert_eq!(got.assumed_years, vec![2101]);
    assert_eq!(got.warnings().len(), 2);
    // Without notices, the years before 2025 follow the 2013 text: no 除夕.
    let bare = Calendar::from_files(vec![])
        .expect("empty")
        .with_fallback(Fallback::Statutory);
    assert!(
        bare.day(date!(2024 - 02 - 09))
            .expect("provisional")
            .value
            .workday
    );
    assert!(
        !bare
            .day(date!(2024 - 02 - 12))
            .expect("provisional")
            .value
            .workday
    );
    // Back to Monday–Friday drops the provisional years.
    let weekdays = statutory_cal().clone().with_fallback(Fallback::Weekdays);
    assert_eq!(weekdays.provisional_years().count(), 0);
    assert!(
        weekdays
            .day(date!(2027 - 02 - 05))
            .expect("assumed")
            .value
            .workday
    );
}

/// A working day under the statutory fallback without the index: §8.3 up to 2026, then the
/// provisional files' days off.
fn statutory_is_workday(day: Date) -> bool {
    if day.year() <= 2026 {
        return spec_is_workday(day);
    }
    let off = provisional_year(day.year())
        .is_some_and(|file| file.rules.iter().any(|rule| rule.date == day));
    !off && !is_weekend(day)
}

fn statutory_date() -> impl Strategy<Value = Date> {
    // 2024–2032: notice years, the provisional years after them, and their boundary.
    (date!(2024 - 01 - 01).to_julian_day()..date!(2032 - 12 - 31).to_julian_day())
        .prop_map(|jd| Date::from_julian_day(jd).expect("date"))
}

proptest! {
    #[test]
    fn between_of_add_is_n_in_provisional_years(d in statutory_date(), n in 0u32..400) {
        let cal = statutory_cal();
        let to = cal.add(d, n).expect("provisional");
        prop_assert_eq!(cal.between(d, to.value).expect("provisional").value, i64::from(n));
        prop_assert_eq!(cal.between(to.value, d).expect("provisional").value, -i64::from(n));
        // Provisional exactly when the counted days (d, to] reach past the last notice.
        prop_assert_eq!(to.provisional_years.is_empty(), n == 0 || to.value.year() <= 2026);
        if n > 0 {
            prop_assert!(cal.day(to.value).expect("provisional").value.workday);
        }
    }

    #[test]
    fn the_provisional_index_agrees_with_a_day_by_day_count(a in statutory_date(), span in 0i64..120) {
        let cal = statutory_cal();
        let b = shift_days(a, span).expect("date");
        let mut day = a;
        let mut n = 0;
        while day < b {
            day = day.next_day().expect("date");
            n += i64::from(statutory_is_workday(day));
        }
        prop_assert_eq!(cal.between(a, b).expect("provisional").value, n);
    }
}
