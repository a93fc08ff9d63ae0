//! A whole report through the DOCX path: the seed, laid out as Word would hold it (narrative
//! paragraphs, tables of cells), must read to the same tables as its text.

use std::io::Write;
use std::path::Path;

use gongkai_report::reader::{read_bytes, read_text};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `word/document.xml` for a pipe-flattened text: `|` lines become table rows.
fn document_xml(text: &str) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    let mut in_table = false;
    for line in text.lines() {
        let is_row = line.contains('|');
        if is_row && !in_table {
            out.push_str("<w:tbl>");
        }
        if !is_row && in_table {
            out.push_str("</w:tbl>");
        }
        in_table = is_row;
        if is_row {
            out.push_str("<w:tr>");
            for cell in line.split('|') {
                out.push_str(&format!(
                    "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                    escape(cell.trim())
                ));
            }
            out.push_str("</w:tr>");
        } else {
            out.push_str(&format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
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

#[test]
fn the_seed_as_docx_reads_like_the_seed_as_text() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/2022_hulunbuir_jingkaiqu.txt");
    let text = std::fs::read_to_string(&path).expect("seed");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(document_xml(&text).as_bytes()).expect("zip");
    let docx = zip.finish().expect("zip").into_inner();

    let from_text = read_text(&text).expect("seed text reads");
    let from_docx = read_bytes(&docx, Some("seed.docx")).expect("seed docx reads");
    // Tables and narrative alike (the opening, 一, 五, 六, 落款 and 2023年1月11日).
    assert_eq!(from_docx.report, from_text.report);
    let narrative = from_docx.report.narrative.as_ref().expect("the narrative");
    assert_eq!(narrative.date.as_deref(), Some("2023-01-11"));
    assert!(from_docx.report.proactive.is_some());
    assert!(from_docx.report.applications.is_some());
    assert!(from_docx.report.appeals.is_some());
}
