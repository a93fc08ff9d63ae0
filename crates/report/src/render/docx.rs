//! The report as a Word document (docx-rs): A4, the title, the narrative parts and the three
//! statutory tables with their merged cells as the template prints them — `w:gridSpan` for a
//! column span, `w:vMerge` (restart, then continue in each row below) for a row span — laid
//! out from [`super::grid`], so no label is typed here. gongkai's reader reads it back
//! (`extract::docx_text` turns the tables into HTML with `colspan`/`rowspan`).

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table, TableCell,
    TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

use super::document::{Block, blocks};
use super::grid::{Cell, Grid};
use crate::model::AnnualReport;

/// docx-rs could not write the archive.
#[derive(Debug, thiserror::Error)]
#[error("写入 DOCX 文件失败：{0}")]
pub struct DocxError(String);

// A4 in twips (twentieths of a point), 2.5 cm margins left and right, 2.54 cm top and bottom.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
const MARGIN_SIDE: i32 = 1_417;
const MARGIN_TOP: i32 = 1_440;
/// The width tables fill: the page less its side margins.
const TEXT_WIDTH: usize = (A4_WIDTH as usize) - 2 * (MARGIN_SIDE as usize);

// Sizes in half-points: 小二 title, 三号 headings, 四号 body, 小五 in the tables (15 columns
// must fit the page's width).
const TITLE_SIZE: usize = 36;
const HEADING_SIZE: usize = 32;
const BODY_SIZE: usize = 28;
const TABLE_SIZE: usize = 18;

const BODY_FONT: &str = "宋体";
const HEADING_FONT: &str = "黑体";

/// The report as DOCX bytes.
pub fn docx(report: &AnnualReport) -> Result<Vec<u8>, DocxError> {
    let mut doc = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_TOP)
                .left(MARGIN_SIDE)
                .right(MARGIN_SIDE),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE);
    for block in blocks(report) {
        doc = match block {
            Block::Title(text) => doc.add_paragraph(
                paragraph(&text, HEADING_FONT, TITLE_SIZE)
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().after(240)),
            ),
            Block::Heading(text) => doc.add_paragraph(
                paragraph(text, HEADING_FONT, HEADING_SIZE)
                    .line_spacing(LineSpacing::new().before(120).after(120)),
            ),
            Block::Paragraph(text) => doc.add_paragraph(
                paragraph(&text, BODY_FONT, BODY_SIZE)
                    .align(AlignmentType::Both)
                    // Two characters of first-line indent, as Chinese prose prints.
                    .indent(
                        None,
                        Some(docx_rs::SpecialIndentType::FirstLine(2 * 280)),
                        None,
                        None,
                    ),
            ),
            Block::Table(grid) => doc.add_table(table(&grid)).add_paragraph(Paragraph::new()),
            Block::NoTable(text) => doc.add_paragraph(paragraph(text, BODY_FONT, BODY_SIZE)),
            Block::Closing(text) => doc
                .add_paragraph(paragraph(&text, BODY_FONT, BODY_SIZE).align(AlignmentType::Right)),
        };
    }
    let mut buf = Cursor::new(Vec::new());
    doc.pack(&mut buf).map_err(|e| DocxError(e.to_string()))?;
    Ok(buf.into_inner())
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn paragraph(text: &str, font: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).fonts(fonts(font)).size(size))
}

/// Column widths in twips: label columns wide enough for their labels, number columns share
/// what is left.
fn column_widths(grid: &Grid) -> Vec<usize> {
    // Label columns: 表二's 信息内容; 表三's three (三、本年度办理结果, （三）不予公开, the reasons).
    let labels: &[usize] = match grid.width {
        4 => &[2_872],
        10 => &[900, 1_100, 2_500],
        _ => &[],
    };
    let rest = grid.width - labels.len();
    let used: usize = labels.iter().sum();
    let each = (TEXT_WIDTH - used) / rest.max(1);
    labels
        .iter()
        .copied()
        .chain(std::iter::repeat_n(each, rest))
        .collect()
}

/// One slot of a row on the full table: a cell that starts here, or the continuation of a
/// cell above that spans into this row.
enum Slot<'a> {
    Start(&'a Cell),
    /// Continues a row span; the number of columns the spanning cell covers.
    Continue(usize),
}

/// Every row's slots, left to right: docx needs a `w:tc` with `w:vMerge` in each row a row
/// span covers, where HTML needs nothing.
fn slots(grid: &Grid) -> Vec<Vec<(usize, Slot<'_>)>> {
    let mut rows: Vec<Vec<(usize, Slot<'_>)>> = (0..grid.rows.len()).map(|_| Vec::new()).collect();
    for (r, c, cell) in grid.positions() {
        if let Some(row) = rows.get_mut(r) {
            row.push((c, Slot::Start(cell)));
        }
        for below in rows
            .iter_mut()
            .skip(r + 1)
            .take(cell.rowspan.saturating_sub(1))
        {
            below.push((c, Slot::Continue(cell.colspan)));
        }
    }
    for row in &mut rows {
        row.sort_by_key(|(c, _)| *c);
    }
    rows
}

fn table(grid: &Grid) -> Table {
    let widths = column_widths(grid);
    let width_of = |c: usize, span: usize| widths.iter().skip(c).take(span).sum::<usize>();
    let rows = slots(grid)
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|(c, slot)| match slot {
                    Slot::Start(cell) => {
                        let mut tc = TableCell::new()
                            .width(width_of(c, cell.colspan), WidthType::Dxa)
                            .vertical_align(VAlignType::Center)
                            .add_paragraph(cell_paragraph(cell));
                        if cell.colspan > 1 {
                            tc = tc.grid_span(cell.colspan);
                        }
                        if cell.rowspan > 1 {
                            tc = tc.vertical_merge(VMergeType::Restart);
                        }
                        tc
                    }
                    Slot::Continue(colspan) => {
                        let mut tc = TableCell::new()
                            .width(width_of(c, colspan), WidthType::Dxa)
                            .vertical_merge(VMergeType::Continue)
                            .add_paragraph(Paragraph::new());
                        if colspan > 1 {
                            tc = tc.grid_span(colspan);
                        }
                        tc
                    }
                })
                .collect();
            TableRow::new(cells).cant_split()
        })
        .collect();
    Table::new(rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// A cell's text, centred as the official tables print labels and numbers; labels bold.
fn cell_paragraph(cell: &Cell) -> Paragraph {
    let mut run = Run::new()
        .add_text(&cell.text)
        .fonts(fonts(BODY_FONT))
        .size(TABLE_SIZE);
    if cell.header {
        run = run.bold();
    }
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::format::Template;

    use crate::extract::docx_text;
    use crate::model::{Applications, Narrative};

    #[test]
    fn merged_cells_come_back_as_the_template_spans() {
        // spec/domain.md §4.3: the note spans 3 columns × 3 rows, 三、本年度办理结果 22 rows.
        let mut r = AnnualReport::new(Template::Y2021);
        r.applications = Some(Applications::new(Template::Y2021));
        let html = docx_text(&docx(&r).expect("docx")).expect("extract");
        assert!(
            html.contains(&format!(
                "<td colspan=\"3\" rowspan=\"3\">{}</td>",
                gongkai_core::format::title::BALANCE_NOTE
            )),
            "{html}"
        );
        assert!(
            html.contains("<td rowspan=\"22\">三、本年度办理结果</td>"),
            "{html}"
        );
        assert!(
            html.contains("<td rowspan=\"8\">（三）不予公开</td>"),
            "{html}"
        );
        assert!(
            html.contains("<td colspan=\"5\">法人或其他组织</td>"),
            "{html}"
        );
    }

    #[test]
    fn signature_and_date_close_the_document() {
        let mut r = AnnualReport::new(Template::Y2021);
        r.narrative = Some(Narrative {
            signature: Some("呼伦贝尔经济技术开发区管委会".into()),
            date: Some("2023-01-11".into()),
            ..Narrative::default()
        });
        let html = docx_text(&docx(&r).expect("docx")).expect("extract");
        assert!(
            html.ends_with("<p>呼伦贝尔经济技术开发区管委会</p>\n<p>2023年1月11日</p>"),
            "{html}"
        );
    }
}
