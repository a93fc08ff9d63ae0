//! Extraction of text from real files: the PDF of `shared/corpus/2023_hongzequ_1.pdf` through
//! poppler's pdftotext (required: CI installs poppler-utils; this test fails, not skips, when
//! it is missing), a DOCX built here with a merged-cell table, and the typed errors for bytes
//! that are neither.

use std::io::Write;
use std::path::{Path, PathBuf};

use gongkai_report::extract::{ExtractError, docx_text, pdf_text, pdf_text_with};
use zip::write::SimpleFileOptions;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

fn trimmed_lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim_end).collect()
}

#[test]
fn hongzequ_pdf_gives_the_same_text_as_the_corpus_layout_text() {
    let pdf = std::fs::read(corpus("2023_hongzequ_1.pdf")).expect("corpus PDF");
    let text =
        pdf_text(&pdf).unwrap_or_else(|e| panic!("pdftotext (poppler-utils) is required: {e}"));
    let expected = std::fs::read_to_string(corpus("2023_hongzequ_1.txt")).expect("corpus text");
    assert_eq!(trimmed_lines(&text), trimmed_lines(&expected));
    // The tables' labels and numbers are in the text layer, columns aligned with spaces.
    for needle in ["行政许可", "自然人", "（七）总计", "550"] {
        assert!(text.contains(needle), "{needle}");
    }
}

#[test]
fn bytes_that_are_not_a_pdf_are_refused_before_running_anything() {
    let err = pdf_text(b"PK\x03\x04 not a pdf").err();
    assert!(matches!(err, Some(ExtractError::NotPdf)), "{err:?}");
}

#[test]
fn a_damaged_pdf_is_reported_with_pdftotext_message() {
    let err = pdf_text(b"%PDF-1.7\n this is not really a PDF\n%%EOF").err();
    assert!(
        matches!(err, Some(ExtractError::PdfUnreadable { .. })),
        "{err:?}"
    );
}

#[test]
fn a_missing_extractor_names_the_debian_package() {
    let pdf = std::fs::read(corpus("2023_hongzequ_1.pdf")).expect("corpus PDF");
    let err = pdf_text_with(Path::new("/nonexistent/gongkai-test/pdftotext"), &pdf).err();
    match err {
        Some(e @ ExtractError::ExtractorMissing { .. }) => {
            assert!(e.to_string().contains("poppler-utils"), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

/// A valid one-page PDF that draws a rectangle and has no text: what a scan looks like to a
/// text extractor.
fn pdf_without_text() -> Vec<u8> {
    let content = "0 0 1 rg 100 100 200 200 re f\n";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_pdf_without_a_text_layer_is_a_scan() {
    let err = pdf_text(&pdf_without_text()).err();
    assert!(matches!(err, Some(ExtractError::NoTextLayer)), "{err:?}");
}

/// A DOCX archive holding `document_xml`, deflated as Word does.
fn docx(document_xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
        .expect("zip");
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(document_xml.as_bytes()).expect("zip");
    zip.finish().expect("zip").into_inner()
}

fn cell(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

#[test]
fn docx_tables_become_html_with_colspan_and_rowspan() {
    // 表四's header as Word writes it: 行政复议 over 5 columns and 行政诉讼 over 10, 结果维持 merged
    // down two rows.
    let restart = r#"<w:vMerge w:val="restart"/>"#;
    let body = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
            "<w:p><w:r><w:t>四、政府信息公开行政复议、行政诉讼情况</w:t></w:r></w:p>",
            "<w:tbl>",
            "<w:tr>{a}{b}</w:tr>",
            "<w:tr>{c}{d}{e}</w:tr>",
            "<w:tr>{f}{g}{h}</w:tr>",
            "</w:tbl>",
            "<w:p><w:r><w:t>五、存在的主要问题</w:t></w:r><w:r><w:tab/><w:t>及改进情况</w:t></w:r></w:p>",
            "</w:body></w:document>"
        ),
        a = cell("行政复议", r#"<w:gridSpan w:val="5"/>"#),
        b = cell("行政诉讼", r#"<w:gridSpan w:val="10"/>"#),
        c = cell("结果维持", restart),
        d = cell("未经复议直接起诉", r#"<w:gridSpan w:val="5"/>"#),
        e = cell("复议后起诉", r#"<w:gridSpan w:val="5"/>"#),
        f = cell("", "<w:vMerge/>"),
        g = cell("1 &amp; 2", ""),
        h = cell("3", ""),
    );
    let text = docx_text(&docx(&body)).unwrap_or_else(|e| panic!("{e}"));
    let expected = [
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>",
        "<table>",
        r#"<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>"#,
        r#"<tr><td rowspan="2">结果维持</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>"#,
        "<tr><td>1 &amp; 2</td><td>3</td></tr>",
        "</table>",
        "<p>五、存在的主要问题\t及改进情况</p>",
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn bytes_that_are_not_a_docx_get_typed_errors() {
    assert!(matches!(
        docx_text(b"this is plain text"),
        Err(ExtractError::NotZip { .. })
    ));
    // A ZIP without word/document.xml (an XLSX, say).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/workbook.xml", SimpleFileOptions::default())
        .expect("zip");
    zip.write_all(b"<workbook/>").expect("zip");
    let xlsx = zip.finish().expect("zip").into_inner();
    assert!(matches!(docx_text(&xlsx), Err(ExtractError::NoDocumentXml)));
    // Broken XML inside.
    let err = docx_text(&docx("<w:document><w:body><w:p></w:q>")).err();
    assert!(
        matches!(err, Some(ExtractError::BadDocumentXml { .. })),
        "{err:?}"
    );
}
