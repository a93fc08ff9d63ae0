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
    let mut parsed: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    // The seed's JSON holds its tables; the text it is read from prints its narrative too.
    let narrative = parsed
        .as_object_mut()
        .and_then(|o| o.remove("narrative"))
        .expect("the seed's narrative");
    assert_eq!(narrative["date"], "2023-01-11");
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
    let mut report = lines[0]["report"].clone();
    report.as_object_mut().map(|o| o.remove("narrative"));
    assert_eq!(report, seed_json());
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

/// Deliver 5's must-hold: the PDF export reads back through `gongkai report parse` to the
/// JSON it was made from. Skips without poppler or the Noto CJK fonts, except under `CI`.
#[test]
fn render_pdf_then_parse_gives_the_document_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(!ci, "CI must test the PDF export: pdftotext missing");
        eprintln!("skipped: pdftotext missing");
        return;
    }
    for source in [
        shared().join("seed/2022_hulunbuir_jingkaiqu.json"),
        shared().join("corpus/2023_hongzequ_1.json"),
    ] {
        let pdf = dir.path().join("rendered.pdf");
        let out = gongkai(
            dir.path(),
            &[
                "report",
                "render",
                arg(&source),
                "--format",
                "pdf",
                "--output",
                arg(&pdf),
            ],
        );
        if !ci && stderr(&out).contains("未找到中文字体") {
            eprintln!("skipped: {}", stderr(&out));
            return;
        }
        assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
        let out = gongkai(dir.path(), &["report", "parse", arg(&pdf)]);
        assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
        let parsed: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        assert_eq!(parsed, read_json(&source), "PDF of {}", source.display());
    }
}

#[test]
fn render_pdf_names_the_font_directories_it_searched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fonts = dir.path().join("no-fonts-here");
    std::fs::create_dir_all(&fonts).expect("font dir");
    let seed = shared().join("seed/2022_hulunbuir_jingkaiqu.json");
    let pdf = dir.path().join("out.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "report",
            "render",
            arg(&seed),
            "--format",
            "pdf",
            "--output",
            arg(&pdf),
        ])
        .env("GONGKAI_FONT_DIR", &fonts)
        .output()
        .expect("run gongkai");
    assert_ne!(out.status.code(), Some(0), "{}", transcript(&out));
    assert!(stderr(&out).contains(arg(&fonts)), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("GONGKAI_FONT_DIR"),
        "{}",
        transcript(&out)
    );
    assert!(!pdf.exists(), "no PDF is written without fonts");
}

#[test]
fn render_pdf_needs_an_output_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = shared().join("seed/2022_hulunbuir_jingkaiqu.json");
    let out = gongkai(
        dir.path(),
        &["report", "render", arg(&seed), "--format", "pdf"],
    );
    assert_ne!(out.status.code(), Some(0), "{}", transcript(&out));
    assert!(stderr(&out).contains("--output"), "{}", transcript(&out));
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        transcript(&out)
    );
}

#[test]
fn docx_and_xlsx_renders_parse_back_to_the_document() {
    // Issue 13, Deliver 5: gongkai's reader reads its own DOCX and XLSX exports back.
    let dir = tempfile::tempdir().expect("temp dir");
    for source in [
        shared().join("seed/2022_hulunbuir_jingkaiqu.json"),
        shared().join("corpus/2021_pingtan_1.json"),
        shared().join("corpus/2019_shanghai_bangongting_1.json"),
    ] {
        for format in ["docx", "xlsx"] {
            let out_file = dir.path().join(format!("rendered.{format}"));
            let out = gongkai(
                dir.path(),
                &[
                    "report",
                    "render",
                    arg(&source),
                    "--format",
                    format,
                    "--output",
                    arg(&out_file),
                ],
            );
            assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
            assert!(stdout(&out).is_empty(), "{}", transcript(&out));
            let out = gongkai(dir.path(), &["report", "parse", arg(&out_file)]);
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
fn binary_render_formats_need_an_output_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = shared().join("seed/2022_hulunbuir_jingkaiqu.json");
    for format in ["docx", "xlsx"] {
        let out = gongkai(
            dir.path(),
            &["report", "render", arg(&seed), "--format", format],
        );
        assert_ne!(out.status.code(), Some(0), "{}", transcript(&out));
        assert!(
            stdout(&out).is_empty(),
            "binary on a terminal: {}",
            transcript(&out)
        );
        assert!(stderr(&out).contains("--output"), "{}", transcript(&out));
    }
    // Text formats still print, or go to the file named.
    let file = dir.path().join("seed.md");
    let out = gongkai(
        dir.path(),
        &[
            "report",
            "render",
            arg(&seed),
            "--format",
            "markdown",
            "-o",
            arg(&file),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let written = std::fs::read_to_string(&file).expect("written");
    assert!(
        written.starts_with("# 呼伦贝尔经济技术开发区2022年"),
        "{written}"
    );
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

/// Runs `gongkai` with `args` in `dir`, stopping it if it is still running after `limit`.
fn gongkai_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Output {
    use std::process::Stdio;
    // Output to files, not pipes: a child blocked on a full pipe would look like a hang.
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let file = |p: &Path| std::fs::File::create(p).unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::from(file(&out_path)))
        .stderr(Stdio::from(file(&err_path)))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run gongkai {args:?}: {e}"));
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gongkai {args:?} still running after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).expect("stdout"),
        stderr: std::fs::read(&err_path).expect("stderr"),
    }
}

#[test]
fn report_check_symlink_loop_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().join("d");
    std::fs::create_dir(&d).expect("mkdir");
    std::fs::copy(seed_txt(), d.join("report.txt")).expect("copy the seed");
    // Two links to the directory itself: 2^40 paths before the kernel's ELOOP stops them.
    std::os::unix::fs::symlink(".", d.join("a")).expect("symlink");
    std::os::unix::fs::symlink(".", d.join("b")).expect("symlink");
    let limit = std::time::Duration::from_secs(30);
    let out = gongkai_within(dir.path(), &["report", "check", "d"], limit);
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    assert_eq!(stdout(&out), "", "{}", transcript(&out));
    // Read once, not once per path (one self-link alone read it 41 times).
    assert!(
        stderr(&out).contains("读取 1 个文件，0 个无法读取"),
        "{}",
        transcript(&out)
    );
    // The same file named again, and through a link, is still one file.
    let out = gongkai_within(
        dir.path(),
        &["report", "check", "--json", "d", "d/a/report.txt", "d/b"],
        limit,
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{}", transcript(&out));
    assert!(
        lines[0].contains(r#""file":"d/report.txt""#),
        "{}",
        lines[0]
    );
}

#[test]
fn report_max_size_refuses_large_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read_to_string(seed_txt()).expect("seed");
    let size = seed.len();
    let big = write(dir.path(), "big.txt", &seed);
    // Larger than the seed's text: padded with spaces.
    let padded = format!("{}{}", seed_json(), " ".repeat(2 * size));
    let json = write(dir.path(), "big.json", &padded);
    let refused = |out: &Output, name: &str, size: &str, limit: &str| {
        assert_eq!(out.status.code(), Some(2), "{}", transcript(out));
        let expected = format!(
            "gongkai: {name}: 文件大小 {size}，超过上限 {limit}，不予读取（可用 --max-size 调整）"
        );
        assert!(
            stderr(out).contains(&expected),
            "{expected}\n{}",
            transcript(out)
        );
    };
    for args in [
        ["report", "parse", "--max-size", "1K", "big.txt"],
        ["report", "check", "--max-size", "1024", "big.txt"],
    ] {
        let out = gongkai(dir.path(), &args);
        refused(&out, "big.txt", &format!("{size} 字节"), "1024 字节");
        assert_eq!(stdout(&out), "", "{}", transcript(&out));
    }
    // The interchange JSON is held to the limit too, and the other files are still checked.
    let json_size = std::fs::metadata(&json).expect("json").len() as usize;
    let out = gongkai(
        dir.path(),
        &[
            "report",
            "check",
            "--max-size",
            &format!("{}k", size.div_ceil(1024)),
            "big.json",
            arg(&seed_txt()),
        ],
    );
    let limit = format!("{} 字节", size.div_ceil(1024) * 1024);
    refused(&out, "big.json", &format!("{json_size} 字节"), &limit);
    assert!(
        stderr(&out).contains("读取 1 个文件，1 个无法读取"),
        "{}",
        transcript(&out)
    );
    // Under the limit it reads as before.
    let limit = format!("{size}");
    let out = gongkai(
        dir.path(),
        &["report", "parse", "--max-size", &limit, arg(&big)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
    // The default is 50 MiB; a larger file is refused by its size, unread (a sparse file of
    // 51 MiB costs no disk).
    let huge = dir.path().join("huge.txt");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(51 << 20).expect("set_len");
    let out = gongkai(dir.path(), &["report", "check", "huge.txt"]);
    refused(
        &out,
        "huge.txt",
        "53477376 字节（51.0 MiB）",
        "52428800 字节（50.0 MiB）",
    );
    // A device has no size to tell: reading stops one byte past the limit.
    let out = gongkai(
        dir.path(),
        &["report", "parse", "--max-size", "1M", "/dev/zero"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(
        stderr(&out).contains("gongkai: /dev/zero: 文件超过上限 1048576 字节（1.0 MiB），不予读取"),
        "{}",
        transcript(&out)
    );
    // A size that is no size is a usage error.
    let out = gongkai(
        dir.path(),
        &["report", "check", "--max-size", "50X", "big.txt"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", transcript(&out));
    assert!(stderr(&out).contains("--max-size"), "{}", transcript(&out));
}

#[test]
fn report_help_documents_max_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in ["parse", "check"] {
        let out = gongkai(dir.path(), &["report", command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{}", transcript(&out));
        // Wrapping depends on the terminal and on clap's features: compare words, not lines.
        let help = stdout(&out)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            help.contains("--max-size <SIZE>")
                && help.contains("powers of 1024")
                && help.contains("[default: 50M]"),
            "{help}"
        );
    }
}
