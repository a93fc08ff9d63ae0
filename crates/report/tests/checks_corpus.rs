//! The checks of spec/checks.md over the labelled corpus (shared/corpus, shared/seed): per file,
//! which check ids fire, with the whole `.txt` as the narrative (N-* checks). The expectations
//! follow corpus/README.md, which says what is wrong in each report.

use std::path::{Path, PathBuf};

use gongkai_report::check::{CellRef, CheckContext, Finding, Section, Severity, check};
use gongkai_report::model::AnnualReport;
use serde_json::Value;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn load(name: &str) -> (AnnualReport, String) {
    let base = shared().join(name);
    let json_path = base.with_extension("json");
    let text = std::fs::read_to_string(&json_path)
        .unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = AnnualReport::from_json(&value).unwrap_or_else(|e| panic!("{name}: {e}"));
    let narrative = std::fs::read_to_string(base.with_extension("txt"))
        .unwrap_or_else(|e| panic!("{name}.txt: {e}"));
    (report, narrative)
}

/// The check ids that fire, in catalogue order, each once.
fn fired(findings: &[Finding]) -> Vec<&'static str> {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.check).collect();
    ids.dedup();
    ids
}

fn findings_of(name: &str, truncated: bool, previous: Option<&AnnualReport>) -> Vec<Finding> {
    let (report, narrative) = load(name);
    let cx = CheckContext {
        previous,
        narrative: Some(&narrative),
        truncated,
        unread: &[],
    };
    check(&report, &cx)
}

/// (file, truncated as corpus/README.md says, the check ids that fire).
const CASES: [(&str, bool, &[&str]); 9] = [
    ("seed/2022_hulunbuir_jingkaiqu", false, &[]),
    ("corpus/2019_pingtan_1", false, &[]),
    // Blank 总计 cells in every result row. The narrative's headline figures agree (859 received,
    // 805 answered, 72 carried forward) but its breakdown does not: 予以公开及部分公开 258 and
    // 无法提供 265 where the table's rows add up to 275 and 337.
    (
        "corpus/2019_shanghai_bangongting_1",
        false,
        &["CELL-BLANK", "N-APPLICATIONS"],
    ),
    // One page of a flip-book: 表四 only.
    (
        "corpus/2020_weihai_wendeng_shenjiju_p9",
        false,
        &["TABLE-MISSING"],
    ),
    ("corpus/2021_pingtan_1", false, &[]),
    // The narrative's 75 received includes the one carried over (74 + 1).
    ("corpus/2022_pingtan_1", false, &[]),
    // 表四 复议 10/1/0/0 with 总计 0, 复议后起诉 5/0/0/0 with 总计 0; （六） printed as one row.
    ("corpus/2023_hongzequ_1", false, &["T4-SUM", "CELL-BLANK"]),
    // Cut inside 表三: only 表二 labelled.
    (
        "corpus/2022_wuhan_hanyangqu_zfbgs_1",
        true,
        &["CELL-BLANK", "TRUNCATED"],
    ),
    (
        "corpus/2024_shenzhen_longgang_qzfgzbm_1",
        true,
        &["TRUNCATED"],
    ),
];

#[test]
fn labelled_corpus_fires_the_expected_checks() {
    let mut failures = Vec::new();
    for (name, truncated, expected) in CASES {
        let findings = findings_of(name, truncated, None);
        let got = fired(&findings);
        if got != expected {
            let detail: Vec<String> = findings
                .iter()
                .map(|f| format!("  {} {}: {}", f.check, f.place, f.message))
                .collect();
            failures.push(format!(
                "{name}: expected {expected:?}, got {got:?}\n{}",
                detail.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_seed_gives_no_error() {
    let findings = findings_of("seed/2022_hulunbuir_jingkaiqu", false, None);
    assert!(
        findings.iter().all(|f| f.severity != Severity::Error),
        "{findings:?}"
    );
}

#[test]
fn shanghai_2019_blank_totals_are_named() {
    let findings = findings_of("corpus/2019_shanghai_bangongting_1", false, None);
    let blank = findings
        .iter()
        .find(|f| f.check == "CELL-BLANK" && f.place == "表三")
        .expect("a CELL-BLANK finding for 表三");
    for row in ["granted", "partially_granted", "rejected_petition", "other"] {
        let cell = CellRef {
            section: Section::Applications,
            row,
            column: "total",
        };
        assert!(blank.names(&cell), "{row} 总计 not named: {blank:?}");
    }
    let new_total = CellRef {
        section: Section::Applications,
        row: "new_received",
        column: "total",
    };
    assert!(!blank.names(&new_total));
}

#[test]
fn hongze_2023_reconsideration_total_is_inconsistent() {
    let findings = findings_of("corpus/2023_hongzequ_1", false, None);
    let t4: Vec<&Finding> = findings.iter().filter(|f| f.check == "T4-SUM").collect();
    assert_eq!(t4.len(), 2, "{t4:?}");
    assert_eq!(t4[0].place, "表四 行政复议");
    assert_eq!(t4[0].expected.as_deref(), Some("11"));
    assert_eq!(t4[0].printed.as_deref(), Some("0"));
    assert_eq!(t4[0].severity, Severity::Error);
}

#[test]
fn pingtan_2021_to_2022_carries_over() {
    let (previous, _) = load("corpus/2021_pingtan_1");
    let findings = findings_of("corpus/2022_pingtan_1", false, Some(&previous));
    assert!(
        findings.iter().all(|f| f.check != "X-CARRY"),
        "{findings:?}"
    );
    // 2019 → 2022 is not consecutive: nothing compared even though the tables differ.
    let (old, _) = load("corpus/2019_pingtan_1");
    let findings = findings_of("corpus/2022_pingtan_1", false, Some(&old));
    assert!(
        findings.iter().all(|f| !f.check.starts_with("X-")),
        "{findings:?}"
    );
}

#[test]
fn shanghai_2019_narrative_breakdown_disagrees_with_the_table() {
    let findings = findings_of("corpus/2019_shanghai_bangongting_1", false, None);
    let mut figures: Vec<(Option<&str>, Option<&str>)> = findings
        .iter()
        .filter(|f| f.check == "N-APPLICATIONS")
        .map(|f| (f.printed.as_deref(), f.expected.as_deref()))
        .collect();
    figures.sort();
    assert_eq!(
        figures,
        [(Some("258"), Some("275")), (Some("265"), Some("337"))]
    );
}
