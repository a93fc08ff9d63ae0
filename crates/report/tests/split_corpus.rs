//! The splitter on the run-together tables of the 平潭 reports in `shared/corpus`: the digit
//! runs are cut out of the corpus text here with plain string searching (not with the reader),
//! and every cell the splitter decides must equal the hand-labelled `NAME.json`.

use std::path::PathBuf;

use gongkai_core::format::{APPEAL_BLOCKS, APPLICANT_COLUMNS, Template, title};
use gongkai_report::split::{
    Evidence, How, Reason, SplitTable, SplitValue, split_appeals, split_applications,
    split_proactive,
};
use serde_json::Value;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

fn load(name: &str) -> (String, Value) {
    let text = std::fs::read_to_string(corpus(&format!("{name}.txt")))
        .unwrap_or_else(|e| panic!("{name}.txt: {e}"));
    let json = std::fs::read_to_string(corpus(&format!("{name}.json")))
        .unwrap_or_else(|e| panic!("{name}.json: {e}"));
    let json: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}.json: {e}"));
    (text, json)
}

/// The digits and spaces at the start of `s`.
fn leading_digits(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ' '))
        .unwrap_or(s.len());
    &s[..end]
}

/// The runs of 表三, found by searching each row's label in order after the previous one.
fn application_runs(text: &str, template: Template) -> Vec<String> {
    let specs = template.application_rows();
    let mut pos = text.find(title::APPLICATIONS).expect("表三 heading");
    let mut spans = Vec::new(); // (label start, label end)
    for spec in specs {
        let at = pos
            + text[pos..]
                .find(spec.label)
                .unwrap_or_else(|| panic!("{}", spec.label));
        pos = at + spec.label.len();
        spans.push((at, pos));
    }
    // A row's run ends where the next label begins (`1.属于国家秘密00000002.其他…`).
    (0..spans.len())
        .map(|i| {
            let end = spans.get(i + 1).map_or(text.len(), |s| s.0);
            leading_digits(&text[spans[i].1..end]).to_owned()
        })
        .collect()
}

/// The run of 表四: what follows the last `总计` before section 五.
fn appeal_run(text: &str) -> String {
    let end = text.find("五、存在").expect("五、");
    let header_end = text[..end].rfind("总计").expect("总计") + "总计".len();
    text[header_end..end].trim().to_owned()
}

/// The run printed after a 表二 row label (digits, spaces, a point and a unit).
fn proactive_run(text: &str, label: &str) -> String {
    let from = text.find(title::PROACTIVE).expect("表二");
    let mut at = from;
    // The label must be followed by digits (规范性文件 also appears inside 行政规范性文件).
    loop {
        let i = at + text[at..].find(label).unwrap_or_else(|| panic!("{label}"));
        let rest = &text[i + label.len()..];
        if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '.'))
                .unwrap_or(rest.len());
            let mut run = rest[..end].to_owned();
            for unit in ["万元", "元"] {
                if rest[end..].starts_with(unit) {
                    run.push_str(unit);
                }
            }
            return run;
        }
        at = i + label.len();
    }
}

fn expected(json: &Value, table: &str, row: &str, column: &str) -> Value {
    json[table][row][column].clone()
}

fn as_json(value: &SplitValue) -> Value {
    match value {
        SplitValue::Int(v) => Value::from(*v),
        SplitValue::Text(t) => Value::from(t.clone()),
    }
}

/// Every decided cell equals the label; returns how many cells were left undecided.
fn assert_never_wrong(split: &SplitTable, json: &Value, table: &str) -> usize {
    let mut open = 0;
    for (row, cell) in split.cells() {
        let want = expected(json, table, row, cell.column);
        match &cell.value {
            Some(v) => assert_eq!(
                as_json(v),
                want,
                "{table}.{row}.{}: decided {} ({})",
                cell.column,
                v,
                cell.how
            ),
            None => {
                assert!(matches!(cell.how, How::Unread(_)), "{row}.{}", cell.column);
                open += 1;
            }
        }
    }
    open
}

fn applications(name: &str, template: Template) -> (SplitTable, Value) {
    let (text, json) = load(name);
    let runs = application_runs(&text, template);
    let refs: Vec<&str> = runs.iter().map(String::as_str).collect();
    let split = split_applications(template, &refs, &Evidence::from_narrative(&text));
    (split, json)
}

#[test]
fn pingtan_2019_table3_reads_whole_by_the_identities() {
    let (split, json) = applications("2019_pingtan_1", Template::Y2019);
    assert_eq!(
        assert_never_wrong(&split, &json, "applications"),
        0,
        "{split:#?}"
    );
    // `230 000023` is 23,0,0,0,0,0,23.
    assert_eq!(split.count("new_received", "natural_person"), Some(23));
    assert_eq!(split.count("new_received", "total"), Some(23));
}

#[test]
fn pingtan_2021_table3_reads_whole_by_the_identities() {
    let (split, json) = applications("2021_pingtan_1", Template::Y2021);
    assert_eq!(
        assert_never_wrong(&split, &json, "applications"),
        0,
        "{split:#?}"
    );
    // `270020130` is 27/0/0/2/0/1/30; 2/7/0/0/20/1/30 also adds up in its own row, so only
    // the column identities decide it.
    let row: Vec<Option<u64>> = APPLICANT_COLUMNS
        .iter()
        .map(|c| split.count("granted", c.key))
        .collect();
    assert_eq!(row, [27, 0, 0, 2, 0, 1, 30].map(Some));
    assert_eq!(
        split.cell("granted", "natural_person").map(|c| &c.how),
        Some(&How::Identities)
    );
}

#[test]
fn pingtan_2022_table3_reads_whole_by_the_identities() {
    let (split, json) = applications("2022_pingtan_1", Template::Y2021);
    assert_eq!(
        assert_never_wrong(&split, &json, "applications"),
        0,
        "{split:#?}"
    );
    assert_eq!(split.count("new_received", "natural_person"), Some(71));
    assert_eq!(split.count("new_received", "commercial"), Some(3));
}

#[test]
fn pingtan_2021_table4_has_one_split_of_17_digits() {
    let (text, json) = load("2021_pingtan_1");
    let run = appeal_run(&text);
    assert_eq!(run, "10203120001200000");
    let split = split_appeals(&run, &Evidence::new());
    assert_eq!(
        assert_never_wrong(&split, &json, "appeals"),
        0,
        "{split:#?}"
    );
    assert_eq!(split.count("litigation_direct", "upheld"), Some(12));
    assert_eq!(split.rows.len(), APPEAL_BLOCKS.len());
}

#[test]
fn pingtan_2019_and_2022_table4_read() {
    for name in ["2019_pingtan_1", "2022_pingtan_1"] {
        let (text, json) = load(name);
        let split = split_appeals(&appeal_run(&text), &Evidence::from_narrative(&text));
        assert_eq!(
            assert_never_wrong(&split, &json, "appeals"),
            0,
            "{name}: {split:#?}"
        );
    }
}

fn proactive(name: &str, template: Template) -> (SplitTable, Value) {
    let (text, json) = load(name);
    let mut runs = Vec::new();
    for block in template.proactive_blocks() {
        for row in block.rows {
            runs.push((row.key, proactive_run(&text, row.label)));
        }
    }
    let refs: Vec<(&str, &str)> = runs.iter().map(|(k, r)| (*k, r.as_str())).collect();
    let split = split_proactive(template, &refs, &Evidence::from_narrative(&text));
    (split, json)
}

#[test]
fn pingtan_2022_table2_uses_the_narrative_figures() {
    let (split, json) = proactive("2022_pingtan_1", Template::Y2021);
    assert_eq!(
        assert_never_wrong(&split, &json, "proactive"),
        0,
        "{split:#?}"
    );
    // `8855698` is 88/55/698: the narrative says 现行有效行政规范性文件698件 and 制发…88件.
    assert_eq!(split.count("normative_documents", "repealed"), Some(55));
    assert!(matches!(
        split
            .cell("normative_documents", "in_force")
            .map(|c| &c.how),
        Some(How::Evidence { .. })
    ));
    assert_eq!(
        split.value("fees", "amount_wan_yuan"),
        Some(&SplitValue::Text("9116.36".into()))
    );
}

#[test]
fn pingtan_2021_table2_leaves_the_open_run_null_with_its_alternatives() {
    let (split, json) = proactive("2021_pingtan_1", Template::Y2021);
    assert_never_wrong(&split, &json, "proactive");
    // `693665` (69/3/665) has no identity and no figure in the narrative: never guessed.
    let cell = split.cell("normative_documents", "in_force").expect("cell");
    assert_eq!(cell.value, None);
    match &cell.how {
        How::Unread(Reason::Ambiguous { values, .. }) => {
            assert!(values.contains(&"665".to_owned()), "{values:?}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(split.count("licensing", "decisions"), Some(2293));
    assert_eq!(split.count("regulations", "in_force"), Some(0));
}

#[test]
fn pingtan_2019_table2_keeps_the_unit_and_never_guesses() {
    let (split, json) = proactive("2019_pingtan_1", Template::Y2019);
    assert_never_wrong(&split, &json, "proactive");
    assert_eq!(
        split.value("procurement", "amount_unit"),
        Some(&SplitValue::Text("元".into()))
    );
    // `13575394432.52` is 135 projects and 75394432.52 元, but 1|3575394432.52 and the rest
    // are as well-formed, and nothing in the report tells them apart.
    assert_eq!(split.value("procurement", "projects"), None);
}
