//! Hostile DOCX files are refused before they cost much: tables nested without end and ZIP
//! bombs. The fixtures are built here, not committed.

use std::io::Write;
use std::time::{Duration, Instant};

use gongkai_report::extract::{ExtractError, MAX_TABLE_DEPTH, MAX_XML_BYTES, docx_text};
use zip::write::SimpleFileOptions;

/// A DOCX archive holding `document_xml`, with `method`.
fn docx(document_xml: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(document_xml.len() as u64 >= u64::from(u32::MAX));
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(document_xml).expect("zip");
    zip.finish().expect("zip").into_inner()
}

/// `word/document.xml` with a paragraph inside `depth` tables, each inside a cell of the last.
fn nested_tables(depth: usize) -> Vec<u8> {
    let mut xml = String::from(r#"<w:document xmlns:w="x"><w:body>"#);
    xml.push_str(&"<w:tbl><w:tr><w:tc>".repeat(depth));
    xml.push_str("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
    xml.push_str(&"</w:tc></w:tr></w:tbl>".repeat(depth));
    xml.push_str("</w:body></w:document>");
    xml.into_bytes()
}

#[test]
fn docx_nested_tables_200k_deep_is_bounded() {
    // Stored, not deflated: the same XML, and a debug build's deflate would dominate the test.
    let file = docx(&nested_tables(200_000), zip::CompressionMethod::Stored);
    let start = Instant::now();
    let err = docx_text(&file).err();
    let elapsed = start.elapsed();
    assert!(
        matches!(
            err,
            Some(ExtractError::TablesTooDeep {
                limit: MAX_TABLE_DEPTH
            })
        ),
        "{err:?}"
    );
    // Refused at the 65th table, not after reading 200 000 (that took 41 s).
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("嵌套超过 64 层"), "{message}");

    // At the limit the innermost cell is still read.
    let at_limit = docx(
        &nested_tables(MAX_TABLE_DEPTH),
        zip::CompressionMethod::Stored,
    );
    let text = docx_text(&at_limit).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.matches("<table>").count(), MAX_TABLE_DEPTH);
    assert!(text.contains("<td>x</td>"), "{text}");
    let over = docx(
        &nested_tables(MAX_TABLE_DEPTH + 1),
        zip::CompressionMethod::Stored,
    );
    assert!(matches!(
        docx_text(&over),
        Err(ExtractError::TablesTooDeep { .. })
    ));
}

/// An empty paragraph repeated past the limit: well-formed XML that inflates beyond
/// [`MAX_XML_BYTES`] from well under a megabyte.
fn bomb_xml() -> Vec<u8> {
    let paragraph = b"<w:p/>";
    let count = usize::try_from(MAX_XML_BYTES).expect("usize") / paragraph.len() + 1;
    let mut xml = br#"<w:document xmlns:w="x"><w:body>"#.to_vec();
    xml.extend(paragraph.repeat(count));
    xml.extend(b"</w:body></w:document>");
    xml
}

/// Overwrites every uncompressed-size field of the one entry (local header at 22, central
/// header at 24 past its signature) with `size`: a bomb whose headers lie.
fn claim_size(zip: &mut [u8], size: u32) {
    let central = zip
        .windows(4)
        .rposition(|w| w == b"PK\x01\x02")
        .expect("central header");
    for at in [22, central + 24] {
        zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
    }
}

#[test]
fn docx_zip_bomb_is_refused() {
    let bomb = docx(&bomb_xml(), zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    // Its header tells its size: refused without inflating it.
    let start = Instant::now();
    let err = docx_text(&bomb).err();
    assert!(
        matches!(err, Some(ExtractError::XmlTooLarge { limit_mib: 32 })),
        "{err:?}"
    );
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("超过 32 MiB"), "{message}");

    // Its header claims 1 KiB: inflating stops at the claim or at the limit, and the file is
    // refused either way (before, the first 64 MiB were inflated and parsed).
    let mut liar = bomb;
    claim_size(&mut liar, 1024);
    let err = docx_text(&liar).err();
    assert!(
        matches!(
            err,
            Some(ExtractError::XmlTooLarge { .. } | ExtractError::BadDocumentXml { .. })
        ),
        "{err:?}"
    );
}
