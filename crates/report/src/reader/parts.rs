//! The narrative of a report as read (`AnnualReport::narrative`): the opening before the first
//! heading (title lines aside), the bodies of parts 一, 五 and 六 without their headings, and the
//! closing signature and date (`2023年1月11日` → `2023-01-11`).
//!
//! Canonical form, whatever the input: paragraphs trimmed, one `\n` between paragraphs,
//! sub-heads (`（一）…`) on lines of their own, a paragraph's wrapped lines joined with no space
//! between Chinese characters. A line is taken as wrapped only where it does not end a sentence,
//! neither it nor the next is a sub-head, the next is not indented further, and it is about as
//! long as the longest line of the text (a page's width): text that prints one paragraph per
//! line keeps its lines.

use super::normalize;
use super::tokens::{self, Item, Kind};
use crate::model::Narrative;
use crate::render::is_subhead;

/// (line, column), both 1-based; a column of 1 is the line's start.
type Pos = (usize, usize);

/// A line of the text kept for the narrative: its leading indentation and its text, trimmed.
struct Line {
    indent: usize,
    text: String,
}

/// The narrative of the document, or `None` where it prints none (the tables alone).
///
/// `tables` are the item ranges of the tables' bodies; the headings of parts 一, 五 and 六 are
/// taken before the first table and after the last one (a table of contents may print them too).
pub fn narrative(
    lines: &[Vec<char>],
    items: &[Item],
    tables: &[(usize, usize)],
) -> Option<Narrative> {
    let first_table = tables.iter().map(|&(s, _)| s.saturating_sub(1)).min();
    let last_table = tables.iter().map(|&(_, e)| e).max();
    let headings: Vec<(usize, u8)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it.kind {
            Kind::Heading(n) => Some((i, n)),
            _ => None,
        })
        .collect();
    let pick = |n: u8| -> Option<usize> {
        let mut found = headings.iter().filter(|&&(_, h)| h == n).map(|&(i, _)| i);
        if n == 1 {
            found.rfind(|&i| first_table.is_none_or(|t| i < t))
        } else {
            found.find(|&i| last_table.is_none_or(|t| i >= t))
        }
    };
    // Each part's body: after its heading, up to the next heading of any kind.
    let body = |heading: usize| -> (Pos, Option<Pos>) {
        let next = headings
            .iter()
            .find(|&&(i, _)| i > heading)
            .map(|&(i, _)| start_of(lines, items, i));
        (end_of(lines, items, heading), next)
    };
    let opening_end = headings.first().map(|&(i, _)| start_of(lines, items, i));
    let mut texts: Vec<(&'static str, Vec<Line>, bool)> = Vec::new();
    let opening = drop_title(cut(lines, (1, 1), opening_end));
    texts.push(("opening", opening, opening_end.is_none()));
    for (key, n) in [("overview", 1), ("problems", 5), ("other_matters", 6)] {
        if let Some(h) = pick(n) {
            let (from, to) = body(h);
            texts.push((key, cut(lines, from, to), to.is_none()));
        }
    }
    let width = texts
        .iter()
        .flat_map(|(_, ls, _)| ls.iter().map(printed_width))
        .max()
        .unwrap_or(0);
    let mut narrative = Narrative::default();
    for (key, mut ls, at_end) in texts {
        // The signature and date close the document: they are sought in the part that ends it.
        if at_end && key != "opening" {
            let (signature, date) = closing(&mut ls);
            narrative.signature = signature;
            narrative.date = date;
        }
        let text = join(&ls, width);
        let slot = match key {
            "opening" => &mut narrative.opening,
            "overview" => &mut narrative.overview,
            "problems" => &mut narrative.problems,
            _ => &mut narrative.other_matters,
        };
        // The opening is what precedes the first heading: absent when nothing does. A part's
        // heading printed with nothing under it is a part printed empty.
        if key != "opening" || !text.is_empty() {
            *slot = Some(text);
        }
    }
    (!narrative.is_empty()).then_some(narrative)
}

/// Where heading item `i` starts, as a position in `lines`: the start of its line where the
/// line holds nothing else (Markdown's `##` aside).
fn start_of(lines: &[Vec<char>], items: &[Item], i: usize) -> Pos {
    let (line, start, _) = locate(lines, &items[i]);
    if alone(lines, &items[i]) {
        (line, 1)
    } else {
        (line, start)
    }
}

/// Where the body after heading item `i` starts: the next line where the heading's line holds
/// nothing else.
fn end_of(lines: &[Vec<char>], items: &[Item], i: usize) -> Pos {
    let (line, _, end) = locate(lines, &items[i]);
    if alone(lines, &items[i]) {
        (line + 1, 1)
    } else {
        (line, end)
    }
}

/// Whether a heading's line prints nothing but the heading (and Markdown's marks).
fn alone(lines: &[Vec<char>], item: &Item) -> bool {
    let Some(raw) = lines.get(item.line - 1) else {
        return false;
    };
    let text: String = raw
        .iter()
        .map(|&c| normalize::char(c))
        .filter(|c| !c.is_whitespace())
        .collect();
    text.trim_matches(['#', '*', '>']) == item.norm
}

/// The heading's columns in its raw line, `[start, end)`, 1-based. The item's own columns count
/// the characters of its whitespace-free text, so they drift where the line has spaces: the
/// heading is found again in the line, whitespace skipped, nearest its item's column.
fn locate(lines: &[Vec<char>], item: &Item) -> (usize, usize, usize) {
    let fallback = (item.line, item.col, item.end);
    let Some(raw) = lines.get(item.line - 1) else {
        return fallback;
    };
    let want: Vec<char> = item.norm.chars().collect();
    let mut best: Option<(usize, usize)> = None;
    for start in 0..raw.len() {
        let mut k = 0;
        let mut q = start;
        while k < want.len() && q < raw.len() {
            let c = normalize::char(raw[q]);
            if c.is_whitespace() && k > 0 {
                q += 1;
                continue;
            }
            if c != want[k] {
                break;
            }
            k += 1;
            q += 1;
        }
        if k == want.len() && !want.is_empty() {
            let nearer = best.is_none_or(|(b, _)| start.abs_diff(item.col) < b.abs_diff(item.col));
            if nearer {
                best = Some((start, q));
            }
        }
    }
    best.map_or(fallback, |(s, e)| (item.line, s + 1, e + 1))
}

/// The non-empty lines between two positions (`to` exclusive, `None` = the document's end),
/// page furniture and Markdown heading marks left out.
fn cut(lines: &[Vec<char>], from: Pos, to: Option<Pos>) -> Vec<Line> {
    let mut out = Vec::new();
    for (li, chars) in lines.iter().enumerate() {
        let ln = li + 1;
        if ln < from.0 || to.is_some_and(|t| ln > t.0) {
            continue;
        }
        let start = if ln == from.0 { from.1 - 1 } else { 0 };
        let end = match to {
            Some(t) if ln == t.0 => t.1 - 1,
            _ => chars.len(),
        };
        let piece: String = chars
            .get(start..end.max(start))
            .unwrap_or_default()
            .iter()
            .collect();
        if tokens::is_chrome(&piece) {
            continue;
        }
        let indent = piece
            .chars()
            .take_while(|c| normalize::char(*c) == ' ')
            .map(|c| if c == '\u{3000}' { 2 } else { 1 })
            .sum();
        let mut text = piece.trim();
        if text.starts_with('#') {
            text = text.trim_start_matches('#').trim_start();
        }
        if !text.is_empty() {
            out.push(Line {
                indent,
                text: text.to_owned(),
            });
        }
    }
    out
}

/// The opening without the title that leads it: `…年政府信息公开工作年度报告`, possibly after
/// the organ's name on a line of its own (a PDF's title page prints them apart).
fn drop_title(mut lines: Vec<Line>) -> Vec<Line> {
    let short =
        |l: &Line| !l.text.contains(['。', '，', ',', '；']) && l.text.chars().count() <= 80;
    let titled = |l: &Line| {
        short(l)
            && (l.text.ends_with("报告")
                || l.text.ends_with("年报")
                || (l.text.contains("年度报告") && l.text.chars().count() <= 40))
    };
    let Some(title) = lines.iter().take(3).position(titled) else {
        return lines;
    };
    if !lines[..title]
        .iter()
        .all(|l| short(l) && l.text.chars().count() <= 30)
    {
        return lines;
    }
    let more = lines[title + 1..].iter().take_while(|l| titled(l)).count();
    lines.drain(..=title + more);
    lines
}

/// Takes the closing signature and date off the end of a part's lines: a line that is only a
/// date, among the last few, with the organ's line before it; what follows the date (a site's
/// footer) is dropped. Without a date, a last line that names an organ and says nothing else.
fn closing(lines: &mut Vec<Line>) -> (Option<String>, Option<String>) {
    const TAIL: usize = 8;
    let from = lines.len().saturating_sub(TAIL);
    let dated = (from..lines.len())
        .rev()
        .find_map(|i| date(&lines[i].text).map(|d| (i, d)));
    if let Some((i, d)) = dated {
        lines.truncate(i);
        let signature = lines
            .last()
            .filter(|l| is_signature(&l.text, false))
            .map(|l| l.text.clone());
        if signature.is_some() {
            lines.pop();
        }
        return (signature, Some(d));
    }
    match lines.last() {
        Some(l) if lines.len() > 1 && is_signature(&l.text, true) => {
            let s = l.text.clone();
            lines.pop();
            (Some(s), None)
        }
        _ => (None, None),
    }
}

/// Whether a line can be the organ signing the report: short, no punctuation; without a date
/// under it, it must also end as an organ's name does.
fn is_signature(text: &str, undated: bool) -> bool {
    const ORGAN_ENDS: [char; 16] = [
        '府', '会', '局', '厅', '委', '院', '室', '处', '办', '部', '所', '站', '心', '队', '镇',
        '乡',
    ];
    let n = text.chars().count();
    (2..=40).contains(&n)
        && !is_subhead(text)
        && !text.contains(['。', '，', ',', '；', ';', '：', ':', '、', '！', '？'])
        && (!undated || text.ends_with(ORGAN_ENDS) || text.ends_with("街道"))
}

/// A line that is only a date, `2023年1月11日` or `二〇二三年一月十一日`, as `YYYY-MM-DD`.
fn date(text: &str) -> Option<String> {
    let t: String = text
        .chars()
        .map(normalize::char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let year = if y.chars().all(|c| c.is_ascii_digit()) && y.len() == 4 {
        y.parse().ok()?
    } else {
        chinese_digits(y)?
    };
    let (m, d) = (small_number(m)?, small_number(d)?);
    ((1900..=2200).contains(&year) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{year:04}-{m:02}-{d:02}"))
}

/// `二〇二三` digit by digit.
fn chinese_digits(text: &str) -> Option<u32> {
    if text.chars().count() != 4 {
        return None;
    }
    text.chars()
        .try_fold(0, |acc, c| Some(acc * 10 + digit(c)?))
}

fn digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .or_else(|| (c == '零' || c == 'O').then_some(0))
        .map(|p| p as u32)
}

/// `11`, `十一`, `二十`, `三十一`, `五`.
fn small_number(text: &str) -> Option<u32> {
    if !text.is_empty() && text.len() <= 2 && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [c] => digit(*c).filter(|&d| d > 0),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Width of a line in character cells: a Chinese character or full-width form takes two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Lines into paragraphs, one per line of the result (see the module's comment).
fn join(lines: &[Line], page_width: usize) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        let continues = open
            && i > 0
            && !is_subhead(&line.text)
            && line.indent <= lines[i - 1].indent
            && wrapped(&lines[i - 1], page_width);
        match paragraphs.last_mut() {
            Some(last) if continues => {
                if last.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && line.text.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    last.push(' ');
                }
                last.push_str(&line.text);
            }
            _ => paragraphs.push(line.text.clone()),
        }
        open = !is_subhead(&line.text);
    }
    paragraphs
        .iter()
        .map(|p| tidy(p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How far a line reaches across the page: its indentation and its text, the spaces a
/// justified line puts between Chinese characters not counted (they stretch it to the margin).
fn printed_width(line: &Line) -> usize {
    line.indent + display_width(&tidy(&line.text))
}

/// Whether a line was broken by the page, not by its writer: it does not end a sentence and
/// reaches (nearly) to the right margin.
fn wrapped(line: &Line, page_width: usize) -> bool {
    const ENDS: [char; 10] = ['。', '！', '？', '；', '：', '!', '?', ';', ':', '”'];
    !line.text.ends_with(ENDS) && printed_width(line) * 100 >= page_width * 80
}

/// Whitespace inside a paragraph: none between Chinese characters (a PDF's justified line),
/// one space elsewhere.
fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let run = chars[i..].iter().take_while(|c| c.is_whitespace()).count();
            let before = out.chars().last();
            let after = chars.get(i + run).copied();
            let cjk = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
            if !(cjk(before) && cjk(after)) && before.is_some() && after.is_some() {
                out.push(' ');
            }
            i += run;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_dates_in_digits_and_in_chinese() {
        assert_eq!(date("2023年1月11日").as_deref(), Some("2023-01-11"));
        assert_eq!(
            date(" ２０２３年１月１１日 ").as_deref(),
            Some("2023-01-11")
        );
        assert_eq!(date("二〇二三年一月十一日").as_deref(), Some("2023-01-11"));
        assert_eq!(
            date("二〇二四年三月三十一日").as_deref(),
            Some("2024-03-31")
        );
        assert_eq!(date("2023年13月1日"), None);
        assert_eq!(date("统计期限为2022年1月1日至2022年12月31日"), None);
    }

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                indent: t.chars().take_while(|c| *c == ' ').count(),
                text: t.trim().to_owned(),
            })
            .collect()
    }

    #[test]
    fn wrapped_lines_join_and_written_lines_stay() {
        // A page 20 characters wide: the first line runs to the edge without ending a sentence.
        let page = lines(&[
            "（一）主动公开情况",
            "主动公开政府信息388条，其中主动公开公",
            "文40篇。",
            "  同时推进财政预决算信息公开并主动接受",
            "社会监督。",
        ]);
        let width = page
            .iter()
            .map(|l| display_width(&l.text))
            .max()
            .unwrap_or(0);
        assert_eq!(
            join(&page, width),
            "（一）主动公开情况\n主动公开政府信息388条，其中主动公开公文40篇。\n\
             同时推进财政预决算信息公开并主动接受社会监督。"
        );
        // One paragraph per line, short lines without a full stop: kept apart.
        let written = lines(&["一是加强组织领导", "二是完善工作机制，推进公开"]);
        assert_eq!(
            join(&written, 60),
            "一是加强组织领导\n二是完善工作机制，推进公开"
        );
        assert_eq!(tidy("政府 信息  公开 2022 年"), "政府信息公开 2022 年");
    }

    #[test]
    fn a_title_page_is_not_the_opening() {
        let opening = |texts: &[&str]| {
            drop_title(lines(texts))
                .into_iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
        };
        // 洪泽区 2023 (PDF): the organ, then the title, then the opening's first wrapped line.
        assert_eq!(
            opening(&[
                "洪泽区人民政府",
                "2023 年政府信息公开工作年度报告",
                "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和",
                "国政府信息公开条例》要求编制此报告。",
            ]),
            [
                "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和",
                "国政府信息公开条例》要求编制此报告。"
            ]
        );
        assert_eq!(
            opening(&[
                "某局2022年政府信息公开工作年度报告",
                "根据《条例》规定，现公布本报告。"
            ]),
            ["根据《条例》规定，现公布本报告。"]
        );
        // No title: nothing dropped.
        assert_eq!(opening(&["根据《条例》规定，现公布本报告。"]).len(), 1);
    }

    #[test]
    fn the_signature_and_date_close_the_last_part() {
        let mut part = lines(&[
            "2022年度，经开区未产生信息处理费。",
            "呼伦贝尔经济技术开发区管委会",
            "2023年1月11日",
            "主办:呼伦贝尔经济技术开发区管理委员会 承办:呼伦贝尔经济技术开发区管理委员会",
        ]);
        assert_eq!(
            closing(&mut part),
            (
                Some("呼伦贝尔经济技术开发区管委会".to_owned()),
                Some("2023-01-11".to_owned())
            )
        );
        assert_eq!(part.len(), 1);
        let mut undated = lines(&["本年度未收取信息处理费。", "某县人民政府办公室"]);
        assert_eq!(
            closing(&mut undated).0.as_deref(),
            Some("某县人民政府办公室")
        );
        let mut plain = lines(&["本年度未收取信息处理费。", "其他事项另行报告"]);
        assert_eq!(closing(&mut plain), (None, None));
        assert_eq!(plain.len(), 2);
    }
}
