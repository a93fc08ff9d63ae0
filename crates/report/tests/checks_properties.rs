//! Property tests of the checks: a report in which every identity holds gives no error; changing
//! any one 表三 or 表四 cell by a non-zero amount makes an error that names that cell.

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, APPLICANT_TOTAL, ApplicationRow, Template,
};
use gongkai_report::check::{CellRef, CheckContext, Section, Severity, check};
use gongkai_report::model::{AnnualReport, Appeals, Applications, Proactive, ProactiveValue};
use proptest::prelude::*;

/// The numbers a consistent report is built from.
#[derive(Debug, Clone)]
struct Seed {
    template: Template,
    /// Per result row, the six applicant cells.
    results: Vec<[u64; 6]>,
    carried_forward: [u64; 6],
    /// Share of the incoming applications that were carried over, in per mille.
    carried_over_share: [u64; 6],
    appeals: [[u64; 4]; 3],
    proactive: Vec<i64>,
}

fn seed() -> impl Strategy<Value = Seed> {
    prop_oneof![Just(Template::Y2019), Just(Template::Y2021)].prop_flat_map(|template| {
        let results = template
            .application_rows()
            .iter()
            .filter(|r| r.row.is_result())
            .count();
        (
            proptest::collection::vec(proptest::array::uniform6(0u64..30), results),
            proptest::array::uniform6(0u64..10),
            proptest::array::uniform6(0u64..=1000),
            proptest::array::uniform3(proptest::array::uniform4(0u64..20)),
            proptest::collection::vec(0i64..50, 16),
        )
            .prop_map(
                move |(results, carried_forward, carried_over_share, appeals, proactive)| Seed {
                    template,
                    results,
                    carried_forward,
                    carried_over_share,
                    appeals,
                    proactive,
                },
            )
    })
}

fn with_total(cells: [u64; 6]) -> [Option<u64>; 7] {
    let mut out = [None; 7];
    for (slot, v) in out.iter_mut().zip(cells) {
        *slot = Some(v);
    }
    out[APPLICANT_TOTAL] = Some(cells.iter().sum());
    out
}

fn build(seed: &Seed) -> AnnualReport {
    let t = seed.template;
    let mut report = AnnualReport::new(t);
    report.agency = Some("某市某区人民政府".into());
    report.year = Some(if t == Template::Y2019 { 2020 } else { 2023 });
    let mut proactive = Proactive::new(t);
    let mut values = seed.proactive.iter().copied().cycle();
    for block in t.proactive_blocks() {
        for row in block.rows {
            for column in block.columns {
                use gongkai_core::format::ProactiveKind as K;
                let n = values.next().unwrap_or(0);
                let v = match column.kind {
                    K::Count => ProactiveValue::Int(n),
                    K::Change => ProactiveValue::Int(n - 25),
                    K::Amount => ProactiveValue::Text(format!("{n}.5")),
                    K::Unit => ProactiveValue::Text("万元".into()),
                };
                proactive
                    .set(row.key, column.key, Some(v))
                    .expect("a cell of the template");
            }
        }
    }
    report.proactive = Some(proactive);

    let mut handled = [0u64; 6];
    for row in &seed.results {
        for (h, v) in handled.iter_mut().zip(row) {
            *h += v;
        }
    }
    let mut incoming = [0u64; 6];
    let mut over = [0u64; 6];
    let mut new = [0u64; 6];
    for c in 0..6 {
        incoming[c] = handled[c] + seed.carried_forward[c];
        over[c] = incoming[c] * seed.carried_over_share[c] / 1000;
        new[c] = incoming[c] - over[c];
    }
    let mut apps = Applications::new(t);
    let mut results = seed.results.iter();
    for spec in t.application_rows() {
        let cells = match spec.row {
            ApplicationRow::NewReceived => new,
            ApplicationRow::CarriedOver => over,
            ApplicationRow::TotalHandled => handled,
            ApplicationRow::CarriedForward => seed.carried_forward,
            _ => results.next().copied().unwrap_or_default(),
        };
        if let Some(row) = apps.row_mut(spec.row) {
            *row = with_total(cells);
        }
    }
    report.applications = Some(apps);
    let mut appeals = Appeals::default();
    for (block, parts) in appeals.blocks.iter_mut().zip(seed.appeals) {
        for (slot, v) in block.iter_mut().zip(parts) {
            *slot = Some(v);
        }
        block[4] = Some(parts.iter().sum());
    }
    report.appeals = Some(appeals);
    report
}

/// Every count cell of 表三 and 表四 of `template`.
fn count_cells(template: Template) -> Vec<CellRef> {
    let mut out = Vec::new();
    for spec in template.application_rows() {
        for column in APPLICANT_COLUMNS {
            out.push(CellRef {
                section: Section::Applications,
                row: spec.key,
                column: column.key,
            });
        }
    }
    for block in APPEAL_BLOCKS {
        for column in APPEAL_COLUMNS {
            out.push(CellRef {
                section: Section::Appeals,
                row: block.key,
                column: column.key,
            });
        }
    }
    out
}

fn cell_mut<'r>(report: &'r mut AnnualReport, cell: &CellRef) -> Option<&'r mut Option<u64>> {
    match cell.section {
        Section::Applications => {
            let spec = report
                .template
                .application_rows()
                .iter()
                .find(|s| s.key == cell.row)?;
            let c = APPLICANT_COLUMNS
                .iter()
                .position(|c| c.key == cell.column)?;
            report.applications.as_mut()?.row_mut(spec.row)?.get_mut(c)
        }
        Section::Appeals => {
            let b = APPEAL_BLOCKS.iter().position(|b| b.key == cell.row)?;
            let c = APPEAL_COLUMNS.iter().position(|c| c.key == cell.column)?;
            report.appeals.as_mut()?.blocks.get_mut(b)?.get_mut(c)
        }
        Section::Proactive => None,
    }
}

proptest! {
    #[test]
    fn consistent_reports_have_no_error(seed in seed()) {
        let report = build(&seed);
        let findings = check(&report, &CheckContext::default());
        prop_assert!(findings.is_empty(), "{:?}", findings);
        // The JSON round trip keeps the report exactly.
        prop_assert_eq!(AnnualReport::from_json(&report.to_json()), Ok(report));
    }

    #[test]
    fn one_changed_cell_is_named_by_an_error(
        seed in seed(),
        pick in any::<proptest::sample::Index>(),
        delta in 1u64..5,
        up in any::<bool>(),
    ) {
        let mut report = build(&seed);
        let cells = count_cells(seed.template);
        let cell = cells[pick.index(cells.len())];
        let slot = cell_mut(&mut report, &cell).expect("the cell exists");
        let old = slot.unwrap_or(0);
        let new = if up || old < delta { old + delta } else { old - delta };
        *slot = Some(new);
        let findings = check(&report, &CheckContext::default());
        prop_assert!(
            findings.iter().any(|f| f.severity == Severity::Error && f.names(&cell)),
            "{:?} {} → {}: {:?}", cell, old, new, findings
        );
    }
}
