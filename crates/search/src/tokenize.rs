//! Chinese word segmentation: jieba, with the domain dictionary, as a tantivy tokenizer.
//!
//! Our own adapter over jieba-rs rather than tantivy-jieba: tantivy clones a field's tokenizer
//! for every segment writer and query, and tantivy-jieba's only way to take a custom dictionary
//! owns a whole `Jieba` (clone = copy of the dictionary); its global instance cannot take
//! `add_word`. Here every clone shares one process-wide `Jieba`. The adapter also implements
//! tantivy's own re-exported `Tokenizer` trait, so no second crate has to follow tantivy's
//! tokenizer API in lockstep (spec/ecosystem.md pitfall 3).
//!
//! **Positions are character starts**, not ordinals: search mode emits a word and its 2- and
//! 3-character parts at overlapping places (`中国农业发展银行` → `中国`@0, `农业`@2, `发展`@4,
//! `银行`@6, `中国农业发展银行`@0), and only character starts keep the parts of one phrase at the
//! same distances in the document and in the query. Phrase queries are built with those
//! offsets (`query`), never by tantivy's query parser.
//!
//! **Offsets are byte offsets into the original text** (tantivy's contract), also when the
//! text was width-folded before segmentation.
//!
//! Tokens without a letter or digit (punctuation, spaces, emoji) are dropped, full-width
//! letters and digits are folded to ASCII and letters lowercased, so `ＡＢＣ２０１９`, `abc2019`
//! and `ABC2019` index alike. HMM is off: unknown words fall apart into single characters the
//! same way in a document and in a query, instead of being guessed differently by context.

use std::ops::Range;
use std::sync::LazyLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::dictionary;

/// The name the tokenizer is registered under in every index.
pub(crate) const TOKENIZER_NAME: &str = "gongkai_jieba";

/// Longer tokens (base64 blobs, runs of digits) are noise and are not indexed.
pub(crate) const MAX_TOKEN_CHARS: usize = 64;

const HMM: bool = false;

/// One process-wide segmenter: loading the dictionary takes a noticeable fraction of a second.
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in dictionary::WORDS {
        jieba.add_word(word, None, None);
    }
    jieba
});

/// How to cut: `Search` (words and their parts, for the index) or `Precise` (one cut, no
/// overlaps, for reading a query).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Search,
    Precise,
}

/// A token: normalised text, its place in characters, and its bytes in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub text: String,
    /// Character index of the first character (the tantivy position).
    pub position: usize,
    /// Length in characters.
    pub chars: usize,
    /// Byte range in the text that was segmented.
    pub bytes: Range<usize>,
}

/// Cuts `text` into searchable pieces.
pub(crate) fn segment(text: &str, mode: Mode) -> Vec<Piece> {
    let jieba_mode = match mode {
        Mode::Search => TokenizeMode::Search,
        Mode::Precise => TokenizeMode::Default,
    };
    if !text.chars().any(is_full_width_alphanumeric) {
        return JIEBA
            .tokenize(text, jieba_mode, HMM)
            .into_iter()
            .filter_map(|t| piece(t.word, t.start, t.end, t.byte_start..t.byte_end))
            .collect();
    }
    // Folding keeps one character for one character, so jieba's character positions are the
    // original's; the byte offsets are mapped back through the original's character starts.
    let mut folded = String::with_capacity(text.len());
    let mut byte_of_char = Vec::with_capacity(text.len() / 2 + 1);
    for (byte, c) in text.char_indices() {
        byte_of_char.push(byte);
        folded.push(fold_width(c));
    }
    byte_of_char.push(text.len());
    JIEBA
        .tokenize(&folded, jieba_mode, HMM)
        .into_iter()
        .filter_map(|t| {
            let from = *byte_of_char.get(t.start)?;
            let to = *byte_of_char.get(t.end)?;
            piece(t.word, t.start, t.end, from..to)
        })
        .collect()
}

/// Whether jieba's dictionary (with ours) has `word`; used to split a query word into parts
/// that search mode is sure to have emitted for the document.
pub(crate) fn is_word(word: &str) -> bool {
    JIEBA.has_word(word)
}

/// Forces the dictionary to load (a benchmark measures queries, not the first load).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

fn piece(word: &str, start: usize, end: usize, bytes: Range<usize>) -> Option<Piece> {
    let chars = end.checked_sub(start)?;
    if chars == 0 || chars > MAX_TOKEN_CHARS || !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    let text = if word.chars().any(char::is_uppercase) {
        word.to_lowercase()
    } else {
        word.to_owned()
    };
    Some(Piece {
        text,
        position: start,
        chars,
        bytes,
    })
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space; every other
/// character unchanged.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_full_width_alphanumeric(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// The tantivy side: jieba in search mode.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JiebaTokenizer;

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = PieceStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PieceStream {
        let tokens = segment(text, Mode::Search)
            .into_iter()
            .map(|p| Token {
                offset_from: p.bytes.start,
                offset_to: p.bytes.end,
                position: p.position,
                text: p.text,
                position_length: p.chars,
            })
            .collect();
        PieceStream {
            tokens,
            next: 0,
            current: Token::default(),
        }
    }
}

/// The tokens of one text, handed out one by one.
pub(crate) struct PieceStream {
    tokens: Vec<Token>,
    next: usize,
    current: Token,
}

impl TokenStream for PieceStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get_mut(self.next) {
            Some(token) => {
                self.current = std::mem::take(token);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, mode: Mode) -> Vec<String> {
        segment(text, mode).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn search_mode_emits_parts_of_a_long_word_at_their_character_starts() {
        // Precise mode: 中国 | 农业发展银行; search mode adds the long word's parts.
        let pieces = segment("中国农业发展银行", Mode::Search);
        let at = |w: &str| pieces.iter().find(|p| p.text == w).map(|p| p.position);
        assert_eq!(at("中国"), Some(0));
        assert_eq!(at("农业"), Some(2));
        assert_eq!(at("发展"), Some(4));
        assert_eq!(at("银行"), Some(6));
        assert_eq!(at("农业发展银行"), Some(2));
    }

    #[test]
    fn domain_words_stay_whole_in_precise_mode() {
        for word in ["依申请公开", "信息处理费", "统一社会信用代码", "规范性文件"]
        {
            assert_eq!(texts(&format!("关于{word}的说明"), Mode::Precise)[1], word);
        }
    }

    #[test]
    fn punctuation_spaces_and_emoji_are_not_tokens() {
        assert!(texts("，。、（）《》 \u{3000}😀*:\"", Mode::Search).is_empty());
    }

    #[test]
    fn full_width_letters_fold_and_offsets_stay_in_the_original() {
        let text = "关于ＡＢＣ２０１９的通知";
        let pieces = segment(text, Mode::Precise);
        let abc = pieces.iter().find(|p| p.text == "abc2019").cloned();
        let abc = abc.unwrap_or_else(|| panic!("no abc2019 in {pieces:?}"));
        assert_eq!(&text[abc.bytes.clone()], "ＡＢＣ２０１９");
        assert_eq!(abc.position, 2);
    }

    #[test]
    fn byte_offsets_are_on_character_boundaries_of_mixed_text() {
        let text = "2024年GDP增长5.2%，《政府信息公开条例》art.20 ＡＩ应用";
        for p in segment(text, Mode::Search) {
            assert!(text.get(p.bytes.clone()).is_some(), "{p:?}");
        }
    }
}
