//! Fuzz target: any bytes as an HTML file through `reader::read_bytes`. Must never panic.
#![no_main]

use gongkai_report::reader::read_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Inputs that start like a PDF would only exercise pdftotext, not our code.
    if data.starts_with(b"%PDF") {
        return;
    }
    let _ = read_bytes(data, Some("report.html"));
});
