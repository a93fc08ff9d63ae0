//! Round trip: any valid report, rendered by each renderer the reader accepts (HTML, Markdown,
//! the seed's pipe text), reads back equal. One expectation, every layout.

use gongkai_core::format::{ProactiveKind, Template};
use gongkai_report::model::{
    AnnualReport, Appeals, Applications, Narrative, Proactive, ProactiveValue,
};
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

/// Paragraphs of the shapes reports print (each ends a sentence: a line that does not, and runs
/// to the page's width, is a wrapped line; see `reader::parts`).
const PARAGRAPHS: &[&str] = &[
    "主动公开政府信息388条，其中主动公开公文40篇。",
    "本年度共收到政府信息公开申请8件，办结7件，结转下年度继续办理2件。",
    "全年未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。",
    "一是加强组织领导；二是完善工作机制；三是拓宽公开渠道。",
    "本年度报告电子版可以从部门网站（http://kfq.hlbe.gov.cn/）下载。",
    "如对本年度报告有疑问，请与政务公开工作领导小组办公室联系（电话：0470—2773823）。",
    "政务公开工作中主动公开力度有待进一步加强。",
    "本年度未收取信息处理费。",
    "发出收费通知2件，收取信息处理费150元。",
    "经开区积极推进部门网站优质规范发展，加强网站内容建设和信息发布审核，加强政府信息日常管理，每日开展日常检查、维护和更新工作，确保政府信息更新及时，发布内容准确无误。",
    "将政务公开工作纳入年度考核，分值权重占到了4%。",
];

const SUBHEADS: &[&str] = &[
    "（一）主动公开情况",
    "（二）依申请公开情况",
    "（三）政府信息管理",
    "（四）平台建设",
    "（五）监督保障",
    "（二）收取信息处理费情况",
];

/// A part's text: paragraphs, some of them sub-heads, one per line.
fn part() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            3 => proptest::sample::select(PARAGRAPHS),
            1 => proptest::sample::select(SUBHEADS),
        ],
        1..5,
    )
    .prop_map(|lines| lines.join("\n"))
}

/// A narrative as the model holds it: the closing lines only where a part after the tables
/// ends the document (the reader looks for them there), never empty.
/// Boxed, like the report: the nested strategy types otherwise overflow a test thread's stack
/// in debug builds.
fn narrative() -> BoxedStrategy<Option<Narrative>> {
    (
        proptest::option::of(part()),
        proptest::option::of(part()),
        proptest::option::of(part()),
        proptest::option::of(part()),
        proptest::option::of(proptest::sample::select(
            &[
                "呼伦贝尔经济技术开发区管委会",
                "某某县人民政府办公室",
                "和平街道办事处",
            ][..],
        )),
        proptest::option::of((2019u32..2030, 1u32..13, 1u32..29)),
    )
        .prop_map(
            |(opening, overview, problems, other_matters, signature, date)| {
                let closes = problems.is_some() || other_matters.is_some();
                let n = Narrative {
                    opening,
                    overview,
                    problems,
                    other_matters,
                    signature: signature.filter(|_| closes).map(str::to_owned),
                    date: date
                        .filter(|_| closes)
                        .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
                };
                (!n.is_empty()).then_some(n)
            },
        )
        .boxed()
}

fn report() -> BoxedStrategy<AnnualReport> {
    prop_oneof![Just(Template::Y2019), Just(Template::Y2021)]
        .prop_flat_map(|template| {
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
                prop_oneof![1 => Just(None), 1 => narrative()],
            )
                .prop_map(
                    move |(agency, year, proactive, applications, appeals, mut narrative)| {
                        // A report that does not name its organ or year is read as its 落款 signs and
                        // dates it: signature and date go with a named organ and a year here, the
                        // date early in the next year, as art. 49 has it.
                        if let Some(n) = narrative.as_mut() {
                            if agency.is_none() {
                                n.signature = None;
                            }
                            n.date = match (year, n.date.take()) {
                                (Some(y), Some(d)) => Some(format!("{}{}", y + 1, &d[4..])),
                                _ => None,
                            };
                            if n.is_empty() {
                                narrative = None;
                            }
                        }
                        AnnualReport {
                            agency: agency.map(str::to_owned),
                            year,
                            template,
                            proactive,
                            applications,
                            appeals,
                            narrative,
                        }
                    },
                )
                .boxed()
        })
        .boxed()
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

#[test]
fn the_seed_read_whole_renders_and_reads_back_whole() {
    // The seed as read (tables and narrative: opening, 一, 五, 六, 落款, 2023年1月11日),
    // rendered in each layout, reads back to the same model.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/2022_hulunbuir_jingkaiqu.txt");
    let seed = reader::read_path(&path).expect("the seed reads").report;
    let narrative = seed
        .narrative
        .as_ref()
        .expect("the seed prints a narrative");
    assert_eq!(narrative.date.as_deref(), Some("2023-01-11"));
    for (layout, rendered) in [
        ("text", render::text(&seed)),
        ("markdown", render::markdown(&seed)),
        ("html", render::html(&seed)),
        ("html page", render::html_page(&seed)),
    ] {
        assert!(rendered.contains("2023年1月11日"), "{layout}");
        assert_eq!(read_back(layout, &rendered), seed, "{layout}:\n{rendered}");
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
