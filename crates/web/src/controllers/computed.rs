//! (being built) The annual report computed from an organ's records, and its drill-down.

use axum::Router;
use gongkai_core::format::Template;
use gongkai_report::draft::Figures;
use gongkai_report::model::AnnualReport;
use gongkai_store::{OrganScope, Store, StoreError};

use crate::AppState;

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}

/// The scope's organ's report for `year`, computed from its records: 表二, 表三 and 表四 with
/// `agency`, `year` and the year's template; no narrative.
///
/// PLACEHOLDER until the computation lands: tables of the template, every cell 0.
#[allow(dead_code)] // called by the report pages as they land
pub async fn computed_report(
    store: &Store,
    scope: OrganScope,
    year: i32,
) -> Result<AnnualReport, StoreError> {
    let organ = store.organ(scope.organ_id()).await?;
    let template = if year <= 2020 {
        Template::Y2019
    } else {
        Template::Y2021
    };
    let mut report = AnnualReport::new(template);
    report.agency = Some(organ.settings.name.clone());
    report.year = Some(year);
    Ok(report)
}

/// The figures the narrative quotes, counted from the scope's organ's records for `year`.
///
/// PLACEHOLDER until the computation lands: the organ and year, every count 0.
#[allow(dead_code)] // called by the report pages as they land
pub async fn figures(store: &Store, scope: OrganScope, year: i32) -> Result<Figures, StoreError> {
    let organ = store.organ(scope.organ_id()).await?;
    Ok(Figures {
        organ: organ.settings.name.clone(),
        year,
        ..Figures::default()
    })
}
