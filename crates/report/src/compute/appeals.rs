//! 表四 from the appeal cases (spec/domain.md §4.4).
//!
//! §4.4 gives the layout, not which appeals a year counts. Our reading, the one that makes 表四
//! carry like 表三: a year counts every appeal pending at some time in it — filed in the year,
//! or filed earlier and not decided before 1 January. Its column is its result when decided in
//! the year, else 尚未审结 (still pending on 31 December). So an appeal pending at the end of one
//! year is counted again, with its result, in the year it is decided; one decided in an earlier
//! year, or filed after the year, counts nowhere.

use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPEAL_TOTAL};

use super::{Cell, Period};

/// Index of 尚未审结 in [`APPEAL_COLUMNS`].
const PENDING: usize = 3;

/// An appeal classified relative to the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppealFacts {
    /// The block, an index of [`APPEAL_BLOCKS`] (the appeal's kind).
    pub block: usize,
    /// The filing date's period.
    pub filed: Period,
    /// The decision date's period, if decided.
    pub decided: Option<Period>,
    /// The result column once decided, an index of [`APPEAL_COLUMNS`] (结果维持, 结果纠正,
    /// 其他结果; 尚未审结 for an appeal still pending).
    pub result: usize,
}

impl AppealFacts {
    /// The block of an `appeals.kind` key ([`APPEAL_BLOCKS`]' keys).
    pub fn block_of(kind: &str) -> Option<usize> {
        APPEAL_BLOCKS.iter().position(|b| b.key == kind)
    }

    /// The column of an `appeals.result` key ([`APPEAL_COLUMNS`]' keys but 总计).
    pub fn result_of(result: &str) -> Option<usize> {
        APPEAL_COLUMNS[..APPEAL_TOTAL]
            .iter()
            .position(|c| c.key == result)
    }
}

/// The 表四 cells an appeal counts in: its column and the block's 总计 (§4.5 5), when the year
/// counts it (see the module's reading).
pub fn appeal_cells(appeal: &AppealFacts) -> Vec<Cell> {
    let counted = appeal.filed.by_year_end() && appeal.decided != Some(Period::Before);
    if !counted {
        return Vec::new();
    }
    let column = match appeal.decided {
        Some(Period::In) if appeal.result < PENDING => appeal.result,
        _ => PENDING,
    };
    [column, APPEAL_TOTAL]
        .into_iter()
        .map(|column| Cell::Appeal {
            block: appeal.block,
            column,
        })
        .collect()
}
