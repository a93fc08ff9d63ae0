//! DOCX: `word/document.xml` into an HTML fragment of paragraph lines and tables.
//!
//! WordprocessingML keeps a merged table the way HTML does not: a cell spanning columns says
//! `w:gridSpan`, and a cell spanning rows is a first cell with `w:vMerge w:val="restart"`
//! followed, in the rows below, by empty cells with `w:vMerge` (continue). Here the grid column
//! of each cell is tracked, continuation cells are dropped and the first cell gets `rowspan`.

use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::ExtractError;

/// Largest `word/document.xml` read, decompressed: a guard against ZIP bombs. A real report's
/// is a few hundred KiB; 32 MiB leaves room for long ones while bounding memory.
pub const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;

/// Deepest nesting of tables read. Word lays out a page with a table or two inside a cell; each
/// level copies the one inside it, so an unbounded depth makes reading quadratic.
pub const MAX_TABLE_DEPTH: usize = 64;

/// The signature every DOCX starts with: a ZIP local file header.
const ZIP_SIGNATURE: &[u8] = b"PK\x03\x04";

/// The text of a DOCX as an HTML fragment, one block per line: each paragraph a `<p>` line,
/// each table one `<table>` block (`colspan`/`rowspan` from `w:gridSpan`/`w:vMerge`;
/// paragraphs inside a cell joined by `<br>`). Text is HTML-escaped; empty paragraphs are
/// left out.
///
/// Refused before much work: bytes that do not start with a ZIP header, a `word/document.xml`
/// larger than [`MAX_XML_BYTES`] decompressed (whatever its header claims), and tables nested
/// deeper than [`MAX_TABLE_DEPTH`].
pub fn docx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    // Checked first so that other bytes named .docx are refused without a ZIP search.
    if !bytes.starts_with(ZIP_SIGNATURE) {
        return Err(ExtractError::NotZip {
            message: "文件开头没有 ZIP 标记（PK\\x03\\x04）".to_owned(),
        });
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::NotZip {
            message: e.to_string(),
        })?;
    let file = archive
        .by_name("word/document.xml")
        .map_err(|_| ExtractError::NoDocumentXml)?;
    let too_large = ExtractError::XmlTooLarge {
        limit_mib: MAX_XML_BYTES / (1024 * 1024),
    };
    // The declared size refuses an honest bomb without inflating it; `Bounded` one that lies.
    if file.size() > MAX_XML_BYTES {
        return Err(too_large);
    }
    // Parsed as it is inflated, so the XML is never held whole.
    let xml = BufReader::new(Bounded {
        inner: file,
        left: MAX_XML_BYTES,
    });
    document_text(xml).map_err(|e| match e {
        Failure::TooLarge => too_large,
        Failure::Extract(e) => e,
    })
}

/// A reader that fails with [`std::io::ErrorKind::FileTooLarge`] once more than its limit is read.
struct Bounded<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte past the limit tells a stream of exactly the limit from a longer one.
        let want = buf.len().min(
            usize::try_from(self.left)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        );
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => Err(std::io::Error::from(std::io::ErrorKind::FileTooLarge)),
        }
    }
}

/// Why [`document_text`] stopped.
enum Failure {
    /// The XML ran past [`MAX_XML_BYTES`].
    TooLarge,
    Extract(ExtractError),
}

impl From<ExtractError> for Failure {
    fn from(e: ExtractError) -> Self {
        Failure::Extract(e)
    }
}

/// One cell being built.
#[derive(Debug, Default)]
struct Cell {
    html: String,
    colspan: usize,
    rowspan: usize,
    /// `w:vMerge` without `restart`: this cell continues the one above.
    continues: bool,
    /// The grid column it starts at.
    grid: usize,
}

/// One table being built: rows of cells.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    /// Grid columns skipped before the first cell of the current row (`w:gridBefore`).
    grid_before: usize,
}

impl Table {
    /// Closes a row: places its cells on the grid and folds vertical continuations into the
    /// cell above.
    fn finish_row(&mut self) {
        let Some(mut row) = self.rows.pop() else {
            return;
        };
        let mut grid = self.grid_before;
        for cell in &mut row {
            cell.grid = grid;
            grid += cell.colspan.max(1);
        }
        self.grid_before = 0;
        let mut kept = Vec::with_capacity(row.len());
        for cell in row {
            if cell.continues {
                // The nearest row above with a cell starting at this grid column.
                let above = self
                    .rows
                    .iter_mut()
                    .rev()
                    .find_map(|r| r.iter_mut().find(|c| c.grid == cell.grid));
                if let Some(above) = above {
                    above.rowspan += 1;
                    continue;
                }
            }
            kept.push(cell);
        }
        self.rows.push(kept);
    }

    fn html(&self) -> String {
        let mut out = String::from("<table>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for cell in row {
                out.push_str("<td");
                if cell.colspan > 1 {
                    out.push_str(&format!(" colspan=\"{}\"", cell.colspan));
                }
                if cell.rowspan > 1 {
                    out.push_str(&format!(" rowspan=\"{}\"", cell.rowspan));
                }
                out.push('>');
                out.push_str(&cell.html);
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>");
        out
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn bad(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::BadDocumentXml {
        message: e.to_string(),
    }
}

/// What the walker is inside of.
#[derive(Default)]
struct Walker {
    lines: Vec<String>,
    tables: Vec<Table>,
    /// The paragraph being read.
    paragraph: String,
    in_text: bool,
}

impl Walker {
    fn cell(&mut self) -> Option<&mut Cell> {
        self.tables.last_mut()?.rows.last_mut()?.last_mut()
    }

    /// Appends text to the current paragraph.
    fn text(&mut self, text: &str) {
        self.paragraph.push_str(text);
    }

    /// Ends a paragraph: a line outside tables, a `<br>`-separated part inside a cell.
    fn end_paragraph(&mut self) {
        let paragraph = std::mem::take(&mut self.paragraph);
        if self.tables.is_empty() {
            if !paragraph.trim().is_empty() {
                let mut line = String::from("<p>");
                escape(&paragraph, &mut line);
                line.push_str("</p>");
                self.lines.push(line.replace('\n', "<br>"));
            }
        } else if let Some(cell) = self.cell() {
            if !cell.html.is_empty() {
                cell.html.push_str("<br>");
            }
            escape(&paragraph, &mut cell.html);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ExtractError> {
        match e.local_name().as_ref() {
            "tbl" if !empty => {
                if self.tables.len() >= MAX_TABLE_DEPTH {
                    return Err(ExtractError::TablesTooDeep {
                        limit: MAX_TABLE_DEPTH,
                    });
                }
                self.flush_loose_text();
                self.tables.push(Table::default());
            }
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            "tc" if !empty => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Cell {
                        colspan: 1,
                        rowspan: 1,
                        ..Cell::default()
                    });
                }
            }
            "gridBefore" => {
                let n = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                if let Some(t) = self.tables.last_mut() {
                    t.grid_before = n;
                }
            }
            "gridSpan" => {
                let n: usize = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                if let Some(cell) = self.cell() {
                    cell.colspan = n.clamp(1, 1000);
                }
            }
            "vMerge" => {
                let restart = attr(e, "val").is_some_and(|v| v == "restart");
                if let Some(cell) = self.cell() {
                    cell.continues = !restart;
                }
            }
            "t" if !empty => self.in_text = true,
            "tab" => self.text("\t"),
            "br" | "cr" => {
                if self.tables.is_empty() {
                    self.text("\n");
                } else {
                    self.end_paragraph();
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "p" => self.end_paragraph(),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.finish_row();
                }
            }
            "tbl" => {
                if let Some(table) = self.tables.pop() {
                    let html = table.html();
                    if self.tables.is_empty() {
                        self.lines.push(html);
                    } else if let Some(cell) = self.cell() {
                        // A table inside a cell stays inside it.
                        cell.html.push_str(&html);
                    }
                }
            }
            _ => {}
        }
    }

    /// Text outside any paragraph before a table (malformed files) is not lost.
    fn flush_loose_text(&mut self) {
        if !self.paragraph.is_empty() {
            self.end_paragraph();
        }
    }
}

/// The lines of a `word/document.xml`, read as it streams in.
fn document_text(xml: impl BufRead) -> Result<String, Failure> {
    let mut reader = Reader::from_reader(xml);
    let mut walker = Walker::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| match &e {
            quick_xml::Error::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
                Failure::TooLarge
            }
            _ => Failure::Extract(bad(e)),
        })?;
        match event {
            Event::Start(e) => walker.start(&e, false)?,
            Event::Empty(e) => walker.start(&e, true)?,
            Event::End(e) => walker.end(e.local_name().as_ref()),
            Event::Text(t) if walker.in_text => {
                let text = t.xml10_content();
                walker.text(&text);
            }
            Event::CData(t) if walker.in_text => {
                let text = t.xml10_content();
                walker.text(&text);
            }
            Event::GeneralRef(r) if walker.in_text => {
                let resolved = match r.resolve_char_ref().map_err(bad)? {
                    Some(c) => c.to_string(),
                    None => match r.xml10_content().as_ref() {
                        "amp" => "&".to_owned(),
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "quot" => "\"".to_owned(),
                        "apos" => "'".to_owned(),
                        other => format!("&{other};"),
                    },
                };
                walker.text(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    walker.flush_loose_text();
    // Unclosed tables (a truncated file) still give what they hold.
    while let Some(table) = walker.tables.pop() {
        walker.lines.push(table.html());
    }
    Ok(walker.lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_cells_become_colspan_and_rowspan() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>
<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>B &amp; C</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:r><w:t>完</w:t></w:r></w:p>
</w:body></w:document>"#;
        let text = match document_text(xml.as_bytes()) {
            Ok(text) => text,
            Err(Failure::TooLarge) => panic!("too large"),
            Err(Failure::Extract(e)) => panic!("{e}"),
        };
        assert_eq!(
            text,
            "<p>一、总体情况</p>\n<table>\n<tr><td rowspan=\"2\">A</td><td colspan=\"2\">B &amp; C</td></tr>\n<tr><td>1</td><td>2</td></tr>\n</table>\n<p>完</p>"
        );
    }
}
