//! The DOCX export opens in LibreOffice and prints the statutory tables: written by
//! `render::docx`, converted with `soffice --headless --convert-to pdf`, read with `pdftotext`.
//! The PDF LibreOffice makes is then read back by gongkai's own reader, to the same tables.
//!
//! Without LibreOffice the test skips with a message, except under `CI` (set, not empty), where
//! a missing `soffice` fails it. The XLSX export is not converted: CI installs
//! libreoffice-writer-nogui only (no Calc), so `tests/exports.rs` reads the workbook with
//! calamine instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use gongkai_core::format::title;
use gongkai_report::model::{AnnualReport, Narrative};
use gongkai_report::{reader, render};

fn available(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

fn scratch() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!(
        "gongkai-report-docx-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run command");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn report() -> AnnualReport {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/2021_pingtan_1.json");
    let text = std::fs::read_to_string(&path).expect("corpus document");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut report = AnnualReport::from_json(&value).expect("a valid report");
    report.narrative = Some(Narrative {
        overview: Some("主动公开政府信息388条。".into()),
        other_matters: Some("本年度未收取信息处理费。".into()),
        signature: Some("平潭综合实验区管理委员会".into()),
        date: Some("2022-01-20".into()),
        ..Narrative::default()
    });
    report
}

#[test]
fn report_docx_prints_its_tables_in_libreoffice_and_reads_back_from_the_pdf() {
    if !available("soffice") {
        if under_ci() {
            panic!(
                "soffice (LibreOffice) is required under CI: apt-get install -y --no-install-recommends libreoffice-writer-nogui"
            );
        }
        eprintln!("skipped: soffice not found (install libreoffice-writer-nogui; CI is not set)");
        return;
    }
    assert!(
        available("pdftotext"),
        "pdftotext (poppler-utils) is required"
    );
    let report = report();
    let dir = scratch();
    let docx = dir.join("report.docx");
    std::fs::write(&docx, render::docx::docx(&report).expect("DOCX")).expect("write DOCX");
    // A profile of its own, so parallel runs and a user's LibreOffice do not collide.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    run(Command::new("soffice")
        .arg(profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx));
    let pdf = dir.join("report.pdf");
    let txt = dir.join("report.txt");
    run(Command::new("pdftotext").arg(&pdf).arg(&txt));
    let text = std::fs::read_to_string(&txt).expect("pdftotext output");
    // pdftotext breaks lines inside cells; compare without whitespace.
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();

    // Labels of narrow cells wrap and interleave with their neighbours in pdftotext's output;
    // those are proven below, where the reader matches every label of the PDF's tables.
    let needles: Vec<String> = [
        title::PROACTIVE,
        title::APPLICATIONS,
        title::APPEALS,
        title::OVERVIEW,
        title::OTHER_MATTERS,
        title::BALANCE_NOTE,
        title::APPLICANTS,
        "平潭综合实验区管理委员会",
        "2022年1月20日",
        "24252.311082",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for needle in &needles {
        assert!(
            flat.contains(needle.as_str()),
            "PDF text lacks {needle:?}:\n{text}"
        );
    }

    // The labels and numbers are there, in their places: the PDF reads back to the same tables.
    let back = reader::read_path(&pdf)
        .expect("the PDF reads as a report")
        .report;
    assert_eq!(
        back.applications, report.applications,
        "表三 from the PDF:\n{text}"
    );
    assert_eq!(back.appeals, report.appeals, "表四 from the PDF");
    assert_eq!(back.proactive, report.proactive, "表二 from the PDF");
    let _ = std::fs::remove_dir_all(&dir);
}
