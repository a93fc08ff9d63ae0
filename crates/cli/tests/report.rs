//! `gongkai report …` end to end: the built binary on the seed, the corpus and small fixtures
//! written to a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn seed_txt() -> PathBuf {
    shared().join("seed/2022_hulunbuir_jingkaiqu.txt")
}

fn seed_json() -> Value {
    read_json(&shared().join("seed/2022_hulunbuir_jingkaiqu.json"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `gongkai` with `args` in `dir`; panics with the whole transcript if it cannot start.
fn gongkai(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run gongkai {args:?}: {e}"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn transcript(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

#[test]
fn parse_of_the_seed_is_the_seed_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = gongkai(dir.path(), &["report", "parse", arg(&seed_txt())]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let parsed: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(parsed, seed_json());
}

#[test]
fn parse_explain_tells_how_it_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = gongkai(
        dir.path(),
        &["report", "parse", "--explain", arg(&seed_txt())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert!(
        stdout(&out).contains("呼伦贝尔经济技术开发区"),
        "{}",
        transcript(&out)
    );
    assert!(serde_json::from_str::<Value>(&stdout(&out)).is_err());
}

#[test]
fn parse_says_on_stderr_which_cells_it_could_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The seed reads whole: nothing on stderr.
    let out = gongkai(dir.path(), &["report", "parse", arg(&seed_txt())]);
    assert_eq!(stderr(&out), "", "{}", transcript(&out));
    // 平潭 2021 prints 693665 for three cells of 表二 that more than one split fits.
    let pingtan = shared().join("corpus/2021_pingtan_1.txt");
    let out = gongkai(dir.path(), &["report", "parse", arg(&pingtan)]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("表二有3个单元格未能读出：连写的数字有不止一种拆分"),
        "{}",
        transcript(&out)
    );
    let parsed: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(
        parsed["proactive"]["normative_documents"]["in_force"],
        Value::Null
    );
}

#[test]
fn check_of_the_seed_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = gongkai(dir.path(), &["report", "check", arg(&seed_txt())]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("读取 1 个文件"),
        "{}",
        transcript(&out)
    );
}

#[test]
fn broken_balance_exits_1_with_t3_balance() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = seed_json();
    // 一 + 二 = 0 but （七） + 四 = 0 + 3 in 自然人 and 总计 (the row sum stays right).
    doc["applications"]["carried_forward"]["natural_person"] = json!(3);
    doc["applications"]["carried_forward"]["total"] = json!(3);
    let file = write(dir.path(), "broken.json", &doc.to_string());
    let out = gongkai(dir.path(), &["report", "check", arg(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{}: error T3-BALANCE 表三 自然人: 期望 0，印为 3 — ",
            file.display()
        )),
        "{}",
        transcript(&out)
    );
    assert!(
        stderr(&out).contains("T3-BALANCE 2"),
        "{}",
        transcript(&out)
    );
}

#[test]
fn a_file_that_is_no_report_exits_2_and_the_others_are_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let junk = write(dir.path(), "junk.json", "{\"hello\": 1}");
    let out = gongkai(
        dir.path(),
        &["report", "check", arg(&junk), arg(&seed_txt())],
    );
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("gongkai: {}: ", junk.display())),
        "{}",
        transcript(&out)
    );
    assert!(
        err.contains("/template"),
        "the reason names the JSON path: {err}"
    );
    assert!(err.contains("读取 1 个文件，1 个无法读取"), "{err}");
}

#[test]
fn a_missing_file_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = gongkai(dir.path(), &["report", "check", "nowhere.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).starts_with("gongkai: nowhere.txt: "),
        "{}",
        transcript(&out)
    );
}

#[test]
fn json_lines_parse_and_carry_report_and_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hongze = shared().join("corpus/2023_hongzequ_1.json");
    let out = gongkai(
        dir.path(),
        &["report", "check", "--json", arg(&seed_txt()), arg(&hongze)],
    );
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], arg(&seed_txt()));
    assert_eq!(lines[0]["report"], seed_json());
    assert_eq!(lines[0]["findings"], json!([]));
    assert_eq!(lines[1]["report"], read_json(&hongze));
    let first = &lines[1]["findings"][0];
    assert_eq!(first["check"], "T4-SUM");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["expected"], "11");
    assert_eq!(first["printed"], "0");
    assert_eq!(
        first["cells"][4],
        json!({"section": "appeals", "row": "reconsideration", "column": "total"})
    );
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn render_then_parse_gives_the_document_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    for source in [
        shared().join("seed/2022_hulunbuir_jingkaiqu.json"),
        shared().join("corpus/2019_shanghai_bangongting_1.json"),
    ] {
        for (format, ext) in [("text", "txt"), ("markdown", "md"), ("html", "html")] {
            let out = gongkai(
                dir.path(),
                &["report", "render", arg(&source), "--format", format],
            );
            assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
            let rendered = write(dir.path(), &format!("rendered.{ext}"), &stdout(&out));
            let out = gongkai(dir.path(), &["report", "parse", arg(&rendered)]);
            assert_eq!(out.status.code(), Some(0), "{format}: {}", transcript(&out));
            let parsed: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
            assert_eq!(
                parsed,
                read_json(&source),
                "{format} of {}",
                source.display()
            );
        }
    }
}

#[test]
fn render_rejects_a_document_with_unknown_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = seed_json();
    doc["appeals"]["reconsideration"]["overturned"] = json!(1);
    let file = write(dir.path(), "extra.json", &doc.to_string());
    let out = gongkai(dir.path(), &["report", "render", arg(&file)]);
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("/appeals/reconsideration/overturned"),
        "{}",
        transcript(&out)
    );
}

/// Last year's report of the seed's organ, consistent in itself, with two applications
/// carried forward that the seed's 二、上年结转 does not show.
fn seed_organ_2021() -> Value {
    let mut doc = seed_json();
    doc["year"] = json!(2021);
    for row in ["new_received", "carried_forward"] {
        doc["applications"][row]["natural_person"] = json!(2);
        doc["applications"][row]["total"] = json!(2);
    }
    doc
}

#[test]
fn consecutive_years_of_one_organ_in_a_directory_trigger_x_carry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    write(&reports, "2021.json", &seed_organ_2021().to_string());
    std::fs::copy(seed_txt(), reports.join("2022.txt")).expect("copy the seed");
    let out = gongkai(dir.path(), &["report", "check", "reports"]);
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    let text = stdout(&out);
    let x_carry: Vec<&str> = text.lines().filter(|l| l.contains(" X-CARRY ")).collect();
    assert_eq!(x_carry.len(), 2, "自然人 and 总计: {}", transcript(&out));
    assert!(
        x_carry[0].contains("2022.txt: error X-CARRY 表三 自然人: 期望 2，印为 0"),
        "{text}"
    );
    // Without its previous year the 2021 report alone is clean.
    let out = gongkai(dir.path(), &["report", "check", "reports/2021.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
}

#[test]
fn previous_names_last_years_report_explicitly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let last = write(dir.path(), "last.json", &seed_organ_2021().to_string());
    let out = gongkai(
        dir.path(),
        &[
            "report",
            "check",
            "--previous",
            arg(&last),
            arg(&seed_txt()),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", transcript(&out));
    assert!(stdout(&out).contains("X-CARRY"), "{}", transcript(&out));
}
