//! `gongkai report consolidate` and `gongkai report import`, run as the built binary on the seed
//! and on variants of it written to a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn seed() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/2022_hulunbuir_jingkaiqu.json");
    let text = std::fs::read_to_string(&path).expect("seed");
    serde_json::from_str(&text).expect("seed JSON")
}

fn gongkai(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    for var in ["GONGKAI_DB", "GONGKAI_CONFIG"] {
        cmd.env_remove(var);
    }
    cmd.args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run gongkai {args:?}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).expect("write fixture");
    path
}

/// A seed variant: another agency, and 表三's 本年新收 自然人 set to `natural` with its 总计
/// kept (so `natural` ≠ 0 makes it inconsistent, as printed).
fn variant(agency: &str, natural: u64) -> Value {
    let mut r = seed();
    r["agency"] = json!(agency);
    r["applications"]["new_received"]["natural_person"] = json!(natural);
    r
}

#[test]
fn two_reports_sum_cell_by_cell_and_an_inconsistent_one_keeps_its_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut a = variant("甲区人民政府", 3);
    a["applications"]["new_received"]["total"] = json!(3);
    a["applications"]["granted"]["natural_person"] = json!(3);
    a["applications"]["granted"]["total"] = json!(3);
    a["applications"]["total_handled"]["natural_person"] = json!(3);
    a["applications"]["total_handled"]["total"] = json!(3);
    a["appeals"]["reconsideration"]["upheld"] = json!(1);
    a["appeals"]["reconsideration"]["total"] = json!(1);
    a["proactive"]["fees"]["amount_wan_yuan"] = json!("1.25");
    let b = variant("乙区人民政府", 5); // printed 5 with 总计 0
    let mut b2 = b.clone();
    b2["proactive"]["fees"]["amount_wan_yuan"] = json!("0.5");
    write(d, "a.json", &a);
    write(d, "b.json", &b2);
    let out = gongkai(
        d,
        &[
            "report",
            "consolidate",
            "a.json",
            "b.json",
            "--name",
            "丙市人民政府",
        ],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // An error finding in a constituent: exit 1, as `report check`.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let sum: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(sum["agency"], "丙市人民政府");
    assert_eq!(sum["year"], 2022);
    assert_eq!(sum["applications"]["new_received"]["natural_person"], 8);
    assert_eq!(sum["applications"]["new_received"]["total"], 3);
    assert_eq!(sum["applications"]["granted"]["total"], 3);
    assert_eq!(sum["appeals"]["reconsideration"]["total"], 1);
    assert_eq!(sum["proactive"]["fees"]["amount_wan_yuan"], "1.75");
    // b's own findings, named by its file; a has none.
    assert!(stderr.contains("b.json: error T3-ROW-SUM"), "{stderr}");
    assert!(!stderr.contains("a.json: error"), "{stderr}");
    assert!(stderr.contains("读取 2 个文件，0 个无法读取"), "{stderr}");
}

#[test]
fn consistent_reports_exit_0_and_blanks_are_noted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut b = variant("乙区人民政府", 0);
    b["appeals"]["litigation_direct"]["upheld"] = Value::Null;
    write(d, "a.json", &variant("甲区人民政府", 0));
    write(d, "b.json", &b);
    let out = gongkai(d, &["report", "consolidate", "a.json", "b.json"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let sum: Value = serde_json::from_str(&text(&out.stdout)).expect("JSON");
    assert_eq!(sum["appeals"]["litigation_direct"]["upheld"], Value::Null);
    assert!(
        stderr.contains("note 表四 未经复议直接起诉 结果维持：乙区人民政府未填，合计留空"),
        "{stderr}"
    );
}

#[test]
fn mixed_years_are_refused_with_both_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut b = variant("乙区人民政府", 0);
    b["year"] = json!(2021);
    write(d, "a.json", &variant("甲区人民政府", 0));
    write(d, "b.json", &b);
    let out = gongkai(d, &["report", "consolidate", "a.json", "b.json"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("年份不一致：甲区人民政府为2022年，乙区人民政府为2021年"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn import_stores_checks_and_refuses_what_is_not_the_organs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let init = gongkai(
        d,
        &[
            "init",
            "--db",
            "g.db",
            "--organ-name",
            "呼伦贝尔经济技术开发区管委会",
        ],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    // A folder: the seed as JSON and as Markdown (rendered by gongkai), walked.
    let folder = d.join("reports");
    std::fs::create_dir(&folder).expect("mkdir");
    write(&folder, "2022.json", &seed());
    let md = gongkai(
        d,
        &[
            "report",
            "render",
            "reports/2022.json",
            "--format",
            "markdown",
        ],
    );
    assert!(md.status.success());
    std::fs::write(folder.join("2022-web.md"), &md.stdout).expect("write md");
    let out = gongkai(
        d,
        &[
            "report", "import", "reports", "--organ", "1", "--db", "g.db",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "2022.json: 已导入为呼伦贝尔经济技术开发区管委会 2022 年报告（导入号 2，json"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "2022-web.md: 已导入为呼伦贝尔经济技术开发区管委会 2022 年报告（导入号 1，markdown"
        ),
        "{stderr}"
    );

    // Another organ's report and a report without a year are refused, saying why.
    write(d, "other.json", &variant("满洲里市人民政府", 0));
    let mut no_year = seed();
    no_year["year"] = Value::Null;
    write(d, "noyear.json", &no_year);
    let out = gongkai(
        d,
        &[
            "report",
            "import",
            "other.json",
            "noyear.json",
            "--organ",
            "1",
            "--db",
            "g.db",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("other.json: 报告的机关“满洲里市人民政府”与“呼伦贝尔经济技术开发区管委会”不符，未导入；确属该机关的报告可加 --any-agency"), "{stderr}");
    assert!(stderr.contains("noyear.json: 报告未写明年度"), "{stderr}");
    assert!(stderr.contains("读取 0 个文件，2 个无法读取"), "{stderr}");

    // Next year's report is checked against the imported 2022 one (X-CARRY).
    let mut next = seed();
    next["year"] = json!(2023);
    next["applications"]["carried_over"]["natural_person"] = json!(2);
    next["applications"]["carried_over"]["total"] = json!(2);
    next["applications"]["carried_forward"]["natural_person"] = json!(2);
    next["applications"]["carried_forward"]["total"] = json!(2);
    write(d, "2023.json", &next);
    let out = gongkai(
        d,
        &[
            "report",
            "import",
            "2023.json",
            "--organ",
            "1",
            "--db",
            "g.db",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("2023.json: error X-CARRY 表三 自然人: 期望 0，印为 2"),
        "{stdout}"
    );

    let out = gongkai(
        d,
        &[
            "report", "import", "x.json", "--organ", "99", "--db", "g.db",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("没有编号为 99 的机关"));
}

#[test]
fn a_published_consolidated_report_is_read_against_the_sum() {
    // H-CONSOLIDATION: a superior's published 汇总 report against its subordinates' reports.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.json", &variant("甲区人民政府", 0));
    let mut b = variant("乙区人民政府", 0);
    b["appeals"]["reconsideration"]["upheld"] = json!(2);
    b["appeals"]["reconsideration"]["total"] = json!(2);
    write(d, "b.json", &b);
    let mut published = variant("丙市人民政府", 0);
    published["appeals"]["reconsideration"]["upheld"] = json!(3); // the sum is 2
    published["appeals"]["reconsideration"]["total"] = json!(3);
    write(d, "city.json", &published);
    let out = gongkai(
        d,
        &[
            "report",
            "consolidate",
            "a.json",
            "b.json",
            "--against",
            "city.json",
        ],
    );
    let stderr = text(&out.stderr);
    // A warning: exit 0.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr
            .contains("city.json: warning H-CONSOLIDATION 表四 行政复议 结果维持: 期望 2，印为 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("city.json: warning H-CONSOLIDATION 表四 行政复议 总计: 期望 2，印为 3"),
        "{stderr}"
    );
    assert!(stderr.contains("H-CONSOLIDATION 2"), "{stderr}");
}
