//! `gongkai workdays`, `gongkai clock` and `gongkai fee`, run as the built binary: stdout,
//! stderr and exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The outcome of one run, with everything needed to explain a failure.
struct Run {
    args: Vec<String>,
    out: Output,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }

    #[track_caller]
    fn success(&self) -> &Run {
        assert_eq!(self.code(), Some(0), "{self}");
        self
    }

    #[track_caller]
    fn failure(&self) -> &Run {
        assert_eq!(self.code(), Some(2), "{self}");
        assert_eq!(self.stdout(), "", "{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "\ngongkai {}\nstatus: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.args.join(" "),
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }
}

fn gongkai(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("run gongkai");
    Run {
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        out,
    }
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/clock")
        .join(name)
        .display()
        .to_string()
}

fn temp_file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write temp file");
    path
}

#[test]
fn workdays_add_prints_the_date_first() {
    // 条例 art. 33: 20 working days from a receipt the Friday before National Day 2024.
    let run = gongkai(&["workdays", "add", "2024-09-27", "20"]);
    run.success();
    assert_eq!(run.stdout(), "2024-10-30 星期三\n", "{run}");
    assert_eq!(run.stderr(), "", "{run}");
}

#[test]
fn workdays_next_skips_the_extended_2020_spring_festival() {
    let run = gongkai(&["workdays", "next", "2020-01-23"]);
    run.success();
    assert_eq!(run.stdout(), "2020-02-03 星期一\n", "{run}");
}

#[test]
fn workdays_between_counts_after_the_first_date() {
    let run = gongkai(&["workdays", "between", "2024-09-27", "2024-10-30"]);
    run.success();
    assert_eq!(run.stdout(), "20\n", "{run}");
    let back = gongkai(&["workdays", "between", "2024-10-30", "2024-09-27"]);
    assert_eq!(back.success().stdout(), "-20\n", "{back}");
}

#[test]
fn workdays_day_explains_a_make_up_working_day() {
    let run = gongkai(&["workdays", "day", "2026-02-14"]);
    run.success();
    assert_eq!(
        run.stdout(),
        "2026-02-14 星期六 工作日（春节调休上班）\n",
        "{run}"
    );
}

#[test]
fn a_year_without_data_fails_naming_it() {
    let run = gongkai(&["workdays", "add", "2026-12-20", "20"]);
    run.failure();
    assert_eq!(
        run.stderr(),
        "gongkai: 缺少 2027 年的节假日安排数据，无法计算工作日（请添加 2027 年的日历文件，或明确选择按周一至周五计算）\n",
        "{run}"
    );
}

#[test]
fn assume_weekdays_computes_and_warns() {
    let run = gongkai(&["workdays", "add", "2026-12-30", "3", "--assume-weekdays"]);
    run.success();
    assert_eq!(run.stdout(), "2027-01-04 星期一\n", "{run}");
    assert_eq!(
        run.stderr(),
        "gongkai: 警告：缺少 2027 年的节假日安排数据，已按周一至周五计算工作日，结果可能不准确\n",
        "{run}"
    );
}

#[test]
fn calendar_dir_adds_a_year() {
    let dir = tempfile::tempdir().expect("temp dir");
    temp_file(
        &dir,
        "2027.txt",
        "year 2027\nnotice 测试用通知\noff 元旦 2027-01-01\n",
    );
    let cal = dir.path().display().to_string();
    let run = gongkai(&["workdays", "add", "2026-12-31", "1", "--calendar-dir", &cal]);
    run.success();
    assert_eq!(run.stdout(), "2027-01-04 星期一\n", "{run}");
    assert_eq!(run.stderr(), "", "{run}");
}

#[test]
fn a_bad_calendar_file_is_reported_with_its_path_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(&dir, "2027.txt", "year 2027\noff 元旦 2027-01-02\n");
    let cal = dir.path().display().to_string();
    let run = gongkai(&["workdays", "add", "2026-12-31", "1", "--calendar-dir", &cal]);
    run.failure();
    assert_eq!(
        run.stderr(),
        format!(
            "gongkai: {}: 第 2 行：2027-01-02 是星期六，本就休息，不应列为 off（只列放假的周一至周五）\n",
            path.display()
        ),
        "{run}"
    );
}

#[test]
fn clock_prints_status_due_date_and_explanation() {
    let run = gongkai(&["clock", &data("national_day.json")]);
    run.success();
    assert_eq!(
        run.stdout(),
        "状态：已办结
答复期限：2024-12-05（按期办结）
计算日：2024-11-20
2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
2024-10-08 至 2024-10-15 征求第三方（某公司）意见，不计入答复期限，顺延 6 个工作日，至 2024-11-07（第三十二条、第三十三条第三款）
2024-10-25 经政府信息公开工作机构负责人（张三）同意，延长答复期限 20 个工作日，至 2024-12-05（第三十三条第二款）
2024-11-20 办结：予以公开（第三十六条第（二）项），出具政府信息公开申请答复告知书；在答复期限内
",
        "{run}"
    );
    assert_eq!(run.stderr(), "", "{run}");
}

#[test]
fn clock_today_flag_overrides_the_file() {
    // Before the reply: 2024-11-01 the clock runs, paused time and extension included.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(
        &dir,
        "case.json",
        r#"[{"date": "2024-09-27", "event": "received", "channel": "in_person"}]"#,
    );
    let run = gongkai(&[
        "clock",
        &path.display().to_string(),
        "--today",
        "2024-10-08",
    ]);
    run.success();
    assert!(
        run.stdout()
            .starts_with("状态：办理中\n答复期限：2024-10-30（剩余 17 个工作日）\n"),
        "{run}"
    );
}

#[test]
fn clock_receipt_day_included_counts_the_receipt_day() {
    // spec/domain.md Q1, configurable: the receipt day as day 1 moves the due date one
    // working day earlier.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(
        &dir,
        "case.json",
        r#"[{"date": "2024-09-27", "event": "received", "channel": "in_person"}]"#,
    );
    let path = path.display().to_string();
    let run = gongkai(&[
        "clock",
        &path,
        "--today",
        "2024-10-08",
        "--receipt-day",
        "included",
    ]);
    run.success();
    assert!(
        run.stdout()
            .starts_with("状态：办理中\n答复期限：2024-10-29（剩余 16 个工作日）\n"),
        "{run}"
    );
}

#[test]
fn clock_json_output() {
    let run = gongkai(&["clock", &data("national_day.json"), "--json"]);
    run.success();
    let value: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON output");
    assert_eq!(value["status"], "closed", "{run}");
    assert_eq!(value["due"], "2024-12-05", "{run}");
    assert_eq!(value["overdue"], false, "{run}");
    assert_eq!(value["outcome"], "disclosed", "{run}");
    assert_eq!(value["report_row"], "granted", "{run}");
    assert_eq!(value["notice"], "政府信息公开申请答复告知书", "{run}");
    assert_eq!(
        value["explanation"].as_array().map(Vec::len),
        Some(5),
        "{run}"
    );
}

#[test]
fn clock_rejects_two_extensions() {
    // 条例 art. 33 ¶2: one extension only.
    let run = gongkai(&[
        "clock",
        &data("two_extensions.json"),
        "--today",
        "2024-11-01",
    ]);
    run.failure();
    assert_eq!(
        run.stderr(),
        format!(
            "gongkai: {}: 2024-10-20 再次延期：答复期限只能延长一次（第三十三条第二款），已于 2024-10-10 延长\n",
            data("two_extensions.json")
        ),
        "{run}"
    );
}

#[test]
fn clock_names_the_bad_event() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(
        &dir,
        "case.json",
        r#"{"today": "2024-10-08", "events": [
            {"date": "2024-09-27", "event": "received", "channel": "pigeon"}
        ]}"#,
    );
    let run = gongkai(&["clock", &path.display().to_string()]);
    run.failure();
    assert_eq!(
        run.stderr(),
        format!(
            "gongkai: {}: 第 1 个事件: channel“pigeon”无效（应为 in_person、post、letter、online、email 或 fax）\n",
            path.display()
        ),
        "{run}"
    );
}

#[test]
fn clock_input_errors_name_the_file_and_the_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "unknown_event.json",
            r#"[{"date": "2024-09-27", "event": "received", "channel": "post"},
                {"date": "2024-09-30", "event": "answered"}]"#,
            "第 2 个事件: 未知事件“answered”（应为 received、correction_requested、correction_received、correction_lapsed、consultation_started、consultation_answered、extension_approved、fee_notice_sent、fee_paid、fee_lapsed、replied）",
        ),
        (
            "bad_today.json",
            r#"{"today": "2024-13-01", "events": []}"#,
            "today: 日期“2024-13-01”无效（应为 YYYY-MM-DD）",
        ),
        (
            "bad_date.json",
            r#"[{"date": "2024/09/27", "event": "received", "channel": "post"}]"#,
            "第 1 个事件: date: 日期“2024/09/27”无效（应为 YYYY-MM-DD）",
        ),
        (
            "year_2027.json",
            r#"{"today": "2027-02-01", "events": [{"date": "2027-01-05", "event": "received", "channel": "post"}]}"#,
            "缺少 2027 年的节假日安排数据，无法计算工作日（请添加 2027 年的日历文件，或明确选择按周一至周五计算）",
        ),
        (
            "truncated.json",
            r#"{"today": "2024-10-08", "events": ["#,
            "JSON 无效: EOF while parsing a list at line 1 column 35",
        ),
    ];
    for (name, text, message) in cases {
        let path = temp_file(&dir, name, text);
        let run = gongkai(&["clock", &path.display().to_string()]);
        run.failure();
        assert_eq!(
            run.stderr(),
            format!("gongkai: {}: {message}\n", path.display()),
            "{run}"
        );
    }
}

#[test]
fn clock_in_a_year_without_data_warns_with_assume_weekdays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(
        &dir,
        "case.json",
        r#"{"today": "2027-01-10", "events": [
            {"date": "2026-12-15", "event": "received", "channel": "in_person"}
        ]}"#,
    );
    let file = path.display().to_string();
    let strict = gongkai(&["clock", &file]);
    strict.failure();
    assert!(
        strict.stderr().contains("缺少 2027 年的节假日安排数据"),
        "{strict}"
    );
    let run = gongkai(&["clock", &file, "--assume-weekdays"]);
    run.success();
    assert!(
        run.stdout()
            .starts_with("状态：办理中\n答复期限：2027-01-12（剩余 2 个工作日）\n"),
        "{run}"
    );
    assert_eq!(
        run.stderr(),
        "gongkai: 警告：缺少 2027 年的节假日安排数据，已按周一至周五计算工作日，结果可能不准确\n",
        "{run}"
    );
}

#[test]
fn clock_fee_deadline_runs_from_delivery() {
    // §5: 20 working days to pay from the applicant's receipt of the notice (2024-03-12).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = temp_file(
        &dir,
        "case.json",
        r#"{"today": "2024-04-10", "events": [
            {"date": "2024-03-01", "event": "received", "channel": "post"},
            {"date": "2024-03-08", "event": "fee_notice_sent", "yuan": 200, "delivered": "2024-03-12"}
        ]}"#,
    );
    let run = gongkai(&["clock", &path.display().to_string(), "--json"]);
    run.success();
    let value: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    assert_eq!(value["status"], "paused", "{run}");
    assert_eq!(value["days_left"], 15, "{run}");
    let line = value["explanation"][2].as_str().unwrap_or_default();
    assert!(line.contains("申请人应于 2024-04-10 前缴费"), "{run}");
}

#[test]
fn calendar_dir_rejects_two_files_for_one_year() {
    // A deployment file replaces a shipped year whole; two files for one year are an error.
    let dir = tempfile::tempdir().expect("temp dir");
    let first = temp_file(&dir, "2027.txt", "year 2027\noff 元旦 2027-01-01\n");
    let second = temp_file(&dir, "2027-local.txt", "year 2027\noff 元旦 2027-01-01\n");
    let cal = dir.path().display().to_string();
    let run = gongkai(&["workdays", "add", "2026-12-31", "1", "--calendar-dir", &cal]);
    run.failure();
    assert_eq!(
        run.stderr(),
        format!(
            "gongkai: {}: 2027 年的日历文件重复（已有 {}），每年只能有一个文件\n",
            first.display(),
            second.display()
        ),
        "{run}"
    );
    std::fs::remove_file(&second).expect("remove");
    temp_file(&dir, "2028.txt", "year 2027\nnotice 写错了年份\n");
    let run = gongkai(&["workdays", "add", "2026-12-31", "1", "--calendar-dir", &cal]);
    run.failure();
    assert!(
        run.stderr()
            .contains("2028.txt: 文件名是 2028 年，但 year 行是 2027"),
        "{run}"
    );
}

#[test]
fn clock_of_proactive_information_art26() {
    let run = gongkai(&["clock", &data("proactive.json")]);
    run.success();
    assert_eq!(
        run.stdout(),
        "状态：待公开
公开期限：2025-10-30（剩余 1 个工作日）
计算日：2025-10-29
2025-09-26 信息形成（变更）
应于 20 个工作日内公开，自形成（变更）之日次日起算，至 2025-10-30（第二十六条；其间国庆节、中秋节放假 6 个工作日、调休上班 2 天）
",
        "{run}"
    );
}

#[test]
fn fee_per_page_250_pages() {
    // 国办函〔2020〕109号 第五条; spec/domain.md §5's worked example.
    let run = gongkai(&["fee", "per-page", "--pages", "250"]);
    run.success();
    assert_eq!(
        run.stdout(),
        "4700 元
共 250 页
第 31 页至第 100 页：70 页 × 10 元 = 700 元
第 101 页至第 200 页：100 页 × 20 元 = 2000 元
第 201 页以上：50 页 × 40 元 = 2000 元
《政府信息公开信息处理费管理办法》第五条（按量计收）
",
        "{run}"
    );
}

#[test]
fn fee_per_application_thresholds() {
    // 第四条: the 10th of the month is free, the 11th costs 100, the 31st 200.
    for (nth, first_line) in [("10", "0 元"), ("11", "100 元"), ("31", "200 元")] {
        let run = gongkai(&["fee", "per-application", "--nth", nth]);
        run.success();
        assert_eq!(run.stdout().lines().next(), Some(first_line), "{run}");
    }
    gongkai(&["fee", "per-application", "--nth", "0"]).failure();
}
