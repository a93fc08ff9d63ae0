//! The splitter on synthetic tables: a consistent table is generated, printed run together,
//! and split again. A decided cell must always equal the original (never a wrong number);
//! printed with a space at every cell boundary, every cell must be decided; open cells carry
//! a reason.

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ApplicationRow, Template,
};
use gongkai_report::split::{Evidence, How, Reason, SplitTable, split_appeals, split_applications};
use proptest::prelude::*;

/// A small count, mostly 0 as in real reports, sometimes two or three digits.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        6 => Just(0u64),
        3 => 1u64..10,
        2 => 10u64..100,
        1 => 100u64..1000,
    ]
}

/// A consistent 表三 (spec/domain.md §4.5): rows × 7 columns, in template order.
fn table3(template: Template) -> impl Strategy<Value = Vec<[u64; 7]>> {
    let rows = template.application_rows();
    let results = rows.iter().filter(|r| r.row.is_result()).count();
    (
        prop::collection::vec(prop::array::uniform6(count()), results),
        prop::array::uniform6(count()),
        prop::array::uniform6(0u64..=100),
    )
        .prop_map(move |(result_rows, forward, carried_share)| {
            let mut handled = [0u64; 6];
            for r in &result_rows {
                for c in 0..6 {
                    handled[c] += r[c];
                }
            }
            let mut carried = [0u64; 6];
            let mut new = [0u64; 6];
            for c in 0..6 {
                let open = handled[c] + forward[c];
                carried[c] = open * carried_share[c] / 100 / 4; // mostly small
                new[c] = open - carried[c];
            }
            let with_total = |six: [u64; 6]| {
                let mut row = [0u64; 7];
                row[..6].copy_from_slice(&six);
                row[6] = six.iter().sum();
                row
            };
            let mut results_iter = result_rows.into_iter();
            rows.iter()
                .map(|spec| match spec.row {
                    ApplicationRow::NewReceived => with_total(new),
                    ApplicationRow::CarriedOver => with_total(carried),
                    ApplicationRow::TotalHandled => with_total(handled),
                    ApplicationRow::CarriedForward => with_total(forward),
                    _ => with_total(results_iter.next().unwrap_or_default()),
                })
                .collect()
        })
}

fn print_row(cells: &[u64], gaps: &[bool]) -> String {
    let mut out = String::new();
    for (i, v) in cells.iter().enumerate() {
        if i > 0 && gaps.get(i).copied().unwrap_or(false) {
            out.push(' ');
        }
        out.push_str(&v.to_string());
    }
    out
}

/// Every decided cell equals `original`; an open cell has a reason.
fn never_wrong(split: &SplitTable, original: &[(String, &'static str, u64)]) -> usize {
    let mut decided = 0;
    for (row, column, want) in original {
        let cell = split
            .cell(row, column)
            .unwrap_or_else(|| panic!("missing {row}.{column}"));
        match cell.value.as_ref().and_then(|v| v.count()) {
            Some(got) => {
                assert_eq!(got, *want, "{row}.{column} ({})", cell.how);
                decided += 1;
            }
            None => assert!(matches!(cell.how, How::Unread(_)), "{row}.{column}"),
        }
    }
    decided
}

fn table3_cells(template: Template, table: &[[u64; 7]]) -> Vec<(String, &'static str, u64)> {
    let mut out = Vec::new();
    for (spec, row) in template.application_rows().iter().zip(table) {
        for (col, v) in APPLICANT_COLUMNS.iter().zip(row) {
            out.push((spec.key.to_owned(), col.key, *v));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn table3_run_together_is_never_split_wrong(
        template in prop_oneof![Just(Template::Y2019), Just(Template::Y2021)],
        table in table3(Template::Y2021),
        gaps in prop::collection::vec(prop::collection::vec(prop::bool::weighted(0.2), 7), 25),
    ) {
        // The generator made 2021 rows; cut to the template's row count keeping the identities
        // by regenerating when the 2019 template is asked for.
        let table: Vec<[u64; 7]> = if template == Template::Y2021 { table } else {
            let mut t = table;
            // Merge 2021's three （六） rows into 2019's single one (rows 20, 21, 22).
            let merged: Vec<u64> = (0..7).map(|c| t[20][c] + t[21][c] + t[22][c]).collect();
            t.drain(20..23);
            let mut row = [0u64; 7];
            row.copy_from_slice(&merged);
            t.insert(20, row);
            t
        };
        let printed: Vec<String> = table
            .iter()
            .zip(&gaps)
            .map(|(row, g)| print_row(row, g))
            .collect();
        let refs: Vec<&str> = printed.iter().map(String::as_str).collect();
        let split = split_applications(template, &refs, &Evidence::new());
        never_wrong(&split, &table3_cells(template, &table));
    }

    #[test]
    fn table3_with_a_space_between_every_cell_reads_whole(table in table3(Template::Y2021)) {
        let printed: Vec<String> = table.iter().map(|row| print_row(row, &[true; 7])).collect();
        let refs: Vec<&str> = printed.iter().map(String::as_str).collect();
        let split = split_applications(Template::Y2021, &refs, &Evidence::new());
        let cells = table3_cells(Template::Y2021, &table);
        prop_assert_eq!(never_wrong(&split, &cells), cells.len());
    }

    #[test]
    fn table4_run_together_is_never_split_wrong(
        blocks in prop::array::uniform3(prop::array::uniform4(count())),
        spaced in any::<bool>(),
    ) {
        let mut cells = Vec::new();
        let mut printed = String::new();
        for (block, four) in APPEAL_BLOCKS.iter().zip(blocks) {
            let five = [four[0], four[1], four[2], four[3], four.iter().sum()];
            for (col, v) in APPEAL_COLUMNS.iter().zip(five) {
                cells.push((block.key.to_owned(), col.key, v));
                printed.push_str(&v.to_string());
                if spaced {
                    printed.push(' ');
                }
            }
        }
        let split = split_appeals(&printed, &Evidence::new());
        let decided = never_wrong(&split, &cells);
        if spaced {
            prop_assert_eq!(decided, cells.len());
        }
    }
}

#[test]
fn table4_with_two_splits_leaves_the_differing_cells_null() {
    // `1100011` is 1|10|0|0|11 and also 11|0|0|0|11: both add up.
    let split = split_appeals("11000110000000000", &Evidence::new());
    assert_eq!(split.count("reconsideration", "total"), Some(11));
    assert_eq!(split.count("reconsideration", "other"), Some(0));
    let upheld = split.cell("reconsideration", "upheld").expect("cell");
    assert_eq!(upheld.value, None);
    assert_eq!(
        upheld.how,
        How::Unread(Reason::Ambiguous {
            count: 2,
            values: vec!["1".into(), "11".into()],
        })
    );
    assert_eq!(split.count("litigation_direct", "total"), Some(0));
}

#[test]
fn table4_ambiguity_settled_by_a_narrative_figure() {
    let evidence = Evidence::from_narrative("全年收到行政复议申请11件，其中行政复议结果维持11件。");
    let split = split_appeals("11000110000000000", &evidence);
    assert_eq!(split.count("reconsideration", "upheld"), Some(11));
    assert_eq!(split.count("reconsideration", "corrected"), Some(0));
    assert!(matches!(
        split.cell("reconsideration", "upheld").map(|c| &c.how),
        Some(How::Evidence { .. })
    ));
}

#[test]
fn a_figure_no_split_allows_is_not_taken() {
    // 12 is no value any split gives the cell: the figure is ignored, the cell stays open.
    let evidence = Evidence::from_narrative("行政复议结果维持12件。");
    let split = split_appeals("11000110000000000", &evidence);
    assert_eq!(split.count("reconsideration", "upheld"), None);
}

#[test]
fn wrong_arithmetic_is_read_as_printed_only_where_the_digits_decide() {
    // Row 一 prints 总计 9 for 1+1: no cut adds up, but 7 digits for 7 cells decide it.
    let mut rows = vec!["0000000"; 25];
    rows[0] = "1100009";
    let split = split_applications(Template::Y2021, &rows, &Evidence::new());
    assert_eq!(split.count("new_received", "total"), Some(9));
    assert_eq!(
        split.cell("new_received", "total").map(|c| &c.how),
        Some(&How::Digits)
    );
    assert!(!split.notes.is_empty());
    // 10 digits that never add up, with many cuts, in a table no split balances: left open.
    rows[0] = "1234567891";
    let split = split_applications(Template::Y2021, &rows, &Evidence::new());
    let cell = split.cell("new_received", "natural_person").expect("cell");
    assert_eq!(cell.value, None);
    assert!(
        matches!(cell.how, How::Unread(Reason::Ambiguous { .. })),
        "{:?}",
        cell.how
    );
}

/// 表三 of 2022_pingtan_1 as printed, row by row (spec/domain.md §4.3 order).
const PINGTAN_2022: [&str; 25] = [
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

#[test]
fn a_misprinted_total_is_read_as_printed_when_the_other_identities_decide() {
    // （一）予以公开 with 总计 printed 22 for 21 + 0…: no cut adds up, but the applicant
    // columns' identities (Σ result rows = （七）) allow only 21|0|0|0|0|0|22.
    let mut rows = PINGTAN_2022;
    rows[2] = "210000022";
    let split = split_applications(Template::Y2021, &rows, &Evidence::new());
    assert_eq!(split.count("granted", "natural_person"), Some(21));
    assert_eq!(split.count("granted", "total"), Some(22));
    assert_eq!(
        split.cell("granted", "total").map(|c| &c.how),
        Some(&How::Identities)
    );
    assert!(
        split.notes.iter().any(|n| n.contains("总计")),
        "{:?}",
        split.notes
    );
    // The table as printed reads whole.
    let split = split_applications(Template::Y2021, &PINGTAN_2022, &Evidence::new());
    assert!(split.cells().all(|(_, c)| c.value.is_some()));
    assert!(split.notes.is_empty(), "{:?}", split.notes);
}

#[test]
fn pathological_runs_end_with_too_many_candidates() {
    let long = "1".repeat(400);
    let rows = vec![long.as_str(); 25];
    let split = split_applications(Template::Y2021, &rows, &Evidence::new());
    assert!(split.cells().all(|(_, c)| c.value.is_none()));
    let appeals = split_appeals(&"10".repeat(300), &Evidence::new());
    assert!(appeals.cells().all(|(_, c)| c.value.is_none()));
}

#[test]
fn non_digits_and_missing_rows_are_reported() {
    let rows = ["12a"];
    let split = split_applications(Template::Y2021, &rows, &Evidence::new());
    assert!(matches!(
        split.cell("new_received", "total").map(|c| &c.how),
        Some(How::Unread(Reason::NotDigits { .. }))
    ));
    assert_eq!(
        split.cell("carried_forward", "total").map(|c| &c.how),
        Some(&How::Unread(Reason::Missing))
    );
}

#[test]
fn a_space_inside_a_run_is_not_evidence() {
    // 表四 printed `1 150016114001500000`: 复议 is 11|5|0|0|16 (truth), but 1|15|0|0|16 adds up
    // too; the space after the first 1 must not pick the second.
    let split = split_appeals("1 150016114001500000", &Evidence::new());
    assert_eq!(split.count("reconsideration", "total"), Some(16));
    assert_eq!(split.count("reconsideration", "upheld"), None);
    assert_eq!(split.count("reconsideration", "corrected"), None);
    // With a space between every two cells, each printed number is a cell.
    let spaced = "11 5 0 0 16 1 1 4 0 6 0 0 0 0 0";
    let split = split_appeals(spaced, &Evidence::new());
    assert_eq!(split.count("reconsideration", "upheld"), Some(11));
    assert_eq!(split.count("litigation_direct", "other"), Some(4));
}
