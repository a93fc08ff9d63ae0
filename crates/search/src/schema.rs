//! The index's fields, the document made from an [`Item`], and the version line kept beside
//! the index.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::error::SearchError;
use crate::item::Item;
use crate::{dictionary, identifier, tokenize};

/// Bump whenever a field, its options or the tokenizer's output changes.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The version line of this build: schema, dictionary (number and a hash of its words) and
/// segmenter. An index written under another line must be rebuilt.
pub fn version_line() -> String {
    format!(
        "gongkai-search schema {SCHEMA_VERSION}; dictionary {} ({:016x}); jieba-rs 0.11, search mode, no HMM",
        dictionary::VERSION,
        fnv1a(dictionary::WORDS)
    )
}

/// FNV-1a over the words, so editing the dictionary without bumping its number still shows.
fn fnv1a(words: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for byte in word.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// The item id: indexed (replace and exclude by id), stored, fast.
    pub id: Field,
    pub organ_id: Field,
    /// Segmented with positions, stored for highlighting.
    pub title: Field,
    pub body: Field,
    /// 发布机构, 文号 and 索引号 segmented like the text, so `国办发 2019` finds a 文号 in part.
    pub meta: Field,
    /// The normalised 文号 and 索引号 (`identifier::normalize`), whole.
    pub doc_number: Field,
    pub index_number: Field,
    pub column: Field,
    pub kind: Field,
    pub validity: Field,
    pub year: Field,
    /// Publication day and id in one u64 (`recency`): newest first, ties by id, in one sort.
    pub recency: Field,
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let segmented = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenize::TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        organ_id: b.add_i64_field("organ_id", INDEXED),
        title: b.add_text_field("title", segmented(true)),
        body: b.add_text_field("body", segmented(true)),
        meta: b.add_text_field("meta", segmented(false)),
        doc_number: b.add_text_field("doc_number", STRING),
        index_number: b.add_text_field("index_number", STRING),
        column: b.add_text_field("column", STRING),
        kind: b.add_text_field("kind", STRING),
        validity: b.add_text_field("validity", STRING),
        year: b.add_i64_field("year", INDEXED),
        recency: b.add_u64_field("recency", FAST),
    };
    (b.build(), fields)
}

/// The sort key of newest first: the Julian day in the high half, the id's low 32 bits below.
pub(crate) fn recency(item: &Item) -> u64 {
    let day = u64::try_from(item.published.to_julian_day()).unwrap_or(0);
    (day << 32) | (item.id as u64 & 0xFFFF_FFFF)
}

pub(crate) fn document(f: &Fields, item: &Item) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_i64(f.id, item.id);
    doc.add_i64(f.organ_id, item.organ_id);
    doc.add_text(f.title, &item.title);
    doc.add_text(f.body, &item.body_text);
    for meta in [&item.publisher, &item.doc_number, &item.index_number] {
        if !meta.trim().is_empty() {
            doc.add_text(f.meta, meta);
        }
    }
    for (field, value) in [
        (f.doc_number, &item.doc_number),
        (f.index_number, &item.index_number),
    ] {
        let key = identifier::normalize(value);
        // A real 文号 or 索引号 is a few dozen bytes; tantivy refuses terms past 64 KB.
        if !key.is_empty() && key.len() <= 512 {
            doc.add_text(field, key);
        }
    }
    doc.add_text(f.column, &item.column);
    doc.add_text(f.kind, &item.kind);
    doc.add_text(f.validity, &item.validity);
    doc.add_i64(f.year, i64::from(item.published.year()));
    doc.add_u64(f.recency, recency(item));
    doc
}

/// Checks an opened index's schema against this build's; a difference means rebuild even when
/// the version line matched (someone changed a field and forgot `SCHEMA_VERSION`).
pub(crate) fn check(found: &Schema, found_line: &str) -> Result<Fields, SearchError> {
    let (expected, fields) = build();
    if *found != expected {
        return Err(SearchError::NeedsRebuild {
            found: format!("{found_line}（字段与本程序不同）"),
            expected: version_line(),
        });
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_line_names_schema_and_dictionary() {
        let line = version_line();
        assert!(
            line.starts_with("gongkai-search schema 1; dictionary 1 ("),
            "{line}"
        );
    }

    #[test]
    fn recency_orders_by_day_then_id() {
        let item = |id, day: u8| Item {
            id,
            organ_id: 1,
            title: String::new(),
            body_text: String::new(),
            doc_number: String::new(),
            index_number: String::new(),
            publisher: String::new(),
            column: String::new(),
            kind: String::new(),
            published: time::Date::from_calendar_date(2024, time::Month::March, day)
                .unwrap_or(time::Date::MIN),
            validity: String::new(),
        };
        assert!(recency(&item(1, 2)) > recency(&item(99, 1)));
        assert!(recency(&item(2, 1)) > recency(&item(1, 1)));
    }
}
