//! Parts 一, 五 and 六 of a report drafted from the organ's figures (spec/domain.md §4.6, §4.7),
//! for staff to edit before sign-off.

/// What the organ's records say about its year, beyond the tables: the figures the narrative
/// quotes. Counted by the store from the records; the tables' own figures (applications,
/// appeals) are read from the report itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The organ as the report names it.
    pub organ: String,
    /// The statistical year.
    pub year: i32,
    /// Information items first published in the year (主动公开政府信息, 条).
    pub items_published: u64,
    /// Of those, 公文 (规章, 行政规范性文件, 其他公文; 篇).
    pub documents_published: u64,
    /// Of those, 政策解读.
    pub interpretations_published: u64,
    /// Items published in the year per art. 20 category (number 1–15, count), categories with
    /// none left out.
    pub by_category: Vec<(u8, u64)>,
    /// 收费通知 issued in the year (国办函〔2020〕109号).
    pub fee_notices: u64,
    /// Their total, in 元.
    pub fees_notified_yuan: u64,
    /// Fees paid in the year, in 元.
    pub fees_collected_yuan: u64,
    /// 留言 answered in the year.
    pub messages_answered: u64,
    /// 意见征集 opened in the year.
    pub consultations: u64,
}
