//! The report as typst data (`sys.inputs.report`): strings stay strings, so no text of an organ
//! is ever read as typst markup or code.
//!
//! Everything printed is decided here, from `gongkai_report::render` (title line, the official
//! grids) and `gongkai_core::format` (headings); the template only lays it out.

use gongkai_core::format::title;
use gongkai_report::model::{AnnualReport, Narrative};
use gongkai_report::render::grid::{self, Grid};
use gongkai_report::render::{NO_TABLE, title_line};
use typst::foundations::{Array, Dict, Str, Value};

fn s(text: &str) -> Value {
    Value::Str(Str::from(text))
}

fn dict<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Dict(
        pairs
            .into_iter()
            .map(|(k, v)| (Str::from(k), v))
            .collect::<Dict>(),
    )
}

fn array(values: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(values.into_iter().collect::<Array>())
}

/// `sys.inputs` for the template: `report` = (title, narrative, sections).
pub(crate) fn inputs(report: &AnnualReport) -> Dict {
    let sections = [
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
    let sections = array(
        sections
            .into_iter()
            .enumerate()
            .map(|(i, (heading, grid))| {
                dict([
                    ("heading", s(heading)),
                    ("grid", grid.as_ref().map_or(Value::None, table)),
                    ("kind", Value::Int(i as i64)),
                ])
            }),
    );
    let narrative = report.narrative.as_ref().map_or(Value::None, narrative);
    let report = dict([
        ("title", s(&title_line(report))),
        ("narrative", narrative),
        ("sections", sections),
        ("no_table", s(NO_TABLE)),
    ]);
    [(Str::from("report"), report)].into_iter().collect()
}

fn table(grid: &Grid) -> Value {
    let cells = grid.rows.iter().enumerate().flat_map(|(r, row)| {
        row.iter().map(move |cell| {
            dict([
                ("text", s(printed(cell))),
                ("colspan", Value::Int(cell.colspan as i64)),
                ("rowspan", Value::Int(cell.rowspan as i64)),
                ("header", Value::Bool(cell.header)),
                ("head_row", Value::Bool(r < grid.header_rows)),
            ])
        })
    });
    dict([
        ("width", Value::Int(grid.width as i64)),
        ("header_rows", Value::Int(grid.header_rows as i64)),
        ("cells", array(cells)),
    ])
}

/// What a cell prints. A blank number cell prints `—`, which the national format and every
/// reader take for a blank: in a PDF's text layer an empty cell leaves no trace, and the
/// numbers after it would slide into its column.
fn printed(cell: &grid::Cell) -> &str {
    if cell.text.is_empty() && !cell.header {
        BLANK
    } else {
        &cell.text
    }
}

/// The mark of a blank number cell.
const BLANK: &str = "—";

fn paragraphs(text: Option<&str>) -> Value {
    array(
        text.unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(s),
    )
}

fn narrative(n: &Narrative) -> Value {
    let part = |heading: &str, text: Option<&str>| match text {
        Some(_) => dict([("heading", s(heading)), ("paragraphs", paragraphs(text))]),
        None => Value::None,
    };
    dict([
        ("opening", paragraphs(n.opening.as_deref())),
        ("overview", part(title::OVERVIEW, n.overview.as_deref())),
        ("problems", part(title::PROBLEMS, n.problems.as_deref())),
        (
            "other_matters",
            part(title::OTHER_MATTERS, n.other_matters.as_deref()),
        ),
        ("signature", n.signature.as_deref().map_or(Value::None, s)),
        (
            "date",
            n.date
                .as_deref()
                .map_or(Value::None, |d| s(&printed_date(d))),
        ),
    ])
}

/// `2023-01-11` as a report prints it under the signature: `2023年1月11日`. A date not in
/// that form is printed as it is: the model keeps what was entered.
pub(crate) fn printed_date(date: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) => format!("{y}年{m}月{d}日"),
                _ => date.to_owned(),
            }
        }
        _ => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_as_the_seed_signs() {
        assert_eq!(printed_date("2023-01-11"), "2023年1月11日");
        assert_eq!(printed_date("2023-12-01"), "2023年12月1日");
        assert_eq!(printed_date("2023年1月"), "2023年1月");
        assert_eq!(printed_date("20a3-01-11"), "20a3-01-11");
    }
}
