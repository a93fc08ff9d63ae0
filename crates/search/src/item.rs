//! What the index holds about one published information item (信息公开目录 entry).

use time::Date;

/// One information item, as plain data: the caller (the store's item tables, a reindex)
/// fills it; the index keeps no store types. Strings may be empty where an item has no such
/// metadata (an item without 文号 has `doc_number` empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item's id in the store; the index replaces by it.
    pub id: i64,
    /// The publishing organ's id, for the organ filter.
    pub organ_id: i64,
    /// 名称 (the main title).
    pub title: String,
    /// The body as plain text: see [`crate::plain_text`] for HTML bodies.
    pub body_text: String,
    /// 文号 (发文字号), such as `国办发〔2019〕54号`.
    pub doc_number: String,
    /// 索引号, such as `000014349/2019-00054`.
    pub index_number: String,
    /// 发布机构 (full name).
    pub publisher: String,
    /// The catalogue column: an art. 20 item's key or a column slug.
    pub column: String,
    /// 体裁 (kind) key.
    pub kind: String,
    /// 发布日期.
    pub published: Date,
    /// 有效性 key (such as `valid`, `repealed`); empty where validity does not apply.
    pub validity: String,
}
