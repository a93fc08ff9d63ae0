//! HTML to lines: a small tolerant tag scanner, not a browser. Each `<tr>` becomes one line of
//! cells joined by ` | ` (a merged cell once, where it starts); headings, paragraphs and line breaks become lines; scripts and styles
//! are dropped; entities are decoded. Unclosed or broken markup never fails: what cannot be a
//! tag is text. No stack of open elements is kept (only the row and the cell being read), so
//! nesting of any depth costs linear time and constant state.

/// Whether the text is HTML (a page, or a fragment with table markup).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<table")
        || head.contains("<tr")
        || head.contains("<td")
        || head.contains("<html")
        || head.contains("<!doctype html")
        || head.contains("<section")
        || head.contains("<p>")
        || head.contains("<div")
}

/// Block-level tags: their start and end break lines.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "title",
    "table",
    "caption",
    "hr",
    "blockquote",
    "pre",
    "body",
    "html",
];

struct Row {
    cells: Vec<(String, usize)>,
}

/// Converts HTML to text lines.
pub fn to_text(html: &str) -> String {
    let chars: Vec<char> = html.chars().collect();
    let mut out = String::new();
    let mut line = String::new();
    let mut row: Option<Row> = None;
    let mut cell: Option<(String, usize)> = None;
    let mut skip_until: Option<&'static str> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            // Comments.
            if chars[i..].starts_with(&['<', '!', '-', '-']) {
                i = chars[i + 4..]
                    .windows(3)
                    .position(|w| w == ['-', '-', '>'])
                    .map_or(chars.len(), |p| i + 4 + p + 3);
                continue;
            }
            let Some(close) = chars[i + 1..].iter().position(|&c| c == '>' || c == '<') else {
                // No '>' anywhere after: the rest is text (and no later '<' can be a tag).
                for &c in &chars[i..] {
                    push_text(&mut line, &mut cell, c);
                }
                break;
            };
            if chars[i + 1 + close] == '<' {
                // "a < b <td>": this '<' opens no tag.
                push_text(&mut line, &mut cell, c);
                i += 1;
                continue;
            }
            let tag: String = chars[i + 1..i + 1 + close].iter().collect();
            i += close + 2;
            let (closing, name, attrs) = parse_tag(&tag);
            if let Some(until) = skip_until {
                if closing && name == until {
                    skip_until = None;
                }
                continue;
            }
            match (closing, name.as_str()) {
                (false, "script") => skip_until = Some("script"),
                (false, "style") => skip_until = Some("style"),
                (false, "tr") => {
                    flush_row(&mut out, &mut row, &mut cell);
                    flush_line(&mut out, &mut line);
                    row = Some(Row { cells: Vec::new() });
                }
                (false, "table") if cell.is_some() => {
                    // A table inside a cell: the outer one lays out the page, its cell is text.
                    unwrap_container(&mut out, &mut row, &mut cell);
                }
                (true, "tr") | (_, "table") | (true, "tbody") | (true, "thead") => {
                    flush_row(&mut out, &mut row, &mut cell);
                }
                (false, "td" | "th") => {
                    close_cell(&mut out, &mut row, &mut cell);
                    if row.is_none() {
                        flush_line(&mut out, &mut line);
                        row = Some(Row { cells: Vec::new() });
                    }
                    let span = attr(&attrs, "colspan")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                    cell = Some((String::new(), span));
                }
                (true, "td" | "th") => close_cell(&mut out, &mut row, &mut cell),
                (_, n) if BLOCKS.contains(&n) => {
                    if let Some((text, _)) = cell.as_mut() {
                        text.push('\n');
                    } else {
                        flush_line(&mut out, &mut line);
                    }
                }
                _ => {}
            }
            continue;
        }
        if skip_until.is_some() {
            i += 1;
            continue;
        }
        if c == '&' {
            let rest: String = chars[i..chars.len().min(i + 12)].iter().collect();
            if let Some(end) = rest.find(';')
                && let Some(decoded) = entity(&rest[1..end])
            {
                push_text(&mut line, &mut cell, decoded);
                i += rest[..=end].chars().count();
                continue;
            }
        }
        if c == '\n' && cell.is_none() {
            // Text between tags keeps its lines (DOCX paragraphs come as lines).
            flush_line(&mut out, &mut line);
        } else {
            push_text(&mut line, &mut cell, c);
        }
        i += 1;
    }
    flush_row(&mut out, &mut row, &mut cell);
    flush_line(&mut out, &mut line);
    out
}

fn push_text(line: &mut String, cell: &mut Option<(String, usize)>, c: char) {
    let c = if c == '\n' || c == '\r' || c == '\t' {
        ' '
    } else {
        c
    };
    match cell {
        // A pipe inside a cell would split it.
        Some((text, _)) => text.push(if c == '|' { '/' } else { c }),
        None => line.push(c),
    }
}

/// Longer than any cell of the report's tables: a cell that lays out a page of text.
const CONTAINER_CHARS: usize = 200;

fn close_cell(out: &mut String, row: &mut Option<Row>, cell: &mut Option<(String, usize)>) {
    if let Some((text, span)) = cell.take() {
        if text.chars().count() > CONTAINER_CHARS {
            *cell = Some((text, span));
            unwrap_container(out, row, cell);
            return;
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        row.get_or_insert(Row { cells: Vec::new() })
            .cells
            .push((text, span));
    }
}

/// A layout cell and the row it sits in become lines of text, one per paragraph.
fn unwrap_container(out: &mut String, row: &mut Option<Row>, cell: &mut Option<(String, usize)>) {
    let mut lines: Vec<String> = row
        .take()
        .map(|r| r.cells.into_iter().map(|(t, _)| t).collect())
        .unwrap_or_default();
    if let Some((text, _)) = cell.take() {
        lines.extend(text.split('\n').map(str::to_owned));
    }
    for mut l in lines {
        flush_line(out, &mut l);
    }
}

fn flush_row(out: &mut String, row: &mut Option<Row>, cell: &mut Option<(String, usize)>) {
    close_cell(out, row, cell);
    if let Some(r) = row.take() {
        if r.cells.is_empty() {
            return;
        }
        // A merged cell is one cell: padding it would put blank cells between a row's label
        // and its numbers.
        let parts: Vec<String> = r.cells.into_iter().map(|(text, _)| text).collect();
        out.push_str(&parts.join(" | "));
        out.push_str(" |\n");
    }
}

fn flush_line(out: &mut String, line: &mut String) {
    let t = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if !t.is_empty() {
        out.push_str(&t);
        out.push('\n');
    }
    line.clear();
}

/// (closing, lower-case name, attribute text).
fn parse_tag(tag: &str) -> (bool, String, String) {
    let t = tag.trim();
    let (closing, t) = match t.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let name_end = t
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(t.len());
    let name = t[..name_end].to_ascii_lowercase();
    (closing, name, t[name_end..].to_owned())
}

/// The value of attribute `name` (quoted or not).
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(name) {
        let at = from + p;
        from = at + name.len();
        let before_ok =
            at == 0 || !lower[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-');
        let rest = attrs[at + name.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(value.to_owned());
    }
    None
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "mdash" => '—',
        "ndash" => '–',
        "middot" => '·',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_pipe_lines() {
        let html = "<h2>二、主动公开政府信息情况</h2><table><tr><td colspan=\"4\">第二十条第（一）项</td></tr>\
                    <tr><td>规章</td><td>1</td><td></td><td>&nbsp;3</td></tr></table><p>五、</p>";
        assert_eq!(
            to_text(html),
            "二、主动公开政府信息情况\n第二十条第（一）项 |\n规章 | 1 |  | 3 |\n五、\n"
        );
    }

    #[test]
    fn a_table_laying_out_the_page_is_not_a_report_table() {
        let html = "<table><tr><td>导航</td><td><p>一、总体情况</p><p>正文。</p>\
                    <table><tr><td>规章</td><td>0</td></tr></table><p>五、</p></td></tr></table>";
        assert_eq!(
            to_text(html),
            "导航\n一、总体情况\n正文。\n规章 | 0 |\n五、\n"
        );
    }

    #[test]
    fn html_nesting_is_bounded() {
        // The scanner keeps no stack of open elements, only the row and cell it is in, so depth
        // costs nothing: 200 000 nested tables (a cell inside each) are the one innermost row,
        // and as many divs one line.
        let n = 200_000;
        let tables = format!(
            "{}x{}",
            "<table><tr><td>".repeat(n),
            "</td></tr></table>".repeat(n)
        );
        let start = std::time::Instant::now();
        assert_eq!(to_text(&tables), "x |\n");
        let divs = format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(to_text(&divs), "x\n");
        // A cell opened inside an unclosed cell is its sibling: one row, not 200 000 levels.
        let unclosed = "<td><p>".repeat(n);
        assert_eq!(to_text(&unclosed).lines().count(), 1);
        // Linear: well under a second in a debug build; a quadratic scan would take minutes.
        let elapsed = start.elapsed();
        assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
    }

    #[test]
    fn broken_markup_is_text() {
        assert_eq!(to_text("a <b"), "a <b\n");
        assert_eq!(to_text("<td>x"), "x |\n");
    }
}
