//! Renderers of an annual report's tables: HTML in the official layout (merged cells as the
//! national format prints them), Markdown, and plain text in the seed's style (one line per
//! table row, cells joined by ` | `).
//!
//! All three start from one [`grid`] per table — the official layout as rows of cells with
//! their spans — so they cannot disagree on labels or order. Each output starts with a line
//! naming the organ and the year in the customary form and carries the section headings of
//! `format::title`, so that the reader can find agency, year and template again. A blank cell
//! renders as an empty cell; nothing is filled in.
//!
//! A report with a [`crate::model::Narrative`] renders whole, as the seed prints it
//! ([`narrative`] lays its parts out once for all three): the opening and 一、总体情况 before
//! the tables, 五 and 六 after them, the signature and the date (`2023年1月11日`) last. Without
//! one, the output is the tables alone.

use gongkai_core::format::title;

use crate::model::AnnualReport;

mod document;
pub mod docx;
pub mod grid;
mod html;
mod markdown;
pub mod narrative;
mod text;
pub mod xlsx;

pub use html::{CellLink, html, html_linked, html_page};
pub use markdown::markdown;
pub use narrative::{is_subhead, printed_date};
pub use text::text;

/// The document's name after organ and year.
const REPORT_NAME: &str = "政府信息公开工作年度报告";

/// What stands under a heading whose table the report does not have.
pub const NO_TABLE: &str = "（本报告无此表）";

/// The customary title line: `呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告`.
pub fn title_line(report: &AnnualReport) -> String {
    let agency = report.agency.as_deref().unwrap_or_default();
    match report.year {
        Some(year) => format!("{agency}{year}年{REPORT_NAME}"),
        None => format!("{agency}{REPORT_NAME}"),
    }
}

/// The three tables with their headings, in printed order: (heading, grid or `None`).
fn sections(report: &AnnualReport) -> [(&'static str, Option<grid::Grid>); 3] {
    [
        (
            title::PROACTIVE,
            report.proactive.as_ref().map(grid::proactive),
        ),
        (
            title::APPLICATIONS,
            report.applications.as_ref().map(grid::applications),
        ),
        (title::APPEALS, report.appeals.as_ref().map(grid::appeals)),
    ]
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use gongkai_core::format::title;

    use super::*;

    fn labelled(name: &str) -> AnnualReport {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared")
            .join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        AnnualReport::from_json(&value).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn seed() -> AnnualReport {
        labelled("seed/2022_hulunbuir_jingkaiqu.json")
    }

    #[test]
    fn seed_as_html() {
        insta::assert_snapshot!(html(&seed()));
    }

    #[test]
    fn seed_as_markdown() {
        insta::assert_snapshot!(markdown(&seed()));
    }

    #[test]
    fn seed_as_text() {
        insta::assert_snapshot!(text(&seed()));
    }

    #[test]
    fn blank_cells_and_the_2019_template_as_text() {
        // Blank 总计 cells stay empty; 表二 has the five 2019 blocks, 采购总金额 with its unit.
        insta::assert_snapshot!(text(&labelled("corpus/2019_shanghai_bangongting_1.json")));
    }

    fn with_narrative() -> AnnualReport {
        let mut r = seed();
        r.narrative = Some(crate::model::Narrative {
            opening: Some("根据《条例》规定，现公布本报告。".into()),
            overview: Some(
                "（一）主动公开情况\n主动公开政府信息388条，其中主动公开公文40篇。".into(),
            ),
            problems: Some("公开力度<有待>加强。".into()),
            other_matters: Some("（二）收取信息处理费情况\n本年度未收取信息处理费。".into()),
            signature: Some("呼伦贝尔经济技术开发区管委会".into()),
            date: Some("2023-01-11".into()),
        });
        r
    }

    /// The lines of `out` that are not table rows.
    fn prose(out: &str) -> Vec<&str> {
        out.lines().filter(|l| !l.contains('|')).collect()
    }

    #[test]
    fn text_with_a_narrative_prints_the_whole_report_in_the_seeds_order() {
        // spec/domain.md §4.1: 一 before the tables, 五 and 六 after, then 落款 and date.
        let out = text(&with_narrative());
        assert_eq!(
            prose(&out),
            [
                "呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告",
                "根据《条例》规定，现公布本报告。",
                title::OVERVIEW,
                "（一）主动公开情况",
                "主动公开政府信息388条，其中主动公开公文40篇。",
                title::PROACTIVE,
                title::APPLICATIONS,
                title::APPEALS,
                title::PROBLEMS,
                "公开力度<有待>加强。",
                title::OTHER_MATTERS,
                "（二）收取信息处理费情况",
                "本年度未收取信息处理费。",
                "呼伦贝尔经济技术开发区管委会",
                "2023年1月11日",
            ]
        );
        // The tables are printed exactly as without a narrative.
        let tables_only = text(&seed());
        let rows = |s: &str| {
            s.lines()
                .filter(|l| l.contains('|'))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&out), rows(&tables_only));
    }

    #[test]
    fn html_with_a_narrative_has_paragraphs_and_sub_heads_escaped() {
        let out = html(&with_narrative());
        assert!(out.contains("<section class=\"overview\">\n<h2>一、总体情况</h2>\n<h3>（一）主动公开情况</h3>\n<p>主动公开政府信息388条"), "{out}");
        assert!(out.contains("<p>公开力度&lt;有待&gt;加强。</p>"), "{out}");
        assert!(out.ends_with("<p class=\"signature\">呼伦贝尔经济技术开发区管委会</p>\n<p class=\"date\">2023年1月11日</p>\n"), "{out}");
        let opening = out.find("现公布本报告").unwrap_or(usize::MAX);
        assert!(opening < out.find(title::PROACTIVE).unwrap_or(0));
        assert!(out.find(title::APPEALS) < out.find(title::PROBLEMS));
    }

    #[test]
    fn markdown_with_a_narrative_has_its_parts_as_sections() {
        let out = markdown(&with_narrative());
        assert!(
            out.contains("\n## 一、总体情况\n\n### （一）主动公开情况\n\n主动公开政府信息388条"),
            "{out}"
        );
        assert!(out.contains("\n## 六、其他需要报告的事项\n"), "{out}");
        assert!(
            out.ends_with("\n呼伦贝尔经济技术开发区管委会\n\n2023年1月11日\n"),
            "{out}"
        );
    }

    #[test]
    fn a_part_the_narrative_lacks_is_not_printed() {
        let mut r = with_narrative();
        if let Some(n) = r.narrative.as_mut() {
            n.problems = None;
            n.date = None;
        }
        let out = text(&r);
        assert!(!out.contains(title::PROBLEMS));
        assert!(out.contains(title::OTHER_MATTERS));
        assert!(out.ends_with("本年度未收取信息处理费。\n呼伦贝尔经济技术开发区管委会\n"));
    }

    #[test]
    fn title_line_names_organ_and_year() {
        let r = seed();
        assert_eq!(
            title_line(&r),
            "呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告"
        );
        assert!(text(&r).starts_with("呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告\n"));
        assert!(markdown(&r).starts_with("# 呼伦贝尔经济技术开发区2022年"));
        let mut anonymous = AnnualReport::new(r.template);
        anonymous.year = None;
        assert_eq!(title_line(&anonymous), "政府信息公开工作年度报告");
    }

    /// (colspan, rowspan) of every `th`/`td` of the `n`-th table, and each row's width.
    fn spans(html: &str, n: usize) -> (Vec<(usize, usize, String)>, Vec<usize>) {
        use scraper::{Html, Selector};
        let doc = Html::parse_fragment(html);
        let table_sel = Selector::parse("table").expect("selector");
        let row_sel = Selector::parse("tr").expect("selector");
        let cell_sel = Selector::parse("th, td").expect("selector");
        let table = doc.select(&table_sel).nth(n).expect("the table");
        let rows: Vec<_> = table.select(&row_sel).collect();
        let mut covered = vec![0usize; rows.len()];
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for cell in row.select(&cell_sel) {
                let attr = |name| {
                    cell.value()
                        .attr(name)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1usize)
                };
                let (colspan, rowspan) = (attr("colspan"), attr("rowspan"));
                for dr in 0..rowspan {
                    if let Some(c) = covered.get_mut(r + dr) {
                        *c += colspan;
                    }
                }
                cells.push((colspan, rowspan, cell.text().collect::<String>()));
            }
        }
        (cells, covered)
    }

    fn spanned(cells: &[(usize, usize, String)], text: &str) -> Option<(usize, usize)> {
        cells
            .iter()
            .find(|(_, _, t)| t == text)
            .map(|(c, r, _)| (*c, *r))
    }

    #[test]
    fn html_table3_has_the_official_merged_cells() {
        use gongkai_core::format::{RESULTS_LABEL, title};
        let (cells, widths) = spans(&html(&seed()), 1);
        assert_eq!(widths.len(), 28, "3 header rows and 25 data rows");
        assert!(widths.iter().all(|&w| w == 10), "{widths:?}");
        assert_eq!(spanned(&cells, title::BALANCE_NOTE), Some((3, 3)));
        assert_eq!(spanned(&cells, title::APPLICANTS), Some((7, 1)));
        assert_eq!(spanned(&cells, title::ORGANISATIONS), Some((5, 1)));
        assert_eq!(spanned(&cells, "自然人"), Some((1, 2)));
        assert_eq!(spanned(&cells, RESULTS_LABEL), Some((1, 22)));
        assert_eq!(spanned(&cells, "（三）不予公开"), Some((1, 8)));
        assert_eq!(spanned(&cells, "（四）无法提供"), Some((1, 3)));
        assert_eq!(spanned(&cells, "（五）不予处理"), Some((1, 5)));
        assert_eq!(spanned(&cells, "（六）其他处理"), Some((1, 3)));
        assert_eq!(spanned(&cells, "（七）总计"), Some((2, 1)));
        assert_eq!(spanned(&cells, "四、结转下年度继续办理"), Some((3, 1)));
        let merged = cells.iter().filter(|(c, r, _)| *c > 1 || *r > 1).count();
        // note, 申请人情况, 自然人, 法人或其他组织, 总计, 一, 二, 三, （一）, （二）,
        // （三）–（六）, （七）, 四.
        assert_eq!(merged, 16);
    }

    #[test]
    fn html_table3_of_2019_has_one_other_row() {
        let r = labelled("corpus/2019_pingtan_1.json");
        let (cells, widths) = spans(&html(&r), 1);
        assert_eq!(widths.len(), 26);
        assert!(widths.iter().all(|&w| w == 10), "{widths:?}");
        assert_eq!(spanned(&cells, "（六）其他处理"), Some((2, 1)));
        assert_eq!(
            spanned(&cells, gongkai_core::format::RESULTS_LABEL),
            Some((1, 20))
        );
    }

    #[test]
    fn html_table4_has_its_two_level_header() {
        let (cells, widths) = spans(&html(&seed()), 2);
        assert_eq!(widths, [15, 15, 15, 15]);
        assert_eq!(spanned(&cells, "行政复议"), Some((5, 1)));
        assert_eq!(spanned(&cells, "行政诉讼"), Some((10, 1)));
        assert_eq!(spanned(&cells, "未经复议直接起诉"), Some((5, 1)));
        assert_eq!(spanned(&cells, "复议后起诉"), Some((5, 1)));
        let two_rows = cells.iter().filter(|(_, r, _)| *r == 2).count();
        assert_eq!(two_rows, 5);
        assert_eq!(cells.iter().filter(|(_, _, t)| t == "结果维持").count(), 3);
    }

    #[test]
    fn html_table2_has_four_blocks_in_2021_and_five_in_2019() {
        for (report, blocks) in [(seed(), 4), (labelled("corpus/2019_pingtan_1.json"), 5)] {
            let (cells, widths) = spans(&html(&report), 0);
            assert!(widths.iter().all(|&w| w == 4), "{widths:?}");
            let titles = cells
                .iter()
                .filter(|(c, _, t)| *c == 4 && t.starts_with("第二十条"))
                .count();
            assert_eq!(titles, blocks);
        }
    }
}
