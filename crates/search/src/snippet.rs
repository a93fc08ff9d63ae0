//! Highlighted titles and snippets, as HTML: text escaped, matches in `<em>`.
//!
//! Computed here, against the stored field, rather than with tantivy's `SnippetGenerator`,
//! whose highlight ranges are relative to the fragment and which once sliced inside a
//! character (spec/workflows.md §6, issue 3). Every range is a byte range found by walking the
//! text's own characters, so each cut is on a character boundary by construction; slicing uses
//! `str::get` all the same.
//!
//! Matching compares characters folded the way the index folds them (full-width to ASCII,
//! lower case), so a query for `abc` marks `ＡＢＣ`. A term of Han characters is marked wherever
//! it occurs (a reader expects that, even where jieba cut differently); a term that starts or
//! ends with an ASCII letter or digit only at word boundaries, so `ai` does not mark `main`.

use std::ops::Range;

use crate::html::escape_into;
use crate::tokenize::fold_width;

/// Characters of body text shown around the best place.
pub(crate) const SNIPPET_CHARS: usize = 120;
/// Of those, how many come before the first match of the window.
const LEAD_CHARS: usize = 20;
/// Matches beyond this are not looked for (the window is chosen among the first ones).
const MAX_MATCHES: usize = 256;
/// Bytes of a body searched for matches; a snippet of a very long body comes from its start.
const MAX_SCAN_BYTES: usize = 256 * 1024;

/// The character as highlighting compares it.
pub(crate) fn fold(c: char) -> char {
    let c = fold_width(c);
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if c.is_uppercase() {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// A match: its bytes, and which terms it covers (bit k = term k).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mark {
    bytes: Range<usize>,
    terms: u64,
}

/// All of `text`, escaped, with every match marked.
pub(crate) fn highlight(text: &str, terms: &[String]) -> String {
    let marks = marks(text, terms);
    let mut out = String::with_capacity(text.len() + 16 * marks.len());
    write_window(&mut out, text, 0..text.len(), &marks);
    out
}

/// About [`SNIPPET_CHARS`] characters of `text` around the place with the most different
/// terms (the start if none matches), escaped and marked, with `…` where text was cut off.
pub(crate) fn snippet(text: &str, terms: &[String]) -> String {
    let marks = marks(text, terms);
    let window = best_window(text, &marks, SNIPPET_CHARS);
    let mut out = String::with_capacity(4 * SNIPPET_CHARS);
    if window.start > 0 {
        out.push('…');
    }
    write_window(&mut out, text, window.clone(), &marks);
    if window.end < text.len() {
        out.push('…');
    }
    out
}

fn write_window(out: &mut String, text: &str, window: Range<usize>, marks: &[Mark]) {
    let mut at = window.start;
    for mark in marks {
        let from = mark.bytes.start.max(window.start);
        let to = mark.bytes.end.min(window.end);
        if from >= to || from < at {
            continue;
        }
        escape_into(out, text.get(at..from).unwrap_or_default());
        out.push_str("<em>");
        escape_into(out, text.get(from..to).unwrap_or_default());
        out.push_str("</em>");
        at = to;
    }
    escape_into(out, text.get(at..window.end).unwrap_or_default());
}

/// The matches of `terms` in `text`, sorted, overlapping and touching ones merged.
fn marks(text: &str, terms: &[String]) -> Vec<Mark> {
    let terms: Vec<Vec<char>> = terms
        .iter()
        .take(64)
        .map(|t| t.chars().collect::<Vec<char>>())
        .filter(|t| !t.is_empty())
        .collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Mark> = Vec::new();
    let mut previous: Option<char> = None;
    for (start, c) in text.char_indices() {
        if start >= MAX_SCAN_BYTES || found.len() >= MAX_MATCHES {
            break;
        }
        let first = fold(c);
        for (k, term) in terms.iter().enumerate() {
            if term[0] != first {
                continue;
            }
            if term[0].is_ascii_alphanumeric()
                && previous.is_some_and(|p| fold(p).is_ascii_alphanumeric())
            {
                continue;
            }
            if let Some(end) = match_at(text, start, term) {
                found.push(Mark {
                    bytes: start..end,
                    terms: 1 << k,
                });
            }
        }
        previous = Some(c);
    }
    found.sort_by_key(|m| (m.bytes.start, m.bytes.end));
    let mut merged: Vec<Mark> = Vec::with_capacity(found.len());
    for mark in found {
        match merged.last_mut() {
            Some(last) if mark.bytes.start <= last.bytes.end => {
                last.bytes.end = last.bytes.end.max(mark.bytes.end);
                last.terms |= mark.terms;
            }
            _ => merged.push(mark),
        }
    }
    merged
}

/// The end byte of `term` matched at `start`, if it matches there.
fn match_at(text: &str, start: usize, term: &[char]) -> Option<usize> {
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices();
    for &want in term {
        let (_, c) = chars.next()?;
        if fold(c) != want {
            return None;
        }
    }
    let end = start + chars.next().map_or(rest.len(), |(i, _)| i);
    let last = *term.last()?;
    let next = text.get(end..).and_then(|r| r.chars().next());
    if last.is_ascii_alphanumeric() && next.is_some_and(|n| fold(n).is_ascii_alphanumeric()) {
        return None;
    }
    Some(end)
}

/// The byte range of the window of `len` characters that covers the most different terms,
/// starting [`LEAD_CHARS`] before its first match.
fn best_window(text: &str, marks: &[Mark], len: usize) -> Range<usize> {
    // Character index of each mark's start, counted incrementally.
    let mut char_starts = Vec::with_capacity(marks.len());
    let (mut byte, mut chars) = (0, 0);
    for mark in marks {
        chars += text
            .get(byte..mark.bytes.start)
            .map_or(0, |s| s.chars().count());
        byte = mark.bytes.start;
        char_starts.push(chars);
    }
    let mut best: Option<(u32, usize, usize)> = None; // (different terms, marks, start char)
    for (i, &first) in char_starts.iter().enumerate() {
        let start = first.saturating_sub(LEAD_CHARS);
        let end = start + len;
        let mut terms = 0u64;
        let mut count = 0;
        for (mark, &at) in marks[i..].iter().zip(&char_starts[i..]) {
            if at >= end {
                break;
            }
            terms |= mark.terms;
            count += 1;
        }
        let score = (terms.count_ones(), count, start);
        if best.is_none_or(|(t, c, _)| (score.0, score.1) > (t, c)) {
            best = Some(score);
        }
    }
    let start_char = best.map_or(0, |(_, _, s)| s);
    let start = byte_of_char(text, start_char);
    let end = byte_of_char(text.get(start..).unwrap_or_default(), len) + start;
    start..end
}

/// The byte offset of character `n` of `text` (its length if it has fewer).
fn byte_of_char(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn marks_mixed_han_and_ascii_on_character_boundaries() {
        let title = "关于2024年GDP统计与AI应用（ＡＩ）的通知";
        assert_eq!(
            highlight(title, &terms(&["gdp", "ai", "通知"])),
            "关于2024年<em>GDP</em>统计与<em>AI</em>应用（<em>ＡＩ</em>）的<em>通知</em>"
        );
    }

    #[test]
    fn ascii_terms_match_whole_words_only() {
        assert_eq!(
            highlight("main ai maid", &terms(&["ai"])),
            "main <em>ai</em> maid"
        );
    }

    #[test]
    fn overlapping_terms_make_one_mark() {
        assert_eq!(
            highlight("中国农业发展银行", &terms(&["农业", "中国农业发展银行"])),
            "<em>中国农业发展银行</em>"
        );
    }

    #[test]
    fn markup_in_text_is_escaped_and_never_marked_inside() {
        assert_eq!(
            highlight(
                "<script>alert(1)</script>信息处理费",
                &terms(&["script", "信息处理费"])
            ),
            "&lt;<em>script</em>&gt;alert(1)&lt;/<em>script</em>&gt;<em>信息处理费</em>"
        );
    }

    #[test]
    fn snippet_cuts_around_the_match_with_ellipses() {
        let body = format!(
            "{}信息处理费按件计收{}",
            "前文".repeat(100),
            "后文".repeat(100)
        );
        let s = snippet(&body, &terms(&["信息处理费"]));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<em>信息处理费</em>按件计收"), "{s}");
        let visible: String = s.replace("<em>", "").replace("</em>", "");
        assert_eq!(visible.chars().count(), SNIPPET_CHARS + 2);
    }

    #[test]
    fn snippet_without_a_match_is_the_start() {
        assert_eq!(snippet("短正文", &terms(&["无关"])), "短正文");
        assert_eq!(snippet("", &terms(&["无关"])), "");
    }

    #[test]
    fn snippet_prefers_the_window_with_more_different_terms() {
        let body = format!("农业{}农业补贴{}", "。".repeat(300), "。".repeat(300));
        let s = snippet(&body, &terms(&["农业", "补贴"]));
        assert!(s.contains("<em>农业补贴</em>"), "{s}");
    }
}
