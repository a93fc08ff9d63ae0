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
    } else if on_cell(NoteKind::CellUnreadable) || on_row(NoteKind::Split) {
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
