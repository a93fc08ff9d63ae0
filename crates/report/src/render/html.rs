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
    let mut out = String::new();
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title_line(report)));
    parts(&mut out, &narrative::front(report));
    for ((heading, grid), section) in sections(report).into_iter().zip(Section::ALL) {
        let _ = writeln!(out, "<section class=\"{}\">", section.key());
        let _ = writeln!(out, "<h2>{}</h2>", escape(heading));
        match grid {
            Some(grid) => table(&mut out, &grid),
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

fn table(out: &mut String, grid: &Grid) {
    out.push_str("<table>\n");
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
            let _ = write!(out, ">{}</{tag}>", escape(&cell.text));
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
}
