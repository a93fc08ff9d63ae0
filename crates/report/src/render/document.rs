//! The whole report as the seed prints it, as a sequence of blocks: the title line, the
//! opening, part 一, the three tables under their headings, parts 五 and 六, then the signature
//! and the date. The binary exports (DOCX, XLSX) lay these blocks out; they do not decide the
//! order or the wording themselves.

use gongkai_core::format::title;

use super::grid::Grid;
use super::{NO_TABLE, sections, title_line};
use crate::model::AnnualReport;

/// One block of the printed report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// The title line (`…2022年政府信息公开工作年度报告`).
    Title(String),
    /// A part's heading (`一、总体情况`, `二、主动公开政府信息情况`, …).
    Heading(&'static str),
    /// A paragraph of the narrative.
    Paragraph(String),
    /// A statutory table in its official layout.
    Table(Grid),
    /// What stands under a heading whose table the report does not have.
    NoTable(&'static str),
    /// A line aligned right at the end: the signing organ, then the date.
    Closing(String),
}

/// The report's blocks in printed order. Without a narrative, the title and the tables only
/// (as [`super::html`]); a narrative part the report does not print is left out with its
/// heading.
pub(crate) fn blocks(report: &AnnualReport) -> Vec<Block> {
    let narrative = report.narrative.as_ref();
    let part = |text: Option<&String>| -> Vec<Block> {
        text.map(|t| paragraphs(t).map(Block::Paragraph).collect())
            .unwrap_or_default()
    };
    let mut out = vec![Block::Title(title_line(report))];
    if let Some(n) = narrative {
        out.extend(part(n.opening.as_ref()));
        if n.overview.is_some() {
            out.push(Block::Heading(title::OVERVIEW));
            out.extend(part(n.overview.as_ref()));
        }
    }
    for (heading, grid) in sections(report) {
        out.push(Block::Heading(heading));
        out.push(match grid {
            Some(grid) => Block::Table(grid),
            None => Block::NoTable(NO_TABLE),
        });
    }
    if let Some(n) = narrative {
        for (heading, text) in [
            (title::PROBLEMS, &n.problems),
            (title::OTHER_MATTERS, &n.other_matters),
        ] {
            if text.is_some() {
                out.push(Block::Heading(heading));
                out.extend(part(text.as_ref()));
            }
        }
        if let Some(signature) = &n.signature {
            out.push(Block::Closing(signature.clone()));
        }
        if let Some(date) = &n.date {
            out.push(Block::Closing(printed_date(date)));
        }
    }
    out
}

/// A narrative text's paragraphs: its non-empty lines, trimmed.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

/// `2023-01-11` as a report prints it under the signature: `2023年1月11日`. Text that is not
/// `YYYY-MM-DD` is printed as it is (the model's JSON only admits that form).
pub fn printed_date(iso: &str) -> String {
    let mut parts = iso.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return iso.to_owned();
    };
    match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(y), Ok(m), Ok(d)) => format!("{y}年{m}月{d}日"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Narrative;
    use gongkai_core::format::Template;

    #[test]
    fn the_date_prints_without_leading_zeros() {
        assert_eq!(printed_date("2023-01-11"), "2023年1月11日");
        assert_eq!(printed_date("2024-12-31"), "2024年12月31日");
        assert_eq!(printed_date("明天"), "明天");
    }

    #[test]
    fn parts_follow_the_template_order_and_absent_parts_have_no_heading() {
        // spec/domain.md §4.1: 一 before the tables, 五 and 六 after, signature and date last.
        let mut r = AnnualReport::new(Template::Y2021);
        r.narrative = Some(Narrative {
            opening: Some("根据《条例》规定，现公布本报告。".into()),
            overview: Some("（一）主动公开情况\n\n主动公开政府信息388条。".into()),
            problems: None,
            other_matters: Some("未产生信息处理费。".into()),
            signature: Some("某某局".into()),
            date: Some("2023-01-11".into()),
        });
        let got = blocks(&r);
        let headings: Vec<_> = got
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(*h),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            [
                title::OVERVIEW,
                title::PROACTIVE,
                title::APPLICATIONS,
                title::APPEALS,
                title::OTHER_MATTERS
            ]
        );
        assert_eq!(
            got[1],
            Block::Paragraph("根据《条例》规定，现公布本报告。".into())
        );
        assert_eq!(got[3], Block::Paragraph("（一）主动公开情况".into()));
        assert_eq!(got[4], Block::Paragraph("主动公开政府信息388条。".into()));
        assert_eq!(
            got[got.len() - 2..],
            [
                Block::Closing("某某局".into()),
                Block::Closing("2023年1月11日".into())
            ]
        );
        assert_eq!(
            got.iter()
                .filter(|b| **b == Block::NoTable(NO_TABLE))
                .count(),
            3
        );
    }
}
