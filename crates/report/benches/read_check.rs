//! Throughput of reading and checking text reports (`cargo bench -p gongkai-report`).
//!
//! Each benchmark reads one published report with `reader::read_text` and runs every check of
//! `check::check` over it, as `gongkai report check` does. Divan prints time per report (its
//! inverse is reports per second on one core: the benchmarks run on one thread) and, through
//! the byte counter, MB/s. Two references are measured in the same run on the same bytes so the
//! figures can be read as ratios on any machine: counting the lines of the text, and parsing the
//! seed's labelled JSON with serde_json.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use gongkai_report::check::check;
use gongkai_report::reader::read_text;

fn main() {
    divan::main();
}

/// The seed (pipe-flattened text, all zeros) and corpus reports of other shapes: cells run
/// together (平潭, exercising the splitter), PDF layout text (洪泽), HTML rows with pipes (上海).
const REPORTS: &[(&str, &str)] = &[
    (
        "seed_hulunbuir_2022",
        include_str!("../../../../shared/seed/2022_hulunbuir_jingkaiqu.txt"),
    ),
    (
        "pingtan_2019_run_together",
        include_str!("../../../../shared/corpus/2019_pingtan_1.txt"),
    ),
    (
        "pingtan_2021_run_together",
        include_str!("../../../../shared/corpus/2021_pingtan_1.txt"),
    ),
    (
        "hongzequ_2023_pdf_layout",
        include_str!("../../../../shared/corpus/2023_hongzequ_1.txt"),
    ),
    (
        "shanghai_2019_html_rows",
        include_str!("../../../../shared/corpus/2019_shanghai_bangongting_1.txt"),
    ),
];

const SEED_JSON: &str = include_str!("../../../../shared/seed/2022_hulunbuir_jingkaiqu.json");

fn text(name: &str) -> &'static str {
    REPORTS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| t)
}

const NAMES: [&str; 5] = [
    "seed_hulunbuir_2022",
    "pingtan_2019_run_together",
    "pingtan_2021_run_together",
    "hongzequ_2023_pdf_layout",
    "shanghai_2019_html_rows",
];

/// Read and check one report: the figure that matters.
#[divan::bench(args = NAMES)]
fn read_and_check(bencher: Bencher, name: &str) {
    let input = text(name);
    bencher.counter(BytesCount::of_str(input)).bench(|| {
        let read = read_text(black_box(input)).ok();
        read.map(|r| {
            let cx = r.check_context(None);
            check(&r.report, &cx).len()
        })
    });
}

/// Read only.
#[divan::bench(args = NAMES)]
fn read_only(bencher: Bencher, name: &str) {
    let input = text(name);
    bencher
        .counter(BytesCount::of_str(input))
        .bench(|| read_text(black_box(input)).ok().map(|r| r.notes.len()));
}

/// Reference: count the lines of the same text.
#[divan::bench(args = NAMES)]
fn reference_count_lines(bencher: Bencher, name: &str) {
    let input = text(name);
    bencher
        .counter(BytesCount::of_str(input))
        .bench(|| black_box(input).lines().count());
}

/// Reference: parse the seed's labelled JSON (the same tables, as the interchange format).
#[divan::bench]
fn reference_serde_json_seed(bencher: Bencher) {
    bencher
        .counter(BytesCount::of_str(SEED_JSON))
        .bench(|| serde_json::from_str::<serde_json::Value>(black_box(SEED_JSON)).ok());
}

/// 表三 of 2022_pingtan_1 as printed, one run per row.
const PINGTAN_2022_TABLE3: [&str; 25] = [
    "713000074",
    "1000001",
    "210000021",
    "8100009",
    "0000000",
    "0000000",
    "0000000",
    "0000000",
    "1000001",
    "2000002",
    "1000001",
    "0000000",
    "370000037",
    "0000000",
    "0000000",
    "0000000",
    "0000000",
    "0000000",
    "0000000",
    "0000000",
    "2000002",
    "0000000",
    "0200002",
    "723000075",
    "0000000",
];

/// The splitter alone: 表三 of 2022_pingtan_1 (cells run together) cut by the identities.
#[divan::bench]
fn split_table3_pingtan_2022() -> usize {
    let split = gongkai_report::split::split_applications(
        gongkai_core::format::Template::Y2021,
        black_box(&PINGTAN_2022_TABLE3),
        &gongkai_report::split::Evidence::new(),
    );
    split.cells().filter(|(_, c)| c.value.is_some()).count()
}
