//! A visitor's query: its bounds, how its text is read, and the tantivy query made from it.
//!
//! User text never reaches tantivy's query parser. It is cut by the same segmenter as the
//! documents, and only the resulting words become terms, so `:`, `(`, `*`, `AND`, an unbalanced
//! quote or a field name typed by a visitor are plain text (mostly punctuation, which is no
//! token) and can never make an error. Words are required (AND); text in quotes (`"…"`, `“…”`,
//! `「…」`) must appear as written.
//!
//! How a word matches, given search-mode indexing with character-start positions
//! (`tokenize`): a query is cut in precise mode (one cut, no overlaps). A word of four or more
//! characters may sit inside a longer word of the document (`信息公开` in `政府信息公开`), where
//! the index holds only the longer word and its 2- and 3-character parts; so such a word
//! matches as itself *or* as its parts in a row (a phrase of dictionary 2-/3-grams that tile
//! it, at their character offsets). A quoted phrase is built from the same tiles. A run of
//! single characters (a name jieba does not know, cut apart) must appear in a row, not
//! scattered.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::identifier;
use crate::schema::Fields;
use crate::tokenize::{self, Mode, Piece};

/// The longest text read from a query; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 100;
/// The most hits on one page.
pub const MAX_PER_PAGE: u32 = 50;
/// Hits per page when the query asks for 0.
pub const DEFAULT_PER_PAGE: u32 = 10;
/// The deepest page served: past it a page is empty (the total stays right). It bounds the
/// work of one request at `MAX_PAGE × MAX_PER_PAGE` ranked hits.
pub const MAX_PAGE: u32 = 200;
/// The most words of one query that are searched (the rest of a 100-character run of single
/// words is ignored).
pub(crate) const MAX_CLAUSES: usize = 24;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Best match first (BM25; title counts three times the body).
    #[default]
    Relevance,
    /// Latest 发布日期 first.
    Newest,
}

/// A search: the visitor's text and the filters of the portal's form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// What the visitor typed. Any string is accepted; only its first [`MAX_QUERY_CHARS`]
    /// characters are read. Blank text lists every item that passes the filters, newest first.
    pub text: String,
    /// Only items of this organ.
    pub organ_id: Option<i64>,
    /// Only items of this column key.
    pub column: Option<String>,
    /// Only items published in this year.
    pub year: Option<i32>,
    /// Only items of this kind key.
    pub kind: Option<String>,
    /// Only items of this validity key.
    pub validity: Option<String>,
    /// The order of hits.
    pub order: Order,
    /// The page, from 1 (0 reads as 1).
    pub page: u32,
    /// Hits per page: 0 reads as [`DEFAULT_PER_PAGE`], more than [`MAX_PER_PAGE`] as the maximum.
    pub per_page: u32,
}

impl Query {
    /// A query for `text`: first page, default size, by relevance, no filters.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            ..Query::default()
        }
    }

    /// The page actually served (1 when 0 was asked).
    pub fn bounded_page(&self) -> u32 {
        self.page.max(1)
    }

    /// The page size actually served.
    pub fn bounded_per_page(&self) -> u32 {
        match self.per_page {
            0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        }
    }
}

/// A part of the query text that a document must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    /// A word, found as itself or (when it has them) as its parts in a row.
    Word {
        whole: String,
        parts: Vec<(usize, String)>,
    },
    /// Terms at their character offsets (at least two).
    Phrase(Vec<(usize, String)>),
}

/// What a query's text asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Parsed {
    pub clauses: Vec<Clause>,
    /// Normalised keys to try as exact 文号/索引号 first.
    pub identifiers: Vec<String>,
    /// Normalised strings to mark in titles and snippets.
    pub highlight: Vec<String>,
    /// No text at all: list by the filters.
    pub blank: bool,
}

const QUOTES: &[char] = &['"', '＂', '“', '”', '「', '」', '『', '』'];

/// Reads the visitor's text. Never fails: whatever cannot be a term is dropped.
pub(crate) fn parse(raw: &str) -> Parsed {
    let text: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let mut parsed = Parsed {
        blank: text.trim().is_empty(),
        ..Parsed::default()
    };
    if parsed.blank {
        return parsed;
    }
    for candidate in std::iter::once(text.as_str()).chain(text.split(char::is_whitespace)) {
        if identifier::looks_like_identifier(candidate) {
            let key = identifier::normalize(candidate);
            if !parsed.identifiers.contains(&key) {
                parsed.identifiers.push(key);
            }
        }
    }
    // Quotes pair up in order; a last one without a partner is ignored, not an error.
    let quotes: Vec<usize> = text.match_indices(QUOTES).map(|(i, _)| i).collect();
    let mut from = 0;
    for pair in quotes.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        read_loose(&mut parsed, &text[from..open]);
        let inner_start = open + char_len_at(&text, open);
        read_phrase(&mut parsed, &text[inner_start..close]);
        from = close + char_len_at(&text, close);
    }
    read_loose(&mut parsed, &text[from..]);
    parsed.clauses.truncate(MAX_CLAUSES);
    if parsed.highlight.iter().any(|h| h.chars().count() > 1) {
        // `号` or `的` marked all over a snippet helps nobody once longer words are marked.
        parsed.highlight.retain(|h| h.chars().count() > 1);
    }
    parsed
}

fn char_len_at(text: &str, byte: usize) -> usize {
    text[byte..].chars().next().map_or(0, char::len_utf8)
}

/// Words outside quotes: each required; a run of adjacent single Han characters is a phrase.
fn read_loose(parsed: &mut Parsed, text: &str) {
    let text = text.replace(QUOTES, " ");
    let pieces = tokenize::segment(&text, Mode::Precise);
    let mut i = 0;
    while i < pieces.len() {
        let mut j = i + 1;
        if is_single_han(&pieces[i]) {
            while j < pieces.len()
                && is_single_han(&pieces[j])
                && pieces[j - 1].position + 1 == pieces[j].position
            {
                j += 1;
            }
        }
        let run = &pieces[i..j];
        if run.len() > 1 {
            push_phrase(parsed, &text, run);
        } else {
            let word = &pieces[i];
            parsed.clauses.push(Clause::Word {
                whole: word.text.clone(),
                parts: tile(&word.text).unwrap_or_default(),
            });
            parsed.highlight.push(word.text.clone());
        }
        i = j;
    }
}

fn read_phrase(parsed: &mut Parsed, text: &str) {
    let pieces = tokenize::segment(text, Mode::Precise);
    match pieces.as_slice() {
        [] => {}
        [word] => {
            parsed.clauses.push(Clause::Word {
                whole: word.text.clone(),
                parts: tile(&word.text).unwrap_or_default(),
            });
            parsed.highlight.push(word.text.clone());
        }
        run => push_phrase(parsed, text, run),
    }
}

/// A phrase of `run` (pieces of `text`), with long words replaced by their tiles.
fn push_phrase(parsed: &mut Parsed, text: &str, run: &[Piece]) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let mut terms = Vec::new();
    for piece in run {
        let offset = piece.position - first.position;
        match tile(&piece.text) {
            Some(parts) => terms.extend(parts.into_iter().map(|(o, t)| (offset + o, t))),
            None => terms.push((offset, piece.text.clone())),
        }
    }
    let span = text
        .get(first.bytes.start..last.bytes.end)
        .map(fold_for_match)
        .unwrap_or_default();
    parsed.clauses.push(Clause::Phrase(terms));
    if !span.is_empty() {
        parsed.highlight.push(span);
    }
}

/// The normal form of text that highlighting compares with (`snippet::fold`).
pub(crate) fn fold_for_match(text: &str) -> String {
    text.chars().map(crate::snippet::fold).collect()
}

fn is_single_han(piece: &Piece) -> bool {
    piece.chars == 1 && piece.text.chars().all(|c| !c.is_ascii())
}

/// The parts of a word of four or more Han characters as dictionary 2- and 3-grams that tile it
/// exactly, with their character offsets: what search mode emits for the word wherever it
/// stands inside a longer word. `None` when the word is shorter or no tiling exists.
pub(crate) fn tile(word: &str) -> Option<Vec<(usize, String)>> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if !(4..=tokenize::MAX_TOKEN_CHARS).contains(&n) || chars.iter().any(char::is_ascii) {
        return None;
    }
    // reach[i]: the gram length that starts a tiling of chars[i..], if any (from the end).
    let mut reach: Vec<Option<usize>> = vec![None; n + 1];
    let gram = |i: usize, len: usize| chars[i..i + len].iter().collect::<String>();
    for i in (0..n).rev() {
        for len in [2, 3] {
            let fits = i + len == n || (i + len < n && reach[i + len].is_some());
            if i + len <= n && fits && tokenize::is_word(&gram(i, len)) {
                reach[i] = Some(len);
                break;
            }
        }
    }
    let mut parts = Vec::new();
    let mut i = 0;
    while i < n {
        let len = reach[i]?;
        parts.push((i, gram(i, len)));
        i += len;
    }
    Some(parts)
}

/// The fields a word is looked for in, with their weights.
fn weighted(f: &Fields) -> [(Field, f32); 3] {
    [(f.title, 3.0), (f.body, 1.0), (f.meta, 1.0)]
}

fn term_query(field: Field, text: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn phrase_query(field: Field, terms: &[(usize, String)]) -> Box<dyn TantivyQuery> {
    if let [(_, only)] = terms {
        return term_query(field, only);
    }
    Box::new(PhraseQuery::new_with_offset(
        terms
            .iter()
            .map(|(offset, text)| (*offset, Term::from_field_text(field, text)))
            .collect(),
    ))
}

fn clause_query(f: &Fields, clause: &Clause) -> Box<dyn TantivyQuery> {
    let per_field = weighted(f).map(|(field, weight)| {
        let inner: Box<dyn TantivyQuery> = match clause {
            Clause::Word { whole, parts } if parts.len() > 1 => {
                Box::new(BooleanQuery::union(vec![
                    term_query(field, whole),
                    phrase_query(field, parts),
                ]))
            }
            Clause::Word { whole, .. } => term_query(field, whole),
            Clause::Phrase(terms) => phrase_query(field, terms),
        };
        Box::new(BoostQuery::new(inner, weight)) as Box<dyn TantivyQuery>
    });
    Box::new(BooleanQuery::union(per_field.into_iter().collect()))
}

/// The text part of a search: every clause required. `None` for blank text (everything).
pub(crate) fn text_query(f: &Fields, parsed: &Parsed) -> Option<Box<dyn TantivyQuery>> {
    if parsed.clauses.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::intersection(
        parsed.clauses.iter().map(|c| clause_query(f, c)).collect(),
    )))
}

/// The exact 文号/索引号 part: any key in either field.
pub(crate) fn identifier_query(f: &Fields, keys: &[String]) -> Box<dyn TantivyQuery> {
    let mut any = Vec::new();
    for key in keys {
        for field in [f.doc_number, f.index_number] {
            any.push(term_query(field, key));
        }
    }
    Box::new(BooleanQuery::union(any))
}

/// The filters of the form, as clauses that count nothing towards the score.
pub(crate) fn filters(f: &Fields, q: &Query) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
    let mut out: Vec<Box<dyn TantivyQuery>> = Vec::new();
    if let Some(organ) = q.organ_id {
        out.push(Box::new(TermQuery::new(
            Term::from_field_i64(f.organ_id, organ),
            IndexRecordOption::Basic,
        )));
    }
    if let Some(year) = q.year {
        out.push(Box::new(TermQuery::new(
            Term::from_field_i64(f.year, i64::from(year)),
            IndexRecordOption::Basic,
        )));
    }
    for (field, value) in [
        (f.column, &q.column),
        (f.kind, &q.kind),
        (f.validity, &q.validity),
    ] {
        if let Some(value) = value {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )));
        }
    }
    out.into_iter()
        .map(|q| {
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn TantivyQuery>,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(parsed: &Parsed) -> Vec<String> {
        parsed
            .clauses
            .iter()
            .map(|c| match c {
                Clause::Word { whole, .. } => whole.clone(),
                Clause::Phrase(terms) => {
                    let t: Vec<String> = terms.iter().map(|(o, t)| format!("{t}@{o}")).collect();
                    format!("\"{}\"", t.join(" "))
                }
            })
            .collect()
    }

    #[test]
    fn syntax_characters_are_no_terms() {
        let parsed = parse("title:(信息处理费* OR \"年度报告");
        assert_eq!(words(&parsed), ["title", "信息处理费", "or", "年度报告"]);
    }

    #[test]
    fn quoted_text_is_a_phrase_of_tiles() {
        let parsed = parse("“政务公开工作要点”");
        let [Clause::Phrase(terms)] = parsed.clauses.as_slice() else {
            panic!("{:?}", parsed.clauses);
        };
        assert_eq!(terms.first().map(|(o, _)| *o), Some(0));
        assert!(terms.windows(2).all(|w| w[0].0 < w[1].0), "{terms:?}");
        assert_eq!(parsed.highlight, ["政务公开工作要点"]);
    }

    #[test]
    fn a_long_word_has_parts_that_tile_it() {
        assert_eq!(
            tile("政府信息公开"),
            Some(vec![
                (0, "政府".to_owned()),
                (2, "信息".to_owned()),
                (4, "公开".to_owned())
            ])
        );
        assert_eq!(tile("农业"), None);
        assert_eq!(tile("abcd"), None);
    }

    #[test]
    fn identifiers_are_found_in_the_whole_text_and_in_words() {
        let parsed = parse("国办发（2019） 54号");
        assert_eq!(
            parsed.identifiers.first().map(String::as_str),
            Some("国办发〔2019〕54号")
        );
        let parsed = parse("通知 国办发[2019]54号");
        assert!(
            parsed
                .identifiers
                .contains(&"国办发〔2019〕54号".to_owned())
        );
    }

    #[test]
    fn only_the_first_hundred_characters_are_read() {
        let parsed = parse(&"农业".repeat(1000));
        assert!(parsed.clauses.len() <= MAX_CLAUSES);
        assert!(!parsed.blank);
    }

    #[test]
    fn bounds_of_a_page() {
        let q = Query {
            page: 0,
            per_page: 0,
            ..Query::new("x")
        };
        assert_eq!(
            (q.bounded_page(), q.bounded_per_page()),
            (1, DEFAULT_PER_PAGE)
        );
        let q = Query {
            page: 3,
            per_page: 10_000,
            ..Query::new("x")
        };
        assert_eq!((q.bounded_page(), q.bounded_per_page()), (3, MAX_PER_PAGE));
    }
}
