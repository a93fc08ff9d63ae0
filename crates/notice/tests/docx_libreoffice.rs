//! A DOCX notice opens in LibreOffice and prints what it must: written by docx-rs, converted
//! with `soffice --headless --convert-to pdf`, read back with `pdftotext`.
//!
//! Without LibreOffice the test skips with a message, except under `CI` (set, not empty),
//! where a missing `soffice` fails it: CI must prove the DOCX renders.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use gongkai_core::outcome::Outcome;
use gongkai_notice::{Details, NoticeContext, NoticeKind, Reply, render};
use time::macros::date;

const NUMBER: &str = "某住建依申告〔2024〕015号";

/// Whether `program` is on the PATH. Only that it starts counts: `pdftotext --version`
/// exits non-zero on some poppler versions.
fn available(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// A fresh directory of our own; removed at the end unless the test fails.
fn scratch() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!(
        "gongkai-notice-docx-{}-{nanos}",
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

fn to_pdf_text(dir: &Path, docx: &Path) -> String {
    // A profile of its own, so parallel runs and a user's LibreOffice do not collide.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    run(Command::new("soffice")
        .arg(profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx));
    let pdf = docx.with_extension("pdf");
    let txt = docx.with_extension("txt");
    run(Command::new("pdftotext").arg(&pdf).arg(&txt));
    std::fs::read_to_string(&txt).expect("read pdftotext output")
}

#[test]
fn withheld_reply_docx_renders_number_article_and_remedy_in_libreoffice() {
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

    let kind = NoticeKind::Reply(Outcome::WithheldEnforcementFile);
    let ctx = NoticeContext {
        organ: "某某区住房和城乡建设局".into(),
        number: NUMBER.into(),
        applicant: "李四".into(),
        application_number: "YSQ-2024-0015".into(),
        received: date!(2024 - 05 - 06),
        request: "某某工地2023年行政处罚案卷".into(),
        date: date!(2024 - 05 - 27),
        reconsideration_body: "某某区人民政府".into(),
        court: None,
        details: Details::Reply(Reply {
            details: "所申请信息为行政执法案卷，不属于应当公开的政府信息。".into(),
            ..Reply::default()
        }),
    };
    let notice = render(kind, &ctx, None).expect("render the default notice");
    let bytes = notice.to_docx().expect("write DOCX");

    let dir = scratch();
    let docx = dir.join("notice.docx");
    std::fs::write(&docx, bytes).expect("write DOCX file");
    let text = to_pdf_text(&dir, &docx);
    // pdftotext may break a long line anywhere; compare without whitespace.
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();

    for needle in [
        "政府信息公开申请答复告知书",
        NUMBER,
        "李四",
        "第十六条第二款",
        "行政复议",
        "应当先申请行政复议",
        "某某区住房和城乡建设局",
        "2024年5月27日",
    ] {
        assert!(flat.contains(needle), "PDF text lacks {needle:?}:\n{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn partial_disclosure_docx_cites_article_37_in_libreoffice() {
    if !available("soffice") {
        if under_ci() {
            panic!("soffice (LibreOffice) is required under CI");
        }
        eprintln!("skipped: soffice not found (CI is not set)");
        return;
    }
    let kind = NoticeKind::Reply(Outcome::PartlyDisclosed);
    let ctx = NoticeContext {
        organ: "某某区住房和城乡建设局".into(),
        number: NUMBER.into(),
        applicant: "王五".into(),
        application_number: "YSQ-2024-0016".into(),
        received: date!(2024 - 05 - 06),
        request: "某某小区加装电梯的批复及附图".into(),
        date: date!(2024 - 05 - 27),
        reconsideration_body: "某某区人民政府".into(),
        court: Some("某某区人民法院".into()),
        details: Details::Reply(Reply {
            details: String::new(),
            disclosed: vec!["加装电梯批复".into()],
            withheld: vec![gongkai_notice::WithheldPart {
                item: "附图中的住户姓名".into(),
                ground: Outcome::WithheldThirdParty,
                reason: "涉及个人隐私".into(),
            }],
        }),
    };
    let notice = render(kind, &ctx, None).expect("render the default notice");
    let dir = scratch();
    let docx = dir.join("partial.docx");
    std::fs::write(&docx, notice.to_docx().expect("write DOCX")).expect("write DOCX file");
    let text = to_pdf_text(&dir, &docx);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [NUMBER, "第三十七条", "行政复议", "附图中的住户姓名"] {
        assert!(flat.contains(needle), "PDF text lacks {needle:?}:\n{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
