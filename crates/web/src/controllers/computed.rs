//! (being built) The annual report computed from an organ's records, and its drill-down.

use axum::Router;
use gongkai_report::draft::Figures;
use gongkai_report::model::AnnualReport;
use gongkai_store::tally::OrganSet;
use gongkai_store::{OrganScope, Store, StoreError};

use crate::AppState;

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
}

/// The scope's organ's report for `year`, computed from its records
/// (`gongkai_report::compute` over `store::tally`): 表二, 表三 and 表四 with `agency`, `year`
/// and the year's template; no narrative. A year before 2019 is [`StoreError::Invalid`].
#[allow(dead_code)] // called by the report pages as they land
pub async fn computed_report(
    store: &Store,
    scope: OrganScope,
    year: i32,
) -> Result<AnnualReport, StoreError> {
    store
        .computed_report(OrganSet::Organ(scope), year, None)
        .await
}

/// The consolidated report of the scope's organ and every organ below it for `year`: the
/// same rules over the subtree's records (the caller has checked the role over the subtree).
#[allow(dead_code)] // called by the superior office's pages as they land
pub async fn computed_report_subtree(
    store: &Store,
    scope: OrganScope,
    year: i32,
) -> Result<AnnualReport, StoreError> {
    store
        .computed_report(OrganSet::Subtree(scope), year, None)
        .await
}

/// The figures the narrative quotes, counted from the scope's organ's records for `year`.
#[allow(dead_code)] // called by the report pages as they land
pub async fn figures(store: &Store, scope: OrganScope, year: i32) -> Result<Figures, StoreError> {
    store.narrative_figures(scope, year).await
}
