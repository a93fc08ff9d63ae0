//! `CELL-BLANK` (warning): no cell of a present table is blank. The template expects a number
//! in every cell, `0` where there is none; a blank (or `/`, `-`, `—`) leaves the reader to guess.
//! One finding per table, naming every blank cell.

use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ProactiveKind};

use super::{
    CellRef, CheckContext, CheckSpec, Finding, Section, Severity, app_cell, appeal_cell, row_label,
};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "CELL-BLANK",
    severity: Severity::Warning,
    rule: "已有表格的每个单元格都印有数字（没有的填0）",
};

/// How many blank places a message lists before "等".
const LISTED: usize = 3;

/// Adds one finding per table that has blank cells.
pub fn run(report: &AnnualReport, _cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    if let Some(p) = &report.proactive {
        let mut cells = Vec::new();
        let mut places = Vec::new();
        for block in report.template.proactive_blocks() {
            for row in block.rows {
                for column in block.columns {
                    // The unit beside an amount is not a cell of its own: null means none printed.
                    if column.kind == ProactiveKind::Unit {
                        continue;
                    }
                    if p.get(row.key, column.key).is_none() {
                        cells.push(CellRef {
                            section: Section::Proactive,
                            row: row.key,
                            column: column.key,
                        });
                        places.push(format!("{} {}", row.label, column.label));
                    }
                }
            }
        }
        push(out, Section::Proactive, cells, places);
    }
    if let Some(a) = &report.applications {
        let mut cells = Vec::new();
        let mut places = Vec::new();
        for (spec, row) in a.rows() {
            for (c, value) in row.iter().enumerate() {
                if value.is_none() {
                    cells.push(app_cell(spec, c));
                    places.push(format!(
                        "{} {}",
                        row_label(spec),
                        APPLICANT_COLUMNS[c].label
                    ));
                }
            }
        }
        push(out, Section::Applications, cells, places);
    }
    if let Some(a) = &report.appeals {
        let mut cells = Vec::new();
        let mut places = Vec::new();
        for (b, block) in a.blocks.iter().enumerate() {
            for (c, value) in block.iter().enumerate() {
                if value.is_none() {
                    cells.push(appeal_cell(b, c));
                    places.push(format!(
                        "{} {}",
                        APPEAL_BLOCKS[b].label, APPEAL_COLUMNS[c].label
                    ));
                }
            }
        }
        push(out, Section::Appeals, cells, places);
    }
}

fn push(out: &mut Vec<Finding>, section: Section, cells: Vec<CellRef>, places: Vec<String>) {
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
    out.push(Finding {
        check: SPEC.id,
        severity: SPEC.severity,
        expected: Some("数字".into()),
        printed: Some("空白".into()),
        place: section.name().to_owned(),
        message: format!("{}有{}个单元格空白：{listed}", section.name(), cells.len()),
        cells,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};
    use crate::model::ProactiveValue;
    use gongkai_core::format::ApplicationRow;

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
