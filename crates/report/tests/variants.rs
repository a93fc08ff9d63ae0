//! Reports the corpus does not have: other organs, years, templates and layouts, under
//! `tests/data/variants/`. Each `NAME.txt` / `.html` / `.md` / `.docx` has beside it the
//! `NAME.json` of what it prints, written from the numbers put into the fixture (not from the
//! reader's output). The Word files hold real Word tables (merged header cells, split runs,
//! tracked changes); the HTML pages include a LibreOffice export.
//! Every fixture must read to its JSON exactly; a cell may be null instead only where the reader
//! says why (a note on that cell).

use std::path::{Path, PathBuf};

use gongkai_report::reader::{self, NoteKind, ReadError, ReadReport};
use serde_json::Value;

/// `shared/` beside the checkout (`../shared` from the workspace root).
fn shared() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for up in here.ancestors() {
        for candidate in [up.join("shared"), up.join("../shared")] {
            if candidate.join("corpus").is_dir() {
                return candidate;
            }
        }
    }
    panic!("shared/corpus not found above {}", here.display());
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/variants")
}

/// The fixture files (not the labels), sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap_or_else(|e| panic!("{}: {e}", dir().display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("txt" | "html" | "md" | "docx")
            )
        })
        .collect();
    out.sort();
    out
}

/// Every leaf where `got` differs from `want`, as `path: got ≠ want`.
fn diff(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff(&p, g.get(k).unwrap_or(&Value::Null), wv, out);
            }
            for k in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{path}.{k}: unexpected"));
            }
        }
        _ if got != want => out.push(format!("{path}: read {got} ≠ label {want}")),
        _ => {}
    }
}

/// Whether a difference is a cell read as null with a note on that very cell (the reader could
/// not determine it and says why): allowed; anything else is a wrong reading.
fn explained_null(read: &ReadReport, problem: &str) -> bool {
    let Some((path, _)) = problem.split_once(": read null ≠ label ") else {
        return false;
    };
    let parts: Vec<&str> = path.split('.').collect();
    // A whole table left null (表四's data row could not be placed) with a note on the table.
    if let [table] = parts[..] {
        return read
            .notes
            .iter()
            .any(|n| n.table.is_some_and(|t| t.key() == table) && n.row.is_none());
    }
    let [table, row, column] = parts[..] else {
        return false;
    };
    read.notes.iter().any(|n| {
        n.table.is_some_and(|t| t.key() == table)
            && n.row == Some(row)
            && (n.column.is_none() || n.column == Some(column))
    })
}

/// Reads one fixture and compares it with its label; returns the problems.
fn check(path: &Path) -> Result<Vec<String>, String> {
    let read = reader::read_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let label_path = path.with_extension("json");
    let text = std::fs::read_to_string(&label_path)
        .map_err(|e| format!("{}: {e}", label_path.display()))?;
    let want: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", label_path.display()))?;
    let mut problems = Vec::new();
    // The labels hold the tables; a label without `narrative` is compared without it.
    let mut report = read.report.clone();
    if want.get("narrative").is_none() {
        report.narrative = None;
    }
    diff("", &report.to_json(), &want, &mut problems);
    // Fixtures named `…_cut…` end inside a table; the others are whole documents.
    let cut = path
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.contains("_cut"));
    if read.truncated != cut {
        problems.push(format!(
            "truncated: read {} ≠ expected {cut}",
            read.truncated
        ));
    }
    let (open, wrong): (Vec<String>, Vec<String>) =
        problems.into_iter().partition(|p| explained_null(&read, p));
    if !open.is_empty() {
        eprintln!(
            "{}: {} cell(s) null with a note:\n{}",
            path.display(),
            open.len(),
            open.join("\n")
        );
    }
    if wrong.is_empty() {
        Ok(Vec::new())
    } else {
        Ok(vec![format!(
            "{}: {} difference(s):\n{}\n\nexplain:\n{}",
            path.display(),
            wrong.len(),
            wrong.join("\n"),
            read.explain()
        )])
    }
}

#[test]
fn every_variant_reads_to_its_label() {
    let files = fixtures();
    let mut failures = Vec::new();
    for f in &files {
        match check(f) {
            Ok(p) => failures.extend(p),
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures read wrong:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
    assert!(files.len() >= 12, "only {} fixtures", files.len());
}

// ---------------------------------------------------------------------------------------------
// Not a report at all (`gongkai report check` exits 2), and reports cut before their tables.

#[test]
fn a_readme_is_not_a_report() {
    let path = shared().join("corpus/README.md");
    match reader::read_path(&path) {
        Err(ReadError::NotAReport { reason }) => assert!(!reason.is_empty()),
        Err(e) => panic!("README.md: wrong error {e}"),
        Ok(r) => panic!("README.md read as a report:\n{}", r.explain()),
    }
    // This very file's Markdown, and other texts that merely mention reports.
    for text in [
        "# gongkai\n\nReads 政府信息公开工作年度报告 (annual reports) into JSON.\n\n## Usage\n\n`gongkai report check FILE`\n",
        "关于做好2023年政务公开工作的通知\n各单位：请于1月31日前报送年度工作总结。\n",
        "会议纪要\n一、会议内容\n二、参会人员：张三、李四\n",
    ] {
        assert!(
            matches!(reader::read_text(text), Err(ReadError::NotAReport { .. })),
            "{text}"
        );
    }
}

#[test]
fn reports_cut_before_their_tables_are_still_reports() {
    for name in [
        "2022_shangrao_1",
        "2021_zhangping_zfbgs_1",
        "2022_wuhan_huangpiqu_fanti_1",
        "2021_laifeng_zwfwdsjj_1",
        "2024_changzhou_zhonglou_nandajiejiedao_1",
    ] {
        let path = shared().join(format!("corpus/{name}.txt"));
        let read = reader::read_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(read.truncated, "{name}: not marked truncated");
        assert!(read.report.appeals.is_none(), "{name}");
    }
    // Only a title and the opening of 一、总体情况.
    let text = "某某县统计局2022年政府信息公开工作年度报告\n一、总体情况\n2022年，某某县统计局";
    let read = reader::read_text(text).unwrap_or_else(|e| panic!("{e}"));
    assert!(read.truncated);
    assert!(read.report.proactive.is_none());
    assert!(
        read.notes
            .iter()
            .any(|n| n.kind == NoteKind::Truncated || n.kind == NoteKind::TableMissing)
    );
}
