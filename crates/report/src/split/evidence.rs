//! Figures the narrative gives for table cells ("现行有效行政规范性文件698件"), used to choose
//! between splits that the identities leave open. A figure only ever narrows the splits that
//! already satisfy every identity; it never introduces a number of its own.

/// One figure found in the narrative: its value and the words printed before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The number as printed.
    pub value: u64,
    /// The clause before the number, back to the last comma-like mark (`，`, `、`, `：`…):
    /// `集中公开现行有效行政规范性文件`.
    pub clause: String,
    /// The sentence before the number, back to the last `。` or `；`.
    pub sentence: String,
}

impl Figure {
    /// The phrase as it reads in the narrative, e.g. `集中公开现行有效行政规范性文件698`.
    pub fn phrase(&self) -> String {
        format!("{}{}", self.clause, self.value)
    }
}

/// The figures of a report's narrative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    figures: Vec<Figure>,
}

/// Characters that end a clause.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '、'
            | '：'
            | ':'
            | '（'
            | '）'
            | '('
            | ')'
            | '“'
            | '”'
            | '。'
            | '；'
            | ';'
            | '！'
            | '？'
            | '\n'
    )
}

/// Characters that end a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '！' | '？' | '\n')
}

/// Units after which a number is a date, a time, a share or a document number, not a count.
fn not_a_count(next: Option<char>) -> bool {
    matches!(
        next,
        Some(
            '年' | '月'
                | '日'
                | '%'
                | '％'
                | '号'
                | '时'
                | '点'
                | '分'
                | '.'
                | '．'
                | '-'
                | '〕'
                | ']'
        )
    )
}

const CLAUSE_CHARS: usize = 40;
const SENTENCE_CHARS: usize = 120;

impl Evidence {
    /// No figures.
    pub fn new() -> Evidence {
        Evidence::default()
    }

    /// Every integer figure of `text` with the words before it. Dates, percentages and
    /// document numbers are left out.
    pub fn from_narrative(text: &str) -> Evidence {
        // A report converted to Traditional Chinese names its figures in Traditional
        // (`現行有效規範性文件521件`); the cells' keys are Simplified.
        let chars: Vec<char> = text
            .chars()
            .map(crate::reader::normalize::traditional)
            .collect();
        let mut figures = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let Some(first) = chars.get(i).copied().and_then(digit_of) else {
                i += 1;
                continue;
            };
            let start = i;
            let mut value: u64 = u64::from(first);
            let mut overflow = false;
            i += 1;
            while let Some(d) = chars.get(i).copied().and_then(digit_of) {
                value = match value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(d)))
                {
                    Some(v) => v,
                    None => {
                        overflow = true;
                        0
                    }
                };
                i += 1;
            }
            let prev = start.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let after_letter = prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
            if overflow || after_letter || not_a_count(chars.get(i).copied()) {
                continue;
            }
            let before = chars.get(..start).unwrap_or_default();
            figures.push(Figure {
                value,
                clause: tail(before, CLAUSE_CHARS, ends_clause),
                sentence: tail(before, SENTENCE_CHARS, ends_sentence),
            });
        }
        Evidence { figures }
    }

    /// Adds a figure found elsewhere (for example by the reader in a table note).
    pub fn push(&mut self, value: u64, clause: impl Into<String>, sentence: impl Into<String>) {
        self.figures.push(Figure {
            value,
            clause: clause.into(),
            sentence: sentence.into(),
        });
    }

    /// The figures, in narrative order.
    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// Whether there are no figures.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

fn digit_of(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The text before the end of `before`, back to (not including) the last character for which
/// `stop` holds, at most `max` characters; white space removed.
fn tail(before: &[char], max: usize, stop: fn(char) -> bool) -> String {
    let mut out: Vec<char> = before
        .iter()
        .rev()
        .take(max)
        .take_while(|c| !stop(**c))
        .filter(|c| !c.is_whitespace())
        .copied()
        .collect();
    out.reverse();
    out.into_iter().collect()
}

/// What a figure's words must say for it to speak of one cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellKey {
    /// One of these must appear (in the clause if `row_in_clause`, else in the sentence).
    pub row: Vec<String>,
    /// Whether the row words must be in the clause itself.
    pub row_in_clause: bool,
    /// Words that must not appear in the sentence (they name a neighbouring row).
    pub row_exclude: Vec<String>,
    /// One of these must appear in the clause; empty for a total.
    pub column: Vec<String>,
    /// None of these may appear in the clause (for a total: the other columns' names).
    pub column_exclude: Vec<String>,
}

impl CellKey {
    /// Whether `figure` speaks of this cell.
    pub fn matches(&self, figure: &Figure) -> bool {
        if self.row.is_empty() {
            return false;
        }
        let row_text = if self.row_in_clause {
            &figure.clause
        } else {
            &figure.sentence
        };
        let has = |text: &str, words: &[String]| words.iter().any(|w| text.contains(w.as_str()));
        has(row_text, &self.row)
            && !has(&figure.sentence, &self.row_exclude)
            && (self.column.is_empty() || has(&figure.clause, &self.column))
            && !has(&figure.clause, &self.column_exclude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_carry_their_clause() {
        let ev = Evidence::from_narrative(
            "2022年，设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。",
        );
        let values: Vec<u64> = ev.figures().iter().map(|f| f.value).collect();
        assert_eq!(values, vec![698, 88]);
        assert_eq!(
            ev.figures().first().map(|f| f.clause.as_str()),
            Some("集中公开现行有效行政规范性文件")
        );
    }

    #[test]
    fn figures_in_traditional_chinese_carry_a_simplified_clause() {
        let ev = Evidence::from_narrative("現行有效規範性文件521件，本年制發規範性文件99件。");
        let clauses: Vec<&str> = ev.figures().iter().map(|f| f.clause.as_str()).collect();
        assert_eq!(clauses, ["现行有效规范性文件", "本年制发规范性文件"]);
    }

    #[test]
    fn dates_and_percentages_are_not_figures() {
        let ev = Evidence::from_narrative("2022年1月1日，办结率100%，〔2021〕39号");
        assert!(ev.is_empty(), "{ev:?}");
    }
}
