//! Round trip: any valid report, rendered by each renderer the reader accepts (HTML, Markdown,
//! the seed's pipe text), reads back equal. One expectation, every layout.

use gongkai_core::format::{ProactiveKind, Template};
use gongkai_report::model::{AnnualReport, Appeals, Applications, Proactive, ProactiveValue};
use gongkai_report::{reader, render};
use proptest::prelude::*;

/// Organ names of the shapes reports print.
const AGENCIES: &[&str] = &[
    "呼伦贝尔经济技术开发区",
    "上海市人民政府办公厅",
    "平潭综合实验区",
    "洪泽区人民政府",
    "和平街道",
    "漳平市人民政府办公室",
    "南京市玄武区发展和改革委员会",
    "某某县自然资源局",
];

fn count() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(0)),
        3 => (0u64..100_000).prop_map(Some),
    ]
}

fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..10_000_000).prop_map(|n| n.to_string()),
        (0u64..100_000, 1u32..1_000_000).prop_map(|(i, f)| format!("{i}.{f}")),
    ]
}

fn proactive(template: Template) -> impl Strategy<Value = Proactive> {
    let mut cells = Vec::new();
    for block in template.proactive_blocks() {
        for row in block.rows {
            for col in block.columns {
                cells.push((row.key, col.key, col.kind));
            }
        }
    }
    let n = cells.len();
    (proptest::collection::vec(
        (
            count(),
            -500i64..500,
            amount(),
            any::<bool>(),
            any::<bool>(),
        ),
        n,
    ),)
        .prop_map(move |(values,)| {
            let mut p = Proactive::new(template);
            // An amount's unit is printed beside it, so it exists only with the amount.
            let mut amount_present = std::collections::HashMap::new();
            for ((row, col, kind), (c, change, amt, present, wan)) in cells.iter().zip(values) {
                let v = match kind {
                    ProactiveKind::Count => c.map(|v| ProactiveValue::Int(v as i64)),
                    ProactiveKind::Change => present.then_some(ProactiveValue::Int(change)),
                    ProactiveKind::Amount => {
                        amount_present.insert(*row, present);
                        present.then_some(ProactiveValue::Text(amt))
                    }
                    ProactiveKind::Unit => (amount_present.get(row) == Some(&true) && present)
                        .then(|| ProactiveValue::Text(if wan { "万元" } else { "元" }.into())),
                };
                p.set(row, col, v).expect("valid cell");
            }
            p
        })
}

fn applications(template: Template) -> impl Strategy<Value = Applications> {
    let n = template.application_rows().len();
    proptest::collection::vec(proptest::array::uniform7(count()), n).prop_map(move |rows| {
        let mut a = Applications::new(template);
        for (spec, values) in template.application_rows().iter().zip(rows) {
            if let Some(slot) = a.row_mut(spec.row) {
                *slot = values;
            }
        }
        a
    })
}

fn appeals() -> impl Strategy<Value = Appeals> {
    proptest::array::uniform3(proptest::array::uniform5(count()))
        .prop_map(|blocks| Appeals { blocks })
}

fn report() -> impl Strategy<Value = AnnualReport> {
    prop_oneof![Just(Template::Y2019), Just(Template::Y2021)].prop_flat_map(|template| {
        // A 2019-template report names its year (2019 or 2020); without tables that tell the
        // templates apart, the year is what decides.
        let year = match template {
            Template::Y2019 => prop_oneof![Just(Some(2019)), Just(Some(2020))].boxed(),
            Template::Y2021 => prop_oneof![Just(None), (2021i32..2027).prop_map(Some)].boxed(),
        };
        (
            proptest::option::of(proptest::sample::select(AGENCIES)),
            year,
            proptest::option::weighted(0.8, proactive(template)),
            proptest::option::weighted(0.8, applications(template)),
            proptest::option::weighted(0.8, appeals()),
        )
            .prop_map(move |(agency, year, proactive, applications, appeals)| {
                AnnualReport {
                    agency: agency.map(str::to_owned),
                    year,
                    template,
                    proactive,
                    applications,
                    appeals,
                    narrative: None,
                }
            })
    })
}

/// Every leaf where `got` differs from `want`.
fn diff(path: &str, got: &serde_json::Value, want: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
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
        }
        _ if got != want => out.push(format!("{path}: read {got}, rendered {want}")),
        _ => {}
    }
}

fn read_back(layout: &str, rendered: &str) -> AnnualReport {
    match reader::read_text(rendered) {
        Ok(r) => r.report,
        Err(e) => panic!("{layout}: {e}\n{rendered}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_layout_reads_back_equal(report in report()) {
        for (layout, rendered) in [
            ("text", render::text(&report)),
            ("markdown", render::markdown(&report)),
            ("html", render::html(&report)),
        ] {
            let back = read_back(layout, &rendered);
            let mut problems = Vec::new();
            diff("", &back.to_json(), &report.to_json(), &mut problems);
            prop_assert!(problems.is_empty(), "{} layout: {}\n{}", layout, problems.join("\n"), rendered);
            prop_assert_eq!(&back, &report);
        }
    }
}

#[test]
fn blank_tables_read_back_blank() {
    // A report whose tables print nothing: every cell null, every table present.
    for template in Template::ALL {
        let mut report = AnnualReport::new(template);
        report.year = Some(if template == Template::Y2019 {
            2020
        } else {
            2023
        });
        report.agency = Some("洪泽区人民政府".into());
        report.proactive = Some(Proactive::new(template));
        report.applications = Some(Applications::new(template));
        report.appeals = Some(Appeals::default());
        for (layout, rendered) in [
            ("text", render::text(&report)),
            ("markdown", render::markdown(&report)),
            ("html", render::html(&report)),
        ] {
            assert_eq!(
                read_back(layout, &rendered),
                report,
                "{layout}:\n{rendered}"
            );
        }
    }
}

/// The seed's pipe text with each cell on a line of its own ending in ` |` (as 2022_wuhan_hanyangqu
/// prints it): blank cells stay visible as ` |`.
fn cell_per_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if !line.contains('|') {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        out.push_str("|\n");
        let body = line.strip_suffix(" |").unwrap_or(line);
        for cell in body.split(" | ") {
            out.push_str(cell);
            out.push_str(" |\n");
        }
    }
    out
}

/// The seed's pipe text with every separator removed, as crawlers print tables: labels and
/// digits run together (`一、本年新收政府信息公开申请数量1000001`).
fn run_together(text: &str) -> String {
    text.lines()
        .map(|line| line.replace(" | ", "").replace(" |", ""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A report whose every cell prints one digit: the only way to split a run is then one digit
/// per cell, so a run-together rendering must read back exactly.
fn one_digit_report() -> impl Strategy<Value = AnnualReport> {
    prop_oneof![Just(Template::Y2019), Just(Template::Y2021)].prop_flat_map(|template| {
        let p_cells: Vec<_> = template
            .proactive_blocks()
            .iter()
            .flat_map(|b| {
                b.rows
                    .iter()
                    .flat_map(move |r| b.columns.iter().map(move |c| (r.key, c.key, c.kind)))
            })
            .collect();
        let n_p = p_cells.len();
        let n_a = template.application_rows().len() * 7;
        (
            proptest::collection::vec(0u8..10, n_p),
            proptest::collection::vec(0u8..10, n_a),
            proptest::collection::vec(0u8..10, 15),
        )
            .prop_map(move |(p, a, f)| {
                let mut report = AnnualReport::new(template);
                report.year = Some(if template == Template::Y2019 {
                    2019
                } else {
                    2022
                });
                report.agency = Some("平潭综合实验区".into());
                let mut proactive = Proactive::new(template);
                for ((row, col, kind), d) in p_cells.iter().zip(p) {
                    let v = match kind {
                        ProactiveKind::Count | ProactiveKind::Change => {
                            Some(ProactiveValue::Int(i64::from(d)))
                        }
                        ProactiveKind::Amount => Some(ProactiveValue::Text(d.to_string())),
                        ProactiveKind::Unit => Some(ProactiveValue::Text("元".into())),
                    };
                    proactive.set(row, col, v).expect("valid cell");
                }
                report.proactive = Some(proactive);
                let mut apps = Applications::new(template);
                for (spec, chunk) in template.application_rows().iter().zip(a.chunks(7)) {
                    if let Some(slot) = apps.row_mut(spec.row) {
                        for (s, d) in slot.iter_mut().zip(chunk) {
                            *s = Some(u64::from(*d));
                        }
                    }
                }
                report.applications = Some(apps);
                let mut appeals = Appeals::default();
                for (cell, d) in appeals.blocks.iter_mut().flatten().zip(f) {
                    *cell = Some(u64::from(d));
                }
                report.appeals = Some(appeals);
                report
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn one_cell_per_line_reads_back_equal(report in report()) {
        let rendered = cell_per_line(&render::text(&report));
        let back = read_back("cell per line", &rendered);
        let mut problems = Vec::new();
        diff("", &back.to_json(), &report.to_json(), &mut problems);
        prop_assert!(problems.is_empty(), "{}\n{}", problems.join("\n"), rendered);
    }

    #[test]
    fn digits_run_together_read_back_equal(report in one_digit_report()) {
        let rendered = run_together(&render::text(&report));
        let back = read_back("run together", &rendered);
        let mut problems = Vec::new();
        diff("", &back.to_json(), &report.to_json(), &mut problems);
        prop_assert!(problems.is_empty(), "{}\n{}", problems.join("\n"), rendered);
    }
}

/// Column-aligned text as `pdftotext -layout` prints it: cells separated by runs of spaces, long
/// labels wrapped onto the next line (the numbers printed after the label's last line). Blank
/// cells print nothing there, so this layout is tested with reports that print every cell.
fn layout(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if !line.contains('|') {
            out.push_str("        ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let body = line.strip_suffix(" |").unwrap_or(line);
        let mut cells: Vec<String> = body.split(" | ").map(str::to_owned).collect();
        if let Some(first) = cells.first_mut()
            && first.chars().count() > 14
        {
            let head: String = first.chars().take(10).collect();
            let tail: String = first.chars().skip(10).collect();
            out.push_str(&head);
            out.push('\n');
            *first = tail;
        }
        out.push_str(&cells.join("     "));
        out.push('\n');
    }
    out
}

/// The report with every blank cell printed as 0 (and an amount's unit where it has one).
fn filled(mut report: AnnualReport) -> AnnualReport {
    if let Some(p) = report.proactive.as_mut() {
        let template = p.template();
        for block in template.proactive_blocks() {
            for row in block.rows {
                for col in block.columns {
                    if p.get(row.key, col.key).is_none() {
                        let v = match col.kind {
                            ProactiveKind::Count | ProactiveKind::Change => ProactiveValue::Int(0),
                            ProactiveKind::Amount => ProactiveValue::Text("0".into()),
                            ProactiveKind::Unit => ProactiveValue::Text("元".into()),
                        };
                        p.set(row.key, col.key, Some(v)).expect("valid cell");
                    }
                }
            }
        }
    }
    if let Some(a) = report.applications.as_mut() {
        let template = a.template();
        for spec in template.application_rows() {
            if let Some(row) = a.row_mut(spec.row) {
                for cell in row.iter_mut() {
                    cell.get_or_insert(0);
                }
            }
        }
    }
    if let Some(f) = report.appeals.as_mut() {
        for cell in f.blocks.iter_mut().flatten() {
            cell.get_or_insert(0);
        }
    }
    report
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn column_aligned_layout_reads_back_equal(report in report().prop_map(filled)) {
        let rendered = layout(&render::text(&report));
        let back = read_back("layout", &rendered);
        let mut problems = Vec::new();
        diff("", &back.to_json(), &report.to_json(), &mut problems);
        prop_assert!(problems.is_empty(), "{}\n{}", problems.join("\n"), rendered);
    }
}

/// What a binary export must give back: the tables, organ, year and template; the narrative
/// too once the reader fills it in (it reads none where the report has none).
fn exported_back(
    layout: &str,
    bytes: &[u8],
    name: &str,
    report: &AnnualReport,
) -> Result<(), TestCaseError> {
    let back = match reader::read_bytes(bytes, Some(name)) {
        Ok(r) => r.report,
        Err(e) => return Err(TestCaseError::fail(format!("{layout}: {e}"))),
    };
    let mut problems = Vec::new();
    diff("", &back.to_json(), &report.to_json(), &mut problems);
    prop_assert!(
        problems.is_empty(),
        "{} export: {}",
        layout,
        problems.join("\n")
    );
    if back.narrative.is_some() {
        prop_assert_eq!(&back.narrative, &report.narrative, "{} export", layout);
    }
    let mut tables = back;
    tables.narrative = report.narrative.clone();
    prop_assert_eq!(&tables, report, "{} export", layout);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn docx_and_xlsx_exports_read_back_equal(report in report()) {
        let docx = render::docx::docx(&report).expect("DOCX");
        exported_back("docx", &docx, "report.docx", &report)?;
        let xlsx = render::xlsx::xlsx(&report).expect("XLSX");
        exported_back("xlsx", &xlsx, "report.xlsx", &report)?;
    }
}
