//! The PDF export reads back: `gongkai_report::reader` (through `pdftotext -layout`) gives the
//! same tables, organ, year and template, for the seed, every labelled corpus document and
//! generated reports of both templates; the text layer holds the statutory labels and the
//! narrative, and page 1 rendered by `pdftoppm` is not blank.
//!
//! Without poppler or the Noto CJK fonts the tests skip with a message, except under `CI` (set,
//! not empty), where they fail: CI must prove the PDF.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use gongkai_core::format::{APPLICANT_COLUMNS, ProactiveKind, Template, title};
use gongkai_pdf::{FontDirs, PdfError, pdf};
use gongkai_report::model::{
    AnnualReport, Appeals, Applications, Narrative, Proactive, ProactiveValue,
};
use gongkai_report::reader;

fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Whether `program` starts (`pdftotext -v` exits non-zero on some poppler versions).
fn available(program: &str) -> bool {
    Command::new(program).arg("-v").output().is_ok()
}

/// The report's PDF, or `None` (skip) where poppler or the fonts are missing outside CI.
fn render(report: &AnnualReport) -> Option<Vec<u8>> {
    let missing = |what: String| {
        assert!(!under_ci(), "CI must run the PDF tests: {what}");
        eprintln!("skipped: {what}");
        None
    };
    if !available("pdftotext") {
        return missing("pdftotext (poppler-utils) not installed".into());
    }
    match pdf(report, &FontDirs::from_env()) {
        Ok(bytes) => Some(bytes),
        Err(e @ PdfError::NoCjkFont { .. }) => missing(e.to_string()),
        Err(e) => panic!("{e}"),
    }
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn labelled(path: &Path) -> AnnualReport {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    AnnualReport::from_json(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seed() -> AnnualReport {
    labelled(&shared().join("seed/2022_hulunbuir_jingkaiqu.json"))
}

/// Every leaf where `got` differs from `want`.
fn diff(path: &str, got: &serde_json::Value, want: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or(&Value::Null);
                diff(&format!("{path}.{k}"), gv, wv, out);
            }
        }
        _ if got != want => out.push(format!("{path}: read {got}, printed {want}")),
        _ => {}
    }
}

fn text_layer(bytes: &[u8]) -> String {
    gongkai_report::extract::pdf_text(bytes).unwrap_or_else(|e| panic!("pdftotext: {e}"))
}

/// Renders, reads back, and asserts the tables, organ, year and template are the same, and the
/// narrative too where the report has one.
fn assert_reads_back(name: &str, report: &AnnualReport) -> Option<String> {
    let bytes = render(report)?;
    let read = reader::read_bytes(&bytes, Some("report.pdf"))
        .unwrap_or_else(|e| panic!("{name}: {e}\n{}", text_layer(&bytes)));
    let want = AnnualReport {
        narrative: None,
        ..report.clone()
    };
    let mut problems = Vec::new();
    diff("", &read.report.to_json(), &want.to_json(), &mut problems);
    let text = text_layer(&bytes);
    assert!(
        problems.is_empty(),
        "{name}:\n{}\n{text}",
        problems.join("\n")
    );
    let tables = AnnualReport {
        narrative: None,
        ..read.report.clone()
    };
    assert_eq!(tables, want, "{name}\n{text}");
    if report.narrative.is_some() {
        assert_eq!(read.report.narrative, report.narrative, "{name}\n{text}");
    }
    Some(text)
}

#[test]
fn the_seed_reads_back_equal() {
    assert_reads_back("seed", &seed());
}

#[test]
fn every_labelled_corpus_document_reads_back_equal() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(shared().join("corpus"))
        .expect("corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "labelled corpus documents: {paths:?}");
    for path in paths {
        let name = path.display().to_string();
        if assert_reads_back(&name, &labelled(&path)).is_none() {
            return;
        }
    }
}

/// A small deterministic generator (xorshift), so a failure names a reproducible case.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Counts of every width a report prints: 0, one digit, up to six digits.
    fn count(&mut self) -> u64 {
        match self.next() % 6 {
            0 => 0,
            1 => self.next() % 10,
            2 => self.next() % 100,
            3 => self.next() % 1_000,
            4 => self.next() % 100_000,
            _ => self.next() % 1_000_000,
        }
    }
}

/// A report of `template` with every cell printed (PDF blanks are a separate test).
fn generated(template: Template, seed: u64) -> AnnualReport {
    let mut n = Numbers(seed);
    let mut report = AnnualReport::new(template);
    report.agency = Some("某某县自然资源局".into());
    report.year = Some(match template {
        Template::Y2019 => 2019 + (seed % 2) as i32,
        Template::Y2021 => 2021 + (seed % 5) as i32,
    });
    let mut p = Proactive::new(template);
    for block in template.proactive_blocks() {
        for row in block.rows {
            for col in block.columns {
                let v = match col.kind {
                    ProactiveKind::Count => ProactiveValue::Int(n.count() as i64),
                    ProactiveKind::Change => ProactiveValue::Int(n.count() as i64 % 500 - 250),
                    ProactiveKind::Amount => match n.next() % 3 {
                        0 => ProactiveValue::Text(n.count().to_string()),
                        _ => ProactiveValue::Text(format!(
                            "{}.{}",
                            n.count() % 10_000,
                            n.next() % 100
                        )),
                    },
                    ProactiveKind::Unit => ProactiveValue::Text(
                        if n.next().is_multiple_of(2) {
                            "万元"
                        } else {
                            "元"
                        }
                        .into(),
                    ),
                };
                p.set(row.key, col.key, Some(v)).expect("valid cell");
            }
        }
    }
    report.proactive = Some(p);
    let mut a = Applications::new(template);
    for spec in template.application_rows() {
        if let Some(row) = a.row_mut(spec.row) {
            for cell in row.iter_mut() {
                *cell = Some(n.count());
            }
        }
    }
    report.applications = Some(a);
    let mut f = Appeals::default();
    for cell in f.blocks.iter_mut().flatten() {
        *cell = Some(n.count());
    }
    report.appeals = Some(f);
    report
}

/// `report` with about one cell in `every` left blank (an amount's unit goes with its amount).
fn with_blanks(mut report: AnnualReport, seed: u64, every: u64) -> AnnualReport {
    let mut n = Numbers(seed);
    if let Some(p) = report.proactive.as_mut() {
        let cells: Vec<_> = p.cells().map(|(r, c, k, _)| (r, c, k)).collect();
        let mut blank_amount = Vec::new();
        for (row, col, kind) in cells {
            let blank = n.next().is_multiple_of(every)
                || (kind == ProactiveKind::Unit && blank_amount.contains(&row));
            if blank {
                if kind == ProactiveKind::Amount {
                    blank_amount.push(row);
                }
                p.set(row, col, None).expect("valid cell");
            }
        }
    }
    if let Some(a) = report.applications.as_mut() {
        for spec in a.template().application_rows() {
            for cell in a.row_mut(spec.row).into_iter().flatten() {
                if n.next().is_multiple_of(every) {
                    *cell = None;
                }
            }
        }
    }
    for cell in report
        .appeals
        .iter_mut()
        .flat_map(|f| f.blocks.iter_mut().flatten())
    {
        if n.next().is_multiple_of(every) {
            *cell = None;
        }
    }
    report
}

#[test]
fn blank_cells_read_back_blank() {
    for template in Template::ALL {
        for seed in 1..=3u64 {
            let every = [2, 5, 11][seed as usize - 1];
            let report = with_blanks(generated(template, seed * 104_729), seed, every);
            let name = format!("{} template with blanks, case {seed}", template.key());
            if assert_reads_back(&name, &report).is_none() {
                return;
            }
        }
    }
    // Every cell blank, every table present.
    for template in Template::ALL {
        let report = with_blanks(generated(template, 3), 1, 1);
        assert_reads_back("every cell blank", &report);
    }
}

#[test]
fn generated_reports_of_both_templates_read_back_equal() {
    for template in Template::ALL {
        for seed in 1..=6u64 {
            let report = generated(
                template,
                seed * 7919 + u64::from(template == Template::Y2021),
            );
            let name = format!("{} template, case {seed}", template.key());
            if assert_reads_back(&name, &report).is_none() {
                return;
            }
        }
    }
}

/// The seed's narrative as the seed prints it (parts 一, 五, 六 abridged), signed and dated.
fn seed_with_narrative() -> AnnualReport {
    let mut report = seed();
    report.narrative = Some(Narrative {
        opening: Some("本报告根据《中华人民共和国政府信息公开条例》要求编制。".into()),
        overview: Some(
            "（一）主动公开情况\n2022年，我区累计主动公开政府信息388条，其中公文40件。".into(),
        ),
        problems: Some("公开内容不够全面。\n下一步将加强培训。".into()),
        other_matters: Some("本年度未收取信息处理费。".into()),
        signature: Some("呼伦贝尔经济技术开发区管委会".into()),
        date: Some("2023-01-11".into()),
    });
    report
}

#[test]
fn the_narrative_prints_with_its_headings_and_the_date_as_signed() {
    let Some(text) = assert_reads_back("seed with narrative", &seed_with_narrative()) else {
        return;
    };
    for expected in [
        title::OVERVIEW,
        title::PROBLEMS,
        title::OTHER_MATTERS,
        "累计主动公开政府信息388条",
        "呼伦贝尔经济技术开发区管委会",
        "2023年1月11日",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    // Part 一 comes before 表二, parts 五 and 六 after 表四, the date last.
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at(title::OVERVIEW) < at(title::PROACTIVE));
    assert!(at(title::APPEALS) < at(title::PROBLEMS));
    assert!(at(title::PROBLEMS) < at(title::OTHER_MATTERS));
    assert!(at(title::OTHER_MATTERS) < at("2023年1月11日"));
    // Signature and date stand right-aligned: far from the left margin in the layout text.
    let date_line = text
        .lines()
        .find(|l| l.contains("2023年1月11日"))
        .expect("date line");
    let indent = date_line.chars().take_while(|c| *c == ' ').count();
    assert!(indent > 40, "date not right-aligned: {date_line:?}");
}

#[test]
fn an_organs_text_is_printed_as_text_never_run_as_typst() {
    let mut report = seed_with_narrative();
    let hostile = "#set page(fill: red) #panic(\"x\") $x^2$ *粗* ]) } // 注释 \\ @ref <l>";
    report.agency = Some("某局".into());
    if let Some(n) = report.narrative.as_mut() {
        n.problems = Some(hostile.into());
        n.signature = Some("#read(\"/etc/passwd\")".into());
    }
    let Some(bytes) = render(&report) else { return };
    let text = text_layer(&bytes);
    for expected in [
        "#set page(fill: red)",
        "#panic(\"x\")",
        "$x^2$",
        "*粗*",
        "// 注释",
        "#read(\"/etc/passwd\")",
    ] {
        assert!(
            text.contains(expected),
            "{expected} not printed literally:\n{text}"
        );
    }
}

/// A fresh directory of our own.
fn scratch(tag: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir =
        std::env::temp_dir().join(format!("gongkai-pdf-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

#[test]
fn chinese_labels_are_in_the_text_layer_and_page_one_is_not_blank() {
    let Some(bytes) = render(&seed()) else { return };
    let text = text_layer(&bytes);
    for label in [
        "呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告",
        title::PROACTIVE,
        title::INFORMATION_CONTENT,
        APPLICANT_COLUMNS[0].label,
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
    if !available("pdftoppm") {
        assert!(!under_ci(), "CI must render the PDF with pdftoppm");
        eprintln!("skipped: pdftoppm not installed");
        return;
    }
    let dir = scratch("ppm");
    let pdf_path = dir.join("report.pdf");
    std::fs::write(&pdf_path, &bytes).expect("write PDF");
    let out = Command::new("pdftoppm")
        .args(["-r", "50", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.join("page"))
        .output()
        .expect("run pdftoppm");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ppm = std::fs::read(dir.join("page.ppm")).expect("read PPM");
    let (width, height, pixels) = parse_ppm(&ppm);
    // A4 at 50 dpi is 413 × 585.
    assert!(
        (400..430).contains(&width) && (570..600).contains(&height),
        "{width}×{height}"
    );
    let dark = pixels
        .chunks(3)
        .filter(|p| p.iter().any(|&c| c < 128))
        .count();
    let share = dark as f64 / (width * height) as f64;
    // Text and table rules ink a few percent of an A4 page; a blank page (or boxes for
    // missing glyphs only) would not reach this.
    assert!(
        share > 0.01,
        "page 1 nearly blank: {dark} dark pixels of {}",
        width * height
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A binary PPM (P6, maxval 255): width, height, RGB bytes.
fn parse_ppm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(
            std::str::from_utf8(&bytes[start..i])
                .expect("PPM header")
                .to_owned(),
        );
    }
    assert_eq!(fields[0], "P6", "not a binary PPM");
    assert_eq!(fields[3], "255");
    let width: usize = fields[1].parse().expect("width");
    let height: usize = fields[2].parse().expect("height");
    let pixels = &bytes[i + 1..];
    assert_eq!(pixels.len(), width * height * 3);
    (width, height, pixels)
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    // No clock and no random ids: an export can be compared, cached and archived.
    let Some(first) = render(&seed()) else { return };
    let Some(second) = render(&seed()) else {
        return;
    };
    assert!(first == second, "two renderings of the seed differ");
    let Some(other) = render(&seed_with_narrative()) else {
        return;
    };
    assert!(first != other, "the narrative changed nothing");
}

#[test]
fn without_a_cjk_font_the_error_names_the_directories_searched() {
    let empty = scratch("nofonts");
    let err = pdf(
        &seed(),
        &FontDirs::new([empty.clone(), PathBuf::from("/nonexistent/fonts")]),
    )
    .expect_err("no fonts there");
    let message = err.to_string();
    assert!(matches!(err, PdfError::NoCjkFont { .. }), "{err:?}");
    assert!(message.contains(&empty.display().to_string()), "{message}");
    assert!(message.contains("/nonexistent/fonts"), "{message}");
    assert!(message.contains("fonts-noto-cjk"), "{message}");
    let _ = std::fs::remove_dir_all(&empty);
}
