//! 表三 from the application cases (spec/domain.md §4.3, §4.5, §10).

use gongkai_core::format::{APPLICANT_COLUMNS, APPLICANT_TOTAL, ApplicationRow, Template};
use gongkai_core::outcome::Outcome;

use super::{Cell, Period};

/// How a case was closed: the events of `core::clock` that end a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClosedBy {
    /// `replied`, with its outcome.
    Replied(Outcome),
    /// `correction_lapsed`: not corrected in time (art. 30).
    CorrectionLapsed,
    /// `fee_lapsed`: the fee not paid in time (国办函〔2020〕109号).
    FeeLapsed,
}

impl ClosedBy {
    /// The 表三 result row the closing counts in: a reply by its outcome's row of
    /// `core::outcome::OUTCOMES`; a lapsed 补正 as the art. 30 outcome （六）1 and a lapsed fee
    /// as （六）2 (the 2019 template's one （六）其他处理 for both).
    pub fn row(self, template: Template) -> ApplicationRow {
        let outcome = match self {
            ClosedBy::Replied(outcome) => outcome,
            ClosedBy::CorrectionLapsed => Outcome::NoCorrection,
            ClosedBy::FeeLapsed => Outcome::FeeUnpaid,
        };
        outcome.row(template)
    }

    /// The closing named by a ledger event key and, for `replied`, its outcome key.
    pub fn from_event(event: &str, outcome: Option<&str>) -> Option<ClosedBy> {
        match event {
            "replied" => outcome.and_then(Outcome::from_key).map(ClosedBy::Replied),
            "correction_lapsed" => Some(ClosedBy::CorrectionLapsed),
            "fee_lapsed" => Some(ClosedBy::FeeLapsed),
            _ => None,
        }
    }
}

/// A case's closing: when, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Closing {
    /// The closing date's period.
    pub period: Period,
    /// How.
    pub how: ClosedBy,
}

/// A case classified relative to the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseFacts {
    /// The applicant's column, an index of [`APPLICANT_COLUMNS`] below 总计.
    pub applicant: usize,
    /// The receipt date's period (art. 31).
    pub received: Period,
    /// The closing, if the case is closed.
    pub closing: Option<Closing>,
}

/// The column of an `applications.applicant_kind` (a key of [`APPLICANT_COLUMNS`] other than
/// 总计): natural person → 自然人, organisations by their category (spec/domain.md §10).
pub fn applicant_column(kind: &str) -> Option<usize> {
    APPLICANT_COLUMNS[..APPLICANT_TOTAL]
        .iter()
        .position(|c| c.key == kind)
}

/// The 表三 cells a case counts in, each in its applicant's column and in 总计 (§4.5 1: 总计
/// is the row's sum).
pub fn case_cells(case: &CaseFacts, template: Template) -> Vec<Cell> {
    let closed_in = |p: Period| case.closing.map(|c| c.period) == Some(p);
    let closed_by_year_end = case.closing.is_some_and(|c| c.period.by_year_end());
    let mut rows = Vec::new();
    // 一、本年新收: received (art. 31 receipt date) in the year.
    if case.received == Period::In {
        rows.push(ApplicationRow::NewReceived);
    }
    // 二、上年结转: received before the year and still open on 1 January (last year's 四).
    if case.received == Period::Before && !closed_in(Period::Before) {
        rows.push(ApplicationRow::CarriedOver);
    }
    // 三、本年度办理结果: closed in the year, in the one row of its closing (§4.5 3), and in
    // （七）总计.
    if let Some(closing) = case.closing.filter(|c| c.period == Period::In) {
        rows.push(closing.how.row(template));
        rows.push(ApplicationRow::TotalHandled);
    }
    // 四、结转下年度继续办理: received by 31 December and not closed by then.
    if case.received.by_year_end() && !closed_by_year_end {
        rows.push(ApplicationRow::CarriedForward);
    }
    rows.into_iter()
        .flat_map(|row| {
            [
                Cell::Application {
                    row,
                    column: case.applicant,
                },
                Cell::Application {
                    row,
                    column: APPLICANT_TOTAL,
                },
            ]
        })
        .collect()
}
