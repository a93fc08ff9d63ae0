//! Fuzz target: the splitter on arbitrary rows (one per line). Must never panic nor hang.
#![no_main]

use gongkai_core::format::Template;
use gongkai_report::split::{Evidence, split_appeals, split_applications, split_proactive};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
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
    let _ = split_appeals(rows.first().copied().unwrap_or(""), &evidence);
});
