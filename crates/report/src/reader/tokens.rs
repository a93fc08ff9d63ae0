//! From lines of text to a stream of items — text, numbers, blank cells — each with the line
//! and character columns where it was printed.
//!
//! One tokenizer serves every delimited format: a line with `|` is split at the pipes (seed
//! pipes, Markdown, HTML rows flattened by [`super::html`]), a line with tabs at the tabs;
//! any other line at whitespace
//! (one cell per line, space-separated numbers, `pdftotext -layout` columns). Inside a cell,
//! digits printed against text (`规章000行政规范性文件8855698`) are cut from it, so that
//! cells run together are still found after their labels. Page furniture lines are dropped.

use super::normalize;

/// Words that follow a count: in a sentence (`收到申请3件，`) they mark a figure of the
/// narrative; alone after a number in a cell (`3件`), the cell's unit.
pub(crate) const COUNT_WORDS: &[char] =
    &['件', '条', '个', '项', '次', '人', '份', '起', '宗', '批'];

/// What an item is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Text: labels, headers, narrative.
    Text,
    /// A printed number: digits, maybe a sign and decimals, maybe a unit printed after it.
    Num {
        /// The number as printed, normalised to ASCII (`"-3"`, `"7730.28"`, `"713000074"`).
        digits: String,
        /// `元` or `万元` printed right after it.
        unit: Option<&'static str>,
    },
    /// A cell that prints no number: blank, `/`, `-`, `—`.
    Blank,
    /// A section heading of the report, by its number: 1 (一、总体情况) … 6 (六、其他需要报告的事项).
    Heading(u8),
}

/// One item of the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Normalised text without whitespace (for matching).
    pub norm: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based character column of the first character.
    pub col: usize,
    /// 1-based character column one past the last character.
    pub end: usize,
    /// Whether the item came from a `|`-delimited line.
    pub piped: bool,
}

impl Item {
    /// Whether the item is a number or a blank cell.
    pub fn is_value(&self) -> bool {
        matches!(self.kind, Kind::Num { .. } | Kind::Blank)
    }
}

/// The longest line (in characters, surrounding space aside) that may be a page number.
const MAX_CHROME_CHARS: usize = 40;

/// Why a line was dropped.
pub fn is_chrome(line: &str) -> bool {
    if browser_print_margin(line) {
        return true;
    }
    // Page numbers are short; a flip-book's page title starts with P. Anything else is content
    // (checked first: every line of every document passes here).
    let trimmed = line.trim();
    if trimmed.chars().nth(MAX_CHROME_CHARS).is_some()
        && !trimmed.starts_with(['P', 'p', 'Ｐ', 'ｐ'])
    {
        return false;
    }
    let t: String = normalize::text(line)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return false;
    }
    // -3-  — 3 —  - 3 -
    let inner = t.trim_matches(|c| matches!(c, '-' | '—' | '_' | '·'));
    if inner.len() < t.len()
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
        && t.starts_with(['-', '—', '_', '·'])
        && t.ends_with(['-', '—', '_', '·'])
    {
        return true;
    }
    // 第 3 页 / 共 9 页, 3/9
    if let Some(rest) = t.strip_prefix('第')
        && let Some((n, after)) = rest.split_once('页')
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
        && (after.is_empty() || after.starts_with('共') || after.starts_with(','))
    {
        return true;
    }
    // "3/9", "3 / 9": page 3 of 9 — not "1      /      1", a row of column-aligned cells.
    if let Some((a, b)) = t.split_once('/')
        && line.trim().chars().count() <= "123 / 456".len()
        && !a.is_empty()
        && !b.is_empty()
        && a.chars().all(|c| c.is_ascii_digit())
        && b.chars().all(|c| c.is_ascii_digit())
        && a.len() <= 3
        && b.len() <= 3
        && a.parse::<u32>().ok() <= b.parse::<u32>().ok()
    {
        return true;
    }
    // "P. 9", "Page 9 - …" (flip-book page furniture)
    let lower = t.to_ascii_lowercase();
    for p in ["page", "p."] {
        if let Some(rest) = lower.strip_prefix(p)
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            return true;
        }
    }
    false
}

/// The margins a browser prints on every page of a web page saved as PDF: the date and time
/// before the page's title (`11/28/26, 1:45 PM  某某局…`, `2026/11/28 13:45  …`) and the address
/// before the page number (`https://…/t2024.html   3/4`). Their numbers are no cells.
fn browser_print_margin(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    // The page's address, then its page number: the line starts with the address (a sentence
    // that merely quotes one, unbroken by spaces, is text).
    if first.starts_with("http://") || first.starts_with("https://") || first.starts_with("file://")
    {
        let rest: Vec<&str> = words.collect();
        return match rest[..] {
            [] => true,
            [page] => page.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.chars().all(|c| c.is_ascii_digit())
                    && b.chars().all(|c| c.is_ascii_digit())
            }),
            _ => false,
        };
    }
    // A date of digits and slashes or dashes, then a time.
    if !first.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let date = first.trim_end_matches(',');
    let parts: Vec<&str> = date.split(['/', '-']).collect();
    let is_date = parts.len() == 3
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
    let is_time = words.next().is_some_and(|t| {
        t.split_once(':').is_some_and(|(h, m)| {
            (1..=2).contains(&h.len())
                && h.chars().all(|c| c.is_ascii_digit())
                && m.len() >= 2
                && m.chars().take(2).all(|c| c.is_ascii_digit())
        })
    });
    is_date && is_time
}

/// `<br>`, `<br/>`, `<br />` left in Markdown cells (`商业<br>企业`) become spaces, as many as
/// their characters, so that columns stay where they were printed.
fn blank_line_breaks(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '<'
            && chars
                .get(i + 1)
                .is_some_and(|c| c.eq_ignore_ascii_case(&'b'))
            && chars
                .get(i + 2)
                .is_some_and(|c| c.eq_ignore_ascii_case(&'r'))
        {
            let rest = &chars[i + 3..];
            let len = match rest {
                ['>', ..] => Some(4),
                ['/', '>', ..] => Some(5),
                [' ', '/', '>', ..] => Some(6),
                _ => None,
            };
            if let Some(n) = len {
                chars[i..i + n].fill(' ');
                i += n;
                continue;
            }
        }
        i += 1;
    }
}

/// A PDF's running head (`某某局2025年政府信息公开工作年度报告` atop every page) printed more
/// than once: page furniture, which may fall between a wrapped label and its numbers. (The
/// title is found in the text itself, not in the items.)
fn running_heads(text: &str) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in text.lines() {
        if line.contains('|') {
            continue;
        }
        let k = normalize::key(line);
        if k.chars().count() <= 60
            && k.contains("政府信息公开")
            && (k.contains("报告") || k.contains("年报"))
        {
            *seen.entry(k).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(k, _)| k)
        .collect()
}

/// Whether a line is a Markdown table's separator row (`|---|:--:|`), a grid table's border
/// (`+----+====+`) or a border drawn with box characters (`├──┼──┤`).
fn is_markdown_rule(line: &str) -> bool {
    let t = line.trim();
    let boxed = |c: char| ('\u{2500}'..='\u{257F}').contains(&c);
    (t.contains('-') && (t.contains('|') || t.contains('+'))
        || t.contains('=') && t.contains('+')
        || t.chars().any(boxed))
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | '=' | ':' | ' ' | '\t' | '+') || boxed(c))
}

/// Splits text into items. Lines are numbered from 1.
pub fn tokenize(text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let heads = running_heads(text);
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        if is_chrome(raw) || is_markdown_rule(raw) {
            continue;
        }
        if !heads.is_empty() && heads.contains(&normalize::key(raw)) {
            continue;
        }
        let mut chars: Vec<char> = raw.chars().map(normalize::char).collect();
        blank_line_breaks(&mut chars);
        if chars.contains(&'|') {
            pipe_line(&chars, line_no, true, false, &mut out);
        } else if let Some(fields) = csv_fields(raw) {
            // Comma-separated cells (a table saved as CSV): like tabs, but quoted fields may hold
            // commas of their own (`"1,234"`).
            if is_column_index(&fields) {
                continue;
            }
            let mut cells: Vec<char> = Vec::new();
            for (k, field) in fields.iter().enumerate() {
                if k > 0 {
                    cells.push('|');
                }
                cells.extend(field.chars().map(normalize::char));
            }
            pipe_line(&cells, line_no, false, true, &mut out);
        } else if raw.matches('\t').count() >= 2 {
            // Tab-separated cells (copied from a spreadsheet): consecutive tabs are blank cells.
            let cells: Vec<char> = raw
                .chars()
                .map(|c| if c == '\t' { '|' } else { normalize::char(c) })
                .collect();
            pipe_line(&cells, line_no, false, true, &mut out);
        } else {
            space_line(&chars, line_no, &mut out);
        }
    }
    out
}

/// `tabs`: the separators were tabs, which a spreadsheet puts only between cells (N cells, N-1
/// tabs), so an empty piece after the last one is a blank cell, not the line's end.
fn pipe_line(chars: &[char], line: usize, markdown: bool, tabs: bool, out: &mut Vec<Item>) {
    // Piece boundaries: [start, end) between pipes.
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '|' {
            pieces.push((start, i));
            start = i + 1;
        }
    }
    pieces.push((start, chars.len()));
    let blank = |&(s, e): &(usize, usize)| chars[s..e].iter().all(|c| c.is_whitespace());
    // The piece after the last pipe and the one before a leading pipe are line ends, not cells.
    if !tabs && pieces.last().is_some_and(blank) {
        pieces.pop();
    }
    // Markdown opens a row with a pipe at the margin; " | 5 |" opens with a blank cell.
    let leading = markdown && chars.first() == Some(&'|');
    if leading && pieces.first().is_some_and(blank) {
        pieces.remove(0);
    }
    for (s, e) in pieces {
        let cell = &chars[s..e];
        let first = cell.iter().position(|c| !c.is_whitespace());
        match first {
            None => out.push(Item {
                kind: Kind::Blank,
                norm: String::new(),
                line,
                col: s + 1,
                end: e + 1,
                piped: true,
            }),
            Some(f) => {
                let last = cell.iter().rposition(|c| !c.is_whitespace()).unwrap_or(f);
                cell_items(&cell[f..=last], line, s + f, true, out);
            }
        }
    }
}

fn space_line(chars: &[char], line: usize, out: &mut Vec<Item>) {
    let first = out.len();
    space_cells(chars, line, out);
    // Layout text prints the unit of an amount apart from it ("1207.9 万元"): it belongs to the
    // number, like "1207.9万元".
    let mut k = first;
    while k + 1 < out.len() {
        let unit = match out[k + 1].norm.as_str() {
            "万元" => Some("万元"),
            "元" => Some("元"),
            _ => None,
        };
        // "12 件" in layout text: the count word printed apart from its count, ending the line
        // or followed by the next cell's number.
        let apart = &out[k + 1];
        if matches!(out[k].kind, Kind::Num { .. })
            && matches!(apart.kind, Kind::Text)
            && (out[k].end + 1..=out[k].end + 2).contains(&apart.col)
            && apart.norm.chars().count() == 1
            && apart.norm.starts_with(COUNT_WORDS)
            && out.get(k + 2).is_none_or(Item::is_value)
        {
            out.remove(k + 1);
            continue;
        }
        let text_after = matches!(out[k + 1].kind, Kind::Text);
        if let (
            Some(u),
            true,
            Kind::Num {
                unit: slot @ None, ..
            },
        ) = (unit, text_after, &mut out[k].kind)
        {
            *slot = Some(u);
            out.remove(k + 1);
        }
        k += 1;
    }
}

fn space_cells(chars: &[char], line: usize, out: &mut Vec<Item>) {
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        cell_items(&chars[s..i], line, s, false, out);
    }
}

/// A whole cell that is a null marker.
fn is_null_marker(cell: &[char]) -> bool {
    let s: String = cell.iter().filter(|c| !c.is_whitespace()).collect();
    matches!(
        s.as_str(),
        "/" | "-" | "—" | "——" | "--" | "\\" | "/ " | "－" | "…" | "-/-" | "无" | "*"
    )
}

/// Splits one cell (no surrounding whitespace) into text and number items.
fn cell_items(cell: &[char], line: usize, offset: usize, piped: bool, out: &mut Vec<Item>) {
    if is_null_marker(cell) {
        out.push(Item {
            kind: Kind::Blank,
            norm: cell.iter().collect(),
            line,
            col: offset + 1,
            end: offset + cell.len() + 1,
            piped,
        });
        return;
    }
    // "2." or "2、" alone: the numbering of a label whose text a layout put elsewhere, no count.
    if let [digits @ .., '.' | '、'] = cell
        && (1..=2).contains(&digits.len())
        && digits.iter().all(char::is_ascii_digit)
    {
        out.push(Item {
            kind: Kind::Text,
            norm: cell.iter().collect(),
            line,
            col: offset + 1,
            end: offset + cell.len() + 1,
            piped,
        });
        return;
    }
    // 本年增/减 printed in words or with a dash: "减少2" is -2, "增加5" is 5, "—1" is -1.
    if let Some((negative, rest)) = signed_in_words(cell) {
        let mut signed: Vec<char> = Vec::with_capacity(rest.len() + 1);
        if negative {
            signed.push('-');
        }
        signed.extend_from_slice(rest);
        let skipped = cell.len() - rest.len() - usize::from(negative);
        cell_items(&signed, line, offset + skipped, piped, out);
        return;
    }
    // Runs: (start, end, is_number).
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while i < cell.len() {
        let c = cell[i];
        let starts_number = c.is_ascii_digit()
            || (matches!(c, '-' | '+')
                && i == 0
                && cell.get(1).is_some_and(|d| d.is_ascii_digit()));
        if starts_number {
            let s = i;
            i += 1;
            while i < cell.len() {
                let d = cell[i];
                let next_digit = cell.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if d.is_ascii_digit()
                    || (d == '.' && next_digit)
                    || (d == ',' && thousands(cell, i))
                {
                    i += 1;
                } else {
                    break;
                }
            }
            runs.push((s, i, true));
        } else {
            let s = i;
            while i < cell.len() && !cell[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i, false));
        }
    }
    // A number run followed by ".text" gives its last digit to the text: `00000002.其他…`
    // is the row `0000000` then the label `2.其他…`.
    for k in 0..runs.len().saturating_sub(1) {
        let (s, e, num) = runs[k];
        let (ns, ne, next_num) = runs[k + 1];
        if num
            && !next_num
            && ns == e
            && matches!(cell.get(ns), Some('.' | '、'))
            && cell.get(ns + 1).is_some_and(|c| !c.is_ascii_digit())
            && e > s
            && cell[e - 1].is_ascii_digit()
            && !cell[s..e].contains(&'.')
        {
            runs[k] = (s, e - 1, true);
            runs[k + 1] = (e - 1, ne, false);
        }
    }
    // "3件", "12 件": a whole cell that is a count and its count word, as some tables print
    // every cell. (In a sentence the word is followed by more text: `3件，其中…`.)
    if let [(0, _, true), (s, e, false)] = runs[..]
        && is_count_word(&cell[s..e])
    {
        runs.pop();
    }
    let mut pending_unit: Option<usize> = None;
    for (idx, &(s, e, num)) in runs.iter().enumerate() {
        if s >= e {
            continue;
        }
        let mut s = s;
        if let Some(skip) = pending_unit.take() {
            s += skip;
            if s >= e {
                continue;
            }
        }
        let slice = &cell[s..e];
        if num {
            let digits: String = slice.iter().filter(|c| **c != ',').collect();
            // A unit printed right after the number belongs to it.
            let mut unit = None;
            if let Some(&(ns, ne, false)) = runs.get(idx + 1) {
                let next = &cell[ns..ne];
                // "1207.9 万元": a space may stand between the number and its unit.
                let gap = next.iter().take_while(|c| **c == ' ').count();
                let next = &next[gap..];
                if next.starts_with(&['万', '元']) {
                    unit = Some("万元");
                    pending_unit = Some(gap + 2);
                } else if next.starts_with(&['元']) {
                    unit = Some("元");
                    pending_unit = Some(gap + 1);
                }
            }
            out.push(Item {
                kind: Kind::Num {
                    digits: digits.clone(),
                    unit,
                },
                norm: digits,
                line,
                col: offset + s + 1,
                end: offset + e + 1,
                piped,
            });
        } else {
            // Markdown emphasis (`**规章**`) is not part of a label.
            let norm: String = slice
                .iter()
                .filter(|c| !c.is_whitespace() && **c != '*')
                .collect();
            if norm.is_empty() {
                continue;
            }
            out.push(Item {
                kind: Kind::Text,
                norm,
                line,
                col: offset + s + 1,
                end: offset + e + 1,
                piped,
            });
        }
    }
}

/// Whether `text` is one count word and nothing else but whitespace.
fn is_count_word(text: &[char]) -> bool {
    let mut words = text.iter().filter(|c| !c.is_whitespace());
    matches!((words.next(), words.next()), (Some(c), None) if COUNT_WORDS.contains(c))
}

/// A cell that prints a change in words or with a dash (`减少2`, `减 2`, `增加5`, `—1`): whether
/// it is negative, and the rest from the first digit. A count word may follow the digits.
fn signed_in_words(cell: &[char]) -> Option<(bool, &[char])> {
    // Every cell passes here: the prefixes are characters already, nothing is allocated.
    const PREFIXES: [(&[char], bool); 5] = [
        (&['减', '少'], true),
        (&['减'], true),
        (&['增', '加'], false),
        (&['增'], false),
        (&['—'], true),
    ];
    let (prefix, negative) = PREFIXES
        .iter()
        .find_map(|(p, neg)| cell.starts_with(p).then_some((p.len(), *neg)))?;
    let rest = &cell[prefix..];
    let gap = rest.iter().take_while(|c| c.is_whitespace()).count();
    let rest = &rest[gap..];
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    // A dash stands for minus only right against the digits; "— 1" is something else.
    if digits == 0 || (prefix == 1 && negative && gap > 0 && cell[0] == '—') {
        return None;
    }
    let after = &rest[digits..];
    (after.is_empty() || is_count_word(after)).then_some((negative, rest))
}

/// The fields of a line of comma-separated cells, or `None` if the line is not one: at least
/// two commas outside quotes, a field that is a number (or every field one), at least one comma
/// that cannot be a thousands separator, and no full stop (a sentence with ASCII commas).
fn csv_fields(raw: &str) -> Option<Vec<String>> {
    if raw.matches(',').count() < 2 || raw.contains('。') {
        return None;
    }
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut()?.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut()?.push(c),
        }
    }
    if fields.len() < 3 {
        return None;
    }
    let is_number = |f: &str| {
        let t = f.trim();
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
            && t.chars().any(|c| c.is_ascii_digit())
    };
    // `1,234,567` alone is one number, not three cells.
    let digits = |f: &String, len: std::ops::RangeInclusive<usize>| {
        len.contains(&f.len()) && f.chars().all(|c| c.is_ascii_digit())
    };
    let unquoted_thousands =
        digits(&fields[0], 1..=3) && fields.iter().skip(1).all(|f| digits(f, 3..=3));
    if unquoted_thousands || !fields.iter().any(|f| is_number(f)) {
        return None;
    }
    Some(fields)
}

/// `0,1,2,…,n`: the column numbers a CSV export prints above a table.
fn is_column_index(fields: &[String]) -> bool {
    fields
        .iter()
        .enumerate()
        .all(|(i, f)| f.trim() == i.to_string())
}

/// `1,234`: a comma followed by exactly three digits.
fn thousands(cell: &[char], i: usize) -> bool {
    i > 0
        && cell[i - 1].is_ascii_digit()
        && cell.len() >= i + 4
        && cell[i + 1..i + 4].iter().all(|c| c.is_ascii_digit())
        && cell.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(items: &[Item]) -> String {
        items
            .iter()
            .map(|i| match &i.kind {
                Kind::Text => format!("T:{}", i.norm),
                Kind::Num { digits, unit } => format!("N:{digits}{}", unit.unwrap_or("")),
                Kind::Blank => format!("B:{}", i.norm),
                Kind::Heading(n) => format!("H{n}:{}", i.norm),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn seed_pipes_keep_blank_cells_and_drop_line_ends() {
        let items = tokenize("行政许可 | 0 | ||\n| a | 1 |  |");
        assert_eq!(show(&items), "T:行政许可 N:0 B: B: T:a N:1 B:");
    }

    #[test]
    fn digits_run_together_are_cut_from_labels() {
        let items = tokenize("规章000行政规范性文件8855698 1.属于国家秘密00000002.其他");
        assert_eq!(
            show(&items),
            "T:规章 N:000 T:行政规范性文件 N:8855698 T:1.属于国家秘密 N:0000000 T:2.其他"
        );
        let items = tokenize("政府集中采购13575394432.52元三、收到");
        assert_eq!(show(&items), "T:政府集中采购 N:13575394432.52元 T:三、收到");
        // The unit printed apart, in a cell or in layout text.
        let items =
            tokenize("政府集中采购 | 44 | 1207.9 万元 |\n政府集中采购    44     1207.9 万元");
        assert_eq!(
            show(&items),
            "T:政府集中采购 N:44 N:1207.9万元 T:政府集中采购 N:44 N:1207.9万元"
        );
    }

    #[test]
    fn line_breaks_left_in_markdown_cells_are_spaces() {
        let items = tokenize("| 商业<br>企业 | 2.其他法律<BR/>行政法规禁止公开 | 3 <br />|");
        assert_eq!(show(&items), "T:商业企业 T:2.其他法律行政法规禁止公开 N:3");
    }

    #[test]
    fn tabs_delimit_cells_like_pipes() {
        let items = tokenize("（一）予以公开\t258\t\t3\t");
        assert_eq!(show(&items), "T:(一)予以公开 N:258 B: N:3 B:");
        // A row of 表四 copied from a spreadsheet ends in blank cells.
        let items = tokenize("1\t\t\t\t1\t\t");
        assert_eq!(show(&items), "N:1 B: B: B: N:1 B: B:");
    }

    #[test]
    fn cells_that_print_a_count_word_are_counts() {
        let items = tokenize("行政规范性文件 3件 1件 12 件\n规章 | 0件 | 0 件 |");
        assert_eq!(show(&items), "T:行政规范性文件 N:3 N:1 N:12 T:规章 N:0 N:0");
        // In a sentence the count word stays text: the reader knows it is narrative.
        let items = tokenize("共收到申请3件，办结2件");
        assert_eq!(show(&items), "T:共收到申请 N:3 T:件,办结 N:2 T:件");
    }

    #[test]
    fn changes_printed_in_words_keep_their_sign() {
        let items =
            tokenize("其他对外管理服务事项\t10\t减少2\t15\n行政强制 | 5 | 增加5 | —1 | 减 3件 |");
        assert_eq!(
            show(&items),
            "T:其他对外管理服务事项 N:10 N:-2 N:15 T:行政强制 N:5 N:5 N:-1 N:-3"
        );
        // A dash alone is a blank cell; a dash before a spaced number is not a sign.
        let items = tokenize("行政强制 | — | — 1 |");
        assert_eq!(show(&items), "T:行政强制 B:— T:— N:1");
    }

    #[test]
    fn comma_separated_rows_are_cells() {
        let items = tokenize(
            "0,1,2,3\n行政许可,512,512,512\n总计,\"1,234\",,7\n共收到申请3件,办结2件,结转1件",
        );
        assert_eq!(
            show(&items),
            "T:行政许可 N:512 N:512 N:512 T:总计 N:1234 B: N:7 \
             T:共收到申请 N:3 T:件,办结 N:2 T:件,结转 N:1 T:件"
        );
        // A number with thousands separators is not a row of cells.
        assert_eq!(show(&tokenize("1,234,567")), "N:1234567");
    }

    #[test]
    fn tables_drawn_with_box_characters_are_pipes() {
        let items =
            tokenize("┌────┬──┐\n│规章      │0   │-1  │\n├────┼──┤\n+----+====+\n│行政处罚│4│");
        assert_eq!(show(&items), "T:规章 N:0 N:-1 T:行政处罚 N:4");
    }

    #[test]
    fn item_numbers_alone_are_not_counts() {
        let items = tokenize("重复申请\n2.      25   0   0   0   0   0   25");
        assert_eq!(
            show(&items),
            "T:重复申请 T:2. N:25 N:0 N:0 N:0 N:0 N:0 N:25"
        );
    }

    #[test]
    fn a_row_of_one_slash_and_two_ones_is_no_page_number() {
        assert!(is_chrome("   3 / 9"));
        assert!(!is_chrome("        1          /            1"));
    }

    #[test]
    fn a_browsers_print_margins_are_chrome() {
        assert!(is_chrome(
            "11/28/26, 1:45 PM        某某局2023年政府信息公开工作年度报告-门户网站"
        ));
        assert!(is_chrome(
            "2026/11/28 13:45   某某局2023年政府信息公开工作年度报告"
        ));
        assert!(is_chrome("file:///srv/report.html               3/4"));
        assert!(is_chrome(
            "https://www.example.gov.cn/art/2024/1/26/art_1.html   12/14"
        ));
        assert!(!is_chrome("https://www.example.gov.cn 共收到申请 3 件"));
        assert!(!is_chrome("2023/1/1 至 2023/12/31 统计"));
    }

    #[test]
    fn page_numbers_are_chrome() {
        assert!(is_chrome("     -2-"));
        assert!(is_chrome("第 3 页"));
        assert!(is_chrome("P. 9"));
        assert!(is_chrome("   3 / 9"));
        assert!(!is_chrome("9/3"));
        assert!(!is_chrome("0"));
        assert!(!is_chrome("2.重复申请"));
    }
}
