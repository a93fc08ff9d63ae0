//! Golden tests over the shared corpus: each labelled `NAME.txt` (and the seed) is read and
//! compared with its hand-labelled `NAME.json` in the sections the corpus README says are
//! labelled, cell by cell. No tool regenerates the labels.

use std::path::{Path, PathBuf};

use gongkai_report::reader::{self, ReadReport};
use serde_json::Value;

/// `shared/` beside the checkout (`../shared` from the workspace root).
fn shared() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for up in here.ancestors() {
        let candidate = up.join("shared");
        if candidate.join("corpus").is_dir() {
            return candidate;
        }
        let sibling = up.join("../shared");
        if sibling.join("corpus").is_dir() {
            return sibling;
        }
    }
    panic!("shared/corpus not found above {}", here.display());
}

/// The sections of each labelled file that its label covers (shared/corpus/README.md).
const LABELLED: &[(&str, &[&str])] = &[
    (
        "seed/2022_hulunbuir_jingkaiqu",
        &["proactive", "applications", "appeals"],
    ),
    (
        "corpus/2019_pingtan_1",
        &["proactive", "applications", "appeals"],
    ),
    (
        "corpus/2019_shanghai_bangongting_1",
        &["proactive", "applications", "appeals"],
    ),
    ("corpus/2020_weihai_wendeng_shenjiju_p9", &["appeals"]),
    (
        "corpus/2021_pingtan_1",
        &["proactive", "applications", "appeals"],
    ),
    (
        "corpus/2022_pingtan_1",
        &["proactive", "applications", "appeals"],
    ),
    (
        "corpus/2023_hongzequ_1",
        &["proactive", "applications", "appeals"],
    ),
    ("corpus/2022_wuhan_hanyangqu_zfbgs_1", &["proactive"]),
    ("corpus/2024_shenzhen_longgang_qzfgzbm_1", &["proactive"]),
];

fn read(name: &str) -> ReadReport {
    read_as(name, "txt")
}

/// Reads `name.ext` through the reader's file entry point (PDF goes through `pdftotext`).
fn read_as(name: &str, ext: &str) -> ReadReport {
    let path = shared().join(format!("{name}.{ext}"));
    reader::read_path(&path).unwrap_or_else(|e| panic!("{name}.{ext}: {e}"))
}

fn label(name: &str) -> Value {
    let path = shared().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every leaf where `got` differs from `want`, as `path: got ≠ want`.
fn diff(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                diff(
                    &format!("{path}.{k}"),
                    g.get(k).unwrap_or(&Value::Null),
                    wv,
                    out,
                );
            }
            for k in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{path}.{k}: unexpected"));
            }
        }
        _ if got != want => out.push(format!("{path}: read {got} ≠ label {want}")),
        _ => {}
    }
}

/// Compares one labelled file: agency, year, template and the labelled sections.
fn check(name: &str) {
    check_as(name, "txt");
}

fn check_as(name: &str, ext: &str) {
    let sections = LABELLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .unwrap_or_else(|| panic!("{name} is not listed as labelled"));
    let read = read_as(name, ext);
    let got = read.report.to_json();
    let want = label(name);
    let mut problems = Vec::new();
    for key in ["agency", "year", "template"].iter().chain(sections) {
        diff(
            key,
            got.get(*key).unwrap_or(&Value::Null),
            want.get(*key).unwrap_or(&Value::Null),
            &mut problems,
        );
    }
    // A cell may differ only by being null with a note that says why: the digits were printed
    // run together and several splits fit every identity, the labelled value among them (the
    // reader never guesses). Anything else is a wrong reading.
    let (open, wrong): (Vec<String>, Vec<String>) =
        problems.into_iter().partition(|p| open_split(&read, p));
    if !open.is_empty() {
        eprintln!(
            "{name}.{ext}: {} cell(s) left null as undecidable splits:\n{}",
            open.len(),
            open.join("\n")
        );
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} difference(s):\n{}\n\nexplain:\n{}",
        wrong.len(),
        wrong.join("\n"),
        read.explain()
    );
}

/// Whether a difference `table.row.column: read null ≠ label V` is a run the reader reported
/// as undecidable (naming V among the possible values where it lists them all).
fn open_split(read: &ReadReport, problem: &str) -> bool {
    let Some((path, rest)) = problem.split_once(": read null ≠ label ") else {
        return false;
    };
    let value = rest.trim_matches('"');
    let mut parts = path.split('.');
    let (Some(table), Some(row), Some(column)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    read.notes.iter().any(|n| {
        n.kind == reader::NoteKind::Split
            && n.table.is_some_and(|t| t.key() == table)
            && n.row == Some(row)
            && n.column == Some(column)
            // The splitter lists at most a few alternatives; where it lists fewer, the labelled
            // value must be one of them.
            && n.message.split_once("可能是").is_none_or(|(_, alternatives)| {
                let list: Vec<&str> = alternatives
                    .split(['，', ','])
                    .next()
                    .unwrap_or("")
                    .split('、')
                    .map(str::trim)
                    .collect();
                list.len() >= 6 || list.contains(&value)
            })
    })
}

#[test]
fn seed_hulunbuir_2022() {
    check("seed/2022_hulunbuir_jingkaiqu");
}

#[test]
fn seed_reads_to_its_label_exactly() {
    // Issue 2: `gongkai report parse` of the seed prints a document equal to its JSON. The label
    // has the tables only (it predates the narrative): the narrative is compared below.
    let mut report = read("seed/2022_hulunbuir_jingkaiqu").report;
    report.narrative = None;
    assert_eq!(report.to_json(), label("seed/2022_hulunbuir_jingkaiqu"));
}

#[test]
fn the_seeds_narrative_is_read_part_by_part() {
    // Issue 13: parts 一, 五, 六, the opening, and the closing 落款 and date the seed prints.
    let read = read("seed/2022_hulunbuir_jingkaiqu");
    let n = read.report.narrative.expect("the seed prints a narrative");
    let part = |text: &Option<String>| text.clone().unwrap_or_default();
    assert!(part(&n.opening).starts_with("根据《中华人民共和国政府信息公开条例》"));
    assert!(part(&n.opening).ends_with("电话:0470—2773823)。"));
    let overview = part(&n.overview);
    let heads: Vec<&str> = overview.lines().filter(|l| l.starts_with('(')).collect();
    assert_eq!(
        heads,
        [
            "(一)主动公开情况",
            "(二)依申请公开情况",
            "(三)政府信息管理",
            "(四)平台建设",
            "(五)监督保障"
        ]
    );
    assert!(overview.contains("主动公开政府信息388条,其中主动公开公文40篇。"));
    assert!(!overview.contains("一、总体情况"));
    assert!(part(&n.problems).starts_with("2022年,经开区政府信息公开工作稳步推进"));
    assert_eq!(part(&n.problems).lines().count(), 2);
    let other = part(&n.other_matters);
    assert!(other.starts_with("(一)2022年扎实落实政务公开工作要点完成情况\n"));
    assert!(other.ends_with("(二)收取信息处理费情况\n2022年度,经开区未产生信息处理费。"));
    assert_eq!(n.signature.as_deref(), Some("呼伦贝尔经济技术开发区管委会"));
    assert_eq!(n.date.as_deref(), Some("2023-01-11"));
}

#[test]
fn pingtan_2019_cells_run_together() {
    check("corpus/2019_pingtan_1");
}

#[test]
fn shanghai_2019_pipes_with_blank_cells() {
    check("corpus/2019_shanghai_bangongting_1");
}

#[test]
fn weihai_2020_flip_book_page() {
    check("corpus/2020_weihai_wendeng_shenjiju_p9");
}

#[test]
fn pingtan_2021_cells_run_together() {
    check("corpus/2021_pingtan_1");
}

#[test]
fn pingtan_2022_cells_run_together() {
    check("corpus/2022_pingtan_1");
}

#[test]
fn hongzequ_2023_layout_text() {
    check("corpus/2023_hongzequ_1");
}

#[test]
fn hanyang_2022_cell_per_line_pipes() {
    check("corpus/2022_wuhan_hanyangqu_zfbgs_1");
}

#[test]
fn longgang_2024_cut_inside_table3() {
    check("corpus/2024_shenzhen_longgang_qzfgzbm_1");
}

#[test]
fn hongzequ_2023_pdf() {
    // The PDF itself, through `pdftotext -layout` (poppler-utils).
    check_as("corpus/2023_hongzequ_1", "pdf");
}

#[test]
fn hongzequ_2023_pdf_narrative_has_its_wrapped_lines_joined() {
    // pdftotext breaks every paragraph at the page's width; the narrative joins them again (no
    // space between Chinese characters) and keeps the paragraphs the report prints.
    let n = read_as("corpus/2023_hongzequ_1", "pdf")
        .report
        .narrative
        .expect("a narrative");
    let opening = n.opening.unwrap_or_default();
    assert!(
        opening.starts_with(
            "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》"
        ),
        "the title page is not the opening, the wrapped line is joined: {opening}"
    );
    assert_eq!(
        n.other_matters.as_deref(),
        Some(
            "2023 年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。"
        )
    );
    let overview = n.overview.unwrap_or_default();
    assert!(overview.contains("\n（二）依申请公开情况。"), "{overview}");
    assert!(
        overview.contains("受理政府信息公开申请 21 件"),
        "{overview}"
    );
    // The text export of the same report reads to the same narrative.
    let from_text = read("corpus/2023_hongzequ_1").report.narrative;
    assert_eq!(from_text.and_then(|t| t.other_matters), n.other_matters);
}

// ---------------------------------------------------------------------------------------------
// Reading never panics, whatever it is given.

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Every corpus and seed text, for mutation.
    fn texts() -> Vec<String> {
        let mut out = Vec::new();
        for dir in ["corpus", "seed"] {
            let Ok(entries) = std::fs::read_dir(shared().join(dir)) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().and_then(|x| x.to_str()) == Some("txt")
                    && let Ok(t) = std::fs::read_to_string(&p)
                {
                    out.push(t);
                }
            }
        }
        out.sort();
        out
    }

    /// Characters that matter to the reader, to splice into texts.
    const SPICE: &[&str] = &[
        "|",
        "||",
        " | ",
        "\n",
        "<td>",
        "</tr>",
        "<table>",
        "&nbsp;",
        "&#x4e00;",
        "（",
        "）",
        "、",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "1.",
        "00000002.",
        "元",
        "万元",
        "-",
        "—",
        "/",
        "99999999999999999999999",
        "-3-",
        "第二十条第（一）项",
        "（六）其他处理",
        "2018年",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_text(text in "\\PC{0,400}") {
            let _ = reader::read_text(&text);
        }

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = reader::read_bytes(&bytes, None);
            let _ = reader::read_bytes(&bytes, Some("x.txt"));
        }

        #[test]
        fn mutated_corpus(
            which in 0usize..64,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..4, 0usize..64), 1..12),
        ) {
            let texts = texts();
            prop_assume!(!texts.is_empty());
            let mut chars: Vec<char> = texts[which % texts.len()].chars().collect();
            for (at, op, n) in edits {
                let i = if chars.is_empty() { 0 } else { at.index(chars.len()) };
                match op {
                    0 => {
                        let end = (i + n).min(chars.len());
                        chars.drain(i..end);
                    }
                    1 => chars.truncate(i),
                    2 => {
                        let spice = SPICE[n % SPICE.len()];
                        for (k, c) in spice.chars().enumerate() {
                            chars.insert(i + k, c);
                        }
                    }
                    _ => {
                        if i < chars.len() {
                            chars[i] = char::from_u32(0x30 + (n as u32 % 10)).unwrap_or('0');
                        }
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            if let Ok(read) = reader::read_text(&text) {
                // Whatever was read stays inside the model's rules.
                let json = read.report.to_json();
                prop_assert!(gongkai_report::model::AnnualReport::from_json(&json).is_ok());
                let _ = read.explain();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots: what the reader says about each corpus file (`explain()`), under tests/data/.
// Regenerate with GONGKAI_UPDATE_SNAPSHOTS=1 and review the diff. Files whose tables were
// printed run together are left out: their reading belongs to `split`, which has its own tests.

#[test]
fn explain_snapshots() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let update = std::env::var_os("GONGKAI_UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for dir in ["corpus", "seed"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(shared().join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("txt"))
            .collect();
        paths.sort();
        for path in paths {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let got = match reader::read_text(&text) {
                Ok(r)
                    if r.notes.iter().any(|n| n.kind == reader::NoteKind::Split)
                        || r.provenance
                            .iter()
                            .any(|p| matches!(p.how, reader::How::Split(_))) =>
                {
                    continue;
                }
                Ok(r) => r.explain(),
                Err(e) => format!("错误: {e}\n"),
            };
            let snap = data.join(format!("{stem}.explain.txt"));
            if update {
                std::fs::create_dir_all(&data)
                    .unwrap_or_else(|e| panic!("{}: {e}", data.display()));
                std::fs::write(&snap, &got).unwrap_or_else(|e| panic!("{}: {e}", snap.display()));
                continue;
            }
            let want = std::fs::read_to_string(&snap).unwrap_or_default();
            if want != got {
                stale.push(format!("{}\n--- got:\n{got}", snap.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (GONGKAI_UPDATE_SNAPSHOTS=1 rewrites them; review the diff):\n{}",
        stale.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Null cells that are not blank prints: CELL-BLANK must not call them blank.

fn unread_of(name: &str) -> Vec<(String, gongkai_report::check::Unread)> {
    read(name)
        .unread
        .iter()
        .map(|u| (format!("{}.{}", u.cell.row, u.cell.column), u.why))
        .collect()
}

#[test]
fn undecidable_run_together_cells_are_unread_not_blank() {
    use gongkai_report::check::Unread;
    // 表二 of 2021_pingtan prints 693665 for three cells that ten splits fit.
    let unread = unread_of("corpus/2021_pingtan_1");
    assert_eq!(
        unread,
        ["issued", "repealed", "in_force"]
            .map(|c| (format!("normative_documents.{c}"), Unread::Ambiguous))
    );
    let pingtan = read("corpus/2021_pingtan_1");
    let findings = gongkai_report::check::check(&pingtan.report, &pingtan.check_context(None));
    let blank: Vec<_> = findings
        .iter()
        .filter(|f| f.check == "CELL-BLANK")
        .collect();
    assert_eq!(blank.len(), 1, "{findings:?}");
    assert_eq!(blank[0].printed.as_deref(), Some("连写的数字"));
    assert!(!blank[0].message.contains("空白"), "{}", blank[0].message);
}

#[test]
fn cells_after_the_cut_are_left_to_truncated() {
    // 2021_laifeng is cut at 第二十条第（五）项: the rows after it are not blanks.
    let laifeng = read("corpus/2021_laifeng_zwfwdsjj_1");
    assert!(!laifeng.unread.is_empty());
    let findings = gongkai_report::check::check(&laifeng.report, &laifeng.check_context(None));
    let ids: Vec<&str> = findings.iter().map(|f| f.check).collect();
    assert_eq!(ids, ["TRUNCATED"], "{findings:?}");
    // 2022_wuhan_hanyangqu is cut inside 表三 and also prints one empty cell in 表二: only that
    // one is a blank.
    let hanyang = read("corpus/2022_wuhan_hanyangqu_zfbgs_1");
    let findings = gongkai_report::check::check(&hanyang.report, &hanyang.check_context(None));
    let blank: Vec<_> = findings
        .iter()
        .filter(|f| f.check == "CELL-BLANK")
        .collect();
    assert_eq!(blank.len(), 1, "{findings:?}");
    assert_eq!(blank[0].printed.as_deref(), Some("空白"));
    assert_eq!(blank[0].cells.len(), 1);
    assert_eq!(blank[0].cells[0].row, "regulations");
}

#[test]
fn sub_rows_of_a_one_row_group_six_are_not_printed() {
    use gongkai_report::check::Unread;
    // 2023_hongzequ prints （六）其他处理 as one row (2021 template, corpus convention: 3.其他).
    let unread = unread_of("corpus/2023_hongzequ_1");
    assert_eq!(unread.len(), 14);
    assert!(unread.iter().all(|(cell, why)| *why == Unread::NotPrinted
        && (cell.starts_with("other_no_correction.") || cell.starts_with("other_fee_unpaid."))));
}
