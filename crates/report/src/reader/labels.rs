//! Matching the text printed before a row's numbers to the format's labels
//! (`gongkai_core::format`), tolerant of the variants found in published reports: half-width
//! brackets, spaces inside labels, Traditional characters (all removed by normalisation), a
//! shortened or mistyped label after the right number (`2.其他法律行政止公开`).

use super::normalize;

/// A label the reader looks for.
#[derive(Debug, Clone)]
pub struct Candidate<T> {
    /// Normalised, whitespace-free label.
    pub key: String,
    /// What it stands for.
    pub value: T,
    /// Whether a mistyped print may match it (not for shortened aliases, which would match
    /// sentences).
    pub fuzzy: bool,
}

impl<T> Candidate<T> {
    /// A candidate for a printed label of the format.
    pub fn new(label: &str, value: T) -> Self {
        Candidate {
            key: normalize::key(label),
            value,
            fuzzy: true,
        }
    }

    /// A shortened form of a label, matched only exactly.
    pub fn alias(label: &str, value: T) -> Self {
        Candidate {
            fuzzy: false,
            ..Candidate::new(label, value)
        }
    }
}

/// How well the text matched.
#[derive(Debug, Clone, PartialEq)]
pub enum Quality {
    /// The label as the format prints it (after normalisation).
    Exact,
    /// A variant: the label as printed differs; the reader took it for the format's label.
    Variant {
        /// What was printed.
        printed: String,
    },
}

/// The numbering in front of a label (`1.`, `(一)`, `一、`), if `s` begins with one.
pub fn numbering(s: &str) -> Option<usize> {
    let head: Vec<char> = s.chars().take(3).collect();
    numbering_chars(&head)
}

/// The numbering in front of a label: `1.`, `(一)`, `一、`. Returns its length in characters.
fn numbering_chars(chars: &[char]) -> Option<usize> {
    match chars {
        [d, '.' | '、', ..] if d.is_ascii_digit() => Some(2),
        ['(', n, ')', ..] if is_cjk_numeral(*n) => Some(3),
        [n, '、', ..] if is_cjk_numeral(*n) => Some(2),
        _ => None,
    }
}

fn is_cjk_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Length of the longest common subsequence of two char slices.
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate that the end of `pending` names, if any. Exact suffixes win (the longest);
/// otherwise a numbered label whose number is printed and whose words are mostly there.
pub fn tail_match<T: Clone>(pending: &str, cands: &[Candidate<T>]) -> Option<(T, Quality)> {
    let best_exact = cands
        .iter()
        .filter(|c| !c.key.is_empty() && pending.ends_with(&c.key))
        .max_by_key(|c| c.key.len());
    if let Some(c) = best_exact {
        return Some((c.value.clone(), Quality::Exact));
    }
    let chars: Vec<char> = pending.chars().collect();
    let mut best: Option<(f64, &Candidate<T>, usize)> = None;
    for c in cands.iter().filter(|c| c.fuzzy) {
        let key: Vec<char> = c.key.chars().collect();
        let Some(plen) = numbering_chars(&key) else {
            continue;
        };
        let prefix = &key[..plen];
        let body = &key[plen..];
        // The last place the same numbering is printed.
        let Some(at) = (0..chars.len().saturating_sub(plen - 1))
            .rev()
            .find(|&i| chars[i..].starts_with(prefix))
        else {
            continue;
        };
        let printed = &chars[at + plen..];
        if printed.is_empty() || printed.len() > body.len() * 2 + 2 {
            continue;
        }
        let common = lcs(printed, body);
        let mut score = common as f64 / body.len().max(printed.len()) as f64;
        // A long label wrapped after its first words, the numbers printed on its first line.
        if printed.len() >= 6 && body.starts_with(printed) {
            score = score.max(0.6 + printed.len() as f64 / (100.0 * body.len() as f64));
        }
        // Most of the label's words, in order; and what was printed is mostly label.
        if score >= 0.6
            && common * 10 >= printed.len() * 7
            && best.as_ref().is_none_or(|b| score > b.0)
        {
            best = Some((score, c, at));
        }
    }
    if best.is_none() {
        // An unnumbered label (表二's rows) with one character wrong, missing or added.
        for c in cands.iter().filter(|c| c.fuzzy) {
            let key: Vec<char> = c.key.chars().collect();
            if key.len() < 4 || numbering_chars(&key).is_some() {
                continue;
            }
            for k in [key.len() - 1, key.len(), key.len() + 1] {
                let Some(start) = chars.len().checked_sub(k) else {
                    continue;
                };
                let printed = &chars[start..];
                let common = lcs(printed, &key);
                let score = common as f64 / key.len().max(k) as f64;
                if score >= 0.8
                    && common + 1 >= key.len()
                    && best.as_ref().is_none_or(|b| score > b.0)
                {
                    best = Some((score, c, start));
                }
            }
        }
    }
    best.map(|(_, c, at)| {
        (
            c.value.clone(),
            Quality::Variant {
                printed: chars[at..].iter().collect(),
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands() -> Vec<Candidate<u8>> {
        vec![
            Candidate::new("1.属于国家秘密", 1),
            Candidate::new("2.其他法律行政法规禁止公开", 2),
            Candidate::new("3.其他", 3),
            Candidate::new("（一）予以公开", 4),
        ]
    }

    #[test]
    fn exact_suffix_wins() {
        assert_eq!(
            tail_match("三、本年度办理结果(一)予以公开", &cands()),
            Some((4, Quality::Exact))
        );
        assert_eq!(tail_match("法律服务机构其他", &cands()), None);
    }

    #[test]
    fn mistyped_label_after_its_number_is_a_variant() {
        let m = tail_match("三、本年度办理结果2.其他法律行政止公开", &cands());
        assert_eq!(
            m,
            Some((
                2,
                Quality::Variant {
                    printed: "2.其他法律行政止公开".into()
                }
            ))
        );
        assert_eq!(tail_match("其中予以公开", &cands()), None);
        let long = vec![Candidate::new(
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            7u8,
        )];
        assert_eq!(
            tail_match("(六)其他处理1.申请人无正当理由逾期不补正、", &long).map(|m| m.0),
            Some(7)
        );
        let rows = vec![
            Candidate::new("行政规范性文件", 9u8),
            Candidate::new("规章", 8),
        ];
        assert_eq!(tail_match("行政规范文件", &rows).map(|m| m.0), Some(9));
        assert_eq!(tail_match("规", &rows), None);
    }
}
