//! `CELL-BLANK` (warning): no cell of a present table is blank. The template expects a number
//! in every cell, `0` where there is none; a blank (or `/`, `-`, `—`) leaves the reader to guess.
//!
//! A null cell is not always a blank print: the reader may have seen digits it could not place
//! ([`Unread`]). Each cause gets its own finding per table, so the message never says "blank"
//! of a cell that printed a number. Cells after the point where a document is cut off are left
//! to `TRUNCATED`.

use super::{CellRef, CheckContext, CheckSpec, Finding, Section, Severity, Unread, null_cells};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "CELL-BLANK",
    severity: Severity::Warning,
    rule: "已有表格的每个单元格都印有数字（没有的填0）",
};

/// How many blank places a message lists before "等".
const LISTED: usize = 3;

/// Why a cell is null, for the finding's wording: `None` is a blank print.
type Cause = Option<Unread>;

/// The causes in the order their findings come, with what each finding says was printed.
const CAUSES: [(Cause, &str); 4] = [
    (None, "空白"),
    (Some(Unread::Ambiguous), "连写的数字"),
    (Some(Unread::Unreadable), "不是数字"),
    (Some(Unread::NotPrinted), "未印出此行"),
];

/// Adds one finding per table and cause that has null cells.
pub fn run(report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let nulls = null_cells(report);
    let cause_of =
        |cell: &CellRef| -> Cause { cx.unread.iter().find(|u| u.cell == *cell).map(|u| u.why) };
    for section in Section::ALL {
        for (cause, printed) in CAUSES {
            let (cells, places): (Vec<CellRef>, Vec<String>) = nulls
                .iter()
                .filter(|(cell, _)| cell.section == section && cause_of(cell) == cause)
                .cloned()
                .unzip();
            push(out, section, cause, printed, cells, places);
        }
    }
}

fn push(
    out: &mut Vec<Finding>,
    section: Section,
    cause: Cause,
    printed: &str,
    cells: Vec<CellRef>,
    places: Vec<String>,
) {
    if cells.is_empty() {
        return;
    }
    let mut listed = places
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if places.len() > LISTED {
        listed.push('等');
    }
    let (name, n) = (section.name(), cells.len());
    let message = match cause {
        None => format!("{name}有{n}个单元格空白：{listed}"),
        Some(Unread::Ambiguous) => format!(
            "{name}有{n}个单元格的数字与相邻单元格连写，有不止一种拆分都符合勾稽关系，未能确定：{listed}"
        ),
        Some(Unread::Unreadable) => format!("{name}有{n}个单元格印的不是数字，未能读出：{listed}"),
        Some(Unread::NotPrinted) => format!("{name}有{n}个单元格所在的行报告未印出：{listed}"),
        Some(Unread::CutOff) => format!("{name}有{n}个单元格在文档中断之后：{listed}"),
    };
    out.push(Finding {
        check: SPEC.id,
        severity: SPEC.severity,
        expected: Some("数字".into()),
        printed: Some(printed.into()),
        place: name.to_owned(),
        message,
        cells,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};
    use crate::model::ProactiveValue;
    use gongkai_core::format::{ApplicationRow, ProactiveKind};

    #[test]
    fn blanks_are_reported_per_table() {
        let mut r = consistent();
        if let Some(row) = r
            .applications
            .as_mut()
            .and_then(|a| a.row_mut(ApplicationRow::Granted))
        {
            row[6] = None;
            row[2] = None;
        }
        if let Some(p) = r.proactive.as_mut() {
            let _ = p.set("penalty", "decisions", None);
        }
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert_eq!(ids(&out), ["CELL-BLANK", "CELL-BLANK"]);
        assert_eq!(out[0].place, "表二");
        assert_eq!(out[1].cells.len(), 2);
        assert_eq!(
            out[1].message,
            "表三有2个单元格空白：（一）予以公开 科研机构、（一）予以公开 总计"
        );
        assert!(out[1].names(&CellRef {
            section: Section::Applications,
            row: "granted",
            column: "total"
        }));
    }

    #[test]
    fn each_cause_has_its_own_finding_and_cut_off_cells_none() {
        use crate::check::UnreadCell;
        let mut r = consistent();
        if let Some(a) = r.applications.as_mut() {
            for row in [ApplicationRow::Granted, ApplicationRow::CarriedForward] {
                if let Some(cells) = a.row_mut(row) {
                    cells[0] = None;
                    cells[1] = None;
                }
            }
        }
        let cell = |row, column| CellRef {
            section: Section::Applications,
            row,
            column,
        };
        let unread = [
            UnreadCell {
                cell: cell("granted", "natural_person"),
                why: Unread::Ambiguous,
            },
            UnreadCell {
                cell: cell("carried_forward", "natural_person"),
                why: Unread::CutOff,
            },
            UnreadCell {
                cell: cell("carried_forward", "commercial"),
                why: Unread::CutOff,
            },
        ];
        let cx = CheckContext {
            unread: &unread,
            ..CheckContext::default()
        };
        let mut out = Vec::new();
        run(&r, &cx, &mut out);
        let printed: Vec<_> = out.iter().map(|f| f.printed.as_deref()).collect();
        assert_eq!(printed, [Some("空白"), Some("连写的数字")], "{out:?}");
        assert_eq!(out[0].cells, [cell("granted", "commercial")]);
        assert_eq!(out[1].cells, [cell("granted", "natural_person")]);
    }

    #[test]
    fn a_missing_unit_is_not_a_blank() {
        let t = gongkai_core::format::Template::Y2019;
        let mut r = AnnualReport::new(t);
        let mut p = crate::model::Proactive::new(t);
        for block in t.proactive_blocks() {
            for row in block.rows {
                for column in block.columns {
                    let v = match column.kind {
                        ProactiveKind::Amount => Some(ProactiveValue::Text("0".into())),
                        ProactiveKind::Unit => None,
                        _ => Some(ProactiveValue::Int(0)),
                    };
                    let _ = p.set(row.key, column.key, v);
                }
            }
        }
        r.proactive = Some(p);
        let mut out = Vec::new();
        run(&r, &CheckContext::default(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
