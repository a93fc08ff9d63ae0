//! Why a cell the reader left null is null, from its notes: the difference between a cell the
//! report prints blank and one whose digits the reader saw but could not place matters to
//! whoever reads `CELL-BLANK`.

use super::{Note, NoteKind, Table};
use crate::check::{CellRef, Section, Unread, UnreadCell, null_cells};
use crate::model::AnnualReport;

/// Every null cell of a present table that `notes` explain as something other than a blank.
pub(crate) fn unread_cells(report: &AnnualReport, notes: &[Note]) -> Vec<UnreadCell> {
    let mut out = Vec::new();
    for (cell, _) in null_cells(report) {
        if let Some(why) = cause(&cell, notes) {
            out.push(UnreadCell { cell, why });
        }
    }
    out
}

fn section(table: Table) -> Section {
    match table {
        Table::Proactive => Section::Proactive,
        Table::Applications => Section::Applications,
        Table::Appeals => Section::Appeals,
    }
}

fn about(note: &Note, cell: &CellRef) -> bool {
    note.table.map(section) == Some(cell.section) && note.row == Some(cell.row)
}

/// The most specific note wins: one about the cell, then one about its row.
fn cause(cell: &CellRef, notes: &[Note]) -> Option<Unread> {
    let on_cell = |kind| {
        notes
            .iter()
            .any(|n| n.kind == kind && about(n, cell) && n.column == Some(cell.column))
    };
    let on_row = |kind| {
        notes
            .iter()
            .any(|n| n.kind == kind && about(n, cell) && n.column.is_none())
    };
    if on_cell(NoteKind::Split) {
        Some(Unread::Ambiguous)
    } else if on_cell(NoteKind::CellUnreadable)
        || on_row(NoteKind::CellUnreadable)
        || on_row(NoteKind::Split)
    {
        Some(Unread::Unreadable)
    } else if on_row(NoteKind::Truncated) {
        // The row the document ends in, or one after it.
        Some(Unread::CutOff)
    } else if on_row(NoteKind::RowMissing) {
        Some(Unread::NotPrinted)
    } else if notes.iter().any(|n| {
        // 表四 is one data row: a cut inside it is noted on the table.
        n.kind == NoteKind::Truncated
            && n.table.map(section) == Some(cell.section)
            && n.row.is_none()
    }) {
        Some(Unread::CutOff)
    } else {
        None
    }
}

impl super::ReadReport {
    /// One line of Chinese per table and cause of its unread cells, for a reader who sees only
    /// the JSON (`表二有3个单元格未能读出：连写的数字有不止一种拆分`). Empty when every cell was read
    /// or printed blank. Cells after a cut are summed up by the truncation, not here.
    pub fn unread_summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for section in Section::ALL {
            for (why, reason) in [
                (Unread::Ambiguous, "连写的数字有不止一种拆分都符合勾稽关系"),
                (Unread::Unreadable, "印的不是数字或无法对齐到列"),
                (Unread::NotPrinted, "所在的行报告未印出"),
            ] {
                let n = self
                    .unread
                    .iter()
                    .filter(|u| u.cell.section == section && u.why == why)
                    .count();
                if n > 0 {
                    lines.push(format!("{}有{n}个单元格未能读出：{reason}", section.name()));
                }
            }
        }
        if self.truncated {
            lines.push("文档在表格或章节中途结束，其后的单元格记为 null".to_owned());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(kind: NoteKind, row: &'static str, column: Option<&'static str>) -> Note {
        Note {
            kind,
            table: Some(Table::Applications),
            row: Some(row),
            column,
            line: Some(1),
            message: String::new(),
        }
    }

    #[test]
    fn the_most_specific_note_names_the_cause() {
        let cell = CellRef {
            section: Section::Applications,
            row: "granted",
            column: "commercial",
        };
        let cases: [(Vec<Note>, Option<Unread>); 8] = [
            (vec![], None),
            // A blank printed where a number was expected is a blank.
            (
                vec![note(NoteKind::CellMissing, "granted", Some("commercial"))],
                None,
            ),
            (
                vec![note(NoteKind::Split, "granted", Some("commercial"))],
                Some(Unread::Ambiguous),
            ),
            // A row whose numbers could not be aligned to columns.
            (
                vec![note(NoteKind::CellUnreadable, "granted", None)],
                Some(Unread::Unreadable),
            ),
            (
                vec![
                    note(NoteKind::CellMissing, "granted", Some("commercial")),
                    note(NoteKind::Truncated, "granted", None),
                ],
                Some(Unread::CutOff),
            ),
            (
                vec![note(NoteKind::RowMissing, "granted", None)],
                Some(Unread::NotPrinted),
            ),
            // A row printed as its label alone: its cells are blank.
            (vec![note(NoteKind::CellMissing, "granted", None)], None),
            // Another row's note says nothing of this cell.
            (
                vec![note(NoteKind::RowMissing, "partially_granted", None)],
                None,
            ),
        ];
        for (notes, want) in cases {
            assert_eq!(cause(&cell, &notes), want, "{notes:?}");
        }
    }
}
