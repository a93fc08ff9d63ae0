//! A no-panic fuzz run on stable Rust over the reader's entry points: text (`read_text` and
//! every check), HTML and DOCX (`read_bytes` with a `.html` / `.docx` name), and the splitter.
//!
//! Seeds are the corpus and seed reports (as text, as HTML rows, and as DOCX built here);
//! each round mutates one at the byte level (flips, insertions of table tokens, deletions,
//! duplications, splices, truncation). It runs `GONGKAI_FUZZ_SECONDS` seconds (default 3; the
//! issue's bar is 600 in a release build:
//! `GONGKAI_FUZZ_SECONDS=600 cargo test -p gongkai-report --release --test fuzz_entry -- --nocapture`).
//! `GONGKAI_FUZZ_SEED` fixes the random seed. A panicking input is written to the temporary
//! directory and the test fails naming the file; an input that takes over 10 s fails too.
//! libFuzzer targets for the same entry points are in `crates/report/fuzz/`.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongkai_core::format::{Template, title};
use gongkai_report::check::check;
use gongkai_report::reader::{read_bytes, read_text};
use gongkai_report::split::{Evidence, split_appeals, split_applications, split_proactive};

/// xorshift64*: small, deterministic, enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The text reports: every corpus `.txt` and the seed.
fn text_seeds() -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(shared().join("corpus"))
        .expect("shared/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.push(shared().join("seed/2022_hulunbuir_jingkaiqu.txt"));
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A text report as an HTML page: pipe lines become table rows, other lines paragraphs.
fn as_html(text: &str) -> String {
    let mut out = String::from("<html><body>");
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('|') {
            if !in_table {
                out.push_str("<table>");
                in_table = true;
            }
            out.push_str("<tr>");
            for cell in line.split('|') {
                out.push_str(&format!("<td>{}</td>", escape(cell.trim())));
            }
            out.push_str("</tr>\n");
        } else {
            if in_table {
                out.push_str("</table>\n");
                in_table = false;
            }
            out.push_str(&format!("<p>{}</p>\n", escape(line)));
        }
    }
    if in_table {
        out.push_str("</table>");
    }
    out.push_str("</body></html>");
    out
}

/// A text report as `word/document.xml`: pipe lines become table rows (a first cell merged
/// down, a wide cell spanning), other lines paragraphs.
fn as_document_xml(text: &str) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('|') {
            if !in_table {
                out.push_str("<w:tbl>");
            }
            out.push_str("<w:tr>");
            for (i, cell) in line.split('|').enumerate() {
                let props = match (i, in_table) {
                    (0, false) => r#"<w:vMerge w:val="restart"/>"#,
                    (0, true) => "<w:vMerge/>",
                    (1, _) => r#"<w:gridSpan w:val="2"/>"#,
                    _ => "",
                };
                out.push_str(&format!(
                    "<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                    escape(cell.trim())
                ));
            }
            out.push_str("</w:tr>");
            in_table = true;
        } else {
            if in_table {
                out.push_str("</w:tbl>");
                in_table = false;
            }
            out.push_str(&format!(
                "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
                escape(line)
            ));
        }
    }
    if in_table {
        out.push_str("</w:tbl>");
    }
    out.push_str("</w:body></w:document>");
    out
}

fn zip_docx(document_xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(document_xml).expect("zip");
    zip.finish().expect("zip").into_inner()
}

/// Fragments worth inserting: labels, table markup, digit runs, odd characters.
fn tokens() -> Vec<Vec<u8>> {
    let mut t: Vec<String> = vec![
        title::PROACTIVE.into(),
        title::APPLICATIONS.into(),
        title::APPEALS.into(),
        "五、存在的主要问题及改进情况".into(),
        "（七）总计".into(),
        "总计".into(),
        " | ".into(),
        "|".into(),
        "\n".into(),
        "<table>".into(),
        "</table>".into(),
        "<tr>".into(),
        "</tr>".into(),
        "<td colspan=\"99999999\">".into(),
        "<td rowspan=\"4294967296\">".into(),
        "</td>".into(),
        "<br>".into(),
        "&#x0;".into(),
        "&amp;".into(),
        "713000074".into(),
        "270020130".into(),
        "10203120001200000".into(),
        "99999999999999999999999".into(),
        "0".into(),
        "-".into(),
        "—".into(),
        "/".into(),
        "　".into(),
        "０１２".into(),
        "24252.311082".into(),
        "万元".into(),
        "2021年".into(),
        "\u{feff}".into(),
        "\r\n".into(),
        "<w:tc>".into(),
        "</w:tc>".into(),
        "<w:gridSpan w:val=\"0\"/>".into(),
        "<w:vMerge/>".into(),
        "<w:tbl>".into(),
        "</w:tbl>".into(),
    ];
    for spec in Template::Y2021.application_rows() {
        t.push(spec.label.to_owned());
    }
    t.into_iter().map(String::into_bytes).collect()
}

fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>], tokens: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = out.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                if let Some(b) = out.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => {
                let i = rng.below(len + 1);
                let tok = tokens
                    .get(rng.below(tokens.len()))
                    .cloned()
                    .unwrap_or_default();
                out.splice(i..i, tok);
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                out.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256)).min(len);
                let piece: Vec<u8> = out.get(a..b).map(<[u8]>::to_vec).unwrap_or_default();
                let at = rng.below(len + 1);
                out.splice(at..at, piece);
            }
            4 if !others.is_empty() => {
                let other = others
                    .get(rng.below(others.len()))
                    .cloned()
                    .unwrap_or_default();
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                out.truncate(cut);
                out.extend_from_slice(other.get(from..).unwrap_or_default());
            }
            5 => {
                let cut = rng.below(len + 1);
                out.truncate(cut);
            }
            6 if len > 0 => {
                let i = rng.below(len);
                if let Some(b) = out.get_mut(i) {
                    *b = rng.next() as u8;
                }
            }
            _ => {
                // Replace a digit with another digit: shifts table sums.
                let digits: Vec<usize> = out
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&i) = digits.get(rng.below(digits.len()))
                    && let Some(b) = out.get_mut(i)
                {
                    *b = b'0' + rng.below(10) as u8;
                }
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Entry {
    Text,
    Html,
    DocxBytes,
    DocxXml,
    Split,
}

fn exercise(entry: Entry, input: &[u8]) {
    match entry {
        Entry::Text => {
            let text = String::from_utf8_lossy(input);
            if let Ok(read) = read_text(&text) {
                let cx = read.check_context(None);
                let _ = check(&read.report, &cx);
                let _ = read.explain();
            }
        }
        Entry::Html => {
            if !input.starts_with(b"%PDF") {
                let _ = read_bytes(input, Some("report.html"));
            }
        }
        Entry::DocxBytes => {
            if !input.starts_with(b"%PDF") {
                let _ = read_bytes(input, Some("report.docx"));
            }
        }
        Entry::DocxXml => {
            let _ = read_bytes(&zip_docx(input), Some("report.docx"));
        }
        Entry::Split => {
            let text = String::from_utf8_lossy(input);
            let rows: Vec<&str> = text.lines().collect();
            let evidence = Evidence::from_narrative(&text);
            for template in Template::ALL {
                let _ = split_applications(template, &rows, &evidence);
                let keyed: Vec<(&str, &str)> = template
                    .proactive_blocks()
                    .iter()
                    .flat_map(|b| b.rows.iter().map(|r| r.key))
                    .zip(rows.iter().copied())
                    .collect();
                let _ = split_proactive(template, &keyed, &evidence);
            }
            for row in rows.iter().take(4) {
                let _ = split_appeals(row, &evidence);
            }
        }
    }
}

/// Rows of digits as a splitter input: runs from the 平潭 tables and random ones.
fn split_seeds() -> Vec<Vec<u8>> {
    vec![
        b"713000074\n1000001\n210000021\n8100009\n0000000\n0000000\n0000000\n0000000\n1000001\n2000002\n1000001\n0000000\n37000000037\n0000000\n0000000\n0000000\n0000000\n0000000\n0000000\n0000000\n2000002\n0000000\n0200002\n723000075\n0000000".to_vec(),
        b"10203120001200000\n693665\n13575394432.52\xe5\x85\x83\n3960181\n-5\n24252.311082".to_vec(),
        b"230 000023\n0000000\n7000007\n1000001\n23 0 00 0 023\n 0 0 00 00 0 ".to_vec(),
    ]
}

#[test]
fn entry_points_never_panic_on_mutated_reports() {
    let seconds: u64 = std::env::var("GONGKAI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("GONGKAI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let texts = text_seeds();
    let text_bytes: Vec<Vec<u8>> = texts.iter().map(|t| t.clone().into_bytes()).collect();
    let html: Vec<Vec<u8>> = texts.iter().map(|t| as_html(t).into_bytes()).collect();
    let xml: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| as_document_xml(t).into_bytes())
        .collect();
    let docx: Vec<Vec<u8>> = xml.iter().map(|x| zip_docx(x)).collect();
    let splits = split_seeds();
    let tokens = tokens();
    let pools: [(Entry, &[Vec<u8>]); 5] = [
        (Entry::Text, &text_bytes),
        (Entry::Html, &html),
        (Entry::DocxBytes, &docx),
        (Entry::DocxXml, &xml),
        (Entry::Split, &splits),
    ];

    // Every seed unmutated first.
    for (entry, pool) in &pools {
        for input in pool.iter() {
            run_one(*entry, input);
        }
    }
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = [0u64; 5];
    let mut slowest = (Duration::ZERO, "");
    while Instant::now() < deadline {
        let which = rng.below(pools.len());
        let Some((entry, pool)) = pools.get(which) else {
            continue;
        };
        let Some(base) = pool.get(rng.below(pool.len())) else {
            continue;
        };
        let input = mutate(&mut rng, base, pool, &tokens);
        let took = run_one(*entry, &input);
        if took > slowest.0 {
            slowest = (took, entry_name(*entry));
        }
        if let Some(r) = runs.get_mut(which) {
            *r += 1;
        }
    }
    println!(
        "fuzz_entry: seed {seed}, {seconds} s: text {}, html {}, docx bytes {}, docx xml {}, split {} inputs; slowest {:?} ({})",
        runs[0], runs[1], runs[2], runs[3], runs[4], slowest.0, slowest.1
    );
}

fn entry_name(entry: Entry) -> &'static str {
    match entry {
        Entry::Text => "text",
        Entry::Html => "html",
        Entry::DocxBytes => "docx bytes",
        Entry::DocxXml => "docx xml",
        Entry::Split => "split",
    }
}

/// Runs one input; on a panic or a hang, saves it and fails.
fn run_one(entry: Entry, input: &[u8]) -> Duration {
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| exercise(entry, input)));
    let took = start.elapsed();
    let failure = match outcome {
        Err(_) => Some("panicked"),
        Ok(()) if took > Duration::from_secs(10) => Some("took over 10 s"),
        Ok(()) => None,
    };
    if let Some(what) = failure {
        let path = std::env::temp_dir().join(format!(
            "gongkai-fuzz-{}-{}.bin",
            entry_name(entry).replace(' ', "-"),
            std::process::id()
        ));
        let saved = std::fs::write(&path, input).is_ok();
        panic!(
            "{} input {what}; saved: {} ({})",
            entry_name(entry),
            path.display(),
            if saved { "ok" } else { "could not write" }
        );
    }
    took
}
