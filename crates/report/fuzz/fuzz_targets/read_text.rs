//! Fuzz target: any UTF-8 text through `reader::read_text` and every check. Must never panic.
#![no_main]

use gongkai_report::check::check;
use gongkai_report::reader::read_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(read) = read_text(&text) {
        let cx = read.check_context(None);
        let _ = check(&read.report, &cx);
        let _ = read.explain();
    }
});
