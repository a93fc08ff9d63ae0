//! The DOCX and XLSX exports of real reports — the seed and every labelled corpus document —
//! read back through gongkai's own reader to the same tables, organ, year and template
//! (Deliver 5 of issue 13: "gongkai's own reader reads its DOCX … exports back to the
//! identical JSON"). The narrative is compared once the reader fills it in.

use std::io::Read;
use std::path::{Path, PathBuf};

use gongkai_report::model::{AnnualReport, Narrative};
use gongkai_report::{reader, render};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn load(path: &Path) -> AnnualReport {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    AnnualReport::from_json(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seed and every labelled corpus document (`NAME.json`).
fn labelled() -> Vec<(String, AnnualReport)> {
    let mut out = vec![(
        "seed".to_owned(),
        load(&shared().join("seed/2022_hulunbuir_jingkaiqu.json")),
    )];
    let mut files: Vec<_> = std::fs::read_dir(shared().join("corpus"))
        .expect("corpus directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the labelled corpus: {files:?}");
    for path in files {
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        out.push((name.unwrap_or_default(), load(&path)));
    }
    out
}

/// The seed's narrative as it prints (shortened): what a computed-and-edited report carries.
fn seed_narrative() -> Narrative {
    Narrative {
        opening: Some(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告。本报告中所列数据统计期限为2022年1月1日至2022年12月31日。"
                .into(),
        ),
        overview: Some(
            "（一）主动公开情况\n一是加强政府信息主动公开。主动公开政府信息388条，其中主动公开公文40篇。"
                .into(),
        ),
        problems: Some("一是政务公开工作人员业务水平有待提高。".into()),
        other_matters: Some("（一）工作要点完成情况\n（二）收取信息处理费情况\n2022年度，经开区未产生信息处理费。".into()),
        signature: Some("呼伦贝尔经济技术开发区管委会".into()),
        date: Some("2023-01-11".into()),
    }
}

/// Reads `bytes` back and compares with `want`: tables, organ, year, template; the narrative
/// where the reader gives one.
fn assert_reads_back(what: &str, bytes: &[u8], file_name: &str, want: &AnnualReport) {
    let read = reader::read_bytes(bytes, Some(file_name)).unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut got = read.report;
    assert_eq!(got.agency, want.agency, "{what}: agency");
    assert_eq!(got.year, want.year, "{what}: year");
    assert_eq!(got.template, want.template, "{what}: template");
    if got.narrative.is_some() {
        assert_eq!(got.narrative, want.narrative, "{what}: narrative");
    }
    got.narrative = want.narrative.clone();
    assert_eq!(
        got.to_json_pretty(),
        want.to_json_pretty(),
        "{what}: tables differ"
    );
}

#[test]
fn labelled_reports_read_back_from_docx_and_xlsx() {
    for (name, report) in labelled() {
        let docx = render::docx::docx(&report).expect("DOCX");
        assert_reads_back(&format!("{name}.docx"), &docx, "report.docx", &report);
        let xlsx = render::xlsx::xlsx(&report).expect("XLSX");
        assert_reads_back(&format!("{name}.xlsx"), &xlsx, "report.xlsx", &report);
    }
}

#[test]
fn the_seed_with_its_narrative_reads_back_from_docx_and_xlsx() {
    let mut seed = load(&shared().join("seed/2022_hulunbuir_jingkaiqu.json"));
    seed.narrative = Some(seed_narrative());
    let docx = render::docx::docx(&seed).expect("DOCX");
    assert_reads_back("seed.docx", &docx, "seed.docx", &seed);
    let xlsx = render::xlsx::xlsx(&seed).expect("XLSX");
    assert_reads_back("seed.xlsx", &xlsx, "seed.xlsx", &seed);
    // Without a file name the bytes alone say which is which.
    assert_reads_back("seed docx, unnamed", &docx, "", &seed);
    assert_reads_back("seed xlsx, unnamed", &xlsx, "", &seed);
}

/// A part of a ZIP archive as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

#[test]
fn docx_parts_are_in_template_order_on_a4_with_the_date_right_aligned() {
    // spec/domain.md §4.1: 一 … 六 in order; §4.7: the organ and the date close the report.
    let mut seed = load(&shared().join("seed/2022_hulunbuir_jingkaiqu.json"));
    seed.narrative = Some(seed_narrative());
    let bytes = render::docx::docx(&seed).expect("DOCX");
    let xml = part(&bytes, "word/document.xml");
    assert!(
        xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#),
        "A4"
    );
    let at = |needle: &str| {
        xml.find(needle)
            .unwrap_or_else(|| panic!("document.xml lacks {needle:?}"))
    };
    let order = [
        "呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告",
        "根据《中华人民共和国政府信息公开条例》",
        "一、总体情况",
        "主动公开政府信息388条",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "呼伦贝尔经济技术开发区管委会",
        "2023年1月11日",
    ];
    let positions: Vec<usize> = order.iter().map(|n| at(n)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{order:?} out of order"
    );
    let date_paragraph =
        &xml[xml[..at("2023年1月11日")].rfind("<w:p>").unwrap_or(0)..at("2023年1月11日")];
    assert!(
        date_paragraph.contains(r#"<w:jc w:val="right" />"#)
            || date_paragraph.contains(r#"<w:jc w:val="right"/>"#),
        "the date is right-aligned: {date_paragraph}"
    );
}

#[test]
fn xlsx_has_one_sheet_per_table_and_numbers_as_numbers() {
    let mut report = load(&shared().join("corpus/2021_pingtan_1.json"));
    report.narrative = Some(seed_narrative());
    let bytes = render::xlsx::xlsx(&report).expect("XLSX");
    let workbook = part(&bytes, "xl/workbook.xml");
    for name in render::xlsx::SHEETS.iter().chain([
        &render::xlsx::NARRATIVE_SHEET,
        &render::xlsx::NARRATIVE_BACK_SHEET,
    ]) {
        assert!(
            workbook.contains(&format!("name=\"{name}\"")),
            "{name}: {workbook}"
        );
    }
    // 表三: every printed count is a numeric cell (calamine reads a float), blanks are empty.
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).expect("calamine");
    let range = book
        .worksheet_range(render::xlsx::SHEETS[1])
        .expect("表三 sheet");
    let applications = report.applications.as_ref().expect("表三");
    // Data rows start under the title, heading, blank row and the three header rows.
    for (i, (spec, cells)) in applications.rows().enumerate() {
        for (j, cell) in cells.iter().enumerate() {
            let pos = (6 + i as u32, 3 + j as u32);
            let got = range.get_value(pos);
            match cell {
                Some(n) => assert_eq!(got, Some(&Data::Float(*n as f64)), "{} col {j}", spec.key),
                None => assert!(
                    matches!(got, None | Some(Data::Empty)),
                    "{} col {j}: {got:?}",
                    spec.key
                ),
            }
        }
    }
    // 表二's amount in 万元 is a number that shows its six printed decimals.
    let proactive = book
        .worksheet_range(render::xlsx::SHEETS[0])
        .expect("表二 sheet");
    assert!(
        proactive
            .used_cells()
            .any(|(_, _, v)| *v == Data::Float(24252.311082)),
        "the fee amount is a number"
    );
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="0.000000""#), "{styles}");
    // Sheet 1 is the narrative's first part (the report has one), so 表三 is sheet 3.
    let sheet = part(&bytes, "xl/worksheets/sheet3.xml");
    assert!(
        sheet.contains("<mergeCell ref=\"A4:C6\"/>"),
        "the 勾稽 note spans A4:C6"
    );
    assert!(
        sheet.contains("<mergeCell ref=\"D4:J4\"/>"),
        "申请人情况 spans D4:J4"
    );
}

/// A subordinate's workbook as offices make them by hand: one sheet, a merged title, each
/// table under its heading in the rows below, no blank rows, numbers typed as text here and
/// there.
fn one_sheet_workbook(report: &AnnualReport) -> Vec<u8> {
    use gongkai_core::format::title;
    use render::grid;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    sheet
        .merge_range(0, 0, 0, 14, &render::title_line(report), &plain)
        .expect("title");
    let mut row = 1u32;
    let tables = [
        (
            title::PROACTIVE,
            report.proactive.as_ref().map(grid::proactive),
        ),
        (
            title::APPLICATIONS,
            report.applications.as_ref().map(grid::applications),
        ),
        (title::APPEALS, report.appeals.as_ref().map(grid::appeals)),
    ];
    for (heading, grid) in tables {
        sheet.write_string(row, 0, heading).expect("heading");
        row += 1;
        let Some(grid) = grid else { continue };
        for (r, c, cell) in grid.positions() {
            let (r, c) = (row + r as u32, c as u16);
            if cell.colspan > 1 || cell.rowspan > 1 {
                let (lr, lc) = (r + cell.rowspan as u32 - 1, c + cell.colspan as u16 - 1);
                sheet
                    .merge_range(r, c, lr, lc, &cell.text, &plain)
                    .expect("merge");
            } else if let Ok(n) = cell.text.parse::<f64>() {
                sheet.write_number(r, c, n).expect("number");
            } else if !cell.text.is_empty() {
                sheet.write_string(r, c, &cell.text).expect("text");
            }
        }
        row += grid.rows.len() as u32;
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn a_subordinates_one_sheet_workbook_reads_to_its_tables() {
    // spec/workflows.md §5: the superior office reads the XLSX its subordinates send.
    for name in ["2021_pingtan_1", "2023_hongzequ_1", "2019_pingtan_1"] {
        let report = load(&shared().join(format!("corpus/{name}.json")));
        let bytes = one_sheet_workbook(&report);
        assert_reads_back(&format!("{name} (one sheet)"), &bytes, "sub.xlsx", &report);
    }
}
