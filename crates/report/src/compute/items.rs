//! 表二 第二十条第（一）项 from the information items (spec/domain.md §4.2, §4.8).

use gongkai_core::format::Template;

use super::{Cell, Period};

/// The rows of 第二十条第（一）项 that items fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRow {
    /// 规章 (items of 体裁 `regulation`).
    Regulation,
    /// 行政规范性文件 (2019: 规范性文件; 体裁 `normative_document`).
    NormativeDocument,
}

impl ItemRow {
    /// The row's schema key (the same in both templates).
    pub const fn key(self) -> &'static str {
        match self {
            ItemRow::Regulation => "regulations",
            ItemRow::NormativeDocument => "normative_documents",
        }
    }

    /// The row of a schema key.
    pub fn from_key(key: &str) -> Option<ItemRow> {
        [ItemRow::Regulation, ItemRow::NormativeDocument]
            .into_iter()
            .find(|r| r.key() == key)
    }

    /// The row of an item's 体裁 key (`store::item::KINDS`); other kinds are not counted.
    pub fn from_kind(kind: &str) -> Option<ItemRow> {
        match kind {
            "regulation" => Some(ItemRow::Regulation),
            "normative_document" => Some(ItemRow::NormativeDocument),
            _ => None,
        }
    }
}

/// A published 规章 or 行政规范性文件 classified relative to the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemFacts {
    /// Its row.
    pub row: ItemRow,
    /// The 成文日期's period (制发).
    pub formed: Period,
    /// The first publication's period, if published.
    pub published: Option<Period>,
    /// The period of the date from which it is 废止 or 失效, if it is.
    pub ended: Option<Period>,
}

/// The 表二 cells an item counts in.
///
/// 2021 template (〔2021〕30号): 本年制发件数 — made (成文日期) in the year; 本年废止件数 — its
/// 有效性 became 废止 or 失效 from a date in the year; 现行有效件数 — made by 31 December and
/// not ended by then.
///
/// 2019 template (〔2019〕60号, 试行): 本年新制作数量 — made in the year; 本年新公开数量 — first
/// published in the year; 对外公开总数量 — published by 31 December (the cumulative total the
/// column names, repealed ones included).
pub fn item_cells(item: &ItemFacts, template: Template) -> Vec<Cell> {
    let row = item.row.key();
    let ended_by_year_end = item.ended.is_some_and(Period::by_year_end);
    let columns: Vec<&'static str> = match template {
        Template::Y2021 => [
            (item.formed == Period::In, "issued"),
            (item.ended == Some(Period::In), "repealed"),
            (item.formed.by_year_end() && !ended_by_year_end, "in_force"),
        ]
        .into_iter()
        .filter_map(|(yes, c)| yes.then_some(c))
        .collect(),
        Template::Y2019 => [
            (item.formed == Period::In, "new_made"),
            (item.published == Some(Period::In), "new_published"),
            (
                item.published.is_some_and(Period::by_year_end),
                "total_published",
            ),
        ]
        .into_iter()
        .filter_map(|(yes, c)| yes.then_some(c))
        .collect(),
    };
    columns
        .into_iter()
        .map(|column| Cell::Proactive { row, column })
        .collect()
}
