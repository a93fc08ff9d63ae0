//! HTML in the official layout: one `<section>` per table with its heading, merged cells as
//! `rowspan`/`colspan`, headers and labels as `<th>`, numbers as `<td>`. A narrative's parts are
//! `<section>`s too (`class` = the narrative's key), paragraphs `<p>`, sub-heads `<h3>`, the
//! signature and date `<p class="signature">`, `<p class="date">`.

use std::fmt::Write;

use super::grid::Grid;
use super::narrative::{self, Paragraph, Part};
use super::{NO_TABLE, sections, title_line};
use crate::check::Section;
use crate::model::AnnualReport;

/// The report as an HTML fragment: an `<h1>` title line, then one `<section>` per table
/// (`class` = the schema key) with its `<h2>` heading and `<table>`; with a narrative, its parts
/// before and after the tables and the closing lines.
pub fn html(report: &AnnualReport) -> String {
    tables(report, None)
}

/// Where a number cell links to: `link(section, row, column)` (schema keys) gives its href, or
/// `None` for a plain cell.
pub type CellLink<'a> = &'a dyn Fn(&str, &str, &str) -> Option<String>;

/// [`html`] with every number cell a link, for the console's drill-down: the same layout, each
/// value wrapped in `<a href="…">`.
pub fn html_linked(report: &AnnualReport, link: CellLink<'_>) -> String {
    tables(report, Some(link))
}

/// The (row, column) keys of a table's number cells, in the order its grid lays them out.
fn value_keys(report: &AnnualReport, section: Section) -> Vec<(&'static str, &'static str)> {
    use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ProactiveKind};
    match section {
        Section::Proactive => report
            .template
            .proactive_blocks()
            .iter()
            .flat_map(|b| {
                b.rows.iter().flat_map(move |r| {
                    b.columns
                        .iter()
                        .filter(|c| c.kind != ProactiveKind::Unit)
                        .map(move |c| (r.key, c.key))
                })
            })
            .collect(),
        Section::Applications => report
            .template
            .application_rows()
            .iter()
            .flat_map(|r| APPLICANT_COLUMNS.iter().map(move |c| (r.key, c.key)))
            .collect(),
        Section::Appeals => APPEAL_BLOCKS
            .iter()
            .flat_map(|b| APPEAL_COLUMNS.iter().map(move |c| (b.key, c.key)))
            .collect(),
    }
}

fn tables(report: &AnnualReport, link: Option<CellLink<'_>>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title_line(report)));
    parts(&mut out, &narrative::front(report));
    for ((heading, grid), section) in sections(report).into_iter().zip(Section::ALL) {
        let _ = writeln!(out, "<section class=\"{}\">", section.key());
        let _ = writeln!(out, "<h2>{}</h2>", escape(heading));
        match grid {
            Some(grid) => {
                let keys = value_keys(report, section);
                let href = |i: usize| {
                    let (row, column) = keys.get(i)?;
                    link.and_then(|l| l(section.key(), row, column))
                };
                table(&mut out, &grid, &href);
            }
            None => {
                let _ = writeln!(out, "<p>{NO_TABLE}</p>");
            }
        }
        out.push_str("</section>\n");
    }
    parts(&mut out, &narrative::back(report));
    for (class, line) in narrative::closing(report) {
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", escape(&line));
    }
    out
}

fn parts(out: &mut String, parts: &[Part<'_>]) {
    for part in parts {
        let _ = writeln!(out, "<section class=\"{}\">", part.key);
        if let Some(heading) = part.heading {
            let _ = writeln!(out, "<h2>{}</h2>", escape(heading));
        }
        for paragraph in &part.paragraphs {
            let _ = match paragraph {
                Paragraph::SubHead(line) => writeln!(out, "<h3>{}</h3>", escape(line)),
                Paragraph::Text(line) => writeln!(out, "<p>{}</p>", escape(line)),
            };
        }
        out.push_str("</section>\n");
    }
}

/// A complete HTML page around [`html`], with borders on the tables.
pub fn html_page(report: &AnnualReport) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>table{{border-collapse:collapse;margin:1em 0}}th,td{{border:1px solid #000;padding:2px 6px}}td{{text-align:right}}</style>\n\
         </head>\n<body>\n{}</body>\n</html>\n",
        escape(&title_line(report)),
        html(report)
    )
}

fn table(out: &mut String, grid: &Grid, href: &dyn Fn(usize) -> Option<String>) {
    out.push_str("<table>\n");
    let mut value = 0;
    for (r, row) in grid.rows.iter().enumerate() {
        if r == 0 && grid.header_rows > 0 {
            out.push_str("<thead>\n");
        }
        if r == grid.header_rows && grid.header_rows > 0 {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for cell in row {
            let tag = if cell.header { "th" } else { "td" };
            let _ = write!(out, "<{tag}");
            if cell.colspan > 1 {
                let _ = write!(out, " colspan=\"{}\"", cell.colspan);
            }
            if cell.rowspan > 1 {
                let _ = write!(out, " rowspan=\"{}\"", cell.rowspan);
            }
            let text = escape(&cell.text);
            let link = if cell.header {
                None
            } else {
                value += 1;
                href(value - 1)
            };
            match link {
                // A blank cell still opens its records; its link needs text to be found
                // (and named to a screen reader): WCAG 2.4.4.
                Some(h) if text.trim().is_empty() => {
                    let _ = write!(out, "><a href=\"{}\">（空）</a></{tag}>", escape(&h));
                }
                Some(h) => {
                    let _ = write!(out, "><a href=\"{}\">{text}</a></{tag}>", escape(&h));
                }
                None => {
                    let _ = write!(out, ">{text}</{tag}>");
                }
            }
        }
        out.push_str("</tr>\n");
        if r + 1 == grid.header_rows {
            out.push_str("</thead>\n");
        }
    }
    if grid.header_rows > 0 && grid.rows.len() > grid.header_rows {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_names() {
        let mut r = AnnualReport::new(gongkai_core::format::Template::Y2021);
        r.agency = Some("<b>某局</b>&".into());
        let out = html(&r);
        assert!(
            out.starts_with("<h1>&lt;b&gt;某局&lt;/b&gt;&amp;政府信息公开工作年度报告</h1>"),
            "{out}"
        );
        assert_eq!(out.matches(NO_TABLE).count(), 3);
    }

    #[test]
    fn linked_cells_carry_their_schema_keys_and_the_layout_is_unchanged() {
        let mut r = AnnualReport::new(gongkai_core::format::Template::Y2021);
        r.proactive = Some(crate::model::Proactive::new(r.template));
        r.applications = Some(crate::model::Applications::new(r.template));
        r.appeals = Some(crate::model::Appeals::default());
        let link = |s: &str, row: &str, c: &str| Some(format!("/x/{s}/{row}/{c}"));
        let linked = html_linked(&r, &link);
        // 表二 10 + 表三 25×7 + 表四 15 number cells, each linked once.
        assert_eq!(linked.matches("<a href=").count(), 10 + 175 + 15);
        assert!(linked.contains("href=\"/x/applications/carried_forward/total\""));
        assert!(linked.contains("href=\"/x/appeals/litigation_after_reconsideration/pending\""));
        assert!(linked.contains("href=\"/x/proactive/fees/amount_wan_yuan\""));
        let none = |_: &str, _: &str, _: &str| None;
        assert_eq!(html_linked(&r, &none), html(&r));
    }
}
