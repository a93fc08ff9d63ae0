//! 文号 and 索引号: exact keys, and whether a query looks like one.
//!
//! jieba cuts identifiers into fragments (`国办发`, `2019`, `54`, `号`), so a word search for
//! `国办发〔2019〕54号` would rank every document of 2019 that mentions a 54. The index keeps each
//! identifier whole, in one normal form, in a keyword field, and a query that looks like an
//! identifier is tried there first (`SearchIndex::search` puts those hits on top).
//!
//! The normal form folds what people type for the same number: full-width and half-width
//! characters, every kind of bracket around the year (`〔〕 [] ［］ () （） 【】 ﹝﹞ 〖〗`) to `〔〕`,
//! dashes to `-`, no spaces or quotes, ASCII letters in upper case. So `国办发[2019]54号`,
//! `国办发（2019）54号` and `国办发〔2019〕54号` have one key.

use crate::tokenize::fold_width;

/// The exact key of a 文号 or 索引号.
pub fn normalize(identifier: &str) -> String {
    let mut key = String::with_capacity(identifier.len());
    for c in identifier.chars().map(fold_width) {
        match c {
            '[' | '(' | '【' | '〔' | '﹝' | '〖' | '〘' | '⦅' | '｟' => key.push('〔'),
            ']' | ')' | '】' | '〕' | '﹞' | '〗' | '〙' | '⦆' | '｠' => key.push('〕'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' => key.push('-'),
            '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' => {}
            c if c.is_whitespace() => {}
            c => key.push(c.to_ascii_uppercase()),
        }
    }
    key
}

/// Whether `text` should be tried as an exact 文号 or 索引号 before a word search: it has a
/// digit and either 号 or a bracket (a 文号), or is one run of letters, digits and `/-._`
/// with at least six digits (the 索引号 shape `000014349/2018-00222`, local schemes such as
/// `SY310107202603028`, a 统一社会信用代码). A miss costs one term lookup, so this may be
/// generous.
pub fn looks_like_identifier(text: &str) -> bool {
    let key = normalize(text);
    let digits = key.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || key.chars().count() > 60 {
        return false;
    }
    if key.contains('号') || key.contains('〔') {
        return true;
    }
    let len = key.chars().count();
    (8..=40).contains(&len)
        && digits >= 6
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '.' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bracket_form_of_a_doc_number_has_one_key() {
        let key = normalize("国办发〔2019〕54号");
        for form in [
            "国办发[2019]54号",
            "国办发（2019）54号",
            "国办发(2019)54号",
            "国办发［2019］54号",
            "国办发【2019】54号",
            "国办发 〔2019〕 54 号",
            "国办发〔２０１９〕５４号",
            "“国办发〔2019〕54号”",
        ] {
            assert_eq!(normalize(form), key, "{form}");
        }
        assert_eq!(key, "国办发〔2019〕54号");
    }

    #[test]
    fn index_numbers_fold_width_dashes_and_case() {
        assert_eq!(normalize("000014349/2018-00222"), "000014349/2018-00222");
        assert_eq!(
            normalize("０００014349／2018－00222"),
            "000014349/2018-00222"
        );
        assert_eq!(
            normalize("11100000mb0143028x/2024—00001"),
            "11100000MB0143028X/2024-00001"
        );
    }

    #[test]
    fn what_looks_like_an_identifier() {
        for yes in [
            "国办发〔2019〕54号",
            "国办发[2019]54号",
            "54号",
            "000014349/2018-00222",
            "SY310107202603028",
            "91110000100000000X",
        ] {
            assert!(looks_like_identifier(yes), "{yes}");
        }
        for no in ["2019", "信息处理费", "号", "2019年度报告", "", "abc-def"] {
            assert!(!looks_like_identifier(no), "{no}");
        }
    }
}
