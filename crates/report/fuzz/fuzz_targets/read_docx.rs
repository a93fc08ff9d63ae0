//! Fuzz target: any bytes as a DOCX file through `reader::read_bytes`, and the same bytes as
//! the `word/document.xml` of a well-formed archive (so the XML walker is reached too).
//! Must never panic.
#![no_main]

use std::io::Write;

use gongkai_report::extract::docx_text;
use gongkai_report::reader::read_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"%PDF") {
        return;
    }
    let _ = read_bytes(data, Some("report.docx"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    if zip
        .start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .is_ok()
        && zip.write_all(data).is_ok()
        && let Ok(cursor) = zip.finish()
    {
        let bytes = cursor.into_inner();
        let _ = docx_text(&bytes);
        let _ = read_bytes(&bytes, Some("report.docx"));
    }
});
