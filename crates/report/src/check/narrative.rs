//! A small deterministic matcher for the figures a report's narrative gives ("共收到政府信息
//! 公开申请8件", "行政复议案件2件", "收取信息处理费0元"). It is conservative by design: a
//! figure counts only in a plain phrase (a verb or keyword, a short gap of known filler, digits,
//! a unit); anything else gives no figure rather than a wrong one.

/// Narrative text prepared for matching: full-width digits and punctuation made ASCII where it
/// matters, Traditional characters simplified (the reader's table), whitespace removed (PDF
/// text breaks lines, and numbers, mid-sentence).
pub(super) fn normalise(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => crate::reader::normalize::traditional(c),
        })
        .collect()
}

/// Whether a clause can hold a figure at all: every figure is written in digits.
pub(super) fn has_digit(clause: &[char]) -> bool {
    clause.iter().any(char::is_ascii_digit)
}

/// Splits at the given separators; empty pieces are dropped.
fn split(text: &[char], separators: &[char]) -> Vec<Vec<char>> {
    text.split(|c| separators.contains(c))
        .filter(|piece| !piece.is_empty())
        .map(<[char]>::to_vec)
        .collect()
}

/// Clauses: pieces between sentence or clause punctuation and table pipes. `、` does not split,
/// so "行政复议、行政诉讼" stays one phrase.
pub(super) fn clauses(text: &[char]) -> Vec<Vec<char>> {
    split(
        text,
        &[
            '。', '；', ';', '！', '!', '？', '?', '，', ',', '|', '：', ':',
        ],
    )
}

/// Sentences: pieces between sentence punctuation and table pipes.
pub(super) fn sentences(text: &[char]) -> Vec<Vec<char>> {
    split(text, &['。', '；', ';', '！', '!', '？', '?', '|'])
}

/// Whether `hay` contains `needle`.
pub(super) fn contains(hay: &[char], needle: &str) -> bool {
    find_all(hay, needle).next().is_some()
}

/// Start positions of `needle` in `hay`.
pub(super) fn find_all<'a>(hay: &'a [char], needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let n = needle.chars().count();
    let first = needle.chars().next();
    (0..hay.len().saturating_sub(n.saturating_sub(1))).filter(move |&i| {
        n > 0
            && hay.get(i).copied() == first
            && hay
                .get(i..i + n)
                .is_some_and(|w| w.iter().copied().eq(needle.chars()))
    })
}

/// A count read at `start`: digits followed by one of `units`. Returns the value and the
/// position after the unit.
pub(super) fn count_at(text: &[char], start: usize, units: &[char]) -> Option<(u64, usize)> {
    let digits: String = text
        .get(start..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let end = start + digits.len();
    let unit = text.get(end)?;
    if !units.contains(unit) {
        return None;
    }
    Some((digits.parse().ok()?, end + 1))
}

/// The first count after `from`: at most `max_gap` characters before the digits, none of them
/// a digit. Returns the gap text, the value and the position after the unit.
pub(super) fn next_count(
    text: &[char],
    from: usize,
    max_gap: usize,
    units: &[char],
) -> Option<(String, u64, usize)> {
    let rest = text.get(from..)?;
    let gap = rest.iter().position(char::is_ascii_digit)?;
    if gap > max_gap {
        return None;
    }
    let (value, end) = count_at(text, from + gap, units)?;
    Some((rest[..gap].iter().collect(), value, end))
}

/// Money amounts in `text`: digits (with a decimal part) followed by `元` or `万元`.
pub(super) fn amounts(text: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit() && (i == 0 || !is_number_char(text[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let len = text[i..].iter().take_while(|c| is_number_char(**c)).count();
        let end = i + len;
        let unit_follows = text.get(end) == Some(&'元')
            || (text.get(end) == Some(&'万') && text.get(end + 1) == Some(&'元'));
        if unit_follows {
            out.push(text[i..end].iter().collect());
        }
        i = end;
    }
    out
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

/// Whether an amount as printed is more than zero.
pub(super) fn is_positive(amount: &str) -> bool {
    amount.chars().any(|c| ('1'..='9').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        normalise(s)
    }

    #[test]
    fn counts_need_their_unit() {
        let t = chars("申请 21 件");
        assert_eq!(next_count(&t, 0, 5, &['件']), Some(("申请".into(), 21, 5)));
        let t = chars("申请数量230000023二");
        assert_eq!(next_count(&t, 0, 5, &['件']), None);
        let t = chars("申请８件");
        assert_eq!(next_count(&t, 0, 5, &['件']).map(|x| x.1), Some(8));
    }

    #[test]
    fn amounts_with_units() {
        let t = chars("收取信息处理费 0 元，另收12.5万元，依据国办函〔2020〕109号");
        assert_eq!(amounts(&t), ["0", "12.5"]);
        assert!(is_positive("12.5") && !is_positive("0.00"));
    }

    #[test]
    fn traditional_forms_are_simplified() {
        let t: String = chars("收到政府信息公開申請208件，行政複議12件、行政訴訟24件")
            .into_iter()
            .collect();
        assert_eq!(t, "收到政府信息公开申请208件，行政复议12件、行政诉讼24件");
    }

    #[test]
    fn clauses_split_on_punctuation_and_pipes() {
        let t = chars("甲，乙。丙 | 丁、戊");
        let c: Vec<String> = clauses(&t).iter().map(|c| c.iter().collect()).collect();
        assert_eq!(c, ["甲", "乙", "丙", "丁、戊"]);
    }
}
