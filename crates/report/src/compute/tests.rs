//! The cell rules, one test per rule, each named after the article or template note it
//! comes from; and the whole computation over a small year of records checked clean.

use gongkai_core::format::{APPLICANT_TOTAL, ApplicationRow as R, Template};
use gongkai_core::outcome::{OUTCOMES, Outcome};

use super::*;
use crate::check::{CheckContext, Severity, check};

const Y: i32 = 2023;

fn case(applicant: &str, received: Period, closing: Option<(Period, ClosedBy)>) -> CaseFacts {
    CaseFacts {
        applicant: applicant_column(applicant).expect("applicant kind"),
        received,
        closing: closing.map(|(period, how)| Closing { period, how }),
    }
}

fn rows_of(cells: &[Cell], column: usize) -> Vec<R> {
    cells
        .iter()
        .filter_map(|c| match c {
            Cell::Application { row, column: col } if *col == column => Some(*row),
            _ => None,
        })
        .collect()
}

fn one(case: CaseFacts) -> Records {
    Records {
        cases: vec![Counted {
            facts: case,
            count: 1,
        }],
        ..Records::default()
    }
}

fn cell(report: &AnnualReport, row: R, column: usize) -> Option<u64> {
    report.applications.as_ref()?.row(row)?[column]
}

#[test]
fn art31_received_in_the_year_is_new_and_carried_forward_while_open() {
    let c = case("natural_person", Period::In, None);
    let cells = case_cells(&c, Template::Y2021);
    assert_eq!(rows_of(&cells, 0), vec![R::NewReceived, R::CarriedForward]);
    assert_eq!(
        rows_of(&cells, APPLICANT_TOTAL),
        vec![R::NewReceived, R::CarriedForward]
    );
}

#[test]
fn table3_row2_received_before_and_open_on_1_january_is_carried_over() {
    let closed_next_year = case(
        "commercial",
        Period::Before,
        Some((Period::After, ClosedBy::Replied(Outcome::Disclosed))),
    );
    let cells = case_cells(&closed_next_year, Template::Y2021);
    assert_eq!(rows_of(&cells, 1), vec![R::CarriedOver, R::CarriedForward]);
    let closed_last_year = case(
        "commercial",
        Period::Before,
        Some((Period::Before, ClosedBy::Replied(Outcome::Disclosed))),
    );
    assert!(case_cells(&closed_last_year, Template::Y2021).is_empty());
    let received_next_year = case("commercial", Period::After, None);
    assert!(case_cells(&received_next_year, Template::Y2021).is_empty());
}

#[test]
fn table3_results_by_closing_date_in_the_outcome_row_of_spec_section_10() {
    for template in Template::ALL {
        for spec in OUTCOMES {
            let c = case(
                "research",
                Period::Before,
                Some((Period::In, ClosedBy::Replied(spec.outcome))),
            );
            let rows = rows_of(&case_cells(&c, template), 2);
            assert_eq!(
                rows,
                vec![R::CarriedOver, spec.outcome.row(template), R::TotalHandled],
                "{} {template:?}",
                spec.key
            );
        }
    }
}

#[test]
fn art30_lapsed_correction_is_row_6_1_and_a_lapsed_fee_row_6_2() {
    assert_eq!(
        ClosedBy::CorrectionLapsed.row(Template::Y2021),
        R::OtherNoCorrection
    );
    assert_eq!(ClosedBy::FeeLapsed.row(Template::Y2021), R::OtherFeeUnpaid);
    // 〔2019〕60号 has one （六）其他处理 row.
    assert_eq!(ClosedBy::CorrectionLapsed.row(Template::Y2019), R::Other);
    assert_eq!(ClosedBy::FeeLapsed.row(Template::Y2019), R::Other);
    assert_eq!(
        ClosedBy::from_event("correction_lapsed", None),
        Some(ClosedBy::CorrectionLapsed)
    );
    assert_eq!(
        ClosedBy::from_event("replied", Some("repeat")),
        Some(ClosedBy::Replied(Outcome::Repeat))
    );
    assert_eq!(ClosedBy::from_event("replied", Some("nonsense")), None);
}

#[test]
fn table3_columns_by_applicant_kind_and_total_is_the_row_sum() {
    let kinds = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_services",
        "other",
    ];
    let records = Records {
        cases: kinds
            .iter()
            .enumerate()
            .map(|(i, k)| Counted {
                facts: case(k, Period::In, None),
                count: i as u64 + 1,
            })
            .collect(),
        ..Records::default()
    };
    let report = compute(None, Y, &records, None).expect("template");
    for (i, _) in kinds.iter().enumerate() {
        assert_eq!(cell(&report, R::NewReceived, i), Some(i as u64 + 1));
    }
    assert_eq!(cell(&report, R::NewReceived, APPLICANT_TOTAL), Some(21));
    assert_eq!(applicant_column("total"), None);
    assert_eq!(applicant_column("法人"), None);
}

#[test]
fn table3_balance_note_holds_for_any_mix_of_cases() {
    // 第一项加第二项之和，等于第三项加第四项之和 — by construction, every column.
    let periods = [Period::Before, Period::In, Period::After];
    let mut records = Records::default();
    for received in periods {
        for closed in periods.iter().map(Some).chain([None]) {
            if closed.is_some_and(|c| *c < received) {
                continue;
            }
            records.cases.push(Counted {
                facts: case(
                    "legal_services",
                    received,
                    closed.map(|p| (*p, ClosedBy::FeeLapsed)),
                ),
                count: 3,
            });
        }
    }
    let report = compute(None, Y, &records, None).expect("template");
    let findings = check(&report, &CheckContext::default());
    assert!(
        findings.iter().all(|f| f.severity != Severity::Error),
        "{findings:?}"
    );
    for column in [4, APPLICANT_TOTAL] {
        let get = |r| cell(&report, r, column).unwrap_or(0);
        assert_eq!(
            get(R::NewReceived) + get(R::CarriedOver),
            get(R::TotalHandled) + get(R::CarriedForward)
        );
    }
}

#[test]
fn table3_row2_from_an_imported_baseline_report() {
    let mut last = compute(None, Y - 1, &Records::default(), None).expect("template");
    if let Some(row) = last
        .applications
        .as_mut()
        .and_then(|a| a.row_mut(R::CarriedForward))
    {
        *row = [Some(2), Some(1), None, Some(0), Some(0), Some(0), Some(3)];
    }
    let records = one(case(
        "natural_person",
        Period::Before,
        Some((Period::In, ClosedBy::Replied(Outcome::Repeat))),
    ));
    let report = compute(None, Y, &records, Some(&last)).expect("template");
    assert_eq!(
        report
            .applications
            .as_ref()
            .and_then(|a| a.row(R::CarriedOver))
            .copied(),
        Some([
            Some(2),
            Some(1),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(3)
        ])
    );
    // A baseline of another year is not a previous year: the records' own case counts.
    let report = compute(None, Y + 1, &records, Some(&last)).expect("template");
    assert_eq!(cell(&report, R::CarriedOver, APPLICANT_TOTAL), Some(1));
}

#[test]
fn table4_counts_appeals_filed_in_the_year_and_those_pending_on_1_january() {
    let appeal = |filed, decided, result: &str| AppealFacts {
        block: AppealFacts::block_of("litigation_direct").expect("kind"),
        filed,
        decided,
        result: AppealFacts::result_of(result).expect("result"),
    };
    let column = |a: &AppealFacts| {
        appeal_cells(a).iter().find_map(|c| match c {
            Cell::Appeal { column, .. } if *column != 4 => Some(*column),
            _ => None,
        })
    };
    // Decided in the year: its result.
    assert_eq!(
        column(&appeal(Period::In, Some(Period::In), "corrected")),
        Some(1)
    );
    // Filed last year, decided this year: counted this year with its result.
    assert_eq!(
        column(&appeal(Period::Before, Some(Period::In), "upheld")),
        Some(0)
    );
    // Decided next year, or not yet: 尚未审结.
    assert_eq!(
        column(&appeal(Period::In, Some(Period::After), "other")),
        Some(3)
    );
    assert_eq!(column(&appeal(Period::Before, None, "pending")), Some(3));
    // Decided before the year, or filed after it: nowhere.
    assert!(appeal_cells(&appeal(Period::Before, Some(Period::Before), "upheld")).is_empty());
    assert!(appeal_cells(&appeal(Period::After, None, "pending")).is_empty());
    // 总计 is the block's sum.
    let cells = appeal_cells(&appeal(Period::In, None, "pending"));
    assert!(cells.contains(&Cell::Appeal {
        block: 1,
        column: 4
    }));
}

#[test]
fn art20_1_items_made_repealed_and_in_force_2021_template() {
    let item = |formed, ended| ItemFacts {
        row: ItemRow::NormativeDocument,
        formed,
        published: Some(formed),
        ended,
    };
    let columns = |i: &ItemFacts| -> Vec<&str> {
        item_cells(i, Template::Y2021)
            .iter()
            .map(|c| match c {
                Cell::Proactive { column, .. } => *column,
                _ => "",
            })
            .collect()
    };
    assert_eq!(columns(&item(Period::In, None)), vec!["issued", "in_force"]);
    assert_eq!(
        columns(&item(Period::In, Some(Period::In))),
        vec!["issued", "repealed"]
    );
    assert_eq!(columns(&item(Period::Before, None)), vec!["in_force"]);
    assert_eq!(
        columns(&item(Period::Before, Some(Period::After))),
        vec!["in_force"]
    );
    assert!(columns(&item(Period::Before, Some(Period::Before))).is_empty());
    assert!(columns(&item(Period::After, None)).is_empty());
}

#[test]
fn art20_1_items_in_the_2019_template_made_published_and_total() {
    let i = ItemFacts {
        row: ItemRow::Regulation,
        formed: Period::Before,
        published: Some(Period::In),
        ended: Some(Period::In),
    };
    let cells = item_cells(&i, Template::Y2019);
    assert_eq!(
        cells,
        vec![
            Cell::Proactive {
                row: "regulations",
                column: "new_published"
            },
            Cell::Proactive {
                row: "regulations",
                column: "total_published"
            },
        ]
    );
}

#[test]
fn art20_5_6_8_entered_figures_and_fees_in_wan_yuan_exactly() {
    let mut records = Records::default();
    records
        .entered
        .insert(("licensing".into(), "decisions".into()), Entered::Count(12));
    records.entered.insert(
        ("fees".into(), "amount_wan_yuan".into()),
        Entered::Yuan(35_001),
    );
    let report = compute(Some("某局".into()), Y, &records, None).expect("template");
    let p = report.proactive.as_ref().expect("表二");
    assert_eq!(p.int("licensing", "decisions"), Some(12));
    assert_eq!(
        p.get("fees", "amount_wan_yuan"),
        Some(&ProactiveValue::Text("3.5001".into()))
    );
    // Never entered: blank, not 0.
    assert_eq!(p.get("penalty", "decisions"), None);
    assert_eq!(p.int("regulations", "issued"), Some(0));
    assert_eq!(wan_yuan(0), "0");
    assert_eq!(wan_yuan(120_000), "12");
    assert_eq!(wan_yuan(5), "0.0005");
}

#[test]
fn art20_1_in_force_from_an_imported_baseline() {
    let mut last = compute(None, Y - 1, &Records::default(), None).expect("template");
    if let Some(p) = last.proactive.as_mut() {
        p.set("regulations", "in_force", Some(ProactiveValue::Int(7)))
            .expect("cell");
    }
    let records = Records {
        items: vec![
            Counted {
                facts: ItemFacts {
                    row: ItemRow::Regulation,
                    formed: Period::In,
                    published: Some(Period::In),
                    ended: None,
                },
                count: 2,
            },
            Counted {
                facts: ItemFacts {
                    row: ItemRow::Regulation,
                    formed: Period::Before,
                    published: Some(Period::Before),
                    ended: Some(Period::In),
                },
                count: 1,
            },
        ],
        ..Records::default()
    };
    let report = compute(None, Y, &records, Some(&last)).expect("template");
    let p = report.proactive.as_ref().expect("表二");
    assert_eq!(p.int("regulations", "in_force"), Some(7 + 2 - 1));
    let previous = CheckContext {
        previous: Some(&last),
        ..CheckContext::default()
    };
    let findings = check(&report, &previous);
    assert!(
        findings.iter().all(|f| f.severity != Severity::Error),
        "{findings:?}"
    );
}

#[test]
fn templates_by_year_2019_for_2019_and_2020() {
    let r = compute(None, 2020, &Records::default(), None).expect("template");
    assert_eq!(r.template, Template::Y2019);
    assert!(
        r.applications
            .as_ref()
            .and_then(|a| a.row(R::Other))
            .is_some()
    );
    assert_eq!(
        compute(None, 2018, &Records::default(), None),
        Err(ComputeError::NoTemplate(2018))
    );
}

#[test]
fn cells_by_keys_round_trip_and_drill_down_uses_the_same_rule() {
    for template in Template::ALL {
        for spec in template.application_rows() {
            let c = Cell::from_keys(template, "applications", spec.key, "total").expect("cell");
            assert_eq!(c.keys(template), ("applications", spec.key, "total"));
        }
    }
    assert_eq!(
        Cell::from_keys(Template::Y2021, "applications", "other", "total"),
        None
    );
    let c = case("other", Period::In, None);
    let target =
        Cell::from_keys(Template::Y2021, "applications", "new_received", "other").expect("cell");
    assert!(target.counts(&case_cells(&c, Template::Y2021)));
}
