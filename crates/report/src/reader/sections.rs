//! The report's six section headings (一、总体情况 … 六、其他需要报告的事项), found wherever they
//! are printed — alone on a line, or in the middle of a crawler's one-line body — and the
//! regions of the item stream they delimit.

use super::tokens::{Item, Kind};

/// The section numbers whose regions hold the tables.
pub const PROACTIVE: u8 = 2;
/// 三、收到和处理政府信息公开申请情况.
pub const APPLICATIONS: u8 = 3;
/// 四、政府信息公开行政复议、行政诉讼情况.
pub const APPEALS: u8 = 4;

const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// What a heading's body must contain (all of them, in the first `window` characters), and the
/// word it ends with.
struct Rule {
    keywords: &'static [&'static str],
    window: usize,
    ends: &'static [&'static str],
}

const RULES: [Rule; 6] = [
    Rule {
        keywords: &["总体情况"],
        window: 6,
        ends: &["情况"],
    },
    Rule {
        keywords: &["主动公开", "情况"],
        window: 14,
        ends: &["情况"],
    },
    Rule {
        keywords: &["收到", "申请", "情况"],
        window: 22,
        ends: &["情况"],
    },
    Rule {
        keywords: &["复议", "诉讼", "情况"],
        window: 32,
        ends: &["情况"],
    },
    Rule {
        keywords: &["问题", "改进"],
        window: 26,
        ends: &["情况", "措施", "改进"],
    },
    Rule {
        keywords: &["其他需要报告"],
        window: 10,
        ends: &["事项"],
    },
];

/// The words a heading printed without its 、 must start with.
const BARE_STARTS: [&[&str]; 6] = [
    &["总体情况"],
    &["主动公开政府信息"],
    &["收到和处理政府信息公开申请"],
    &["政府信息公开行政复议", "因政府信息公开工作被申请"],
    &["存在的主要问题", "政府信息公开工作存在的主要问题"],
    &["其他需要报告的事项"],
];

/// Finds headings in a normalised, whitespace-free text: (start, end, number) in characters.
pub fn find_headings(norm: &[char]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < norm.len() {
        let Some(n) = NUMERALS.iter().position(|&c| c == norm[i]) else {
            i += 1;
            continue;
        };
        // "二十" is part of a number, "(二)" a sub-heading, "第二" an ordinal.
        let prev = if i > 0 { norm.get(i - 1) } else { None };
        let rule = &RULES[n];
        let separated = matches!(norm[i + 1], '、' | '.' | ',');
        // "二 主动公开政府信息情况" (the 、 lost): only at the start of a line's text, and only
        // with the heading's customary first words — "二是主动公开…" is a sentence.
        let bare = !separated && i == 0 && {
            let rest: String = norm[i + 1..].iter().take(16).collect();
            BARE_STARTS[n].iter().any(|s| rest.starts_with(s))
        };
        if !(separated || bare) || matches!(prev, Some('十' | '(' | '第')) {
            i += 1;
            continue;
        }
        let body_start = if separated { i + 2 } else { i + 1 };
        let window_end = (body_start + rule.window).min(norm.len());
        let window: String = norm[body_start..window_end].iter().collect();
        // The body may not run into a sentence.
        let window = window.split(['。', ';']).next().unwrap_or("");
        let all = rule.keywords.iter().all(|k| window.contains(k));
        if !all {
            i += 1;
            continue;
        }
        let mut end_chars = 0;
        for e in rule.ends {
            if let Some(p) = window.find(e) {
                let candidate = window[..p].chars().count() + e.chars().count();
                end_chars = end_chars.max(candidate);
            }
        }
        if end_chars == 0 {
            end_chars = window.chars().count();
        }
        let end = body_start + end_chars;
        out.push((i, end, n as u8 + 1));
        i = end;
    }
    out
}

/// Merges neighbouring text items of one line (not from pipes) and splits out section headings
/// as [`Kind::Heading`] items.
pub fn mark_headings(items: Vec<Item>) -> Vec<Item> {
    // Merge: a layout line "（二）部分公开（区分处理的，只计这一情 形，不" is one label.
    let mut merged: Vec<Item> = Vec::with_capacity(items.len());
    for item in items {
        if let Some(last) = merged.last_mut()
            && matches!(last.kind, Kind::Text)
            && matches!(item.kind, Kind::Text)
            && !last.piped
            && !item.piped
            && last.line == item.line
        {
            last.norm.push_str(&item.norm);
            last.end = item.end;
            continue;
        }
        merged.push(item);
    }
    let mut out = Vec::with_capacity(merged.len());
    for item in merged {
        if !matches!(item.kind, Kind::Text) {
            out.push(item);
            continue;
        }
        let chars: Vec<char> = item.norm.chars().collect();
        let found = find_headings(&chars);
        if found.is_empty() {
            out.push(item);
            continue;
        }
        let mut at = 0;
        let piece = |s: usize, e: usize, kind: Kind| Item {
            kind,
            norm: chars[s..e].iter().collect(),
            line: item.line,
            col: item.col + s,
            end: item.col + e,
            piped: item.piped,
        };
        for (s, e, n) in found {
            if s > at {
                out.push(piece(at, s, Kind::Text));
            }
            out.push(piece(s, e, Kind::Heading(n)));
            at = e;
        }
        if at < chars.len() {
            out.push(piece(at, chars.len(), Kind::Text));
        }
    }
    out
}

/// The item range of section `n`'s body: after its heading, up to the next heading. Where the
/// heading is printed more than once (a table of contents), the occurrence followed by numbers.
pub fn region(items: &[Item], n: u8) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, item) in items.iter().enumerate() {
        if item.kind != Kind::Heading(n) {
            continue;
        }
        let end = items[i + 1..]
            .iter()
            .position(|it| matches!(it.kind, Kind::Heading(_)))
            .map_or(items.len(), |p| i + 1 + p);
        let has_values = items[i + 1..end].iter().any(Item::is_value);
        if best.is_none()
            || (has_values && !best.is_some_and(|(s, e)| items[s..e].iter().any(Item::is_value)))
        {
            best = Some((i + 1, end));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(s: &str) -> Vec<u8> {
        let chars: Vec<char> = s.chars().collect();
        find_headings(&chars).into_iter().map(|h| h.2).collect()
    }

    #[test]
    fn headings_are_found_but_not_row_labels() {
        assert_eq!(heads("二、主动公开政府信息情况"), vec![2]);
        assert_eq!(heads("成效。二、主动公开政府信息情况第二十条"), vec![2]);
        assert_eq!(heads("三、本年度办理结果"), Vec::<u8>::new());
        assert_eq!(heads("四、结转下年度继续办理"), Vec::<u8>::new());
        assert_eq!(heads("四、政府信息公开行政法复议、行政诉讼情况"), vec![4]);
        assert_eq!(heads("五、存在的主要问题及改进情况"), vec![5]);
        assert_eq!(
            heads("四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况"),
            vec![4]
        );
        assert_eq!(heads("六、其他需要报告的事项"), vec![6]);
        assert_eq!(heads("二主动公开政府信息情况"), vec![2]);
        assert_eq!(heads("二是主动公开政府信息情况良好"), Vec::<u8>::new());
        assert_eq!(heads("其二主动公开政府信息情况"), Vec::<u8>::new());
    }
}
